"""Shared helpers for the holdout6 scenario generator: time grid, noisy series, alarms, YAML output.

Every series is 6 h of one-minute points at -21600..-60 (360 points), like the public examples.
Log text carries wall-clock timestamps derived from a fixed notional "now" so files are reproducible.
"""
from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import yaml

N = 360
T = np.arange(-21600, 0, 60)          # -21600 .. -60
NOW = datetime(2026, 11, 20, 14, 0, 0, tzinfo=timezone.utc)


def idx(t: float) -> int:
    """Index of the minute that contains relative time t."""
    return int(max(0, min(N - 1, (t + 21600) // 60)))


def wall(t: float) -> datetime:
    return NOW + timedelta(seconds=float(t))


def iso_ms(t: float) -> str:
    return wall(t).strftime("%Y-%m-%dT%H:%M:%S.") + f"{wall(t).microsecond // 1000:03d}Z"


def pg_ts(t: float) -> str:
    return wall(t).strftime("%Y-%m-%d %H:%M:%S UTC")


def mysql_ts(t: float) -> str:
    return wall(t).strftime("%Y-%m-%dT%H:%M:%S.") + f"{wall(t).microsecond:06d}Z"


def clf_ts(t: float) -> str:
    return wall(t).strftime("%d/%b/%Y:%H:%M:%S +0000")


def py_ts(t: float) -> str:
    return wall(t).strftime("%Y-%m-%d %H:%M:%S,") + f"{wall(t).microsecond // 1000:03d}"


class Gen:
    """Seeded random helpers bound to one scenario."""

    def __init__(self, seed: int):
        self.r = np.random.default_rng(seed)

    def rid(self) -> str:
        return str(uuid.UUID(bytes=self.r.bytes(16), version=4))

    def hexid(self, n: int = 32) -> str:
        return self.r.bytes((n + 1) // 2).hex()[:n]

    def ip(self, prefix: str = "10.0.3") -> str:
        return f"{prefix}.{int(self.r.integers(10, 250))}"

    # --- series -------------------------------------------------------
    def level(self, mean: float, sd: float, lo: float | None = 0.0, hi: float | None = None) -> np.ndarray:
        x = mean + self.r.normal(0, sd, N)
        return np.clip(x, lo if lo is not None else -np.inf, hi if hi is not None else np.inf)

    def daily(self, mean: float, amp: float, sd: float, phase: float = 0.0, lo: float = 0.0) -> np.ndarray:
        """Slow drift (part of a daily cycle) plus noise."""
        shape = np.sin(np.linspace(phase, phase + math.pi / 2, N))
        return np.clip(mean + amp * shape + self.r.normal(0, sd, N), lo, None)

    def counts(self, lam: np.ndarray | float) -> np.ndarray:
        lam = np.broadcast_to(np.asarray(lam, dtype=float), (N,))
        return self.r.poisson(np.clip(lam, 0, None)).astype(float)

    def walk(self, start: float, step_sd: float, lo: float, hi: float) -> np.ndarray:
        x = start + np.cumsum(self.r.normal(0, step_sd, N))
        return np.clip(x, lo, hi)

    def uniform(self, a: float, b: float) -> float:
        return float(self.r.uniform(a, b))

    def choice(self, seq):
        return seq[int(self.r.integers(0, len(seq)))]

    def int(self, a: int, b: int) -> int:
        return int(self.r.integers(a, b))

    def chance(self, p: float) -> bool:
        return bool(self.r.random() < p)


def ramp(x: np.ndarray, t0: float, t1: float, value: float, mode: str = "set") -> np.ndarray:
    """From t0 ramp linearly to `value` reached at t1, then hold. mode 'set' replaces, 'add' adds."""
    x = x.copy()
    i0, i1 = idx(t0), max(idx(t1), idx(t0) + 1)
    for i in range(i0, N):
        f = min(1.0, (i - i0 + 1) / (i1 - i0 + 1))
        if mode == "add":
            x[i] = x[i] + f * value
        else:
            x[i] = x[i] * (1 - f) + f * value
    return x


def after(t0: float) -> np.ndarray:
    """Boolean mask: minutes at or after t0."""
    return T >= t0


def between(t0: float, t1: float) -> np.ndarray:
    return (T >= t0) & (T < t1)


def pts(values: np.ndarray, digits: int = 3, mask: np.ndarray | None = None) -> list:
    out = []
    for i, (t, v) in enumerate(zip(T, values)):
        if mask is not None and not mask[i]:
            continue
        v = float(v)
        out.append(Flow([int(t), round(v, digits) if digits else float(round(v))]))
    return out


def metric(ns: str, name: str, dims: dict, unit: str, values, digits: int = 3, mask=None) -> dict:
    return {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit,
            "points": pts(np.asarray(values, dtype=float), digits, mask)}


# --- alarms -------------------------------------------------------------
_CMP = {
    "GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
    "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
    "LessThanThreshold": (lambda v, th: v < th, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to"),
}


def _agg(vals: list[float], stat: str) -> float:
    if stat == "Sum":
        return float(sum(vals))
    if stat == "Maximum":
        return float(max(vals))
    if stat == "Minimum":
        return float(min(vals))
    return float(sum(vals) / len(vals))


def alarm(name: str, m: dict, statistic: str, period: int, evaluation_periods: int, threshold: float,
          comparison: str = "GreaterThanThreshold", description: str | None = None) -> dict:
    """Build an alarm whose state/state_changed/state_reason follow from the metric's points."""
    test, words = _CMP[comparison]
    buckets: dict[int, list[float]] = {}
    for t, v in m["points"]:
        start = int((t + 21600) // period) * period - 21600
        buckets.setdefault(start, []).append(v)
    starts = sorted(buckets)
    state, changed, run = "OK", -21600.0, 0
    for s in starts:
        breach = test(_agg(buckets[s], statistic), threshold)
        run = run + 1 if breach else 0
        new = "ALARM" if run >= evaluation_periods else "OK"
        if new != state:
            state, changed = new, float(s + period)
    changed = min(changed + 25, -5.0)
    if state == "ALARM":
        reason = (f"Threshold Crossed: {evaluation_periods} datapoint{'s' if evaluation_periods > 1 else ''} "
                  f"{'were' if evaluation_periods > 1 else 'was'} {words} the threshold ({float(threshold)}).")
    else:
        reason = (f"Threshold Crossed: no datapoints were {words} the threshold ({float(threshold)}).")
    out = {"name": name, "namespace": m["namespace"], "metric": m["name"], "dimensions": dict(m["dimensions"]),
           "statistic": statistic, "period": period, "evaluation_periods": evaluation_periods,
           "threshold": float(threshold), "comparison": comparison, "state": state,
           "state_reason": reason, "state_changed": changed}
    if description:
        out["description"] = description
    return out


def change(time: float, source: str, name: str, rtype: str, rname: str, user: str, region: str | None = None) -> dict:
    c = {"time": float(round(time)), "event_source": source, "event_name": name, "resource_type": rtype,
         "resource_name": rname, "username": user}
    if region:
        c["region"] = region
    return c


def find_metric(metrics: list[dict], name: str, **dims) -> dict:
    for m in metrics:
        if m["name"] == name and all(m["dimensions"].get(k) == v for k, v in dims.items()):
            return m
    raise KeyError((name, dims))


def log(group: str, stream: str, events: list) -> dict:
    events = sorted(events, key=lambda e: e[0])
    return {"group": group, "stream": stream,
            "events": [Flow([round(float(t), 3), s]) for t, s in events]}


# --- YAML ---------------------------------------------------------------
class Flow(list):
    pass


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # noqa: D401 - no anchors, plain output
        return True


_Dumper.add_representer(Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def write(path: Path, scenario: dict) -> int:
    text = yaml.dump(scenario, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100000)
    path.write_text(text, encoding="utf-8")
    return len(text.encode())


def build(name: str, description: str, region: str, resources: list, metrics: list, logs: list, alarms: list,
          changes: list, *, alarm_name: str, category: str, accepted: list, anomalies: list, decoys: str,
          story: str) -> tuple[dict, dict]:
    """Assemble a scenario dict and the README metadata that goes with it."""
    assert any(a["name"] == alarm_name and a["state"] == "ALARM" for a in alarms), f"{name}: alarm not in ALARM"
    sc = {"format": "aiops-scenario/v1", "name": name, "description": description, "region": region,
          "resources": resources, "metrics": metrics, "logs": logs, "alarms": alarms,
          "changes": sorted(changes, key=lambda c: c["time"]),
          "expect": {"alarm": alarm_name, "root_cause": {"category": category, "resource": accepted},
                     "anomalies": anomalies}}
    regions = sorted({region} | {x.get("region") for x in resources + changes if x.get("region")})
    meta = {"name": name, "region": ", ".join(regions), "alarm": alarm_name, "category": category,
            "accepted": accepted, "decoys": decoys, "story": story}
    return sc, meta


def anomaly(m: dict) -> dict:
    return {"namespace": m["namespace"], "name": m["name"], "dimensions": dict(m["dimensions"])}
