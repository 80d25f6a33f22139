"""Higher-level builders for set 59: per-service metric families and sparse log streams."""
from __future__ import annotations

import math

from .common import GRID, HISTORY, Scenario

LOG_START = -14400  # log history kept for the last four hours (baseline before every onset)


# --------------------------------------------------------------------------- random helpers
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


def pick(sc: Scenario, weighted: list):
    """weighted: [(weight, value), ...]"""
    total = sum(w for w, _ in weighted)
    x = sc.rng.uniform(0, total)
    for w, v in weighted:
        x -= w
        if x <= 0:
            return v
    return weighted[-1][1]


def as_map(values: list) -> dict:
    return {t: v for t, v in zip(GRID, values) if v is not None}


# --------------------------------------------------------------------------- log streams
def events(sc: Scenario, group: str, stream: str, rate, line, start: float = LOG_START,
           end: float = 0) -> None:
    """rate(t) -> expected events per minute; line(t) -> text (or None to skip)."""
    for m in range(int(start), int(end), 60):
        for _ in range(poisson(sc, rate(m))):
            t = m + sc.rng.uniform(0, 60)
            txt = line(t)
            if txt:
                sc.log(group, stream, t, txt)


def periodic(sc: Scenario, group: str, stream: str, every: float, line, start: float = LOG_START,
             end: float = 0, jitter: float = 3.0) -> None:
    t = start + sc.rng.uniform(0, every)
    while t < end:
        txt = line(t)
        if txt:
            sc.log(group, stream, t + sc.rng.uniform(0, jitter), txt)
        t += every


def sample_invocations(sc: Scenario, inv: list, err: list, frac: float, start: float = LOG_START,
                       end: float = 0):
    """Thin the metric counts to a log sample keeping the error ratio per minute."""
    li, le = {}, {}
    for t, n, e in zip(GRID, inv, err):
        if t < start or t >= end or not n:
            continue
        k = sum(1 for _ in range(int(n)) if sc.rng.random() < frac) if n < 400 else \
            int(round(n * frac + sc.rng.gauss(0, math.sqrt(n * frac))))
        if k <= 0:
            continue
        p = min(1.0, (e or 0) / n)
        li[t] = k
        le[t] = sum(1 for _ in range(k) if sc.rng.random() < p)
    return li, le


# --------------------------------------------------------------------------- metric families
def lambda_metrics(sc: Scenario, fn: str, inv: list, err: list, dur: list, throttles=None,
                   conc=None) -> None:
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", throttles or [0.0] * len(GRID))
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur)
    if conc is None:
        conc = [max(1.0, round((i or 0) * (du or 0) / 60000.0 + 0.4)) for i, du in zip(inv, dur)]
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)


def alb_metrics(sc: Scenario, lb: str, req: list, t5xx: list, rt: list, e5xx=None, t4xx=None,
                healthy=None, unhealthy=None) -> None:
    d = {"LoadBalancer": lb}
    n = len(GRID)
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx or [0.0] * n)
    if t4xx is not None:
        sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4xx)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt)
    if healthy is not None:
        sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy)
        sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy or [0.0] * n)


def apigw_metrics(sc: Scenario, api: str, count: list, e4: list, e5: list, lat: list,
                  ilat: list | None = None) -> None:
    d = {"ApiName": api}
    sc.metric("AWS/ApiGateway", "Count", d, "Count", count)
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", e4)
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", e5)
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lat)
    if ilat is not None:
        sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", ilat)


def ecs_metrics(sc: Scenario, cluster: str, service: str, cpu: list, mem: list,
                running: list | None = None) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem)
    if running is not None:
        sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running)


def rds_metrics(sc: Scenario, db: str, cpu: list, conns: list, free_storage: list,
                read_lat: list, freeable_mem: list, extra: dict | None = None) -> None:
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns)
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_storage)
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat)
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes", freeable_mem)
    for name, (unit, vals) in (extra or {}).items():
        sc.metric("AWS/RDS", name, d, unit, vals)


def ec2_metrics(sc: Scenario, iid: str, cpu: list, mem: list | None = None,
                disk: list | None = None, net_in: list | None = None, fstype: str = "xfs") -> None:
    d = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", [0.0] * len(GRID))
    if net_in is not None:
        sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", net_in)
    if mem is not None:
        sc.metric("CWAgent", "mem_used_percent", d, "Percent", mem)
    if disk is not None:
        sc.metric("CWAgent", "disk_used_percent",
                  {"InstanceId": iid, "path": "/", "device": "nvme0n1p1", "fstype": fstype},
                  "Percent", disk)


def flat_rds(sc: Scenario, db: str, cpu_fn, conn_fn, storage_gb: float, used_gb: float,
             mem_gb: float, extra: dict | None = None, cpu_noise: float = 0.08) -> None:
    """An RDS instance with the usual noise; cpu_fn/conn_fn give the shape."""
    free = storage_gb - used_gb
    rds_metrics(
        sc, db,
        cpu=sc.series(cpu_fn, noise=cpu_noise, floor=1.0, cap=100.0),
        conns=sc.series(conn_fn, integer=True, noise=0.02),
        free_storage=sc.series(lambda t: free * 1e9, noise=0.0004, digits=0),
        read_lat=sc.series(lambda t: 0.0012, noise=0.2, digits=5),
        freeable_mem=sc.series(lambda t: mem_gb * 1e9, noise=0.03, digits=0),
        extra=extra)


def check_alarm(sc: Scenario, name: str, latest: float, earliest: float = -HISTORY) -> None:
    a = next(a for a in sc.alarms if a["name"] == name)
    assert a["state"] == "ALARM", (sc.name, name, a["state"], a["state_reason"])
    assert earliest <= a["state_changed"] <= latest, (sc.name, name, a["state_changed"])
