"""Log line builders in the formats real runtimes and servers emit."""
from __future__ import annotations

import math

from .common import LOGWIN

RID, TS = "@RID@", "@TS@"


# ---------------------------------------------------------------- Lambda runtimes
def py(level, msg):
    """Python runtime logger line (logging via the Lambda bootstrap handler)."""
    return "[%s]\t%s\t%s\t%s" % (level, TS, RID, msg)


def py_unhandled(exc_type, exc_msg, frames):
    """What the python3.x runtime prints for an exception escaping the handler."""
    tb = "".join('  File "%s", line %d, in %s\n    %s\n' % f for f in frames)
    return "[ERROR] %s: %s\nTraceback (most recent call last):\n%s" % (exc_type, exc_msg, tb.rstrip("\n"))


def node(level, msg):
    return "%s\t%s\t%s\t%s" % (TS, RID, level, msg)


def node_invoke_error(err_type, err_msg, stack):
    import json
    body = json.dumps({"errorType": err_type, "errorMessage": err_msg,
                       "stack": ["%s: %s" % (err_type, err_msg)] + stack},
                      separators=(",", ":"))
    return "%s\t%s\tERROR\tInvoke Error \t%s" % (TS, RID, body)


def go_json(level, msg, **kv):
    import json
    d = {"time": TS, "level": level, "msg": msg, "request_id": RID}
    d.update(kv)
    return json.dumps(d, separators=(",", ":"))


class LambdaLogs:
    """Builds CloudWatch log streams for one function.

    Invocations are placed on execution environments (one log stream each); a new
    environment (cold start, ``Init Duration`` in REPORT) is created when all
    existing ones are busy, which is what the Lambda service does.
    """

    def __init__(self, sc, fn, mem_mb, init_ms=(250, 700)):
        self.sc, self.fn, self.mem = sc, fn, mem_mb
        self.init_ms = init_ms
        self.envs = []          # [stream, events, busy_until]

    def invoke(self, t, lines, dur_ms, used_mb, timeout_s=None):
        sc = self.sc
        free = [e for e in self.envs if e[2] <= t]
        cold = None
        if free:
            env = free[-1] if sc.rng.random() < 0.7 else sc.rng.choice(free)
        else:
            env = [sc.lambda_stream(t), [], 0]
            self.envs.append(env)
            cold = sc.rng.uniform(*self.init_ms)
        rid = sc.uuid()
        ev = env[1]
        t0 = t + (cold / 1000.0 if cold else 0)
        ev.append((t0, "START RequestId: %s Version: $LATEST" % rid))
        end = t0 + dur_ms / 1000.0
        for off, text in lines:
            tt = min(t0 + off, end - 0.002)
            ev.append((tt, text.replace(RID, rid).replace(TS, sc.iso(tt))))
        if timeout_s is not None:
            ev.append((end, "%s %s Task timed out after %.2f seconds" % (sc.iso(end), rid, timeout_s)))
        ev.append((end + 0.001, "END RequestId: %s" % rid))
        rep = ("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB"
               "\tMax Memory Used: %d MB" % (rid, dur_ms, int(math.ceil(dur_ms)), self.mem, used_mb))
        if cold:
            rep += "\tInit Duration: %.2f ms" % cold
        ev.append((end + 0.002, rep))
        env[2] = end + 0.01
        return rid

    def emit(self):
        group = "/aws/lambda/" + self.fn
        for stream, events, _ in self.envs:
            self.sc.log(group, stream, events)


def spread(rng, t, n):
    """n event times uniformly spread inside minute [t, t+60)."""
    return sorted(t + rng.uniform(0, 59.5) for _ in range(n))


def log_minutes(start=-LOGWIN):
    return range(start, 0, 60)


# ---------------------------------------------------------------- JVM / Spring Boot
def spring(sc, t, level, thread, logger, msg, app):
    return "%s %5s 1 --- [%s] [%15s] %-40s : %s" % (
        sc.iso(t), level, app, thread[-15:], logger[-40:], msg)


# ---------------------------------------------------------------- Ruby on Rails
def rails(sc, t, level, pid, rid, msg):
    w = sc.wall(t)
    return "%s, [%s.%06d #%d] %5s -- : [%s] %s" % (
        level[0], w.strftime("%Y-%m-%dT%H:%M:%S"), w.microsecond, pid, level, rid, msg)


# ---------------------------------------------------------------- servers
def pg(sc, t, client, user_db, pid, level, msg):
    return "%s:%s:%s:[%d]:%s:  %s" % (sc.pgts(t), client, user_db, pid, level, msg)


def mysql(sc, t, thread, level, code, msg):
    w = sc.wall(t)
    return "%s.%06dZ %d [%s] [%s] [Server] %s" % (
        w.strftime("%Y-%m-%dT%H:%M:%S"), w.microsecond, thread, level, code, msg)


def nginx_access(sc, t, ip, method, path, status, size, ua, rt):
    return '%s - - [%s] "%s %s HTTP/1.1" %d %d "-" "%s" rt=%.3f uct="0.000" urt="%.3f"' % (
        ip, sc.clf(t), method, path, status, size, ua, rt, max(0.0, rt - 0.001))


def ip(rng, prefix="10.0"):
    return "%s.%d.%d" % (prefix, rng.randint(1, 12), rng.randint(4, 250))
