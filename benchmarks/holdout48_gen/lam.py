"""Lambda execution-environment simulator that emits real runtime log lines and CloudWatch metrics."""
import heapq
import json
import math

RUNTIMES = {
    "python3.12": ("python", "python:3.12.v36"),
    "python3.11": ("python", "python:3.11.v45"),
    "nodejs20.x": ("node", "nodejs:20.v33"),
    "nodejs18.x": ("node", "nodejs:18.v41"),
    "java21": ("java", "java:21.v19"),
    "java17": ("java", "java:17.v28"),
    "dotnet8": ("dotnet", "dotnet:8.v25"),
    "provided.al2023": ("go", "provided:al2023.v62"),
}
_PY = {"INFO": "INFO", "WARN": "WARNING", "ERROR": "ERROR", "DEBUG": "DEBUG"}
_NET = {"INFO": "info", "WARN": "warn", "ERROR": "fail", "DEBUG": "dbug", "CRIT": "crit"}


class Fn:
    def __init__(self, sc, name, runtime, memory, timeout, log_from=-10800, version="$LATEST",
                 logger="Handler", max_age=(5400, 9000), idle=(420, 1500)):
        self.sc, self.ctx, self.name = sc, sc.ctx, name
        self.runtime, self.memory, self.timeout = runtime, memory, timeout
        self.kind, self.rv = RUNTIMES[runtime]
        self.rv_arn = "arn:aws:lambda:%s::runtime:%s" % (sc.region, self.ctx.hex(64))
        self.log_from, self.version, self.logger = log_from, version, logger
        self.max_age, self.idle = max_age, idle
        self.streams, self.envs, self.stats = {}, [], {}
        self.pending = []  # (t, attrs)

    # -- environment pool ------------------------------------------------------
    def _new_env(self, t, prewarm=False):
        r = self.ctx.r
        env = {"stream": "%s/[%s]%s" % (self.ctx.day(t), self.version, self.ctx.hex(32)),
               "busy": t, "last": t, "born": t, "prewarm": prewarm,
               "age": r.uniform(*self.max_age), "idle": r.uniform(*self.idle)}
        self.envs.append(env)
        return env

    def prewarm(self, t, n):
        for _ in range(n):
            e = self._new_env(t - self.ctx.r.uniform(60, 1800), prewarm=True)
            e["busy"] = e["last"] = t - self.ctx.r.uniform(1, 30)

    def reconfigure(self, t, **attrs):
        """Config change or new version: existing environments are retired after t."""
        self.pending.append((t, attrs))
        self.pending.sort(key=lambda p: p[0])

    def _apply(self, t):
        while self.pending and self.pending[0][0] <= t:
            _, attrs = self.pending.pop(0)
            for k, v in attrs.items():
                setattr(self, k, v)
            self.envs = [e for e in self.envs if e["busy"] > t]
            for e in self.envs:
                e["retire"] = True

    def _pick(self, t):
        self.envs = [e for e in self.envs
                     if not (e.get("retire") and e["busy"] <= t)
                     and not (e["busy"] <= t and (t - e["last"] > e["idle"] or t - e["born"] > e["age"]))]
        free = [e for e in self.envs if e["busy"] <= t and not e.get("retire")]
        if free:
            env = max(free, key=lambda e: e["last"])
            if env.pop("reinit", False):
                return env, True
            return env, False
        return self._new_env(t), True

    # -- log formatting ----------------------------------------------------------
    def emit(self, stream, t, text):
        if t >= self.log_from:
            self.streams.setdefault(stream, []).append((t, text))

    def fmt(self, t, rid, level, msg, logger=None):
        c, k = self.ctx, self.kind
        if k == "python":
            return "[%s]\t%s\t%s\t%s" % (_PY.get(level, level), c.iso(t), rid or "", msg)
        if k == "node":
            return "%s\t%s\t%s\t%s" % (c.iso(t), rid or "undefined", level, msg)
        if k == "java":
            return "%s %s %-5s %s - %s" % (c.stamp(t) , rid or "", level, logger or self.logger, msg)
        if k == "dotnet":
            return "%s\t%s\t%s\t%s" % (c.iso(t), rid or "", _NET.get(level, level), msg)
        fields = {"time": c.iso6(t)[:-4] + "Z", "level": level}
        if isinstance(msg, tuple):
            fields["msg"] = msg[0]
            fields.update(msg[1])
        else:
            fields["msg"] = msg
        if rid:
            fields["requestId"] = rid
        return json.dumps(fields, separators=(",", ":"))

    def unhandled(self, etype, emsg, stack):
        """Runtime-native lines for an exception escaping the handler: list of (level, text)."""
        if self.kind == "python":
            return [(None, "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the "
                           "function code. However, in rare cases, a Lambda runtime update can cause "
                           "unexpected function behavior. For functions using managed runtimes, runtime "
                           "updates can be triggered by a function change, or can be applied automatically. "
                           "To determine if the runtime has been updated, check the runtime version in the "
                           "INIT_START log entry. If this error correlates with a change in the runtime "
                           "version, you may be able to mitigate this error by temporarily rolling back to "
                           "the previous runtime version. For more information, see "
                           "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"),
                    (None, "[ERROR] %s: %s\nTraceback (most recent call last):\n%s" % (etype, emsg, stack))]
        if self.kind == "node":
            body = {"errorType": etype, "errorMessage": emsg,
                    "stack": ["%s: %s" % (etype, emsg)] + ["    " + s for s in stack.split("\n")]}
            return [("ERROR", "Invoke Error \t" + json.dumps(body, separators=(",", ":")))]
        if self.kind == "java":
            return [(None, json.dumps({"errorMessage": emsg, "errorType": etype,
                                       "stackTrace": stack.split("\n")}, indent=2))]
        if self.kind == "dotnet":
            return [("ERROR", "%s: %s\n%s" % (etype, emsg, stack))]
        return [(None, json.dumps({"errorMessage": emsg, "errorType": etype}, separators=(",", ":")))]

    # -- invocation ----------------------------------------------------------------
    def invoke(self, t, spec_fn, *args):
        c, r = self.ctx, self.ctx.r
        self._apply(t)
        env, cold = self._pick(t)
        busy = 1 + sum(1 for e in self.envs if e["busy"] > t and e is not env)
        rid = c.uuid()
        spec = spec_fn(t, cold, rid, *args)
        outcome = spec.get("outcome", "ok")
        dur = float(spec["duration"])
        if outcome == "timeout":
            dur = self.timeout * 1000.0 + r.uniform(1.5, 60)
        dur = min(dur, self.timeout * 1000.0 + 60)
        init = spec.get("init", r.uniform(180, 420)) if cold else None
        if cold and t - init / 1000.0 - 0.06 < env["busy"]:
            t = env["busy"] + init / 1000.0 + r.uniform(0.07, 0.2)  # re-init only after the reset sandbox is free
        st = env["stream"]
        if cold:
            t0 = t - init / 1000.0 - r.uniform(0.01, 0.06)
            self.emit(st, t0, "INIT_START Runtime Version: %s\tRuntime Version ARN: %s" % (self.rv, self.rv_arn))
            for item in spec.get("init_lines", []):
                off, lvl, msg = item[:3]
                tt = t0 + off / 1000.0
                self.emit(st, tt, msg if lvl is None else self.fmt(tt, None, lvl, msg, item[3] if len(item) > 3 else None))
        self.emit(st, t, "START RequestId: %s Version: %s" % (rid, self.version))
        for item in spec.get("lines", []):
            off, lvl, msg = item[:3]
            lg = item[3] if len(item) > 3 else spec.get("logger")
            tt = t + min(off, dur - 0.5) / 1000.0
            self.emit(st, tt, msg if lvl is None else self.fmt(tt, rid, lvl, msg, lg))
        end = t + dur / 1000.0
        if outcome in ("oom", "crash"):
            sig = spec.get("signal", "signal: killed")
            self.emit(st, end - 0.0004, "RequestId: %s Error: Runtime exited with error: %s\nRuntime.ExitError" % (rid, sig))
        self.emit(st, end, "END RequestId: %s" % rid)
        billed = math.ceil(dur + (init if (cold and self.kind == "go") else 0))
        used = int(min(self.memory, spec.get("mem", self.memory * 0.3)))
        rep = ("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\t"
               "Max Memory Used: %d MB" % (rid, dur, billed, self.memory, used))
        if cold:
            rep += "\tInit Duration: %.2f ms" % init
        if outcome == "timeout":
            rep += "\tStatus: timeout"
        elif outcome == "oom":
            rep += "\tStatus: error\tError Type: Runtime.OutOfMemory"
        elif outcome == "crash":
            rep += "\tStatus: error\tError Type: Runtime.ExitError"
        self.emit(st, end + 0.001, rep)
        if outcome == "timeout":
            self.emit(st, end + 0.003, "%s %s Task timed out after %.2f seconds" % (c.iso(end), rid, dur / 1000.0))
        env["busy"] = env["last"] = end
        if outcome in ("timeout", "oom", "crash"):
            env["reinit"] = True  # sandbox is reset: same log stream, next invoke re-runs INIT
        if end > 0:  # still running at "now": not yet in CloudWatch metrics
            return rid, spec, outcome
        m = int(math.floor(t / 60.0) * 60)
        s = self.stats.setdefault(m, {"n": 0, "err": 0, "dur": 0.0, "conc": 0, "cold": 0,
                                      "s5": 0, "s4": 0, "lat": 0.0})
        s["n"] += 1
        s["err"] += outcome != "ok"
        s["dur"] += dur
        s["conc"] = max(s["conc"], busy)
        s["cold"] += cold
        status = spec.get("status", 502 if outcome != "ok" else 200)
        s["s5"] += status >= 500
        s["s4"] += 400 <= status < 500
        s["lat"] += dur + (init if cold else 0) + r.uniform(8, 30)
        return rid, spec, outcome

    # -- outputs ---------------------------------------------------------------------
    def flush_logs(self):
        for st, evs in self.streams.items():
            self.sc.log("/aws/lambda/" + self.name, st, evs)

    def series(self, times, key):
        out = []
        for t in times:
            s = self.stats.get(t)
            if not s or not s["n"]:
                out.append(None if key in ("dur", "conc", "lat") else 0.0)
            elif key in ("dur", "lat"):
                out.append(s[key] / s["n"])
            else:
                out.append(float(s[key]))
        return out

    def emit_metrics(self, times, throttles=None):
        dims = {"FunctionName": self.name}
        self.sc.metric("AWS/Lambda", "Invocations", dims, "Count", times, self.series(times, "n"))
        self.sc.metric("AWS/Lambda", "Errors", dims, "Count", times, self.series(times, "err"))
        self.sc.metric("AWS/Lambda", "Throttles", dims, "Count", times,
                       throttles if throttles is not None else [0.0] * len(times))
        self.sc.metric("AWS/Lambda", "Duration", dims, "Milliseconds", times, self.series(times, "dur"), nd=2)
        self.sc.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", times, self.series(times, "conc"))


def drive(fn, times, rate_fn, spec_fn):
    """Poisson arrivals per minute at rate_fn(minute)."""
    c = fn.ctx
    for tm in times:
        n = c.poisson(rate_fn(tm))
        for t in sorted(tm + c.r.random() * 60 for _ in range(n)):
            fn.invoke(t, spec_fn)


def drive_async(fn, starts, spec_fn, retries=2):
    """Asynchronous (EventBridge/S3) invocations with Lambda's built-in retries after ~1 and ~2 min."""
    r = fn.ctx.r
    heap = [(t, 0, i) for i, t in enumerate(starts)]
    heapq.heapify(heap)
    while heap:
        t, attempt, event_id = heapq.heappop(heap)
        _, spec, outcome = fn.invoke(t, spec_fn, attempt, event_id)
        if outcome != "ok" and attempt < retries:
            done = t + float(spec.get("duration", 0)) / 1000.0
            if outcome == "timeout":
                done = t + fn.timeout
            heapq.heappush(heap, (done + 60 * (attempt + 1) + r.uniform(0, 25), attempt + 1, event_id))


def apigw(sc, api, times, fns, extra_4xx=0.3, base_latency=(12, 35), throttled=None):
    """REST API metrics (ApiName dimension) derived from the integrated functions' invocations.
    Lambda throttles (429) surface as 500 to proxy-integration clients."""
    c = sc.ctx
    cnt, e4, e5, lat, ilat = [], [], [], [], []
    for i, t in enumerate(times):
        n = sum(f.stats.get(t, {}).get("n", 0) for f in fns)
        th = throttled[i] if throttled else 0
        x4 = c.poisson(extra_4xx * max(n, 1) / 20.0)
        s5 = sum(f.stats.get(t, {}).get("s5", 0) for f in fns)
        s4 = sum(f.stats.get(t, {}).get("s4", 0) for f in fns)
        cnt.append(float(n + th + x4))
        e4.append(float(s4 + x4))
        e5.append(float(s5 + th))
        if n:
            il = sum(f.stats.get(t, {}).get("lat", 0.0) for f in fns) / n
            ilat.append(il)
            lat.append(il + c.r.uniform(*base_latency))
        else:
            ilat.append(None)
            lat.append(None)
    d = {"ApiName": api}
    sc.metric("AWS/ApiGateway", "Count", d, "Count", times, cnt)
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", times, e4)
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", times, e5)
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", times, lat, nd=2)
    sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", times, ilat, nd=2)


def drive_workers(fn, starts, until, spec_fn, gap=(0.05, 0.6)):
    """Queue pollers: each worker starts its next invocation right after the previous one ends."""
    r = fn.ctx.r
    heap = [(t, w) for w, t in enumerate(starts)]
    heapq.heapify(heap)
    while heap:
        t, w = heapq.heappop(heap)
        if t >= until:
            continue
        _, spec, outcome = fn.invoke(t, spec_fn)
        nxt = t + (fn.timeout if outcome == "timeout" else float(spec["duration"]) / 1000.0) + r.uniform(*gap)
        heapq.heappush(heap, (nxt, w))
