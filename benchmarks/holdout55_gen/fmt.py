"""Log line formats of real runtimes and servers (time ``t`` is relative seconds, rendered from kit.NOW)."""
from __future__ import annotations

import json

from .kit import at, epoch_ms, hms, iso, iso6


# ---------------------------------------------------------------- Lambda platform lines
def start(r: str, version: str = "$LATEST") -> str:
    return f"START RequestId: {r} Version: {version}"


def end(r: str) -> str:
    return f"END RequestId: {r}"


def report(r: str, dur_ms: float, mem: int, used: int, init_ms: float | None = None,
           status: str | None = None, error_type: str | None = None) -> str:
    billed = int(dur_ms) + 1 if status != "timeout" else int(dur_ms)
    line = (f"REPORT RequestId: {r}\tDuration: {dur_ms:.2f} ms\tBilled Duration: {billed} ms\t"
            f"Memory Size: {mem} MB\tMax Memory Used: {used} MB")
    if init_ms is not None:
        line += f"\tInit Duration: {init_ms:.2f} ms"
    if status:
        line += f"\tStatus: {status}"
    if error_type:
        line += f"\tError Type: {error_type}"
    return line


def timed_out(t: float, r: str, secs: float) -> str:
    return f"{iso(t)} {r} Task timed out after {secs:.2f} seconds"


# ---------------------------------------------------------------- Lambda runtime application lines
def py(level: str, t: float, r: str, msg: str) -> str:
    return f"[{level}]\t{iso(t)}\t{r}\t{msg}"


def py_unhandled(t: float, r: str, exc: str, trace: list[str]) -> str:
    """The Python runtime's record of an unhandled exception: short class name, message, then the traceback."""
    name, _, msg = exc.partition(": ")
    return f"[ERROR] {name.rsplit('.', 1)[-1]}: {msg}\nTraceback (most recent call last):\n" + "\n".join(trace)


def node(level: str, t: float, r: str, msg: str) -> str:
    return f"{iso(t)}\t{r}\t{level}\t{msg}"


def node_invoke_error(t: float, r: str, etype: str, emsg: str, stack: list[str], **extra) -> str:
    payload = {"errorType": etype, "errorMessage": emsg, **extra, "stack": [f"{etype}: {emsg}"] + stack}
    return f"{iso(t)}\t{r}\tERROR\tInvoke Error \t{json.dumps(payload, separators=(',', ':'))}"


def dotnet(level: str, t: float, r: str, msg: str) -> str:
    return f"{iso(t)}\t{r}\t{level}\t{msg}"


def java_lambda(level: str, t: float, r: str, logger: str, msg: str) -> str:
    return f"{hms(t)} {r} {level:<5} {logger} - {msg}"


def ruby(level: str, t: float, msg: str, pid: int = 8) -> str:
    return f"{level[0]}, [{iso6(t)} #{pid}] {level:>5} -- : {msg}"


def ruby_error(etype: str, emsg: str, stack: list[str]) -> str:
    payload = {"errorMessage": emsg, "errorType": f"Function<{etype}>", "stackTrace": stack}
    return "Error raised from handler method\n" + json.dumps(payload, separators=(",", ":"))


# ---------------------------------------------------------------- services
def spring(level: str, t: float, app: str, thread: str, logger: str, msg: str, pid: int = 1) -> str:
    return f"{iso(t)} {level:>5} {pid} --- [{app}] [{thread[:15]:>15}] {logger:<40} : {msg}"


def zap(level: str, t: float, caller: str, msg: str, **kw) -> str:
    payload = {"level": level, "ts": iso(t), "caller": caller, "msg": msg, **kw}
    return json.dumps(payload, separators=(",", ":"))


def zerolog(level: str, t: float, msg: str, **kw) -> str:
    payload = {"level": level, "time": iso(t), **kw, "message": msg}
    return json.dumps(payload, separators=(",", ":"))


def pino(level: int, t: float, host: str, msg: str, **kw) -> str:
    payload = {"level": level, "time": epoch_ms(t), "pid": 1, "hostname": host, **kw, "msg": msg}
    return json.dumps(payload, separators=(",", ":"))


def dotnet_json(level: str, t: float, category: str, msg: str, event_id: int = 0, exc: str | None = None,
                **state) -> str:
    payload = {"Timestamp": iso(t), "EventId": event_id, "LogLevel": level, "Category": category,
               "Message": msg}
    if exc:
        payload["Exception"] = exc
    if state:
        payload["State"] = {"Message": msg, **state}
    return json.dumps(payload, separators=(",", ":"))


def catalina(level: str, t: float, thread: str, logger: str, msg: str) -> str:
    d = at(t)
    return f"{d.strftime('%d-%b-%Y %H:%M:%S')}.{d.microsecond // 1000:03d} {level} [{thread}] {logger} {msg}"


def pg(t: float, level: str, msg: str, client: str = "", user: str = "", db: str = "", pid: int = 0) -> str:
    who = f"{client}:{user}@{db}" if user else f"{client}:@"
    return f"{hms(t)} UTC:{who}:[{pid}]:{level}:  {msg}"


def mysql(t: float, thread: int, level: str, code: str, subsystem: str, msg: str) -> str:
    return f"{iso6(t)}Z {thread} [{level}] [{code}] [{subsystem}] {msg}"


def redis(t: float, pid: int, role: str, mark: str, msg: str) -> str:
    d = at(t)
    return f"{pid}:{role} {d.strftime('%d %b %Y %H:%M:%S')}.{d.microsecond // 1000:03d} {mark} {msg}"


def syslog(t: float, host: str, proc: str, msg: str) -> str:
    return f"{at(t).strftime('%b %d %H:%M:%S')} {host} {proc}: {msg}"


def nginx(t: float, ip: str, method: str, path: str, status: int, size: int, rt: float, ua: str,
          upstream: str | None = None) -> str:
    d = at(t)
    urt = f"{rt - 0.001:.3f}" if upstream is None else upstream
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" {status} {size} '
            f'"-" "{ua}" rt={rt:.3f} urt={urt}')


def apigw(req: str, msg: str) -> str:
    return f"({req}) {msg}"
