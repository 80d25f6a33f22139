"""Set 97 helpers on top of the shared holdout57 building blocks: the set's Scenario subclass,
sparse log emitters and one-call metric families per AWS service."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, HISTORY, Scenario, bump, diurnal, ramp, step
from benchmarks.holdout57_gen.runtimes import LambdaLogs

__all__ = ["H97", "new", "emit", "every", "poisson", "put", "lam_metrics", "alb_metrics",
           "apigw_metrics", "rds_metrics", "ecs_metrics", "ec2_metrics", "lambda_run", "zero",
           "GRID", "HISTORY", "bump", "diurnal", "ramp", "step", "LambdaLogs", "meta"]


class H97(Scenario):
    prefix = "h97"


def new(num: int, slug: str, description: str, region: str, now_iso: str) -> H97:
    return H97(num, slug, description, region, seed=970_000 + num * 7919, now_iso=now_iso)


def meta(sc: H97, *, front: str, decoys: str, story: str, services: str, runtime: str,
         logfmt: str) -> None:
    """What the README needs besides expect: alarm placement, decoys, story, coverage."""
    sc.meta.update(front=front, decoys=decoys, story=story, services=services,
                   runtime=runtime, logfmt=logfmt)


def zero(_t: float) -> float:
    return 0.0


def poisson(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def emit(sc: H97, group: str, stream: str, rate, line, start: float = -HISTORY,
         end: float = 0.0) -> None:
    """About rate(t) events a minute; line(ts) gives a text, a list of (dt, text), or None."""
    for m in GRID:
        if m < start or m >= end:
            continue
        r = rate(m)
        if not r:
            continue
        for _ in range(poisson(sc.rng, r)):
            ts = m + sc.rng.uniform(0.0, 60.0)
            out = line(ts)
            if out is None:
                continue
            if isinstance(out, str):
                sc.log(group, stream, ts, out)
            else:
                for dt, text in out:
                    sc.log(group, stream, ts + dt, text)


def every(sc: H97, group: str, stream: str, period: float, line, start: float = -HISTORY,
          end: float = 0.0, jitter: float = 1.5) -> None:
    t = start + sc.rng.uniform(0, period)
    while t < end:
        ts = t + sc.rng.uniform(0, jitter)
        out = line(ts)
        if out:
            sc.log(group, stream, ts, out)
        t += period


def put(sc: H97, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> list:
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


# --------------------------------------------------------------------------- metric families
def lam_metrics(sc, fn, inv, err, dur, conc=None, thr=None):
    d = {"FunctionName": fn}
    inv_v = sc.series(inv, integer=True)
    err_v = [min(e, i) for e, i in zip(sc.series(err, integer=True), inv_v)]
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv_v)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err_v)
    put(sc, "AWS/Lambda", "Duration", d, "Milliseconds", dur, noise=0.07, digits=2)
    put(sc, "AWS/Lambda", "Throttles", d, "Count", thr or zero, integer=True)
    conc = conc or (lambda t: max(1.0, inv(t) * dur(t) / 60000.0))
    put(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, integer=True, floor=1)
    return inv_v, err_v


def alb_metrics(sc, lb, req, t5, rt, healthy, e5=zero, unhealthy=zero, e502=None, e503=None):
    d = {"LoadBalancer": lb}
    put(sc, "AWS/ApplicationELB", "RequestCount", d, "Count", req, integer=True)
    put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5, integer=True)
    put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5, integer=True)
    if e502:
        put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_502_Count", d, "Count", e502, integer=True)
    if e503:
        put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_503_Count", d, "Count", e503, integer=True)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.09, digits=4)
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, noise=0.0)
    put(sc, "AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, noise=0.0)
    return d


def apigw_metrics(sc, api, count, e4, e5, lat, integ=None):
    d = {"ApiName": api}
    put(sc, "AWS/ApiGateway", "Count", d, "Count", count, integer=True)
    put(sc, "AWS/ApiGateway", "4XXError", d, "Count", e4, integer=True)
    put(sc, "AWS/ApiGateway", "5XXError", d, "Count", e5, integer=True)
    put(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", lat, noise=0.08, digits=2)
    put(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
        integ or (lambda t: max(1.0, lat(t) - 14.0)), noise=0.08, digits=2)
    return d


def rds_metrics(sc, db, cpu, conns, free_gb, mem_gb, read_ms=lambda t: 1.1,
                write_ms=lambda t: 1.6, conn_cap=None):
    d = {"DBInstanceIdentifier": db}
    put(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)
    put(sc, "AWS/RDS", "DatabaseConnections", d, "Count", conns, integer=True, cap=conn_cap)
    put(sc, "AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: free_gb(t) * 1e9,
        noise=0.0004, digits=0)
    put(sc, "AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: mem_gb(t) * 1e9, noise=0.01,
        digits=0)
    put(sc, "AWS/RDS", "ReadLatency", d, "Seconds", lambda t: read_ms(t) / 1000, noise=0.12,
        digits=5)
    put(sc, "AWS/RDS", "WriteLatency", d, "Seconds", lambda t: write_ms(t) / 1000, noise=0.12,
        digits=5)
    return d


def ecs_metrics(sc, cluster, service, cpu, mem, running=None, mem_stat_max=None):
    d = {"ClusterName": cluster, "ServiceName": service}
    put(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)
    put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.03, cap=100.0)
    if running:
        put(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, noise=0.0)
    return d


def ec2_metrics(sc, iid, cpu, mem=None, disk=None, net_in=None, sys_fail=zero, inst_fail=zero,
                disk_path="/"):
    d = {"InstanceId": iid}
    put(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.07, cap=100.0)
    if net_in:
        put(sc, "AWS/EC2", "NetworkIn", d, "Bytes", net_in, noise=0.1, digits=0)
    put(sc, "AWS/EC2", "StatusCheckFailed_System", d, "Count", sys_fail, noise=0.0)
    put(sc, "AWS/EC2", "StatusCheckFailed_Instance", d, "Count", inst_fail, noise=0.0)
    put(sc, "AWS/EC2", "StatusCheckFailed", d, "Count",
        lambda t: max(sys_fail(t), inst_fail(t)), noise=0.0)
    if mem:
        put(sc, "CWAgent", "mem_used_percent", d, "Percent", mem, noise=0.02, cap=100.0)
    if disk:
        put(sc, "CWAgent", "disk_used_percent", {**d, "path": disk_path, "fstype": "xfs"},
            "Percent", disk, noise=0.0015, cap=100.0)
    return d


# --------------------------------------------------------------------------- lambda invocations
def lambda_run(ll: LambdaLogs, rate, errfrac, body, start: float = -4 * 3600, end: float = 0.0):
    """Logs a sample of invocations: about rate(t) a minute, a share errfrac(t) failing."""
    rng = ll.sc.rng
    inv, err = {}, {}
    for m in GRID:
        if m < start or m >= end:
            continue
        n = poisson(rng, rate(m))
        if n:
            inv[m] = n
            err[m] = sum(1 for _ in range(n) if rng.random() < errfrac(m))
    ll.run(inv, err, body)
