"""Public detector API: batch `score_series`, streaming `OnlineDetector`, `find_onset`.

Both entry points run the same causal kernel (`_kernel.score_chunk`), so feeding a
series point by point yields the same scores as scoring it in one call. NaN input
is a missing point: its score is 0 and the detector state is left untouched.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from typing import Any, Sequence

import numpy as np

from analyzers.detection._kernel import score_chunk
from analyzers.detection.config import DEFAULT_CONFIG, DetectorConfig, KernelState
from analyzers.detection.seasonal import season_lags

logger = logging.getLogger(__name__)

STEP_SAMPLES = 17  # timestamps used to estimate the sampling step (and so the season lag)


def _scores(
    values: np.ndarray | Sequence[float],
    timestamps: Sequence[float] | None,
    period_s: float | None,
    config: DetectorConfig,
) -> tuple[np.ndarray, np.ndarray]:
    """(raw, reported) scores per input point; NaN points get 0 in both."""
    x = np.asarray(values, dtype=float).ravel()
    valid = np.isfinite(x)
    lags = (0, 0)
    if timestamps is not None:
        ts = np.asarray(timestamps, dtype=float).ravel()
        if ts.size != x.size:
            raise ValueError("timestamps and values must have the same length")
        lags = season_lags(ts[valid][:STEP_SAMPLES], period_s, config)
    raw = np.zeros(x.size)
    reported = np.zeros(x.size)
    if valid.any():
        raw_valid, reported_valid, _ = score_chunk(KernelState.empty(*lags), x[valid], config)
        raw[valid] = raw_valid
        reported[valid] = reported_valid
    return raw, reported


def score_series(
    values: np.ndarray | Sequence[float],
    timestamps: Sequence[float] | None = None,
    period_s: float | None = None,
    *,
    config: DetectorConfig = DEFAULT_CONFIG,
) -> np.ndarray:
    """Causal anomaly score in [0, 1] for each point (epoch-second timestamps optional).

    With timestamps, a seasonal model of period `period_s` (default: one day) is
    learnt once a period and a baseline block of history exist, and a weekly one once
    `config.week_min_periods` weeks exist. Repeat alerts are suppressed: a point
    scores > 0 only if it is more surprising than the recent points or the first
    of them to reach 0.5, and, after a score of 0.4 or more, not within the next
    32 points unless it is the first to reach 0.5 (`hold`); a new local high far below
    the stream's biggest bursts is not reported (`bursts`); a value beyond every
    earlier one scores 0.45 (`novelty`).
    """
    return _scores(values, timestamps, period_s, config)[1]


def raw_scores(
    values: np.ndarray | Sequence[float],
    timestamps: Sequence[float] | None = None,
    period_s: float | None = None,
    *,
    config: DetectorConfig = DEFAULT_CONFIG,
) -> np.ndarray:
    """Like `score_series` but without repeat suppression (every point keeps its surprise)."""
    return _scores(values, timestamps, period_s, config)[0]


class OnlineDetector:
    """Streaming twin of `score_series`: `update` one point at a time."""

    def __init__(self, period_s: float | None = None, config: DetectorConfig = DEFAULT_CONFIG) -> None:
        self._config = config
        self._period_s = period_s
        self._state = KernelState.empty(0)
        self._step_timestamps: list[float] = []
        self._lag_fixed = False
        self._baseline_cache: dict[str, tuple[int, np.ndarray]] = {}

    @property
    def n_seen(self) -> int:
        return self._state.n_seen

    def state_nbytes(self) -> int:
        """Bytes held by the numeric state (history buffers)."""
        cached = sum(block.nbytes for _, block in self._baseline_cache.values())
        return self._state.nbytes() + 8 * len(self._step_timestamps) + cached

    def update(self, value: float, timestamp: float | None = None) -> float:
        if value is None or not math.isfinite(float(value)):
            return 0.0
        self._learn_step(timestamp)
        _, reported, self._state = score_chunk(
            self._state, np.array([float(value)]), self._config, self._baseline_cache
        )
        return float(reported[0])

    def _learn_step(self, timestamp: float | None) -> None:
        if self._lag_fixed:
            return
        if timestamp is not None:
            self._step_timestamps.append(float(timestamp))
        if len(self._step_timestamps) >= STEP_SAMPLES or (
            timestamp is None and not self._step_timestamps
        ):
            self._fix_lag()

    def _fix_lag(self) -> None:
        lags = season_lags(np.array(self._step_timestamps), self._period_s, self._config)
        self._state = dataclasses.replace(self._state, season_lag=lags[0], week_lag=lags[1])
        self._lag_fixed = True


def find_onsets(
    values: np.ndarray | Sequence[float],
    timestamps: Sequence[float] | None = None,
    threshold: float = 0.5,
    min_run: int = 1,
    *,
    period_s: float | None = None,
    config: DetectorConfig = DEFAULT_CONFIG,
) -> list[int]:
    """Indices where each anomalous episode starts, oldest first.

    An episode is a run of >= `min_run` consecutive valid points whose raw
    (unsuppressed) score is >= threshold; missing points neither extend nor break it.
    """
    raw = raw_scores(values, timestamps, period_s, config=config)
    x = np.asarray(values, dtype=float).ravel()
    valid_idx = np.flatnonzero(np.isfinite(x))
    flags = raw[valid_idx] >= threshold
    if not flags.any():
        return []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
    starts, ends = edges[0::2], edges[1::2]  # runs of flagged points: [start, end)
    return [int(valid_idx[a]) for a, b in zip(starts, ends) if b - a >= max(min_run, 1)]


def find_onset(*args: Any, **kwargs: Any) -> int | None:
    """Index where the latest anomalous episode starts, or None if nothing is anomalous (arguments as
    :func:`find_onsets`)."""
    onsets = find_onsets(*args, **kwargs)
    return onsets[-1] if onsets else None
