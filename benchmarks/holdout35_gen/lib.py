"""Shared helpers for the holdout35 scenario generators (stdlib + pyyaml only).

Times are seconds relative to "now" (0). Each scenario also has a nominal wall-clock "now" so that
timestamps embedded in log text (Spring, Rails, Postgres, nginx...) are internally consistent.
"""
import datetime as dt
import math
import os
import random
import uuid

import yaml

FORMAT = "aiops-scenario/v1"
ACCOUNT = "381492650173"


class Flow(list):
    """A list dumped in YAML flow style ([t, v] points and [t, text] log events)."""


_Base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Dumper(_Base):
    pass


def _flow(dumper, value):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(value), flow_style=True)


Dumper.add_representer(Flow, _flow)


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


def smoothstep(x):
    x = clamp(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


class Scenario:
    def __init__(self, slug, region, description, seed, now, window_h=6, tz_offset_h=0):
        self.slug = slug
        self.region = region
        self.description = description
        self.rng = random.Random(seed)
        self.now = now  # aware datetime, UTC
        self.start = -int(window_h * 3600)
        self.tz = tz_offset_h
        self.resources, self.metrics, self.logs = [], [], []
        self.alarms, self.changes = [], []
        self.expect = {}

    # ---- time helpers -------------------------------------------------------------------------
    def at(self, t):
        return self.now + dt.timedelta(seconds=t)

    def iso(self, t, digits=3):
        d = self.at(t)
        frac = f"{d.microsecond:06d}"[:digits]
        return d.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if digits else "") + "Z"

    def stamp(self, t, fmt):
        return self.at(t).strftime(fmt)

    def ms(self, t):
        return int(round(self.at(t).timestamp() * 1000))

    def local_hour(self, t):
        d = self.at(t) + dt.timedelta(hours=self.tz)
        return d.hour + d.minute / 60.0 + d.second / 3600.0

    def diurnal(self, t, low=0.35, peak=14.0):
        """Daily traffic shape: `low` at peak-12h, 1.0 at `peak` (local time)."""
        h = self.local_hour(t)
        c = math.cos((h - peak) / 24.0 * 2 * math.pi)
        return low + (1 - low) * (c + 1) / 2

    # ---- random helpers -----------------------------------------------------------------------
    def g(self, mu, sd):
        return self.rng.gauss(mu, sd)

    def pois(self, lam):
        lam = max(lam, 0.0)
        if lam > 40:
            return max(0, int(round(self.rng.gauss(lam, math.sqrt(lam)))))
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexid(self, n=32):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def alnum(self, n, chars="ABCDEFGHJKLMNPQRSTUVWXYZ23456789"):
        return "".join(self.rng.choice(chars) for _ in range(n))

    def ip(self, prefix="10.0"):
        return f"{prefix}.{self.rng.randint(1, 9)}.{self.rng.randint(2, 250)}"

    def pick(self, seq, weights=None):
        if weights:
            return self.rng.choices(seq, weights=weights, k=1)[0]
        return self.rng.choice(seq)

    def times(self, rate_fn, start=None, end=-1.0, step=60):
        """Poisson event times: rate_fn(t) = expected events per minute."""
        out = []
        t0 = self.start if start is None else start
        t = t0
        while t < end:
            n = self.pois(rate_fn(t))
            for _ in range(n):
                x = t + self.rng.random() * step
                if x < end:
                    out.append(x)
            t += step
        out.sort()
        return out

    # ---- content ------------------------------------------------------------------------------
    def resource(self, rtype, rid, region=None, **props):
        r = {"type": rtype, "id": rid}
        if region:
            r["region"] = region
        if props:
            r["properties"] = props
        self.resources.append(r)

    def metric(self, ns, name, dims, unit, fn, step=60, start=None, end=-60, region=None, nd=3):
        t0 = self.start if start is None else start
        t0 = t0 - (t0 % step) if t0 % step else t0
        pts = []
        t = t0
        while t <= end:
            v = fn(t)
            if v is not None:
                pts.append(Flow([t, round(float(v), nd)]))
            t += step
        m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            m["region"] = region
        m["points"] = pts
        self.metrics.append(m)

    def log(self, group, stream, events, region=None):
        evs = sorted(((round(min(t, -0.05), 3), txt) for t, txt in events), key=lambda e: e[0])
        entry = {"group": group, "stream": stream}
        if region:
            entry["region"] = region
        entry["events"] = [Flow([t, txt]) for t, txt in evs]
        self.logs.append(entry)

    def alarm(self, name, ns, metric, dims, statistic, period, evals, threshold, comparison,
              state, reason, changed, description=None, region=None):
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
             "statistic": statistic, "period": period, "evaluation_periods": evals,
             "threshold": threshold, "comparison": comparison, "state": state,
             "state_reason": reason, "state_changed": changed}
        if description:
            a["description"] = description
        if region:
            a["region"] = region
        self.alarms.append(a)

    def change(self, t, source, name, rtype, rname, user, region=None):
        c = {"time": t, "event_source": source, "event_name": name, "resource_type": rtype,
             "resource_name": rname, "username": user}
        if region:
            c["region"] = region
        self.changes.append(c)

    def build(self):
        return {"format": FORMAT, "name": self.slug, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms,
                "changes": sorted(self.changes, key=lambda c: c["time"]), "expect": self.expect}

    def write(self, directory, filename):
        path = os.path.join(directory, filename)
        with open(path, "w") as fh:
            yaml.dump(self.build(), fh, Dumper=Dumper, sort_keys=False, width=100000,
                      allow_unicode=True, default_flow_style=False)
        return path


# ---- Lambda runtime log lines -----------------------------------------------------------------
class LambdaLog:
    """Builds START / body / END / REPORT blocks in the real runtime formats."""

    def __init__(self, scn, memory_mb, runtime="python", version="$LATEST"):
        self.s, self.mem, self.rt, self.version = scn, memory_mb, runtime, version

    def line(self, t, rid, level, msg):
        s = self.s
        if self.rt == "python":
            return (t, f"[{level.upper()}]\t{s.iso(t)}\t{rid}\t{msg}")
        if self.rt == "node":
            return (t, f"{s.iso(t)}\t{rid}\t{level.upper()}\t{msg}")
        lvl = {"info": "info", "warn": "warn", "warning": "warn", "error": "fail"}.get(level.lower(), level)
        return (t, f"{s.iso(t)}\t{rid}\t{lvl}\t{msg}")  # dotnet

    def invoke(self, t, duration_ms, max_mem, body=(), rid=None, init_ms=None, status=None,
               version=None, after_end=()):
        """body: list of (offset_seconds, level, message). Returns (rid, events)."""
        rid = rid or self.s.uid()
        ver = version or self.version
        ev = [(t, f"START RequestId: {rid} Version: {ver}")]
        for off, level, msg in body:
            ev.append(self.line(t + off, rid, level, msg))
        end = t + duration_ms / 1000.0
        ev.extend((end - 0.0005, x) for x in after_end)
        ev.append((end, f"END RequestId: {rid}"))
        rep = (f"REPORT RequestId: {rid}\tDuration: {duration_ms:.2f} ms\tBilled Duration: "
               f"{int(math.ceil(duration_ms))} ms\tMemory Size: {self.mem} MB\tMax Memory Used: {int(max_mem)} MB")
        if init_ms:
            rep += f"\tInit Duration: {init_ms:.2f} ms"
        if status:
            rep += f"\t{status}"
        ev.append((end + 0.001, rep))
        return rid, ev


def stream_name(scn, t, version="$LATEST"):
    return f"{scn.stamp(t, '%Y/%m/%d')}/[{version}]{scn.hexid(32)}"


def lambda_metrics(scn, fn, inv, err, thr, dur, conc, region=None):
    dims = {"FunctionName": fn}
    scn.metric("AWS/Lambda", "Invocations", dims, "Count", inv, region=region, nd=0)
    scn.metric("AWS/Lambda", "Errors", dims, "Count", err, region=region, nd=0)
    scn.metric("AWS/Lambda", "Throttles", dims, "Count", thr, region=region, nd=0)
    scn.metric("AWS/Lambda", "Duration", dims, "Milliseconds", dur, region=region, nd=2)
    scn.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", conc, region=region, nd=0)


def alb_dims(alb_id):
    return {"LoadBalancer": alb_id}


def ecs_dims(cluster, service):
    return {"ClusterName": cluster, "ServiceName": service}


def rds_dims(db):
    return {"DBInstanceIdentifier": db}


GIB = 1024 ** 3


def first_breach(series, period, evals, threshold, cmp=">", stat="Sum", after=None):
    """First time (relative s, end of the period) at which `evals` consecutive aligned periods breach.
    series: {minute_t: value}. Returns None if never."""
    buckets = {}
    for t, v in series.items():
        if v is None:
            continue
        buckets.setdefault(int(t // period), []).append(v)
    keys = sorted(buckets)
    ops = {">": lambda a: a > threshold, ">=": lambda a: a >= threshold,
           "<": lambda a: a < threshold, "<=": lambda a: a <= threshold}
    run = 0
    for k in keys:
        vals = buckets[k]
        agg = {"Sum": sum(vals), "Average": sum(vals) / len(vals), "Maximum": max(vals),
               "Minimum": min(vals)}[stat]
        run = run + 1 if ops[cmp](agg) else 0
        end = (k + 1) * period
        if run >= evals and (after is None or end > after):
            return end
    return None
