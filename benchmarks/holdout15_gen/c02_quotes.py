"""h15-02: Node.js quote Lambda (pino JSON) behind a REST API; an environment-variable
rename in the console leaves the pricing-rules table name undefined. The handler
catches the error and answers 500, so the function's Errors metric stays flat."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from . import aws
from .common import ACCOUNT, Ctx, Stream, alarm, bump, change, scenario
from .logfmt import LambdaEnvs, apigw_access, pino

REGION = "eu-west-1"
API, API_ID, STAGE = "partner-gateway", "k3v9x2m1qa", "prod"
FN, HOOKS = "rtq-handler-prod", "partner-webhooks"
CHANGE_AT = -2520.0
LOG_FROM = -4500.0
PARTNERS = ["p_0193", "p_0201", "p_0077", "p_0412", "p_0350", "p_0018"]

STACK = ("ValidationException: 1 validation error detected: Value null at 'tableName' failed to satisfy "
         "constraint: Member must not be null\n"
         "    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:838:20)\n"
         "    at /var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:847:5\n"
         "    at de_CommandError (/var/runtime/node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js:2183:14)\n"
         "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n"
         "    at async /var/runtime/node_modules/@aws-sdk/node_modules/@smithy/middleware-serde/dist-cjs/index.js:35:20\n"
         "    at async loadPricingRules (/var/task/dist/pricing/rules.js:41:22)\n"
         "    at async computeQuote (/var/task/dist/quote/compute.js:18:19)\n"
         "    at async Runtime.handler (/var/task/dist/handler.js:27:21)")


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 2, 24, 11, 18), utc_offset_h=0)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(13.0, 0.4)
    after = (t >= CHANGE_AT - 30).astype(float)
    count = ctx.poisson(19 * shape * (1 + ctx.ar(0.06)))
    rej4 = ctx.poisson(count * 0.035)                    # bad API keys: never reach the function
    inv = np.maximum(count - rej4, 0)
    post = np.array([rng.binomial(int(n), 0.64) for n in inv], dtype=float)
    val4 = np.array([rng.binomial(int(n), 0.02) for n in post], dtype=float)   # 400 validation
    fail = np.where(after > 0, post - val4, 0)
    err5 = fail + (rng.random(ctx.n) < 0.008)
    dur = 150 * (1 + ctx.ar(0.1)) * (1 - 0.55 * after * (fail / np.maximum(inv, 1)))
    lat = dur + 18 + ctx.ar(3)
    hooks_inv = ctx.poisson(3 * shape + 41 * bump(t, -2820, -2310, 120))

    metrics = aws.apigw(ctx, API, count, rej4 + val4, err5, lat, dur + 4, stage=STAGE)
    metrics += aws.lam(ctx, FN, inv, np.zeros(ctx.n), dur, np.ceil(inv * dur / 60000 + ctx.rng.random(ctx.n)))
    metrics += aws.lam(ctx, HOOKS, hooks_inv, np.zeros(ctx.n), 240 + ctx.ar(30),
                       np.ceil(hooks_inv * 0.24 / 60 + rng.random(ctx.n)))

    envs = LambdaEnvs(ctx, FN, "nodejs20.x", REGION, 1024, (380, 720))
    access = Stream(f"/aws/apigateway/{API}/access", f"{API_ID}-{STAGE}-{ctx.hex(8)}")
    recycled = False
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < LOG_FROM:
            continue
        if not recycled and m0 >= CHANGE_AT:
            envs.recycle()
            recycled = True
        k_post, k_fail, k_val = int(post[i]), int(fail[i]), int(val4[i])
        kinds = (["fail"] * k_fail + ["val"] * k_val + ["ok_post"] * max(k_post - k_fail - k_val, 0)
                 + ["get"] * int(inv[i] - k_post))
        rng.shuffle(kinds)
        for kind, ts in zip(kinds, sorted(m0 + rng.uniform(0, 60, len(kinds)))):
            rid, api_rid, partner = ctx.uuid(), ctx.uuid(), ctx.pick(PARTNERS)
            host = "{host}"
            d = float(max(35.0, rng.lognormal(np.log(140), 0.3)))
            body = []
            init_lines = [pino(ctx, ts - 0.2, "info", "config loaded", host=host,
                               pricingRulesTable=None if ts >= CHANGE_AT else "pricing-rules-v7",
                               quotesTable="quotes-prod", fxApiBase="https://fx-cache.internal.lmpay.io")]
            if kind == "fail":
                d = float(rng.uniform(40, 75))
                body.append((d / 1000 - 0.002, pino(
                    ctx, ts, "error", "quote computation failed", host=host, reqId=api_rid, awsRequestId=rid,
                    partner=partner, err={"type": "ValidationException",
                                          "message": STACK.split("\n")[0].split(": ", 1)[1], "stack": STACK,
                                          "$fault": "client", "$metadata": {"httpStatusCode": 400,
                                                                            "requestId": ctx.hex(52).upper(),
                                                                            "attempts": 1, "totalRetryDelay": 0}})))
                status, path, method = 500, "/v2/quotes", "POST"
            elif kind == "val":
                body.append((0.004, pino(ctx, ts, "warn", "request rejected", host=host, reqId=api_rid,
                                         partner=partner, reason="promo_code not recognised")))
                d, status, path, method = float(rng.uniform(8, 20)), 400, "/v2/quotes", "POST"
            elif kind == "ok_post":
                body.append((d / 1000 - 0.003, pino(ctx, ts, "info", "quote issued", host=host, reqId=api_rid,
                                                    awsRequestId=rid, partner=partner, quoteId=f"q_{ctx.hex(10)}",
                                                    premium=f"{rng.uniform(40, 900):.2f}", currency="EUR",
                                                    ms=int(d))))
                status, path, method = 201, "/v2/quotes", "POST"
            else:
                status, path, method = 200, "/v2/quotes/{id}", "GET"
                d = float(rng.lognormal(np.log(45), 0.3))
                body.append((d / 1000 - 0.002, pino(ctx, ts, "info", "quote fetched", host=host, reqId=api_rid,
                                                    partner=partner, ms=int(d))))
            if rng.random() < 0.03:
                body.append((0.01, pino(ctx, ts, "warn", "fx rate cache stale, using last known rate", host=host,
                                        pair=ctx.pick(["EURGBP", "EURUSD", "EURCHF"]),
                                        ageSec=int(rng.integers(600, 1500)))))
            envs.invoke(ts, rid, lambda st, b=body: [(o, m.replace('"{host}"', f'"{st.host}"')) for o, m in b], d,
                        int(rng.integers(118, 141)), size=3,
                        init_lines=lambda st, il=init_lines: [m.replace('"{host}"', f'"{st.host}"') for m in il])
            access.add(ts + d / 1000 + 0.02, apigw_access(ctx, ts, api_rid, ctx.ip("34.2"), method, path, status,
                                                          int(rng.integers(90, 900)), int(d) + 17, int(d) + 3,
                                                          apiKeyId=f"key_{partner[-4:]}"))
        for _ in range(int(rej4[i])):
            ts = m0 + float(rng.uniform(0, 60))
            access.add(ts, apigw_access(ctx, ts, ctx.uuid(), ctx.ip("81.1"), "POST", "/v2/quotes", 403, 42, 2, "-"))

    hooks = LambdaEnvs(ctx, HOOKS, "nodejs20.x", REGION, 512, (300, 600))
    for ts in [x for i in range(ctx.n) if t[i] >= LOG_FROM for x in (t[i] + rng.uniform(0, 60, int(hooks_inv[i])))]:
        rid = ctx.uuid()
        d = float(rng.lognormal(np.log(230), 0.2))
        replay = -2820 <= ts < -2310
        hooks.invoke(ts, rid, [(0.004, pino(ctx, ts, "info", "webhook delivered", partner=ctx.pick(PARTNERS),
                                            event="quote.updated", attempt=int(rng.integers(2, 5)) if replay else 1,
                                            status=200, ms=int(d)))], d, 96, size=2 + 6 * replay)

    resources = [
        {"type": "apigateway", "id": API, "properties": {
            "api_id": API_ID, "stage": STAGE, "endpoint_type": "REGIONAL",
            "access_log_group": f"/aws/apigateway/{API}/access",
            "integrations": {"POST /v2/quotes": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{FN}",
                             "GET /v2/quotes/{id}": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{FN}",
                             "POST /v2/webhooks/replay": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{HOOKS}"}}},
        {"type": "lambda", "id": FN, "properties": {
            "runtime": "nodejs20.x", "timeout": 10, "memory_size": 1024, "handler": "dist/handler.handler",
            "environment": {"NODE_ENV": "production", "LOG_LEVEL": "info", "PRICING_TABLE": "pricing-rules-v7",
                            "QUOTES_TABLE": "quotes-prod", "FX_API_BASE": "https://fx-cache.internal.lmpay.io",
                            "NODE_OPTIONS": "--enable-source-maps"}}},
        {"type": "lambda", "id": HOOKS, "properties": {"runtime": "nodejs20.x", "timeout": 30, "memory_size": 512}},
    ]
    changes = [
        change(-17830, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN,
               "gitlab-ci-rtq"),
        change(-17822, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN,
               "gitlab-ci-rtq"),
        change(-2835, "apigateway.amazonaws.com", "CreateUsagePlanKey", "AWS::ApiGateway::UsagePlanKey",
               "partner-tier-gold", "partner-onboarding"),
        change(CHANGE_AT, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               FN, "e.novak@lmpay.io"),
    ]
    m5 = next(m for m in metrics if m["name"] == "5XXError")
    hk = next(m for m in metrics if m["name"] == "Invocations" and m["dimensions"]["FunctionName"] == HOOKS)
    fe = next(m for m in metrics if m["name"] == "Errors" and m["dimensions"]["FunctionName"] == FN)
    alarms = [
        alarm(m5, "partner-gateway-prod-5xx", "Sum", 60, 3, 5, "GreaterThanThreshold", rng=rng,
              description="Partner API 5XX on stage prod"),
        alarm(fe, "rtq-handler-prod-errors", "Sum", 300, 1, 5, "GreaterThanThreshold", rng=rng),
        alarm(hk, "partner-webhooks-invocations-high", "Sum", 300, 1, 150, "GreaterThanThreshold", rng=rng,
              description="Webhook replay volume"),
    ]
    doc = scenario(
        "h15-02-quote-env-rename", "Partners report HTTP 500 on POST /v2/quotes; partner-gateway-prod-5xx paged.",
        REGION, resources, metrics, envs.streams + hooks.streams + [access], alarms, changes,
        {"alarm": "partner-gateway-prod-5xx",
         "root_cause": {"category": "config_change", "resource": [FN]},
         "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError",
                        "dimensions": {"ApiName": API, "Stage": STAGE}}]})
    meta = {"alarm_on": "front (API Gateway)",
            "decoys": "partner-webhooks invocation spike (replay) just before onset, with its own alarm; "
                      "usage-plan key added 5 min before; old rtq-handler-prod code deploy 5 h ago; "
                      "constant 403s, 400s and stale-fx warnings",
            "story": "At -42 min a person updated rtq-handler-prod's configuration in the console; its "
                     "environment now has PRICING_TABLE where the code reads PRICING_RULES_TABLE. Fresh "
                     "execution environments log `config loaded` with pricingRulesTable null, and every POST "
                     "/v2/quotes then fails with a DynamoDB ValidationException \"Value null at 'tableName'\". "
                     "The handler catches it and returns 500, so the function's Errors metric and alarm stay "
                     "quiet while the API's 5XXError climbs; GET requests keep working. The webhook replay "
                     "spike and the usage-plan key are unrelated and clean."}
    return doc, meta
