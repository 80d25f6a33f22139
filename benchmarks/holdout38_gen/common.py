"""Shared helpers for the holdout-38 scenario set: time grid, series, log builders, YAML output."""
from __future__ import annotations

import math
import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import yaml

START = -21600          # six hours of metric history
LOG_START = -10800      # three hours of logs
STEP = 60
# Fixed wall-clock anchor for timestamps printed *inside* log messages (deterministic output).
ANCHOR = datetime(2026, 3, 17, 14, 0, 0, tzinfo=timezone.utc)


def grid(step: int = STEP, start: int = START) -> list[int]:
    return list(range(start, 0, step))


def wall(t: float) -> datetime:
    return ANCHOR + timedelta(seconds=t)


def iso(t: float) -> str:
    return wall(t).strftime("%Y-%m-%dT%H:%M:%S.") + f"{wall(t).microsecond // 1000:03d}Z"


def stamp(t: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return wall(t).strftime(fmt)


def ms_stamp(t: float) -> str:
    w = wall(t)
    return w.strftime("%Y-%m-%d %H:%M:%S.") + f"{w.microsecond // 1000:03d}"


def diurnal(t: float, amp: float = 0.12, phase: float = 0.0) -> float:
    """Gentle daily-ish swell over the window (1.0 +- amp)."""
    return 1.0 + amp * math.sin((t - START) / 21600.0 * math.pi * 1.3 + phase)


def ramp(t: float, t0: float, t1: float, v0: float, v1: float) -> float:
    if t <= t0:
        return v0
    if t >= t1:
        return v1
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


def clamp(v: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, v))


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    l, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= l:
            return k
        k += 1


def rid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def hexid(rng: random.Random, n: int = 32) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


class Scn:
    """One scenario under construction."""

    def __init__(self, name: str, region: str, description: str):
        self.name = name
        self.rng = random.Random(f"h38:{name}")
        self.doc: dict = {
            "format": "aiops-scenario/v1",
            "name": name,
            "description": description,
            "region": region,
            "resources": [],
            "metrics": [],
            "logs": [],
            "alarms": [],
            "changes": [],
        }
        self.region = region

    # -- resources / metrics ------------------------------------------------------------
    def resource(self, rtype: str, rid_: str, **props) -> None:
        entry: dict = {"type": rtype, "id": rid_}
        if props:
            entry["properties"] = props
        self.doc["resources"].append(entry)

    def metric(self, ns: str, name: str, dims: dict, unit: str, fn: Callable[[float], float],
               step: int = STEP, nd: int = 3, lo: float | None = 0.0, hi: float | None = None,
               integer: bool = False, skip: Callable[[float], bool] | None = None) -> list:
        pts = []
        for t in grid(step):
            if skip and skip(t):
                continue
            v = fn(t)
            if lo is not None:
                v = max(lo, v)
            if hi is not None:
                v = min(hi, v)
            v = float(round(v)) if integer else round(v, nd)
            pts.append([t, v])
        self.doc["metrics"].append({"namespace": ns, "name": name, "dimensions": dict(dims),
                                    "unit": unit, "points": pts})
        return pts

    def series(self, ns: str, name: str, dims: dict, unit: str, pts: list) -> None:
        self.doc["metrics"].append({"namespace": ns, "name": name, "dimensions": dict(dims),
                                    "unit": unit, "points": pts})

    def noise(self, sd: float) -> float:
        return self.rng.gauss(0.0, sd)

    # -- logs / alarms / changes ----------------------------------------------------------
    def log(self, group: str, stream: str, events: list) -> None:
        events = sorted(((round(t, 3), m) for t, m in events if t < 0), key=lambda e: e[0])
        self.doc["logs"].append({"group": group, "stream": stream, "events": [list(e) for e in events]})

    def alarm(self, name: str, ns: str, metric: str, dims: dict, statistic: str, period: int,
              evals: int, threshold: float, comparison: str, state: str, changed: int,
              description: str | None = None) -> None:
        word = {"GreaterThanThreshold": "greater than", "LessThanThreshold": "less than",
                "GreaterThanOrEqualToThreshold": "greater than or equal to",
                "LessThanOrEqualToThreshold": "less than or equal to"}[comparison]
        if state == "ALARM":
            reason = (f"Threshold Crossed: {evals} datapoint{'s' if evals > 1 else ''} "
                      f"{'were' if evals > 1 else 'was'} {word} the threshold ({float(threshold)}).")
        elif state == "OK":
            reason = (f"Threshold Crossed: {evals} datapoint{'s' if evals > 1 else ''} "
                      f"{'were' if evals > 1 else 'was'} not {word} the threshold ({float(threshold)}).")
        else:
            reason = f"Insufficient Data: {evals} datapoint{'s were' if evals > 1 else ' was'} unknown."
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
             "statistic": statistic, "period": period, "evaluation_periods": evals,
             "threshold": threshold, "comparison": comparison, "state": state,
             "state_reason": reason, "state_changed": changed}
        if description:
            a["description"] = description
        self.doc["alarms"].append(a)

    def change(self, t: int, source: str, event: str, rtype: str, rname: str, user: str) -> None:
        self.doc["changes"].append({"time": t, "event_source": source, "event_name": event,
                                    "resource_type": rtype, "resource_name": rname, "username": user})

    def expect(self, alarm: str, category: str, resources: list, anomalies: list) -> None:
        self.doc["expect"] = {"alarm": alarm,
                              "root_cause": {"category": category, "resource": list(resources)},
                              "anomalies": anomalies}

    def finish(self) -> dict:
        self.doc["changes"].sort(key=lambda c: c["time"])
        return self.doc


def anomaly(ns: str, name: str, dims: dict) -> dict:
    return {"namespace": ns, "name": name, "dimensions": dict(dims)}


def write(doc: dict, path: Path) -> int:
    text = yaml.safe_dump(doc, sort_keys=False, default_flow_style=None, width=100000,
                          allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Lambda simulation: one pass produces per-minute metrics (6 h) and runtime logs (last 3 h).
# handler(rng, t) -> dict(dur=ms, mem=MB, lines=[(dt_seconds, text)], err=bool, kind=str|None)
# kind: None | "timeout" | "oom" (changes END/REPORT shape)
# ---------------------------------------------------------------------------------------------
def simulate_lambda(s: Scn, fn_name: str, rate: Callable[[float], float], handler: Callable,
                    memory: int, timeout_s: int, throttled: Callable[[float], int] | None = None,
                    cap: Callable[[float], int] | None = None, version: str = "$LATEST",
                    log_start: int = LOG_START, region: str | None = None,
                    streams: int = 3) -> None:
    rng = s.rng
    inv, errs, thr, dur, conc = [], [], [], [], []
    events: list = []
    stream_ids = [f"{stamp(-7200, '%Y/%m/%d')}/[{version}]{hexid(rng)}" for _ in range(streams)]
    per_stream: dict = {sid: [] for sid in stream_ids}
    for t in grid():
        lam = rate(t)
        n = poisson(rng, lam)
        throttles = 0
        if cap is not None:
            c = cap(t)
            if n > c:
                throttles = n - c
                n = c
        if throttled is not None:
            throttles += throttled(t)
        e, dsum, dmax = 0, 0.0, 0.0
        for _ in range(n):
            ts = t + rng.uniform(0, 59.5)
            out = handler(rng, ts)
            d = min(out["dur"], timeout_s * 1000.0)
            dsum += d
            dmax = max(dmax, d)
            if out.get("err"):
                e += 1
            if ts < log_start:
                continue
            r = rid(rng)
            sid = rng.choice(stream_ids)
            ev = per_stream[sid]
            ev.append((ts, f"START RequestId: {r} Version: {version}"))
            for dt, text in out.get("lines", []):
                ev.append((ts + dt, text.replace("{rid}", r).replace("{ts}", iso(ts + dt))))
            tend = ts + d / 1000.0
            kind = out.get("kind")
            if kind == "timeout":
                ev.append((tend, f"{iso(tend)} {r} Task timed out after {timeout_s + rng.uniform(0.01, 0.09):.2f} seconds"))
            if kind == "oom":
                ev.append((tend, f"RequestId: {r} Error: Runtime exited with error: signal: killed\nRuntime.ExitError"))
            ev.append((tend + 0.001, f"END RequestId: {r}"))
            billed = int(math.ceil(d))
            mem = min(int(out["mem"]), memory)
            rep = (f"REPORT RequestId: {r}\tDuration: {d:.2f} ms\tBilled Duration: {billed} ms\t"
                   f"Memory Size: {memory} MB\tMax Memory Used: {mem} MB")
            if out.get("init"):
                rep += f"\tInit Duration: {out['init']:.2f} ms"
            if kind == "timeout":
                rep += "\tStatus: timeout"
            if kind == "oom":
                rep += "\tStatus: error\tError Type: Runtime.OutOfMemory"
            ev.append((tend + 0.002, rep))
        inv.append([t, float(n)])
        errs.append([t, float(e)])
        thr.append([t, float(throttles)])
        if n:
            dur.append([t, round(dsum / n, 3)])
        conc.append([t, float(max(1 if n else 0, round(dsum / 60000.0 + rng.random() * 0.8 + (dmax / 60000.0))))])
    dims = {"FunctionName": fn_name}
    s.series("AWS/Lambda", "Invocations", dims, "Count", inv)
    s.series("AWS/Lambda", "Errors", dims, "Count", errs)
    s.series("AWS/Lambda", "Throttles", dims, "Count", thr)
    s.series("AWS/Lambda", "Duration", dims, "Milliseconds", dur)
    s.series("AWS/Lambda", "ConcurrentExecutions", dims, "Count", conc)
    for sid, ev in per_stream.items():
        if ev:
            entry_group = f"/aws/lambda/{fn_name}"
            s.log(entry_group, sid, ev)
            if region:
                s.doc["logs"][-1]["region"] = region


def py_info(msg: str) -> tuple:
    return (0.01, "[INFO]\t{ts}\t{rid}\t" + msg)


def py_line(level: str, msg: str, dt: float = 0.02) -> tuple:
    return (dt, f"[{level}]\t" + "{ts}\t{rid}\t" + msg)


def node_line(level: str, msg: str, dt: float = 0.01) -> tuple:
    return (dt, "{ts}\t{rid}\t" + f"{level}\t" + msg)


def periodic(t0: float, t1: float, every: float, make: Callable[[float], str | None],
             jitter: float = 0.0, rng: random.Random | None = None) -> list:
    out, t = [], t0
    while t < t1:
        tt = t + (rng.uniform(0, jitter) if rng and jitter else 0.0)
        m = make(tt)
        if m:
            out.append((tt, m))
        t += every
    return out
