"""Log line formats of the runtimes and services the scenarios use, and a Lambda
invocation simulator that writes START/END/REPORT lines and returns the matching
per-minute metrics (so logs and metrics agree)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .common import LOG_START, Case

RUNTIME_VERSIONS = {"python3.12": "python:3.12.v38", "python3.11": "python:3.11.v47",
                    "nodejs20.x": "nodejs:20.v41", "java21": "java:21.v24"}


@dataclass
class Inv:
    """What one invocation did. ``lines`` are (seconds after START, level or None, text)."""
    dur_ms: float
    mem_mb: int
    lines: list = field(default_factory=list)
    error: bool = False
    timeout: bool = False


def app_line(runtime: str, case: Case, ts: float, rid: str, level: str | None, text: str) -> str:
    if level is None:
        return text
    if runtime.startswith("python"):
        return f"[{level}]\t{case.iso(ts)}\t{rid}\t{text}"
    if runtime.startswith("nodejs"):
        return f"{case.iso(ts)}\t{rid}\t{level}\t{text}"
    return f"{case.iso(ts)} {rid} {level} {text}"


class LambdaSim:
    """Simulates a function minute by minute over the 6 h grid; logs only from ``log_from``."""

    def __init__(self, case: Case, name: str, runtime: str, memory: int, timeout_s: float,
                 region: str | None = None, log_from: float = LOG_START, recycle: tuple = (),
                 streams_per_gen: int = 1):
        self.case, self.name, self.runtime = case, name, runtime
        self.memory, self.timeout_s, self.region = memory, timeout_s, region
        self.log_from = log_from
        self.group = f"/aws/lambda/{name}"
        # environments are replaced at these times (config updates, deploys, idle recycling)
        self.generations = sorted({log_from, *[t for t in recycle if t > log_from]})
        self.streams_per_gen = streams_per_gen
        self._streams: dict[tuple[int, int], object] = {}
        self._cold: set = set()

    def _stream_for(self, ts: float):
        gen = max(i for i, g in enumerate(self.generations) if g <= ts) if ts >= self.generations[0] else 0
        slot = int(self.case.rng.integers(0, self.streams_per_gen))
        key = (gen, slot)
        if key not in self._streams:
            start = self.generations[gen]
            name = f"{self.case.stamp(start, '%Y/%m/%d')}/[$LATEST]{self.case.ids.hex(32)}"
            self._streams[key] = self.case.stream(self.group, name, self.region)
        return key, self._streams[key]

    def run(self, per_min: np.ndarray, handler) -> dict[str, np.ndarray]:
        case = self.case
        n = len(case.t)
        inv = np.zeros(n); err = np.zeros(n); dsum = np.zeros(n); dmax = np.zeros(n); busy = np.zeros(n)
        for i, t0 in enumerate(case.t):
            k = int(per_min[i])
            for ts in np.sort(t0 + case.rng.uniform(0, 60, k)):
                rid = case.ids.uuid()
                r: Inv = handler(float(ts), rid)
                dur = min(r.dur_ms, self.timeout_s * 1000.0)
                inv[i] += 1
                err[i] += 1 if (r.error or r.timeout) else 0
                dsum[i] += dur
                dmax[i] = max(dmax[i], dur)
                busy[i] += dur / 60000.0
                if ts >= self.log_from:
                    self._write(float(ts), rid, r, dur)
        avg = np.where(inv > 0, dsum / np.maximum(inv, 1), np.nan)
        conc = np.ceil(busy * 1.25 + case.rng.poisson(0.3, n) * (inv > 0))
        return {"invocations": inv, "errors": err, "duration": avg, "duration_max": dmax, "concurrency": conc}

    def _write(self, ts: float, rid: str, r: Inv, dur: float) -> None:
        case = self.case
        key, s = self._stream_for(ts)
        init = None
        if key not in self._cold:
            self._cold.add(key)
            init = float(case.rng.uniform(280, 720)) if self.runtime.startswith(("python", "nodejs")) \
                else float(case.rng.uniform(1800, 3200))
            ver = RUNTIME_VERSIONS.get(self.runtime, "python:3.12.v38")
            region = self.region or case.region
            s.add(ts - init / 1000.0 - 0.002,
                  f"INIT_START Runtime Version: {ver}\tRuntime Version ARN: arn:aws:lambda:{region}::runtime:"
                  f"{case.ids.hex(64)}")
        s.add(ts, f"START RequestId: {rid} Version: $LATEST")
        for dt, level, text in r.lines:
            if dt * 1000.0 <= dur:
                s.add(ts + dt, app_line(self.runtime, case, ts + dt, rid, level, text))
        end = ts + dur / 1000.0
        if r.timeout:
            s.add(end, f"{case.iso(end)} {rid} Task timed out after {self.timeout_s + case.rng.uniform(0.01, 0.09):.2f} seconds")
        s.add(end + 0.001, f"END RequestId: {rid}")
        rep = (f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: {math.ceil(dur)} ms\t"
               f"Memory Size: {self.memory} MB\tMax Memory Used: {r.mem_mb} MB")
        if init is not None:
            rep += f"\tInit Duration: {init:.2f} ms"
        if r.timeout:
            rep += "\tStatus: timeout"
        s.add(end + 0.002, rep)

    def metrics(self, res: dict, region: str | None = None, throttles: np.ndarray | None = None) -> dict:
        case, dims = self.case, {"FunctionName": self.name}
        out = {}
        out["Invocations"] = case.metric("AWS/Lambda", "Invocations", dims, "Count", res["invocations"], region=region)
        out["Errors"] = case.metric("AWS/Lambda", "Errors", dims, "Count", res["errors"], region=region)
        thr = np.zeros(len(case.t)) if throttles is None else throttles
        out["Throttles"] = case.metric("AWS/Lambda", "Throttles", dims, "Count", thr, region=region)
        out["Duration"] = case.metric("AWS/Lambda", "Duration", dims, "Milliseconds", res["duration"], region=region)
        out["ConcurrentExecutions"] = case.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count",
                                                  res["concurrency"], region=region)
        return out


# ---------------------------------------------------------------- other formats
def pg_line(case: Case, ts: float, level: str, msg: str, host: str = "", user: str = "", db: str = "",
            pid: int = 0) -> str:
    who = f"{host}:{user}@{db}" if host else ":@"
    return f"{case.stamp(ts, '%Y-%m-%d %H:%M:%S')} UTC:{who}:[{pid}]:{level}:  {msg}"


def mysql_err(case: Case, ts: float, thread: int, prio: str, code: str, msg: str) -> str:
    return f"{case.stamp(ts, '%Y-%m-%dT%H:%M:%S.%f')}Z {thread} [{prio}] [{code}] [Server] {msg}"


def spring(case: Case, ts: float, level: str, app: str, thread: str, logger: str, msg: str, pid: int = 1) -> str:
    return f"{case.iso(ts)} {level:>5} {pid} --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


def nginx(case: Case, ts: float, ip: str, method: str, path: str, status: int, size: int, agent: str,
          rt: float | None = None) -> str:
    line = (f'{ip} - - [{case.stamp(ts, "%d/%b/%Y:%H:%M:%S +0000")}] "{method} {path} HTTP/1.1" '
            f'{status} {size} "-" "{agent}"')
    if rt is not None:
        line += f" rt={rt:.3f}"
    return line


def syslog(case: Case, ts: float, host: str, proc: str, msg: str) -> str:
    day = case.at(ts)
    return f"{day.strftime('%b')} {day.day:>2} {day.strftime('%H:%M:%S')} {host} {proc}: {msg}"


def apigw(reqid: str, msg: str) -> str:
    return f"({reqid}) {msg}"


def ecs_stream(container: str, task_id: str) -> str:
    return f"ecs/{container}/{task_id}"
