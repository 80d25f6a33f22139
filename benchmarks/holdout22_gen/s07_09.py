"""Scenarios 07-09: IAM policy tightened, KMS key policy edited, DynamoDB GSI write throttling."""
from __future__ import annotations

import json

from .common import (Ctx, LogBook, alarm, anomaly, change, day, grid, lambda_deploy, lambda_metrics, metric, py_line, ramp,
                     scenario, values)
from .sim import LambdaSim, plan_from


def s07(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T10:15:00", "eu-west-1", "559012847361")
    rng, ts, chg = ctx.rng, grid(), -2750
    vis_to, bucket, role = 300, "acme-reports-prod", "report-exporter-role"
    new = values(ctx, ts, lambda t: 4.0 * day(ctx, t, 11, 0.4), count=True)
    retries = [0.0 if t < chg + vis_to + 60 else float(int(n * (1.0 if t < chg + 2 * vis_to + 60 else 2.0) * rng.uniform(0.8, 1.2))) for t, n in zip(ts, new)]
    inv = [n + r for n, r in zip(new, retries)]
    err = [i if t >= chg + 40 else 0.0 for t, i in zip(ts, inv)]
    dur = [round(rng.uniform(31000, 52000), 1) if i else None for i in inv]
    conc = [float(max(1, int(i * (d or 0) / 60000 + rng.uniform(0, 2)))) for i, d in zip(inv, dur)]
    metrics = lambda_metrics("report-exporter", ts, inv, err, [0.0] * len(ts), dur, conc)
    q, dlq = {"QueueName": "report-jobs"}, {"QueueName": "report-jobs-dlq"}
    age = [float(rng.randint(20, 140)) if t < chg else float(int(t - chg + rng.randint(30, 90))) for t in ts]
    metrics += [metric("AWS/SQS", "NumberOfMessagesSent", q, "Count", ts, new),
                metric("AWS/SQS", "NumberOfMessagesDeleted", q, "Count", ts, [n if t < chg + 40 else 0.0 for t, n in zip(ts, new)]),
                metric("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds", ts, age),
                metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", ts, [float(rng.randint(0, 3)) if t < chg else float(int((t - chg) / 60 * 1.4)) for t in ts]),
                metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", dlq, "Count", ts, [3.0 if t < chg + 3 * vis_to + 60 else 3.0 + int((t - chg - 3 * vis_to - 60) / 60 * 4.1) for t in ts])]
    s_inv = [1.0] * len(ts)
    metrics += lambda_metrics("report-scheduler", ts, s_inv, [0.0] * len(ts), [0.0] * len(ts),
                              values(ctx, ts, lambda t: 180.0 if t < -3600 else 212.0, 0.08), s_inv)

    book = LogBook()
    kinds = ["monthly-usage", "invoice-lines", "seat-audit", "api-calls"]

    def invoke(t0, rid, cold, kind):
        job, tenant, rc = f"r_{rng.randint(10**6, 10**7)}", f"t_{rng.randint(100, 999)}", 1 if t0 < chg + vis_to else rng.choice([1, 2, 3])
        d = rng.uniform(31000, 52000)
        lines = [py_line(ctx, t0 + 0.01, "INFO", rid, f"Job {job} tenant={tenant} report={rng.choice(kinds)} format=csv receive_count={rc}")]
        rows = 0 if rng.random() < 0.06 else rng.randint(800, 400000)
        lines.append(py_line(ctx, t0 + d / 1000 - 1.4, "INFO", rid, f"Query returned {rows} rows in {d / 1000 - 1.6:.1f}s"))
        if rows == 0:
            lines.append(py_line(ctx, t0 + d / 1000 - 1.39, "WARNING", rid, f"Query for tenant {tenant} returned 0 rows; writing empty report"))
        key = f"exports/{ctx.date_path(t0)}/{job}.csv"
        if kind == "ok":
            lines.append(py_line(ctx, t0 + d / 1000 - 0.05, "INFO", rid, f"Uploaded s3://{bucket}/{key} ({rows * 118 + 64} bytes)"))
            return {"lines": lines, "dur": d, "mem": rng.randint(300, 720)}
        msg = (f"An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::{ctx.account}:assumed-role/{role}/report-exporter "
               f"is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::{bucket}/{key}\" because no identity-based policy allows the s3:PutObject action")
        lines.append((t0 + d / 1000 - 0.9, f"[ERROR] ClientError: {msg}\nTraceback (most recent call last):\n"
                      '  File "/var/task/exporter/handler.py", line 44, in handler\n    upload(job, path)\n'
                      '  File "/var/task/exporter/storage.py", line 27, in upload\n    s3.put_object(Bucket=BUCKET, Key=key, Body=fh, ContentType="text/csv")\n'
                      '  File "/var/runtime/botocore/client.py", line 565, in _api_call\n    return self._make_api_call(operation_name, kwargs)\n'
                      '  File "/var/runtime/botocore/client.py", line 1021, in _make_api_call\n    raise error_class(parsed_response, operation_name)'))
        return {"lines": lines, "dur": d - 850, "mem": rng.randint(300, 720)}

    LambdaSim(ctx, 1024, 240, invoke, version=lambda t: "$LATEST").run(book, "/aws/lambda/report-exporter",
                                                                     plan_from(ts, {"ok": [i - e for i, e in zip(inv, err)], "err": err}, -10800))

    def sched(t0, rid, cold, kind):
        n = rng.randint(2, 7)
        lines = [py_line(ctx, t0 + 0.01, "INFO", rid, f"Enqueued {n} report jobs for window {ctx.at(t0).strftime('%H:%M')}")]
        if t0 >= -3600:
            for j in range(n):
                lines.append(py_line(ctx, t0 + 0.02 + j * 0.01, "DEBUG", rid, "SendMessage report-jobs body=" + json.dumps(
                    {"job": f"r_{rng.randint(10**6, 10**7)}", "tenant": f"t_{rng.randint(100, 999)}", "report": rng.choice(kinds), "format": "csv"})))
        return {"lines": lines, "dur": rng.uniform(150, 240), "mem": rng.randint(78, 84)}
    LambdaSim(ctx, 256, 30, sched).run(book, "/aws/lambda/report-scheduler", plan_from(ts, {"ok": s_inv}, -10800))

    resources = [
        {"type": "lambda", "id": "report-exporter", "properties": {
            "runtime": "python3.11", "timeout": 240, "memory_size": 1024, "role": role,
            "environment": {"BUCKET": bucket, "PREFIX": "exports/", "LOG_LEVEL": "INFO"},
            "event_source": f"sqs:report-jobs (batch size 1, visibility timeout {vis_to} s, maxReceiveCount 3 -> report-jobs-dlq)"}},
        {"type": "lambda", "id": "report-scheduler", "properties": {"runtime": "python3.11", "timeout": 30, "memory_size": 256,
                                                                    "environment": {"LOG_LEVEL": "DEBUG", "QUEUE": "report-jobs"}}},
    ]
    changes = [change(chg, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "secops-automation"),
               change(-3600, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "report-scheduler", "d.osei"),
               change(-9800, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "report-exporter", "d.osei")]
    alarms = [alarm("report-jobs-oldest-message", "AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Maximum", 300, 2, 900, "ALARM", chg + 1500,
                    desc="report-jobs queue is not being drained"),
              alarm("report-jobs-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible", dlq, "Maximum", 300, 1, 0, "ALARM", -610000),
              alarm("report-scheduler-errors", "AWS/Lambda", "Errors", {"FunctionName": "report-scheduler"}, "Sum", 300, 1, 0, "OK", -700000)]
    expect = {"alarm": "report-jobs-oldest-message", "root_cause": {"category": "permission_denied", "resource": ["report-exporter", role]},
              "anomalies": [anomaly("AWS/SQS", "ApproximateAgeOfOldestMessage", q), anomaly("AWS/Lambda", "Errors", {"FunctionName": "report-exporter"})]}
    doc = scenario("h22-07-report-exporter-iam-tightened", "Customer report exports stuck; report-jobs queue age alarm.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "front (SQS queue age)", "decoys": [
        "report-scheduler LOG_LEVEL switched to DEBUG 15 min before onset (noisy DEBUG lines, no errors)",
        "report-exporter memory change 2 h earlier", "DLQ alarm in ALARM for a week with 3 old messages",
        "steady pre-existing 'returned 0 rows' WARNINGs"]}


# ------------------------------------------------------------------------------------------------
def s08(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T09:20:00", "ap-southeast-2", "345678901234")
    rng, ts, chg = ctx.rng, grid(), -1500
    key_id, alias, role, fn = "3f0c9a2e-5b7d-4e21-9a8c-1d2e3f4a5b6c", "alias/statements-data", "statements-lambda-role", "statement-generator"
    api_id = "k3v9x2m1qa"
    deny = [ramp(t, chg + 10, chg + 320, 0.0, 1.0) for t in ts]  # cached data keys expire over 5 min
    cnt = values(ctx, ts, lambda t: 21.0 * day(ctx, t, 3, 0.3), count=True)
    dec = [float(int(c * 0.8 * rng.uniform(0.92, 1.08))) for c in cnt]
    err = [float(int(d * f)) for d, f in zip(dec, deny)]
    dur = [round((850 * (1 - f * 0.8) + 140 * f * 0.8) * rng.uniform(0.9, 1.1), 1) for f in deny]
    metrics = lambda_metrics(fn, ts, cnt, err, [0.0] * len(ts), dur, [float(max(1, int(c * d / 60000 + rng.uniform(0.5, 2.5)))) for c, d in zip(cnt, dur)])
    api = {"ApiName": "statements-api"}
    metrics += [metric("AWS/ApiGateway", "Count", api, "Count", ts, cnt),
                metric("AWS/ApiGateway", "5XXError", api, "Count", ts, err),
                metric("AWS/ApiGateway", "4XXError", api, "Count", ts, values(ctx, ts, lambda t: 1.2, count=True)),
                metric("AWS/ApiGateway", "Latency", api, "Milliseconds", ts, [round(d + rng.uniform(18, 30), 1) for d in dur])]
    a_inv = [1.0 if (t // 60) % 10 == 0 else 0.0 for t in ts]
    metrics += lambda_metrics("statement-archiver", ts, a_inv, [0.0] * len(ts), [0.0] * len(ts),
                              [round(rng.uniform(3000, 4200), 1) if a else None for a in a_inv], a_inv)

    book = LogBook()

    def l4j(t, rid, level, logger, msg):
        return t, f"{ctx.spaced(t, ms=False)} {rid} {level:<5} {logger} - {msg}"

    def invoke(t0, rid, cold, kind):
        st, acc = f"st_{ctx.hexid(10)}", f"acc_{rng.randint(10**5, 10**6)}"
        lines = []
        if cold:
            lines.append(l4j(t0 + 0.002, rid, "INFO", "StatementHandler", f"Initialised EnvelopeDecryptor key={alias} dataKeyCacheTtl=PT5M"))
        if kind == "list":
            d = rng.uniform(90, 180)
            lines.append(l4j(t0 + d / 1000 - 0.01, rid, "INFO", "StatementHandler", f"Listed {rng.randint(1, 36)} statements for account {acc}"))
            return {"lines": lines, "dur": d, "mem": rng.randint(228, 260)}
        lines.append(l4j(t0 + 0.004, rid, "INFO", "StatementHandler", f"Rendering statement {st} for account {acc}"))
        if rng.random() < 0.04:
            lines.append(l4j(t0 + 0.02, rid, "WARN", "TemplateStore", "Template cache miss for locale en-AU; loading from S3"))
        if kind == "ok":
            d = rng.gauss(1000, 150)
            lines.append(l4j(t0 + d / 1000 - 0.01, rid, "INFO", "StatementHandler", f"Rendered {st} pages={rng.randint(1, 9)} bytes={rng.randint(40000, 900000)}"))
            return {"lines": lines, "dur": d, "mem": rng.randint(240, 310)}
        req = ctx.uid()
        msg = (f"User: arn:aws:sts::{ctx.account}:assumed-role/{role}/{fn} is not authorized to perform: kms:Decrypt on resource: "
               f"arn:aws:kms:{ctx.region}:{ctx.account}:key/{key_id} because no resource-based policy allows the kms:Decrypt action "
               f"(Service: Kms, Status Code: 400, Request ID: {req})")
        t = t0 + rng.uniform(0.05, 0.12)
        lines.append(l4j(t, rid, "ERROR", "StatementHandler", f"Failed to render statement {st}\n"
                         f"software.amazon.awssdk.services.kms.model.KmsException: {msg}\n"
                         "\tat software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)\n"
                         "\tat software.amazon.awssdk.services.kms.DefaultKmsClient.decrypt(DefaultKmsClient.java:1473)\n"
                         "\tat com.acme.statements.crypto.EnvelopeDecryptor.unwrapDataKey(EnvelopeDecryptor.java:64)\n"
                         "\tat com.acme.statements.crypto.EnvelopeDecryptor.decrypt(EnvelopeDecryptor.java:41)\n"
                         "\tat com.acme.statements.StatementHandler.handleRequest(StatementHandler.java:58)"))
        body = {"errorMessage": msg, "errorType": "software.amazon.awssdk.services.kms.model.KmsException",
                "stackTrace": ["software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)",
                               "com.acme.statements.crypto.EnvelopeDecryptor.unwrapDataKey(EnvelopeDecryptor.java:64)",
                               "com.acme.statements.StatementHandler.handleRequest(StatementHandler.java:58)"]}
        lines.append((t + 0.003, json.dumps(body)))
        return {"lines": lines, "dur": (t - t0) * 1000 + 6, "mem": rng.randint(230, 270)}

    plan = plan_from(ts, {"list": [c - d for c, d in zip(cnt, dec)], "ok": [d - e for d, e in zip(dec, err)], "err": err}, -7200)
    LambdaSim(ctx, 2048, 29, invoke, init_ms=(2800.0, 4300.0), life=(1800.0, 5400.0)).run(book, f"/aws/lambda/{fn}", plan)
    eg, es = f"API-Gateway-Execution-Logs_{api_id}/prod", ctx.hexid(32)
    for t in [t for t, e in zip(ts, err) for _ in range(int(e))]:
        t += rng.uniform(0, 59)
        r = ctx.uid()
        book.add(eg, es, t,
                 f"({r}) Lambda execution failed with status 200 due to customer function error: User: arn:aws:sts::{ctx.account}:assumed-role/{role}/{fn} "
                 f"is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:{ctx.region}:{ctx.account}:key/{key_id} because no resource-based policy "
                 f"allows the kms:Decrypt action. Lambda request id: {ctx.uid()}")
        book.add(eg, es, t + 0.001, f"({r}) Method completed with status: 502")

    def arch(t0, rid, cold, kind):
        n = rng.randint(20, 140)
        return {"lines": [py_line(ctx, t0 + 0.01, "INFO", rid, f"Archiving {n} statements older than 400 days"),
                          py_line(ctx, t0 + 3.1, "INFO", rid, f"Moved {n} objects to s3://acme-statements-archive/ (kms key alias/statements-archive)")],
                "dur": rng.uniform(3000, 4200), "mem": rng.randint(90, 104)}
    LambdaSim(ctx, 512, 120, arch, version=lambda t: "8" if t < -4100 else "9").run(book, "/aws/lambda/statement-archiver", plan_from(ts, {"ok": a_inv}, -10800))

    resources = [
        {"type": "apigateway", "id": "statements-api", "properties": {"api_id": api_id, "stage": "prod", "integration": fn}},
        {"type": "lambda", "id": fn, "properties": {"runtime": "java17", "timeout": 29, "memory_size": 2048, "role": role,
                                                    "environment": {"DATA_KEY_ID": alias, "TEMPLATE_BUCKET": "acme-statement-templates"}}},
        {"type": "lambda", "id": "statement-archiver", "properties": {"runtime": "python3.12", "timeout": 120, "memory_size": 512,
                                                                      "environment": {"ARCHIVE_KEY_ID": "alias/statements-archive"}}},
    ]
    changes = lambda_deploy(-4100, "statement-archiver") + [
        change(chg, "kms.amazonaws.com", "PutKeyPolicy", "AWS::KMS::Key", key_id, "secops-admin"),
        change(-5400, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "statements-api/prod", "platform-bot"),
        change(-8000, "kms.amazonaws.com", "ScheduleKeyDeletion", "AWS::KMS::Key", "9d1e77b0-2c4a-4f8e-b6d3-7a5c0e9f1b22", "platform-cleanup")]
    alarms = [alarm("statements-api-5xx", "AWS/ApiGateway", "5XXError", api, "Sum", 60, 3, 3, "ALARM", chg + 300, desc="Statements API 5XX"),
              alarm("statement-archiver-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-archiver"}, "Sum", 600, 1, 0, "OK", -300000)]
    expect = {"alarm": "statements-api-5xx", "root_cause": {"category": "permission_denied", "resource": [fn, role, key_id, alias]},
              "anomalies": [anomaly("AWS/ApiGateway", "5XXError", api), anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})]}
    doc = scenario("h22-08-statements-kms-key-policy", "Statements API returning 502s; customers cannot download statements.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "front (API Gateway); origin is the KMS key policy", "decoys": [
        "ScheduleKeyDeletion on a different (archive) KMS key 2 h earlier", "API stage update 65 min before onset",
        "statement-archiver deploy 43 min before onset", "steady pre-existing template cache-miss WARNs"]}


# ------------------------------------------------------------------------------------------------
def s09(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T12:45:00", "us-east-1", "118273645590")
    rng, ts, onset = ctx.rng, grid(), -2400
    table, gsi, fn = "inventory-reservations", "by-sku", "reservation-writer"
    batch, cap = 25, 10 * 60.0  # reservations per invocation; GSI write capacity per minute (10 WCU)
    k = 575.0 / (batch * day(ctx, onset, 13.5, 0.3))
    new = values(ctx, ts, lambda t: k * day(ctx, t, 13.5, 0.3), 0.05, nd=0)
    thr = [0.0 if t < onset else min(0.45, 0.06 + 0.3 * ramp(t, onset, onset + 900, 0, 1) + 0.1 * ramp(t, onset + 900, 0, 0, 1)) for t in ts]
    inv = [float(int(n * (1 + 0.9 * f) * rng.uniform(0.95, 1.05))) for n, f in zip(new, thr)]
    err = [float(int(i * min(0.9, f * 1.6))) for i, f in zip(inv, thr)]
    dur = [round((260 * (1 - f) + 1400 * f * 1.6) * rng.uniform(0.9, 1.1), 1) for f in thr]
    metrics = lambda_metrics(fn, ts, inv, err, [0.0] * len(ts), dur, [float(max(1, int(i * d / 60000 + rng.uniform(0.5, 2)))) for i, d in zip(inv, dur)])
    writes = [i * batch for i in inv]  # item writes attempted per minute (each also writes the GSI)
    gsi_used = [min(w, cap * rng.uniform(0.97, 1.0)) for w in writes]
    tdim, gdim = {"TableName": table}, {"TableName": table, "GlobalSecondaryIndexName": gsi}
    tcap = [12.0 if t < -2700 else 15.0 for t in ts]
    metrics += [metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", tdim, "Count", ts, [round(g * rng.uniform(0.98, 1.0)) for g in gsi_used]),
                metric("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", tdim, "Count", ts, tcap),
                metric("AWS/DynamoDB", "WriteThrottleEvents", tdim, "Count", ts, [0.0] * len(ts)),
                metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", gdim, "Count", ts, [round(g) for g in gsi_used]),
                metric("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", gdim, "Count", ts, [10.0] * len(ts)),
                metric("AWS/DynamoDB", "WriteThrottleEvents", gdim, "Count", ts, [float(int(max(0.0, w - g))) for w, g in zip(writes, gsi_used)]),
                metric("AWS/DynamoDB", "ThrottledRequests", {"TableName": table, "Operation": "PutItem"}, "Count", ts,
                       [float(int(max(0.0, w - g))) for w, g in zip(writes, gsi_used)]),
                metric("AWS/DynamoDB", "SuccessfulRequestLatency", {"TableName": table, "Operation": "PutItem"}, "Milliseconds", ts, values(ctx, ts, lambda t: 5.8, 0.08))]
    q = {"QueueName": "reservation-events"}
    metrics += [metric("AWS/SQS", "NumberOfMessagesSent", q, "Count", ts, [n * batch for n in new]),
                metric("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds", ts, [float(rng.randint(1, 4)) if t < onset else float(int(60 + 240 * ramp(t, onset, 0, 0, 1) * rng.uniform(0.8, 1.2))) for t in ts])]
    x_inv = [1.0 if (t // 60) % 5 == 0 else 0.0 for t in ts]
    metrics += lambda_metrics("reservation-expirer", ts, x_inv, [0.0] * len(ts), [0.0] * len(ts), [round(rng.uniform(700, 1100), 1) if x else None for x in x_inv], x_inv)

    book = LogBook()

    def slog(t, level, msg, **kw):
        rec = {"time": ctx.iso(t), "level": level, "msg": msg}
        rec.update(kw)
        return t, json.dumps(rec, separators=(",", ":"))

    def invoke(t0, rid, cold, kind):
        lines = []
        if cold:
            lines.append(slog(t0 + 0.001, "INFO", "cold start", table=table, region=ctx.region, version="v3.18.2"))
        if kind == "ok":
            d = rng.gauss(260, 40)
            if rng.random() < 0.02:
                lines.append(slog(t0 + 0.01, "WARN", "idempotency key replay; returning stored result", request_id=rid, reservation_id=f"rsv_{ctx.hexid(12)}"))
            lines.append(slog(t0 + d / 1000 - 0.002, "INFO", "batch stored", request_id=rid, records=batch, latency_ms=int(d - 12)))
            return {"lines": lines, "dur": d, "mem": rng.randint(31, 38)}
        d = rng.uniform(900, 1900)
        nf = rng.choice([1, 1, 1, 2, 3])
        for j in range(nf):
            lines.append(slog(t0 + d / 1000 - 0.05 * (nf - j), "ERROR", "put reservation failed", request_id=rid, reservation_id=f"rsv_{ctx.hexid(12)}",
                              sku=f"SKU-{rng.randint(10000, 99999)}",
                              err=f"operation error DynamoDB: PutItem, exceeded maximum number of attempts, 3, https response error StatusCode: 400, RequestID: "
                                  f"{ctx.hexid(52).upper()}, ProvisionedThroughputExceededException: The level of configured provisioned throughput for one or more "
                                  "global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global "
                                  "secondary indexes with the UpdateTable API"))
        lines.append(slog(t0 + d / 1000 - 0.001, "ERROR", "batch failed; returning error so SQS redelivers", request_id=rid, failed=nf, records=batch))
        return {"lines": lines, "dur": d, "mem": rng.randint(32, 40)}

    LambdaSim(ctx, 256, 10, invoke, init_ms=(60.0, 110.0)).run(book, f"/aws/lambda/{fn}", plan_from(ts, {"ok": [i - e for i, e in zip(inv, err)], "err": err}, -9000))

    def expirer(t0, rid, cold, kind):
        n = rng.randint(40, 160)
        lines = [slog(t0 + 0.01, "INFO", "expiring holds", candidates=n)]
        for _ in range(rng.randint(1, 4)):
            lines.append(slog(t0 + 0.3, "WARN", "hold already released", err="operation error DynamoDB: UpdateItem, https response error StatusCode: 400, "
                              f"RequestID: {ctx.hexid(52).upper()}, ConditionalCheckFailedException: The conditional request failed"))
        lines.append(slog(t0 + 0.8, "INFO", "expired holds", expired=n - 3))
        return {"lines": lines, "dur": rng.uniform(700, 1100), "mem": rng.randint(30, 36)}
    LambdaSim(ctx, 256, 60, expirer, init_ms=(60.0, 110.0)).run(book, "/aws/lambda/reservation-expirer", plan_from(ts, {"ok": x_inv}, -10800))

    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "provided.al2023", "architecture": "arm64", "timeout": 10, "memory_size": 256,
                                                    "environment": {"TABLE_NAME": table, "AWS_RETRY_MAX_ATTEMPTS": "3"},
                                                    "event_source": "sqs:reservation-events (batch size 25, batching window 2 s, visibility timeout 60 s)"}},
        {"type": "lambda", "id": "reservation-expirer", "properties": {"runtime": "provided.al2023", "timeout": 60, "memory_size": 256,
                                                                       "environment": {"TABLE_NAME": table}}},
    ]
    changes = [change(-9000, "dynamodb.amazonaws.com", "UpdateTimeToLive", "AWS::DynamoDB::Table", table, "j.okafor"),
               change(-2700, "dynamodb.amazonaws.com", "UpdateTable", "AWS::DynamoDB::Table", table, "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable")]
    alarms = [alarm("reservation-writer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5, "ALARM", onset + 300, desc="reservation writer failing"),
              alarm("reservation-expirer-errors", "AWS/Lambda", "Errors", {"FunctionName": "reservation-expirer"}, "Sum", 300, 1, 0, "OK", -500000)]
    expect = {"alarm": "reservation-writer-errors", "root_cause": {"category": "throttling", "resource": [table, f"{table}/{gsi}", fn]},
              "anomalies": [anomaly("AWS/DynamoDB", "WriteThrottleEvents", gdim), anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})]}
    doc = scenario("h22-09-reservations-gsi-throttling", "Reservation writer errors alarm around lunchtime; stock holds delayed.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "front-ish (writer Lambda); origin is the table's GSI capacity", "decoys": [
        "auto-scaling UpdateTable raising base-table WCU 5 min before onset", "UpdateTimeToLive on the table 1.8 h before onset",
        "expected ConditionalCheckFailed WARNs in reservation-expirer", "steady idempotency-replay WARNs", "Lambda Throttles metric flat at 0"]}
