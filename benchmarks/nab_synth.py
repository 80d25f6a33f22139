"""Synthetic NAB-like series to check generalisation (no real labels needed).

Mimics NAB's artificial families: 14 days of 5-minute samples (4032 points), a
daily profile (low at night, high by day), and one labelled anomaly in the
"with anomaly" files (window = 10 % of the file, centred on the anomaly, as NAB
builds its windows). "No anomaly" files have no window: every detection there
is a false positive.

A second set of "realistic" families (traffic/tweet-like counts, sparse spiky cloud
metrics, small level shifts, variance changes, stuck sensors, leaks, latency) is
harder and catches over-confident scores on busy-but-normal series.

A third, opt-in "weekly" set (5 weeks of 5-minute or 30-minute traffic counts with
weekday and weekend levels) has anomalies that only a weekly seasonal model can see:
weekday traffic on a weekend, weekend traffic on a Monday.

Usage: python -m benchmarks.nab_synth [--seeds 3] [--threshold T] [--families artificial,realistic[,weekly]]
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


def _windows(n: int, starts: list[int]) -> list[tuple[int, int]]:
    """NAB windows: 10 % of the file shared between the anomalies, each centred on one."""
    half = int(0.1 * n / max(len(starts), 1)) // 2
    return [(max(a - half, 0), min(a + half, n - 1)) for a in sorted(starts)]


def _daily_counts(rng: np.random.Generator, rate_low: float, rate_high: float) -> np.ndarray:
    """Poisson counts around a day/night rate with a random weekly-ish wobble (traffic, tweets)."""
    wobble = 1.0 + 0.15 * np.sin(2 * np.pi * np.arange(N) / (7 * DAY) + rng.uniform(0, 6.3))
    return rng.poisson(daily_profile(N, rate_low, rate_high) * wobble).astype(float)


def _sparse_spikes(rng: np.random.Generator, every: int, height: float) -> np.ndarray:
    """Mostly-idle series with random lognormal bursts (disk writes, network in)."""
    x = np.abs(rng.normal(0.0, 0.01 * height, N))
    idx = rng.choice(N, N // every, replace=False)
    x[idx] += height * rng.lognormal(0.0, 0.6, idx.size)
    return x


def generate_realistic(seed: int) -> list[tuple[str, np.ndarray, list[tuple[int, int]]]]:
    """Harder families modelled on NAB's real data (traffic, tweets, cloud metrics, sensors)."""
    rng = np.random.default_rng(1000 + seed)
    out: list[tuple[str, np.ndarray, list[tuple[int, int]]]] = []
    a1, a2 = int(rng.integers(4 * DAY, 7 * DAY)), int(rng.integers(9 * DAY, 13 * DAY))
    # level shift of ~3 sigma (each point stays inside the normal range)
    x = 30.0 + rng.normal(0.0, 2.0, N)
    x[a2:] += 6.0
    out.append(("realistic/small_levelshift", x, _windows(N, [a2])))
    # variance change: the noise triples, the mean does not move
    x = 50.0 + rng.normal(0.0, 1.5, N)
    x[a2 : a2 + DAY] = 50.0 + rng.normal(0.0, 4.5, DAY)
    out.append(("realistic/variance_up", x, _windows(N, [a2])))
    # sensor stuck: noisy daily series flatlines for 8 hours
    x = daily_profile(N, 40.0, 60.0) + rng.normal(0.0, 1.5, N)
    x[a2 : a2 + 96] = x[a2 - 1]
    out.append(("realistic/stuck_sensor", x, _windows(N, [a2])))
    # traffic counts: an outage (counts drop to ~0 for 2 hours) and later a surge
    x = _daily_counts(rng, 5.0, 60.0)
    x[a1 : a1 + 24] = rng.poisson(0.5, 24)
    x[a2 : a2 + 12] += rng.poisson(80.0, 12)
    out.append(("realistic/traffic_outage_surge", x, _windows(N, [a1, a2])))
    # tweet counts: heavy-tailed bursts are normal; the anomaly is a sustained day-long storm
    x = _daily_counts(rng, 3.0, 20.0)
    bursts = rng.choice(N, N // 100, replace=False)
    x[bursts] += np.round(rng.lognormal(2.0, 0.8, bursts.size))
    x[a2 : a2 + DAY // 2] += rng.poisson(25.0, DAY // 2)
    out.append(("realistic/tweets_storm", x, _windows(N, [a2])))
    # cloud cpu: random spikes are normal; the anomaly is a plateau at high load
    x = 5.0 + rng.gamma(2.0, 0.5, N)
    spikes = rng.choice(N, N // 150, replace=False)
    x[spikes] = rng.uniform(40.0, 95.0, spikes.size)
    x[a2 : a2 + 36] = 90.0 + rng.normal(0.0, 3.0, 36)
    out.append(("realistic/cpu_plateau", x, _windows(N, [a2])))
    # slow trend whose slope suddenly steepens (leak) then the value falls back (restart)
    x = 20.0 + 0.002 * np.arange(N) + rng.normal(0.0, 0.8, N)
    x[a2 : a2 + 72] += 0.25 * np.arange(72)
    out.append(("realistic/leak_ramp", x, _windows(N, [a2])))
    # latency: lognormal noise; anomaly = a 1-hour latency rise by 4x
    x = rng.lognormal(3.0, 0.3, N)
    x[a1 : a1 + 12] *= 4.0
    out.append(("realistic/latency_rise", x, _windows(N, [a1])))
    # --- no anomaly: busy but normal series ---
    out.append(("realistic_noAnomaly/sparse_spikes", _sparse_spikes(rng, 40, 1e8), []))
    out.append(("realistic_noAnomaly/traffic_counts", _daily_counts(rng, 5.0, 60.0), []))
    x = _daily_counts(rng, 0.2, 2.0)
    out.append(("realistic_noAnomaly/low_counts", x, []))
    x = 0.1 + rng.normal(0.0, 0.005, N).round(3)
    jitter = (np.arange(DAY // 2, N, DAY) + rng.integers(-12, 12, N // DAY)).clip(0, N - 1)
    x[jitter] = 1.2 + rng.normal(0.0, 0.2, jitter.size)
    out.append(("realistic_noAnomaly/daily_jittered_spike", x, []))
    x = _daily_counts(rng, 3.0, 20.0)
    bursts = rng.choice(N, N // 100, replace=False)
    x[bursts] += np.round(rng.lognormal(2.0, 0.8, bursts.size))
    out.append(("realistic_noAnomaly/tweets_bursty", x, []))
    return out


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


def _week_counts(
    rng: np.random.Generator, per_day: int, weeks: int, weekend: float
) -> tuple[np.ndarray, np.ndarray]:
    """Expected traffic (day/night profile, weekends at `weekend` x the weekday rate) and Poisson counts."""
    i = np.arange(weeks * 7 * per_day)
    phase = (i % per_day) / per_day
    shape = np.clip(1.6 * np.sin(2 * np.pi * (phase - 0.25)) + 0.5, 0.0, 1.0)
    rate = (4.0 + 56.0 * shape) * np.where((i // per_day) % 7 >= 5, weekend, 1.0)
    return rate, rng.poisson(rate).astype(float)


def generate_weekly(seed: int) -> list[tuple[str, np.ndarray, list[tuple[int, int]], float]]:
    """Five weeks of weekday/weekend traffic (name, values, windows, step in seconds)."""
    rng = np.random.default_rng(2000 + seed)
    out: list[tuple[str, np.ndarray, list[tuple[int, int]], float]] = []
    weeks = 5
    for step_s in (300.0, 1800.0):
        per_day = int(86_400 / step_s)
        label = f"{int(step_s // 60)}min"
        # weekday traffic for 8 hours of a Saturday or Sunday in week 4 or 5 (a daily model expects it)
        rate, x = _week_counts(rng, per_day, weeks, float(rng.uniform(0.3, 0.45)))
        day = 7 * int(rng.integers(3, weeks)) + int(rng.integers(5, 7))
        at = day * per_day + per_day * int(rng.integers(8, 12)) // 24
        friday = at - (day % 7 - 4) * per_day  # same hours of the Friday before
        x[at : at + per_day // 3] = rng.poisson(rate[friday : friday + per_day // 3])
        out.append((f"weekly/weekday_traffic_on_a_weekend_{label}", x, _windows(x.size, [at]), step_s))
        # a Monday at the weekend level (a daily model compares Monday with the weekend before)
        rate, x = _week_counts(rng, per_day, weeks, float(rng.uniform(0.3, 0.45)))
        at = 7 * int(rng.integers(3, weeks)) * per_day
        x[at : at + per_day] = rng.poisson(rate[at - per_day : at])
        out.append((f"weekly/weekend_traffic_on_a_monday_{label}", x, _windows(x.size, [at]), step_s))
        x = _week_counts(rng, per_day, weeks, 0.4)[1]
        out.append((f"weekly_noAnomaly/traffic_{label}", x, [], step_s))
    return out


FAMILIES = {"artificial": generate, "realistic": generate_realistic}  # N points at STEP_S
LONG_FAMILIES = {"weekly": generate_weekly}  # (name, values, windows, step_s): own length and step


def evaluate(
    detector: Callable[[np.ndarray, np.ndarray], np.ndarray],
    seeds: int = 3,
    threshold: float | None = None,
    families: tuple[str, ...] = ("artificial",),
) -> tuple[dict[str, dict[str, float]], dict[str, list[int]], float]:
    """NAB scores on the synthetic corpus, FP counts per family at `threshold`, and the threshold used."""
    per_file, names = [], []
    for seed in range(seeds):
        files = (f for fam in families for f in (FAMILIES.get(fam) or LONG_FAMILIES[fam])(seed))
        for name, values, windows, *step in files:
            times = T0 + (step[0] if step else STEP_S) * np.arange(values.size)
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
    parser.add_argument("--families", default="artificial,realistic",
                        help="comma-separated subset of: " + ",".join([*FAMILIES, *LONG_FAMILIES]))
    args = parser.parse_args(argv)
    families = tuple(f for f in args.families.split(",") if f)
    detector = lambda v, t: score_series(v, t)  # noqa: E731
    if len(families) > 1:  # each family set on its own first (its own optimal threshold)
        for family in families:
            alone = evaluate(detector, args.seeds, args.threshold, (family,))[0]
            print(f"[{family}] " + "  ".join(f"{name}={res['score']:.2f}" for name, res in alone.items()))
    results, fps, th = evaluate(detector, args.seeds, args.threshold, families)
    print(f"[{'+'.join(families)}]")
    for name, res in results.items():
        print(f"{name:>20}: {res['score']:7.2f}  threshold={res['threshold']:.6f}")
    print(f"false positives per file at threshold {th:.6f}:")
    for name, counts in fps.items():
        print(f"  {name:32s} {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
