"""Shared helpers for the holdout12 scenario set: time axis, noise, alarms, changes."""
from __future__ import annotations

import datetime as _dt
import uuid

import numpy as np

N = 360                                   # one-minute points, -21600 .. -60
TS = np.arange(-21600, 0, 60)             # point timestamps (relative seconds)
LOG_FROM = -10800                         # logs cover the last 3 h, like the public examples
NOW = _dt.datetime(2026, 11, 20, 14, 0, 0, tzinfo=_dt.timezone.utc)
ACCOUNT = "482913375016"


def idx(t: float) -> int:
    """Index of the minute containing relative time t."""
    return int(max(0, min(N - 1, (t + 21600) // 60)))


def ramp(t0: float, t1: float) -> np.ndarray:
    """0 before t0, 1 after t1, linear in between (per point)."""
    return np.clip((TS - t0) / max(1.0, t1 - t0), 0.0, 1.0)


def step(t0: float) -> np.ndarray:
    return (TS >= t0).astype(float)


def daily(rng: np.random.Generator, base: float, amp: float = 0.15) -> np.ndarray:
    """A gentle part of a daily curve over 6 h, plus per-minute jitter factor."""
    phase = rng.uniform(0, 2 * np.pi)
    return base * (1 + amp * np.sin(phase + TS / 86400 * 2 * np.pi * 2.2))


def counts(rng: np.random.Generator, lam: np.ndarray | float) -> np.ndarray:
    lam = np.broadcast_to(np.asarray(lam, dtype=float), (N,))
    return rng.poisson(np.clip(lam, 0, None)).astype(float)


def gauss(rng: np.random.Generator, mean: np.ndarray | float, sd: float, lo: float | None = 0.0,
          hi: float | None = None) -> np.ndarray:
    v = np.broadcast_to(np.asarray(mean, dtype=float), (N,)) + rng.normal(0, sd, N)
    if lo is not None or hi is not None:
        v = np.clip(v, lo, hi)
    return v


def lognorm(rng: np.random.Generator, median: np.ndarray | float, sigma: float = 0.25) -> np.ndarray:
    med = np.broadcast_to(np.asarray(median, dtype=float), (N,))
    return med * np.exp(rng.normal(0, sigma, N))


def ts_str(t: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return (NOW + _dt.timedelta(seconds=float(t))).strftime(fmt)


def iso(t: float) -> str:
    d = NOW + _dt.timedelta(seconds=float(t))
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def rid(rng: np.random.Generator) -> str:
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def hexid(rng: np.random.Generator, n: int = 32) -> str:
    return rng.bytes(n // 2 + 1).hex()[:n]


def metric(ns: str, name: str, dims: dict, unit: str, values, decimals: int = 3, mask=None) -> dict:
    pts = []
    for i, (t, v) in enumerate(zip(TS, values)):
        if mask is not None and not mask[i]:
            continue
        pts.append([int(t), round(float(v), decimals)])
    return {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit, "points": pts}


def change(t: float, source: str, name: str, rtype: str, rname: str, user: str, region: str | None = None) -> dict:
    d = {"time": int(t), "event_source": source, "event_name": name, "resource_type": rtype,
         "resource_name": rname, "username": user}
    if region:
        d["region"] = region
    return d


_CMP = {"GreaterThanThreshold": (np.greater, "greater than"),
        "GreaterThanOrEqualToThreshold": (np.greater_equal, "greater than or equal to"),
        "LessThanThreshold": (np.less, "less than"),
        "LessThanOrEqualToThreshold": (np.less_equal, "less than or equal to")}


def alarm(name: str, m: dict, statistic: str, period: int, evals: int, threshold: float,
          comparison: str = "GreaterThanThreshold", description: str | None = None,
          expect_state: str = "ALARM") -> dict:
    """Evaluate the alarm over metric dict ``m`` so state/state_changed/state_reason agree with the data."""
    per = period // 60
    vals = {int(t): v for t, v in m["points"]}
    nwin = N // per
    agg, ends = [], []
    for w in range(nwin):
        chunk = [vals[int(t)] for t in TS[w * per:(w + 1) * per] if int(t) in vals]
        if not chunk:
            agg.append(None)
        elif statistic == "Sum":
            agg.append(sum(chunk))
        elif statistic == "Maximum":
            agg.append(max(chunk))
        elif statistic == "Minimum":
            agg.append(min(chunk))
        else:
            agg.append(sum(chunk) / len(chunk))
        ends.append(int(TS[w * per]) + period)
    op, words = _CMP[comparison]
    state, changed = "OK", -21600
    for w in range(evals - 1, nwin):
        window = agg[w - evals + 1:w + 1]
        breach = [a is not None and bool(op(a, threshold)) for a in window]
        if state == "OK" and all(breach):
            state, changed = "ALARM", ends[w] + 30
        elif state == "ALARM" and not any(breach):
            state, changed = "OK", ends[w] + 30
    if state != expect_state:
        raise AssertionError(f"alarm {name}: series gives {state}, expected {expect_state}")
    changed = min(changed, -30)
    if state == "ALARM":
        reason = f"Threshold Crossed: {evals} datapoints were {words} the threshold ({float(threshold):.1f})."
    else:
        reason = f"Threshold Crossed: {evals} datapoints were not {words} the threshold ({float(threshold):.1f})."
    a = {"name": name, "namespace": m["namespace"], "metric": m["name"], "dimensions": dict(m["dimensions"]),
         "statistic": statistic, "period": period, "evaluation_periods": evals, "threshold": threshold,
         "comparison": comparison, "state": state, "state_reason": reason, "state_changed": int(changed)}
    if description:
        a["description"] = description
    return a


class Scenario:
    """Collects one scenario; ``meta`` feeds the README table."""

    def __init__(self, slug: str, region: str, description: str, seed: int):
        self.slug, self.region, self.description = slug, region, description
        self.rng = np.random.default_rng(seed)
        self.resources: list[dict] = []
        self.metrics: list[dict] = []
        self.logs: list[dict] = []
        self.alarms: list[dict] = []
        self.changes: list[dict] = []
        self.expect: dict = {}
        self.meta: dict = {}

    def resource(self, rtype: str, rid_: str, **props) -> None:
        d = {"type": rtype, "id": rid_}
        if props:
            d["properties"] = props
        self.resources.append(d)

    def add_metrics(self, ms: list[dict]) -> dict:
        self.metrics.extend(ms)
        return {m["name"]: m for m in ms}

    def log(self, group: str, stream: str, events: list) -> None:
        events = sorted(((round(float(t), 3), str(msg)) for t, msg in events if t < 0 or t <= 2),
                        key=lambda e: e[0])
        self.logs.append({"group": group, "stream": stream, "events": [list(e) for e in events]})

    def find_metric(self, ns: str, name: str, dims: dict) -> dict:
        for m in self.metrics:
            if m["namespace"] == ns and m["name"] == name and m["dimensions"] == dims:
                return m
        raise KeyError((ns, name, dims))

    def to_doc(self) -> dict:
        return {"format": "aiops-scenario/v1", "name": self.slug, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self.expect}
