"""Metric families, sparse log sprinkling and fleet-traffic shapes for set 71."""
from __future__ import annotations

import math

from .common import GRID, Scenario, bump, diurnal, ramp
from .runtimes import LambdaLogs, jline

N = len(GRID)
GB = 1024 ** 3


def zeros() -> list:
    return [0.0] * N


def poisson(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    l, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= l:
            return k
        k += 1


# --------------------------------------------------------------------------- traffic shapes
def hourly_batch(sc: Scenario, t: float, minute: int = 0, width: int = 4, height: float = 0.8) -> float:
    """Extra load factor while devices flush their hourly buffered uploads."""
    m = sc.at(t).minute
    return height if minute <= m < minute + width else 0.0


def waves(t: float, starts, height: float, dur: float = 600.0) -> float:
    """Routine reconnect waves: a quick rise then exponential decay."""
    out = 0.0
    for s in starts:
        if t >= s - 60:
            x = (t - s) / dur
            out += height * math.exp(-max(x, 0.0) * 3) * ramp(t, s - 60, s)
    return out


def fleet_load(sc: Scenario, t: float, base: float, amp: float = 0.2, peak: float = 14.0,
               batch: float = 0.6, batch_minute: int = 0, wave_starts=(), wave_h: float = 0.5) -> float:
    return base * (diurnal(sc, t, peak, amp) + hourly_batch(sc, t, batch_minute, 4, batch)
                   + waves(t, wave_starts, wave_h))


# --------------------------------------------------------------------------- metric families
def lam_metrics(sc: Scenario, fn: str, inv, err, dur, thr=None, conc=None) -> None:
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", thr or zeros())
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur)
    if conc is None:
        conc = [float(max(1 if i else 0, round(i * du / 60000.0 * 1.6 + sc.rng.random())))
                for i, du in zip(inv, dur)]
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)


def apigw_metrics(sc: Scenario, api: str, count, e4, e5, lat, ilat=None) -> None:
    d = {"ApiName": api}
    sc.metric("AWS/ApiGateway", "Count", d, "Count", count)
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", e4)
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", e5)
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lat)
    if ilat is not None:
        sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", ilat)


def alb_metrics(sc: Scenario, lb: str, tg: str, req, rt, t5, e5, healthy, unhealthy=None,
                t4=None) -> None:
    d = {"LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5)
    if t4 is not None:
        sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4)
    dt = {"LoadBalancer": lb, "TargetGroup": tg}
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", dt, "Count", healthy)
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", dt, "Count",
              unhealthy or [0.0] * N)


def rds_metrics(sc: Scenario, db: str, cpu, conns, free_gb, mem_gb, rlat, wlat, extra=None) -> None:
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns)
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
              [None if v is None else round(v * GB) for v in free_gb])
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
              [None if v is None else round(v * GB) for v in mem_gb])
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", rlat)
    sc.metric("AWS/RDS", "WriteLatency", d, "Seconds", wlat)
    for name, unit, vals in (extra or []):
        sc.metric("AWS/RDS", name, d, unit, vals)


def ec2_metrics(sc: Scenario, iid: str, cpu, net_in, status, mem, disk, sys_status=None) -> None:
    d = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", net_in)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", status)
    if sys_status is not None:
        sc.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", sys_status)
    sc.metric("CWAgent", "mem_used_percent", d, "Percent", mem)
    sc.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"},
              "Percent", disk)


def ecs_metrics(sc: Scenario, cluster: str, service: str, cpu, mem, running=None) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem)
    if running is not None:
        sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running)


# --------------------------------------------------------------------------- logs
def sprinkle(sc: Scenario, group: str, stream: str, rate, line, t0: float = -14400,
             t1: float = 0.0) -> None:
    """rate(t): expected events per minute; line(t) -> text or None."""
    rng = sc.rng
    for m in GRID:
        if m < t0 or m >= t1:
            continue
        n = poisson(rng, rate(m))
        for s in sorted(rng.uniform(m, m + 60) for _ in range(n)):
            txt = line(s)
            if txt:
                sc.log(group, stream, s, txt)


def sample(sc: Scenario, inv, err, k: int = 3, t0: float = -14400, t1: float = 0.0):
    """Thin invocation/error counts to a few logged invocations per minute."""
    I, E = {}, {}
    for t, n, e in zip(GRID, inv, err):
        if t < t0 or t >= t1 or not n:
            continue
        m = min(int(n), k)
        frac = min(1.0, (e or 0) / n)
        I[t] = m
        E[t] = sum(1 for _ in range(m) if sc.rng.random() < frac)
    return I, E


def lambda_logs(sc: Scenario, fn: str, runtime: str, memory: int, timeout: int, inv, err, body,
                k: int = 3, t0: float = -14400, **kw) -> LambdaLogs:
    ll = LambdaLogs(sc, fn, runtime, memory, timeout, **kw)
    I, E = sample(sc, inv, err, k, t0)
    ll.run(I, E, body)
    return ll


def pino(sc: Scenario, t: float, level: int, msg: str, host: str, **fields) -> str:
    obj = {"level": level, "time": sc.epoch_ms(t), "pid": 1, "hostname": host}
    obj.update(fields)
    obj["msg"] = msg
    return jline(obj)


def zap(sc: Scenario, t: float, level: str, caller: str, msg: str, **fields) -> str:
    obj = {"level": level, "ts": round(sc.epoch_ms(t) / 1000.0, 3), "caller": caller, "msg": msg}
    obj.update(fields)
    return jline(obj)


def logfmt(sc: Scenario, t: float, level: str, msg: str, **fields) -> str:
    parts = [f"time={sc.iso(t)}", f"level={level}", f'msg="{msg}"']
    for k, v in fields.items():
        v = str(v)
        parts.append(f'{k}="{v}"' if (" " in v or "=" in v) else f"{k}={v}")
    return " ".join(parts)


def apigw_exec(sc: Scenario, t: float, method: str, path: str, fn_arn: str, status: int,
               ilat: int, mid=()) -> list:
    """A few API Gateway execution-log lines for one request: [(t, text)]."""
    rid = sc.uuid()
    p = f"({rid})"
    out = [(t, f"{p} Extended Request Id: {sc.hexid(14)}="),
           (t + 0.001, f"{p} Starting execution for request: {rid}"),
           (t + 0.002, f"{p} HTTP Method: {method}, Resource Path: {path}"),
           (t + 0.004, f"{p} Endpoint request URI: https://lambda.{sc.region}.amazonaws.com/"
                       f"2015-03-31/functions/{fn_arn}/invocations")]
    end = t + 0.005 + ilat / 1000.0
    for i, txt in enumerate(mid):
        out.append((end + 0.0005 * (i + 1), f"{p} {txt}"))
    if status < 500 or not mid:
        out.append((end, f"{p} Received response. Status: 200, Integration latency: {ilat} ms"))
    out.append((end + 0.004, f"{p} Method completed with status: {status}"))
    return out


def device_id(sc: Scenario, prefix: str = "TRK") -> str:
    return f"{prefix}-{sc.rng.randint(100000, 999999)}"


def fw(sc: Scenario) -> str:
    return sc.rng.choice(["4.8.2", "4.8.2", "4.9.0", "5.0.1", "5.0.1", "5.0.1"])


__all__ = ["N", "GB", "zeros", "poisson", "hourly_batch", "waves", "fleet_load", "lam_metrics",
           "apigw_metrics", "alb_metrics", "rds_metrics", "ec2_metrics", "ecs_metrics",
           "sprinkle", "sample", "lambda_logs", "pino", "zap", "logfmt", "apigw_exec",
           "device_id", "fw", "bump", "ramp", "diurnal", "GRID"]
