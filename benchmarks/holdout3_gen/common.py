"""Builder and helpers for the third held-out RCA scenario set (seeded, self-contained).

Writes aiops-scenario/v1 YAML with compact flow-style points/events so files stay small.
Alarm state (state_changed, state_reason) is computed from the generated metric data so the
alarm is consistent with what the bot will read.
"""
from __future__ import annotations

import json
import math
import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import yaml

METRIC_START = -21600          # six hours of one-minute datapoints
ANCHOR = datetime(2026, 3, 17, 14, 0, tzinfo=timezone.utc)   # "now" for timestamps inside log text

_OPS = {
    "GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
    "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
    "LessThanThreshold": (lambda v, th: v < th, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to"),
}


def stamp(t: float, fmt: str = "%Y-%m-%dT%H:%M:%S.%f") -> str:
    """Absolute-looking timestamp for log text (fixed anchor; the loader uses the event time)."""
    text = (ANCHOR + timedelta(seconds=t)).strftime(fmt)
    return text[:-3] + "Z" if fmt.endswith("%f") else text


class Scenario:
    def __init__(self, name: str, region: str, description: str, seed: int) -> None:
        self.name, self.region, self.description = name, region, description
        self.rng = random.Random(seed)
        self.resources: list[dict] = []
        self.metrics: list[dict] = []
        self.logs: list[dict] = []
        self.alarms: list[dict] = []
        self.changes: list[dict] = []
        self.expect: dict = {}

    # ---- ids -------------------------------------------------------------------------
    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexid(self, n: int = 32) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{self.rng.randint(1, 14)}.{self.rng.randint(2, 250)}"

    # ---- content ---------------------------------------------------------------------
    def resource(self, rtype: str, rid: str, region: str | None = None, **props: Any) -> None:
        item: dict = {"type": rtype, "id": rid}
        if region:
            item["region"] = region
        if props:
            item["properties"] = props
        self.resources.append(item)

    def metric(self, namespace: str, name: str, dims: dict, unit: str,
               fn: Callable[[int], float | None], digits: int = 3, region: str | None = None) -> list:
        points = []
        for t in range(METRIC_START, 0, 60):
            value = fn(t)
            if value is None:
                continue
            value = round(float(value), digits)
            points.append([t, int(value) if digits == 0 else value])
        item = {"namespace": namespace, "name": name, "dimensions": dims, "unit": unit, "points": points}
        if region:
            item["region"] = region
        self.metrics.append(item)
        return points

    def log(self, group: str, stream: str, events: list, region: str | None = None) -> None:
        events = sorted(([round(t, 3), msg] for t, msg in events if t <= 0), key=lambda e: e[0])
        item = {"group": group, "stream": stream, "events": events}
        if region:
            item["region"] = region
        self.logs.append(item)

    def change(self, t: float, source: str, event: str, rtype: str, rname: str, user: str,
               region: str | None = None) -> None:
        item = {"time": t, "event_source": source, "event_name": event, "resource_type": rtype,
                "resource_name": rname, "username": user}
        if region:
            item["region"] = region
        self.changes.append(item)

    def alarm(self, name: str, namespace: str, metric: str, dims: dict, statistic: str, period: int,
              evaluation_periods: int, threshold: float, comparison: str, description: str | None = None,
              datapoints_to_alarm: int | None = None) -> dict:
        """Evaluate the alarm on the generated series and record its current state."""
        series = next(m for m in self.metrics if m["namespace"] == namespace and m["name"] == metric
                      and m["dimensions"] == dims)
        state, changed, reason = _evaluate(series["points"], statistic, period, evaluation_periods,
                                           datapoints_to_alarm or evaluation_periods, threshold, comparison)
        item = {"name": name, "namespace": namespace, "metric": metric, "dimensions": dims,
                "statistic": statistic, "period": period, "evaluation_periods": evaluation_periods,
                "threshold": threshold, "comparison": comparison, "state": state,
                "state_reason": reason, "state_changed": changed}
        if description:
            item["description"] = description
        self.alarms.append(item)
        return item

    # ---- output ----------------------------------------------------------------------
    def write(self, directory: Path, filename: str) -> Path:
        head = {"format": "aiops-scenario/v1", "name": self.name, "description": self.description,
                "region": self.region, "resources": self.resources}
        out = [yaml.safe_dump(head, sort_keys=False, width=200).rstrip()]
        out.append("metrics:")
        for m in self.metrics:
            out.append(f"- namespace: {m['namespace']}")
            out.append(f"  name: {m['name']}")
            out.append(f"  dimensions: {json.dumps(m['dimensions'])}")
            out.append(f"  unit: {m['unit']}")
            if "region" in m:
                out.append(f"  region: {m['region']}")
            out.append("  points: [" + ", ".join(f"[{t}, {v}]" for t, v in m["points"]) + "]")
        out.append("logs:")
        for lg in self.logs:
            out.append(f"- group: {json.dumps(lg['group'])}")
            out.append(f"  stream: {json.dumps(lg['stream'])}")
            if "region" in lg:
                out.append(f"  region: {lg['region']}")
            out.append("  events:")
            for t, msg in lg["events"]:
                out.append(f"  - [{t}, {json.dumps(msg)}]")
        tail = {"alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self.expect}
        out.append(yaml.safe_dump(tail, sort_keys=False, width=200).rstrip())
        path = directory / filename
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
        return path


def _aggregate(values: list[float], statistic: str) -> float:
    if statistic == "Sum":
        return sum(values)
    if statistic == "Average":
        return sum(values) / len(values)
    if statistic == "Maximum":
        return max(values)
    if statistic == "Minimum":
        return min(values)
    if statistic == "SampleCount":
        return float(len(values))
    if statistic.startswith("p"):
        ordered = sorted(values)
        rank = float(statistic[1:]) / 100 * (len(ordered) - 1)
        lo, hi = math.floor(rank), math.ceil(rank)
        return ordered[lo] + (ordered[hi] - ordered[lo]) * (rank - lo)
    raise ValueError(statistic)


def _evaluate(points: list, statistic: str, period: int, n: int, m: int, threshold: float,
              comparison: str) -> tuple[str, float, str]:
    test, words = _OPS[comparison]
    buckets: dict[int, list[float]] = {}
    for t, v in points:
        buckets.setdefault(int(t // period), []).append(float(v))
    keys = sorted(buckets)
    values = [(k, _aggregate(buckets[k], statistic)) for k in keys]
    state, changed, reason = "OK", float(METRIC_START + 600), ""
    for i in range(n - 1, len(values)):
        window = values[i - n + 1:i + 1]
        breaching = sum(test(v, threshold) for _, v in window)
        new_state = "ALARM" if breaching >= m else "OK"
        if new_state != state:
            state = new_state
            changed = float((window[-1][0] + 1) * period + 35)
            shown = ", ".join(f"{v:.4g}" for _, v in window)
            if state == "ALARM":
                reason = (f"Threshold Crossed: {breaching} out of the last {n} datapoints [{shown}] were "
                          f"{words} the threshold ({float(threshold)}) (minimum {m} datapoint"
                          f"{'s' if m > 1 else ''} for OK -> ALARM transition).")
            else:
                reason = (f"Threshold Crossed: no datapoints were {words} the threshold ({float(threshold)}). "
                          f"Recent datapoints [{shown}].")
    changed = min(changed, -30.0)
    return state, changed, reason


# ---- series helpers ------------------------------------------------------------------------

def smooth_step(t: float, onset: float, ramp: float = 180.0) -> float:
    """0 before onset, rising to 1 over ``ramp`` seconds."""
    if t < onset:
        return 0.0
    return min(1.0, (t - onset) / ramp) if ramp > 0 else 1.0


def diurnal(t: float, amplitude: float = 0.15, phase: float = 0.0) -> float:
    """Multiplicative slow drift over the six-hour window (business-hours ramp)."""
    return 1.0 + amplitude * math.sin((t + phase) / 21600 * math.pi)


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 50:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def arrivals(rng: random.Random, start: float, end: float, per_minute: Callable[[float], float]) -> list[float]:
    """Event times between start and end with a time-varying per-minute rate."""
    times: list[float] = []
    t = start
    while t < end:
        for _ in range(poisson(rng, per_minute(t))):
            times.append(t + rng.random() * 60)
        t += 60
    return sorted(x for x in times if x < end)


def iso(t: float) -> str:
    """2026-03-17T13:22:01.204Z"""
    return stamp(t)


def spaced(t: float) -> str:
    """2026-03-17 13:22:01.204"""
    return stamp(t).replace("T", " ")[:-1]


def pg(t: float) -> str:
    return stamp(t, "%Y-%m-%d %H:%M:%S") + " UTC"


def syslog(t: float) -> str:
    return stamp(t, "%b %d %H:%M:%S")
