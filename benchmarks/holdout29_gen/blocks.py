"""Metric bundles a responder would find on a serverless shop's dashboards."""
from __future__ import annotations

import math

from .common import END, START, poisson


def lambda_metrics(sc, fn, inv, p_err=None, dur=None, conc_extra=None, thr=None,
                   start=START, end=END, step=60, region=None, iterator_age=None,
                   conc_cap=None):
    """Standard AWS/Lambda metrics for ``fn``.

    inv(t)  expected invocations per step (None = no datapoint that step)
    p_err(t) error probability per invocation
    dur(t)  average duration in ms
    thr(t)  expected throttles per step
    iterator_age(t) milliseconds (stream sources only)
    """
    rng = sc.rng
    d = {"FunctionName": fn}
    pi, pe, pd, pc, pt, pa = [], [], [], [], [], []
    for t in range(start, end + 1, step):
        lam = inv(t)
        if lam is None:
            continue
        n = poisson(rng, lam)
        th = poisson(rng, thr(t)) if thr else 0
        if n == 0 and th == 0:
            continue
        e = min(n, poisson(rng, n * p_err(t))) if p_err else 0
        avg = max(1.0, dur(t) * (1 + rng.gauss(0, 0.06))) if dur else 100.0
        pi.append([t, float(n)])
        pe.append([t, float(e)])
        pt.append([t, float(th)])
        pd.append([t, round(avg, 2)])
        c = n * avg / (step * 1000.0)
        c = math.ceil(c * rng.uniform(1.3, 1.9)) if n else 0
        if conc_extra:
            c = max(c, int(conc_extra(t)))
        if conc_cap:
            c = min(c, conc_cap)
        pc.append([t, float(max(c, 1 if n else 0))])
        if iterator_age:
            pa.append([t, round(max(0.0, iterator_age(t) * (1 + rng.gauss(0, 0.04))), 0)])
    sc.metric("AWS/Lambda", "Invocations", d, "Count", pi, region)
    sc.metric("AWS/Lambda", "Errors", d, "Count", pe, region)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", pt, region)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", pd, region)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", pc, region)
    if iterator_age:
        sc.metric("AWS/Lambda", "IteratorAge", d, "Milliseconds", pa, region)
    return {"inv": pi, "err": pe, "dur": pd}


def sqs_metrics(sc, queue, sent, visible, age, received=None, deleted=None, region=None):
    """AWS/SQS metrics; ``visible``/``age`` are level functions, ``sent`` a rate."""
    d = {"QueueName": queue}
    sc.metric("AWS/SQS", "NumberOfMessagesSent", d, "Count", sc.counts(sent), region)
    sc.metric("AWS/SQS", "NumberOfMessagesReceived", d, "Count",
              sc.counts(received or sent), region)
    sc.metric("AWS/SQS", "NumberOfMessagesDeleted", d, "Count",
              sc.counts(deleted or received or sent), region)
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", d, "Count",
              sc.gauge(visible, noise=0.08, nd=0), region)
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", d, "Seconds",
              sc.gauge(age, noise=0.06, nd=0), region)


def rest_api_metrics(sc, api, count, p5, p4, lat, integ=None, region=None, stage=None):
    """AWS/ApiGateway metrics for a REST API (ApiName dimension)."""
    d = {"ApiName": api}
    if stage:
        d["Stage"] = stage
    rng = sc.rng
    pc, p5s, p4s, pl, pil = [], [], [], [], []
    for t in range(START, END + 1, 60):
        n = poisson(rng, count(t))
        pc.append([t, float(n)])
        p5s.append([t, float(min(n, poisson(rng, n * p5(t))))])
        p4s.append([t, float(min(n, poisson(rng, n * p4(t))))])
        lv = max(5.0, lat(t) * (1 + rng.gauss(0, 0.07)))
        pl.append([t, round(lv, 2)])
        pil.append([t, round(max(2.0, (integ(t) if integ else lv - 9) * (1 + rng.gauss(0, 0.07))), 2)])
    sc.metric("AWS/ApiGateway", "Count", d, "Count", pc, region)
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", p5s, region)
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", p4s, region)
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", pl, region)
    sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", pil, region)
    return d


def http_api_metrics(sc, api_id, count, p5, p4, lat, integ=None, region=None):
    """AWS/ApiGateway metrics for an HTTP API (ApiId + Stage, lower-case names)."""
    d = {"ApiId": api_id, "Stage": "$default"}
    rng = sc.rng
    pc, p5s, p4s, pl, pil = [], [], [], [], []
    for t in range(START, END + 1, 60):
        n = poisson(rng, count(t))
        pc.append([t, float(n)])
        p5s.append([t, float(min(n, poisson(rng, n * p5(t))))])
        p4s.append([t, float(min(n, poisson(rng, n * p4(t))))])
        lv = max(5.0, lat(t) * (1 + rng.gauss(0, 0.07)))
        pl.append([t, round(lv, 2)])
        pil.append([t, round(max(2.0, (integ(t) if integ else lv - 6) * (1 + rng.gauss(0, 0.07))), 2)])
    sc.metric("AWS/ApiGateway", "Count", d, "Count", pc, region)
    sc.metric("AWS/ApiGateway", "5xx", d, "Count", p5s, region)
    sc.metric("AWS/ApiGateway", "4xx", d, "Count", p4s, region)
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", pl, region)
    sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", pil, region)
    return d


def rds_metrics(sc, db, cpu, conns, free_storage, read_lat=None, write_lat=None,
                freeable_mem=None, region=None, conn_hi=None):
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent",
              sc.gauge(cpu, noise=0.08, hi=100.0), region)
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count",
              sc.gauge(conns, noise=0.05, nd=0, hi=conn_hi), region)
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
              sc.gauge(free_storage, noise=0.002, nd=0), region)
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds",
              sc.gauge(read_lat or (lambda t: 0.0012), noise=0.15, nd=5), region)
    sc.metric("AWS/RDS", "WriteLatency", d, "Seconds",
              sc.gauge(write_lat or (lambda t: 0.0021), noise=0.15, nd=5), region)
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
              sc.gauge(freeable_mem or (lambda t: 1.9e9), noise=0.01, nd=0), region)
    return d
