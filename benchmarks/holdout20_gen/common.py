"""Shared building blocks for held-out set 20: the time grid, noise, ids, alarms and YAML output.

Every scenario owns one :class:`Scn`; its numpy generator is seeded from the scenario number, so
the output is identical on every run. Times are seconds relative to load time ("now" = 0); log
text that carries a wall clock uses ``anchor`` (the wall time "now" stands for) so that the
timestamps written inside messages agree with each other.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any, Callable, Iterable

import numpy as np
import yaml

SPAN = 21600          # six hours of history
STEP = 60             # one-minute datapoints

CATEGORIES = (
    "bad_deployment", "config_change", "permission_denied", "dependency_failure",
    "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
    "throttling", "function_timeout", "traffic_surge", "application_error", "unknown",
)

_CMP = {
    "GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
    "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
    "LessThanThreshold": (lambda v, th: v < th, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to"),
}


class Scn:
    """One scenario under construction."""

    def __init__(self, name: str, seed: int, region: str, anchor: str, description: str):
        self.name = name
        self.region = region
        self.description = description
        self.rng = np.random.default_rng(seed)
        self.anchor = dt.datetime.fromisoformat(anchor).replace(tzinfo=dt.timezone.utc)
        self.t = np.arange(-SPAN, 0, STEP, dtype=float)
        self.resources: list[dict[str, Any]] = []
        self.metrics: list[dict[str, Any]] = []
        self.series: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self.logs: list[dict[str, Any]] = []
        self.alarms: list[dict[str, Any]] = []
        self.changes: list[dict[str, Any]] = []

    # ---- clock -------------------------------------------------------------------------
    def wall(self, rel: float) -> dt.datetime:
        return self.anchor + dt.timedelta(seconds=float(rel))

    def iso(self, rel: float) -> str:
        """2026-11-20T14:02:11.123Z"""
        w = self.wall(rel)
        return w.strftime("%Y-%m-%dT%H:%M:%S.") + f"{w.microsecond // 1000:03d}Z"

    def stamp(self, rel: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
        return self.wall(rel).strftime(fmt)

    def hour_of_day(self, rel: np.ndarray | float) -> np.ndarray | float:
        base = self.anchor.hour + self.anchor.minute / 60.0
        return (base + np.asarray(rel) / 3600.0) % 24.0

    def daily(self, amp: float, peak_hour: float) -> np.ndarray:
        """Multiplicative daily shape over the grid: 1 +/- amp, highest at peak_hour."""
        h = self.hour_of_day(self.t)
        return 1.0 + amp * np.cos(2 * math.pi * (h - peak_hour) / 24.0)

    # ---- shapes and noise --------------------------------------------------------------
    def step(self, onset: float, ramp: float = 0.0, end: float | None = None) -> np.ndarray:
        """0 before onset, rising linearly to 1 over `ramp` seconds, back to 0 after `end`."""
        if ramp <= 0:
            w = (self.t >= onset).astype(float)
        else:
            w = np.clip((self.t - onset) / ramp, 0.0, 1.0)
        if end is not None:
            w = np.where(self.t >= end, 0.0, w)
        return w

    def counts(self, lam: np.ndarray | float) -> np.ndarray:
        lam = np.broadcast_to(np.asarray(lam, dtype=float), self.t.shape)
        return self.rng.poisson(np.clip(lam, 0, None)).astype(float)

    def gauge(self, level: np.ndarray | float, sd: float, lo: float | None = None,
              hi: float | None = None, smooth: int = 1) -> np.ndarray:
        noise = self.rng.normal(0.0, sd, self.t.shape)
        if smooth > 1:
            noise = np.convolve(noise, np.ones(smooth) / math.sqrt(smooth), mode="same")
        v = np.broadcast_to(np.asarray(level, dtype=float), self.t.shape) + noise
        if lo is not None or hi is not None:
            v = np.clip(v, lo, hi)
        return v

    def walk(self, sd: float, n: int | None = None) -> np.ndarray:
        """A slow random walk, for drifting gauges."""
        return np.cumsum(self.rng.normal(0.0, sd, n or self.t.shape[0]))

    def binom(self, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
        p = np.clip(np.broadcast_to(np.asarray(p, dtype=float), self.t.shape), 0, 1)
        return self.rng.binomial(n.astype(int), p).astype(float)

    # ---- ids ---------------------------------------------------------------------------
    def hexs(self, n: int) -> str:
        return "".join(self.rng.choice(list("0123456789abcdef"), n))

    def uuid(self) -> str:
        h = self.hexs(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:]}"

    def pick(self, items: list, p: list[float] | None = None):
        return items[int(self.rng.choice(len(items), p=p))]

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{int(self.rng.integers(1, 60))}.{int(self.rng.integers(2, 254))}"

    # ---- arrivals ----------------------------------------------------------------------
    def arrivals(self, per_minute: np.ndarray, start: float = -SPAN, end: float = 0.0) -> np.ndarray:
        """Event times: per_minute[i] events spread uniformly inside minute i (counts, not rates)."""
        out = []
        for i, n in enumerate(np.asarray(per_minute).astype(int)):
            t0 = self.t[i]
            if n <= 0 or t0 < start or t0 >= end:
                continue
            out.append(t0 + np.sort(self.rng.uniform(0.0, 59.5, n)))
        return np.concatenate(out) if out else np.zeros(0)

    def sample_minutes(self, total: np.ndarray, flagged: np.ndarray, frac: float):
        """Choose a logged subset of each minute's requests: (n_logged, n_flagged_logged) arrays,
        with flagged (errors) drawn without replacement so logs keep the metric's error ratio."""
        n_log = self.rng.binomial(total.astype(int), frac)
        good = (total - flagged).astype(int)
        n_bad = np.array([self.rng.hypergeometric(int(b), int(g), int(k)) if k > 0 and b > 0 else 0
                          for b, g, k in zip(flagged.astype(int), good, n_log)])
        return n_log, n_bad

    # ---- scenario pieces ---------------------------------------------------------------
    def res(self, rtype: str, rid: str, **props: Any) -> None:
        entry: dict[str, Any] = {"type": rtype, "id": rid}
        if props:
            entry["properties"] = props
        self.resources.append(entry)

    def metric(self, ns: str, name: str, dims: dict[str, str], unit: str, values: np.ndarray,
               digits: int = 3, every: int = 1, keep: np.ndarray | None = None) -> np.ndarray:
        """Add a series (every=5 keeps one point per five minutes; keep masks missing minutes)."""
        vals = np.asarray(values, dtype=float)
        mask = np.zeros(self.t.shape, dtype=bool)
        mask[::every] = True
        if keep is not None:
            mask &= keep
        pts = [[int(tt), round(float(v), digits)] for tt, v, m in zip(self.t, vals, mask) if m]
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit,
                             "points": pts})
        self.series[(ns, name, tuple(sorted(dims.items())))] = (self.t[mask], vals[mask])
        return vals

    def log(self, group: str, stream: str, events: Iterable[tuple[float, str]]) -> None:
        evs = sorted(((round(float(t), 3), m) for t, m in events if m and t < 0), key=lambda e: e[0])
        self.logs.append({"group": group, "stream": stream, "events": [[t, m] for t, m in evs]})

    def change(self, time: float, source: str, event: str, rtype: str, rname: str, user: str) -> None:
        self.changes.append({"time": int(time), "event_source": source, "event_name": event,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    def alarm(self, name: str, ns: str, metric: str, dims: dict[str, str], statistic: str,
              period: int, evals: int, threshold: float, comparison: str = "GreaterThanThreshold",
              description: str | None = None, not_before: float = -SPAN, to_alarm: int | None = None,
              expect_state: str = "ALARM") -> float | None:
        """Evaluate the alarm on its own series and record the state it would really be in.

        Raises if the series does not support `expect_state` (so the data and the alarm never
        disagree) or if it would already have fired before `not_before` (the onset)."""
        ts, vals = self.series[(ns, metric, tuple(sorted(dims.items())))]
        m = to_alarm or evals
        test, words = _CMP[comparison]
        buckets = _aggregate(ts, vals, period, statistic)
        breach = [b is not None and test(b, threshold) for _, b in buckets]
        fired_at, state = None, "OK"
        for i in range(evals - 1, len(buckets)):
            hits = sum(breach[i - evals + 1:i + 1])
            if state == "OK" and hits >= m:
                state, fired_at = "ALARM", i
            elif state == "ALARM" and hits < m:
                state = "OK"
        first = next((i for i in range(evals - 1, len(buckets))
                      if sum(breach[i - evals + 1:i + 1]) >= m), None)
        if state != expect_state:
            raise AssertionError(f"{self.name}: alarm {name} would be {state}, not {expect_state}")
        entry: dict[str, Any] = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
                                 "statistic": statistic, "period": period, "evaluation_periods": evals,
                                 "threshold": float(threshold), "comparison": comparison, "state": state}
        last = [_num(b) if b is not None else "-" for _, b in buckets[-evals:]][::-1]
        if state == "ALARM":
            i = fired_at
            if buckets[first][0] + period < not_before:
                raise AssertionError(f"{self.name}: alarm {name} fired before onset")
            window = [_num(b) for _, b in buckets[i - evals + 1:i + 1] if b is not None][::-1]
            entry["state_reason"] = (f"Threshold Crossed: {m} out of the last {evals} datapoints "
                                     f"[{', '.join(window)}] were {words} the threshold ({float(threshold)}) "
                                     f"(minimum {m} datapoint{'s' if m > 1 else ''} for OK -> ALARM transition).")
            changed = buckets[i][0] + period + int(self.rng.integers(25, 75))
        else:
            entry["state_reason"] = (f"Threshold Crossed: {evals} out of the last {evals} datapoints "
                                     f"[{', '.join(last)}] were not {words} the threshold ({float(threshold)}) "
                                     f"(minimum 1 datapoint for ALARM -> OK transition).")
            changed = -SPAN - int(self.rng.integers(3600, 86400))
        entry["state_changed"] = int(min(changed, -5))
        if description:
            entry["description"] = description
        self.alarms.append(entry)
        return entry["state_changed"] if state == "ALARM" else None

    def build(self, alarm: str, category: str, resource: list[str],
              anomalies: list[tuple[str, str, dict[str, str]]]) -> dict[str, Any]:
        assert category in CATEGORIES, category
        return {
            "format": "aiops-scenario/v1", "name": self.name, "description": self.description,
            "region": self.region, "resources": self.resources, "metrics": self.metrics,
            "logs": self.logs, "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
            "expect": {"alarm": alarm, "root_cause": {"category": category, "resource": list(resource)},
                       "anomalies": [{"namespace": a, "name": b, "dimensions": c} for a, b, c in anomalies]},
        }


def _num(v: float) -> str:
    return repr(round(float(v), 4))


def _aggregate(ts: np.ndarray, vals: np.ndarray, period: int, statistic: str):
    """CloudWatch-style buckets aligned to the period: [(bucket_start, value or None)]."""
    start = -SPAN
    out = []
    for b0 in range(start, 0, period):
        sel = vals[(ts >= b0) & (ts < b0 + period)]
        if b0 + period > 0:
            break
        if sel.size == 0:
            out.append((b0, None))
            continue
        if statistic == "Sum":
            v = float(sel.sum())
        elif statistic == "Maximum":
            v = float(sel.max())
        elif statistic == "Minimum":
            v = float(sel.min())
        elif statistic == "SampleCount":
            v = float(sel.size)
        else:  # Average and percentiles of pre-aggregated points
            v = float(sel.mean())
        out.append((b0, v))
    return out


# ---- YAML --------------------------------------------------------------------------------
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data):  # noqa: D401 - yaml hook
        return True


def _repr_list(dumper, data):
    flow = len(data) == 2 and all(isinstance(x, (int, float)) for x in data[:1]) and not isinstance(data[1], (list, dict))
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _repr_list)


def dump(doc: dict[str, Any], path: str) -> int:
    text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return len(text.encode("utf-8"))


def per_request(s: Scn, times: np.ndarray, make: Callable[[float], list[tuple[float, str]]]) -> list:
    out: list[tuple[float, str]] = []
    for tt in times:
        out.extend(make(float(tt)))
    return out
