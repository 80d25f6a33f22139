"""ECS/ALB incidents: MySQL connection exhaustion, Node OOM, IAM detach, SSM flag change, Go deploy panic."""
from __future__ import annotations

import numpy as np

from .common import Scn, blip, counts, daily, flat, noisy, ramp, step
from .services import alb_metrics, app_streams, ecs_metrics, per_minute, rds_metrics

def tasks(sc: Scn, n: int) -> list[str]:
    return [sc.hexid(32) for _ in range(n)]


def spring(sc, t, level, thread, logger, msg):
    return f"{sc.iso(t)} {level:>5} 1 --- [{thread}] {logger:<40} : {msg}"


# ------------------------------------------------------------------------------
def s03_inventory_mysql_connections():
    sc = Scn("h7-03-inventory-mysql-connections", "ap-southeast-2",
             "inventory-api returning 500s behind shop-prod-alb; storefront shows 'stock unavailable'.", 7103)
    lb, tg = "app/shop-prod-alb/8e2f1c3b5a7d9e04", "targetgroup/inventory-api-tg/3c5d7e9f1a2b4c6d"
    svc, db, onset, full = "shop-prod/inventory-api", "inventory-db", -2400, -1920
    sc.resource("alb", lb, name="shop-prod-alb", targets=["targetgroup/inventory-api-tg", "targetgroup/storefront-tg"])
    sc.resource("ecs", svc, cluster="shop-prod", task_definition="inventory-api:57", desired_count=12, cpu=1024,
                memory=2048, launch_type="FARGATE")
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.m6g.large",
                max_connections=300, allocated_storage_gb=200)
    sc.resource("ecs", "shop-prod/storefront", cluster="shop-prod", task_definition="storefront:212",
                desired_count=6, cpu=512, memory=1024)
    req = counts(sc, daily(380, 0.2))
    conns = noisy(sc, daily(118, 0.1), 0.04) + ramp(onset, full) * 190
    conns = np.round(np.minimum(conns, 300))
    sat = (conns >= 296).astype(float) * ramp(full - 120, full + 240)
    t5 = counts(sc, req * 0.0005 + sat * req * 0.11)
    trt = noisy(sc, flat(0.048), 0.12, 0.01) + sat * noisy(sc, flat(3.9), 0.2, 0)
    alb_metrics(sc, lb, tg, req=req, trt=trt, t5xx=t5)
    ecs_metrics(sc, "shop-prod", "inventory-api", desired=12, cpu=noisy(sc, daily(31), 0.1, 1, 100),
                mem=noisy(sc, flat(57), 0.02), task_cpu=1024, task_mem=2048)
    ecs_metrics(sc, "shop-prod", "storefront", desired=6, task_cpu=512, task_mem=1024)
    rds_metrics(sc, db, conns=conns, cpu=noisy(sc, daily(24) + ramp(onset, full) * 14, 0.1, 1, 100),
                storage_gb=200, mem_gb=8, write_lat=noisy(sc, flat(0.0021) + ramp(onset, full) * 0.004, 0.2, 0.0003))
    ids = tasks(sc, 12)
    host = f"{db}.cq8xh2k4r1mz.ap-southeast-2.rds.amazonaws.com"

    def info(t):
        sku = f"SKU-{sc.rng.integers(10000, 99999)}"
        return [(t, spring(sc, t, "INFO", f"nio-8080-exec-{sc.rng.integers(1, 40)}", "c.s.inventory.web.StockController",
                           f"GET /v1/stock/{sku} 200 {sc.rng.integers(6, 60)}ms"))]

    def err(t):
        th = f"nio-8080-exec-{sc.rng.integers(1, 40)}"
        k = int(sc.rng.integers(12))
        out = [(t, spring(sc, t, "WARN", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                          "SQL Error: 0, SQLState: 08004"), k),
               (t + 0.001, spring(sc, t, "ERROR", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                  "Data source rejected establishment of connection,  message from server: "
                                  "\"Too many connections\""), k)]
        if sc.rng.random() < 0.5:
            out.append((t + 0.002, spring(sc, t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                          "Servlet.service() for servlet [dispatcherServlet] threw exception\n"
                                          "org.springframework.transaction.CannotCreateTransactionException: Could not "
                                          "open JPA EntityManager for transaction\nCaused by: java.sql."
                                          "SQLTransientConnectionException: HikariPool-1 - Connection is not "
                                          "available, request timed out after 30000ms (total=25, active=25, idle=0, "
                                          "waiting=41)\nCaused by: java.sql.SQLNonTransientConnectionException: Too "
                                          f"many connections (jdbc:mysql://{host}:3306/inventory)"), k))
        return out
    lines = per_minute(sc, counts(sc, flat(7)), info)
    lines += per_minute(sc, t5, err)
    lines += [(t, spring(sc, t, "INFO", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                         "HikariPool-1 - Pool stats (total=25, active=25, idle=0, waiting=%d)" % sc.rng.integers(8, 60)))
              for t in range(full, 0, 30)]
    app_streams(sc, "/ecs/inventory-api", [f"ecs/inventory-api/{i}" for i in ids], lines)
    slow = []
    for t in np.sort(sc.rng.uniform(onset - 120, -30, 70)):
        qt = sc.rng.uniform(12, 48)
        slow.append((t, f"# Time: {sc.iso(t)}\n# User@Host: inventory_app[inventory_app] @  [10.40.{sc.rng.integers(1, 9)}."
                        f"{sc.rng.integers(2, 250)}]  Id: {sc.rng.integers(40000, 90000)}\n# Query_time: {qt:.6f}  "
                        f"Lock_time: {qt - 0.01:.6f} Rows_sent: 0  Rows_examined: 1\nSET timestamp="
                        f"{1795000000 + int(t)};\nUPDATE stock_level SET reserved = reserved + 1 WHERE sku_id = "
                        f"{sc.rng.integers(10000, 99999)} AND warehouse_id = 3;"))
    for t in np.sort(sc.rng.uniform(-10800, -60, 25)):
        slow.append((t, f"# Time: {sc.iso(t)}\n# User@Host: reporting[reporting] @  [10.40.9.14]  Id: "
                        f"{sc.rng.integers(1000, 9000)}\n# Query_time: {sc.rng.uniform(2.1, 4.5):.6f}  Lock_time: "
                        f"0.000112 Rows_sent: 1  Rows_examined: 1840233\nSELECT COUNT(*) FROM stock_movement;"))
    sc.log(f"/aws/rds/instance/{db}/slowquery", db, slow)
    errlog = [(t, f"{sc.iso(t)} {sc.rng.integers(40000, 99999)} [Note] [MY-010914] [Server] Aborted connection "
                  f"{sc.rng.integers(100000, 999999)} to db: 'inventory' user: 'inventory_app' host: '10.40.3."
                  f"{sc.rng.integers(2, 250)}' (Got an error reading communication packets).")
              for t in np.sort(sc.rng.uniform(-21600, -60, 60))]
    sc.log(f"/aws/rds/instance/{db}/error", db, errlog)
    sf = per_minute(sc, counts(sc, flat(4)), lambda t: [(t, f"{sc.iso(t)} info: GET /product/{sc.rng.integers(1000, 9999)}"
                                                            f" 200 {sc.rng.integers(20, 140)}ms")])
    sf += per_minute(sc, counts(sc, flat(0.6)), lambda t: [(t, f"{sc.iso(t)} warn: recommendation widget timed out "
                                                                f"after 250ms, rendering without it")])
    app_streams(sc, "/ecs/storefront", [f"ecs/storefront/{i}" for i in tasks(sc, 3)], sf)
    sc.change(-6350, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "storefront:212",
              "codepipeline-shop")
    sc.change(-6330, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/storefront",
              "codepipeline-shop")
    name = "inventory-api 5XX (ALB target)"
    sc.alarm(name, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"TargetGroup": tg, "LoadBalancer": lb},
             "Sum", 60, 3, 25.0, "GreaterThanThreshold", t5, datapoints_to_alarm=2)
    sc.expect(name, "db_connection_exhaustion", [db],
              [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}],
              decoys="storefront deploy 1.1 h before onset; constant reporting slow queries and Aborted-connection "
                     "notes; storefront recommendation-widget warnings",
              story="Row-lock contention on stock_level (reservations waiting on each other) kept connections "
                    "busy; every inventory-api task grew its Hikari pool to 25, and 12 tasks x 25 reached the "
                    "instance's max_connections of 300. New connections are refused with MySQL 'Too many "
                    "connections' and the API returns 500s.")
    return sc


# ------------------------------------------------------------------------------
def s07_pdf_renderer_oom():
    sc = Scn("h7-07-pdf-renderer-oom", "eu-west-1",
             "PDF renderer - running tasks below desired; document exports queueing.", 7107)
    cl, svc, onset = "docs-prod", "pdf-renderer", -3000
    sc.resource("ecs", f"{cl}/{svc}", cluster=cl, task_definition="pdf-renderer:88", desired_count=4, cpu=1024,
                memory=2048, launch_type="FARGATE")
    sc.resource("ecs", f"{cl}/notifier", cluster=cl, task_definition="notifier:31", desired_count=2, cpu=256,
                memory=512)
    base_mem = noisy(sc, flat(44), 0.03, 1, 100)
    cycle = ((np.arange(len(base_mem)) * 60 - (onset + 21600)) % 660) / 660.0
    mem = np.where(np.arange(len(base_mem)) * 60 - 21600 >= onset, 48 + 52 * cycle ** 0.7, base_mem)
    mem = np.minimum(noisy(sc, mem, 0.03, 1), 100)
    kill = (np.arange(len(mem)) * 60 - 21600 >= onset) & (cycle > 0.8)
    running = flat(4) - kill * 1 - (kill & (sc.rng.random(len(mem)) < 0.55)) * 1
    tail = np.arange(len(mem)) >= len(mem) - 6
    running = np.where(tail, np.minimum(running, 2), running)
    pending = flat(4) - running
    cpu = noisy(sc, daily(35), 0.1, 1, 100) + blip(-14800, -14200) * 45
    ecs_metrics(sc, cl, svc, cpu=np.minimum(cpu, 100), mem=mem, running=running, pending=pending, desired=4,
                task_cpu=1024, task_mem=2048)
    ecs_metrics(sc, cl, "notifier", desired=2, task_cpu=256, task_mem=512)
    ids = tasks(sc, 14)

    def job(t):
        pages = int(sc.rng.integers(2, 40))
        k = int(sc.rng.integers(4))
        return [(t, f"{sc.iso(t)} info: job {sc.hexid(12)} rendering {pages} pages (template=invoice-v3)", k),
                (t + pages * 0.08, f"{sc.iso(t + pages * 0.08)} info: job done in {pages * 80}ms, "
                                   f"uploaded to s3://docs-prod-exports/", k)]

    def big(t):
        pages = int(sc.rng.integers(900, 2600))
        return [(t, f"{sc.iso(t)} info: job {sc.hexid(12)} rendering {pages} pages (template=audit-ledger-v1)",
                 int(sc.rng.integers(4)))]
    lines = per_minute(sc, counts(sc, flat(9)), job)
    lines += per_minute(sc, counts(sc, step(onset) * 0.5), big)
    j = 4
    starts = set((np.nonzero(np.diff(kill.astype(int)) == 1)[0] + 1).tolist()) | set(np.nonzero(tail)[0].tolist())
    for i in sorted(starts):
        t = -21600 + i * 60 + float(sc.rng.uniform(5, 50))
        if t < -10800:
            continue
        pid = sc.rng.integers(18, 40)
        lines += [(t, "\n<--- Last few GCs --->\n\n[%d:0x5d1c3a0]  %d ms: Mark-Compact 1946.8 (2083.4) -> 1931.2 "
                      "(2084.9) MB, 1402.11 / 0.00 ms  (average mu = 0.141, current mu = 0.022) allocation failure; "
                      "scavenge might not succeed" % (pid, sc.rng.integers(200000, 700000)), j % 4),
                  (t + 0.2, "\n<--- JS stacktrace --->\n\nFATAL ERROR: Reached heap limit Allocation failed - "
                            "JavaScript heap out of memory\n 1: 0xb8ced0 node::Abort() [node]\n 2: 0xa9e0e8  [node]\n"
                            " 3: 0xd67f80 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, bool) [node]",
                   j % 4)]
        j += 1
    app_streams(sc, f"/ecs/{svc}", [f"ecs/{svc}/{i}" for i in ids], lines)
    nl = per_minute(sc, counts(sc, flat(3)), lambda t: [(t, f"{sc.iso(t)} INFO sent email template=export-ready "
                                                            f"to=***@{sc.rng.choice(['gmail.com', 'acme.io'])}")])
    app_streams(sc, "/ecs/notifier", [f"ecs/notifier/{i}" for i in tasks(sc, 2)], nl)
    sc.change(-7300, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "notifier:31",
              "github-actions")
    sc.change(-7280, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/notifier", "github-actions")
    name = "PDF renderer - running tasks below desired"
    sc.alarm(name, "ECS/ContainerInsights", "RunningTaskCount", {"ClusterName": cl, "ServiceName": svc}, "Minimum",
             60, 3, 3.0, "LessThanThreshold", running)
    sc.alarm("pdf-renderer memory high", "AWS/ECS", "MemoryUtilization", {"ClusterName": cl, "ServiceName": svc},
             "Average", 300, 2, 90.0, "GreaterThanThreshold", mem, expect_state="OK")
    sc.expect(name, "memory_exhaustion", [f"{cl}/{svc}", svc],
              [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": {"ClusterName": cl, "ServiceName": svc}}],
              decoys="notifier task-definition deploy 2 h earlier; CPU burst on pdf-renderer 4 h earlier; the "
                     "5-minute memory alarm stays OK because the sawtooth averages out",
              story="A customer started exporting 900-2600 page audit ledgers. Each render grows the Node heap "
                    "until V8 aborts with 'JavaScript heap out of memory'; tasks crash in a loop, so the service "
                    "keeps running fewer tasks than desired.")
    return sc


SCENARIOS = [s03_inventory_mysql_connections, s07_pdf_renderer_oom]
