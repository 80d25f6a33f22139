"""Shared helpers for the holdout55 scenario set: time grid, series, ids, alarms, YAML output.

Every scenario is built from a seeded ``random.Random`` so the output is deterministic.
"Now" (relative time 0) is rendered in log text as 2026-11-20 09:10:00 UTC: the on-call shift
started at 09:00 and the responder is ten minutes in.
"""
from __future__ import annotations

import datetime as _dt
import math
import random
import uuid

import yaml

NOW = _dt.datetime(2026, 11, 20, 9, 10, 0, tzinfo=_dt.timezone.utc)
MET_START = -21600          # six hours of one-minute metrics
T = [MET_START + 60 * i for i in range(360)]   # -21600 .. -60
LOG_START = -10800          # three hours of logs by default


# ---------------------------------------------------------------- time text
def at(t: float) -> _dt.datetime:
    return NOW + _dt.timedelta(seconds=t)


def iso(t: float) -> str:
    d = at(t)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def iso6(t: float) -> str:
    d = at(t)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond:06d}"


def hms(t: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return at(t).strftime(fmt)


def epoch_ms(t: float) -> int:
    return int(at(t).timestamp() * 1000)


# ---------------------------------------------------------------- randomness
def rid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def hexid(rng: random.Random, n: int = 32) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam < 30:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


def arrivals(rng: random.Random, t0: float, t1: float, per_min, jitter: bool = True) -> list[float]:
    """Poisson arrival times in [t0, t1) with a rate (events per minute) that may vary with time."""
    out: list[float] = []
    m = t0
    while m < t1:
        end = min(m + 60, t1)
        lam = per_min(m) * (end - m) / 60.0 if callable(per_min) else per_min * (end - m) / 60.0
        for _ in range(poisson(rng, lam)):
            out.append(round(rng.uniform(m, end), 3))
        m = end
    out.sort()
    return out


# ---------------------------------------------------------------- shapes
def sig(t: float, t0: float, width: float = 60.0) -> float:
    """Smooth 0 -> 1 step centred on t0."""
    x = (t - t0) / max(width, 1e-6)
    if x > 40:
        return 1.0
    if x < -40:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def window(t: float, t0: float, t1: float, width: float = 60.0) -> float:
    return sig(t, t0, width) * (1.0 - sig(t, t1, width))


def morning(t: float) -> float:
    """Diurnal factor: quiet around 03:00, climbing through the morning (about 0.5 -> 0.95)."""
    hour = 9 + 10 / 60 + t / 3600.0
    return 0.5 + 0.5 / (1.0 + math.exp(-(hour - 7.0) / 0.8))


def series(rng: random.Random, fn, noise: float = 0.05, lo: float | None = 0.0, hi: float | None = None,
           nd: int = 3, integer: bool = False, absnoise: float = 0.0) -> list[float]:
    out = []
    for t in T:
        v = fn(t)
        v = v * (1.0 + rng.gauss(0, noise)) + (rng.gauss(0, absnoise) if absnoise else 0.0)
        if lo is not None:
            v = max(lo, v)
        if hi is not None:
            v = min(hi, v)
        out.append(float(int(round(v)))) if integer else out.append(round(v, nd))
    return out


def counts(rng: random.Random, rate_fn) -> list[float]:
    """Per-minute Poisson counts with a time-varying mean."""
    return [float(poisson(rng, max(0.0, rate_fn(t)))) for t in T]


def value_at(values: list[float], t: float) -> float:
    i = int((t - MET_START) // 60)
    return values[max(0, min(len(values) - 1, i))]


# ---------------------------------------------------------------- scenario container
class Scenario:
    def __init__(self, name: str, region: str, seed: int, description: str):
        self.name, self.region, self.description = name, region, description
        self.rng = random.Random(seed)
        self.resources: list[dict] = []
        self.metrics: list[dict] = []
        self.logs: list[dict] = []
        self.alarms: list[dict] = []
        self.changes: list[dict] = []
        self._series: dict[tuple, list[float]] = {}

    # resources / metrics / logs / changes
    def resource(self, rtype: str, rid_: str, region: str | None = None, **props) -> None:
        item: dict = {"type": rtype, "id": rid_}
        if region:
            item["region"] = region
        if props:
            item["properties"] = props
        self.resources.append(item)

    def metric(self, ns: str, name: str, dims: dict, unit: str, values: list[float],
               region: str | None = None, gaps: tuple[tuple[float, float], ...] = ()) -> list[float]:
        pts = [[t, v] for t, v in zip(T, values) if v is not None and not any(a <= t < b for a, b in gaps)]
        item: dict = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            item["region"] = region
        item["points"] = pts
        self.metrics.append(item)
        self._series[(ns, name, tuple(sorted(dims.items())))] = values
        return values

    def get(self, ns: str, name: str, dims: dict) -> list[float]:
        return self._series[(ns, name, tuple(sorted(dims.items())))]

    def log(self, group: str, stream: str, events: list, region: str | None = None) -> None:
        if not events:
            return
        events = sorted(([round(float(t), 3), str(m)] for t, m in events if t < -0.01), key=lambda e: e[0])   # nothing after "now"
        if not events:
            return
        item: dict = {"group": group, "stream": stream}
        if region:
            item["region"] = region
        item["events"] = events
        self.logs.append(item)

    def change(self, t: float, source: str, event: str, rtype: str, rname: str, user: str,
               region: str | None = None) -> None:
        item = {"time": int(t), "event_source": source, "event_name": event, "resource_type": rtype,
                "resource_name": rname, "username": user}
        if region:
            item["region"] = region
        self.changes.append(item)

    # alarms
    def alarm(self, name: str, ns: str, metric: str, dims: dict, statistic: str, period: int, evals: int,
              threshold: float, comparison: str = "GreaterThanThreshold", description: str | None = None,
              state: str | None = None, region: str | None = None) -> dict:
        """Evaluate the alarm on the stored series: the state and its change time follow the data."""
        values = self.get(ns, metric, dims)
        buckets = _aggregate(values, period, statistic)
        breach = [_cmp(v, threshold, comparison) for _, v in buckets]
        last_breach = len(breach) >= evals and all(breach[-evals:])
        if state is not None and (state == "ALARM") != last_breach:
            raise ValueError(f"alarm {name}: data says {'ALARM' if last_breach else 'OK'}, asked {state}")
        word = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to",
                "LessThanThreshold": "less than", "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        if last_breach:
            k = len(breach) - 1
            while k > 0 and breach[k - 1]:
                k -= 1
            k = k + evals - 1
            changed = buckets[k][0] + 40
            pts = ", ".join(f"{_num(v)} ({hms(t - period, '%d/%m/%y %H:%M:%S')})" for t, v in reversed(buckets[k - evals + 1:k + 1]))
            verb = "was" if evals == 1 else "were"
            reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoint{'s' if evals > 1 else ''} [{pts}] {verb} {word} "
                      f"the threshold ({float(threshold)}) (minimum {evals} datapoint{'s' if evals > 1 else ''} "
                      f"for OK -> ALARM transition).")
            st = "ALARM"
        else:
            k = len(breach) - 1
            while k > 0 and not breach[k - 1]:
                k -= 1
            changed = buckets[k][0] + 40 if k > 0 else -86400 * 3
            v = buckets[-1][1]
            reason = (f"Threshold Crossed: 1 out of the last {evals} datapoint{'s' if evals > 1 else ''} [{_num(v)} "
                      f"({hms(buckets[-1][0] - period, '%d/%m/%y %H:%M:%S')})] was not {word} the threshold "
                      f"({float(threshold)}) (minimum 1 datapoint for ALARM -> OK transition).")
            st = "OK"
        item = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims), "statistic": statistic,
                "period": period, "evaluation_periods": evals, "threshold": threshold, "comparison": comparison,
                "state": st, "state_reason": reason, "state_changed": int(min(changed, -30))}
        if description:
            item["description"] = description
        if region:
            item["region"] = region
        self.alarms.append(item)
        return item

    def doc(self, expect: dict) -> dict:
        return {"format": "aiops-scenario/v1", "name": self.name, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics, "logs": self.logs,
                "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: -c["time"]), "expect": expect}


def _num(v: float) -> str:
    return f"{v:.1f}" if abs(v) >= 1 or v == 0 else f"{v:.4g}"


def _cmp(v: float, thr: float, comparison: str) -> bool:
    return {"GreaterThanThreshold": v > thr, "GreaterThanOrEqualToThreshold": v >= thr,
            "LessThanThreshold": v < thr, "LessThanOrEqualToThreshold": v <= thr}[comparison]


def _aggregate(values: list[float], period: int, statistic: str) -> list[tuple[float, float]]:
    step = max(1, period // 60)
    out = []
    for s in range(0, len(values) - step + 1, step):
        chunk = [v for v in values[s:s + step] if v is not None] or [0.0]
        if statistic == "Sum":
            v = sum(chunk)
        elif statistic == "Maximum":
            v = max(chunk)
        elif statistic == "Minimum":
            v = min(chunk)
        else:
            v = sum(chunk) / len(chunk)
        out.append((T[s] + period, round(v, 3)))
    return out


# ---------------------------------------------------------------- output
class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):  # type: ignore[misc]
    def ignore_aliases(self, data):  # noqa: D401 - no &id001 anchors in the output
        return True


def dump(doc: dict, path) -> int:
    text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, default_flow_style=None, width=100000,
                     allow_unicode=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return len(text.encode("utf-8"))
