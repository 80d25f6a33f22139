"""Log line formats of real runtimes (Spring/Logback, .NET JSON console, Go zap/logfmt, gunicorn,
Python logging, pino, nginx, ALB access logs, RDS PostgreSQL/MySQL, syslog)."""
from __future__ import annotations

import json

UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Mobile Safari/537.36",
    "okhttp/4.12.0",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
]
HC_UA = "ELB-HealthChecker/2.0"


def _lvl5(level):
    return f"{level:>5}"


def _abbr(logger, width=40):
    if len(logger) <= width - 1:
        return f"{logger:<{width}}"
    parts = logger.split(".")
    for i in range(len(parts) - 1):
        parts[i] = parts[i][0]
        cand = ".".join(parts)
        if len(cand) <= width - 1:
            return f"{cand:<{width}}"
    return f"{'.'.join(parts)[:width]:<{width}}"


def spring(c, t, level, thread, logger, msg, app=None):
    app_part = f"[{app}] " if app else ""
    return f"{c.iso(t)} {_lvl5(level)} 1 --- {app_part}[{thread[-15:]:>15}] {_abbr(logger)}: {msg}"


def jtrace(head, frames, caused=None):
    """Java exception text: head line, '\tat' frames, optional ('Caused by: ..', frames) chain."""
    out = [head] + [f"\tat {f}" for f in frames]
    for ch_head, ch_frames, more in (caused or []):
        out.append(f"Caused by: {ch_head}")
        out += [f"\tat {f}" for f in ch_frames]
        if more:
            out.append(f"\t... {more} more")
    return "\n".join(out)


def gclog(c, t, msg):
    return f"[{c.iso(t)[:-1]}+0000][info][gc] {msg}"


_NET_LEVEL = {"Information": "info", "Warning": "warn", "Error": "fail", "Critical": "crit", "Debug": "dbug"}


def dotnet_json(c, t, level, category, event_id, msg, exception=None, state=None):
    d = {"Timestamp": c.iso(t, 3)[:-1] + "+00:00", "EventId": event_id, "LogLevel": level,
         "Category": category, "Message": msg}
    if exception:
        d["Exception"] = exception
    if state:
        d["State"] = dict(state)
    return json.dumps(d, separators=(",", ":"))


def zap(c, t, level, caller, msg, **fields):
    d = {"level": level, "ts": round(c.epoch(t), 6), "caller": caller, "msg": msg}
    d.update(fields)
    return json.dumps(d, separators=(",", ":"))


def logfmt(c, t, level, msg, **fields):
    def q(v):
        v = str(v)
        return f'"{v}"' if (" " in v or "=" in v or '"' in v or v == "") else v
    parts = [f"time={c.iso(t)}", f"level={level}", f"msg={q(msg)}"]
    parts += [f"{k}={q(v)}" for k, v in fields.items()]
    return " ".join(parts)


def gostd(c, t, msg):
    return f"{c.dt(t).strftime('%Y/%m/%d %H:%M:%S')} {msg}"


def gunicorn(c, t, pid, level, msg):
    return f"[{c.dt(t).strftime('%Y-%m-%d %H:%M:%S')} +0000] [{pid}] [{level}] {msg}"


def pylog(c, t, level, logger, msg):
    d = c.dt(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {level} [{logger}] {msg}"


def pytrace(frames, final):
    """frames: list of (file, line, func, code)."""
    lines = ["Traceback (most recent call last):"]
    for f, ln, fn, code in frames:
        lines.append(f'  File "{f}", line {ln}, in {fn}')
        lines.append(f"    {code}")
    lines.append(final)
    return "\n".join(lines)


def pino(c, t, level, msg, host, **fields):
    d = {"level": level, "time": int(c.epoch(t) * 1000), "pid": 1, "hostname": host}
    d.update(fields)
    d["msg"] = msg
    return json.dumps(d, separators=(",", ":"))


def nginx_access(c, t, ip, method, path, status, size, rt, ua, urt=None, ref="-"):
    d = c.dt(t)
    ts = d.strftime("%d/%b/%Y:%H:%M:%S +0000")
    u = "-" if urt is None else f"{urt:.3f}"
    return (f'{ip} - - [{ts}] "{method} {path} HTTP/1.1" {status} {size} "{ref}" "{ua}" '
            f'rt={rt:.3f} uct="0.000" urt="{u}"')


def nginx_error(c, t, level, pid, msg):
    return f"{c.dt(t).strftime('%Y/%m/%d %H:%M:%S')} [{level}] {pid}#{pid}: {msg}"


def alb_access(c, rng, t, *, lb, client, target, req_time, resp_time, status, tstatus, method, url,
               ua, tg_arn, host, rbytes=None, sbytes=None):
    """One line of the ALB access log format (shipped to CloudWatch Logs by a forwarder)."""
    d = c.dt(t)
    start = c.dt(t - req_time - resp_time)
    trace = f"Root=1-{int(c.epoch(t)):08x}-{rng.hexid(24)}"
    tgt = target if target else "-"
    return (f'https {d.strftime("%Y-%m-%dT%H:%M:%S.%f")}Z {lb} {client}:{rng.randint(1024, 65535)} {tgt} '
            f'0.000 {resp_time:.3f} 0.000 {status} {tstatus} {rbytes or rng.randint(180, 900)} '
            f'{sbytes or rng.randint(300, 9000)} "{method} https://{host}:443{url} HTTP/2.0" "{ua}" '
            f'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {tg_arn} "{trace}" "{host}" '
            f'"arn:aws:acm:region:acct:certificate/{rng.uuid()}" 0 '
            f'{start.strftime("%Y-%m-%dT%H:%M:%S.%f")}Z "forward" "-" "-" "{tgt}" "{tstatus}" "-" "-"')


def pg(c, t, client, user, db, pid, level, msg):
    who = f"{client}:{user}@{db}" if client else "@"
    return f"{c.dt(t).strftime('%Y-%m-%d %H:%M:%S')} UTC:{who}:[{pid}]:{level}:  {msg}"


def mysql(c, t, thread, level, code, subsystem, msg):
    return f"{c.iso(t, 6)} {thread} [{level}] [{code}] [{subsystem}] {msg}"


def syslog(c, t, host, proc, msg):
    return f"{c.dt(t).strftime('%b %d %H:%M:%S')} {host} {proc}: {msg}"
