"""Log line formats of real runtimes and services, and the Lambda invocation log synthesiser."""
from __future__ import annotations

import json
import math

import numpy as np

from .common import LOG_START, N, T, Ctx

RUNTIME_VERSIONS = {"python3.12": "python:3.12.v38", "python3.11": "python:3.11.v45", "nodejs20.x": "nodejs:20.v33",
                    "java17": "java:17.v31"}


def lambda_log(ctx: Ctx, fn: str, runtime: str, mem_mb: int, plan, render, timeout_s: float,
               new_streams=(), t_from: float = LOG_START, streams_at_start: int = 2,
               version0: str = "$LATEST"):
    """Render START/…/END/REPORT for every planned invocation.

    plan[m] is a list of kinds for minute m; render(kind, rid, t) returns a dict with
    ``lines`` [(offset_s, text)], ``dur`` ms, ``mem`` MB, ``error`` bool, optional ``end``
    ('timeout' | 'oom') and ``init_error`` (an error raised during INIT, e.g. ImportModuleError).
    Returns (inv, err, dur) arrays to feed :func:`lambda_metrics`, so
    metrics and logs agree. ``new_streams`` lists times at which fresh execution environments
    replace the old ones (deployments / config updates)."""
    rv = RUNTIME_VERSIONS.get(runtime, "python:3.12.v38")
    arn = f"arn:aws:lambda:{ctx.region}::runtime:{ctx.hexid(64)}"
    inv = np.zeros(N)
    err = np.zeros(N)
    dur = np.zeros(N)
    generations = [(-1e9, version0, [ctx.hexid() for _ in range(streams_at_start)])]
    for item in new_streams:
        t0, ver = item if isinstance(item, tuple) else (item, generations[-1][1])
        generations.append((t0, ver, [ctx.hexid() for _ in range(streams_at_start)]))
    events: dict[str, list] = {}
    warm: set[str] = set()
    for m in range(N):
        kinds = list(plan[m])
        ctx.rng.shuffle(kinds)
        durs = []
        for kind in kinds:
            t = T[m] + ctx.rng.uniform(0.0, 59.0)
            rid = ctx.uid()
            r = render(kind, rid, t)
            end = r.get("end")
            d = float(timeout_s * 1000 + ctx.rng.uniform(1, 40)) if end == "timeout" else float(r["dur"])
            durs.append(d)
            inv[m] += 1
            err[m] += 1 if (r.get("error") or end in ("timeout", "oom")) else 0
            if t < t_from:
                continue
            _, ver, gen = [g for g in generations if g[0] <= t][-1]
            stream = f"{ctx.day()}/[{ver}]{gen[int(ctx.rng.integers(0, len(gen)))]}"
            ev = events.setdefault(stream, [])
            init = ""
            if r.get("init_error"):
                ev.append((t - 0.09, f"INIT_START Runtime Version: {rv}\tRuntime Version ARN: {arn}"))
                ev.append((t - 0.02, r["init_error"]))
                ev.append((t - 0.01, f"INIT_REPORT Init Duration: {ctx.rng.uniform(60, 120):.2f} ms\tPhase: init\tStatus: error\tError Type: {r['init_type']}"))
            elif stream not in warm:
                warm.add(stream)
                init_ms = ctx.rng.uniform(180, 900)
                ev.append((t - init_ms / 1000 - 0.01, f"INIT_START Runtime Version: {rv}\tRuntime Version ARN: {arn}"))
                init = f"\tInit Duration: {init_ms:.2f} ms"
            ev.append((t, f"START RequestId: {rid} Version: {ver}"))
            for off, text in r.get("lines", []):
                ev.append((t + min(off, d / 1000.0 - 0.002), text))
            te = t + d / 1000.0
            mem = mem_mb if end == "oom" else int(r.get("mem", mem_mb * 0.35))
            if end == "timeout":
                ev.append((te - 0.001, f"{ctx.iso(te)} {rid} Task timed out after {timeout_s:.2f} seconds"))
            ev.append((te, f"END RequestId: {rid}"))
            ev.append((te + 0.001, f"REPORT RequestId: {rid}\tDuration: {d:.2f} ms\tBilled Duration: "
                                   f"{math.ceil(d)} ms\tMemory Size: {mem_mb} MB\tMax Memory Used: {mem} MB{init}"))
            if end == "oom":
                ev.append((te + 0.002, f"RequestId: {rid} Error: Runtime exited with error: signal: killed\n"
                                       f"Runtime.ExitError"))
                warm.discard(stream)
        dur[m] = float(np.mean(durs)) if durs else 0.0
    for stream, ev in events.items():
        ctx.log(f"/aws/lambda/{fn}", stream, ev)
    return inv, err, dur


def plan_counts(ctx: Ctx, **rates):
    """plan[m] from per-kind rate arrays (Poisson draws): plan_counts(ctx, ok=arr, boom=arr2)."""
    draws = {k: ctx.poisson(v) for k, v in rates.items()}
    return [[k for k, arr in draws.items() for _ in range(int(arr[m]))] for m in range(N)]


# ---- Python / Node lambda line helpers --------------------------------------------------------

def py(level: str, ctx: Ctx, t: float, rid: str, msg: str) -> str:
    return f"[{level}]\t{ctx.iso(t)}\t{rid}\t{msg}"


def py_unhandled(exc: str, msg: str, frames: list[tuple[str, int, str, str]]) -> str:
    tb = "".join(f'  File "{f}", line {ln}, in {fn}\n    {code}\n' for f, ln, fn, code in frames)
    return f"[ERROR] {exc}: {msg}\nTraceback (most recent call last):\n{tb}".rstrip("\n")


def node(level: str, ctx: Ctx, t: float, rid: str, msg: str) -> str:
    return f"{ctx.iso(t)}\t{rid}\t{level}\t{msg}"


def node_invoke_error(ctx: Ctx, t: float, rid: str, etype: str, emsg: str, stack: list[str]) -> str:
    body = json.dumps({"errorType": etype, "errorMessage": emsg, "stack": [f"{etype}: {emsg}"] + stack},
                      separators=(",", ":"))
    return f"{ctx.iso(t)}\t{rid}\tERROR\tInvoke Error \t{body}"


# ---- service log formats ------------------------------------------------------------------------

def pg(ctx: Ctx, t: float, body: str, client: str = "", user_db: str = "@", pid: int | None = None) -> str:
    pid = pid if pid is not None else int(ctx.rng.integers(1200, 32000))
    stamp = ctx.wall(t).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"{stamp}:{client}:{user_db}:[{pid}]:{body}"


def mysql_err(ctx: Ctx, t: float, thread: int, level: str, code: str, subsys: str, msg: str) -> str:
    w = ctx.wall(t)
    return f"{w.strftime('%Y-%m-%dT%H:%M:%S')}.{w.microsecond:06d}Z {thread} [{level}] [{code}] [{subsys}] {msg}"


def nginx(ctx: Ctx, t: float, ip: str, method: str, path: str, status: int, size: int, rt: float,
          ua: str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36",
          urt: str | None = None) -> str:
    stamp = ctx.wall(t).strftime("%d/%b/%Y:%H:%M:%S +0000")
    urt = f"{rt:.3f}" if urt is None else urt
    return (f'{ip} - - [{stamp}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" '
            f'rt={rt:.3f} uct="0.000" uht="{rt:.3f}" urt="{urt}"')


def spring(ctx: Ctx, t: float, level: str, thread: str, logger: str, msg: str, app: str) -> str:
    return f"{ctx.iso(t)} {level:>5} 1 --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


def pino(ctx: Ctx, t: float, level: int, msg: str, host: str, **kw) -> str:
    ms = int(round((ctx.wall(t).timestamp()) * 1000))
    body = {"level": level, "time": ms, "pid": 1, "hostname": host, **kw, "msg": msg}
    return json.dumps(body, separators=(",", ":"))


def gunicorn(ctx: Ctx, t: float, pid: int, level: str, msg: str) -> str:
    return f"[{ctx.wall(t).strftime('%Y-%m-%d %H:%M:%S +0000')}] [{pid}] [{level}] {msg}"


def apigw_exec(ctx: Ctx, rid: str, msg: str) -> str:
    return f"({rid}) {msg}"


def times_in(ctx: Ctx, rate_per_min, t_from: float = LOG_START):
    """Poisson event times following a per-minute rate array (from t_from)."""
    out = []
    counts = ctx.poisson(rate_per_min)
    for m in range(N):
        if T[m] < t_from:
            continue
        for _ in range(int(counts[m])):
            out.append(T[m] + ctx.rng.uniform(0, 60))
    return sorted(out)
