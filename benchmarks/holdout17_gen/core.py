"""Building blocks for the set-17 held-out scenarios: the case builder, series shapes,
alarm evaluation and the YAML writer. numpy + pyyaml + stdlib only."""
from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import yaml

WINDOW = 21600                                # six hours of one-minute points
MINUTES = np.arange(-WINDOW, 0, 60).astype(float)

CATEGORIES = ("bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
              "throttling", "function_timeout", "traffic_surge", "application_error", "unknown")

_CMP = {"GreaterThanThreshold": (lambda v, t: v > t, "greater than"),
        "GreaterThanOrEqualToThreshold": (lambda v, t: v >= t, "greater than or equal to"),
        "LessThanThreshold": (lambda v, t: v < t, "less than"),
        "LessThanOrEqualToThreshold": (lambda v, t: v <= t, "less than or equal to")}


class Flow(list):
    """A list written in YAML flow style: [-21600, 12.0]."""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data: Any) -> bool:  # no &id001 anchors
        return True


_Dumper.add_representer(Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _num(v: float, nd: int) -> float | int:
    r = round(float(v), nd)
    return r


class Case:
    """One scenario under construction."""

    def __init__(self, num: int, slug: str, region: str, seed: int, anchor: str, description: str):
        self.num = num
        self.name = f"h17-{num:02d}-{slug}"
        self.region = region
        self.rng = np.random.default_rng(seed)
        self.anchor = datetime.fromisoformat(anchor).replace(tzinfo=timezone.utc)
        self.description = description
        self.t = MINUTES.copy()
        self.resources: list[dict] = []
        self.metrics: list[dict] = []
        self.logs: list[dict] = []
        self.alarms: list[dict] = []
        self.changes: list[dict] = []
        self.expect: dict | None = None
        self.meta: dict[str, Any] = {}
        self._series: dict[tuple, tuple[list[float], list[float]]] = {}

    # ---------- time and ids ----------
    def at(self, rel: float) -> datetime:
        return self.anchor + timedelta(seconds=float(rel))

    def iso(self, rel: float, digits: int = 3) -> str:
        d = self.at(rel)
        frac = f"{d.microsecond:06d}"[:digits]
        return d.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if digits else "") + "Z"

    def stamp(self, rel: float, fmt: str) -> str:
        return self.at(rel).strftime(fmt)

    def hour(self, t: np.ndarray | float) -> np.ndarray | float:
        """Local hour of day (UTC of the anchor plus offset) for daily shapes."""
        base = self.anchor.hour + self.anchor.minute / 60
        return (base + np.asarray(t) / 3600.0) % 24

    def uuid(self) -> str:
        return str(uuid.UUID(bytes=self.rng.bytes(16), version=4))

    def hex(self, n: int) -> str:
        return self.rng.bytes((n + 1) // 2).hex()[:n]

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{int(self.rng.integers(1, 12))}.{int(self.rng.integers(2, 254))}"

    def pick(self, items, p=None):
        return items[int(self.rng.choice(len(items), p=p))]

    # ---------- series shapes ----------
    def diurnal(self, base: float, amp: float, peak_hour: float = 14.0, t: np.ndarray | None = None) -> np.ndarray:
        h = self.hour(self.t if t is None else t)
        return base * (1 + amp * np.cos(2 * math.pi * (h - peak_hour) / 24))

    def jitter(self, values: np.ndarray, rel: float) -> np.ndarray:
        return values * (1 + rel * self.rng.standard_normal(len(values)))

    def walk(self, n: int, scale: float) -> np.ndarray:
        """Slow AR(1) wander, mean zero."""
        out = np.zeros(n)
        e = self.rng.standard_normal(n) * scale
        for i in range(1, n):
            out[i] = 0.93 * out[i - 1] + e[i]
        return out

    def poisson(self, rate: np.ndarray | float, n: int | None = None) -> np.ndarray:
        rate = np.broadcast_to(np.maximum(np.asarray(rate, dtype=float), 0), (n or len(self.t),))
        return self.rng.poisson(rate).astype(float)

    def ramp(self, start: float, duration: float, t: np.ndarray | None = None) -> np.ndarray:
        t = self.t if t is None else t
        x = np.clip((t - start) / max(duration, 1.0), 0, 1)
        return x * x * (3 - 2 * x)

    # ---------- scenario content ----------
    def resource(self, type_: str, id_: str, region: str | None = None, **props: Any) -> None:
        r: dict[str, Any] = {"type": type_, "id": id_}
        if region:
            r["region"] = region
        if props:
            r["properties"] = props
        self.resources.append(r)

    def metric(self, ns: str, name: str, dims: dict[str, str], unit: str, values, times=None,
               nd: int = 3, region: str | None = None, floor: float | None = 0.0, cap: float | None = None) -> None:
        times = self.t if times is None else np.asarray(times, dtype=float)
        vals = np.asarray(values, dtype=float)
        if floor is not None:
            vals = np.maximum(vals, floor)
        if cap is not None:
            vals = np.minimum(vals, cap)
        pts = Flow()
        kept_t, kept_v = [], []
        for t, v in zip(times, vals):
            if math.isnan(v):
                continue  # a missing minute
            pts.append(Flow([int(t), _num(v, nd)]))
            kept_t.append(float(t))
            kept_v.append(_num(v, nd))
        m: dict[str, Any] = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            m["region"] = region
        m["points"] = pts
        self.metrics.append(m)
        self._series[(ns, name, tuple(sorted(dims.items())))] = (kept_t, kept_v)

    def series(self, ns: str, name: str, dims: dict[str, str]) -> tuple[list[float], list[float]]:
        return self._series[(ns, name, tuple(sorted(dims.items())))]

    def log(self, group: str, stream: str, events: list[tuple[float, str]], region: str | None = None) -> None:
        evs = sorted(((round(float(t), 3), m) for t, m in events if m and t < -0.05), key=lambda e: e[0])
        if not evs:
            return
        entry: dict[str, Any] = {"group": group, "stream": stream}
        if region:
            entry["region"] = region
        entry["events"] = Flow(Flow([t, m]) for t, m in evs)
        self.logs.append(entry)

    def change(self, time: float, source: str, event: str, rtype: str, rname: str, user: str) -> None:
        self.changes.append({"time": int(time), "event_source": source, "event_name": event,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    # ---------- alarms ----------
    def alarm(self, name: str, ns: str, metric: str, dims: dict[str, str], statistic: str, period: int,
              evals: int, threshold: float, comparison: str = "GreaterThanThreshold",
              description: str | None = None, want: str | None = None) -> dict:
        """An alarm whose state is evaluated from the scenario's own data (missing data = no breach)."""
        times, vals = self.series(ns, metric, dims)
        test, word = _CMP[comparison]
        buckets: dict[int, list[float]] = {}
        for t, v in zip(times, vals):
            buckets.setdefault(math.floor(t / period), []).append(v)
        keys = sorted(buckets)
        agg = [_aggregate(buckets[k], statistic) for k in keys]
        breach = [test(a, threshold) for a in agg]
        state, changed, shown = "OK", None, None
        for i in range(evals - 1, len(keys)):
            win = breach[i - evals + 1:i + 1]
            if state == "OK" and all(win):
                state, changed, shown = "ALARM", i, [(keys[j], agg[j]) for j in range(i, i - evals, -1)]
            elif state == "ALARM" and not any(win):
                state, changed, shown = "OK", i, [(keys[j], agg[j]) for j in range(i, i - evals, -1)]
        thr = float(threshold)
        if changed is None:
            shown = [(keys[j], agg[j]) for j in range(len(keys) - 1, len(keys) - 1 - evals, -1)]
            when = -float(self.rng.integers(3, 12)) * 86400 - float(self.rng.integers(0, 86400))
        else:
            end = (keys[changed] + 1) * period
            when = min(end + float(self.rng.integers(20, 55)), -4.0)
        dps = ", ".join(f"{_fmt(v)} ({self.at(k * period).strftime('%d/%m/%y %H:%M:%S')})" for k, v in shown)
        if state == "ALARM":
            reason = (f"Threshold Crossed: 1 datapoint [{dps}] was {word} the threshold ({thr})." if evals == 1 else
                      f"Threshold Crossed: {evals} out of the last {evals} datapoints [{dps}] were {word} the "
                      f"threshold ({thr}) (minimum {evals} datapoints for OK -> ALARM transition).")
        else:
            reason = (f"Threshold Crossed: 1 datapoint [{dps}] was not {word} the threshold ({thr})." if evals == 1
                      else f"Threshold Crossed: {evals} out of the last {evals} datapoints [{dps}] were not {word} "
                      f"the threshold ({thr}) (minimum {evals} datapoints for ALARM -> OK transition).")
        if want is not None:
            assert state == want, f"{self.name}: alarm {name} evaluates to {state}, wanted {want}"
        a: dict[str, Any] = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
                             "statistic": statistic, "period": period, "evaluation_periods": evals,
                             "threshold": thr, "comparison": comparison, "state": state,
                             "state_reason": reason, "state_changed": int(when)}
        if description:
            a["description"] = description
        self.alarms.append(a)
        return a

    def set_expect(self, alarm: str, category: str, resources: list[str], anomalies: list[tuple]) -> None:
        assert category in CATEGORIES
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": [{"namespace": ns, "name": n, "dimensions": dict(d)} for ns, n, d in anomalies]}

    # ---------- output ----------
    def to_dict(self) -> dict:
        assert self.expect is not None, self.name
        return {"format": "aiops-scenario/v1", "name": self.name, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics, "logs": self.logs,
                "alarms": self.alarms, "changes": sorted(self.changes, key=lambda c: c["time"]),
                "expect": self.expect}

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.name}.yaml"
        text = yaml.dump(self.to_dict(), Dumper=_Dumper, sort_keys=False, width=1_000_000, allow_unicode=False)
        path.write_text(text)
        return path


def _aggregate(values: list[float], statistic: str) -> float:
    if statistic == "Sum":
        return float(sum(values))
    if statistic == "Average":
        return float(sum(values) / len(values))
    if statistic == "Maximum":
        return float(max(values))
    if statistic == "Minimum":
        return float(min(values))
    if statistic == "SampleCount":
        return float(len(values))
    raise ValueError(statistic)


def _fmt(v: float) -> str:
    r = round(v, 4)
    return repr(float(r))
