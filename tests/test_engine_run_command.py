"""SSM Run Command on the hosts, end to end on the sandbox: a command whose output shows settings written
is a configuration change of the instances it ran on; a patching run is not."""
from __future__ import annotations

from typing import Any

from analyzers.changes import change_kind, with_run_command_settings
from bot.config import Config
from bot.engine import InvestigationRequest, Investigator
from bot.store import Store
from tests.conftest import ALARM_AT, DEPLOY_AT, ONSET, START, write_scenario

LB = "app/forum-alb/0c8e4a2f6d1b9357"
HOST = "i-02b03755735b2ffaa"
COMMAND = "3c1f9e2a-6b7d-4a58-b0c3-d9e8f7a6b5c4"
TUNING = ["== OPS-2291 php-fpm pool tuning ==", "backup: /etc/php-fpm.d/www.conf -> /etc/php-fpm.d/www.conf.bak",
          "pm = static", "pm.max_children = 4", "Reloading php-fpm.service", "done"]
PATCHING = ["Patch group: web-prod", "Installing 0 missing updates", "Scanning for missing updates... none", "done"]


def _scenario(output: list[str]) -> dict[str, Any]:
    def points(value):
        return [[rel, value(rel)] for rel in range(START, 1, 60)]

    served = [[t, f"INFO GET /t/{t:.0f} 200 in 41 ms"] for t in range(START, 0, 20)]
    full = [[t, "WARNING: [pool www] server reached max_children setting (4), consider raising it"]
            for t in range(ONSET, 0, 15)]
    refused = [[t + 5, "[error] connect() to unix:/run/php-fpm/www.sock failed (11: Resource temporarily "
                       "unavailable) while connecting to upstream"] for t in range(ONSET, 0, 15)]
    return {
        "format": "aiops-scenario/v1", "name": "run-command", "region": "eu-west-3",
        "resources": [
            {"type": "ec2", "id": HOST, "properties": {"name": "forum-web-1", "log_groups": ["/forum/web"]}},
            {"type": "alb", "id": LB, "properties": {"name": "forum-alb", "targets": [HOST]}},
        ],
        "metrics": [
            {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": LB},
             "unit": "Count", "points": points(lambda rel: 0.0 if rel < ONSET else 300.0)},
            {"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": HOST}, "unit": "Percent",
             "points": points(lambda rel: 35.0 + (rel // 60) % 3 if rel < ONSET else 8.0)},
        ],
        "logs": [{"group": "/forum/web", "stream": HOST, "events": sorted(served + full + refused)},
                 {"group": "/aws/ssm/AWS-RunShellScript", "stream": f"{COMMAND}/{HOST}/aws-runShellScript/stdout",
                  "events": [[DEPLOY_AT + 2 + i / 10, line] for i, line in enumerate(output)]}],
        "alarms": [{"name": "forum-alb-target-5xx", "namespace": "AWS/ApplicationELB",
                    "metric": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": LB}, "statistic": "Sum",
                    "period": 60, "evaluation_periods": 3, "threshold": 50, "comparison": "GreaterThanThreshold",
                    "state": "ALARM", "state_reason": "Threshold Crossed", "state_changed": ALARM_AT}],
        "changes": [{"time": DEPLOY_AT, "event_source": "ssm.amazonaws.com", "event_name": "SendCommand",
                     "resource_type": "AWS::EC2::Instance", "resource_name": HOST, "username": "d.okafor"}],
    }


def _investigate(tmp_path, scenario: dict[str, Any]) -> dict[str, Any]:
    from bot.sandbox import Sandbox

    box = Sandbox.start(write_scenario(tmp_path, scenario))
    try:
        return Investigator(Config(), box.provider(), Store(memory=True)).investigate(
            InvestigationRequest("forum-alb-target-5xx"))
    finally:
        box.stop()


def test_a_run_command_whose_output_writes_settings_is_the_configuration_change_behind_the_failures(tmp_path):
    # GIVEN a Run Command on the host, minutes before its PHP pool turns requests away, whose output
    # (in /aws/ssm/AWS-RunShellScript, stream <command>/<instance>/...) sets pm.max_children = 4
    report = _investigate(tmp_path, _scenario(TUNING))
    # THEN the command's output is read, the command is a change of settings on that host, and it is the cause
    assert any(q["log_group"] == "/aws/ssm/AWS-RunShellScript" for q in report["evidence_bundle"]["log_queries"])
    names = [c["event_name"] for c in report["changes"]]
    assert names == ["SendCommand: pm = static; pm.max_children = 4"]
    root = report["root_cause"]
    assert (root["category"], root["resource"]["id"]) == ("config_change", HOST)


def test_a_run_command_that_only_patches_stays_a_plain_command(tmp_path):
    # GIVEN the same failures after a patching run whose output writes no setting
    report = _investigate(tmp_path, _scenario(PATCHING))
    # THEN the command is listed as it was recorded and is not taken for a configuration change
    assert [c["event_name"] for c in report["changes"]] == ["SendCommand"]
    assert report["root_cause"]["category"] != "config_change"


def test_output_on_another_instance_or_long_after_does_not_make_a_command_a_setting_change():
    from datetime import datetime, timedelta, timezone

    from analyzers.model import Change, LogPattern, ResourceRef

    at = datetime(2026, 11, 18, 10, 33, tzinfo=timezone.utc)
    host, other = ResourceRef("ec2", HOST, "eu-west-3"), ResourceRef("ec2", "i-0aaaaaaaaaaaaaaaa", "eu-west-3")
    change = Change("c1", at, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", HOST)
    group = "/aws/ssm/AWS-RunShellScript"

    def written(source: str, minutes: int) -> LogPattern:
        seen = at + timedelta(minutes=minutes)
        return LogPattern("p1", "pm.max_children = <*>", 1, group, seen, seen, ("pm.max_children = 4",),
                          1, 0, 0.1, 0.0, False, source=source)

    owners = {f"{group}@{HOST}": host, f"{group}@{other.id}": other}
    # GIVEN settings written by the command's run on this host: a configuration change
    [found] = with_run_command_settings([change], [written(HOST, 1)], owners)
    assert found.event_name == "SendCommand: pm.max_children = 4" and change_kind(found) == "config"
    # WHEN the output is another instance's, or appears long after the command: it stays a plain command
    for pattern in (written(other.id, 1), written(HOST, 40)):
        [kept] = with_run_command_settings([change], [pattern], owners)
        assert kept == change and change_kind(kept) == "other"


def test_a_run_command_after_which_the_instance_announces_a_new_release_is_a_deployment():
    from datetime import datetime, timedelta, timezone

    from analyzers.model import Change, LogPattern, ResourceRef

    at = datetime(2026, 11, 18, 10, 33, tzinfo=timezone.utc)
    host = ResourceRef("ec2", HOST, "eu-west-3")
    change = Change("c1", at, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", HOST)
    group = "/soapgw/deploy"

    def logged(line: str, minutes: int, new: bool = True) -> LogPattern:
        seen = at + timedelta(minutes=minutes)
        return LogPattern("p1", line, 1, group, seen, seen, (line,), 0 if new else 3, 1, 0.0, 0.1, new, "INFO")

    release = "[aws:runPowerShellScript] CHG0041877 start: ClaimsSoapBridge 3.9.4.1120 -> 3.10.0.1187"
    # GIVEN a command on an instance whose own deploy log newly announces a version change a minute later
    [found] = with_run_command_settings([change], [logged(release, 1)], {group: host})
    # THEN the command is a deployment of the instance
    assert found.event_name == f"SendCommand: deploy {release}" and change_kind(found) == "deployment"
    # AND a line that was logged before, one long after, or one naming no release leaves it a plain command
    for pattern in (logged(release, 1, new=False), logged(release, 40), logged("Scanning for missing updates", 1)):
        [kept] = with_run_command_settings([change], [pattern], {group: host})
        assert kept == change and change_kind(kept) == "other"
