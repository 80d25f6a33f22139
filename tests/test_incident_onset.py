"""When the incident began: the alarm metric's anomaly onset, its breach, and a drift that precedes a jump."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

from analyzers.anomalies import drift_before_jump
from analyzers.model import Alarm, MetricKey, Series
from bot.engine.collect import ResolvedAlarm, incident_onset

NOW = datetime(2026, 12, 7, 10, 30, tzinfo=timezone.utc)
LB = "app/swipe-edge/62f1a8d03c9e4b57"
KEY = MetricKey.of("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", "us-west-1")


def _latency(drift_to: float, jump_at: int = 320, drift_from: int = 275, jump_to: float = 3.3) -> Series:
    """Six hours of one-minute latency around 0.11 s with small noise, drifting linearly to ``drift_to`` from
    minute ``drift_from``, then jumping to ``jump_to`` at minute ``jump_at``."""
    rng = np.random.default_rng(7)
    values = 0.11 + rng.normal(0, 0.006, 360)
    values[drift_from:jump_at] += np.linspace(0, drift_to - 0.11, jump_at - drift_from)
    values[jump_at:] = jump_to + rng.normal(0, 0.05, 360 - jump_at)
    start = NOW - timedelta(minutes=360)
    stamps = tuple((start + timedelta(minutes=i)).timestamp() for i in range(360))
    return Series("m1", KEY, stamps, tuple(float(v) for v in values), "Seconds")


def _found() -> ResolvedAlarm:
    alarm = Alarm("swipe-edge-latency", "us-west-1", state="ALARM", namespace=KEY.namespace, metric=KEY.name,
                  dimensions=KEY.dimensions, statistic="Average", period=60, evaluation_periods=3, threshold=1.0,
                  comparison="GreaterThanThreshold")
    return ResolvedAlarm(alarm, NOW - timedelta(minutes=36))


def _minute(series: Series, at: datetime) -> int:
    return int(round((at.timestamp() - series.timestamps[0]) / 60))


def test_a_slow_evening_drift_before_a_jump_is_not_when_the_incident_began():
    # GIVEN latency creeping from 0.11 to 0.19 s over 45 minutes (the evening's load), then jumping to 3.3 s
    series = _latency(drift_to=0.19)
    # WHEN the incident's onset is estimated
    onset = incident_onset(_found(), [series])
    # THEN it is the jump, not the start of the drift
    assert _minute(series, onset) == 320


def test_a_ramp_that_covers_much_of_the_way_to_the_breach_is_where_the_incident_began():
    # GIVEN latency climbing from 0.11 to 1.5 s before it jumps
    series = _latency(drift_to=1.5)
    # WHEN the incident's onset is estimated
    onset = incident_onset(_found(), [series])
    # THEN the climb is part of the incident: the onset is before the jump
    assert _minute(series, onset) < 300


def test_drift_before_jump_reads_the_share_of_the_way_to_the_breach_level():
    values = np.array([1.0] * 40 + [1.0 + 0.01 * i for i in range(20)] + [10.0] * 5)
    assert drift_before_jump(values, 40, 60)  # 0.2 of a 9.0 rise: a drift
    assert not drift_before_jump(values * np.r_[np.ones(50), np.full(10, 3.0), np.ones(5)], 40, 60)  # 2x: no
    assert not drift_before_jump(values, 60, 40) and not drift_before_jump(values, 2, 60)
    falling = 11.0 - values  # the same shape downwards
    assert drift_before_jump(falling, 40, 60)
