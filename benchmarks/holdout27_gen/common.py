"""Shared helpers for the holdout-27 scenario generator ("the change that matters").

Everything is seeded and deterministic: each scenario builds its own ``random.Random``.
Times are seconds relative to load time (negative = past), as the format requires.
Text timestamps inside log lines are rendered from a fixed fictitious wall clock per scenario.
"""
from __future__ import annotations

import datetime as _dt
import math
import os
import random
import uuid

import yaml

FORMAT = "aiops-scenario/v1"
ACCOUNT = "482193305716"


# ---------------------------------------------------------------- clock ---
class Clock:
    """Renders relative seconds as text timestamps of a fictitious 'now'."""

    def __init__(self, now_iso: str):
        self.now = _dt.datetime.fromisoformat(now_iso.replace("Z", "+00:00"))

    def at(self, rel: float) -> _dt.datetime:
        return self.now + _dt.timedelta(seconds=rel)

    def iso(self, rel: float) -> str:          # 2026-11-20T10:00:00.123Z
        d = self.at(rel)
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"

    def iso_us(self, rel: float) -> str:       # 2026-11-20T10:00:00.123456
        d = self.at(rel)
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond:06d}"

    def plain(self, rel: float) -> str:        # 2026-11-20 10:00:00
        return self.at(rel).strftime("%Y-%m-%d %H:%M:%S")

    def plain_ms(self, rel: float, sep=",") -> str:
        d = self.at(rel)
        return d.strftime("%Y-%m-%d %H:%M:%S") + f"{sep}{d.microsecond // 1000:03d}"

    def epoch(self, rel: float) -> float:
        return self.at(rel).timestamp()

    def hour(self, rel: float, tz_hours: float = 0.0) -> float:
        d = self.at(rel) + _dt.timedelta(hours=tz_hours)
        return d.hour + d.minute / 60.0

    def day(self, rel: float) -> str:          # 2026/11/20 (Lambda stream prefix)
        return self.at(rel).strftime("%Y/%m/%d")


# ---------------------------------------------------------------- random ---
def rid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def hexid(rng: random.Random, n: int = 32) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def pois(rng: random.Random, mu: float) -> int:
    if mu <= 0:
        return 0
    if mu < 30:
        l, k, p = math.exp(-mu), 0, 1.0
        while True:
            p *= rng.random()
            if p <= l:
                return k
            k += 1
    return max(0, int(round(rng.gauss(mu, math.sqrt(mu)))))


def noisy(rng: random.Random, v: float, rel: float = 0.05) -> float:
    return max(0.0, v * (1.0 + rng.gauss(0.0, rel)))


def ramp(t: float, t0: float, t1: float, a: float, b: float) -> float:
    """a before t0, b after t1, linear in between."""
    if t <= t0:
        return a
    if t >= t1:
        return b
    return a + (b - a) * (t - t0) / (t1 - t0)


def daily(hour: float, low: float = 0.25) -> float:
    """Rough business-day traffic shape in local hours, 1.0 at the peak."""
    if hour < 6 or hour > 23.5:
        return low
    x = math.sin(math.pi * (hour - 6) / 17.5)
    return low + (1 - low) * max(0.0, x) ** 0.8


def minutes(t0: int, t1: int = -60, step: int = 60):
    return range(t0, t1 + 1, step)


# ---------------------------------------------------------------- building ---
def metric(ns, name, dims, unit, points, region=None):
    m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
    if region:
        m["region"] = region
    m["points"] = [[int(t), round(float(v), 3)] for t, v in points]
    return m


def series(rng, ts, fn):
    return [(t, fn(t)) for t in ts]


def change(t, source, event, rtype, rname, user, region=None):
    c = {"time": int(t), "event_source": source, "event_name": event,
         "resource_type": rtype, "resource_name": rname, "username": user}
    if region:
        c["region"] = region
    return c


_CMP = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to",
        "LessThanThreshold": "less than", "LessThanOrEqualToThreshold": "less than or equal to"}


def alarm(name, ns, met, dims, stat, period, evals, threshold, cmp, state, changed, desc=None, dtp=None):
    a = {"name": name, "namespace": ns, "metric": met, "dimensions": dict(dims), "statistic": stat,
         "period": period, "evaluation_periods": evals, "threshold": threshold, "comparison": cmp,
         "state": state}
    if state == "ALARM":
        n = dtp or evals
        a["state_reason"] = (f"Threshold Crossed: {n} datapoint{'s' if n > 1 else ''} "
                             f"{'were' if n > 1 else 'was'} {_CMP[cmp]} the threshold ({float(threshold)}).")
    elif state == "OK":
        a["state_reason"] = (f"Threshold Crossed: {evals} datapoint{'s' if evals > 1 else ''} "
                             f"{'were' if evals > 1 else 'was'} not {_CMP[cmp]} the threshold ({float(threshold)}).")
    else:
        a["state_reason"] = "Insufficient Data: 1 datapoint was unknown."
    a["state_changed"] = int(changed)
    if desc:
        a["description"] = desc
    return a


def stream(group, name, events, region=None):
    s = {"group": group, "stream": name}
    if region:
        s["region"] = region
    ev = sorted(((round(float(t), 3), str(m)) for t, m in events if t < 0), key=lambda e: e[0])
    s["events"] = [[t, m] for t, m in ev]
    return s


def scenario(name, description, region, resources, metrics, logs, alarms, changes, expect):
    return {"format": FORMAT, "name": name, "description": description, "region": region,
            "resources": resources, "metrics": metrics, "logs": logs, "alarms": alarms,
            "changes": sorted(changes, key=lambda c: c["time"]), "expect": expect}


def expect(alarm_name, category, resources, anomalies):
    return {"alarm": alarm_name,
            "root_cause": {"category": category, "resource": list(resources)},
            "anomalies": [{"namespace": ns, "name": n, "dimensions": dict(d)} for ns, n, d in anomalies]}


# ---------------------------------------------------------------- lambda logs ---
def report_line(req, dur_ms, mem, used, init_ms=None, status=None):
    billed = int(math.ceil(dur_ms))
    s = (f"REPORT RequestId: {req}\tDuration: {dur_ms:.2f} ms\tBilled Duration: {billed} ms\t"
         f"Memory Size: {mem} MB\tMax Memory Used: {used} MB")
    if init_ms is not None:
        s += f"\tInit Duration: {init_ms:.2f} ms"
    if status:
        s += f"\tStatus: {status}"
    return s


def lambda_invocation(t, req, version, body, dur_ms, mem, used, init_ms=None, status=None,
                      runtime_version=None):
    """body: list of (offset_seconds, message). Returns [(t, msg)] for one invocation."""
    out = []
    if init_ms is not None:
        rv = runtime_version or "python:3.12.v38"
        out.append((t - init_ms / 1000.0 - 0.002,
                    f"INIT_START Runtime Version: {rv}\tRuntime Version ARN: "
                    f"arn:aws:lambda:{{region}}::runtime:{hexid(random.Random(req), 64)}"))
    out.append((t, f"START RequestId: {req} Version: {version}"))
    for off, msg in body:
        out.append((t + off, msg))
    end = t + dur_ms / 1000.0
    out.append((end, f"END RequestId: {req}"))
    out.append((end + 0.001, report_line(req, dur_ms, mem, used, init_ms, status)))
    return out


def fill_region(events, region):
    return [(t, m.replace("{region}", region)) for t, m in events]


# ---------------------------------------------------------------- output ---
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data):
        return True


def write(doc, out_dir, fname):
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, fname)
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(doc, fh, Dumper=_Dumper, default_flow_style=None, sort_keys=False,
                  allow_unicode=True, width=100000)
    return path


def breach_time(points, stat, period, evals, threshold, cmp, after):
    """When a CloudWatch alarm on `points` would go to ALARM (first run of `evals` breaching periods
    whose start is >= `after`); returns relative seconds, or None."""
    agg = {}
    for t, v in points:
        agg.setdefault(int(t // period * period), []).append(v)
    run = 0
    for start in sorted(agg):
        vals = agg[start]
        v = {"Sum": sum(vals), "Maximum": max(vals), "Minimum": min(vals)}.get(stat, sum(vals) / len(vals))
        hit = {"GreaterThanThreshold": v > threshold, "GreaterThanOrEqualToThreshold": v >= threshold,
               "LessThanThreshold": v < threshold, "LessThanOrEqualToThreshold": v <= threshold}[cmp]
        if start < after:
            continue
        run = run + 1 if hit else 0
        if run >= evals:
            return start + period + 40
    return None


def alarm_on(metrics, name, ns, met, dims, stat, period, evals, threshold, cmp, after, desc=None):
    """An ALARM-state alarm whose state_changed is derived from the generated series."""
    pts = next(m["points"] for m in metrics
               if m["namespace"] == ns and m["name"] == met and m["dimensions"] == dict(dims))
    t = breach_time(pts, stat, period, evals, threshold, cmp, after)
    if t is None:
        raise ValueError(f"alarm {name} never breaches")
    return alarm(name, ns, met, dims, stat, period, evals, threshold, cmp, "ALARM", min(t, -30), desc)
