"""Shared building blocks for the holdout8 scenarios: time grid, series, alarms, YAML output.

All times are seconds relative to "now" (the load instant). For the human-readable
timestamps inside log lines we pretend "now" is NOW_WALL below; those strings are
display-only and never parsed by the loader.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import numpy as np
import yaml

START = -21600                       # six hours of one-minute points
T = np.arange(START, 0, 60)          # -21600 .. -60
N = len(T)
NOW_WALL = datetime(2026, 11, 20, 14, 0, 0, tzinfo=timezone.utc)
ACCOUNT = "123456789012"


def wall(rel: float) -> datetime:
    return NOW_WALL + timedelta(seconds=float(rel))


def iso(rel: float) -> str:
    return wall(rel).strftime("%Y-%m-%dT%H:%M:%S.") + f"{wall(rel).microsecond // 1000:03d}Z"


def idx(rel: float) -> int:
    """Index of the minute containing relative time ``rel``."""
    return int(np.clip((rel - START) // 60, 0, N - 1))


class Rng:
    def __init__(self, seed: int):
        self.g = np.random.default_rng(seed)

    def uuid(self) -> str:
        return str(uuid.UUID(bytes=self.g.bytes(16), version=4))

    def hex(self, n: int) -> str:
        return self.g.bytes((n + 1) // 2).hex()[:n]

    def choice(self, seq):
        return seq[int(self.g.integers(0, len(seq)))]

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{int(self.g.integers(1, 15))}.{int(self.g.integers(2, 254))}"

    def u(self, a: float = 0.0, b: float = 1.0) -> float:
        return float(self.g.uniform(a, b))

    def i(self, a: int, b: int) -> int:
        return int(self.g.integers(a, b + 1))


# ---------------------------------------------------------------- series helpers
def sigmoid(t0: float, width: float = 120.0) -> np.ndarray:
    """0 before t0, 1 after, with a short realistic transition."""
    return 1.0 / (1.0 + np.exp(np.clip(-(T - t0) / max(width, 1.0) * 4.0, -60, 60)))


def after(t0: float) -> np.ndarray:
    return (T >= t0).astype(float)


def ramp(t0: float, t1: float) -> np.ndarray:
    return np.clip((T - t0) / float(t1 - t0), 0.0, 1.0)


def wave(rng: Rng, period: float = 7200.0, amp: float = 0.08) -> np.ndarray:
    """A gentle slow oscillation (traffic shape) around 1."""
    phase = rng.u(0, 2 * np.pi)
    return 1.0 + amp * np.sin(2 * np.pi * T / period + phase)


def noisy(rng: Rng, level, rel: float = 0.08, lo: float | None = 0.0, hi: float | None = None) -> np.ndarray:
    level = np.broadcast_to(np.asarray(level, dtype=float), T.shape)
    out = level * (1.0 + rng.g.normal(0.0, rel, N))
    if lo is not None or hi is not None:
        out = np.clip(out, lo, hi)
    return np.round(out, 3)


def counts(rng: Rng, rate) -> np.ndarray:
    rate = np.broadcast_to(np.asarray(rate, dtype=float), T.shape)
    return rng.g.poisson(np.maximum(rate, 0.0)).astype(float)


def spikes(rng: Rng, n: int, height: float, width: int = 1, lo_t: float = START, hi_t: float = -60) -> np.ndarray:
    out = np.zeros(N)
    for _ in range(n):
        i = idx(rng.u(lo_t, hi_t))
        out[i:i + width] += height * rng.u(0.6, 1.0)
    return out


# ---------------------------------------------------------------- alarms
_WORDS = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to",
          "LessThanThreshold": "less than", "LessThanOrEqualToThreshold": "less than or equal to"}


def _breach(v: float, thr: float, comp: str) -> bool:
    return {"GreaterThanThreshold": v > thr, "GreaterThanOrEqualToThreshold": v >= thr,
            "LessThanThreshold": v < thr, "LessThanOrEqualToThreshold": v <= thr}[comp]


def aggregate(values: np.ndarray, period: int, stat: str) -> list[tuple[float, float]]:
    """Period datapoints (start time, value), periods aligned so the last one ends at 0."""
    k = period // 60
    out = []
    for end in range(N, 0, -k):
        chunk = values[max(0, end - k):end]
        chunk = chunk[~np.isnan(chunk)]
        if len(chunk) == 0 or end - k < 0:
            continue
        if stat == "Sum":
            v = float(chunk.sum())
        elif stat == "Average":
            v = float(chunk.mean())
        elif stat in ("Maximum", "p99", "p95", "p90"):
            v = float(chunk.max())
        elif stat == "Minimum":
            v = float(chunk.min())
        else:
            v = float(chunk.mean())
        out.append((float(T[end - k]), round(v, 3)))
    return out[::-1]


def evaluate(values: np.ndarray, period: int, stat: str, evals: int, thr: float, comp: str,
             to_alarm: int | None = None) -> tuple[str, float, list[tuple[float, float]]]:
    """Simulate CloudWatch evaluation; returns (state, state_changed, breaching datapoints at the change)."""
    m = to_alarm or evals
    dps = aggregate(values, period, stat)
    state, changed, why = "OK", float(START), []
    for j in range(evals - 1, len(dps)):
        window = dps[j - evals + 1:j + 1]
        bad = [d for d in window if _breach(d[1], thr, comp)]
        new = "ALARM" if len(bad) >= m else "OK"
        if new != state:
            state, changed = new, window[-1][0] + period + 20
            why = window
    return state, min(changed, -5.0), why


def reason(state: str, window, thr: float, comp: str, evals: int, to_alarm: int | None, period: int) -> str:
    m = to_alarm or evals
    pts = ", ".join(f"{v:g} ({wall(t).strftime('%d/%m/%y %H:%M:%S')})" for t, v in reversed(window))
    word = _WORDS[comp]
    if state == "ALARM":
        verb = "was" if len(window) == 1 else "were"
        return (f"Threshold Crossed: {m} out of the last {evals} datapoints [{pts}] {verb} {word} the threshold "
                f"({float(thr)}) (minimum {m} datapoint{'s' if m > 1 else ''} for OK -> ALARM transition).")
    return (f"Threshold Crossed: no datapoints were {word} the threshold ({float(thr)}). The most recent "
            f"datapoints which crossed the threshold: [{pts}] (minimum {m} datapoint{'s' if m > 1 else ''} "
            f"for ALARM -> OK transition).")


# ---------------------------------------------------------------- scenario container
class Scenario:
    def __init__(self, name: str, region: str, description: str, seed: int):
        self.name, self.region, self.description = name, region, description
        self.rng = Rng(seed)
        self.resources: list[dict] = []
        self.metrics: list[dict] = []
        self.series: dict[tuple, np.ndarray] = {}
        self.logs: list[dict] = []
        self.alarms: list[dict] = []
        self.changes: list[dict] = []
        self.expect: dict = {}
        self.notes: dict = {}

    # resources -------------------------------------------------------
    def resource(self, type_: str, id_: str, **props) -> None:
        item: dict[str, Any] = {"type": type_, "id": id_}
        if props:
            item["properties"] = props
        self.resources.append(item)

    # metrics ---------------------------------------------------------
    def metric(self, ns: str, name: str, dims: dict, unit: str, values, decimals: int = 3) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        assert values.shape == T.shape, (name, values.shape)
        pts = [[int(t), round(float(v), decimals)] for t, v in zip(T, values) if not np.isnan(v)]
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit, "points": pts})
        self.series[(ns, name, tuple(sorted(dims.items())))] = values
        return values

    def get(self, ns: str, name: str, dims: dict) -> np.ndarray:
        return self.series[(ns, name, tuple(sorted(dims.items())))]

    # logs ------------------------------------------------------------
    def log(self, group: str, stream: str, events: list) -> None:
        events = sorted(((round(float(t), 3), str(m)) for t, m in events if m and t < 0), key=lambda e: e[0])
        if events:
            self.logs.append({"group": group, "stream": stream, "events": [list(e) for e in events]})

    # changes ---------------------------------------------------------
    def change(self, time: float, source: str, name: str, rtype: str | None, rname: str | None,
               user: str = "ci-deployer", region: str | None = None) -> None:
        item = {"time": int(time), "event_source": source, "event_name": name}
        if rtype:
            item["resource_type"] = rtype
        if rname:
            item["resource_name"] = rname
        item["username"] = user
        if region:
            item["region"] = region
        self.changes.append(item)

    # alarms ----------------------------------------------------------
    def alarm(self, name: str, ns: str, metric: str, dims: dict, *, stat: str, period: int, evals: int,
              threshold: float, comparison: str = "GreaterThanThreshold", to_alarm: int | None = None,
              description: str | None = None, expect_state: str = "ALARM",
              onset: float | None = None) -> dict:
        values = self.get(ns, metric, dims)
        state, changed, window = evaluate(values, period, stat, evals, threshold, comparison, to_alarm)
        assert state == expect_state, f"{self.name}/{name}: simulated {state}, wanted {expect_state}"
        if onset is not None and expect_state == "ALARM":
            assert onset - 120 <= changed <= onset + 1800, f"{self.name}/{name}: changed {changed} vs onset {onset}"
        item = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims), "statistic": stat,
                "period": period, "evaluation_periods": evals, "threshold": threshold,
                "comparison": comparison, "state": state,
                "state_reason": reason(state, window, threshold, comparison, evals, to_alarm, period),
                "state_changed": int(changed)}
        if description:
            item["description"] = description
        self.alarms.append(item)
        self.notes.setdefault("alarm_changed", {})[name] = int(changed)
        return item

    # output ----------------------------------------------------------
    def to_dict(self) -> dict:
        return {"format": "aiops-scenario/v1", "name": self.name, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self.expect}


class _Flow(list):
    pass


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _flowify(obj):
    if isinstance(obj, dict):
        return {k: (_flowify(v) if k not in ("points", "events") else [_Flow(p) for p in v]) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_flowify(v) for v in obj]
    return obj


def dump(data: dict) -> str:
    return yaml.dump(_flowify(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)


StdCallback = Callable[[Rng, str, float], list]
