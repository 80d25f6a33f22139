"""Log line formats of real runtimes and services, plus loops that turn metric series into log events."""
from __future__ import annotations

import json
import math

from .core import TS

_LV_DOTNET = {"DEBUG": "dbug", "INFO": "info", "WARN": "warn", "ERROR": "fail", "FATAL": "crit"}
_PINO = {"DEBUG": 20, "INFO": 30, "WARN": 40, "ERROR": 50, "FATAL": 60}


def _epoch_ms(s, t):
    return int(s.wall(t).timestamp() * 1000)


class LambdaLog:
    """START/END/REPORT blocks and the runtime's own application log format."""

    def __init__(self, s, fn, runtime, memory, logger="", pid=8):
        self.s, self.fn, self.runtime, self.memory, self.logger, self.pid = s, fn, runtime, memory, logger, pid

    def stream(self, version="$LATEST"):
        return f"{self.s.day()}/[{version}]{self.s.hexid()}"

    def line(self, t, rid, level, msg):
        s, rt = self.s, self.runtime
        if rt == "python":
            return f"[{level}]\t{s.iso(t)}\t{rid}\t{msg}"
        if rt == "node":
            return f"{s.iso(t)}\t{rid}\t{level}\t{msg}"
        if rt == "dotnet":
            return f"{s.iso(t)}\t{rid}\t{_LV_DOTNET[level]}\t{msg}"
        if rt == "java":
            w = s.wall(t)
            return f"{w.strftime('%Y-%m-%d %H:%M:%S')}.{w.microsecond // 1000:03d} {rid} {level:<5} {self.logger} - {msg}"
        if rt == "go":
            return json.dumps({"time": s.iso(t), "level": level, "msg": msg, "requestId": rid})
        if rt == "ruby":
            w = s.wall(t)
            return (f"{level[0]}, [{w.strftime('%Y-%m-%dT%H:%M:%S')}.{w.microsecond:06d} #{self.pid}] "
                    f"{level:>5} -- : [{rid}] {msg}")
        raise ValueError(rt)

    def invoke(self, t, dur_ms, body, mem_used, rid=None, version="$LATEST", init_ms=None, timeout_s=None):
        """body: list of (level, msg); lines are spread over the duration."""
        rid = rid or self.s.uid()
        ev = []
        if init_ms:
            t_start = t + init_ms / 1000.0
            ev.append((t + 0.001, f"INIT_START Runtime Version: {self.runtime_version()}"))
        else:
            t_start = t
        ev.append((t_start, f"START RequestId: {rid} Version: {version}"))
        dur = dur_ms / 1000.0
        for k, (level, msg) in enumerate(body):
            tt = t_start + 0.002 + dur * (k + 1) / (len(body) + 1) * 0.98
            ev.append((tt, self.line(tt, rid, level, msg)))
        t_end = t_start + dur
        if timeout_s:
            ev.append((t_end, f"{self.s.iso(t_end)} {rid} Task timed out after {timeout_s:.2f} seconds"))
        ev.append((t_end + 0.001, f"END RequestId: {rid}"))
        rep = (f"REPORT RequestId: {rid}\tDuration: {dur_ms:.2f} ms\tBilled Duration: {int(math.ceil(dur_ms))} ms\t"
               f"Memory Size: {self.memory} MB\tMax Memory Used: {int(mem_used)} MB")
        if init_ms:
            rep += f"\tInit Duration: {init_ms:.2f} ms"
        if timeout_s:
            rep += "\tStatus: timeout"
        ev.append((t_end + 0.002, rep))
        return ev

    def runtime_version(self):
        return {"python": "python:3.12.v38", "node": "nodejs:20.v33", "dotnet": "dotnet:8.v21",
                "java": "java:21.v19", "go": "provided:al2023.v61", "ruby": "ruby:3.3.v14"}[self.runtime]


# ---------------------------------------------------------------- container / server formats
def spring(s, t, level, thread, logger, msg, app):
    """Spring Boot 3 default console pattern."""
    return f"{s.iso(t)} {level:>5} 1 --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


def aspnet(level, category, event_id, msg):
    """Microsoft.Extensions.Logging simple console (multi-line) format."""
    body = "\n".join("      " + ln for ln in msg.split("\n"))
    return f"{_LV_DOTNET[level]}: {category}[{event_id}]\n{body}"


def rails(s, t, level, req, msg, pid=1):
    w = s.wall(t)
    tag = f"[{req}] " if req else ""
    return f"{level[0]}, [{w.strftime('%Y-%m-%dT%H:%M:%S')}.{w.microsecond:06d} #{pid}] {level:>5} -- : {tag}{msg}"


def zap(s, t, level, caller, msg, **fields):
    d = {"level": level.lower(), "ts": round(s.wall(t).timestamp(), 3), "caller": caller, "msg": msg}
    d.update(fields)
    return json.dumps(d)


def pino(s, t, level, msg, host, **fields):
    d = {"level": _PINO[level], "time": _epoch_ms(s, t), "pid": 1, "hostname": host}
    d.update(fields)
    d["msg"] = msg
    return json.dumps(d)


def pylog(s, t, level, logger, msg):
    w = s.wall(t)
    return f"{w.strftime('%Y-%m-%d %H:%M:%S')},{w.microsecond // 1000:03d} {level} [{logger}] {msg}"


def pg(s, t, who, pid, level, msg):
    """RDS PostgreSQL log_line_prefix %t:%r:%u@%d:[%p]:"""
    return f"{s.wall(t).strftime('%Y-%m-%d %H:%M:%S')} UTC:{who}:[{pid}]:{level}:  {msg}"


def mysql_err(s, t, level, code, subsys, msg, thread=0):
    w = s.wall(t)
    return f"{w.strftime('%Y-%m-%dT%H:%M:%S')}.{w.microsecond:06d}Z {thread} [{level}] [{code}] [{subsys}] {msg}"


def nginx(s, t, ip, method, path, status, size, rt, ua="-", upstream="-"):
    w = s.wall(t)
    return (f'{ip} - - [{w.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" {status} {size} '
            f'"-" "{ua}" rt={rt:.3f} uct="0.000" urt="{upstream}"')


def apigw_access(s, t, rid, ip, method, path, status, lat_ms, integ_status="-", integ_lat="-", err="-"):
    return json.dumps({"requestId": rid, "ip": ip, "requestTime": s.wall(t).strftime("%d/%b/%Y:%H:%M:%S +0000"),
                       "httpMethod": method, "resourcePath": path, "status": str(status),
                       "protocol": "HTTP/1.1", "responseLatency": str(int(lat_ms)),
                       "integrationStatus": str(integ_status), "integrationLatency": str(integ_lat),
                       "integrationErrorMessage": err})


def java_trace(exc, msg, frames, caused=None):
    out = [f"{exc}: {msg}"] + [f"\tat {f}" for f in frames]
    for c_exc, c_msg, c_frames, more in caused or []:
        out.append(f"Caused by: {c_exc}: {c_msg}")
        out += [f"\tat {f}" for f in c_frames]
        out.append(f"\t... {more} more")
    return "\n".join(out)


def dotnet_trace(exc, msg, frames, inner=None):
    out = [f"{exc}: {msg}"]
    if inner:
        out.append(f" ---> {inner[0]}: {inner[1]}")
        out += [f"   at {f}" for f in inner[2]]
        out.append("   --- End of inner exception stack trace ---")
    out += [f"   at {f}" for f in frames]
    return "\n".join(out)


# ---------------------------------------------------------------- loops
def per_minute(s, counts, errs, t_from, emit, scale=1.0, t_to=0):
    """For each minute since t_from, call emit(t, is_error) for counts[i] requests (errs[i] failing)."""
    events = []
    for i, t in enumerate(TS):
        if t < t_from or t >= t_to:
            continue
        n = counts[i] or 0
        k = min(errs[i] or 0, n) if errs else 0
        if scale != 1.0:
            n = int(n * scale) + (1 if s.rng.random() < (n * scale) % 1 else 0)
            k = int(k * scale) + (1 if s.rng.random() < (k * scale) % 1 else 0)
            k = min(k, n)
        n, k = int(n), int(k)
        bad = set(s.rng.sample(range(n), k)) if n else set()
        times = sorted(t + s.rng.random() * 59.0 for _ in range(n))
        for j in range(n):
            events.extend(emit(times[j], j in bad))
    return events


def bucketed(s, n, emit):
    """Wrap emit so that each request's events all go to one of n streams."""
    buckets = [[] for _ in range(n)]

    def wrapped(*a):
        buckets[s.rng.randrange(n)].extend(emit(*a))
        return []
    return wrapped, buckets


def every(s, t_from, period, emit, jitter=3.0, t_to=0):
    events, t = [], t_from + s.rng.random() * period
    while t < t_to - 1:
        events.extend(emit(t + s.rng.random() * jitter))
        t += period
    return events


def idx(t):
    """Index in TS of the minute containing t."""
    return max(0, min(len(TS) - 1, int((t - TS[0]) // 60)))
