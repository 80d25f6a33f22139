"""Metric and log helpers shared by the holdout61 scenarios."""
from __future__ import annotations

import math

from .common import GRID, HISTORY, Scenario


def poisson(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def binom(rng, n: float, p: float) -> int:
    n = int(n or 0)
    p = min(1.0, max(0.0, p))
    if n <= 0 or p <= 0:
        return 0
    if n < 60:
        return sum(1 for _ in range(n) if rng.random() < p)
    mu, sd = n * p, math.sqrt(n * p * (1 - p))
    return int(min(n, max(0, round(rng.gauss(mu, sd)))))


def put(sc: Scenario, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> list:
    """Sample fn on the one-minute grid and register it as a metric."""
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


def part(sc: Scenario, ns: str, name: str, dims: dict, base: list, ratio, unit: str = "Count",
         drop_zero: bool = False) -> list:
    """Counts drawn as a fraction ratio(t) of another count series."""
    vals = []
    for t, n in zip(GRID, base):
        v = float(binom(sc.rng, n, ratio(t))) if n is not None else None
        vals.append(None if (drop_zero and not v) else v)
    return sc.metric(ns, name, dims, unit, vals)


def emit(sc: Scenario, group: str, stream: str, rate, line, start: float = -HISTORY,
         end: float = 0) -> None:
    """rate(t): expected events per minute; line(t) -> str | [(dt, str)] | None."""
    for m in GRID:
        if m < start or m >= end:
            continue
        n = poisson(sc.rng, rate(m))
        for t in sorted(sc.rng.uniform(m, m + 60) for _ in range(n)):
            out = line(t)
            if out is None:
                continue
            if isinstance(out, str):
                sc.log(group, stream, t, out)
            else:
                for dt, txt in out:
                    sc.log(group, stream, t + dt, txt)


def every(sc: Scenario, group: str, stream: str, period: float, line, start: float = -HISTORY,
          end: float = 0, jitter: float = 1.5) -> None:
    t = start + sc.rng.uniform(0, min(period, 60))
    while t < end:
        out = line(t)
        if out:
            sc.log(group, stream, t, out)
        t += period + sc.rng.uniform(-jitter, jitter)


def sampled(sc: Scenario, inv: list, err: list, frac: float, cap: int = 6,
            start: float = -HISTORY, end: float = 0, err_boost: float = 1.0):
    """Down-sample per-minute invocation/error counts for log generation
    (keeps the error ratio, optionally boosted so rare errors stay visible)."""
    rng = sc.rng
    si, se = {}, {}
    for t, n, e in zip(GRID, inv, err):
        if n is None or not (start <= t < end) or n <= 0:
            continue
        k = n * frac
        k = int(k) + (1 if rng.random() < k - int(k) else 0)
        k = min(cap, max(k, 1 if rng.random() < 0.5 else 0))
        if k <= 0:
            continue
        r = min(1.0, (e or 0) / n * err_boost)
        ek = k * r
        ek = int(ek) + (1 if rng.random() < ek - int(ek) else 0)
        si[t], se[t] = k, min(k, ek)
    return si, se


def lambda_set(sc: Scenario, fn: str, inv, err_ratio, dur_ms, conc=None, throttles=None,
               dur_noise: float = 0.08, inv_noise: float = 0.05, conc_cap: float | None = None) -> dict:
    """Standard AWS/Lambda metrics; inv/dur/conc/throttles are mean functions of t."""
    d = {"FunctionName": fn}
    out = {"inv": put(sc, "AWS/Lambda", "Invocations", d, "Count", inv, integer=True,
                      noise=inv_noise)}
    out["err"] = part(sc, "AWS/Lambda", "Errors", d, out["inv"], err_ratio)
    out["dur"] = put(sc, "AWS/Lambda", "Duration", d, "Milliseconds", dur_ms, noise=dur_noise,
                     digits=2)
    if conc is None:
        def conc(t):
            return max(1.0, inv(t) * dur_ms(t) / 60000.0 * 1.6)
    out["conc"] = put(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count", conc, integer=True,
                      noise=0.04, cap=conc_cap)
    out["thr"] = put(sc, "AWS/Lambda", "Throttles", d, "Count", throttles or (lambda t: 0.0),
                     integer=True)
    return out


def lb_dims(lb: str) -> dict:
    return {"LoadBalancer": lb}


def first_cross(sc: Scenario, name: str) -> int:
    for a in sc.alarms:
        if a["name"] == name:
            return a["state_changed"]
    raise KeyError(name)
