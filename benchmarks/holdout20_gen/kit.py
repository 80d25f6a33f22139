"""Per-service building blocks: the standard metric sets of each AWS service and the stream layout
of Lambda, ECS and EC2 log groups."""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import logfmt as lf
from .common import Scn

GB = 1024 ** 3

# make(t, rid) -> (body lines as (offset s, text), duration ms, max memory used MB, status or None)
Maker = Callable[[float, str], tuple[list[tuple[float, str]], float, int, "str | None"]]


# ---- Lambda -----------------------------------------------------------------------------------
def lambda_metrics(s: Scn, fn: str, inv: np.ndarray, err: np.ndarray, dur_ms: np.ndarray,
                   throttles: np.ndarray | None = None, conc: np.ndarray | None = None) -> None:
    d = {"FunctionName": fn}
    s.metric("AWS/Lambda", "Invocations", d, "Count", inv, 0)
    s.metric("AWS/Lambda", "Errors", d, "Count", err, 0)
    s.metric("AWS/Lambda", "Throttles", d, "Count", throttles if throttles is not None else np.zeros_like(inv), 0)
    s.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur_ms, 2)
    if conc is None:
        conc = np.maximum(0, np.round(inv / 60.0 * dur_ms / 1000.0 * 1.8 + s.rng.poisson(0.6, inv.shape)))
    s.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, 0)


def lambda_logs(s: Scn, fn: str, inv: np.ndarray, err: np.ndarray, frac: float, ok: Maker, bad: Maker,
                runtime: str, mem: int, version_of: Callable[[float], str] = lambda t: "$LATEST",
                envs: int = 3, life: float = 5400.0, init_ms: tuple[float, float] = (250, 600),
                start: float = -21600, recycle: tuple = (), banner: Callable[[float, str, str], str] | None = None) -> None:
    """Logged subset of the invocations, one stream per execution environment; an environment's
    first invocation is a cold start (INIT_START and Init Duration)."""
    n_log, n_bad = s.sample_minutes(inv, err, frac)
    streams: dict[tuple, list] = {}
    names: dict[tuple, str] = {}
    for i, (n, b) in enumerate(zip(n_log, n_bad)):
        if n == 0 or s.t[i] < start:
            continue
        times = s.t[i] + np.sort(s.rng.uniform(0.0, 59.0, n))
        flags = np.zeros(n, dtype=bool)
        flags[s.rng.choice(n, b, replace=False)] = True
        for tt, f in zip(times, flags):
            ver = version_of(tt)
            key = (ver, int(s.rng.integers(envs)), int((tt + 21600) // life), sum(tt >= r for r in recycle))
            rid = s.uuid()
            body, dur, used, status = (bad if f else ok)(float(tt), rid)
            cold = key not in streams
            init = (runtime, float(s.rng.uniform(*init_ms))) if cold else None
            if cold and banner is not None:
                body = [(0.001, banner(float(tt), rid, ver))] + body
            if cold:
                names[key] = f"{s.stamp(tt, '%Y/%m/%d')}/[{ver}]{s.hexs(32)}"
                streams[key] = []
            streams[key].extend(lf.invocation(s, float(tt), rid, body, dur, mem, used, ver, init, status))
    for key, evs in streams.items():
        s.log(f"/aws/lambda/{fn}", names[key], evs)


# ---- ECS / EC2 streams ------------------------------------------------------------------------
class Tasks:
    """ECS tasks of a service over time: (task id, started, stopped)."""

    def __init__(self, s: Scn, service: str, container: str | None = None):
        self.s, self.service, self.container = s, service, container or service
        self.tasks: list[list] = []
        self.events: dict[str, list] = {}

    def add(self, started: float, stopped: float = 1.0) -> str:
        tid = self.s.hexs(32)
        self.tasks.append([tid, started, stopped])
        self.events[tid] = []
        return tid

    def running(self, t: float) -> list[str]:
        return [tid for tid, a, b in self.tasks if a <= t < b]

    def emit(self, t: float, line: str, tid: str | None = None) -> None:
        if tid is None:
            live = self.running(t)
            if not live:
                return
            tid = live[int(self.s.rng.integers(len(live)))]
        self.events[tid].append((t, line))

    def flush(self, group: str) -> None:
        for tid, evs in self.events.items():
            if evs:
                self.s.log(group, f"{self.service}/{self.container}/{tid}", evs)


# ---- standard metric sets ---------------------------------------------------------------------
def rds_metrics(s: Scn, db: str, cpu, conns, free_gb, mem_gb, read_lat, write_lat,
                read_iops=None, write_iops=None, queue=None) -> None:
    d = {"DBInstanceIdentifier": db}
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu, 2)
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count", np.round(conns), 0)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", np.asarray(free_gb) * GB, 0)
    s.metric("AWS/RDS", "FreeableMemory", d, "Bytes", np.asarray(mem_gb) * GB, 0)
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat, 5)
    s.metric("AWS/RDS", "WriteLatency", d, "Seconds", write_lat, 5)
    if read_iops is not None:
        s.metric("AWS/RDS", "ReadIOPS", d, "Count/Second", read_iops, 1)
    if write_iops is not None:
        s.metric("AWS/RDS", "WriteIOPS", d, "Count/Second", write_iops, 1)
    if queue is not None:
        s.metric("AWS/RDS", "DiskQueueDepth", d, "Count", queue, 3)


def alb_metrics(s: Scn, lb: str, req, rt, t5xx, elb5xx, healthy, unhealthy, t4xx=None,
                conn_err=None, elb502=None) -> None:
    d = {"LoadBalancer": lb}
    s.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req, 0)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, 4)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", d, "Count",
             np.maximum(0, req - t5xx - (t4xx if t4xx is not None else 0) - elb5xx), 0)
    if t4xx is not None:
        s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4xx, 0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx, 0)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", elb5xx, 0)
    if elb502 is not None:
        s.metric("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", d, "Count", elb502, 0)
    if conn_err is not None:
        s.metric("AWS/ApplicationELB", "TargetConnectionErrorCount", d, "Count", conn_err, 0)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, 0)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, 0)


def ec2_metrics(s: Scn, iid: str, cpu, net_in, mem=None, disk=None, status=None,
                status_system=None, keep=None) -> None:
    d = {"InstanceId": iid}
    s.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu, 2, keep=keep)
    s.metric("AWS/EC2", "NetworkIn", d, "Bytes", net_in, 0, keep=keep)
    s.metric("AWS/EC2", "StatusCheckFailed", d, "Count",
             status if status is not None else np.zeros_like(s.t), 0)
    if status_system is not None:
        s.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", status_system, 0)
        s.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", np.zeros_like(s.t), 0)
    if mem is not None:
        s.metric("CWAgent", "mem_used_percent", d, "Percent", mem, 2, keep=keep)
    if disk is not None:
        s.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"},
                 "Percent", disk, 2, keep=keep)


def ecs_metrics(s: Scn, cluster: str, service: str, cpu, mem, running=None) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    s.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu, 2)
    s.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem, 2)
    if running is not None:
        s.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, 0, every=1)


def apigw_metrics(s: Scn, api: str, count, e4, e5, latency, integ=None) -> None:
    d = {"ApiName": api}
    s.metric("AWS/ApiGateway", "Count", d, "Count", count, 0)
    s.metric("AWS/ApiGateway", "4XXError", d, "Count", e4, 0)
    s.metric("AWS/ApiGateway", "5XXError", d, "Count", e5, 0)
    s.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", latency, 2)
    if integ is not None:
        s.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", integ, 2)
