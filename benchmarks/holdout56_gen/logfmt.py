"""Log line formats of the runtimes and servers used by the scenarios."""
import json


def pg(sc, t, level, msg, pid, client=None, user="", db=""):
    """RDS PostgreSQL default log_line_prefix ``%t:%r:%u@%d:[%p]:``."""
    remote = f"{client[0]}({client[1]})" if client else ""
    return f"{sc.stamp(t)} UTC:{remote}:{user}@{db}:[{pid}]:{level}:  {msg}"


def mysql(sc, t, level, code, subsystem, msg, thread=0):
    """MySQL 8 error log (log_timestamps=UTC)."""
    ts = sc.at(t)
    return (f"{ts.strftime('%Y-%m-%dT%H:%M:%S')}.{ts.microsecond:06d}Z {thread} [{level}] "
            f"[{code}] [{subsystem}] {msg}")


def nginx(sc, t, ip, method, path, status, size, ua, rt, upstream=None):
    ts = sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000")
    up = f"{upstream:.3f}" if upstream is not None else "-"
    return (f'{ip} - - [{ts}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" '
            f"rt={rt:.3f} uct=0.000 urt={up}")


def rails(sc, t, level, pid, req, msg):
    ts = sc.at(t)
    return (f"{level[0]}, [{ts.strftime('%Y-%m-%dT%H:%M:%S')}.{ts.microsecond:06d} #{pid}] "
            f"{level:>5} -- : [{req}] {msg}")


def spring(sc, t, level, app, thread, logger, msg, pid=1):
    """Spring Boot 3.2 default console pattern (UTC, ISO timestamp)."""
    return f"{sc.iso(t)} {level:>5} {pid} --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


def dotnet(sc, t, level, category, msg, exception=None, event_id=0, **state):
    """Microsoft.Extensions.Logging JSON console formatter, one object per line."""
    body = {"Timestamp": sc.iso(t), "EventId": event_id, "LogLevel": level,
            "Category": category, "Message": msg}
    if exception:
        body["Exception"] = exception
    if state:
        body["State"] = {"Message": msg, **state}
    return json.dumps(body, separators=(",", ":"))


def gunicorn_access(sc, t, ip, method, path, status, size, ua, secs):
    ts = sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000")
    return f'{ip} - - [{ts}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" {secs:.6f}'


def gunicorn_err(sc, t, pid, level, msg):
    return f"[{sc.stamp(t)} +0000] [{pid}] [{level}] {msg}"


def django(sc, t, level, logger, msg):
    return f"{sc.stamp(t, ms=True).replace('.', ',')} {level} {logger} {msg}"


def zap(sc, t, level, caller, msg, **fields):
    body = {"level": level, "ts": round(sc.epoch(t), 4), "caller": caller, "msg": msg}
    body.update(fields)
    return json.dumps(body, separators=(",", ":"))


def go_slog(sc, t, level, msg, **fields):
    body = {"time": sc.iso(t), "level": level, "msg": msg}
    body.update(fields)
    return json.dumps(body, separators=(",", ":"))


def apigw_exec(sc, t, req, msg):
    return f"({req}) {msg}"


def node_pino(sc, t, level, msg, **fields):
    lv = {"DEBUG": 20, "INFO": 30, "WARN": 40, "ERROR": 50}[level]
    body = {"level": lv, "time": int(sc.epoch(t) * 1000), "pid": 8, "hostname": "ip-10-0-3-17",
            "msg": msg}
    body.update(fields)
    return json.dumps(body, separators=(",", ":"))
