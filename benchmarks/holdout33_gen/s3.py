"""Scenarios 09-12."""
import json
import random

from .lib import (LOG_START, alarm, alb_metrics, change, clock, counts, diurnal, ecs_metrics,
                  hexid, iso, lambda_logs, lambda_metrics, lookup, metric, poisson_times, rid,
                  scenario, series, smooth, stream)


def _pino(t, level, msg, **kw):
    d = {"level": level, "time": int(1763640000000 + t * 1000), "pid": 1, "hostname": kw.pop("host", "ip-10-0-4-17"), "msg": msg}
    d.update(kw)
    return json.dumps(d)


def s09():
    """ECS Node service: partner API times out, retries then circuit breaker; ALB latency alarm."""
    r = random.Random(3309)
    reg, cl, svc = "us-east-1", "shop-prod", "shipping-quote-svc"
    lb = "app/shop-public/1f2e3d4c5b6a7980"
    onset = -2100
    req = counts(r, lambda t: 520 * diurnal(t))
    rt = series(lambda t: r.gauss(0.12, 0.015) if t < onset else r.gauss(2.9 if t < onset + 240 else 1.7, 0.2))
    t5 = [[t, float(r.randint(0, 2) + (int(v * 0.14) if t >= onset else 0))] for t, v in req]
    mets = alb_metrics(lb, req, t5, counts(r, lambda t: 0.2), rt, series(lambda t: 6, nd=0), series(lambda t: 0, nd=0))
    mets += ecs_metrics(cl, svc, series(lambda t: r.gauss(22, 3) - (6 if t >= onset else 0)), series(lambda t: r.gauss(44, 1) + (4 if t >= onset else 0)))
    mets += ecs_metrics(cl, "cart-svc", series(lambda t: r.gauss(30, 3)), series(lambda t: r.gauss(51, 1)))
    tasks = [("ip-10-0-4-17", hexid(r)), ("ip-10-0-5-203", hexid(r))]
    ev = {k: [] for _, k in tasks}
    for m in range(LOG_START, 0, 60):
        for host, k in tasks:
            for i in range(5):
                t = m + r.uniform(0, 59)
                ev[k].append((t, _pino(t, 30, "request completed", host=host, req={"method": "POST", "url": "/quotes"},
                                       res={"statusCode": 200}, responseTime=r.randint(40, 160) if m < onset else r.randint(900, 5200))))
            if r.random() < 0.9:  # pre-existing redis reset, same rate throughout
                t = m + r.uniform(0, 59)
                ev[k].append((t, _pino(t, 50, "Redis error", host=host, err={"type": "Error", "message": "read ECONNRESET", "stack": "Error: read ECONNRESET\n    at TCP.onStreamRead (node:internal/stream_base_commons:217:20)", "code": "ECONNRESET", "syscall": "read"})))
            if m >= onset:
                for i in range(r.randint(5, 8)):
                    t = m + r.uniform(0, 59)
                    ev[k].append((t, _pino(t, 40, "parcelhub rates call failed, retrying", host=host, attempt=r.choice([1, 2]), maxAttempts=3,
                                           upstream="https://api.parcelhub-partner.com/v2/rates")))
                    ev[k].append((t + 5.0, _pino(t + 5.0, 50, "parcelhub rates call failed", host=host, upstream="https://api.parcelhub-partner.com/v2/rates",
                        err={"type": "AxiosError", "message": "timeout of 5000ms exceeded", "code": "ECONNABORTED",
                             "stack": "AxiosError: timeout of 5000ms exceeded\n    at RedirectableRequest.handleRequestTimeout (/app/node_modules/axios/dist/node/axios.cjs:3172:16)\n    at RedirectableRequest.emit (node:events:519:28)\n    at Timeout.<anonymous> (/app/node_modules/follow-redirects/index.js:221:12)\n    at listOnTimeout (node:internal/timers:581:17)\n    at async ParcelHubClient.rates (/app/src/clients/parcelhub.js:48:19)\n    at async quoteHandler (/app/src/routes/quotes.js:27:17)"})))
                if m >= onset + 60:
                    t = m + r.uniform(0, 3)
                    ev[k].append((t, _pino(t, 40, "circuit breaker OPEN for parcelhub-rates after 50% failures in 10000ms window", host=host, breaker="parcelhub-rates")))
                    t = m + 30 + r.uniform(0, 3)
                    ev[k].append((t, _pino(t, 30, "circuit breaker HALF_OPEN for parcelhub-rates; trial request", host=host, breaker="parcelhub-rates")))
                    for i in range(r.randint(3, 6)):
                        t = m + r.uniform(3, 30)
                        ev[k].append((t, _pino(t, 50, "quote failed: Breaker is open", host=host, err={"type": "Error", "message": "Breaker is open", "code": "EOPENBREAKER"},
                                               res={"statusCode": 503})))
    logs = [stream("/ecs/shipping-quote-svc", "app/shipping-quote/%s" % k, ev[k]) for _, k in tasks]
    cev = [(t, _pino(t, 30, "cart updated", host="ip-10-0-6-44")) for t in poisson_times(r, 4)]
    cev += [(-4980, _pino(-4980, 30, "server listening on :8080 (cart-svc 5.2.0)", host="ip-10-0-6-44"))]
    logs.append(stream("/ecs/cart-svc", "app/cart/%s" % hexid(r), cev))
    res = [{"type": "ecs", "id": "%s/%s" % (cl, svc), "properties": {"launch_type": "FARGATE", "desired_count": 2, "runtime": "node20", "log_groups": ["/ecs/shipping-quote-svc"], "dependencies": ["https://api.parcelhub-partner.com"]}},
           {"type": "ecs", "id": "%s/cart-svc" % cl, "properties": {"launch_type": "FARGATE", "desired_count": 3, "log_groups": ["/ecs/cart-svc"]}},
           {"type": "alb", "id": lb, "properties": {"name": "shop-public"}}]
    chg = [change(-5010, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "%s/cart-svc" % cl, "codepipeline")]
    al = [alarm("shop-public-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 1.0,
                "GreaterThanThreshold", "ALARM", onset + 180, "shop public p-avg latency > 1 s")]
    doc = scenario("h33-09-alb-latency-partner-api-breaker", "Checkout slow, shipping options missing; shop-public latency alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "shop-public-latency", "root_cause": {"category": "dependency_failure", "resource": ["%s/%s" % (cl, svc), svc, "api.parcelhub-partner.com"]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": lb}}]})
    return ("h33-09-alb-latency-partner-api-breaker.yaml", doc,
            (reg, "shop-public-latency (ALB TargetResponseTime)", "dependency_failure", "shop-prod/shipping-quote-svc, shipping-quote-svc, api.parcelhub-partner.com", "front",
             "cart-svc deploy 48 min before onset; Redis ECONNRESET ERROR at constant rate"),
            "From -35 min shipping-quote-svc's calls to the external partner api.parcelhub-partner.com time out "
            "(`AxiosError: timeout of 5000ms exceeded`), are retried, and after a minute the opossum circuit breaker opens "
            "(`Breaker is open` -> 503). The service's own CPU/memory are normal and nothing changed on it; the partner is not "
            "an account resource, so the origin is the calling service, with the partner host also accepted. The Redis "
            "`read ECONNRESET` errors are loud but steady for hours; the cart-svc deploy is unrelated. dependency_failure.")


def _dn(t, q, lvl, msg):
    return "%s\t%s\t%s\t%s" % (iso(t), q, lvl, msg)


def s10():
    """.NET Lambda: DynamoDB table provisioned WCU exceeded during bonus-points campaign."""
    r = random.Random(3310)
    reg, fn, table = "ap-southeast-2", "loyalty-points-accrual", "loyalty-ledger"
    onset = -2280
    inv = counts(r, lambda t: 14 * diurnal(t) * (1 + 0.7 * smooth(t, onset - 600, onset)))
    err = [[t, float(sum(1 for _ in range(int(v)) if t >= onset and r.random() < 0.4))] for t, v in inv]
    dur = series(lambda t: r.gauss(260, 30) if t < onset else r.gauss(2100, 300))
    li = lookup(inv)
    wcu = series(lambda t: min(200.0, li(t) * 9.5 + r.gauss(0, 4)) if t < onset else r.uniform(197, 200))
    thr = series(lambda t: 0 if t < onset else r.gauss(90, 20), integer=True)

    def handler(t, q, fail, r):
        mid = r.randint(10 ** 6, 10 ** 7)
        lines = [(0.002, _dn(t, q, "info", "Processing SQS batch of %d accrual messages" % r.randint(1, 10)))]
        if t >= onset:
            lines.append((0.4, _dn(t + 0.4, q, "warn", "Retrying PutItem on %s (attempt 2/4) after ProvisionedThroughputExceededException, backoff 212 ms" % table)))
        if r.random() < 0.04:
            lines.append((0.05, _dn(t, q, "warn", "Member %d has no enrollment date; defaulting tier to Bronze" % mid)))
        if fail:
            d = r.gauss(2900, 300)
            lines.append((d / 1000 - 0.01, _dn(t + d / 1000, q, "fail",
                "Failed to record accrual for member %d\nAmazon.DynamoDBv2.Model.ProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.\n"
                " ---> Amazon.Runtime.Internal.HttpErrorResponseException: Exception of type 'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.\n"
                "   at Amazon.Runtime.HttpWebRequestMessage.ProcessHttpResponseMessage(HttpResponseMessage responseMessage)\n"
                "   at Amazon.Runtime.Internal.HttpHandler`1.InvokeAsync[T](IExecutionContext executionContext)\n"
                "   --- End of inner exception stack trace ---\n"
                "   at Amazon.Runtime.Internal.HttpErrorResponseExceptionHandler.HandleExceptionStream(IRequestContext requestContext, IWebResponseData httpErrorResponse, HttpErrorResponseException exception, Stream responseStream)\n"
                "   at Amazon.Runtime.Internal.RetryHandler.InvokeAsync[T](IExecutionContext executionContext)\n"
                "   at LoyaltyAccrual.LedgerWriter.AppendAsync(AccrualEvent evt) in /src/LoyaltyAccrual/LedgerWriter.cs:line 64\n"
                "   at LoyaltyAccrual.Function.FunctionHandler(SQSEvent evnt, ILambdaContext context) in /src/LoyaltyAccrual/Function.cs:line 41" % mid)))
            return lines, d, r.randint(110, 130), None
        d = max(120, r.gauss(260 if t < onset else 1500, 40))
        lines.append((d / 1000 - 0.01, _dn(t + d / 1000, q, "info", "Accrued %d points for member %d" % (r.randint(5, 500), mid))))
        return lines, d, r.randint(110, 130), None
    logs = lambda_logs(r, fn, inv, err, handler, memory=512)
    mets = lambda_metrics(fn, inv, err, dur)
    dims = {"TableName": table}
    mets += [metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", dims, "Count", wcu),
             metric("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", dims, "Count", series(lambda t: 200.0)),
             metric("AWS/DynamoDB", "WriteThrottleEvents", dims, "Count", thr)]
    ninv = counts(r, lambda t: 5)
    mets += lambda_metrics("loyalty-tier-recalc", ninv, [[t, 0.0] for t, _ in ninv], series(lambda t: r.gauss(3100, 300) * (0.8 if t > -3300 else 1)))
    res = [{"type": "lambda", "id": fn, "properties": {"runtime": "dotnet8", "timeout": 30, "memory_size": 512, "event_source": "sqs:loyalty-accruals", "dynamodb_table": table}},
           {"type": "lambda", "id": "loyalty-tier-recalc", "properties": {"runtime": "dotnet8", "timeout": 120, "memory_size": 1024}}]
    chg = [change(-3320, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "loyalty-tier-recalc", "nwong"),
]
    al = [alarm("loyalty-points-accrual-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 20,
                "GreaterThanThreshold", "ALARM", onset + 300, "accrual failures")]
    doc = scenario("h33-10-lambda-dotnet-dynamodb-throughput", "Loyalty points not appearing for members; accrual Errors alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "loyalty-points-accrual-errors", "root_cause": {"category": "throttling", "resource": [table, fn]},
                    "anomalies": [{"namespace": "AWS/DynamoDB", "name": "WriteThrottleEvents", "dimensions": dims}]})
    return ("h33-10-lambda-dotnet-dynamodb-throughput.yaml", doc,
            (reg, "loyalty-points-accrual-errors (Lambda Errors)", "throttling", "loyalty-ledger, loyalty-points-accrual", "origin",
             "loyalty-tier-recalc memory change 17 min before onset; missing-enrollment WARN constant"),
            "A double-points campaign raises accrual traffic ~1.7x from -48 min. loyalty-ledger is provisioned at 200 WCU; "
            "consumed writes pin at 200, WriteThrottleEvents appear, and the .NET function logs retries then "
            "`ProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded` "
            "for ~40 % of batches. Traffic alone is modest and would be fine without the write ceiling, so the decisive evidence "
            "is the throughput-exceeded error: throttling, origin the table (function also accepted). The tier-recalc "
            "configuration change is another function; the enrollment WARN is steady.")


def _sb(t, lvl, thread, logger, msg):
    return "%s %5s 1 --- [%15s] %-40s : %s" % (iso(t)[:-1].replace("T", " "), lvl, thread[-15:], logger[:40], msg)


def s11():
    """ECS Java report-builder: heap fills, long GC pauses, OutOfMemoryError, tasks restarted."""
    r = random.Random(3311)
    reg, cl, svc = "eu-central-1", "analytics", "report-builder"
    onset = -2400
    kills = [-1560, -780]

    def mem(t):
        if t < onset:
            return r.gauss(55, 2)
        seg = [k for k in [onset] + kills if k <= t][-1]
        return min(100.0, 70 + (t - seg) / 780.0 * 40 + r.gauss(0, 1.5))
    mets = ecs_metrics(cl, svc, series(lambda t: r.gauss(38, 4) if t < onset else r.gauss(82, 6)), series(mem, hi=100))
    mets += ecs_metrics(cl, "ingest-api", series(lambda t: r.gauss(26, 3)), series(lambda t: r.gauss(43, 1)))
    task = hexid(r)
    ev = []
    for m in range(LOG_START, 0, 60):
        for i in range(3):
            t = m + r.uniform(0, 59)
            ev.append((t, _sb(t, "INFO", "report-exec-%d" % r.randint(1, 8), "c.a.report.ReportJobRunner", "job rj_%s finished: %d rows in %d ms" % (hexid(r, 8), r.randint(100, 90000), r.randint(300, 9000)))))
        if r.random() < 0.7:  # pre-existing S3 SlowDown ERRORs at constant rate
            t = m + r.uniform(0, 59)
            ev.append((t, _sb(t, "ERROR", "s3-upload-2", "c.a.report.export.S3Exporter", "upload of report r_%s to s3://analytics-reports-prod failed, will retry: "
                                "software.amazon.awssdk.services.s3.model.S3Exception: Please reduce your request rate. (Service: S3, Status Code: 503, Request ID: %s)" % (hexid(r, 8), hexid(r, 16).upper()))))
        if m >= onset:
            for i in range(r.randint(2, 4)):
                t = m + r.uniform(0, 59)
                ev.append((t, "[%s][info][gc] GC(%d) Pause Full (G1 Compaction Pause) %dM->%dM(2048M) %.3fms" % (
                    iso(t)[:-1], r.randint(1000, 9000), r.randint(2010, 2047), r.randint(1960, 2040), r.uniform(900, 2600))))
            if r.random() < 0.5:
                t = m + r.uniform(0, 59)
                ev.append((t, _sb(t, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m%ds)." % r.randint(2, 40))))
    for k in kills:
        for j in range(3):
            t = k - 40 + j * 9
            ev.append((t, _sb(t, "ERROR", "report-exec-%d" % (j + 2), "o.s.s.s.TaskUtils$LoggingErrorHandler", "Unexpected error occurred in scheduled task\n"
                         "java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n"
                         "\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)\n\tat com.analytics.report.pivot.PivotTable.addRow(PivotTable.java:142)\n"
                         "\tat com.analytics.report.ReportJobRunner.materialize(ReportJobRunner.java:211)\n\tat com.analytics.report.ReportJobRunner.run(ReportJobRunner.java:98)")))
        ev.append((k - 5, "Terminating due to java.lang.OutOfMemoryError: Java heap space"))
        ev.append((k + 25, _sb(k + 25, "INFO", "main", "c.a.report.ReportBuilderApplication", "Starting ReportBuilderApplication v4.2.7 using Java 17.0.12 with PID 1")))
        ev.append((k + 41, _sb(k + 41, "INFO", "main", "c.a.report.ReportBuilderApplication", "Started ReportBuilderApplication in 14.87 seconds (process running for 16.2)")))
    logs = [stream("/ecs/report-builder", "ecs/report-builder/%s" % task, ev)]
    ecs_ev = [(k, "(service %s) has stopped 1 running tasks: (task %s). Reason: Essential container in task exited: OutOfMemoryError: Container killed due to memory usage (exit code 137)" % (svc, hexid(r))) for k in kills]
    logs.append(stream("/aws/ecs/events/analytics", "service-events", ecs_ev))
    res = [{"type": "ecs", "id": "%s/%s" % (cl, svc), "properties": {"launch_type": "FARGATE", "cpu": 1024, "memory_mb": 3072, "jvm_opts": "-Xmx2g", "desired_count": 1, "log_groups": ["/ecs/report-builder", "/aws/ecs/events/analytics"]}},
           {"type": "ecs", "id": "%s/ingest-api" % cl, "properties": {"launch_type": "FARGATE", "desired_count": 4}}]
    chg = [change(-8000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "%s/ingest-api" % cl, "hpetrov")]
    al = [alarm("report-builder-memory-high", "AWS/ECS", "MemoryUtilization", {"ClusterName": cl, "ServiceName": svc}, "Maximum", 60, 3, 90,
                "GreaterThanThreshold", "ALARM", -240, "report-builder memory > 90 %")]
    doc = scenario("h33-11-ecs-java-heap-oom", "Scheduled reports late or missing; report-builder memory alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "report-builder-memory-high", "root_cause": {"category": "memory_exhaustion", "resource": ["%s/%s" % (cl, svc), svc]},
                    "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": {"ClusterName": cl, "ServiceName": svc}}]})
    return ("h33-11-ecs-java-heap-oom.yaml", doc,
            (reg, "report-builder-memory-high (ECS MemoryUtilization)", "memory_exhaustion", "analytics/report-builder, report-builder", "origin",
             "ingest-api UpdateService 2.2 h before; S3 SlowDown ERRORs at constant rate; new Hikari clock-leap WARN (symptom of GC pauses)"),
            "From -40 min report-builder's memory climbs in a sawtooth to 100 %; the JVM logs back-to-back Full GC pauses with the "
            "2 GB heap still ~2 GB after collection, then `java.lang.OutOfMemoryError: Java heap space` and `Terminating due to ...`, "
            "and ECS stops the task with `OutOfMemoryError: Container killed due to memory usage (exit code 137)` twice; the current task is again at 100 % and thrashing in GC. "
            "CPU rises only from GC. No change touched report-builder; the S3 503 SlowDown errors are constant background and the "
            "Hikari starvation WARN is a side-effect of the GC pauses. memory_exhaustion on the service.")


def s12():
    """Ruby Lambda: month-end statements exceed 30 s timeout; no dependency errors."""
    r = random.Random(3312)
    reg, fn = "us-west-2", "statement-generator"
    onset = -2400
    inv = counts(r, lambda t: 8)

    def items(t):
        return int(max(50, r.gauss(600, 150) * (1 + 5.5 * smooth(t, onset - 1200, onset))))
    tmo = 30000.0
    err_flags = {}

    def handler(t, q, fail, r):
        n = items(t)
        acct = r.randint(10 ** 7, 10 ** 8)
        ts = iso(t)[:-1] + "000"
        lines = [(0.01, "I, [%s #8]  INFO -- : [%s] rendering statement for account %d (%d line items)" % (ts, q, acct, n))]
        fetch = r.randint(60, 180)
        lines.append((fetch / 1000.0, "I, [%s #8]  INFO -- : [%s] fetched %d transactions from ledger-api in %d ms" % (ts, q, n, fetch)))
        if r.random() < 0.3:
            lines.append((0.5, "W, [%s #8]  WARN -- : [%s] font fallback: glyph U+2009 not in DejaVuSans, using Helvetica" % (ts, q)))
        d = 900 + n * 8.1 + r.gauss(0, 400)
        if d >= tmo:
            return lines, tmo + r.uniform(0, 40), r.randint(300, 420), "timeout"
        lines.append((d / 1000 - 0.02, "I, [%s #8]  INFO -- : [%s] uploaded statement %d pages to s3://statements-prod/%d.pdf" % (ts, q, n // 40 + 1, acct)))
        return lines, d, r.randint(200, 330), None
    # errors are decided by duration (timeouts), so run the handler first
    evs = lambda_logs(r, fn, inv, [[t, 0.0] for t, _ in inv], handler, memory=1024)
    errs = {}
    durs = {}
    for s in evs:
        for t, txt in s["events"]:
            m = int(t // 60) * 60
            if "Task timed out" in txt:
                errs[m] = errs.get(m, 0) + 1
            if txt.startswith("REPORT"):
                durs.setdefault(m, []).append(float(txt.split("Duration: ")[1].split(" ms")[0]))
    rb = random.Random(33120)
    err = [[t, float(errs.get(t, 0))] for t, _ in inv]
    dur = [[t, round(sum(durs[t]) / len(durs[t]), 2) if t in durs else round(rb.gauss(5800, 900), 2)] for t, _ in inv]
    mets = lambda_metrics(fn, inv, err, dur)
    ainv = counts(r, lambda t: 2)
    mets += lambda_metrics("statement-archiver", ainv, [[t, 0.0] for t, _ in ainv], series(lambda t: r.gauss(700, 80)))
    res = [{"type": "lambda", "id": fn, "properties": {"runtime": "ruby3.3", "timeout": 30, "memory_size": 1024}},
           {"type": "lambda", "id": "statement-archiver", "properties": {"runtime": "ruby3.3", "timeout": 60, "memory_size": 512}}]
    chg = [change(-6000, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "statement-archiver-role", "terraform-ci")]
    al = [alarm("statement-generator-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
                "GreaterThanThreshold", "ALARM", onset + 300, "statement generator failures")]
    doc = scenario("h33-12-lambda-ruby-timeout", "Month-end statements not generated; statement-generator Errors alarm.",
                   reg, res, mets, evs, al, chg,
                   {"alarm": "statement-generator-errors", "root_cause": {"category": "function_timeout", "resource": [fn]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]})
    return ("h33-12-lambda-ruby-timeout.yaml", doc,
            (reg, "statement-generator-errors (Lambda Errors)", "function_timeout", fn, "origin",
             "IAM AttachRolePolicy on statement-archiver-role 1.7 h before; font-fallback WARN at constant rate"),
            "Month-end statements have 5-6x more line items from about -60 min; render time grows with item count until "
            "invocations hit the 30 s limit (`Task timed out after 30.xx seconds`, REPORT `Status: timeout`) and Errors rise. "
            "The ledger fetch stays at 60-180 ms and no dependency logs any error, memory is modest, nothing changed on the "
            "function. The IAM change is on another function's role and the font WARN is constant. function_timeout.")
