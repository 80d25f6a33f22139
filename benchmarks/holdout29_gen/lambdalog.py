"""Lambda execution-environment simulation and runtime log formats.

Each simulated execution environment is one CloudWatch Logs stream with
strictly sequential invocations (START ... END / REPORT), cold starts with
INIT_START / Init Duration, timeouts and runtime crashes rendered the way the
Lambda service prints them.
"""
from __future__ import annotations

import json
import math

RUNTIME_VERSION = {
    "python3.12": "python:3.12.v38",
    "python3.11": "python:3.11.v45",
    "nodejs20.x": "nodejs:20.v33",
    "nodejs18.x": "nodejs:18.v41",
    "java17": "java:17.v30",
    "java21": "java:21.v22",
    "dotnet8": "dotnet:8.v24",
    "provided.al2023": "provided:al2023.v61",
}


class Inv:
    """Outcome of one invocation produced by a scenario handler.

    ``lines`` holds ``(offset_ms, level, message)``; level ``None`` means the
    message is printed verbatim (stack traces the runtime prints itself).
    ``outcome`` is ok | error | timeout | crash.
    """

    __slots__ = ("dur", "mem", "lines", "outcome")

    def __init__(self, dur, mem, lines=(), outcome="ok"):
        self.dur, self.mem, self.lines, self.outcome = dur, mem, list(lines), outcome


def fmt_line(sc, runtime: str, t: float, rid: str, level: str, msg) -> str:
    extra = {}
    if isinstance(msg, tuple):
        msg, extra = msg
    if runtime.startswith("python"):
        lv = {"WARN": "WARNING"}.get(level, level)
        return f"[{lv}]\t{sc.iso(t)}\t{rid}\t{msg}"
    if runtime.startswith("nodejs"):
        return f"{sc.iso(t)}\t{rid}\t{level}\t{msg}"
    if runtime.startswith("dotnet"):
        lv = {"INFO": "info", "WARN": "warn", "ERROR": "fail", "DEBUG": "dbug"}[level]
        return f"{sc.iso(t)}\t{rid}\t{lv}\t{msg}"
    if runtime.startswith("java"):
        return f"{sc.stamp(t)}.{int((t % 1) * 1000):03d} {rid} {level:<5} {msg}"
    if runtime.startswith("provided"):
        rec = {"time": sc.iso_us(t), "level": level, "msg": msg}
        rec.update(extra)
        rec["request_id"] = rid
        return json.dumps(rec, separators=(",", ":"))
    raise ValueError(runtime)


def _report(rid, dur, mem_size, mem_used, init=None, status=None, err_type=None):
    s = (f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: "
         f"{int(math.ceil(dur))} ms\tMemory Size: {mem_size} MB\tMax Memory Used: {mem_used} MB")
    if init is not None:
        s += f"\tInit Duration: {init:.2f} ms"
    if status:
        s += f"\tStatus: {status}"
    if err_type:
        s += f"\tError Type: {err_type}"
    return s


class _Fn:
    """Static facts about one function used while rendering its streams."""

    def __init__(self, sc, fn, runtime, mem, timeout, version, region, init_ms, init_limit):
        self.sc, self.fn, self.runtime, self.timeout = sc, fn, runtime, timeout
        self.rtv = RUNTIME_VERSION[runtime]
        self.arn = f"arn:aws:lambda:{region or sc.region}::runtime:{sc.hexid(64)}"
        self.mem_at = mem if callable(mem) else (lambda _t: mem)
        self.ver_at = version if callable(version) else (lambda _t: version)
        self.init_ms, self.init_limit, self.region = init_ms, init_limit, region

    def init_duration(self, t):
        if callable(self.init_ms):
            return self.init_ms(self.sc, t)
        return self.sc.rng.uniform(*self.init_ms)

    def stream(self, t):
        return f"{self.sc.stamp(t, '%Y/%m/%d')}/[{self.ver_at(t)}]{self.sc.hexid(32)}"

    def emit(self, events, ti, handler, env, cold):
        """Render one invocation starting at ``ti``; returns (end_time, crashed)."""
        sc, rng = self.sc, self.sc.rng
        rid = sc.uid()
        env["cold"] = cold
        init = None
        if cold:
            init = self.init_duration(ti)
            ist = ti - min(init, self.init_limit) / 1000.0 - 0.05
            events.append((ist, f"INIT_START Runtime Version: {self.rtv}\tRuntime Version ARN: {self.arn}"))
            if init > self.init_limit:
                events.append((ti - 0.03, f"INIT_REPORT Init Duration: {self.init_limit + rng.uniform(0.2, 9):.2f} ms"
                                          f"\tPhase: init\tStatus: timeout"))
        events.append((ti, f"START RequestId: {rid} Version: {self.ver_at(ti)}"))
        inv = handler(sc, ti, rid, env)
        if init is not None and init > self.init_limit:
            events.append((ti + 0.002, f"INIT_START Runtime Version: {self.rtv}\tRuntime Version ARN: {self.arn}"))
            init = None  # init re-runs inside the invoke phase and is billed in Duration
        for off, level, msg in inv.lines:
            tl = ti + off / 1000.0
            events.append((tl, msg if level is None else fmt_line(sc, self.runtime, tl, rid, level, msg)))
        dur = inv.dur
        status = err_type = None
        if inv.outcome == "timeout":
            dur = self.timeout * 1000.0 + rng.uniform(0.5, 40)
            te = ti + dur / 1000.0
            events.append((te - 0.001, f"{sc.iso(te)} {rid} Task timed out after {self.timeout:.2f} seconds"))
            status = "timeout"
        te = ti + dur / 1000.0
        if inv.outcome == "crash":
            events.append((te, f"RequestId: {rid} Error: Runtime exited with error: signal: killed\n"
                               f"Runtime.ExitError"))
            status, err_type = "error", "Runtime.OutOfMemory"
        events.append((te + 0.0004, f"END RequestId: {rid}"))
        events.append((te + 0.0008, _report(rid, dur, self.mem_at(ti), inv.mem, init, status, err_type)))
        env["n"] += 1
        return te, inv.outcome == "crash"


def lambda_logs(sc, fn, runtime, t0, t1, n_env, rate, handler, mem, timeout,
                recycle=(), life=(2400, 9000), init_ms=(250.0, 650.0),
                version="$LATEST", region=None, init_limit=10000.0, start_cold=False):
    """Simulate ``n_env`` environment slots of function ``fn`` from t0 to t1.

    rate(t)     -> invocations per minute arriving at ONE environment
    handler(sc, t, rid, env) -> Inv
    mem         int or callable(t) -> configured memory size
    version     str or callable(t) -> "$LATEST" or a version number
    init_ms     (lo, hi) or callable(sc, t) -> init duration in ms
    recycle     times at which every environment is replaced (deploys, config)
    """
    rng = sc.rng
    f = _Fn(sc, fn, runtime, mem, timeout, version, region, init_ms, init_limit)
    bounds = sorted(recycle)
    for slot in range(n_env):
        t = t0 + rng.uniform(0, 90)
        cold = start_cold
        while t < t1:
            env = {"n": 0, "start": t, "slot": slot, "cold": cold}
            stream = f.stream(t)
            env_end = t + rng.uniform(*life)
            for b in bounds:
                if b > t:
                    env_end = min(env_end, b + rng.uniform(5, 60))
                    break
            env_end = min(env_end, t1)
            events, crashed = [], False
            while True:
                r = rate(t)
                if r <= 0:
                    t += 60
                    if t >= env_end:
                        break
                    continue
                ti = t + rng.expovariate(r / 60.0)
                if ti >= env_end:
                    t = env_end
                    break
                te, crashed = f.emit(events, ti, handler, env, cold)
                cold = False
                t = te + rng.uniform(0.002, 0.05)
                if crashed or t >= env_end:
                    break
            if events:
                sc.log(f"/aws/lambda/{fn}", stream, events, region=region)
            cold = True
            if not crashed:
                t = max(t, env_end) + rng.uniform(1, 30)


def lambda_logs_at(sc, fn, runtime, times, handler, mem, timeout, keep_warm=420,
                   init_ms=(250.0, 650.0), version="$LATEST", region=None):
    """Invocations at the given start times (scheduled / retried async events).

    A new environment (new stream, cold start) is used when the previous one
    has been idle longer than ``keep_warm`` seconds or is still busy.
    """
    f = _Fn(sc, fn, runtime, mem, timeout, version, region, init_ms, 10000.0)
    envs = []  # [busy_until, events, stream, env]
    for ti in sorted(times):
        slot = None
        for e in envs:
            if e[0] <= ti and ti - e[0] <= keep_warm:
                slot = e
                break
        cold = slot is None
        if cold:
            slot = [ti, [], f.stream(ti), {"n": 0, "start": ti}]
            envs.append(slot)
        te, crashed = f.emit(slot[1], ti, handler, slot[3], cold)
        slot[0] = te if not crashed else 1e18
    for busy, events, stream, _env in envs:
        if events:
            sc.log(f"/aws/lambda/{fn}", stream, events, region=region)


def py_trace(exc_type, msg, frames):
    """Unhandled Python exception as printed by the Lambda Python runtime."""
    tb = "".join(f'\n  File "{f}", line {ln}, in {fn}\n    {code}' for f, ln, fn, code in frames)
    return f"[ERROR] {exc_type}: {msg}\nTraceback (most recent call last):{tb}"


def node_invoke_error(sc, t, rid, etype, emsg, stack):
    body = json.dumps({"errorType": etype, "errorMessage": emsg,
                       "stack": [f"{etype}: {emsg}"] + [f"    at {s}" for s in stack]},
                      separators=(",", ":"))
    return f"{sc.iso(t)}\t{rid}\tERROR\tInvoke Error \t{body}"


def http_api_access(sc, t, route, status, length, integ_latency, ip=None, err=None):
    rec = {"requestId": sc.hexid(8).upper()[:4] + sc.hexid(10) + "=",
           "ip": ip or f"{sc.rng.randint(31, 223)}.{sc.rng.randint(0, 255)}.{sc.rng.randint(0, 255)}.{sc.rng.randint(1, 254)}",
           "requestTime": sc.stamp(t, "%d/%b/%Y:%H:%M:%S +0000"),
           "httpMethod": route.split(" ")[0], "routeKey": route, "status": str(status),
           "protocol": "HTTP/1.1", "responseLength": str(length),
           "integrationLatency": str(int(integ_latency))}
    if err:
        rec["integrationErrorMessage"] = err
    return json.dumps(rec, separators=(",", ":"))
