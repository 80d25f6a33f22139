"""h19-13: month-end load fills the billing MySQL's 300 connections (db_connection_exhaustion, RDS origin, ALB front alarm)."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import LOG_START, START, Case, counts, diurnal, ramp, wobble
from .logfmt import ecs_stream, mysql_err, spring

SLUG = "h19-13-billing-db-connections"
FULL = -2040
LB = "app/billing-alb/6a2e8c4f0b1d3957"

META = {
    "front": "front (ALB)",
    "decoys": "ModifyListener on the billing ALB 7 min before onset; invoice-api deploy 5 h earlier; constant "
              "aborted-connection notes and font-cache warnings",
    "story": (
        "Month-end invoicing raises `billing/invoice-api` traffic by ~45 % over the afternoon; the six tasks' "
        "Hikari pools (up to 45 connections each) grow with it and `billing-db` DatabaseConnections climbs "
        "until it sits at its max_connections of 300 from -34 min. New connections are then refused: the tasks "
        "log `HikariPool-1 - Connection is not available` and `SQLNonTransientConnectionException: Data source "
        "rejected establishment of connection, message from server: \"Too many connections\"`, requests fail "
        "with 500 and the ALB's Target 5XX alarm fires. DB CPU and memory stay moderate. The ALB "
        "listener change cannot explain targets refusing requests for lack of DB connections, the deploy is 5 h old and the aborted-connection notes "
        "are constant. The traffic increase is modest; the limiting resource is the database's connection limit."),
}


def build() -> Case:
    c = Case(SLUG, 1913, "sa-east-1", datetime(2026, 11, 30, 19, 5),
             "Billing portal errors during month-end run; ALB target 5XX alarm in ALARM.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    c.resource("rds", "billing-db", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
               max_connections=300, allocated_storage_gb=500, parameter_group="billing-mysql80")
    c.resource("ecs", "billing/invoice-api", launch_type="FARGATE", desired_count=6, cpu=1024, memory=2048,
               task_definition="invoice-api:77", log_groups=["/ecs/invoice-api"],
               environment={"SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE": "45", "SPRING_DATASOURCE_HIKARI_MINIMUM_IDLE": "10",
                            "SPRING_DATASOURCE_URL": "jdbc:mysql://billing-db.cq7nd2m4x9ss.sa-east-1.rds.amazonaws.com:3306/billing"})
    c.resource("ecs", "billing/ledger-worker", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024,
               task_definition="ledger-worker:40", log_groups=["/ecs/ledger-worker"])
    c.resource("alb", LB, name="billing-alb", scheme="internet-facing")

    load = 1 + 0.45 * ramp(t, -9000, 6000)
    shape = diurnal(t, -3600, 0.15) * load * (1 + wobble(rng, n, 0.05))
    req = counts(rng, 310 * shape)
    frac = np.clip((t - START) / (FULL - START), 0, 1)
    want = 78 + 219 * frac ** 2.4 + wobble(rng, n, 2.5, 0.7) * (1 - frac ** 4)
    conns = np.where(t >= FULL, 300 - rng.integers(0, 3, n), np.clip(np.round(want), 40, 297))
    sat = (t >= FULL).astype(float)
    fails = rng.binomial(req.astype(int), 0.06 * sat).astype(float)

    # ---------------------------------------------------------------- metrics
    d = {"DBInstanceIdentifier": "billing-db"}
    c.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns)
    c.metric("AWS/RDS", "CPUUtilization", d, "Percent", np.clip(24 * shape + wobble(rng, n, 2), 1, 100))
    c.metric("AWS/RDS", "FreeableMemory", d, "Bytes", 6.1e9 - conns * 3.2e6 + wobble(rng, n, 0.04e9), nd=0)
    c.metric("AWS/RDS", "ReadIOPS", d, "Count/Second", 420 * shape * (1 + wobble(rng, n, 0.1)))
    c.metric("AWS/RDS", "WriteIOPS", d, "Count/Second", 260 * shape * (1 + wobble(rng, n, 0.1)))
    c.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", 318.6e9 - 0.9e5 * (t - START) + wobble(rng, n, 0.05e9), nd=0)
    c.metric("AWS/RDS", "ReadLatency", d, "Seconds", 0.0011 * (1 + wobble(rng, n, 0.1)), nd=5)
    c.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": LB}, "Count", req)
    c.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Seconds",
             0.21 * (1 + wobble(rng, n, 0.08)) + 1.6 * sat)
    t5 = c.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Count",
                  fails + counts(rng, np.full(n, 0.15)))
    c.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": LB}, "Count", counts(rng, np.full(n, 0.03)))
    c.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": LB}, "Count", np.full(n, 6.0))
    c.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": LB}, "Count", np.zeros(n))
    for svc, cpu0, k in (("invoice-api", 33, 1.0), ("ledger-worker", 21, 0.0)):
        dd = {"ClusterName": "billing", "ServiceName": svc}
        c.metric("AWS/ECS", "CPUUtilization", dd, "Percent", np.clip(cpu0 * (shape if k else 1) + wobble(rng, n, 2), 1, 100))
        c.metric("AWS/ECS", "MemoryUtilization", dd, "Percent", 58 + wobble(rng, n, 1))

    # ---------------------------------------------------------------- invoice-api logs
    tasks = [ids.hex(32) for _ in range(6)]
    st = {k: c.stream("/ecs/invoice-api", ecs_stream("invoice-api", k)) for k in tasks}
    trace = ("\n\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130)\n"
             "\tat com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:122)\n"
             "\tat com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:815)\n"
             "\tat com.mysql.cj.jdbc.ConnectionImpl.<init>(ConnectionImpl.java:438)\n"
             "\tat com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:359)\n"
             "\tat com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:724)\n"
             "\tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:317)\n"
             "\tat java.base/java.lang.Thread.run(Thread.java:1583)")
    for i, t0 in enumerate(t):
        if t0 < LOG_START:
            continue
        for ts in t0 + rng.uniform(0, 60, rng.binomial(int(req[i] - fails[i]), 0.05)):
            k = tasks[int(rng.integers(0, 6))]
            st[k].add(ts, spring(c, ts, "INFO", "invoice-api", f"nio-8080-exec-{rng.integers(1, 41)}",
                                 "c.b.invoice.service.InvoiceService",
                                 f"Invoice inv_{ids.hex(10)} rendered for account ac_{ids.digits(7)} "
                                 f"({int(rng.integers(1, 60))} lines, {rng.uniform(40, 9000):.2f} BRL)"))
        if rng.random() < 0.1:
            ts = t0 + rng.uniform(0, 60)
            k = tasks[int(rng.integers(0, 6))]
            st[k].add(ts, spring(c, ts, "WARN", "invoice-api", f"nio-8080-exec-{rng.integers(1, 41)}",
                                 "c.b.invoice.pdf.FontCache", "Font cache miss for 'NotoSans-Regular'; loading from classpath"))
        for ts in t0 + rng.uniform(0, 60, int(fails[i])):
            k = tasks[int(rng.integers(0, 6))]
            th = f"nio-8080-exec-{rng.integers(1, 41)}"
            if rng.random() < 0.35:
                st[k].add(ts - 0.4, spring(c, ts - 0.4, "WARN", "invoice-api", "onnection adder",
                                           "com.zaxxer.hikari.pool.HikariPool",
                                           "HikariPool-1 - Pool is empty, failed to create/setup connection "
                                           f"({ids.uuid()})") + "\n\njava.sql.SQLNonTransientConnectionException: "
                          'Data source rejected establishment of connection,  message from server: "Too many connections"' + trace)
            st[k].add(ts, spring(c, ts, "ERROR", "invoice-api", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                 "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                                 "[Request processing failed: org.springframework.jdbc.CannotGetJdbcConnectionException: "
                                 "Failed to obtain JDBC Connection]") +
                  "\n\njava.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request "
                  "timed out after 30000ms (total=" f"{int(rng.integers(20, 45))}, active={int(rng.integers(20, 45))}, idle=0, "
                  f"waiting={int(rng.integers(3, 40))})\n"
                  "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n"
                  "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)\n"
                  "\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:100)")
    # ledger-worker: steady
    lw = [c.stream("/ecs/ledger-worker", ecs_stream("ledger-worker", ids.hex(32))) for _ in range(2)]
    for ts in np.sort(rng.uniform(LOG_START, 0, 900)):
        s = lw[int(rng.integers(0, 2))]
        s.add(ts, spring(c, ts, "INFO", "ledger-worker", "scheduling-1", "c.b.ledger.PostingJob",
                         f"Posted batch {ids.hex(8)}: {int(rng.integers(20, 300))} entries"))
    err = c.stream("/aws/rds/instance/billing-db/error", "billing-db")
    for ts in np.sort(rng.uniform(START, 0, 30)):
        err.add(ts, mysql_err(c, ts, int(rng.integers(100000, 300000)), "Note", "MY-010914",
                              f"Aborted connection {int(rng.integers(100000, 300000))} to db: 'billing' user: 'report_ro' "
                              f"host: '10.60.{int(rng.integers(1, 9))}.{int(rng.integers(10, 250))}' (Got timeout reading communication packets)."))

    c.alarm("billing-alb-target-5xx", t5, "Sum", 60, 3, 10, "GreaterThanThreshold", FULL,
            description="billing ALB target 5xx")
    c.change(-2460, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
             f"listener/{LB}/4e8a1c3b5d7f9e20", "secops-bot")
    c.change(-18500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "billing/invoice-api", "github-actions")
    c.expect = {"alarm": "billing-alb-target-5xx",
                "root_cause": {"category": "db_connection_exhaustion", "resource": ["billing-db"]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": d}]}
    return c
