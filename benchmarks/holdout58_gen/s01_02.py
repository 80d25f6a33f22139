"""h58-01 (Node 16 -> 20 runtime bump drops the bundled SDK) and h58-02 (connection exhaustion)."""
from __future__ import annotations

from . import blocks as B
from .common import GRID, Scenario, bump, diurnal, ramp, step
from .runtimes import LambdaLogs, pg, spring


# =========================================================================== 01
def s01() -> Scenario:
    sc = Scenario(1, "invoice-hooks-node20", "Errors alarm on the invoice webhook function; "
                  "payment provider reports failed webhook deliveries.", "us-east-2", 5801,
                  "2026-04-14T16:25:00+00:00")
    T = -2580  # runtime setting changed nodejs16.x -> nodejs20.x
    fa, fb = "invoice-webhook", "quote-renderer"
    sc.resource("lambda", fa, runtime="nodejs20.x", handler="index.handler", timeout=15,
                memory_size=256, architectures=["x86_64"])
    sc.resource("lambda", fb, runtime="nodejs20.x", handler="dist/handler.render", timeout=30,
                memory_size=1024, architectures=["x86_64"])
    inv = sc.series(lambda t: 27 * diurnal(sc, t, 15), integer=True)
    err = [v if t >= T else float(sc.rng.random() < 0.01) for t, v in zip(GRID, inv)]
    dur = sc.series(lambda t: 218 if t >= T else 182, noise=0.12)
    conc = sc.series(lambda t: 1.6 if t < T else 2.4, noise=0.3, digits=0)
    B.lambda_metrics(sc, fa, inv, err, dur, conc=conc)
    inv_b = sc.series(lambda t: 9 * diurnal(sc, t, 15), integer=True)
    err_b = sc.series(lambda t: 1.1, integer=True)
    dur_b = sc.series(lambda t: 1450 + bump(t, T + 100, T + 700, 260), noise=0.1)
    B.lambda_metrics(sc, fb, inv_b, err_b, dur_b, conc=sc.series(lambda t: 1.3, noise=0.4, digits=0))

    # ---- invoice-webhook on nodejs16.x (before the change)
    old = LambdaLogs(sc, fa, "nodejs16.x", 256, 15, mem_used=(88, 6), retire=(-9300,))
    kinds = ["invoice.paid", "invoice.payment_failed", "invoice.finalized", "customer.updated"]

    def body_old(ll, t, rid, is_err, cold):
        evt, kind = f"evt_{sc.hexid(24)}", sc.rng.choice(kinds)
        lines = [(0.004, ll.fmt(t + 0.004, rid, "INFO", f"Received webhook {evt} type={kind}"))]
        ms = max(40, sc.rng.gauss(170, 40))
        if sc.rng.random() < 0.05:
            lines.append((ms / 2000, ll.fmt(t + ms / 2000, rid, "WARN",
                          "Retrying DynamoDB PutItem (attempt 2/3): ProvisionedThroughputExceededException: "
                          "The level of configured provisioned throughput for the table was exceeded. "
                          "Consider increasing your provisioning level with the UpdateTable API.")))
        lines.append((ms / 1000, ll.fmt(t + ms / 1000, rid, "INFO",
                      f"Stored {kind} for in_{sc.hexid(14)} ({int(ms)} ms)")))
        return {"dur": ms + 6, "lines": lines}
    old.run(B.sample(inv, 5, t1=T), {}, body_old)

    # ---- after the change every environment fails in init (aws-sdk v2 is not in nodejs20.x)
    rv = (f"INIT_START Runtime Version: nodejs:20.v37\tRuntime Version ARN: arn:aws:lambda:us-east-2::"
          f"runtime:{sc.hexid(64)}")
    stack = ('{"errorType":"Runtime.ImportModuleError","errorMessage":"Error: Cannot find module '
             "'aws-sdk'\\nRequire stack:\\n- /var/task/lib/store.js\\n- /var/task/index.js\\n- "
             '/var/runtime/index.mjs","stack":["Runtime.ImportModuleError: Error: Cannot find module '
             "'aws-sdk'\",\"Require stack:\",\"- /var/task/lib/store.js\",\"- /var/task/index.js\","
             '"- /var/runtime/index.mjs","    at _loadUserApp (file:///var/runtime/index.mjs:1087:17)",'
             '"    at async UserFunction.js.module.exports.load (file:///var/runtime/index.mjs:1119:21)",'
             '"    at async start (file:///var/runtime/index.mjs:1282:23)",'
             '"    at async file:///var/runtime/index.mjs:1288:1"]}')
    streams = [f"{sc.at(T).strftime('%Y/%m/%d')}/[$LATEST]{sc.hexid(32)}" for _ in range(5)]
    g = f"/aws/lambda/{fa}"
    for m, n in sorted(B.sample(inv, 4, t0=T).items()):
        for s in sorted(sc.rng.uniform(m, m + 60) for _ in range(n)):
            st, rid = sc.rng.choice(streams), sc.uuid()
            i1, i2 = sc.rng.uniform(190, 260), sc.rng.uniform(180, 240)
            sc.log(g, st, s - 0.6, rv)
            sc.log(g, st, s - 0.4, f"{sc.iso(s - 0.4)}\tundefined\tERROR\tUncaught Exception \t{stack}")
            sc.log(g, st, s - 0.39, f"INIT_REPORT Init Duration: {i1:.2f} ms\tPhase: init\tStatus: error"
                   "\tError Type: Runtime.ImportModuleError")
            sc.log(g, st, s, f"START RequestId: {rid} Version: $LATEST")
            sc.log(g, st, s + 0.19, f"{sc.iso(s + 0.19)}\tundefined\tERROR\tUncaught Exception \t{stack}")
            sc.log(g, st, s + 0.2, f"INIT_REPORT Init Duration: {i2:.2f} ms\tPhase: invoke\tStatus: error"
                   "\tError Type: Runtime.ImportModuleError")
            sc.log(g, st, s + 0.201, f"END RequestId: {rid}")
            sc.log(g, st, s + 0.202, f"REPORT RequestId: {rid}\tDuration: {i2 + 9:.2f} ms\tBilled Duration: "
                   f"{int(i2 + 10)} ms\tMemory Size: 256 MB\tMax Memory Used: 61 MB\tStatus: error\t"
                   "Error Type: Runtime.ImportModuleError")

    # ---- quote-renderer: deployed right after the onset, loud but unchanged template errors
    qb = LambdaLogs(sc, fb, "nodejs20.x", 1024, 30, epochs=((-10 ** 9, "41"), (T + 100, "42")),
                    retire=(T + 100,), mem_used=(410, 30))

    def body_q(ll, t, rid, is_err, cold):
        ms = max(300, sc.rng.gauss(1450, 300))
        q = f"Q-{sc.rng.randint(100000, 999999)}"
        lines = [(0.01, ll.fmt(t + 0.01, rid, "INFO", f"Rendering quote {q} (3 pages)"))]
        if is_err:
            lines.append((0.3, ll.fmt(t + 0.3, rid, "ERROR", "TemplateNotFoundError: no template "
                          "'quote/pt-BR/body.hbs'; rendering with fallback locale en-US")))
        lines.append((ms / 1000, ll.fmt(t + ms / 1000, rid, "INFO", f"Uploaded s3://quotes-prd/{q}.pdf")))
        return {"dur": ms + 8, "lines": lines}
    qb.run(B.sample(inv_b, 3), B.sample(err_b, 2), body_q)

    B.lambda_config(sc, -15120, fb, "terraform-ci")
    B.lambda_code(sc, -9300, fa, "github-actions-deploy")
    B.lambda_config(sc, T, fa, "terraform-ci")
    B.lambda_code(sc, T + 100, fb, "github-actions-deploy")
    sc.alarm("invoice-webhook-errors", "AWS/Lambda", "Errors", {"FunctionName": fa}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Webhook handler failing")
    sc.alarm("quote-renderer-errors", "AWS/Lambda", "Errors", {"FunctionName": fb}, "Sum", 300, 1, 25,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "invoice-webhook-errors",
                 "root_cause": {"category": "config_change", "resource": [fa]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fa}}]}
    return sc


# =========================================================================== 02
def s02() -> Scenario:
    sc = Scenario(2, "catalog-connection-slots", "Storefront returning 5xx on product pages; "
                  "target 5XX alarm on the public load balancer.", "eu-west-1", 5802,
                  "2026-05-06T10:12:00+00:00")
    Bt = -2460           # feed consumer fans out
    F = Bt + 300         # connection slots gone
    lb, cl, svc, db, fn = "app/storefront-pub/8c1f4e2a9b7d3c60", "retail-prod", "catalog-api", "pg-main", "feed-importer"
    sc.resource("alb", lb, name="storefront-pub", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", desired_count=6, launch_type="FARGATE", cpu=1024, memory=2048,
                image="catalog-api:2.31.0")
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=300, allocated_storage_gb=500)
    sc.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=512,
                event_source="sqs:catalog-feed-queue")
    sc.resource("rds", "pg-analytics", engine="postgres", engine_version="15.6",
                instance_class="db.r6g.xlarge", max_connections=500, allocated_storage_gb=1000)

    conc = sc.series(lambda t: 4 + 166 * ramp(t, Bt, Bt + 240), noise=0.08, digits=0)
    inv = sc.series(lambda t: 14 + 320 * ramp(t, Bt, Bt + 240), integer=True)
    ferr = sc.series(lambda t: 0.2 + 190 * ramp(t, F - 60, F + 60), integer=True)
    fdur = sc.series(lambda t: 2100 + 24000 * ramp(t, Bt, F) - 9000 * ramp(t, F, F + 120), noise=0.1)
    B.lambda_metrics(sc, fn, inv, ferr, fdur, conc=conc)
    conns = sc.series(lambda t: min(297.0, 92 + 230 * ramp(t, Bt, F)), noise=0.02, cap=300, digits=0)
    B.rds_metrics(sc, db, sc.series(lambda t: 24 * diurnal(sc, t, 11) + 20 * ramp(t, Bt, F), noise=0.08),
                  conns, sc.series(lambda t: 212.4 - 0.0000021 * (t + 21600), noise=0.0005),
                  sc.series(lambda t: 0.0011 + 0.0009 * ramp(t, Bt, F), noise=0.1, digits=5),
                  sc.series(lambda t: 9.1 - 1.6 * ramp(t, Bt, F), noise=0.01))
    B.rds_metrics(sc, "pg-analytics", sc.series(lambda t: 31 + bump(t, -9000, -7800, 40), noise=0.1),
                  sc.series(lambda t: 41, integer=True), sc.series(lambda t: 611.0, noise=0.0003),
                  sc.series(lambda t: 0.002, noise=0.1, digits=5), sc.series(lambda t: 19.0, noise=0.01))
    req = sc.series(lambda t: 910 * diurnal(sc, t, 11), integer=True)
    t5 = sc.series(lambda t: 0.4 + 58 * ramp(t, F - 30, F + 240), integer=True)
    B.alb_metrics(sc, lb, req, sc.series(lambda t: 0.085 + 1.7 * ramp(t, F - 30, F + 240), noise=0.1, digits=4),
                  t5, sc.series(lambda t: 0.3, integer=True), B.flat(6),
                  [0.0] * len(GRID))
    B.ecs_metrics(sc, cl, svc, sc.series(lambda t: 31 * diurnal(sc, t, 11) - 9 * ramp(t, F, F + 300)
                                         + bump(t, -5700, -5520, 25, 60), noise=0.06),
                  sc.series(lambda t: 58 + 6 * ramp(t, -5700, -5500), noise=0.02))

    # ---- catalog-api (Spring Boot); tasks replaced at -5700 by the Java 21 rollout
    app, lg = "catalog-api", "/ecs/catalog-api"
    old_t = [B.ecs_task_id(sc) for _ in range(3)]
    new_t = [B.ecs_task_id(sc) for _ in range(3)]
    D = -5700
    for i, tid in enumerate(new_t):
        st, t0 = f"ecs/catalog-api/{tid}", D + 40 + 25 * i
        for k, (lv, th, lgr, msg) in enumerate([
                ("INFO", "main", "c.r.catalog.CatalogApplication",
                 "Starting CatalogApplication v2.31.0 using Java 21.0.3 with PID 1 (/app/app.jar started by app in /app)"),
                ("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
                ("INFO", "main", "com.zaxxer.hikari.pool.HikariPool",
                 "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@6f1c2a9e"),
                ("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
                ("INFO", "main", "c.r.catalog.CatalogApplication", "Started CatalogApplication in 7.412 seconds (process running for 8.1)")]):
            sc.log(lg, st, t0 + k * 1.3, spring(sc, t0 + k * 1.3, lv, th, lgr, msg, app))
    for tid in old_t:
        sc.log(lg, f"ecs/catalog-api/{tid}", D + 150, spring(sc, D + 150, "INFO", "SpringApplicationShutdownHook",
               "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete", app))

    def app_line(tid):
        def f(t):
            th = f"http-nio-8080-exec-{sc.rng.randint(1, 40)}"
            sku = f"SKU-{sc.rng.randint(100000, 999999)}"
            if t >= F and sc.rng.random() < 0.55:
                return [(0, spring(sc, t, "WARN", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                   "SQL Error: 0, SQLState: 53300", app)),
                        (0.001, spring(sc, t + 0.001, "ERROR", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                       "FATAL: remaining connection slots are reserved for non-replication superuser connections", app)),
                        (0.01, spring(sc, t + 0.01, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                      "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                                      "[Request processing failed: org.springframework.transaction.CannotCreateTransactionException: "
                                      "Could not open JPA EntityManager for transaction] with root cause\norg.postgresql.util.PSQLException: "
                                      "FATAL: remaining connection slots are reserved for non-replication superuser connections\n"
                                      "\tat org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)\n"
                                      "\tat com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:476)", app))]
            if sc.rng.random() < 0.015:
                return spring(sc, t, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                              f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={sc.rng.randint(61, 95)}s).", app)
            return spring(sc, t, "INFO", th, "c.r.catalog.web.ProductController",
                          f"GET /api/v1/products/{sku} -> 200 ({sc.rng.randint(6, 40)} ms)", app)
        return f
    for tid in old_t:
        B.emit(sc, lg, f"ecs/catalog-api/{tid}", lambda t: 2.0, app_line(tid), t1=D + 150)
    for tid in new_t:
        B.emit(sc, lg, f"ecs/catalog-api/{tid}", lambda t: 2.0 if t < F else 3.5, app_line(tid), t0=D + 60)

    # ---- feed-importer (Python): SQS fan-out opens one connection per environment
    ll = LambdaLogs(sc, fn, "python3.12", 512, 120, mem_used=(140, 12))

    def body_f(l, t, rid, is_err, cold):
        n = sc.rng.randint(180, 520)
        lines = [(0.01, l.fmt(t + 0.01, rid, "INFO", f"Processing batch of 10 messages from catalog-feed-queue "
                              f"(partner={sc.rng.choice(['P-1042', 'P-2210', 'P-0877'])})"))]
        if sc.rng.random() < 0.06:
            lines.append((0.4, l.fmt(t + 0.4, rid, "WARNING", 'duplicate key value violates unique constraint '
                                     '"sku_price_history_pkey"; row skipped')))
        if is_err:
            lines.append((0.2, l.fmt(t + 0.2, rid, "ERROR", "[ERROR] OperationalError: connection failed: "
                         'connection to server at "pg-main.c9akq1x2y3zt.eu-west-1.rds.amazonaws.com" (10.40.3.18), '
                         "port 5432 failed: FATAL:  remaining connection slots are reserved for non-replication "
                         "superuser connections")))
            return {"dur": 240, "lines": lines}
        ms = sc.rng.gauss(2100, 400) if t < Bt else sc.rng.gauss(26000, 5000)
        lines.append((ms / 1000, l.fmt(t + ms / 1000, rid, "INFO", f"Upserted {n} SKUs in {ms / 1000:.1f}s")))
        return {"dur": ms, "lines": lines}
    ll.run(B.sample(inv, 6), B.scaled(inv, ferr, 6), body_f)

    # ---- pg-main log
    rg, rs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    B.every(sc, rg, rs, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 4200)} buffers "
                                          f"({sc.rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) added, 0 removed, 2 recycled; "
                                          f"write={sc.rng.uniform(20, 90):.3f} s, sync=0.004 s, total={sc.rng.uniform(20, 90):.3f} s", pid=412))
    B.emit(sc, rg, rs, lambda t: 0.8, lambda t: pg(sc, t, "ERROR", 'duplicate key value violates unique constraint '
                                                   '"sku_price_history_pkey"', sc.ip("10.40") + "(5" + str(sc.rng.randint(1000, 9999)) + ")",
                                                   "feed_rw", "catalog"))
    B.emit(sc, rg, rs, lambda t: 14 if t >= F else 0, lambda t: pg(
        sc, t, "FATAL", "remaining connection slots are reserved for non-replication superuser connections",
        sc.ip("10.40") + f"({sc.rng.randint(30000, 60000)})", sc.rng.choice(["catalog_app", "feed_rw"]), "catalog"), t0=F)

    ecs_user = "codepipeline-retail"
    B.ecs_deploy(sc, D, cl, svc, ecs_user)
    sc.change(-2640, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "pg-analytics",
              "secops-automation")
    sc.alarm("storefront-pub-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 20, "GreaterThanThreshold", "Storefront 5xx from targets")
    sc.alarm("pg-main-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db},
             "Maximum", 300, 1, 270, "GreaterThanThreshold")
    sc.expect = {"alarm": "storefront-pub-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    return sc
