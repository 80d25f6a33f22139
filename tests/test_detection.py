"""Tests for analyzers.detection: synthetic anomalies, causality, streaming parity, thresholds."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from analyzers.detection import (
    DEFAULT_CONFIG,
    OnlineDetector,
    StaticThreshold,
    find_onset,
    raw_scores,
    score_series,
)

STEP_S = 300.0  # 5-minute samples
T0 = 1_700_000_000.0
NO_NOVELTY = dataclasses.replace(DEFAULT_CONFIG, novelty_score=0.0)  # the statistical scores alone


def _noise(n: int, seed: int = 0, level: float = 50.0, sigma: float = 2.0) -> np.ndarray:
    return np.random.default_rng(seed).normal(level, sigma, n)


def _times(n: int) -> np.ndarray:
    return T0 + STEP_S * np.arange(n)


def test_spike_is_the_top_score():
    # GIVEN noise with one large spike
    x = _noise(1500)
    x[1200] += 30
    # WHEN scored
    s = score_series(x)
    # THEN the spike is the highest score and clearly above the rest: the statistical scores of the noise
    # stay low, and a new extreme of the noise is at most a novelty (never an incident)
    assert int(np.argmax(s)) == 1200
    assert s[1200] >= 0.5
    assert np.max(np.delete(score_series(x, config=NO_NOVELTY), 1200)[200:]) < 0.35
    assert np.max(np.delete(s, 1200)[200:]) <= DEFAULT_CONFIG.novelty_score < 0.5


def test_step_is_detected_at_its_start_and_find_onset_points_there():
    # GIVEN a level shift of 10 sigma at index 1000
    x = _noise(1300, seed=1)
    x[1000:] += 20
    # WHEN scored
    s = score_series(x)
    # THEN the step start is flagged, repeats are mostly suppressed, and the onset is the step
    assert s[1000] >= 0.5
    assert np.count_nonzero(s[1001:1100] > 0) <= 3
    assert np.all(raw_scores(x)[1000:1024] >= 0.5)  # until the next baseline refresh
    assert find_onset(x, _times(x.size), threshold=0.5) == 1000
    assert find_onset(x[:1000], threshold=0.5) is None


def test_ramp_is_flagged_while_it_leaves_the_normal_range():
    # GIVEN a flat noisy series that starts ramping at 1000
    x = _noise(1400, seed=2)
    x[1000:] += np.arange(400) * 0.5
    # WHEN scored without suppression
    raw = raw_scores(x)
    # THEN the ramp is flagged within ~40 points, nothing before it is
    first = int(np.flatnonzero(raw >= 0.5)[0])
    assert 1000 <= first <= 1040
    assert raw[200:1000].max() < 0.5


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


def test_flat_zero_flags_a_rare_blip_but_not_every_repeat():
    # GIVEN a flat-zero series with a first blip, then blips of the same size every 40 points
    x = np.zeros(1600)
    x[700] = 5.0
    x[800::40] = 5.0
    # WHEN scored
    s = score_series(x)
    # THEN the first blip is anomalous, the flat part is not, later blips stay low
    assert s[700] >= 0.5
    assert s[:700].max() == 0.0
    assert s[840:].max() < 0.3


def test_missing_points_score_zero_and_do_not_change_state():
    # GIVEN a series with NaNs, and the same series with the NaNs removed
    x = _noise(1200, seed=4)
    x[1100] += 25
    holes = x.copy()
    holes[[50, 300, 301, 900]] = np.nan
    # WHEN both are scored
    with_holes = score_series(holes)
    dense = score_series(holes[~np.isnan(holes)])
    # THEN NaNs score 0 and the other points score as if the NaNs never existed
    assert np.all(with_holes[np.isnan(holes)] == 0.0)
    np.testing.assert_allclose(with_holes[~np.isnan(holes)], dense)
    assert with_holes[1100] >= 0.5


def test_scores_are_causal_and_bounded():
    # GIVEN a long seasonal series with anomalies
    n = 3000
    x = _noise(n, seed=5) + 10 * np.sin(np.arange(n) * 2 * np.pi / 288)
    x[2500:] += 15
    t = _times(n)
    # WHEN scoring a prefix and the whole series
    full = score_series(x, t)
    prefix = score_series(x[:2000], t[:2000])
    # THEN prefix scores are unchanged by later points and all scores lie in [0, 1]
    np.testing.assert_array_equal(full[:2000], prefix)
    assert np.all((full >= 0) & (full <= 1))


@pytest.mark.parametrize("with_time", [True, False])
def test_streaming_equals_batch(with_time: bool):
    # GIVEN a series with a step, a spike, NaNs and daily seasonality
    n = 1800
    x = _noise(n, seed=6) + 5 * np.sin(np.arange(n) * 2 * np.pi / 288)
    x[1500:] += 12
    x[900] = np.nan
    t = _times(n) if with_time else None
    # WHEN fed one point at a time
    det = OnlineDetector()
    streamed = np.array([det.update(v, None if t is None else t[i]) for i, v in enumerate(x)])
    # THEN the scores equal the batch scores
    np.testing.assert_allclose(streamed, score_series(x, t), atol=1e-12)
    assert det.n_seen == n - 1
    assert 0 < det.state_nbytes() < 100_000


def test_static_threshold_comparisons():
    # GIVEN values around a threshold of 5 (with a NaN)
    values = [4.0, 5.0, 6.0, float("nan")]
    # WHEN/THEN each CloudWatch comparison breaches as documented, NaN never breaches
    cases = {
        "GreaterThanThreshold": [False, False, True, False],
        "GreaterThanOrEqualToThreshold": [False, True, True, False],
        "LessThanThreshold": [True, False, False, False],
        "LessThanOrEqualToThreshold": [True, True, False, False],
    }
    for comparison, expected in cases.items():
        assert StaticThreshold(5.0, comparison).breaches(values).tolist() == expected
    with pytest.raises(ValueError):
        StaticThreshold(5.0, "GreaterThan")


def test_find_onset_respects_min_run():
    # GIVEN an isolated spike, then a sustained (larger) step later
    x = _noise(1400, seed=7)
    x[1000] += 15
    x[1200:] += 30
    # WHEN asking for episodes of at least 3 points
    onset = find_onset(x, threshold=0.5, min_run=3)
    # THEN the step start is returned, not the earlier lone spike
    assert onset == 1200


def test_small_sustained_shift_is_caught_by_the_mean_channels():
    # GIVEN noise whose level rises by 1.5 sigma at 1200 (each point stays inside the normal range)
    x = _noise(1500, seed=8)
    x[1200:] += 3.0
    # WHEN scored without suppression
    raw = raw_scores(x)
    # THEN the shift is flagged within one baseline block (64 points), the noise before it is not
    hits = np.flatnonzero(raw[1200:] >= 0.5)
    assert hits.size and hits[0] <= 64
    assert raw[200:1200].max() < 0.5


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


def test_new_record_on_a_spiky_series_scores_lower_than_an_outlier_on_a_smooth_one():
    # GIVEN an idle series with frequent large random bursts (disk writes), whose latest burst
    # is 10 % above every earlier one, and a smooth noisy series with one outlier
    rng = np.random.default_rng(10)
    spiky = np.abs(rng.normal(0.0, 1.0, 2000))
    bursts = np.arange(37, 1990, 53)
    spiky[bursts] = 1000.0 * rng.uniform(0.5, 1.0, bursts.size)
    spiky[1995] = 1.1 * spiky[:1995].max()
    smooth = _noise(2000, seed=11)
    smooth[1995] += 20.0
    # WHEN both are scored
    s_spiky = score_series(spiky)
    s_smooth = score_series(smooth)
    # THEN the record burst is not alarming (statistically low; as a new extreme, a novelty), while the
    # smooth outlier (10 sigma) is
    assert score_series(spiky, config=NO_NOVELTY)[1995] < 0.3
    assert s_spiky[1995] == DEFAULT_CONFIG.novelty_score < 0.5
    assert s_smooth[1995] >= 0.5
    # ...and a burst 5x the usual size is still flagged on the spiky series
    spiky[1995] = 5000.0
    assert score_series(spiky)[1995] >= 0.5


def test_one_earlier_outlier_does_not_hide_a_second_but_a_recurring_level_is_seen():
    # GIVEN smooth noise (sigma 2) with one outlier at +40 in the window, then a second one as high
    base = _noise(1500, seed=12)
    once = base.copy()
    once[[700, 1300]] += 40.0
    # ...and the same noise where that level recurs (four times in the window)
    recurring = base.copy()
    recurring[[500, 700, 900, 1100, 1300]] += 40.0
    # WHEN scored without the novelty track (only the statistical scores)
    s_once = raw_scores(once, config=NO_NOVELTY)
    s_recurring = raw_scores(recurring, config=NO_NOVELTY)
    # THEN a single earlier value does not make the level "already seen": the second outlier is an alert
    assert s_once[1300] >= 0.5
    # ...while a level reached several times in the window is capped (within_range_cap, z 2.5)
    assert s_recurring[1300] < 0.3
    seen_once = dataclasses.replace(NO_NOVELTY, range_rank=1)
    assert raw_scores(once, config=seen_once)[1300] < 0.5  # with rank 1 (the plain min/max), no alert


def test_channels_combine_by_noisy_or_or_by_max():
    # GIVEN two channels with moderate z and one with none
    from analyzers.detection._kernel import combine_channels, z_to_score

    zs = [np.array([4.0, 0.0]), np.array([4.0, 0.0]), np.array([0.0, 0.0])]
    single = z_to_score(np.array([4.0]), DEFAULT_CONFIG.score_scale)[0]
    # WHEN combined by noisy-OR (default) and by max
    noisy = combine_channels(zs, DEFAULT_CONFIG)
    largest = combine_channels(zs, dataclasses.replace(DEFAULT_CONFIG, combine="max"))
    # THEN agreeing channels add up (but stay below 1), quiet points stay at 0, max keeps one channel
    assert single < noisy[0] < 1.0
    assert noisy[0] == pytest.approx(1.0 - (1.0 - single) ** 2)
    assert largest[0] == pytest.approx(single)
    assert noisy[1] == 0.0 and largest[1] == 0.0
    with pytest.raises(ValueError):
        dataclasses.replace(DEFAULT_CONFIG, combine="mean")


@pytest.mark.parametrize("field", ["season_periods", "week_periods"])
def test_seasonal_references_take_1_3_or_5_periods(field: str):
    # GIVEN/WHEN a config asking for a median over 2 or 4 periods (an even count would average two values)
    # THEN it is refused, and 1, 3 and 5 are accepted
    for bad in (0, 2, 4, 7):
        with pytest.raises(ValueError, match=field):
            dataclasses.replace(DEFAULT_CONFIG, **{field: bad})
    assert [getattr(dataclasses.replace(DEFAULT_CONFIG, **{field: n}), field) for n in (1, 3, 5)] == [1, 3, 5]


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_variance_change_and_flatline_are_raised_by_the_volatility_channel(seed: int):
    # GIVEN noise whose spread triples at 1300 (the mean does not move), and the same noise
    # stuck at its last value for 100 points from 1300 (a frozen sensor)
    wider = _noise(1600, seed=seed, sigma=1.5)
    wider[1300:] = _noise(300, seed=100 + seed, sigma=4.5)
    stuck = _noise(1600, seed=seed, sigma=1.5)
    stuck[1300:1400] = stuck[1299]
    no_volatility = dataclasses.replace(NO_NOVELTY, vol_windows=())
    # WHEN scored without suppression (and without novelty), with and without the volatility channel
    wide_vol, wide_plain = raw_scores(wider, config=NO_NOVELTY), raw_scores(wider, config=no_volatility)
    stuck_vol, stuck_plain = raw_scores(stuck, config=NO_NOVELTY), raw_scores(stuck, config=no_volatility)
    # THEN the change scores clearly higher within 32 points with the channel, the noise before it stays low
    assert wide_vol[1300:1332].max() >= 0.45
    assert wide_vol[1300:1332].max() > wide_plain[1300:1332].max() + 0.05
    assert wide_vol[200:1300].max() < 0.35
    assert stuck_vol[1300:1340].max() > stuck_plain[1300:1340].max() + 0.03
    assert stuck_vol[200:1300].max() < 0.35


def test_streaming_from_a_mid_series_state_matches_batch_with_volatility_channels():
    # GIVEN a batch-scored prefix whose kernel state is carried into point-by-point updates
    from analyzers.detection._kernel import KernelState, score_chunk

    config = dataclasses.replace(DEFAULT_CONFIG, vol_windows=(4, 16))
    x = _noise(1700, seed=12)
    x[1500:] = _noise(200, seed=13, sigma=6.0)
    _, _, state = score_chunk(KernelState.empty(), x[:1400], config)
    # WHEN the rest is streamed one point at a time
    streamed = []
    for value in x[1400:]:
        _, reported, state = score_chunk(state, np.array([value]), config)
        streamed.append(reported[0])
    # THEN every score equals the batch score (the first-difference history is kept)
    np.testing.assert_allclose(streamed, score_series(x, config=config)[1400:], atol=1e-12)


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
