"""Shared building blocks: the 6 h minute grid, noise helpers, the scenario container and
a small CloudWatch alarm evaluator so alarm state/state_reason agree with the series."""
from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta, timezone

import numpy as np

START = -21600          # first one-minute datapoint (6 h ago)
N = 360                 # number of one-minute datapoints: -21600 .. -60
TS = np.arange(START, 0, 60)
LOG_FROM = -10800       # application/platform logs are kept for the last 3 h


def ix(t: float) -> int:
    """Index of the minute that contains relative second ``t``."""
    return int((t - START) // 60)


def ramp(onset: float, minutes: float = 1.0) -> np.ndarray:
    """0 before ``onset``, rising linearly to 1 over ``minutes``."""
    x = (TS - onset) / (60.0 * max(minutes, 1e-9))
    return np.clip(x + (1.0 / max(minutes, 1e-9)), 0.0, 1.0) * (TS >= onset)


def window(a: float, b: float) -> np.ndarray:
    return ((TS >= a) & (TS < b)).astype(float)


class Scn:
    """One scenario being built. Every random draw goes through ``self.rng``."""

    def __init__(self, num: int, slug: str, region: str, description: str, seed: int,
                 anchor: str = "2026-03-14T16:00:00"):
        self.num, self.slug, self.region, self.description = num, slug, region, description
        self.name = f"h10-{num:02d}-{slug}"
        self.rng = np.random.default_rng(seed)
        self.anchor = datetime.fromisoformat(anchor).replace(tzinfo=timezone.utc)
        self.resources: list[dict] = []
        self.metrics: list[dict] = []
        self.logs: list[dict] = []
        self.alarms: list[dict] = []
        self.changes: list[dict] = []
        self.expect: dict = {}
        self._series: dict = {}
        self.readme: dict = {}

    # ---- time / ids ---------------------------------------------------------------
    def dt(self, t: float) -> datetime:
        return self.anchor + timedelta(seconds=float(t))

    def iso(self, t: float) -> str:
        return self.dt(t).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    def rid(self) -> str:
        return str(uuid.UUID(bytes=self.rng.bytes(16), version=4))

    def hexid(self, n: int) -> str:
        return self.rng.bytes((n + 1) // 2).hex()[:n]

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{int(self.rng.integers(1, 12))}.{int(self.rng.integers(2, 254))}"

    # ---- noise ----------------------------------------------------------------------
    def ar1(self, sd: float, phi: float = 0.9) -> np.ndarray:
        e = self.rng.normal(0, sd * math.sqrt(1 - phi * phi), N)
        out = np.empty(N)
        acc = self.rng.normal(0, sd)
        for i in range(N):
            acc = phi * acc + e[i]
            out[i] = acc
        return out

    def daily(self, amp: float, phase: float | None = None) -> np.ndarray:
        """Slow multiplicative shape (part of a day) over the 6 h window."""
        ph = self.rng.uniform(0, 2 * math.pi) if phase is None else phase
        return 1.0 + amp * np.sin(2 * math.pi * (np.arange(N) / 1440.0) + ph)

    def gauge(self, base, sd: float, lo: float | None = None, hi: float | None = None,
              phi: float = 0.6) -> np.ndarray:
        v = np.asarray(base, dtype=float) + self.ar1(sd * 0.6, phi) + self.rng.normal(0, sd * 0.8, N)
        if lo is not None or hi is not None:
            v = np.clip(v, lo, hi)
        return v

    def pois(self, lam) -> np.ndarray:
        return self.rng.poisson(np.clip(np.asarray(lam, dtype=float), 0, None)).astype(float)

    # ---- builders -------------------------------------------------------------------
    def res(self, rtype: str, rid: str, region: str | None = None, **props) -> None:
        d = {"type": rtype, "id": rid}
        if region:
            d["region"] = region
        if props:
            d["properties"] = props
        self.resources.append(d)

    def metric(self, ns: str, name: str, dims: dict, unit: str, values, region: str | None = None,
               digits: int = 3) -> np.ndarray:
        v = np.asarray(values, dtype=float)
        pts = []
        for t, x in zip(TS, v):
            if np.isnan(x):
                continue
            if unit in ("Count",) or name in ("ConcurrentExecutions",):
                val = float(round(max(x, 0.0)))
            elif unit == "Bytes":
                val = float(round(max(x, 0.0), -3))
            else:
                val = round(float(x), digits)
            pts.append([int(t), val])
        d = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            d["region"] = region
        d["points"] = pts
        self.metrics.append(d)
        self._series[(ns, name, tuple(sorted(dims.items())))] = np.array(
            [p[1] for p in pts]), np.array([p[0] for p in pts])
        return v

    def log(self, group: str, stream: str, events, region: str | None = None) -> None:
        ev = sorted(([round(float(t), 3), m] for t, m in events if t < 0), key=lambda e: e[0])
        if not ev:
            return
        d = {"group": group, "stream": stream}
        if region:
            d["region"] = region
        d["events"] = ev
        self.logs.append(d)

    def change(self, t: float, source: str, name: str, rtype: str | None, rname: str | None,
               user: str, region: str | None = None) -> None:
        d = {"time": int(t), "event_source": source, "event_name": name,
             "resource_type": rtype, "resource_name": rname, "username": user}
        if region:
            d["region"] = region
        self.changes.append(d)

    # ---- alarms ---------------------------------------------------------------------
    _CMP = {"GreaterThanThreshold": (lambda a, b: a > b, "greater than"),
            "GreaterThanOrEqualToThreshold": (lambda a, b: a >= b, "greater than or equal to"),
            "LessThanThreshold": (lambda a, b: a < b, "less than"),
            "LessThanOrEqualToThreshold": (lambda a, b: a <= b, "less than or equal to")}

    def alarm(self, name: str, ns: str, metric: str, dims: dict, statistic: str, period: int,
              evals: int, threshold: float, comparison: str = "GreaterThanThreshold",
              description: str | None = None, region: str | None = None,
              expect_state: str = "ALARM") -> dict:
        """Evaluate the alarm over the generated series like CloudWatch would (completed periods only)."""
        vals, times = self._series[(ns, metric, tuple(sorted(dims.items())))]
        per = period // 60
        cmp, words = self._CMP[comparison]
        buckets = []  # (start, value) for complete periods ending at or before -30 s
        for b0 in range(START, 0, period):
            if b0 + period > -30:
                break
            sel = vals[(times >= b0) & (times < b0 + period)]
            if len(sel) == 0:
                continue
            if statistic == "Sum":
                v = float(sel.sum())
            elif statistic == "Maximum":
                v = float(sel.max())
            elif statistic == "Minimum":
                v = float(sel.min())
            else:
                v = float(sel.mean())
            buckets.append((b0, v))
        state, changed, reason_pts = "INSUFFICIENT_DATA", START, []
        for i in range(len(buckets)):
            last = buckets[max(0, i - evals + 1): i + 1]
            if len(last) < evals:
                continue
            breach = [cmp(v, threshold) for _, v in last]
            new = "ALARM" if all(breach) else "OK"
            if new != state:
                state, changed = new, buckets[i][0] + period + int(self.rng.integers(8, 40))
                reason_pts = last
        assert expect_state is None or state == expect_state, f"{self.name}: alarm {name} ends in {state}, expected {expect_state}"
        fmt = lambda b0, v: f"{round(v, 3)} ({self.dt(b0).strftime('%d/%m/%y %H:%M:%S')})"
        pts = ", ".join(fmt(b0, v) for b0, v in reversed(reason_pts))
        if state == "ALARM":
            if evals == 1:
                reason = f"Threshold Crossed: 1 datapoint [{pts}] was {words} the threshold ({float(threshold)})."
            else:
                reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoints [{pts}] were {words} "
                          f"the threshold ({float(threshold)}) (minimum {evals} datapoints for OK -> ALARM transition).")
        else:
            reason = f"Threshold Crossed: 1 datapoint [{pts.split(', ')[0]}] was not {words} the threshold ({float(threshold)})."
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims), "statistic": statistic,
             "period": period, "evaluation_periods": evals, "threshold": float(threshold),
             "comparison": comparison, "state": state, "state_reason": reason, "state_changed": int(min(changed, -1))}
        if description:
            a["description"] = description
        if region:
            a["region"] = region
        self.alarms.append(a)
        return a

    def set_expect(self, alarm: str, category: str, resources: list[str], anomalies: list[tuple]) -> None:
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": [{"namespace": ns, "name": n, "dimensions": d} for ns, n, d in anomalies]}

    def to_dict(self) -> dict:
        return {"format": "aiops-scenario/v1", "name": self.name, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self.expect}
