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
