"""Metric families per AWS service, sparse log emitters and CloudTrail shorthands."""
from __future__ import annotations

import math

from .common import GRID, Scenario

LOG_START = -10800   # application logs are kept for the last three hours


def pois(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam < 30:
        lim, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p < lim:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


def emit(sc: Scenario, group: str, stream: str, rate, line, t0: float = LOG_START,
         t1: float = 0.0) -> None:
    """rate(t) -> expected events per minute; line(t) -> str | [(dt, str)] | None."""
    for m in GRID:
        if m < t0 or m >= t1:
            continue
        n = pois(sc.rng, rate(m))
        for s in sorted(sc.rng.uniform(max(m, t0), min(m + 60, t1)) for _ in range(n)):
            out = line(s)
            if out is None:
                continue
            if isinstance(out, str):
                sc.log(group, stream, s, out)
            else:
                for dt, txt in out:
                    sc.log(group, stream, s + dt, txt)


def every(sc: Scenario, group: str, stream: str, period: float, line, t0: float = LOG_START,
          t1: float = 0.0, jitter: float = 2.0) -> None:
    t = t0 + sc.rng.uniform(0, period)
    while t < t1:
        out = line(t)
        if out:
            sc.log(group, stream, t + sc.rng.uniform(0, jitter), out)
        t += period


def sample(values: list, cap: int, t0: float = LOG_START, t1: float = 0.0) -> dict:
    """{minute: min(count, cap)} from a per-minute series, for log generation."""
    return {t: min(cap, int(v)) for t, v in zip(GRID, values)
            if v is not None and t0 <= t < t1}


def scaled(values: list, other: list, cap: int, t0: float = LOG_START) -> dict:
    """Errors to log per minute, keeping the error share of `values` within `cap` samples."""
    out = {}
    for t, v, e in zip(GRID, values, other):
        if t < t0 or not v:
            continue
        n = min(cap, int(v))
        out[t] = int(round(n * min(1.0, (e or 0) / v)))
    return out


# --------------------------------------------------------------------------- metric families
def lambda_metrics(sc, fn, inv, err, dur, thr=None, conc=None):
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", thr or [0.0] * len(GRID))
    if conc is not None:
        sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)


def alb_metrics(sc, lb, req, rt, t5xx, e5xx, healthy, unhealthy, extra=None):
    d = {"LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy)
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy)
    for name, unit, vals in (extra or []):
        sc.metric("AWS/ApplicationELB", name, d, unit, vals)


def ecs_metrics(sc, cluster, service, cpu, mem):
    d = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem)


def rds_metrics(sc, db, cpu, conns, free_gb, read_lat, free_mem_gb, write_iops=None):
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns)
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
              [None if v is None else float(round(v * 1024 ** 3)) for v in free_gb])
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat)
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
              [None if v is None else float(round(v * 1024 ** 3)) for v in free_mem_gb])
    if write_iops is not None:
        sc.metric("AWS/RDS", "WriteIOPS", d, "Count/Second", write_iops)


def ec2_metrics(sc, iid, cpu, net_in, status, mem=None, disk=None):
    d = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", net_in)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", status)
    if mem is not None:
        sc.metric("CWAgent", "mem_used_percent", d, "Percent", mem)
    if disk is not None:
        sc.metric("CWAgent", "disk_used_percent",
                  {"InstanceId": iid, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"},
                  "Percent", disk)


def apigw_metrics(sc, api, count, e4, e5, lat, ilat):
    d = {"ApiName": api}
    sc.metric("AWS/ApiGateway", "Count", d, "Count", count)
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", e4)
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", e5)
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lat)
    sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", ilat)


def flat(v: float) -> list:
    return [float(v)] * len(GRID)


# --------------------------------------------------------------------------- CloudTrail shorthands
def lambda_code(sc, t, fn, user):
    sc.change(t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, user)
    sc.change(t + 9, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, user)


def lambda_config(sc, t, fn, user):
    sc.change(t, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, user)


def ecs_deploy(sc, t, cluster, service, user):
    sc.change(t, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              service, user)
    sc.change(t + 14, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/{service}", user)


def ecs_task_id(sc) -> str:
    return sc.hexid(32)
