"""Scenario builder shared by the set-16 cases: time grid, metric shapes, YAML output.

All scenario times are seconds relative to load time (negative = past). Each scenario
also carries a *nominal* wall clock (``now``) used only for timestamps written inside
log messages and for the daily traffic shape, so that a case reads like one real day.
"""
from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any, Iterable

import numpy as np
import yaml

STEP = 60
SPAN = 6 * 3600
TIMES = np.arange(-SPAN, 0, STEP, dtype=float)  # 360 one-minute points, -21600 .. -60
N = len(TIMES)


class FlowList(list):
    """A list written in YAML flow style: ``[-21600, 12.5]``."""


def _flow_repr(dumper: yaml.Dumper, data: FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
yaml.add_representer(FlowList, _flow_repr, Dumper=_DUMPER)


def _num(v: float) -> str:
    """A double the way CloudWatch's state reasons print it (Java Double.toString)."""
    v = float(v)
    if v == 0 or 1e-3 <= abs(v) < 1e7:
        return repr(round(v, 4))
    mant, exp = f"{v:.10E}".split("E")
    mant = mant.rstrip("0")
    mant = mant + "0" if mant.endswith(".") else mant
    return f"{mant}E{int(exp)}"


class Scenario:
    """One incident slice: resources, metrics, logs, alarms, changes and the graders' expectation."""

    def __init__(self, name: str, description: str, region: str, seed: int, now: dt.datetime):
        self.name = name
        self.description = description
        self.region = region
        self.rng = np.random.default_rng(seed)
        self.now = now.replace(tzinfo=dt.timezone.utc)
        self.resources: list[dict[str, Any]] = []
        self.metrics: list[dict[str, Any]] = []
        self.logs: list[dict[str, Any]] = []
        self.alarms: list[dict[str, Any]] = []
        self.changes: list[dict[str, Any]] = []
        self.expect: dict[str, Any] = {}

    # ---- nominal clock -------------------------------------------------------------
    def wall(self, rel: float) -> dt.datetime:
        return self.now + dt.timedelta(seconds=float(rel))

    def iso(self, rel: float, digits: int = 3) -> str:
        w = self.wall(rel)
        frac = f"{w.microsecond:06d}"[:digits]
        return w.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if digits else "") + "Z"

    def clock(self, rel: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
        return self.wall(rel).strftime(fmt)

    def hour_of(self, rel: np.ndarray | float) -> np.ndarray:
        base = self.now.hour + self.now.minute / 60.0
        return (base + np.asarray(rel, dtype=float) / 3600.0) % 24.0

    # ---- ids -------------------------------------------------------------------------
    def uuid(self) -> str:
        return str(uuid.UUID(bytes=self.rng.bytes(16), version=4))

    def hexid(self, n: int = 32) -> str:
        return self.rng.bytes((n + 1) // 2).hex()[:n]

    def pick(self, items: list[Any], p: list[float] | None = None) -> Any:
        return items[int(self.rng.choice(len(items), p=p))]

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{int(self.rng.integers(1, 15))}.{int(self.rng.integers(4, 250))}"

    def public_ip(self) -> str:
        first = self.pick([3, 18, 34, 52, 54, 63, 71, 76, 81, 86, 92, 99, 104, 151, 176, 185, 203])
        return f"{first}.{int(self.rng.integers(1, 255))}.{int(self.rng.integers(1, 255))}." \
               f"{int(self.rng.integers(2, 254))}"

    # ---- content -----------------------------------------------------------------------
    def resource(self, rtype: str, rid: str, region: str | None = None, **props: Any) -> None:
        entry: dict[str, Any] = {"type": rtype, "id": rid}
        if region:
            entry["region"] = region
        if props:
            entry["properties"] = props
        self.resources.append(entry)

    def metric(self, namespace: str, name: str, dims: dict[str, str], unit: str, values: Iterable[float],
               times: Iterable[float] | None = None, decimals: int = 3, region: str | None = None) -> None:
        vals = list(values)
        ts = list(TIMES if times is None else times)
        assert len(ts) == len(vals), (name, len(ts), len(vals))
        pts = []
        for t, v in zip(ts, vals):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue  # a missing minute
            v = round(float(v), decimals)
            if v == int(v) and abs(v) < 1e15:
                v = float(int(v))
            pts.append(FlowList([int(t), v]))
        entry: dict[str, Any] = {"namespace": namespace, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            entry["region"] = region
        entry["points"] = pts
        self.metrics.append(entry)

    def log(self, group: str, stream: str, events: list[tuple[float, str]], region: str | None = None) -> None:
        evs = sorted(((round(float(t), 3), m) for t, m in events if m and t < 0), key=lambda e: e[0])
        if not evs:
            return
        entry: dict[str, Any] = {"group": group, "stream": stream}
        if region:
            entry["region"] = region
        entry["events"] = [FlowList([t, m]) for t, m in evs]
        self.logs.append(entry)

    def log_split(self, group: str, streams: list[str], events: list[tuple[float, str]]) -> None:
        """Events of several identical tasks/instances: each event goes to one stream at random."""
        parts: list[list[tuple[float, str]]] = [[] for _ in streams]
        picks = self.rng.integers(0, len(streams), len(events))
        for k, e in zip(picks, events):
            parts[int(k)].append(e)
        for stream, evs in zip(streams, parts):
            self.log(group, stream, evs)

    def task_streams(self, service: str, n: int, container: str | None = None) -> list[str]:
        return [f"{service}/{container or service}/{self.hexid(32)}" for _ in range(n)]

    def alarm(self, name: str, namespace: str, metric: str, dims: dict[str, str], statistic: str, period: int,
              evaluation_periods: int, threshold: float, comparison: str, state: str, state_changed: float,
              breach: list[tuple[float, float]] | None = None, description: str | None = None,
              region: str | None = None) -> None:
        """``breach`` holds the (relative end time, value) datapoints that moved the alarm, newest first."""
        word = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to",
                "LessThanThreshold": "less than", "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        thr = _num(threshold)
        if state == "ALARM":
            pts = breach or []
            n = len(pts) or evaluation_periods
            shown = ", ".join(f"{_num(v)} ({self.clock(t - period, '%d/%m/%y %H:%M:%S')})" for t, v in pts)
            plural = "datapoints" if n > 1 else "datapoint"
            were = "were" if n > 1 else "was"
            if evaluation_periods > 1:
                reason = (f"Threshold Crossed: {n} out of the last {evaluation_periods} datapoints "
                          f"[{shown}] were {word} the threshold ({thr}) "
                          f"(minimum {n} {plural} for OK -> ALARM transition).")
            else:
                reason = f"Threshold Crossed: 1 datapoint [{shown}] {were} {word} the threshold ({thr})."
        else:
            reason = f"Threshold Crossed: no datapoints were {word} the threshold ({thr})."
        entry: dict[str, Any] = {"name": name, "namespace": namespace, "metric": metric, "dimensions": dict(dims),
                                 "statistic": statistic, "period": period, "evaluation_periods": evaluation_periods,
                                 "threshold": threshold, "comparison": comparison, "state": state,
                                 "state_reason": reason, "state_changed": int(state_changed)}
        if description:
            entry["description"] = description
        if region:
            entry["region"] = region
        self.alarms.append(entry)

    def alarm_on(self, name: str, namespace: str, metric: str, dims: dict[str, str], values: np.ndarray,
                 statistic: str, period: int, evaluation_periods: int, threshold: float, comparison: str,
                 after: float = -SPAN, description: str | None = None, delay: float = 40.0) -> float:
        """An alarm in ALARM whose state change follows from ``values`` (the one-minute series)."""
        greater = comparison.startswith("Greater")
        end, pts = evaluate(values, statistic, period // STEP, threshold, evaluation_periods, greater, after)
        if not pts:
            raise ValueError(f"{self.name}: alarm {name} never breaches")
        changed = end + delay
        self.alarm(name, namespace, metric, dims, statistic, period, evaluation_periods, threshold, comparison,
                   "ALARM", changed, breach=pts, description=description)
        return changed

    def change(self, t: float, source: str, event: str, rtype: str, rname: str, user: str,
               region: str | None = None) -> None:
        entry = {"time": int(t), "event_source": source, "event_name": event, "resource_type": rtype,
                 "resource_name": rname, "username": user}
        if region:
            entry["region"] = region
        self.changes.append(entry)

    def set_expect(self, alarm: str, category: str, resources: list[str],
                   anomalies: list[tuple[str, str, dict[str, str]]]) -> None:
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": [{"namespace": ns, "name": n, "dimensions": dict(d)} for ns, n, d in anomalies]}

    # ---- output --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"format": "aiops-scenario/v1", "name": self.name, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms,
                "changes": sorted(self.changes, key=lambda c: c["time"]), "expect": self.expect}

    def dump(self) -> str:
        return yaml.dump(self.to_dict(), Dumper=_DUMPER, sort_keys=False, width=100000, allow_unicode=False)


# ---- metric shapes (numpy arrays over TIMES) -------------------------------------------------
def daily(sc: Scenario, peak_hour: float = 16.0, depth: float = 0.45) -> np.ndarray:
    """A multiplier in [1-depth, 1] following a 24 h cosine that peaks at ``peak_hour`` (UTC)."""
    h = sc.hour_of(TIMES)
    return 1.0 - depth * (1.0 - np.cos(2 * np.pi * (h - peak_hour) / 24.0)) / 2.0


def wander(sc: Scenario, scale: float, smooth: int = 20) -> np.ndarray:
    """Slow random drift (zero mean) of roughly ``scale`` amplitude."""
    raw = sc.rng.normal(0, 1, N + smooth)
    kern = np.ones(smooth) / smooth
    out = np.convolve(raw, kern, mode="valid")[:N]
    return out / (np.std(out) or 1.0) * scale


def jitter(sc: Scenario, base: np.ndarray | float, rel: float) -> np.ndarray:
    b = np.broadcast_to(np.asarray(base, dtype=float), (N,))
    return b * (1.0 + sc.rng.normal(0, rel, N))


def counts(sc: Scenario, lam: np.ndarray | float) -> np.ndarray:
    lam = np.clip(np.broadcast_to(np.asarray(lam, dtype=float), (N,)), 0, None)
    return sc.rng.poisson(lam).astype(float)


def ramp(t0: float, t1: float, times: np.ndarray = TIMES) -> np.ndarray:
    """0 before t0, 1 after t1, linear in between."""
    return np.clip((times - t0) / max(t1 - t0, 1.0), 0.0, 1.0)


def step(t0: float, times: np.ndarray = TIMES) -> np.ndarray:
    return (times >= t0).astype(float)


def window(t0: float, t1: float, times: np.ndarray = TIMES) -> np.ndarray:
    return ((times >= t0) & (times < t1)).astype(float)


def idx(t: float) -> int:
    """Index of the minute that contains relative time t."""
    return int(np.clip((t + SPAN) // STEP, 0, N - 1))


def clip(a: np.ndarray, lo: float | None = None, hi: float | None = None) -> np.ndarray:
    return np.clip(a, lo, hi)


def hourly_bumps(sc: Scenario, minute: int = 0, width_min: int = 4, height: float = 1.0) -> np.ndarray:
    """1.0 + height during ``width_min`` minutes after each nominal HH:minute, else 1.0."""
    mins = np.array([(sc.wall(t).minute - minute) % 60 for t in TIMES])
    return 1.0 + height * (mins < width_min)


def evaluate(values: np.ndarray, stat: str, period_min: int, threshold: float, periods: int,
             greater: bool = True, after: float = -SPAN) -> tuple[float, list[tuple[float, float]]]:
    """First time ``periods`` consecutive ``period_min``-minute datapoints breach (after ``after``).

    Returns (relative end time of the last breaching period, [(end time, value)] newest first);
    (nan, []) when the data never breach.
    """
    v = np.asarray(values, dtype=float)
    n = len(v) // period_min
    blocks = v[:n * period_min].reshape(n, period_min)
    agg = {"Sum": blocks.sum(1), "Average": blocks.mean(1), "Maximum": blocks.max(1),
           "Minimum": blocks.min(1)}[stat]
    run: list[tuple[float, float]] = []
    for i, a in enumerate(agg):
        end = float(TIMES[0] + (i + 1) * period_min * STEP)
        ok = a > threshold if greater else a < threshold
        run = run + [(end, float(a))] if ok else []
        if len(run) >= periods and end > after:
            return end, list(reversed(run[-periods:]))
    return float("nan"), []
