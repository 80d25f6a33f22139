"""Ranking of slow burns and of what a runtime's own words hide: a few OOM kills behind a flapping alarm, a
JVM thrashing in full collections, gunicorn killing its timed-out workers under a surge, a database out of
I/O credits, and an API's access log of its own 429s."""
from __future__ import annotations

from datetime import timedelta

from analyzers.model import Anomaly, MetricKey, ResourceRef, Series
from analyzers.rca import EvidenceSet, rank_hypotheses
from analyzers.topology import Candidate, map_log_groups
from tests.test_rca_rules import API, ONSET, REGION, alarm_on, evidence, pattern

ALB = ResourceRef("alb", "app/retail-public/3f9d2b7c41e6a850", REGION, {"targets": ["retail-prod/pricing-api"]})
PRICING = ResourceRef("ecs", "retail-prod/pricing-api", REGION)
EVENTS = "/aws/events/ecs-task-state-change"


def _anomaly(aid: str, resource: ResourceRef, namespace: str, metric: str, dims: dict[str, str], baseline: float,
             peak: float) -> Anomaly:
    key = MetricKey.of(namespace, metric, dims, "Sum", REGION)
    return Anomaly(aid, f"m{aid}", key, resource, ONSET + timedelta(minutes=1), 0.9, baseline, peak, "up")


def test_a_few_out_of_memory_kills_behind_a_flapping_alarm_are_its_cause():
    # GIVEN a balancer whose 5xx alarm flaps, and behind it a service whose tasks are killed out of memory now
    # and then (twice before the onset, twice after): no error line surges
    kills = pattern("l1", "ECS Task State Change: STOPPED EssentialContainerExited Essential container in task "
                          "exited; container pricing-api exit code 137: OutOfMemoryError: Container killed due to "
                          "memory usage", 2, 2, group=EVENTS)
    elb_5xx = _anomaly("a1", ALB, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": ALB.id}, 1, 79)
    candidates = [Candidate(ALB, "alarm", 1.0), Candidate(PRICING, "dependency", 1.0, "behind it")]
    ranked = rank_hypotheses(evidence(candidates, [kills], anomalies=[elb_5xx], alarm=alarm_on(ALB),
                                      owners={EVENTS: PRICING}))
    # THEN the kills are the cause: memory exhaustion of the service, not "unknown"
    assert (ranked[0].category, ranked[0].resource.key) == ("memory_exhaustion", PRICING.key)
    assert "l1" in ranked[0].evidence_ids


def test_a_jvm_thrashing_in_full_collections_is_out_of_memory_not_out_of_cpu():
    # GIVEN an instance whose JVM logs back-to-back full collections that free nothing, whose connection pool's
    # housekeeper reports thread starvation, and whose CPU rose with the collections
    host = ResourceRef("ec2", "i-0e5f4d3c2b1a09f8e", REGION, {"name": "quote-node-2"})
    gc, app = "/quote/gc", "/quote/app"
    lines = [pattern("l1", "[info][gc] GC(48424) To-space exhausted", 0, 200, group=gc, level="INFO"),
             pattern("l2", "[info][gc] GC(48425) Pause Full (G1 Compaction Pause) 12283M->12006M(12288M) 6507.794ms",
                     0, 196, group=gc, level="INFO"),
             pattern("l3", "WARN com.zaxxer.hikari.pool.HikariPool : HikariPool-1 - Thread starvation or clock leap "
                           "detected (housekeeper delta=42s346ms).", 0, 76, group=app, level="WARN")]
    cpu = _anomaly("a1", host, "AWS/EC2", "CPUUtilization", {"InstanceId": host.id}, 35, 75)
    ranked = rank_hypotheses(evidence([Candidate(host, "alarm", 1.0)], lines, anomalies=[cpu],
                                      alarm=alarm_on(host, "CPUUtilization"), owners={gc: host, app: host}))
    # THEN the heap is the cause, and the starved threads are part of its evidence
    assert (ranked[0].category, ranked[0].resource.key) == ("memory_exhaustion", host.key)
    assert {"l1", "l3"} <= set(ranked[0].evidence_ids)


def test_gunicorn_killing_its_timed_out_workers_under_a_surge_is_the_surge():
    # GIVEN seven times the usual requests at the balancer, and gunicorn behind it timing out workers and
    # killing them ("Perhaps out of memory?", its guess after any SIGKILL)
    web = ResourceRef("ecs", "events/tickets-web", REGION)
    alb = ResourceRef("alb", "app/tickets-alb/5f7e9d1c3b5a7e9f", REGION, {"targets": [web.id]})
    group = "/ecs/tickets-web"
    lines = [pattern("l1", "[2026-08-15 12:16:40 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:49)", 0, 212, group=group),
             pattern("l2", "[2026-08-15 12:16:40 +0000] [1] [ERROR] Worker (pid:49) was sent SIGKILL! Perhaps out of "
                           "memory?", 0, 204, group=group)]
    surge = _anomaly("a1", alb, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, 1600, 11500)
    candidates = [Candidate(alb, "alarm", 1.0), Candidate(web, "dependency", 1.0, "behind it")]
    ranked = rank_hypotheses(evidence(candidates, lines, anomalies=[surge], alarm=alarm_on(alb, "HTTPCode_ELB_5XX_Count"),
                                      owners={group: web}))
    # THEN the surge is the cause, and the kills are not read as memory exhaustion
    assert (ranked[0].category, ranked[0].resource.key) == ("traffic_surge", alb.key)
    assert "memory_exhaustion" not in [h.category for h in ranked]


def test_a_database_out_of_io_credits_is_throttled_not_a_failing_dependency():
    # GIVEN a function timing out on its database while the database's gp2 burst balance runs out and its
    # read latency jumps
    db = ResourceRef("rds", "catalog-mysql", REGION)
    lost = pattern("l1", "OperationalError: (2013, 'Lost connection to MySQL server during query (timed out)')",
                   0, 60, exception="OperationalError")
    latency = Anomaly("a1", "m1", MetricKey.of("AWS/RDS", "ReadLatency", {"DBInstanceIdentifier": db.id}, "Average",
                                                 REGION), db, ONSET, 0.9, 0.0008, 0.11, "up")
    values = [max(0.0, 60.0 - i) for i in range(70)]  # drained over an hour, empty from ten minutes before onset
    stamps = tuple(ONSET.timestamp() + 60 * (i - 60) for i in range(70))
    balance = Series("m2", MetricKey.of("AWS/RDS", "BurstBalance", {"DBInstanceIdentifier": db.id}, "Minimum", REGION),
                     stamps, tuple(values), "Percent")
    candidates = [Candidate(API, "alarm", 1.0), Candidate(db, "dependency", 1.0, "named in its logs")]
    base = evidence(candidates, [lost], anomalies=[latency])
    ranked = rank_hypotheses(EvidenceSet(alarm=base.alarm, onset=ONSET, candidates=base.candidates, series=[balance],
                                         anomalies=base.anomalies, patterns=base.patterns, group_owner=base.group_owner,
                                         changes=[]))
    # THEN its I/O is throttled at the baseline: throttling of the database
    assert (ranked[0].category, ranked[0].resource.key) == ("throttling", db.key)
    assert "m2" in ranked[0].evidence_ids


def test_an_apis_access_log_group_is_the_apis():
    # GIVEN the conventional access log group of a REST API (named by its id, like its execution logs)
    api = ResourceRef("apigateway", "partner-orders-api", REGION, {"api_id": "p4o6i8u0y2"})
    other = ResourceRef("apigateway", "partner-admin-api", REGION, {"api_id": "a1b2c3d4e5"})
    owners = map_log_groups(["API-Gateway-Access-Logs_p4o6i8u0y2/prod", "API-Gateway-Execution-Logs_a1b2c3d4e5/prod"],
                            [api, other])
    # THEN each group belongs to its API
    assert owners == {"API-Gateway-Access-Logs_p4o6i8u0y2/prod": api,
                      "API-Gateway-Execution-Logs_a1b2c3d4e5/prod": other}
    # AND when the account's only API was listed without its id, its access logs are still its own
    bare = ResourceRef("apigateway", "partner-orders-api", REGION)
    assert map_log_groups(["API-Gateway-Access-Logs_p4o6i8u0y2/prod"], [bare]) == {
        "API-Gateway-Access-Logs_p4o6i8u0y2/prod": bare}


def test_when_nothing_names_a_cause_the_unknown_points_at_a_host_that_stopped_passing_its_checks():
    # GIVEN a balancer's 5xx and unhealthy hosts, and behind it one instance failing its EC2 status checks,
    # with nothing in any log
    hosts = [ResourceRef("ec2", f"i-0b7e4d19c3a6f2e5{n}", REGION) for n in range(3)]
    alb = ResourceRef("alb", "app/legacy-api-alb/8b2f6d1e4c7a9035", REGION, {"targets": [h.id for h in hosts]})
    down = _anomaly("a1", hosts[1], "AWS/EC2", "StatusCheckFailed", {"InstanceId": hosts[1].id}, 0, 1)
    elb_5xx = _anomaly("a2", alb, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb.id}, 0, 40)
    candidates = [Candidate(alb, "alarm", 1.0), *(Candidate(h, "dependency", 1.0, "behind it") for h in hosts)]
    ranked = rank_hypotheses(evidence(candidates, [], anomalies=[down, elb_5xx], alarm=alarm_on(alb), owners={}))
    # THEN no category is named, but the unknown names that host and says why
    assert (ranked[0].category, ranked[0].resource.key) == ("unknown", hosts[1].key)
    assert any("status checks" in line for line in ranked[0].evidence)
