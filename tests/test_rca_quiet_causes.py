"""Quiet causes and their look-alikes, from held-out incidents: one instance of a fleet pinned for hours by
a job of its own, a database whose disk stalls, a database log naming its clients, nginx timing out on the
app of its own host under a surge, a pool that runs dry because the host's CPU is pinned."""
from __future__ import annotations

from analyzers.model import ResourceRef
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate, downstream_ids, mentioned_resources
from tests.test_rca_limits import _anomaly, _series
from tests.test_rca_rules import ONSET, REGION, alarm_on, evidence, pattern

ALB = ResourceRef("alb", "app/search-alb/3f9b2d71c4e8a605", REGION, {"target_groups": ["search-api-tg"]})
HOST_1 = ResourceRef("ec2", "i-04d7e1b2a9c3f5608", REGION, {"name": "search-api-1"})
HOST_2 = ResourceRef("ec2", "i-0b8e2f4c6a1d3e597", REGION, {"name": "search-api-2"})
FLEET = [Candidate(ALB, "alarm", 1.0), Candidate(HOST_1, "dependency", 1.0, "behind it"),
         Candidate(HOST_2, "dependency", 1.0, "behind it")]
HOST_GROUPS = {"/ec2/search/nginx-error": HOST_1}


def _cpu(host: ResourceRef, level: float):
    return _series(f"cpu-{host.id}", {"InstanceId": host.id}, "AWS/EC2", "CPUUtilization", [level] * 40)


def test_the_members_of_a_fleet_are_behind_the_balancer_of_their_target_group():
    # GIVEN target group "search-api-tg" and instances named search-api-1 and search-api-2
    # THEN both are behind the balancer
    assert set(downstream_ids(ALB, [ALB, HOST_1, HOST_2])) == {HOST_1.key, HOST_2.key}


def test_one_instance_pinned_for_hours_while_the_rest_of_its_fleet_is_not_is_cpu_saturation():
    # GIVEN the balancer's latency rose; one member's CPU has been at 98 % all window, the other's at 40 %
    latency = _anomaly("a1", ALB, "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": ALB.id}, 0.17, 1.8)
    ev = evidence(FLEET, anomalies=[latency], alarm=alarm_on(ALB, "TargetResponseTime"), owners={})
    ev.series.extend([_cpu(HOST_1, 98.0), _cpu(HOST_2, 40.0)])
    ranked = rank_hypotheses(ev)
    # THEN the pinned member is saturated, however long it has been
    assert (ranked[0].category, ranked[0].resource.key) == ("cpu_saturation", HOST_1.key)
    assert any("rest of its fleet" in line for line in ranked[0].evidence)
    # AND a whole fleet pinned together says nothing about one member
    even = evidence(FLEET, anomalies=[latency], alarm=alarm_on(ALB, "TargetResponseTime"), owners={})
    even.series.extend([_cpu(HOST_1, 98.0), _cpu(HOST_2, 97.0)])
    assert not any("rest of its fleet" in line for h in rank_hypotheses(even) for line in h.evidence)


API = ResourceRef("ecs", "claims/claims-api", REGION)
CLAIMS_DB = ResourceRef("rds", "claims-pg", REGION)
REPORTING_DB = ResourceRef("rds", "claims-reporting-pg", REGION)
NPGSQL = ("fail: Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware[1] Npgsql.NpgsqlException (0x80004005): "
          "Exception while reading from stream ---> System.TimeoutException: Timeout during reading attempt")


def test_a_database_whose_disk_stalls_is_the_one_its_clients_unnamed_errors_are_about():
    # GIVEN a client's unnamed Npgsql read timeouts, two databases in the account, and one of them whose
    # read latency went from 1 ms to 300 ms at onset
    timeouts = pattern("l1", NPGSQL, 0, 120, group="/ecs/claims-api")
    stall = _anomaly("a1", CLAIMS_DB, "AWS/RDS", "ReadLatency", {"DBInstanceIdentifier": CLAIMS_DB.id}, 0.001, 0.3)
    candidates = [Candidate(API, "alarm", 1.0), Candidate(CLAIMS_DB, "context", 0.35),
                  Candidate(REPORTING_DB, "context", 0.35)]
    ranked = rank_hypotheses(evidence(candidates, [timeouts], anomalies=[stall], alarm=alarm_on(API),
                                      owners={"/ecs/claims-api": API}))
    # THEN the stalled database is the failing dependency
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", CLAIMS_DB.key)


def test_a_database_logs_session_prefix_names_a_client_not_a_dependency():
    shipments = ResourceRef("ecs", "fulfilment-prd/shipment-api", REGION)
    line = ("2026-03-10 03:21:07 UTC:10.4.2.17(51234):shipment_api@fulfilment:[20417]:ERROR: canceling statement "
            "due to statement timeout")
    # GIVEN a PostgreSQL error whose log_line_prefix holds the session's user "shipment_api"
    # THEN it names no dependency (the user is a caller), unless callers are asked for
    assert mentioned_resources([line], [shipments]) == {}
    assert set(mentioned_resources([line], [shipments], callers=True)) == {shipments.key}


def test_nginx_timing_out_on_the_app_of_its_own_host_under_a_surge_is_the_surge():
    # GIVEN the balancer's requests up 10x, and nginx on a member timing out on its local app (127.0.0.1)
    surge = _anomaly("a1", ALB, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": ALB.id}, 660, 7800)
    local = pattern("l1", "[error] 1402#1402: *904768 upstream timed out (110: Connection timed out) while reading "
                    'response header from upstream, client: 10.0.1.5, server: tickets.example.com, request: "GET '
                    '/account HTTP/1.1", upstream: "http://127.0.0.1:8000/account", host: "tickets.example.com"',
                    0, 35, group="/ec2/search/nginx-error")
    ranked = rank_hypotheses(evidence(FLEET, [local], anomalies=[surge], alarm=alarm_on(ALB, "RequestCount"),
                                      owners=HOST_GROUPS))
    # THEN the surge is the cause, not a dependency of the host
    assert (ranked[0].category, ranked[0].resource.key) == ("traffic_surge", ALB.key)


def test_a_pool_that_runs_dry_on_a_host_whose_cpu_is_pinned_is_the_cpu():
    db = ResourceRef("rds", "quotes-pg", REGION, {"max_connections": 400})
    # GIVEN a host's own Hikari pool timing out while its database has room, and that host's CPU pinned
    dry = pattern("l1", "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, "
                  "request timed out after 30000ms (total=20, active=20, idle=0, waiting=48)", 0, 49,
                  group="/ec2/search/nginx-error")
    cpu = _anomaly("a1", HOST_1, "AWS/EC2", "CPUUtilization", {"InstanceId": HOST_1.id}, 30, 99)
    ev = evidence([*FLEET, Candidate(db, "context", 0.35)], [dry], anomalies=[cpu],
                  alarm=alarm_on(ALB, "TargetResponseTime"), owners=HOST_GROUPS)
    ev.series.append(_series("c1", {"DBInstanceIdentifier": db.id}, "AWS/RDS", "DatabaseConnections", [60.0] * 40))
    ranked = rank_hypotheses(ev)
    # THEN the pinned CPU is the cause, the pool its symptom
    assert (ranked[0].category, ranked[0].resource.key) == ("cpu_saturation", HOST_1.key)


def test_errors_one_sample_before_the_requests_rose_are_not_their_retries():
    web = ResourceRef("ecs", "tix/onsale-web", REGION)
    alb = ResourceRef("alb", "app/tix-onsale/1f4b7c2d9e3a6b80", REGION, {"targets": ["tix/onsale-web"]})
    candidates = [Candidate(alb, "alarm", 1.0), Candidate(web, "dependency", 1.0, "behind it")]

    def ranked(lead_minutes: float):
        errors = _anomaly("a1", alb, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb.id}, 0, 900,
                          minutes_after=0)
        volume = _anomaly("a2", alb, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, 3000, 24000,
                          minutes_after=lead_minutes)
        return rank_hypotheses(evidence(candidates, anomalies=[errors, volume],
                                        alarm=alarm_on(alb, "TargetResponseTime"), owners={}))
    # GIVEN a balancer's 5xx rising in the 1-minute sample before its requests rose 8-fold (a ramp the
    # detector dates one sample later): the two cannot be ordered within a sample
    # THEN it is a surge
    assert (ranked(1)[0].category, ranked(1)[0].resource.key) == ("traffic_surge", alb.key)
    # AND volume that rose only minutes after the errors began is their retries, not a surge
    assert ranked(4)[0].category != "traffic_surge"


def test_an_instance_refresh_of_a_launch_template_version_touches_the_fleet():
    from datetime import timedelta

    from analyzers.changes import touches
    from analyzers.model import Change
    node = ResourceRef("ec2", "i-0b19e6c4a2d8f7035", REGION, {"name": "pricing-api", "asg": "pricing-api-asg",
                                                               "launch_template": "pricing-api-lt:v42"})
    # GIVEN an instance whose Auto Scaling group and launch template are written "asg" and "<template>:v42"
    # THEN a new template version and the group's instance refresh touch it
    for event, name in (("CreateLaunchTemplateVersion", "pricing-api-lt"), ("StartInstanceRefresh", "pricing-api-asg")):
        change = Change("c1", ONSET - timedelta(minutes=40), "ec2.amazonaws.com", event, None, name, "ci", REGION)
        assert touches(change, node)


def test_a_drivers_unnamed_query_timeouts_point_at_the_database_whose_cpu_is_pinned():
    # GIVEN a service behind a balancer whose node-postgres queries time out naming no host, and two
    # databases nothing links it to: a primary whose CPU went from 35 % to 99 %, and its idle replica
    alb = ResourceRef("alb", "app/storefront-alb/9b1d", REGION, {"name": "storefront-alb"})
    web = ResourceRef("ecs", "web/storefront", REGION, {"cluster": "web", "service": "storefront"})
    primary = ResourceRef("rds", "catalog-pg", REGION, {"max_connections": 800})
    replica = ResourceRef("rds", "catalog-pg-replica", REGION, {"read_replica_source": "catalog-pg"})
    candidates = [Candidate(alb, "alarm", 1.0), Candidate(web, "dependency", 1.0, "behind it"),
                  Candidate(primary, "context", 0.35), Candidate(replica, "context", 0.35)]
    group = "/ecs/storefront"
    timeouts = pattern("l1", "GET /category/shoes failed: Error: Query read timeout", 0, 140, group=group)
    pinned = _anomaly("1", primary, "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": primary.id}, 35.0, 99.0)
    # WHEN ranked
    ranked = rank_hypotheses(evidence(candidates, [timeouts], anomalies=[pinned],
                                      alarm=alarm_on(alb, "TargetResponseTime"), owners={group: web}))
    # THEN the saturated primary is the cause, not a failing dependency of the service
    assert (ranked[0].category, ranked[0].resource.key) == ("cpu_saturation", primary.key)


def test_a_request_step_is_a_surge_even_when_the_error_episode_began_on_a_wobble_before_it():
    # GIVEN a balancer whose requests step 7-fold at onset, and whose target 5xx step with them; the detector's
    # 5xx episode began 8 minutes earlier on a wobble (0 -> 6 a minute)
    alb = ResourceRef("alb", "app/search-alb/3c5e", REGION, {"name": "search-alb"})
    dims = {"LoadBalancer": alb.id}
    errors = _series("m1", dims, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", [0.0] * 32 + [6.0] * 8 + [900.0] * 10)
    requests = _series("m2", dims, "AWS/ApplicationELB", "RequestCount", [2000.0] * 40 + [14000.0] * 10)
    wobble = _anomaly("1", alb, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, 0.0, 917.0, -8)
    step = _anomaly("2", alb, "AWS/ApplicationELB", "RequestCount", dims, 2000.0, 15000.0, 0)
    wobble, step = (a.__class__(**{**a.__dict__, "series_id": s.id}) for a, s in ((wobble, errors), (step, requests)))
    ev = evidence([Candidate(alb, "alarm", 1.0)], anomalies=[wobble, step], alarm=alarm_on(alb, "TargetResponseTime"))
    # WHEN ranked
    ranked = rank_hypotheses(ev.__class__(**{**ev.__dict__, "series": [errors, requests]}))
    # THEN the requests rose with the errors, not after them: a surge, not retries of failures
    assert (ranked[0].category, ranked[0].resource.key) == ("traffic_surge", alb.key)


def test_async_retries_that_triple_calls_a_minute_after_the_errors_stay_retries_when_the_errors_start_small():
    # GIVEN a function whose errors begin at onset with one a minute, then three, and whose invocations (async
    # retries) triple a minute later
    fn = ResourceRef("lambda", "subscription-renewer", REGION)
    dims = {"FunctionName": fn.id}
    errors = _series("m1", dims, "AWS/Lambda", "Errors", [0.0] * 40 + [1.0] + [3.0] * 9)
    calls = _series("m2", dims, "AWS/Lambda", "Invocations", [1.0] * 41 + [3.0] * 9)
    failing = _anomaly("1", fn, "AWS/Lambda", "Errors", dims, 0.0, 3.0, 0)
    retried = _anomaly("2", fn, "AWS/Lambda", "Invocations", dims, 1.0, 3.0, 1)
    failing, retried = (a.__class__(**{**a.__dict__, "series_id": s.id}) for a, s in ((failing, errors), (retried, calls)))
    bug = pattern("l1", "ValueError: day is out of range for month: renewal failed for sub_1", 0, 120,
                  group="/aws/lambda/subscription-renewer")
    ev = evidence([Candidate(fn, "alarm", 1.0)], [bug], anomalies=[failing, retried], alarm=alarm_on(fn),
                  owners={"/aws/lambda/subscription-renewer": fn})
    # WHEN ranked
    ranked = rank_hypotheses(ev.__class__(**{**ev.__dict__, "series": [errors, calls]}))
    # THEN the bug is the cause; the tripled calls are its retries, not a surge
    assert (ranked[0].category, ranked[0].resource.key) == ("application_error", fn.key)
