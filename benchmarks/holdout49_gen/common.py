"""Shared helpers for the holdout-49 scenario set: seeded randomness, wall-clock
rendering for log text, metric series, alarms evaluated from their own metric,
CloudTrail-style changes and YAML output.

All times are seconds relative to "now" (negative = past), as the format requires.
Each scenario also fixes a notional wall-clock "now" (UTC) so that timestamps
written inside log text are self-consistent (possibly in another time zone).
"""
from __future__ import annotations

import datetime as dt
import math
import random
import uuid

import yaml

H6 = 21600  # six hours of metric history


class Rng(random.Random):
    """random.Random with a few helpers; always seeded, so output is deterministic."""

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self.getrandbits(128), version=4))

    def hx(self, n: int) -> str:
        return "%0*x" % (n, self.getrandbits(4 * n))

    def pois(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 40:
            return max(0, int(round(self.gauss(lam, math.sqrt(lam)))))
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.random()
            if p < limit:
                return k
            k += 1

    def ip(self, prefix: str = "10.0") -> str:
        return "%s.%d.%d" % (prefix, self.randint(1, 30), self.randint(2, 250))

    def noise(self, mean: float, sd: float) -> float:
        return self.gauss(mean, sd)


class Clock:
    """Renders relative seconds as wall-clock text in a given UTC offset."""

    def __init__(self, now_utc: str):
        self.now = dt.datetime.fromisoformat(now_utc).replace(tzinfo=dt.timezone.utc)

    def at(self, rel: float, tz_hours: float = 0) -> dt.datetime:
        tz = dt.timezone(dt.timedelta(hours=tz_hours))
        return (self.now + dt.timedelta(seconds=rel)).astimezone(tz)

    def iso_z(self, rel: float) -> str:  # 2026-03-14T15:12:03.123Z
        return self.at(rel).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (self.at(rel).microsecond // 1000)

    def iso_off(self, rel: float, tz_hours: float, ms: bool = True) -> str:  # 2026-03-14T11:12:03.123-04:00
        d = self.at(rel, tz_hours)
        s = d.strftime("%Y-%m-%dT%H:%M:%S")
        if ms:
            s += ".%03d" % (d.microsecond // 1000)
        return s + d.strftime("%z")[:3] + ":" + d.strftime("%z")[3:]

    def fmt(self, rel: float, pattern: str, tz_hours: float = 0) -> str:
        d = self.at(rel, tz_hours)
        return d.strftime(pattern.replace("%f3", "%03d" % (d.microsecond // 1000)))

    def cw(self, rel: float) -> str:  # CloudWatch state-reason stamp, dd/mm/yy HH:MM:SS (UTC)
        return self.at(rel).strftime("%d/%m/%y %H:%M:%S")


# --------------------------------------------------------------------------- shapes

def ramp(t: float, t0: float, t1: float, v0: float, v1: float) -> float:
    if t <= t0:
        return v0
    if t >= t1:
        return v1
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


def diurnal(t: float, amp: float = 0.1, phase: float = 0.0) -> float:
    """A gentle multiplicative daily swing around 1.0."""
    return 1.0 + amp * math.sin(2 * math.pi * (t + phase) / 86400.0)


def pts(fn, start: int = -H6, end: int = -60, step: int = 60, nd: int = 3,
        lo: float | None = 0.0, hi: float | None = None, integer: bool = False,
        gaps: tuple = ()) -> list:
    """Sample fn(t) every step seconds; gaps are (t0, t1) spans with no data."""
    out = []
    for t in range(start, end + 1, step):
        if any(a <= t < b for a, b in gaps):
            continue
        v = fn(t)
        if v is None:
            continue
        if lo is not None:
            v = max(lo, v)
        if hi is not None:
            v = min(hi, v)
        v = float(int(round(v))) if integer else round(v, nd)
        out.append([t, v])
    return out


def metric(ns: str, name: str, dims: dict, unit: str, points: list, region: str | None = None) -> dict:
    m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
    if region:
        m["region"] = region
    m["points"] = points
    return m


def change(t: int, source: str, event: str, rtype: str, rname: str, user: str,
           region: str | None = None) -> dict:
    c = {"time": t, "event_source": source, "event_name": event, "resource_type": rtype,
         "resource_name": rname, "username": user}
    if region:
        c["region"] = region
    return c


# --------------------------------------------------------------------------- alarms

_CMP = {
    "GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
    "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
    "LessThanThreshold": (lambda v, th: v < th, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to"),
}


def _agg(vals: list, stat: str):
    if not vals:
        return None
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


def _num(v: float) -> str:
    r = round(v, 4)
    return repr(float(r))


def evaluate_alarm(points: list, period: int, stat: str, evals: int, thr: float, cmp: str,
                   clock: Clock, m_of_n: int | None = None):
    """Replay CloudWatch evaluation over the series; returns (state, changed, reason, flips)."""
    test, words = _CMP[cmp]
    need = m_of_n or evals
    if not points:
        n = evals
        return ("INSUFFICIENT_DATA", None,
                "Insufficient Data: %d datapoint%s %s unknown." % (n, "" if n == 1 else "s",
                                                                   "was" if n == 1 else "were"), 0)
    first = (points[0][0] // period) * period
    buckets: dict = {}
    for t, v in points:
        buckets.setdefault((t // period) * period, []).append(v)
    starts = list(range(first, 0, period))
    state, changed, reason, flips = "INSUFFICIENT_DATA", None, "", 0
    series = []  # (start, value or None)
    for s in starts:
        if s + period > 0:
            break
        series.append((s, _agg(buckets.get(s, []), stat)))
        window = series[-evals:]
        known = [(ts, v) for ts, v in window if v is not None]
        breach = [(ts, v) for ts, v in known if test(v, thr)]
        if len(breach) >= need:
            new = "ALARM"
        elif known:
            new = "OK"
        else:
            new = state if state != "INSUFFICIENT_DATA" else "INSUFFICIENT_DATA"
        if new != state:
            if state in ("OK", "ALARM"):
                flips += 1
            state, changed = new, min(s + period + 15, -5)
            shown = list(reversed(breach if new == "ALARM" else known))
            listing = ", ".join("%s (%s)" % (_num(v), clock.cw(ts)) for ts, v in shown)
            if new == "ALARM" and m_of_n and m_of_n < evals:
                reason = ("Threshold Crossed: %d out of the last %d datapoints [%s] were %s the "
                          "threshold (%s) (minimum %d datapoint%s for OK -> ALARM transition)."
                          % (len(breach), evals, listing, words, _num(thr), need,
                             "" if need == 1 else "s"))
            elif new == "ALARM":
                reason = ("Threshold Crossed: %d datapoint%s [%s] %s %s the threshold (%s)."
                          % (len(breach), "" if len(breach) == 1 else "s", listing,
                             "was" if len(breach) == 1 else "were", words, _num(thr)))
            elif new == "OK":
                reason = ("Threshold Crossed: %d datapoint%s [%s] %s not %s the threshold (%s)."
                          % (len(known), "" if len(known) == 1 else "s", listing,
                             "was" if len(known) == 1 else "were", words, _num(thr)))
    return state, changed, reason, flips


def alarm(name: str, m: dict, stat: str, period: int, evals: int, thr: float, cmp: str,
          clock: Clock, expect_state: str, description: str | None = None,
          m_of_n: int | None = None, dims: dict | None = None, namespace: str | None = None,
          metric_name: str | None = None, points: list | None = None,
          insufficient_since: int = -1_000_000) -> dict:
    """Build an alarm whose state/reason/state_changed follow from its own metric.

    m is the metric dict it watches (or None for a metric that does not exist, in which
    case namespace/metric_name/dims must be given and the alarm is INSUFFICIENT_DATA).
    """
    series = points if points is not None else (m["points"] if m else [])
    state, changed, reason, _ = evaluate_alarm(series, period, stat, evals, thr, cmp, clock, m_of_n)
    if state != expect_state:
        raise AssertionError("alarm %s evaluates to %s, expected %s" % (name, state, expect_state))
    if changed is None:
        changed = insufficient_since
    a = {
        "name": name,
        "namespace": namespace or m["namespace"],
        "metric": metric_name or m["name"],
        "dimensions": dict(dims if dims is not None else m["dimensions"]),
        "statistic": stat,
        "period": period,
        "evaluation_periods": evals,
        "threshold": thr,
        "comparison": cmp,
        "state": state,
        "state_reason": reason,
        "state_changed": int(changed),
    }
    if description:
        a["description"] = description
    return a


def flips(m: dict, stat: str, period: int, evals: int, thr: float, cmp: str, clock: Clock,
          m_of_n: int | None = None) -> int:
    return evaluate_alarm(m["points"], period, stat, evals, thr, cmp, clock, m_of_n)[3]


# --------------------------------------------------------------------------- output

def scenario(name: str, description: str, region: str, resources: list, metrics: list,
             logs: list, alarms: list, changes: list, expect: dict) -> dict:
    for lg in logs:
        lg["events"].sort(key=lambda e: e[0])
        lg["events"] = [[round(t, 3), s] for t, s in lg["events"] if t < 0]
    return {
        "format": "aiops-scenario/v1",
        "name": name,
        "description": description,
        "region": region,
        "resources": resources,
        "metrics": metrics,
        "logs": logs,
        "alarms": alarms,
        "changes": sorted(changes, key=lambda c: c["time"]),
        "expect": expect,
    }


def log_stream(group: str, stream: str, events: list, region: str | None = None) -> dict:
    d = {"group": group, "stream": stream}
    if region:
        d["region"] = region
    d["events"] = events
    return d


def expect(alarm_name: str, category: str, resources: list, anomalies: list) -> dict:
    return {
        "alarm": alarm_name,
        "root_cause": {"category": category, "resource": list(resources)},
        "anomalies": [{"namespace": a["namespace"], "name": a["name"],
                       "dimensions": dict(a["dimensions"])} for a in anomalies],
    }


def dump(path: str, data: dict) -> int:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(data, Dumper=dumper, sort_keys=False, default_flow_style=None,
                     allow_unicode=True, width=4096)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return len(text.encode("utf-8"))
