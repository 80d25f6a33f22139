"""Where the engine looks, end to end on the sandbox: IAM changes CloudTrail records in us-east-1, the
CloudWatch agent's disk series (extra dimensions, in any order), and a report even when ranking fails."""
from __future__ import annotations

from typing import Any

import pytest

from bot.config import Config
from bot.engine import InvestigationRequest, Investigator
from bot.store import Store
from tests.conftest import (ALARM, ALARM_AT, DEPLOY_AT, DEPLOYED, NEW_ERROR, ONSET, START, assert_valid_report,
                            build_scenario, write_scenario)

DENIED = ("AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/orders-api-role/orders-api "
          "is not authorized to perform: dynamodb:PutItem")
HOST = "i-0c5e91ab7d2f40e36"
# the agent's dimension order, which is not alphabetical
DISK = {"InstanceId": HOST, "path": "/var/app", "device": "nvme1n1", "fstype": "xfs"}


def _investigate(tmp_path, scenario: dict[str, Any], alarm: str = ALARM) -> dict[str, Any]:
    from bot.sandbox import Sandbox

    box = Sandbox.start(write_scenario(tmp_path, scenario))
    try:
        return Investigator(Config(), box.provider(), Store(memory=True)).investigate(InvestigationRequest(alarm))
    finally:
        box.stop()


def _iam_scenario() -> dict[str, Any]:
    scenario = build_scenario(region="eu-west-1")
    for group in scenario["logs"]:
        group["events"] = [[t, m.replace(NEW_ERROR, DENIED)] for t, m in group["events"]]
    scenario["changes"] = [{"time": DEPLOY_AT, "event_source": "iam.amazonaws.com", "event_name": "PutRolePolicy",
                            "resource_type": "AWS::IAM::Role", "resource_name": "orders-api-role",
                            "username": "terraform", "region": "us-east-1"}]
    return scenario


def test_an_iam_change_recorded_in_us_east_1_is_read_for_an_alarm_elsewhere(tmp_path):
    # GIVEN an alarm in eu-west-1 whose function is denied after a role policy change that CloudTrail,
    # as for every IAM call, recorded in us-east-1
    report = _investigate(tmp_path, _iam_scenario())
    # THEN the change is read, and the root cause is the permission, citing it
    assert [c["event_name"] for c in report["changes"]] == ["PutRolePolicy"]
    root = report["hypotheses"][0]
    assert (root["category"], root["resource"]["id"]) == ("permission_denied", DEPLOYED)
    assert any("PutRolePolicy" in line for line in root["evidence"])


def _disk_scenario() -> dict[str, Any]:
    def points(value):
        return [[rel, value(rel)] for rel in range(START, 1, 60)]

    full = [[t, f"ERROR export failed: [Errno 28] No space left on device: '/var/app/tmp/{t:.0f}.csv'"]
            for t in range(ONSET, 0, 20)]
    ok = [[t, f"INFO export {t:.0f} written"] for t in range(START, ONSET, 30)]
    return {
        "format": "aiops-scenario/v1", "name": "disk-full", "region": "us-east-1",
        "resources": [{"type": "ec2", "id": HOST, "properties": {"name": "ingest-1"}}],
        "metrics": [
            {"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": HOST}, "unit": "Percent",
             "points": points(lambda rel: 20.0 + (rel // 60) % 3)},
            {"namespace": "CWAgent", "name": "disk_used_percent", "dimensions": DISK, "unit": "Percent",
             "points": points(lambda rel: min(100.0, 80.0 + 20.0 * (rel - START) / (ONSET - START)))},
        ],
        "logs": [{"group": "/ingest/app", "stream": HOST, "events": ok + full}],
        "alarms": [{"name": "ingest-1-disk", "namespace": "CWAgent", "metric": "disk_used_percent",
                    "dimensions": DISK, "statistic": "Maximum", "period": 60, "evaluation_periods": 3,
                    "threshold": 95, "comparison": "GreaterThanThreshold", "state": "ALARM",
                    "state_reason": "Threshold Crossed", "state_changed": ALARM_AT}],
    }


def test_agent_disk_series_with_their_own_dimensions_are_read_and_a_full_disk_is_the_cause(tmp_path):
    # GIVEN an instance whose data volume (CWAgent disk_used_percent, dimensions path/device/fstype) filled up
    report = _investigate(tmp_path, _disk_scenario(), "ingest-1-disk")
    # THEN the disk series are read with their dimensions (the alarm's own and the catalog's), with data
    disk = [m for m in report["metrics"] if m["metric"] == "disk_used_percent"]
    assert disk and all(m["points"] > 60 for m in disk)
    # AND the full disk is the cause
    root = report["root_cause"]
    assert (root["category"], root["resource"]["id"]) == ("storage_exhaustion", HOST)


def test_a_failing_analysis_still_gives_a_stored_report(tmp_path, monkeypatch, report_schema):
    import bot.engine.investigation as engine

    # GIVEN a bug in the ranking
    def broken(*_args, **_kwargs):
        raise RuntimeError("ranking bug")

    monkeypatch.setattr(engine, "analyse", broken)
    report = _investigate(tmp_path, build_scenario())
    # THEN the report is complete and valid, says the analysis degraded, and names no cause it cannot back
    assert_valid_report(report, report_schema)
    assert report["steps"]["analysis"]["status"] == "degraded"
    assert "RuntimeError" in report["steps"]["analysis"]["error"]
    assert report["root_cause"]["category"] == "unknown"
    assert report["log_patterns"] and report["changes"] == []


@pytest.mark.parametrize("order", [("InstanceId", "path", "device", "fstype"), ("fstype", "path", "InstanceId",
                                                                                   "device")])
def test_the_sandbox_answers_whatever_order_the_dimensions_were_written_in(tmp_path, order):
    from datetime import timedelta

    from analyzers.model import MetricKey
    from bot.aws import MetricQuery
    from bot.sandbox import Sandbox

    scenario = _disk_scenario()
    scenario["metrics"][1]["dimensions"] = {k: DISK[k] for k in order}
    with Sandbox.start(write_scenario(tmp_path, scenario)) as box:
        gateway = box.provider().region("us-east-1")
        key = MetricKey.of("CWAgent", "disk_used_percent", DISK, "Maximum", "us-east-1")
        end = box.scenario.at(0)
        series = gateway.get_metric_data([MetricQuery(key, 60)], end - timedelta(hours=2), end)
    assert len(series[0].values) > 60


LB = "app/storefront-alb/7f3c2a9d1e4b6a05"
TG = "targetgroup/storefront-web-tg/3b9e1d7c5a2f4e61"


def _target_group_scenario() -> dict[str, Any]:
    def points(value):
        return [[rel, value(rel)] for rel in range(START, 1, 60)]

    def metric(name: str, dims: dict[str, str], value) -> dict[str, Any]:
        return {"namespace": "AWS/ApplicationELB", "name": name, "dimensions": dims, "unit": "Count",
                "points": points(value)}

    return {
        "format": "aiops-scenario/v1", "name": "targets-unhealthy", "region": "us-east-1",
        "resources": [{"type": "alb", "id": LB, "properties": {"name": "storefront-alb"}}],
        "metrics": [
            metric("HTTPCode_ELB_5XX_Count", {"LoadBalancer": LB}, lambda rel: 0.0 if rel < ONSET else 900.0),
            metric("UnHealthyHostCount", {"TargetGroup": TG, "LoadBalancer": LB}, lambda rel: 0.0 if rel < ONSET else 6.0),
            metric("UnHealthyHostCount", {"TargetGroup": TG, "AvailabilityZone": "us-east-1a", "LoadBalancer": LB},
                   lambda rel: 0.0 if rel < ONSET else 3.0),
        ],
        "logs": [],
        "alarms": [{"name": "storefront-elb-5xx", "namespace": "AWS/ApplicationELB", "metric": "HTTPCode_ELB_5XX_Count",
                    "dimensions": {"LoadBalancer": LB}, "statistic": "Sum", "period": 60, "evaluation_periods": 3,
                    "threshold": 50, "comparison": "GreaterThanThreshold", "state": "ALARM",
                    "state_reason": "Threshold Crossed", "state_changed": ALARM_AT}],
    }


def test_a_balancers_unhealthy_hosts_are_read_per_target_group_where_cloudwatch_publishes_them(tmp_path):
    # GIVEN a balancer whose UnHealthyHostCount exists, as in CloudWatch, only per target group (and per zone)
    report = _investigate(tmp_path, _target_group_scenario(), "storefront-elb-5xx")
    # THEN the target group's series is read (not the per-zone one), with its data
    unhealthy = [m for m in report["metrics"] if m["metric"] == "UnHealthyHostCount"]
    assert len(unhealthy) == 1 and unhealthy[0]["points"] > 60
    assert unhealthy[0]["dimensions"] == {"LoadBalancer": LB, "TargetGroup": TG}
