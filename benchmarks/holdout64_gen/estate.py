"""Lift-and-shift estate helpers: EC2 hosts, ALBs, RDS, Lambda, ECS, API Gateway
metric families and the host log formats the CloudWatch agent ships
(syslog, Apache, Tomcat, IIS W3C, nginx, Laravel, JSON, logfmt)."""
from __future__ import annotations

import json
import math

from .common import GRID, Scenario

GB = 1024 ** 3


# --------------------------------------------------------------------------- event emitters
def _poisson(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    k, p, L = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def emit(sc: Scenario, group: str, stream: str, rate, line, start: float = -21600,
         end: float = 0) -> None:
    """rate(t) expected events per minute; line(t) -> text (or None to skip)."""
    rng = sc.rng
    for m in GRID:
        if m < start or m >= end:
            continue
        n = _poisson(rng, rate(m))
        for t in sorted(rng.uniform(m, m + 60) for _ in range(n)):
            txt = line(t)
            if txt:
                sc.log(group, stream, t, txt)


def every(sc: Scenario, group: str, stream: str, period: float, line, start: float = -21600,
          end: float = 0, jitter: float = 1.5) -> None:
    t = start
    while t < end:
        txt = line(t + sc.rng.uniform(0, jitter))
        if txt:
            sc.log(group, stream, t + sc.rng.uniform(0, jitter), txt)
        t += period


def pick(rng, weighted):
    """weighted: list of (weight, value)."""
    total = sum(w for w, _ in weighted)
    x = rng.uniform(0, total)
    for w, v in weighted:
        x -= w
        if x <= 0:
            return v
    return weighted[-1][1]


# --------------------------------------------------------------------------- metric families
def ec2(sc: Scenario, iid: str, name: str, itype: str, cpu, mem, disk, net=None, status=None,
        windows: bool = False, log_groups=(), **props) -> None:
    p = {"name": name, "instance_type": itype}
    if windows:
        p["platform"] = "windows"
    if log_groups:
        p["log_groups"] = list(log_groups)
    p.update(props)
    sc.resource("ec2", iid, **p)
    d = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent",
              sc.series(cpu, noise=0.07, abs_noise=0.6, cap=100.0, digits=2))
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes",
              sc.series(net or (lambda t: 2.4e6), noise=0.12, digits=0))
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count",
              sc.series(status or (lambda t: 0.0), noise=0.0, digits=0))
    if windows:
        sc.metric("CWAgent", "Memory % Committed Bytes In Use", {**d, "objectname": "Memory"},
                  "Percent", sc.series(mem, noise=0.01, abs_noise=0.3, cap=100.0, digits=2))
        sc.metric("CWAgent", "LogicalDisk % Free Space",
                  {**d, "instance": "C:", "objectname": "LogicalDisk"}, "Percent",
                  sc.series(lambda t: None if disk(t) is None else 100.0 - disk(t), noise=0.0,
                            abs_noise=0.05, cap=100.0, digits=2))
    else:
        sc.metric("CWAgent", "mem_used_percent", d, "Percent",
                  sc.series(mem, noise=0.01, abs_noise=0.3, cap=100.0, digits=2))
        sc.metric("CWAgent", "disk_used_percent", {**d, "path": "/", "device": "nvme0n1p1",
                                                    "fstype": "xfs"}, "Percent",
                  sc.series(disk, noise=0.0, abs_noise=0.04, cap=100.0, digits=2))


def alb(sc: Scenario, name: str, req, t5xx, rt, healthy, unhealthy=None, elb5xx=None,
        **props) -> str:
    lb = f"app/{name}/{sc.hexid(16)}"
    sc.resource("alb", lb, name=name, **props)
    d = {"LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", sc.series(req, integer=True))
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
              sc.series(rt, noise=0.1, digits=4))
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count",
              sc.series(t5xx, integer=True))
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
              sc.series(elb5xx or (lambda t: 0.0), integer=True))
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count",
              sc.series(healthy, noise=0.0, digits=0))
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count",
              sc.series(unhealthy or (lambda t: 0.0), noise=0.0, digits=0))
    return lb


def alb_tg(sc: Scenario, lb: str, tg: str, req, t5xx, rt) -> dict:
    d = {"TargetGroup": f"targetgroup/{tg}/{sc.hexid(16)}", "LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", sc.series(req, integer=True))
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count",
              sc.series(t5xx, integer=True))
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
              sc.series(rt, noise=0.1, digits=4))
    return d


def rds(sc: Scenario, db: str, engine: str, klass: str, max_conn: int, storage_gb: int,
        cpu, conns, free_gb, rlat=None, wlat=None, mem_gb=None, **props) -> None:
    sc.resource("rds", db, engine=engine, instance_class=klass, max_connections=max_conn,
                allocated_storage_gb=storage_gb, **props)
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent",
              sc.series(cpu, noise=0.08, abs_noise=0.5, cap=100.0, digits=2))
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count",
              sc.series(conns, noise=0.03, integer=True, cap=float(max_conn)))
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
              [None if v is None else float(round(v * GB, -5)) for v in
               sc.series(free_gb, noise=0.0, abs_noise=0.01, digits=4)])
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds",
              sc.series(rlat or (lambda t: 0.0012), noise=0.15, digits=5))
    sc.metric("AWS/RDS", "WriteLatency", d, "Seconds",
              sc.series(wlat or (lambda t: 0.0021), noise=0.15, digits=5))
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
              [float(round(v * GB, -5)) for v in
               sc.series(mem_gb or (lambda t: 2.1), noise=0.02, digits=4)])


def lam(sc: Scenario, fn: str, inv, err, dur, thr=None, conc=None) -> dict:
    d = {"FunctionName": fn}
    out = {}
    out["inv"] = sc.metric("AWS/Lambda", "Invocations", d, "Count", sc.series(inv, integer=True))
    errs = sc.series(err, integer=True)
    out["err"] = sc.metric("AWS/Lambda", "Errors", d, "Count",
                           [min(e, i) for e, i in zip(errs, out["inv"])])
    out["thr"] = sc.metric("AWS/Lambda", "Throttles", d, "Count",
                           sc.series(thr or (lambda t: 0.0), integer=True))
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", sc.series(dur, noise=0.08, digits=2))
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count",
              sc.series(conc or (lambda t: 1.0), noise=0.05, integer=False, digits=0, floor=1))
    return out


def ecs(sc: Scenario, cluster: str, service: str, cpu, mem, running, desired: int,
        **props) -> None:
    sc.resource("ecs", f"{cluster}/{service}", desired_count=desired, **props)
    d = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent",
              sc.series(cpu, noise=0.08, abs_noise=0.5, cap=100.0, digits=2))
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent",
              sc.series(mem, noise=0.02, abs_noise=0.4, cap=100.0, digits=2))
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count",
              sc.series(running, noise=0.0, digits=0))


def apigw(sc: Scenario, api: str, count, e4, e5, lat, ilat, **props) -> None:
    sc.resource("apigateway", api, **props)
    d = {"ApiName": api, "Stage": "prod"}
    sc.metric("AWS/ApiGateway", "Count", d, "Count", sc.series(count, integer=True))
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", sc.series(e4, integer=True))
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", sc.series(e5, integer=True))
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", sc.series(lat, noise=0.1, digits=2))
    sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
              sc.series(ilat, noise=0.1, digits=2))


def iid(sc: Scenario) -> str:
    return "i-0" + sc.hexid(16)


# --------------------------------------------------------------------------- log formats
def syslog(sc: Scenario, t: float, host: str, proc: str, msg: str, pid: int | None = None) -> str:
    d = sc.at(t)
    tag = f"{proc}[{pid}]" if pid else proc
    return f"{d.strftime('%b')} {d.day:>2} {d.strftime('%H:%M:%S')} {host} {tag}: {msg}"


def apache(sc: Scenario, t: float, ip: str, method: str, path: str, status: int, size: int,
           usec: int, ua: str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", ref: str = "-") -> str:
    d = sc.at(t)
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" '
            f'{status} {size if status < 500 else "-"} "{ref}" "{ua}" {usec}')


def apache_err(sc: Scenario, t: float, module: str, pid: int, msg: str, client: str | None = None) -> str:
    d = sc.at(t)
    c = f" [client {client}]" if client else ""
    return (f"[{d.strftime('%a %b %d %H:%M:%S')}.{d.microsecond:06d} {d.year}] [{module}] "
            f"[pid {pid}]{c} {msg}")


def catalina(sc: Scenario, t: float, level: str, thread: str, logger: str, msg: str) -> str:
    d = sc.at(t)
    return (f"{d.strftime('%d-%b-%Y %H:%M:%S')}.{d.microsecond // 1000:03d} {level} "
            f"[{thread}] {logger} {msg}")


def log4j(sc: Scenario, t: float, level: str, thread: str, logger: str, msg: str) -> str:
    d = sc.at(t)
    return (f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {level:<5} "
            f"[{thread}] {logger} - {msg}")


def iis(sc: Scenario, t: float, sip: str, method: str, uri: str, query: str, cip: str,
        status: int, sub: int, win32: int, taken_ms: int,
        ua: str = "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)") -> str:
    d = sc.at(t)
    return (f"{d.strftime('%Y-%m-%d %H:%M:%S')} {sip} {method} {uri} {query or '-'} 443 - {cip} "
            f"{ua} - {status} {sub} {win32} {taken_ms}")


def laravel(sc: Scenario, t: float, level: str, msg: str, ctx: dict | None = None) -> str:
    d = sc.at(t)
    tail = " " + json.dumps(ctx, separators=(",", ":")) if ctx is not None else " []"
    return f"[{d.strftime('%Y-%m-%d %H:%M:%S')}] production.{level.upper()}: {msg}{tail}"


def pino(sc: Scenario, t: float, level: int, host: str, msg: str, pid: int = 2817, **kw) -> str:
    obj = {"level": level, "time": sc.epoch_ms(t), "pid": pid, "hostname": host}
    obj.update(kw)
    obj["msg"] = msg
    return json.dumps(obj, separators=(",", ":"))


def logfmt(sc: Scenario, t: float, level: str, msg: str, **kw) -> str:
    parts = [f"time={sc.iso(t)}", f"level={level}", f'msg="{msg}"']
    for k, v in kw.items():
        s = str(v)
        parts.append(f'{k}="{s}"' if (" " in s or "=" in s or not s) else f"{k}={s}")
    return " ".join(parts)


def zap(sc: Scenario, t: float, level: str, caller: str, msg: str, **kw) -> str:
    obj = {"level": level, "ts": round(sc.at(t).timestamp(), 3), "caller": caller, "msg": msg}
    obj.update(kw)
    return json.dumps(obj, separators=(",", ":"))


def pylog(sc: Scenario, t: float, level: str, name: str, msg: str) -> str:
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {level} [{name}] {msg}"
