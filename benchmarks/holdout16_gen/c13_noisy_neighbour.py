"""h16-13: a backfill job fans out on SQS and takes the whole account's Lambda concurrency; checkout is throttled."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, clip, counts, daily, jitter, ramp, step
from .logfmt import LambdaLogs, apigw_access, event_times, poisson_times

META = {
    "file": "h16-13-backfill-starves-account-concurrency",
    "postmortem": "noisy neighbour exhausting a shared quota (a batch backfill consuming the account-wide Lambda "
                  "concurrency that customer-facing functions share)",
    "side": "front (Throttles of the victim checkout-confirm; origin is report-backfill)",
    "decoys": "checkout-confirm deploy 4 h earlier; cart-sync timeout change 25 min before; steady 3-D Secure "
              "warnings in checkout",
    "story": (
        "Someone enqueues ~180,000 partition jobs on report-backfill-jobs (SQS NumberOfMessagesSent spike; no "
        "control-plane change). report-backfill has no reserved or maximum concurrency, so its SQS poller scales "
        "it to ~930 concurrent executions within four minutes, each job running 8-12 minutes. Account-level "
        "ConcurrentExecutions and UnreservedConcurrentExecutions flatten at the 1,000 limit. checkout-confirm and "
        "cart-sync (no reservation either) start getting throttled: their Throttles climb to more than half of "
        "requests while their own Errors, Duration and code are unchanged, and API Gateway returns 500 with "
        "'Lambda invocation failed with status: 429' / 'Rate Exceeded'. The throttles are the symptom in "
        "checkout; the concurrency is held by report-backfill: throttling, originating in report-backfill."),
}

API_ID = "t8nq3xw2ke"
ACCOUNT_LIMIT = 1000


def build(seed: int) -> Scenario:
    sc = Scenario("h16-13-backfill-starves-account-concurrency",
                  "Checkout confirmations failing intermittently (HTTP 500); checkout-confirm throttles alarm.",
                  "ap-southeast-2", seed, dt.datetime(2026, 11, 3, 1, 20))
    B = -1860.0
    day = daily(sc, peak_hour=2, depth=0.35)
    sc.resource("apigateway", "shop-api", api_id=API_ID, stage="live", endpoint_type="REGIONAL")
    sc.resource("lambda", "checkout-confirm", runtime="nodejs20.x", timeout=10, memory_size=1024)
    sc.resource("lambda", "cart-sync", runtime="nodejs20.x", timeout=15, memory_size=512)
    sc.resource("lambda", "report-backfill", runtime="python3.12", timeout=900, memory_size=3008,
                event_source="sqs:report-backfill-jobs (batch size 1)")
    sc.resource("lambda", "order-webhooks", runtime="nodejs20.x", timeout=30, memory_size=512,
                reserved_concurrency=50)

    grab = ramp(B + 30, B + 270)
    bf_conc = np.round(grab * (928 + sc.rng.normal(0, 4, N)))
    base_other = 44 + 18 * day + sc.rng.normal(0, 3, N)
    total = clip(bf_conc + base_other, 0, ACCOUNT_LIMIT)
    starved = clip((bf_conc + base_other - ACCOUNT_LIMIT * 0.93) / (ACCOUNT_LIMIT * 0.07), 0, 1)
    thr_share = 0.62 * starved
    cdemand = counts(sc, 42 * day)
    cthr = np.round(cdemand * thr_share * jitter(sc, 1, 0.06))
    cinv = cdemand - cthr
    aws.lambda_metrics(sc, "checkout-confirm", cinv, counts(sc, 0.03), jitter(sc, 214, 0.08), throttles=cthr)
    sdemand = counts(sc, 75 * day)
    sthr = np.round(sdemand * 0.55 * starved * jitter(sc, 1, 0.06))
    aws.lambda_metrics(sc, "cart-sync", sdemand - sthr, counts(sc, 0.02), jitter(sc, 96, 0.08), throttles=sthr)
    binv = np.round(bf_conc / 10.0 + grab * 60 * (TIMES < B + 300)) * step(B)
    aws.lambda_metrics(sc, "report-backfill", binv, np.zeros(N), jitter(sc, 598000, 0.04), conc=bf_conc)
    winv = counts(sc, 9 * day)
    aws.lambda_metrics(sc, "order-webhooks", winv, np.zeros(N), jitter(sc, 330, 0.1))
    sc.metric("AWS/Lambda", "ConcurrentExecutions", {}, "Count", np.round(total), decimals=0)
    sc.metric("AWS/Lambda", "UnreservedConcurrentExecutions", {}, "Count", np.round(clip(total - 6, 0)), decimals=0)
    q = {"QueueName": "report-backfill-jobs"}
    sent = np.where((TIMES >= B - 180) & (TIMES < B), 60000, 0) + counts(sc, 0.2)
    visible = np.where(TIMES < B - 180, 0, clip(180000 - np.cumsum(binv) - 930 * grab, 0))
    visible[(TIMES >= B - 180) & (TIMES < B)] = [60000, 120000, 180000]
    sc.metric("AWS/SQS", "NumberOfMessagesSent", q, "Count", sent, decimals=0)
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", visible, decimals=0)
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", q, "Count", bf_conc, decimals=0)
    count = cdemand + sdemand + counts(sc, 30 * day)
    e5 = cthr + sthr + counts(sc, 0.05)
    aws.apigw_metrics(sc, "shop-api", count, counts(sc, 3 * day), e5, jitter(sc, 180, 0.06), integ=jitter(sc, 165,
                                                                                                            0.06))

    # --- logs -------------------------------------------------------------------------------------------------
    start = -3000.0
    ck = LambdaLogs(sc, "checkout-confirm", "nodejs20.x", 1024)
    for t in event_times(sc, cinv, start):
        oid = f"ord_{sc.hexid(10)}"
        body = [(0.004, "INFO", f"confirm order {oid} payment_intent=pi_{sc.hexid(14)}")]
        if sc.rng.random() < 0.05:
            body.append((0.12, "WARN", f"payment intent pi_{sc.hexid(14)} requires_action (3DS), returning 202"))
        else:
            body.append((0.19, "INFO", f"order {oid} confirmed"))
        ck.invoke(t, float(sc.rng.gamma(9, 24)), body, mem_used=int(sc.rng.integers(140, 170)))
    ck.flush()
    bf = LambdaLogs(sc, "report-backfill", "python3.12", 3008)
    for env in range(40):
        t = B + 30 + sc.rng.uniform(0, 240)
        while t < -30:
            dur = float(sc.rng.uniform(480, 720))
            part = f"2024-{int(sc.rng.integers(1, 13)):02d}-{int(sc.rng.integers(1, 29)):02d}"
            tenant = f"t_{sc.hexid(6)}"
            steps = [(0.01, "INFO", f"Backfilling daily_sales partition {part} for tenant {tenant}")]
            for k in range(1, 4):
                steps.append((dur * k / 4, "INFO", f"{part}/{tenant}: aggregated {k * 25}% "
                                                   f"({int(sc.rng.integers(200000, 900000))} rows)"))
            if t + dur < 0:
                steps.append((dur - 0.5, "INFO", f"{part}/{tenant}: wrote report to s3://northwind-reports-au/"
                                                 f"daily_sales/{part}/{tenant}.parquet"))
            bf.invoke(t, dur * 1000, steps, mem_used=int(sc.rng.integers(1800, 2600)))
            t += dur + sc.rng.uniform(0.05, 0.5)
    bf.flush()
    ev = []
    for t in poisson_times(sc, 14 * day, -3600):
        confirm = sc.rng.random() < 0.4
        i = int((t + 21600) // 60)
        throttled = sc.rng.random() < (thr_share[i] if confirm else 0.55 * starved[i])
        rid = sc.uuid()
        path = "/checkout/confirm" if confirm else "/cart"
        if throttled:
            ev.append((t, f"({rid}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}"))
            ev.append((t + 0.001, f"({rid}) Execution failed due to configuration error: Rate Exceeded."))
            ev.append((t + 0.002, f"({rid}) Method completed with status: 500"))
        elif sc.rng.random() < 0.15:
            ev.append((t, f"({rid}) Method request path: {{}}"))
            ev.append((t + 0.2, f"({rid}) Method completed with status: 200"))
    sc.log(f"API-Gateway-Execution-Logs_{API_ID}/live", f"{sc.hexid(32)}", ev)
    ev = []
    for t in poisson_times(sc, 9 * day, -3600):
        confirm = sc.rng.random() < 0.4
        i = int((t + 21600) // 60)
        throttled = sc.rng.random() < (thr_share[i] if confirm else 0.55 * starved[i])
        st = 500 if throttled else 200
        lat = int(sc.rng.integers(8, 20)) if throttled else int(sc.rng.gamma(8, 26))
        ev.append((t, apigw_access(sc, t, API_ID, "POST", "/checkout/confirm" if confirm else "/cart", st, lat,
                                   None if throttled else lat - 12, length=int(sc.rng.integers(30, 1500)),
                                   ua="NorthwindShop/7.3 (Android 15)",
                                   err="Internal server error" if throttled else "-")))
    sc.log(f"API-Gateway-Access-Logs_{API_ID}/live", "access", ev)
    sc.change(-14600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "checkout-confirm", "buildkite-deploy")
    sc.change(B - 1500, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "cart-sync", "sre-pwalker")
    fn = {"FunctionName": "checkout-confirm"}
    sc.alarm_on("checkout-confirm-throttles", "AWS/Lambda", "Throttles", fn, cthr, "Sum", 60, 3, 10,
                "GreaterThanThreshold", description="checkout-confirm is being throttled")
    sc.alarm_on("shop-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "shop-api"}, e5, "Sum", 300, 1, 50,
                "GreaterThanThreshold", description="shop-api 5XX")
    sc.set_expect("checkout-confirm-throttles", "throttling", ["report-backfill"],
                  [("AWS/Lambda", "Throttles", fn), ("AWS/Lambda", "ConcurrentExecutions", {})])
    return sc
