"""Log line formats of the runtimes and servers used in holdout11.

Text timestamps are rendered against a fixed wall clock (NOW below); the
event times themselves stay relative, as the scenario format requires.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import numpy as np

NOW = datetime(2026, 11, 20, 15, 0, 0, tzinfo=timezone.utc)


def wall(t: float) -> datetime:
    return NOW + timedelta(seconds=float(t))


def iso(t):  # 2026-11-20T14:15:02.123Z
    return wall(t).strftime("%Y-%m-%dT%H:%M:%S.") + f"{wall(t).microsecond // 1000:03d}Z"


def iso6(t):  # 2026-11-20T14:15:02.123456Z
    return wall(t).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def clf(t):  # 20/Nov/2026:14:15:02 +0000
    return wall(t).strftime("%d/%b/%Y:%H:%M:%S +0000")


def pg(t):  # 2026-11-20 14:15:02 UTC
    return wall(t).strftime("%Y-%m-%d %H:%M:%S UTC")


def php_ts(t):  # [20-Nov-2026 14:15:02 UTC]
    return wall(t).strftime("[%d-%b-%Y %H:%M:%S UTC]")


def nginx_err_ts(t):  # 2026/11/20 14:15:02
    return wall(t).strftime("%Y/%m/%d %H:%M:%S")


def rabbit_ts(t):  # 2026-11-20 14:15:02.123456+00:00
    return wall(t).strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


def epoch_ms(t):
    return int(wall(t).timestamp() * 1000)


# ------------------------------------------------------------------ Java / Spring Boot
def spring(t, level, thread, logger, msg, app, pid=1):
    """Spring Boot 3.x default console layout."""
    return f"{iso(t)} {level:>5} {pid} --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


# ------------------------------------------------------------------ Go (zap / slog JSON)
def go_json(t, level, msg, **fields):
    d = {"level": level, "ts": iso(t), "msg": msg}
    d.update(fields)
    return json.dumps(d, separators=(",", ":"))


def slog(t, level, msg, **fields):
    d = {"time": iso(t), "level": level.upper(), "msg": msg}
    d.update(fields)
    return json.dumps(d, separators=(",", ":"))


# ------------------------------------------------------------------ Node (pino)
def pino(t, level, msg, host, **fields):
    d = {"level": level, "time": epoch_ms(t), "pid": 1, "hostname": host}
    d.update(fields)
    d["msg"] = msg
    return json.dumps(d, separators=(",", ":"))


# ------------------------------------------------------------------ Ruby / Rails on Puma
def rails(t, sev, msg, req=None, pid=12):
    tag = f"[{req}] " if req else ""
    return f"{sev[0]}, [{wall(t).strftime('%Y-%m-%dT%H:%M:%S.%f')} #{pid}] {sev:>5} -- : {tag}{msg}"


# ------------------------------------------------------------------ nginx
def nginx_access(t, ip, method, path, status, size, rt, ua, upstream_rt=None):
    urt = f"{upstream_rt:.3f}" if upstream_rt is not None else "-"
    return (f'{ip} - - [{clf(t)}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" '
            f'rt={rt:.3f} uct="0.000" urt="{urt}"')


def nginx_error(t, level, msg, pid=812, conn=None):
    c = f"*{conn} " if conn else ""
    return f"{nginx_err_ts(t)} [{level}] {pid}#{pid}: {c}{msg}"


# ------------------------------------------------------------------ PHP-FPM
def php_err(t, msg):
    return f"{php_ts(t)} {msg}"


def fpm(t, level, msg):
    return f"[{wall(t).strftime('%d-%b-%Y %H:%M:%S')}] {level}: {msg}"


# ------------------------------------------------------------------ databases
def pg_line(t, msg, client="", user="", db="", pid=412):
    who = f"{client}:{user}@{db}" if client else ":@"
    return f"{pg(t)}:{who}:[{pid}]:{msg}"


def mysql_err(t, sev, code, msg, thread=0):
    return f"{iso6(t)} {thread} [{sev}] [{code}] [Server] {msg}"


# ------------------------------------------------------------------ Lambda runtime lines
def lambda_report(rid, dur_ms, mem, used, init=None, status=None):
    billed = int(np.ceil(dur_ms))
    s = (f"REPORT RequestId: {rid}\tDuration: {dur_ms:.2f} ms\tBilled Duration: {billed} ms\t"
         f"Memory Size: {mem} MB\tMax Memory Used: {used} MB")
    if init:
        s += f"\tInit Duration: {init:.2f} ms"
    if status:
        s += f"\tStatus: {status}"
    return s


# ------------------------------------------------------------------ helpers
def spread(rng, t_minute, k):
    """k sorted event times inside the minute starting at t_minute."""
    return np.sort(t_minute + rng.uniform(0.0, 59.9, int(k)))


def ecs_stream(prefix, container, task_id):
    return f"{prefix}/{container}/{task_id}"


def ecs_task_event(t, region, account, cluster, task_id, family, rev, container, exit_code, reason,
                   stopped_reason="Essential container in task exited", launch="EC2", ids=None):
    arn = f"arn:aws:ecs:{region}:{account}"
    detail = {
        "clusterArn": f"{arn}:cluster/{cluster}", "launchType": launch,
        "containers": [{"containerArn": f"{arn}:container/{cluster}/{task_id}/{ids.uuid() if ids else ''}",
                        "exitCode": exit_code, "lastStatus": "STOPPED", "name": container,
                        "reason": reason, "taskArn": f"{arn}:task/{cluster}/{task_id}"}],
        "desiredStatus": "STOPPED", "group": f"service:{family}", "lastStatus": "STOPPED",
        "stopCode": "EssentialContainerExited", "stoppedAt": iso(t), "stoppedReason": stopped_reason,
        "taskArn": f"{arn}:task/{cluster}/{task_id}",
        "taskDefinitionArn": f"{arn}:task-definition/{family}:{rev}"}
    ev = {"version": "0", "id": ids.uuid() if ids else "", "detail-type": "ECS Task State Change",
          "source": "aws.ecs", "account": account, "time": wall(t).strftime("%Y-%m-%dT%H:%M:%SZ"),
          "region": region, "resources": [f"{arn}:task/{cluster}/{task_id}"], "detail": detail}
    return json.dumps(ev, separators=(",", ":"))


def rds_event(t, region, account, source_id, event_id, message, categories, source_type="CLUSTER",
              ids=None):
    kind = "cluster" if source_type == "CLUSTER" else "db"
    ev = {"version": "0", "id": ids.uuid() if ids else "",
          "detail-type": f"RDS DB {'Cluster' if kind == 'cluster' else 'Instance'} Event",
          "source": "aws.rds", "account": account, "time": wall(t).strftime("%Y-%m-%dT%H:%M:%SZ"),
          "region": region, "resources": [f"arn:aws:rds:{region}:{account}:{kind}:{source_id}"],
          "detail": {"EventCategories": categories, "SourceType": source_type,
                     "SourceArn": f"arn:aws:rds:{region}:{account}:{kind}:{source_id}",
                     "Date": wall(t).strftime("%Y-%m-%dT%H:%M:%S.") + "000Z", "Message": message,
                     "SourceIdentifier": source_id, "EventID": event_id}}
    return json.dumps(ev, separators=(",", ":"))


def poisson_times(rng, t0, t1, rate_per_min):
    """Event times between t0 and t1 for a Poisson process; rate may be a callable of t."""
    out = []
    t = float(t0)
    while t < t1:
        r = rate_per_min(t) if callable(rate_per_min) else rate_per_min
        k = rng.poisson(max(r, 0.0))
        out.extend(np.sort(t + rng.uniform(0, min(60.0, t1 - t), k)).tolist())
        t += 60.0
    return out


def emit(rng, t0, t1, rate_per_min, make):
    """[(t, make(t)), ...] for a Poisson stream of log lines."""
    return [(t, make(t)) for t in poisson_times(rng, t0, t1, rate_per_min)]
