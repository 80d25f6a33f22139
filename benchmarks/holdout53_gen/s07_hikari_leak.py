"""h53-07: Spring Boot claims-api (ECS) leaks a JDBC connection on every rejected upload; each task's HikariCP pool
fills up (20/20) one after the other, while the database itself has plenty of room."""
from __future__ import annotations

from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import add, alb_set, ecs_set, minutes, rds_set

REGION, CLUSTER = "us-east-2", "claims-prod"
LB = "app/claims-alb/6a5b4c3d2e1f0a9b"
NOW_H = 11.67
FULL = {"a": -2400, "b": -1500, "c": -900}
POOL = 20

META = {
    "file": "h53-07-ecs-java-hikari-pool-leak.yaml", "region": REGION, "alarm": "claims-alb-latency",
    "category": "db_connection_exhaustion", "resources": [f"{CLUSTER}/claims-api", "claims-api"],
    "alarm_on": "front (ALB)",
    "decoys": "ModifyDBInstance on claims-audit-pg 15 min before the first pool filled; deploy of claims-notify; "
              "steady Hibernate duplicate-key ERRORs in claims-api; benign CPU spikes of claims-ocr-worker",
    "story": (
        "Claims ALB latency goes from ~90 ms to tens of seconds and target 5XX climb in three steps. claims-api "
        "tasks log `HikariPool-1 - Connection is not available, request timed out after 30000ms (total=20, "
        "active=20, idle=0, waiting=N)` on every request that needs the database, one task after the other. "
        "Micrometer's hikaricp_connections_active has been creeping up all morning and is now flat at the pool "
        "maximum (20) with pending requests growing; every rejected document upload is followed 60 s later by "
        "HikariCP's `Connection leak detection triggered ... Apparent connection leak detected` with a stack "
        "through DocumentValidator.checkDuplicate, i.e. the application never returns those connections. "
        "claims-pg is healthy: ~70 connections out of 1000, low CPU, normal latency, so the exhausted pool is the "
        "client's, and the leak is in claims-api. The audit DB change, the claims-notify deploy and the steady "
        "duplicate-key errors have nothing to do with the pool. Judgement: db_connection_exhaustion whose origin "
        "is the claims-api service (pool exhausted by its own leak), not the database."),
}


def build() -> Scenario:
    scn = Scenario("h53-07-ecs-java-hikari-pool-leak", "Claims portal pages hang then fail; ALB latency alarm.",
                   REGION, 5307, datetime(2026, 8, 11, 15, 40))
    rng = scn.rng
    scn.resource("ecs", f"{CLUSTER}/claims-api", cluster=CLUSTER, service="claims-api", launch_type="FARGATE",
                 cpu=2048, memory=4096, desired_count=3, runtime="java21 (Spring Boot 3.2, HikariCP 5.1)",
                 hikari_maximum_pool_size=POOL, hikari_connection_timeout_ms=30000, leak_detection_threshold_ms=60000,
                 health_check_path="/actuator/health/liveness", log_group="/ecs/claims-api")
    scn.resource("ecs", f"{CLUSTER}/claims-ocr-worker", cluster=CLUSTER, service="claims-ocr-worker",
                 launch_type="FARGATE", desired_count=2)
    scn.resource("ecs", f"{CLUSTER}/claims-notify", cluster=CLUSTER, service="claims-notify", launch_type="FARGATE",
                 desired_count=1)
    scn.resource("alb", LB, name="claims-alb", scheme="internet-facing", target_group="claims-api-tg")
    scn.resource("rds", "claims-pg", engine="postgres", engine_version="15.6", instance_class="db.r6g.xlarge",
                 allocated_storage_gb=500, max_connections=1000)
    scn.resource("rds", "claims-audit-pg", engine="postgres", engine_version="15.6", instance_class="db.t4g.large",
                 allocated_storage_gb=200, max_connections=800)
    mult = lambda t: diurnal(t, NOW_H, peak_hour=14.0, amp=0.4)
    cum, acc = {}, 0.0
    for t in minutes(-21600, 0):
        cum[t] = acc
        acc += mult(t)
    C = lambda t: cum[int(t // 60 * 60)]
    ids = {k: scn.hex(32) for k in FULL}
    rate = 16.5 / (C(-900) - C(-21600))   # leaked connections per unit of traffic
    start = {k: POOL - rate * (C(v) - C(-21600)) for k, v in FULL.items()}
    leaked = lambda k, t: min(POOL, start[k] + rate * (C(t) - C(-21600)))
    dead = lambda t: sum(1 for k in FULL if t >= FULL[k]) / 3.0
    pool = lambda k, t: min(POOL, max(10, leaked(k, t) + 4))

    ecs_set(scn, CLUSTER, "claims-api", cpu=lambda t: (18 * mult(t)) * (1 - 0.6 * dead(t)) + rng.gauss(0, 1.2),
            mem=lambda t: 52 + rng.gauss(0, 0.5),
            insights={"RunningTaskCount": ("Count", lambda t: 3), "DesiredTaskCount": ("Count", lambda t: 3)})
    ocr = lambda t: scn.at(t).minute % 30 < 4
    ecs_set(scn, CLUSTER, "claims-ocr-worker", cpu=lambda t: (91 if ocr(t) else 14) + rng.gauss(0, 2),
            mem=lambda t: (78 if ocr(t) else 45) + rng.gauss(0, 1))
    ecs_set(scn, CLUSTER, "claims-notify", cpu=lambda t: 4 + rng.gauss(0, 0.6), mem=lambda t: 31 + rng.gauss(0, 0.4))
    md = {"ServiceName": "claims-api", "pool": "HikariPool-1"}
    add(scn, "ClaimsApi/Micrometer", md, "hikaricp_connections_active", "Count",
        lambda t: max(min(POOL, leaked(k, t) + rng.uniform(1, 4)) for k in FULL), nd=0)
    add(scn, "ClaimsApi/Micrometer", md, "hikaricp_connections_pending", "Count",
        lambda t: sum(rng.uniform(25, 60) if t >= FULL[k] else (rng.uniform(0, 3) if leaked(k, t) > 17 else 0)
                      for k in FULL), nd=0)
    add(scn, "ClaimsApi/Micrometer", md, "hikaricp_connections_max", "Count", lambda t: POOL, nd=0)
    rds_set(scn, "claims-pg", CPUUtilization=lambda t: 9 + 6 * mult(t) * (1 - 0.5 * dead(t)) + rng.gauss(0, 1),
            DatabaseConnections=lambda t: sum(pool(k, t) for k in FULL) + 15 + rng.choice([0, 1, 2]),
            FreeStorageSpace=lambda t: 301e9 - (t + 21600) * 2e3 + rng.uniform(-5e6, 5e6),
            ReadLatency=lambda t: 0.0007 * rng.uniform(0.8, 1.2), WriteLatency=lambda t: 0.0013 * rng.uniform(0.8, 1.2),
            FreeableMemory=lambda t: 11.8e9 + rng.uniform(-5e7, 5e7))
    rds_set(scn, "claims-audit-pg", CPUUtilization=lambda t: 6 + rng.gauss(0, 1),
            DatabaseConnections=lambda t: 8 + rng.choice([0, 1]), FreeStorageSpace=lambda t: 96e9 + rng.uniform(-5e6, 5e6))

    req = counts(lambda t: 1750 * mult(t), rng)
    alb = alb_set(scn, LB, req=lambda t: value_at(req, t) * (1 - 0.45 * dead(t)),
                  rt=lambda t: 0.09 * rng.uniform(0.85, 1.2) + dead(t) * 0.85 * 30.0 * rng.uniform(0.9, 1.0),
                  t5xx=lambda t: rng.choice([0, 1, 1, 2]) + value_at(req, t) * (1 - 0.45 * dead(t)) * dead(t) * 0.82
                  * rng.uniform(0.9, 1.1),
                  e5xx=lambda t: rng.choice([0, 0, 0, 1]), healthy=lambda t: 3, unhealthy=lambda t: 0)
    scn.alarm("claims-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60, 3,
              2.0, "GreaterThanThreshold", points=alb["TargetResponseTime"], description="claims-alb average latency")
    scn.change(-3300, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "claims-audit-pg", "dba-okafor")
    scn.change(-5200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/claims-notify",
               "ci-claims")
    _logs(scn, ids, leaked, mult)
    scn.set_expect("claims-alb-latency", META["category"], META["resources"],
                   [dims_ref("ClaimsApi/Micrometer", "hikaricp_connections_active", md),
                    dims_ref("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB})])
    return scn


def _j(scn, t, level, thread, logger, msg):
    return L.logback(scn, t, level, 1, thread, logger, msg)


LEAK_STACK = ("java.lang.Exception: Apparent connection leak detected\n"
              "\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)\n"
              "\tat org.springframework.jdbc.datasource.DataSourceUtils.fetchConnection(DataSourceUtils.java:160)\n"
              "\tat org.springframework.jdbc.datasource.DataSourceUtils.doGetConnection(DataSourceUtils.java:118)\n"
              "\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:81)\n"
              "\tat com.northwind.claims.documents.DocumentValidator.checkDuplicate(DocumentValidator.java:92)\n"
              "\tat com.northwind.claims.documents.ClaimDocumentService.attach(ClaimDocumentService.java:214)\n"
              "\tat com.northwind.claims.web.DocumentController.upload(DocumentController.java:58)")


def _timeout(waiting):
    return ("Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request "
            "processing failed: org.springframework.transaction.CannotCreateTransactionException: Could not open JPA "
            "EntityManager for transaction] with root cause\n\n"
            f"java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out "
            f"after 30000ms (total=20, active=20, idle=0, waiting={waiting})\n"
            "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n"
            "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)\n"
            "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)\n"
            "\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)\n"
            "\tat org.hibernate.engine.jdbc.connections.internal.DatasourceConnectionProviderImpl.getConnection"
            "(DatasourceConnectionProviderImpl.java:122)\n"
            "\tat org.hibernate.internal.NonContextualJdbcConnectionAccess.obtainConnection"
            "(NonContextualJdbcConnectionAccess.java:46)")


def _logs(scn, ids, leaked, mult):
    rng = scn.rng
    for k, tid in ids.items():
        ev = []
        prev = leaked(k, -9000)
        for m0 in minutes(-9000):
            cur = leaked(k, m0)
            full = m0 >= FULL[k]
            if int(cur) > int(prev) and not full:
                t = m0 + rng.uniform(0, 50)
                thr = f"nio-8080-exec-{rng.randint(1, 200)}"
                ev.append((t, _j(scn, t, "WARN", thr, "c.n.claims.documents.DocumentValidator",
                           f"Rejected upload for claim CLM-2026-{rng.randint(100000, 999999)}: unsupported content type "
                           f"{rng.choice(['application/x-msdownload', 'application/zip', 'image/heic'])}")))
                ev.append((t + 60.0, _j(scn, t + 60.0, "WARN", "l-1 housekeeper", "com.zaxxer.hikari.pool.ProxyLeakTask",
                           f"Connection leak detection triggered for org.postgresql.jdbc.PgConnection@{scn.hex(8)} on "
                           f"thread http-{thr}, stack trace follows\n{LEAK_STACK}")))
            prev = cur
            for _ in range(int(5 * mult(m0))):
                t = m0 + rng.uniform(0, 60)
                thr = f"nio-8080-exec-{rng.randint(1, 200)}"
                path = rng.choice(["/v1/claims/CLM-2026-{n}", "/v1/claims/CLM-2026-{n}/documents",
                                   "/v1/policies/POL-{n}", "/v1/claims?status=OPEN&page=1"]).format(n=rng.randint(100000, 999999))
                if full:
                    ev.append((t + 30.0, _j(scn, t + 30.0, "ERROR", thr, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                            _timeout(rng.randint(25, 60)))))
                    ev.append((t + 30.01, _j(scn, t + 30.01, "INFO", thr, "c.n.claims.web.AccessLogFilter",
                                             f"GET {path} 500 in {30000 + rng.randint(2, 40)} ms")))
                else:
                    ev.append((t, _j(scn, t, "INFO", thr, "c.n.claims.web.AccessLogFilter",
                                     f"GET {path} 200 in {rng.randint(14, 160)} ms")))
            if rng.random() < 0.6:
                t = m0 + rng.uniform(0, 60)
                thr = f"nio-8080-exec-{rng.randint(1, 200)}"
                ev.append((t, _j(scn, t, "WARN", thr, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                 "SQL Error: 0, SQLState: 23505")))
                ev.append((t + 0.001, _j(scn, t + 0.001, "ERROR", thr, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                           'ERROR: duplicate key value violates unique constraint "uq_claim_external_ref"\n  Detail: Key '
                           f"(external_ref)=(ACME-{rng.randint(1000000, 9999999)}) already exists.")))
        scn.log("/ecs/claims-api", f"claims-api/claims-api/{tid}", ev)
    pg = []
    for m0 in minutes(-9000):
        if scn.at(m0).minute % 5 == 0:
            t = m0 + 0.4
            pg.append((t, L.pg(scn, t, "", "@", 611, "LOG", "checkpoint starting: time")))
            pg.append((t + 120.2, L.pg(scn, t + 120.2, "", "@", 611, "LOG",
                       f"checkpoint complete: wrote {rng.randint(600, 1400)} buffers (0.5%); 0 WAL file(s) added, "
                       f"0 removed, {rng.randint(1, 4)} recycled; write=119.912 s, sync=0.011 s, total=120.201 s; sync "
                       f"files={rng.randint(20, 40)}, longest=0.004 s, average=0.001 s; distance={rng.randint(40000, 90000)}"
                       f" kB, estimate={rng.randint(60000, 80000)} kB")))
    scn.log("/aws/rds/instance/claims-pg/postgresql", "claims-pg.0", pg)
