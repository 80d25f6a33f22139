"""Scenarios 04 and 15: AccessDenied after a resource-policy change on a KMS key / S3 bucket."""
from __future__ import annotations

import math

import numpy as np

from .common import TS, Scn
from .lam import Fn, Inv, java_trace, py_unhandled, rest_api

KEY_ARN = "arn:aws:kms:eu-central-1:481516234200:key/8d1f2c3e-4b5a-4e6f-9a7b-1c2d3e4f5a6b"


def h04_kms_key_policy() -> Scn:
    s = Scn(4, "payments-webhook-kms-denied", "eu-central-1",
            "payments-gw 5XX alarm; PSP dashboard shows webhook deliveries failing.", seed=1004,
            anchor="2026-03-11T09:30:00")
    rng = s.rng
    T = -2100
    fn = Fn(s, "payments-webhook", "java17", 1024, 20, init_ms=(2400, 3900))
    secret = "prod/payments/psp-signing-key"
    kinds = ["payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded", "charge.dispute.created"]

    def handler(c):
        evt = f"evt_{s.hexid(24)}"
        kind = kinds[int(rng.choice(4, p=[0.7, 0.15, 0.1, 0.05]))]
        lines = [(0.002, fn.line(c.t, c.rid, "INFO", f"Received webhook {evt} type={kind}", "WebhookHandler"))]
        # each environment caches the secret for 15 min; after the policy change refreshes fail
        p_fail = 0.0 if c.t < T else min(0.97, 0.15 + (c.t - T) / 900.0)
        if c.cold and c.t >= T:
            p_fail = 1.0
        if rng.random() < p_fail:
            d = float(rng.lognormal(math.log(140), 0.3))
            reqid = s.rid()
            trace = java_trace(
                f"software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException: Access to KMS is not "
                f"allowed (Service: SecretsManager, Status Code: 400, Request ID: {reqid})",
                ["software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)",
                 "software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleResponse(CombinedResponseHandler.java:82)",
                 "software.amazon.awssdk.core.internal.http.pipeline.stages.RetryableStage.execute(RetryableStage.java:42)",
                 "software.amazon.awssdk.services.secretsmanager.DefaultSecretsManagerClient.getSecretValue(DefaultSecretsManagerClient.java:2003)",
                 "com.acme.payments.secrets.SecretCache.refresh(SecretCache.java:61)",
                 "com.acme.payments.secrets.SecretCache.get(SecretCache.java:38)",
                 "com.acme.payments.WebhookHandler.verifySignature(WebhookHandler.java:112)",
                 "com.acme.payments.WebhookHandler.handleRequest(WebhookHandler.java:57)"])
            lines.append((d / 1000 - 0.01, fn.line(c.t + d / 1000, c.rid, "ERROR",
                          f"GetSecretValue failed for {secret}: AccessDeniedException (KMS key {KEY_ARN.split('/')[-1]})\n{trace}",
                          "SecretCache")))
            msg = f"Unable to load webhook signing secret {secret}"
            lines.append((d / 1000, fn.java_unhandled("java.lang.IllegalStateException", msg,
                          ["com.acme.payments.WebhookHandler.verifySignature(WebhookHandler.java:115)",
                           "com.acme.payments.WebhookHandler.handleRequest(WebhookHandler.java:57)",
                           "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(Unknown Source)",
                           "java.base/java.lang.reflect.Method.invoke(Unknown Source)"])))
            return Inv("error", d, int(rng.integers(160, 190)), lines, msg)
        if rng.random() < 0.03:   # replayed / stale webhooks: rejected before and after the incident
            d = float(rng.lognormal(math.log(35), 0.3))
            lines.append((0.02, fn.line(c.t + 0.02, c.rid, "WARN", f"Signature verification failed for {evt}: "
                                        "timestamp outside tolerance (300s); responding 400", "WebhookHandler")))
            return Inv("ok", d, int(rng.integers(160, 190)), lines, code=400)
        d = float(rng.lognormal(math.log(260), 0.35))
        lines.append((d / 1000 - 0.01, fn.line(c.t + d / 1000, c.rid, "INFO", f"Posted {kind} pi_{s.hexid(24)} to ledger "
                                                                        f"(HTTP 201, {int(d * 0.6)} ms)", "LedgerClient")))
        return Inv("ok", d, int(rng.integers(170, 215)), lines)

    rate = 24 * s.daily(0.3) * (1 + 0.5 * (TS >= T + 300))   # the PSP retries failed deliveries
    fn.run(rate, handler, log_from=-6000)
    fn.emit()
    rest_api(s, fn, "payments-gw", "q9d3vx71lm", "live", overhead=25)

    s.res("lambda", "payments-webhook", runtime="java17", memory_size=1024, timeout=20,
          handler="com.acme.payments.WebhookHandler::handleRequest",
          environment={"SIGNING_SECRET_ID": secret, "LEDGER_URL": "https://ledger.internal.acme.io"})
    s.res("apigateway", "payments-gw", api_id="q9d3vx71lm", stage="live", protocol="REST")
    s.change(-9600, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "payments-gw", "a.wright")
    s.change(T, "kms.amazonaws.com", "PutKeyPolicy", "AWS::KMS::Key", KEY_ARN, "sec-baseline-pipeline")
    a = s.alarm("payments-gw-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "payments-gw"}, "Sum", 300, 1, 5,
                description="payments-gw returning 5XX to the PSP")
    s.set_expect(a["name"], "permission_denied", ["payments-webhook"],
                 [("AWS/ApiGateway", "5XXError", {"ApiName": "payments-gw"}),
                  ("AWS/Lambda", "Errors", {"FunctionName": "payments-webhook"})])
    s.readme = dict(decoys="UpdateStage on payments-gw 2.7 h earlier; constant 400s for stale webhook signatures",
                    story="A security baseline pipeline rewrote the key policy of the KMS key that encrypts the PSP "
                          "signing secret (PutKeyPolicy) and dropped the statement for the function's role. Each "
                          "execution environment caches the secret for 15 minutes, so failures ramp up as caches expire: "
                          "`GetSecretValue ... Access to KMS is not allowed` / AccessDeniedException, then an unhandled "
                          "IllegalStateException; API Gateway returns 502 to the PSP, which retries.")
    return s


def h15_s3_bucket_policy() -> Scn:
    s = Scn(15, "statement-archiver-s3-denied", "ap-south-1",
            "statement-archiver Errors alarm; monthly statements not appearing in the archive.", seed=1015,
            anchor="2026-03-01T04:00:00")
    rng = s.rng
    T = -2000
    fn = Fn(s, "statement-archiver", "python3.11", 512, 60, init_ms=(450, 800))
    bucket = "acme-statements-archive-aps1"

    def handler(c):
        acct = f"ac-{int(rng.integers(10**7, 10**8))}"
        key = f"statements/2026/02/{acct}.pdf"
        lines = [(0.003, fn.line(c.t, c.rid, "INFO", f"Archiving statement {acct} period=2026-02 "
                                                      f"(source s3://acme-statements-staging/{key})"))]
        d = float(rng.lognormal(math.log(420), 0.35))
        if rng.random() < 0.02:
            lines.append((0.1, fn.line(c.t + 0.1, c.rid, "WARNING", f"Statement {acct} has no PAN masking marker; "
                                                                     "re-scanning with OCR fallback")))
        if c.t >= T + 20:
            exc = "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied"
            lines.append((d / 1000, py_unhandled(exc, [
                ("/var/task/app.py", 58, "handler", "archive(record, s3)"),
                ("/var/task/archiver/store.py", 33, "archive", "s3.put_object(Bucket=ARCHIVE_BUCKET, Key=key, Body=body, "
                                                               "ServerSideEncryption=\"aws:kms\", ObjectLockMode=\"COMPLIANCE\", "
                                                               "ObjectLockRetainUntilDate=retain)"),
                ("/var/runtime/botocore/client.py", 553, "_api_call", "return self._make_api_call(operation_name, kwargs)"),
                ("/var/runtime/botocore/client.py", 1009, "_make_api_call", "raise error_class(parsed_response, operation_name)")])))
            return Inv("error", d, int(rng.integers(96, 120)), lines, "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied")
        lines.append((d / 1000 - 0.005, fn.line(c.t + d / 1000, c.rid, "INFO", f"Stored s3://{bucket}/{key} "
                      f"(object lock until 2036-02-29, {int(rng.integers(80, 400))} KB)")))
        return Inv("ok", d, int(rng.integers(96, 120)), lines)

    fn.run(9 * s.daily(0.15), handler)
    fn.emit()

    rnd = Fn(s, "statement-renderer", "python3.11", 1024, 120, init_ms=(700, 1100))

    def r_handler(c):
        d = float(rng.lognormal(math.log(1900), 0.3))
        lines = [(0.01, rnd.line(c.t, c.rid, "INFO", f"Rendered statement ac-{int(rng.integers(10**7, 10**8))} "
                                                      f"({int(rng.integers(2, 14))} pages)"))]
        if rng.random() < 0.04:
            lines.append((0.5, rnd.line(c.t + 0.5, c.rid, "ERROR", "Currency rate for 2026-02-29 missing; "
                                                                   "using previous business day")))
        return Inv("ok", d, int(rng.integers(300, 420)), lines)

    rnd.run(9 * s.daily(0.15), r_handler)
    rnd.emit()

    s.res("lambda", "statement-archiver", runtime="python3.11", memory_size=512, timeout=60,
          event_source="sqs:statement-archive-jobs", environment={"ARCHIVE_BUCKET": bucket, "RETENTION_YEARS": "10"})
    s.res("lambda", "statement-renderer", runtime="python3.11", memory_size=1024, timeout=120,
          event_source="events:rule/statement-run-monthly")
    s.change(-7000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "statement-renderer", "codepipeline-statements")
    s.change(T, "s3.amazonaws.com", "PutBucketPolicy", "AWS::S3::Bucket", bucket, "security-baseline-stackset")
    a = s.alarm("statement-archiver-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-archiver"},
                "Sum", 60, 3, 3)
    s.set_expect(a["name"], "permission_denied", ["statement-archiver"],
                 [("AWS/Lambda", "Errors", {"FunctionName": "statement-archiver"})])
    s.readme = dict(decoys="UpdateFunctionCode on statement-renderer ~1.9 h earlier; pre-existing constant "
                           "'Currency rate ... missing' ERROR lines on statement-renderer",
                    story="A StackSet rolled out a new bucket policy to the statements archive bucket that denies "
                          "PutObject unless the request comes through the VPC endpoint; the archiver Lambda is not "
                          "attached to the VPC. Every PutObject now fails with `AccessDenied ... Access Denied` and SQS "
                          "keeps redelivering the jobs.")
    return s


BUILDERS = [h04_kms_key_policy, h15_s3_bucket_policy]
