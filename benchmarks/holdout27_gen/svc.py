"""Helpers for ALB / ECS / EC2 / RDS style services and their log formats."""
from __future__ import annotations

import json

from .common import hexid, metric, noisy


class Acc:
    """Per-minute accumulator of several named values."""

    def __init__(self):
        self.d = {}

    def add(self, key, m, v=1):
        k = self.d.setdefault(key, {})
        k[m] = k.get(m, 0) + v

    def set(self, key, m, v):
        self.d.setdefault(key, {})[m] = v

    def get(self, key, m, default=0):
        return self.d.get(key, {}).get(m, default)

    def pts(self, key, ts, default=0):
        k = self.d.get(key, {})
        return [(m, k.get(m, default)) for m in ts if default is not None or m in k]


def alb_metrics(lb, ts, acc, region=None):
    dims = {"LoadBalancer": lb}
    rt = [(m, acc.get("rt_sum", m) / acc.get("req", m)) for m in ts if acc.get("req", m)]
    return [metric("AWS/ApplicationELB", "RequestCount", dims, "Count", acc.pts("req", ts), region),
            metric("AWS/ApplicationELB", "TargetResponseTime", dims, "Seconds", rt, region),
            metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Count", acc.pts("t5", ts), region),
            metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dims, "Count", acc.pts("t4", ts), region),
            metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Count", acc.pts("e5", ts), region),
            metric("AWS/ApplicationELB", "HealthyHostCount", dims, "Count", acc.pts("healthy", ts), region),
            metric("AWS/ApplicationELB", "UnHealthyHostCount", dims, "Count", acc.pts("unhealthy", ts), region)]


def ecs_metrics(cluster, service, ts, cpu, mem, tasks=None, region=None):
    dims = {"ClusterName": cluster, "ServiceName": service}
    out = [metric("AWS/ECS", "CPUUtilization", dims, "Percent", [(m, cpu(m)) for m in ts], region),
           metric("AWS/ECS", "MemoryUtilization", dims, "Percent", [(m, mem(m)) for m in ts], region)]
    if tasks:
        out.append(metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Count",
                          [(m, tasks(m)) for m in ts], region))
    return out


def rds_metrics(db, ts, rng, cpu, conns, free_storage, read_lat=None, free_mem=None, write_iops=None,
                region=None):
    dims = {"DBInstanceIdentifier": db}
    out = [metric("AWS/RDS", "CPUUtilization", dims, "Percent", [(m, cpu(m)) for m in ts], region),
           metric("AWS/RDS", "DatabaseConnections", dims, "Count", [(m, conns(m)) for m in ts], region),
           metric("AWS/RDS", "FreeStorageSpace", dims, "Bytes", [(m, free_storage(m)) for m in ts], region)]
    out.append(metric("AWS/RDS", "ReadLatency", dims, "Seconds",
                      [(m, read_lat(m) if read_lat else noisy(rng, 0.0012, 0.2)) for m in ts], region))
    out.append(metric("AWS/RDS", "FreeableMemory", dims, "Bytes",
                      [(m, free_mem(m) if free_mem else noisy(rng, 5.1e9, 0.01)) for m in ts], region))
    if write_iops:
        out.append(metric("AWS/RDS", "WriteIOPS", dims, "Count/Second", [(m, write_iops(m)) for m in ts], region))
    return out


def ec2_metrics(iid, ts, cpu, mem=None, disk=None, status=None, net_in=None, region=None, step=60):
    dims = {"InstanceId": iid}
    tts = [m for m in ts if m % step == 0]
    out = [metric("AWS/EC2", "CPUUtilization", dims, "Percent", [(m, cpu(m)) for m in tts], region),
           metric("AWS/EC2", "StatusCheckFailed", dims, "Count",
                  [(m, status(m) if status else 0) for m in tts], region)]
    if net_in:
        out.append(metric("AWS/EC2", "NetworkIn", dims, "Bytes", [(m, net_in(m)) for m in tts], region))
    if mem:
        out.append(metric("CWAgent", "mem_used_percent", dims, "Percent", [(m, mem(m)) for m in ts], region))
    if disk:
        ddims = {"InstanceId": iid, "path": "/", "fstype": "xfs"}
        out.append(metric("CWAgent", "disk_used_percent", ddims, "Percent", [(m, disk(m)) for m in ts], region))
    return out


def task_id(rng):
    return hexid(rng, 32)


# ----------------------------------------------------------------- log formats ---
def spring(ck, t, level, thread, logger, msg, app):
    return f"{ck.iso(t)} {level.upper():>5} 1 --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


def rails(ck, t, level, req, msg, pid):
    return f"{level[0].upper()}, [{ck.iso_us(t)} #{pid}] {level.upper():>5} -- : [{req}] {msg}"


def dotnet_json(ck, t, level, category, msg, event_id=0, exc=None, **state):
    d = {"Timestamp": ck.iso(t), "EventId": event_id, "LogLevel": level, "Category": category, "Message": msg}
    if exc:
        d["Exception"] = exc
    if state:
        d["State"] = state
    return json.dumps(d, separators=(",", ":"))


def zap(ck, t, level, caller, msg, **kw):
    d = {"level": level, "ts": round(ck.epoch(t), 3), "caller": caller, "msg": msg}
    d.update(kw)
    return json.dumps(d, separators=(",", ":"))


def pino(ck, t, level, msg, host, **kw):
    lv = {"info": 30, "warn": 40, "error": 50, "debug": 20}[level]
    d = {"level": lv, "time": int(ck.epoch(t) * 1000), "pid": 1, "hostname": host}
    d.update(kw)
    d["msg"] = msg
    return json.dumps(d, separators=(",", ":"))


def gunicorn(ck, t, level, msg, pid):
    return f"[{ck.plain(t)} +0000] [{pid}] [{level.upper()}] {msg}"
