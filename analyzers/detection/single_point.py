"""Streaming fast path: `score_point` scores one point between block boundaries (all baselines
cached) on its own values only, with `score_chunk`'s arithmetic, bit for bit."""

from __future__ import annotations

import functools
import math

import numpy as np

from analyzers.detection.bursts import burst_point
from analyzers.detection.config import DetectorConfig, KernelState, history_needed
from analyzers.detection.hold import hold_point
from analyzers.detection.novelty import novelty_point
from analyzers.detection.scores import noisy_or_point
from analyzers.detection.seasonal import NEVER


@functools.lru_cache(maxsize=256)
def _point_plan(config: DetectorConfig, periods: tuple[tuple[int, int], ...]) -> tuple[list[tuple], int]:
    """What `score_point` reads around the point (offset 0), by the number of periods in each lag's
    seasonal reference (`periods`: lag -> 0 = no model yet, 1 = one period back, 3 or 5 = median of 3 or 5):
    per channel (kind, width, gain, offsets of the points each needed mean covers, of their
    predecessors, offsets of the needed means), and the lowest offset read."""
    offsets = [0, *(-k * lag for lag, count in periods for k in range(1, count + 1))]
    specs = [("", 1, 1.0)]
    specs += [("", width, config.ma_gain) for width in config.ma_windows if width > 1]
    specs += [("vol", max(width, 1), config.vol_gain) for width in config.vol_windows]
    channels = []
    for kind, width, gain in specs:
        index = np.array(offsets)[:, None] + np.arange(1 - width, 1)
        channels.append((kind, width, gain, index, index - 1, offsets))
    return channels, min(offsets) - max(width for _, width, _ in specs)


def _reference_periods(i: int, lag: int, most: int) -> int:
    """How many periods back `seasonal_residual` takes the reference of local point i from (0: none yet)."""
    if i < lag:
        return 0
    return 5 if most >= 5 and i >= 5 * lag else 3 if most >= 3 and i >= 3 * lag else 1


def score_point(
    state: KernelState, value: float, config: DetectorConfig, cache: dict[str, tuple[int, np.ndarray]]
) -> tuple[np.ndarray, np.ndarray, KernelState] | None:
    """`score_chunk` of one point of a stream whose baselines are all cached (the points between
    block boundaries): the same arithmetic on this point only, bit for bit. None where that does
    not apply (a baseline to compute, a mean over the start of the stream, a z not finite):
    score it the general way."""
    if config.combine != "noisy_or":
        return None
    lags = (state.season_lag, state.week_lag)
    keep = history_needed(config, *lags)
    i = state.tail_values.size  # local index of the point
    periods = tuple((lag, _reference_periods(i, lag, most)) for lag, most in
                    zip(lags, (config.season_periods, config.week_periods)) if lag > 0)
    channels, lowest = _point_plan(config, periods)
    if i + lowest < 0:
        return None
    ext = np.empty(i + 1)
    ext[:i] = state.tail_values
    ext[i] = value
    g = state.n_seen  # global index of the point
    block, tail, cap, gain = config.block, config.tail_scale, config.within_range_cap, config.season_gain
    veto = config.season_veto
    refs = dict(periods)

    def stats(key: str, index: int) -> list[float] | None:
        cached = cache.get(key)
        if cached is None or cached[0] != (index // block) * block:
            return None
        return cached[1][0].tolist()  # median, sigma, low, high

    def z_of(x: float, st: list[float]) -> float:  # robust_z's arithmetic
        median, sigma, low, high = st
        plain = abs(x - median) * (1.0 / sigma)
        up = (x - high) * (1.0 / max(sigma, tail * (high - median)))
        down = (low - x) * (1.0 / max(sigma, tail * (median - low)))
        return min(plain, max(max(up, down), 0.0) + cap)

    zs, recent, week_win = [], None, state.week_win
    for kind, width, channel_gain, index, before, offsets in channels:
        if kind == "vol":  # trailing mean of |first difference|
            rows = ext[index + i]
            rows -= ext[before + i]
            means = np.abs(rows, out=rows).sum(axis=1) / width
        else:
            means = ext[index + i].sum(axis=1) / width if width > 1 else ext[index[:, 0] + i]
        at = dict(zip(offsets, means.tolist()))
        x = at[0]
        st = stats(f"{kind}plain{width}", g)
        if st is None:
            return None
        z, spread = z_of(x, st), st[1]
        for name, lag in zip(("season", "week"), lags):
            if lag <= 0 or refs[lag] == 0:
                continue
            if refs[lag] == 5:
                residual = x - sorted(at[-k * lag] for k in range(1, 6))[2]  # the same value as the batch network
            elif refs[lag] == 3:
                a, b, c = at[-lag], at[-2 * lag], at[-3 * lag]
                residual = x - max(min(a, b), min(max(a, b), c))
            else:
                residual = x - at[-lag]
            if name == "season":
                st = stats(f"{kind}season{width}", g - lag)
                if st is None:
                    return None
                if st[1] < gain * spread:
                    z, spread = z_of(residual, st), st[1]
                elif veto:  # _channel_z's veto by the daily model
                    capped = max(st[1] / spread, 1.0) * z_of(residual, st)
                    if math.isfinite(capped):
                        z = min(z, capped)
                continue
            if recent is None:
                st = stats("weekwin", g - lag)
                if st is None:
                    return None
                week_win = max(g if st[1] < gain * spread else NEVER, week_win)
                recent = week_win > g - lag and g >= max(config.week_min_periods, 1) * lag
            if recent:
                st = stats(f"{kind}week{width}", g - lag)
                if st is None:
                    return None
                if not spread < gain * st[1]:
                    z = z_of(residual, st)
        if not math.isfinite(z):
            return None
        zs.append(z * channel_gain if channel_gain != 1.0 else z)
    raw = noisy_or_point(zs, config.score_scale)
    reported = raw
    if config.suppress > 0:
        previous = state.tail_raw[-config.suppress :]
        prev_max = float(previous.max()) if previous.size else -math.inf
        if not (config.repeat_ratio * raw > prev_max or raw >= config.alert_escalate > prev_max):
            reported = 0.0
        tail_raw = np.empty(min(state.tail_raw.size + 1, config.suppress))
        tail_raw[:-1] = state.tail_raw[state.tail_raw.size + 1 - tail_raw.size :]
        tail_raw[-1] = raw
    else:
        tail_raw = np.empty(0)
    last_alert = state.last_alert
    if reported > 0 and config.alert_hold > 0:
        reported, last_alert = hold_point(reported, g, last_alert, config)
    reported, tops = burst_point(reported, ext, state.tops, config)
    raw, reported, last_novel, lows, highs = novelty_point(raw, reported, value, state.lows, state.highs, g,
                                                           state.last_novel, config)
    next_state = KernelState(ext[-keep:], tail_raw, g + 1, lags[0], lags[1], week_win, lows, highs, last_novel,
                             last_alert, tops)
    return np.array([raw]), np.array([reported]), next_state
