"""Small toolkit for hand-written hold-out scenarios: noisy series, log-line formats, YAML output.

Independent of ``benchmarks.scenario_gen`` on purpose: the hold-out set must not share
its generator's habits. Each case module describes one incident by hand with these helpers.
"""
from __future__ import annotations

import math
import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

START, END, STEP = -10800, -60, 60
MINUTES = list(range(START, END + 1, STEP))
# Wall-clock used only for timestamps printed *inside* log messages (the loader re-bases times).
NOW = datetime(2026, 11, 20, 14, 0, 0, tzinfo=timezone.utc)


# ---------------------------------------------------------------- shapes
def ramp(t: float, t0: float, t1: float, a: float, b: float) -> float:
    """``a`` before t0, linear to ``b`` at t1, ``b`` after."""
    if t <= t0:
        return a
    if t >= t1:
        return b
    return a + (b - a) * (t - t0) / (t1 - t0)


def bump(t: float, t0: float, t1: float, height: float, edge: float = 180) -> float:
    """A plateau of ``height`` between t0 and t1 with soft edges (a benign batch/spike)."""
    if t < t0 - edge or t > t1 + edge:
        return 0.0
    if t < t0:
        return height * (t - (t0 - edge)) / edge
    if t > t1:
        return height * ((t1 + edge) - t) / edge
    return height


def wave(t: float, period: float = 7200, amp: float = 0.08, phase: float = 0.0) -> float:
    """Multiplicative slow drift around 1.0 (diurnal-ish)."""
    return 1.0 + amp * math.sin(2 * math.pi * (t / period) + phase)


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 60:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


# ---------------------------------------------------------------- log text helpers
def at(t: float) -> datetime:
    return NOW + timedelta(seconds=t)


def iso(t: float) -> str:
    return at(t).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at(t).microsecond // 1000:03d}Z"


def plain(t: float, sep: str = " ") -> str:
    return at(t).strftime(f"%Y-%m-%d{sep}%H:%M:%S,") + f"{at(t).microsecond // 1000:03d}"


def spring(t: float) -> str:
    return at(t).strftime("%Y-%m-%d %H:%M:%S.") + f"{at(t).microsecond // 1000:03d}"


def pg(t: float) -> str:
    return at(t).strftime("%Y-%m-%d %H:%M:%S UTC")


def epoch_ms(t: float) -> int:
    return int(at(t).timestamp() * 1000)


class Scenario:
    """Accumulates one scenario and writes it as aiops-scenario/v1 YAML."""

    def __init__(self, name: str, description: str, region: str, seed: int):
        self.rng = random.Random(seed)
        self.data: dict[str, Any] = {"format": "aiops-scenario/v1", "name": name, "description": description,
                                     "region": region, "resources": [], "metrics": [], "logs": [],
                                     "alarms": [], "changes": []}
        self.notes: dict[str, Any] = {}

    # ids
    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexid(self, n: int = 32) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{self.rng.randint(1, 250)}.{self.rng.randint(2, 254)}"

    # sections
    def resource(self, type_: str, id_: str, region: str | None = None, **props: Any) -> None:
        entry: dict[str, Any] = {"type": type_, "id": id_}
        if region:
            entry["region"] = region
        if props:
            entry["properties"] = props
        self.data["resources"].append(entry)

    def metric(self, namespace: str, name: str, dims: dict[str, str], unit: str,
               fn: Callable[[float], float | None], *, count: bool = False, rel: float = 0.0, sd: float = 0.0,
               lo: float | None = 0.0, hi: float | None = None, digits: int = 3, sparse: bool = False,
               region: str | None = None) -> None:
        """One series. ``fn(t)`` is the expected value (None = no datapoint that minute).
        ``count`` draws Poisson counts; otherwise multiplicative ``rel`` and additive ``sd`` noise."""
        points = []
        for t in MINUTES:
            mean = fn(t)
            if mean is None:
                continue
            if count:
                value: float = float(poisson(self.rng, mean))
            else:
                value = mean * (1 + self.rng.gauss(0, rel)) + self.rng.gauss(0, sd)
            if lo is not None:
                value = max(lo, value)
            if hi is not None:
                value = min(hi, value)
            if sparse and value == 0:
                continue
            points.append((t, round(value, digits)))
        entry: dict[str, Any] = {"namespace": namespace, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            entry["region"] = region
        entry["points"] = points
        self.data["metrics"].append(entry)

    def log(self, group: str, stream: str, events: Iterable[tuple[float, str]], region: str | None = None) -> None:
        evs = sorted(((round(t, 3), msg) for t, msg in events), key=lambda e: e[0])
        entry: dict[str, Any] = {"group": group, "stream": stream}
        if region:
            entry["region"] = region
        entry["events"] = evs
        self.data["logs"].append(entry)

    def alarm(self, name: str, namespace: str, metric: str, dims: dict[str, str], *, statistic: str,
              period: int, evaluation_periods: int, threshold: float, comparison: str = "GreaterThanThreshold",
              state: str = "ALARM", state_changed: float, description: str | None = None,
              datapoints: int | None = None) -> None:
        n = datapoints or evaluation_periods
        word = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold":
                "greater than or equal to", "LessThanThreshold": "less than"}[comparison]
        reason = (f"Threshold Crossed: {n} out of the last {evaluation_periods} datapoints were {word} the "
                  f"threshold ({float(threshold)})." if state == "ALARM" else
                  f"Threshold Crossed: no datapoints were {word} the threshold ({float(threshold)}).")
        entry: dict[str, Any] = {"name": name, "namespace": namespace, "metric": metric, "dimensions": dims,
                                 "statistic": statistic, "period": period, "evaluation_periods": evaluation_periods,
                                 "threshold": threshold, "comparison": comparison, "state": state,
                                 "state_reason": reason, "state_changed": state_changed}
        if description:
            entry["description"] = description
        self.data["alarms"].append(entry)

    def change(self, time: float, source: str, event: str, rtype: str, rname: str, user: str,
               region: str | None = None) -> None:
        entry: dict[str, Any] = {"time": time, "event_source": source, "event_name": event,
                                 "resource_type": rtype, "resource_name": rname, "username": user}
        if region:
            entry["region"] = region
        self.data["changes"].append(entry)

    def expect(self, alarm: str, category: str, resources: list[str], anomalies: list[dict[str, Any]]) -> None:
        self.data["expect"] = {"alarm": alarm, "root_cause": {"category": category, "resource": resources},
                               "anomalies": anomalies}

    def write(self, path: Path) -> int:
        self.data["changes"].sort(key=lambda c: c["time"])
        text = yaml.dump(self.data, Dumper=_Dumper, sort_keys=False, width=100000, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return len(text)


class _Dumper(yaml.SafeDumper):
    pass


def _tuple(dumper: yaml.SafeDumper, value: tuple) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(value), flow_style=True)


_Dumper.add_representer(tuple, _tuple)


# ---------------------------------------------------------------- Lambda request logs
def lambda_request(sc: Scenario, t: float, duration_ms: float, memory_mb: int, max_mem_mb: int,
                   body: list[tuple[float, str]] | None = None, *, status: str | None = None,
                   error_type: str | None = None, init_ms: float | None = None,
                   version: str = "$LATEST") -> tuple[str, list[tuple[float, str]]]:
    """START / body / END / REPORT lines for one invocation. ``body`` items are (offset_s, text)
    where text may contain ``{rid}``. Returns (request id, events)."""
    rid = sc.uuid()
    events: list[tuple[float, str]] = []
    if init_ms is not None:
        events.append((t - init_ms / 1000 - 0.002,
                       "INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: "
                       "arn:aws:lambda::runtime:9b0c1e5d4f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c"))
    events.append((t, f"START RequestId: {rid} Version: {version}"))
    for off, text in body or []:
        events.append((t + off, text.replace("{rid}", rid)))
    end = t + duration_ms / 1000
    events.append((end, f"END RequestId: {rid}"))
    billed = int(math.ceil(duration_ms))
    report = (f"REPORT RequestId: {rid}\tDuration: {duration_ms:.2f} ms\tBilled Duration: {billed} ms\t"
              f"Memory Size: {memory_mb} MB\tMax Memory Used: {max_mem_mb} MB")
    if init_ms is not None:
        report += f"\tInit Duration: {init_ms:.2f} ms"
    if status:
        report += f"\tStatus: {status}"
        if error_type:
            report += f"\tError Type: {error_type}"
    events.append((end + 0.001, report))
    return rid, events


def sample_times(sc: Scenario, start: float, end: float, per_minute: float) -> list[float]:
    """Request arrival times (Poisson process) between start and end."""
    out, t = [], start
    rate = per_minute / 60.0
    while True:
        t += sc.rng.expovariate(rate)
        if t >= end:
            return out
        out.append(t)


def lambda_stream(day: str, sc: Scenario, version: str = "$LATEST") -> str:
    return f"{day}/[{version}]{sc.hexid()}"
