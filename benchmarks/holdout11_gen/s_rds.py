"""RDS incidents: reader CPU pinned by a report query, Aurora failover, MySQL connection limit."""
from __future__ import annotations

import numpy as np

from . import logfmt as L
from . import metricsets as M
from .common import ACCOUNT, Scenario, ar1, after, between, clip, counts, daily, ramp, T

GB = 1024 ** 3


def _spring_req(rng, t, app, logger, msg):
    return L.spring(t, "INFO", f"http-nio-8080-exec-{rng.integers(1, 60)}", logger, msg, app)


def h07(seed=1107):
    region = "eu-west-2"
    sc = Scenario("h11-07-ledger-replica-report", "Statements API slow for UK customers; p-latency alarm on the "
                  "statements target group.", region, seed)
    rng, ids = sc.rng, sc.ids
    lb, tg = "app/fin-internal/8b0d2f4a6c1e3579", "targetgroup/statements-api/4c6e8a0b2d1f3579"
    sc.resource("rds", "ledger-db", engine="postgres", engine_version="15.8", instance_class="db.r6g.xlarge",
                max_connections=800, allocated_storage_gb=1000, role="writer")
    sc.resource("rds", "ledger-db-replica-1", engine="postgres", engine_version="15.8", instance_class="db.r6g.xlarge",
                max_connections=800, allocated_storage_gb=1000, role="read-replica")
    sc.resource("ecs", "fin/statements-api", cluster="fin", launch_type="FARGATE", task_definition="statements-api:61", desired_count=3)
    sc.resource("alb", lb, name="fin-internal", scheme="internal")
    t0 = -2760
    sc.change(-6100, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "ledger-writer-pg15", "dba-h.patel")
    sc.change(-14500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "fin/statements-api", "ci-ecs-deploy")
    sc.change(-14520, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "statements-api", "ci-ecs-deploy")
    hot = after(t0) * ramp(t0, t0 + 180)
    cpu_r = clip(ar1(rng, 17, 2) + daily(3) + hot * (80 + ar1(rng, 0, 0.8, 0.3)), 1, 99.6)
    M.rds(sc, "ledger-db", cpu=clip(ar1(rng, 31, 3) + daily(5) + 38 * between(-9060, -8640), 1, 100), conn_level=210,
          storage_gb=1000, used_gb=612, mem_gb=9.5, replica_lag=None)
    M.rds(sc, "ledger-db-replica-1", cpu=cpu_r, conn_level=95, conns=clip(np.round(ar1(rng, 95, 5) + hot * 38), 0),
          read_lat=clip(ar1(rng, 0.0012, 0.0002) + hot * (0.011 + ar1(rng, 0, 0.002)), 0.0002), storage_gb=1000, used_gb=612,
          mem_gb=9.0, replica_lag=clip(ar1(rng, 0.6, 0.3) + hot * rng.gamma(2, 1.5, len(T)), 0))
    req = counts(rng, 340 + daily(60) + ar1(rng, 0, 10))
    lat = clip(ar1(rng, 0.13, 0.012) + hot * (1.9 + ar1(rng, 0, 0.2)), 0.02)
    t5 = counts(rng, req * (0.0004 + hot * 0.03))
    M.ecs(sc, "fin", "statements-api", cpu=clip(ar1(rng, 22, 2) - hot * 8, 1, 100), mem_level=64, tasks=3)
    M.alb(sc, lb, req, target_5xx=t5, latency=lat)
    M.target_group(sc, lb, tg, req, np.full(len(T), 3.0), target_5xx=t5, latency=lat)

    app = "statements-api"
    host = "ledger-db-replica-1.cx7kq2m9z1ab.eu-west-2.rds.amazonaws.com"
    def line(t):
        k = max(np.searchsorted(T, t) - 1, 0)
        if hot[k] > 0.5 and rng.random() < 0.09:
            return L.spring(t, "ERROR", f"http-nio-8080-exec-{rng.integers(1, 60)}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                            "Servlet.service() for servlet [dispatcherServlet] threw exception\n"
                            "org.springframework.dao.QueryTimeoutException: PreparedStatementCallback; SQL [select l.id, l.posted_at, l.amount_minor, l.currency, l.narrative from statement_lines l where l.account_id = ? and l.posted_at >= ? order by l.posted_at desc limit ?]; ERROR: canceling statement due to statement timeout\n"
                            "\tat org.springframework.jdbc.support.SQLStateSQLExceptionTranslator.doTranslate(SQLStateSQLExceptionTranslator.java:116)\n"
                            "Caused by: org.postgresql.util.PSQLException: ERROR: canceling statement due to statement timeout\n"
                            "\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2733)", app)
        if rng.random() < 0.05:
            return L.spring(t, "WARN", "scheduling-1", "c.f.s.fx.FxRateCache", "FX rate for GBP/TRY older than 30m, using cached value", app)
        ms = int(rng.gamma(3, 30) * (1 + hot[k] * 14))
        return _spring_req(rng, t, app, "c.f.s.api.StatementController", f"GET /v1/accounts/{ids.hexs(10)}/statements 200 {ms}ms")
    for _ in range(3):
        task = ids.hexs(32)
        ev = [(-10790, L.spring(-10790, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", f"HikariPool-2 - Start completed. (jdbc:postgresql://{host}:5432/ledger?readOnly=true)", app))]
        ev += L.emit(rng, -10800, 0, 7, line)
        sc.log("/ecs/statements-api", L.ecs_stream("statements", "statements-api", task), ev)
    rlog = L.emit(rng, -10800, 0, 1 / 5, lambda t: L.pg_line(t, "LOG:  restartpoint complete: wrote 2210 buffers (0.8%); 0 WAL file(s) added, 0 removed, 3 recycled", pid=371))
    rep = "SELECT date_trunc('week', le.posted_at) AS week, a.segment, sum(le.amount_minor) FROM ledger_entries le JOIN accounts a ON a.id = le.account_id LEFT JOIN fx_rates fx ON fx.ccy = le.currency GROUP BY 1, 2 ORDER BY 1"
    for t in np.arange(t0, 0, 600):
        pid = int(rng.integers(20000, 32000))
        rlog.append((t + 1, L.pg_line(t + 1, "LOG:  connection authorized: user=metabase database=ledger application_name=Metabase v0.50.21 [d4c1e0a2-report]", ids.ip("10.30"), "metabase", "ledger", pid)))
        if t + 560 < 0:
            rlog.append((t + 560, L.pg_line(t + 560, f"LOG:  duration: {rng.uniform(540000, 559000):.3f} ms  statement: {rep}", ids.ip("10.30"), "metabase", "ledger", pid)))
    rlog += L.emit(rng, t0 + 120, 0, 6, lambda t: L.pg_line(t, f"LOG:  duration: {rng.uniform(1000, 4900):.3f} ms  execute <unnamed>: select l.id, l.posted_at, l.amount_minor, l.currency, l.narrative from statement_lines l where l.account_id = $1 and l.posted_at >= $2 order by l.posted_at desc limit $3",
                                                           ids.ip("10.31"), "statements_ro", "ledger", int(rng.integers(20000, 32000))))
    rlog += L.emit(rng, t0 + 240, 0, 2.5, lambda t: L.pg_line(t, "ERROR:  canceling statement due to statement timeout", ids.ip("10.31"), "statements_ro", "ledger", int(rng.integers(20000, 32000))))
    sc.log("/aws/rds/instance/ledger-db-replica-1/postgresql", "ledger-db-replica-1.0", rlog)
    wlog = L.emit(rng, -10800, 0, 1 / 5, lambda t: L.pg_line(t, "LOG:  checkpoint complete: wrote 5120 buffers (2.0%); 0 WAL file(s) added, 0 removed, 4 recycled; write=269.9 s, sync=0.004 s, total=270.0 s", pid=402))
    wlog += L.emit(rng, -10800, 0, 0.4, lambda t: L.pg_line(t, f"LOG:  automatic vacuum of table \"ledger.public.{rng.choice(['outbox', 'idempotency_keys', 'holds'])}\": index scans: 1", pid=int(rng.integers(1000, 9000))))
    sc.log("/aws/rds/instance/ledger-db/postgresql", "ledger-db.0", wlog)

    dims = {"LoadBalancer": lb, "TargetGroup": tg}
    a = sc.alarm("statements-api-latency", "AWS/ApplicationELB", "TargetResponseTime", dims, "Average", 60, 5, 1.0,
                 "GreaterThanThreshold", description="statements-api average response time above 1 s")
    sc.set_expect(a["name"], "cpu_saturation", ["ledger-db-replica-1"],
                  [("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "ledger-db-replica-1"})])
    sc.meta = dict(alarm_on="front (ALB target group latency)", decoys="ModifyDBParameterGroup on the writer's parameter "
                   "group 55 min before onset; statements-api deploy 4 h earlier; writer autovacuum CPU spike; constant FX "
                   "cache warnings",
                   story="A Metabase dashboard with a weekly ledger roll-up started auto-refreshing against the read "
                   "replica every 10 minutes; each run takes ~9 minutes of parallel sequential scans and pins the "
                   "replica CPU at ~98 %. statements-api reads from the replica only (the host appears in its Hikari "
                   "start-up line), so its queries slow down and some hit the statement timeout; the writer is fine.")
    return sc


def h08(seed=1108):
    region = "us-east-1"
    sc = Scenario("h11-08-billing-aurora-failover", "billing-api returning 500s on invoice updates.", region, seed)
    rng, ids = sc.rng, sc.ids
    lb, tg = "app/billing-alb/5e7a9c1b3d0f2468", "targetgroup/billing-api/9a1c3e5b7d0f2468"
    i1, i2, cl = "billing-aurora-instance-1", "billing-aurora-instance-2", "billing-aurora"
    for iid in (i1, i2):
        sc.resource("rds", iid, engine="aurora-postgresql", engine_version="16.4", instance_class="db.r7g.large",
                    db_cluster=cl, max_connections=1000)
    sc.resource("ecs", "billing/billing-api", cluster="billing", launch_type="FARGATE", task_definition="billing-api:133", desired_count=3)
    sc.resource("alb", lb, name="billing-alb", scheme="internet-facing")
    tf = -1985
    sc.change(-9620, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "billing-api", "ci-ecs-deploy")
    sc.change(-9600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "billing/billing-api", "ci-ecs-deploy")
    sc.change(-5200, "rds.amazonaws.com", "AddTagsToResource", "AWS::RDS::DBInstance", i2, "finops-bot")
    down = between(tf, tf + 120)
    post = after(tf + 120)
    mask1 = down == 0
    cpu1 = np.where(post > 0, clip(ar1(rng, 9, 1.5), 1), clip(ar1(rng, 36, 3) + daily(5), 1))
    cpu2 = np.where(post > 0, clip(ar1(rng, 37, 3), 1), clip(ar1(rng, 11, 1.5) + 45 * between(-7000, -6600), 1))
    conn1 = np.where(post > 0, clip(np.round(ar1(rng, 44, 2)), 0), clip(np.round(ar1(rng, 128, 4)), 0))
    conn2 = np.where(post > 0, clip(np.round(ar1(rng, 92, 4)), 0), clip(np.round(ar1(rng, 21, 2)), 0))
    lag1 = np.where(post > 0, clip(ar1(rng, 14, 3), 2), np.nan)
    lag2 = np.where(post > 0, np.nan, clip(ar1(rng, 16, 3), 2))
    M.rds(sc, i1, cpu=cpu1, conns=conn1, replica_lag=lag1, aurora=True, free_storage=clip(ar1(rng, 31 * GB, 0.2 * GB)), mem_gb=6.2, mask=mask1)
    M.rds(sc, i2, cpu=cpu2, conns=conn2, replica_lag=lag2, aurora=True, free_storage=clip(ar1(rng, 31 * GB, 0.2 * GB)), mem_gb=6.4)
    req = counts(rng, 260 + daily(40) + ar1(rng, 0, 8))
    ro = post * 0.2
    t5 = counts(rng, req * (0.0005 + down * 0.7 + ro))
    lat = clip(ar1(rng, 0.09, 0.01) + down * 4.0, 0.01)
    M.ecs(sc, "billing", "billing-api", cpu_level=26, mem_level=58, tasks=3)
    M.alb(sc, lb, req, target_5xx=t5, latency=lat)
    M.target_group(sc, lb, tg, req, np.full(len(T), 3.0), target_5xx=t5, latency=lat)

    app = "billing-api"
    ro_err = ("Request processing failed: org.springframework.dao.InvalidDataAccessResourceUsageException: could not execute statement "
              "[ERROR: cannot execute UPDATE in a read-only transaction] [update invoices set status=?,updated_at=?,version=? where id=? and version=?]\n"
              "Caused by: org.postgresql.util.PSQLException: ERROR: cannot execute UPDATE in a read-only transaction\n"
              "\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2733)\n"
              "\tat com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)")
    io_err = ("HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@%s (This connection has been closed.). "
              "Possibly consider using a shorter maxLifetime value.")
    for k in range(3):
        stale = k < 2  # two tasks kept the old writer address (JVM DNS cache)
        def line(t):
            if tf <= t < tf + 120 and rng.random() < 0.5:
                return L.spring(t, "ERROR", f"http-nio-8080-exec-{rng.integers(1, 40)}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                "Request processing failed: org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction\n"
                                "Caused by: org.postgresql.util.PSQLException: An I/O error occurred while sending to the backend.\n"
                                "Caused by: java.io.EOFException: null\n\tat org.postgresql.core.PGStream.receiveChar(PGStream.java:467)", app)
            if stale and t >= tf + 120 and rng.random() < 0.3:
                return L.spring(t, "ERROR", f"http-nio-8080-exec-{rng.integers(1, 40)}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]", ro_err, app)
            if rng.random() < 0.05:
                return L.spring(t, "WARN", f"http-nio-8080-exec-{rng.integers(1, 40)}", "c.b.billing.stripe.WebhookVerifier",
                                "Stripe webhook timestamp outside tolerance (312 s), rejecting event evt_%s" % ids.hexs(14), app)
            return _spring_req(rng, t, app, "c.b.billing.api.InvoiceController", f"PATCH /v2/invoices/in_{ids.hexs(12)} 200 {int(rng.gamma(3, 18))}ms")
        ev = L.emit(rng, -10800, 0, 6, line)
        ev += [(t, L.spring(t, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.PoolBase", io_err % ids.hexs(8), app))
               for t in tf + 2 + np.sort(rng.uniform(0, 90, 6))]
        sc.log("/ecs/billing-api", L.ecs_stream("billing", "billing-api", ids.hexs(32)), ev)
    events = [(tf + 3, L.rds_event(tf + 3, region, ACCOUNT, cl, "RDS-EVENT-0073", f"Started cross AZ failover to DB instance: {i2}", ["failover"], ids=ids)),
              (tf + 9, L.rds_event(tf + 9, region, ACCOUNT, i1, "RDS-EVENT-0004", "DB instance shutdown", ["availability"], "DB_INSTANCE", ids=ids)),
              (tf + 31, L.rds_event(tf + 31, region, ACCOUNT, cl, "RDS-EVENT-0071", f"Completed failover to DB instance: {i2}", ["failover"], ids=ids)),
              (tf + 118, L.rds_event(tf + 118, region, ACCOUNT, i1, "RDS-EVENT-0006", "DB instance restarted", ["availability"], "DB_INSTANCE", ids=ids)),
              (-14200, L.rds_event(-14200, region, ACCOUNT, cl, "RDS-EVENT-0169", "The DB cluster backup has completed.", ["backup"], ids=ids))]
    sc.log("/aws/events/rds", "rds-events", events)
    l1 = L.emit(rng, -10800, tf, 0.2, lambda t: L.pg_line(t, "LOG:  checkpoint complete: wrote 812 buffers (0.6%); 0 WAL file(s) added", pid=559))
    l1 += [(tf + 100, L.pg_line(tf + 100, f"LOG:  database system was interrupted; last known up at {L.pg(tf - 40)}", pid=611)),
           (tf + 112, L.pg_line(tf + 112, "LOG:  database system is ready to accept read-only connections", pid=609))]
    l1 += L.emit(rng, tf + 130, 0, 6, lambda t: L.pg_line(t, "ERROR:  cannot execute UPDATE in a read-only transaction", ids.ip("10.12"), "billing_app", "billing", int(rng.integers(9000, 30000))))
    sc.log(f"/aws/rds/instance/{i1}/postgresql", f"{i1}.0", l1)
    l2 = L.emit(rng, -10800, 0, 0.2, lambda t: L.pg_line(t, "LOG:  checkpoint complete: wrote 604 buffers (0.5%); 0 WAL file(s) added", pid=571))
    l2 += [(tf + 25, L.pg_line(tf + 25, "LOG:  received promote request", pid=571)), (tf + 27, L.pg_line(tf + 27, "LOG:  database system is ready to accept connections", pid=571))]
    sc.log(f"/aws/rds/instance/{i2}/postgresql", f"{i2}.0", l2)

    dims = {"LoadBalancer": lb, "TargetGroup": tg}
    a = sc.alarm("billing-api-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 10,
                 "GreaterThanThreshold", description="billing-api 5xx")
    sc.set_expect(a["name"], "dependency_failure", [cl, i1, i2], [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": i1})])
    sc.meta = dict(alarm_on="front (ALB target group)", decoys="billing-api deploy 2.7 h earlier; tag change on instance-2; "
                   "instance-2 CPU spike (export); constant Stripe webhook warnings; nightly backup event",
                   story="The Aurora writer billing-aurora-instance-1 went down and the cluster failed over across AZs to "
                   "instance-2 (RDS-EVENT-0073/0071, forwarded to /aws/events/rds). During the two minutes of failover every "
                   "request failed with I/O errors. Afterwards two of the three billing-api tasks keep resolving the "
                   "writer endpoint to the old address (now a reader), so invoice updates fail with 'cannot execute UPDATE "
                   "in a read-only transaction' and 5xx continue. The dependency, not the service, failed.")
    return sc


def h12(seed=1112):
    region = "eu-west-3"
    sc = Scenario("h11-12-shopdb-connections", "Back-office admin throwing 500s; cart looks slow.", region, seed)
    rng, ids = sc.rng, sc.ids
    lb = "app/shop-fr-alb/7c9e1a3b5d0f2468"
    tg_adm, tg_cart = "targetgroup/legacy-admin/2a4c6e8b0d1f3579", "targetgroup/cart-api/5b7d9f1a3c0e2468"
    sc.resource("rds", "shopdb-primary", engine="mysql", engine_version="8.0.39", instance_class="db.r6g.large",
                max_connections=400, allocated_storage_gb=500)
    sc.resource("rds", "shopdb-replica-1", engine="mysql", engine_version="8.0.39", instance_class="db.r6g.large",
                max_connections=400, allocated_storage_gb=500)
    sc.resource("ecs", "shop/cart-api", cluster="shop", launch_type="EC2", task_definition="cart-api:219", desired_count=6)
    sc.resource("ec2", "i-0f3a5c7e9b1d24680", name="legacy-admin-1", instance_type="m5.large",
                log_groups=["/legacy-admin/php-fpm", "/legacy-admin/nginx-access"])
    sc.resource("alb", lb, name="shop-fr-alb")
    sc.change(-10020, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "shopdb-replica-1", "dba-c.martin")
    for t in (-2330, -2050):
        sc.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/cart-api", "AWSServiceRoleForApplicationAutoScaling_ECSService")
    desired = 6 + 2 * after(-2330) + 2 * after(-2050)
    conns_w = clip(np.round(6 * 40 + 34 + ar1(rng, 0, 4) + 80 * after(-2300)), 0)
    conns_w = np.where(T >= -2020, np.minimum(400, 392 + rng.integers(0, 9, len(T))), conns_w)
    sat = (T >= -2020).astype(float)
    running = desired - sat * rng.uniform(1.2, 2.0, len(T))
    M.rds(sc, "shopdb-primary", cpu=clip(ar1(rng, 34, 3) + daily(6) + 14 * after(-2400), 1, 100), conns=conns_w,
          storage_gb=500, used_gb=281, mem_gb=4.1)
    M.rds(sc, "shopdb-replica-1", conn_level=62, storage_gb=500, used_gb=281, mem_gb=4.3,
          replica_lag=clip(ar1(rng, 0.3, 0.2), 0), cpu=clip(ar1(rng, 14, 2) + 30 * between(-10020, -9780), 1, 100))
    req_cart = counts(rng, 900 + daily(150) + 380 * after(-2400) + ar1(rng, 0, 20))
    req_adm = counts(rng, 42 + ar1(rng, 0, 3))
    t5_adm = counts(rng, req_adm * (0.004 + sat * 0.36))
    t5_cart = counts(rng, req_cart * (0.0005 + sat * 0.01))
    M.ecs(sc, "shop", "cart-api", cpu=clip(ar1(rng, 38, 3) + 10 * after(-2400), 1, 100), running=running, desired=desired, mem_level=61)
    M.ec2(sc, "i-0f3a5c7e9b1d24680", cpu_level=12, mem_level=49)
    M.alb(sc, lb, req_cart + req_adm, target_5xx=t5_adm + t5_cart, lat_level=0.09)
    M.target_group(sc, lb, tg_adm, req_adm, np.ones(len(T)), target_5xx=t5_adm, lat_level=0.3)
    M.target_group(sc, lb, tg_cart, req_cart, running, target_5xx=t5_cart, latency=clip(ar1(rng, 0.08, 0.008) + sat * 0.35, 0.01))

    host = "shopdb-primary.c1a2b3c4d5e6.eu-west-3.rds.amazonaws.com"
    php = L.emit(rng, -10800, 0, 0.8, lambda t: L.fpm(t, "WARNING", f'[pool admin] child {rng.integers(2000, 4000)} said into stderr: "NOTICE: PHP message: PHP Deprecated:  Optional parameter $filters declared before required parameter $page is implicitly treated as a required parameter in /srv/admin/src/Repository/OrderRepository.php on line 57"'))
    php += L.emit(rng, -2020, 0, 14, lambda t: L.php_err(t, f"PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [1040] Too many connections in /srv/admin/vendor/doctrine/dbal/src/Driver/PDO/Connection.php:38\n"
                                                       "Stack trace:\n#0 /srv/admin/vendor/doctrine/dbal/src/Driver/PDO/Connection.php(38): PDO->__construct('mysql:host=shopdb-primary.c1a2b3c4d5e6.eu-west-3.rds.amazonaws.com;port=3306;dbname=shop', 'admin_app', Object(SensitiveParameterValue), Array)\n"
                                                       "#1 /srv/admin/src/Controller/OrderController.php(44): Doctrine\\DBAL\\Connection->connect()\n#2 {main}\n  thrown in /srv/admin/vendor/doctrine/dbal/src/Driver/PDO/Connection.php on line 38"))
    sc.log("/legacy-admin/php-fpm", "i-0f3a5c7e9b1d24680", php)
    sc.log("/legacy-admin/nginx-access", "i-0f3a5c7e9b1d24680", L.emit(rng, -10800, 0, 5, lambda t: L.nginx_access(
        t, ids.ip("10.0"), "GET", str(rng.choice(["/admin/orders", "/admin/orders/%d" % rng.integers(10000, 99999), "/admin/refunds"])),
        500 if t >= -2020 and rng.random() < 0.36 else 200, rng.integers(900, 40000), rng.uniform(0.05, 0.6), "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")))
    app = "cart-api"
    cart = lambda t: _spring_req(rng, t, app, "f.s.cart.api.CartController", f"POST /v1/carts/{ids.hexs(16)}/items 200 {int(rng.gamma(3, 15))}ms")
    for k in range(10):
        start = -10800 if k < 6 else (-2330 + 30 if k < 8 else -2050 + 30)
        ev = [(start + 7, L.spring(start + 7, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed.", app))] if k < 8 else []
        if k >= 8:
            ev = [(start + 6, L.spring(start + 6, "ERROR", "main", "com.zaxxer.hikari.pool.HikariPool",
                                       "HikariPool-1 - Exception during pool initialization.\njava.sql.SQLNonTransientConnectionException: Data source rejected establishment of connection,  message from server: \"Too many connections\"\n"
                                       "\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:111)\n\tat com.zaxxer.hikari.pool.HikariPool.checkFailFast(HikariPool.java:562)", app))]
        else:
            ev += L.emit(rng, start + 8, 0, 5, cart)
        sc.log("/ecs/cart-api", L.ecs_stream("cart", "cart-api", ids.hexs(32)), ev)
    err = L.emit(rng, -10800, 0, 0.6, lambda t: L.mysql_err(t, "Note", "MY-010914", f"Aborted connection {rng.integers(80000, 99999)} to db: 'shop' user: 'admin_app' host: '10.0.{rng.integers(1, 30)}.{rng.integers(2, 250)}' (Got an error reading communication packets).", thread=int(rng.integers(80000, 99999))))
    sc.log("/aws/rds/instance/shopdb-primary/error", "shopdb-primary", err)

    dims = {"LoadBalancer": lb, "TargetGroup": tg_adm}
    a = sc.alarm("legacy-admin-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 5,
                 "GreaterThanThreshold", description="back-office admin 5xx")
    sc.set_expect(a["name"], "db_connection_exhaustion", ["shopdb-primary"],
                  [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "shopdb-primary"})])
    sc.meta = dict(alarm_on="front (admin target group; DB linked only by host name in the PHP error)",
                   decoys="autoscaling UpdateService on cart-api (the trigger of extra connections, not a config change); "
                   "ModifyDBInstance on the replica 2.8 h earlier; replica CPU bump; constant aborted-connection notes and PHP deprecations",
                   story="A lunchtime promotion raised cart traffic and ECS service autoscaling took cart-api from 6 to 10 "
                   "tasks. Every task opens a fixed Hikari pool of 40 connections to the MySQL writer, so the writer reached "
                   "its max_connections of 400. New cart-api tasks fail pool initialisation and the PHP back office on "
                   "legacy-admin-1 gets SQLSTATE[HY000] [1040] Too many connections, which is what paged.")
    return sc
