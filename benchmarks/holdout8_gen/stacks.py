"""Standard metric sets per service and Lambda log streams that agree with the metrics."""
from __future__ import annotations

from typing import Callable

import numpy as np

from .common import N, T, Rng, Scenario, counts, idx, iso, noisy, wall

# ----------------------------------------------------------------- runtime log line formats


def py(level: str, rid: str, t: float, msg: str) -> str:
    return f"[{level}]\t{iso(t)}\t{rid}\t{msg}"


def node(level: str, rid: str, t: float, msg: str) -> str:
    return f"{iso(t)}\t{rid}\t{level}\t{msg}"


def java(level: str, rid: str, t: float, logger: str, msg: str) -> str:
    return f"{wall(t).strftime('%Y-%m-%d %H:%M:%S')} {rid} {level:<5} {logger} - {msg}"


def dotnet(level: str, rid: str, t: float, msg: str) -> str:
    return f"{iso(t)}\t{rid}\t{level}\t{msg}"


def ruby(level: str, t: float, msg: str, pid: int = 8) -> str:
    w = wall(t)
    return f"{level[0]}, [{w.strftime('%Y-%m-%dT%H:%M:%S')}.{w.microsecond:06d} #{pid}] {level:>5} -- : {msg}"


def stream_name(rng: Rng, version: str = "$LATEST") -> str:
    return f"2026/11/20/[{version}]{rng.hex(32)}"


# ----------------------------------------------------------------- Lambda
# A per-request callback gets (rng, request_id, start_time, minute_index) and returns
# (lines, duration_ms or None, status) where lines are (offset_seconds, text).
Body = Callable[[Rng, str, float, int], tuple]


def lambda_function(sc: Scenario, fn: str, *, inv, err=None, dur_ms, ok: Body, fail: Body | None = None,
                    memory_size: int = 512, mem_used: tuple[int, int] = (120, 180), throttles=None,
                    concurrency=None, log_from: float = -10800, streams: int = 3,
                    plan: Callable[[Rng, int], tuple[str, bool]] | None = None, init_ms: tuple[int, int] = (250, 600),
                    cold_rate: float = 0.01, dur_noise: float = 0.25) -> dict:
    """Write the five AWS/Lambda metrics for ``fn`` and its log streams for [log_from, 0).

    ``inv``/``err`` are per-minute counts (err <= inv). Alternatively ``plan(rng, minute)`` decides
    per request (version, failing) and the Errors metric is counted from what was generated.
    For minutes with logs the Duration metric is the mean of the REPORT durations, so logs and
    metrics agree. Returns per-version invocation/error arrays.
    """
    rng = sc.rng
    inv = np.asarray(inv, dtype=float)
    err = np.zeros(N) if err is None else np.minimum(np.asarray(err, dtype=float), inv)
    dur_ms = np.broadcast_to(np.asarray(dur_ms, dtype=float), T.shape).copy()
    duration = dur_ms.copy()
    real_err = err.copy() if plan is None else np.zeros(N)
    by_version: dict[str, dict[str, np.ndarray]] = {}
    streams_of: dict[str, list[str]] = {}
    per_stream: dict[str, list] = {}
    for i in range(N):
        t0 = T[i]
        n = int(inv[i])
        logged = t0 >= log_from
        if plan is not None:
            decided = [plan(rng, i) for _ in range(n)]
        else:
            if not logged:
                duration[i] = np.nan if n == 0 else dur_ms[i] * (1 + rng.g.normal(0, dur_noise / np.sqrt(n)))
                continue
            e = int(err[i])
            fails = set(rng.g.choice(n, size=e, replace=False).tolist()) if e and n else set()
            decided = [("$LATEST", k in fails) for k in range(n)]
        for version, failing in decided:
            rec = by_version.setdefault(version, {"inv": np.zeros(N), "err": np.zeros(N)})
            rec["inv"][i] += 1
            rec["err"][i] += failing
            if plan is not None:
                real_err[i] += failing
        if not logged:
            duration[i] = np.nan if n == 0 else dur_ms[i] * (1 + rng.g.normal(0, dur_noise / np.sqrt(n)))
            continue
        if n == 0:
            duration[i] = np.nan
            continue
        starts = np.sort(rng.g.uniform(t0, t0 + 60, n))
        durs = []
        for k, (version, failing) in enumerate(decided):
            rid = rng.uuid()
            start = float(starts[k])
            names = streams_of.setdefault(version, [stream_name(rng, version) for _ in range(streams)])
            sname = rng.choice(names)
            body = fail if (failing and fail is not None) else ok
            lines, d, status = body(rng, rid, start, i)
            if d is None:
                d = max(1.0, dur_ms[i] * (1 + rng.g.normal(0, dur_noise)))
            durs.append(d)
            ev = per_stream.setdefault(sname, [])
            ev.append((start, f"START RequestId: {rid} Version: {version}"))
            for off, text in lines:
                ev.append((start + min(off, d / 1000.0 - 0.002), text))
            end = start + d / 1000.0
            ev.append((end, f"END RequestId: {rid}"))
            report = (f"REPORT RequestId: {rid}\tDuration: {d:.2f} ms\tBilled Duration: {int(np.ceil(d))} ms\t"
                      f"Memory Size: {memory_size} MB\tMax Memory Used: {rng.i(*mem_used)} MB")
            if rng.u() < cold_rate:
                report += f"\tInit Duration: {rng.u(*init_ms):.2f} ms"
            if status:
                report += f"\tStatus: {status}"
            ev.append((end + 0.001, report))
        duration[i] = float(np.mean(durs))
    dims = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", dims, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", dims, "Count", real_err)
    sc.metric("AWS/Lambda", "Throttles", dims, "Count", np.zeros(N) if throttles is None else throttles)
    sc.metric("AWS/Lambda", "Duration", dims, "Milliseconds", duration, 2)
    if concurrency is None:
        base = inv * np.nan_to_num(duration, nan=float(np.nanmean(dur_ms))) / 60000.0
        concurrency = np.where(inv > 0, np.ceil(base * rng.g.uniform(1.0, 1.6, N)), 0.0)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", concurrency)
    for sname, ev in per_stream.items():
        sc.log(f"/aws/lambda/{fn}", sname, ev)
    return by_version


# ----------------------------------------------------------------- front doors


def apigateway(sc: Scenario, api: str, *, count, e4, e5, latency, integration=None) -> None:
    dims = {"ApiName": api}
    sc.metric("AWS/ApiGateway", "Count", dims, "Count", count)
    sc.metric("AWS/ApiGateway", "4XXError", dims, "Count", e4)
    sc.metric("AWS/ApiGateway", "5XXError", dims, "Count", e5)
    sc.metric("AWS/ApiGateway", "Latency", dims, "Milliseconds", latency, 2)
    if integration is None:
        integration = np.maximum(1.0, np.asarray(latency) - noisy(sc.rng, 18.0, 0.3))
    sc.metric("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds", integration, 2)


def alb(sc: Scenario, lb: str, *, requests, rt, t5xx, e5xx, healthy, unhealthy, t4xx=None) -> None:
    dims = {"LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "RequestCount", dims, "Count", requests)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", dims, "Seconds", rt, 4)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Count", t5xx)
    if t4xx is not None:
        sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dims, "Count", t4xx)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Count", e5xx)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", dims, "Count", healthy)
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", dims, "Count", unhealthy)


# ----------------------------------------------------------------- compute / data


def ec2(sc: Scenario, iid: str, *, cpu, mem, disk, net_in, status=None, net_out=None, fstype: str = "xfs") -> None:
    dims = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", dims, "Percent", cpu)
    sc.metric("AWS/EC2", "NetworkIn", dims, "Bytes", net_in)
    if net_out is None:
        net_out = np.asarray(net_in) * sc.rng.g.uniform(1.4, 2.2, N)
    sc.metric("AWS/EC2", "NetworkOut", dims, "Bytes", net_out)
    sc.metric("AWS/EC2", "StatusCheckFailed", dims, "Count", np.zeros(N) if status is None else status)
    sc.metric("CWAgent", "mem_used_percent", dims, "Percent", mem)
    sc.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": fstype}, "Percent", disk)


def rds(sc: Scenario, db: str, *, cpu, conns, free_storage, read_lat, write_lat, freeable_mem,
        read_iops=None, write_iops=None) -> None:
    dims = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", dims, "Percent", cpu)
    sc.metric("AWS/RDS", "DatabaseConnections", dims, "Count", conns)
    sc.metric("AWS/RDS", "FreeStorageSpace", dims, "Bytes", free_storage, 0)
    sc.metric("AWS/RDS", "ReadLatency", dims, "Seconds", read_lat, 5)
    sc.metric("AWS/RDS", "WriteLatency", dims, "Seconds", write_lat, 5)
    sc.metric("AWS/RDS", "FreeableMemory", dims, "Bytes", freeable_mem, 0)
    if read_iops is not None:
        sc.metric("AWS/RDS", "ReadIOPS", dims, "Count/Second", read_iops, 2)
    if write_iops is not None:
        sc.metric("AWS/RDS", "WriteIOPS", dims, "Count/Second", write_iops, 2)


def rds_quiet(sc: Scenario, db: str, *, cpu=18.0, conns=30.0, storage_gb=100, used_gb=40.0, mem_gb=2.0) -> None:
    """An RDS instance that is healthy for the whole window."""
    r = sc.rng
    rds(sc, db, cpu=noisy(r, cpu, 0.15), conns=np.round(noisy(r, conns, 0.08)),
        free_storage=np.round(noisy(r, (storage_gb - used_gb) * 1e9, 0.0008), -6),
        read_lat=noisy(r, 0.0015, 0.2), write_lat=noisy(r, 0.0022, 0.2),
        freeable_mem=np.round(noisy(r, mem_gb * 1e9, 0.03), -6))


def ecs(sc: Scenario, cluster: str, service: str, *, cpu, mem, running=None) -> None:
    dims = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", dims, "Percent", cpu)
    sc.metric("AWS/ECS", "MemoryUtilization", dims, "Percent", mem)
    if running is not None:
        sc.metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Count", running)


def pg_line(t: float, msg: str, client: str = "", user: str = "", db: str = "", pid: int = 0) -> str:
    """An RDS PostgreSQL log line (log_line_prefix %t:%r:%u@%d:[%p]:)."""
    who = f"{user}@{db}" if user else "@"
    return f"{wall(t).strftime('%Y-%m-%d %H:%M:%S')} UTC:{client}:{who}:[{pid}]:{msg}"


def pg_checkpoints(sc: Scenario, every: int = 300, t_from: float = -21600) -> list:
    r = sc.rng
    out = []
    for t in np.arange(t_from + r.u(0, every), 0, every):
        out.append((t, pg_line(t, "LOG:  checkpoint starting: time", pid=412)))
        b = r.i(300, 4000)
        out.append((t + 27 + r.u(0, 3), pg_line(
            t + 28, f"LOG:  checkpoint complete: wrote {b} buffers ({b / 1310.72:.1f}%); 0 WAL file(s) added, "
                    f"0 removed, {r.i(0, 3)} recycled; write={r.u(20, 28):.3f} s, sync={r.u(0.001, 0.2):.3f} s, "
                    f"total={r.u(27, 29):.3f} s", pid=412)))
    return out


def ids(sc: Scenario, n: int) -> list[str]:
    return [sc.rng.uuid() for _ in range(n)]


def per_minute(rate) -> np.ndarray:
    return np.broadcast_to(np.asarray(rate, dtype=float), T.shape).copy()


def minute_of(t: float) -> int:
    return idx(t)


__all__ = ["py", "node", "java", "dotnet", "ruby", "lambda_function", "apigateway", "alb", "ec2", "rds",
           "rds_quiet", "ecs", "pg_line", "pg_checkpoints", "stream_name", "counts", "per_minute", "minute_of",
           "ids"]
