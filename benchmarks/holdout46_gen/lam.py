"""Lambda simulation: invocations -> consistent AWS/Lambda metrics and CloudWatch Logs streams.

Scenario code adds invocations (start time, duration, status, app log lines); ``finish`` derives the
per-minute Invocations / Errors / Throttles / Duration / ConcurrentExecutions series from them and
writes START/END/REPORT streams per execution environment for the log window, with INIT_START and
Init Duration on cold starts, new environments after each code/config generation, and the runtime's
own line format.
"""
from __future__ import annotations

import math
from collections import defaultdict

from .core import minute_of

RUNTIME_VER = {
    "python3.11": "python:3.11.v48", "python3.12": "python:3.12.v38", "nodejs18.x": "nodejs:18.v43",
    "nodejs20.x": "nodejs:20.v36", "java21": "java:21.v24", "dotnet8": "dotnet:8.v27",
    "ruby3.3": "ruby:3.3.v14", "provided.al2023": "provided:al2023.v61",
}


class LambdaFn:
    def __init__(self, scn, name, runtime, memory=512, timeout=30, reserved=None, mem_used=(110, 150),
                 init_ms=(250.0, 600.0), init_lines=None, generations=(), add_resource=True, **props):
        self.scn, self.name, self.runtime = scn, name, runtime
        self.memory, self.timeout, self.reserved = memory, timeout, reserved
        self.mem_used, self.init_ms, self.init_lines = mem_used, init_ms, init_lines
        # generations: [(time, version_label)] -- every code/config update replaces the environments
        self.generations = sorted(generations)
        self.invs = []
        self.throttles = defaultdict(int)
        self.pid = scn.rng.randint(7, 9)
        if add_resource:
            p = {"runtime": runtime, "timeout": timeout, "memory_size": memory}
            if reserved:
                p["reserved_concurrency"] = reserved
            p.update(props)
            scn.resource("lambda", name, **p)

    # ------------------------------------------------------------ building
    def add(self, t, dur_ms, status="ok", lines=(), mem=None, rid=None):
        """lines: [(offset_ms, level or None, message)]; status ok | error | timeout."""
        if status == "timeout":
            dur_ms = self.timeout * 1000.0 + self.scn.rng.uniform(3, 40)
        self.invs.append((t, dur_ms, status, list(lines), mem, rid))

    def throttle(self, minute, n):
        if n > 0:
            self.throttles[minute] += n

    # --------------------------------------------------------- formatting
    def line(self, t, rid, level, msg):
        s, rt = self.scn, self.runtime
        if level is None:
            return msg
        if rt.startswith("python"):
            return f"[{level}]\t{s.iso(t)}\t{rid}\t{msg}"
        if rt.startswith("nodejs"):
            return f"{s.iso(t)}\t{rid}\t{level}\t{msg}"
        if rt.startswith("dotnet"):
            return f"{s.iso(t)}\t{rid}\t{level.lower()}\t{msg}"
        if rt.startswith("java"):
            return f"{s.iso(t, digits=3, z='', sep=' ')} {rid} {level:<5} {msg}"
        if rt.startswith("ruby"):
            return f"{level[0]}, [{s.iso(t, digits=6, z='')} #{self.pid}] {level:>5} -- : [{rid}] {msg}"
        return msg

    def _version(self, t):
        v = "$LATEST"
        for g, label in self.generations:
            if g <= t:
                v = label
        return v

    def _gen(self, t):
        return sum(1 for g, _ in self.generations if g <= t)

    # ------------------------------------------------------------ metrics
    def finish(self):
        s = self.scn
        dims = {"FunctionName": self.name}
        cnt, err, dsum = defaultdict(int), defaultdict(int), defaultdict(float)
        edges = []
        for t, d, st, _, _, _ in self.invs:
            m = minute_of(t)
            cnt[m] += 1
            dsum[m] += d
            if st != "ok":
                err[m] += 1
            edges.append((t, 1))
            edges.append((t + d / 1000.0, -1))
        edges.sort()
        conc, cur = defaultdict(int), 0
        for t, e in edges:
            cur += e
            m = minute_of(t)
            if cur > conc[m]:
                conc[m] = cur
        # carry concurrency through minutes fully covered by long invocations
        i, running = 0, 0
        for m in s.minutes():
            while i < len(edges) and edges[i][0] < m:
                running += edges[i][1]
                i += 1
            conc[m] = max(conc[m], running)
        cap = self.reserved or 10 ** 9
        mins = list(s.minutes())
        s.metric("AWS/Lambda", "Invocations", dims, "Count", [(m, cnt[m]) for m in mins])
        s.metric("AWS/Lambda", "Errors", dims, "Count", [(m, err[m]) for m in mins])
        s.metric("AWS/Lambda", "Throttles", dims, "Count", [(m, self.throttles[m]) for m in mins])
        s.metric("AWS/Lambda", "Duration", dims, "Milliseconds",
                 [(m, dsum[m] / cnt[m] if cnt[m] else None) for m in mins])
        s.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", [(m, min(cap, conc[m])) for m in mins])
        self._logs()

    # --------------------------------------------------------------- logs
    def _logs(self):
        s, rng = self.scn, self.scn.rng
        warm_from = s.log_start - 1200
        envs = []          # active environments: dict(free, last, stream, events, gen, idle)
        done = []
        runtime_arn = f"arn:aws:lambda:{s.region}::runtime:{s.hexs(64)}"
        for t, d, st, lines, mem, rid0 in sorted(self.invs, key=lambda x: x[0]):
            if t < warm_from:
                continue
            gen = self._gen(t)
            keep = []
            for e in envs:
                if e["gen"] != gen or t - e["free"] > e["idle"]:
                    done.append(e)
                else:
                    keep.append(e)
            envs = keep
            free = [e for e in envs if e["free"] <= t]
            emit = t >= s.log_start
            rid = rid0 or s.uid()
            ver = self._version(t)
            cold = None
            if free:
                env = max(free, key=lambda e: e["free"])
            else:
                qual = "$LATEST" if ver == "$LATEST" else ver
                env = {"free": t, "gen": gen, "events": [], "idle": rng.uniform(900, 2700),
                       "stream": f"{s.stamp(t, '%Y/%m/%d')}/[{qual}]{s.hexs(32)}"}
                envs.append(env)
                cold = rng.uniform(*self.init_ms)
                if emit:
                    t0 = t - cold / 1000.0
                    env["events"].append((t0, f"INIT_START Runtime Version: {RUNTIME_VER.get(self.runtime, self.runtime)}"
                                              f"\tRuntime Version ARN: {runtime_arn}"))
                    for k, (off, lvl, msg) in enumerate(self.init_lines(t0) if self.init_lines else []):
                        env["events"].append((t0 + off / 1000.0, self.line(t0 + off / 1000.0, rid, lvl, msg)
                                              if lvl else msg))
            end = t + d / 1000.0
            env["free"] = end + 0.002
            if emit:
                ev = env["events"]
                ev.append((t, f"START RequestId: {rid} Version: {ver}"))
                for off, lvl, msg in lines:
                    tt = min(t + off / 1000.0, end - 0.0005)
                    ev.append((tt, self.line(tt, rid, lvl, msg)))
                if st == "timeout":
                    ev.append((end - 0.0002, f"{s.iso(end)} {rid} Task timed out after {d / 1000.0:.2f} seconds"))
                used = mem or rng.randint(*self.mem_used)
                ev.append((end, f"END RequestId: {rid}"))
                rep = (f"REPORT RequestId: {rid}\tDuration: {d:.2f} ms\tBilled Duration: {math.ceil(d)} ms\t"
                       f"Memory Size: {self.memory} MB\tMax Memory Used: {min(used, self.memory)} MB")
                if cold is not None:
                    rep += f"\tInit Duration: {cold:.2f} ms"
                if st == "timeout":
                    rep += "\tStatus: timeout"
                ev.append((end + 0.0008, rep))
            if st == "timeout":
                envs.remove(env)
                done.append(env)
        for e in done + envs:
            if e["events"]:
                s.log(f"/aws/lambda/{self.name}", e["stream"], e["events"])


# ------------------------------------------------------------ API Gateway
def apigw_front(scn, api, fn_minutes, extra_4xx=None, extra_5xx=None, fn_4xx=None, overhead_ms=(18, 35)):
    """AWS/ApiGateway series for a REST API proxying one Lambda.

    fn_minutes: {minute: (invocations, errors, throttles, avg_duration_ms or None)}.
    extra_4xx / extra_5xx: {minute: count} answered by API Gateway itself (auth failures, ...).
    fn_4xx: {minute: count} of 4xx responses returned by the function (already in its invocations).
    """
    dims = {"ApiName": api}
    extra_4xx, extra_5xx, fn_4xx = extra_4xx or {}, extra_5xx or {}, fn_4xx or {}
    count, e4, e5, lat, ilat = [], [], [], [], []
    for m in scn.minutes():
        inv, er, th, dur = fn_minutes.get(m, (0, 0, 0, None))
        x4, x5 = extra_4xx.get(m, 0), extra_5xx.get(m, 0)
        count.append((m, inv + th + x4 + x5))
        e4.append((m, th + x4 + fn_4xx.get(m, 0)))
        e5.append((m, er + x5))
        if dur is None:
            lat.append((m, None))
            ilat.append((m, None))
        else:
            oh = scn.rng.uniform(*overhead_ms)
            lat.append((m, dur + oh))
            ilat.append((m, dur + oh * 0.3))
    scn.metric("AWS/ApiGateway", "Count", dims, "Count", count)
    scn.metric("AWS/ApiGateway", "4XXError", dims, "Count", e4)
    scn.metric("AWS/ApiGateway", "5XXError", dims, "Count", e5)
    scn.metric("AWS/ApiGateway", "Latency", dims, "Milliseconds", lat)
    scn.metric("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds", ilat)


def fn_minutes(fn):
    """Per-minute (invocations, errors, throttles, avg duration) of a LambdaFn, for apigw_front."""
    out = defaultdict(lambda: [0, 0, 0, 0.0])
    for t, d, st, _, _, _ in fn.invs:
        r = out[minute_of(t)]
        r[0] += 1
        r[1] += st != "ok"
        r[3] += d
    for m, n in fn.throttles.items():
        out[m][2] += n
    return {m: (r[0], r[1], r[2], (r[3] / r[0]) if r[0] else None) for m, r in out.items()}
