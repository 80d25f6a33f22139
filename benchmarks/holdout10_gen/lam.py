"""Lambda execution-environment simulator and runtime log formats.

Invocations are simulated one by one (start time, duration, status) on a pool of execution
environments, so CloudWatch metrics (Invocations, Errors, Throttles, Duration,
ConcurrentExecutions) are computed from the same records the log lines are written from."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np

from .common import LOG_FROM, N, START, TS, Scn

RUNTIME_VERSION = {
    "python3.12": "python:3.12.v38", "python3.11": "python:3.11.v45", "nodejs20.x": "nodejs:20.v33",
    "nodejs18.x": "nodejs:18.v41", "java17": "java:17.v30", "java21": "java:21.v21",
    "provided.al2023": "provided:al2023.v56", "provided.al2": "provided:al2.v78",
}


@dataclass
class Inv:
    status: str = "ok"          # ok | error | timeout | oom | exit
    dur: float = 100.0          # ms (ignored for timeout)
    mem: int = 80               # MB max memory used
    lines: list = field(default_factory=list)   # [(offset_s, text)]
    msg: str = ""               # error message API Gateway would relay
    code: int = 200             # HTTP status the function returned (for API fronts)
    init_lines: list = field(default_factory=list)  # texts logged between INIT_START and START
    report_status: str = ""     # suffix for the REPORT line (e.g. "\tStatus: error\tError Type: ...")
    kill: bool = False          # execution environment is discarded afterwards


@dataclass
class Ctx:
    t: float
    rid: str
    cold: bool
    version: str
    fn: "Fn"


class Fn:
    def __init__(self, s: Scn, name: str, runtime: str, memory: int, timeout: int,
                 reserved: int | None = None, max_streams: int = 10, init_ms=(180, 420)):
        self.s, self.name, self.runtime, self.memory, self.timeout = s, name, runtime, memory, timeout
        self.reserved, self.max_streams, self.init_ms = reserved, max_streams, init_ms
        self.family = ("python" if runtime.startswith("python") else "node" if runtime.startswith("node")
                       else "java" if runtime.startswith("java") else "go")
        self.streams: dict[str, list] = {}
        self.recs: list = []        # (t, rid, status, dur_ms, msg, code, version)
        self.thr = np.zeros(N)
        self._arn_hash = s.hexid(64)

    # ---- runtime log formats -------------------------------------------------------
    def line(self, t: float, rid: str, level: str, msg: str, logger: str = "Handler") -> str:
        s = self.s
        if self.family == "python":
            return f"[{level}]\t{s.iso(t)}\t{rid}\t{msg}"
        if self.family == "node":
            return f"{s.iso(t)}\t{rid}\t{level}\t{msg}"
        if self.family == "java":
            return f"{s.dt(t).strftime('%Y-%m-%d %H:%M:%S')} {rid} {level:<5} {logger} - {msg}"
        return f"{s.dt(t).strftime('%Y/%m/%d %H:%M:%S')} {msg}"

    def node_invoke_error(self, t: float, rid: str, etype: str, emsg: str, stack: list[str]) -> str:
        body = {"errorType": etype, "errorMessage": emsg, "stack": [f"{etype}: {emsg}"] + stack}
        return f"{self.s.iso(t)}\t{rid}\tERROR\tInvoke Error \t{json.dumps(body, separators=(',', ':'))}"

    def java_unhandled(self, etype: str, emsg: str, frames: list[str]) -> str:
        body = {"errorMessage": emsg, "errorType": etype, "stackTrace": frames}
        return json.dumps(body, indent=2)

    # ---- simulation ----------------------------------------------------------------
    def run(self, rate, handler, version=lambda t: "$LATEST", cap=None, reap=(600, 1800),
            counts: bool = False, resets=(), log_from: float = LOG_FROM) -> "Fn":
        """Simulate invocations. ``rate`` = expected invocations per minute (Poisson) or exact counts."""
        s, rng = self.s, self.s.rng
        cap = cap if cap is not None else None
        envs: list[dict] = []
        per_min = np.asarray(rate, dtype=float) if counts else rng.poisson(np.clip(rate, 0, None))
        stream_last: dict[str, float] = {}
        pending = sorted(resets)
        for i in range(N):
            n = int(per_min[i])
            if n == 0:
                continue
            cap_i = cap[i] if isinstance(cap, np.ndarray) else cap
            for t in np.sort(rng.uniform(TS[i], TS[i] + 60, n)):
                t = float(t)
                ver = version(t)
                while pending and t >= pending[0]:     # code/config update: new environments only
                    for e in envs:
                        e["dead"], e["ttl"] = True, 0
                    pending.pop(0)
                envs = [e for e in envs if e["dead"] is False and t - e["idle_since"] < e["ttl"] or e["busy"] > t]
                busy = sum(1 for e in envs if e["busy"] > t)
                free = [e for e in envs if e["busy"] <= t and e["ver"] == ver]
                if cap_i is not None and busy >= cap_i:
                    self.thr[i] += 1
                    continue
                cold = not free
                if cold:
                    env = {"busy": t, "ver": ver, "dead": False, "idle_since": t,
                           "ttl": float(rng.uniform(*reap)), "stream": self._stream(t, ver, stream_last)}
                    envs.append(env)
                else:
                    env = max(free, key=lambda e: e["idle_since"])
                rid = s.rid()
                inv: Inv = handler(Ctx(t, rid, cold, ver, self))
                dur = inv.dur
                if inv.status == "timeout":
                    dur = self.timeout * 1000.0 + float(rng.uniform(0.5, 6))
                init = float(rng.uniform(*self.init_ms)) if cold else 0.0
                end = t + dur / 1000.0
                env["busy"], env["idle_since"] = end, end
                if inv.status in ("timeout", "oom", "exit") or inv.kill:
                    env["dead"] = True
                    env["ttl"] = 0
                self.recs.append((t, rid, inv.status, dur, inv.msg, inv.code, ver))
                if t >= log_from:
                    stream_last[env["stream"]] = end
                    self._emit(env["stream"], t, rid, ver, inv, dur, init, cold)
        return self

    def _stream(self, t: float, ver: str, last: dict) -> str:
        mine = [k for k in self.streams if f"[{ver}]" in k]
        if len(mine) >= self.max_streams:
            # a stream whose last invocation has finished (stream names only matter for grouping)
            done = [k for k in mine if last.get(k, -1e9) <= t] or mine
            return min(done, key=lambda k: last.get(k, -1e9))
        name = f"{self.s.dt(t).strftime('%Y/%m/%d')}/[{ver}]{self.s.hexid(32)}"
        self.streams[name] = []
        return name

    def _emit(self, stream: str, t: float, rid: str, ver: str, inv: Inv, dur: float, init: float, cold: bool):
        ev = self.streams[stream]
        rng = self.s.rng
        if cold:
            ev.append((t - init / 1000.0 - 0.005, f"INIT_START Runtime Version: {RUNTIME_VERSION[self.runtime]}\t"
                       f"Runtime Version ARN: arn:aws:lambda:{self.s.region}::runtime:{self._arn_hash}"))
            for k, text in enumerate(inv.init_lines):
                ev.append((t - init / 1000.0 * (len(inv.init_lines) - k) / (len(inv.init_lines) + 1), text))
        ev.append((t, f"START RequestId: {rid} Version: {ver}"))
        for off, text in inv.lines:
            ev.append((t + min(off, dur / 1000.0), text))
        end = t + dur / 1000.0
        used = inv.mem
        status = inv.report_status
        if inv.status == "timeout":
            ev.append((end, f"{self.s.iso(end)} {rid} Task timed out after {self.timeout:.2f} seconds"))
            status = "\tStatus: timeout"
        elif inv.status == "oom":
            ev.append((end, f"RequestId: {rid} Error: Runtime exited with error: signal: killed\nRuntime.ExitError"))
            used = self.memory
            status = "\tStatus: error\tError Type: Runtime.OutOfMemory"
        elif inv.status == "exit":
            ev.append((end, f"RequestId: {rid} Error: Runtime exited with error: exit status 2\nRuntime.ExitError"))
            status = "\tStatus: error\tError Type: Runtime.ExitError"
        ev.append((end + 0.001, f"END RequestId: {rid}"))
        rep = (f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: {math.ceil(dur)} ms\t"
               f"Memory Size: {self.memory} MB\tMax Memory Used: {min(used, self.memory)} MB")
        if cold and not inv.init_lines:
            rep += f"\tInit Duration: {init:.2f} ms"
        ev.append((end + 0.002 + float(rng.uniform(0, 0.001)), rep + status))

    # ---- outputs -------------------------------------------------------------------
    def stats(self, version: str | None = None) -> dict:
        inv, err, dsum = np.zeros(N), np.zeros(N), np.zeros(N)
        bounds = []
        for t, _rid, st, dur, _m, _c, ver in self.recs:
            if version is not None and ver != version:
                continue
            i = int((t - START) // 60)
            inv[i] += 1
            dsum[i] += dur
            if st != "ok":
                err[i] += 1
            bounds.append((t, 1))
            bounds.append((t + dur / 1000.0, -1))
        conc = np.zeros(N)
        cur = 0
        for tt, d in sorted(bounds):
            cur += d
            i = int((tt - START) // 60)
            if 0 <= i < N and cur > conc[i]:
                conc[i] = cur
        # a minute fully covered by one long execution still shows it running
        dur = np.where(inv > 0, dsum / np.maximum(inv, 1), np.nan)
        return {"inv": inv, "err": err, "thr": self.thr.copy(), "dur": dur, "conc": conc}

    def emit(self, extra_dims: dict | None = None, iterator_age=None, emit_logs: bool = True) -> dict:
        st = self.stats()
        dims = {"FunctionName": self.name}
        s = self.s
        s.metric("AWS/Lambda", "Invocations", dims, "Count", st["inv"])
        s.metric("AWS/Lambda", "Errors", dims, "Count", st["err"])
        s.metric("AWS/Lambda", "Throttles", dims, "Count", st["thr"])
        s.metric("AWS/Lambda", "Duration", dims, "Milliseconds", st["dur"], digits=2)
        s.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", st["conc"])
        if iterator_age is not None:
            s.metric("AWS/Lambda", "IteratorAge", dims, "Milliseconds", iterator_age, digits=0)
        if emit_logs:
            for name, ev in self.streams.items():
                s.log(f"/aws/lambda/{self.name}", name, ev)
        return st


def rest_api(s: Scn, fn: Fn, api_name: str, api_id: str, stage: str, overhead: float = 18.0,
             client_4xx: float = 0.01, extra_count=None, exec_logs: bool = True) -> dict:
    """REST API (Lambda proxy) in front of ``fn``: metrics with ApiName and ApiName+Stage, and
    ERROR-level execution logs for failed integrations."""
    rng = s.rng
    inv, c5, c4, lat_sum, ilat_sum = np.zeros(N), np.zeros(N), np.zeros(N), np.zeros(N), np.zeros(N)
    for t, rid, st, dur, msg, code, _v in fn.recs:
        i = int((t - START) // 60)
        inv[i] += 1
        o = overhead + abs(rng.normal(0, overhead * 0.3))
        lat_sum[i] += dur + o
        ilat_sum[i] += dur + 2
        if st != "ok" or code >= 500:
            c5[i] += 1
        elif code >= 400:
            c4[i] += 1
    thr = fn.thr
    cli = s.pois(client_4xx * (inv + 1))
    count = inv + thr + cli + (extra_count if extra_count is not None else 0)
    lat = (lat_sum + (thr + cli) * 12.0) / np.maximum(inv + thr + cli, 1)
    ilat = ilat_sum / np.maximum(inv, 1)
    series = {"Count": count, "4XXError": c4 + thr + cli, "5XXError": c5, "Latency": lat, "IntegrationLatency": ilat}
    units = {"Count": "Count", "4XXError": "Count", "5XXError": "Count", "Latency": "Milliseconds",
             "IntegrationLatency": "Milliseconds"}
    for dims in ({"ApiName": api_name}, {"ApiName": api_name, "Stage": stage}):
        for k, v in series.items():
            s.metric("AWS/ApiGateway", k, dims, units[k], v, digits=2)
    if exec_logs:
        ev = []
        for t, rid, st, dur, msg, code, _v in fn.recs:
            if t < LOG_FROM or (st == "ok" and code < 500):
                continue
            arid = s.rid()
            te = t + dur / 1000.0 + 0.01
            if st == "ok":
                continue  # a handled 5xx returned by the function is not an integration failure
            ev.append((te, f"({arid}) Lambda execution failed with status 200 due to customer function error: "
                           f"{msg}. Lambda request id: {rid}"))
            ev.append((te + 0.001, f"({arid}) Method completed with status: 502"))
        tmin = 0
        for i in np.nonzero(thr)[0]:
            if TS[i] < LOG_FROM:
                continue
            for t in np.sort(rng.uniform(TS[i], TS[i] + 60, int(thr[i]))):
                arid = s.rid()
                ev.append((t, f"({arid}) Lambda invocation failed with status: 429. Lambda request id: {s.rid()}"))
                ev.append((t + 0.001, f"({arid}) Execution failed due to configuration error: Rate Exceeded."))
                ev.append((t + 0.002, f"({arid}) Method completed with status: 429"))
        streams = [s.hexid(32) for _ in range(3)]
        buckets: dict = {k: [] for k in streams}
        for e in ev:
            buckets[streams[int(rng.integers(0, 3))]].append(e)
        for k, v in buckets.items():
            s.log(f"API-Gateway-Execution-Logs_{api_id}/{stage}", k, v)
    return series


def http_api(s: Scn, fn: Fn, api_id: str, routes: list[str], access_group: str, overhead: float = 6.0,
             client_4xx: float = 0.01, log_from: float = LOG_FROM) -> dict:
    """HTTP API (payload 2.0) in front of ``fn``: metrics by ApiId and ApiId+Stage, JSON access logs."""
    rng = s.rng
    inv, c5, c4, lat_sum, ilat_sum = np.zeros(N), np.zeros(N), np.zeros(N), np.zeros(N), np.zeros(N)
    ev = []
    for t, rid, st, dur, msg, code, _v in fn.recs:
        i = int((t - START) // 60)
        inv[i] += 1
        o = overhead + abs(rng.normal(0, 3))
        lat_sum[i] += dur + o
        ilat_sum[i] += dur + 1
        status = 500 if st != "ok" else code
        if status >= 500:
            c5[i] += 1
        elif status >= 400:
            c4[i] += 1
        if t >= log_from:
            route = routes[int(rng.integers(0, len(routes)))]
            rec = {"requestId": s.hexid(15).upper()[:14] + "=", "ip": f"{int(rng.integers(11, 223))}.{int(rng.integers(0, 255))}."
                   f"{int(rng.integers(0, 255))}.{int(rng.integers(1, 254))}", "requestTime": s.dt(t).strftime("%d/%b/%Y:%H:%M:%S +0000"),
                   "httpMethod": route.split()[0], "routeKey": route, "status": str(status), "protocol": "HTTP/1.1",
                   "responseLength": str(int(rng.integers(30, 2400))), "integrationLatency": str(int(dur)),
                   "integrationErrorMessage": ("The Lambda function returned the following error: " + msg) if st != "ok" else "-"}
            ev.append((t + (dur + o) / 1000.0, json.dumps(rec, separators=(",", ":"))))
    cli = s.pois(client_4xx * (inv + 1))
    count = inv + fn.thr + cli
    series = {"Count": count, "4xx": c4 + cli, "5xx": c5 + fn.thr,
              "Latency": (lat_sum + cli * 4) / np.maximum(inv + cli, 1), "IntegrationLatency": ilat_sum / np.maximum(inv, 1)}
    units = {"Count": "Count", "4xx": "Count", "5xx": "Count", "Latency": "Milliseconds", "IntegrationLatency": "Milliseconds"}
    for dims in ({"ApiId": api_id}, {"ApiId": api_id, "Stage": "$default"}):
        for k, v in series.items():
            s.metric("AWS/ApiGateway", k, dims, units[k], v, digits=2)
    s.log(access_group, f"{api_id}_$default-{s.hexid(8)}", ev)
    return series


def py_unhandled(exc: str, frames: list[tuple]) -> str:
    """How the Python runtime logs an unhandled exception (one multi-line event)."""
    etype, _, emsg = exc.partition(": ")
    tb = "".join(f'  File "{f}", line {ln}, in {fn}\n    {code}\n' for f, ln, fn, code in frames)
    return f"[ERROR] {etype.split('.')[-1]}: {emsg}\nTraceback (most recent call last):\n{tb}".rstrip()


def py_logged_tb(fn: Fn, t: float, rid: str, msg: str, exc: str, frames: list[tuple]) -> str:
    """logger.exception(...) output: message, traceback and exception in one event."""
    tb = "".join(f'  File "{f}", line {ln}, in {func}\n    {code}\n' for f, ln, func, code in frames)
    return fn.line(t, rid, "ERROR", f"{msg}\nTraceback (most recent call last):\n{tb}{exc}")


def java_trace(exc: str, frames: list[str], caused: list[tuple] = ()) -> str:
    out = exc + "".join(f"\n\tat {f}" for f in frames)
    for cexc, cframes, more in caused:
        out += f"\nCaused by: {cexc}" + "".join(f"\n\tat {f}" for f in cframes) + f"\n\t... {more} more"
    return out
