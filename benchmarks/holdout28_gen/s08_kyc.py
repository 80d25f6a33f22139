"""h28-08: IAM policy rewrite drops read access to the legacy upload bucket; partial fix under way."""
from __future__ import annotations

import random

from .common import HIST, LOGS, Clock, alarm, change, diurnal, poisson
from .logfmt import LambdaLog, Rec, py_tb

R = "ap-northeast-1"
FN, HOOK, ROLE = "kyc-document-processor", "kyc-webhook", "kyc-document-processor-role"
IAM1, IAM2 = -2940, -600
ACCT = "481516234200"


def denied(t, bucket, kind):
    if bucket != "kyc-uploads-prod" or t < IAM1:
        return False
    if t >= IAM2 and kind == "selfie":
        return False
    return True


def build():
    rng = random.Random(2808)
    clk = Clock("2026-03-17T02:40:00")
    minutes = list(range(-HIST, 0, 60))
    lam = Rec("AWS/Lambda", {"FunctionName": FN})
    hook = Rec("AWS/Lambda", {"FunctionName": HOOK})
    log = LambdaLog(rng, clk, FN, "python3.12", 1024, streams=4)
    hl = LambdaLog(rng, clk, HOOK, "nodejs20.x", 256, streams=1)
    redeliver = {}
    for t in minutes:
        new = poisson(rng, 38 * diurnal(t, 0.2, 30000))
        retries = redeliver.pop(t, 0)
        msgs = []
        for _ in range(new + retries):
            bucket = "kyc-uploads-prod" if rng.random() < 0.6 else "kyc-documents-prod-apne1"
            kind = "selfie" if rng.random() < 0.62 else "idcard"
            msgs.append((bucket, kind, denied(t, bucket, kind)))
        fails = sum(1 for m in msgs if m[2])
        tex = sum(1 for _ in range(len(msgs)) if rng.random() < 0.01)
        if fails:
            redeliver[t + 300] = redeliver.get(t + 300, 0) + int(fails * 0.8)
        dur = [rng.uniform(150, 260) if m[2] else rng.uniform(3600, 5400) for m in msgs]
        lam.put(t, Invocations=len(msgs), Errors=fails + tex, Throttles=0,
                Duration=sum(dur) / len(dur) if dur else None,
                ConcurrentExecutions=max(1, round(sum(dur) / 60000 + rng.uniform(0, 1))))
        hn = poisson(rng, 30)
        hook.put(t, Invocations=hn, Errors=0, Throttles=0, Duration=rng.gauss(48, 5), ConcurrentExecutions=1)
        if t < -LOGS:
            continue
        for (bucket, kind, bad), d in zip(msgs, dur):
            if rng.random() > 0.3:
                continue
            ts = t + rng.uniform(0, 59)
            doc = f"doc_{rng.getrandbits(40):010x}"
            key = f"{kind}/{clk.at(ts).strftime('%Y/%m/%d')}/{rng.getrandbits(64):016x}.jpg"
            lines = [(0.005, "INFO", f"Processing {doc} s3://{bucket}/{key} receive_count={1 if rng.random() < 0.7 else rng.randint(2, 4)}")]
            if rng.random() < 0.03:
                lines.append((0.4, "WARNING", f"Image resolution {rng.choice([200, 220, 240])}dpi below recommended 300dpi for {doc}"))
            if bad:
                msg = (f"An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::{ACCT}:assumed-role/"
                       f"{ROLE}/{FN} is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::{bucket}/{key}\" "
                       "because no identity-based policy allows the s3:GetObject action")
                lines.append((d / 1000 - 0.01, "ERROR", f"ClientError: {msg}\n" + py_tb("botocore.exceptions.ClientError", msg, [
                    ("/var/task/app.py", 37, "handler", "image = fetch_image(record)"),
                    ("/var/task/kyc/storage.py", 22, "fetch_image", "obj = s3.get_object(Bucket=bucket, Key=key)"),
                    ("/var/runtime/botocore/client.py", 553, "_api_call", "return self._make_api_call(operation_name, kwargs)"),
                    ("/var/runtime/botocore/client.py", 1009, "_make_api_call", "raise error_class(parsed_response, operation_name)")])))
            else:
                if rng.random() < 0.04:
                    lines.append((1.2, "WARNING", "Textract ThrottlingException on AnalyzeID, retrying (attempt 1/4) in 0.8s"))
                lines.append((d / 1000 - 0.3, "INFO", f"Textract AnalyzeID completed fields={rng.randint(11, 16)} confidence="
                                                      f"{rng.uniform(0.9, 0.99):.2f}"))
                lines.append((d / 1000 - 0.02, "INFO", f"{doc} verified status={rng.choice(['PASS'] * 9 + ['REVIEW'])}"))
            log.invoke(ts, d, rng.randint(180, 240), lines)
        if rng.random() < 0.35:
            ts = t + rng.uniform(0, 59)
            hl.invoke(ts, rng.gauss(48, 5), 81, [(0.01, "INFO", f"webhook delivered partner=ekyc-jp status=200 "
                                                                f"retry_policy={'exponential' if ts > -2700 else 'fixed'}")])
    metrics = lam.metrics() + hook.metrics()
    alarms = [alarm(clk, "kyc-document-processor-errors", lam.get("Errors"), "Sum", 300, 3, 25, after=IAM1 - 300,
                    description="KYC document processor failing (SQS messages will go to DLQ after 5 receives)")]
    lag = round((alarms[0]["state_changed"] - (IAM1)) / 60)
    changes = [
        change(IAM1, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", ROLE, "terraform-ci"),
        change(IAM2, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", ROLE, "jsato"),
        change(-14400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "ci-deployer"),
        change(-2700, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", HOOK, "ci-deployer"),
    ]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-08-kyc-s3-access-denied",
        "description": "KYC document checks failing; error alarm on the document processor.",
        "region": R,
        "resources": [
            {"type": "lambda", "id": FN, "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 1024, "role": ROLE,
                                                      "event_source": "SQS kyc-documents-queue (visibility 300 s, maxReceiveCount 5)"}},
            {"type": "lambda", "id": HOOK, "properties": {"runtime": "nodejs20.x", "timeout": 10, "memory_size": 256}},
        ],
        "metrics": metrics, "logs": log.logs() + hl.logs(), "alarms": alarms, "changes": changes,
        "expect": {"alarm": "kyc-document-processor-errors",
                   "root_cause": {"category": "permission_denied", "resource": [FN, ROLE]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]},
    }
    meta = {"alarm_on": "origin (kyc-document-processor)",
            "decoys": "code deploy of the same function 4 h earlier (no errors after it); kyc-webhook configuration change 45 min "
                      "ago; constant Textract throttling-retry and low-dpi WARNINGs; invocation rise from SQS redeliveries",
            "story": (
                "49 minutes ago terraform-ci rewrote the inline policy of kyc-document-processor-role. From that minute every "
                "document still uploaded to the legacy bucket kyc-uploads-prod (about 60 % of traffic) fails with S3 AccessDenied "
                "naming the role and 's3:GetObject ... because no identity-based policy allows', while documents in the new bucket "
                "keep succeeding. Failed SQS messages are redelivered after the 300 s visibility timeout, so Invocations rise too. "
                f"The alarm uses three 5-minute periods and fired ~{lag} minutes after the change. Ten minutes ago an engineer "
                "re-added read access to selfie/* only: errors fall (partial recovery) but idcard/* objects are still denied, so "
                "the alarm stays in ALARM. Category permission_denied on the function (via its role); the 4-hour-old code deploy "
                "ran cleanly for three hours, and the webhook change is on another function.")}
    return scen, meta
