"""h87-03 (document-vault Lambda denied kms:GenerateDataKey after a role-policy edit) and h87-04
(legacy PHP filing app behind an ALB; its Postgres instance crashed and is still in recovery)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg

from . import kit
from .kit import LAST3H, apache, emit, every, monolog, php_error


def build_03():
    sc = kit.make(3, "doc-vault-put-errors",
                  "Supporting-document uploads failing: taxpayers get 'Upload failed, try again' for "
                  "W-2 and 1099 PDFs. Lambda Errors alarm paged the documents team.", "us-east-2",
                  "2027-04-12T15:05:00+00:00")
    rng, acct = sc.rng, sc.account
    fn, api, other = "doc-vault-put", "taxpayer-docs-api", "doc-thumbnail"
    iam, decoy = -2400, -2365
    onset = iam + 55
    key = sc.uuid()
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=20, memory_size=1024,
                role=f"arn:aws:iam::{acct}:role/doc-vault-put-role")
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=60, memory_size=2048)
    sc.resource("apigateway", api, stage="v2", binary_media_types=["application/pdf", "image/*"])

    load = lambda t: 120 * diurnal(sc, t, 16.0, 0.3)
    upl = 0.86
    err = lambda t: 0.25 + load(t) * upl * ramp(t, onset, onset + 60)
    lm = kit.lambda_metrics(sc, fn, load, lambda t: 640 - 560 * ramp(t, onset, onset + 60) * upl, err)
    kit.lambda_metrics(sc, other, lambda t: load(t) * 0.8 * (1 - ramp(t, onset, onset + 60)) + 2,
                       lambda t: 2100.0)
    kit.apigw_metrics(sc, api, load, lambda t: 700 - 560 * ramp(t, onset, onset + 60) * upl,
                      e4=lambda t: load(t) * 0.05, e5=err)

    sc.alarm("doc-vault-put-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Document vault writer: invocation errors")
    sc.alarm("taxpayer-docs-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 50,
             "GreaterThanThreshold")
    sc.alarm("doc-thumbnail-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 60, 3, 5,
             "GreaterThanThreshold")

    sc.change(-17400, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api,
              "svc-docs-pipeline")
    sc.change(-7300, "kms.amazonaws.com", "CreateAlias", "AWS::KMS::Alias", "alias/efile-docs-2027",
              "chg-CHG0042240-lmorales")
    sc.change(iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "doc-vault-put-role",
              "chg-CHG0042240-lmorales")
    sc.change(decoy, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api,
              "svc-docs-pipeline")
    sc.change(decoy + 4, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api,
              "svc-docs-pipeline")

    ll = LambdaLogs(sc, fn, "nodejs20.x", 1024, 20, mem_used=(182, 12))
    bucket = "efile-taxpayer-docs-prod"
    denied = (f"User: arn:aws:sts::{acct}:assumed-role/doc-vault-put-role/{fn} is not authorized to perform: "
              f"kms:GenerateDataKey on resource: arn:aws:kms:us-east-2:{acct}:key/{key} because no "
              "identity-based policy allows the kms:GenerateDataKey action")

    def body(l, t, rid, is_err, cold):
        obj = f"{rng.choice(['w2', '1099-int', '1099-nec', '1098', 'id'])}/{sc.hexid(12)}.pdf"
        if is_err and t < onset:
            big = rng.uniform(10.1, 14.0)
            return {"dur": rng.uniform(5, 12), "lines": [
                (0.004, l.fmt(t, rid, "ERROR", "Invoke Error \t" + json.dumps(
                    {"errorType": "PayloadTooLargeError", "errorMessage": f"request entity too large: {big:.1f} MB exceeds 10 MB",
                     "stack": [f"PayloadTooLargeError: request entity too large: {big:.1f} MB exceeds 10 MB",
                               "    at assertSize (/var/task/src/limits.js:14:11)",
                               "    at Runtime.handler (/var/task/src/index.js:22:3)"]}, separators=(",", ":"))))]}
        if is_err:
            meta = {"httpStatusCode": 403, "requestId": sc.hexid(16).upper(), "extendedRequestId": sc.hexid(40),
                    "attempts": 1, "totalRetryDelay": 0}
            err_obj = {"errorType": "AccessDenied", "errorMessage": denied, "name": "AccessDenied",
                       "$fault": "client", "$metadata": meta, "Code": "AccessDenied",
                       "stack": [f"AccessDenied: {denied}",
                                 "    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:867:20)",
                                 "    at async putDocument (/var/task/src/vault.js:58:5)",
                                 "    at async Runtime.handler (/var/task/src/index.js:31:20)"]}
            return {"dur": rng.uniform(60, 110), "lines": [
                (0.004, l.fmt(t, rid, "INFO", f"PUT s3://{bucket}/{obj} sse=aws:kms kmsKey=alias/efile-docs-2027")),
                (0.07, l.fmt(t + 0.07, rid, "ERROR", "Invoke Error \t" + json.dumps(err_obj, separators=(",", ":"))))]}
        if rng.random() > upl:
            return {"dur": rng.uniform(25, 60), "lines": [
                (0.004, l.fmt(t, rid, "INFO", f"presigned GET for {obj} ttl=300s"))]}
        lines = [(0.004, l.fmt(t, rid, "INFO", f"PUT s3://{bucket}/{obj} sse=aws:kms kmsKey=alias/efile-docs-2027"))]
        if rng.random() < 0.06:
            lines.append((0.2, l.fmt(t + 0.2, rid, "WARN",
                                     "av-scan http://clamd.docs.internal:3310 returned 503, queued for rescan")))
        if rng.random() < 0.05:
            lines.append((0.01, l.fmt(t + 0.01, rid, "WARN",
                                      "rejected upload: content-type image/heic not in allow-list")))
        lines.append((0.6, l.fmt(t + 0.6, rid, "INFO", f"stored {obj} bytes={rng.randint(40000, 3900000)} etag=\"{sc.hexid(32)}\"")))
        return {"dur": rng.uniform(450, 900), "lines": lines}

    si, se = kit.thin(lm["inv"], lm["err"], LAST3H, 4)
    ll.run(si, se, body)
    api_id = sc.hexid(10)
    emit(sc, f"API-Gateway-Execution-Logs_{api_id}/v2", sc.hexid(32), LAST3H, 0, lambda t: 1.2,
         lambda t: (f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function error: "
                    f"{denied}. Lambda request id: {sc.uuid()}") if t > onset and rng.random() < upl else
         f"({sc.uuid()}) Method completed with status: {rng.choice([200, 200, 200, 200, 415])}")
    every(sc, f"/aws/lambda/{other}", "2027/04/12/[$LATEST]" + sc.hexid(32), LAST3H, 0, 120,
          lambda t: f"{sc.iso(t)}\t{sc.uuid()}\tINFO\tthumbnail batch done: {rng.randint(0, 30) if t < onset else 0} pages")

    sc.expect["alarm"] = "doc-vault-put-errors"
    kit.meta(sc, "permission_denied", [fn], "origin (Lambda)",
             "API Gateway CreateDeployment/UpdateStage 35 s after the IAM edit and just before onset; long-standing av-scan 503 and HEIC-rejection WARNs",
             "doc-vault-put's Errors alarm. At -40 min chg-CHG0042240-lmorales ran PutRolePolicy on "
             "doc-vault-put-role (the same change ticket created a new KMS alias earlier); about a minute "
             "later every upload fails with `AccessDenied ... not authorized to perform: "
             "kms:GenerateDataKey ... because no identity-based policy allows` while presigned GETs keep "
             "working. An API stage deployment lands between the policy edit and the first error, but the "
             "API only relays the function's error and the message names the role.",
             services="Lambda (Node.js 20), API Gateway, IAM/KMS (CloudTrail only)")
    return sc


def build_04():
    sc = kit.make(4, "legacy-portal-500s",
                  "Legacy e-file portal returning 500 errors on login and 'Continue my return'; ALB "
                  "target 5xx alarm in ALARM.", "us-west-1", "2027-04-14T17:20:00+00:00")
    rng = sc.rng
    alb = kit.alb_id(sc, "efile-legacy-alb")
    db = "efile-core-db"
    web = [kit.instance_id(sc) for _ in range(2)]
    crash, back = -2220, -1990  # host failure; postgres restarts and replays WAL from `back`
    sc.resource("alb", alb, name="efile-legacy-alb", scheme="internet-facing")
    for i, iid in enumerate(web):
        sc.resource("ec2", iid, name=f"efile-legacy-web-{'ab'[i]}", instance_type="m5.xlarge",
                    log_groups=["/efile/legacy/apache-access", "/efile/legacy/app", "/efile/legacy/php-error"])
    sc.resource("rds", db, engine="postgres", engine_version="13.14", instance_class="db.r5.2xlarge",
                max_connections=1500, allocated_storage_gb=2000, multi_az=False)
    sc.resource("lambda", "receipt-mailer", runtime="python3.11", timeout=60, memory_size=256)

    load = lambda t: 1400 * diurnal(sc, t, 17.0, 0.3)
    down = lambda t: 1.0 if crash <= t else 0.0
    gap = lambda f: (lambda t: None if crash <= t < back else f(t))
    dbshare = 0.72
    kit.alb_metrics(sc, alb, load, lambda t: 0.34 + 2.6 * (crash <= t < back) + 0.05 * (t >= back),
                    t5=lambda t: 1.5 + load(t) * dbshare * down(t), healthy=lambda t: 2.0,
                    t4=lambda t: load(t) * 0.03)
    for iid in web:
        kit.ec2_metrics(sc, iid, lambda t: 38 * diurnal(sc, t, 17.0, 0.25) * (1 - 0.45 * down(t)),
                        lambda t: 61.0, lambda t: 47.0)
    kit.rds_metrics(sc, db, gap(lambda t: 41 * diurnal(sc, t, 17.0, 0.2) if t < crash else 24.0),
                    gap(lambda t: 310 * diurnal(sc, t, 17.0, 0.2) if t < crash else 0.0),
                    gap(lambda t: 1210 - (t + 21600) / 21600 * 0.4),
                    freemem_gb=gap(lambda t: 21.0 if t < crash else 48.0),
                    rlat=gap(lambda t: 0.0011 if t < crash else 0.0094),
                    wlat=gap(lambda t: 0.0019 if t < crash else 0.0006))
    kit.lambda_metrics(sc, "receipt-mailer", lambda t: 30 * diurnal(sc, t, 17.0), lambda t: 820.0)

    sc.alarm("efile-legacy-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": alb}, "Sum", 60, 3, 50, "GreaterThanThreshold")
    sc.alarm("efile-legacy-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb},
             "Average", 60, 5, 1.5, "GreaterThanThreshold")
    sc.alarm("efile-core-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300,
             3, 85, "GreaterThanThreshold")
    sc.alarm("efile-core-db-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db},
             "Maximum", 60, 5, 1200, "GreaterThanThreshold")

    sc.change(-14500, "ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume", "vol-0" + sc.hexid(16),
              "aws-backup-efile")
    sc.change(-2290, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "receipt-mailer", "svc-notify-pipeline")
    sc.change(-2160, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0" + sc.hexid(16), "chg-CHG0042301-bpatel")

    host = f"{db}.c{sc.hexid(10)}.us-west-1.rds.amazonaws.com"
    dbip = "10.20.4.17"
    pglog, pgstream = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, pglog, pgstream, LAST3H, crash - 30, 300,
          lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(9000, 26000)} buffers "
                                     f"({rng.uniform(1, 3):.1f}%); 0 WAL file(s) added, 0 removed, "
                                     f"{rng.randint(20, 40)} recycled; write={rng.uniform(200, 270):.3f} s, "
                                     f"sync={rng.uniform(0.01, 0.2):.3f} s, total={rng.uniform(270, 290):.3f} s", pid=398))
    emit(sc, pglog, pgstream, LAST3H, crash - 30, lambda t: 0.35,
         lambda t: pg(sc, t, "LOG", "automatic vacuum of table \"efile.public.filing_session\": index scans: 1",
                      pid=rng.randint(20000, 32000)))
    emit(sc, pglog, pgstream, LAST3H, crash - 30, lambda t: 0.2,
         lambda t: pg(sc, t, "ERROR", "duplicate key value violates unique constraint \"uq_efin_submission\"",
                      f"10.20.{rng.choice([1, 2])}.{rng.randint(10, 90)}({rng.randint(30000, 60000)})", "efile_app", "efile"))
    sc.log(pglog, pgstream, back + 2, pg(sc, back + 2, "LOG", f"database system was interrupted; last known up at "
                                                         f"{sc.at(crash - 60).strftime('%Y-%m-%d %H:%M:%S')} UTC", pid=422))
    sc.log(pglog, pgstream, back + 2.3, pg(sc, back + 2.3, "LOG", "database system was not properly shut down; "
                                                             "automatic recovery in progress", pid=422))
    sc.log(pglog, pgstream, back + 2.6, pg(sc, back + 2.6, "LOG", "redo starts at 5A3/91000028", pid=422))
    every(sc, pglog, pgstream, back + 12.6, 0, 60,
          lambda t: pg(sc, t, "LOG", f"redo in progress, elapsed time: {t - back - 2.6:.2f} s, current LSN: "
                                     f"5A3/{0x91000028 + int((t - back) * 2.1e6):08X}", pid=422), jitter=0.05)
    emit(sc, pglog, pgstream, back + 3, 0, lambda t: 9,
         lambda t: pg(sc, t, "FATAL", "the database system is starting up",
                      f"10.20.{rng.choice([1, 2])}.{rng.randint(10, 90)}({rng.randint(30000, 60000)})", "efile_app", "efile"))

    for i, iid in enumerate(web):
        def access(t):
            path, meth = rng.choice([("/efile/login.php", "POST"), ("/efile/return/continue.php", "GET"),
                                     ("/efile/return/save.php", "POST"), ("/static/css/main.css", "GET"),
                                     ("/efile/status.php", "GET"), ("/favicon.ico", "GET")])
            dbp = path.endswith(".php")
            if path == "/favicon.ico":
                return apache(sc, t, kit.IP(sc), meth, path, 404, 209, rng.uniform(300, 900))
            if dbp and t >= crash:
                slow = crash <= t < back
                return apache(sc, t, kit.IP(sc), meth, path, 500, 1184,
                              rng.uniform(5.0e6, 5.02e6) if slow else rng.uniform(9000, 30000))
            return apache(sc, t, kit.IP(sc), meth, path, 200, rng.randint(2000, 60000), rng.lognormvariate(12.4, 0.5))

        emit(sc, "/efile/legacy/apache-access", iid, LAST3H, 0, lambda t: 5, access)

        def app(t):
            if t < crash:
                return None
            if t < back:
                msg = (f"PDOException: SQLSTATE[08006] [7] connection to server at \"{host}\" ({dbip}), port 5432 "
                       "failed: Connection timed out\n\tIs the server running on that host and accepting TCP/IP connections?")
            else:
                msg = (f"PDOException: SQLSTATE[08006] [7] connection to server at \"{host}\" ({dbip}), port 5432 "
                       "failed: FATAL:  the database system is starting up")
            return monolog(sc, t, "efile", "ERROR", msg, {"uri": rng.choice(["/efile/login.php", "/efile/return/continue.php"]),
                                                          "session": sc.hexid(26)})

        emit(sc, "/efile/legacy/app", iid, LAST3H, 0, lambda t: 3.5 if t >= crash else 0, app)
        emit(sc, "/efile/legacy/app", iid, LAST3H, 0, lambda t: 1.2,
             lambda t: monolog(sc, t, "efile", "INFO", "return saved", {"step": rng.choice(["w2", "credits", "review"]),
                                                                        "ms": rng.randint(40, 300)}) if t < crash else None)
        emit(sc, "/efile/legacy/php-error", iid, LAST3H, 0, lambda t: 1.5,
             lambda t: php_error(sc, t, "Deprecated", "Creation of dynamic property FilingSession::$lastStep is "
                                                     "deprecated in /var/www/efile/lib/FilingSession.php on line 211"))
        emit(sc, "/efile/legacy/php-error", iid, LAST3H, 0, lambda t: 0.25,
             lambda t: php_error(sc, t, "Warning", "Undefined array key \"middle_initial\" in "
                                                  "/var/www/efile/forms/PersonalInfo.php on line 88"))

    sc.expect["alarm"] = "efile-legacy-alb-target-5xx"
    kit.meta(sc, "dependency_failure", [db], "front (ALB)",
             "Lambda code deploy 1 min and a security-group ingress rule 1 min either side of onset; PHP Deprecated/Warning noise and a duplicate-key ERROR in the DB log for hours",
             "The legacy ALB's 5xx alarm. Both web instances are healthy and idle; their Monolog log "
             "shows `PDOException ... port 5432 failed: Connection timed out` from -37 min, then "
             "`FATAL:  the database system is starting up`. efile-core-db (single-AZ) has no metrics "
             "for four minutes, then zero connections; its log stops at the crash and resumes with "
             "`database system was interrupted ... automatic recovery in progress` and `redo in "
             "progress` lines that are still running. The database is down, not exhausted: 0 of 1500 "
             "connections, storage and memory ample.",
             judgement="No CloudTrail change touches the database; the crash looks like a host failure. "
                       "The label is dependency_failure on the database (the app is the victim), not unknown: "
                       "the evidence fully explains the alarm even though the crash's own trigger is not visible.",
             services="ALB, EC2 (PHP/Apache, Monolog), RDS PostgreSQL, Lambda")
    return sc


BUILDERS = [build_03, build_04]
