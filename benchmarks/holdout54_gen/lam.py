"""Lambda invocation simulator: per-minute metrics and runtime-faithful log streams."""
import json
import math

from .core import END, START

RID = "%RID%"

_RUNTIME_VERSION = {
    "python3.11": "python:3.11.v41", "python3.12": "python:3.12.v38",
    "nodejs20.x": "nodejs:20.v33", "nodejs18.x": "nodejs:18.v45",
    "java17": "java:17.v30", "java21": "java:21.v22", "ruby3.3": "ruby:3.3.v12",
    "provided.al2023": "provided:al2023.v64", "dotnet8": "dotnet:8.v27",
}


class Inv(object):
    """Outcome of one invocation."""
    __slots__ = ("kind", "dur", "mem", "logs", "err")

    def __init__(self, kind="ok", dur=100.0, mem=128, logs=(), err=None):
        self.kind = kind          # ok | error | timeout | crash
        self.dur = dur            # milliseconds
        self.mem = mem            # MB
        self.logs = list(logs)    # [(level, message)]; level RAW = verbatim
        self.err = err            # (type, message, [frames]) for error / crash


class LambdaFn(object):
    def __init__(self, S, name, runtime, memory, timeout, log_from=-10800,
                 versions=None, max_envs=16, logger="handler"):
        self.S = S
        self.name = name
        self.runtime = runtime
        self.memory = memory
        self.timeout = timeout
        self.log_from = log_from
        self.versions = versions or [(START, "$LATEST")]
        self.max_envs = max_envs
        self.logger = logger
        self.dims = {"FunctionName": name}
        self._streams = {}
        self._envs = []
        self._rtarn = S.hexid(64)

    # ------------------------------------------------------------------ run
    def run(self, rate_fn, behave, throttle_fn=None, conc_floor=0):
        S, rng = self.S, self.S.rng
        inv, thr, conc = [], [], []
        err_b, dur_b = {}, {}
        for t in range(START, END + 1, 60):
            n = S.poisson(rate_fn(t))
            offs = sorted(rng.uniform(0.0, 59.9) for _ in range(n))
            outs = [(t + o, behave(t + o)) for o in offs]
            for tt, o in outs:
                b = int((tt + o.dur / 1000.0) // 60) * 60
                err_b[b] = err_b.get(b, 0) + (1 if o.kind != "ok" else 0)
                dur_b.setdefault(b, []).append(o.dur)
            inv.append([t, float(n)])
            busy = sum(o.dur for _, o in outs) / 60000.0
            c = int(math.ceil(busy * rng.uniform(1.2, 1.6))) if n else 0
            c = max(c, conc_floor, 1 if n else 0)
            th = S.poisson(throttle_fn(t)) if throttle_fn else 0
            thr.append([t, float(th)])
            conc.append([t, float(c)])
            if t >= self.log_from - 900:
                for tt, o in outs:
                    self._emit(tt, o)
        err = [[t, float(err_b.get(t, 0))] for t in range(START, END + 1, 60)]
        dur = [[t, round(sum(dur_b[t]) / len(dur_b[t]), 2)] for t in range(START, END + 1, 60) if t in dur_b]
        S.metric("AWS/Lambda", "Invocations", self.dims, "Count", inv)
        S.metric("AWS/Lambda", "Errors", self.dims, "Count", err)
        S.metric("AWS/Lambda", "Throttles", self.dims, "Count", thr)
        S.metric("AWS/Lambda", "Duration", self.dims, "Milliseconds", dur)
        S.metric("AWS/Lambda", "ConcurrentExecutions", self.dims, "Count", conc)
        for (stream, _v), events in sorted(self._streams.items(), key=lambda kv: kv[1][0][0] if kv[1] else 0):
            if events:
                S.log("/aws/lambda/" + self.name, stream, events)
        return {"inv": inv, "err": err}

    # ------------------------------------------------------------ internals
    def _version_at(self, t):
        cur = self.versions[0][1]
        for vt, label in self.versions:
            if t >= vt:
                cur = label
        return cur

    def _env(self, t):
        ver = self._version_at(t)
        free = [e for e in self._envs if e["ver"] == ver and e["alive"] and e["busy"] <= t]
        if free:
            env = self.S.rng.choice(free)
            if env.get("reinit"):
                env["reinit"] = False
                return env, True
            return env, False
        same = [e for e in self._envs if e["ver"] == ver and e["alive"]]
        if len(same) >= self.max_envs:
            return self.S.rng.choice(same), False
        w = self.S.wall(t)
        stream = "%s/[%s]%s" % (w.strftime("%Y/%m/%d"), ver, self.S.hexid(32))
        env = {"stream": stream, "ver": ver, "alive": True, "busy": t, "reinit": False}
        self._envs.append(env)
        return env, True

    def _emit(self, t, o):
        S = self.S
        env, cold = self._env(t)
        env["busy"] = t + o.dur / 1000.0
        if t < self.log_from:
            if o.kind == "crash":
                env["reinit"] = True
            return
        rid = S.uid()
        out = []
        init = None
        if cold:
            init = round(S.rng.uniform(180, 420) * (4.5 if self.runtime.startswith("java") or
                                                  self.runtime.startswith("dotnet") else 1.0), 2)
            out.append((t - init / 1000.0 - 0.002, "INIT_START Runtime Version: %s\tRuntime Version ARN: "
                        "arn:aws:lambda:%s::runtime:%s" % (_RUNTIME_VERSION.get(self.runtime, self.runtime),
                                                          S.region, self._rtarn)))
        ver_label = env["ver"] if env["ver"] != "$LATEST" else "$LATEST"
        out.append((t, "START RequestId: %s Version: %s" % (rid, ver_label)))
        span = o.dur / 1000.0
        k = len(o.logs)
        for i, (lvl, msg) in enumerate(o.logs):
            tt = t + 0.004 + span * (i + 0.5) / (k + 1.0) * 0.95
            out.append((tt, self._fmt(tt, rid, lvl, msg.replace(RID, rid))))
        tend = t + span
        if o.kind == "timeout":
            out.append((tend - 0.001, "%s %s Task timed out after %.2f seconds" % (S.iso(tend), rid, self.timeout)))
        elif o.kind in ("error", "crash"):
            out.append((tend - 0.002, self._error(tend - 0.002, rid, o)))
        out.append((tend + 0.001, "END RequestId: %s" % rid))
        rep = "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB" % (
            rid, o.dur, int(math.ceil(o.dur)), self.memory, o.mem)
        if init is not None:
            rep += "\tInit Duration: %.2f ms" % init
        if o.kind == "timeout":
            rep += "\tStatus: timeout"
        elif o.kind == "crash":
            rep += "\tStatus: error\tError Type: Runtime.ExitError"
        out.append((tend + 0.002, rep))
        if o.kind == "crash":
            env["reinit"] = True      # the runtime restarts (new INIT) in the same environment
        self._streams.setdefault((env["stream"], env["ver"]), []).extend(out)

    def _fmt(self, t, rid, lvl, msg):
        S, rt = self.S, self.runtime
        if lvl == "RAW":
            return msg
        if rt.startswith("python"):
            return "[%s]\t%s\t%s\t%s" % (lvl, S.iso(t), rid, msg)
        if rt.startswith("nodejs"):
            return "%s\t%s\t%s\t%s" % (S.iso(t), rid, lvl, msg)
        if rt.startswith("java"):
            w = S.wall(t)
            return "%s.%03d %s %-5s %s - %s" % (w.strftime("%Y-%m-%d %H:%M:%S"), w.microsecond // 1000,
                                               rid, lvl, self.logger, msg)
        if rt.startswith("ruby"):
            return "%s, [%s #8] %5s -- : [%s] %s" % (lvl[0], S.iso_us(t), lvl, rid, msg)
        if rt.startswith("dotnet"):
            short = {"INFO": "info", "WARN": "warn", "ERROR": "fail", "DEBUG": "dbug"}[lvl]
            return "%s\t%s\t%s\t%s" % (S.iso(t), rid, short, msg)
        # provided runtimes (Go): slog JSON
        return json.dumps({"time": S.iso(t), "level": lvl, "msg": msg, "request_id": rid},
                          separators=(",", ":"))

    def _error(self, t, rid, o):
        S, rt = self.S, self.runtime
        etype, emsg, frames = o.err
        if o.kind == "crash":
            return "%s\nRequestId: %s Error: Runtime exited with error: exit status 2\nRuntime.ExitError" % (emsg, rid)
        if rt.startswith("python"):
            return "[ERROR] %s: %s\nTraceback (most recent call last):\n%s" % (etype, emsg, "\n".join(frames))
        if rt.startswith("nodejs"):
            body = {"errorType": etype, "errorMessage": emsg,
                    "stack": ["%s: %s" % (etype, emsg)] + list(frames)}
            return "%s\t%s\tERROR\tInvoke Error \t%s" % (S.iso(t), rid, json.dumps(body))
        if rt.startswith("java"):
            return json.dumps({"errorMessage": emsg, "errorType": etype, "stackTrace": list(frames)})
        if rt.startswith("ruby"):
            return "Error raised from handler method\n" + json.dumps(
                {"errorMessage": emsg, "errorType": "Function<%s>" % etype, "stackTrace": list(frames)})
        if rt.startswith("dotnet"):
            return "%s\t%s\tfail\t%s: %s\n%s" % (S.iso(t), rid, etype, emsg, "\n".join(frames))
        return json.dumps({"errorMessage": emsg, "errorType": etype})
