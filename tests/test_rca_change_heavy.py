"""Ranking when many changes surround an incident whose cause is elsewhere: a callee throttling by its own
metrics, a cache host that went down, a surge that loads a service two hops back, a database setting, a
listener rule, a scale-out that shipped nothing, and a balancer change beside a service out of memory."""
from __future__ import annotations

from datetime import timedelta

from analyzers.changes import candidates_named, ships_no_task_definition
from analyzers.model import Anomaly, Change, MetricKey, ResourceRef
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate, downstream_ids
from tests.test_rca_rules import API, ONSET, REGION, alarm_on, evidence, pattern

GEO = ResourceRef("lambda", "geo-lookup", REGION)
ALB = ResourceRef("alb", "app/shop-alb/2b7e9d1c4a6f3085", REGION, {"targets": ["shop/web-bff"]})
BFF = ResourceRef("ecs", "shop/web-bff", REGION)
CATALOG = ResourceRef("ecs", "shop/catalog", REGION)


def _anomaly(aid: str, resource: ResourceRef, namespace: str, metric: str, dims: dict[str, str], baseline: float,
             peak: float, minutes_after: float = 1) -> Anomaly:
    key = MetricKey.of(namespace, metric, dims, "Sum", REGION)
    return Anomaly(aid, f"m{aid}", key, resource, ONSET + timedelta(minutes=minutes_after), 0.9, baseline, peak, "up")


def _change(cid: str, name: str, resource_name: str, minutes_before: float, source: str) -> Change:
    return Change(cid, ONSET - timedelta(minutes=minutes_before), source, name, None, resource_name, "ops", REGION)


def _deploy(resource: ResourceRef, minutes_before: float) -> Change:
    return _change("c-deploy", "UpdateFunctionCode20150331v2", resource.id, minutes_before, "lambda.amazonaws.com")


def test_errors_that_are_a_callees_throttles_blame_the_callee_not_the_callers_deploy():
    # GIVEN a caller deployed 20 min before onset whose new errors are the 429s of the function it invokes,
    # which throttles by its own metrics
    relayed = pattern("l1", 'geo-lookup invoke failed after 3 attempts {"name": "TooManyRequestsException", '
                            '"message": "Rate Exceeded."}', 0, 300)
    bare = pattern("l2", "TooManyRequestsException: Rate Exceeded.", 0, 300, exception="TooManyRequestsException")
    throttles = _anomaly("a1", GEO, "AWS/Lambda", "Throttles", {"FunctionName": GEO.id}, 0, 450)
    candidates = [Candidate(API, "alarm", 1.0), Candidate(GEO, "dependency", 1.0, "named in its logs")]
    ranked = rank_hypotheses(evidence(candidates, [relayed, bare], [_deploy(API, 20)], anomalies=[throttles]))
    # THEN the callee's throttling is the cause, ahead of the deploy
    assert (ranked[0].category, ranked[0].resource.key) == ("throttling", GEO.key)
    assert [h.category for h in ranked].index("bad_deployment") > 0


def test_a_host_that_failed_its_status_checks_is_the_cause_of_the_timeouts_naming_it_not_a_fresh_deploy():
    # GIVEN a function deployed 12 min before its calls to a cache host time out, as that host fails its checks
    cache = ResourceRef("ec2", "i-0f2e4d6c8a0b13579", REGION, {"name": "session-cache-1", "private_ip": "10.40.12.31"})
    timeouts = pattern("l1", "cache unavailable host=10.40.12.31:6379: Timeout connecting to server", 0, 370)
    down = _anomaly("a1", cache, "AWS/EC2", "StatusCheckFailed", {"InstanceId": cache.id}, 0, 1)
    candidates = [Candidate(API, "alarm", 1.0), Candidate(cache, "dependency", 1.0, "named in its logs")]
    ranked = rank_hypotheses(evidence(candidates, [timeouts], [_deploy(API, 12)], anomalies=[down]))
    # THEN the host that went down is the failing dependency
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", cache.key)


def test_a_surge_also_loads_the_service_its_backend_waits_on():
    # GIVEN five times the usual requests at the balancer, and its backend's new warnings that the service it
    # calls is slow
    surge = _anomaly("a1", ALB, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": ALB.id}, 2700, 14000)
    slow = pattern("l1", "slow upstream catalog 937ms", 0, 98, group="/ecs/web-bff", level="WARN")
    candidates = [Candidate(ALB, "alarm", 1.0), Candidate(BFF, "dependency", 1.0, "behind it"),
                  Candidate(CATALOG, "dependency", 1.0, "named in its logs")]
    ranked = rank_hypotheses(evidence(candidates, [slow], anomalies=[surge], alarm=alarm_on(ALB, "TargetResponseTime"),
                                      owners={"/ecs/web-bff": BFF}))
    # THEN the surge is the cause: the slow service two hops back is loaded by it, not failing on its own
    assert (ranked[0].category, ranked[0].resource.key) == ("traffic_surge", ALB.key)


def test_a_fresh_deploy_is_not_blamed_for_failures_that_rose_with_a_surge_of_its_requests_after_it():
    # GIVEN a function deployed 5 min before a surge that quintuples its invocations; its errors rose a little
    # with them, and no log line says why
    coupon = ResourceRef("lambda", "coupon-validator", REGION)
    invocations = _anomaly("a1", coupon, "AWS/Lambda", "Invocations", {"FunctionName": coupon.id}, 80, 440)
    errors = _anomaly("a2", coupon, "AWS/Lambda", "Errors", {"FunctionName": coupon.id}, 0, 4, minutes_after=8)
    ranked = rank_hypotheses(evidence([Candidate(coupon, "alarm", 1.0)], [], [_deploy(coupon, 5)],
                                      anomalies=[invocations, errors], alarm=alarm_on(coupon)))
    # THEN the deploy is not the cause
    assert ranked[0].category != "bad_deployment"
    # BUT when the requests had been that high for half an hour before the deploy, the failures that began
    # only after it are the deploy's
    earlier = _anomaly("a1", coupon, "AWS/Lambda", "Invocations", {"FunctionName": coupon.id}, 80, 440,
                       minutes_after=-30)
    ranked = rank_hypotheses(evidence([Candidate(coupon, "alarm", 1.0)], [], [_deploy(coupon, 5)],
                                      anomalies=[earlier, errors], alarm=alarm_on(coupon)))
    assert (ranked[0].category, ranked[0].resource.key) == ("bad_deployment", coupon.key)


def test_errors_naming_a_database_setting_blame_its_parameter_group_change_not_the_clients_deploy():
    # GIVEN a client deployed 12 min before onset and a parameter group change on its database 1 min before;
    # the new errors say the queries are incompatible with the server's sql_mode
    db = ResourceRef("rds", "reports-db", REGION, {"parameter_groups": ["reports-mysql80-params"]})
    refused = pattern("l1", "Error: Expression #2 of SELECT list is not in GROUP BY clause and contains "
                            "nonaggregated column 'reports.c.name'; this is incompatible with "
                            "sql_mode=only_full_group_by", 0, 240)
    params = _change("c-params", "ModifyDBParameterGroup", "reports-mysql80-params", 1, "rds.amazonaws.com")
    candidates = [Candidate(API, "alarm", 1.0), Candidate(db, "dependency", 1.0, "named in its logs")]
    ranked = rank_hypotheses(evidence(candidates, [refused], [_deploy(API, 12), params]))
    # THEN the database's configuration change is the cause, citing the errors, clearly ahead of the deploy
    # (the errors are the database refusing by its own setting: not the client's)
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", db.key)
    assert "l1" in ranked[0].evidence_ids
    deploy = next(h for h in ranked if h.category == "bad_deployment")
    assert ranked[0].confidence >= 1.3 * deploy.confidence


def test_a_listener_rule_path_and_a_balancers_dns_name_lead_to_the_balancer():
    # GIVEN a rule change named by its path (no "listener-rule/" prefix) and an API integrating by DNS name
    rule = "app/inventory-alb/4f8a2c6e0b3d9175/5b1d3f7a9c2e4068/8c1e5a9d3b7f2046"
    alb = ResourceRef("alb", "app/inventory-alb/4f8a2c6e0b3d9175", REGION)
    api = ResourceRef("apigateway", "inventory-api", REGION,
                      {"integration": "HTTP_PROXY https://inventory-alb-1630842097.ap-southeast-1.elb.amazonaws.com/"})
    # THEN the rule names the balancer, and the balancer is behind the API
    assert alb.id in candidates_named(rule)
    assert "app/other-alb/4f8a2c6e0b3d9175" not in candidates_named(rule)
    assert downstream_ids(api, [api, alb]) == [alb.key]


def test_an_update_of_a_service_with_no_new_task_definition_ships_nothing():
    service = ResourceRef("ecs", "commerce/shipping-svc", REGION, {"task_definition_family": "shipping-svc"})
    scale = _change("c1", "UpdateService", service.id, 4, "ecs.amazonaws.com")
    registered = _change("c0", "RegisterTaskDefinition", "shipping-svc:57", 5, "ecs.amazonaws.com")
    elsewhere = _change("c2", "RegisterTaskDefinition", "checkout-svc:144", 5, "ecs.amazonaws.com")
    # GIVEN an UpdateService alone (a scale-out by hand): it ships nothing; after a new task definition it does
    assert ships_no_task_definition(scale, [scale, elsewhere], service)
    assert not ships_no_task_definition(scale, [registered, scale], service)
    # AND a family named after the cluster and service ("commerce-shipping-svc") is that service's too
    joined = _change("c3", "RegisterTaskDefinition", "commerce-shipping-svc:12", 5, "ecs.amazonaws.com")
    assert not ships_no_task_definition(scale, [joined, scale], ResourceRef("ecs", service.id, REGION))


def test_a_service_relaying_a_callees_failures_is_not_blamed_for_its_own_deploy():
    # GIVEN a checkout service deployed 19 min before onset whose errors only say a shipping quote failed, and
    # the shipping service, which names checkout as its caller, timing out on an external carrier after an
    # on-call engineer added a task to it (an UpdateService with no new task definition)
    checkout = ResourceRef("ecs", "commerce/checkout-svc", REGION, {"task_definition_family": "checkout-svc"})
    shipping = ResourceRef("ecs", "commerce/shipping-svc", REGION)
    carrier = pattern("l1", 'level=ERROR msg="carrier rate request failed" err="Post \\"https://api.parcelhub.example/'
                            'v2/rates\\": context deadline exceeded"', 0, 268, group="/ecs/shipping-svc")
    answer = pattern("l2", 'level=WARN msg="responding 504 to caller" path=/v1/quotes caller=checkout-svc', 0, 351,
                     group="/ecs/shipping-svc", level="WARN")
    relayed = pattern("l3", "ERROR shipping quote failed", 0, 121, group="/ecs/checkout-svc")
    changes = [_change("c1", "RegisterTaskDefinition", "checkout-svc:144", 19, "ecs.amazonaws.com"),
               _change("c2", "UpdateService", checkout.id, 19, "ecs.amazonaws.com"),
               _change("c3", "UpdateService", shipping.id, 4, "ecs.amazonaws.com")]
    candidates = [Candidate(ALB, "alarm", 1.0), Candidate(checkout, "dependency", 1.0, "behind it"),
                  Candidate(shipping, "dependency", 1.0, "named in its logs")]
    ranked = rank_hypotheses(evidence(candidates, [carrier, answer, relayed], changes, alarm=alarm_on(ALB),
                                      owners={"/ecs/shipping-svc": shipping, "/ecs/checkout-svc": checkout}))
    # THEN the failing calls of the shipping service are the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", shipping.key)


def test_a_balancer_change_does_not_explain_its_5xx_when_the_service_behind_it_runs_out_of_memory():
    # GIVEN a TLS listener change on the balancer 20 min before its 5xx rose, and the service behind it
    # logging that it is out of memory
    quote = ResourceRef("ecs", "pricing/quote-svc", REGION)
    alb = ResourceRef("alb", "app/quotes-alb/6d1a9c3e7b5f2048", REGION, {"targets": [quote.id]})
    oom = pattern("l1", "java.lang.OutOfMemoryError: Java heap space", 0, 40, group="/ecs/quote-svc",
                  exception="java.lang.OutOfMemoryError")
    elb_5xx = _anomaly("a1", alb, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb.id}, 0, 90)
    listener = _change("c1", "ModifyListener", f"{alb.id}/9f3c1a7e5b2d4086", 20, "elasticloadbalancing.amazonaws.com")
    candidates = [Candidate(alb, "alarm", 1.0), Candidate(quote, "dependency", 1.0, "behind it")]
    ranked = rank_hypotheses(evidence(candidates, [oom], [listener], anomalies=[elb_5xx], alarm=alarm_on(alb),
                                      owners={"/ecs/quote-svc": quote}))
    # THEN the service's memory is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("memory_exhaustion", quote.key)


def test_a_balancer_rule_change_is_the_cause_even_beside_a_host_pinned_for_hours():
    # GIVEN a listener rule change one minute before the balancer's own 5xx, and behind it one host whose CPU
    # has been pinned for two hours (a cron job) while the balancer answered fine
    host = ResourceRef("ec2", "i-0e1f2a3b4c5d6e7f8", REGION)
    alb = ResourceRef("alb", "app/portal-alb/0d1e2f3a4b5c6d7e", REGION, {"targets": [host.id]})
    rule = _change("c1", "ModifyRule", f"{alb.id}/8f2a1c3b5d7e9f01/4b6d8f0a2c4e6a8c", 1,
                   "elasticloadbalancing.amazonaws.com")
    elb_5xx = _anomaly("a1", alb, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb.id}, 0, 834)
    pinned = _anomaly("a2", host, "AWS/EC2", "CPUUtilization", {"InstanceId": host.id}, 28, 100, minutes_after=-107)
    candidates = [Candidate(alb, "alarm", 1.0), Candidate(host, "dependency", 1.0, "behind it")]
    ranked = rank_hypotheses(evidence(candidates, [], [rule], anomalies=[elb_5xx, pinned], alarm=alarm_on(alb),
                                      owners={}))
    # THEN the rule change is the cause: a limit reached long before explains no failure that began now
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", alb.key)


def test_a_secret_moved_to_a_key_its_reader_may_not_use_is_a_denial_not_a_setting():
    # GIVEN a function's secret updated (re-encrypted under a new KMS key) two minutes before onset, and from
    # then on only one new error: AccessDenied when the function reads it
    fn = ResourceRef(API.type, API.id, REGION, {"config_refs": [f"prod/{API.id}/postgres"]})
    secret = Change("c1", ONSET - timedelta(minutes=2), "secretsmanager.amazonaws.com", "UpdateSecret",
                    "AWS::SecretsManager::Secret", f"prod/{API.id}/postgres", "secops", REGION)
    denied = pattern("l1", "ClientError: An error occurred (AccessDeniedException) when calling the GetSecretValue "
                           "operation: Access to KMS is not allowed", 0, 190, exception="ClientError")
    ranked = rank_hypotheses(evidence([Candidate(fn, "alarm", 1.0)], [denied], changes=[secret]))
    # THEN the missing permission is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("permission_denied", fn.key)
    # AND a database refusing the login the changed secret now carries is that setting, not a permission
    login = pattern("l1", "MySqlConnector.MySqlException: Access denied for user 'orders_svc'@'10.0.1.5' (using "
                          "password: YES)", 0, 190, exception="MySqlException")
    ranked = rank_hypotheses(evidence([Candidate(fn, "alarm", 1.0)], [login], changes=[secret]))
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", fn.key)


def test_a_listener_certificate_its_clients_refuse_is_the_balancers_config_change():
    # GIVEN an internal balancer whose HTTPS listener was modified (a new certificate) a minute before onset,
    # and a service behind the public balancer that from then on fails its TLS handshakes, naming no host
    public = ResourceRef("alb", "app/shop-public/3e9b0c7d51a24f86", REGION)
    internal = ResourceRef("alb", "app/ledger-internal/0d6a2f9c4b1e7358", REGION, {"name": "ledger-internal"})
    web = ResourceRef("ecs", "payments/checkout-web", REGION)
    group = "/ecs/checkout-web"
    refused = pattern("l1", "Posting ledger entries failed: System.Net.Http.HttpRequestException: The SSL connection "
                            "could not be established ---> AuthenticationException: The remote certificate is invalid "
                            "because of errors in the certificate chain: PartialChain", 0, 160, group=group,
                      exception="HttpRequestException")
    listener = Change("c1", ONSET - timedelta(minutes=1), "elasticloadbalancing.amazonaws.com", "ModifyListener",
                      "AWS::ElasticLoadBalancingV2::Listener", f"{internal.id}/7a9c1e3b5d2f4608", "pki-bot", REGION)
    candidates = [Candidate(public, "alarm", 1.0), Candidate(web, "dependency", 1.0, "named in its logs"),
                  Candidate(internal, "upstream", 0.6)]
    ranked = rank_hypotheses(evidence(candidates, [refused], changes=[listener], alarm=alarm_on(public),
                                      owners={group: web}))
    # THEN the internal balancer's change is the cause, with the refused handshakes as its evidence
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", internal.key)
    assert "l1" in ranked[0].evidence_ids


def test_a_database_that_now_requires_encrypted_transport_is_its_parameter_change_even_unnamed():
    # GIVEN two hosts whose PHP errors name no database (the account's only one is just context), and a
    # parameter group change on that database a few minutes before they began
    db = ResourceRef("rds", "permits-db-01", REGION, {"parameter_groups": ["permits-mysql80-hardened"]})
    hosts = [ResourceRef("ec2", f"i-0b7d2e91c4a35f08{n}", REGION) for n in (1, 2)]
    alb = ResourceRef("alb", "app/permits-web/38569550354fc678", REGION, {"targets": [h.id for h in hosts]})
    group = "/permits/laravel"
    refused = pattern("l1", "production.ERROR: SQLSTATE[HY000] [3159] Connections using insecure transport are "
                            "prohibited while --require_secure_transport=ON. (Connection: mysql)", 0, 180, group=group)
    params = _change("c-params", "ModifyDBParameterGroup", "permits-mysql80-hardened", 5, "rds.amazonaws.com")
    candidates = [Candidate(alb, "alarm", 1.0), *(Candidate(h, "dependency", 1.0, "behind it") for h in hosts),
                  Candidate(db, "context", 0.35)]
    ranked = rank_hypotheses(evidence(candidates, [refused], [params], alarm=alarm_on(alb), owners={group: hosts[0]}))
    # THEN the database's configuration change is the cause, citing the refusals
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", db.key)
    assert "l1" in ranked[0].evidence_ids


def test_an_apis_fresh_deployment_does_not_explain_5xx_its_function_says_are_its_upstreams():
    # GIVEN an API deployed 3 min before its 5XX rose, whose execution log relays its function's 504s, and the
    # function's own lines saying the clearinghouse it calls timed out (now and then before, many times now)
    fn = ResourceRef("lambda", "eligibility-270", REGION)
    api = ResourceRef("apigateway", "member-services", REGION, {"api_id": "h5t8bq2n6c", "integrations": [fn.id]})
    api_logs, fn_logs = "API-Gateway-Execution-Logs_h5t8bq2n6c/prod", "/aws/lambda/eligibility-270"
    relayed = pattern("l1", "Endpoint response body before transformations: {\"statusCode\":504,\"body\":"
                            "\"eligibility upstream unavailable\"}", 8, 57, group=api_logs, level="INFO")
    upstream = pattern("l2", "ERROR ClearinghouseClient - POST https://edi.claimsbridge-hub.net/x12/v2/270 failed: "
                             "java.net.http.HttpTimeoutException: request timed out", 8, 59, group=fn_logs)
    five_xx = Anomaly("a1", "m1", MetricKey.of("AWS/ApiGateway", "5XXError", {"ApiName": api.id}, "Sum", REGION),
                      api, ONSET, 0.9, 0.0, 76.0, "up")
    deployed = _change("c1", "CreateDeployment", "h5t8bq2n6c", 3, "apigateway.amazonaws.com")
    candidates = [Candidate(api, "alarm", 1.0), Candidate(fn, "dependency", 1.0, "behind it")]
    ranked = rank_hypotheses(evidence(candidates, [relayed, upstream], [deployed], anomalies=[five_xx],
                                      alarm=alarm_on(api, "5XXError"), owners={api_logs: api, fn_logs: fn}))
    # THEN the function's failing dependency is the cause, not the API's deployment
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", fn.key)
