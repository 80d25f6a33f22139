"""h19-10: an IAM policy rewrite drops sqs:SendMessage from an API Gateway integration role (permission_denied, API origin alarm)."""
from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from .common import LOG_START, START, Case, counts, diurnal, wobble
from .logfmt import Inv, LambdaSim, apigw

SLUG = "h19-10-orders-intake-accessdenied"
CHANGE = -2220
API_ID = "p7w2n4c8rz"
ROLE = "orders-intake-apigw-sqs"
QUEUE = "https://sqs.ap-northeast-1.amazonaws.com/123456789012/orders-intake"

META = {
    "front": "origin",
    "decoys": "orders-intake-consumer deployed 13 min before the IAM change; schema-validation 400s at a constant "
              "rate all day",
    "story": (
        "`orders-intake-api` (REST, stage prod) writes POST /orders straight to SQS through an AWS-service "
        "integration that assumes the role `orders-intake-apigw-sqs`. At -37 min `sec-automation` rewrote that "
        "role's inline policy (PutRolePolicy). From the next request on, the execution log shows SQS answering "
        "`403` with `AccessDenied ... assumed-role/orders-intake-apigw-sqs/... is not authorized to perform: "
        "sqs:SendMessage`, the method completes with 500 and 5XXError fires; NumberOfMessagesSent on the queue "
        "drops to zero and the consumer Lambda goes idle once the backlog drains. The consumer deploy just before "
        "is downstream of the queue and never errors; the 400s for a missing `store_id` are constant."),
}


def build() -> Case:
    c = Case(SLUG, 1910, "ap-northeast-1", datetime(2026, 11, 24, 2, 15),
             "Store order submissions failing with 500; orders-intake API 5XX alarm in ALARM.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    c.resource("apigateway", "orders-intake-api", api_id=API_ID, stage="prod", endpoint_type="REGIONAL",
               integration=f"AWS SQS SendMessage {QUEUE}", credentials_role=f"arn:aws:iam::123456789012:role/{ROLE}",
               execution_logging="INFO")
    c.resource("lambda", "orders-intake-consumer", runtime="python3.12", timeout=60, memory_size=512,
               event_source="sqs:orders-intake (batch 10)")

    shape = diurnal(t, 2700, 0.35) * (1 + wobble(rng, n, 0.06))
    req = counts(rng, 14 * shape)
    bad = counts(rng, np.full(n, 0.3))
    denied = t + 60 > CHANGE + 20
    frac = np.where(t > CHANGE + 20, 1.0, np.clip((t + 60 - CHANGE - 20) / 60, 0, 1))
    ok = np.round(req * (1 - frac))
    e5 = req - ok

    # ---------------------------------------------------------------- execution log
    ex = c.stream(f"API-Gateway-Execution-Logs_{API_ID}/prod", ids.hex(32))
    for i, t0 in enumerate(t):
        if t0 < LOG_START:
            continue
        kinds = ["ok"] * int(ok[i]) + ["denied"] * int(e5[i]) + ["bad"] * int(bad[i])
        for kind, ts in zip(kinds, t0 + rng.uniform(0, 60, len(kinds))):
            rid = ids.uuid()
            store = f"st-{ids.digits(4)}"
            L = [f"Extended Request Id: {ids.alnum(10, True)}{ids.alnum(5)}=",
                 f"Starting execution for request: {rid}",
                 "HTTP Method: POST, Resource Path: /orders"]
            if kind == "bad":
                L += ['Request body does not match model schema for content type application/json: [object has missing '
                      'required properties (["store_id"])]', "Method completed with status: 400"]
            else:
                lat = int(rng.integers(7, 30))
                L += [f"Endpoint request URI: {QUEUE}"]
                if kind == "ok":
                    L += [f"Received response. Status: 200, Integration latency: {lat} ms",
                          "Method completed with status: 200"]
                else:
                    L += [f"Received response. Status: 403, Integration latency: {lat} ms",
                          "Endpoint response body before transformations: <?xml version=\"1.0\"?><ErrorResponse "
                          "xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type><Code>"
                          f"AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/{ROLE}/"
                          "BackplaneAssumeRoleSession is not authorized to perform: sqs:SendMessage on resource: "
                          "arn:aws:sqs:ap-northeast-1:123456789012:orders-intake because no identity-based policy "
                          "allows the sqs:SendMessage action</Message><Detail/></Error><RequestId>"
                          f"{ids.uuid()}</RequestId></ErrorResponse>",
                          "Method completed with status: 500"]
            for j, line in enumerate(L):
                ex.add(ts + j * 0.002 + (0.015 if j >= 4 else 0), apigw(rid, line))

    # ---------------------------------------------------------------- consumer Lambda (SQS batches)
    sent = ok.copy()
    backlog, batches = 0.0, np.zeros(n)
    for i in range(n):
        backlog += sent[i]
        take = min(backlog, max(0.0, rng.normal(backlog * 0.9, 1.0)))
        batches[i] = np.ceil(take / 10) if take > 0 else 0
        backlog -= take

    def consume(ts: float, rid: str) -> Inv:
        k = int(rng.integers(1, 11))
        dur = float(rng.lognormal(np.log(160 + 35 * k), 0.25))
        return Inv(dur, int(rng.integers(88, 101)), [
            (0.004, "INFO", f"Received {k} messages from orders-intake"),
            (dur / 1000 - 0.006, "INFO", f"Processed {k} orders ({', '.join('ord-' + ids.digits(7) for _ in range(min(k, 3)))}"
                                          f"{', ...' if k > 3 else ''})")])

    sim = LambdaSim(c, "orders-intake-consumer", "python3.12", 512, 60, recycle=(-3000 + 5,))
    sim.metrics(sim.run(batches, consume))

    # ---------------------------------------------------------------- metrics
    d = {"ApiName": "orders-intake-api"}
    c.metric("AWS/ApiGateway", "Count", d, "Count", req + bad)
    c.metric("AWS/ApiGateway", "4XXError", d, "Count", bad)
    e5m = c.metric("AWS/ApiGateway", "5XXError", d, "Count", e5)
    ilat = 17 * (1 + wobble(rng, n, 0.1)) - 6 * denied
    c.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", ilat)
    c.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", ilat + 11 + wobble(rng, n, 1.5))
    dq = {"QueueName": "orders-intake"}
    c.metric("AWS/SQS", "NumberOfMessagesSent", dq, "Count", sent)
    c.metric("AWS/SQS", "NumberOfMessagesReceived", dq, "Count", np.round(sent * rng.uniform(0.9, 1.1, n)))
    c.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", dq, "Count", np.round(np.clip(sent * 0.1 + rng.normal(0, 0.5, n), 0, None)))

    c.alarm("orders-intake-api-5xx", e5m, "Sum", 60, 3, 5, "GreaterThanThreshold", CHANGE,
            description="orders-intake API server errors")
    c.change(CHANGE, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", ROLE, "sec-automation")
    c.change(-3000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "orders-intake-consumer", "github-actions")
    c.expect = {"alarm": "orders-intake-api-5xx",
                "root_cause": {"category": "permission_denied", "resource": ["orders-intake-api", API_ID, ROLE]},
                "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": d}]}
    return c
