"""h35-10: a security-baseline automation rewrites the KMS key policy of the export bucket's key; the
10-minute ledger export Lambda can no longer get a data key and every upload is AccessDenied. Quiet
cause (one CloudTrail event), origin alarm."""
import datetime as dt

from .lib import Scenario, LambdaLog, lambda_metrics, stream_name, first_breach, rds_dims

FILE = "h35-10-ledger-export-kms-denied.yaml"
FN = "ledger-export"
KEY = "arn:aws:kms:ap-southeast-1:381492650173:key/0c7e4b1a-53d2-4e8f-9a61-7d2b8c3f0e95"
META = {
    "file": FILE, "region": "ap-southeast-1", "alarm": "ledger-export-errors",
    "category": "permission_denied", "resources": [FN], "where": "origin", "shape": "quiet",
    "decoys": "ledger-export's own code deploy 4 h before (runs succeeded for 1 h 45 min after it); "
              "ledger-reconcile errors alarm red for 2 days; per-run schema-drift WARNING",
    "story": (
        "ledger-export (python3.12) runs every 10 minutes, reads new ledger rows and uploads a Parquet file "
        "to an SSE-KMS bucket. At 2 h 25 min ago the `sec-baseline-automation` principal called PutKeyPolicy "
        "on the bucket's KMS key (alias/finance-exports). From the next run on, every upload fails with "
        "`AccessDenied ... is not authorized to perform: kms:GenerateDataKey on resource: <key> because no "
        "resource-based policy allows the kms:GenerateDataKey action`, and the async retries fail the same "
        "way; the reads from ledger-primary keep working. The function's own code deploy 4 h ago was "
        "followed by ~10 successful runs, so it is not the trigger; the ledger-reconcile alarm has been red "
        "for two days and the schema-drift warning is in every run. Label: permission_denied for "
        "ledger-export."),
}


def build():
    now = dt.datetime(2026, 9, 2, 5, 30, tzinfo=dt.timezone.utc)
    s = Scenario("h35-10-ledger-export-kms-denied", "ap-southeast-1",
                 "Finance reports the ledger exports stopped arriving; ledger-export Errors alarm.",
                 seed=3510, now=now, window_h=8, tz_offset_h=8)
    s.resource("lambda", FN, runtime="python3.12", timeout=300, memory_size=1024, handler="export.handler",
               role="arn:aws:iam::381492650173:role/ledger-export-role",
               trigger="EventBridge Scheduler rate(10 minutes)",
               environment={"EXPORT_BUCKET": "acme-finance-exports-prod", "KMS_KEY_ALIAS": "alias/finance-exports"})
    s.resource("lambda", "ledger-reconcile", runtime="python3.12", timeout=120, memory_size=512)
    s.resource("rds", "ledger-primary", engine="postgres", engine_version="16.2", instance_class="db.r6g.2xlarge",
               max_connections=3000, allocated_storage_gb=2000)

    mins = list(range(s.start, 0, 60))
    kms_change = -(2 * 3600 + 25 * 60)
    deploy = -(4 * 3600 + 10 * 60)
    ll = LambdaLog(s, 1024, runtime="python")
    inv, err, dur = {}, {}, {}
    ev = []
    runs = [t for t in mins if (t - s.start) % 600 == 0]
    for rt in runs:
        denied = rt > kms_change
        attempts = [rt + 0.5 + s.rng.random()]
        if denied:
            attempts += [rt + 63 + s.rng.random() * 3, rt + 184 + s.rng.random() * 4]
        rows = int(38000 + 52000 * s.diurnal(rt, 0.2, 15) * (1 + s.g(0, 0.05)))
        key = f"ledger/{s.stamp(rt, '%Y/%m/%d/%H%M')}-{s.hexid(8)}.parquet"
        ver = "$LATEST"
        for a in attempts:
            m = a - a % 60
            inv[m] = inv.get(m, 0) + 1
            body = [(0.02, "info", f"export window cursor={s.stamp(rt - 600, '%Y-%m-%dT%H:%M:%SZ')} "
                                   f"build={'2026.09.1' if a > deploy else '2026.08.4'}"),
                    (1.9, "info", f"read {rows:,} ledger rows from ledger-primary in 1.84s"),
                    (2.0, "warning", f"schema drift: column 'memo' null in {2.8 + s.rng.random() * 0.6:.1f}% of rows"),
                    (6.4, "info", f"wrote /tmp/{key.split('/')[-1]} ({rows * 212 / 1e6:.1f} MB, 14 columns)")]
            if denied:
                d = 6900 + s.rng.random() * 400
                _, blk = ll.invoke(a, d, 412, body, after_end=[
                    "[ERROR] ClientError: An error occurred (AccessDenied) when calling the PutObject operation: User: "
                    "arn:aws:sts::381492650173:assumed-role/ledger-export-role/ledger-export is not authorized to "
                    f"perform: kms:GenerateDataKey on resource: {KEY} because no resource-based policy allows the "
                    "kms:GenerateDataKey action\nTraceback (most recent call last):\n  File \"/var/task/export.py\", "
                    "line 97, in handler\n    s3.upload_file(local_path, BUCKET, key, ExtraArgs=SSE_ARGS)\n  File "
                    "\"/var/lang/lib/python3.12/site-packages/boto3/s3/transfer.py\", line 377, in upload_file\n    "
                    "raise S3UploadFailedError("])
                err[m] = err.get(m, 0) + 1
            else:
                d = 8100 + s.rng.random() * 900
                body.append((d / 1000 - 0.2, "info", f"uploaded s3://acme-finance-exports-prod/{key} (SSE-KMS "
                                                     "alias/finance-exports)"))
                _, blk = ll.invoke(a, d, 409 + s.rng.randint(-6, 6), body)
                err.setdefault(m, 0)
            dur[m] = d
            ev.extend(blk)
    s.log(f"/aws/lambda/{FN}", stream_name(s, s.start), ev)
    has = lambda t: t in inv
    lambda_metrics(s, FN, lambda t: inv.get(t), lambda t: err.get(t, 0) if has(t) else None,
                   lambda t: 0 if has(t) else None, lambda t: dur.get(t), lambda t: 1 if has(t) else None)

    rc_inv = {t: 1 if t % 300 == 0 else None for t in mins}
    rc_err = {t: (1 if s.rng.random() < 0.4 else 0) if rc_inv[t] else None for t in mins}
    lambda_metrics(s, "ledger-reconcile", lambda t: rc_inv[t], lambda t: rc_err[t], lambda t: 0 if rc_inv[t] else None,
                   lambda t: (31000 + s.g(0, 2000)) if rc_inv[t] else None, lambda t: rc_inv[t])
    rl = LambdaLog(s, 512, runtime="python")
    ev = []
    for t in mins:
        if not rc_inv[t] or t < -5 * 3600:
            continue
        body = [(0.02, "info", "reconciling settlement batch against bank statement feed")]
        if rc_err[t]:
            _, blk = rl.invoke(t + 1, 30500 + s.rng.random() * 900, 201, body, after_end=[
                "[ERROR] ReconciliationMismatch: 3 statement lines unmatched for account SG-OPS-0042 (tolerance 0.00)\n"
                "Traceback (most recent call last):\n  File \"/var/task/reconcile.py\", line 140, in handler\n    "
                "raise ReconciliationMismatch(summary)"])
        else:
            body.append((30.0, "info", "batch reconciled: 0 unmatched"))
            _, blk = rl.invoke(t + 1, 30300 + s.rng.random() * 900, 199, body)
        ev.extend(blk)
    s.log("/aws/lambda/ledger-reconcile", stream_name(s, -5 * 3600), ev)
    d = rds_dims("ledger-primary")
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent", lambda t: 22 + 18 * s.diurnal(t, 0.2, 15) + s.g(0, 2))
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count", lambda t: 410 + s.rng.randint(-15, 15), nd=0)
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds", lambda t: 0.0009 + abs(s.g(0, 0.0002)), nd=5)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: 812e9 - (t - s.start) * 4e4, nd=0)

    s.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN,
             "ci-deployer")
    s.change(deploy + 20, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "ci-deployer")
    s.change(kms_change, "kms.amazonaws.com", "PutKeyPolicy", "AWS::KMS::Key", KEY, "sec-baseline-automation")
    when = first_breach({t: err.get(t, 0) for t in mins}, 600, 3, 1, ">=")
    s.alarm("ledger-export-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 600, 3, 1,
            "GreaterThanOrEqualToThreshold", "ALARM",
            "Threshold Crossed: 3 datapoints were greater than or equal to the threshold (1.0).",
            min(when or -3600, -60), description="ledger export failures")
    s.alarm("ledger-reconcile-errors", "AWS/Lambda", "Errors", {"FunctionName": "ledger-reconcile"}, "Sum", 300, 1, 1,
            "GreaterThanOrEqualToThreshold", "ALARM",
            "Threshold Crossed: 1 datapoint was greater than or equal to the threshold (1.0).", -2 * 86400 - 3000)
    s.expect = {"alarm": "ledger-export-errors",
                "root_cause": {"category": "permission_denied", "resource": [FN]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]}
    return s
