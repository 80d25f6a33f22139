"""Lambda CloudWatch Logs synthesis: execution environments (one log stream each), cold starts,
START/END/REPORT platform lines, timeouts, runtime crashes and per-runtime application log formats."""
from __future__ import annotations

import json
import math

from .common import MINUTES, Scenario, hexs, rid

RUNTIME_VER = {
    "python3.12": "python:3.12.v38", "python3.11": "python:3.11.v44", "nodejs20.x": "nodejs:20.v33",
    "nodejs18.x": "nodejs:18.v45", "java21": "java:21.v19", "java17": "java:17.v30",
    "provided.al2023": "provided:al2023.v62", "dotnet8": "dotnet:8.v26",
}


# ---------------------------------------------------------------- application log formats
def py(sc: Scenario, t: float, r: str, level: str, msg: str) -> tuple:
    return (t, "[%s]\t%s\t%s\t%s" % (level, sc.iso(t), r, msg))


def py_unhandled(t: float, etype: str, emsg: str, frames: list) -> tuple:
    tb = "".join('\n  File "%s", line %d, in %s\n    %s' % f for f in frames)
    return (t, "[ERROR] %s: %s\nTraceback (most recent call last):%s" % (etype, emsg, tb))


def node(sc: Scenario, t: float, r: str, level: str, msg: str) -> tuple:
    return (t, "%s\t%s\t%s\t%s" % (sc.iso(t), r, level, msg))


def node_invoke_error(sc: Scenario, t: float, r: str, etype: str, emsg: str, stack: list, **extra) -> tuple:
    body = {"errorType": etype, "errorMessage": emsg}
    body.update(extra)
    body["stack"] = ["%s: %s" % (etype, emsg)] + ["    at " + s for s in stack]
    return (t, "%s\t%s\tERROR\tInvoke Error \t%s" % (sc.iso(t), r, json.dumps(body, separators=(",", ":"))))


def java(sc: Scenario, t: float, r: str, level: str, logger: str, msg: str) -> tuple:
    return (t, "%s %s %-5s %s - %s" % (sc.stamp(t), r, level, logger, msg))


def java_trace(etype: str, emsg: str, frames: list, cause: tuple | None = None) -> str:
    out = "%s: %s" % (etype, emsg) + "".join("\n\tat " + f for f in frames)
    if cause:
        out += "\nCaused by: %s: %s" % cause[:2] + "".join("\n\tat " + f for f in cause[2]) + \
            "\n\t... %d more" % (len(frames) - 1)
    return out


def go(sc: Scenario, t: float, r: str, level: str, msg: str, **kv) -> tuple:
    d = {"time": sc.iso(t).replace("Z", "+00:00"), "level": level, "msg": msg}
    d.update(kv)
    d["request_id"] = r
    return (t, json.dumps(d, separators=(",", ":")))


def dotnet(sc: Scenario, t: float, r: str, level: str, msg: str) -> tuple:
    return (t, "%s\t%s\t%s\t%s" % (sc.iso(t), r, level, msg))


# ---------------------------------------------------------------- environments / streams
class FnLog:
    """One Lambda function's log group. ``invoke`` places an invocation on a warm environment
    (stream) of the requested version, or creates a new one (cold start)."""

    def __init__(self, sc: Scenario, fn: str, runtime: str, mem: int, *, init=(250.0, 600.0),
                 life=(1500, 5400), snapstart=False, on_init=None):
        self.sc, self.fn, self.runtime, self.mem = sc, fn, runtime, mem
        self.group = "/aws/lambda/" + fn
        self.init, self.life, self.snapstart, self.on_init = init, life, snapstart, on_init
        self.rv = RUNTIME_VER[runtime]
        self.rv_arn = "arn:aws:lambda:%s::runtime:%s" % (sc.region, hexs(sc.rng, 64))
        self.envs: dict[str, list] = {}
        self.done: list = []

    def _new_env(self, t: float, version: str, pool: str) -> dict:
        rng = self.sc.rng
        env = {"stream": "%s/[%s]%s" % (self.sc.day(t), version, hexs(rng, 32)), "events": [],
               "dies": t + rng.uniform(*self.life), "busy": t, "version": version}
        self.envs.setdefault(pool, []).append(env)
        return env

    def invoke(self, t: float, r: str, res: dict, n_envs: int = 3) -> None:
        rng, sc = self.sc.rng, self.sc
        version = res.get("version", "$LATEST")
        pool = self.envs.setdefault(res.get("pool", version), [])
        for e in [e for e in pool if e["dies"] <= t]:
            pool.remove(e)
            self.done.append(e)
        free = [e for e in pool if e["busy"] <= t]
        cold = False
        if res.get("force_cold") or not free or (len(pool) < n_envs and rng.random() < 0.5):
            env, cold = self._new_env(t, version, res.get("pool", version)), True
        else:
            env = rng.choice(free)
            if env.pop("reinit", False):
                cold = True  # same sandbox (stream), runtime re-initialised after a crash / timeout
        ev = env["events"]
        init_ms = 0.0
        if cold and not res.get("no_init"):
            init_ms = rng.uniform(*self.init)
            t0 = t - init_ms / 1000.0 - 0.004
            if self.snapstart and version != "$LATEST":
                ev.append((t0, "RESTORE_START Runtime Version: %s\tRuntime Version ARN: %s" % (self.rv, self.rv_arn)))
                ev.append((t - 0.003, "RESTORE_REPORT Restore Duration: %.2f ms" % init_ms))
            else:
                ev.append((t0, "INIT_START Runtime Version: %s\tRuntime Version ARN: %s" % (self.rv, self.rv_arn)))
                if self.on_init:
                    ev.extend(self.on_init(t0 + 0.05, version))
        ev.extend(res.get("pre", []))
        ev.append((t, "START RequestId: %s Version: %s" % (r, version)))
        dur = float(res["dur"])
        ev.extend(res.get("lines", []))
        end = t + dur / 1000.0
        status = res.get("status")
        if status == "timeout":
            ev.append((end, "%s %s Task timed out after %.2f seconds" % (sc.iso(end), r, dur / 1000.0)))
        ev.append((end + 0.0005, "END RequestId: %s" % r))
        rep = "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB" % (
            r, dur, int(math.ceil(dur + (init_ms if self.runtime == "provided.al2023" else 0))), self.mem,
            min(self.mem, int(res.get("mem", self.mem * 0.3))))
        if cold and init_ms:
            if self.snapstart and version != "$LATEST":
                rep += "\tRestore Duration: %.2f ms\tBilled Restore Duration: %d ms" % (init_ms, int(init_ms * 0.6))
            else:
                rep += "\tInit Duration: %.2f ms" % init_ms
        if status == "timeout":
            rep += "\tStatus: timeout"
        elif status == "error":
            rep += "\tStatus: error\tError Type: %s" % res.get("err_type", "Runtime.ExitError")
        ev.append((end + 0.001, rep))
        env["busy"] = end + 0.002
        if status in ("timeout", "error") or res.get("kill_env"):
            env["reinit"] = True  # the runtime is reset after a timeout / crash: next invoke re-runs init

    def flush(self) -> None:
        for pool in self.envs.values():
            self.done.extend(pool)
        self.envs = {}
        for env in self.done:
            self.sc.log(self.group, env["stream"], env["events"])
        self.done = []


def _take(rng, x: float) -> int:
    base = int(x)
    return base + (1 if rng.random() < x - base else 0)


def drive(sc: Scenario, fl: FnLog, inv: dict, err: dict, frac, start: int, make, n_envs=None,
          end: int = 0) -> None:
    """Log a sample (``frac`` of invocations; a number or t->number) of the minutes from ``start``.
    ``make(t, request_id, kind)`` returns the invocation dict for FnLog.invoke; kind is 'ok' or 'err'."""
    rng = sc.rng
    for t in MINUTES:
        if t < start or t >= end:
            continue
        f = frac(t) if callable(frac) else frac
        n = inv.get(t, 0)
        e = min(err.get(t, 0), n)
        k = _take(rng, n * f)
        pe = e / float(n) if n else 0.0
        kinds = ["err" if rng.random() < pe else "ok" for _ in range(k)]
        times = sorted(t + rng.uniform(0.05, 59.9) for _ in kinds)
        for ti, kind in zip(times, kinds):
            r = rid(rng)
            fl.invoke(ti, r, make(ti, r, kind), n_envs(ti) if n_envs else 3)
    fl.flush()


def simple_fn(sc: Scenario, fn: str, runtime: str, mem: int, inv: dict, dur_fn, msgs, *, frac=1.0,
              start=-7200, err=None, make_err=None, version_fn=None, fmt=None, mem_used=(0.25, 0.35)):
    """Background function logs: each invocation logs one of ``msgs`` (callable (t, r) -> list of lines
    or list of template callables)."""
    rng = sc.rng
    fl = FnLog(sc, fn, runtime, mem)

    def make(t, r, kind):
        if kind == "err" and make_err:
            return make_err(t, r)
        d = dur_fn(t)
        lines = msgs(t, r, d) if callable(msgs) else []
        return {"dur": d, "mem": mem * rng.uniform(*mem_used), "lines": lines,
                "version": version_fn(t) if version_fn else "$LATEST"}
    drive(sc, fl, inv, err or {}, frac, start, make)
