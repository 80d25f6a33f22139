"""Ranking of slow burns and of what a runtime's own words hide: a few OOM kills behind a flapping alarm, a
JVM thrashing in full collections, gunicorn killing its timed-out workers under a surge, a database out of
I/O credits, and an API's access log of its own 429s."""
from __future__ import annotations

from datetime import timedelta

from analyzers.model import Alarm, Anomaly, MetricKey, ResourceRef, Series
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


def _three_hosts_one_down(id_prefix: str, alb_id: str, down_index: int):
    """Three instances behind a balancer, one of them failing its EC2 status checks (the anomaly "a1")."""
    hosts = [ResourceRef("ec2", f"{id_prefix}{n}", REGION) for n in range(3)]
    alb = ResourceRef("alb", alb_id, REGION, {"targets": [h.id for h in hosts]})
    down = _anomaly("a1", hosts[down_index], "AWS/EC2", "StatusCheckFailed", {"InstanceId": hosts[down_index].id},
                    0, 1)
    candidates = [Candidate(alb, "alarm", 1.0), *(Candidate(h, "dependency", 1.0, "behind it") for h in hosts)]
    return hosts, alb, down, candidates


def test_when_nothing_names_a_cause_the_unknown_points_at_a_host_that_stopped_passing_its_checks():
    # GIVEN a balancer's 5xx and unhealthy hosts, and behind it one instance failing its EC2 status checks,
    # with nothing in any log
    hosts, alb, down, candidates = _three_hosts_one_down("i-0b7e4d19c3a6f2e5", "app/legacy-api-alb/8b2f6d1e4c7a9035", 1)
    elb_5xx = _anomaly("a2", alb, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb.id}, 0, 40)
    ranked = rank_hypotheses(evidence(candidates, [], anomalies=[down, elb_5xx], alarm=alarm_on(alb), owners={}))
    # THEN no category is named, but the unknown names that host and says why
    assert (ranked[0].category, ranked[0].resource.key) == ("unknown", hosts[1].key)
    assert any("status checks" in line for line in ranked[0].evidence)


def test_clients_reconnecting_when_a_host_dies_are_not_a_surge():
    # GIVEN a websocket balancer whose request count nearly triples in the minute one of its three hosts
    # fails its EC2 status checks (its clients reconnect to the two left), with nothing in any log
    hosts, alb, down, candidates = _three_hosts_one_down("i-0d2e4f6a8c1b3e57", "app/ws-edge-alb/6c5d4e3f2a1b0c9d", 2)
    burst = _anomaly("a2", alb, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, 700, 2000)
    ranked = rank_hypotheses(evidence(candidates, [], anomalies=[down, burst],
                                      alarm=alarm_on(alb, "UnHealthyHostCount"), owners={}))
    # THEN the burst is not named a surge: the unknown names the host that died
    assert (ranked[0].category, ranked[0].resource.key) == ("unknown", hosts[2].key)


def test_a_handful_of_new_access_denied_errors_of_a_nightly_job_are_its_cause():
    # GIVEN a nightly job's Errors alarm and its only new errors: three uploads refused by S3, every run
    job = ResourceRef("lambda", "nightly-archiver", REGION)
    group = "/aws/lambda/nightly-archiver"
    denied = pattern("l1", "upload failed: api error AccessDenied: User: arn:aws:sts::123456789012:assumed-role/"
                           "nightly-archiver-role/nightly-archiver is not authorized to perform: s3:PutObject",
                     0, 3, group=group)
    errors = _anomaly("a1", job, "AWS/Lambda", "Errors", {"FunctionName": job.id}, 0, 1)
    ranked = rank_hypotheses(evidence([Candidate(job, "alarm", 1.0)], [denied], anomalies=[errors],
                                      alarm=alarm_on(job), owners={group: job}))
    # THEN the refusal is named, not "unknown"
    assert (ranked[0].category, ranked[0].resource.key) == ("permission_denied", job.key)


def test_a_service_named_in_a_balancers_incident_is_loaded_by_its_surge():
    # GIVEN six times the usual requests at a balancer whose targets the inventory does not list, and the
    # service its incident names shedding load with 503s as its worker pool fills
    web = ResourceRef("ecs", "tickets/booking-web", REGION)
    alb = ResourceRef("alb", "app/tickets-alb/3f9a1c7e5b2d4068", REGION)
    group = "/ecs/booking-web/app"
    full = pattern("l1", "WARN [gunicorn] worker pool saturated: 48/48 busy, backlog 2048 (full), rejecting with 503",
                   0, 25, group=group, level="WARN")
    surge = _anomaly("a1", alb, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, 3000, 18500)
    candidates = [Candidate(alb, "alarm", 1.0), Candidate(web, "dependency", 1.0, "named in its logs")]
    latency = Alarm("tickets-alb-latency", REGION, state="ALARM", namespace="AWS/ApplicationELB",
                    metric="TargetResponseTime", dimensions=(("LoadBalancer", alb.id),), statistic="Average",
                    threshold=1.0, comparison="GreaterThanThreshold")
    ranked = rank_hypotheses(evidence(candidates, [full], anomalies=[surge], alarm=latency, owners={group: web}))
    # THEN the surge is the cause, not a failing dependency
    assert (ranked[0].category, ranked[0].resource.key) == ("traffic_surge", alb.key)


def test_an_apis_access_log_group_named_by_its_stage_settings_is_the_apis():
    # GIVEN an API whose stage writes its access log to a group named freely (not by the API's id)
    api = ResourceRef("apigateway", "gacha-api", REGION, {"api_id": "g2m7k4p9wq",
                                                          "access_log_groups": ["/aws/apigateway/gacha-api-live-access"]})
    fn = ResourceRef("lambda", "inventory-read", REGION)
    owners = map_log_groups(["/aws/apigateway/gacha-api-live-access", "/aws/lambda/inventory-read"], [api, fn])
    # THEN the group is the API's
    assert owners == {"/aws/apigateway/gacha-api-live-access": api, "/aws/lambda/inventory-read": fn}


def test_a_cpu_spike_that_ended_hours_before_onset_does_not_explain_lock_waits_now():
    # GIVEN a function failing on lock wait timeouts in its database, whose CPU spiked to 95 % two hours
    # earlier (a report run) and has been back at 30 % since
    db = ResourceRef("rds", "ledger-mysql", REGION)
    waits = pattern("l1", "com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException: Lock wait timeout exceeded;"
                          " try restarting transaction (ledger-mysql)", 0, 90, exception="MySQLTransactionRollbackException")
    key = MetricKey.of("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db.id}, "Average", REGION)
    stamps = tuple(ONSET.timestamp() + 60 * (i - 180) for i in range(200))
    values = tuple(95.0 if 50 <= i < 70 else 30.0 for i in range(200))
    cpu = Series("m1", key, stamps, values, "Percent")
    spike = Anomaly("a1", "m1", key, db, ONSET - timedelta(minutes=130), 0.9, 30.0, 95.0, "up")
    base = evidence([Candidate(API, "alarm", 1.0), Candidate(db, "dependency", 1.0, "named in its logs")], [waits],
                    anomalies=[spike])
    ranked = rank_hypotheses(EvidenceSet(alarm=base.alarm, onset=ONSET, candidates=base.candidates, series=[cpu],
                                         anomalies=base.anomalies, patterns=base.patterns, group_owner=base.group_owner,
                                         changes=[]))
    # THEN the database is the failing dependency, not a saturated CPU
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", db.key)
    assert "cpu_saturation" not in [h.category for h in ranked[:2]]


def test_a_settings_change_on_a_database_whose_disk_was_filling_for_hours_is_not_why_it_filled():
    # GIVEN a MySQL instance whose free storage fell for two hours to nothing, a ModifyDBInstance (its CA
    # certificate) five minutes before onset, and "disk full" errors from then on
    from analyzers.model import Change

    db = ResourceRef("rds", "orders-mysql", REGION, {"allocated_storage_gb": 30})
    group = "/aws/rds/instance/orders-mysql/error"
    full = pattern("l1", "[ERROR] [MY-011073] Disk is full writing './binlog.000123' (OS errno 28 - No space left on "
                         "device). Waiting for someone to free space...", 0, 40, group=group)
    key = MetricKey.of("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db.id}, "Minimum", REGION)
    filling = Anomaly("a1", "m1", key, db, ONSET - timedelta(hours=2), 0.9, 29e9, 0.2e9, "down")
    modify = Change("c1", ONSET - timedelta(minutes=5), "rds.amazonaws.com", "ModifyDBInstance",
                    "AWS::RDS::DBInstance", db.id, "dba", REGION)
    ranked = rank_hypotheses(evidence([Candidate(API, "alarm", 1.0), Candidate(db, "dependency", 1.0, "named in its logs")],
                                      [full], changes=[modify], anomalies=[filling], owners={group: db}))
    # THEN the full disk is the cause, not the change
    assert (ranked[0].category, ranked[0].resource.key) == ("storage_exhaustion", db.key)


def test_a_burst_that_ended_before_the_alarms_datapoints_is_not_what_fired_it():
    # GIVEN a database restart's refused connections for two minutes at the onset the metric shows, then
    # from six minutes on an unhandled KeyError, and the 3 x 1-minute alarm going to ALARM at ten minutes
    from dataclasses import replace

    db = ResourceRef("rds", "fin-pg", REGION)
    refused = replace(pattern("l1", "psycopg2.OperationalError: connection to server at fin-pg failed: Connection "
                                    "refused", 0, 15, exception="OperationalError"), last_seen=ONSET + timedelta(minutes=2))
    key_error = replace(pattern("l2", "KeyError: 'XCG' in invoices/services/fx.py", 0, 27, exception="KeyError"),
                        first_seen=ONSET + timedelta(minutes=6))
    alarm = replace(alarm_on(API), period=60, evaluation_periods=3)
    base = evidence([Candidate(API, "alarm", 1.0), Candidate(db, "dependency", 1.0, "named in its logs")],
                    [refused, key_error], alarm=alarm)
    ranked = rank_hypotheses(replace(base, alarm_time=ONSET + timedelta(minutes=10)))
    # THEN the error still happening when it fired is the cause
    assert (ranked[0].category, ranked[0].resource.key) == ("application_error", API.key)


def test_of_two_replicas_a_clients_refusals_name_the_one_whose_lag_grew_is_the_origin():
    # GIVEN a service refusing stale reads from both of its read replicas (its lines name each), while only
    # one replica's ReplicaLag grew from a second to twenty minutes
    replicas = [ResourceRef("rds", f"pg-ledger-replica-{n}", REGION) for n in (1, 2)]
    stale = pattern("l1", "level=ERROR msg=\"replica too stale, refusing read\" replica=pg-ledger-replica-1 "
                          "replica=pg-ledger-replica-2 status=503", 0, 170)
    key = MetricKey.of("AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": replicas[1].id}, "Maximum", REGION)
    lag = Anomaly("a1", "m1", key, replicas[1], ONSET - timedelta(minutes=40), 0.9, 0.4, 1200.0, "up")
    candidates = [Candidate(API, "alarm", 1.0), *(Candidate(r, "dependency", 1.0, "named in its logs") for r in replicas)]
    ranked = rank_hypotheses(evidence(candidates, [stale], anomalies=[lag]))
    # THEN the lagging replica is the failing dependency
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", replicas[1].key)
