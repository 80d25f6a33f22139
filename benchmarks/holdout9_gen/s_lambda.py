"""Scenarios whose origin is a Lambda function and whose alarm is on that function."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import N, T, Ctx, lambda_metrics
from .logfmt import lambda_log, node, node_invoke_error, plan_counts, py, py_unhandled


def h02_invoice_env_bucket():
    ctx = Ctx(902, "h9-02-invoice-template-bucket", "ap-southeast-2", datetime(2026, 3, 11, 4, 35))
    onset = -1980
    ctx.resource("lambda", "invoice-renderer", runtime="python3.12", timeout=30, memory_size=1024,
                 environment={"TEMPLATE_BUCKET": "acme-invoice-templates-ap-southeast-2",
                              "PDF_ENGINE": "weasyprint", "LOG_LEVEL": "INFO"})
    ctx.resource("lambda", "invoice-mailer", runtime="python3.12", timeout=60, memory_size=256,
                 environment={"SES_CONFIG_SET": "billing-prod", "LOG_LEVEL": "INFO"})

    base = ctx.drift(12, 0.25)
    after = ctx.after(onset + 20)
    plan = plan_counts(ctx, ok=np.where(after, base * 0.12, base), fail=np.where(after, base * 0.88, 0),
                       cached=base * 0.15)
    old_bucket, new_bucket = "acme-invoice-templates", "acme-invoice-templates-ap-southeast-2"

    def render(kind, rid, t):
        inv = f"INV-{int(ctx.rng.integers(200000, 299999))}"
        tpl = f"invoice-v{int(ctx.rng.choice([7, 7, 7, 8]))}.html"
        if kind == "ok" and t >= onset:  # only the template cache still works after the change
            kind = "cached"
        if kind == "cached":
            return {"lines": [(0.01, py("INFO", ctx, t, rid, f"Rendering {inv} using cached template {tpl}")),
                              (0.3, py("INFO", ctx, t + 0.3, rid, f"Rendered {inv}.pdf pages=1 bytes={int(ctx.rng.integers(38000, 90000))}"))],
                    "dur": ctx.rng.uniform(300, 600), "mem": int(ctx.rng.integers(180, 230))}
        bucket = new_bucket if t >= onset else old_bucket
        lines = [(0.01, py("INFO", ctx, t, rid, f"Rendering {inv} tenant=t-{int(ctx.rng.integers(100, 999))}")),
                 (0.05, py("INFO", ctx, t + 0.05, rid, f"Fetching template s3://{bucket}/{tpl}"))]
        if kind == "fail":
            lines.append((0.21, py_unhandled(
                "NoSuchBucket", "An error occurred (NoSuchBucket) when calling the GetObject operation: The specified bucket does not exist",
                [("/var/task/app.py", 58, "handler", "html = templates.load(tpl_name)"),
                 ("/var/task/invoice/templates.py", 23, "load", "obj = s3.get_object(Bucket=BUCKET, Key=name)"),
                 ("/var/runtime/botocore/client.py", 565, "_api_call", "return self._make_api_call(operation_name, kwargs)"),
                 ("/var/runtime/botocore/client.py", 1021, "_make_api_call", "raise error_class(parsed_response, operation_name)")])))
            return {"lines": lines, "dur": ctx.rng.uniform(180, 320), "mem": int(ctx.rng.integers(120, 160)), "error": True}
        d = ctx.rng.uniform(1400, 2600)
        lines.append((d / 1000 - 0.05, py("INFO", ctx, t + d / 1000, rid,
                                          f"Rendered {inv}.pdf pages={int(ctx.rng.integers(1, 4))} bytes={int(ctx.rng.integers(40000, 160000))}")))
        return {"lines": lines, "dur": d, "mem": int(ctx.rng.integers(310, 420))}

    inv, err, dur = lambda_log(ctx, "invoice-renderer", "python3.12", 1024, plan, render, 30, new_streams=[onset + 5])
    lambda_metrics(ctx, "invoice-renderer", inv, err, dur)

    # sibling: config update 24 min earlier, healthy afterwards; a steady bounce warning all along
    mail_plan = plan_counts(ctx, sent=ctx.drift(5, 0.2), bounce=np.full(N, 0.4))

    def mail(kind, rid, t):
        n = int(ctx.rng.integers(1, 6))
        lines = [(0.02, py("INFO", ctx, t, rid, f"Sending {n} invoice email(s) via SES configuration set billing-prod"))]
        if kind == "bounce":
            lines.append((0.4, py("WARNING", ctx, t + 0.4, rid, f"Permanent bounce for recipient ap-{ctx.hexid(6)}@example.com.au; suppressing")))
        lines.append((0.8, py("INFO", ctx, t + 0.8, rid, f"SES accepted {n} message(s)")))
        return {"lines": lines, "dur": ctx.rng.uniform(600, 1100), "mem": int(ctx.rng.integers(88, 104))}

    minv, merr, mdur = lambda_log(ctx, "invoice-mailer", "python3.12", 256, mail_plan, mail, 60, new_streams=[-3420])
    lambda_metrics(ctx, "invoice-mailer", minv, merr, mdur)

    ctx.change(-3420, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "invoice-mailer", "priya.nair")
    ctx.change(-4300, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/billing/prod/smtp_from_name", "priya.nair")
    ctx.change(onset, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "invoice-renderer", "tom.whitfield")
    ctx.alarm("invoice-renderer-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-renderer"}, "Sum", 300, 1, 10,
              description="Invoice PDF rendering errors")
    data = ctx.build("Invoice PDFs not being generated for AU customers; invoice-renderer errors alarm.",
                     {"alarm": "invoice-renderer-errors",
                      "root_cause": {"category": "config_change", "resource": ["invoice-renderer"]},
                      "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "invoice-renderer"}}]})
    meta = dict(alarm="invoice-renderer-errors", category="config_change", resources=["invoice-renderer"],
                decoys="UpdateFunctionConfiguration on sibling invoice-mailer 24 min earlier (healthy after); unrelated "
                       "PutParameter; steady SES bounce WARNINGs on invoice-mailer",
                story="An engineer updated invoice-renderer's environment (TEMPLATE_BUCKET renamed to a bucket that was never "
                      "created). New execution environments fetch templates from the new bucket and fail with NoSuchBucket; "
                      "only renders served from the in-memory template cache succeed. The S3 error looks like a dependency "
                      "failure, but the trigger is the configuration update 33 min ago.")
    return data, meta


def h09_pdf_oom_rate():
    ctx = Ctx(909, "h9-09-pdf-thumbnailer-oom", "us-east-2", datetime(2026, 2, 17, 19, 5))
    onset = -2460
    ctx.resource("lambda", "pdf-thumbnailer", runtime="python3.12")
    ctx.resource("lambda", "docx-converter", runtime="python3.12")
    base = ctx.drift(13, 0.2)
    big = np.where(ctx.after(onset), 5.5, 0.03)
    plan = plan_counts(ctx, ok=np.clip(base - big * 0.5, 1, None), big_ok=np.where(ctx.after(onset), 3.0, 0.4), oom=big,
                       warn=np.full(N, 1.2))

    def render(kind, rid, t):
        key = f"s3://acme-scans-prod/inbound/{ctx.hexid(8)}.pdf"
        if kind in ("ok", "warn"):
            pages = int(ctx.rng.integers(1, 12))
            size = ctx.rng.uniform(0.2, 4.0)
        else:
            pages = int(ctx.rng.integers(180, 640))
            size = ctx.rng.uniform(60, 210)
        lines = [(0.02, py("INFO", ctx, t, rid, f"Thumbnailing {key} size_mb={size:.1f} pages={pages}"))]
        if kind == "warn":
            lines.append((0.1, py("WARNING", ctx, t + 0.1, rid, "PdfReadWarning: Xref table not zero-indexed. ID numbers for objects will be corrected. [pdf.py:1736]")))
        if kind == "oom":
            d = ctx.rng.uniform(2500, 9000)
            lines.append((0.6, py("INFO", ctx, t + 0.6, rid, f"Rasterising page 1..{pages} at 150 dpi")))
            return {"lines": lines, "dur": d, "end": "oom"}
        d = ctx.rng.uniform(700, 1500) * (1 + pages / 60)
        mem = int(min(1010, 260 + pages * 1.6 + ctx.rng.normal(0, 20)))
        lines.append((d / 1000 - 0.03, py("INFO", ctx, t + d / 1000, rid, f"Wrote {min(pages, 3)} thumbnail(s) for {key}")))
        return {"lines": lines, "dur": d, "mem": mem}

    inv, err, dur = lambda_log(ctx, "pdf-thumbnailer", "python3.12", 1024, plan, render, 60)
    lambda_metrics(ctx, "pdf-thumbnailer", inv, err, dur)

    # sibling: deployed 9 min before onset, runs close to its memory size all along but never dies
    dplan = plan_counts(ctx, ok=ctx.drift(8, 0.3))

    def docx(kind, rid, t):
        d = ctx.rng.uniform(2200, 4200)
        return {"lines": [(0.02, py("INFO", ctx, t, rid, f"Converting s3://acme-scans-prod/docx/{ctx.hexid(8)}.docx")),
                          (d / 1000 - 0.02, py("INFO", ctx, t + d / 1000, rid, "Conversion finished via libreoffice --headless"))],
                "dur": d, "mem": int(ctx.rng.integers(455, 501))}

    dinv, derr, ddur = lambda_log(ctx, "docx-converter", "python3.12", 512, dplan, docx, 120, new_streams=[-3000])
    lambda_metrics(ctx, "docx-converter", dinv, derr, ddur)
    ctx.change(-3010, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "docx-converter",
               "github-actions-deployer")
    ctx.change(-2995, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "docx-converter",
               "github-actions-deployer")
    ctx.alarm("pdf-thumbnailer-errors", "AWS/Lambda", "Errors", {"FunctionName": "pdf-thumbnailer"}, "Sum", 300, 2, 8)
    data = ctx.build("Document previews missing in the portal; pdf-thumbnailer Errors alarm.",
                     {"alarm": "pdf-thumbnailer-errors",
                      "root_cause": {"category": "memory_exhaustion", "resource": ["pdf-thumbnailer"]},
                      "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "pdf-thumbnailer"}}]})
    meta = dict(alarm="pdf-thumbnailer-errors", category="memory_exhaustion", resources=["pdf-thumbnailer"],
                decoys="code deploy of sibling docx-converter 9 min before onset (healthy, but runs at ~95% of its memory "
                       "all along); steady PdfReadWarning noise; rare OOM kills already before onset",
                story="pdf-thumbnailer (1024 MB) has always been OOM-killed by the odd huge scan (about one an hour). From "
                      "~41 min ago a customer batch of 200-600 page scans arrives and several invocations a minute hit "
                      "Max Memory Used = 1024 MB and end with 'Runtime exited with error: signal: killed'. No change on the "
                      "function; the signal is the rate of OOM kills, not their novelty.")
    return data, meta


def h11_dynamo_throughput():
    ctx = Ctx(911, "h9-11-telemetry-ddb-throughput", "ap-northeast-2", datetime(2026, 4, 2, 2, 50))
    onset = -2280
    ctx.resource("lambda", "telemetry-writer")
    ctx.resource("lambda", "legacy-poller")
    base = ctx.drift(17, 0.1)
    a = ctx.after(onset)
    plan = plan_counts(ctx, ok=np.where(a, base * 0.55, base * 0.985), retry_ok=np.where(a, base * 0.2, base * 0.015),
                       fail=np.where(a, base * 0.25, 0.0))
    table = "device-telemetry"

    def render(kind, rid, t):
        items = int(ctx.rng.integers(1100, 1900) if t >= onset else ctx.rng.integers(280, 520))
        lines = [(0.01, py("INFO", ctx, t, rid, f"Received Kinesis batch records={items // 4} shard=shardId-00000000000{int(ctx.rng.integers(0, 4))}"))]
        if kind == "ok":
            d = ctx.rng.uniform(250, 600) * (1.6 if t >= onset else 1.0)
            lines.append((d / 1000 - 0.02, py("INFO", ctx, t + d / 1000, rid, f"BatchWriteItem table={table} items={items} unprocessed=0")))
            return {"lines": lines, "dur": d, "mem": int(ctx.rng.integers(140, 170))}
        if kind == "retry_ok":
            d = ctx.rng.uniform(1500, 4000)
            lines.append((0.4, py("WARNING", ctx, t + 0.4, rid, f"BatchWriteItem table={table} returned {int(ctx.rng.integers(3, 140))} UnprocessedItems; backing off")))
            lines.append((d / 1000 - 0.02, py("INFO", ctx, t + d / 1000, rid, f"BatchWriteItem table={table} items={items} unprocessed=0 after retry")))
            return {"lines": lines, "dur": d, "mem": int(ctx.rng.integers(140, 170))}
        d = ctx.rng.uniform(6000, 11000)
        lines.append((0.4, py("WARNING", ctx, t + 0.4, rid, f"BatchWriteItem table={table} returned {int(ctx.rng.integers(200, 900))} UnprocessedItems; backing off")))
        lines.append((d / 1000 - 0.05, py_unhandled(
            "ProvisionedThroughputExceededException",
            "An error occurred (ProvisionedThroughputExceededException) when calling the BatchWriteItem operation (reached max retries: 9): "
            "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
            [("/var/task/writer.py", 88, "handler", "flush(table, chunk)"),
             ("/var/task/writer.py", 41, "flush", "resp = ddb.batch_write_item(RequestItems={table: reqs})"),
             ("/var/runtime/botocore/client.py", 565, "_api_call", "return self._make_api_call(operation_name, kwargs)"),
             ("/var/runtime/botocore/client.py", 1021, "_make_api_call", "raise error_class(parsed_response, operation_name)")])))
        return {"lines": lines, "dur": d, "mem": int(ctx.rng.integers(150, 180)), "error": True}

    inv, err, dur = lambda_log(ctx, "telemetry-writer", "python3.12", 256, plan, render, 30)
    lambda_metrics(ctx, "telemetry-writer", inv, err, dur)

    # unrelated function throttled at a steady rate since its concurrency was capped hours ago
    pplan = plan_counts(ctx, ok=np.full(N, 2.0))

    def poll(kind, rid, t):
        d = ctx.rng.uniform(20000, 29000)
        return {"lines": [(0.02, py("INFO", ctx, t, rid, "Polling https://legacy-erp.internal.acme.kr/api/exports?since=cursor")),
                          (d / 1000 - 0.1, py("INFO", ctx, t + d / 1000, rid, f"Fetched {int(ctx.rng.integers(0, 40))} rows"))],
                "dur": d, "mem": int(ctx.rng.integers(70, 90))}

    pinv, perr, pdur = lambda_log(ctx, "legacy-poller", "python3.11", 128, pplan, poll, 60, streams_at_start=1)
    thr = np.where(T >= -19140, ctx.poisson(np.full(N, 2.6)), 0)
    lambda_metrics(ctx, "legacy-poller", pinv, perr, pdur, throttles=thr, conc=np.where(pinv > 0, 1, 0))
    ctx.change(-19200, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", "legacy-poller",
               "ops-automation")
    ctx.alarm("telemetry-writer-errors", "AWS/Lambda", "Errors", {"FunctionName": "telemetry-writer"}, "Sum", 300, 2, 10)
    data = ctx.build("Device telemetry gaps on dashboards; telemetry-writer errors alarm in ALARM.",
                     {"alarm": "telemetry-writer-errors",
                      "root_cause": {"category": "throttling", "resource": ["telemetry-writer", table]},
                      "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "telemetry-writer"}}]})
    meta = dict(alarm="telemetry-writer-errors", category="throttling", resources=["telemetry-writer", table],
                decoys="legacy-poller has had steady Lambda Throttles (concurrency capped 5 h ago, PutFunctionConcurrency); "
                       "occasional UnprocessedItems warnings before onset",
                story="Field devices started reporting 4x more readings per batch (invocations unchanged). The provisioned "
                      "DynamoDB table device-telemetry cannot absorb the write rate: BatchWriteItem returns UnprocessedItems, "
                      "retries back off and a quarter of invocations die with ProvisionedThroughputExceededException. Lambda "
                      "Throttles on telemetry-writer stay 0; the throttling is DynamoDB's.")
    return data, meta


def h15_loyalty_typeerror():
    ctx = Ctx(915, "h9-15-loyalty-points-typeerror", "ap-south-1", datetime(2026, 5, 8, 11, 40))
    onset = -2100
    ctx.resource("lambda", "loyalty-points", runtime="nodejs20.x")
    ctx.resource("lambda", "loyalty-redeem", runtime="nodejs20.x")
    base = ctx.drift(14, 0.12)
    a = ctx.after(onset)
    plan = plan_counts(ctx, ok=np.where(a, base * 0.72, base), invalid=np.full(N, 0.9), guest=np.where(a, base * 0.3, 0.0))

    def render(kind, rid, t):
        order = f"ord_{ctx.hexid(10)}"
        chan = "pos-kiosk" if kind == "guest" else str(ctx.rng.choice(["web", "app", "app", "pos"]))
        lines = [(0.01, node("INFO", ctx, t, rid, f"Processing order {order} channel={chan}"))]
        if kind == "invalid":
            lines.append((0.05, node_invoke_error(ctx, t + 0.05, rid, "ValidationError", '"email" must be a valid email',
                                                  ["    at Object.validate (/var/task/node_modules/joi/lib/errors.js:77:15)",
                                                   "    at handler (/var/task/index.js:31:22)"])))
            return {"lines": lines, "dur": ctx.rng.uniform(20, 60), "mem": 96, "error": True}
        if kind == "guest":
            lines.append((0.09, node_invoke_error(ctx, t + 0.09, rid, "TypeError", "Cannot read properties of undefined (reading 'tier')",
                                                  ["    at computePoints (/var/task/src/points.js:48:33)",
                                                   "    at handler (/var/task/index.js:44:18)",
                                                   "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"])))
            return {"lines": lines, "dur": ctx.rng.uniform(60, 140), "mem": 98, "error": True}
        d = ctx.rng.uniform(80, 240)
        lines.append((d / 1000 - 0.01, node("INFO", ctx, t + d / 1000, rid, f"Awarded {int(ctx.rng.integers(5, 400))} points member=m_{ctx.hexid(8)} tier={ctx.rng.choice(['silver', 'gold', 'basic'])}")))
        return {"lines": lines, "dur": d, "mem": int(ctx.rng.integers(92, 110))}

    inv, err, dur = lambda_log(ctx, "loyalty-points", "nodejs20.x", 256, plan, render, 10)
    lambda_metrics(ctx, "loyalty-points", inv, err, dur)

    rplan = plan_counts(ctx, ok=ctx.drift(6, 0.3))

    def redeem(kind, rid, t):
        d = ctx.rng.uniform(90, 260)
        return {"lines": [(0.01, node("INFO", ctx, t, rid, f"Redeeming voucher v_{ctx.hexid(8)}")),
                          (d / 1000 - 0.01, node("INFO", ctx, t + d / 1000, rid, "Redemption committed"))],
                "dur": d, "mem": int(ctx.rng.integers(88, 100))}

    deploy = onset - 900
    rinv, rerr, rdur = lambda_log(ctx, "loyalty-redeem", "nodejs20.x", 256, rplan, redeem, 10, new_streams=[deploy + 20])
    lambda_metrics(ctx, "loyalty-redeem", rinv, rerr, rdur)
    ctx.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "loyalty-redeem",
               "codepipeline-loyalty")
    ctx.change(deploy + 14, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "loyalty-redeem",
               "codepipeline-loyalty")
    ctx.change(deploy + 20, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "loyalty-redeem",
               "codepipeline-loyalty")
    ctx.alarm("loyalty-points-errors", "AWS/Lambda", "Errors", {"FunctionName": "loyalty-points"}, "Sum", 300, 2, 20,
              description="loyalty-points function errors")
    data = ctx.build("Customers not receiving loyalty points for some orders; errors alarm on loyalty-points.",
                     {"alarm": "loyalty-points-errors",
                      "root_cause": {"category": "application_error", "resource": ["loyalty-points"]},
                      "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "loyalty-points"}}]})
    meta = dict(alarm="loyalty-points-errors", category="application_error", resources=["loyalty-points"],
                decoys="deploy (UpdateFunctionCode + PublishVersion + UpdateAlias) of sibling loyalty-redeem 15 min before "
                       "onset, healthy after; pre-existing ValidationError at ~1/min on loyalty-points itself",
                story="A new point-of-sale kiosk channel started sending guest orders without a member object. "
                      "loyalty-points dereferences member.tier and throws TypeError for about a third of orders. Nothing was "
                      "changed on the function; the sibling deploy 15 min earlier is a coincidence, and the ValidationError "
                      "noise was there all along at the same rate.")
    return data, meta


SCENARIOS = [h02_invoice_env_bucket, h09_pdf_oom_rate, h11_dynamo_throughput, h15_loyalty_typeerror]
