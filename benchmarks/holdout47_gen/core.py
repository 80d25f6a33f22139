"""Shared building blocks: seeded randomness, metric series, log streams, alarms, YAML output."""
from __future__ import annotations

import math
import random
from datetime import datetime, timedelta, timezone

import yaml

START = -21600          # six hours of metrics
END = -60               # last complete minute
LOG_START = -10800      # three hours of logs


class Pair(list):
    """A [time, value] pair, written in flow style like the public examples."""


def _pair_repr(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Dumper.add_representer(Pair, _pair_repr)


def dump(doc: dict, path: str) -> int:
    text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100000)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return len(text.encode("utf-8"))


# ---------------------------------------------------------------- shapes

def ramp(t, t0, t1, a, b):
    """a before t0, b after t1, linear in between."""
    if t <= t0:
        return a
    if t >= t1:
        return b
    return a + (b - a) * (t - t0) / (t1 - t0)


def step(t, t0, a, b):
    return a if t < t0 else b


def diurnal(t, amp=0.15, phase=0.0, period=86400.0):
    """Slow daily swing; for a six-hour window it reads as a gentle trend."""
    return 1.0 + amp * math.sin(2 * math.pi * (t + phase) / period)


class Rng(random.Random):
    def hexid(self, n=32):
        return "".join(self.choice("0123456789abcdef") for _ in range(n))

    def uuid(self):
        h = self.hexid(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{self.choice('89ab')}{h[17:20]}-{h[20:32]}"

    def ip(self, prefix="10.0"):
        return f"{prefix}.{self.randint(1, 254)}.{self.randint(2, 254)}"

    def count(self, mean):
        """Poisson-ish non-negative integer."""
        if mean <= 0:
            return 0
        if mean < 30:
            # Knuth
            l, k, p = math.exp(-mean), 0, 1.0
            while True:
                p *= self.random()
                if p <= l:
                    return k
                k += 1
        return max(0, int(round(self.gauss(mean, math.sqrt(mean)))))


def series(rng: Rng, f, noise=0.0, rel=False, lo=None, hi=None, nd=3, integer=False,
           start=START, end=END, step_s=60, counts=False):
    pts = []
    for t in range(start, end + 1, step_s):
        v = f(t)
        if counts:
            v = float(rng.count(v))
        elif noise:
            v += rng.gauss(0.0, noise * (abs(v) if rel else 1.0))
        if lo is not None:
            v = max(lo, v)
        if hi is not None:
            v = min(hi, v)
        v = float(round(v)) if integer else round(v, nd)
        pts.append(Pair([t, v]))
    return pts


def metric(namespace, name, dims, unit, points, region=None):
    m = {"namespace": namespace, "name": name, "dimensions": dict(dims), "unit": unit, "points": points}
    if region:
        m["region"] = region
    return m


# ---------------------------------------------------------------- alarms

_CMP = {
    "GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
    "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
    "LessThanThreshold": (lambda v, th: v < th, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to"),
}


def _aggregate(points, period, statistic):
    buckets = {}
    for t, v in points:
        b = (t // period) * period
        buckets.setdefault(b, []).append(v)
    out = []
    for b in sorted(buckets):
        vals = buckets[b]
        if len(vals) < max(1, period // 60):
            continue  # incomplete trailing bucket
        if statistic == "Sum":
            agg = sum(vals)
        elif statistic == "Maximum":
            agg = max(vals)
        elif statistic == "Minimum":
            agg = min(vals)
        else:
            agg = sum(vals) / len(vals)
        out.append((b + period, agg))
    return out


def alarm(name, m, statistic, period, evaluation_periods, threshold, comparison, description=None,
          datapoints_to_alarm=None):
    """An alarm on metric m whose state and state change time follow from the series itself."""
    test, words = _CMP[comparison]
    agg = _aggregate(m["points"], period, statistic)
    need = datapoints_to_alarm or evaluation_periods
    state, changed, last_vals, at_change = "OK", agg[0][0], [], []
    for t_end, v in agg:
        last_vals.append(v)
        window = last_vals[-evaluation_periods:]
        if len(window) < evaluation_periods:
            continue
        breaching = sum(1 for x in window if test(x, threshold))
        new_state = "ALARM" if breaching >= need else "OK"
        if new_state != state:
            state, changed, at_change = new_state, t_end, list(window)
    if state != "ALARM":
        raise ValueError(f"alarm {name} would not be in ALARM: last {last_vals[-6:]}")
    shown = ", ".join(f"{x:g}" for x in at_change[::-1] if test(x, threshold))
    a = {
        "name": name,
        "namespace": m["namespace"],
        "metric": m["name"],
        "dimensions": dict(m["dimensions"]),
        "statistic": statistic,
        "period": period,
        "evaluation_periods": evaluation_periods,
        "threshold": threshold,
        "comparison": comparison,
        "state": "ALARM",
        "state_reason": (f"Threshold Crossed: {need} out of the last {evaluation_periods} datapoints "
                         f"[{shown}] were {words} the threshold ({float(threshold)})."),
        "state_changed": int(changed),
    }
    if description:
        a["description"] = description
    return a


def ok_alarm(name, m, statistic, period, evaluation_periods, threshold, comparison, description=None):
    a = {
        "name": name, "namespace": m["namespace"], "metric": m["name"], "dimensions": dict(m["dimensions"]),
        "statistic": statistic, "period": period, "evaluation_periods": evaluation_periods,
        "threshold": threshold, "comparison": comparison, "state": "OK",
        "state_reason": f"Threshold Crossed: no datapoints were {_CMP[comparison][1]} the threshold ({float(threshold)}).",
        "state_changed": -19800,
    }
    if description:
        a["description"] = description
    return a


def change(t, source, name, rtype, rname, user, region=None):
    c = {"time": int(t), "event_source": source, "event_name": name, "resource_type": rtype,
         "resource_name": rname, "username": user}
    if region:
        c["region"] = region
    return c


# ---------------------------------------------------------------- logs

class Clock:
    """Nominal wall clock for timestamps printed inside log lines (relative 0 == `now`)."""

    def __init__(self, now: datetime):
        self.now = now.replace(tzinfo=timezone.utc)

    def dt(self, t):
        return self.now + timedelta(seconds=t)

    def iso(self, t, ms=3):
        d = self.dt(t)
        frac = f"{d.microsecond:06d}"[:ms]
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + frac + "Z"

    def epoch(self, t):
        return self.dt(t).timestamp()

    def date(self):
        return self.now.strftime("%Y/%m/%d")


class Stream:
    def __init__(self, group, stream, region=None):
        self.group, self.stream, self.region = group, stream, region
        self.events = []

    def add(self, t, msg):
        self.events.append((round(float(t), 3), msg))

    def out(self):
        # events stamped after `now` have not happened yet; CloudWatch Logs also refuses empty messages
        evs = sorted((e for e in self.events if e[0] < -0.2 and e[1]), key=lambda e: e[0])
        # identical timestamps are fine for CloudWatch, but keep order stable and strictly sane
        d = {"group": self.group, "stream": self.stream, "events": [Pair([t, m]) for t, m in evs]}
        if self.region:
            d["region"] = self.region
        return d


def arrivals(rng: Rng, rate, t0=LOG_START, t1=-1):
    """Event times in [t0, t1) for a per-minute rate function rate(t)."""
    out = []
    t = t0
    while t < t1:
        n = rng.count(rate(t))
        for _ in range(n):
            x = t + rng.random() * 60
            if x < t1:
                out.append(x)
        t += 60
    out.sort()
    return out


def every(t0, t1, period, jitter=0.0, rng=None):
    t, out = t0, []
    while t < t1:
        out.append(t + (rng.random() * jitter if rng and jitter else 0.0))
        t += period
    return out


def scenario(name, description, region, resources, metrics, logs, alarms, changes, expect):
    return {
        "format": "aiops-scenario/v1",
        "name": name,
        "description": description,
        "region": region,
        "resources": resources,
        "metrics": metrics,
        "logs": [s.out() if isinstance(s, Stream) else s for s in logs],
        "alarms": alarms,
        "changes": sorted(changes, key=lambda c: c["time"]),
        "expect": expect,
    }
