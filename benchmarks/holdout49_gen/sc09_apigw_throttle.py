"""h49-09: one partner starts a bulk resync and hits its usage-plan rate limit on
partner-api; API Gateway answers 429 THROTTLED. Only access logs (JSON, no level) exist:
the backend Lambda's role cannot write logs, so its log group was never created, and
method-level (detailed) metrics are off, so the per-method latency alarm is
INSUFFICIENT_DATA."""
from __future__ import annotations

import json

from .common import Clock, Rng, alarm, change, diurnal, expect, log_stream, metric, pts, scenario

NOW = "2026-03-14T14:00:00"
REGION = "us-east-1"
API = "partner-api"
FN = "partner-orders"
ONSET = -2100
LOG_FROM = -3600
KEYS = {"globex": "k7x2m9q4p1", "initech": "q3v8n1c6z0", "hooli": "w5d0r7t2y9", "umbrella": "u1h4s8e3b6"}
RATE_PER_MIN = 60  # usage plan: 1 request/second per key, burst 5


def build():
    rng = Rng(4909)
    clock = Clock(NOW)
    J = lambda d: json.dumps(d, separators=(",", ":"))
    rt = lambda t: clock.fmt(t, "%d/%b/%Y:%H:%M:%S +0000")
    count, e4, e5, lat, ilat, inv = {}, {}, {}, {}, {}, {}
    acc = []
    ips = {"globex": "203.0.113.45", "initech": "198.51.100.23", "hooli": "192.0.2.141", "umbrella": "198.51.100.77"}
    for m in range(-21600, 0, 60):
        offered = {
            "globex": rng.pois(150 if m >= ONSET else 24 * diurnal(m, 0.2, 40000)),
            "initech": rng.pois(38 * diurnal(m, 0.2, 40000)),
            "hooli": rng.pois(22 * diurnal(m, 0.2, 40000)),
        }
        reqs = []
        for who, n in offered.items():
            allowed = min(n, RATE_PER_MIN + rng.randint(0, 4))
            for k in range(n):
                reqs.append((m + rng.random() * 60, who, "ok" if k < allowed else "throttled"))
        for _ in range(rng.pois(2.5)):  # expired key, same rate all day
            reqs.append((m + rng.random() * 60, "umbrella", "forbidden"))
        reqs.sort()
        thr = sum(1 for r in reqs if r[2] != "ok")
        oks = [r for r in reqs if r[2] == "ok"]
        errs5 = 1 if rng.random() < 0.01 else 0
        count[m], e4[m], e5[m], inv[m] = len(reqs), thr, errs5, len(oks)
        il = [max(40, rng.gauss(118, 25)) for _ in oks]
        ilat[m] = sum(il) / len(il) if il else None
        lat[m] = (sum(il) + 7 * len(oks) + 3 * thr) / len(reqs) if reqs else None
        if m < LOG_FROM:
            continue
        it = iter(il)
        for t, who, kind in reqs:
            if kind == "ok":
                ms = int(next(it))
                d = {"requestId": rng.uuid4(), "ip": ips[who], "apiKeyId": KEYS[who], "requestTime": rt(t),
                     "httpMethod": "POST" if rng.random() < 0.7 else "GET", "resourcePath": "/v1/orders",
                     "status": "200", "responseLength": str(rng.randint(180, 900)), "integrationLatency": str(ms)}
            elif kind == "throttled":
                d = {"requestId": rng.uuid4(), "ip": ips[who], "apiKeyId": KEYS[who], "requestTime": rt(t),
                     "httpMethod": "POST", "resourcePath": "/v1/orders", "status": "429", "responseLength": "29",
                     "integrationLatency": "-", "errorResponseType": "THROTTLED", "errorMessage": "Too Many Requests"}
            else:
                d = {"requestId": rng.uuid4(), "ip": ips[who], "apiKeyId": "-", "requestTime": rt(t),
                     "httpMethod": "GET", "resourcePath": "/v1/orders", "status": "403", "responseLength": "23",
                     "integrationLatency": "-", "errorResponseType": "INVALID_API_KEY", "errorMessage": "Forbidden"}
            acc.append([t + 0.05, J(d)])
    dims = {"ApiName": API}
    grid = lambda src, nd=3: [[m, round(float(src[m]), nd)] for m in range(-21600, 0, 60) if src[m] is not None]
    m_cnt = metric("AWS/ApiGateway", "Count", dims, "Count", grid(count))
    m_4 = metric("AWS/ApiGateway", "4XXError", dims, "Count", grid(e4))
    m_5 = metric("AWS/ApiGateway", "5XXError", dims, "Count", grid(e5))
    m_lat = metric("AWS/ApiGateway", "Latency", dims, "Milliseconds", grid(lat, 2))
    m_il = metric("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds", grid(ilat, 2))
    f = {"FunctionName": FN}
    m_inv = metric("AWS/Lambda", "Invocations", f, "Count", grid(inv))
    m_err = metric("AWS/Lambda", "Errors", f, "Count", grid(e5))
    m_thr = metric("AWS/Lambda", "Throttles", f, "Count", pts(lambda t: 0.0))
    m_dur = metric("AWS/Lambda", "Duration", f, "Milliseconds", pts(lambda t: rng.noise(104, 9), nd=2))
    m_ce = metric("AWS/Lambda", "ConcurrentExecutions", f, "Count",
                  pts(lambda t: max(1, round(inv.get(t, 0) * 0.104 / 60 * 3 + rng.random())), integer=True))
    wh = {"FunctionName": "partner-webhooks"}
    m_wh = [metric("AWS/Lambda", "Invocations", wh, "Count", pts(lambda t: rng.pois(4), integer=True)),
            metric("AWS/Lambda", "Errors", wh, "Count", pts(lambda t: rng.pois(0.03), integer=True))]

    logs = [log_stream("/aws/apigateway/%s/v1-access" % API, "4f1c0a7be2d9%s" % rng.hx(20), acc)]
    metrics = [m_cnt, m_4, m_5, m_lat, m_il, m_inv, m_err, m_thr, m_dur, m_ce] + m_wh
    alarms = [
        alarm("partner-api-4xx", m_4, "Sum", 60, 3, 30.0, "GreaterThanThreshold", clock, "ALARM",
              "partner-api client errors"),
        alarm("partner-api-orders-latency", None, "Average", 60, 5, 1500.0, "GreaterThanThreshold", clock,
              "INSUFFICIENT_DATA", "POST /v1/orders latency (method metrics)", namespace="AWS/ApiGateway",
              metric_name="Latency", dims={"ApiName": API, "Method": "POST", "Resource": "/v1/orders", "Stage": "v1"},
              insufficient_since=-2592000),
        alarm("partner-api-5xx", m_5, "Sum", 300, 1, 5.0, "GreaterThanThreshold", clock, "OK"),
        alarm("partner-orders-throttles", m_thr, "Sum", 60, 3, 0.0, "GreaterThanThreshold", clock, "OK"),
    ]
    changes = [
        change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "partner-webhooks", "ci-partners"),
        change(-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               FN, "ci-partners"),
    ]
    resources = [
        {"type": "apigateway", "id": API, "properties": {
            "api_id": "p8t3f6w1qa", "stage": "v1", "detailed_metrics": False,
            "access_log_group": "/aws/apigateway/%s/v1-access" % API,
            "usage_plans": [{"name": "partner-standard", "rate_limit_rps": 1, "burst_limit": 5,
                             "api_keys": sorted(KEYS.values())}]}},
        {"type": "lambda", "id": FN, "properties": {
            "runtime": "python3.12", "timeout": 10, "memory_size": 256, "reserved_concurrency": 50,
            "log_group": "none (execution role has no logs:CreateLogStream)"}},
        {"type": "lambda", "id": "partner-webhooks", "properties": {"runtime": "python3.12", "timeout": 30,
                                                                    "memory_size": 256}},
    ]
    data = scenario("h49-09-apigw-usage-plan-throttled",
                    "partner-api 4XX alarm; a partner (Globex) opened a ticket: 'HTTP 429 on most order calls'.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("partner-api-4xx", "throttling", [API], [m_4]))
    meta = {
        "slug": "apigw-usage-plan-throttled", "region": REGION, "alarm": "partner-api-4xx",
        "category": "throttling", "resources": [API], "alarm_on": "origin (API Gateway)",
        "decoys": "partner-orders deploy 4.5 h earlier and partner-webhooks deploy 2.5 h earlier; steady 403 "
                  "INVALID_API_KEY from an expired key; method-latency alarm INSUFFICIENT_DATA",
        "paragraph": (
            "35 minutes ago one partner key (`k7x2m9q4p1`, Globex) went from ~24 to ~150 requests a "
            "minute. The usage plan allows 1 request/s per key, so ~90 a minute come back `429`, "
            "`errorResponseType: THROTTLED`, `Too Many Requests` in the stage access log (JSON with no level "
            "field; the only log there is). The other keys are unaffected, the backend Lambda has no errors "
            "or throttles and its invocations rise only to the plan's ceiling; overall Latency even drops "
            "because throttled calls return at once. The function's log group does not exist (its role "
            "cannot write logs) and method-level metrics are off, so that alarm is INSUFFICIENT_DATA. The "
            "403s from an expired key are steady and the deploys are hours old. Rate-limit errors: "
            "throttling, origin partner-api, alarm on the origin."),
    }
    return data, meta
