"""Shared helpers for the holdout5 scenario generator: time grid, series, metric sets,
alarm evaluation, log/text formatting and YAML output.

All times are seconds relative to scenario load ("now"). Metric series are one-minute
points from -21600 to -60 (6 h). Text timestamps inside log lines are rendered against a
fixed fake wall clock (FAKE_NOW) so files are deterministic.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import yaml

FAKE_NOW = datetime(2026, 11, 20, 14, 0, 0, tzinfo=timezone.utc)
T = np.arange(-21600, 0, 60)
N = len(T)
ACCOUNT = "123456789012"


# ---------------------------------------------------------------- ids / text time
def rid(rng) -> str:
    """A UUID4-looking request id drawn from rng (deterministic)."""
    h = "".join(f"{x:02x}" for x in rng.integers(0, 256, 16))
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"


def hexid(rng, n=32) -> str:
    return "".join("0123456789abcdef"[i] for i in rng.integers(0, 16, n))


def wall(t: float) -> datetime:
    return FAKE_NOW + timedelta(seconds=float(t))


def iso(t: float) -> str:
    d = wall(t)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def pgts(t: float) -> str:
    return wall(t).strftime("%Y-%m-%d %H:%M:%S UTC")


def clf(t: float) -> str:
    return wall(t).strftime("%d/%b/%Y:%H:%M:%S +0000")


def logts(t: float) -> str:
    """Application log timestamp, e.g. logback / python logging style."""
    d = wall(t)
    return d.strftime("%Y-%m-%d %H:%M:%S,") + f"{d.microsecond // 1000:03d}"


def lambda_stream(rng, t: float | None = None, version: str = "$LATEST") -> str:
    d = wall(t if t is not None else -10800)
    return f"{d:%Y/%m/%d}/[{version}]{hexid(rng)}"


# ---------------------------------------------------------------- series
def at(t: float) -> int:
    """Index of the minute point containing relative time t."""
    return int(np.clip((t + 21600) // 60, 0, N - 1))


def level(rng, base, sd=0.08, daily=0.0, phase=0.0):
    """Noisy level around base; daily>0 adds a slow diurnal drift over the window."""
    shape = 1.0 + daily * np.sin(2 * np.pi * (T + phase) / 86400.0)
    return base * shape * (1.0 + rng.normal(0.0, sd, N))


def ramp(t0, t1, a=0.0, b=1.0):
    """a before t0, linear to b at t1, b afterwards."""
    x = np.clip((T - t0) / max(t1 - t0, 1), 0.0, 1.0)
    return a + (b - a) * x


def window(t0, t1):
    return ((T >= t0) & (T < t1)).astype(float)


def after(t0):
    return (T >= t0).astype(float)


def pois(rng, lam):
    return rng.poisson(np.clip(np.asarray(lam, dtype=float), 0, None)).astype(float)


def clip(a, lo=0.0, hi=None):
    return np.clip(a, lo, hi)


# ---------------------------------------------------------------- metrics
def metric(ns, name, dims, unit, arr, nd=3, region=None, skip=None):
    pts = []
    for i, (t, v) in enumerate(zip(T, arr)):
        if skip is not None and skip[i]:
            continue
        if v is None or (isinstance(v, float) and np.isnan(v)):
            continue
        pts.append([int(t), float(round(float(v), nd))])
    m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
    if region:
        m["region"] = region
    m["points"] = pts
    return m


def lambda_metrics(fn, inv, err, dur, thr=None, conc=None, rng=None):
    if thr is None:
        thr = np.zeros(N)
    if conc is None:
        avg = inv * dur / 60000.0
        conc = np.ceil(avg * 1.6 + (rng.uniform(0, 1, N) if rng is not None else 0.5))
        conc = np.where(inv > 0, np.maximum(conc, 1), 0)
    d = {"FunctionName": fn}
    return [metric("AWS/Lambda", "Invocations", d, "Count", inv, 0),
            metric("AWS/Lambda", "Errors", d, "Count", err, 0),
            metric("AWS/Lambda", "Throttles", d, "Count", thr, 0),
            metric("AWS/Lambda", "Duration", d, "Milliseconds", dur, 3),
            metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, 0)]


def apigw_metrics(api, count, e4, e5, lat, ilat):
    d = {"ApiName": api}
    return [metric("AWS/ApiGateway", "Count", d, "Count", count, 0),
            metric("AWS/ApiGateway", "4XXError", d, "Count", e4, 0),
            metric("AWS/ApiGateway", "5XXError", d, "Count", e5, 0),
            metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lat, 3),
            metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", ilat, 3)]


def alb_metrics(lb, req, trt, t5, e5, unhealthy, healthy, t4=None, rng=None):
    d = {"LoadBalancer": lb}
    out = [metric("AWS/ApplicationELB", "RequestCount", d, "Count", req, 0),
           metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", trt, 3),
           metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5, 0),
           metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5, 0)]
    if t4 is None and rng is not None:
        t4 = pois(rng, req * 0.012)
    if t4 is not None:
        out.append(metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4, 0))
    out += [metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, 0),
            metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, 0)]
    return out


def ecs_metrics(cluster, svc, cpu, mem, running, desired, pending):
    d = {"ClusterName": cluster, "ServiceName": svc}
    return [metric("AWS/ECS", "CPUUtilization", d, "Percent", clip(cpu, 0, 100), 3),
            metric("AWS/ECS", "MemoryUtilization", d, "Percent", clip(mem, 0, 100), 3),
            metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, 0),
            metric("ECS/ContainerInsights", "DesiredTaskCount", d, "Count", desired, 0),
            metric("ECS/ContainerInsights", "PendingTaskCount", d, "Count", pending, 0)]


def rds_metrics(db, cpu, conns, free, rlat, wlat, freemem):
    d = {"DBInstanceIdentifier": db}
    return [metric("AWS/RDS", "CPUUtilization", d, "Percent", clip(cpu, 0, 100), 3),
            metric("AWS/RDS", "DatabaseConnections", d, "Count", np.round(conns), 0),
            metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", clip(free, 0), 0),
            metric("AWS/RDS", "ReadLatency", d, "Seconds", clip(rlat, 0.0001), 4),
            metric("AWS/RDS", "WriteLatency", d, "Seconds", clip(wlat, 0.0001), 4),
            metric("AWS/RDS", "FreeableMemory", d, "Bytes", clip(freemem, 0), 0)]


def ec2_metrics(iid, cpu, netin, mem, disk, status=None, fstype="xfs"):
    d = {"InstanceId": iid}
    if status is None:
        status = np.zeros(N)
    return [metric("AWS/EC2", "CPUUtilization", d, "Percent", clip(cpu, 0, 100), 3),
            metric("AWS/EC2", "NetworkIn", d, "Bytes", clip(netin, 0), 0),
            metric("AWS/EC2", "StatusCheckFailed", d, "Count", status, 0),
            metric("CWAgent", "mem_used_percent", d, "Percent", clip(mem, 0, 100), 3),
            metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": fstype},
                   "Percent", clip(disk, 0, 100), 3)]


# ---------------------------------------------------------------- alarms
_AGG = {"Sum": np.sum, "Average": np.mean, "Maximum": np.max, "Minimum": np.min}
_CMP = {"GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
        "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
        "LessThanThreshold": (lambda v, th: v < th, "less than"),
        "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to")}


def _pct(vals, p):
    return float(np.percentile(vals, p))


def alarm(name, m, stat, period, evals, threshold, comparison="GreaterThanThreshold",
          description=None, expect="ALARM", to_alarm=None):
    """Evaluate the alarm over metric dict m like CloudWatch would and return the alarm entry.

    Asserts the final state equals `expect`; state_changed is the last transition time.
    """
    pts = {int(t): v for t, v in m["points"]}
    cmp, word = _CMP[comparison]
    need = to_alarm or evals
    state, changed, transitions = "INSUFFICIENT_DATA", -21600.0, []
    vals = []
    for s in range(-21600, 0, period):
        e = s + period
        if e > 0:
            break
        bucket = [pts[t] for t in range(s, e, 60) if t in pts]
        if not bucket:
            v = None
        elif stat.startswith("p"):
            v = _pct(bucket, float(stat[1:]))
        else:
            v = float(_AGG[stat](bucket))
        vals.append(v)
        win = [x for x in vals[-evals:] if x is not None]
        if not win:
            continue
        breaching = sum(1 for x in win if cmp(x, threshold))
        new = "ALARM" if breaching >= need else "OK"
        if new != state:
            changed = min(e + 50, -5) if e > -21600 + period * evals else -21600
            transitions.append((new, changed))
            state = new
    assert state == expect, f"{name}: evaluated {state}, wanted {expect} ({transitions[-4:]})"
    alarms_raised = [c for s_, c in transitions if s_ == "ALARM"]
    if expect == "ALARM":
        assert len(alarms_raised) == 1, f"{name}: alarm flaps {transitions}"
    th = f"{float(threshold):.1f}"
    if state == "ALARM":
        if evals == 1:
            reason = f"Threshold Crossed: 1 datapoint was {word} the threshold ({th})."
        else:
            reason = (f"Threshold Crossed: {need} out of the last {evals} datapoints were {word} the threshold "
                      f"({th}) (minimum {need} datapoints for OK -> ALARM transition).")
    else:
        reason = (f"Threshold Crossed: 1 out of the last {evals} datapoints was not {word} the threshold ({th}) "
                  f"(minimum 1 datapoint for ALARM -> OK transition).")
    out = {"name": name, "namespace": m["namespace"], "metric": m["name"], "dimensions": dict(m["dimensions"]),
           "statistic": stat, "period": period, "evaluation_periods": evals, "threshold": threshold,
           "comparison": comparison, "state": state, "state_reason": reason, "state_changed": int(changed)}
    if description:
        out["description"] = description
    return out


def find(metrics, name, **dims):
    for m in metrics:
        if m["name"] == name and all(m["dimensions"].get(k) == v for k, v in dims.items()):
            return m
    raise KeyError(name)


# ---------------------------------------------------------------- changes
def change(t, source, name, rtype, rname, user, region=None):
    c = {"time": int(t), "event_source": source, "event_name": name, "resource_type": rtype,
         "resource_name": rname, "username": user}
    if region:
        c["region"] = region
    return c


# ---------------------------------------------------------------- logs
def log(group, stream, events, region=None):
    ev = sorted(((round(float(t), 3), str(msg)) for t, msg in events if t <= 0), key=lambda e: e[0])
    out = {"group": group, "stream": stream}
    if region:
        out["region"] = region
    out["events"] = [[t, msg] for t, msg in ev]
    return out


def times_in_minute(rng, i, n):
    return np.sort(T[i] + rng.uniform(0.0, 60.0, int(n)))


def poisson_times(rng, rate_per_min, t0, t1):
    """Event times of a Poisson process with rate (per minute) between t0 and t1."""
    if t1 <= t0:
        return np.array([])
    n = rng.poisson(max(rate_per_min, 0) * (t1 - t0) / 60.0)
    return np.sort(rng.uniform(t0, t1, n))


def lambda_logs(rng, fn, mem_mb, inv, err, dur, body, t_from=-10800, streams=None,
                timeout_s=None, maxmem=(140, 190), runtime_init=None, init_range=(250.0, 450.0)):
    """START/END/REPORT logs for every invocation counted in `inv` after t_from.

    body(rng, t, req, is_err, dur_ms) -> (lines, dur_ms); lines are (offset_s, message).
    streams: list of (stream_name, active_from, active_to[, version]); invocations go to a random active one.
    A stream that opens inside the window gets INIT_START / Init Duration on its first invocation.
    """
    if streams is None:
        streams = [(lambda_stream(rng), -1e9, 1e9)]
    out = {s[0]: [] for s in streams}
    started = set()
    for i in range(N):
        if T[i] < t_from:
            continue
        n, e = int(inv[i]), int(err[i])
        errs = set(rng.choice(n, size=min(e, n), replace=False).tolist()) if n else set()
        for j, t0 in enumerate(times_in_minute(rng, i, n)):
            req = rid(rng)
            d = max(2.0, rng.normal(dur[i], max(dur[i] * 0.22, 1.0)))
            lines, d = body(rng, t0, req, j in errs, d)
            if t0 + d / 1000.0 + 0.01 > -0.05:
                continue
            active = [s for s in streams if s[1] <= t0 < s[2]]
            pick = active[rng.integers(0, len(active))]
            name, version = pick[0], (pick[3] if len(pick) > 3 else "$LATEST")
            ev = out[name]
            init_ms = None
            if name not in started and runtime_init and pick[1] > t_from:
                started.add(name)
                init_ms = float(rng.uniform(*init_range))
                ev.append((t0 - init_ms / 1000.0, f"INIT_START Runtime Version: {runtime_init}"))
            ev.append((t0, f"START RequestId: {req} Version: {version}"))
            for off, msg in lines:
                ev.append((t0 + off, msg))
            tend = t0 + d / 1000.0
            ev.append((tend + 0.001, f"END RequestId: {req}"))
            used = int(rng.integers(*maxmem))
            billed = int(np.ceil(d))
            rep = (f"REPORT RequestId: {req}\tDuration: {d:.2f} ms\tBilled Duration: {billed} ms\t"
                   f"Memory Size: {mem_mb} MB\tMax Memory Used: {used} MB")
            if init_ms is not None:
                rep += f"\tInit Duration: {init_ms:.2f} ms"
            if timeout_s and d >= timeout_s * 1000 - 1:
                rep += "\tStatus: timeout"
            ev.append((tend + 0.002, rep))
    return [log(f"/aws/lambda/{fn}", s, ev) for s, ev in out.items() if ev]


def py_line(level_, t, req, msg):
    return f"[{level_}]\t{iso(t)}\t{req}\t{msg}"


def node_line(level_, t, req, msg):
    return f"{iso(t)}\t{req}\t{level_}\t{msg}"


# ---------------------------------------------------------------- output
class _Dumper(yaml.CDumper if hasattr(yaml, "CDumper") else yaml.Dumper):
    def ignore_aliases(self, data):
        return True


def scenario(name, description, region, resources, metrics, logs, alarms, changes, expect):
    return {"format": "aiops-scenario/v1", "name": name, "description": description, "region": region,
            "resources": resources, "metrics": metrics, "logs": logs, "alarms": alarms,
            "changes": sorted(changes, key=lambda c: c["time"]), "expect": expect}


def expect(alarm_name, category, resources, anomalies):
    return {"alarm": alarm_name, "root_cause": {"category": category, "resource": list(resources)},
            "anomalies": [{"namespace": m["namespace"], "name": m["name"], "dimensions": dict(m["dimensions"])}
                          for m in anomalies]}


def write(scn, outdir: Path, filename: str) -> Path:
    path = outdir / filename
    with open(path, "w") as f:
        yaml.dump(scn, f, Dumper=_Dumper, sort_keys=False, width=100000, allow_unicode=True)
    return path
