"""Ranking rules about limits: a setting that lowers a limit, a front door's own settings, the account's
shared Lambda concurrency, connections at max_connections, a disk the agent reports full."""
from __future__ import annotations

from datetime import timedelta

from analyzers.changes import candidates_named, change_kind, touches
from analyzers.model import Anomaly, Change, MetricKey, ResourceRef, Series
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate
from tests.test_rca_rules import API, ONSET, REGION, alarm_on, evidence, pattern

DB = ResourceRef("rds", "catalog-db", REGION, {"max_connections": 120, "parameter_groups": ["catalog-mysql80"]})
DB_GROUP = "/aws/lambda/orders-api"


def _change(name: str, resource_name: str, source: str, minutes_before: float = 5, cid: str = "c1") -> Change:
    return Change(cid, ONSET - timedelta(minutes=minutes_before), source, name, None, resource_name, "ops", REGION)


def _anomaly(aid: str, resource: ResourceRef, namespace: str, metric: str, dims: dict[str, str],
             baseline: float, peak: float, minutes_after: float = 1) -> Anomaly:
    key = MetricKey.of(namespace, metric, dims, "Sum", REGION)
    return Anomaly(aid, f"m{aid}", key, resource, ONSET + timedelta(minutes=minutes_after), 0.9, baseline, peak, "up")


def _series(sid: str, resource_dims: dict[str, str], namespace: str, metric: str, values: list[float]) -> Series:
    key = MetricKey.of(namespace, metric, resource_dims, "Maximum", REGION)
    stamps = tuple(ONSET.timestamp() + 60 * (i - len(values) + 10) for i in range(len(values)))
    return Series(sid, key, stamps, tuple(values), "Count")


def test_a_parameter_group_change_that_lowers_max_connections_is_the_config_change_not_the_exhaustion():
    # GIVEN a DBA's parameter-group change 5 min before clients fail with "Too many connections"
    full = pattern("l1", "java.sql.SQLNonTransientConnectionException: Too many connections", 0, 300)
    modify = _change("ModifyDBParameterGroup", "catalog-mysql80", "rds.amazonaws.com")
    candidates = [Candidate(API, "alarm", 1.0), Candidate(DB, "dependency", 1.0, "referenced in its configuration")]
    # WHEN ranked
    ranked = rank_hypotheses(evidence(candidates, [full], [modify], owners={DB_GROUP: API}))
    # THEN the configuration change of the database is the cause, the exhaustion its symptom
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", DB.key)
    assert {"c:c1", "l1"} <= set(ranked[0].evidence_ids)


def test_a_configuration_call_that_sets_no_concurrency_does_not_explain_throttling():
    # GIVEN a function whose Throttles rose, and an UpdateFunctionConfiguration (env vars, not concurrency) on it
    throttles = _anomaly("a1", API, "AWS/Lambda", "Throttles", {"FunctionName": API.id}, 0, 40)
    update = _change("UpdateFunctionConfiguration20150331v2", API.id, "lambda.amazonaws.com", minutes_before=30)
    ranked = rank_hypotheses(evidence([Candidate(API, "alarm", 1.0)], [], [update], anomalies=[throttles]))
    # THEN throttling stays the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("throttling", API.key)
    # AND PutFunctionConcurrency (which sets it) would be the config change
    lowered = _change("PutFunctionConcurrency20171031", API.id, "lambda.amazonaws.com", minutes_before=30)
    ranked = rank_hypotheses(evidence([Candidate(API, "alarm", 1.0)], [], [lowered], anomalies=[throttles]))
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", API.key)


def test_a_front_door_failing_right_after_its_own_settings_changed_is_a_config_change():
    # GIVEN a load balancer whose idle timeout was lowered 1 min before its own 5xx rose; it logs nothing
    alb = ResourceRef("alb", "app/shop-web/9b8a7c6d5e4f3a21", REGION)
    modify = _change("ModifyLoadBalancerAttributes", alb.id, "elasticloadbalancing.amazonaws.com", 1)
    errors = _anomaly("a1", alb, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb.id}, 0, 46)
    ranked = rank_hypotheses(evidence([Candidate(alb, "alarm", 1.0)], [], [modify], anomalies=[errors],
                                      alarm=alarm_on(alb, "HTTPCode_ELB_5XX_Count"), owners={}))
    # THEN its configuration change is the cause, citing the change and the errors
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", alb.key)
    assert {"c:c1", "a1"} <= set(ranked[0].evidence_ids)


def test_a_listener_rule_change_names_its_balancer_and_is_a_configuration_change():
    alb = ResourceRef("alb", "app/booking-alb/6d2f8e0b19c47a53", REGION)
    arn = ("arn:aws:elasticloadbalancing:eu-west-3:123456789012:listener-rule/app/booking-alb/6d2f8e0b19c47a53/"
           "0f3e5a7c9b1d2e48/8a1c2e4f6b9d0a13")
    # GIVEN a ModifyRule on one of the balancer's listener rules
    rule = _change("ModifyRule", arn, "elasticloadbalancing.amazonaws.com")
    # THEN it names the balancer and counts as a configuration change of it
    assert {"app/booking-alb/6d2f8e0b19c47a53", "booking-alb"} <= candidates_named(arn)
    assert touches(rule, alb) and change_kind(rule) == "config"


def test_a_function_that_took_the_accounts_shared_concurrency_is_where_the_throttling_starts():
    # GIVEN two functions without reservations throttling while a batch function's concurrency jumps to 930
    shop = ResourceRef("lambda", "checkout-confirm", REGION)
    cart = ResourceRef("lambda", "cart-sync", REGION)
    batch = ResourceRef("lambda", "report-backfill", REGION)
    anomalies = [_anomaly("a1", shop, "AWS/Lambda", "Throttles", {"FunctionName": shop.id}, 0, 30, 3),
                 _anomaly("a2", cart, "AWS/Lambda", "Throttles", {"FunctionName": cart.id}, 0, 48, 3),
                 _anomaly("a3", batch, "AWS/Lambda", "ConcurrentExecutions", {"FunctionName": batch.id}, 0, 930, -2)]
    series = [_series("m1", {"FunctionName": shop.id}, "AWS/Lambda", "ConcurrentExecutions", [20.0] * 30),
              _series("m2", {"FunctionName": cart.id}, "AWS/Lambda", "ConcurrentExecutions", [35.0] * 30)]
    candidates = [Candidate(shop, "alarm", 1.0), Candidate(cart, "involved", 0.9, "Throttles rose"),
                  Candidate(batch, "context", 0.35)]
    ev = evidence(candidates, anomalies=anomalies, alarm=alarm_on(shop, "Throttles"), owners={})
    ranked = rank_hypotheses(type(ev)(**{**ev.__dict__, "series": series}))
    # THEN the throttling originates in the function that took the pool
    assert (ranked[0].category, ranked[0].resource.key) == ("throttling", batch.key)
    assert "a3" in ranked[0].evidence_ids
    # AND the taker still is the origin once it throttles too, having drained the pool itself
    drained = [*anomalies, _anomaly("a4", batch, "AWS/Lambda", "Throttles", {"FunctionName": batch.id}, 0, 5000, 3)]
    series_all = [*series, _series("m3", {"FunctionName": batch.id}, "AWS/Lambda", "ConcurrentExecutions",
                                   [3.0] * 20 + [930.0] * 10)]
    ev = evidence(candidates, anomalies=drained, alarm=alarm_on(shop, "Throttles"), owners={})
    ranked = rank_hypotheses(type(ev)(**{**ev.__dict__, "series": series_all}))
    assert (ranked[0].category, ranked[0].resource.key) == ("throttling", batch.key)
    # AND a function with its own reservation at its limit is not someone else's victim
    reserved = ResourceRef("lambda", "checkout-confirm", REGION, {"reserved_concurrency": 20})
    ev = evidence([Candidate(reserved, "alarm", 1.0), Candidate(batch, "context", 0.35)], anomalies=anomalies[::2],
                  alarm=alarm_on(reserved, "Throttles"), owners={})
    assert rank_hypotheses(type(ev)(**{**ev.__dict__, "series": series}))[0].resource.key == reserved.key


def test_a_function_whose_concurrency_series_begins_with_the_incident_took_the_pool_from_zero():
    # GIVEN a queue consumer idle until just before onset (Lambda publishes no ConcurrentExecutions for a
    # function nobody invokes: its series begins there, at 950, with no anomaly to date) while an API throttles
    api, batch = ResourceRef("lambda", "search-api", REGION), ResourceRef("lambda", "catalog-backfill", REGION)
    throttles = _anomaly("a1", api, "AWS/Lambda", "Throttles", {"FunctionName": api.id}, 0, 48, 1)
    own = _series("m1", {"FunctionName": api.id}, "AWS/Lambda", "ConcurrentExecutions", [2.0] * 300)
    taken = _series("m2", {"FunctionName": batch.id}, "AWS/Lambda", "ConcurrentExecutions",
                    [480.0, 950.0] + [960.0] * 10)
    candidates = [Candidate(api, "alarm", 1.0), Candidate(batch, "context", 0.35)]

    def top(series):
        ev = evidence(candidates, anomalies=[throttles], alarm=alarm_on(api, "Throttles"), owners={})
        return rank_hypotheses(type(ev)(**{**ev.__dict__, "series": series}))[0]
    # THEN the throttling starts in the consumer that came up from zero and took the pool
    assert (top([own, taken]).category, top([own, taken]).resource.key) == ("throttling", batch.key)
    assert "m2" in top([own, taken]).evidence_ids
    # AND a series that was there all along (no anomaly: it always runs that high) takes nothing from anyone
    steady = _series("m2", {"FunctionName": batch.id}, "AWS/Lambda", "ConcurrentExecutions", [960.0] * 300)
    assert top([own, steady]).resource.key == api.key


def test_connections_at_max_connections_are_exhaustion_even_without_an_onset():
    # GIVEN connections that crept up to the 120 limit and stay there; the DB's own log notes timeouts (info level)
    db = ResourceRef("rds", "catalog-db", REGION, {"max_connections": 120})
    series = [_series("m1", {"DBInstanceIdentifier": db.id}, "AWS/RDS", "DatabaseConnections",
                      [100.0 + i for i in range(20)] + [120.0] * 10)]
    notes = pattern("l1", "[Note] Aborted connection 12 to db (Got timeout reading communication packets)", 0, 30,
                    group="/aws/rds/instance/catalog-db/error", level="INFO")
    full = pattern("l2", "request failed: Error: Too many connections", 0, 300)
    owners = {DB_GROUP: API, "/aws/rds/instance/catalog-db/error": db}
    ev = evidence([Candidate(API, "alarm", 1.0), Candidate(db, "dependency", 1.0)], [notes, full], owners=owners)
    ranked = rank_hypotheses(type(ev)(**{**ev.__dict__, "series": series}))
    # THEN the database's connections are the cause, not a failure of the database
    assert (ranked[0].category, ranked[0].resource.key) == ("db_connection_exhaustion", db.key)
    assert "m1" in ranked[0].evidence_ids
    assert "dependency_failure" not in [h.category for h in ranked if h.resource.key == db.key]


def test_a_data_disk_the_agent_reports_full_is_storage_exhaustion():
    # GIVEN an instance whose /var/app volume filled to 100 % over the day (no onset) and whose app now fails
    host = ResourceRef("ec2", "i-02b4d6f8103c5e7a9", REGION, {"name": "reportgen-02"})
    series = [_series("m1", {"InstanceId": host.id, "path": "/var/app", "device": "nvme1n1", "fstype": "xfs"},
                      "CWAgent", "disk_used_percent", [90.0 + i / 3 for i in range(30)])]
    failing = pattern("l1", "Servlet.service() for servlet [dispatcherServlet] threw exception", 0, 400,
                      group="/reports/app", exception="com.example.ExportException")
    ev = evidence([Candidate(host, "involved", 0.9)], [failing], owners={"/reports/app": host})
    ranked = rank_hypotheses(type(ev)(**{**ev.__dict__, "series": series}))
    # THEN the full disk is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("storage_exhaustion", host.key)
    assert "/var/app" in " ".join(ranked[0].evidence)


def test_a_front_doors_own_quota_and_integration_role_are_its_own_faults():
    from analyzers.rca import log_categories

    api = ResourceRef("apigateway", "partner-catalog-api", REGION)
    group = "/aws/apigateway/partner-catalog-api/v2-access"
    # GIVEN a usage-plan quota running out ("Limit Exceeded" for every request of one key)
    quota = pattern("l1", "Limit Exceeded", 0, 1377, group=group, level=None)
    ranked = rank_hypotheses(evidence([Candidate(api, "alarm", 1.0)], [quota], owners={group: api},
                                      alarm=alarm_on(api, "4XXError")))
    # THEN it is the front door's own throttling
    assert (ranked[0].category, ranked[0].resource.key) == ("throttling", api.key)
    # AND an integration role it cannot assume is a permission fault, while a memory limit is not throttling
    assert log_categories("Execution failed due to configuration error: API Gateway does not have permission "
                          "to assume the provided role arn:aws:iam::1:role/intake") == ["permission_denied"]
    assert log_categories("Runtime exited: memory limit exceeded") == ["memory_exhaustion"]


def test_a_database_busy_under_its_callers_surge_is_the_surge():
    from analyzers.topology import select_candidates

    db = ResourceRef("rds", "promo-db", REGION, {"max_connections": 2000})
    fn = ResourceRef("lambda", "promo-redeem", REGION, {"env_refs": ["promo-db"]})
    api = ResourceRef("apigateway", "promo-api", REGION, {"integration": "promo-redeem"})
    # GIVEN a CPU alarm on the database; its caller is linked only by the host in its environment
    candidates = select_candidates(db, [db, fn, api], [])
    assert {c.resource.key: c.relation for c in candidates}[fn.key] == "upstream"
    # AND the caller's invocations x10 while the database's CPU climbs to 85 % (not pinned) and its connections
    # rise far below the limit; the database was modified 90 min earlier
    anomalies = [_anomaly("a1", fn, "AWS/Lambda", "Invocations", {"FunctionName": fn.id}, 370, 3583),
                 _anomaly("a2", api, "AWS/ApiGateway", "Count", {"ApiName": api.id}, 370, 3583),
                 _anomaly("a3", db, "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db.id}, 21, 85, 2),
                 _anomaly("a4", db, "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db.id}, 94, 308)]
    modify = _change("ModifyDBInstance", db.id, "rds.amazonaws.com", minutes_before=90)
    ranked = rank_hypotheses(evidence(candidates, [], [modify], anomalies=anomalies, owners={},
                                      alarm=alarm_on(db, "CPUUtilization")))
    # THEN the traffic surge of its callers is the cause, not the busy CPU nor the old modification
    assert ranked[0].category == "traffic_surge" and ranked[0].resource.key in (fn.key, api.key)
    assert "config_change" not in [h.category for h in ranked[:2]]


def test_a_bare_listener_rule_path_names_its_balancer_and_a_deployment_group_its_fleet():
    # GIVEN a listener-rule named without the ARN prefix, and a CodeDeploy deployment to a group
    assert "booking-alb" in candidates_named("listener-rule/app/booking-alb/5e1f3a7c9d2b4068/9c1e2d3f/0f1e2d3c")
    host = ResourceRef("ec2", "i-0a7c3e5b9d1f20486", REGION, {"name": "shipping-api-1",
                                                               "deployment_group": "shipping-api-prod"})
    deploy = _change("CreateDeployment", "shipping-api-prod", "codedeploy.amazonaws.com")
    # THEN the instances of that group are touched by the deployment
    assert touches(deploy, host)


def test_errors_already_logged_before_a_release_are_not_its_doing():
    # GIVEN a new TypeError first logged 5 min before a code deploy that landed inside the alarm's 5-min period
    errors = pattern("l1", "TypeError: unsupported operand type(s) for *: 'decimal.Decimal' and 'NoneType'", 0, 109,
                     exception="TypeError")
    errors = type(errors)(**{**errors.__dict__, "first_seen": ONSET})
    release = Change("c1", ONSET + timedelta(minutes=4, seconds=40), "lambda.amazonaws.com",
                     "UpdateFunctionCode20150331v2", None, API.id, "ci", REGION)
    alarm = alarm_on(API)
    alarm = type(alarm)(**{**alarm.__dict__, "period": 300})
    ranked = rank_hypotheses(evidence([Candidate(API, "alarm", 1.0)], [errors], [release], alarm=alarm))
    # THEN the error is the application's own, not the release's
    assert (ranked[0].category, ranked[0].resource.key) == ("application_error", API.key)
    # AND a release followed by a new error of its own is still the cause, beside an older error pattern
    fresh = pattern("l2", "NoMethodError: undefined method `zone' for nil", 0, 80, exception="NoMethodError")
    fresh = type(fresh)(**{**fresh.__dict__, "first_seen": ONSET + timedelta(minutes=6)})
    ranked = rank_hypotheses(evidence([Candidate(API, "alarm", 1.0)], [errors, fresh], [release], alarm=alarm))
    assert (ranked[0].category, ranked[0].resource.key) == ("bad_deployment", API.key)


def test_a_caller_released_minutes_before_that_only_relays_its_callees_fault_is_not_the_cause():
    caller = ResourceRef("lambda", "order-api", REGION)
    callee = ResourceRef("lambda", "fulfilment-svc", REGION)
    denied = pattern("l1", "ClientError: An error occurred (AccessDeniedException) when calling the UpdateItem "
                           "operation", 0, 188, group="/aws/lambda/fulfilment-svc")
    relayed = pattern("l2", "fulfilment-svc invocation failed: FunctionError=Unhandled errorType=ClientError", 0, 87,
                      group="/aws/lambda/order-api")
    role = Change("c2", ONSET - timedelta(seconds=40), "iam.amazonaws.com", "PutRolePolicy", None, "fulfilment-svc-role",
                  "terraform", REGION)
    callee = ResourceRef("lambda", "fulfilment-svc", REGION, {"role": "fulfilment-svc-role"})
    candidates = [Candidate(caller, "alarm", 1.0), Candidate(callee, "dependency", 1.0, "named in its logs")]
    # GIVEN the caller released 12 min before onset and its callee's role rewritten just before it
    ranked = rank_hypotheses(evidence(candidates, [denied, relayed], [_change(
        "UpdateFunctionCode20150331v2", caller.id, "lambda.amazonaws.com", minutes_before=12), role],
        alarm=alarm_on(caller), owners={"/aws/lambda/fulfilment-svc": callee, "/aws/lambda/order-api": caller}))
    # THEN the callee's permission fault is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("permission_denied", callee.key)
