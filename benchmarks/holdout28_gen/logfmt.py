"""Log line builders in the formats real runtimes and services emit."""
from __future__ import annotations

import json
import math

from .common import Clock, hexid, log_stream, rid

UNITS = {
    "Invocations": "Count", "Errors": "Count", "Throttles": "Count", "Duration": "Milliseconds",
    "ConcurrentExecutions": "Count",
    "Count": "Count", "4XXError": "Count", "5XXError": "Count", "Latency": "Milliseconds",
    "IntegrationLatency": "Milliseconds",
    "RequestCount": "Count", "TargetResponseTime": "Seconds", "HTTPCode_Target_5XX_Count": "Count",
    "HTTPCode_Target_4XX_Count": "Count", "HTTPCode_ELB_5XX_Count": "Count", "HealthyHostCount": "Count",
    "UnHealthyHostCount": "Count", "TargetConnectionErrorCount": "Count", "ActiveConnectionCount": "Count",
    "CPUUtilization": "Percent", "MemoryUtilization": "Percent", "RunningTaskCount": "Count",
    "NetworkIn": "Bytes", "NetworkOut": "Bytes", "StatusCheckFailed": "Count",
    "mem_used_percent": "Percent", "disk_used_percent": "Percent", "swap_used_percent": "Percent",
    "DatabaseConnections": "Count", "FreeStorageSpace": "Bytes", "FreeableMemory": "Bytes",
    "ReadLatency": "Seconds", "WriteLatency": "Seconds", "ReadIOPS": "Count/Second", "WriteIOPS": "Count/Second",
    "DiskQueueDepth": "Count", "TransactionLogsDiskUsage": "Bytes", "OldestReplicationSlotLag": "Bytes",
}


class Rec:
    """Collects per-minute values for one resource, then emits metric dicts."""

    def __init__(self, ns: str, dims: dict, region: str | None = None):
        self.ns, self.dims, self.region, self.d = ns, dict(dims), region, {}

    def put(self, t: int, **vals):
        for k, v in vals.items():
            if v is None:
                continue
            self.d.setdefault(k, []).append([int(t), round(float(v), 4 if abs(v) < 10 else 3)])

    def metrics(self, order=None):
        out = []
        for k in (order or list(self.d)):
            m = {"namespace": self.ns, "name": k, "dimensions": dict(self.dims), "unit": UNITS.get(k, "None"),
                 "points": self.d[k]}
            if self.region:
                m["region"] = self.region
            out.append(m)
        return out

    def get(self, name):
        m = {"namespace": self.ns, "name": name, "dimensions": dict(self.dims), "points": self.d[name]}
        return m


class LambdaLog:
    """START / app lines / END / REPORT in the shape the Lambda service writes them."""

    def __init__(self, rng, clock: Clock, fn: str, runtime: str, memory: int, streams: int = 3,
                 logger: str = "Handler", version: str = "$LATEST", region: str | None = None):
        self.rng, self.clock, self.fn, self.runtime, self.memory = rng, clock, fn, runtime, memory
        self.logger, self.region, self.version = logger, region, version
        day = clock.at(-LOG_DAY_BACK).strftime("%Y/%m/%d")
        self.streams = {f"{day}/[{version}]{hexid(rng)}": [] for _ in range(streams)}
        self.family = {nm: version for nm in self.streams}
        self.labels = {version: version}
        self.first = {}
        self.busy = {nm: [] for nm in self.streams}
        self._names = list(self.streams)

    def add_streams(self, version: str, n: int, t: float, family: str | None = None):
        """New execution environments; `family` separates environments of the same version label
        (e.g. before/after a configuration change)."""
        day = self.clock.at(t).strftime("%Y/%m/%d")
        names = [f"{day}/[{version}]{hexid(self.rng)}" for _ in range(n)]
        fam = family or version
        self.labels[fam] = version
        for nm in names:
            self.streams[nm] = []
            self.family[nm] = fam
            self.busy[nm] = []
        return names

    def _free(self, nm, a, b):
        return all(e <= a or s >= b for s, e in self.busy[nm][-40:])

    def _pick(self, t, end, stream, version):
        """One execution environment handles one invocation at a time: pick a free log stream or start a new one."""
        fam = self.family[stream] if stream else (version or self.version)
        if stream and self._free(stream, t - 0.05, end + 0.05):
            return stream, False
        cands = [nm for nm in self.streams if self.family[nm] == fam and self._free(nm, t - 0.05, end + 0.05)]
        if cands:
            return self.rng.choice(cands), False
        return self.add_streams(self.labels.get(fam, fam), 1, t, family=fam)[0], True

    def line(self, t, r, level, msg):
        c = self.clock
        rt = self.runtime
        if rt.startswith("python"):
            return f"[{level}]\t{c.iso(t)}\t{r}\t{msg}"
        if rt.startswith("nodejs"):
            return f"{c.iso(t)}\t{r}\t{level}\t{msg}"
        if rt.startswith("java"):
            return f"{c.at(t).strftime('%Y-%m-%d %H:%M:%S')} {r} {level:<5} {self.logger} - {msg}"
        if rt.startswith("dotnet"):
            lv = {"INFO": "info", "WARN": "warn", "ERROR": "fail", "DEBUG": "dbug"}.get(level, level.lower())
            return f"{c.iso(t)}\t{r}\t{lv}\t{msg}"
        # Go on provided.al2023: slog JSON handler
        return json.dumps({"time": c.iso(t), "level": level.replace("WARNING", "WARN"), "msg": msg,
                           "request_id": r}, separators=(",", ":"))

    def invoke(self, t, dur_ms, used_mb, lines=(), r=None, init_ms=None, timeout_s=None, stream=None,
               raw=(), version=None, cold_lines=()):
        r = r or rid(self.rng)
        end = t + dur_ms / 1000.0
        name, _ = self._pick(t, end, stream, version)
        self.first.setdefault(name, []).append((t, r, tuple(cold_lines)))
        self.busy[name].append((t, end))
        ev = self.streams[name]
        ev.append((t, f"START RequestId: {r} Version: {version or self.version}"))
        for off, level, msg in lines:
            ev.append((t + off, self.line(t + off, r, level, msg)))
        for off, msg in raw:
            ev.append((t + off, msg))
        if timeout_s:
            ev.append((end - 0.002, f"{self.clock.iso(end)} {r} Task timed out after {timeout_s:.2f} seconds"))
        ev.append((end, f"END RequestId: {r}"))
        rep = (f"REPORT RequestId: {r}\tDuration: {dur_ms:.2f} ms\tBilled Duration: {math.ceil(dur_ms)} ms\t"
               f"Memory Size: {self.memory} MB\tMax Memory Used: {int(used_mb)} MB")
        if init_ms:
            rep += f"\tInit Duration: {init_ms:.2f} ms"
        if timeout_s:
            rep += "\tStatus: timeout"
        ev.append((end + 0.001, rep))
        return r

    def _finish(self):
        """The chronologically first invocation of each environment is its cold start."""
        base = {"java": 2400, "dotnet": 420, "python": 380, "nodejs": 260}.get(
            next((k for k in ("java", "dotnet", "python", "nodejs") if self.runtime.startswith(k)), ""), 90)
        for name, recs in self.first.items():
            t, r, cold = min(recs, key=lambda x: x[0])
            ev = self.streams[name]
            for off, level, msg in cold:
                ev.append((t + off, self.line(t + off, r, level, msg)))
            for i, (te, msg) in enumerate(ev):
                if msg.startswith(f"REPORT RequestId: {r}") and "Init Duration" not in msg:
                    ev[i] = (te, msg + f"\tInit Duration: {base * self.rng.uniform(0.8, 1.3):.2f} ms")
                    break
        self.first = {}

    def logs(self):
        self._finish()
        return [log_stream(f"/aws/lambda/{self.fn}", s, ev, self.region) for s, ev in self.streams.items() if ev]


LOG_DAY_BACK = 3 * 3600


def py_tb(exc: str, msg: str, frames, chained: str | None = None) -> str:
    """Python traceback text; frames = [(file, line, func, code)]."""
    body = "Traceback (most recent call last):\n" + "".join(
        f'  File "{f}", line {ln}, in {fn}\n    {code}\n' for f, ln, fn, code in frames)
    text = f"{body}{exc}: {msg}"
    if chained:
        text = chained + "\n\nDuring handling of the above exception, another exception occurred:\n\n" + text
    return text


def java_stack(exc: str, msg: str, frames, caused=None, more: int = 0) -> str:
    s = f"{exc}: {msg}" if msg else exc
    s += "".join(f"\n\tat {fr}" for fr in frames)
    if more:
        s += f"\n\t... {more} common frames omitted"
    if caused:
        s += "\nCaused by: " + caused
    return s


def dotnet_stack(exc: str, msg: str, frames, inner=None) -> str:
    s = f"{exc}: {msg}"
    if inner:
        s += "\n ---> " + inner + "\n   --- End of inner exception stack trace ---"
    s += "".join(f"\n   at {fr}" for fr in frames)
    return s


def pg_line(clock: Clock, t, host, user, db, pid, level, msg) -> str:
    hp = f"{host}({40000 + pid % 25000})" if host else ""
    ud = f"{user}@{db}" if user else "@"
    return f"{clock.pg(t)}:{hp}:{ud}:[{pid}]:{level}:  {msg}"


def mysql_err(clock: Clock, t, thread, level, code, subsys, msg) -> str:
    return f"{clock.iso_us(t)} {thread} [{level}] [{code}] [{subsys}] {msg}"


def mysql_slow(clock: Clock, t, user, host, conn_id, qtime, lock, sent, examined, sql) -> str:
    return (f"# Time: {clock.iso_us(t)}\n# User@Host: {user}[{user}] @  [{host}]  Id: {conn_id}\n"
            f"# Query_time: {qtime:.6f}  Lock_time: {lock:.6f} Rows_sent: {sent}  Rows_examined: {examined}\n"
            f"SET timestamp={clock.epoch(t - qtime)};\n{sql}")


def spring(clock: Clock, t, level, thread, logger, msg, app="app", pid=1) -> str:
    return f"{clock.iso(t)} {level:>5} {pid} --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


def ecs_stream(prefix: str, container: str, rng) -> str:
    return f"{prefix}/{container}/{hexid(rng)}"
