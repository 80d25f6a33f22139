"""Log line formats of real runtimes and servers (Lambda platform lines, Python, Node, .NET, Ruby, Go,
Java/Logback, PostgreSQL, MySQL, nginx, gunicorn, API Gateway, syslog/kernel)."""
from __future__ import annotations

import json
from datetime import datetime

from .core import Scenario

UA = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
      "Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0",
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36"]


def iso(dt: datetime, digits: int = 3) -> str:
    s = dt.strftime("%Y-%m-%dT%H:%M:%S.%f")
    return s[: len(s) - (6 - digits)] + "Z" if digits else dt.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- Lambda platform ------------------------------------------------------------------------

def lambda_invocation(scn: Scenario, t: float, duration_ms: float, memory_mb: int, max_mem_mb: int,
                      body: list[tuple[float, str]], req: str | None = None, init_ms: float | None = None,
                      version: str = "$LATEST", status: str | None = None, error_type: str | None = None,
                      billed_round: bool = True) -> list[tuple[float, str]]:
    """START / body / END / REPORT for one invocation. ``body`` offsets are seconds after START."""
    req = req or scn.uuid()
    ev: list[tuple[float, str]] = []
    if init_ms is not None:
        ev.append((t - init_ms / 1000.0 - 0.002, f"INIT_START Runtime Version: {_runtime_arn(scn)}"))
    ev.append((t, f"START RequestId: {req} Version: {version}"))
    for off, line in body:
        ev.append((t + off, line.replace("{req}", req)))
    end = t + duration_ms / 1000.0
    ev.append((end, f"END RequestId: {req}"))
    billed = int(duration_ms) + (1 if billed_round else 0)
    rep = (f"REPORT RequestId: {req}\tDuration: {duration_ms:.2f} ms\tBilled Duration: {billed} ms\t"
           f"Memory Size: {memory_mb} MB\tMax Memory Used: {max_mem_mb} MB")
    if init_ms is not None:
        rep += f"\tInit Duration: {init_ms:.2f} ms"
    if status:
        rep += f"\tStatus: {status}"
        if error_type:
            rep += f"\tError Type: {error_type}"
    ev.append((end + 0.001, rep))
    return ev


def _runtime_arn(scn: Scenario) -> str:
    return getattr(scn, "runtime_version", "python:3.12.v28")


def py_lambda(scn: Scenario, t: float, level: str, msg: str) -> str:
    return f"[{level}]\t{iso(scn.at(t))}\t{{req}}\t{msg}"


def node_lambda(scn: Scenario, t: float, level: str, msg: str) -> str:
    return f"{iso(scn.at(t))}\t{{req}}\t{level}\t{msg}"


def dotnet_lambda(scn: Scenario, t: float, level: str, msg: str) -> str:
    return f"{iso(scn.at(t))}\t{{req}}\t{level}\t{msg}"


def ruby_logger(scn: Scenario, t: float, level: str, msg: str, pid: int = 8) -> str:
    dt = scn.at(t)
    return f"{level[0]}, [{dt.strftime('%Y-%m-%dT%H:%M:%S.%f')} #{pid}] {level:>5} -- : {msg}"


# ---- application servers --------------------------------------------------------------------

def logback(scn: Scenario, t: float, level: str, pid: int, thread: str, logger: str, msg: str) -> str:
    dt = scn.at(t)
    ts = dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
    return f"{ts} {level:>5} {pid} --- [{thread:>15.15}] {logger:<40.40} : {msg}"


def dotnet_console(scn: Scenario, t: float, level: str, category: str, event_id: int, msg: str) -> str:
    return f"{iso(scn.at(t))} {level}: {category}[{event_id}] {msg}"


def serilog(scn: Scenario, t: float, level: str, msg: str) -> str:
    dt = scn.at(t)
    return f"{dt.strftime('%Y-%m-%d %H:%M:%S.')}{dt.microsecond // 1000:03d} +00:00 [{level}] {msg}"


def go_json(scn: Scenario, t: float, level: str, msg: str, **fields) -> str:
    rec = {"level": level, "time": iso(scn.at(t)), "msg": msg}
    rec.update(fields)
    return json.dumps(rec, separators=(",", ":"))


def slog_json(scn: Scenario, t: float, level: str, msg: str, **fields) -> str:
    rec = {"time": iso(scn.at(t), 6), "level": level, "msg": msg}
    rec.update(fields)
    return json.dumps(rec, separators=(",", ":"))


def logrus(scn: Scenario, t: float, level: str, msg: str, **fields) -> str:
    parts = [f'time="{scn.at(t).strftime("%Y-%m-%dT%H:%M:%SZ")}"', f"level={level}", f'msg="{msg}"']
    for k, v in fields.items():
        sv = str(v)
        parts.append(f'{k}="{sv}"' if (" " in sv or "=" in sv or ":" in sv) else f"{k}={sv}")
    return " ".join(parts)


def pino(scn: Scenario, t: float, level: int, msg: str, host: str, **fields) -> str:
    rec = {"level": level, "time": int(scn.at(t).timestamp() * 1000), "pid": 1, "hostname": host}
    rec.update(fields)
    rec["msg"] = msg
    return json.dumps(rec, separators=(",", ":"))


def rails(scn: Scenario, t: float, level: str, req: str, msg: str, pid: int) -> str:
    return ruby_logger(scn, t, level, f"[{req}] {msg}", pid)


def gunicorn(scn: Scenario, t: float, pid: int, level: str, msg: str) -> str:
    return f"[{scn.at(t).strftime('%Y-%m-%d %H:%M:%S')} +0000] [{pid}] [{level}] {msg}"


def django(scn: Scenario, t: float, level: str, module: str, msg: str) -> str:
    dt = scn.at(t)
    return f"{level} {dt.strftime('%Y-%m-%d %H:%M:%S')},{dt.microsecond // 1000:03d} {module} {msg}"


# ---- servers / infrastructure ---------------------------------------------------------------

def pg(scn: Scenario, t: float, client: str, user_db: str, pid: int, level: str, msg: str) -> str:
    # RDS log_line_prefix '%t:%r:%u@%d:[%p]:'
    return f"{scn.at(t).strftime('%Y-%m-%d %H:%M:%S')} UTC:{client}:{user_db}:[{pid}]:{level}:  {msg}"


def mysql_err(scn: Scenario, t: float, thread: int, level: str, code: str, subsys: str, msg: str) -> str:
    return f"{iso(scn.at(t), 6)} {thread} [{level}] [{code}] [{subsys}] {msg}"


def nginx_access(scn: Scenario, t: float, ip: str, method: str, path: str, status: int, size: int,
                 rt: float, ua: str, upstream: bool = True) -> str:
    ts = scn.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000")
    urt = f"{rt:.3f}" if upstream else "-"
    return f'{ip} - - [{ts}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" rt={rt:.3f} urt={urt}'


def nginx_error(scn: Scenario, t: float, level: str, pid: int, conn: int, msg: str) -> str:
    return f"{scn.at(t).strftime('%Y/%m/%d %H:%M:%S')} [{level}] {pid}#{pid}: *{conn} {msg}"


def syslog(scn: Scenario, t: float, host: str, proc: str, msg: str) -> str:
    dt = scn.at(t)
    return f"{dt.strftime('%b')} {dt.day:>2} {dt.strftime('%H:%M:%S')} {host} {proc}: {msg}"


def apigw_access(scn: Scenario, t: float, req: str, ip: str, method: str, path: str, status: int,
                 length: int, latency_ms: int, integ_ms: int | str, err: str = "-") -> str:
    rec = {"requestId": req, "ip": ip, "requestTime": scn.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"),
           "httpMethod": method, "resourcePath": path, "status": str(status), "protocol": "HTTP/1.1",
           "responseLength": str(length), "responseLatency": str(latency_ms),
           "integrationLatency": str(integ_ms), "errorMessage": err}
    return json.dumps(rec, separators=(",", ":"))


def ecs_task_event(scn: Scenario, t: float, account: str, region: str, cluster: str, service: str,
                   task_id: str, family_rev: str, last: str, desired: str, container: str,
                   exit_code: int | None = None, reason: str | None = None, stopped_reason: str | None = None,
                   stop_code: str | None = None) -> str:
    cont = {"containerArn": f"arn:aws:ecs:{region}:{account}:container/{cluster}/{task_id}/{scn.uuid()}",
            "lastStatus": last, "name": container, "taskArn": f"arn:aws:ecs:{region}:{account}:task/{cluster}/{task_id}"}
    if exit_code is not None:
        cont["exitCode"] = exit_code
    if reason:
        cont["reason"] = reason
    detail = {"clusterArn": f"arn:aws:ecs:{region}:{account}:cluster/{cluster}", "containers": [cont],
              "desiredStatus": desired, "group": f"service:{service}", "lastStatus": last,
              "launchType": "FARGATE", "taskArn": cont["taskArn"],
              "taskDefinitionArn": f"arn:aws:ecs:{region}:{account}:task-definition/{family_rev}",
              "updatedAt": iso(scn.at(t))}
    if stopped_reason:
        detail["stoppedReason"] = stopped_reason
        detail["stopCode"] = stop_code or "EssentialContainerExited"
    rec = {"version": "0", "id": scn.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
           "account": account, "time": iso(scn.at(t), 0), "region": region,
           "resources": [cont["taskArn"]], "detail": detail}
    return json.dumps(rec, separators=(",", ":"))
