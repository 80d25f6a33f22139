"""Log line helpers: Lambda runtime framing, ECS streams, event timing."""
from __future__ import annotations

import json
import math

from .common import LOG_START, Scenario

RUNTIME_VERSIONS = {
    "python3.12": "python:3.12.v38",
    "nodejs20.x": "nodejs:20.v33",
    "ruby3.3": "ruby:3.3.v12",
    "java21": "java:21.v19",
}


def times(scn: Scenario, t0: float, t1: float, per_min) -> list:
    """Event times between t0 and t1; per_min(t) is the expected count in the minute starting at t."""
    out = []
    t = t0
    while t < t1:
        k = scn.cnt(per_min(t))
        for _ in range(k):
            out.append(t + scn.rng.random() * 60.0)
        t += 60
    out = [x for x in out if t0 <= x < t1]
    out.sort()
    return out


def every(t0: float, t1: float, step: float, jitter: float = 0.0, scn: Scenario | None = None) -> list:
    out, t = [], t0
    while t < t1:
        out.append(t + (scn.rng.uniform(0, jitter) if scn and jitter else 0.0))
        t += step
    return out


def task_id(scn: Scenario) -> str:
    return scn.hexs(32)


class LambdaLogs:
    """Emits START / body / END / REPORT framing the way each managed runtime writes it."""

    def __init__(self, scn: Scenario, function: str, runtime: str, memory: int, version: str = "$LATEST",
                 region: str | None = None, ruby_pid: int = 8):
        self.scn = scn
        self.group = f"/aws/lambda/{function}"
        self.runtime = runtime
        self.memory = memory
        self.version = version
        self.region = region
        self.envs: list = []
        self.ruby_pid = ruby_pid

    def _new_env(self, t: float, init_ms: float) -> str:
        day = self.scn.dt(t).strftime("%Y/%m/%d")
        stream = f"{day}/[{self.version}]{self.scn.hexs(32)}"
        self.envs.append(stream)
        arn_hash = self.scn.hexs(64)
        self.scn.log(self.group, stream, t - init_ms / 1000.0 - 0.05,
                     f"INIT_START Runtime Version: {RUNTIME_VERSIONS.get(self.runtime, self.runtime)}\t"
                     f"Runtime Version ARN: arn:aws:lambda:{self.region or self.scn.region}::runtime:{arn_hash}",
                     self.region)
        if len(self.envs) > 6:
            self.envs.pop(0)
        return stream

    def fmt(self, t: float, rid: str, level: str, text: str) -> str:
        if level == "RAW":
            return text
        if self.runtime.startswith("python"):
            return f"[{level}]\t{self.scn.iso(t)}\t{rid}\t{text}"
        if self.runtime.startswith("nodejs"):
            return f"{self.scn.iso(t)}\t{rid}\t{level}\t{text}"
        if self.runtime.startswith("ruby"):
            return (f"{level[0]}, [{self.scn.iso(t, 6)[:-1]} #{self.ruby_pid}] {level:>5} -- : "
                    f"[{rid}] {text}")
        return f"{self.scn.iso(t)} {rid} {level} {text}"

    def invoke(self, t: float, dur_ms: float, lines: list, mem_used: int, cold: bool = False,
               init_ms: float | None = None, timeout_s: float | None = None, rid: str | None = None) -> str:
        """lines: [(offset_seconds, LEVEL, text)]. timeout_s set => the invocation timed out."""
        scn = self.scn
        rid = rid or scn.uid()
        if cold or not self.envs:
            cold = True
            init_ms = init_ms if init_ms is not None else scn.n(420, 0.25)
            stream = self._new_env(t, init_ms)
        else:
            stream = scn.pick(self.envs)
        scn.log(self.group, stream, t, f"START RequestId: {rid} Version: {self.version}", self.region)
        for off, level, text in lines:
            tt = t + min(off, dur_ms / 1000.0 - 0.002)
            scn.log(self.group, stream, tt, self.fmt(tt, rid, level, text), self.region)
        end = t + dur_ms / 1000.0
        if timeout_s is not None:
            scn.log(self.group, stream, end, f"{scn.iso(end)} {rid} Task timed out after {timeout_s:.2f} seconds",
                    self.region)
        scn.log(self.group, stream, end + 0.001, f"END RequestId: {rid}", self.region)
        report = (f"REPORT RequestId: {rid}\tDuration: {dur_ms:.2f} ms\tBilled Duration: {math.ceil(dur_ms)} ms\t"
                  f"Memory Size: {self.memory} MB\tMax Memory Used: {int(mem_used)} MB")
        if cold:
            report += f"\tInit Duration: {init_ms:.2f} ms"
        if timeout_s is not None:
            report += "\tStatus: timeout"
        scn.log(self.group, stream, end + 0.002, report, self.region)
        return rid


def node_invoke_error(err_type: str, message: str, stack: list, extra: dict | None = None) -> str:
    body = {"errorType": err_type, "errorMessage": message}
    if extra:
        body.update(extra)
    body["stack"] = [f"{err_type}: {message}"] + [f"    at {s}" for s in stack]
    return "Invoke Error \t" + json.dumps(body, separators=(",", ":"))


def py_unhandled(err_type: str, message: str, frames: list) -> str:
    """Python runtime's unhandled-exception record: frames are (file, line, func, code)."""
    tb = "".join(f'\n  File "{f}", line {ln}, in {fn}\n    {code}' for f, ln, fn, code in frames)
    return f"[ERROR] {err_type}: {message}\nTraceback (most recent call last):{tb}"


def window(t0: float = LOG_START, t1: float = 0.0) -> tuple:
    return t0, t1


def mysql_slow(scn: Scenario, t: float, user: str, host: str, qid: int, qtime: float, lock: float, sent: int,
               examined: int, sql: str, db: str) -> str:
    """One entry of the MySQL slow query log as RDS/Aurora publish it to CloudWatch Logs."""
    epoch = int(scn.dt(t).timestamp())
    return (f"# Time: {scn.iso(t, 6)}\n# User@Host: {user}[{user}] @  [{host}]  Id: {qid}\n"
            f"# Query_time: {qtime:.6f}  Lock_time: {lock:.6f} Rows_sent: {sent}  Rows_examined: {examined}\n"
            f"use {db};\nSET timestamp={epoch};\n{sql};")
