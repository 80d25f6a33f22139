"""Shared building blocks for the holdout73 scenario set (adapted from the holdout57 helpers).

A `Scenario` collects resources, metric series, log streams, alarms and
CloudTrail-style changes, evaluates alarms against its own series (so alarm
states and reasons agree with the data) and serialises to aiops-scenario/v1.
Everything is driven by one seeded `random.Random`, so output is deterministic.
"""
from __future__ import annotations

import datetime as _dt
import math
import random

import yaml

HISTORY = 21600          # six hours of one-minute metric history
GRID = list(range(-HISTORY, 0, 60))

_CMP = {
    "GreaterThanThreshold": ("greater than", lambda v, th: v > th),
    "GreaterThanOrEqualToThreshold": ("greater than or equal to", lambda v, th: v >= th),
    "LessThanThreshold": ("less than", lambda v, th: v < th),
    "LessThanOrEqualToThreshold": ("less than or equal to", lambda v, th: v <= th),
}


# --------------------------------------------------------------------------- shapes
def ramp(t: float, t0: float, t1: float) -> float:
    """0 before t0, 1 after t1, smooth in between."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    x = (t - t0) / (t1 - t0)
    return x * x * (3 - 2 * x)


def step(t: float, t0: float, before: float, after: float, width: float = 0.0) -> float:
    if width <= 0:
        return after if t >= t0 else before
    return before + (after - before) * ramp(t, t0, t0 + width)


def bump(t: float, t0: float, t1: float, height: float, edge: float = 300.0) -> float:
    """A plateau of `height` between t0 and t1 with soft edges."""
    return height * ramp(t, t0 - edge, t0) * (1.0 - ramp(t, t1, t1 + edge))


class Scenario:
    prefix = "h73"  # the set's file-name prefix; later sets reuse this class under their own

    def __init__(self, num: int, slug: str, description: str, region: str,
                 seed: int, now_iso: str):
        self.num = num
        self.slug = slug
        self.name = f"{self.prefix}-{num:02d}-{slug}"
        self.description = description
        self.region = region
        self.rng = random.Random(seed)
        self.now = _dt.datetime.fromisoformat(now_iso)
        self.account = str(self.rng.randint(10 ** 11, 10 ** 12 - 1))
        self.resources: list = []
        self.metrics: list = []
        self.logs: dict = {}
        self.alarms: list = []
        self.changes: list = []
        self.expect: dict = {}
        self.meta: dict = {}
        self._series: dict = {}

    # ------------------------------------------------------------------ time/ids
    def at(self, t: float) -> _dt.datetime:
        return self.now + _dt.timedelta(seconds=t)

    def iso(self, t: float, digits: int = 3) -> str:
        d = self.at(t)
        frac = f"{d.microsecond:06d}"[:digits]
        return d.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if digits else "") + "Z"

    def epoch_ms(self, t: float) -> int:
        return int(self.at(t).timestamp() * 1000)

    def uuid(self) -> str:
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"

    def hexid(self, n: int = 32) -> str:
        return f"{self.rng.getrandbits(4 * n):0{n}x}"

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{self.rng.randint(1, 15)}.{self.rng.randint(2, 250)}"

    # ------------------------------------------------------------------ series
    def series(self, fn, noise: float = 0.05, abs_noise: float = 0.0, floor: float = 0.0,
               cap: float | None = None, integer: bool = False, digits: int = 3,
               times=None) -> list:
        """Sample fn(t) on the grid with multiplicative + additive noise."""
        out = []
        rng = self.rng
        for t in (times or GRID):
            m = fn(t)
            if m is None:
                out.append(None)
                continue
            if integer:
                v = m + rng.gauss(0, math.sqrt(max(m, 0.0)) * (1 + noise * 2)) if m > 0 else 0.0
                v = max(floor, round(v))
            else:
                v = m * (1 + rng.gauss(0, noise)) + rng.gauss(0, abs_noise)
                v = max(floor, v)
                v = round(v, digits)
            if cap is not None:
                v = min(cap, v)
            out.append(float(v))
        return out

    def metric(self, namespace: str, name: str, dims: dict, unit: str, values: list,
               times=None) -> list:
        times = times or GRID
        pts = [[int(t), float(v)] for t, v in zip(times, values) if v is not None]
        self.metrics.append({"namespace": namespace, "name": name, "dimensions": dict(dims),
                             "unit": unit, "points": pts})
        self._series[(namespace, name, tuple(sorted(dims.items())))] = pts
        return values

    def value_at(self, namespace: str, name: str, dims: dict) -> dict:
        pts = self._series[(namespace, name, tuple(sorted(dims.items())))]
        return {t: v for t, v in pts}

    # ------------------------------------------------------------------ others
    def resource(self, rtype: str, rid: str, **props) -> None:
        r = {"type": rtype, "id": rid}
        if props:
            r["properties"] = props
        self.resources.append(r)

    def log(self, group: str, stream: str, t: float, text: str) -> None:
        if t > -0.002:  # nothing is logged after "now"
            return
        self.logs.setdefault((group, stream), []).append((round(t, 3), text))

    def change(self, t: float, source: str, event: str, rtype: str, rname: str, user: str) -> None:
        self.changes.append({"time": int(t), "event_source": source, "event_name": event,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    def alarm(self, name: str, namespace: str, metric: str, dims: dict, statistic: str,
              period: int, evals: int, threshold: float, comparison: str,
              description: str | None = None) -> dict:
        pts = self._series[(namespace, metric, tuple(sorted(dims.items())))]
        state, changed, reason = self._evaluate(pts, statistic, period, evals, threshold, comparison)
        a = {"name": name, "namespace": namespace, "metric": metric, "dimensions": dict(dims),
             "statistic": statistic, "period": period, "evaluation_periods": evals,
             "threshold": threshold, "comparison": comparison, "state": state,
             "state_reason": reason, "state_changed": changed}
        if description:
            a["description"] = description
        self.alarms.append(a)
        return a

    def _evaluate(self, pts, statistic, period, evals, threshold, comparison):
        buckets: dict = {}
        for t, v in pts:
            buckets.setdefault((t // period) * period, []).append(v)
        agg = []
        for b in sorted(buckets):
            vals = buckets[b]
            if statistic == "Sum":
                x = sum(vals)
            elif statistic == "Average":
                x = sum(vals) / len(vals)
            elif statistic == "Maximum":
                x = max(vals)
            elif statistic == "Minimum":
                x = min(vals)
            else:
                x = float(len(vals))
            agg.append((b, x))
        word, test = _CMP[comparison]
        state, changed, window = "INSUFFICIENT_DATA", -HISTORY, []
        for i in range(evals - 1, len(agg)):
            win = agg[i - evals + 1:i + 1]
            new = "ALARM" if all(test(x, threshold) for _, x in win) else "OK"
            if new != state:
                state, changed = new, min(win[-1][0] + period + 25, -8)
            window = win
        shown = ", ".join(f"{self._fmt_num(x)} ({self.at(b).strftime('%d/%m/%y %H:%M:%S')})"
                          for b, x in reversed(window))
        thr = self._fmt_num(float(threshold))
        if state == "ALARM":
            if evals == 1:
                reason = f"Threshold Crossed: 1 datapoint [{shown}] was {word} the threshold ({thr})."
            else:
                reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoints [{shown}] "
                          f"were {word} the threshold ({thr}) (minimum {evals} datapoints for "
                          f"OK -> ALARM transition).")
        else:
            n = len(window)
            reason = (f"Threshold Crossed: {n} datapoint{'s' if n != 1 else ''} [{shown}] "
                      f"{'were' if n != 1 else 'was'} not {word} the threshold ({thr}).")
        return state, changed, reason

    @staticmethod
    def _fmt_num(x: float) -> str:
        r = round(x, 4)
        return repr(float(r))

    # ------------------------------------------------------------------ output
    def to_dict(self) -> dict:
        logs = []
        for (group, stream), events in self.logs.items():
            events.sort(key=lambda e: e[0])
            logs.append({"group": group, "stream": stream,
                         "events": [_Flow([t, txt]) for t, txt in events]})
        metrics = []
        for m in self.metrics:
            m = dict(m)
            m["points"] = [_Flow(p) for p in m["points"]]
            metrics.append(m)
        return {"format": "aiops-scenario/v1", "name": self.name,
                "description": self.description, "region": self.region,
                "resources": self.resources, "metrics": metrics, "logs": logs,
                "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self.expect}

    def dump(self) -> str:
        return yaml.dump(self.to_dict(), Dumper=_Dumper, sort_keys=False, width=1 << 20,
                         allow_unicode=True)


class _Flow(list):
    pass


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def diurnal(sc: Scenario, t: float, peak_hour: float = 14.0, amp: float = 0.25) -> float:
    """Business-day load factor from the scenario's wall clock (UTC hours)."""
    d = sc.at(t)
    h = d.hour + d.minute / 60.0
    return 1.0 + amp * math.cos(2 * math.pi * (h - peak_hour) / 24.0)


def counts_per_minute(values: list, start: float, end: float) -> dict:
    """{minute_start: value} for grid minutes in [start, end)."""
    return {t: v for t, v in zip(GRID, values) if start <= t < end and v is not None}
