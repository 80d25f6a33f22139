"""h49-05: ledger-db (PostgreSQL 15, max_connections 200) runs out of connection slots
when a scheduled reconciliation batch opens ~90 sessions and never releases them.
log_connections/log_disconnections make the Postgres log a wall of connection noise in
which the batch's sessions and the rare FATALs hide. The app logs in Pacific time.
The alarm is on the database itself (3 of 5 datapoints); the replica-lag alarm of a
replica deleted weeks ago is INSUFFICIENT_DATA."""
from __future__ import annotations

from .common import (Clock, Rng, alarm, change, diurnal, expect, log_stream, metric, pts, ramp,
                     scenario)

NOW = "2026-03-14T22:10:00"
REGION = "us-west-2"
TZ = -7  # PDT
DB = "ledger-db"
ALB = "app/ledger-alb/c41e7a9b2d5f8036"
BATCH = -2700
LOG_FROM = -7200
CAP = 197  # 200 minus 3 superuser_reserved_connections
FATAL = "remaining connection slots are reserved for non-replication superuser connections"


def build():
    rng = Rng(4905)
    clock = Clock(NOW)
    pg_t = lambda t: clock.fmt(t, "%Y-%m-%d %H:%M:%S UTC")
    conns, batch_open = {}, {}
    for t in range(-21600, 0, 60):
        b = int(min(92, max(0, (t - BATCH) / 60 * 4.1))) if t >= BATCH else 0
        base = rng.noise(104, 2.5)
        conns[t] = min(CAP, base + b)
        batch_open[t] = b
    capped_at = min(t for t in conns if conns[t] >= CAP - 1)

    def e5(t):
        if t < capped_at:
            return rng.pois(0.1)
        return rng.pois(ramp(t, capped_at, capped_at + 720, 2, 34))

    d = {"DBInstanceIdentifier": DB}
    m_conn = metric("AWS/RDS", "DatabaseConnections", d, "Count", pts(lambda t: conns[t], integer=True))
    m_cpu = metric("AWS/RDS", "CPUUtilization", d, "Percent",
                   pts(lambda t: rng.noise(31, 2.5) * diurnal(t, 0.1, 30000) + (6 if t >= BATCH else 0)))
    m_mem = metric("AWS/RDS", "FreeableMemory", d, "Bytes",
                   pts(lambda t: 5.1e9 - 9.5e6 * (conns[t] - 104) + rng.noise(0, 4e7), nd=0))
    m_rl = metric("AWS/RDS", "ReadLatency", d, "Seconds", pts(lambda t: rng.noise(0.0009, 0.0002), nd=5, lo=0.0002))
    m_wl = metric("AWS/RDS", "WriteLatency", d, "Seconds", pts(lambda t: rng.noise(0.0016, 0.0003), nd=5, lo=0.0003))
    m_fs = metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
                  pts(lambda t: ramp(t, -21600, 0, 212.6e9, 212.2e9) + rng.noise(0, 4e7), nd=0))

    alb = {"LoadBalancer": ALB}
    five = {t: e5(t) for t in range(-21600, 0, 60)}
    m_req = metric("AWS/ApplicationELB", "RequestCount", alb, "Count",
                   pts(lambda t: rng.pois(610 * diurnal(t, 0.15, 30000)), integer=True))
    m_5 = metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", pts(lambda t: five[t], integer=True))
    m_rt = metric("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds",
                  pts(lambda t: rng.noise(0.061, 0.006) + (ramp(t, capped_at, capped_at + 720, 0.4, 8.5)
                                                          * rng.uniform(0.85, 1.15) if t >= capped_at else 0), nd=4))
    m_hh = metric("AWS/ApplicationELB", "HealthyHostCount", alb, "Count", pts(lambda t: 6.0))
    ecs = {"ClusterName": "payments", "ServiceName": "ledger-api"}
    m_ecpu = metric("AWS/ECS", "CPUUtilization", ecs, "Percent",
                    pts(lambda t: rng.noise(24, 2) * (0.75 if t >= capped_at + 300 else 1)))
    m_emem = metric("AWS/ECS", "MemoryUtilization", ecs, "Percent", pts(lambda t: rng.noise(63, 0.6)))

    # ---------------------------------------------------------------- postgres log
    pg = []
    pid = [27000]

    def nxt():
        pid[0] += rng.randint(1, 40)
        return pid[0]
    for t in range(LOG_FROM + 3, 0, 300):  # checkpoints every 5 minutes
        pg.append([t, "%s::@:[571]:LOG:  checkpoint starting: time" % pg_t(t)])
        w = rng.randint(1400, 2600)
        pg.append([t + 269.9, "%s::@:[571]:LOG:  checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, "
                   "1 recycled; write=269.%03d s, sync=0.0%02d s, total=269.%03d s; sync files=%d, longest=0.004 s, average=0.001 s; "
                   "distance=%d kB, estimate=%d kB" % (pg_t(t + 269.9), w, w / 1310.72, rng.randint(0, 999), rng.randint(1, 30),
                                                        rng.randint(0, 999), rng.randint(40, 80), rng.randint(15000, 24000),
                                                        rng.randint(18000, 22000))])
    t = LOG_FROM
    while t < 0:  # Hikari maxLifetime churn: one pooled connection replaced every ~18 s
        t += rng.expovariate(1 / 18.0)
        host = "10.0.%d.%d" % (rng.choice([21, 22, 23]), rng.randint(10, 250))
        port = rng.randint(32768, 60999)
        p = nxt()
        pre = "%s:%s(%d):" % (pg_t(t), host, port)
        pg.append([t, "%s[unknown]@[unknown]:[%d]:LOG:  connection received: host=%s port=%d" % (pre, p, host, port)])
        full = t >= capped_at and conns.get(int(t // 60) * 60, 0) >= CAP - 1
        if full and rng.random() < 0.9:
            pg.append([t + 0.004, "%sledger_app@ledger:[%d]:FATAL:  %s" % (pre, p, FATAL)])
        else:
            pg.append([t + 0.006, "%sledger_app@ledger:[%d]:LOG:  connection authorized: user=ledger_app database=ledger "
                       "application_name=PostgreSQL JDBC Driver SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)"
                       % (pre, p)])
            oport = rng.randint(32768, 60999)
            old = "%s:%s(%d):" % (pg_t(t + 0.4), host, oport)
            pg.append([t + 0.4, "%sledger_app@ledger:[%d]:LOG:  disconnection: session time: 0:30:0%d.%03d user=ledger_app "
                       "database=ledger host=%s port=%d" % (old, p - rng.randint(300, 900), rng.randint(0, 9),
                                                            rng.randint(0, 999), host, oport)])
        if rng.random() < 0.07:  # idempotent retries: a steady, harmless ERROR
            k = rng.uuid4()
            pg.append([t + 3, "%sledger_app@ledger:[%d]:ERROR:  duplicate key value violates unique constraint "
                       "\"postings_idempotency_key_key\"" % (pre, p - rng.randint(50, 200))])
            pg.append([t + 3.001, "%sledger_app@ledger:[%d]:DETAIL:  Key (idempotency_key)=(%s) already exists." % (pre, p, k)])
    total = 0
    for t in range(BATCH, 0, 60):  # the reconciliation batch opens sessions and keeps them
        target = batch_open[t]
        while total < target:
            total += 1
            tt = t + rng.random() * 59
            host, port, p = "10.0.40.%d" % rng.randint(10, 30), rng.randint(32768, 60999), nxt()
            pre = "%s:%s(%d):" % (pg_t(tt), host, port)
            pg.append([tt, "%s[unknown]@[unknown]:[%d]:LOG:  connection received: host=%s port=%d" % (pre, p, host, port)])
            pg.append([tt + 0.005, "%sreconciler@ledger:[%d]:LOG:  connection authorized: user=reconciler database=ledger "
                       "application_name=ledger-reconciler SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)"
                       % (pre, p)])
    for t in range(LOG_FROM + 900, 0, 1500):
        pg.append([t, "%s::@:[%d]:LOG:  automatic vacuum of table \"ledger.public.journal_lines\": index scans: 1\n"
                   "\tpages: 0 removed, 418223 remain, 9120 scanned (2.18%% of total)\n\ttuples: %d removed, 31877410 remain, 0 are dead but not yet removable"
                   % (pg_t(t), nxt(), rng.randint(20000, 60000))])

    # ---------------------------------------------------------------- ledger-api (logback, Pacific time)
    lb = lambda t, lvl, th, lg, msg: "%s %-5s [%s] %s - %s" % (clock.fmt(t, "%Y-%m-%d %H:%M:%S.%f3 %z", TZ), lvl, th, lg, msg)
    tasks = [rng.hx(32) for _ in range(6)]
    api = {k: [] for k in tasks}
    t = LOG_FROM
    while t < 0:
        t += rng.expovariate(1 / 1.6)
        k = rng.choice(tasks)
        th = "http-nio-8080-exec-%d" % rng.randint(1, 60)
        r = rng.random()
        if r < 0.6:
            msg = ("c.a.l.api.PostingController", "Posted journal entry je_%s (%d lines) for account %s"
                   % (rng.hx(10), rng.randint(2, 6), rng.randint(10_000_000, 99_999_999)))
        elif r < 0.97:
            msg = ("c.a.l.api.BalanceController", "Balance served for account %d (as_of=latest)" % rng.randint(10_000_000, 99_999_999))
        else:
            msg = ("c.a.l.web.ClientVersionFilter", "Request with deprecated header X-Client-Version from %s"
                   % rng.choice(["pos-gateway", "ios-wallet/4.2", "partner-sync"]))
        api[k].append([t, lb(t, "WARN" if "deprecated" in msg[1] else "INFO", th, msg[0], msg[1])])
    for m, n in five.items():
        if m < LOG_FROM or m < capped_at:
            continue
        for _ in range(n):
            t = m + rng.random() * 60
            k = rng.choice(tasks)
            waiting = rng.randint(8, 40)
            c = rng.randint(6, 12)
            body = ("POST /v1/postings failed\norg.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection\n"
                    "\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)\n"
                    "\tat org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:653)\n"
                    "\tat com.acme.ledger.store.PostingRepository.insert(PostingRepository.java:58)\n"
                    "Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out "
                    "after 30000ms (total=%d, active=%d, idle=0, waiting=%d)\n"
                    "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n"
                    "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)\n"
                    "Caused by: org.postgresql.util.PSQLException: FATAL: %s\n"
                    "\tat org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)"
                    % (c, c, waiting, FATAL))
            api[k].append([t, lb(t, "ERROR", "http-nio-8080-exec-%d" % rng.randint(1, 60), "c.a.l.api.ApiExceptionHandler", body)])

    logs = [log_stream("/aws/rds/instance/%s/postgresql" % DB, DB + ".0", [e for e in pg if e[0] < 0])]
    for k in tasks:
        logs.append(log_stream("/ecs/ledger-api", "ecs/ledger-api/" + k, api[k]))

    metrics = [m_conn, m_cpu, m_mem, m_rl, m_wl, m_fs, m_req, m_5, m_rt, m_hh, m_ecpu, m_emem]
    alarms = [
        alarm("ledger-db-connections-high", m_conn, "Maximum", 60, 5, 180.0, "GreaterThanThreshold", clock,
              "ALARM", "ledger-db connections near max_connections (200)", m_of_n=3),
        alarm("ledger-db-replica-lag", None, "Maximum", 60, 5, 30.0, "GreaterThanThreshold", clock,
              "INSUFFICIENT_DATA", "read replica lag", namespace="AWS/RDS", metric_name="ReplicaLag",
              dims={"DBInstanceIdentifier": "ledger-db-replica-1"}, insufficient_since=-1814400),
        alarm("ledger-alb-target-5xx", m_5, "Sum", 60, 3, 10.0, "GreaterThanThreshold", clock, "ALARM"),
        alarm("ledger-db-cpu-high", m_cpu, "Average", 300, 3, 80.0, "GreaterThanThreshold", clock, "OK"),
    ]
    changes = [
        change(-12600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/fx-rates",
               "codepipeline-payments"),
        change(-5400, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", "reporting-db", "backup-bot"),
    ]
    resources = [
        {"type": "rds", "id": DB, "properties": {
            "engine": "postgres", "engine_version": "15.6", "instance_class": "db.r6g.xlarge",
            "max_connections": 200, "superuser_reserved_connections": 3, "allocated_storage_gb": 400,
            "parameter_group": "ledger-pg15", "log_connections": True, "log_disconnections": True,
            "exported_logs": ["postgresql"]}},
        {"type": "ecs", "id": "payments/ledger-api", "properties": {
            "desired_count": 6, "launch_type": "FARGATE", "hikari_maximum_pool_size": 30,
            "log_groups": ["/ecs/ledger-api"]}},
        {"type": "ecs", "id": "payments/fx-rates", "properties": {"desired_count": 2}},
        {"type": "alb", "id": ALB, "properties": {"name": "ledger-alb"}},
        {"type": "rds", "id": "reporting-db", "properties": {"engine": "postgres", "instance_class": "db.t4g.large"}},
    ]
    data = scenario("h49-05-postgres-connection-slots-exhausted",
                    "ledger-db connections alarm; payment postings failing with 500s after 30 s waits.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("ledger-db-connections-high", "db_connection_exhaustion", [DB], [m_conn]))
    meta = {
        "slug": "postgres-connection-slots-exhausted", "region": REGION, "alarm": "ledger-db-connections-high",
        "category": "db_connection_exhaustion", "resources": [DB], "alarm_on": "origin (RDS)",
        "decoys": "fx-rates ECS deploy 3.5 h earlier; snapshot of reporting-db; steady duplicate-key ERRORs in the "
                  "Postgres log; deprecated-header WARNs; replica-lag alarm INSUFFICIENT_DATA",
        "paragraph": (
            "From -45 min a scheduled reconciliation batch (user `reconciler`, application_name "
            "`ledger-reconciler`) opens about four sessions a minute on ledger-db and never closes them. "
            "DatabaseConnections climbs from ~104 to 197, i.e. max_connections 200 minus the 3 superuser "
            "slots, and stays there. Because log_connections/log_disconnections are on, the Postgres log is "
            "dominated by pool-churn connection noise; the telling lines are the batch's `connection "
            "authorized: user=reconciler` entries and, once full, a few `FATAL: remaining connection slots "
            "are reserved for non-replication superuser connections` per minute. ledger-api (logback "
            "timestamps in Pacific time, -0700) then fails requests after Hikari's 30 s timeout with that "
            "FATAL as the cause. Traffic, CPU, memory and storage are normal; the other deploy and snapshot "
            "touch other resources. Connections at the limit with too-many-connections errors: "
            "db_connection_exhaustion of ledger-db, alarm on the origin."),
    }
    return data, meta
