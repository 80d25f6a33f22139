"""h14-03: a Terraform run rewrote the trust policy of the role orders-intake-api uses for its
direct SQS integration; API Gateway can no longer assume it and POST /orders returns 500."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, change, metric, ok_alarm, scenario, spread, stream
from .logfmt import LambdaLog, apigw_access, apigw_exec, node, py

META = {
    "file": "h14-03-intake-api-role-trust.yaml", "region": "sa-east-1", "alarm": "orders-intake-api-5xx",
    "category": "permission_denied", "resources": ["orders-intake-api", "9fq2wz71ke"],
    "position": "origin (API Gateway)",
    "decoys": "order-status Lambda code deploy 2 min before the IAM change (its route keeps working); constant "
              "400 'does not match model schema' errors; order-intake-processor idles because nothing reaches the queue",
    "story": "terraform-ci called UpdateAssumeRolePolicy on orders-intake-apigw-sqs, the credentials role of the "
             "API's direct SQS integration for POST /orders. From then on the execution log shows 'Execution failed "
             "due to configuration error: API Gateway does not have permission to assume the provided role' for every "
             "POST /orders and 5XXError climbs; the queue consumer order-intake-processor goes quiet because nothing is "
             "enqueued. The order-status deploy two minutes earlier serves GET /orders/{id}, which keeps answering 200. "
             "The fault is the API's integration credentials (an IAM permission), so the origin is the API.",
}

REGION = "sa-east-1"
API, API_ID, STAGE = "orders-intake-api", "9fq2wz71ke", "v1"
ROLE = "orders-intake-apigw-sqs"
IAM_AT = -1500.0
STATUS_DEPLOY = -1620.0
LOG_START = -6000.0


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 12, 17, 50, tzinfo=dt.timezone.utc), -3.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=15.0, amp=0.35)
    posts = ctx.poisson(15 * shape)
    gets = ctx.poisson(19 * shape)
    role_arn = f"arn:aws:iam::123456789012:role/{ROLE}"

    access, execlog = [], []
    five = np.zeros(N)
    four = np.zeros(N)
    lat = np.zeros(N)
    integ = np.zeros(N)
    enq = np.zeros(N)
    sl = LambdaLog(ctx, "order-status", "nodejs20.x", 256, envs=2, start=LOG_START)
    st_err = np.zeros(N)
    st_dur = np.zeros(N)
    redeployed = False
    for i in range(N):
        t0 = float(T[i])
        if t0 >= STATUS_DEPLOY and not redeployed:
            sl.redeploy(STATUS_DEPLOY + 8)
            redeployed = True
        lats, ints, sd = [], [], []
        for rel in spread(ctx, i, posts[i]):
            rid = ctx.uuid()
            if rng.random() < 0.025:  # pre-existing: request validator rejects bad bodies
                four[i] += 1
                prop = ctx.pick(['["customerId"]', '["items"]', '["deliveryWindow"]'])
                if rel >= LOG_START:
                    execlog.append((rel + 0.004, apigw_exec(rid, "Request body does not match model schema for content type "
                                                             f"application/json: [object has missing required properties ({prop})]")))
                    execlog.append((rel + 0.005, apigw_exec(rid, "Method completed with status: 400")))
                    access.append((rel + 0.006, apigw_access(ctx, rel, rid, ctx.public_ip(), "POST", f"/{STAGE}/orders", "/orders",
                                                             400, 71, ctx.randint(3, 9), None, error="Invalid request body")))
                lats.append(6.0)
                continue
            if rel >= IAM_AT + 6:
                five[i] += 1
                lt = ctx.randint(8, 19)
                lats.append(float(lt))
                if rel >= LOG_START:
                    execlog.append((rel + 0.006, apigw_exec(rid, "Execution failed due to configuration error: API Gateway does not "
                                                             f"have permission to assume the provided role {role_arn}")))
                    execlog.append((rel + 0.007, apigw_exec(rid, "Method completed with status: 500")))
                    access.append((rel + 0.008, apigw_access(ctx, rel, rid, ctx.public_ip(), "POST", f"/{STAGE}/orders", "/orders",
                                                             500, 36, lt, None, error="Internal server error")))
                continue
            it = float(np.clip(rng.lognormal(np.log(24), 0.3), 9, 200))
            ints.append(it)
            lats.append(it + ctx.uni(5, 14))
            enq[i] += 1
            if rel >= LOG_START:
                access.append((rel + lats[-1] / 1000, apigw_access(ctx, rel, rid, ctx.public_ip(), "POST", f"/{STAGE}/orders", "/orders",
                                                                   202, 118, int(lats[-1]), int(it))))
        for rel in spread(ctx, i, gets[i]):
            rid = ctx.uuid()
            oid = f"ord_{ctx.hexs(10)}"
            d = float(np.clip(rng.lognormal(np.log(48), 0.35), 12, 600))
            body, status = [], 200
            if rng.random() < 0.04:
                body.append((d / 1000 - 0.002, node(ctx, rel + d / 1000 - 0.002, rid, "WARN", f"Order {oid} not found; returning 404")))
                status = 404
                four[i] += 1
            else:
                state = ctx.pick(["RECEIVED", "PICKING", "SHIPPED", "SHIPPED", "DELIVERED"])
                body.append((d / 1000 - 0.002, node(ctx, rel + d / 1000 - 0.002, rid, "INFO", f"Order {oid} status={state}")))
            sd.append(d)
            it = d + ctx.uni(4, 12)
            ints.append(it)
            lats.append(it + ctx.uni(5, 14))
            if rel >= LOG_START:
                sl.invoke(rel, body, d, ctx.randint(78, 96))
                access.append((rel + lats[-1] / 1000, apigw_access(ctx, rel, ctx.uuid(), ctx.public_ip(), "GET", f"/{STAGE}/orders/{oid}",
                                                                   "/orders/{id}", status, ctx.randint(180, 420), int(lats[-1]), int(it))))
        lat[i] = np.mean(lats) if lats else np.nan
        integ[i] = np.mean(ints) if ints else np.nan
        st_dur[i] = np.mean(sd) if sd else np.nan

    # order-intake-processor: SQS batches; goes idle when nothing is enqueued
    pl = LambdaLog(ctx, "order-intake-processor", "python3.12", 512, envs=1, start=LOG_START)
    p_inv = np.zeros(N)
    p_dur = np.full(N, np.nan)
    carry = 0
    for i in range(N):
        carry += int(enq[i])
        batches = []
        while carry > 0:
            b = min(carry, ctx.randint(3, 10))
            batches.append(b)
            carry -= b
        ds = []
        for b, rel in zip(batches, spread(ctx, i, len(batches))):
            d = 120 + 38 * b + ctx.uni(-20, 40)
            ds.append(d)
            if rel >= LOG_START:
                rid = ctx.uuid()
                lines = [(0.01, py(ctx, rel + 0.01, "INFO", rid, f"Received {b} messages from orders-intake"))]
                if ctx.chance(0.02):
                    lines.append((0.05, py(ctx, rel + 0.05, "WARNING", rid, f"Duplicate order submission ord_{ctx.hexs(10)} ignored (idempotency key seen)")))
                lines.append((d / 1000 - 0.01, py(ctx, rel + d / 1000 - 0.01, "INFO", rid, f"Persisted {b} orders to orders-core")))
                pl.invoke(rel, lines, d, ctx.randint(120, 140), rid=rid)
        p_inv[i] = len(batches)
        p_dur[i] = np.mean(ds) if ds else np.nan

    api = {"ApiName": API}
    st = {"FunctionName": "order-status"}
    pr = {"FunctionName": "order-intake-processor"}
    metrics = [
        metric("AWS/ApiGateway", "Count", api, "Count", posts + gets),
        metric("AWS/ApiGateway", "5XXError", api, "Count", five),
        metric("AWS/ApiGateway", "4XXError", api, "Count", four),
        metric("AWS/ApiGateway", "Latency", api, "Milliseconds", lat),
        metric("AWS/ApiGateway", "IntegrationLatency", api, "Milliseconds", integ),
        metric("AWS/Lambda", "Invocations", st, "Count", gets),
        metric("AWS/Lambda", "Errors", st, "Count", st_err),
        metric("AWS/Lambda", "Throttles", st, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", st, "Milliseconds", st_dur),
        metric("AWS/Lambda", "Invocations", pr, "Count", p_inv),
        metric("AWS/Lambda", "Errors", pr, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", pr, "Milliseconds", p_dur),
        metric("AWS/SQS", "NumberOfMessagesSent", {"QueueName": "orders-intake"}, "Count", enq),
        metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "orders-intake-dlq"}, "Count", np.zeros(N)),
        metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "orders-intake"}, "Count",
               np.round(np.clip(enq * 0.2 + ctx.ar1(0.6), 0, None)) * (enq > 0)),
    ]
    alarms = [
        alarm(ctx, "orders-intake-api-5xx", "AWS/ApiGateway", "5XXError", api, five, "Sum", 60, 3, 5.0,
              description="orders-intake-api: 5xx returned to storefront checkout"),
        ok_alarm("order-status-errors", "AWS/Lambda", "Errors", st, "Sum", 60, 3, 5.0),
        ok_alarm("orders-intake-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
                 {"QueueName": "orders-intake-dlq"}, "Maximum", 300, 1, 0.0),
    ]
    changes = [
        change(-14400, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "order-status-exec", "terraform-ci"),
        change(STATUS_DEPLOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "order-status", "ci-deployer"),
        change(IAM_AT, "iam.amazonaws.com", "UpdateAssumeRolePolicy", "AWS::IAM::Role", ROLE, "terraform-ci"),
    ]
    resources = [
        {"type": "apigateway", "id": API, "properties": {
            "api_id": API_ID, "stage": STAGE, "endpoint": "REGIONAL",
            "routes": {"POST /orders": f"AWS integration sqs:SendMessage orders-intake (credentials {role_arn})",
                       "GET /orders/{id}": "lambda order-status"},
            "execution_logging": "ERROR", "access_log_group": f"/aws/apigateway/{API}/{STAGE}"}},
        {"type": "lambda", "id": "order-status", "properties": {"runtime": "nodejs20.x", "timeout": 6, "memory_size": 256}},
        {"type": "lambda", "id": "order-intake-processor", "properties": {
            "runtime": "python3.12", "timeout": 60, "memory_size": 512, "event_source": "sqs:orders-intake"}},
    ]
    logs = [stream(f"API-Gateway-Execution-Logs_{API_ID}/{STAGE}", f"{ctx.hexs(32)}", execlog),
            stream(f"/aws/apigateway/{API}/{STAGE}", f"{API_ID}-{STAGE}", access)] + sl.logs() + pl.logs()
    return scenario("h14-03-intake-api-role-trust",
                    "Checkout: 'order could not be placed' errors; orders-intake-api 5xx alarm in ALARM.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": api}]})
