"""Scenarios 13-14."""
from __future__ import annotations

import json

from .blocks import http_api_metrics, lambda_metrics, rds_metrics
from .common import Scn, ramp
from .lambdalog import Inv, lambda_logs

GB = 1024 ** 3
ACCT = "731942058864"
KEY = f"arn:aws:kms:ca-central-1:{ACCT}:key/5b1f0c2e-8d3a-4e7b-9c61-2f4a8e0d7b13"


def _dotnet_unhandled(etype, emsg, frames):
    return json.dumps({"errorType": etype, "errorMessage": emsg,
                       "stackTrace": [f"at {f}" for f in frames]}, separators=(",", ":"))


def b13() -> Scn:
    sc = Scn(13, "document-intake-errors-kms-decrypt-removed", "ca-central-1", 2913, "2026-03-23T15:10:00",
             "Uploaded documents are not being processed; document-intake Errors alarm.")
    chg = -1900
    denied = lambda t: t >= chg + 20
    sc.res("lambda", "document-intake", runtime="dotnet8", timeout=60, memory_size=1024,
           role="document-intake-role", trigger="S3 ObjectCreated:* on intake-uploads-prod (SSE-KMS alias/intake-docs)")
    sc.res("lambda", "document-thumbnailer", runtime="dotnet8", timeout=60, memory_size=1536,
           role="document-thumbnailer-role", trigger="S3 ObjectCreated:* on intake-uploads-prod (suffix .pdf)")
    sc.res("lambda", "document-search-indexer", runtime="nodejs20.x", timeout=60, memory_size=512,
           trigger="DynamoDB stream documents")
    up = lambda t: 46 * sc.diurnal(t, 19, 0.3)
    lambda_metrics(sc, "document-intake", lambda t: up(t) * (1 + 2 * denied(t)),
                   lambda t: 1.0 if denied(t) else 0.021, lambda t: 140 if denied(t) else 2300)
    lambda_metrics(sc, "document-thumbnailer", lambda t: up(t) * 0.8, lambda t: 0.001, lambda t: 1700)
    lambda_metrics(sc, "document-search-indexer", lambda t: 9 * sc.diurnal(t, 19, 0.3) * (0.05 if denied(t) else 1),
                   lambda t: 0.0, lambda t: 210)
    tbl = {"TableName": "documents"}
    sc.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", tbl, "Count",
              sc.counts(lambda t: up(t) * 2.1 * (0.02 if denied(t) else 1)))
    sc.metric("AWS/DynamoDB", "WriteThrottleEvents", tbl, "Count", sc.counts(lambda t: 0.0))
    sc.metric("AWS/Lambda", "AsyncEventsDropped", {"FunctionName": "document-intake"}, "Count",
              sc.counts(lambda t: up(t) * ramp(t, chg + 200, chg + 260)))
    frames = ["Amazon.Runtime.Internal.HttpErrorResponseExceptionHandler.HandleExceptionStream(IRequestContext requestContext, IWebResponseData httpErrorResponse, HttpErrorResponseException exception, Stream responseStream)",
              "Amazon.Runtime.Internal.ErrorHandler.InvokeAsync[T](IExecutionContext executionContext)",
              "Amazon.Runtime.Internal.CallbackHandler.InvokeAsync[T](IExecutionContext executionContext)",
              "DocumentIntake.Storage.UploadReader.OpenAsync(String bucket, String key, CancellationToken ct) in /src/DocumentIntake/Storage/UploadReader.cs:line 38",
              "DocumentIntake.Function.FunctionHandler(S3Event evnt, ILambdaContext context) in /src/DocumentIntake/Function.cs:line 64"]
    deny = (f"User: arn:aws:sts::{ACCT}:assumed-role/document-intake-role/document-intake is not authorized to "
            f"perform: kms:Decrypt on resource: {KEY} because no identity-based policy allows the kms:Decrypt action")

    def intake(sc, t, rid, env):
        r = sc.rng
        key = f"tenants/T{r.randint(1000, 9999)}/{sc.stamp(t, '%Y/%m/%d')}/{sc.uid()}.pdf"
        lines = [(4, "INFO", f"Received s3://intake-uploads-prod/{key} ({r.randint(40, 9000)} KB)")]
        if denied(t):
            d = r.uniform(90, 210)
            lines.append((d - 8, "ERROR", f"GetObject failed for s3://intake-uploads-prod/{key}: "
                                          f"Amazon.S3.AmazonS3Exception: {deny}\n ---> Amazon.Runtime.Internal."
                                          f"HttpErrorResponseException: Exception of type 'Amazon.Runtime.Internal."
                                          f"HttpErrorResponseException' was thrown.\n   ErrorCode: AccessDenied, "
                                          f"StatusCode: 403"))
            lines.append((d - 2, "ERROR", _dotnet_unhandled("AmazonS3Exception", deny, frames)))
            return Inv(d, r.randint(96, 118), lines, "error")
        d = r.uniform(1400, 3600)
        if r.random() < 0.021:
            msg = "UglyToad.PdfPig.Core.PdfDocumentFormatException: Could not find the version header comment at the start of the document."
            lines.append((d - 5, "ERROR", f"Rejecting {key}: {msg}"))
            lines.append((d - 2, "ERROR", _dotnet_unhandled("PdfDocumentFormatException", msg.split(": ", 1)[1],
                                                            ["UglyToad.PdfPig.Parser.FileStructure.FileHeaderParser.Parse(ISeekableTokenScanner scanner, IInputBytes inputBytes, Boolean isLenientParsing, ILog log)",
                                                             "DocumentIntake.Function.FunctionHandler(S3Event evnt, ILambdaContext context) in /src/DocumentIntake/Function.cs:line 71"])))
            return Inv(d, r.randint(140, 190), lines, "error")
        lines.append((d * 0.6, "INFO", f"Extracted {r.randint(1, 40)} pages, {r.randint(200, 20000)} words"))
        lines.append((d - 4, "INFO", f"Stored metadata for {key} in documents (doc_id=d_{sc.hexid(12)})"))
        return Inv(d, r.randint(190, 260), lines)

    lambda_logs(sc, "document-intake", "dotnet8", -8400, 0, 3, lambda t: 3.0 if not denied(t) else 8.0, intake,
                1024, 60, recycle=[], init_ms=(600, 900))

    def thumb(sc, t, rid, env):
        d = sc.rng.uniform(1200, 2200)
        return Inv(d, sc.rng.randint(300, 380), [
            (d - 3, "INFO", f"Thumbnail written s3://intake-thumbnails-prod/{sc.uid()}.webp (page 1, 320x452)")])

    lambda_logs(sc, "document-thumbnailer", "dotnet8", -8400, 0, 1, lambda t: 3.0, thumb, 1536, 60,
                recycle=[-4000], init_ms=(600, 900))
    sc.change(-4000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "document-thumbnailer", "github-actions-deployer")
    sc.change(-2300, "s3.amazonaws.com", "PutBucketPolicy", "AWS::S3::Bucket", "marketing-assets-prod",
              "web-team-admin")
    sc.change(chg, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "document-intake-role",
              "security-automation")
    fd = {"FunctionName": "document-intake"}
    sc.alarm("document-intake-errors", "AWS/Lambda", "Errors", fd, "Sum", 60, 3, 10,
             description="document-intake errors", want="ALARM")
    sc.alarm("document-thumbnailer-errors", "AWS/Lambda", "Errors", {"FunctionName": "document-thumbnailer"},
             "Sum", 60, 3, 10, want="OK")
    sc.expect("document-intake-errors", "permission_denied", ["document-intake", "document-intake-role"],
              [("AWS/Lambda", "Errors", fd)])
    sc.readme("origin", "document-thumbnailer deploy 35 min before (reads the same bucket and key, stays "
              "healthy); bucket policy change on another bucket; pre-existing PdfPig format errors at ~2 %",
              "A security-automation job rewrites document-intake-role's inline policy (PutRolePolicy) at 14:38. "
              "From the next upload every document-intake invocation fails with `AmazonS3Exception: ... is not "
              "authorized to perform: kms:Decrypt on resource ... because no identity-based policy allows the "
              "kms:Decrypt action` (AccessDenied 403) on GetObject; S3 async retries triple the invocations and "
              "events are dropped. The thumbnailer reads the same SSE-KMS objects with its own role and keeps "
              "working, which rules out the key and the bucket. The old PdfPig header errors are a steady ~2 % "
              "background. AccessDenied after an IAM change is `permission_denied` on the function's role.")
    return sc


def b14() -> Scn:
    sc = Scn(14, "ledger-api-errors-postgres-crash-loop", "ap-south-1", 2914, "2026-03-24T06:15:00",
             "Ledger API failing intermittently; ledger-api Errors alarm.")
    on = -1500
    crashes = []
    t = on
    while t < -60:
        crashes.append(t)
        t += sc.rng.uniform(70, 170)
    down = lambda t: any(c <= t < c + 14 for c in crashes)
    since = lambda t: min((t - c for c in crashes if c <= t), default=None)
    sc.res("apigateway", "ledger-http-api", protocol="HTTP", api_id="m2n4b6v8c1", integration="ledger-api")
    sc.res("lambda", "ledger-api", runtime="java17", timeout=15, memory_size=1536,
           environment={"DB_URL": "jdbc:postgresql://ledger-db.c7vq1xk2.ap-south-1.rds.amazonaws.com:5432/ledger"})
    sc.res("lambda", "fx-quotes", runtime="java17", timeout=10, memory_size=1024)
    sc.res("rds", "ledger-db", engine="postgres", engine_version="16.3", instance_class="db.m6g.xlarge",
           max_connections=3000, allocated_storage_gb=1000, multi_az=False)
    traffic = lambda t: 1200 * sc.diurnal(t, 6, 0.25)
    fail = lambda t: 0.38 * ramp(t, on, on + 60)
    http_api_metrics(sc, "m2n4b6v8c1", traffic, lambda t: 0.0004 + fail(t), lambda t: 0.015,
                     lambda t: 95 + 900 * ramp(t, on, on + 60))
    lambda_metrics(sc, "ledger-api", traffic, lambda t: 0.0004 + fail(t), lambda t: 80 + 880 * ramp(t, on, on + 60))
    lambda_metrics(sc, "fx-quotes", lambda t: 300 * sc.diurnal(t, 6, 0.25), lambda t: 0.0006, lambda t: 60)

    def conns(t):
        s = since(t)
        if s is None:
            return 140 * sc.diurnal(t, 6, 0.25)
        return 2 if s < 20 else min(150.0, 20 + s * 1.2)

    rds_metrics(sc, "ledger-db", lambda t: 31 * sc.diurnal(t, 6, 0.25) if since(t) is None else 12 + 10 * sc.rng.random(),
                conns, lambda t: 611 * GB - (t + 21600) * 3000, freeable_mem=lambda t: 9.8e9)
    pids = iter(range(23000, 90000, 37))
    pg = []
    t = -21580.0
    while t < 0:
        pg.append((t, f"{sc.stamp(t)} UTC::@:[397]:LOG:  checkpoint complete: wrote {sc.rng.randint(3000, 9000)} "
                      f"buffers ({sc.rng.uniform(1, 4):.1f}%); 0 WAL file(s) added, 0 removed, {sc.rng.randint(4, 12)} "
                      f"recycled; write={sc.rng.uniform(200, 269):.3f} s"))
        t += 300
    for c in crashes:
        p = next(pids)
        ip = f"10.60.{sc.rng.randint(2, 9)}.{sc.rng.randint(3, 250)}"
        pre = f"{sc.stamp(c)} UTC::@:[397]:"
        lsn = f"{sc.rng.randint(70, 79):X}/{sc.hexid(8).upper()}"
        pg += [(c, f"{pre}LOG:  server process (PID {p}) was terminated by signal 11: Segmentation fault"),
               (c + 0.001, f"{pre}DETAIL:  Failed process was running: SELECT e.id, e.amount, e.currency FROM "
                           f"ledger_entries e WHERE e.account_id = $1 AND e.posted_at >= $2 ORDER BY e.posted_at"),
               (c + 0.002, f"{pre}LOG:  terminating any other active server processes"),
               (c + 0.05, f"{sc.stamp(c)} UTC:{ip}(5{sc.rng.randint(1000, 9999)}):ledger_app@ledger:[{next(pids)}]:"
                          f"WARNING:  terminating connection because of crash of another server process"),
               (c + 0.9, f"{pre}LOG:  all server processes terminated; reinitializing"),
               (c + 1.2, f"{sc.stamp(c + 1)} UTC::@:[{next(pids)}]:LOG:  database system was interrupted; last known "
                         f"up at {sc.stamp(c - 40)} UTC"),
               (c + 1.3, f"{sc.stamp(c + 1)} UTC::@:[{next(pids)}]:LOG:  database system was not properly shut down; "
                         f"automatic recovery in progress"),
               (c + 1.4, f"{sc.stamp(c + 1)} UTC::@:[{next(pids)}]:LOG:  redo starts at {lsn}"),
               (c + 12.6, f"{sc.stamp(c + 12)} UTC::@:[397]:LOG:  database system is ready to accept connections")]
        for k in range(4):
            tt = c + 2 + k * 2.5
            pg.append((tt, f"{sc.stamp(tt)} UTC:10.60.{sc.rng.randint(2, 9)}.{sc.rng.randint(3, 250)}"
                           f"(5{sc.rng.randint(1000, 9999)}):ledger_app@ledger:[{next(pids)}]:FATAL:  the database "
                           f"system is in recovery mode"))
    sc.log("/aws/rds/instance/ledger-db/postgresql", "ledger-db.0", pg)
    frames = ("\n\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)"
              "\n\tat org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2412)"
              "\n\tat org.postgresql.jdbc.PgPreparedStatement.executeQuery(PgPreparedStatement.java:134)"
              "\n\tat com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery(HikariProxyPreparedStatement.java)"
              "\n\tat in.acme.ledger.EntryRepository.findSince(EntryRepository.java:57)"
              "\n\tat in.acme.ledger.LedgerHandler.handleRequest(LedgerHandler.java:44)")
    msgs = ["org.postgresql.util.PSQLException: FATAL: terminating connection because of crash of another server "
            "process\n  Detail: The postmaster has commanded this server process to roll back the current transaction "
            "and exit, because another server process exited abnormally and possibly corrupted shared memory.",
            "org.postgresql.util.PSQLException: FATAL: the database system is in recovery mode",
            "org.postgresql.util.PSQLException: An I/O error occurred while sending to the backend.\nCaused by: "
            "java.io.EOFException"]

    def api(sc, t, rid, env):
        r = sc.rng
        acct = f"ACC{r.randint(10**8, 10**9)}"
        s = since(t)
        if s is not None and (down(t) or r.random() < (0.6 if s < 50 else 0.08)):
            d = r.uniform(20, 2500)
            m = msgs[1] if down(t) and s > 1.5 else r.choice([msgs[0], msgs[2]])
            return Inv(d, r.randint(260, 300), [
                (d - 4, "ERROR", f"i.a.l.LedgerHandler - GET /accounts/{acct}/entries failed{chr(10)}{m}{frames}")],
                "error")
        d = r.uniform(30, 140) + (r.uniform(200, 1500) if s is not None and s < 40 else 0)
        lines = [(d - 2, "INFO", f"i.a.l.LedgerHandler - GET /accounts/{acct}/entries 200 rows={r.randint(0, 200)} "
                                 f"{d:.0f}ms")]
        if r.random() < 0.01:
            lines.insert(0, (1, "WARN", f"i.a.l.LedgerHandler - slow request GET /accounts/{acct}/statement "
                                        f"took {r.randint(2000, 3500):,} ms"))
        return Inv(d, r.randint(260, 300), lines)

    lambda_logs(sc, "ledger-api", "java17", -7200, 0, 3, lambda t: 5.0, api, 1536, 15, init_ms=(3200, 4100))
    sc.change(-10000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot", "ledger-db",
              "backup-operator")
    sc.change(-4800, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "analytics-db", "dba-oncall")
    sc.change(-2000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "fx-quotes",
              "github-actions-deployer")
    fd = {"FunctionName": "ledger-api"}
    sc.alarm("ledger-api-errors", "AWS/Lambda", "Errors", fd, "Sum", 60, 3, 20,
             description="Ledger API errors", want="ALARM")
    sc.alarm("ledger-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "ledger-db"}, "Average",
             300, 2, 85, want="OK")
    sc.expect("ledger-api-errors", "dependency_failure", ["ledger-db"],
              [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "ledger-db"}),
               ("AWS/Lambda", "Errors", fd)])
    sc.readme("caller", "fx-quotes deploy 8 min before onset; ModifyDBInstance on analytics-db; manual snapshot of "
              "ledger-db 2.3 h earlier; rare slow-statement warnings; DB CPU alarm stays OK",
              "From 05:50 ledger-db's PostgreSQL backend keeps crashing: `server process ... was terminated by "
              "signal 11: Segmentation fault`, all sessions are terminated, crash recovery runs, and the server "
              "is back ~12 s later - only to crash again 1-3 minutes on. ledger-api gets `terminating connection "
              "because of crash of another server process`, `the database system is in recovery mode` and EOF "
              "I/O errors, and ~40 % of requests fail. DatabaseConnections saw-tooths from ~140 to 0 at each crash, "
              "CPU is low, storage and memory are ample: the database is failing, not exhausted. Errors from a "
              "downstream database that is not itself saturated are `dependency_failure` with ledger-db as origin.")
    return sc
