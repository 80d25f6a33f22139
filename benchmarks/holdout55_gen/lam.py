"""A small Lambda simulator: per-invocation outcomes drive both the log streams and the AWS/Lambda metrics."""
from __future__ import annotations

import math

from . import fmt
from .kit import LOG_START, MET_START, T, Scenario, hexid, poisson, rid


def simulate(scn: Scenario, name: str, *, memory, timeout_s: float, rate, handler,
             log_from: float = LOG_START, recycle: tuple = (), streams: int = 2, limit: int | None = None,
             mean_dur=None, version: str = "$LATEST", region: str | None = None, group: str | None = None,
             natural_recycle: float = 5400.0, init_ms: tuple = (250.0, 650.0)) -> dict:
    """Run ``handler(rng, t, request_id) -> (duration_ms, max_mem_mb, status, [(offset_ms, text)])`` for
    every invocation (status: ok | error | timeout | oom). ``rate(t)`` is demand per minute; with ``limit``
    (reserved concurrency) and ``mean_dur(t)`` (ms) the excess demand is throttled."""
    rng = scn.rng
    epochs = sorted(set([MET_START - 3600] + [c for c in recycle] +
                        [MET_START + k * natural_recycle + rng.uniform(-600, 600)
                         for k in range(1, int(-MET_START / natural_recycle) + 1)]))
    pools: dict[int, list[list]] = {}
    events: dict[str, list] = {}
    inv, err, thr, dur_avg, conc = [], [], [], [], []
    for t in T:
        demand = poisson(rng, max(0.0, rate(t)))
        served = demand
        if limit is not None and mean_dur is not None:
            cap = int(limit * 60000.0 / max(1.0, mean_dur(t)) * rng.uniform(0.96, 1.0))
            served = min(demand, cap)
        times = sorted(rng.uniform(t, t + 60) for _ in range(served))
        n_err, d_sum = 0, 0.0
        for ts in times:
            r = rid(rng)
            dur, used, status, lines = handler(rng, ts, r)
            if status == "timeout":
                dur = timeout_s * 1000.0 + rng.uniform(2, 140)
            dur = round(dur, 2)
            d_sum += dur
            n_err += status != "ok"
            if ts < log_from:
                continue
            epoch = max(i for i, e in enumerate(epochs) if e <= ts)
            pool = pools.setdefault(epoch, [[f"2026/11/20/[{version}]{hexid(rng)}", False] for _ in range(streams)])
            slot = pool[rng.randrange(len(pool))]
            init = None
            if not slot[1]:
                slot[1] = True
                init = rng.uniform(*init_ms)
            out = events.setdefault(slot[0], [])
            out.append((ts, fmt.start(r, version if version != "$LATEST" else "$LATEST")))
            for off, text in lines:
                out.append((ts + off / 1000.0, text))
            fin = ts + dur / 1000.0
            if status == "timeout":
                out.append((fin, fmt.timed_out(fin, r, dur / 1000.0)))
            elif status == "oom":
                out.append((fin, f"RequestId: {r} Error: Runtime exited with error: signal: killed\nRuntime.ExitError"))
            out.append((fin + 0.001, fmt.end(r)))
            out.append((fin + 0.002, fmt.report(r, dur, memory(ts) if callable(memory) else memory, int(used), init,
                                                "timeout" if status == "timeout" else ("error" if status == "oom" else None),
                                                "Runtime.OutOfMemory" if status == "oom" else None)))
        inv.append(float(served))
        err.append(float(n_err))
        thr.append(float(demand - served))
        dur_avg.append(round(d_sum / served, 3) if served else None)
        c = d_sum / 60000.0
        peak = math.ceil(c * rng.uniform(1.15, 1.5) + (1 if served else 0))
        if limit is not None:
            peak = min(limit, peak if demand == served else limit)
        conc.append(float(peak))
    dims = {"FunctionName": name}
    scn.metric("AWS/Lambda", "Invocations", dims, "Count", inv, region)
    scn.metric("AWS/Lambda", "Errors", dims, "Count", err, region)
    scn.metric("AWS/Lambda", "Throttles", dims, "Count", thr, region)
    scn.metric("AWS/Lambda", "Duration", dims, "Milliseconds", dur_avg, region)
    scn.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", conc, region)
    grp = group or f"/aws/lambda/{name}"
    for stream, evs in events.items():
        scn.log(grp, stream, [e for e in evs if e[0] < -0.05], region)   # still running at "now": no END yet
    return {"inv": inv, "err": err, "thr": thr, "dur": dur_avg, "conc": conc}


def periodic(rng, t0: float, t1: float, every: float, make, jitter: float = 2.0) -> list:
    """Lines at a fixed cadence (health checks, schedulers, checkpoints)."""
    out, t = [], t0 + rng.uniform(0, every)
    while t < t1:
        out.append((round(t + rng.uniform(0, jitter), 3), make(t)))
        t += every
    return out
