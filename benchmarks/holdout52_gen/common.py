"""Shared building blocks for the holdout52 scenario set.

Everything is deterministic: each scenario owns a ``random.Random`` seeded
from its number, and every helper draws from that generator only.
"""
from __future__ import annotations

import datetime as _dt
import math
import random
import uuid

import yaml

START = -21600          # six hours of one-minute history
END = -60
ACCOUNT = "418295730164"


# ---------------------------------------------------------------- shapes
def sig(t: float, t0: float, width: float = 90.0) -> float:
    """Smooth 0->1 step centred on t0."""
    x = (t - t0) / max(width, 1e-6)
    if x > 40:
        return 1.0
    if x < -40:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def ramp(t: float, t0: float, t1: float) -> float:
    """Linear 0->1 between t0 and t1, clamped."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    return (t - t0) / (t1 - t0)


def bump(t: float, t0: float, t1: float) -> float:
    """1 inside [t0, t1), 0 elsewhere."""
    return 1.0 if t0 <= t < t1 else 0.0


class Scenario:
    """Accumulates one scenario and renders it as an aiops-scenario/v1 dict."""

    def __init__(self, num: int, slug: str, region: str, anchor: str, description: str):
        self.num = num
        self.slug = slug
        self.name = f"h52-{num:02d}-{slug}"
        self.region = region
        self.anchor = _dt.datetime.fromisoformat(anchor).replace(tzinfo=_dt.timezone.utc)
        self.description = description
        self.rng = random.Random(52_000 + num * 7919)
        self.resources: list[dict] = []
        self.metrics: list[dict] = []
        self.logs: list[dict] = []
        self.alarms: list[dict] = []
        self.changes: list[dict] = []
        self._series: dict[tuple, dict[int, float]] = {}

    # ------------------------------------------------------------ ids, time
    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hex(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def at(self, t: float) -> _dt.datetime:
        return self.anchor + _dt.timedelta(seconds=t)

    def iso(self, t: float, ms: bool = True) -> str:
        d = self.at(t)
        if ms:
            return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"
        return d.strftime("%Y-%m-%dT%H:%M:%SZ")

    def stamp(self, t: float, fmt: str) -> str:
        d = self.at(t)
        return d.strftime(fmt.replace("%ms", f"{d.microsecond // 1000:03d}"))

    def epoch_ms(self, t: float) -> int:
        return int(self.at(t).timestamp() * 1000)

    def hour(self, t: float) -> float:
        d = self.at(t)
        return d.hour + d.minute / 60.0 + d.second / 3600.0

    def diurnal(self, t: float, peak_hour: float, amp: float) -> float:
        """Multiplier 1 +/- amp following a 24 h cosine peaking at peak_hour (UTC)."""
        return 1.0 + amp * math.cos(2 * math.pi * (self.hour(t) - peak_hour) / 24.0)

    # ------------------------------------------------------------ noise
    def noise(self, sd: float) -> float:
        return self.rng.gauss(0.0, sd)

    def count(self, mean: float) -> float:
        """A Poisson-like count with the given mean (normal approximation)."""
        if mean <= 0:
            return 0.0
        if mean < 12:
            # Knuth for small means
            limit, k, p = math.exp(-mean), 0, 1.0
            while True:
                p *= self.rng.random()
                if p <= limit:
                    return float(k)
                k += 1
        return float(max(0, round(self.rng.gauss(mean, math.sqrt(mean)))))

    # ------------------------------------------------------------ resources
    def resource(self, rtype: str, rid: str, **props) -> None:
        entry = {"type": rtype, "id": rid}
        if props:
            entry["properties"] = props
        self.resources.append(entry)

    # ------------------------------------------------------------ metrics
    def series(self, fn, start: int = START, end: int = END, step: int = 60) -> dict[int, float]:
        out = {}
        for t in range(start, end + 1, step):
            v = fn(t)
            if v is not None:
                out[t] = v
        return out

    def metric(self, ns: str, name: str, dims: dict, unit: str, values, *, nd: int = 3,
               lo: float | None = 0.0, hi: float | None = None, integer: bool = False,
               step: int = 60, start: int = START, end: int = END) -> dict[int, float]:
        if callable(values):
            values = self.series(values, start, end, step)
        pts, clean = [], {}
        for t in sorted(values):
            v = values[t]
            if lo is not None:
                v = max(lo, v)
            if hi is not None:
                v = min(hi, v)
            v = float(round(v)) if integer else round(float(v), nd)
            clean[t] = v
            pts.append(Flow([t, v]))
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims),
                             "unit": unit, "points": pts})
        self._series[(ns, name, tuple(sorted(dims.items())))] = clean
        return clean

    def get(self, ns: str, name: str, dims: dict) -> dict[int, float]:
        return self._series[(ns, name, tuple(sorted(dims.items())))]

    # ------------------------------------------------------------ logs
    def log(self, group: str, stream: str, events) -> None:
        evs = sorted(((round(float(t), 3), str(m)) for t, m in events), key=lambda e: e[0])
        if not evs:
            return
        self.logs.append({"group": group, "stream": stream,
                          "events": [Flow([t, m]) for t, m in evs]})

    # ------------------------------------------------------------ changes
    def change(self, t: int, source: str, event: str, rtype: str, rname: str, user: str) -> None:
        self.changes.append({"time": int(t), "event_source": source, "event_name": event,
                             "resource_type": rtype, "resource_name": rname,
                             "username": user})

    # ------------------------------------------------------------ alarms
    def alarm(self, name: str, ns: str, metric: str, dims: dict, stat: str, period: int,
              evals: int, threshold: float, comparison: str, *, expect_state: str,
              description: str | None = None, missing: str = "missing") -> dict:
        """Add an alarm whose state and state_changed are derived from the series."""
        data = self.get(ns, metric, dims)
        buckets: dict[int, list[float]] = {}
        for t, v in data.items():
            b = (t // period) * period
            buckets.setdefault(b, []).append(v)
        agg = {}
        for b, vs in sorted(buckets.items()):
            if b + period > 0 and period > 60:
                continue  # incomplete period
            agg[b] = {"Sum": sum(vs), "Average": sum(vs) / len(vs), "Maximum": max(vs),
                      "Minimum": min(vs), "SampleCount": float(len(vs))}[stat]
        cmp = {"GreaterThanThreshold": lambda v: v > threshold,
               "GreaterThanOrEqualToThreshold": lambda v: v >= threshold,
               "LessThanThreshold": lambda v: v < threshold,
               "LessThanOrEqualToThreshold": lambda v: v <= threshold}[comparison]
        state, changed, window = "OK", START, []
        reason_pts: list = []
        all_b = range(min(agg) if agg else START, (max(agg) if agg else END) + 1, period)
        for b in all_b:
            v = agg.get(b)
            breach = (v is not None and cmp(v)) or (v is None and missing == "breaching")
            window = (window + [(b, v, breach)])[-evals:]
            new = "ALARM" if len(window) == evals and all(w[2] for w in window) else "OK"
            if new != state:
                state, changed = new, b + period + 40
                reason_pts = list(window)
        if state != expect_state:
            raise AssertionError(f"{self.name}: alarm {name} evaluates to {state}, wanted {expect_state}")
        word = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold":
                "greater than or equal to", "LessThanThreshold": "less than",
                "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        shown = ", ".join(f"{(v if v is not None else 0):.1f} ({self.stamp(b, '%d/%m/%y %H:%M:%S')})"
                          for b, v, _ in reversed(reason_pts))
        if state == "ALARM":
            reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoints [{shown}] "
                      f"were {word} the threshold ({float(threshold)}) (minimum {evals} "
                      f"datapoint{'s' if evals > 1 else ''} for OK -> ALARM transition).")
        else:
            reason = (f"Threshold Crossed: 1 out of the last {evals} datapoints "
                      f"[{shown.split(', ')[0] if shown else '0.0'}] was not {word} the threshold "
                      f"({float(threshold)}) (minimum 1 datapoint for ALARM -> OK transition).")
            if changed == START:
                changed = START - 86400 * 3
        entry = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
                 "statistic": stat, "period": period, "evaluation_periods": evals,
                 "threshold": float(threshold), "comparison": comparison, "state": state,
                 "state_reason": reason, "state_changed": int(min(changed, -5))}
        if description:
            entry["description"] = description
        self.alarms.append(entry)
        return entry

    # ------------------------------------------------------------ output
    def render(self, expect: dict) -> dict:
        return {"format": "aiops-scenario/v1", "name": self.name,
                "description": self.description, "region": self.region,
                "resources": self.resources, "metrics": self.metrics, "logs": self.logs,
                "alarms": self.alarms,
                "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": expect}


# ---------------------------------------------------------------- yaml
class Flow(list):
    """A list rendered in flow style ([t, v]) like the public examples."""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data):  # noqa: D401 - yaml hook
        return True


def _flow_repr(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


_Dumper.add_representer(Flow, _flow_repr)


def dump(doc: dict) -> str:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)


# ---------------------------------------------------------------- common metric packs
def lambda_pack(s: Scenario, fn: str, inv: dict, err: dict, dur: dict, *,
                throttles: dict | None = None, conc: dict | None = None) -> None:
    """Standard AWS/Lambda metrics for one function from per-minute dicts."""
    d = {"FunctionName": fn}
    s.metric("AWS/Lambda", "Invocations", d, "Count", inv, integer=True)
    s.metric("AWS/Lambda", "Errors", d, "Count", err, integer=True)
    s.metric("AWS/Lambda", "Throttles", d, "Count",
             throttles if throttles is not None else {t: 0.0 for t in inv}, integer=True)
    s.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur, nd=2)
    if conc is None:
        conc = {t: max(1.0, math.ceil(inv[t] * dur.get(t, 0) / 60000.0 + s.rng.random()))
                for t in inv}
    s.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, integer=True)


def alb_dims(alb_id: str) -> dict:
    return {"LoadBalancer": alb_id}


def tg_dims(alb_id: str, tg: str) -> dict:
    return {"TargetGroup": tg, "LoadBalancer": alb_id}


def ecs_dims(cluster: str, service: str) -> dict:
    return {"ClusterName": cluster, "ServiceName": service}


def apigw_pack(s: Scenario, api: str, count: dict, e4: dict, e5: dict, lat: dict,
               ilat: dict | None = None) -> None:
    """REST API metrics (ApiName dimension) from per-minute dicts."""
    d = {"ApiName": api}
    s.metric("AWS/ApiGateway", "Count", d, "Count", count, integer=True)
    s.metric("AWS/ApiGateway", "4XXError", d, "Count", e4, integer=True)
    s.metric("AWS/ApiGateway", "5XXError", d, "Count", e5, integer=True)
    s.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lat, nd=2)
    if ilat is not None:
        s.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", ilat, nd=2)


def ecs_pack(s: Scenario, cluster: str, service: str, cpu: dict, mem: dict,
             running: dict | None = None, desired: dict | None = None) -> None:
    d = ecs_dims(cluster, service)
    s.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu, hi=100.0)
    s.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem, hi=100.0)
    if running is not None:
        s.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, integer=True)
    if desired is not None:
        s.metric("ECS/ContainerInsights", "DesiredTaskCount", d, "Count", desired, integer=True)


def rds_pack(s: Scenario, db: str, cpu: dict, conns: dict, free_storage: dict,
             freeable_mem: dict, read_lat: dict | None = None,
             write_lat: dict | None = None) -> None:
    d = {"DBInstanceIdentifier": db}
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu, hi=100.0)
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns, integer=True)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_storage, nd=0)
    s.metric("AWS/RDS", "FreeableMemory", d, "Bytes", freeable_mem, nd=0)
    if read_lat is not None:
        s.metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat, nd=5)
    if write_lat is not None:
        s.metric("AWS/RDS", "WriteLatency", d, "Seconds", write_lat, nd=5)


def ec2_pack(s: Scenario, iid: str, cpu: dict, net_in: dict, status: dict, *,
             mem: dict | None = None, disk: dict | None = None, step: int = 60,
             start: int = START, end: int = END, status_system: dict | None = None) -> None:
    d = {"InstanceId": iid}
    kw = {"step": step, "start": start, "end": end}
    s.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu, hi=100.0, **kw)
    s.metric("AWS/EC2", "NetworkIn", d, "Bytes", net_in, nd=0, **kw)
    s.metric("AWS/EC2", "StatusCheckFailed", d, "Count", status, integer=True, **kw)
    if status_system is not None:
        s.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", status_system,
                 integer=True, **kw)
    if mem is not None:
        s.metric("CWAgent", "mem_used_percent", d, "Percent", mem, hi=100.0, **kw)
    if disk is not None:
        s.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"},
                 "Percent", disk, hi=100.0, **kw)
