"""Metric bundles per resource type and sparse log-stream helpers for set 72.

Every bundle takes plain functions of relative time t (seconds, negative) that
return the expected per-minute value; noise comes from the scenario's seeded rng.
"""
from __future__ import annotations

import math

from .common import GRID, Scenario

LOG_START = -14400  # application logs cover the last four hours (baseline visible)


def const(v):
    return lambda t: v


def poisson(sc: Scenario, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(sc.rng.gauss(lam, math.sqrt(lam)))))
    k, p, lim = 0, 1.0, math.exp(-lam)
    while True:
        p *= sc.rng.random()
        if p <= lim:
            return k
        k += 1


def emit(sc: Scenario, group: str, stream: str, rate, line, start: float = LOG_START,
         end: float = 0, regular: bool = False) -> None:
    """rate(t) events per minute; line(t) -> text (or None to skip)."""
    for m in range(int(start), int(end), 60):
        lam = rate(m)
        n = int(round(lam)) if regular else poisson(sc, lam)
        for _ in range(n):
            t = m + sc.rng.uniform(0.0, 59.9)
            txt = line(t)
            if txt is not None:
                sc.log(group, stream, t, txt)


def minutes(values: list) -> dict:
    return {t: v for t, v in zip(GRID, values) if v is not None}


# --------------------------------------------------------------------------- lambda
def lambda_bundle(sc: Scenario, fn: str, inv, err, dur, thr=None, conc_cap=None,
                  p_err=None) -> tuple:
    """err: expected errors per minute; p_err(t): extra share of invocations that fail."""
    d = {"FunctionName": fn}
    iv = sc.series(inv, integer=True, noise=0.1)
    ev = sc.series(err, integer=True, noise=0.1)
    if p_err:
        ev = [e + sum(1 for _ in range(int(i)) if sc.rng.random() < p_err(t))
              for t, i, e in zip(GRID, iv, ev)]
    ev = [float(min(i, e)) for i, e in zip(iv, ev)]
    tv = sc.series(thr or const(0), integer=True, noise=0.1)
    du = sc.series(dur, noise=0.08, digits=2)
    cv = []
    for i, x in zip(iv, du):
        c = max(1.0, round(i * x / 60000.0 * 1.6 + sc.rng.uniform(0, 1)))
        cv.append(float(min(c, conc_cap)) if conc_cap else float(c))
    sc.metric("AWS/Lambda", "Invocations", d, "Count", iv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", ev)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", tv)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", du)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", cv)
    return minutes(iv), minutes(ev)


# --------------------------------------------------------------------------- alb
def alb_bundle(sc: Scenario, lb: str, req, t5xx, e5xx, rt, healthy, unhealthy=const(0),
               t4xx=None) -> dict:
    d = {"LoadBalancer": lb}
    rq = sc.series(req, integer=True, noise=0.06)
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", rq)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
              sc.series(rt, noise=0.1, digits=4))
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count",
              sc.series(t5xx, integer=True))
    if t4xx:
        sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
                  sc.series(t4xx, integer=True))
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
              sc.series(e5xx, integer=True))
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count",
              [float(round(healthy(t))) for t in GRID])
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count",
              [float(round(unhealthy(t))) for t in GRID])
    return minutes(rq)


# --------------------------------------------------------------------------- api gateway
def counts(sc: Scenario, f, **kw) -> list:
    """A per-minute count series from a function, or copied from a {minute: value} dict."""
    if isinstance(f, dict):
        return [float(f.get(t, 0.0)) for t in GRID]
    return sc.series(f, integer=True, **kw)


def apigw_bundle(sc: Scenario, api: str, count, e4xx, e5xx, latency) -> dict:
    d = {"ApiName": api}
    c = counts(sc, count, noise=0.08)
    sc.metric("AWS/ApiGateway", "Count", d, "Count", c)
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", counts(sc, e4xx))
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", counts(sc, e5xx))
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", sc.series(latency, noise=0.1, digits=2))
    return minutes(c)


# --------------------------------------------------------------------------- ecs
def ecs_bundle(sc: Scenario, cluster: str, service: str, cpu, mem, running) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.06, cap=100.0))
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", sc.series(mem, noise=0.02, cap=100.0))
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count",
              [float(round(running(t))) for t in GRID])


# --------------------------------------------------------------------------- rds
def rds_bundle(sc: Scenario, db: str, cpu, conns, free_gb, read_lat=const(0.0012),
               write_lat=const(0.0018), freeable_gb=const(3.1), conn_cap=None) -> None:
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.08, cap=100.0))
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", sc.series(conns, noise=0.04, integer=True,
                                                                    cap=conn_cap))
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
              [float(max(0, round(free_gb(t) * 1024 ** 3 + sc.rng.gauss(0, 2e6)))) for t in GRID])
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", sc.series(read_lat, noise=0.15, digits=5))
    sc.metric("AWS/RDS", "WriteLatency", d, "Seconds", sc.series(write_lat, noise=0.15, digits=5))
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
              [float(round(freeable_gb(t) * 1024 ** 3 + sc.rng.gauss(0, 3e7))) for t in GRID])


# --------------------------------------------------------------------------- ec2
def ec2_bundle(sc: Scenario, iid: str, cpu, net_in, mem, disk, status=const(0),
               path: str = "/", fstype: str = "xfs") -> None:
    d = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.07, cap=100.0))
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", sc.series(net_in, noise=0.12, integer=False, digits=0))
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", [float(status(t)) for t in GRID])
    sc.metric("CWAgent", "mem_used_percent", d, "Percent", sc.series(mem, noise=0.015, cap=100.0))
    sc.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": path, "fstype": fstype},
              "Percent", sc.series(disk, noise=0.0, abs_noise=0.05, cap=100.0))


# --------------------------------------------------------------------------- misc
def lb_id(sc: Scenario, name: str) -> str:
    return f"app/{name}/{sc.hexid(16)}"


def instance_id(sc: Scenario) -> str:
    return f"i-0{sc.hexid(16)}"


def task_id(sc: Scenario) -> str:
    return sc.hexid(32)


def ecs_stream(prefix: str, container: str, task: str) -> str:
    return f"{prefix}/{container}/{task}"


def gh_delivery(sc: Scenario) -> str:
    return sc.uuid()


def weekday_ramp(sc: Scenario, t: float, start_hour: float, full_hour: float,
                 low: float, high: float) -> float:
    """Morning ramp on the scenario's wall clock (UTC): low before start, high after full."""
    d = sc.at(t)
    h = d.hour + d.minute / 60.0
    if h < start_hour or (h > full_hour + 10):
        return low
    if h >= full_hour:
        return high
    x = (h - start_hour) / (full_hour - start_hour)
    return low + (high - low) * x * x * (3 - 2 * x)


def thin(sc: Scenario, inv: dict, err: dict, k: float, start: float = LOG_START) -> tuple:
    """Keep about 1/k of the invocations for the log streams (errors thinned alike)."""
    ii, ee = {}, {}
    for m, n in inv.items():
        if m < start:
            continue
        e = err.get(m, 0)
        ni = int(n / k + sc.rng.random())
        ne = min(ni, int(e / k + sc.rng.random()))
        ii[m], ee[m] = ni, ne
    return ii, ee
