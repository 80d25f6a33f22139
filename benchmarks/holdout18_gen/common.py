"""Shared helpers for the set-18 generator: the time grid, series shapes, alarms and YAML output.

Everything is driven by one numpy Generator per scenario, so a run is deterministic.
Times are seconds relative to "now" (negative = past); text timestamps inside log
lines are rendered against a notional wall clock chosen per scenario.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import numpy as np
import yaml

SPAN = 21600                                   # six hours of history
T = np.arange(-SPAN, 0, 60, dtype=float)       # one-minute grid, -21600 .. -60
N = len(T)
ACCOUNT = "123456789012"

_CMP_WORDS = {
    "GreaterThanThreshold": "greater than",
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}


def solve_amp(curve, t: float, level: float, lo: float = 1e-3, hi: float = 1e7) -> float:
    """Amplitude a (bisection) with curve(a)[idx(t)] == level; curve must grow with a."""
    for _ in range(80):
        mid = (lo + hi) / 2
        if curve(mid)[idx(t)] > level:
            hi = mid
        else:
            lo = mid
    return lo


def idx(t: float) -> int:
    """Index on the minute grid of relative time t."""
    return int(max(0, min(N - 1, (t + SPAN) // 60)))


class Scn:
    """One scenario under construction."""

    def __init__(self, slug: str, seed: int, region: str, now: str, utc_offset_h: float = 0.0):
        self.slug = slug
        self.rng = np.random.default_rng(seed)
        self.region = region
        self.now = datetime.fromisoformat(now).replace(tzinfo=timezone.utc)
        self.utc_offset_h = utc_offset_h
        self.resources: list[dict] = []
        self.metrics: list[dict] = []
        self.logs: list[dict] = []
        self.alarms: list[dict] = []
        self.changes: list[dict] = []
        self._series: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}

    # ---- clock -------------------------------------------------------------------------
    def at(self, t: float) -> datetime:
        return self.now + timedelta(seconds=float(t))

    def iso(self, t: float) -> str:
        d = self.at(t)
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"

    def iso6(self, t: float) -> str:
        d = self.at(t)
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond:06d}Z"

    def clock(self, t: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
        return self.at(t).strftime(fmt)

    def local_hours(self, t: np.ndarray = T) -> np.ndarray:
        base = self.now.hour + self.now.minute / 60 + self.utc_offset_h
        return (base + t / 3600.0) % 24

    # ---- random helpers ----------------------------------------------------------------
    def uuid(self) -> str:
        h = "".join(f"{x:02x}" for x in self.rng.integers(0, 256, 16))
        h = h[:12] + "4" + h[13:16] + "89ab"[int(self.rng.integers(0, 4))] + h[17:]
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

    def hexs(self, n: int) -> str:
        return "".join("0123456789abcdef"[int(i)] for i in self.rng.integers(0, 16, n))

    def pick(self, seq):
        return seq[int(self.rng.integers(0, len(seq)))]

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{int(self.rng.integers(1, 60))}.{int(self.rng.integers(4, 250))}"

    # ---- series shapes -----------------------------------------------------------------
    def diurnal(self, peak: float = 14.0, depth: float = 0.5) -> np.ndarray:
        """1.0 at the local peak hour, 1-depth twelve hours away, smooth in between."""
        h = self.local_hours()
        return 1.0 - depth * (1.0 - np.cos(2 * math.pi * (h - peak) / 24.0)) / 2.0

    def ar(self, sd: float, phi: float = 0.75) -> np.ndarray:
        e = self.rng.normal(0.0, sd * math.sqrt(1 - phi * phi), N)
        out = np.empty(N)
        acc = self.rng.normal(0.0, sd)
        for i in range(N):
            acc = phi * acc + e[i]
            out[i] = acc
        return out

    def gauge(self, base, sd: float, phi: float = 0.7, lo: float | None = None,
              hi: float | None = None) -> np.ndarray:
        v = np.asarray(base, dtype=float) + self.ar(sd, phi)
        if lo is not None or hi is not None:
            v = np.clip(v, lo if lo is not None else -np.inf, hi if hi is not None else np.inf)
        return v

    def pois(self, lam) -> np.ndarray:
        return self.rng.poisson(np.maximum(np.asarray(lam, dtype=float), 0.0)).astype(float)

    @staticmethod
    def win(t0: float, t1: float = 0.0, rise: float = 60.0, fall: float = 60.0) -> np.ndarray:
        """0 before t0, ramps to 1 over `rise` seconds, back to 0 over `fall` after t1 (if t1 < 0)."""
        up = np.clip((T - t0) / max(rise, 1.0), 0.0, 1.0)
        if t1 < 0:
            up = up * (1.0 - np.clip((T - t1) / max(fall, 1.0), 0.0, 1.0))
        return up

    @staticmethod
    def ramp(t0: float, t1: float) -> np.ndarray:
        """0 before t0, linear to 1 at t1, 1 after."""
        return np.clip((T - t0) / (t1 - t0), 0.0, 1.0)

    # ---- scenario parts ----------------------------------------------------------------
    def res(self, rtype: str, rid: str, **props) -> None:
        entry: dict = {"type": rtype, "id": rid}
        if props:
            entry["properties"] = props
        self.resources.append(entry)

    def put(self, ns: str, name: str, dims: dict, unit: str, values, every: int = 60,
            decimals: int = 3, keep=None) -> np.ndarray:
        """Record a metric on the grid; `every`=300 keeps 5-minute points; `keep` masks minutes."""
        v = np.asarray(values, dtype=float)
        mask = np.ones(N, dtype=bool) if keep is None else np.asarray(keep, dtype=bool).copy()
        if every != 60:
            mask &= ((T + SPAN) % every) == 0
        mask &= np.isfinite(v)
        tt, vv = T[mask], v[mask]
        pts = [[int(a), round(float(b), decimals)] for a, b in zip(tt, vv)]
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit,
                             "points": pts})
        self._series[(ns, name, tuple(sorted(dims.items())))] = (tt, np.array([p[1] for p in pts]))
        return v

    def stream(self, group: str, stream: str, events) -> None:
        ev = sorted((round(float(t), 3), str(m)) for t, m in events if t < 0 and m)
        if ev:
            self.logs.append({"group": group, "stream": stream, "events": [[t, m] for t, m in ev]})

    def change(self, t: float, source: str, event: str, rtype: str, rname: str, user: str) -> None:
        self.changes.append({"time": int(t), "event_source": source, "event_name": event,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    # ---- alarms ------------------------------------------------------------------------
    def alarm(self, name: str, ns: str, metric: str, dims: dict, stat: str, period: int, evals: int,
              threshold: float, cmp: str = "GreaterThanThreshold", desc: str | None = None,
              want: str = "ALARM", after: float | None = None, before: float | None = None) -> float:
        """Evaluate the alarm on the recorded series; assert it ends in `want`; return state_changed."""
        tt, vv = self._series[(ns, metric, tuple(sorted(dims.items())))]
        starts = np.arange(-SPAN, 0, period, dtype=float)
        vals: list[float | None] = []
        for s in starts:
            sel = vv[(tt >= s) & (tt < s + period)]
            if len(sel) == 0:
                vals.append(None)
            elif stat == "Sum":
                vals.append(float(sel.sum()))
            elif stat == "Maximum":
                vals.append(float(sel.max()))
            elif stat == "Minimum":
                vals.append(float(sel.min()))
            elif stat == "SampleCount":
                vals.append(float(len(sel)))
            else:
                vals.append(float(sel.mean()))

        def breach(x):
            if x is None:
                return False
            return {"GreaterThanThreshold": x > threshold, "GreaterThanOrEqualToThreshold": x >= threshold,
                    "LessThanThreshold": x < threshold, "LessThanOrEqualToThreshold": x <= threshold}[cmp]

        state, changed, reason_at = "OK", None, evals - 1
        for j in range(evals - 1, len(starts)):
            window = [breach(vals[k]) for k in range(j - evals + 1, j + 1)]
            new = "ALARM" if all(window) else "OK"
            if new != state:
                state, reason_at = new, j
                changed = min(-5.0, starts[j] + period + 25 + float(self.rng.integers(0, 40)))
        assert want in (state, "ANY"), f"{self.slug}: alarm {name} ends {state}, wanted {want}"
        if changed is None:
            changed = -SPAN - float(self.rng.integers(3600, 6 * 86400))
        if after is not None:
            assert changed >= after, f"{self.slug}: alarm {name} changed at {changed}, before {after}"
        if before is not None:
            assert changed <= before, f"{self.slug}: alarm {name} changed at {changed}, after {before}"
        shown, good = [], []
        for n_back, k in enumerate(range(reason_at, reason_at - evals, -1)):
            v = vals[k]
            when = starts[k] if changed > -SPAN else (changed // period) * period - period * (n_back + 1)
            stamp = self.at(when).strftime("%d/%m/%y %H:%M:%S")
            text = f"{_num(v)} ({stamp})" if v is not None else f"no data ({stamp})"
            shown.append(text)
            if not breach(v):
                good.append(text)
        words = _CMP_WORDS[cmp]
        plural = "datapoints" if evals > 1 else "datapoint"
        if state == "ALARM":
            reason = (f"Threshold Crossed: {evals} out of the last {evals} datapoints [{', '.join(shown)}] "
                      f"{'were' if evals > 1 else 'was'} {words} the threshold ({float(threshold)}) "
                      f"(minimum {evals} {plural} for OK -> ALARM transition).")
        else:
            good = good or shown[:1]
            n_ok = len(good)
            reason = (f"Threshold Crossed: {n_ok} out of the last {evals} datapoints [{', '.join(good)}] "
                      f"{'were' if n_ok > 1 else 'was'} not {words} the threshold ({float(threshold)}) "
                      f"(minimum 1 datapoint for ALARM -> OK transition).")
        entry = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
                 "statistic": stat, "period": period, "evaluation_periods": evals,
                 "threshold": threshold, "comparison": cmp, "state": state,
                 "state_reason": reason, "state_changed": int(changed)}
        if desc:
            entry["description"] = desc
        self.alarms.append(entry)
        return changed

    # ---- output ------------------------------------------------------------------------
    def doc(self, description: str, alarm: str, category: str, accepted: list[str],
            anomalies: list[dict] | None = None) -> dict:
        expect: dict = {"alarm": alarm, "root_cause": {"category": category, "resource": list(accepted)}}
        if anomalies:
            expect["anomalies"] = anomalies
        return {"format": "aiops-scenario/v1", "name": self.slug, "description": description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms,
                "changes": sorted(self.changes, key=lambda c: c["time"]), "expect": expect}


def _num(v: float) -> str:
    if abs(v - round(v)) < 1e-9 and abs(v) < 1e12:
        return f"{float(round(v))}"
    return f"{v:.6g}"


class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):
    def ignore_aliases(self, data):  # noqa: D401 - yaml hook
        return True


def dump(doc: dict) -> str:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, default_flow_style=None, width=10_000,
                     allow_unicode=True)
