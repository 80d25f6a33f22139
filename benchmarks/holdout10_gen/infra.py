"""Standard metric sets for RDS, ECS services and ALBs, and database log line formats."""
from __future__ import annotations

import numpy as np

from .common import N, Scn

GB = 1e9


def rds_metrics(s: Scn, db: str, cpu, conns, free_storage, freeable_mem, read_lat=None, write_lat=None,
                read_iops=None, write_iops=None) -> None:
    d = {"DBInstanceIdentifier": db}
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent", np.clip(cpu, 0.5, 100))
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", np.clip(free_storage, 0, None))
    s.metric("AWS/RDS", "FreeableMemory", d, "Bytes", freeable_mem)
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds",
             read_lat if read_lat is not None else s.gauge(0.0016, 0.0003, lo=0.0004), digits=4)
    s.metric("AWS/RDS", "WriteLatency", d, "Seconds",
             write_lat if write_lat is not None else s.gauge(0.0021, 0.0004, lo=0.0005), digits=4)
    s.metric("AWS/RDS", "ReadIOPS", d, "Count/Second",
             read_iops if read_iops is not None else s.gauge(180, 35, lo=5), digits=1)
    s.metric("AWS/RDS", "WriteIOPS", d, "Count/Second",
             write_iops if write_iops is not None else s.gauge(95, 20, lo=5), digits=1)


def ecs_metrics(s: Scn, cluster: str, service: str, cpu, mem) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    s.metric("AWS/ECS", "CPUUtilization", d, "Percent", np.clip(cpu, 0.1, 100))
    s.metric("AWS/ECS", "MemoryUtilization", d, "Percent", np.clip(mem, 0.1, 100))


def alb_metrics(s: Scn, lb: str, requests, resp_time, t5xx, e5xx, unhealthy, healthy, tg: str | None = None) -> None:
    d = {"LoadBalancer": lb}
    s.metric("AWS/ApplicationELB", "RequestCount", d, "Count", requests)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", resp_time)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy)


def pg_line(s: Scn, t: float, client: str, user_db: str, pid: int, level: str, msg: str) -> str:
    """RDS for PostgreSQL log_line_prefix: %t:%r:%u@%d:[%p]:"""
    return f"{s.dt(t).strftime('%Y-%m-%d %H:%M:%S')} UTC:{client}:{user_db}:[{pid}]:{level}:  {msg}"


def pg_checkpoints(s: Scn, every: int = 300) -> list:
    ev = []
    rng = s.rng
    for t in range(-21600 + 17, 0, every):
        bufs = int(rng.integers(900, 4200))
        ev.append((t, pg_line(s, t, "", "@", 412, "LOG", "checkpoint starting: time")))
        ev.append((t + 29.8, pg_line(s, t + 29.8, "", "@", 412, "LOG",
                   f"checkpoint complete: wrote {bufs} buffers ({bufs / 1310.72:.1f}%); 0 WAL file(s) added, 0 removed, "
                   f"{int(rng.integers(0, 3))} recycled; write={rng.uniform(26, 29.8):.3f} s, sync={rng.uniform(0.002, 0.04):.3f} s, "
                   f"total={rng.uniform(29.8, 30.1):.3f} s; sync files={int(rng.integers(20, 80))}, longest=0.011 s, "
                   f"average=0.002 s; distance={int(rng.integers(9000, 40000))} kB, estimate={int(rng.integers(30000, 45000))} kB")))
    return ev


def mysql_line(s: Scn, t: float, thread: int, level: str, code: str, sub: str, msg: str) -> str:
    return f"{s.dt(t).strftime('%Y-%m-%dT%H:%M:%S.')}{int((t % 1) * 1e6):06d}Z {thread} [{level}] [{code}] [{sub}] {msg}"
