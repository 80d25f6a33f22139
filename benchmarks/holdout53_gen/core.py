"""Shared building blocks for the holdout53 scenarios: scenario container, series helpers, alarm evaluation.

Everything is driven by a per-scenario ``random.Random(seed)`` so output is deterministic.
Times are seconds relative to "now" (negative = past), as the aiops-scenario/v1 format requires.
"""
from __future__ import annotations

import math
import random
import uuid
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

import yaml

WINDOW = 21600  # six hours of metric history


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # noqa: D401 - never emit &anchors / *aliases
        return True


def dump_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=None,
                     allow_unicode=True, width=100000)


class Scenario:
    def __init__(self, name: str, description: str, region: str, seed: int, now: datetime):
        self.name = name
        self.description = description
        self.region = region
        self.rng = random.Random(seed)
        self.now = now.replace(tzinfo=timezone.utc)
        self.resources: list[dict] = []
        self.metrics: list[dict] = []
        self.logs: list[dict] = []
        self.alarms: list[dict] = []
        self.changes: list[dict] = []
        self.expect: dict | None = None

    # ---- identifiers / time -------------------------------------------------------------
    def at(self, rel: float) -> datetime:
        return self.now + timedelta(seconds=rel)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hex(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{self.rng.randint(1, 254)}.{self.rng.randint(2, 254)}"

    # ---- content ------------------------------------------------------------------------
    def resource(self, type_: str, id_: str, **props) -> None:
        entry: dict = {"type": type_, "id": id_}
        if props:
            entry["properties"] = props
        self.resources.append(entry)

    def metric(self, namespace: str, name: str, dims: dict, unit: str, points: list) -> list:
        self.metrics.append({"namespace": namespace, "name": name, "dimensions": dict(dims),
                             "unit": unit, "points": points})
        return points

    def log(self, group: str, stream: str, events: Iterable) -> None:
        evs = sorted(([round(float(t), 3), str(m)] for t, m in events if t < 0), key=lambda e: e[0])
        if evs:
            self.logs.append({"group": group, "stream": stream, "events": evs})

    def change(self, t: float, source: str, event: str, rtype: str, rname: str, user: str) -> None:
        self.changes.append({"time": int(t), "event_source": source, "event_name": event,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    def alarm(self, name: str, namespace: str, metric: str, dims: dict, statistic: str, period: int,
              evals: int, threshold: float, comparison: str, points: list | None = None,
              state: str | None = None, changed: float | None = None, reason: str | None = None,
              description: str | None = None, treat_missing: str = "missing") -> dict:
        """Add an alarm. With ``points`` the state, transition time and reason are computed from the series."""
        if points is not None:
            state, changed, reason = evaluate_alarm(self, points, statistic, period, evals, threshold,
                                                    comparison, treat_missing)
        entry = {"name": name, "namespace": namespace, "metric": metric, "dimensions": dict(dims),
                 "statistic": statistic, "period": period, "evaluation_periods": evals,
                 "threshold": threshold, "comparison": comparison, "state": state,
                 "state_reason": reason, "state_changed": int(changed)}
        if description:
            entry["description"] = description
        self.alarms.append(entry)
        return entry

    def set_expect(self, alarm: str, category: str, resources: list[str], anomalies: list[dict]) -> None:
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": anomalies}

    def to_dict(self) -> dict:
        return {"format": "aiops-scenario/v1", "name": self.name, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms,
                "changes": sorted(self.changes, key=lambda c: c["time"]), "expect": self.expect}


# ---- series ---------------------------------------------------------------------------------

def series(fn: Callable[[int], float | None], start: int = -WINDOW, end: int = -60, step: int = 60,
           nd: int = 3, lo: float | None = None, hi: float | None = None) -> list:
    pts = []
    t = start
    while t <= end:
        v = fn(t)
        if v is not None:
            if lo is not None:
                v = max(lo, v)
            if hi is not None:
                v = min(hi, v)
            pts.append([t, round(float(v), nd)])
        t += step
    return pts


def counts(fn: Callable[[int], float], rng: random.Random, **kw) -> list:
    """Integer count series: ``fn`` gives the expected value, the point a Poisson-like draw."""
    return series(lambda t: poisson(rng, fn(t)), nd=1, lo=0, **kw)


def poisson(rng: random.Random, lam: float) -> float:
    if lam <= 0:
        return 0.0
    if lam < 40:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return float(k)
            k += 1
    return float(max(0, round(rng.gauss(lam, math.sqrt(lam)))))


def diurnal(t: float, now_hour: float, peak_hour: float = 14.0, amp: float = 0.3) -> float:
    """Multiplier around 1.0 following the time of day (``now_hour`` = local hour at t=0)."""
    h = now_hour + t / 3600.0
    return 1.0 + amp * math.cos(2 * math.pi * (h - peak_hour) / 24.0)


def ramp(t: float, t0: float, t1: float, v0: float, v1: float) -> float:
    if t <= t0:
        return v0
    if t >= t1:
        return v1
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


def sigmoid(t: float, t0: float, width: float) -> float:
    return 1.0 / (1.0 + math.exp(-(t - t0) / max(width, 1e-6)))


def value_at(points: list, t: float, default: float = 0.0) -> float:
    """Value of the minute bucket containing t (points are [t, v] 60 s apart)."""
    key = int(math.floor(t / 60.0) * 60)
    idx = _index(points)
    return idx.get(key, default)


_IDX_CACHE: dict[int, dict] = {}


def _index(points: list) -> dict:
    k = id(points)
    cached = _IDX_CACHE.get(k)
    if cached is None or cached.get("__len__") != len(points):
        cached = {int(p[0]): p[1] for p in points}
        cached["__len__"] = len(points)
        _IDX_CACHE[k] = cached
    return cached


# ---- alarms ---------------------------------------------------------------------------------

_CMP = {"GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
        "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
        "LessThanThreshold": (lambda v, th: v < th, "less than"),
        "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to")}


def aggregate(points: list, statistic: str, period: int) -> list[tuple[int, float]]:
    buckets: dict[int, list[float]] = {}
    for t, v in points:
        b = int(math.floor(t / period) * period)
        buckets.setdefault(b, []).append(v)
    out = []
    for b in sorted(buckets):
        vals = buckets[b]
        if statistic == "Sum":
            agg = sum(vals)
        elif statistic == "Average":
            agg = sum(vals) / len(vals)
        elif statistic == "Maximum":
            agg = max(vals)
        elif statistic == "Minimum":
            agg = min(vals)
        elif statistic == "SampleCount":
            agg = float(len(vals))
        else:
            raise ValueError(statistic)
        out.append((b, agg))
    return out


def evaluate_alarm(scn: Scenario, points: list, statistic: str, period: int, evals: int,
                   threshold: float, comparison: str, treat_missing: str = "missing"):
    test, words = _CMP[comparison]
    aggs = aggregate(points, statistic, period)
    state, changed, reason = "OK", -WINDOW, "Threshold Crossed: no datapoints were breaching the threshold."
    window: list[tuple[int, float]] = []
    for b, v in aggs:
        window.append((b, v))
        window = window[-evals:]
        breaching = [test(x, threshold) for _, x in window]
        end = b + period + 60  # evaluation happens shortly after the period closes
        if end > 0:
            break
        if state != "ALARM" and len(window) == evals and all(breaching):
            state, changed = "ALARM", end
            reason = _reason(scn, window, threshold, words, evals, "OK -> ALARM")
        elif state == "ALARM" and not breaching[-1]:
            state, changed = "OK", end
            reason = _reason(scn, window[-1:], threshold, "not " + words, 1, "ALARM -> OK")
    return state, changed, reason


def _reason(scn: Scenario, window, threshold, words, evals, transition) -> str:
    shown = ", ".join(f"{_fmt(v)} ({scn.at(b).strftime('%d/%m/%y %H:%M:%S')})" for b, v in reversed(window))
    n = len(window)
    noun = "datapoint" if n == 1 else "datapoints"
    verb = "was" if n == 1 else "were"
    if transition == "OK -> ALARM":
        return (f"Threshold Crossed: {n} out of the last {evals} {noun} [{shown}] {verb} {words} the threshold "
                f"({_fmt(threshold)}) (minimum {evals} {noun} for {transition} transition).")
    return (f"Threshold Crossed: 1 out of the last 1 datapoints [{shown}] was {words} the threshold "
            f"({_fmt(threshold)}) (minimum 1 datapoint for {transition} transition).")


def _fmt(v: float) -> str:
    if abs(v) >= 1e6:
        return f"{v:.6g}"
    if float(v).is_integer():
        return f"{v:.1f}"
    return f"{v:.4f}".rstrip("0")


def dims_ref(namespace: str, name: str, dims: dict) -> dict:
    return {"namespace": namespace, "name": name, "dimensions": dict(dims)}
