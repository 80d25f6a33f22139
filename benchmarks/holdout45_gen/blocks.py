"""Standard CloudWatch metric sets per service, fed by per-scenario shape functions."""
from __future__ import annotations

from typing import Callable

from .core import HIST, Scn

F = Callable[[int], float]
GB = 1024 ** 3


def _emit(sc: Scn, ns: str, dims: dict, spec: list, start: int = HIST, step: int = 60) -> None:
    for name, unit, fn, nd in spec:
        if fn is not None:
            sc.metric(ns, name, dims, unit, fn, start=start, step=step, nd=nd)


def rds(sc: Scn, ident: str, cpu: F, conns: F, free_storage: F, freeable: F, read_lat: F, write_lat: F,
        read_iops: F, write_iops: F, extra: list | None = None) -> None:
    spec = [("CPUUtilization", "Percent", cpu, 3), ("DatabaseConnections", "Count", conns, 0),
            ("FreeStorageSpace", "Bytes", free_storage, 0), ("FreeableMemory", "Bytes", freeable, 0),
            ("ReadLatency", "Seconds", read_lat, 5), ("WriteLatency", "Seconds", write_lat, 5),
            ("ReadIOPS", "Count/Second", read_iops, 2), ("WriteIOPS", "Count/Second", write_iops, 2)]
    for name, unit, fn in extra or []:
        spec.append((name, unit, fn, 3))
    _emit(sc, "AWS/RDS", {"DBInstanceIdentifier": ident}, spec)


def aurora(sc: Scn, ident: str, cpu: F, conns: F, freeable: F, extra: list | None = None) -> None:
    spec = [("CPUUtilization", "Percent", cpu, 3), ("DatabaseConnections", "Count", conns, 0),
            ("FreeableMemory", "Bytes", freeable, 0)]
    for name, unit, fn in extra or []:
        spec.append((name, unit, fn, 3))
    _emit(sc, "AWS/RDS", {"DBInstanceIdentifier": ident}, spec)


def alb(sc: Scn, lb: str, req: F, rt: F, t5xx: F, e5xx: F, healthy: F, unhealthy: F | None = None,
        t4xx: F | None = None) -> None:
    spec = [("RequestCount", "Count", req, 0), ("TargetResponseTime", "Seconds", rt, 4),
            ("HTTPCode_Target_5XX_Count", "Count", t5xx, 0), ("HTTPCode_ELB_5XX_Count", "Count", e5xx, 0),
            ("HTTPCode_Target_4XX_Count", "Count", t4xx, 0),
            ("HealthyHostCount", "Count", healthy, 0), ("UnHealthyHostCount", "Count", unhealthy or (lambda t: 0), 0)]
    _emit(sc, "AWS/ApplicationELB", {"LoadBalancer": lb}, spec)


def ecs(sc: Scn, cluster: str, service: str, cpu: F, mem: F, running: F | None = None) -> None:
    dims = {"ClusterName": cluster, "ServiceName": service}
    _emit(sc, "AWS/ECS", dims, [("CPUUtilization", "Percent", cpu, 3), ("MemoryUtilization", "Percent", mem, 3)])
    if running is not None:
        _emit(sc, "ECS/ContainerInsights", dims, [("RunningTaskCount", "Count", running, 0)])


def sqs(sc: Scn, queue: str, sent: F, received: F, deleted: F, visible: F, age: F) -> None:
    _emit(sc, "AWS/SQS", {"QueueName": queue}, [
        ("NumberOfMessagesSent", "Count", sent, 0), ("NumberOfMessagesReceived", "Count", received, 0),
        ("NumberOfMessagesDeleted", "Count", deleted, 0), ("ApproximateNumberOfMessagesVisible", "Count", visible, 0),
        ("ApproximateAgeOfOldestMessage", "Seconds", age, 0)])


def ec2(sc: Scn, iid: str, cpu: F, net_in: F, net_out: F, mem: F | None = None, disks: list | None = None,
        step: int = 60) -> None:
    dims = {"InstanceId": iid}
    _emit(sc, "AWS/EC2", dims, [("CPUUtilization", "Percent", cpu, 3), ("NetworkIn", "Bytes", net_in, 0),
                                ("NetworkOut", "Bytes", net_out, 0),
                                ("StatusCheckFailed", "Count", lambda t: 0, 0)], step=step)
    if mem is not None:
        _emit(sc, "CWAgent", dims, [("mem_used_percent", "Percent", mem, 3)])
    for path, device, fstype, fn in disks or []:
        _emit(sc, "CWAgent", {"InstanceId": iid, "path": path, "device": device, "fstype": fstype},
              [("disk_used_percent", "Percent", fn, 3)])


def apigw(sc: Scn, api: str, count: F, e4: F, e5: F, lat: F, integ: F | None = None) -> None:
    _emit(sc, "AWS/ApiGateway", {"ApiName": api}, [
        ("Count", "Count", count, 0), ("4XXError", "Count", e4, 0), ("5XXError", "Count", e5, 0),
        ("Latency", "Milliseconds", lat, 2), ("IntegrationLatency", "Milliseconds", integ, 2)])
