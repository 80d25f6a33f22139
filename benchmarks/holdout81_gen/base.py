"""Set 81 (ad-tech real-time bidding) helpers on top of holdout57_gen's Scenario and log builders.

Only what the shared modules lack lives here: the set's Scenario subclass, a sparse log emitter,
ECS task streams, per-service metric bundles (ALB, ECS, RDS, EC2, Lambda, API Gateway) and a few
runtime-specific line builders (Go stdlib / slog / logrus, Redis, Java stack traces).
"""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, Scenario, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import jline

__all__ = ["bump", "diurnal", "ramp"]  # re-exported for the sNN_sMM modules

LOG0 = -14400  # application logs cover the last four hours


class S81(Scenario):
    prefix = "h81"


def new(num: int, slug: str, description: str, region: str, now_iso: str) -> S81:
    return S81(num, slug, description, region, seed=81000 + num * 37, now_iso=now_iso)


# --------------------------------------------------------------------------- random helpers
def poisson(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    k, p, lim = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= lim:
            return k
        k += 1


def emit(sc: S81, group: str, stream, rate, line, start: float = LOG0, end: float = 0) -> None:
    """Sparse events: about rate(t) a minute; `stream` is a name or stream(t) -> name;
    line(t) -> text (or None to skip)."""
    rng = sc.rng
    m = start
    while m < end:
        n = poisson(rng, rate(m))
        for t in sorted(rng.uniform(m, m + 60) for _ in range(n)):
            text = line(t)
            if text:
                sc.log(group, stream(t) if callable(stream) else stream, t, text)
        m += 60


def every(sc: S81, group: str, stream, period: float, line, start: float = LOG0, end: float = 0,
          jitter: float = 1.5) -> None:
    t = start + sc.rng.uniform(0, period)
    while t < end:
        text = line(t)
        if text:
            sc.log(group, stream(t) if callable(stream) else stream, t, text)
        t += period + sc.rng.uniform(-jitter, jitter)


def pick(sc: S81, weighted: list):
    """weighted: [(weight, value)]; returns a value (called with a callable value: its result)."""
    total = sum(w for w, _ in weighted)
    x = sc.rng.uniform(0, total)
    for w, v in weighted:
        x -= w
        if x <= 0:
            return v() if callable(v) else v
    v = weighted[-1][1]
    return v() if callable(v) else v


class Tasks:
    """ECS task log streams (awslogs driver: prefix/container/task-id) across rollouts.
    epochs: [(start_time, task_count)]; each epoch replaces every task of the previous one."""

    def __init__(self, sc: S81, prefix: str, container: str, epochs: list):
        self.sc = sc
        self.epochs = []
        for t0, n in sorted(epochs):
            ids = [sc.hexid(32) for _ in range(n)]
            self.epochs.append((t0, [f"{prefix}/{container}/{i}" for i in ids]))

    def epoch(self, t: float) -> int:
        k = 0
        for i, (t0, _) in enumerate(self.epochs):
            if t >= t0:
                k = i
        return k

    def __call__(self, t: float) -> str:
        return self.sc.rng.choice(self.epochs[self.epoch(t)][1])

    def first(self, k: int = 0) -> list:
        return self.epochs[k][1]


# --------------------------------------------------------------------------- metric bundles
def put(sc, ns, name, dims, unit, fn, **kw):
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


def alb(sc, lb: str, req, rt, t5=lambda t: 2, e5=lambda t: 0.3, healthy=lambda t: 6,
        unhealthy=lambda t: 0, t4=None) -> dict:
    d = {"LoadBalancer": lb}
    out = {"req": put(sc, "AWS/ApplicationELB", "RequestCount", d, "Count", req, noise=0.02, integer=True),
           "rt": put(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.06, digits=4),
           "t5": put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5, integer=True),
           "e5": put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5, integer=True)}
    if t4:
        out["t4"] = put(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4, integer=True)
    out["healthy"] = put(sc, "AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, noise=0, digits=0)
    out["unhealthy"] = put(sc, "AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, noise=0,
                           digits=0)
    return out


def ecs(sc, cluster: str, service: str, cpu, mem, running=None) -> dict:
    d = {"ClusterName": cluster, "ServiceName": service}
    out = {"cpu": put(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.05, cap=100.0),
           "mem": put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.02, cap=100.0)}
    if running:
        out["running"] = put(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", running,
                             noise=0, digits=0)
    return out


def lam(sc, fn: str, inv, err, dur, conc, thr=lambda t: 0, conc_cap: float | None = None,
        exact: bool = False, dur_noise: float = 0.08) -> dict:
    """Lambda metrics; `exact` for scheduled functions whose counts carry no sampling noise."""
    d = {"FunctionName": fn}
    cnt = (lambda f: sc.series(f, noise=0, digits=0)) if exact else (lambda f: sc.series(f, noise=0.03, integer=True))
    iv = sc.metric("AWS/Lambda", "Invocations", d, "Count", cnt(inv))
    ev = [None if i is None or e is None else min(e, i) for e, i in zip(cnt(err), iv)]
    return {"inv": iv, "err": sc.metric("AWS/Lambda", "Errors", d, "Count", ev),
            "thr": put(sc, "AWS/Lambda", "Throttles", d, "Count", thr, integer=True),
            "dur": put(sc, "AWS/Lambda", "Duration", d, "Milliseconds", dur, noise=dur_noise, digits=2),
            "conc": put(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, noise=0.04,
                        integer=True, cap=conc_cap)}


GB = 1024 ** 3


def rds(sc, db: str, cpu, conns, free_gb, freeable_gb, read_lat=lambda t: 0.0012,
        write_lat=lambda t: 0.0018) -> dict:
    d = {"DBInstanceIdentifier": db}
    return {"cpu": put(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.08, cap=100.0),
            "conns": put(sc, "AWS/RDS", "DatabaseConnections", d, "Count", conns, noise=0.01, integer=True),
            "free": put(sc, "AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: free_gb(t) * GB,
                        noise=0.0005, digits=0),
            "freeable": put(sc, "AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: freeable_gb(t) * GB,
                            noise=0.01, digits=0),
            "rlat": put(sc, "AWS/RDS", "ReadLatency", d, "Seconds", read_lat, noise=0.1, digits=5),
            "wlat": put(sc, "AWS/RDS", "WriteLatency", d, "Seconds", write_lat, noise=0.1, digits=5)}


def ec2(sc, iid: str, cpu, net_in, mem, disk, status=lambda t: 0, path: str = "/",
        agent_until: float = 1.0) -> dict:
    d = {"InstanceId": iid}
    agent = (lambda f: (lambda t: f(t) if t < agent_until else None))
    return {"cpu": put(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.05, cap=100.0),
            "net": put(sc, "AWS/EC2", "NetworkIn", d, "Bytes", net_in, noise=0.04, digits=0),
            "status": put(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", status, noise=0, digits=0),
            "mem": put(sc, "CWAgent", "mem_used_percent", d, "Percent", agent(mem), noise=0.01),
            "disk": put(sc, "CWAgent", "disk_used_percent", {"InstanceId": iid, "path": path}, "Percent",
                        agent(disk), noise=0.001, cap=100.0)}


def apigw(sc, api: str, count, e4, e5, lat, integ) -> dict:
    d = {"ApiName": api}
    return {"count": put(sc, "AWS/ApiGateway", "Count", d, "Count", count, noise=0.02, integer=True),
            "e4": put(sc, "AWS/ApiGateway", "4XXError", d, "Count", e4, integer=True),
            "e5": put(sc, "AWS/ApiGateway", "5XXError", d, "Count", e5, integer=True),
            "lat": put(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", lat, noise=0.06, digits=2),
            "integ": put(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", integ, noise=0.06,
                         digits=2)}


def per_minute(values: list, start: float = LOG0, end: float = 0, scale: float = 1.0,
               cap: int | None = None) -> dict:
    out = {}
    for t, v in zip(GRID, values):
        if v is None or not (start <= t < end):
            continue
        n = int(round(v * scale))
        out[t] = min(n, cap) if cap is not None else n
    return out


# --------------------------------------------------------------------------- CloudTrail shorthands
def ecs_deploy(sc, t: float, cluster: str, service: str, family: str, user: str) -> None:
    sc.change(t, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", family, user)
    sc.change(t + 6, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{service}", user)


def lambda_code(sc, t: float, fn: str, user: str, publish: bool = False, alias: bool = False) -> None:
    sc.change(t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, user)
    if publish:
        sc.change(t + 9, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, user)
    if alias:
        sc.change(t + 14, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias", fn, user)


def lambda_config(sc, t: float, fn: str, user: str) -> None:
    sc.change(t, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, user)


# --------------------------------------------------------------------------- line builders
def golog(sc, t: float, msg: str) -> str:
    """Go standard library `log` default flags."""
    return f"{sc.at(t).strftime('%Y/%m/%d %H:%M:%S')} {msg}"


def slog(sc, t: float, level: str, msg: str, **kv) -> str:
    """Go log/slog JSON handler."""
    d = sc.at(t)
    obj = {"time": d.strftime('%Y-%m-%dT%H:%M:%S.') + f"{d.microsecond // 1000:03d}Z", "level": level,
           "msg": msg}
    obj.update(kv)
    return jline(obj)


def logrus(sc, t: float, level: str, msg: str, **kv) -> str:
    """Go logrus TextFormatter (no TTY)."""
    parts = [f'time="{sc.iso(t, 0)}"', f"level={level}", f'msg="{msg}"']
    for k, v in kv.items():
        s = str(v)
        parts.append(f'{k}="{s}"' if (" " in s or '"' in s or "=" in s) else f"{k}={s}")
    return " ".join(parts)


def redis(sc, t: float, pid: int, mark: str, msg: str, role: str = "M") -> str:
    d = sc.at(t)
    return f"{pid}:{role} {d.strftime('%d %b %Y %H:%M:%S')}.{d.microsecond // 1000:03d} {mark} {msg}"


def jtrace(exc: str, frames: list, cause: str | None = None) -> str:
    out = exc + "".join(f"\n\tat {f}" for f in frames)
    if cause:
        out += f"\nCaused by: {cause}\n\t... {len(frames)} common frames omitted"
    return out


def go_panic(header: str, frames: list, goroutine: int) -> str:
    body = "".join(f"\n{fn}(...)\n\t{loc}" for fn, loc in frames)
    return f"{header}\n\ngoroutine {goroutine} [running]:{body}"


def tid(sc) -> str:
    return sc.hexid(16)
