"""Shared helpers for the holdout32 scenario generators (stdlib + pyyaml only)."""
from __future__ import annotations

import datetime as _dt
import math
import os
import random
import uuid

import yaml

H6 = -21600          # metrics history start (6 h)
H3 = -10800          # log history start (3 h)
ANCHOR = _dt.datetime(2026, 11, 20, 14, 0, 0, tzinfo=_dt.timezone.utc)  # nominal "now" for timestamps in text


def rng_for(seed: int) -> random.Random:
    return random.Random(seed)


def rid(r: random.Random) -> str:
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def hexid(r: random.Random, n: int = 32) -> str:
    return "".join(r.choice("0123456789abcdef") for _ in range(n))


def iso(t: float) -> str:
    d = ANCHOR + _dt.timedelta(seconds=t)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def stamp(t: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return (ANCHOR + _dt.timedelta(seconds=t)).strftime(fmt)


def ramp(t: float, t0: float, t1: float, a: float, b: float) -> float:
    """a before t0, b after t1, linear in between."""
    if t <= t0:
        return a
    if t >= t1:
        return b
    return a + (b - a) * (t - t0) / (t1 - t0)


def diurnal(t: float, amp: float = 0.15) -> float:
    """Slow multiplicative wave (morning ramp), ~1.0 on average."""
    return 1.0 + amp * math.sin((t + 21600) / 21600 * math.pi - math.pi / 2)


def pts(r: random.Random, fn, start: int = H6, step: int = 60, nd: int = 3, lo: float = 0.0, hi: float | None = None):
    out = []
    for t in range(start, 0, step):
        v = fn(t, r)
        if v is None:
            continue
        v = max(lo, v)
        if hi is not None:
            v = min(hi, v)
        out.append([t, round(float(v), nd)])
    return out


def metric(ns, name, dims, unit, points, region=None):
    m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
    if region:
        m["region"] = region
    m["points"] = points
    return m


def alarm(name, ns, metric_name, dims, stat, period, evals, threshold, changed, comparison="GreaterThanThreshold",
          state="ALARM", description=None, datapoints=None):
    n = datapoints or evals
    word = "greater" if comparison.startswith("Greater") else "less"
    a = {
        "name": name, "namespace": ns, "metric": metric_name, "dimensions": dict(dims), "statistic": stat,
        "period": period, "evaluation_periods": evals, "threshold": threshold, "comparison": comparison,
        "state": state,
        "state_reason": f"Threshold Crossed: {n} datapoint{'s' if n != 1 else ''} {'were' if n != 1 else 'was'} "
                        f"{word} than the threshold ({float(threshold)}).",
        "state_changed": changed,
    }
    if state == "OK":
        a["state_reason"] = (f"Threshold Crossed: {n} datapoint{'s' if n != 1 else ''} "
                             f"{'were' if n != 1 else 'was'} not {word} than the threshold ({float(threshold)}).")
    if description:
        a["description"] = description
    return a


def change(t, source, event, rtype, rname, user, region=None):
    c = {"time": t, "event_source": source, "event_name": event, "resource_type": rtype,
         "resource_name": rname, "username": user}
    if region:
        c["region"] = region
    return c


def arrivals(r: random.Random, start: float, end: float, rate_fn):
    """Poisson-ish arrivals; rate_fn(t) in requests per second."""
    t = start
    out = []
    while True:
        rate = max(rate_fn(t), 1e-4)
        t += r.expovariate(rate)
        if t >= end:
            return out
        out.append(round(t, 3))


def lambda_events(r, start, end, rate_fn, handler, mem, version="$LATEST", init=None):
    """Lambda START/END/REPORT events.

    handler(t, r, req_id) -> (lines, duration_ms, max_mem_mb, status) where lines are message strings
    (already formatted for the runtime) logged shortly after START; status None | 'timeout' | 'killed'.
    """
    ev = []
    for t in arrivals(r, start, end, rate_fn):
        q = rid(r)
        lines, dur, used, status = handler(t, r, q)
        ev.append([t, f"START RequestId: {q} Version: {version}"])
        for i, ln in enumerate(lines):
            ev.append([round(t + 0.01 * (i + 1), 3), ln])
        te = round(t + dur / 1000.0 + 0.002, 3)
        if status == "timeout":
            ev.append([te, f"{iso(te)} {q} Task timed out after {dur / 1000.0:.2f} seconds"])
        elif status == "killed":
            ev.append([te, f"RequestId: {q} Error: Runtime exited with error: signal: killed\nRuntime.ExitError"])
        ev.append([round(te + 0.001, 3), f"END RequestId: {q}"])
        billed = int(math.ceil(dur))
        ev.append([round(te + 0.002, 3), f"REPORT RequestId: {q}\tDuration: {dur:.2f} ms\tBilled Duration: {billed} ms\t"
                                         f"Memory Size: {mem} MB\tMax Memory Used: {used} MB"])
    ev.sort(key=lambda e: e[0])
    return ev


def app_events(r, start, end, rate_fn, line_fn):
    """Generic app log events: line_fn(t, r) -> list of strings (one event each, same timestamp +ms)."""
    ev = []
    for t in arrivals(r, start, end, rate_fn):
        for i, ln in enumerate(line_fn(t, r)):
            ev.append([round(t + 0.001 * i, 3), ln])
    ev.sort(key=lambda e: e[0])
    return ev


def periodic(start, end, every, line_fn, jitter_r=None):
    ev = []
    t = start
    while t < end:
        tt = t + (jitter_r.uniform(0, 2) if jitter_r else 0)
        ev.append([round(tt, 3), line_fn(tt)])
        t += every
    return ev


def merge(*lists):
    out = [e for lst in lists for e in lst]
    out.sort(key=lambda e: e[0])
    return out


def log(group, stream, events, region=None):
    d = {"group": group, "stream": stream}
    if region:
        d["region"] = region
    d["events"] = events
    return d


def lambda_metrics(r, fn, inv_fn, err_fn, dur_fn, conc_fn=None, thr_fn=None, region=None):
    """Standard Lambda metric set from per-minute functions of (t, r)."""
    d = {"FunctionName": fn}
    conc_fn = conc_fn or (lambda t, rr: inv_fn(t, rr) * (dur_fn(t, rr) or 0) / 60000.0 + rr.uniform(0, 1))
    thr_fn = thr_fn or (lambda t, rr: 0)
    return [
        metric("AWS/Lambda", "Invocations", d, "Count", pts(r, inv_fn, nd=0), region),
        metric("AWS/Lambda", "Errors", d, "Count", pts(r, err_fn, nd=0), region),
        metric("AWS/Lambda", "Throttles", d, "Count", pts(r, thr_fn, nd=0), region),
        metric("AWS/Lambda", "Duration", d, "Milliseconds", pts(r, dur_fn, nd=2), region),
        metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", pts(r, conc_fn, nd=0), region),
    ]


def alb_metrics(r, lb, req_fn, rt_fn, t5_fn, e5_fn, unhealthy_fn=None, healthy=4, region=None):
    d = {"LoadBalancer": lb}
    unhealthy_fn = unhealthy_fn or (lambda t, rr: 0)
    return [
        metric("AWS/ApplicationELB", "RequestCount", d, "Count", pts(r, req_fn, nd=0), region),
        metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", pts(r, rt_fn, nd=4), region),
        metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", pts(r, t5_fn, nd=0), region),
        metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", pts(r, e5_fn, nd=0), region),
        metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", pts(r, unhealthy_fn, nd=0), region),
        metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count",
               pts(r, lambda t, rr: healthy - unhealthy_fn(t, rr), nd=0), region),
    ]


def ecs_metrics(r, cluster, service, cpu_fn, mem_fn, running_fn=None, region=None):
    d = {"ClusterName": cluster, "ServiceName": service}
    out = [
        metric("AWS/ECS", "CPUUtilization", d, "Percent", pts(r, cpu_fn, hi=100.0), region),
        metric("AWS/ECS", "MemoryUtilization", d, "Percent", pts(r, mem_fn, hi=100.0), region),
    ]
    if running_fn:
        out.append(metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", pts(r, running_fn, nd=0), region))
    return out


def apigw_metrics(r, api, count_fn, e4_fn, e5_fn, lat_fn, region=None):
    d = {"ApiName": api}
    return [
        metric("AWS/ApiGateway", "Count", d, "Count", pts(r, count_fn, nd=0), region),
        metric("AWS/ApiGateway", "4XXError", d, "Count", pts(r, e4_fn, nd=0), region),
        metric("AWS/ApiGateway", "5XXError", d, "Count", pts(r, e5_fn, nd=0), region),
        metric("AWS/ApiGateway", "Latency", d, "Milliseconds", pts(r, lat_fn, nd=2), region),
    ]


def ec2_metrics(r, iid, cpu_fn, net_fn, mem_fn, disk_fn, status_fn=None, region=None):
    d = {"InstanceId": iid}
    status_fn = status_fn or (lambda t, rr: 0)
    return [
        metric("AWS/EC2", "CPUUtilization", d, "Percent", pts(r, cpu_fn, hi=100.0), region),
        metric("AWS/EC2", "NetworkIn", d, "Bytes", pts(r, net_fn, nd=0), region),
        metric("AWS/EC2", "StatusCheckFailed", d, "Count", pts(r, status_fn, nd=0), region),
        metric("CWAgent", "mem_used_percent", d, "Percent", pts(r, mem_fn, hi=100.0), region),
        metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
               pts(r, disk_fn, hi=100.0), region),
    ]


def rds_metrics(r, db, cpu_fn, conn_fn, free_fn, rlat_fn, mem_fn, region=None):
    d = {"DBInstanceIdentifier": db}
    return [
        metric("AWS/RDS", "CPUUtilization", d, "Percent", pts(r, cpu_fn, hi=100.0), region),
        metric("AWS/RDS", "DatabaseConnections", d, "Count", pts(r, conn_fn, nd=0), region),
        metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", pts(r, free_fn, nd=0), region),
        metric("AWS/RDS", "ReadLatency", d, "Seconds", pts(r, rlat_fn, nd=5), region),
        metric("AWS/RDS", "FreeableMemory", d, "Bytes", pts(r, mem_fn, nd=0), region),
    ]


def scenario(name, description, region, resources, metrics, logs, alarms, changes, expect):
    return {
        "format": "aiops-scenario/v1", "name": name, "description": description, "region": region,
        "resources": resources, "metrics": metrics, "logs": logs, "alarms": alarms, "changes": changes,
        "expect": expect,
    }


def expect(alarm_name, category, resources, anomalies):
    return {"alarm": alarm_name, "root_cause": {"category": category, "resource": list(resources)},
            "anomalies": anomalies}


def anomaly(ns, name, dims):
    return {"namespace": ns, "name": name, "dimensions": dict(dims)}


def write(sc: dict, path: str) -> int:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        yaml.safe_dump(sc, f, sort_keys=False, width=100000, allow_unicode=True)
    return os.path.getsize(path)
