"""h98-01 (orders-api Lambda deploy saturates RDS PostgreSQL; Errors alarm) and h98-02 (catalog-api
ECS deploy saturates the Aurora MySQL writer; ALB latency alarm)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import spring

from .base import (LOGS_FROM, LambdaLogs, alb_metrics, apigw_metrics, diurnal, ecs_metrics, emit,
                   every, lam_metrics, lambda_run, meta, mysql, mysql_slow, new, pg, pg_checkpoint,
                   pg_slow, ramp, rds_metrics, step)


# --------------------------------------------------------------------------- h98-01
def build_01():
    sc = new(1, "orders-api-errors-after-deploy", "orders-api is returning errors and is slow for "
             "order-history pages; its Lambda Errors alarm paged.", "us-east-1", "2026-04-14T15:40:00")
    rng = sc.rng
    fn, pub, db, api = "orders-api", "order-events-publisher", "orders-pg", "shop-orders-http"
    sc.resource("apigateway", api, protocol="HTTP", stage="$default")
    sc.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=512,
                environment={"DB_HOST": f"{db}.c8ur1zqk2xyd.us-east-1.rds.amazonaws.com",
                             "PG_STATEMENT_TIMEOUT_MS": "3000", "POWERTOOLS_SERVICE_NAME": fn})
    sc.resource("lambda", pub, runtime="python3.12", timeout=30, memory_size=256,
                trigger="dynamodb-stream:orders-outbox")
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=1700, allocated_storage_gb=400, multi_az=True,
                parameter_group="orders-pg15", log_min_duration_statement_ms=1000)
    dep = -2280
    sat = lambda t: ramp(t, dep + 50, dep + 330)          # new code takes all traffic within seconds; CPU climbs to the ceiling
    errs = lambda t: 0.085 * ramp(t, dep + 170, dep + 480)
    inv = lambda t: 265 * diurnal(sc, t, 17, 0.2)
    dur = lambda t: 72 + 1650 * sat(t)
    lam_metrics(sc, fn, inv, lambda t: 0.15 + errs(t) * inv(t), dur)
    lam_metrics(sc, pub, lambda t: 48 * diurnal(sc, t, 17, 0.2), lambda t: 0.02, lambda t: 140.0)
    apigw_metrics(sc, api, inv, lambda t: 3.5 * diurnal(sc, t, 17, 0.2), lambda t: 0.15 + errs(t) * inv(t),
                  lambda t: dur(t) + 16)
    rds_metrics(sc, db, lambda t: 31 * diurnal(sc, t, 17, 0.15) * (1 - sat(t)) + 95 * sat(t),
                lambda t: 46 + 38 * sat(t), lambda t: 231 - 0.00002 * (t + 21600), lambda t: 6.1 - 0.3 * sat(t),
                read_ms=lambda t: 0.9 + 0.6 * sat(t), write_ms=lambda t: 1.4 + 1.1 * sat(t))

    acct = sc.account
    arn = f"arn:aws:lambda:us-east-1:{acct}:function:{fn}"
    q_old = ("SELECT o.id, o.status, o.total_cents, o.currency, o.created_at FROM orders o "
             "WHERE o.customer_id = $1 ORDER BY o.created_at DESC LIMIT $2")
    q_new = ("SELECT o.id, o.status, o.total_cents, o.currency, o.created_at, (SELECT json_agg(json_build_object("
             "'sku', oi.sku, 'qty', oi.qty, 'name', p.name)) FROM order_items oi JOIN products p ON p.id = "
             "oi.product_id WHERE oi.order_id = o.id) AS items, (SELECT count(*) FROM returns r WHERE "
             "r.order_ref = o.id::text AND r.status <> 'rejected') AS return_count FROM orders o WHERE "
             "o.customer_id = $1 ORDER BY o.created_at DESC LIMIT $2")
    q_get = "SELECT o.*, a.line1, a.city, a.postcode FROM orders o JOIN addresses a ON a.id = o.ship_address_id WHERE o.id = $1"

    def pt(t, rid, level, msg, loc, cold, **extra):
        obj = {"level": level, "location": loc, "message": msg,
               "timestamp": sc.at(t).strftime("%Y-%m-%d %H:%M:%S,") + f"{sc.at(t).microsecond // 1000:03d}+0000",
               "service": fn, "cold_start": cold, "function_name": fn, "function_memory_size": "512",
               "function_arn": arn, "function_request_id": rid,
               "xray_trace_id": f"1-{int(sc.at(t).timestamp()):08x}-{sc.hexid(24)}"}
        obj.update(extra)
        return json.dumps(obj, separators=(",", ":"))

    tb = ('Traceback (most recent call last):\n  File "/var/task/orders/handlers/history.py", line 61, in list_orders\n'
          '    rows = repo.customer_orders(customer_id, limit=page_size, include=include)\n'
          '  File "/var/task/orders/repo.py", line 144, in customer_orders\n    cur.execute(sql, (customer_id, limit))\n'
          '  File "/var/task/psycopg/cursor.py", line 732, in execute\n    raise ex.with_traceback(None)\n'
          'psycopg.errors.QueryCanceled: canceling statement due to statement timeout')

    def body(ll, t, rid, is_err, cold):
        new_v = t >= dep + 8
        lines = []
        if cold:
            lines.append((0.0005, pt(t, rid, "INFO", "orders-api starting version=2.14.0 git=7c1e9a2 psycopg=3.1.18"
                                     if new_v else "orders-api starting version=2.13.4 git=1b9d0e2 psycopg=3.1.18",
                                     "<module>:22", True)))
        cid = rng.randint(10000, 990000)
        r = rng.random()
        if r < 0.62:
            size = rng.choice([10, 20, 20, 20, 50, 250])
            route = f"GET /customers/{cid}/orders" + ("?include=items,returns" if new_v else "")
            lines.append((0.002, pt(t, rid, "INFO", route, "list_orders:48", cold, page_size=size)))
            if size > 100:
                lines.append((0.003, pt(t, rid, "WARNING", f"page_size={size} exceeds max 100, clamped",
                                        "list_orders:55", cold)))
            if is_err and new_v:
                d = 3000 + rng.uniform(20, 140)
                lines.append((d / 1000, pt(t + d / 1000, rid, "ERROR", "order history query failed", "list_orders:66",
                                           cold, exception=tb, exception_name="QueryCanceled")))
                lines.append((d / 1000 + 0.002, "[ERROR] QueryCanceled: canceling statement due to statement timeout\n" + tb))
                return {"lines": lines, "dur": d + 4}
            d = (rng.uniform(1100, 2900) if new_v and rng.random() < sat(t) * 0.95 + 0.05 else rng.uniform(28, 95))
            lines.append((d / 1000, pt(t + d / 1000, rid, "INFO", f"200 orders={rng.randint(0, 20)} db_ms={d - 9:.0f}",
                                       "list_orders:71", cold)))
            return {"lines": lines, "dur": d + 6}
        oid = rng.randint(4000000, 9900000)
        lines.append((0.002, pt(t, rid, "INFO", f"GET /orders/{oid}", "get_order:23", cold)))
        d = rng.uniform(14, 45) * (1 + 18 * sat(t) * rng.random())
        if is_err and new_v:
            d = 3000 + rng.uniform(10, 80)
            lines.append((d / 1000, pt(t + d / 1000, rid, "ERROR", "order lookup failed", "get_order:40", cold,
                                       exception=tb.replace("history.py\", line 61, in list_orders", "detail.py\", line 33, in get_order"),
                                       exception_name="QueryCanceled")))
            return {"lines": lines, "dur": d + 4}
        lines.append((d / 1000, pt(t + d / 1000, rid, "INFO", "200", "get_order:38", cold)))
        return {"lines": lines, "dur": d + 5}

    ll = LambdaLogs(sc, fn, "python3.12", 512, 10, retire=[dep + 8], mem_used=(118, 9))
    lambda_run(ll, lambda t: 2.3, errs, body, start=LOGS_FROM)
    pl = LambdaLogs(sc, pub, "python3.12", 256, 30, retire=[-2230], mem_used=(88, 6))
    lambda_run(pl, lambda t: 0.8, lambda t: 0.0, lambda ll, t, rid, e, c: {
        "lines": [(0.05, ll.fmt(t + 0.05, rid, "INFO", f"published {rng.randint(1, 25)} OrderStatusChanged events "
                                "to bus shop-events"))], "dur": rng.uniform(90, 210)}, start=LOGS_FROM)

    g, s = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    pg_checkpoint(sc, g, s)
    cl = lambda: f"10.30.{rng.randint(16, 31)}.{rng.randint(2, 250)}({rng.randint(32768, 60999)})"

    def slow_new(ts):
        ms = rng.uniform(1010, 2990)
        p = rng.randint(4000, 32000)
        return [(0, pg_slow(sc, ts, ms, q_new, cl(), "orders_app", "orders", p)),
                (0.0004, pg(sc, ts, "DETAIL", f"parameters: $1 = '{rng.randint(10000, 990000)}', $2 = '20'",
                            cl(), "orders_app", "orders", p))]

    def timeout(ts):
        p = rng.randint(4000, 32000)
        c = cl()
        return [(0, pg(sc, ts, "ERROR", "canceling statement due to statement timeout", c, "orders_app", "orders", p)),
                (0.0003, pg(sc, ts, "STATEMENT", q_new, c, "orders_app", "orders", p))]
    emit(sc, g, s, lambda t: 7 * ramp(t, dep + 40, dep + 240), slow_new, start=dep)
    emit(sc, g, s, lambda t: 2.5 * ramp(t, dep + 170, dep + 480), timeout, start=dep)
    emit(sc, g, s, lambda t: 0.6 * ramp(t, dep + 120, dep + 400), lambda ts: pg_slow(
        sc, ts, rng.uniform(1001, 1700), q_get, cl(), "orders_app", "orders"), start=dep)
    emit(sc, g, s, lambda t: 0.02, lambda ts: pg_slow(sc, ts, rng.uniform(1050, 1400), q_old, cl(), "orders_app",
                                                      "orders"), start=LOGS_FROM, end=dep)
    every(sc, g, s, 900, lambda ts: pg_slow(
        sc, ts, rng.uniform(4200, 6900), "SELECT date_trunc('hour', created_at) AS h, count(*), sum(total_cents) "
        "FROM orders WHERE created_at >= now() - interval '24 hours' GROUP BY 1 ORDER BY 1", "10.30.40.12(51544)",
        "reporting_ro", "orders", kind="statement"), start=LOGS_FROM)
    every(sc, g, s, 1260, lambda ts: pg(sc, ts, "LOG", (
        "automatic vacuum of table \"orders.public.order_status_history\": index scans: 1\n\tpages: 0 removed, "
        f"{rng.randint(41000, 43000)} remain, {rng.randint(900, 3000)} scanned\n\ttuples: {rng.randint(8000, 30000)} "
        "removed, 2841120 remain, 0 are dead but not yet removable")), start=LOGS_FROM)

    sc.change(-9600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", pub,
              "github-actions-orders")
    sc.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "github-actions-orders")
    sc.change(-2230, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", pub,
              "m.alvarez")
    sc.change(-840, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot", db, "dba-oncall")
    sc.alarm("orders-api-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "orders-api Lambda errors")
    sc.alarm("order-events-publisher-errors", "AWS/Lambda", "Errors", {"FunctionName": pub}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "orders-api-errors", "root_cause": {"category": "bad_deployment", "resource": [fn]}}
    meta(sc, front="origin (the deployed Lambda is the database's caller and the alarmed function)",
         decoys="order-events-publisher configuration update 50 s after the deploy (closer to the onset); "
         "hourly-ish reporting_ro slow report queries all day; manual snapshot after the onset; constant page_size WARNING",
         services="API Gateway (HTTP), Lambda, RDS PostgreSQL", runtime="Python 3.12 (Powertools, psycopg 3)",
         logfmt="Powertools JSON, RDS PostgreSQL log (log_min_duration_statement)",
         story="github-actions-orders deployed orders-api 2.14.0 at -38 min. The order-history endpoint now "
         "asks for `include=items,returns`, and the new statement correlates `returns` through "
         "`r.order_ref = o.id::text` — a cast that defeats the index, so every call scans `returns` twenty times. "
         "Within five minutes orders-pg CPU goes from ~30 % to ~95 % while Invocations stay flat; the PostgreSQL "
         "log fills with `duration: 1-3 s` entries for exactly that statement from orders_app and `canceling "
         "statement due to statement timeout`; the function's Duration goes from ~70 ms to ~1.7 s and ~8 % of "
         "invocations fail with QueryCanceled. The DB is saturated, but by its only changed caller: bad_deployment "
         "on orders-api. The publisher's configuration update 50 s later does not touch the database.")
    return sc


# --------------------------------------------------------------------------- h98-02
def build_02():
    sc = new(2, "storefront-latency-catalog-deploy", "Storefront pages are slow; the public load balancer's "
             "response-time alarm paged.", "eu-west-1", "2026-04-16T10:25:00")
    rng = sc.rng
    lb, cl_, svc, cart = "app/storefront-pub/5d1a7c3e9b2f4860", "storefront", "catalog-api", "cart-api"
    writer, reader, cluster = "catalog-aurora-instance-1", "catalog-aurora-instance-2", "catalog-aurora"
    sc.resource("alb", lb, name="storefront-pub", target_group="tg-catalog-api")
    sc.resource("ecs", f"{cl_}/{svc}", launch_type="FARGATE", desired_count=6, task_definition=f"{svc}:213",
                runtime="java21 / spring-boot 3.2 / hikaricp", deployment="rolling 100/200")
    sc.resource("ecs", f"{cl_}/{cart}", launch_type="FARGATE", desired_count=4, task_definition=f"{cart}:77",
                runtime="node20", datastore="dynamodb:carts")
    sc.resource("rds", writer, engine="aurora-mysql", engine_version="8.0.mysql_aurora.3.05.2",
                instance_class="db.r6g.2xlarge", cluster=cluster, role="writer", max_connections=3000)
    sc.resource("rds", reader, engine="aurora-mysql", engine_version="8.0.mysql_aurora.3.05.2",
                instance_class="db.r6g.large", cluster=cluster, role="reader", max_connections=1000)
    reg, upd = -2520, -2505
    up, down = -2420, -2260                 # new tasks healthy and taking traffic / old tasks drained
    share = lambda t: ramp(t, up, down)    # share of requests served by catalog-api:213
    req = lambda t: 5200 * diurnal(sc, t, 12, 0.25)
    rt = lambda t: 0.082 + 1.55 * share(t)
    t5 = lambda t: 0.6 + 0.006 * req(t) * ramp(t, up + 60, down + 60)
    alb_metrics(sc, lb, req, t5, rt, lambda t: 6 + 6 * (step(t, up - 40, 0, 1) - step(t, down + 30, 0, 1)))
    ecs_metrics(sc, cl_, svc, lambda t: 38 * diurnal(sc, t, 12, 0.2) * (1 - 0.35 * share(t)),
                lambda t: 52 + 4 * share(t), running=lambda t: 6 + 6 * (step(t, up - 40, 0, 1) - step(t, down + 30, 0, 1)))
    ecs_metrics(sc, cl_, cart, lambda t: 24.0, lambda t: 41.0, running=lambda t: 4.0)
    rds_metrics(sc, writer, lambda t: 33 * diurnal(sc, t, 12, 0.15) * (1 - share(t)) + 97 * share(t),
                lambda t: 180 + 140 * share(t), lambda t: 1200.0, lambda t: 22.0 - 1.4 * share(t),
                read_ms=lambda t: 0.7 + 0.5 * share(t), write_ms=lambda t: 1.2 + 2.1 * share(t))
    rds_metrics(sc, reader, lambda t: 12 * diurnal(sc, t, 12, 0.15), lambda t: 24.0, lambda t: 1200.0,
                lambda t: 9.5)
    sc.metric("AWS/RDS", "AuroraReplicaLag", {"DBInstanceIdentifier": reader}, "Milliseconds",
              sc.series(lambda t: 18 + 30 * share(t), noise=0.2))

    grp = f"/ecs/{svc}"
    cats = [112, 118, 204, 482, 506, 731, 902, 1177]

    def task(kind, start, end, version, td):
        tid = sc.hexid(32)
        s = f"{svc}/{svc}/{tid}"
        app = svc
        if start > -21000:
            boot = [("INFO", "main", "c.s.catalog.CatalogApiApplication",
                     f"Starting CatalogApiApplication v{version} using Java 21.0.2 with PID 1"),
                    ("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "catalog-pool - Starting..."),
                    ("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "catalog-pool - Start completed."),
                    ("INFO", "main", "c.s.catalog.search.FacetConfig",
                     "facet counts: " + ("live (catalog.facets.source=live, review counts joined per request)"
                                         if kind == "new" else "precomputed (catalog.facets.source=snapshot)")),
                    ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
                    ("INFO", "main", "c.s.catalog.CatalogApiApplication",
                     f"Started CatalogApiApplication in {rng.uniform(11, 16):.3f} seconds (process running for {rng.uniform(12, 17):.3f})")]
            for i, (lv, th, lg, msg) in enumerate(boot):
                sc.log(grp, s, start + i * 1.7, spring(sc, start + i * 1.7, lv, th, lg, msg, app))
        if kind == "old" and end < 0:
            sc.log(grp, s, end - 2, spring(sc, end - 2, "INFO", "SpringApplicationShutdownHook",
                                           "o.s.b.w.embedded.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete", app))
            sc.log(grp, s, end - 0.5, spring(sc, end - 0.5, "INFO", "SpringApplicationShutdownHook",
                                             "com.zaxxer.hikari.HikariDataSource", "catalog-pool - Shutdown completed.", app))

        def line(ts):
            th = f"http-nio-8080-exec-{rng.randint(1, 200)}"
            cat = rng.choice(cats)
            path = rng.choice([f"/v2/categories/{cat}/products?page={rng.randint(1, 9)}", f"/v2/products/{rng.randint(10000, 99999)}",
                               f"/v2/categories/{cat}/facets", f"/v2/search?q={rng.choice(['boots', 'lamp', 'desk', 'rug', 'kettle'])}"])
            if rng.random() < 0.025:
                return spring(sc, ts, "WARN", th, "c.s.catalog.reco.RecoClient",
                              f"recommendations unavailable for sku {rng.randint(10000, 99999)}: 404 Not Found, serving without", app)
            if kind == "new" and "/facets" not in path and "/search" not in path and rng.random() < 0.2 * ramp(ts, up, down + 120):
                return spring(sc, ts, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]", (
                    "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request "
                    "processing failed: org.springframework.dao.QueryTimeoutException: PreparedStatementCallback; SQL "
                    "[select p.id, p.sku, p.title, p.price_cents from products p where p.category_id = ? and p.active = 1 "
                    "order by p.rank limit ? offset ?]; Statement cancelled due to timeout or client request] with root cause\n"
                    "com.mysql.cj.jdbc.exceptions.MySQLTimeoutException: Statement cancelled due to timeout or client request\n"
                    "\tat com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:113)\n"
                    "\tat com.mysql.cj.jdbc.ClientPreparedStatement.executeInternal(ClientPreparedStatement.java:916)\n"
                    "\tat com.mysql.cj.jdbc.ClientPreparedStatement.executeQuery(ClientPreparedStatement.java:972)\n"
                    "\tat com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery(HikariProxyPreparedStatement.java)\n"
                    "\tat c.s.catalog.repo.ProductRepository.byCategory(ProductRepository.java:88)"), app)
            ms = rng.randint(900, 3900) if kind == "new" and rng.random() < 0.9 else rng.randint(18, 140)
            return spring(sc, ts, "INFO", th, "c.s.catalog.web.RequestLogFilter", f"GET {path} 200 {ms}ms", app)
        emit(sc, grp, s, lambda t: 0.55, line, start=max(start + 12, LOGS_FROM), end=end)

    for _ in range(6):
        task("old", -21600, down + rng.uniform(-60, 30), "5.30.2", 212)
    for _ in range(6):
        task("new", up - rng.uniform(60, 110), 0, "5.31.0", 213)

    cg = f"/ecs/{cart}"
    for st, en in ((-21600, -2440), (-2380, 0)):
        for _ in range(2):
            s = f"{cart}/{cart}/{sc.hexid(32)}"
            emit(sc, cg, s, lambda t: 0.7, lambda ts: json.dumps({
                "level": 30, "time": sc.epoch_ms(ts), "pid": 1, "hostname": "ip-10-40-3-17.eu-west-1.compute.internal",
                "req": {"method": rng.choice(["GET", "POST", "PATCH"]), "url": "/v1/carts/" + sc.hexid(12)},
                "res": {"statusCode": 200}, "responseTime": rng.randint(6, 40), "msg": "request completed"},
                separators=(",", ":")), start=max(st, LOGS_FROM), end=en)

    sg, ss = f"/aws/rds/cluster/{cluster}/slowquery", writer
    q_new = ("SELECT p.id, p.brand_id, p.price_band, COUNT(DISTINCT r.id) AS review_count, AVG(r.rating) AS avg_rating "
             "FROM products p LEFT JOIN reviews r ON r.product_id = p.id AND r.status = 'published' WHERE p.category_id "
             "= {c} AND p.active = 1 GROUP BY p.id, p.brand_id, p.price_band")
    ip = lambda: f"10.40.{rng.randint(32, 47)}.{rng.randint(2, 250)}"
    emit(sc, sg, ss, lambda t: 9 * share(t), lambda ts: mysql_slow(
        sc, ts, "catalog_svc", ip(), rng.uniform(1.2, 4.9), 0.000012, rng.randint(40, 900),
        rng.randint(2_100_000, 2_900_000), q_new.format(c=rng.choice(cats)), "catalog"), start=up - 60)
    emit(sc, sg, ss, lambda t: 1.2 * ramp(t, up + 60, down + 60), lambda ts: mysql_slow(
        sc, ts, "catalog_svc", ip(), rng.uniform(1.0, 3.0), 0.000009, 24, 24,
        f"select p.id, p.sku, p.title, p.price_cents from products p where p.category_id = {rng.choice(cats)} "
        f"and p.active = 1 order by p.rank limit 24 offset {24 * rng.randint(0, 8)}", "catalog"), start=up)
    every(sc, sg, ss, 1800, lambda ts: mysql_slow(
        sc, ts, "merch_etl", "10.40.60.8", rng.uniform(6, 11), 0.0002, 0, rng.randint(400000, 520000),
        "INSERT INTO category_rank_snapshot SELECT category_id, id, rank FROM products WHERE active = 1", "catalog"),
        start=LOGS_FROM)
    eg = f"/aws/rds/cluster/{cluster}/error"
    every(sc, eg, writer, 600, lambda ts: mysql(sc, ts, 0, "Note", "MY-010914", (
        f"Aborted connection {rng.randint(100000, 999999)} to db: 'catalog' user: 'catalog_svc' host: '{ip()}' "
        "(Got an error reading communication packets).")), start=LOGS_FROM)

    sc.change(-14400, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{cart}:76",
              "github-actions-deploy")
    sc.change(reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{svc}:213",
              "github-actions-deploy")
    sc.change(upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl_}/{svc}", "github-actions-deploy")
    sc.change(-2455, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{cart}:77",
              "github-actions-deploy")
    sc.change(-2440, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl_}/{cart}", "github-actions-deploy")
    sc.change(-1500, "rds.amazonaws.com", "CreateDBClusterSnapshot", "AWS::RDS::DBClusterSnapshot", cluster,
              "k.novak")
    sc.alarm("storefront-pub-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             60, 3, 1.0, "GreaterThanThreshold", "Storefront p-avg response time above 1 s")
    sc.alarm("catalog-aurora-writer-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": writer}, "Average",
             300, 2, 90, "GreaterThanThreshold")
    sc.expect = {"alarm": "storefront-pub-latency",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cl_}/{svc}", svc]}}
    meta(sc, front="front (ALB -> the redeployed ECS service -> its Aurora writer)",
         decoys="cart-api deploy 50 s after catalog-api's (closer to the onset; DynamoDB-backed, unaffected); "
         "half-hourly merch_etl slow INSERT all day; writer CPU alarm as a second alarm; cluster snapshot after onset; "
         "constant recommendations-404 WARN",
         services="ALB, ECS Fargate, Aurora MySQL", runtime="Java 21 (Spring Boot); Node.js (cart)",
         logfmt="Spring Boot console, pino JSON, Aurora MySQL slow query log and error log",
         story="catalog-api:213 (v5.31.0) was registered and rolled out at -42 min. The new tasks announce "
         "`facet counts: live (... review counts joined per request)`, and as they take traffic the Aurora "
         "writer's slow query log fills with a catalog_svc GROUP BY joining reviews that examines 2-3 M rows per "
         "call; writer CPU goes from ~33 % to ~97 % exactly as the new tasks replace the old ones, while "
         "RequestCount is flat. Simple category-page queries then queue behind it (MySQLTimeoutException) and "
         "TargetResponseTime rises from ~80 ms to ~1.6 s. bad_deployment on the catalog-api service (the "
         "service id and the task family are both accepted).")
    return sc


BUILDERS = [build_01, build_02]
