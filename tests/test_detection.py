"""Tests for analyzers.detection: synthetic anomalies, causality, streaming parity, thresholds
(the seasonal models: test_detection_seasonal.py)."""

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
from tests.detection_series import NO_NOVELTY
from tests.detection_series import noise as _noise
from tests.detection_series import times as _times


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


def test_a_channel_sampled_more_sparsely_than_the_block_scores_from_its_first_sample():
    # GIVEN a volatility channel of 192 points, whose baseline samples every 96th point (> block of 64):
    # the first block boundary has no sample yet
    config = dataclasses.replace(DEFAULT_CONFIG, vol_windows=(16, 192))
    x = _noise(1500, seed=21)
    x[1200:] += 15
    # WHEN scored in batch and one point at a time
    batch = score_series(x, config=config)
    det = OnlineDetector(config=config)
    streamed = np.array([det.update(v) for v in x])
    # THEN nothing fails, the step is found, and the stream equals the batch
    assert np.all((batch >= 0) & (batch <= 1))
    assert batch[1200:1210].max() >= 0.5
    np.testing.assert_allclose(streamed, batch, atol=1e-12)
