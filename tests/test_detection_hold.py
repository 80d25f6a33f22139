"""Tests for the detector's alert hold (analyzers.detection.hold): after a report at alert_level or more,
nothing else is reported for alert_hold points unless it escalates past alert_escalate."""

from __future__ import annotations

import dataclasses

import numpy as np

from analyzers.detection import DEFAULT_CONFIG, OnlineDetector, raw_scores, score_series
from analyzers.detection.hold import apply_hold
from analyzers.detection.seasonal import NEVER

NO_HOLD = dataclasses.replace(DEFAULT_CONFIG, alert_hold=0)


def test_an_alert_holds_the_reports_after_it_except_the_first_escalation_past_half():
    # GIVEN reports: a weak one (0.35), an alert (0.45), a step up (0.47), noise (0.3), an escalation
    # past 0.5 (0.55), a step up from there (0.7), and a report after the hold (0.6)
    reported = np.zeros(100)
    reported[[0, 2, 3, 10, 20, 25, 60]] = [0.35, 0.45, 0.47, 0.3, 0.55, 0.7, 0.6]
    # WHEN the hold (32 points, alerts at 0.4, escalation at 0.5) is applied
    last = apply_hold(reported, 1000, (NEVER, 0.0), DEFAULT_CONFIG)
    # THEN the weak report and the first alert stay, the steps and noise go, the escalation stays and
    # holds again, and the report 40 points after the escalation stays
    kept = {int(i): float(reported[i]) for i in np.flatnonzero(reported)}
    assert kept == {0: 0.35, 2: 0.45, 20: 0.55, 60: 0.6}
    assert last == (1060, 0.6)
    assert (DEFAULT_CONFIG.alert_level, DEFAULT_CONFIG.alert_hold, DEFAULT_CONFIG.alert_escalate) == (0.4, 32, 0.5)


def _bursty(seed: int = 3, n: int = 4000) -> np.ndarray:
    """Poisson counts with random bursts that ramp up over a few points (tweet volumes)."""
    rng = np.random.default_rng(seed)
    x = rng.poisson(20, n).astype(float)
    for start in rng.choice(np.arange(300, n - 10), 25, replace=False):
        x[start : start + 5] += np.array([15, 30, 60, 90, 40]) * rng.uniform(0.5, 1.5)
    return x


def test_a_climbing_burst_is_reported_once_and_raw_scores_are_untouched():
    # GIVEN bursty counts whose bursts climb over several points
    x = _bursty()
    # WHEN scored with and without the hold
    held, free = score_series(x), score_series(x, config=NO_HOLD)
    # THEN the hold only removes reports: fewer of them, each within the hold after an alert, and every
    # report at 0.5 or more without the hold still has one at 0.5 or more in its hold window
    kept, dropped = np.flatnonzero(held), np.flatnonzero((free > 0) & (held == 0))
    assert set(kept) <= set(np.flatnonzero(free)) and dropped.size > 0
    alerts = kept[held[kept] >= DEFAULT_CONFIG.alert_level]
    for i in dropped:
        assert np.any((alerts < i) & (alerts >= i - DEFAULT_CONFIG.alert_hold))
    for i in np.flatnonzero(free >= 0.5):
        assert held[max(i - DEFAULT_CONFIG.alert_hold, 0) : i + 1].max() >= 0.5
    np.testing.assert_array_equal(raw_scores(x), raw_scores(x, config=NO_HOLD))


def test_streaming_matches_batch_with_the_hold():
    # GIVEN the bursty series
    x = _bursty(seed=4, n=2500)
    # WHEN scored point by point and in one batch
    det = OnlineDetector()
    streamed = [det.update(float(v)) for v in x]
    # THEN the scores are the same
    batch = score_series(x)
    np.testing.assert_array_equal(streamed, batch)
    assert np.count_nonzero(score_series(x, config=NO_HOLD)) > np.count_nonzero(batch)


def test_a_slow_climb_is_reported_where_it_first_reaches_half():
    # GIVEN noise, then a climb so gradual that no point beats the one before it by the repeat ratio
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.normal(0, 1, 800), rng.normal(0, 1, 300) + 0.001 * np.arange(300) ** 1.5])
    raw = raw_scores(x)
    first = 800 + int(np.flatnonzero(raw[800:] >= 0.5)[0])
    # WHEN scored in one batch and point by point
    batch = score_series(x)
    det = OnlineDetector()
    streamed = [det.update(float(v)) for v in x]
    # THEN the first point at 0.5 or more is reported with its raw score, although the repeat rule alone
    # (every report must beat the recent maximum by 1 / repeat_ratio) would not report it
    assert DEFAULT_CONFIG.repeat_ratio * raw[first] <= raw[first - DEFAULT_CONFIG.suppress : first].max()
    assert batch[first] == raw[first] >= 0.5
    assert batch[800:first].max() < 0.5
    np.testing.assert_array_equal(streamed, batch)
