"""Set-92 helpers that the shared holdout57 building blocks lack.

The shared `Scenario` (series, alarms evaluated against their own data, YAML dump) and the log
formatters come from `benchmarks.holdout57_gen`; this module adds the file-name prefix, per-service
metric bundles, id makers, sparse log sampling and a few log formats (Laravel/Monolog, php-fpm,
Bref, API Gateway execution logs) used by the real-estate portal scenarios.
"""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, Scenario

ZERO = [0.0] * len(GRID)


class H92(Scenario):
    prefix = "h92"


def make(num: int, slug: str, description: str, region: str, now_iso: str, **meta) -> H92:
    """A seeded scenario; `meta` feeds the README (story, decoys, side, judgement, services...)."""
    sc = H92(num, slug, description, region, seed=92_000 + num * 37, now_iso=now_iso)
    sc.meta.update(meta)
    return sc


def expect(sc: H92, alarm: str, category: str, resources: list, anomalies: list) -> None:
    sc.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                 "anomalies": anomalies}


def anomaly(namespace: str, name: str, dims: dict) -> dict:
    return {"namespace": namespace, "name": name, "dimensions": dict(dims)}


# --------------------------------------------------------------------------- series shortcuts
def cnt(sc: H92, f, noise: float = 0.05) -> list:
    return sc.series(f, noise=noise, integer=True)


def val(sc: H92, f, noise: float = 0.06, digits: int = 3, cap=None, abs_noise: float = 0.0,
        floor: float = 0.0) -> list:
    return sc.series(f, noise=noise, digits=digits, cap=cap, abs_noise=abs_noise, floor=floor)


def at_minute(values: list, t: float) -> float:
    i = int((t - GRID[0]) // 60)
    return values[i] if 0 <= i < len(values) and values[i] is not None else 0.0


# --------------------------------------------------------------------------- ids
def instance_id(sc: H92) -> str:
    return "i-0" + sc.hexid(16)


def alb_id(sc: H92, name: str) -> str:
    return f"app/{name}/{sc.hexid(16)}"


def api_id(sc: H92) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(sc.rng.choice(alphabet) for _ in range(10))


def task_id(sc: H92) -> str:
    return sc.hexid(32)


# --------------------------------------------------------------------------- metric bundles
def lambda_metrics(sc: H92, fn: str, inv, err, dur, thr=None, conc=None) -> dict:
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", thr or ZERO)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds",
              [None if not n else v for n, v in zip(inv, dur)])
    if conc is not None:
        sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)
    return d


def alb_metrics(sc: H92, lb: str, req, rt, t5, e5, healthy, unhealthy, t4=None) -> dict:
    d = {"LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5)
    if t4 is not None:
        sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy)
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy)
    return d


def apigw_metrics(sc: H92, api: str, count, e4, e5, lat, ilat=None) -> dict:
    d = {"ApiName": api}
    sc.metric("AWS/ApiGateway", "Count", d, "Count", count)
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", e4)
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", e5)
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lat)
    if ilat is not None:
        sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", ilat)
    return d


def rds_metrics(sc: H92, db: str, cpu, conns, free_bytes, mem_bytes, rlat, wlat=None) -> dict:
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns)
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_bytes)
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes", mem_bytes)
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", rlat)
    if wlat is not None:
        sc.metric("AWS/RDS", "WriteLatency", d, "Seconds", wlat)
    return d


def ecs_metrics(sc: H92, cluster: str, service: str, cpu, mem, running=None) -> dict:
    d = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem)
    if running is not None:
        sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running)
    return d


def ec2_metrics(sc: H92, iid: str, cpu, netin, mem, disk, fstype: str = "xfs") -> dict:
    d = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", netin)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", ZERO)
    sc.metric("CWAgent", "mem_used_percent", d, "Percent", mem)
    sc.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": fstype},
              "Percent", disk)
    return d


# --------------------------------------------------------------------------- sparse logging
def sample(sc: H92, inv: list, err: list, cap: int = 3, start: float = -10 ** 9) -> tuple:
    """The logged subset of a Lambda's invocations: at most `cap` a minute, errors in proportion
    (an erroring minute logs at least one error so the signature is visible)."""
    logged, errs = {}, {}
    for t, n, e in zip(GRID, inv, err):
        if t < start or not n:
            continue
        k = min(int(n), cap)
        frac = min(1.0, (e or 0.0) / n)
        ke = sum(1 for _ in range(k) if sc.rng.random() < frac)
        if e and frac >= 0.2 and ke == 0:
            ke = 1
        logged[t], errs[t] = k, ke
    return logged, errs


def sprinkle(sc: H92, start: float, end: float, per_min, emit) -> None:
    """Call emit(t) about per_min(t) (or a constant) times a minute over [start, end)."""
    rng = sc.rng
    for m in GRID:
        if m < start or m >= end:
            continue
        r = per_min(m) if callable(per_min) else per_min
        n = int(r) + (1 if rng.random() < r - int(r) else 0)
        for t in sorted(rng.uniform(m, m + 60) for _ in range(n)):
            emit(t)


# --------------------------------------------------------------------------- extra log formats
def monolog(sc: H92, t: float, level: str, msg: str, ctx: str = "[]", channel: str = "production") -> str:
    """Laravel / Monolog LineFormatter."""
    d = sc.at(t)
    return f"[{d.strftime('%Y-%m-%d %H:%M:%S')}] {channel}.{level.upper()}: {msg} {ctx} []"


def fpm(sc: H92, t: float, level: str, msg: str) -> str:
    """php-fpm master log line."""
    return f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] {level.upper()}: {msg}"


def apigw_exec(sc: H92, t: float, path: str, method: str, status: int, middle: list,
               fn_arn: str | None = None, lat_ms: float = 80.0) -> list:
    """[(t, line)] of one REST API execution-log request."""
    rid = sc.uuid()
    d = sc.at(t)
    lines = [f"({rid}) Extended Request Id: {sc.hexid(8).upper()}=",
             f"({rid}) Verifying Usage Plan for request: {rid}. API Key:  API Stage: {sc.hexid(10)}/prod",
             f"({rid}) Starting execution for request: {rid}",
             f"({rid}) HTTP Method: {method}, Resource Path: {path}"]
    if fn_arn:
        lines.append(f"({rid}) Endpoint request URI: https://lambda.{sc.region}.amazonaws.com/"
                     f"2015-03-31/functions/{fn_arn}/invocations")
        lines.append(f"({rid}) Sending request to https://lambda.{sc.region}.amazonaws.com/"
                     f"2015-03-31/functions/{fn_arn}/invocations")
    out = [(t + i * 0.001, x) for i, x in enumerate(lines)]
    end = t + lat_ms / 1000.0
    for i, x in enumerate(middle):
        out.append((end - 0.003 + i * 0.001, f"({rid}) {x}"))
    out.append((end + 0.002, f"({rid}) Method completed with status: {status}"))
    _ = d
    return out
