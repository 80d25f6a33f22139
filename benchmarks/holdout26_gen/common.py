"""Shared helpers for the holdout-26 scenario set ("bread-and-butter pages").

Everything is driven by a per-scenario ``random.Random(seed)`` so output is
byte-for-byte reproducible. Times are seconds relative to "now" (0), as in
the aiops-scenario/v1 format; text timestamps inside log lines are rendered
from a fixed wall-clock anchor per scenario.
"""
from __future__ import annotations

import datetime as _dt
import math
import random
import uuid

import yaml

HIST = 21600          # six hours of one-minute metric history
LOGWIN = 10800        # three hours of logs
STEP = 60
MINUTES = list(range(-HIST, 0, STEP))   # metric timestamps (start of each minute)


# --------------------------------------------------------------------------- noise
def gauss(rng, mu, sd, lo=None, hi=None):
    v = rng.gauss(mu, sd)
    if lo is not None:
        v = max(lo, v)
    if hi is not None:
        v = min(hi, v)
    return v


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam < 30:
        L, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= L:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


def ramp(t, t0, t1, v0, v1):
    """Linear ramp from v0 (at t<=t0) to v1 (at t>=t1)."""
    if t <= t0:
        return v0
    if t >= t1:
        return v1
    return v0 + (v1 - v0) * (t - t0) / float(t1 - t0)


def diurnal(t, amp, phase_h=0.0):
    """Smooth daily swing: 1 + amp*sin(...). phase_h shifts the peak."""
    return 1.0 + amp * math.sin(2 * math.pi * ((t / 3600.0) + phase_h) / 24.0)


# --------------------------------------------------------------------------- scenario
class Scenario:
    def __init__(self, slug, seed, region, description, anchor):
        """anchor: wall-clock 'now' used only for text timestamps inside logs."""
        self.slug = slug
        self.rng = random.Random(seed)
        self.region = region
        self.anchor = anchor
        self.resources, self.metrics, self.logs = [], [], []
        self.alarms, self.changes = [], []
        self.description = description
        self.expect = {}
        self.meta = {}

    # ---- ids and clocks
    def uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexid(self, n=32):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def wall(self, t):
        return self.anchor + _dt.timedelta(seconds=t)

    def iso(self, t, digits=3):
        w = self.wall(t)
        frac = ("%06d" % w.microsecond)[:digits]
        return w.strftime("%Y-%m-%dT%H:%M:%S.") + frac + "Z"

    def pgts(self, t):
        return self.wall(t).strftime("%Y-%m-%d %H:%M:%S UTC")

    def clf(self, t):
        return self.wall(t).strftime("%d/%b/%Y:%H:%M:%S +0000")

    def ngx_err_ts(self, t):
        return self.wall(t).strftime("%Y/%m/%d %H:%M:%S")

    def lambda_stream(self, t=-LOGWIN):
        return self.wall(t).strftime("%Y/%m/%d") + "/[$LATEST]" + self.hexid()

    # ---- builders
    def resource(self, rtype, rid, **props):
        r = {"type": rtype, "id": rid}
        if props:
            r["properties"] = props
        self.resources.append(r)

    def metric(self, ns, name, dims, unit, fn, nd=3, start=-HIST, end=-STEP):
        pts = []
        for t in range(start, end + 1, STEP):
            v = fn(t)
            if v is None:
                continue
            pts.append([t, round(float(v), nd)])
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims),
                             "unit": unit, "points": pts})

    def series(self, ns, name, dims, unit, values, nd=3):
        """values: dict minute->value (missing minutes = no data)."""
        pts = [[t, round(float(values[t]), nd)] for t in MINUTES if values.get(t) is not None]
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims),
                             "unit": unit, "points": pts})

    def log(self, group, stream, events):
        ev = sorted(((round(t, 3), m) for t, m in events if t <= 0.5), key=lambda e: e[0])
        if not ev:
            return
        self.logs.append({"group": group, "stream": stream, "events": [list(e) for e in ev]})

    def alarm(self, name, ns, metric, dims, statistic, period, evals, threshold, comparison,
              state, changed, description=None, datapoints=None):
        dp = datapoints or evals
        if state == "ALARM":
            ms = [m for m in self.metrics if m["namespace"] == ns and m["name"] == metric
                  and m["dimensions"] == dict(dims)]
            if ms:
                vals = {t: v for t, v in ms[0]["points"]}
                got = alarm_transition(vals, period, evals, threshold, comparison, statistic, dp)
                if got is None:
                    raise ValueError("%s: alarm %s is not in ALARM on its own data" % (self.slug, name))
                changed = got
        word = {"GreaterThanThreshold": "greater than", "LessThanThreshold": "less than",
                "GreaterThanOrEqualToThreshold": "greater than or equal to",
                "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        reason = ("Threshold Crossed: %d out of the last %d datapoints were %s the threshold (%s)."
                  % (dp, evals, word, float(threshold))) if dp != evals else \
                 ("Threshold Crossed: %d datapoints were %s the threshold (%s)."
                  % (dp, word, float(threshold)))
        if state == "OK":
            reason = ("Threshold Crossed: %d datapoints were not %s the threshold (%s)."
                      % (evals, word, float(threshold)))
        if state == "INSUFFICIENT_DATA":
            reason = "Insufficient Data: %d datapoints were unknown." % evals
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
             "statistic": statistic, "period": period, "evaluation_periods": evals,
             "threshold": threshold, "comparison": comparison, "state": state,
             "state_reason": reason, "state_changed": changed}
        if description:
            a["description"] = description
        self.alarms.append(a)

    def change(self, t, source, event, rtype, rname, user, region=None):
        c = {"time": t, "event_source": source, "event_name": event,
             "resource_type": rtype, "resource_name": rname, "username": user}
        if region:
            c["region"] = region
        self.changes.append(c)

    def to_dict(self):
        return {"format": "aiops-scenario/v1", "name": self.slug,
                "description": self.description, "region": self.region,
                "resources": self.resources, "metrics": self.metrics, "logs": self.logs,
                "alarms": self.alarms,
                "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self.expect}


# --------------------------------------------------------------------------- metric packs
def lambda_metrics(sc, fn, inv, err, thr, dur, conc):
    """inv/err/thr/dur/conc: dicts minute -> value (dur in ms, average)."""
    d = {"FunctionName": fn}
    sc.series("AWS/Lambda", "Invocations", d, "Count", inv, 1)
    sc.series("AWS/Lambda", "Errors", d, "Count", err, 1)
    sc.series("AWS/Lambda", "Throttles", d, "Count", thr, 1)
    sc.series("AWS/Lambda", "Duration", d, "Milliseconds", dur)
    sc.series("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, 1)


def simple_lambda_model(rng, rate_fn, dur_fn, err_fn=lambda t, n: 0, minutes=MINUTES):
    """Convenience: returns inv, err, thr, dur, conc dicts for an unremarkable function."""
    inv, err, thr, dur, conc = {}, {}, {}, {}, {}
    for t in minutes:
        n = poisson(rng, rate_fn(t))
        d = max(1.0, dur_fn(t))
        inv[t] = n
        err[t] = min(n, err_fn(t, n))
        thr[t] = 0
        dur[t] = d if n else None
        conc[t] = max(1 if n else 0, round(n * d / 60000.0 + rng.random() * 0.8))
    return inv, err, thr, dur, conc


def ec2_metrics(sc, iid, cpu_fn, mem_fn, disk_fn, net_fn, status_fn=lambda t: 0,
                sys_fn=None, missing=lambda t: False):
    d = {"InstanceId": iid}
    wrap = lambda f: (lambda t: None if missing(t) else f(t))
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", wrap(cpu_fn))
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", wrap(net_fn), 0)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", status_fn, 0)
    if sys_fn is not None:
        sc.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", sys_fn, 0)
        sc.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", lambda t: 0, 0)
    sc.metric("CWAgent", "mem_used_percent", d, "Percent", wrap(mem_fn))
    sc.metric("CWAgent", "disk_used_percent", dict(d, path="/", fstype="xfs"), "Percent",
              wrap(disk_fn))


def rds_metrics(sc, db, cpu, conns, free_gb, rlat, wlat, freemem_gb, riops, wiops,
                missing=lambda t: False):
    d = {"DBInstanceIdentifier": db}
    w = lambda f: (lambda t: None if missing(t) else f(t))
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", w(cpu))
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", w(conns), 0)
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", w(lambda t: free_gb(t) * 1e9), 0)
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", w(rlat), 5)
    sc.metric("AWS/RDS", "WriteLatency", d, "Seconds", w(wlat), 5)
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes", w(lambda t: freemem_gb(t) * 1e9), 0)
    sc.metric("AWS/RDS", "ReadIOPS", d, "Count/Second", w(riops), 1)
    sc.metric("AWS/RDS", "WriteIOPS", d, "Count/Second", w(wiops), 1)


def alb_metrics(sc, lb, req, t5xx, e5xx, rt, healthy, unhealthy, t4xx=None):
    d = {"LoadBalancer": lb}
    sc.series("AWS/ApplicationELB", "RequestCount", d, "Count", req, 0)
    sc.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx, 0)
    sc.series("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx, 0)
    if t4xx is not None:
        sc.series("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4xx, 0)
    sc.series("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, 4)
    sc.series("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, 0)
    sc.series("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, 0)


def apigw_metrics(sc, api, count, e4, e5, lat, ilat):
    d = {"ApiName": api}
    sc.series("AWS/ApiGateway", "Count", d, "Count", count, 0)
    sc.series("AWS/ApiGateway", "4XXError", d, "Count", e4, 0)
    sc.series("AWS/ApiGateway", "5XXError", d, "Count", e5, 0)
    sc.series("AWS/ApiGateway", "Latency", d, "Milliseconds", lat)
    sc.series("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", ilat)


def ecs_metrics(sc, cluster, service, cpu_fn, mem_fn, stat_fn=None):
    d = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu_fn)
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem_fn)


# --------------------------------------------------------------------------- output
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


def dump(data, path):
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh, Dumper=_Dumper, default_flow_style=None, sort_keys=False,
                  allow_unicode=True, width=100000)


def alarm_transition(values, period, evals, threshold, comparison, stat="Sum", datapoints=None):
    """Time (relative s) at which an alarm on `values` (minute->value) last went OK->ALARM,
    evaluated at the end of each aligned period window; None if never/not in ALARM now."""
    dp = datapoints or evals
    ops = {"GreaterThanThreshold": lambda v: v > threshold, "LessThanThreshold": lambda v: v < threshold,
           "GreaterThanOrEqualToThreshold": lambda v: v >= threshold,
           "LessThanOrEqualToThreshold": lambda v: v <= threshold}
    agg = {"Sum": sum, "Maximum": max, "Minimum": min, "Average": lambda x: sum(x) / len(x)}[stat]
    wins = []
    for ws in range(-HIST, 0, period):
        vals = [values[t] for t in range(ws, ws + period, STEP) if values.get(t) is not None]
        if ws + period > 0:
            break
        wins.append((ws + period, ops[comparison](agg(vals)) if vals else False))
    state, changed = False, None
    for i in range(len(wins)):
        last = [b for _, b in wins[max(0, i - evals + 1): i + 1]]
        now = sum(last) >= dp
        if now and not state:
            changed = wins[i][0] + 40
        state = now
    return changed if state else None
