"""Shared building blocks for the set-19 scenarios: time grid, series shapes, ids,
alarm evaluation and YAML output. Everything is driven by a per-case numpy Generator,
so a case is fully determined by its seed."""
from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import yaml

STEP = 60
START = -21600          # six hours of one-minute points, like the public examples
LOG_START = -10800      # application logs cover the last three hours


def grid(start: int = START, step: int = STEP) -> np.ndarray:
    return np.arange(start, 0, step, dtype=float)


# ---------------------------------------------------------------- series shapes
def diurnal(t: np.ndarray, peak: float, amp: float) -> np.ndarray:
    """1 +/- amp with a 24 h period, maximal at relative time ``peak``."""
    return 1.0 + amp * np.cos(2 * np.pi * (t - peak) / 86400.0)


def wobble(rng: np.random.Generator, n: int, sd: float, phi: float = 0.85) -> np.ndarray:
    """Slowly wandering (AR(1)) noise with stationary standard deviation ``sd``."""
    out = np.empty(n)
    x = rng.normal(0, sd)
    k = sd * math.sqrt(1 - phi * phi)
    for i in range(n):
        x = phi * x + rng.normal(0, k)
        out[i] = x
    return out


def ramp(t: np.ndarray, t0: float, width: float) -> np.ndarray:
    """0 before t0, rising linearly to 1 over ``width`` seconds."""
    if width <= 0:
        return (t >= t0).astype(float)
    return np.clip((t - t0) / width, 0.0, 1.0)


def window(t: np.ndarray, t0: float, t1: float) -> np.ndarray:
    return ((t >= t0) & (t < t1)).astype(float)


def bump(t: np.ndarray, center: float, width: float) -> np.ndarray:
    return np.exp(-0.5 * ((t - center) / width) ** 2)


def counts(rng: np.random.Generator, lam: np.ndarray) -> np.ndarray:
    return rng.poisson(np.clip(lam, 0, None)).astype(float)


def clip(x: np.ndarray, lo: float = 0.0, hi: float | None = None) -> np.ndarray:
    return np.clip(x, lo, hi)


# ---------------------------------------------------------------- ids
class Ids:
    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def uuid(self) -> str:
        return str(uuid.UUID(bytes=self.rng.bytes(16), version=4))

    def hex(self, n: int) -> str:
        return self.rng.bytes((n + 1) // 2).hex()[:n]

    def digits(self, n: int) -> str:
        return "".join(str(d) for d in self.rng.integers(0, 10, n))

    def pick(self, seq):
        return seq[int(self.rng.integers(0, len(seq)))]

    def ip(self, prefix: str) -> str:
        return f"{prefix}.{int(self.rng.integers(2, 250))}"

    def alnum(self, n: int, upper: bool = False) -> str:
        chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" if upper else "abcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(chars[i] for i in self.rng.integers(0, len(chars), n))


# ---------------------------------------------------------------- scenario
class Stream:
    def __init__(self, group: str, stream: str, region: str | None):
        self.group, self.stream, self.region = group, stream, region
        self.events: list[tuple[float, str]] = []

    def add(self, t: float, msg: str) -> None:
        if t < 0 and msg:
            self.events.append((float(t), msg))

    def to_dict(self) -> dict:
        ev = sorted(self.events, key=lambda e: e[0])
        d = {"group": self.group, "stream": self.stream}
        if self.region:
            d["region"] = self.region
        d["events"] = [(round(t, 3), m) for t, m in ev]
        return d


class Case:
    """One scenario under construction."""

    def __init__(self, slug: str, seed: int, region: str, now: datetime, description: str):
        self.slug, self.region, self.description = slug, region, description
        self.rng = np.random.default_rng(seed)
        self.ids = Ids(self.rng)
        self.now = now.replace(tzinfo=timezone.utc)
        self.t = grid()
        self.resources: list[dict] = []
        self.metrics: list[dict] = []
        self.streams: list[Stream] = []
        self.alarms: list[dict] = []
        self.changes: list[dict] = []
        self.expect: dict | None = None
        self.meta: dict = {}

    # --- clock helpers for log text
    def at(self, rel: float) -> datetime:
        return self.now + timedelta(seconds=float(rel))

    def iso(self, rel: float) -> str:
        return self.at(rel).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    def stamp(self, rel: float, fmt: str) -> str:
        return self.at(rel).strftime(fmt)

    def epoch(self, rel: float) -> float:
        return self.at(rel).timestamp()

    # --- content
    def resource(self, rtype: str, rid: str, region: str | None = None, **props) -> dict:
        r = {"type": rtype, "id": rid}
        if region:
            r["region"] = region
        if props:
            r["properties"] = props
        self.resources.append(r)
        return r

    def metric(self, ns: str, name: str, dims: dict, unit: str, values, t=None, nd: int = 3,
               region: str | None = None) -> dict:
        t = self.t if t is None else t
        pts = []
        for ts, v in zip(t, values):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            pts.append((int(ts), round(float(v), nd)))
        m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            m["region"] = region
        m["points"] = pts
        self.metrics.append(m)
        return m

    def stream(self, group: str, stream: str, region: str | None = None) -> Stream:
        s = Stream(group, stream, region)
        self.streams.append(s)
        return s

    def change(self, time: float, source: str, name: str, rtype: str, rname: str, user: str,
               region: str | None = None) -> None:
        c = {"time": int(time), "event_source": source, "event_name": name, "resource_type": rtype,
             "resource_name": rname, "username": user}
        if region:
            c["region"] = region
        self.changes.append(c)

    def alarm(self, name: str, metric: dict, statistic: str, period: int, evals: int, threshold: float,
              comparison: str, onset: float, description: str | None = None, latest_ok: bool = False) -> dict:
        """Evaluate the alarm over the metric's points; the state change is the first breach run."""
        changed, last = evaluate(metric["points"], statistic, period, evals, threshold, comparison)
        if changed is None:
            raise AssertionError(f"{self.slug}: alarm {name} never breaches")
        if not (onset < changed < onset + 1800):
            raise AssertionError(f"{self.slug}: alarm {name} changes at {changed}, onset {onset}")
        if not last and not latest_ok:
            raise AssertionError(f"{self.slug}: alarm {name} not breaching at the end")
        word = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to",
                "LessThanThreshold": "less than", "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        plural = "datapoints were" if evals > 1 else "datapoint was"
        a = {"name": name, "namespace": metric["namespace"], "metric": metric["name"],
             "dimensions": dict(metric["dimensions"]), "statistic": statistic, "period": period,
             "evaluation_periods": evals, "threshold": threshold, "comparison": comparison, "state": "ALARM",
             "state_reason": f"Threshold Crossed: {evals} {plural} {word} the threshold ({float(threshold):.1f}).",
             "state_changed": int(changed)}
        if metric.get("region"):
            a["region"] = metric["region"]
        if description:
            a["description"] = description
        self.alarms.append(a)
        return a

    def ok_alarm(self, name: str, metric: dict, statistic: str, period: int, evals: int, threshold: float,
                 comparison: str, state_changed: float, description: str | None = None) -> dict:
        a = {"name": name, "namespace": metric["namespace"], "metric": metric["name"],
             "dimensions": dict(metric["dimensions"]), "statistic": statistic, "period": period,
             "evaluation_periods": evals, "threshold": threshold, "comparison": comparison, "state": "OK",
             "state_reason": f"Threshold Crossed: no datapoints were {'greater' if 'Greater' in comparison else 'less'}"
                             f" than the threshold ({float(threshold):.1f}).",
             "state_changed": int(state_changed)}
        if description:
            a["description"] = description
        self.alarms.append(a)
        return a

    def to_dict(self) -> dict:
        return {"format": "aiops-scenario/v1", "name": self.slug, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": [s.to_dict() for s in self.streams if s.events], "alarms": self.alarms,
                "changes": sorted(self.changes, key=lambda c: -c["time"]), "expect": self.expect}


def evaluate(points, statistic: str, period: int, evals: int, threshold: float, comparison: str):
    """CloudWatch-style evaluation on period-aligned buckets. Returns (first ALARM time, breaching at end)."""
    buckets: dict[int, list[float]] = {}
    for t, v in points:
        buckets.setdefault(int(math.floor(t / period)) * period, []).append(v)
    agg = {"Sum": sum, "Average": lambda x: sum(x) / len(x), "Maximum": max, "Minimum": min,
           "SampleCount": len}
    f = agg.get(statistic, agg["Average"])
    keys = sorted(buckets)
    # only complete buckets (a bucket is complete once its period has ended before now)
    keys = [k for k in keys if k + period <= 0]
    cmp = {"GreaterThanThreshold": lambda a: a > threshold, "GreaterThanOrEqualToThreshold": lambda a: a >= threshold,
           "LessThanThreshold": lambda a: a < threshold, "LessThanOrEqualToThreshold": lambda a: a <= threshold}[comparison]
    breach = [cmp(f(buckets[k])) for k in keys]
    first = None
    for i in range(evals - 1, len(keys)):
        if all(breach[i - evals + 1:i + 1]) and all(keys[j] - keys[j - 1] == period for j in range(i - evals + 2, i + 1)):
            first = keys[i] + period + 60
            break
    return first, all(breach[-evals:]) if len(breach) >= evals else False


# ---------------------------------------------------------------- YAML output
class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def _tuple(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


_Dumper.add_representer(tuple, _tuple)


def write_yaml(path: Path, data: dict) -> int:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096,
                     default_flow_style=False)
    path.write_text(text)
    return len(text.encode())
