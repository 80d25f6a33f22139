"""Resource-level simulation helpers: Lambda, API Gateway, ALB, ECS, RDS, EC2 metric sets."""
from __future__ import annotations

import json
import math

from .common import (ACCOUNT, TIMES, LambdaLog, Rng, Scenario, clf_ts, gauge, iso, spread)


def sim_lambda(sc: Scenario, rng: Rng, fn: str, *, rate, err=lambda t: 0.0, dur=None,
               body=None, memory=512, mem_used=(140, 190), runtime="python", log_from=-10800,
               region=None, streams=2, throttle=None, conc_cap=None, version="$LATEST"):
    """Simulate a function minute by minute; emits metrics and (from log_from) logs.

    rate(t): expected invocations per minute.   err(t): probability an invocation fails.
    dur(t, is_err) -> duration ms.   body(t, rid, is_err, dur_ms) -> (lines, status)
    throttle(t): expected throttles per minute.  Returns dict of per-minute maps.
    """
    dur = dur or (lambda t, e: 120.0)
    ll = LambdaLog(rng, memory, runtime=runtime, streams=streams, version=version)
    m = {k: {} for k in ("inv", "err", "dur", "conc", "thr")}
    for t in TIMES:
        n = rng.poisson(rate(t))
        flags = [rng.random() < err(t) for _ in range(n)]
        durs = []
        for ti, is_err in zip(spread(rng, t, n), flags):
            d = max(1.0, dur(t, is_err))
            durs.append(d)
            if body is not None and t >= log_from:
                rid = rng.uid()
                lines, status = body(ti, rid, is_err, d)
                ll.invoke(ti, lines, d, rng.randint(*mem_used), status=status, rid=rid)
        m["inv"][t] = n
        m["err"][t] = sum(flags)
        if durs:
            m["dur"][t] = round(sum(durs) / len(durs), 2)
        c = math.ceil(sum(durs) / 60000.0 * rng.uniform(1.2, 1.8)) if durs else 0
        if conc_cap is not None:
            c = min(c, conc_cap)
        m["conc"][t] = c
        m["thr"][t] = rng.poisson(throttle(t)) if throttle else 0
    dims = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", dims, "Count", [[t, float(v)] for t, v in m["inv"].items()], region)
    sc.metric("AWS/Lambda", "Errors", dims, "Count", [[t, float(v)] for t, v in m["err"].items()], region)
    sc.metric("AWS/Lambda", "Throttles", dims, "Count", [[t, float(v)] for t, v in m["thr"].items()], region)
    sc.metric("AWS/Lambda", "Duration", dims, "Milliseconds", [[t, v] for t, v in m["dur"].items()], region)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count",
              [[t, float(v)] for t, v in m["conc"].items()], region)
    ll.emit(sc, f"/aws/lambda/{fn}", region)
    return m


def py_info(t, rid, msg):
    return f"[INFO]\t{iso(t)}\t{rid}\t{msg}"


def py_warn(t, rid, msg):
    return f"[WARNING]\t{iso(t)}\t{rid}\t{msg}"


def py_error(t, rid, msg):
    return f"[ERROR]\t{iso(t)}\t{rid}\t{msg}"


def py_unhandled(exc_type, msg, frames):
    """Unhandled exception as the Python Lambda runtime prints it."""
    tb = "\n".join(f'  File "{f}", line {ln}, in {fnc}\n    {src}' for f, ln, fnc, src in frames)
    return f"[ERROR] {exc_type}: {msg}\nTraceback (most recent call last):\n{tb}"


def node_line(t, rid, level, msg):
    return f"{iso(t)}\t{rid}\t{level}\t{msg}"


def node_invoke_error(t, rid, etype, emsg, stack):
    payload = json.dumps({"errorType": etype, "errorMessage": emsg,
                          "stack": [f"{etype}: {emsg}"] + [f"    at {s}" for s in stack]})
    return f"{iso(t)}\t{rid}\tERROR\tInvoke Error \t{payload}"


def lambda_arn(region, fn):
    return f"arn:aws:lambda:{region}:{ACCOUNT}:function:{fn}"


# --------------------------------------------------------------------------- API Gateway
def apigw_metrics(sc: Scenario, api: str, cnt: dict, e4: dict, e5: dict, lat: dict, ilat: dict,
                  region=None):
    dims = {"ApiName": api}
    sc.metric("AWS/ApiGateway", "Count", dims, "Count", [[t, float(cnt[t])] for t in TIMES], region)
    sc.metric("AWS/ApiGateway", "4XXError", dims, "Count", [[t, float(e4[t])] for t in TIMES], region)
    sc.metric("AWS/ApiGateway", "5XXError", dims, "Count", [[t, float(e5[t])] for t in TIMES], region)
    sc.metric("AWS/ApiGateway", "Latency", dims, "Milliseconds",
              [[t, round(lat[t], 2)] for t in TIMES if t in lat], region)
    sc.metric("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds",
              [[t, round(ilat[t], 2)] for t in TIMES if t in ilat], region)


def apigw_access(t, rid, ip, method, path, status, resp_latency, integ_latency, length,
                 err_msg=None, err_type=None, api_key_id=None, ua=None):
    rec = {"requestId": rid, "ip": ip, "requestTime": clf_ts(t), "httpMethod": method,
           "resourcePath": path, "status": str(status), "protocol": "HTTP/1.1",
           "responseLength": str(length), "responseLatency": str(int(resp_latency)),
           "integrationLatency": "-" if integ_latency is None else str(int(integ_latency))}
    if api_key_id:
        rec["apiKeyId"] = api_key_id
    if ua:
        rec["userAgent"] = ua
    if err_msg:
        rec["errorMessage"] = err_msg
        rec["errorResponseType"] = err_type or "DEFAULT_5XX"
    return json.dumps(rec, separators=(",", ":"))


def apigw_exec(t, rid, api_id, stage, method, path, uri, outcome, ilat_ms=None, status=200, pre=()):
    """REST API execution log lines for one request (INFO level, trimmed)."""
    x = lambda k, s: (t + k, f"({rid}) {s}")
    lines = [x(0.000, f"Extended Request Id: {rid[:8].upper()}{rid[9:13]}="),
             x(0.001, f"Starting execution for request: {rid}"),
             x(0.001, f"HTTP Method: {method}, Resource Path: {path}")]
    lines += [x(0.002 + i * 0.001, s) for i, s in enumerate(pre)]
    lines.append(x(0.005, f"Endpoint request URI: {uri}"))
    if outcome == "ok":
        k = (ilat_ms or 50) / 1000.0
        lines.append(x(0.006 + k, f"Received response. Status: 200, Integration latency: {int(ilat_ms or 50)} ms"))
        lines.append(x(0.007 + k, f"Method completed with status: {status}"))
    else:
        k = (ilat_ms or 0) / 1000.0
        lines.append(x(0.006 + k, outcome))
        lines.append(x(0.007 + k, f"Method completed with status: {status}"))
    return lines


# --------------------------------------------------------------------------- ALB
def alb_metrics(sc: Scenario, lb: str, tg: str | None, per_min: dict, region=None):
    """per_min: metric name -> {t: value}. Target-group metrics get both dimensions."""
    tg_only = {"HealthyHostCount", "UnHealthyHostCount"}
    units = {"TargetResponseTime": "Seconds", "ProcessedBytes": "Bytes"}
    for name, vals in per_min.items():
        dims = {"LoadBalancer": lb}
        if name in tg_only and tg:
            dims = {"TargetGroup": tg, "LoadBalancer": lb}
        pts = [[t, round(float(vals[t]), 4)] for t in TIMES if t in vals and vals[t] is not None]
        sc.metric("AWS/ApplicationELB", name, dims, units.get(name, "Count"), pts, region)


# --------------------------------------------------------------------------- generic sets
def ec2_basic(sc, rng, iid, cpu, net_in=3.0e6, disk=None, mem=None, region=None, disk_path="/"):
    dims = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", dims, "Percent", gauge(rng, cpu, sd=2.5, hi=100.0), region)
    sc.metric("AWS/EC2", "NetworkIn", dims, "Bytes",
              gauge(rng, net_in if callable(net_in) else (lambda t: net_in), rel=0.15), region)
    sc.metric("AWS/EC2", "StatusCheckFailed", dims, "Count", [[t, 0.0] for t in TIMES], region)
    if mem is not None:
        sc.metric("CWAgent", "mem_used_percent", dims, "Percent", gauge(rng, mem, sd=0.8, hi=100.0), region)
    if disk is not None:
        sc.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": disk_path, "fstype": "xfs"},
                  "Percent", gauge(rng, disk, sd=0.05, hi=100.0), region)


def ecs_util(sc, rng, cluster, service, cpu, mem, region=None, running=None):
    dims = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", dims, "Percent", gauge(rng, cpu, sd=2.0, hi=100.0), region)
    sc.metric("AWS/ECS", "MemoryUtilization", dims, "Percent", gauge(rng, mem, sd=0.8, hi=100.0), region)
    if running is not None:
        sc.metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Count",
                  [[t, float(running(t))] for t in TIMES], region)


def rds_set(sc, rng, db, *, cpu, conns, free_gb, read_lat=lambda t: 0.0012, write_lat=lambda t: 0.0021,
            freeable_gb=lambda t: 6.0, queue=lambda t: 0.6, extra=None, region=None):
    dims = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", dims, "Percent", gauge(rng, cpu, sd=1.8, hi=100.0), region)
    sc.metric("AWS/RDS", "DatabaseConnections", dims, "Count", gauge(rng, conns, sd=1.5, nd=0), region)
    sc.metric("AWS/RDS", "FreeStorageSpace", dims, "Bytes",
              gauge(rng, lambda t: free_gb(t) * 1e9, rel=0.0005, nd=0), region)
    sc.metric("AWS/RDS", "FreeableMemory", dims, "Bytes",
              gauge(rng, lambda t: freeable_gb(t) * 1e9, rel=0.01, nd=0), region)
    sc.metric("AWS/RDS", "ReadLatency", dims, "Seconds", gauge(rng, read_lat, rel=0.12, nd=5), region)
    sc.metric("AWS/RDS", "WriteLatency", dims, "Seconds", gauge(rng, write_lat, rel=0.12, nd=5), region)
    sc.metric("AWS/RDS", "DiskQueueDepth", dims, "Count", gauge(rng, queue, rel=0.2, nd=3), region)
    for name, (unit, fn, kw) in (extra or {}).items():
        sc.metric("AWS/RDS", name, dims, unit, gauge(rng, fn, **kw), region)


def bump_metric(sc: Scenario, ns: str, name: str, dims: dict, fn, region=None):
    """Add fn(t) to an already emitted series (e.g. a second trigger of the same function)."""
    for m in sc.d["metrics"]:
        if m["namespace"] == ns and m["name"] == name and m["dimensions"] == dims and m.get("region") == region:
            for p in m["points"]:
                p[1] = round(p[1] + fn(p[0]), 3)
