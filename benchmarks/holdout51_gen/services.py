"""Metric sets for EC2, ALB, ECS, RDS, API Gateway and DynamoDB, plus the text
formats of the logs those services (and the software on them) write."""
from __future__ import annotations

import json


def S(scn, f):
    """Evaluate f(t) at every minute of the scenario."""
    return [f(t) for t in scn.times]


# ---- metric sets --------------------------------------------------------------
def ec2(scn, iid, name, itype, cpu, mem, disk, net, status=None, disk_path="/",
        extra_disks=(), **props):
    scn.resource("ec2", iid, name=name, instance_type=itype, **props)
    d = {"InstanceId": iid}
    scn.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu)
    scn.metric("AWS/EC2", "NetworkIn", d, "Bytes", net)
    scn.metric("AWS/EC2", "StatusCheckFailed", d, "Count", status or [0.0] * len(cpu))
    scn.metric("CWAgent", "mem_used_percent", d, "Percent", mem)
    scn.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": disk_path, "fstype": "xfs"},
               "Percent", disk)
    for path, values in extra_disks:
        scn.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": path, "fstype": "xfs"},
                   "Percent", values)
    return d


def alb(scn, name, lb_hash, req, rt, t5xx, e5xx, healthy, unhealthy, t4xx=None, **props):
    lb = f"app/{name}/{lb_hash}"
    scn.resource("alb", lb, name=name, **props)
    d = {"LoadBalancer": lb}
    scn.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req)
    scn.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt)
    scn.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx)
    if t4xx is not None:
        scn.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4xx)
    scn.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx)
    scn.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy)
    scn.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy)
    return lb


def ecs(scn, cluster, service, cpu, mem, running, **props):
    sid = f"{cluster}/{service}"
    scn.resource("ecs", sid, cluster=cluster, service=service, **props)
    d = {"ClusterName": cluster, "ServiceName": service}
    scn.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu)
    scn.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem)
    scn.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running)
    return d


def rds(scn, dbid, cpu, conns, free_storage, read_lat, write_lat, freeable, extra=(), **props):
    scn.resource("rds", dbid, **props)
    d = {"DBInstanceIdentifier": dbid}
    scn.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu)
    scn.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns)
    scn.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_storage)
    scn.metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat)
    scn.metric("AWS/RDS", "WriteLatency", d, "Seconds", write_lat)
    scn.metric("AWS/RDS", "FreeableMemory", d, "Bytes", freeable)
    for name, unit, values in extra:
        scn.metric("AWS/RDS", name, d, unit, values)
    return d


def apigw(scn, name, count, e4, e5, latency, integ, **props):
    scn.resource("apigateway", name, **props)
    d = {"ApiName": name}
    scn.metric("AWS/ApiGateway", "Count", d, "Count", count)
    scn.metric("AWS/ApiGateway", "4XXError", d, "Count", e4)
    scn.metric("AWS/ApiGateway", "5XXError", d, "Count", e5)
    scn.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", latency)
    scn.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", integ)
    return d


# ---- log text formats ------------------------------------------------------------
def spring(scn, t, level, thread, logger, msg, app, pid=1):
    """Spring Boot 3.x default console pattern."""
    return (f"{scn.iso(t)} {level:>5} {pid} --- [{app}] [{thread[-15:]:>15}] "
            f"{logger[-40:]:<40} : {msg}")


def nginx_access(scn, t, ip, method, path, status, size, rt, ua="-", referer="-", host=None):
    stamp = scn.fmt(t, "%d/%b/%Y:%H:%M:%S +0000")
    up = "-" if status in (499,) else f"{max(0.0, rt - 0.001):.3f}"
    line = (f'{ip} - - [{stamp}] "{method} {path} HTTP/1.1" {status} {size} "{referer}" "{ua}" '
            f'rt={rt:.3f} uct="0.000" urt="{up}"')
    return line + (f' host="{host}"' if host else "")


def nginx_error(scn, t, level, pid, conn, msg):
    return f"{scn.fmt(t, '%Y/%m/%d %H:%M:%S')} [{level}] {pid}#{pid}: *{conn} {msg}"


def pg(scn, t, client, user_db, pid, level, msg):
    """RDS for PostgreSQL log_line_prefix '%t:%r:%u@%d:[%p]:'."""
    return f"{scn.fmt(t, '%Y-%m-%d %H:%M:%S')} UTC:{client}:{user_db}:[{pid}]:{level}:  {msg}"


def mysql(scn, t, thread, prio, code, msg):
    us = f"{scn.at(t).microsecond:06d}"
    return f"{scn.fmt(t, '%Y-%m-%dT%H:%M:%S')}.{us}Z {thread} [{prio}] [{code}] [Server] {msg}"


def syslog(scn, t, host, proc, msg):
    return f"{scn.fmt(t, '%b %d %H:%M:%S')} {host} {proc}: {msg}"


def pino(scn, t, level, host, msg, **fields):
    num = {"debug": 20, "info": 30, "warn": 40, "error": 50, "fatal": 60}[level]
    rec = {"level": num, "time": int((scn.at(t).timestamp()) * 1000), "pid": 1, "hostname": host}
    rec.update(fields)
    rec["msg"] = msg
    return json.dumps(rec, separators=(",", ":"))


def gunicorn(scn, t, pid, level, msg):
    return f"[{scn.fmt(t, '%Y-%m-%d %H:%M:%S')} +0000] [{pid}] [{level}] {msg}"


def zap(scn, t, level, caller, msg, **fields):
    rec = {"level": level, "ts": round(scn.at(t).timestamp(), 6), "caller": caller, "msg": msg}
    rec.update(fields)
    return json.dumps(rec, separators=(",", ":"))


def java_stack(exc, msg, frames, caused=None):
    out = [f"{exc}: {msg}" if msg else exc] + [f"\tat {f}" for f in frames]
    if caused:
        cexc, cmsg, cframes = caused
        out.append(f"Caused by: {cexc}: {cmsg}")
        out += [f"\tat {f}" for f in cframes]
        out.append(f"\t... {len(frames)} common frames omitted")
    return "\n".join(out)


# ---- CloudTrail helpers ---------------------------------------------------------
def lambda_deploy(scn, t, fn, user, version=None, alias=None):
    scn.change(t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, user)
    if version:
        scn.change(t + 14, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, user)
    if alias:
        scn.change(t + 21, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, user)


def ecs_deploy(scn, t, cluster, service, user):
    scn.change(t, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", service, user)
    scn.change(t + 9, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{service}", user)
