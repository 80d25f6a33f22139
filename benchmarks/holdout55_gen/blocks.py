"""Metric bundles per AWS service (namespaces, names, units and dimensions as CloudWatch publishes them)."""
from __future__ import annotations

from .kit import Scenario, counts, series


def alb(scn: Scenario, lb: str, *, req, rt, t5xx, e5xx=None, t4xx=None, healthy=None, unhealthy=None,
        region: str | None = None) -> None:
    d = {"LoadBalancer": lb}
    rng = scn.rng
    scn.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req, region)
    scn.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, region)
    scn.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx, region)
    scn.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
               t4xx if t4xx is not None else [float(round(r * 0.012 * rng.uniform(0.6, 1.4))) for r in req], region)
    scn.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
               e5xx if e5xx is not None else counts(rng, lambda t: 0.05), region)
    if healthy is not None:
        scn.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, region)
        scn.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count",
                   unhealthy if unhealthy is not None else [0.0] * len(healthy), region)


def ecs(scn: Scenario, cluster: str, service: str, *, cpu, mem, running=None, region: str | None = None) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    scn.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu, region)
    scn.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem, region)
    if running is not None:
        scn.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, region)


def rds(scn: Scenario, db: str, *, cpu, conns, free_storage, freeable_mem, read_lat=None, write_lat=None,
        extra: dict | None = None, region: str | None = None) -> None:
    d = {"DBInstanceIdentifier": db}
    rng = scn.rng
    scn.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu, region)
    scn.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns, region)
    scn.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_storage, region)
    scn.metric("AWS/RDS", "FreeableMemory", d, "Bytes", freeable_mem, region)
    scn.metric("AWS/RDS", "ReadLatency", d, "Seconds",
               read_lat if read_lat is not None else series(rng, lambda t: 0.0015, 0.25, nd=5), region)
    scn.metric("AWS/RDS", "WriteLatency", d, "Seconds",
               write_lat if write_lat is not None else series(rng, lambda t: 0.0021, 0.25, nd=5), region)
    for (name, unit), vals in (extra or {}).items():
        scn.metric("AWS/RDS", name, d, unit, vals, region)


def ec2(scn: Scenario, iid: str, *, cpu, net_in, mem=None, disk=None, status=None, disk_path: str = "/",
        fstype: str = "xfs", region: str | None = None, gaps: tuple = (), status_system=None) -> None:
    d = {"InstanceId": iid}
    rng = scn.rng
    scn.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu, region, gaps)
    scn.metric("AWS/EC2", "NetworkIn", d, "Bytes", net_in, region, gaps)
    scn.metric("AWS/EC2", "StatusCheckFailed", d, "Count", status if status is not None else [0.0] * 360, region)
    if status_system is not None:
        scn.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", status_system, region)
        scn.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", [0.0] * 360, region)
    if mem is not None:
        scn.metric("CWAgent", "mem_used_percent", d, "Percent", mem, region, gaps)
    if disk is not None:
        scn.metric("CWAgent", "disk_used_percent", {**d, "path": disk_path, "fstype": fstype}, "Percent", disk,
                   region, gaps)
    _ = rng


def apigw(scn: Scenario, api: str, *, count, e4xx, e5xx, latency, integ=None, region: str | None = None) -> None:
    d = {"ApiName": api}
    scn.metric("AWS/ApiGateway", "Count", d, "Count", count, region)
    scn.metric("AWS/ApiGateway", "4XXError", d, "Count", e4xx, region)
    scn.metric("AWS/ApiGateway", "5XXError", d, "Count", e5xx, region)
    scn.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", latency, region)
    if integ is not None:
        scn.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", integ, region)


GiB = 1024 ** 3
