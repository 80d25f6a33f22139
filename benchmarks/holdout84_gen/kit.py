"""What set 84 adds to the shared holdout57 helpers: the h84 Scenario, Poisson-like event
times, per-service metric bundles (one call writes the series a responder would chart for a
Lambda function, ALB, ECS service, RDS instance, EC2 instance or REST API) and the few log
formats the shared runtimes module lacks (log4j, log4net, IIS W3C, .NET JSON console,
Laravel, SQL Server errorlog, API Gateway execution logs)."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, HISTORY, Scenario
from benchmarks.holdout57_gen.runtimes import jline

GB = 1024 ** 3
LOG_FROM = -10800  # invocation-level Lambda logs cover the last three hours


class H84(Scenario):
    prefix = "h84"


def meta(sc, *, alarm_on: str, decoys: str, services: str, story: str) -> None:
    sc.meta.update(alarm_on=alarm_on, decoys=decoys, services=services, story=story)


def expect(sc, alarm: str, category: str, resources: list, anomalies: list) -> None:
    sc.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                 "anomalies": anomalies}


def anomaly(namespace: str, name: str, dims: dict) -> dict:
    return {"namespace": namespace, "name": name, "dimensions": dict(dims)}


# --------------------------------------------------------------------------- event times
def times(sc, rate, start: float = -HISTORY, end: float = 0.0) -> list:
    """Event times of a process with `rate(t)` events per minute (fractional rates honoured)."""
    out = []
    for m in GRID:
        if m + 60 <= start or m >= end:
            continue
        r = rate(m)
        if not r or r <= 0:
            continue
        n = int(r) + (1 if sc.rng.random() < r - int(r) else 0)
        out.extend(t for t in sorted(sc.rng.uniform(m, m + 60) for _ in range(n)) if start <= t < end)
    return out


def emit(sc, group: str, stream: str, rate, line, start: float = -HISTORY, end: float = 0.0) -> None:
    for t in times(sc, rate, start, end):
        sc.log(group, stream, t, line(t))


def every(sc, group: str, stream: str, period: float, line, start: float = -HISTORY,
          end: float = 0.0, jitter: float = 1.5, phase: float | None = None) -> None:
    """One line every `period` s: from `start + phase` (clock-aligned jobs) or a random offset."""
    t = start + (sc.rng.uniform(0, period) if phase is None else phase)
    while t < end:
        sc.log(group, stream, t + sc.rng.uniform(0, jitter), line(t))
        t += period


def minutes(values: list, start: float = LOG_FROM, end: float = 0.0) -> dict:
    return {t: v for t, v in zip(GRID, values) if start <= t < end and v}


def pick(sc, seq):
    return seq[sc.rng.randrange(len(seq))]


def zero(_t):
    return 0.0


# --------------------------------------------------------------------------- metric bundles
def lambda_set(sc, fn: str, inv, err, dur, thr=zero, dur_cap: float | None = None,
               conc_cap: int | None = None, inv_cap: float | None = None) -> dict:
    d = {"FunctionName": fn}
    inv_v = sc.series(inv, integer=True, cap=inv_cap)
    err_v = [None if i is None else min(i, e) for i, e in zip(inv_v, sc.series(err, integer=True))]
    thr_v = [None if i is None else v for i, v in zip(inv_v, sc.series(thr, integer=True))]
    dur_v = [None if i in (None, 0) else v
             for i, v in zip(inv_v, sc.series(dur, noise=0.07, cap=dur_cap, digits=2))]
    conc = [None if i is None else float(min(conc_cap or 10 ** 6, max(1 if i else 0, math.ceil(i * (dv or 0) / 60000.0))))
            for i, dv in zip(inv_v, dur_v)]
    if conc_cap:  # throttled minutes ran at the limit
        conc = [float(conc_cap) if c is not None and (th or 0) > 0 else c for c, th in zip(conc, thr_v)]
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv_v)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err_v)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", thr_v)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur_v)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)
    return {"inv": inv_v, "err": err_v, "thr": thr_v, "dur": dur_v, "conc": conc}


def alb_set(sc, lb: str, req, rt, t5xx, e5xx=zero, healthy=lambda t: 2, unhealthy=zero,
            t4xx=None) -> dict:
    d = {"LoadBalancer": lb}
    out = {"req": sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", sc.series(req, integer=True))}
    out["rt"] = sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
                          sc.series(rt, noise=0.12, digits=4))
    out["t5"] = sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count",
                          sc.series(t5xx, integer=True))
    if t4xx:
        out["t4"] = sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
                              sc.series(t4xx, integer=True))
    out["e5"] = sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
                          sc.series(e5xx, integer=True))
    out["hh"] = sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count",
                          sc.series(healthy, noise=0.0, integer=False, digits=0))
    out["uh"] = sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count",
                          sc.series(unhealthy, noise=0.0, integer=False, digits=0))
    return out


def ecs_set(sc, cluster: str, service: str, cpu, mem, tasks=None) -> dict:
    d = {"ClusterName": cluster, "ServiceName": service}
    out = {"cpu": sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.08, cap=100.0)),
           "mem": sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", sc.series(mem, noise=0.02, cap=100.0))}
    if tasks:
        out["tasks"] = sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count",
                                 sc.series(tasks, noise=0.0, digits=0))
    return out


def rds_set(sc, db: str, cpu, conns, free_gb, mem_gb, read_lat=lambda t: 0.0012,
            write_lat=lambda t: 0.0021, max_conn: float | None = None) -> dict:
    d = {"DBInstanceIdentifier": db}
    out = {"cpu": sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.1, cap=100.0))}
    out["conn"] = sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", sc.series(conns, noise=0.03, integer=False, digits=0, cap=max_conn))
    out["free"] = sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
                            sc.series(lambda t: None if free_gb(t) is None else free_gb(t) * GB, noise=0.0005, digits=0))
    out["fmem"] = sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
                            sc.series(lambda t: None if mem_gb(t) is None else mem_gb(t) * GB, noise=0.01, digits=0))
    out["rl"] = sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", sc.series(read_lat, noise=0.15, digits=5))
    out["wl"] = sc.metric("AWS/RDS", "WriteLatency", d, "Seconds", sc.series(write_lat, noise=0.15, digits=5))
    return out


def ec2_set(sc, iid: str, cpu, mem, disk, net_mb=lambda t: 40.0, status=zero) -> dict:
    d = {"InstanceId": iid}
    return {"cpu": sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.07, cap=100.0)),
            "net": sc.metric("AWS/EC2", "NetworkIn", d, "Bytes",
                             sc.series(lambda t: net_mb(t) * 1e6, noise=0.1, digits=0)),
            "sc": sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", sc.series(status, noise=0.0, digits=0)),
            "mem": sc.metric("CWAgent", "mem_used_percent", d, "Percent", sc.series(mem, noise=0.01, cap=100.0)),
            "disk": sc.metric("CWAgent", "disk_used_percent", d, "Percent", sc.series(disk, noise=0.0005, cap=100.0))}


def apigw_set(sc, api: str, count, e4, e5, latency, integ=None) -> dict:
    d = {"ApiName": api}
    out = {"count": sc.metric("AWS/ApiGateway", "Count", d, "Count", sc.series(count, integer=True))}
    out["4xx"] = sc.metric("AWS/ApiGateway", "4XXError", d, "Count", sc.series(e4, integer=True))
    out["5xx"] = sc.metric("AWS/ApiGateway", "5XXError", d, "Count", sc.series(e5, integer=True))
    out["lat"] = sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", sc.series(latency, noise=0.1, digits=1))
    out["ilat"] = sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
                            sc.series(integ or (lambda t: latency(t) * 0.93), noise=0.1, digits=1))
    return out


# --------------------------------------------------------------------------- log formats
def log4j(sc, t: float, level: str, thread: str, logger: str, msg: str) -> str:
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {level:<5} [{thread}] {logger} - {msg}"


def log4net(sc, t: float, level: str, thread: int, logger: str, msg: str) -> str:
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} [{thread}] {level:<5} {logger} - {msg}"


def iis(sc, t: float, server_ip: str, method: str, path: str, client: str, ua: str,
        status: int, sub: int, win32: int, ms: int, query: str = "-") -> str:
    d = sc.at(t)
    return (f"{d.strftime('%Y-%m-%d %H:%M:%S')} {server_ip} {method} {path} {query} 443 - {client} "
            f"{ua} - {status} {sub} {win32} {ms}")


def dotnet_json(sc, t: float, level: str, category: str, msg: str, event_id: int = 0,
                exc: str | None = None, **state) -> str:
    obj = {"Timestamp": sc.iso(t), "EventId": event_id, "LogLevel": level, "Category": category,
           "Message": msg}
    if exc:
        obj["Exception"] = exc
    if state:
        obj["State"] = state
    return jline(obj)


def laravel(sc, t: float, level: str, msg: str, ctx: dict | None = None) -> str:
    d = sc.at(t)
    return f"[{d.strftime('%Y-%m-%d %H:%M:%S')}] production.{level.upper()}: {msg} {jline(ctx or {})}"


def mssql(sc, t: float, source: str, msg: str) -> str:
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')}.{d.microsecond // 10000:02d} {source:<12}{msg}"


def apigw_exec(reqid: str, msg: str) -> str:
    return f"({reqid}) {msg}"


def syslog(sc, t: float, host: str, proc: str, msg: str) -> str:
    d = sc.at(t)
    return f"{d.strftime('%b')} {d.day:2d} {d.strftime('%H:%M:%S')} {host} {proc}: {msg}"
