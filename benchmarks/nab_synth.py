"""Synthetic NAB-like series to check generalisation (no real labels needed).

Mimics NAB's artificial families: 14 days of 5-minute samples (4032 points), a
daily profile (low at night, high by day), and one labelled anomaly in the
"with anomaly" files (window = 10 % of the file, centred on the anomaly, as NAB
builds its windows). "No anomaly" files have no window: every detection there
is a false positive.

Usage: python -m benchmarks.nab_synth [--seeds 3] [--threshold T]
Prints the NAB scores of the detector on the synthetic corpus and, per family,
the false positives (detections outside windows) at the given threshold
(default: the corpus-optimal standard threshold).
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable

import numpy as np

from analyzers.detection import score_series
from benchmarks.nab_scoring import PUBLISHED_PROFILES, probation_length, score_corpus

STEP_S = 300.0
DAY = 288
N = 14 * DAY
T0 = 1_396_000_000.0


def daily_profile(n: int, low: float = 20.0, high: float = 80.0) -> np.ndarray:
    """Smooth day/night plateau shape (NAB art_daily_*)."""
    phase = (np.arange(n) % DAY) / DAY
    shape = np.clip(1.6 * np.sin(2 * np.pi * (phase - 0.25)) + 0.5, 0.0, 1.0)
    return low + (high - low) * shape


def _window(n: int, at: int) -> list[tuple[int, int]]:
    half = int(0.1 * n) // 2
    return [(max(at - half, 0), min(at + half, n - 1))]


def generate(seed: int) -> list[tuple[str, np.ndarray, list[tuple[int, int]]]]:
    """(name, values, windows) for one seed of every family."""
    rng = np.random.default_rng(seed)
    out: list[tuple[str, np.ndarray, list[tuple[int, int]]]] = []
    at = int(rng.integers(9 * DAY, 12 * DAY))  # anomaly day, after the probation period
    day0 = (at // DAY) * DAY
    noise = lambda sd: rng.normal(0.0, sd, N)  # noqa: E731
    base = daily_profile(N)
    # --- with anomaly ---
    up = base + noise(2.0)
    up[at : at + 24] += 50.0
    out.append(("withAnomaly/jumpsup", up, _window(N, at)))
    down = base + noise(2.0)
    down[at : at + 24] -= 40.0
    out.append(("withAnomaly/jumpsdown", down, _window(N, at)))
    flat = base + noise(2.0)
    flat[day0 + 60 : day0 + 60 + DAY // 2] = flat[day0 + 59]
    out.append(("withAnomaly/flatmiddle", flat, _window(N, day0 + 60)))
    nojump = base + noise(2.0)
    day = slice(day0, day0 + DAY)
    nojump[day] = 20.0 + noise(2.0)[: DAY]
    out.append(("withAnomaly/nojump", nojump, _window(N, day0 + int(0.3 * DAY))))
    level = 40.0 + noise(3.0)
    level[at:] += 25.0
    out.append(("withAnomaly/levelshift", level, _window(N, at)))
    spikes = 10.0 + noise(1.0)
    normal_idx = rng.choice(N, N // 60, replace=False)
    spikes[normal_idx] += 30.0
    dense = at + rng.choice(DAY, DAY // 6, replace=False)
    spikes[dense[dense < N]] += 30.0
    out.append(("withAnomaly/spike_density", spikes, _window(N, at)))
    # --- no anomaly ---
    out.append(("noAnomaly/flatline", np.full(N, 50.0), []))
    out.append(("noAnomaly/noise", 50.0 + noise(5.0), []))
    out.append(("noAnomaly/daily_no_noise", base.copy(), []))
    out.append(("noAnomaly/daily_small_noise", base + noise(1.0), []))
    square = np.where((np.arange(N) % DAY) < DAY // 2, 20.0, 80.0)
    out.append(("noAnomaly/square_wave", square, []))
    out.append(("noAnomaly/heavy_tail", 50.0 + rng.standard_t(3, N) * 3.0, []))
    walk = 100.0 + np.cumsum(noise(0.3))
    out.append(("noAnomaly/random_walk", walk, []))
    return out


def evaluate(
    detector: Callable[[np.ndarray, np.ndarray], np.ndarray], seeds: int = 3, threshold: float | None = None
) -> tuple[dict[str, dict[str, float]], dict[str, list[int]], float]:
    """NAB scores on the synthetic corpus, FP counts per family at `threshold`, and the threshold used."""
    times = T0 + STEP_S * np.arange(N)
    per_file, names = [], []
    for seed in range(seeds):
        for name, values, windows in generate(seed):
            per_file.append((np.round(detector(values, times), 6), windows))
            names.append(name)
    results = score_corpus(per_file, PUBLISHED_PROFILES)
    th = results["standard"]["threshold"] if threshold is None else threshold
    fps: dict[str, list[int]] = {}
    for name, (scores, windows) in zip(names, per_file):
        inside = np.zeros(scores.size, dtype=bool)
        for first, last in windows:
            inside[first : last + 1] = True
        scorable = np.arange(scores.size) >= probation_length(scores.size)
        fps.setdefault(name, []).append(int(np.count_nonzero((scores >= th) & ~inside & scorable)))
    return results, fps, th


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--threshold", type=float, default=None)
    args = parser.parse_args(argv)
    results, fps, th = evaluate(lambda v, t: score_series(v, t), args.seeds, args.threshold)
    for name, res in results.items():
        print(f"{name:>20}: {res['score']:7.2f}  threshold={res['threshold']:.6f}")
    print(f"false positives per file at threshold {th:.6f}:")
    for name, counts in fps.items():
        print(f"  {name:32s} {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
