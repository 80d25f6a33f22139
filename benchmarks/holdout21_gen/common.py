"""Shared helpers for the holdout21 scenario set (stdlib + pyyaml only).

Times are seconds relative to "now" (0).  Text timestamps inside log lines are
rendered against a nominal wall clock (NOW_WALL) so that they read naturally.
"""
from __future__ import annotations

import datetime as _dt
import math
import random
import uuid as _uuid

import yaml

NOW_WALL = _dt.datetime(2026, 11, 20, 14, 0, 0, tzinfo=_dt.timezone.utc)
HIST = -21600          # six hours of metric history
STEP = 60


# --------------------------------------------------------------------------- rng
class Rng(random.Random):
    """Seeded random source with a few id helpers."""

    def uuid(self) -> str:
        return str(_uuid.UUID(int=self.getrandbits(128), version=4))

    def hexid(self, n: int) -> str:
        return "".join(self.choice("0123456789abcdef") for _ in range(n))

    def alnum(self, n: int) -> str:
        return "".join(self.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))

    def ip(self, prefix: str = "10.0") -> str:
        return f"{prefix}.{self.randint(1, 15)}.{self.randint(2, 254)}"

    def poisson(self, lam: float) -> int:
        lam = max(0.0, lam)
        if lam > 40:
            return max(0, int(round(self.gauss(lam, math.sqrt(lam)))))
        l, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.random()
            if p <= l:
                return k
            k += 1


# --------------------------------------------------------------------- time/text
def wall(t: float) -> _dt.datetime:
    return NOW_WALL + _dt.timedelta(seconds=t)


def iso(t: float) -> str:
    """2026-11-20T13:22:05.123Z"""
    return wall(t).strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(wall(t).microsecond / 1000):03d}Z"


def spring_ts(t: float) -> str:
    """2026-11-20T13:22:05.123Z as Spring Boot 3 prints it (with offset)."""
    w = wall(t)
    return w.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(w.microsecond / 1000):03d}Z"


def plain_ts(t: float, ms: bool = True) -> str:
    w = wall(t)
    s = w.strftime("%Y-%m-%d %H:%M:%S")
    return s + (f".{int(w.microsecond / 1000):03d}" if ms else "")


def clf_ts(t: float) -> str:
    """20/Nov/2026:13:22:05 +0000 (nginx combined log)."""
    return wall(t).strftime("%d/%b/%Y:%H:%M:%S +0000")


def stream_date(t: float = 0) -> str:
    return wall(t).strftime("%Y/%m/%d")


# ------------------------------------------------------------------------ shapes
def ramp(t: float, t0: float, t1: float) -> float:
    """0 before t0, 1 after t1, smooth in between."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    x = (t - t0) / (t1 - t0)
    return x * x * (3 - 2 * x)


def step(t: float, t0: float) -> float:
    return 1.0 if t >= t0 else 0.0


def diurnal(t: float, amp: float, phase_h: float = 0.0) -> float:
    """A slow wave (period 24 h); amp is a fraction (0.15 = +-15 %)."""
    return 1.0 + amp * math.sin(2 * math.pi * (t / 86400.0 + phase_h / 24.0))


def times(start: int = HIST, end: int = -60, step_s: int = STEP) -> list[int]:
    return list(range(start, end + 1, step_s))


def series(ts, fn, nd: int = 3, lo: float | None = 0.0, hi: float | None = None):
    pts = []
    for t in ts:
        v = fn(t)
        if v is None:
            continue
        if lo is not None:
            v = max(lo, v)
        if hi is not None:
            v = min(hi, v)
        pts.append([t, round(float(v), nd)])
    return pts


def counts(ts, fn, rng: Rng):
    """Integer count series from an expected-rate function."""
    return [[t, float(rng.poisson(fn(t)))] for t in ts]


# ----------------------------------------------------------------------- entries
def metric(ns, name, dims, unit, points, region=None):
    m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
    if region:
        m["region"] = region
    m["points"] = points
    return m


def alarm(name, ns, metric_name, dims, statistic, period, evals, threshold, comparison,
          state_changed, datapoints=None, description=None, state="ALARM"):
    word = {"GreaterThanThreshold": "greater than", "LessThanThreshold": "less than",
            "GreaterThanOrEqualToThreshold": "greater than or equal to",
            "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
    n = datapoints or evals
    a = {"name": name, "namespace": ns, "metric": metric_name, "dimensions": dict(dims),
         "statistic": statistic, "period": period, "evaluation_periods": evals,
         "threshold": threshold, "comparison": comparison, "state": state,
         "state_reason": f"Threshold Crossed: {n} out of the last {evals} datapoints were "
                         f"{word} the threshold ({float(threshold)})." if n != evals else
                         f"Threshold Crossed: {n} datapoints were {word} the threshold ({float(threshold)}).",
         "state_changed": state_changed}
    if description:
        a["description"] = description
    return a


def change(t, source, event, rtype, rname, user, region=None):
    c = {"time": t, "event_source": source, "event_name": event, "resource_type": rtype,
         "resource_name": rname, "username": user}
    if region:
        c["region"] = region
    return c


class LogSink:
    """Collects events per (group, stream) and emits sorted log entries."""

    def __init__(self):
        self._streams: dict[tuple[str, str], list] = {}

    def add(self, group: str, stream: str, t: float, msg: str):
        self._streams.setdefault((group, stream), []).append([round(t, 3), msg])

    def entries(self, region=None):
        """Sorted entries; lines stamped after "now" are not written yet and are dropped."""
        out = []
        for (g, s), ev in self._streams.items():
            ev = [e for e in ev if e[0] <= 0]
            ev.sort(key=lambda e: e[0])
            e = {"group": g, "stream": s}
            if region:
                e["region"] = region
            e["events"] = ev
            out.append(e)
        return out


def lambda_stream(rng: Rng, t: float = 0, version: str = "$LATEST") -> str:
    return f"{stream_date(t)}/[{version}]{rng.hexid(32)}"


def lambda_invocations(rng: Rng, sink: LogSink, group: str, streams, per_min, body,
                       memory_mb: int, start: int, end: int = 0, version: str = "$LATEST"):
    """Emit START/body/END/REPORT for per_min(t) invocations each minute.

    streams: list of (name, t_from, t_to) -- an invocation goes to a live stream.
    body(rng, t, rid) -> (lines, duration_ms, max_mem_mb, status)
      lines: list of (offset_s, text); status None or 'timeout'.
    Returns per-minute (t, n_invocations, n_errors, mean_duration_ms).
    """
    stats = []
    for m in range(start, end, 60):
        n = per_min(m) if callable(per_min) else per_min
        errs, dsum = 0, 0.0
        for _ in range(n):
            t = m + rng.uniform(0, 59.5)
            live = [s for s in streams if s[1] <= t < s[2]] or [streams[-1]]
            sname = rng.choice(live)[0]
            rid = rng.uuid()
            lines, dur, mem, status = body(rng, t, rid)
            sink.add(group, sname, t, f"START RequestId: {rid} Version: {version}")
            for off, text in lines:
                sink.add(group, sname, t + off, text)
            if status == "error" or status == "timeout":
                errs += 1
            dsum += dur
            te = t + dur / 1000.0 + 0.002
            sink.add(group, sname, te, f"END RequestId: {rid}")
            billed = int(math.ceil(dur))
            rep = (f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: {billed} ms\t"
                   f"Memory Size: {memory_mb} MB\tMax Memory Used: {mem} MB")
            if status == "timeout":
                rep += "\tStatus: timeout"
            sink.add(group, sname, te + 0.001, rep)
        stats.append((m, n, errs, dsum / n if n else None))
    return stats


# ------------------------------------------------------------------------ output
class _Dumper(yaml.SafeDumper):
    pass


def _str_rep(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_rep)


def settle_alarm(doc, delay: int = 20):
    """Set each ALARM alarm's state_changed/state_reason from its own metric data, so that
    the transition time is exactly when M of the last N periods first breached in the
    current episode.  Raises if the data does not leave the alarm in ALARM."""
    for a in doc["alarms"]:
        if a["state"] != "ALARM":
            continue
        ms = [m for m in doc["metrics"] if m["namespace"] == a["namespace"] and m["name"] == a["metric"]
              and m["dimensions"] == a["dimensions"]]
        if not ms:
            raise ValueError(f"{doc['name']}: no metric for alarm {a['name']}")
        per = a["period"]
        bins: dict[int, list] = {}
        for t, v in ms[0]["points"]:
            bins.setdefault(int(t // per) * per, []).append(v)
        agg = {"Sum": sum, "Average": lambda x: sum(x) / len(x), "Maximum": max, "Minimum": min,
               "SampleCount": len}[a["statistic"]]
        ser = sorted((b, agg(v)) for b, v in bins.items())
        gt = "Greater" in a["comparison"]
        eq = "OrEqual" in a["comparison"]
        thr = a["threshold"]

        def breach(v):
            return (v > thr or (eq and v == thr)) if gt else (v < thr or (eq and v == thr))
        n = a["evaluation_periods"]
        m_need = int(a["state_reason"].split("Threshold Crossed: ")[1].split(" ")[0])
        state, since = "OK", None
        for i in range(len(ser)):
            window = [breach(v) for _, v in ser[max(0, i - n + 1): i + 1]]
            hit = sum(window) >= m_need
            if hit and state != "ALARM":
                state, since = "ALARM", ser[i][0] + per + delay
            elif not hit:
                state = "OK"
        if state != "ALARM":
            raise ValueError(f"{doc['name']}: data leaves alarm {a['name']} in OK")
        a["state_changed"] = min(since, -5)


def scenario(name, description, region, resources, metrics, logs, alarms, changes, expect):
    return {"format": "aiops-scenario/v1", "name": name, "description": description,
            "region": region, "resources": resources, "metrics": metrics, "logs": logs,
            "alarms": alarms, "changes": sorted(changes, key=lambda c: c["time"]),
            "expect": expect}


def dump(doc, path):
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(doc, fh, Dumper=_Dumper, sort_keys=False, default_flow_style=None,
                  width=100000, allow_unicode=True)
