"""Compact builders for set 73: standard metric families per service and log emitters.

Every builder samples through `Scenario.series`, so all noise comes from the scenario's
seeded RNG and output is deterministic.
"""
from __future__ import annotations

import math

from .common import GRID, HISTORY, Scenario, diurnal
from .runtimes import jline

__all__ = ["pois", "lines", "every", "m", "ec2", "alb", "tg", "lam", "ecs", "rds", "apigw",
           "lam_logs", "load", "tomcat", "apache", "laravel", "php_err", "logfmt", "jline",
           "zap", "pino", "clef", "lograge", "GRID", "HISTORY"]


def pois(rng, lam: float) -> int:
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


def lines(sc: Scenario, group: str, stream: str, rate, make, start: float = -HISTORY,
          end: float = 0.0) -> None:
    """rate(t) = expected events per minute; make(t) -> str | [(dt, str)] | None."""
    for mn in range(int(start), int(end), 60):
        n = pois(sc.rng, rate(mn))
        for t in sorted(sc.rng.uniform(mn, mn + 60) for _ in range(n)):
            out = make(t)
            if out is None:
                continue
            if isinstance(out, str):
                sc.log(group, stream, t, out)
            else:
                for dt, txt in out:
                    sc.log(group, stream, t + dt, txt)


def every(sc: Scenario, group: str, stream: str, period: float, make, start: float = -HISTORY,
          end: float = 0.0, jitter: float = 1.5) -> None:
    t = start + sc.rng.uniform(0, period)
    while t < end:
        out = make(t)
        if out:
            sc.log(group, stream, t + sc.rng.uniform(0, jitter), out)
        t += period


def load(sc: Scenario, level: float, amp: float = 0.2, peak: float = 15.0):
    return lambda t: level * diurnal(sc, t, peak_hour=peak, amp=amp)


# --------------------------------------------------------------------------- metrics
def m(sc: Scenario, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> list:
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


def _c(sc, ns, name, dims, fn):
    return m(sc, ns, name, dims, "Count", fn, integer=True, noise=0.05)


def ec2(sc, iid, cpu, mem=None, disk=None, net=None, fstype="xfs"):
    d = {"InstanceId": iid}
    out = {"cpu": m(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)}
    m(sc, "AWS/EC2", "NetworkIn", d, "Bytes", net or (lambda t: 3.2e7), noise=0.12, digits=0)
    m(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", lambda t: 0.0, noise=0.0)
    if mem:
        out["mem"] = m(sc, "CWAgent", "mem_used_percent", d, "Percent", mem, noise=0.015, cap=100.0)
    if disk:
        out["disk"] = m(sc, "CWAgent", "disk_used_percent",
                        {**d, "path": "/", "device": "nvme0n1p1", "fstype": fstype}, "Percent",
                        disk, noise=0.0005, cap=100.0)
    return out


def alb(sc, lb, req, rt, t5xx, e5xx=lambda t: 0.3, healthy=lambda t: 2, unhealthy=lambda t: 0,
        t4xx=None):
    d = {"LoadBalancer": lb}
    out = {"req": _c(sc, "AWS/ApplicationELB", "RequestCount", d, req),
           "rt": m(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.12,
                   digits=4),
           "t5xx": _c(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, t5xx),
           "e5xx": _c(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, e5xx)}
    if t4xx:
        out["t4xx"] = _c(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, t4xx)
    m(sc, "AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, noise=0.0, digits=0)
    m(sc, "AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, noise=0.0, digits=0)
    return out


def tg(sc, lb, tgid, req, healthy, unhealthy=lambda t: 0):
    d = {"LoadBalancer": lb, "TargetGroup": tgid}
    out = _c(sc, "AWS/ApplicationELB", "RequestCount", d, req)
    m(sc, "AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, noise=0.0, digits=0)
    m(sc, "AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, noise=0.0, digits=0)
    return out


def lam(sc, fn, inv, err, dur, thr=lambda t: 0.0, conc=None, conc_cap=None):
    d = {"FunctionName": fn}
    inv_v = _c(sc, "AWS/Lambda", "Invocations", d, inv)
    err_v = sc.metric("AWS/Lambda", "Errors", d, "Count",
                      [min(i, e) for i, e in zip(inv_v, sc.series(err, integer=True))])
    _c(sc, "AWS/Lambda", "Throttles", d, thr)
    m(sc, "AWS/Lambda", "Duration", d, "Milliseconds", dur, noise=0.08, digits=2)
    conc = conc or (lambda t: max(1.0, inv(t) * dur(t) / 60000.0))
    m(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, noise=0.08, digits=0,
      cap=conc_cap)
    return inv_v, err_v


def ecs(sc, cluster, svc, cpu, mem, tasks):
    d = {"ClusterName": cluster, "ServiceName": svc}
    m(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.07, cap=100.0)
    m(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.015, cap=100.0)
    m(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", tasks, noise=0.0, digits=0)


def rds(sc, db, cpu, conns, free_gb, rlat=lambda t: 0.0016, wlat=lambda t: 0.0022,
        mem_gb=lambda t: 5.8, dq=lambda t: 0.6, conn_cap=None):
    d = {"DBInstanceIdentifier": db}
    out = {"cpu": m(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.07, cap=100.0),
           "conns": m(sc, "AWS/RDS", "DatabaseConnections", d, "Count", conns, noise=0.04,
                      digits=0, cap=conn_cap)}
    m(sc, "AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: free_gb(t) * 1e9, noise=0.0004,
      digits=0)
    m(sc, "AWS/RDS", "ReadLatency", d, "Seconds", rlat, noise=0.12, digits=5)
    m(sc, "AWS/RDS", "WriteLatency", d, "Seconds", wlat, noise=0.12, digits=5)
    m(sc, "AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: mem_gb(t) * 1e9, noise=0.01,
      digits=0)
    m(sc, "AWS/RDS", "DiskQueueDepth", d, "Count", dq, noise=0.2, digits=3)
    return out


def apigw(sc, api, count, e4, e5, lat, ilat=None):
    d = {"ApiName": api}
    out = {"count": _c(sc, "AWS/ApiGateway", "Count", d, count),
           "4xx": _c(sc, "AWS/ApiGateway", "4XXError", d, e4),
           "5xx": _c(sc, "AWS/ApiGateway", "5XXError", d, e5)}
    m(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", lat, noise=0.1, digits=2)
    m(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
      ilat or (lambda t: max(1.0, lat(t) - 18)), noise=0.1, digits=2)
    return out


def lam_logs(ll, inv_v, err_v, cap: int, body, start: float = -HISTORY) -> None:
    """Log a sample of at most `cap` invocations per minute, keeping the error share."""
    inv, err = {}, {}
    for t, n, e in zip(GRID, inv_v, err_v):
        if t < start or not n:
            continue
        k = min(int(n), cap)
        inv[t] = k
        share = e / n
        err[t] = int(round(k * share)) if share < 1 else k
        if e and not err[t] and ll.sc.rng.random() < e * k / n:
            err[t] = 1
    ll.run(inv, err, body)


# --------------------------------------------------------------------------- log formats
def tomcat(sc, t, ip, method, path, status, size, ms):
    d = sc.at(t)
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" '
            f'{status} {size} {int(ms)}')


def apache(sc, t, ip, method, path, status, size, us, ua="Mozilla/5.0 (Windows NT 10.0; Win64)"):
    d = sc.at(t)
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" '
            f'{status} {size} "-" "{ua}" {int(us)}')


def laravel(sc, t, level, msg, ctx="{}"):
    return f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] production.{level}: {msg} {ctx}"


def php_err(sc, t, msg):
    return f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')} UTC] {msg}"


def logfmt(sc, t, level, msg, **kv):
    parts = [f"ts={sc.iso(t)}", f"level={level}", f'msg="{msg}"']
    for k, v in kv.items():
        s = str(v)
        if " " in s or '"' in s or not s:
            s = '"' + s.replace('"', '\\"') + '"'
        parts.append(f"{k}={s}")
    return " ".join(parts)


def zap(sc, t, level, caller, msg, **kv):
    return jline({"level": level, "ts": round(sc.at(t).timestamp(), 3), "caller": caller,
                  "msg": msg, **kv})


def pino(sc, t, level, msg, host, **kv):
    lv = {"info": 30, "warn": 40, "error": 50, "fatal": 60}[level]
    return jline({"level": lv, "time": sc.epoch_ms(t), "pid": 1, "hostname": host, **kv,
                  "msg": msg})


def clef(sc, t, level, tmpl, exc=None, **kv):
    o = {"@t": sc.iso(t), "@mt": tmpl}
    if level != "Information":
        o["@l"] = level
    if exc:
        o["@x"] = exc
    o.update(kv)
    return jline(o)


def lograge(sc, t, **kv):
    parts = []
    for k, v in kv.items():
        s = str(v)
        parts.append(f"{k}='{s}'" if " " in s else f"{k}={s}")
    return " ".join(parts)
