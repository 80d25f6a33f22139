"""Log line formats of the runtimes and services the set-17 scenarios use."""
from __future__ import annotations

import json
import math
from typing import Callable

from .core import Case

Body = Callable[[str, float], list[tuple[float, str]]]


class LambdaLogs:
    """Log streams of one Lambda function: one stream per execution environment, one request at a
    time per environment, START/END/REPORT around the runtime's own lines."""

    def __init__(self, case: Case, function: str, memory_mb: int):
        self.c = case
        self.fn = function
        self.mem = memory_mb
        self.group = f"/aws/lambda/{function}"
        self.events: dict[str, list[tuple[float, str]]] = {}
        self.free_at: dict[str, float] = {}
        self.version_of: dict[str, str] = {}
        self.retired: set[str] = set()

    def _env(self, t: float, version: str) -> tuple[str, bool]:
        free = [s for s, f in self.free_at.items()
                if self.version_of[s] == version and f <= t and s not in self.retired]
        if free and self.c.rng.random() > 0.002:
            return max(free, key=lambda s: self.free_at[s]), False
        name = f"{self.c.stamp(t, '%Y/%m/%d')}/[{version}]{self.c.hex(32)}"
        self.events[name] = []
        self.version_of[name] = version
        return name, True

    def retire(self, version: str) -> None:
        """Environments of an old version are no longer used (after a deploy)."""
        self.retired.update(s for s, v in self.version_of.items() if v == version)

    def invoke(self, t: float, body: Body, duration_ms: float, used_mb: int, version: str = "$LATEST",
               status: str | None = None, init_ms: tuple[float, float] = (180.0, 420.0),
               trailer: str | None = None) -> str:
        env, cold = self._env(t, version)
        rid = self.c.uuid()
        ev = self.events[env]
        init = float(self.c.rng.uniform(*init_ms)) if cold else 0.0
        start = t + init / 1000.0
        ev.append((start, f"START RequestId: {rid} Version: {version}"))
        for dt, text in body(rid, start):
            ev.append((start + dt, text))
        end = start + duration_ms / 1000.0
        if trailer:
            ev.append((end - 0.001, trailer))
        ev.append((end + 0.001, f"END RequestId: {rid}"))
        rep = (f"REPORT RequestId: {rid}\tDuration: {duration_ms:.2f} ms\tBilled Duration: "
               f"{math.ceil(duration_ms)} ms\tMemory Size: {self.mem} MB\tMax Memory Used: {used_mb} MB")
        if cold:
            rep += f"\tInit Duration: {init:.2f} ms"
        if status:
            rep += f"\tStatus: {status}"
        ev.append((end + 0.002, rep))
        self.free_at[env] = end + 0.05
        return rid

    def flush(self, region: str | None = None) -> None:
        for name, evs in self.events.items():
            if evs and max(e[0] for e in evs) < 0:
                self.c.log(self.group, name, evs, region=region)
            elif evs:
                self.c.log(self.group, name, [e for e in evs if e[0] < 0], region=region)


# ---------------- Lambda runtime line formats ----------------
def py_line(c: Case, t: float, rid: str, level: str, msg: str) -> str:
    return f"[{level}]\t{c.iso(t)}\t{rid}\t{msg}"


def py_unhandled(etype: str, emsg: str, frames: list[tuple[str, int, str, str]]) -> str:
    tb = "".join(f'  File "{f}", line {n}, in {fn}\n    {src}\n' for f, n, fn, src in frames)
    return f"[ERROR] {etype}: {emsg}\nTraceback (most recent call last):\n{tb}".rstrip("\n")


def node_line(c: Case, t: float, rid: str, level: str, msg: str) -> str:
    return f"{c.iso(t)}\t{rid}\t{level}\t{msg}"


def node_invoke_error(c: Case, t: float, rid: str, etype: str, emsg: str, stack: list[str]) -> str:
    body = {"errorType": etype, "errorMessage": emsg, "stack": [f"{etype}: {emsg}"] + stack}
    return f"{c.iso(t)}\t{rid}\tERROR\tInvoke Error \t{json.dumps(body)}"


def java_line(c: Case, t: float, rid: str, level: str, logger: str, msg: str) -> str:
    return f"{c.stamp(t, '%Y-%m-%d %H:%M:%S')} {rid} {level:<5} {logger} - {msg}"


def timeout_line(c: Case, t: float, rid: str, seconds: float) -> str:
    return f"{c.iso(t)} {rid} Task timed out after {seconds:.2f} seconds"


def go_json(c: Case, t: float, level: str, msg: str, **fields) -> str:
    d = {"time": c.iso(t, 6), "level": level, "msg": msg}
    d.update(fields)
    return json.dumps(d, separators=(",", ":"))


def ruby_line(c: Case, t: float, level: str, msg: str, pid: int = 8) -> str:
    return f"{level[0]}, [{c.stamp(t, '%Y-%m-%dT%H:%M:%S')}.{c.at(t).microsecond:06d} #{pid}] {level:>5} -- : {msg}"


def dotnet_lambda_line(c: Case, t: float, rid: str, level: str, msg: str) -> str:
    return f"{c.iso(t)}\t{rid}\t{level}\t{msg}"


# ---------------- containers / hosts ----------------
def spring_line(c: Case, t: float, level: str, thread: str, logger: str, msg: str) -> str:
    return f"{c.iso(t)} {level:>5} 1 --- [{thread:>15}] {logger:<40} : {msg}"


def aspnet_json(c: Case, t: float, level: str, category: str, msg: str, event_id: int = 0,
                exception: str | None = None, **state) -> str:
    d = {"Timestamp": c.iso(t, 6).replace("Z", "+00:00"), "EventId": event_id, "LogLevel": level,
         "Category": category, "Message": msg}
    if exception:
        d["Exception"] = exception
    if state:
        d["State"] = {"Message": msg, **state}
    return json.dumps(d, separators=(",", ":"))


def pino(c: Case, t: float, level: int, msg: str, hostname: str, **fields) -> str:
    ms = int(c.at(t).timestamp() * 1000)
    d = {"level": level, "time": ms, "pid": 1, "hostname": hostname}
    d.update(fields)
    d["msg"] = msg
    return json.dumps(d, separators=(",", ":"))


def nginx(c: Case, t: float, ip: str, method: str, path: str, status: int, size: int, ua: str,
          rt: float, upstream: float | None = None) -> str:
    up = "-" if upstream is None else f"{upstream:.3f}"
    return (f'{ip} - - [{c.stamp(t, "%d/%b/%Y:%H:%M:%S +0000")}] "{method} {path} HTTP/1.1" {status} {size} '
            f'"-" "{ua}" rt={rt:.3f} uct="0.000" urt="{up}"')


def syslog(c: Case, t: float, host: str, proc: str, msg: str) -> str:
    d = c.at(t)
    return f"{d.strftime('%b')} {d.day:>2} {d.strftime('%H:%M:%S')} {host} {proc}: {msg}"


# ---------------- RDS ----------------
def pg_line(c: Case, t: float, pid: int, level: str, msg: str, client: str = "", user: str = "",
            db: str = "") -> str:
    who = f"{client}:{user}@{db}" if user else ":@"
    return f"{c.stamp(t, '%Y-%m-%d %H:%M:%S')} UTC:{who}:[{pid}]:{level}:  {msg}"


def mysql_err(c: Case, t: float, thread: int, prio: str, code: str, msg: str) -> str:
    return f"{c.iso(t, 6)} {thread} [{prio}] [{code}] [Server] {msg}"


# ---------------- API Gateway ----------------
def apigw_access(c: Case, t: float, rid: str, ip: str, method: str, path: str, status: int, length: int,
                 integ_ms: int | str, resp_ms: int, error: str = "-") -> str:
    d = {"requestId": rid, "ip": ip, "requestTime": c.stamp(t, "%d/%b/%Y:%H:%M:%S +0000"),
         "httpMethod": method, "resourcePath": path, "status": str(status), "protocol": "HTTP/1.1",
         "responseLength": str(length), "integrationLatency": str(integ_ms), "responseLatency": str(resp_ms),
         "errorMessage": error}
    return json.dumps(d, separators=(",", ":"))


def apigw_exec(rid: str, msg: str) -> str:
    return f"({rid}) {msg}"


class TaskLogs:
    """awslogs streams of one ECS service: ``<prefix>/<container>/<task id>``, tasks with lifetimes."""

    def __init__(self, case: Case, group: str, prefix: str, container: str):
        self.c = case
        self.group = group
        self.prefix = prefix
        self.container = container
        self.tasks: list[tuple[str, float, float]] = []   # (id, started, stopped)
        self.events: dict[str, list[tuple[float, str]]] = {}

    def task(self, started: float, stopped: float = 1e9) -> str:
        tid = self.c.hex(32)
        self.tasks.append((tid, started, stopped))
        self.events[tid] = []
        return tid

    def stop(self, tid: str, at: float) -> None:
        self.tasks = [(i, s, at if i == tid else e) for i, s, e in self.tasks]

    def live(self, t: float) -> list[str]:
        return [i for i, s, e in self.tasks if s + 20 <= t < e]

    def add(self, tid: str, t: float, text: str) -> None:
        self.events[tid].append((t, text))

    def any(self, t: float, text_fn) -> str | None:
        live = self.live(t)
        if not live:
            return None
        tid = live[int(self.c.rng.integers(0, len(live)))]
        self.events[tid].append((t, text_fn(tid)))
        return tid

    def flush(self, region: str | None = None) -> None:
        for tid, evs in self.events.items():
            evs = [e for e in evs if -21600 <= e[0] < 0]
            self.c.log(self.group, f"{self.prefix}/{self.container}/{tid}", evs, region=region)
