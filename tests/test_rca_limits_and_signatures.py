"""Judgements from held-out incidents about limits and error signatures: a database setting named in its
client's error, a service's own limiter turning away a surge, an invocation cut off at its configured
timeout, slowness while what a function calls fails, a driver's own messages, one exception per pattern."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from analyzers.model import Anomaly, Change, LogRecord, MetricKey, ResourceRef, Series
from analyzers.patterns import PatternWindow, mine_patterns
from analyzers.rca import rank_hypotheses
from analyzers.topology import Candidate
from tests.test_rca_rules import ONSET, REGION, alarm_on, evidence, pattern

APP = ResourceRef("ec2", "i-04c8a1f2e9d3b6701", REGION, {"name": "reports-web-1"})
APP_GROUP = "/reports/rails/production"
DB = ResourceRef("rds", "reports-db", REGION, {"parameter_group": "reports-mysql80"})


def _series(sid: str, resource: ResourceRef, namespace: str, name: str, dims: dict[str, str],
            values: list[float]) -> Series:
    stamps = tuple(ONSET.timestamp() + 60 * (i - len(values) + 20) for i in range(len(values)))
    return Series(sid, MetricKey.of(namespace, name, dims, "Maximum", REGION), stamps, tuple(values))


def test_a_database_setting_named_in_its_clients_error_is_the_databases_configuration_change():
    # GIVEN reports failing with MySQL's only_full_group_by refusal after the DB's parameter group changed
    refused = pattern("l1", "Mysql2::Error: Expression #2 of SELECT list is not in GROUP BY clause and contains "
                      "nonaggregated column; this is incompatible with sql_mode=only_full_group_by", 0, 240,
                      group=APP_GROUP)
    change = Change("c1", ONSET - timedelta(minutes=50), "rds.amazonaws.com", "ModifyDBParameterGroup",
                    "AWS::RDS::DBParameterGroup", "reports-mysql80", "dba", REGION)
    candidates = [Candidate(APP, "alarm", 1.0), Candidate(DB, "dependency", 1.0, "named in its logs")]
    ranked = rank_hypotheses(evidence(candidates, [refused], [change], alarm=alarm_on(APP),
                                      owners={APP_GROUP: APP}))
    # THEN the database's configuration is the cause, not the web host that logged the error
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", DB.key)


def test_a_services_own_limiter_turning_away_a_surge_is_the_surge():
    # GIVEN a balancer whose requests went 14x, and the service behind it answering 503 from its own
    # admission limiter
    alb = ResourceRef("alb", "app/tickets-alb/5e2c9a17b4d03f68", REGION, {"targets": ["events-prod/tickets-api"]})
    svc = ResourceRef("ecs", "events-prod/tickets-api", REGION)
    surge = Anomaly("a1", "m1", MetricKey.of("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb.id}, "Sum",
                                             REGION), alb, ONSET, 1.0, 480, 6500, "up")
    shed = pattern("l1", "admission rejected: concurrency limit 400 reached (queued=900), returning 503 "
                   "Retry-After: 5", 0, 150, group="/ecs/tickets-api", level="WARN")
    alarm = replace(alarm_on(alb, "TargetResponseTime"), namespace="AWS/ApplicationELB",
                    dimensions=(("LoadBalancer", alb.id),))
    ev = evidence([Candidate(alb, "alarm", 1.0), Candidate(svc, "dependency", 1.0, "behind it")], [shed],
                  anomalies=[surge], alarm=alarm, owners={"/ecs/tickets-api": svc})
    # THEN the surge is the cause
    assert rank_hypotheses(ev)[0].category == "traffic_surge"
    # AND a limit outside the service ("Rate exceeded" from an AWS API) stays throttling
    throttled = pattern("l1", "botocore.exceptions.ClientError: An error occurred (ThrottlingException): Rate "
                        "exceeded", 0, 150, group="/ecs/tickets-api")
    assert rank_hypotheses(replace(ev, patterns=[throttled]))[0].category == "throttling"


def test_an_invocation_lasting_its_configured_timeout_is_a_function_timeout_even_when_rare():
    # GIVEN an hourly job whose single run just lasted its 900 s timeout (one "Task timed out" line)
    fn = ResourceRef("lambda", "usage-aggregator", REGION, {"timeout": 900})
    group = "/aws/lambda/usage-aggregator"
    once = pattern("l1", "Task timed out after 900.00 seconds", 0, 1, group=group)
    duration = _series("m1", fn, "AWS/Lambda", "Duration", {"FunctionName": fn.id}, [612000.0] * 25 + [900000.0])
    ev = replace(evidence([Candidate(fn, "alarm", 1.0)], [once], alarm=alarm_on(fn), owners={group: fn}),
                 series=[duration])
    # THEN it is a function timeout
    assert (rank_hypotheses(ev)[0].category, rank_hypotheses(ev)[0].resource.key) == ("function_timeout", fn.key)


def test_a_function_slow_because_its_database_fails_is_not_timing_out_and_driver_messages_name_the_database():
    # GIVEN two clients of a MySQL database: one logs mysql2's "Query inactivity timeout" (no host in it),
    # the other "Lost connection to MySQL server" while its duration neared its 3 s timeout
    db = ResourceRef("rds", "shipments-mysql", REGION)
    api = ResourceRef("lambda", "order-status", REGION, {"timeout": 10})
    printer = ResourceRef("lambda", "label-printer", REGION, {"timeout": 3})
    groups = {"/aws/lambda/order-status": api, "/aws/lambda/label-printer": printer}
    inactivity = pattern("l1", "Error: Query inactivity timeout", 0, 40, group="/aws/lambda/order-status",
                         exception="Error")
    lost = pattern("l2", "pymysql.err.OperationalError: (2013, 'Lost connection to MySQL server during query')",
                   0, 3, group="/aws/lambda/label-printer")
    slow = Anomaly("a1", "m1", MetricKey.of("AWS/Lambda", "Duration", {"FunctionName": printer.id}, "Maximum",
                                            REGION), printer, ONSET, 1.0, 320, 2855, "up")
    candidates = [Candidate(api, "alarm", 1.0), Candidate(db, "involved", 1.0, "its log names order-status"),
                  Candidate(printer, "involved", 0.9, "errors in its own logs")]
    ranked = rank_hypotheses(evidence(candidates, [inactivity, lost], anomalies=[slow], alarm=alarm_on(api),
                                      owners=groups))
    # THEN the database is where it fails
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", db.key)
    # AND seen from the slow client alone, it is not timing out on its own either
    alone = evidence([Candidate(printer, "alarm", 1.0), Candidate(db, "dependency", 1.0, "named in its logs")],
                     [lost], anomalies=[slow], alarm=alarm_on(printer), owners=groups)
    assert rank_hypotheses(alone)[0].category != "function_timeout"


def test_errors_sharing_a_headline_but_raising_different_exceptions_are_separate_patterns():
    # GIVEN Django's "Internal Server Error: <path>" headline over two different tracebacks
    def event(ts: float, path: str, exc: str) -> LogRecord:
        text = (f"ERROR 2026-03-24 14:46:42,195 log 27 140112 Internal Server Error: {path}\n"
                "Traceback (most recent call last):\n  File \"/app/views.py\", line 91, in view\n"
                f"    body = handle()\n{exc}")
        return LogRecord("/ecs/profile-api", "web/1", ts, text)
    start = ONSET.timestamp()
    old = [event(start - 600 * i, "/legacy/avatar/u1.png", "botocore.errorfactory.NoSuchKey: key missing")
           for i in range(1, 6)]
    new = [event(start + 60 * i, "/v2/profile/u9/preferences", "TypeError: Object of type Decimal is not JSON "
                                                                 "serializable") for i in range(1, 6)]
    window = PatternWindow(ONSET - timedelta(hours=1), ONSET, ONSET + timedelta(minutes=20))
    patterns = mine_patterns(old + new, window)
    # THEN the new exception is a new pattern of its own, not a rise of the old one
    by_type = {p.exception_type: p for p in patterns}
    assert by_type["TypeError"].new and by_type["TypeError"].count == 5
    assert not by_type["botocore.errorfactory.NoSuchKey"].new
