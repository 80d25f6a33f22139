"""Scenarios h31-07 .. h31-09."""
from .common import Ctx, MINUTES, LOG_FROM, diurnal, ramp, events_per_minute, every
from .lam import lambda_function, apigw_metrics, apigw_exec_failure, py_trace
from .infra import alb_metrics, ecs_metrics, rds_metrics, const_series, pg, pg_background


def minute(t):
    return int(t // 60) * 60


# ---------------------------------------------------------------------------
def s07():
    """.NET export service gets S3 AccessDenied after a role policy edit; a warehouse DB CPU alarm coincides."""
    c = Ctx(3107, "2026-11-16T13:05:00", "us-east-1")
    LB, DB = "app/reports-alb/4b2d6f8a0c1e3579", "warehouse-db"
    T_IAM, T0 = -1620, -1560
    c.resource("alb", LB, name="reports-alb", scheme="internet-facing",
               target_groups={"export-svc-tg": "ecs exports/export-svc"})
    c.resource("ecs", "exports/export-svc", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=3,
               image="export-svc:3.8.2", runtime="dotnet8 aspnetcore", task_role="export-svc-task-role",
               load_balancer="reports-alb", database="warehouse-db", bucket="acme-report-exports")
    c.resource("ecs", "exports/notify-worker", launch_type="FARGATE", cpu=256, memory=512, desired_count=1,
               image="notify-worker:1.4.0")
    c.resource("rds", DB, engine="postgres", engine_version="16.3", instance_class="db.r6g.2xlarge",
               max_connections=1600, allocated_storage_gb=2000)
    rollup = {t: max(ramp(t, -13560, -13440) - ramp(t, -12300, -12180), ramp(t, -2760, -2640)) for t in MINUTES}
    rds_metrics(c, DB, c.ser(lambda t: c.noisy(22, 0.08) + 71 * rollup[t] * c.noisy(1, 0.03)),
                c.ser(lambda t: c.noisy(64, 0.05) + 6 * rollup[t]), const_series(c, 8.1e11, 0.0004),
                const_series(c, 2.2e10, 0.02), c.ser(lambda t: c.noisy(0.0014, 0.1) + 0.0021 * rollup[t]),
                c.ser(lambda t: c.noisy(0.0019, 0.1) + 0.0012 * rollup[t]))
    denied = {t: 1.0 if t >= T0 else 0.0 for t in MINUTES}
    req = c.ser(lambda t: c.noisy(420 * diurnal(t, 0.2, -1), 0.06))
    exports = {t: req[t] * 0.11 for t in MINUTES}
    t5 = {t: exports[t] * 0.93 * denied[t] * c.noisy(1, 0.1) + c.poisson(0.15) for t in MINUTES}
    alb_metrics(c, LB, req, c.ser(lambda t: c.noisy(0.21, 0.1) + 0.1 * rollup[t]), t5, c.ser(lambda t: c.poisson(0.1)),
                c.ser(lambda t: 3), c.ser(lambda t: 0), t4xx=c.ser(lambda t: c.noisy(6, 0.3)))
    ecs_metrics(c, "exports", "export-svc", c.ser(lambda t: c.noisy(28, 0.08) - 5 * denied[t]),
                c.ser(lambda t: c.noisy(52, 0.03)), c.ser(lambda t: 3))
    ecs_metrics(c, "exports", "notify-worker", c.ser(lambda t: c.noisy(7, 0.2)), c.ser(lambda t: c.noisy(33, 0.03)),
                c.ser(lambda t: 1))

    def net(t):
        if c.chance(0.05):
            return ("warn: Microsoft.AspNetCore.HttpsPolicy.HttpsRedirectionMiddleware[3]\n"
                    "      Failed to determine the https port for redirect.")
        exp = "exp_%s" % c.alnum(10)
        tenant = "t_%d" % c.rng.randint(1000, 1400)
        if c.chance(0.55):
            return ("info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET "
                    "http://reports.acme.io/api/exports/%s - 200 %d application/json %.4fms"
                    % (exp, c.rng.randint(180, 900), c.uni(3, 30)))
        rows = c.rng.randint(800, 60000)
        q = c.uni(600, 1900) * (1.6 if rollup[minute(t)] > 0.5 else 1)
        lines = [(0, "info: Exports.Data.WarehouseQuery[0]\n      Tenant %s export %s: query returned %d rows in %d ms"
                  % (tenant, exp, rows, q))]
        key = "s3://acme-report-exports/%s/%s.csv.gz" % (tenant, exp)
        if t >= T0 and c.chance(0.93):
            lines.append((0.4, "fail: Exports.Api.Controllers.ExportsController[0]\n      Export %s failed uploading to "
                               "%s\n      Amazon.S3.AmazonS3Exception: Access Denied\n       ---> Amazon.Runtime.Internal."
                               "HttpErrorResponseException: Exception of type 'Amazon.Runtime.Internal."
                               "HttpErrorResponseException' was thrown.\n         at Amazon.Runtime.HttpWebRequestMessage."
                               "ProcessHttpResponseMessage(HttpResponseMessage responseMessage)\n         --- End of inner "
                               "exception stack trace ---\n         at Amazon.Runtime.Internal.HttpErrorResponseException"
                               "Handler.HandleExceptionStream(IRequestContext requestContext, IWebResponseData "
                               "httpErrorResponse, HttpErrorResponseException exception, Stream responseStream)\n         at "
                               "Exports.Storage.S3ExportWriter.UploadAsync(ExportFile file, CancellationToken ct) in "
                               "/src/Exports.Storage/S3ExportWriter.cs:line 58\n      Error Code: AccessDenied, Status Code: "
                               "403 Forbidden, Request ID: %s, S3 Extended Request ID: %s" % (
                                   exp, key, c.alnum(16).upper(), c.alnum(56))))
            lines.append((0.401, "info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 "
                                 "POST http://reports.acme.io/api/exports - 500 0 - %.4fms" % (q + 420)))
        else:
            lines.append((0.6, "info: Exports.Storage.S3ExportWriter[0]\n      Uploaded %s (%d KB)" % (key, rows // 9)))
        return lines
    for _ in range(3):
        c.log("/ecs/export-svc", "ecs/export-svc/%s" % c.hexs(32), events_per_minute(c, LOG_FROM, 0, lambda t: 4, net))
    c.log("/ecs/notify-worker", "ecs/notify-worker/%s" % c.hexs(32),
          events_per_minute(c, LOG_FROM, 0, lambda t: 1, lambda t: "info: NotifyWorker.Sender[0]\n      Sent %d export-ready "
                            "emails (version %s)" % (c.rng.randint(1, 9), "1.4.0" if t > -4000 else "1.3.9")))

    def etl(t):
        if rollup[minute(t)] < 0.5 or not c.chance(0.5):
            return None
        return pg(c, t, "duration: %.3f ms  statement: INSERT INTO rollup.daily_revenue SELECT d.day, d.tenant_id, "
                        "sum(l.amount) FROM ledger_lines l JOIN dim_day d ON ... GROUP BY 1, 2" % c.uni(60000, 420000),
                  client=c.ip("10.50"), user="analytics_etl", db="warehouse")
    pev = pg_background(c, -21600, 0, av_db="warehouse") + events_per_minute(c, -21600, 0, lambda t: 1, etl)
    pev += [(-13500, pg(c, -13500, "connection authorized: user=analytics_etl database=warehouse application_name="
                                   "rollup-3h SSL enabled", client="10.50.3.14", user="analytics_etl", db="warehouse")),
            (-2700, pg(c, -2700, "connection authorized: user=analytics_etl database=warehouse application_name="
                                 "rollup-3h SSL enabled", client="10.50.3.14", user="analytics_etl", db="warehouse"))]
    c.log("/aws/rds/instance/warehouse-db/postgresql", "warehouse-db.0", pev)

    c.change(T_IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "export-svc-task-role", "terraform-ci")
    c.change(-4000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "exports/notify-worker", "ci-deployer")
    c.change(-9800, "rds.amazonaws.com", "AddTagsToResource", "AWS::RDS::DBInstance", DB, "finops-bot")
    c.alarm("reports-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Sum",
            60, 3, 10, "ALARM", -1380)
    c.alarm("warehouse-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 2, 85,
            "ALARM", -1800)
    doc = c.doc("h31-07-ecs-s3-accessdenied-db-cpu-coincidence",
                "Report exports failing with 500s; reports-alb 5XX alarm, warehouse-db CPU alarm also in ALARM.",
                {"alarm": "reports-alb-target-5xx",
                 "root_cause": {"category": "permission_denied",
                                "resource": ["exports/export-svc", "export-svc", "export-svc-task-role"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": LB}}]})
    meta = dict(region="us-east-1", alarm="reports-alb-target-5xx", category="permission_denied",
                resources=["exports/export-svc", "export-svc", "export-svc-task-role"],
                where="investigated alarm is the ALB front of the origin; the other alarm (warehouse-db-cpu-high) "
                      "is a coincidence",
                decoys="warehouse-db CPU alarm from the 3-hourly rollup job (same spike 3 h earlier without any "
                       "export errors); notify-worker deploy; RDS tagging; steady HTTPS-redirect WARNs",
                story="terraform-ci rewrote the inline policy of export-svc-task-role one minute before export "
                      "uploads began failing. export-svc (.NET 8 on ECS, behind reports-alb) still queries "
                      "warehouse-db successfully (rows returned in 1-3 s) but every PutObject to "
                      "acme-report-exports now fails with `AmazonS3Exception: Access Denied` (403), and the POST "
                      "returns 500. warehouse-db is in ALARM for CPU at the same time, but the postgres log shows "
                      "the analytics_etl `rollup-3h` job, which produced the identical spike three hours earlier "
                      "with zero export errors, and the export queries keep succeeding. Category permission_denied; "
                      "origin is the export service (its task role).")
    return doc, meta


# ---------------------------------------------------------------------------
def s08():
    """API 5XX because report-builder hits its 28 s timeout on huge tenants (duration alarm too)."""
    c = Ctx(3108, "2026-11-20T10:15:00", "eu-west-1")
    FN, API, API_ID, DB = "report-builder", "reports-api", "7hq2w4e6r8", "reports-db"
    T0 = -2040
    c.resource("apigateway", API, stage="v1", api_id=API_ID, endpoint_type="REGIONAL",
               integration="AWS_PROXY -> lambda report-builder", integration_timeout_ms=29000)
    c.resource("lambda", FN, runtime="python3.11", memory_size=1024, timeout=28, database=DB)
    c.resource("lambda", "report-scheduler", runtime="python3.12", memory_size=256, timeout=60)
    c.resource("rds", DB, engine="postgres", engine_version="15.7", instance_class="db.r6g.large",
               max_connections=800, allocated_storage_gb=400)
    inv = c.ser(lambda t: c.poisson(10 * diurnal(t, 0.3, 0)))
    big = {t: 0.36 * ramp(t, T0 - 60, T0 + 120) for t in MINUTES}
    errs = {t: c.binom(inv[t], big[t]) for t in MINUTES}
    api_ev = []

    def h(ctx, t, rid, err):
        rpt = "rpt_%s" % ctx.alnum(10)
        if err:
            rows = ctx.rng.randint(1900000, 2300000)
            q = ctx.uni(1.6, 2.4)
            lines = [(0.01, "I", "Building %s tenant=acme-global period=2026-YTD format=xlsx" % rpt),
                     (q, "I", "Fetched {:,} line items in {:.2f} s".format(rows, q)),
                     (q + 0.05, "I", "Aggregating {:,} rows into 14 pivot sheets".format(rows))]
            if ctx.chance(0.5):
                lines.append((q + 9.5, "D", "pivot 3/14 done (customers x months)"))
            api_ev.extend(apigw_exec_failure(ctx, t + 28.05, ctx.uid(), rid, "%s %s Task timed out after 28.00 seconds"
                                             % (ctx.iso(t + 28), rid)))
            return {"lines": lines, "dur": 28000.0 + ctx.uni(1, 40), "mem": ctx.rng.randint(690, 905),
                    "status": "timeout"}
        rows = int(ctx.rng.lognormvariate(10.4, 0.9))
        q = 0.05 + rows / 900000.0 * ctx.uni(0.7, 1.3)
        d = 1000 * (q + 0.4 + rows / 95000.0 * ctx.uni(0.8, 1.2))
        d = min(d, 21000)
        tenant = "t_%d" % ctx.rng.randint(100, 990)
        lines = [(0.01, "I", "Building %s tenant=%s period=%s format=%s" % (
                    rpt, tenant, ctx.pick(["2026-10", "2026-Q3", "last-30d"]), ctx.pick(["pdf", "xlsx", "csv"]))),
                 (q, "I", "Fetched {:,} line items in {:.2f} s".format(rows, q))]
        if ctx.chance(0.07):
            lines.append((q + 0.1, "W", "fontTools: glyph missing for U+2009 in NotoSans-Regular, using fallback"))
        lines.append((d / 1000 - 0.01, "I", "Stored s3://acme-reports-prod/%s/%s (%d KB)" % (tenant, rpt, rows // 40 + 9)))
        return {"lines": lines, "dur": d, "mem": 240 + rows / 3500.0, "init": ctx.uni(900, 1300) if ctx.chance(0.02) else None}
    durs = lambda_function(c, FN, "python3.11", 1024, 28, inv, errs, h, streams=3)
    e4 = c.ser(lambda t: c.poisson(0.4))
    apigw_metrics(c, API, {t: inv[t] + e4[t] for t in MINUTES}, e4, errs,
                  {t: (durs[t] or 0) + c.noisy(22, 0.2) for t in MINUTES}, integ={t: (durs[t] or 0) + 6 for t in MINUTES})
    c.log("API-Gateway-Execution-Logs_%s/v1" % API_ID, "%s-v1" % c.hexs(32), [e for e in api_ev if e[0] < 0])
    rds_metrics(c, DB, c.ser(lambda t: c.noisy(17, 0.1) + 4 * big[t]), c.ser(lambda t: c.noisy(41, 0.08)),
                const_series(c, 2.6e11, 0.0004), const_series(c, 6.8e9, 0.02), c.ser(lambda t: c.noisy(0.0012, 0.1)),
                c.ser(lambda t: c.noisy(0.0015, 0.1)))
    c.log("/aws/rds/instance/reports-db/postgresql", "reports-db.0", pg_background(c, -21600, 0, av_db="reports"))

    sinv = c.ser(lambda t: 1 if t % 300 == 0 else 0)

    def hs(ctx, t, rid, err):
        n = ctx.rng.randint(0, 6)
        return {"lines": [(0.02, "I", "Enqueued %d scheduled reports (schedule-v%s)" % (n, "3" if t > -3600 else "2"))],
                "dur": ctx.noisy(310, 0.2), "mem": ctx.rng.randint(70, 80)}
    lambda_function(c, "report-scheduler", "python3.12", 256, 60, sinv, {}, hs, streams=1)

    c.change(-3600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "report-scheduler",
             "ci-deployer")
    c.change(-15500, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "partner-api/v2", "dkaur")
    c.alarm("reports-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": API}, "Sum", 300, 1, 5, "ALARM", -1800)
    c.alarm("report-builder-duration-high", "AWS/Lambda", "Duration", {"FunctionName": FN}, "Average", 300, 1, 6000,
            "ALARM", -1500, description="report-builder mean duration > 6 s")
    c.alarm("reports-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 3, 80,
            "OK", -300000)
    doc = c.doc("h31-08-apigw-5xx-lambda-timeout",
                "Report downloads failing with 502; reports-api 5XX alarm and report-builder duration alarm.",
                {"alarm": "reports-api-5xx",
                 "root_cause": {"category": "function_timeout", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": FN}},
                               {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": API}}]})
    meta = dict(region="eu-west-1", alarm="reports-api-5xx", category="function_timeout", resources=[FN],
                where="other alarm (report-builder-duration-high) is on the origin; investigated alarm is the API front",
                decoys="report-scheduler deploy ~26 min before onset; UpdateStage on another API 4 h earlier; "
                       "reports-db healthy with an OK alarm; steady fontTools glyph WARNs",
                story="Since ~34 minutes ago a third of report-builder invocations are year-to-date xlsx reports "
                      "for the tenant acme-global. The database returns ~2.1 M line items in about 2 s, then the "
                      "function aggregates them in-process until `Task timed out after 28.00 seconds` "
                      "(REPORT Status: timeout); API Gateway logs the customer function error and returns 502. "
                      "There are no dependency errors, reports-db metrics are flat and nothing about "
                      "report-builder changed (the report-scheduler deploy is a different function that only "
                      "enqueues work). The function reaching its configured timeout is the origin.")
    return doc, meta
