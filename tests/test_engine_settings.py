"""A changed parameter the service read at start-up, hours before the incident (outside the log windows).

The changes step runs before the logs step so that the logs step can search every log group
for the changed parameter's path from the look-back start: the start-up line links the change
to the service whose errors follow it.
"""
from __future__ import annotations

from typing import Any

import pytest

from bot.config import Config
from bot.engine import InvestigationRequest, Investigator
from bot.store import Store
from tests.conftest import ALARM, DEPLOYED, DEPLOY_AT, ONSET, build_scenario, write_scenario

PARAMETER = "/orders/prod/db-password"  # its path does not name orders-api
STARTED_AT = ONSET - 3 * 3600  # the function's start-up line: before the 2-hour baseline window


def _scenario() -> dict[str, Any]:
    scenario = build_scenario()
    logs = scenario["logs"]
    orders = next(g for g in logs if g["group"] == f"/aws/lambda/{DEPLOYED}")
    orders["events"].insert(0, [STARTED_AT, f"[INFO]\tinit\tsecrets: loaded {PARAMETER} (version 7)"])
    scenario["changes"] = [{"time": DEPLOY_AT, "event_source": "ssm.amazonaws.com", "event_name": "PutParameter",
                            "resource_type": "AWS::SSM::Parameter", "resource_name": PARAMETER, "username": "r.tan"}]
    return scenario


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict[str, Any]:
    from bot.sandbox import Sandbox

    box = Sandbox.start(write_scenario(tmp_path_factory.mktemp("settings"), _scenario()))
    try:
        investigator = Investigator(Config(), box.provider(), Store(memory=True))
        yield investigator.investigate(InvestigationRequest(ALARM))
    finally:
        box.stop()


def test_a_parameter_read_at_start_up_is_linked_to_the_service_that_read_it(report):
    # GIVEN a PutParameter 5 min before onset on a parameter orders-api logged loading 3 h earlier
    # WHEN investigated THEN the parameter change on orders-api is the root cause
    root = report["root_cause"]
    assert (root["category"], root["resource"]["id"]) == ("config_change", DEPLOYED)
    assert any(PARAMETER in line for line in report["hypotheses"][0]["evidence"])


def test_the_settings_search_is_in_the_evidence_bundle(report):
    # THEN the bundle records the FilterLogEvents search for the parameter's path, before the baseline window
    searches = [q for q in report["evidence_bundle"]["log_queries"] if q["window"] == "settings"]
    assert searches and all(q["api"] == "FilterLogEvents" and q["query"] == '"/orders/prod"' for q in searches)
    assert any(q["log_group"] == f"/aws/lambda/{DEPLOYED}" and q["events"] == 1 for q in searches)


def _throttled_table_scenario() -> dict[str, Any]:
    from tests.conftest import NEW_ERROR, _series

    scenario = build_scenario(changes=[])
    throttled = ("botocore.errorfactory.ProvisionedThroughputExceededException: An error occurred "
                 "(ProvisionedThroughputExceededException) when calling the PutItem operation (DynamoDB): "
                 "The level of configured provisioned throughput for the table was exceeded")
    for group in scenario["logs"]:
        group["events"] = [[t, m.replace(NEW_ERROR, throttled)] for t, m in group["events"]]
    scenario["metrics"].append(_series("AWS/DynamoDB", "WriteThrottleEvents", {"TableName": "orders-sessions"}, "Count",
                                       lambda rel: 0.0 if rel < ONSET else 400.0 + (rel // 60) % 9))
    return scenario


def test_a_dynamodb_table_known_only_from_its_metrics_is_the_throttled_origin(tmp_path, report_schema):
    from bot.sandbox import Sandbox
    from tests.conftest import assert_valid_report

    # GIVEN a function failing with DynamoDB throughput errors, and a table (no inventory resource) whose
    # WriteThrottleEvents rose at onset
    box = Sandbox.start(write_scenario(tmp_path, _throttled_table_scenario()))
    try:
        report = Investigator(Config(), box.provider(), Store(memory=True)).investigate(InvestigationRequest(ALARM))
    finally:
        box.stop()
    # WHEN investigated THEN the table (found through ListMetrics, reported as type other) is the origin
    root = report["root_cause"]
    assert (root["category"], root["resource"]["type"], root["resource"]["id"]) == \
        ("throttling", "other", "orders-sessions")
    assert_valid_report(report, report_schema)
