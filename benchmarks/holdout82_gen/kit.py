"""Set-82 additions to the shared holdout57 helpers: the h82 prefix, per-service metric bundles,
sampled log emission, and log formats the shared runtimes module lacks (PHP-FPM, Laravel/Monolog,
Apache combined, API Gateway execution/access logs, Rails-style Sidekiq logfmt, ECS agent events).
"""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, Scenario, bump, diurnal, ramp, step
from benchmarks.holdout57_gen.runtimes import jline

LOG_START = -10800  # three hours of log baseline before "now"

__all__ = ["S82", "GRID", "LOG_START", "bump", "diurnal", "ramp", "step", "jline"]


class S82(Scenario):
    prefix = "h82"

    def __init__(self, num: int, slug: str, description: str, region: str, now_iso: str):
        super().__init__(num, slug, description, region, seed=820000 + num * 97, now_iso=now_iso)

    # ------------------------------------------------------------------ helpers
    def vals(self, fn, **kw) -> list:
        return self.series(fn, **kw)

    def poisson_count(self, x: float) -> int:
        """Integer count with mean x (deterministic via the scenario rng)."""
        if x <= 0:
            return 0
        if x > 30:
            return max(0, round(self.rng.gauss(x, math.sqrt(x))))
        l, k, p = math.exp(-x), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= l:
                return k
            k += 1

    def emit(self, group: str, stream, rate, line, start: float = LOG_START, end: float = 0.0):
        """Log `line(t)` (None = skip) at a Poisson `rate(t)` events per minute between start and
        end; `stream` is a name or a function of t."""
        for m in GRID:
            if m < start or m >= end:
                continue
            for _ in range(self.poisson_count(rate(m))):
                t = m + self.rng.uniform(0, 60)
                text = line(t)
                if text is not None:
                    self.log(group, stream(t) if callable(stream) else stream, t, text)

    def expect_rc(self, alarm: str, category: str, resources: list, anomalies: list) -> None:
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": resources},
                       "anomalies": anomalies}


def sampled(sc: S82, inv: list, err: list, cap: int, start: float = LOG_START):
    """({minute: n}, {minute: e}) for Lambda log emission: at most `cap` invocations a minute,
    errors keeping the metric's error ratio."""
    invd, errd = {}, {}
    for t, n, e in zip(GRID, inv, err):
        if t < start or not n:
            continue
        k = int(min(n, cap))
        p = min(1.0, (e or 0) / n)
        invd[t] = k
        errd[t] = sum(1 for _ in range(k) if sc.rng.random() < p)
    return invd, errd


# ---------------------------------------------------------------------------- metric bundles
def lambda_metrics(sc: S82, fn: str, inv: list, err: list, dur: list, thr: list | None = None,
                   conc: list | None = None) -> dict:
    dims = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", dims, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", dims, "Count", err)
    sc.metric("AWS/Lambda", "Throttles", dims, "Count", thr or [0.0 if v is not None else None for v in inv])
    sc.metric("AWS/Lambda", "Duration", dims, "Milliseconds", dur)
    if conc is None:
        conc = [None if (n is None or d is None) else round(max(1.0, n * d / 60000.0 * sc.rng.uniform(1.1, 1.5)))
                for n, d in zip(inv, dur)]
    sc.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", conc)
    return dims


def apigw_metrics(sc: S82, api: str, count: list, e4: list, e5: list, lat: list, ilat: list) -> dict:
    dims = {"ApiName": api}
    sc.metric("AWS/ApiGateway", "Count", dims, "Count", count)
    sc.metric("AWS/ApiGateway", "4XXError", dims, "Count", e4)
    sc.metric("AWS/ApiGateway", "5XXError", dims, "Count", e5)
    sc.metric("AWS/ApiGateway", "Latency", dims, "Milliseconds", lat)
    sc.metric("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds", ilat)
    return dims


def alb_metrics(sc: S82, lb: str, req: list, t5: list, e5: list, trt: list, healthy: list,
                unhealthy: list, t4: list | None = None) -> dict:
    dims = {"LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "RequestCount", dims, "Count", req)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", dims, "Seconds", trt)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Count", t5)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Count", e5)
    if t4 is not None:
        sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dims, "Count", t4)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", dims, "Count", healthy)
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", dims, "Count", unhealthy)
    return dims


def rds_metrics(sc: S82, db: str, cpu: list, conns: list, free_gb: list, rlat: list, wlat: list,
                mem_mb: list) -> dict:
    dims = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", dims, "Percent", cpu)
    sc.metric("AWS/RDS", "DatabaseConnections", dims, "Count", conns)
    sc.metric("AWS/RDS", "FreeStorageSpace", dims, "Bytes",
              [None if v is None else float(round(v * 1024 ** 3)) for v in free_gb])
    sc.metric("AWS/RDS", "ReadLatency", dims, "Seconds", rlat)
    sc.metric("AWS/RDS", "WriteLatency", dims, "Seconds", wlat)
    sc.metric("AWS/RDS", "FreeableMemory", dims, "Bytes",
              [None if v is None else float(round(v * 1024 ** 2)) for v in mem_mb])
    return dims


def ecs_metrics(sc: S82, cluster: str, service: str, cpu: list, mem: list,
                running: list | None = None) -> dict:
    dims = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", dims, "Percent", cpu)
    sc.metric("AWS/ECS", "MemoryUtilization", dims, "Percent", mem)
    if running is not None:
        sc.metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Count", running)
    return dims


def ec2_metrics(sc: S82, iid: str, cpu: list, netin: list, mem: list | None = None,
                disk: list | None = None) -> dict:
    dims = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", dims, "Percent", cpu)
    sc.metric("AWS/EC2", "NetworkIn", dims, "Bytes", netin)
    sc.metric("AWS/EC2", "StatusCheckFailed", dims, "Count", [0.0] * len(cpu))
    if mem is not None:
        sc.metric("CWAgent", "mem_used_percent", dims, "Percent", mem)
    if disk is not None:
        sc.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"},
                  "Percent", disk)
    return dims


# ---------------------------------------------------------------------------- log formats
def php_fpm(sc: S82, t: float, level: str, msg: str) -> str:
    """php-fpm master error log: [27-Nov-2026 14:02:11] WARNING: [pool www] ..."""
    d = sc.at(t)
    return f"[{d.strftime('%d-%b-%Y %H:%M:%S')}] {level}: {msg}"


def monolog(sc: S82, t: float, level: str, msg: str, ctx: dict | None = None,
            channel: str = "production") -> str:
    """Laravel's default single-file line: [2026-11-27 14:02:11] production.ERROR: msg {ctx}"""
    d = sc.at(t)
    c = jline(ctx) if ctx else "[]"
    return f"[{d.strftime('%Y-%m-%d %H:%M:%S')}] {channel}.{level.upper()}: {msg} {c} []"


def apache(sc: S82, t: float, ip: str, method: str, path: str, status: int, size: int,
           us: int, ua: str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)") -> str:
    """Apache combined log with %D (microseconds) appended."""
    d = sc.at(t)
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" '
            f'{status} {size} "-" "{ua}" {us}')


def apigw_exec(sc: S82, reqid: str, msg: str) -> str:
    return f"({reqid}) {msg}"


def apigw_access(sc: S82, t: float, reqid: str, ip: str, method: str, path: str, status: int,
                 lat: int, ilat, err: str = "-") -> str:
    return jline({"requestId": reqid, "ip": ip, "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"),
                  "httpMethod": method, "resourcePath": path, "status": str(status),
                  "protocol": "HTTP/1.1", "responseLatency": str(lat),
                  "integrationLatency": "-" if ilat is None else str(ilat), "errorMessage": err})


def sidekiq(sc: S82, t: float, pid: int, tid: str, level: str, msg: str, **kv) -> str:
    """Sidekiq 7 pretty formatter: 2026-11-27T14:02:11.123Z pid=1 tid=2k3 class=X jid=.. INFO: msg"""
    ctx = " ".join(f"{k}={v}" for k, v in kv.items())
    return f"{sc.iso(t)} pid={pid} tid={tid}{' ' + ctx if ctx else ''} {level}: {msg}"


def py_json(sc: S82, t: float, level: str, logger: str, msg: str, **kv) -> str:
    """python-json-logger style line used by the gunicorn/Flask services."""
    obj = {"asctime": sc.at(t).strftime("%Y-%m-%d %H:%M:%S,") + f"{sc.at(t).microsecond // 1000:03d}",
           "levelname": level, "name": logger, "message": msg}
    obj.update(kv)
    return jline(obj)


def node_err(ll, t: float, reqid: str, etype: str, emsg: str, stack: list) -> str:
    """Node.js Lambda runtime 'Invoke Error' line."""
    body = jline({"errorType": etype, "errorMessage": emsg, "stack": [f"{etype}: {emsg}"] + stack})
    return f"{ll.sc.iso(t)}\t{reqid}\tERROR\tInvoke Error \t{body}"


def py_unhandled(ll, t: float, reqid: str, etype: str, emsg: str, frames: list) -> str:
    tb = "".join(f'\n  File "{f}", line {n}, in {fn}' for f, n, fn in frames)
    return f"[ERROR] {etype}: {emsg}\nTraceback (most recent call last):{tb}"


def ruby_unhandled(ll, t: float, reqid: str, etype: str, emsg: str, frames: list) -> str:
    return ll.fmt(t, reqid, "ERROR", "Error raised from handler method\n" + jline(
        {"errorMessage": emsg, "errorType": f"Function<{etype}>", "stackTrace": frames}))
