"""h36-03 Mon 16:40 CET, billing (snake_case, _live): billing_invoice_export_live errors.

Terraform replaced the function role's inline policy at -2280; the new S3 resource scope misses
the exports/ prefix and every upload is denied.
"""
from __future__ import annotations

import json

from .common import Scenario, anomaly
from .lam import Lambda, Outcome

FN, DECOY = "billing_invoice_export_live", "billing_dunning_mailer_live"
ROLE = "billing_invoice_export_live_role"
ACCT, BUCKET = "418295730164", "acme-billing-exports-live"
T_IAM = -2280

META = {
    "region": "eu-central-1", "category": "permission_denied", "front": "origin",
    "resources": [FN],
    "decoys": "billing_dunning_mailer_live code deploy 27 min before the IAM change (healthy); steady font-"
              "fallback WARN on every third invoice; an OK duration alarm on the mailer",
    "story": (
        "billing_invoice_export_live renders finalised invoices to PDF and writes them to S3. "
        "At -38 min terraform-billing ran PutRolePolicy on the function's execution role; from "
        "the next invocation every upload ends in `AccessDenied: User: arn:aws:sts::...:assumed-"
        "role/billing_invoice_export_live_role/... is not authorized to perform: s3:PutObject ... "
        "because no identity-based policy allows the s3:PutObject action`. Rendering still works "
        "(duration unchanged), so it is not the code; the only code deploy that day was to a "
        "different function half an hour earlier. AccessDenied right after an IAM change: "
        "permission_denied, origin the export function."),
}

SDK = "/var/runtime/node_modules/@aws-sdk"


def _denied(s, key):
    msg = (f"User: arn:aws:sts::{ACCT}:assumed-role/{ROLE}/{FN} is not authorized to perform: "
           f's3:PutObject on resource: "arn:aws:s3:::{BUCKET}/{key}" because no identity-based policy '
           "allows the s3:PutObject action")
    rid = s.hexid(16).upper()
    body = {"errorType": "AccessDenied", "errorMessage": msg, "name": "AccessDenied",
            "$fault": "client",
            "$metadata": {"httpStatusCode": 403, "requestId": rid,
                          "extendedRequestId": s.hexid(40), "attempts": 1, "totalRetryDelay": 0},
            "Code": "AccessDenied", "RequestId": rid, "HostId": s.hexid(40), "message": msg,
            "stack": [f"AccessDenied: {msg}",
                      f"    at throwDefaultError ({SDK}/node_modules/@smithy/smithy-client/dist-cjs/index.js:838:20)",
                      f"    at {SDK}/node_modules/@smithy/smithy-client/dist-cjs/index.js:847:5",
                      f"    at de_CommandError ({SDK}/client-s3/dist-cjs/index.js:4756:14)",
                      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
                      f"    at async {SDK}/node_modules/@smithy/middleware-serde/dist-cjs/index.js:35:20",
                      f"    at async {SDK}/client-s3/dist-cjs/index.js:484:18",
                      "    at async uploadPdf (/var/task/src/storage.js:41:3)",
                      "    at async Runtime.handler (/var/task/src/index.js:67:5)"]}
    return "Invoke Error \t" + json.dumps(body, separators=(",", ":"))


def build() -> Scenario:
    s = Scenario(3, "invoice-export-s3-denied", 3603, "eu-central-1",
                 "Paged 16:40 CET by billing_invoice_export_live_errors; customers' invoice PDFs "
                 "are missing from the portal.", "2026-03-09T15:40:00", 1)
    r = s.rng
    s.resource("lambda", FN, runtime="nodejs20.x", timeout=60, memory_size=1024,
               role=f"arn:aws:iam::{ACCT}:role/{ROLE}", event_source="sqs:billing_invoice_finalised_live")
    s.resource("lambda", DECOY, runtime="nodejs20.x", timeout=30, memory_size=256,
               schedule="cron(*/10 * * * ? *)")

    def outcome(t):
        inv = f"INV-2026-0309-{r.randint(10000, 99999)}"
        lines_n, pages = r.randint(1, 30), r.randint(1, 4)
        rend = r.uniform(450, 1400)
        dur = rend + r.uniform(60, 180)
        key = f"exports/invoices/2026/03/{inv}.pdf"
        lines = [(0.002, "INFO", f"rendering invoice {inv} customer=cus_{s.hexid(10)} lines={lines_n}")]
        if r.random() < 0.33:
            lines.append((0.2, "WARN", 'font fallback: glyph U+2009 not found in "Inter-Regular", using "DejaVuSans"'))
        lines.append((rend / 1000, "INFO", f"rendered invoice {inv} pages={pages} bytes={r.randint(40000, 260000)} in {int(rend)}ms"))
        if t >= T_IAM + 6:
            return Outcome("error", dur, r.randint(188, 230), lines + [(dur / 1000 - 0.005, "ERROR", _denied(s, key))])
        lines.append((dur / 1000 - 0.004, "INFO", f'uploaded s3://{BUCKET}/{key} etag="{s.hexid(32)}"'))
        return Outcome("ok", dur, r.randint(182, 226), lines)

    def rate(t):
        base = 10 * s.diurnal(t, floor=0.2, peak=13, width=4.5)
        return base * (1.35 if t > T_IAM + 180 else 1.0)     # SQS redeliveries of failed messages

    pts = Lambda(s, FN, "nodejs20.x", 1024, 60, log_start=-7200, init_ms=(380, 820)).run(rate, outcome)

    def mailer(t):
        n = r.randint(0, 40)
        lines = [(0.01, "INFO", f"dunning run: {n} overdue accounts in stage reminder-{r.randint(1, 3)}")]
        if n:
            lines.append((0.6, "INFO", f"queued {n} reminder emails via SES (template dunning_v{'4' if t >= -3900 else '3'})"))
        return Outcome("ok", r.uniform(700, 1900), r.randint(92, 110), lines)
    Lambda(s, DECOY, "nodejs20.x", 256, 30, log_start=-7200,
           versions=[(-10 ** 9, "a", "$LATEST"), (-3890, "b", "$LATEST")]).run(
        lambda t: 1.0 if (t // 60) % 10 == 0 else 0.0, mailer, exact=True)

    s.change(-3900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             DECOY, "gitlab-ci-billing")
    s.change(T_IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", ROLE, "terraform-billing")
    s.change(-15200, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
             "AWS::Lambda::Function", DECOY, "gitlab-ci-billing")

    dims = {"FunctionName": FN}
    s.alarm(f"{FN}_errors", "AWS/Lambda", "Errors", dims, pts["Errors"], "Sum", 300, 1, 10,
            "GreaterThanThreshold", "Invoice PDF export failures")
    s.quiet_alarm(f"{DECOY}_duration", "AWS/Lambda", "Duration", {"FunctionName": DECOY}, "Maximum",
                  300, 1, 25000, "GreaterThanThreshold", state="OK", changed=-40000)
    s.expect(f"{FN}_errors", "permission_denied", META["resources"],
             [anomaly("AWS/Lambda", "Errors", dims)])
    s.meta = META
    return s
