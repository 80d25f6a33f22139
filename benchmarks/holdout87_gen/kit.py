"""Set 87 kit: the set's Scenario subclass, per-service metric helpers and the log formats the
holdout57 helpers lack (PHP error log, Monolog, Apache/Tomcat access, log4j, logstash JSON,
Powertools JSON). Builders import the generic shapes from benchmarks.holdout57_gen.common."""
from __future__ import annotations

import json
import math

from benchmarks.holdout57_gen.common import GRID, Scenario, counts_per_minute

LAST3H = -10800  # application logs cover the last three hours (metrics cover six)


class H87(Scenario):
    prefix = "h87"


def make(num: int, slug: str, description: str, region: str, now_iso: str) -> H87:
    return H87(num, slug, description, region, seed=87_000 + num * 7919, now_iso=now_iso)


def meta(sc: Scenario, category: str, accepted: list, where: str, decoys: str, story: str,
         judgement: str = "", anomalies: list = (), services: str = "") -> None:
    sc.expect["root_cause"] = {"category": category, "resource": list(accepted)}
    if anomalies:
        sc.expect["anomalies"] = list(anomalies)
    sc.meta.update(category=category, accepted=list(accepted), where=where, decoys=decoys,
                   story=story, judgement=judgement, services=services)


# --------------------------------------------------------------------------- randomness
def poisson(rng, lam: float) -> int:
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


def emit(sc: Scenario, group: str, stream: str, start: float, end: float, rate, line) -> None:
    """Each minute of [start, end): Poisson(rate(t)) events at random seconds; line(t) returns the
    text, a list of texts (logged 1 ms apart) or None."""
    m = int(start // 60 * 60)
    while m < end:
        n = poisson(sc.rng, rate(m))
        for t in sorted(sc.rng.uniform(m, m + 60) for _ in range(n)):
            if t >= end or t < start:
                continue
            out = line(t)
            if out is None:
                continue
            for i, text in enumerate(out if isinstance(out, list) else [out]):
                sc.log(group, stream, t + i * 0.001, text)
        m += 60


def every(sc: Scenario, group: str, stream: str, start: float, end: float, period: float, line,
          jitter: float = 1.5) -> None:
    t = start
    while t < end:
        out = line(t)
        if out is not None:
            for i, text in enumerate(out if isinstance(out, list) else [out]):
                sc.log(group, stream, t + sc.rng.uniform(0, jitter) + i * 0.001, text)
        t += period


def thin(inv: list, err: list, start: float, cap: int, end: float = 0) -> tuple:
    """Sampled invocation/error counts per minute (at most `cap` invocations a minute, errors
    kept in proportion) for LambdaLogs.run, so logs stay small but error ratios stay honest."""
    i = counts_per_minute(inv, start, end)
    e = counts_per_minute(err, start, end)
    si, se = {}, {}
    for m, n in i.items():
        k = min(int(n), cap)
        si[m] = k
        if n > 0:
            se[m] = min(k, int(round(e.get(m, 0) * k / n + 0.49 * (e.get(m, 0) > 0))))
    return si, se


# --------------------------------------------------------------------------- metrics
def put(sc, ns, name, dims, unit, fn, **kw) -> list:
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


def zero(t):
    return 0.0


def lambda_metrics(sc, fn, inv, dur, err=zero, thr=zero, conc=None, conc_cap=None) -> dict:
    d = {"FunctionName": fn}
    out = {"inv": put(sc, "AWS/Lambda", "Invocations", d, "Count", inv, integer=True),
           "err": put(sc, "AWS/Lambda", "Errors", d, "Count", err, integer=True),
           "thr": put(sc, "AWS/Lambda", "Throttles", d, "Count", thr, integer=True)}
    put(sc, "AWS/Lambda", "Duration", d, "Milliseconds", dur, noise=0.08, digits=2)
    conc = conc or (lambda t: 1.0 + inv(t) * dur(t) / 60000.0 * 1.8)
    put(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, integer=True, floor=1,
        cap=conc_cap)
    return out


def alb_metrics(sc, lb, req, rt, t5=zero, e5=zero, t4=None, healthy=None, unhealthy=zero) -> dict:
    d = {"LoadBalancer": lb}
    out = {"req": put(sc, "AWS/ApplicationELB", "RequestCount", d, "Count", req, integer=True)}
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.07, digits=4)
    out["t5"] = put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5, integer=True)
    out["e5"] = put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5, integer=True)
    put(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
        t4 or (lambda t: req(t) * 0.012), integer=True)
    if healthy:
        put(sc, "AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, noise=0, digits=0)
        put(sc, "AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, noise=0, digits=0)
    return out


def ec2_metrics(sc, iid, cpu, mem, disk, net=lambda t: 4.0e6) -> None:
    d = {"InstanceId": iid}
    put(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)
    put(sc, "AWS/EC2", "NetworkIn", d, "Bytes", net, noise=0.15)
    put(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", zero, integer=True)
    put(sc, "CWAgent", "mem_used_percent", d, "Percent", mem, noise=0.02, cap=100.0)
    put(sc, "CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"},
        "Percent", disk, noise=0.002, cap=100.0)


def _scaled(fn, k):
    return lambda t: None if fn(t) is None else fn(t) * k


def rds_metrics(sc, db, cpu, conns, free_gb, freemem_gb=lambda t: 5.5, rlat=lambda t: 0.0012,
                wlat=lambda t: 0.0021) -> None:
    d = {"DBInstanceIdentifier": db}
    put(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.07, cap=100.0)
    put(sc, "AWS/RDS", "DatabaseConnections", d, "Count", conns, noise=0.04, digits=0)
    put(sc, "AWS/RDS", "FreeStorageSpace", d, "Bytes", _scaled(free_gb, 1e9), noise=0.0004,
        digits=0)
    put(sc, "AWS/RDS", "FreeableMemory", d, "Bytes", _scaled(freemem_gb, 1e9), noise=0.02,
        digits=0)
    put(sc, "AWS/RDS", "ReadLatency", d, "Seconds", rlat, noise=0.15, digits=5)
    put(sc, "AWS/RDS", "WriteLatency", d, "Seconds", wlat, noise=0.15, digits=5)


def ecs_metrics(sc, cluster, service, cpu, mem, tasks) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    put(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.07, cap=100.0)
    put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.03, cap=100.0)
    put(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", tasks, noise=0, digits=0)


def apigw_metrics(sc, api, count, lat, e4=None, e5=zero, integ=None) -> dict:
    d = {"ApiName": api}
    out = {"count": put(sc, "AWS/ApiGateway", "Count", d, "Count", count, integer=True)}
    out["e4"] = put(sc, "AWS/ApiGateway", "4XXError", d, "Count",
                    e4 or (lambda t: count(t) * 0.02), integer=True)
    out["e5"] = put(sc, "AWS/ApiGateway", "5XXError", d, "Count", e5, integer=True)
    put(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", lat, noise=0.08, digits=2)
    put(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
        integ or (lambda t: lat(t) * 0.92), noise=0.08, digits=2)
    return out


# --------------------------------------------------------------------------- ids
def alb_id(sc, name: str) -> str:
    return f"app/{name}/{sc.hexid(16)}"


def instance_id(sc) -> str:
    return f"i-0{sc.hexid(16)}"


def task_id(sc) -> str:
    return sc.hexid(32)


def trace_id(sc, t: float) -> str:
    return f"1-{int(sc.at(t).timestamp()):08x}-{sc.hexid(24)}"


# --------------------------------------------------------------------------- log formats
def php_error(sc, t, level: str, msg: str) -> str:
    """PHP error_log line: [14-Apr-2027 21:03:11 UTC] PHP Fatal error:  ..."""
    return f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')} UTC] PHP {level}:  {msg}"


def fpm(sc, t, level: str, msg: str) -> str:
    return f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] {level}: {msg}"


def monolog(sc, t, channel: str, level: str, msg: str, ctx: dict | None = None) -> str:
    d = sc.at(t)
    c = json.dumps(ctx or {}, separators=(",", ":")) if ctx else "[]"
    return f"[{d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}+00:00] {channel}.{level}: {msg} {c} []"


def apache(sc, t, ip, method, path, status, size, micros, ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64)") -> str:
    d = sc.at(t)
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" '
            f'{status} {size} "-" "{ua}" {int(micros)}')


def tomcat_access(sc, t, ip, method, path, status, size, ms, thread) -> str:
    d = sc.at(t)
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" '
            f'{status} {size} {int(ms)} "{thread}"')


def log4j(sc, t, level: str, thread: str, logger: str, msg: str) -> str:
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {level:<5} [{thread}] {logger} - {msg}"


def logstash(sc, t, level: str, logger: str, thread: str, msg: str, **kv) -> str:
    obj = {"@timestamp": sc.iso(t), "@version": "1", "message": msg, "logger_name": logger,
           "thread_name": thread, "level": level,
           "level_value": {"DEBUG": 10000, "INFO": 20000, "WARN": 30000, "ERROR": 40000}[level]}
    obj.update(kv)
    return json.dumps(obj, separators=(",", ":"))


def powertools(sc, t, level: str, location: str, msg, service: str, xray: str, **kv) -> str:
    d = sc.at(t)
    obj = {"level": level, "location": location, "message": msg,
           "timestamp": f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d}+0000",
           "service": service}
    obj.update(kv)
    obj["xray_trace_id"] = xray
    return json.dumps(obj, separators=(",", ":"))


def pytrace(exc: str, frames: list) -> str:
    body = "".join(f'  File "{f}", line {ln}, in {fn}\n    {code}\n' for f, ln, fn, code in frames)
    return f"Traceback (most recent call last):\n{body}{exc}"


def grid_minutes(start: float, end: float = 0) -> list:
    return [t for t in GRID if start <= t < end]


def IP(sc) -> str:
    """A client address as a target behind an ALB sees it (the load balancer's private IP)."""
    return sc.ip("10.20")
