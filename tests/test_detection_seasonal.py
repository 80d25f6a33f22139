"""Tests for the detector's seasonal models (analyzers.detection.seasonal): the daily reference (one day
back, then the median of 3 and of 5 days), the season veto, and the weekly model."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from analyzers.detection import DEFAULT_CONFIG, OnlineDetector, score_series
from tests.detection_series import NO_NOVELTY, T0
from tests.detection_series import noise as _noise
from tests.detection_series import times as _times


def test_daily_peak_is_learned_and_not_flagged():
    # GIVEN 8 days of 5-min data with a daily sinus and a sharp daily peak at the same hour
    n = 288 * 8
    t = _times(n)
    phase = (np.arange(n) % 288) / 288.0
    x = 100 + 20 * np.sin(2 * np.pi * phase) + np.random.default_rng(3).normal(0, 1, n)
    peak = (np.arange(n) % 288 >= 100) & (np.arange(n) % 288 < 104)
    x[peak] += 60
    # ...and one peak at an unusual hour on the last day
    x[288 * 7 + 200] += 60
    # WHEN scored with timestamps (daily seasonality)
    s = score_series(x, t)
    # THEN regular peaks after two days score low, the off-hour peak scores high
    learned = np.flatnonzero(peak)[np.flatnonzero(peak) >= 288 * 3]
    assert s[learned].max() < 0.3
    assert s[288 * 7 + 200] >= 0.5


def test_seasonal_anomaly_does_not_echo_one_period_later():
    # GIVEN 8 days of a daily profile with a 2-hour burst on day 6
    n = 288 * 8
    t = _times(n)
    x = 50 + 30 * np.sin(2 * np.pi * np.arange(n) / 288) + np.random.default_rng(9).normal(0, 1, n)
    burst = 288 * 6 + 100
    x[burst : burst + 24] += 40
    # WHEN scored with daily seasonality
    s = score_series(x, t)
    # THEN the burst is flagged and the same hour of the next day is not
    assert s[burst : burst + 24].max() >= 0.5
    assert s[burst + 288 : burst + 288 + 24].max() < 0.3


def test_two_odd_days_in_a_row_do_not_move_the_seasonal_reference_once_five_days_exist():
    # GIVEN 9 days of a daily profile where the same 2 hours of days 6 and 7 are bursts (a two-day event)
    n = 288 * 9
    x = 50 + 30 * np.sin(2 * np.pi * np.arange(n) / 288) + np.random.default_rng(9).normal(0, 1, n)
    hour = 100
    for day in (6, 7):
        x[288 * day + hour : 288 * day + hour + 24] += 40
    normal_again = slice(288 * 8 + hour, 288 * 8 + hour + 24)  # day 8: the usual values at that hour
    # WHEN the daily residual is taken with references over up to 5 and up to 3 days
    from analyzers.detection.seasonal import seasonal_residual

    five = seasonal_residual(x, 288, 5)[normal_again.start - 288 : normal_again.stop - 288]
    three = seasonal_residual(x, 288, 3)[normal_again.start - 288 : normal_again.stop - 288]
    # THEN the median of 5 days (two of them odd) is the usual level, while that of 3 (two of them odd) is the
    # bursts' level, so the normal day would look 40 below its reference
    assert np.abs(five).max() < 5
    assert three.mean() < -30
    # AND the day after the event scores low with the default (5) detector
    assert score_series(x, _times(n))[normal_again].max() < 0.3


@pytest.mark.parametrize("field", ["season_periods", "week_periods"])
def test_seasonal_references_take_1_3_or_5_periods(field: str):
    # GIVEN/WHEN a config asking for a median over 2 or 4 periods (an even count would average two values)
    # THEN it is refused, and 1, 3 and 5 are accepted
    for bad in (0, 2, 4, 7):
        with pytest.raises(ValueError, match=field):
            dataclasses.replace(DEFAULT_CONFIG, **{field: bad})
    assert [getattr(dataclasses.replace(DEFAULT_CONFIG, **{field: n}), field) for n in (1, 3, 5)] == [1, 3, 5]


def _weekly_series(
    step_s: float, weeks: int = 5, seed: int = 20, daily: float = 10.0
) -> tuple[np.ndarray, np.ndarray, int]:
    """Weekday level 100, weekend level 40 (days 5 and 6 of each week), a daily sinus and noise."""
    per_day = int(round(86_400 / step_s))
    i = np.arange(weeks * 7 * per_day)
    weekend = (i // per_day) % 7 >= 5
    x = np.where(weekend, 40.0, 100.0) + daily * np.sin(2 * np.pi * i / per_day)
    x += np.random.default_rng(seed).normal(0.0, 2.0, i.size)
    return x, T0 + step_s * i, per_day


def test_normal_weekends_are_learned_by_the_weekly_model():
    # GIVEN 5 weeks of 5-min weekday/weekend traffic (the 1024-point baseline window spans 3.5 days)
    x, t, per_day = _weekly_series(300.0)
    week = 7 * per_day
    day_of_week = (np.arange(x.size) // per_day) % 7
    # WHEN scored with timestamps
    s = score_series(x, t)
    # THEN once the weekly model has three weeks of history, no weekend (nor the Monday after) scores high
    weekends = (day_of_week >= 5) | (day_of_week == 0)
    assert s[3 * week :][weekends[3 * week :]].max() < 0.3
    assert s[3 * week :].max() < 0.5
    # ...while the first weekend, before any weekly history, still looks anomalous
    assert s[5 * per_day : 7 * per_day].max() >= 0.5


@pytest.mark.parametrize("step_s", [300.0, 1800.0, 3600.0])
def test_weekday_traffic_on_a_weekend_is_flagged_only_by_the_weekly_model(step_s: float):
    # GIVEN 5 weeks of weekday/weekend traffic (5-min, 30-min or hourly samples)
    # whose last Saturday runs at the weekday level
    x, t, per_day = _weekly_series(step_s, seed=21)
    saturday = (4 * 7 + 5) * per_day
    x[saturday : saturday + per_day] += 60.0
    # WHEN scored
    s = score_series(x, t)
    # THEN the weekly model flags that Saturday (and nothing from week 4 up to it)
    assert s[saturday : saturday + per_day].max() >= 0.5
    assert s[3 * 7 * per_day : saturday].max() < 0.5
    # ...which the daily and plain models alone (weekly model off) take for a normal weekday
    daily_only = score_series(x, t, config=dataclasses.replace(DEFAULT_CONFIG, week_season=False))
    assert daily_only[saturday : saturday + per_day].max() < 0.3


def test_weekly_model_is_causal_and_streaming_equals_batch():
    # GIVEN 5 weeks of 30-min weekday/weekend traffic with weekday traffic on the last Saturday and NaNs
    x, t, per_day = _weekly_series(1800.0, seed=22)
    saturday = (4 * 7 + 5) * per_day
    x[saturday : saturday + per_day] += 60.0
    x[[100, 700, 701]] = np.nan
    # WHEN fed one point at a time, and a prefix is scored in batch
    det = OnlineDetector()
    streamed = np.array([det.update(v, ts) for v, ts in zip(x, t)])
    full = score_series(x, t)
    # THEN streaming equals batch, prefix scores are unchanged by later points, the weekly anomaly is seen
    np.testing.assert_array_equal(streamed, full)
    np.testing.assert_array_equal(score_series(x[: saturday + 10], t[: saturday + 10]), full[: saturday + 10])
    assert full[saturday : saturday + per_day].max() >= 0.5
    assert 0 < det.state_nbytes() < 100_000


def test_streaming_from_a_mid_series_state_matches_batch_with_the_weekly_model():
    # GIVEN 5 weeks of flat 5-min weekday/weekend traffic, batch-scored up to the last Friday (the
    # weekly model last won on Thursday: the state must remember it), then weekday traffic on Saturday
    from analyzers.detection._kernel import KernelState, history_needed, score_chunk
    from analyzers.detection.seasonal import season_lags

    x, t, per_day = _weekly_series(300.0, seed=23, daily=0.0)
    saturday = (4 * 7 + 5) * per_day
    x[saturday : saturday + per_day] += 60.0
    lags = season_lags(t[:17], None, DEFAULT_CONFIG)
    _, _, state = score_chunk(KernelState.empty(*lags), x[: saturday - 100], DEFAULT_CONFIG)
    assert saturday - 100 - state.week_win > per_day // 2
    # WHEN the next 300 points are streamed one at a time from that state
    streamed = []
    for value in x[saturday - 100 : saturday + 200]:
        _, reported, state = score_chunk(state, np.array([value]), DEFAULT_CONFIG)
        streamed.append(reported[0])
    # THEN every score equals the batch score, the weekly anomaly is flagged, the history is 3 weeks + window
    batch = score_series(x, t)
    np.testing.assert_array_equal(streamed, batch[saturday - 100 : saturday + 200])
    assert max(streamed[100:]) >= 0.5
    assert lags == (per_day, 7 * per_day)
    assert state.tail_values.size == history_needed(DEFAULT_CONFIG, *lags) == 1024 + 64 + 3 * 7 * per_day + 34


def test_a_spike_at_the_same_time_each_day_goes_quiet_but_an_off_time_spike_does_not():
    # GIVEN noise with a spike at the same phase every day and, on day 6, one at another phase
    x = _noise(288 * 6, seed=3)
    x[100::288] += 30
    x[288 * 5 + 200] += 30
    # WHEN scored with 5-minute timestamps (daily model; novelty off: a repeat a little higher than every
    # earlier one would be a novelty, tested in test_detection_novelty)
    s = score_series(x, _times(x.size), config=NO_NOVELTY)
    # THEN the daily spikes are explained by the daily model once it exists, and the off-time spike stands out
    assert s[100] >= 0.5
    assert np.all(s[288 + 100 :: 288] < 0.1)
    assert s[288 * 5 + 200] > 0.25
    # AND without the daily model's veto every repeat would be reported above the off-time spike
    off = score_series(x, _times(x.size), config=dataclasses.replace(NO_NOVELTY, season_veto=False))
    assert np.all(off[288 + 100 :: 288] > 0.2)
