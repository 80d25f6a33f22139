"""h15-09: a Node checkout service on ECS (pino) calls a tax Lambda by ARN; the Lambda's
reserved concurrency caps it as afternoon demand grows, and the SDK's retries run out.
The Lambda logs at WARN with system logs off, so the throttled calls leave no trace in
its own log group. Alarm on the public ALB's 5xx."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from . import aws
from .common import ACCOUNT, Ctx, Stream, alarm, bump, change, scenario
from .logfmt import j, pino

REGION = "us-east-1"
CLUSTER, SERVICE = "retail-web", "checkout-web"
FN = "avalara-bridge"
FN_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{FN}"
RECS = "recs-precompute"
LB = "app/retail-public/5c7e9a1b3d2f4068"
TG = "targetgroup/chk-web-3000/9b1d3f5a7c2e4086"
RESERVED, DUR = 25, 1.25

STACK = ("TooManyRequestsException: Rate Exceeded.\n"
         "    at de_TooManyRequestsExceptionRes (/app/node_modules/@aws-sdk/client-lambda/dist-cjs/index.js:2848:21)\n"
         "    at de_CommandError (/app/node_modules/@aws-sdk/client-lambda/dist-cjs/index.js:1530:19)\n"
         "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n"
         "    at async /app/node_modules/@smithy/middleware-serde/dist-cjs/index.js:35:20\n"
         "    at async /app/node_modules/@smithy/core/dist-cjs/index.js:165:18\n"
         "    at async /app/node_modules/@smithy/middleware-retry/dist-cjs/index.js:320:38\n"
         "    at async TaxClient.quote (/app/dist/tax/client.js:44:26)\n"
         "    at async CheckoutService.price (/app/dist/checkout/service.js:118:21)")


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 10, 14, 18, 40), utc_offset_h=-4)
    rng, t = ctx.rng, ctx.t
    trend = np.interp(t, [-21600, -9000, -3000, 0], [0.78, 0.9, 0.985, 1.1])
    demand = 1180 * trend * (1 + ctx.ar(0.012))
    cap = RESERVED * 60 / DUR
    served = np.minimum(demand, cap * (0.985 + 0.01 * rng.random(ctx.n)))
    over = np.maximum(demand - served, 0)
    thr = ctx.poisson(over * 2.4)                 # each rejected call is retried by the SDK
    failed = ctx.poisson(over * 0.4)
    conc = np.minimum(RESERVED, np.ceil(served * DUR / 60 + rng.random(ctx.n)))
    req = ctx.poisson(demand * 2.6)
    t5 = failed + (rng.random(ctx.n) < 0.05)
    recs = ctx.poisson(4 + 520 * bump(t, -2640, -2160, 60))

    metrics = aws.lam(ctx, FN, served, (rng.random(ctx.n) < 0.03).astype(float),
                      DUR * 1000 * (1 + ctx.ar(0.04)), conc, thr=thr)
    metrics += aws.lam(ctx, RECS, recs, np.zeros(ctx.n), 3800 + ctx.ar(300), np.ceil(recs * 3.8 / 60 + rng.random(ctx.n)))
    metrics += aws.alb_lb(ctx, LB, req, t5xx=t5, rt=0.21 + ctx.ar(0.015) + 0.0004 * over)
    metrics += aws.alb_tg(ctx, LB, TG, req, t5xx=t5, healthy=np.full(ctx.n, 10), unhealthy=np.zeros(ctx.n))
    metrics += aws.ecs(ctx, CLUSTER, SERVICE, 38 * trend + ctx.ar(2.5), 61 + ctx.ar(1), np.full(ctx.n, 10))

    tasks = [Stream(f"/ecs/{SERVICE}", f"web/{SERVICE}/{ctx.hex(32)}") for _ in range(10)]
    for s in tasks:
        s.pid, s.host = int(rng.integers(1, 30)), f"ip-10-2-{int(rng.integers(1, 9))}-{int(rng.integers(10, 250))}.ec2.internal"
    log_from = -5400.0
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < log_from:
            continue
        for ts in sorted(m0 + rng.uniform(0, 60, rng.binomial(int(req[i]), 0.012))):
            s = tasks[int(rng.integers(10))]
            route = ctx.pick(["/checkout", "/checkout/shipping", "/checkout/review", "/api/cart", "/api/cart"])
            s.add(ts, pino(ctx, ts, "info", "request completed", s.pid, s.host, reqId=ctx.hex(16),
                           res={"statusCode": 200}, req={"method": "GET", "url": route},
                           responseTime=int(rng.lognormal(np.log(180), 0.4))))
        for ts in sorted(m0 + rng.uniform(0, 60, int(failed[i]))):
            s = tasks[int(rng.integers(10))]
            rid = ctx.hex(16)
            s.add(ts, pino(ctx, ts, "error", "tax quote failed", s.pid, s.host, reqId=rid, functionName=FN_ARN,
                           err={"type": "TooManyRequestsException", "message": "Rate Exceeded.", "stack": STACK,
                                "name": "TooManyRequestsException", "$fault": "client",
                                "$metadata": {"httpStatusCode": 429, "requestId": ctx.uuid(), "attempts": 3,
                                              "totalRetryDelay": int(rng.integers(150, 700))},
                                "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded", "Type": "User"}))
            s.add(ts + 0.002, pino(ctx, ts + 0.002, "error", "request errored", s.pid, s.host, reqId=rid,
                                   res={"statusCode": 503}, req={"method": "POST", "url": "/checkout/review"},
                                   responseTime=int(rng.integers(900, 2200))))
        if rng.random() < 0.3:
            ts = m0 + float(rng.uniform(0, 60))
            s = tasks[int(rng.integers(10))]
            s.add(ts, pino(ctx, ts, "warn", "payment declined", s.pid, s.host, reqId=ctx.hex(16),
                           code=ctx.pick(["card_declined", "insufficient_funds", "expired_card"])))
        if rng.random() < 0.06:
            ts = m0 + float(rng.uniform(0, 60))
            s = tasks[int(rng.integers(10))]
            s.add(ts, pino(ctx, ts, "error", "address validation failed", s.pid, s.host, reqId=ctx.hex(16),
                           err={"type": "AddressValidationError", "message": "ZIP code does not match state",
                                "stack": "AddressValidationError: ZIP code does not match state\n    at validate "
                                         "(/app/dist/checkout/address.js:61:11)"}))

    fnlog = Stream(f"/aws/lambda/{FN}", f"{ctx.day()}/[$LATEST]{ctx.hex(32)}")
    for ts in sorted(rng.uniform(-10800, -60, 40)):
        ts = float(ts)
        fnlog.add(ts, j({"timestamp": ctx.iso(ts), "level": "WARN", "requestId": ctx.uuid(),
                         "message": "tax provider slow response", "provider_ms": int(rng.integers(2500, 4200)),
                         "nexus": ctx.pick(["NY", "NJ", "PA", "CA", "TX"])}))
    recs_log = Stream(f"/aws/lambda/{RECS}", f"{ctx.day()}/[$LATEST]{ctx.hex(32)}")
    for ts in np.arange(-2640, -2160, 7.0) + rng.uniform(0, 3):
        rid = ctx.uuid()
        recs_log.add(float(ts), f"START RequestId: {rid} Version: $LATEST")
        recs_log.add(float(ts) + 0.1, f"[INFO]\t{ctx.iso(float(ts) + 0.1)}\t{rid}\tprecomputed recommendations for "
                                       f"segment {int(rng.integers(1, 400))}: {int(rng.integers(2000, 9000))} users")
        recs_log.add(float(ts) + 3.8, f"END RequestId: {rid}")
        recs_log.add(float(ts) + 3.801, f"REPORT RequestId: {rid}\tDuration: {3800 + rng.uniform(-300, 300):.2f} ms\t"
                                         f"Billed Duration: 3800 ms\tMemory Size: 1769 MB\tMax Memory Used: 811 MB")

    resources = [
        {"type": "lambda", "id": FN, "properties": {
            "runtime": "provided.al2023", "architecture": "arm64", "timeout": 10, "memory_size": 256,
            "reserved_concurrency": RESERVED,
            "logging_config": {"log_format": "JSON", "application_log_level": "WARN", "system_log_level": "WARN"}}},
        {"type": "lambda", "id": RECS, "properties": {"runtime": "python3.12", "timeout": 300, "memory_size": 1769}},
        {"type": "ecs", "id": f"{CLUSTER}/{SERVICE}", "properties": {
            "launch_type": "FARGATE", "desired_count": 10, "task_definition": f"{SERVICE}:488",
            "log_groups": [f"/ecs/{SERVICE}"], "target_group": TG,
            "environment": {"TAX_FUNCTION_ARN": FN_ARN, "AWS_MAX_ATTEMPTS": "3", "NODE_ENV": "production"}}},
        {"type": "alb", "id": LB, "properties": {"name": "retail-public", "target_groups": [TG]}},
    ]
    changes = [
        change(-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "tax-team-ci"),
        change(-2700, "events.amazonaws.com", "PutRule", "AWS::Events::Rule", "recs-precompute-hourly", "ml-platform"),
        change(-19500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/{SERVICE}", "deploybot"),
    ]
    lb5 = next(m for m in metrics if m["name"] == "HTTPCode_Target_5XX_Count" and "TargetGroup" not in m["dimensions"])
    rc = next(m for m in metrics if m["name"] == "Invocations" and m["dimensions"]["FunctionName"] == RECS)
    alarms = [
        alarm(lb5, "retail-public-5xx", "Sum", 60, 3, 15, "GreaterThanThreshold", rng=rng,
              description="Public storefront ALB: target 5xx"),
        alarm(rc, "recs-precompute-invocations-anomaly", "Sum", 300, 1, 600, "GreaterThanThreshold", rng=rng),
    ]
    doc = scenario(
        "h15-09-tax-lambda-reserved-cap", "Some checkouts fail at the review step with 503; retail-public-5xx paged.",
        REGION, resources, metrics, tasks + [fnlog, recs_log], alarms, changes,
        {"alarm": "retail-public-5xx",
         "root_cause": {"category": "throttling", "resource": [FN]},
         "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": FN}}]})
    meta = {"alarm_on": "front (ALB of the calling ECS service)",
            "decoys": "recs-precompute invocation burst (own alarm flips) after an EventBridge rule change "
                      "10 min before onset; old avalara-bridge deploy 4.5 h ago; constant payment-declined and "
                      "address-validation errors; the throttled function's own log group is nearly silent",
            "story": "checkout-web calls the tax Lambda by ARN (TAX_FUNCTION_ARN). Demand grows through the "
                     "afternoon (about +40 % over six hours, no step) until avalara-bridge's "
                     "ConcurrentExecutions sits at its reserved concurrency of 25 and Throttles appear; after "
                     "three SDK attempts checkout-web logs `TooManyRequestsException: Rate Exceeded.` with "
                     "Reason ReservedFunctionConcurrentInvocationLimitExceeded and answers 503. The function "
                     "logs only WARN with system logs off, so its log group shows nothing of this. The "
                     "recs-precompute burst cannot take reserved capacity and ends before the 5xx start."}
    return doc, meta
