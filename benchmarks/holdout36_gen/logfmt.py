"""Log line formats of real runtimes and servers, rendered from a scenario's nominal wall clock."""
from __future__ import annotations

import json

UA = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.64 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
]
SDK_UA = ["okhttp/4.12.0", "python-requests/2.31.0", "Go-http-client/1.1", "axios/1.6.7",
          "ELB-HealthChecker/2.0"]


def pg(s, t, msg, level="LOG", client=None, user="", db="", pid=None):
    """RDS for PostgreSQL log_line_prefix '%t:%r:%u@%d:[%p]:'."""
    w = s.wall(t).strftime("%Y-%m-%d %H:%M:%S UTC")
    pid = pid or s.rng.randint(1000, 32000)
    who = f"{user}@{db}" if user else "@"
    return f"{w}:{client or ''}:{who}:[{pid}]:{level}:  {msg}"


def pg_checkpoint(s, t, buffers, write_s, sync_s, pid=412):
    pct = buffers / 131072 * 100
    msg = (f"checkpoint complete: wrote {buffers} buffers ({pct:.1f}%); 0 WAL file(s) added, 0 removed, "
           f"{s.rng.randint(1, 4)} recycled; write={write_s:.3f} s, sync={sync_s:.3f} s, "
           f"total={write_s + sync_s + 0.011:.3f} s; sync files={s.rng.randint(20, 90)}, "
           f"longest={min(sync_s, 0.004 + sync_s / 9):.3f} s, average=0.001 s; "
           f"distance={s.rng.randint(8000, 60000)} kB, estimate={s.rng.randint(30000, 62000)} kB")
    return pg(s, t, msg, pid=pid)


def mysql(s, t, thread, level, code, msg, subsystem="Server"):
    """MySQL 8 error log: '2026-03-11T03:58:41.118223Z 1187 [ERROR] [MY-000035] [Server] ...'."""
    return f"{s.iso(t, 6)} {thread} [{level}] [{code}] [{subsystem}] {msg}"


def spring(s, t, level, thread, logger, msg, app="app", pid=1):
    """Spring Boot 3 console pattern."""
    return f"{s.iso(t)} {level:>5} {pid} --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


def pylog(s, t, level, logger, msg):
    w = s.wall(t)
    return f"{w.strftime('%Y-%m-%d %H:%M:%S')},{w.microsecond // 1000:03d} {level} [{logger}] {msg}"


def pino(s, t, level, msg, host, **fields):
    rec = {"level": level, "time": int(s.epoch(t) * 1000), "pid": 1, "hostname": host}
    rec.update(fields)
    rec["msg"] = msg
    return json.dumps(rec, separators=(",", ":"))


def zap(s, t, level, caller, msg, **fields):
    rec = {"level": level, "ts": round(s.epoch(t), 6), "caller": caller, "msg": msg}
    rec.update(fields)
    return json.dumps(rec, separators=(",", ":"))


def slog(s, t, level, msg, **fields):
    rec = {"time": s.iso(t, 6).replace("Z", "+00:00"), "level": level, "msg": msg}
    rec.update(fields)
    return json.dumps(rec, separators=(",", ":"))


def serilog(s, t, level, template, **props):
    rec = {"@t": s.iso(t, 6), "@mt": template}
    if level != "Information":
        rec["@l"] = level
    rec.update(props)
    return json.dumps(rec, separators=(",", ":"))


def rails(s, t, level, msg, pid, req=None):
    letter = level[0]
    tag = f"[{req}] " if req else ""
    return f"{letter}, [{s.iso(t, 6)[:-1]} #{pid}] {level:>5} -- : {tag}{msg}"


def ruby_logger(s, t, level, msg, pid=8):
    return f"{level[0]}, [{s.iso(t, 6)[:-1]} #{pid}] {level:>5} -- : {msg}"


def nginx(s, t, ip, method, path, status, size, rt, ua, urt=None):
    w = s.wall(t).strftime("%d/%b/%Y:%H:%M:%S +0000")
    urt = f"{rt:.3f}" if urt is None else urt
    return (f'{ip} - - [{w}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" '
            f'rt={rt:.3f} uct="0.000" uht="{urt}" urt="{urt}"')


def nginx_error(s, t, pid, conn, msg, client, server, request, upstream):
    w = s.wall(t).strftime("%Y/%m/%d %H:%M:%S")
    return (f'{w} [error] {pid}#{pid}: *{conn} {msg}, client: {client}, server: {server}, '
            f'request: "{request}", upstream: "{upstream}", host: "{server}"')


def lambda_report(rid, dur, mem, used, init=None, status=None):
    billed = int(dur) + 1
    s = (f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: {billed} ms\t"
         f"Memory Size: {mem} MB\tMax Memory Used: {used} MB")
    if init is not None:
        s += f"\tInit Duration: {init:.2f} ms"
    if status:
        s += f"\tStatus: {status}"
    return s
