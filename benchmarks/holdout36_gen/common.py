"""Shared scenario plumbing for held-out set 36 (stdlib + pyyaml only).

Every time is seconds relative to "now" (the moment the scenario is loaded). Each scenario also
has a nominal wall clock (``now_iso``) used only to render timestamps inside log messages.
"""
from __future__ import annotations

import math
import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

START = -21600          # six hours of metric history
END = -60               # last complete minute
FMT = "aiops-scenario/v1"


class Scenario:
    def __init__(self, num: int, slug: str, seed: int, region: str, description: str,
                 now_iso: str, utc_offset_h: float = 0.0):
        self.num, self.slug, self.region = num, slug, region
        self.rng = random.Random(seed)
        self.now = datetime.fromisoformat(now_iso).replace(tzinfo=timezone.utc)
        self.utc_offset_h = utc_offset_h
        self.doc = {"format": FMT, "name": f"h36-{num:02d}-{slug}", "description": description,
                    "region": region, "resources": [], "metrics": [], "logs": [], "alarms": [],
                    "changes": []}
        self.meta: dict = {}
        self._streams: dict = {}

    # ---------------------------------------------------------------- time
    def wall(self, t: float) -> datetime:
        return self.now + timedelta(seconds=t)

    def iso(self, t: float, digits: int = 3) -> str:
        w = self.wall(t)
        frac = f"{w.microsecond:06d}"[:digits]
        return w.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if digits else "") + "Z"

    def epoch(self, t: float) -> float:
        return self.wall(t).timestamp()

    def local_hour(self, t: float) -> float:
        w = self.wall(t)
        return (w.hour + w.minute / 60 + w.second / 3600 + self.utc_offset_h) % 24

    def diurnal(self, t: float, floor: float = 0.3, peak: float = 14.0, width: float = 5.0) -> float:
        """1.0 at the local peak hour, ``floor`` at night."""
        h = self.local_hour(t)
        d = min(abs(h - peak), 24 - abs(h - peak))
        return floor + (1 - floor) * math.exp(-(d / width) ** 2)

    # ---------------------------------------------------------------- randomness
    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexid(self, n: int = 32) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def noise(self, v: float, frac: float = 0.08) -> float:
        return v * (1 + self.rng.gauss(0, frac))

    def poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 40:
            return max(0, int(round(self.rng.gauss(lam, math.sqrt(lam)))))
        l, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= l:
                return k
            k += 1

    def ip(self, prefix: str = "10.0") -> str:
        parts = prefix.split(".")
        while len(parts) < 4:
            parts.append(str(self.rng.randint(1 if len(parts) == 3 else 0, 254)))
        return ".".join(parts)

    # ---------------------------------------------------------------- document builders
    def resource(self, rtype: str, rid: str, region: str | None = None, **props) -> None:
        r = {"type": rtype, "id": rid}
        if region:
            r["region"] = region
        if props:
            r["properties"] = props
        self.doc["resources"].append(r)

    def series(self, fn, start: int = START, end: int = END, step: int = 60, nd: int = 3,
               lo: float | None = 0.0, hi: float | None = None, integer: bool = False):
        pts = []
        for t in range(start, end + 1, step):
            v = fn(t)
            if v is None:
                continue
            if lo is not None:
                v = max(lo, v)
            if hi is not None:
                v = min(hi, v)
            v = float(int(round(v))) if integer else round(float(v), nd)
            pts.append([t, v])
        return pts

    def metric(self, ns: str, name: str, dims: dict, unit: str, points, region: str | None = None):
        m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            m["region"] = region
        m["points"] = points
        self.doc["metrics"].append(m)
        return points

    def add(self, ns, name, dims, unit, fn, region=None, **kw):
        return self.metric(ns, name, dims, unit, self.series(fn, **kw), region)

    def stream(self, group: str, stream: str, region: str | None = None) -> list:
        key = (group, stream, region)
        if key not in self._streams:
            entry = {"group": group, "stream": stream}
            if region:
                entry["region"] = region
            entry["events"] = []
            self._streams[key] = entry
            self.doc["logs"].append(entry)
        return self._streams[key]["events"]

    def emit(self, group: str, stream: str, t: float, text: str, region: str | None = None):
        self.stream(group, stream, region).append([round(t, 3), text])

    def change(self, t: int, source: str, event: str, rtype: str, rname: str, user: str,
               region: str | None = None):
        c = {"time": int(t), "event_source": source, "event_name": event, "resource_type": rtype,
             "resource_name": rname, "username": user}
        if region:
            c["region"] = region
        self.doc["changes"].append(c)

    def alarm(self, name: str, ns: str, metric: str, dims: dict, points, stat: str, period: int,
              evals: int, threshold: float, comparison: str, description: str | None = None,
              to_alarm: int | None = None, region: str | None = None) -> int:
        """Add an alarm whose state and transition time follow from ``points``."""
        m = to_alarm or evals
        buckets: dict[int, list] = {}
        for t, v in points:
            buckets.setdefault(int(t // period), []).append(v)
        first = min(buckets)
        last = int(-1 // period)
        state, changed, hist = "OK", None, []
        for k in range(first, last + 1):
            vals = buckets.get(k)
            val = None if not vals else _stat(vals, stat, period)
            hist.append((k, val))
            window = hist[-evals:]
            breaching = [x for x in window if x[1] is not None and _cmp(x[1], comparison, threshold)]
            if len(window) == evals and len(breaching) >= m and state != "ALARM":
                state, changed = "ALARM", ((k + 1) * period, list(reversed(breaching)))
            elif len(breaching) < m and state == "ALARM" and len(window) == evals:
                state = "OK"
        assert state == "ALARM", f"{self.doc['name']}: alarm {name} is not in ALARM at the end"
        end_t, breach = changed
        st = end_t + self.rng.randint(15, 75)
        st = min(st, -5)
        dp = ", ".join(f"{_fmtnum(v)} ({self.wall(k * period).strftime('%d/%m/%y %H:%M:%S')})"
                       for k, v in breach[:m])
        words = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold":
                 "greater than or equal to", "LessThanThreshold": "less than",
                 "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        reason = (f"Threshold Crossed: {m} out of the last {evals} datapoints [{dp}] were {words} "
                  f"the threshold ({_fmtnum(float(threshold))}) (minimum {m} datapoints for OK -> "
                  f"ALARM transition).")
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
             "statistic": stat, "period": period, "evaluation_periods": evals,
             "threshold": threshold, "comparison": comparison, "state": "ALARM",
             "state_reason": reason, "state_changed": int(st)}
        if description:
            a["description"] = description
        if region:
            a["region"] = region
        self.doc["alarms"].append(a)
        return int(st)

    def quiet_alarm(self, name, ns, metric, dims, stat, period, evals, threshold, comparison,
                    state="OK", changed=-86000, description=None, region=None, reason=None):
        """A second alarm that exists in the account but is not the page."""
        reason = reason or ("Threshold Crossed: no datapoints were received for 1 period and 1 missing "
                  "datapoint was treated as [NonBreaching]." if state == "OK" else
                  "Insufficient Data: 1 datapoint was unknown.")
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
             "statistic": stat, "period": period, "evaluation_periods": evals,
             "threshold": threshold, "comparison": comparison, "state": state,
             "state_reason": reason, "state_changed": int(changed)}
        if description:
            a["description"] = description
        if region:
            a["region"] = region
        self.doc["alarms"].append(a)

    def expect(self, alarm: str, category: str, resources: list, anomalies: list):
        self.doc["expect"] = {"alarm": alarm, "root_cause": {"category": category,
                                                             "resource": list(resources)},
                              "anomalies": anomalies}

    # ---------------------------------------------------------------- output
    def finish(self) -> dict:
        for entry in self.doc["logs"]:   # nothing is logged after "now"
            entry["events"] = sorted((e for e in entry["events"] if e[0] < 0), key=lambda e: e[0])
        self.doc["logs"] = [e for e in self.doc["logs"] if e["events"]]
        self.doc["changes"].sort(key=lambda c: c["time"])
        return self.doc


def _stat(vals, stat, period):
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


def _cmp(v, comparison, thr):
    return {"GreaterThanThreshold": v > thr, "GreaterThanOrEqualToThreshold": v >= thr,
            "LessThanThreshold": v < thr, "LessThanOrEqualToThreshold": v <= thr}[comparison]


def _fmtnum(v: float) -> str:
    return repr(round(v, 4))


def anomaly(ns: str, name: str, dims: dict) -> dict:
    return {"namespace": ns, "name": name, "dimensions": dict(dims)}


def smooth(t: float, t0: float, t1: float) -> float:
    """0 before t0, 1 after t1, smooth in between."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    x = (t - t0) / (t1 - t0)
    return x * x * (3 - 2 * x)


def lerp(a: float, b: float, f: float) -> float:
    return a + (b - a) * f


def write(doc: dict, path: Path) -> int:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(doc, Dumper=dumper, default_flow_style=None, sort_keys=False,
                     width=10 ** 9, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))
