"""Metric-set helpers per AWS service (names, units and dimensions as CloudWatch publishes them)."""
from __future__ import annotations

from typing import Callable

from .core import Scenario, series

Src = Callable[[int], float] | list


def add(scn: Scenario, namespace: str, dims: dict, name: str, unit: str, src: Src, **kw) -> list:
    pts = src if isinstance(src, list) else series(src, **kw)
    return scn.metric(namespace, name, dims, unit, pts)


def ec2_set(scn: Scenario, iid: str, cpu: Src, mem: Src, disk: Src, net_in: Src, net_out: Src,
            status: Src | None = None, step: int = 60, agent_step: int = 60, path: str = "/",
            fstype: str = "xfs", status_instance: Src | None = None) -> dict:
    d = {"InstanceId": iid}
    zero = (lambda t: 0.0)
    out = {
        "CPUUtilization": add(scn, "AWS/EC2", d, "CPUUtilization", "Percent", cpu, step=step, lo=0, hi=100),
        "NetworkIn": add(scn, "AWS/EC2", d, "NetworkIn", "Bytes", net_in, step=step, nd=0, lo=0),
        "NetworkOut": add(scn, "AWS/EC2", d, "NetworkOut", "Bytes", net_out, step=step, nd=0, lo=0),
        "StatusCheckFailed": add(scn, "AWS/EC2", d, "StatusCheckFailed", "Count", status or zero, step=60, nd=0),
    }
    if status_instance is not None:
        out["StatusCheckFailed_Instance"] = add(scn, "AWS/EC2", d, "StatusCheckFailed_Instance", "Count",
                                                status_instance, step=60, nd=0)
        out["StatusCheckFailed_System"] = add(scn, "AWS/EC2", d, "StatusCheckFailed_System", "Count", zero,
                                              step=60, nd=0)
    out["mem_used_percent"] = add(scn, "CWAgent", d, "mem_used_percent", "Percent", mem, step=agent_step,
                                  lo=0, hi=100)
    out["disk_used_percent"] = add(scn, "CWAgent", {"InstanceId": iid, "path": path, "fstype": fstype},
                                   "disk_used_percent", "Percent", disk, step=agent_step, lo=0, hi=100)
    return out


def alb_set(scn: Scenario, lb: str, req: Src, rt: Src, t5xx: Src, e5xx: Src, healthy: Src,
            unhealthy: Src, extra: dict | None = None) -> dict:
    d = {"LoadBalancer": lb}
    out = {
        "RequestCount": add(scn, "AWS/ApplicationELB", d, "RequestCount", "Count", req, nd=0, lo=0),
        "TargetResponseTime": add(scn, "AWS/ApplicationELB", d, "TargetResponseTime", "Seconds", rt, nd=4, lo=0.001),
        "HTTPCode_Target_5XX_Count": add(scn, "AWS/ApplicationELB", d, "HTTPCode_Target_5XX_Count", "Count", t5xx,
                                         nd=0, lo=0),
        "HTTPCode_ELB_5XX_Count": add(scn, "AWS/ApplicationELB", d, "HTTPCode_ELB_5XX_Count", "Count", e5xx,
                                      nd=0, lo=0),
        "HealthyHostCount": add(scn, "AWS/ApplicationELB", d, "HealthyHostCount", "Count", healthy, nd=0, lo=0),
        "UnHealthyHostCount": add(scn, "AWS/ApplicationELB", d, "UnHealthyHostCount", "Count", unhealthy,
                                  nd=0, lo=0),
    }
    for name, (unit, src) in (extra or {}).items():
        out[name] = add(scn, "AWS/ApplicationELB", d, name, unit, src, nd=0, lo=0)
    return out


def lambda_set(scn: Scenario, fn: str, inv: Src, err: Src, thr: Src, dur: Src, conc: Src) -> dict:
    d = {"FunctionName": fn}
    return {
        "Invocations": add(scn, "AWS/Lambda", d, "Invocations", "Count", inv, nd=0, lo=0),
        "Errors": add(scn, "AWS/Lambda", d, "Errors", "Count", err, nd=0, lo=0),
        "Throttles": add(scn, "AWS/Lambda", d, "Throttles", "Count", thr, nd=0, lo=0),
        "Duration": add(scn, "AWS/Lambda", d, "Duration", "Milliseconds", dur, nd=2, lo=1),
        "ConcurrentExecutions": add(scn, "AWS/Lambda", d, "ConcurrentExecutions", "Count", conc, nd=0, lo=0),
    }


RDS_UNITS = {"CPUUtilization": "Percent", "DatabaseConnections": "Count", "FreeStorageSpace": "Bytes",
             "FreeableMemory": "Bytes", "ReadLatency": "Seconds", "WriteLatency": "Seconds",
             "ReadIOPS": "Count/Second", "WriteIOPS": "Count/Second", "DiskQueueDepth": "Count",
             "BurstBalance": "Percent", "ReplicaLag": "Seconds", "TransactionLogsDiskUsage": "Bytes",
             "OldestReplicationSlotLag": "Bytes", "ReadThroughput": "Bytes/Second",
             "WriteThroughput": "Bytes/Second", "SwapUsage": "Bytes"}


def rds_set(scn: Scenario, db: str, **srcs: Src) -> dict:
    d = {"DBInstanceIdentifier": db}
    out = {}
    for name, src in srcs.items():
        unit = RDS_UNITS[name]
        nd = 6 if unit == "Seconds" and name != "ReplicaLag" else (0 if name in ("DatabaseConnections",) or unit == "Bytes" else 3)
        out[name] = add(scn, "AWS/RDS", d, name, unit, src, nd=nd, lo=0)
    return out


def ecs_set(scn: Scenario, cluster: str, service: str, cpu: Src, mem: Src, insights: dict | None = None) -> dict:
    d = {"ClusterName": cluster, "ServiceName": service}
    out = {"CPUUtilization": add(scn, "AWS/ECS", d, "CPUUtilization", "Percent", cpu, lo=0, hi=100),
           "MemoryUtilization": add(scn, "AWS/ECS", d, "MemoryUtilization", "Percent", mem, lo=0, hi=100)}
    for name, (unit, src) in (insights or {}).items():
        nd = 0 if unit in ("Count", "Megabytes") else 2
        out[name] = add(scn, "ECS/ContainerInsights", d, name, unit, src, nd=nd, lo=0)
    return out


def apigw_set(scn: Scenario, api: str, count: Src, e4: Src, e5: Src, latency: Src,
              integ: Src | None = None) -> dict:
    d = {"ApiName": api}
    out = {"Count": add(scn, "AWS/ApiGateway", d, "Count", "Count", count, nd=0, lo=0),
           "4XXError": add(scn, "AWS/ApiGateway", d, "4XXError", "Count", e4, nd=0, lo=0),
           "5XXError": add(scn, "AWS/ApiGateway", d, "5XXError", "Count", e5, nd=0, lo=0),
           "Latency": add(scn, "AWS/ApiGateway", d, "Latency", "Milliseconds", latency, nd=1, lo=1)}
    if integ is not None:
        out["IntegrationLatency"] = add(scn, "AWS/ApiGateway", d, "IntegrationLatency", "Milliseconds", integ,
                                        nd=1, lo=1)
    return out


def minutes(start: int, end: int = -60):
    t = start
    while t <= end:
        yield t
        t += 60
