"""Ranking of triggers and loads: settings shipped by a deployment, changes to attached things
(parameter group, task role), overload vs dependency fault, and the alarm as a detector."""
from __future__ import annotations

from datetime import timedelta

import numpy as np

from analyzers.anomalies import with_alarm_breach
from analyzers.changes import touches
from analyzers.logs.line_formats import read_line_format
from analyzers.model import Alarm, Anomaly, Change, MetricKey, ResourceRef, Series
from analyzers.rca import log_categories, rank_hypotheses
from analyzers.topology import Candidate
from tests.test_rca_rules import API, ONSET, REGION, alarm_on, evidence, pattern

SERVICE = ResourceRef("ecs", "core/tickets", REGION, {"task_role": "arn:aws:iam::123456789012:role/shared-task-role",
                                                      "task_definition_family": "tickets"})
DB_WITH_PARAMS = ResourceRef("rds", "orders-db", REGION, {"parameter_groups": ["orders-pg15"]})
SERVICE_GROUP = "/ecs/tickets"


def change(name: str, resource_name: str, minutes_before: int = 20, source: str = "ecs.amazonaws.com") -> Change:
    return Change(f"c-{name}", ONSET - timedelta(minutes=minutes_before), source, name, "", resource_name, "ops",
                  REGION)


def test_missing_setting_shipped_by_a_task_definition_update_is_a_config_change():
    # GIVEN a service update just before onset and new errors naming a setting that is not set
    missing = pattern("l1", "java.lang.IllegalStateException: Required environment variable JWT_ISSUER is not set",
                      0, 40, group=SERVICE_GROUP, exception="java.lang.IllegalStateException")
    ranked = rank_hypotheses(evidence([Candidate(SERVICE, "alarm", 1.0)], [missing],
                                      [change("RegisterTaskDefinition", "tickets", 21),
                                       change("UpdateService", "core/tickets", 20)],
                                      alarm=alarm_on(SERVICE), owners={SERVICE_GROUP: SERVICE}))
    # THEN the more specific trigger wins: config change on the service, citing the update and the error
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", SERVICE.key)
    assert {"c:c-UpdateService", "l1"} <= set(ranked[0].evidence_ids)
    assert ranked[1].category == "bad_deployment"


def test_a_deployment_with_a_plain_new_exception_stays_a_bad_deployment():
    new = pattern("l1", "TypeError: Cannot read properties of undefined (reading 'total')", 0, 40,
                  group=SERVICE_GROUP, exception="TypeError")
    ranked = rank_hypotheses(evidence([Candidate(SERVICE, "alarm", 1.0)], [new],
                                      [change("RegisterTaskDefinition", "tickets", 21),
                                       change("UpdateService", "core/tickets", 20)],
                                      alarm=alarm_on(SERVICE), owners={SERVICE_GROUP: SERVICE}))
    assert (ranked[0].category, ranked[0].resource.key) == ("bad_deployment", SERVICE.key)


def test_a_new_warning_right_after_a_roll_out_makes_it_the_cause_and_an_old_warning_does_not():
    # GIVEN a service update 3 min before onset and a warning signature (no error) in the service's logs
    def ranked_with(before: int):
        warning = pattern("l1", "warn: Kestrel[22] Heartbeat took longer than 00:00:01 (thread pool starvation)",
                          before, 55, group=SERVICE_GROUP, level="WARN")
        return rank_hypotheses(evidence([Candidate(SERVICE, "involved", 0.9)], [warning],
                                        [change("RegisterTaskDefinition", "tickets", 4),
                                         change("UpdateService", "core/tickets", 3)],
                                        alarm=alarm_on(API), owners={SERVICE_GROUP: SERVICE}))
    new, old = ranked_with(0), ranked_with(60)
    # THEN a warning that appeared only after the roll-out names it; one that was there before does not
    assert (new[0].category, new[0].resource.key) == ("bad_deployment", SERVICE.key)
    assert {"l1", "c:c-UpdateService"} <= set(new[0].evidence_ids)
    assert all(h.category != "bad_deployment" for h in old)


def test_changes_to_attached_things_touch_their_resource():
    # GIVEN changes that name a parameter group and a role, not the resources themselves
    params = change("ModifyDBParameterGroup", "orders-pg15", source="rds.amazonaws.com")
    role = change("DetachRolePolicy", "shared-task-role", source="iam.amazonaws.com")
    other = change("DetachRolePolicy", "billing-role", source="iam.amazonaws.com")
    # THEN each touches the resource it is attached to, and only that one
    assert touches(params, DB_WITH_PARAMS) and not touches(params, SERVICE)
    assert touches(role, SERVICE) and not touches(role, DB_WITH_PARAMS)
    assert not touches(other, SERVICE)


def test_parameter_group_change_before_database_errors_is_a_config_change_on_the_database():
    # GIVEN the function's new errors are statement timeouts from its database, whose parameter group changed
    candidates = [Candidate(API, "alarm", 1.0), Candidate(DB_WITH_PARAMS, "dependency", 1.0, "named in config")]
    db_group = "/aws/rds/instance/orders-db/postgresql"
    db_errors = pattern("l1", "ERROR: canceling statement due to statement timeout", 0, 70, group=db_group)
    fn_errors = pattern("l2", "psycopg2.errors.QueryCanceled: canceling statement due to statement timeout", 0, 60,
                        exception="psycopg2.errors.QueryCanceled")
    ranked = rank_hypotheses(evidence(candidates, [db_errors, fn_errors],
                                      [change("ModifyDBParameterGroup", "orders-pg15", 45, "rds.amazonaws.com")],
                                      owners={db_group: DB_WITH_PARAMS, "/aws/lambda/orders-api": API}))
    # THEN the cause is the parameter change on the database, not a dependency failure
    assert (ranked[0].category, ranked[0].resource.key) == ("config_change", DB_WITH_PARAMS.key)
    assert "c:c-ModifyDBParameterGroup" in ranked[0].evidence_ids


def test_access_denied_after_a_task_role_change_is_permission_denied_on_the_service():
    denied = pattern("l1", "Request processing failed: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/"
                           "shared-task-role/x is not authorized to perform: sqs:SendMessage", 0, 80,
                     group=SERVICE_GROUP, exception="AccessDenied")
    ranked = rank_hypotheses(evidence([Candidate(SERVICE, "alarm", 1.0)], [denied],
                                      [change("DetachRolePolicy", "shared-task-role", 50, "iam.amazonaws.com")],
                                      alarm=alarm_on(SERVICE), owners={SERVICE_GROUP: SERVICE}))
    assert (ranked[0].category, ranked[0].resource.key) == ("permission_denied", SERVICE.key)
    assert "c:c-DetachRolePolicy" in ranked[0].evidence_ids


def _surge(resource: ResourceRef, metric: str, aid: str) -> Anomaly:
    key = MetricKey.of("AWS/Lambda", metric, {"FunctionName": resource.id}, "Sum", REGION)
    return Anomaly(aid, "m1", key, resource, ONSET + timedelta(minutes=2), 0.9, 2.0, 16.0, "up")


def test_timeouts_of_a_backend_that_only_receives_more_traffic_are_a_traffic_surge():
    # GIVEN a front door whose execution logs report backend timeouts, and the backend's invocations x8
    front = ResourceRef("apigateway", "quotes-api", REGION, {"integration": API.id})
    backend_busy = pattern("l2", "Handled PUT /records/<*> -> 200", 10, 40, group="/aws/lambda/orders-api",
                           level="INFO")
    timeouts = pattern("l1", "Execution failed due to a timeout error", 0, 3, group="API-Gateway-Execution-Logs_x/prod")
    candidates = [Candidate(front, "alarm", 1.0), Candidate(API, "dependency", 1.0, "integration")]
    ranked = rank_hypotheses(evidence(candidates, [timeouts, backend_busy], anomalies=[_surge(API, "Invocations", "a1")],
                                      alarm=alarm_on(front, "Latency"),
                                      owners={"API-Gateway-Execution-Logs_x/prod": front, "/aws/lambda/orders-api": API}))
    # THEN the load is the cause, not a fault of the backend
    assert ranked[0].category == "traffic_surge"


def test_a_backend_with_its_own_new_errors_under_more_traffic_is_still_a_dependency_failure():
    front = ResourceRef("apigateway", "quotes-api", REGION, {"integration": API.id})
    own = pattern("l2", "ERROR could not connect to pricing-service: Connection refused", 0, 40,
                  group="/aws/lambda/orders-api")
    candidates = [Candidate(front, "alarm", 1.0), Candidate(API, "dependency", 1.0, "integration")]
    ranked = rank_hypotheses(evidence(candidates, [own], anomalies=[_surge(API, "Invocations", "a1")],
                                      alarm=alarm_on(front, "Latency"), owners={"/aws/lambda/orders-api": API}))
    assert ranked[0].category == "dependency_failure"


def test_millisecond_timestamps_and_line_numbers_are_not_http_statuses():
    assert log_categories("2026-11-20 13:56:47.503 ERROR 1 --- [exec-22] Servlet threw exception") == []
    assert log_categories("at com.example.Search.apply(Search.java:503)") == []
    assert log_categories("Method completed with status: 504") == ["dependency_failure"]
    assert log_categories("GET /v1/rates 429 12ms") == ["throttling"]


def test_the_alarm_breach_is_an_anomaly_when_the_series_is_too_short_to_learn():
    # GIVEN a 5-minute CPU series of 20 points that the alarm saw cross 80 % after onset
    stamps = [ONSET.timestamp() + 300 * (i - 14) for i in range(20)]
    values = [35.0] * 14 + [97.0] * 6
    key = MetricKey.of("AWS/ECS", "CPUUtilization", {"ClusterName": "core", "ServiceName": "tickets"}, "Average",
                       REGION)
    series = [Series("m1", key, tuple(stamps), tuple(values), "Percent")]
    alarm = Alarm("tickets-cpu", REGION, namespace="AWS/ECS", metric="CPUUtilization", dimensions=key.dimensions,
                  statistic="Average", period=300, threshold=80.0, comparison="GreaterThanThreshold")
    # WHEN the detector found nothing
    found = with_alarm_breach([], series, alarm, ONSET)
    # THEN the alarm's metric is an anomaly from the first breaching point, with its level before and peak
    assert len(found) == 1
    only = found[0]
    assert (only.key, only.direction, only.baseline, only.peak) == (key, "up", 35.0, 97.0)
    assert only.onset == ONSET
    # AND a series the detector already flagged is not doubled, nor is a series that never breached
    assert with_alarm_breach(found, series, alarm, ONSET) == found
    calm = [Series("m1", key, tuple(stamps), tuple(np.full(20, 40.0)), "Percent")]
    assert with_alarm_breach([], calm, alarm, ONSET) == []


def test_json_logs_keep_the_error_object_beside_the_message():
    line = ('{"level":"error","msg":"Request processing failed","error":{"type":"AccessDenied",'
            '"message":"User: x is not authorized to perform: sqs:SendMessage"}}')
    parsed = read_line_format(line)
    assert parsed.message == ("Request processing failed: AccessDenied: User: x is not authorized to perform: "
                              "sqs:SendMessage")
    assert (parsed.level, parsed.exception_type) == ("ERROR", "AccessDenied")
    assert read_line_format('{"level":"info","msg":"request completed"}').message == "request completed"


def test_publishing_a_version_without_moving_an_alias_is_not_a_deployment():
    def lambda_call(name: str, minutes_before: float, cid: str) -> Change:
        return Change(cid, ONSET - timedelta(minutes=minutes_before), "lambda.amazonaws.com", name,
                      "AWS::Lambda::Function", API.id, "ci", REGION)
    timeouts = pattern("l1", "Task timed out after 120.00 seconds", 0, 40)
    # GIVEN a function timing out 4 min after a version of it was published, with no code update or alias move
    publish = lambda_call("PublishVersion20150331", 4, "c1")
    ranked = rank_hypotheses(evidence([Candidate(API, "alarm", 1.0)], [timeouts], [publish]))
    # THEN the publish changed nothing that runs: no deployment is blamed
    assert ranked[0].category == "function_timeout"
    # AND with the code update it snapshots, the release is the suspect again
    code = lambda_call("UpdateFunctionCode20150331v2", 5, "c2")
    ranked = rank_hypotheses(evidence([Candidate(API, "alarm", 1.0)], [timeouts], [code, publish]))
    assert ranked[0].category == "bad_deployment"
