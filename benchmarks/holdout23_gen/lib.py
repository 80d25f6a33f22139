"""Shared helpers for the holdout-23 scenario generator (stdlib + pyyaml only).

A scenario is built on a `Scn` object: metrics are sampled on a fixed grid of
relative seconds, logs are lists of (relative seconds, text) and the embedded
wall-clock timestamps are rendered against a fictional anchor date so that the
text stays internally consistent whatever day the file is loaded.
"""
import datetime as _dt
import math
import random

import yaml

START = -21600          # six hours of metric history
END = -60               # last complete minute
LOG_FROM = -10800       # three hours of application logs


# --------------------------------------------------------------------------- yaml
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


def _repr_list(dumper, data):
    flow = len(data) == 2 and isinstance(data[0], (int, float)) and not isinstance(data[0], bool)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _repr_list)
_Dumper.ignore_aliases = lambda self, data: True


def dump(doc, path):
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(doc, fh, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)


# --------------------------------------------------------------------------- maths
def ramp(t, t0, t1):
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    return (t - t0) / float(t1 - t0)


def step(t, t0):
    return 1.0 if t >= t0 else 0.0


def clamp(v, lo=None, hi=None):
    if lo is not None and v < lo:
        v = lo
    if hi is not None and v > hi:
        v = hi
    return v


class Scn:
    def __init__(self, slug, description, region, anchor, seed):
        self.slug = slug
        self.description = description
        self.region = region
        self.anchor = anchor                       # datetime (UTC) that plays "now"
        self.rng = random.Random(seed)
        self.resources, self.metrics, self.logs = [], [], []
        self.alarms, self.changes = [], []
        self.expect = None
        self.meta = {}

    # ---------------------------------------------------------------- time / ids
    def at(self, rel):
        return self.anchor + _dt.timedelta(seconds=rel)

    def iso(self, rel, digits=3):
        d = self.at(rel)
        frac = ("%06d" % d.microsecond)[:digits]
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + frac + "Z"

    def spring(self, rel):
        d = self.at(rel)
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + ("%06d" % d.microsecond)[:3] + "Z"

    def pgts(self, rel):
        return self.at(rel).strftime("%Y-%m-%d %H:%M:%S UTC")

    def clf(self, rel):
        return self.at(rel).strftime("%d/%b/%Y:%H:%M:%S +0000")

    def epoch_ms(self, rel):
        return int((self.at(rel) - _dt.datetime(1970, 1, 1)).total_seconds() * 1000)

    def hexid(self, n=32):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def uuid(self):
        h = self.hexid(32)
        return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], self.rng.choice("89ab"), h[17:20], h[20:32])

    def pick(self, seq):
        return self.rng.choice(seq)

    def ip(self, prefix="10.0"):
        return "%s.%d.%d" % (prefix, self.rng.randint(1, 14), self.rng.randint(4, 250))

    # ---------------------------------------------------------------- sampling
    def grid(self, step_s=60, start=START, end=END):
        return list(range(start, end + 1, step_s))

    def noise(self, sd):
        return self.rng.gauss(0.0, sd)

    def poisson(self, lam):
        if lam <= 0:
            return 0
        if lam > 40:
            return max(0, int(round(self.rng.gauss(lam, math.sqrt(lam)))))
        lim, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= lim:
                return k
            k += 1

    def diurnal(self, t, amp=0.25, peak_hour=15.0):
        d = self.at(t)
        hour = d.hour + d.minute / 60.0
        return 1.0 + amp * math.cos(2 * math.pi * (hour - peak_hour) / 24.0)

    def series(self, fn, step_s=60, nd=3, lo=0.0, hi=None, start=START):
        out = []
        for t in self.grid(step_s, start=start):
            v = clamp(fn(t), lo, hi)
            out.append([t, round(v, nd)])
        return out

    def counts(self, lam_fn, step_s=60, start=START):
        return [[t, float(self.poisson(lam_fn(t)))] for t in self.grid(step_s, start=start)]

    # ---------------------------------------------------------------- builders
    def resource(self, rtype, rid, **props):
        r = {"type": rtype, "id": rid}
        if props:
            r["properties"] = props
        self.resources.append(r)
        return r

    def metric(self, namespace, name, dims, unit, points):
        self.metrics.append({"namespace": namespace, "name": name, "dimensions": dict(dims),
                             "unit": unit, "points": points})
        return points

    def log(self, group, stream, events):
        events = sorted(events, key=lambda e: e[0])
        events = [[round(t, 3), txt] for t, txt in events if t <= -0.5]
        if events:
            self.logs.append({"group": group, "stream": stream, "events": events})

    def change(self, t, source, name, rtype, rname, user, **extra):
        c = {"time": t, "event_source": source, "event_name": name, "resource_type": rtype,
             "resource_name": rname, "username": user}
        c.update(extra)
        self.changes.append(c)

    @staticmethod
    def _agg(pm, w0, period, statistic):
        win = [pm[tt] for tt in range(w0, w0 + period, 60) if tt in pm]
        if not win:
            return None
        return sum(win) if statistic == "Sum" else (max(win) if statistic == "Maximum" else sum(win) / len(win))

    @staticmethod
    def _breach(v, threshold, comparison):
        return v is not None and {"GreaterThanThreshold": v > threshold, "LessThanThreshold": v < threshold,
                                  "GreaterThanOrEqualToThreshold": v >= threshold,
                                  "LessThanOrEqualToThreshold": v <= threshold}[comparison]

    def first_breach(self, points, statistic, period, evals, threshold, comparison, after):
        """Relative time at which an alarm on `points` would have gone to ALARM (first after `after`)."""
        pm = {p[0]: p[1] for p in points}
        t = after - (after % period) + period
        while t <= END + 60:
            if all(self._breach(self._agg(pm, t - (evals - k) * period, period, statistic), threshold, comparison)
                   for k in range(evals)):
                return t + 40
            t += period
        raise AssertionError("no breach found")

    def alarm(self, name, namespace, metric, dims, statistic, period, evals, threshold, comparison,
              state, changed, points=None, description=None, after=None):
        if changed == "auto":
            changed = self.first_breach(points, statistic, period, evals, threshold, comparison, after)
        words = {"GreaterThanThreshold": "greater than", "LessThanThreshold": "less than",
                 "GreaterThanOrEqualToThreshold": "greater than or equal to",
                 "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        if state == "ALARM":
            vals = []
            if points:
                pm = {p[0]: p[1] for p in points}
                end = changed - (changed % period)
                for k in range(evals):
                    w0 = end - (evals - k) * period
                    v = self._agg(pm, w0, period, statistic)
                    if v is None:
                        continue
                    v = round(v, 4)
                    assert self._breach(v, threshold, comparison), \
                        "alarm %s: datapoint %s at %s does not breach" % (name, v, w0)
                    vals.append("%s (%s)" % (v, self.at(w0).strftime("%d/%m/%y %H:%M:00")))
            if points:
                last = END - (END % period) - (period if period > 60 else 0)
                assert self._breach(self._agg(pm, last, period, statistic), threshold, comparison), \
                    "alarm %s would no longer be in ALARM at the end of the window" % name
            reason = ("Threshold Crossed: %d out of the last %d datapoints [%s] %s %s the threshold (%s) "
                      "(minimum %d datapoint%s for OK -> ALARM transition)."
                      % (evals, evals, ", ".join(reversed(vals)), "was" if evals == 1 else "were", words,
                         float(threshold), evals, "" if evals == 1 else "s"))
        elif state == "OK":
            reason = ("Threshold Crossed: 1 datapoint [%s (%s)] was not %s the threshold (%s) "
                      "(minimum 1 datapoint for ALARM -> OK transition)."
                      % (round(threshold * 0.4, 2), self.at(changed).strftime("%d/%m/%y %H:%M:00"),
                         words, float(threshold)))
        else:
            reason = "Insufficient Data: 1 datapoint was unknown."
        a = {"name": name, "namespace": namespace, "metric": metric, "dimensions": dict(dims),
             "statistic": statistic, "period": period, "evaluation_periods": evals,
             "threshold": threshold, "comparison": comparison, "state": state,
             "state_reason": reason, "state_changed": changed}
        if description:
            a["description"] = description
        self.alarms.append(a)

    def set_expect(self, alarm, category, resources, anomalies):
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": anomalies}

    def doc(self):
        return {"format": "aiops-scenario/v1", "name": self.slug, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self.expect}


def anomaly(namespace, name, **dims):
    return {"namespace": namespace, "name": name, "dimensions": dims}


def values(points):
    return {p[0]: p[1] for p in points}


def poisson_times(s, rate_fn, t0=LOG_FROM, t1=-1):
    """Event times of a Poisson process whose per-minute rate is rate_fn(minute_start)."""
    out = []
    m = t0 - (t0 % 60)
    while m < t1:
        n = s.poisson(max(0.0, rate_fn(m)))
        for _ in range(n):
            t = m + s.rng.random() * 60.0
            if t0 <= t < t1:
                out.append(t)
        m += 60
    out.sort()
    return out


def spread(s, times, streams, line_fn):
    """Distribute events over several streams (one per task / instance)."""
    buckets = {name: [] for name in streams}
    for t in times:
        name = s.rng.choice(streams)
        res = line_fn(t, name)
        if res is None:
            continue
        if isinstance(res, str):
            buckets[name].append((t, res))
        else:
            for dt_, txt in res:
                buckets[name].append((t + dt_, txt))
    return buckets
