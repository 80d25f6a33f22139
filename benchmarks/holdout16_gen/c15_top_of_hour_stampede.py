"""h16-15: a newly onboarded partner's thousands of connectors all sync at HH:00; the API is flooded."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, clip, counts, daily, hourly_bumps, jitter
from .logfmt import LambdaLogs, apigw_access, event_times, poisson_times

META = {
    "file": "h16-15-partner-sync-stampede-at-the-hour",
    "postmortem": "cron stampede on the hour (thousands of synchronised client jobs firing at HH:00)",
    "side": "origin (API Gateway latency)",
    "decoys": "authorizer deploy 8 min before; the small benign bumps at every earlier HH:00; steady 403s from "
              "revoked API keys",
    "story": (
        "At 21:00:00 UTC request volume on partner-api jumps from ~80/min to ~900/min within a minute and keeps "
        "growing: the access logs show one API key and the user agent LogiSync-Connector/4.2 from thousands of store "
        "IPs, every connector scheduled for the top of the hour. Earlier hours show the usual small :00 bumps. "
        "partner-orders (Java, no SnapStart) scales from ~5 to ~90 concurrent environments, far below the "
        "account limit, with no throttles and no errors, but every new environment pays a 5-9 s cold start "
        "(REPORT ... Init Duration), so average API latency goes from ~200 ms to 1.4-3 s and the latency alarm "
        "fires. DynamoDB-backed handler time is unchanged and nothing was deployed to partner-orders. Request "
        "volume far above normal with no other fault: traffic_surge on partner-api (served by partner-orders). "
        "The authorizer deploy shows the same short durations before and after."),
}

API_ID = "p4z8d1q6wn"
KEY = "kq7r2m9x1a"
UA = "LogiSync-Connector/4.2 (+https://logisync.example/connector)"


def build(seed: int) -> Scenario:
    sc = Scenario("h16-15-partner-sync-stampede-at-the-hour",
                  "Partner API slow for all partners since 21:00; partner-api latency alarm.",
                  "sa-east-1", seed, dt.datetime(2026, 4, 30, 21, 28))
    O = -1680.0
    sc.resource("apigateway", "partner-api", api_id=API_ID, stage="v2", endpoint_type="REGIONAL",
                stage_throttle_rate=5000, stage_throttle_burst=2500)
    sc.resource("lambda", "partner-orders", runtime="java17", timeout=29, memory_size=2048, snap_start="None")
    sc.resource("lambda", "partner-authorizer", runtime="python3.12", timeout=5, memory_size=256,
                environment={"AUTH_CACHE_TTL": "300"})
    sc.resource("lambda", "partner-webhooks", runtime="java17", timeout=60, memory_size=1024)

    day = daily(sc, peak_hour=15, depth=0.4)
    surge = np.where(TIMES < O, 0.0, 10.5 + 2.5 * (TIMES - O) / -O)
    surge[(TIMES >= O) & (TIMES < O + 60)] = 6.0
    mult = hourly_bumps(sc, 0, 3, 0.4) * (1 - (TIMES >= O)) + (TIMES >= O) * 1.0 + surge
    count = counts(sc, 95 * day * mult)
    e4 = counts(sc, 1.3 * day)
    cold_share = np.where(TIMES < O, 0.01, clip(0.3 * np.exp(-(TIMES - O) / 700.0) + 0.14, 0, 1))
    cold_ms = 6900.0
    lat = np.where(TIMES < O, jitter(sc, 152, 0.05) + 0.01 * cold_ms,
                   jitter(sc, 205, 0.05) + cold_share * cold_ms)
    e5 = counts(sc, 0.04 + 0.002 * count * (TIMES >= O))
    aws.apigw_metrics(sc, "partner-api", count, e4, e5, lat, integ=lat - 11)
    inv = count - e4
    conc = np.where(TIMES < O, clip(np.round(jitter(sc, 5, 0.2)), 2), np.round(clip(inv * 0.2 / 60 * 9 + 60 * (
        TIMES >= O), 0) * jitter(sc, 1, 0.04)))
    aws.lambda_metrics(sc, "partner-orders", inv, counts(sc, 0.02), jitter(sc, 148, 0.06) + 40 * (TIMES >= O),
                       conc=conc)
    ainv = counts(sc, 2.5 + 6 * (TIMES >= O) * np.exp(-(TIMES - O).clip(0) / 600))
    aws.lambda_metrics(sc, "partner-authorizer", ainv, np.zeros(N), jitter(sc, 22, 0.1))
    aws.lambda_metrics(sc, "partner-webhooks", counts(sc, 6 * day), np.zeros(N), jitter(sc, 310, 0.1))
    sc.metric("AWS/Lambda", "ConcurrentExecutions", {}, "Count", conc + np.round(jitter(sc, 14, 0.1)), decimals=0)

    # --- logs: a slice of partner-orders' execution environments ------------------------------------------------
    lg = LambdaLogs(sc, "partner-orders", "java17", 2048, idle_reclaim=1200)
    pre = poisson_times(sc, 4 * 18 * day, -2400, O)
    for t in pre:
        _order_invoke(sc, lg, t, cold=False)
    new_envs = []
    for k in range(9):
        t = O + sc.rng.uniform(0, 240)
        env = LambdaLogs(sc, "partner-orders", "java17", 2048, idle_reclaim=1200)
        new_envs.append(env)
        while t < -1:
            _order_invoke(sc, env, t, cold=True)
            t += sc.rng.exponential(10.5)
    for env in [lg] + new_envs:
        env.flush()
    au = LambdaLogs(sc, "partner-authorizer", "python3.12", 256)
    for t in event_times(sc, ainv, -3600):
        au.invoke(t, float(sc.rng.gamma(6, 3.5)), [(0.002, "INFO", f"Allow principal partner:{sc.pick(['ls', 'kx', 'pm'])}"
                                                                   f"-{sc.hexid(4)} (cache miss)")],
                  mem_used=int(sc.rng.integers(58, 66)))
    au.flush()
    ev = []
    rate = np.where(TIMES < O, count / 25.0, count / 25.0)
    for t in poisson_times(sc, rate, -3600):
        ls = t >= O and sc.rng.random() < 0.93
        path = sc.pick(["/v2/orders", "/v2/orders/{orderId}", "/v2/inventory/sync"], p=[0.4, 0.25, 0.35])
        i = int((t + 21600) // 60)
        cold = sc.rng.random() < cold_share[i]
        lat_ms = int(sc.rng.normal(cold_ms, 900) if cold else sc.rng.gamma(6, 30))
        if sc.rng.random() < 0.012:
            ev.append((t, apigw_access(sc, t, API_ID, "GET", path, 403, 8, None, key_id="-", ua="python-requests/2.31.0",
                                       err="Forbidden")))
            continue
        ev.append((t, apigw_access(sc, t, API_ID, "POST" if "sync" in path else "GET", path, 200, lat_ms,
                                   lat_ms - 11, length=int(sc.rng.integers(200, 9000)),
                                   key_id=KEY if ls else sc.pick(["u3h8w0c2dd", "a9b1n4t7ee", "m2x5q8v0ff"]),
                                   ua=UA if ls else sc.pick(["okhttp/4.12.0", "Apache-HttpClient/5.2.1 (Java/17.0.9)"]))))
    sc.log(f"API-Gateway-Access-Logs_{API_ID}/v2", sc.hexid(32), ev)
    sc.change(-86400 * 9, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "partner-orders", "codepipeline")
    sc.change(-86400 + 3000, "apigateway.amazonaws.com", "CreateApiKey", "AWS::ApiGateway::ApiKey", KEY,
              "partner-onboarding")
    sc.change(O - 500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "partner-authorizer", "codepipeline")
    api = {"ApiName": "partner-api"}
    sc.alarm_on("partner-api-latency-high", "AWS/ApiGateway", "Latency", api, lat, "Average", 60, 3, 1000,
                "GreaterThanThreshold", after=O, description="partner-api average latency above 1 s")
    sc.set_expect("partner-api-latency-high", "traffic_surge", ["partner-api", "partner-orders"],
                  [("AWS/ApiGateway", "Count", api), ("AWS/ApiGateway", "Latency", api)])
    return sc


def _order_invoke(sc: Scenario, lg: LambdaLogs, t: float, cold: bool) -> None:
    oid = f"PO-{int(sc.rng.integers(10 ** 7, 10 ** 8))}"
    store = f"store-{int(sc.rng.integers(1, 3400)):04d}"
    body = [(0.004, "INFO", f"sync request from {store}: {int(sc.rng.integers(1, 40))} order updates", )]
    if sc.rng.random() < 0.3:
        body.append((0.08, "INFO", f"upserted {oid} (status=SHIPPED)"))
    body = [(o, lvl, m) for o, lvl, m in body]
    init = float(sc.rng.normal(6900, 900)) if cold else None
    lg.invoke(t, float(sc.rng.gamma(7, 27)), [(o, lvl, m) for o, lvl, m in body],
              mem_used=int(sc.rng.integers(260, 340)), init_ms=init)
