"""Scenarios 09-11: an SQS backfill draining the account's unreserved concurrency pool, a provisioned
DynamoDB table at its write ceiling under a Go cart service, month-range exports hitting a .NET
function's 180 s timeout."""
from __future__ import annotations

from .common import (MINUTES, Scenario, apigw_metrics, binom, counts, hexs, jit, lambda_metrics, pois, ramp,
                     rid, sqs_metrics, wave)
from .lambdalog import FnLog, drive, go, node, py, simple_fn


def s09() -> Scenario:
    sc = Scenario(9, "orders-throttles-unreserved-pool", "us-east-1",
                  "orders-api Throttles alarm; some customers get 500s when placing orders.", "2026-08-26T15:40:00")
    rng = sc.rng
    TB = -2640
    sc.res("lambda", "orders-api", runtime="nodejs20.x", timeout=10, memory_size=1024, reserved_concurrency=None)
    sc.res("lambda", "catalog-backfill", runtime="python3.12", timeout=60, memory_size=512, reserved_concurrency=None,
           event_source="SQS catalog-backfill-queue (batch 10, no maximum concurrency)")
    sc.res("lambda", "payments-webhook", runtime="nodejs20.x", timeout=15, memory_size=512, reserved_concurrency=100)
    sc.res("lambda", "fraud-score", runtime="python3.12", timeout=5, memory_size=1024, reserved_concurrency=50)
    sc.res("lambda", "orders-admin", runtime="nodejs20.x", timeout=10, memory_size=512)
    sc.res("apigateway", "orders-rest-api", api_id="h8d3k1s9pq", stage="prod",
           note="account concurrency limit 1000; 150 reserved -> 850 unreserved")
    h = {t: ramp(t, TB, TB + 240) for t in MINUTES}
    bconc = {t: (pois(rng, 1.2) + 1 if t < TB else int(2 + 803 * h[t] * rng.uniform(0.985, 1.0))) for t in MINUTES}
    oconc_need = {t: 28 + 8 * wave(t, 7200) for t in MINUTES}
    unres = {t: min(850, bconc[t] + oconc_need[t] + 14 + rng.gauss(0, 2)) for t in MINUTES}
    oinv = counts(rng, lambda t: 540 + 60 * wave(t, 7200))
    othr = {t: (binom(rng, oinv[t], 0.2 * h[t] + rng.uniform(-0.03, 0.03) * h[t]) if h[t] > 0.9 else 0)
            for t in MINUTES}
    ookinv = {t: oinv[t] - othr[t] for t in MINUTES}
    lambda_metrics(sc, "orders-api", ookinv, {t: 0 for t in MINUTES}, {t: jit(rng, 2900, 0.05) for t in MINUTES},
                   {t: int(min(oconc_need[t] * rng.uniform(0.85, 1.1), 850 - bconc[t] - 12) if h[t] > 0.9 else
                           oconc_need[t] * rng.uniform(0.85, 1.1)) for t in MINUTES}, othr)
    binv = {t: (pois(rng, 30 * 3.9 / 24) if t < TB else pois(rng, bconc[t] * 60 / 24.0)) for t in MINUTES}
    lambda_metrics(sc, "catalog-backfill", binv, {t: pois(rng, 0.02) for t in MINUTES},
                   {t: jit(rng, 24000, 0.05) for t in MINUTES}, bconc,
                   {t: (pois(rng, 1900 * h[t]) if h[t] > 0.5 else 0) for t in MINUTES})
    pinv, finv, ainv = counts(rng, lambda t: 80.0), counts(rng, lambda t: 520.0), counts(rng, lambda t: 6.0)
    lambda_metrics(sc, "payments-webhook", pinv, {t: pois(rng, 0.05) for t in MINUTES},
                   {t: jit(rng, 310, 0.06) for t in MINUTES}, {t: pois(rng, 3) + 1 for t in MINUTES})
    lambda_metrics(sc, "fraud-score", finv, {t: 0 for t in MINUTES}, {t: jit(rng, 85, 0.06) for t in MINUTES},
                   {t: pois(rng, 4) + 1 for t in MINUTES})
    lambda_metrics(sc, "orders-admin", ainv, {t: 0 for t in MINUTES}, {t: jit(rng, 120, 0.1) for t in MINUTES},
                   {t: pois(rng, 0.6) + 1 for t in MINUTES})
    sc.metric("AWS/Lambda", "ConcurrentExecutions", {}, "Count", {t: unres[t] + rng.uniform(5, 12) for t in MINUTES}, nd=0)
    sc.metric("AWS/Lambda", "UnreservedConcurrentExecutions", {}, "Count", unres, nd=0)
    sc.metric("AWS/Lambda", "Throttles", {}, "Count",
              {t: othr[t] + (pois(rng, 1900 * h[t]) if h[t] > 0.5 else 0) for t in MINUTES}, nd=0)
    e4 = {t: pois(rng, 9) for t in MINUTES}
    apigw_metrics(sc, "orders-rest-api", oinv, e4, {t: othr[t] + pois(rng, 0.05) for t in MINUTES},
                  {t: jit(rng, 2930, 0.05) * (1 - othr[t] / oinv[t]) + 35 * othr[t] / oinv[t] for t in MINUTES},
                  {t: jit(rng, 2900, 0.05) * (1 - othr[t] / oinv[t]) + 22 * othr[t] / oinv[t] for t in MINUTES})
    sent = {t: (pois(rng, 48) if not (TB - 60 <= t < TB + 60) else 1_200_000 + pois(rng, 48)) for t in MINUTES}
    vis, backlog = {}, 0
    for t in MINUTES:
        backlog = max(0, backlog + sent[t] - binv[t] * 10) if t >= TB - 60 else 0
        vis[t] = backlog + pois(rng, 20)
    sqs_metrics(sc, "catalog-backfill-queue", vis, {t: (t - TB + 60 if t >= TB - 60 else jit(rng, 8, 0.3))
                                                    for t in MINUTES}, sent, {t: binv[t] * 10 for t in MINUTES})

    fl = FnLog(sc, "orders-api", "nodejs20.x", 1024, init=(300, 520))

    def make(t, r, kind):
        d = jit(rng, 2900, 0.25)
        oid = "ord_%s" % hexs(rng, 10)
        lines = [node(sc, t + 0.002, r, "INFO", "POST /orders cart=%s items=%d" % (hexs(rng, 8), rng.randint(1, 6)))]
        if rng.random() < 0.03:
            lines.append(node(sc, t + 0.2, r, "ERROR", "Order validation failed: coupon %s expired (422)" % rng.choice(
                ["SUMMER25", "BTS10", "FREESHIP"])))
            return {"dur": jit(rng, 240, 0.2), "mem": rng.uniform(150, 170), "lines": lines}
        lines.append(node(sc, t + d / 1000 - 0.4, r, "INFO", "fraud-score=%.2f payment authorised" % rng.uniform(0, .3)))
        lines.append(node(sc, t + d / 1000 - 0.003, r, "INFO", "order %s created 201 in %d ms" % (oid, d)))
        return {"dur": d, "mem": rng.uniform(150, 180), "lines": lines}
    drive(sc, fl, ookinv, {}, 0.018, -8400, make, n_envs=lambda t: 8)
    bfl = FnLog(sc, "catalog-backfill", "python3.12", 512, init=(350, 600))

    def bmake(t, r, kind):
        d = jit(rng, 24000, 0.15)
        return {"dur": d, "mem": rng.uniform(110, 140), "lines": [
            py(sc, t + 0.3, r, "INFO", "batch of 10 from s3://acme-catalog-export/%s/part-%05d.jsonl" % (
                "2026-08-26" if t >= TB else "2026-08-25", rng.randint(0, 24000))),
            py(sc, t + d / 1000 - 0.004, r, "INFO", "upserted 10 catalog items (search index + pricing cache) in %d ms"
               % (d - 5))]}
    drive(sc, bfl, binv, {}, lambda t: 0.8 if t < TB else 0.006, -8400, bmake, n_envs=lambda t: 6)
    simple_fn(sc, "orders-admin", "nodejs20.x", 512, ainv, lambda t: jit(rng, 120, 0.1),
              lambda t, r, d: [node(sc, t + d / 1000, r, "INFO", "GET /admin/orders page=%d (%s)" % (
                  rng.randint(1, 30), "oa-418" if t >= -3000 else "oa-417"))], start=-6000, frac=0.5)
    ev = []
    for t in MINUTES[-45:]:
        for _ in range(min(othr[t], 6)):
            ts, q = t + rng.uniform(0, 60), rid(rng)
            ev += [(ts, "(%s) Lambda invocation failed with status: 429. Lambda request id: %s" % (q, rid(rng))),
                   (ts + 0.001, "(%s) Execution failed due to configuration error: Rate Exceeded." % q),
                   (ts + 0.002, "(%s) Method completed with status: 500" % q)]
    sc.log("API-Gateway-Execution-Logs_h8d3k1s9pq/prod", "h8d3k1s9pq-prod", ev)
    sc.lambda_change(-3000, "orders-admin", "UpdateFunctionCode20150331v2", "github-actions")
    sc.lambda_change(-20100, "payments-webhook", "PutFunctionConcurrency20171031", "platform-terraform")
    sc.alarm("orders-api-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "orders-api"}, "Sum", 60, 3, 5,
             after=TB - 60, desc="orders-api is being throttled")
    sc.expect = {"alarm": "orders-api-throttles",
                 "root_cause": {"category": "throttling", "resource": ["catalog-backfill"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "ConcurrentExecutions",
                                "dimensions": {"FunctionName": "catalog-backfill"}},
                               {"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": "orders-api"}}]}
    sc.meta = {"front": "front (victim function's Throttles)", "decoys": [
        "orders-admin deploy ~6 min before onset",
        "pre-existing 'Order validation failed: coupon expired' ERROR lines at a steady rate",
        "PutFunctionConcurrency on payments-webhook 5.5 h earlier"],
        "story": "At -2640 s the nightly catalog export dropped ~2.4 M messages into catalog-backfill-queue. "
                 "catalog-backfill has no reserved concurrency and its SQS event source no maximum concurrency, so it "
                 "scaled to ~800 concurrent executions within 4 minutes and itself started throttling. The account "
                 "limit is 1000 with 150 reserved (payments-webhook 100, fraud-score 50), so UnreservedConcurrent"
                 "Executions sits at 850: orders-api, which also draws from the unreserved pool and needs only ~30, is "
                 "throttled on ~20% of calls (API Gateway logs `Lambda invocation failed with status: 429 ... Rate "
                 "Exceeded` and returns 500). orders-api's own concurrency and duration are normal; no errors inside "
                 "it. Throttling whose origin is the function that drained the shared pool: throttling, resource "
                 "catalog-backfill (orders-api is the victim where the alarm fired)."}
    return sc


# =====================================================================================================
def s10() -> Scenario:
    sc = Scenario(10, "shop-5xx-carts-table-wcu-ceiling", "us-west-2",
                  "shop-api 5xx alarm; add-to-cart intermittently failing.", "2026-10-14T01:30:00")
    rng = sc.rng
    T = -2400
    sc.res("lambda", "cart-service", runtime="provided.al2023", architectures=["arm64"], timeout=10, memory_size=256,
           environment={"CARTS_TABLE": "carts", "AWS_RETRY_MAX_ATTEMPTS": "3"},
           dependencies="DynamoDB table carts (provisioned; write auto scaling min 100 / max 300 WCU)")
    sc.res("lambda", "checkout-service", runtime="provided.al2023", architectures=["arm64"], timeout=15, memory_size=512)
    sc.res("lambda", "recs-batch", runtime="python3.12", timeout=900, memory_size=3008)
    sc.res("apigateway", "shop-api", api_id="v4b7n2m5xc", stage="prod")
    lam = lambda t: 2300 + 1150 * ramp(t, -21600, -2400) + 450 * ramp(t, -2400, -60)  # noqa: E731
    inv = counts(rng, lam)
    want = {t: lam(t) * 5.3 * rng.uniform(0.99, 1.01) for t in MINUTES}  # ~5 KB cart documents: ~5.3 WCU/write
    cap = 300 * 60
    consumed = {t: min(want[t], cap * rng.uniform(0.985, 1.005)) for t in MINUTES}
    over = {t: max(0.0, want[t] - cap) for t in MINUTES}
    p_fail = {t: min(0.3, max(0.0, over[t] / want[t] - 0.012) * 1.8) for t in MINUTES}
    e5 = {t: binom(rng, inv[t], p_fail[t]) for t in MINUTES}
    thr_ev = {t: (int(over[t] / 1.1 * rng.uniform(0.9, 1.1)) if over[t] > 0 else 0) for t in MINUTES}
    dur = {t: jit(rng, 34 + 480 * p_fail[t], 0.06) for t in MINUTES}
    lambda_metrics(sc, "cart-service", inv, {t: pois(rng, 0.02) for t in MINUTES}, dur,
                   {t: pois(rng, 3 + 30 * p_fail[t]) + 1 for t in MINUTES})
    cinv = counts(rng, lambda t: 260 + 140 * ramp(t, -21600, -600))
    lambda_metrics(sc, "checkout-service", cinv, {t: pois(rng, 0.08) for t in MINUTES},
                   {t: jit(rng, 420 if t < -2520 else 395, 0.06) for t in MINUTES}, {t: pois(rng, 4) + 1 for t in MINUTES})
    rinv = counts(rng, lambda t: 0.3)
    lambda_metrics(sc, "recs-batch", rinv, {t: 0 for t in MINUTES},
                   {t: jit(rng, 610000, 0.1) if rinv[t] else None for t in MINUTES}, {t: min(2, rinv[t]) for t in MINUTES})
    apigw_metrics(sc, "shop-api", {t: inv[t] + cinv[t] for t in MINUTES}, {t: pois(rng, 12) for t in MINUTES},
                  {t: e5[t] + pois(rng, 0.1) for t in MINUTES},
                  {t: (dur[t] * inv[t] + 410 * cinv[t]) / (inv[t] + cinv[t]) + jit(rng, 12, 0.2) for t in MINUTES},
                  {t: (dur[t] * inv[t] + 410 * cinv[t]) / (inv[t] + cinv[t]) for t in MINUTES})
    td = {"TableName": "carts"}
    sc.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", td, "Count", consumed, nd=1)
    sc.metric("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", td, "Count",
              {t: (200 if t < -9000 else 300) for t in MINUTES}, nd=0)
    sc.metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", td, "Count", {t: inv[t] * 1.5 for t in MINUTES}, nd=1)
    sc.metric("AWS/DynamoDB", "WriteThrottleEvents", td, "Count", thr_ev, nd=0)
    sc.metric("AWS/DynamoDB", "ThrottledRequests", {"TableName": "carts", "Operation": "UpdateItem"}, "Count",
              {t: int(thr_ev[t] * 0.7) for t in MINUTES}, nd=0)
    sc.metric("AWS/DynamoDB", "SuccessfulRequestLatency", {"TableName": "carts", "Operation": "UpdateItem"},
              "Milliseconds", lambda t: jit(rng, 4.1, 0.1), nd=2)

    fl = FnLog(sc, "cart-service", "provided.al2023", 256, init=(45, 90))

    def make(t, r, kind):
        tm = t - t % 60
        cart = "c_" + hexs(rng, 12)
        lines = [go(sc, t + 0.001, r, "INFO", "request", method="POST", path="/cart/items", cart_id=cart)]
        if rng.random() < p_fail.get(tm, 0):
            d = jit(rng, 520, 0.15)
            lines.append(go(sc, t + d / 1000 - 0.002, r, "ERROR", "update cart failed", cart_id=cart, status=503,
                            err="operation error DynamoDB: UpdateItem, exceeded maximum number of attempts, 3, https "
                                "response error StatusCode: 400, RequestID: %s, ProvisionedThroughputExceededException: "
                                "The level of configured provisioned throughput for the table was exceeded. Consider "
                                "increasing your provisioning level with the UpdateTable API." % hexs(rng, 52).upper()))
            return {"dur": d, "mem": rng.uniform(38, 44), "lines": lines}
        d = jit(rng, 34, 0.3)
        if rng.random() < 0.04:
            lines.append(go(sc, t + 0.01, r, "WARN", "conditional check failed: cart version mismatch, retrying",
                            cart_id=cart))
        lines.append(go(sc, t + d / 1000 - 0.001, r, "INFO", "response", status=200, duration_ms=int(d)))
        return {"dur": d, "mem": rng.uniform(36, 44), "lines": lines}
    drive(sc, fl, inv, {}, 0.006, -8400, make, n_envs=lambda t: 6)
    simple_fn(sc, "checkout-service", "provided.al2023", 512, cinv, lambda t: jit(rng, 410, 0.2),
              lambda t, r, d: [go(sc, t + d / 1000, r, "INFO", "checkout session created",
                                  build="cs-%s" % ("0419" if t >= -2520 else "0418"))], start=-5400, frac=0.03)
    sc.change(-9000, "dynamodb.amazonaws.com", "UpdateTable", "AWS::DynamoDB::Table", "carts", "application-autoscaling")
    sc.lambda_change(-2520, "checkout-service", "UpdateFunctionCode20150331v2", "argo-workflows")
    sc.alarm("shop-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "shop-api"}, "Sum", 60, 3, 15, after=T - 300,
             desc="shop-api prod 5xx")
    sc.alarm("recs-batch-duration", "AWS/Lambda", "Duration", {"FunctionName": "recs-batch"}, "Maximum", 300, 1,
             600000, state="ALARM", state_changed=-14100)
    sc.expect = {"alarm": "shop-api-5xx", "root_cause": {"category": "throttling", "resource": ["carts"]},
                 "anomalies": [{"namespace": "AWS/DynamoDB", "name": "WriteThrottleEvents", "dimensions": td}]}
    sc.meta = {"front": "front (API Gateway)", "decoys": [
        "checkout-service deploy 2 min before the 5xx onset (its errors flat)",
        "auto-scaling UpdateTable on carts 2 h earlier (200 -> 300 WCU, the scaling maximum)",
        "recs-batch duration alarm in ALARM for hours", "steady WARN 'conditional check failed' in cart-service"],
        "story": "Evening traffic on shop-api grows as it does every day (+50% over six hours, no spike). The carts "
                 "table is provisioned and its write auto scaling already reached its 300 WCU maximum two hours ago. "
                 "From about -3500 s ConsumedWriteCapacityUnits is flat at the ceiling (300/s x 60) and WriteThrottle"
                 "Events appear (absorbed by SDK retries at first); from about -2400 s cart-service (Go) exhausts its "
                 "three attempts on `ProvisionedThroughputExceededException` and answers 503, a share that grows with "
                 "the traffic. The handler returns a 503 response, so cart-service's Lambda Errors metric stays flat "
                 "while API Gateway 5XX fires. The checkout-service deploy two minutes before the 5xx onset is unrelated "
                 "(different table, flat errors). Throughput-exceeded errors at a provisioned ceiling: throttling, "
                 "origin the carts table."}
    return sc
