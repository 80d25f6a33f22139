"""Log line formats of common runtimes and libraries, as they land in CloudWatch Logs."""
from __future__ import annotations

import json

from .common import Ctx, Stream

# ---- AWS Lambda platform lines ----------------------------------------------

RUNTIME_ARN = {
    "python3.12": "python:3.12.v38", "nodejs20.x": "nodejs:20.v33", "java17": "java:17.v29",
    "dotnet8": "dotnet:8.v21", "ruby3.3": "ruby:3.3.v14", "provided.al2023": "provided:al2023.v61",
}


def lambda_stream(ctx: Ctx, version: str = "$LATEST", rel: float = -3600) -> str:
    return f"{ctx.day(rel)}/[{version}]{ctx.hex(32)}"


def init_start(ctx: Ctx, runtime: str, region: str) -> str:
    rv = RUNTIME_ARN.get(runtime, runtime)
    return (f"INIT_START Runtime Version: {rv}\tRuntime Version ARN: "
            f"arn:aws:lambda:{region}::runtime:{ctx.hex(64)}")


def start(rid: str, version: str = "$LATEST") -> str:
    return f"START RequestId: {rid} Version: {version}"


def end(rid: str) -> str:
    return f"END RequestId: {rid}"


def report(rid: str, dur_ms: float, mem: int, max_used: int, init_ms: float | None = None,
           status: str | None = None) -> str:
    billed = int(dur_ms) + 1 if dur_ms % 1 else int(dur_ms)
    s = (f"REPORT RequestId: {rid}\tDuration: {dur_ms:.2f} ms\tBilled Duration: {billed} ms\t"
         f"Memory Size: {mem} MB\tMax Memory Used: {max_used} MB")
    if init_ms is not None:
        s += f"\tInit Duration: {init_ms:.2f} ms"
    if status:
        s += f"\tStatus: {status}"
    return s


class LambdaEnvs:
    """Execution environments of one function: a pool of log streams, each starting
    with INIT_START and an Init Duration on its first invocation."""

    def __init__(self, ctx: Ctx, fn: str, runtime: str, region: str, mem: int,
                 init_ms: tuple[float, float] = (300, 900)):
        self.ctx, self.fn, self.runtime, self.region, self.mem = ctx, fn, runtime, region, mem
        self.init_ms = init_ms
        self.streams: list[Stream] = []
        self.pool: list[tuple[Stream, bool]] = []

    def recycle(self) -> None:
        """All environments replaced (code or configuration update)."""
        self.pool = []

    def env(self, t: float, size: int, version: str = "$LATEST", init_lines=None,
            grow: bool = True) -> tuple[Stream, float | None]:
        """Pick an execution environment for an invocation at t (creating one when the pool is
        below size, or now and then as Lambda recycles environments, unless grow is False)."""
        ctx = self.ctx
        if not self.pool or (grow and (len(self.pool) < size or ctx.rng.random() < 0.004)):
            s = Stream(f"/aws/lambda/{self.fn}", lambda_stream(ctx, version, t), self.region)
            s.host = f"169.254.{int(ctx.rng.integers(10, 99))}.{int(ctx.rng.integers(2, 250))}"
            s.born = t
            self.streams.append(s)
            self.pool.append((s, True))
            if len(self.pool) > size:
                self.pool.pop(0)
        i = int(ctx.rng.integers(0, len(self.pool)))
        s, fresh = self.pool[i]
        init = None
        if fresh:
            self.pool[i] = (s, False)
            init = float(ctx.rng.uniform(*self.init_ms))
            t_init = t - init / 1000.0 - 0.05
            s.add(t_init, init_start(ctx, self.runtime, self.region))
            if callable(init_lines):
                init_lines = init_lines(s)
            for k, line in enumerate(init_lines or []):
                s.add(t_init + init / 1000.0 * (k + 1) / (len(init_lines) + 1), line)
        return s, init

    def invoke(self, t: float, rid: str, body: list[tuple[float, str]], dur_ms: float, max_used: int,
               *, size: int = 4, version: str = "$LATEST", status: str | None = None,
               tail: list[tuple[float, str]] | None = None, init_lines: list[str] | None = None) -> None:
        """One invocation: START, body lines at offsets (s), END/REPORT after dur_ms;
        tail lines are written at the end (offsets relative to the end); init_lines are
        logged during INIT when this invocation gets a fresh environment."""
        s, init = self.env(t, size, version, init_lines)
        if callable(body):
            body = body(s)
        self.write(s, init, t, rid, body, dur_ms, max_used, version, status, tail)

    def write(self, s: Stream, init: float | None, t: float, rid: str, body, dur_ms: float, max_used: int,
              version: str = "$LATEST", status: str | None = None, tail=None) -> None:
        s.add(t, start(rid, version))
        for off, msg in body:
            s.add(t + off, msg)
        done = t + dur_ms / 1000.0
        for off, msg in tail or []:
            s.add(done + off, msg)
        s.add(done + 0.001, end(rid))
        s.add(done + 0.002, report(rid, dur_ms, self.mem, max_used, init, status))


def py_line(ctx: Ctx, rel: float, level: str, rid: str, msg: str) -> str:
    return f"[{level}]\t{ctx.iso(rel)}\t{rid}\t{msg}"


def node_line(ctx: Ctx, rel: float, level: str, rid: str, msg: str) -> str:
    return f"{ctx.iso(rel)}\t{rid}\t{level}\t{msg}"


def dotnet_line(ctx: Ctx, rel: float, level: str, rid: str, msg: str) -> str:
    return f"{ctx.iso(rel)}\t{rid}\t{level}\t{msg}"


def j(obj: dict) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


# ---- structured logging libraries ---------------------------------------------

def zap(ctx: Ctx, rel: float, level: str, caller: str, msg: str, **kv) -> str:
    d = {"level": level, "ts": round(ctx.epoch(rel), 6), "caller": caller, "msg": msg}
    d.update(kv)
    return j(d)


def logrus(ctx: Ctx, rel: float, level: str, msg: str, **kv) -> str:
    d = dict(kv)
    d.update({"level": level, "msg": msg, "time": ctx.iso(rel, 0, "Z")})
    return j(d)


PINO_LEVEL = {"trace": 10, "debug": 20, "info": 30, "warn": 40, "error": 50, "fatal": 60}


def pino(ctx: Ctx, rel: float, level: str, msg: str, pid: int = 8, host: str = "169.254.10.1", **kv) -> str:
    d = {"level": PINO_LEVEL[level], "time": int(ctx.epoch(rel) * 1000), "pid": pid, "hostname": host}
    d.update(kv)
    d["msg"] = msg
    return j(d)


def structlog(ctx: Ctx, rel: float, level: str, event: str, logger: str, **kv) -> str:
    d = {"event": event}
    d.update(kv)
    d.update({"level": level, "logger": logger, "timestamp": ctx.iso(rel, 6, "Z")})
    return j(d)


def serilog(ctx: Ctx, rel: float, level: str, template: str, exc: str | None = None, **props) -> str:
    d = {"@t": ctx.iso(rel, 6, "Z").replace("Z", "0Z"), "@mt": template}
    if level != "Information":
        d["@l"] = level
    if exc:
        d["@x"] = exc
    d.update(props)
    return j(d)


def logback(ctx: Ctx, rel: float, level: str, logger: str, msg: str, thread: str,
            stack: str | None = None, **mdc) -> str:
    lv = {"TRACE": 5000, "DEBUG": 10000, "INFO": 20000, "WARN": 30000, "ERROR": 40000}[level]
    d = {"@timestamp": ctx.iso(rel, 3, "Z"), "@version": "1", "message": msg, "logger_name": logger,
         "thread_name": thread, "level": level, "level_value": lv}
    d.update(mdc)
    if stack:
        d["stack_trace"] = stack
    return j(d)


def ruby_logger(ctx: Ctx, rel: float, level: str, pid: int, msg: str, tag: str | None = None) -> str:
    d = ctx.at(rel)
    stamp = d.strftime("%Y-%m-%dT%H:%M:%S") + f".{d.microsecond:06d}"
    tagged = f"[{tag}] " if tag else ""
    return f"{level[0]}, [{stamp} #{pid}] {level:>5} -- : {tagged}{msg}"


# ---- servers and databases ------------------------------------------------------

def clf_time(ctx: Ctx, rel: float) -> str:
    return ctx.at(rel).strftime("%d/%b/%Y:%H:%M:%S +0000")


def nginx(ctx: Ctx, rel: float, ip: str, method: str, path: str, status: int, size: int,
          ua: str, rt: float, upstream: str | None = "127.0.0.1:8080") -> str:
    urt = f"{max(rt - 0.001, 0):.3f}" if upstream else "-"
    return (f'{ip} - - [{clf_time(ctx, rel)}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" '
            f'rt={rt:.3f} uct="0.000" uht="{urt}" urt="{urt}"')


def pg(ctx: Ctx, rel: float, client: str, user_db: str, pid: int, level: str, msg: str) -> str:
    stamp = ctx.at(rel).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"{stamp}:{client}:{user_db}:[{pid}]:{level}:  {msg}"


def mysql_err(ctx: Ctx, rel: float, thread: int, prio: str, code: str, msg: str) -> str:
    return f"{ctx.iso(rel, 6, 'Z')} {thread} [{prio}] [{code}] [Server] {msg}"


def apigw_access(ctx: Ctx, rel: float, rid: str, ip: str, method: str, path: str, status: int,
                 length: int, lat_ms: int, integ_ms: int | str, **extra) -> str:
    d = {"requestId": rid, "ip": ip, "requestTime": clf_time(ctx, rel), "httpMethod": method,
         "resourcePath": path, "status": str(status), "protocol": "HTTP/1.1",
         "responseLength": str(length), "responseLatency": str(lat_ms),
         "integrationLatency": str(integ_ms)}
    d.update(extra)
    return j(d)


USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Mobile Safari/537.36",
    "ELB-HealthChecker/2.0",
]
