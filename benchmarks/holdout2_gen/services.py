"""Per-service metric sets and Lambda runtime log framing for the held-out-2 generator."""
from __future__ import annotations

from typing import Callable

from .common import Builder, Fn, rid, series, stamp

GB = 1024 ** 3
BodyFn = Callable[[float, str], tuple[list[tuple[float, str]], str, float, int]]
"""body(t, request_id) -> (lines at offsets in seconds, status ok|error|timeout, duration ms, max memory MB)"""


def const(v: float) -> Fn:
    return lambda t: v


def lambda_metrics(b: Builder, fn: str, inv: Fn, err: Fn, dur: Fn, conc: Fn, thr: Fn = const(0),
                   region: str | None = None, timeout_ms: float | None = None) -> None:
    r, d = b.rng, {"FunctionName": fn}
    b.metric("AWS/Lambda", "Invocations", d, "Count", series(r, inv, count=True), region)
    b.metric("AWS/Lambda", "Errors", d, "Count", series(r, err, count=True), region)
    b.metric("AWS/Lambda", "Throttles", d, "Count", series(r, thr, count=True), region)
    b.metric("AWS/Lambda", "Duration", d, "Milliseconds", series(r, dur, rel=0.12, digits=2, hi=timeout_ms),
             region)
    b.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", series(r, conc, count=True), region)


def alb_metrics(b: Builder, lb: str, req: Fn, trt: Fn, t5xx: Fn, e5xx: Fn, healthy: Fn, unhealthy: Fn = const(0),
                t4xx: Fn = const(2), region: str | None = None) -> None:
    r, d = b.rng, {"LoadBalancer": lb}
    b.metric("AWS/ApplicationELB", "RequestCount", d, "Count", series(r, req, count=True), region)
    b.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", series(r, trt, rel=0.1, digits=4), region)
    b.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", series(r, t5xx, count=True), region)
    b.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", series(r, t4xx, count=True), region)
    b.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", series(r, e5xx, count=True), region)
    b.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", series(r, healthy, digits=0), region)
    b.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", series(r, unhealthy, digits=0), region)


def rds_metrics(b: Builder, db: str, cpu: Fn, conns: Fn, free_storage: Fn, read_lat: Fn, write_lat: Fn,
                freeable_mem: Fn, region: str | None = None, extra: dict[str, tuple[str, Fn]] | None = None,
                gaps: tuple[tuple[float, float], ...] = ()) -> None:
    r, d = b.rng, {"DBInstanceIdentifier": db}
    b.metric("AWS/RDS", "CPUUtilization", d, "Percent", series(r, cpu, abs_=2.0, hi=100.0, gaps=gaps), region)
    b.metric("AWS/RDS", "DatabaseConnections", d, "Count", series(r, conns, abs_=1.5, digits=0, gaps=gaps), region)
    b.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", series(r, free_storage, rel=0.0004, digits=0, gaps=gaps),
             region)
    b.metric("AWS/RDS", "ReadLatency", d, "Seconds", series(r, read_lat, rel=0.2, digits=5, gaps=gaps), region)
    b.metric("AWS/RDS", "WriteLatency", d, "Seconds", series(r, write_lat, rel=0.2, digits=5, gaps=gaps), region)
    b.metric("AWS/RDS", "FreeableMemory", d, "Bytes", series(r, freeable_mem, rel=0.01, digits=0, gaps=gaps),
             region)
    for name, (unit, f) in (extra or {}).items():
        b.metric("AWS/RDS", name, d, unit, series(r, f, rel=0.05, digits=2, gaps=gaps), region)


def ec2_metrics(b: Builder, iid: str, cpu: Fn, netin: Fn, mem: Fn, disk: Fn, path: str = "/",
                device: str = "nvme0n1p1", fstype: str = "xfs", region: str | None = None) -> None:
    r, d = b.rng, {"InstanceId": iid}
    b.metric("AWS/EC2", "CPUUtilization", d, "Percent", series(r, cpu, abs_=2.5, hi=100.0), region)
    b.metric("AWS/EC2", "NetworkIn", d, "Bytes", series(r, netin, rel=0.12, digits=0), region)
    b.metric("AWS/EC2", "StatusCheckFailed", d, "Count", series(r, const(0), digits=0), region)
    b.metric("CWAgent", "mem_used_percent", d, "Percent", series(r, mem, abs_=0.6, hi=100.0), region)
    b.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": path, "device": device, "fstype": fstype},
             "Percent", series(r, disk, abs_=0.05, hi=100.0), region)


def ecs_metrics(b: Builder, cluster: str, service: str, cpu: Fn, mem: Fn, running: Fn | None = None,
                region: str | None = None) -> None:
    r, d = b.rng, {"ClusterName": cluster, "ServiceName": service}
    b.metric("AWS/ECS", "CPUUtilization", d, "Percent", series(r, cpu, abs_=2.0, hi=100.0), region)
    b.metric("AWS/ECS", "MemoryUtilization", d, "Percent", series(r, mem, abs_=1.0, hi=100.0), region)
    if running is not None:
        b.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", series(r, running, digits=0), region)


def apigw_metrics(b: Builder, api: str, count: Fn, e4: Fn, e5: Fn, lat: Fn, integ: Fn, stage: str | None = None,
                  region: str | None = None) -> None:
    r = b.rng
    values = {"Count": ("Count", series(r, count, count=True)), "4XXError": ("Count", series(r, e4, count=True)),
              "5XXError": ("Count", series(r, e5, count=True)),
              "Latency": ("Milliseconds", series(r, lat, rel=0.1, digits=1)),
              "IntegrationLatency": ("Milliseconds", series(r, integ, rel=0.1, digits=1))}
    dim_sets = [{"ApiName": api}] + ([{"ApiName": api, "Stage": stage}] if stage else [])
    for dims in dim_sets:
        for name, (unit, pts) in values.items():
            b.metric("AWS/ApiGateway", name, dims, unit, pts, region)


def lambda_stream(b: Builder, memory: int, times: list[float], body: BodyFn, runtime_tag: str,
                  timeout_s: float | None = None, cold_every: int = 40) -> list[tuple[float, str]]:
    """START / body / END / REPORT lines for each invocation start time."""
    out: list[tuple[float, str]] = []
    for n, t in enumerate(times):
        req = rid(b.rng)
        lines, status, dur, maxmem = body(t, req)
        init = ""
        if n % cold_every == 0:
            out.append((t - 0.45, f"INIT_START Runtime Version: {runtime_tag}\tRuntime Version ARN: "
                                  f"arn:aws:lambda:::runtime:{req.replace('-', '')}"))
            init = f"\tInit Duration: {b.rng.uniform(180, 900):.2f} ms"
        out.append((t, f"START RequestId: {req} Version: $LATEST"))
        out.extend((t + off, text) for off, text in lines)
        end = t + dur / 1000.0
        if status == "timeout" and timeout_s:
            out.append((end, f"{stamp(end)} {req} Task timed out after {timeout_s:.2f} seconds"))
        out.append((end + 0.001, f"END RequestId: {req}"))
        billed = int(dur) + 1
        tail = "\tStatus: timeout" if status == "timeout" else ""
        out.append((end + 0.002, f"REPORT RequestId: {req}\tDuration: {dur:.2f} ms\tBilled Duration: {billed} ms\t"
                                 f"Memory Size: {memory} MB\tMax Memory Used: {maxmem} MB{init}{tail}"))
    return out


def py_line(level: str, t: float, req: str, msg: str) -> str:
    return f"[{level}]\t{stamp(t)}\t{req}\t{msg}"


def node_line(level: str, t: float, req: str, msg: str) -> str:
    return f"{stamp(t)}\t{req}\t{level}\t{msg}"
