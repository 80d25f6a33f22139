"""Rolling-window helpers: trailing means and window sums in numpy's own summation order (bit for bit
whatever the chunking), and a sliding maximum."""

from __future__ import annotations

import numpy as np


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
