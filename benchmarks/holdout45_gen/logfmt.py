"""Realistic log line formats and a per-minute Lambda model shared by the scenarios."""
from __future__ import annotations

import math
from typing import Callable

from .core import HIST, LOGS, Scn


# --- Lambda ------------------------------------------------------------------
class Inv:
    __slots__ = ("err", "dur", "kind", "mem")

    def __init__(self, err: bool, dur: float, kind: str, mem: int):
        self.err, self.dur, self.kind, self.mem = err, dur, kind, mem


class LambdaModel:
    """Per-minute invocations of one function; metrics and logs come from the same draws.

    ``draw(t)`` returns a list of ``Inv`` for minute ``t`` (already decided errors and durations);
    ``throttles(t)`` the number of throttled requests in that minute.
    """

    def __init__(self, sc: Scn, name: str, memory: int, draw: Callable[[int], list],
                 throttles: Callable[[int], float] | None = None, start: int = HIST):
        self.sc, self.name, self.memory = sc, name, memory
        self.rows = {t: draw(t) for t in range(start, 0, 60)}
        self.thr = {t: (max(0, int(round(throttles(t)))) if throttles else 0) for t in self.rows}

    def metrics(self, conc_cap: int | None = None, duration_stat: str = "avg") -> None:
        sc, dims = self.sc, {"FunctionName": self.name}
        rows = self.rows
        sc.series("AWS/Lambda", "Invocations", dims, "Count", {t: len(r) for t, r in rows.items()})
        sc.series("AWS/Lambda", "Errors", dims, "Count", {t: sum(1 for i in r if i.err) for t, r in rows.items()})
        sc.series("AWS/Lambda", "Throttles", dims, "Count", dict(self.thr))
        agg = (lambda r: max(i.dur for i in r)) if duration_stat == "max" else (lambda r: sum(i.dur for i in r) / len(r))
        sc.series("AWS/Lambda", "Duration", dims, "Milliseconds", {t: agg(r) for t, r in rows.items() if r}, nd=2)
        conc = {}
        for t, r in rows.items():
            c = sum(i.dur for i in r) / 60000.0
            c = math.ceil(c * (1.0 + abs(sc.g(0.15)))) if r else 0
            if conc_cap is not None:
                c = conc_cap if self.thr[t] > 0 else min(c, conc_cap)
            conc[t] = c
        sc.series("AWS/Lambda", "ConcurrentExecutions", dims, "Count", conc)

    def logs(self, body: Callable, runtime: str = "python", streams: int = 2, start: int = LOGS,
             cold_every: int = 0, end: int = 0, prelude: Callable | None = None) -> None:
        """body(t, rid, inv) -> list of (offset_seconds, line). Errors/timeouts are the body's job."""
        sc = self.sc
        names = [f"{sc.day(start, '%Y/%m/%d')}/[$LATEST]{sc.hexid()}" for _ in range(streams)]
        out: list[list] = [[] for _ in names]
        k = 0
        for t, row in self.rows.items():
            if t < start or t >= end:
                continue
            offs = sorted(sc.rng.uniform(0.0, 59.5) for _ in row)
            for off, inv in zip(offs, row):
                ts = t + off
                rid = sc.uuid()
                s = sc.rng.randrange(len(names))
                ev = out[s]
                ev.append((ts, f"START RequestId: {rid} Version: $LATEST"))
                for o, line in body(ts, rid, inv):
                    ev.append((ts + o, line))
                fin = ts + inv.dur / 1000.0
                if inv.kind.startswith("timeout"):
                    ev.append((fin + 0.002, f"{sc.iso(fin)} {rid} Task timed out after {inv.dur / 1000.0 + 0.09:.2f} seconds"))
                ev.append((fin + 0.004, f"END RequestId: {rid}"))
                rep = (f"REPORT RequestId: {rid}\tDuration: {inv.dur:.2f} ms\tBilled Duration: {math.ceil(inv.dur)} ms"
                       f"\tMemory Size: {self.memory} MB\tMax Memory Used: {inv.mem} MB")
                k += 1
                if cold_every and k % cold_every == 0:
                    rep += f"\tInit Duration: {sc.rng.uniform(380, 1400):.2f} ms"
                if inv.kind.startswith("timeout"):
                    rep += "\tStatus: timeout"
                ev.append((fin + 0.005, rep))
        for n, ev in zip(names, out):
            if prelude and ev:
                t0 = min(e[0] for e in ev) - 0.9
                ev += [(t0 + 0.01 * i, line) for i, line in enumerate(prelude(t0))]
            sc.log(f"/aws/lambda/{self.name}", n, ev)


def py(sc: Scn, t: float, level: str, rid: str, msg: str) -> str:
    return f"[{level}]\t{sc.iso(t)}\t{rid}\t{msg}"


def py_unhandled(sc: Scn, t: float, rid: str, exc: str, frames: list) -> list:
    """Python runtime output for an exception escaping the handler."""
    tb = "\n".join(f'  File "{f}", line {ln}, in {fn}\n    {code}' for f, ln, fn, code in frames)
    return [(0.0, "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. "
                  "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. For "
                  "functions using managed runtimes, runtime updates can be triggered by a function change, or can be "
                  "applied automatically. To determine if the runtime has been updated, check the runtime version in "
                  "the INIT_START log entry. If this error correlates with a change in the runtime version, you may "
                  "be able to mitigate this error by temporarily rolling back to the previous runtime version. For "
                  "more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"),
            (0.001, f"[ERROR] {exc}\nTraceback (most recent call last):\n{tb}")]


def node(sc: Scn, t: float, level: str, rid: str, msg: str) -> str:
    return f"{sc.iso(t)}\t{rid}\t{level}\t{msg}"


# --- databases -----------------------------------------------------------------
def pg(sc: Scn, t: float, level: str, msg: str, client: str = "", user: str = "", db: str = "",
       pid: int | None = None) -> str:
    pid = pid if pid is not None else sc.rng.randint(2000, 32000)
    who = f"{user}@{db}" if user else "@"
    return f"{sc.pgts(t)}:{client}:{who}:[{pid}]:{level}:  {msg}"


def pg_background(sc: Scn, start: int, end: int, tables: list, dbname: str, heavy: Callable[[float], float],
                  ckpt_pid: int = 412) -> list:
    """Checkpoint and autovacuum noise; ``heavy(t)`` scales buffers written (1.0 = normal)."""
    out = []
    for t in range(start + sc.rng.randint(5, 60), end, 300):
        h = heavy(t)
        bufs = int(sc.rng.uniform(900, 2600) * h)
        out.append((t, pg(sc, t, "LOG", "checkpoint starting: time", pid=ckpt_pid)))
        w = min(269.9, 20 + 30 * h + sc.rng.uniform(0, 8))
        added, removed, recycled = (int(h > 2) * sc.rng.randint(1, 6), sc.rng.randint(0, 4), sc.rng.randint(2, 12))
        dist = int(bufs * 8 * sc.rng.uniform(1.6, 2.4))
        out.append((t + w, pg(sc, t + w, "LOG",
                              f"checkpoint complete: wrote {bufs} buffers ({bufs / 1310.72:.1f}%); {added} WAL file(s) "
                              f"added, {removed} removed, {recycled} recycled; write={w - 0.4:.3f} s, sync=0.{sc.rng.randint(10, 380):03d} s, "
                              f"total={w:.3f} s; sync files={sc.rng.randint(20, 160)}, longest=0.0{sc.rng.randint(10, 99)} s, "
                              f"average=0.00{sc.rng.randint(1, 9)} s; distance={dist} kB, estimate={int(dist * 1.1)} kB",
                              pid=ckpt_pid)))
        if sc.rng.random() < 0.35:
            tab = sc.rng.choice(tables)
            ta = t + sc.rng.uniform(20, 250)
            pages = sc.rng.randint(2000, 90000)
            out.append((ta, pg(sc, ta, "LOG",
                               f'automatic vacuum of table "{dbname}.public.{tab}": index scans: 1\n'
                               f"\tpages: 0 removed, {pages} remain, {pages // 7} scanned ({100 / 7:.2f}% of total)\n"
                               f"\ttuples: {sc.rng.randint(1000, 90000)} removed, {pages * 37} remain, 0 are dead but not yet removable\n"
                               f"\tbuffer usage: {pages // 3} hits, {pages // 40} misses, {pages // 60} dirtied\n"
                               f"\tavg read rate: {sc.rng.uniform(1, 30):.3f} MB/s, avg write rate: {sc.rng.uniform(1, 9):.3f} MB/s\n"
                               f"\tsystem usage: CPU: user: {sc.rng.uniform(0.1, 2):.2f} s, system: 0.{sc.rng.randint(1, 99):02d} s, "
                               f"elapsed: {sc.rng.uniform(1, 40):.2f} s")))
    return out


def mysql_err(sc: Scn, t: float, thread: int, level: str, code: str, msg: str) -> str:
    return f"{sc.iso6(t)} {thread} [{level}] [{code}] [Server] {msg}"


# --- services ----------------------------------------------------------------
def spring(sc: Scn, t: float, level: str, thread: str, logger: str, msg: str) -> str:
    return f"{sc.logback(t)} {level:>5} 1 --- [{thread[-15:]:>15}] {logger:<40} : {msg}"


def clf_line(sc: Scn, t: float, ip: str, method: str, path: str, status: int, size: int, ua: str, rt: float) -> str:
    return f'{ip} - - [{sc.clf(t)}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" rt={rt:.3f}'


def ecs_stream(sc: Scn, container: str) -> str:
    return f"ecs/{container}/{sc.hexid()}"


def every(sc: Scn, start: int, end: int, period: float, jitter: float = 2.0) -> list:
    out, t = [], start + sc.rng.uniform(0, period)
    while t < end:
        out.append(t)
        t += period + sc.rng.uniform(-jitter, jitter)
    return out


def poisson_times(sc: Scn, start: int, end: int, per_min: Callable[[float], float]) -> list:
    out = []
    for m in range(start, end, 60):
        for _ in range(sc.poisson(per_min(m))):
            out.append(m + sc.rng.uniform(0, 59.9))
    return sorted(out)
