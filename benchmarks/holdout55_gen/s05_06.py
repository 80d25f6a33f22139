"""h55-05 (PostgreSQL connection slots exhausted, seen on the invoice ALB) and h55-06 (reporting DB CPU pinned)."""
from __future__ import annotations

from . import blocks, fmt, lam, svc
from .kit import LOG_START, T, Scenario, counts, morning, series, sig, value_at, window

GIB = 1024 ** 3


# ------------------------------------------------------------------ h55-05
def s05():
    region = "eu-central-1"
    scn = Scenario("invoice-alb-latency", region, 5505, "Invoice portal very slow, some 500s; invoice ALB latency alarm.")
    rng = scn.rng
    alb_id = "app/invoice-alb/c41b7e9d2a6f3018"
    host = "billing-db.cq7rxd1lkz4e.eu-central-1.rds.amazonaws.com"
    ramp = -2600                     # month-end usage rollup backlog starts fanning out
    max_conn = 300
    agg_envs = lambda t: 4 + 196 * sig(t, ramp + 420, 150)           # noqa: E731 - warm usage-aggregator environments
    want = lambda t: 12 + 84 * morning(t) / 0.94 + agg_envs(t)       # noqa: E731 - connections clients try to hold
    full = lambda t: want(t) >= max_conn - 3                          # noqa: E731
    scn.resource("alb", alb_id, name="invoice-alb", scheme="internet-facing", targets=["billing/invoice-api"])
    scn.resource("ecs", "billing/invoice-api", cluster="billing", service_name="invoice-api", launch_type="FARGATE",
                 task_definition="invoice-api:141", desired_count=6, cpu=1024, memory=2048, runtime="java17 / Spring Boot 3.1",
                 log_groups=["/ecs/invoice-api"], load_balancer=alb_id,
                 environment={"SPRING_DATASOURCE_URL": f"jdbc:postgresql://{host}:5432/billing", "HIKARI_MAX_POOL_SIZE": "20"})
    scn.resource("rds", "billing-db", engine="postgres", engine_version="15.5", instance_class="db.m6g.large", max_connections=max_conn,
                 allocated_storage_gb=400, parameter_group="billing-pg15-params", endpoint=host)
    scn.resource("rds", "analytics-db", engine="postgres", engine_version="15.5", instance_class="db.r6g.large", max_connections=500,
                 allocated_storage_gb=1000, parameter_group="analytics-pg15-params")
    scn.resource("lambda", "usage-aggregator", runtime="python3.11", timeout=300, memory_size=512, handler="rollup.handler",
                 event_source="sqs:usage-rollup", environment={"DB_HOST": host, "DB_NAME": "billing"})

    rate = lambda t: 360 * morning(t)  # noqa: E731
    req = counts(rng, rate)
    bad_frac = lambda t: 0.11 * sig(t, ramp + 700, 60)   # noqa: E731 - requests that need a fresh connection
    t5xx = [float(round(r * bad_frac(t) * rng.uniform(0.8, 1.2))) for t, r in zip(T, req)]
    rt = series(rng, lambda t: 0.16 + 3.4 * sig(t, ramp + 700, 60), 0.06, nd=4)
    blocks.alb(scn, alb_id, req=req, rt=rt, t5xx=t5xx, healthy=[6.0] * 360)
    blocks.ecs(scn, "billing", "invoice-api", cpu=series(rng, lambda t: 27 * morning(t) * (1 - 0.35 * sig(t, ramp + 700, 60)), 0.07),
               mem=series(rng, lambda t: 63, 0.015), running=[6.0] * 360)
    conns = [float(min(max_conn, round(want(t) + rng.gauss(0, 2)))) for t in T]
    blocks.rds(scn, "billing-db", cpu=series(rng, lambda t: 19 * morning(t) + 21 * sig(t, ramp + 200, 200), 0.08), conns=conns,
               free_storage=series(rng, lambda t: 251 * GIB, 0.0004), freeable_mem=series(rng, lambda t: (2.9 - 0.9 * sig(t, ramp + 300, 200)) * GIB, 0.01))
    blocks.rds(scn, "analytics-db", cpu=series(rng, lambda t: 31, 0.1), conns=series(rng, lambda t: 44, 0.08, integer=True),
               free_storage=series(rng, lambda t: 402 * GIB, 0.0004), freeable_mem=series(rng, lambda t: 5.1 * GIB, 0.01))

    def agg(rng_, t, r):
        lines = [(10, fmt.py("INFO", t + 0.01, r, f"Rolling up usage for account acct_{rng_.randint(10000, 99999)} period=2026-11"))]
        if full(t) and rng_.random() < 0.2:     # a fresh environment cannot open its connection
            exc = (f'psycopg2.OperationalError: connection to server at "{host}" (10.1.4.23), port 5432 failed: '
                   "FATAL:  sorry, too many clients already")
            lines.append((40, fmt.py_unhandled(t, r, exc, ['  File "/var/task/rollup.py", line 19, in handler\n    conn = get_conn()',
                                                           '  File "/var/task/db.py", line 12, in get_conn\n    _CONN = psycopg2.connect(DSN)'])))
            return rng_.uniform(60, 120), rng_.randint(70, 90), "error", lines
        d = rng_.uniform(20000, 40000) if t < ramp else rng_.uniform(60000, 110000)
        lines.append((d - 10, fmt.py("INFO", t + d / 1000 - 0.01, r, f"Upserted {rng_.randint(200, 4000)} usage rows")))
        return d, rng_.randint(120, 190), "ok", lines
    lam.simulate(scn, "usage-aggregator", memory=512, timeout_s=300, handler=agg, streams=3, log_from=-7200,
                 rate=lambda t: 2 + 58 * sig(t, ramp, 120))

    app = "invoice-api"
    for k in range(6):
        ev = []
        th = lambda: f"nio-8080-exec-{rng.randint(1, 60)}"  # noqa: E731
        ev += svc.sampled(rng, LOG_START, -1, lambda t: rate(t) / 6 * 0.04, lambda t: fmt.spring(
            "INFO", t, app, th(), "c.a.billing.web.InvoiceController", f"GET /invoices/inv_{rng.randint(10**6, 10**7)} 200 ({rng.randint(40, 180)} ms)"))
        ev += svc.sampled(rng, LOG_START, -1, 0.4, lambda t: fmt.spring(
            "WARN", t, app, th(), "c.a.billing.pdf.PdfRenderer", "Font 'Helvetica-Oblique' is not embedded, substituting 'LiberationSans-Italic'"))

        def pool_err(t):
            return fmt.spring("ERROR", t, app, th(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                              "Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed: "
                              "org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction] with root cause\n\n"
                              "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms "
                              "(total=11, active=11, idle=0, waiting=23)\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n"
                              "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)\n"
                              "Caused by: org.postgresql.util.PSQLException: FATAL: remaining connection slots are reserved for non-replication superuser connections\n"
                              "\tat org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)")
        ev += svc.sampled(rng, LOG_START, -1, lambda t: rate(t) / 6 * bad_frac(t), pool_err)
        ev += svc.sampled(rng, LOG_START, -1, lambda t: 2.0 * sig(t, ramp + 650, 60), lambda t: fmt.spring(
            "WARN", t, app, "HikariPool-1 connection adder", "com.zaxxer.hikari.pool.HikariPool",
            "HikariPool-1 - Pool is empty, failed to create/setup connection (PSQLException: FATAL: remaining connection slots are reserved for non-replication superuser connections)"))
        scn.log("/ecs/invoice-api", f"ecs/invoice-api/{svc.task_id(rng)}", ev)

    pg = lam.periodic(rng, -21600, -1, 300, lambda t: fmt.pg(t, "LOG", f"checkpoint complete: wrote {rng.randint(900, 4000)} buffers "
                                                                         f"({rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled", pid=412))
    pg += svc.sampled(rng, -21600, -1, lambda t: 0.5 + 20 * (1 if full(t) else 0), lambda t: fmt.pg(
        t, "FATAL", rng.choice(["remaining connection slots are reserved for non-replication superuser connections", "sorry, too many clients already"]),
        client=f"10.1.{rng.randint(2, 9)}.{rng.randint(2, 250)}({rng.randint(40000, 65000)})", user="billing_app", db="billing", pid=rng.randint(1000, 40000))
        if full(t) else fmt.pg(t, "LOG", f"could not receive data from client: Connection reset by peer",
                               client=f"10.1.{rng.randint(2, 9)}.{rng.randint(2, 250)}({rng.randint(40000, 65000)})", user="billing_app", db="billing", pid=rng.randint(1000, 40000)))
    scn.log("/aws/rds/instance/billing-db/postgresql", "billing-db.0", pg)

    scn.change(-4000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "analytics-pg15-params", "dana.weiss")
    scn.change(-10000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "billing/invoice-api", "github-actions-deployer")
    scn.change(-10012, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "invoice-api:141", "github-actions-deployer")

    d = {"LoadBalancer": alb_id}
    scn.alarm("invoice-alb-latency-high", "AWS/ApplicationELB", "TargetResponseTime", d, "Average", 60, 3, 2.0, state="ALARM",
              description="Invoice portal p-avg latency above 2 s")
    scn.alarm("billing-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "billing-db"}, "Average", 300, 3, 80, state="OK")
    expect = {"alarm": "invoice-alb-latency-high",
              "root_cause": {"category": "db_connection_exhaustion", "resource": ["billing-db"]},
              "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": "billing-db"}}]}
    meta = {"slug": "invoice-alb-latency", "alarm": "invoice-alb-latency-high", "where": "front (ALB)",
            "decoys": ["parameter-group change on analytics-pg15-params (another database) 67 min ago",
                       "invoice-api deploy 2 h 47 min ago, healthy since",
                       "constant 'Font not embedded' WARN on invoice-api"],
            "story": ("The month-end usage rollup started fanning out 43 min ago: usage-aggregator (SQS-triggered) went from 2 to "
                      "about 60 invocations a minute and each warm environment keeps its own PostgreSQL connection. billing-db's "
                      "DatabaseConnections climbed to its max_connections of 300 and stayed there; the PostgreSQL log fills with "
                      "'remaining connection slots are reserved' / 'sorry, too many clients already'. invoice-api's Hikari pool "
                      "cannot replace connections ('Connection is not available, request timed out after 30000ms' caused by the "
                      "same FATAL), so requests wait 30 s and the invoice ALB latency alarm fires. DB CPU is moderate and "
                      "storage is fine. The parameter-group change is on analytics-db's group, not billing-db's. Judgement: "
                      "db_connection_exhaustion at billing-db.")}
    return scn, expect, meta


# ------------------------------------------------------------------ h55-06
def s06():
    region = "ap-south-1"
    scn = Scenario("dashboard-api-errors", region, 5506, "Customer dashboards failing to load; dashboard-api Errors alarm.")
    rng = scn.rng
    host = "reporting-db.c1mzk7qv0h3s.ap-south-1.rds.amazonaws.com"
    start = -2150                   # Metabase dashboard with auto-refresh begins hammering reporting-db
    hot = lambda t: sig(t, start + 60, 40)   # noqa: E731
    dep = -5400
    scn.resource("rds", "reporting-db", engine="postgres", engine_version="14.10", instance_class="db.r6g.xlarge",
                 max_connections=1000, allocated_storage_gb=800, endpoint=host)
    scn.resource("lambda", "dashboard-api", runtime="nodejs18.x", timeout=10, memory_size=512, handler="dist/handler.main",
                 environment={"PGHOST": host, "PGDATABASE": "reporting", "PG_STATEMENT_TIMEOUT_MS": "5000"})
    scn.resource("apigateway", "dashboards-http-api", stage="prod", integrations=["dashboard-api"])
    scn.resource("lambda", "export-worker", runtime="nodejs18.x", timeout=900, memory_size=2048, handler="dist/export.main",
                 reserved_concurrency=5)

    def dash(rng_, t, r):
        widget = rng_.choice(["revenue_by_day", "active_users", "orders_funnel", "top_products", "refund_rate"])
        tenant = f"tn_{rng_.randint(100, 999)}"
        lines = [(3, fmt.node("INFO", t + 0.003, r, f"GET /v1/widgets/{widget} tenant={tenant}"))]
        if rng_.random() < 0.04:
            lines.append((8, fmt.node("ERROR", t + 0.008, r, "widget 'legacy_kpi' not found in layout v3, skipping")))
        p_slow = 0.72 * hot(t)
        if rng_.random() < p_slow:
            lines.append((5004, fmt.node_invoke_error(t + 5.004, r, "error", "canceling statement due to statement timeout", [
                "    at Parser.parseErrorMessage (/var/task/node_modules/pg-protocol/dist/parser.js:287:98)",
                "    at Parser.handlePacket (/var/task/node_modules/pg-protocol/dist/parser.js:126:29)",
                "    at Socket.<anonymous> (/var/task/node_modules/pg-protocol/dist/index.js:11:42)",
                "    at async WidgetRepo.query (/var/task/dist/repo/widgets.js:44:21)",
                "    at async Runtime.main [as handler] (/var/task/dist/handler.js:31:16)"],
                length=109, severity="ERROR", code="57014", file="postgres.c", line="3309", routine="ProcessInterrupts")))
            return 5000 + rng_.uniform(4, 40), rng_.randint(110, 130), "error", lines
        q = rng_.uniform(40, 220) * (1 + 12 * hot(t))
        lines.append((q + 5, fmt.node("INFO", t + q / 1000 + 0.005, r, f"widget {widget} rendered in {q:.0f} ms rows={rng_.randint(7, 400)}")))
        return q + rng_.uniform(10, 30), rng_.randint(105, 125), "ok", lines
    rate = lambda t: 30 * morning(t)   # noqa: E731
    res = lam.simulate(scn, "dashboard-api", memory=512, timeout_s=10, handler=dash, rate=rate, streams=3, recycle=(dep,))

    def exp(rng_, t, r):
        return rng_.uniform(20000, 90000), rng_.randint(600, 900), "ok", [
            (10, fmt.node("INFO", t + 0.01, r, f"Export job exp_{rng_.randint(10**5, 10**6)} started (format=csv)")),
            (15000, fmt.node("INFO", t + 15, r, f"Export uploaded to s3://acme-exports/{rng_.randint(10**5, 10**6)}.csv.gz"))]
    lam.simulate(scn, "export-worker", memory=2048, timeout_s=900, handler=exp, rate=lambda t: 0.4, streams=1, limit=5,
                 mean_dur=lambda t: 55000)

    inv = res["inv"]
    blocks.apigw(scn, "dashboards-http-api", count=inv, e4xx=[float(round(v * 0.01 * rng.uniform(0, 2))) for v in inv],
                 e5xx=res["err"], latency=[round((v or 100) + rng.uniform(8, 20), 2) for v in res["dur"]])
    blocks.rds(scn, "reporting-db", cpu=series(rng, lambda t: 21 * morning(t) + 78 * hot(t), 0.03, hi=100),
               conns=series(rng, lambda t: 38 + 24 * hot(t), 0.06, integer=True),
               free_storage=series(rng, lambda t: 317 * GIB, 0.0004), freeable_mem=series(rng, lambda t: (9.4 - 0.7 * hot(t)) * GIB, 0.01),
               read_lat=series(rng, lambda t: 0.0011 + 0.004 * hot(t), 0.2, nd=5),
               extra={("ReadIOPS", "Count/Second"): series(rng, lambda t: 380 * morning(t) + 2900 * hot(t), 0.08),
                      ("DBLoadCPU", "None"): series(rng, lambda t: 0.6 * morning(t) + 11.5 * hot(t), 0.1)})

    heavy = ("SELECT date_trunc('week', o.created_at) AS wk, c.cohort_month, count(DISTINCT o.customer_id), sum(oi.amount) "
             "FROM orders o JOIN order_items oi ON oi.order_id = o.id JOIN customers c ON c.id = o.customer_id "
             "WHERE o.created_at >= '2024-01-01' GROUP BY 1, 2 ORDER BY 1, 2")
    pg = lam.periodic(rng, -21600, -1, 300, lambda t: fmt.pg(t, "LOG", f"checkpoint complete: wrote {rng.randint(300, 2500)} buffers "
                                                                         f"({rng.uniform(0.2, 1.5):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled", pid=388))
    pg += svc.sampled(rng, -21600, -1, 0.3, lambda t: fmt.pg(t, "LOG", f"duration: {rng.uniform(5000, 9000):.3f} ms  statement: "
                                                                      f"SELECT * FROM daily_rollup WHERE tenant_id = {rng.randint(100, 999)} AND day >= now() - interval '90 days'",
                                                             client=f"10.40.{rng.randint(1, 9)}.{rng.randint(2, 250)}({rng.randint(40000, 65000)})",
                                                             user="etl_loader", db="reporting", pid=rng.randint(1000, 40000)))
    pg += svc.sampled(rng, start + 150, -1, 1.6, lambda t: fmt.pg(t, "LOG", f"duration: {rng.uniform(140000, max(150000.0, (t - start) * 1000)):.3f} ms  statement: {heavy}",
                                                            client=f"10.40.7.{rng.choice([18, 19])}({rng.randint(40000, 65000)})",
                                                            user="bi_analyst", db="reporting", pid=rng.randint(1000, 40000)))
    pg += svc.sampled(rng, start, -1, lambda t: 0.35 * rate(t) * hot(t) * 0.72, lambda t: fmt.pg(
        t, "ERROR", "canceling statement due to statement timeout\nSTATEMENT:  SELECT day, sum(revenue) FROM daily_rollup WHERE tenant_id = $1 GROUP BY day ORDER BY day",
        client=f"10.40.{rng.randint(20, 29)}.{rng.randint(2, 250)}({rng.randint(40000, 65000)})", user="dashboard_api", db="reporting", pid=rng.randint(1000, 40000)))
    scn.log("/aws/rds/instance/reporting-db/postgresql", "reporting-db.0", pg)

    scn.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "dashboard-api", "ci-deployer")
    scn.change(dep + 14, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "dashboard-api", "ci-deployer")
    scn.change(-1200, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", "export-worker", "arjun.mehta")

    d = {"FunctionName": "dashboard-api"}
    scn.alarm("dashboard-api-errors", "AWS/Lambda", "Errors", d, "Sum", 60, 3, 5, state="ALARM", description="dashboard-api Lambda errors")
    scn.alarm("reporting-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "reporting-db"}, "Average", 300, 3, 90, state="ALARM",
              description="reporting-db CPU (low-priority channel)")
    _ = value_at
    expect = {"alarm": "dashboard-api-errors",
              "root_cause": {"category": "cpu_saturation", "resource": ["reporting-db"]},
              "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": "reporting-db"}},
                            {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d}]}
    meta = {"slug": "dashboard-api-errors", "alarm": "dashboard-api-errors", "where": "front (caller Lambda)",
            "decoys": ["export-worker reserved-concurrency change 20 min ago (the most recent change, after onset)",
                       "dashboard-api deploy 90 min ago, clean for 55 min",
                       "constant handled ERROR \"widget 'legacy_kpi' not found\""],
            "story": ("At 08:34 an analyst's Metabase dashboard (user bi_analyst) started re-running a multi-join cohort query "
                      "with auto-refresh; the reporting-db log shows these statements running for minutes and the instance's "
                      "CPU has been pinned at 97-100 % since, with ReadIOPS and CPU load up and connections far below the limit. "
                      "dashboard-api's ordinary queries now exceed the 5 s statement_timeout and throw 'canceling statement due "
                      "to statement timeout' (SQLSTATE 57014), which the Errors alarm catches. The timeouts come from a "
                      "dependency that IS exhausted (CPU), so this is not a plain dependency failure; the deploy is 90 min old "
                      "and the concurrency change is after the onset on another function. Judgement: cpu_saturation at "
                      "reporting-db.")}
    return scn, expect, meta
