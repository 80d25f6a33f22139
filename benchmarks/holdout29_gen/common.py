"""Shared building blocks for the holdout-29 ("serverless shops") scenarios.

Everything is driven by a per-scenario ``random.Random(seed)`` so output is
deterministic.  Times are seconds relative to "now" (negative = past), as the
aiops-scenario/v1 format requires; text timestamps inside log lines are
rendered from a fixed fictional wall clock per scenario.
"""
from __future__ import annotations

import datetime as _dt
import math
import random

import yaml

START = -21600  # six hours of metric history
END = -60

CMP_TEXT = {
    "GreaterThanThreshold": "greater than",
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def ramp(t: float, t0: float, t1: float) -> float:
    """0 before t0, 1 after t1, linear in between."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    return (t - t0) / (t1 - t0)


class Scn:
    """One scenario document under construction."""

    def __init__(self, num: int, slug: str, region: str, seed: int,
                 now: str, description: str):
        self.num = num
        self.slug = slug
        self.region = region
        self.rng = random.Random(seed)
        self.now = _dt.datetime.fromisoformat(now).replace(tzinfo=_dt.timezone.utc)
        self.series: dict[tuple, list] = {}
        self.meta: dict = {}
        self.doc = {
            "format": "aiops-scenario/v1",
            "name": f"h29-{num:02d}-{slug}",
            "description": description,
            "region": region,
            "resources": [],
            "metrics": [],
            "logs": [],
            "alarms": [],
            "changes": [],
            "expect": {},
        }

    # ---------------------------------------------------------------- clocks
    def wall(self, t: float) -> _dt.datetime:
        return self.now + _dt.timedelta(seconds=t)

    def iso(self, t: float) -> str:
        w = self.wall(t)
        return w.strftime("%Y-%m-%dT%H:%M:%S.") + f"{w.microsecond // 1000:03d}Z"

    def iso_us(self, t: float) -> str:
        w = self.wall(t)
        return w.strftime("%Y-%m-%dT%H:%M:%S.") + f"{w.microsecond:06d}Z"

    def stamp(self, t: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
        return self.wall(t).strftime(fmt)

    def hour(self, t: float) -> float:
        w = self.wall(t)
        return w.hour + w.minute / 60.0

    def diurnal(self, t: float, peak: float = 14.0, depth: float = 0.35) -> float:
        """Smooth day-shape multiplier around 1.0 with its maximum at ``peak`` h."""
        return 1.0 + depth * math.cos((self.hour(t) - peak) / 24.0 * 2 * math.pi)

    # ------------------------------------------------------------------- ids
    def hexid(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def uid(self) -> str:
        h = self.hexid(32)
        v = "89ab"[self.rng.randrange(4)]
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{v}{h[17:20]}-{h[20:32]}"

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{self.rng.randint(1, 30)}.{self.rng.randint(2, 250)}"

    # ------------------------------------------------------------- contents
    def res(self, rtype: str, rid: str, region: str | None = None, **props):
        r = {"type": rtype, "id": rid}
        if region:
            r["region"] = region
        if props:
            r["properties"] = props
        self.doc["resources"].append(r)

    def metric(self, ns, name, dims, unit, points, region=None):
        m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            m["region"] = region
        m["points"] = points
        self.doc["metrics"].append(m)
        self.series[(ns, name, tuple(sorted(dims.items())))] = points
        return points

    def counts(self, rate, start=START, end=END, step=60, scale=1.0):
        """Poisson counts; ``rate(t)`` is the expected count per ``step``."""
        out = []
        for t in range(start, end + 1, step):
            lam = rate(t)
            if lam is None:
                continue
            out.append([t, float(poisson(self.rng, lam * scale))])
        return out

    def gauge(self, fn, noise=0.05, start=START, end=END, step=60, nd=3,
              lo=0.0, hi=None, absolute=False):
        """Continuous series: ``fn(t)`` with relative (or absolute) gaussian noise."""
        out = []
        for t in range(start, end + 1, step):
            base = fn(t)
            if base is None:
                continue
            v = base + self.rng.gauss(0, noise if absolute else noise * abs(base))
            v = max(lo, v)
            if hi is not None:
                v = min(hi, v)
            out.append([t, round(v, nd)])
        return out

    def log(self, group, stream, events, region=None):
        events = sorted(events, key=lambda e: e[0])
        entry = {"group": group, "stream": stream}
        if region:
            entry["region"] = region
        entry["events"] = [[round(t, 3), s] for t, s in events if t < 0]
        self.doc["logs"].append(entry)

    def change(self, t, source, name, rtype, rname, user, region=None):
        c = {"time": int(t), "event_source": source, "event_name": name,
             "resource_type": rtype, "resource_name": rname, "username": user}
        if region:
            c["region"] = region
        self.doc["changes"].append(c)

    # ---------------------------------------------------------------- alarms
    def alarm(self, name, ns, metric, dims, stat, period, evals, threshold,
              comparison="GreaterThanThreshold", description=None,
              datapoints=None, want=None, region=None, delay=45):
        """Add an alarm whose state is computed from the stored series."""
        pts = self.series[(ns, metric, tuple(sorted(dims.items())))]
        m_need = datapoints or evals
        buckets: dict[int, list] = {}
        for t, v in pts:
            b = (t - START) // period
            buckets.setdefault(b, []).append(v)
        agg = []
        for b in sorted(buckets):
            vals = buckets[b]
            if stat == "Sum":
                a = sum(vals)
            elif stat == "Average":
                a = sum(vals) / len(vals)
            elif stat == "Maximum":
                a = max(vals)
            elif stat == "Minimum":
                a = min(vals)
            else:
                raise ValueError(stat)
            agg.append((START + b * period, a))

        def breach(v):
            return {"GreaterThanThreshold": v > threshold,
                    "GreaterThanOrEqualToThreshold": v >= threshold,
                    "LessThanThreshold": v < threshold,
                    "LessThanOrEqualToThreshold": v <= threshold}[comparison]

        state, changed, reason_pts = "OK", START + evals * period, []
        for i in range(len(agg)):
            window = agg[max(0, i - evals + 1): i + 1]
            nb = sum(1 for _, v in window if breach(v))
            new = "ALARM" if (len(window) == evals and nb >= m_need) else "OK"
            if new != state:
                state, changed = new, agg[i][0] + period + delay
                reason_pts = list(reversed(window))
        if changed >= 0:
            changed = -5
        if want and state != want:
            raise AssertionError(f"{self.slug}: alarm {name} is {state}, expected {want}")
        word = CMP_TEXT[comparison]
        fmt = "%d/%m/%y %H:%M:%S"
        if state == "ALARM":
            shown = ", ".join(f"{round(v, 3)} ({self.stamp(t, fmt)})" for t, v in reason_pts)
            reason = (f"Threshold Crossed: {m_need} out of the last {evals} datapoints "
                      f"[{shown}] were {word} the threshold ({float(threshold)}) "
                      f"(minimum {m_need} datapoints for OK -> ALARM transition).")
        else:
            last = agg[-1]
            reason = (f"Threshold Crossed: 1 datapoint [{round(last[1], 3)} "
                      f"({self.stamp(last[0], fmt)})] was not {word} the threshold "
                      f"({float(threshold)}) (minimum 1 datapoint for ALARM -> OK transition).")
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
             "statistic": stat, "period": period, "evaluation_periods": evals,
             "threshold": threshold, "comparison": comparison, "state": state,
             "state_reason": reason, "state_changed": int(changed)}
        if description:
            a["description"] = description
        if region:
            a["region"] = region
        self.doc["alarms"].append(a)
        return a

    # --------------------------------------------------------------- grading
    def expect(self, alarm, category, resources, anomalies):
        self.doc["expect"] = {
            "alarm": alarm,
            "root_cause": {"category": category, "resource": list(resources)},
            "anomalies": [{"namespace": n, "name": m, "dimensions": dict(d)}
                          for n, m, d in anomalies],
        }

    def readme(self, alarm_on, decoys, story):
        e = self.doc["expect"]
        self.meta = {
            "file": f"h29-{self.num:02d}-{self.slug}.yaml", "region": self.region,
            "alarm": e["alarm"], "category": e["root_cause"]["category"],
            "resources": e["root_cause"]["resource"], "alarm_on": alarm_on,
            "decoys": decoys, "story": story,
        }


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def dump(doc: dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(doc, fh, Dumper=_Dumper, default_flow_style=None,
                  sort_keys=False, width=1 << 30, allow_unicode=True)
