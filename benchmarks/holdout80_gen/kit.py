"""Set-80 helpers that the shared holdout57 building blocks lack: Poisson event emission, metric
families per resource type (values derived from one another so fronts and origins agree) and a
few log formats (log4j, PHP-FPM, .NET JSON console, API Gateway execution log)."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, Scenario, bump, ramp
from benchmarks.holdout57_gen.runtimes import jline

__all__ = ["GRID", "bump", "ramp"]  # re-exported for the sNN_sMM modules

LOG_START = -14400  # application logs cover the last four hours; metrics the last six


class H80(Scenario):
    prefix = "h80"


def new(num: int, slug: str, description: str, region: str, now_iso: str) -> H80:
    return H80(num, slug, description, region, seed=80_000 + num * 37, now_iso=now_iso)


# --------------------------------------------------------------------------- randomness
def pois(sc: Scenario, lam: float) -> int:
    rng = sc.rng
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def binom(sc: Scenario, n: float, p: float) -> int:
    n = int(n or 0)
    if p <= 0 or n <= 0:
        return 0
    if p >= 1:
        return n
    if n > 60:
        return max(0, min(n, round(sc.rng.gauss(n * p, math.sqrt(n * p * (1 - p))))))
    return sum(1 for _ in range(n) if sc.rng.random() < p)


def emit(sc: Scenario, rate, fn, start: float = LOG_START, end: float = 0) -> None:
    """Calls fn(t) at Poisson-distributed times; rate(t) is the expected count per minute."""
    for m in GRID:
        if start <= m < end:
            for t in sorted(sc.rng.uniform(m, m + 60) for _ in range(pois(sc, rate(m)))):
                fn(t)


def pick(sc: Scenario, items):
    return items[sc.rng.randrange(len(items))]


# --------------------------------------------------------------------------- metrics
def put(sc: Scenario, ns: str, name: str, dims: dict, unit: str, src, **kw) -> list:
    """src: a list aligned with GRID (None = no data) or fn(t) sampled with sc.series(**kw)."""
    vals = list(src) if isinstance(src, (list, tuple)) else sc.series(src, **kw)
    return sc.metric(ns, name, dims, unit, vals)


def lam_metrics(sc: Scenario, fn: str, inv, err_frac=lambda t: 0.0, dur=lambda t: 200.0,
                thr=lambda t: 0.0, conc_cap: int | None = None, timeout_s: int | None = None) -> dict:
    """Lambda Invocations/Errors/Throttles/Duration/ConcurrentExecutions; returns the lists."""
    d = {"FunctionName": fn}
    inv_v = inv if isinstance(inv, list) else sc.series(inv, integer=True)
    err_v = [binom(sc, n, err_frac(t)) for t, n in zip(GRID, inv_v)]
    thr_v = thr if isinstance(thr, list) else sc.series(thr, integer=True)
    cap = timeout_s * 1000.0 if timeout_s else None
    dur_v = [None if not n else v for n, v in zip(inv_v, sc.series(dur, noise=0.07, cap=cap, digits=2))]
    conc = []
    for n, ms in zip(inv_v, dur_v):
        c = 0 if not n else max(1, math.ceil(n * (ms or 0) / 60000 * sc.rng.uniform(1.3, 1.9)))
        conc.append(float(min(c, conc_cap) if conc_cap else c))
    put(sc, "AWS/Lambda", "Invocations", d, "Count", inv_v)
    put(sc, "AWS/Lambda", "Errors", d, "Count", [float(x) for x in err_v])
    put(sc, "AWS/Lambda", "Throttles", d, "Count", thr_v)
    put(sc, "AWS/Lambda", "Duration", d, "Milliseconds", dur_v)
    put(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)
    return {"inv": inv_v, "err": err_v, "thr": thr_v, "dur": dur_v}


def apigw_metrics(sc: Scenario, api: str, count: list, e4: list, e5: list, latency) -> dict:
    d = {"ApiName": api}
    lat = latency if isinstance(latency, list) else sc.series(latency, noise=0.08, digits=1)
    integ = [None if v is None else round(max(1.0, v - sc.rng.uniform(4, 14)), 1) for v in lat]
    put(sc, "AWS/ApiGateway", "Count", d, "Count", [float(x) for x in count])
    put(sc, "AWS/ApiGateway", "4XXError", d, "Count", [float(x) for x in e4])
    put(sc, "AWS/ApiGateway", "5XXError", d, "Count", [float(x) for x in e5])
    put(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", lat)
    put(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", integ)
    return {"count": count, "e4": e4, "e5": e5, "lat": lat}


def alb_metrics(sc: Scenario, lb: str, req, t5_frac=lambda t: 0.001, rt=lambda t: 0.08,
                elb5_frac=lambda t: 0.0, t4_frac=lambda t: 0.01, healthy=lambda t: 2,
                unhealthy=lambda t: 0) -> dict:
    d = {"LoadBalancer": lb}
    req_v = req if isinstance(req, list) else sc.series(req, integer=True)
    t5 = [float(binom(sc, n, t5_frac(t))) for t, n in zip(GRID, req_v)]
    e5 = [float(binom(sc, n, elb5_frac(t))) for t, n in zip(GRID, req_v)]
    t4 = [float(binom(sc, n, t4_frac(t))) for t, n in zip(GRID, req_v)]
    put(sc, "AWS/ApplicationELB", "RequestCount", d, "Count", req_v)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.1, digits=4)
    put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5)
    put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5)
    put(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4)
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", d, "Count", [float(healthy(t)) for t in GRID])
    put(sc, "AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", [float(unhealthy(t)) for t in GRID])
    return {"req": req_v, "t5": t5, "e5": e5, "t4": t4}


def ec2_metrics(sc: Scenario, iid: str, cpu, mem=lambda t: 52.0, disk=lambda t: 41.0,
                status=lambda t: 0, net=lambda t: 4.0e6, fstype: str = "xfs", path: str = "/") -> None:
    d = {"InstanceId": iid}
    put(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.08, cap=100.0)
    put(sc, "AWS/EC2", "NetworkIn", d, "Bytes", net, noise=0.12, digits=0)
    put(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", [float(status(t)) for t in GRID])
    put(sc, "CWAgent", "mem_used_percent", d, "Percent", mem, noise=0.015, cap=100.0)
    put(sc, "CWAgent", "disk_used_percent", dict(d, path=path, fstype=fstype), "Percent", disk,
        noise=0.0015, cap=100.0)


def rds_metrics(sc: Scenario, db: str, cpu, conns, free_gb=lambda t: 140.0, mem_gb=lambda t: 3.1,
                read_ms=lambda t: 1.4, write_ms=lambda t: 2.1, iops=lambda t: 350.0, max_conns: float | None = None) -> None:
    d = {"DBInstanceIdentifier": db}

    def sc_(f, k):  # scaled, keeping "no data" (None) minutes
        return lambda t: None if f(t) is None else f(t) * k

    put(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.08, cap=100.0)
    put(sc, "AWS/RDS", "DatabaseConnections", d, "Count", conns, integer=True, cap=max_conns)
    put(sc, "AWS/RDS", "FreeStorageSpace", d, "Bytes", sc_(free_gb, 1e9), noise=0.0005, digits=0)
    put(sc, "AWS/RDS", "FreeableMemory", d, "Bytes", sc_(mem_gb, 1e9), noise=0.02, digits=0)
    put(sc, "AWS/RDS", "ReadLatency", d, "Seconds", sc_(read_ms, 1e-3), noise=0.12, digits=5)
    put(sc, "AWS/RDS", "WriteLatency", d, "Seconds", sc_(write_ms, 1e-3), noise=0.12, digits=5)
    put(sc, "AWS/RDS", "ReadIOPS", d, "Count/Second", iops, noise=0.1, digits=1)


def ecs_metrics(sc: Scenario, cluster: str, service: str, cpu, mem, running=lambda t: 2) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    put(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.08, cap=100.0)
    put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.02, cap=100.0)
    put(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", [float(running(t)) for t in GRID])


def derive(sc: Scenario, base: list, frac) -> list:
    """Per-minute binomial share of another series (e.g. API 5XX from its Count)."""
    return [0 if n is None else binom(sc, n, frac(t)) for t, n in zip(GRID, base)]


# --------------------------------------------------------------------------- log formats
def log4j(sc: Scenario, t: float, level: str, thread: str, logger: str, msg: str) -> str:
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {level:<5} [{thread}] {logger} - {msg}"


def php_err(sc: Scenario, t: float, kind: str, msg: str) -> str:
    return f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')} UTC] PHP {kind}:  {msg}"


def dotnet_json(sc: Scenario, t: float, level: str, category: str, msg: str, event_id: int = 0,
                **state) -> str:
    """Microsoft.Extensions.Logging JSON console formatter."""
    obj = {"Timestamp": sc.iso(t, 6)[:-1] + "+00:00", "EventId": event_id, "LogLevel": level,
           "Category": category, "Message": msg}
    if state:
        obj["State"] = dict(state, **{"{OriginalFormat}": msg})
    return jline(obj)


def apigw_exec(reqid: str, msg: str) -> str:
    return f"({reqid}) {msg}"


def alb_id(sc: Scenario, name: str) -> str:
    return f"app/{name}/{sc.hexid(16)}"


def iid(sc: Scenario) -> str:
    return f"i-0{sc.hexid(16)}"


def meta(sc: Scenario, alarm_on: str, decoys: str, story: str, judgement: str = "",
         services: str = "") -> None:
    sc.meta.update(alarm_on=alarm_on, decoys=decoys, story=story, judgement=judgement,
                   services=services)


def expect(sc: Scenario, alarm: str, category: str, resources: list, anomalies: list) -> None:
    sc.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                 "anomalies": anomalies}
