"""Metric families per service, shaped like what CloudWatch really publishes
(ALB error counters absent when zero, EC2 basic monitoring at five minutes, Lambda
metrics only in minutes with invocations, Container Insights task counts...)."""
from __future__ import annotations

import numpy as np

from .common import Ctx, metric

GB = 1024 ** 3


def alb_lb(ctx: Ctx, lb: str, req, *, t5xx=None, e5xx=None, e502=None, rt=None, t4xx=None,
           region: str | None = None) -> list[dict]:
    d = {"LoadBalancer": lb}
    ns = "AWS/ApplicationELB"
    out = [metric(ctx, ns, "RequestCount", d, "Count", req, integer=True, skip_zero=True, region=region)]
    if t5xx is not None:
        out.append(metric(ctx, ns, "HTTPCode_Target_5XX_Count", d, "Count", t5xx, integer=True,
                          skip_zero=True, region=region))
    if t4xx is not None:
        out.append(metric(ctx, ns, "HTTPCode_Target_4XX_Count", d, "Count", t4xx, integer=True,
                          skip_zero=True, region=region))
    if e5xx is not None:
        out.append(metric(ctx, ns, "HTTPCode_ELB_5XX_Count", d, "Count", e5xx, integer=True,
                          skip_zero=True, region=region))
    if e502 is not None:
        out.append(metric(ctx, ns, "HTTPCode_ELB_502_Count", d, "Count", e502, integer=True,
                          skip_zero=True, region=region))
    if rt is not None:
        out.append(metric(ctx, ns, "TargetResponseTime", d, "Seconds", rt, decimals=4, region=region))
    return out


def alb_tg(ctx: Ctx, lb: str, tg: str, req, *, t5xx=None, healthy=None, unhealthy=None, rt=None,
           region: str | None = None) -> list[dict]:
    d = {"TargetGroup": tg, "LoadBalancer": lb}
    ns = "AWS/ApplicationELB"
    out = [metric(ctx, ns, "RequestCount", d, "Count", req, integer=True, skip_zero=True, region=region)]
    if t5xx is not None:
        out.append(metric(ctx, ns, "HTTPCode_Target_5XX_Count", d, "Count", t5xx, integer=True,
                          skip_zero=True, region=region))
    if rt is not None:
        out.append(metric(ctx, ns, "TargetResponseTime", d, "Seconds", rt, decimals=4, region=region))
    if healthy is not None:
        out.append(metric(ctx, ns, "HealthyHostCount", d, "Count", healthy, integer=True, region=region))
    if unhealthy is not None:
        out.append(metric(ctx, ns, "UnHealthyHostCount", d, "Count", unhealthy, integer=True, region=region))
    return out


def ecs(ctx: Ctx, cluster: str, service: str, cpu, mem, running=None, *, region: str | None = None) -> list[dict]:
    d = {"ClusterName": cluster, "ServiceName": service}
    out = [metric(ctx, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, hi=100.0, region=region),
           metric(ctx, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, hi=100.0, region=region)]
    if running is not None:
        out.append(metric(ctx, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", running,
                          integer=True, region=region))
    return out


def lam(ctx: Ctx, fn: str, inv, err, dur, conc, *, thr=None, region: str | None = None) -> list[dict]:
    """Lambda publishes nothing in minutes without invocations or throttles."""
    d = {"FunctionName": fn}
    inv = np.round(np.asarray(inv, dtype=float))
    thr_a = np.zeros(ctx.n) if thr is None else np.round(np.asarray(thr, dtype=float))
    idle = (inv <= 0) & (thr_a <= 0)
    ran = inv <= 0
    out = [metric(ctx, "AWS/Lambda", "Invocations", d, "Count", inv, absent=idle, region=region),
           metric(ctx, "AWS/Lambda", "Errors", d, "Count", err, integer=True, absent=idle, region=region),
           metric(ctx, "AWS/Lambda", "Duration", d, "Milliseconds", dur, absent=ran, decimals=2, region=region),
           metric(ctx, "AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, integer=True, absent=idle,
                  region=region)]
    if thr is not None:
        out.append(metric(ctx, "AWS/Lambda", "Throttles", d, "Count", thr_a, absent=idle, region=region))
    else:
        out.append(metric(ctx, "AWS/Lambda", "Throttles", d, "Count", np.zeros(ctx.n), absent=idle,
                          region=region))
    return out


def rds(ctx: Ctx, db: str, *, cpu, conns, free_gb, freemem_gb, rlat=None, wlat=None, riops=None,
        wiops=None, region: str | None = None, every: int = 1) -> list[dict]:
    d = {"DBInstanceIdentifier": db}
    ns = "AWS/RDS"
    out = [metric(ctx, ns, "CPUUtilization", d, "Percent", cpu, hi=100.0, every=every, region=region),
           metric(ctx, ns, "DatabaseConnections", d, "Count", conns, integer=True, every=every, region=region),
           metric(ctx, ns, "FreeStorageSpace", d, "Bytes", np.asarray(free_gb) * GB, decimals=0, every=every,
                  region=region),
           metric(ctx, ns, "FreeableMemory", d, "Bytes", np.asarray(freemem_gb) * GB, decimals=0, every=every,
                  region=region)]
    for name, unit, vals in (("ReadLatency", "Seconds", rlat), ("WriteLatency", "Seconds", wlat),
                             ("ReadIOPS", "Count/Second", riops), ("WriteIOPS", "Count/Second", wiops)):
        if vals is not None:
            out.append(metric(ctx, ns, name, d, unit, vals, decimals=5 if unit == "Seconds" else 2,
                              every=every, region=region))
    return out


def ec2(ctx: Ctx, iid: str, *, cpu, net_in=None, net_out=None, status=None, sys_status=None,
        basic: bool = True, absent=None, region: str | None = None) -> list[dict]:
    """EC2 basic monitoring: CPU and network every five minutes; status checks every minute."""
    d = {"InstanceId": iid}
    every = 5 if basic else 1
    out = [metric(ctx, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, hi=100.0, every=every, absent=absent,
                  region=region)]
    if net_in is not None:
        out.append(metric(ctx, "AWS/EC2", "NetworkIn", d, "Bytes", net_in, decimals=0, every=every,
                          absent=absent, region=region))
    if net_out is not None:
        out.append(metric(ctx, "AWS/EC2", "NetworkOut", d, "Bytes", net_out, decimals=0, every=every,
                          absent=absent, region=region))
    st = np.zeros(ctx.n) if status is None else status
    out.append(metric(ctx, "AWS/EC2", "StatusCheckFailed", d, "Count", st, integer=True, region=region))
    if sys_status is not None:
        out.append(metric(ctx, "AWS/EC2", "StatusCheckFailed_System", d, "Count", sys_status, integer=True,
                          region=region))
        out.append(metric(ctx, "AWS/EC2", "StatusCheckFailed_Instance", d, "Count", np.zeros(ctx.n),
                          integer=True, region=region))
    return out


def cwagent_mem(ctx: Ctx, iid: str, vals, *, gaps: float = 0.01, region: str | None = None) -> dict:
    return metric(ctx, "CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", vals, hi=100.0,
                  gaps=gaps, region=region)


def cwagent_disk(ctx: Ctx, iid: str, vals, *, path: str = "/", device: str = "nvme0n1p1",
                 fstype: str = "xfs", gaps: float = 0.01, region: str | None = None) -> dict:
    return metric(ctx, "CWAgent", "disk_used_percent",
                  {"InstanceId": iid, "path": path, "device": device, "fstype": fstype}, "Percent", vals,
                  hi=100.0, gaps=gaps, region=region)


def apigw(ctx: Ctx, api: str, count, err4, err5, lat, integ_lat, *, stage: str | None = None,
          region: str | None = None) -> list[dict]:
    d = {"ApiName": api}
    if stage:
        d["Stage"] = stage
    ns = "AWS/ApiGateway"
    return [metric(ctx, ns, "Count", d, "Count", count, integer=True, region=region),
            metric(ctx, ns, "4XXError", d, "Count", err4, integer=True, region=region),
            metric(ctx, ns, "5XXError", d, "Count", err5, integer=True, region=region),
            metric(ctx, ns, "Latency", d, "Milliseconds", lat, decimals=1, region=region),
            metric(ctx, ns, "IntegrationLatency", d, "Milliseconds", integ_lat, decimals=1, region=region)]
