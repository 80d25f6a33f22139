"""Standard metric sets per service and runtime-style log generators."""
from __future__ import annotations

import numpy as np

from .common import LOG_FROM, N, TS, counts, gauss, hexid, iso, lognorm, metric, rid, ts_str


# ---------------------------------------------------------------- metric sets
def lambda_set(s, fn, inv, err=None, thr=None, dur=None, conc=None, dur_ms=200.0):
    rng = s.rng
    err = np.zeros(N) if err is None else err
    thr = np.zeros(N) if thr is None else thr
    dur = lognorm(rng, dur_ms, 0.12) if dur is None else dur
    if conc is None:
        conc = np.maximum(np.round(inv * dur / 60000.0 + rng.uniform(0, 1.2, N)), np.where(inv > 0, 1, 0))
    d = {"FunctionName": fn}
    return s.add_metrics([metric("AWS/Lambda", "Invocations", d, "Count", inv, 1),
                          metric("AWS/Lambda", "Errors", d, "Count", err, 1),
                          metric("AWS/Lambda", "Throttles", d, "Count", thr, 1),
                          metric("AWS/Lambda", "Duration", d, "Milliseconds", dur, 3),
                          metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, 1)])


def rds_set(s, db, cpu=None, conns=None, free_gb=None, read_lat=None, free_mem_gb=None,
            cpu_base=18.0, conn_base=30.0, storage_free=80.0, mem_free=2.1):
    rng = s.rng
    cpu = gauss(rng, cpu_base, 2.5, 0, 100) if cpu is None else cpu
    conns = np.round(gauss(rng, conn_base, conn_base * 0.06, 0)) if conns is None else conns
    free_gb = gauss(rng, storage_free, 0.03, 0) if free_gb is None else free_gb
    read_lat = gauss(rng, 0.0018, 0.0003, 0.0004) if read_lat is None else read_lat
    free_mem_gb = gauss(rng, mem_free, 0.05, 0.01) if free_mem_gb is None else free_mem_gb
    d = {"DBInstanceIdentifier": db}
    return s.add_metrics([metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu, 3),
                          metric("AWS/RDS", "DatabaseConnections", d, "Count", conns, 1),
                          metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_gb * 1e9, 0),
                          metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat, 4),
                          metric("AWS/RDS", "FreeableMemory", d, "Bytes", free_mem_gb * 1e9, 0)])


def ec2_set(s, iid, cpu=None, net=None, status=None, mem=None, disk=None, cpu_base=22.0,
            mem_base=45.0, disk_base=40.0, net_base=2.5e6, fstype="xfs", path="/"):
    rng = s.rng
    cpu = gauss(rng, cpu_base, 3.0, 0, 100) if cpu is None else cpu
    net = lognorm(rng, net_base, 0.15) if net is None else net
    status = np.zeros(N) if status is None else status
    mem = gauss(rng, mem_base, 1.2, 0, 100) if mem is None else mem
    disk = gauss(rng, disk_base, 0.1, 0, 100) if disk is None else disk
    d = {"InstanceId": iid}
    return s.add_metrics([metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu, 3),
                          metric("AWS/EC2", "NetworkIn", d, "Bytes", net, 3),
                          metric("AWS/EC2", "StatusCheckFailed", d, "Count", status, 1),
                          metric("CWAgent", "mem_used_percent", d, "Percent", mem, 3),
                          metric("CWAgent", "disk_used_percent", {**d, "path": path, "fstype": fstype},
                                 "Percent", disk, 3)])


def alb_set(s, lb, req, rt=None, t5xx=None, e5xx=None, unhealthy=None, healthy=None, hosts=4, rt_base=0.11):
    rng = s.rng
    rt = lognorm(rng, rt_base, 0.1) if rt is None else rt
    t5xx = counts(rng, req * 0.002) if t5xx is None else t5xx
    e5xx = counts(rng, req * 0.0003) if e5xx is None else e5xx
    unhealthy = np.zeros(N) if unhealthy is None else unhealthy
    healthy = np.full(N, float(hosts)) if healthy is None else healthy
    d = {"LoadBalancer": lb}
    return s.add_metrics([metric("AWS/ApplicationELB", "RequestCount", d, "Count", req, 1),
                          metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, 3),
                          metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx, 1),
                          metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx, 1),
                          metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, 1),
                          metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, 1)])


def apigw_set(s, api, count, e4=None, e5=None, lat=None, lat_ms=180.0):
    rng = s.rng
    e4 = counts(rng, count * 0.01) if e4 is None else e4
    e5 = np.zeros(N) if e5 is None else e5
    lat = lognorm(rng, lat_ms, 0.12) if lat is None else lat
    d = {"ApiName": api}
    return s.add_metrics([metric("AWS/ApiGateway", "Count", d, "Count", count, 1),
                          metric("AWS/ApiGateway", "4XXError", d, "Count", e4, 1),
                          metric("AWS/ApiGateway", "5XXError", d, "Count", e5, 1),
                          metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lat, 3)])


def ecs_set(s, cluster, service, cpu=None, mem=None, running=None, cpu_base=25.0, mem_base=40.0, desired=2):
    rng = s.rng
    cpu = gauss(rng, cpu_base, 3.0, 0, 100) if cpu is None else cpu
    mem = gauss(rng, mem_base, 1.0, 0, 100) if mem is None else mem
    running = np.full(N, float(desired)) if running is None else running
    d = {"ClusterName": cluster, "ServiceName": service}
    return s.add_metrics([metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu, 3),
                          metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem, 3),
                          metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, 1)])


# ---------------------------------------------------------------- lambda logs
def lambda_logs(s, fn, inv, err, mem_size, body, dur_ms=None, version="$LATEST", stream=None):
    """START/body/END/REPORT for every invocation of the last 3 h.

    ``body(rng, t, rid, failed, i) -> (lines, duration_ms, max_mem_mb, status)`` where lines are
    (offset_seconds, message) pairs and status is None, 'timeout' or 'oom'.
    """
    rng = s.rng
    events = []
    for i in range(N):
        t0 = TS[i]
        if t0 < LOG_FROM:
            continue
        n = int(inv[i])
        nerr = min(int(err[i]), n)
        fails = set(rng.choice(n, nerr, replace=False).tolist()) if nerr else set()
        for k, st in enumerate(np.sort(rng.uniform(0, 59.5, n))):
            r = rid(rng)
            t = t0 + st
            lines, dur, mem, status = body(rng, t, r, k in fails, i)
            events.append((t, f"START RequestId: {r} Version: {version}"))
            for off, msg in lines:
                events.append((t + 0.01 + off, msg))
            end = t + dur / 1000.0 + 0.02
            events.append((end, f"END RequestId: {r}"))
            rep = (f"REPORT RequestId: {r}\tDuration: {dur:.2f} ms\tBilled Duration: {int(np.ceil(dur))} ms\t"
                   f"Memory Size: {mem_size} MB\tMax Memory Used: {int(mem)} MB")
            if status == "timeout":
                rep += "\tStatus: timeout"
            elif status == "oom":
                rep += "\tStatus: error\tError Type: Runtime.OutOfMemory"
            events.append((end + 0.001, rep))
    stream = stream or f"2026/11/20/[{version}]{hexid(rng)}"
    s.log(f"/aws/lambda/{fn}", stream, events)


def py_info(r, msg):
    return f"[INFO]\t{r}\t{msg}"


def py_warn(r, msg):
    return f"[WARNING]\t{r}\t{msg}"


def py_error(r, msg):
    return f"[ERROR]\t{r}\t{msg}"


def node_line(t, r, level, msg):
    return f"{iso(t)}\t{r}\t{level}\t{msg}"


def pg_line(t, client, who, pid, level, msg):
    return f"{ts_str(t)} UTC:{client}:{who}:[{pid}]:{level}:  {msg}"


def pg_checkpoints(s, db, every=300, start=-21600):
    rng = s.rng
    ev = []
    for t in np.arange(start + rng.integers(5, 60), 0, every):
        bufs = int(rng.integers(800, 4200))
        ev.append((t, pg_line(t, "", "@", 412, "LOG", f"checkpoint starting: time")))
        ev.append((t + 40 + rng.uniform(0, 20), pg_line(t, "", "@", 412, "LOG",
                   f"checkpoint complete: wrote {bufs} buffers ({bufs / 1310.72:.1f}%); 0 WAL file(s) added, "
                   f"0 removed, {int(rng.integers(0, 3))} recycled; write={rng.uniform(20, 60):.3f} s, "
                   f"sync={rng.uniform(0.002, 0.02):.3f} s, total={rng.uniform(20, 60):.3f} s")))
    return ev


def access_line(rng, path, code, size, rt, method="GET"):
    ip = f"10.0.{rng.integers(1, 9)}.{rng.integers(2, 254)}"
    return f'{ip} - - "{method} {path} HTTP/1.1" {code} {size} rt={rt:.3f}'


def per_minute_times(rng, n, i):
    return TS[i] + np.sort(rng.uniform(0, 59.9, int(n)))
