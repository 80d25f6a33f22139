"""Lambda functions: per-minute metrics and runtime-accurate CloudWatch log streams.

A handler is called once per invocation as handler(ctx, t, rid, is_err) and returns
a dict: lines=[(dt, level, text)] with level in I/W/E/D, dur (ms), mem (MB), and
optionally status ('timeout' | 'oom' | 'crash'), init (cold-start ms), crash (text).
"""
import json
import math

from .common import LOG_FROM, MINUTES

_LEVELS = {
    "python": {"I": "INFO", "W": "WARNING", "E": "ERROR", "D": "DEBUG"},
    "node": {"I": "INFO", "W": "WARN", "E": "ERROR", "D": "DEBUG"},
    "java": {"I": "INFO", "W": "WARN", "E": "ERROR", "D": "DEBUG"},
    "go": {"I": "INFO", "W": "WARN", "E": "ERROR", "D": "DEBUG"},
    "ruby": {"I": "INFO", "W": "WARN", "E": "ERROR", "D": "DEBUG"},
    "dotnet": {"I": "info", "W": "warn", "E": "fail", "D": "dbug"},
}


def family(runtime):
    for key, fam in (("python", "python"), ("nodejs", "node"), ("java", "java"),
                     ("provided", "go"), ("go", "go"), ("ruby", "ruby"), ("dotnet", "dotnet")):
        if runtime.startswith(key):
            return fam
    raise ValueError(runtime)


def fmt_line(ctx, fam, t, rid, level, text):
    lv = _LEVELS[fam][level]
    if fam == "python":
        return "[%s]\t%s\t%s\t%s" % (lv, ctx.iso(t), rid, text)
    if fam in ("node", "dotnet"):
        return "%s\t%s\t%s\t%s" % (ctx.iso(t), rid, lv, text)
    if fam == "java":
        return "%s %s %-5s %s" % (ctx.ms_stamp(t), rid, lv, text)
    if fam == "go":
        return json.dumps({"time": ctx.iso(t), "level": lv, "msg": text, "request_id": rid})
    if fam == "ruby":
        return "%s, [%s #8] %5s -- %s: %s" % (lv[0], ctx.iso_us(t), lv, rid, text)
    raise ValueError(fam)


def lambda_function(ctx, name, runtime, memory, timeout, inv, errs, handler, *,
                    log_from=LOG_FROM, streams=2, version_fn=None, throttles=None,
                    conc=None, region=None, log=True):
    """Emit Invocations/Errors/Throttles/Duration/ConcurrentExecutions and the log group."""
    fam = family(runtime)
    durs, concs = {}, {}
    events = {}
    stream_names = {}
    for t in MINUTES:
        n = int(inv.get(t, 0))
        e = min(int(errs.get(t, 0)), n)
        kinds = [True] * e + [False] * (n - e)
        ctx.rng.shuffle(kinds)
        total, longest = 0.0, 0.0
        for is_err in kinds:
            st = t + ctx.uni(0.0, 59.6)
            rid = ctx.uid()
            r = handler(ctx, st, rid, is_err)
            d = r["dur"]
            total += d
            longest = max(longest, d)
            if not log or st < log_from or st + d / 1000.0 > -0.3:
                continue
            ver = version_fn(st) if version_fn else "$LATEST"
            names = stream_names.setdefault(ver, [])
            if len(names) < streams:
                names.append("%s/[%s]%s" % (ctx.stamp(st, "%Y/%m/%d"), ver, ctx.hexs(32)))
            sname = ctx.pick(names)
            ev = events.setdefault(sname, [])
            ev.append((st, "START RequestId: %s Version: %s" % (rid, ver)))
            for dt, lv, text in r.get("lines", []):
                tt = st + max(0.001, min(dt, d / 1000.0 - 0.002))
                ev.append((tt, fmt_line(ctx, fam, tt, rid, lv, text)))
            end = st + d / 1000.0
            status = r.get("status")
            tail = ""
            if status == "timeout":
                ev.append((end - 0.001, "%s %s Task timed out after %.2f seconds" % (ctx.iso(end), rid, timeout)))
                tail = "\tStatus: timeout"
            elif status == "oom":
                ev.append((end - 0.001, "RequestId: %s Error: Runtime exited with error: signal: killed\n"
                                        "Runtime.OutOfMemory" % rid))
                tail = "\tStatus: error\tError Type: Runtime.OutOfMemory"
            elif status == "crash":
                ev.append((end - 0.001, "RequestId: %s Error: Runtime exited with error: exit status 2\n"
                                        "Runtime.ExitError" % rid))
                tail = "\tStatus: error\tError Type: Runtime.ExitError"
            ev.append((end, "END RequestId: %s" % rid))
            init = "\tInit Duration: %.2f ms" % r["init"] if r.get("init") else ""
            ev.append((end + 0.001, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\t"
                                    "Memory Size: %d MB\tMax Memory Used: %d MB%s%s"
                       % (rid, d, int(math.ceil(d)), memory, min(memory, int(r["mem"])), init, tail)))
        durs[t] = total / n if n else None
        if conc is not None:
            concs[t] = conc[t]
        else:
            concs[t] = (max(1, math.ceil(n * (total / n) / 60000.0 * 1.4 + ctx.uni(0, 1))) if n else 0)
    dims = {"FunctionName": name}
    ctx.metric("AWS/Lambda", "Invocations", dims, "Count", {t: inv.get(t, 0) for t in MINUTES},
               integer=True, region=region)
    ctx.metric("AWS/Lambda", "Errors", dims, "Count", {t: errs.get(t, 0) for t in MINUTES},
               integer=True, region=region)
    ctx.metric("AWS/Lambda", "Throttles", dims, "Count",
               {t: (throttles or {}).get(t, 0) for t in MINUTES}, integer=True, region=region)
    ctx.metric("AWS/Lambda", "Duration", dims, "Milliseconds", durs, nd=2, region=region)
    ctx.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", concs, integer=True, region=region)
    for sname, ev in sorted(events.items()):
        ctx.log("/aws/lambda/%s" % name, sname, ev, region=region)
    return durs


def apigw_metrics(ctx, api, count, e4, e5, latency, integ=None, region=None):
    dims = {"ApiName": api}
    ctx.metric("AWS/ApiGateway", "Count", dims, "Count", count, integer=True, region=region)
    ctx.metric("AWS/ApiGateway", "4XXError", dims, "Count", e4, integer=True, region=region)
    ctx.metric("AWS/ApiGateway", "5XXError", dims, "Count", e5, integer=True, region=region)
    ctx.metric("AWS/ApiGateway", "Latency", dims, "Milliseconds", latency, nd=2, region=region)
    if integ is not None:
        ctx.metric("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds", integ, nd=2, region=region)


def apigw_exec_failure(ctx, t, api_req, lambda_rid, reason, status=502):
    """API Gateway execution-log lines for a failed Lambda proxy integration."""
    return [
        (t, "(%s) Lambda execution failed with status 200 due to customer function error: %s. "
            "Lambda request id: %s" % (api_req, reason, lambda_rid)),
        (t + 0.002, "(%s) Method completed with status: %d" % (api_req, status)),
    ]


def py_trace(frames, exc):
    """Python traceback text. frames: [(file, line, func, code)]."""
    body = "".join('  File "%s", line %d, in %s\n    %s\n' % f for f in frames)
    return "Traceback (most recent call last):\n%s%s" % (body, exc)
