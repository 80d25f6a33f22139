"""Lambda-origin incidents: config vs deploy, memory lowered, IAM, app error, timeout, throttling, deploy."""
from __future__ import annotations

import numpy as np

from .common import (T, alarm, change, counts, find, lambda_bundle, node_error, noisy, py_error, rng_for,
                     scenario, step, timeout_body, wall, hexid)

L = "lambda.amazonaws.com"
FN = "AWS::Lambda::Function"


def _ok(lines, dur, mem):
    def make(ts, failed, r, rng):
        return [(0.01, rng.choice(lines).format(n=rng.integers(10**6, 10**7), k=rng.integers(1, 90), rid="{rid}"))], \
            max(5.0, rng.normal(*dur)), rng.normal(*mem), ""
    return make


def h01(seed=1301):
    rng, reg, fn = rng_for(seed), "eu-west-1", "payments-webhook"
    onset = -2400
    inv_l = noisy(rng, 12, 0.05)
    ratio = step(onset, 0.0, 0.86)

    def make(ts, failed, r, rng):
        dur = max(8, rng.normal(140, 35))
        body = []
        if rng.random() < 0.04:
            body.append((0.005, f"[WARNING]\t{r}\tDuplicate event evt_{hexid(rng, 14)} ignored (idempotency key already seen)"))
        if failed:
            body.append((0.03, py_error("KeyError", [
                ("/var/task/app.py", 31, "lambda_handler", "verify_signature(event['headers'], event['body'])"),
                ("/var/task/webhook/security.py", 18, "verify_signature", "secret = os.environ['WEBHOOK_SIGNING_SECRET']"),
                ("/var/lang/lib/python3.12/os.py", 714, "__getitem__", "raise KeyError(key) from None")],
                "'WEBHOOK_SIGNING_SECRET'")))
            return body, rng.normal(38, 8), rng.normal(92, 4), ""
        body.append((0.05, f"[INFO]\t{r}\tProcessed payment_intent.succeeded pi_{hexid(rng, 16)} -> ledger ok"))
        return body, dur, rng.normal(96, 5), ""
    inv = counts(rng, inv_l)
    err = np.round(inv * ratio * rng.uniform(0.9, 1.0, len(T)))
    m1, log1, _, _ = lambda_bundle(rng, fn, 256, inv_l, err, make, 140, inv=inv)
    m2, log2, _, _ = lambda_bundle(rng, "ledger-reconciler", 1024, noisy(rng, 1, 0.3), np.zeros(len(T)),
                                   _ok(["[INFO]\t{rid}\tReconciled batch of {k} ledger entries"], (2400, 300), (300, 15)), 2400)
    metrics = m1 + m2
    al = alarm("payments-webhook-errors", find(metrics, "Errors", FunctionName=fn), "Sum", 60, 3, 5,
               description="Stripe webhook Lambda errors")
    changes = [change(onset - 60, L, "UpdateFunctionCode20150331v2", FN, fn, "github-actions-deploy"),
               change(onset - 45, L, "UpdateFunctionConfiguration20150331v2", FN, fn, "github-actions-deploy"),
               change(onset - 30, L, "PublishVersion20150331", FN, fn, "github-actions-deploy"),
               change(-14100, L, "UpdateFunctionCode20150331v2", FN, "ledger-reconciler", "github-actions-deploy")]
    res = [{"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 256,
                                                        "environment": {"LEDGER_TABLE": "ledger-prod", "STAGE": "prod"}}},
           {"type": "lambda", "id": "ledger-reconciler", "properties": {"runtime": "python3.12", "timeout": 300, "memory_size": 1024}}]
    doc = scenario("h13-01-webhook-release-missing-secret", "Stripe webhooks failing; payments-webhook Errors alarm paged.",
                   reg, res, metrics, [log1, log2], [al], changes,
                   {"alarm": al["name"], "root_cause": {"category": "config_change", "resource": [fn]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]})
    meta = dict(category="config_change", accepted=[fn],
                decoys="ledger-reconciler code deploy 4 h earlier; pre-existing duplicate-event WARNINGs at constant rate",
                rule="config beats deploy: the release shipped code AND a new environment; errors name the missing setting",
                story="A CI release updated code and, in the same pipeline run, replaced the function's environment with a "
                      "new set that no longer contained WEBHOOK_SIGNING_SECRET. Every signed webhook now dies with "
                      "KeyError: 'WEBHOOK_SIGNING_SECRET' at os.environ lookup.")
    return doc, meta


def h07(seed=1307):
    rng, reg, fn = rng_for(seed), "us-east-1", "report-builder"
    onset = -3000
    inv_l = noisy(rng, 4, 0.1)

    def make(ts, failed, r, rng):
        pages = int(rng.integers(5, 60))
        if failed:
            return [(0.02, f"[INFO]\t{r}\tBuilding report rpt_{hexid(rng, 10)} for account {rng.integers(10000, 99999)} ({pages} sections)"),
                    (9.0, f"RequestId: {r} Error: Runtime exited with error: signal: killed\nRuntime.ExitError")], \
                rng.normal(9500, 2500), 512, "\tStatus: error\tError Type: Runtime.OutOfMemory"
        body = [(0.02, f"[INFO]\t{r}\tBuilding report rpt_{hexid(rng, 10)} for account {rng.integers(10000, 99999)} ({pages} sections)")]
        if rng.random() < 0.3:
            body.append((0.5, f"[WARNING]\t{r}\t/var/task/pandas/core/frame.py:1092: FutureWarning: DataFrame.applymap has been deprecated."))
        body.append((11.0, f"[INFO]\t{r}\tReport uploaded to s3://acme-reports-prod/{hexid(rng, 12)}.xlsx"))
        used = rng.normal(640, 70) if ts < onset else rng.normal(430, 40)
        return body, rng.normal(14000, 3000), min(used, 505 if ts >= onset else 1000), ""
    inv = counts(rng, inv_l)
    err = np.round(inv * step(onset, 0, 0.62) * rng.uniform(0.85, 1.1, len(T)))
    m1, log1, _, _ = lambda_bundle(rng, fn, lambda ts: 1024 if ts < onset else 512, inv_l, err, make, 14000, inv=inv)
    m2, log2, _, _ = lambda_bundle(rng, "report-scheduler", 128, np.where(T % 900 == 0, 1, 0.02), np.zeros(len(T)),
                                   _ok(["[INFO]\t{rid}\tEnqueued {k} report jobs"], (300, 40), (61, 2)), 300)
    metrics = m1 + m2
    al = alarm("report-builder-errors", find(metrics, "Errors", FunctionName=fn), "Sum", 300, 2, 5)
    changes = [change(onset - 120, L, "UpdateFunctionConfiguration20150331v2", FN, fn, "jsmith"),
               change(-15200, L, "PutFunctionConcurrency20171031", FN, "report-scheduler", "jsmith")]
    res = [{"type": "lambda", "id": fn, "properties": {"runtime": "python3.11", "timeout": 120, "memory_size": 512}},
           {"type": "lambda", "id": "report-scheduler", "properties": {"runtime": "python3.11", "timeout": 60, "memory_size": 128,
                                                                       "reserved_concurrency": 1}}]
    doc = scenario("h13-07-report-builder-memory-lowered", "Customer report exports failing; report-builder errors alarm.",
                   reg, res, metrics, [log1, log2], [al], changes,
                   {"alarm": al["name"], "root_cause": {"category": "config_change", "resource": [fn]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]})
    meta = dict(category="config_change", accepted=[fn],
                decoys="report-scheduler concurrency change 4 h earlier; constant pandas FutureWarning noise",
                rule="config beats the symptom: memory_size lowered 1024->512 by UpdateFunctionConfiguration just before the OOMs",
                story="A cost-cutting change lowered report-builder's memory from 1024 MB to 512 MB. Reports used "
                      "~640 MB before; now larger reports are killed (Runtime.OutOfMemory, Max Memory Used: 512 MB).")
    return doc, meta


def _res(fn, runtime, timeout, mem, **extra):
    return {"type": "lambda", "id": fn, "properties": {"runtime": runtime, "timeout": timeout, "memory_size": mem, **extra}}


def _doc(name, desc, reg, res, metrics, logs, al, changes, cat, accepted, anomaly_fn, meta):
    doc = scenario(name, desc, reg, res, metrics, logs, [al], changes,
                   {"alarm": al["name"], "root_cause": {"category": cat, "resource": accepted},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": anomaly_fn}}]})
    return doc, dict(category=cat, accepted=accepted, **meta)


def h09(seed=1309):
    rng, reg, fn = rng_for(seed), "ca-central-1", "invoice-export"
    onset = -1900
    acct = "482913374651"

    def make(ts, failed, r, rng):
        inv_id = f"inv_{hexid(rng, 12)}"
        if failed:
            msg = (f"User: arn:aws:sts::{acct}:assumed-role/invoice-export-role/{fn} is not authorized to perform: "
                   f"s3:PutObject on resource: \\\"arn:aws:s3:::acme-invoices-ca/2026/11/20/{inv_id}.pdf\\\" "
                   f"because no identity-based policy allows the s3:PutObject action")
            return [(0.02, f"{wall(ts)}\t{r}\tINFO\tRendering invoice {inv_id}"),
                    (0.9, node_error(ts + 0.9, "AccessDenied", msg.replace('\\"', '"'),
                                     ["de_error (/var/runtime/node_modules/@aws-sdk/client-s3/dist-cjs/index.js:4874:21)",
                                      "async uploadPdf (/var/task/src/storage.js:22:5)",
                                      "async Runtime.handler (/var/task/index.js:37:3)"]))], rng.normal(980, 120), rng.normal(141, 5), ""
        return [(0.02, f"{wall(ts)}\t{r}\tINFO\tRendering invoice {inv_id}"),
                (1.0, f"{wall(ts + 1)}\t{r}\tINFO\tUploaded s3://acme-invoices-ca/2026/11/20/{inv_id}.pdf")], \
            rng.normal(1150, 150), rng.normal(143, 5), ""
    inv = counts(rng, noisy(rng, 9, 0.06))
    err = np.where(T >= onset, inv, 0)
    m1, log1, _, _ = lambda_bundle(rng, fn, 256, None, err, make, 1150, inv=inv)

    def notif(ts, failed, r, rng):
        if failed:
            return [(0.3, f"{wall(ts)}\t{r}\tERROR\tInvoke Error \t{{\"errorType\":\"MessageRejected\",\"errorMessage\":\"Email address is not verified. The following identities failed the check in region CA-CENTRAL-1: billing@acme-old.example\"}}")], \
                rng.normal(310, 40), 88, ""
        return [(0.3, f"{wall(ts)}\t{r}\tINFO\tInvoice e-mail queued for cust_{hexid(rng, 8)}")], rng.normal(290, 40), 87, ""
    inv2 = counts(rng, noisy(rng, 6, 0.08))
    m2, log2, _, _ = lambda_bundle(rng, "invoice-notifier", 128, None, counts(rng, np.full(len(T), 0.7)), notif, 300, inv=inv2)
    metrics = m1 + m2
    al = alarm("invoice-export-errors", find(metrics, "Errors", FunctionName=fn), "Sum", 60, 3, 2)
    changes = [change(onset - 90, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", "invoice-export-role", "secops-automation"),
               change(-9000, L, "UpdateFunctionConfiguration20150331v2", FN, fn, "dlee")]
    res = [_res(fn, "nodejs20.x", 60, 256, role="invoice-export-role"), _res("invoice-notifier", "nodejs20.x", 30, 128)]
    return _doc("h13-09-invoice-export-role-policy-detached", "Invoice PDFs not being exported; invoice-export errors alarm.",
                reg, res, metrics, [log1, log2], al, changes, "permission_denied", [fn, "invoice-export-role"], fn,
                dict(decoys="invoice-export timeout raised 2.5 h earlier (healthy since); invoice-notifier SES MessageRejected errors at a flat rate all day",
                     rule="AccessDenied after an IAM change is permission_denied (the IAM change is its usual trigger, not a config_change of the function)",
                     story="A security automation detached the S3 write policy from invoice-export-role. Every export now fails "
                           "with AccessDenied on s3:PutObject. The only function-level change was a timeout bump hours earlier."))


def h10(seed=1310):
    rng, reg, fn = rng_for(seed), "eu-north-1", "card-authorizer"
    onset = -2050

    def make(ts, failed, r, rng):
        amt = f"{rng.uniform(3, 400):.2f}"
        body = [(0.01, f"{wall(ts)}\t{r}\tINFO\tauthorize card=**** {rng.integers(1000, 9999)} amount={amt} SEK")]
        if rng.random() < 0.05:
            body.append((0.4, f"{wall(ts + 0.4)}\t{r}\tWARN\tSlow response from fraud-score ({rng.integers(700, 1400)} ms)"))
        if failed:
            body.append((0.3, f"{wall(ts + 0.3)}\t{r}\tINFO\tauthorization denied by issuer; mapping decline reason"))
            body.append((0.31, node_error(ts + 0.31, "TypeError", "Cannot read properties of undefined (reading 'code')",
                                          ["mapDeclineReason (/var/task/src/decline.js:41:38)",
                                           "toAuthResponse (/var/task/src/authorize.js:88:19)",
                                           "Runtime.handler (/var/task/index.js:24:12)"])))
            return body, rng.normal(330, 50), rng.normal(118, 4), ""
        if rng.random() < 0.1:
            body.append((0.3, f"{wall(ts + 0.3)}\t{r}\tINFO\tauthorization denied by issuer: reason=do_not_honor"))
        else:
            body.append((0.3, f"{wall(ts + 0.3)}\t{r}\tINFO\tauthorization approved auth_code={hexid(rng, 6).upper()}"))
        return body, rng.normal(340, 60), rng.normal(118, 4), ""
    inv = counts(rng, noisy(rng, 22, 0.05))
    err = np.round(inv * step(onset, 0, 0.42, 300) * rng.uniform(0.7, 1.2, len(T)))
    m1, log1, _, _ = lambda_bundle(rng, fn, 256, None, err, make, 340, inv=inv)
    m2, log2, _, _ = lambda_bundle(rng, "card-tokenizer", 256, noisy(rng, 14, 0.08), np.zeros(len(T)),
                                   _ok(["{rid} INFO tokenized pan -> tok_{n}"], (60, 10), (90, 3)), 60)
    metrics = m1 + m2
    al = alarm("card-authorizer-errors", find(metrics, "Errors", FunctionName=fn), "Sum", 60, 3, 3)
    changes = [change(-7300, L, "UpdateFunctionCode20150331v2", FN, "card-tokenizer", "codepipeline"),
               change(-7280, L, "PublishVersion20150331", FN, "card-tokenizer", "codepipeline")]
    res = [_res(fn, "nodejs20.x", 10, 256), _res("card-tokenizer", "nodejs20.x", 10, 256)]
    return _doc("h13-10-card-authorizer-decline-typeerror", "Card authorizations erroring; card-authorizer errors alarm.",
                reg, res, metrics, [log1, log2], al, changes, "application_error", [fn], fn,
                dict(decoys="card-tokenizer deploy 2 h earlier; 'authorization denied by issuer' INFO lines (business outcome) all day; fraud-score slow WARNs at constant rate",
                     rule="unhandled exception, no change on this function and no resource fault; 'denied' is a business outcome, not an IAM error",
                     story="An issuer started returning declines without a reason object; the decline mapper dereferences "
                           "reason.code and throws TypeError for those declines. Nothing was changed in the account."))
