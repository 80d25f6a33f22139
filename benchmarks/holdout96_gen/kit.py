"""What set 96 adds to the shared holdout57 helpers: metric bundles per AWS service, sparse
log scatterers, .NET/Go log line formats and a Lambda log sampler.

Everything draws from the scenario's own seeded rng, so output is deterministic."""
from __future__ import annotations

import json
import math
import re

from benchmarks.holdout57_gen.common import GRID, HISTORY, Scenario as _Base

GB = 1024 ** 3


class Scenario(_Base):
    prefix = "h96"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.meta = {}

    def note(self, **kw) -> None:
        """README material: alarm_on, decoys, story, judgement."""
        self.meta.update(kw)


# --------------------------------------------------------------------------- random helpers
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


def scatter(sc: Scenario, group: str, stream: str, rate, make, start: float = -HISTORY,
            end: float = 0) -> None:
    """Poisson-many events per minute at rate(minute); make(t) returns the text (or None)."""
    m = int(start // 60 * 60)
    while m < end:
        for _ in range(poisson(sc.rng, rate(m))):
            t = m + sc.rng.uniform(0.0, 59.9)
            if start <= t < end:
                txt = make(t)
                if txt:
                    sc.log(group, stream, t, txt)
        m += 60


def every(sc: Scenario, group: str, stream: str, period: float, make, start: float = -HISTORY,
          end: float = 0, jitter: float = 1.5) -> None:
    t = start + sc.rng.uniform(0, period)
    while t < end:
        txt = make(t)
        if txt:
            sc.log(group, stream, t, txt)
        t += period + sc.rng.uniform(-jitter, jitter)


def pick(sc: Scenario, items):
    return items[sc.rng.randrange(len(items))]


def flight(sc: Scenario, carriers=("EI", "KE", "UA", "LH", "OZ", "BA", "DL")) -> str:
    return f"{pick(sc, carriers)}{sc.rng.randint(11, 2999)}"


def pnr(sc: Scenario) -> str:
    return "".join(pick(sc, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))


def bagtag(sc: Scenario) -> str:
    return f"0{sc.rng.randint(16, 988):03d}{sc.rng.randint(100000, 999999)}"


def task_id(sc: Scenario) -> str:
    return sc.hexid(32)


# --------------------------------------------------------------------------- metric bundles
def _m(sc, ns, name, dims, unit, fn, **kw):
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


def zero(_t):
    return 0.0


def alb_metrics(sc, lb, req, rt, t5=zero, e5=zero, healthy=lambda t: 3.0, unhealthy=zero,
                t4=None, e502=None, e503=None) -> dict:
    d = {"LoadBalancer": lb}
    ns = "AWS/ApplicationELB"
    out = {"req": _m(sc, ns, "RequestCount", d, "Count", req, integer=True),
           "rt": _m(sc, ns, "TargetResponseTime", d, "Seconds", rt, noise=0.08, digits=4),
           "t5": _m(sc, ns, "HTTPCode_Target_5XX_Count", d, "Count", t5, integer=True),
           "e5": _m(sc, ns, "HTTPCode_ELB_5XX_Count", d, "Count", e5, integer=True),
           "hh": _m(sc, ns, "HealthyHostCount", d, "Count", healthy, noise=0.0, digits=0),
           "uh": _m(sc, ns, "UnHealthyHostCount", d, "Count", unhealthy, noise=0.0, digits=0)}
    if t4:
        out["t4"] = _m(sc, ns, "HTTPCode_Target_4XX_Count", d, "Count", t4, integer=True)
    if e502:
        out["e502"] = _m(sc, ns, "HTTPCode_ELB_502_Count", d, "Count", e502, integer=True)
    if e503:
        out["e503"] = _m(sc, ns, "HTTPCode_ELB_503_Count", d, "Count", e503, integer=True)
    return out


def lambda_metrics(sc, fn, inv, err, dur, thr=zero, conc=None, dur_noise=0.12, dur_cap=None) -> dict:
    d = {"FunctionName": fn}
    inv_v = sc.series(inv, integer=True)
    err_v = [min(i, e) for i, e in zip(inv_v, sc.series(err, integer=True))]
    dur_v = sc.series(dur, noise=dur_noise, digits=2, cap=dur_cap)
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv_v)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err_v)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur_v)
    thr_v = _m(sc, "AWS/Lambda", "Throttles", d, "Count", thr, integer=True)
    if conc is None:
        conc_v = [float(max(1, math.ceil(i * x / 60000.0 * 1.6))) for i, x in zip(inv_v, dur_v)]
        sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc_v)
    else:
        conc_v = _m(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, noise=0.0, digits=0)
    return {"inv": inv_v, "err": err_v, "dur": dict(zip(GRID, dur_v)), "thr": thr_v, "conc": conc_v}


def api_metrics(sc, api, count, e4, e5, lat, ilat=None) -> dict:
    d = {"ApiName": api}
    ns = "AWS/ApiGateway"
    out = {"count": _m(sc, ns, "Count", d, "Count", count, integer=True),
           "e4": _m(sc, ns, "4XXError", d, "Count", e4, integer=True),
           "e5": _m(sc, ns, "5XXError", d, "Count", e5, integer=True),
           "lat": _m(sc, ns, "Latency", d, "Milliseconds", lat, noise=0.1, digits=2)}
    if ilat:
        out["ilat"] = _m(sc, ns, "IntegrationLatency", d, "Milliseconds", ilat, noise=0.1, digits=2)
    return out


def rds_metrics(sc, db, cpu, conns, free_gb, mem_gb, rlat=lambda t: 0.0012,
                wlat=lambda t: 0.0021, extra=()) -> dict:
    d = {"DBInstanceIdentifier": db}
    ns = "AWS/RDS"
    out = {"cpu": _m(sc, ns, "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0),
           "conns": _m(sc, ns, "DatabaseConnections", d, "Count", conns, noise=0.03, digits=0),
           "free": _m(sc, ns, "FreeStorageSpace", d, "Bytes",
                      lambda t: None if free_gb(t) is None else free_gb(t) * GB, noise=0.0004, digits=0),
           "mem": _m(sc, ns, "FreeableMemory", d, "Bytes", lambda t: mem_gb(t) * GB, noise=0.02, digits=0),
           "rlat": _m(sc, ns, "ReadLatency", d, "Seconds", rlat, noise=0.15, digits=5),
           "wlat": _m(sc, ns, "WriteLatency", d, "Seconds", wlat, noise=0.15, digits=5)}
    for name, unit, fn, kw in extra:
        out[name] = _m(sc, ns, name, d, unit, fn, **kw)
    return out


def ec2_metrics(sc, iid, cpu, mem=lambda t: 41.0, disk=lambda t: 38.0, net=lambda t: 2.4e6,
                mount="/", fstype="xfs") -> dict:
    d = {"InstanceId": iid}
    return {"cpu": _m(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.07, cap=100.0),
            "net": _m(sc, "AWS/EC2", "NetworkIn", d, "Bytes", net, noise=0.12, digits=0),
            "sc": _m(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", zero, noise=0.0, digits=0),
            "mem": _m(sc, "CWAgent", "mem_used_percent", d, "Percent", mem, noise=0.015, cap=100.0),
            "disk": _m(sc, "CWAgent", "disk_used_percent",
                       {"InstanceId": iid, "path": mount, "fstype": fstype}, "Percent", disk,
                       noise=0.002, cap=100.0)}


def ecs_metrics(sc, cluster, service, cpu, mem, running=None) -> dict:
    d = {"ClusterName": cluster, "ServiceName": service}
    out = {"cpu": _m(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.07, cap=100.0),
           "mem": _m(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.02, cap=100.0)}
    if running:
        out["run"] = _m(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count", running,
                        noise=0.0, digits=0)
    return out


# --------------------------------------------------------------------------- lambda log sampling
def sampled(m: dict, start: float = -14400, cap: int = 4):
    """Invocation/error counts to log per minute: at most `cap` a minute, errors kept in
    proportion (at least one when the minute had any)."""
    inv, err = {}, {}
    for t, i, e in zip(GRID, m["inv"], m["err"]):
        if t < start or not i:
            continue
        n = min(int(i), cap)
        k = 0 if not e else max(1, round(e * n / i))
        inv[t], err[t] = n, min(n, k)
    return inv, err


# --------------------------------------------------------------------------- line formats
def clef(sc: Scenario, t: float, level: str, template: str, **props) -> str:
    """Serilog compact JSON (CLEF); Information is implied when @l is absent."""
    obj = {"@t": sc.iso(t, 7)}
    def render(m):
        v = props.get(m.group(1), m.group(0))
        if isinstance(v, str):
            return json.dumps(v)
        fmt = m.group(2)
        if fmt and re.fullmatch(r"0\.(0+)", fmt):  # .NET custom numeric format "0.0000"
            return f"{v:.{len(fmt) - 2}f}"
        return str(v)
    msg = re.sub(r"\{(\w+)(?::([^}]+))?\}", render, template)
    obj["@mt"] = template
    if level != "Information":
        obj["@l"] = level
    obj.update(props)
    obj["@m"] = msg
    return json.dumps(obj, separators=(",", ":"))


def gostd(sc: Scenario, t: float, msg: str) -> str:
    """Go standard library log (LstdFlags|Lmicroseconds)."""
    d = sc.at(t)
    return f"{d.strftime('%Y/%m/%d %H:%M:%S')}.{d.microsecond:06d} {msg}"


def kestrel(sc: Scenario, t: float, level: str, category: str, msg: str) -> str:
    """Microsoft.Extensions.Logging console (simple, single line, UTC timestamp)."""
    return f"{sc.iso(t)} {level}: {category}[0] {msg}"


def tomcat_access(sc: Scenario, t: float, ip: str, method: str, path: str, status: int,
                  size: int, ms: int) -> str:
    d = sc.at(t)
    return f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" {status} {size} {ms}'
