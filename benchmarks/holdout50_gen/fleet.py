"""Metric packs (EC2 + CloudWatch agent, ALB, Auto Scaling, RDS) and log sampling helpers."""
from .core import GRID, counts, series
from . import fmt

LOG_FROM = -10800          # logs cover the last 3 hours


def inst(s, name, subnet, alive=(-10 ** 9, 10 ** 9), iid=None):
    ip = s.ip(subnet)
    return {"id": iid or s.iid(), "name": name, "ip": ip, "host": fmt.host_of(ip), "alive": alive}


def alive_fn(i, fn):
    return lambda t: fn(t) if i["alive"][0] <= t < i["alive"][1] else None


def ec2_metrics(s, i, cpu, mem=None, disk=None, windows=False, net_per_cpu=140000.0,
                status_inst=None, status_sys=None, disk_path="/", device="nvme0n1p1"):
    """cpu/mem/disk are lists on GRID (None = no data). status_* are lists of 0/1 or None."""
    d = {"InstanceId": i["id"]}
    s.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu)
    net = [None if c is None else max(2e4, c * net_per_cpu * s.rng.uniform(0.85, 1.15)) for c in cpu]
    s.metric("AWS/EC2", "NetworkIn", d, "Bytes", net, nd=0)
    s.metric("AWS/EC2", "NetworkOut", d, "Bytes", [None if v is None else v * s.rng.uniform(2.6, 3.4) for v in net], nd=0)
    si = status_inst or [None if c is None else 0.0 for c in cpu]
    ss = status_sys or [None if c is None else 0.0 for c in cpu]
    s.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", si)
    s.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", ss)
    s.metric("AWS/EC2", "StatusCheckFailed", d, "Count",
             [None if a is None and b is None else max(a or 0, b or 0) for a, b in zip(si, ss)])
    if windows:
        if mem is not None:
            s.metric("CWAgent", "Memory % Committed Bytes In Use", dict(d, objectname="Memory"), "Percent", mem)
        if disk is not None:
            s.metric("CWAgent", "LogicalDisk % Free Space", dict(d, instance="C:", objectname="LogicalDisk"), "Percent", disk)
    else:
        if mem is not None:
            s.metric("CWAgent", "mem_used_percent", d, "Percent", mem)
        if disk is not None:
            s.metric("CWAgent", "disk_used_percent", dict(d, path=disk_path, device=device, fstype="xfs"), "Percent", disk)


def flat(s, i, level, noise, lo=0.0, hi=100.0):
    return series(s, alive_fn(i, lambda t: level), noise=noise, lo=lo, hi=hi)


def alb_metrics(s, alb, tg, req, t5xx, rt, healthy, unhealthy, e5xx=None, t4xx=None, e502=None):
    d = {"LoadBalancer": alb}
    s.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req, nd=0)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, nd=4)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx, nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
             t4xx or counts(s, lambda t: 0.012 * (req[GRID.index(t)] or 0)), nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx or [0.0] * len(GRID), nd=0)
    if e502 is not None:
        s.metric("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", d, "Count", e502, nd=0)
    tgd = {"TargetGroup": tg, "LoadBalancer": alb}
    s.metric("AWS/ApplicationELB", "HealthyHostCount", tgd, "Count", healthy, nd=0)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", tgd, "Count", unhealthy, nd=0)


def asg_metrics(s, asg, inservice, desired):
    d = {"AutoScalingGroupName": asg}
    s.metric("AWS/AutoScaling", "GroupInServiceInstances", d, "None", inservice, nd=0)
    s.metric("AWS/AutoScaling", "GroupDesiredCapacity", d, "None", desired, nd=0)


def rds_metrics(s, db, cpu, conns, free_storage, freeable, read_lat, write_lat, read_iops, write_iops, extra=()):
    d = {"DBInstanceIdentifier": db}
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu)
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns, nd=0)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_storage, nd=0)
    s.metric("AWS/RDS", "FreeableMemory", d, "Bytes", freeable, nd=0)
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat, nd=5)
    s.metric("AWS/RDS", "WriteLatency", d, "Seconds", write_lat, nd=5)
    s.metric("AWS/RDS", "ReadIOPS", d, "Count/Second", read_iops, nd=1)
    s.metric("AWS/RDS", "WriteIOPS", d, "Count/Second", write_iops, nd=1)
    for name, unit, vals in extra:
        s.metric("AWS/RDS", name, d, unit, vals)


def rds_default(s, db, cpu=18.0, conns=60.0, free_gb=140.0, mem_gb=5.5, riops=180.0, wiops=90.0):
    """Unremarkable RDS series."""
    gb = 1024 ** 3
    rds_metrics(s, db,
                series(s, lambda t: cpu, noise=cpu * 0.15, hi=100),
                counts(s, lambda t: conns),
                series(s, lambda t: free_gb * gb - (t + 21600) * 900.0, noise=2e7),
                series(s, lambda t: mem_gb * gb, noise=4e7),
                series(s, lambda t: 0.0011, noise=0.0002, lo=0.0003),
                series(s, lambda t: 0.0016, noise=0.0003, lo=0.0004),
                series(s, lambda t: riops, noise=riops * 0.12),
                series(s, lambda t: wiops, noise=wiops * 0.12))


def times(s, t0, t1, per_min):
    """Random event times between t0 and t1 at about per_min per minute (per_min may be a function)."""
    t = t0 + s.rng.uniform(0, 2)
    out = []
    while t < t1:
        r = per_min(t) if callable(per_min) else per_min
        if r <= 0:
            t += 30
            continue
        out.append(t)
        t += s.rng.expovariate(r / 60.0)
    return out


def every(s, t0, t1, period, jitter=3.0):
    t = t0 + s.rng.uniform(0, period)
    out = []
    while t < t1:
        out.append(t + s.rng.uniform(-jitter, jitter))
        t += period
    return out


def clients(s, prefix, n=40):
    return [s.ip(prefix) for _ in range(n)]
