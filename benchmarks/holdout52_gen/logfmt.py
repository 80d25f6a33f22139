"""Log line formats for several runtimes, and a Lambda invocation simulator."""
from __future__ import annotations

import json
import math

from .common import Scenario

RUNTIME_VERSION = {
    "python3.11": "python:3.11.v41", "python3.12": "python:3.12.v38",
    "nodejs18.x": "nodejs:18.v49", "nodejs20.x": "nodejs:20.v33",
    "java21": "java:21.v19", "java17": "java:17.v30",
    "ruby3.3": "ruby:3.3.v12", "provided.al2023": "provided:al2023.v61",
}


# ---------------------------------------------------------------- lambda
class LambdaSim:
    """Produces START/END/REPORT framed invocation logs in the runtime's format.

    ``handler(t, rid)`` returns a dict with keys:
      lines: list of (offset_seconds, level, message)
      dur: duration in ms, mem: max memory used in MB
      error: optional (error_type, message, [trace lines]) for an unhandled error
      timeout: optional bool
    """

    def __init__(self, s: Scenario, fn: str, runtime: str, memory: int, timeout: int,
                 version: str = "$LATEST", logger: str = "app"):
        self.s, self.fn, self.runtime = s, fn, runtime
        self.memory, self.timeout, self.version, self.logger = memory, timeout, version, logger
        self.pid = 8 if runtime.startswith("ruby") else 1

    # ---- line formats
    def line(self, t: float, rid: str, level: str, msg) -> str:
        s, rt = self.s, self.runtime
        if rt.startswith("python"):
            return f"[{level}]\t{s.iso(t)}\t{rid}\t{msg}"
        if rt.startswith("nodejs"):
            return f"{s.iso(t)}\t{rid}\t{level}\t{msg}"
        if rt.startswith("java"):
            return f"{s.stamp(t, '%Y-%m-%d %H:%M:%S')} {rid} {level:<5} {self.logger} - {msg}"
        if rt.startswith("ruby"):
            us = f"{s.at(t).microsecond:06d}"
            return (f"{level[0]}, [{s.stamp(t, '%Y-%m-%dT%H:%M:%S')}.{us} #{self.pid}] "
                    f"{level:>5} -- : [{rid}] {msg}")
        # provided.al2023: the Go code logs slog JSON
        rec = {"time": s.iso(t), "level": level, "msg": msg if isinstance(msg, str) else msg.pop("msg")}
        if not isinstance(msg, str):
            rec.update(msg)
        rec["request_id"] = rid
        return json.dumps(rec, separators=(",", ":"))

    def unhandled(self, t: float, rid: str, etype: str, emsg: str, trace: list[str]) -> str:
        s, rt = self.s, self.runtime
        if rt.startswith("python"):
            return (f"[ERROR] {etype}: {emsg}\nTraceback (most recent call last):\n"
                    + "\n".join(trace))
        if rt.startswith("nodejs"):
            body = {"errorType": etype.split(".")[-1], "errorMessage": emsg,
                    "stack": [f"{etype.split('.')[-1]}: {emsg}"] + trace}
            return f"{s.iso(t)}\t{rid}\tERROR\tInvoke Error \t{json.dumps(body)}"
        if rt.startswith("ruby"):
            body = {"errorMessage": emsg, "errorType": f"Function<{etype}>", "stackTrace": trace}
            return "Error raised from handler method\n" + json.dumps(body, indent=2)
        body = {"errorMessage": emsg, "errorType": etype, "stackTrace": trace}
        return json.dumps(body)

    # ---- framing
    def _init_start(self) -> str:
        rv = RUNTIME_VERSION.get(self.runtime, self.runtime)
        return (f"INIT_START Runtime Version: {rv}\tRuntime Version ARN: "
                f"arn:aws:lambda:{self.s.region}::runtime:{self.s.hex(64)}")

    def stream_name(self, t: float) -> str:
        return f"{self.s.at(t):%Y/%m/%d}/[{self.version}]{self.s.hex(32)}"

    def run(self, starts: list[float], handler, *, envs: int = 2, recycle: list[float] = (),
            init_ms: tuple[float, float] = (250.0, 600.0), init_lines=None) -> None:
        """Simulate invocations spread over ``envs`` execution environments.

        Environments are replaced at every time in ``recycle`` (code or
        configuration update) so that cold starts appear after a change.
        """
        s = self.s
        epochs = [min(starts) - 1 if starts else 0] + sorted(recycle)
        streams: list[list] = []
        current: list[list] = []
        cold: list[bool] = []
        busy: list[float] = []
        epoch_i = -1
        for i, t in enumerate(starts):
            while epoch_i + 1 < len(epochs) and t >= epochs[epoch_i + 1]:
                epoch_i += 1
                current = [[self.stream_name(t)] for _ in range(envs)]
                streams.extend(current)
                cold = [True] * envs
                busy = [-1e18] * envs
            # an execution environment runs one invocation at a time; invocations
            # that find every logged environment busy ran in an unlogged one
            free = [j for j in ((i + d) % envs for d in range(envs)) if busy[j] <= t]
            if not free:
                continue
            k = free[0]
            env = current[k]
            rid = s.uuid()
            res = handler(t, rid)
            busy[k] = t + float(res["dur"]) / 1000.0 + 0.01
            ev = env
            init = None
            if cold[k]:
                init = s.rng.uniform(*init_ms)
                ev.append((t - init / 1000.0 - 0.05, self._init_start()))
                t_init = t - init / 1000.0
                no_rid = "undefined" if self.runtime.startswith("nodejs") else ""
                for off, lvl, msg in (init_lines(t) if init_lines else []):
                    ev.append((t_init + off, self.line(t_init + off, no_rid, lvl, msg)))
                cold[k] = False
            ev.append((t, f"START RequestId: {rid} Version: {self.version}"))
            for off, lvl, msg in res.get("lines", []):
                ev.append((t + off, self.line(t + off, rid, lvl, msg)))
            dur = float(res["dur"])
            tend = t + dur / 1000.0
            if res.get("timeout"):
                ev.append((tend, f"{s.iso(tend)} {rid} Task timed out after {self.timeout:.2f} seconds"))
            elif res.get("error"):
                et, em, tr = res["error"]
                ev.append((tend - 0.002, self.unhandled(tend, rid, et, em, tr)))
            ev.append((tend + 0.001, f"END RequestId: {rid}"))
            rep = (f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: "
                   f"{math.ceil(dur)} ms\tMemory Size: {self.memory} MB\tMax Memory Used: "
                   f"{int(res['mem'])} MB")
            if init is not None:
                rep += f"\tInit Duration: {init:.2f} ms"
            if res.get("timeout"):
                rep += "\tStatus: timeout"
            ev.append((tend + 0.002, rep))
        for st in streams:
            name, events = st[0], st[1:]
            s.log(f"/aws/lambda/{self.fn}", name, events)


def starts_from(s: Scenario, counts: dict[int, float], share: float, t0: float = -10800,
                t1: float = 0.0) -> list[float]:
    """Invocation start times for the minutes of ``counts`` within [t0, t1)."""
    out = []
    for t, c in sorted(counts.items()):
        if t < t0 or t >= t1:
            continue
        n = int(round(c * share + s.rng.random() - 0.5))
        for _ in range(max(0, n)):
            out.append(t + s.rng.uniform(0.0, 59.5))
    return sorted(out)


# ---------------------------------------------------------------- other formats
def spring(s: Scenario, t: float, level: str, pid: int, thread: str, logger: str, msg: str,
           app: str | None = None) -> str:
    """Spring Boot (Logback) console line; Boot 3 style when app is given."""
    if app:
        return (f"{s.iso(t)}  {level:>5} {pid} --- [{app}] [{thread:>15}] {logger:<40} : {msg}")
    return (f"{s.stamp(t, '%Y-%m-%d %H:%M:%S.%ms')} {level:>5} {pid} --- [{thread:>15}] "
            f"{logger:<40} : {msg}")


def pg(s: Scenario, t: float, who: str, pid: int, level: str, msg: str) -> str:
    """RDS PostgreSQL log_line_prefix '%t:%r:%u@%d:[%p]:'."""
    return f"{s.stamp(t, '%Y-%m-%d %H:%M:%S UTC')}:{who}:[{pid}]:{level}:  {msg}"


def mysql_err(s: Scenario, t: float, thread: int, level: str, code: str, msg: str) -> str:
    us = f"{s.at(t).microsecond:06d}"
    return f"{s.stamp(t, '%Y-%m-%dT%H:%M:%S')}.{us}Z {thread} [{level}] [{code}] [Server] {msg}"


def dotnet(level: str, category: str, msg: str, event_id: int = 0) -> str:
    """Microsoft.Extensions.Logging simple console format (two lines)."""
    return f"{level}: {category}[{event_id}]\n      {msg}"


def pino(s: Scenario, t: float, level: int, host: str, msg: str, **fields) -> str:
    rec = {"level": level, "time": s.epoch_ms(t), "pid": 1, "hostname": host}
    rec.update(fields)
    rec["msg"] = msg
    return json.dumps(rec, separators=(",", ":"))


def zap(s: Scenario, t: float, level: str, caller: str, msg: str, **fields) -> str:
    rec = {"level": level, "ts": round(s.epoch_ms(t) / 1000.0, 3), "caller": caller, "msg": msg}
    rec.update(fields)
    return json.dumps(rec, separators=(",", ":"))


def logfmt(s: Scenario, t: float, level: str, msg: str, **fields) -> str:
    parts = [f"time={s.iso(t)}", f"level={level}", f'msg="{msg}"']
    for k, v in fields.items():
        v = str(v)
        if " " in v or '"' in v or "=" in v:
            v = '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        parts.append(f"{k}={v}")
    return " ".join(parts)


def nginx(s: Scenario, t: float, ip: str, method: str, path: str, status: int, size: int,
          rt: float, ua: str = "Mozilla/5.0", upstream: float | None = None) -> str:
    ur = f"{upstream:.3f}" if upstream is not None else "-"
    return (f'{ip} - - [{s.stamp(t, "%d/%b/%Y:%H:%M:%S +0000")}] "{method} {path} HTTP/1.1" '
            f'{status} {size} "-" "{ua}" rt={rt:.3f} uct="0.000" urt="{ur}"')


def apigw_exec(s: Scenario, t: float, rid: str, msg: str) -> str:
    return f"({rid}) {msg}"


def ip(s: Scenario, prefix: str = "10.0") -> str:
    return f"{prefix}.{s.rng.randint(1, 15)}.{s.rng.randint(2, 250)}"
