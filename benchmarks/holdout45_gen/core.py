"""Shared building blocks for the holdout-45 scenario set (data and batch platforms).

Everything is seeded: a scenario owns one ``random.Random`` and every id, value and
timestamp it emits comes from it, so two runs write byte-identical files.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from typing import Callable, Iterable

import yaml

HIST = -28800          # eight hours of metric history
LOGS = -10800          # three hours of application logs
STEP = 60


class Flow(list):
    """A list dumped in YAML flow style ([t, v])."""


_Base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Dumper(_Base):  # type: ignore[misc, valid-type]
    def ignore_aliases(self, data):  # noqa: D401 - yaml hook
        return True


Dumper.add_representer(Flow, lambda d, x: d.represent_sequence("tag:yaml.org,2002:seq", list(x), flow_style=True))


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=4096)


def diurnal(hour: float) -> float:
    """Traffic multiplier by local hour: ~0.3 around 04:00, 1.0 around 15:00."""
    x = 0.5 - 0.5 * math.cos(2 * math.pi * ((hour - 4.0) % 24) / 24.0)
    return 0.3 + 0.7 * x ** 1.3


def ramp(t: float, t0: float, t1: float, v0: float, v1: float) -> float:
    if t <= t0:
        return v0
    if t >= t1:
        return v1
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


def bump(t: float, t0: float, t1: float, height: float, edge: float = 600.0) -> float:
    """A plateau of ``height`` between t0 and t1 with linear edges of ``edge`` seconds."""
    if t < t0 - edge or t > t1 + edge:
        return 0.0
    if t < t0:
        return height * (t - (t0 - edge)) / edge
    if t > t1:
        return height * ((t1 + edge) - t) / edge
    return height


class Scn:
    """One scenario under construction."""

    def __init__(self, name: str, seed: int, region: str, now: str, description: str, tz: float = 0.0):
        self.rng = random.Random(seed)
        self.tz = tz
        self.now = dt.datetime.fromisoformat(now).replace(tzinfo=dt.timezone.utc)
        self.d: dict = {"format": "aiops-scenario/v1", "name": name, "description": description,
                        "region": region, "resources": [], "metrics": [], "logs": [], "alarms": [], "changes": []}
        self.meta: dict = {}

    # --- time and ids -------------------------------------------------------
    def at(self, t: float) -> dt.datetime:
        return self.now + dt.timedelta(seconds=t)

    def hour(self, t: float) -> float:
        """Local hour of day (the region's wall clock), for diurnal shapes and batch windows."""
        a = self.at(t) + dt.timedelta(hours=self.tz)
        return a.hour + a.minute / 60.0 + a.second / 3600.0

    def iso(self, t: float) -> str:
        a = self.at(t)
        return a.strftime("%Y-%m-%dT%H:%M:%S.") + f"{a.microsecond // 1000:03d}Z"

    def iso6(self, t: float) -> str:
        a = self.at(t)
        return a.strftime("%Y-%m-%dT%H:%M:%S.") + f"{a.microsecond:06d}Z"

    def pgts(self, t: float) -> str:
        return self.at(t).strftime("%Y-%m-%d %H:%M:%S UTC")

    def logback(self, t: float) -> str:
        a = self.at(t)
        return a.strftime("%Y-%m-%d %H:%M:%S.") + f"{a.microsecond // 1000:03d}"

    def clf(self, t: float) -> str:
        return self.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000")

    def epoch(self, t: float) -> float:
        return round(self.at(t).timestamp(), 3)

    def day(self, t: float = 0, fmt: str = "%Y-%m-%d") -> str:
        return self.at(t).strftime(fmt)

    def uuid(self) -> str:
        h = "%032x" % self.rng.getrandbits(128)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"

    def hexid(self, n: int = 32) -> str:
        return ("%0" + str(n) + "x") % self.rng.getrandbits(4 * n)

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{self.rng.randint(1, 12)}.{self.rng.randint(4, 250)}"

    def g(self, sd: float) -> float:
        return self.rng.gauss(0.0, sd)

    def poisson(self, lam: float) -> int:
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

    # --- building -----------------------------------------------------------
    def res(self, rtype: str, rid: str, **props) -> None:
        entry: dict = {"type": rtype, "id": rid}
        if props:
            entry["properties"] = props
        self.d["resources"].append(entry)

    def metric(self, ns: str, name: str, dims: dict, unit: str, fn: Callable[[int], float | None],
               start: int = HIST, step: int = STEP, nd: int = 3, lo: float | None = 0.0,
               hi: float | None = None) -> list:
        pts = []
        for t in range(start, 0, step):
            v = fn(t)
            if v is None:
                continue
            if lo is not None:
                v = max(lo, v)
            if hi is not None:
                v = min(hi, v)
            pts.append(Flow([t, round(float(v), nd)]))
        self.d["metrics"].append({"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit, "points": pts})
        return pts

    def series(self, ns: str, name: str, dims: dict, unit: str, values: dict, nd: int = 3) -> None:
        pts = [Flow([t, round(float(v), nd)]) for t, v in sorted(values.items())]
        self.d["metrics"].append({"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit, "points": pts})

    def log(self, group: str, stream: str, events: Iterable) -> None:
        evs = sorted(((round(float(t), 3), str(m)) for t, m in events if t < 0), key=lambda e: e[0])
        if evs:
            self.d["logs"].append({"group": group, "stream": stream, "events": [Flow(e) for e in evs]})

    def change(self, t: int, source: str, event: str, rtype: str, rname: str, user: str) -> None:
        self.d["changes"].append({"time": t, "event_source": source, "event_name": event,
                                  "resource_type": rtype, "resource_name": rname, "username": user})

    def alarm(self, name: str, ns: str, metric: str, dims: dict, stat: str, period: int, evals: int,
              threshold: float, comparison: str, changed: int, description: str) -> None:
        word = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to",
                "LessThanThreshold": "less than", "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        self.d["alarms"].append({
            "name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims), "statistic": stat,
            "period": period, "evaluation_periods": evals, "threshold": threshold, "comparison": comparison,
            "state": "ALARM",
            "state_reason": f"Threshold Crossed: {evals} datapoint{'s' if evals > 1 else ''} "
                            f"{'were' if evals > 1 else 'was'} {word} the threshold ({float(threshold)}).",
            "state_changed": changed, "description": description})

    def ok_alarm(self, name: str, ns: str, metric: str, dims: dict, stat: str, period: int, evals: int,
                 threshold: float, comparison: str, changed: int, description: str) -> None:
        self.alarm(name, ns, metric, dims, stat, period, evals, threshold, comparison, changed, description)
        a = self.d["alarms"][-1]
        a["state"] = "OK"
        a["state_reason"] = (f"Threshold Crossed: {evals} datapoint{'s' if evals > 1 else ''} "
                             f"{'were' if evals > 1 else 'was'} not past the threshold ({float(threshold)}).")

    def expect(self, alarm: str, category: str, resources: list, anomalies: list) -> None:
        self.d["expect"] = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                            "anomalies": anomalies}

    # --- self checks --------------------------------------------------------
    def check(self) -> None:
        """Fail loudly when a firing alarm is not supported by its own metric."""
        for a in self.d["alarms"]:
            m = next((m for m in self.d["metrics"] if m["namespace"] == a["namespace"] and m["name"] == a["metric"]
                      and m["dimensions"] == a["dimensions"]), None)
            assert m is not None, f"{self.d['name']}: alarm {a['name']} has no metric"
            if a["state"] != "ALARM":
                continue
            pts = {int(p[0]): p[1] for p in m["points"]}
            for end in (a["state_changed"], -60 + 60):
                for k in range(a["evaluation_periods"]):
                    hi = end - k * a["period"]
                    vals = [v for t, v in pts.items() if hi - a["period"] <= t < hi]
                    assert vals, f"{self.d['name']}: alarm {a['name']} no data before {hi}"
                    agg = {"Sum": sum(vals), "Average": sum(vals) / len(vals), "Maximum": max(vals),
                           "Minimum": min(vals)}[a["statistic"]]
                    thr, c = a["threshold"], a["comparison"]
                    ok = {"GreaterThanThreshold": agg > thr, "GreaterThanOrEqualToThreshold": agg >= thr,
                          "LessThanThreshold": agg < thr, "LessThanOrEqualToThreshold": agg <= thr}[c]
                    assert ok, f"{self.d['name']}: alarm {a['name']} window ending {hi}: {agg} vs {thr}"
            # and it was quiet an hour before it fired
            hi = a["state_changed"] - 3600
            vals = [v for t, v in pts.items() if hi - a["period"] <= t < hi]
            if vals:
                agg = {"Sum": sum(vals), "Average": sum(vals) / len(vals), "Maximum": max(vals),
                       "Minimum": min(vals)}[a["statistic"]]
                thr = a["threshold"]
                quiet = agg <= thr if "Greater" in a["comparison"] else agg >= thr
                assert quiet, f"{self.d['name']}: alarm {a['name']} already breaching an hour earlier"
        names = {a["name"] for a in self.d["alarms"]}
        assert self.d["expect"]["alarm"] in names
        for lg in self.d["logs"]:
            ts = [e[0] for e in lg["events"]]
            assert ts == sorted(ts)


def local_t(sc: Scn, hh: float) -> int:
    """Relative seconds of the most recent past local wall-clock time hh (e.g. 2.5 = 02:30)."""
    now_h = sc.hour(0)
    back = (now_h - hh) % 24
    return -int(round(back * 3600))


def _agg(stat: str, vals: list) -> float:
    return {"Sum": sum(vals), "Average": sum(vals) / len(vals), "Maximum": max(vals), "Minimum": min(vals)}[stat]


def _breach(comp: str, v: float, thr: float) -> bool:
    return {"GreaterThanThreshold": v > thr, "GreaterThanOrEqualToThreshold": v >= thr,
            "LessThanThreshold": v < thr, "LessThanOrEqualToThreshold": v <= thr}[comp]


def first_breach(sc: Scn, ns: str, metric: str, dims: dict, stat: str, period: int, evals: int, thr: float,
                 comp: str, after: int = HIST) -> int:
    """Earliest period-aligned end time at which ``evals`` consecutive periods breach."""
    m = next(m for m in sc.d["metrics"] if m["namespace"] == ns and m["name"] == metric and m["dimensions"] == dims)
    pts = {int(p[0]): p[1] for p in m["points"]}
    start = after - after % period + period * evals
    for end in range(start, 1, period):
        ok = True
        for k in range(evals):
            hi = end - k * period
            vals = [v for t, v in pts.items() if hi - period <= t < hi]
            if not vals or not _breach(comp, _agg(stat, vals), thr):
                ok = False
                break
        if ok:
            return end
    raise AssertionError(f"{sc.d['name']}: {metric} never breaches {thr}")


def auto_alarm(sc: Scn, name: str, ns: str, metric: str, dims: dict, stat: str, period: int, evals: int, thr: float,
               comp: str, description: str, after: int = HIST) -> int:
    changed = first_breach(sc, ns, metric, dims, stat, period, evals, thr, comp, after)
    sc.alarm(name, ns, metric, dims, stat, period, evals, thr, comp, changed, description)
    return changed
