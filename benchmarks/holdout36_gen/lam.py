"""Minute-by-minute Lambda simulation: metrics and START/END/REPORT logs from one set of draws."""
from __future__ import annotations

import math

from .common import START
from .logfmt import lambda_report

RUNTIME_VERSIONS = {
    "python3.12": "python:3.12.v38", "python3.11": "python:3.11.v45", "nodejs20.x": "nodejs:20.v31",
    "java21": "java:21.v19", "ruby3.3": "ruby:3.3.v12", "provided.al2023": "provided:al2023.v57",
    "dotnet8": "dotnet:8.v29",
}


class Outcome:
    __slots__ = ("kind", "dur", "mem", "lines")

    def __init__(self, kind="ok", dur=100.0, mem=128, lines=None):
        self.kind, self.dur, self.mem, self.lines = kind, dur, mem, lines or []


class Lambda:
    def __init__(self, s, name, runtime, memory, timeout, reserved=None, region=None,
                 log_start=-7200, versions=None, base_mem=120, init_ms=(250, 600)):
        self.s, self.name, self.runtime = s, name, runtime
        self.memory, self.timeout, self.reserved = memory, timeout, reserved
        self.region, self.log_start = region, log_start
        self.versions = versions or [(-10 ** 9, "$LATEST")]
        self.base_mem, self.init_ms = base_mem, init_ms
        self.group = f"/aws/lambda/{name}"
        self.envs: dict = {}
        self.rver = RUNTIME_VERSIONS.get(runtime, "python:3.12.v38")
        self.arn_hash = s.hexid(64)
        self.points = {}

    # ------------------------------------------------------------ formatting
    def line(self, t, level, rid, msg):
        s = self.s
        if level is None:
            return msg
        if self.runtime.startswith("python"):
            return f"[{level}]\t{s.iso(t)}\t{rid}\t{msg}"
        if self.runtime.startswith("nodejs"):
            return f"{s.iso(t)}\t{rid}\t{level}\t{msg}"
        if self.runtime.startswith("java"):
            w = s.wall(t)
            return f"{w.strftime('%Y-%m-%d %H:%M:%S')}.{w.microsecond // 1000:03d} {rid} {level:<5} {msg}"
        return msg

    def version_at(self, t, display=False):
        """Pool key of the execution environments at ``t`` (or the Version shown in START)."""
        cur = self.versions[0]
        for v in self.versions:
            if t >= v[0]:
                cur = v
        if display:
            return cur[2] if len(cur) > 2 else cur[1]
        return cur[1]

    def _env(self, t, conc):
        ver = self.version_at(t)
        pool = self.envs.setdefault(ver, [])
        want = max(1, int(math.ceil(conc * 1.15)))
        idx = self.s.rng.randrange(want)
        cold = False
        while idx >= len(pool):
            day = self.s.wall(t).strftime("%Y/%m/%d")
            pool.append(f"{day}/[{self.version_at(t, True)}]{self.s.hexid(32)}")
            cold = True
            idx = len(pool) - 1
        return pool[idx], cold

    # ------------------------------------------------------------ simulation
    def run(self, rate_fn, outcome_fn, start=START, end=-60, emit_metrics=True, exact=False):
        s = self.s
        inv_p, err_p, thr_p, dur_p, conc_p = [], [], [], [], []
        for m in range(start, end + 1, 60):
            n = int(rate_fn(m)) if exact else s.poisson(rate_fn(m))
            arrivals = sorted(m + s.rng.random() * 60 for _ in range(n))
            outs = [(a, outcome_fn(a)) for a in arrivals]
            conc = min(float(n), sum(o.dur for _, o in outs) / 60000.0 * s.rng.uniform(1.24, 1.36))
            throttled = 0
            if self.reserved and conc > self.reserved:
                keep = int(n * self.reserved / conc)
                idx = sorted(s.rng.sample(range(n), keep))
                throttled = n - keep
                outs = [outs[i] for i in idx]
                conc = float(self.reserved)
            if n == 0:
                continue
            inv_p.append([m, float(len(outs))])
            err_p.append([m, float(sum(1 for _, o in outs if o.kind != "ok"))])
            thr_p.append([m, float(throttled)])
            if outs:
                dur_p.append([m, round(sum(o.dur for _, o in outs) / len(outs), 3)])
            conc_p.append([m, float(max(1, min(self.reserved or 10 ** 6, round(conc))))])
            if m >= self.log_start:
                for a, o in outs:
                    self._log(a, o, conc)
        dims = {"FunctionName": self.name}
        self.points = {"Invocations": inv_p, "Errors": err_p, "Throttles": thr_p,
                       "Duration": dur_p, "ConcurrentExecutions": conc_p}
        if emit_metrics:
            for name, unit in (("Invocations", "Count"), ("Errors", "Count"), ("Throttles", "Count"),
                               ("Duration", "Milliseconds"), ("ConcurrentExecutions", "Count")):
                s.metric("AWS/Lambda", name, dims, unit, self.points[name], self.region)
        return self.points

    def _log(self, t, o, conc):
        s = self.s
        rid = s.uuid()
        stream, cold = self._env(t, conc)
        ev = s.stream(self.group, stream, self.region)
        init = None
        if cold:
            init = s.rng.uniform(*self.init_ms)
            ev.append([round(t - init / 1000 - 0.01, 3),
                       f"INIT_START Runtime Version: {self.rver}\tRuntime Version ARN: arn:aws:lambda:"
                       f"{self.region or s.region}::runtime:{self.arn_hash}"])
        ver = self.version_at(t, True)
        ev.append([round(t, 3), f"START RequestId: {rid} Version: {ver}"])
        for dt, level, msg in o.lines:
            tt = t + min(dt, o.dur / 1000.0)
            ev.append([round(tt + 0.0005, 3), self.line(tt, level, rid, msg)])
        t_end = t + o.dur / 1000.0
        status = None
        if o.kind == "timeout":
            ev.append([round(t_end, 3), f"{s.iso(t_end)} {rid} Task timed out after "
                                        f"{self.timeout + s.rng.uniform(0.01, 0.09):.2f} seconds"])
            status = "timeout"
        ev.append([round(t_end + 0.001, 3), f"END RequestId: {rid}"])
        ev.append([round(t_end + 0.002, 3),
                   lambda_report(rid, o.dur, self.memory, o.mem, init, status)])
