"""Scenario container, time helpers, random helpers, alarm evaluation, YAML output."""
import datetime as dt
import math
import random
import uuid

import yaml

STEP = 60


class Scenario:
    """Collects resources, metrics, logs, alarms and changes for one scenario file."""

    def __init__(self, *, name, description, region, now_utc, seed, tz_hours,
                 history=21600, log_from=-10800):
        self.name = name
        self.description = description
        self.region = region
        self.now = now_utc                      # datetime (UTC) the scenario pretends "now" is
        self.tz = tz_hours                      # local offset of the region's users, for night-ness
        self.rng = random.Random(seed)
        self.history = history
        self.log_from = log_from
        self.resources, self.metrics, self.logs = [], [], []
        self.alarms, self.changes = [], []
        self.expect = None
        self.notes = None

    # ---------------------------------------------------------------- time
    def at(self, rel):
        return self.now + dt.timedelta(seconds=rel)

    def iso(self, rel, digits=3):
        t = self.at(rel)
        base = t.strftime("%Y-%m-%dT%H:%M:%S")
        if digits == 0:
            return base + "Z"
        frac = f"{t.microsecond:06d}"[:digits]
        return f"{base}.{frac}Z"

    def stamp(self, rel, fmt="%Y-%m-%d %H:%M:%S", ms=False):
        t = self.at(rel)
        s = t.strftime(fmt)
        return s + f".{t.microsecond // 1000:03d}" if ms else s

    def epoch(self, rel):
        return (self.at(rel) - dt.datetime(1970, 1, 1)).total_seconds()

    def local_hour(self, rel):
        t = self.at(rel) + dt.timedelta(hours=self.tz)
        return t.hour + t.minute / 60.0

    def minutes(self, start=None, end=-60, step=STEP):
        start = -self.history if start is None else start
        return list(range(start, end + 1, step))

    def day_path(self, rel=0):
        return self.at(rel).strftime("%Y/%m/%d")

    # -------------------------------------------------------------- random
    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexid(self, n=32):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

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

    def jitter(self, base, rel_sd=0.08, lo=None, hi=None):
        v = self.rng.gauss(base, abs(base) * rel_sd)
        if lo is not None:
            v = max(lo, v)
        if hi is not None:
            v = min(hi, v)
        return v

    def ip(self, prefix="10.0"):
        return f"{prefix}.{self.rng.randint(1, 60)}.{self.rng.randint(2, 254)}"

    def diurnal(self, rel, peak, trough, peak_hour=14.0):
        """Smooth day curve in the users' local time: ``peak`` mid-afternoon, ``trough`` ~04:00."""
        h = self.local_hour(rel)
        c = 0.5 + 0.5 * math.cos(2 * math.pi * (h - peak_hour) / 24.0)
        return trough + (peak - trough) * c ** 1.6

    # ------------------------------------------------------------ builders
    def resource(self, rtype, rid, **props):
        entry = {"type": rtype, "id": rid}
        if props:
            entry["properties"] = props
        self.resources.append(entry)

    def metric(self, namespace, name, dims, unit, points):
        pts = [[int(t), round(float(v), 3)] for t, v in points if v is not None]
        self.metrics.append({"namespace": namespace, "name": name, "dimensions": dict(dims),
                             "unit": unit, "points": pts})
        return pts

    def series(self, namespace, name, dims, unit, fn, start=None, end=-60, step=STEP):
        """Build a metric from ``fn(rel) -> value or None`` over the history window."""
        return self.metric(namespace, name, dims, unit,
                           [(t, fn(t)) for t in self.minutes(start, end, step)])

    def log(self, group, stream, events):
        evs = sorted(((round(float(t), 3), str(m)) for t, m in events if t < 0),
                     key=lambda e: e[0])
        if evs:
            self.logs.append({"group": group, "stream": stream, "events": [list(e) for e in evs]})

    def change(self, t, source, event, rtype, rname, user):
        self.changes.append({"time": int(t), "event_source": source, "event_name": event,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    def find_metric(self, namespace, name, dims):
        for m in self.metrics:
            if m["namespace"] == namespace and m["name"] == name and m["dimensions"] == dict(dims):
                return m
        raise KeyError(f"{namespace}/{name} {dims}")

    def alarm(self, name, namespace, metric, dims, statistic, period, evals, threshold,
              comparison, description=None, not_before=None):
        """Add an alarm in ALARM, its state_changed and reason computed from the series."""
        pts = self.find_metric(namespace, metric, dims)["points"]
        changed, window = evaluate(pts, statistic, period, evals, threshold, comparison,
                                   not_before if not_before is not None else -self.history + period * evals)
        if changed is None:
            raise ValueError(f"{self.name}: alarm {name} never breaches")
        words = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold":
                 "greater than or equal to", "LessThanThreshold": "less than",
                 "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        shown = ", ".join(f"{_num(v)} ({self.at(t).strftime('%d/%m/%y %H:%M:%S')})"
                          for t, v in reversed(window))
        reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoints [{shown}] were "
                  f"{words} the threshold ({float(threshold)}) (minimum {evals} datapoint"
                  f"{'s' if evals > 1 else ''} for OK -> ALARM transition).")
        entry = {"name": name, "namespace": namespace, "metric": metric, "dimensions": dict(dims),
                 "statistic": statistic, "period": period, "evaluation_periods": evals,
                 "threshold": threshold, "comparison": comparison, "state": "ALARM",
                 "state_reason": reason, "state_changed": int(changed)}
        if description:
            entry["description"] = description
        self.alarms.append(entry)
        return changed

    def ok_alarm(self, name, namespace, metric, dims, statistic, period, evals, threshold,
                 comparison, description=None):
        """An alarm that is (still) OK: reason shows its latest datapoint, as CloudWatch does."""
        pts = self.find_metric(namespace, metric, dims)["points"]
        agg = [(s, v) for s, v in aggregate(pts, statistic, period) if s + period <= 0]
        last = agg[-1] if agg else (-period, 0.0)
        if _breach(last[1], threshold, comparison):
            raise ValueError(f"{self.name}: OK alarm {name} is breaching")
        words = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold":
                 "greater than or equal to", "LessThanThreshold": "less than",
                 "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        reason = (f"Threshold Crossed: 1 out of the last {evals} datapoints [{_num(last[1])} "
                  f"({self.at(last[0]).strftime('%d/%m/%y %H:%M:%S')})] was not {words} the threshold "
                  f"({float(threshold)}) (minimum 1 datapoint for ALARM -> OK transition).")
        entry = {"name": name, "namespace": namespace, "metric": metric, "dimensions": dict(dims),
                 "statistic": statistic, "period": period, "evaluation_periods": evals,
                 "threshold": threshold, "comparison": comparison, "state": "OK",
                 "state_reason": reason, "state_changed": -self.history + self.rng.randint(600, 4000)}
        if description:
            entry["description"] = description
        self.alarms.append(entry)

    # -------------------------------------------------------------- output
    def to_dict(self):
        return {"format": "aiops-scenario/v1", "name": self.name, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self.expect}

    def set_expect(self, alarm, category, resources, anomalies):
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": [{"namespace": a[0], "name": a[1], "dimensions": dict(a[2])}
                                     for a in anomalies]}


def _num(v):
    return f"{v:.1f}" if abs(v - round(v)) < 1e-9 else f"{v:.3f}".rstrip("0")


def aggregate(points, statistic, period):
    buckets = {}
    for t, v in points:
        buckets.setdefault((t // period) * period, []).append(v)
    out = []
    for start in sorted(buckets):
        vals = buckets[start]
        if statistic == "Sum":
            agg = sum(vals)
        elif statistic == "Average":
            agg = sum(vals) / len(vals)
        elif statistic == "Maximum":
            agg = max(vals)
        elif statistic == "Minimum":
            agg = min(vals)
        elif statistic == "SampleCount":
            agg = float(len(vals))
        else:
            raise ValueError(statistic)
        out.append((start, round(agg, 3)))
    return out


def _breach(v, threshold, comparison):
    return {"GreaterThanThreshold": v > threshold, "GreaterThanOrEqualToThreshold": v >= threshold,
            "LessThanThreshold": v < threshold, "LessThanOrEqualToThreshold": v <= threshold}[comparison]


def evaluate(points, statistic, period, evals, threshold, comparison, not_before):
    """Replay the alarm (M = N = ``evals``, missing periods skipped); return the time of
    the last OK -> ALARM transition and its datapoints, or (None, None) if it is not in ALARM now."""
    agg = [(s, v) for s, v in aggregate(points, statistic, period) if s + period <= 0]
    state, changed, shown = "OK", None, None
    for i in range(evals - 1, len(agg)):
        window = agg[i - evals + 1:i + 1]
        end = window[-1][0] + period
        breaching = all(_breach(v, threshold, comparison) for _, v in window)
        if state == "OK" and breaching and end >= not_before:
            state, changed, shown = "ALARM", end + 20, window
        elif state == "ALARM" and not breaching:
            state = "OK"
    if state != "ALARM":
        return None, None
    return changed, shown


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


def write_yaml(sc, path):
    text = yaml.dump(sc.to_dict(), Dumper=_Dumper, default_flow_style=None, sort_keys=False,
                     width=100000, allow_unicode=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return len(text.encode("utf-8"))
