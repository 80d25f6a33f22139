"""Metric bundles per service and sparse log helpers for the holdout62 set.

Every bundle takes shape functions f(t) -> expected value and registers the
series a responder would look at for that service, with seeded noise.
"""
from __future__ import annotations

import math

from .common import GRID, Scenario, bump, diurnal, ramp, step  # noqa: F401  (re-export)

LOG_START = -10800          # sparse logs cover the last three hours


# --------------------------------------------------------------------------- sampling
def pois(sc: Scenario, lam: float) -> int:
    rng = sc.rng
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    lim, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= lim:
            return k
        k += 1


def binom(sc: Scenario, n: int, p: float) -> int:
    if n <= 0 or p <= 0:
        return 0
    if p >= 1:
        return n
    if n > 200:
        mu, sd = n * p, math.sqrt(n * p * (1 - p))
        return int(min(n, max(0, round(sc.rng.gauss(mu, sd)))))
    return sum(1 for _ in range(n) if sc.rng.random() < p)


def zeros() -> list:
    return [0.0] * len(GRID)


def log_plan(sc: Scenario, inv: list, err: list, per_min, start: float = LOG_START,
             end: float = 0.0):
    """Thin per-minute invocation/error counts down to a few logged invocations."""
    li, le = {}, {}
    for t, n, e in zip(GRID, inv, err):
        if t < start or t >= end or not n:
            continue
        target = per_min(t) if callable(per_min) else per_min
        k = min(int(n), max(1, pois(sc, target)))
        li[t] = k
        le[t] = binom(sc, k, (e or 0) / n)
    return li, le


def emit(sc: Scenario, group: str, start: float, end: float, rate, line, stream=None) -> None:
    """Events at `rate(t)` per minute between start and end; line(t) -> text or (stream, text)."""
    t = start - start % 60
    while t < end:
        r = rate(t) if callable(rate) else rate
        for _ in range(pois(sc, r)):
            s = t + sc.rng.uniform(0, 60)
            if s < start or s >= end:
                continue
            out = line(s)
            if out is None:
                continue
            if isinstance(out, tuple):
                sc.log(group, out[0], s, out[1])
            else:
                sc.log(group, stream(s) if callable(stream) else stream, s, out)
        t += 60


# --------------------------------------------------------------------------- bundles
def lambda_metrics(sc: Scenario, fn: str, inv, err_frac=None, dur=None, thr=None,
                   conc_cap=None, iter_age=None, errors=None) -> dict:
    d = {"FunctionName": fn}
    inv_v = sc.series(inv, noise=0.04, integer=True)
    if errors is not None:
        err_v = [float(min(n, e)) for n, e in zip(inv_v, sc.series(errors, integer=True))]
    else:
        err_v = [float(binom(sc, int(n), err_frac(t) if err_frac else 0.0))
                 for t, n in zip(GRID, inv_v)]
    dur_v = sc.series(dur or (lambda t: 120.0), noise=0.07, digits=2)
    conc = []
    for n, dm in zip(inv_v, dur_v):
        c = n * dm / 60000.0 * 1.35 + sc.rng.uniform(0, 1.5)
        if conc_cap:
            c = min(conc_cap, c)
        conc.append(float(max(1, round(c))) if n else 0.0)
    thr_v = sc.series(thr, integer=True) if thr else zeros()
    idle = [n == 0 and th == 0 for n, th in zip(inv_v, thr_v)]
    err_v = [None if i else v for i, v in zip(idle, err_v)]
    dur_v = [None if n == 0 else v for n, v in zip(inv_v, dur_v)]
    conc = [None if i else v for i, v in zip(idle, conc)]
    sc.metric("AWS/Lambda", "Invocations", d, "Count", [None if i else v for i, v in zip(idle, inv_v)])
    sc.metric("AWS/Lambda", "Errors", d, "Count", err_v)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", [None if i else v for i, v in zip(idle, thr_v)])
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur_v)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)
    if iter_age:
        sc.metric("AWS/Lambda", "IteratorAge", d, "Milliseconds",
                  sc.series(iter_age, noise=0.06, digits=0))
    return {"inv": inv_v, "err": err_v, "dur": dur_v, "thr": thr_v, "conc": conc}


def rds_metrics(sc: Scenario, db: str, cpu, conns, free_storage_gb=None, read_lat=None,
                write_lat=None, freeable_gb=None, mask=None, aurora: bool = False) -> None:
    d = {"DBInstanceIdentifier": db}

    def m(fn):
        return (lambda t: None if mask and mask(t) else fn(t))
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent",
              sc.series(m(cpu), noise=0.08, cap=100.0))
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count",
              sc.series(m(conns), noise=0.03, integer=True))
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
              sc.series(m(lambda t: (freeable_gb(t) if freeable_gb else 5.2) * 2 ** 30),
                        noise=0.01, digits=0))
    if aurora:
        sc.metric("AWS/RDS", "FreeLocalStorage", d, "Bytes",
                  sc.series(m(lambda t: (free_storage_gb(t) if free_storage_gb else 28.0) * 2 ** 30),
                            noise=0.002, digits=0))
    else:
        sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
                  sc.series(m(lambda t: (free_storage_gb(t) if free_storage_gb else 160.0) * 2 ** 30),
                            noise=0.002, digits=0))
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds",
              sc.series(m(read_lat or (lambda t: 0.0012)), noise=0.15, digits=5))
    sc.metric("AWS/RDS", "WriteLatency", d, "Seconds",
              sc.series(m(write_lat or (lambda t: 0.0021)), noise=0.15, digits=5))


def ecs_metrics(sc: Scenario, cluster: str, service: str, cpu, mem, running=None,
                desired: int | None = None) -> None:
    d = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.08, cap=100.0))
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", sc.series(mem, noise=0.02, cap=100.0))
    if running is not None:
        sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count",
                  [float(max(0, round(running(t)))) for t in GRID])
        sc.metric("ECS/ContainerInsights", "DesiredTaskCount", d, "Count",
                  [float(desired)] * len(GRID))


def sqs_metrics(sc: Scenario, queue: str, sent, deleted, visible, age) -> None:
    d = {"QueueName": queue}
    sc.metric("AWS/SQS", "NumberOfMessagesSent", d, "Count", sc.series(sent, integer=True))
    sc.metric("AWS/SQS", "NumberOfMessagesDeleted", d, "Count", sc.series(deleted, integer=True))
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", d, "Count",
              sc.series(visible, noise=0.03, integer=True))
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", d, "Seconds",
              sc.series(age, noise=0.04, digits=0))


def kinesis_metrics(sc: Scenario, stream: str, incoming, iter_age_ms=None, write_exc=None) -> None:
    d = {"StreamName": stream}
    sc.metric("AWS/Kinesis", "IncomingRecords", d, "Count", sc.series(incoming, integer=True))
    sc.metric("AWS/Kinesis", "IncomingBytes", d, "Bytes",
              sc.series(lambda t: incoming(t) * 820.0, noise=0.05, digits=0))
    if iter_age_ms:
        sc.metric("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", d, "Milliseconds",
                  sc.series(iter_age_ms, noise=0.06, digits=0))
    sc.metric("AWS/Kinesis", "WriteProvisionedThroughputExceeded", d, "Count",
              sc.series(write_exc, integer=True) if write_exc else zeros())


def alb_metrics(sc: Scenario, lb: str, req, rt, t5xx=None, e5xx=None, t4xx=None,
                unhealthy=None, tg: str | None = None) -> None:
    d = {"LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", sc.series(req, integer=True))
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
              sc.series(rt, noise=0.1, digits=4))
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count",
              sc.series(t5xx or (lambda t: 0.3), integer=True))
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
              sc.series(e5xx or (lambda t: 0.05), integer=True))
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
              sc.series(t4xx or (lambda t: 2.0), integer=True))
    if tg:
        sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb, "TargetGroup": tg},
                  "Count", [float(round(unhealthy(t))) if unhealthy else 0.0 for t in GRID])


def apigw_metrics(sc: Scenario, api: str, count, lat, e4=None, e5=None, ilat=None) -> dict:
    d = {"ApiName": api, "Stage": "prod"}
    c = sc.metric("AWS/ApiGateway", "Count", d, "Count", sc.series(count, integer=True))
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", sc.series(e4 or (lambda t: 0.2), integer=True))
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", sc.series(e5 or (lambda t: 0.05), integer=True))
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", sc.series(lat, noise=0.08, digits=1))
    sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
              sc.series(ilat or (lambda t: lat(t) * 0.85), noise=0.08, digits=1))
    return {"count": c}


def ec2_metrics(sc: Scenario, iid: str, cpu, mem=None, disk=None, net=None) -> None:
    d = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.07, cap=100.0))
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes",
              sc.series(net or (lambda t: 3.1e7), noise=0.08, digits=0))
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", zeros())
    sc.metric("CWAgent", "mem_used_percent", d, "Percent",
              sc.series(mem or (lambda t: 41.0), noise=0.02, cap=100.0))
    sc.metric("CWAgent", "disk_used_percent",
              {"InstanceId": iid, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"}, "Percent",
              sc.series(disk or (lambda t: 38.0), noise=0.002, cap=100.0))


def hourly(sc: Scenario, t: float, minute: int, width_min: float, height: float) -> float:
    """A scheduled job that runs every hour at `minute` past and lasts width_min."""
    d = sc.at(t)
    m = d.minute + d.second / 60.0
    return height if minute <= m < minute + width_min else 0.0


def ecs_stream(sc: Scenario, container: str, prefix: str = "ecs") -> str:
    return f"{prefix}/{container}/{sc.hexid(32)}"


def role_user(role: str, session: str) -> str:
    return f"{role}/{session}"
