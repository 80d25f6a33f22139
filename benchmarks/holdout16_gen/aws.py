"""Metric families per AWS service, built from one-minute arrays over kit.TIMES."""
from __future__ import annotations

import numpy as np

from .kit import N, Scenario, clip, counts, jitter, wander

GB = 1024 ** 3


def _arr(v: np.ndarray | float) -> np.ndarray:
    return np.broadcast_to(np.asarray(v, dtype=float), (N,)).copy()


def lambda_metrics(sc: Scenario, fn: str, inv: np.ndarray, err: np.ndarray, dur_ms: np.ndarray,
                   throttles: np.ndarray | float = 0.0, conc: np.ndarray | None = None,
                   extra_dims: dict[str, str] | None = None) -> None:
    d = {"FunctionName": fn, **(extra_dims or {})}
    inv, err, dur = _arr(inv), _arr(err), _arr(dur_ms)
    if conc is None:
        conc = np.ceil(inv * dur / 60000.0 * sc.rng.uniform(1.0, 1.6, N) + sc.rng.integers(0, 2, N))
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv, decimals=0)
    sc.metric("AWS/Lambda", "Errors", d, "Count", np.minimum(err, inv), decimals=0)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", _arr(throttles), decimals=0)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds",
              [None if i == 0 else v for i, v in zip(inv, dur)], decimals=2)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", _arr(conc), decimals=0)


def apigw_metrics(sc: Scenario, api: str, count: np.ndarray, e4: np.ndarray, e5: np.ndarray,
                  latency: np.ndarray, integ: np.ndarray | None = None, stage: str | None = None) -> None:
    d = {"ApiName": api, **({"Stage": stage} if stage else {})}
    sc.metric("AWS/ApiGateway", "Count", d, "Count", _arr(count), decimals=0)
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", _arr(e4), decimals=0)
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", _arr(e5), decimals=0)
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", _arr(latency), decimals=2)
    if integ is not None:
        sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", _arr(integ), decimals=2)


def alb_metrics(sc: Scenario, lb: str, requests: np.ndarray, t5xx: np.ndarray, rt_s: np.ndarray,
                healthy: np.ndarray | float, unhealthy: np.ndarray | float = 0.0, elb5xx: np.ndarray | float | None = None,
                t4xx: np.ndarray | float | None = None, extra: dict[str, np.ndarray] | None = None) -> None:
    d = {"LoadBalancer": lb}
    req = _arr(requests)
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req, decimals=0)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", d, "Count",
              clip(req - _arr(t5xx) - (_arr(t4xx) if t4xx is not None else 0) - (_arr(elb5xx) if elb5xx is not None else 0), 0),
              decimals=0)
    if t4xx is not None:
        sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", _arr(t4xx), decimals=0)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", _arr(t5xx), decimals=0)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
              _arr(elb5xx) if elb5xx is not None else counts(sc, 0.03), decimals=0)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", _arr(rt_s), decimals=4)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", _arr(healthy), decimals=0)
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", _arr(unhealthy), decimals=0)
    for name, vals in (extra or {}).items():
        unit = "Count"
        sc.metric("AWS/ApplicationELB", name, d, unit, _arr(vals), decimals=0)


def rds_metrics(sc: Scenario, db: str, cpu: np.ndarray, conns: np.ndarray, free_storage_gb: np.ndarray,
                freeable_mem_gb: np.ndarray, read_lat_ms: np.ndarray | float = 0.8,
                write_lat_ms: np.ndarray | float = 1.4, read_iops: np.ndarray | float = 400.0,
                write_iops: np.ndarray | float = 250.0, extra: dict[str, tuple[str, np.ndarray]] | None = None) -> None:
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", clip(_arr(cpu), 0, 100), decimals=2)
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", clip(_arr(conns), 0), decimals=0)
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", clip(_arr(free_storage_gb), 0) * GB, decimals=0)
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes", clip(_arr(freeable_mem_gb), 0.05) * GB, decimals=0)
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", clip(jitter(sc, read_lat_ms, 0.15), 0.05) / 1000.0,
              decimals=6)
    sc.metric("AWS/RDS", "WriteLatency", d, "Seconds", clip(jitter(sc, write_lat_ms, 0.15), 0.05) / 1000.0,
              decimals=6)
    sc.metric("AWS/RDS", "ReadIOPS", d, "Count/Second", clip(jitter(sc, read_iops, 0.12), 0), decimals=2)
    sc.metric("AWS/RDS", "WriteIOPS", d, "Count/Second", clip(jitter(sc, write_iops, 0.12), 0), decimals=2)
    for name, (unit, vals) in (extra or {}).items():
        sc.metric("AWS/RDS", name, d, unit, _arr(vals), decimals=2)


def ecs_metrics(sc: Scenario, cluster: str, service: str, cpu: np.ndarray, mem: np.ndarray,
                running: np.ndarray | float | None = None, desired: np.ndarray | float | None = None) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", clip(_arr(cpu), 0, 100), decimals=2)
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", clip(_arr(mem), 0, 100), decimals=2)
    if running is not None:
        sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", _arr(running), decimals=0)
        sc.metric("ECS/ContainerInsights", "DesiredTaskCount", d, "Count", _arr(running if desired is None else desired), decimals=0)


def ec2_metrics(sc: Scenario, instance: str, cpu: np.ndarray, net_in_mb: np.ndarray | float,
                mem_pct: np.ndarray | float | None = None, disk_pct: np.ndarray | float | None = None,
                fstype: str = "xfs") -> None:
    d = {"InstanceId": instance}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", clip(_arr(cpu), 0, 100), decimals=3)
    net = clip(jitter(sc, net_in_mb, 0.12), 0) * 1e6
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", net, decimals=0)
    sc.metric("AWS/EC2", "NetworkOut", d, "Bytes", net * sc.rng.uniform(1.8, 2.6, N), decimals=0)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", np.zeros(N), decimals=0)
    if mem_pct is not None:
        sc.metric("CWAgent", "mem_used_percent", d, "Percent", clip(_arr(mem_pct), 0, 100), decimals=3)
    if disk_pct is not None:
        sc.metric("CWAgent", "disk_used_percent", {**d, "path": "/", "fstype": fstype}, "Percent",
                  clip(_arr(disk_pct), 0, 100), decimals=3)


def noisy_level(sc: Scenario, base: float, rel: float = 0.06, drift: float = 0.0) -> np.ndarray:
    """A steady level with a little noise and optional slow drift (as a fraction of base)."""
    return base * (1.0 + sc.rng.normal(0, rel, N) + (wander(sc, drift) if drift else 0.0))
