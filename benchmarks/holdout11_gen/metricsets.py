"""The standard CloudWatch metric set of each service, with plausible defaults.

Each helper takes the arrays that matter for the story and fills in the rest
with quiet, realistic series so that every resource has its full metric set.
"""
from __future__ import annotations

import numpy as np

from .common import ar1, clip, counts, daily

GB = 1024 ** 3


def _d(x, default):
    return default if x is None else x


def ec2(sc, iid, cpu=None, mem=None, disk=None, net_in=None, net_out=None, status=None,
        status_system=None, cpu_level=25.0, mem_level=48.0, disk_level=41.0, device="nvme0n1p1",
        fstype="xfs", credit_balance=None, credit_usage=None, extra_cwagent=None, agent_mask=None):
    """AWS/EC2 basics plus CloudWatch agent memory and root-disk metrics.

    `agent_mask` (bool array) hides CWAgent datapoints where the agent could not report.
    """
    rng = sc.rng
    cpu = _d(cpu, clip(ar1(rng, cpu_level, cpu_level * 0.12) + daily(cpu_level * 0.15), 0.5, 100))
    base_net = cpu / max(cpu_level, 1.0) * 3.2e7
    net_in = _d(net_in, clip(base_net * rng.normal(1, 0.08, len(cpu)), 1e5))
    net_out = _d(net_out, clip(net_in * rng.normal(1.9, 0.1, len(cpu)), 1e5))
    status = _d(status, np.zeros(len(cpu)))
    d = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", net_in, 0)
    sc.metric("AWS/EC2", "NetworkOut", d, "Bytes", net_out, 0)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", status, 0)
    if status_system is not None:
        sc.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", status_system, 0)
        sc.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", np.zeros(len(cpu)), 0)
    if credit_balance is not None:
        sc.metric("AWS/EC2", "CPUCreditBalance", d, "Count", credit_balance, 2)
        sc.metric("AWS/EC2", "CPUCreditUsage", d, "Count", credit_usage, 3)
    mem = _d(mem, clip(ar1(rng, mem_level, 1.2, 0.9), 1, 100))
    disk = _d(disk, clip(disk_level + np.cumsum(rng.normal(0.0008, 0.002, len(cpu))), 1, 100))
    if agent_mask is not None:
        mem = np.where(agent_mask, mem, np.nan)
        disk = np.where(agent_mask, disk, np.nan)
    sc.metric("CWAgent", "mem_used_percent", d, "Percent", mem)
    sc.metric("CWAgent", "disk_used_percent",
              {"InstanceId": iid, "path": "/", "device": device, "fstype": fstype}, "Percent", disk)
    for name, unit, vals in extra_cwagent or []:
        if agent_mask is not None:
            vals = np.where(agent_mask, vals, np.nan)
        sc.metric("CWAgent", name, {"InstanceId": iid, "cpu": "cpu-total"}, unit, vals)
    return cpu


def alb(sc, lb, requests, target_5xx=None, elb_5xx=None, latency=None, lat_level=0.12):
    """Load-balancer-wide ALB metrics (dimension LoadBalancer)."""
    rng = sc.rng
    n = len(requests)
    d = {"LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", requests, 0)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count",
              _d(target_5xx, counts(rng, requests * 0.0004)), 0)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
              _d(elb_5xx, counts(rng, np.full(n, 0.03))), 0)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
              counts(rng, requests * 0.012), 0)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
              _d(latency, clip(ar1(rng, lat_level, lat_level * 0.12), 0.005)), 4)
    sc.metric("AWS/ApplicationELB", "ActiveConnectionCount", d, "Count",
              clip(requests * rng.normal(0.35, 0.03, n), 0), 0)


def target_group(sc, lb, tg, requests, healthy, unhealthy=None, target_5xx=None, latency=None,
                 lat_level=0.12):
    """Per target group ALB metrics (dimensions LoadBalancer + TargetGroup)."""
    rng = sc.rng
    n = len(requests)
    d = {"LoadBalancer": lb, "TargetGroup": tg}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", requests, 0)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
              _d(latency, clip(ar1(rng, lat_level, lat_level * 0.12), 0.005)), 4)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count",
              _d(target_5xx, counts(rng, requests * 0.0004)), 0)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", d, "Count",
              clip(requests - _d(target_5xx, 0) - counts(rng, requests * 0.012)), 0)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, 0)
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count",
              _d(unhealthy, np.zeros(n)), 0)


def ecs(sc, cluster, service, cpu=None, mem=None, running=None, desired=None, cpu_level=30.0,
        mem_level=45.0, tasks=2):
    """AWS/ECS service utilisation and Container Insights task counts."""
    rng = sc.rng
    n = 360
    cpu = _d(cpu, clip(ar1(rng, cpu_level, cpu_level * 0.1) + daily(cpu_level * 0.12), 0.3, 100))
    mem = _d(mem, clip(ar1(rng, mem_level, 1.0, 0.95), 1, 100))
    desired = _d(desired, np.full(n, float(tasks)))
    running = _d(running, desired.copy())
    d = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem)
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, 2)
    sc.metric("ECS/ContainerInsights", "DesiredTaskCount", d, "Count", desired, 0)
    return cpu, mem


def rds(sc, db, cpu=None, conns=None, free_storage=None, read_lat=None, write_lat=None,
        freeable=None, replica_lag=None, cpu_level=22.0, conn_level=40.0, storage_gb=400.0,
        used_gb=120.0, mem_gb=5.5, aurora=False, mask=None):
    """AWS/RDS instance metrics; Aurora instances report FreeLocalStorage and AuroraReplicaLag."""
    rng = sc.rng
    n = 360
    cpu = _d(cpu, clip(ar1(rng, cpu_level, cpu_level * 0.15) + daily(cpu_level * 0.2), 0.5, 100))
    conns = _d(conns, clip(np.round(ar1(rng, conn_level, conn_level * 0.06, 0.8)), 0))
    if free_storage is None:
        free_storage = (storage_gb - used_gb) * GB - np.cumsum(rng.uniform(0.5e6, 3e6, n))
    read_lat = _d(read_lat, clip(ar1(rng, 0.0011, 0.00025), 0.0002))
    write_lat = _d(write_lat, clip(ar1(rng, 0.0016, 0.0003), 0.0002))
    freeable = _d(freeable, clip(ar1(rng, mem_gb * GB, 0.05 * GB, 0.9), 0.05 * GB))
    series = [("CPUUtilization", "Percent", cpu, 3), ("DatabaseConnections", "Count", conns, 0),
              ("FreeLocalStorage" if aurora else "FreeStorageSpace", "Bytes", free_storage, 0),
              ("ReadLatency", "Seconds", read_lat, 5), ("WriteLatency", "Seconds", write_lat, 5),
              ("FreeableMemory", "Bytes", freeable, 0),
              ("ReadIOPS", "Count/Second", clip(ar1(rng, cpu_level * 9, cpu_level), 0), 1),
              ("WriteIOPS", "Count/Second", clip(ar1(rng, cpu_level * 5, cpu_level * 0.6), 0), 1)]
    if replica_lag is not None:
        series.append(("AuroraReplicaLag" if aurora else "ReplicaLag",
                       "Milliseconds" if aurora else "Seconds", replica_lag, 3))
    d = {"DBInstanceIdentifier": db}
    for name, unit, vals, dec in series:
        if mask is not None:
            vals = np.where(mask, vals, np.nan)
        sc.metric("AWS/RDS", name, d, unit, vals, dec)
    return cpu


def lambda_(sc, fn, inv, errors, duration, throttles=None, conc=None):
    n = len(inv)
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv, 0)
    sc.metric("AWS/Lambda", "Errors", d, "Count", errors, 0)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", _d(throttles, np.zeros(n)), 0)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", duration, 2)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count",
              _d(conc, clip(np.ceil(inv * duration / 60000.0 + sc.rng.uniform(0, 0.6, n)), 0)), 0)


def sqs(sc, queue, sent, received, visible, oldest):
    d = {"QueueName": queue}
    sc.metric("AWS/SQS", "NumberOfMessagesSent", d, "Count", sent, 0)
    sc.metric("AWS/SQS", "NumberOfMessagesReceived", d, "Count", received, 0)
    sc.metric("AWS/SQS", "NumberOfMessagesDeleted", d, "Count", np.minimum(received, sent * 1.2), 0)
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", d, "Count", visible, 0)
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", d, "Seconds", oldest, 0)
