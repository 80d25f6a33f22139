"""Metric families as CloudWatch publishes them for ECS, ALB, EC2 (+ CloudWatch agent) and RDS."""
from __future__ import annotations

import json

from .core import Pair, metric, series

C = lambda v: (lambda t: v)  # noqa: E731  constant shape


def ecs_service(rng, cluster, service, *, cpu, mem, running, desired, pending=None,
                task_cpu=1024, task_mem=2048, cpu_noise=0.06, mem_noise=0.015, cpu_hi=100.0):
    """AWS/ECS service utilisation plus Container Insights task counts and absolute usage."""
    dims = {"ClusterName": cluster, "ServiceName": service}
    pending = pending or C(0)
    cpu_pts = series(rng, cpu, noise=cpu_noise, rel=True, lo=0.1, hi=cpu_hi, nd=3)
    mem_pts = series(rng, mem, noise=mem_noise, rel=True, lo=0.5, hi=100.0, nd=3)
    run_pts = series(rng, running, integer=True, lo=0)
    des_pts = series(rng, desired, integer=True, lo=0)
    pen_pts = series(rng, pending, integer=True, lo=0)
    cpu_used, cpu_res, mem_used, mem_res = [], [], [], []
    for (t, c), (_, m), (_, r) in zip(cpu_pts, mem_pts, run_pts):
        cpu_res.append([t, float(r * task_cpu)])
        mem_res.append([t, float(r * task_mem)])
        cpu_used.append([t, round(c / 100.0 * r * task_cpu, 2)])
        mem_used.append([t, round(m / 100.0 * r * task_mem, 1)])
    wrap = lambda pts: [Pair(p) for p in pts]  # noqa: E731
    return [
        metric("AWS/ECS", "CPUUtilization", dims, "Percent", cpu_pts),
        metric("AWS/ECS", "MemoryUtilization", dims, "Percent", mem_pts),
        metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Count", run_pts),
        metric("ECS/ContainerInsights", "DesiredTaskCount", dims, "Count", des_pts),
        metric("ECS/ContainerInsights", "PendingTaskCount", dims, "Count", pen_pts),
        metric("ECS/ContainerInsights", "CpuUtilized", dims, "None", wrap(cpu_used)),
        metric("ECS/ContainerInsights", "CpuReserved", dims, "None", wrap(cpu_res)),
        metric("ECS/ContainerInsights", "MemoryUtilized", dims, "Megabytes", wrap(mem_used)),
        metric("ECS/ContainerInsights", "MemoryReserved", dims, "Megabytes", wrap(mem_res)),
    ]


def alb_lb(rng, lb, *, req, rt, t5xx, elb5xx, elb502=None, elb504=None, conn_err=None):
    dims = {"LoadBalancer": lb}
    p502 = series(rng, elb502, counts=True) if elb502 else None
    p504 = series(rng, elb504, counts=True) if elb504 else None
    # ELB 5XX is the sum of the specific codes plus the rest (503s, 500s)
    rest = lambda t: max(0.0, elb5xx(t) - (elb502(t) if elb502 else 0.0) - (elb504(t) if elb504 else 0.0))  # noqa: E731
    p5xx = series(rng, rest, counts=True)
    for extra in (p502, p504):
        if extra:
            p5xx = [Pair([a[0], a[1] + b[1]]) for a, b in zip(p5xx, extra)]
    out = [
        metric("AWS/ApplicationELB", "RequestCount", dims, "Count", series(rng, req, counts=True)),
        metric("AWS/ApplicationELB", "TargetResponseTime", dims, "Seconds",
               series(rng, rt, noise=0.08, rel=True, lo=0.001, nd=4)),
        metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Count", series(rng, t5xx, counts=True)),
        metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Count", p5xx),
    ]
    if p502:
        out.append(metric("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", dims, "Count", p502))
    if p504:
        out.append(metric("AWS/ApplicationELB", "HTTPCode_ELB_504_Count", dims, "Count", p504))
    if conn_err:
        out.append(metric("AWS/ApplicationELB", "TargetConnectionErrorCount", dims, "Count",
                          series(rng, conn_err, counts=True)))
    return out


def alb_tg(rng, lb, tg, *, req, rt, t5xx, healthy, unhealthy=None):
    dims = {"LoadBalancer": lb, "TargetGroup": tg}
    unhealthy = unhealthy or C(0)
    return [
        metric("AWS/ApplicationELB", "RequestCount", dims, "Count", series(rng, req, counts=True)),
        metric("AWS/ApplicationELB", "TargetResponseTime", dims, "Seconds",
               series(rng, rt, noise=0.08, rel=True, lo=0.001, nd=4)),
        metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Count", series(rng, t5xx, counts=True)),
        metric("AWS/ApplicationELB", "HealthyHostCount", dims, "Count", series(rng, healthy, integer=True, lo=0)),
        metric("AWS/ApplicationELB", "UnHealthyHostCount", dims, "Count",
               series(rng, unhealthy, integer=True, lo=0)),
    ]


def ec2(rng, iid, *, cpu, mem, disk=None, net_in=C(4.0e6), device="nvme0n1p1", fstype="xfs", cpu_noise=0.08):
    dims = {"InstanceId": iid}
    disk = disk or C(38.0)
    return [
        metric("AWS/EC2", "CPUUtilization", dims, "Percent",
               series(rng, cpu, noise=cpu_noise, rel=True, lo=0.2, hi=100.0)),
        metric("AWS/EC2", "NetworkIn", dims, "Bytes", series(rng, net_in, noise=0.12, rel=True, lo=0, nd=1)),
        metric("AWS/EC2", "StatusCheckFailed", dims, "Count", series(rng, C(0), integer=True)),
        metric("CWAgent", "mem_used_percent", dims, "Percent",
               series(rng, mem, noise=0.012, rel=True, lo=1, hi=100.0)),
        metric("CWAgent", "disk_used_percent",
               {"InstanceId": iid, "path": "/", "device": device, "fstype": fstype}, "Percent",
               series(rng, disk, noise=0.002, rel=True, lo=0, hi=100.0)),
    ]


def rds(rng, db, *, cpu, conns, free_mem, free_storage, read_lat=C(0.0012), write_lat=C(0.0018),
        queue=C(0.4), read_iops=C(350.0), write_iops=C(220.0)):
    dims = {"DBInstanceIdentifier": db}
    return [
        metric("AWS/RDS", "CPUUtilization", dims, "Percent", series(rng, cpu, noise=0.08, rel=True, lo=0.5, hi=100)),
        metric("AWS/RDS", "DatabaseConnections", dims, "Count", series(rng, conns, noise=0.03, rel=True, lo=0,
                                                                       integer=True)),
        metric("AWS/RDS", "FreeableMemory", dims, "Bytes", series(rng, free_mem, noise=0.01, rel=True, nd=0)),
        metric("AWS/RDS", "FreeStorageSpace", dims, "Bytes",
               series(rng, free_storage, noise=0.0004, rel=True, nd=0)),
        metric("AWS/RDS", "ReadLatency", dims, "Seconds", series(rng, read_lat, noise=0.15, rel=True, lo=0, nd=5)),
        metric("AWS/RDS", "WriteLatency", dims, "Seconds", series(rng, write_lat, noise=0.15, rel=True, lo=0, nd=5)),
        metric("AWS/RDS", "DiskQueueDepth", dims, "Count", series(rng, queue, noise=0.2, rel=True, lo=0, nd=3)),
        metric("AWS/RDS", "ReadIOPS", dims, "Count/Second", series(rng, read_iops, noise=0.1, rel=True, lo=0, nd=2)),
        metric("AWS/RDS", "WriteIOPS", dims, "Count/Second",
               series(rng, write_iops, noise=0.1, rel=True, lo=0, nd=2)),
    ]


# ---------------------------------------------------------------- ECS resource + EventBridge events

def ecs_resource(cluster, service, *, launch_type, td, image, cpu, memory, desired, log_group,
                 tg=None, container="app", port=8080, extra=None):
    props = {
        "cluster": cluster,
        "service": service,
        "launch_type": launch_type,
        "task_definition": td,
        "image": image,
        "cpu": cpu,
        "memory": memory,
        "desired_count": desired,
        "log_groups": [log_group],
        "log_configuration": {"logDriver": "awslogs",
                              "options": {"awslogs-group": log_group, "awslogs-stream-prefix": "ecs"}},
    }
    if tg:
        props["load_balancers"] = [{"target_group": tg, "container_name": container, "container_port": port}]
    if extra:
        props.update(extra)
    return {"type": "ecs", "id": f"{cluster}/{service}", "properties": props}


def task_state_event(clk, rng, t, *, region, account, cluster, service, td, task_id, container="app",
                     exit_code=None, reason=None, stopped_reason="Essential container in task exited",
                     stop_code="EssentialContainerExited", last_status="STOPPED", launch_type="FARGATE"):
    arn = f"arn:aws:ecs:{region}:{account}"
    c = {"containerArn": f"{arn}:container/{cluster}/{task_id}/{rng.uuid()}", "lastStatus": last_status,
         "name": container}
    if exit_code is not None:
        c["exitCode"] = exit_code
    if reason:
        c["reason"] = reason
    detail = {
        "clusterArn": f"{arn}:cluster/{cluster}",
        "containers": [c],
        "desiredStatus": "STOPPED" if last_status == "STOPPED" else "RUNNING",
        "group": f"service:{service}",
        "lastStatus": last_status,
        "launchType": launch_type,
        "taskArn": f"{arn}:task/{cluster}/{task_id}",
        "taskDefinitionArn": f"{arn}:task-definition/{td}",
    }
    if last_status == "STOPPED":
        detail.update({"stopCode": stop_code, "stoppedReason": stopped_reason,
                       "stoppedAt": clk.iso(t)})
    ev = {"version": "0", "id": rng.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
          "account": account, "time": clk.iso(t, 0)[:19] + "Z", "region": region,
          "resources": [detail["taskArn"]], "detail": detail}
    return json.dumps(ev, separators=(",", ":"))


def service_event(clk, rng, t, *, region, account, cluster, service, detail_type, event_type, event_name,
                  reason=None, deployment_id=None):
    arn = f"arn:aws:ecs:{region}:{account}:service/{cluster}/{service}"
    detail = {"eventType": event_type, "eventName": event_name, "clusterArn":
              f"arn:aws:ecs:{region}:{account}:cluster/{cluster}", "createdAt": clk.iso(t)}
    if deployment_id:
        detail["deploymentId"] = deployment_id
        detail["updatedAt"] = clk.iso(t)
    if reason:
        detail["reason"] = reason
    ev = {"version": "0", "id": rng.uuid(), "detail-type": detail_type, "source": "aws.ecs",
          "account": account, "time": clk.iso(t, 0)[:19] + "Z", "region": region, "resources": [arn],
          "detail": detail}
    return json.dumps(ev, separators=(",", ":"))


class TaskSet:
    """The tasks of one ECS service over the log window, each with its own awslogs stream."""

    def __init__(self, rng, group, container, n, t0, region=None, prefix="ecs"):
        from .core import Stream
        self._Stream, self.rng, self.group, self.container = Stream, rng, group, container
        self.prefix, self.region = prefix, region
        self.tasks = []
        for _ in range(n):
            self.start(t0 - rng.randint(4 * 3600, 60 * 3600))

    def start(self, t):
        tid = self.rng.hexid(32)
        task = {"id": tid, "start": t, "end": None,
                "stream": self._Stream(self.group, f"{self.prefix}/{self.container}/{tid}", self.region)}
        self.tasks.append(task)
        return task

    def stop(self, task, t):
        task["end"] = t

    def alive(self, t):
        return [k for k in self.tasks if k["start"] <= t and (k["end"] is None or t < k["end"])]

    def pick(self, t):
        a = self.alive(t)
        return self.rng.choice(a) if a else None

    def streams(self):
        return [k["stream"] for k in self.tasks if k["stream"].events]
