"""Charts: which series are drawn with exactly which data (golden), PNG files for every service, placeholders."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from analyzers.catalog import CATALOG, metric_keys
from analyzers.charts_data import MAX_POINTS, ChartSpec, chart_specs, subsample
from analyzers.model import Alarm, Anomaly, Change, MetricKey, ResourceRef, Series
from analyzers.report import render_markdown

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
ONSET = T0 + timedelta(minutes=60)
END = T0 + timedelta(minutes=90)
RESOURCES = {"lambda": "orders-api", "rds": "orders-db", "ec2": "i-0abc123", "ecs": "shop/web",
             "apigateway": "orders-public", "alb": "app/shop-alb/50dc6c495c0c9188"}


def _series(sid: str, key: MetricKey, n: int = 90, spike: float = 10.0) -> Series:
    stamps = tuple(T0.timestamp() + 60 * i for i in range(n))
    values = tuple(1.0 + (i % 3) + (spike if i >= 60 else 0.0) for i in range(n))
    return Series(sid, key, stamps, values)


def _anomaly(aid: str, s: Series, resource: ResourceRef, score: float = 0.9) -> Anomaly:
    return Anomaly(aid, s.id, s.key, resource, ONSET, score, 2.0, 13.0, "up")


def _alarm_for(key: MetricKey) -> Alarm:
    return Alarm("orders-api-errors", "us-east-1", state="ALARM", namespace=key.namespace, metric=key.name,
                 dimensions=key.dimensions, statistic=key.stat, threshold=5.0, comparison="GreaterThanThreshold")


def _lambda_setup():
    fn, db = ResourceRef("lambda", "orders-api", "us-east-1"), ResourceRef("rds", "orders-db", "us-east-1")
    errors = _series("m1", MetricKey.of("AWS/Lambda", "Errors", {"FunctionName": fn.id}, "Sum", "us-east-1"))
    duration = _series("m2", MetricKey.of("AWS/Lambda", "Duration", {"FunctionName": fn.id}, "Maximum", "us-east-1"))
    conns = _series("m3", MetricKey.of("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db.id},
                                       "Maximum", "us-east-1"))
    deploy = Change("c1", ONSET - timedelta(minutes=3), "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
                    "AWS::Lambda::Function", fn.id, region="us-east-1")
    other = Change("c2", ONSET - timedelta(minutes=20), "rds.amazonaws.com", "ModifyDBInstance",
                   "AWS::RDS::DBInstance", db.id, region="us-east-1")
    return fn, db, [errors, duration, conns], [deploy, other]


def test_alarm_chart_first_with_threshold_window_and_markers():
    # GIVEN the alarm's series, an anomalous duration series and an anomalous series of a context resource
    fn, db, series, changes = _lambda_setup()
    anomalies = [_anomaly("a1", series[1], fn, 0.8), _anomaly("a2", series[2], db, 0.95)]
    # WHEN the charts are chosen with only the function as a candidate
    specs = chart_specs(_alarm_for(series[0].key), series, anomalies, ONSET, END, changes, [fn])
    # THEN the alarm metric comes first with the threshold, then the function's anomaly; the DB is left out
    assert [s.id for s in specs] == ["m1", "m2"]
    alarm_chart, duration_chart = specs
    assert alarm_chart.kind == "alarm" and alarm_chart.threshold == 5.0 and duration_chart.threshold is None
    assert alarm_chart.unit == "Count" and duration_chart.unit == "Milliseconds"  # from the catalog
    assert alarm_chart.timestamps == series[0].timestamps and alarm_chart.values == series[0].values
    assert alarm_chart.window_start == ONSET.timestamp() and alarm_chart.window_end == END.timestamp()
    assert alarm_chart.onset == ONSET.timestamp()
    # the alarm chart marks every related change; the function's chart only the function's own change
    assert [m.label for m in alarm_chart.markers] == ["ModifyDBInstance on orders-db", "UpdateFunctionCode on orders-api"]
    assert [(m.time, m.label) for m in duration_chart.markers] == [
        ((ONSET - timedelta(minutes=3)).timestamp(), "UpdateFunctionCode on orders-api")]
    data = alarm_chart.to_dict()
    assert data["values"][:4] == [1.0, 2.0, 3.0, 1.0] and data["values"][60] == 11.0
    assert data["timestamps"][0] == int(T0.timestamp()) and data["onset_iso"] == "2026-01-05T11:00:00Z"
    assert ChartSpec.from_dict(data) == alarm_chart


def test_at_most_six_charts_strongest_anomalies_first():
    # GIVEN ten anomalous series of a candidate resource
    fn = ResourceRef("lambda", "orders-api", "us-east-1")
    series = [_series(f"m{i}", MetricKey.of("AWS/Lambda", f"Metric{i}", {"FunctionName": fn.id}, "Sum"))
              for i in range(1, 11)]
    anomalies = [_anomaly(f"a{i}", s, fn, score=i / 10) for i, s in enumerate(series, 1)]
    alarm = Alarm("x", "us-east-1", namespace="AWS/Lambda", metric="Errors", dimensions=(("FunctionName", fn.id),))
    # WHEN charts are chosen (the alarm's own series is absent)
    specs = chart_specs(alarm, series, anomalies, ONSET, END, (), [fn])
    # THEN six charts, by descending score
    assert [s.id for s in specs] == ["m10", "m9", "m8", "m7", "m6", "m5"]


def test_subsample_keeps_each_bucket_extreme_and_at_most_720_points():
    # GIVEN 1500 points with one short spike
    stamps = [float(i) for i in range(1500)]
    values = [0.0] * 1500
    values[1001] = 99.0
    # WHEN subsampled
    t, v = subsample(stamps, values, MAX_POINTS)
    # THEN buckets of 3 points, the spike survives at its own time, and order is kept
    assert len(v) == 500 <= MAX_POINTS
    assert 99.0 in v and t[v.index(99.0)] == 1001.0
    assert list(t) == sorted(t)
    # AND a low-is-bad series keeps minima
    assert min(subsample(stamps, [5.0 if i != 7 else -1.0 for i in range(1500)], 720, prefer_min=True)[1]) == -1.0


def test_subsample_drops_non_finite_values():
    assert subsample([1, 2, 3], [1.0, float("nan"), 3.0]) == ((1.0, 3.0), (1.0, 3.0))


@pytest.mark.parametrize("service", sorted(RESOURCES))
def test_chart_files_for_every_service(service, tmp_path):
    # GIVEN every catalog metric of one resource of the service, all anomalous, alarm on the first
    from bot.charts import chart_files

    resource = ResourceRef(service, RESOURCES[service], "us-east-1")
    keys = [k for k, _ in metric_keys(resource)]
    series = [_series(f"m{i}", k) for i, k in enumerate(keys, 1)]
    anomalies = [_anomaly(f"a{i}", s, resource) for i, s in enumerate(series, 1)]
    specs = chart_specs(_alarm_for(keys[0]), series, anomalies, ONSET, END, (), [resource])
    report = {"id": f"inv-test-{service}", "charts": [s.to_dict() for s in specs]}
    # WHEN the PNGs are written
    paths = chart_files(report, tmp_path)
    # THEN one non-empty PNG per chart, named <report id>-<chart id>.png
    assert len(paths) == min(len(CATALOG[service]), 6) == len(specs)
    for spec, path in zip(specs, paths):
        assert path.name == f"inv-test-{service}-{spec.id}.png"
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


@pytest.mark.parametrize("values", [(), (4.0,)])
def test_empty_or_single_point_series_give_a_placeholder(values, tmp_path):
    # GIVEN a chart with no or one point
    from bot.charts import render_chart

    spec = ChartSpec("m1", "Errors", "AWS/Lambda Errors", "Count", tuple(T0.timestamp() for _ in values), values,
                     threshold=5.0, onset=ONSET.timestamp())
    # WHEN rendered THEN a PNG is written, no traceback
    path = render_chart(spec, tmp_path / "c.png")
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_bad_chart_data_is_skipped_not_raised(tmp_path):
    from bot.charts import write_charts_for_report

    report = {"id": "inv-x", "charts": [{"id": "m1", "timestamps": ["x"], "values": [1.0]},
                                        {"id": "m2", "timestamps": [1, 2], "values": [1.0, 2.0]}]}
    assert [p.name for p in write_charts_for_report(report, tmp_path)] == ["inv-x-m2.png"]


def test_markdown_embeds_charts_links_and_script_guidance():
    # GIVEN a minimal report with a chart, links and a script
    report = {
        "id": "inv-1", "created_at": "2026-01-05T12:00:00Z", "summary": "s",
        "alarm": {"name": "a", "region": "us-east-1", "state": "ALARM"},
        "root_cause": {"category": "bad_deployment", "resource": {"type": "lambda", "id": "f"}, "confidence": 0.8,
                       "evidence": []},
        "hypotheses": [], "timeline": [], "log_patterns": [],
        "charts": [{"id": "m1", "title": "Errors (Sum) - lambda f"}],
        "links": {"alarm": "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/a",
                  "resources": {"f": "https://r"}, "metrics": {}, "log_groups": {}, "changes": {}},
        "scripts": [{"id": "s1", "title": "Roll back", "language": "bash", "risk": "medium", "body": "echo",
                     "sha256": "0" * 64, "description": "Moves the alias back.",
                     "instructions": "Run `bash s1.sh` with credentials that can update the alias.",
                     "changes": "Lambda alias live -> previous version"}],
    }
    # WHEN rendered
    md = render_markdown(report)
    # THEN the chart image sits beside the report, links and script guidance are shown
    assert "![Errors (Sum) - lambda f](inv-1-m1.png)" in md
    assert "- [alarm](https://us-east-1.console.aws.amazon.com/" in md and "- [resource `f`](https://r)" in md
    assert "**Risk:** medium" in md and "Lambda alias live -> previous version" in md
    assert "**How to run it yourself:**" in md and "bash s1.sh" in md
