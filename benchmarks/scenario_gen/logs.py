"""Log line formats: Lambda platform and runtime lines, tracebacks, Java/Node stacks, postgres,
mysql, API Gateway execution logs, access logs and kernel lines."""
from __future__ import annotations

import json

from .timeline import iso_stamp, java_stamp, pg_stamp, wall

Frame = tuple[str, int, str, str]  # path, line, function, source line


# --- Lambda platform ---------------------------------------------------------------------------
def init_start(runtime: str, region: str = "us-east-1") -> str:
    version = {"python3.12": "python:3.12.v38", "python3.11": "python:3.11.v45",
               "nodejs20.x": "nodejs:20.v31"}.get(runtime, "python:3.12.v38")
    return (f"INIT_START Runtime Version: {version}\tRuntime Version ARN: arn:aws:lambda:{region}::runtime:"
            "0cdcfbdefbc5e7d3343f73c2e2dd3cba17d61dea0686b404502a0c9ce83931b9")


def start(req: str, version: str = "$LATEST") -> str:
    return f"START RequestId: {req} Version: {version}"


def end(req: str) -> str:
    return f"END RequestId: {req}"


def report(req: str, duration_ms: float, memory_size: int, used_mb: int, status: str | None = None) -> str:
    line = (f"REPORT RequestId: {req}\tDuration: {duration_ms:.2f} ms\tBilled Duration: {int(duration_ms) + 1} ms"
            f"\tMemory Size: {memory_size} MB\tMax Memory Used: {used_mb} MB")
    return line + (f"\tStatus: {status}" if status else "")


def task_timed_out(t: float, req: str, timeout_s: int) -> str:
    return f"{iso_stamp(t)} {req} Task timed out after {timeout_s}.{3 if timeout_s < 100 else 10:02d} seconds"


def runtime_killed(req: str) -> str:
    return f"RequestId: {req} Error: Runtime exited with error: signal: killed\nRuntime.ExitError"


# --- Lambda runtime lines ------------------------------------------------------------------------
def runtime_line(runtime: str, level: str, t: float, req: str, message: str) -> str:
    """Python: ``[LEVEL]\\ttime\\treq\\tmsg``; Node: ``time\\treq\\tLEVEL\\tmsg``."""
    if runtime.startswith("nodejs"):
        return f"{iso_stamp(t)}\t{req}\t{level}\t{message}"
    return f"[{level}]\t{iso_stamp(t)}\t{req}\t{message}"


def python_traceback(exc_type: str, exc_message: str, frames: list[Frame]) -> str:
    lines = ["Traceback (most recent call last):"]
    for path, line, func, code in frames:
        lines.append(f'  File "{path}", line {line}, in {func}')
        lines.append(f"    {code}")
    lines.append(f"{exc_type}: {exc_message}" if exc_message else exc_type)
    return "\n".join(lines)


def runtime_exception(runtime: str, t: float, req: str, exc_type: str, exc_message: str,
                      frames: list[Frame], summary: str | None = None) -> str:
    """An unhandled exception as the runtime prints it (Python traceback or Node ``Invoke Error``)."""
    if runtime.startswith("nodejs"):
        stack = [f"{exc_type}: {exc_message}"] + [f"    at {func} ({path}:{line}:{(line * 7) % 40 + 3})"
                                                   for path, line, func, _ in reversed(frames)]
        body = json.dumps({"errorType": exc_type, "errorMessage": exc_message, "stack": stack})
        return f"{iso_stamp(t)}\t{req}\tERROR\tInvoke Error \t{body}"
    head = summary or (f"{exc_type}: {exc_message}" if exc_message else exc_type)
    return f"[ERROR]\t{iso_stamp(t)}\t{req}\t{head}\n" + python_traceback(exc_type, exc_message, frames)


# --- Containers / instances ----------------------------------------------------------------------
def java_line(t: float, level: str, thread: str, logger: str, message: str) -> str:
    return f"{java_stamp(t)} {level:>5} 1 --- [{thread}] {logger:<40} : {message}"


def java_stack(exc_type: str, exc_message: str, frames: list[tuple[str, str, int]],
               cause: str | None = None) -> str:
    lines = [f"{exc_type}: {exc_message}" if exc_message else exc_type]
    lines += [f"\tat {method}({source}:{line})" for method, source, line in frames]
    lines += ["\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
              "\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)"]
    if cause:
        lines.append(f"Caused by: {cause}")
    return "\n".join(lines)


def json_line(t: float, level: str, message: str, **fields: object) -> str:
    doc = {"time": iso_stamp(t), "level": level.lower(), "msg": message}
    doc.update(fields)
    return json.dumps(doc, separators=(",", ":"))


def access_line(ip: str, method: str, path: str, status: int, size: int, rt: float) -> str:
    return f'{ip} - - "{method} {path} HTTP/1.1" {status} {size} rt={rt:.3f}'


def kernel_oom(t: float, host: str, pid: int, process: str, rss_kb: int) -> str:
    stamp = wall(t).strftime("%b %d %H:%M:%S")
    return (f"{stamp} {host} kernel: Out of memory: Killed process {pid} ({process}) total-vm:{rss_kb * 2}kB, "
            f"anon-rss:{rss_kb}kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:{rss_kb // 500}kB oom_score_adj:0")


def syslog(t: float, host: str, process: str, message: str) -> str:
    return f"{wall(t).strftime('%b %d %H:%M:%S')} {host} {process}: {message}"


# --- Databases -------------------------------------------------------------------------------------
def postgres(t: float, level: str, message: str, client: str = "", user_db: str = "@", pid: int = 0) -> str:
    return f"{pg_stamp(t)}:{client}:{user_db}:[{pid}]:{level}:  {message}"


def mysql(t: float, level: str, code: str, message: str, thread: int = 0) -> str:
    stamp = wall(t).strftime("%Y-%m-%dT%H:%M:%S.") + f"{wall(t).microsecond:06d}Z"
    return f"{stamp} {thread} [{level}] [{code}] [Server] {message}"


# --- API Gateway -----------------------------------------------------------------------------------
def apigw(req: str, message: str) -> str:
    return f"({req}) {message}"
