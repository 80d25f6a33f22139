"""Per-service metric sets with the metric names and dimensions AWS publishes."""
from __future__ import annotations

from .common import Rng, counts, metric, series, times

GB = 1024 ** 3


def _val(fn, default):
    return fn if fn is not None else (lambda t: default)


def lambda_set(rng: Rng, fn: str, inv, err, dur, conc, thr=None, ts=None, region=None,
               stats=None):
    """AWS/Lambda metrics.  inv/err/thr: expected counts per minute; dur ms; conc.

    stats: optional per-minute list from lambda_invocations() that overrides
    inv/err/dur inside the logged window so that logs and metrics agree.
    """
    ts = ts or times()
    d = {"FunctionName": fn}
    by_t = {s[0]: s for s in (stats or [])}
    inv_p, err_p, dur_p = [], [], []
    for t in ts:
        s = by_t.get(t)
        if s is not None:
            inv_p.append([t, float(s[1])])
            err_p.append([t, float(s[2])])
            if s[3] is not None:
                dur_p.append([t, round(s[3], 2)])
        else:
            inv_p.append([t, float(rng.poisson(inv(t)))])
            err_p.append([t, float(rng.poisson(err(t)))])
            dur_p.append([t, round(max(1.0, dur(t) * rng.uniform(0.93, 1.07)), 2)])
    thr = _val(thr, 0.0)
    return [
        metric("AWS/Lambda", "Invocations", d, "Count", inv_p, region),
        metric("AWS/Lambda", "Errors", d, "Count", err_p, region),
        metric("AWS/Lambda", "Throttles", d, "Count", counts(ts, thr, rng), region),
        metric("AWS/Lambda", "Duration", d, "Milliseconds", dur_p, region),
        metric("AWS/Lambda", "ConcurrentExecutions", d, "Count",
               series(ts, lambda t: round(conc(t) * rng.uniform(0.9, 1.1)), nd=0), region),
    ]


def alb_set(rng: Rng, lb: str, req, rt, t5xx, e5xx=None, e502=None, e503=None, e504=None,
            t4xx=None, tgs=(), ts=None, region=None, extra_5xx_detail=True):
    """AWS/ApplicationELB load-balancer level metrics plus per target group health.

    tgs: list of (tg_id, healthy_fn, unhealthy_fn[, requests_fn]).
    """
    ts = ts or times()
    d = {"LoadBalancer": lb}
    e502, e503, e504 = _val(e502, 0.0), _val(e503, 0.0), _val(e504, 0.0)
    p502, p503, p504 = counts(ts, e502, rng), counts(ts, e503, rng), counts(ts, e504, rng)
    if e5xx is None:
        p5 = [[a[0], a[1] + b[1] + c[1]] for a, b, c in zip(p502, p503, p504)]
    else:
        p5 = counts(ts, e5xx, rng)
    out = [
        metric("AWS/ApplicationELB", "RequestCount", d, "Count", counts(ts, req, rng), region),
        metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
               series(ts, lambda t: rt(t) * rng.uniform(0.9, 1.1), nd=4), region),
        metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", counts(ts, t5xx, rng), region),
        metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
               counts(ts, _val(t4xx, 0.0), rng), region),
        metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", p5, region),
    ]
    if extra_5xx_detail:
        out += [
            metric("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", d, "Count", p502, region),
            metric("AWS/ApplicationELB", "HTTPCode_ELB_503_Count", d, "Count", p503, region),
            metric("AWS/ApplicationELB", "HTTPCode_ELB_504_Count", d, "Count", p504, region),
        ]
    for tg in tgs:
        tg_id, healthy, unhealthy = tg[0], tg[1], tg[2]
        td = {"TargetGroup": tg_id, "LoadBalancer": lb}
        out.append(metric("AWS/ApplicationELB", "HealthyHostCount", td, "Count",
                          series(ts, healthy, nd=0), region))
        out.append(metric("AWS/ApplicationELB", "UnHealthyHostCount", td, "Count",
                          series(ts, unhealthy, nd=0), region))
        if len(tg) > 3 and tg[3] is not None:
            out.append(metric("AWS/ApplicationELB", "RequestCount", td, "Count",
                              counts(ts, tg[3], rng), region))
    return out


def ecs_set(rng: Rng, cluster: str, service: str, cpu, mem, running, desired, ts=None,
            region=None, insights=True, mem_reserved_mb=None):
    ts = ts or times()
    d = {"ClusterName": cluster, "ServiceName": service}
    out = [
        metric("AWS/ECS", "CPUUtilization", d, "Percent",
               series(ts, lambda t: cpu(t) * rng.uniform(0.92, 1.08), hi=100.0), region),
        metric("AWS/ECS", "MemoryUtilization", d, "Percent",
               series(ts, lambda t: mem(t) * rng.uniform(0.98, 1.02), hi=100.0), region),
    ]
    if insights:
        out += [
            metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", series(ts, running, nd=0), region),
            metric("ECS/ContainerInsights", "DesiredTaskCount", d, "Count", series(ts, desired, nd=0), region),
        ]
        if mem_reserved_mb:
            out.append(metric("ECS/ContainerInsights", "MemoryUtilized", d, "Megabytes",
                              series(ts, lambda t: mem(t) / 100.0 * mem_reserved_mb * running(t)
                                     * rng.uniform(0.98, 1.02), nd=0), region))
    return out


def rds_set(rng: Rng, db: str, cpu, conns, free_storage_gb, freeable_mem_gb, read_lat=None,
            write_lat=None, ts=None, region=None, extra=()):
    ts = ts or times()
    d = {"DBInstanceIdentifier": db}
    rl, wl = _val(read_lat, 0.0012), _val(write_lat, 0.0021)
    out = [
        metric("AWS/RDS", "CPUUtilization", d, "Percent",
               series(ts, lambda t: cpu(t) * rng.uniform(0.9, 1.1), hi=100.0), region),
        metric("AWS/RDS", "DatabaseConnections", d, "Count",
               series(ts, lambda t: conns(t) + rng.uniform(-2, 2), nd=0), region),
        metric("AWS/RDS", "FreeableMemory", d, "Bytes",
               series(ts, lambda t: freeable_mem_gb(t) * GB * rng.uniform(0.99, 1.01), nd=0), region),
        metric("AWS/RDS", "ReadLatency", d, "Seconds",
               series(ts, lambda t: rl(t) * rng.uniform(0.8, 1.2), nd=5), region),
        metric("AWS/RDS", "WriteLatency", d, "Seconds",
               series(ts, lambda t: wl(t) * rng.uniform(0.8, 1.2), nd=5), region),
    ]
    if free_storage_gb is not None:
        out.append(metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
                          series(ts, lambda t: free_storage_gb(t) * GB, nd=0), region))
    for name, unit, fn, nd in extra:
        out.append(metric("AWS/RDS", name, d, unit, series(ts, fn, nd=nd), region))
    return out


def ec2_set(rng: Rng, iid: str, cpu, mem=None, disk=None, net_in=None, ts=None, region=None,
            disk_path="/", fstype="xfs", cw_ts=None):
    """AWS/EC2 (ts, 5-min basic or 1-min detailed) + CWAgent (cw_ts) metrics."""
    ts = ts or times()
    cw_ts = cw_ts or ts
    d = {"InstanceId": iid}
    out = [
        metric("AWS/EC2", "CPUUtilization", d, "Percent",
               series(ts, lambda t: cpu(t) * rng.uniform(0.92, 1.08), hi=100.0), region),
        metric("AWS/EC2", "StatusCheckFailed", d, "Count", series(ts, lambda t: 0.0, nd=0), region),
    ]
    if net_in is not None:
        out.append(metric("AWS/EC2", "NetworkIn", d, "Bytes",
                          series(ts, lambda t: net_in(t) * rng.uniform(0.85, 1.15), nd=0), region))
    if mem is not None:
        out.append(metric("CWAgent", "mem_used_percent", d, "Percent",
                          series(cw_ts, lambda t: mem(t) + rng.uniform(-0.4, 0.4), hi=100.0), region))
    if disk is not None:
        out.append(metric("CWAgent", "disk_used_percent",
                          {"InstanceId": iid, "path": disk_path, "fstype": fstype}, "Percent",
                          series(cw_ts, lambda t: disk(t) + rng.uniform(-0.05, 0.05), hi=100.0), region))
    return out


def apigw_rest_set(rng: Rng, api: str, count, e4xx, e5xx, latency, integ_latency=None,
                   ts=None, region=None):
    ts = ts or times()
    d = {"ApiName": api}
    il = integ_latency or (lambda t: latency(t) * 0.85)
    return [
        metric("AWS/ApiGateway", "Count", d, "Count", counts(ts, count, rng), region),
        metric("AWS/ApiGateway", "4XXError", d, "Count", counts(ts, e4xx, rng), region),
        metric("AWS/ApiGateway", "5XXError", d, "Count", counts(ts, e5xx, rng), region),
        metric("AWS/ApiGateway", "Latency", d, "Milliseconds",
               series(ts, lambda t: latency(t) * rng.uniform(0.9, 1.1), nd=2), region),
        metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
               series(ts, lambda t: il(t) * rng.uniform(0.9, 1.1), nd=2), region),
    ]


def apigw_http_set(rng: Rng, api_id: str, count, e4xx, e5xx, latency, integ_latency=None,
                   ts=None, region=None):
    """HTTP APIs publish under AWS/ApiGateway with the ApiId dimension and
    lower-case 4xx/5xx metric names."""
    ts = ts or times()
    d = {"ApiId": api_id}
    il = integ_latency or (lambda t: latency(t) * 0.9)
    return [
        metric("AWS/ApiGateway", "Count", d, "Count", counts(ts, count, rng), region),
        metric("AWS/ApiGateway", "4xx", d, "Count", counts(ts, e4xx, rng), region),
        metric("AWS/ApiGateway", "5xx", d, "Count", counts(ts, e5xx, rng), region),
        metric("AWS/ApiGateway", "Latency", d, "Milliseconds",
               series(ts, lambda t: latency(t) * rng.uniform(0.9, 1.1), nd=2), region),
        metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
               series(ts, lambda t: il(t) * rng.uniform(0.9, 1.1), nd=2), region),
    ]
