"""Log line formats of the runtimes and services used by set 14, and a Lambda log builder.

The builder spreads invocations over execution environments (one log stream each, the
way Lambda does), writes INIT_START / START / END / REPORT lines and cold-start init
durations, and retires environments when code or configuration is updated.
"""
from __future__ import annotations

import json
import math

from .common import Ctx

_RUNTIME_TAGS = {"python3.12": "python:3.12.v38", "python3.11": "python:3.11.v45", "nodejs20.x": "nodejs:20.v33",
                 "provided.al2023": "provided:al2023.v51", "java21": "java:21.v24"}


def _ms(x: float) -> str:
    return f"{x:.2f}"


class LambdaLog:
    def __init__(self, ctx: Ctx, function: str, runtime: str, memory_mb: int, envs: int = 3,
                 version: str = "$LATEST", start: float = -10800.0, warm: bool = True):
        self.ctx = ctx
        self.function = function
        self.runtime = runtime
        self.memory = memory_mb
        self.group = f"/aws/lambda/{function}"
        self.streams: list[dict] = []
        self.active: list[dict] = []
        self.version = version
        self._new_generation(start, envs, version)
        if warm:  # environments already running before the log window: no cold start shown
            for env in self.active:
                env["cold"] = False

    def _new_env(self, rel: float, version: str) -> dict:
        day = self.ctx.at(rel).strftime("%Y/%m/%d")
        tag = version if version == "$LATEST" else version
        env = {"stream": f"{day}/[{tag}]{self.ctx.hexs(32)}", "events": [], "cold": True, "version": version}
        self.streams.append(env)
        return env

    def _new_generation(self, rel: float, envs: int, version: str) -> None:
        self.version = version
        self.active = [self._new_env(rel, version) for _ in range(envs)]

    def redeploy(self, rel: float, envs: int | None = None, version: str | None = None,
                 memory_mb: int | None = None) -> None:
        """Code or configuration update: warm environments are dropped, new ones cold start."""
        if memory_mb:
            self.memory = memory_mb
        self._new_generation(rel, envs or len(self.active), version or self.version)

    def scale_to(self, rel: float, envs: int) -> None:
        while len(self.active) < envs:
            self.active.append(self._new_env(rel, self.version))

    def invoke(self, rel: float, body: list[tuple[float, str]], duration_ms: float, mem_mb: int,
               timeout_s: float | None = None, rid: str | None = None, env_index: int | None = None) -> str:
        """One invocation starting at ``rel``; ``body`` holds (offset seconds, text) lines."""
        ctx = self.ctx
        rid = rid or ctx.uuid()
        env = self.active[env_index if env_index is not None else ctx.randint(0, len(self.active) - 1)]
        ev = env["events"]
        init = ""
        if env["cold"]:
            env["cold"] = False
            init_ms = ctx.uni(180, 650) if not self.runtime.startswith("java") else ctx.uni(1900, 3400)
            arn_hash = ctx.hexs(64)
            ev.append((rel - init_ms / 1000.0 - 0.01,
                       f"INIT_START Runtime Version: {_RUNTIME_TAGS.get(self.runtime, self.runtime)}\t"
                       f"Runtime Version ARN: arn:aws:lambda:{ctx.region}::runtime:{arn_hash}"))
            init = f"\tInit Duration: {_ms(init_ms)} ms"
        ev.append((rel, f"START RequestId: {rid} Version: {env['version']}"))
        for off, text in body:
            ev.append((rel + off, text))
        end = rel + duration_ms / 1000.0
        billed = int(math.ceil(duration_ms))
        ev.append((end + 0.001, f"END RequestId: {rid}"))
        ev.append((end + 0.002, f"REPORT RequestId: {rid}\tDuration: {_ms(duration_ms)} ms\tBilled Duration: "
                                f"{billed} ms\tMemory Size: {self.memory} MB\tMax Memory Used: {mem_mb} MB"
                                f"{init}"))
        if timeout_s:
            ev.append((end + 0.003, f"{ctx.iso(end)} {rid} Task timed out after {timeout_s:.2f} seconds"))
        return rid

    def logs(self) -> list[dict]:
        out = []
        for env in self.streams:
            if any(e[0] < -0.05 for e in env["events"]):
                evs = sorted((e for e in env["events"] if e[0] < -0.05), key=lambda e: e[0])
                out.append({"group": self.group, "stream": env["stream"],
                            "events": [[round(float(t), 3), m] for t, m in evs]})
        return out


# ---------- Python (Lambda runtime logging format)
def py(ctx: Ctx, rel: float, level: str, rid: str, msg: str) -> str:
    return f"[{level}]\t{ctx.iso(rel)}\t{rid}\t{msg}"


LAMBDA_WARNING = ("LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, "
                  "in rare cases, a Lambda runtime update can cause unexpected function behavior. For functions using "
                  "managed runtimes, runtime updates can be triggered by a function change, or can be applied "
                  "automatically. To determine if the runtime has been updated, check the runtime version in the "
                  "INIT_START log entry. If this error correlates with a change in the runtime version, you may be able "
                  "to mitigate this error by temporarily rolling back to the previous runtime version. For more "
                  "information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html")


def py_unhandled(exc: str, msg: str, frames: list[tuple[str, int, str, str]]) -> str:
    """The runtime's line for an exception that escaped the handler."""
    lines = [f"[ERROR] {exc}: {msg}", "Traceback (most recent call last):"]
    for path, line, func, code in frames:
        lines.append(f'  File "{path}", line {line}, in {func}')
        lines.append(f"    {code}")
    return "\n".join(lines)


def py_logged_exception(ctx: Ctx, rel: float, rid: str, summary: str, exc: str, msg: str,
                        frames: list[tuple[str, int, str, str]]) -> str:
    """logger.exception(...) output inside a Lambda handler."""
    lines = [py(ctx, rel, "ERROR", rid, summary), "Traceback (most recent call last):"]
    for path, line, func, code in frames:
        lines.append(f'  File "{path}", line {line}, in {func}')
        lines.append(f"    {code}")
    lines.append(f"{exc}: {msg}")
    return "\n".join(lines)


# ---------- Node.js (Lambda runtime)
def node(ctx: Ctx, rel: float, rid: str, level: str, msg: str) -> str:
    return f"{ctx.iso(rel)}\t{rid}\t{level}\t{msg}"


def node_invoke_error(ctx: Ctx, rel: float, rid: str, etype: str, emsg: str, frames: list[str]) -> str:
    payload = {"errorType": etype, "errorMessage": emsg, "stack": [f"{etype}: {emsg}"] + [f"    at {f}" for f in frames]}
    return f"{ctx.iso(rel)}\t{rid}\tERROR\tInvoke Error \t{json.dumps(payload, separators=(',', ':'))}"


# ---------- Spring Boot 3 console format
def spring(ctx: Ctx, rel: float, level: str, app: str, thread: str, logger: str, msg: str) -> str:
    thread = thread[-15:]
    return f"{ctx.iso(rel)}  {level:>5} 1 --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


# ---------- .NET console logger (two-line default format)
def dotnet(level: str, category: str, event_id: int, msg: str) -> str:
    return f"{level}: {category}[{event_id}]\n      {msg}"


# ---------- PostgreSQL on RDS (log_line_prefix %t:%r:%u@%d:[%p]:)
def pg(ctx: Ctx, rel: float, msg: str, client: str = "", user_db: str = "@", pid: int = 0) -> str:
    t = ctx.at(rel).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"{t}:{client}:{user_db}:[{pid}]:{msg}"


# ---------- MySQL 8 error log on RDS
def mysql_err(ctx: Ctx, rel: float, level: str, code: str, msg: str, thread: int = 0) -> str:
    t = ctx.at(rel).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ctx.randint(0, 999999):06d}Z"
    return f"{t} {thread} [{level}] [{code}] [Server] {msg}"


# ---------- API Gateway (REST) access log in the JSON format most teams configure
def apigw_access(ctx: Ctx, rel: float, rid: str, ip: str, method: str, path: str, resource: str, status: int,
                 length: int, latency_ms: int, integ_ms, error: str | None = None, api_key_id: str | None = None,
                 agent: str | None = None) -> str:
    rec = {"requestId": rid, "ip": ip, "requestTime": ctx.clf(rel), "httpMethod": method,
           "resourcePath": resource, "path": path, "status": str(status), "protocol": "HTTP/1.1",
           "responseLength": str(length), "responseLatency": str(latency_ms),
           "integrationLatency": "-" if integ_ms is None else str(integ_ms)}
    if api_key_id is not None:
        rec["apiKeyId"] = api_key_id
    if agent is not None:
        rec["userAgent"] = agent
    rec["errorMessage"] = error if error else "-"
    return json.dumps(rec, separators=(",", ":"))


def apigw_exec(rid: str, msg: str) -> str:
    return f"({rid}) {msg}"


# ---------- nginx combined format plus timings
def nginx(ctx: Ctx, rel: float, ip: str, method: str, path: str, status: int, size: int, agent: str,
          rt: float, urt: float | None = None, referer: str = "-") -> str:
    u = "-" if urt is None else f"{urt:.3f}"
    return (f'{ip} - - [{ctx.clf(rel)}] "{method} {path} HTTP/1.1" {status} {size} "{referer}" "{agent}" '
            f'rt={rt:.3f} uct="0.000" urt="{u}"')


def syslog(ctx: Ctx, rel: float, host: str, proc: str, msg: str) -> str:
    return f"{ctx.at(rel).strftime('%b %d %H:%M:%S')} {host} {proc}: {msg}"
