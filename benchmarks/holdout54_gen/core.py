"""Shared helpers for the holdout54 scenario set: time, series, alarms, YAML output.

All times are seconds relative to "now" (0).  Message text that carries a wall
clock uses a nominal per-scenario clock so the rendered timestamps agree with
the relative event times.
"""
import datetime as _dt
import math
import random
import uuid

import yaml

START = -21600          # six hours of metric history
END = -60               # last complete minute

_CMP_TEXT = {
    "GreaterThanThreshold": "greater than",
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}


def ramp(t, t0, t1):
    """0 before t0, 1 after t1, linear in between."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    return (t - t0) / float(t1 - t0)


def step(t, t0):
    return 1.0 if t >= t0 else 0.0


def window(t, t0, t1):
    return 1.0 if t0 <= t < t1 else 0.0


def bump(t, center, width):
    """Smooth bump of height 1 around center, half-width `width`."""
    x = (t - center) / float(width)
    return math.exp(-x * x)


def diurnal(t, amp=0.12, phase=0.0):
    return 1.0 + amp * math.sin(2 * math.pi * (t + phase) / 86400.0)


class Scenario:
    def __init__(self, num, slug, region, description, clock):
        self.num = num
        self.slug = slug
        self.region = region
        self.description = description
        self.clock = clock                      # datetime of "now"
        self.rng = random.Random("holdout54/%02d/%s" % (num, slug))
        self.resources = []
        self.metrics = []
        self.logs = []
        self.alarms = []
        self.changes = []
        self.expect = None
        self.meta = {}
        self._points = {}

    # ---- identity / clock -------------------------------------------------
    @property
    def name(self):
        return "h54-%02d-%s" % (self.num, self.slug)

    def wall(self, t):
        return self.clock + _dt.timedelta(seconds=t)

    def iso(self, t):
        w = self.wall(t)
        return w.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (w.microsecond // 1000)

    def iso_us(self, t):
        return self.wall(t).strftime("%Y-%m-%dT%H:%M:%S.%f")

    def epoch(self, t):
        return self.wall(t).timestamp()

    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexid(self, n=32):
        return "%0*x" % (n, self.rng.getrandbits(4 * n))

    def ip(self, prefix="10.0"):
        return "%s.%d.%d" % (prefix, self.rng.randint(1, 30), self.rng.randint(4, 250))

    # ---- resources / changes ---------------------------------------------
    def res(self, rtype, rid, **props):
        entry = {"type": rtype, "id": rid}
        if props:
            entry["properties"] = props
        self.resources.append(entry)
        return rid

    def change(self, t, source, event, rtype, rname, user, **extra):
        entry = {"time": int(t), "event_source": source, "event_name": event,
                 "resource_type": rtype, "resource_name": rname, "username": user}
        entry.update(extra)
        self.changes.append(entry)

    # ---- metrics ----------------------------------------------------------
    def metric(self, ns, name, dims, unit, points):
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims),
                             "unit": unit, "points": points})
        self._points[(ns, name, tuple(sorted(dims.items())))] = points
        return points

    def gauge(self, ns, name, dims, unit, fn, noise=0.05, lo=0.0, hi=None,
              step_s=60, digits=3, start=START, end=END, absnoise=0.0, skip=None):
        pts = []
        for t in range(start, end + 1, step_s):
            if skip is not None and skip(t):
                continue
            v = fn(t)
            v = v * (1.0 + self.rng.gauss(0, noise)) + (self.rng.gauss(0, absnoise) if absnoise else 0.0)
            if lo is not None:
                v = max(lo, v)
            if hi is not None:
                v = min(hi, v)
            pts.append([t, round(v, digits)])
        return self.metric(ns, name, dims, unit, pts)

    def count(self, ns, name, dims, fn, unit="Count", step_s=60, start=START, end=END,
              skip=None):
        pts = []
        for t in range(start, end + 1, step_s):
            if skip is not None and skip(t):
                continue
            pts.append([t, float(self.poisson(fn(t)))])
        return self.metric(ns, name, dims, unit, pts)

    def poisson(self, mu):
        if mu <= 0:
            return 0
        if mu < 30:
            limit, k, p = math.exp(-mu), 0, 1.0
            while True:
                p *= self.rng.random()
                if p <= limit:
                    return k
                k += 1
        return max(0, int(round(self.rng.gauss(mu, math.sqrt(mu)))))

    def points(self, ns, name, dims):
        return self._points[(ns, name, tuple(sorted(dims.items())))]

    # ---- logs -------------------------------------------------------------
    def log(self, group, stream, events):
        evs = sorted(([round(float(t), 3), m] for t, m in events if t < -0.05), key=lambda e: e[0])
        if not evs:
            return
        self.logs.append({"group": group, "stream": stream, "events": evs})

    # ---- alarms -----------------------------------------------------------
    def alarm(self, name, ns, metric, dims, statistic, period, evals, threshold,
              comparison="GreaterThanThreshold", description=None, state="ALARM",
              state_changed=None, reason=None):
        """Add an alarm.  Unless state_changed is given, the transition time and
        reason are computed from the stored points so they agree with the data."""
        if state_changed is None:
            state_changed, reason = self._evaluate(ns, metric, dims, statistic, period,
                                                   evals, threshold, comparison, state)
        entry = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
                 "statistic": statistic, "period": period, "evaluation_periods": evals,
                 "threshold": threshold, "comparison": comparison, "state": state,
                 "state_reason": reason, "state_changed": int(state_changed)}
        if description:
            entry["description"] = description
        self.alarms.append(entry)

    def _evaluate(self, ns, metric, dims, statistic, period, evals, threshold, comparison, want):
        pts = self.points(ns, metric, dims)
        buckets = {}
        for t, v in pts:
            buckets.setdefault(int(math.floor(t / float(period))), []).append(v)
        agg = []
        for b in sorted(buckets):
            if (b + 1) * period > 0:
                continue
            vals = buckets[b]
            if statistic == "Sum":
                a = sum(vals)
            elif statistic == "Average":
                a = sum(vals) / len(vals)
            elif statistic == "Maximum":
                a = max(vals)
            elif statistic == "Minimum":
                a = min(vals)
            else:
                raise ValueError(statistic)
            agg.append((b * period, round(a, 4)))
        cmpf = {
            "GreaterThanThreshold": lambda a: a > threshold,
            "GreaterThanOrEqualToThreshold": lambda a: a >= threshold,
            "LessThanThreshold": lambda a: a < threshold,
            "LessThanOrEqualToThreshold": lambda a: a <= threshold,
        }[comparison]
        state, changed, reason = "OK", None, None
        for i in range(len(agg)):
            window_ = agg[max(0, i - evals + 1):i + 1]
            if len(window_) < evals:
                continue
            breach = all(cmpf(a) for _, a in window_)
            new = "ALARM" if breach else "OK"
            if new != state:
                state = new
                changed = agg[i][0] + period + 30
                reason = self._reason(window_, evals, threshold, comparison, new)
        if state != want:
            raise AssertionError("%s: alarm on %s/%s computes %s, wanted %s" %
                                 (self.name, ns, metric, state, want))
        return min(changed, -5), reason

    def _reason(self, window_, evals, threshold, comparison, state):
        dps = ", ".join("%s (%s)" % (repr(float(a)), self.wall(t).strftime("%d/%m/%y %H:%M:%S"))
                        for t, a in reversed(window_))
        ctext = _CMP_TEXT[comparison]
        if state == "ALARM":
            if evals == 1:
                return "Threshold Crossed: 1 datapoint [%s] was %s the threshold (%s)." % (
                    dps, ctext, float(threshold))
            return ("Threshold Crossed: %d out of the last %d datapoints [%s] were %s the threshold "
                    "(%s) (minimum %d datapoints for OK -> ALARM transition)." % (
                        evals, evals, dps, ctext, float(threshold), evals))
        return "Threshold Crossed: %d datapoint%s [%s] %s not %s the threshold (%s)." % (
            evals, "s" if evals > 1 else "", dps, "were" if evals > 1 else "was", ctext,
            float(threshold))

    # ---- output -----------------------------------------------------------
    def to_dict(self):
        self.changes.sort(key=lambda c: c["time"])
        return {
            "format": "aiops-scenario/v1",
            "name": self.name,
            "description": self.description,
            "region": self.region,
            "resources": self.resources,
            "metrics": self.metrics,
            "logs": self.logs,
            "alarms": self.alarms,
            "changes": self.changes,
            "expect": self.expect,
        }


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data):
        return True


def _repr_list(dumper, data):
    flow = len(data) == 2 and isinstance(data[0], (int, float)) and not isinstance(data[0], bool)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _repr_list)


def dump(scn, path):
    with open(path, "w") as fh:
        yaml.dump(scn.to_dict(), fh, Dumper=_Dumper, sort_keys=False, width=100000,
                  allow_unicode=True, default_flow_style=False)
