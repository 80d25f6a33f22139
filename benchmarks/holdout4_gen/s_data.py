"""Lambda-fronted database incidents: RDS storage full found via log host names (01), RDS CPU saturated by a
BI query behind API Gateway (11), table rewrite holding locks (16)."""
from __future__ import annotations

import numpy as np

from . import dblogs as D
from . import lambdalogs as L
from .common import (LOG_FROM, N, T, Ctx, after, alarm, apigw_metrics, change, find, log, ramp, rds_metrics)

GB = 1024 ** 3


def s01():
    ctx = Ctx(101, "2026-11-28T21:30:00")
    region = "eu-west-1"
    db, host = "ledger-db", "ledger-db.c7xk2m1q9zpa.eu-west-1.rds.amazonaws.com"
    fn = L.LambdaFn("ledger-writer", "python3.12", 512, 30, region, base_mem=141)
    exp = L.LambdaFn("ledger-export", "python3.12", 1024, 300, region, base_mem=260)
    onset, bf = -1980, -19800
    inv = ctx.counts(ctx.daily(24.0, 0.15))
    bad = np.where(after(onset), ctx.rng.binomial(inv.astype(int), 0.93), 0)

    def ok(i, t, rid):
        d = float(ctx.rng.lognormal(np.log(120), 0.3))
        lines = []
        if ctx.rng.random() < 0.04:
            lines.append((0.003, "WARNING", f"duplicate message id {ctx.uuid()} skipped (idempotency key seen)"))
        lines.append((d / 1000 - 0.003, "INFO", f"posted batch b_{ctx.hex(10)}: {ctx.rng.integers(2, 40)} entries"))
        return L.Outcome(d, lines)

    def fail(i, t, rid):
        d = float(ctx.rng.lognormal(np.log(60), 0.3))
        rel = f"base/16401/2458890.{ctx.rng.integers(40, 46)}"
        exc = (f"psycopg2.errors.DiskFull: could not extend file \"{rel}\": No space left on device\n"
               "HINT:  Check free disk space.")
        frames = [("/var/task/handler.py", 47, "lambda_handler", "post_batch(conn, batch)"),
                  ("/var/task/ledger/store.py", 112, "post_batch", "cur.execute(INSERT_ENTRIES, rows)")]
        o = L.Outcome(d, [(d / 1000 - 0.006, "ERROR", f"write to {host}:5432/ledger failed, batch "
                                                     f"b_{ctx.hex(10)} will be retried by SQS")], kind="error")
        o.raw += L.py_unhandled(ctx, d / 1000 - 0.003, exc, frames)
        return o

    metrics, logs, _ = L.block(ctx, fn, inv, bad, ok, fail, cold_every=150)
    # cold starts log the connection target
    extra = [(e[0] + 0.2, f"[INFO]\t{ctx.iso(e[0] + 0.2)}\t-\tconnected to {host}:5432/ledger as ledger_app "
                          f"(sslmode=require)") for lg in logs for e in lg["events"] if e[1].startswith("INIT_START")]
    for lg in logs:
        lg["events"] = sorted(lg["events"] + [[round(t, 3), s] for t, s in extra
                                              if lg["events"][0][0] <= t <= lg["events"][-1][0]], key=lambda e: e[0])
    m2, l2, _ = L.quiet(ctx, exp, 0.5, 21000, lambda t: f"exported {ctx.rng.integers(2000, 9000)} entries to "
                                                        "s3://acme-ledger-exports/", restarts=(-2580,))
    metrics += m2
    logs += l2
    free = ramp(bf, onset, 30.6, 0.22) * GB + ctx.rng.normal(0, 0.05 * GB, N)
    free = np.where(T < bf, (30.6 + (bf - T) / 3600 * 0.15) * GB, free)
    free = np.where(T >= onset, ctx.rng.uniform(0.08, 0.26, N) * GB, free)
    cpu = 17 + ramp(bf, bf + 300, 0, 24) - ramp(onset, onset + 120, 0, 26) + ctx.rng.normal(0, 3, N)
    conns = ctx.noise(22, 2.5) + np.where(T >= onset, 9, 0)
    wlat = 0.0021 + ramp(bf, bf + 300, 0, 0.004) + ctx.rng.normal(0, 0.0004, N)
    metrics += rds_metrics(db, cpu, np.round(conns), free, ctx.noise(0.0012, 0.0002), ctx.noise(9.6 * GB, 0.1 * GB),
                           write_lat=wlat)
    ev = D.pg_checkpoints(ctx, -21600, -60, heavy=lambda t: 2.5 if bf <= t < onset else 1.0)
    etl = D.pg_client(ctx, "10.12.8.40", "etl_backfill", "ledger")
    t = bf + 5
    ev.append(D.pg(ctx, t, "LOG", "statement: INSERT INTO ledger_entries_history SELECT * FROM legacy.ledger_entries_2019 "
                               "WHERE posted_at >= '2019-01-01' AND posted_at < '2019-02-01'", etl, pid=30118))
    while t < onset - 60:
        t += float(ctx.rng.uniform(100, 160))
        ev.append(D.pg(ctx, t, "LOG", f"checkpoints are occurring too frequently ({ctx.rng.integers(9, 25)} seconds "
                                      "apart)", pid=412))
        ev.append(D.pg(ctx, t + 0.001, "HINT", "Consider increasing the configuration parameter \"max_wal_size\".", pid=412))
        if ctx.rng.random() < 0.25:
            m = ctx.rng.integers(2, 12)
            ev.append(D.pg(ctx, t + 2, "LOG", f"duration: {ctx.rng.uniform(900000, 1800000):.3f} ms  statement: INSERT "
                                              "INTO ledger_entries_history SELECT * FROM legacy.ledger_entries_2019 "
                                              f"WHERE posted_at >= '2019-{m:02d}-01' AND posted_at < '2019-{m + 1:02d}-01'",
                           etl, pid=30118))
    ev.append(D.pg(ctx, onset - 25, "ERROR", "could not extend file \"base/16401/2461044.118\": No space left on device",
                   etl, pid=30118))
    ev.append(D.pg(ctx, onset - 24.9, "HINT", "Check free disk space.", etl, pid=30118))
    for i in np.nonzero(bad)[0]:
        for _ in range(int(bad[i]) // 3):
            t = T[i] + ctx.rng.uniform(0, 60)
            who, pid = D.pg_client(ctx, f"10.12.{ctx.rng.integers(1, 4)}.{ctx.rng.integers(10, 250)}", "ledger_app",
                                   "ledger"), int(ctx.rng.integers(2000, 32000))
            ev += [D.pg(ctx, t, "ERROR", f"could not extend file \"base/16401/2458890.{ctx.rng.integers(40, 46)}\": "
                                          "No space left on device", who, pid),
                   D.pg(ctx, t + 0.0001, "HINT", "Check free disk space.", who, pid),
                   D.pg(ctx, t + 0.0002, "STATEMENT", "INSERT INTO ledger_entries (entry_id, account_id, amount_minor, "
                                                      "currency, posted_at) VALUES ($1, $2, $3, $4, $5)", who, pid)]
    for k in range(4):
        t = onset + 300 + k * 420
        ev += [D.pg(ctx, t, "ERROR", "could not extend file \"base/16401/2458890.44\": No space left on device", pid=8812 + k),
               D.pg(ctx, t + 0.001, "CONTEXT", "automatic vacuum of table \"ledger.public.ledger_entries\"", pid=8812 + k)]
    logs.append(log(f"/aws/rds/instance/{db}/postgresql", db, ev))
    al = alarm(ctx, "ledger-writer-errors", find(metrics, "Errors", FunctionName=fn.name), "Sum", 60, 3, 5,
               description="Ledger writer Lambda errors")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-01-ledger-writer-db-disk-full",
        "description": "Payments ledger postings failing; ledger-writer Errors alarm fired and the SQS backlog is growing.",
        "region": region,
        "resources": [
            {"type": "lambda", "id": fn.name, "properties": {"runtime": fn.runtime, "timeout": fn.timeout,
                                                             "memory_size": fn.memory}},
            {"type": "lambda", "id": exp.name, "properties": {"runtime": exp.runtime, "timeout": exp.timeout,
                                                              "memory_size": exp.memory}},
            {"type": "rds", "id": db, "properties": {"engine": "postgres", "engine_version": "15.7",
                                                     "instance_class": "db.r6g.large", "allocated_storage_gb": 200,
                                                     "max_connections": 1600}},
        ],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-2580, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                           exp.name, "ci-deployer")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                   "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": db}},
                                 {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn.name}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "storage_exhaustion", "resources": [db],
            "decoys": "ledger-export (other function) deployed 10 min before onset; duplicate-message WARNING at a "
                      "constant rate; the function has no DB setting, the database is named only in log lines",
            "story": "An ETL user started a backfill of 2019 ledger history into ledger-db five and a half hours "
                     "earlier (frequent-checkpoint warnings, multi-minute INSERT ... SELECT statements). "
                     "FreeStorageSpace fell from ~30 GB to near zero; from then on every insert fails with "
                     "`could not extend file ...: No space left on device`. ledger-writer, whose only link to the "
                     "database is the host name in its log lines, fails ~93 % of invocations."}
    return scenario, meta


def s11():
    ctx = Ctx(1111, "2026-11-25T11:45:00")
    region = "ap-south-1"
    db, host = "catalog-mysql", "catalog-mysql.cq8xk1v0m2ab.ap-south-1.rds.amazonaws.com"
    fn = L.LambdaFn("product-search", "python3.12", 512, 10, region, base_mem=126)
    api = "storefront-api"
    onset = -2700
    inv = ctx.counts(ctx.daily(22.0, 0.25, phase=-0.6))
    slow = after(onset)
    bad = np.where(slow, ctx.rng.binomial(inv.astype(int), 0.2), 0)

    def ok(i, t, rid):
        q = ctx.rng.choice(["kurta", "saree", "sneakers", "earbuds", "pressure cooker", "backpack", "smartwatch"])
        d = float(ctx.rng.lognormal(np.log(4200 if slow[i] else 95), 0.35))
        d = min(d, 7900)
        lines = []
        if ctx.rng.random() < 0.05:
            lines.append((0.002, "WARNING", "Deprecated query param 'sort_by' used by client android/7.4.1"))
        if d > 1500:
            lines.append((d / 1000 - 0.01, "WARNING", f"slow query {d - 20:.0f} ms: search q='{q}' page=1"))
        lines.append((d / 1000 - 0.004, "INFO", f"search q='{q}' hits={ctx.rng.integers(0, 400)} took={d:.0f}ms"))
        return L.Outcome(d, lines)

    def fail(i, t, rid):
        d = 8000 + float(ctx.rng.uniform(5, 60))
        if ctx.rng.random() < 0.85:
            exc = ("pymysql.err.OperationalError: (3024, 'Query execution was interrupted, maximum statement "
                   "execution time exceeded')")
        else:
            d = float(ctx.rng.uniform(3000, 7000))
            exc = "pymysql.err.OperationalError: (2013, 'Lost connection to MySQL server during query')"
        frames = [("/var/task/app.py", 33, "handler", "rows = search(q, page)"),
                  ("/var/task/search.py", 58, "search", "cur.execute(SEARCH_SQL, (q, q, limit, offset))"),
                  ("/opt/python/pymysql/cursors.py", 153, "execute", "result = self._query(query)")]
        o = L.Outcome(d, [], kind="error")
        o.raw += L.py_unhandled(ctx, d / 1000 - 0.003, exc, frames)
        return o

    metrics, logs, errors = L.block(ctx, fn, inv, bad, ok, fail, restarts=(-6000,))
    dur = np.array([p[1] for p in find(metrics, "Duration", FunctionName=fn.name)["points"]])
    e4 = ctx.counts(0.5)
    metrics += apigw_metrics(api, inv + e4, e4, errors + ctx.counts(0.01), dur + 22)
    cpu = np.where(slow, ctx.rng.uniform(96, 100, N), ctx.noise(24, 4))
    cpu = np.where((T >= onset) & (T < onset + 120), 70, cpu)
    conns = np.round(np.where(slow, ctx.noise(58, 5), ctx.noise(21, 3)))
    metrics += rds_metrics(db, cpu, conns, ctx.noise(142 * GB, 0.05 * GB), np.where(slow, ctx.noise(0.011, 0.003),
                           ctx.noise(0.0009, 0.0002)), ctx.noise(3.1 * GB, 0.05 * GB))
    slowlog = []
    for t in np.arange(LOG_FROM, -60, 60):
        if ctx.rng.random() < 0.08:
            slowlog.append(D.mysql_slow(ctx, t + ctx.rng.uniform(0, 60), "catalog_app", "10.30.4.19",
                                        ctx.rng.uniform(1.0, 1.6), 48, 210331,
                                        "SELECT id, title, price FROM products WHERE MATCH(title, tags) AGAINST "
                                        "('wireless earbuds' IN NATURAL LANGUAGE MODE) LIMIT 48 OFFSET 0;", "catalog"))
        if t >= onset:
            q = ctx.rng.uniform(38, 95)
            slowlog.append(D.mysql_slow(ctx, t + q, "bi_reader", "10.30.9.14", q, 1200, int(ctx.rng.uniform(4.6e7, 5.1e7)),
                                        "SELECT p.category_id, p.brand, COUNT(*) AS views, SUM(o.qty) AS units FROM "
                                        "product_views v JOIN products p ON p.id = v.product_id LEFT JOIN order_items o "
                                        "ON o.product_id = p.id AND o.created_at >= NOW() - INTERVAL 30 DAY WHERE "
                                        "LOWER(p.title) LIKE '%diwali%' GROUP BY p.category_id, p.brand ORDER BY "
                                        "units DESC;", "catalog"))
            for _ in range(ctx.rng.poisson(4)):
                q = ctx.rng.uniform(2.5, 8.0)
                slowlog.append(D.mysql_slow(ctx, t + ctx.rng.uniform(0, 60), "catalog_app", "10.30.4.19", q, 48,
                                            210331, "SELECT id, title, price FROM products WHERE MATCH(title, tags) "
                                            "AGAINST ('kurta' IN NATURAL LANGUAGE MODE) LIMIT 48 OFFSET 0;", "catalog"))
    logs.append(log(f"/aws/rds/instance/{db}/slowquery", db, slowlog))
    err = [D.mysql_err(ctx, t + ctx.rng.uniform(0, 600), "Note", "MY-010914",
                       f"Aborted connection {ctx.rng.integers(10000, 99999)} to db: 'catalog' user: 'catalog_app' host: "
                       f"'10.30.4.{ctx.rng.integers(10, 60)}' (Got an error reading communication packets).",
                       int(ctx.rng.integers(100, 999))) for t in np.arange(LOG_FROM, -600, 600)]
    logs.append(log(f"/aws/rds/instance/{db}/error", db, err))
    al = alarm(ctx, "storefront-api-latency", find(metrics, "Latency", ApiName=api), "Average", 60, 3, 2000,
               description="Storefront API average latency above 2 s")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-11-search-latency-catalog-db-cpu",
        "description": "Storefront search very slow in the app (Diwali sale week); storefront-api latency alarm fired.",
        "region": region,
        "resources": [
            {"type": "apigateway", "id": api, "properties": {"stage": "prod", "integration": f"lambda:{fn.name}"}},
            {"type": "lambda", "id": fn.name, "properties": {"runtime": fn.runtime, "timeout": fn.timeout,
                                                             "memory_size": fn.memory,
                                                             "environment": {"DB_HOST": host, "DB_NAME": "catalog",
                                                                             "DB_USER": "catalog_app"}}},
            {"type": "rds", "id": db, "properties": {"engine": "mysql", "engine_version": "8.0.39",
                                                     "instance_class": "db.m6g.large", "allocated_storage_gb": 200,
                                                     "max_connections": 683}},
        ],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-6000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                           fn.name, "github-actions")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "cpu_saturation", "resource": [db]},
                   "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": db}},
                                 {"namespace": "AWS/ApiGateway", "name": "Latency", "dimensions": {"ApiName": api}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "cpu_saturation", "resources": [db],
            "decoys": "product-search deployed 55 min before onset (clean in between); constant pre-existing slow "
                      "queries and 'Aborted connection' notes; deprecated-param WARNING at a constant rate",
            "story": "A BI dashboard (user bi_reader) began refreshing a 30-day sales report every minute against "
                     "the production catalog database: a `LIKE '%diwali%'` scan joining 50 M rows. Each run takes "
                     "40-90 s and they overlap, pinning catalog-mysql CPU at 96-100 %. Search queries slow from ~0.1 s "
                     "to 4 s, some hit MAX_EXECUTION_TIME (error 3024), and API latency crosses 2 s. The function and "
                     "API are victims; the saturated database is the origin."}
    return scenario, meta


def s16():
    ctx = Ctx(1616, "2026-11-19T15:10:00")
    region = "ca-central-1"
    db, host = "members-db", "members-db.c1n5zq8r4kde.ca-central-1.rds.amazonaws.com"
    fn = L.LambdaFn("enrollment-api", "python3.11", 512, 15, region, base_mem=112)
    onset = -2100
    inv = ctx.counts(ctx.daily(26.0, 0.2, phase=-0.3))
    bad = np.where(after(onset), ctx.rng.binomial(inv.astype(int), 0.64), 0)
    ses = "SES SendEmail throttled (Maximum sending rate exceeded.), retry 1/3"

    def ok(i, t, rid):
        d = float(ctx.rng.lognormal(np.log(75), 0.3))
        lines = []
        if ctx.rng.random() < 0.04:
            lines.append((0.01, "WARNING", ses))
            d += 400
        lines.append((d / 1000 - 0.004, "INFO", f"{ctx.rng.choice(['GET /plans', 'GET /members/me', 'POST /enrollments'])}"
                                                f" -> 200 member=m_{ctx.hex(8)}"))
        return L.Outcome(d, lines)

    def fail(i, t, rid):
        d = 4000 + float(ctx.rng.uniform(8, 80))
        frames = [("/var/task/app.py", 72, "handler", "return routes[route](event, conn)"),
                  ("/var/task/enroll/handlers.py", 140, "create_enrollment", "cur.execute(INSERT_ENROLLMENT, params)")]
        o = L.Outcome(d, [(0.003, "INFO", f"POST /enrollments plan={ctx.rng.choice(['gold', 'silver', 'family'])}")],
                      kind="error")
        o.raw += L.py_unhandled(ctx, d / 1000 - 0.003, "psycopg2.errors.LockNotAvailable: canceling statement due to "
                                                        "lock timeout", frames)
        return o

    metrics, logs, _ = L.block(ctx, fn, inv, bad, ok, fail)
    cpu = ctx.noise(15, 3) + np.where(after(onset), 22, 0)
    conns = np.round(ctx.noise(41, 3) + np.where(after(onset), ramp(onset, onset + 240, 0, 32), 0))
    free = (118.4 - ramp(onset, -60, 0, 5.8)) * GB + ctx.rng.normal(0, 0.02 * GB, N)
    metrics += rds_metrics(db, cpu, conns, free, ctx.noise(0.0011, 0.0002), ctx.noise(5.2 * GB, 0.05 * GB),
                           write_lat=ctx.noise(0.0019, 0.0003) + np.where(after(onset), 0.0068, 0))
    ev = D.pg_checkpoints(ctx, -21600, -60)
    dba = D.pg_client(ctx, "10.40.1.20", "dba_maria", "members")
    ev.append(D.pg(ctx, onset, "LOG", "statement: ALTER TABLE enrollments ALTER COLUMN member_id TYPE bigint;", dba,
                   pid=27104))
    for i in np.nonzero(bad)[0]:
        for _ in range(int(bad[i]) // 3):
            t, pid = T[i] + ctx.rng.uniform(0, 56), int(ctx.rng.integers(2000, 32000))
            who = D.pg_client(ctx, f"10.40.{ctx.rng.integers(8, 11)}.{ctx.rng.integers(10, 250)}", "enroll_app", "members")
            stmt = "INSERT INTO enrollments (member_id, plan_code, starts_on, channel) VALUES ($1, $2, $3, 'web')"
            ev += [D.pg(ctx, t + 1.0, "LOG", f"process {pid} still waiting for RowExclusiveLock on relation 16433 of "
                                             f"database 16401 after {1000 + ctx.rng.uniform(0.05, 0.4):.3f} ms", who, pid),
                   D.pg(ctx, t + 1.0001, "DETAIL", f"Process holding the lock: 27104. Wait queue: {pid}.", who, pid),
                   D.pg(ctx, t + 1.0002, "STATEMENT", stmt, who, pid),
                   D.pg(ctx, t + 4.0, "ERROR", "canceling statement due to lock timeout", who, pid),
                   D.pg(ctx, t + 4.0001, "STATEMENT", stmt, who, pid)]
    logs.append(log(f"/aws/rds/instance/{db}/postgresql", db, ev))
    al = alarm(ctx, "enrollment-api-errors", find(metrics, "Errors", FunctionName=fn.name), "Sum", 60, 3, 8,
               description="Enrollment API Lambda errors")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-16-enrollment-table-lock",
        "description": "Open-enrollment week: members cannot submit enrollments; enrollment-api Errors alarm is firing.",
        "region": region,
        "resources": [
            {"type": "lambda", "id": fn.name, "properties": {"runtime": fn.runtime, "timeout": fn.timeout,
                                                             "memory_size": fn.memory,
                                                             "environment": {"DB_HOST": host, "DB_NAME": "members",
                                                                             "PG_LOCK_TIMEOUT": "4s"}}},
            {"type": "rds", "id": db, "properties": {"engine": "postgres", "engine_version": "16.4",
                                                     "instance_class": "db.r6g.xlarge", "allocated_storage_gb": 250,
                                                     "max_connections": 400}},
        ],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-2400, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "dba_maria")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "dependency_failure", "resource": [db]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn.name}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "dependency_failure", "resources": [db],
            "decoys": "manual CreateDBSnapshot on the database 5 min before onset; SES 'throttled' WARNING at a constant "
                      "rate; DB connections rise but stay far below max_connections",
            "story": "A DBA ran `ALTER TABLE enrollments ALTER COLUMN member_id TYPE bigint` during business hours. "
                     "The table rewrite holds an ACCESS EXCLUSIVE lock; every enrollment write waits (log_lock_waits "
                     "lines naming holder pid 27104) and is cancelled by the app's 4 s lock_timeout "
                     "(`LockNotAvailable: canceling statement due to lock timeout`). The database is not out of any "
                     "resource; it is an unavailable dependency for the function. The snapshot taken just before "
                     "is harmless."}
    return scenario, meta
