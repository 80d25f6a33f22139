"""Per-service metric sets (the metrics each AWS service publishes), built from a few driving arrays."""
from __future__ import annotations

import numpy as np

from .common import N, Scn


def _z() -> np.ndarray:
    return np.zeros(N)


def lam(s: Scn, fn: str, inv, err=None, dur=None, conc=None, thr=None) -> dict:
    """AWS/Lambda set. inv/err/thr are counts per minute, dur the average duration in ms."""
    d = {"FunctionName": fn}
    inv = np.asarray(inv, dtype=float)
    err = _z() if err is None else np.asarray(err, dtype=float)
    thr = _z() if thr is None else np.asarray(thr, dtype=float)
    dur = np.full(N, 120.0) if dur is None else np.asarray(dur, dtype=float)
    if conc is None:
        mean = inv / 60.0 * dur / 1000.0
        conc = np.ceil(mean + 1.5 * np.sqrt(mean) + s.rng.uniform(0, 1, N) * (inv > 0))
    s.put("AWS/Lambda", "Invocations", d, "Count", inv, decimals=0)
    s.put("AWS/Lambda", "Errors", d, "Count", err, decimals=0)
    s.put("AWS/Lambda", "Throttles", d, "Count", thr, decimals=0)
    s.put("AWS/Lambda", "Duration", d, "Milliseconds", dur, decimals=2, keep=inv > 0)
    s.put("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, decimals=0)
    return {"inv": inv, "err": err, "dur": dur, "conc": conc, "thr": thr}


def apigw(s: Scn, api: str, count, e4=None, e5=None, lat=None, integ=None) -> None:
    d = {"ApiName": api}
    count = np.asarray(count, dtype=float)
    e4 = s.pois(count * 0.004) if e4 is None else e4
    e5 = _z() if e5 is None else e5
    lat = s.gauge(np.full(N, 140.0), 12, lo=20) if lat is None else lat
    integ = np.maximum(np.asarray(lat) - s.gauge(np.full(N, 14.0), 2, lo=4), 5) if integ is None else integ
    s.put("AWS/ApiGateway", "Count", d, "Count", count, decimals=0)
    s.put("AWS/ApiGateway", "4XXError", d, "Count", e4, decimals=0)
    s.put("AWS/ApiGateway", "5XXError", d, "Count", e5, decimals=0)
    s.put("AWS/ApiGateway", "Latency", d, "Milliseconds", lat, decimals=2)
    s.put("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", integ, decimals=2)


def alb(s: Scn, lb: str, req, trt, t5=None, e5=None, t4=None, healthy=None, unhealthy=None) -> None:
    d = {"LoadBalancer": lb}
    req = np.asarray(req, dtype=float)
    s.put("AWS/ApplicationELB", "RequestCount", d, "Count", req, decimals=0)
    s.put("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", trt, decimals=4)
    s.put("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", d, "Count",
          np.maximum(req - (0 if t5 is None else t5) - (0 if t4 is None else t4), 0), decimals=0)
    s.put("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
          s.pois(req * 0.01) if t4 is None else t4, decimals=0)
    s.put("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", _z() if t5 is None else t5, decimals=0)
    s.put("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", _z() if e5 is None else e5, decimals=0)
    s.put("AWS/ApplicationELB", "HealthyHostCount", d, "Count",
          np.full(N, 3.0) if healthy is None else healthy, decimals=0)
    s.put("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", _z() if unhealthy is None else unhealthy,
          decimals=0)


def ecs(s: Scn, cluster: str, svc: str, cpu, mem, running=None) -> None:
    d = {"ClusterName": cluster, "ServiceName": svc}
    s.put("AWS/ECS", "CPUUtilization", d, "Percent", np.clip(cpu, 0, 100), decimals=2)
    s.put("AWS/ECS", "MemoryUtilization", d, "Percent", np.clip(mem, 0, 100), decimals=2)
    if running is not None:
        s.put("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, decimals=0)


def rds(s: Scn, db: str, cpu, conns, free_gb, mem_gb: float = 6.0, rlat=None, wlat=None, riops=None,
        wiops=None, dqd=None, load=None) -> None:
    d = {"DBInstanceIdentifier": db}
    load = np.ones(N) if load is None else np.asarray(load)
    s.put("AWS/RDS", "CPUUtilization", d, "Percent", np.clip(cpu, 0, 100), decimals=2)
    s.put("AWS/RDS", "DatabaseConnections", d, "Count", np.round(conns), decimals=0)
    s.put("AWS/RDS", "FreeStorageSpace", d, "Bytes", np.maximum(np.asarray(free_gb) * 1e9, 0), decimals=0)
    s.put("AWS/RDS", "FreeableMemory", d, "Bytes", s.gauge(np.full(N, mem_gb * 1e9), mem_gb * 1.2e7, lo=0),
          decimals=0)
    s.put("AWS/RDS", "ReadLatency", d, "Seconds",
          s.gauge(0.0011 + 0.0004 * load, 0.00015, lo=0.0002) if rlat is None else rlat, decimals=5)
    s.put("AWS/RDS", "WriteLatency", d, "Seconds",
          s.gauge(0.0016 + 0.0006 * load, 0.0002, lo=0.0003) if wlat is None else wlat, decimals=5)
    s.put("AWS/RDS", "ReadIOPS", d, "Count/Second",
          s.gauge(300 * load, 25, lo=5) if riops is None else riops, decimals=2)
    s.put("AWS/RDS", "WriteIOPS", d, "Count/Second",
          s.gauge(180 * load, 18, lo=5) if wiops is None else wiops, decimals=2)
    s.put("AWS/RDS", "DiskQueueDepth", d, "Count",
          s.gauge(0.4 + 0.3 * load, 0.12, lo=0.01) if dqd is None else dqd, decimals=3)


def ec2(s: Scn, iid: str, cpu, net_in, net_out=None, status=None, mem=None, disk=None, every: int = 60,
        keep=None, disk_path: str = "/") -> None:
    d = {"InstanceId": iid}
    s.put("AWS/EC2", "CPUUtilization", d, "Percent", np.clip(cpu, 0, 100), every=every, keep=keep, decimals=3)
    s.put("AWS/EC2", "NetworkIn", d, "Bytes", net_in, every=every, keep=keep, decimals=0)
    s.put("AWS/EC2", "NetworkOut", d, "Bytes", np.asarray(net_in) * 0.8 if net_out is None else net_out,
          every=every, keep=keep, decimals=0)
    st = _z() if status is None else np.asarray(status, dtype=float)
    s.put("AWS/EC2", "StatusCheckFailed", d, "Count", st, every=60, decimals=0)
    s.put("AWS/EC2", "StatusCheckFailed_System", d, "Count", st, every=60, decimals=0)
    s.put("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", _z(), every=60, decimals=0)
    if mem is not None:
        s.put("CWAgent", "mem_used_percent", d, "Percent", mem, keep=keep, decimals=3)
    if disk is not None:
        s.put("CWAgent", "disk_used_percent", {**d, "path": disk_path, "fstype": "xfs"}, "Percent", disk,
              keep=keep, decimals=3)


def sqs(s: Scn, queue: str, sent, received, visible, age, deleted=None) -> None:
    d = {"QueueName": queue}
    s.put("AWS/SQS", "NumberOfMessagesSent", d, "Count", sent, decimals=0)
    s.put("AWS/SQS", "NumberOfMessagesReceived", d, "Count", received, decimals=0)
    s.put("AWS/SQS", "NumberOfMessagesDeleted", d, "Count", received if deleted is None else deleted, decimals=0)
    s.put("AWS/SQS", "ApproximateNumberOfMessagesVisible", d, "Count", visible, decimals=0)
    s.put("AWS/SQS", "ApproximateAgeOfOldestMessage", d, "Seconds", age, decimals=0)
