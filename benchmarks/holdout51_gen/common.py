"""Scenario builder shared by every holdout51 scenario: time axis, seeded
randomness, series shapes, alarm evaluation and YAML output."""
from __future__ import annotations

import datetime as _dt
import math
import random
import uuid

import yaml

FORMAT = "aiops-scenario/v1"
ACCOUNT = "381492650127"
BUILT = []          # every Scn created, newest last (for debug output)


class Scn:
    """One scenario under construction. Times are seconds relative to "now"."""

    def __init__(self, slug, seed, region, now_iso, description, hours=6):
        self.slug = slug
        self.rng = random.Random(seed)
        self.region = region
        self.description = description
        self.now = _dt.datetime.fromisoformat(now_iso).replace(tzinfo=_dt.timezone.utc)
        self.times = list(range(-hours * 3600, 0, 60))
        self.resources, self.metrics, self.logs = [], [], []
        self.alarms, self.changes = [], []
        self._series = {}
        self.transitions = []
        self.eval_delay = self.rng.randint(18, 58)
        BUILT.append(self)

    # ---- time, ids -------------------------------------------------------
    def at(self, t):
        return self.now + _dt.timedelta(seconds=t)

    def iso(self, t, digits=3):
        d = self.at(t)
        frac = f"{d.microsecond:06d}"[:digits]
        return d.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if digits else "") + "Z"

    def fmt(self, t, pattern):
        return self.at(t).strftime(pattern)

    def ms(self, t):
        return f"{self.at(t).microsecond // 1000:03d}"

    def uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hex(self, n):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def ip(self, prefix):
        return f"{prefix}.{self.rng.randint(1, 254)}"

    def day_path(self):
        return self.now.strftime("%Y/%m/%d")

    # ---- randomness --------------------------------------------------------
    def gauss(self, mu, sigma):
        return self.rng.gauss(mu, sigma)

    def poisson(self, lam):
        if lam <= 0:
            return 0
        if lam > 40:
            return max(0, int(round(self.rng.gauss(lam, math.sqrt(lam)))))
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def binom(self, n, p):
        n = int(n)
        if n * p * (1 - p) > 25:
            return max(0, min(n, int(round(self.rng.gauss(n * p, math.sqrt(n * p * (1 - p)))))))
        return sum(1 for _ in range(n) if self.rng.random() < p)

    def uniform(self, a, b):
        return self.rng.uniform(a, b)

    def chance(self, p):
        return self.rng.random() < p

    def pick(self, seq):
        return self.rng.choice(seq)

    # ---- catalogue ---------------------------------------------------------
    def resource(self, rtype, rid, **props):
        entry = {"type": rtype, "id": rid}
        if props:
            entry["properties"] = props
        self.resources.append(entry)
        return rid

    def metric(self, ns, name, dims, unit, values):
        """values: one per minute of self.times (None = no datapoint)."""
        pts = [[t, round(float(v), 3)] for t, v in zip(self.times, values) if v is not None]
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims),
                             "unit": unit, "points": pts})
        self._series[(ns, name, tuple(sorted(dims.items())))] = dict(
            (t, v) for t, v in zip(self.times, values) if v is not None)
        return values

    def log(self, group, stream, events):
        evs = sorted(((round(t, 3), m) for t, m in events if t < 0), key=lambda e: e[0])
        if evs:
            self.logs.append({"group": group, "stream": stream, "events": [list(e) for e in evs]})

    def change(self, t, source, name, rtype, rname, user):
        self.changes.append({"time": int(t), "event_source": source, "event_name": name,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    # ---- alarms ------------------------------------------------------------
    def alarm(self, name, ns, metric, dims, stat, period, evals, threshold,
              comparison="GreaterThanThreshold", description=None):
        series = self._series[(ns, metric, tuple(sorted(dims.items())))]
        buckets = {}
        for t, v in series.items():
            buckets.setdefault((t // period) * period, []).append(v)
        agg = {"Sum": sum, "Maximum": max, "Minimum": min,
               "Average": lambda xs: sum(xs) / len(xs), "SampleCount": len}[stat]
        cmp = {"GreaterThanThreshold": lambda v: v > threshold,
               "GreaterThanOrEqualToThreshold": lambda v: v >= threshold,
               "LessThanThreshold": lambda v: v < threshold,
               "LessThanOrEqualToThreshold": lambda v: v <= threshold}[comparison]
        starts = sorted(b for b in buckets if b + period <= 0)
        vals = [(b, round(agg(buckets[b]), 4)) for b in starts]
        state, changed, reason = "OK", vals[0][0], ""
        word = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold":
                "greater than or equal to", "LessThanThreshold": "less than",
                "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        for i in range(evals - 1, len(vals)):
            window = vals[i - evals + 1:i + 1]
            new = "ALARM" if all(cmp(v) for _, v in window) else "OK"
            if new != state:
                self.transitions.append((name, new, window[-1][0] + period + self.eval_delay))
                state, changed = new, window[-1][0] + period + self.eval_delay
                shown = ", ".join(f"{v} ({self.fmt(b, '%d/%m/%y %H:%M:%S')})"
                                  for b, v in reversed(window if new == "ALARM" else window[-1:]))
                if new == "ALARM":
                    reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoints "
                              f"[{shown}] were {word} the threshold ({float(threshold)}) "
                              f"(minimum {evals} datapoint{'s' if evals > 1 else ''} for OK -> ALARM transition).")
                else:
                    reason = (f"Threshold Crossed: 1 out of the last {evals} datapoints [{shown}] "
                              f"was not {word} the threshold ({float(threshold)}) "
                              f"(minimum 1 datapoint for ALARM -> OK transition).")
        if not reason:
            reason = (f"Threshold Crossed: no datapoints were {word} the threshold "
                      f"({float(threshold)}).")
        entry = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
                 "statistic": stat, "period": period, "evaluation_periods": evals,
                 "threshold": threshold, "comparison": comparison, "state": state,
                 "state_reason": reason, "state_changed": int(min(changed, -5))}
        if description:
            entry["description"] = description
        self.alarms.append(entry)
        return entry

    # ---- output --------------------------------------------------------------
    def to_dict(self, expect):
        self.changes.sort(key=lambda c: c["time"])
        return {"format": FORMAT, "name": self.slug, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms, "changes": self.changes,
                "expect": expect}


# ---- series shapes (pure functions of t, combined by scenarios) -------------
def diurnal(t, base, amp, peak_offset=0.0, period=21600.0):
    """Smooth load curve: base +/- amp, one slow swing across the window."""
    return base + amp * math.sin(2 * math.pi * (t - peak_offset) / period)


def ramp(t, t0, t1, v0, v1):
    if t <= t0:
        return v0
    if t >= t1:
        return v1
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


def window(t, t0, t1):
    return t0 <= t < t1


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


# ---- YAML -------------------------------------------------------------------
class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def _repr_list(dumper, data):
    flow = len(data) == 2 and isinstance(data[0], (int, float)) and not isinstance(data[0], bool)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _repr_list)


def dump(doc, path):
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(doc, fh, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)
