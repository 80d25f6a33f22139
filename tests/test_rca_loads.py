"""Ranking when load, limits and changes compete: relayed throttles, errors about a saturated
dependency after an old deploy, and timeouts of targets behind a surging load balancer."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from analyzers.model import Anomaly, Change, MetricKey, ResourceRef
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate
from tests.test_rca_rules import API, DB, ONSET, REGION, alarm_on, evidence, pattern

FRONT = ResourceRef("apigateway", "documents-api", REGION, {"api_id": "k7w2"})
FRONT_GROUP = "API-Gateway-Execution-Logs_k7w2/prod"


def _anomaly(resource: ResourceRef, namespace: str, metric: str, dims: dict, baseline: float, peak: float,
             aid: str, minutes: int = 0) -> Anomaly:
    key = MetricKey.of(namespace, metric, dims, "Sum", REGION)
    return Anomaly(aid, "m1", key, resource, ONSET + timedelta(minutes=minutes), 0.9, baseline, peak, "up")


def _stage_update(minutes_before: int) -> Change:
    return Change("c-stage", ONSET - timedelta(minutes=minutes_before), "apigateway.amazonaws.com", "UpdateStage",
                  "", FRONT.id, "ops", REGION)


def test_a_front_doors_429s_go_to_the_function_at_its_limit_not_to_a_stage_update():
    # GIVEN an API relaying "Lambda ... status: 429" while the function behind it throttles,
    # and an unrelated stage update on the API 23 min before
    relayed = pattern("l1", "Lambda invocation failed with status: 429. Lambda request id: <*>", 0, 900,
                      group=FRONT_GROUP)
    throttles = _anomaly(API, "AWS/Lambda", "Throttles", {"FunctionName": API.id}, 0, 39, "a1")
    candidates = [Candidate(FRONT, "alarm", 1.0), Candidate(API, "involved", 0.9, "Throttles rose")]
    ranked = rank_hypotheses(evidence(candidates, [relayed], [_stage_update(23)], anomalies=[throttles],
                                      alarm=alarm_on(FRONT, "5XXError"), owners={FRONT_GROUP: FRONT}))
    # THEN the throttled function is the origin and the relayed line is part of its evidence
    assert (ranked[0].category, ranked[0].resource.key) == ("throttling", API.key)
    assert "l1" in ranked[0].evidence_ids


def _deploy(minutes_before: int) -> Change:
    return Change("c-deploy", ONSET - timedelta(minutes=minutes_before), "lambda.amazonaws.com",
                  "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", API.id, "ci", REGION)


def test_errors_about_a_pinned_database_blame_it_not_a_deploy_that_ran_clean_for_an_hour():
    # GIVEN database errors in the function right when the database's CPU pins at 100 %
    errors = pattern("l1", "OperationalError: (3024, 'Query execution was interrupted, maximum statement "
                           "execution time exceeded') mysql", 0, 190, group="/aws/lambda/orders-api",
                     exception="OperationalError")
    cpu = _anomaly(DB, "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB.id}, 24, 99.9, "a1")
    candidates = [Candidate(API, "alarm", 1.0), Candidate(DB, "dependency", 1.0, "named in its logs")]

    def top(deployed_minutes_before: int):
        return rank_hypotheses(evidence(candidates, [errors], [_deploy(deployed_minutes_before)], anomalies=[cpu],
                                        alarm=alarm_on(API)))[0]
    # THEN with the deploy 55 min old the database is the origin; 5 min old, the deploy still is
    assert (top(55).category, top(55).resource.key) == ("cpu_saturation", DB.key)
    assert (top(5).category, top(5).resource.key) == ("bad_deployment", API.key)


def test_timeouts_of_the_targets_of_a_load_balancer_whose_requests_surged_are_the_surge():
    # GIVEN an ALB whose requests went x6, and worker timeouts on an instance behind it (CPU 88 %)
    alb = ResourceRef("alb", "app/promo-alb/8c1d", REGION, {"targets": ["i-0aa1"]})
    web = ResourceRef("ec2", "i-0aa1", REGION, {"name": "web-a"})
    requests = _anomaly(alb, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, 943, 5742, "a1")
    cpu = _anomaly(web, "AWS/EC2", "CPUUtilization", {"InstanceId": web.id}, 28, 88, "a2")
    timeouts = pattern("l1", "[CRITICAL] WORKER TIMEOUT (pid:<*>)", 0, 18, group="/promo/app")
    candidates = [Candidate(alb, "alarm", 1.0), Candidate(web, "dependency", 1.0, "behind it")]
    ranked = rank_hypotheses(evidence(candidates, [timeouts], anomalies=[requests, cpu],
                                      alarm=alarm_on(alb, "TargetResponseTime"), owners={"/promo/app": web}))
    # THEN the surge is the cause, not the busy (not pinned) CPU it produced
    assert (ranked[0].category, ranked[0].resource.key) == ("traffic_surge", alb.key)


def test_a_balancer_nothing_links_to_its_targets_still_carries_its_surge_to_the_involved_service():
    # GIVEN an ALB without known targets whose requests went x5, and an ECS service involved by timing
    # whose only new lines are gunicorn's bare CRITICAL worker timeouts (they name nothing they waited for)
    alb = ResourceRef("alb", "app/shop-alb/5e6f", REGION, {"name": "shop-alb"})
    web = ResourceRef("ecs", "shop/storefront", REGION, {"cluster": "shop"})
    requests = _anomaly(alb, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, 1570, 7842, "a1")
    timeouts = pattern("l1", "[2026-11-11 11:47:25 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:25)", 0, 91,
                       group="/ecs/storefront", level="CRITICAL")
    candidates = [Candidate(alb, "alarm", 1.0), Candidate(web, "involved", 0.9, "errors in its own logs")]
    ranked = rank_hypotheses(evidence(candidates, [timeouts], anomalies=[requests],
                                      alarm=alarm_on(alb, "TargetResponseTime"), owners={"/ecs/storefront": web}))
    # THEN the surge is the cause, not a dependency failure of the service
    assert (ranked[0].category, ranked[0].resource.key) == ("traffic_surge", alb.key)
    # AND a timeout naming what it waited for (a host:port) stays a dependency failure under the same surge
    named = pattern("l2", "call to ledger.internal:8443 timed out after 5000 ms", 0, 91, group="/ecs/storefront")
    ranked = rank_hypotheses(evidence(candidates, [named], anomalies=[requests],
                                      alarm=alarm_on(alb, "TargetResponseTime"), owners={"/ecs/storefront": web}))
    assert ranked[0].category == "dependency_failure"


def test_a_service_pinned_by_a_surge_to_several_times_its_usual_requests_is_the_surge():
    # GIVEN a balancer whose requests went from ~1,100 to ~9,800 a minute, and the ECS service behind it
    # whose CPU rose with them (a minute later) to 96 %, its alarm on that CPU; responses slowed
    alb = ResourceRef("alb", "app/tickets-public/0a2c", REGION, {"targets": ["onsale-api"]})
    web = ResourceRef("ecs", "tickets/onsale-api", REGION, {"cluster": "tickets"})
    requests = _anomaly(alb, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, 1100, 9800, "a1")
    alarm = alarm_on(web, "CPUUtilization")

    def top(cpu_minutes: int, peak_requests: float = 9800):
        cpu = _anomaly(web, "AWS/ECS", "CPUUtilization", {"ClusterName": "tickets", "ServiceName": "onsale-api"},
                       30, 96, "a2", minutes=cpu_minutes)
        surge = _anomaly(alb, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, 1100, peak_requests,
                         "a1")
        slow = _anomaly(alb, "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb.id}, 0.05, 2.4, "a3",
                        minutes=2)
        return rank_hypotheses(evidence([Candidate(web, "alarm", 1.0), Candidate(alb, "upstream", 0.6, "calls it")],
                                        anomalies=[surge, cpu, slow], alarm=alarm, owners={}))[0]
    # THEN the surge is the cause: the service is at its ceiling because of the load
    assert (top(1).category, top(1).resource.key) == ("traffic_surge", alb.key)
    # AND a CPU pinned ten minutes before the requests rose, or under a mere doubling, is the CPU's own
    assert (top(-10).category, top(-10).resource.key) == ("cpu_saturation", web.key)
    assert (top(1, peak_requests=2400).category, top(1, peak_requests=2400).resource.key) == ("cpu_saturation",
                                                                                              web.key)
    assert requests.peak / requests.baseline > 4


def test_nginx_failing_on_its_own_hosts_php_fpm_socket_under_a_surge_is_the_surge():
    # GIVEN a balancer whose requests went from ~750 to ~4,300 a minute, and on the instance behind it nginx
    # failing on its local PHP-FPM socket: pool full ("Resource temporarily unavailable") and timeouts
    alb = ResourceRef("alb", "app/tickets-alb/7a2c", REGION, {"targets": ["i-0d1f3b5a"]})
    web = ResourceRef("ec2", "i-0d1f3b5a", REGION, {"name": "tickets-web-1"})
    requests = _anomaly(alb, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, 750, 4300, "a1")
    upstream = 'client: 10.9.0.12, server: tickets.example.sg, upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:"'
    full = pattern("l1", f"[error] 2114#2114: *216825 connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource "
                         f"temporarily unavailable) while connecting to upstream, {upstream}", 0, 24, group="/nginx/error")
    slow = pattern("l2", f"[error] 2114#2114: *216746 upstream timed out (110: Connection timed out) while reading "
                         f"response header from upstream, {upstream}", 0, 38, group="/nginx/error")
    ranked = rank_hypotheses(evidence([Candidate(alb, "alarm", 1.0), Candidate(web, "dependency", 1.0, "behind it")],
                                      [full, slow], anomalies=[requests], alarm=alarm_on(alb, "TargetResponseTime"),
                                      owners={"/nginx/error": web}))
    # THEN the surge is the cause, not a dependency failure of the instance (its upstream is its own FPM)
    assert (ranked[0].category, ranked[0].resource.key) == ("traffic_surge", alb.key)


def test_a_database_pinned_right_after_its_callers_release_is_that_release_when_the_caller_then_fails():
    # GIVEN the database's own CPU alarm, its CPU pinned from onset with flat traffic, and its caller (whose
    # configuration names the database) deployed 8 minutes before; another client of it deployed as well
    caller = ResourceRef("lambda", "orders-api", REGION, {"env_refs": ["orders-db"]})
    other = ResourceRef("lambda", "report-builder", REGION, {"env_refs": ["orders-db"]})
    db_alarm = replace(alarm_on(DB), name="orders-db-cpu", namespace="AWS/RDS", metric="CPUUtilization",
                       dimensions=(("DBInstanceIdentifier", DB.id),), statistic="Average", threshold=90)
    cpu = _anomaly(DB, "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB.id}, 27, 97, "a1")
    timeouts = pattern("l1", "QueryCanceled: canceling statement due to statement timeout", 0, 40,
                       group="/aws/lambda/orders-api", exception="QueryCanceled")
    candidates = [Candidate(DB, "alarm", 1.0), Candidate(caller, "involved", 0.9, "its configuration names it"),
                  Candidate(other, "involved", 0.9, "its configuration names it")]
    changes = [Change("c1", ONSET - timedelta(minutes=8), "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
                      "AWS::Lambda::Function", caller.id, "ci", REGION),
               Change("c2", ONSET - timedelta(minutes=5), "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
                      "AWS::Lambda::Function", other.id, "ci", REGION)]
    search = ResourceRef("lambda", "search-api", REGION, {"env_refs": ["orders-db"]})
    candidates.append(Candidate(search, "involved", 0.9, "its configuration names it"))
    owners = {"/aws/lambda/orders-api": caller, "/aws/lambda/report-builder": other, "/aws/lambda/search-api": search}

    def top(lines):
        return rank_hypotheses(evidence(candidates, lines, changes, anomalies=[cpu], alarm=db_alarm,
                                        owners=owners))[0]
    # WHEN the caller's own lines then show new errors THEN its release is the cause, not the busy database
    assert (top([timeouts]).category, top([timeouts]).resource.key) == ("bad_deployment", caller.key)
    assert "a1" in top([timeouts]).evidence_ids  # the pinned CPU is what the release did
    # AND when only a client nobody deployed times out (the releases are bystanders) the pinned database is
    victim = pattern("l1", timeouts.template, 0, 40, group="/aws/lambda/search-api", exception="QueryCanceled")
    assert (top([victim]).category, top([victim]).resource.key) == ("cpu_saturation", DB.key)
