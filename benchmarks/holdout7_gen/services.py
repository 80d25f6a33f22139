"""Standard metric sets per service and a Lambda invocation simulator (metrics agree with logs)."""
from __future__ import annotations

import math

import numpy as np

from .common import LOG_FROM, N, T, Scn, counts, daily, flat, noisy

GB = 1024 ** 3


# ---- Lambda ------------------------------------------------------------------
def sim_lambda(sc: Scn, fn: str, inv, handler, *, mem: int = 512, runtime: str = "python:3.12.v36",
               versions=(( -1e9, "$LATEST"),), streams: int = 2, region: str | None = None,
               log_from: float = LOG_FROM, timeout_s: float = 30.0, group: str | None = None):
    """Run ``handler(sc, t, rid) -> (kind, duration_ms, mem_used_mb, [(offset_s, msg)])`` for each
    invocation. kind is ok | error | timeout. Returns per-minute Errors, Duration (avg ms),
    ConcurrentExecutions, and writes the log streams for invocations after ``log_from``."""
    errors = np.zeros(N)
    dur_avg = np.full(N, np.nan)
    conc = np.zeros(N)
    streams_ev: dict[str, list] = {}
    warm: set[str] = set()
    names: dict[tuple, str] = {}
    day = sc.stamp(log_from, "%Y/%m/%d")
    for i in range(N):
        n = int(inv[i])
        if n == 0:
            continue
        durs = []
        for t in np.sort(T[i] + sc.rng.uniform(0, 59.9, n)):
            rid = sc.rid()
            kind, dur, used, lines = handler(sc, float(t), rid)
            durs.append(dur)
            if kind != "ok":
                errors[i] += 1
            if t < log_from:
                continue
            ver = [v for start, v in versions if t >= start][-1]
            k = (ver, int(sc.rng.integers(streams(t) if callable(streams) else streams)))
            if k not in names:
                names[k] = f"{day}/[{ver}]{sc.hexid()}"
            sname = names[k]
            ev = streams_ev.setdefault(sname, [])
            init = ""
            if sname not in warm:
                warm.add(sname)
                arn_rt = runtime.split(":")[0]
                ev.append((t - 0.45, f"INIT_START Runtime Version: {runtime}\tRuntime Version ARN: "
                           f"arn:aws:lambda:{region or sc.d['region']}::runtime:{sc.hexid(64)}"))
                init = f"\tInit Duration: {sc.rng.uniform(250, 900):.2f} ms"
                _ = arn_rt
            ev.append((t, f"START RequestId: {rid} Version: {ver}"))
            for off, msg in lines:
                ev.append((t + off, msg))
            end = t + dur / 1000.0
            status = ""
            if kind == "timeout":
                status = "\tStatus: timeout"
            ev.append((end, f"END RequestId: {rid}"))
            ev.append((end + 0.001, f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: "
                       f"{math.ceil(dur)} ms\tMemory Size: {mem} MB\tMax Memory Used: {int(used)} MB{init}{status}"))
            if kind == "timeout":
                ev.append((end + 0.002, f"{sc.iso(end)} {rid} Task timed out after {timeout_s + 0.03:.2f} seconds"))
        dur_avg[i] = float(np.mean(durs))
        conc[i] = max(1.0, math.ceil(sum(durs) / 60000.0 * sc.rng.uniform(1.3, 2.0)))
    grp = group or f"/aws/lambda/{fn}"
    for sname, ev in streams_ev.items():
        sc.log(grp, sname, ev, region=region)
    return errors, dur_avg, conc


def lambda_metrics(sc: Scn, fn: str, inv, errors, dur, conc, throttles=None, alias: str | None = None,
                   region: str | None = None):
    throttles = np.zeros(N) if throttles is None else throttles
    dur = np.where(np.asarray(inv) > 0, dur, np.nan)
    dims_list = [{"FunctionName": fn}]
    if alias:
        dims_list.append({"FunctionName": fn, "Resource": f"{fn}:{alias}"})
    for dims in dims_list:
        sc.metric("AWS/Lambda", "Invocations", dims, "Count", inv, region)
        sc.metric("AWS/Lambda", "Errors", dims, "Count", errors, region)
        sc.metric("AWS/Lambda", "Throttles", dims, "Count", throttles, region)
        sc.metric("AWS/Lambda", "Duration", dims, "Milliseconds", dur, region, decimals=2)
        sc.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", conc, region)


def py_ok(msg):
    return lambda sc, t, rid: f"[INFO]\t{sc.iso(t)}\t{rid}\t{msg}"


# ---- RDS ---------------------------------------------------------------------
def rds_metrics(sc: Scn, db: str, *, cpu=None, conns=None, free_storage=None, freeable=None, read_lat=None,
                write_lat=None, read_iops=None, write_iops=None, queue=None, storage_gb=100,
                mem_gb=4, region: str | None = None):
    dims = {"DBInstanceIdentifier": db}
    cpu = noisy(sc, daily(18), 0.15, 1, 100) if cpu is None else cpu
    conns = np.round(noisy(sc, daily(30), 0.08, 0)) if conns is None else conns
    free_storage = (noisy(sc, flat(storage_gb * 0.62 * GB), 0.0006) if free_storage is None else free_storage)
    freeable = noisy(sc, flat(mem_gb * 0.42 * GB), 0.015) if freeable is None else freeable
    read_lat = noisy(sc, flat(0.0011), 0.2, 0.0002) if read_lat is None else read_lat
    write_lat = noisy(sc, flat(0.0019), 0.2, 0.0003) if write_lat is None else write_lat
    read_iops = noisy(sc, daily(120), 0.12, 0) if read_iops is None else read_iops
    write_iops = noisy(sc, daily(85), 0.12, 0) if write_iops is None else write_iops
    queue = noisy(sc, flat(0.4), 0.35, 0) if queue is None else queue
    sc.metric("AWS/RDS", "CPUUtilization", dims, "Percent", cpu, region)
    sc.metric("AWS/RDS", "DatabaseConnections", dims, "Count", conns, region)
    sc.metric("AWS/RDS", "FreeStorageSpace", dims, "Bytes", np.round(free_storage, -6), region, 0)
    sc.metric("AWS/RDS", "FreeableMemory", dims, "Bytes", np.round(freeable, -6), region, 0)
    sc.metric("AWS/RDS", "ReadLatency", dims, "Seconds", read_lat, region, 5)
    sc.metric("AWS/RDS", "WriteLatency", dims, "Seconds", write_lat, region, 5)
    sc.metric("AWS/RDS", "ReadIOPS", dims, "Count/Second", read_iops, region, 2)
    sc.metric("AWS/RDS", "WriteIOPS", dims, "Count/Second", write_iops, region, 2)
    sc.metric("AWS/RDS", "DiskQueueDepth", dims, "Count", queue, region, 3)


# ---- EC2 ---------------------------------------------------------------------
def ec2_metrics(sc: Scn, iid: str, *, cpu=None, net_in=None, net_out=None, mem=None, disk=None, status=None,
                region: str | None = None, fstype: str = "xfs", path: str = "/", device: str = "nvme0n1p1"):
    dims = {"InstanceId": iid}
    cpu = noisy(sc, daily(24), 0.15, 0.5, 100) if cpu is None else cpu
    net_in = noisy(sc, daily(3.2e6), 0.15, 0) if net_in is None else net_in
    net_out = noisy(sc, daily(5.8e6), 0.15, 0) if net_out is None else net_out
    mem = noisy(sc, flat(46), 0.03, 0, 100) if mem is None else mem
    disk = noisy(sc, flat(41), 0.002, 0, 100) if disk is None else disk
    status = np.zeros(N) if status is None else status
    sc.metric("AWS/EC2", "CPUUtilization", dims, "Percent", cpu, region)
    sc.metric("AWS/EC2", "NetworkIn", dims, "Bytes", net_in, region, 0)
    sc.metric("AWS/EC2", "NetworkOut", dims, "Bytes", net_out, region, 0)
    sc.metric("AWS/EC2", "StatusCheckFailed", dims, "Count", status, region)
    sc.metric("CWAgent", "mem_used_percent", dims, "Percent", mem, region)
    sc.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": path, "device": device, "fstype": fstype},
              "Percent", disk, region)


# ---- ECS ---------------------------------------------------------------------
def ecs_metrics(sc: Scn, cluster: str, service: str, *, cpu=None, mem=None, running=None, desired=2,
                pending=None, task_cpu=512, task_mem=1024, region: str | None = None):
    dims = {"ClusterName": cluster, "ServiceName": service}
    cpu = noisy(sc, daily(22), 0.12, 0.5, 100) if cpu is None else cpu
    mem = noisy(sc, flat(38), 0.03, 1, 100) if mem is None else mem
    running = flat(desired) if running is None else running
    pending = np.zeros(N) if pending is None else pending
    sc.metric("AWS/ECS", "CPUUtilization", dims, "Percent", cpu, region)
    sc.metric("AWS/ECS", "MemoryUtilization", dims, "Percent", mem, region)
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Count", running, region)
    sc.metric("ECS/ContainerInsights", "DesiredTaskCount", dims, "Count", flat(desired), region)
    sc.metric("ECS/ContainerInsights", "PendingTaskCount", dims, "Count", pending, region)
    sc.metric("ECS/ContainerInsights", "CpuUtilized", dims, "None", cpu / 100 * task_cpu * np.maximum(running, 0),
              region, 2)
    sc.metric("ECS/ContainerInsights", "MemoryUtilized", dims, "Megabytes",
              np.round(mem / 100 * task_mem * np.maximum(running, 0)), region, 0)


# ---- ALB ---------------------------------------------------------------------
def alb_metrics(sc: Scn, lb: str, tg: str, *, req, trt, t5xx=None, e5xx=None, t4xx=None, healthy=None,
                unhealthy=None, region: str | None = None):
    """LB-level and TargetGroup-level series. ``trt`` seconds (per-minute value)."""
    lbd = {"LoadBalancer": lb}
    tgd = {"TargetGroup": tg, "LoadBalancer": lb}
    t5xx = counts(sc, np.asarray(req) * 0.0004) if t5xx is None else t5xx
    e5xx = counts(sc, flat(0.03)) if e5xx is None else e5xx
    t4xx = counts(sc, np.asarray(req) * 0.011) if t4xx is None else t4xx
    healthy = flat(3) if healthy is None else healthy
    unhealthy = np.zeros(N) if unhealthy is None else unhealthy
    t2xx = np.maximum(np.asarray(req) - t5xx - t4xx - e5xx, 0)
    for dims in (lbd, tgd):
        sc.metric("AWS/ApplicationELB", "RequestCount", dims, "Count", req, region)
        sc.metric("AWS/ApplicationELB", "TargetResponseTime", dims, "Seconds", trt, region, 4)
        sc.metric("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", dims, "Count", t2xx, region)
        sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dims, "Count", t4xx, region)
        sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Count", t5xx, region)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lbd, "Count", e5xx, region)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", tgd, "Count", healthy, region)
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", tgd, "Count", unhealthy, region)


# ---- API Gateway (REST) -----------------------------------------------------------
def apigw_metrics(sc: Scn, api: str, stage: str, *, count, e4xx, e5xx, latency, integ, region: str | None = None):
    for dims in ({"ApiName": api}, {"ApiName": api, "Stage": stage}):
        sc.metric("AWS/ApiGateway", "Count", dims, "Count", count, region)
        sc.metric("AWS/ApiGateway", "4XXError", dims, "Count", e4xx, region)
        sc.metric("AWS/ApiGateway", "5XXError", dims, "Count", e5xx, region)
        sc.metric("AWS/ApiGateway", "Latency", dims, "Milliseconds", latency, region, 2)
        sc.metric("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds", integ, region, 2)


def apigw_exec_log(sc: Scn, api_id: str, stage: str, t: float, status: int, lines=()):
    """API Gateway execution-log lines for one request (request id in parentheses)."""
    rid = sc.rid()
    out = [(t, f"({rid}) Extended Request Id: {sc.hexid(8).upper()}=")]
    for k, msg in enumerate(lines, 1):
        out.append((t + 0.001 * k, f"({rid}) {msg}"))
    out.append((t + 0.01 * (len(lines) + 1), f"({rid}) Method completed with status: {status}"))
    return out


def app_streams(sc: Scn, group: str, streams: list[str], lines, region: str | None = None):
    """Distribute ``lines`` [(t, msg)] (or [(t, msg, stream_index)]) over the given stream names."""
    buckets: dict[str, list] = {s: [] for s in streams}
    for item in lines:
        k = item[2] if len(item) > 2 else int(sc.rng.integers(len(streams)))
        buckets[streams[k]].append((item[0], item[1]))
    for s, ev in buckets.items():
        if ev:
            sc.log(group, s, ev, region=region)


def per_minute(sc: Scn, n_per_minute, maker, t_from: float = -10800):
    """Call ``maker(t)`` (returning a list of (t, msg[, stream])) n times in each minute from t_from."""
    from .common import T as _T
    out = []
    for i, t0 in enumerate(_T):
        if t0 < t_from:
            continue
        n = int(n_per_minute[i]) if hasattr(n_per_minute, "__len__") else int(n_per_minute)
        for t in np.sort(t0 + sc.rng.uniform(0, 59.9, n)):
            out.extend(maker(float(t)))
    return out
