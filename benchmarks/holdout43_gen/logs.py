"""Log writers: Lambda START/END/REPORT streams and common runtime line formats."""
import json
import math

from .common import fill, hexs, poisson, rid

RUNTIME_VER = {
    "python3.12": "python:3.12.v38", "python3.11": "python:3.11.v47",
    "nodejs20.x": "nodejs:20.v33", "nodejs18.x": "nodejs:18.v41",
    "java21": "java:21.v19", "java17": "java:17.v29",
    "provided.al2023": "provided:al2023.v62", "ruby3.3": "ruby:3.3.v12",
    "dotnet8": "dotnet:8.v27",
}


# ------------------------------------------------------------ line formats
def py(sc, t, r, level, msg):
    return "[%s]\t%s\t%s\t%s" % (level, sc.iso(t), r, msg)


def node(sc, t, r, level, msg):
    return "%s\t%s\t%s\t%s" % (sc.iso(t), r, level, msg)


def javal(sc, t, r, level, logger, msg):
    return "%s %s %-5s %s - %s" % (sc.at(t).strftime("%Y-%m-%d %H:%M:%S,%f")[:-3], r, level, logger, msg)


def spring(sc, t, level, app, thread, logger, msg):
    return "%s %5s 1 --- [%s] [%s] %-40s : %s" % (sc.iso(t), level, app, thread, logger, msg)


def gojson(sc, t, level, caller, msg, **fields):
    d = {"level": level, "ts": round(sc.epoch(t), 3), "caller": caller, "msg": msg}
    d.update(fields)
    return json.dumps(d, separators=(",", ":"))


def pino(sc, t, level, msg, **fields):
    lv = {"debug": 20, "info": 30, "warn": 40, "error": 50, "fatal": 60}[level]
    d = {"level": lv, "time": int(sc.epoch(t) * 1000), "pid": 1, "hostname": fields.pop("host", "ip-10-0-0-1")}
    d.update(fields)
    d["msg"] = msg
    return json.dumps(d, separators=(",", ":"))


def rails(sc, t, level, reqid, msg):
    return "%s, [%s #1] %5s -- : [%s] %s" % (level[0], sc.at(t).strftime("%Y-%m-%dT%H:%M:%S.%f"),
                                             level, reqid, msg)


def dotnet(level, category, eid, msg):
    return "%s: %s[%d]\n      %s" % (level, category, eid, msg)


def nginx(sc, t, ip, method, path, status, size, rt, ua="okhttp/4.12.0"):
    return '%s - - [%s] "%s %s HTTP/1.1" %d %d "-" "%s" rt=%.3f uct="0.000" urt="%.3f"' % (
        ip, sc.clf(t), method, path, status, size, ua, rt, max(0.001, rt - 0.001))


def pg(sc, t, ip, user_db, pid, level, msg):
    who = "%s(%d):%s" % (ip, 30000 + pid % 30000, user_db) if ip else "@"
    return "%s:%s:[%d]:%s:  %s" % (sc.pgts(t), who, pid, level, msg)


# ------------------------------------------------------------ lambda streams
class LambdaLog:
    """Writes a Lambda function's log group with per-environment streams.

    pools: list of (t_begin, version, n_streams); each new pool gets new streams
    (new execution environments after a deploy or config update).
    """

    def __init__(self, sc, fn, runtime, memory, timeout, pools=None, mem_used=(160, 25), init_fn=None):
        self.sc, self.fn, self.runtime, self.memory, self.timeout = sc, fn, runtime, memory, timeout
        self.group = "/aws/lambda/" + fn
        self.mem_used = mem_used
        self.init_fn = init_fn
        self.pools = []
        for tb, ver, n in (pools or [(-10 ** 9, "$LATEST", 3)]):
            names = ["%s/[%s]%s" % (sc.day(), ver, hexs(sc.rng, 32)) for _ in range(n)]
            self.pools.append((tb, ver, names))
        self.cold = set(n for _, _, ns in self.pools for n in ns)
        self.arn_hash = hexs(sc.rng, 64)

    def _pool(self, t):
        cur = self.pools[0]
        for p in self.pools:
            if p[0] <= t:
                cur = p
        return cur

    def invoke(self, t, lines, dur, kind="ok", mem=None, stream=None):
        sc, rng = self.sc, self.sc.rng
        _, ver, names = self._pool(t)
        s = stream or rng.choice(names)
        r = rid(rng)
        body = lines(t, r) if callable(lines) else lines
        init = None
        if s in self.cold:
            self.cold.discard(s)
            init = rng.uniform(180, 900) if not self.runtime.startswith("java") else rng.uniform(2200, 4800)
            sc.ev(self.group, s, t - init / 1000.0 - 0.05,
                  "INIT_START Runtime Version: %s\tRuntime Version ARN: arn:aws:lambda:%s::runtime:%s"
                  % (RUNTIME_VER.get(self.runtime, self.runtime), sc.region, self.arn_hash))
            if self.init_fn:
                ti = t - init / 1000.0
                for i, text in enumerate(self.init_fn(ti, s)):
                    sc.ev(self.group, s, ti + 0.01 * (i + 1), text)
        sc.ev(self.group, s, t, "START RequestId: %s Version: %s" % (r, ver))
        for dt, text in body:
            sc.ev(self.group, s, t + dt, text)
        if kind == "timeout":
            dur = self.timeout * 1000.0 + rng.uniform(5, 120)
        end = t + dur / 1000.0
        if kind == "timeout":
            sc.ev(self.group, s, end, "%s %s Task timed out after %.2f seconds" % (sc.iso(end), r, dur / 1000.0))
        sc.ev(self.group, s, end + 0.001, "END RequestId: %s" % r)
        used = mem if mem is not None else int(min(self.memory, max(40, rng.gauss(*self.mem_used))))
        rep = ("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\t"
               "Max Memory Used: %d MB" % (r, dur, math.ceil(dur), self.memory, used))
        if init:
            rep += "\tInit Duration: %.2f ms" % init
        if kind == "timeout":
            rep += "\tStatus: timeout"
        elif kind == "oom":
            rep += "\tStatus: error\tError Type: Runtime.OutOfMemory"
        sc.ev(self.group, s, end + 0.002, rep)
        if kind == "oom":
            sc.ev(self.group, s, end + 0.003,
                  "RequestId: %s Error: Runtime exited with error: signal: killed\nRuntime.ExitError" % r)
        if kind in ("timeout", "oom"):
            self.cold.add(s)
        return r

    def run(self, t_from, t_to, per_min, handler):
        """handler(t) -> (lines_fn_or_list, dur_ms, kind[, mem]) for one sampled invocation."""
        rng = self.sc.rng
        m = int(t_from)
        while m < t_to:
            for _ in range(poisson(rng, per_min(m))):
                t = m + rng.uniform(0.0, 59.5)
                if t >= t_to:
                    continue
                out = handler(t)
                self.invoke(t, *out)
            m += 60


# ------------------------------------------------------------ generic streams
def stream(sc, group, name, t_from, t_to, per_min, line_fn):
    """per_min(t) events per minute; line_fn(t) -> text (or None to skip)."""
    rng = sc.rng
    m = int(t_from)
    while m < t_to:
        for _ in range(poisson(rng, per_min(m))):
            t = m + rng.uniform(0.0, 59.9)
            if t >= t_to:
                continue
            txt = line_fn(t)
            if txt:
                sc.ev(group, name, t, txt)
        m += 60


def periodic(sc, group, name, t_from, t_to, every, line_fn, jitter=2.0):
    t = t_from + sc.rng.uniform(0, every)
    while t < t_to:
        txt = line_fn(t)
        if txt:
            sc.ev(group, name, t + sc.rng.uniform(0, jitter), txt)
        t += every


def pick(rng, templates, extra=None):
    return fill(rng, rng.choice(templates), extra)


def task_ids(sc, n):
    return [hexs(sc.rng, 32) for _ in range(n)]
