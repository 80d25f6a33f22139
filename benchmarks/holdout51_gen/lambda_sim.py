"""Lambda functions: the five standard metrics and CloudWatch Logs streams
with the runtime's own START / END / REPORT lines, one stream per execution
environment, cold starts with INIT_START, and runtime-specific app lines."""
from __future__ import annotations

import json
import math

RUNTIME_VERSION = {
    "python3.11": "python:3.11.v45", "python3.12": "python:3.12.v38",
    "nodejs18.x": "nodejs:18.v49", "nodejs20.x": "nodejs:20.v41",
    "java17": "java:17.v36", "java21": "java:21.v24",
    "provided.al2023": "provided:al2023.v61", "dotnet8": "dotnet:8.v29",
    "ruby3.3": "ruby:3.3.v21",
}
INIT_MS = {"python": (240, 520), "nodejs": (160, 430), "java": (2100, 4300),
           "provided": (45, 130), "dotnet": (650, 1450), "ruby": (280, 610)}
LAMBDA_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. For "
    "functions using managed runtimes, runtime updates can be triggered by a function change, or can "
    "be applied automatically. To determine if the runtime has been updated, check the runtime "
    "version in the INIT_START log entry. If this error correlates with a change in the runtime "
    "version, you may be able to mitigate this error by temporarily rolling back to the previous "
    "runtime version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html")


def family(runtime):
    for fam in ("python", "nodejs", "java", "provided", "dotnet", "ruby"):
        if runtime.startswith(fam):
            return fam
    raise ValueError(runtime)


class Ctx:
    """What a body callback knows about one invocation."""

    def __init__(self, t, rid, minute, failed, duration_ms, cold, generation):
        self.t, self.rid, self.minute, self.failed = t, rid, minute, failed
        self.duration_ms, self.cold, self.generation = duration_ms, cold, generation
        self.outcome = "ok"          # ok | error | timeout | oom


class LambdaFn:
    def __init__(self, scn, name, runtime, memory, timeout, mem_used=(120, 190), **props):
        self.scn, self.name, self.runtime = scn, name, runtime
        self.fam = family(runtime)
        self.memory, self.timeout, self.mem_used = memory, timeout, mem_used
        scn.resource("lambda", name, runtime=runtime, timeout=timeout, memory_size=memory, **props)
        self.inv = self.err = self.dur = None

    # ---- metrics -------------------------------------------------------------
    def metrics(self, inv, err, dur, throttles=None, conc=None):
        s = self.scn
        dims = {"FunctionName": self.name}
        inv = [float(max(0, round(v))) for v in inv]
        err = [float(min(e, i)) for e, i in zip((max(0, round(v)) for v in err), inv)]
        dur = [None if i == 0 else round(max(1.0, d), 3) for d, i in zip(dur, inv)]
        if throttles is None:
            throttles = [0.0] * len(inv)
        if conc is None:
            conc = [0.0 if not i else float(max(1, round(i * d / 60000.0 * 2.2 + abs(s.gauss(0, 0.6)))))
                    for i, d in zip(inv, dur)]
        s.metric("AWS/Lambda", "Invocations", dims, "Count", inv)
        s.metric("AWS/Lambda", "Errors", dims, "Count", err)
        s.metric("AWS/Lambda", "Throttles", dims, "Count", [float(round(v)) for v in throttles])
        s.metric("AWS/Lambda", "Duration", dims, "Milliseconds", dur)
        s.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", conc)
        self.inv, self.err, self.dur = inv, err, dur

    # ---- log lines ---------------------------------------------------------------
    def line(self, t, rid, level, msg, **fields):
        s, fam = self.scn, self.fam
        if level == "RAW":
            return msg
        if fam == "python":
            lvl = {"WARN": "WARNING"}.get(level, level)
            return f"[{lvl}]\t{s.iso(t)}\t{rid}\t{msg}"
        if fam == "nodejs":
            return f"{s.iso(t)}\t{rid}\t{level}\t{msg}"
        if fam == "java":
            return f"{s.fmt(t, '%Y-%m-%d %H:%M:%S')}.{s.ms(t)} {rid} {level:<5} {msg}"
        if fam == "dotnet":
            lvl = {"INFO": "info", "WARN": "warn", "ERROR": "fail"}[level]
            return f"{s.iso(t)}\t{rid}\t{lvl}\t{msg}"
        if fam == "ruby":
            us = f"{s.at(t).microsecond:06d}"
            return f"{level[0]}, [{s.fmt(t, '%Y-%m-%dT%H:%M:%S')}.{us} #8] {level:>5} -- : [{rid}] {msg}"
        rec = {"time": s.iso(t, 6), "level": level, "msg": msg, "request_id": rid}
        rec.update(fields)
        return json.dumps(rec, separators=(",", ":"))

    def node_invoke_error(self, t, rid, etype, emsg, stack):
        payload = json.dumps({"errorType": etype, "errorMessage": emsg, "stack": [f"{etype}: {emsg}"] + stack},
                             separators=(",", ":"))
        return f"{self.scn.iso(t)}\t{rid}\tERROR\tInvoke Error \t{payload}"

    # ---- simulation ------------------------------------------------------------
    def simulate(self, body, start=-10800, generations=((None, "$LATEST"),), init_lines=None):
        """body(ctx) -> list of (offset_s, level, msg[, fields]); ctx.outcome may be set.
        generations: (switch_time, version_label); a new generation = fresh environments."""
        s = self.scn
        envs, streams = [], {}
        gens = sorted(((-1e12 if g is None else g), label) for g, label in generations)
        lo, hi = INIT_MS[self.fam]
        for i, t0 in enumerate(s.times):
            if t0 < start or not self.inv[i]:
                continue
            n, k = int(self.inv[i]), int(self.err[i])
            starts = sorted(t0 + s.rng.random() * 59.5 for _ in range(n))
            failing = set(s.rng.sample(range(n), min(k, n)))
            for j, ts in enumerate(starts):
                gen = max(idx for idx, (g, _) in enumerate(gens) if g <= ts)
                label = gens[gen][1]
                base = self.dur[i] or 100.0
                dur = base * math.exp(s.gauss(0, 0.22) - 0.024)
                dur = min(dur, self.timeout * 1000.0 - 5)
                env = None
                for e in envs:
                    if e["gen"] == gen and e["busy"] <= ts and ts - e["last"] < e["ttl"]:
                        env = e
                        break
                cold = env is None
                if cold:
                    env = {"gen": gen, "busy": ts, "last": ts, "ttl": s.rng.uniform(900, 2700),
                           "stream": f"{s.day_path()}/[{label}]{s.hex(32)}", "n": 0}
                    envs.append(env)
                    streams[env["stream"]] = []
                ev = streams[env["stream"]]
                rid = s.uuid()
                init_ms = s.rng.uniform(lo, hi) if cold else 0.0
                if cold:
                    ti = ts - init_ms / 1000.0 - 0.004
                    ev.append((ti, f"INIT_START Runtime Version: {RUNTIME_VERSION[self.runtime]}\t"
                                   f"Runtime Version ARN: arn:aws:lambda:{s.region}::runtime:{self._arn_hash()}"))
                    for off, text in (init_lines(ti) if init_lines else []):
                        ev.append((ti + off, text))
                ctx = Ctx(ts, rid, i, j in failing, dur, cold, gen)
                lines = body(ctx)
                dur = ctx.duration_ms
                if ctx.outcome == "timeout":
                    dur = self.timeout * 1000.0
                ev.append((ts, f"START RequestId: {rid} Version: {label}"))
                for item in lines:
                    off, level, msg = item[0], item[1], item[2]
                    fields = item[3] if len(item) > 3 else {}
                    tl = ts + max(0.001, min(off, dur / 1000.0 - 0.001))
                    ev.append((tl, self.line(tl, rid, level, msg, **fields)))
                end = ts + dur / 1000.0
                if ctx.outcome == "timeout":
                    ev.append((end + 0.002, f"{s.iso(end + 0.002)} {rid} Task timed out after "
                                            f"{self.timeout + s.rng.randint(1, 4) / 100:.2f} seconds"))
                ev.append((end + 0.003, f"END RequestId: {rid}"))
                used = s.rng.randint(*self.mem_used)
                rep = (f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: "
                       f"{math.ceil(dur)} ms\tMemory Size: {self.memory} MB\tMax Memory Used: "
                       f"{self.memory if ctx.outcome == 'oom' else used} MB")
                if cold:
                    rep += f"\tInit Duration: {init_ms:.2f} ms"
                if ctx.outcome == "timeout":
                    rep += "\tStatus: timeout"
                elif ctx.outcome == "oom":
                    rep += "\tStatus: error\tError Type: Runtime.OutOfMemory"
                ev.append((end + 0.004, rep))
                env["busy"] = end + 0.01
                env["last"] = end
        for stream, ev in streams.items():
            s.log(f"/aws/lambda/{self.name}", stream, ev)

    def _arn_hash(self):
        if not hasattr(self, "_arnh"):
            self._arnh = self.scn.hex(64)
        return self._arnh


def python_traceback(etype, emsg, frames):
    """frames: list of (file, line, func, code)."""
    out = ["Traceback (most recent call last):"]
    for f, ln, fn, code in frames:
        out.append(f'  File "{f}", line {ln}, in {fn}')
        out.append(f"    {code}")
    out.append(f"{etype}: {emsg}")
    return "\n".join(out)
