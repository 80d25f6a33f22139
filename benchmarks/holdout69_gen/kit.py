"""Small building blocks shared by the holdout69 scenarios (on top of common/runtimes)."""
from __future__ import annotations

import math

from .common import GRID, Scenario, bump, ramp, step  # noqa: F401  (re-exported)
from .runtimes import LambdaLogs, jline  # noqa: F401

LOG_START = -14400  # logs cover the last four hours: long enough to see what is "already there"


def poisson(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def put(sc: Scenario, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> dict:
    """Sample fn on the grid, register the metric, return {minute: value}."""
    vals = sc.series(fn, **kw)
    sc.metric(ns, name, dims, unit, vals)
    return {t: v for t, v in zip(GRID, vals) if v is not None}


def emit(sc: Scenario, group: str, stream, rate, line, start: float = LOG_START,
         end: float = 0.0) -> None:
    """Poisson events: rate(t) expected lines per minute, line(t) -> text (or None).

    `stream` is a string or a callable stream(t) -> name (for task/instance rotation)."""
    rng = sc.rng
    for m in GRID:
        if m < start or m >= end:
            continue
        for _ in range(poisson(rng, rate(m))):
            t = m + rng.uniform(0, 60)
            txt = line(t)
            if txt:
                s = stream(t) if callable(stream) else stream
                sc.log(group, s, t, txt)


def lambda_sampled(ll: LambdaLogs, inv: dict, err: dict, body, cap: float = 3.0,
                   start: float = LOG_START) -> None:
    """Log a sample of the invocations (at most ~cap a minute) keeping the error share."""
    rng = ll.sc.rng
    for m in sorted(inv):
        if m < start:
            continue
        n = int(inv[m])
        if n <= 0:
            continue
        k = min(n, poisson(rng, cap) if n > cap else n)
        e = min(n, int(err.get(m, 0)))
        ke = min(k, int(e * k / n + rng.random()))
        kinds = [True] * ke + [False] * (k - ke)
        rng.shuffle(kinds)
        for s, is_err in zip(sorted(rng.uniform(m, m + 60) for _ in range(k)), kinds):
            ll.invoke(s, is_err, body)


class Tasks:
    """ECS task ids over time; `deploys` replace the whole set at those times."""

    def __init__(self, sc: Scenario, service: str, container: str, count: int,
                 deploys=(), churn=()):
        self.sc, self.container = sc, container
        self.epochs = []
        for t0 in [-10 ** 9] + sorted(deploys):
            self.epochs.append((t0, [sc.hexid(32) for _ in range(count)]))
        self.churn = sorted(churn)  # (time, index) single-task replacements (crash/OOM)
        self.replaced: dict = {}
        for t0, idx in self.churn:
            self.replaced.setdefault(idx, []).append((t0, sc.hexid(32)))

    def ids(self, t: float) -> list:
        cur = [e for e in self.epochs if e[0] <= t][-1][1]
        out = []
        for i, tid in enumerate(cur):
            for t0, new in self.replaced.get(i, []):
                if t0 <= t and t0 > [e for e in self.epochs if e[0] <= t][-1][0]:
                    tid = new
            out.append(tid)
        return out

    def stream(self, t: float) -> str:
        return f"ecs/{self.container}/{self.sc.rng.choice(self.ids(t))}"


def pick(sc: Scenario, weighted: list):
    """weighted: [(weight, value)]"""
    r = sc.rng.uniform(0, sum(w for w, _ in weighted))
    for w, v in weighted:
        r -= w
        if r <= 0:
            return v
    return weighted[-1][1]


def tenant(sc: Scenario) -> str:
    return f"t_{sc.rng.randint(1000, 9899)}"


def lam_props(runtime: str, timeout: int, memory: int, **kw) -> dict:
    d = {"runtime": runtime, "timeout": timeout, "memory_size": memory}
    d.update(kw)
    return d


def meta(sc: Scenario, **kw) -> None:
    sc.meta.update(kw)
