"""Whole-history novelty: a value beyond every earlier value of the stream.

The robust baselines only see the trailing window, so a spike as high as one three weeks ago
is "within range" for them only if it is within the window. Novelty keeps the stream's
extremes since its first point (two floats of state) and calls a value novel when it passes
them by `novelty_tolerance` of their range, once `novelty_after` points of history exist. A
steady trend is not novel (each step is small against the range); an abrupt new high or low is.

A novel point's raw score is floored at `novelty_score`, and it is reported at that score
unless another novel point came in the previous `suppress` points. This is a track of its own:
a statistical alert just before does not hide it, and it does not hide the statistical alerts
after it. The floor is below the 0.5 the bot needs for an episode, so novelty alone ranks a
point, it never opens an incident.
"""

from __future__ import annotations

import numpy as np

from analyzers.detection.config import DetectorConfig


def novel_mask(
    values: np.ndarray, low: float, high: float, first_index: int, config: DetectorConfig
) -> tuple[np.ndarray | None, float, float]:
    """(which values are novel against the extremes of the points before them, or None if novelty is
    off; the extremes after `values`). `low`, `high`: extremes before `values`; `first_index`: global
    index of values[0]."""
    if values.size == 0:
        return None, low, high
    lows = np.minimum.accumulate(np.concatenate(([low], values)))
    highs = np.maximum.accumulate(np.concatenate(([high], values)))
    if config.novelty_score <= 0:
        return None, float(lows[-1]), float(highs[-1])
    before_low, before_high = lows[:-1], highs[:-1]
    margin = before_high - before_low  # -inf before the first value: no extremes yet
    with np.errstate(invalid="ignore"):  # -inf * 0 (tolerance 0): NaN, and a NaN margin makes nothing novel
        margin *= config.novelty_tolerance
    novel = (values > before_high + margin) | (values < before_low - margin)
    novel &= np.arange(first_index, first_index + values.size) >= max(config.novelty_after, 1)
    return novel, float(lows[-1]), float(highs[-1])


def apply_novelty(
    raw: np.ndarray, reported: np.ndarray, novel: np.ndarray | None, first_index: int, last_novel: int,
    config: DetectorConfig,
) -> int:
    """Floor `raw` and report novel points (in place, see the module docstring); `last_novel`: global
    index of the last novel point before these. Returns the last novel point's index after them."""
    if novel is None:
        return last_novel
    for local in np.flatnonzero(novel).tolist():
        raw[local] = max(raw[local], config.novelty_score)
        last_novel, was = first_index + local, last_novel
        if last_novel - was > config.suppress:
            reported[local] = max(reported[local], config.novelty_score)
    return last_novel


def novelty_point(
    raw: float, reported: float, value: float, low: float, high: float, index: int, last_novel: int,
    config: DetectorConfig,
) -> tuple[float, float, int]:
    """`novel_mask` and `apply_novelty` of one point (same arithmetic): (raw, reported, last novel index)."""
    if config.novelty_score > 0 and index >= max(config.novelty_after, 1):
        margin = (high - low) * config.novelty_tolerance
        if value > high + margin or value < low - margin:
            raw = max(raw, config.novelty_score)
            if index - last_novel > config.suppress:
                reported = max(reported, config.novelty_score)
            last_novel = index
    return raw, reported, last_novel
