"""Shared helpers for the set-15 generator: time axis, series shapes, metric entries,
alarm evaluation and log streams. Everything is driven by one numpy Generator per
scenario, so a scenario is a pure function of its seed."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import numpy as np

START = -21600          # six hours of one-minute points
STEP = 60
UTC = timezone.utc
ACCOUNT = "123456789012"


class Ctx:
    """Per-scenario state: random generator, nominal wall clock for text timestamps."""

    def __init__(self, seed: int, now: datetime, utc_offset_h: float = 0.0):
        self.rng = np.random.default_rng(seed)
        self.now = now.replace(second=0, microsecond=0, tzinfo=UTC)
        self.utc_offset_h = utc_offset_h
        self.t = np.arange(START, 0, STEP, dtype=float)
        self.n = len(self.t)

    # ---- time -----------------------------------------------------------
    def at(self, rel: float) -> datetime:
        return self.now + timedelta(seconds=float(rel))

    def iso(self, rel: float, digits: int = 3, z: str = "Z") -> str:
        d = self.at(rel)
        frac = f"{d.microsecond:06d}"[:digits]
        return d.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if digits else "") + z

    def epoch(self, rel: float) -> float:
        return self.at(rel).timestamp()

    def day(self, rel: float = 0, sep: str = "/") -> str:
        return self.at(rel).strftime(f"%Y{sep}%m{sep}%d")

    def local_hours(self) -> np.ndarray:
        base = self.now.hour + self.now.minute / 60 + self.utc_offset_h
        return (base + self.t / 3600.0) % 24

    # ---- ids ------------------------------------------------------------
    def uuid(self) -> str:
        return str(uuid.UUID(bytes=self.rng.bytes(16), version=4))

    def hex(self, n: int) -> str:
        return self.rng.bytes((n + 1) // 2).hex()[:n]

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{int(self.rng.integers(1, 60))}.{int(self.rng.integers(2, 254))}"

    def pick(self, seq, p=None):
        return seq[int(self.rng.choice(len(seq), p=p))]

    # ---- shapes ---------------------------------------------------------
    def daily(self, peak_hour: float = 14.0, amp: float = 0.35) -> np.ndarray:
        """Multiplicative daily traffic shape (1 +/- amp) over the metric axis."""
        h = self.local_hours()
        return 1.0 + amp * np.cos(2 * np.pi * (h - peak_hour) / 24.0)

    def ar(self, sd: float, phi: float = 0.85) -> np.ndarray:
        """AR(1) noise with the given stationary standard deviation."""
        e = self.rng.normal(0, sd * np.sqrt(1 - phi * phi), self.n)
        out = np.empty(self.n)
        acc = self.rng.normal(0, sd)
        for i in range(self.n):
            acc = phi * acc + e[i]
            out[i] = acc
        return out

    def poisson(self, lam) -> np.ndarray:
        return self.rng.poisson(np.maximum(np.asarray(lam, dtype=float), 0)).astype(float)


def ramp(t: np.ndarray, t0: float, dur: float) -> np.ndarray:
    """0 before t0, 1 after t0+dur, linear in between."""
    if dur <= 0:
        return (t >= t0).astype(float)
    return np.clip((t - t0) / dur, 0.0, 1.0)


def window(t: np.ndarray, t0: float, t1: float) -> np.ndarray:
    return ((t >= t0) & (t < t1)).astype(float)


def bump(t: np.ndarray, t0: float, t1: float, rise: float = 180.0) -> np.ndarray:
    """Smooth plateau from t0 to t1 with linear edges of `rise` seconds."""
    return np.clip(np.minimum((t - t0) / rise, (t1 - t) / rise), 0.0, 1.0)


# ---- metrics ---------------------------------------------------------------

def metric(ctx: Ctx, namespace: str, name: str, dims: dict, unit: str, values, *,
           every: int = 1, skip_zero: bool = False, gaps: float = 0.0, absent=None,
           decimals: int = 3, lo: float | None = 0.0, hi: float | None = None,
           integer: bool = False, region: str | None = None) -> dict:
    """A metric entry. every=5 gives basic-monitoring 5-minute points (mean of the
    five minutes); skip_zero drops zero datapoints (ALB-style counters); gaps drops a
    random fraction of minutes; absent is a boolean mask of minutes with no data."""
    v = np.asarray(values, dtype=float).copy()
    if lo is not None:
        v = np.maximum(v, lo)
    if hi is not None:
        v = np.minimum(v, hi)
    if integer:
        v = np.round(v)
    t = ctx.t
    keep = np.ones(ctx.n, dtype=bool)
    if absent is not None:
        keep &= ~np.asarray(absent, dtype=bool)
    if gaps:
        keep &= ctx.rng.random(ctx.n) >= gaps
    points = []
    if every > 1:
        for i in range(0, ctx.n, every):
            sel = [j for j in range(i, min(i + every, ctx.n)) if keep[j]]
            if len(sel) < max(1, every // 2):
                continue
            val = float(np.mean(v[sel]))
            if skip_zero and val == 0:
                continue
            points.append([int(t[i]), round(val, decimals)])
    else:
        for i in range(ctx.n):
            if not keep[i] or (skip_zero and v[i] == 0):
                continue
            points.append([int(t[i]), round(float(v[i]), decimals)])
    entry = {"namespace": namespace, "name": name, "dimensions": dict(dims), "unit": unit}
    if region:
        entry["region"] = region
    entry["points"] = points
    return entry


# ---- alarms ----------------------------------------------------------------

_CMP = {"GreaterThanThreshold": ("greater than", lambda v, th: v > th),
        "GreaterThanOrEqualToThreshold": ("greater than or equal to", lambda v, th: v >= th),
        "LessThanThreshold": ("less than", lambda v, th: v < th),
        "LessThanOrEqualToThreshold": ("less than or equal to", lambda v, th: v <= th)}


def _aggregate(vals: list[float], stat: str) -> float:
    a = np.asarray(vals, dtype=float)
    if stat == "Sum":
        return float(a.sum())
    if stat == "Average":
        return float(a.mean())
    if stat == "Maximum":
        return float(a.max())
    if stat == "Minimum":
        return float(a.min())
    if stat == "SampleCount":
        return float(len(a))
    if stat.startswith("p"):
        return float(np.percentile(a, float(stat[1:])))
    raise ValueError(stat)


def _fmt(v: float) -> str:
    """CloudWatch-style (Java Double.toString) number rendering."""
    if v != 0 and (abs(v) >= 1e7 or abs(v) < 1e-3):
        mant, exp = f"{v:.9E}".split("E")
        mant = mant.rstrip("0").rstrip(".")
        if "." not in mant:
            mant += ".0"
        return f"{mant}E{int(exp)}"
    r = round(v, 3)
    return repr(float(r))


def alarm(entry: dict, name: str, stat: str, period: int, evals: int, threshold: float,
          comparison: str, *, to_alarm: int | None = None, description: str | None = None,
          rng: np.random.Generator | None = None) -> dict:
    """Evaluate the alarm over the entry's points like CloudWatch would (M of N, missing
    data ignored) and return the alarm dict with the resulting state, reason and time."""
    m = to_alarm or evals
    word, test = _CMP[comparison]
    buckets: dict[int, list[float]] = {}
    for ts, val in entry["points"]:
        b = int(np.floor((ts - START) / period))
        buckets.setdefault(b, []).append(val)
    series = [(START + (b + 1) * period, _aggregate(vs, stat)) for b, vs in sorted(buckets.items())]
    state, changed, reason, flips = "INSUFFICIENT_DATA", float(START), "", 0
    delay = float(rng.uniform(25, 70)) if rng is not None else 45.0
    for i in range(len(series)):
        last = series[max(0, i - evals + 1): i + 1]
        if len(last) < evals:
            continue
        breaching = [v for _, v in last if test(v, threshold)]
        new = "ALARM" if len(breaching) >= m else "OK"
        if new != state:
            state, changed, flips = new, series[i][0] + delay, flips + 1
            vals = ", ".join(_fmt(v) for _, v in reversed(last))
            if new == "ALARM":
                k = len(breaching)
                reason = (f"Threshold Crossed: {k} out of the last {evals} datapoints [{vals}] "
                          f"{'was' if k == 1 else 'were'} {word} the threshold ({_fmt(threshold)}) "
                          f"(minimum {m} datapoint{'s' if m > 1 else ''} for OK -> ALARM transition).")
            else:
                k = evals - len(breaching)
                reason = (f"Threshold Crossed: {k} out of the last {evals} datapoints [{vals}] "
                          f"{'was' if k == 1 else 'were'} not {word} the threshold ({_fmt(threshold)}) "
                          f"(minimum 1 datapoint for ALARM -> OK transition).")
    if flips == 1 and state == "OK":  # steady since long before the window
        changed = -86400.0 * float(rng.uniform(2, 20) if rng is not None else 7) - delay
    out = {"name": name, "namespace": entry["namespace"], "metric": entry["name"],
           "dimensions": dict(entry["dimensions"]), "statistic": stat, "period": period,
           "evaluation_periods": evals, "threshold": threshold, "comparison": comparison,
           "state": state, "state_reason": reason, "state_changed": round(min(changed, -5.0), 1)}
    if entry.get("region"):
        out["region"] = entry["region"]
    if description:
        out["description"] = description
    return out


# ---- logs ------------------------------------------------------------------

class Stream:
    """One CloudWatch Logs stream being filled with events."""

    def __init__(self, group: str, stream: str, region: str | None = None):
        self.group, self.stream, self.region = group, stream, region
        self.events: list[tuple[float, str]] = []

    def add(self, t: float, msg: str) -> None:
        if msg and -21600 <= t < -0.05:
            self.events.append((round(float(t), 3), msg))

    def lines(self, t: float, msgs: list[str], step: float = 0.0) -> None:
        """Several events written at (almost) the same instant, e.g. a stack dump
        split line by line by the awslogs driver."""
        for i, m in enumerate(msgs):
            self.add(t + i * step, m)

    def to_dict(self) -> dict:
        ev = sorted(self.events, key=lambda e: e[0])
        d = {"group": self.group, "stream": self.stream}
        if self.region:
            d["region"] = self.region
        d["events"] = [[t, m] for t, m in ev]
        return d


def per_minute_times(ctx: Ctx, counts, t_from: float, t_to: float = 0.0) -> list[float]:
    """Random event instants: counts[i] events inside minute i, for minutes in [t_from, t_to)."""
    out: list[float] = []
    for i, c in enumerate(np.asarray(counts, dtype=int)):
        t0 = ctx.t[i]
        if t0 < t_from or t0 >= t_to or c <= 0:
            continue
        out.extend((t0 + ctx.rng.uniform(0, 60, int(c))).tolist())
    out.sort()
    return out


def change(t: float, source: str, event: str, rtype: str | None, rname: str | None,
           user: str, region: str | None = None) -> dict:
    d = {"time": float(t), "event_source": source, "event_name": event}
    if rtype:
        d["resource_type"] = rtype
    if rname:
        d["resource_name"] = rname
    d["username"] = user
    if region:
        d["region"] = region
    return d


def scenario(name: str, description: str, region: str, resources: list, metrics: list,
             logs: list, alarms: list, changes: list, expect: dict) -> dict:
    return {"format": "aiops-scenario/v1", "name": name, "description": description,
            "region": region, "resources": resources, "metrics": metrics,
            "logs": [s.to_dict() if isinstance(s, Stream) else s for s in logs],
            "alarms": alarms, "changes": sorted(changes, key=lambda c: c["time"]), "expect": expect}
