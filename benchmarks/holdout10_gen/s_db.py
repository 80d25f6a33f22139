"""Scenarios 13, 14: the database is the origin (storage full on MySQL, CPU pinned on Postgres)."""
from __future__ import annotations

import math

import numpy as np

from .common import TS, Scn, ramp
from .infra import GB, mysql_line, pg_checkpoints, pg_line, rds_metrics
from .lam import Fn, Inv, http_api, java_trace


def h13_mysql_storage_full() -> Scn:
    s = Scn(13, "ledger-mysql-storage-full", "ap-southeast-1",
            "ledger-writer Errors alarm; journal postings backing up in the queue.", seed=1013,
            anchor="2026-03-10T03:00:00")
    rng = s.rng
    T = -1320                                            # free storage reaches zero
    host = "ledger-mysql.c1qz7ak2lmfp.ap-southeast-1.rds.amazonaws.com"
    free = np.maximum(0, 21.6 * GB - (TS + 21600) * (21.6 * GB / (21600 + T))) + s.gauge(0, 0.04 * GB)
    free = np.where(TS >= T, np.abs(s.gauge(0.02 * GB, 0.01 * GB)) + 0.004 * GB, np.clip(free, 0.1 * GB, None))

    fn = Fn(s, "ledger-writer", "java21", 1024, 30, init_ms=(2600, 3800))

    def handler(c):
        batch = int(rng.integers(5, 60))
        lines = [(0.003, fn.line(c.t, c.rid, "INFO", f"Posting batch of {batch} journal entries (SQS ledger-postings)", "PostingHandler"))]
        if c.t >= T:
            if rng.random() < 0.3:        # INSERT blocks while MySQL waits for free space
                lines.append((25.0, fn.line(c.t + 25, c.rid, "WARN", "HikariPool-1 - Thread starvation or clock leap detected "
                                                                     "(housekeeper delta=25s)", "HikariPool")))
                return Inv("timeout", 0, int(rng.integers(300, 360)), lines)
            d = float(rng.lognormal(math.log(180), 0.4))
            tr = java_trace("java.sql.SQLException: The table 'journal_entries' is full",
                            ["com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130)",
                             "com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:122)",
                             "com.mysql.cj.jdbc.ClientPreparedStatement.executeBatchInternal(ClientPreparedStatement.java:409)",
                             "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeBatch(HikariProxyPreparedStatement.java)",
                             "com.acme.ledger.JournalDao.insertBatch(JournalDao.java:88)",
                             "com.acme.ledger.PostingHandler.handleRequest(PostingHandler.java:51)"])
            lines.append((d / 1000, fn.line(c.t + d / 1000, c.rid, "ERROR", f"Batch insert failed (SQLState HY000, "
                                                                             f"vendor code 1114)\n{tr}", "JournalDao")))
            lines.append((d / 1000 + 0.001, fn.java_unhandled("java.lang.RuntimeException",
                          "java.sql.SQLException: The table 'journal_entries' is full",
                          ["com.acme.ledger.PostingHandler.handleRequest(PostingHandler.java:58)"])))
            return Inv("error", d, int(rng.integers(300, 360)), lines, "The table 'journal_entries' is full")
        d = float(rng.lognormal(math.log(120 + batch * 4), 0.3))
        lines.append((d / 1000, fn.line(c.t + d / 1000, c.rid, "INFO", f"Committed {batch} entries to {host}/ledger "
                                                                     f"in {int(d)} ms", "JournalDao")))
        return Inv("ok", d, int(rng.integers(290, 350)), lines)

    fn.run(20 * s.daily(0.2) * (1 + 0.6 * (TS >= T + 120)), handler)   # SQS redelivery after failures
    fn.emit()

    rep = Fn(s, "ledger-reporter", "java21", 2048, 120, init_ms=(2800, 4000))

    def r_handler(c):
        d = float(rng.lognormal(math.log(9000), 0.2))
        return Inv("ok", d, int(rng.integers(600, 700)), [(0.01, rep.line(c.t, c.rid, "INFO", "Trial balance report "
                                                                                          f"generated ({int(rng.integers(1800, 2400))} accounts)",
                                                                       "ReportJob"))])

    r = np.zeros(len(TS))
    r[::15] = 1
    rep.run(r, r_handler, counts=True, resets=[-4000])
    rep.emit()

    cpu = s.gauge(18, 3) + 45 * np.exp(-((TS + 9000) / 300.0) ** 2) * (np.abs(TS + 9000) < 900)
    wlat = s.gauge(0.0024, 0.0004, lo=0.0006) + 0.35 * (TS >= T) * np.abs(s.gauge(1, 0.3))
    wiops = s.gauge(420, 60, lo=30) * np.where(TS >= T, 0.08, 1)
    rds_metrics(s, "ledger-mysql", cpu, s.gauge(46, 3, lo=30), free, s.gauge(2.3 * GB, 0.05 * GB),
                write_lat=wlat, write_iops=wiops)

    ev = []
    for t in np.sort(rng.uniform(-21600, 0, 90)):            # pre-existing, harmless
        ev.append((t, mysql_line(s, t, int(rng.integers(200, 900)), "Warning", "MY-010055", "Server",
                                 f"IP address '10.40.{int(rng.integers(1, 6))}.{int(rng.integers(2, 250))}' could not be resolved: "
                                 "Name or service not known")))
    for t in range(T, 0, 60):
        t = t + float(rng.uniform(0, 5))
        ev.append((t, mysql_line(s, t, 14, "ERROR", "MY-000035", "Server",
                                 f"Disk is full writing './mysql-bin-changelog.00{int(rng.integers(4200, 4300))}' (OS errno 28 - "
                                 "No space left on device). Waiting for someone to free space... Retry in 60 secs. "
                                 f"Write of {int(rng.integers(800, 9000))} bytes failed.")))
    for t in np.sort(rng.uniform(T, 0, 160)):
        if rng.random() < 0.5:
            m = ("[InnoDB] posix_fallocate(): Failed to preallocate data for file ./ledger/journal_entries.ibd, desired "
                 "size 4194304 bytes. Operating system error number 28. Check that the disk is not full or a disk quota "
                 "exceeded. Make sure the file system supports this function. Refer to your operating system "
                 "documentation for operating system error code information.")
            ev.append((t, mysql_line(s, t, int(rng.integers(200, 900)), "Warning", "MY-012637", "InnoDB", m.replace("[InnoDB] ", ""))))
        else:
            ev.append((t, mysql_line(s, t, int(rng.integers(200, 900)), "ERROR", "MY-013132", "Server",
                                     "The table 'journal_entries' is full!")))
    s.log("/aws/rds/instance/ledger-mysql/error", "ledger-mysql", ev)

    s.res("rds", "ledger-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.m6g.large",
          allocated_storage_gb=200, storage_autoscaling=False, max_connections=1365)
    s.res("lambda", "ledger-writer", runtime="java21", memory_size=1024, timeout=30, event_source="sqs:ledger-postings")
    s.res("lambda", "ledger-reporter", runtime="java21", memory_size=2048, timeout=120,
          event_source="events:rule/ledger-trial-balance-15m")
    s.change(-4000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "ledger-reporter", "w.lim")
    a = s.alarm("ledger-writer-errors", "AWS/Lambda", "Errors", {"FunctionName": "ledger-writer"}, "Sum", 300, 1, 10)
    s.set_expect(a["name"], "storage_exhaustion", ["ledger-mysql"],
                 [("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "ledger-mysql"}),
                  ("AWS/Lambda", "Errors", {"FunctionName": "ledger-writer"})])
    s.readme = dict(decoys="UpdateFunctionConfiguration on ledger-reporter ~45 min before onset; benign RDS CPU bump "
                           "2.5 h earlier (report query); constant 'IP address could not be resolved' warnings",
                    story="ledger-mysql has no storage autoscaling; binlog retention plus a month-end journal backfill "
                          "ate the last ~20 GB over six hours. When FreeStorageSpace hits zero InnoDB cannot extend "
                          "journal_entries.ibd (`The table 'journal_entries' is full`, MySQL 1114) and binlog writes block "
                          "(`Disk is full writing ... (OS errno 28 - No space left on device)`), so ledger-writer fails or "
                          "hangs until its 30 s timeout.")
    return s


def h14_postgres_cpu() -> Scn:
    s = Scn(14, "catalog-pg-cpu", "us-west-1",
            "search-products latency alarm; storefront search is slow and sometimes empty.", seed=1014,
            anchor="2026-03-15T20:00:00")
    rng = s.rng
    T = -2220
    host = "catalog-pg.cz4hx81mnq2a.us-west-1.rds.amazonaws.com"
    hot = ramp(T, 4)
    cpu = np.clip(s.gauge(31, 4) * (1 - hot) + hot * s.gauge(98.4, 0.9, hi=100), 1, 100)
    cpu = cpu + 40 * np.exp(-((TS + 13200) / 240.0) ** 2)            # nightly catalog-sync import, benign

    fn = Fn(s, "search-products", "nodejs20.x", 1024, 10, init_ms=(240, 450))

    def handler(c):
        q = rng.choice(["running shoes", "rain jacket", "usb-c cable", "yoga mat", "coffee grinder", "tent 2 person"])
        load = float(hot[int((c.t + 21600) // 60)])
        lines = [(0.002, fn.line(c.t, c.rid, "INFO", f"search q=\"{q}\" page=1 filters={int(rng.integers(0, 4))}"))]
        d = float(rng.lognormal(math.log(95 + 2300 * load), 0.45))
        if load > 0.5 and d > 5000:
            d = 5000 + float(rng.uniform(3, 25))
            err = {"length": 112, "name": "error", "severity": "ERROR", "code": "57014", "file": "postgres.c",
                   "line": "3321", "routine": "ProcessInterrupts"}
            lines.append((d / 1000, fn.line(c.t + d / 1000, c.rid, "ERROR",
                                            f"search failed: error: canceling statement due to statement timeout "
                                            f"{str(err).replace(chr(39), chr(34))}")))
            lines.append((d / 1000 + 0.001, fn.node_invoke_error(c.t + d / 1000, c.rid, "error",
                          "canceling statement due to statement timeout",
                          ["    at /var/task/node_modules/pg-pool/index.js:45:11",
                           "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
                           "    at async searchProducts (/var/task/dist/search.js:61:18)",
                           "    at async Runtime.handler (/var/task/dist/index.js:19:20)"])))
            return Inv("error", d, int(rng.integers(120, 140)), lines, "canceling statement due to statement timeout")
        lines.append((d / 1000, fn.line(c.t + d / 1000, c.rid, "INFO", f"{int(rng.integers(0, 48))} hits in {int(d)} ms")))
        return Inv("ok", d, int(rng.integers(120, 140)), lines)

    fn.run(35 * s.daily(0.35), handler, log_from=-5400)
    st = fn.emit()
    http_api(s, fn, "w7e5r3t1y9", ["GET /search", "GET /search/suggest"], "/aws/vendedlogs/apigateway/storefront-http-access", log_from=-5400)

    sync = Fn(s, "catalog-sync", "nodejs20.x", 512, 300)

    def s_handler(c):
        d = float(rng.lognormal(math.log(14000), 0.2))
        return Inv("ok", d, int(rng.integers(200, 260)), [(0.01, sync.line(c.t, c.rid, "INFO", f"synced {int(rng.integers(40, 400))} "
                                                                                            "changed SKUs from PIM"))])

    r = np.zeros(len(TS))
    r[::10] = 1
    sync.run(r, s_handler, counts=True, resets=[-3400])
    sync.emit()

    conns = s.gauge(38, 3, lo=20) + 22 * hot
    rds_metrics(s, "catalog-pg", cpu, conns, s.gauge(141 * GB, 0.03 * GB), s.gauge(3.4 * GB, 0.08 * GB) - 0.5 * GB * hot,
                read_lat=s.gauge(0.0012, 0.0002, lo=0.0004) + 0.006 * hot,
                read_iops=s.gauge(140, 25, lo=5) + 2600 * hot)

    ev = pg_checkpoints(s)
    for t in np.sort(rng.uniform(-21600, 0, 40)):
        ev.append((t, pg_line(s, t, "", "@", int(rng.integers(20000, 30000)), "LOG",
                              f"automatic vacuum of table \"catalog.public.product_views\": index scans: 1 pages: 0 removed, "
                              f"{int(rng.integers(30000, 90000))} remain")))
    for t in range(T + 40, 0, 300):                      # BI dashboard auto-refresh
        for k in range(3):
            tt = t + float(rng.uniform(0, 40)) + k * 70
            ev.append((tt, pg_line(s, tt, f"10.60.7.{int(rng.integers(10, 30))}({int(rng.integers(40000, 60000))})",
                                   "metabase@catalog", int(rng.integers(30000, 40000)), "LOG",
                                   f"duration: {rng.uniform(180000, 290000):.3f} ms  statement: SELECT p.category_id, "
                                   "count(*), avg(v.dwell_ms) FROM product_views v JOIN products p ON p.id = v.product_id "
                                   "WHERE v.viewed_at > now() - interval '180 days' GROUP BY 1 ORDER BY 2 DESC")))
    for i in np.nonzero(hot > 0.5)[0]:
        for tt in np.sort(rng.uniform(TS[i], TS[i] + 60, int(rng.poisson(4)))):
            ev.append((tt, pg_line(s, tt, f"10.60.{int(rng.integers(1, 4))}.{int(rng.integers(2, 250))}({int(rng.integers(40000, 60000))})",
                                   "search_app@catalog", int(rng.integers(2000, 30000)), "ERROR",
                                   "canceling statement due to statement timeout")))
    s.log("/aws/rds/instance/catalog-pg/postgresql", "catalog-pg.0", ev)

    s.res("lambda", "search-products", runtime="nodejs20.x", memory_size=1024, timeout=10,
          environment={"PGHOST": host, "PGDATABASE": "catalog", "PG_STATEMENT_TIMEOUT_MS": "5000"})
    s.res("apigateway", "storefront-http", api_id="w7e5r3t1y9", protocol="HTTP", stage="$default")
    s.res("rds", "catalog-pg", engine="postgres", engine_version="16.2", instance_class="db.m6g.large",
          max_connections=180, allocated_storage_gb=200)
    s.res("lambda", "catalog-sync", runtime="nodejs20.x", memory_size=512, timeout=300,
          event_source="events:rule/catalog-sync-10m")
    s.change(-3400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "catalog-sync",
             "github-actions-deploy")
    a = s.alarm("search-products-duration", "AWS/Lambda", "Duration", {"FunctionName": "search-products"}, "Average",
                60, 5, 1000, description="search-products average duration")
    s.set_expect(a["name"], "cpu_saturation", ["catalog-pg"],
                 [("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "catalog-pg"}),
                  ("AWS/Lambda", "Duration", {"FunctionName": "search-products"})])
    s.readme = dict(decoys="UpdateFunctionCode on catalog-sync ~20 min before onset; benign nightly RDS CPU spike 3.7 h "
                           "earlier; constant autovacuum log lines",
                    story="An analyst published a Metabase dashboard whose auto-refresh runs a 180-day aggregation over "
                          "product_views every five minutes against the primary. catalog-pg (2 vCPU) is pinned at "
                          "~98-100 % CPU; search queries slow from ~100 ms to seconds and the slowest hit the 5 s "
                          "statement_timeout (`canceling statement due to statement timeout`).")
    return s


BUILDERS = [h13_mysql_storage_full, h14_postgres_cpu]
