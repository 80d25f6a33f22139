"""Core helpers for the holdout34 scenario set: time axis, noise, series, alarms, YAML output."""
from __future__ import annotations

import datetime as _dt
import json
import math
import random
import uuid

STEP = 60
M_START = -21600                      # six hours of one-minute metrics
TS = list(range(M_START, 0, STEP))    # -21600 .. -60


# ---------------------------------------------------------------- shapes (pure functions of t)
def ramp(t, t0, t1):
    """0 before t0, linear to 1 at t1, 1 after."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    return (t - t0) / float(t1 - t0)


def win(t, t0, t1=0):
    return 1.0 if t0 <= t < t1 else 0.0


def diurnal(t, amp, phase=0.0, period=86400.0):
    return 1.0 + amp * math.sin(2 * math.pi * (t + phase) / period)


def fmt_num(v):
    s = f"{float(v):.6f}".rstrip("0")
    return s + "0" if s.endswith(".") else s


class Scenario:
    """One scenario under construction."""

    def __init__(self, num, slug, region, description, seed, anchor):
        self.num = num
        self.slug = slug
        self.region = region
        self.description = description
        self.rng = random.Random(seed)
        self.anchor = anchor           # fictional wall clock of "now" for text timestamps
        self.resources, self.metrics, self.logs = [], [], []
        self.alarms, self.changes = [], []
        self.expect = None
        self.info = {}                 # README material

    # ---------------------------------------------------------------- randomness
    def n(self, mu, sd):
        return self.rng.gauss(mu, sd)

    def p(self, lam):
        """Poisson sample."""
        if lam <= 0:
            return 0
        if lam > 40:
            return max(0, int(round(self.rng.gauss(lam, math.sqrt(lam)))))
        L, k, prod = math.exp(-lam), 0, 1.0
        while True:
            prod *= self.rng.random()
            if prod <= L:
                return k
            k += 1

    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexid(self, n=32):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def pick(self, seq):
        return self.rng.choice(seq)

    def ip(self, prefix="10.0"):
        return f"{prefix}.{self.rng.randint(1, 60)}.{self.rng.randint(2, 250)}"

    # ---------------------------------------------------------------- clock
    def wall(self, t):
        return self.anchor + _dt.timedelta(seconds=t)

    def iso(self, t):
        return self.wall(t).strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.wall(t).microsecond // 1000:03d}Z"

    def day(self):
        return self.anchor.strftime("%Y/%m/%d")

    # ---------------------------------------------------------------- builders
    def series(self, fn, lo=0.0, hi=None, integer=False, nd=3):
        out = []
        for t in TS:
            v = fn(t)
            if v is None:
                out.append(None)
                continue
            v = max(lo, v) if lo is not None else v
            if hi is not None:
                v = min(hi, v)
            out.append(float(int(round(v))) if integer else round(v, nd))
        return out

    def res(self, rtype, rid, region=None, **props):
        r = {"type": rtype, "id": rid}
        if region:
            r["region"] = region
        if props:
            r["properties"] = props
        self.resources.append(r)
        return r

    def metric(self, ns, name, dims, unit, values, region=None):
        assert len(values) == len(TS)
        m = {"namespace": ns, "name": name, "dimensions": dims, "unit": unit,
             "points": [(t, v) for t, v in zip(TS, values) if v is not None]}
        if region:
            m["region"] = region
        self.metrics.append(m)
        return values

    def log(self, group, stream, events, region=None):
        ev = sorted(((round(t, 3), line) for t, line in events if t < -0.5), key=lambda e: e[0])
        g = {"group": group, "stream": stream, "events": ev}
        if region:
            g["region"] = region
        self.logs.append(g)

    def change(self, t, source, name, rtype, rname, user, region=None):
        c = {"time": int(t), "event_source": source, "event_name": name,
             "resource_type": rtype, "resource_name": rname, "username": user}
        if region:
            c["region"] = region
        self.changes.append(c)

    def find_metric(self, ns, name, dims):
        for m in self.metrics:
            if m["namespace"] == ns and m["name"] == name and m["dimensions"] == dims:
                return m
        raise KeyError((ns, name, dims))

    # ---------------------------------------------------------------- alarms
    def _periods(self, m, stat, period):
        pts = dict(m["points"])
        out = []
        for start in range(M_START, 0, period):
            vals = [pts[t] for t in range(start, start + period, STEP) if t in pts]
            if not vals:
                out.append((start, None))
            elif stat == "Sum":
                out.append((start, sum(vals)))
            elif stat == "Average":
                out.append((start, sum(vals) / len(vals)))
            elif stat == "Maximum":
                out.append((start, max(vals)))
            elif stat == "Minimum":
                out.append((start, min(vals)))
            else:
                raise ValueError(stat)
        return out

    def alarm(self, name, ns, metric, dims, stat, period, evals, threshold, cmp, description,
              expect_state="ALARM", region=None):
        """Add an alarm whose state and reason are simulated from the metric itself."""
        m = self.find_metric(ns, metric, dims)
        ops = {"GreaterThanThreshold": lambda v: v > threshold,
               "GreaterThanOrEqualToThreshold": lambda v: v >= threshold,
               "LessThanThreshold": lambda v: v < threshold,
               "LessThanOrEqualToThreshold": lambda v: v <= threshold}
        breach = ops[cmp]
        per = self._periods(m, stat, period)
        state, changed, flips = "OK", M_START + period * evals, 0
        reason_pts = [w for w in per[-evals:]]
        for k in range(evals - 1, len(per)):
            window = per[k - evals + 1:k + 1]
            vals = [v for _, v in window if v is not None]
            if len(vals) < evals:
                continue
            hit = all(breach(v) for v in vals)
            new = "ALARM" if hit else "OK"
            if new != state:
                state = new
                flips += 1
                changed = per[k][0] + period + 40 + self.rng.randint(0, 30)
                reason_pts = window
        if flips > 1:
            print(f"  note: {self.slug}: alarm {name} changed state {flips} times")
        if state != expect_state:
            raise AssertionError(f"{self.slug}: alarm {name} simulated {state}, wanted {expect_state}")
        words = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to",
                 "LessThanThreshold": "less than", "LessThanOrEqualToThreshold": "less than or equal to"}[cmp]
        shown = ", ".join(f"{fmt_num(round(v, 3))} ({self.wall(t).strftime('%d/%m/%y %H:%M:%S')})"
                          for t, v in reversed(reason_pts))
        if state == "ALARM":
            reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoints [{shown}] were {words} "
                      f"the threshold ({fmt_num(threshold)}) (minimum {evals} datapoints for OK -> ALARM transition).")
        else:
            reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoints [{shown}] were not {words} "
                      f"the threshold ({fmt_num(threshold)}) (minimum {evals} datapoints for ALARM -> OK transition).")
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dims, "statistic": stat,
             "period": period, "evaluation_periods": evals, "threshold": threshold, "comparison": cmp,
             "state": state, "state_reason": reason, "state_changed": int(min(changed, -30)),
             "description": description}
        if region:
            a["region"] = region
        self.alarms.append(a)
        return a

    def expect_(self, alarm, category, resources, anomalies):
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": anomalies}

    # ---------------------------------------------------------------- output
    def to_yaml(self):
        import yaml

        class _NoAlias(yaml.SafeDumper):
            def ignore_aliases(self, data):
                return True
        head = {"format": "aiops-scenario/v1", "name": f"h34-{self.num:02d}-{self.slug}",
                "description": self.description, "region": self.region, "resources": self.resources}
        out = [yaml.dump(head, Dumper=_NoAlias, sort_keys=False, width=1000, allow_unicode=False)]
        out.append("metrics:\n")
        for m in self.metrics:
            out.append(f"- namespace: {m['namespace']}\n  name: {m['name']}\n"
                       f"  dimensions: {json.dumps(m['dimensions'])}\n  unit: {m['unit']}\n")
            if "region" in m:
                out.append(f"  region: {m['region']}\n")
            out.append("  points:\n")
            out.append("".join(f"  - [{t}, {fmt_num(v)}]\n" for t, v in m["points"]))
        out.append("logs:\n")
        for g in self.logs:
            out.append(f"- group: {json.dumps(g['group'])}\n  stream: {json.dumps(g['stream'])}\n")
            if "region" in g:
                out.append(f"  region: {g['region']}\n")
            out.append("  events:\n" if g["events"] else "  events: []\n")
            out.append("".join(f"  - [{t:.3f}, {json.dumps(line)}]\n" for t, line in g["events"]))
        tail = {"alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self.expect}
        out.append(yaml.dump(tail, Dumper=_NoAlias, sort_keys=False, width=1000, allow_unicode=False))
        return "".join(out)
