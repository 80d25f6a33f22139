"""Lambda-origin incidents: a bad Node.js deploy, an environment-variable change, an IAM policy edit."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Gen, after, alarm, anomaly, between, build, change, find_metric, log, ramp
from .services import apigw_set, lambda_duration, lambda_logs, lambda_set


def h01_invoice_render_deploy():
    g = Gen(601)
    region, fn, other = "eu-west-1", "invoice-render", "pdf-archiver"
    deploy, onset = -2640.0, -2580.0
    inv = g.counts(g.daily(13, 3, 0.5, phase=0.4))
    err = np.zeros(N)
    err[after(onset)] = g.r.binomial(inv[after(onset)].astype(int), 0.45)
    dur = lambda_duration(g, inv, 820, 260)
    dur[after(onset)] *= 0.8  # failing renders bail out early

    def body(g, t, rid, failing):
        cust = f"cus_{g.hexid(14)}"
        lines = [(0.004, "INFO", f"Rendering invoice INV-{g.int(200000, 299999)} for {cust}")]
        if g.chance(0.09):  # long-standing noise, same rate before and after the deploy
            lines.append((0.05, "ERROR", "Failed to flush render metrics: Error: getaddrinfo ENOTFOUND "
                                         "statsd.monitoring.internal"))
        if failing:
            err_obj = {"errorType": "TypeError",
                       "errorMessage": "Cannot read properties of undefined (reading 'currency')",
                       "trace": ["TypeError: Cannot read properties of undefined (reading 'currency')",
                                 "    at formatTotals (/var/task/src/totals.js:41:38)",
                                 "    at renderInvoice (/var/task/src/render.js:112:19)",
                                 "    at async Runtime.handler (/var/task/index.js:23:20)"]}
            lines.append((0.31, "ERROR", "Invoke Error \t" + json.dumps(err_obj, separators=(",", ":"))))
            return lines, g.uniform(250, 700), "error"
        d = max(200.0, g.r.normal(840, 250))
        lines.append((d / 1000 - 0.01, "INFO", f"Uploaded s3://billing-invoices-eu/{cust}/{g.hexid(8)}.pdf "
                                                f"({g.int(40, 400)} KB)"))
        return lines, d, "ok"

    logs = lambda_logs(g, fn, inv, err, body, mem=1024, timeout=15, runtime="nodejs20.x", split_at=deploy,
                       base_mem=180)

    inv2 = g.counts(np.full(N, 2.5))
    dur2 = lambda_duration(g, inv2, 1400, 300)

    def body2(g, t, rid, failing):
        n = g.int(1, 12)
        return [(0.01, "INFO", f"Archiving {n} documents to glacier tier"),
                (1.2, "INFO", f"Archived {n} documents")], max(300.0, g.r.normal(1400, 300)), "ok"

    logs += lambda_logs(g, other, inv2, np.zeros(N), body2, mem=512, timeout=60, runtime="nodejs20.x",
                        split_at=-2940, base_mem=110)
    metrics = lambda_set(g, fn, inv, err, dur) + lambda_set(g, other, inv2, np.zeros(N), dur2)
    al = alarm("invoice-render-errors", find_metric(metrics, "Errors", FunctionName=fn), "Sum", 60, 3, 2,
               description="invoice-render Lambda errors")
    changes = [
        change(-2940, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
               "github-actions-billing"),
        change(-2925, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", other,
               "github-actions-billing"),
        change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
               "github-actions-billing"),
        change(deploy + 14, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
               "github-actions-billing"),
        change(-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
               "github-actions-billing"),
    ]
    resources = [{"type": "lambda", "id": fn, "properties": {"runtime": "nodejs20.x", "timeout": 15, "memory_size": 1024}},
                 {"type": "lambda", "id": other, "properties": {"runtime": "nodejs20.x", "timeout": 60, "memory_size": 512}}]
    return build("h6-01-invoice-render-deploy", "invoice-render errors alarm; finance reports invoices not arriving.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="bad_deployment", accepted=[fn],
                 anomalies=[anomaly(find_metric(metrics, "Errors", FunctionName=fn))],
                 decoys="pdf-archiver deployed 5 min earlier (healthy); old statsd ENOTFOUND ERROR line at constant "
                        "rate; an earlier healthy invoice-render deploy 4.5 h ago",
                 story="A CI deploy of invoice-render (Node.js 20) shipped code that assumes every customer has a "
                       "billing profile. From one minute after the deploy ~45 % of invocations fail with `TypeError: "
                       "Cannot read properties of undefined (reading 'currency')`, a signature never seen before. "
                       "pdf-archiver was deployed by the same pipeline five minutes earlier and stays clean; the "
                       "statsd ENOTFOUND error is logged at the same rate all day and does not fail invocations.")


def h03_quote_engine_env():
    g = Gen(603)
    region, api, api_id, fn, other = "us-west-2", "quotes-api", "7r2kq9w1ab", "quote-engine", "quote-notifier"
    cfg, onset = -1980.0, -1950.0
    req = g.counts(g.daily(15, 3, 0.6, phase=1.0))
    inv = req.copy()
    miss = 0.55
    err = np.zeros(N)
    err[after(onset)] = g.r.binomial(inv[after(onset)].astype(int), miss)
    dur = lambda_duration(g, inv, 140, 60)
    dur[after(onset)] *= 0.7

    def body(g, t, rid, failing):
        sku = f"SKU-{g.int(10000, 99999)}"
        lines = [(0.002, "INFO", f"Quote request sku={sku} qty={g.int(1, 40)} region=US-W")]
        if failing:
            tb = ("Unhandled error computing quote\nTraceback (most recent call last):\n"
                  "  File \"/var/task/app/handler.py\", line 57, in lambda_handler\n"
                  "    quote = engine.price(body)\n"
                  "  File \"/var/task/app/engine.py\", line 88, in price\n"
                  "    cache.put(key, result, ttl=int(os.environ[\"QUOTE_CACHE_TTL\"]))\n"
                  "ValueError: invalid literal for int() with base 10: '15m'")
            return lines + [(0.09, "ERROR", tb)], g.uniform(60, 120), "error"
        d = max(30.0, g.r.normal(140, 55))
        return lines + [(d / 1000 - 0.003, "INFO", f"Quote {sku} priced from cache={'hit' if g.chance(0.45) else 'miss'}")], d, "ok"

    logs = lambda_logs(g, fn, inv, err, body, mem=256, timeout=10, base_mem=70)
    # API Gateway execution logs for failed requests only (ERROR level logging on the stage)
    ev = []
    for i in np.nonzero(err)[0]:
        for _ in range(int(err[i])):
            t = T[i] + g.uniform(0, 60)
            ev.append((t, f"({g.rid()}) Lambda execution failed with status 200 due to customer function error: "
                          f"invalid literal for int() with base 10: '15m'. Lambda request id: {g.rid()}"))
            ev.append((t + 0.002, f"({g.rid()}) Method completed with status: 502"))
    logs.append(log(f"API-Gateway-Execution-Logs_{api_id}/prod", f"{g.hexid(32)}", ev))
    c5 = g.counts(req * 0.0004) + err
    lat = g.level(175, 25, 30)
    # quote-notifier: stream-triggered, fails a steady ~20 % on conditional writes all day
    inv2 = g.counts(np.full(N, 4.0))
    err2 = g.r.binomial(inv2.astype(int), 0.2).astype(float)
    dur2 = lambda_duration(g, inv2, 95, 30)

    def body2(g, t, rid, failing):
        q = f"Q-{g.hexid(10)}"
        if failing:
            return [(0.004, "INFO", f"Notifying for quote {q}"),
                    (0.06, "ERROR", "Failed to record notification\nTraceback (most recent call last):\n"
                                    "  File \"/var/task/notifier.py\", line 34, in lambda_handler\n"
                                    "    table.put_item(Item=item, ConditionExpression=\"attribute_not_exists(pk)\")\n"
                                    "botocore.errorfactory.ConditionalCheckFailedException: An error occurred "
                                    "(ConditionalCheckFailedException) when calling the PutItem operation: "
                                    "The conditional request failed")], g.uniform(60, 110), "error"
        return [(0.004, "INFO", f"Notifying for quote {q}"), (0.08, "INFO", f"Sent quote {q} to sales inbox")], \
            max(20.0, g.r.normal(95, 30)), "ok"

    logs += lambda_logs(g, other, inv2, err2, body2, mem=256, timeout=30, base_mem=68)
    metrics = (apigw_set(g, api, req, c5=c5, lat=lat) + lambda_set(g, fn, inv, err, dur)
               + lambda_set(g, other, inv2, err2, dur2))
    al = alarm("quotes-api-5xx", find_metric(metrics, "5XXError", ApiName=api), "Sum", 60, 3, 2,
               description="Quotes API 5XX responses")
    changes = [
        change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn,
               "priya.raman"),
        change(-14100, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/prod", "priya.raman"),
    ]
    resources = [{"type": "apigateway", "id": api},
                 {"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 256}},
                 {"type": "lambda", "id": other, "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256}}]
    return build("h6-03-quote-engine-env", "Quotes API returning 502s to the web storefront; 5XX alarm fired.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="config_change", accepted=[fn],
                 anomalies=[anomaly(find_metric(metrics, "5XXError", ApiName=api)),
                            anomaly(find_metric(metrics, "Errors", FunctionName=fn))],
                 decoys="quote-notifier fails ~20 % of invocations with ConditionalCheckFailedException all day; "
                        "an UpdateStage on quotes-api 4 h earlier",
                 story="An engineer edited quote-engine's environment in the console and set QUOTE_CACHE_TTL to "
                       "'15m' instead of a number of seconds. Every cache-miss request now raises `ValueError: "
                       "invalid literal for int() with base 10: '15m'`, which API Gateway turns into 502s. No code "
                       "was deployed; the only change near the onset is UpdateFunctionConfiguration. quote-notifier "
                       "has a steady conditional-write failure rate unrelated to the incident.")


def h05_thumbnail_iam():
    g = Gen(605)
    region, fn, api = "ap-northeast-1", "thumbnail-publisher", "media-api"
    role = "thumbnail-publisher-role"
    iam, onset = -2160.0, -2130.0
    inv = g.counts(g.daily(9, 2, 0.4, phase=2.0))
    err = np.zeros(N)
    err[after(onset)] = inv[after(onset)]
    dur = lambda_duration(g, inv, 1650, 420)
    dur[after(onset)] = lambda_duration(g, inv, 1350, 300)[after(onset)]

    def body(g, t, rid, failing):
        key = f"uploads/{g.hexid(8)}/{g.hexid(6)}.jpg"
        lines = [(0.003, "INFO", f"Generating thumbnails for s3://media-originals-apne1/{key}")]
        if g.chance(0.12):
            lines.append((0.4, "WARNING", f"/opt/python/PIL/Image.py:3186: DecompressionBombWarning: Image size "
                                          f"({g.int(90, 160) * 1000000} pixels) exceeds limit of 89478485 pixels, "
                                          f"could be decompression bomb DOS attack."))
        if failing:
            tb = ("Failed to publish thumbnails\nTraceback (most recent call last):\n"
                  "  File \"/var/task/publisher.py\", line 71, in lambda_handler\n"
                  "    s3.put_object(Bucket=THUMBS_BUCKET, Key=thumb_key, Body=buf, ContentType=\"image/webp\")\n"
                  "  File \"/var/lang/lib/python3.11/site-packages/botocore/client.py\", line 1009, in _make_api_call\n"
                  "    raise error_class(parsed_response, operation_name)\n"
                  "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject "
                  "operation: User: arn:aws:sts::412398765012:assumed-role/thumbnail-publisher-role/"
                  "thumbnail-publisher is not authorized to perform: s3:PutObject on resource: "
                  f"\"arn:aws:s3:::media-thumbs-apne1/{key[:-4]}_320.webp\" because no identity-based policy "
                  "allows the s3:PutObject action")
            return lines + [(1.2, "ERROR", tb)], g.uniform(1100, 1600), "error"
        d = max(500.0, g.r.normal(1650, 420))
        return lines + [(d / 1000 - 0.02, "INFO", "Published 3 thumbnails (320, 640, 1280)")], d, "ok"

    logs = lambda_logs(g, fn, inv, err, body, mem=1024, timeout=30, runtime="python3.11", base_mem=240)
    req = g.counts(g.daily(40, 8, 1.5, phase=2.0))
    req = req + g.counts(np.where(between(-5400, -5040), 60.0, 0.0))  # benign burst from a mobile release push
    metrics = lambda_set(g, fn, inv, err, dur) + apigw_set(g, api, req)
    al = alarm("thumbnail-publisher-errors", find_metric(metrics, "Errors", FunctionName=fn), "Sum", 300, 1, 5,
               description="thumbnail-publisher failures")
    changes = [
        change(iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-platform"),
        change(-2400, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/v1",
               "terraform-platform"),
        change(-2390, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api,
               "terraform-platform"),
    ]
    resources = [{"type": "lambda", "id": fn, "properties": {"runtime": "python3.11", "timeout": 30, "memory_size": 1024}},
                 {"type": "apigateway", "id": api}]
    return build("h6-05-thumbnail-iam", "Thumbnails missing for new uploads; thumbnail-publisher errors alarm.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="permission_denied", accepted=[fn, role],
                 anomalies=[anomaly(find_metric(metrics, "Errors", FunctionName=fn))],
                 decoys="Terraform also redeployed media-api (UpdateStage + CreateDeployment) 4 min before the "
                        "IAM edit; PIL DecompressionBombWarning at a constant rate; a benign request burst on "
                        "media-api 90 min earlier",
                 story="A Terraform run that 'tightened' the inline policy of thumbnail-publisher-role "
                       "(PutRolePolicy) scoped s3:PutObject to the wrong bucket ARN. From the next invocation every "
                       "upload of thumbnails fails with AccessDenied on s3:PutObject. The same run redeployed "
                       "media-api, which stays healthy.")
