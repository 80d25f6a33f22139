"""Set-89 helpers on top of holdout57_gen: metric families per AWS service, sparse log emitters,
sampled Lambda invocation logs and a few log line formats the shared runtimes module lacks."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, HISTORY, Scenario

LOG_START = -12600  # application logs cover the last 3.5 hours (metrics cover six)


class S89(Scenario):
    prefix = "h89"


def new(num: int, slug: str, description: str, region: str, now_iso: str) -> S89:
    return S89(num, slug, description, region, seed=890_000 + num * 7919, now_iso=now_iso)


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


def pick(sc: Scenario, items):
    return items[sc.rng.randrange(len(items))]


# --------------------------------------------------------------------------- metrics
def put(sc: Scenario, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> list:
    vals = sc.series(fn, **kw)
    sc.metric(ns, name, dims, unit, vals)
    return vals


def lambda_metrics(sc: Scenario, fn: str, inv, err, dur, thr=None, conc=None, conc_cap=None) -> tuple:
    """Invocations/Errors/Duration (+Throttles, ConcurrentExecutions). err(t) is an expected
    count; Errors never exceed Invocations. Returns (invocations, errors) lists on GRID."""
    d = {"FunctionName": fn}
    inv_v = sc.series(inv, integer=True, noise=0.04)
    err_raw = sc.series(err, integer=True, noise=0.1)
    err_v = [None if i is None else min(i, e or 0.0) for i, e in zip(inv_v, err_raw)]
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv_v)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err_v)
    put(sc, "AWS/Lambda", "Duration", d, "Milliseconds", dur, noise=0.07)
    if thr is not None:
        put(sc, "AWS/Lambda", "Throttles", d, "Count", thr, integer=True, noise=0.05)
    if conc is not None:
        put(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, noise=0.04, digits=0, cap=conc_cap)
    return inv_v, err_v


def apigw_metrics(sc: Scenario, api: str, count, e4, e5, lat, integ=None) -> dict:
    d = {"ApiName": api}
    out = {"Count": put(sc, "AWS/ApiGateway", "Count", d, "Count", count, integer=True, noise=0.04)}
    out["4XXError"] = put(sc, "AWS/ApiGateway", "4XXError", d, "Count", e4, integer=True)
    out["5XXError"] = put(sc, "AWS/ApiGateway", "5XXError", d, "Count", e5, integer=True)
    out["Latency"] = put(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", lat, noise=0.08, digits=1)
    put(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
        integ or (lambda t: max(1.0, lat(t) - 9.0)), noise=0.08, digits=1)
    return out


def alb_metrics(sc: Scenario, lb: str, tg: str, req, t5, e5, rt, healthy, unhealthy) -> dict:
    d = {"LoadBalancer": lb}
    dt = {"TargetGroup": tg, "LoadBalancer": lb}
    out = {"RequestCount": put(sc, "AWS/ApplicationELB", "RequestCount", d, "Count", req,
                               integer=True, noise=0.03)}
    out["t5"] = put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5, integer=True)
    out["e5"] = put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5, integer=True)
    out["rt"] = put(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.08, digits=4)
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", dt, "Count", healthy, noise=0.0, digits=0)
    put(sc, "AWS/ApplicationELB", "UnHealthyHostCount", dt, "Count", unhealthy, noise=0.0, digits=0)
    return out


def rds_metrics(sc: Scenario, db: str, cpu, conns, free_gb, rlat, wlat, mem_gb, queue=None) -> dict:
    d = {"DBInstanceIdentifier": db}
    out = {"cpu": put(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)}
    out["conns"] = put(sc, "AWS/RDS", "DatabaseConnections", d, "Count", conns, noise=0.02, digits=0)
    put(sc, "AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: free_gb(t) * 1024 ** 3,
        noise=0.0005, digits=0)
    put(sc, "AWS/RDS", "ReadLatency", d, "Seconds", rlat, noise=0.12, digits=5)
    put(sc, "AWS/RDS", "WriteLatency", d, "Seconds", wlat, noise=0.12, digits=5)
    put(sc, "AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: mem_gb(t) * 1024 ** 3, noise=0.01, digits=0)
    if queue is not None:
        put(sc, "AWS/RDS", "DiskQueueDepth", d, "Count", queue, noise=0.15, digits=2)
    return out


def ecs_metrics(sc: Scenario, cluster: str, service: str, cpu, mem, tasks=None) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    put(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)
    put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.015, cap=100.0)
    if tasks is not None:
        put(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", tasks, noise=0.0, digits=0)


def ec2_metrics(sc: Scenario, iid: str, cpu, net_in=None, status=None, mem=None) -> None:
    d = {"InstanceId": iid}
    put(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)
    if net_in is not None:
        put(sc, "AWS/EC2", "NetworkIn", d, "Bytes", net_in, noise=0.08, digits=0)
    put(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", status or (lambda t: 0.0), noise=0.0, digits=0)
    if mem is not None:
        put(sc, "CWAgent", "mem_used_percent", d, "Percent", mem, noise=0.01, cap=100.0)


# --------------------------------------------------------------------------- logs
def emit(sc: Scenario, group: str, stream: str, rate, line, start: float = LOG_START,
         end: float = 0) -> None:
    """rate(t): expected events per minute; line(t) -> text, list of texts or None."""
    rng = sc.rng
    for m0 in range(int(start), int(end), 60):
        n = poisson(rng, rate(m0))
        for t in sorted(rng.uniform(m0, m0 + 60) for _ in range(n)):
            out = line(t)
            if out is None:
                continue
            for i, txt in enumerate([out] if isinstance(out, str) else out):
                sc.log(group, stream, t + i * 0.0007, txt)


def every(sc: Scenario, group: str, stream: str, period: float, line, start: float = LOG_START,
          end: float = 0, jitter: float = 1.5) -> None:
    t = start
    while t < end:
        s = t + sc.rng.uniform(0, jitter)
        out = line(s)
        if out is not None:
            for i, txt in enumerate([out] if isinstance(out, str) else out):
                sc.log(group, stream, s + i * 0.0007, txt)
        t += period


def sample_lambda(ll, inv: list, err: list, body, start: float = LOG_START, cap: int = 3) -> None:
    """Log a sample of at most `cap` invocations a minute, keeping the minute's error ratio."""
    rng = ll.sc.rng
    inv_s, err_s = {}, {}
    for t, i, e in zip(GRID, inv, err):
        if t < start or not i:
            continue
        n = min(int(i), cap)
        p = (e or 0) / i
        inv_s[t] = n
        err_s[t] = sum(1 for _ in range(n) if rng.random() < p)
    ll.run(inv_s, err_s, body)


# --------------------------------------------------------------------------- line formats
def log4j(sc: Scenario, t: float, level: str, thread: str, logger: str, msg: str) -> str:
    d = sc.at(t)
    return (f"{d.strftime('%Y-%m-%d %H:%M:%S')}.{d.microsecond // 1000:03d} {level:<5} "
            f"[{thread}] {logger} - {msg}")


def golog(sc: Scenario, t: float, src: str, msg: str) -> str:
    d = sc.at(t)
    return f"{d.strftime('%Y/%m/%d %H:%M:%S')}.{d.microsecond:06d} {src}: {msg}"


def pyjson(sc: Scenario, t: float, level: str, logger: str, msg: str, **kv) -> str:
    from benchmarks.holdout57_gen.runtimes import jline
    obj = {"asctime": sc.iso(t), "levelname": level, "name": logger, "message": msg}
    obj.update(kv)
    return jline(obj)


def apigw_exec(reqid: str, msg: str) -> str:
    return f"({reqid}) {msg}"


def ecs_stream(sc: Scenario, container: str) -> str:
    return f"ecs/{container}/{sc.hexid(32)}"


def alb_id(sc: Scenario, name: str) -> str:
    return f"app/{name}/{sc.hexid(16)}"


def tg_id(sc: Scenario, name: str) -> str:
    return f"targetgroup/{name}/{sc.hexid(16)}"


def instance_id(sc: Scenario) -> str:
    return f"i-0{sc.hexid(16)}"


def py_traceback(exc: str, frames: list) -> str:
    """One CloudWatch event holding a Python Lambda's unhandled exception."""
    body = "".join(f'\n  File "{f}", line {ln}, in {fn}\n    {code}' for f, ln, fn, code in frames)
    return f"[ERROR] {exc}\nTraceback (most recent call last):{body}"


def hours_minutes(sc: Scenario, t: float) -> str:
    return sc.at(t).strftime("%H:%M")


__all__ = ["GRID", "HISTORY", "LOG_START", "S89", "new", "poisson", "pick", "put", "lambda_metrics",
           "apigw_metrics", "alb_metrics", "rds_metrics", "ecs_metrics", "ec2_metrics", "emit",
           "every", "sample_lambda", "log4j", "golog", "pyjson", "apigw_exec", "ecs_stream",
           "alb_id", "tg_id", "instance_id", "py_traceback", "hours_minutes"]
