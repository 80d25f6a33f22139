"""Scenarios 02 (connection slots taken by a batch fan-out) and 07 (long transaction locks)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import (LambdaLogs, alb_id, const, alb_metrics, counts, ecs_metrics, ecs_stream, emit,
                  gauge, lambda_metrics, lambda_run, periodic, rds_metrics, share)
from .runtimes import mysql, pg, spring


# ============================================================================ 02
def s02() -> Scenario:
    sc = Scenario(2, "account-balances-edge", "Customers see errors loading balances on the "
                  "last business day of March; the public edge 5XX alarm fired.",
                  "us-east-1", 6002, "2026-03-31T14:10:00+00:00")
    T0, TRUN, TD = -1980, -2470, -2130
    db, lbn = "pgcore-prod-01", "acct-edge"
    lb = alb_id(sc, lbn)
    sc.resource("rds", db, engine="postgres", engine_version="15.6",
                instance_class="db.r6g.xlarge", max_connections=500, allocated_storage_gb=2000)
    sc.resource("ecs", "fin-prod/accounts-api", launch_type="FARGATE", desired_count=8,
                cpu=1024, memory=2048, runtime="java21 spring-boot 3.2")
    sc.resource("ecs", "fin-prod/fx-quotes", launch_type="FARGATE", desired_count=3)
    sc.resource("alb", lb, name=lbn, scheme="internet-facing")

    # connections: ~170 steady, fan-out tasks add ~290 from TRUN+60, accounts-api retries fill it
    conn_fn = lambda t: min(497.0, 170 * diurnal(sc, t, amp=0.1) + 290 * ramp(t, TRUN + 60, TRUN + 420)
                            + 60 * ramp(t, T0 - 60, T0 + 120))
    conns = counts(sc, conn_fn, noise=0.01)
    conns = [min(v, 500.0) for v in conns]
    cpu = gauge(sc, lambda t: 38 * diurnal(sc, t, amp=0.15) + bump(t, -9200, -7900, 34)
                + 17 * ramp(t, TRUN + 60, TRUN + 400), abs_noise=2.5, cap=100)
    rds_metrics(sc, db, cpu, conns, gauge(sc, lambda t: 742 - (t + 21600) / 3600 * 1.1,
                                          noise=0.0004),
                gauge(sc, lambda t: 0.0016 + 0.0011 * ramp(t, TRUN + 60, TRUN + 400), noise=0.2,
                      digits=5),
                gauge(sc, lambda t: 0.0024, noise=0.2, digits=5),
                gauge(sc, lambda t: 9.4 - 0.8 * ramp(t, TRUN + 60, TRUN + 400), noise=0.01))

    req = counts(sc, lambda t: 930 * diurnal(sc, t, amp=0.2), noise=0.04)
    t5 = share(sc, req, lambda t: 0.0012 + 0.14 * ramp(t, T0, T0 + 240))
    e5 = share(sc, req, lambda t: 0.0004 + 0.004 * ramp(t, T0, T0 + 240))
    rt = gauge(sc, lambda t: 0.11 + 4.6 * ramp(t, T0, T0 + 240) + bump(t, -9200, -7900, 0.05),
               noise=0.08, digits=4)
    alb_metrics(sc, lb, req, t5, e5, rt, const(8), const(0), t4xx=share(sc, req, lambda t: 0.021))
    ecs_metrics(sc, "fin-prod", "accounts-api",
                gauge(sc, lambda t: 36 * diurnal(sc, t) - 9 * ramp(t, T0, T0 + 240), abs_noise=2),
                gauge(sc, lambda t: 61 + 2 * ramp(t, T0, T0 + 300), abs_noise=0.8))
    ecs_metrics(sc, "fin-prod", "fx-quotes",
                gauge(sc, lambda t: 22 + bump(t, TD + 30, TD + 200, 14, 60), abs_noise=2),
                gauge(sc, lambda t: 44, abs_noise=1))

    app = "accounts-api"
    grp = "/ecs/accounts-api"
    pools = {}
    for i in range(3):
        st = ecs_stream(sc, "ecs", "accounts-api")
        pools[st] = i

        def normal(t, st=st):
            r = sc.rng.random()
            th = f"http-nio-8080-exec-{sc.rng.randint(1, 200)}"
            if r < 0.08:
                return spring(sc, t, "ERROR", th, "c.f.accounts.kyc.KycClient",
                              "KYC refresh failed for customer " f"C{sc.rng.randint(10 ** 6, 10 ** 7)}: "
                              "upstream kyc-service responded 503 SERVICE_UNAVAILABLE, "
                              "serving cached profile", app)
            return spring(sc, t, "INFO", th, "c.f.accounts.web.BalanceController",
                          f"balance served account=****{sc.rng.randint(1000, 9999)} "
                          f"ccy=USD took={sc.rng.randint(18, 140)}ms", app)
        emit(sc, grp, st, lambda t: 3.0, normal)

        def failing(t, st=st):
            th = f"http-nio-8080-exec-{sc.rng.randint(1, 200)}"
            if sc.rng.random() < 0.5:
                w = sc.rng.randint(20, 60)
                return [spring(sc, t, "WARN", th, "com.zaxxer.hikari.pool.HikariPool",
                               "HikariPool-1 - Connection is not available, request timed out "
                               f"after 30000ms (total=20, active=20, idle=0, waiting={w})", app),
                        spring(sc, t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                               "Servlet.service() for servlet [dispatcherServlet] threw exception"
                               " [Request processing failed: org.springframework.transaction."
                               "CannotCreateTransactionException: Could not open JPA "
                               "EntityManager for transaction] with root cause\njava.sql."
                               "SQLTransientConnectionException: HikariPool-1 - Connection is "
                               "not available, request timed out after 30000ms", app)]
            return [spring(sc, t, "WARN", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                           "SQL Error: 0, SQLState: 53300", app),
                    spring(sc, t, "ERROR", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                           "FATAL: remaining connection slots are reserved for non-replication "
                           "superuser connections", app)]
        emit(sc, grp, st, lambda t: 5.0 * ramp(t, T0, T0 + 180), failing, start=T0 - 60)

    # postgres log
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    periodic(sc, pgg, pgs, 300, lambda t: pg(sc, t, "LOG", "checkpoint complete: wrote "
             f"{sc.rng.randint(900, 4000)} buffers ({sc.rng.uniform(0.4, 2.8):.1f}%); 0 WAL "
             f"file(s) added, 0 removed, {sc.rng.randint(1, 4)} recycled; write="
             f"{sc.rng.uniform(20, 260):.3f} s", pid=411))
    emit(sc, pgg, pgs, lambda t: 0.5 + bump(t, -9200, -7900, 2.5),
         lambda t: pg(sc, t, "LOG", f"duration: {sc.rng.uniform(2100, 9800):.3f} ms  statement: "
                      "SELECT a.branch_id, sum(e.amount) FROM gl_entries e JOIN accounts a USING "
                      "(account_id) WHERE e.posted_at >= '2026-03-01' GROUP BY 1",
                      client=f"10.20.{sc.rng.randint(1, 9)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
                      user="reporting_ro", db="ledger"))
    emit(sc, pgg, pgs, lambda t: 70.0 if TRUN + 60 <= t < TRUN + 420 else 0.0,
         lambda t: pg(sc, t, "LOG", "connection authorized: user=recon_fanout database=ledger "
                      "application_name=recon-fanout SSL enabled (protocol=TLSv1.3, "
                      "cipher=TLS_AES_256_GCM_SHA384, bits=256)",
                      client=f"10.20.{sc.rng.randint(40, 47)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
                      user="recon_fanout", db="ledger"), start=TRUN)
    emit(sc, pgg, pgs, lambda t: 14.0 * ramp(t, T0, T0 + 120),
         lambda t: pg(sc, t, "FATAL", "remaining connection slots are reserved for "
                      "non-replication superuser connections",
                      client=f"10.20.{sc.rng.randint(10, 13)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
                      user="accounts_api", db="ledger"), start=T0 - 60)

    # month-end fan-out tasks (scheduled, not a service)
    for shard in (3, 11, 19):
        st = ecs_stream(sc, "ecs", "recon-fanout")
        t0 = TRUN + 55 + sc.rng.uniform(0, 40)
        sc.log("/ecs/recon-fanout", st, t0, f"time=\"{sc.iso(t0)}\" level=info msg=\"shard "
               f"{shard:02d}/24 starting\" period=2026-03 accounts={shard * 20000 + 1}-"
               f"{shard * 20000 + 20000} db_pool_max=12 db_pool_min=12")
        periodic(sc, "/ecs/recon-fanout", st, 60, lambda t, s=shard: (
            f"time=\"{sc.iso(t)}\" level=info msg=\"matched batch\" shard={s:02d} matched="
            f"{sc.rng.randint(700, 1300)} unmatched={sc.rng.randint(0, 12)} open_conns=12"),
            start=t0 + 30, jitter=5)

    user = "gh-actions-deployer"
    sc.change(-12640, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "fin-prod/accounts-api", user)
    sc.change(TRUN, "ecs.amazonaws.com", "RunTask", "AWS::ECS::TaskDefinition", "recon-fanout:57",
              "ecsEventsRole/month-end-recon")
    sc.change(TD - 25, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "fx-quotes:212", user)
    sc.change(TD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "fin-prod/fx-quotes",
              user)

    sc.alarm(f"{db}-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 2, 65, "GreaterThanThreshold")
    sc.alarm(f"{lbn}-target-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb}, "Average", 60, 5, 1.5, "GreaterThanThreshold")
    sc.alarm(f"{lbn}-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 30, "GreaterThanThreshold",
             "Public account edge: target 5XX")
    sc.expect = {"alarm": f"{lbn}-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(
        front="front (ALB → ECS → RDS)",
        services="ALB, ECS Fargate (Java Spring Boot), RDS PostgreSQL, EventBridge-scheduled ECS tasks",
        decoys="fx-quotes deploy between the fan-out and the onset; old KYC 503 ERRORs in the "
               "app log; RDS CPU alarm from a reporting spike 2 h earlier; latency alarm",
        story=(
            "`accounts-api` (Spring Boot on Fargate, behind ALB `acct-edge`) serves balances from "
            "`pgcore-prod-01` (max_connections 500). At onset-8 min EventBridge starts the "
            "month-end `recon-fanout` scheduled task (24 shards, each with a fixed pool of 12): "
            "the Postgres log fills with `connection authorized: user=recon_fanout` and "
            "DatabaseConnections climbs from ~170 to the 497 ceiling. From onset the API logs "
            "`FATAL: remaining connection slots are reserved for non-replication superuser "
            "connections` and Hikari `Connection is not available, request timed out after "
            "30000ms`; target 5XX and response time jump while request volume is flat and the "
            "database CPU only rises to ~60 %. Decoys: `fx-quotes` is deployed 2.5 min before "
            "onset (no change in its health); `accounts-api` has logged KYC-service 503s at the "
            "same rate all day; the RDS CPU alarm went off and back during a reporting spike "
            "two hours earlier; `accounts-api` itself was last deployed three hours earlier."),
    )
    return sc


# ============================================================================ 07
def s07() -> Scenario:
    sc = Scenario(7, "posting-lock-waits", "Ledger postings failing and slow at July close; "
                  "posting function Errors alarm.", "us-west-2", 6007,
                  "2026-07-31T21:20:00+00:00")
    T0, TLOCK, TD = -2280, -2372, -2430
    db, fn = "ledger-mysql-a", "posting-engine"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36",
                instance_class="db.r6i.2xlarge", max_connections=3000, allocated_storage_gb=3000,
                parameters={"innodb_lock_wait_timeout": 50, "long_query_time": 2})
    sc.resource("lambda", fn, runtime="java21", timeout=90, memory_size=1536,
                trigger="SQS ledger-postings (batch 10)")
    sc.resource("lambda", "gl-export", runtime="python3.12", timeout=300, memory_size=1024)

    blocked = lambda t: ramp(t, T0 - 40, T0 + 60)
    inv = counts(sc, lambda t: 24 * diurnal(sc, t, peak_hour=20, amp=0.2))
    err = share(sc, inv, lambda t: 0.016 + 0.84 * blocked(t))
    dur = gauge(sc, lambda t: 340 + 44000 * blocked(t), noise=0.06)
    conc = counts(sc, lambda t: 1.5 + 32 * blocked(t), noise=0.05)
    lambda_metrics(sc, fn, inv, err, dur, conc=conc)
    ll = LambdaLogs(sc, fn, "java21", 1536, 90, retire=(-11405,))

    def body(ll, t, rid, is_err, cold):
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"c.f.l.posting.PostingHandler - batch size=10 "
                                f"source=sqs:ledger-postings"))]
        if is_err and t >= T0 - 60:
            d = 50000 + sc.rng.uniform(5, 400)
            ex = ("com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException: Lock wait "
                  "timeout exceeded; try restarting transaction")
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "ERROR",
                          "c.f.l.posting.PostingHandler - posting batch failed, returning to queue: "
                          "org.springframework.dao.CannotAcquireLockException: PreparedStatementCallback; "
                          "SQL [UPDATE account_balances SET balance = balance + ?, version = version + 1 "
                          "WHERE account_id = ? AND period = ?]; " + ex)))
            lines.append((d / 1000 + 0.01, "{\"errorMessage\":\"" + ex + "\",\"errorType\":"
                          "\"com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException\","
                          "\"stackTrace\":[\"com.mysql.cj.jdbc.exceptions.SQLError.createSQLException"
                          "(SQLError.java:124)\",\"com.zaxxer.hikari.pool.HikariProxyPreparedStatement."
                          "executeUpdate(HikariProxyPreparedStatement.java)\",\"com.fin.ledger.posting."
                          "BalanceRepository.apply(BalanceRepository.java:88)\"]}"))
            return {"lines": lines, "dur": d + 60}
        if is_err:
            lines.append((0.2, ll.fmt(t, rid, "ERROR", "c.f.l.posting.PostingHandler - "
                          f"PostingValidationException: ledger account 4010-{sc.rng.randint(100, 999)} "
                          "is closed for period 2026-07")))
            return {"lines": lines, "dur": sc.rng.uniform(150, 300)}
        d = max(80.0, sc.rng.gauss(340, 90)) if t < T0 - 60 else sc.rng.uniform(200, 900)
        if sc.rng.random() < 0.15:
            lines.append((0.1, ll.fmt(t, rid, "WARN", "c.f.l.posting.Idempotency - duplicate "
                          f"idempotency key pst_{sc.hexid(12)}, skipping")))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", "c.f.l.posting.PostingHandler"
                      f" - posted 10 entries, journal=J{sc.rng.randint(10 ** 7, 10 ** 8)}")))
        return {"lines": lines, "dur": d}
    lambda_run(ll, inv, err, body, cap=3)

    g_inv = counts(sc, lambda t: 0.5, noise=0.0)
    lambda_metrics(sc, "gl-export", g_inv, [0.0] * len(g_inv),
                   gauge(sc, lambda t: 41000, noise=0.1))

    rds_metrics(sc, db, gauge(sc, lambda t: 31 * diurnal(sc, t, 20, 0.15) + bump(t, -9300, -8400, 55),
                              abs_noise=2, cap=100),
                counts(sc, lambda t: 210 + 50 * blocked(t), noise=0.01),
                gauge(sc, lambda t: 1710 - (t + 21600) / 3600 * 2.0, noise=0.0003),
                gauge(sc, lambda t: 0.0009, noise=0.2, digits=5),
                gauge(sc, lambda t: 0.0018 + 0.0004 * blocked(t), noise=0.2, digits=5),
                gauge(sc, lambda t: 18.2, noise=0.01))

    slg, sls = f"/aws/rds/instance/{db}/slowquery", db
    erg = f"/aws/rds/instance/{db}/error"

    def slow(t, user, host, qt, lt, rows, sql, thread):
        d = sc.at(t)
        return (f"# Time: {d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}Z\n# User@Host: "
                f"{user}[{user}] @  [{host}]  Id: {thread}\n# Query_time: {qt:.6f}  Lock_time: "
                f"{lt:.6f} Rows_sent: {rows[0]}  Rows_examined: {rows[1]}\nuse ledger;\n"
                f"SET timestamp={int(d.timestamp())};\n{sql};")
    emit(sc, slg, sls, lambda t: 0.4 + bump(t, -9300, -8400, 3),
         lambda t: slow(t, "report_ro", f"10.40.8.{sc.rng.randint(2, 250)}", sc.rng.uniform(2.1, 14),
                        0.0001, (sc.rng.randint(10, 900), sc.rng.randint(10 ** 5, 6 * 10 ** 6)),
                        "SELECT currency, SUM(balance) FROM account_balances WHERE period = "
                        "'2026-07' GROUP BY currency", sc.rng.randint(10 ** 5, 10 ** 6)))
    tq = TLOCK + 38.2
    sc.log(slg, sls, tq, slow(tq, "fin_ops", "10.40.3.9", 38.214407, 0.000212, (0, 4187330),
                              "SELECT * FROM account_balances WHERE period = '2026-07' FOR UPDATE",
                              884120))
    emit(sc, slg, sls, lambda t: 9.0 * blocked(t),
         lambda t: slow(t, "posting_svc", f"10.40.{sc.rng.randint(20, 23)}.{sc.rng.randint(2, 250)}",
                        50.0 + sc.rng.uniform(0, 0.004), 50.0 + sc.rng.uniform(0, 0.002), (0, 0),
                        "UPDATE account_balances SET balance = balance + 125.40, version = version"
                        f" + 1 WHERE account_id = {sc.rng.randint(10 ** 6, 10 ** 7)} AND period = "
                        "'2026-07'", sc.rng.randint(10 ** 5, 10 ** 6)), start=T0 - 60)
    periodic(sc, erg, db, 1800, lambda t: mysql(sc, t, 0, "Note", "MY-011953",
             "InnoDB: Page cleaner took 4312ms to flush 2000 and evict 0 pages"))
    emit(sc, erg, db, lambda t: 0.15, lambda t: mysql(
        sc, t, sc.rng.randint(80000, 99999), "Note", "MY-010914",
        f"Aborted connection {sc.rng.randint(800000, 899999)} to db: 'ledger' user: 'report_ro' "
        "host: '10.40.8.17' (Got an error reading communication packets)."))

    sc.change(-11420, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "ledger-ci")
    sc.change(-11405, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              fn, "ledger-ci")
    sc.change(TD, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "gl-export", "m.okonkwo")

    sc.alarm(f"{db}-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 1, 75, "GreaterThanThreshold")
    sc.alarm(f"{fn}-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 60, 5,
             20000, "GreaterThanThreshold")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Ledger posting failures")
    sc.expect = {"alarm": f"{fn}-errors",
                 "root_cause": {"category": "dependency_failure", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        front="front (caller Lambda → RDS)",
        services="Lambda (Java), SQS, RDS MySQL (slow query + error logs)",
        decoys="gl-export config update just before onset; posting-engine deploy 2.5 h earlier; "
               "old PostingValidationException errors; RDS CPU alarm from an earlier reporting spike",
        story=(
            "`posting-engine` (Java 21 Lambda on SQS) applies postings to `account_balances` in "
            "`ledger-mysql-a`. The slow query log shows `fin_ops` from a bastion address running "
            "`SELECT * FROM account_balances WHERE period = '2026-07' FOR UPDATE` (38 s, 4.2 M "
            "rows examined) just before onset and leaving the transaction open. From then on "
            "posting UPDATEs each wait exactly `innodb_lock_wait_timeout` (Query_time/Lock_time "
            "50.0 s) and fail with `MySQLTransactionRollbackException: Lock wait timeout "
            "exceeded`; Duration jumps to ~45 s (well under the 90 s timeout) and concurrency "
            "climbs. The database is not exhausted: CPU ~30 %, connections 260 of 3000, normal "
            "latency. Decoys: `gl-export` gets a configuration update 2.5 min before onset; "
            "`posting-engine` was deployed 2.5 h earlier with clean postings since; "
            "`PostingValidationException` errors and duplicate-key WARNs run at the same low rate "
            "all day; the RDS CPU alarm fired during a reporting spike two hours earlier."),
    )
    return sc
