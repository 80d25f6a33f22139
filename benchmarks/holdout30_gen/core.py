"""Scenario container, time helpers, alarm evaluation and YAML output for holdout set 30."""
from __future__ import annotations

import datetime as _dt
import math
import random
import uuid
from pathlib import Path

import yaml

STEP = 60
START = -21600                      # six hours of one-minute metrics
GRID = list(range(START, 0, STEP))  # -21600 .. -60


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # no &id001 anchors: every dict is written out
        return True


def sig(t, t0, width=90.0):
    """Smooth 0 -> 1 step centred on t0."""
    x = (t - t0) / max(width, 1e-6)
    if x > 40:
        return 1.0
    if x < -40:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def ramp(t, t0, t1):
    """0 before t0, 1 after t1, linear in between."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    return (t - t0) / float(t1 - t0)


def diurnal(t, amp=0.12, phase=0.0):
    """Gentle daily wave; over six hours it is a slow trend."""
    return 1.0 + amp * math.sin(2 * math.pi * (t + phase) / 86400.0)


_CMP_WORDS = {
    "GreaterThanThreshold": "greater than",
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}


def _breach(v, thr, cmp):
    return {"GreaterThanThreshold": v > thr, "GreaterThanOrEqualToThreshold": v >= thr,
            "LessThanThreshold": v < thr, "LessThanOrEqualToThreshold": v <= thr}[cmp]


class Scenario:
    def __init__(self, num, slug, region, description, seed, now):
        self.num = num
        self.slug = slug
        self.name = f"h30-{num:02d}-{slug}"
        self.region = region
        self.description = description
        self.rng = random.Random(seed)
        self.now = now  # fictitious wall clock for timestamps printed inside log lines
        self.resources, self.metrics, self.logs, self.alarms, self.changes = [], [], [], [], []
        self.expect_block = None
        self.meta = {}

    # ---- time / ids -------------------------------------------------------------------
    def dt(self, t):
        return self.now + _dt.timedelta(seconds=t)

    def iso(self, t, ms=True):
        d = self.dt(t)
        if ms:
            return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"
        return d.strftime("%Y-%m-%dT%H:%M:%SZ")

    def epoch_ms(self, t):
        return int(self.dt(t).timestamp() * 1000)

    def uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexid(self, n=32):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def ip(self, prefix="10.0"):
        return f"{prefix}.{self.rng.randint(1, 30)}.{self.rng.randint(4, 250)}"

    # ---- series -----------------------------------------------------------------------
    def values(self, fn, noise=0.0, rel=0.0, lo=0.0, hi=None, nd=3, integer=False):
        """Evaluate fn over GRID with additive (noise) and relative (rel) gaussian noise."""
        out = []
        for t in GRID:
            v = fn(t)
            if v is None:
                out.append(None)
                continue
            v = v * (1.0 + self.rng.gauss(0, rel)) + self.rng.gauss(0, noise)
            if lo is not None:
                v = max(lo, v)
            if hi is not None:
                v = min(hi, v)
            out.append(float(int(round(v)) if integer else round(v, nd)))
        return out

    def counts(self, rate_fn):
        """Poisson per-minute counts with mean rate_fn(t)."""
        return [float(self.poisson(max(0.0, rate_fn(t)))) for t in GRID]

    def poisson(self, lam):
        if lam <= 0:
            return 0
        if lam > 60:
            return max(0, int(round(self.rng.gauss(lam, math.sqrt(lam)))))
        k, p, L = 0, 1.0, math.exp(-lam)
        while True:
            p *= self.rng.random()
            if p <= L:
                return k
            k += 1

    # ---- registration -----------------------------------------------------------------
    def resource(self, rtype, rid, region=None, **props):
        r = {"type": rtype, "id": rid}
        if region:
            r["region"] = region
        if props:
            r["properties"] = props
        self.resources.append(r)
        return r

    def metric(self, ns, name, dims, unit, vals, region=None):
        pts = [[t, v] for t, v in zip(GRID, vals) if v is not None]
        m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            m["region"] = region
        m["points"] = pts
        self.metrics.append(m)
        return vals

    def log(self, group, stream, events, region=None):
        evs = sorted(((round(float(t), 3), str(msg)) for t, msg in events if t < -0.2), key=lambda e: e[0])
        if not evs:
            return
        entry = {"group": group, "stream": stream}
        if region:
            entry["region"] = region
        entry["events"] = [[t, m] for t, m in evs]
        self.logs.append(entry)

    def change(self, t, source, name, rtype, rname, user, region=None):
        c = {"time": int(t), "event_source": source, "event_name": name, "resource_type": rtype,
             "resource_name": rname, "username": user}
        if region:
            c["region"] = region
        self.changes.append(c)

    def find_metric(self, ns, name, dims, region=None):
        for m in self.metrics:
            if m["namespace"] == ns and m["name"] == name and m["dimensions"] == dims and m.get("region") == region:
                return m
        raise KeyError((ns, name, dims))

    def alarm(self, name, ns, metric, dims, stat, period, n, thr, cmp, desc=None, m=None, region=None,
              expect_state=None):
        """Evaluate the alarm over the metric's data so state, reason and state_changed agree with it."""
        m = m or n
        series = self.find_metric(ns, metric, dims, region)["points"]
        buckets = {}
        for t, v in series:
            buckets.setdefault(int(math.floor(t / period) * period), []).append(v)
        starts = sorted(b for b in buckets if b + period <= 0)
        aggs = []
        for b in starts:
            vs = buckets[b]
            agg = {"Sum": sum(vs), "Average": sum(vs) / len(vs), "Maximum": max(vs), "Minimum": min(vs),
                   "SampleCount": float(len(vs))}[stat]
            aggs.append((b, agg))
        state, changed, reason_pts = "INSUFFICIENT_DATA", starts[0] if starts else -3600, []
        for i in range(len(aggs)):
            window = aggs[max(0, i - n + 1):i + 1]
            if len(window) < n:
                continue
            nb = sum(1 for _, v in window if _breach(v, thr, cmp))
            new = "ALARM" if nb >= m else "OK"
            if new != state:
                state, changed = new, window[-1][0] + period
                reason_pts = window
        if expect_state and state != expect_state:
            raise AssertionError(f"{self.name}: alarm {name} evaluates to {state}, expected {expect_state}")
        pts = ", ".join(f"{round(v, 3)} ({self.dt(b).strftime('%d/%m/%y %H:%M:%S')})" for b, v in reversed(reason_pts))
        word = _CMP_WORDS[cmp]
        if state == "ALARM" and n == 1:
            reason = f"Threshold Crossed: 1 datapoint [{pts}] was {word} the threshold ({float(thr)})."
        elif state == "ALARM":
            reason = (f"Threshold Crossed: {m} out of the last {n} datapoints [{pts}] were {word} the threshold "
                      f"({float(thr)}) (minimum {m} datapoints for OK -> ALARM transition).")
        else:
            k = sum(1 for _, v in reason_pts if not _breach(v, thr, cmp))
            need = n - m + 1
            reason = (f"Threshold Crossed: {k} out of the last {n} datapoints [{pts}] "
                      f"{'was' if k == 1 else 'were'} not {word} the threshold ({float(thr)}) "
                      f"(minimum {need} datapoint{'s' if need > 1 else ''} for ALARM -> OK transition).")
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims), "statistic": stat,
             "period": period, "evaluation_periods": n, "threshold": thr, "comparison": cmp, "state": state,
             "state_reason": reason, "state_changed": int(changed)}
        if m != n:
            a["datapoints_to_alarm"] = m
        if desc:
            a["description"] = desc
        if region:
            a["region"] = region
        self.alarms.append(a)
        return a

    def expect(self, alarm, category, resources, anomalies):
        self.expect_block = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                             "anomalies": [{"namespace": a[0], "name": a[1], "dimensions": dict(a[2])} for a in anomalies]}

    # ---- output -----------------------------------------------------------------------
    def to_dict(self):
        return {"format": "aiops-scenario/v1", "name": self.name, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics, "logs": self.logs,
                "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self.expect_block}

    def write(self, outdir: Path) -> Path:
        path = outdir / f"{self.name}.yaml"
        with path.open("w", encoding="utf-8") as fh:
            yaml.dump(self.to_dict(), fh, Dumper=_Dumper, default_flow_style=None, sort_keys=False,
                      allow_unicode=True, width=4096)
        return path
