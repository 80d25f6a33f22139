"""Shared helpers for the holdout7 scenario generator: time grid, series shapes,
standard per-service metric sets, Lambda invocation simulation, alarm evaluation."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import yaml

T = np.arange(-21600, 0, 60)          # one-minute grid, -21600 .. -60
N = len(T)
LOG_FROM = -10800                     # logs cover the last 3 h, as in the public examples
OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout7"


def idx(t: float) -> int:
    return int((t - T[0]) // 60)


class Scn:
    """Builder for one scenario file."""

    def __init__(self, slug: str, region: str, description: str, seed: int,
                 now: datetime = datetime(2026, 11, 20, 15, 0, tzinfo=timezone.utc)):
        self.slug = slug
        self.rng = np.random.default_rng(seed)
        self.now = now
        self.d = {"format": "aiops-scenario/v1", "name": slug.split("-", 2)[-1] if slug.startswith("h7-") else slug,
                  "description": description, "region": region, "resources": [], "metrics": [], "logs": [],
                  "alarms": [], "changes": []}
        self.meta: dict = {}

    # ---- time text -------------------------------------------------------
    def at(self, rel: float) -> datetime:
        return self.now + timedelta(seconds=float(rel))

    def iso(self, rel: float) -> str:
        return self.at(rel).strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.at(rel).microsecond // 1000:03d}Z"

    def stamp(self, rel: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
        return self.at(rel).strftime(fmt)

    def rid(self) -> str:
        return str(uuid.UUID(bytes=self.rng.bytes(16), version=4))

    def hexid(self, n: int = 32) -> str:
        return self.rng.bytes(n // 2 + 1).hex()[:n]

    # ---- content ---------------------------------------------------------
    def resource(self, type_: str, id_: str, region: str | None = None, **props):
        r = {"type": type_, "id": id_}
        if region:
            r["region"] = region
        if props:
            r["properties"] = props
        self.d["resources"].append(r)

    def metric(self, ns: str, name: str, dims: dict, unit: str, values, region: str | None = None,
               decimals: int = 3):
        pts = []
        for t, v in zip(T, values):
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            v = float(v)
            pts.append([int(t), round(v, decimals) if unit not in ("Count",) else round(v, 1)])
        m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            m["region"] = region
        m["points"] = pts
        self.d["metrics"].append(m)

    def log(self, group: str, stream: str, events, region: str | None = None):
        ev = sorted(([round(float(t), 3), m] for t, m in events if m), key=lambda e: e[0])
        entry = {"group": group, "stream": stream}
        if region:
            entry["region"] = region
        entry["events"] = ev
        self.d["logs"].append(entry)

    def change(self, time: float, source: str, event: str, rtype: str, rname: str, user: str,
               region: str | None = None):
        c = {"time": int(time), "event_source": source, "event_name": event, "resource_type": rtype,
             "resource_name": rname, "username": user}
        if region:
            c["region"] = region
        self.d["changes"].append(c)

    def alarm(self, name, ns, metric, dims, statistic, period, evaluation_periods, threshold, comparison,
              values, datapoints_to_alarm=None, description=None, style="long", expect_state="ALARM"):
        """Evaluate ``values`` like CloudWatch would and record the resulting state and reason."""
        state, changed, reason = evaluate(self, values, statistic, period, evaluation_periods,
                                          datapoints_to_alarm or evaluation_periods, threshold, comparison, style)
        assert state == expect_state, (self.slug, name, state)
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims), "statistic": statistic,
             "period": period, "evaluation_periods": evaluation_periods, "threshold": threshold,
             "comparison": comparison, "state": state, "state_reason": reason, "state_changed": int(changed)}
        if datapoints_to_alarm:
            a["datapoints_to_alarm"] = datapoints_to_alarm
        if description:
            a["description"] = description
        self.d["alarms"].append(a)
        return changed

    def expect(self, alarm: str, category: str, resources: list[str], anomalies: list[dict], **readme):
        self.d["expect"] = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                            "anomalies": anomalies}
        self.meta = readme

    def write(self) -> Path:
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"{self.slug}.yaml"
        with path.open("w") as fh:
            yaml.dump(self.d, fh, Dumper=_Dumper, sort_keys=False, default_flow_style=None, width=10000,
                      allow_unicode=True)
        return path


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


# ---- alarm evaluation ----------------------------------------------------------
_CMP = {"GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
        "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
        "LessThanThreshold": (lambda v, th: v < th, "less than"),
        "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to")}


def _agg(vals: np.ndarray, statistic: str) -> float:
    if statistic == "Sum":
        return float(vals.sum())
    if statistic == "Average":
        return float(vals.mean())
    if statistic == "Maximum":
        return float(vals.max())
    if statistic == "Minimum":
        return float(vals.min())
    if statistic == "SampleCount":
        return float(len(vals))
    if statistic.startswith("p"):
        return float(np.percentile(vals, float(statistic[1:])))
    raise ValueError(statistic)


def evaluate(sc: Scn, values, statistic, period, n, m, threshold, comparison, style):
    vals = np.asarray([np.nan if v is None else v for v in values], dtype=float)
    per = period // 60
    nb = N // per
    buckets = []  # (start_rel, value)
    for b in range(nb):
        chunk = vals[b * per:(b + 1) * per]
        chunk = chunk[~np.isnan(chunk)]
        buckets.append((int(T[b * per]), _agg(chunk, statistic) if len(chunk) else np.nan))
    test, words = _CMP[comparison]
    state, changed, reason_pts = "OK", T[0], None
    for i in range(n - 1, nb):
        window = buckets[i - n + 1:i + 1]
        breaching = [(t, v) for t, v in window if not np.isnan(v) and test(v, threshold)]
        new = "ALARM" if len(breaching) >= m else "OK"
        if new != state:
            state = new
            changed = window[-1][0] + period + 45  # evaluated shortly after the period closes
            reason_pts = (breaching, window)
    breaching, window = reason_pts if reason_pts else ([], buckets[-n:])
    th = f"{float(threshold)}"
    if style == "short":
        if state == "ALARM":
            reason = f"Threshold Crossed: {len(breaching)} datapoints were {words} the threshold ({th})."
        else:
            reason = f"Threshold Crossed: no datapoints were {words} the threshold ({th})."
        return state, changed, reason

    def fmt(t, v):
        return f"{round(v, 4)} ({sc.at(t).strftime('%d/%m/%y %H:%M:%S')})"
    if state == "ALARM":
        pts = sorted(breaching, key=lambda p: -p[0])
        shown = ", ".join(fmt(t, v) for t, v in pts)
        if n == 1:
            reason = f"Threshold Crossed: 1 datapoint [{shown}] was {words} the threshold ({th})."
        else:
            reason = (f"Threshold Crossed: {len(pts)} out of the last {n} datapoints [{shown}] were {words} "
                      f"the threshold ({th}) (minimum {m} datapoint{'s' if m > 1 else ''} for OK -> ALARM "
                      f"transition).")
    else:
        data = [(t, v) for t, v in buckets if not np.isnan(v)]
        if reason_pts is None:
            changed = -172800  # has been OK for days
        if data and data[-1][0] >= buckets[-1][0] - period * n:
            t, v = data[-1]
            neg = words.replace("greater than", "not greater than").replace("less than", "not less than")
            reason = (f"Threshold Crossed: 1 out of the last {n} datapoints [{fmt(t, v)}] was {neg} the threshold "
                      f"({th}) (minimum 1 datapoint for ALARM -> OK transition).")
        else:
            reason = (f"Threshold Crossed: no datapoints were received for {n} period{'s' if n > 1 else ''} and "
                      f"{n} missing datapoint{'s were' if n > 1 else ' was'} treated as [NonBreaching].")
    return state, changed, reason


# ---- series shapes -------------------------------------------------------------
def daily(level: float, amp: float = 0.15, phase: float = 0.0) -> np.ndarray:
    """A slow diurnal-looking swing over the 6 h window."""
    return level * (1 + amp * np.sin((T / 21600.0) * np.pi * 1.2 + phase))


def noisy(sc: Scn, base, rel: float = 0.08, lo: float = 0.0, hi: float | None = None) -> np.ndarray:
    b = np.asarray(base, dtype=float)
    v = b + sc.rng.normal(0, 1, N) * np.abs(b) * rel
    v = np.maximum(v, lo)
    if hi is not None:
        v = np.minimum(v, hi)
    return v


def counts(sc: Scn, rate) -> np.ndarray:
    return sc.rng.poisson(np.maximum(np.asarray(rate, dtype=float), 0)).astype(float)


def step(t0: float) -> np.ndarray:
    return (T >= t0).astype(float)


def ramp(t0: float, t1: float) -> np.ndarray:
    return np.clip((T - t0) / float(t1 - t0), 0, 1)


def blip(t0: float, t1: float) -> np.ndarray:
    return ((T >= t0) & (T < t1)).astype(float)


def flat(v: float) -> np.ndarray:
    return np.full(N, float(v))
