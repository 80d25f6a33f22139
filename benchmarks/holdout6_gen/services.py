"""Standard metric sets per service and log builders (Lambda runtime logs, postgres, mysql, nginx)."""
from __future__ import annotations

import numpy as np

from .common import N, T, Gen, clf_ts, iso_ms, log, metric, mysql_ts, pg_ts, wall

GB = 1024 ** 3


def _pick(over: dict, key: str, default):
    return over[key] if key in over else default


# --- metric sets ---------------------------------------------------------
def lambda_set(g: Gen, fn: str, inv, err, dur, thr=None, conc=None) -> list[dict]:
    d = {"FunctionName": fn}
    inv = np.asarray(inv, float)
    thr = np.zeros(N) if thr is None else np.asarray(thr, float)
    if conc is None:
        conc = np.ceil(inv * np.asarray(dur, float) / 60000.0 * g.r.uniform(1.2, 2.2, N)) + g.r.integers(0, 2, N)
        conc = np.where(inv > 0, np.maximum(conc, 1), 0)
    return [metric("AWS/Lambda", "Invocations", d, "Count", inv, 0),
            metric("AWS/Lambda", "Errors", d, "Count", err, 0),
            metric("AWS/Lambda", "Throttles", d, "Count", thr, 0),
            metric("AWS/Lambda", "Duration", d, "Milliseconds", dur, 3),
            metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, 0)]


def rds_set(g: Gen, db: str, storage_gb: float = 100, mem_gb: float = 4, **over) -> list[dict]:
    d = {"DBInstanceIdentifier": db}
    return [
        metric("AWS/RDS", "CPUUtilization", d, "Percent", _pick(over, "cpu", g.level(18, 3, 1, 100))),
        metric("AWS/RDS", "DatabaseConnections", d, "Count", _pick(over, "conn", np.round(g.level(24, 3, 0))), 0),
        metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
               _pick(over, "free", np.round(g.level(storage_gb * 0.62 * GB, 0.0004 * storage_gb * GB), -6)), 0),
        metric("AWS/RDS", "ReadLatency", d, "Seconds", _pick(over, "rlat", g.level(0.0011, 0.00025, 0.0002)), 5),
        metric("AWS/RDS", "WriteLatency", d, "Seconds", _pick(over, "wlat", g.level(0.0018, 0.0004, 0.0003)), 5),
        metric("AWS/RDS", "FreeableMemory", d, "Bytes",
               _pick(over, "mem", np.round(g.level(mem_gb * 0.48 * GB, 0.01 * mem_gb * GB), -6)), 0),
    ]


def ec2_set(g: Gen, iid: str, **over) -> list[dict]:
    d = {"InstanceId": iid}
    return [
        metric("AWS/EC2", "CPUUtilization", d, "Percent", _pick(over, "cpu", g.level(22, 4, 0.5, 100))),
        metric("AWS/EC2", "NetworkIn", d, "Bytes", _pick(over, "net", g.level(3.2e6, 4e5, 1e4)), 1),
        metric("AWS/EC2", "StatusCheckFailed", d, "Count", _pick(over, "status", np.zeros(N)), 0),
        metric("CWAgent", "mem_used_percent", d, "Percent", _pick(over, "mem", g.level(41, 1.5, 0, 100))),
        metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
               _pick(over, "disk", g.level(38, 0.15, 0, 100))),
    ]


def ecs_set(g: Gen, service_id: str, ntasks: int, **over) -> list[dict]:
    cluster, service = service_id.split("/", 1)
    d = {"ClusterName": cluster, "ServiceName": service}
    return [
        metric("AWS/ECS", "CPUUtilization", d, "Percent", _pick(over, "cpu", g.level(24, 3.5, 0.5, 100))),
        metric("AWS/ECS", "MemoryUtilization", d, "Percent", _pick(over, "mem", g.level(46, 1.2, 0, 100))),
        metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count",
               _pick(over, "tasks", np.full(N, float(ntasks))), 0),
    ]


def alb_set(g: Gen, lb: str, req, **over) -> list[dict]:
    d = {"LoadBalancer": lb}
    req = np.asarray(req, float)
    hosts = over.get("hosts", 2)
    return [
        metric("AWS/ApplicationELB", "RequestCount", d, "Count", req, 0),
        metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
               _pick(over, "trt", g.level(0.085, 0.012, 0.01)), 4),
        metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count",
               _pick(over, "t5xx", g.counts(req * 0.0006)), 0),
        metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
               _pick(over, "e5xx", g.counts(req * 0.0001)), 0),
        metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", _pick(over, "unhealthy", np.zeros(N)), 0),
        metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count",
               _pick(over, "healthy", np.full(N, float(hosts))), 0),
    ]


def apigw_set(g: Gen, api: str, count, **over) -> list[dict]:
    d = {"ApiName": api}
    count = np.asarray(count, float)
    lat = _pick(over, "lat", g.level(180, 25, 20))
    return [
        metric("AWS/ApiGateway", "Count", d, "Count", count, 0),
        metric("AWS/ApiGateway", "4XXError", d, "Count", _pick(over, "c4", g.counts(count * 0.01)), 0),
        metric("AWS/ApiGateway", "5XXError", d, "Count", _pick(over, "c5", g.counts(count * 0.0005)), 0),
        metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lat),
        metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
               _pick(over, "ilat", np.clip(np.asarray(lat) - g.level(14, 3, 2), 5, None))),
    ]


# --- Lambda runtime logs ---------------------------------------------------
def line(runtime: str, level: str, t: float, rid: str, msg: str) -> str:
    if runtime.startswith("python"):
        return f"[{level}]\t{iso_ms(t)}\t{rid}\t{msg}"
    if runtime.startswith("nodejs"):
        return f"{iso_ms(t)}\t{rid}\t{level}\t{msg}"
    return f"{wall(t).strftime('%Y-%m-%d %H:%M:%S')} {rid} {level:<5} {msg}"  # java log4j2 lambda layout


def stream_name(g: Gen, version: str = "$LATEST") -> str:
    return f"{wall(-3600).strftime('%Y/%m/%d')}/[{version}]{g.hexid(32)}"


def lambda_logs(g: Gen, fn: str, inv, err, body, *, mem: int = 512, timeout: float = 30, since: float = -10800,
                runtime: str = "python3.12", split_at: float | None = None, base_mem: int = 90) -> list[dict]:
    """Emit START / body / END / REPORT for every invocation counted in `inv` after `since`.

    body(g, t, rid, failing) -> (lines, duration_ms, status) where lines are (offset_s, level, msg) or
    (offset_s, None, raw_text); status is 'ok', 'error' or 'timeout'.
    """
    streams: dict[str, list] = {}
    first = stream_name(g)
    second = stream_name(g) if split_at is not None else None
    for i in range(N):
        if T[i] < since:
            continue
        n, e = int(inv[i]), int(err[i])
        failing = set(g.r.choice(n, size=min(e, n), replace=False).tolist()) if n else set()
        starts = np.sort(g.r.uniform(T[i], T[i] + 60, n))
        for k, t0 in enumerate(starts):
            t0 = float(t0)
            rid = g.rid()
            lines, dur, status = body(g, t0, rid, k in failing)
            if status == "timeout":
                dur = timeout * 1000.0
            ev = [(t0, f"START RequestId: {rid} Version: $LATEST")]
            for off, level, msg in lines:
                ev.append((t0 + off, msg if level is None else line(runtime, level, t0 + off, rid, msg)))
            end = t0 + dur / 1000.0
            if status == "timeout":
                ev.append((end, f"{iso_ms(end)} {rid} Task timed out after {timeout + g.uniform(0.005, 0.04):.2f} seconds"))
            ev.append((end + 0.001, f"END RequestId: {rid}"))
            used = base_mem + g.int(0, 40)
            billed = int(np.ceil(dur))
            rep = (f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: {billed} ms\t"
                   f"Memory Size: {mem} MB\tMax Memory Used: {min(used, mem)} MB")
            if status == "timeout":
                rep += "\tStatus: timeout"
            ev.append((end + 0.002, rep))
            key = second if (second and t0 >= split_at) else first
            streams.setdefault(key, []).extend(ev)
    return [log(f"/aws/lambda/{fn}", s, evs) for s, evs in streams.items()]


def lambda_duration(g: Gen, inv, typical_ms: float, sd_ms: float, slow=None) -> np.ndarray:
    """Average Duration per minute; `slow` optionally overrides the mean per minute."""
    mean = np.full(N, typical_ms) if slow is None else np.asarray(slow, float)
    d = mean + g.r.normal(0, sd_ms, N) / np.sqrt(np.maximum(np.asarray(inv, float), 1))
    return np.where(np.asarray(inv) > 0, np.clip(d, 1, None), 0)


# --- database / web server logs ------------------------------------------
def pg_line(t: float, msg: str, who: str = "@", pid: int = 412, host: str = "") -> str:
    return f"{pg_ts(t)}:{host}:{who}:[{pid}]:{msg}"


def pg_checkpoints(g: Gen, every: int = 300, since: float = -21600) -> list:
    out = []
    t = since + g.uniform(5, 60)
    while t < 0:
        bufs = g.int(300, 4000)
        out.append((t, pg_line(t, f"LOG:  checkpoint starting: time")))
        out.append((t + 29.8, pg_line(t + 29.8, f"LOG:  checkpoint complete: wrote {bufs} buffers "
                                            f"({bufs / 1310.72:.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled; "
                                            f"write={g.uniform(25, 29.7):.3f} s, sync={g.uniform(0.001, 0.02):.3f} s, "
                                            f"total={g.uniform(29.8, 30.1):.3f} s")))
        t += every
    return [e for e in out if e[0] < 0]


def mysql_line(t: float, level: str, code: str, msg: str, thread: int = 0) -> str:
    return f"{mysql_ts(t)} {thread} [{level}] [{code}] [Server] {msg}"


def nginx_access(g: Gen, t: float, path: str, status: int, rt: float, method: str = "GET", size: int | None = None) -> str:
    size = g.int(300, 9000) if size is None else size
    ua = g.choice(["Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1)",
                   "ELB-HealthChecker/2.0", "okhttp/4.12.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)"])
    return (f'{g.ip("10.0.1")} - - [{clf_ts(t)}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" '
            f'rt={rt:.3f} uct="0.000" urt="{rt:.3f}"')


def every_minute(since: float, step: float, g: Gen, jitter: float = 2.0):
    t = since + g.uniform(0, step)
    while t < 0:
        yield t
        t += step + g.uniform(-jitter, jitter)
