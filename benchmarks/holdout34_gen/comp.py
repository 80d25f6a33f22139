"""Standard CloudWatch metric sets of the AWS services used in the chains."""
from __future__ import annotations


def _ser(s, v, integer=False, nd=3):
    if isinstance(v, list):
        return v
    return s.series(v, integer=integer, nd=nd)


def apigw(s, api, count, e4, e5, latency, integ=None, region=None):
    d = {"ApiName": api}
    out = {
        "count": s.metric("AWS/ApiGateway", "Count", dict(d), "Count", _ser(s, count, True), region),
        "4xx": s.metric("AWS/ApiGateway", "4XXError", dict(d), "Count", _ser(s, e4, True), region),
        "5xx": s.metric("AWS/ApiGateway", "5XXError", dict(d), "Count", _ser(s, e5, True), region),
        "latency": s.metric("AWS/ApiGateway", "Latency", dict(d), "Milliseconds", _ser(s, latency, nd=2), region),
    }
    if integ is not None:
        out["integ"] = s.metric("AWS/ApiGateway", "IntegrationLatency", dict(d), "Milliseconds",
                                _ser(s, integ, nd=2), region)
    return out


def lambda_(s, fn, inv, err, thr, dur, conc, region=None):
    d = {"FunctionName": fn}
    return {
        "inv": s.metric("AWS/Lambda", "Invocations", dict(d), "Count", _ser(s, inv, True), region),
        "err": s.metric("AWS/Lambda", "Errors", dict(d), "Count", _ser(s, err, True), region),
        "thr": s.metric("AWS/Lambda", "Throttles", dict(d), "Count", _ser(s, thr, True), region),
        "dur": s.metric("AWS/Lambda", "Duration", dict(d), "Milliseconds", _ser(s, dur, nd=2), region),
        "conc": s.metric("AWS/Lambda", "ConcurrentExecutions", dict(d), "Count", _ser(s, conc, True), region),
    }


def alb(s, lb, req, t5, e5, rt, healthy, unhealthy, t4=None, region=None):
    d = {"LoadBalancer": lb}
    out = {
        "req": s.metric("AWS/ApplicationELB", "RequestCount", dict(d), "Count", _ser(s, req, True), region),
        "t5": s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dict(d), "Count", _ser(s, t5, True), region),
        "e5": s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dict(d), "Count", _ser(s, e5, True), region),
        "rt": s.metric("AWS/ApplicationELB", "TargetResponseTime", dict(d), "Seconds", _ser(s, rt, nd=4), region),
        "healthy": s.metric("AWS/ApplicationELB", "HealthyHostCount", dict(d), "Count", _ser(s, healthy, True), region),
        "unhealthy": s.metric("AWS/ApplicationELB", "UnHealthyHostCount", dict(d), "Count",
                              _ser(s, unhealthy, True), region),
    }
    if t4 is not None:
        out["t4"] = s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dict(d), "Count",
                             _ser(s, t4, True), region)
    return out


def ecs(s, cluster, service, cpu, mem, running=None, region=None):
    d = {"ClusterName": cluster, "ServiceName": service}
    out = {
        "cpu": s.metric("AWS/ECS", "CPUUtilization", dict(d), "Percent", _ser(s, cpu, nd=2), region),
        "mem": s.metric("AWS/ECS", "MemoryUtilization", dict(d), "Percent", _ser(s, mem, nd=2), region),
    }
    if running is not None:
        out["running"] = s.metric("ECS/ContainerInsights", "RunningTaskCount", dict(d), "Count",
                                  _ser(s, running, True), region)
    return out


def rds(s, db, cpu, conns, free_storage, read_lat, write_lat, freeable, region=None):
    d = {"DBInstanceIdentifier": db}
    return {
        "cpu": s.metric("AWS/RDS", "CPUUtilization", dict(d), "Percent", _ser(s, cpu, nd=2), region),
        "conns": s.metric("AWS/RDS", "DatabaseConnections", dict(d), "Count", _ser(s, conns, True), region),
        "storage": s.metric("AWS/RDS", "FreeStorageSpace", dict(d), "Bytes", _ser(s, free_storage, True), region),
        "rlat": s.metric("AWS/RDS", "ReadLatency", dict(d), "Seconds", _ser(s, read_lat, nd=5), region),
        "wlat": s.metric("AWS/RDS", "WriteLatency", dict(d), "Seconds", _ser(s, write_lat, nd=5), region),
        "mem": s.metric("AWS/RDS", "FreeableMemory", dict(d), "Bytes", _ser(s, freeable, True), region),
    }


def ec2(s, iid, cpu, netin, status, mem=None, region=None):
    d = {"InstanceId": iid}
    out = {
        "cpu": s.metric("AWS/EC2", "CPUUtilization", dict(d), "Percent", _ser(s, cpu, nd=2), region),
        "net": s.metric("AWS/EC2", "NetworkIn", dict(d), "Bytes", _ser(s, netin, True), region),
        "status": s.metric("AWS/EC2", "StatusCheckFailed", dict(d), "Count", _ser(s, status, True), region),
    }
    if mem is not None:
        out["mem"] = s.metric("CWAgent", "mem_used_percent", dict(d), "Percent", _ser(s, mem, nd=2), region)
    return out


GB = 1024 ** 3
