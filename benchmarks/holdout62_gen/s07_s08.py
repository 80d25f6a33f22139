"""h62-07 (Aurora MySQL reader pinned by BI scans) and h62-08 (invoice projector bad image)."""
from __future__ import annotations

import json

from .common import Scenario, bump, ramp
from .kit import (LOG_START, apigw_metrics, ecs_metrics, emit, lambda_metrics, log_plan, rds_metrics,
                  sqs_metrics)
from .runtimes import LambdaLogs, serilog


# =========================================================================== 07
def s07() -> tuple:
    T0 = -2520
    sc = Scenario(7, "insights-api-latency",
                  "Merchant insights API latency alarm; report refreshes timing out.",
                  "eu-north-1", 6207, "2026-01-15T02:40:00+00:00")
    api, fn, w, r, ld = "insights-api", "insights-query", "atlas-aurora-1", "atlas-aurora-2", "nightly-loader"
    sc.resource("apigateway", api, api_id="e4w1n8q2zt", stage="prod", integration=f"lambda:{fn}")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=512,
                db_endpoint="atlas-aurora.cluster-ro-cq7x2mbw1k4e.eu-north-1.rds.amazonaws.com")
    sc.resource("rds", w, engine="aurora-mysql", engine_version="8.0.mysql_aurora.3.05.2",
                instance_class="db.r6g.large", cluster="atlas-aurora", role="writer", max_connections=1000)
    sc.resource("rds", r, engine="aurora-mysql", engine_version="8.0.mysql_aurora.3.05.2",
                instance_class="db.r6g.large", cluster="atlas-aurora", role="reader", max_connections=1000)
    sc.resource("lambda", ld, runtime="python3.12", timeout=900, memory_size=4096,
                schedule="cron(50 1 * * ? *)")

    hot = lambda t: ramp(t, T0, T0 + 180)
    load = lambda t: bump(t, T0 - 660, T0 + 900, 1.0, 120)
    rds_metrics(sc, r, cpu=lambda t: 22 + 77 * hot(t), conns=lambda t: 38 + 34 * hot(t),
                read_lat=lambda t: 0.0009 + 0.018 * hot(t), freeable_gb=lambda t: 4.1 - 0.6 * hot(t), aurora=True)
    rds_metrics(sc, w, cpu=lambda t: 19 + 58 * load(t), conns=lambda t: 24 + 6 * load(t),
                write_lat=lambda t: 0.0016 + 0.004 * load(t), aurora=True)
    errf = lambda t: 0.27 * hot(t)
    m = lambda_metrics(sc, fn, inv=lambda t: 176.0, err_frac=errf,
                       dur=lambda t: 95 + 5600 * hot(t))
    apigw_metrics(sc, api, count=lambda t: 176.0, lat=lambda t: 118 + 5650 * hot(t),
                  e5=lambda t: 176 * errf(t) + 0.1, e4=lambda t: 1.5)
    lambda_metrics(sc, ld, inv=lambda t: 1.0 if T0 - 660 <= t < T0 - 600 else 0.0, dur=lambda t: 871000)

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 10, mem_used=(118, 8), prewarm=LOG_START + 120)
    reports = ["merchant_daily_summary", "payout_forecast", "refund_rate_7d", "top_skus_30d", "merchant_cohort_90d"]

    def body(l_, s, rid, is_err, c):
        rng = sc.rng
        q = rng.choice(reports)
        if is_err:
            err = {"errorType": "Error", "errorMessage": "Query inactivity timeout", "code": "PROTOCOL_SEQUENCE_TIMEOUT",
                   "fatal": True, "timeout": 8000,
                   "stack": ["Error: Query inactivity timeout", "    at Query.<anonymous> (/var/task/node_modules/mysql2/lib/commands/query.js:43:17)",
                             "    at Query.emit (node:events:519:28)", "    at Timeout._onTimeout (/var/task/node_modules/mysql2/lib/connection.js:228:14)"]}
            return {"dur": rng.gauss(8040, 30), "lines": [
                (0.01, l_.fmt(s, rid, "INFO", f"report={q} merchant=m-{rng.randint(10000, 99999)} host=atlas-aurora.cluster-ro")),
                (8.03, l_.fmt(s + 8.03, rid, "ERROR", "Invoke Error \t" + json.dumps(err)))]}
        d = rng.gauss(95, 20) + 4800 * hot(s) * rng.uniform(0.6, 1.2)
        lines = [(0.01, l_.fmt(s, rid, "INFO", f"report={q} merchant=m-{rng.randint(10000, 99999)} host=atlas-aurora.cluster-ro"))]
        if q == "merchant_cohort_90d":
            lines.append((0.05, l_.fmt(s + 0.05, rid, "WARN", f"slow query report={q} took={rng.randint(1500, 2200)}ms (budget 1500ms)")))
        lines.append((d / 1000, l_.fmt(s + d / 1000, rid, "INFO", f"report={q} rows={rng.randint(5, 400)} took={int(d - 6)}ms")))
        return {"dur": max(20, d), "lines": lines}
    li, le = log_plan(sc, m["inv"], m["err"], 3)
    ll.run(li, le, body)

    def slow(t):
        rng = sc.rng
        d = sc.at(t)
        if t >= T0 and rng.random() < 0.85:
            qt, ex, user, ip = rng.uniform(25, 140), rng.randint(30, 62) * 10 ** 6, "bi_readonly", "10.20.4.77"
            sql = ("SELECT c.region, date(ol.created_at) d, sum(ol.qty*ol.unit_price) FROM order_lines ol JOIN "
                   "customers c ON c.id = ol.customer_id WHERE ol.created_at >= '2024-01-01' GROUP BY 1, 2;")
        else:
            qt, ex, user, ip = rng.uniform(1.2, 2.6), rng.randint(2, 6) * 10 ** 5, "insights_app", f"10.20.{rng.randint(30, 40)}.{rng.randint(2, 250)}"
            sql = "SELECT merchant_id, cohort_week, count(*) FROM cohort_members WHERE merchant_id = 41812 GROUP BY 1, 2;"
        return (f"# Time: {d:%Y-%m-%dT%H:%M:%S}.{d.microsecond:06d}Z\n# User@Host: {user}[{user}] @  [{ip}]  Id: "
                f"{rng.randint(80000, 99999)}\n# Query_time: {qt:.6f}  Lock_time: 0.000{rng.randint(100, 999)} Rows_sent: "
                f"{rng.randint(1, 900)}  Rows_examined: {ex}\nSET timestamp={int(d.timestamp())};\n{sql}")
    emit(sc, "/aws/rds/cluster/atlas-aurora/slowquery", LOG_START, 0, lambda t: 0.3 + 1.5 * hot(t), slow, stream=r)
    lg = LambdaLogs(sc, ld, "python3.12", 4096, 900, prewarm=LOG_START - 10)
    lg.run({T0 - 660: 1}, {}, lambda l_, s, rid, e, c: {"dur": 871000, "lines": [
        (0.1, l_.fmt(s, rid, "INFO", "nightly load starting: s3://atlas-staging/orders/dt=2026-01-14/ -> fact_orders")),
        (420.0, l_.fmt(s + 420, rid, "INFO", "LOAD DATA FROM S3 PREFIX ... INTO TABLE fact_orders_stage: 4,218,774 rows")),
        (860.0, l_.fmt(s + 860, rid, "INFO", "swap fact_orders_stage -> fact_orders done; analyzed 3 tables"))]})

    sc.alarm("insights-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api, "Stage": "prod"},
             "Average", 60, 3, 2000, "GreaterThanThreshold", "Insights API average latency")
    sc.alarm("atlas-aurora-1-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": w},
             "Average", 300, 1, 70, "GreaterThanThreshold", "Writer CPU")
    sc.alarm("insights-query-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold")
    sc.change(-17800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gitlab-runner-insights")
    sc.change(T0 - 1500, "rds.amazonaws.com", "CreateDBClusterSnapshot", "AWS::RDS::DBClusterSnapshot",
              "atlas-aurora", "backup-automation")
    sc.expect = {"alarm": "insights-api-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [r]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization",
                                "dimensions": {"DBInstanceIdentifier": r}}]}
    info = dict(alarm="insights-api-latency", category="cpu_saturation", resources=[r],
                where="front (API Gateway)", services="API Gateway, Lambda, Aurora MySQL",
                decoys="nightly loader pushing the writer's CPU (and its alarm) 11 min before onset; manual "
                       "cluster snapshot; old slow-query warnings; query timeouts that look like a dependency failure",
                story=(
                    "`insights-api` calls the Node function `insights-query`, which reads from the cluster's "
                    "reader endpoint (`atlas-aurora-2`). From about -42 min the reader's CPU goes from ~22 % "
                    "to 98-100 % and stays there; ReadLatency jumps; its slow-query log fills with 25-140 s "
                    "full scans by `bi_readonly` examining 30-60 M rows. The function's duration rises from "
                    "~100 ms to several seconds and a quarter of calls fail with mysql2 `Query inactivity "
                    "timeout`, so API latency alarms. The nightly loader runs at 01:50 every night on the "
                    "writer `atlas-aurora-1`, whose CPU alarm fired and cleared; the writer serves none of "
                    "these reads. The `merchant_cohort_90d` slow warnings are old."),
                judgement=("The function's errors are timeouts from a database, which reads like "
                           "`dependency_failure`; but the database is itself saturated (CPU pinned), so the "
                           "specific category is `cpu_saturation` on the reader instance."))
    return sc, info


# =========================================================================== 08
def s08() -> tuple:
    DEP, T0 = -2580, -2460
    sc = Scenario(8, "invoice-dlq-growing",
                  "invoice-events DLQ growing; finance reports missing invoices in the billing portal.",
                  "eu-central-1", 6208, "2026-07-07T10:20:00+00:00")
    cl, svc, tax = "billing", "invoice-projector", "tax-quoter"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=3,
                image="invoice-projector:3.8.0", consumes="sqs:invoice-events", log_group=f"/ecs/{svc}")
    sc.resource("ecs", f"{cl}/{tax}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2)
    sc.resource("rds", "billing-pg", engine="postgres", engine_version="16.3", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=400)

    bad = lambda t: 0.34 * ramp(t, T0, T0 + 90)
    roll = lambda t: 3 if t < T0 or t >= DEP + 240 else 6
    ecs_metrics(sc, cl, svc, cpu=lambda t: 24 + 3 * bad(t), mem=lambda t: 41.0, running=roll, desired=3)
    ecs_metrics(sc, cl, tax, cpu=lambda t: 17.0, mem=lambda t: 36.0, running=lambda t: 2, desired=2)
    sqs_metrics(sc, "invoice-events", sent=lambda t: 240.0, deleted=lambda t: 240 * (1 - bad(t)),
                visible=lambda t: 12 + 80 * bad(t) / 0.34, age=lambda t: 4 + 300 * bad(t) / 0.34)
    dlq = lambda t: 3 + max(0.0, t - T0 - 300) / 60 * 240 * 0.34 * ramp(t, T0 + 300, T0 + 360)
    sqs_metrics(sc, "invoice-events-dlq", sent=lambda t: 0.0, deleted=lambda t: 0.0, visible=dlq,
                age=lambda t: 86000 + t + 21600)
    rds_metrics(sc, "billing-pg", cpu=lambda t: 27 - 5 * bad(t), conns=lambda t: 96.0)

    # ---------------------------------------------------------------- logs
    old, new = [sc.hexid(32) for _ in range(3)], [sc.hexid(32) for _ in range(3)]
    grp, src = f"/ecs/{svc}", "Billing.Projector.InvoiceEventHandler"

    def line(t):
        rng = sc.rng
        pool = old if t < T0 else (new if t >= DEP + 240 else old + new)
        tid = rng.choice(pool)
        st = f"ecs/projector/{tid}"
        is_new = tid in new
        mid = sc.uuid()
        inv = f"INV-2026-{rng.randint(10 ** 6, 10 ** 7 - 1)}"
        x = rng.random()
        if is_new and x < 0.34:
            return st, serilog(sc, t, "ERR", src,
                               f"Failed to handle message {mid} (receive {rng.randint(1, 5)}) for {inv}\n"
                               "System.Text.Json.JsonException: The JSON value could not be converted to System.Decimal. "
                               f"Path: $.lines[{rng.randint(0, 3)}].unitPrice | LineNumber: 0 | BytePositionInLine: {rng.randint(180, 420)}.\n"
                               " ---> System.InvalidOperationException: Cannot get the value of a token type 'String' as a number.\n"
                               "   at System.Text.Json.Utf8JsonReader.TryGetDecimal(Decimal& value)\n"
                               "   at Billing.Projector.Contracts.InvoiceEventSerializer.Deserialize(String body) in /src/Billing.Projector/Contracts/InvoiceEventSerializer.cs:line 27\n"
                               "   at Billing.Projector.InvoiceEventHandler.HandleAsync(Message message, CancellationToken ct) in /src/Billing.Projector/InvoiceEventHandler.cs:line 61")
        if x < 0.42:
            return st, serilog(sc, t, "WRN", src, f"Message {mid} already projected (idempotency key hit), skipping")
        if x < 0.47:
            return st, serilog(sc, t, "ERR", "Billing.Projector.Telemetry.StatsdSink",
                               "Failed to publish metrics to statsd at 127.0.0.1:8125: Connection refused")
        return st, serilog(sc, t, "INF", src, f"Projected invoice {inv} ({rng.randint(1, 9)} lines) in {rng.randint(18, 90)} ms")
    emit(sc, grp, LOG_START, 0, 6, line)
    for i, tid in enumerate(new):
        s = DEP + 100 + i * 7
        sc.log(grp, f"ecs/projector/{tid}", s, serilog(sc, s, "INF", "Microsoft.Hosting.Lifetime",
                                                        "Application started. Version 3.8.0+a41c9e2. Hosting environment: Production"))
    for i, tid in enumerate(old):
        s = DEP + 230 + i * 5
        sc.log(grp, f"ecs/projector/{tid}", s, serilog(sc, s, "INF", "Microsoft.Hosting.Lifetime",
                                                        "Application is shutting down... (version 3.7.4+9c03d1f)"))
    tax_t = [sc.hexid(32) for _ in range(2)]
    emit(sc, f"/ecs/{tax}", LOG_START, 0, 1.5,
         lambda t: (f"ecs/quoter/{sc.rng.choice(tax_t)}",
                    serilog(sc, t, "INF", "Billing.Tax.QuoteEndpoint", f"POST /quote 200 in {sc.rng.randint(30, 120)} ms")))
    for i, tid in enumerate(tax_t):
        sc.log(f"/ecs/{tax}", f"ecs/quoter/{tid}", T0 - 20 + i, serilog(sc, T0 - 20 + i, "INF", "Billing.Tax.Config",
               "Reloaded configuration from SSM /billing/tax-quoter/*: UpstreamTimeoutMs 2500 -> 4000"))

    sc.alarm("invoice-events-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
             {"QueueName": "invoice-events-dlq"}, "Maximum", 300, 1, 50, "GreaterThanThreshold",
             "Invoice events dead-lettered")
    sc.alarm("invoice-events-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "invoice-events"},
             "Maximum", 300, 2, 900, "GreaterThanThreshold")
    sc.change(DEP - 14, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{svc}:43",
              "github-actions-billing")
    sc.change(DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "github-actions-billing")
    sc.change(T0 - 50, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
              "/billing/tax-quoter/upstream-timeout-ms", "r.schulz")
    sc.change(-12600, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "billing-pg", "r.schulz")
    sc.expect = {"alarm": "invoice-events-dlq-not-empty",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/SQS", "name": "ApproximateNumberOfMessagesVisible",
                                "dimensions": {"QueueName": "invoice-events-dlq"}}]}
    info = dict(alarm="invoice-events-dlq-not-empty", category="bad_deployment", resources=[f"{cl}/{svc}", svc],
                where="front (dead-letter queue)", services="ECS, SQS, RDS PostgreSQL",
                decoys="SSM parameter change for billing/tax-quoter 1 min before onset (closer than the deploy); old statsd "
                       "'Connection refused' errors and idempotency warnings; RDS modification 3.5 h earlier",
                story=(
                    f"The .NET worker `{cl}/{svc}` projects `invoice-events` into the billing database. At "
                    "-43 min a new task definition (image 3.8.0) rolls out; the new tasks log `Application "
                    "started. Version 3.8.0` and, from their first messages, about a third of messages fail "
                    "with a never-seen `System.Text.Json.JsonException: ... could not be converted to "
                    "System.Decimal. Path: $.lines[n].unitPrice` from `InvoiceEventSerializer`. The old 3.7.4 "
                    "tasks, running side by side for four minutes, never log it. Deletes fall by a third and "
                    "after five receives the messages land in the DLQ, whose alarm fires. The statsd "
                    "`Connection refused` errors and idempotency skips are at their usual rate; the SSM "
                    "parameter change belongs to `tax-quoter` (which only reloads a timeout) and `billing-pg` "
                    "is untouched."),
                judgement=("The SSM `PutParameter` is the change closest to onset and 'a config change beats a "
                           "deployment' — but that rule ranks triggers on the causal path. This parameter is "
                           "read only by `tax-quoter`, which stays healthy, so the deployment is the cause."))
    return sc, info
