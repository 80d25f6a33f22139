"""Metric series building blocks: baselines with diurnal drift and noise, ramps, spikes, counts."""
from __future__ import annotations

import numpy as np

from .timeline import MINUTES, STEP, TIMES, minute_index

Series = np.ndarray


def baseline(rng: np.random.Generator, level: float, noise: float = 0.05, drift: float = 0.12) -> Series:
    """``level`` with a slow diurnal-ish drift (relative amplitude ``drift``) and gaussian noise
    (relative ``noise``)."""
    phase = rng.uniform(0, 2 * np.pi)
    period = rng.uniform(8, 16) * 3600
    wave = 1 + drift * np.sin(2 * np.pi * TIMES / period + phase)
    wobble = 1 + 0.3 * drift * np.sin(2 * np.pi * TIMES / rng.uniform(1800, 3600) + rng.uniform(0, 6))
    return level * wave * wobble * (1 + rng.normal(0, noise, MINUTES))


def ramp(values: Series, onset: float, target: float | Series, ramp_minutes: float = 3,
         rng: np.random.Generator | None = None, noise: float = 0.03) -> Series:
    """Blend ``values`` into ``target`` from ``onset`` over ``ramp_minutes`` (then hold)."""
    out = values.astype(float).copy()
    target_arr = np.broadcast_to(np.asarray(target, dtype=float), out.shape).copy()
    if rng is not None:
        target_arr = target_arr * (1 + rng.normal(0, noise, MINUTES))
    weight = np.clip((TIMES - onset) / (max(ramp_minutes, 0.01) * STEP), 0, 1)
    return out * (1 - weight) + target_arr * weight


def scale_after(values: Series, onset: float, factor: float, ramp_minutes: float = 3) -> Series:
    """Multiply by ``factor`` from ``onset`` on (ramping in)."""
    weight = np.clip((TIMES - onset) / (max(ramp_minutes, 0.01) * STEP), 0, 1)
    return values * (1 + (factor - 1) * weight)


def bump(values: Series, start: float, minutes: int, height: float, shape: str = "plateau") -> Series:
    """Add a temporary excursion (a benign spike) of ``height`` lasting ``minutes``."""
    out = values.astype(float).copy()
    first = minute_index(start)
    idx = np.arange(first, min(MINUTES, first + minutes))
    if shape == "plateau":
        out[idx] += height
    else:  # triangle
        pos = (idx - first) / max(1, minutes - 1)
        out[idx] += height * (1 - np.abs(2 * pos - 1))
    return out



def counts(rng: np.random.Generator, rate: Series) -> Series:
    """Poisson counts for a per-minute expected ``rate``."""
    return rng.poisson(np.clip(rate, 0, None)).astype(float)


def clip(values: Series, low: float | None = None, high: float | None = None) -> Series:
    return np.clip(values, low, high)



def to_points(values: Series, decimals: int = 3, keep: np.ndarray | None = None) -> list[list[float]]:
    """``[[t, v], ...]``; ``keep`` (bool mask) drops minutes without data."""
    rows = []
    for i, (t, v) in enumerate(zip(TIMES, values)):
        if keep is not None and not keep[i]:
            continue
        rows.append([int(t), round(float(v), decimals)])
    return rows


__all__ = ["Series", "baseline", "ramp", "scale_after", "bump", "counts", "clip", "to_points"]
