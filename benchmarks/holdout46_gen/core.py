"""Shared scaffolding for the holdout46 scenario set (standard library + pyyaml only).

A ``Scenario`` collects resources, metric series, log streams, alarms and CloudTrail changes, all
with times in seconds relative to "now" (the moment the file is loaded). Text timestamps inside log
lines are rendered from a fixed wall-clock ``now`` chosen per scenario, so files are deterministic.
"""
from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections import defaultdict

import yaml

UTC = dt.timezone.utc
# Rough local offsets, only used to shape the daily traffic curve.
TZ_OFFSET_H = {"us-east-1": -5, "us-west-2": -8, "eu-west-1": 0, "ap-southeast-2": 11}
ACCOUNT = "418295730164"

_CMP_WORD = {
    "GreaterThanThreshold": "greater than",
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}


def _agg(stat, vals):
    if stat == "Sum":
        return sum(vals)
    if stat == "Average":
        return sum(vals) / len(vals)
    if stat == "Maximum":
        return max(vals)
    if stat == "Minimum":
        return min(vals)
    if stat == "SampleCount":
        return float(len(vals))
    raise ValueError(stat)


def _breach(v, thr, cmp):
    return {"GreaterThanThreshold": v > thr, "GreaterThanOrEqualToThreshold": v >= thr,
            "LessThanThreshold": v < thr, "LessThanOrEqualToThreshold": v <= thr}[cmp]


class Scenario:
    def __init__(self, num, slug, region, now, seed, description, hist=21600, log_start=-10800):
        self.num, self.slug, self.region = num, slug, region
        self.name = f"h46-{num:02d}-{slug}"
        self.now = now
        self.rng = random.Random(seed)
        self.description = description
        self.hist = hist
        self.log_start = log_start
        self.resources, self.metrics, self.logs, self.alarms, self.changes = [], [], [], [], []
        self._index = {}
        self.readme = {}

    # ------------------------------------------------------------------ time
    def minutes(self, step=60):
        return range(-self.hist, 0, step)

    def at(self, t):
        return self.now + dt.timedelta(seconds=t)

    def iso(self, t, digits=3, z="Z", sep="T"):
        d = self.at(t)
        frac = f"{d.microsecond / 1e6:.{digits}f}"[1:] if digits else ""
        return d.strftime(f"%Y-%m-%d{sep}%H:%M:%S") + frac + z

    def stamp(self, t, fmt):
        return self.at(t).strftime(fmt)

    def epoch_ms(self, t):
        return int(self.at(t).timestamp() * 1000)

    def local_hour(self, t):
        d = self.at(t) + dt.timedelta(hours=TZ_OFFSET_H[self.region])
        return d.hour + d.minute / 60.0

    def diurnal(self, t, lo=0.45, peak=14.5):
        """Traffic multiplier in [lo, 1], peaking at ``peak`` local time."""
        x = math.cos((self.local_hour(t) - peak) / 24.0 * 2 * math.pi)
        return lo + (1 - lo) * (x + 1) / 2

    # ---------------------------------------------------------------- random
    def pois(self, lam):
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, int(round(self.rng.gauss(lam, math.sqrt(lam)))))
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def jit(self, v, rel=0.05):
        return v * (1 + self.rng.gauss(0, rel))

    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexs(self, n):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def ip(self, prefix="10.0"):
        return f"{prefix}.{self.rng.randint(1, 254)}.{self.rng.randint(2, 254)}" if prefix.count(".") == 1 \
            else f"{prefix}.{self.rng.randint(2, 254)}"

    def pick(self, seq):
        return self.rng.choice(seq)

    def spread(self, m, n):
        """n sorted random instants inside the minute starting at m."""
        return sorted(m + self.rng.random() * 59.9 for _ in range(n))

    # ---------------------------------------------------------------- adders
    def resource(self, rtype, rid, **props):
        r = {"type": rtype, "id": rid}
        if props:
            r["properties"] = props
        self.resources.append(r)

    def metric(self, ns, name, dims, unit, points):
        pts = [[int(t), round(float(v), 3)] for t, v in points if v is not None]
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit, "points": pts})
        self._index[(ns, name, tuple(sorted(dims.items())))] = pts

    def series(self, ns, name, dims, unit, fn, step=60):
        self.metric(ns, name, dims, unit, [(t, fn(t)) for t in range(-self.hist, 0, step)])

    def log(self, group, stream, events):
        ev = sorted(([round(t, 3), m] for t, m in events if t < -0.05), key=lambda e: e[0])
        if ev:
            self.logs.append({"group": group, "stream": stream, "events": ev})

    def change(self, t, source, name, rtype, rname, user):
        self.changes.append({"time": int(t), "event_source": source, "event_name": name,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    # ----------------------------------------------------------------- alarm
    def alarm(self, name, ns, metric, dims, stat, period, evals, threshold,
              cmp="GreaterThanThreshold", description=None, datapoints=None):
        pts = self._index[(ns, metric, tuple(sorted(dims.items())))]
        buckets = defaultdict(list)
        for t, v in pts:
            buckets[(t // period) * period].append(v)
        starts = [s for s in sorted(buckets) if s + period <= 0]
        vals = [_agg(stat, buckets[s]) for s in starts]
        br = [_breach(v, threshold, cmp) for v in vals]
        need = datapoints or evals
        word = _CMP_WORD[cmp]
        thr = float(threshold)

        def fmt(i):
            return f"{round(vals[i], 3)} ({self.stamp(starts[i], '%d/%m/%y %H:%M:%S')})"

        # M-out-of-N evaluation at every period; the current state is the one at the last complete period
        def alarming(k):
            win = br[max(0, k - evals + 1):k + 1]
            return sum(win) >= need

        states = [alarming(k) for k in range(len(starts))]
        cur = states[-1]
        k = len(states) - 1
        while k > 0 and states[k - 1] == cur:
            k -= 1
        if k == 0:
            changed = -self.hist - 5 * 3600
        else:
            changed = min(starts[k] + period + 45, -20)
        win = [i for i in range(k, max(-1, k - evals), -1)]
        if cur:
            shown = [i for i in win if br[i]][:need]
            state = "ALARM"
            reason = (f"Threshold Crossed: {need} out of the last {evals} datapoints [{', '.join(fmt(i) for i in shown)}] "
                      f"were {word} the threshold ({thr}) (minimum {need} datapoint{'s' if need > 1 else ''} "
                      f"for OK -> ALARM transition).")
        else:
            state = "OK"
            shown = [i for i in win if not br[i]][:1] or [len(starts) - 1]
            reason = (f"Threshold Crossed: 1 out of the last {evals} datapoints [{fmt(shown[0])}] was not {word} the "
                      f"threshold ({thr}) (minimum 1 datapoint for ALARM -> OK transition).")
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims), "statistic": stat,
             "period": period, "evaluation_periods": evals, "threshold": threshold, "comparison": cmp,
             "state": state, "state_reason": reason, "state_changed": int(changed)}
        if description:
            a["description"] = description
        self.alarms.append(a)
        return a

    # ----------------------------------------------------------------- build
    def build(self, alarm, category, resources, anomalies):
        doc = {
            "format": "aiops-scenario/v1",
            "name": self.name,
            "description": self.description,
            "region": self.region,
            "resources": self.resources,
            "metrics": self.metrics,
            "logs": self.logs,
            "alarms": self.alarms,
            "changes": sorted(self.changes, key=lambda c: c["time"]),
            "expect": {
                "alarm": alarm,
                "root_cause": {"category": category, "resource": list(resources)},
                "anomalies": [{"namespace": ns, "name": n, "dimensions": dict(d)} for ns, n, d in anomalies],
            },
        }
        return doc, dict(self.readme)


# --------------------------------------------------------------------- helpers
def ramp(t, t0, t1, v0, v1):
    """Linear from v0 at t0 to v1 at t1, clamped outside."""
    if t <= t0:
        return v0
    if t >= t1:
        return v1
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


def minute_of(t):
    return int(math.floor(t / 60.0) * 60)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data):  # noqa: D401 - never emit &id anchors
        return True


def dump(doc, path):
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(doc, fh, Dumper=_Dumper, sort_keys=False, default_flow_style=None, width=4096,
                  allow_unicode=True)
