"""What set 94 adds to the shared holdout57 helpers: its Scenario subclass, a Sunday-evening load
curve, Poisson sampling of sparse log events, per-service metric bundles and small log helpers.
Nothing here copies the shared helpers; they are imported."""
from __future__ import annotations

import datetime as _dt
import math

from benchmarks.holdout57_gen.common import GRID, HISTORY, Scenario, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs

LOG_START = -18000  # log streams keep five hours of baseline before "now"

# Sunday evening local time at "now" for each region (UTC offsets on 15 March 2026).
_NOW = {"us-west-1": ("2026-03-16T03:05:00+00:00", -7),      # Sun 20:05 PDT
        "ap-southeast-1": ("2026-03-15T12:35:00+00:00", 8)}  # Sun 20:35 SGT


class H94(Scenario):
    prefix = "h94"


def new(num: int, slug: str, description: str, region: str, shift_min: int = 0) -> H94:
    base, tz = _NOW[region]
    now = _dt.datetime.fromisoformat(base) + _dt.timedelta(minutes=shift_min)
    sc = H94(num, slug, description, region, seed=94000 + num * 101, now_iso=now.isoformat())
    sc.tz = tz
    sc.meta = {"decoys": [], "judgement": "", "story": "", "front": "origin"}
    return sc


def evening(sc: H94, t: float, amp: float = 0.45) -> float:
    """Load factor of a consumer social app: rises through Sunday afternoon to a ~20:30 local peak."""
    d = sc.at(t)
    h = (d.hour + d.minute / 60.0 + sc.tz) % 24
    x = math.cos(2 * math.pi * (h - 20.5) / 24.0)  # 1 at the peak, ~0 six hours earlier
    return 1.0 + amp * (x - 0.4)


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


def M(sc: H94, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> list:
    """One metric series from a mean function of t (None = no data)."""
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


def emit(sc: H94, group: str, streams, t0: float, t1: float, rate, make) -> None:
    """Poisson(rate(t)) events a minute in [t0, t1); make(t) -> text (or None to skip).
    streams: one name, a list, or a function of t returning the live list."""
    rng = sc.rng
    m = int(t0 // 60) * 60
    while m < t1:
        lam = rate(m) if callable(rate) else rate
        for _ in range(poisson(rng, lam)):
            t = m + rng.uniform(0, 60)
            if t < t0 or t >= t1:
                continue
            s = streams(t) if callable(streams) else streams
            s = rng.choice(s) if isinstance(s, list) else s
            text = make(t)
            if text:
                sc.log(group, s, t, text)
        m += 60


def every(sc: H94, group: str, stream: str, t0: float, period: float, make, t1: float = 0.0) -> None:
    """One event every `period` seconds (jittered), e.g. checkpoints and stats lines."""
    t = t0 + sc.rng.uniform(0, period)
    while t < t1:
        text = make(t)
        if text:
            sc.log(group, stream, t, text)
        t += period * sc.rng.uniform(0.97, 1.03)


def lam_run(ll: LambdaLogs, inv: list, err: list, body, ok_frac: float, err_frac: float,
            t0: float = LOG_START) -> None:
    """Log a sample of a function's invocations: ok_frac of the successful ones, err_frac of
    the failed ones (the same fractions all along, so rates before and after stay comparable)."""
    rng = ll.sc.rng
    invs, errs = {}, {}
    for t, n, e in zip(GRID, inv, err):
        if t < t0 or n is None:
            continue
        e = min(e or 0, n)
        ok = poisson(rng, (n - e) * ok_frac)
        bad = poisson(rng, e * err_frac)
        invs[t], errs[t] = ok + bad, bad
    ll.run(invs, errs, body)


def task_ids(sc: H94, n: int) -> list:
    return [sc.hexid(32) for _ in range(n)]


def streams_by_time(spans: list):
    """spans: [(t_from, t_to, [stream, ...]), ...] -> function of t returning the live streams."""
    def live(t):
        out = []
        for a, b, names in spans:
            if a <= t < b:
                out += names
        return out or spans[-1][2]
    return live


# --------------------------------------------------------------------------- metric bundles
def lambda_set(sc: H94, fn: str, inv, err, dur, thr=None, conc=None, conc_cap=None,
               dur_cap=None) -> dict:
    d = {"FunctionName": fn}
    iv = sc.series(inv, integer=True)
    ev = [None if i is None else min(e or 0.0, i) for e, i in zip(sc.series(err, integer=True), iv)]
    du = sc.series(dur, noise=0.07, digits=2, cap=dur_cap)
    sc.metric("AWS/Lambda", "Invocations", d, "Count", iv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", ev)
    th = sc.metric("AWS/Lambda", "Throttles", d, "Count",
                   sc.series(thr or (lambda t: 0.0), integer=True))
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", du)
    if conc is None:
        cv = [None if i is None else max(1.0, round(i * x / 60000.0 * sc.rng.uniform(1.1, 1.6)))
              for i, x in zip(iv, du)]
    else:
        cv = [None if v is None else float(max(1, round(v))) for v in sc.series(conc, noise=0.05)]
    if conc_cap:
        cv = [c if c is None else min(c, conc_cap) for c in cv]
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", cv)
    return {"inv": iv, "err": ev, "dur": du, "thr": th, "conc": cv}


def alb_set(sc: H94, lb: str, req, rt, t5xx, e5xx=None, healthy=3, unhealthy=None) -> dict:
    d = {"LoadBalancer": lb}
    out = {"req": M(sc, "AWS/ApplicationELB", "RequestCount", d, "Count", req, integer=True)}
    out["rt"] = M(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.08, digits=4)
    out["t5"] = M(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx, integer=True)
    out["e5"] = M(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
                  e5xx or (lambda t: 0.05), integer=True)
    h = healthy if callable(healthy) else (lambda t, v=healthy: v)
    u = unhealthy or (lambda t: 0.0)
    M(sc, "AWS/ApplicationELB", "HealthyHostCount", d, "Count", h, noise=0.0)
    M(sc, "AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", u, noise=0.0)
    return out


def apigw_set(sc: H94, api: str, count, e4, e5, lat, integ=None) -> dict:
    d = {"ApiName": api}
    out = {"count": M(sc, "AWS/ApiGateway", "Count", d, "Count", count, integer=True)}
    out["4xx"] = M(sc, "AWS/ApiGateway", "4XXError", d, "Count", e4, integer=True)
    out["5xx"] = M(sc, "AWS/ApiGateway", "5XXError", d, "Count", e5, integer=True)
    out["lat"] = M(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", lat, noise=0.08, digits=2)
    M(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
      integ or (lambda t: max(1.0, lat(t) - 18)), noise=0.08, digits=2)
    return out


def ecs_set(sc: H94, cluster: str, service: str, cpu, mem) -> dict:
    d = {"ClusterName": cluster, "ServiceName": service}
    return {"cpu": M(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0),
            "mem": M(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.02, cap=100.0)}


def rds_set(sc: H94, db: str, cpu, conns, free_gb, rlat=None, wlat=None, freemem_gb=6.0,
            conn_cap=None) -> dict:
    d = {"DBInstanceIdentifier": db}
    out = {"cpu": M(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)}
    cv = sc.series(conns, noise=0.03)
    cv = [None if v is None else float(min(conn_cap or 1e9, round(v))) for v in cv]
    out["conns"] = sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", cv)
    out["free"] = M(sc, "AWS/RDS", "FreeStorageSpace", d, "Bytes",
                    lambda t: None if free_gb(t) is None else free_gb(t) * 1e9, noise=0.0005, digits=0)
    out["rlat"] = M(sc, "AWS/RDS", "ReadLatency", d, "Seconds", rlat or (lambda t: 0.0011),
                    noise=0.12, digits=5)
    out["wlat"] = M(sc, "AWS/RDS", "WriteLatency", d, "Seconds", wlat or (lambda t: 0.0019),
                    noise=0.12, digits=5)
    fm = freemem_gb if callable(freemem_gb) else (lambda t, v=freemem_gb: v)
    M(sc, "AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: fm(t) * 1e9, noise=0.01, digits=0)
    return out


def ec2_set(sc: H94, iid: str, cpu, net_mb, mem=45.0, disk=38.0) -> dict:
    d = {"InstanceId": iid}
    out = {"cpu": M(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.05, cap=100.0)}
    M(sc, "AWS/EC2", "NetworkIn", d, "Bytes", lambda t: net_mb(t) * 1e6, noise=0.1, digits=0)
    M(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", lambda t: 0.0, noise=0.0)
    m = mem if callable(mem) else (lambda t, v=mem: v)
    k = disk if callable(disk) else (lambda t, v=disk: v)
    M(sc, "CWAgent", "mem_used_percent", d, "Percent", m, noise=0.015)
    M(sc, "CWAgent", "disk_used_percent", dict(d, path="/", fstype="xfs"), "Percent", k, noise=0.002)
    return out


# --------------------------------------------------------------------------- misc
def after(t: float, t0: float, width: float = 240.0) -> float:
    """0 -> 1 ramp starting at t0 (alias of ramp with a width)."""
    return ramp(t, t0, t0 + width)


def set_state(alarm: dict, state: str, reason: str, changed: int) -> None:
    alarm.update(state=state, state_reason=reason, state_changed=changed)


def expect(sc: H94, alarm: str, category: str, resource: list, anomalies: list) -> None:
    sc.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resource)},
                 "anomalies": [{"namespace": n, "name": m, "dimensions": d} for n, m, d in anomalies]}


__all__ = ["GRID", "HISTORY", "LOG_START", "H94", "new", "evening", "poisson", "M", "emit", "every",
           "lam_run", "task_ids", "streams_by_time", "lambda_set", "alb_set", "apigw_set", "ecs_set",
           "rds_set", "ec2_set", "after", "set_state", "expect", "LambdaLogs"]
