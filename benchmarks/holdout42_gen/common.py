"""Shared helpers for the holdout42 scenario set: series, metric bundles, alarms,
log-line helpers and the YAML writer.  Standard library + pyyaml only."""
from __future__ import annotations

import math
import random
import uuid
from datetime import datetime, timedelta, timezone

import yaml

T_START = -21600          # six hours of one-minute metrics
STEP = 60


# ---------------------------------------------------------------- yaml output
class Pair(list):
    """A [time, value] pair, written in flow style like the public examples."""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


def _pair_repr(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


_Dumper.add_representer(Pair, _pair_repr)


def dump(doc: dict, path: str) -> int:
    text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, width=10 ** 9,
                     allow_unicode=True, default_flow_style=False)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return len(text.encode("utf-8"))


# ---------------------------------------------------------------- randomness
class Rng(random.Random):
    def uuid(self) -> str:
        return str(uuid.UUID(int=self.getrandbits(128), version=4))

    def hexs(self, n: int) -> str:
        return "".join(self.choice("0123456789abcdef") for _ in range(n))

    def poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 40:
            return max(0, int(round(self.gauss(lam, math.sqrt(lam)))))
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.random()
            if p <= limit:
                return k
            k += 1

    def ip(self, prefix="10.0") -> str:
        return f"{prefix}.{self.randint(1, 60)}.{self.randint(2, 250)}"

    def pub_ip(self) -> str:
        return f"{self.choice([23, 34, 45, 52, 66, 71, 81, 92, 103, 185, 193])}." \
               f"{self.randint(1, 254)}.{self.randint(1, 254)}.{self.randint(1, 254)}"


# ---------------------------------------------------------------- time shapes
def ramp(t, t0, t1, v0, v1):
    if t <= t0:
        return v0
    if t >= t1:
        return v1
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


def step(t, t0, before, after, ramp_s=0):
    if ramp_s:
        return ramp(t, t0, t0 + ramp_s, before, after)
    return after if t >= t0 else before


def wave(t, period=7200.0, amp=0.08, phase=0.0):
    """Gentle multiplicative wobble (1 +/- amp)."""
    return 1.0 + amp * math.sin(2 * math.pi * (t / period) + phase)


def times(start=T_START, end=0, step_s=STEP):
    return list(range(start, end, step_s))


def series(rng: Rng, f, *, noise=0.06, absnoise=0.0, lo=0.0, hi=None, integer=False,
           nd=3, start=T_START, end=0, step_s=STEP, missing=None):
    """Points [[t, v]] with mean f(t); `integer` draws Poisson counts.
    `missing(t)` -> True drops the datapoint (no data)."""
    pts = []
    for t in times(start, end, step_s):
        if missing is not None and missing(t):
            continue
        m = f(t)
        if integer:
            v = float(rng.poisson(max(0.0, m)))
        else:
            v = m * (1.0 + rng.gauss(0, noise)) + (rng.gauss(0, absnoise) if absnoise else 0.0)
            v = round(v, nd)
        if lo is not None:
            v = max(lo, v)
        if hi is not None:
            v = min(hi, v)
        pts.append(Pair([t, v]))
    return pts


def metric(ns, name, dims, unit, points, region=None):
    m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
    if region:
        m["region"] = region
    m["points"] = points
    return m


# ---------------------------------------------------------------- metric bundles
def lambda_metrics(fn, inv, err, thr, dur, conc):
    d = {"FunctionName": fn}
    return [metric("AWS/Lambda", "Invocations", d, "Count", inv),
            metric("AWS/Lambda", "Errors", d, "Count", err),
            metric("AWS/Lambda", "Throttles", d, "Count", thr),
            metric("AWS/Lambda", "Duration", d, "Milliseconds", dur),
            metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)]


def alb_metrics(lb, req, trt, t5, e5, t4, healthy, unhealthy):
    d = {"LoadBalancer": lb}
    return [metric("AWS/ApplicationELB", "RequestCount", d, "Count", req),
            metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", trt),
            metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5),
            metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5),
            metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4),
            metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy),
            metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy)]


def ecs_metrics(cluster, service, cpu, mem):
    d = {"ClusterName": cluster, "ServiceName": service}
    return [metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu),
            metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem)]


def rds_metrics(db, cpu, conns, free_storage, read_lat, write_lat, freeable, extra=None):
    d = {"DBInstanceIdentifier": db}
    out = [metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu),
           metric("AWS/RDS", "DatabaseConnections", d, "Count", conns),
           metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_storage),
           metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat),
           metric("AWS/RDS", "WriteLatency", d, "Seconds", write_lat),
           metric("AWS/RDS", "FreeableMemory", d, "Bytes", freeable)]
    for name, unit, pts in (extra or []):
        out.append(metric("AWS/RDS", name, d, unit, pts))
    return out


def ec2_metrics(iid, cpu, netin, status, mem, disk, fstype="xfs", extra=None):
    d = {"InstanceId": iid}
    out = [metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu),
           metric("AWS/EC2", "NetworkIn", d, "Bytes", netin),
           metric("AWS/EC2", "StatusCheckFailed", d, "Count", status),
           metric("CWAgent", "mem_used_percent", d, "Percent", mem),
           metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": fstype},
                  "Percent", disk)]
    for ns, name, unit, pts in (extra or []):
        out.append(metric(ns, name, d, unit, pts))
    return out


def apigw_metrics(api, count, e4, e5, lat, ilat, stage=None):
    d = {"ApiName": api}
    if stage:
        d["Stage"] = stage
    return [metric("AWS/ApiGateway", "Count", d, "Count", count),
            metric("AWS/ApiGateway", "4XXError", d, "Count", e4),
            metric("AWS/ApiGateway", "5XXError", d, "Count", e5),
            metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lat),
            metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", ilat)]


# ---------------------------------------------------------------- alarms
_CMP = {"GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
        "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
        "LessThanThreshold": (lambda v, th: v < th, "less than"),
        "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to")}


def _aggregate(points, period, stat):
    buckets = {}
    for t, v in points:
        b = (int(t) // period) * period
        buckets.setdefault(b, []).append(v)
    out = []
    for b in sorted(buckets):
        vs = buckets[b]
        if stat == "Sum":
            a = sum(vs)
        elif stat == "Maximum":
            a = max(vs)
        elif stat == "Minimum":
            a = min(vs)
        else:
            a = sum(vs) / len(vs)
        out.append((b, a))
    return out


def alarm(name, ns, metric_name, dims, stat, period, evals, threshold, cmp, points,
          anchor, description=None, region=None):
    """Alarm whose state and state_changed are computed from the series itself."""
    test, words = _CMP[cmp]
    agg = _aggregate(points, period, stat)
    state, changed, run = "OK", None, []
    for b, a in agg:
        run = run + [(b, a)] if test(a, threshold) else []
        end = b + period
        if end > 0:
            break
        if len(run) >= evals and state != "ALARM":
            state, changed = "ALARM", end + 40
        elif not run and state == "ALARM":
            state, changed = "OK", end + 40
    if changed is None:
        changed = -172800
    changed = min(changed, -5)
    if state == "ALARM":
        last = [x for x in agg if x[0] + period <= 0][-evals:]
        dps = ", ".join(f"{round(a, 4)} ({fmt_cw(anchor, b)})" for b, a in reversed(last))
        reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoints [{dps}] were "
                  f"{words} the threshold ({float(threshold)}) (minimum {evals} datapoint"
                  f"{'s' if evals > 1 else ''} for OK -> ALARM transition).")
    else:
        last = [x for x in agg if x[0] + period <= 0][-1:]
        dps = ", ".join(f"{round(a, 4)} ({fmt_cw(anchor, b)})" for b, a in last)
        reason = (f"Threshold Crossed: 1 out of the last {evals} datapoints [{dps}] was not "
                  f"{words} the threshold ({float(threshold)}) (minimum 1 datapoint for "
                  f"ALARM -> OK transition).")
    a = {"name": name, "namespace": ns, "metric": metric_name, "dimensions": dict(dims),
         "statistic": stat, "period": period, "evaluation_periods": evals,
         "threshold": threshold, "comparison": cmp, "state": state,
         "state_reason": reason, "state_changed": changed}
    if description:
        a["description"] = description
    if region:
        a["region"] = region
    return a


def change(t, source, name, rtype, rname, user, region=None):
    c = {"time": t, "event_source": source, "event_name": name, "resource_type": rtype,
         "resource_name": rname, "username": user}
    if region:
        c["region"] = region
    return c


# ---------------------------------------------------------------- time text
def at(anchor: datetime, t: float) -> datetime:
    return anchor + timedelta(seconds=t)


def fmt_cw(anchor, t):
    return at(anchor, t).strftime("%d/%m/%y %H:%M:%S")


def iso_ms(anchor, t):
    return at(anchor, t).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def iso_us(anchor, t):
    return at(anchor, t).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def anchor_dt(y, mo, d, h, mi):
    return datetime(y, mo, d, h, mi, 0, tzinfo=timezone.utc)


# ---------------------------------------------------------------- log helpers
class Stream:
    def __init__(self, group, stream, region=None):
        self.group, self.stream, self.region = group, stream, region
        self.events = []

    def add(self, t, msg):
        self.events.append((float(t), msg))

    def to_dict(self):
        # events "after now" (END/REPORT of in-flight requests) have not happened yet
        ev = sorted((e for e in self.events if e[0] < 0), key=lambda e: e[0])
        d = {"group": self.group, "stream": self.stream}
        if self.region:
            d["region"] = self.region
        d["events"] = [Pair([round(t, 3), m]) for t, m in ev]
        return d


def lambda_stream_name(anchor, rng, version="$LATEST"):
    return f"{anchor.strftime('%Y/%m/%d')}/[{version}]{rng.hexs(32)}"


def lambda_invoke(st: Stream, t, rid, dur_ms, mem_size, mem_used, body=(), version="$LATEST",
                  init_ms=None, status=None, anchor=None, timeout_s=None):
    """START / body / END / REPORT.  `body` is [(offset_s, text)].  `status` adds the
    newer REPORT 'Status:' field (timeout / error); `timeout_s` writes the timeout line."""
    st.add(t, f"START RequestId: {rid} Version: {version}")
    for off, text in body:
        st.add(t + off, text)
    end = t + dur_ms / 1000.0
    if timeout_s is not None:
        st.add(end - 0.001, f"{iso_ms(anchor, end)} {rid} Task timed out after {timeout_s:.2f} seconds")
    st.add(end, f"END RequestId: {rid}")
    billed = int(math.ceil(dur_ms))
    rep = (f"REPORT RequestId: {rid}\tDuration: {dur_ms:.2f} ms\tBilled Duration: {billed} ms\t"
           f"Memory Size: {mem_size} MB\tMax Memory Used: {mem_used} MB")
    if init_ms:
        rep += f"\tInit Duration: {init_ms:.2f} ms"
    if status:
        rep += f"\tStatus: {status}"
    st.add(end + 0.001, rep)


def arrivals(rng: Rng, start, end, rate_fn):
    """Poisson arrival times with rate_fn(t) events per second."""
    out, t = [], float(start)
    while t < end:
        r = max(rate_fn(t), 1e-6)
        t += rng.expovariate(r)
        if t < end:
            out.append(t)
    return out


def scenario_doc(name, description, region, resources, metrics, logs, alarms, changes, expect):
    return {"format": "aiops-scenario/v1", "name": name, "description": description,
            "region": region, "resources": resources, "metrics": metrics,
            "logs": [s.to_dict() for s in logs], "alarms": alarms, "changes": changes,
            "expect": expect}


def expect(alarm_name, category, resources, anomalies):
    return {"alarm": alarm_name,
            "root_cause": {"category": category, "resource": list(resources)},
            "anomalies": [{"namespace": ns, "name": n, "dimensions": dict(d)} for ns, n, d in anomalies]}
