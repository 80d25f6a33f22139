"""Shared scenario builder for holdout set 37 (standard library + pyyaml only).

All times are seconds relative to load time ("now" = 0). Each scenario also carries a fixed
absolute anchor used only to render realistic timestamps inside log lines.
"""
from __future__ import annotations

import datetime as _dt
import math
import os
import random
import uuid

import yaml

OUT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout37")
START = -21600          # six hours of metric history
END = -60
LOG_START = -10800      # three hours of logs

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_CMP = {
    "GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
    "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
    "LessThanThreshold": (lambda v, th: v < th, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to"),
}


def sig(t: float, t0: float, width: float = 60.0) -> float:
    """Smooth 0 -> 1 step centred on t0."""
    x = (t - t0) / max(width, 1e-6)
    if x > 40:
        return 1.0
    if x < -40:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def ramp(t: float, t0: float, t1: float) -> float:
    """Linear 0 -> 1 between t0 and t1."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    return (t - t0) / (t1 - t0)


class Scenario:
    def __init__(self, num: int, slug: str, description: str, region: str, seed: int,
                 anchor: tuple, tz_hours: float = 0.0):
        self.num = num
        self.slug = slug
        self.name = f"h37-{num:02d}-{slug}"
        self.description = description
        self.region = region
        self.rng = random.Random(seed)
        self.anchor = _dt.datetime(*anchor, tzinfo=_dt.timezone.utc)
        self.tz_hours = tz_hours
        self.resources: list = []
        self.metrics: list = []
        self._logs: dict = {}
        self.alarms: list = []
        self.changes: list = []
        self._expect: dict = {}

    # ---------------------------------------------------------------- randomness
    def g(self, mu: float, sd: float) -> float:
        return self.rng.gauss(mu, sd)

    def n(self, v: float, frac: float = 0.08) -> float:
        """Value with multiplicative gaussian noise, never negative."""
        return max(0.0, v * (1.0 + self.rng.gauss(0.0, frac)))

    def cnt(self, lam: float) -> int:
        """Poisson-ish count."""
        if lam <= 0:
            return 0
        if lam < 40:
            limit, k, p = math.exp(-lam), 0, 1.0
            while True:
                p *= self.rng.random()
                if p <= limit:
                    return k
                k += 1
        return max(0, int(round(self.rng.gauss(lam, math.sqrt(lam)))))

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexs(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{self.rng.randint(1, 62)}.{self.rng.randint(2, 250)}"

    # ---------------------------------------------------------------- clock
    def dt(self, t: float) -> _dt.datetime:
        return self.anchor + _dt.timedelta(seconds=t)

    def iso(self, t: float, places: int = 3) -> str:
        d = self.dt(t)
        frac = f"{d.microsecond:06d}"[:places]
        return d.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if places else "") + "Z"

    def pgts(self, t: float) -> str:
        return self.dt(t).strftime("%Y-%m-%d %H:%M:%S UTC")

    def local_hour(self, t: float) -> float:
        d = self.dt(t) + _dt.timedelta(hours=self.tz_hours)
        return d.hour + d.minute / 60.0

    def diurnal(self, t: float, amp: float = 0.25, peak: float = 14.0) -> float:
        """Traffic multiplier following the local time of day."""
        return 1.0 + amp * math.cos(2 * math.pi * (self.local_hour(t) - peak) / 24.0)

    # ---------------------------------------------------------------- content
    def resource(self, rtype: str, rid: str, region: str | None = None, **props) -> None:
        entry = {"type": rtype, "id": rid}
        if region:
            entry["region"] = region
        if props:
            entry["properties"] = props
        self.resources.append(entry)

    def series(self, ns: str, name: str, dims: dict, unit: str, fn, step: int = 60,
               start: int = START, end: int = END, nd: int = 3, region: str | None = None) -> list:
        pts = []
        for t in range(start, end + 1, step):
            v = fn(t)
            if v is None:
                continue
            pts.append([t, round(float(v), nd)])
        entry = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            entry["region"] = region
        entry["points"] = pts
        self.metrics.append(entry)
        return pts

    def log(self, group: str, stream: str, t: float, msg: str, region: str | None = None) -> None:
        if t > -0.01:            # still in flight when the scenario was captured
            return
        key = (group, stream, region)
        self._logs.setdefault(key, []).append([round(t, 3), msg])

    def change(self, t: int, source: str, event: str, rtype: str, rname: str, user: str,
               region: str | None = None) -> None:
        entry = {"time": t, "event_source": source, "event_name": event, "resource_type": rtype,
                 "resource_name": rname, "username": user}
        if region:
            entry["region"] = region
        self.changes.append(entry)

    # ---------------------------------------------------------------- alarms
    def _find(self, ns: str, metric: str, dims: dict) -> list:
        for m in self.metrics:
            if m["namespace"] == ns and m["name"] == metric and m["dimensions"] == dims:
                return m["points"]
        raise KeyError(f"{self.name}: no series {ns} {metric} {dims}")

    def alarm(self, name: str, ns: str, metric: str, dims: dict, stat: str, period: int, evals: int,
              threshold: float, comparison: str, description: str | None = None, after: int = START,
              state: str = "ALARM", state_changed: int | None = None) -> None:
        """Add an alarm whose state change is computed from the stored series."""
        pts = self._find(ns, metric, dims)
        test, words = _CMP[comparison]
        buckets: dict = {}
        for t, v in pts:
            buckets.setdefault((t - START) // period, []).append(v)
        agg = []
        for b in sorted(buckets):
            vals = buckets[b]
            if stat == "Sum":
                a = sum(vals)
            elif stat == "Maximum":
                a = max(vals)
            elif stat == "Minimum":
                a = min(vals)
            else:
                a = sum(vals) / len(vals)
            agg.append((START + b * period, a))
        hit = None
        if state == "ALARM":
            for i in range(evals - 1, len(agg)):
                window = agg[i - evals + 1:i + 1]
                if window[0][0] >= after and all(test(a, threshold) for _, a in window):
                    hit = window
                    break
            if hit is None and state_changed is None:
                raise ValueError(f"{self.name}: alarm {name} never breaches")
        explicit = state_changed is not None
        if state_changed is None:
            state_changed = min(-5, hit[-1][0] + period + self.rng.randint(15, 75))
        if hit and not explicit:
            shown = ", ".join(f"{a:.1f} ({self.dt(t).strftime('%d/%m/%y %H:%M:%S')})" for t, a in reversed(hit))
            reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoints [{shown}] were {words} "
                      f"the threshold ({float(threshold)}) (minimum {evals} datapoint"
                      f"{'s' if evals > 1 else ''} for OK -> ALARM transition).")
        elif state == "ALARM":
            reason = f"Threshold Crossed: {evals} datapoints were {words} the threshold ({float(threshold)})."
        else:
            reason = (f"Threshold Crossed: no datapoints were {words} the threshold ({float(threshold)}) "
                      f"(minimum 1 datapoint for ALARM -> OK transition).")
        entry = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims), "statistic": stat,
                 "period": period, "evaluation_periods": evals, "threshold": threshold,
                 "comparison": comparison, "state": state, "state_reason": reason,
                 "state_changed": int(state_changed)}
        if description:
            entry["description"] = description
        self.alarms.append(entry)

    def expect(self, alarm: str, category: str, resources: list, anomalies: list) -> None:
        self._expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                        "anomalies": [{"namespace": a[0], "name": a[1], "dimensions": dict(a[2])} for a in anomalies]}

    # ---------------------------------------------------------------- output
    def to_dict(self) -> dict:
        logs = []
        for (group, stream, region), events in self._logs.items():
            events.sort(key=lambda e: e[0])
            entry = {"group": group, "stream": stream}
            if region:
                entry["region"] = region
            entry["events"] = events
            logs.append(entry)
        logs.sort(key=lambda e: (e["group"], e["stream"]))
        return {"format": "aiops-scenario/v1", "name": self.name, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics, "logs": logs,
                "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self._expect}

    def write(self, out_dir: str = OUT_DIR) -> str:
        os.makedirs(out_dir, exist_ok=True)
        path = os.path.join(out_dir, f"{self.name}.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            yaml.dump(self.to_dict(), fh, Dumper=_Dumper, default_flow_style=None, sort_keys=False,
                      width=1_000_000, allow_unicode=True)
        return path
