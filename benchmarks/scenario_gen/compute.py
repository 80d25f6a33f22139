"""EC2, ALB and ECS building blocks: baseline metric sets, sampled access logs and app log streams."""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import logs
from .builder import Scenario
from .series import Series, baseline, clip, counts
from .timeline import MINUTES, START

MB = 1_000_000


def ec2_baseline(sc: Scenario, cpu: float | None = None) -> dict[str, Series]:
    return {
        "CPUUtilization": clip(baseline(sc.rng, cpu or sc.uniform(12, 40), 0.08, 0.25), 0.5, 100),
        "NetworkIn": clip(baseline(sc.rng, sc.uniform(0.8, 9) * MB, 0.1, 0.25), 0, None),
        "StatusCheckFailed": np.zeros(MINUTES),
        "mem_used_percent": clip(baseline(sc.rng, sc.uniform(30, 62), 0.015, 0.04), 1, 100),
        "disk_used_percent": clip(sc.uniform(22, 60) + np.linspace(0, sc.uniform(0.1, 0.6), MINUTES)
                                  + sc.rng.normal(0, 0.02, MINUTES), 1, 100),
    }


def emit_ec2(sc: Scenario, instance: str, name: str, series: dict[str, Series], instance_type: str,
             log_groups: list[str] | None = None) -> dict[str, dict]:
    props: dict = {"name": name, "instance_type": instance_type}
    if log_groups:
        props["log_groups"] = log_groups
    sc.add_resource("ec2", instance, **props)
    dims = {"InstanceId": instance}
    units = {"CPUUtilization": "Percent", "NetworkIn": "Bytes", "StatusCheckFailed": "Count"}
    refs = {}
    for metric, unit in units.items():
        refs[metric] = sc.add_metric("AWS/EC2", metric, dims, unit, series[metric],
                                     decimals=0 if unit != "Percent" else 3)
    refs["mem_used_percent"] = sc.add_metric("CWAgent", "mem_used_percent", dims, "Percent",
                                             series["mem_used_percent"])
    refs["disk_used_percent"] = sc.add_metric("CWAgent", "disk_used_percent",
                                              {**dims, "path": "/", "fstype": "xfs"}, "Percent",
                                              series["disk_used_percent"])
    return refs


def alb_baseline(sc: Scenario, requests_per_minute: float, hosts: int) -> dict[str, Series]:
    req = counts(sc.rng, baseline(sc.rng, requests_per_minute, 0.04, 0.18))
    return {
        "RequestCount": req,
        "TargetResponseTime": clip(baseline(sc.rng, sc.uniform(0.04, 0.25), 0.1, 0.1), 0.005, None),
        "HTTPCode_Target_5XX_Count": counts(sc.rng, req * sc.uniform(0.0002, 0.002)),
        "HTTPCode_ELB_5XX_Count": counts(sc.rng, np.full(MINUTES, sc.uniform(0.0, 0.05))),
        "UnHealthyHostCount": np.zeros(MINUTES),
        "HealthyHostCount": np.full(MINUTES, float(hosts)),
    }


def emit_alb(sc: Scenario, alb_id: str, series: dict[str, Series], targets: list[str]) -> dict[str, dict]:
    sc.add_resource("alb", alb_id, name=alb_id.split("/")[1], targets=targets)
    dims = {"LoadBalancer": alb_id}
    refs = {}
    for metric, values in series.items():
        unit = "Seconds" if metric == "TargetResponseTime" else "Count"
        refs[metric] = sc.add_metric("AWS/ApplicationELB", metric, dims, unit, values,
                                     decimals=4 if unit == "Seconds" else 0)
    return refs


def ecs_baseline(sc: Scenario) -> dict[str, Series]:
    return {"CPUUtilization": clip(baseline(sc.rng, sc.uniform(10, 40), 0.08, 0.2), 0.5, 100),
            "MemoryUtilization": clip(baseline(sc.rng, sc.uniform(25, 60), 0.02, 0.05), 1, 100)}


def emit_ecs(sc: Scenario, cluster: str, service: str, series: dict[str, Series], **props: object) -> dict[str, dict]:
    sc.add_resource("ecs", f"{cluster}/{service}", log_groups=[f"/ecs/{service}"], **props)
    dims = {"ClusterName": cluster, "ServiceName": service}
    return {metric: sc.add_metric("AWS/ECS", metric, dims, "Percent", values) for metric, values in series.items()}


# --- logs ------------------------------------------------------------------------------------------
def sampled_times(sc: Scenario, every: tuple[float, float], start: float = START, end: float = -2) -> list[float]:
    """Event times one every ``every`` seconds (uniformly jittered)."""
    out, t = [], start + sc.uniform(0, every[1])
    while t < end:
        out.append(t)
        t += sc.uniform(*every)
    return out


def access_log(sc: Scenario, paths: list[str], status_at: Callable[[float], int], rt_at: Callable[[float], float],
               every: tuple[float, float] = (6, 18)) -> list[tuple[float, str]]:
    """A sampled web access log; ``status_at``/``rt_at`` give each line's status and response time."""
    events = []
    for t in sampled_times(sc, every):
        status = status_at(t)
        size = sc.randint(180, 4200) if status < 400 else sc.randint(40, 260)
        path = sc.pick(paths)
        method = "POST" if any(w in path for w in ("checkout", "orders", "payments", "upload")) else "GET"
        events.append((t, logs.access_line(sc.namer.private_ip(), method, path, status, size, rt_at(t))))
    return events


def ecs_stream(sc: Scenario, service: str) -> str:
    return f"ecs/{service}/{sc.namer.hex(32)}"
