"""Per-invocation Lambda simulation: metrics and CloudWatch log streams from the same draws."""
from __future__ import annotations

import json
import math

from .common import hexid, lambda_invocation, metric, noisy, stream


# ------------------------------------------------------------ runtime log formats ---
def node_line(ck, t, req, level, msg):
    return f"{ck.iso(t)}\t{req}\t{level.upper()}\t{msg}"


def py_line(ck, t, req, level, msg):
    return f"[{level.upper()}]\t{ck.iso(t)}\t{req}\t{msg}"


def dotnet_line(ck, t, req, level, msg):
    lv = {"info": "info", "warn": "warn", "error": "fail", "debug": "dbug"}[level.lower()]
    return f"{ck.iso(t)}\t{req}\t{lv}\t{msg}"


def java_line(ck, t, req, level, logger, msg):
    return f"{ck.plain_ms(t, '.')} <{req}> {level.upper():<5} {logger} - {msg}"


def go_line(ck, t, level, msg, **kw):
    d = {"time": ck.iso(t), "level": level.upper(), "msg": msg}
    d.update(kw)
    return json.dumps(d, separators=(",", ":"))


def ruby_line(ck, t, level, msg, pid=8):
    return f"{level[0].upper()}, [{ck.iso_us(t)} #{pid}] {level.upper():>5} -- : {msg}"


# ------------------------------------------------------------ simulation ---
class FnSim:
    """Accumulates one function's per-minute metrics and its log streams."""

    def __init__(self, name, mem, ck, rng, log_from=-10800, pool=3, runtime_version="python:3.12.v38",
                 region="us-east-1"):
        self.name, self.mem, self.ck, self.rng = name, mem, ck, rng
        self.log_from = log_from
        self.pool = pool
        self.rv = runtime_version
        self.region = region
        self.inv, self.err, self.thr, self.dur, self.conc_over = {}, {}, {}, {}, {}
        self._streams = {}      # version -> list of names
        self._warm = set()
        self.events = {}        # stream name -> [(t, msg)]

    def _stream(self, version, t):
        names = self._streams.setdefault(version, [])
        if len(names) < self.pool:
            names.append(f"{self.ck.day(t)}/[{version}]{hexid(self.rng)}")
        return self.rng.choice(names)

    def invoke(self, minute, t, req, version, body, dur_ms, used, error=False, status=None, init_ms=None):
        self.inv[minute] = self.inv.get(minute, 0) + 1
        if error:
            self.err[minute] = self.err.get(minute, 0) + 1
        self.dur.setdefault(minute, []).append(dur_ms)
        if t < self.log_from:
            return
        s = self._stream(version, t)
        if s not in self._warm:
            self._warm.add(s)
            if init_ms is None:
                init_ms = self.rng.uniform(180, 420)
        ev = lambda_invocation(t, req, version, body, dur_ms, self.mem, used,
                               init_ms=init_ms, status=status, runtime_version=self.rv)
        ev = [(a, b.replace("{region}", self.region)) for a, b in ev]
        self.events.setdefault(s, []).extend(ev)

    def throttle(self, minute, n):
        self.thr[minute] = self.thr.get(minute, 0) + n

    def set_conc_cap(self, minute, v):
        self.conc_over[minute] = v

    def metrics(self, ts, region=None, extra_dims=None):
        dims = {"FunctionName": self.name}
        inv, err, thr, dur, conc = [], [], [], [], []
        for m in ts:
            n = self.inv.get(m, 0)
            inv.append((m, n))
            err.append((m, self.err.get(m, 0)))
            thr.append((m, self.thr.get(m, 0)))
            ds = self.dur.get(m)
            if ds:
                dur.append((m, sum(ds) / len(ds)))
            avg_s = (sum(ds) / len(ds) / 1000.0) if ds else 0.0
            c = self.conc_over.get(m)
            if c is None:
                c = max(1 if n else 0, math.ceil(noisy(self.rng, n * avg_s / 60.0 * 1.7, 0.15)))
            conc.append((m, c))
        return [metric("AWS/Lambda", "Invocations", dims, "Count", inv, region),
                metric("AWS/Lambda", "Errors", dims, "Count", err, region),
                metric("AWS/Lambda", "Throttles", dims, "Count", thr, region),
                metric("AWS/Lambda", "Duration", dims, "Milliseconds", dur, region),
                metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", conc, region)]

    def logs(self, region=None):
        return [stream(f"/aws/lambda/{self.name}", s, ev, region) for s, ev in self.events.items()]


def spread(rng, minute, n):
    """n sorted start times inside the minute starting at `minute`."""
    return sorted(minute + rng.uniform(0.05, 59.5) for _ in range(n))
