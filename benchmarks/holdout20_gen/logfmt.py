"""Log line formats of the real runtimes and services (Lambda, Python, Node, Java, Go, .NET,
PostgreSQL and MySQL on RDS, nginx, API Gateway), written as their CloudWatch Logs events."""
from __future__ import annotations

import json
import math

from .common import Scn

RUNTIME_ARN = {
    "python3.12": ("python:3.12.v38", "b7f2c5a64e1d9e3a0c8d2b4f6a1e3c5d7f9b0a2c4e6d8f0a1b3c5d7e9f1a3b5c"),
    "python3.11": ("python:3.11.v45", "4c1a7e9d2b5f8036a1c4e7b0d3f6a9c2e5b8d1f4a7c0e3b6d9f2a5c8e1b4d7f0"),
    "nodejs20.x": ("nodejs:20.v33", "e3d1c7b5a9f2e4d6c8b0a1f3e5d7c9b1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3"),
    "provided.al2023": ("provided:al2023.v61", "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b"),
}


# ---- AWS Lambda platform lines --------------------------------------------------------------
def init_start(s: Scn, runtime: str) -> str:
    ver, h = RUNTIME_ARN[runtime]
    return (f"INIT_START Runtime Version: {ver}\tRuntime Version ARN: "
            f"arn:aws:lambda:{s.region}::runtime:{h}")


def start(rid: str, version: str = "$LATEST") -> str:
    return f"START RequestId: {rid} Version: {version}"


def end(rid: str) -> str:
    return f"END RequestId: {rid}"


def report(rid: str, dur_ms: float, mem: int, used: int, init_ms: float | None = None,
           status: str | None = None) -> str:
    line = (f"REPORT RequestId: {rid}\tDuration: {dur_ms:.2f} ms\tBilled Duration: {math.ceil(dur_ms)} ms\t"
            f"Memory Size: {mem} MB\tMax Memory Used: {used} MB")
    if init_ms is not None:
        line += f"\tInit Duration: {init_ms:.2f} ms"
    if status and status != "error":  # the text format reports timeouts and crashes, not raised errors
        line += f"\tStatus: {status}"
    return line


def timed_out(s: Scn, t: float, rid: str, seconds: float) -> str:
    return f"{s.iso(t)} {rid} Task timed out after {seconds:.2f} seconds"


def invocation(s: Scn, t: float, rid: str, body: list[tuple[float, str]], dur_ms: float, mem: int,
               used: int, version: str = "$LATEST", init: tuple[str, float] | None = None,
               status: str | None = None) -> list[tuple[float, str]]:
    """START, the body lines (offsets in seconds from t), END, REPORT. `init` = (runtime, init ms)."""
    out: list[tuple[float, str]] = []
    t0 = t
    if body:  # the function cannot end before its last line
        dur_ms = max(dur_ms, max(off for off, _ in body) * 1000.0 + 3.0)
    if init is not None:
        out.append((t - init[1] / 1000.0 - 0.002, init_start(s, init[0])))
    out.append((t0, start(rid, version)))
    for off, line in body:
        out.append((t0 + off, line))
    t1 = t0 + dur_ms / 1000.0 + 0.001
    out.append((t1, end(rid)))
    out.append((t1 + 0.001, report(rid, dur_ms, mem, used, init[1] if init else None, status)))
    return out


# ---- Python ----------------------------------------------------------------------------------
def py(s: Scn, t: float, level: str, rid: str, msg: str) -> str:
    """The Lambda Python runtime's logging format: [LEVEL]\ttimestamp\trequest-id\tmessage."""
    return f"[{level}]\t{s.iso(t)}\t{rid}\t{msg}"


def py_frames(frames: list[tuple[str, int, str, str]]) -> str:
    return "".join(f'  File "{f}", line {n}, in {fn}\n    {code}\n' for f, n, fn, code in frames)


def py_unhandled(exc: str, msg: str, frames: list[tuple[str, int, str, str]]) -> str:
    """How the Lambda Python runtime prints an exception that escaped the handler."""
    return f"[ERROR] {exc}: {msg}\nTraceback (most recent call last):\n" + py_frames(frames).rstrip("\n")


def py_traceback(exc: str, msg: str, frames: list[tuple[str, int, str, str]]) -> str:
    """logging.exception() style: the traceback followed by the exception line."""
    return "Traceback (most recent call last):\n" + py_frames(frames) + f"{exc}: {msg}"


# ---- Node.js ---------------------------------------------------------------------------------
def node(s: Scn, t: float, level: str, rid: str, msg: str) -> str:
    return f"{s.iso(t)}\t{rid}\t{level}\t{msg}"


def node_invoke_error(s: Scn, t: float, rid: str, etype: str, emsg: str, stack: list[str]) -> str:
    payload = {"errorType": etype, "errorMessage": emsg, "stack": [f"{etype}: {emsg}"] + stack}
    return f"{s.iso(t)}\t{rid}\tERROR\tInvoke Error \t{json.dumps(payload, separators=(',', ':'))}"


# ---- Java / Spring Boot ---------------------------------------------------------------------
def spring(s: Scn, t: float, level: str, app: str, thread: str, logger: str, msg: str, pid: int = 1) -> str:
    return f"{s.iso(t)} {level:>5} {pid} --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


# ---- .NET (console logger, systemd journal shipped by the CloudWatch agent) -------------------
def dotnet(s: Scn, t: float, level: str, category: str, event_id: int, msg: str) -> str:
    lines = msg.split("\n")
    body = "\n".join("      " + ln for ln in lines)
    return f"{s.stamp(t, '%Y-%m-%dT%H:%M:%S')}Z {level}: {category}[{event_id}]\n{body}"


# ---- Go (JSON, zap-like) ---------------------------------------------------------------------
def go_json(s: Scn, t: float, level: str, caller: str, msg: str, **fields) -> str:
    d = {"level": level, "ts": s.iso(t), "caller": caller, "msg": msg}
    d.update(fields)
    return json.dumps(d, separators=(",", ":"))


# ---- RDS engines -----------------------------------------------------------------------------
def pg(s: Scn, t: float, level: str, msg: str, client: str = "", user_db: str = "@", pid: int = 0) -> str:
    """log_line_prefix of RDS for PostgreSQL: %t:%r:%u@%d:[%p]:"""
    return f"{s.stamp(t)} UTC:{client}:{user_db}:[{pid}]:{level}:  {msg}"


def mysql(s: Scn, t: float, level: str, code: str, msg: str, thread: int = 0) -> str:
    w = s.wall(t)
    return f"{w.strftime('%Y-%m-%dT%H:%M:%S')}.{w.microsecond:06d}Z {thread} [{level}] [{code}] [Server] {msg}"


# ---- web front ends --------------------------------------------------------------------------
def nginx(s: Scn, t: float, client: str, method: str, path: str, status: int, size: int, rt: float,
          ua: str = "Mozilla/5.0", upstream: str | None = None) -> str:
    up = f" urt={rt:.3f}" if upstream is None else f" urt={upstream}"
    return (f'{client} - - [{s.stamp(t, "%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" {status} {size} '
            f'"-" "{ua}" rt={rt:.3f}{up}')


def apigw_access(s: Scn, t: float, rid: str, ip: str, method: str, path: str, status: int, latency_ms: int,
                 integ_status: str = "200", integ_latency: str = "-", error: str = "-",
                 stage: str = "prod") -> str:
    d = {"requestId": rid, "ip": ip, "requestTime": s.stamp(t, "%d/%b/%Y:%H:%M:%S +0000"),
         "httpMethod": method, "resourcePath": path, "status": str(status), "protocol": "HTTP/1.1",
         "responseLength": str(0 if status >= 400 else 512), "responseLatency": str(latency_ms),
         "integrationStatus": integ_status, "integrationLatency": integ_latency, "errorMessage": error,
         "stage": stage}
    return json.dumps(d, separators=(",", ":"))


def apigw_exec(rid: str, msg: str) -> str:
    return f"({rid}) {msg}"
