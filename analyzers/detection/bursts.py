"""Small bursts: a report of a new local high that is small against the stream's biggest bursts.

The trailing baselines see 1,024 points (three and a half days of 5-minute data). On a bursty
series (tweet volume, request counts) a burst that tops those days is a surprise to them, and is
reported, even when the stream has had bursts many times higher before. Such a burst is dropped
from the reports when it rises above the trailing median by less than `burst_fraction` of how far
the stream's `burst_rank`-th largest value ever rose above it: "a new high for the last days, but
less than half of what this stream's top bursts reach".

Only new local highs (above the trailing window's second-largest value) are dropped, so a value
inside the recent range that a seasonal model flags (no daily jump, a weekday level on a weekend)
keeps its report, and so do drops and novelties. Like the hold, this only thins the reports of
`score_series` and `OnlineDetector`: raw scores, and so the bot's episodes and incidents, are not
affected. The state is the `burst_rank` largest values seen (a few floats).
"""

from __future__ import annotations

import numpy as np

from analyzers.detection.config import DetectorConfig
from analyzers.detection.novelty import Extremes, padded, push_extreme, running_kth


def drop_small_bursts(reported: np.ndarray, ext: np.ndarray, first: int, tops: Extremes,
                      config: DetectorConfig) -> Extremes:
    """Zero (in place) the reports of small bursts among the points ext[first:] (`reported` holds their
    reports); `tops`: the `burst_rank` largest values before ext[first]. Returns them after ext[-1]."""
    k = config.burst_rank
    if k <= 0:
        return tops
    values = ext[first:]
    kth_before, tops_after = running_kth(values, tops, k, upper=True)
    if config.burst_fraction > 0:
        for local in np.flatnonzero(reported).tolist():
            if is_small_burst(ext[: first + local + 1], float(kth_before[local]), config):
                reported[local] = 0.0
    return tops_after


def is_small_burst(history: np.ndarray, kth_largest: float, config: DetectorConfig) -> bool:
    """Whether history[-1] is a small burst: above the second-largest of the `window` values before it,
    and above their median by less than `burst_fraction` of `kth_largest` (the `burst_rank`-th largest
    value before it) above that median."""
    window = history[max(history.size - 1 - config.window, 0) : -1]
    value = float(history[-1])
    size = window.size
    if size < 2 or not value < kth_largest:  # (the fraction is below 1) also: fewer than k values seen yet
        return False
    half = size // 2
    ranked = np.partition(window, [half - 1, half, size - 2])
    if value <= ranked[size - 2]:
        return False  # within the recent range: not a new local high
    median = float(ranked[half]) if size % 2 else 0.5 * float(ranked[half - 1] + ranked[half])
    return median < value < median + config.burst_fraction * (kth_largest - median)


def burst_point(reported: float, ext: np.ndarray, tops: Extremes, config: DetectorConfig) -> tuple[float, Extremes]:
    """`drop_small_bursts` of one point, the last of `ext`: (its report, the largest values after it)."""
    k = config.burst_rank
    if k <= 0:
        return reported, tops
    value = float(ext[-1])
    if reported > 0 and config.burst_fraction > 0:
        if is_small_burst(ext, padded(tops, k, -np.inf)[-1], config):
            reported = 0.0
    return reported, push_extreme(tops, value, k, True)
