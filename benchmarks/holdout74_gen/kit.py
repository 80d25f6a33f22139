"""What set 74 adds to the holdout57 helpers: shift-start load shapes, per-service metric bundles,
sparse log emitters and a sampled Lambda log driver. Everything draws from the scenario's rng."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, Scenario
from benchmarks.holdout57_gen.runtimes import LambdaLogs

LOG_START = -18000  # app logs cover the last five hours: the baseline stays visible for hours


class S(Scenario):
    prefix = "h74"

    def __init__(self, num, slug, description, region, seed, now_iso, **meta):
        super().__init__(num, slug, description, region, seed, now_iso)
        self.meta = dict(meta)

    def hours(self, t: float) -> float:
        d = self.at(t)
        return d.hour + d.minute / 60.0 + d.second / 3600.0

    def task_id(self) -> str:
        return self.hexid(32)

    def expect_rc(self, alarm: str, category: str, resources: list, anomalies: list) -> None:
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": [{"namespace": ns, "name": n, "dimensions": dict(d)}
                                     for ns, n, d in anomalies]}


# --------------------------------------------------------------------------- shapes
def shift_load(sc: S, t: float, starts=(6.0, 14.0, 22.0), height: float = 0.8,
               width: float = 0.6, base: float = 1.0) -> float:
    """Load factor with a peak shortly after each shift start (UTC hours): drivers log in,
    scanners wake up, dispatch plans the first wave."""
    h = sc.hours(t)
    f = base
    for s in starts:
        dh = (h - s + 12.0) % 24.0 - 12.0
        f += height * math.exp(-((dh - 0.35) / width) ** 2)
    return f


def poisson(sc: S, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(sc.rng.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= sc.rng.random()
        if p <= L:
            return k
        k += 1


# --------------------------------------------------------------------------- metric bundles
def put(sc: S, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> list:
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


def lam_metrics(sc: S, fn: str, inv, err, dur, thr=None, dur_cap: float | None = None,
                conc_cap: float | None = None) -> dict:
    """Invocations/Errors/Throttles/Duration/ConcurrentExecutions of one function; returns the
    per-minute values {name: [..]} aligned with GRID."""
    d = {"FunctionName": fn}
    inv_v = sc.series(inv, integer=True)
    err_v = [min(i, e) for i, e in zip(inv_v, sc.series(err, integer=True))]
    thr_v = sc.series(thr or (lambda t: 0.0), integer=True)
    dur_v = sc.series(dur, noise=0.08, cap=dur_cap)
    conc_v = [max(1.0, round(i * dd / 60000.0 + sc.rng.uniform(0, 1.2))) for i, dd in zip(inv_v, dur_v)]
    if conc_cap:
        conc_v = [min(conc_cap, c) for c in conc_v]
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv_v)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err_v)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", thr_v)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur_v)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc_v)
    return {"inv": inv_v, "err": err_v, "thr": thr_v, "dur": dur_v, "conc": conc_v}


def rds_metrics(sc: S, db: str, cpu, conns, free_gb, mem_gb, read_lat=lambda t: 0.0015,
                write_lat=lambda t: 0.0025, max_conns: float | None = None) -> dict:
    d = {"DBInstanceIdentifier": db}
    out = {"cpu": put(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0),
           "conns": put(sc, "AWS/RDS", "DatabaseConnections", d, "Count", conns, noise=0.025, digits=0,
                        cap=max_conns)}
    out["free"] = sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
                            [round(v * 1e9, -6) for v in sc.series(free_gb, noise=0.0005, digits=4)])
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
              [round(v * 1e9, -6) for v in sc.series(mem_gb, noise=0.02, digits=4)])
    put(sc, "AWS/RDS", "ReadLatency", d, "Seconds", read_lat, noise=0.15, digits=5)
    put(sc, "AWS/RDS", "WriteLatency", d, "Seconds", write_lat, noise=0.15, digits=5)
    return out


def alb_metrics(sc: S, lb: str, req, t5xx, rt, e5xx=lambda t: 0.0, healthy=lambda t: 2.0,
                unhealthy=lambda t: 0.0, t4xx=None) -> dict:
    d = {"LoadBalancer": lb}
    out = {"req": put(sc, "AWS/ApplicationELB", "RequestCount", d, "Count", req, integer=True),
           "t5xx": put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx, integer=True),
           "e5xx": put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx, integer=True),
           "rt": put(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.1, digits=4)}
    if t4xx:
        put(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4xx, integer=True)
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, noise=0.0, integer=False, digits=0)
    put(sc, "AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, noise=0.0, digits=0)
    return out


def ecs_metrics(sc: S, cluster: str, service: str, cpu, mem, running=None) -> dict:
    d = {"ClusterName": cluster, "ServiceName": service}
    out = {"cpu": put(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0),
           "mem": put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.02, cap=100.0)}
    if running:
        out["running"] = put(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", running,
                             noise=0.0, digits=0)
    return out


def ec2_metrics(sc: S, iid: str, cpu, mem, disk, fstype: str = "xfs") -> dict:
    d = {"InstanceId": iid}
    out = {"cpu": put(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)}
    put(sc, "AWS/EC2", "NetworkIn", d, "Bytes", lambda t: 2.4e6 * (cpu(t) / 30.0 + 0.3), noise=0.12, digits=0)
    put(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", lambda t: 0.0, noise=0.0)
    out["mem"] = put(sc, "CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", mem, noise=0.01, cap=100.0)
    out["disk"] = put(sc, "CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": fstype},
                      "Percent", disk, noise=0.0005, cap=100.0)
    return out


def apigw_metrics(sc: S, api: str, count, e4xx, e5xx, lat, integ=None, stage: str | None = None) -> dict:
    d = {"ApiName": api} if stage is None else {"ApiName": api, "Stage": stage}
    out = {"count": put(sc, "AWS/ApiGateway", "Count", d, "Count", count, integer=True),
           "4xx": put(sc, "AWS/ApiGateway", "4XXError", d, "Count", e4xx, integer=True),
           "5xx": put(sc, "AWS/ApiGateway", "5XXError", d, "Count", e5xx, integer=True),
           "lat": put(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", lat, noise=0.1)}
    put(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", integ or (lambda t: lat(t) * 0.9), noise=0.1)
    return out


# --------------------------------------------------------------------------- logs
def emit(sc: S, group: str, stream: str, rate, line, start: float = LOG_START, end: float = 0.0) -> None:
    """rate(t): mean events a minute; line(t) -> str | list[str] | None (a list is written as
    consecutive events a few ms apart)."""
    for m in GRID:
        if m < start or m >= end:
            continue
        for _ in range(poisson(sc, rate(m))):
            t = m + sc.rng.uniform(0, 60)
            out = line(t)
            if out is None:
                continue
            for i, text in enumerate([out] if isinstance(out, str) else out):
                sc.log(group, stream, t + i * 0.003, text)


def every(sc: S, group: str, stream: str, period: float, line, start: float = LOG_START,
          end: float = 0.0, jitter: float = 2.0) -> None:
    t = start + sc.rng.uniform(0, period)
    while t < end:
        out = line(t)
        if out is not None:
            sc.log(group, stream, t, out)
        t += period + sc.rng.uniform(-jitter, jitter)


def pick(sc: S, items):
    return items[sc.rng.randrange(len(items))]


def wpick(sc: S, pairs):
    """pairs: [(item, weight)]"""
    x = sc.rng.uniform(0, sum(w for _, w in pairs))
    for item, w in pairs:
        x -= w
        if x <= 0:
            return item
    return pairs[-1][0]


def lambda_logs(sc: S, ll: LambdaLogs, vals: dict, body, per_min: float = 2.0,
                start: float = LOG_START, err_keep: float = 1.0) -> None:
    """Drive `ll` with a sample of each minute's invocations (about `per_min`), keeping the
    minute's error share; `vals` is what lam_metrics returned."""
    inv, errs = {}, {}
    for m, n, e in zip(GRID, vals["inv"], vals["err"]):
        if m < start or not n:
            continue
        k = min(int(n), poisson(sc, per_min) or 1)
        share = e / n if n else 0.0
        ke = min(k, int(round(k * share * err_keep)))
        if e > 0 and ke == 0 and sc.rng.random() < min(1.0, e * err_keep / 2):
            ke = 1
            k = max(k, 1)
        inv[m], errs[m] = k, ke
    ll.run(inv, errs, body)


def req_id(sc: S) -> str:
    return sc.uuid()


def trace_id(sc: S) -> str:
    return f"1-{sc.hexid(8)}-{sc.hexid(24)}"
