"""Log line formats of real runtimes and servers, plus event-time generators."""
from __future__ import annotations

import json

LV_PINO = {"debug": 20, "info": 30, "warn": 40, "error": 50, "fatal": 60}
UAS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.90 Mobile Safari/537.36",
    "okhttp/4.12.0",
    "Go-http-client/1.1",
]


def times(sc, t0, t1, per_min):
    """Event times between t0 and t1 (relative seconds), Poisson per minute; per_min is a number or fn(t)."""
    out = []
    t = t0
    while t < t1:
        lam = per_min(t) if callable(per_min) else per_min
        for _ in range(sc.poisson(lam)):
            x = t + sc.rng.random() * 60.0
            if x < t1:
                out.append(round(x, 3))
        t += 60
    out.sort()
    return out


def every(sc, t0, t1, interval, jitter=1.5):
    out, t = [], t0 + sc.rng.random() * interval
    while t < t1:
        out.append(round(t + sc.rng.uniform(0, jitter), 3))
        t += interval
    return out


def spring(sc, t, level, logger, msg, thread="nio-8080-exec-1", app=None, pid=1):
    app_part = f"[{app}] " if app else ""
    return f"{sc.iso(t)} {level:>5} {pid} --- {app_part}[{thread:>15}] {logger:<40} : {msg}"


def slog(sc, t, level, msg, **kv):
    """Go log/slog TextHandler: values quoted like strconv.Quote when needed."""
    parts = [f"time={sc.iso(t)}", f"level={level}", f"msg={json.dumps(msg)}"]
    for k, v in kv.items():
        v = str(v)
        parts.append(f"{k}={json.dumps(v)}" if (" " in v or '"' in v or "=" in v or v == "") else f"{k}={v}")
    return " ".join(parts)


def gojson(sc, t, level, msg, **kv):
    d = {"time": sc.iso(t), "level": level, "msg": msg}
    d.update(kv)
    return json.dumps(d, separators=(",", ":"))


def pino(sc, t, level, msg, host, **fields):
    d = {"level": LV_PINO[level], "time": sc.epoch_ms(t), "pid": 1, "hostname": host}
    d.update(fields)
    d["msg"] = msg
    return json.dumps(d, separators=(",", ":"))


def pylog(sc, t, level, logger, msg):
    d = sc.dt(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {level} [{logger}] {msg}"


def dotnet(sc, t, level, category, msg, event_id=0, exc=None, scopes=None):
    d = {"Timestamp": sc.iso(t), "EventId": event_id, "LogLevel": level, "Category": category, "Message": msg}
    if exc:
        d["Exception"] = exc
    if scopes:
        d["Scopes"] = scopes
    return json.dumps(d, separators=(",", ":"))


def rails(sc, t, level, msg, pid, req=None):
    d = sc.dt(t)
    tag = f"[{req}] " if req else ""
    return f"{level[0]}, [{d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d} #{pid}] {level:>5} -- : {tag}{msg}"


def nginx(sc, t, ip, method, path, status, size, rt, ua=None, urt=None, ref="-"):
    d = sc.dt(t)
    ua = ua or sc.rng.choice(UAS)
    urt_s = f"{urt:.3f}" if urt is not None else (f"{max(0.0, rt - 0.001):.3f}" if status not in (499,) else "-")
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" {status} {size} '
            f'"{ref}" "{ua}" rt={rt:.3f} uct="0.000" urt="{urt_s}"')


def envoy(sc, t, method, path, status, flags, rx, tx, dur, upstream_ms, cluster, ua="-", xff="-"):
    return (f'[{sc.iso(t)}] "{method} {path} HTTP/1.1" {status} {flags} {rx} {tx} {dur} '
            f'{upstream_ms} "{xff}" "{ua}" "{sc.uuid()}" "{cluster}" "127.0.0.1:8080"')


def pg(sc, t, client, userdb, pid, level, msg):
    return f"{sc.dt(t).strftime('%Y-%m-%d %H:%M:%S')} UTC:{client}:{userdb}:[{pid}]:{level}:  {msg}"


def mysql_err(sc, t, thread, level, code, msg):
    d = sc.dt(t)
    return f"{d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}Z {thread} [{level}] [{code}] [Server] {msg}"


def syslog(sc, t, host, proc, msg):
    d = sc.dt(t)
    return f"{d.strftime('%b')} {d.day:>2} {d.strftime('%H:%M:%S')} {host} {proc}: {msg}"


def ecs_task_event(sc, t, region, account, cluster, service, task_id, taskdef, last, desired, stop_code=None,
                   reason=None, exit_code=None, container="app", group=None):
    detail = {
        "clusterArn": f"arn:aws:ecs:{region}:{account}:cluster/{cluster}",
        "taskArn": f"arn:aws:ecs:{region}:{account}:task/{cluster}/{task_id}",
        "taskDefinitionArn": f"arn:aws:ecs:{region}:{account}:task-definition/{taskdef}",
        "group": group or f"service:{service}",
        "lastStatus": last, "desiredStatus": desired,
        "containers": [{"name": container, "lastStatus": last}],
    }
    if exit_code is not None:
        detail["containers"][0]["exitCode"] = exit_code
    if reason:
        detail["containers"][0]["reason"] = reason
    if stop_code:
        detail["stopCode"] = stop_code
        detail["stoppedReason"] = reason or ""
    ev = {"version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
          "account": account, "time": sc.iso(t, ms=False), "region": region,
          "resources": [detail["taskArn"]], "detail": detail}
    return json.dumps(ev, separators=(",", ":"))


def ecs_service_event(sc, t, region, account, cluster, service, event_name, event_type="INFO", reason=None,
                      targets=None):
    detail = {"eventType": event_type, "eventName": event_name,
              "clusterArn": f"arn:aws:ecs:{region}:{account}:cluster/{cluster}", "createdAt": sc.iso(t)}
    if reason:
        detail["reason"] = reason
    if targets:
        detail["targets"] = targets
    ev = {"version": "0", "id": sc.uuid(), "detail-type": "ECS Service Action", "source": "aws.ecs",
          "account": account, "time": sc.iso(t, ms=False), "region": region,
          "resources": [f"arn:aws:ecs:{region}:{account}:service/{cluster}/{service}"], "detail": detail}
    return json.dumps(ev, separators=(",", ":"))


def lambda_invocation(sc, t, dur_ms, mem_size, max_mem, lines=(), version="$LATEST", node=False):
    """START / app lines / END / REPORT for one invocation beginning at t (Python or Node console format)."""
    rid = sc.uuid()
    out = [(t, f"START RequestId: {rid} Version: {version}")]
    for i, (lvl, msg) in enumerate(lines):
        tt = t + 0.01 * (i + 1) + dur_ms / 2000.0
        out.append((tt, f"{sc.iso(tt)}\t{rid}\t{lvl}\t{msg}" if node else f"[{lvl}]\t{sc.iso(tt)}\t{rid}\t{msg}"))
    end = t + dur_ms / 1000.0
    out.append((end, f"END RequestId: {rid}"))
    billed = int(dur_ms) + 1
    out.append((end + 0.001, f"REPORT RequestId: {rid}\tDuration: {dur_ms:.2f} ms\tBilled Duration: {billed} ms\t"
                             f"Memory Size: {mem_size} MB\tMax Memory Used: {max_mem} MB"))
    return out
