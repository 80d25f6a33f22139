"""Tests for bot.poller: collection against the moto sandbox, incidents on planted problems, batching."""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import numpy as np
import pytest
import yaml
from botocore.stub import Stubber

from analyzers.model import MetricKey
from bot.aws import cloudwatch
from bot.config import Config
from bot.poller import Poller
from bot.wiring import build_runtime

POINTS = 180  # three hours of one-minute points, the poller's default lookback


def _points(values) -> list[list[float]]:
    n = len(values)
    return [[-60.0 * (n - i), float(v)] for i, v in enumerate(values)]


def write_scenario(path: Path, incident: bool = True) -> Path:
    """A small account: shop-api (Lambda) and shop-db (RDS) break together when ``incident``; quiet-fn never."""
    rng = np.random.default_rng(11)
    invocations = rng.poisson(100, POINTS)
    errors = np.zeros(POINTS)
    connections = rng.normal(20, 2, POINTS).round()
    if incident:
        errors[-20:] = rng.poisson(30, 20)
        connections[-23:] = 95
    lam = {"FunctionName": "shop-api"}
    metrics = [
        {"namespace": "AWS/Lambda", "name": "Invocations", "dimensions": lam, "unit": "Count",
         "points": _points(invocations)},
        {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": lam, "unit": "Count", "points": _points(errors)},
        {"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": "shop-db"},
         "unit": "Count", "points": _points(connections)},
        {"namespace": "AWS/Lambda", "name": "Invocations", "dimensions": {"FunctionName": "quiet-fn"},
         "unit": "Count", "points": _points(rng.poisson(50, POINTS))},
    ]
    alarm = {"name": "shop-api-errors", "namespace": "AWS/Lambda", "metric": "Errors", "dimensions": lam,
             "statistic": "Sum", "period": 60, "evaluation_periods": 3, "threshold": 5,
             "state": "ALARM" if incident else "OK", "state_changed": -900}
    scenario = {"format": "aiops-scenario/v1", "name": "shop-outage" if incident else "shop-calm",
                "region": "us-east-1",
                "resources": [{"type": "lambda", "id": "shop-api"}, {"type": "lambda", "id": "quiet-fn"},
                              {"type": "rds", "id": "shop-db"}],
                "metrics": metrics, "alarms": [alarm]}
    path.write_text(yaml.safe_dump(scenario), encoding="utf-8")
    return path


CONFIG = Config.model_validate({"aws": {"regions": ["us-east-1"]},
                                "monitoring": {"services": {"lambda": {}, "rds": {}}}})


@pytest.fixture(scope="module")
def outage(tmp_path_factory):
    runtime = build_runtime(scenario=write_scenario(tmp_path_factory.mktemp("s") / "outage.yaml"),
                            memory_db=True, config=CONFIG)
    yield runtime
    runtime.close()


def test_poll_fetches_series_and_groups_the_planted_problem_into_one_incident(outage):
    # GIVEN the sandbox with errors on shop-api, connections piling up on shop-db and the alarm firing
    poller = Poller(outage)
    # WHEN polled
    incidents = poller.poll()
    # THEN every catalog series was fetched (5 Lambda x 2 + 9 RDS) and rates were derived
    assert poller.last_stats.series == 19 and poller.last_stats.derived >= 2
    # AND one critical incident holds the alarm and both related resources, not the quiet function
    assert len(incidents) == 1, [i.key for i in incidents]
    incident = incidents[0]
    assert incident.key.startswith("alarm:us-east-1:shop-api-errors:")
    assert incident.severity == "critical" and incident.state == "open"
    assert {r.id for r in incident.resources} == {"shop-api", "shop-db"}
    kinds = {(s.kind, s.metric.name) for s in incident.signals}
    assert ("threshold", "ErrorRate") in kinds and ("anomaly", "DatabaseConnections") in kinds
    onset = next(s.onset for s in incident.signals if s.metric.name == "DatabaseConnections")
    assert timedelta(minutes=20) <= datetime.now(timezone.utc) - onset <= timedelta(minutes=30)


def test_second_poll_keeps_the_key_and_reports_no_change(outage):
    # GIVEN a poller that already saw the incident
    poller = Poller(outage)
    first = poller.poll()
    assert [i.key for i in poller.last_changes.new] == [first[0].key]
    # WHEN polled again
    second = poller.poll()
    # THEN same key, nothing new or resolved
    assert [i.key for i in second] == [first[0].key]
    assert not poller.last_changes.new and not poller.last_changes.resolved


def test_resources_restriction_watches_only_listed_resources(outage):
    # GIVEN a poller restricted to the quiet function
    from analyzers.model import ResourceRef
    poller = Poller(outage, resources=[ResourceRef("lambda", "quiet-fn")])
    # WHEN polled THEN only its series are fetched, and the firing alarm of another function opens nothing
    incidents = poller.poll()
    assert poller.last_stats.series == 5
    assert incidents == [] and poller.last_stats.silent_resources == []


def test_flat_data_gives_no_incident(tmp_path):
    # GIVEN the same account on a calm day (alarm OK)
    runtime = build_runtime(scenario=write_scenario(tmp_path / "calm.yaml", incident=False), memory_db=True,
                            config=CONFIG)
    try:
        # WHEN polled THEN nothing is raised
        poller = Poller(runtime)
        assert poller.poll() == []
        assert poller.last_stats.series == 19
    finally:
        runtime.close()


def test_get_metric_data_batches_500_queries_per_call_with_stubber():
    # GIVEN 1,001 queries and a real CloudWatch client answered by botocore's Stubber
    client = boto3.client("cloudwatch", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    queries = [cloudwatch.MetricQuery(MetricKey.of("AWS/Lambda", "Errors", {"FunctionName": f"f{i}"}, "Sum"))
               for i in range(1001)]
    stamp = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    with Stubber(client) as stub:
        for offset in range(0, 1001, 500):
            ids = [f"q{i}" for i in range(offset, min(offset + 500, 1001))]
            stub.add_response("get_metric_data", {"MetricDataResults": [
                {"Id": qid, "Timestamps": [stamp], "Values": [float(n)], "StatusCode": "Complete"}
                for n, qid in enumerate(ids)]})
        # WHEN fetched
        series = cloudwatch.get_metric_data(client, queries, stamp - timedelta(hours=1), stamp)
        # THEN ceil(1001 / 500) = 3 calls were made and answers map back to their queries
        stub.assert_no_pending_responses()
    assert len(series) == 1001 and series[1000].values == (0.0,) and series[501].values == (1.0,)


def test_poll_api_calls_are_ceil_series_over_500_at_the_botocore_boundary():
    # GIVEN 1,205 series answered by a before-call hook (see benchmarks/poll.py)
    from benchmarks.poll import run
    # WHEN one poll runs
    result = run(series=1205, points=60)
    # THEN GetMetricData is called ceil(1205/500) = 3 times, plus one DescribeAlarms
    assert result["get_metric_data_calls"] == math.ceil(1205 / 500) == 3
    assert result["calls_by_operation"] == {"GetMetricData": 3, "DescribeAlarms": 1}


def test_a_balancers_unhealthy_hosts_are_watched_per_target_group(tmp_path):
    # GIVEN a balancer whose UnHealthyHostCount CloudWatch publishes only per target group (and per zone)
    lb, tg = "app/shop-alb/50dc6c495c0c9188", "targetgroup/shop-web/6d0ecf831eec9f09"
    unhealthy = [0.0] * (POINTS - 15) + [4.0] * 15
    metrics = [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb},
                "unit": "Count", "points": _points([1000.0] * POINTS)},
               {"namespace": "AWS/ApplicationELB", "name": "UnHealthyHostCount", "unit": "Count",
                "dimensions": {"TargetGroup": tg, "LoadBalancer": lb}, "points": _points(unhealthy)},
               {"namespace": "AWS/ApplicationELB", "name": "UnHealthyHostCount", "unit": "Count",
                "dimensions": {"TargetGroup": tg, "AvailabilityZone": "us-east-1a", "LoadBalancer": lb},
                "points": _points(unhealthy)}]
    scenario = {"format": "aiops-scenario/v1", "name": "shop-targets", "region": "us-east-1",
                "resources": [{"type": "alb", "id": lb}], "metrics": metrics, "alarms": []}
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(scenario), encoding="utf-8")
    config = Config.model_validate({"aws": {"regions": ["us-east-1"]}, "monitoring": {"services": {"alb": {}}}})
    runtime = build_runtime(scenario=path, memory_db=True, config=config)
    try:
        # WHEN polled
        incidents = Poller(runtime).poll()
    finally:
        runtime.close()
    # THEN the target group's series is read (not the per-zone one) and its unhealthy hosts raise an incident
    signals = [s for i in incidents for s in i.signals if s.metric.name == "UnHealthyHostCount"]
    assert signals and {tuple(sorted(s.metric.dimension_map)) for s in signals} == {("LoadBalancer", "TargetGroup")}


def _two_unrelated_names(path: Path) -> Path:
    """image-resizer (Lambda) and upload-store (RDS) break at the same time; their names share no word."""
    rng = np.random.default_rng(5)
    errors = np.zeros(POINTS)
    errors[-20:] = rng.poisson(30, 20)
    connections = rng.normal(20, 2, POINTS).round()
    connections[-21:] = 95
    lam = {"FunctionName": "image-resizer"}
    scenario = {"format": "aiops-scenario/v1", "name": "two-names", "region": "us-east-1",
                "resources": [{"type": "lambda", "id": "image-resizer"}, {"type": "rds", "id": "upload-store"}],
                "metrics": [
                    {"namespace": "AWS/Lambda", "name": "Invocations", "dimensions": lam, "unit": "Count",
                     "points": _points(rng.poisson(100, POINTS))},
                    {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": lam, "unit": "Count",
                     "points": _points(errors)},
                    {"namespace": "AWS/RDS", "name": "DatabaseConnections", "unit": "Count",
                     "dimensions": {"DBInstanceIdentifier": "upload-store"}, "points": _points(connections)}]}
    path.write_text(yaml.safe_dump(scenario), encoding="utf-8")
    return path


@pytest.mark.parametrize("groups, incidents", [({}, 2), ({"media": ["image-resizer", "upload-*"]}, 1)])
def test_configured_groups_join_resources_whose_names_share_no_word(tmp_path, groups, incidents):
    # GIVEN two resources that break together but share no name token, with and without a configured group
    config = Config.model_validate({"aws": {"regions": ["us-east-1"]},
                                    "monitoring": {"services": {"lambda": {}, "rds": {}}, "groups": groups}})
    runtime = build_runtime(scenario=_two_unrelated_names(tmp_path / "s.yaml"), memory_db=True, config=config)
    try:
        # WHEN polled
        found = Poller(runtime).poll()
    finally:
        runtime.close()
    # THEN they are one incident only when the configuration groups them
    assert len(found) == incidents, [i.key for i in found]
    assert {r.id for i in found for r in i.resources} == {"image-resizer", "upload-store"}


def _daily_ramp_scenario(path, every_day: bool):
    """28 hours of one-minute Invocations: 100/min, 500/min in the last hour of each day (or only today's)."""
    rng = np.random.default_rng(1)
    points = []
    for t in range(-28 * 3600, 1, 60):
        high = (t % 86400 >= 86400 - 3600 or t % 86400 == 0) and (every_day or t > -7200)
        points.append([t, float(rng.poisson(500 if high else 100))])
    scenario = {"format": "aiops-scenario/v1", "name": "daily-ramp", "region": "us-east-1",
                "resources": [{"type": "lambda", "id": "web-api"}],
                "metrics": [{"namespace": "AWS/Lambda", "name": "Invocations", "unit": "Count",
                             "dimensions": {"FunctionName": "web-api"}, "points": points}]}
    path.write_text(yaml.safe_dump(scenario), encoding="utf-8")
    return path


@pytest.mark.parametrize("every_day, history_hours, alerts", [
    (True, 3, True),     # three hours cannot tell a daily ramp from a surge
    (True, 28, False),   # a day of history: the same ramp at the same time yesterday is no anomaly
    (False, 28, True),   # ...but a ramp that did not happen yesterday still is
])
def test_history_hours_let_the_detector_learn_the_daily_pattern(tmp_path, every_day, history_hours, alerts):
    config = Config.model_validate({"aws": {"regions": ["us-east-1"]},
                                    "monitoring": {"services": {"lambda": {}}, "history_hours": history_hours}})
    runtime = build_runtime(scenario=_daily_ramp_scenario(tmp_path / "s.yaml", every_day), memory_db=True,
                            config=config)
    try:
        incidents = Poller(runtime).poll()
    finally:
        runtime.close()
    assert bool(incidents) is alerts, [i.title for i in incidents]


def test_alarm_state_reasons_are_redacted_before_they_reach_an_incident(tmp_path):
    # GIVEN the firing alarm's state reason carries a token (SetAlarmState takes any text)
    runtime = build_runtime(scenario=write_scenario(tmp_path / "outage.yaml"), memory_db=True, config=CONFIG)
    try:
        gateway = runtime.provider.region("us-east-1")
        gateway.factory.client("cloudwatch", "us-east-1").set_alarm_state(
            AlarmName="shop-api-errors", StateValue="ALARM",
            StateReason="Threshold Crossed: token=s3cr3tT0kenValue9 in the reason")
        # WHEN polled
        incidents = Poller(runtime).poll()
    finally:
        runtime.close()
    # THEN the alarm's signal text (Slack details, watch JSON, the stored incident) has the token redacted
    texts = [s.text for i in incidents for s in i.signals if s.kind == "alarm"]
    assert texts and all("s3cr3tT0kenValue9" not in t for t in texts)
    assert any("[REDACTED:secret]" in t for t in texts)


def test_five_minute_series_are_read_far_enough_back_for_the_detector(tmp_path):
    # GIVEN EC2 basic monitoring (a point every 5 minutes) for 15 hours, CPU stepping from ~20 to ~75 % for the
    # last 30 minutes, and the default 3 hours of history (36 such points)
    rng = np.random.default_rng(5)
    points = [[float(t), float(rng.normal(75 if t > -1800 else 20, 2))] for t in range(-15 * 3600, 1, 300)]
    scenario = {"format": "aiops-scenario/v1", "name": "basic-monitoring", "region": "us-east-1",
                "resources": [{"type": "ec2", "id": "i-0basic0000000001"}],
                "metrics": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "unit": "Percent", "period": 300,
                             "dimensions": {"InstanceId": "i-0basic0000000001"}, "points": points}]}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(scenario), encoding="utf-8")
    config = Config.model_validate({"aws": {"regions": ["us-east-1"]}, "monitoring": {
        "services": {"ec2": {}}, "metrics": {"ec2": {"CPUUtilization": {"period": 300}}}}})
    runtime = build_runtime(scenario=path, memory_db=True, config=config)
    try:
        poller = Poller(runtime)
        # WHEN polled
        incidents = poller.poll()
    finally:
        runtime.close()
    # THEN the series is read 180 points back (15 hours) and the step is an incident
    assert [i.title for i in incidents] == ["CPUUtilization anomalous on i-0basic0000000001"]
    assert poller.lookback_for(300) == timedelta(hours=15) and poller.lookback_for(60) == timedelta(hours=3)


def test_a_per_resource_threshold_naming_no_resource_is_reported(tmp_path, caplog):
    # GIVEN a per-resource Duration threshold whose id has a typo ("shop-apo")
    config = Config.model_validate({"aws": {"regions": ["us-east-1"]}, "monitoring": {
        "services": {"lambda": {}}, "metrics": {"lambda": {"Duration": {"resources": {"shop-apo": 8000}}}}}})
    runtime = build_runtime(scenario=write_scenario(tmp_path / "calm.yaml", incident=False), memory_db=True,
                            config=config)
    try:
        poller = Poller(runtime)
        # WHEN polled twice
        poller.poll()
        poller.poll()
    finally:
        runtime.close()
    # THEN the poll names it, and the log says it once
    assert poller.last_stats.unknown_overrides == ["lambda Duration threshold for 'shop-apo'"]
    assert sum("'shop-apo': no watched lambda has that id" in r.getMessage() for r in caplog.records) == 1
