"""Whole-history novelty: a value beyond (nearly) every earlier value of the stream.

The robust baselines only see the trailing window, so a spike as high as one three weeks ago
is "within range" for them only if it is within the window. Novelty keeps the stream's
`novelty_rank` smallest and largest values since its first point (a few floats of state) and
calls a value novel when it passes the k-th most extreme of them by `novelty_tolerance` of
their range, once `novelty_after` points of history exist. With k = 2, one freak value (a
glitch at startup) does not mask every later record. A steady trend is not novel (each step is
small against the range); an abrupt new high or low is.

A record the trailing baselines find ordinary (raw score below `novelty_min_raw`: a slow drift past
the old high, a new high on a still-short history) is not novel. A novel point's raw score is
floored at `novelty_score`, and it is reported at that score
unless another novel point came in the previous `suppress` points. This is a track of its own:
a statistical alert just before does not hide it, and it does not hide the statistical alerts
after it. The floor is below the 0.5 the bot needs for an episode, so novelty alone ranks a
point, it never opens an incident.
"""

from __future__ import annotations

import numpy as np

from analyzers.detection.config import DetectorConfig


Extremes = tuple[float, ...]  # the k most extreme values seen, most extreme first (padded with +-inf)


def novel_mask(
    values: np.ndarray, lows: Extremes, highs: Extremes, first_index: int, config: DetectorConfig
) -> tuple[np.ndarray | None, Extremes, Extremes]:
    """(which values are novel against the extremes of the points before them, or None if novelty is
    off; the extremes after `values`). `lows`, `highs`: the `novelty_rank` smallest and largest values
    before `values` (as `KernelState` keeps them; () for none); `first_index`: global index of values[0]."""
    k = max(config.novelty_rank, 1)
    if values.size == 0:
        return None, lows, highs
    low_before, lows_after = running_kth(values, lows, k, upper=False)
    high_before, highs_after = running_kth(values, highs, k, upper=True)
    if config.novelty_score <= 0:
        return None, lows_after, highs_after
    margin = high_before - low_before  # -inf before the k-th value: no extremes yet
    with np.errstate(invalid="ignore"):  # -inf * 0 (tolerance 0): NaN, and a NaN margin makes nothing novel
        margin *= config.novelty_tolerance
    high_before += margin
    low_before -= margin
    novel = values > high_before
    novel |= values < low_before
    novel[: max(max(config.novelty_after, k) - first_index, 0)] = False  # k values make the k-th extremes
    return novel, lows_after, highs_after


def running_kth(values: np.ndarray, extremes: Extremes, k: int, upper: bool) -> tuple[np.ndarray, Extremes]:
    """(the k-th largest (`upper`) or smallest value before each point, the k most extreme after all of
    them), from `extremes`, the k most extreme before values[0]. The r-th largest after a value x is
    max(r-th largest before, min(x, (r-1)-th largest before)); likewise for the smallest."""
    extend, bound = (np.maximum, np.minimum) if upper else (np.minimum, np.maximum)
    extremes = padded(extremes, k, -np.inf if upper else np.inf)
    before, after = None, []
    for r in range(k):
        current = values.copy() if before is None else bound(values, before)  # before: the (r-1)-th
        extend.accumulate(current, out=current)
        extend(current, extremes[r], out=current)  # current[j]: the r-th after values[j]
        after.append(float(current[-1]))
        before = np.empty(values.size)
        before[0] = extremes[r]
        before[1:] = current[:-1]
    return before, tuple(after)


def padded(extremes: Extremes, k: int, fill: float) -> Extremes:
    """`extremes` cut or padded with `fill` (-inf for largest, +inf for smallest values) to k values."""
    return tuple(extremes[:k]) + (fill,) * (k - len(extremes[:k]))


def push_extreme(extremes: Extremes, value: float, k: int, upper: bool) -> Extremes:
    """The k largest (`upper`) or smallest of `extremes` (the k most extreme so far) and `value`, most
    extreme first."""
    extremes = padded(extremes, k, -np.inf if upper else np.inf)
    at = next((i for i, v in enumerate(extremes) if (value > v if upper else value < v)), k)
    return (extremes[:at] + (value,) + extremes[at:])[:k]


def apply_novelty(
    raw: np.ndarray, reported: np.ndarray, novel: np.ndarray | None, first_index: int, last_novel: int,
    config: DetectorConfig,
) -> int:
    """Floor `raw` and report novel points (in place, see the module docstring); `last_novel`: global
    index of the last novel point before these. Returns the last novel point's index after them."""
    if novel is None:
        return last_novel
    for local in np.flatnonzero(novel).tolist():
        if raw[local] < config.novelty_min_raw:  # a record the baselines find ordinary is no novelty
            continue
        raw[local] = max(raw[local], config.novelty_score)
        last_novel, was = first_index + local, last_novel
        if last_novel - was > config.suppress:
            reported[local] = max(reported[local], config.novelty_score)
    return last_novel


def novelty_point(
    raw: float, reported: float, value: float, lows: Extremes, highs: Extremes, index: int, last_novel: int,
    config: DetectorConfig,
) -> tuple[float, float, int, Extremes, Extremes]:
    """`novel_mask` and `apply_novelty` of one point (same arithmetic): (raw, reported, last novel index,
    extremes after the point)."""
    k = max(config.novelty_rank, 1)
    low, high = padded(lows, k, np.inf)[-1], padded(highs, k, -np.inf)[-1]
    if config.novelty_score > 0 and index >= max(config.novelty_after, k):
        margin = (high - low) * config.novelty_tolerance
        if (value > high + margin or value < low - margin) and raw >= config.novelty_min_raw:
            raw = max(raw, config.novelty_score)
            if index - last_novel > config.suppress:
                reported = max(reported, config.novelty_score)
            last_novel = index
    return raw, reported, last_novel, push_extreme(lows, value, k, False), push_extreme(highs, value, k, True)
