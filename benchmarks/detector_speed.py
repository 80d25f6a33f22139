"""Detector throughput and per-series memory: prints batch points/s, streaming points/s and state bytes.

Two series of 5-minute samples: the default one has a daily pattern only (with timestamps the daily
model is in use, the weekly one is checked on every point but almost never in use), the weekly one
has weekday and weekend levels (the weekly model is in use on almost every point after three weeks).

Usage: python -m benchmarks.detector_speed [--points N] [--stream-points M] [--repeats R]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc

import numpy as np

from analyzers.detection import OnlineDetector, score_series


def synthetic_series(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """5-minute samples: daily sinus + noise + a few spikes and a step."""
    rng = np.random.default_rng(seed)
    t = 1_700_000_000.0 + 300.0 * np.arange(n)
    x = 100 + 20 * np.sin(2 * np.pi * np.arange(n) / 288) + rng.normal(0, 2, n)
    x[rng.integers(0, n, max(n // 10_000, 1))] += 50
    x[n // 2 :] += 15
    return x, t


def weekly_series(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """5-minute samples: weekday level 100, weekend level 40, daily sinus + noise + a few spikes."""
    rng = np.random.default_rng(seed)
    i = np.arange(n)
    t = 1_700_000_000.0 + 300.0 * i
    weekend = (i // 288) % 7 >= 5
    x = np.where(weekend, 40.0, 100.0) + 10 * np.sin(2 * np.pi * i / 288) + rng.normal(0, 2, n)
    x[rng.integers(0, n, max(n // 10_000, 1))] += 50
    return x, t


def batch_rate(x: np.ndarray, t: np.ndarray | None, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        score_series(x, t)
        best = min(best, time.perf_counter() - started)
    return x.size / best


def stream_rate(x: np.ndarray, t: np.ndarray) -> tuple[float, int]:
    """Points/s of one OnlineDetector fed point by point, and its state bytes at the end."""
    detector = OnlineDetector()
    started = time.perf_counter()
    for value, stamp in zip(x.tolist(), t.tolist()):
        detector.update(value, stamp)
    return x.size / (time.perf_counter() - started), detector.state_nbytes()


def traced_bytes(x: np.ndarray, t: np.ndarray) -> int:
    """Net Python heap growth (tracemalloc) of keeping one fed detector alive."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    detector = OnlineDetector()
    for value, stamp in zip(x.tolist(), t.tolist()):
        detector.update(value, stamp)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del detector
    return after - before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=2_000_000)
    parser.add_argument("--stream-points", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    x, t = synthetic_series(args.points)
    wx, wt = weekly_series(max(args.points, 6 * 7 * 288))
    weeks = wx.size / (7 * 288)
    print(f"batch score_series, {x.size} points, no timestamps (no seasonal model): "
          f"{batch_rate(x, None, args.repeats):,.0f} points/s")
    print(f"batch score_series, {x.size} points, daily pattern, 5-min timestamps (daily model; weekly model "
          f"checked, rarely in use): {batch_rate(x, t, args.repeats):,.0f} points/s")
    print(f"batch score_series, {wx.size} points ({weeks:.0f} weeks), weekday/weekend levels, 5-min timestamps "
          f"(weekly model in use): {batch_rate(wx, wt, args.repeats):,.0f} points/s")
    head_x, head_t = x[: args.stream_points], t[: args.stream_points]
    rate, state_bytes = stream_rate(head_x, head_t)
    traced = traced_bytes(head_x[:5000], head_t[:5000])
    print(f"streaming OnlineDetector.update, {head_x.size} points of the daily-pattern series: {rate:,.0f} points/s")
    print(f"memory per series: {state_bytes} bytes of state arrays (tracemalloc heap growth after 5000 points: {traced} bytes)")
    week_points = max(args.stream_points, 4 * 7 * 288)  # the weekly model is in use from week 4 on
    rate, state_bytes = stream_rate(wx[:week_points], wt[:week_points])
    print(f"streaming OnlineDetector.update, {min(week_points, wx.size)} points of the weekly series: "
          f"{rate:,.0f} points/s, {state_bytes} bytes of state arrays")
    return 0


if __name__ == "__main__":
    sys.exit(main())
