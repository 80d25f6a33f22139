"""Shared helpers for the holdout13 scenario generator: time grid, series, metric sets, logs, alarms, YAML."""
from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta

import numpy as np
import yaml

T = np.arange(-21600, 0, 60)          # 360 one-minute points, -21600 .. -60
BASE = datetime(2026, 11, 20, 12, 0, 0)  # wall clock used inside log text for "now"


def rng_for(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def wall(t: float, fmt: str = "%Y-%m-%dT%H:%M:%S.%f") -> str:
    s = (BASE + timedelta(seconds=float(t))).strftime(fmt)
    return s[:-3] + "Z" if fmt.endswith("%f") else s


def rid(rng) -> str:
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def hexid(rng, n=8) -> str:
    return rng.bytes(n).hex()[:n]


# ---------------------------------------------------------------- series

def daily(amp=0.15, phase=0.0):
    """Gentle diurnal-ish shape over the 6 h window (multiplier around 1)."""
    return 1 + amp * np.sin((T + 21600) / 21600 * math.pi * 1.2 + phase)


def noisy(rng, base, rel=0.08, shape=None, lo=0.0, hi=None):
    v = np.asarray(base, dtype=float) * (daily() if shape is None else shape)
    v = v * (1 + rng.normal(0, rel, len(T)))
    v = np.maximum(v, lo)
    return np.minimum(v, hi) if hi is not None else v


def counts(rng, lam):
    return rng.poisson(np.maximum(np.asarray(lam, dtype=float), 0)).astype(float)


def step(start, v0, v1, ramp=0):
    """v0 before `start`, v1 after; linear over `ramp` seconds."""
    if ramp <= 0:
        return np.where(T >= start, v1, v0).astype(float)
    f = np.clip((T - start) / ramp, 0, 1)
    return v0 + (v1 - v0) * f


def window(start, end, v_in, v_out=0.0):
    return np.where((T >= start) & (T < end), v_in, v_out).astype(float)


def pts(values, nd=3):
    return [Flow([int(t), round(float(v), nd)]) for t, v in zip(T, values)]


class Flow(list):
    pass


yaml.SafeDumper.add_representer(Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def metric(ns, name, dims, unit, values, nd=3, region=None):
    m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit, "points": pts(values, nd)}
    if region:
        m["region"] = region
    return m


# ---------------------------------------------------------------- standard metric sets

def lambda_metrics(fn, inv, err, thr, dur, conc):
    d = {"FunctionName": fn}
    return [metric("AWS/Lambda", "Invocations", d, "Count", inv, 0),
            metric("AWS/Lambda", "Errors", d, "Count", err, 0),
            metric("AWS/Lambda", "Throttles", d, "Count", thr, 0),
            metric("AWS/Lambda", "Duration", d, "Milliseconds", dur),
            metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, 0)]


def rds_metrics(db, cpu, conns, free_bytes, read_lat, write_lat, freeable):
    d = {"DBInstanceIdentifier": db}
    return [metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu),
            metric("AWS/RDS", "DatabaseConnections", d, "Count", conns, 0),
            metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_bytes, 0),
            metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat, 4),
            metric("AWS/RDS", "WriteLatency", d, "Seconds", write_lat, 4),
            metric("AWS/RDS", "FreeableMemory", d, "Bytes", freeable, 0)]


def ec2_metrics(iid, cpu, netin, mem, disk, status=None):
    d = {"InstanceId": iid}
    return [metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu),
            metric("AWS/EC2", "NetworkIn", d, "Bytes", netin, 0),
            metric("AWS/EC2", "StatusCheckFailed", d, "Count", np.zeros(len(T)) if status is None else status, 0),
            metric("CWAgent", "mem_used_percent", d, "Percent", mem),
            metric("CWAgent", "disk_used_percent", {**d, "path": "/", "fstype": "xfs"}, "Percent", disk)]


def alb_metrics(lb, req, trt, t5xx, e5xx, unhealthy, healthy, t4xx=None):
    d = {"LoadBalancer": lb}
    out = [metric("AWS/ApplicationELB", "RequestCount", d, "Count", req, 0),
           metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", trt),
           metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx, 0),
           metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx, 0),
           metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, 0),
           metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, 0)]
    if t4xx is not None:
        out.insert(3, metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4xx, 0))
    return out


def apigw_metrics(api, count, e4, e5, latency, integ=None):
    d = {"ApiName": api}
    out = [metric("AWS/ApiGateway", "Count", d, "Count", count, 0),
           metric("AWS/ApiGateway", "4XXError", d, "Count", e4, 0),
           metric("AWS/ApiGateway", "5XXError", d, "Count", e5, 0),
           metric("AWS/ApiGateway", "Latency", d, "Milliseconds", latency)]
    if integ is not None:
        out.append(metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", integ))
    return out


def ecs_metrics(cluster, service, cpu, mem, running):
    d = {"ClusterName": cluster, "ServiceName": service}
    return [metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu),
            metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem),
            metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, 0)]


# ---------------------------------------------------------------- lambda logs

def lambda_logs(fn, mem_size, inv, err, make, rng, since=-10800, version="$LATEST", stream=None):
    """START/body/END/REPORT per invocation; `err[i]` invocations of minute i fail.

    make(ts, failed, rid, rng) -> (body [(dt, text)], duration_ms, max_mem_mb, report_suffix)
    Returns (log dict, per-minute mean duration array with NaN where no logs).
    """
    events, mean = [], np.full(len(T), np.nan)
    for i, (t0, n, e) in enumerate(zip(T, inv, err)):
        if t0 < since:
            continue
        n = int(n)
        flags = [True] * int(min(e, n)) + [False] * (n - int(min(e, n)))
        rng.shuffle(flags)
        durs = []
        for failed in flags:
            ts = float(t0 + rng.uniform(0.2, 59.5))
            r = rid(rng)
            body, dur, used, suffix = make(ts, failed, r, rng)
            end = min(ts + dur / 1000.0 + 0.002, -0.05)
            ts = min(ts, end - 0.02)
            durs.append(dur)
            events.append((round(ts, 3), f"START RequestId: {r} Version: {version}"))
            for dt, text in body:
                events.append((round(min(ts + dt, end - 0.003), 3), text.replace("{rid}", r)))
            events.append((round(end, 3), f"END RequestId: {r}"))
            events.append((round(end + 0.001, 3),
                           f"REPORT RequestId: {r}\tDuration: {dur:.2f} ms\tBilled Duration: {math.ceil(dur)} ms\t"
                           f"Memory Size: {mem_size(ts) if callable(mem_size) else mem_size} MB\tMax Memory Used: {int(used)} MB{suffix}"))
        if durs:
            mean[i] = float(np.mean(durs))
    events.sort(key=lambda x: x[0])
    stream = stream or f"2026/11/20/[{version}]{hexid(rng, 32)}"
    return {"group": f"/aws/lambda/{fn}", "stream": stream, "events": [Flow(list(e)) for e in events]}, mean


def merge_duration(base, mean):
    return np.where(np.isnan(mean), base, mean)


def timeout_body(ts, rid_, timeout_s, rng):
    over = timeout_s + rng.uniform(0.01, 0.09)
    return (f"{wall(ts + over)} {rid_} Task timed out after {over:.2f} seconds", timeout_s * 1000 + rng.uniform(5, 90))


# ---------------------------------------------------------------- alarms

_CMP = {"GreaterThanThreshold": lambda v, th: v > th, "GreaterThanOrEqualToThreshold": lambda v, th: v >= th,
        "LessThanThreshold": lambda v, th: v < th, "LessThanOrEqualToThreshold": lambda v, th: v <= th}
_WORD = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to",
         "LessThanThreshold": "less than", "LessThanOrEqualToThreshold": "less than or equal to"}


def alarm(name, m, statistic, period, evals, threshold, comparison="GreaterThanThreshold", description=None,
          expect_state="ALARM"):
    """Build an alarm whose state/state_changed/state_reason follow from the metric series `m`."""
    vals = np.array([p[1] for p in m["points"]])
    k = period // 60
    nb = len(vals) // k
    buckets = vals[len(vals) - nb * k:].reshape(nb, k)
    agg = {"Sum": buckets.sum(1), "Average": buckets.mean(1), "Maximum": buckets.max(1),
           "Minimum": buckets.min(1)}[statistic]
    ends = T[len(vals) - nb * k:].reshape(nb, k)[:, -1] + 60
    breach = np.array([_CMP[comparison](v, threshold) for v in agg])
    state, changed = "OK", float(ends[0])
    for i in range(evals - 1, nb):
        new = "ALARM" if breach[i - evals + 1:i + 1].all() else "OK"
        if new != state:
            state, changed = new, min(float(ends[i]) - 40, -30.0)
    assert state == expect_state, (name, state, agg[-evals - 3:])
    word, n = _WORD[comparison], evals
    if state == "ALARM":
        reason = (f"Threshold Crossed: {n} datapoint{'s' if n > 1 else ''} "
                  f"{'were' if n > 1 else 'was'} {word} the threshold ({float(threshold)}).")
    else:
        reason = f"Threshold Crossed: {n} datapoint{'s' if n > 1 else ''} not {word} the threshold ({float(threshold)})."
    a = {"name": name, "namespace": m["namespace"], "metric": m["name"], "dimensions": dict(m["dimensions"]),
         "statistic": statistic, "period": period, "evaluation_periods": evals, "threshold": threshold,
         "comparison": comparison, "state": state, "state_reason": reason, "state_changed": int(changed)}
    if description:
        a["description"] = description
    return a


def change(t, source, name, rtype, rname, user, region=None):
    c = {"time": int(t), "event_source": source, "event_name": name, "resource_type": rtype,
         "resource_name": rname, "username": user}
    if region:
        c["region"] = region
    return c


def find(metrics, name, **dims):
    for m in metrics:
        if m["name"] == name and all(m["dimensions"].get(k) == v for k, v in dims.items()):
            return m
    raise KeyError(name)


# ---------------------------------------------------------------- output

def scenario(name, description, region, resources, metrics, logs, alarms, changes, expect):
    return {"format": "aiops-scenario/v1", "name": name, "description": description, "region": region,
            "resources": resources, "metrics": metrics, "logs": logs, "alarms": alarms,
            "changes": sorted(changes, key=lambda c: c["time"]), "expect": expect}


def dump(doc, path):
    with open(path, "w") as fh:
        yaml.safe_dump(doc, fh, sort_keys=False, width=100000, allow_unicode=True)


def lambda_bundle(rng, fn, mem, inv_lam, err, make, dur_base, thr=None, since=-10800, inv=None):
    """Standard Lambda metrics + one log stream; Errors equal the failed invocations in the logs."""
    inv = counts(rng, inv_lam) if inv is None else inv
    err = np.minimum(np.round(err), inv)
    log, mean = lambda_logs(fn, mem, inv, err, make, rng, since)
    dur = merge_duration(noisy(rng, dur_base, 0.12), mean)
    conc = np.round(inv * dur / 60000.0 + rng.uniform(0, 1.2, len(T)))
    thr = np.zeros(len(T)) if thr is None else thr
    return lambda_metrics(fn, inv, err, thr, dur, conc), log, inv, err


def py_error(exc, frames, msg):
    tb = "".join(f'\n  File "{f}", line {ln}, in {fn}\n    {code}' for f, ln, fn, code in frames)
    return f"[ERROR]\t{{rid}}\t{exc}: {msg}\nTraceback (most recent call last):{tb}\n{exc}: {msg}"


def node_error(ts, etype, emsg, stack):
    st = ",".join('"' + s.replace('"', '\\"') + '"' for s in [f"{etype}: {emsg}"] + ["    at " + s for s in stack])
    em = emsg.replace('"', '\\"')
    return f'{wall(ts)}\t{{rid}}\tERROR\tInvoke Error \t{{"errorType":"{etype}","errorMessage":"{em}","stack":[{st}]}}'
