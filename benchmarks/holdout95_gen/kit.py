"""Set-95 additions to the shared holdout57 helpers: the h95 scenario class, Poisson event
times, binomial error counts, per-service metric bundles and a few log formats the shared
runtimes module lacks (Serilog compact JSON, logstash JSON, IIS W3C, gunicorn access)."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, HISTORY, Scenario, bump, diurnal, ramp, step
from benchmarks.holdout57_gen.runtimes import jline

__all__ = ["S95", "new", "pois", "times", "binom", "put", "vals", "lam_metrics", "alb_metrics",
           "apigw_metrics", "ecs_metrics", "rds_metric", "clef", "logstash", "iis", "gaccess",
           "GRID", "HISTORY", "bump", "diurnal", "ramp", "step", "jline", "EAST", "CAN"]

EAST, CAN = "us-east-2", "ca-central-1"


class S95(Scenario):
    prefix = "h95"


def new(num: int, slug: str, description: str, region: str, now_iso: str) -> S95:
    return S95(num, slug, description, region, seed=950_000 + 7919 * num, now_iso=now_iso)


# --------------------------------------------------------------------------- randomness
def pois(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def times(sc: S95, rate, start: float = -HISTORY, end: float = 0) -> list:
    """Event times whose count per grid minute is Poisson(rate(minute))."""
    out = []
    for m in GRID:
        if start <= m < end:
            n = pois(sc.rng, rate(m))
            out += sorted(sc.rng.uniform(max(m, start), m + 60) for _ in range(n))
    return [t for t in out if t < end]


def binom(sc: S95, counts: list, p) -> list:
    """Per-minute failures out of `counts` with probability p(t)."""
    out = []
    for t, c in zip(GRID, counts):
        if c is None:
            out.append(None)
            continue
        q = min(1.0, max(0.0, p(t)))
        n = int(c)
        if n * q > 25 and n * (1 - q) > 25:
            k = round(sc.rng.gauss(n * q, math.sqrt(n * q * (1 - q))))
        else:
            k = sum(1 for _ in range(n) if sc.rng.random() < q)
        out.append(float(min(n, max(0, k))))
    return out


# --------------------------------------------------------------------------- metrics
def put(sc: S95, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> list:
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


def vals(sc: S95, ns: str, name: str, dims: dict, unit: str, values: list) -> list:
    return sc.metric(ns, name, dims, unit, values)


def lam_metrics(sc: S95, fn: str, inv, err_p, dur, timeout: int, throttles=None,
                conc=None, inv_values=None):
    """AWS/Lambda Invocations, Errors, Duration (+ Throttles, ConcurrentExecutions)."""
    d = {"FunctionName": fn}
    inv_v = inv_values if inv_values is not None else sc.series(inv, noise=0.08, integer=True)
    vals(sc, "AWS/Lambda", "Invocations", d, "Count", inv_v)
    err_v = vals(sc, "AWS/Lambda", "Errors", d, "Count", binom(sc, inv_v, err_p))
    dv = sc.series(dur, noise=0.06, cap=timeout * 1000.0, digits=2)
    vals(sc, "AWS/Lambda", "Duration", d, "Milliseconds",
         [None if not n else v for n, v in zip(inv_v, dv)])
    if throttles is not None:
        put(sc, "AWS/Lambda", "Throttles", d, "Count", throttles, integer=True)
    if conc is not None:
        put(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, noise=0.06, integer=True)
    return inv_v, err_v


def alb_metrics(sc: S95, lb: str, req, t5_p, e5_p, trt, healthy: float | list = 2.0,
                unhealthy=None, t4_p=lambda t: 0.004) -> list:
    d = {"LoadBalancer": lb}
    ns = "AWS/ApplicationELB"
    req_v = put(sc, ns, "RequestCount", d, "Count", req, noise=0.05, integer=True)
    vals(sc, ns, "HTTPCode_Target_5XX_Count", d, "Count", binom(sc, req_v, t5_p))
    vals(sc, ns, "HTTPCode_ELB_5XX_Count", d, "Count", binom(sc, req_v, e5_p))
    vals(sc, ns, "HTTPCode_Target_4XX_Count", d, "Count", binom(sc, req_v, t4_p))
    put(sc, ns, "TargetResponseTime", d, "Seconds", trt, noise=0.08, digits=4)
    hv = healthy if isinstance(healthy, list) else [float(healthy)] * len(GRID)
    vals(sc, ns, "HealthyHostCount", d, "Count", hv)
    uv = unhealthy if unhealthy is not None else [0.0] * len(GRID)
    vals(sc, ns, "UnHealthyHostCount", d, "Count", uv)
    return req_v


def apigw_metrics(sc: S95, api: str, count, e5_p, e4_p, lat, integ=None) -> tuple:
    d = {"ApiName": api}
    ns = "AWS/ApiGateway"
    c = put(sc, ns, "Count", d, "Count", count, noise=0.05, integer=True)
    e5 = vals(sc, ns, "5XXError", d, "Count", binom(sc, c, e5_p))
    vals(sc, ns, "4XXError", d, "Count", binom(sc, c, e4_p))
    put(sc, ns, "Latency", d, "Milliseconds", lat, noise=0.07, digits=2)
    if integ is not None:
        put(sc, ns, "IntegrationLatency", d, "Milliseconds", integ, noise=0.07, digits=2)
    return c, e5


def ecs_metrics(sc: S95, cluster: str, service: str, cpu, mem, tasks=None) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    put(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0, digits=2)
    put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.015, cap=100.0, digits=2)
    if tasks is not None:
        put(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", tasks, noise=0.0)


def rds_metric(sc: S95, db: str, name: str, unit: str, fn, **kw) -> list:
    return put(sc, "AWS/RDS", name, {"DBInstanceIdentifier": db}, unit, fn, **kw)


# --------------------------------------------------------------------------- log formats
def clef(sc: S95, t: float, level: str, template: str, exc: str | None = None, **props) -> str:
    """Serilog compact JSON (CLEF): @t, @mt, @l (absent for Information), @x, properties."""
    obj = {"@t": sc.iso(t, 6), "@mt": template}
    if level != "Information":
        obj["@l"] = level
    if exc:
        obj["@x"] = exc
    obj.update(props)
    return jline(obj)


def logstash(sc: S95, t: float, level: str, logger: str, msg: str, thread: str = "http-nio-8080-exec-4",
             stack: str | None = None, **kv) -> str:
    """logstash-logback-encoder JSON, as Spring Boot services ship it."""
    obj = {"@timestamp": sc.iso(t), "@version": "1", "message": msg, "logger_name": logger,
           "thread_name": thread, "level": level, "level_value": {"ERROR": 40000, "WARN": 30000,
                                                                  "INFO": 20000}.get(level, 10000)}
    if stack:
        obj["stack_trace"] = stack
    obj.update(kv)
    return jline(obj)


def iis(sc: S95, t: float, sip: str, method: str, path: str, query: str, cip: str, status: int,
        ms: int, ua: str = "PosBackOffice/7.4+(Windows+NT+10.0)", sub: int = 0, win32: int = 0) -> str:
    """IIS W3C extended log line (default field set)."""
    d = sc.at(t)
    return (f"{d.strftime('%Y-%m-%d %H:%M:%S')} {sip} {method} {path} {query or '-'} 443 - {cip} "
            f"{ua} - {status} {sub} {win32} {ms}")


def gaccess(sc: S95, t: float, ip: str, method: str, path: str, status: int, size: int,
            us: int, ua: str = "python-requests/2.32.3") -> str:
    """gunicorn access log (default format plus request time in microseconds)."""
    d = sc.at(t)
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" '
            f'{status} {size} "-" "{ua}" {us}')
