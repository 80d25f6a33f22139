"""Resource emitters: register a resource and its standard CloudWatch metric set.

Each emitter takes mean functions of t (relative seconds) and samples them with
noise.  They return the generated series so logs can be made consistent.
"""
import math

from .common import TIMES, hexs

GB = 1024.0 ** 3


def const(v):
    return lambda t: v


def lambda_fn(sc, name, runtime, timeout, memory, rate, dur, err=None, thr=None,
              cap=None, insights=None, exact=False, **props):
    """rate: invocations/min; dur: mean ms; err: error fraction; thr: throttles/min."""
    p = {"runtime": runtime, "timeout": timeout, "memory_size": memory}
    if cap is not None:
        p["reserved_concurrency"] = cap
    p.update(props)
    sc.res("lambda", name, **p)
    rng = sc.rng
    inv = [float(round(rate(t))) for t in TIMES] if exact else sc.gen(rate, count=True)
    errs, thrs, durs, conc = [], [], [], []
    for t, n in zip(TIMES, inv):
        f = err(t) if err else 0.0
        e = sum(1 for _ in range(int(n)) if rng.random() < f) if n < 400 else round(n * f)
        errs.append(float(e))
        thrs.append(float(max(0, round(thr(t) * (1 + rng.gauss(0, 0.08))))) if thr else 0.0)
        d = dur(t) * (1 + rng.gauss(0, 0.08))
        d = min(d, timeout * 1000.0)
        durs.append(max(1.0, d))
        c = n * d / 60000.0 * (1 + rng.gauss(0, 0.15)) + (1 if n else 0)
        if cap is not None:
            c = min(cap, c)
        conc.append(float(max(0, math.ceil(c)) if n else 0))
    dims = {"FunctionName": name}
    sc.put("AWS/Lambda", "Invocations", dims, "Count", inv)
    sc.put("AWS/Lambda", "Errors", dims, "Count", errs)
    sc.put("AWS/Lambda", "Throttles", dims, "Count", thrs)
    sc.put("AWS/Lambda", "Duration", dims, "Milliseconds", durs)
    sc.put("AWS/Lambda", "ConcurrentExecutions", dims, "Count", conc)
    if insights:
        sc.put("LambdaInsights", "memory_utilization", {"function_name": name}, "Percent",
               sc.gen(insights, rel=0.03, hi=100.0))
    return {"inv": inv, "err": errs, "thr": thrs, "dur": durs, "conc": conc}


def ec2(sc, iid, name, itype, cpu, net=None, mem=None, disk=None, status=None,
        log_groups=None, **props):
    p = {"name": name, "instance_type": itype}
    if log_groups:
        p["log_groups"] = list(log_groups)
    p.update(props)
    sc.res("ec2", iid, **p)
    dims = {"InstanceId": iid}
    out = {}
    out["cpu"] = sc.put("AWS/EC2", "CPUUtilization", dims, "Percent",
                        sc.gen(cpu, rel=0.07, hi=100.0))
    net = net or const(3.0e6)
    out["net"] = sc.put("AWS/EC2", "NetworkIn", dims, "Bytes", sc.gen(net, rel=0.12))
    sc.put("AWS/EC2", "NetworkOut", dims, "Bytes",
           sc.gen(lambda t: (net(t) or 0) * 1.4 if net(t) is not None else None, rel=0.12))
    st = status or const(0.0)
    sc.put("AWS/EC2", "StatusCheckFailed", dims, "Count", [st(t) for t in TIMES])
    sc.put("AWS/EC2", "StatusCheckFailed_Instance", dims, "Count", [st(t) for t in TIMES])
    mem = mem or const(42.0)
    out["mem"] = sc.put("CWAgent", "mem_used_percent", dims, "Percent",
                        sc.gen(mem, rel=0.015, hi=100.0))
    disk = disk or const(38.0)
    out["disk"] = sc.put("CWAgent", "disk_used_percent",
                         {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
                         sc.gen(disk, rel=0.002, hi=100.0))
    return out


def rds(sc, ident, engine, version, cls, max_conn, storage_gb, cpu, conn,
        free_gb=None, mem_gb=None, rlat=None, wlat=None, queue=None, **props):
    p = {"engine": engine, "engine_version": version, "instance_class": cls,
         "max_connections": max_conn, "allocated_storage_gb": storage_gb}
    p.update(props)
    sc.res("rds", ident, **p)
    dims = {"DBInstanceIdentifier": ident}
    out = {}
    out["cpu"] = sc.put("AWS/RDS", "CPUUtilization", dims, "Percent", sc.gen(cpu, rel=0.08, hi=100.0))
    out["conn"] = sc.put("AWS/RDS", "DatabaseConnections", dims, "Count",
                         [None if v is None else float(min(max_conn, round(v)))
                          for v in sc.gen(conn, rel=0.04)])
    free_gb = free_gb or const(storage_gb * 0.55)
    out["free"] = sc.put("AWS/RDS", "FreeStorageSpace", dims, "Bytes",
                         [None if v is None else max(0.0, v) * GB
                          for v in sc.gen(free_gb, rel=0.0005)], nd=0)
    mem_gb = mem_gb or const(3.1)
    sc.put("AWS/RDS", "FreeableMemory", dims, "Bytes",
           [None if v is None else v * GB for v in sc.gen(mem_gb, rel=0.02)], nd=0)
    sc.put("AWS/RDS", "ReadLatency", dims, "Seconds", sc.gen(rlat or const(0.0012), rel=0.2), nd=5)
    sc.put("AWS/RDS", "WriteLatency", dims, "Seconds", sc.gen(wlat or const(0.0021), rel=0.2), nd=5)
    sc.put("AWS/RDS", "DiskQueueDepth", dims, "Count", sc.gen(queue or const(0.4), rel=0.3), nd=3)
    return out


def ecs(sc, cluster, service, cpu, mem, tasks, desired=None, **props):
    sid = "%s/%s" % (cluster, service)
    p = {"cluster": cluster, "service": service, "launch_type": "FARGATE"}
    p.update(props)
    sc.res("ecs", sid, **p)
    dims = {"ClusterName": cluster, "ServiceName": service}
    out = {}
    out["cpu"] = sc.put("AWS/ECS", "CPUUtilization", dims, "Percent", sc.gen(cpu, rel=0.06, hi=100.0))
    out["mem"] = sc.put("AWS/ECS", "MemoryUtilization", dims, "Percent", sc.gen(mem, rel=0.015, hi=100.0))
    out["tasks"] = sc.put("ECS/ContainerInsights", "RunningTaskCount", dims, "Count",
                          [float(round(tasks(t))) for t in TIMES])
    d = desired or tasks
    sc.put("ECS/ContainerInsights", "DesiredTaskCount", dims, "Count",
           [float(round(d(t))) for t in TIMES])
    return out


def alb(sc, name, req, rt, t5=None, e5=None, healthy=None, unhealthy=None, t4=None, **props):
    lid = "app/%s/%s" % (name, hexs(sc.rng, 16))
    p = {"name": name, "scheme": props.pop("scheme", "internet-facing")}
    p.update(props)
    sc.res("alb", lid, **p)
    dims = {"LoadBalancer": lid}
    out = {"id": lid}
    out["req"] = sc.put("AWS/ApplicationELB", "RequestCount", dims, "Count", sc.gen(req, count=True))
    out["rt"] = sc.put("AWS/ApplicationELB", "TargetResponseTime", dims, "Seconds", sc.gen(rt, rel=0.08))
    out["t5"] = sc.put("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Count",
                       sc.gen(t5 or const(0.2), count=True))
    sc.put("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dims, "Count",
           sc.gen(t4 or (lambda t: max(0.5, req(t) * 0.012)), count=True))
    out["e5"] = sc.put("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Count",
                       sc.gen(e5 or const(0.05), count=True))
    h = healthy or const(4)
    u = unhealthy or const(0)
    sc.put("AWS/ApplicationELB", "HealthyHostCount", dims, "Count", [float(round(h(t))) for t in TIMES])
    sc.put("AWS/ApplicationELB", "UnHealthyHostCount", dims, "Count", [float(round(u(t))) for t in TIMES])
    return out


def apigw(sc, name, count, lat, e5=None, e4=None, ilat=None, **props):
    p = {"api_id": props.pop("api_id", None) or hexs(sc.rng, 10), "stage": "prod"}
    p.update(props)
    sc.res("apigateway", name, **p)
    dims = {"ApiName": name}
    out = {"api_id": p["api_id"]}
    out["count"] = sc.put("AWS/ApiGateway", "Count", dims, "Count", sc.gen(count, count=True))
    out["e4"] = sc.put("AWS/ApiGateway", "4XXError", dims, "Count",
                       sc.gen(e4 or (lambda t: count(t) * 0.01), count=True))
    out["e5"] = sc.put("AWS/ApiGateway", "5XXError", dims, "Count", sc.gen(e5 or const(0.05), count=True))
    out["lat"] = sc.put("AWS/ApiGateway", "Latency", dims, "Milliseconds", sc.gen(lat, rel=0.09))
    il = ilat or (lambda t: lat(t) * 0.88)
    sc.put("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds", sc.gen(il, rel=0.09))
    return out
