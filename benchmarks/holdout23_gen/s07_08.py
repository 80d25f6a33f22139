"""Scenarios 07-08: connection exhaustion at the bottom of a chain; a DB that is its own origin."""
import datetime as dt
import json

from .awsres import alb_metrics, ecs_metrics, ecs_streams, emit, lambda_fn, pg_line, rds_metrics, spring
from .lib import Scn, anomaly, poisson_times, ramp, spread, step, values

GB = 1e9


def s07():
    s = Scn("h23-07-checkout-5xx-payments-db-connections", "Checkout failing for a share of customers; ALB "
            "5XX alarm on checkout-alb.", "us-east-1", dt.datetime(2026, 11, 27, 16, 30), 2307)
    rec, onset = -2400, -1980
    lb = "app/checkout-alb/91d4c3b2a1f0e9d8"
    s.resource("alb", lb, name="checkout-alb", scheme="internet-facing",
               target_groups=[{"name": "checkout-web-tg", "target": "ecs:checkout/web", "port": 3000}])
    s.resource("ecs", "checkout/web", cluster="checkout", service="web", launch_type="FARGATE", desired_count=6,
               image="209481736650.dkr.ecr.us-east-1.amazonaws.com/checkout-web:14.2.0",
               environment={"PAYMENTS_URL": "http://payments-svc.checkout.local:8080"},
               log_groups=["/ecs/checkout-web"])
    s.resource("ecs", "checkout/payments-svc", cluster="checkout", service="payments-svc", launch_type="FARGATE",
               desired_count=8, image="209481736650.dkr.ecr.us-east-1.amazonaws.com/payments-svc:3.7.5",
               environment={"SPRING_DATASOURCE_URL": "jdbc:postgresql://payments-db.ck3m1x9v2b7n.us-east-1.rds."
                                                     "amazonaws.com:5432/payments",
                            "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE": "15",
                            "SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT": "3000"},
               log_groups=["/ecs/payments-svc"])
    s.resource("rds", "payments-db", engine="postgres", engine_version="15.4", instance_class="db.m6g.large",
               max_connections=200, allocated_storage_gb=300, parameter_group="payments-pg15 (log_connections=1)",
               log_groups=["/aws/rds/instance/payments-db/postgresql"])
    s.resource("lambda", "receipt-mailer", runtime="python3.12", timeout=30, memory_size=256,
               trigger="SQS order-receipts", environment={"SENDER_ADDRESS": "receipts@mail.acme-shop.com",
                                                          "TEMPLATE_SET": "holiday-2026"})

    full = lambda t: ramp(t, rec, onset)
    req = s.counts(lambda t: 1050 * s.diurnal(t, 0.25, 18))
    rv = values(req)
    fail = lambda t: 0.085 * step(t, onset) + 0.02 * ramp(t, onset - 200, onset)
    t5 = [[t, float(s.poisson(rv[t] * fail(t) + 0.4))] for t, _ in req]
    tv = values(t5)
    alb_metrics(s, lb, req, s.series(lambda t: 0.21 + abs(s.noise(0.03)) + 1.6 * step(t, onset), nd=4), t5,
                s.counts(lambda t: 0.1), s.series(lambda t: 6, nd=0))
    ecs_metrics(s, "checkout", "web", s.series(lambda t: 41 * s.diurnal(t, 0.2, 18) + s.noise(2.5)),
                s.series(lambda t: 55 + s.noise(0.6)), s.series(lambda t: 6, nd=0))
    ecs_metrics(s, "checkout", "payments-svc", s.series(lambda t: 30 - 7 * step(t, onset) + s.noise(2)),
                s.series(lambda t: 64 + s.noise(0.5)), s.series(lambda t: 8, nd=0))
    conns = s.series(lambda t: min(200, 74 + s.noise(3) + 126 * full(t)) if t < onset else 197 + s.rng.randint(0, 3),
                     nd=0)
    rds_metrics(s, "payments-db", s.series(lambda t: 34 + 15 * full(t) + s.noise(2.5)), conns,
                s.series(lambda t: 212 * GB + s.noise(0.1 * GB), nd=0),
                s.series(lambda t: 5.6 * GB - 1.2 * GB * full(t) + s.noise(0.04 * GB), nd=0),
                s.series(lambda t: 0.0009 + abs(s.noise(0.0002)), nd=5),
                s.series(lambda t: 0.0016 + abs(s.noise(0.0003)), nd=5))

    # checkout-web (winston JSON)
    def wl(t, level, msg, **kw):
        d = {"level": level, "message": msg, "timestamp": s.iso(t), "service": "checkout-web"}
        d.update(kw)
        return json.dumps(d, separators=(",", ":"))

    def web_line(t, _st):
        m = t - t % 60
        r = s.rng.random()
        if r < 0.06:
            return wl(t, "warn", "Apple Pay merchant identity certificate expires in 9 days",
                      merchantId="merchant.com.acme-shop")
        if t >= onset - 200 and r < 0.06 + 2.8 * tv.get(m, 0) / max(1.0, rv.get(m, 1)):
            return [(0, wl(t, "error", "payments-svc POST /v1/charges failed: 503 Service Unavailable",
                           traceId=s.hexid(32), upstreamBody='{"error":"db_unavailable","retryable":true}',
                           elapsedMs=s.rng.randint(3005, 3090))),
                    (0.002, wl(t, "info", "POST /api/checkout 502 %dms" % s.rng.randint(3010, 3100)))]
        if r < 0.4:
            return wl(t, "info", "POST /api/checkout 200 %dms" % s.rng.randint(180, 420), traceId=s.hexid(32))
        return wl(t, "info", "GET %s 200 %dms" % (s.pick(["/api/cart", "/api/shipping-options", "/api/session"]),
                                                   s.rng.randint(8, 60)))

    emit(s, "/ecs/checkout-web", spread(s, poisson_times(s, lambda m: 30 * s.diurnal(m, 0.25, 18)),
                                        ecs_streams(s, "web", 6), web_line))

    # payments-svc (Spring Boot + HikariCP)
    def pay_line(t, _st):
        m = t - t % 60
        thr = "http-nio-8080-exec-%d" % s.rng.randint(1, 60)
        if t >= onset - 200 and s.rng.random() < 2.6 * tv.get(m, 0) / max(1.0, rv.get(m, 1)):
            w = s.rng.randint(6, 30)
            tot = s.rng.randint(7, 10)
            cause = "FATAL: remaining connection slots are reserved for non-replication superuser connections"
            return [(0, spring(s, t, "WARN", "HikariPool-1 connection adder", "com.zaxxer.hikari.pool.PoolBase",
                               "HikariPool-1 - Failed to create/setup connection: %s" % cause)),
                    (3.0, spring(s, t + 3, "ERROR", thr, "c.a.payments.web.ChargeController",
                                 "Charge failed for order ord_%08d\norg.springframework.transaction.CannotCreate"
                                 "TransactionException: Could not open JPA EntityManager for transaction\n\tat org."
                                 "springframework.orm.jpa.JpaTransactionManager.doBegin(JpaTransactionManager.java:"
                                 "466)\nCaused by: java.sql.SQLTransientConnectionException: HikariPool-1 - "
                                 "Connection is not available, request timed out after 3000ms (total=%d, active=%d, "
                                 "idle=0, waiting=%d)\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException"
                                 "(HikariPool.java:686)\nCaused by: org.postgresql.util.PSQLException: %s"
                                 % (s.rng.randint(10 ** 7, 10 ** 8 - 1), tot, tot, w, cause)))]
        if s.rng.random() < 0.03:
            return spring(s, t, "INFO", "scheduling-1", "c.a.payments.jobs.WebhookRetry",
                          "Retried %d pending provider webhooks" % s.rng.randint(0, 6))
        return spring(s, t, "INFO", thr, "c.a.payments.web.RequestLog",
                      "POST /v1/charges 201 %dms" % s.rng.randint(60, 240))

    emit(s, "/ecs/payments-svc", spread(s, poisson_times(s, lambda m: 16 * s.diurnal(m, 0.25, 18)),
                                        ecs_streams(s, "payments-svc", 8), pay_line))

    # payments-db PostgreSQL log: reconciliation job fan-out, then slot exhaustion
    pg = []
    for t in range(-21600 + 100, -60, 300):
        pg.append((t, pg_line(s, t, "@", 571, "LOG", "checkpoint starting: time")))
    nrec = 0
    for t in poisson_times(s, lambda m: 19 if rec <= m < onset - 60 else 0, rec):
        nrec += 1
        who = "10.0.21.%d(%d):reconcile_job@payments" % (s.rng.randint(10, 40), s.rng.randint(40000, 60000))
        pg.append((t, pg_line(s, t, who, s.rng.randint(9000, 32000), "LOG",
                              "connection authorized: user=reconcile_job database=payments application_name="
                              "reconcile-worker-%03d SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, "
                              "bits=256)" % min(nrec, 128))))
        if nrec >= 128:
            break
    for t in poisson_times(s, lambda m: 4 * tv.get(m, 0) / 8 if m >= onset - 120 else 0, onset - 120):
        who = "10.0.%d.%d(%d):payments_app@payments" % (s.rng.randint(4, 9), s.rng.randint(10, 250),
                                                         s.rng.randint(40000, 60000))
        msg = s.pick(["remaining connection slots are reserved for non-replication superuser connections",
                      "sorry, too many clients already"])
        pg.append((t, pg_line(s, t, who, s.rng.randint(9000, 32000), "FATAL", msg)))
    s.log("/aws/rds/instance/payments-db/postgresql", "payments-db.0", pg)

    # decoy: config change on an SQS-driven mailer, 70 s before onset
    mi = s.counts(lambda t: 11 * s.diurnal(t, 0.25, 18))

    def mail(t, rid, kind):
        d = 300 + s.rng.random() * 200
        return {"dur": d, "mem": 92, "lines": [(d / 1000 - 0.01, "INFO", "Sent receipt for ord_%08d via SES "
                                                                          "(template=%s)" % (
                                                    s.rng.randint(10 ** 7, 10 ** 8 - 1),
                                                    "holiday-2026" if t > -2050 else "default"))]}

    lambda_fn(s, "receipt-mailer", "python3.12", 256, 30, mi, [[t, 0.0] for t, _ in mi], mail,
              lambda t: 400 + s.noise(30), log_from=-3600, rotate=(-2040,), nstreams=2)
    s.change(-2050, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "receipt-mailer", "AWSReservedSSO_Marketing_51ac/j.okafor")

    s.alarm("checkout-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
            60, 3, 30, "GreaterThanThreshold", "ALARM", "auto", t5, "checkout target 5xx", after=onset)
    s.alarm("payments-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "payments-db"},
            "Average", 300, 3, 80, "GreaterThanThreshold", "OK", -500000)
    s.set_expect("checkout-alb-5xx", "db_connection_exhaustion", ["payments-db"],
                 [anomaly("AWS/RDS", "DatabaseConnections", DBInstanceIdentifier="payments-db"),
                  anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", LoadBalancer=lb)])
    s.meta = dict(category="db_connection_exhaustion", resources=["payments-db"],
                  alarm_on="front (ALB → web → payments-svc → RDS, 3 hops)",
                  decoys="receipt-mailer config change 70 s before onset (SQS mailer, off path); steady Apple Pay "
                         "certificate WARN in web",
                  story="checkout-web's 502s wrap payments-svc 503s. payments-svc fails after its 3 s Hikari timeout "
                        "with `Connection is not available` caused by PostgreSQL `FATAL: remaining connection slots "
                        "are reserved`, and payments-db logs the matching FATALs and 'sorry, too many clients "
                        "already'. DatabaseConnections climbs from ~74 to the 200 max_connections from -40 min, as "
                        "~128 `reconcile_job` connections are authorised (a reconciliation fan-out) and it stays at "
                        "the limit. receipt-mailer's template change is on an SQS consumer that nothing in the "
                        "checkout path calls; the Apple Pay WARN runs at the same rate all day. Label: "
                        "db_connection_exhaustion on payments-db.")
    return s


def s08():
    s = Scn("h23-08-inventory-mysql-cpu", "inventory-mysql CPU alarm; stock API slow with timeouts.",
            "eu-west-2", dt.datetime(2026, 11, 23, 9, 10), 2308)
    onset, dep = -2400, -2460
    db, lb = "inventory-mysql", "app/inventory-alb/5e7a2c9d1b3f4a60"
    s.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.xlarge",
               max_connections=2000, allocated_storage_gb=500,
               log_groups=["/aws/rds/instance/inventory-mysql/error", "/aws/rds/instance/inventory-mysql/slowquery"])
    s.resource("ecs", "inventory/stock-api", cluster="inventory", service="stock-api", launch_type="FARGATE",
               desired_count=4, image="660142907315.dkr.ecr.eu-west-2.amazonaws.com/stock-api:2026.11.2",
               environment={"ConnectionStrings__Inventory": "Server=inventory-mysql.c7hq2v0x8k1d.eu-west-2.rds."
                                                            "amazonaws.com;Database=inventory;User=stock_app;"
                                                            "Default Command Timeout=15"},
               log_groups=["/ecs/stock-api"])
    s.resource("alb", lb, name="inventory-alb", scheme="internal",
               target_groups=[{"name": "stock-api-tg", "target": "ecs:inventory/stock-api", "port": 8080}])
    s.resource("lambda", "inventory-import", runtime="python3.12", timeout=600, memory_size=2048,
               trigger="EventBridge schedule rate(30 minutes)",
               environment={"SFTP_HOST": "sftp.suppliers.acme-retail.co.uk", "STAGING_BUCKET": "inventory-staging"})

    hot = lambda t: ramp(t, onset, onset + 150)
    cpu = s.series(lambda t: (27 * s.diurnal(t, 0.2, 11) + s.noise(2.5)) * (1 - hot(t)) + hot(t) * (98.2 + s.noise(0.9)),
                   hi=100)
    rds_metrics(s, db, cpu, s.series(lambda t: 84 + s.noise(4) + 78 * hot(t), nd=0),
                s.series(lambda t: 301 * GB + s.noise(0.2 * GB), nd=0),
                s.series(lambda t: 12.3 * GB + s.noise(0.08 * GB), nd=0),
                s.series(lambda t: 0.0009 + abs(s.noise(0.0002)) + 0.0016 * hot(t), nd=5),
                s.series(lambda t: 0.0012 + abs(s.noise(0.0003)) + 0.0004 * hot(t), nd=5),
                extra=[("ReadIOPS", "Count/Second", s.series(lambda t: 880 + s.noise(60) + 3300 * hot(t))),
                       ("DiskQueueDepth", "Count", s.series(lambda t: 0.6 + abs(s.noise(0.2)) + 2.4 * hot(t)))])
    req = s.counts(lambda t: 760 * s.diurnal(t, 0.2, 11))
    rv = values(req)
    t5 = [[t, float(s.poisson(rv[t] * 0.06 * hot(t) + 0.2))] for t, _ in req]
    tv = values(t5)
    trt = s.series(lambda t: 0.058 + abs(s.noise(0.008)) + hot(t) * (2.3 + s.noise(0.3)), nd=4)
    alb_metrics(s, lb, req, trt, t5, s.counts(lambda t: 0.05), s.series(lambda t: 4, nd=0))
    ecs_metrics(s, "inventory", "stock-api", s.series(lambda t: 25 * s.diurnal(t, 0.2, 11) + s.noise(2) - 4 * hot(t)),
                s.series(lambda t: 48 + s.noise(0.6)), s.series(lambda t: 4, nd=0))

    # stock-api (.NET 8 console logger)
    def net(level, cat, *lines):
        return "%s: %s\n      %s" % (level, cat, "\n      ".join(lines))

    def api_line(t, _st):
        m = t - t % 60
        sku = "SKU-%05d" % s.rng.randint(1, 99999)
        r = s.rng.random()
        if r < 0.08:
            return net("warn", "Inventory.Api.Auth.ApiKeyHandler[0]",
                       "Rejected request with revoked API key ak_live_****3f9a from partner 'northwind-b2b'")
        if t >= onset and r < 0.08 + 2.2 * tv.get(m, 0) / max(1.0, rv.get(m, 1)):
            return net("fail", "Inventory.Api.Controllers.StockController[0]", "Stock lookup failed for %s" % sku,
                       "MySqlConnector.MySqlException (0x80004005): The Command Timeout expired before the operation "
                       "completed.", "   at MySqlConnector.Core.ServerSession.ReceiveReplyAsync(IOBehavior "
                       "ioBehavior, CancellationToken cancellationToken) in /_/src/MySqlConnector/Core/ServerSession"
                       ".cs:line 894", "   at Inventory.Api.Data.StockRepository.GetAvailabilityAsync(String sku) in "
                       "/src/Inventory.Api/Data/StockRepository.cs:line 58")
        ms = (12 + s.rng.random() * 30) if not hot(t) else (900 + s.rng.random() * 4000)
        return net("info", "Microsoft.AspNetCore.Hosting.Diagnostics[2]",
                   "Request finished HTTP/1.1 GET http://stock-api/v1/stock/%s - 200 - application/json;+charset=utf-8"
                   " %.4fms" % (sku, ms))

    emit(s, "/ecs/stock-api", spread(s, poisson_times(s, lambda m: 26), ecs_streams(s, "stock-api", 4), api_line))

    # slow query log: BI dashboard query every minute from onset; ordinary slow queries before
    def slowq(t, user, host, qt, rows_sent, rows_ex, sql):
        return ("# Time: %s\n# User@Host: %s[%s] @  [%s]  Id: %d\n# Query_time: %.6f  Lock_time: 0.000%03d "
                "Rows_sent: %d  Rows_examined: %d\nSET timestamp=%d;\n%s;"
                % (s.iso(t, 6), user, user, host, s.rng.randint(100000, 999999), qt, s.rng.randint(10, 300),
                   rows_sent, rows_ex, s.epoch_ms(t) // 1000, sql))
    sq = []
    for t in poisson_times(s, lambda m: 0.12, -21600):
        sq.append((t, slowq(t, "stock_app", "10.4.3.%d" % s.rng.randint(10, 90), 1.1 + s.rng.random() * 1.4,
                            s.rng.randint(100, 900), s.rng.randint(200000, 900000),
                            "SELECT sku, warehouse_id, SUM(qty) FROM stock_movements WHERE sku IN (...) GROUP BY "
                            "sku, warehouse_id")))
    bi_sql = ("SELECT w.region, s.category, DATE(sm.created_at) AS d, SUM(sm.qty * s.unit_cost) AS value FROM "
              "stock_movements sm JOIN skus s ON s.id = sm.sku_id JOIN warehouses w ON w.id = sm.warehouse_id WHERE "
              "sm.created_at >= '2025-11-01' GROUP BY w.region, s.category, d ORDER BY d DESC")
    for t in range(onset + 5, -60, 60):
        for k in range(s.rng.randint(2, 3)):
            te = t + 40 + k * 9 + s.rng.random() * 15
            sq.append((te, slowq(te, "bi_readonly", "10.4.9.14", 38 + s.rng.random() * 31, 14600,
                                 61000000 + s.rng.randint(0, 900000), bi_sql)))
        te = t + s.rng.random() * 60
        sq.append((te, slowq(te, "stock_app", "10.4.3.%d" % s.rng.randint(10, 90), 4 + s.rng.random() * 11,
                             s.rng.randint(1, 40), s.rng.randint(40, 900), "SELECT qty_available, reserved FROM "
                             "stock_levels WHERE sku = 'SKU-%05d' AND warehouse_id IN (3,7,11)"
                             % s.rng.randint(1, 99999))))
    s.log("/aws/rds/instance/inventory-mysql/slowquery", "inventory-mysql", sq)
    el = []
    for t in poisson_times(s, lambda m: 0.05, -21600):
        el.append((t, "%s 0 [Warning] [MY-010055] [Server] IP address '10.4.%d.%d' could not be resolved: Name or "
                      "service not known" % (s.iso(t, 6), s.rng.randint(1, 9), s.rng.randint(2, 250))))
    for t in poisson_times(s, lambda m: tv.get(m, 0) * 0.4 if m >= onset else 0, onset):
        el.append((t, "%s %d [Note] [MY-010914] [Server] Aborted connection %d to db: 'inventory' user: 'stock_app' "
                      "host: '10.4.3.%d' (Got an error reading communication packets)."
                   % (s.iso(t, 6), s.rng.randint(100000, 999999), s.rng.randint(100000, 999999),
                      s.rng.randint(10, 90))))
    s.log("/aws/rds/instance/inventory-mysql/error", "inventory-mysql", el)

    # decoy: inventory-import deployed a minute before onset; S3-only, runs every 30 min
    ii = [[t, 1.0 if (t // 60) % 30 == 7 else 0.0] for t in s.grid()]

    def imp(t, rid, kind):
        n = s.rng.randint(3, 9)
        return {"dur": 21000 + s.rng.random() * 6000, "mem": 402, "lines": [
            (0.3, "INFO", "Fetched %d supplier files from sftp.suppliers.acme-retail.co.uk" % n),
            (20.0, "INFO", "Normalised %d files -> s3://inventory-staging/incoming/%s/" % (n, s.hexid(8)))]}

    lambda_fn(s, "inventory-import", "python3.12", 2048, 600, ii, [[t, 0.0] for t in s.grid()], imp,
              lambda t: 24000 + s.noise(1500), rotate=(dep + 10,), nstreams=1, log_from=-10800)
    s.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "inventory-import", "jenkins-deployer")

    s.alarm("inventory-mysql-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300,
            2, 90, "GreaterThanThreshold", "ALARM", "auto", cpu, "inventory-mysql CPU", after=onset)
    s.alarm("inventory-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
            60, 5, 1.0, "GreaterThanThreshold", "ALARM", "auto", trt, after=onset)
    s.set_expect("inventory-mysql-cpu-high", "cpu_saturation", [db],
                 [anomaly("AWS/RDS", "CPUUtilization", DBInstanceIdentifier=db)])
    s.meta = dict(category="cpu_saturation", resources=[db], alarm_on="origin (busy neighbours)",
                  decoys="inventory-import deployed 60 s before onset (S3-only, off path); stock-api Command Timeout "
                         "errors and ALB latency alarm; steady revoked-API-key WARN",
                  story="inventory-mysql CPU goes from ~27 % to 97-99 % within 2.5 minutes. The slow query log shows "
                        "a new BI dashboard query from `bi_readonly`: 2-3 executions a minute, each 38-69 s and ~61 M "
                        "rows examined. ReadIOPS and DiskQueueDepth rise with it. stock-api's MySqlConnector `Command "
                        "Timeout expired` errors and the ALB latency alarm are downstream symptoms: stock-api CPU and "
                        "memory are normal, and its simple point lookups only show up in the slow log once the CPU "
                        "is pinned. inventory-import was deployed a minute earlier, but it only moves SFTP files to "
                        "S3 and has no database settings. Label: cpu_saturation on inventory-mysql, the alarmed "
                        "resource itself.")
    return s
