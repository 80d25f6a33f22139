"""Shared building blocks for the holdout-9 scenario generator.

Everything is seeded: a scenario builder gets a :class:`Ctx` with its own numpy RNG, a fake
wall clock (used only to render timestamps inside log lines / alarm reasons) and collectors for
resources, metrics, logs, alarms and changes. Times are seconds relative to load ("now").
"""
from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta, timezone

import numpy as np
import yaml

START = -21600          # first metric point
N = 360                 # one-minute points -21600 .. -60
T = np.arange(START, 0, 60)
LOG_START = -10800      # detailed logs cover the last 3 h (as the public examples do)
ACCOUNT = "123456789012"


def idx(t: float) -> int:
    """Minute index of relative time t."""
    return int(math.floor((t - START) / 60))


class Ctx:
    def __init__(self, seed: int, name: str, region: str, now: datetime):
        self.rng = np.random.default_rng(seed)
        self.name = name
        self.region = region
        self.now = now.replace(tzinfo=timezone.utc)
        self.resources: list[dict] = []
        self.metrics: list[dict] = []
        self.logs: list[dict] = []
        self.alarms: list[dict] = []
        self.changes: list[dict] = []
        self._series: dict[tuple, dict[float, float]] = {}

    # ---- ids and clock -------------------------------------------------
    def uid(self) -> str:
        return str(uuid.UUID(bytes=self.rng.bytes(16), version=4))

    def hexid(self, n: int = 32) -> str:
        return self.rng.bytes((n + 1) // 2).hex()[:n]

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{int(self.rng.integers(1, 9))}.{int(self.rng.integers(2, 250))}"

    def wall(self, t: float) -> datetime:
        return self.now + timedelta(seconds=float(t))

    def iso(self, t: float) -> str:
        return self.wall(t).strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.wall(t).microsecond // 1000:03d}Z"

    def day(self) -> str:
        return self.wall(LOG_START).strftime("%Y/%m/%d")

    # ---- series helpers (arrays of N minute values) --------------------
    def noise(self, base, sd) -> np.ndarray:
        return np.asarray(base, dtype=float) + self.rng.normal(0.0, sd, N)

    def drift(self, base: float, amp: float, period_h: float = 9.0, phase: float | None = None) -> np.ndarray:
        """Slow diurnal-looking drift over the 6 hours."""
        ph = self.rng.uniform(0, 2 * math.pi) if phase is None else phase
        return base * (1.0 + amp * np.sin(2 * math.pi * T / (period_h * 3600) + ph))

    def poisson(self, lam) -> np.ndarray:
        return self.rng.poisson(np.clip(np.asarray(lam, dtype=float), 0, None)).astype(float)

    @staticmethod
    def after(t: float) -> np.ndarray:
        return T >= t

    @staticmethod
    def ramp(t0: float, t1: float) -> np.ndarray:
        """0 before t0, linear to 1 at t1, 1 after."""
        return np.clip((T - t0) / max(1.0, (t1 - t0)), 0.0, 1.0)

    def spikes(self, times, width_min: int, height: float) -> np.ndarray:
        out = np.zeros(N)
        for t in times:
            i = idx(t)
            for k in range(width_min):
                if 0 <= i + k < N:
                    out[i + k] += height * (0.7 + 0.3 * self.rng.random())
        return out

    # ---- collectors ----------------------------------------------------
    def resource(self, type_: str, id_: str, **props) -> None:
        entry = {"type": type_, "id": id_}
        if props:
            entry["properties"] = props
        self.resources.append(entry)

    def metric(self, ns: str, name: str, dims: dict, unit: str, values, decimals: int = 3,
               missing=None) -> None:
        vals = np.asarray(values, dtype=float)
        pts = []
        for i, (t, v) in enumerate(zip(T, vals)):
            if missing is not None and missing[i]:
                continue
            v = round(float(v), decimals) if decimals else float(round(float(v)))
            pts.append([int(t), v])
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit, "points": pts})
        self._series[(ns, name, tuple(sorted(dims.items())))] = {p[0]: p[1] for p in pts}

    def log(self, group: str, stream: str, events) -> None:
        ev = sorted(([round(float(t), 3), str(m)] for t, m in events if t < 0), key=lambda e: e[0])
        self.logs.append({"group": group, "stream": stream, "events": ev})

    def change(self, t: float, source: str, event: str, rtype: str, rname: str, user: str) -> None:
        self.changes.append({"time": int(t), "event_source": source, "event_name": event,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    # ---- alarms ---------------------------------------------------------
    def alarm(self, name: str, ns: str, metric: str, dims: dict, statistic: str, period: int, n: int,
              threshold: float, comparison: str = "GreaterThanThreshold", description: str | None = None,
              expect_state: str = "ALARM") -> dict:
        series = self._series[(ns, metric, tuple(sorted(dims.items())))]
        state, changed, reason = evaluate(self, series, statistic, period, n, threshold, comparison)
        assert state == expect_state, f"{self.name}: alarm {name} evaluates to {state}"
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims), "statistic": statistic,
             "period": period, "evaluation_periods": n, "threshold": threshold, "comparison": comparison,
             "state": state, "state_reason": reason, "state_changed": changed}
        if description:
            a["description"] = description
        self.alarms.append(a)
        return a

    def build(self, description: str, expect: dict) -> dict:
        return {"format": "aiops-scenario/v1", "name": self.name, "description": description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": expect}


_CMP = {"GreaterThanThreshold": (lambda v, x: v > x, "greater than"),
        "GreaterThanOrEqualToThreshold": (lambda v, x: v >= x, "greater than or equal to"),
        "LessThanThreshold": (lambda v, x: v < x, "less than"),
        "LessThanOrEqualToThreshold": (lambda v, x: v <= x, "less than or equal to")}


def _agg(vals: list[float], stat: str) -> float:
    if stat == "Sum":
        return sum(vals)
    if stat == "Maximum":
        return max(vals)
    if stat == "Minimum":
        return min(vals)
    if stat == "SampleCount":
        return float(len(vals))
    return sum(vals) / len(vals)


def _fmt(v: float) -> str:
    return f"{v:.1f}" if abs(v - round(v)) < 1e-9 else f"{v:.6g}"


def evaluate(ctx: Ctx, series: dict, stat: str, period: int, n: int, thr: float, cmp: str):
    """CloudWatch-like N-of-N evaluation over period buckets; returns (state, state_changed, reason)."""
    test, words = _CMP[cmp]
    starts = list(range(START, 0, period))
    buckets = []
    for s in starts:
        vals = [v for t, v in series.items() if s <= t < s + period]
        buckets.append((s, _agg(vals, stat) if vals else None))
    breach = [v is not None and test(v, thr) for _, v in buckets]
    # final run of breaching buckets
    k = len(breach)
    while k > 0 and breach[k - 1]:
        k -= 1
    run = len(breach) - k
    if run >= n:
        first = k + n - 1
        changed = buckets[first][0] + period + 45
        shown = [buckets[j] for j in range(first, first - n, -1)]
        pts = ", ".join(f"{_fmt(v)} ({ctx.wall(s).strftime('%d/%m/%y %H:%M:%S')})" for s, v in shown)
        if n == 1:
            reason = f"Threshold Crossed: 1 datapoint [{pts}] was {words} the threshold ({_fmt(thr)})."
        else:
            reason = (f"Threshold Crossed: {n} out of the last {n} datapoints [{pts}] were {words} the threshold "
                      f"({_fmt(thr)}) (minimum {n} datapoints for OK -> ALARM transition).")
        return "ALARM", changed, reason
    return "OK", 0, "Threshold Crossed: no datapoints were breaching"


# ---- standard per-service metric sets ----------------------------------------------------------

def lambda_metrics(ctx: Ctx, fn: str, inv, err, dur, throttles=None, conc=None) -> None:
    inv = np.asarray(inv, float)
    dur = np.asarray(dur, float)
    d = {"FunctionName": fn}
    if conc is None:
        conc = np.maximum(np.ceil(inv * dur / 60000.0 + ctx.rng.normal(0, 0.4, N)), np.where(inv > 0, 1, 0))
    ctx.metric("AWS/Lambda", "Invocations", d, "Count", inv, 0)
    ctx.metric("AWS/Lambda", "Errors", d, "Count", err, 0)
    ctx.metric("AWS/Lambda", "Throttles", d, "Count", np.zeros(N) if throttles is None else throttles, 0)
    ctx.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur, 3, missing=inv <= 0)
    ctx.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", np.clip(conc, 0, None), 0)


def rds_metrics(ctx: Ctx, db: str, cpu, conns, free_storage, read_lat, write_lat, freeable, disk_queue=None) -> None:
    d = {"DBInstanceIdentifier": db}
    ctx.metric("AWS/RDS", "CPUUtilization", d, "Percent", np.clip(cpu, 0.5, 100), 3)
    ctx.metric("AWS/RDS", "DatabaseConnections", d, "Count", np.clip(np.round(conns), 0, None), 0)
    ctx.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", np.round(np.asarray(free_storage) / 1e6) * 1e6, 1)
    ctx.metric("AWS/RDS", "ReadLatency", d, "Seconds", np.clip(read_lat, 0.0002, None), 4)
    ctx.metric("AWS/RDS", "WriteLatency", d, "Seconds", np.clip(write_lat, 0.0002, None), 4)
    ctx.metric("AWS/RDS", "FreeableMemory", d, "Bytes", np.round(np.asarray(freeable) / 1e6) * 1e6, 1)
    if disk_queue is None:
        disk_queue = np.abs(ctx.noise(0.4, 0.15))
    ctx.metric("AWS/RDS", "DiskQueueDepth", d, "Count", np.clip(disk_queue, 0, None), 3)


def ec2_metrics(ctx: Ctx, iid: str, cpu, netin, mem, disk, status=None) -> None:
    d = {"InstanceId": iid}
    ctx.metric("AWS/EC2", "CPUUtilization", d, "Percent", np.clip(cpu, 0.1, 100), 3)
    ctx.metric("AWS/EC2", "NetworkIn", d, "Bytes", np.clip(netin, 1e4, None), 1)
    ctx.metric("AWS/EC2", "StatusCheckFailed", d, "Count", np.zeros(N) if status is None else status, 0)
    ctx.metric("CWAgent", "mem_used_percent", d, "Percent", np.clip(mem, 1, 100), 3)
    ctx.metric("CWAgent", "disk_used_percent", {**d, "path": "/", "fstype": "xfs"}, "Percent",
               np.clip(disk, 1, 100), 3)


def alb_metrics(ctx: Ctx, lb: str, req, rt, t5xx, e5xx, healthy, unhealthy=None) -> None:
    d = {"LoadBalancer": lb}
    ctx.metric("AWS/ApplicationELB", "RequestCount", d, "Count", np.clip(np.round(req), 0, None), 0)
    ctx.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", np.clip(rt, 0.001, None), 3)
    ctx.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", np.clip(t5xx, 0, None), 0)
    ctx.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", np.clip(e5xx, 0, None), 0)
    h = np.asarray(healthy, float) if np.ndim(healthy) else np.full(N, float(healthy))
    ctx.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", h, 0)
    ctx.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", np.zeros(N) if unhealthy is None else unhealthy, 0)


def apigw_metrics(ctx: Ctx, api: str, count, e4, e5, latency, integ=None) -> None:
    d = {"ApiName": api}
    ctx.metric("AWS/ApiGateway", "Count", d, "Count", np.clip(np.round(count), 0, None), 0)
    ctx.metric("AWS/ApiGateway", "4XXError", d, "Count", np.clip(e4, 0, None), 0)
    ctx.metric("AWS/ApiGateway", "5XXError", d, "Count", np.clip(e5, 0, None), 0)
    ctx.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", np.clip(latency, 5, None), 3)
    ctx.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
               np.clip(np.asarray(latency) - 9 if integ is None else integ, 2, None), 3)


def ecs_metrics(ctx: Ctx, cluster: str, service: str, cpu, mem, running) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    ctx.metric("AWS/ECS", "CPUUtilization", d, "Percent", np.clip(cpu, 0.1, 100), 3)
    ctx.metric("AWS/ECS", "MemoryUtilization", d, "Percent", np.clip(mem, 0.1, 100), 3)
    r = np.asarray(running, float) if np.ndim(running) else np.full(N, float(running))
    ctx.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", r, 0)


# ---- YAML ------------------------------------------------------------------------------------

_Base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_Base):  # type: ignore[misc, valid-type]
    def ignore_aliases(self, data):  # no &id001 anchors
        return True


def dump(data: dict, path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh, Dumper=_Dumper, default_flow_style=None, sort_keys=False, allow_unicode=True,
                  width=1_000_000)
