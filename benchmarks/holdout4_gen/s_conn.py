"""MySQL connection exhaustion caused by a batch worker, seen as ALB 5XX on the web tier (13)."""
from __future__ import annotations

import numpy as np

from . import dblogs as D
from .common import (GB, LOG_FROM, MB, N, T, Ctx, after, alarm, alb_metrics, change, ec2_metrics, find, log, ramp,
                     rds_metrics)


def s13():
    ctx = Ctx(1313, "2026-11-21T10:30:00")
    region = "eu-west-3"
    lb = "app/shop-alb/9a3c5e7f1b2d4086"
    web, rep = ("i-0d3f5a7c9e1b2d480", "shop-web-1"), ("i-0e4a6b8c0d2f3a591", "reports-worker")
    db, host, maxc = "shop-mysql", "shop-mysql.cz5p0qv7w3lf.eu-west-3.rds.amazonaws.com", 150
    onset = -2460
    req = ctx.counts(ctx.daily(430, 0.15, phase=-0.5))
    full = after(onset + 240)
    t5 = np.where(full, ctx.counts(req * 0.14), ctx.counts(0.3))
    trt = ctx.noise(0.095, 0.01) + np.where(full, ctx.rng.uniform(3.5, 5.5, N), 0)
    metrics = alb_metrics(lb, req, trt, t5, ctx.counts(0.05), np.zeros(N), np.full(N, 1.0))
    metrics += ec2_metrics(web[0], ctx.noise(27, 4) - np.where(full, 8, 0), ctx.noise(6 * MB, 0.6 * MB), np.zeros(N),
                           ctx.noise(64, 0.8), ctx.noise(52, 0.1))
    metrics += ec2_metrics(rep[0], np.where(after(onset), ctx.noise(63, 7), ctx.noise(4, 1.5)),
                           ctx.noise(0.4 * MB, 0.1 * MB) + np.where(after(onset), 9 * MB, 0), np.zeros(N),
                           ctx.noise(38, 0.8) + np.where(after(onset), 21, 0), ctx.noise(31, 0.1))
    conns = np.where(T < onset, np.round(ctx.noise(36, 3)), np.minimum(maxc, np.round(ramp(onset, onset + 240, 36, 153))))
    conns = np.where(full, maxc - ctx.rng.choice([0, 0, 0, 1, 2], N), conns)
    metrics += rds_metrics(db, ctx.noise(21, 3) + np.where(after(onset), 24, 0), conns, ctx.noise(61 * GB, 0.03 * GB),
                           ctx.noise(0.0013, 0.0002), ctx.noise(1.1 * GB, 0.04 * GB))
    logs = []
    app = []
    for t in np.arange(LOG_FROM, -60, 60):
        ts = lambda s: ctx.wall(s).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        if ctx.rng.random() < 0.25:
            s = t + ctx.rng.uniform(0, 60)
            app.append((s, f"{ts(s)}  INFO 1873 --- [   scheduling-1] c.a.shop.cart.CartSweeper                : "
                           f"removed {ctx.rng.integers(10, 90)} expired carts"))
        if ctx.rng.random() < 0.1:
            s = t + ctx.rng.uniform(0, 60)
            app.append((s, f"{ts(s)}  WARN 1873 --- [nio-8080-exec-{ctx.rng.integers(1, 200)}] "
                           "c.a.shop.search.Recommender             : recommendation service timeout (800 ms), "
                           "serving defaults"))
        if T[int((t + 21600) // 60)] >= onset + 240:
            for _ in range(ctx.rng.poisson(5)):
                s = t + ctx.rng.uniform(0, 60)
                thread = f"nio-8080-exec-{ctx.rng.integers(1, 200)}"
                if ctx.rng.random() < 0.6:
                    app.append((s, f"{ts(s)}  WARN 1873 --- [{thread}] com.zaxxer.hikari.pool.PoolBase              "
                                   "  : HikariPool-1 - Failed to create/setup connection: Data source rejected "
                                   "establishment of connection,  message from server: \"Too many connections\""))
                else:
                    app.append((s, f"{ts(s)} ERROR 1873 --- [{thread}] o.h.engine.jdbc.spi.SqlExceptionHelper   : "
                                   "HikariPool-1 - Connection is not available, request timed out after 30000ms.\n"
                                   "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not "
                                   "available, request timed out after 30000ms.\n\tat com.zaxxer.hikari.pool."
                                   "HikariPool.createTimeoutException(HikariPool.java:696)\n\tat com.zaxxer.hikari.pool."
                                   "HikariPool.getConnection(HikariPool.java:181)\nCaused by: java.sql."
                                   "SQLNonTransientConnectionException: Data source rejected establishment of "
                                   "connection,  message from server: \"Too many connections\""))
    logs.append(log("/shop/web/app", web[0], app))
    wk = []
    for t in np.arange(LOG_FROM, -60, 60):
        s = t + ctx.rng.uniform(0, 60)
        if t == LOG_FROM or (T[int((t + 21600) // 60)] < onset and ctx.rng.random() < 0.05):
            wk.append((s, f"{ctx.wall(s).strftime('%Y-%m-%d %H:%M:%S')} INFO  worker: idle, next scheduled job "
                          "settlement-export at 09:49"))
    wk.append((onset - 5, f"{ctx.wall(onset - 5).strftime('%Y-%m-%d %H:%M:%S')} INFO  settlement-export month=2026-10 "
                          f"starting: partitions=120 parallelism=120 jdbc=jdbc:mysql://{host}:3306/shop"))
    for t in np.arange(onset + 60, -60, 120):
        done = int((t - onset) / 60 * 2.1)
        wk.append((t + 3, f"{ctx.wall(t + 3).strftime('%Y-%m-%d %H:%M:%S')} INFO  settlement-export progress "
                          f"{min(done, 119)}/120 partitions, {ctx.rng.integers(118, 121)} connections open"))
    logs.append(log("/shop/reports/worker", rep[0], wk))
    err = [D.mysql_err(ctx, t + ctx.rng.uniform(0, 900), "Note", "MY-010914",
                       f"Aborted connection {ctx.rng.integers(10000, 99999)} to db: 'shop' user: 'shop_app' host: "
                       f"'10.0.{ctx.rng.integers(1, 3)}.{ctx.rng.integers(10, 250)}' (Got timeout reading communication "
                       "packets).", int(ctx.rng.integers(100, 999))) for t in np.arange(-21600, -900, 900)]
    logs.append(log(f"/aws/rds/instance/{db}/error", db, err))
    al = alarm(ctx, "shop-alb-target-5xx", find(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb), "Sum", 60, 3, 25,
               description="shop web tier 5XX")
    accepted = [db, rep[0], rep[1]]
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-13-shop-mysql-connections-full",
        "description": "Shop checkout and basket pages erroring for EU customers; shop-alb 5XX alarm fired.",
        "region": region,
        "resources": [{"type": "alb", "id": lb, "properties": {"name": "shop-alb", "targets": [web[0]]}},
                      {"type": "ec2", "id": web[0], "properties": {"name": web[1], "instance_type": "m6i.large",
                                                                   "log_groups": ["/shop/web/app"]}},
                      {"type": "ec2", "id": rep[0], "properties": {"name": rep[1], "instance_type": "c6i.2xlarge",
                                                                   "log_groups": ["/shop/reports/worker"]}},
                      {"type": "rds", "id": db, "properties": {"engine": "mysql", "engine_version": "8.0.36",
                                                               "instance_class": "db.t3.medium",
                                                               "max_connections": maxc, "allocated_storage_gb": 100}}],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-4300, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
                           "/shop/prod/recommendations/enabled", "p.moreau")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "db_connection_exhaustion", "resource": accepted},
                   "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                  "dimensions": {"DBInstanceIdentifier": db}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "db_connection_exhaustion", "resources": accepted,
            "decoys": "SSM PutParameter (feature flag) 30 min before onset; recommender-timeout WARN and 'Aborted "
                      "connection' notes at a constant rate; web-tier CPU drops rather than rises",
            "story": "The monthly settlement export on reports-worker was started with parallelism 120, one MySQL "
                     "connection per partition. With the web tier's ~35 connections, shop-mysql reaches its "
                     "max_connections of 150; every new connection the web app's Hikari pool opens is rejected "
                     "(`Too many connections`), requests wait 30 s for a pooled connection and fail, and the ALB "
                     "reports target 5XX. The database is the exhausted resource (the worker is accepted too, as the "
                     "client that exhausted it)."}
    return scenario, meta
