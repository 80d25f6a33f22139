"""Shared helpers for the holdout33 scenario generator (stdlib + pyyaml only)."""
import datetime
import math
import os
import random
import uuid

import yaml

START = -21600          # six hours of metrics
LOG_START = -10800      # three hours of logs
STEP = 60
BASE = datetime.datetime(2026, 11, 20, 12, 0, 0, tzinfo=datetime.timezone.utc)
OUT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "scenarios_holdout33")


def clock(t, fmt="%Y-%m-%d %H:%M:%S"):
    d = BASE + datetime.timedelta(seconds=t)
    return d.strftime(fmt)


def iso(t):
    d = BASE + datetime.timedelta(seconds=t)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)


def logback_ts(t):
    d = BASE + datetime.timedelta(seconds=t)
    return d.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (d.microsecond // 1000)


def rid(r):
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def hexid(r, n=32):
    return "%0*x" % (n, r.getrandbits(4 * n))


def minutes(start=START, end=0, step=STEP):
    return list(range(start, end, step))


def diurnal(t, amp=0.15, phase=0.0):
    return 1.0 + amp * math.sin(2 * math.pi * (t + phase) / 86400.0)


def smooth(t, t0, t1):
    """0 before t0, 1 after t1, linear between."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    return (t - t0) / float(t1 - t0)


def series(fn, start=START, end=0, step=STEP, nd=3, lo=0.0, hi=None, integer=False):
    pts = []
    for t in range(start, end, step):
        v = fn(t)
        if v is None:
            continue
        v = max(lo, v)
        if hi is not None:
            v = min(hi, v)
        v = float(int(round(v))) if integer else round(v, nd)
        pts.append([t, v])
    return pts


def metric(ns, name, dims, unit, points, region=None):
    m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit, "points": points}
    if region:
        m["region"] = region
    return m


def at(points, t):
    """Value of a per-minute series at minute starting t (or 0)."""
    idx = {p[0]: p[1] for p in points}
    return idx.get(t - (t % STEP) if t >= 0 else t - (t % STEP), 0.0)


def lookup(points):
    d = {p[0]: p[1] for p in points}
    return lambda t: d.get(int(math.floor(t / 60.0)) * 60, 0.0)


def alarm(name, ns, metric_name, dims, stat, period, evals, threshold, comparison,
          state, state_changed, description=None, reason=None):
    word = {"GreaterThanThreshold": "greater than", "LessThanThreshold": "less than",
            "GreaterThanOrEqualToThreshold": "greater than or equal to",
            "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
    pl = "s were" if evals > 1 else " was"
    if reason is None:
        if state == "ALARM":
            reason = "Threshold Crossed: %d datapoint%s %s the threshold (%s)." % (evals, pl, word, float(threshold))
        else:
            reason = "Threshold Crossed: %d datapoint%s not %s the threshold (%s)." % (evals, pl, word, float(threshold))
    a = {"name": name, "namespace": ns, "metric": metric_name, "dimensions": dict(dims),
         "statistic": stat, "period": period, "evaluation_periods": evals,
         "threshold": threshold, "comparison": comparison, "state": state,
         "state_reason": reason, "state_changed": state_changed}
    if description:
        a["description"] = description
    return a


def change(t, source, name, rtype, rname, user, region=None):
    c = {"time": t, "event_source": source, "event_name": name, "resource_type": rtype,
         "resource_name": rname, "username": user}
    if region:
        c["region"] = region
    return c


# ---------------------------------------------------------------- Lambda
def lambda_metrics(fname, inv, errors, duration, throttles=None, conc=None):
    dims = {"FunctionName": fname}
    if throttles is None:
        throttles = [[p[0], 0.0] for p in inv]
    if conc is None:
        dl = lookup(duration)
        conc = [[p[0], float(max(1, int(math.ceil(p[1] * dl(p[0]) / 60000.0 * 1.3))))] for p in inv]
    return [
        metric("AWS/Lambda", "Invocations", dims, "Count", inv),
        metric("AWS/Lambda", "Errors", dims, "Count", errors),
        metric("AWS/Lambda", "Throttles", dims, "Count", throttles),
        metric("AWS/Lambda", "Duration", dims, "Milliseconds", duration),
        metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", conc),
    ]


def lambda_logs(r, fname, inv, errors, handler, memory=512, start=LOG_START, end=0,
                version="$LATEST", streams=2, extra=None):
    """Generate START/handler lines/END/REPORT per invocation.

    handler(t, rid, failing, r) -> (lines, duration_ms, mem_used, status)
    lines: list of (offset_seconds, text). status None or 'timeout'.
    """
    inv_l, err_l = lookup(inv), lookup(errors)
    stream_names = ["%s/[%s]%s" % (clock(start, "%Y/%m/%d"), version, hexid(r)) for _ in range(streams)]
    evs = {s: [] for s in stream_names}
    for m in range(start, end, 60):
        n = int(inv_l(m))
        ne = int(err_l(m))
        fails = set(r.sample(range(n), min(ne, n))) if n else set()
        for i in range(n):
            t = m + r.uniform(0, 58)
            q = rid(r)
            lines, dur, mem, status = handler(t, q, i in fails, r)
            s = stream_names[r.randrange(streams)]
            ev = evs[s]
            ev.append([round(t, 3), "START RequestId: %s Version: %s" % (q, version)])
            for off, txt in lines:
                ev.append([round(t + off, 3), txt])
            te = t + dur / 1000.0
            if status == "timeout":
                ev.append([round(te, 3), "%s %s Task timed out after %.2f seconds" % (iso(te), q, dur / 1000.0)])
            ev.append([round(te + 0.001, 3), "END RequestId: %s" % q])
            rep = "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB" % (
                q, dur, int(math.ceil(dur)), memory, mem)
            if status == "timeout":
                rep += "\tStatus: timeout"
            ev.append([round(te + 0.002, 3), rep])
    if extra:
        for t, txt in extra:
            evs[stream_names[0]].append([round(t, 3), txt])
    out = []
    for s in stream_names:
        ev = sorted(evs[s], key=lambda e: e[0])
        ev = [e for e in ev if e[0] < 5]
        out.append({"group": "/aws/lambda/%s" % fname, "stream": s, "events": ev})
    return out


def stream(group, name, events, region=None):
    ev = sorted(([round(t, 3), txt] for t, txt in events if t < 0), key=lambda e: e[0])
    s = {"group": group, "stream": name, "events": ev}
    if region:
        s["region"] = region
    return s


def poisson_times(r, rate_per_min, start=LOG_START, end=0, rate_fn=None):
    """Event times with a per-minute rate (rate_fn(t) overrides rate_per_min)."""
    out = []
    for m in range(start, end, 60):
        lam = rate_fn(m) if rate_fn else rate_per_min
        n = poisson(r, lam)
        out.extend(sorted(m + r.uniform(0, 59.9) for _ in range(n)))
    return out


def poisson(r, lam):
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(r.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= r.random()
        if p <= L:
            return k
        k += 1


def counts(r, rate_fn, start=START, end=0):
    return [[t, float(poisson(r, rate_fn(t)))] for t in range(start, end, 60)]


def rds_metrics(db, conns, cpu, free_storage, mem=None, r=None, extra=None):
    dims = {"DBInstanceIdentifier": db}
    out = [metric("AWS/RDS", "CPUUtilization", dims, "Percent", cpu),
           metric("AWS/RDS", "DatabaseConnections", dims, "Count", conns),
           metric("AWS/RDS", "FreeStorageSpace", dims, "Bytes", free_storage)]
    if mem is not None:
        out.append(metric("AWS/RDS", "FreeableMemory", dims, "Bytes", mem))
    return out + (extra or [])


def alb_metrics(lb, req, tgt5xx, elb5xx, rt, healthy=None, unhealthy=None, r=None):
    dims = {"LoadBalancer": lb}
    out = [metric("AWS/ApplicationELB", "RequestCount", dims, "Count", req),
           metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Count", tgt5xx),
           metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Count", elb5xx),
           metric("AWS/ApplicationELB", "TargetResponseTime", dims, "Seconds", rt)]
    if healthy is not None:
        out.append(metric("AWS/ApplicationELB", "HealthyHostCount", dims, "Count", healthy))
    if unhealthy is not None:
        out.append(metric("AWS/ApplicationELB", "UnHealthyHostCount", dims, "Count", unhealthy))
    return out


def apigw_metrics(api, count, e4, e5, lat, stage=None):
    dims = {"ApiName": api}
    if stage:
        dims["Stage"] = stage
    return [metric("AWS/ApiGateway", "Count", dims, "Count", count),
            metric("AWS/ApiGateway", "4XXError", dims, "Count", e4),
            metric("AWS/ApiGateway", "5XXError", dims, "Count", e5),
            metric("AWS/ApiGateway", "Latency", dims, "Milliseconds", lat)]


def ecs_metrics(cluster, service, cpu, mem):
    dims = {"ClusterName": cluster, "ServiceName": service}
    return [metric("AWS/ECS", "CPUUtilization", dims, "Percent", cpu),
            metric("AWS/ECS", "MemoryUtilization", dims, "Percent", mem)]


def ec2_metrics(iid, cpu, mem, disk, net=None, path="/", fstype="xfs"):
    out = [metric("AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent", cpu),
           metric("AWS/EC2", "StatusCheckFailed", {"InstanceId": iid}, "Count",
                  [[p[0], 0.0] for p in cpu]),
           metric("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", mem),
           metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": path, "fstype": fstype},
                  "Percent", disk)]
    if net is not None:
        out.append(metric("AWS/EC2", "NetworkIn", {"InstanceId": iid}, "Bytes", net))
    return out


def scenario(name, description, region, resources, metrics, logs, alarms, changes, expect):
    return {"format": "aiops-scenario/v1", "name": name, "description": description,
            "region": region, "resources": resources, "metrics": metrics, "logs": logs,
            "alarms": alarms, "changes": changes, "expect": expect}


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def _repr_list(dumper, data):
    flow = len(data) == 2 and all(isinstance(x, (int, float, str)) for x in data) and \
        isinstance(data[0], (int, float))
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _repr_list)


def write(fname, doc):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, fname)
    with open(path, "w") as f:
        yaml.dump(doc, f, Dumper=_Dumper, sort_keys=False, width=100000, allow_unicode=True)
    return path
