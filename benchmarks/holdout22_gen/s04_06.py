"""Scenarios 04-06: cache stampede on Postgres, connection leak shipped in a release, feature-flag rollout."""
from __future__ import annotations

import json

from .common import (Ctx, LogBook, alarm, alb_metrics, anomaly, change, day, ecs_deploy, ecs_metrics, every, grid,
                     lambda_deploy, lambda_metrics, metric, node_line, ramp, rds_metrics, scenario, sig, values)
from .sim import LambdaSim, Tasks, plan_from


def s04(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T19:30:00", "eu-central-1", "615204938871")
    rng, ts, ev = ctx.rng, grid(), -2100  # cache node restart
    alb_id = "app/catalog-web/0d9b8a7c6e5f4321"
    redis = "catalog-cache-001.x7kq2m.0001.euc1.cache.amazonaws.com"
    hot = [sig(t, ev + 150, 120) for t in ts]
    req = values(ctx, ts, lambda t: 2400 * day(ctx, t, 19, 0.3), count=True)
    t5 = [float(int(r * 0.085 * h) + (rng.random() < 0.5)) for r, h in zip(req, hot)]
    trt = [round((0.11 + 5.7 * h) * rng.uniform(0.88, 1.12), 3) for h in hot]
    metrics = alb_metrics(alb_id, ts, req, trt, t5, [float(int(2 * h * rng.random())) for h in hot], [8.0] * len(ts))
    metrics += ecs_metrics("storefront/catalog-web", ts, values(ctx, ts, lambda t: (38 - 15 * sig(t, ev + 150, 120)) * day(ctx, t, 19, 0.2), 0.06),
                           values(ctx, ts, lambda t: 52.0, 0.02))
    metrics += ecs_metrics("storefront/checkout-web", ts, values(ctx, ts, lambda t: 22 * day(ctx, t, 19, 0.2), 0.07),
                           values(ctx, ts, lambda t: 47.0 if t < -3300 else 44.0, 0.02))
    metrics += rds_metrics("catalog-pg", ts, values(ctx, ts, lambda t: 31 * day(ctx, t, 19, 0.2) * (1 - sig(t, ev + 120, 100)) + 98.6 * sig(t, ev + 120, 100), 0.01, hi=100),
                           values(ctx, ts, lambda t: 120 + 260 * sig(t, ev + 150, 200), 0.05, nd=0),
                           values(ctx, ts, lambda t: 412e9 - (t + 21600) * 9e3, 0.0001, nd=0), values(ctx, ts, lambda t: 9.8e9, 0.01, nd=0),
                           values(ctx, ts, lambda t: 0.0009 + 0.0052 * sig(t, ev + 120, 100), 0.1, nd=5),
                           values(ctx, ts, lambda t: 0.0016 + 0.0011 * sig(t, ev + 120, 100), 0.1, nd=5))
    db = {"DBInstanceIdentifier": "catalog-pg"}
    metrics.append(metric("AWS/RDS", "ReadIOPS", db, "Count/Second", ts, values(ctx, ts, lambda t: 900 + 4300 * sig(t, ev + 120, 100), 0.08)))
    cc = {"CacheClusterId": "catalog-cache-001"}
    items = [None if ev <= t < ev + 60 else round(1.82e6 if t < ev else 0.06e6 + 0.3e6 * ramp(t, ev + 60, 0, 0, 1) * rng.uniform(0.97, 1.03)) for t in ts]
    hit = [0.962 if t < ev else 0.34 + 0.05 * ramp(t, ev, 0, 0, 1) for t in ts]
    look = [r * 58 for r in req]
    metrics += [metric("AWS/ElastiCache", "CurrItems", cc, "Count", ts, items),
                metric("AWS/ElastiCache", "CacheHits", cc, "Count", ts, [None if i is None else float(int(lk * h * rng.uniform(0.97, 1.03))) for lk, h, i in zip(look, hit, items)]),
                metric("AWS/ElastiCache", "CacheMisses", cc, "Count", ts, [None if i is None else float(int(lk * (1 - h) * rng.uniform(0.97, 1.03))) for lk, h, i in zip(look, hit, items)]),
                metric("AWS/ElastiCache", "EngineCPUUtilization", cc, "Percent", ts, [None if i is None else round(rng.uniform(9, 14) if t < ev else rng.uniform(4, 7), 2) for t, i in zip(ts, items)]),
                metric("AWS/ElastiCache", "CurrConnections", cc, "Count", ts, [None if i is None else float(rng.randint(180, 196)) for i in items])]

    book, grp = LogBook(), "/ecs/catalog-web"
    tasks = Tasks(ctx, "web/catalog-web", 8, -90000)
    cats = ["running-shoes", "rain-jackets", "trail-socks", "headlamps", "base-layers", "tents", "backpacks"]
    def tag(t, lvl, rid, msg):
        return f"{lvl[0]}, [{ctx.at(t).strftime('%Y-%m-%dT%H:%M:%S.%f')} #{rng.randint(1, 9)}] {lvl:>5} -- : [{rid}] {msg}"
    for t in every(-10800, -5, 1.6, 0.8, rng):
        _, sid = tasks.pick(t)
        rid, h = ctx.uid(), sig(t, ev + 150, 120)
        path = rng.choice([f"/c/{rng.choice(cats)}", f"/p/{rng.randint(100000, 999999)}", "/search"])
        if ev <= t < ev + 45 and rng.random() < 0.6:
            book.add(grp, sid, t, tag(t, "WARN", rid, f"Cache read failed for views/categories/{rng.choice(cats)}/v3: Redis::CannotConnectError: "
                                                     f"Error connecting to Redis on {redis}:6379 (Errno::ECONNREFUSED)"))
            continue
        if rng.random() < 0.09 * h:
            book.add(grp, sid, t, tag(t, "ERROR", rid, "Rack::Timeout::RequestTimeoutException (Request ran for longer than 15000ms ):\n  \n"
                     "activerecord (7.1.3) lib/active_record/connection_adapters/postgresql/database_statements.rb:55:in `exec'\n"
                     "activerecord (7.1.3) lib/active_record/connection_adapters/postgresql/database_statements.rb:55:in `block (2 levels) in raw_execute'\n"
                     "app/models/category_listing.rb:41:in `build'\napp/controllers/categories_controller.rb:18:in `block in show'\n"
                     "activesupport (7.1.3) lib/active_support/cache.rb:412:in `fetch'"))
            book.add(grp, sid, t + 0.001, f"method=GET path={path} format=html controller=CategoriesController action=show status=503 duration=15001.22 view=0.00 db=14987.41 request_id={rid}")
            continue
        dur = (rng.uniform(40, 140) if rng.random() > 0.035 * (1 - h) else rng.uniform(900, 2000)) * (1 - h) + h * rng.uniform(2500, 12000)
        book.add(grp, sid, t, f"method=GET path={path} format=html controller={'CategoriesController' if path.startswith('/c/') else 'ProductsController'} "
                              f"action=show status=200 duration={dur:.2f} view={rng.uniform(20, 45):.2f} db={max(1.0, dur - 50):.2f} request_id={rid}")
        if rng.random() < 0.01:
            book.add(grp, sid, t + 0.01, tag(t + 0.01, "WARN", rid, "DEPRECATION WARNING: `ActiveRecord::Base.clear_active_connections!` is deprecated (called from block in <class:CatalogSweeper> at /app/app/jobs/catalog_sweeper.rb:9)"))
    pg = "/aws/rds/instance/catalog-pg/postgresql"
    for t in every(-21600, -5, 300, 0.0, rng):
        book.add(pg, "catalog-pg.0", t, f"{ctx.pg(t)}::@:[611]:LOG:  checkpoint starting: time")
        book.add(pg, "catalog-pg.0", t + 27, f"{ctx.pg(t + 27)}::@:[611]:LOG:  checkpoint complete: wrote {rng.randint(900, 4800)} buffers ({rng.uniform(0.3, 1.9):.1f}%); 0 WAL file(s) added, 0 removed, {rng.randint(1, 4)} recycled; write={rng.uniform(24, 27):.3f} s, sync=0.0{rng.randint(10, 90)} s, total={rng.uniform(26, 28):.3f} s")
    for t in every(-21600, -5, 1200, 0.1, rng):
        book.add(pg, "catalog-pg.0", t, f"{ctx.pg(t)}:10.0.{rng.randint(1, 8)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)}):analytics@catalog:[{rng.randint(1000, 40000)}]:LOG:  duration: {rng.uniform(1500, 2300):.3f} ms  statement: SELECT count(*) FROM audit_events WHERE created_at > now() - interval '1 hour'")
    for t in every(ev + 60, -5, 3.0, 0.8, rng):
        cat = rng.randint(10, 480)
        book.add(pg, "catalog-pg.0", t, f"{ctx.pg(t)}:10.0.{rng.randint(1, 8)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)}):catalog@catalog:[{rng.randint(1000, 40000)}]:LOG:  duration: {rng.uniform(2400, 14000):.3f} ms  execute <unnamed>: "
                 f"SELECT products.*, AVG(reviews.rating) AS avg_rating, COUNT(reviews.id) AS review_count FROM products LEFT OUTER JOIN reviews ON reviews.product_id = products.id "
                 f"WHERE products.category_id = $1 AND products.visible = TRUE GROUP BY products.id ORDER BY review_count DESC LIMIT 48 OFFSET $2\n"
                 f"{ctx.pg(t)}:10.0.{rng.randint(1, 8)}.{rng.randint(2, 250)}:catalog@catalog:DETAIL:  parameters: $1 = '{cat}', $2 = '0'")

    resources = [
        {"type": "alb", "id": alb_id, "properties": {"name": "catalog-web", "targets": ["storefront/catalog-web"]}},
        {"type": "ecs", "id": "storefront/catalog-web", "properties": {"log_groups": [grp], "desired_count": 8, "load_balancer": alb_id,
                                                                      "environment": {"RAILS_ENV": "production", "REDIS_URL": f"redis://{redis}:6379/0", "RACK_TIMEOUT_SERVICE_TIMEOUT": "15"}}},
        {"type": "ecs", "id": "storefront/checkout-web", "properties": {"desired_count": 4}},
        {"type": "rds", "id": "catalog-pg", "properties": {"engine": "postgres", "engine_version": "15.5", "instance_class": "db.m6g.xlarge",
                                                           "max_connections": 900, "allocated_storage_gb": 500}},
    ]
    changes = ecs_deploy(-3300, "storefront/checkout-web") + [
        change(-2600, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/storefront/prod/checkout/promo-banner", "c.weber")]
    alarms = [alarm("catalog-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb_id}, "Average", 60, 3, 1.5, "ALARM", ev + 330,
                    desc="catalog-web average target response time"),
              alarm("catalog-pg-cpu-high", "AWS/RDS", "CPUUtilization", db, "Average", 300, 2, 90, "ALARM", ev + 720),
              alarm("checkout-web-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "storefront", "ServiceName": "checkout-web"}, "Average", 300, 3, 80, "OK", -400000)]
    expect = {"alarm": "catalog-web-latency", "root_cause": {"category": "cpu_saturation", "resource": ["catalog-pg"]},
              "anomalies": [anomaly("AWS/RDS", "CPUUtilization", db), anomaly("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb_id}),
                            anomaly("AWS/ElastiCache", "CacheMisses", cc)]}
    doc = scenario("h22-04-catalog-cache-stampede", "Category and product pages very slow since early evening; latency alarm on catalog-web.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "front (ALB latency); origin is the database", "decoys": [
        "checkout-web ECS deploy 20 min before onset (its CPU alarm OK)", "SSM promo-banner parameter change 8 min before onset (read by checkout)",
        "cache node restart (the trigger; the cache is back up)", "pre-existing slow analytics query and deprecation warnings"]}


# ------------------------------------------------------------------------------------------------
def spring(ctx: Ctx, t: float, level: str, thread: str, logger: str, msg: str, app: str) -> str:
    return f"{ctx.iso(t)} {level:>5} 1 --- [{app}] [{thread[-15:]:>15}] {logger:<40} : {msg}"


def s05(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T15:10:00", "us-west-2", "774120358896")
    rng, ts, dep = ctx.rng, grid(), -3300
    alb_id, app = "app/orders-api/5a6b7c8d9e0f1a2b", "orders-api"
    tasks = Tasks(ctx, "ecs/orders-api", 6, -250000)
    starts = [dep + 40 + (k + 0.5) * 250 / 6 for k in range(6)]
    for k, st in enumerate(starts):
        tasks.replace(k, st)
    rate = [rng.uniform(0.85, 1.0) / 60.0 for _ in range(6)]  # leaked connections per second per task
    def leaked(k, t):
        return 0.0 if t < starts[k] else min(30.0, rate[k] * (t - starts[k]))
    def broken(t):  # share of DB-backed requests that cannot get a connection
        return sum(max(0.0, min(1.0, (leaked(k, t) - 24.0) / 5.0)) for k in range(6)) / 6.0
    req = values(ctx, ts, lambda t: 1200 * day(ctx, t, 16, 0.25), count=True)
    br = [broken(t) for t in ts]
    t5 = [float(int(r * 0.86 * b) + (rng.random() < 0.3)) for r, b in zip(req, br)]
    trt = [round((0.045 * (1 - b) + b * 26.0) * rng.uniform(0.9, 1.1), 3) for b in br]
    metrics = alb_metrics(alb_id, ts, req, trt, t5, None, [6.0] * len(ts))
    metrics += ecs_metrics("commerce/orders-api", ts, values(ctx, ts, lambda t: 27 * day(ctx, t, 16, 0.2) * (1 - 0.5 * broken(t)), 0.06),
                           values(ctx, ts, lambda t: 58.0 if t < dep else 61.0, 0.02))
    metrics += ecs_metrics("commerce/cart-api", ts, values(ctx, ts, lambda t: 19 * day(ctx, t, 16, 0.2), 0.07), values(ctx, ts, lambda t: 44.0, 0.02))
    def pool(k, t):  # minimumIdle=10 idle connections plus the leaked (never returned) ones
        return 10.0 if t < starts[k] else min(30.0, 10.0 + leaked(k, t))
    conns = [float(int((25 + sum(pool(k, t) for k in range(6))) * rng.uniform(0.98, 1.02))) for t in ts]
    metrics += rds_metrics("orders-pg", ts, values(ctx, ts, lambda t: 24 * day(ctx, t, 16, 0.2), 0.06), conns,
                           values(ctx, ts, lambda t: 1.21e12 - (t + 21600) * 4e4, 0.00005, nd=0), values(ctx, ts, lambda t: 41e9, 0.01, nd=0),
                           values(ctx, ts, lambda t: 0.0008, 0.1, nd=5), values(ctx, ts, lambda t: 0.0014, 0.1, nd=5))

    book, grp = LogBook(), "/ecs/orders-api"
    hk = "HikariPool-1 housekeeper"
    for k in range(6):
        for t0, ver in ((-18000 - k * 300, "2025.11.2"), (starts[k], "2025.11.3")):
            if t0 < -10800 and ver == "2025.11.2":
                continue
            sid = tasks.stream(k, t0 + 1)
            for dt_, lg, msg in ((0.0, "c.a.orders.OrdersApiApplication", f"Starting OrdersApiApplication v{ver} using Java 21.0.5 with PID 1 (/app/orders-api.jar started by app in /app)"),
                                 (3.1, "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
                                 (3.4, "com.zaxxer.hikari.pool.HikariPool", f"HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@{ctx.hexid(8)}"),
                                 (3.5, "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                                 (11.8, "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
                                 (12.0, "c.a.orders.OrdersApiApplication", f"Started OrdersApiApplication in {rng.uniform(12.5, 14.5):.3f} seconds (process running for {rng.uniform(13.5, 15.5):.3f})")):
                book.add(grp, sid, t0 + dt_, spring(ctx, t0 + dt_, "INFO", "main", lg, msg, app))
        # leak detections (threshold 60 s) one per leaked connection
        n = 0
        t = starts[k] + 60
        while t < -5 and n < 30:
            t += 1.0 / rate[k] * rng.uniform(0.7, 1.3)
            if t >= -5:
                break
            n += 1
            ex = rng.randint(1, 40)
            book.add(grp, tasks.stream(k, t), t, spring(ctx, t, "WARN", hk, "com.zaxxer.hikari.pool.ProxyLeakTask",
                     f"Connection leak detection triggered for org.postgresql.jdbc.PgConnection@{ctx.hexid(8)} on thread http-nio-8080-exec-{ex}, stack trace follows\n"
                     "java.lang.Exception: Apparent connection leak detected\n"
                     "\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)\n"
                     "\tat org.springframework.jdbc.datasource.DataSourceUtils.fetchConnection(DataSourceUtils.java:160)\n"
                     "\tat org.springframework.jdbc.datasource.DataSourceUtils.doGetConnection(DataSourceUtils.java:118)\n"
                     "\tat org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:653)\n"
                     "\tat com.acme.orders.invoice.InvoicePdfService.streamLines(InvoicePdfService.java:88)\n"
                     "\tat com.acme.orders.invoice.InvoicePdfService.render(InvoicePdfService.java:61)\n"
                     "\tat com.acme.orders.web.InvoiceController.invoicePdf(InvoiceController.java:42)", app))
    for t in every(-10800, -5, 1.25, 0.8, rng):
        k, sid = tasks.pick(t)
        ex = f"http-nio-8080-exec-{rng.randint(1, 40)}"
        ver_new = t >= starts[k]
        b = max(0.0, min(1.0, (leaked(k, t) - 24.0) / 5.0))
        if rng.random() < 0.86 * b:
            w = rng.randint(3, 40)
            book.add(grp, sid, t, spring(ctx, t, "ERROR", ex, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                     "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: "
                     "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection] with root cause\n\n"
                     f"java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=30, active=30, idle=0, waiting={w})\n"
                     "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n"
                     "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)\n"
                     "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)\n"
                     "\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)\n"
                     "\tat org.springframework.jdbc.datasource.DataSourceUtils.fetchConnection(DataSourceUtils.java:160)\n"
                     "\tat com.acme.orders.repo.OrderRepository.findById(OrderRepository.java:57)", app))
            continue
        if rng.random() < 0.02:
            book.add(grp, sid, t, spring(ctx, t, "WARN", ex, "c.a.orders.tax.TaxClient", f"Tax service responded slowly ({rng.randint(1500, 2200)} ms), using cached rate for region US-{rng.choice(['CA', 'WA', 'OR', 'NY'])}", app))
            continue
        path = rng.choice(["/v1/orders/{id}", "/v1/orders", "/v1/orders/{id}/items", "/v1/orders/{id}/status"] + (["/v1/orders/{id}/invoice.pdf"] if ver_new else []))
        book.add(grp, sid, t, spring(ctx, t, "INFO", ex, "c.a.orders.web.AccessLogFilter", f"GET {path.replace('{id}', str(rng.randint(10**7, 10**8)))} 200 {rng.randint(9, 80)}ms", app))
    pg = "/aws/rds/instance/orders-pg/postgresql"
    for t in every(-21600, -5, 300, 0.0, rng):
        book.add(pg, "orders-pg.0", t + 27, f"{ctx.pg(t + 27)}::@:[402]:LOG:  checkpoint complete: wrote {rng.randint(1500, 6000)} buffers ({rng.uniform(0.3, 1.9):.1f}%); 0 WAL file(s) added, 0 removed, 3 recycled; write=26.9 s, sync=0.004 s, total=27.0 s")
    for k, st in enumerate(starts):
        for j in range(10):
            t = st + 3.3 + j * 0.02
            book.add(pg, "orders-pg.0", t, f"{ctx.pg(t)}:10.0.{rng.randint(8, 11)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)}):orders@orders:[{rng.randint(1000, 60000)}]:LOG:  connection authorized: user=orders database=orders application_name=PostgreSQL JDBC Driver")

    alb = {"LoadBalancer": alb_id}
    resources = [
        {"type": "alb", "id": alb_id, "properties": {"name": "orders-api", "targets": ["commerce/orders-api"]}},
        {"type": "ecs", "id": "commerce/orders-api", "properties": {"log_groups": [grp], "desired_count": 6, "load_balancer": alb_id, "image": "orders-api:2025.11.3",
                                                                   "environment": {"SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE": "30", "SPRING_DATASOURCE_HIKARI_MINIMUM_IDLE": "10",
                                                                                   "SPRING_DATASOURCE_HIKARI_LEAK_DETECTION_THRESHOLD": "60000"}}},
        {"type": "ecs", "id": "commerce/cart-api", "properties": {"desired_count": 3}},
        {"type": "rds", "id": "orders-pg", "properties": {"engine": "postgres", "engine_version": "16.3", "instance_class": "db.r6g.2xlarge",
                                                          "max_connections": 400, "allocated_storage_gb": 1500, "parameter_group": "orders-pg-params"}},
    ]
    changes = ecs_deploy(dep, "commerce/orders-api") + ecs_deploy(-6000, "commerce/cart-api") + [
        change(-12500, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "orders-pg-params", "dba.r.singh")]
    alarms = [alarm("orders-api-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Sum", 60, 3, 25, "ALARM", -1320, desc="orders-api 5XX"),
              alarm("orders-pg-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "orders-pg"}, "Maximum", 300, 1, 320, "OK", -520000)]
    expect = {"alarm": "orders-api-target-5xx", "root_cause": {"category": "bad_deployment", "resource": ["commerce/orders-api", "orders-api"]},
              "anomalies": [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb), anomaly("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "orders-pg"})]}
    doc = scenario("h22-05-orders-api-connection-leak", "orders-api 5XX alarm; order pages and the mobile app timing out.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "front (ALB); origin is the deployed service", "decoys": [
        "cart-api ECS deploy 45 min before the orders-api deploy", "orders-pg parameter-group change 2.5 h before the deploy",
        "steady pre-existing TaxClient slow-response WARNs", "DB connections rise but stay far below max_connections (OK alarm)"]}


# ------------------------------------------------------------------------------------------------
def s06(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T13:40:00", "us-east-1", "208813467720")
    rng, ts, flag = ctx.rng, grid(), -1920
    alb_id = "app/cart-public/b41c9e7d2a6f3058"
    tasks = Tasks(ctx, "cart-svc/cart-svc", 6, -400000)
    tasks.replace_all(-15000 + 40, -15000 + 300)
    steps = [flag + 30 + 120 * i for i in range(5)]  # AppConfig linear 20 % every 2 min
    switched = sorted(rng.sample(steps, 1) + [rng.choice(steps) for _ in range(5)])
    rng.shuffle(switched)
    switched = [s + rng.uniform(0, 45) for s in switched]  # agent poll interval 45 s
    def on(t):
        return sum(1 for s in switched if s <= t) / 6.0
    req = values(ctx, ts, lambda t: 1500 * day(ctx, t, 15, 0.25), count=True)
    t5 = [float(int(r * 0.152 * on(t)) + (rng.random() < 0.4)) for t, r in zip(ts, req)]
    metrics = alb_metrics(alb_id, ts, req, values(ctx, ts, lambda t: 0.088, 0.08), t5, None, [6.0] * len(ts))
    metrics += ecs_metrics("web/cart-svc", ts, values(ctx, ts, lambda t: 30 * day(ctx, t, 15, 0.2), 0.06),
                           values(ctx, ts, lambda t: 55.0 if t > -15000 else 57.0, 0.02))
    m_inv = values(ctx, ts, lambda t: 3.0, count=True)
    metrics += lambda_metrics("cart-abandon-mailer", ts, m_inv, [0.0] * len(ts), [0.0] * len(ts),
                              [round(rng.uniform(620, 700) if t > -2600 else rng.uniform(680, 760), 1) if i else None for t, i in zip(ts, m_inv)],
                              [min(2.0, i) for i in m_inv])

    book, grp = LogBook(), "/ecs/cart-svc"
    def js(t, level, cat, msg, **kw):
        rec = {"Timestamp": ctx.iso(t), "EventId": kw.pop("EventId", 0), "LogLevel": level, "Category": cat, "Message": msg}
        rec.update(kw)
        return json.dumps(rec)
    for k in range(6):
        t = switched[k]
        book.add(grp, tasks.stream(k, t), t, js(t, "Information", "Acme.Cart.Flags.AppConfigFlagProvider",
                 "Feature flag configuration updated from AppConfig storefront/prod/feature-flags: version 41 -> 42; changed: bundle-pricing-v2 false -> true"))
        for t in every(-10800, -5, 45, 0.05, rng):
            if rng.random() < 0.04:
                book.add(grp, tasks.stream(k, t), t, js(t, "Information", "Acme.Cart.Flags.AppConfigFlagProvider",
                         f"Feature flag configuration unchanged (version {42 if t >= switched[k] else 41})"))
    for t in every(-10800, -5, 1.4, 0.8, rng):
        k, sid = tasks.pick(t)
        trace = ctx.hexid(32)
        if t >= switched[k] and rng.random() < 0.152 * 1.6:
            book.add(grp, sid, t, js(t, "Error", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", "An unhandled exception has occurred while executing the request.", EventId=1,
                     Exception="System.InvalidOperationException: Sequence contains no elements\n"
                               "   at System.Linq.ThrowHelper.ThrowNoElementsException()\n"
                               "   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source)\n"
                               "   at Acme.Cart.Pricing.BundlePricingV2.Apply(Cart cart, PriceContext ctx) in /src/Cart.Pricing/BundlePricingV2.cs:line 57\n"
                               "   at Acme.Cart.Pricing.CartPricer.PriceAsync(Cart cart, CancellationToken ct) in /src/Cart.Pricing/CartPricer.cs:line 83\n"
                               "   at Acme.Cart.Api.CartController.GetCart(String cartId, CancellationToken ct) in /src/Cart.Api/CartController.cs:line 41\n"
                               "   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor.Execute(ActionContext actionContext, IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object controller, Object[] arguments)",
                     TraceId=trace, RequestPath="/v2/carts/" + ctx.hexid(12), FeatureFlags="bundle-pricing-v2"))
            continue
        if rng.random() < 0.015:
            book.add(grp, sid, t, js(t, "Warning", "Acme.Cart.Inventory.StockClient", f"Stock lookup for sku SKU-{rng.randint(10000, 99999)} returned stale data (age {rng.randint(70, 140)}s); using it anyway"))
            continue
        book.add(grp, sid, t, js(t, "Information", "Acme.Cart.Api.CartController", f"Priced cart {ctx.hexid(12)} items={rng.randint(1, 9)} subtotal={rng.uniform(8, 400):.2f} in {rng.randint(9, 70)} ms", TraceId=trace))
    mailer = LambdaSim(ctx, 512, 60, lambda t0, rid, cold, kind: {
        "lines": [node_line(ctx, t0 + 0.01, "INFO", rid, f"abandoned carts batch size={rng.randint(5, 40)}"),
                  node_line(ctx, t0 + 0.6, "INFO", rid, "queued reminder emails via SES")], "dur": rng.uniform(600, 740), "mem": rng.randint(101, 110)},
        version=lambda t: "27" if t < -2600 else "28")
    mailer.run(book, "/aws/lambda/cart-abandon-mailer", plan_from(ts, {"ok": m_inv}, -10800))

    alb = {"LoadBalancer": alb_id}
    resources = [
        {"type": "alb", "id": alb_id, "properties": {"name": "cart-public", "targets": ["web/cart-svc"]}},
        {"type": "ecs", "id": "web/cart-svc", "properties": {"log_groups": [grp], "desired_count": 6, "load_balancer": alb_id,
                                                            "environment": {"ASPNETCORE_ENVIRONMENT": "Production", "APPCONFIG_APPLICATION": "storefront",
                                                                            "APPCONFIG_ENVIRONMENT": "prod", "APPCONFIG_PROFILE": "feature-flags"}}},
        {"type": "lambda", "id": "cart-abandon-mailer", "properties": {"runtime": "nodejs20.x", "timeout": 60, "memory_size": 512}},
    ]
    changes = ecs_deploy(-15000, "web/cart-svc") + lambda_deploy(-2600, "cart-abandon-mailer") + [
        change(flag, "appconfig.amazonaws.com", "StartDeployment", "AWS::AppConfig::ConfigurationProfile", "storefront/feature-flags", "m.ortiz")]
    alarms = [alarm("cart-public-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Sum", 60, 3, 40, "ALARM", -1560, desc="cart 5XX"),
              alarm("cart-abandon-mailer-errors", "AWS/Lambda", "Errors", {"FunctionName": "cart-abandon-mailer"}, "Sum", 300, 1, 3, "OK", -900000)]
    expect = {"alarm": "cart-public-5xx", "root_cause": {"category": "config_change", "resource": ["web/cart-svc", "cart-svc", "storefront/feature-flags", "feature-flags"]},
              "anomalies": [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb)]}
    doc = scenario("h22-06-cart-feature-flag-rollout", "cart 5XX alarm; some shoppers cannot open their cart.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "front (ALB); origin is the flag configuration consumed by cart-svc", "decoys": [
        "cart-abandon-mailer Lambda deploy 11 min before the flag rollout", "cart-svc image deploy 3.6 h earlier (healthy since)",
        "steady pre-existing stock-staleness warnings"]}
