"""Log line formats of the runtimes and AWS services used in set 16.

Each helper returns plain strings; times are relative seconds turned into the scenario's
nominal wall clock where the real format prints a timestamp.
"""
from __future__ import annotations

import hashlib
import json
import math
from typing import Any, Callable

import numpy as np

from .kit import TIMES, Scenario

Line = tuple[float, str]

RUNTIME_VERSIONS = {
    "python3.12": "python:3.12.v38", "python3.11": "python:3.11.v45", "nodejs20.x": "nodejs:20.v33",
    "java17": "java:17.v31", "java21": "java:21.v22",
}


def runtime_arn(sc: Scenario, runtime: str) -> str:
    digest = hashlib.sha256(f"{runtime}:{RUNTIME_VERSIONS.get(runtime, runtime)}".encode()).hexdigest()
    return f"arn:aws:lambda:{sc.region}::runtime:{digest}"


def event_times(sc: Scenario, per_minute: np.ndarray, start: float = -TIMES.size * 60.0,
                end: float = 0.0) -> list[float]:
    """Uniformly scattered event times, ``per_minute[i]`` of them in minute i, within [start, end)."""
    out: list[float] = []
    for t0, n in zip(TIMES, per_minute):
        if t0 + 60 <= start or t0 >= end:
            continue
        k = int(n)
        if k <= 0:
            continue
        ts = t0 + np.sort(sc.rng.uniform(0, 60, k))
        out.extend(float(t) for t in ts if start <= t < min(end, -0.05))
    return out


def poisson_times(sc: Scenario, rate_per_min: float | np.ndarray, start: float, end: float = 0.0) -> list[float]:
    lam = np.broadcast_to(np.asarray(rate_per_min, dtype=float), TIMES.shape)
    return event_times(sc, sc.rng.poisson(np.clip(lam, 0, None)), start, end)


def periodic(start: float, every: float, end: float = 0.0, offset: float = 0.0) -> list[float]:
    first = math.ceil((start - offset) / every) * every + offset
    return [float(t) for t in np.arange(first, end, every) if t < -0.05]


# ---- Lambda ----------------------------------------------------------------------------------
class LambdaLogs:
    """Log streams of one function: one stream per execution environment, cold starts included."""

    def __init__(self, sc: Scenario, function: str, runtime: str, memory_mb: int, idle_reclaim: float = 1500.0,
                 version: str = "$LATEST"):
        self.sc, self.fn, self.runtime, self.memory = sc, function, runtime, memory_mb
        self.version, self.idle_reclaim = version, idle_reclaim
        self.envs: list[dict[str, Any]] = []

    def _env(self, t: float) -> tuple[dict[str, Any], bool]:
        free = [e for e in self.envs if e["busy_until"] < t and t - e["busy_until"] < self.idle_reclaim
                and not e.get("dead")]
        if free:
            return max(free, key=lambda e: e["busy_until"]), False
        env = {"stream": f"{self.sc.clock(t, '%Y/%m/%d')}/[{self.version}]{self.sc.hexid(32)}",
               "events": [], "busy_until": t}
        self.envs.append(env)
        return env, True

    def text(self, t: float, rid: str, level: str, msg: str, logger: str = "handler") -> str:
        if self.runtime.startswith("python"):
            return f"[{level}]\t{self.sc.iso(t)}\t{rid}\t{msg}"
        if self.runtime.startswith("nodejs"):
            return f"{self.sc.iso(t)}\t{rid}\t{level}\t{msg}"
        return f"{self.sc.clock(t, '%Y-%m-%d %H:%M:%S')} {rid} {level:<5} {logger} - {msg}"

    def invoke(self, t: float, duration_ms: float, body: Callable[[float, str], list[Line]] | list[tuple[float, str, str]],
               mem_used: int, init_ms: float | None = None, timeout_s: float | None = None,
               error_type: str | None = None, init_lines: list[str] | None = None) -> str:
        """Log one invocation starting at t. ``body`` is [(offset s, level, message)] or a callable
        (t, request id) -> [(absolute t, full line)]. Returns the request id."""
        env, cold = self._env(t)
        rid = self.sc.uuid()
        ev = env["events"]
        start = t
        if cold:
            init = init_ms if init_ms is not None else float(self.sc.rng.uniform(180, 520))
            arn = runtime_arn(self.sc, self.runtime)
            ev.append((t, f"INIT_START Runtime Version: {RUNTIME_VERSIONS.get(self.runtime, self.runtime)}\t"
                          f"Runtime Version ARN: {arn}"))
            for k, line in enumerate(init_lines or []):
                ev.append((t + 0.01 + k * 0.001, line))
            start = t + init / 1000.0
        ev.append((start, f"START RequestId: {rid} Version: {self.version}"))
        if callable(body):
            ev.extend(body(start, rid))
        else:
            for off, level, msg in body:
                ev.append((start + off, self.text(start + off, rid, level, msg)))
        end = start + duration_ms / 1000.0
        if timeout_s is not None:
            if self.runtime.startswith("java"):
                ev.append((end, f"{self.sc.iso(end)} {rid} Task timed out after {timeout_s:.2f} seconds"))
            else:
                ev.append((end, f"{self.sc.iso(end)} {rid} Task timed out after {timeout_s:.2f} seconds"))
        ev.append((end + 0.001, f"END RequestId: {rid}"))
        billed = int(math.ceil(duration_ms))
        rep = (f"REPORT RequestId: {rid}\tDuration: {duration_ms:.2f} ms\tBilled Duration: {billed} ms\t"
               f"Memory Size: {self.memory} MB\tMax Memory Used: {int(mem_used)} MB")
        if cold:
            rep += f"\tInit Duration: {(start - t) * 1000:.2f} ms"
        if timeout_s is not None:
            rep += "\tStatus: timeout"
        elif error_type:
            rep += f"\tStatus: error\tError Type: {error_type}"
        ev.append((end + 0.002, rep))
        env["busy_until"] = end + 0.01
        if timeout_s is not None:
            env["dead"] = True  # the runtime is restarted after a timeout
        return rid

    def flush(self, group: str | None = None) -> None:
        for env in self.envs:
            self.sc.log(group or f"/aws/lambda/{self.fn}", env["stream"], env["events"])


def py_traceback(frames: list[tuple[str, int, str, str]], exc: str) -> str:
    out = ["Traceback (most recent call last):"]
    for path, line, func, code in frames:
        out.append(f'  File "{path}", line {line}, in {func}')
        if code:
            out.append(f"    {code}")
    out.append(exc)
    return "\n".join(out)


def java_trace(exc: str, frames: list[str], caused: list[tuple[str, list[str], int]] | None = None) -> str:
    out = [exc] + [f"\tat {f}" for f in frames]
    for cexc, cframes, more in caused or []:
        out.append(f"Caused by: {cexc}")
        out.extend(f"\tat {f}" for f in cframes)
        if more:
            out.append(f"\t... {more} more")
    return "\n".join(out)


# ---- databases ------------------------------------------------------------------------------------
def pg(sc: Scenario, t: float, level: str, msg: str, user: str = "", db: str = "", ip: str = "",
       pid: int | None = None) -> str:
    pid = pid if pid is not None else int(sc.rng.integers(1200, 32000))
    who = ip if "(" in ip else (f"{ip}({int(sc.rng.integers(32768, 61000))})" if ip else "")
    return f"{sc.clock(t)} UTC:{who}:{user}@{db}:[{pid}]:{level}:  {msg}"


def pg_checkpoints(sc: Scenario, start: float, every: float = 300.0, pid: int = 397,
                   buffers: tuple[int, int] = (900, 4200)) -> list[Line]:
    out: list[Line] = []
    for t in periodic(start, every, offset=sc.rng.uniform(0, every)):
        b = int(sc.rng.integers(*buffers))
        write = b / 1000 * sc.rng.uniform(7, 12)
        out.append((t, pg(sc, t, "LOG", "checkpoint starting: time", pid=pid)))
        t2 = t + write + 0.5
        out.append((t2, pg(sc, t2, "LOG", f"checkpoint complete: wrote {b} buffers ({b / 1310.72:.1f}%); "
                                          f"0 WAL file(s) added, 0 removed, {int(sc.rng.integers(0, 4))} recycled; "
                                          f"write={write:.3f} s, sync={sc.rng.uniform(0.002, 0.05):.3f} s, "
                                          f"total={write + 0.04:.3f} s; sync files={int(sc.rng.integers(8, 70))}, "
                                          f"longest={sc.rng.uniform(0.001, 0.02):.3f} s, "
                                          f"average={sc.rng.uniform(0.001, 0.004):.3f} s; "
                                          f"distance={int(sc.rng.integers(4000, 60000))} kB, "
                                          f"estimate={int(sc.rng.integers(30000, 70000))} kB", pid=pid)))
    return out


def mysql_err(sc: Scenario, t: float, thread: int, prio: str, code: str, msg: str) -> str:
    return f"{sc.iso(t, 6)} {thread} [{prio}] [{code}] [Server] {msg}"


# ---- HTTP access logs ---------------------------------------------------------------------------------
def alb_line(sc: Scenario, t: float, alb_id: str, target: str, method: str, url: str, elb_status: int,
             target_status: int | None, req_t: float, tgt_t: float, resp_t: float, tg_arn: str, ua: str,
             received: int = 0, sent: int = 0, client: str | None = None, proto: str = "https",
             cert: str | None = None) -> str:
    client = client or f"{sc.public_ip()}:{int(sc.rng.integers(1024, 65535))}"
    tstat = "-" if target_status is None else str(target_status)
    tgt = target or "-"
    host = url.split("/")[2].split(":")[0] if "://" in url else "-"
    trace = f"Root=1-{int(sc.wall(t).timestamp()):08x}-{sc.hexid(24)}"
    created = sc.iso(t - max(req_t + max(tgt_t, 0) + resp_t, 0), 6)
    return (f"{proto} {sc.iso(t, 6)} {alb_id} {client} {tgt} {req_t:.3f} {tgt_t:.3f} {resp_t:.3f} "
            f"{elb_status} {tstat} {received} {sent} \"{method} {url} HTTP/1.1\" \"{ua}\" "
            f"ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {tg_arn} \"{trace}\" \"{host}\" "
            f"\"{cert or '-'}\" 0 {created} \"forward\" \"-\" \"-\" \"{tgt}\" \"{tstat}\" \"-\" \"-\"")


def nginx_line(sc: Scenario, t: float, client: str, method: str, path: str, status: int, size: int,
               rt: float, ua: str) -> str:
    return (f"{client} - - [{sc.clock(t, '%d/%b/%Y:%H:%M:%S')} +0000] \"{method} {path} HTTP/1.1\" {status} "
            f"{size} \"-\" \"{ua}\" rt={rt:.3f}")


def apigw_access(sc: Scenario, t: float, api_id: str, method: str, path: str, status: int, latency_ms: int,
                 integ_latency: int | None, ip: str | None = None, length: int = 0, key_id: str = "-",
                 ua: str = "-", err: str = "-") -> str:
    return json.dumps({
        "requestId": sc.uuid(), "ip": ip or sc.public_ip(), "caller": "-", "user": "-",
        "requestTime": sc.clock(t, "%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": method, "resourcePath": path,
        "status": str(status), "protocol": "HTTP/1.1", "responseLength": str(length),
        "responseLatency": str(latency_ms),
        "integrationLatency": "-" if integ_latency is None else str(integ_latency),
        "apiKeyId": key_id, "userAgent": ua, "errorMessage": err, "apiId": api_id}, separators=(",", ":"))


# ---- application frameworks ------------------------------------------------------------------------------
def spring(sc: Scenario, t: float, level: str, app: str, thread: str, logger: str, msg: str) -> str:
    return f"{sc.iso(t)}  {level:>5} 1 --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


def dotnet(level: str, category: str, event_id: int, msg: str) -> str:
    body = msg.replace("\n", "\n      ")
    return f"{level}: {category}[{event_id}]\n      {body}"


def jlog(sc: Scenario, t: float, level: str, msg: str, time_key: str = "time", **fields: Any) -> str:
    rec = {time_key: sc.iso(t), "level": level, "msg": msg}
    rec.update(fields)
    return json.dumps(rec, separators=(",", ":"))


def syslog(sc: Scenario, t: float, host: str, proc: str, msg: str) -> str:
    return f"{sc.clock(t, '%b %d %H:%M:%S')} {host} {proc}: {msg}"
