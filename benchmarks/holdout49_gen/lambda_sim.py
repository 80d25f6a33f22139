"""A small Lambda simulator: invocations arrive per minute, each outcome is decided by
the scenario, execution environments are reused (one log stream each, cold starts
print Init Duration), and the AWS/Lambda metrics are aggregated from the same
invocations so that metrics and logs always agree."""
from __future__ import annotations

import math

from .common import H6, Clock, Rng, metric


class Inv:
    __slots__ = ("t", "rid", "dur", "status", "lines", "mem", "env", "init", "tail")

    def __init__(self, t, rid, dur, status, lines, mem, tail=None):
        self.t, self.rid, self.dur, self.status = t, rid, dur, status
        self.lines, self.mem, self.env, self.init, self.tail = lines, mem, None, None, tail or []


def py_line(clock: Clock, t: float, rid: str, level: str, msg: str) -> str:
    return "[%s]\t%s\t%s\t%s" % (level, clock.iso_z(t), rid, msg)


def node_line(clock: Clock, t: float, rid: str, level: str, msg: str) -> str:
    return "%s\t%s\t%s\t%s" % (clock.iso_z(t), rid, level, msg)


def simulate(rng: Rng, clock: Clock, rate_fn, outcome_fn, start: int = -H6, end: int = 0,
             gen_fn=None, idle_expiry: int = 1500, init_ms=(250.0, 700.0)) -> list:
    """rate_fn(t) -> expected invocations in the minute starting at t.
    outcome_fn(t, rid) -> Inv (without env).  gen_fn(t) -> label; a new label (new code
    or configuration) forces fresh execution environments, as Lambda does."""
    invs = []
    for m in range(start, end, 60):
        for _ in range(rng.pois(rate_fn(m))):
            t = m + rng.random() * 60.0
            invs.append(outcome_fn(t, rng.uuid4()))
    return assign_envs(rng, clock, invs, gen_fn, idle_expiry, init_ms)


def assign_envs(rng: Rng, clock: Clock, invs: list, gen_fn=None, idle_expiry: int = 1500,
                init_ms=(250.0, 700.0)) -> list:
    """Give each invocation an execution environment (log stream); cold starts get Init Duration."""
    invs.sort(key=lambda i: i.t)
    envs = []  # [gen, busy_until, last_used, stream]
    for inv in invs:
        gen = gen_fn(inv.t) if gen_fn else 0
        chosen = None
        for e in envs:
            if e[0] == gen and e[1] <= inv.t and inv.t - e[2] < idle_expiry:
                chosen = e
                break
        if chosen is None:
            stream = "%s/[$LATEST]%s" % (clock.at(inv.t).strftime("%Y/%m/%d"), rng.hx(32))
            chosen = [gen, 0.0, inv.t, stream]
            envs.append(chosen)
            inv.init = rng.uniform(*init_ms)
        chosen[1] = inv.t + inv.dur / 1000.0 + 0.05
        chosen[2] = inv.t + inv.dur / 1000.0
        inv.env = chosen[3]
        # drop long-dead environments to keep the search short
        if len(envs) > 60:
            envs[:] = [e for e in envs if inv.t - e[2] < idle_expiry]
    return invs


def lambda_metrics(fn: str, invs: list, start: int = -H6, end: int = -60, throttles=None,
                   extra_errors=None) -> dict:
    """Invocations, Errors, Throttles, Duration (average), ConcurrentExecutions (max)."""
    minutes = list(range(start, end + 1, 60))
    idx = {m: i for i, m in enumerate(minutes)}
    n = [0] * len(minutes)
    err = [0] * len(minutes)
    dsum = [0.0] * len(minutes)
    edges = []
    for inv in invs:
        m = int(inv.t // 60) * 60
        if m in idx:
            i = idx[m]
            n[i] += 1
            dsum[i] += inv.dur
            if inv.status != "ok":
                err[i] += 1
        edges.append((inv.t, 1))
        edges.append((inv.t + inv.dur / 1000.0, -1))
    edges.sort()
    conc = [0] * len(minutes)
    cur = 0
    for t, d in edges:
        cur += d
        m = int(t // 60) * 60
        if m in idx and cur > conc[idx[m]]:
            conc[idx[m]] = cur
    # a long invocation is running in every minute it spans
    for inv in invs:
        s, e = int(inv.t // 60) * 60, int((inv.t + inv.dur / 1000.0) // 60) * 60
        for m in range(s + 60, e + 1, 60):
            if m in idx and conc[idx[m]] == 0:
                conc[idx[m]] = 1
    dims = {"FunctionName": fn}
    out = {
        "Invocations": metric("AWS/Lambda", "Invocations", dims, "Count",
                              [[m, float(n[i])] for i, m in enumerate(minutes)]),
        "Errors": metric("AWS/Lambda", "Errors", dims, "Count",
                         [[m, float(err[i] + (extra_errors(m) if extra_errors else 0))]
                          for i, m in enumerate(minutes)]),
        "Throttles": metric("AWS/Lambda", "Throttles", dims, "Count",
                            [[m, float(throttles(m) if throttles else 0)] for m in minutes]),
        "Duration": metric("AWS/Lambda", "Duration", dims, "Milliseconds",
                           [[m, round(dsum[i] / n[i], 2)] for i, m in enumerate(minutes) if n[i]]),
        "ConcurrentExecutions": metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count",
                                       [[m, float(conc[i])] for i, m in enumerate(minutes)]),
    }
    return out


def lambda_logs(clock: Clock, invs: list, since: float, mem_size: int, timeout_s: float = 0) -> dict:
    """Group START/app/END/REPORT lines by execution-environment stream."""
    streams: dict = {}
    for inv in invs:
        if inv.t < since:
            continue
        ev = streams.setdefault(inv.env, [])
        ev.append([inv.t, "START RequestId: %s Version: $LATEST" % inv.rid])
        for off, text in inv.lines:
            ev.append([inv.t + off, text])
        end = inv.t + inv.dur / 1000.0
        if inv.status == "timeout":
            ev.append([end - 0.002, "%s %s Task timed out after %.2f seconds"
                       % (clock.iso_z(end), inv.rid, timeout_s + 0.01 * (1 + int(inv.rid[0], 16) % 9))])
        for off, text in inv.tail:
            ev.append([end + off, text])
        ev.append([end + 0.001, "END RequestId: %s" % inv.rid])
        rep = ("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB"
               "\tMax Memory Used: %d MB" % (inv.rid, inv.dur, math.ceil(inv.dur), mem_size, inv.mem))
        if inv.init:
            rep += "\tInit Duration: %.2f ms" % inv.init
        if inv.status == "timeout":
            rep += "\tStatus: timeout"
        ev.append([end + 0.002, rep])
    return streams
