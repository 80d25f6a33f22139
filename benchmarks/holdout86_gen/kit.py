"""Set-86 additions to the holdout57 helpers: the h86 scenario class, per-service metric bundles,
sparse log sprinkling and sampled Lambda invocation logs. Only what common.py/runtimes.py lack."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, Scenario as _Base, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs

GB = 1024 ** 3


class Scenario(_Base):
    prefix = "h86"


def new(num: int, slug: str, description: str, region: str, now_iso: str) -> Scenario:
    sc = Scenario(num, slug, description, region, seed=86000 + 97 * num, now_iso=now_iso)
    return sc


# --------------------------------------------------------------------------- small helpers
def poisson(sc: Scenario, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(sc.rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= sc.rng.random()
        if p <= limit:
            return k
        k += 1


def load(sc: Scenario, peak_hour: float = 20.0, amp: float = 0.3):
    """An evening-peaked player-load factor (gaming traffic peaks in the local evening)."""
    return lambda t: diurnal(sc, t, peak_hour=peak_hour, amp=amp)


def sprinkle(sc: Scenario, group: str, stream: str, start: float, end: float, rate, line) -> None:
    """Poisson events per minute between start and end; rate is a number or rate(t);
    line(t) returns the text (or None to skip)."""
    m = int(start // 60 * 60)
    while m < end:
        lam = rate(m) if callable(rate) else rate
        for _ in range(poisson(sc, lam)):
            t = m + sc.rng.uniform(0, 60)
            if start <= t < end:
                txt = line(t)
                if txt:
                    sc.log(group, stream, t, txt)
        m += 60


def every(sc: Scenario, group: str, stream: str, start: float, end: float, period: float, line,
          jitter: float = 0.4) -> None:
    t = start
    while t < end:
        tt = t + sc.rng.uniform(0, jitter)
        txt = line(tt)
        if txt:
            sc.log(group, stream, tt, txt)
        t += period


def rid(sc: Scenario, n: int = 17) -> str:
    return "i-0" + sc.hexid(n - 1)


def task_id(sc: Scenario) -> str:
    return sc.hexid(32)


# --------------------------------------------------------------------------- metric bundles
def put(sc, ns, name, dims, unit, fn, **kw):
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


def lambda_metrics(sc, fn, inv, err, dur, thr=None, conc=None, noise=0.06, exact=False,
                   dur_cap=None, conc_cap=None):
    """Invocations/Errors/Throttles/Duration/ConcurrentExecutions; returns (I, E) lists.
    exact: counts are round(fn(t)) with no noise (scheduled invocations)."""
    d = {"FunctionName": fn}
    if exact:
        inv_v = [float(round(inv(t))) for t in GRID]
        err_v = [float(round(err(t))) for t in GRID]
    else:
        inv_v = sc.series(inv, integer=True)
        err_v = sc.series(err, integer=True)
    err_v = [None if i is None else min(e or 0.0, i) for e, i in zip(err_v, inv_v)]
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv_v)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err_v)
    thr_v = sc.series(thr or (lambda t: 0.0), integer=True)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", [None if i is None else v for v, i in zip(thr_v, inv_v)])
    dur_v = sc.series(dur, noise=noise, cap=dur_cap)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur_v)
    if conc is None:
        conc_v = [max(1.0, round(i * dv / 60000.0 * sc.rng.uniform(1.1, 1.6))) if i else 0.0
                  for i, dv in zip(inv_v, dur_v)]
    else:
        conc_v = sc.series(conc, integer=True, cap=conc_cap)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc_v)
    return inv_v, err_v


def alb_metrics(sc, lb, req, tgt5, elb5, rt, healthy, unhealthy=lambda t: 0.0, tgt4=None):
    d = {"LoadBalancer": lb}
    r = put(sc, "AWS/ApplicationELB", "RequestCount", d, "Count", req, integer=True)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.08, digits=4)
    t5 = put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", tgt5, integer=True)
    e5 = put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", elb5, integer=True)
    if tgt4:
        put(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", tgt4, integer=True)
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, noise=0.0, digits=0)
    put(sc, "AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, noise=0.0, digits=0)
    return r, t5, e5


def ecs_metrics(sc, cluster, service, cpu, mem, tasks):
    d = {"ClusterName": cluster, "ServiceName": service}
    put(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)
    put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.015, cap=100.0)
    put(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", tasks, noise=0.0, digits=0)


def rds_metrics(sc, db, cpu, conns, free_gb, mem_gb, read_lat=lambda t: 0.0012,
                write_lat=lambda t: 0.0021, conn_cap=None):
    d = {"DBInstanceIdentifier": db}
    put(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.08, cap=100.0)
    c = put(sc, "AWS/RDS", "DatabaseConnections", d, "Count", conns, noise=0.03, digits=0,
            cap=conn_cap)
    put(sc, "AWS/RDS", "FreeStorageSpace", d, "Bytes",
        lambda t: max(0.0, free_gb(t)) * GB, noise=0.0005, digits=0)
    put(sc, "AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: mem_gb(t) * GB, noise=0.01, digits=0)
    put(sc, "AWS/RDS", "ReadLatency", d, "Seconds", read_lat, noise=0.15, digits=5)
    put(sc, "AWS/RDS", "WriteLatency", d, "Seconds", write_lat, noise=0.15, digits=5)
    return c


def ec2_metrics(sc, iid, cpu, net_in, status=lambda t: 0.0, sys_status=None, mem=None, disk=None):
    d = {"InstanceId": iid}
    put(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.07, cap=100.0)
    put(sc, "AWS/EC2", "NetworkIn", d, "Bytes", net_in, noise=0.1, digits=0)
    put(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", status, noise=0.0, digits=0)
    if sys_status:
        put(sc, "AWS/EC2", "StatusCheckFailed_System", d, "Count", sys_status, noise=0.0, digits=0)
    if mem:
        put(sc, "CWAgent", "mem_used_percent", d, "Percent", mem, noise=0.01)
    if disk:
        put(sc, "CWAgent", "disk_used_percent", {**d, "path": "/", "fstype": "xfs"}, "Percent",
            disk, noise=0.001)


def apigw_metrics(sc, api, count, e4, e5, lat, integ=None):
    d = {"ApiName": api}
    c = put(sc, "AWS/ApiGateway", "Count", d, "Count", count, integer=True)
    put(sc, "AWS/ApiGateway", "4XXError", d, "Count", e4, integer=True)
    x5 = put(sc, "AWS/ApiGateway", "5XXError", d, "Count", e5, integer=True)
    put(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", lat, noise=0.08)
    if integ:
        put(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", integ, noise=0.08)
    return c, x5


# --------------------------------------------------------------------------- lambda logs
def sample_logs(sc: Scenario, ll: LambdaLogs, inv: list, err: list, start: float, per_min: float,
                body, end: float = 0.0) -> None:
    """Log a Poisson sample of about per_min invocations a minute (never more than ran), keeping
    the minute's error share, between start and end."""
    inv_s, err_s = {}, {}
    for t, n, e in zip(GRID, inv, err):
        if t < start or t >= end or not n:
            continue
        k = min(int(n), poisson(sc, per_min))
        if not k:
            continue
        share = e / n
        ek = sum(1 for _ in range(k) if sc.rng.random() < share)
        if e and not ek and sc.rng.random() < min(1.0, e / max(per_min, 1.0)):
            ek = 1
        inv_s[t], err_s[t] = k, ek
    ll.run(inv_s, err_s, body)


def region_change(sc: Scenario, t, source, event, rtype, rname, user, region: str) -> None:
    sc.change(t, source, event, rtype, rname, user)
    sc.changes[-1]["region"] = region


__all__ = ["GB", "GRID", "Scenario", "new", "poisson", "load", "sprinkle", "every", "rid", "task_id",
           "put", "lambda_metrics", "alb_metrics", "ecs_metrics", "rds_metrics", "ec2_metrics",
           "apigw_metrics", "sample_logs", "region_change", "ramp", "LambdaLogs"]
