"""Vectorised scoring kernel shared by the batch and streaming anomaly detectors.

Owns the maths: robust baselines refreshed every `block` points over a trailing
window, the range-aware robust z-score, the choice between the plain and the seasonal
(daily and weekly lagged residual, see `seasonal`) models, the volatility channels
(trailing mean of |first difference|: variance changes and flatlines), the z -> [0, 1]
score mapping, the noisy-OR of the channels' scores and the repeat-alert suppression.
Excess beyond the seen range is scaled by the range's own excursion too, which
calibrates spiky series against smooth ones. Everything here is causal: the score of
point g only uses valid points 0..g.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from analyzers.detection.seasonal import NEVER, WIN_STRIDE, seasonal_residual, true_runs, weekly_recent

logger = logging.getLogger(__name__)

_IQR_TO_SIGMA = 1.349  # (q75 - q25) of a Gaussian, in sigmas
_Q90_TO_SIGMA = 2.0 * 1.2816  # (q90 - q10) of a Gaussian, in sigmas
_SORT_CHUNK = 1 << 18  # values gathered and sorted at once by _block_stats


@dataclass(frozen=True)
class DetectorConfig:
    """Generic (not per-metric) knobs of the detector, in points."""

    window: int = 1024  # trailing history used for the baseline
    block: int = 64  # the baseline is refreshed every `block` points
    suppress: int = 128  # a score is reported only if it beats the last `suppress` raw scores
    within_range_cap: float = 3.0  # max z for a value already seen in the window
    range_rank: int = 1  # the "seen range" spans the k-th smallest to the k-th largest value
    score_scale: float = 20.0  # -log10 tail probability giving a channel score of 0.5
    combine: str = "noisy_or"  # channel scores -> point score: "noisy_or" (1 - prod(1 - s)) or "max"
    relative_floor: float = 1e-3  # minimum spread as a fraction of |median|
    absolute_floor: float = 1e-9
    max_season_points: int = 20_000
    season_gain: float = 0.5  # seasonal model used when its spread < gain * plain spread
    season_periods: int = 3  # seasonal reference = median of the same phase over this many periods (1 or 3)
    week_season: bool = True  # also a weekly seasonal model (lag: one week at the sampling step)
    week_min_periods: int = 3  # ...used from this many weeks of history on (3: median-of-3-weeks reference)
    ma_windows: tuple[int, ...] = (8, 32)  # extra channels: trailing means (level shifts, bursts)
    ma_gain: float = 1.0  # weight of a mean channel's z against the point channel's
    ma_stride_div: int = 2  # a mean channel's baseline samples its window every w // div points
    repeat_ratio: float = 0.9  # a repeat must beat the recent max by 1 / ratio to be reported
    tail_scale: float = 0.15  # excess beyond the seen range: in max(sigma, tail_scale * (extreme - median))
    vol_windows: tuple[int, ...] = (16,)  # extra channels: trailing mean of |first difference| (variance changes)
    vol_gain: float = 0.6  # weight of a volatility channel's z against the point channel's

    def __post_init__(self) -> None:
        if self.combine not in ("noisy_or", "max"):
            raise ValueError(f"combine must be 'noisy_or' or 'max', not {self.combine!r}")


DEFAULT_CONFIG = DetectorConfig()


@dataclass(frozen=True)
class KernelState:
    """Everything a stream needs to continue scoring exactly like the batch path."""

    tail_values: np.ndarray  # last valid values (enough history for windows + season lags)
    tail_raw: np.ndarray  # last raw (unsuppressed) scores, for suppression
    n_seen: int  # valid points seen so far
    season_lag: int  # daily seasonal lag in points, 0 = no daily model
    week_lag: int = 0  # weekly seasonal lag in points, 0 = no weekly model
    week_win: int = NEVER  # global index of the weekly model's last win (see seasonal.weekly_recent)

    @staticmethod
    def empty(season_lag: int = 0, week_lag: int = 0) -> "KernelState":
        return KernelState(np.empty(0), np.empty(0), 0, season_lag, week_lag)

    def nbytes(self) -> int:
        return int(self.tail_values.nbytes + self.tail_raw.nbytes)


def history_needed(config: DetectorConfig, season_lag: int, week_lag: int = 0) -> int:
    """Number of trailing values a stream must keep."""
    widest = max((1, *config.ma_windows, *config.vol_windows))
    longest = max(season_lag, week_lag)
    periods = max(config.season_periods, 1) if longest > 0 else 0
    return config.window + config.block + periods * longest + widest + 2  # +1 for first differences


def trailing_mean(series: np.ndarray, width: int, offset: int) -> np.ndarray:
    """Mean of the last `width` points (fewer at the start of the stream) for each local point.

    `offset` is the global index of series[0]. Deterministic per point (same summation
    whatever the chunking), so streaming and batch agree bit for bit. Local points
    i < width - 1 of a stream that started before series[0] have no full history:
    they get their own value (callers keep enough history never to use them).
    """
    if width <= 1:
        return series
    out = np.empty_like(series)
    n = series.size
    if n >= width:
        out[width - 1 :] = np.lib.stride_tricks.sliding_window_view(series, width).sum(axis=1) / width
    head = min(width - 1, n)
    if offset == 0:
        out[:head] = np.cumsum(series[:head]) / np.arange(1, head + 1)
    else:
        out[:head] = series[:head]
    return out


def sliding_max(values: np.ndarray, width: int) -> np.ndarray:
    """out[i] = max(values[max(0, i - width + 1) : i + 1]) in O(n) (van Herk / Gil-Werman)."""
    n = values.size
    if n == 0 or width <= 1:
        return values.copy()
    n_blocks = -(-n // width)
    padded = np.full(n_blocks * width, -np.inf)
    padded[:n] = values
    blocks = padded.reshape(n_blocks, width)
    prefix = np.maximum.accumulate(blocks, axis=1).ravel()
    suffix = np.maximum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    idx = np.arange(n)
    start = idx - width + 1
    out = prefix[:n].copy()
    has_left = start >= 0
    out[has_left] = np.maximum(suffix[start[has_left]], prefix[idx[has_left]])
    early = ~has_left
    out[early] = np.maximum.accumulate(values[: int(early.sum())])
    return out


def _block_stats(series: np.ndarray, ends: np.ndarray, config: DetectorConfig, stride: int = 1) -> np.ndarray:
    """Robust stats of series[max(0, e - window):e] (every `stride`-th point) for each local end e.

    Returns an array (len(ends), 4): median, robust sigma, low and high ends of the seen range.
    """
    out = np.empty((ends.size, 4))
    window = config.window
    full = np.flatnonzero(ends >= window)
    if full.size:
        view = np.lib.stride_tricks.sliding_window_view(series, window)[:, ::stride]
        step = max(_SORT_CHUNK // view.shape[1], 1)  # rows sorted together stay in cache
        for part in (full[i : i + step] for i in range(0, full.size, step)):
            rows = view[ends[part] - window]
            rows.sort(axis=1)  # fancy indexing made a private copy
            out[part] = _row_stats(rows, config)
    for j in np.flatnonzero(ends < window):
        start = int(ends[j]) % stride if stride > 1 else 0  # same phase as the full windows
        row = np.sort(series[start : ends[j]][::stride])[None, :]
        out[j] = _row_stats(row, config)[0]
    return out


def _row_stats(sorted_rows: np.ndarray, config: DetectorConfig) -> np.ndarray:
    width = sorted_rows.shape[1]
    half = width // 2
    if width % 2:
        median = sorted_rows[:, half]
    else:
        median = 0.5 * (sorted_rows[:, half - 1] + sorted_rows[:, half])

    def quantile(q: float) -> np.ndarray:
        return sorted_rows[:, int(round(q * (width - 1)))]

    sigma = np.maximum(
        (quantile(0.75) - quantile(0.25)) / _IQR_TO_SIGMA,
        (quantile(0.9) - quantile(0.1)) / _Q90_TO_SIGMA,
    )
    sigma = np.maximum(sigma, np.maximum(config.relative_floor * np.abs(median), config.absolute_floor))
    rank = min(config.range_rank, width) - 1
    return np.column_stack([median, sigma, sorted_rows[:, rank], sorted_rows[:, width - 1 - rank]])


def robust_z(
    series: np.ndarray,
    first: int,
    offset: int,
    config: DetectorConfig,
    cache: dict[str, tuple[int, np.ndarray]] | None = None,
    cache_key: str = "",
    stride: int = 1,
    spread_only: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Range-aware robust z of series[first:] against its block-refreshed trailing baseline.

    `offset` is the global index of series[0]; the baseline of global point g is
    computed at the block boundary floor(g / block) * block. NaN = no baseline yet.
    Also returns the baseline's robust sigma per point (NaN without baseline); with
    `spread_only`, only that (z stays NaN).
    """
    n = series.size - first
    z = np.full(n, np.nan)
    spread = np.full(n, np.nan)
    # Global indices first+offset.. are increasing, so points with a baseline form a suffix
    # and each baseline (block boundary) covers a contiguous run of points.
    skip = min(max(config.block - (offset + first), 0), n)  # points before the first boundary
    if skip >= n:
        return z, spread
    glob_first = offset + first + skip
    first_boundary = (glob_first // config.block) * config.block
    last_boundary = ((offset + series.size - 1) // config.block) * config.block
    boundaries = np.arange(first_boundary, last_boundary + 1, config.block)
    run_starts = np.maximum(boundaries, glob_first)
    counts = np.diff(np.append(run_starts, offset + series.size))  # points per baseline
    unique_ends = boundaries - offset
    cached = cache.get(cache_key) if cache is not None else None
    if unique_ends.size == 1 and cached is not None and cached[0] == last_boundary:
        block = cached[1]  # streaming: the baseline only changes at block boundaries
    else:
        block = _block_stats(series, unique_ends, config, stride)
    if cache is not None:
        cache[cache_key] = (last_boundary, block[-1:])
    if spread_only:
        spread[skip:] = np.repeat(block[:, 1], counts)
        return z, spread
    median, sigma, low, high = block.T
    # Excess beyond the seen range is judged against the spread and (tail_scale) against the
    # old record's own excursion, so a new record on a spiky series doesn't score 1 each time.
    tail = config.tail_scale
    inv_up = 1.0 / np.maximum(sigma, tail * (high - median))
    inv_down = 1.0 / np.maximum(sigma, tail * (median - low))

    def per_point(column: np.ndarray) -> np.ndarray:
        return np.repeat(column, counts)

    x = series[first + skip :]
    plain = np.abs(x - per_point(median))
    plain *= per_point(1.0 / sigma)
    up = x - per_point(high)
    up *= per_point(inv_up)
    down = per_point(low) - x
    down *= per_point(inv_down)
    np.maximum(up, down, out=up)
    np.maximum(up, 0.0, out=up)
    up += config.within_range_cap
    np.minimum(plain, up, out=z[skip:])
    spread[skip:] = per_point(sigma)
    return z, spread


_LN10 = float(np.log(10.0))
_HALF_LN_2PI = 0.5 * float(np.log(2 * np.pi))


def surprise(z: np.ndarray) -> np.ndarray:
    """-log10 of the Gaussian upper tail of |z| (Borjesson-Sundberg approx), minus its
    value at z = 0 (so 0 at z = 0), clipped at 0. In place on a private copy."""
    z = np.nan_to_num(np.abs(z), nan=0.0, posinf=1e6)
    np.minimum(z, 1e6, out=z)
    denom = z * z
    minus_ln_tail = 0.5 * denom
    denom += 5.51
    np.sqrt(denom, out=denom)
    denom *= 0.661
    z *= 0.339
    denom += z
    np.log(denom, out=denom)
    minus_ln_tail += denom
    minus_ln_tail += _HALF_LN_2PI
    minus_ln_tail *= 1.0 / _LN10
    minus_ln_tail -= 0.59
    return np.maximum(minus_ln_tail, 0.0, out=minus_ln_tail)


def z_to_score(z: np.ndarray, scale: float) -> np.ndarray:
    """Map |z| to [0, 1) through the tail surprise: surprise / (surprise + scale)."""
    s = surprise(z)
    return s / (s + scale)


def score_chunk(
    state: KernelState,
    new_values: np.ndarray,
    config: DetectorConfig,
    cache: dict[str, tuple[int, np.ndarray]] | None = None,
) -> tuple[np.ndarray, np.ndarray, KernelState]:
    """Score valid (non-NaN) values appended to a stream (`cache` speeds up 1-point chunks).

    Returns (raw scores, reported scores, next state). Reported = raw when the raw
    score beats every raw score of the previous `suppress` points, else 0.
    """
    new_values = np.asarray(new_values, dtype=float)
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
        zs.append(z if gain == 1.0 else gain * z)
    raw = combine_channels(zs, config)
    reported = _suppress_repeats(state.tail_raw, raw, config.suppress, config.repeat_ratio)
    keep = history_needed(config, *lags)
    next_state = KernelState(
        tail_values=ext[-keep:].copy(),
        tail_raw=np.concatenate([state.tail_raw, raw])[-config.suppress :].copy()
        if config.suppress > 0
        else np.empty(0),
        n_seen=state.n_seen + new_values.size,
        season_lag=lags[0],
        week_lag=lags[1],
        week_win=week_win,
    )
    return raw, reported, next_state


def combine_channels(channel_z: list[np.ndarray], config: DetectorConfig) -> np.ndarray:
    """Point score from the channels' z: noisy-OR of the per-channel scores (evidence from
    several channels, e.g. a level shift seen by the point and the mean channels, adds up)
    or the score of the largest z."""
    scale = config.score_scale
    if config.combine == "max":
        return z_to_score(np.maximum.reduce(channel_z), scale)
    # 1 - score = scale / (surprise + scale) per channel
    denom = surprise(channel_z[0])
    denom += scale
    for z in channel_z[1:]:
        more = surprise(z)
        more += scale
        denom *= more
    miss = np.divide(scale ** len(channel_z), denom, out=denom)
    return np.subtract(1.0, miss, out=miss)


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
    one where it explains the channel clearly better, and the weekly model replaces both where
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
        residual = seasonal_residual(series, lag, config.season_periods)
        res_first = max(first - lag, 0)
        if name == "season":
            key = f"{kind}season{width}"
            z_season, spread_season = robust_z(residual, res_first, base, config, cache, key, stride)
            take = slice(z.size - z_season.size, None)
            better = spread_season < gain * spread[take]
            np.copyto(z[take], z_season, where=better)
            np.copyto(spread[take], spread_season, where=better)
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
            at = slice(lead + start, lead + stop)
            np.copyto(z[at], z_week, where=~(spread[at] < gain * spread_week))
    return np.nan_to_num(z, nan=0.0), recent, week_win


def _suppress_repeats(previous_raw: np.ndarray, raw: np.ndarray, horizon: int, ratio: float = 1.0) -> np.ndarray:
    """Keep a raw score only if ratio * raw beats every raw score of the previous `horizon` points."""
    if horizon <= 0 or raw.size == 0:
        return raw.copy()
    joined = np.concatenate([previous_raw, raw])
    running = sliding_max(joined, horizon)
    prev_max = np.concatenate([[-np.inf], running[:-1]])[previous_raw.size :]
    return np.where(ratio * raw > prev_max, raw, 0.0)

