"""h52-02: catalog-db reaches max_connections as catalog-api scales out for the evening peak."""
from __future__ import annotations

from .common import (Scenario, alb_dims, ecs_pack, lambda_pack, ramp, rds_pack, tg_dims)
from .logfmt import LambdaSim, mysql_err, spring, starts_from

ALB = "app/storefront-alb/7f3c2a9b1d4e6f80"
TG_CAT = "targetgroup/catalog-api-tg/2c9a41e7b3d05f18"
TG_CHK = "targetgroup/checkout-tg/8d13f6a2c4b7e095"
SCALE = (-2640, -2280, -1920)
ON = -1840
HIKARI_TRACE = (
    "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n"
    "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)\n"
    "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)\n"
    "\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)\n"
    "\tat org.springframework.jdbc.datasource.DataSourceUtils.fetchConnection(DataSourceUtils.java:160)\n"
    "\tat org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:388)\n"
    "\tat com.example.catalog.repo.ProductRepository.findBySku(ProductRepository.java:74)\n"
    "\tat com.example.catalog.web.ProductController.get(ProductController.java:41)\n"
    "\t... 48 common frames omitted\n"
    "Caused by: java.sql.SQLNonTransientConnectionException: Data source rejected establishment "
    "of connection,  message from server: \"Too many connections\"\n"
    "\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:111)\n"
    "\tat com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:828)\n"
    "\tat com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:359)\n"
    "\tat com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:732)")


def tasks_at(t: float) -> int:
    return 6 + sum(1 for x in SCALE if t >= x + 60)


def build():
    s = Scenario(2, "catalog-db-connection-ceiling", "eu-west-1", "2026-02-03T19:05:00",
                 "Product pages intermittently fail with HTTP 500 during the evening peak; the "
                 "storefront ALB 5XX alarm is firing.")
    s.resource("alb", ALB, name="storefront-alb", scheme="internet-facing",
               target_groups=["catalog-api-tg", "checkout-tg"])
    s.resource("ecs", "shop-prod/catalog-api", launch_type="FARGATE", cpu=1024, memory=2048,
               runtime="Java 21 / Spring Boot 3.2", log_groups=["/ecs/catalog-api"],
               autoscaling="target tracking ALBRequestCountPerTarget=520, min 6, max 20",
               db_pool="HikariCP maximumPoolSize=20 (minimumIdle defaults to maximumPoolSize)")
    s.resource("ecs", "shop-prod/checkout", launch_type="FARGATE", cpu=1024, memory=2048)
    s.resource("rds", "catalog-db", engine="mysql", engine_version="8.0.35",
               instance_class="db.r6g.large", max_connections=180, allocated_storage_gb=400,
               parameter_group="catalog-mysql80")
    s.resource("rds", "analytics-pg", engine="postgres", engine_version="15.5",
               instance_class="db.m6g.xlarge", max_connections=400, allocated_storage_gb=1000,
               parameter_group="analytics-pg-params")
    s.resource("lambda", "catalog-indexer", runtime="python3.12", timeout=60, memory_size=512)
    s.resource("lambda", "invoice-pdf", runtime="nodejs20.x", timeout=30, memory_size=1024)

    req = s.series(lambda t: s.count(3100 * s.diurnal(t, 19.4, 0.32) / 0.97))
    tasks = {t: float(tasks_at(t)) for t in req}
    other = s.series(lambda t: 12 + s.noise(2.2))
    conns = {t: min(180.0, 20 * tasks[t] + other[t]) for t in req}
    short = {t: max(0.0, 20 * tasks[t] + other[t] - 180) for t in req}
    e5 = {t: (s.count(3 + 150 * ramp(t, ON, -1200)) if t >= ON else
              (1.0 if s.rng.random() < 0.15 else 0.0)) for t in req}
    trt = {t: 0.047 + s.noise(0.004) + 30.0 * e5[t] / max(req[t], 1) for t in req}
    s.metric("AWS/ApplicationELB", "RequestCount", alb_dims(ALB), "Count", req, integer=True)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", alb_dims(ALB), "Seconds", trt, nd=4)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(ALB), "Count", e5,
             integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims(ALB), "Count",
             s.series(lambda t: 1.0 if s.rng.random() < 0.08 else 0.0), integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", alb_dims(ALB), "Count",
             {t: req[t] * 0.93 - e5[t] for t in req}, integer=True)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", tg_dims(ALB, TG_CAT), "Count",
             {t: tasks[t] for t in req}, integer=True)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", tg_dims(ALB, TG_CAT), "Count",
             {t: 0.0 for t in req}, integer=True)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", tg_dims(ALB, TG_CHK), "Count",
             {t: 4.0 for t in req}, integer=True)
    # ECS: CPU per task follows requests per task; scale-outs lower it
    ecs_pack(s, "shop-prod", "catalog-api",
             {t: 49 * (req[t] / tasks[t]) / 517 + s.noise(2.5) for t in req},
             {t: 58 + s.noise(1.2) + 4 * (e5[t] > 20) for t in req},
             {t: tasks[t] - (1 if any(x <= t < x + 60 for x in SCALE) else 0) for t in req},
             tasks)
    ecs_pack(s, "shop-prod", "checkout", s.series(lambda t: 31 * s.diurnal(t, 19.4, 0.3) + s.noise(2)),
             s.series(lambda t: 47 + s.noise(1)))
    rds_pack(s, "catalog-db", {t: 26 + 12 * req[t] / 4500 + s.noise(2) for t in req}, conns,
             s.series(lambda t: 287.4e9 - (t + 21600) * 21000 + s.noise(4e7)),
             s.series(lambda t: 5.1e9 - 2.6e7 * tasks_at(t) + s.noise(6e7)),
             s.series(lambda t: 0.0011 + abs(s.noise(0.0002))))
    rds_pack(s, "analytics-pg", s.series(lambda t: 38 + s.noise(4) + (9 if -7200 <= t < -6900 else 0)),
             s.series(lambda t: 64 + s.noise(3)), s.series(lambda t: 412.0e9 + s.noise(5e7)),
             s.series(lambda t: 9.8e9 + s.noise(1e8)))
    idx_inv = s.series(lambda t: 1.0)
    idx_err = {t: (1.0 if t >= ON and s.rng.random() < 0.55 else 0.0) for t in idx_inv}
    lambda_pack(s, "catalog-indexer", idx_inv, idx_err,
                {t: (3100 if not idx_err[t] else 420) + s.noise(300) for t in idx_inv})
    pdf_inv = s.series(lambda t: s.count(14))
    lambda_pack(s, "invoice-pdf", pdf_inv, {t: 0.0 for t in pdf_inv},
                s.series(lambda t: 1850 + s.noise(200) - (250 if t >= -2400 else 0)))

    # ---- ECS task logs (Spring Boot 3, logback console)
    def task_stream(task_start: int | None, shortfall_from: float):
        ev = []
        pid = 1
        thr = [f"nio-8080-exec-{i}" for i in range(1, 41)]
        t0 = -10800
        if task_start is not None:
            t0 = task_start + 35
            boot = [(0, "INFO", "com.example.catalog.CatalogApiApplication",
                     "Starting CatalogApiApplication v3.14.2 using Java 21.0.2 with PID 1 (/app/app.jar started by app in /app)"),
                    (1.2, "INFO", "com.example.catalog.CatalogApiApplication",
                     "The following 1 profile is active: \"prod\""),
                    (6.8, "INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
                    (7.4, "INFO", "com.zaxxer.hikari.pool.HikariPool",
                     f"HikariPool-1 - Added connection com.mysql.cj.jdbc.ConnectionImpl@{s.hex(8)}"),
                    (7.5, "INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                    (10.9, "INFO", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                     "Tomcat started on port 8080 (http) with context path ''"),
                    (11.8, "INFO", "com.example.catalog.CatalogApiApplication",
                     "Started CatalogApiApplication in 11.84 seconds (process running for 12.6)")]
            for off, lvl, lg, msg in boot:
                ev.append((task_start + off, spring(s, task_start + off, lvl, pid, "main", lg, msg,
                                                   app="catalog-api")))
        for t in range(int(t0) // 60 * 60, 0, 60):
            if t < t0:
                continue
            n = int(s.count(7))
            for _ in range(n):
                tt = t + s.rng.uniform(0, 59.9)
                sku = f"SKU-{s.rng.randint(10000, 99999)}"
                path = s.rng.choice([f"/api/v2/products/{sku}", "/api/v2/categories/outdoor/products?page=2",
                                     f"/api/v2/products/{sku}/availability", "/api/v2/search?q=rain+jacket"])
                ev.append((tt, spring(s, tt, "INFO", pid, s.rng.choice(thr),
                                      "c.e.catalog.web.RequestLogFilter", f"GET {path} 200 {s.rng.randint(9, 70)}ms",
                                      app="catalog-api")))
            if s.rng.random() < 0.45:
                tt = t + s.rng.uniform(0, 59.9)
                ev.append((tt, spring(s, tt, "ERROR", pid, s.rng.choice(thr), "c.e.catalog.media.ImageUrlResolver",
                                      "image CDN signing key not found for legacy bucket 'img-v1', serving placeholder "
                                      f"(sku=SKU-{s.rng.randint(10000, 99999)})", app="catalog-api")))
            if t >= shortfall_from:
                k = 0.1 + 0.9 * ramp(t, ON, -1200)
                if s.rng.random() < 0.8:
                    tt = t + s.rng.uniform(0, 59.9)
                    ev.append((tt, spring(s, tt, "WARN", pid, "onnection adder", "com.zaxxer.hikari.pool.PoolBase",
                                          "HikariPool-1 - Failed to create/setup connection: Data source rejected "
                                          "establishment of connection,  message from server: \"Too many connections\"",
                                          app="catalog-api")))
                for _ in range(int(s.count(1.6 * k))):
                    tt = t + s.rng.uniform(0, 59.9)
                    total = s.rng.randint(9, 16)
                    msg = ("Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                           "exception [Request processing failed: org.springframework.jdbc.CannotGetJdbcConnectionException: "
                           "Failed to obtain JDBC Connection] with root cause\n\n"
                           "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, "
                           f"request timed out after 30000ms (total={total}, active={total}, idle=0, "
                           f"waiting={s.rng.randint(8, 40)})\n" + HIKARI_TRACE)
                    ev.append((tt, spring(s, tt, "ERROR", pid, s.rng.choice(thr),
                                          "o.a.c.c.C.[.[.[/].[dispatcherServlet]", msg, app="catalog-api")))
        return ev

    starts = [None] * 6 + [x + 20 for x in SCALE]
    for st in starts:
        s.log("/ecs/catalog-api", f"ecs/catalog-api/{s.hex(32)}", task_stream(st, ON + s.rng.uniform(0, 200)))

    # ---- catalog-indexer (Python, scheduled every minute)
    sim = LambdaSim(s, "catalog-indexer", "python3.12", 512, 60)

    def idx(t, rid):
        if t >= ON and s.rng.random() < 0.55:
            return {"lines": [(0.01, "INFO", "indexing products changed since last run")], "dur": 420 + s.noise(40),
                    "mem": 94, "error": ("OperationalError", "(1040, 'Too many connections')", [
                        '  File "/var/task/indexer.py", line 33, in handler', "    conn = db.connect()",
                        '  File "/var/task/indexer/db.py", line 18, in connect',
                        "    return pymysql.connect(host=HOST, user=USER, password=pw(), database='catalog', connect_timeout=5)",
                        '  File "/var/lang/lib/python3.12/site-packages/pymysql/connections.py", line 358, in __init__',
                        "    self.connect()", "pymysql.err.OperationalError: (1040, 'Too many connections')"])}
        n = s.rng.randint(80, 400)
        return {"lines": [(0.01, "INFO", "indexing products changed since last run"),
                          (2.9, "INFO", f"indexed {n} products into opensearch catalog-v7 (bulk ok)")],
                "dur": 3100 + s.noise(300), "mem": 131}

    sim.run([t + 0.2 for t in idx_inv if t >= -10800], idx, envs=1)

    # ---- MySQL error log
    ev = []
    for t in range(-21600, 0, 60):
        if s.rng.random() < 0.06:
            ev.append((t + 13, mysql_err(s, t + 13, 0, "Warning", "MY-010055",
                                         f"IP address '10.20.{s.rng.randint(1, 9)}.{s.rng.randint(2, 250)}' could not be "
                                         "resolved: Name or service not known")))
        if t >= ON and s.rng.random() < 0.3:
            ev.append((t + 31, mysql_err(s, t + 31, s.rng.randint(40000, 49000), "Note", "MY-010914",
                                         f"Aborted connection {s.rng.randint(40000, 49000)} to db: 'catalog' user: "
                                         f"'catalog_app' host: '10.20.{s.rng.randint(3, 6)}.{s.rng.randint(2, 250)}' "
                                         "(Got an error reading communication packets).")))
    s.log("/aws/rds/instance/catalog-db/error", "catalog-db", ev)

    # ---- changes
    s.change(-7200, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
             "analytics-pg-params", "dba-h.olsen")
    for x in SCALE:
        s.change(x, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/catalog-api",
                 "AWSServiceRoleForApplicationAutoScaling_ECSService")
    s.change(-2400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "invoice-pdf", "github-actions")
    s.change(-2100, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
             "AWS::ElasticLoadBalancingV2::TargetGroup", TG_CHK, "platform-bot")
    s.change(-1500, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role",
             "data-science-notebook-role", "a.moreau")

    a = s.alarm("storefront-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
                alb_dims(ALB), "Sum", 60, 3, 50, "GreaterThanThreshold", expect_state="ALARM",
                description="Storefront targets returning 5XX")
    s.alarm("catalog-db-connections-high", "AWS/RDS", "DatabaseConnections",
            {"DBInstanceIdentifier": "catalog-db"}, "Maximum", 60, 5, 170,
            "GreaterThanOrEqualToThreshold", expect_state="ALARM")
    s.alarm("invoice-pdf-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-pdf"}, "Sum", 300, 1, 5,
            "GreaterThanThreshold", expect_state="OK")
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "db_connection_exhaustion",
                    "resource": ["catalog-db"]},
                    "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                   "dimensions": {"DBInstanceIdentifier": "catalog-db"}},
                                  {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                   "dimensions": alb_dims(ALB)}]})
    meta = dict(alarm=a["name"], category="db_connection_exhaustion", resources=["catalog-db"],
                where="front (ALB; origin is the database behind catalog-api)",
                decoys="three automated scale-out UpdateService events on catalog-api; invoice-pdf deploy; "
                       "ModifyTargetGroupAttributes on checkout-tg (same ALB); analytics-pg parameter group "
                       "edit; IAM attach on a notebook role; steady pre-existing ImageUrlResolver ERROR",
                story="Evening traffic grows about 45 % over six hours (normal daily shape) and target "
                      "tracking adds catalog-api tasks at 18:21, 18:27 and 18:33 UTC. Each task opens a full "
                      "HikariCP pool of 20 MySQL connections, so DatabaseConnections climbs 135 -> 155 -> "
                      "175 and then sits flat at catalog-db's max_connections of 180. From then on pools that "
                      "retire a connection cannot replace it (`Too many connections`), requests wait the 30 s "
                      "Hikari timeout and return 500, catalog-indexer fails with pymysql error 1040, and the "
                      "storefront ALB Target 5XX alarm fires. The scale-outs are automatic and the traffic is "
                      "not unusual; none of the other changes touch this path. The fault sits at the "
                      "database's connection ceiling: db_connection_exhaustion on catalog-db.")
    return doc, meta
