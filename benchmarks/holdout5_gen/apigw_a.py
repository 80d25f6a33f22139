"""API Gateway + Lambda: h5-04 (Lambda env var change), h5-05 (usage-plan 429s), h5-09 (unexplained latency blip)."""
from __future__ import annotations

import json

import numpy as np

from .common import (N, T, alarm, apigw_metrics, change, expect, find, hexid, lambda_logs, lambda_metrics,
                     lambda_stream, level, log, node_line, pois, py_line, rid, scenario, window)


def exec_fail(rng, t, lam_req, msg, status=502):
    a = rid(rng)
    return [(t, f"({a}) Lambda execution failed with status 200 due to customer function error: {msg}. "
                f"Lambda request id: {lam_req}"),
            (t + 0.001, f"({a}) Method completed with status: {status}")]


# ------------------------------------------------------------------ h5-04
def apigw_lambda_config(rng):
    region, api, api_id, fn, other = "eu-central-1", "orders-api", "k3x9q2b7de", "orders-create", "orders-list"
    change_t = -1900
    onset = change_t + 20
    bad = window(onset, 0)
    c_inv = pois(rng, level(rng, 16, 0.05, daily=0.3, phase=-30000))
    c_err = np.where(bad > 0, c_inv, pois(rng, 0.02 * c_inv))
    c_dur = np.where(bad > 0, level(rng, 41, 0.1), level(rng, 176, 0.08))
    batch = window(-7200, -6600)
    l_inv = pois(rng, level(rng, 14, 0.05, daily=0.3, phase=-30000) + batch * 55)
    l_dur = level(rng, 88, 0.08) * (1 + batch * 0.6)
    metrics = lambda_metrics(fn, c_inv, c_err, c_dur, rng=rng) + lambda_metrics(other, l_inv, np.zeros(N), l_dur,
                                                                                rng=rng)
    e4 = pois(rng, 0.6 * np.ones(N))
    lat = (c_inv * c_dur + l_inv * l_dur) / np.maximum(c_inv + l_inv, 1)
    metrics += apigw_metrics(api, c_inv + l_inv + e4, e4, c_err, lat + level(rng, 14, 0.1), lat + level(rng, 6, 0.1))

    val_msg = ("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: "
               "Member must not be null")
    exec_ev = []

    def c_body(rng_, t, req, is_err, d):
        if t >= onset:
            d = max(8.0, rng_.normal(41, 6))
            err = {"errorType": "ValidationException", "errorMessage": val_msg, "name": "ValidationException",
                   "$fault": "client", "$metadata": {"httpStatusCode": 400, "requestId": hexid(rng_, 52).upper(),
                                                     "attempts": 1, "totalRetryDelay": 0},
                   "stack": [f"ValidationException: {val_msg}",
                             "    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/"
                             "smithy-client/dist-cjs/index.js:867:20)",
                             "    at de_PutItemCommand (/var/runtime/node_modules/@aws-sdk/client-dynamodb/dist-cjs/"
                             "index.js:2461:12)",
                             "    at async Runtime.handler (file:///var/task/index.mjs:58:5)"]}
            exec_ev.extend(exec_fail(rng_, t + d / 1000 + 0.01, req, val_msg))
            return [(d / 1000 - 0.002, node_line("ERROR", t + d / 1000, req, "Invoke Error \t"
                                                 + json.dumps(err, separators=(",", ":"))))], d
        lines = [(0.03, node_line("INFO", t, req, f"creating order for customer cus_{hexid(rng_, 10)} "
                                                  f"items={rng_.integers(1, 6)}"))]
        if is_err:
            err = {"errorType": "ConditionalCheckFailedException", "errorMessage": "The conditional request failed",
                   "name": "ConditionalCheckFailedException", "$fault": "client",
                   "stack": ["ConditionalCheckFailedException: The conditional request failed",
                             "    at de_PutItemCommand (/var/runtime/node_modules/@aws-sdk/client-dynamodb/dist-cjs/"
                             "index.js:2461:12)",
                             "    at async Runtime.handler (file:///var/task/index.mjs:58:5)"]}
            lines.append((d / 1000 - 0.002, node_line("ERROR", t + d / 1000, req, "Invoke Error \t"
                                                      + json.dumps(err, separators=(",", ":")))))
            exec_ev.extend(exec_fail(rng_, t + d / 1000 + 0.01, req, "The conditional request failed"))
            return lines, d
        if rng_.uniform() < 0.08:
            lines.append((0.05, node_line("WARN", t, req, "address normalization fallback: postcode lookup "
                                                          "returned no match")))
        lines.append((d / 1000 - 0.004, node_line("INFO", t + d / 1000, req,
                                                  f"order ord_{hexid(rng_, 12)} stored, event published")))
        return lines, d

    def l_body(rng_, t, req, is_err, d):
        return [(0.01, node_line("INFO", t, req, f"listed {rng_.integers(0, 40)} orders for customer "
                                                 f"cus_{hexid(rng_, 10)}"))], d

    init = "nodejs:20.v41\tRuntime Version ARN: arn:aws:lambda:eu-central-1::runtime:0c4c3a1f" + hexid(rng, 40)
    streams = [(lambda_stream(rng), -1e9, change_t), (lambda_stream(rng), -1e9, change_t),
               (lambda_stream(rng, change_t), change_t, 1e9), (lambda_stream(rng, change_t), change_t + 200, 1e9)]
    logs = lambda_logs(rng, fn, 256, c_inv, c_err, c_dur, c_body, streams=streams, maxmem=(88, 104),
                       runtime_init=init)
    logs += lambda_logs(rng, other, 256, l_inv, np.zeros(N), l_dur, l_body, maxmem=(80, 97))
    logs.append(log(f"API-Gateway-Execution-Logs_{api_id}/prod", hexid(rng, 32), exec_ev))

    changes = [change(-10200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
                      "gha-deploy"),
               change(change_t, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
                      "AWS::Lambda::Function", fn, "m.schneider")]
    al = alarm("orders-api-5xx", find(metrics, "5XXError"), "Sum", 60, 3, 3, description="orders-api 5xx responses")
    resources = [
        {"type": "apigateway", "id": api, "properties": {"api_id": api_id, "stage": "prod",
                                                          "integrations": [fn, other]}},
        {"type": "lambda", "id": fn, "properties": {
            "runtime": "nodejs20.x", "timeout": 10, "memory_size": 256,
            "environment": {"ORDERS_TABLE_NAME": "orders-prod", "EVENT_BUS": "orders-events",
                            "POWERTOOLS_SERVICE_NAME": "orders"}}},
        {"type": "lambda", "id": other, "properties": {"runtime": "nodejs20.x", "timeout": 10, "memory_size": 256}},
    ]
    scn = scenario("h5-04-apigw-lambda-env-change", "Customers cannot place orders; orders-api 5XX alarm.",
                   region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "config_change", [fn], [find(metrics, "5XXError"),
                                                              find(metrics, "Errors", FunctionName=fn)]))
    return {"file": "h5-04-apigw-lambda-env-change.yaml", "scenario": scn,
            "decoys": "orders-list code deploy 2.8 h earlier; orders-list invocation burst 2 h earlier; steady "
                      "address-normalization warnings; rare pre-existing ConditionalCheckFailed errors (duplicate "
                      "submissions)",
            "story": "While tidying configuration, an engineer renamed the orders-create environment variable "
                     "TABLE_NAME to ORDERS_TABLE_NAME in the console (UpdateFunctionConfiguration). The code still "
                     "reads process.env.TABLE_NAME, so every PutItem is sent with a null table name and DynamoDB "
                     "rejects it with a ValidationException. API Gateway turns each function error into a 502."}


# ------------------------------------------------------------------ h5-05
def apigw_usage_plan(rng):
    region, api, api_id, fn = "ap-northeast-1", "partner-quotes-api", "r8t1m5w0ya", "quote-calculator"
    onset = -1500
    base = level(rng, 22, 0.06, daily=0.3, phase=-50000)
    partner = level(rng, 8, 0.1) + window(onset, 0) * np.clip((T - onset) / 120, 0, 1) * 85
    allowed = np.minimum(partner, 60 + rng.normal(0, 1.5, N))
    throttled = np.round(partner - allowed)
    inv = pois(rng, base + allowed)
    e4 = throttled + pois(rng, 0.8 * np.ones(N))
    dur = level(rng, 340, 0.08)
    metrics = lambda_metrics(fn, inv, pois(rng, 0.01 * np.ones(N)), dur, rng=rng)
    count = inv + e4
    lat = (inv * (dur + 25) + throttled * 4) / np.maximum(count, 1)
    metrics += apigw_metrics(api, count, e4, np.zeros(N), lat, (inv * (dur + 12)) / np.maximum(count, 1))
    errs = find(metrics, "Errors")["points"]
    err_arr = np.array([p[1] for p in errs])

    def body(rng_, t, req, is_err, d):
        if is_err:
            return [(0.02, py_line("ERROR", t, req, "quote rejected: unknown tariff zone 'ZZ9' for shipment "
                                                     f"{hexid(rng_, 8)}"))], d
        if rng_.uniform() < 0.2:
            return [(0.01, py_line("INFO", t, req, f"quote {hexid(rng_, 10)} lanes={rng_.integers(1, 5)} "
                                                   f"total_jpy={rng_.integers(3000, 90000)}"))], d
        return [], d

    logs = lambda_logs(rng, fn, 512, inv, err_arr, dur, body, maxmem=(120, 150),
                       streams=[(lambda_stream(rng), -1e9, 1e9) for _ in range(3)])
    key = "*" * 34 + "Qx7bTn"
    ev = []
    for i in range(N):
        if T[i] < -10800:
            continue
        for t in np.sort(T[i] + rng.uniform(0, 60, int(throttled[i]))):
            ev.append((t, f"({rid(rng)}) API Key {key} exceeded throttle limit for API Stage {api_id}/v1: Key "
                          f"throttle limit exceeded for Usage Plan ID 7hq2ke, RestApi {api_id}, Stage v1, "
                          "Resource 4f8k1z, HttpMethod POST. Limit: 1.00 Burst: 2"))
        for _ in range(int(e4[i] - throttled[i])):
            t = T[i] + rng.uniform(0, 60)
            ev.append((t, f"({rid(rng)}) Forbidden: API Key not authorized" if rng.uniform() < 0.5 else
                          f"({rid(rng)}) Request body does not match model schema for content type application/json: "
                          "[object has missing required properties ([\"destination\"])]"))
    logs.append(log(f"API-Gateway-Execution-Logs_{api_id}/v1", hexid(rng, 32), ev))

    changes = [change(-16200, "apigateway.amazonaws.com", "CreateApiKey", "AWS::ApiGateway::ApiKey",
                      "partner-nippon-freight", "ops-tanaka"),
               change(-16150, "apigateway.amazonaws.com", "CreateUsagePlanKey", "AWS::ApiGateway::UsagePlanKey",
                      "partner-basic", "ops-tanaka")]
    al = alarm("partner-quotes-api-4xx", find(metrics, "4XXError"), "Sum", 60, 3, 20,
               description="partner-quotes-api 4xx responses")
    resources = [
        {"type": "apigateway", "id": api, "properties": {
            "api_id": api_id, "stage": "v1", "integrations": [fn],
            "usage_plans": {"partner-basic": {"rate_limit": 1, "burst_limit": 2},
                            "partner-pro": {"rate_limit": 20, "burst_limit": 40}}}},
        {"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 15, "memory_size": 512}},
    ]
    scn = scenario("h5-05-apigw-usage-plan-429", "A logistics partner reports quote requests being rejected; 4xx alarm.",
                   region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "throttling", [api, api_id], [find(metrics, "4XXError")]))
    return {"file": "h5-05-apigw-usage-plan-429.yaml", "scenario": scn,
            "decoys": "new partner API key onboarded 4.5 h earlier; steady 403/400 4xx noise; rare function errors "
                      "for unknown tariff zones",
            "story": "A partner on the 'partner-basic' usage plan (1 req/s, burst 2) started a bulk re-quote job "
                     "sending ~1.5 req/s. API Gateway rejects the excess with 429 and logs 'Key throttle limit "
                     "exceeded for Usage Plan ID 7hq2ke'. The Lambda behind the API is healthy (no errors, no "
                     "throttles); total traffic is up less than 3x."}


# ------------------------------------------------------------------ h5-09
def apigw_unknown_blip(rng):
    region, api, api_id, fn, other = "sa-east-1", "catalog-api", "v2n6c8p4ls", "catalog-search", "catalog-indexer"
    blip0 = -400
    inv = pois(rng, level(rng, 26, 0.05, daily=0.3, phase=-45000))
    dur = level(rng, 118, 0.09)
    blip = window(blip0, 0)
    extra = blip * rng.uniform(1100, 1500, N)
    metrics = lambda_metrics(fn, inv, np.zeros(N), dur, rng=rng)
    i_inv = np.where((T % 900) == 0, 1.0, 0.0)
    i_dur = np.where(i_inv > 0, level(rng, 41000, 0.1), np.nan)
    metrics += lambda_metrics(other, i_inv, np.zeros(N), np.nan_to_num(i_dur, nan=0.0),
                              conc=i_inv.copy())
    for m in metrics[-5:]:
        if m["name"] == "Duration":
            m["points"] = [p for p in m["points"] if p[1] > 0]
    e4 = pois(rng, 0.5 * np.ones(N))
    ilat = dur + level(rng, 9, 0.15) + extra
    metrics += apigw_metrics(api, inv + e4, e4, np.zeros(N), ilat + level(rng, 12, 0.1), ilat)

    def body(rng_, t, req, is_err, d):
        lines = [(0.005, py_line("INFO", t, req, f"search q_len={rng_.integers(2, 30)} filters="
                                                 f"{rng_.integers(0, 4)} hits={rng_.integers(0, 500)}"))]
        if rng_.uniform() < 0.04:
            lines.append((0.006, py_line("WARNING", t, req, f"index snapshot stale by {rng_.integers(60, 240)}s, "
                                                            "serving cached facets")))
        return lines, d

    logs = lambda_logs(rng, fn, 1024, inv, np.zeros(N), dur, body, maxmem=(210, 260),
                       streams=[(lambda_stream(rng), -1e9, 1e9) for _ in range(2)])

    def i_body(rng_, t, req, is_err, d):
        return [(1.0, py_line("INFO", t, req, f"reindexed {rng_.integers(800, 2400)} products from catalog feed")),
                (d / 1000 - 0.1, py_line("INFO", t + d / 1000, req, "published snapshot to s3://catalog-index/"))], d

    logs += lambda_logs(rng, other, 2048, i_inv, np.zeros(N), np.nan_to_num(i_dur, nan=0.0), i_body,
                        maxmem=(900, 1200))
    changes = [change(-11100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
                      "ci-bot"),
               change(-11080, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", other,
                      "ci-bot")]
    al = alarm("catalog-api-latency", find(metrics, "Latency"), "Average", 60, 3, 800,
               description="catalog-api average latency above 800 ms")
    resources = [
        {"type": "apigateway", "id": api, "properties": {"api_id": api_id, "stage": "prod", "integrations": [fn]}},
        {"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 1024}},
        {"type": "lambda", "id": other, "properties": {"runtime": "python3.12", "timeout": 300, "memory_size": 2048}},
    ]
    scn = scenario("h5-09-apigw-latency-blip", "catalog-api latency alarm fired a few minutes ago.",
                   region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "unknown", [api, api_id], [find(metrics, "Latency")]))
    return {"file": "h5-09-apigw-latency-blip.yaml", "scenario": scn,
            "decoys": "catalog-indexer deploy 3 h earlier; indexer's 15-minute batch runs; steady stale-index "
                      "warnings",
            "story": "For the last ~6 minutes catalog-api's Latency and IntegrationLatency are about 1.3 s higher, "
                     "while the function's own Duration, invocation count, errors, throttles and logs are all "
                     "unchanged and nothing was changed recently. The extra time sits between API Gateway and the "
                     "Lambda service; nothing in the account's data explains it. "
                     "The honest answer is unknown."}
