"""h26-05 crm-mysql out of connections (RDS alarm) and
h26-06 ledger-pg CPU pinned by BI queries; statement-api Lambda errors page."""
from __future__ import annotations

import datetime as dt

from .common import (MINUTES, Scenario, diurnal, ec2_metrics, gauss, lambda_metrics, poisson,
                     ramp, rds_metrics, simple_lambda_model)
from .logfmt import LambdaLogs, log_minutes, mysql, pg, py, py_unhandled, spread, spring


# =========================================================================== 05
def build_05():
    sc = Scenario("h26-05-crm-mysql-too-many-connections", 2605, "ap-southeast-2",
                  "crm-mysql DatabaseConnections alarm; CRM users in Sydney report pages timing out.",
                  dt.datetime(2026, 11, 21, 2, 30, 0))
    rng = sc.rng
    db = "crm-mysql"
    apps = [("i-0a3f5b7c9d1e2f405", "crm-app-1"), ("i-0b4e6c8d0f2a3b516", "crm-app-2")]
    worker = ("i-0c5d7e9f1a3b4c627", "crm-worker-1")
    idx = ("i-0d6e8f0a2b4c5d738", "crm-search-indexer-1")
    sc.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
                max_connections=300, allocated_storage_gb=500, multi_az=True)
    for iid, name in apps:
        sc.resource("ec2", iid, name=name, instance_type="m6i.large", app="crm-app (Spring Boot, HikariCP maximumPoolSize=60)",
                    log_groups=["/crm/app"])
    sc.resource("ec2", worker[0], name=worker[1], instance_type="c6i.xlarge", app="celery workers (autoscale 4..64)",
                log_groups=["/crm/worker"])
    sc.resource("ec2", idx[0], name=idx[1], instance_type="c6i.2xlarge", app="nightly search re-index 00:00 UTC")

    ramp_start, full = -2460, -1740
    def conns(t):
        return ramp(t, ramp_start, full, 92, 300)
    rds_metrics(sc, db,
                lambda t: gauss(rng, ramp(t, ramp_start, full, 29, 44), 3, 10),
                lambda t: min(300, max(60, round(gauss(rng, conns(t), 2.5 if t < full else 1.2)))),
                lambda t: 212.4 - (t + 21600) / 21600.0 * 0.6,
                lambda t: gauss(rng, 0.0009, 0.0002, 0.0003), lambda t: gauss(rng, 0.0014, 0.0003, 0.0005),
                lambda t: gauss(rng, 6.1 - 0.004 * (conns(t) - 92), 0.05),
                lambda t: gauss(rng, 380, 50, 80), lambda t: gauss(rng, ramp(t, ramp_start, full, 140, 230), 20, 30))
    for iid, _ in apps:
        ec2_metrics(sc, iid, lambda t: gauss(rng, 24, 3, 5) - (6 if t >= full else 0), lambda t: gauss(rng, 63, 0.8),
                    lambda t: gauss(rng, 38, 0.1), lambda t: gauss(rng, 3.1e6 * diurnal(t, 0.3, -8), 3e5, 1e5))
    ec2_metrics(sc, worker[0], lambda t: gauss(rng, ramp(t, ramp_start, full, 14, 68), 4, 2, 100),
                lambda t: gauss(rng, ramp(t, ramp_start, full, 31, 74), 1.2), lambda t: gauss(rng, 27, 0.1),
                lambda t: gauss(rng, 1.5e6, 2e5, 1e5))
    busy = lambda t: -9000 <= t <= -5400
    ec2_metrics(sc, idx[0], lambda t: gauss(rng, 93, 3, 70, 100) if busy(t) else gauss(rng, 2.5, 0.8, 0.3),
                lambda t: gauss(rng, 71 if busy(t) else 22, 1.5), lambda t: gauss(rng, 61, 0.2),
                lambda t: gauss(rng, 2.6e7 if busy(t) else 1.2e5, 3e6 if busy(t) else 3e4, 1e4))

    # ---- crm-app logs (Spring Boot + Hikari), one stream per instance
    for iid, name in apps:
        ev = []
        pool_total = 60
        for t in log_minutes():
            ev.append((t + 3.1, spring(sc, t + 3.1, "INFO", "scheduling-1", "c.a.crm.segments.SegmentCacheRefresher",
                                       "Refreshed %d contact segments in %d ms" % (rng.randint(1700, 1900), rng.randint(280, 520)), "crm-app")))
            if t % 600 == 0:
                act = rng.randint(8, 25) if t < full else pool_total
                ev.append((t + 5, spring(sc, t + 5, "DEBUG", "ool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                                         "HikariPool-1 - Pool stats (total=%d, active=%d, idle=%d, waiting=%d)" % (pool_total, act, pool_total - act, 0 if t < full else rng.randint(20, 70)), "crm-app")))
            if t >= full - 60:
                pool_total = max(18, pool_total - rng.randint(0, 2))
                for tt in spread(rng, t, poisson(rng, 4)):
                    th = "nio-8080-exec-%d" % rng.randint(1, 200)
                    ev.append((tt, spring(sc, tt, "WARN", "onnection adder", "com.zaxxer.hikari.pool.HikariPool",
                                          "HikariPool-1 - Cannot acquire connection from data source", "crm-app")))
                    ev.append((tt + 0.001, spring(sc, tt + 0.001, "ERROR", "onnection adder", "com.zaxxer.hikari.pool.HikariPool",
                                                  "HikariPool-1 - Exception during pool fill\njava.sql.SQLNonTransientConnectionException: Data source rejected establishment of connection,  message from server: \"Too many connections\"\n\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:111)\n\tat com.mysql.cj.jdbc.ConnectionImpl.connectOneTryOnly(ConnectionImpl.java:969)\n\tat com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:824)\n\tat com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:359)\n\tat com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:724)", "crm-app")))
                for tt in spread(rng, t, poisson(rng, 9 if t >= full else 2)):
                    th = "nio-8080-exec-%d" % rng.randint(1, 200)
                    ev.append((tt, spring(sc, tt, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                          "Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed: org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction] with root cause\n\njava.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=%d, active=%d, idle=0, waiting=%d)\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)\n\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:100)" % (pool_total, pool_total, rng.randint(20, 70)), "crm-app")))
        sc.log("/crm/app", iid, ev)

    # ---- celery worker logs
    wl = []
    def cel(tt, lvl, proc, msg):
        w = sc.wall(tt)
        return (tt, "[%s,%03d: %s/%s] %s" % (w.strftime("%Y-%m-%d %H:%M:%S"), w.microsecond // 1000, lvl, proc, msg))
    procs = 4
    for t in log_minutes():
        if t < ramp_start:
            n = poisson(rng, 3)
        else:
            n = poisson(rng, 40)
        if t == ramp_start - 120:
            wl.append(cel(t + 4, "INFO", "MainProcess", "Task crm.imports.enqueue_bulk_import[%s] received" % sc.uuid()))
            wl.append(cel(t + 9, "INFO", "ForkPoolWorker-2", "Bulk import imp_7731 for org_2291: 412,880 contacts split into 4,129 chunks"))
        if t >= ramp_start and procs < 64 and t % 60 == 0:
            procs = min(64, procs + 4)
            wl.append(cel(t + 1, "INFO", "MainProcess", "Scaling up 4 processes."))
        for tt in spread(rng, t, n):
            task = sc.uuid()
            wl.append(cel(tt, "INFO", "MainProcess", "Task crm.imports.import_chunk[%s] received" % task))
            if t >= full and rng.random() < 0.35:
                wl.append(cel(tt + 0.4, "ERROR", "ForkPoolWorker-%d" % rng.randint(1, procs),
                              "Task crm.imports.import_chunk[%s] raised unexpected: OperationalError(\"(pymysql.err.OperationalError) (1040, 'Too many connections')\")" % task))
            else:
                wl.append(cel(tt + rng.uniform(2, 9), "INFO", "ForkPoolWorker-%d" % rng.randint(1, procs),
                              "Task crm.imports.import_chunk[%s] succeeded in %.3fs: None" % (task, rng.uniform(2, 9))))
    sc.log("/crm/worker", worker[0], wl)

    # ---- RDS MySQL error log: steady aborted-connection notes (pre-existing)
    ml = []
    for t in log_minutes():
        for tt in spread(rng, t, poisson(rng, 1.2)):
            th = rng.randint(180000, 260000)
            ml.append((tt, mysql(sc, tt, th, "Note", "MY-010914", "Aborted connection %d to db: 'crm' user: 'crm_report' host: '10.20.%d.%d' (Got an error reading communication packets)." % (th, rng.randint(1, 4), rng.randint(10, 200)))))
    sc.log("/aws/rds/instance/crm-mysql/error", "crm-mysql", ml)

    sc.alarm("crm-mysql-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db},
             "Maximum", 60, 3, 270, "GreaterThanThreshold", "ALARM", -1800, "crm-mysql connections above 90% of max_connections")
    sc.alarm("crm-search-indexer-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": idx[0]},
             "Average", 300, 2, 85, "GreaterThanThreshold", "OK", -5220)
    sc.expect = {"alarm": "crm-mysql-connections-high",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(front="origin (RDS)", decoys="crm-search-indexer-1 nightly re-index CPU spike (its alarm fired and cleared hours earlier); pre-existing MySQL 'Aborted connection' notes at a constant rate; no changes in CloudTrail",
                   story="A customer's bulk contact import was queued at -43 min; the Celery pool on crm-worker-1 autoscaled from 4 to 64 processes, each with its own SQLAlchemy pool, and DatabaseConnections on crm-mysql climbed from ~90 to the configured max_connections of 300, where it stays flat. Workers then fail with pymysql 1040 'Too many connections', and the two crm-app servers cannot refill HikariCP connections that retire ('Data source rejected establishment of connection ... Too many connections'), so requests time out waiting for a pool connection. DB CPU stays under 50 %, storage and latency are normal; the indexer CPU spike was hours earlier on another box and the aborted-connection notes are as frequent as before. Judgement: db_connection_exhaustion on crm-mysql.")
    return sc


# =========================================================================== 06
def build_06():
    sc = Scenario("h26-06-statement-api-errors-ledger-cpu", 2606, "us-east-1",
                  "statement-api Errors alarm on month-end; account statements fail to load for some customers.",
                  dt.datetime(2026, 11, 30, 16, 10, 0))
    rng = sc.rng
    db, fn = "ledger-pg", "statement-api"
    sc.resource("rds", db, engine="postgres", engine_version="15.4", instance_class="db.m6g.xlarge",
                max_connections=500, allocated_storage_gb=400, multi_az=True)
    sc.resource("lambda", fn, runtime="python3.12", timeout=15, memory_size=512, env_keys=["DB_HOST", "STATEMENT_TIMEOUT_MS"])
    sc.resource("lambda", "fx-rates-sync", runtime="python3.12", timeout=60, memory_size=256)

    onset = -3000
    hot = lambda t: t >= onset
    cpu = lambda t: gauss(rng, 98.3, 1.2, 93, 100) if t >= onset + 180 else (gauss(rng, ramp(t, onset, onset + 180, 23, 97), 2, 5) if hot(t) else gauss(rng, 23, 3.5, 8))
    rds_metrics(sc, db, cpu,
                lambda t: round(gauss(rng, 52 if hot(t) else 38, 2)),
                lambda t: 231.0 - (t + 21600) / 21600.0 * 0.4,
                lambda t: gauss(rng, 0.0021 if hot(t) else 0.0012, 0.0003, 0.0004),
                lambda t: gauss(rng, 0.0019 if hot(t) else 0.0015, 0.0003, 0.0005),
                lambda t: gauss(rng, 4.1 if hot(t) else 4.6, 0.06),
                lambda t: gauss(rng, 640 if hot(t) else 520, 60, 100), lambda t: gauss(rng, 110, 15, 20))

    inv, err, thr, dur, conc = {}, {}, {}, {}, {}
    for t in MINUTES:
        n = poisson(rng, 24 * diurnal(t, 0.15, phase_h=-10))
        inv[t], thr[t] = n, 0
        if t >= onset + 240:
            e = sum(1 for _ in range(n) if rng.random() < 0.45)
            d = gauss(rng, 6900, 500, 3000)
        elif t >= onset:
            e = sum(1 for _ in range(n) if rng.random() < 0.12)
            d = gauss(rng, 3800, 600, 1000)
        else:
            e, d = 0, gauss(rng, 310, 40, 120)
        err[t], dur[t] = e, d
        conc[t] = max(1, round(n * d / 60000 + rng.random()))
    lambda_metrics(sc, fn, inv, err, thr, dur, conc)
    fx = simple_lambda_model(rng, lambda t: 1 if t % 300 == 0 else 0, lambda t: gauss(rng, 1900, 200, 800))
    lambda_metrics(sc, "fx-rates-sync", *fx)

    ll = LambdaLogs(sc, fn, 512)
    accts = ["acc_%06d" % rng.randint(100000, 999999) for _ in range(200)]
    frames = [("/var/task/app.py", 38, "handler", "lines = repo.statement_lines(account_id, period)"),
              ("/var/task/statements/repo.py", 71, "statement_lines", "cur.execute(STATEMENT_SQL, (account_id, start, end))"),
              ("/var/lang/lib/python3.12/site-packages/psycopg2/extras.py", 236, "execute", "return super().execute(query, vars)")]
    for t in log_minutes():
        bad_n = err[t]
        for i, tt in enumerate(spread(rng, t, inv[t])):
            a = rng.choice(accts)
            lines = [(0.003, py("INFO", "GET /statements/%s?period=2026-11" % a))]
            if rng.random() < 0.1:
                lines.append((0.05, py("WARNING", "Statement for %s has %d lines; paginating at 5000" % (a, rng.randint(5001, 20000)))))
            if i < bad_n:
                d = gauss(rng, 8150, 120, 8010)
                lines.append((d / 1000 - 0.02, py_unhandled("QueryCanceled", "canceling statement due to statement timeout", frames)))
            else:
                d = gauss(rng, 310, 40, 120) if t < onset else gauss(rng, 5200, 1500, 900)
                lines.append((d / 1000 - 0.01, py("INFO", "Statement %s built: %d lines in %d ms" % (a, rng.randint(20, 4900), d - 20))))
            ll.invoke(tt, lines, d, rng.randint(118, 140))
    ll.emit()
    fl = LambdaLogs(sc, "fx-rates-sync", 256)
    for t in log_minutes():
        if fx[0][t]:
            fl.invoke(t + 0.3, [(0.01, py("INFO", "Fetched 168 FX rates from ECB feed")), (1.6, py("INFO", "Upserted 168 rates into fx_rates"))], gauss(rng, 1900, 200, 800), 88)
    fl.emit()

    pl = []
    q_bi = ("SELECT date_trunc('day', e.posted_at) AS day, a.currency, a.product_line, sum(e.amount_minor) AS total, count(*) "
            "FROM ledger_entries e JOIN accounts a ON a.id = e.account_id WHERE e.posted_at >= '2026-01-01' GROUP BY 1, 2, 3 ORDER BY 1")
    for t in range(-10800, 0, 300):
        pl.append((t + 11, pg(sc, t + 11, "", "@", 588, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, 2 recycled" % (rng.randint(2000, 5200), rng.uniform(0.8, 2.4)))))
    for t in log_minutes():
        slow = poisson(rng, 0.15) if t < onset else max(0, inv.get(t, 0) - err.get(t, 0))
        for tt in spread(rng, t, slow):
            pl.append((tt, pg(sc, tt, "10.8.%d.%d(%d)" % (rng.randint(1, 3), rng.randint(10, 200), rng.randint(40000, 60000)), "statement_api@ledger", rng.randint(20000, 30000),
                              "LOG", "duration: %.3f ms  execute <unnamed>: SELECT e.* FROM ledger_entries e WHERE e.account_id = $1 AND e.posted_at BETWEEN $2 AND $3 ORDER BY e.posted_at" % (rng.uniform(2000, 2600) if t < onset else rng.uniform(2100, 7900)))))
        if t >= onset:
            for tt in spread(rng, t, poisson(rng, 3)):
                pl.append((tt, pg(sc, tt, "10.8.9.14(%d)" % rng.randint(40000, 60000), "metabase@ledger", rng.randint(20000, 30000),
                                  "LOG", "duration: %.3f ms  execute <unnamed>: %s" % (rng.uniform(38000, 140000), q_bi))))
        if t >= onset + 60:
            for tt in spread(rng, t, err[t] if t in err else 0):
                pid = rng.randint(20000, 30000)
                cl = "10.8.%d.%d(%d)" % (rng.randint(1, 3), rng.randint(10, 200), rng.randint(40000, 60000))
                pl.append((tt, pg(sc, tt, cl, "statement_api@ledger", pid, "ERROR", "canceling statement due to statement timeout")))
                pl.append((tt + 0.001, pg(sc, tt + 0.001, cl, "statement_api@ledger", pid, "STATEMENT", "SELECT e.* FROM ledger_entries e WHERE e.account_id = $1 AND e.posted_at BETWEEN $2 AND $3 ORDER BY e.posted_at")))
    sc.log("/aws/rds/instance/ledger-pg/postgresql", "ledger-pg.0", pl)

    sc.change(-4020, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "fx-rates-sync", "ci-deployer")
    sc.change(-4010, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "fx-rates-sync", "ci-deployer")
    sc.alarm("statement-api-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 20,
             "GreaterThanThreshold", "ALARM", None, "statement-api unhandled errors")
    sc.alarm("ledger-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 90,
             "GreaterThanThreshold", "ALARM", -2400)
    sc.expect = {"alarm": "statement-api-errors",
                 "root_cause": {"category": "cpu_saturation", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": db}},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="front (calling Lambda)", decoys="fx-rates-sync routine Lambda deploy 17 min before onset; pre-existing 'paginating at 5000' WARNING; occasional >2 s app queries already in the slow log before onset",
                   story="On month-end afternoon the finance team's BI tool (user metabase) started running heavy full-year aggregates over ledger_entries, each taking 40-140 s; from -50 min ledger-pg CPU is pinned at 97-100 % with nothing else changed (connections 38 -> 52, IOPS barely up, storage and memory fine). statement-api's ordinary per-account query then slows from ~0.3 s to 5-8 s and ~45 % of calls hit the 8 s statement_timeout (QueryCanceled), which is what the Errors alarm saw. The fx-rates-sync deploy is an unrelated function and the pagination warning is as frequent as before. Judgement: the dependency is itself saturated on CPU, so cpu_saturation on ledger-pg rather than dependency_failure or an application error in statement-api.")
    return sc
