"""Shared helpers: deterministic randomness, time formatting, series shapes, scenario assembly."""
import datetime
import math
import random
import uuid

import yaml

NOMINAL_NOW = datetime.datetime(2026, 3, 14, 15, 0, 0, tzinfo=datetime.timezone.utc)


class Ctx:
    """Seeded random source plus nominal wall clock used only for log text."""

    def __init__(self, seed, now=NOMINAL_NOW):
        self.r = random.Random(seed)
        self.now = now

    def uuid(self):
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def hex(self, n):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def digits(self, n):
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def ip(self, prefix="10.0"):
        return "%s.%d.%d" % (prefix, self.r.randint(1, 12), self.r.randint(4, 250))

    def dt(self, rel):
        return self.now + datetime.timedelta(seconds=rel)

    def iso(self, rel):
        d = self.dt(rel)
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)

    def iso6(self, rel):
        d = self.dt(rel)
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%06dZ" % d.microsecond

    def stamp(self, rel, fmt="%Y-%m-%d %H:%M:%S"):
        return self.dt(rel).strftime(fmt)

    def day(self, rel=0):
        return self.dt(rel).strftime("%Y/%m/%d")

    def gauss(self, mu, sigma):
        return self.r.gauss(mu, sigma)

    def poisson(self, lam):
        if lam <= 0:
            return 0
        if lam > 40:
            return max(0, int(round(self.r.gauss(lam, math.sqrt(lam)))))
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.r.random()
            if p <= limit:
                return k
            k += 1


def grid(hours, period=60):
    """Relative minute timestamps, oldest first, ending at -period."""
    n = int(hours * 3600 // period)
    return [-n * period + period * i for i in range(n)]


def diurnal(t, amp=0.12, phase=0.0):
    return 1.0 + amp * math.sin(2 * math.pi * (t / 86400.0 + phase))


def ramp(t, start, width):
    """0 before start, 1 after start+width, linear in between."""
    if t < start:
        return 0.0
    if width <= 0 or t >= start + width:
        return 1.0
    return (t - start) / float(width)


def window(t, start, end):
    return 1.0 if start <= t < end else 0.0


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


class NoAliasDumper(yaml.CSafeDumper):
    def ignore_aliases(self, data):
        return True


def _agg(values, stat):
    if not values:
        return None
    if stat == "Sum":
        return sum(values)
    if stat == "Average":
        return sum(values) / len(values)
    if stat == "Maximum":
        return max(values)
    if stat == "Minimum":
        return min(values)
    if stat == "SampleCount":
        return float(len(values))
    raise ValueError(stat)


_CMP = {
    "GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
    "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
    "LessThanThreshold": (lambda v, th: v < th, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to"),
}


class Scenario:
    def __init__(self, ctx, slug, region, description):
        self.ctx = ctx
        self.slug = slug
        self.region = region
        self.description = description
        self.resources, self.metrics, self.logs = [], [], []
        self.alarms, self.changes = [], []
        self.expect = {}
        self._series = {}

    # -- content -------------------------------------------------------------
    def res(self, rtype, rid, **props):
        entry = {"type": rtype, "id": rid}
        if props:
            entry["properties"] = props
        self.resources.append(entry)

    def metric(self, ns, name, dims, unit, times, values, nd=3):
        pts = [[int(t), round(float(v), nd)] for t, v in zip(times, values) if v is not None]
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims),
                             "unit": unit, "points": pts})
        self._series[(ns, name, tuple(sorted(dims.items())))] = pts

    def log(self, group, stream, events):
        # nothing can be logged after "now": drop the tail of still-running work
        evs = sorted(([round(t, 3), s] for t, s in events if t <= -0.05), key=lambda e: e[0])
        if evs:
            self.logs.append({"group": group, "stream": stream, "events": evs})

    def change(self, t, source, name, rtype, rname, user):
        self.changes.append({"time": int(t), "event_source": source, "event_name": name,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    def alarm(self, name, ns, metric, dims, stat, period, evals, threshold, comparison,
              description=None, expect_state="ALARM"):
        pts = self._series[(ns, metric, tuple(sorted(dims.items())))]
        buckets = {}
        for t, v in pts:
            buckets.setdefault(t - (t % period), []).append(v)
        last_start = -period
        starts = sorted(b for b in buckets if b <= last_start)
        test, words = _CMP[comparison]
        state, changed, reason_pts = "OK", starts[0] + period if starts else -3600, []
        hist, flips = [], 0
        for b in starts:
            v = _agg(buckets[b], stat)
            hist.append((b, v))
            recent = hist[-evals:]
            breach = len(recent) == evals and all(x[1] is not None and test(x[1], threshold) for x in recent)
            ok = recent[-1][1] is not None and not test(recent[-1][1], threshold)
            if state != "ALARM" and breach:
                flips += 1
                state, changed, reason_pts = "ALARM", b + period + self.ctx.r.randint(15, 50), list(recent)
            elif state == "ALARM" and ok:
                state, changed, reason_pts = "OK", b + period + self.ctx.r.randint(15, 50), [recent[-1]]
        if not reason_pts and hist:
            reason_pts = [hist[-1]]
        if state != expect_state or flips > 1:
            raise AssertionError("%s: alarm %s computed state %s after %d OK->ALARM flips" % (self.slug, name, state, flips))
        changed = min(changed, -5)
        fmt = lambda p: "%s (%s)" % (repr(round(p[1], 3)), self.ctx.stamp(p[0], "%d/%m/%y %H:%M:%S"))
        pts_txt = ", ".join(fmt(p) for p in reversed(reason_pts))
        if state == "ALARM":
            reason = ("Threshold Crossed: %d out of the last %d datapoints [%s] were %s the threshold (%s) "
                      "(minimum %d datapoints for OK -> ALARM transition)."
                      % (evals, evals, pts_txt, words, float(threshold), evals))
        else:
            reason = ("Threshold Crossed: 1 datapoint [%s] was not %s the threshold (%s)."
                      % (pts_txt, words, float(threshold)))
        entry = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
                 "statistic": stat, "period": period, "evaluation_periods": evals,
                 "threshold": threshold, "comparison": comparison, "state": state,
                 "state_reason": reason, "state_changed": int(changed)}
        if description:
            entry["description"] = description
        self.alarms.append(entry)
        return entry

    def set_expect(self, alarm, category, resources, anomalies):
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": [{"namespace": a[0], "name": a[1], "dimensions": dict(a[2])}
                                     for a in anomalies]}

    # -- output --------------------------------------------------------------
    def to_dict(self):
        return {"format": "aiops-scenario/v1", "name": self.slug, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms,
                "changes": sorted(self.changes, key=lambda c: c["time"]), "expect": self.expect}

    def dump(self, path):
        with open(path, "w") as fh:
            yaml.dump(self.to_dict(), fh, Dumper=NoAliasDumper, default_flow_style=None,
                      sort_keys=False, width=100000, allow_unicode=True)
