"""Scenarios 15-16."""
from __future__ import annotations

import json

from .blocks import http_api_metrics, lambda_metrics
from .common import Scn, ramp
from .lambdalog import Inv, http_api_access, lambda_logs, lambda_logs_at


def b15() -> Scn:
    sc = Scn(15, "order-projection-iterator-age-poison-record", "us-west-2", 2915, "2026-03-25T20:30:00",
             "Order history pages stale for some customers; order-projection IteratorAge alarm.")
    on = -3300
    stuck = lambda t: t >= on
    sc.res("lambda", "order-projection", runtime="dotnet8", timeout=60, memory_size=512,
           trigger="DynamoDB stream orders (batch 100, MaximumRetryAttempts -1, BisectBatchOnFunctionError false)")
    sc.res("lambda", "customer-notifier", runtime="nodejs20.x", timeout=30, memory_size=256,
           trigger="EventBridge order events")
    sc.res("lambda", "orders-api", runtime="dotnet8", timeout=10, memory_size=1024)
    norm = lambda t: 160 * sc.diurnal(t, 20, 0.3)
    lambda_metrics(sc, "order-projection", lambda t: norm(t) * (0.75 if stuck(t) else 1) + (10 if stuck(t) else 0),
                   lambda t: (10 / (norm(t) * 0.75 + 10)) if stuck(t) else 0.0, lambda t: 95,
                   iterator_age=lambda t: 350 + (max(0, t - on) * 1000 if stuck(t) else 0))
    lambda_metrics(sc, "customer-notifier", lambda t: 40 * sc.diurnal(t, 20, 0.3), lambda t: 0.0005,
                   lambda t: 230)
    lambda_metrics(sc, "orders-api", lambda t: 900 * sc.diurnal(t, 20, 0.3), lambda t: 0.0004, lambda t: 41)
    orders = {"TableName": "orders"}
    sc.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", orders, "Count",
              sc.gauge(lambda t: 5200 * sc.diurnal(t, 20, 0.3), noise=0.05, nd=0))
    sc.metric("AWS/DynamoDB", "ReturnedRecordsCount",
              {"TableName": "orders", "Operation": "GetRecords", "StreamLabel": "2025-11-04T17:22:09.118"}, "Count",
              sc.counts(lambda t: 2600 * sc.diurnal(t, 20, 0.3) * (0.75 if stuck(t) else 1)))
    summ = {"TableName": "order-summaries"}
    sc.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", summ, "Count",
              sc.gauge(lambda t: 2600 * sc.diurnal(t, 20, 0.3) * (0.75 if stuck(t) else 1), noise=0.05, nd=0))
    sc.metric("AWS/DynamoDB", "WriteThrottleEvents", summ, "Count", sc.counts(lambda t: 0.0))
    shards = [f"shardId-00000001742{sc.rng.randint(10**9, 10**10 - 1)}-{sc.hexid(8)}" for _ in range(4)]
    seq = f"48610000000000{sc.rng.randint(10**11, 10**12)}"
    image = json.dumps({"pk": {"S": "ORDER#8813452"}, "status": {"S": "SHIPPED"},
                        "lineItems": {"S": "[{\"sku\":\"TS-RED-M\",\"qty\":2},{\"sku\":\"CAP-NVY\",\"qty\":1}]"},
                        "updatedBy": {"S": "backoffice:j.alvarez"}}, separators=(",", ":"))
    exc = ("System.Text.Json.JsonException: The JSON value could not be converted to System.Collections.Generic."
           "List`1[OrderProjection.Models.LineItem]. Path: $.lineItems | LineNumber: 0 | BytePositionInLine: 187.")
    trace = ["System.Text.Json.ThrowHelper.ThrowJsonException_DeserializeUnableToConvertValue(Type propertyType)",
             "System.Text.Json.Serialization.Converters.ListOfTConverter`2.OnTryRead(Utf8JsonReader& reader, Type typeToConvert, JsonSerializerOptions options, ReadStack& state, TCollection& value)",
             "OrderProjection.RecordMapper.ToOrder(Dictionary`2 image) in /src/OrderProjection/RecordMapper.cs:line 33",
             "OrderProjection.Function.FunctionHandler(DynamoDBEvent dynamoEvent, ILambdaContext context) in /src/OrderProjection/Function.cs:line 52"]

    def proj(sc, t, rid, env):
        r = sc.rng
        sh = shards[env["slot"]]
        if env["slot"] == 2 and stuck(t):
            d = r.uniform(40, 75)
            return Inv(d, r.randint(88, 96), [
                (2, "INFO", f"Processing batch of 100 records from {sh} (first seq {seq})"),
                (d - 6, "ERROR", f"Failed to project record seq={seq} eventName=MODIFY keys={{pk=ORDER#8813452}} "
                                 f"NewImage={image}"),
                (d - 2, "ERROR", json.dumps({"errorType": "JsonException", "errorMessage": exc.split(": ", 1)[1],
                                             "stackTrace": [f"at {f}" for f in trace]}, separators=(",", ":")))],
                "error")
        n = r.randint(5, 100)
        d = r.uniform(50, 160)
        lines = [(2, "INFO", f"Processing batch of {n} records from {sh}")]
        if r.random() < 0.06:
            lines.append((20, "WARN", f"Skipping REMOVE event for ORDER#{r.randint(7000000, 8999999)} (TTL expiry)"))
        lines.append((d - 3, "INFO", f"Projected {n} changes to order-summaries in {d - 10:.0f} ms"))
        return Inv(d, r.randint(86, 95), lines)

    lambda_logs(sc, "order-projection", "dotnet8", -7800, 0, 4, lambda t: 6.0, proj, 512, 60,
                init_ms=(520, 780), life=(20000, 30000))
    sc.change(-12000, "dynamodb.amazonaws.com", "UpdateTable", "AWS::DynamoDB::Table", "returns", "terraform-ci")
    sc.change(-3900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "customer-notifier", "github-actions-deployer")
    fd = {"FunctionName": "order-projection"}
    sc.alarm("order-projection-iterator-age", "AWS/Lambda", "IteratorAge", fd, "Maximum", 60, 5, 600000,
             description="order-projection more than 10 minutes behind the orders stream", want="ALARM")
    sc.alarm("orders-api-errors", "AWS/Lambda", "Errors", {"FunctionName": "orders-api"}, "Sum", 60, 3, 10,
             want="OK")
    sc.expect("order-projection-iterator-age", "application_error", ["order-projection"],
              [("AWS/Lambda", "IteratorAge", fd), ("AWS/Lambda", "Errors", fd)])
    sc.readme("origin", "customer-notifier deploy 10 min before onset; UpdateTable on the returns table; steady "
              "TTL REMOVE-skip warnings",
              "A back-office user edits order ORDER#8813452 by hand and stores `lineItems` as a JSON string instead "
              "of a list. order-projection's deserializer throws `System.Text.Json.JsonException ... Path: "
              "$.lineItems` on that record; the event source mapping retries forever without bisecting, so one of "
              "four shards re-delivers the same batch (same first sequence number) every few seconds and its "
              "IteratorAge grows linearly while the other shards stay current. There is no deploy or "
              "configuration change of the consumer, DynamoDB shows no throttling and the writes are healthy. An "
              "unhandled exception on unexpected data with no preceding change or resource fault is "
              "`application_error` in order-projection.")
    return sc


def b16() -> Scn:
    sc = Scn(16, "live-scores-latency-push-surge", "ap-southeast-1", 2916, "2026-03-26T13:35:00",
             "Live scores app slow during the final; HTTP API latency alarm.")
    api_id, on = "s9d8f7g6h5", -1800
    surge = lambda t: ramp(t, on, on + 180)
    sc.res("apigateway", "scores-http-api", protocol="HTTP", api_id=api_id, stage="$default",
           integration="live-scores-api")
    sc.res("lambda", "live-scores-api", runtime="python3.12", timeout=10, memory_size=1024,
           reserved_concurrency=None, account_concurrency_limit=3000)
    sc.res("lambda", "score-ingest", runtime="provided.al2023", timeout=30, memory_size=256,
           trigger="Kinesis provider-feed")
    sc.res("lambda", "push-sender", runtime="nodejs20.x", timeout=300, memory_size=512, trigger="SNS push-campaigns")
    traffic = lambda t: 700 * sc.diurnal(t, 13, 0.2) + (5600 + 3400 * ramp(t, on + 180, -60)) * surge(t)
    lat = lambda t: 46 + 340 * surge(t) * (1.05 - 0.2 * ramp(t, on + 180, -60))
    http_api_metrics(sc, api_id, traffic, lambda t: 0.0005 + 0.002 * surge(t), lambda t: 12 / traffic(t), lat)
    lambda_metrics(sc, "live-scores-api", traffic, lambda t: 0.0004 + 0.0015 * surge(t), lambda t: lat(t) - 8,
                   conc_extra=lambda t: 9 + 175 * surge(t))
    lambda_metrics(sc, "score-ingest", lambda t: 60.0, lambda t: 0.0, lambda t: 35,
                   iterator_age=lambda t: 420)
    lambda_metrics(sc, "push-sender", lambda t: 1.0 if on - 60 <= t < on else None, lambda t: 0.0,
                   lambda t: 94000)
    sc.metric("AWS/SNS", "NumberOfMessagesPublished", {"TopicName": "push-campaigns"}, "Count",
              [[t, 1.0 if on - 60 <= t < on else 0.0] for t in range(-21600, 0, 60)])
    sc.metric("AWS/Lambda", "ConcurrentExecutions", {}, "Count",
              sc.gauge(lambda t: 30 + 180 * surge(t), noise=0.06, nd=0))
    tbl = {"TableName": "match-state"}
    sc.metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", tbl, "Count",
              sc.gauge(lambda t: 900 + 5200 * surge(t), noise=0.06, nd=0))
    sc.metric("AWS/DynamoDB", "ReadThrottleEvents", tbl, "Count", sc.counts(lambda t: 0.0))
    sc.metric("AWS/DynamoDB", "SuccessfulRequestLatency", dict(tbl, Operation="GetItem"), "Milliseconds",
              sc.gauge(lambda t: 2.8, noise=0.1, nd=2))
    match = "m-2026-wc-final-ind-aus"

    def handler(sc, t, rid, env):
        r = sc.rng
        lines = []
        base = 0.0
        if env["cold"]:
            base = r.uniform(1500, 2300)
            lines.append((base - 60, "INFO", f"cache warm: loaded {match} state from match-state in {r.randint(8, 30)} ms"))
        hit = r.random() < 0.93
        d = base + r.uniform(6, 30) + (0 if hit else r.uniform(5, 15))
        lines.append((d - 1, "INFO", f"GET /v1/matches/{match}/live 200 {d:.0f}ms cache={'hit' if hit else 'miss'}"))
        return Inv(d, r.randint(118, 140), lines)

    lambda_logs(sc, "live-scores-api", "python3.12", -7200, 0, 3, lambda t: 3.0 + 10 * surge(t), handler, 1024, 10,
                init_ms=(1500, 2300))
    lambda_logs(sc, "live-scores-api", "python3.12", on + 20, 0, 5, lambda t: 12.0, handler, 1024, 10,
                init_ms=(1500, 2300), start_cold=True, life=(200, 700))
    lambda_logs_at(sc, "push-sender", "nodejs20.x", [on - 14.0], lambda sc, t, rid, env: Inv(
        94000, 210, [(50, "INFO", "campaign cmp_final_10overs: 2,184,330 device tokens in 219 FCM/APNs batches"),
                     (93900, "INFO", "campaign cmp_final_10overs sent: 2,171,902 delivered, 12,428 invalid tokens")]),
        512, 300)
    ev = []
    t = -5400.0
    while t < -1:
        t += sc.rng.expovariate((6 + 30 * surge(t)) / 60)
        if sc.rng.random() < 0.02 / (1 + 8 * surge(t)):
            ev.append((t, http_api_access(sc, t, "GET /wp-login.php", 404, 23, 0)))
            continue
        cold = sc.rng.random() < 0.12 * surge(t) * (1.05 - 0.2 * ramp(t, on + 180, -60))
        il = sc.rng.uniform(1600, 2500) if cold else sc.rng.uniform(8, 40)
        ev.append((t, http_api_access(sc, t, "GET /v1/matches/{matchId}/live", 200, 1840, il)))
    sc.log("/aws/apigateway/scores-http-api/access", "$default", ev)
    sc.change(-7000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "score-ingest", "terraform-ci")
    dims = {"ApiId": api_id, "Stage": "$default"}
    sc.alarm("scores-http-api-latency", "AWS/ApiGateway", "Latency", dims, "Average", 60, 3, 250,
             description="Live scores API average latency above 250 ms", want="ALARM")
    sc.alarm("scores-http-api-5xx", "AWS/ApiGateway", "5xx", dims, "Sum", 60, 3, 50, want="OK")
    sc.expect("scores-http-api-latency", "traffic_surge", ["scores-http-api", api_id, "live-scores-api"],
              [("AWS/ApiGateway", "Count", dims), ("AWS/ApiGateway", "Latency", dims)])
    sc.readme("origin (the surged API)", "score-ingest configuration change 2 h earlier; push-sender run and SNS "
              "publish (the benign trigger of the surge); constant bot 404s; 5xx alarm stays OK",
              "A push notification for the cricket final goes to 2.2M devices at 13:05. Requests to the live-scores "
              "HTTP API jump from ~700/min to ~6,000/min within three minutes and keep growing. live-scores-api "
              "scales out from ~9 to ~180 concurrent environments without a single throttle (account limit 3,000); "
              "every new environment pays a ~2 s Python cold start, so average latency goes from ~46 ms to ~350 ms. "
              "DynamoDB reads rise but show no throttling and flat latency, errors stay negligible, and no change "
              "touched the API or the function. Request volume far above normal with no other fault is "
              "`traffic_surge`.")
    return sc
