"""Who wrote a log line and who a change touches: instances sharing log groups (streams named
after the instance), hierarchical parameter names, and a front door's own throttling vs relayed 5xx."""
from __future__ import annotations

from datetime import timedelta

from analyzers.changes import touches
from analyzers.model import Change, LogRecord, ResourceRef
from analyzers.patterns import PatternWindow, mine_patterns
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate, pattern_owner, source_key, stream_sources
from tests.test_rca_rules import API, ONSET, REGION, alarm_on, evidence, pattern

GROUPS = ["/app/api/app", "/var/log/messages"]
WEB1 = ResourceRef("ec2", "i-0c41e7a9b2d35f810", REGION, {"name": "api-1", "log_groups": GROUPS})
WEB2 = ResourceRef("ec2", "i-0f2a6b8c4d1e97a35", REGION, {"name": "api-2", "log_groups": GROUPS})


def test_a_group_shared_by_instances_is_split_by_the_instance_id_in_the_stream_name():
    # GIVEN two instances writing the same groups, streams named after the instance (CloudWatch agent default)
    streams = {("/app/api/app", WEB1.id), ("/app/api/app", WEB2.id), ("/app/api/app", "unnamed"),
               ("/aws/lambda/orders-api", WEB2.id)}
    sources = stream_sources(streams, [WEB1, WEB2, API])
    # THEN each named stream belongs to its instance; unnamed streams and unshared groups stay with the group
    assert sources == {("/app/api/app", WEB1.id): WEB1.id, ("/app/api/app", WEB2.id): WEB2.id}

    # WHEN patterns are mined, the same line on the two instances gives two patterns, one per source
    t0 = ONSET - timedelta(minutes=30)
    window = PatternWindow(t0, ONSET, ONSET + timedelta(minutes=20))
    records = [LogRecord("/app/api/app", WEB2.id, (ONSET + timedelta(minutes=m)).timestamp(),
                         f"[CRITICAL] WORKER TIMEOUT (pid:{100 + m})") for m in range(5)]
    records += [LogRecord("/app/api/app", WEB1.id, (t0 + timedelta(minutes=m)).timestamp(), "GET /v2/quotes 200")
                for m in range(40)]
    mined = mine_patterns(records, window, stream_sources=sources)
    owners = {"/app/api/app": WEB1, source_key("/app/api/app", WEB1.id): WEB1,
              source_key("/app/api/app", WEB2.id): WEB2}
    timeouts = next(p for p in mined if "WORKER TIMEOUT" in p.template)
    # THEN the new errors are api-2's, not the first instance's that declared the group
    assert timeouts.source == WEB2.id and pattern_owner(timeouts, owners) == WEB2
    assert timeouts.to_dict()["source"] == WEB2.id


def test_a_parameter_whose_path_names_a_service_touches_it():
    service = ResourceRef("ecs", "pricing/quote-engine", REGION, {})
    other = ResourceRef("ecs", "pricing/fx-sync", REGION, {})

    def put(name: str, source: str = "ssm.amazonaws.com") -> Change:
        return Change("c1", ONSET, source, "PutParameter", "AWS::SSM::Parameter", name, "analyst", REGION)
    # THEN the service named by a whole path segment is touched, its sibling and partial names are not
    assert touches(put("/pricing/prod/quote-engine/RATE_TABLE_VERSION"), service)
    assert not touches(put("/pricing/prod/quote-engine/RATE_TABLE_VERSION"), other)
    assert not touches(put("/pricing/prod/quote-engine-v2/RATE"), service)
    assert not touches(put("/pricing/prod/quote-engine/RATE", source="s3.amazonaws.com"), service)


FRONT = ResourceRef("apigateway", "partner-quotes-api", REGION, {"api_id": "r8t1", "integration": API.id})
FRONT_GROUP = "API-Gateway-Execution-Logs_r8t1/v1"


def test_usage_plan_throttling_is_the_front_doors_own_limit_not_its_backends():
    # GIVEN an API whose execution log says a key exceeded the usage plan's throttle limit
    limit = pattern("l1", "API Key **Qx7bTn exceeded throttle limit for API Stage r8t1/v1: Key throttle limit "
                          "exceeded for Usage Plan ID 7hq2ke", 0, 748, group=FRONT_GROUP)
    candidates = [Candidate(FRONT, "alarm", 1.0), Candidate(API, "dependency", 1.0, "behind it")]
    ranked = rank_hypotheses(evidence(candidates, [limit], alarm=alarm_on(FRONT, "4XXError"),
                                      owners={FRONT_GROUP: FRONT}))
    # THEN the API's own throttling is the cause, not the function behind it
    assert (ranked[0].category, ranked[0].resource.key) == ("throttling", FRONT.key)


def test_a_relayed_502_does_not_turn_a_function_timeout_into_a_dependency_failure():
    # GIVEN a function timing out (its own logs) and its API relaying "Method completed with status: 502"
    timeouts = pattern("l1", "Task timed out after 10.01 seconds", 20, 131, group="/aws/lambda/orders-api")
    relayed = pattern("l2", "Method completed with status: 502", 20, 131, group=FRONT_GROUP)
    candidates = [Candidate(API, "alarm", 1.0), Candidate(FRONT, "upstream", 0.6)]
    ranked = rank_hypotheses(evidence(candidates, [timeouts, relayed], alarm=alarm_on(API),
                                      owners={FRONT_GROUP: FRONT, "/aws/lambda/orders-api": API}))
    # THEN the function's timeout is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("function_timeout", API.key)



def test_a_throttle_error_that_also_returns_503_is_throttling_not_a_dependency_failure():
    # GIVEN a service logging "put_record failed, returning 503: ProvisionedThroughputExceededException"
    line = pattern("l1", "ERROR collector: put_record failed, returning 503: ProvisionedThroughputExceededException: "
                         "Rate exceeded for shard shardId-000000000002", 0, 284, group="/aws/lambda/orders-api")
    ranked = rank_hypotheses(evidence([Candidate(API, "alarm", 1.0)], [line], alarm=alarm_on(API),
                                      owners={"/aws/lambda/orders-api": API}))
    # THEN the specific fault wins and the generic 503 adds no dependency failure
    assert ranked[0].category == "throttling"
    assert all(h.category != "dependency_failure" for h in ranked)


def test_internal_errors_of_a_front_door_with_a_healthy_backend_are_unknown():
    # GIVEN an API answering a few 500s "due to an internal error" while nothing behind it fails, no change
    internal = pattern("l1", "Execution failed due to an internal error", 0, 12, group=FRONT_GROUP)
    candidates = [Candidate(FRONT, "alarm", 1.0), Candidate(API, "dependency", 1.0, "behind it")]
    ranked = rank_hypotheses(evidence(candidates, [internal], alarm=alarm_on(FRONT, "5XXError"),
                                      owners={FRONT_GROUP: FRONT}))
    # THEN the honest answer is unknown: a front door runs no application code
    assert ranked[0].category == "unknown"


def test_a_database_named_in_a_functions_ordinary_lines_is_its_dependency():
    from analyzers.topology import lines_written_by, select_candidates

    # GIVEN a function whose INFO lines name its database host (no errors at all) and an unrelated database
    db = ResourceRef("rds", "catalog-pg", REGION, {"endpoint": "catalog-pg.cx9ab7.ap-south-1.rds.amazonaws.com"})
    other = ResourceRef("rds", "billing-pg", REGION)
    info = pattern("l1", "search q=<*> -> 23 hits (46 ms in db catalog-pg.cx9ab7.ap-south-1.rds.amazonaws.com)",
                   2600, 1700, group="/aws/lambda/orders-api", level="INFO")
    lines = lines_written_by([info], {"/aws/lambda/orders-api": API}, [API.key])
    candidates = {c.resource.key: c for c in select_candidates(API, [API, db, other], lines)}
    # THEN the named database is a dependency and the other stays context
    assert candidates[db.key].relation == "dependency" and candidates[other.key].relation == "context"


def test_a_parameter_the_service_logs_reading_touches_it():
    from analyzers.changes import with_settings_read_in_logs

    # GIVEN a parameter change whose path does not name the service, and the service logging that it reads it
    service = ResourceRef("ecs", "checkout/checkout-web", REGION, {})
    put = Change("c1", ONSET, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
                 "/checkout/prod/payments/endpoint", "analyst", REGION)
    refresh = pattern("l1", "info: config refreshed from SSM path /checkout/prod/ (/checkout/prod/payments/endpoint "
                            "version 13)", 72, 15, group="/ecs/checkout-web", level="INFO")
    assert not touches(put, service)
    [read] = with_settings_read_in_logs([service], [put], [refresh], {"/ecs/checkout-web": service})
    # THEN the change touches the service that reads it
    assert touches(put, read) and read.properties["config_refs"] == ["/checkout/prod/payments/endpoint"]


def test_an_instance_dialled_by_its_private_ip_is_the_failing_dependency():
    # GIVEN a service whose new errors dial an address that is an instance's private IP (nothing else links them)
    from analyzers.topology import mentioned_resources
    geo = ResourceRef("ec2", "i-0d2b4f6a8c1e3a5b7", "eu-north-1", {"name": "geo-grpc-1", "private_ip": "10.40.3.17"})
    line = ('rpc error: code = Unavailable desc = "transport: Error while dialing: '
            'dial tcp 10.40.3.17:7443: i/o timeout"')
    # THEN the line names the instance, and a neighbouring address does not
    assert mentioned_resources([line], [geo]) == {geo.key: 1}
    assert mentioned_resources([line.replace("10.40.3.17", "10.40.3.171")], [geo]) == {}


def test_a_loader_reading_the_parameters_parent_path_or_a_start_up_line_links_the_change():
    from analyzers.changes import setting_search_term, with_settings_read_in_logs

    # GIVEN a typo'd parameter that two hosts' config poller reloads as "/cart/prod/*", a sibling
    # hierarchy change (/cart/production-eu/...) and a service whose only read is a start-up line hours ago
    put = Change("c1", ONSET, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/cart/prod/redis_endpoint",
                 "deploy-bot", REGION)
    sibling = Change("c2", ONSET, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
                     "/cart/production-eu/flag", "ops", REGION)
    reload = pattern("l1", "[INFO] config poller: reloaded 14 parameters from SSM /cart/prod/* (version 37)", 0, 1,
                     group="/cart/app", level="INFO")
    orders = ResourceRef("ecs", "orders/orders-api", REGION, {})
    startup = ("/ecs/orders-api", "info: Orders.Api.Secrets.SsmPasswordProvider[0] Loaded /orders/prod/db-password")
    rotate = Change("c3", ONSET, "secretsmanager.amazonaws.com", "PutParameter", "", "/orders/prod/db-password",
                    "r.tan", REGION)
    # THEN what is searched for is the parent path (two segments or more), else the name; nothing for other stores
    assert setting_search_term(put) == "/cart/prod" and setting_search_term(rotate) == "/orders/prod"
    assert setting_search_term(Change("c4", ONSET, "ssm.amazonaws.com", "PutParameter", "", "/flagset", "x")) \
        == "/flagset"
    assert setting_search_term(Change("c5", ONSET, "lambda.amazonaws.com", "UpdateFunctionConfiguration",
                                      "", "/cart/prod/x", "x")) is None
    # AND the reload line links the host to the parameter, not to the sibling hierarchy
    [host] = with_settings_read_in_logs([WEB1], [put, sibling], [reload], {"/cart/app": WEB1})
    assert host.properties["config_refs"] == ["/cart/prod/redis_endpoint"] and not touches(sibling, host)
    # AND a start-up line read outside the log windows links the service that logged it
    [service] = with_settings_read_in_logs([orders], [rotate], [], {"/ecs/orders-api": orders}, [startup])
    assert touches(rotate, service)


def test_a_change_inside_a_five_minute_alarms_onset_bucket_counts_as_before_it():
    from analyzers.changes import onset_grace, relevant_changes

    # GIVEN an onset read from 5-minute datapoints and a parameter change 3 minutes "after" it
    put = Change("c1", ONSET + timedelta(minutes=3), "ssm.amazonaws.com", "PutParameter", "", API.id, "x", REGION)
    # THEN with a 5-minute alarm it is a candidate cause; with a 1-minute alarm it is an effect
    assert onset_grace(300) == timedelta(minutes=5) and onset_grace(60) == timedelta(minutes=2)
    assert relevant_changes([put], [API], ONSET, timedelta(hours=6), onset_grace(300))
    assert not relevant_changes([put], [API], ONSET, timedelta(hours=6), onset_grace(60))


def test_changes_name_resources_by_arn_qualified_name_or_api_id():
    # GIVEN resources of each kind and CloudTrail resource names in the forms real events use
    fn = ResourceRef("lambda", "checkout-api", REGION)
    svc = ResourceRef("ecs", "shop/cart-svc", REGION)
    alb = ResourceRef("alb", "app/web-alb/50dc6c495c0c9188", REGION)
    api = ResourceRef("apigateway", "orders", REGION, {"api_id": "a1b2c3d4e5"})
    arn = "arn:aws:{}:us-east-1:123456789012:{}"
    named = {
        fn: ["checkout-api:live", arn.format("lambda", "function:checkout-api:42")],
        svc: [arn.format("ecs", "service/shop/cart-svc")],
        alb: [arn.format("elasticloadbalancing", "loadbalancer/app/web-alb/50dc6c495c0c9188")],
        api: ["a1b2c3d4e5", "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod"],
    }
    # THEN each change touches its resource, and a look-alike name does not
    for resource, names in named.items():
        for name in names:
            assert touches(Change("c", ONSET, "x", "Update", "", name, "u", REGION), resource), name
    assert not touches(Change("c", ONSET, "x", "Update", "", "checkout-api-v2:live", "u", REGION), fn)
    assert not touches(Change("c", ONSET, "x", "Update", "", arn.format("lambda", "function:checkout"), "u"), fn)


def test_a_deleted_secret_that_later_failures_name_is_the_cause_even_after_an_early_onset():
    from analyzers.changes import relevant_changes
    from analyzers.model import Anomaly, MetricKey

    # GIVEN a service whose CPU climbed with the morning ramp from ONSET (the estimated onset), a secret it
    # injects deleted ten minutes later, and from twenty minutes later new tasks failing to start, naming it
    service = ResourceRef("ecs", "payments/checkout-api", REGION, {"config_refs": ["prod/checkout/stripe"]})
    delete = Change("c1", ONSET + timedelta(minutes=10), "secretsmanager.amazonaws.com", "DeleteSecret",
                    "AWS::SecretsManager::Secret", "prod/checkout/stripe", "m.osei", REGION)
    failing = pattern("l1", "ECS Task State Change: STOPPED TaskFailedToStart ResourceInitializationError: failed to "
                            "fetch secret arn:aws:secretsmanager:us-west-2:2098:secret:prod/checkout/stripe-Xk2P9d",
                      0, 40, group="/aws/events/ecs")
    failing = type(failing)(**{**failing.__dict__, "first_seen": ONSET + timedelta(minutes=30)})
    cpu = Anomaly("a1", "m1", MetricKey.of("AWS/ECS", "CPUUtilization", {"ClusterName": "payments",
                                                                         "ServiceName": "checkout-api"},
                                           "Average", REGION), service, ONSET, 0.9, 40.0, 97.0, "up")
    alarm = alarm_on(service, "CPUUtilization")

    def top(patterns):
        ev = evidence([Candidate(service, "alarm", 1.0)], patterns, [delete], anomalies=[cpu], alarm=alarm,
                      owners={"/aws/events/ecs": service})
        return rank_hypotheses(ev)[0]
    # THEN the deletion is the cause (a configuration change), and the change is among the related ones
    assert (top([failing]).category, top([failing]).resource.key) == ("config_change", service.key)
    assert relevant_changes([delete], [service], ONSET, timedelta(hours=6), timedelta(minutes=2), [failing])
    # AND without lines naming it, a change after the onset is no cause
    other = pattern("l1", "ECS Task State Change: STOPPED TaskFailedToStart CannotPullContainerError: 429 Too Many "
                          "Requests", 0, 40, group="/aws/events/ecs")
    assert top([other]).category != "config_change"
    assert not relevant_changes([delete], [service], ONSET, timedelta(hours=6), timedelta(minutes=2), [other])
