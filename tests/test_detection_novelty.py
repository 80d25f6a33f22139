"""Tests for the detector's whole-history novelty (analyzers.detection.novelty): a value beyond (all but
one of) the earlier values of the stream is floored at the novelty score, once, and never reaches an incident."""

from __future__ import annotations

import dataclasses

import numpy as np

from analyzers.detection import DEFAULT_CONFIG, OnlineDetector, raw_scores, score_series
from analyzers.detection.novelty import novel_mask
from tests.detection_series import NO_NOVELTY

NOVELTY = DEFAULT_CONFIG.novelty_score


def _bursty(n: int = 3000, seed: int = 5) -> np.ndarray:
    """An idle series with a burst of 1000 every 40 points (disk writes): a repeat is no surprise."""
    x = np.abs(np.random.default_rng(seed).normal(0.0, 1.0, n))
    x[20::40] = 1000.0
    return x


def test_a_burst_above_every_earlier_one_is_a_novelty_a_repeat_is_not():
    # GIVEN bursts of the same height, then one 20 % higher at 2500 and one as high as usual at 2820
    x = _bursty()
    x[2500] = 1200.0
    # WHEN scored
    s = score_series(x)
    plain = score_series(x, config=NO_NOVELTY)
    # THEN the statistical scores find neither remarkable, but the record is reported at the novelty score,
    # which is below what makes an episode (0.5)
    assert plain[2500] < NOVELTY
    assert s[2500] == NOVELTY < 0.5
    assert s[2820] == plain[2820] < NOVELTY
    assert np.all(s[300:2500] == plain[300:2500])  # nothing else changed


def test_novelty_is_reported_once_per_suppression_horizon_and_does_not_hide_later_alerts():
    # GIVEN two records 30 points apart (the second higher still), then a large step later on
    x = _bursty()
    x[2500], x[2530] = 1200.0, 1270.0
    x[2600:] += 5000.0
    # WHEN scored
    s, raw, plain = score_series(x), raw_scores(x), score_series(x, config=NO_NOVELTY)
    # THEN both records floor the raw score, only the first is reported as a novelty, and the step is
    # still reported
    assert raw[2500] >= NOVELTY and raw[2530] >= NOVELTY
    assert s[2500] == NOVELTY > plain[2500]
    assert s[2530] == plain[2530]
    assert s[2600:2610].max() >= 0.5


def test_a_steady_trend_and_the_first_points_are_not_novel():
    # GIVEN a noisy ramp: every few points is a new high, but by a small step against the range (the noise,
    # 0.1, is twice the step per point; at 0.2, the second-highest value lags enough for 6 ramps in 50 to
    # have one novel point, which only ranks it: 0.45 never makes an incident)
    rng = np.random.default_rng(1)
    ramp = np.linspace(0.0, 100.0, 2000) + rng.normal(0.0, 0.1, 2000)
    # WHEN its novel points are computed from an empty stream
    novel, lows, highs = novel_mask(ramp, (), (), 0, DEFAULT_CONFIG)
    # THEN none is novel, and the extremes are carried on
    assert novel is not None and not novel.any()
    assert lows == tuple(np.sort(ramp)[:2]) and highs == tuple(np.sort(ramp)[::-1][:2])
    # AND a jump of a fifth of the range is novel (its first two points: until two values are that high), but an
    # outlier within the first `novelty_after` points is not
    jumped = ramp.copy()
    jumped[1500:] += 20.0
    jumped[100] = -50.0
    novel, _, _ = novel_mask(jumped, (), (), 0, DEFAULT_CONFIG)
    assert novel is not None and np.flatnonzero(novel).tolist() == [1500, 1501]
    assert DEFAULT_CONFIG.novelty_after > 100


def test_streaming_matches_batch_with_novelty():
    # GIVEN the bursty series with records
    x = _bursty(2200)
    x[1500], x[1530], x[2100] = 1200.0, 1300.0, 1600.0
    # WHEN scored point by point and in one batch
    det = OnlineDetector()
    streamed = [det.update(float(v)) for v in x]
    # THEN the scores are the same, record included
    batch = score_series(x)
    np.testing.assert_array_equal(streamed, batch)
    assert batch[1500] == NOVELTY and batch[2100] == NOVELTY


def test_one_freak_value_does_not_mask_every_later_record():
    # GIVEN the bursty series, with a glitch 10x the bursts early on, and later a burst 30 % above the others
    x = _bursty()
    x[300] = 10_000.0
    x[2500] = 1300.0
    # WHEN scored with the default rank (2) and with rank 1 (the plain all-time extremes)
    s = score_series(x)
    plain_record = score_series(x, config=dataclasses.replace(DEFAULT_CONFIG, novelty_rank=1))
    # THEN the glitch itself and the later record are novelties; with rank 1 the glitch masked the record
    assert s[2500] == NOVELTY
    assert plain_record[2500] < NOVELTY
    # AND the extremes carried between chunks give the same answer as one batch, and as a stream
    det = OnlineDetector()
    np.testing.assert_array_equal([det.update(float(v)) for v in x], s)
    first, lows, highs = novel_mask(x[:1000], (), (), 0, DEFAULT_CONFIG)
    rest, _, _ = novel_mask(x[1000:], lows, highs, 1000, DEFAULT_CONFIG)
    whole, _, _ = novel_mask(x, (), (), 0, DEFAULT_CONFIG)
    np.testing.assert_array_equal(np.concatenate([first, rest]), whole)
    assert highs == (10_000.0, 1000.0)


def test_a_record_within_the_usual_spread_is_not_novel():
    # GIVEN a CPU that swings uniformly between 20 % and 80 %, once at 84 % (a new high, by 7 % of the range,
    # but 1.5 robust sigmas from its median) and later at 120 %
    x = np.random.default_rng(3).uniform(20.0, 80.0, 3000)
    x[2000], x[2600] = 84.0, 120.0
    novel, _, _ = novel_mask(x, (), (), 0, DEFAULT_CONFIG)
    plain = raw_scores(x, config=NO_NOVELTY)
    assert novel is not None and np.flatnonzero(novel).tolist() == [2000, 2600]
    assert plain[2000] < DEFAULT_CONFIG.novelty_min_raw <= plain[2600]
    # WHEN scored with the default floor of the statistical score (0.1) and with none
    s = score_series(x)
    unfloored = score_series(x, config=dataclasses.replace(DEFAULT_CONFIG, novelty_min_raw=0.0))
    # THEN 84 % is no novelty (the baselines find it ordinary) and 120 % is; without the floor both were
    assert s[2000] < NOVELTY and s[2600] == NOVELTY
    assert unfloored[2000] == NOVELTY
    # AND a stream gives the same scores
    det = OnlineDetector()
    np.testing.assert_array_equal([det.update(float(v)) for v in x], s)
