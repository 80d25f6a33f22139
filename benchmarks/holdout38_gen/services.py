"""Standard CloudWatch metric sets per service, each value a function of relative time."""
from __future__ import annotations

from typing import Callable

from .common import Scn, diurnal

F = Callable[[float], float]


def const(v: float) -> F:
    return lambda t: v


def alb(s: Scn, lb: str, req: F, trt: F, t5xx: F, e5xx: F, healthy: F, unhealthy: F,
        t4xx: F | None = None, tg: str | None = None) -> None:
    d = {"LoadBalancer": lb}
    n = s.noise
    s.metric("AWS/ApplicationELB", "RequestCount", d, "Count", lambda t: req(t) * (1 + n(0.05)), integer=True)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", lambda t: trt(t) * (1 + n(0.08)), lo=0.001)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", lambda t: t5xx(t) + n(0.35 * (t5xx(t) ** 0.5 + 0.3)), integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", lambda t: e5xx(t) + n(0.3 * (e5xx(t) ** 0.5 + 0.1)), integer=True)
    if t4xx is not None:
        s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", lambda t: t4xx(t) + n(t4xx(t) ** 0.5), integer=True)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, integer=True)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, integer=True)


def apigw(s: Scn, api: str, count: F, e4xx: F, e5xx: F, latency: F, integ: F | None = None) -> None:
    d = {"ApiName": api}
    n = s.noise
    s.metric("AWS/ApiGateway", "Count", d, "Count", lambda t: count(t) * (1 + n(0.06)), integer=True)
    s.metric("AWS/ApiGateway", "4XXError", d, "Count", lambda t: e4xx(t) + n(0.4 * (e4xx(t) ** 0.5 + 0.2)), integer=True)
    s.metric("AWS/ApiGateway", "5XXError", d, "Count", lambda t: e5xx(t) + n(0.35 * (e5xx(t) ** 0.5 + 0.1)), integer=True)
    s.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lambda t: latency(t) * (1 + n(0.08)), lo=1.0)
    if integ is not None:
        s.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", lambda t: integ(t) * (1 + n(0.08)), lo=1.0)


def rds(s: Scn, db: str, cpu: F, conns: F, free_storage: F, read_lat: F, freeable: F,
        write_lat: F | None = None, iops: F | None = None) -> None:
    d = {"DBInstanceIdentifier": db}
    n = s.noise
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent", lambda t: cpu(t) + n(2.5), hi=100.0)
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count", lambda t: conns(t), integer=True)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: free_storage(t) * (1 + n(0.0004)), nd=0)
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds", lambda t: read_lat(t) * (1 + abs(n(0.25))), nd=4)
    if write_lat is not None:
        s.metric("AWS/RDS", "WriteLatency", d, "Seconds", lambda t: write_lat(t) * (1 + abs(n(0.25))), nd=4)
    if iops is not None:
        s.metric("AWS/RDS", "WriteIOPS", d, "Count/Second", lambda t: iops(t) * (1 + n(0.07)), nd=1)
    s.metric("AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: freeable(t) * (1 + n(0.01)), nd=0)


def ec2(s: Scn, iid: str, cpu: F, net_in: F, status: F, mem: F, disk: F) -> None:
    d = {"InstanceId": iid}
    n = s.noise
    s.metric("AWS/EC2", "CPUUtilization", d, "Percent", lambda t: cpu(t) + n(3.0), hi=100.0)
    s.metric("AWS/EC2", "NetworkIn", d, "Bytes", lambda t: net_in(t) * (1 + n(0.1)), nd=0)
    s.metric("AWS/EC2", "StatusCheckFailed", d, "Count", status, integer=True)
    s.metric("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", lambda t: mem(t) + n(0.8), hi=100.0)
    s.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
             lambda t: disk(t) + n(0.05), hi=100.0)


def ecs(s: Scn, cluster: str, service: str, cpu: F, mem: F, running: F | None = None,
        desired: F | None = None) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    n = s.noise
    s.metric("AWS/ECS", "CPUUtilization", d, "Percent", lambda t: cpu(t) + n(2.0), hi=100.0)
    s.metric("AWS/ECS", "MemoryUtilization", d, "Percent", lambda t: mem(t) + n(1.0), hi=100.0)
    if running is not None:
        s.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, integer=True)
    if desired is not None:
        s.metric("ECS/ContainerInsights", "DesiredTaskCount", d, "Count", desired, integer=True)


def traffic(base: float, amp: float = 0.12, phase: float = 0.0) -> F:
    return lambda t: base * diurnal(t, amp, phase)
