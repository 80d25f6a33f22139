"""Metric sets and log streams for the AWS resource types used by the scenarios."""
import math

from .lib import LOG_FROM, values

# ------------------------------------------------------------------ metric sets


def lambda_metrics(s, fn, inv, err, dur, thr=None, conc=None):
    d = {"FunctionName": fn}
    s.metric("AWS/Lambda", "Invocations", d, "Count", inv)
    s.metric("AWS/Lambda", "Errors", d, "Count", err)
    s.metric("AWS/Lambda", "Throttles", d, "Count", thr or [[t, 0.0] for t, _ in inv])
    live = {t for t, n in inv if n}
    s.metric("AWS/Lambda", "Duration", d, "Milliseconds", [p for p in dur if p[0] in live])
    if conc is None:
        dv = values(dur)
        conc = []
        for t, n in inv:
            c = n * dv.get(t, 0.0) / 60000.0
            conc.append([t, float(max(1, int(math.ceil(c * 1.2 + abs(s.noise(0.3))))) if n else 0.0)])
    s.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", [p for p in conc if p[0] in live])


def ecs_metrics(s, cluster, service, cpu, mem, tasks=None):
    d = {"ClusterName": cluster, "ServiceName": service}
    s.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu)
    s.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem)
    if tasks is not None:
        s.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", tasks)


def rds_metrics(s, db, cpu, conns, free_storage, free_mem, read_lat, write_lat=None, extra=None):
    d = {"DBInstanceIdentifier": db}
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu)
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_storage)
    s.metric("AWS/RDS", "FreeableMemory", d, "Bytes", free_mem)
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat)
    if write_lat is not None:
        s.metric("AWS/RDS", "WriteLatency", d, "Seconds", write_lat)
    for name, unit, pts in (extra or []):
        s.metric("AWS/RDS", name, d, unit, pts)


def alb_metrics(s, lb, req, trt, t5xx, e5xx, healthy, unhealthy=None, t4xx=None):
    d = {"LoadBalancer": lb}
    s.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", trt)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx)
    if t4xx is not None:
        s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4xx)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count",
             unhealthy or [[t, 0.0] for t, _ in req])
    s.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy)


def api_metrics(s, api, count, e4, e5, lat, ilat=None):
    d = {"ApiName": api}
    s.metric("AWS/ApiGateway", "Count", d, "Count", count)
    s.metric("AWS/ApiGateway", "4XXError", d, "Count", e4)
    s.metric("AWS/ApiGateway", "5XXError", d, "Count", e5)
    s.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lat)
    if ilat is not None:
        s.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", ilat)


def ec2_metrics(s, iid, cpu, netin, status, mem=None, disk=None):
    d = {"InstanceId": iid}
    s.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu)
    s.metric("AWS/EC2", "NetworkIn", d, "Bytes", netin)
    s.metric("AWS/EC2", "StatusCheckFailed", d, "Count", status)
    if mem is not None:
        s.metric("CWAgent", "mem_used_percent", d, "Percent", mem)
    if disk is not None:
        s.metric("CWAgent", "disk_used_percent", dict(d, path="/", fstype="xfs"), "Percent", disk)


# ------------------------------------------------------------------ lambda logs
RUNTIME_VERSION = {
    "python3.12": "python:3.12.v38", "python3.11": "python:3.11.v45", "nodejs20.x": "nodejs:20.v41",
    "ruby3.3": "ruby:3.3.v14", "java21": "java:21.v24",
}


def lambda_line(s, runtime, t, rid, level, msg):
    if runtime.startswith("python"):
        return "[%s]\t%s\t%s\t%s" % (level, s.iso(t), rid, msg)
    if runtime.startswith("nodejs"):
        return "%s\t%s\t%s\t%s" % (s.iso(t), rid, level, msg)
    if runtime.startswith("ruby"):
        d = s.at(t)
        return "%s, [%s.%06d #8] %5s -- : %s" % (level[0], d.strftime("%Y-%m-%dT%H:%M:%S"), d.microsecond,
                                                  level, msg)
    return "%s %s %s %s" % (s.iso(t), rid, level, msg)


def lambda_fn(s, fn, runtime, mem, timeout, inv, err, body, dur_model, kind_fn=None, thr=None,
              log_from=LOG_FROM, rotate=(), nstreams=3, account="412398765012", conc=None):
    """Emit the standard Lambda metric set plus CloudWatch Logs for the last hours.

    inv/err: per-minute points. body(t, rid, kind) returns a dict with
    lines=[(dt, level, msg) | (dt, None, raw)], dur=ms, mem=MB and optional end in
    {None, 'timeout', 'oom'}. kind is None for a successful invocation.
    """
    epochs = [log_from] + sorted(r for r in rotate if r > log_from)
    streams = []
    for e in epochs:
        day = s.at(e).strftime("%Y/%m/%d")
        streams.append([{"name": "%s/[$LATEST]%s" % (day, s.hexid(32)), "events": [], "warm": False}
                        for _ in range(nstreams)])
    ev = values(err)
    durations = []
    for t, n in inv:
        n = int(n)
        if t < log_from:
            durations.append([t, round(dur_model(t), 2) if n else 0.0])
            continue
        nerr = min(n, int(ev.get(t, 0)))
        flags = [True] * nerr + [False] * (n - nerr)
        s.rng.shuffle(flags)
        tot, cnt = 0.0, 0
        epoch = max(i for i, e in enumerate(epochs) if e <= t)
        stamps = sorted(t + s.rng.random() * 58.0 for _ in flags)
        for ts, failed in zip(stamps, flags):
            rid = s.uuid()
            st = s.rng.choice(streams[epoch])
            kind = (kind_fn(t) if kind_fn else "error") if failed else None
            b = body(ts, rid, kind)
            d = float(b["dur"])
            tot += d
            cnt += 1
            evs = st["events"]
            init = ""
            if not st["warm"]:
                st["warm"] = True
                evs.append((ts - 0.9, "INIT_START Runtime Version: %s\tRuntime Version ARN: arn:aws:lambda:%s::"
                            "runtime:%s" % (RUNTIME_VERSION.get(runtime, runtime), s.region, s.hexid(64))))
                init = "\tInit Duration: %.2f ms" % (300 + s.rng.random() * 600)
            evs.append((ts, "START RequestId: %s Version: $LATEST" % rid))
            for item in b["lines"]:
                dt_, level, msg = item
                if level is None:
                    evs.append((ts + dt_, msg))
                else:
                    evs.append((ts + dt_, lambda_line(s, runtime, ts + dt_, rid, level, msg)))
            end = b.get("end")
            tend = ts + d / 1000.0
            status = ""
            if end == "timeout":
                evs.append((tend, "%s %s Task timed out after %.2f seconds" % (s.iso(tend), rid, d / 1000.0)))
                status = "\tStatus: timeout"
                st["warm"] = False
            elif end == "oom":
                evs.append((tend, "RequestId: %s Error: Runtime exited with error: signal: killed\n"
                                  "Runtime.ExitError" % rid))
                status = "\tStatus: error\tError Type: Runtime.OutOfMemory"
                st["warm"] = False
            elif end == "abort":
                evs.append((tend, "RequestId: %s Error: Runtime exited with error: signal: aborted (core dumped)\n"
                                  "Runtime.ExitError" % rid))
                status = "\tStatus: error\tError Type: Runtime.ExitError"
                st["warm"] = False
            evs.append((tend + 0.001, "END RequestId: %s" % rid))
            evs.append((tend + 0.002, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\t"
                                      "Memory Size: %d MB\tMax Memory Used: %d MB%s%s"
                        % (rid, d, int(math.ceil(d)), mem, int(b["mem"]), init, status)))
        durations.append([t, round(tot / cnt, 2) if cnt else 0.0])
    for group in streams:
        for st in group:
            s.log("/aws/lambda/%s" % fn, st["name"], st["events"])
    lambda_metrics(s, fn, inv, err, durations, thr=thr, conc=conc)
    return durations


# ------------------------------------------------------------------ misc log helpers
def ecs_streams(s, container, n, prefix="ecs"):
    return ["%s/%s/%s" % (prefix, container, s.hexid(32)) for _ in range(n)]


def emit(s, group, buckets):
    for stream, events in buckets.items():
        s.log(group, stream, events)


def spring(s, t, level, thread, logger, msg, app=None):
    pid = 1
    ctx = "[%s] " % app if app else ""
    return "%s %5s %d --- %s[%15s] %-40s : %s" % (s.spring(t), level, pid, ctx, thread[-15:], logger, msg)


def pg_line(s, t, who, pid, level, msg):
    """RDS PostgreSQL default log_line_prefix '%t:%r:%u@%d:[%p]:'."""
    return "%s:%s:[%d]:%s:  %s" % (s.pgts(t), who, pid, level, msg)


def pg_checkpoint(s, t, buffers, added, removed, recycled, dist_kb):
    pct = buffers / 16384.0 * 100 / 8
    w = 0.5 + s.rng.random() * 25
    return pg_line(s, t, "@", 412, "LOG",
                   "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, %d removed, %d recycled; "
                   "write=%.3f s, sync=0.%03d s, total=%.3f s; sync files=%d, longest=0.%03d s, average=0.001 s; "
                   "distance=%d kB, estimate=%d kB"
                   % (buffers, pct, removed, recycled, w, s.rng.randint(1, 200), w + 0.3,
                      s.rng.randint(20, 90), s.rng.randint(1, 90), dist_kb, dist_kb + 812)).replace(
        "0 WAL file(s) added", "%d WAL file(s) added" % added)
