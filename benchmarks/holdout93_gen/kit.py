"""Set-93 additions to the shared holdout57 helpers: the h93 scenario class, metric packs for
the six resource types, event-time sampling and a few log formats the shared module lacks."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import Scenario, counts_per_minute
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline

LOG_START = -10800       # log streams keep three hours, so a pattern's baseline stays visible


class H93(Scenario):
    prefix = "h93"


def new(num: int, slug: str, description: str, region: str, now_iso: str) -> H93:
    return H93(num, slug, description, region, seed=930_000 + num * 7919, now_iso=now_iso)


# --------------------------------------------------------------------------- sampling
def poisson(sc: Scenario, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(sc.rng.gauss(lam, math.sqrt(lam)))))
    k, p, lim = 0, 1.0, math.exp(-lam)
    while True:
        p *= sc.rng.random()
        if p <= lim:
            return k
        k += 1


def times(sc: Scenario, rate, start: float = LOG_START, end: float = 0.0) -> list:
    """Event times with `rate(t)` expected events per minute (a number or a callable)."""
    out = []
    f = rate if callable(rate) else (lambda _t: rate)
    m = int(start // 60 * 60)
    while m < end:
        for _ in range(poisson(sc, f(m))):
            t = m + sc.rng.uniform(0.0, 60.0)
            if start <= t < end:
                out.append(t)
        m += 60
    return sorted(out)


def emit(sc: Scenario, group: str, stream: str, rate, line, start: float = LOG_START,
         end: float = 0.0) -> None:
    """Log `line(t)` (a string, a list of strings, or None) at sampled times."""
    for t in times(sc, rate, start, end):
        out = line(t)
        if out is None:
            continue
        for i, text in enumerate(out if isinstance(out, list) else [out]):
            sc.log(group, stream, t + i * 0.001, text)


def every(sc: Scenario, group: str, stream: str, period: float, line, start: float = LOG_START,
          end: float = 0.0, jitter: float = 2.0) -> None:
    t = start + sc.rng.uniform(0, period)
    while t < end:
        out = line(t)
        if out is not None:
            for i, text in enumerate(out if isinstance(out, list) else [out]):
                sc.log(group, stream, t + i * 0.001, text)
        t += period + sc.rng.uniform(-jitter, jitter)


def scaled(sc: Scenario, values: list, scale: float, start: float = LOG_START) -> dict:
    """{minute: count} for logging a sampled share of a per-minute count series."""
    out = {}
    for m, v in counts_per_minute(values, start, 0).items():
        x = v * scale
        n = int(x) + (1 if sc.rng.random() < x - int(x) else 0)
        if n:
            out[m] = n
    return out


def pick(sc: Scenario, weighted: list):
    """weighted: [(weight, value), ...]."""
    total = sum(w for w, _ in weighted)
    r = sc.rng.uniform(0, total)
    for w, v in weighted:
        r -= w
        if r <= 0:
            return v
    return weighted[-1][1]


# --------------------------------------------------------------------------- metric packs
def lam_metrics(sc, fn, inv, err, dur, thr=None, conc=None, dur_noise=0.08, exact=False) -> dict:
    """Invocations/Errors/Throttles/Duration/ConcurrentExecutions; a minute where inv(t) is None has
    no datapoints (no invocations); Errors never exceed Invocations. `exact`: counts without noise
    (scheduled functions)."""
    kw = {"noise": 0.0, "digits": 0} if exact else {"integer": True}
    d = {"FunctionName": fn}

    def g(f):
        return lambda t: None if inv(t) is None else f(t)
    v = {"inv": sc.series(inv, **kw)}
    v["err"] = [None if i is None else min(e, i)
                for e, i in zip(sc.series(g(err), **kw), v["inv"])]
    sc.metric("AWS/Lambda", "Invocations", d, "Count", v["inv"])
    sc.metric("AWS/Lambda", "Errors", d, "Count", v["err"])
    v["thr"] = sc.metric("AWS/Lambda", "Throttles", d, "Count",
                         sc.series(g(thr or (lambda t: 0.0)), integer=True))
    v["dur"] = sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", sc.series(g(dur), noise=dur_noise))
    if conc is None:
        conc = (lambda t, _i=inv, _d=dur: max(1.0, _i(t) * _d(t) / 60000.0))
    v["conc"] = sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count",
                          sc.series(g(conc), integer=True, floor=1))
    return v


def alb_metrics(sc, lb, req, t5, e5, rt, t4=None) -> dict:
    d = {"LoadBalancer": lb}
    v = {"req": sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", sc.series(req, integer=True))}
    v["t5"] = sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count",
                        sc.series(t5, integer=True))
    v["e5"] = sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
                        sc.series(e5, integer=True))
    v["t4"] = sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
                        sc.series(t4 or (lambda t: 0.01 * req(t)), integer=True))
    v["rt"] = sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
                        sc.series(rt, noise=0.1, digits=4))
    return v


def alb_hosts(sc, lb, tg, healthy, unhealthy) -> None:
    d = {"TargetGroup": tg, "LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", sc.series(healthy, noise=0))
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", sc.series(unhealthy, noise=0))


def apigw_metrics(sc, api, count, e5, e4, lat, ilat) -> dict:
    d = {"ApiName": api}
    v = {"count": sc.metric("AWS/ApiGateway", "Count", d, "Count", sc.series(count, integer=True))}
    v["e4"] = sc.metric("AWS/ApiGateway", "4XXError", d, "Count", sc.series(e4, integer=True))
    v["e5"] = sc.metric("AWS/ApiGateway", "5XXError", d, "Count", sc.series(e5, integer=True))
    v["lat"] = sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", sc.series(lat, noise=0.1))
    v["ilat"] = sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
                          sc.series(ilat, noise=0.1))
    return v


GB = 1024 ** 3


def rds_metrics(sc, db, cpu, conns, free_gb, mem_gb, rlat, wlat, swap_mb=None, iops=None) -> dict:
    d = {"DBInstanceIdentifier": db}
    v = {"cpu": sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", sc.series(cpu, cap=100.0))}
    v["conn"] = sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", sc.series(conns, noise=0.03,
                                                                                   integer=True))
    v["free"] = sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
                          sc.series(lambda t: free_gb(t) * GB, noise=0.0005, digits=0))
    v["mem"] = sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
                         sc.series(lambda t: mem_gb(t) * GB, noise=0.02, digits=0))
    v["rlat"] = sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", sc.series(rlat, noise=0.15, digits=5))
    v["wlat"] = sc.metric("AWS/RDS", "WriteLatency", d, "Seconds", sc.series(wlat, noise=0.15, digits=5))
    if swap_mb:
        sc.metric("AWS/RDS", "SwapUsage", d, "Bytes",
                  sc.series(lambda t: swap_mb(t) * 1024 * 1024, noise=0.03, digits=0))
    if iops:
        sc.metric("AWS/RDS", "ReadIOPS", d, "Count/Second", sc.series(iops, noise=0.1))
    return v


def _mul(f, k):
    """t -> f(t) * k, keeping None (no data)."""
    return lambda t: None if f(t) is None else f(t) * k


def ec2_metrics(sc, iid, cpu, net_mb, status=None, mem=None, disk=None, system=None) -> dict:
    d = {"InstanceId": iid}
    v = {"cpu": sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", sc.series(cpu, cap=100.0))}
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", sc.series(_mul(net_mb, 1e6), digits=0))
    sc.metric("AWS/EC2", "NetworkOut", d, "Bytes", sc.series(_mul(net_mb, 0.7e6), digits=0))
    st = status or (lambda t: 0.0)
    sy = system or (lambda t: 0.0)
    v["status"] = sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count",
                            sc.series(lambda t: max(st(t), sy(t)), noise=0))
    sc.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", sc.series(st, noise=0))
    sc.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", sc.series(sy, noise=0))
    if mem:
        v["mem"] = sc.metric("CWAgent", "mem_used_percent", d, "Percent", sc.series(mem, noise=0.01,
                                                                                    cap=100.0))
    if disk:
        v["disk"] = sc.metric("CWAgent", "disk_used_percent",
                              {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
                              sc.series(disk, noise=0.002, cap=100.0))
    return v


def ecs_metrics(sc, cluster, service, cpu, mem) -> dict:
    d = {"ClusterName": cluster, "ServiceName": service}
    return {"cpu": sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", sc.series(cpu, cap=100.0)),
            "mem": sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent",
                             sc.series(mem, noise=0.02, cap=100.0))}


def reshape(sc, namespace: str, name: str, dims: dict, fn) -> None:
    """Replace the stored points of a series in place with fn(t, v) (e.g. a pinned plateau)."""
    pts = sc._series[(namespace, name, tuple(sorted(dims.items())))]
    for p in pts:
        p[1] = float(fn(p[0], p[1]))


# --------------------------------------------------------------------------- log formats
def logback(sc, t, level, thread, logger, msg) -> str:
    """Plain logback pattern of a Java service (no Spring banner fields)."""
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')}.{d.microsecond // 1000:03d} [{thread}] {level:<5} {logger} - {msg}"


def java_json(sc, t, level, logger, msg, **kv) -> str:
    """logstash-logback-encoder JSON."""
    obj = {"@timestamp": sc.iso(t), "@version": "1", "message": msg, "logger_name": logger,
           "thread_name": kv.pop("thread", "http-nio-8080-exec-%d" % sc.rng.randint(1, 40)),
           "level": level, "level_value": {"INFO": 20000, "WARN": 30000, "ERROR": 40000}[level]}
    obj.update(kv)
    return jline(obj)


def pylog(sc, t, level, name, msg) -> str:
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {level} [{name}] {msg}"


def php_fpm(sc, t, level, msg) -> str:
    return f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] {level}: {msg}"


def syslog(sc, t, host, proc, msg) -> str:
    return f"{sc.at(t).strftime('%b %d %H:%M:%S')} {host} {proc}: {msg}"


def apigw_exec(sc, t, rid, msg) -> str:
    return f"({rid}) {msg}"


def lambda_run(ll: LambdaLogs, inv: list, err: list, scale: float, body, start=LOG_START,
               err_floor: float = 0.0) -> None:
    """Log a sampled share of a function's invocations; errors are sampled at the same share, but
    at least `err_floor` a minute (while there are errors) so a rare signature still shows up."""
    sc = ll.sc
    invs, errs = {}, {}
    errs_all = counts_per_minute(err, start, 0)
    for m, n in counts_per_minute(inv, start, 0).items():
        e = errs_all.get(m) or 0
        x, y = n * scale, (max(e * scale, min(e, err_floor)) if e else 0.0)
        ne = min(n, int(y) + (1 if sc.rng.random() < y - int(y) else 0))
        ni = max(ne, int(x) + (1 if sc.rng.random() < x - int(x) else 0))
        if ni:
            invs[m], errs[m] = ni, ne
    ll.run(invs, errs, body)


def py_trace(exc: str, frames: list) -> str:
    """A Python Lambda runtime error event: '[ERROR] Exc: msg' plus a traceback."""
    tb = "".join(f'  File "{f}", line {ln}, in {fn}\n    {code}\n' for f, ln, fn, code in frames)
    return f"[ERROR] {exc}\nTraceback (most recent call last):\n{tb.rstrip()}"


def java_err_json(etype: str, msg: str, frames: list) -> str:
    return jline({"errorMessage": msg, "errorType": etype, "stackTrace": frames})
