"""Shared helpers: seeded series, per-service standard metric sets, alarm evaluation, YAML output."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np
import yaml

START, END, STEP = -21600, -60, 60
T = np.arange(START, END + 1, STEP)          # 360 one-minute points, 6 h
N = len(T)
LOG_FROM = -10800                           # logs cover the last 3 h, as in the public examples
MB = 1024 ** 2
GB = 1024 ** 3

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Ctx:
    """Per-scenario seeded randomness and the wall clock used inside log text."""

    def __init__(self, seed: int, now: str):
        self.rng = np.random.default_rng(seed)
        self.now = datetime.fromisoformat(now).replace(tzinfo=timezone.utc)

    # ---- ids and clocks
    def uuid(self) -> str:
        return str(uuid.UUID(bytes=self.rng.bytes(16), version=4))

    def hex(self, n: int) -> str:
        return self.rng.bytes((n + 1) // 2).hex()[:n]

    def wall(self, rel: float) -> datetime:
        return self.now + timedelta(seconds=float(rel))

    def iso(self, rel: float) -> str:            # 2026-11-20T14:31:02.123Z
        return self.wall(rel).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    def pg(self, rel: float) -> str:             # 2026-11-20 14:31:02 UTC
        return self.wall(rel).strftime("%Y-%m-%d %H:%M:%S UTC")

    def mysql(self, rel: float) -> str:          # 2026-11-20T14:31:02.123456Z
        return self.wall(rel).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def clf(self, rel: float) -> str:            # 20/Nov/2026:14:31:02 +0000
        return self.wall(rel).strftime("%d/%b/%Y:%H:%M:%S +0000")

    def day(self) -> str:
        return self.now.strftime("%Y/%m/%d")

    # ---- series
    def noise(self, base: float, sd: float) -> np.ndarray:
        return base + self.rng.normal(0, sd, N)

    def counts(self, rate: np.ndarray | float) -> np.ndarray:
        lam = np.clip(np.broadcast_to(np.asarray(rate, float), (N,)), 0, None)
        return self.rng.poisson(lam).astype(float)

    def daily(self, base: float, amp: float, phase: float = 0.0) -> np.ndarray:
        """A gentle part of a daily curve over the 6 h window (multiplier around 1)."""
        return base * (1 + amp * np.sin((T - START) / 21600 * np.pi * 0.9 + phase))


def ramp(t0: float, t1: float, a: float, b: float) -> np.ndarray:
    """a before t0, linear to b at t1, b after."""
    x = np.clip((T - t0) / max(t1 - t0, 1), 0, 1)
    return a + (b - a) * x


def step(t0: float, before: float, after: float) -> np.ndarray:
    return np.where(T >= t0, after, before).astype(float)


def after(t0: float) -> np.ndarray:
    return T >= t0


def pts(values: np.ndarray, nd: int = 3, lo: float | None = 0.0, hi: float | None = None,
        mask: np.ndarray | None = None) -> list[list[float]]:
    v = np.asarray(values, float)
    if lo is not None or hi is not None:
        v = np.clip(v, lo, hi)
    out = []
    for i, (t, x) in enumerate(zip(T, v)):
        if (mask is not None and not mask[i]) or not np.isfinite(x):
            continue
        out.append([int(t), round(float(x), nd)])
    return out


def metric(ns: str, name: str, dims: dict[str, str], unit: str, values, **kw) -> dict[str, Any]:
    points = values if isinstance(values, list) else pts(values, **kw)
    return {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit, "points": points}


# ---------------------------------------------------------------- standard metric sets
def lambda_metrics(fn: str, inv, err, thr, dur, conc) -> list[dict]:
    d = {"FunctionName": fn}
    return [metric("AWS/Lambda", "Invocations", d, "Count", inv),
            metric("AWS/Lambda", "Errors", d, "Count", err),
            metric("AWS/Lambda", "Throttles", d, "Count", thr),
            metric("AWS/Lambda", "Duration", d, "Milliseconds", dur),
            metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)]


def rds_metrics(db: str, cpu, conns, free_storage, read_lat, freeable_mem, write_lat=None) -> list[dict]:
    d = {"DBInstanceIdentifier": db}
    out = [metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu, hi=100),
           metric("AWS/RDS", "DatabaseConnections", d, "Count", conns),
           metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_storage, nd=0),
           metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat, nd=4),
           metric("AWS/RDS", "FreeableMemory", d, "Bytes", freeable_mem, nd=0)]
    if write_lat is not None:
        out.append(metric("AWS/RDS", "WriteLatency", d, "Seconds", write_lat, nd=4))
    return out


def ec2_metrics(iid: str, cpu, net_in, status, mem, disk, fstype: str = "xfs", path: str = "/") -> list[dict]:
    d = {"InstanceId": iid}
    return [metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu, hi=100),
            metric("AWS/EC2", "NetworkIn", d, "Bytes", net_in, nd=0),
            metric("AWS/EC2", "StatusCheckFailed", d, "Count", status),
            metric("CWAgent", "mem_used_percent", d, "Percent", mem, hi=100),
            metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": path, "fstype": fstype},
                   "Percent", disk, hi=100)]


def alb_metrics(lb: str, req, trt, t5xx, e5xx, unhealthy, healthy) -> list[dict]:
    d = {"LoadBalancer": lb}
    return [metric("AWS/ApplicationELB", "RequestCount", d, "Count", req),
            metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", trt),
            metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx),
            metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx),
            metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy),
            metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy)]


def apigw_metrics(api: str, count, e4, e5, latency, stage: str | None = None) -> list[dict]:
    d = {"ApiName": api} if stage is None else {"ApiName": api, "Stage": stage}
    return [metric("AWS/ApiGateway", "Count", d, "Count", count),
            metric("AWS/ApiGateway", "4XXError", d, "Count", e4),
            metric("AWS/ApiGateway", "5XXError", d, "Count", e5),
            metric("AWS/ApiGateway", "Latency", d, "Milliseconds", latency)]


def ecs_metrics(cluster: str, service: str, cpu, mem, running, desired) -> list[dict]:
    d = {"ClusterName": cluster, "ServiceName": service}
    return [metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu, hi=100),
            metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem, hi=100),
            metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running),
            metric("ECS/ContainerInsights", "DesiredTaskCount", d, "Count", desired)]


# ---------------------------------------------------------------- alarms
_OPS: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "GreaterThanThreshold": (lambda v, t: v > t, "greater than"),
    "GreaterThanOrEqualToThreshold": (lambda v, t: v >= t, "greater than or equal to"),
    "LessThanThreshold": (lambda v, t: v < t, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, t: v <= t, "less than or equal to"),
}
_AGG = {"Sum": np.sum, "Average": np.mean, "Maximum": np.max, "Minimum": np.min, "SampleCount": len}


def alarm(ctx: Ctx, name: str, m: dict, statistic: str, period: int, evals: int, threshold: float,
          comparison: str = "GreaterThanThreshold", description: str | None = None,
          expect_state: str = "ALARM", long_reason: bool = True) -> dict[str, Any]:
    """Evaluate the alarm over the generated series (one evaluation per minute over trailing periods)
    so that state, state_changed and state_reason always agree with the data."""
    test, words = _OPS[comparison]
    series = {int(t): v for t, v in m["points"]}
    state, changed, last_vals = "INSUFFICIENT_DATA", START, []
    for end in range(START + period - 60, END + 1, 60):          # end = last minute in the newest period
        vals, ok = [], True
        for k in range(evals):
            hi = end - k * period
            window = [series[t] for t in range(hi - period + 60, hi + 1, 60) if t in series]
            if not window:
                ok = False
                break
            vals.append((hi - period + 60, float(_AGG[statistic](np.array(window)))))
        if not ok:
            continue
        breach = [test(v, threshold) for _, v in vals]
        new = "ALARM" if all(breach) else ("OK" if not any(breach) else state)
        if new == "INSUFFICIENT_DATA":
            new = "OK"
        if new != state:
            state, changed, last_vals = new, end + 60, vals
    assert state == expect_state, f"{name}: evaluated {state}, expected {expect_state}"
    thr = f"{float(threshold)}"
    if state == "ALARM":
        if long_reason:
            dp = ", ".join(f"{round(v, 3)} ({ctx.wall(t).strftime('%d/%m/%y %H:%M:%S')})" for t, v in last_vals)
            reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoints [{dp}] were {words} "
                      f"the threshold ({thr}) (minimum {evals} datapoint{'s' if evals > 1 else ''} "
                      f"for OK -> ALARM transition).")
        else:
            reason = f"Threshold Crossed: {evals} datapoint{'s' if evals > 1 else ''} were {words} the threshold ({thr})."
    else:
        reason = (f"Threshold Crossed: no datapoints were {words} the threshold ({thr}). "
                  f"The most recent datapoints which crossed the threshold were older than the evaluation window.")
    out = {"name": name, "namespace": m["namespace"], "metric": m["name"], "dimensions": dict(m["dimensions"]),
           "statistic": statistic, "period": period, "evaluation_periods": evals, "threshold": threshold,
           "comparison": comparison, "state": state, "state_reason": reason, "state_changed": int(changed)}
    if description:
        out["description"] = description
    return out


def find(metrics: list[dict], name: str, **dims: str) -> dict:
    for m in metrics:
        if m["name"] == name and all(m["dimensions"].get(k) == v for k, v in dims.items()):
            return m
    raise KeyError((name, dims))


def change(t: float, source: str, event: str, rtype: str, rname: str, user: str, **kw) -> dict[str, Any]:
    out = {"time": int(t), "event_source": source, "event_name": event, "resource_type": rtype,
           "resource_name": rname, "username": user}
    out.update(kw)
    return out


def log(group: str, stream: str, events: list) -> dict[str, Any]:
    events = sorted(events, key=lambda e: e[0])
    return {"group": group, "stream": stream, "events": [[round(float(t), 3), s] for t, s in events]}


# ---------------------------------------------------------------- output
def write(path: Path, scenario: dict[str, Any]) -> int:
    text = yaml.dump(scenario, Dumper=_Dumper, sort_keys=False, default_flow_style=None, width=100000,
                     allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return len(text.encode())
