"""throttling (DynamoDB provisioned write capacity exceeded under a Java
Lambda) and function_timeout (.NET Lambda running past its 15 s timeout on
month-end statements)."""
from __future__ import annotations

import json

from .common import Scn, clamp, diurnal, ramp, window
from .lambda_sim import LambdaFn
from .services import S, apigw, lambda_deploy

SDK_FRAMES = [
    "software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)",
    "software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleResponse(CombinedResponseHandler.java:82)",
    "software.amazon.awssdk.core.internal.http.pipeline.stages.RetryableStage.execute(RetryableStage.java:64)",
    "software.amazon.awssdk.services.dynamodb.DefaultDynamoDbClient.putItem(DefaultDynamoDbClient.java:4243)",
    "com.acme.iot.store.DynamoWriter.put(DynamoWriter.java:58)",
    "com.acme.iot.EventRecorderHandler.handleRequest(EventRecorderHandler.java:41)",
    "com.acme.iot.EventRecorderHandler.handleRequest(EventRecorderHandler.java:19)"]


def event_recorder_throttled():
    s = Scn("h51-13-device-events-write-throttling", 5113, "sa-east-1", "2026-11-27T18:20:00",
            "IoT gateways report failed uploads (HTTP 502) during the evening peak; Errors alarm on "
            "the event recorder.")
    cap = 400 * 60.0                                   # provisioned WCU per minute
    demand = lambda t: (diurnal(t, 16500, 1500, -10800, 43200) + ramp(t, -4800, -1500, 0, 9000)) * s.gauss(1, 0.03)
    dem = S(s, demand)
    consumed = [min(d, cap * s.gauss(1.0, 0.004)) for d in dem]
    thr = [max(0.0, d - c) for d, c in zip(dem, consumed)]
    per_inv = 900.0
    inv = [s.poisson(d / per_inv) for d in dem]
    over = [t / d if d else 0 for t, d in zip(thr, dem)]
    err = [s.binom(i, clamp(o * 3, 0, 0.9)) for i, o in zip(inv, over)]
    dur = [s.gauss(1900, 90) + 2600 * min(1, o * 4) for o in over]
    fn = LambdaFn(s, "event-recorder", "java17", 1024, 30, mem_used=(288, 341),
                  handler="com.acme.iot.EventRecorderHandler::handleRequest",
                  environment={"TABLE_NAME": "device-events", "AWS_MAX_ATTEMPTS": "4"},
                  dynamodb_table="device-events (provisioned, WCU 400, RCU 200, auto scaling off)")
    fn.metrics(inv, err, dur)
    apigw(s, "iot-events-api", [float(i) for i in inv], S(s, lambda t: float(s.poisson(1.5))),
          [float(e) for e in err], [d + 22 for d in dur], [d + 9 for d in dur], stage="v1", api_type="REST")
    td = {"TableName": "device-events"}
    s.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", td, "Count", consumed)
    s.metric("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", td, "Count", [400.0] * len(s.times))
    s.metric("AWS/DynamoDB", "WriteThrottleEvents", td, "Count", [float(round(x)) for x in thr])
    s.metric("AWS/DynamoDB", "ThrottledRequests", {"TableName": "device-events", "Operation": "PutItem"},
             "Count", [float(round(x * 0.9)) for x in thr])
    s.metric("AWS/DynamoDB", "SuccessfulRequestLatency", {"TableName": "device-events", "Operation": "PutItem"},
             "Milliseconds", S(s, lambda t: s.gauss(4.1, 0.3)))

    def body(c):
        gw = f"gw-{s.hex(6)}"
        n = int(s.gauss(per_inv, 60))
        out = []
        if s.chance(0.05):
            out.append((0.01, "WARN", f"EventValidator - dropping event with unknown schema_version=0 from "
                                      f"device=dev-{s.hex(10)}"))
        o = over[c.minute]
        if o > 0 and (c.failed or s.chance(o * 2)):
            for k in range(1, 4):
                out.append((0.3 * k, "WARN", f"DynamoWriter - PutItem throttled on device-events, retry {k}/3 "
                                             f"after {int(25 * 2 ** k + s.rng.randint(0, 40))}ms"))
        if c.failed:
            c.outcome = "error"
            rid = s.hex(52).upper()
            msg = ("The level of configured provisioned throughput for the table was exceeded. Consider "
                   "increasing your provisioning level with the UpdateTable API. (Service: DynamoDb, Status "
                   f"Code: 400, Request ID: {rid})")
            out.append((c.duration_ms / 1000 - 0.005, "RAW", json.dumps({
                "errorMessage": msg,
                "errorType": "software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException",
                "stackTrace": SDK_FRAMES}, separators=(",", ":"))))
            return out
        out.append((c.duration_ms / 1000 - 0.004, "INFO", f"EventRecorderHandler - persisted {n} events from "
                                                          f"gateway {gw}"))
        return out

    fn.simulate(body)
    ec = LambdaFn(s, "event-compactor", "java17", 2048, 900, mem_used=(700, 1100))
    run = lambda t: window(t, -11000, -10200)
    ei = S(s, lambda t: s.poisson(6 if run(t) else 0.25))
    ee = [s.binom(i, 0.35) if run(t) else 0 for t, i in zip(s.times, ei)]
    ec.metrics(ei, ee, S(s, lambda t: s.gauss(84000 if run(t) else 31000, 3000)))
    ec.simulate(lambda c: [(c.duration_ms / 1000 - 0.1, "INFO" if not c.failed else "ERROR",
                            f"Compactor - compacted partition 2026-11-2{s.rng.randint(0, 6)} "
                            f"({s.rng.randint(10, 300)}k items)" if not c.failed else
                            "Compactor - partition lock held by another run, giving up")])
    lambda_deploy(s, -15000, "event-compactor", "jenkins-iot", version=True)
    s.alarm("event-compactor-errors", "AWS/Lambda", "Errors", {"FunctionName": "event-compactor"},
            "Sum", 300, 1, 2)
    s.alarm("event-recorder-errors", "AWS/Lambda", "Errors", {"FunctionName": "event-recorder"},
            "Sum", 300, 1, 15, description="IoT event recorder failing")
    res = ["device-events", "event-recorder"]
    doc = s.to_dict({
        "alarm": "event-recorder-errors",
        "root_cause": {"category": "throttling", "resource": res},
        "anomalies": [{"namespace": "AWS/DynamoDB", "name": "WriteThrottleEvents", "dimensions": td},
                      {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "event-recorder"}}]})
    meta = dict(
        alarm="event-recorder-errors", category="throttling", resources=res,
        on="front (the function; the limit is the DynamoDB table)",
        decoys=["event-compactor deployed 4.2 h earlier", "steady unknown-schema WARN",
                "event-compactor run with its own errors 3 h ago", "event-compactor-errors alarm (fired and recovered)"],
        text="Evening load on device-events rises as it does every day (invocations about 1.5x the "
             "afternoon level, nothing deployed or reconfigured), and the table's consumed write "
             "capacity hits its provisioned 400 WCU (24,000 per minute, auto scaling off) and "
             "flattens there; WriteThrottleEvents and PutItem ThrottledRequests appear and grow. "
             "event-recorder logs `PutItem throttled ... retry 3/3` and then fails with "
             "`ProvisionedThroughputExceededException: The level of configured provisioned throughput "
             "for the table was exceeded`; duration rises with the SDK back-off, API Gateway returns "
             "5XX. DynamoDB latency for successful writes is normal. The compactor's deploy, its own "
             "errors 3 h ago and the recovered alarm are unrelated; the schema warning is constant. "
             "Throughput-exceeded errors at a capacity ceiling with ordinary traffic: throttling, "
             "origin the device-events table (the function is accepted as the nearest resource).")
    return doc, meta


# ----------------------------------------------------------------------------
def statement_builder_timeout():
    s = Scn("h51-14-statement-builder-timeouts", 5114, "ap-northeast-2", "2026-11-30T15:05:00",
            "Month-end customer statements are not being produced for a number of accounts; Errors "
            "alarm on the statement builder.")
    on = -2400
    big = lambda t: ramp(t, on, on + 600, 0.0, 1.0)
    inv = S(s, lambda t: s.poisson(9 + 3 * big(t)))
    err = [s.binom(i, 0.33 * big(t)) for t, i in zip(s.times, inv)]
    fn = LambdaFn(s, "statement-builder", "dotnet8", 1024, 15, mem_used=(380, 520),
                  handler="StatementBuilder::StatementBuilder.Function::Handler",
                  event_source="sqs:statement-jobs (visibility timeout 90 s, maxReceiveCount 3)")
    dur = [s.gauss(3000, 200) * (1 + 1.3 * big(t)) * (1 - 0.33 * big(t)) + 15000 * 0.33 * big(t) for t in s.times]
    fn.metrics(inv, err, dur)
    q = {"QueueName": "statement-jobs"}
    s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count",
             S(s, lambda t: max(0.0, s.gauss(40, 8) + 260 * big(t))))

    def body(c):
        acct = f"ACC-{s.rng.randint(10000, 99999)}"
        out = []
        if c.failed:
            n = s.rng.randint(30000, 64000)
            c.outcome = "timeout"
        else:
            n = s.rng.randint(200, 9000) if big(c.t) < 0.5 or s.chance(0.5) else s.rng.randint(9000, 26000)
            c.duration_ms = min(14700, 900 + n * 0.42 * s.gauss(1, 0.08))
        load = s.rng.randint(140, 420)
        out.append((0.004, "INFO", f"Building statement for {acct} period 2026-11 ({n:,} transactions)"))
        out.append((load / 1000, "INFO", f"Loaded {n:,} transactions for {acct} from "
                                         f"s3://acme-ledger-exports-apne2/2026-11/{acct}.parquet in {load} ms"))
        if s.chance(0.05):
            out.append((load / 1000 + 0.1, "WARN", "PDF font 'Noto Sans KR' has no glyph for U+1F4B3; substituting"))
        pages = max(1, n // 900)
        if c.failed:
            per_page = s.uniform(0.24, 0.33)
            for p in range(1, pages, max(1, pages // 8)):
                if load / 1000 + p * per_page < 14.9:
                    out.append((load / 1000 + p * per_page, "INFO", f"Rendering page {p}/{pages} for {acct}"))
            return out
        out.append((c.duration_ms / 1000 - 0.01, "INFO",
                    f"Statement {acct}-2026-11.pdf written ({pages} pages) to s3://acme-statements-apne2/2026/11/"))
        return out

    fn.simulate(body)
    sm = LambdaFn(s, "statement-mailer", "dotnet8", 512, 60, mem_used=(120, 160))
    burst = lambda t: window(t, -9600, -8800)
    si = S(s, lambda t: s.poisson(35 if burst(t) else 3))
    sm.metrics(si, [0] * len(si), S(s, lambda t: s.gauss(950 if burst(t) else 610, 40)))
    sm.simulate(lambda c: [(c.duration_ms / 1000 - 0.02, "INFO",
                            f"Queued statement e-mail for ACC-{s.rng.randint(10000, 99999)} "
                            f"(SES message 010c019{s.hex(9)}-{s.uuid()}-000000)")])
    lambda_deploy(s, -12000, "statement-mailer", "azure-devops-release")
    s.change(-2700, "lambda.amazonaws.com", "TagResource20170331v2", "AWS::Lambda::Function",
             "statement-builder", "finops-tagger")
    s.alarm("statement-builder-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-builder"},
            "Sum", 300, 1, 6, description="Statement builder failing")
    doc = s.to_dict({
        "alarm": "statement-builder-errors",
        "root_cause": {"category": "function_timeout", "resource": ["statement-builder"]},
        "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration",
                       "dimensions": {"FunctionName": "statement-builder"}},
                      {"namespace": "AWS/Lambda", "name": "Errors",
                       "dimensions": {"FunctionName": "statement-builder"}}]})
    meta = dict(
        alarm="statement-builder-errors", category="function_timeout", resources=["statement-builder"],
        on="origin",
        decoys=["statement-mailer deployed 3.3 h earlier", "steady missing-glyph WARN",
                "statement-mailer burst 2.6 h ago", "TagResource (cost tags) on statement-builder 5 min before onset"],
        text="The month-end run reaches the large accounts 40 minutes ago: statement-builder starts "
             "logging accounts with 30-64 k transactions, renders pages, and is cut off with `Task "
             "timed out after 15.0x seconds` (REPORT `Status: timeout`, Duration pinned at 15000 ms, "
             "the configured timeout). S3 loads still take a few hundred ms, no dependency or "
             "memory error appears (max memory ~500 of 1024 MB) and the SQS redeliveries of the "
             "same accounts time out again. Nothing was deployed or reconfigured: the only change "
             "on the function is a cost-allocation TagResource, which does not alter behaviour; "
             "the mailer's deploy and burst and the missing-glyph warning are unrelated. The "
             "function reaches its configured timeout with no dependency errors: function_timeout.")
    return doc, meta
