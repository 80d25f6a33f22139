"""h16-07: a Terraform refactor rewrites a KMS key policy and drops the grant a signing function relies on."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, counts, daily, jitter
from .logfmt import LambdaLogs, apigw_access, event_times, py_traceback

META = {
    "file": "h16-07-kms-key-policy-locks-out-signer",
    "postmortem": "KMS key policy change locking out a consumer (key policy replaced by a template)",
    "side": "front (API Gateway 5XX; origin is the signing Lambda)",
    "decoys": "thumbnail-gen deploy 5 min before; document-signer memory change 4.7 h earlier; occasional "
              "client 4XX for oversized uploads",
    "story": (
        "platform-terraform applies a refactored KMS module and the key policy of alias/docs-signing is replaced "
        "(CloudTrail PutKeyPolicy). document-signer decrypts its wrapped signing key on cold start and caches it "
        "for five minutes, so its errors ramp from zero to every request within ~5 min: 'AccessDeniedException when "
        "calling the Decrypt operation: User: ...assumed-role/document-signer-role/document-signer is not "
        "authorized to perform: kms:Decrypt on the resource associated with this ciphertext'. API Gateway turns the "
        "unhandled errors into 502s and the documents-api 5XX alarm fires. The other functions behind the API use "
        "other keys and stay healthy. AccessDenied after a policy change: permission_denied, originating in the "
        "document-signer function (the resource that lost access). The thumbnail deploy and the old memory change "
        "do not line up with these errors."),
}

ACCOUNT = "583920174466"
API_ID = "7hq2w0pz3c"
KEY = f"arn:aws:kms:us-west-2:{ACCOUNT}:key/4f1c2d3e-9a8b-4c7d-b6e5-0f1a2b3c4d5e"
DENY = (f"An error occurred (AccessDeniedException) when calling the Decrypt operation: User: arn:aws:sts::{ACCOUNT}:"
        f"assumed-role/document-signer-role/document-signer is not authorized to perform: kms:Decrypt on the "
        f"resource associated with this ciphertext because the resource does not exist in this Region, no "
        f"resource-based policies allow access, or a resource-based policy explicitly denies access")


def _deny_trace() -> str:
    return py_traceback([
        ("/var/task/app.py", 29, "handler", "key = signing_key()"),
        ("/var/task/signer/keys.py", 44, "signing_key",
         "resp = kms.decrypt(CiphertextBlob=_wrapped_key(), EncryptionContext={\"purpose\": \"doc-signing\"})"),
        ("/var/lang/lib/python3.12/site-packages/botocore/client.py", 565, "_api_call",
         "return self._make_api_call(operation_name, kwargs)"),
        ("/var/lang/lib/python3.12/site-packages/botocore/client.py", 1021, "_make_api_call",
         "raise error_class(parsed_response, operation_name)"),
    ], f"botocore.exceptions.ClientError: {DENY}")


def build(seed: int) -> Scenario:
    sc = Scenario("h16-07-kms-key-policy-locks-out-signer",
                  "Contract signing fails in the customer portal (502); documents-api 5XX alarm.",
                  "us-west-2", seed, dt.datetime(2026, 3, 24, 21, 5))
    C = -1380.0
    day = daily(sc, peak_hour=19, depth=0.5)
    sc.resource("apigateway", "documents-api", api_id=API_ID, stage="v1", endpoint_type="REGIONAL")
    sc.resource("lambda", "document-signer", runtime="python3.12", timeout=15, memory_size=512,
                environment={"SIGNING_KEY_BLOB": "s3://docs-signing-keys-prod/wrapped/signing-key.bin",
                             "KEY_CACHE_TTL_SECONDS": "300"}, role="document-signer-role")
    sc.resource("lambda", "document-upload", runtime="python3.12", timeout=30, memory_size=1024,
                role="document-upload-role")
    sc.resource("lambda", "thumbnail-gen", runtime="python3.12", timeout=60, memory_size=2048)

    # share of signer invocations that fail: warm caches expire over 5 minutes after the policy change
    fail_share = np.clip((TIMES + 30 - C) / 300.0, 0, 1)
    sinv = counts(sc, 13 * day)
    serr = np.round(sinv * fail_share)
    sdur = fail_share * 140 + (1 - fail_share) * jitter(sc, 410, 0.1)
    aws.lambda_metrics(sc, "document-signer", sinv, serr, sdur)
    uinv = counts(sc, 9 * day)
    aws.lambda_metrics(sc, "document-upload", uinv, counts(sc, 0.01), jitter(sc, 820, 0.12))
    tinv = counts(sc, 9 * day * 0.9)
    aws.lambda_metrics(sc, "thumbnail-gen", tinv, np.zeros(N), jitter(sc, 1900, 0.1) * np.where(TIMES >= C - 300,
                                                                                                  0.9, 1))
    ginv = counts(sc, 7 * day)
    count = sinv + uinv + ginv
    e4 = counts(sc, 0.35 * day)
    e5 = serr + counts(sc, 0.02)
    lat = (sinv * sdur + uinv * 840 + ginv * 60) / np.maximum(count, 1) + 12
    aws.apigw_metrics(sc, "documents-api", count, e4, e5, jitter(sc, lat, 0.04), integ=lat)

    start = -5400.0
    lg = LambdaLogs(sc, "document-signer", "python3.12", 512, idle_reclaim=900)
    key_loaded: dict[str, float] = {}
    for t in event_times(sc, sinv, start):
        env, _cold = lg._env(t)
        stream = env["stream"]
        loaded = key_loaded.get(stream)
        needs_key = loaded is None or t - loaded > 300
        envelope = f"env_{sc.hexid(12)}"
        if needs_key and t >= C:
            def body(t0, rid, envelope=envelope):
                return [(t0 + 0.003, f"[INFO]\t{sc.iso(t0 + 0.003)}\t{rid}\tSigning envelope {envelope}"),
                        (t0 + 0.11, f"[ERROR] ClientError: {DENY}\n{_deny_trace()}")]
            lg.invoke(t, float(sc.rng.normal(135, 15)), body, mem_used=int(sc.rng.integers(84, 92)),
                      error_type="Runtime.Unhandled")
            continue
        lines = [(0.003, "INFO", f"Signing envelope {envelope}")]
        if needs_key:
            key_loaded[stream] = t
            lines.append((0.09, "INFO", f"Signing key decrypted with {KEY.split(':')[-1]} (cached 300s)"))
        pages = int(sc.rng.integers(1, 40))
        lines.append((0.36, "INFO", f"Signed {pages} page(s), sha256={sc.hexid(16)}..."))
        lg.invoke(t, float(sc.rng.normal(400, 40)), lines, mem_used=int(sc.rng.integers(110, 140)))
    lg.flush()
    up = LambdaLogs(sc, "document-upload", "python3.12", 1024)
    for t in event_times(sc, uinv, start):
        size = int(sc.rng.integers(40, 9000))
        body = [(0.004, "INFO", f"Upload {sc.hexid(10)} accepted ({size} KiB, application/pdf)")]
        if sc.rng.random() < 0.02:
            body = [(0.004, "WARNING", "Rejected upload: 31457 KiB exceeds limit of 25600 KiB")]
        up.invoke(t, float(sc.rng.normal(820, 90)), body, mem_used=int(sc.rng.integers(180, 260)))
    up.flush()
    th = LambdaLogs(sc, "thumbnail-gen", "python3.12", 2048)
    for t in event_times(sc, tinv, start):
        th.invoke(t, float(sc.rng.normal(1850, 150)),
                  [(0.01, "INFO", f"Rendering thumbnails for {sc.hexid(10)}.pdf"),
                   (1.8, "INFO", "Wrote 3 thumbnails")], mem_used=int(sc.rng.integers(380, 520)))
    th.flush()
    ev = []
    for t in event_times(sc, count, -3600):
        r = sc.rng.random()
        if r < 0.43:
            ok = not (t >= C and sc.rng.random() < fail_share[int((t + 21600) // 60)])
            st, path, m = (200 if ok else 502), "/envelopes/{id}/sign", "POST"
            lat = int(sc.rng.normal(420, 40) if ok else sc.rng.normal(150, 15))
        elif r < 0.73:
            st, path, m, lat = 201, "/documents", "POST", int(sc.rng.normal(850, 90))
        else:
            st, path, m, lat = 200, "/documents/{id}", "GET", int(sc.rng.gamma(4, 15))
        ev.append((t, apigw_access(sc, t, API_ID, m, path, st, lat, lat - 10, length=int(sc.rng.integers(60, 4000)),
                                   ua="portal-web/2026.3.2", err="Internal server error" if st == 502 else "-")))
    sc.log(f"API-Gateway-Access-Logs_{API_ID}/v1", "access", ev)
    sc.change(-17000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "document-signer", "akhan")
    sc.change(C - 300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "thumbnail-gen", "gh-actions-deployer")
    sc.change(C, "kms.amazonaws.com", "PutKeyPolicy", "AWS::KMS::Key", KEY, "platform-terraform")
    api = {"ApiName": "documents-api"}
    sc.alarm_on("documents-api-5xx", "AWS/ApiGateway", "5XXError", api, e5, "Sum", 60, 3, 5, "GreaterThanThreshold",
                description="documents-api 5XX")
    sc.set_expect("documents-api-5xx", "permission_denied", ["document-signer"],
                  [("AWS/ApiGateway", "5XXError", api), ("AWS/Lambda", "Errors", {"FunctionName": "document-signer"})])
    return sc
