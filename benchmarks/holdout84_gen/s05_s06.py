"""h84-05 (nightly settlement batch fails because the MySQL primary runs out of storage) and
h84-06 (document classifier loses textract:AnalyzeDocument in an IAM hardening change)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, mysql

from .kit import (H84, anomaly, emit, every, expect, lambda_set, meta, minutes, pick, rds_set)


def build_05() -> H84:
    sc = H84(5, "settlement-post-failures", "Nightly claim settlement posting batch failing; the batch "
             "function's Errors alarm paged finance-systems on-call at night.", "us-west-2", 8405,
             "2026-03-21T11:20:00")
    db, ro, fn = "settle-mysql-01", "settle-mysql-ro1", "settlement-post-batch"
    t_batch, t_rec, t_full = -12000, -3600, -1560
    sc.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=200, storage_autoscaling=False)
    sc.resource("rds", ro, engine="mysql", instance_class="db.r6g.large", replica_of=db, allocated_storage_gb=200)
    sc.resource("lambda", fn, runtime="python3.11", timeout=900, memory_size=1024, trigger="Step Functions map (nightly 01:00 PT)")
    running = lambda t: t >= t_batch

    def free(t):
        base = 38.0 - 0.5 * (t + 21600) / 3600 - (0.0 if t < t_batch else 2.1 * (t - t_batch) / 3600)
        return max(0.03, base - 31.0 * ramp(t, t_rec, t_full + 60))

    full = lambda t: ramp(t, t_full - 60, t_full + 60)
    inv = lambda t: (4.0 if running(t) else None)
    m = lambda_set(sc, fn, inv, lambda t: 4.0 * full(t) * 0.9 if running(t) else None,
                   lambda t: (21000 + 9000 * ramp(t, t_rec, t_full) - 12000 * full(t)) if running(t) else None)
    rds_set(sc, db, lambda t: 16 + (26 if running(t) else 0) + 24 * ramp(t, t_rec, t_rec + 300) * (1 - 0.7 * full(t)),
            lambda t: 24 + (34 if running(t) else 0), free, lambda t: 4.6 - 0.8 * ramp(t, t_rec, t_rec + 600),
            write_lat=lambda t: 0.0024 + 0.04 * full(t))
    rds_set(sc, ro, lambda t: None if -1700 <= t < -1220 else 11 + 9 * (t > -1220),
            lambda t: None if -1700 <= t < -1220 else (9 if t < -1700 else 3), lambda t: None if -1700 <= t < -1220 else 171.0,
            lambda t: None if -1700 <= t < -1220 else (5.2 if t < -1700 else 11.4))
    sc.metric("AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": ro}, "Seconds",
              sc.series(lambda t: None if -1700 <= t < -1220 else (0.6 if t < -1700 else 420 + 1.2 * (t + 1220)),
                        noise=0.2, digits=0))
    sc.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "codepipeline-settlement")
    sc.change(-1700, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", ro, "dba-jsmith")
    err_g, err_s = f"/aws/rds/instance/{db}/error", f"{db}"
    emit(sc, err_g, err_s, lambda t: 0.3, lambda t: mysql(
        sc, t, 0, "Warning", "MY-010055", f"IP address '10.40.{sc.rng.randint(10, 14)}.{sc.rng.randint(2, 250)}' could not "
        "be resolved: Name or service not known"))
    emit(sc, err_g, err_s, lambda t: 0.12, lambda t: mysql(
        sc, t, sc.rng.randint(9000, 99000), "Note", "MY-010914", f"Aborted connection {sc.rng.randint(9000, 99000)} to db: "
        "'settle' user: 'rpt_reader' host: '10.40.12.77' (Got an error reading communication packets).", "Server"))
    binlog = [4412]

    def disk_full(t):
        binlog[0] += sc.rng.random() < 0.1
        return mysql(sc, t, 14, "ERROR", "MY-011012", f"Disk is full writing './mysql-bin-changelog.{binlog[0]:06d}' (OS errno "
                     "28 - No space left on device). Waiting for someone to free space... Retry in 60 secs. Message "
                     "reprinted in 600 secs.")

    every(sc, err_g, err_s, 600, disk_full, start=t_full + 5)
    emit(sc, err_g, err_s, lambda t: 1.6 * full(t), lambda t: mysql(
        sc, t, sc.rng.randint(300, 400), "ERROR", "MY-013132", "The table '/rdsdbdata/tmp/#sql1d2c_1b_3' is full!"))
    every(sc, f"/aws/rds/instance/{ro}/error", ro, 900, lambda t: mysql(
        sc, t, 0, "System", "MY-010931", "/rdsdbbin/mysql/bin/mysqld: ready for connections. Version: '8.0.35'  socket: "
        "'/tmp/mysql.sock'  port: 3306  Source distribution."), start=-1230, end=-1200)

    def body(ll, t, rid, is_err, cold):
        rng = sc.rng
        chunk = f"SR-20260321-{rng.randint(1, 1800):04d}"
        n = rng.randint(180, 260)
        lines = [(0.02, ll.fmt(t, rid, "INFO", f"Posting settlement chunk {chunk} ({n} claims, total "
                               f"{rng.uniform(90000, 820000):,.2f} USD) run=SR-20260321"))]
        if rng.random() < 0.25:
            lines.append((0.4, ll.fmt(t + 0.4, rid, "WARNING", f"{rng.randint(1, 4)} claims with negative reserve adjustment in "
                                      f"{chunk}; routed to suspense account 2190-SUSP")))
        if t >= t_rec:
            lines.append((1.1, ll.fmt(t + 1.1, rid, "INFO", f"Reconciling {chunk} against ledger (step 3/4, reconcile_open_items)")))
        if is_err:
            dur = rng.uniform(2000, 9000)
            e = pick(sc, ["(1114, \"The table '/rdsdbdata/tmp/#sql1d2c_1b_3' is full\")",
                          "(3, \"Error writing file '/rdsdbdata/tmp/MYfd=61' (OS errno 28 - No space left on device)\")"])
            lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "ERROR", f"OperationalError: {e}\n"
                          "Traceback (most recent call last):\n  File \"/var/task/settle/post.py\", line 133, in handler\n"
                          "    cur.execute(RECONCILE_SQL, (run_id, chunk_id))\n  File \"/var/task/pymysql/cursors.py\", "
                          "line 153, in execute\n    result = self._query(query)")))
            return {"lines": lines, "dur": dur}
        dur = rng.gauss(21000 if t < t_rec else 30000, 3000)
        lines.append((dur / 1000 - 0.02, ll.fmt(t + dur / 1000, rid, "INFO", f"Posted {n} payments; ledger batch "
                                                 f"LB-{rng.randint(100000, 999999)} committed")))
        return {"lines": lines, "dur": dur}

    LambdaLogs(sc, fn, "python3.11", 1024, 900, mem_used=(210, 15), prewarm=t_batch).run(
        minutes(m["inv"], start=t_batch), minutes(m["err"], start=t_batch), body)
    sc.alarm("settlement-post-batch-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 3,
             "GreaterThanThreshold", "Nightly settlement posting failures")
    sc.alarm("settle-mysql-ro1-replica-lag", "AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": ro}, "Maximum", 60, 5, 300,
             "GreaterThanThreshold", "Reporting replica behind primary")
    sc.alarm("settle-mysql-01-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 85,
             "GreaterThanThreshold")
    expect(sc, "settlement-post-batch-errors", "storage_exhaustion", [db],
           [anomaly("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}),
            anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta(sc, alarm_on="front (calling Lambda -> RDS)", services="Lambda (Python 3.11), RDS MySQL primary + replica",
         decoys="ModifyDBInstance on the read replica 2 min before the first failure, with its ReplicaLag alarm in "
                "ALARM; batch function deployed 5.5 h earlier; MySQL DNS-resolution warnings all along",
         story="The settlement batch starts at 01:00 PT and posts chunks fine for two hours. When its "
               "reconciliation step starts (-60 min) the primary's FreeStorageSpace, already drifting down with "
               "binlogs, falls from ~31 GB to nothing in 35 minutes (an on-disk temporary table). From -26 min "
               "the MySQL error log repeats `Disk is full writing './mysql-bin-changelog...' (OS errno 28 - No "
               "space left on device)` and `The table '/rdsdbdata/tmp/#sql...' is full!`, and nearly every "
               "chunk fails with pymysql `OperationalError` 1114 / errno 28. A DBA's class change on the "
               "reporting replica two minutes earlier restarts that replica and sets off a second alarm, but "
               "the replica is not in the batch's write path and has plenty of space.")
    return sc


def build_06() -> H84:
    sc = H84(6, "claimdoc-classify-denied", "Document classification failing for most incoming claim "
             "documents; Errors alarm on the classifier function.", "ca-central-1", 8406, "2026-03-22T16:05:00")
    fn, other, role = "claimdoc-classify", "adjuster-notify", "claimdoc-classify-exec"
    t_iam, t_first = -2400, -2385
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=1536, role=role,
                trigger="s3:ca-claims-docs/inbound")
    sc.resource("lambda", other, runtime="ruby3.3", timeout=30, memory_size=256)
    denied = lambda t: 0.86 * ramp(t, t_first - 60, t_first)
    inv = lambda t: 9 * diurnal(sc, t, 17, 0.3)
    m = lambda_set(sc, fn, inv, lambda t: 0.4 + inv(t) * denied(t), lambda t: 3900 - 2600 * denied(t))
    o = lambda_set(sc, other, lambda t: 2.5 * diurnal(sc, t, 17, 0.3), lambda t: 0.0, lambda t: 410.0)
    sc.change(-20500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gitlab-runner-claims")
    sc.change(t_iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-ci")
    sc.changes[-1]["region"] = "us-east-1"
    sc.change(-2392, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "gitlab-runner-claims")
    sc.change(-2388, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", other, "gitlab-runner-claims")
    arn = f"arn:aws:sts::{sc.account}:assumed-role/{role}/{fn}"
    kinds = ["proof_of_loss", "repair_estimate", "police_report", "medical_invoice", "photo_sheet", "id_document"]

    def body(ll, t, rid, is_err, cold):
        rng = sc.rng
        key = f"inbound/{sc.at(t).strftime('%Y/%m/%d')}/CLM-{rng.randint(5100000, 5899999)}/{rng.randint(1, 9)}.pdf"
        pages = rng.randint(1, 5)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"Classifying s3://ca-claims-docs/{key} pages={pages}"))]
        if rng.random() < 0.1:
            lines.append((0.6, ll.fmt(t + 0.6, rid, "WARNING", f"Textract throttled (attempt 2/5), backing off {rng.uniform(0.4, 1.6):.2f}s")))
        if is_err:
            if t < t_first or rng.random() < 0.04:
                dur = rng.uniform(9000, 14000)
                msg = ("ProvisionedThroughputExceededException: An error occurred (ProvisionedThroughputExceededException) "
                       "when calling the AnalyzeDocument operation (reached max retries: 4): Provisioned rate exceeded.")
            else:
                dur = rng.uniform(700, 1400)
                msg = ("ClientError: An error occurred (AccessDeniedException) when calling the AnalyzeDocument operation: "
                       f"User: {arn} is not authorized to perform: textract:AnalyzeDocument because no identity-based "
                       "policy allows the textract:AnalyzeDocument action")
            lines.append((0.05, ll.fmt(t + 0.05, rid, "INFO", f"AnalyzeDocument FeatureTypes=['FORMS', 'TABLES'] pages={pages}")))
            lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "ERROR", f"{msg}\nTraceback (most recent call last):\n"
                          "  File \"/var/task/classify/app.py\", line 74, in handler\n    blocks = analyze(bucket, key, pages)\n"
                          "  File \"/var/task/classify/textract.py\", line 31, in analyze\n    resp = client.analyze_document(**req)")))
            return {"lines": lines, "dur": dur}
        simple = t >= t_first or rng.random() < 0.15
        api = "DetectDocumentText" if simple else "AnalyzeDocument FeatureTypes=['FORMS', 'TABLES']"
        dur = rng.gauss(1500 if simple else 3900, 400)
        lines.append((0.05, ll.fmt(t + 0.05, rid, "INFO", f"{api} pages={pages}")))
        lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "INFO",
                      f"Classified as {pick(sc, kinds)} confidence={rng.uniform(0.81, 0.99):.2f}; tagged object")))
        return {"lines": lines, "dur": dur}

    LambdaLogs(sc, fn, "python3.12", 1536, 60, mem_used=(240, 20)).run(minutes(m["inv"]), minutes(m["err"]), body)

    def obody(ll, t, rid, is_err, cold):
        return {"lines": [(0.01, ll.fmt(t, rid, "INFO", f"Notifying adjuster queue ON-{sc.rng.randint(1, 12):02d} of new "
                                        f"document for CLM-{sc.rng.randint(5100000, 5899999)}"))], "dur": sc.rng.gauss(400, 50)}

    LambdaLogs(sc, other, "ruby3.3", 256, 30, retire=[-2392], mem_used=(81, 4)).run(minutes(o["inv"]), {}, obody)
    sc.alarm("claimdoc-classify-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 8,
             "GreaterThanThreshold", "Classifier failures")
    sc.alarm("adjuster-notify-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300, 1, 2,
             "GreaterThanThreshold")
    expect(sc, "claimdoc-classify-errors", "permission_denied", [fn],
           [anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta(sc, alarm_on="origin", services="Lambda (Python 3.12, Ruby 3.3), IAM",
         decoys="code deploy of another function 7 s before the first failure; Textract throughput-exceeded "
                "errors (counted in Errors) and throttling retries at a constant low rate all along",
         story="At -40 min the `terraform-ci` user rewrites the classifier role's inline policy (PutRolePolicy "
               "on `" + role + "`). Fifteen seconds later every document that needs forms/tables analysis fails "
               "with `AccessDeniedException ... is not authorized to perform: textract:AnalyzeDocument because no "
               "identity-based policy allows` it; plain-text pages that use DetectDocumentText still succeed. The "
               "adjuster-notify deploy sits between the IAM change and the first failure but that function is "
               "untouched. The classifier's baseline Errors come from occasional "
               "ProvisionedThroughputExceededException after retries, at the same rate before and after.")
    return sc


BUILDERS = [build_05, build_06]
