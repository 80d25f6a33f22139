"""Set-68 helpers: metric families per service, sparse log streams, CloudTrail
change shorthands and the log formats the game backend uses (logfmt, zap JSON,
pino, CLEF, PHP-FPM)."""
from __future__ import annotations

import json
import math

from .common import GRID, HISTORY, Scenario, bump, ramp
from .runtimes import LambdaLogs

__all__ = ["poisson", "binom", "emit", "lambda_family", "lambda_logs", "alb_family",
           "apigw_family", "ecs_family", "rds_family", "ec2_family", "lam_deploy",
           "lam_config", "ecs_deploy", "logfmt", "zap", "pino", "clef", "php",
           "GRID", "HISTORY", "ramp", "bump", "event_load", "ResettingLambdaLogs"]


# --------------------------------------------------------------------------- random counts
def poisson(rng, lam: float) -> int:
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


def binom(rng, n, p: float) -> int:
    n = int(n or 0)
    if n <= 0 or p <= 0:
        return 0
    if p >= 1:
        return n
    if n < 40:
        return sum(1 for _ in range(n) if rng.random() < p)
    mu, sd = n * p, math.sqrt(n * p * (1 - p))
    return int(min(n, max(0, round(rng.gauss(mu, sd)))))


def event_load(t: float, start: float, peak: float = 2.4, settle: float = 1.5,
               rush: float = 2400.0) -> float:
    """Player-count factor around an event start: a rush that settles to a plateau."""
    if t < start:
        return 1.0
    return 1.0 + (settle - 1.0) * ramp(t, start, start + 300) + \
        (peak - settle) * ramp(t, start, start + 240) * (1 - ramp(t, start + rush * 0.5, start + rush))


# --------------------------------------------------------------------------- logs
def emit(sc: Scenario, group: str, stream, rate, line, t0: float = -HISTORY, t1: float = 0.0):
    """Poisson events per minute; `stream` is a name or fn(t)->name; `line(t)` returns a
    string, a list of (dt, string) or None."""
    rng = sc.rng
    for m in GRID:
        if m < t0 or m >= t1:
            continue
        for _ in range(poisson(rng, rate(m))):
            t = m + rng.uniform(0, 60)
            if t < t0 or t >= t1:
                continue
            out = line(t)
            if not out:
                continue
            name = stream(t) if callable(stream) else stream
            if isinstance(out, str):
                sc.log(group, name, t, out)
            else:
                for dt, txt in out:
                    sc.log(group, name, t + dt, txt)


def logfmt(sc: Scenario, t: float, level: str, msg: str, **kv) -> str:
    parts = [f"time={sc.iso(t)}", f"level={level}", f'msg="{msg}"']
    for k, v in kv.items():
        s = str(v)
        parts.append(f'{k}="{s}"' if (" " in s or '"' in s or "=" in s) else f"{k}={s}")
    return " ".join(parts)


def zap(sc: Scenario, t: float, level: str, caller: str, msg: str, **kv) -> str:
    d = {"level": level, "ts": round(sc.epoch_ms(t) / 1000.0, 3), "caller": caller, "msg": msg}
    d.update(kv)
    return json.dumps(d, separators=(",", ":"))


def pino(sc: Scenario, t: float, level: int, host: str, msg: str, **kv) -> str:
    d = {"level": level, "time": sc.epoch_ms(t), "pid": 1, "hostname": host}
    d.update(kv)
    d["msg"] = msg
    return json.dumps(d, separators=(",", ":"))


def clef(sc: Scenario, t: float, level: str, template: str, **kv) -> str:
    d = {"@t": sc.iso(t), "@mt": template}
    if level != "Information":
        d["@l"] = level
    d.update(kv)
    return json.dumps(d, separators=(",", ":"))


def php(sc: Scenario, t: float, kind: str, msg: str) -> str:
    return f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')} UTC] PHP {kind}:  {msg}"


class ResettingLambdaLogs(LambdaLogs):
    """After a timeout or a runtime crash (status timeout/error) the execution environment is
    reset, so the next request on it cold-starts in a new stream."""

    def _env(self, t):
        self._last = super()._env(t)
        return self._last

    def invoke(self, s, is_err, body):
        box = {}

        def wrapped(ll, t, rid, err, cold):
            box["r"] = body(ll, t, rid, err, cold)
            return box["r"]
        super().invoke(s, is_err, wrapped)
        if box["r"].get("status") in ("timeout", "error"):
            self._last["life"] = 0.0


# --------------------------------------------------------------------------- metric families
def _cnt(sc, fn, noise=0.06):
    return sc.series(fn, noise=noise, integer=True)


def lambda_family(sc: Scenario, fn: str, inv, err_p, dur, throttles=None, conc=None,
                  dur_cap: float | None = None) -> dict:
    d = {"FunctionName": fn}
    iv = _cnt(sc, inv)
    ev = [float(binom(sc.rng, n, err_p(t))) for t, n in zip(GRID, iv)]
    dv = sc.series(dur, noise=0.1, cap=dur_cap, digits=2)
    tv = _cnt(sc, throttles or (lambda t: 0.0))
    if conc is None:
        cv = [float(max(1, round(n * x / 60000.0 * (1 + sc.rng.gauss(0, 0.15)) + 0.5)))
              for n, x in zip(iv, dv)]
    else:
        cv = sc.series(conc, noise=0.08, integer=True)
    sc.metric("AWS/Lambda", "Invocations", d, "Count", iv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", ev)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", tv)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dv)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", cv)
    return {"inv": iv, "err": ev, "dur": dv}


def lambda_logs(ll, m: dict, body, per_min: float = 3.0, t0: float = -HISTORY,
                err_min: int = 0) -> None:
    """Log a sample of the invocations of metric family `m` (at most per_min a minute),
    keeping the error share of each minute (and at least err_min errors when any)."""
    rng = ll.sc.rng
    inv, errs = {}, {}
    for t, n, e in zip(GRID, m["inv"], m["err"]):
        if t < t0 or not n:
            continue
        k = min(int(n), poisson(rng, per_min) if per_min < n else int(n))
        x = k * e / n
        ke = int(x) + (1 if rng.random() < x - int(x) else 0)
        if e and err_min:
            ke = max(ke, min(int(e), err_min))
            k = max(k, ke)
        inv[t], errs[t] = k, ke
    ll.run(inv, errs, body)


def alb_family(sc: Scenario, lb: str, req, rt, t5xx=None, e5xx=None, hosts=None,
               unhealthy=None, t4xx=None) -> dict:
    d = {"LoadBalancer": lb}
    ns = "AWS/ApplicationELB"
    out = {"req": sc.metric(ns, "RequestCount", d, "Count", _cnt(sc, req, 0.05))}
    out["rt"] = sc.metric(ns, "TargetResponseTime", d, "Seconds", sc.series(rt, noise=0.1, digits=4))
    out["t5"] = sc.metric(ns, "HTTPCode_Target_5XX_Count", d, "Count", _cnt(sc, t5xx or (lambda t: 0.3)))
    out["e5"] = sc.metric(ns, "HTTPCode_ELB_5XX_Count", d, "Count", _cnt(sc, e5xx or (lambda t: 0.05)))
    if t4xx:
        out["t4"] = sc.metric(ns, "HTTPCode_Target_4XX_Count", d, "Count", _cnt(sc, t4xx))
    if hosts:
        un = unhealthy or (lambda t: 0)
        sc.metric(ns, "HealthyHostCount", d, "Count",
                  [float(max(0, hosts(t) - round(un(t)))) for t in GRID])
        sc.metric(ns, "UnHealthyHostCount", d, "Count", [float(round(un(t))) for t in GRID])
    return out


def apigw_family(sc: Scenario, api: str, count, lat, e4=None, e5=None, ilat=None) -> dict:
    d = {"ApiName": api}
    ns = "AWS/ApiGateway"
    out = {"count": sc.metric(ns, "Count", d, "Count", _cnt(sc, count, 0.05))}
    out["e4"] = sc.metric(ns, "4XXError", d, "Count", _cnt(sc, e4 or (lambda t: 0.2)))
    out["e5"] = sc.metric(ns, "5XXError", d, "Count", _cnt(sc, e5 or (lambda t: 0.05)))
    out["lat"] = sc.metric(ns, "Latency", d, "Milliseconds", sc.series(lat, noise=0.1, digits=2))
    ilat = ilat or (lambda t: max(1.0, lat(t) - 14.0))
    sc.metric(ns, "IntegrationLatency", d, "Milliseconds", sc.series(ilat, noise=0.1, digits=2))
    return out


def ecs_family(sc: Scenario, cluster: str, service: str, cpu, mem, tasks=None) -> dict:
    d = {"ClusterName": cluster, "ServiceName": service}
    out = {"cpu": sc.metric("AWS/ECS", "CPUUtilization", d, "Percent",
                            sc.series(cpu, noise=0.05, cap=100.0))}
    out["mem"] = sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent",
                           sc.series(mem, noise=0.02, cap=100.0))
    if tasks:
        sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count",
                  [float(round(tasks(t))) for t in GRID])
    return out


def rds_family(sc: Scenario, db: str, cpu, conns, free_gb, rlat=lambda t: 0.0012,
               wlat=lambda t: 0.0021, mem_gb=lambda t: 5.8, riops=None,
               max_conns: float | None = None) -> dict:
    d = {"DBInstanceIdentifier": db}
    ns = "AWS/RDS"
    out = {"cpu": sc.metric(ns, "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.06, cap=100.0))}
    out["conns"] = sc.metric(ns, "DatabaseConnections", d, "Count", sc.series(conns, noise=0.03, abs_noise=1.5, digits=0, cap=max_conns))
    out["free"] = sc.metric(ns, "FreeStorageSpace", d, "Bytes",
                            sc.series(lambda t: free_gb(t) * 1e9, noise=0.0005, digits=0))
    sc.metric(ns, "ReadLatency", d, "Seconds", sc.series(rlat, noise=0.12, digits=5))
    sc.metric(ns, "WriteLatency", d, "Seconds", sc.series(wlat, noise=0.12, digits=5))
    sc.metric(ns, "FreeableMemory", d, "Bytes", sc.series(lambda t: mem_gb(t) * 1e9, noise=0.01, digits=0))
    if riops:
        sc.metric(ns, "ReadIOPS", d, "Count/Second", sc.series(riops, noise=0.08, digits=1))
    return out


def ec2_family(sc: Scenario, iid: str, cpu, netin=lambda t: 3.0e6, mem=None, disk=None,
               alive=lambda t: True, status=lambda t: 0.0, fstype="xfs") -> dict:
    d = {"InstanceId": iid}
    live = (lambda f: (lambda t: f(t) if alive(t) else None))
    out = {"cpu": sc.metric("AWS/EC2", "CPUUtilization", d, "Percent",
                            sc.series(live(cpu), noise=0.05, cap=100.0))}
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", sc.series(live(netin), noise=0.1, digits=0))
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", [float(status(t)) for t in GRID])
    sc.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", [float(status(t)) for t in GRID])
    if mem:
        sc.metric("CWAgent", "mem_used_percent", d, "Percent", sc.series(live(mem), noise=0.01, cap=100.0))
    if disk:
        out["disk"] = sc.metric("CWAgent", "disk_used_percent", dict(d, path="/", fstype=fstype),
                                "Percent", sc.series(live(disk), noise=0.0015, cap=100.0))
    return out


# --------------------------------------------------------------------------- CloudTrail shorthands
def lam_deploy(sc: Scenario, t: float, fn: str, user: str, alias: bool = True) -> None:
    sc.change(t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, user)
    sc.change(t + 14, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, user)
    if alias:
        sc.change(t + 17, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias",
                  f"{fn}:live", user)


def lam_config(sc: Scenario, t: float, fn: str, user: str) -> None:
    sc.change(t, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, user)


def ecs_deploy(sc: Scenario, t: float, cluster: str, service: str, rev: int, user: str) -> None:
    sc.change(t, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              f"{service}:{rev}", user)
    sc.change(t + 9, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/{service}", user)
