"""h27-03 (ECS rolling deploy of a bad image) and h27-04 (MySQL parameter change applied by a reboot)."""
from __future__ import annotations

import math
import random

from .common import (Clock, alarm, alarm_on, change, daily, expect, hexid, metric, minutes, noisy, pois,
                     rid, scenario, stream)
from .lambda_sim import FnSim, node_line, spread
from .svc import Acc, alb_metrics, ec2_metrics, ecs_metrics, rails, rds_metrics, spring, task_id

NPE = ('java.lang.NullPointerException: Cannot invoke "com.acme.orders.tax.TaxQuote.amount()" '
       'because "quote" is null')
NPE_TRACE = "\n".join([
    "", "", NPE,
    "\tat com.acme.orders.pricing.OrderTotals.applyTax(OrderTotals.java:64)",
    "\tat com.acme.orders.service.OrderService.create(OrderService.java:118)",
    "\tat com.acme.orders.web.OrderController.create(OrderController.java:52)",
    "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
    "\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)",
    "\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)",
    "\tat org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle"
    "(ServletInvocableHandlerMethod.java:118)",
    "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
    "\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
    "\tat org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)",
    "\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:63)",
    "\tat java.base/java.lang.Thread.run(Thread.java:1583)"])


def _spring_start(ck, t, ver, app="orders-api"):
    L = lambda dt, lg, msg, th="main": (t + dt, spring(ck, t + dt, "info", th, lg, msg, app))
    return [L(0, "c.a.orders.OrdersApplication", f"Starting OrdersApplication v{ver} using Java 21.0.5 with PID 1 "
                                                  "(/app/app.jar started by app in /app)"),
            L(0.2, "c.a.orders.OrdersApplication", 'The following 1 profile is active: "prod"'),
            L(9.8, "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
            L(17.1, "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
            L(17.9, "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Added connection "
                                                         "org.postgresql.jdbc.PgConnection@6b2e1f0a"),
            L(18.0, "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
            L(31.5, "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path '/'"),
            L(31.7, "c.a.orders.OrdersApplication", "Started OrdersApplication in 31.904 seconds "
                                                    "(process running for 33.512)")]


# =========================================================================== 03 ===
def build_03():
    rng = random.Random(270303)
    ck = Clock("2026-11-17T10:45:00Z")
    region = "eu-central-1"
    LB = "app/orders-alb/7c1e5a9b3d2f4e60"
    TG = f"arn:aws:elasticloadbalancing:{region}:482193305716:targetgroup/orders-api-tg/2b7d90c1e4a3f518"
    T_SG, T_RW, T_RTD, T_UPD, T_TG = -9000, -4200, -3120, -3090, -1200
    NEW_START, NEW_UP, OLD_DOWN = -3050, -2995, -2690
    old = [task_id(rng) for _ in range(4)]
    new = [task_id(rng) for _ in range(4)]
    ev = {t: [] for t in old + new}
    for tid in new:
        ev[tid] += _spring_start(ck, NEW_START + rng.uniform(0, 8), "2.41.0")
    for tid in old:
        t = OLD_DOWN - rng.uniform(5, 15)
        ev[tid] += [(t, spring(ck, t, "info", "ionShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
                               "Commencing graceful shutdown. Waiting for active requests to complete", "orders-api")),
                    (t + 0.4, spring(ck, t + 0.4, "info", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown",
                                     "Graceful shutdown complete", "orders-api")),
                    (t + 0.6, spring(ck, t + 0.6, "info", "ionShutdownHook", "com.zaxxer.hikari.HikariDataSource",
                                     "HikariPool-1 - Shutdown completed.", "orders-api"))]
    acc = Acc()
    ts = list(minutes(-21600))
    for m in ts:
        n = pois(rng, 340 * daily(ck.hour(m, 1), 0.15))
        for t in spread(rng, m, n):
            serving = old if t < NEW_UP else (old + new if t < NEW_UP + 45 else new)
            tid = rng.choice(serving)
            is_new = tid in new
            r = rng.random()
            th = f"nio-8080-exec-{rng.randint(1, 40)}"
            status, rt = 200, rng.lognormvariate(math.log(0.048), 0.45)
            if r < 0.15:                                    # POST /api/v1/orders
                rc = rng.random() < 0.3
                rt = rng.lognormvariate(math.log(0.14), 0.35)
                if rc and is_new:
                    status, rt = 500, rng.uniform(0.02, 0.05)
                    if t >= -9000:
                        ev[tid].append((t + rt, spring(
                            ck, t + rt, "error", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                            "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                            f"[Request processing failed: {NPE}] with root cause" + NPE_TRACE, "orders-api")))
                elif t >= -9000 and rng.random() < 0.35:
                    ev[tid].append((t + rt, spring(
                        ck, t + rt, "info", th, "c.a.orders.service.OrderService",
                        f"Created order ord_{hexid(rng, 10)} customer=cus_{hexid(rng, 8)} lines={rng.randint(1, 9)} "
                        f"total={rng.uniform(12, 900):.2f} EUR reverseCharge={str(rc).lower()}", "orders-api")))
            elif r < 0.162:
                status = 400
                if t >= -9000 and rng.random() < 0.5:
                    ev[tid].append((t + 0.004, spring(
                        ck, t + 0.004, "warn", th, ".w.s.m.s.DefaultHandlerExceptionResolver",
                        "Resolved [org.springframework.web.bind.MissingServletRequestParameterException: Required "
                        "request parameter 'page' for method parameter type Integer is not present]", "orders-api")))
            acc.add("req", m)
            acc.add("rt_sum", m, rt)
            if status >= 500:
                acc.add("t5", m)
            elif status >= 400:
                acc.add("t4", m)
        acc.set("healthy", m, 8 if NEW_UP - 60 <= m < NEW_UP + 60 else 4)
        acc.set("unhealthy", m, 0)
        if rng.random() < 0.004:
            acc.add("e5", m)
    for m in minutes(-9000, -60, 60):   # HikariCP housekeeping noise
        for tid in (old if m < NEW_UP else new):
            if rng.random() < 0.08:
                ev[tid].append((m + rng.uniform(0, 59), spring(
                    ck, m + 30, "info", "scheduling-1", "c.a.orders.outbox.OutboxRelay",
                    f"relayed {rng.randint(1, 40)} outbox events to orders-events (lag={rng.randint(20, 900)}ms)",
                    "orders-api")))
    rw_ev = []
    for m in minutes(-9000, -60, 900):
        rw_ev.append((m + 2, spring(ck, m + 2, "info", "scheduling-1", "c.a.reporting.jobs.DailyRollupJob",
                                    "rollup window started", "reporting-worker")))
        rw_ev.append((m + 41, spring(ck, m + 41, "info", "scheduling-1", "c.a.reporting.jobs.DailyRollupJob",
                                     f"rollup finished rows={rng.randint(20000, 90000)} in 39.{rng.randint(0, 9)}s",
                                     "reporting-worker")))
    metrics = alb_metrics(LB, ts, acc)
    metrics += ecs_metrics("prod-core", "orders-api", ts,
                           lambda m: noisy(rng, 9 + 30 * daily(ck.hour(m, 1), 0.15), 0.08),
                           lambda m: noisy(rng, 58 if m < NEW_UP else 54, 0.02),
                           lambda m: 8 if NEW_START <= m < OLD_DOWN else 4)
    metrics += ecs_metrics("prod-core", "reporting-worker", ts, lambda m: noisy(rng, 14, 0.3),
                           lambda m: noisy(rng, 41, 0.03), lambda m: 1)
    logs = [stream("/ecs/orders-api", f"ecs/orders-api/{tid}", e) for tid, e in ev.items()]
    logs.append(stream("/ecs/reporting-worker", "ecs/reporting-worker/9e03b7c2d8f14a6b9c1e2d3f4a5b6c7d", rw_ev))
    resources = [
        {"type": "ecs", "id": "prod-core/orders-api",
         "properties": {"cluster": "prod-core", "service": "orders-api", "launch_type": "FARGATE",
                        "task_definition": "orders-api:58", "image": "482193305716.dkr.ecr.eu-central-1.amazonaws.com/"
                                                                     "orders-api:2.41.0",
                        "desired_count": 4, "running_count": 4, "cpu": 1024, "memory": 2048,
                        "target_group": "orders-api-tg", "log_groups": ["/ecs/orders-api"],
                        "deployments": [{"status": "PRIMARY", "task_definition": "orders-api:58",
                                         "rollout_state": "COMPLETED", "created_at": T_UPD, "updated_at": OLD_DOWN}],
                        "previous_task_definition": "orders-api:57 (image orders-api:2.40.3)"}},
        {"type": "ecs", "id": "prod-core/reporting-worker",
         "properties": {"cluster": "prod-core", "service": "reporting-worker", "task_definition": "reporting-worker:11",
                        "desired_count": 1, "running_count": 1, "log_groups": ["/ecs/reporting-worker"]}},
        {"type": "alb", "id": LB, "properties": {"name": "orders-alb", "target_groups": ["orders-api-tg"],
                                                 "targets": "ECS service prod-core/orders-api"}},
    ]
    changes = [
        change(T_SG, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
               "sg-07a3e9c1b5d2f4086", "netops.weber@sso"),
        change(T_RW, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
               "reporting-worker:12", "github-actions-deploy"),
        change(T_RTD, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
               "orders-api:58", "github-actions-deploy"),
        change(T_UPD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "prod-core/orders-api",
               "github-actions-deploy"),
        change(T_TG, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
               "AWS::ElasticLoadBalancingV2::TargetGroup", TG, "oncall.schmidt@sso"),
    ]
    dims = {"LoadBalancer": LB}
    alarms = [alarm_on(metrics, "orders-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims,
                       "Sum", 60, 3, 5, "GreaterThanThreshold", T_UPD, "Orders API 5xx from targets"),
              alarm("orders-api-cpu-high", "AWS/ECS", "CPUUtilization",
                    {"ClusterName": "prod-core", "ServiceName": "orders-api"}, "Average", 300, 3, 85,
                    "GreaterThanThreshold", "OK", -400000)]
    return scenario(
        "h27-03-orders-api-rolling-deploy-npe",
        "Orders API is returning 500s for part of the order submissions; ALB 5xx alarm fired this morning.",
        region, resources, metrics, logs, alarms, changes,
        expect("orders-alb-target-5xx", "bad_deployment", ["prod-core/orders-api", "orders-api"],
               [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)]))


# =========================================================================== 04 ===
GROUP_BY_ERR = ("Mysql2::Error: Expression #2 of SELECT list is not in GROUP BY clause and contains nonaggregated "
                "column 'reports_production.accounts.name' which is not functionally dependent on columns in GROUP BY "
                "clause; this is incompatible with sql_mode=only_full_group_by")
ENDPOINTS = [("/reports/revenue_by_account", "Reports::RevenueController#index", True),
             ("/reports/top_customers", "Reports::CustomersController#top", True),
             ("/dashboards/sales", "DashboardsController#show", False),
             ("/reports/exports", "Reports::ExportsController#index", False),
             ("/accounts/search", "AccountsController#search", False)]


def build_04():
    rng = random.Random(270404)
    ck = Clock("2026-11-16T17:30:00Z")
    region = "us-west-2"
    LB = "app/reports-alb/3f6a0d2c8e1b7a94"
    web = [("i-0b7d3e91c4a25f608", "reports-web-1", 2231), ("i-04c8a1f2e9d3b6701", "reports-web-2", 2187)]
    T_LAMBDA, T_PG, T_REBOOT = -10800, -5700, -2290
    DOWN0, DOWN1 = T_REBOOT + 8, T_REBOOT + 78
    acc = Acc()
    ev = {iid: [] for iid, _, _ in web}
    ts = list(minutes(-21600))
    for m in ts:
        n = pois(rng, 34 * daily(ck.hour(m, -8), 0.1))
        for t in spread(rng, m, n):
            iid, _, pid = rng.choice(web)
            path, action, grouped = ENDPOINTS[min(4, int(rng.random() ** 1.6 * 5))]
            req = hexid(rng, 8) + "-" + hexid(rng, 4) + "-" + hexid(rng, 4) + "-" + hexid(rng, 4) + "-" + hexid(rng, 12)
            ar = rng.lognormvariate(math.log(0.16 if grouped else 0.04), 0.4)
            rt = ar + rng.uniform(0.03, 0.12)
            lines = [(0, "info", f"Started GET \"{path}\" for 10.0.{rng.randint(1, 9)}.{rng.randint(2, 250)} at "
                                 f"{ck.plain(t)} +0000"),
                     (0.002, "info", f"Processing by {action} as HTML")]
            if DOWN0 <= t < DOWN1:
                status, rt = 500, rng.uniform(0.01, 0.03)
                lines += [(rt, "info", f"Completed 500 Internal Server Error in {rt * 1000:.0f}ms (ActiveRecord: 0.0ms | "
                                       f"Allocations: {rng.randint(900, 2000)})"),
                          (rt + 0.001, "fatal", "Mysql2::Error::ConnectionError (Can't connect to MySQL server on "
                                                "'reports-db.cx8f2kq1vz7p.us-west-2.rds.amazonaws.com:3306' (111)):")]
            elif grouped and t >= DOWN1:
                status, rt = 500, rng.uniform(0.015, 0.04)
                lines += [(rt, "info", f"Completed 500 Internal Server Error in {rt * 1000:.0f}ms (ActiveRecord: "
                                       f"{rt * 400:.1f}ms | Allocations: {rng.randint(3000, 6000)})"),
                          (rt + 0.001, "fatal", f"\nActiveRecord::StatementInvalid ({GROUP_BY_ERR}):\n\n"
                                                "app/queries/revenue_by_account_query.rb:27:in `call'\n"
                                                "app/controllers/reports/revenue_controller.rb:9:in `index'")]
            else:
                status = 200
                lines.append((rt, "info", f"Completed 200 OK in {rt * 1000:.0f}ms (Views: {(rt - ar) * 1000:.1f}ms | "
                                          f"ActiveRecord: {ar * 1000:.1f}ms | Allocations: {rng.randint(8000, 90000)})"))
            acc.add("req", m)
            acc.add("rt_sum", m, rt)
            if status >= 500:
                acc.add("t5", m)
            if t >= -7200:
                ev[iid] += [(t + dt, rails(ck, t + dt, lv, req, msg, pid)) for dt, lv, msg in lines]
        acc.set("healthy", m, 2)
        acc.set("unhealthy", m, 0)
    for m in minutes(-7200, -60, 60):
        for iid, _, pid in web:
            if rng.random() < 0.15:
                ev[iid].append((m + 7, f"I, [{ck.iso_us(m + 7)} #{pid}]  INFO -- : Puma stats: "
                                       f"{{\"running\":5,\"backlog\":0,\"pool_capacity\":{rng.randint(3, 5)},"
                                       f"\"max_threads\":5}}"))
    err = []
    for m in minutes(-7200, -60, 60):
        if rng.random() < 0.09:
            ip = f"10.0.{rng.randint(1, 9)}.{rng.randint(2, 250)}"
            err.append((m + 13, f"{ck.iso_us(m + 13)}Z {rng.randint(3000, 9000)} [Note] [MY-010914] [Server] Aborted "
                                f"connection {rng.randint(10000, 99999)} to db: 'reports_production' user: 'reports' "
                                f"host: '{ip}' (Got an error reading communication packets)."))
    r = T_REBOOT
    for dt, msg in [(4, "0 [System] [MY-013172] [Server] Received SHUTDOWN from user rdsadmin. Shutting down mysqld "
                        "(Version: 8.0.35)."),
                    (9, "0 [System] [MY-010910] [Server] /rdsdbbin/mysql/bin/mysqld: Shutdown complete (mysqld 8.0.35) "
                        " Source distribution."),
                    (41, "0 [System] [MY-010116] [Server] /rdsdbbin/mysql/bin/mysqld (mysqld 8.0.35) starting as "
                         "process 412"),
                    (44, "1 [System] [MY-013576] [InnoDB] InnoDB initialization has started."),
                    (57, "1 [System] [MY-013577] [InnoDB] InnoDB initialization has ended."),
                    (75, "0 [System] [MY-010931] [Server] /rdsdbbin/mysql/bin/mysqld: ready for connections. Version: "
                         "'8.0.35'  socket: '/tmp/mysql.sock'  port: 3306  Source distribution.")]:
        err.append((r + dt, f"{ck.iso_us(r + dt)}Z {msg}"))
    thumb = FnSim("thumbnailer", 1536, ck, rng, log_from=-7200, pool=2, runtime_version="nodejs:20.v41", region=region)
    for m in ts:
        for t in spread(rng, m, pois(rng, 3)):
            req = rid(rng)
            d = rng.lognormvariate(math.log(780), 0.3)
            thumb.invoke(m, t, req, "$LATEST",
                         [(d / 1000 - 0.01, node_line(ck, t + d / 1000 - 0.01, req, "info",
                                                      f"thumbnails written for s3://reports-exports-usw2/"
                                                      f"{hexid(rng, 12)}.png (3 sizes)"))],
                         d, rng.randint(300, 380))
    metrics = alb_metrics(LB, ts, acc)
    for iid, _, _ in web:
        metrics += ec2_metrics(iid, ts, lambda m: noisy(rng, 8 + 18 * daily(ck.hour(m, -8), 0.1), 0.12),
                               mem=lambda m: noisy(rng, 63, 0.02), disk=lambda m: 47 + (m + 21600) / 21600 * 0.3)
    down = lambda m: DOWN0 - 60 <= m < DOWN1
    metrics += rds_metrics("reports-db", ts, rng,
                           lambda m: 0.5 if down(m) else noisy(rng, 11 + 22 * daily(ck.hour(m, -8), 0.1), 0.1),
                           lambda m: 0 if down(m) else pois(rng, 22),
                           lambda m: 188e9 - (m + 21600) * 4.1e3,
                           read_lat=lambda m: noisy(rng, 0.0061 if DOWN1 <= m < DOWN1 + 900 else 0.0014, 0.2),
                           free_mem=lambda m: noisy(rng, 9.8e9 if m >= DOWN0 else 3.1e9, 0.01))
    metrics += thumb.metrics(ts)
    logs = [stream("/reports/rails/production", iid, e) for iid, e in ev.items()]
    logs.append(stream("/aws/rds/instance/reports-db/error", "reports-db", err))
    logs += thumb.logs()
    resources = [
        {"type": "rds", "id": "reports-db",
         "properties": {"engine": "mysql", "engine_version": "8.0.35", "instance_class": "db.r6g.large",
                        "max_connections": 1000, "allocated_storage_gb": 250, "multi_az": False,
                        "parameter_group": "reports-mysql80", "parameter_apply_status": "in-sync"}},
        {"type": "ec2", "id": web[0][0], "properties": {"name": web[0][1], "instance_type": "m6i.large",
                                                        "log_groups": ["/reports/rails/production"]}},
        {"type": "ec2", "id": web[1][0], "properties": {"name": web[1][1], "instance_type": "m6i.large",
                                                        "log_groups": ["/reports/rails/production"]}},
        {"type": "alb", "id": LB, "properties": {"name": "reports-alb", "targets": [web[0][1], web[1][1]]}},
        {"type": "lambda", "id": "thumbnailer",
         "properties": {"runtime": "nodejs20.x", "timeout": 30, "memory_size": 1536, "last_modified": T_LAMBDA}},
    ]
    changes = [
        change(T_LAMBDA, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "thumbnailer", "ci-deployer"),
        change(T_PG, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
               "reports-mysql80", "dba.nguyen@sso"),
        change(T_REBOOT, "rds.amazonaws.com", "RebootDBInstance", "AWS::RDS::DBInstance", "reports-db",
               "dba.nguyen@sso"),
    ]
    dims = {"LoadBalancer": LB}
    alarms = [alarm_on(metrics, "reports-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims,
                       "Sum", 60, 3, 2, "GreaterThanThreshold", T_REBOOT, "Reporting portal 5xx"),
              alarm("reports-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "reports-db"},
                    "Average", 300, 3, 85, "GreaterThanThreshold", "OK", -900000)]
    return scenario(
        "h27-04-reports-sql-mode-after-reboot",
        "Finance reports page shows 'We're sorry, but something went wrong' for revenue and top-customer reports.",
        region, resources, metrics, logs, alarms, changes,
        expect("reports-alb-5xx", "config_change", ["reports-db", "reports-mysql80"],
               [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)]))
