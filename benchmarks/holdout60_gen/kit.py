"""Set-60 helpers: metric families, sparse log emitters and extra log formats."""
from __future__ import annotations

import json
import math

from .common import GRID, HISTORY, Scenario, bump, diurnal, ramp, step  # noqa: F401
from .runtimes import LambdaLogs


# --------------------------------------------------------------------------- sampling
def poisson(sc: Scenario, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(sc.rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= sc.rng.random()
        if p <= limit:
            return k
        k += 1


def counts(sc: Scenario, fn, noise: float = 0.05) -> list:
    return sc.series(fn, noise=noise, integer=True)


def gauge(sc: Scenario, fn, noise: float = 0.04, abs_noise: float = 0.0, cap=None,
          floor: float = 0.0, digits: int = 3) -> list:
    return sc.series(fn, noise=noise, abs_noise=abs_noise, cap=cap, floor=floor, digits=digits)


def const(v: float) -> list:
    return [float(v)] * len(GRID)


def share(sc: Scenario, totals: list, frac_fn) -> list:
    """Per-minute binomial-ish share of `totals` with probability frac_fn(t)."""
    out = []
    for t, n in zip(GRID, totals):
        if n is None:
            out.append(None)
            continue
        p = max(0.0, min(1.0, frac_fn(t)))
        mu = n * p
        v = round(mu + sc.rng.gauss(0, math.sqrt(max(mu * (1 - p), 0.0)))) if mu > 0 else 0
        out.append(float(max(0, min(n, v))))
    return out


def dmap(values: list, start: float = -HISTORY, end: float = 0) -> dict:
    return {t: v for t, v in zip(GRID, values) if v is not None and start <= t < end}


# --------------------------------------------------------------------------- log emitters
def emit(sc: Scenario, group: str, stream: str, rate_fn, line_fn, start: float = -HISTORY,
         end: float = 0) -> None:
    """Poisson events per minute at rate_fn(minute); line_fn(t) -> text (or list of texts)."""
    for m in GRID:
        if m + 60 <= start or m >= end:
            continue
        for _ in range(poisson(sc, rate_fn(m))):
            t = m + sc.rng.uniform(0, 59.9)
            if t < start or t >= end:
                continue
            out = line_fn(t)
            for i, text in enumerate(out if isinstance(out, list) else [out]):
                sc.log(group, stream, t + 0.001 * i, text)


def periodic(sc: Scenario, group: str, stream: str, period: float, line_fn,
             start: float = -HISTORY, end: float = 0, jitter: float = 2.0,
             offset: float = 7.0) -> None:
    t = start + offset
    while t < end:
        out = line_fn(t + sc.rng.uniform(0, jitter))
        if out:
            for i, text in enumerate(out if isinstance(out, list) else [out]):
                sc.log(group, stream, t + 0.001 * i, text)
        t += period


def ecs_tasks(sc: Scenario, group: str, prefix: str, container: str, lifetimes, rate_fn,
              line_fn, start_lines=None, end_lines=None) -> list:
    """One awslogs stream per task; lifetimes = [(start, end)], line_fn(t, stream)."""
    streams = []
    for a, b in lifetimes:
        st = ecs_stream(sc, prefix, container)
        streams.append(st)
        if start_lines and a > -HISTORY:
            for i, text in enumerate(start_lines(a, st)):
                sc.log(group, st, a + 0.05 * i, text)
        emit(sc, group, st, rate_fn, lambda t, st=st: line_fn(t, st), start=max(a + 5, -HISTORY),
             end=min(b, 0))
        if end_lines and b < 0:
            for i, text in enumerate(end_lines(b, st)):
                sc.log(group, st, b + 0.01 * i, text)
    return streams


def lambda_run(ll: LambdaLogs, inv: list, err: list, body, cap: int = 4,
               start: float = -HISTORY) -> None:
    """Log a per-minute sample (at most `cap`) of invocations, errors kept in proportion."""
    invs, errs = {}, {}
    for t, n, e in zip(GRID, inv, err):
        if t < start or not n:
            continue
        k = min(int(n), cap)
        invs[t] = k
        ek = e * k / n if n else 0
        errs[t] = int(ek) + (1 if ll.sc.rng.random() < ek - int(ek) else 0)
    ll.run(invs, errs, body)


def lambda_block(sc, fn, runtime, mem, timeout, rate, dur_fn, err_fn, body, cap=4,
                  retire=(), epochs=((-10 ** 9, "$LATEST"),), thr=None, amp=0.2):
    inv = counts(sc, lambda t: rate(t) * diurnal(sc, t, amp=amp))
    err = share(sc, inv, err_fn)
    dur = gauge(sc, lambda t: dur_fn(t), noise=0.08)
    conc = [round(max(1.0, (n or 0) * d / 60000 * 1.6)) * 1.0 for n, d in zip(inv, dur)]
    lambda_metrics(sc, fn, inv, err, dur, thr=thr, conc=conc)
    ll = LambdaLogs(sc, fn, runtime, mem, timeout, retire=retire, epochs=epochs)
    lambda_run(ll, inv, err, body, cap=cap)
    return inv, err


# --------------------------------------------------------------------------- metric families
def _put(sc, ns, dims, spec):
    for name, unit, values in spec:
        if values is not None:
            sc.metric(ns, name, dims, unit, values)


def lambda_metrics(sc, fn, inv, err, dur, thr=None, conc=None):
    _put(sc, "AWS/Lambda", {"FunctionName": fn}, [
        ("Invocations", "Count", inv), ("Errors", "Count", err),
        ("Throttles", "Count", thr if thr is not None else [0.0] * len(GRID)),
        ("Duration", "Milliseconds", dur), ("ConcurrentExecutions", "Count", conc)])


def alb_metrics(sc, lb, req, t5xx, e5xx, rt, healthy=None, unhealthy=None, t4xx=None):
    _put(sc, "AWS/ApplicationELB", {"LoadBalancer": lb}, [
        ("RequestCount", "Count", req), ("HTTPCode_Target_5XX_Count", "Count", t5xx),
        ("HTTPCode_ELB_5XX_Count", "Count", e5xx), ("TargetResponseTime", "Seconds", rt),
        ("HTTPCode_Target_4XX_Count", "Count", t4xx),
        ("HealthyHostCount", "Count", healthy), ("UnHealthyHostCount", "Count", unhealthy)])


def rds_metrics(sc, db, cpu, conns, free_gb, read_lat=None, write_lat=None, mem_gb=None,
                extra=()):
    _put(sc, "AWS/RDS", {"DBInstanceIdentifier": db}, [
        ("CPUUtilization", "Percent", cpu), ("DatabaseConnections", "Count", conns),
        ("FreeStorageSpace", "Bytes", [None if v is None else round(v * 1024 ** 3)
                                       for v in free_gb] if free_gb else None),
        ("ReadLatency", "Seconds", read_lat), ("WriteLatency", "Seconds", write_lat),
        ("FreeableMemory", "Bytes", [None if v is None else round(v * 1024 ** 3)
                                     for v in mem_gb] if mem_gb else None)] + list(extra))


def ecs_metrics(sc, cluster, service, cpu, mem, running=None):
    dims = {"ClusterName": cluster, "ServiceName": service}
    _put(sc, "AWS/ECS", dims, [("CPUUtilization", "Percent", cpu),
                               ("MemoryUtilization", "Percent", mem)])
    if running is not None:
        sc.metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Count", running)


def apigw_metrics(sc, api, count, e4, e5, lat, ilat=None):
    _put(sc, "AWS/ApiGateway", {"ApiName": api}, [
        ("Count", "Count", count), ("4XXError", "Count", e4), ("5XXError", "Count", e5),
        ("Latency", "Milliseconds", lat), ("IntegrationLatency", "Milliseconds", ilat)])


def ec2_metrics(sc, iid, cpu, net_in=None, status=None, mem=None, disk=None,
                disk_path="/", fstype="xfs"):
    _put(sc, "AWS/EC2", {"InstanceId": iid}, [
        ("CPUUtilization", "Percent", cpu), ("NetworkIn", "Bytes", net_in),
        ("StatusCheckFailed", "Count", status)])
    if mem is not None:
        sc.metric("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", mem)
    if disk is not None:
        sc.metric("CWAgent", "disk_used_percent",
                  {"InstanceId": iid, "path": disk_path, "fstype": fstype}, "Percent", disk)


def sqs_metric(sc, queue, name, unit, values):
    sc.metric("AWS/SQS", name, {"QueueName": queue}, unit, values)


# --------------------------------------------------------------------------- formats
def jl(obj: dict) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def logfmt(sc: Scenario, t: float, level: str, caller: str, msg: str, **kv) -> str:
    parts = [f"ts={sc.iso(t)}", f"level={level}", f"caller={caller}", f'msg="{msg}"']
    for k, v in kv.items():
        s = str(v)
        parts.append(f'{k}="{s}"' if (" " in s or "=" in s or not s) else f"{k}={s}")
    return " ".join(parts)


def zap(sc: Scenario, t: float, level: str, caller: str, msg: str, **kv) -> str:
    return jl({"level": level, "ts": round(sc.at(t).timestamp(), 3), "caller": caller,
               "msg": msg, **kv})


def pino(sc: Scenario, t: float, level: int, msg: str, host: str, **kv) -> str:
    return jl({"level": level, "time": sc.epoch_ms(t), "pid": 1, "hostname": host, **kv,
               "msg": msg})


def logstash(sc: Scenario, t: float, level: str, logger: str, thread: str, msg: str,
             app: str, **kv) -> str:
    return jl({"@timestamp": sc.iso(t), "@version": "1", "message": msg, "logger_name": logger,
               "thread_name": thread, "level": level, "level_value":
               {"INFO": 20000, "WARN": 30000, "ERROR": 40000, "DEBUG": 10000}[level],
               "app": app, **kv})


def structlog(sc: Scenario, t: float, level: str, event: str, **kv) -> str:
    return jl({"event": event, "level": level, "timestamp": sc.iso(t, 6), **kv})


def php_fpm(sc: Scenario, t: float, level: str, msg: str) -> str:
    return f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] {level}: {msg}"


def php_error(sc: Scenario, t: float, msg: str) -> str:
    return f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')} UTC] {msg}"


def apigw_access(sc: Scenario, t: float, rid: str, ip: str, method: str, path: str,
                 status: int, length: int, ilat, extra: dict | None = None) -> str:
    d = sc.at(t)
    obj = {"requestId": rid, "ip": ip, "requestTime": d.strftime("%d/%b/%Y:%H:%M:%S +0000"),
           "httpMethod": method, "resourcePath": path, "status": str(status),
           "protocol": "HTTP/1.1", "responseLength": str(length),
           "integrationLatency": "-" if ilat is None else str(int(ilat))}
    if extra:
        obj.update(extra)
    return jl(obj)


def ecs_stream(sc: Scenario, prefix: str, container: str) -> str:
    return f"{prefix}/{container}/{sc.hexid(32)}"


def alb_id(sc: Scenario, name: str) -> str:
    return f"app/{name}/{sc.hexid(16)}"


def ec2_id(sc: Scenario) -> str:
    return f"i-0{sc.hexid(16)}"
