"""Reusable resource blocks: a Lambda function simulated invocation by invocation (metrics and
logs agree), plus standard metric sets for EC2 (with CWAgent), RDS, ECS, ALB and API Gateway."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from .common import METRIC_START, Scenario, poisson


@dataclass
class Outcome:
    duration_ms: float
    lines: list[str] = field(default_factory=list)     # app lines logged during the invocation
    error: bool = False
    timeout: bool = False
    max_mem: int | None = None
    tail: list[str] = field(default_factory=list)      # lines after the failure (runtime error report)


def lambda_block(s: Scenario, fn: str, rate: Callable[[int], float], invoke: Callable[[int, str], Outcome],
                 memory: int, log_from: int, throttles: Callable[[int], float] | None = None,
                 concurrency_cap: int | None = None, base_mem: int = 140, region: str | None = None,
                 stream_tag: str = "$LATEST", extra_minute_lines: Callable[[int], list] | None = None,
                 duration_max: bool = False) -> None:
    """Simulate every invocation; emit Invocations/Errors/Throttles/Duration/ConcurrentExecutions and logs."""
    rng = s.rng
    inv, err, thr, dur, conc = {}, {}, {}, {}, {}
    events: list = []
    for t in range(METRIC_START, 0, 60):
        n = poisson(rng, rate(t))
        errors, total_ms, max_ms = 0, 0.0, 0.0
        for _ in range(n):
            start = t + rng.random() * 57
            rid = s.uid()
            out = invoke(start, rid)
            errors += out.error or out.timeout
            total_ms += out.duration_ms
            max_ms = max(max_ms, out.duration_ms)
            if t < log_from:
                continue
            events.append((start, f"START RequestId: {rid} Version: {stream_tag}"))
            step = out.duration_ms / 1000 / (len(out.lines) + 2)
            for i, line in enumerate(out.lines):
                events.append((start + step * (i + 1), line))
            end = start + out.duration_ms / 1000
            for line in out.tail:
                events.append((end - 0.002, line))
            events.append((end + 0.001, f"END RequestId: {rid}"))
            mem = out.max_mem or (base_mem + rng.randint(0, 40))
            billed = math.ceil(out.duration_ms)
            report = (f"REPORT RequestId: {rid}\tDuration: {out.duration_ms:.2f} ms\tBilled Duration: {billed} ms\t"
                      f"Memory Size: {memory} MB\tMax Memory Used: {mem} MB")
            if out.timeout:
                report += "\tStatus: timeout"
            events.append((end + 0.002, report))
        if extra_minute_lines and t >= log_from:
            events.extend(extra_minute_lines(t))
        inv[t], err[t] = n, errors
        dur[t] = (max_ms if duration_max else total_ms / n) if n else None
        conc[t] = max(1, round(n / 60 * (total_ms / n / 1000))) if n else 0
        if concurrency_cap is not None:
            conc[t] = min(conc[t], concurrency_cap)
        thr[t] = poisson(rng, throttles(t)) if throttles else 0
    dims = {"FunctionName": fn}
    s.metric("AWS/Lambda", "Invocations", dims, "Count", lambda t: inv[t], 0, region)
    s.metric("AWS/Lambda", "Errors", dims, "Count", lambda t: err[t], 0, region)
    s.metric("AWS/Lambda", "Throttles", dims, "Count", lambda t: thr[t], 0, region)
    s.metric("AWS/Lambda", "Duration", dims, "Milliseconds", lambda t: dur[t], 2, region)
    s.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", lambda t: conc[t] if inv[t] else None, 0, region)
    stream = f"{_date_path(log_from)}/[{stream_tag}]{s.hexid()}"
    s.log(f"/aws/lambda/{fn}", stream, events, region)


def _date_path(t: int) -> str:
    from .common import stamp
    return stamp(t, "%Y/%m/%d")


def ec2_block(s: Scenario, iid: str, cpu: Callable, mem: Callable, disk: Callable, net_in: Callable,
              path: str = "/", fstype: str = "xfs", status: Callable | None = None, region: str | None = None) -> None:
    dims = {"InstanceId": iid}
    s.metric("AWS/EC2", "CPUUtilization", dims, "Percent", cpu, 3, region)
    s.metric("AWS/EC2", "NetworkIn", dims, "Bytes", net_in, 0, region)
    s.metric("AWS/EC2", "StatusCheckFailed", dims, "Count", status or (lambda t: 0), 0, region)
    s.metric("CWAgent", "mem_used_percent", dims, "Percent", mem, 3, region)
    s.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": path, "device": "nvme0n1p1",
                                              "fstype": fstype}, "Percent", disk, 3, region)


def rds_block(s: Scenario, db: str, cpu: Callable, conns: Callable, free_storage: Callable, freeable: Callable,
              read_lat: Callable, write_lat: Callable, write_iops: Callable, read_iops: Callable | None = None,
              region: str | None = None) -> None:
    dims = {"DBInstanceIdentifier": db}
    s.metric("AWS/RDS", "CPUUtilization", dims, "Percent", cpu, 3, region)
    s.metric("AWS/RDS", "DatabaseConnections", dims, "Count", conns, 0, region)
    s.metric("AWS/RDS", "FreeStorageSpace", dims, "Bytes", free_storage, 0, region)
    s.metric("AWS/RDS", "FreeableMemory", dims, "Bytes", freeable, 0, region)
    s.metric("AWS/RDS", "ReadLatency", dims, "Seconds", read_lat, 5, region)
    s.metric("AWS/RDS", "WriteLatency", dims, "Seconds", write_lat, 5, region)
    s.metric("AWS/RDS", "WriteIOPS", dims, "Count/Second", write_iops, 2, region)
    if read_iops:
        s.metric("AWS/RDS", "ReadIOPS", dims, "Count/Second", read_iops, 2, region)


def ecs_block(s: Scenario, cluster: str, service: str, cpu: Callable, mem: Callable, region: str | None = None) -> None:
    dims = {"ClusterName": cluster, "ServiceName": service}
    s.metric("AWS/ECS", "CPUUtilization", dims, "Percent", cpu, 3, region)
    s.metric("AWS/ECS", "MemoryUtilization", dims, "Percent", mem, 3, region)


def alb_block(s: Scenario, lb: str, requests: Callable, latency: Callable, target_5xx: Callable, elb_5xx: Callable,
              target_4xx: Callable, healthy: Callable, unhealthy: Callable, region: str | None = None) -> None:
    dims = {"LoadBalancer": lb}
    s.metric("AWS/ApplicationELB", "RequestCount", dims, "Count", requests, 0, region)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", dims, "Seconds", latency, 4, region)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Count", target_5xx, 0, region)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Count", elb_5xx, 0, region)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dims, "Count", target_4xx, 0, region)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", dims, "Count", healthy, 0, region)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", dims, "Count", unhealthy, 0, region)


def apigw_block(s: Scenario, api: str, count: Callable, e4: Callable, e5: Callable, latency: Callable,
                integ: Callable, region: str | None = None) -> None:
    dims = {"ApiName": api}
    s.metric("AWS/ApiGateway", "Count", dims, "Count", count, 0, region)
    s.metric("AWS/ApiGateway", "4XXError", dims, "Count", e4, 0, region)
    s.metric("AWS/ApiGateway", "5XXError", dims, "Count", e5, 0, region)
    s.metric("AWS/ApiGateway", "Latency", dims, "Milliseconds", latency, 2, region)
    s.metric("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds", integ, 2, region)


class Series:
    """Per-minute values computed once so several metrics (and logs) can agree."""

    def __init__(self, fn: Callable[[int], float]) -> None:
        self.values = {t: fn(t) for t in range(METRIC_START, 0, 60)}

    def __call__(self, t: int) -> float:
        return self.values[t]
