"""Robust trailing baselines and the range-aware robust z.

Owns the per-block baseline of a point (median, robust sigma, seen range of the trailing
window, refreshed every `block` points) and `robust_z`, the z of each point against it.
Long windows sort shared half-windows and select the ranks they need from the two halves.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from analyzers.detection.chunking import CHUNK
from analyzers.detection.config import DetectorConfig

_IQR_TO_SIGMA = 1.349  # (q75 - q25) of a Gaussian, in sigmas
_Q90_TO_SIGMA = 2.0 * 1.2816  # (q90 - q10) of a Gaussian, in sigmas
_SORT_CHUNK = 1 << 17  # values gathered and sorted at once by _block_stats
_HALVES_CHUNK = 1 << 19  # values of sorted half-windows kept at once by _halves_stats
_HALVES_MIN = 512  # windows of at least this many samples are sorted as shared half-windows
_COARSE = 32  # _union_ranks scans every _COARSE-th split before bisecting


def _block_stats(series: np.ndarray, ends: np.ndarray, config: DetectorConfig, stride: int = 1) -> np.ndarray:
    """Robust stats of series[max(0, e - window):e] (every `stride`-th point) for each local end e.

    Returns an array (len(ends), 4): median, robust sigma, low and high ends of the seen range
    (NaN where the window holds no sample yet: a stride longer than the stream so far).
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
        out[early[widths == 0]] = np.nan  # no sample yet (a stride longer than the first block): no baseline
        early, rows, widths = early[widths > 0], [row for row in rows if row.size], widths[widths > 0]
        if early.size:
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
        step = max(CHUNK // block_len, 1)
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
