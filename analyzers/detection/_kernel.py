"""Vectorised scoring kernel shared by the batch and streaming anomaly detectors.

Owns scoring a chunk of a stream (`score_chunk`): each channel's robust z (raw values,
trailing means, volatility = trailing mean of |first difference|), the choice between the
plain and the seasonal (daily and weekly lagged residual, see `seasonal`) models, the
channels' combination into a point score, the repeat-alert suppression, the alert hold
(`hold`), the dropping of small bursts (`bursts`) and the whole-history novelty track
(`novelty`). Everything is causal: the score of point g only uses valid points 0..g. The
parts live in `config` (settings, stream state), `rolling` (trailing means), `baselines`
(robust baselines and z), `scores` (z -> score, combination) and `single_point` (the one-point
streaming fast path).
"""

from __future__ import annotations

import logging

import numpy as np

from analyzers.detection.baselines import robust_z
from analyzers.detection.bursts import drop_small_bursts
from analyzers.detection.chunking import chunks
from analyzers.detection.config import DEFAULT_CONFIG, DetectorConfig, KernelState, history_needed
from analyzers.detection.hold import apply_hold
from analyzers.detection.novelty import apply_novelty, novel_mask
from analyzers.detection.rolling import sliding_max, trailing_mean
from analyzers.detection.scores import combine_channels, z_to_score
from analyzers.detection.seasonal import WIN_STRIDE, seasonal_residual, true_runs, weekly_recent
from analyzers.detection.single_point import score_point

__all__ = [  # the kernel's API, with the names re-exported from the modules that own them
    "DEFAULT_CONFIG",
    "DetectorConfig",
    "KernelState",
    "combine_channels",
    "history_needed",
    "score_chunk",
    "z_to_score",
]

logger = logging.getLogger(__name__)


def score_chunk(
    state: KernelState,
    new_values: np.ndarray,
    config: DetectorConfig,
    cache: dict[str, tuple[int, np.ndarray]] | None = None,
) -> tuple[np.ndarray, np.ndarray, KernelState]:
    """Score valid (non-NaN) values appended to a stream (`cache` speeds up 1-point chunks).

    Returns (raw scores, reported scores, next state). Reported = raw when the raw
    score beats every raw score of the previous `suppress` points (or is the first of
    them to reach `alert_escalate`) and no alert holds it
    (`hold`), else 0; a novel point is also reported at the novelty score (`novelty`).
    """
    new_values = np.asarray(new_values, dtype=float)
    if cache is not None and new_values.size == 1:
        scored = score_point(state, float(new_values[0]), config, cache)
        if scored is not None:
            return scored
    ext = np.concatenate([state.tail_values, new_values])
    first = state.tail_values.size
    base = state.n_seen - first
    lags = (state.season_lag, state.week_lag)
    channels = [(ext, 1, 1.0, "")]
    channels += [(ext, width, config.ma_gain, "") for width in config.ma_windows if width > 1]
    if config.vol_windows:
        steps = np.abs(np.diff(ext, prepend=ext[:1]))  # 0 for the first point of the stream
        channels += [(steps, width, config.vol_gain, "vol") for width in config.vol_windows]
    zs, recent, week_win = [], None, state.week_win
    for values, width, gain, kind in channels:
        z, recent, week_win = _channel_z(values, first, base, lags, width, config, cache, kind, recent, week_win)
        if gain != 1.0:
            z *= gain  # z is private to this call
        zs.append(z)
    raw = combine_channels(zs, config)
    reported = _suppress_repeats(state.tail_raw, raw, config.suppress, config.repeat_ratio, config.alert_escalate)
    tail_raw = np.concatenate([state.tail_raw, raw])[-config.suppress :].copy() if config.suppress > 0 else np.empty(0)
    novel, lows, highs = novel_mask(new_values, state.lows, state.highs, state.n_seen, config)
    last_alert = apply_hold(reported, state.n_seen, state.last_alert, config)
    tops = drop_small_bursts(reported, ext, first, state.tops, config)
    last_novel = apply_novelty(raw, reported, novel, state.n_seen, state.last_novel, config)
    keep = history_needed(config, *lags)
    next_state = KernelState(
        tail_values=ext[-keep:].copy(),
        tail_raw=tail_raw,
        n_seen=state.n_seen + new_values.size,
        season_lag=lags[0],
        week_lag=lags[1],
        week_win=week_win,
        lows=lows,
        highs=highs,
        last_novel=last_novel,
        last_alert=last_alert,
        tops=tops,
    )
    return raw, reported, next_state


def _channel_z(
    ext: np.ndarray,
    first: int,
    base: int,
    lags: tuple[int, int],
    width: int,
    config: DetectorConfig,
    cache: dict[str, tuple[int, np.ndarray]] | None,
    kind: str,
    recent: np.ndarray | None,
    week_win: int,
) -> tuple[np.ndarray, np.ndarray | None, int]:
    """Robust z of ext[first:] for the channel "trailing mean of `width` points" (1 = raw values);
    `kind` names the transformed input (e.g. "vol" for |first differences|) in the baseline cache.

    The daily model (residual against the same phase in previous days) replaces the plain
    one where it explains the channel clearly better; elsewhere it caps the z (`season_veto`: a point
    is surprising only if neither model explains it), and the weekly model replaces both where
    it is in use for the series (`recent`, for the last points; None: this channel, the raw
    values, decides it with `weekly_recent`, from the weekly model's last win `week_win`) and
    not clearly worse for this channel. Returns z, `recent` and the last win.
    """
    series = trailing_mean(ext, width, base)
    stride = max(width // max(config.ma_stride_div, 1), 1)
    z, spread = robust_z(series, first, base, config, cache, f"{kind}plain{width}", stride)
    gain = config.season_gain
    for name, lag in zip(("season", "week"), lags):
        if lag <= 0 or series.size <= lag:
            continue
        residual = seasonal_residual(series, lag, config.season_periods if name == "season" else config.week_periods)
        res_first = max(first - lag, 0)
        if name == "season":
            key = f"{kind}season{width}"
            z_season, spread_season = robust_z(residual, res_first, base, config, cache, key, stride)
            lead = z.size - z_season.size
            for part in chunks(z_season.size):
                take = slice(lead + part.start, lead + part.stop)
                better = spread_season[part] < gain * spread[take]
                if config.season_veto:  # where the plain model stays: a value the daily model explains
                    ratio = np.divide(spread_season[part], spread[take])  # is no surprise
                    np.maximum(ratio, 1.0, out=ratio)
                    ratio *= z_season[part]  # the daily model's z, in units no smaller than the plain spread
                    np.minimum(z[take], ratio, out=z[take], where=np.isfinite(ratio) & ~better)
                np.copyto(z[take], z_season[part], where=better)
                np.copyto(spread[take], spread_season[part], where=better)
            continue
        if recent is None:
            _, spread_week = robust_z(residual, res_first, base, config, cache, "weekwin", WIN_STRIDE, True)
            at = z.size - spread_week.size
            recent, week_win = weekly_recent(spread[at:], spread_week, base + first + at, week_win, lag, config)
        lead = z.size - recent.size
        key = f"{kind}week{width}"
        for start, stop in true_runs(recent):  # only the points where the weekly model is in use
            upto = residual[: res_first + stop]
            z_week, spread_week = robust_z(upto, res_first + start, base, config, cache, key, stride)
            for part in chunks(stop - start):
                at = slice(lead + start + part.start, lead + start + part.stop)
                np.copyto(z[at], z_week[part], where=~(spread[at] < gain * spread_week[part]))
    for part in chunks(z.size):
        np.nan_to_num(z[part], copy=False, nan=0.0)
    return z, recent, week_win


def _suppress_repeats(previous_raw: np.ndarray, raw: np.ndarray, horizon: int, ratio: float = 1.0,
                      escalate: float = np.inf) -> np.ndarray:
    """Keep a raw score only if ratio * raw beats every raw score of the previous `horizon` points, or if it
    reaches `escalate` and none of them did (a slow climb to the alert level is reported where it gets there)."""
    if horizon <= 0 or raw.size == 0:
        return raw.copy()
    keep = previous_raw[-horizon:]
    running = sliding_max(np.concatenate([keep, raw[:-1]]), horizon)  # running[k]: max up to joined point k
    prev_max = running[keep.size - 1 :] if keep.size else np.concatenate([[-np.inf], running])
    return np.where((ratio * raw > prev_max) | ((raw >= escalate) & (prev_max < escalate)), raw, 0.0)
