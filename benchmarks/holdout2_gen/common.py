"""Building blocks for the second held-out scenario set: series, log lines, a scenario builder.

Deterministic: every random draw comes from the ``random.Random`` handed in by the caller.
Nothing here imports other benchmark code.
"""
from __future__ import annotations

import math
import random
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

WINDOW = 21600          # six hours of one-minute metrics
NOMINAL_NOW = datetime(2026, 3, 14, 15, 0, tzinfo=timezone.utc)  # only used for text inside log lines

Fn = Callable[[float], float]


def stamp(t: float, fmt: str = "iso") -> str:
    when = NOMINAL_NOW + timedelta(seconds=t)
    if fmt == "iso":
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
    if fmt == "pg":
        return when.strftime("%Y-%m-%d %H:%M:%S UTC")
    if fmt == "mysql":
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond:06d}Z"
    if fmt == "clf":
        return when.strftime("%d/%b/%Y:%H:%M:%S +0000")
    if fmt == "java":
        return when.strftime("%Y-%m-%d %H:%M:%S.") + f"{when.microsecond // 1000:03d}"
    if fmt == "go":
        return when.strftime("%Y/%m/%d %H:%M:%S")
    raise ValueError(fmt)


def rid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def hexid(rng: random.Random, n: int = 32) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def daily(base: float, amp: float, peak_at: float) -> Fn:
    """A slice of a 24 h cycle: ``base`` scaled by ±``amp`` with its maximum at relative second ``peak_at``."""
    return lambda t: base * (1.0 + amp * math.cos(2 * math.pi * (t - peak_at) / 86400.0))


def ramp(t: float, start: float, width: float) -> float:
    """0 before ``start``, 1 after ``start + width``, smooth in between."""
    if t <= start:
        return 0.0
    if t >= start + width:
        return 1.0
    x = (t - start) / width
    return x * x * (3 - 2 * x)


def bump(t: float, start: float, end: float, rise: float = 120.0) -> float:
    """A plateau between ``start`` and ``end`` with soft edges (0..1)."""
    return min(ramp(t, start, rise), 1.0 - ramp(t, end - rise, rise))


def series(rng: random.Random, f: Fn, *, rel: float = 0.0, abs_: float = 0.0, lo: float | None = 0.0,
           hi: float | None = None, count: bool = False, digits: int = 3, start: int = -WINDOW,
           end: int = -60, gaps: tuple[tuple[float, float], ...] = ()) -> list[list[float]]:
    """One-minute points of ``f`` with multiplicative/additive gaussian noise; ``count`` gives Poisson-like integers."""
    out = []
    for t in range(start, end + 1, 60):
        if any(a <= t < b for a, b in gaps):
            continue
        mean = f(t)
        if count:
            value = float(max(0, round(rng.gauss(mean, math.sqrt(max(mean, 0.0)) + abs_))))
        else:
            value = mean * (1.0 + rng.gauss(0, rel)) + rng.gauss(0, abs_)
            value = round(value, digits)
        if lo is not None:
            value = max(lo, value)
        if hi is not None:
            value = min(hi, value)
        out.append([t, value])
    return out


def arrivals(rng: random.Random, rate_per_min: Fn, start: float, end: float) -> list[float]:
    """Event times of a (thinned) Poisson process with a time-varying rate."""
    times, t = [], float(start)
    peak = max(rate_per_min(x) for x in range(int(start), int(end), 60)) or 0.0
    if peak <= 0:
        return times
    while True:
        t += rng.expovariate(peak / 60.0)
        if t >= end:
            return times
        if rng.random() < rate_per_min(t) / peak:
            times.append(round(t, 3))


class Builder:
    """Accumulates one aiops-scenario/v1 document."""

    def __init__(self, name: str, description: str, region: str, seed: int):
        self.rng = random.Random(seed)
        self.doc: dict[str, Any] = {"format": "aiops-scenario/v1", "name": name, "description": description,
                                    "region": region, "resources": [], "metrics": [], "logs": [],
                                    "alarms": [], "changes": []}
        self._needed: dict[str, int] = {}

    def resource(self, type_: str, id_: str, region: str | None = None, **props: Any) -> None:
        entry: dict[str, Any] = {"type": type_, "id": id_}
        if region:
            entry["region"] = region
        if props:
            entry["properties"] = props
        self.doc["resources"].append(entry)

    def metric(self, namespace: str, name: str, dims: dict[str, str], unit: str, points: list,
               region: str | None = None) -> None:
        entry: dict[str, Any] = {"namespace": namespace, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            entry["region"] = region
        entry["points"] = points
        self.doc["metrics"].append(entry)

    def log(self, group: str, stream: str, events: list[tuple[float, str]], region: str | None = None) -> None:
        entry: dict[str, Any] = {"group": group, "stream": stream}
        if region:
            entry["region"] = region
        entry["events"] = [[round(t, 3), msg] for t, msg in sorted(events, key=lambda e: e[0]) if t < 0]
        self.doc["logs"].append(entry)

    def alarm(self, name: str, namespace: str, metric: str, dims: dict[str, str], statistic: str, period: int,
              evaluation_periods: int, threshold: float, state_changed: float, description: str | None = None,
              comparison: str = "GreaterThanThreshold", datapoints: int | None = None) -> None:
        n = datapoints or evaluation_periods
        self._needed[name] = n
        word = "greater" if comparison.startswith("Greater") else "less"
        entry = {"name": name, "namespace": namespace, "metric": metric, "dimensions": dict(dims),
                 "statistic": statistic, "period": period, "evaluation_periods": evaluation_periods,
                 "threshold": threshold, "comparison": comparison, "state": "ALARM",
                 "state_reason": f"Threshold Crossed: {n} out of the last {evaluation_periods} datapoints "
                                 f"were {word} than the threshold ({float(threshold)}).",
                 "state_changed": state_changed}
        if description:
            entry["description"] = description
        self.doc["alarms"].append(entry)

    def change(self, time: float, source: str, event: str, rtype: str, rname: str, user: str,
               region: str | None = None) -> None:
        entry: dict[str, Any] = {"time": time, "event_source": source, "event_name": event,
                                 "resource_type": rtype, "resource_name": rname, "username": user}
        if region:
            entry["region"] = region
        self.doc["changes"].append(entry)

    def expect(self, alarm: str, category: str, resources: list[str], anomalies: list[dict[str, Any]]) -> None:
        self.doc["expect"] = {"alarm": alarm, "root_cause": {"category": category, "resource": resources},
                              "anomalies": anomalies}

    def finish(self) -> dict[str, Any]:
        self.doc["changes"].sort(key=lambda c: c["time"])
        for alarm in self.doc["alarms"]:
            alarm["state_changed"] = self._first_breach(alarm, alarm["state_changed"])
        return self.doc

    def _first_breach(self, alarm: dict[str, Any], hint: float) -> float:
        """When CloudWatch would have flipped the alarm: first minute (after the hinted onset minus 15 min) at which
        enough of the last evaluation periods breach, plus a short evaluation delay."""
        series_ = next(m for m in self.doc["metrics"] if m["namespace"] == alarm["namespace"]
                       and m["name"] == alarm["metric"] and m["dimensions"] == alarm["dimensions"])
        points = {int(t): v for t, v in series_["points"]}
        period, stat = alarm["period"], alarm["statistic"]

        def value(end: int) -> float | None:
            vals = [v for t, v in points.items() if end - period <= t < end]
            if not vals:
                return None
            if stat == "Sum":
                return sum(vals)
            if stat == "Average":
                return sum(vals) / len(vals)
            return max(vals)
        for end in range(int(hint) - 900, 1, 60):
            got = [value(end - i * period) for i in range(alarm["evaluation_periods"])]
            if sum(1 for v in got if v is not None and v > alarm["threshold"]) >= self._needed[alarm["name"]]:
                return float(end + 25)
        raise ValueError(f"alarm {alarm['name']} never breaches")
