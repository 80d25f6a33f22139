"""Metric families per service: each helper takes one function of time per metric."""
from __future__ import annotations

UNITS = {
    # ALB
    "RequestCount": "Count", "TargetResponseTime": "Seconds", "HTTPCode_Target_2XX_Count": "Count",
    "HTTPCode_Target_4XX_Count": "Count", "HTTPCode_Target_5XX_Count": "Count",
    "HTTPCode_ELB_5XX_Count": "Count", "HTTPCode_ELB_502_Count": "Count",
    "HTTPCode_ELB_503_Count": "Count", "HTTPCode_ELB_504_Count": "Count",
    "HealthyHostCount": "Count", "UnHealthyHostCount": "Count",
    "TargetConnectionErrorCount": "Count", "ActiveConnectionCount": "Count",
    # EC2 / agent
    "CPUUtilization": "Percent", "NetworkIn": "Bytes", "NetworkOut": "Bytes",
    "StatusCheckFailed": "Count", "mem_used_percent": "Percent", "disk_used_percent": "Percent",
    # ECS
    "MemoryUtilization": "Percent", "RunningTaskCount": "Count", "DesiredTaskCount": "Count",
    # RDS
    "DatabaseConnections": "Count", "FreeStorageSpace": "Bytes", "FreeableMemory": "Bytes",
    "ReadLatency": "Seconds", "WriteLatency": "Seconds", "ReadIOPS": "Count/Second",
    "WriteIOPS": "Count/Second", "DiskQueueDepth": "Count", "ReplicaLag": "Seconds",
    "BinLogDiskUsage": "Bytes",
    # API Gateway
    "Count": "Count", "4XXError": "Count", "5XXError": "Count", "4xx": "Count", "5xx": "Count",
    "Latency": "Milliseconds", "IntegrationLatency": "Milliseconds",
}
COUNTS = {"RequestCount", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_4XX_Count",
          "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "HTTPCode_ELB_502_Count",
          "HTTPCode_ELB_503_Count", "HTTPCode_ELB_504_Count", "HealthyHostCount",
          "UnHealthyHostCount", "TargetConnectionErrorCount", "StatusCheckFailed",
          "RunningTaskCount", "DesiredTaskCount", "DatabaseConnections", "Count", "4XXError",
          "5XXError", "4xx", "5xx", "ActiveConnectionCount"}


def family(s, ns, dims, fns, region=None, start=None, step=60):
    out = {}
    for name, fn in fns.items():
        kw = {"integer": name in COUNTS, "step": step}
        if start is not None:
            kw["start"] = start
        if name in ("ReadLatency", "WriteLatency", "TargetResponseTime"):
            kw["nd"] = 5
        out[name] = s.add(ns, name, dims, UNITS[name], fn, region=region, **kw)
    return out


def alb(s, lb, fns, region=None):
    return family(s, "AWS/ApplicationELB", {"LoadBalancer": lb}, fns, region)


def ec2(s, iid, fns, region=None, start=None, step=60):
    out = {}
    agent = {k: v for k, v in fns.items() if k in ("mem_used_percent", "disk_used_percent")}
    base = {k: v for k, v in fns.items() if k not in agent}
    out.update(family(s, "AWS/EC2", {"InstanceId": iid}, base, region, start, step))
    if "mem_used_percent" in agent:
        out.update(family(s, "CWAgent", {"InstanceId": iid},
                          {"mem_used_percent": agent["mem_used_percent"]}, region, start, step))
    if "disk_used_percent" in agent:
        out.update(family(s, "CWAgent", {"InstanceId": iid, "path": "/", "fstype": "xfs"},
                          {"disk_used_percent": agent["disk_used_percent"]}, region, start, step))
    return out


def ecs(s, cluster, service, fns, region=None):
    out = {}
    base = {k: v for k, v in fns.items() if k in ("CPUUtilization", "MemoryUtilization")}
    ci = {k: v for k, v in fns.items() if k not in base}
    dims = {"ClusterName": cluster, "ServiceName": service}
    out.update(family(s, "AWS/ECS", dims, base, region))
    if ci:
        out.update(family(s, "ECS/ContainerInsights", dims, ci, region))
    return out


def rds(s, dbid, fns, region=None):
    return family(s, "AWS/RDS", {"DBInstanceIdentifier": dbid}, fns, region)


def apigw(s, dims, fns, region=None):
    return family(s, "AWS/ApiGateway", dims, fns, region)


GB = 1024 ** 3
