"""Metric-set builders (ALB, EC2, ECS, RDS) and log-line formatters for non-Lambda sources."""
from __future__ import annotations

import json

GB = 1024 ** 3


# ------------------------------------------------------------------ metric sets
def alb_metrics(scn, lb, rows):
    """rows: {minute: dict(req, rt, t2, t4, t5, e5, healthy, unhealthy)} for every minute."""
    d = {"LoadBalancer": lb}
    mins = list(scn.minutes())

    def col(k, default=0):
        return [(m, rows[m].get(k, default)) for m in mins]

    scn.metric("AWS/ApplicationELB", "RequestCount", d, "Count", col("req"))
    scn.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
               [(m, rows[m]["rt"] if rows[m]["req"] else None) for m in mins])
    scn.metric("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", d, "Count", col("t2"))
    scn.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", col("t4"))
    scn.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", col("t5"))
    scn.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", col("e5"))
    scn.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", col("healthy"))
    scn.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", col("unhealthy"))


def ec2_metrics(scn, iid, cpu, mem=None, disk=None, net_in=None, step=60, status=None, path="/", fstype="xfs"):
    d = {"InstanceId": iid}
    scn.series("AWS/EC2", "CPUUtilization", d, "Percent", cpu, step)
    if net_in:
        scn.series("AWS/EC2", "NetworkIn", d, "Bytes", net_in, step)
        scn.series("AWS/EC2", "NetworkOut", d, "Bytes", lambda t: None if net_in(t) is None
                   else net_in(t) * scn.rng.uniform(1.6, 2.2), step)
    st = status or (lambda t: 0.0)
    scn.series("AWS/EC2", "StatusCheckFailed", d, "Count", st, step)
    if mem:
        scn.series("CWAgent", "mem_used_percent", d, "Percent", mem, step)
    if disk:
        scn.series("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": path, "fstype": fstype},
                   "Percent", disk, step)


def ecs_metrics(scn, cluster, service, cpu, mem, running, desired=None):
    d = {"ClusterName": cluster, "ServiceName": service}
    scn.series("AWS/ECS", "CPUUtilization", d, "Percent", cpu)
    scn.series("AWS/ECS", "MemoryUtilization", d, "Percent", mem)
    scn.series("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running)
    scn.series("ECS/ContainerInsights", "DesiredTaskCount", d, "Count", desired or running)


def rds_metrics(scn, db, cpu, conns, free_storage, freeable_mem, read_lat, write_lat, read_iops=None,
                write_iops=None, queue=None):
    d = {"DBInstanceIdentifier": db}
    scn.series("AWS/RDS", "CPUUtilization", d, "Percent", cpu)
    scn.series("AWS/RDS", "DatabaseConnections", d, "Count", conns)
    scn.series("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_storage)
    scn.series("AWS/RDS", "FreeableMemory", d, "Bytes", freeable_mem)
    scn.series("AWS/RDS", "ReadLatency", d, "Seconds", read_lat)
    scn.series("AWS/RDS", "WriteLatency", d, "Seconds", write_lat)
    if read_iops:
        scn.series("AWS/RDS", "ReadIOPS", d, "Count/Second", read_iops)
    if write_iops:
        scn.series("AWS/RDS", "WriteIOPS", d, "Count/Second", write_iops)
    if queue:
        scn.series("AWS/RDS", "DiskQueueDepth", d, "Count", queue)


# ------------------------------------------------------------------- log lines
def pg_line(scn, t, level, msg, ip=None, user="", db="", pid=None):
    """RDS PostgreSQL log_line_prefix '%t:%r:%u@%d:[%p]:'."""
    pid = pid or scn.rng.randint(1200, 32000)
    remote = f"{ip}({scn.rng.randint(32768, 60999)})" if ip else ""
    return f"{scn.stamp(t, '%Y-%m-%d %H:%M:%S')} UTC:{remote}:{user}@{db}:[{pid}]:{level}:  {msg}"


def pg_checkpoints(scn, start, every=300):
    out, t = [], start
    while t < 0:
        pid = 562
        out.append((t, pg_line(scn, t, "LOG", "checkpoint starting: time", pid=pid)))
        w = scn.rng.randint(900, 4200)
        secs = round(scn.rng.uniform(20, 120), 3)
        out.append((t + secs, pg_line(scn, t + secs, "LOG",
                    f"checkpoint complete: wrote {w} buffers ({w / 1310.72:.1f}%); 0 WAL file(s) added, 0 removed, "
                    f"{scn.rng.randint(1, 4)} recycled; write={secs - 0.4:.3f} s, sync=0.{scn.rng.randint(10, 99)} s, "
                    f"total={secs:.3f} s; sync files={scn.rng.randint(20, 90)}, longest=0.0{scn.rng.randint(10, 99)} s, "
                    f"average=0.00{scn.rng.randint(1, 9)} s; distance={w * 8} kB, estimate={w * 9} kB", pid=pid)))
        t += every
    return out


def mysql_err(scn, t, thread, prio, code, subsys, msg):
    return f"{scn.iso(t, digits=6)} {thread} [{prio}] [{code}] [{subsys}] {msg}"


def spring(scn, t, level, app, thread, logger, msg):
    return f"{scn.iso(t)}  {level:>5} 1 --- [{app}] [{thread:>15}] {logger:<40} : {msg}"


def dotnet_json(scn, t, level, category, msg, event_id=0, exc=None, **state):
    rec = {"Timestamp": scn.iso(t, digits=7, z="+00:00"), "EventId": event_id, "LogLevel": level,
           "Category": category, "Message": msg}
    if exc:
        rec["Exception"] = exc
    if state:
        rec["State"] = {"Message": msg, **state}
    return json.dumps(rec, separators=(",", ":"))


def pino(scn, t, level, msg, host, **fields):
    lv = {"debug": 20, "info": 30, "warn": 40, "error": 50, "fatal": 60}[level]
    rec = {"level": lv, "time": scn.epoch_ms(t), "pid": 1, "hostname": host}
    rec.update(fields)
    rec["msg"] = msg
    return json.dumps(rec, separators=(",", ":"))


def slog(scn, t, level, msg, **fields):
    rec = {"time": scn.iso(t, digits=6), "level": level, "msg": msg}
    rec.update(fields)
    return json.dumps(rec, separators=(",", ":"))


def rails(scn, t, level, pid, msg, req=None):
    tag = f"[{req}] " if req else ""
    return f"{level[0]}, [{scn.iso(t, digits=6, z='')} #{pid}] {level:>5} -- : {tag}{msg}"


def nginx(scn, t, ip, method, path, status, size, rt, ua, upstream=None):
    ts = scn.stamp(t, "%d/%b/%Y:%H:%M:%S +0000")
    urt = f"{upstream:.3f}" if upstream is not None else "-"
    return (f'{ip} - - [{ts}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" '
            f"rt={rt:.3f} uct=0.000 urt={urt}")


def apigw_exec(reqid, msg):
    return f"({reqid}) {msg}"


def ecs_task_event(scn, t, cluster, service, task_id, td, reason, exit_code, container):
    arn = f"arn:aws:ecs:{scn.region}:418295730164"
    detail = {
        "clusterArn": f"{arn}:cluster/{cluster}", "taskArn": f"{arn}:task/{cluster}/{task_id}",
        "group": f"service:{service}", "taskDefinitionArn": f"{arn}:task-definition/{td}",
        "lastStatus": "STOPPED", "desiredStatus": "STOPPED", "stopCode": "EssentialContainerExited",
        "stoppedReason": "Essential container in task exited", "stoppedAt": scn.iso(t),
        "containers": [{"name": container, "lastStatus": "STOPPED", "exitCode": exit_code, "reason": reason}],
    }
    return json.dumps({"version": "0", "id": scn.uid(), "detail-type": "ECS Task State Change",
                       "source": "aws.ecs", "account": "418295730164", "time": scn.iso(t, digits=0),
                       "region": scn.region, "detail": detail}, separators=(",", ":"))


class Streams:
    """Collects events per log stream of one group, then hands them to the scenario."""

    def __init__(self, scn, group):
        self.scn, self.group, self.s = scn, group, {}

    def add(self, stream, t, text):
        self.s.setdefault(stream, []).append((t, text))

    def flush(self):
        for name, ev in self.s.items():
            self.scn.log(self.group, name, ev)
