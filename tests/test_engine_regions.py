"""A dependency in another configured region, end to end on the sandbox: a function in us-west-2 whose
database lives in us-east-1 is investigated there (inventory, metrics, logs), while an unrelated
resource of that region, however loud, takes no part."""
from __future__ import annotations

from typing import Any

import pytest

from bot.config import Config
from bot.engine import InvestigationRequest, Investigator
from bot.store import Store
from tests.conftest import (ALARM, ALARM_AT, DATABASE, DEPLOY_AT, DEPLOYED, HEALTHY, ONSET, START, _lambda_logs,
                            _series, assert_valid_report, build_scenario, write_scenario)

HOME, REMOTE = "us-west-2", "us-east-1"
DB_HOST = f"{DATABASE}.c9akciq32.{REMOTE}.rds.amazonaws.com"
TIMEOUT = (f"OperationalError: connection to server at \"{DB_HOST}\" (10.20.3.4), port 5432 failed: "
           "timeout expired")


def _cross_region_scenario() -> dict[str, Any]:
    scenario = build_scenario(region=HOME)
    db, other = {"DBInstanceIdentifier": DATABASE}, {"FunctionName": HEALTHY}
    for resource in scenario["resources"]:
        if resource["id"] == DEPLOYED:
            resource["properties"]["environment"] = {"DB_HOST": DB_HOST, "DB_NAME": "orders"}
        else:  # the database and an unrelated function live in the other region
            resource["region"] = REMOTE
    scenario["metrics"] = [m for m in scenario["metrics"] if m["namespace"] != "AWS/RDS"] + [
        {**_series("AWS/RDS", "CPUUtilization", db, "Percent",
                   lambda rel: 15.0 + (rel // 60) % 3 if rel < ONSET else 99.5), "region": REMOTE},
        {**_series("AWS/RDS", "DatabaseConnections", db, "Count", lambda rel: 20.0 + (rel // 60) % 2),
         "region": REMOTE},
    ]
    for metric in scenario["metrics"]:
        if metric["dimensions"] == other:
            metric["region"] = REMOTE
    logs = _lambda_logs(DEPLOYED, failing=True)
    logs["events"] = [[t, m.replace("TypeError: unsupported operand type(s) for +: 'NoneType' and 'float'", TIMEOUT)]
                      for t, m in logs["events"]]
    loud = _lambda_logs(HEALTHY, failing=True)  # new errors too, but nothing links it to the alarm
    loud["region"] = REMOTE
    slow = [[t, "LOG:  duration: 4210.334 ms  statement: SELECT * FROM orders WHERE customer_id = $1"]
            for t in range(ONSET, 0, 15)]
    calm = [[t, "LOG:  checkpoint complete: wrote 112 buffers (0.7%)"] for t in range(START, 0, 300)]
    scenario["logs"] = [logs, loud, {"group": f"/aws/rds/instance/{DATABASE}/postgresql", "stream": DATABASE,
                                     "region": REMOTE, "events": sorted(calm + slow)}]
    scenario["changes"] = [{"time": DEPLOY_AT, "event_source": "lambda.amazonaws.com",
                            "event_name": "UpdateFunctionCode20150331v2", "resource_type": "AWS::Lambda::Function",
                            "resource_name": HEALTHY, "username": "ci-deployer", "region": REMOTE}]
    scenario["alarms"] = [dict(scenario["alarms"][0], state_changed=ALARM_AT)]
    return scenario


def _investigate(tmp_path, regions: list[str]) -> dict[str, Any]:
    from bot.sandbox import Sandbox

    box = Sandbox.start(write_scenario(tmp_path, _cross_region_scenario()))
    try:
        return Investigator(Config(), box.provider(regions), Store(memory=True)).investigate(
            InvestigationRequest(ALARM))
    finally:
        box.stop()


def test_a_database_in_another_configured_region_is_followed_and_blamed(tmp_path, report_schema):
    # GIVEN a function in us-west-2 timing out on its database, which lives in us-east-1 (both regions
    # configured), and an unrelated function there deployed five minutes before onset with errors of its own
    report = _investigate(tmp_path, [HOME, REMOTE])
    assert_valid_report(report, report_schema)
    # THEN the database is read in its own region: its CPU series and its log group
    assert any(m["metric"] == "CPUUtilization" and m["region"] == REMOTE and m["resource"] == DATABASE
               and m["max_after"] > 99 for m in report["metrics"])
    assert any(q["log_group"] == f"/aws/rds/instance/{DATABASE}/postgresql" and q.get("region") == REMOTE
               for q in report["evidence_bundle"]["log_queries"])
    # AND the root cause is the database, not the function nor the loud neighbour with its deploy
    root = report["hypotheses"][0]
    assert root["resource"]["id"] == DATABASE and root["resource"]["region"] == REMOTE
    assert all(h["resource"]["id"] != HEALTHY for h in report["hypotheses"])


def test_with_only_the_alarms_region_configured_the_other_region_is_not_read(tmp_path):
    # GIVEN the same incident, but only us-west-2 configured
    report = _investigate(tmp_path, [HOME])
    # THEN nothing of us-east-1 is read, and the database cannot be blamed
    assert all(q.get("region") in (None, HOME) for q in report["evidence_bundle"]["log_queries"])
    assert all(h["resource"]["id"] != DATABASE for h in report["hypotheses"])


def test_a_cause_in_another_region_says_where_in_slack_and_in_the_terminal():
    from io import StringIO

    from rich.console import Console

    from bot.terminal import print_report
    from handlers.blocks import hypotheses_blocks

    # GIVEN a report on an alarm in us-west-2 whose first cause is a database in us-east-1
    hyp = [{"category": "dependency_failure", "confidence": 0.49,
            "resource": {"type": "rds", "id": DATABASE, "region": REMOTE}},
           {"category": "application_error", "confidence": 0.3,
            "resource": {"type": "lambda", "id": DEPLOYED, "region": HOME}}]
    report = {"id": "inv-1", "summary": "s", "alarm": {"name": ALARM, "region": HOME, "state": "ALARM"},
              "root_cause": {"evidence": []}, "hypotheses": hyp, "timeline": [], "log_patterns": [],
              "scripts": []}
    # THEN Slack's list and the terminal table name the other region, and only for that cause
    text = hypotheses_blocks(report)[0]["text"]["text"]
    assert f"`{DATABASE}` in {REMOTE}" in text and f"`{DEPLOYED}` —" in text
    out = StringIO()
    print_report(report, Console(file=out, width=160))
    assert f"rds {DATABASE} ({REMOTE})" in out.getvalue() and f"{DEPLOYED} ({HOME})" not in out.getvalue()


def test_a_name_in_two_configured_regions_is_an_error_listing_both_arns(tmp_path):
    from bot.engine import InvestigationError
    from bot.sandbox import Sandbox

    # GIVEN the same alarm name in us-west-2 and us-east-1 (active-active), both regions configured
    scenario = build_scenario(region=HOME)
    scenario["alarms"] = [scenario["alarms"][0], dict(scenario["alarms"][0], region=REMOTE)]
    with Sandbox.start(write_scenario(tmp_path, scenario)) as box:
        investigator = Investigator(Config.model_validate({"aws": {"regions": [HOME, REMOTE]}}),
                                    box.provider([HOME, REMOTE]), Store(memory=True))
        # WHEN it is investigated by name THEN the error lists both ARNs, to pick one
        with pytest.raises(InvestigationError) as err:
            investigator.investigate(InvestigationRequest(ALARM))
        assert "exists in 2 places" in str(err.value)
        assert f":{HOME}:" in str(err.value) and f":{REMOTE}:" in str(err.value)
        # AND by ARN, the one meant is investigated
        arn = f"arn:aws:cloudwatch:{REMOTE}:123456789012:alarm:{ALARM}"
        assert investigator.investigate(InvestigationRequest(arn))["alarm"]["region"] == REMOTE
