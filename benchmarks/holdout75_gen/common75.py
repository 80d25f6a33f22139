"""Set-75 additions on top of the holdout57 helpers: the scenario class with the h75 prefix,
standard metric packs per service, Poisson-ish log emission and sampled Lambda log runs."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, Scenario, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs

LOG_START = -10800  # application logs cover the last three hours
GIB = 1024 ** 3


class S75(Scenario):
    prefix = "h75"


def new(num: int, slug: str, description: str, region: str, now_iso: str) -> S75:
    return S75(num, slug, description, region, seed=75_000 + 97 * num, now_iso=now_iso)


def const(v: float):
    return lambda t: v


def biz(sc: Scenario, base: float, peak: float = 14.0, amp: float = 0.3):
    """Request-rate shape following the business day."""
    return lambda t: base * diurnal(sc, t, peak, amp)


def plus(*fns):
    return lambda t: sum(f(t) for f in fns)


def after(t0: float, before: float, later: float, width: float = 120.0):
    return lambda t: before + (later - before) * ramp(t, t0, t0 + width)


def m(sc: Scenario, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> list:
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


# ----------------------------------------------------------------------------- metric packs
def lambda_pack(sc, fn_name, inv, err, dur, conc=None, thr=None, dur_cap=None,
                conc_cap=None, err_share=None) -> dict:
    """Standard Lambda series; with err_share(t), Errors is that share of the sampled
    Invocations (so a function failing every call has Errors == Invocations)."""
    d = {"FunctionName": fn_name}
    out = {"inv": m(sc, "AWS/Lambda", "Invocations", d, "Count", inv, integer=True, noise=0.04)}
    if err_share is None:
        out["err"] = m(sc, "AWS/Lambda", "Errors", d, "Count", err, integer=True, noise=0.1)
    else:
        vals = [float(round(n * err_share(t))) for t, n in zip(GRID, out["inv"])]
        out["err"] = sc.metric("AWS/Lambda", "Errors", d, "Count", vals)
    m(sc, "AWS/Lambda", "Duration", d, "Milliseconds", dur, noise=0.08, cap=dur_cap, digits=2)
    conc = conc or (lambda t: max(1.0, inv(t) * dur(t) / 60000.0))
    m(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, noise=0.08, floor=1, digits=0,
      cap=conc_cap)
    m(sc, "AWS/Lambda", "Throttles", d, "Count", thr or const(0.0), integer=True, noise=0.05)
    return out


def rds_pack(sc, db, cpu, conns, free_gb, mem_gb, read_ms=const(1.6), write_ms=const(2.4),
             iops=None, conn_cap=None, extra=()) -> None:
    d = {"DBInstanceIdentifier": db}
    m(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)
    m(sc, "AWS/RDS", "DatabaseConnections", d, "Count", conns, integer=True, noise=0.02,
      cap=conn_cap)
    m(sc, "AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: free_gb(t) * GIB, noise=0.0004,
      digits=0)
    m(sc, "AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: mem_gb(t) * GIB, noise=0.01, digits=0)
    m(sc, "AWS/RDS", "ReadLatency", d, "Seconds", lambda t: read_ms(t) / 1000, noise=0.12, digits=5)
    m(sc, "AWS/RDS", "WriteLatency", d, "Seconds", lambda t: write_ms(t) / 1000, noise=0.12,
      digits=5)
    m(sc, "AWS/RDS", "WriteIOPS", d, "Count/Second", iops or const(240.0), noise=0.1)
    for name, unit, fn in extra:
        m(sc, "AWS/RDS", name, d, unit, fn, noise=0.03)


def alb_pack(sc, lb, req, t5xx, rt, hosts, unhealthy=const(0.0), elb5xx=const(0.0),
             t4xx=None) -> dict:
    d = {"LoadBalancer": lb}
    out = {"req": m(sc, "AWS/ApplicationELB", "RequestCount", d, "Count", req, integer=True,
                    noise=0.03)}
    out["5xx"] = m(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx,
                   integer=True, noise=0.1)
    m(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
      t4xx or (lambda t: req(t) * 0.012), integer=True, noise=0.1)
    m(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", elb5xx, integer=True)
    m(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.07, digits=4)
    m(sc, "AWS/ApplicationELB", "HealthyHostCount", d, "Count",
      lambda t: hosts - unhealthy(t), noise=0.0, digits=0)
    m(sc, "AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, noise=0.0,
      digits=0)
    return out


def apigw_pack(sc, api, count, e4, e5, lat, integ=None) -> dict:
    d = {"ApiName": api}
    out = {"count": m(sc, "AWS/ApiGateway", "Count", d, "Count", count, integer=True, noise=0.03),
           "4xx": m(sc, "AWS/ApiGateway", "4XXError", d, "Count", e4, integer=True, noise=0.1),
           "5xx": m(sc, "AWS/ApiGateway", "5XXError", d, "Count", e5, integer=True, noise=0.1)}
    m(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", lat, noise=0.08, digits=2)
    m(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
      integ or (lambda t: max(1.0, lat(t) - 14.0)), noise=0.08, digits=2)
    return out


def ecs_pack(sc, cluster, service, cpu, mem, tasks=None) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    m(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)
    m(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.02, cap=100.0)
    if tasks is not None:
        m(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", tasks, noise=0.0,
          digits=0)


def ec2_pack(sc, iid, cpu, net_mb=const(40.0), status=const(0.0), mem=None, disk=None) -> None:
    d = {"InstanceId": iid}
    m(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.05, cap=100.0)
    m(sc, "AWS/EC2", "NetworkIn", d, "Bytes", lambda t: net_mb(t) * 1e6, noise=0.08, digits=0)
    m(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", status, noise=0.0, digits=0)
    if mem is not None:
        m(sc, "CWAgent", "mem_used_percent", d, "Percent", mem, noise=0.01, cap=100.0)
    if disk is not None:
        m(sc, "CWAgent", "disk_used_percent", dict(d, path="/", fstype="xfs"), "Percent", disk,
          noise=0.001, cap=100.0)


# ----------------------------------------------------------------------------- logs
def emit(sc: Scenario, group: str, stream, rate, make, start: float = LOG_START,
         end: float = 0.0) -> None:
    """About rate(t) events a minute (Poisson-ish) between start and end; make(t) -> text.
    `stream` is a name or a function of the event time that picks one."""
    rng = sc.rng
    for minute in GRID:
        if minute < start or minute >= end:
            continue
        r = rate(minute)
        if r <= 0:
            continue
        n = int(r) + (1 if rng.random() < r - int(r) else 0)
        for t in sorted(rng.uniform(minute, minute + 60) for _ in range(n)):
            if t < end:
                sc.log(group, stream(t) if callable(stream) else stream, t, make(t))


def every(sc: Scenario, group: str, stream: str, period: float, make, start: float = LOG_START,
          offset: float = 7.0, end: float = 0.0) -> None:
    t = start + offset
    while t < end:
        sc.log(group, stream, t + sc.rng.uniform(0, 0.4), make(t))
        t += period


def sampled(sc: Scenario, inv: list, err: list, per_min: float = 3.0, err_cap: int = 4,
            start: float = LOG_START):
    """Per-minute (invocations, errors) to log: every failed invocation up to err_cap a minute
    (so rare old errors stay visible) plus a sample of about per_min successful ones."""
    rng = sc.rng
    logged_inv, logged_err = {}, {}
    for t, n, e in zip(GRID, inv, err):
        if t < start or not n:
            continue
        e = int(min(e or 0, n))
        ok = min(int(n) - e, int(per_min) + (1 if rng.random() < per_min % 1 else 0))
        ke = min(e, err_cap)
        logged_inv[t], logged_err[t] = ok + ke, ke
    return logged_inv, logged_err


def lambda_logs(sc, fn, runtime, memory, timeout, inv, err, body, per_min=3.0, err_cap=4,
                **kw) -> LambdaLogs:
    ll = LambdaLogs(sc, fn, runtime, memory, timeout, **kw)
    li, le = sampled(sc, inv, err, per_min, err_cap)
    ll.run(li, le, body)
    return ll


def apigw_exec(sc: Scenario, api_id: str, stage: str = "prod"):
    """(group, stream) of an API Gateway execution log."""
    return f"API-Gateway-Execution-Logs_{api_id}/{stage}", f"{sc.hexid(32)}"


def stacktrace_dotnet(exc: str, msg: str, frames: list) -> str:
    return f"{exc}: {msg}\n" + "\n".join(f"   at {f}" for f in frames)


def stacktrace_java(exc: str, msg: str, frames: list, caused: str | None = None) -> str:
    s = f"{exc}: {msg}\n" + "\n".join(f"\tat {f}" for f in frames)
    if caused:
        s += f"\nCaused by: {caused}\n\t... {len(frames) + 3} more"
    return s


def tid(sc: Scenario) -> str:
    """An ECS task id."""
    return sc.hexid(32)


def round_ms(x: float) -> int:
    return int(math.floor(x))
