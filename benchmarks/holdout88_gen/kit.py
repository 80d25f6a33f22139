"""What set 88 adds to the shared holdout57 helpers: its Scenario prefix, Poisson log emission,
and metric bundles for the six resource types (one call per resource, series returned by name)."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, Scenario

LOG_START = -10800  # application logs cover the last three hours (metrics cover six)


class S88(Scenario):
    prefix = "h88"

    def __init__(self, num, slug, description, region, seed, now_iso, meta):
        super().__init__(num, slug, description, region, seed, now_iso)
        self.meta = meta

    def expect_(self, alarm: str, category: str, resources: list, anomalies: list) -> None:
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": resources},
                       "anomalies": anomalies}


def pois(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p < limit:
            return k
        k += 1


def emit(sc: Scenario, start: float, end: float, rate, cb) -> None:
    """Call cb(t) at Poisson times in [start, end); `rate` is events a minute (number or fn(t))."""
    m = int(start // 60 * 60)
    while m < end:
        lam = rate(m) if callable(rate) else rate
        n = pois(sc.rng, lam)
        ts = sorted(sc.rng.uniform(max(m, start), min(m + 60, end)) for _ in range(n))
        for t in ts:
            cb(t)
        m += 60


def per_min(values: list, start: float = LOG_START, end: float = 0) -> dict:
    return {t: v for t, v in zip(GRID, values) if start <= t < end and v is not None}


def binom(sc: Scenario, counts: list, frac) -> list:
    """Per-minute failures out of `counts` with failure probability frac(t)."""
    out = []
    for t, n in zip(GRID, counts):
        p = frac(t)
        out.append(float(sum(1 for _ in range(int(n or 0)) if sc.rng.random() < p)))
    return out


def put(sc, ns, name, dims, unit, fn, **kw) -> list:
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


# --------------------------------------------------------------------------- bundles
def lam_metrics(sc, fn, inv, err_frac, dur, thr=None, conc_cap=None, dur_cap=None) -> dict:
    d = {"FunctionName": fn}
    inv_v = sc.series(inv, integer=True, noise=0.08)
    err_v = binom(sc, inv_v, err_frac)
    dur_v = sc.series(dur, noise=0.08, cap=dur_cap, digits=2)
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv_v)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err_v)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur_v)
    thr_v = sc.series(thr or (lambda t: 0.0), integer=True)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", thr_v)
    conc = []
    for i, du, th in zip(inv_v, dur_v, thr_v):
        c = math.ceil((i or 0) * (du or 0) / 60000.0 * sc.rng.uniform(1.3, 1.9)) if i else 0
        if conc_cap is not None:
            c = conc_cap if th else min(c, conc_cap)
        conc.append(float(c))
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)
    return {"inv": inv_v, "err": err_v, "dur": dur_v, "thr": thr_v, "conc": conc}


def alb_metrics(sc, lb, req, rt, t5xx, e5xx=None, hosts=2, unhealthy=None, t4xx=None) -> dict:
    d = {"LoadBalancer": lb}
    out = {"req": put(sc, "AWS/ApplicationELB", "RequestCount", d, "Count", req, integer=True, noise=0.06)}
    out["rt"] = put(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.1, digits=4)
    out["5xx"] = put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx, integer=True)
    put(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
        t4xx or (lambda t: 0.012 * req(t)), integer=True)
    put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx or (lambda t: 0.0),
        integer=True)
    un = unhealthy or (lambda t: 0.0)
    put(sc, "AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", un, noise=0, digits=0)
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", d, "Count", lambda t: hosts - un(t), noise=0,
        digits=0)
    return out


def rds_metrics(sc, db, cpu, conns, free_gb, read_lat=None, write_lat=None, mem_gb=6.0,
                conn_cap=None) -> dict:
    d = {"DBInstanceIdentifier": db}
    out = {"cpu": put(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.07, cap=100.0)}
    out["conn"] = put(sc, "AWS/RDS", "DatabaseConnections", d, "Count", conns, noise=0.03, digits=0,
                    cap=conn_cap)
    out["free"] = put(sc, "AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: free_gb(t) * 1024 ** 3,
                      noise=0.0005, digits=0)
    put(sc, "AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: mem_gb * 1024 ** 3, noise=0.02, digits=0)
    put(sc, "AWS/RDS", "ReadLatency", d, "Seconds", read_lat or (lambda t: 0.0011), noise=0.15, digits=5)
    put(sc, "AWS/RDS", "WriteLatency", d, "Seconds", write_lat or (lambda t: 0.0019), noise=0.15, digits=5)
    return out


def ecs_metrics(sc, cluster, service, cpu, mem, tasks=None) -> dict:
    d = {"ClusterName": cluster, "ServiceName": service}
    out = {"cpu": put(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)}
    out["mem"] = put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.02, cap=100.0)
    if tasks:
        out["tasks"] = put(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", tasks, noise=0,
                           digits=0)
    return out


def apigw_metrics(sc, api, count, c4xx, c5xx, latency, integ=None, stage="prod") -> dict:
    d = {"ApiName": api, "Stage": stage}
    out = {"count": put(sc, "AWS/ApiGateway", "Count", d, "Count", count, integer=True, noise=0.06)}
    out["4xx"] = put(sc, "AWS/ApiGateway", "4XXError", d, "Count", c4xx, integer=True)
    out["5xx"] = put(sc, "AWS/ApiGateway", "5XXError", d, "Count", c5xx, integer=True)
    out["lat"] = put(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", latency, noise=0.1, digits=1)
    put(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
        integ or (lambda t: latency(t) * 0.9), noise=0.1, digits=1)
    return out


def ec2_metrics(sc, iid, cpu, mem=None, disk=None, status=None, net_in=None) -> dict:
    d = {"InstanceId": iid}
    out = {"cpu": put(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.07, cap=100.0)}
    put(sc, "AWS/EC2", "NetworkIn", d, "Bytes", net_in or (lambda t: 4.2e7), noise=0.12, digits=0)
    if status:
        put(sc, "AWS/EC2", "StatusCheckFailed_System", d, "Count", status, noise=0, digits=0)
        put(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", status, noise=0, digits=0)
    if mem:
        out["mem"] = put(sc, "CWAgent", "mem_used_percent", d, "Percent", mem, noise=0.02, cap=100.0)
    if disk:
        out["disk"] = put(sc, "CWAgent", "disk_used_percent", {**d, "path": "/", "fstype": "xfs"},
                          "Percent", disk, noise=0.001, cap=100.0)
    return out


def flat(v: float):
    return lambda t: v
