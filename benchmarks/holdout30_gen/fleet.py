"""Metric families for ALBs, target groups, ECS services, EC2 instances, RDS and Lambda.

Every helper takes per-minute value lists aligned to core.GRID (or callables of t, evaluated with
light noise) so the scenario modules only describe shapes.
"""
from __future__ import annotations

from .core import GRID

ELB = "AWS/ApplicationELB"


def _v(sc, x, noise=0.0, rel=0.0, lo=0.0, hi=None, nd=3, integer=False):
    if isinstance(x, (int, float)):
        c = float(x)
        x = lambda t: c  # noqa: E731
    if callable(x):
        return sc.values(x, noise=noise, rel=rel, lo=lo, hi=hi, nd=nd, integer=integer)
    return list(x)


def add(a, b):
    return [None if (x is None or y is None) else x + y for x, y in zip(a, b)]


def alb(sc, lb, req, rt, t5xx, e5xx, t4xx=None, region=None):
    """Load-balancer level metrics. req/t5xx/e5xx/t4xx are count lists; rt is seconds (list or fn)."""
    d = {"LoadBalancer": lb}
    sc.metric(ELB, "RequestCount", d, "Count", req, region)
    sc.metric(ELB, "TargetResponseTime", d, "Seconds", _v(sc, rt, rel=0.06, nd=4), region)
    sc.metric(ELB, "HTTPCode_Target_5XX_Count", d, "Count", t5xx, region)
    sc.metric(ELB, "HTTPCode_ELB_5XX_Count", d, "Count", e5xx, region)
    if t4xx is None:
        t4xx = [float(sc.poisson(r * 0.021)) for r in req]
    sc.metric(ELB, "HTTPCode_Target_4XX_Count", d, "Count", t4xx, region)
    ok = [max(0.0, r - a - b - c) for r, a, b, c in zip(req, t5xx, e5xx, t4xx)]
    sc.metric(ELB, "HTTPCode_Target_2XX_Count", d, "Count", ok, region)


def tg(sc, lb, tgid, req, rt, t5xx, healthy, unhealthy, region=None):
    d = {"TargetGroup": tgid, "LoadBalancer": lb}
    sc.metric(ELB, "RequestCount", d, "Count", req, region)
    sc.metric(ELB, "TargetResponseTime", d, "Seconds", _v(sc, rt, rel=0.06, nd=4), region)
    sc.metric(ELB, "HTTPCode_Target_5XX_Count", d, "Count", t5xx, region)
    sc.metric(ELB, "HealthyHostCount", d, "Count", _v(sc, healthy, integer=True), region)
    sc.metric(ELB, "UnHealthyHostCount", d, "Count", _v(sc, unhealthy, integer=True), region)


def ecs(sc, cluster, service, cpu, mem, running, desired=None, mem_reserved_mb=None, region=None):
    d = {"ClusterName": cluster, "ServiceName": service}
    cpu_v = sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", _v(sc, cpu, noise=2.0, hi=100.0), region)
    mem_v = sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", _v(sc, mem, noise=0.8, hi=100.0), region)
    run = sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", _v(sc, running, integer=True), region)
    if desired is not None:
        sc.metric("ECS/ContainerInsights", "DesiredTaskCount", d, "Count", _v(sc, desired, integer=True), region)
    if mem_reserved_mb:
        used = [None if (m is None or r is None) else round(m / 100.0 * mem_reserved_mb * r, 1)
                for m, r in zip(mem_v, run)]
        sc.metric("ECS/ContainerInsights", "MemoryUtilized", d, "Megabytes", used, region)
    return cpu_v, mem_v


def ec2(sc, iid, cpu, mem=None, disk=None, netin=None, status=None, status_inst=None, region=None,
        disk_dims=None):
    d = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", _v(sc, cpu, noise=2.5, hi=100.0), region)
    if netin is not None:
        sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", _v(sc, netin, rel=0.12, nd=0), region)
    st = _v(sc, status) if status is not None else [0.0] * len(GRID)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", st, region)
    if status_inst is not None:
        sc.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", _v(sc, status_inst), region)
        sc.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", [0.0] * len(GRID), region)
    if mem is not None:
        sc.metric("CWAgent", "mem_used_percent", d, "Percent", _v(sc, mem, noise=0.7, hi=100.0), region)
    if disk is not None:
        dd = dict(disk_dims or {"InstanceId": iid, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"})
        sc.metric("CWAgent", "disk_used_percent", dd, "Percent", _v(sc, disk, noise=0.05, hi=100.0), region)


def rds(sc, db, cpu, conns, free_gb, freeable_gb, read_lat=0.0012, write_lat=0.0018, read_iops=None,
        write_iops=None, dqd=None, region=None, extra=None):
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", _v(sc, cpu, noise=1.8, hi=100.0), region)
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", _v(sc, conns, noise=1.5, integer=True), region)
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
              [None if v is None else round(v * 1e9) * 1.0 for v in _v(sc, free_gb, noise=0.02, nd=3)], region)
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
              [round(v * 1e9) * 1.0 for v in _v(sc, freeable_gb, noise=0.03, nd=3)], region)
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", _v(sc, read_lat, rel=0.15, nd=5), region)
    sc.metric("AWS/RDS", "WriteLatency", d, "Seconds", _v(sc, write_lat, rel=0.15, nd=5), region)
    if read_iops is not None:
        sc.metric("AWS/RDS", "ReadIOPS", d, "Count/Second", _v(sc, read_iops, rel=0.1, nd=1), region)
    if write_iops is not None:
        sc.metric("AWS/RDS", "WriteIOPS", d, "Count/Second", _v(sc, write_iops, rel=0.1, nd=1), region)
    if dqd is not None:
        sc.metric("AWS/RDS", "DiskQueueDepth", d, "Count", _v(sc, dqd, rel=0.2, nd=3), region)
    for name, unit, fn, kw in (extra or []):
        sc.metric("AWS/RDS", name, d, unit, _v(sc, fn, **kw), region)


def lam(sc, fn_name, inv, err, thr, dur, conc, region=None):
    d = {"FunctionName": fn_name}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv, region)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err, region)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", thr, region)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", _v(sc, dur, rel=0.08, nd=2), region)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, region)
