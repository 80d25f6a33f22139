"""Log line builders: Lambda invocation streams and common server log formats."""
from __future__ import annotations

import json
import math

from .common import Scenario

RUNTIME_VERSION = {
    "python3.11": "python:3.11.v48",
    "python3.12": "python:3.12.v41",
    "python3.13": "python:3.13.v17",
    "python3.9": "python:3.9.v64",
    "nodejs16.x": "nodejs:16.v50",
    "nodejs18.x": "nodejs:18.v44",
    "nodejs20.x": "nodejs:20.v37",
    "nodejs22.x": "nodejs:22.v29",
    "java17": "java:17.v35",
    "java21": "java:21.v23",
    "dotnet8": "dotnet:8.v31",
    "ruby3.3": "ruby:3.3.v19",
    "ruby3.2": "ruby:3.2.v27",
    "provided.al2023": "provided:al2023.v72",
}

INIT_MS = {  # typical cold-start init durations
    "python": (380, 120), "nodejs": (240, 60), "java": (2900, 600), "dotnet": (1500, 300),
    "ruby": (420, 90), "provided": (60, 15),
}


class LambdaLogs:
    """Emits START/END/REPORT (and INIT_START on cold starts) around app lines.

    Execution environments are modelled explicitly: an invocation reuses a free
    warm environment of the current version or starts a new one (cold start,
    new log stream). `epochs` lists (time, version) switches: a deploy or
    configuration update retires every environment at that time. `region` is where the
    function runs (the scenario's own by default): it names the runtime ARN, and every log
    event goes through `_log`, which a multi-region scenario's subclass can send there.
    `init_ms` is the (mean, sd) of a cold start's init duration (the runtime family's by default).
    """

    def __init__(self, sc: Scenario, fn: str, runtime: str, memory: int, timeout: int,
                 epochs=((-10 ** 9, "$LATEST"),), mem_used=(150, 20), life=(2400, 6000),
                 prewarm: float = -10680, retire=(), max_envs: int | None = None,
                 region: str | None = None, init_ms=None):
        self.sc, self.fn, self.runtime = sc, fn, runtime
        self.region = region or sc.region
        self.family = next(f for f in INIT_MS if runtime.startswith(f))
        self.init_ms = init_ms or INIT_MS[self.family]  # (mean, sd) of cold-start init
        self.memory, self.timeout = memory, timeout
        self.epochs = sorted(epochs)
        self.mem_used = mem_used
        self.life = life
        self.envs: list = []
        self.prewarm = prewarm  # environments first used before this were already warm
        self.retire = sorted(retire)  # deploys/config updates: environments replaced at these times
        self.max_envs = max_envs  # reserved concurrency: never more live environments than this
        self.group = f"/aws/lambda/{fn}"
        arn_hash = sc.hexid(64)
        self.rv = (f"INIT_START Runtime Version: {RUNTIME_VERSION[runtime]}\tRuntime Version ARN: "
                   f"arn:aws:lambda:{self.region}::runtime:{arn_hash}")

    # ---------------------------------------------------------------- formatting
    def fmt(self, t: float, reqid: str, level: str, msg: str) -> str:
        sc = self.sc
        if self.family == "python":
            return f"[{level.upper()}]\t{sc.iso(t)}\t{reqid}\t{msg}"
        if self.family == "nodejs":
            return f"{sc.iso(t)}\t{reqid}\t{level.upper()}\t{msg}"
        if self.family == "java":
            d = sc.at(t)
            return f"{d.strftime('%Y-%m-%d %H:%M:%S')}.{d.microsecond // 1000:03d} {reqid} {level.upper():<5} {msg}"
        if self.family == "dotnet":
            lvl = {"INFO": "info", "WARN": "warn", "WARNING": "warn", "ERROR": "fail",
                   "DEBUG": "dbug"}[level.upper()]
            return f"{sc.iso(t)}\t{reqid}\t{lvl}\t{msg}"
        if self.family == "ruby":
            d = sc.at(t)
            lv = level.upper().replace("WARNING", "WARN")
            return (f"{lv[0]}, [{d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d} #8] "
                    f"{lv:>5} -- {reqid}: {msg}")
        return msg

    # ---------------------------------------------------------------- environments
    def _version(self, t: float) -> str:
        v = self.epochs[0][1]
        for et, ev in self.epochs:
            if t >= et:
                v = ev
        return v

    def _env(self, t: float) -> dict:
        version = self._version(t)
        cut = max([r for r in self.retire if r <= t], default=-10 ** 9)
        free = [e for e in self.envs if e["version"] == version and e["busy"] <= t
                and t - e["born"] < e["life"] and e["born"] >= cut]
        if free:
            env = max(free, key=lambda e: e["busy"])
            env["cold"] = False
            return env
        live = [e for e in self.envs if e["version"] == version and t - e["born"] < e["life"]
                and e["born"] >= cut]
        if self.max_envs and len(live) >= self.max_envs:
            env = min(live, key=lambda e: e["busy"])
            env["cold"] = False
            return env
        born = self.sc.at(t)
        env = {"version": version, "busy": t, "born": t, "cold": t > self.prewarm,
               "life": self.sc.rng.uniform(*self.life),
               "stream": f"{born.strftime('%Y/%m/%d')}/[{version}]{self.sc.hexid(32)}"}
        self.envs.append(env)
        return env

    # ---------------------------------------------------------------- invocations
    def _log(self, stream: str, t: float, text: str) -> None:
        self.sc.log(self.group, stream, t, text)

    def run(self, invocations: dict, errors: dict, body) -> None:
        """invocations/errors: {minute_start: count}; body(ll, t, reqid, is_err, cold) -> dict."""
        rng = self.sc.rng
        for minute in sorted(invocations):
            n = int(invocations[minute])
            e = min(n, int(errors.get(minute, 0)))
            kinds = [True] * e + [False] * (n - e)
            rng.shuffle(kinds)
            starts = sorted(rng.uniform(minute, minute + 60) for _ in range(n))
            for s, is_err in zip(starts, kinds):
                self.invoke(s, is_err, body)

    def invoke(self, s: float, is_err: bool, body) -> None:
        sc, rng = self.sc, self.sc.rng
        env = self._env(s)
        s = max(s, env["busy"] + 0.002)  # an environment runs one invocation at a time
        reqid = sc.uuid()
        res = body(self, s, reqid, is_err, env["cold"])
        stream = env["stream"]
        init_ms = None
        if env["cold"]:
            mu, sd = self.init_ms
            init_ms = max(20.0, rng.gauss(mu, sd))
            self._log(stream, s - init_ms / 1000 - 0.004, self.rv)
            for dt, text in res.get("init_lines", []):
                self._log(stream, s - init_ms / 1000 + dt, text)
        self._log(stream, s, f"START RequestId: {reqid} Version: {env['version']}")
        for dt, text in res.get("lines", []):
            self._log(stream, s + dt, text)
        dur = float(res["dur"])
        status = res.get("status")
        if status == "timeout":
            dur = self.timeout * 1000.0 + rng.uniform(0.5, 30)
        end = s + dur / 1000.0
        if status == "timeout":
            self._log(stream, end - 0.0005,
                      f"{sc.iso(end)} {reqid} Task timed out after {self.timeout:.2f} seconds")
        mem = res.get("mem") or int(max(40, min(self.memory, rng.gauss(*self.mem_used))))
        self._log(stream, end + 0.0005, f"END RequestId: {reqid}")
        report = (f"REPORT RequestId: {reqid}\tDuration: {dur:.2f} ms\tBilled Duration: "
                  f"{math.ceil(dur + (init_ms or 0) * (self.family in ('provided',)))} ms\t"
                  f"Memory Size: {self.memory} MB\tMax Memory Used: {mem} MB")
        if init_ms is not None:
            report += f"\tInit Duration: {init_ms:.2f} ms"
        if status == "timeout":
            report += "\tStatus: timeout"
        elif status == "error":
            report += f"\tStatus: error\tError Type: {res.get('error_type', 'Runtime.ExitError')}"
        self._log(stream, end + 0.001, report)
        env["busy"] = end + 0.01


# --------------------------------------------------------------------------- server formats
def nginx(sc: Scenario, t: float, ip: str, method: str, path: str, status: int, size: int,
          rt: float, ua: str = "Mozilla/5.0", ref: str = "-") -> str:
    d = sc.at(t)
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" '
            f'{status} {size} "{ref}" "{ua}" rt={rt:.3f} urt="{max(0.0, rt - 0.001):.3f}"')


def pg(sc: Scenario, t: float, level: str, msg: str, client: str | None = None,
       user: str = "", db: str = "", pid: int | None = None) -> str:
    d = sc.at(t)
    pid = pid if pid is not None else sc.rng.randint(1000, 32000)
    who = f"{user}@{db}" if user else "@"
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')} UTC:{client or ''}:{who}:[{pid}]:{level}:  {msg}"


def mysql(sc: Scenario, t: float, thread: int, level: str, code: str, msg: str,
          subsystem: str = "Server") -> str:
    d = sc.at(t)
    return (f"{d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}Z {thread} [{level}] "
            f"[{code}] [{subsystem}] {msg}")


def spring(sc: Scenario, t: float, level: str, thread: str, logger: str, msg: str,
           app: str) -> str:
    return f"{sc.iso(t)} {level:>5} 1 --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


def rails(sc: Scenario, t: float, level: str, msg: str, reqid: str | None = None, pid: int = 1) -> str:
    d = sc.at(t)
    tag = f"[{reqid}] " if reqid else ""
    return (f"{level[0]}, [{d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d} #{pid}] "
            f"{level:>5} -- : {tag}{msg}")


def serilog(sc: Scenario, t: float, level: str, source: str, msg: str) -> str:
    d = sc.at(t)
    return (f"{d.strftime('%Y-%m-%d %H:%M:%S')}.{d.microsecond // 1000:03d} +00:00 [{level}] "
            f"{source}: {msg}")


def gunicorn(sc: Scenario, t: float, pid: int, level: str, msg: str) -> str:
    return f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} +0000] [{pid}] [{level}] {msg}"


def jline(obj: dict) -> str:
    return json.dumps(obj, separators=(",", ":"))


# --------------------------------------------------------------------------- structured app logs
def zap(sc: Scenario, t: float, level: str, msg: str, caller: str, **fields) -> str:
    """Go zap JSON (production encoder)."""
    obj = {"level": level, "ts": round(sc.at(t).timestamp(), 6), "caller": caller, "msg": msg}
    obj.update(fields)
    return jline(obj)


PINO_LEVEL = {"trace": 10, "debug": 20, "info": 30, "warn": 40, "error": 50, "fatal": 60}


def pino(sc: Scenario, t: float, level, msg: str, host: str, pid: int = 1, **kv) -> str:
    """Node pino JSON; `level` is a name (see PINO_LEVEL) or pino's number."""
    obj = {"level": PINO_LEVEL.get(level, level), "time": sc.epoch_ms(t), "pid": pid, "hostname": host}
    obj.update(kv)
    obj["msg"] = msg
    return jline(obj)


def logfmt_writer(time_key: str = "ts", quote_msg: bool = False, specials: str = ' ="',
                  quote_empty: bool = True):
    """A logfmt(sc, t, level, msg, **kv) line builder: `time_key` names the timestamp; a value
    is quoted when it holds one of `specials` (or is empty, with `quote_empty`); the message
    always is with `quote_msg`, else like a value."""

    def q(v) -> str:
        s = str(v)
        return f'"{s}"' if any(c in s for c in specials) or (quote_empty and s == "") else s

    def logfmt(sc: Scenario, t: float, level: str, msg: str, **kv) -> str:
        parts = [f"{time_key}={sc.iso(t)}", f"level={level}", f'msg="{msg}"' if quote_msg else f"msg={q(msg)}"]
        parts += [f"{k}={q(v)}" for k, v in kv.items()]
        return " ".join(parts)

    return logfmt
