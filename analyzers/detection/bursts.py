"""Small bursts: a report of a new local high that is small against the stream's biggest bursts.

The trailing baselines see 1,024 points (three and a half days of 5-minute data). On a bursty
series (tweet volume, request counts) a burst that tops those days is a surprise to them, and is
reported, even when the stream has had bursts many times higher before. Such a burst is dropped
from the reports when it rises above the trailing median by less than `burst_fraction` of how far
the stream's `burst_rank`-th largest value ever rose above it: "a new high for the last days, but
less than half of what this stream's top bursts reach".

Only new local highs (above the second-largest of the `window` values before them, once that many
exist) are dropped, so a value inside the recent range that a seasonal model flags (no daily jump,
a weekday level on a weekend) keeps its report, and so do drops and novelties. Like the hold, this
only thins the reports of `score_series` and `OnlineDetector`: raw scores, and so the bot's episodes
and incidents, are not affected. The state is the `burst_rank` largest values seen (a few floats).
"""

from __future__ import annotations

import numpy as np

from analyzers.detection.config import DetectorConfig
from analyzers.detection.novelty import Extremes, padded, push_extreme, running_kth

_ROWS = 256  # windows partitioned at once by drop_small_bursts


def drop_small_bursts(reported: np.ndarray, ext: np.ndarray, first: int, tops: Extremes,
                      config: DetectorConfig) -> Extremes:
    """Zero (in place) the reports of small bursts among the points ext[first:] (`reported` holds their
    reports); `tops`: the `burst_rank` largest values before ext[first]. Returns them after ext[-1]."""
    k = config.burst_rank
    if k <= 0:
        return tops
    values = ext[first:]
    kth_before, tops_after = running_kth(values, tops, k, upper=True)
    if config.burst_fraction <= 0:
        return tops_after
    local = np.flatnonzero(reported)
    local = local[values[local] < kth_before[local]]  # (the fraction is below 1) also: fewer than k values yet
    local = local[first + local >= config.window]  # a whole window before the point
    for part in (local[i : i + _ROWS] for i in range(0, local.size, _ROWS)):
        reported[part[small_bursts(ext, first + part, kth_before[part], config)]] = 0.0
    return tops_after


def small_bursts(ext: np.ndarray, at: np.ndarray, kth_largest: np.ndarray, config: DetectorConfig) -> np.ndarray:
    """Which points ext[at] (each with a whole `window` before it) are small bursts: above the second-largest
    of the `window` values before it, and above their median by less than `burst_fraction` of `kth_largest`
    (the `burst_rank`-th largest value before it) above that median."""
    window = config.window
    half = window // 2
    rows = np.lib.stride_tricks.sliding_window_view(ext, window)[at - window]  # fancy indexing: a copy
    rows.partition([half - 1, half, window - 2], axis=1)
    value = ext[at]
    median = rows[:, half] if window % 2 else 0.5 * (rows[:, half - 1] + rows[:, half])
    small = value > rows[:, window - 2]  # a new local high...
    small &= median < value
    small &= value < median + config.burst_fraction * (kth_largest - median)  # ...but small
    return small


def burst_point(reported: float, ext: np.ndarray, tops: Extremes, config: DetectorConfig) -> tuple[float, Extremes]:
    """`drop_small_bursts` of one point, the last of `ext`: (its report, the largest values after it)."""
    k = config.burst_rank
    if k <= 0:
        return reported, tops
    value = float(ext[-1])
    kth = padded(tops, k, -np.inf)[-1]
    if reported > 0 and config.burst_fraction > 0 and value < kth and ext.size > config.window:
        if small_bursts(ext, np.array([ext.size - 1]), np.array([kth]), config)[0]:
            reported = 0.0
    return reported, push_extreme(tops, value, k, True)
