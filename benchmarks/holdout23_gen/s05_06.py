"""Scenarios 05-06: IAM change under a 'too many connections' decoy; env-var change under a throttling decoy."""
import datetime as dt

from .awsres import api_metrics, lambda_fn, rds_metrics
from .lib import Scn, anomaly, poisson_times, ramp, step, values

GB = 1e9
ACCT = "412398765012"


def s05():
    s = Scn("h23-05-ledger-writer-kms-denied", "ledger-writer failing every batch; ledger-events backlog "
            "growing. reporting-mysql connection alarm also open.", "eu-central-1",
            dt.datetime(2026, 11, 26, 10, 25), 2305)
    onset, iam_t, mysql_t = -1920, -1985, -2640
    fn = "ledger-writer"
    s.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=512, role="ledger-writer-role",
               trigger="SQS ledger-events (batch size 10)",
               environment={"DB_HOST": "ledger-pg.cx81mz0q7a1b.eu-central-1.rds.amazonaws.com",
                            "FIELD_KEY_ID": "alias/ledger-field-encryption"})
    s.resource("rds", "ledger-pg", engine="postgres", engine_version="16.1", instance_class="db.r6g.large",
               max_connections=1600, allocated_storage_gb=400)
    s.resource("rds", "reporting-mysql", engine="mysql", engine_version="8.0.35", instance_class="db.t4g.large",
               max_connections=150, allocated_storage_gb=200)
    s.resource("lambda", "report-builder", runtime="python3.12", timeout=300, memory_size=1024,
               trigger="EventBridge schedule rate(5 minutes)",
               environment={"REPORTING_DB_HOST": "reporting-mysql.cx81mz0q7a1b.eu-central-1.rds.amazonaws.com",
                            "REPORT_PARALLELISM": "32"})

    inv = s.counts(lambda t: 24 * s.diurnal(t, 0.25, 11) * (1.15 if t >= onset else 1.0))
    err = [[t, (n if t >= onset else 0.0)] for t, n in inv]
    key = "arn:aws:kms:eu-central-1:%s:key/7d2c91e4-5b1a-4f0e-9a63-2c8e1f4b7a90" % ACCT

    def body(t, rid, kind):
        je = "je_%s" % s.hexid(12)
        n = s.rng.randint(1, 10)
        if kind:
            return {"dur": 70 + s.rng.random() * 60, "mem": 97 + s.rng.randint(0, 6), "lines": [
                (0.003, "INFO", "Received %d ledger events (first=%s)" % (n, s.uuid())),
                (0.05, "ERROR", "Failed to encrypt counterparty fields for %s" % je),
                (0.06, None, "[ERROR] ClientError: An error occurred (AccessDeniedException) when calling the "
                 "GenerateDataKey operation: User: arn:aws:sts::%s:assumed-role/ledger-writer-role/ledger-writer is "
                 "not authorized to perform: kms:GenerateDataKey on resource: %s because no identity-based policy "
                 "allows the kms:GenerateDataKey action\nTraceback (most recent call last):\n  File \"/var/task/"
                 "handler.py\", line 44, in handler\n    entry = build_entry(record)\n  File \"/var/task/ledger/"
                 "entries.py\", line 71, in build_entry\n    enc = envelope.encrypt(fields)\n  File \"/var/task/ledger"
                 "/crypto.py\", line 29, in encrypt\n    dk = kms.generate_data_key(KeyId=KEY_ID, KeySpec=\"AES_256\")"
                 "\n  File \"/var/runtime/botocore/client.py\", line 1021, in _make_api_call\n    raise error_class"
                 "(parsed_response, operation_name)" % (ACCT, key))]}
        d = 120 + s.rng.random() * 140
        return {"dur": d, "mem": 101 + s.rng.randint(0, 8), "lines": [
            (0.003, "INFO", "Received %d ledger events (first=%s)" % (n, s.uuid())),
            (d / 1000 - 0.01, "INFO", "Posted journal entry %s (%d lines) to ledger-pg in %d ms"
             % (je, 2 * n, d * 0.6))]}

    lambda_fn(s, fn, "python3.12", 512, 30, inv, err, body, lambda t: 190 + s.noise(20), log_from=-5400)
    q = {"QueueName": "ledger-events"}
    s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count",
             s.series(lambda t: 6 + abs(s.noise(4)) + max(0, t - onset) * 3.9, nd=0))
    age = s.series(lambda t: 9 + abs(s.noise(5)) + max(0, t - onset), nd=0)
    s.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds", age)
    s.metric("AWS/SQS", "NumberOfMessagesDeleted", q, "Count",
             s.series(lambda t: 0 if t >= onset else 230 * s.diurnal(t, 0.25, 11) + s.noise(15), nd=0))
    rds_metrics(s, "ledger-pg", s.series(lambda t: 19 + s.noise(2) - 6 * step(t, onset)),
                s.series(lambda t: 41 + s.noise(2), nd=0), s.series(lambda t: 288 * GB + s.noise(0.1 * GB), nd=0),
                s.series(lambda t: 9.8 * GB + s.noise(0.05 * GB), nd=0),
                s.series(lambda t: 0.0007 + abs(s.noise(0.0002)), nd=5),
                s.series(lambda t: 0.0013 + abs(s.noise(0.0003)), nd=5))

    # decoy: reporting-mysql saturated by report-builder's parallelism bump (40 min before onset)
    full = lambda t: ramp(t, mysql_t, mysql_t + 180)
    myconn = s.series(lambda t: 150 if full(t) >= 1 else 58 + 92 * full(t) + s.noise(3), nd=0, hi=150)
    rds_metrics(s, "reporting-mysql", s.series(lambda t: 38 + 20 * full(t) + s.noise(3)), myconn,
                s.series(lambda t: 121 * GB + s.noise(0.1 * GB), nd=0),
                s.series(lambda t: 2.2 * GB - 0.5 * GB * full(t) + s.noise(0.04 * GB), nd=0),
                s.series(lambda t: 0.0016 + 0.002 * full(t) + abs(s.noise(0.0004)), nd=5))
    ri = [[t, 1.0 if (t // 60) % 5 == 0 else 0.0] for t in s.grid()]
    rerr = [[t, n if t >= mysql_t else 0.0] for t, n in ri]

    def rb(t, rid, kind):
        if kind:
            return {"dur": 4200 + s.rng.random() * 900, "mem": 180, "lines": [
                (0.01, "INFO", "Building 32 partner reports in parallel"),
                (3.9, "ERROR", "Worker 27 could not open a connection"),
                (4.0, None, "[ERROR] OperationalError: (1040, 'Too many connections')\nTraceback (most recent call "
                 "last):\n  File \"/var/task/app.py\", line 18, in handler\n    run_all(parallelism=int(os.environ"
                 "[\"REPORT_PARALLELISM\"]))\n  File \"/var/task/reports/runner.py\", line 52, in run_all\n    conn "
                 "= pymysql.connect(**DB)\n  File \"/var/task/pymysql/connections.py\", line 361, in __init__\n    "
                 "self.connect()")]}
        return {"dur": 61000 + s.rng.random() * 9000, "mem": 240, "lines": [
            (0.01, "INFO", "Building 4 partner reports in parallel"),
            (60.0, "INFO", "Published 4 reports to s3://acme-partner-reports/daily/")]}

    lambda_fn(s, "report-builder", "python3.12", 1024, 300, ri, rerr, rb, lambda t: 64000 + s.noise(3000),
              rotate=(mysql_t - 60,), nstreams=1)
    s.change(mysql_t - 60, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
             "AWS::Lambda::Function", "report-builder", "AWSReservedSSO_DataEng_9b2e41/l.martin")

    # the real trigger: inline policy on the function's role rewritten, kms:GenerateDataKey dropped
    s.change(iam_t, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "ledger-writer-role",
             "AWSReservedSSO_PlatformAdmin_3f1c77/m.schneider", region="us-east-1",
             policy_name="ledger-writer-inline")

    s.alarm("ledger-writer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
            "GreaterThanThreshold", "ALARM", "auto", err, "ledger-writer failed invocations", after=onset)
    s.alarm("ledger-events-oldest-message", "AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Maximum", 60, 5, 600,
            "GreaterThanThreshold", "ALARM", "auto", age, after=onset)
    s.alarm("reporting-mysql-connections-high", "AWS/RDS", "DatabaseConnections",
            {"DBInstanceIdentifier": "reporting-mysql"}, "Maximum", 60, 3, 135, "GreaterThanThreshold", "ALARM",
            "auto", myconn, after=mysql_t)
    s.set_expect("ledger-writer-errors", "permission_denied", [fn, "ledger-writer-role"],
                 [anomaly("AWS/Lambda", "Errors", FunctionName=fn),
                  anomaly("AWS/SQS", "ApproximateAgeOfOldestMessage", QueueName="ledger-events")])
    s.meta = dict(category="permission_denied", resources=[fn, "ledger-writer-role"],
                  alarm_on="origin (busy neighbours)",
                  decoys="reporting-mysql at max_connections with its own ALARM and `Too many connections` "
                         "errors (report-builder, since 12 min before onset); report-builder config change",
                  story="Every ledger-writer invocation fails from ~32 min ago with AccessDeniedException on "
                        "kms:GenerateDataKey for its own role ('no identity-based policy allows'). CloudTrail (IAM "
                        "events are recorded in us-east-1) shows PutRolePolicy rewriting ledger-writer-role's "
                        "inline policy 65 s before onset. The SQS backlog and message age grow from there. The loud "
                        "neighbour is reporting-mysql: connections pinned at 150 with a firing alarm and report-builder "
                        "failing with 1040 Too many connections since an earlier REPORT_PARALLELISM change. But "
                        "ledger-writer writes to ledger-pg, which is healthy, and its failures never reach a database. "
                        "Label: permission_denied on ledger-writer (role ledger-writer-role).")
    return s


def s06():
    s = Scn("h23-06-media-api-5xx-secret-config", "media-api returning 5xx on metadata endpoints; "
            "thumbnail-worker throttle alarm also open.", "us-east-1", dt.datetime(2026, 11, 19, 17, 50), 2306)
    onset, cfg = -1710, -1732
    api, fn = "media-api", "media-meta"
    s.resource("apigateway", api, stage="prod", rest_api_id="p9w2d7k4xz",
               integrations={"GET /media/{id}/metadata": "lambda:media-meta",
                             "PUT /media/{id}/metadata": "lambda:media-meta",
                             "POST /uploads": "lambda:media-upload-url"})
    s.resource("lambda", fn, runtime="python3.11", timeout=10, memory_size=256,
               environment={"DB_SECRET_ID": "prod/media-meta/db-v2", "DB_NAME": "media", "LOG_LEVEL": "INFO"})
    s.resource("lambda", "media-upload-url", runtime="nodejs20.x", timeout=6, memory_size=256,
               environment={"UPLOAD_BUCKET": "acme-media-uploads"})
    s.resource("lambda", "thumbnail-worker", runtime="python3.12", timeout=60, memory_size=1536,
               reserved_concurrency=5, trigger="SQS thumbnail-jobs")
    s.resource("rds", "media-db", engine="postgres", engine_version="15.6", instance_class="db.t4g.large",
               max_connections=800, allocated_storage_gb=100)

    meta_inv = s.counts(lambda t: 26 * s.diurnal(t, 0.3, 19))
    merr = [[t, (n if t >= onset else 0.0)] for t, n in meta_inv]

    def meta(t, rid, kind):
        mid = "m_%s" % s.hexid(10)
        verb = "PUT" if s.rng.random() < 0.3 else "GET"
        if kind:
            return {"dur": 55 + s.rng.random() * 60, "mem": 78 + s.rng.randint(0, 4), "lines": [
                (0.002, "INFO", "%s /media/%s/metadata" % (verb, mid)),
                (0.05, None, "[ERROR] ResourceNotFoundException: An error occurred (ResourceNotFoundException) when "
                 "calling the GetSecretValue operation: Secrets Manager can't find the specified secret.\nTraceback "
                 "(most recent call last):\n  File \"/var/task/app.py\", line 31, in handler\n    conn = db."
                 "get_connection()\n  File \"/var/task/media_meta/db.py\", line 22, in get_connection\n    secret = "
                 "sm.get_secret_value(SecretId=os.environ[\"DB_SECRET_ID\"])\n  File \"/var/runtime/botocore/client"
                 ".py\", line 1009, in _make_api_call\n    raise error_class(parsed_response, operation_name)")]}
        d = 18 + s.rng.random() * 40
        return {"dur": d, "mem": 84 + s.rng.randint(0, 6), "lines": [
            (0.002, "INFO", "%s /media/%s/metadata" % (verb, mid)),
            (d / 1000 - 0.003, "INFO", "%s /media/%s/metadata -> %d (%d fields)" % (verb, mid,
                                                                                   200 if verb == "GET" else 204,
                                                                                   s.rng.randint(6, 30)))]}

    lambda_fn(s, fn, "python3.11", 256, 10, meta_inv, merr, meta, lambda t: 34 + s.noise(4), log_from=-4800,
              rotate=(cfg + 15,))
    s.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn,
             "terraform-ci")

    up_inv = s.counts(lambda t: 14 * s.diurnal(t, 0.3, 19))

    def up(t, rid, kind):
        d = 40 + s.rng.random() * 50
        return {"dur": d, "mem": 88, "lines": [(d / 1000 - 0.01, "INFO", "presigned upload url issued key=raw/%s "
                                                                         "expires=900s" % s.hexid(16))]}

    lambda_fn(s, "media-upload-url", "nodejs20.x", 256, 6, up_inv, [[t, 0.0] for t, _ in up_inv], up,
              lambda t: 62 + s.noise(6), log_from=-3600, nstreams=2)
    mv, uv, ev = values(meta_inv), values(up_inv), values(merr)
    count = [[t, mv[t] + uv[t]] for t in mv]
    api_metrics(s, api, count, s.counts(lambda t: 0.8), merr,
                s.series(lambda t: 68 + s.noise(7)), s.series(lambda t: 55 + s.noise(6)))

    # decoy: thumbnail backfill saturating a 5-concurrency SQS consumer (throttles in ALARM)
    bf = -2040
    ti = s.counts(lambda t: 5 + 28 * step(t, bf))
    tthr = s.counts(lambda t: 110 * step(t, bf) * (0.8 + 0.4 * s.rng.random()))

    def thumb(t, rid, kind):
        d = 8200 + s.rng.random() * 1600
        src = "backfill" if t >= bf else "upload"
        return {"dur": d, "mem": 690 + s.rng.randint(0, 120), "lines": [
            (d / 1000 - 0.02, "INFO", "Generated 3 thumbnails for media m_%s (source=%s)" % (s.hexid(10), src))]}

    lambda_fn(s, "thumbnail-worker", "python3.12", 1536, 60, ti, [[t, 0.0] for t, _ in ti], thumb,
              lambda t: 8900 + s.noise(400), log_from=-2400, nstreams=5, thr=tthr,
              conc=s.series(lambda t: 5 if t >= bf else 1 + abs(s.noise(0.8)), nd=0))
    rds_metrics(s, "media-db", s.series(lambda t: 14 + s.noise(2) - 5 * step(t, onset)),
                s.series(lambda t: 22 + s.noise(1.5) - 9 * step(t, onset + 120), nd=0),
                s.series(lambda t: 63 * GB + s.noise(0.05 * GB), nd=0),
                s.series(lambda t: 4.4 * GB + s.noise(0.04 * GB), nd=0),
                s.series(lambda t: 0.0006 + abs(s.noise(0.0002)), nd=5))

    ex = []
    for t in poisson_times(s, lambda m: ev.get(m, 0) * 0.5, onset):
        r = s.uuid()
        ex += [(t, "(%s) Lambda execution failed with status 200 due to customer function error: An error occurred "
                   "(ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find "
                   "the specified secret.. Lambda request id: %s" % (r, s.uuid())),
               (t + 0.001, "(%s) Method completed with status: 502" % r)]
    s.log("API-Gateway-Execution-Logs_p9w2d7k4xz/prod", s.hexid(32), ex)

    s.alarm("media-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 2, 10,
            "GreaterThanThreshold", "ALARM", "auto", merr, "media-api 5XX", after=onset)
    s.alarm("thumbnail-worker-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "thumbnail-worker"}, "Sum",
            60, 3, 20, "GreaterThanThreshold", "ALARM", "auto", tthr, after=bf)
    s.set_expect("media-api-5xx", "config_change", [fn],
                 [anomaly("AWS/ApiGateway", "5XXError", ApiName=api), anomaly("AWS/Lambda", "Errors",
                                                                                FunctionName=fn)])
    s.meta = dict(category="config_change", resources=[fn], alarm_on="front (API → media-meta Lambda)",
                  decoys="thumbnail-worker Throttles alarm in ALARM (backfill on an SQS consumer with reserved "
                         "concurrency 5), starting 5 min before onset",
                  story="terraform-ci ran UpdateFunctionConfiguration on media-meta 22 s before the first failure. "
                        "From then on every invocation raises ResourceNotFoundException from GetSecretValue for "
                        "SecretId=os.environ['DB_SECRET_ID'], now `prod/media-meta/db-v2`, a secret that does not "
                        "exist. The API's 5XX count equals media-meta's errors, and the other route (media-upload-url) "
                        "is fine. thumbnail-worker is loudly throttled with its own alarm, but it is an SQS consumer "
                        "not wired to the API; its throttles come from a backfill and the function has no errors. "
                        "Label: config_change on media-meta.")
    return s
