"""Seasonal models of the detector: daily and weekly lags, lagged residuals, where the weekly model is in use."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from analyzers.detection.config import DetectorConfig

DAY_S = 86_400.0
WEEK_S = 7 * DAY_S
NEVER = -(2**62)  # "the weekly model never won" (a global point index far in the past)
WIN_STRIDE = 4  # weekly wins are judged on every 4th residual of the window (enough for a spread)
_CHUNK = 1 << 14  # points per elementwise pass over temporaries (they stay in cache)


def season_lags(
    first_timestamps: np.ndarray, period_s: float | None, config: DetectorConfig
) -> tuple[int, int]:
    """(daily, weekly) lags in points from the sampling step of the first valid timestamps; 0 = no model.

    The daily lag is `period_s` (default one day) over the step; the weekly lag is one week over
    the step, kept only if `config.week_season` and it is longer than the daily lag.
    """
    if first_timestamps.size < 3:
        return 0, 0
    step = float(np.median(np.diff(first_timestamps)))
    if step <= 0:
        return 0, 0

    def lag(period: float) -> int:
        points = int(round(period / step)) if period > 0 else 0
        return points if 4 <= points <= config.max_season_points else 0

    daily = lag(DAY_S if period_s is None else float(period_s))
    weekly = lag(WEEK_S) if config.week_season else 0
    return daily, (weekly if weekly > daily else 0)


def seasonal_residual(series: np.ndarray, lag: int, periods: int) -> np.ndarray:
    """series[i] minus its seasonal reference, for local i >= lag.

    The reference is the value one period back; once 3 periods of history exist (and
    `periods` >= 3), the median of the same phase over the last three periods, so that
    an anomaly does not come back as an "echo" one period later; once 5 exist (and
    `periods` >= 5), the median over the last five, which one or two odd days do not move.
    """
    n = series.size
    if n <= lag:
        return np.empty(0)
    out = np.empty(n - lag)
    if periods < 3 or 3 * lag >= n:
        return np.subtract(series[lag:], series[: n - lag], out=out)  # one period back
    # local i >= 3 * lag (so global i >= 3 * lag too) has three periods of history, i >= 5 * lag five
    np.subtract(series[lag : 3 * lag], series[: 2 * lag], out=out[: 2 * lag])
    five = 4 * lag if periods >= 5 else n - lag  # residual index r is series index r + lag
    size = min(_CHUNK, n)
    low, high, other_low, other_high = (np.empty(size) for _ in range(4))
    for start in range(2 * lag, min(five, n - lag), _CHUNK):
        stop = min(start + _CHUNK, five, n - lag)
        a, b, c = series[start:stop], series[start - lag : stop - lag], series[start - 2 * lag : stop - 2 * lag]
        median = _median3(a, b, c, low[: stop - start], high[: stop - start])
        np.subtract(series[start + lag : stop + lag], median, out=out[start:stop])
    for start in range(five, n - lag, _CHUNK):
        stop = min(start + _CHUNK, n - lag)
        a, b, c, d, e = (series[start - k * lag : stop - k * lag] for k in range(5))
        part = slice(0, stop - start)
        # the median of five is the median of e, the larger of the pairs' minima and the smaller of their maxima
        lo = np.maximum(np.minimum(a, b, out=low[part]), np.minimum(c, d, out=other_low[part]), out=low[part])
        hi = np.minimum(np.maximum(a, b, out=high[part]), np.maximum(c, d, out=other_high[part]), out=high[part])
        median = _median3(lo, hi, e, other_low[part], other_high[part])
        np.subtract(series[start + lag : stop + lag], median, out=out[start:stop])
    return out


def _median3(a: np.ndarray, b: np.ndarray, c: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Elementwise median of a, b and c, into `high` (`low`: scratch; neither may be a, b or c)."""
    np.minimum(a, b, out=low)
    np.maximum(a, b, out=high)
    np.minimum(high, c, out=high)
    return np.maximum(low, high, out=high)


def weekly_recent(
    spread_best: np.ndarray,
    spread_week: np.ndarray,
    first_index: int,
    last_win: int,
    week_lag: int,
    config: DetectorConfig,
) -> tuple[np.ndarray, int]:
    """Where the weekly model is in use, and the global index of its last win.

    `spread_best` (better of plain/daily) and `spread_week` are the raw values' baseline
    spreads for consecutive points from global index `first_index`. The weekly model "wins"
    a point where its spread is clearly lower (`season_gain`): the series has a weekly
    pattern. That only shows once a week, and the baseline window may be shorter than a
    week, so a win counts for one week: the weekly model is in use within `week_lag` points
    of a win, once `week_min_periods` weeks of history exist. Causal, whatever the chunking.
    """
    index = first_index + np.arange(spread_week.size)
    wins = np.where(spread_week < config.season_gain * spread_best, index, NEVER)
    latest = np.maximum.accumulate(np.maximum(wins, last_win))
    recent = (latest > index - week_lag) & (index >= max(config.week_min_periods, 1) * week_lag)
    return recent, int(latest[-1]) if latest.size else last_win


def true_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True in a boolean array."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.view(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))
