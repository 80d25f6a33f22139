"""Scenarios 13-16: one-partner poison files, SSM rate limit, DB parameter change, DB CPU slow burn."""
from __future__ import annotations

from .common import Scn, diurnal, noisy, pois, ramp


def s13() -> Scn:
    s = Scn(13, "feed-parser-one-partner-decode", "eu-north-1",
            "partner-feed-parser errors alarm; one partner's deliveries not imported.", "2026-11-20T06:40:00")
    r = s.rng
    fn, dec = "partner-feed-parser", "partner-feed-notifier"
    s.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=1024, trigger="s3:partner-feeds-eun1")
    s.resource("lambda", dec, runtime="python3.12", timeout=30, memory_size=256)
    onset = -2700
    partners = ["nordfrakt", "baltic-bulk", "kiruna-parts", "vastkust-foods", "lapland-timber", "gotland-dairy"]
    inv = s.counts(lambda t: diurnal(t, s.now_hour, 3, 14))

    def parse(t, rid):
        p = r.choice(partners)
        key = f"inbound/{p}/{s.wall(t).strftime('%Y%m%d')}/orders_{r.randint(1000, 9999)}.csv"
        lines = [(0.01, "INFO", f"Processing s3://partner-feeds-eun1/{key} size={r.randint(2, 900)}KB")]
        if r.random() < 0.04:
            lines.append((0.05, "WARNING", f"skipping empty file s3://partner-feeds-eun1/{key}"))
            return lines, noisy(r, 90, 0.2), 110, False
        if p == "nordfrakt" and t >= onset:
            lines.append((0.2, "ERROR", "[ERROR] UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe5 in position "
                          f"{r.randint(200, 9000)}: invalid continuation byte\nTraceback (most recent call last):\n"
                          "  File \"/var/task/handler.py\", line 31, in handler\n    rows = list(parse_csv(body))\n"
                          "  File \"/var/task/feeds/csvparse.py\", line 54, in parse_csv\n    text = raw.decode(\"utf-8\")\n"
                          "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe5 in position 4417: invalid continuation byte"))
            return lines, noisy(r, 260, 0.2), 131, False
        lines.append((0.6, "INFO", f"imported rows={r.randint(10, 4000)} partner={p}"))
        return lines, noisy(r, 900, 0.3), 188, False
    sampled = [pois(r, n / 6 * 0.96) if t >= onset else 0 for n, t in zip(inv, s.minutes)]
    errs = s.merge(s.lambda_logs(fn, 1024, "python3.12", inv, parse, log_from=-14400, epochs=(-8000,)), sampled)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count", inv)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": fn}, "Count", errs)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds", lambda t: noisy(r, 820, 0.15))
    s.metric("AWS/Lambda", "Throttles", {"FunctionName": fn}, "Count", lambda t: 0)
    s.metric("AWS/Lambda", "ConcurrentExecutions", {"FunctionName": fn}, "Count", lambda t: pois(r, 1.5))
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": dec}, "Count", lambda t: pois(r, 2))
    s.metric("AWS/Lambda", "Errors", {"FunctionName": dec}, "Count", lambda t: 0)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": dec}, "Milliseconds", lambda t: noisy(r, 110 if t < -3000 else 95, 0.1))
    s.change(-3000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", dec, "ci-integrations")
    s.change(-3000 + 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", dec, "ci-integrations")
    s.change(-19000, "s3.amazonaws.com", "PutBucketLifecycle", "AWS::S3::Bucket", "partner-feeds-eun1", "storage-admin")
    s.alarm("partner-feed-parser-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 3,
            "GreaterThanThreshold", "ALARM", "auto", "partner feed parser errors")
    s.expect("partner-feed-parser-errors", "application_error", [fn],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    return s


def s14() -> Scn:
    s = Scn(14, "kyc-errors-ssm-rate-exceeded", "ap-south-1",
            "kyc-verify Lambda errors during the morning ramp; some onboarding checks fail.", "2026-11-20T10:20:00")
    r = s.rng
    fn, api, dec = "kyc-verify", "kyc-api", "kyc-doc-archiver"
    s.resource("lambda", fn, runtime="python3.12", timeout=20, memory_size=512)
    s.resource("lambda", dec, runtime="python3.12", timeout=120, memory_size=512)
    s.resource("apigateway", api, stage="prod")
    rate = lambda t: diurnal(t, s.now_hour, 60, 900)  # invocations per minute
    # SSM GetParameter standard throughput ~40 TPS = 2400/min; each invocation makes 6 GetParameter calls
    frac = lambda t: max(0.0, 1 - 400 / max(1.0, rate(t)))
    inv = s.counts(rate)

    def verify(t, rid):
        app = f"APP{r.randint(10**6, 10**7)}"
        lines = [(0.01, "INFO", f"kyc check application={app} doc_type={r.choice(['PAN', 'AADHAAR', 'PASSPORT'])}")]
        if r.random() < frac(t):
            lines.append((0.9, "ERROR", "[ERROR] ClientError: An error occurred (ThrottlingException) when calling the "
                          "GetParameter operation (reached max retries: 4): Rate exceeded\nTraceback (most recent call last):\n"
                          "  File \"/var/task/app.py\", line 22, in handler\n    cfg = load_settings()\n"
                          "  File \"/var/task/kyc/settings.py\", line 15, in load_settings\n"
                          "    v = ssm.get_parameter(Name=\"/kyc/prod/vendor-endpoint\", WithDecryption=True)\n"
                          "botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling the "
                          "GetParameter operation (reached max retries: 4): Rate exceeded"))
            return lines, noisy(r, 1100, 0.15), 101, False
        if r.random() < 0.01:
            lines.append((0.3, "WARNING", "vendor returned score_pending; will poll again"))
        lines.append((0.4, "INFO", f"kyc result application={app} status={r.choice(['PASS', 'PASS', 'PASS', 'REVIEW'])}"))
        return lines, noisy(r, 460, 0.2), 104, False
    sampled = [pois(r, n * frac(t)) for n, t in zip(inv, s.minutes)]
    errs = s.merge(s.lambda_logs(fn, 512, "python3.12", inv, verify, log_from=-3600, epochs=(-2400, -1200),
                                 streams_per_epoch=4, keep=0.15), sampled)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count", inv)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": fn}, "Count", errs)
    s.metric("AWS/Lambda", "Throttles", {"FunctionName": fn}, "Count", lambda t: 0)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds",
             lambda t: noisy(r, 460 + 600 * frac(t), 0.08))
    s.metric("AWS/Lambda", "ConcurrentExecutions", {"FunctionName": fn}, "Count", lambda t: pois(r, rate(t) / 60 * 0.6 + 1))
    s.metric("AWS/ApiGateway", "Count", {"ApiName": api}, "Count", inv)
    s.metric("AWS/ApiGateway", "5XXError", {"ApiName": api}, "Count", errs)
    s.metric("AWS/ApiGateway", "Latency", {"ApiName": api}, "Milliseconds", lambda t: noisy(r, 520 + 600 * frac(t), 0.08))
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": dec}, "Count", lambda t: pois(r, 6))
    s.metric("AWS/Lambda", "Errors", {"FunctionName": dec}, "Count", lambda t: pois(r, 0.3))
    s.change(-2900, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", dec,
             "a.sharma")
    s.change(-20000, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/kyc/prod/vendor-endpoint", "a.sharma")
    s.alarm("kyc-verify-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 50, "GreaterThanThreshold",
            "ALARM", "auto", "kyc-verify errors")
    s.expect("kyc-verify-errors", "throttling", [fn],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    return s


def s15() -> Scn:
    s = Scn(15, "reports-5xx-statement-timeout-param", "eu-west-3",
            "reports-api 5XX alarm; scheduled customer reports failing since early evening.", "2026-11-20T18:25:00")
    r = s.rng
    db, fn, api, dec = "reports-pg", "report-runner", "reports-api", "report-mailer"
    s.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.2xlarge", max_connections=1500,
               allocated_storage_gb=1000, parameter_group="reports-pg16-params")
    s.resource("lambda", fn, runtime="nodejs20.x", timeout=60, memory_size=1024)
    s.resource("lambda", dec, runtime="nodejs20.x", timeout=60, memory_size=256)
    s.resource("apigateway", api, stage="prod")
    chg = -2040
    inv = s.counts(lambda t: diurnal(t, s.now_hour, 4, 22))

    def run(t, rid):
        rep = r.choice(["revenue_by_region", "churn_cohorts", "inventory_aging", "daily_sales", "top_customers"])
        heavy = rep in ("revenue_by_region", "churn_cohorts", "inventory_aging")
        lines = [(0.01, "INFO", f"running report={rep} tenant=t{r.randint(100, 999)} range=90d")]
        if heavy and t >= chg + 30:
            lines.append((5.05, "ERROR", "Invoke Error \t{\"errorType\":\"error\",\"errorMessage\":\"canceling statement due "
                          "to statement timeout\",\"code\":\"57014\",\"severity\":\"ERROR\",\"file\":\"postgres.c\","
                          "\"routine\":\"ProcessInterrupts\",\"stack\":[\"error: canceling statement due to statement "
                          "timeout\",\"    at /var/task/node_modules/pg/lib/client.js:535:17\",\"    at async runReport "
                          "(/var/task/dist/reports.js:88:18)\"]}"))
            return lines, noisy(r, 5100, 0.01), 230, False
        d = noisy(r, 14000 if heavy else 1800, 0.3)
        lines.append((d / 1000 - 0.05, "INFO", f"report={rep} rows={r.randint(50, 90000)} query_ms={int(d - 200)}"))
        return lines, d, 260, False
    sampled = [pois(r, n * 0.6) if t >= chg + 30 else 0 for n, t in zip(inv, s.minutes)]
    errs = s.merge(s.lambda_logs(fn, 1024, "nodejs20.x", inv, run, log_from=-10800), sampled)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count", inv)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": fn}, "Count", errs)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds",
             lambda t: noisy(r, 9200 if t < chg else 3800, 0.15))
    s.metric("AWS/Lambda", "Throttles", {"FunctionName": fn}, "Count", lambda t: 0)
    s.metric("AWS/ApiGateway", "Count", {"ApiName": api}, "Count", inv)
    s.metric("AWS/ApiGateway", "5XXError", {"ApiName": api}, "Count", errs)
    s.metric("AWS/ApiGateway", "Latency", {"ApiName": api}, "Milliseconds", lambda t: noisy(r, 9300 if t < chg else 3900, 0.15))
    s.metric("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Percent",
             lambda t: noisy(r, 46 if t < chg else 24, 0.1))
    s.metric("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Count", lambda t: pois(r, 85))
    s.metric("AWS/RDS", "ReadIOPS", {"DBInstanceIdentifier": db}, "Count/Second", lambda t: noisy(r, 3100 if t < chg else 1500, 0.1))
    s.metric("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Bytes", lambda t: noisy(r, 4.4e11, 0.001), nd=0)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": dec}, "Count", lambda t: pois(r, 2))
    s.metric("AWS/Lambda", "Errors", {"FunctionName": dec}, "Count", lambda t: 0)
    pfx = lambda t, who="report_ro@reports", pid=None: (f"{s.clock(t)[:19]} UTC:10.8.{r.randint(1, 6)}.{r.randint(2, 250)}"
                                                         f"({r.randint(40000, 60000)}):{who}:[{pid or r.randint(2000, 40000)}]:")
    ev = []
    for k in range(-21600, 0, 300):
        ev.append((k + 9, f"{s.clock(k + 9)[:19]} UTC::@:[402]:LOG:  checkpoint complete: wrote {r.randint(800, 5000)} buffers "
                          f"({r.uniform(0.3, 3):.1f}%); 0 WAL file(s) added, 0 removed, 2 recycled"))
    for k in range(-21600, 0, 420):
        ev.append((k + 30, pfx(k + 30) + f"LOG:  duration: {r.uniform(1000, 4000):.3f} ms  statement: SELECT count(*) FROM "
                                         "sales.order_lines WHERE tenant_id = $1"))
    ev.append((chg + 8, f"{s.clock(chg + 8)[:19]} UTC::@:[398]:LOG:  received SIGHUP, reloading configuration files"))
    ev.append((chg + 8.1, f"{s.clock(chg + 8)[:19]} UTC::@:[398]:LOG:  parameter \"statement_timeout\" changed to \"5000\""))
    for i, t0 in enumerate(s.minutes):
        if t0 >= chg + 30:
            for _ in range(min(3, errs[i] or 0)):
                t = t0 + r.uniform(0, 59)
                pid = r.randint(2000, 40000)
                ev.append((t, pfx(t, pid=pid) + "ERROR:  canceling statement due to statement timeout"))
                ev.append((t + 0.001, pfx(t, pid=pid) + "STATEMENT:  SELECT region, date_trunc('week', o.created_at) AS wk, "
                                                        "sum(l.amount) FROM sales.orders o JOIN sales.order_lines l ON "
                                                        "l.order_id = o.id WHERE o.tenant_id = $1 GROUP BY 1, 2"))
    s.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", ev)
    s.change(chg, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "reports-pg16-params",
             "dba-l.moreau")
    s.change(-2500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", dec, "ci-reports")
    s.alarm("reports-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 5, "GreaterThanThreshold",
            "ALARM", "auto", "reports API 5XX")
    s.expect("reports-api-5xx", "config_change", [db, "reports-pg16-params"],
             [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}])
    return s


def s16() -> Scn:
    s = Scn(16, "catalog-latency-db-cpu-creep", "us-east-1",
            "catalog ALB latency alarm, shortly after a catalog-api deploy.", "2026-11-20T12:50:00", hours=7)
    r = s.rng
    alb, svc, db = "app/catalog-alb/5d6e7f8091a2b3c4", "catalog-prod/catalog-api", "catalog-pg"
    s.resource("alb", alb, name="catalog-alb")
    s.resource("ecs", svc, cluster="catalog-prod", service="catalog-api", launch_type="FARGATE", desired_count=4,
               runtime="python3.12 (gunicorn/Django)", log_group="/ecs/catalog-api")
    s.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.m6g.xlarge", max_connections=900,
               allocated_storage_gb=500)
    pinned, dep = -600, -1500
    cpu = lambda t: noisy(r, ramp(t, -19800, pinned, 34, 98.8), 0.02, hi=100)
    s.metric("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Percent", cpu)
    s.metric("AWS/RDS", "ReadIOPS", {"DBInstanceIdentifier": db}, "Count/Second",
             lambda t: noisy(r, ramp(t, -19800, pinned, 900, 4200), 0.08))
    s.metric("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Count",
             lambda t: pois(r, ramp(t, -19800, 0, 120, 210)))
    s.metric("AWS/RDS", "FreeableMemory", {"DBInstanceIdentifier": db}, "Bytes", lambda t: noisy(r, 5.4e9, 0.02), nd=0)
    s.metric("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Bytes", lambda t: noisy(r, 3.2e11, 0.001), nd=0)
    req = s.counts(lambda t: diurnal(t, s.now_hour, 300, 800))
    lat = lambda t: 0.09 + 2.6 * max(0.0, (ramp(t, -19800, pinned, 34, 98.8) - 70) / 29) ** 2
    s.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds", lambda t: noisy(r, lat(t), 0.08))
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count",
             [pois(r, n * (0.012 if t >= pinned else 0.0004)) for n, t in zip(req, s.minutes)])
    s.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": alb}, "Count", lambda t: 4)
    s.metric("AWS/ECS", "CPUUtilization", {"ClusterName": "catalog-prod", "ServiceName": "catalog-api"}, "Percent",
             lambda t: noisy(r, 21, 0.1))
    s.metric("AWS/ECS", "MemoryUtilization", {"ClusterName": "catalog-prod", "ServiceName": "catalog-api"}, "Percent",
             lambda t: noisy(r, 41 if t < dep else 43, 0.03))
    for _ in range(4):
        ev, t = [], -10800.0
        while t < -1:
            t += r.uniform(3, 8)
            ms = int(noisy(r, lat(t) * 1000, 0.3))
            path = r.choice([f"/api/products/{r.randint(1000, 99999)}", "/api/products?category=shoes", f"/api/sku/SKU-{r.randint(10**5, 10**6)}"])
            ev.append((t, f"{s.ip('10.4')} - - [{s.wall(t).strftime('%d/%b/%Y:%H:%M:%S +0000')}] \"GET {path} HTTP/1.1\" 200 "
                          f"{r.randint(600, 9000)} \"-\" \"okhttp/4.12.0\" {ms}ms"))
            if ms > 1500 and r.random() < 0.2:
                ev.append((t + 0.01, f"[{s.clock(t, '%Y-%m-%d %H:%M:%S')[:19]} +0000] [{r.randint(20, 60)}] [WARNING] "
                                     f"catalog.db: slow query {ms}ms: SELECT ... FROM catalog_productvariant WHERE "
                                     "UPPER(sku) = UPPER(%s)"))
        ev.append((dep + 90, f"[{s.clock(dep + 90)[:19]} +0000] [1] [INFO] Starting gunicorn 21.2.0 (catalog-api:219)"))
        s.log("/ecs/catalog-api", f"ecs/catalog-api/{s.hexid(32)}", ev)
    ev = []
    for k in range(-21600, 0, 240):
        c = ramp(k, -19800, pinned, 34, 98.8)
        ms = 300 + 3000 * max(0.0, (c - 30) / 70) ** 2
        ev.append((k + 20, f"{s.clock(k + 20)[:19]} UTC:10.4.{r.randint(1, 9)}.{r.randint(2, 250)}({r.randint(40000, 60000)}):"
                           f"catalog@catalog:[{r.randint(2000, 40000)}]:LOG:  duration: {ms + r.uniform(0, 300):.3f} ms  execute "
                           "<unnamed>: SELECT \"catalog_productvariant\".\"id\", \"catalog_productvariant\".\"sku\" FROM "
                           "\"catalog_productvariant\" WHERE UPPER(\"catalog_productvariant\".\"sku\"::text) = UPPER($1)"))
        if k % 1200 == 0:
            ev.append((k + 25, f"{s.clock(k + 25)[:19]} UTC::@:[512]:LOG:  checkpoint complete: wrote {r.randint(600, 3000)} "
                               "buffers (1.1%); 0 WAL file(s) added, 0 removed, 1 recycled"))
    s.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", ev)
    s.change(dep - 40, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "catalog-api:219",
             "github-actions")
    s.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "github-actions")
    s.change(-23000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot", db, "aws-backup")
    s.alarm("catalog-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Average", 60, 5, 2.2,
            "GreaterThanThreshold", "ALARM", "auto", "catalog ALB latency")
    s.alarm("catalog-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 95,
            "GreaterThanThreshold", "ALARM", "auto", "catalog-pg CPU")
    s.expect("catalog-alb-latency", "cpu_saturation", [db],
             [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": db}}])
    return s
