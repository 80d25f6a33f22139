"""Log line builders in the formats the real runtimes and services write."""
from __future__ import annotations

import json
import math

import numpy as np

from .common import T, Scn

_RUNTIME_VERSIONS = {"python3.12": "python:3.12.v38", "python3.11": "python:3.11.v45",
                     "nodejs20.x": "nodejs:20.v33", "nodejs18.x": "nodejs:18.v41"}


class LambdaLog:
    """CloudWatch Logs of one function: START/END/REPORT per invocation (text format), or only
    application WARN/ERROR records (JSON format with application/system log level WARN)."""

    def __init__(self, scn: Scn, fn: str, runtime: str, memory: int, fmt: str = "text",
                 version: str = "$LATEST", mem_used: tuple[int, int] = (110, 160), logger: str = "root"):
        self.s, self.fn, self.runtime, self.memory = scn, fn, runtime, memory
        self.fmt, self.version, self.mem_used, self.logger = fmt, version, mem_used, logger
        self.py = runtime.startswith("python")
        self.streams: dict[str, list] = {}
        self.pool: list[list] = []          # [free_at, stream, born]
        self.sparse_pool: list[str] = []

    # -- streams -------------------------------------------------------------------------
    def _new_stream(self, t: float) -> str:
        name = f"{self.s.clock(t, '%Y/%m/%d')}/[{self.version}]{self.s.hexs(32)}"
        self.streams[name] = []
        return name

    def _container(self, start: float) -> tuple[str, bool]:
        free = [c for c in self.pool if c[0] <= start and start - c[0] < 1500]
        if free:
            c = free[int(self.s.rng.integers(0, len(free)))]
            return c[1], False
        c = [start, self._new_stream(start), start]
        self.pool.append(c)
        return c[1], True

    def set_version(self, version: str) -> None:
        """A new version/alias: new execution environments, old ones drain."""
        self.version = version
        for c in self.pool:
            c[0] = 1e9
        self.sparse_pool = []

    # -- line formats --------------------------------------------------------------------
    def line(self, t: float, rid: str, level: str, msg: str) -> str:
        if self.fmt == "json":
            key = "message"
            return json.dumps({"timestamp": self.s.iso(t), "level": level, key: msg,
                               **({"logger": self.logger} if self.py else {}), "requestId": rid})
        if self.py:
            return f"[{level}]\t{self.s.iso(t)}\t{rid}\t{msg}"
        return f"{self.s.iso(t)}\t{rid}\t{level}\t{msg}"

    def unhandled(self, t: float, rid: str, etype: str, emsg: str, frames: list[str]) -> str:
        if self.py and self.fmt == "json":
            return json.dumps({"timestamp": self.s.iso(t), "log_level": "ERROR", "errorMessage": emsg,
                               "errorType": etype, "requestId": rid, "stackTrace": frames})
        if self.py:
            return f"[ERROR] {etype}: {emsg}\nTraceback (most recent call last):\n" + "".join(frames).rstrip("\n")
        body = json.dumps({"errorType": etype, "errorMessage": emsg,
                           "stack": [f"{etype}: {emsg}"] + frames}, separators=(",", ":"))
        if self.fmt == "json":
            return json.dumps({"timestamp": self.s.iso(t), "level": "ERROR", "requestId": rid,
                               "message": {"errorType": etype, "errorMessage": emsg,
                                           "stackTrace": [f"{etype}: {emsg}"] + frames}})
        return f"{self.s.iso(t)}\t{rid}\tERROR\tInvoke Error \t{body}"

    # -- invocations (text format) -------------------------------------------------------
    def invoke(self, start: float, dur_ms: float, lines, status: str | None = None,
               mem: int | None = None, rid: str | None = None) -> str:
        """One invocation; `lines` are [(offset_s, text), ...] application lines."""
        s = self.s
        rid = rid or s.uuid()
        name, cold = self._container(start)
        ev = self.streams[name]
        if cold:
            init = float(s.rng.uniform(280, 900))
            arn = f"arn:aws:lambda:{s.region}::runtime:{s.hexs(64)}"
            ev.append((start - init / 1000 - 0.01,
                       f"INIT_START Runtime Version: {_RUNTIME_VERSIONS.get(self.runtime, self.runtime)}"
                       f"\tRuntime Version ARN: {arn}"))
        ev.append((start, f"START RequestId: {rid} Version: {self.version}"))
        stamp0 = s.iso(start)
        for off, text in lines:
            at = start + max(0.001, min(off, dur_ms / 1000 - 0.002))
            ev.append((at, text.replace(stamp0, s.iso(at), 1)))
        end = start + dur_ms / 1000
        if status == "timeout":
            ev.append((end, f"{s.iso(end)} {rid} Task timed out after {dur_ms / 1000:.2f} seconds"))
        ev.append((end + 0.0005, f"END RequestId: {rid}"))
        used = mem if mem is not None else int(s.rng.integers(*self.mem_used))
        rep = (f"REPORT RequestId: {rid}\tDuration: {dur_ms:.2f} ms\tBilled Duration: {math.ceil(dur_ms)} ms"
               f"\tMemory Size: {self.memory} MB\tMax Memory Used: {used} MB")
        if cold:
            rep += f"\tInit Duration: {init:.2f} ms"
        if status:
            rep += f"\tStatus: {status}"
        ev.append((end + 0.001, rep))
        for c in self.pool:
            if c[1] == name:
                c[0] = end + 0.002
        return rid

    def minutes(self, t_from: float, inv, err, dur, ok_body, err_body, dur_sd: float = 0.25,
                t_to: float = 0.0) -> None:
        """Invocations per grid minute from the metric arrays. `ok_body(t, rid)` returns application
        lines; `err_body(t, rid, k)` returns (lines, dur_ms or None, status or None), k = errors so far."""
        k = 0
        for i in np.nonzero((T >= t_from) & (T < t_to))[0]:
            n, e = int(inv[i]), int(min(err[i], inv[i]))
            starts = np.sort(T[i] + self.s.rng.uniform(0, 60, n))
            bad = set(self.s.rng.choice(n, e, replace=False).tolist()) if e else set()
            for j, st in enumerate(starts):
                d = max(float(dur[i]) * float(self.s.rng.lognormal(0, dur_sd)), 1.2)
                rid = self.s.uuid()
                if j in bad:
                    lines, dd, status = err_body(st, rid, k)
                    k += 1
                    self.invoke(st, dd or d, lines, status=status, rid=rid)
                else:
                    self.invoke(st, d, ok_body(st, rid), rid=rid)

    # -- sparse application records (JSON, WARN and above) -------------------------------
    def record(self, t: float, text: str, concurrency: int = 8) -> None:
        if not self.sparse_pool or (len(self.sparse_pool) < concurrency and self.s.rng.random() < 0.08):
            self.sparse_pool.append(self._new_stream(t))
        self.streams[self.s.pick(self.sparse_pool)].append((t, text))

    def flush(self) -> None:
        for name, ev in self.streams.items():
            self.s.stream(f"/aws/lambda/{self.fn}", name, ev)


def py_frames(frames: list[tuple[str, int, str, str]]) -> list[str]:
    """Python traceback frames: (file, line, function, code)."""
    return [f'  File "{f}", line {ln}, in {fn}\n    {code}\n' for f, ln, fn, code in frames]


class TaskLog:
    """awslogs streams of an ECS service: one stream per task, tasks replaced on deploys/restarts."""

    def __init__(self, scn: Scn, group: str, prefix: str, container: str, count: int, t0: float = -21600):
        self.s, self.group, self.prefix, self.container = scn, group, prefix, container
        self.tasks: list[list] = []   # [task_id, start, stop, events]
        for _ in range(count):
            self.start_task(t0 - float(scn.rng.uniform(3600, 40000)))

    def start_task(self, t: float) -> list:
        task = [self.s.hexs(32), t, 1e9, []]
        self.tasks.append(task)
        return task

    def stop_task(self, task: list, t: float) -> None:
        task[2] = t

    def live(self, t: float) -> list[list]:
        return [k for k in self.tasks if k[1] <= t < k[2]]

    def add(self, t: float, text: str, task: list | None = None) -> None:
        live = self.live(t)
        if task is None:
            if not live:
                return
            task = live[int(self.s.rng.integers(0, len(live)))]
        task[3].append((t, text))

    def flush(self) -> None:
        for task_id, _start, _stop, ev in self.tasks:
            self.s.stream(self.group, f"{self.prefix}/{self.container}/{task_id}", ev)


def poisson_times(scn: Scn, rate_per_min, t_from: float = -21600, t_to: float = 0.0) -> list[float]:
    """Event times from a per-minute rate (scalar or grid array)."""
    rate = np.broadcast_to(np.asarray(rate_per_min, dtype=float), T.shape)
    out: list[float] = []
    for i in np.nonzero((T >= t_from) & (T < t_to))[0]:
        n = int(scn.rng.poisson(max(rate[i], 0.0)))
        out.extend((T[i] + scn.rng.uniform(0, 60, n)).tolist())
    return sorted(out)


def pg(scn: Scn, t: float, level: str, msg: str, client: str = "", user: str = "", db: str = "",
       pid: int | None = None) -> str:
    """RDS PostgreSQL log line with the default log_line_prefix '%t:%r:%u@%d:[%p]:'."""
    pid = pid if pid is not None else int(scn.rng.integers(1000, 32000))
    return f"{scn.clock(t)} UTC:{client}:{user}@{db}:[{pid}]:{level}:  {msg}"


def pg_background(scn: Scn, t_from: float = -21600, every: int = 300, tables=("orders",),
                  dbname: str = "app") -> list[tuple[float, str]]:
    """Checkpoints every `every` seconds and occasional autovacuum/analyze lines."""
    out = []
    ckpt_pid = int(scn.rng.integers(300, 600))
    t = t_from + float(scn.rng.uniform(0, every))
    while t < 0:
        bufs = int(scn.rng.integers(400, 6000))
        out.append((t, pg(scn, t, "LOG", "checkpoint starting: time", pid=ckpt_pid)))
        w = float(scn.rng.uniform(20, 120))
        pct = bufs / 131072 * 100
        out.append((t + w, pg(scn, t + w, "LOG",
                              f"checkpoint complete: wrote {bufs} buffers ({pct:.1f}%); 0 WAL file(s) added, "
                              f"0 removed, {int(scn.rng.integers(0, 4))} recycled; write={w - 0.3:.3f} s, "
                              f"sync=0.0{int(scn.rng.integers(10, 99))} s, total={w:.3f} s; sync files="
                              f"{int(scn.rng.integers(20, 90))}, longest=0.00{int(scn.rng.integers(2, 9))} s, "
                              f"average=0.001 s; distance={bufs * 8} kB, estimate={bufs * 9} kB",
                              pid=ckpt_pid)))
        if scn.rng.random() < 0.35:
            tb = scn.pick(list(tables))
            ta = t + float(scn.rng.uniform(30, every - 30))
            out.append((ta, pg(scn, ta, "LOG", f'automatic vacuum of table "{dbname}.public.{tb}": index scans: 1\n'
                               f"\tpages: 0 removed, {int(scn.rng.integers(2000, 90000))} remain, "
                               f"{int(scn.rng.integers(50, 900))} scanned\n"
                               f"\ttuples: {int(scn.rng.integers(100, 9000))} removed, "
                               f"{int(scn.rng.integers(10**5, 10**7))} remain, 0 are dead but not yet removable",
                               pid=int(scn.rng.integers(1000, 32000)))))
        t += every
    return out


def mysql_err(scn: Scn, t: float, level: str, code: str, subsystem: str, msg: str, thread: int = 0) -> str:
    return f"{scn.iso6(t)} {thread} [{level}] [MY-{code}] [{subsystem}] {msg}"


def syslog(scn: Scn, t: float, host: str, proc: str, msg: str, pid: int | None = None) -> str:
    d = scn.at(t)
    stamp = d.strftime("%b ") + f"{d.day:>2} " + d.strftime("%H:%M:%S")
    return f"{stamp} {host} {proc}{f'[{pid}]' if pid else ''}: {msg}"


def spring(scn: Scn, t: float, level: str, app: str, thread: str, logger: str, msg: str) -> str:
    """Spring Boot 3 default console line."""
    return f"{scn.iso(t)} {level:>5} 1 --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


def java_trace(exc: str, frames: list[str], caused: list[tuple[str, list[str]]] | None = None) -> str:
    text = exc + "".join(f"\n\tat {f}" for f in frames)
    for c_exc, c_frames in caused or []:
        text += f"\nCaused by: {c_exc}" + "".join(f"\n\tat {f}" for f in c_frames)
        text += f"\n\t... {len(frames) + 3} common frames omitted"
    return text


def jline(**fields) -> str:
    return json.dumps(fields, separators=(",", ":"))
