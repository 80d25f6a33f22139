"""Following an incident past front doors that do not say what is behind them: resources involved by
timing, database errors that name no host, relayed errors, stale deployments, platform timeouts."""
from __future__ import annotations

from datetime import timedelta

from analyzers.model import Anomaly, MetricKey, ResourceRef
from analyzers.rca import involved_resources, rank_hypotheses
from analyzers.topology import select_candidates
from tests.test_rca_rules import ONSET, REGION, alarm_on, deploy, evidence, pattern

API = ResourceRef("apigateway", "claims-public", REGION, {"api_id": "p4m8zq1w7e"})
SUBMIT = ResourceRef("lambda", "claims-submit", REGION, {"timeout": 20, "env_refs": ["claims-mysql"]})
BATCH = ResourceRef("lambda", "nightly-batch", REGION, {"timeout": 900})
DB = ResourceRef("rds", "claims-mysql", REGION, {"max_connections": 341})
INVENTORY = [API, SUBMIT, BATCH, DB]
API_LOGS, SUBMIT_LOGS, DB_LOGS = "API-Gateway-Execution-Logs_p4m8zq1w7e/prod", "/aws/lambda/claims-submit", \
    "/aws/rds/instance/claims-mysql/error"
OWNERS = {API_LOGS: API, SUBMIT_LOGS: SUBMIT, DB_LOGS: DB}


def _errors_metric(resource: ResourceRef, minutes: int = 0, name: str = "Errors") -> Anomaly:
    key = MetricKey.of("AWS/Lambda", name, {"FunctionName": resource.id}, "Sum", REGION)
    return Anomaly(f"a-{resource.id}", "m1", key, ResourceRef(resource.type, resource.id, REGION),
                   ONSET + timedelta(minutes=minutes), 0.9, 0.0, 40.0, "up")


def _candidates(patterns, anomalies=()):
    involved = involved_resources(patterns, OWNERS, list(anomalies), ONSET, API)
    return select_candidates(API, INVENTORY, [], involved=involved), involved


def test_a_function_whose_errors_start_with_the_alarm_is_involved_and_its_database_a_dependency():
    # GIVEN an API alarm with no integration recorded, a function whose new errors start at onset
    new = pattern("l1", "Too many connections", 0, 20, group=SUBMIT_LOGS)
    candidates, involved = _candidates([new], [_errors_metric(BATCH, minutes=-90)])
    relation = {c.resource.id: c.relation for c in candidates}
    # THEN the function is involved, the database its environment points at is a dependency,
    # and a function whose errors rose an hour and a half earlier is only context
    assert set(involved) == {SUBMIT.key}
    assert relation == {"claims-public": "alarm", "claims-submit": "involved", "claims-mysql": "dependency",
                        "nightly-batch": "context"}


def test_front_doors_and_pre_existing_errors_do_not_make_a_resource_involved():
    relayed = pattern("l1", "Lambda execution failed with status 200 due to customer function error", 0, 30,
                      group=API_LOGS)
    steady = pattern("l2", "ERROR upstream timed out", 60, 20, group=SUBMIT_LOGS)
    _, involved = _candidates([relayed, steady], [_errors_metric(API, name="5XXError")])
    assert involved == {}


def test_connection_errors_naming_no_host_point_at_the_database_at_its_limit():
    # GIVEN the function logs "Too many connections" (no host) and the DB's connections sit at max_connections
    new = pattern("l1", "Error: ER_CON_COUNT_ERROR: Too many connections", 0, 20, group=SUBMIT_LOGS)
    candidates, _ = _candidates([new])
    key = MetricKey.of("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": DB.id}, "Maximum", REGION)
    at_limit = Anomaly("a1", "m2", key, DB, ONSET - timedelta(minutes=20), 0.9, 92.0, 341.0, "up")
    ranked = rank_hypotheses(evidence(candidates, [new], anomalies=[at_limit], alarm=alarm_on(API, "5XXError"),
                                      owners=OWNERS))
    # THEN the origin is connection exhaustion on the database
    assert (ranked[0].category, ranked[0].resource.key) == ("db_connection_exhaustion", DB.key)
    assert {"l1", "a1"} <= set(ranked[0].evidence_ids)


def test_a_platform_timeout_relayed_by_the_api_is_the_function_timing_out():
    # GIVEN the API's execution logs and the function's logs both report the Lambda timeout
    relayed = pattern("l1", 'Lambda execution failed due to customer function error: Task timed out after 6.01 '
                            'seconds"}', 0, 50, group=API_LOGS)
    own = pattern("l2", "Task timed out after 6.01 seconds", 0, 17, group=SUBMIT_LOGS)
    candidates, _ = _candidates([relayed, own])
    ranked = rank_hypotheses(evidence(candidates, [relayed, own], alarm=alarm_on(API, "5XXError"), owners=OWNERS))
    # THEN the cause is a function timeout on the function, not a dependency failure at the API
    assert (ranked[0].category, ranked[0].resource.key) == ("function_timeout", SUBMIT.key)
    assert "dependency_failure" not in [h.category for h in ranked if h.resource.key == SUBMIT.key]


def test_errors_beginning_long_after_a_deployment_are_not_that_deployment():
    # GIVEN out-of-memory kills that start 80 minutes after a deploy of the same function
    oom = pattern("l1", "Error: Runtime exited with error: signal: killed Runtime.OutOfMemory", 0, 12,
                  group=SUBMIT_LOGS)
    candidates = select_candidates(SUBMIT, INVENTORY, [])
    late = rank_hypotheses(evidence(candidates, [oom], [deploy(SUBMIT, minutes_before=80)],
                                    alarm=alarm_on(SUBMIT), owners=OWNERS))
    recent = rank_hypotheses(evidence(candidates, [oom], [deploy(SUBMIT, minutes_before=8)],
                                      alarm=alarm_on(SUBMIT), owners=OWNERS))
    # THEN the memory fault wins; the same errors right after a deploy are the deploy's
    assert (late[0].category, late[0].resource.key) == ("memory_exhaustion", SUBMIT.key)
    assert recent[0].category == "bad_deployment"


def test_a_load_balancer_is_in_front_of_the_services_registered_in_its_target_groups():
    from analyzers.topology import downstream_ids

    alb = ResourceRef("alb", "app/web/abc", REGION, {"target_groups": ["arn:tg/web-tg/def"]})
    web = ResourceRef("ecs", "prod/web", REGION, {"target_groups": ["arn:tg/web-tg/def"]})
    worker = ResourceRef("ecs", "prod/worker", REGION, {"target_groups": []})
    assert downstream_ids(alb, [alb, web, worker]) == [web.key]


def test_a_load_balancer_is_in_front_of_the_service_its_target_group_is_named_after():
    from analyzers.topology import downstream_ids

    alb = ResourceRef("alb", "app/shop-alb/abc", REGION, {"target_group": "shop-web-tg"})
    arn = ResourceRef("alb", "app/api-alb/abd", REGION,
                      {"target_groups": ["arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/shop-api/9f2"]})
    web = ResourceRef("ecs", "shop/web", REGION, {})
    api = ResourceRef("ecs", "shop/api", REGION, {})
    # THEN the group's name (without "-tg") names the cluster/service, and only that one
    assert downstream_ids(alb, [alb, arn, web, api]) == [web.key]
    assert downstream_ids(arn, [alb, arn, web, api]) == [api.key]


def _db_connections(db: ResourceRef, peak: float) -> Anomaly:
    key = MetricKey.of("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db.id}, "Maximum", REGION)
    return Anomaly(f"a-{db.id}", "m9", key, db, ONSET - timedelta(minutes=10), 0.9, 93.0, peak, "up")


def test_of_two_unlinked_databases_the_one_at_its_connection_limit_is_the_origin():
    # GIVEN a Java function whose pool times out ("Connection is not available") and two databases, no links
    primary = ResourceRef("rds", "loyalty-primary", REGION, {"max_connections": 420})
    replica = ResourceRef("rds", "loyalty-replica", REGION, {"max_connections": 420})
    fn = ResourceRef("lambda", "loyalty-accrual", REGION, {"timeout": 30})
    group = "/aws/lambda/loyalty-accrual"
    error = pattern("l1", "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, "
                          "request timed out after 30000ms", 0, 21, group=group)
    candidates = select_candidates(fn, [fn, primary, replica], [])
    ranked = rank_hypotheses(evidence(candidates, [error], anomalies=[_db_connections(primary, 423.0)],
                                      alarm=alarm_on(fn), owners={group: fn}))
    # THEN the database at its limit is named, not the function and not the other database
    assert (ranked[0].category, ranked[0].resource.key) == ("db_connection_exhaustion", primary.key)


def test_memory_at_its_limit_outranks_cpu_raised_by_garbage_collection():
    from analyzers.model import Series

    svc = ResourceRef("ecs", "wms/planner", REGION)
    group = "/ecs/wms/planner"
    oom = pattern("l1", "Terminating due to java.lang.OutOfMemoryError: Java heap space", 0, 4, group=group)
    cpu_key = MetricKey.of("AWS/ECS", "CPUUtilization", {"ClusterName": "wms", "ServiceName": "planner"},
                           "Average", REGION)
    cpu = Anomaly("a1", "m1", cpu_key, svc, ONSET - timedelta(minutes=6), 0.9, 31.0, 89.0, "up")
    mem_key = MetricKey.of("AWS/ECS", "MemoryUtilization", {"ClusterName": "wms", "ServiceName": "planner"},
                           "Average", REGION)
    climb = Series("m2", mem_key, tuple(ONSET.timestamp() + 60 * i for i in range(-120, 20)),
                   tuple(min(100.0, 60 + 0.34 * (i + 120)) for i in range(-120, 20)), "Percent")
    ev = evidence(select_candidates(svc, [svc], []), [oom], anomalies=[cpu], alarm=alarm_on(svc), owners={group: svc})
    ranked = rank_hypotheses(ev.__class__(**{**ev.__dict__, "series": [climb]}))
    assert (ranked[0].category, ranked[0].resource.key) == ("memory_exhaustion", svc.key)
    assert "m2" in ranked[0].evidence_ids


def test_log_groups_named_after_a_resource_belong_to_it_and_access_logs_show_throttling():
    from analyzers.rca import log_categories
    from analyzers.topology import map_log_groups

    api = ResourceRef("apigateway", "merchant-directory", REGION, {"api_id": "m3rch"})
    fn = ResourceRef("lambda", "merchant-lookup", REGION)
    owners = map_log_groups(["/aws/apigateway/merchant-directory/v1/access", "/shared/misc"], [api, fn])
    assert owners == {"/aws/apigateway/merchant-directory/v1/access": api}
    assert log_categories('{"status": "429", "errorMessage": "Too Many Requests"}') == ["throttling"]


def test_behind_a_front_door_that_names_nothing_the_host_pinned_with_the_alarm_is_involved():
    alb = ResourceRef("alb", "app/tiles/2c4e", REGION)
    busy = ResourceRef("ec2", "i-0render", REGION)
    warm = ResourceRef("ec2", "i-0warmer", REGION)
    key = lambda r: MetricKey.of("AWS/EC2", "CPUUtilization", {"InstanceId": r.id}, "Average", REGION)  # noqa: E731
    pinned = Anomaly("a1", "m1", key(busy), busy, ONSET + timedelta(minutes=1), 0.9, 51.0, 100.0, "up")
    earlier = Anomaly("a2", "m2", key(warm), warm, ONSET - timedelta(minutes=30), 0.9, 6.0, 90.0, "up")
    involved = involved_resources([], {}, [pinned, earlier], ONSET, alb, blind_front_door=True)
    assert set(involved) == {busy.key}
    candidates = select_candidates(alb, [alb, busy, warm], [], involved=involved)
    ranked = rank_hypotheses(evidence(candidates, anomalies=[pinned, earlier], alarm=alarm_on(alb, "Latency"),
                                      owners={}))
    assert (ranked[0].category, ranked[0].resource.key) == ("cpu_saturation", busy.key)
    assert involved_resources([], {}, [pinned], ONSET, alb) == {}  # only when the front door is blind


def _series(resource_dims: dict, namespace: str, name: str, values, sid: str):
    from analyzers.model import Series

    key = MetricKey.of(namespace, name, resource_dims, "Minimum", REGION)
    return Series(sid, key, tuple(ONSET.timestamp() + 60 * (i - len(values) + 10) for i in range(len(values))),
                  tuple(values), None)


def test_storage_that_ran_out_is_exhaustion_not_a_dependency_failure():
    # GIVEN a database whose free storage fell steadily to ~0 (no anomaly onset) and apps refused connections
    db = ResourceRef("rds", "billing-pg", REGION, {"allocated_storage_gb": 200})
    api = ResourceRef("ecs", "billing/api", REGION, {"env_refs": ["billing-pg"]})
    group = "/aws/rds/instance/billing-pg/postgresql"
    refused = pattern("l1", "FATAL: the database system is shut down; connection refused", 0, 30, group=group)
    free = _series({"DBInstanceIdentifier": db.id}, "AWS/RDS", "FreeStorageSpace",
                   [200e9 - 1.4e9 * i for i in range(140)] + [0.2e9] * 10, "m7")
    ev = evidence(select_candidates(api, [api, db], []), [refused], alarm=alarm_on(api), owners={group: db})
    ranked = rank_hypotheses(ev.__class__(**{**ev.__dict__, "series": [free]}))
    assert (ranked[0].category, ranked[0].resource.key) == ("storage_exhaustion", db.key)


def test_a_parameter_the_function_reads_from_its_environment_is_attached_to_it():
    from analyzers.changes import touches
    from analyzers.model import Change
    from bot.aws.inventory import config_refs

    fn = ResourceRef("lambda", "pricing-api", REGION,
                     {"config_refs": config_refs({"RULES_PARAM": "/pricing/discount-rules", "TTL": "300"})})
    put = Change("c1", ONSET - timedelta(minutes=30), "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
                 "/pricing/discount-rules", "ops", REGION)
    assert touches(put, fn)
    parse = pattern("l1", "SyntaxError: Unexpected token } in JSON at position 812", 0, 40, group="/aws/lambda/x",
                    exception="SyntaxError")
    ranked = rank_hypotheses(evidence(select_candidates(fn, [fn], []), [parse], [put], alarm=alarm_on(fn),
                                      owners={"/aws/lambda/x": fn}))
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", fn.key)


def test_throttles_at_the_concurrency_cap_outrank_the_demand_that_hit_it():
    fn = ResourceRef("lambda", "quote-engine", REGION, {"reserved_concurrency": 4})
    throttles = Anomaly("a1", "m1", MetricKey.of("AWS/Lambda", "Throttles", {"FunctionName": fn.id}, "Sum", REGION),
                        fn, ONSET, 0.9, 0.0, 24.0, "up")
    demand = Anomaly("a2", "m2", MetricKey.of("AWS/Lambda", "Invocations", {"FunctionName": fn.id}, "Sum", REGION),
                     fn, ONSET, 0.9, 6.0, 41.0, "up")
    ranked = rank_hypotheses(evidence(select_candidates(fn, [fn], []), anomalies=[throttles, demand],
                                      alarm=alarm_on(fn), owners={}))
    assert (ranked[0].category, ranked[0].resource.key) == ("throttling", fn.key)


def test_a_surge_that_began_long_before_the_failures_is_not_their_cause():
    fn = ResourceRef("lambda", "statement-render", REGION, {"timeout": 15})
    group = "/aws/lambda/statement-render"
    timeouts = pattern("l1", "Task timed out after 15.02 seconds", 0, 30, group=group)
    early = Anomaly("a1", "m1", MetricKey.of("AWS/Lambda", "Invocations", {"FunctionName": fn.id}, "Sum", REGION),
                    fn, ONSET - timedelta(hours=2), 0.9, 2.0, 16.0, "up")
    ranked = rank_hypotheses(evidence(select_candidates(fn, [fn], []), [timeouts], anomalies=[early],
                                      alarm=alarm_on(fn), owners={group: fn}))
    assert ranked[0].category == "function_timeout"
    assert "traffic_surge" not in [h.category for h in ranked]


def test_a_refused_well_known_port_points_at_the_host_named_for_that_service():
    from analyzers.logs.line_formats import read_line_format

    api = ResourceRef("ecs", "core/api", REGION)
    redis = ResourceRef("ec2", "i-0f3a6c1e", REGION, {"name": "sessions-redis-1"})
    line = read_line_format('{"level": "error", "msg": "session lookup failed", "error": {"op": "dial", '
                            '"addr": "10.0.12.44:6379", "cause": "connect: connection refused"}}').message
    assert line == "session lookup failed: op=dial addr=10.0.12.44:6379 cause=connect: connection refused"
    refused = pattern("l1", line, 0, 60, group="/ecs/core/api")
    ranked = rank_hypotheses(evidence(select_candidates(api, [api, redis], []), [refused], alarm=alarm_on(api),
                                      owners={"/ecs/core/api": api}))
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", redis.key)


def test_unnamed_timeouts_while_a_host_fails_its_status_checks_are_about_that_host():
    # GIVEN a balancer over a web host whose new errors time out against something they do not name
    # (a local proxy's "no server available"), while another host fails its system status check at onset
    alb = ResourceRef("alb", "app/catalog-alb/3c9e", REGION, {"name": "catalog-alb"})
    web = ResourceRef("ec2", "i-0web", REGION, {"name": "catalog-web-1"})
    search = ResourceRef("ec2", "i-0search", REGION, {"name": "search-es-1"})
    idle = ResourceRef("ec2", "i-0idle", REGION, {"name": "catalog-worker-1"})
    group = "/catalog/laravel"
    timeouts = pattern("l1", "production.ERROR: cURL error 28: Operation timed out after 3001 milliseconds; "
                       "backend has no server available", 0, 40, group=group)
    key = MetricKey.of("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": search.id}, "Maximum", REGION)
    down = Anomaly("a1", "m1", key, search, ONSET, 0.9, 0.0, 1.0, "up")
    involved = involved_resources([timeouts], {group: web}, [down], ONSET, alb, blind_front_door=True)
    candidates = select_candidates(alb, [alb, web, search, idle], list(timeouts.samples), involved=involved)
    # WHEN ranked
    ranked = rank_hypotheses(evidence(candidates, [timeouts], anomalies=[down],
                                      alarm=alarm_on(alb, "HTTPCode_Target_5XX_Count"), owners={group: web}))
    # THEN the host that went down is the failing dependency, not the web host that waited on it
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", search.key)


def test_a_front_doors_settings_change_does_not_explain_errors_it_relays_from_a_function_out_of_memory():
    # GIVEN an API whose stage was updated an hour before onset, and behind it a function whose new
    # invocations run out of memory; the API's execution log relays the killed runtime as its own errors
    from analyzers.model import Change

    oom = pattern("l1", "REPORT RequestId: 1f2e Duration: 5012.3 ms Max Memory Used: 1024 MB Status: error "
                  "Error Type: Runtime.OutOfMemory", 0, 40, group=SUBMIT_LOGS)
    relayed = pattern("l2", "Lambda execution failed with status 200 due to customer function error: "
                      "Error: Runtime exited with error: signal: killed", 0, 40, group=API_LOGS, level="ERROR")
    stage = Change("c1", ONSET - timedelta(minutes=60), "apigateway.amazonaws.com", "UpdateStage",
                   "AWS::ApiGateway::Stage", API.id, "ops", REGION)
    candidates, _ = _candidates([oom, relayed])
    # WHEN ranked
    ranked = rank_hypotheses(evidence(candidates, [oom, relayed], [stage], alarm=alarm_on(API, "5XXError"),
                                      owners=OWNERS))
    # THEN the function's memory is the cause; the stage update explains nothing the function's logs explain
    assert (ranked[0].category, ranked[0].resource.key) == ("memory_exhaustion", SUBMIT.key)
    assert not any(h.category == "config_change" for h in ranked)


def test_an_api_refused_by_a_function_whose_invoke_permission_was_removed_blames_that_function():
    # GIVEN an API that names no integration, logging "Invalid permissions on Lambda function" from onset,
    # and a function (quiet since: nothing reaches it) whose resource policy lost a statement minutes before
    from analyzers.model import Change
    from analyzers.topology import Candidate

    refused = pattern("l1", "(3f1c) Execution failed due to configuration error: Invalid permissions on Lambda "
                      "function", 0, 300, group=API_LOGS, level="ERROR")
    removed = Change("c1", ONSET - timedelta(minutes=4), "lambda.amazonaws.com", "RemovePermission20150331v2",
                     "AWS::Lambda::Function", SUBMIT.id, "cleanup-bot", REGION)
    candidates = [Candidate(API, "alarm", 1.0), Candidate(SUBMIT, "context", 0.35), Candidate(BATCH, "context", 0.35)]
    # WHEN ranked
    ranked = rank_hypotheses(evidence(candidates, [refused], [removed], alarm=alarm_on(API, "5XXError"),
                                      owners=OWNERS))
    # THEN the function whose permission was removed is the origin
    assert (ranked[0].category, ranked[0].resource.key) == ("permission_denied", SUBMIT.key)


def test_a_log_group_named_after_a_resource_and_its_kind_of_log_belongs_to_it():
    from analyzers.topology import map_log_groups

    # GIVEN access logs written to "<api>-access" and an unrelated group named after no resource
    api = ResourceRef("apigateway", "partner-api", REGION, {"api_id": "n6b3v9c2xz"})
    ops = ResourceRef("apigateway", "ops-api", REGION, {"api_id": "e5r6t7y8u9"})
    owners = map_log_groups(["/aws/apigateway/partner-api-access", "/shared/partner-access"], [api, ops])
    # THEN the access logs are the API's, the other group nobody's
    assert owners == {"/aws/apigateway/partner-api-access": api}
