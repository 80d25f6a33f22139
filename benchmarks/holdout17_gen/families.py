"""Metric families of each service, and a per-call simulator so Lambda metrics and logs agree."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .core import Case


@dataclass
class Call:
    t: float
    duration_ms: float
    error: bool = False
    kind: str = "ok"
    data: dict = field(default_factory=dict)


def simulate(c: Case, rate_per_min: np.ndarray, make: Callable[[float], Call]) -> list[Call]:
    """Poisson arrivals per minute, each turned into a Call by ``make``."""
    calls: list[Call] = []
    for i, n in enumerate(c.poisson(rate_per_min)):
        for off in np.sort(c.rng.uniform(0, 60, int(n))):
            t = c.t[i] + float(off)
            if t < -0.5:
                calls.append(make(t))
    return calls


def per_minute(c: Case, calls: list[Call]) -> dict[str, np.ndarray]:
    n = len(c.t)
    inv = np.zeros(n)
    err = np.zeros(n)
    dur = np.zeros(n)
    busy = np.zeros(n + 2)
    for k in calls:
        i = int((k.t - c.t[0]) // 60)
        if not 0 <= i < n:
            continue
        inv[i] += 1
        err[i] += k.error
        dur[i] += k.duration_ms
        s, e = k.t, k.t + k.duration_ms / 1000
        j = i
        while s < e and j < n:
            edge = c.t[0] + (j + 1) * 60
            busy[j] += min(e, edge) - s
            s = edge
            j += 1
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = np.where(inv > 0, dur / np.maximum(inv, 1), np.nan)
    conc = np.ceil(busy[:n] / 60 * 1.3 + c.rng.uniform(0, 1.7, n) * (inv > 0))
    return {"Invocations": inv, "Errors": err, "Duration": avg, "ConcurrentExecutions": conc}


def lambda_metrics(c: Case, fn: str, agg: dict[str, np.ndarray], throttles: np.ndarray | None = None,
                   extra: dict[str, tuple[str, np.ndarray]] | None = None) -> None:
    d = {"FunctionName": fn}
    c.metric("AWS/Lambda", "Invocations", d, "Count", agg["Invocations"], nd=0)
    c.metric("AWS/Lambda", "Errors", d, "Count", agg["Errors"], nd=0)
    c.metric("AWS/Lambda", "Throttles", d, "Count", np.zeros(len(c.t)) if throttles is None else throttles, nd=0)
    c.metric("AWS/Lambda", "Duration", d, "Milliseconds", agg["Duration"], nd=2)
    c.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", agg["ConcurrentExecutions"], nd=0)
    for name, (unit, vals) in (extra or {}).items():
        c.metric("AWS/Lambda", name, d, unit, vals, nd=0)


def ec2_metrics(c: Case, iid: str, cpu: np.ndarray, net_in: np.ndarray, mem: np.ndarray | None = None,
                disk: np.ndarray | None = None, status: np.ndarray | None = None,
                status_system: np.ndarray | None = None) -> None:
    d = {"InstanceId": iid}
    c.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu, cap=100.0)
    c.metric("AWS/EC2", "NetworkIn", d, "Bytes", net_in, nd=0)
    c.metric("AWS/EC2", "NetworkOut", d, "Bytes", net_in * c.rng.uniform(1.8, 2.6), nd=0)
    zero = np.zeros(len(c.t))
    c.metric("AWS/EC2", "StatusCheckFailed", d, "Count", zero if status is None else status, nd=0)
    if status_system is not None:
        c.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", status_system, nd=0)
        c.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", zero, nd=0)
    if mem is not None:
        c.metric("CWAgent", "mem_used_percent", d, "Percent", mem, cap=100.0)
    if disk is not None:
        c.metric("CWAgent", "disk_used_percent", {**d, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"},
                 "Percent", disk, cap=100.0)


def rds_metrics(c: Case, db: str, cpu, conns, free_storage, freeable, read_lat, write_lat,
                read_iops=None, write_iops=None) -> None:
    d = {"DBInstanceIdentifier": db}
    c.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu, cap=100.0)
    c.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns, nd=0)
    c.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_storage, nd=0)
    c.metric("AWS/RDS", "FreeableMemory", d, "Bytes", freeable, nd=0)
    c.metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat, nd=5)
    c.metric("AWS/RDS", "WriteLatency", d, "Seconds", write_lat, nd=5)
    if read_iops is not None:
        c.metric("AWS/RDS", "ReadIOPS", d, "Count/Second", read_iops, nd=1)
    if write_iops is not None:
        c.metric("AWS/RDS", "WriteIOPS", d, "Count/Second", write_iops, nd=1)


def ecs_metrics(c: Case, cluster: str, service: str, cpu, mem, running=None, mem_stat_note: str = "") -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    c.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu, cap=100.0)
    c.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem, cap=100.0)
    if running is not None:
        c.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, nd=0)


def alb_metrics(c: Case, lb: str, req, trt, t5xx, e5xx, healthy, unhealthy, e503=None, t4xx=None,
                tg: str | None = None) -> None:
    d = {"LoadBalancer": lb}
    c.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req, nd=0)
    c.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", trt, nd=4)
    c.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx, nd=0)
    if t4xx is not None:
        c.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4xx, nd=0)
    c.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx, nd=0)
    if e503 is not None:
        c.metric("AWS/ApplicationELB", "HTTPCode_ELB_503_Count", d, "Count", e503, nd=0)
    hd = {"TargetGroup": tg, "LoadBalancer": lb} if tg else d
    c.metric("AWS/ApplicationELB", "HealthyHostCount", hd, "Count", healthy, nd=0)
    c.metric("AWS/ApplicationELB", "UnHealthyHostCount", hd, "Count", unhealthy, nd=0)


def apigw_metrics(c: Case, api: str, count, e4, e5, latency, integ) -> None:
    d = {"ApiName": api}
    c.metric("AWS/ApiGateway", "Count", d, "Count", count, nd=0)
    c.metric("AWS/ApiGateway", "4XXError", d, "Count", e4, nd=0)
    c.metric("AWS/ApiGateway", "5XXError", d, "Count", e5, nd=0)
    c.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", latency, nd=2)
    c.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", integ, nd=2)


def minute_index(c: Case, t: float) -> int:
    return int((t - c.t[0]) // 60)


def counts_by_minute(c: Case, times: list[float]) -> np.ndarray:
    out = np.zeros(len(c.t))
    for t in times:
        i = minute_index(c, t)
        if 0 <= i < len(out):
            out[i] += 1
    return out


def arrivals(c: Case, rate_per_min, start: float = -10800.0) -> list[tuple[float, int]]:
    """Times (and their minute index) of sampled log-worthy events at the given per-minute rate."""
    rate = np.broadcast_to(np.asarray(rate_per_min, dtype=float), (len(c.t),))
    out: list[tuple[float, int]] = []
    for i, t0 in enumerate(c.t):
        if t0 < start:
            continue
        for off in np.sort(c.rng.uniform(0, 60, int(c.rng.poisson(max(rate[i], 0))))):
            if t0 + off < -0.2:
                out.append((float(t0 + off), i))
    return out
