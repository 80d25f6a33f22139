"""Lambda-centred incidents, part B: IAM policy detached, account concurrency limit, function timeout."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scenario, after, counts, iso, noisy, ramp, sigmoid, wave
from .stacks import java, lambda_function, py

# =========================================================================== h8-08 IAM policy detached


def go(t: float, level: str, msg: str, **kv) -> str:
    return json.dumps({"time": iso(t).replace("Z", "+00:00"), "level": level, "msg": msg, **kv})


def iam_detach(seed: int) -> Scenario:
    sc = Scenario("h8-08-invoice-renderer-s3-denied", "us-west-2",
                  "invoice-renderer Errors alarm; customers say invoice PDFs are missing from the portal.", seed)
    r = sc.rng
    change_t, onset = -1320, -1310
    sc.resource("lambda", "invoice-renderer", runtime="provided.al2023", architecture="arm64", timeout=30,
                memory_size=256, role="invoice-renderer-exec",
                environment={"INVOICE_BUCKET": "acme-invoices-prod", "FONT_CACHE": "/tmp/fonts"})
    sc.resource("lambda", "invoice-mailer", runtime="provided.al2023", architecture="arm64", timeout=30,
                memory_size=256)
    bad = after(onset)
    inv = counts(r, 11 * wave(r, 9000, 0.15))
    err = np.where(bad > 0, inv, 0)
    err = np.array([r.g.binomial(int(n), 0.97) if b else 0 for n, b in zip(inv, bad)], dtype=float)

    def head(rng, rid, t):
        inv_no = f"INV-2026-{rng.i(110000, 139999)}"
        return inv_no, [(0.01, go(t, "INFO", "render start", requestId=rid, invoice=inv_no,
                                  template=rng.choice(["eu-vat-v3", "us-std-v2", "uk-vat-v3"])))]

    def ok(rng, rid, t, i):
        inv_no, lines = head(rng, rid, t)
        d = rng.u(700, 1500)
        lines.append((d / 1000 - 0.2, go(t + d / 1000 - 0.2, "INFO", "rendered invoice", requestId=rid,
                                          invoice=inv_no, pages=rng.i(1, 4), bytes=rng.i(30000, 140000))))
        lines.append((d / 1000 - 0.05, go(t + d / 1000 - 0.05, "INFO", "uploaded", requestId=rid,
                                           key=f"s3://acme-invoices-prod/2026/11/{inv_no}.pdf")))
        if rng.u() < 0.06:  # fonts re-downloaded on some cold paths, all day
            lines.insert(1, (0.05, go(t + 0.05, "WARN", "font cache miss, fetching from s3://acme-assets/fonts",
                                      requestId=rid, font="NotoSansCJK-Regular.ttc")))
        return lines, d, None

    def fail(rng, rid, t, i):
        inv_no, lines = head(rng, rid, t)
        d = rng.u(650, 1300)
        req = rng.hex(16).upper()
        host = rng.hex(60)
        e = (f"operation error S3: PutObject, https response error StatusCode: 403, RequestID: {req}, "
             f"HostID: {host}, api error AccessDenied: User: arn:aws:sts::123456789012:assumed-role/"
             f"invoice-renderer-exec/invoice-renderer is not authorized to perform: s3:PutObject on resource: "
             f"\"arn:aws:s3:::acme-invoices-prod/2026/11/{inv_no}.pdf\" because no identity-based policy allows "
             f"the s3:PutObject action")
        lines.append((d / 1000 - 0.2, go(t + d / 1000 - 0.2, "INFO", "rendered invoice", requestId=rid,
                                          invoice=inv_no, pages=rng.i(1, 4), bytes=rng.i(30000, 140000))))
        lines.append((d / 1000 - 0.03, go(t + d / 1000 - 0.03, "ERROR", "upload failed", requestId=rid,
                                           invoice=inv_no, err=e)))
        lines.append((d / 1000 - 0.01, json.dumps({"errorMessage": e, "errorType": "OperationError"})))
        return lines, d, None

    lambda_function(sc, "invoice-renderer", inv=inv, err=err, dur_ms=1050, ok=ok, fail=fail, memory_size=256,
                    mem_used=(96, 140), log_from=-10800, streams=3, init_ms=(60, 140))
    # mailer only sends what was uploaded: it gets quieter, never fails
    mi = counts(r, 10.5 * wave(r, 9000, 0.15) * (1 - 0.97 * bad))

    def mail_ok(rng, rid, t, i):
        return [(0.2, go(t + 0.2, "INFO", "invoice email queued", requestId=rid,
                         ses_message_id=f"0101019{rng.hex(9)}-{rng.uuid()}-000000"))], rng.u(180, 400), None

    lambda_function(sc, "invoice-mailer", inv=mi, err=np.zeros(N), dur_ms=260, ok=mail_ok, memory_size=256,
                    mem_used=(40, 55), log_from=-10800, streams=2, init_ms=(50, 120))
    sc.change(-1500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "invoice-mailer", "github-actions")
    sc.change(change_t, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", "invoice-renderer-exec",
              "terraform-platform")
    sc.change(change_t + 8, "iam.amazonaws.com", "DeletePolicy", "AWS::IAM::Policy", "invoice-bucket-write",
              "terraform-platform")
    sc.alarm("invoice-renderer-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-renderer"},
             stat="Sum", period=60, evals=3, threshold=3, onset=onset)
    sc.expect = {"alarm": "invoice-renderer-errors",
                 "root_cause": {"category": "permission_denied",
                                "resource": ["invoice-renderer", "invoice-renderer-exec"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": "invoice-renderer"}}]}
    sc.readme = dict(
        category="permission_denied", accepted="invoice-renderer (role invoice-renderer-exec)",
        decoys="invoice-mailer deployed 3 min before the IAM change; mailer volume drops (symptom); font-cache WARN",
        story="A Terraform refactor detached and deleted the invoice-bucket-write policy from invoice-renderer's "
              "execution role. Since then the Go function renders PDFs but every S3 PutObject fails with "
              "AccessDenied (no identity-based policy allows s3:PutObject). A deploy of invoice-mailer minutes "
              "earlier is unrelated.")
    return sc


# =========================================================================== h8-09 account concurrency


def account_concurrency(seed: int) -> Scenario:
    sc = Scenario("h8-09-push-notify-account-throttles", "eu-west-2",
                  "notify-push Throttles alarm: mobile push notifications delayed or missing.", seed)
    r = sc.rng
    onset = -2280
    sc.resource("lambda", "notify-push", runtime="python3.12", timeout=15, memory_size=256)
    sc.resource("lambda", "csv-import", runtime="python3.12", timeout=900, memory_size=2048,
                environment={"SOURCE_BUCKET": "partner-dropbox-prod", "CHUNK_ROWS": "5000"})
    sc.resource("lambda", "orders-webhook", runtime="python3.12", timeout=30, memory_size=512)
    imp = sigmoid(onset, 150)
    # the import fans out: one invocation per 5000-row chunk, each running ~14 min
    ci_conc = np.round(noisy(r, 2 + 968 * imp, 0.004, 0, 975))
    ci_inv = counts(r, 0.1 + 68 * imp)
    demand = 30 * wave(r, 8000, 0.12)
    throttle_frac = 0.62 * imp
    want = counts(r, demand)
    thr = np.round(want * throttle_frac)
    inv = want - thr

    def push_ok(rng, rid, t, i):
        return [(0.01, py("INFO", rid, t, f"sending push batch campaign=order_update tokens={rng.i(1, 40)}")),
                (0.2, py("INFO", rid, t + 0.2, f"FCM accepted {rng.i(1, 40)} APNs accepted {rng.i(0, 20)}"))], \
            None, None

    lambda_function(sc, "notify-push", inv=inv, err=np.zeros(N), dur_ms=310, ok=push_ok, memory_size=256,
                    mem_used=(70, 90), log_from=-5400, throttles=thr, streams=3)

    def imp_ok(rng, rid, t, i):
        if T[i] < onset - 600:
            return [(0.5, py("INFO", rid, t + 0.5, "no new partner files"))], rng.u(400, 900), None
        part = rng.i(1, 1400)
        return [(0.3, py("INFO", rid, t + 0.3, f"processing s3://partner-dropbox-prod/2026-11-20/catalog_full.csv "
                                               f"part {part}/1400 rows=5000")),
                (400, py("WARNING", rid, t + 400, f"row {rng.i(1, 5000)}: invalid EAN '{rng.i(10 ** 11, 10 ** 12)}', "
                                                  "skipped")),
                (820, py("INFO", rid, t + 820, f"part {part} upserted 4998 rows"))], rng.u(780, 880) * 1000, None

    lambda_function(sc, "csv-import", inv=ci_inv, err=np.zeros(N), dur_ms=np.where(T < onset - 600, 650.0, 830000.0),
                    ok=imp_ok, memory_size=2048,
                    mem_used=(900, 1300), log_from=-3300, concurrency=ci_conc, streams=6)
    wh_inv = counts(r, 6 * wave(r, 6000, 0.2))
    wh_thr = np.round(wh_inv * 0.4 * imp * r.g.uniform(0.5, 1.2, N))
    wh = np.maximum(0, wh_inv - wh_thr)

    def wh_ok(rng, rid, t, i):
        return [(0.05, py("INFO", rid, t, f"order webhook shopify topic=orders/updated id={rng.i(10 ** 9, 10 ** 10)}"))
                ], None, None

    lambda_function(sc, "orders-webhook", inv=wh, err=np.zeros(N), dur_ms=140, ok=wh_ok, memory_size=512,
                    mem_used=(60, 75), log_from=-7200, throttles=wh_thr, streams=2)
    notify_conc = sc.get("AWS/Lambda", "ConcurrentExecutions", {"FunctionName": "notify-push"})
    wh_conc = sc.get("AWS/Lambda", "ConcurrentExecutions", {"FunctionName": "orders-webhook"})
    acct = np.minimum(1000, ci_conc + notify_conc + wh_conc + np.round(noisy(r, 9, 0.3)))
    acct = np.where(imp > 0.9, 1000 - r.g.integers(0, 2, N), acct)  # pinned at the regional quota
    sc.metric("AWS/Lambda", "ConcurrentExecutions", {}, "Count", acct)
    sc.metric("AWS/Lambda", "UnreservedConcurrentExecutions", {}, "Count", acct)
    sc.change(-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "notify-push", "github-actions")
    sc.alarm("notify-push-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "notify-push"}, stat="Sum",
             period=60, evals=3, threshold=5, onset=onset)
    sc.expect = {"alarm": "notify-push-throttles",
                 "root_cause": {"category": "throttling", "resource": ["notify-push", "csv-import"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "ConcurrentExecutions", "dimensions": {}}]}
    sc.readme = dict(
        category="throttling", accepted="notify-push, csv-import (account-level ConcurrentExecutions at 1000)",
        decoys="notify-push code deploy 4.5 h earlier; orders-webhook also throttled (collateral); invalid-EAN WARNs",
        story="A partner dropped a full catalogue file; csv-import (no reserved concurrency) fanned out to ~970 "
              "concurrent 14-minute invocations and the account hit its regional 1000 ConcurrentExecutions quota. "
              "notify-push, which is itself unchanged and unreserved, is throttled for most of its requests.")
    return sc


# =========================================================================== h8-15 function timeout


def export_timeout(seed: int) -> Scenario:
    sc = Scenario("h8-15-report-export-timeouts", "ca-central-1",
                  "report-export Errors alarm; customers say CSV exports never arrive.", seed)
    r = sc.rng
    onset = -3000
    sc.resource("lambda", "report-export", runtime="java17", timeout=60, memory_size=2048,
                environment={"EXPORT_BUCKET": "northwind-exports-ca", "PAGE_SIZE": "1000"})
    sc.resource("lambda", "export-notifier", runtime="java17", timeout=20, memory_size=512,
                reserved_concurrency=5)
    big = ramp(onset - 600, onset + 900)
    inv = counts(r, 4.0 * wave(r, 7200, 0.2))
    p_big = 0.05 + 0.6 * big

    def plan(rng, i):
        return "$LATEST", rng.u() < p_big[i] and T[i] >= onset - 300

    tenants = ["t-0192", "t-1187", "t-2210", "t-3006", "t-4410", "t-5521"]

    def ok(rng, rid, t, i):
        rows = rng.i(2000, 60000)
        d = 900 + rows * 0.35 + rng.u(0, 800)
        lines = [(0.02, java("INFO", rid, t, "c.n.e.ExportHandler", f"export start tenant={rng.choice(tenants)} "
                                                                     f"range=30d format=csv")),
                 (d / 1000 - 0.3, java("INFO", rid, t + d / 1000 - 0.3, "c.n.e.ExportHandler",
                                       f"export done rows={rows} bytes={rows * 212} "
                                       f"key=exports/{rng.hex(12)}.csv"))]
        if rng.u() < 0.1:
            lines.insert(1, (0.5, java("WARN", rid, t + 0.5, "c.n.e.S3Writer",
                                       "multipart part size 5 MiB below recommended 8 MiB")))
        return lines, d, None

    def fail(rng, rid, t, i):
        lines = [(0.02, java("INFO", rid, t, "c.n.e.ExportHandler",
                             "export start tenant=t-7781 range=730d format=csv"))]
        for k in range(1, 60, 6):
            lines.append((k, java("INFO", rid, t + k, "c.n.e.ExportHandler",
                                  f"page {k * 9} fetched rows={k * 9000} heap={rng.i(700, 1400)}MB")))
        lines.append((60.0, f"{iso(t + 60.0)} {rid} Task timed out after 60.06 seconds"))
        return lines, 60000.0 + rng.u(10, 70), "timeout"

    lambda_function(sc, "report-export", inv=inv, dur_ms=9000, ok=ok, fail=fail, plan=plan, memory_size=2048,
                    mem_used=(600, 1500), log_from=-10800, streams=3, init_ms=(2100, 3200), cold_rate=0.05)
    ni = counts(r, 3.0 * wave(r, 7200, 0.2))
    lambda_function(sc, "export-notifier", inv=ni, err=np.zeros(N), dur_ms=220, memory_size=512,
                    ok=lambda rng, rid, t, i: ([(0.1, java("INFO", rid, t + 0.1, "c.n.n.Notifier",
                                                            f"export link mailed to user {rng.i(1000, 9999)}"))],
                                               None, None), log_from=-10800, mem_used=(150, 170))
    sc.change(-2100, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function",
              "export-notifier", "s.gagnon")
    sc.alarm("report-export-errors", "AWS/Lambda", "Errors", {"FunctionName": "report-export"}, stat="Sum",
             period=300, evals=2, threshold=4, onset=onset)
    sc.expect = {"alarm": "report-export-errors",
                 "root_cause": {"category": "function_timeout", "resource": ["report-export"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": "report-export"}}]}
    sc.readme = dict(
        category="function_timeout", accepted="report-export",
        decoys="PutFunctionConcurrency on export-notifier 35 min ago; constant multipart-size WARN",
        story="A large tenant started requesting two-year CSV exports. report-export (Java 17, 60 s timeout) "
              "pages through the data and is killed at 60 s (`Task timed out after 60.06 seconds`, REPORT "
              "Status: timeout). No dependency errors, no change to the function; Duration sits at the timeout.")
    return sc
