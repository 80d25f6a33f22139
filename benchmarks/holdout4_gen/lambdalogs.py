"""Lambda invocations: one generator keeps Invocations/Errors/Duration metrics and the
START/END/REPORT log lines in exact agreement (logs for the last 3 h only)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .common import LOG_FROM, N, T, Ctx

RUNTIME_VERSION = {"python3.12": "python:3.12.v38", "python3.11": "python:3.11.v47", "nodejs20.x": "nodejs:20.v41",
                   "java17": "java:17.v33", "java21": "java:21.v22"}

LAMBDA_WARNING = ("LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. "
                  "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. For "
                  "functions using managed runtimes, runtime updates can be triggered by a function change, or can "
                  "be applied automatically. To determine if the runtime has been updated, check the runtime version "
                  "in the INIT_START log entry. If this error correlates with a change in the runtime version, you "
                  "may be able to mitigate this error by temporarily rolling back to the previous runtime version. "
                  "For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html")


@dataclass
class Outcome:
    """What one invocation did. kind: ok | error | timeout | oom."""
    duration_ms: float
    lines: list[tuple[float, str, str]] = field(default_factory=list)   # (offset s, level, message)
    kind: str = "ok"
    max_mem: int | None = None
    raw: list[tuple[float, str]] = field(default_factory=list)          # already formatted events


@dataclass
class LambdaFn:
    name: str
    runtime: str
    memory: int
    timeout: int
    region: str
    base_mem: int = 150


def fmt(ctx: Ctx, fn: LambdaFn, t: float, rid: str, level: str, msg: str) -> str:
    if fn.runtime.startswith("python"):
        return f"[{level}]\t{ctx.iso(t)}\t{rid}\t{msg}"
    if fn.runtime.startswith("nodejs"):
        return f"{ctx.iso(t)}\t{rid}\t{level}\t{msg}"
    return f"{ctx.wall(t).strftime('%Y-%m-%d %H:%M:%S')} {rid} {level:<5} {msg}"    # java log4j2 layout


def run(ctx: Ctx, fn: LambdaFn, inv: np.ndarray, bad: np.ndarray,
        ok: Callable[[int, float, str], Outcome], fail: Callable[[int, float, str], Outcome],
        restarts: tuple[float, ...] = (), cold_every: int = 400, versions: tuple[str, ...] | None = None):
    """inv/bad: per-minute invocation and failing-invocation counts. ``ok``/``fail`` build one invocation.
    ``restarts``: times (code/config updates) after which a new log stream and cold starts begin.
    Returns (errors, duration, concurrency arrays, list of log dicts)."""
    inv = inv.astype(int)
    bad = np.minimum(bad.astype(int), inv)
    errors = np.zeros(N)
    duration = np.zeros(N)
    conc = np.zeros(N)
    streams: dict[int, list] = {}
    bounds = sorted(restarts)
    rv = RUNTIME_VERSION.get(fn.runtime, fn.runtime)
    arn_hash = ctx.hex(64)
    cold_pending = {b: 3 for b in bounds}
    for i in range(N):
        n = inv[i]
        if n == 0:
            duration[i] = np.nan
            continue
        fails = set(ctx.rng.choice(n, size=bad[i], replace=False).tolist()) if bad[i] else set()
        starts = np.sort(T[i] + ctx.rng.uniform(0, 60, n))
        durs, nerr = [], 0
        for k in range(n):
            t0 = float(starts[k])
            rid = ctx.uuid()
            out = fail(i, t0, rid) if k in fails else ok(i, t0, rid)
            if out.kind != "ok":
                nerr += 1
            durs.append(out.duration_ms)
            if T[i] < LOG_FROM:
                continue
            seg = sum(1 for b in bounds if t0 >= b)
            ev = streams.setdefault(seg, [])
            cold = ctx.rng.random() < 1 / cold_every
            last_b = max([b for b in bounds if t0 >= b], default=None)
            if last_b is not None and cold_pending.get(last_b, 0) > 0:
                cold, cold_pending[last_b] = True, cold_pending[last_b] - 1
            init = None
            if cold:
                init = float(ctx.rng.uniform(280, 900) if not fn.runtime.startswith("java") else ctx.rng.uniform(2200, 4200))
                ev.append((t0 - init / 1000 - 0.01, f"INIT_START Runtime Version: {rv}\tRuntime Version ARN: "
                           f"arn:aws:lambda:{fn.region}::runtime:{arn_hash}"))
            ver = versions[seg] if versions else "$LATEST"
            ev.append((t0, f"START RequestId: {rid} Version: {ver}"))
            for off, level, msg in out.lines:
                ev.append((t0 + off, fmt(ctx, fn, t0 + off, rid, level, msg)))
            for off, text in out.raw:
                ev.append((t0 + off, text))
            d = out.duration_ms
            end = t0 + d / 1000
            mm = out.max_mem or int(fn.base_mem + ctx.rng.integers(-12, 25))
            ev.append((end, f"END RequestId: {rid}"))
            rep = (f"REPORT RequestId: {rid}\tDuration: {d:.2f} ms\tBilled Duration: {math.ceil(d)} ms\t"
                   f"Memory Size: {fn.memory} MB\tMax Memory Used: {min(mm, fn.memory)} MB")
            if init is not None:
                rep += f"\tInit Duration: {init:.2f} ms"
            if out.kind == "timeout":
                rep += "\tStatus: timeout"
            elif out.kind == "oom":
                rep += "\tStatus: error\tError Type: Runtime.OutOfMemory"
            ev.append((end + 0.001, rep))
        errors[i] = nerr
        duration[i] = float(np.mean(durs))
        conc[i] = max(1.0, round(sum(durs) / 60000 * ctx.rng.uniform(1.0, 1.6)))
    logs = []
    for seg in sorted(streams):
        stream = f"{ctx.day()}/[{versions[seg] if versions else '$LATEST'}]{ctx.hex(32)}"
        logs.append({"group": f"/aws/lambda/{fn.name}", "stream": stream,
                     "events": [[round(t, 3), s] for t, s in sorted(streams[seg], key=lambda e: e[0]) if t < -0.5]})
    return errors, duration, conc, logs


def timeout_outcome(ctx: Ctx, fn: LambdaFn, t0: float, rid: str, lines=()) -> Outcome:
    over = float(ctx.rng.uniform(5, 30))
    o = Outcome(duration_ms=fn.timeout * 1000.0, lines=list(lines), kind="timeout")
    msg = f"{ctx.iso(t0 + fn.timeout + over / 1000)} {rid} Task timed out after {fn.timeout + over / 1000:.2f} seconds"
    o.raw.append((fn.timeout - 0.002, msg))
    return o


def py_traceback(frames: list[tuple[str, int, str, str]], exc: str) -> str:
    out = ["Traceback (most recent call last):"]
    for path, line, func, code in frames:
        out.append(f'  File "{path}", line {line}, in {func}')
        out.append(f"    {code}")
    out.append(exc)
    return "\n".join(out)


def py_unhandled(ctx: Ctx, t: float, exc: str, frames) -> list[tuple[float, str]]:
    """Unhandled Python exception as the managed runtime prints it."""
    head = exc.split(":", 1)
    typ = head[0].rsplit(".", 1)[-1]
    msg = head[1].strip() if len(head) > 1 else ""
    return [(t, LAMBDA_WARNING),
            (t + 0.0005, f"[ERROR] {typ}: {msg}\n" + py_traceback(frames, exc).replace("Traceback", "Traceback", 1))]


def conc_for(ctx: Ctx, inv: np.ndarray, dur_ms: np.ndarray) -> np.ndarray:
    """Concurrency estimate for minutes outside the log window (Little's law, a bit of burstiness)."""
    d = np.nan_to_num(dur_ms, nan=0.0)
    return np.maximum(np.round(inv * d / 60000 * ctx.rng.uniform(1.0, 1.6, N)), (inv > 0).astype(float))


def block(ctx: Ctx, fn: LambdaFn, inv, bad, ok, fail, throttles=None, **kw):
    """Standard Lambda metric set + logs from one simulated run."""
    from .common import lambda_metrics
    errors, dur, conc, logs = run(ctx, fn, inv, bad, ok, fail, **kw)
    thr = np.zeros(N) if throttles is None else throttles
    return lambda_metrics(fn.name, inv, errors, thr, dur, conc), logs, errors


def quiet(ctx: Ctx, fn: LambdaFn, rate, dur_ms: float, msg: Callable[[float], str] | None = None,
          dur_sd: float = 0.2, **kw):
    """A healthy neighbour function (for decoys)."""
    inv = ctx.counts(rate)

    def ok(i, t, rid):
        d = float(dur_ms * ctx.rng.lognormal(0, dur_sd))
        return Outcome(d, [(d / 2000, "INFO", msg(t))] if msg else [])
    return block(ctx, fn, inv, np.zeros(N), ok, ok, **kw)
