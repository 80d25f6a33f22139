"""Lambda incidents at the origin: timeout (04), IAM permission (05), environment change (06)."""
from __future__ import annotations

import numpy as np

from . import lambdalogs as L
from .common import T, Ctx, after, alarm, change, find, ramp, step

ACCOUNT = "482913305721"


def s04():
    ctx = Ctx(404, "2026-11-30T16:40:00")
    region = "eu-central-1"
    fn = L.LambdaFn("invoice-pdf-render", "python3.12", 1024, 15, region, base_mem=310)
    mailer = L.LambdaFn("invoice-mailer", "python3.12", 256, 30, region, base_mem=95)
    onset = -2520
    # month-end close: the billing run enqueues the big enterprise accounts last
    inv = ctx.counts(ctx.daily(7.0, 0.15) + ramp(onset - 600, onset, 0, 3.5))
    lines_mu = ramp(onset - 900, onset + 300, 3.6, 7.6)          # log(line items per invoice)

    def render(i, t, rid):
        lines = int(np.clip(ctx.rng.lognormal(lines_mu[i], 0.9), 1, 9000))
        pages = max(1, lines // 28)
        cost = 420 + lines * 5.1 * ctx.rng.uniform(0.8, 1.25)     # ms, layout is ~linear in line items
        inv_no = f"INV-2026-{ctx.rng.integers(100000, 999999)}"
        acct = ctx.rng.integers(10000, 99999)
        head = [(0.004, "INFO", f"Rendering {inv_no} for account {acct} (line_items={lines}, template=invoice_v7)")]
        if ctx.rng.random() < 0.06:      # old, harmless, same rate all day
            head.append((0.09, "WARNING", "Font 'Noto Sans CJK JP' not found in /opt/fonts, falling back to DejaVuSans"))
        if cost >= fn.timeout * 1000:
            steps = [(min(fn.timeout - 1, 3 + k * 4.1), "INFO", f"layout pass {k + 1}/3: {pages} pages, {lines} rows")
                     for k in range(2) if 3 + k * 4.1 < fn.timeout - 0.5]
            return L.timeout_outcome(ctx, fn, t, rid, head + steps), True
        mem = int(fn.base_mem + min(600, lines * 0.09))
        tail = [(cost / 1000 - 0.02, "INFO",
                 f"Stored s3://acme-billing-docs-eu/2026/11/{inv_no}.pdf ({pages} pages, {int(lines * 2.7)} KB)")]
        return L.Outcome(cost, head + tail, max_mem=mem), False

    # The run helper needs the failing count up-front; simulate durations with a twin rng pass.
    twin = Ctx(4040, "2026-11-30T16:40:00")
    bad = np.zeros(len(inv))
    for i, n in enumerate(inv.astype(int)):
        x = twin.rng.lognormal(lines_mu[i], 0.9, n)
        cost = 420 + np.clip(x, 1, 9000) * 5.1 * twin.rng.uniform(0.8, 1.25, n)
        bad[i] = int((cost >= fn.timeout * 1000).sum())

    def fail(i, t, rid):
        while True:
            out, timed = render(i, t, rid)
            if timed:
                return out

    def okonly(i, t, rid):
        while True:
            out, timed = render(i, t, rid)
            if not timed:
                return out

    metrics, logs, errors = L.block(ctx, fn, inv, bad, okonly, fail)
    m2, l2, _ = L.quiet(ctx, mailer, ctx.daily(4.0, 0.15), 640,
                        lambda t: f"Sent invoice email via SES to billing contact (msg id 0107018c{ctx.hex(8)}-"
                                  f"{ctx.hex(4)}-{ctx.hex(4)}-000000)", restarts=(-2940,))
    metrics += m2
    logs += l2
    al = alarm(ctx, "invoice-pdf-render-errors", find(metrics, "Errors", FunctionName=fn.name), "Sum", 300, 1, 5,
               description="PDF renderer failing invocations (billing run), >5 per 5 min")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-04-invoice-render-timeout",
        "description": "Month-end billing run: invoice PDF renderer errors alarm fired; finance says some invoices "
                       "have not been generated.",
        "region": region,
        "resources": [
            {"type": "lambda", "id": fn.name, "properties": {"runtime": fn.runtime, "timeout": fn.timeout,
                                                             "memory_size": fn.memory,
                                                             "environment": {"OUTPUT_BUCKET": "acme-billing-docs-eu",
                                                                             "TEMPLATE": "invoice_v7"}}},
            {"type": "lambda", "id": mailer.name, "properties": {"runtime": mailer.runtime, "timeout": mailer.timeout,
                                                                 "memory_size": mailer.memory}},
        ],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [
            change(-2940, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", mailer.name,
                   "gitlab-ci-deployer"),
            change(-14400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                   mailer.name, "terraform"),
        ],
        "expect": {"alarm": al["name"], "root_cause": {"category": "function_timeout", "resource": [fn.name]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn.name}},
                                 {"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn.name}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "function_timeout", "resources": [fn.name],
            "decoys": "invoice-mailer code deploy 7 min before onset; font-fallback WARNING at a constant rate",
            "story": "At month-end the billing run reaches the large enterprise accounts. Their invoices have "
                     "thousands of line items and layout time grows linearly with them, so a growing share of "
                     "invocations runs into the 15 s function timeout (`Task timed out after 15.0x seconds`, REPORT "
                     "`Duration: 15000.00 ms`). Nothing downstream fails and nothing about the function changed; "
                     "the invoice-mailer deploy shortly before is unrelated and its function stays clean."}
    return scenario, meta


def s05():
    ctx = Ctx(505, "2026-11-24T10:15:00")
    region = "us-east-2"
    fn = L.LambdaFn("receipt-uploader", "python3.12", 256, 30, region, base_mem=118)
    ocr = L.LambdaFn("receipt-ocr", "python3.12", 2048, 120, region, base_mem=640)
    onset = -1860
    inv = ctx.counts(ctx.daily(16.0, 0.25, phase=-0.4))
    is_upload = lambda: ctx.rng.random() < 0.72           # the rest are presigned GET links
    bad = np.where(after(onset + 20), ctx.rng.binomial(inv.astype(int), 0.72), 0)
    bucket = "acme-expense-receipts-prod"

    def common(t, rid):
        lines = []
        if ctx.rng.random() < 0.035:      # user error, handled -> 400, not a Lambda error; same rate all day
            lines.append((0.01, "ERROR", "Rejected upload: unsupported content type 'image/heic' (user u_"
                                         f"{ctx.rng.integers(10000, 99999)})"))
        return lines

    def ok(i, t, rid):
        d = float(ctx.rng.lognormal(np.log(180), 0.35))
        key = f"{ctx.wall(t).strftime('%Y/%m/%d')}/r_{ctx.hex(10)}.pdf"
        if T[i] >= onset + 20 or not is_upload():      # after the change only the read path still succeeds
            return L.Outcome(d * 0.3, common(t, rid) + [(0.02, "INFO", f"Issued presigned GET for s3://{bucket}/{key}")])
        return L.Outcome(d, common(t, rid) + [(d / 1000 - 0.01, "INFO", f"Stored receipt s3://{bucket}/{key} "
                                                                      f"({ctx.rng.integers(40, 900)} KB)")])

    def fail(i, t, rid):
        d = float(ctx.rng.lognormal(np.log(95), 0.3))
        key = f"{ctx.wall(t).strftime('%Y/%m/%d')}/r_{ctx.hex(10)}.pdf"
        exc = ("botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject "
               f"operation: User: arn:aws:sts::{ACCOUNT}:assumed-role/receipt-uploader-role/{fn.name} is not "
               f"authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::{bucket}/{key}\" because no "
               "identity-based policy allows the s3:PutObject action")
        frames = [("/var/task/app.py", 64, "lambda_handler", "key = store_receipt(body, user_id)"),
                  ("/var/task/receipts/storage.py", 31, "store_receipt",
                   "s3.put_object(Bucket=BUCKET, Key=key, Body=data, ContentType=ctype)"),
                  ("/var/lang/lib/python3.12/site-packages/botocore/client.py", 565, "_api_call",
                   "return self._make_api_call(operation_name, kwargs)"),
                  ("/var/lang/lib/python3.12/site-packages/botocore/client.py", 1023, "_make_api_call",
                   "raise error_class(parsed_response, operation_name)")]
        o = L.Outcome(d, common(t, rid), kind="error")
        o.raw += L.py_unhandled(ctx, d / 1000 - 0.003, exc, frames)
        return o

    metrics, logs, errors = L.block(ctx, fn, inv, bad, ok, fail)
    m2, l2, _ = L.quiet(ctx, ocr, ctx.daily(3.0, 0.25, phase=-0.4), 5200,
                        lambda t: f"Textract AnalyzeExpense done: {ctx.rng.integers(3, 40)} line items, "
                                  f"confidence {ctx.rng.uniform(0.81, 0.99):.2f}", restarts=(-2280,))
    metrics += m2
    logs += l2
    al = alarm(ctx, "receipt-uploader-errors", find(metrics, "Errors", FunctionName=fn.name), "Sum", 60, 3, 5,
               description="Receipt upload Lambda errors > 5/min")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-05-receipt-upload-access-denied",
        "description": "Expense app: users cannot attach receipts; receipt-uploader Errors alarm is firing.",
        "region": region,
        "resources": [
            {"type": "lambda", "id": fn.name, "properties": {"runtime": fn.runtime, "timeout": fn.timeout,
                                                             "memory_size": fn.memory,
                                                             "role": f"arn:aws:iam::{ACCOUNT}:role/receipt-uploader-role",
                                                             "environment": {"BUCKET": bucket}}},
            {"type": "lambda", "id": ocr.name, "properties": {"runtime": ocr.runtime, "timeout": ocr.timeout,
                                                              "memory_size": ocr.memory}},
        ],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [
            # IAM is global: its CloudTrail events are recorded in us-east-1
            change(onset - 40, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "receipt-uploader-role",
                   "j.okafor", region="us-east-1"),
            change(-2280, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", ocr.name,
                   "github-actions"),
            change(-2270, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", ocr.name,
                   "github-actions"),
        ],
        "expect": {"alarm": al["name"], "root_cause": {"category": "permission_denied",
                                                        "resource": [fn.name, "receipt-uploader-role"]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn.name}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "permission_denied",
            "resources": [fn.name, "receipt-uploader-role"],
            "decoys": "receipt-ocr deploy 7 min before onset; handled 'unsupported content type' ERROR lines at a "
                      "constant rate; IAM event recorded in us-east-1 (global service)",
            "story": "An engineer tightening least-privilege rewrote the inline policy of receipt-uploader-role "
                     "(PutRolePolicy) and dropped `s3:PutObject`, keeping only read. From the next minute on every "
                     "upload path fails with `AccessDenied ... not authorized to perform: s3:PutObject ... because no "
                     "identity-based policy allows`; presigned GETs keep working, so about 70 % of invocations fail. "
                     "The receipt-ocr deploy is unrelated."}
    return scenario, meta


def s06():
    ctx = Ctx(606, "2026-11-26T02:50:00")
    region = "ap-northeast-1"
    fn = L.LambdaFn("quote-pricing", "python3.12", 512, 10, region, base_mem=132)
    warm = L.LambdaFn("quote-cache-warmer", "python3.12", 256, 60, region, base_mem=101)
    onset = -1980
    inv = ctx.counts(ctx.daily(19.0, 0.2))
    foreign = 0.58                                         # share of quotes needing an FX conversion
    bad = np.where(after(onset + 30), ctx.rng.binomial(inv.astype(int), foreign), 0)

    def ok(i, t, rid):
        d = float(ctx.rng.lognormal(np.log(85), 0.3))
        cur = ctx.rng.choice(["JPY", "JPY", "USD", "EUR", "SGD"]) if T[i] < onset + 30 else "JPY"
        lines = [(d / 1000 - 0.004, "INFO", f"quote q_{ctx.hex(12)} sku_count={ctx.rng.integers(1, 9)} "
                                            f"currency={cur} total={ctx.rng.integers(800, 90000)}")]
        if ctx.rng.random() < 0.05:
            lines.insert(0, (0.002, "WARNING", "Price list cache stale by 61s; serving cached prices"))
        return L.Outcome(d, lines)

    def fail(i, t, rid):
        d = float(ctx.rng.lognormal(np.log(24), 0.3))
        cur = ctx.rng.choice(["USD", "EUR", "SGD", "KRW"])
        frames = [("/var/task/handler.py", 38, "lambda_handler", "total = price_quote(body)"),
                  ("/var/task/pricing/quote.py", 77, "price_quote", f"rate = fx.rate('JPY', ccy)"),
                  ("/var/task/pricing/fx.py", 19, "rate", "headers = {'x-api-key': os.environ['FX_API_KEY']}"),
                  ("<frozen os>", 714, "__getitem__", "")]
        tb = L.py_traceback(frames, "KeyError: 'FX_API_KEY'").replace('    \n', '')
        o = L.Outcome(d, [(0.003, "INFO", f"pricing quote for currency={cur}")], kind="error")
        o.raw += [(d / 1000 - 0.002, L.LAMBDA_WARNING), (d / 1000 - 0.0015, "[ERROR] KeyError: 'FX_API_KEY'\n" + tb)]
        return o

    metrics, logs, errors = L.block(ctx, fn, inv, bad, ok, fail, restarts=(onset,))
    m2, l2, _ = L.quiet(ctx, warm, 1.0, 2300, lambda t: f"warmed {ctx.rng.integers(1800, 2100)} price list entries")
    dur = find(m2, "Duration", FunctionName=warm.name)
    for p in dur["points"]:
        if -2700 <= p[0] <= -2400:                       # benign: a bigger catalog import at 02:05 JST
            p[1] = round(p[1] * 3.4, 3)
    metrics += m2
    logs += l2
    al = alarm(ctx, "quote-pricing-errors", find(metrics, "Errors", FunctionName=fn.name), "Sum", 60, 3, 5,
               description="Quote pricing function errors")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-06-quote-pricing-env-var",
        "description": "Checkout quotes failing for non-JPY customers; quote-pricing Errors alarm fired overnight.",
        "region": region,
        "resources": [
            {"type": "lambda", "id": fn.name, "properties": {
                "runtime": fn.runtime, "timeout": fn.timeout, "memory_size": fn.memory,
                "environment": {"PRICE_TABLE": "price-list-prod", "FX_API_URL": "https://fx.internal.acme.co.jp/v2",
                                "FX_API_TOKEN": "****", "LOG_LEVEL": "INFO"}}},
            {"type": "lambda", "id": warm.name, "properties": {"runtime": warm.runtime, "timeout": warm.timeout,
                                                               "memory_size": warm.memory}},
        ],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [
            change(-14700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn.name,
                   "github-actions"),
            change(onset, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                   fn.name, "terraform-cloud"),
        ],
        "expect": {"alarm": al["name"], "root_cause": {"category": "config_change", "resource": [fn.name]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn.name}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "config_change", "resources": [fn.name],
            "decoys": "code deploy of the same function 4 h earlier (clean since); benign Duration spike on quote-cache-warmer ~10 min before onset; stale-cache WARNING at a constant rate",
            "story": "A Terraform run renamed the function's secret variable `FX_API_KEY` to `FX_API_TOKEN` "
                     "(UpdateFunctionConfiguration) without the matching code change. Every quote that needs a "
                     "currency conversion now raises `KeyError: 'FX_API_KEY'`; JPY quotes still succeed. The code "
                     "deploy four hours earlier ran cleanly for hours."}
    return scenario, meta
