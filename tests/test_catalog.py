"""Tests for the watch catalog (analyzers.catalog) and client-side series maths (analyzers.series_math)."""
from __future__ import annotations

import math
from datetime import datetime, timezone

import numpy as np

from analyzers.catalog import CATALOG, metric_keys, watch_rules
from analyzers.detection import StaticThreshold
from analyzers.model import MetricKey, ResourceRef, Series
from analyzers.series_math import anomaly_candidates, anomaly_signal, derive_rates, threshold_signal
from bot.config import MetricRule

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def _series(name: str, values, dims=None, stat="Sum", ns="AWS/Lambda") -> Series:
    n = len(values)
    stamps = tuple(NOW.timestamp() - 60 * (n - i) for i in range(n))
    key = MetricKey.of(ns, name, dims or {"FunctionName": "shop-api"}, stat, "us-east-1")
    return Series(name, key, stamps, tuple(float(v) for v in values))


def test_catalog_covers_every_service_and_keeps_its_api():
    # GIVEN the catalog THEN every watched service has its metrics, and metric_keys still works
    assert {"ec2", "lambda", "rds", "ecs", "apigateway", "alb"} <= set(CATALOG)
    names = {s.name for s in CATALOG["alb"]}
    assert {"RequestCount", "TargetResponseTime", "HTTPCode_Target_5XX_Count", "UnHealthyHostCount"} <= names
    keys = metric_keys(ResourceRef("lambda", "shop-api", "us-east-1"))
    assert len(keys) == 5 and keys[0][0].dimension_map == {"FunctionName": "shop-api"}


def test_watch_rules_have_defaults_derived_rates_and_config_overrides():
    # GIVEN config overriding Errors, a per-resource CPU threshold, and an extra metric
    rules = {r.metric: r for r in watch_rules("lambda", {
        "Errors": MetricRule(threshold=5, period=120, statistic="Sum"),
        "ErrorRate": MetricRule(resources={"shop-api": 2.0}),
        "IteratorAge": MetricRule(threshold=60000, statistic="Maximum")})}
    # THEN defaults, overrides, per-resource thresholds and additions are all present
    assert rules["Errors"].threshold == 5 and rules["Errors"].period == 120
    assert rules["ErrorRate"].derived is not None and rules["ErrorRate"].threshold_for("shop-api") == 2.0
    assert rules["ErrorRate"].threshold_for("other") == 5.0
    assert rules["IteratorAge"].namespace == "AWS/Lambda" and rules["IteratorAge"].stat == "Maximum"
    assert rules["Duration"].threshold is None and rules["Duration"].stat == "Maximum"


def test_error_rate_is_errors_over_invocations_with_missing_points_handled():
    # GIVEN invocations (one zero) and errors missing one point
    inv = _series("Invocations", [100, 50, 0, 200])
    err = Series("e", inv.key.__class__.of("AWS/Lambda", "Errors", {"FunctionName": "shop-api"}, "Sum", "us-east-1"),
                 inv.timestamps[:3], (5.0, 0.0, 0.0))
    # WHEN rates are derived
    (rate,) = derive_rates([inv, err], wanted={"ErrorRate"})
    # THEN 100*Errors/Invocations; zero traffic is no data; a missing error point counts as zero
    assert rate.key.name == "ErrorRate" and rate.values[0] == 5.0 and rate.values[1] == 0.0
    assert math.isnan(rate.values[2]) and rate.values[3] == 0.0


def test_throttle_rate_is_over_every_call_tried_so_at_most_100_percent():
    # GIVEN invocations and throttles (a throttled call is not counted as an invocation), all refused at the end
    inv = _series("Invocations", [100, 50, 0])
    thr = Series("t", inv.key.__class__.of("AWS/Lambda", "Throttles", {"FunctionName": "shop-api"}, "Sum",
                                           "us-east-1"), inv.timestamps, (100.0, 150.0, 30.0))
    # WHEN rates are derived
    (rate,) = derive_rates([inv, thr], wanted={"ThrottleRate"})
    # THEN 100*Throttles/(Throttles+Invocations): half, three quarters, and all of the calls
    assert rate.values == (50.0, 75.0, 100.0)


def test_threshold_needs_the_latest_points_to_breach():
    # GIVEN a CPU series above 90 for the last 4 points, and one with a single latest spike
    sustained = _series("CPUUtilization", [40] * 30 + [95] * 4, {"InstanceId": "i-1"}, "Average", "AWS/EC2")
    blip = _series("CPUUtilization", [40] * 33 + [99], {"InstanceId": "i-1"}, "Average", "AWS/EC2")
    rule = StaticThreshold(90, "GreaterThanThreshold")
    # WHEN checked THEN only the sustained breach signals, with its onset at the run start
    signal = threshold_signal(sustained, None, rule, 60, NOW)
    assert signal is not None and signal.onset.timestamp() == sustained.timestamps[30]
    assert threshold_signal(blip, None, rule, 60, NOW) is None


def test_intermittent_breaches_signal_like_an_m_out_of_n_alarm():
    # GIVEN target 5xx a balancer reports only in the minutes they occur: a rate over 5 % in 3 of the last 5
    # minutes (and for a while before), against a series whose breaches are too sparse
    dims = {"LoadBalancer": "app/shop/123"}
    intermittent = _series("Target5XXRate", [0.5] * 30 + [8, 0, 8, 8, 0, 8, 0, 8, 8], dims, "Rate", "AWS/ApplicationELB")
    sparse = _series("Target5XXRate", [0.5] * 30 + [8, 0, 0, 8, 0, 0, 8], dims, "Rate", "AWS/ApplicationELB")
    recovered = _series("Target5XXRate", [0.5] * 30 + [8] * 5 + [0, 0], dims, "Rate", "AWS/ApplicationELB")
    rule = StaticThreshold(5, "GreaterThanThreshold")
    # WHEN checked THEN the intermittent one signals from its first breach, the others do not
    signal = threshold_signal(intermittent, None, rule, 60, NOW)
    assert signal is not None and signal.onset.timestamp() == intermittent.timestamps[30]
    assert "in 6 of the last 9 points" in signal.text
    assert threshold_signal(sparse, None, rule, 60, NOW) is None
    assert threshold_signal(recovered, None, rule, 60, NOW) is None


def test_a_capacity_near_full_scores_by_the_headroom_it_used_up():
    # GIVEN CPU over an 80 % threshold: at 98 % (nine tenths of the headroom gone) and at 84 %
    rule = StaticThreshold(80, "GreaterThanThreshold")
    pinned = _series("CPUUtilization", [40] * 30 + [98] * 4, {"InstanceId": "i-1"}, "Average", "AWS/EC2")
    busy = _series("CPUUtilization", [40] * 30 + [84] * 4, {"InstanceId": "i-1"}, "Average", "AWS/EC2")
    # WHEN checked THEN the pinned one scores as critical (0.75 or more), the busy one as a warning
    assert threshold_signal(pinned, None, rule, 60, NOW).score >= 0.75
    assert 0.5 <= threshold_signal(busy, None, rule, 60, NOW).score < 0.75


def test_the_balancers_own_5xx_rate_counts_the_requests_it_refused():
    # GIVEN a balancer whose targets served 500 requests a minute, then half its requests got its own 503s
    # (no healthy target: not in RequestCount), then every one (no RequestCount point at all)
    dims = {"LoadBalancer": "app/shop/123"}
    served = _series("RequestCount", [500, 500, 500], dims, "Sum", "AWS/ApplicationELB")
    refused = Series("e", MetricKey.of("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Sum", "us-east-1"),
                     served.timestamps[1:] + (NOW.timestamp(),), (500.0, 0.0, 480.0))
    # WHEN rates are derived
    (rate,) = derive_rates([served, refused], wanted={"ELB5XXRate"})
    # THEN the rate is over every request: 0 %, 50 %, 0 %, and 100 % in the minute nothing was served
    assert rate.values == (0.0, 50.0, 0.0, 100.0)


def test_anomaly_gates_current_sustained_material():
    rng = np.random.default_rng(3)
    base = rng.normal(100, 3, 150)
    shifted = base.copy()
    shifted[-10:] += 60
    small = base.copy()
    small[-10:] += 8  # statistically odd but < 25% change: not material
    old = base.copy()
    old[60:70] += 60  # an episode long gone
    series = [_series("Duration", v, stat="Maximum") for v in (shifted, small, old, base)]
    # WHEN screened and scored
    screened = anomaly_candidates(series, [60] * 4, NOW)
    signals = [anomaly_signal(s, None, 60, NOW) for s in series]
    # THEN only the current, sustained, material shift is a signal, with its onset at the shift
    assert screened == [True, False, False, False]
    assert signals[0] is not None and signals[0].onset.timestamp() == series[0].timestamps[-10]
    assert 0.5 <= signals[0].score <= 1.0
    assert signals[1:] == [None, None, None]


def test_stale_series_are_not_current():
    # GIVEN a shifted series whose last point is an hour old
    values = [10.0] * 100 + [50.0] * 10
    s = _series("Duration", values)
    stale = Series(s.id, s.key, tuple(t - 3600 for t in s.timestamps), s.values)
    # THEN it raises nothing
    assert anomaly_signal(stale, None, 60, NOW) is None and anomaly_signal(s, None, 60, NOW) is not None


def test_an_apis_series_are_its_own_or_else_its_stages_never_per_method():
    # GIVEN ListMetrics of two APIs: one published per API and per stage, one only per stage (and method)
    from analyzers.catalog import listed_dimension_sets, published_with_more_dimensions

    listed = [("Count", {"ApiName": "orders"}), ("Count", {"ApiName": "orders", "Stage": "prod"}),
              ("Count", {"ApiName": "hooks", "Stage": "prod"}), ("Count", {"ApiName": "hooks", "Stage": "beta"}),
              ("Count", {"ApiName": "hooks", "Stage": "prod", "Method": "POST", "Resource": "/hook"})]
    # WHEN its dimension sets are looked up
    # THEN an API's own series is used when published, else one per stage
    assert published_with_more_dimensions("AWS/ApiGateway", "Count")
    assert listed_dimension_sets(listed, "Count", {"ApiName": "orders"}) == [{"ApiName": "orders"}]
    assert listed_dimension_sets(listed, "Count", {"ApiName": "hooks"}) == [
        {"ApiName": "hooks", "Stage": "beta"}, {"ApiName": "hooks", "Stage": "prod"}]


def test_a_threshold_without_comparison_is_on_the_metrics_bad_side_and_percentiles_are_statistics():
    # GIVEN a floor for free memory and a p99 Duration, configured without a comparison
    rules = {r.metric: r for r in watch_rules("rds", {"FreeableMemory": MetricRule(threshold=5e8)})}
    duration = {r.metric: r for r in watch_rules("lambda", {"Duration": MetricRule(statistic="p99.9")})}
    # THEN the memory threshold is a floor (not "more than 500 MB free" on every healthy database), a CPU
    # threshold stays a ceiling, and the percentile is read as the statistic
    assert rules["FreeableMemory"].comparison == "LessThanThreshold"
    assert rules["CPUUtilization"].comparison == "GreaterThanThreshold"
    assert duration["Duration"].stat == "p99.9"
