"""Shared building blocks for the holdout11 scenarios: time axis, series shapes,
a small scenario builder, CloudWatch-like alarm evaluation and YAML output.

All times are seconds relative to "now" (negative). Metric points are one
minute apart from -21600 to -60 (6 h). Log lines usually cover the last 3 h.
"""
from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import yaml

T = np.arange(-21600, 0, 60, dtype=float)  # 360 one-minute points, last one at -60
N = len(T)
ACCOUNT = "418295730164"


# ---------------------------------------------------------------- series shapes
def ar1(rng, level, sd, phi=0.6, n=N):
    """Level plus autocorrelated noise (looks more like a real gauge than white noise)."""
    e = rng.normal(0.0, sd * np.sqrt(1 - phi * phi), n)
    out = np.empty(n)
    acc = rng.normal(0.0, sd)
    for i in range(n):
        acc = phi * acc + e[i]
        out[i] = acc
    return level + out


def daily(amp, peak=-3600.0, width=43200.0):
    """A slow daily-ish swell, +amp at `peak` (only part of it is visible over 6 h)."""
    return amp * np.cos(2 * np.pi * (T - peak) / (2 * width))


def ramp(t0, t1, v0=0.0, v1=1.0):
    """0 before t0, linear to 1 at t1, 1 afterwards (scaled to v0..v1)."""
    x = np.clip((T - t0) / max(t1 - t0, 1.0), 0.0, 1.0)
    return v0 + (v1 - v0) * x


def after(t0):
    return (T >= t0).astype(float)


def between(t0, t1):
    return ((T >= t0) & (T < t1)).astype(float)


def counts(rng, lam):
    return rng.poisson(np.clip(lam, 0, None)).astype(float)


def clip(x, lo=0.0, hi=None):
    return np.clip(x, lo, hi)


def idx(t):
    return int(round((t - T[0]) / 60))


# ---------------------------------------------------------------- identifiers
class Ids:
    def __init__(self, rng):
        self.rng = rng

    def hexs(self, n):
        return "".join(self.rng.choice(list("0123456789abcdef"), n))

    def uuid(self):
        return str(uuid.UUID(bytes=bytes(self.rng.integers(0, 256, 16, dtype=np.uint8)), version=4))

    def ip(self, prefix="10.0"):
        return f"{prefix}.{self.rng.integers(1, 60)}.{self.rng.integers(2, 254)}"

    def pub_ip(self):
        a = self.rng.choice([81, 91, 177, 187, 189, 200, 201, 45, 103, 152])
        return f"{a}.{self.rng.integers(1, 255)}.{self.rng.integers(1, 255)}.{self.rng.integers(1, 255)}"


# ---------------------------------------------------------------- alarm evaluation
_CMP = {
    "GreaterThanThreshold": (lambda v, th: v > th, "greater than"),
    "GreaterThanOrEqualToThreshold": (lambda v, th: v >= th, "greater than or equal to"),
    "LessThanThreshold": (lambda v, th: v < th, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, th: v <= th, "less than or equal to"),
}


def _agg(vals, stat):
    if stat == "Sum":
        return float(np.sum(vals))
    if stat == "Maximum":
        return float(np.max(vals))
    if stat == "Minimum":
        return float(np.min(vals))
    return float(np.mean(vals))


def evaluate_alarm(values, stat, period, n_eval, threshold, comparison, datapoints_to_alarm=None):
    """Simulate CloudWatch on the one-minute series: returns (state, changed_at, breaching)."""
    m = datapoints_to_alarm or n_eval
    test, _ = _CMP[comparison]
    per = period // 60
    results = []  # (end_time, breach or None)
    for start in range(0, N, per):
        chunk = values[start:start + per]
        chunk = chunk[~np.isnan(chunk)]
        end = T[start] + period
        results.append((end, None if len(chunk) == 0 else test(_agg(chunk, stat), threshold)))
    state, changed, window = "INSUFFICIENT_DATA", T[0], []
    for end, br in results:
        if br is not None:
            window.append(br)
        window = window[-n_eval:]
        if not window:
            continue
        new = "ALARM" if sum(window) >= m else "OK"
        if new != state:
            state, changed = new, end
    return state, float(changed), m


class Scenario:
    def __init__(self, name, description, region, seed):
        self.name = name
        self.description = description
        self.region = region
        self.rng = np.random.default_rng(seed)
        self.ids = Ids(self.rng)
        self.resources, self.metrics, self.logs, self.alarms, self.changes = [], [], [], [], []
        self.expect = {}
        self.series = {}
        self.meta = {}

    # resources ---------------------------------------------------------
    def resource(self, type_, id_, region=None, **props):
        r = {"type": type_, "id": id_}
        if region:
            r["region"] = region
        if props:
            r["properties"] = props
        self.resources.append(r)
        return id_

    # metrics -----------------------------------------------------------
    def metric(self, namespace, name, dims, unit, values, decimals=3, region=None):
        values = np.asarray(values, dtype=float)
        assert len(values) == N, (namespace, name)
        pts = [[int(t), round(float(v), decimals)] for t, v in zip(T, values) if not np.isnan(v)]
        m = {"namespace": namespace, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            m["region"] = region
        m["points"] = pts
        self.metrics.append(m)
        self.series[(namespace, name, tuple(sorted(dims.items())))] = values
        return values

    def get(self, namespace, name, dims):
        return self.series[(namespace, name, tuple(sorted(dims.items())))]

    # logs --------------------------------------------------------------
    def log(self, group, stream, events, region=None):
        ev = sorted(([round(float(t), 3), str(msg)] for t, msg in events if -21600 <= t < 0),
                    key=lambda e: e[0])
        if not ev:
            return
        entry = {"group": group, "stream": stream}
        if region:
            entry["region"] = region
        entry["events"] = ev
        self.logs.append(entry)

    # alarms ------------------------------------------------------------
    def alarm(self, name, namespace, metric, dims, statistic, period, evaluation_periods, threshold,
              comparison, expect_state="ALARM", description=None, datapoints_to_alarm=None):
        values = self.get(namespace, metric, dims)
        state, changed, m = evaluate_alarm(values, statistic, period, evaluation_periods, threshold,
                                           comparison, datapoints_to_alarm)
        assert state == expect_state, f"{self.name}: alarm {name} is {state}, wanted {expect_state}"
        _, words = _CMP[comparison]
        if state == "ALARM":
            reason = (f"Threshold Crossed: {m} datapoint{'s' if m != 1 else ''} were {words} "
                      f"the threshold ({float(threshold)}).")
            if m != evaluation_periods:
                reason = (f"Threshold Crossed: {m} out of the last {evaluation_periods} datapoints were "
                          f"{words} the threshold ({float(threshold)}).")
        else:
            reason = (f"Threshold Crossed: no datapoints were {words} the threshold "
                      f"({float(threshold)}).")
        a = {"name": name, "namespace": namespace, "metric": metric, "dimensions": dict(dims),
             "statistic": statistic, "period": period, "evaluation_periods": evaluation_periods,
             "threshold": threshold, "comparison": comparison, "state": state,
             "state_reason": reason, "state_changed": int(changed + self.rng.integers(5, 40))}
        if description:
            a["description"] = description
        self.alarms.append(a)
        return a

    # changes -----------------------------------------------------------
    def change(self, time, source, event, rtype, rname, user, region=None):
        c = {"time": int(time), "event_source": source, "event_name": event, "resource_type": rtype,
             "resource_name": rname, "username": user}
        if region:
            c["region"] = region
        self.changes.append(c)

    # output ------------------------------------------------------------
    def to_dict(self):
        return {"format": "aiops-scenario/v1", "name": self.name, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms,
                "changes": sorted(self.changes, key=lambda c: c["time"]), "expect": self.expect}

    def set_expect(self, alarm, category, resources, anomalies):
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": [{"namespace": a[0], "name": a[1], "dimensions": dict(a[2])}
                                     for a in anomalies]}


class _Dumper(yaml.SafeDumper):
    pass


class _Pair(list):
    """A [time, value] pair, written in flow style like the public examples."""


def _pair(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


_Dumper.add_representer(_Pair, _pair)
_Dumper.ignore_aliases = lambda self, data: True


def write(scenario: Scenario, path: Path) -> int:
    d = scenario.to_dict()
    for m in d["metrics"]:
        m["points"] = [_Pair(p) for p in m["points"]]
    for lg in d["logs"]:
        lg["events"] = [_Pair(e) for e in lg["events"]]
    text = yaml.dump(d, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100000)
    path.write_text(text, encoding="utf-8")
    return len(text.encode())
