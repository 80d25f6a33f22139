"""h14-04: one partner's API key exhausts its daily usage-plan quota on partner-catalog-api;
every further request from it is answered 429 'Limit Exceeded' and 4XXError alarms."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, change, metric, ok_alarm, scenario, spread, stream
from .logfmt import LambdaLog, apigw_access, py

META = {
    "file": "h14-04-partner-quota-exhausted.yaml", "region": "ap-northeast-1", "alarm": "partner-catalog-api-4xx",
    "category": "throttling", "resources": ["partner-catalog-api", "u7d1k0s9pe"],
    "position": "origin (API Gateway)",
    "decoys": "catalog-query memory raised 11 min before onset; catalog-sync hourly import with a benign duration "
              "spike 2.25 h earlier; constant 403 'Missing Authentication Token' scanner noise and handled 404s",
    "story": "The partner-standard usage plan gives each key 12,000 requests per day (reset 00:00 UTC). Partner "
             "hanabi-travel (key id q8w2e4r6t1) has been calling at its usual ~36 requests a minute since the reset, "
             "and about 40 minutes ago its quota ran out: from then on all its requests get 429 with errorMessage "
             "'Limit Exceeded' in the access log, 4XXError jumps from ~1 to ~35 a minute while Count stays at its "
             "usual level, and catalog-query's invocations drop by exactly that partner's share (the requests never "
             "reach the backend). Nothing surged and nothing errored in the backend; the memory change on "
             "catalog-query is unrelated to a gateway-side rejection.",
}

REGION = "ap-northeast-1"
API, API_ID, STAGE = "partner-catalog-api", "u7d1k0s9pe", "v2"
FN = "catalog-query"
KEYS = {"hanabi-travel": "q8w2e4r6t1", "kumo-tours": "z3x5c7v9b2", "sakura-rail": "m1n3b5v7c9"}
QUOTA = 12000
ACCESS_START = -6000.0
LAMBDA_START = -3600.0
MEM_CHANGE = -2950.0


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 13, 6, 15, tzinfo=dt.timezone.utc), 9.0, REGION)
    rng = ctx.rng
    # per-partner request rates (req/min); quota window started at 00:00 UTC = rel -22500
    rates = {"hanabi-travel": 36.0 * ctx.gauge(1.0, 0.05, lo=0.7), "kumo-tours": 24.0 * ctx.diurnal(15, 0.25),
             "sakura-rail": 12.0 * ctx.gauge(1.0, 0.08, lo=0.5)}
    counts = {k: ctx.poisson(v) for k, v in rates.items()}
    used_before_window = int(36.0 * 15)  # requests between the reset and the start of the series
    junk = ctx.poisson(0.8)

    ql = LambdaLog(ctx, FN, "python3.12", 1024, envs=3, start=LAMBDA_START)
    access = []
    inv = np.zeros(N)
    dur = np.zeros(N)
    four = np.zeros(N)
    lat = np.zeros(N)
    integ = np.zeros(N)
    used = used_before_window
    mem_switched = False
    for i in range(N):
        t0 = float(T[i])
        if t0 >= MEM_CHANGE and not mem_switched and t0 >= LAMBDA_START:
            ql.redeploy(MEM_CHANGE + 4, memory_mb=1536)
            mem_switched = True
        reqs = []
        for partner, c in counts.items():
            reqs += [(rel, partner) for rel in spread(ctx, i, c[i])]
        reqs.sort()
        ds, lats, ints = [], [], []
        for rel, partner in reqs:
            key = KEYS[partner]
            rid = ctx.uuid()
            sku = f"{ctx.pick(['JR', 'HTL', 'TOUR', 'BUS'])}-{ctx.randint(10000, 99999)}"
            path, res = (f"/{STAGE}/products/{sku}", "/products/{sku}") if rng.random() < 0.7 else \
                (f"/{STAGE}/availability?sku={sku}&date=2026-04-{ctx.randint(1, 30):02d}", "/availability")
            if partner == "hanabi-travel":
                used += 1
                if used > QUOTA:
                    four[i] += 1
                    lt = ctx.randint(2, 7)
                    lats.append(lt)
                    if rel >= ACCESS_START:
                        access.append((rel + lt / 1000, apigw_access(ctx, rel, rid, "203.0.113.77", "GET", path.split("?")[0], res,
                                                                     429, 29, lt, None, error="Limit Exceeded", api_key_id=key)))
                    continue
            d = float(np.clip(rng.lognormal(np.log(85 if res == "/products/{sku}" else 160), 0.35), 20, 2500))
            inv[i] += 1
            ds.append(d)
            it = d + ctx.uni(3, 10)
            ints.append(it)
            lats.append(it + ctx.uni(6, 15))
            status, body = 200, None
            if rng.random() < 0.02:
                status = 404
                four[i] += 1
            if rel >= LAMBDA_START:
                r2 = ctx.uuid()
                if status == 404:
                    body = [(d / 1000 - 0.003, py(ctx, rel + d / 1000 - 0.003, "WARNING", r2, f"SKU {sku} not found in catalog index; returning 404"))]
                else:
                    body = [(d / 1000 - 0.003, py(ctx, rel + d / 1000 - 0.003, "INFO", r2,
                                                  f"partner={partner} sku={sku} hits={ctx.randint(1, 40)} cache={'hit' if rng.random() < 0.6 else 'miss'}"))]
                ql.invoke(rel, body, d, ctx.randint(210, 260), rid=r2)
            if rel >= ACCESS_START:
                access.append((rel + lats[-1] / 1000, apigw_access(ctx, rel, rid, ctx.pick(["203.0.113.77", "198.51.100.23", "192.0.2.140"]) if partner != "hanabi-travel" else "203.0.113.77",
                                                                   "GET", path.split("?")[0], res, status, ctx.randint(300, 4000),
                                                                   int(lats[-1]), int(it), api_key_id=key)))
        for rel in spread(ctx, i, junk[i]):
            four[i] += 1
            lats.append(2.0)
            if rel >= ACCESS_START:
                access.append((rel, apigw_access(ctx, rel, ctx.uuid(), ctx.public_ip(), "GET", ctx.pick(["/", "/robots.txt", "/v1/products", "/.git/config"]),
                                                 "-", 403, 42, ctx.randint(1, 3), None, error="Missing Authentication Token", api_key_id="-")))
        dur[i] = np.mean(ds) if ds else np.nan
        lat[i] = np.mean(lats) if lats else np.nan
        integ[i] = np.mean(ints) if ints else np.nan

    # catalog-sync: hourly import; the run 2.25 h ago was much bigger than usual
    sl = LambdaLog(ctx, "catalog-sync", "python3.12", 2048, envs=1, start=-10800)
    s_inv = np.zeros(N)
    s_dur = np.full(N, np.nan)
    for i in range(N):
        if (int(T[i]) + 900) % 3600 == 0:
            rel = float(T[i]) + ctx.uni(1, 3)
            big = abs(rel - (-8100)) < 120
            d = ctx.uni(150000, 190000) if big else ctx.uni(38000, 52000)
            n = ctx.randint(61000, 68000) if big else ctx.randint(9000, 14000)
            s_inv[i] = 1
            s_dur[i] = d
            if rel >= -10800:
                rid = ctx.uuid()
                sl.invoke(rel, [(0.1, py(ctx, rel + 0.1, "INFO", rid, "Pulling supplier deltas since last run")),
                                (d / 1000 - 0.2, py(ctx, rel + d / 1000 - 0.2, "INFO", rid, f"Upserted {n} products into catalog index"))],
                          d, ctx.randint(700, 980) if big else ctx.randint(420, 560), rid=rid)

    api = {"ApiName": API}
    fn = {"FunctionName": FN}
    sy = {"FunctionName": "catalog-sync"}
    total = sum(counts.values()) + junk
    metrics = [
        metric("AWS/ApiGateway", "Count", api, "Count", total),
        metric("AWS/ApiGateway", "4XXError", api, "Count", four),
        metric("AWS/ApiGateway", "5XXError", api, "Count", ctx.poisson(0.01)),
        metric("AWS/ApiGateway", "Latency", api, "Milliseconds", lat),
        metric("AWS/ApiGateway", "IntegrationLatency", api, "Milliseconds", integ),
        metric("AWS/Lambda", "Invocations", fn, "Count", inv),
        metric("AWS/Lambda", "Errors", fn, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Throttles", fn, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", fn, "Milliseconds", dur),
        metric("AWS/Lambda", "ConcurrentExecutions", fn, "Count", np.maximum(1, np.round(inv * np.nan_to_num(dur, nan=100) / 60000 * 2 + ctx.rng.random(N)))),
        metric("AWS/Lambda", "Invocations", sy, "Count", s_inv),
        metric("AWS/Lambda", "Errors", sy, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", sy, "Milliseconds", s_dur),
    ]
    alarms = [
        alarm(ctx, "partner-catalog-api-4xx", "AWS/ApiGateway", "4XXError", api, four, "Sum", 60, 3, 20.0,
              description="partner-catalog-api: partners receiving 4xx"),
        ok_alarm("partner-catalog-api-5xx", "AWS/ApiGateway", "5XXError", api, "Sum", 60, 3, 5.0),
        ok_alarm("catalog-query-errors", "AWS/Lambda", "Errors", fn, "Sum", 60, 3, 5.0),
    ]
    changes = [
        change(-19800, "apigateway.amazonaws.com", "CreateApiKey", "AWS::ApiGateway::ApiKey", "sakura-rail-staging", "partner-onboarding"),
        change(MEM_CHANGE, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", FN, "k.sato"),
    ]
    resources = [
        {"type": "apigateway", "id": API, "properties": {
            "api_id": API_ID, "stage": STAGE, "endpoint": "EDGE", "api_key_required": True,
            "usage_plans": {"partner-standard": {"throttle": "50 rps, burst 100", "quota": f"{QUOTA} requests per DAY",
                                                 "keys": ["hanabi-travel", "sakura-rail"]},
                            "partner-gold": {"throttle": "200 rps, burst 400", "quota": "500000 requests per DAY",
                                             "keys": ["kumo-tours"]}},
            "api_key_ids": {v: k for k, v in KEYS.items()},
            "routes": {"GET /products/{sku}": FN, "GET /availability": FN}}},
        {"type": "lambda", "id": FN, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 1536}},
        {"type": "lambda", "id": "catalog-sync", "properties": {"runtime": "python3.12", "timeout": 600, "memory_size": 2048}},
    ]
    logs = [stream(f"/aws/apigateway/{API}/{STAGE}-access", f"{API_ID}-{STAGE}", access)] + ql.logs() + sl.logs()
    return scenario("h14-04-partner-quota-exhausted",
                    "Partner integration team reports 429s from the catalog API; 4XXError alarm fired.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/ApiGateway", "name": "4XXError", "dimensions": api}]})
