"""h19-05: one partner's client starts bursting past its usage-plan burst limit (throttling, API Gateway origin alarm)."""
from __future__ import annotations

import heapq
import json
from datetime import datetime

import numpy as np

from .common import LOG_START, START, Case, diurnal, wobble
from .logfmt import Inv, LambdaSim

SLUG = "h19-05-partner-api-throttled"
ONSET = -2340
API_ID = "k3v9x2m7qa"
RATE, BURST = 5.0, 10.0

META = {
    "front": "origin",
    "decoys": "partner-orders Lambda deployed 75 min before onset; a partner with a revoked key producing 403s at a "
              "constant rate all day",
    "story": (
        "The `partner-api` usage plan allows each API key 5 req/s with a burst of 10. From -39 min one partner "
        "key (northwind-logistics) sends its sync in bursts of 15-21 parallel requests; the gateway rejects the "
        "excess with 429 `Too Many Requests` / `THROTTLED` (access log), the client retries a second later, and "
        "4XXError climbs. Overall Count is less than double its usual level, the backend `partner-orders` Lambda "
        "has no errors and unchanged duration, and Latency/5XX are flat. The Lambda deploy an hour earlier changed "
        "nothing measurable; the 403 `INVALID_API_KEY` lines from another partner are constant all day. The "
        "throttle is the API's own rate limit."),
}

PARTNERS = {"pk_northwind": ("northwind-logistics", 3.0), "pk_alpine": ("alpine-outfitters", 3.2),
            "pk_harbor": ("harbor-supply", 2.4), "pk_meridian": ("meridian-retail", 2.0),
            "pk_tessera": ("tessera-home", 1.6), "pk_quill": ("quill-office", 1.1), "pk_orchid": ("orchid-garden", 0.9)}


def build() -> Case:
    c = Case(SLUG, 1905, "us-east-1", datetime(2026, 11, 18, 19, 5),
             "Partners reporting 429s from the partner API; 4XXError alarm in ALARM.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    c.resource("apigateway", "partner-api", api_id=API_ID, stage="prod", endpoint_type="REGIONAL",
               usage_plan="partners-standard", usage_plan_rate_limit=RATE, usage_plan_burst_limit=int(BURST),
               access_log_group=f"/aws/apigateway/{API_ID}/prod/access", integration="lambda:partner-orders")
    c.resource("lambda", "partner-orders", runtime="nodejs20.x", timeout=29, memory_size=512)
    key_ids = {k: ids.alnum(10) for k in PARTNERS}

    # ---------------------------------------------------------------- request stream (6 h)
    shape = diurnal(t, -4000, 0.25) * (1 + wobble(rng, n, 0.07))
    reqs = []   # (ts, key, attempt)
    for i, t0 in enumerate(t):
        for key, (_p, rate) in PARTNERS.items():
            if key == "pk_northwind" and t0 >= ONSET:
                continue
            for ts in t0 + rng.uniform(0, 60, rng.poisson(rate * shape[i])):
                reqs.append((float(ts), key))
        if t0 >= ONSET:
            for b in range(1 if rng.random() < 0.85 else 0):
                start = t0 + rng.uniform(0, 50)
                for ts in start + np.sort(rng.uniform(0, 0.35, int(rng.integers(15, 22)))):
                    reqs.append((float(ts), "pk_northwind"))
    reqs.sort()
    # token bucket per key, with the partner's retry-after-1s behaviour
    tokens = {k: BURST for k in PARTNERS}
    last = {k: START - 10.0 for k in PARTNERS}
    queue = [(ts, k, 0) for ts, k in reqs]

    heapq.heapify(queue)
    served, throttled = [], []
    while queue:
        ts, k, att = heapq.heappop(queue)
        tokens[k] = min(BURST, tokens[k] + (ts - last[k]) * RATE)
        last[k] = ts
        if tokens[k] >= 1:
            tokens[k] -= 1
            served.append((ts, k))
        else:
            throttled.append((ts, k))
            if att < 3 and ts + 1.5 < 0:
                heapq.heappush(queue, (ts + rng.uniform(1.0, 1.8), k, att + 1))
    forbidden = [float(x) for x in np.sort(rng.uniform(START, 0, int(rng.poisson(0.6 * 360))))]

    # ---------------------------------------------------------------- backend Lambda
    served.sort()
    by_min: dict[int, list] = {}
    for ts, k in served:
        by_min.setdefault(int((ts - START) // 60), []).append((ts, k))
    per_min = np.array([len(by_min.get(i, [])) for i in range(n)], dtype=float)
    pending = {i: iter(v) for i, v in by_min.items()}
    served_info = {}

    def handler(ts: float, rid: str) -> Inv:
        i = int((ts - START) // 60)
        _ts, key = next(pending[i])
        partner = PARTNERS[key][0]
        op = "inventory.upsert" if key == "pk_northwind" else ids.pick(["order.create", "order.get", "inventory.upsert", "order.get"])
        dur = float(rng.lognormal(np.log(95 if op != "order.create" else 180), 0.3))
        served_info[rid] = (partner, op, dur)
        body = json.dumps({"level": "info", "msg": "request handled", "partner": partner, "op": op,
                           "items": int(rng.integers(1, 40)), "ms": round(dur - 4)})
        return Inv(dur, int(rng.integers(88, 104)), [(dur / 1000 - 0.003, "INFO", body)])

    sim = LambdaSim(c, "partner-orders", "nodejs20.x", 512, 29, recycle=(-6900 + 4, -9600), streams_per_gen=2)
    res = sim.run(per_min, handler)
    sim.metrics(res)

    # ---------------------------------------------------------------- access log
    acc = c.stream(f"/aws/apigateway/{API_ID}/prod/access", f"{ids.hex(32)}")
    paths = {"inventory.upsert": ("PUT", "/v1/inventory/{sku}"), "order.create": ("POST", "/v1/orders"),
             "order.get": ("GET", "/v1/orders/{id}")}

    def access(ts, key, status, err=None, etype=None, ilat=None):
        m, p = paths["inventory.upsert"] if key == "pk_northwind" else paths[ids.pick(list(paths))]
        rec = {"requestId": ids.uuid(), "ip": ids.ip(f"{int(rng.integers(20, 200))}.{int(rng.integers(1, 250))}.{int(rng.integers(1, 250))}"),
               "requestTime": c.stamp(ts, "%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": m, "resourcePath": p,
               "status": str(status), "protocol": "HTTP/1.1", "responseLength": str(int(rng.integers(40, 900))),
               "apiKeyId": key_ids.get(key, "-"),
               "integrationLatency": str(ilat) if ilat is not None else "-",
               "errorMessage": err or "-", "errorResponseType": etype or "-"}
        acc.add(ts, json.dumps(rec))

    for ts, k in served:
        if ts >= LOG_START:
            access(ts + 0.12, k, 200, ilat=int(rng.integers(60, 240)))
    for ts, k in throttled:
        if ts >= LOG_START:
            access(ts + 0.003, k, 429, "Too Many Requests", "THROTTLED")
    for ts in forbidden:
        if ts >= LOG_START:
            access(ts + 0.002, "pk_revoked", 403, "Forbidden", "INVALID_API_KEY")

    # ---------------------------------------------------------------- API metrics
    def per_minute(times):
        h = np.zeros(n)
        for ts in times:
            h[int((ts - START) // 60)] += 1
        return h
    thr = per_minute([x for x, _ in throttled])
    forb = per_minute(forbidden)
    d = {"ApiName": "partner-api"}
    c.metric("AWS/ApiGateway", "Count", d, "Count", per_min + thr + forb)
    e4 = c.metric("AWS/ApiGateway", "4XXError", d, "Count", thr + forb)
    c.metric("AWS/ApiGateway", "5XXError", d, "Count", rng.poisson(0.01, n).astype(float))
    dur = np.nan_to_num(res["duration"], nan=100.0)
    c.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", (dur + 22) * (1 + wobble(rng, n, 0.05)))
    c.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", (dur + 9) * (1 + wobble(rng, n, 0.05)))

    c.alarm("partner-api-4xx", e4, "Sum", 300, 1, 10, "GreaterThanThreshold", ONSET,
            description="partner-api client errors")
    c.change(-6900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "partner-orders", "codepipeline")
    c.change(-6880, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             "partner-orders", "codepipeline")
    c.expect = {"alarm": "partner-api-4xx",
                "root_cause": {"category": "throttling", "resource": ["partner-api", API_ID]},
                "anomalies": [{"namespace": "AWS/ApiGateway", "name": "4XXError", "dimensions": d}]}
    return c
