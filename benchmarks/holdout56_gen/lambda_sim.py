"""Lambda invocation model: execution environments, runtime-specific log lines, metrics."""
import json
import math

RUNTIME_VERSIONS = {
    "python3.12": "python:3.12.v38", "python3.11": "python:3.11.v47", "nodejs20.x": "nodejs:20.v33",
    "java21": "java:21.v24", "ruby3.3": "ruby:3.3.v15", "provided.al2023": "provided:al2023.v71",
    "dotnet8": "dotnet:8.v29",
}


class Inv:
    __slots__ = ("start", "dur", "outcome", "lines", "mem", "err", "version")

    def __init__(self, start, dur, outcome, lines, mem, err, version):
        self.start, self.dur, self.outcome = start, dur, outcome
        self.lines, self.mem, self.err, self.version = lines, mem, err, version


class LambdaFn:
    """Collects invocations of one function, then renders metrics and CloudWatch Logs."""

    def __init__(self, sc, name, runtime, memory, timeout, idle_expiry=(900, 2700)):
        self.sc, self.name, self.runtime = sc, name, runtime
        self.memory, self.timeout = memory, timeout
        self.invs, self.throttles = [], {}
        self.resets = []            # times when every warm environment is discarded (deploy/config)
        self.versions = []          # (time, version label) e.g. published version behind an alias
        self.idle_expiry = idle_expiry
        self.group = f"/aws/lambda/{name}"
        self.log_from = None        # overrides the scenario's log window start

    def version_at(self, t):
        label = "$LATEST"
        for when, v in self.versions:
            if t >= when:
                label = v
        return label

    def add(self, start, dur_ms, outcome="ok", lines=(), mem=None, err=None):
        """``lines`` are (offset_seconds, level, message); outcome ok|error|timeout|oom."""
        if outcome == "timeout":
            dur_ms = self.timeout * 1000.0 + self.sc.rng.uniform(1, 40)
        mem = mem if mem is not None else int(self.memory * self.sc.rng.uniform(0.18, 0.3))
        self.invs.append(Inv(start, dur_ms, outcome, list(lines), min(mem, self.memory), err,
                             self.version_at(start)))

    def throttle(self, t, n=1):
        m = int(t // 60) * 60
        self.throttles[m] = self.throttles.get(m, 0) + n

    # ------------------------------------------------------------ metrics
    def emit_metrics(self, with_concurrency=True):
        sc, dims = self.sc, {"FunctionName": self.name}
        per = {}
        for inv in self.invs:
            m = int(inv.start // 60) * 60
            b = per.setdefault(m, [0, 0, 0.0])
            b[0] += 1
            b[1] += inv.outcome != "ok"
            b[2] += inv.dur
        mins = [m for m in sc.minutes() if m in per or m in self.throttles]
        sc.metric("AWS/Lambda", "Invocations", dims, "Count", [(m, per.get(m, [0])[0]) for m in mins])
        sc.metric("AWS/Lambda", "Errors", dims, "Count", [(m, per.get(m, [0, 0])[1]) for m in mins])
        sc.metric("AWS/Lambda", "Throttles", dims, "Count", [(m, self.throttles.get(m, 0)) for m in mins])
        sc.metric("AWS/Lambda", "Duration", dims, "Milliseconds",
                  [(m, per[m][2] / per[m][0]) for m in mins if m in per])
        if with_concurrency:
            ticks = {}
            for inv in self.invs:
                t = math.floor(inv.start / 10) * 10
                while t <= inv.start + inv.dur / 1000.0:
                    ticks[t] = ticks.get(t, 0) + 1
                    t += 10
            conc = {}
            for t, c in ticks.items():
                m = int(t // 60) * 60
                conc[m] = max(conc.get(m, 0), c)
            sc.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count",
                      [(m, max(1, conc.get(m, 1))) for m in mins if m in per])
        return per

    # --------------------------------------------------------------- logs
    def emit_logs(self):
        sc, rng = self.sc, self.sc.rng
        envs, streams = [], {}
        resets = sorted(self.resets)
        for inv in sorted(self.invs, key=lambda i: i.start):
            if inv.start < (self.log_from if self.log_from is not None else sc.log_from):
                continue
            end = inv.start + inv.dur / 1000.0
            envs = [e for e in envs if not any(e["born"] < r <= inv.start for r in resets)
                    and inv.start - e["free"] < e["ttl"]]
            env = next((e for e in envs if e["free"] <= inv.start), None)
            cold = env is None
            if cold:
                day = sc.at(inv.start).strftime("%Y/%m/%d")
                tag = "$LATEST" if inv.version == "$LATEST" else inv.version
                env = {"stream": f"{day}/[{tag}]{sc.hexid()}", "free": inv.start, "born": inv.start,
                       "ttl": rng.uniform(*self.idle_expiry)}
                envs.append(env)
                streams[env["stream"]] = []
                init = rng.uniform(180, 900) if not self.runtime.startswith("java") else rng.uniform(2200, 4200)
                rv = RUNTIME_VERSIONS.get(self.runtime, self.runtime)
                streams[env["stream"]].append((inv.start - init / 1000.0 - 0.01,
                    f"INIT_START Runtime Version: {rv}\tRuntime Version ARN: "
                    f"arn:aws:lambda:{sc.region}::runtime:{_h(sc, 64)}"))
            env["free"] = end + 0.05
            ev = streams[env["stream"]]
            rid = sc.uid()
            ver = inv.version if inv.version != "$LATEST" else "$LATEST"
            ev.append((inv.start, f"START RequestId: {rid} Version: {ver}"))
            for off, level, msg in inv.lines:
                ev.append((inv.start + off, self.fmt(inv.start + off, rid, level, msg)))
            if inv.outcome == "error" and inv.err:
                ev.append((end - 0.002, self.unhandled(end - 0.002, rid, inv.err)))
            if inv.outcome == "timeout":
                ev.append((end - 0.001, f"{sc.iso(end - 0.001)} {rid} Task timed out after "
                                        f"{inv.dur / 1000.0:.2f} seconds"))
            ev.append((end, f"END RequestId: {rid}"))
            rep = (f"REPORT RequestId: {rid}\tDuration: {inv.dur:.2f} ms\tBilled Duration: "
                   f"{math.ceil(inv.dur)} ms\tMemory Size: {self.memory} MB\tMax Memory Used: {inv.mem} MB")
            if cold:
                rep += f"\tInit Duration: {rng.uniform(150, 850):.2f} ms"
            if inv.outcome == "timeout":
                rep += "\tStatus: timeout"
            elif inv.outcome == "oom":
                rep += "\tStatus: error\tError Type: Runtime.OutOfMemory"
            ev.append((end + 0.001, rep))
        for stream, ev in streams.items():
            sc.log(self.group, stream, ev)

    # ------------------------------------------------------- formatting
    def fmt(self, t, rid, level, msg):
        sc, rt = self.sc, self.runtime
        if rt.startswith("python"):
            lv = {"WARN": "WARNING"}.get(level, level)
            return f"[{lv}]\t{sc.iso(t)}\t{rid}\t{msg}"
        if rt.startswith("nodejs"):
            return f"{sc.iso(t)}\t{rid}\t{level}\t{msg}"
        if rt.startswith("java"):
            return f"{sc.stamp(t, ms=True)} {rid} {level:<5} {msg}"
        if rt.startswith("ruby"):
            t0 = sc.at(t)
            return (f"{level[0]}, [{t0.strftime('%Y-%m-%dT%H:%M:%S')}.{t0.microsecond:06d} #8] "
                    f"{level:>5} -- : [{rid}] {msg}")
        if rt.startswith("provided"):
            body = {"time": sc.iso(t), "level": level, "msg": msg, "request_id": rid}
            if isinstance(msg, dict):
                body = {"time": sc.iso(t), "level": level, **msg, "request_id": rid}
            return json.dumps(body, separators=(",", ":"))
        return msg

    def unhandled(self, t, rid, err):
        sc, rt = self.sc, self.runtime
        etype, emsg, trace = err["type"], err["message"], err.get("trace", [])
        if rt.startswith("python"):
            tb = "\n".join(trace)
            return f"[ERROR] {etype}: {emsg}\nTraceback (most recent call last):\n{tb}"
        if rt.startswith("nodejs"):
            body = {"errorType": etype, "errorMessage": emsg, "stack": [f"{etype}: {emsg}"] + trace}
            return f"{sc.iso(t)}\t{rid}\tERROR\tInvoke Error \t{json.dumps(body)}"
        if rt.startswith("ruby"):
            body = {"errorMessage": emsg, "errorType": f"Function<{etype}>", "stackTrace": trace}
            return "Error raised from handler method\n" + json.dumps(body)
        body = {"errorMessage": emsg, "errorType": etype}
        if trace:
            body["stackTrace"] = trace
        return json.dumps(body)


def _h(sc, n):
    return sc.hexid(n)
