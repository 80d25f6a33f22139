"""Which episode of a series an investigation reports (analyzers.anomalies, detection.find_onsets)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

from analyzers.anomalies import detect_anomalies
from analyzers.detection import find_onset, find_onsets
from analyzers.model import MetricKey, Series

T0 = datetime(2026, 3, 1, 6, 0, tzinfo=timezone.utc)


def _requests() -> Series:
    rng = np.random.default_rng(7)
    values = rng.normal(2000.0, 60.0, 480)
    values[300:] += 12000.0 + rng.normal(0.0, 700.0, 180)  # the surge, at minute 300
    values[420:424] += 60000.0  # a burst on top, once the detector has learnt the new level
    stamps = tuple(T0.timestamp() + 60.0 * i for i in range(480))
    key = MetricKey.of("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": "app/search-alb/3c5e"}, "Sum", "us-east-1")
    return Series("m1", key, stamps, tuple(float(v) for v in values))


def test_the_episode_nearest_the_incident_is_reported_not_the_latest():
    # GIVEN requests that step up 7-fold at minute 300 and burst far above that at minute 420
    series = _requests()
    onsets = find_onsets(np.asarray(series.values), series.timestamps, threshold=0.5, min_run=2)
    assert len(onsets) >= 2 and onsets[-1] == find_onset(series.values, series.timestamps, 0.5, 2)
    incident = T0 + timedelta(minutes=300)
    # WHEN anomalies are detected for an incident at minute 300, and without saying when it began
    near = detect_anomalies([series], incident - timedelta(hours=2), T0 + timedelta(minutes=480), near=incident)
    latest = detect_anomalies([series], incident - timedelta(hours=2), T0 + timedelta(minutes=480))
    # THEN the step is the onset, from the level before it; the latest episode is the default
    assert near[0].onset == incident and near[0].baseline < 2200
    assert latest[0].onset > incident
