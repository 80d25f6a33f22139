"""Shared helpers for the set-14 generator: time grid, noise, metric series, alarms.

Every scenario covers six hours of one-minute datapoints ending one minute before
"now" (relative second 0). Randomness comes from one numpy Generator per scenario,
so a scenario is reproducible from its seed alone.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Callable, Iterable

import numpy as np

START = -21600
STEP = 60
N = 360
T = np.arange(START, 0, STEP)  # start of each one-minute bucket, -21600 .. -60


def idx(rel: float) -> int:
    """Index of the minute bucket that contains relative second ``rel``."""
    return int(max(0, min(N - 1, (rel - START) // STEP)))


class Ctx:
    """Per-scenario random source plus the wall clock used inside log text."""

    def __init__(self, seed: int, now: dt.datetime, utc_offset_h: float, region: str):
        self.rng = np.random.default_rng(seed)
        self.now = now
        self.utc_offset_h = utc_offset_h
        self.region = region

    # ---------- randomness
    def uni(self, a: float, b: float) -> float:
        return float(self.rng.uniform(a, b))

    def randint(self, a: int, b: int) -> int:
        """Integer in [a, b] inclusive."""
        return int(self.rng.integers(a, b + 1))

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def pick(self, seq, weights=None):
        if weights is not None:
            w = np.asarray(weights, dtype=float)
            return seq[int(self.rng.choice(len(seq), p=w / w.sum()))]
        return seq[int(self.rng.integers(0, len(seq)))]

    def hexs(self, n: int) -> str:
        return "".join("0123456789abcdef"[x] for x in self.rng.integers(0, 16, n))

    def uuid(self) -> str:
        h = self.hexs(32)
        variant = "89ab"[int(self.rng.integers(0, 4))]
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"

    def digits(self, n: int) -> str:
        return "".join(str(x) for x in self.rng.integers(0, 10, n))

    def ip(self, prefix: str = "10.0") -> str:
        parts = prefix.split(".")
        while len(parts) < 4:
            parts.append(str(self.randint(1, 254)))
        return ".".join(parts)

    def public_ip(self) -> str:
        first = self.pick([31, 37, 46, 49, 52, 58, 61, 77, 81, 89, 91, 101, 103, 110, 118, 121, 152, 176, 185, 203])
        return f"{first}.{self.randint(1, 254)}.{self.randint(0, 254)}.{self.randint(1, 254)}"

    # ---------- time
    def at(self, rel: float) -> dt.datetime:
        return self.now + dt.timedelta(seconds=float(rel))

    def iso(self, rel: float, ms: bool = True) -> str:
        t = self.at(rel)
        if ms:
            return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")

    def clf(self, rel: float) -> str:
        """Common-log-format time: 18/Mar/2026:13:21:07 +0000."""
        return self.at(rel).strftime("%d/%b/%Y:%H:%M:%S +0000")

    def local_hours(self) -> np.ndarray:
        base = self.now.hour + self.now.minute / 60.0 + self.utc_offset_h
        return (base + T / 3600.0) % 24.0

    # ---------- shapes and noise
    def diurnal(self, peak: float = 14.0, amp: float = 0.3) -> np.ndarray:
        """Multiplicative daily shape around 1.0, peaking at local hour ``peak``."""
        h = self.local_hours()
        return 1.0 + amp * np.cos(2 * math.pi * (h - peak) / 24.0)

    def ar1(self, sigma: float, phi: float = 0.85) -> np.ndarray:
        out = np.zeros(N)
        e = self.rng.normal(0.0, sigma * math.sqrt(1 - phi * phi), N)
        x = self.rng.normal(0.0, sigma)
        for i in range(N):
            x = phi * x + e[i]
            out[i] = x
        return out

    def gauge(self, base, noise: float = 0.05, phi: float = 0.8, jitter: float = 0.02,
              lo: float | None = None, hi: float | None = None) -> np.ndarray:
        """A level (scalar or per-minute array) with correlated relative noise plus white jitter."""
        base = np.broadcast_to(np.asarray(base, dtype=float), (N,)).copy()
        v = base * (1.0 + self.ar1(noise, phi) + self.rng.normal(0.0, jitter, N))
        if lo is not None or hi is not None:
            v = np.clip(v, lo if lo is not None else -np.inf, hi if hi is not None else np.inf)
        return v

    def poisson(self, lam) -> np.ndarray:
        lam = np.broadcast_to(np.asarray(lam, dtype=float), (N,))
        return self.rng.poisson(np.maximum(lam, 0.0)).astype(float)

    def sparse_events(self, rate_per_min: float, start: float = START, end: float = 0.0) -> list[float]:
        """Times of a Poisson process between start and end."""
        out, t = [], start
        while True:
            t += float(self.rng.exponential(60.0 / rate_per_min))
            if t >= end:
                return out
            out.append(t)


# ---------- level profiles
def step(onset: float, before, after, ramp_s: float = 0.0) -> np.ndarray:
    """Per-minute multiplier/level: ``before`` until onset, then ``after`` (linear ramp over ramp_s)."""
    before = np.broadcast_to(np.asarray(before, dtype=float), (N,))
    after = np.broadcast_to(np.asarray(after, dtype=float), (N,))
    if ramp_s <= 0:
        frac = (T >= onset).astype(float)
    else:
        frac = np.clip((T - onset) / ramp_s, 0.0, 1.0)
    return before + (after - before) * frac


def bump(center: float, width_s: float, height: float) -> np.ndarray:
    """A smooth transient (raised cosine) of ``height`` centred at ``center``."""
    x = (T - center) / width_s
    return np.where(np.abs(x) < 1.0, height * 0.5 * (1 + np.cos(math.pi * x)), 0.0)


def between(a: float, b: float) -> np.ndarray:
    return (T >= a) & (T < b)


# ---------- scenario pieces
def metric(namespace: str, name: str, dims: dict, unit: str, values: Iterable, region: str | None = None,
           decimals: int = 3) -> dict:
    pts = []
    for t, v in zip(T, values):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        pts.append([int(t), round(float(v), decimals)])
    out = {"namespace": namespace, "name": name, "dimensions": dict(dims), "unit": unit}
    if region:
        out["region"] = region
    out["points"] = pts
    return out


_CMP: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
    "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
    "LessThanThreshold": (lambda v, th: v < th, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to"),
}


def _aggregate(vals: list[float], statistic: str) -> float | None:
    vals = [v for v in vals if v is not None and not math.isnan(v)]
    if not vals:
        return None
    if statistic == "Sum":
        return float(sum(vals))
    if statistic == "Maximum":
        return float(max(vals))
    if statistic == "Minimum":
        return float(min(vals))
    if statistic == "SampleCount":
        return float(len(vals))
    if statistic.startswith("p"):
        return float(np.percentile(vals, float(statistic[1:])))
    return float(sum(vals) / len(vals))


def _fmt(v: float) -> str:
    if abs(v - round(v)) < 1e-9:
        return f"{round(v):.1f}"
    return f"{v:.6g}" if abs(v) < 1 else f"{v:.10g}"


def alarm(ctx: Ctx, name: str, namespace: str, metric_name: str, dims: dict, values, statistic: str,
          period: int, evaluation_periods: int, threshold: float, comparison: str = "GreaterThanThreshold",
          description: str | None = None, region: str | None = None, eval_delay: float = 50.0) -> dict:
    """An alarm whose state, state_changed and state_reason are what CloudWatch would have computed
    from ``values`` (one per minute on the T grid). Raises if the alarm is not in ALARM at the end."""
    per = period // STEP
    vals = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]
    buckets = []
    for b in range(N // per):
        buckets.append((int(T[b * per]), _aggregate(vals[b * per:(b + 1) * per], statistic)))
    test, words = _CMP[comparison]
    state, changed, reason_points = "OK", None, None
    for k in range(len(buckets)):
        eval_at = buckets[k][0] + period + eval_delay
        if eval_at > -5 or k + 1 < evaluation_periods:
            continue
        window = buckets[k - evaluation_periods + 1:k + 1]
        breach = all(v is not None and test(v, threshold) for _, v in window)
        if breach and state != "ALARM":
            state, changed, reason_points = "ALARM", eval_at + ctx.uni(2, 25), list(reversed(window))
        elif not breach and state == "ALARM":
            state = "OK"
    if state != "ALARM":
        raise ValueError(f"alarm {name} would not be in ALARM with this data")
    n = evaluation_periods
    shown = ", ".join(f"{_fmt(v)} ({ctx.at(t).strftime('%d/%m/%y %H:%M:%S')})" for t, v in reason_points)
    verb = "was" if n == 1 else "were"
    noun = "datapoint" if n == 1 else "datapoints"
    reason = (f"Threshold Crossed: {n} out of the last {n} datapoints [{shown}] {verb} {words} the "
              f"threshold ({_fmt(threshold)}) (minimum {n} {noun} for OK -> ALARM transition).")
    out = {"name": name, "namespace": namespace, "metric": metric_name, "dimensions": dict(dims),
           "statistic": statistic, "period": period, "evaluation_periods": evaluation_periods,
           "threshold": threshold, "comparison": comparison, "state": "ALARM", "state_reason": reason,
           "state_changed": round(changed, 1)}
    if description:
        out["description"] = description
    if region:
        out["region"] = region
    return out


def ok_alarm(name: str, namespace: str, metric_name: str, dims: dict, statistic: str, period: int,
             evaluation_periods: int, threshold: float, comparison: str = "GreaterThanThreshold",
             changed: float = -86000.0, description: str | None = None) -> dict:
    """An ordinary alarm of the account that is (and stayed) in OK."""
    out = {"name": name, "namespace": namespace, "metric": metric_name, "dimensions": dict(dims),
           "statistic": statistic, "period": period, "evaluation_periods": evaluation_periods,
           "threshold": threshold, "comparison": comparison, "state": "OK",
           "state_reason": f"Threshold Crossed: no datapoints were {_CMP[comparison][1]} the threshold "
                           f"({_fmt(threshold)}).",
           "state_changed": changed}
    if description:
        out["description"] = description
    return out


def change(time: float, source: str, event: str, rtype: str, rname: str, user: str) -> dict:
    return {"time": round(float(time), 1), "event_source": source, "event_name": event,
            "resource_type": rtype, "resource_name": rname, "username": user}


def stream(group: str, name: str, events: list) -> dict:
    events = sorted((e for e in events if e[0] < -0.05), key=lambda e: e[0])  # nothing logged after "now"
    return {"group": group, "stream": name, "events": [[round(float(t), 3), m] for t, m in events]}


def scenario(name: str, description: str, region: str, resources: list, metrics: list, logs: list,
             alarms: list, changes: list, expect: dict) -> dict:
    return {"format": "aiops-scenario/v1", "name": name, "description": description, "region": region,
            "resources": resources, "metrics": metrics, "logs": [lg for lg in logs if lg["events"]],
            "alarms": alarms, "changes": sorted(changes, key=lambda c: c["time"]), "expect": expect}


def spread(ctx: Ctx, minute: int, n: int) -> list[float]:
    """n sorted start times uniformly inside minute bucket ``minute``."""
    return sorted(float(T[minute]) + ctx.uni(0.0, 59.9) for _ in range(int(n)))


def split_errors(ctx: Ctx, total: int, errors: int) -> list[bool]:
    """A shuffled list of ``total`` flags with ``errors`` True."""
    errors = int(min(errors, total))
    flags = [True] * errors + [False] * (int(total) - errors)
    ctx.rng.shuffle(flags)
    return flags
