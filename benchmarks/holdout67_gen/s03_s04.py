"""h67-03 (Lambda configuration change, us-west-2) and
h67-04 (Lambda permission denied after an IAM change, ap-southeast-1)."""
from __future__ import annotations

import json

from . import kit
from .common import Scenario, bump, step
from .runtimes import LambdaLogs


# =========================================================================== 03
def build_03() -> Scenario:
    sc = Scenario(3, "price-quote-errors-usw2", "price-quote Errors alarm in us-west-2; some "
                  "carts show 'price unavailable'.", "us-west-2", 67003, "2026-11-29T02:15:00")
    EU = "eu-west-1"
    cause, decoy = -3030, -2990
    for reg in ("us-west-2", EU):
        sc.resource("lambda", "price-quote", region=reg, runtime="python3.12", timeout=10,
                    memory_size=512)
        sc.resource("lambda", "wishlist-sync", region=reg, runtime="python3.12", timeout=60,
                    memory_size=256)
    lw, le = kit.load(sc, "us-west-2", 0.3, 19), kit.load(sc, EU, 0.3, 19)
    bad = lambda t: step(t, cause + 10, 0, 1)  # noqa: E731
    rate = lambda t: 16 * lw(t)                # noqa: E731
    fn = kit.lam(sc, "price-quote", rate, lambda t: 240 - 60 * bad(t),
                 ratio=lambda t: 0.42 * bad(t))
    kit.lam(sc, "price-quote", lambda t: 12 * le(t), lambda t: 235 + 30 * bump(t, -3000, -2400, 1),
            region=EU)
    kit.lam(sc, "wishlist-sync", lambda t: 3 * lw(t), lambda t: 1800 + 900 * bump(t, -2950, -2600, 1),
            err=lambda t: 0.05)
    kit.lam(sc, "wishlist-sync", lambda t: 3 * le(t), lambda t: 1750, region=EU)

    ll = LambdaLogs(sc, "price-quote", "python3.12", 512, 10, mem_used=(96, 8),
                    retire=(cause,), prewarm=-7740)
    tb = ("[ERROR] ValueError: invalid literal for int() with base 10: '2s'\n"
          "Traceback (most recent call last):\n"
          "  File \"/var/task/handler.py\", line 61, in lambda_handler\n"
          "    quote = pricing.quote(cart, currency=currency)\n"
          "  File \"/var/task/pricing/engine.py\", line 118, in quote\n"
          "    rate = fx.client().convert(total, \"USD\", currency)\n"
          "  File \"/var/task/pricing/fx.py\", line 27, in client\n"
          "    _client = FxClient(timeout_ms=int(os.environ[\"FX_TIMEOUT_MS\"]))\n")

    def body(ll_, t, rid, is_err, cold):
        lines = []
        dur = max(40.0, sc.rng.gauss(250 if t < cause else 190, 60))
        cur = "USD"
        if is_err:
            cur = kit.pick(sc, ["CAD", "MXN", "CAD", "JPY"])
            dur = max(5.0, sc.rng.gauss(28, 8))
            lines.append((dur / 1000 - 0.002, tb))
            return {"dur": dur, "lines": lines, "status": None}
        r = sc.rng.random()
        if r < 0.03:
            lines.append((dur / 1000 * 0.6, ll_.fmt(t + dur / 1000 * 0.6, rid, "ERROR",
                          "tax-service responded 503 for region=US-CA, retrying (attempt 1/3)")))
        elif r < 0.06:
            lines.append((0.01, ll_.fmt(t + 0.01, rid, "WARNING",
                          "fx cache stale (age=301s), refreshing in background")))
        if t < cause and sc.rng.random() < 0.4:
            cur = kit.pick(sc, ["CAD", "MXN", "JPY"])
        lines.append((dur / 1000 - 0.003, ll_.fmt(t + dur / 1000, rid, "INFO",
                      f"quote ok cart={sc.hexid(10)} items={sc.rng.randint(1, 12)} "
                      f"currency={cur} total_ms={int(dur)}")))
        return {"dur": dur, "lines": lines}

    ll.run(kit.counts_per_minute(fn["inv"], -7800, 0), kit.counts_per_minute(fn["err"], -7800, 0),
           body)

    sc.change(-14400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "price-quote", "deploy-bot")
    sc.change(cause, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "price-quote", "j.alvarez")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "wishlist-sync", "deploy-bot")
    sc.change(-3120, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "price-quote", "deploy-bot", region=EU)
    sc.alarm("price-quote-usw2-errors", "AWS/Lambda", "Errors", {"FunctionName": "price-quote"},
             "Sum", 300, 1, 12, "GreaterThanThreshold", "price-quote errors (us-west-2)")
    sc.alarm("wishlist-sync-usw2-duration", "AWS/Lambda", "Duration",
             {"FunctionName": "wishlist-sync"}, "Average", 300, 1, 2500, "GreaterThanThreshold")
    sc.expect = {"alarm": "price-quote-usw2-errors",
                 "root_cause": {"category": "config_change", "resource": ["price-quote"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": "price-quote"}}]}
    sc.meta = dict(front="origin", services="Lambda (Python 3.12)",
                   decoys="wishlist-sync code deploy 40 s after the cause (same region); "
                          "price-quote code deploy in eu-west-1; steady tax-service 503 retries",
                   story=(
        "`price-quote` in us-west-2 has run the same code for four hours. At onset an operator "
        "updates its configuration (UpdateFunctionConfiguration, no code change); every fresh "
        "environment then fails each non-USD quote with `ValueError: invalid literal for int() "
        "with base 10: '2s'` raised where `FX_TIMEOUT_MS` is read from the environment: the "
        "setting now holds a duration string instead of milliseconds. USD carts still succeed, "
        "hence ~40 % errors. Decoys: `wishlist-sync` is deployed 40 s later in the same region "
        "(and its Duration alarm fires on its own), `price-quote` itself gets a code deploy in "
        "eu-west-1 where nothing breaks, and `tax-service responded 503, retrying` has been "
        "logged at the same ~3 % rate all evening."))
    return sc


# =========================================================================== 04
def build_04() -> Scenario:
    sc = Scenario(4, "order-export-errors-apse1", "order-export Errors alarm in ap-southeast-1; "
                  "the warehouse reports no new pick lists since late morning.", "ap-southeast-1",
                  67004, "2026-12-02T04:30:00")
    US = "us-east-1"
    cause = -3330
    for reg in ("ap-southeast-1", US):
        sc.resource("lambda", "order-export", region=reg, runtime="java21", timeout=120,
                    memory_size=2048, role=f"order-export-{'apse1' if reg != US else 'use1'}")
        sc.resource("lambda", "catalog-feed", region=reg, runtime="java21", timeout=300,
                    memory_size=1024)
    la, lu = kit.load(sc, "ap-southeast-1", 0.25, 13), kit.load(sc, US, 0.25, 13)
    bad = lambda t: step(t, cause + 20, 0, 1)  # noqa: E731
    rate = lambda t: 6 * la(t)                 # noqa: E731
    fn = kit.lam(sc, "order-export", rate, lambda t: 3100 - 2500 * bad(t),
                 ratio=lambda t: 0.012 + 0.988 * bad(t))
    kit.lam(sc, "order-export", lambda t: 5 * lu(t), lambda t: 3000 + 400 * bump(t, -3240, -2900, 1),
            region=US)
    kit.lam(sc, "catalog-feed", lambda t: 1 + 6 * bump(t, -3280, -3000, 1, 60), lambda t: 41000,
            err=lambda t: 0.02)
    kit.lam(sc, "catalog-feed", lambda t: 1, lambda t: 39000, region=US)

    acct = sc.account
    key = sc.uuid()
    ll = LambdaLogs(sc, "order-export", "java21", 2048, 120, mem_used=(610, 40),
                    prewarm=-10740, life=(3000, 7000))
    wh = ["SG-TUAS-01", "SG-JURONG-02", "MY-SENAI-01"]

    def body(ll_, t, rid, is_err, cold):
        lines = []
        batch = sc.rng.randint(8, 60)
        wid = kit.pick(sc, wh)
        f = ll_.fmt
        lines.append((0.01, f(t + 0.01, rid, "INFO", f"c.s.export.ExportHandler - Exporting "
                              f"{batch} orders for warehouse {wid}")))
        if sc.rng.random() < 0.22:
            oid = sc.rng.randint(10 ** 6, 10 ** 7)
            lines.append((0.2, f(t + 0.2, rid, "ERROR", f"c.s.export.OrderMapper - Order {oid} "
                                 "has no shipping address; skipping")))
        if is_err and t >= cause:
            dur = max(200.0, sc.rng.gauss(560, 90))
            rq = sc.hexid(16).upper()
            msg = (f"User: arn:aws:sts::{acct}:assumed-role/order-export-apse1/order-export is "
                   f"not authorized to perform: kms:GenerateDataKey on resource: "
                   f"arn:aws:kms:ap-southeast-1:{acct}:key/{key} because no identity-based "
                   f"policy allows the kms:GenerateDataKey action (Service: S3, Status Code: 403, "
                   f"Request ID: {rq})")
            lines.append((dur / 1000 - 0.05, f(t + dur / 1000, rid, "ERROR",
                          f"c.s.export.ExportHandler - Upload of picklist-{wid}-"
                          f"{sc.rng.randint(10000, 99999)}.csv failed: "
                          f"software.amazon.awssdk.services.s3.model.S3Exception: {msg}")))
            lines.append((dur / 1000 - 0.01, json.dumps({
                "errorMessage": msg,
                "errorType": "software.amazon.awssdk.services.s3.model.S3Exception",
                "stackTrace": ["software.amazon.awssdk.services.s3.model.S3Exception$BuilderImpl."
                               "build(S3Exception.java:113)",
                               "c.s.export.PicklistUploader.upload(PicklistUploader.java:74)",
                               "c.s.export.ExportHandler.handleRequest(ExportHandler.java:52)"]},
                separators=(",", ":"))))
            return {"dur": dur, "lines": lines}
        dur = max(900.0, sc.rng.gauss(3100, 600))
        if is_err:
            lines.append((dur / 1000 - 0.01, json.dumps({
                "errorMessage": "Read timed out", "errorType": "java.net.SocketTimeoutException",
                "stackTrace": ["c.s.export.WmsClient.notify(WmsClient.java:88)"]},
                separators=(",", ":"))))
        elif sc.rng.random() < 0.05:
            lines.append((1.0, f(t + 1.0, rid, "WARN", "s.a.a.core.internal.retry.RetryPolicy - "
                                 "Retrying PutObject after 503 SlowDown (attempt 1/3)")))
        lines.append((dur / 1000 - 0.02, f(t + dur / 1000, rid, "INFO",
                      f"c.s.export.ExportHandler - Uploaded s3://wh-picklists-apse1/{wid}/"
                      f"{sc.hexid(12)}.csv ({batch} orders, {int(dur)} ms)")))
        return {"dur": dur, "lines": lines}

    ll.run(kit.counts_per_minute(fn["inv"], -10800, 0),
           kit.counts_per_minute(fn["err"], -10800, 0), body)

    sc.change(-3400, "sts.amazonaws.com", "AssumeRole", "AWS::IAM::Role", "terraform-apply",
              "terraform-cloud", region=US)
    sc.change(cause, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role",
              "order-export-apse1", "terraform-cloud", region=US)
    sc.change(-3300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "order-export", "release-pipeline", region=US)
    sc.change(-3290, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "catalog-feed", "m.tan")
    sc.change(-17000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "order-export", "release-pipeline")
    sc.alarm("order-export-apse1-errors", "AWS/Lambda", "Errors", {"FunctionName": "order-export"},
             "Sum", 300, 1, 5, "GreaterThanThreshold", "order-export failures (ap-southeast-1)")
    sc.alarm("order-export-use1-errors", "AWS/Lambda", "Errors", {"FunctionName": "order-export"},
             "Sum", 300, 1, 5, "GreaterThanThreshold", region=US)
    sc.expect = {"alarm": "order-export-apse1-errors",
                 "root_cause": {"category": "permission_denied", "resource": ["order-export"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": "order-export"}}]}
    sc.meta = dict(front="origin", services="Lambda (Java 21), IAM",
                   decoys="order-export code deploy in us-east-1 30 s after the IAM change; "
                          "catalog-feed config update in ap-southeast-1; old missing-address "
                          "ERRORs and rare WMS timeouts",
                   judgement=(
        "The IAM PutRolePolicy is recorded in us-east-1 (IAM is global) although it breaks "
        "only the ap-southeast-1 role. The category is permission_denied rather than "
        "config_change: the errors are AccessDenied and the category table names exactly this "
        "case (\"often after an IAM change\"); the only resource of the six types involved is "
        "the function."),
                   story=(
        "From one minute after Terraform rewrote the inline policy of role `order-export-apse1`, "
        "every `order-export` run in ap-southeast-1 fails uploading its pick list: S3 returns "
        "403 because the role `is not authorized to perform: kms:GenerateDataKey` on the "
        "region's KMS key. Duration drops from ~3 s to ~0.5 s and Errors go from a rare WMS "
        "timeout to every invocation. Decoys: the us-east-1 copy of `order-export` received a "
        "code deploy 30 s after the policy change (it keeps working), `catalog-feed` had a "
        "configuration update in ap-southeast-1, and `Order ... has no shipping address; "
        "skipping` ERROR lines have appeared in a fifth of runs all day."))
    return sc
