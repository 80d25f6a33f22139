"""Vectorised scoring kernel shared by the batch and streaming anomaly detectors.

Owns the maths: robust baselines refreshed every `block` points over a trailing
window, the range-aware robust z-score, the choice between the plain and the seasonal
(daily and weekly lagged residual, see `seasonal`) models, the volatility channels
(trailing mean of |first difference|: variance changes and flatlines), the z -> [0, 1]
score mapping, the noisy-OR of the channels' scores and the repeat-alert suppression.
Excess beyond the seen range is scaled by the range's own excursion too, which
calibrates spiky series against smooth ones. Everything here is causal: the score of
point g only uses valid points 0..g.

Speed, with scores unchanged to the bit: elementwise passes run over cache-sized chunks;
trailing sums repeat numpy's own summation order in a few whole-array passes; long
windows sort shared half-windows and select the ranks they need from the two halves;
a streaming point between block boundaries (cached baselines) is scored on its own
values only (`_score_point`).
"""

from __future__ import annotations

import functools
import logging
import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from analyzers.detection.seasonal import NEVER, WIN_STRIDE, seasonal_residual, true_runs, weekly_recent

logger = logging.getLogger(__name__)

_IQR_TO_SIGMA = 1.349  # (q75 - q25) of a Gaussian, in sigmas
_Q90_TO_SIGMA = 2.0 * 1.2816  # (q90 - q10) of a Gaussian, in sigmas
_SORT_CHUNK = 1 << 17  # values gathered and sorted at once by _block_stats
_HALVES_CHUNK = 1 << 19  # values of sorted half-windows kept at once by _halves_stats
_HALVES_MIN = 512  # windows of at least this many samples are sorted as shared half-windows
_COARSE = 32  # _union_ranks scans every _COARSE-th split before bisecting
_CHUNK = 1 << 15  # points per elementwise pass over temporaries (they stay in cache)


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
        window_sums(series, width, out[width - 1 :])
        out[width - 1 :] /= width
    head = min(width - 1, n)
    if offset == 0:
        out[:head] = np.cumsum(series[:head]) / np.arange(1, head + 1)
    else:
        out[:head] = series[:head]
    return out


_PAIRWISE_BLOCK = 128  # numpy sums up to this many points with 8 running sums (pairwise above)


def window_sums(series: np.ndarray, width: int, out: np.ndarray) -> np.ndarray:
    """sliding_window_view(series, width).sum(axis=1) into `out`, bit for bit, in a few whole-array passes.

    numpy sums each window (width <= 128) as 0.0 + (((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    + the last width % 8 points one by one), where running sum rk adds points k, k + 8, k + 16...
    in order (below 8 points: 0.0 + the points one by one). Running sum k of the window at i is
    running sum 0 of the window at i + k, so one array of running sums serves all eight.
    """
    count = series.size - width + 1
    if width > _PAIRWISE_BLOCK:
        out[...] = np.lib.stride_tricks.sliding_window_view(series, width).sum(axis=1)
        return out
    if width < 8:
        np.add(series[:count], 0.0, out=out)
        for k in range(1, width):
            out += series[k : k + count]
        return out
    whole = width - width % 8
    span = count + 7
    running = series[:span].copy()
    for k in range(8, whole, 8):
        running += series[k : k + span]
    pairs = running[:-1] + running[1:]
    quads = pairs[:-2] + pairs[2:]
    np.add(quads[:-4], quads[4:], out=out)
    for k in range(whole, width):
        out += series[k : k + count]
    out += 0.0
    return out


def sliding_max(values: np.ndarray, width: int) -> np.ndarray:
    """out[i] = max(values[max(0, i - width + 1) : i + 1]), by doubling (max is exact in any order)."""
    out = values.copy()
    span = 1  # out[i] = max of values[max(0, i - span + 1) : i + 1]
    while span < width and span < out.size:
        shift = min(span, width - span)
        wider = out.copy()
        np.maximum(out[shift:], out[:-shift], out=wider[shift:])
        out, span = wider, span + shift
    return out


def _block_stats(series: np.ndarray, ends: np.ndarray, config: DetectorConfig, stride: int = 1) -> np.ndarray:
    """Robust stats of series[max(0, e - window):e] (every `stride`-th point) for each local end e.

    Returns an array (len(ends), 4): median, robust sigma, low and high ends of the seen range.
    """
    out = np.empty((ends.size, 4))
    window = config.window
    full = np.flatnonzero(ends >= window)
    if full.size and _halves_pay(ends[full], config, stride):
        out[full] = _halves_stats(series, ends[full], config, stride)
    elif full.size:
        view = np.lib.stride_tricks.sliding_window_view(series, window)[:, ::stride]
        step = max(_SORT_CHUNK // view.shape[1], 1)  # rows sorted together stay in cache
        for part in (full[i : i + step] for i in range(0, full.size, step)):
            rows = view[ends[part] - window]
            rows.sort(axis=1)  # fancy indexing made a private copy
            out[part] = _row_stats(rows, config)
    early = np.flatnonzero(ends < window)  # windows from the start of the stream: shorter, one length each
    if early.size:
        rows = [np.sort(series[int(ends[j]) % stride if stride > 1 else 0 : ends[j]][::stride]) for j in early]
        widths = np.array([row.size for row in rows])
        if widths.min() == 0:  # no sample: as a single row, the stats raise
            return _row_stats(rows[int(np.argmin(widths))][None, :], config)
        padded = np.full((early.size, widths.max()), np.inf)
        for j, row in enumerate(rows):
            padded[j, : row.size] = row
        out[early] = _rank_stats(lambda rank: padded[np.arange(early.size), rank], widths, config)
    return out


def _row_stats(sorted_rows: np.ndarray, config: DetectorConfig) -> np.ndarray:
    return _rank_stats(lambda rank: sorted_rows[:, rank], sorted_rows.shape[1], config)


def _stat_ranks(width: int, config: DetectorConfig) -> set[int]:
    """The ranks (0 = smallest) of `width` sorted samples that `_rank_stats` reads."""
    half = width // 2
    ranks = {half, half - 1} if width % 2 == 0 else {half}
    ranks |= {int(round(q * (width - 1))) for q in (0.75, 0.25, 0.9, 0.1)}
    rank = min(config.range_rank, width) - 1
    return ranks | {rank, width - 1 - rank}


def _rank_stats(at: Callable[[Any], np.ndarray], width: Any, config: DetectorConfig) -> np.ndarray:
    """Median, robust sigma and seen range of rows of `width` sorted samples (an int, or an int
    array: one width per row); `at(rank)` = each row's value of that rank (an int or one per row)."""
    half = width // 2
    if np.ndim(width) == 0:
        median = at(half) if width % 2 else 0.5 * (at(half - 1) + at(half))
    else:  # rows of one sample read "rank -1" for nothing
        median = np.where(width % 2 == 1, at(half), 0.5 * (at(half - 1) + at(half)))

    def quantile(q: float) -> np.ndarray:
        return at(np.round(q * (width - 1)).astype(int))  # half to even, like round()

    sigma = np.maximum(
        (quantile(0.75) - quantile(0.25)) / _IQR_TO_SIGMA,
        (quantile(0.9) - quantile(0.1)) / _Q90_TO_SIGMA,
    )
    sigma = np.maximum(sigma, np.maximum(config.relative_floor * np.abs(median), config.absolute_floor))
    rank = np.minimum(config.range_rank, width) - 1
    return np.column_stack([median, sigma, at(rank), at(width - 1 - rank)])


def _halves_pay(ends: np.ndarray, config: DetectorConfig, stride: int) -> bool:
    """Whether `_halves_stats` applies to these (full-window) ends and beats sorting whole windows."""
    window, block = config.window, config.block
    shift = window // 2 // block  # a window's second half is the first half of the window `shift` ends later
    return (
        window % (2 * stride) == 0
        and (window // 2) % block == 0
        and window // stride >= _HALVES_MIN
        and ends.size > 2 * shift
        and bool(np.all(np.diff(ends) == block))
    )


def _halves_stats(series: np.ndarray, ends: np.ndarray, config: DetectorConfig, stride: int) -> np.ndarray:
    """`_block_stats` of full windows at ends spaced by `block`, sorting half-windows only.

    A window is two half-windows, and its second half is the first half of the window
    window / 2 / block ends later: each half-window is sorted once, and each rank a window's
    stats read is selected from its two sorted halves (the same value a sorted window has there).
    """
    window, block = config.window, config.block
    shift = window // 2 // block
    view = np.lib.stride_tricks.sliding_window_view(series, window // 2)[:, ::stride]
    width = 2 * view.shape[1]
    ranks = _stat_ranks(width, config) - {0, width - 1}
    out = np.empty((ends.size, 4))
    step = max(_HALVES_CHUNK // view.shape[1], 1)
    for first in range(0, ends.size, step):
        rows = min(step, ends.size - first)
        halves = view[ends[first] - window + block * np.arange(rows + shift)]
        halves.sort(axis=1)  # fancy indexing made a private copy
        if np.isnan(halves[:, -1]).any():  # NaN (sorted last) breaks the selection: sort whole windows
            whole = np.lib.stride_tricks.sliding_window_view(series, window)[:, ::stride]
            out[first : first + rows] = _row_stats(np.sort(whole[ends[first : first + rows] - window]), config)
            continue
        values = _union_ranks(halves, rows, shift, ranks)
        values[0] = np.minimum(halves[:rows, 0], halves[shift:, 0])
        values[width - 1] = np.maximum(halves[:rows, -1], halves[shift:, -1])
        out[first : first + rows] = _rank_stats(lambda rank: values[int(rank)], width, config)
    return out


def _union_ranks(halves: np.ndarray, rows: int, shift: int, ranks: set[int]) -> dict[int, np.ndarray]:
    """{rank: value of that rank in A_k + B_k for k < rows}, A_k = halves[k], B_k = halves[k + shift] (sorted rows).

    The c smallest of A + B are A[:i] + B[:c - i] for the smallest i with B[c - 1 - i] <= A[i]
    (or i at its upper bound): found by a coarse scan of every _COARSE-th i, then bisection.
    The value of rank c - 1 is max(A[i - 1], B[c - 1 - i]), of rank c min(A[i], B[c - i]).
    """
    m = halves.shape[1]
    flat = halves.reshape(-1)
    first_half, second_half = halves[:rows], halves[shift : shift + rows]
    searched: list[int] = []
    successors: set[int] = set()  # ranks read as the next value after a searched rank
    for rank in sorted(ranks):
        if searched and searched[-1] == rank - 1:
            successors.add(rank)
        else:
            searched.append(rank)
    if not searched:
        return {}
    lows, highs = [], []
    for rank in searched:
        count = rank + 1
        low, high = max(0, count - m), min(count, m)  # i's range
        grid_first = -(-low // _COARSE) * _COARSE
        if grid_first < high:
            grid_last = (high - 1) // _COARSE * _COARSE
            points = (grid_last - grid_first) // _COARSE + 1
            stop = count - 2 - grid_last
            b_at = second_half[:, count - 1 - grid_first : stop if stop >= 0 else None : -_COARSE]
            below = np.count_nonzero(b_at > first_half[:, grid_first : grid_last + 1 : _COARSE], axis=1)
            lows.append(np.where(below > 0, grid_first + (below - 1) * _COARSE + 1, low))
            highs.append(np.where(below < points, grid_first + below * _COARSE, high))
        else:
            lows.append(np.full(rows, low))
            highs.append(np.full(rows, high))
    low, high = np.stack(lows, axis=1), np.stack(highs, axis=1)
    count = np.array(searched) + 1
    a_row = (np.arange(rows) * m)[:, None]  # flat index of A_k[i] is a_row + i
    b_last = a_row + (shift * m + count - 1)  # flat index of B_k[count - 1 - i] is b_last - i
    for _ in range((_COARSE - 1).bit_length()):  # the scan left at most _COARSE - 1 candidates
        mid = low + high
        mid >>= 1
        found = flat[b_last - mid] <= flat[a_row + mid]  # reads stay inside `halves`; unused once low == high
        found |= mid >= high
        np.copyto(high, mid, where=found)
        mid += 1
        np.copyto(low, mid, where=~found)
    i = low
    last = np.maximum(np.where(i > 0, flat[a_row + i - 1], -np.inf), np.where(i < count, flat[b_last - i], -np.inf))
    following = np.minimum(
        np.where(i < m, flat[a_row + np.minimum(i, m - 1)], np.inf),
        np.where(count - i < m, flat[np.minimum(b_last - i + 1, flat.size - 1)], np.inf),
    )
    values = {}
    for j, rank in enumerate(searched):
        values[rank] = last[:, j]
        if rank + 1 in successors:
            values[rank + 1] = following[:, j]
    return values


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
    block_len = config.block
    # Global indices first+offset.. are increasing, so points with a baseline form a suffix
    # and each baseline (block boundary) covers a contiguous run of points.
    skip = min(max(block_len - (offset + first), 0), n)  # points before the first boundary
    if skip >= n:
        return np.full(n, np.nan), np.full(n, np.nan)
    glob_first = offset + first + skip
    glob_end = offset + series.size
    first_boundary = (glob_first // block_len) * block_len
    last_boundary = ((glob_end - 1) // block_len) * block_len
    cached = cache.get(cache_key) if cache is not None else None
    if first_boundary == last_boundary and cached is not None and cached[0] == last_boundary:
        block = cached[1]  # streaming: the baseline only changes at block boundaries
    else:
        unique_ends = np.arange(first_boundary, last_boundary + 1, block_len) - offset
        block = _block_stats(series, unique_ends, config, stride)
    if cache is not None:
        cache[cache_key] = (last_boundary, block[-1:])
    # Points sharing a baseline: a first (maybe partial) run, whole blocks, a last (maybe partial) run,
    # as (baselines, points, points per baseline); each is scored as a 2-D (baselines, points) view,
    # the whole blocks a few at a time.
    head = min(first_boundary + block_len, glob_end) - glob_first
    runs = [(slice(0, 1), slice(0, head), head)]
    if last_boundary > first_boundary:
        n_blocks = (last_boundary - first_boundary) // block_len + 1
        step = max(_CHUNK // block_len, 1)
        for lo in range(1, n_blocks - 1, step):
            hi = min(lo + step, n_blocks - 1)
            points = slice(head + (lo - 1) * block_len, head + (hi - 1) * block_len)
            runs.append((slice(lo, hi), points, block_len))
        tail_start = head + (n_blocks - 2) * block_len
        runs.append((slice(n_blocks - 1, n_blocks), slice(tail_start, n - skip), glob_end - last_boundary))
    spread = np.empty(n)
    spread[:skip] = np.nan
    sigma = block[:, 1:2]
    for baselines, points, width in runs:
        spread[skip:][points].reshape(-1, width)[...] = sigma[baselines]
    if spread_only:
        return np.full(n, np.nan), spread
    median, low, high = block[:, 0:1], block[:, 2:3], block[:, 3:4]
    # Excess beyond the seen range is judged against the spread and (tail_scale) against the
    # old record's own excursion, so a new record on a spiky series doesn't score 1 each time.
    tail = config.tail_scale
    inv_sigma = 1.0 / sigma
    inv_up = 1.0 / np.maximum(sigma, tail * (high - median))
    inv_down = 1.0 / np.maximum(sigma, tail * (median - low))
    z = np.empty(n)
    z[:skip] = np.nan
    values = series[first + skip :]
    for baselines, points, width in runs:
        x = values[points].reshape(-1, width)
        plain = np.subtract(x, median[baselines])
        np.abs(plain, out=plain)
        plain *= inv_sigma[baselines]
        up = np.subtract(x, high[baselines])
        up *= inv_up[baselines]
        down = np.subtract(low[baselines], x)
        down *= inv_down[baselines]
        np.maximum(up, down, out=up)
        np.maximum(up, 0.0, out=up)
        up += config.within_range_cap
        np.minimum(plain, up, out=z[skip:][points].reshape(-1, width))
    return z, spread


_LN10 = float(np.log(10.0))
_HALF_LN_2PI = 0.5 * float(np.log(2 * np.pi))


def surprise(z: np.ndarray) -> np.ndarray:
    """-log10 of the Gaussian upper tail of |z| (Borjesson-Sundberg approx), minus its
    value at z = 0 (so 0 at z = 0), clipped at 0."""
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    flat_z, flat_out = z.reshape(-1), out.reshape(-1)
    for part in _chunks(flat_z.size):
        _surprise_into(flat_z[part], flat_out[part])
    return out


def _chunks(n: int) -> list[slice]:
    """Consecutive slices of _CHUNK points covering n points (elementwise passes stay in cache)."""
    return [slice(i, min(i + _CHUNK, n)) for i in range(0, n, _CHUNK)] or [slice(0, 0)]


def _surprise_into(z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out = surprise(z) for 1-D arrays of one size (z is left unchanged)."""
    z = np.abs(z)
    np.fmax(z, 0.0, out=z)  # NaN -> 0
    np.minimum(z, 1e6, out=z)
    denom = z * z
    minus_ln_tail = np.multiply(denom, 0.5, out=out)
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
    if cache is not None and new_values.size == 1:
        scored = _score_point(state, float(new_values[0]), config, cache)
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


@functools.lru_cache(maxsize=256)
def _point_plan(config: DetectorConfig, periods: tuple[tuple[int, int], ...]) -> tuple[list[tuple], int]:
    """What `_score_point` reads around the point (offset 0), by the number of periods in each lag's
    seasonal reference (`periods`: lag -> 0 = no model yet, 1 = one period back, 3 = median of 3):
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


def _score_point(
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
    three = config.season_periods >= 3
    periods = tuple((lag, 0 if i < lag else 3 if three and i >= 3 * lag else 1) for lag in lags if lag > 0)
    channels, lowest = _point_plan(config, periods)
    if i + lowest < 0:
        return None
    ext = np.empty(i + 1)
    ext[:i] = state.tail_values
    ext[i] = value
    g = state.n_seen  # global index of the point
    block, tail, cap, gain = config.block, config.tail_scale, config.within_range_cap, config.season_gain
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
            if refs[lag] == 3:
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
    raw = _noisy_or_point(zs, config.score_scale)
    reported = raw
    if config.suppress > 0:
        previous = state.tail_raw[-config.suppress :]
        if previous.size and not config.repeat_ratio * raw > float(previous.max()):
            reported = 0.0
        tail_raw = np.empty(min(state.tail_raw.size + 1, config.suppress))
        tail_raw[:-1] = state.tail_raw[state.tail_raw.size + 1 - tail_raw.size :]
        tail_raw[-1] = raw
    else:
        tail_raw = np.empty(0)
    next_state = KernelState(ext[-keep:], tail_raw, g + 1, lags[0], lags[1], week_win)
    return np.array([raw]), np.array([reported]), next_state


def _noisy_or_point(zs: list[float], scale: float) -> float:
    """combine_channels (noisy-OR) of finite channel z's of one point: surprise's arithmetic on floats
    (log by numpy, as on arrays)."""
    z = [min(abs(v), 1e6) for v in zs]
    denom = [math.sqrt(v * v + 5.51) * 0.661 + v * 0.339 for v in z]
    logs = np.log(np.array(denom)).tolist()
    total = None
    for v, log in zip(z, logs):
        minus_ln_tail = (v * v) * 0.5
        minus_ln_tail += log
        minus_ln_tail += _HALF_LN_2PI
        minus_ln_tail *= 1.0 / _LN10
        minus_ln_tail -= 0.59
        more = max(minus_ln_tail, 0.0) + scale
        total = more if total is None else total * more
    return 1.0 - scale ** len(zs) / total


def combine_channels(channel_z: list[np.ndarray], config: DetectorConfig) -> np.ndarray:
    """Point score from the channels' z: noisy-OR of the per-channel scores (evidence from
    several channels, e.g. a level shift seen by the point and the mean channels, adds up)
    or the score of the largest z."""
    scale = config.score_scale
    if config.combine == "max":
        return z_to_score(np.maximum.reduce(channel_z), scale)
    # 1 - score = scale / (surprise + scale) per channel
    out = np.empty(np.shape(channel_z[0]))
    more = np.empty(min(out.size, _CHUNK))
    numerator = scale ** len(channel_z)
    for part in _chunks(out.size):
        denom = _surprise_into(channel_z[0][part], out[part])
        denom += scale
        for z in channel_z[1:]:
            extra = _surprise_into(z[part], more[: denom.size])
            extra += scale
            denom *= extra
        miss = np.divide(numerator, denom, out=denom)
        np.subtract(1.0, miss, out=miss)
    return out


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
            lead = z.size - z_season.size
            for part in _chunks(z_season.size):
                take = slice(lead + part.start, lead + part.stop)
                better = spread_season[part] < gain * spread[take]
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
            for part in _chunks(stop - start):
                at = slice(lead + start + part.start, lead + start + part.stop)
                np.copyto(z[at], z_week[part], where=~(spread[at] < gain * spread_week[part]))
    for part in _chunks(z.size):
        np.nan_to_num(z[part], copy=False, nan=0.0)
    return z, recent, week_win


def _suppress_repeats(previous_raw: np.ndarray, raw: np.ndarray, horizon: int, ratio: float = 1.0) -> np.ndarray:
    """Keep a raw score only if ratio * raw beats every raw score of the previous `horizon` points."""
    if horizon <= 0 or raw.size == 0:
        return raw.copy()
    keep = previous_raw[-horizon:]
    running = sliding_max(np.concatenate([keep, raw[:-1]]), horizon)  # running[k]: max up to joined point k
    prev_max = running[keep.size - 1 :] if keep.size else np.concatenate([[-np.inf], running])
    return np.where(ratio * raw > prev_max, raw, 0.0)
