"""Shared helpers for the holdout44 scenario generators (stdlib + pyyaml only).

Times are seconds relative to "now" (the load moment).  Text inside log lines
carries wall-clock stamps computed from a fixed fictional anchor so the files
are deterministic; the loader shifts the event timestamps, not the text.
"""
from __future__ import annotations

import math
import random
import uuid
from datetime import datetime, timedelta, timezone

import yaml

ANCHOR = datetime(2026, 3, 17, 14, 0, 0, tzinfo=timezone.utc)
HIST = -21600          # six hours of metric history
TIMES = list(range(HIST, 0, 60))
ACCOUNT = "482913650174"
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# --------------------------------------------------------------------------- time text
def wall(t: float) -> datetime:
    return ANCHOR + timedelta(seconds=t)


def iso(t: float) -> str:                       # 2026-03-17T13:20:01.123Z
    d = wall(t)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def iso_us(t: float) -> str:                    # 2026-03-17T13:20:01.123456Z (MySQL)
    d = wall(t)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond:06d}Z"


def pg_ts(t: float) -> str:                     # 2026-03-17 13:20:01 UTC
    return wall(t).strftime("%Y-%m-%d %H:%M:%S UTC")


def spring_ts(t: float) -> str:                 # 2026-03-17T13:20:01.123Z (Boot 3)
    return iso(t)


def clf_ts(t: float) -> str:                    # 17/Mar/2026:13:20:01 +0000
    d = wall(t)
    return f"{d.day:02d}/{MON[d.month - 1]}/{d.year}:{d.strftime('%H:%M:%S')} +0000"


def slash_ts(t: float) -> str:                  # 2026/03/17 13:20:01 (nginx error, Go log, squid)
    return wall(t).strftime("%Y/%m/%d %H:%M:%S")


def epoch(t: float) -> int:
    return int(wall(t).timestamp())


def day_path(t: float = 0) -> str:              # 2026/03/17
    return wall(t).strftime("%Y/%m/%d")


# --------------------------------------------------------------------------- randomness
class Rng(random.Random):
    def hexs(self, n: int) -> str:
        return "".join(self.choice("0123456789abcdef") for _ in range(n))

    def uid(self) -> str:
        return str(uuid.UUID(int=self.getrandbits(128), version=4))

    def poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 40:
            return max(0, int(round(self.gauss(lam, math.sqrt(lam)))))
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.random()
            if p <= limit:
                return k
            k += 1

    def ip(self, prefix: str) -> str:
        parts = prefix.split(".")
        while len(parts) < 4:
            parts.append(str(self.randint(2, 250)))
        return ".".join(parts)

    def pick(self, weighted):
        """weighted: list of (item, weight)."""
        total = sum(w for _, w in weighted)
        x = self.random() * total
        for item, w in weighted:
            x -= w
            if x <= 0:
                return item
        return weighted[-1][0]


# --------------------------------------------------------------------------- shapes
def ramp(t: float, start: float, length: float = 0.0) -> float:
    """0 before start, rising linearly to 1 over length seconds."""
    if t < start:
        return 0.0
    if length <= 0:
        return 1.0
    return min(1.0, (t - start) / length)


def diurnal(t: float, amp: float = 0.12, phase: float = 0.0) -> float:
    """Slow business-hours drift over the six-hour window."""
    return 1.0 + amp * math.sin(2 * math.pi * (t - phase) / 43200.0)


def gauge(rng: Rng, fn, sd: float = 0.0, rel: float = 0.0, lo: float | None = 0.0,
          hi: float | None = None, nd: int = 3, times=None):
    """Float series: fn(t) -> mean (None = no datapoint)."""
    out = []
    for t in times or TIMES:
        m = fn(t)
        if m is None:
            continue
        v = rng.gauss(m, sd + rel * abs(m))
        if lo is not None:
            v = max(lo, v)
        if hi is not None:
            v = min(hi, v)
        out.append([t, round(v, nd)])
    return out


def counts(rng: Rng, fn, times=None):
    """Count series from a per-minute expectation (Poisson)."""
    out = []
    for t in times or TIMES:
        m = fn(t)
        if m is None:
            continue
        out.append([t, float(rng.poisson(m))])
    return out


def const(values, times=None):
    return [[t, float(values)] for t in times or TIMES]


def from_map(d: dict, times=None, default=None):
    """Series from a {minute_t: value} map built while generating logs."""
    out = []
    for t in times or TIMES:
        v = d.get(t, default)
        if v is None:
            continue
        out.append([t, round(float(v), 3)])
    return out


# --------------------------------------------------------------------------- scenario builder
class Scenario:
    def __init__(self, name: str, region: str, description: str):
        self.d = {"format": "aiops-scenario/v1", "name": name, "description": description,
                  "region": region, "resources": [], "metrics": [], "logs": [], "alarms": [],
                  "changes": [], "expect": {}}

    def res(self, rtype: str, rid: str, region: str | None = None, **props):
        r = {"type": rtype, "id": rid}
        if region:
            r["region"] = region
        if props:
            r["properties"] = props
        self.d["resources"].append(r)

    def metric(self, ns: str, name: str, dims: dict, unit: str, points, region: str | None = None):
        m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            m["region"] = region
        m["points"] = points
        self.d["metrics"].append(m)

    def log(self, group: str, stream: str, events, region: str | None = None):
        ev = sorted(([round(float(t), 3), s] for t, s in events if t < 0), key=lambda e: e[0])
        if not ev:
            return
        lg = {"group": group, "stream": stream}
        if region:
            lg["region"] = region
        lg["events"] = ev
        self.d["logs"].append(lg)

    def alarm(self, name, ns, metric, dims, statistic, period, evals, threshold, comparison,
              state, state_changed, description=None, region=None, reason=None):
        if reason is None:
            word = {"GreaterThanThreshold": "greater than", "LessThanThreshold": "less than",
                    "GreaterThanOrEqualToThreshold": "greater than or equal to",
                    "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
            reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoints were {word} "
                      f"the threshold ({float(threshold)}).") if state == "ALARM" else \
                     (f"Threshold Crossed: no datapoints were {word} the threshold ({float(threshold)}).")
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
             "statistic": statistic, "period": period, "evaluation_periods": evals,
             "threshold": threshold, "comparison": comparison, "state": state,
             "state_reason": reason, "state_changed": state_changed}
        if description:
            a["description"] = description
        if region:
            a["region"] = region
        self.d["alarms"].append(a)

    def change(self, t, source, event, rtype, rname, user, region=None):
        c = {"time": t, "event_source": source, "event_name": event, "resource_type": rtype,
             "resource_name": rname, "username": user}
        if region:
            c["region"] = region
        self.d["changes"].append(c)

    def expect(self, alarm: str, category: str, resources: list, anomalies: list):
        self.d["expect"] = {"alarm": alarm, "root_cause": {"category": category, "resource": resources},
                            "anomalies": anomalies}

    def done(self) -> dict:
        self.d["changes"].sort(key=lambda c: c["time"])
        return self.d


# --------------------------------------------------------------------------- lambda logs
class LambdaLog:
    """Collects START / body / END / REPORT lines for one function, spread over a few streams."""

    def __init__(self, rng: Rng, memory: int, runtime: str = "python", streams: int = 2,
                 version: str = "$LATEST", day_t: float = 0):
        self.rng, self.memory, self.runtime, self.version = rng, memory, runtime, version
        self.streams = [f"{day_path(day_t)}/[{version}]{rng.hexs(32)}" for _ in range(streams)]
        self.events = {s: [] for s in self.streams}
        self.warm = set()

    def line(self, level: str, t: float, rid: str, msg: str) -> str:
        if self.runtime == "node":
            return f"{iso(t)}\t{rid}\t{level}\t{msg}"
        if self.runtime == "java":
            return f"{iso(t)} {rid} {level} {msg}"
        return f"[{level}]\t{iso(t)}\t{rid}\t{msg}"

    def invoke(self, t: float, body, duration_ms: float, max_mem: int, status: str | None = None,
               rid: str | None = None, init_ms: float | None = None):
        """body: list of (offset_s, text-or-callable(rid)); texts are complete log lines."""
        s = self.rng.choice(self.streams)
        ev = self.events[s]
        rid = rid or self.rng.uid()
        if s not in self.warm:
            self.warm.add(s)
            init_ms = init_ms or self.rng.uniform(350, 900)
        ev.append((t, f"START RequestId: {rid} Version: {self.version}"))
        for off, txt in body:
            ev.append((t + off, txt(rid) if callable(txt) else txt))
        end = t + duration_ms / 1000.0
        ev.append((end + 0.001, f"END RequestId: {rid}"))
        billed = int(math.ceil(duration_ms))
        rep = (f"REPORT RequestId: {rid}\tDuration: {duration_ms:.2f} ms\tBilled Duration: {billed} ms\t"
               f"Memory Size: {self.memory} MB\tMax Memory Used: {max_mem} MB")
        if init_ms:
            rep += f"\tInit Duration: {init_ms:.2f} ms"
        if status:
            rep += f"\tStatus: {status}"
        ev.append((end + 0.002, rep))
        return rid

    def timeout(self, t: float, body, timeout_s: int, max_mem: int, rid: str | None = None):
        rid = rid or self.rng.uid()
        dur = timeout_s * 1000.0 + self.rng.uniform(5, 40)
        body = list(body) + [(dur / 1000.0, lambda r: f"{iso(t + dur / 1000.0)} {r} Task timed out after "
                                                     f"{dur / 1000.0:.2f} seconds")]
        return self.invoke(t, body, dur, max_mem, status="timeout", rid=rid)

    def emit(self, sc: Scenario, group: str, region: str | None = None):
        for s, ev in self.events.items():
            sc.log(group, s, ev, region=region)


def spread(rng: Rng, minute_t: int, n: int):
    """n sorted instants inside the minute starting at minute_t."""
    return sorted(minute_t + rng.uniform(0.0, 59.5) for _ in range(n))


# --------------------------------------------------------------------------- yaml output
class _Dumper(yaml.SafeDumper):
    pass


def _repr_list(dumper, data):
    flow = len(data) == 2 and isinstance(data[0], (int, float)) and not isinstance(data[0], bool)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _repr_list)
_Dumper.ignore_aliases = lambda self, data: True


def dump(d: dict, path: str):
    with open(path, "w", encoding="utf-8") as f:
        yaml.dump(d, f, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)


def eval_alarm(points, period: int, evals: int, threshold: float, stat: str = "Sum", cmp: str = ">"):
    """Replay a CloudWatch alarm over raw one-minute points.

    Returns (state, state_changed) where state_changed is when the current state began."""
    pts = {int(t): v for t, v in points}
    end = max(pts) + 60
    states = []
    t = min(pts) + period * evals
    while t <= end:
        ok = []
        for k in range(evals):
            lo = t - period * (evals - k)
            vals = [pts[x] for x in range(lo, lo + period, 60) if x in pts]
            if not vals:
                ok.append(False)
                continue
            v = {"Sum": sum(vals), "Maximum": max(vals), "Average": sum(vals) / len(vals),
                 "Minimum": min(vals)}[stat]
            ok.append(v > threshold if cmp == ">" else v < threshold)
        states.append((t, "ALARM" if all(ok) else "OK"))
        t += 60
    cur = states[-1][1]
    k = len(states) - 1
    while k > 0 and states[k - 1][1] == cur:
        k -= 1
    return cur, states[k][0] - end
