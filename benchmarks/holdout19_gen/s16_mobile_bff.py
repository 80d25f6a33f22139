"""h19-16: API Gateway latency rises with nothing behind it to explain it (unknown, API origin alarm)."""
from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from .common import LOG_START, START, Case, counts, diurnal, ramp, wobble
from .logfmt import Inv, LambdaSim

SLUG = "h19-16-mobile-bff-gateway-latency"
ONSET = -2100
API_ID = "b6n2k8d4pq"

META = {
    "front": "origin",
    "decoys": "push-dispatcher configuration change 10 min before onset; constant stale-cache warnings in the "
              "handler; steady 4xx",
    "story": (
        "The `mobile-bff` REST API's average Latency rises from ~190 ms to ~1 s at -35 min and stays there. "
        "Everything that could explain it is flat: IntegrationLatency and the `mobile-bff-handler` Lambda "
        "Duration are unchanged (~150 ms), request Count is at its usual level, 4XX/5XX and throttles are at "
        "baseline, there is no authorizer, and nothing on the API or its handler was deployed or reconfigured. "
        "The access log shows responseLatency far above integrationLatency for all routes alike. The only "
        "change is a configuration update on the unrelated `push-dispatcher` function, whose metrics do not move; "
        "the stale-cache warnings are constant. The data does not support any specific category: `unknown` "
        "(the honest answer is an API Gateway-side issue to raise with AWS Support)."),
}

ROUTES = [("GET", "/v2/home"), ("GET", "/v2/feed"), ("GET", "/v2/profile"), ("POST", "/v2/events"), ("GET", "/v2/offers")]


def build() -> Case:
    c = Case(SLUG, 1916, "eu-west-1", datetime(2026, 11, 29, 8, 45),
             "Mobile app feels slow; mobile-bff API latency alarm in ALARM.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    c.resource("apigateway", "mobile-bff", api_id=API_ID, stage="prod", endpoint_type="REGIONAL",
               integration="lambda-proxy:mobile-bff-handler", authorizer="none",
               access_log_group=f"/aws/apigateway/{API_ID}/prod/access")
    c.resource("lambda", "mobile-bff-handler", runtime="nodejs20.x", timeout=15, memory_size=1024)
    c.resource("lambda", "push-dispatcher", runtime="nodejs20.x", timeout=60, memory_size=256,
               environment={"FCM_BATCH_SIZE": "500", "APNS_TOPIC": "com.example.mobile"})

    per_min = counts(rng, 14 * diurnal(t, 3600, 0.35) * (1 + wobble(rng, n, 0.06)))
    extra = ramp(t, ONSET, 180)
    acc = c.stream(f"/aws/apigateway/{API_ID}/prod/access", ids.hex(32))
    outcome: list = []

    def handler(ts: float, rid: str) -> Inv:
        m, p = ROUTES[int(rng.integers(0, len(ROUTES)))]
        user = f"u_{ids.hex(10)}"
        dur = float(rng.lognormal(np.log(135 if p != "/v2/feed" else 210), 0.3))
        lines = [(0.004, "INFO", json.dumps({"msg": "request", "route": f"{m} {p}", "user": user,
                                              "appVersion": ids.pick(["7.12.0", "7.12.0", "7.11.3", "7.10.1"])}))]
        if rng.random() < 0.03:
            lines.append((0.05, "WARN", json.dumps({"msg": "profile cache stale, serving last good copy", "ageSec": int(rng.integers(310, 900))})))
        status = 200 if rng.random() > 0.015 else 401
        lines.append((dur / 1000 - 0.003, "INFO", json.dumps({"msg": "response", "route": f"{m} {p}", "status": status,
                                                               "ms": round(dur - 4)})))
        outcome.append((ts, m, p, status, dur, rid))
        return Inv(dur, int(rng.integers(118, 146)), lines)

    sim = LambdaSim(c, "mobile-bff-handler", "nodejs20.x", 1024, 15, recycle=(-9000,), streams_per_gen=2)
    res = sim.run(per_min, handler)
    sim.metrics(res)

    lat, ilat, cnt, e4 = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    for ts, m, p, status, dur, rid in outcome:
        i = int((ts - START) // 60)
        overhead = 34 + rng.gamma(2.0, 8.0) + extra[i] * rng.uniform(700, 1000)
        il = dur + rng.uniform(6, 14)
        lat[i] += il + overhead
        ilat[i] += il
        cnt[i] += 1
        e4[i] += status == 401
        if ts >= LOG_START:
            acc.add(ts + (il + overhead) / 1000, json.dumps({
                "requestId": ids.uuid(), "ip": ids.ip(f"{int(rng.integers(31, 199))}.{int(rng.integers(1, 250))}.{int(rng.integers(1, 250))}"),
                "requestTime": c.stamp(ts, "%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": m, "resourcePath": p,
                "status": str(status), "protocol": "HTTP/1.1", "responseLength": str(int(rng.integers(300, 14000))),
                "integrationLatency": str(int(il)), "responseLatency": str(int(il + overhead)),
                "integrationRequestId": rid}))
    d = {"ApiName": "mobile-bff"}
    c.metric("AWS/ApiGateway", "Count", d, "Count", cnt)
    c.metric("AWS/ApiGateway", "4XXError", d, "Count", e4)
    c.metric("AWS/ApiGateway", "5XXError", d, "Count", rng.poisson(0.01, n).astype(float))
    lm = c.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", np.where(cnt > 0, lat / np.maximum(cnt, 1), np.nan))
    c.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", np.where(cnt > 0, ilat / np.maximum(cnt, 1), np.nan))

    # ---------------------------------------------------------------- push-dispatcher (decoy config change)
    dep = -2700
    ppm = counts(rng, np.full(n, 2.2))

    def push(ts: float, rid: str) -> Inv:
        k = int(rng.integers(1, 500))
        dur = float(rng.lognormal(np.log(300 + k), 0.2))
        return Inv(dur, int(rng.integers(90, 110)), [(0.003, "INFO", json.dumps({"msg": "dispatching", "notifications": k})),
                                                     (dur / 1000 - 0.005, "INFO", json.dumps({"msg": "dispatched", "fcm": k, "apns": 0, "failed": 0}))])

    ps = LambdaSim(c, "push-dispatcher", "nodejs20.x", 256, 60, recycle=(dep + 4,))
    ps.metrics(ps.run(ppm, push))

    c.alarm("mobile-bff-latency", lm, "Average", 60, 5, 600, "GreaterThanThreshold", ONSET,
            description="mobile-bff API average latency")
    c.change(dep, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "push-dispatcher", "l.moreau")
    c.expect = {"alarm": "mobile-bff-latency",
                "root_cause": {"category": "unknown", "resource": ["mobile-bff", API_ID]},
                "anomalies": [{"namespace": "AWS/ApiGateway", "name": "Latency", "dimensions": d}]}
    return c
