"""Shared helpers for the holdout22 scenarios: time rendering, series shapes, scenario assembly.

Everything is driven by one ``random.Random`` per scenario, so output is deterministic.
"""
from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections import defaultdict

UTC = dt.timezone.utc
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class Ctx:
    """Per-scenario context: seeded RNG plus the wall-clock 'now' used to render log timestamps."""

    def __init__(self, seed: int, now_iso: str, region: str, account: str = "123456789012"):
        self.rng = random.Random(seed)
        self.now = dt.datetime.fromisoformat(now_iso).replace(tzinfo=UTC)
        self.region = region
        self.account = account

    # ---- ids -------------------------------------------------------------------------------
    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexid(self, n: int = 32) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{self.rng.randint(1, 30)}.{self.rng.randint(2, 250)}"

    # ---- time rendering ----------------------------------------------------------------------
    def at(self, t: float) -> dt.datetime:
        return self.now + dt.timedelta(seconds=t)

    def iso(self, t: float) -> str:  # 2026-11-20T13:59:40.069Z
        d = self.at(t)
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"

    def iso_us(self, t: float) -> str:  # 2026-11-20T13:59:40.069123Z
        return self.at(t).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def pg(self, t: float) -> str:  # 2026-11-20 13:59:40 UTC
        return self.at(t).strftime("%Y-%m-%d %H:%M:%S UTC")

    def spaced(self, t: float, ms: bool = True) -> str:  # 2026-11-20 13:59:40.069
        d = self.at(t)
        return d.strftime("%Y-%m-%d %H:%M:%S") + (f".{d.microsecond // 1000:03d}" if ms else "")

    def clf(self, t: float) -> str:  # 20/Nov/2026:13:59:40 +0000
        d = self.at(t)
        return f"{d.day:02d}/{MONTHS[d.month - 1]}/{d.year}:{d.strftime('%H:%M:%S')} +0000"

    def syslog(self, t: float) -> str:  # Nov 20 13:59:40
        d = self.at(t)
        return f"{MONTHS[d.month - 1]} {d.day:2d} {d.strftime('%H:%M:%S')}"

    def date_path(self, t: float) -> str:  # 2026/11/20
        return self.at(t).strftime("%Y/%m/%d")

    def epoch(self, t: float) -> int:
        return int(self.at(t).timestamp())

    def hour(self, t: float) -> float:
        d = self.at(t)
        return d.hour + d.minute / 60.0


# ---- shapes --------------------------------------------------------------------------------
def grid(start: int = -21600, end: int = -60, step: int = 60) -> list[int]:
    return list(range(start, end + 1, step))


def ramp(t: float, t0: float, t1: float, a: float, b: float) -> float:
    if t <= t0:
        return a
    if t >= t1:
        return b
    return a + (b - a) * (t - t0) / (t1 - t0)


def sig(t: float, t0: float, width: float = 120.0) -> float:
    """0 before t0, 1 after, smooth over ~width seconds."""
    x = (t - t0) / max(width, 1e-6)
    if x < -30:
        return 0.0
    if x > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-6.0 * x))


def day(ctx: Ctx, t: float, peak: float = 15.0, amp: float = 0.25) -> float:
    """Diurnal multiplier around 1.0, peaking at `peak` hours UTC."""
    return 1.0 + amp * math.cos(2 * math.pi * (ctx.hour(t) - peak) / 24.0)


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def values(ctx: Ctx, ts: list[int], fn, noise: float = 0.04, lo: float | None = 0.0, hi: float | None = None,
           nd: int = 3, count: bool = False) -> list[float]:
    out = []
    for t in ts:
        base = fn(t)
        v = float(poisson(ctx.rng, base)) if count else base * (1.0 + ctx.rng.gauss(0.0, noise))
        if lo is not None:
            v = max(lo, v)
        if hi is not None:
            v = min(hi, v)
        out.append(round(v, nd))
    return out


# ---- assembly ------------------------------------------------------------------------------
def metric(ns: str, name: str, dims: dict, unit: str, ts: list[int], vals: list[float]) -> dict:
    return {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit,
            "points": [[t, v] for t, v in zip(ts, vals) if v is not None]}


def alarm(name: str, ns: str, met: str, dims: dict, stat: str, period: int, evals: int, threshold: float,
          state: str, changed: int, cmp: str = "GreaterThanThreshold", desc: str | None = None) -> dict:
    word = {"GreaterThanThreshold": "greater than", "LessThanThreshold": "less than",
            "GreaterThanOrEqualToThreshold": "greater than or equal to"}[cmp]
    plural = "datapoints were" if evals > 1 else "datapoint was"
    if state == "ALARM":
        reason = f"Threshold Crossed: {evals} {plural} {word} the threshold ({float(threshold)})."
    else:
        reason = f"Threshold Crossed: {evals} {plural} not {word} the threshold ({float(threshold)})."
    out = {"name": name, "namespace": ns, "metric": met, "dimensions": dict(dims), "statistic": stat,
           "period": period, "evaluation_periods": evals, "threshold": threshold, "comparison": cmp,
           "state": state, "state_reason": reason, "state_changed": changed}
    if desc:
        out["description"] = desc
    return out


def change(t: int, source: str, event: str, rtype: str, rname: str, user: str) -> dict:
    return {"time": t, "event_source": source, "event_name": event, "resource_type": rtype,
            "resource_name": rname, "username": user}


def lambda_deploy(t: int, fn: str, user: str = "ci-deployer") -> list[dict]:
    return [change(t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, user),
            change(t + 18, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, user)]


def ecs_deploy(t: int, cluster_service: str, user: str = "ci-deployer") -> list[dict]:
    family = cluster_service.split("/")[1]
    return [change(t, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", family, user),
            change(t + 35, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", cluster_service, user)]


class LogBook:
    """Collects events per (group, stream) and renders the `logs` section sorted by time."""

    def __init__(self):
        self._events: dict[tuple[str, str], list] = defaultdict(list)

    def add(self, group: str, stream: str, t: float, msg: str) -> None:
        if t > -0.05:  # not written yet at load time (e.g. the END of an invocation still running)
            return
        self._events[(group, stream)].append((round(t, 3), msg))

    def extend(self, group: str, stream: str, items) -> None:
        for t, msg in items:
            self.add(group, stream, t, msg)

    def render(self) -> list[dict]:
        out = []
        for (group, stream), evs in self._events.items():
            if not evs:
                continue
            evs.sort(key=lambda e: e[0])
            out.append({"group": group, "stream": stream, "events": [[t, m] for t, m in evs]})
        out.sort(key=lambda x: (x["group"], x["events"][0][0]))
        return out


def scenario(name: str, description: str, region: str, resources: list, metrics: list, logs: LogBook,
             alarms: list, changes: list, expect: dict) -> dict:
    return {"format": "aiops-scenario/v1", "name": name, "description": description, "region": region,
            "resources": resources, "metrics": metrics, "logs": logs.render(), "alarms": alarms,
            "changes": sorted(changes, key=lambda c: c["time"]), "expect": expect}


def anomaly(ns: str, name: str, dims: dict) -> dict:
    return {"namespace": ns, "name": name, "dimensions": dict(dims)}


def every(start: float, end: float, step: float, jitter: float, rng: random.Random):
    """Times from start to end about every `step` seconds."""
    t = start + rng.uniform(0, step)
    while t < end:
        yield t
        t += step * rng.uniform(1 - jitter, 1 + jitter)


# ---- runtime log line formats ----------------------------------------------------------------
def py_line(ctx: Ctx, t: float, level: str, rid: str, msg: str) -> tuple[float, str]:
    """AWS Lambda Python runtime logging handler."""
    return t, f"[{level}]\t{ctx.iso(t)}\t{rid}\t{msg}"


def node_line(ctx: Ctx, t: float, level: str, rid: str, msg: str) -> tuple[float, str]:
    """AWS Lambda Node.js runtime console.* patch."""
    return t, f"{ctx.iso(t)}\t{rid}\t{level}\t{msg}"


LAMBDA5 = (("Invocations", "Count"), ("Errors", "Count"), ("Throttles", "Count"), ("Duration", "Milliseconds"),
           ("ConcurrentExecutions", "Count"))


def lambda_metrics(fn: str, ts, inv, err, thr, dur, conc) -> list[dict]:
    dims = {"FunctionName": fn}
    return [metric("AWS/Lambda", name, dims, unit, ts, vals)
            for (name, unit), vals in zip(LAMBDA5, (inv, err, thr, dur, conc))]


def alb_metrics(alb_id: str, ts, req, trt, t5, e5, healthy, unhealthy=None) -> list[dict]:
    lb = {"LoadBalancer": alb_id}
    zero = [0.0] * len(ts)
    return [metric("AWS/ApplicationELB", "RequestCount", lb, "Count", ts, req),
            metric("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", ts, trt),
            metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Count", ts, t5),
            metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Count", ts, e5 if e5 is not None else zero),
            metric("AWS/ApplicationELB", "HealthyHostCount", lb, "Count", ts, healthy),
            metric("AWS/ApplicationELB", "UnHealthyHostCount", lb, "Count", ts, unhealthy if unhealthy is not None else zero)]


def ecs_metrics(cluster_service: str, ts, cpu, mem) -> list[dict]:
    cluster, service = cluster_service.split("/")
    d = {"ClusterName": cluster, "ServiceName": service}
    return [metric("AWS/ECS", "CPUUtilization", d, "Percent", ts, cpu),
            metric("AWS/ECS", "MemoryUtilization", d, "Percent", ts, mem)]


def rds_metrics(db: str, ts, cpu, conns, free_storage, freeable, read_lat, write_lat) -> list[dict]:
    d = {"DBInstanceIdentifier": db}
    return [metric("AWS/RDS", "CPUUtilization", d, "Percent", ts, cpu),
            metric("AWS/RDS", "DatabaseConnections", d, "Count", ts, conns),
            metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", ts, free_storage),
            metric("AWS/RDS", "FreeableMemory", d, "Bytes", ts, freeable),
            metric("AWS/RDS", "ReadLatency", d, "Seconds", ts, read_lat),
            metric("AWS/RDS", "WriteLatency", d, "Seconds", ts, write_lat)]


def ec2_metrics(iid: str, ts, cpu, mem, disk, netin=None) -> list[dict]:
    d = {"InstanceId": iid}
    out = [metric("AWS/EC2", "CPUUtilization", d, "Percent", ts, cpu),
           metric("AWS/EC2", "StatusCheckFailed", d, "Count", ts, [0.0] * len(ts)),
           metric("CWAgent", "mem_used_percent", d, "Percent", ts, mem),
           metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent", ts, disk)]
    if netin is not None:
        out.insert(1, metric("AWS/EC2", "NetworkIn", d, "Bytes", ts, netin))
    return out
