"""Tests for dropping small bursts (analyzers.detection.bursts): a new local high far below the stream's
biggest bursts is not reported; its raw score, the seasonal reports and the stream parity are kept."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from analyzers.detection import DEFAULT_CONFIG, OnlineDetector, raw_scores, score_series
from analyzers.detection.bursts import drop_small_bursts, small_bursts
from analyzers.detection.config import KernelState
from analyzers.detection._kernel import score_chunk

NO_DROP = dataclasses.replace(DEFAULT_CONFIG, burst_fraction=0.0)


def _bursty() -> np.ndarray:
    """Request counts around 50, five bursts of 1000 early on, then (once they left the 1,024-point window)
    a burst of 150 at 3000 and one of 700 at 3500."""
    x = 50 + 10 * np.abs(np.random.default_rng(2).normal(0.0, 1.0, 4000))
    x[[300, 500, 700, 900, 1100]] = 1000.0
    x[3000], x[3500] = 150.0, 700.0
    return x


def test_a_burst_far_below_the_streams_biggest_is_not_reported():
    # GIVEN the bursty series
    x = _bursty()
    # WHEN scored with and without dropping small bursts
    s, kept = score_series(x), score_series(x, config=NO_DROP)
    # THEN the burst of 150 (a new high for the last 1,024 points, but (150 - 50) / (1000 - 50) of the way to the
    # fifth-largest value ever, under half) is not reported, though its raw score is high; 700 is reported
    assert kept[3000] > 0.8 and raw_scores(x)[3000] == kept[3000]
    assert s[3000] == 0.0
    assert s[3500] == kept[3500] > 0.99
    # AND only new local highs lose their report: every other report is unchanged
    changed = np.flatnonzero(s != kept)
    assert 3000 in changed and np.all(s[changed] == 0.0)
    assert all(x[i] > np.sort(x[i - 1024 : i])[-2] for i in changed)


def is_small_burst(history: np.ndarray, kth_largest: float, config) -> bool:
    return bool(small_bursts(history, np.array([history.size - 1]), np.array([kth_largest]), config)[0])


def test_within_the_recent_range_or_before_k_values_nothing_is_a_small_burst():
    recent = np.concatenate([np.full(100, 50.0), [80.0, 90.0]])
    config = dataclasses.replace(DEFAULT_CONFIG, window=recent.size)  # the recent values are the whole window
    # GIVEN a value under the second-largest of the recent window: not a new local high
    assert not is_small_burst(np.append(recent, 75.0), 1000.0, config)
    # GIVEN a new local high, 45 above the median: small against a fifth-largest value of 1000, not against 120
    # (45 is over half of 120 - 50) or -inf (fewer than 5 values yet)
    assert is_small_burst(np.append(recent, 95.0), 1000.0, config)
    assert not is_small_burst(np.append(recent, 95.0), 120.0, config)
    assert not is_small_burst(np.append(recent, 95.0), -np.inf, config)
    # GIVEN a value below the median (a drop): never a burst
    assert not is_small_burst(np.append(recent, 10.0), 1000.0, config)


def test_streaming_and_chunks_match_the_batch_and_carry_the_largest_values():
    x = _bursty()
    batch = score_series(x)
    # WHEN streamed point by point
    det = OnlineDetector()
    np.testing.assert_array_equal([det.update(float(v)) for v in x], batch)
    # WHEN scored in two chunks
    _, first, state = score_chunk(KernelState.empty(), x[:2000], DEFAULT_CONFIG)
    _, rest, state = score_chunk(state, x[2000:], DEFAULT_CONFIG)
    np.testing.assert_array_equal(np.concatenate([first, rest]), batch)
    # THEN the state carries the five largest values, largest first
    assert state.tops == (1000.0,) * 5
    # AND a zero rank keeps no state and drops nothing
    reported = np.ones(3)
    off = dataclasses.replace(DEFAULT_CONFIG, burst_rank=0)
    assert drop_small_bursts(reported, np.array([1.0, 2.0, 3.0]), 0, (), off) == ()
    assert reported.tolist() == [1.0, 1.0, 1.0]


def test_a_fraction_outside_0_to_1_is_refused():
    with pytest.raises(ValueError, match="burst_fraction"):
        dataclasses.replace(DEFAULT_CONFIG, burst_fraction=1.0)
