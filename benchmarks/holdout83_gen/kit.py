"""Set 83 (exam season on a learning-management platform): what the holdout57 helpers lack.

The `Scenario` class, series shapes, alarm evaluation, YAML dumping, Lambda invocation streams
and the common server log formats are imported from benchmarks.holdout57_gen; this module adds
the set's prefix, the top-of-hour deadline load shape, metric groups per resource type, a few
log formats (PHP, Monolog, log4j, Python logging) and the `expect`/README metadata helpers.
"""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, Scenario, counts_per_minute, diurnal

__all__ = ["counts_per_minute"]  # re-exported for the sNN_sMM modules

ZERO = lambda t: 0.0  # noqa: E731


class Sc(Scenario):
    prefix = "h83"


# --------------------------------------------------------------------------- load shapes
def rush(sc: Scenario, t: float, amp: float = 0.6, lead: float = 12.0, tail: float = 3.0) -> float:
    """Deadline load: submissions pile up in the `lead` minutes before every top-of-hour
    deadline and fall off within `tail` minutes after it."""
    d = sc.at(t)
    m = d.minute + d.second / 60.0
    left = 60.0 - m
    if left <= lead:
        return 1.0 + amp * (1.0 - left / lead) ** 2
    if m < tail:
        return 1.0 + amp * 0.5 * (1.0 - m / tail)
    return 1.0


def load(sc: Scenario, t: float, peak: float = 14.0, amp: float = 0.25, rush_amp: float = 0.6) -> float:
    return diurnal(sc, t, peak, amp) * rush(sc, t, rush_amp)


def near_hour(sc: Scenario, t: float, before: float = 4.0, after: float = 2.0) -> bool:
    m = sc.at(t).minute
    return m >= 60 - before or m < after


# --------------------------------------------------------------------------- sampling
def cnt(sc: Scenario, fn, noise: float = 0.05) -> list:
    return sc.series(fn, integer=True, noise=noise)


def binom(sc: Scenario, counts: list, p) -> list:
    """Per minute, how many of `counts[i]` events hit probability p(t)."""
    return [float(sum(sc.rng.random() < p(t) for _ in range(int(n)))) for t, n in zip(GRID, counts)]


def emit(sc: Scenario, start: float, end: float, rate, fn) -> None:
    """Call fn(t) for events at `rate` per minute (a number or rate(minute)) in [start, end)."""
    rng = sc.rng
    for m in GRID:
        if m < start or m >= end:
            continue
        r = rate(m) if callable(rate) else rate
        if r <= 0:
            continue
        n = int(r) + (1 if rng.random() < r - int(r) else 0)
        for s in sorted(rng.uniform(m, m + 60) for _ in range(n)):
            if start <= s < end:
                fn(s)


def every(sc: Scenario, start: float, end: float, period: float, fn, jitter: float = 2.0) -> None:
    t = start
    while t < end:
        fn(t + sc.rng.uniform(0, jitter))
        t += period


# --------------------------------------------------------------------------- metric groups
def _scaled(fn, k: float):
    """fn(t) * k, keeping None (no data) as None."""
    return lambda t: None if fn(t) is None else fn(t) * k


def lambda_set(sc: Scenario, fn: str, inv, dur, err=ZERO, thr=ZERO, conc_cap: int | None = None,
               dur_noise: float = 0.08, err_p=None, inv_cap: float | None = None) -> dict:
    """Invocations/Errors/Throttles/Duration/ConcurrentExecutions of one function. Errors are
    `err(t)` per minute plus, with `err_p`, each invocation failing with probability err_p(t)."""
    dims = {"FunctionName": fn}
    ns = "AWS/Lambda"
    inv_v = sc.metric(ns, "Invocations", dims, "Count",
                      [min(v, inv_cap) if inv_cap else v for v in cnt(sc, inv)])
    extra = [sum(sc.rng.random() < err_p(t) for _ in range(int(i))) if err_p else 0
             for t, i in zip(GRID, inv_v)]
    err_v = [float(min(i, e + x)) for i, e, x in zip(inv_v, cnt(sc, err), extra)]
    sc.metric(ns, "Errors", dims, "Count", err_v)
    thr_v = sc.metric(ns, "Throttles", dims, "Count", cnt(sc, thr))
    dur_v = sc.metric(ns, "Duration", dims, "Milliseconds", sc.series(dur, noise=dur_noise, digits=2))
    conc = []
    for i, d in zip(inv_v, dur_v):
        c = max(1.0 if i else 0.0, math.ceil(i * d / 60000.0 * sc.rng.uniform(1.3, 1.9)))
        conc.append(float(min(conc_cap, c)) if conc_cap else float(c))
    sc.metric(ns, "ConcurrentExecutions", dims, "Count", conc)
    return {"inv": inv_v, "err": err_v, "thr": thr_v, "dur": dur_v, "conc": conc}


def alb_set(sc: Scenario, lb: str, req, rt, t5=ZERO, e5=ZERO, healthy=lambda t: 4.0,
            unhealthy=ZERO, t4=None) -> dict:
    dims = {"LoadBalancer": lb}
    ns = "AWS/ApplicationELB"
    r = sc.metric(ns, "RequestCount", dims, "Count", cnt(sc, req))
    sc.metric(ns, "TargetResponseTime", dims, "Seconds", sc.series(rt, noise=0.1, digits=4))
    a = sc.metric(ns, "HTTPCode_Target_5XX_Count", dims, "Count", cnt(sc, t5))
    b = sc.metric(ns, "HTTPCode_ELB_5XX_Count", dims, "Count", cnt(sc, e5))
    sc.metric(ns, "HTTPCode_Target_4XX_Count", dims, "Count",
              cnt(sc, t4 or (lambda t: 0.012 * req(t))))
    sc.metric(ns, "HealthyHostCount", dims, "Count", [float(healthy(t)) for t in GRID])
    sc.metric(ns, "UnHealthyHostCount", dims, "Count", [float(unhealthy(t)) for t in GRID])
    return {"req": r, "t5": a, "e5": b}


def rds_set(sc: Scenario, db: str, cpu, conns, free_gb, mem_gb=lambda t: 6.0,
            read_lat=lambda t: 0.0012, write_lat=lambda t: 0.0021, iops=None,
            max_conns: float | None = None, cpu_cap: float = 100.0) -> dict:
    dims = {"DBInstanceIdentifier": db}
    ns = "AWS/RDS"
    out = {"cpu": sc.metric(ns, "CPUUtilization", dims, "Percent", sc.series(cpu, cap=cpu_cap))}
    out["conns"] = sc.metric(ns, "DatabaseConnections", dims, "Count",
                             sc.series(conns, noise=0.015, digits=0, cap=max_conns))
    out["free"] = sc.metric(ns, "FreeStorageSpace", dims, "Bytes",
                            sc.series(_scaled(free_gb, 1e9), noise=0.0005, digits=0))
    sc.metric(ns, "FreeableMemory", dims, "Bytes", sc.series(_scaled(mem_gb, 1e9), noise=0.02, digits=0))
    sc.metric(ns, "ReadLatency", dims, "Seconds", sc.series(read_lat, noise=0.15, digits=5))
    sc.metric(ns, "WriteLatency", dims, "Seconds", sc.series(write_lat, noise=0.15, digits=5))
    if iops:
        sc.metric(ns, "ReadIOPS", dims, "Count/Second", sc.series(iops, noise=0.1, digits=1))
    return out


def ec2_set(sc: Scenario, iid: str, cpu, net_mb, status=ZERO, mem=lambda t: 42.0,
            disk=lambda t: 38.0, path: str = "/", fstype: str = "xfs", cpu_noise: float = 0.05) -> dict:
    dims = {"InstanceId": iid}
    out = {"cpu": sc.metric("AWS/EC2", "CPUUtilization", dims, "Percent",
                            sc.series(cpu, noise=cpu_noise, cap=100.0))}
    sc.metric("AWS/EC2", "NetworkIn", dims, "Bytes", sc.series(
        _scaled(net_mb, 1e6), noise=0.08, digits=0))
    sc.metric("AWS/EC2", "StatusCheckFailed", dims, "Count", [status(t) for t in GRID])
    sc.metric("CWAgent", "mem_used_percent", dims, "Percent", sc.series(mem, noise=0.01, cap=100.0))
    out["disk"] = sc.metric("CWAgent", "disk_used_percent", {**dims, "path": path, "fstype": fstype},
                            "Percent", sc.series(disk, noise=0.002, cap=100.0))
    return out


def ecs_set(sc: Scenario, cluster: str, service: str, cpu, mem, tasks=lambda t: 4.0) -> dict:
    dims = {"ClusterName": cluster, "ServiceName": service}
    out = {"cpu": sc.metric("AWS/ECS", "CPUUtilization", dims, "Percent", sc.series(cpu, cap=100.0)),
           "mem": sc.metric("AWS/ECS", "MemoryUtilization", dims, "Percent", sc.series(mem, noise=0.02, cap=100.0))}
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Count", [float(tasks(t)) for t in GRID])
    return out


def apigw_set(sc: Scenario, api: str, count, lat, e4=None, e5=ZERO, integ=None) -> dict:
    """`count`, `e4`, `e5` are per-minute functions or ready lists (e.g. a Lambda's own counts)."""
    dims = {"ApiName": api}
    ns = "AWS/ApiGateway"
    val = lambda x: [float(v) for v in x] if isinstance(x, list) else cnt(sc, x)  # noqa: E731
    out = {"count": sc.metric(ns, "Count", dims, "Count", val(count))}
    out["e4"] = sc.metric(ns, "4XXError", dims, "Count", val(e4 if e4 is not None else (lambda t: 0.01 * count(t))))
    out["e5"] = sc.metric(ns, "5XXError", dims, "Count", val(e5))
    sc.metric(ns, "Latency", dims, "Milliseconds", sc.series(lat, noise=0.1, digits=2))
    sc.metric(ns, "IntegrationLatency", dims, "Milliseconds",
              sc.series(integ or (lambda t: max(1.0, lat(t) - 18.0)), noise=0.1, digits=2))
    return out


# --------------------------------------------------------------------------- log formats
def php_log(sc: Scenario, t: float, kind: str, msg: str) -> str:
    """PHP's error_log line: `[18-May-2026 13:55:02 UTC] PHP Warning:  ...`."""
    return f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')} UTC] PHP {kind}:  {msg}"


def monolog(sc: Scenario, t: float, channel: str, level: str, msg: str, ctx: str = "[]") -> str:
    d = sc.at(t)
    return (f"[{d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}+00:00] {channel}.{level.upper()}: "
            f"{msg} {ctx} []")


MONOLOG_LEVEL = {"DEBUG": 100, "INFO": 200, "NOTICE": 250, "WARNING": 300, "ERROR": 400, "CRITICAL": 500}


def monolog_json(sc: Scenario, t: float, channel: str, level: str, msg: str, **ctx) -> str:
    from benchmarks.holdout57_gen.runtimes import jline
    d = sc.at(t)
    return jline({"message": msg, "context": ctx, "level": MONOLOG_LEVEL[level.upper()],
                  "level_name": level.upper(), "channel": channel,
                  "datetime": f"{d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}+00:00", "extra": {}})


def log4j(sc: Scenario, t: float, level: str, thread: str, logger: str, msg: str) -> str:
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {level:<5} [{thread}] {logger} - {msg}"


def pylog(sc: Scenario, t: float, level: str, name: str, msg: str) -> str:
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {level} [{name}] {msg}"


# --------------------------------------------------------------------------- grading metadata
def expect(sc: Scenario, alarm: str, category: str, resources: list, anomalies: list) -> None:
    sc.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                 "anomalies": [{"namespace": ns, "name": n, "dimensions": dict(d)} for ns, n, d in anomalies]}


def meta(sc: Scenario, *, position: str, decoys: str, story: str, services: str,
         runtime: str, logfmt: str, note: str = "") -> None:
    sc.meta = {"position": position, "decoys": decoys, "story": " ".join(story.split()),
               "services": services, "runtime": runtime, "logfmt": logfmt,
               "note": " ".join(note.split())}
