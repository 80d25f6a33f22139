"""Helpers shared by the set-70 builders: event sampling and per-service metric families."""
from __future__ import annotations

import json
import math

from .common import GRID, Scenario

LOG_FROM = -10800  # application logs cover the last three hours (metrics cover six)


# --------------------------------------------------------------------------- sampling
def pois(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam < 30:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


def emit(sc: Scenario, group: str, stream: str, start: float, end: float, rate, line) -> int:
    """Poisson events: rate(t) expected events per minute, line(t) -> text (or None)."""
    n_out = 0
    for m in GRID:
        if m < start or m >= end:
            continue
        n = pois(sc.rng, rate(m))
        for t in sorted(sc.rng.uniform(m, m + 60) for _ in range(n)):
            txt = line(t)
            if txt:
                sc.log(group, stream, t, txt)
                n_out += 1
    return n_out


def every(sc: Scenario, group: str, stream: str, start: float, end: float, period: float,
          line, jitter: float = 1.5, offset: float = 0.0) -> None:
    t = start + offset
    while t < end:
        txt = line(t)
        if txt:
            sc.log(group, stream, t + sc.rng.uniform(0, jitter), txt)
        t += period


def dmap(values: list) -> dict:
    return {t: v for t, v in zip(GRID, values) if v is not None}


def pick(sc: Scenario, items):
    return items[sc.rng.randrange(len(items))]


def wpick(sc: Scenario, pairs):
    """pairs: [(weight, item)]"""
    tot = sum(w for w, _ in pairs)
    x = sc.rng.uniform(0, tot)
    for w, it in pairs:
        x -= w
        if x <= 0:
            return it
    return pairs[-1][1]


def at_rate(values: list, t: float) -> float:
    """Per-minute value of a sampled series at time t (0 when missing)."""
    i = int((t - GRID[0]) // 60)
    if 0 <= i < len(values) and values[i] is not None:
        return values[i]
    return 0.0


# --------------------------------------------------------------------------- metric families
def lambda_metrics(sc: Scenario, fn: str, inv: list, err: list, dur: list,
                   thr: list | None = None, conc: list | None = None) -> None:
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds",
              [None if i is None or i == 0 else v for i, v in zip(inv, dur)])
    sc.metric("AWS/Lambda", "Throttles", d, "Count", thr or [0.0] * len(inv))
    if conc is None:
        conc = [None if i is None else float(max(1, math.ceil(i * (v or 0) / 60000.0 * 1.6)))
                for i, v in zip(inv, dur)]
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)


def alb_metrics(sc: Scenario, lb: str, req: list, t5xx: list, rt: list,
                e5xx: list | None = None, t4xx: list | None = None,
                unhealthy: list | None = None, tg: str | None = None) -> None:
    d = {"LoadBalancer": lb}
    ns = "AWS/ApplicationELB"
    sc.metric(ns, "RequestCount", d, "Count", req)
    sc.metric(ns, "HTTPCode_Target_5XX_Count", d, "Count", t5xx)
    sc.metric(ns, "HTTPCode_ELB_5XX_Count", d, "Count", e5xx or [0.0] * len(req))
    if t4xx is not None:
        sc.metric(ns, "HTTPCode_Target_4XX_Count", d, "Count", t4xx)
    sc.metric(ns, "TargetResponseTime", d, "Seconds", rt)
    if unhealthy is not None and tg:
        sc.metric(ns, "UnHealthyHostCount", {"TargetGroup": tg, "LoadBalancer": lb}, "Count",
                  unhealthy)


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


def rds_metrics(sc: Scenario, db: str, cpu: list, conns: list, free_gb: list,
                read_lat: list | None = None, write_lat: list | None = None,
                free_mem_gb: list | None = None) -> None:
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns)
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
              [None if v is None else float(round(v * 1024 ** 3)) for v in free_gb])
    if read_lat is not None:
        sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat)
    if write_lat is not None:
        sc.metric("AWS/RDS", "WriteLatency", d, "Seconds", write_lat)
    if free_mem_gb is not None:
        sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
                  [None if v is None else float(round(v * 1024 ** 3)) for v in free_mem_gb])


def ec2_metrics(sc: Scenario, iid: str, cpu: list, net_in: list | None = None,
                net_out: list | None = None, mem: list | None = None,
                disk: list | None = None, disk_path: str = "/", device: str = "nvme0n1p1",
                fstype: str = "xfs") -> None:
    d = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu)
    if net_in is not None:
        sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", net_in)
    if net_out is not None:
        sc.metric("AWS/EC2", "NetworkOut", d, "Bytes", net_out)
    if mem is not None:
        sc.metric("CWAgent", "mem_used_percent", d, "Percent", mem)
    if disk is not None:
        sc.metric("CWAgent", "disk_used_percent",
                  {"InstanceId": iid, "path": disk_path, "device": device, "fstype": fstype},
                  "Percent", disk)


# --------------------------------------------------------------------------- changes
def lambda_deploy(sc: Scenario, t: float, fn: str, user: str, publish: bool = True) -> None:
    sc.change(t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, user)
    if publish:
        sc.change(t + 9, "lambda.amazonaws.com", "PublishVersion20150331",
                  "AWS::Lambda::Function", fn, user)


def lambda_config(sc: Scenario, t: float, fn: str, user: str) -> None:
    sc.change(t, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, user)


def ecs_deploy(sc: Scenario, t: float, cluster: str, service: str, family: str, user: str) -> None:
    sc.change(t, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              family, user)
    sc.change(t + 14, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/{service}", user)


def meta(sc: Scenario, alarm_on: str, decoys: str, story: str) -> None:
    sc.meta = {"alarm_on": alarm_on, "decoys": decoys, "story": story}


def jdump(obj, **_kw) -> str:
    """Compact JSON, as runtimes and structured loggers emit it."""
    return json.dumps(obj, separators=(",", ":"))
