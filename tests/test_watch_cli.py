"""Tests for the ``watch`` command: --once JSON on a scenario, input errors, the scheduled loop."""
from __future__ import annotations

import json

import pytest

from analyzers.grouping import Changes
from analyzers.incidents import Incident
from bot import watch_cli
from bot.cli import main
from tests.test_poller import write_scenario

CONFIG_YAML = "aws: {regions: [us-east-1]}\nmonitoring: {services: {lambda: {}, rds: {}}, poll_interval: 30}\n"


@pytest.fixture()
def config_file(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG_YAML, encoding="utf-8")
    return str(path)


def test_watch_once_json_prints_the_incidents_of_one_poll(tmp_path, config_file, capsys):
    # GIVEN a scenario with a planted outage
    scenario = write_scenario(tmp_path / "outage.yaml")
    # WHEN watch --once --format json runs
    code = main(["watch", "--once", "--format", "json", "--scenario", str(scenario), "--config", config_file])
    # THEN it exits 0 and prints a JSON list of incidents with resource, metric, onset, score, severity
    assert code == 0
    incidents = json.loads(capsys.readouterr().out)
    assert len(incidents) == 1
    incident = incidents[0]
    assert incident["severity"] == "critical" and incident["key"].startswith("alarm:us-east-1:shop-api-errors:")
    signal = incident["signals"][0]
    assert {"resource", "metric", "onset", "score"} <= set(signal) and 0 <= signal["score"] <= 1
    assert {r["id"] for r in incident["resources"]} == {"shop-api", "shop-db"}
    # AND each metric signal names its metric's parts for machines
    keyed = [s["metric_key"] for s in incident["signals"] if s.get("metric_key")]
    assert keyed and all({"namespace", "name", "dimensions", "statistic"} == set(k) for k in keyed)
    assert any(k["namespace"] == "AWS/Lambda" and k["dimensions"] == {"FunctionName": "shop-api"} for k in keyed)


def test_watch_with_a_database_keeps_its_incidents_for_summary(tmp_path, config_file, capsys):
    from bot.store import Store

    # GIVEN a scenario with a planted outage and a named database
    scenario = write_scenario(tmp_path / "outage.yaml")
    db = tmp_path / "watch.db"
    # WHEN watch --once runs on it, then summary is asked for
    assert main(["watch", "--once", "--scenario", str(scenario), "--config", config_file, "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["summary", "--since", "1h", "--format", "json", "--db", str(db)]) == 0
    # THEN the incident is in the database and in the summary
    (row,) = Store(db).list_incidents(open_only=True)
    assert row["key"].startswith("alarm:us-east-1:shop-api-errors:") and row["opened_at"]
    assert json.loads(capsys.readouterr().out)["totals"]["incidents"] == 1


@pytest.mark.parametrize("content, message", [
    (None, "not found"),
    ("{not json", "not valid JSON"),
    ('[{"type": "queue", "id": "x"}]', "'0.type'"),
    ('{"type": "lambda"}', "expected a list"),
    ('[{"type": "lambda", "id": "f", "region": "mars-1"}]', "'mars-1' is not an AWS region name"),
    ("[]", "lists no resources"),
    ('[{"type": "alb", "id": "pay-alb"}]', "an ALB is 'app/NAME/ID'"),
    ('[{"type": "ecs", "id": "cart-svc"}]', "an ECS service is 'CLUSTER/SERVICE'"),
    ('[{"type": "rds", "id": "arn:aws:lambda:us-east-1:123456789012:function:pay"}]', "not the ARN of a rds"),
    ('[{"type": "lambda", "id": "arn:aws:lambda:us-east-1:1:function:pay", "region": "eu-west-1"}]',
     "does not match the ARN's 'us-east-1'"),
])
def test_bad_resources_file_is_one_line_error(tmp_path, config_file, capsys, content, message):
    # GIVEN a broken --resources-file
    path = tmp_path / "resources.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    # WHEN watch runs
    code = main(["watch", "--once", "--config", config_file, "--resources-file", str(path)])
    # THEN exit 2 with one line on stderr naming the problem
    err = capsys.readouterr().err.strip()
    assert code == 2 and message in err and len(err.splitlines()) == 1


def test_bad_duration_and_missing_scenario_fail_cleanly(tmp_path, config_file, capsys):
    assert main(["watch", "--duration", "0", "--config", config_file]) == 2
    assert main(["watch", "--once", "--config", config_file, "--scenario", str(tmp_path / "nope.yaml")]) == 2
    err = capsys.readouterr().err
    assert "--duration" in err and "not found" in err and "Traceback" not in err
    assert main(["watch", "--once", "--duration", "5", "--config", config_file]) == 2
    assert "--duration goes with the continuous mode" in capsys.readouterr().err


class _FakePoller:
    def __init__(self, incident: Incident):
        self.polls = 0
        self.incident = incident
        self.last_changes = Changes()

    def poll(self):
        self.polls += 1
        self.last_changes = Changes(new=(self.incident,))
        return [self.incident]


class _Monitoring:
    poll_interval = 30
    jitter = 1


def test_scheduled_watch_polls_at_once_prints_changes_and_stops_after_duration(capsys):
    # GIVEN a poller that always reports a new incident
    from datetime import datetime, timezone
    incident = Incident("anomaly:us-east-1:x:2026-03-01T11:30:00Z", "Errors anomalous on x", "us-east-1",
                        "warning", "open", datetime(2026, 3, 1, 11, 40, tzinfo=timezone.utc))
    poller = _FakePoller(incident)
    # WHEN the scheduled loop runs for 0.02 minutes (interval 30 s: only the immediate first poll)
    code = watch_cli._run_scheduled(poller, _Monitoring(), "json", 0.02)
    # THEN it polled once, printed the change as a JSON line, and stopped
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and poller.polls == 1
    assert [{k: v for k, v in line.items() if k != "at"} for line in lines] == [
        {"change": "new", "incident": incident.to_dict()}]
    assert lines[0]["at"].endswith("Z")  # when the change was seen


def test_a_resources_file_limits_alarms_to_its_resources_and_names_the_silent_ones(tmp_path, config_file, capsys):
    # GIVEN the outage scenario (shop-api's alarm is in ALARM) and a file listing only the database and a typo
    scenario = write_scenario(tmp_path / "outage.yaml")
    listed = tmp_path / "resources.json"
    listed.write_text(json.dumps([{"type": "rds", "id": "shop-db"}, {"type": "lambda", "id": "shop-apii"}]))
    # WHEN watch --once runs on the listed resources
    code = main(["watch", "--once", "--format", "json", "--scenario", str(scenario), "--config", config_file,
                 "--resources-file", str(listed)])
    captured = capsys.readouterr()
    # THEN the alarm of an unlisted function raises nothing, and the typo is named as having no data
    assert code == 0
    assert not [i for i in json.loads(captured.out) if i["key"].startswith("alarm:")]
    assert "warning: no CloudWatch data for lambda shop-apii:" in captured.err
    assert "shop-db" not in captured.err


def test_resources_are_listed_by_arn_and_one_in_an_unwatched_region_is_named_as_such(tmp_path, config_file, capsys):
    from bot.watch_cli import resource_of

    # GIVEN ARNs of a function (with its alias), a balancer, a database and a service
    arns = {("lambda", "arn:aws:lambda:eu-west-1:123456789012:function:pay-api:live"): "pay-api",
            ("alb", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/pay-alb/50dc6c49"):
                "app/pay-alb/50dc6c49",
            ("rds", "arn:aws:rds:eu-west-1:123456789012:db:pay-db"): "pay-db",
            ("ecs", "arn:aws:ecs:eu-west-1:123456789012:service/shop/cart-svc"): "shop/cart-svc"}
    # WHEN read THEN each becomes the id the poller matches, in the ARN's region
    for (kind, arn), rid in arns.items():
        problem, ref = resource_of(kind, arn, None)
        assert problem is None and (ref.id, ref.region) == (rid, "eu-west-1")
    # AND a listed resource in a region the config does not watch is named as such, not as "no data"
    scenario = write_scenario(tmp_path / "outage.yaml")
    listed = tmp_path / "resources.json"
    listed.write_text(json.dumps([{"type": "rds", "id": "shop-db"},
                                  {"type": "lambda", "id": "arn:aws:lambda:ap-south-1:123456789012:function:x"}]))
    code = main(["watch", "--once", "--format", "json", "--scenario", str(scenario), "--config", config_file,
                 "--resources-file", str(listed)])
    err = capsys.readouterr().err
    assert code == 0 and "warning: lambda x in ap-south-1: not in a watched region" in err
    assert "no CloudWatch data" not in err
