"""Shared helpers for the holdout-28 scenario set ("timing and degrees").

Everything is deterministic: each scenario builds its own ``random.Random(seed)``.
Times are seconds relative to "now" (negative = past), as the scenario format requires.
Log text carries wall-clock stamps derived from a fixed per-scenario anchor so that
hour boundaries ("top of the hour") are consistent between metrics and log lines.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import random
import uuid

HIST = 21600          # six hours of metric history
LOGS = 10800          # three hours of log history by default
UTC = _dt.timezone.utc


class Clock:
    """Maps relative seconds to a fixed wall clock used only inside log text."""

    def __init__(self, now_iso: str):
        self.now = _dt.datetime.fromisoformat(now_iso).replace(tzinfo=UTC)

    def at(self, rel: float) -> _dt.datetime:
        return self.now + _dt.timedelta(seconds=rel)

    def top_of_hour(self, hours_back: int = 0) -> int:
        """Relative seconds of the most recent top of the hour (minus N hours)."""
        n = self.now
        top = n.replace(minute=0, second=0, microsecond=0)
        return int((top - n).total_seconds()) - 3600 * hours_back

    def iso(self, rel: float) -> str:
        return self.at(rel).strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.at(rel).microsecond // 1000:03d}Z"

    def iso_us(self, rel: float) -> str:
        return self.at(rel).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def pg(self, rel: float) -> str:
        return self.at(rel).strftime("%Y-%m-%d %H:%M:%S UTC")

    def logback(self, rel: float) -> str:
        d = self.at(rel)
        return d.strftime("%Y-%m-%d %H:%M:%S.") + f"{d.microsecond // 1000:03d}"

    def golog(self, rel: float) -> str:
        return self.at(rel).strftime("%Y/%m/%d %H:%M:%S")

    def clf(self, rel: float) -> str:
        return self.at(rel).strftime("%d/%b/%Y:%H:%M:%S +0000")

    def syslog(self, rel: float) -> str:
        d = self.at(rel)
        return d.strftime("%b ") + f"{d.day:>2}" + d.strftime(" %H:%M:%S")

    def alarm_ts(self, rel: float) -> str:
        return self.at(rel).strftime("%d/%m/%y %H:%M:%S")

    def epoch(self, rel: float) -> int:
        return int(self.at(rel).timestamp())


def jd(obj) -> str:
    """Compact JSON, as structured loggers (zap, slog, pino, .NET JsonConsole) write it."""
    return json.dumps(obj, separators=(",", ":"))


def rid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def hexid(rng: random.Random, n: int = 32) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def clamp(v: float, lo: float = 0.0, hi: float = float("inf")) -> float:
    return max(lo, min(hi, v))


def ramp(t: float, t0: float, t1: float, v0: float, v1: float) -> float:
    """Linear from v0 at t0 to v1 at t1, flat outside."""
    if t <= t0:
        return v0
    if t >= t1:
        return v1
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


def smooth(t: float, t0: float, width: float) -> float:
    """0 before t0, rising smoothly to 1 over `width` seconds."""
    if t <= t0:
        return 0.0
    x = min(1.0, (t - t0) / width)
    return 0.5 - 0.5 * math.cos(math.pi * x)


def diurnal(t: float, amp: float = 0.08, phase: float = 0.0) -> float:
    """Gentle multiplicative daily shape around 1.0."""
    return 1.0 + amp * math.sin(2 * math.pi * (t + phase) / 86400.0)


def series(fn, start: int = -HIST, end: int = -60, step: int = 60, nd: int = 3):
    out = []
    for t in range(start, end + 1, step):
        v = fn(t)
        if v is None:
            continue
        out.append([t, round(float(v), nd)])
    return out


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def metric(ns, name, dims, unit, points, region=None):
    m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit, "points": points}
    if region:
        m["region"] = region
    return m


def change(t, source, name, rtype, rname, user, region=None):
    c = {"time": int(t), "event_source": source, "event_name": name, "resource_type": rtype,
         "resource_name": rname, "username": user}
    if region:
        c["region"] = region
    return c


_STATS = {
    "Sum": sum,
    "Average": lambda xs: sum(xs) / len(xs),
    "Maximum": max,
    "Minimum": min,
}
_CMP = {
    "GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
    "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
    "LessThanThreshold": (lambda v, th: v < th, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to"),
}


def _buckets(points, period, stat):
    b = {}
    for t, v in points:
        b.setdefault(int(math.floor(t / period) * period), []).append(v)
    return sorted((k, _STATS[stat](vs)) for k, vs in b.items())


def alarm(clock: Clock, name: str, m: dict, stat: str, period: int, evals: int, threshold: float,
          comparison: str = "GreaterThanThreshold", after: int = -HIST + 3600, description: str | None = None,
          to_alarm: int | None = None, lag: int = 40, state: str = "ALARM"):
    """Build an alarm whose state_changed is the first time the metric satisfies the rule after `after`.

    Checks that the rule still holds on the latest datapoints so that ALARM at "now" is consistent.
    For state OK, the alarm is returned in OK with the time it last went OK (or long ago).
    """
    to_alarm = to_alarm or evals
    test, words = _CMP[comparison]
    bk = _buckets(m["points"], period, stat)
    # drop a trailing partial bucket
    if bk and bk[-1][0] + period > 0:
        bk = bk[:-1]
    vals = [(k, v, test(v, threshold)) for k, v in bk]
    fired = None
    for i in range(evals - 1, len(vals)):
        window = vals[i - evals + 1:i + 1]
        if window[-1][0] < after:
            continue
        if sum(1 for w in window if w[2]) >= to_alarm and window[-1][2]:
            fired = i
            break
    base = {"name": name, "namespace": m["namespace"], "metric": m["name"], "dimensions": dict(m["dimensions"]),
            "statistic": stat, "period": period, "evaluation_periods": evals, "threshold": threshold,
            "comparison": comparison}
    if to_alarm != evals:
        base["datapoints_to_alarm"] = to_alarm
    if state == "ALARM":
        if fired is None:
            raise ValueError(f"alarm {name}: rule never satisfied")
        last = vals[-evals:]
        if sum(1 for w in last if w[2]) < to_alarm:
            raise ValueError(f"alarm {name}: would have returned to OK by now")
        window = vals[fired - evals + 1:fired + 1]
        dps = ", ".join(f"{_fmt(v)} ({clock.alarm_ts(k)})" for k, v, _ in reversed(window))
        nb = sum(1 for w in window if w[2])
        base.update(state="ALARM", state_changed=int(window[-1][0] + period + lag),
                    state_reason=(f"Threshold Crossed: {nb} out of the last {evals} datapoints [{dps}] "
                                  f"{'was' if evals == 1 else 'were'} {words} the threshold ({_fmt(threshold)}) "
                                  f"(minimum {to_alarm} datapoint{'s' if to_alarm > 1 else ''} for OK -> ALARM "
                                  f"transition)."))
    else:
        if fired is not None:
            raise ValueError(f"alarm {name}: OK alarm would have fired")
        k, v, _ = vals[-1]
        base.update(state="OK", state_changed=int(-HIST - 86400 * 3),
                    state_reason=(f"Threshold Crossed: 1 out of the last {evals} datapoints [{_fmt(v)} "
                                  f"({clock.alarm_ts(k)})] was not {words} the threshold ({_fmt(threshold)}) "
                                  f"(minimum 1 datapoint for ALARM -> OK transition)."))
    if description:
        base["description"] = description
    return base


def _fmt(v):
    v = float(v)
    return f"{v:.1f}" if abs(v) >= 1 else f"{v:.4g}"


def sort_events(events):
    events.sort(key=lambda e: e[0])
    out, last = [], None
    for t, msg in events:
        t = round(t, 3)
        if last is not None and t <= last:
            t = round(last + 0.001, 3)
        out.append([t, msg])
        last = t
    return out


def log_stream(group, stream, events, region=None):
    d = {"group": group, "stream": stream, "events": sort_events([e for e in events if e[0] < -0.5])}
    if region:
        d["region"] = region
    return d
