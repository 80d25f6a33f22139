"""Service-level helpers for set 65: metric families per AWS service and request samplers.

Everything draws from the scenario's seeded rng, so output stays deterministic.
CloudWatch publishing conventions are respected where they matter for sparse data:
Lambda and API Gateway publish nothing in minutes without requests, ALB 5XX counts
only appear when non-zero, EC2 basic monitoring publishes one point per 5 minutes.
"""
from __future__ import annotations

import math

from .common import GRID, HISTORY, Scenario

EC2_GRID = list(range(-HISTORY, 0, 300))


def minute(t: float) -> int:
    return int(math.floor(t / 60.0) * 60)


def poisson(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def counts(sc: Scenario, rate, times=None) -> dict:
    """{minute: integer count} drawn from a Poisson process with mean rate(t)."""
    return {t: poisson(sc.rng, rate(t)) for t in (times or GRID)}


def binom(sc: Scenario, n_by_min: dict, prob) -> dict:
    """Thin each minute's count with probability prob(t)."""
    out = {}
    for t, n in n_by_min.items():
        p = max(0.0, min(1.0, prob(t)))
        out[t] = sum(1 for _ in range(int(n)) if sc.rng.random() < p)
    return out


def emit(sc: Scenario, ns: str, name: str, dims: dict, unit: str, mapping: dict) -> None:
    """Publish {time: value} as a metric; None values and absent minutes are no data."""
    times = sorted(t for t, v in mapping.items() if v is not None)
    if not times:
        sc.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims),
                           "unit": unit, "points": []})
        sc._series[(ns, name, tuple(sorted(dims.items())))] = []
        return
    sc.metric(ns, name, dims, unit, [mapping[t] for t in times], times=times)


def smooth(sc: Scenario, fn, noise=0.05, abs_noise=0.0, floor=0.0, cap=None, digits=3,
           times=None) -> dict:
    times = times or GRID
    vals = sc.series(fn, noise=noise, abs_noise=abs_noise, floor=floor, cap=cap,
                     digits=digits, times=times)
    return dict(zip(times, vals))


def request_times(sc: Scenario, n_by_min: dict, start: float = -HISTORY) -> list:
    """Individual request timestamps for each minute's count."""
    out = []
    for m in sorted(n_by_min):
        if m < start:
            continue
        out.extend(sorted(sc.rng.uniform(m, m + 60) for _ in range(int(n_by_min[m]))))
    return out


# --------------------------------------------------------------------------- Lambda
def run_lambda(sc: Scenario, ll, inv: dict, err: dict, body, throttles: dict | None = None,
               concurrency: dict | None = None) -> dict:
    """Run LambdaLogs over inv/err and publish AWS/Lambda metrics consistent with the logs."""
    durs: dict = {}

    def wrapped(l, t, rid, is_err, cold):
        res = body(l, t, rid, is_err, cold)
        d = l.timeout * 1000.0 if res.get("status") == "timeout" else float(res["dur"])
        durs.setdefault(minute(t), []).append(d)
        return res

    ll.run({m: n for m, n in inv.items() if n > 0}, err, wrapped)
    dims = {"FunctionName": ll.fn}
    active = {m for m, n in inv.items() if n > 0}
    if throttles:
        active |= {m for m, n in throttles.items() if n > 0}
    emit(sc, "AWS/Lambda", "Invocations", dims, "Count", {m: float(inv.get(m, 0)) for m in active})
    emit(sc, "AWS/Lambda", "Errors", dims, "Count",
         {m: float(min(inv.get(m, 0), err.get(m, 0))) for m in active})
    emit(sc, "AWS/Lambda", "Duration", dims, "Milliseconds",
         {m: round(sum(v) / len(v), 2) for m, v in durs.items()})
    if throttles is not None:
        emit(sc, "AWS/Lambda", "Throttles", dims, "Count",
             {m: float(throttles.get(m, 0)) for m in active})
    if concurrency is not None:
        emit(sc, "AWS/Lambda", "ConcurrentExecutions", dims, "Count",
             {m: v for m, v in concurrency.items() if m in active})
    return durs


# --------------------------------------------------------------------------- ALB
def alb(sc: Scenario, lb: str, tg: str, req: dict, t5xx: dict, rt: dict,
        elb5xx: dict | None = None, healthy: dict | None = None,
        unhealthy: dict | None = None, t4xx: dict | None = None) -> None:
    d = {"LoadBalancer": lb}
    emit(sc, "AWS/ApplicationELB", "RequestCount", d, "Count",
         {m: float(n) for m, n in req.items() if n > 0})
    emit(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count",
         {m: float(n) for m, n in t5xx.items() if n > 0})
    if t4xx is not None:
        emit(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
             {m: float(n) for m, n in t4xx.items() if n > 0})
    if elb5xx is not None:
        emit(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
             {m: float(n) for m, n in elb5xx.items() if n > 0})
    emit(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
         {m: v for m, v in rt.items() if req.get(m, 0) > 0})
    tgd = {"TargetGroup": tg, "LoadBalancer": lb}
    if healthy is not None:
        emit(sc, "AWS/ApplicationELB", "HealthyHostCount", tgd, "Count", healthy)
    if unhealthy is not None:
        emit(sc, "AWS/ApplicationELB", "UnHealthyHostCount", tgd, "Count", unhealthy)


# --------------------------------------------------------------------------- API Gateway
def apigw(sc: Scenario, api: str, count: dict, e4: dict, e5: dict, latency: dict,
          integ: dict | None = None) -> None:
    d = {"ApiName": api}
    active = sorted(m for m, n in count.items() if n > 0)
    emit(sc, "AWS/ApiGateway", "Count", d, "Count", {m: float(count[m]) for m in active})
    emit(sc, "AWS/ApiGateway", "4XXError", d, "Count", {m: float(e4.get(m, 0)) for m in active})
    emit(sc, "AWS/ApiGateway", "5XXError", d, "Count", {m: float(e5.get(m, 0)) for m in active})
    emit(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", {m: latency[m] for m in active})
    if integ is not None:
        emit(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
             {m: integ[m] for m in active})


# --------------------------------------------------------------------------- ECS / RDS / EC2
def ecs(sc: Scenario, cluster: str, service: str, cpu: dict, mem: dict) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    emit(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu)
    emit(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem)


def rds(sc: Scenario, db: str, cpu: dict, conns: dict, free_gb: dict | None = None,
        freeable_mb: dict | None = None, read_lat: dict | None = None,
        write_iops: dict | None = None) -> None:
    d = {"DBInstanceIdentifier": db}
    emit(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu)
    emit(sc, "AWS/RDS", "DatabaseConnections", d, "Count", conns)
    if free_gb is not None:
        emit(sc, "AWS/RDS", "FreeStorageSpace", d, "Bytes",
             {m: None if v is None else float(round(v * 1024 ** 3)) for m, v in free_gb.items()})
    if freeable_mb is not None:
        emit(sc, "AWS/RDS", "FreeableMemory", d, "Bytes",
             {m: None if v is None else float(round(v * 1024 ** 2)) for m, v in freeable_mb.items()})
    if read_lat is not None:
        emit(sc, "AWS/RDS", "ReadLatency", d, "Seconds", read_lat)
    if write_iops is not None:
        emit(sc, "AWS/RDS", "WriteIOPS", d, "Count/Second", write_iops)


def ec2(sc: Scenario, iid: str, cpu: dict, status: dict | None = None,
        net_in: dict | None = None) -> None:
    d = {"InstanceId": iid}
    emit(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu)
    if net_in is not None:
        emit(sc, "AWS/EC2", "NetworkIn", d, "Bytes", net_in)
    if status is not None:
        emit(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", status)


def instance_id(sc: Scenario) -> str:
    return "i-0" + sc.hexid(16)


def alb_id(sc: Scenario, name: str) -> str:
    return f"app/{name}/{sc.hexid(16)}"


def tg_id(sc: Scenario, name: str) -> str:
    return f"targetgroup/{name}/{sc.hexid(16)}"
