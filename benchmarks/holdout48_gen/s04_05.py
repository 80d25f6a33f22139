"""Scenarios 04-06: RDS parameter-group statement_timeout, RDS storage full, migration lock on Aurora."""
import json

from .common import Ctx, Scenario, grid, diurnal, ramp
from .lam import Fn, drive, drive_async, apigw
from .rds import rds_metrics, pg, pg_background
from .s01_03 import ln, noise

ROLLUP_SQL = ("INSERT INTO ledger_daily_rollup (account_id, day, debit, credit) SELECT account_id, "
              "date_trunc('day', posted_at), sum(debit), sum(credit) FROM ledger_entries WHERE posted_at >= $1 "
              "AND posted_at < $2 GROUP BY 1, 2 ON CONFLICT (account_id, day) DO UPDATE SET debit = EXCLUDED.debit, "
              "credit = EXCLUDED.credit")
TB_SQL = ("SELECT a.code, a.name, sum(e.debit) AS debit, sum(e.credit) AS credit FROM ledger_entries e JOIN accounts a "
          "ON a.id = e.account_id WHERE e.posted_at < $1 GROUP BY a.code, a.name ORDER BY a.code")


def s04():
    c = Ctx(4804)
    sc = Scenario(c, "h48-04-reports-statement-timeout", "eu-central-1",
                  "Ledger rollup batch failing and some finance reports erroring; ledger-rollup Errors alarm.")
    T, CHG = grid(6), -3300
    sc.res("rds", "reports-db", engine="postgres", engine_version="15.6", instance_class="db.r6g.xlarge",
           parameter_group="reports-pg15-params", max_connections=3400, allocated_storage_gb=1000)
    sc.res("lambda", "ledger-rollup", runtime="python3.12", memory_size=1024, timeout=300,
           schedule="rate(10 minutes)")
    sc.res("lambda", "reports-api", runtime="python3.12", memory_size=1024, timeout=29)
    sc.res("apigateway", "finance-reports-api", stage="prod", integration="reports-api")
    sc.change(-6600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "reports-api", "ci-deployer")
    sc.change(CHG, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "reports-pg15-params", "dba.kwalczak")
    PGLIVE = CHG + 7
    pglog, host_r, host_a = [], c.ip("10.40"), c.ip("10.40")
    pglog += pg_background(c, -21600, 0, ["public.ledger_entries", "public.report_cache", "public.accounts"])
    pglog += [(PGLIVE, pg(c, PGLIVE, "LOG", "received SIGHUP, reloading configuration files", 411)),
              (PGLIVE + 0.01, pg(c, PGLIVE + 0.01, "LOG", "parameter \"statement_timeout\" changed to \"5000\"", 411))]

    def pg_cancel(t, sql, host, user):
        pid = c.r.randint(12000, 32000)
        pglog.append((t, pg(c, t, "ERROR", "canceling statement due to statement timeout", pid, host, user, "ledger")))
        pglog.append((t + 0.001, pg(c, t + 0.001, "STATEMENT", sql, pid, host, user, "ledger")))

    fn = Fn(sc, "ledger-rollup", "python3.12", 1024, 300, log_from=-10800)
    run_cpu = {}

    def spec(t, cold, rid, attempt, ev):
        w0 = c.stamp(t - 600 - (t % 600), "%Y-%m-%dT%H:%M:00Z")
        w1 = c.stamp(t - (t % 600), "%Y-%m-%dT%H:%M:00Z")
        lines = [(3, "INFO", "rollup window %s .. %s attempt=%d" % (w0, w1, attempt))]
        if t > PGLIVE:
            d = 5000 + ln(c, 160, 0.3)
            pg_cancel(t + 5.02, ROLLUP_SQL, host_r, "rollup")
            tb = ('  File "/var/task/rollup/handler.py", line 31, in lambda_handler\n    stats = job.run(window)\n'
                  '  File "/var/task/rollup/job.py", line 88, in run\n    cur.execute(ROLLUP_SQL, (start, end))\n'
                  'psycopg2.errors.QueryCanceled: canceling statement due to statement timeout')
            lines += [(d - 30, "ERROR", "rollup failed for window %s .. %s\nTraceback (most recent call last):\n%s"
                       % (w0, w1, tb))]
            lines += [(d - 2 + i, lvl, msg) for i, (lvl, msg) in
                      enumerate(fn.unhandled("QueryCanceled", "canceling statement due to statement timeout", tb))]
            return {"duration": d, "outcome": "error", "mem": c.r.randint(150, 170), "lines": lines}
        q1, q2 = ln(c, 31000, 0.2), ln(c, 12500, 0.2)
        run_cpu[t - (t % 60)] = (q1 + q2) / 1000
        lines += [(q1, "INFO", "upserted %d account-day rows in %.1fs" % (c.r.randint(38000, 52000), q1 / 1000)),
                  (q1 + q2, "INFO", "refreshed materialized view mv_account_balances in %.1fs" % (q2 / 1000)),
                  (q1 + q2 + 40, "INFO", "rollup done")]
        return {"duration": q1 + q2 + 60, "mem": c.r.randint(150, 175), "lines": lines}

    drive_async(fn, [t + 2.5 + c.r.random() for t in T if t % 600 == 0], spec)
    fn.flush_logs()
    fn.emit_metrics(T)

    api = Fn(sc, "reports-api", "python3.12", 1024, 29, log_from=-10800)
    api.prewarm(T[0], 2)
    api.reconfigure(-6598)

    def aspec(t, cold, rid):
        r = c.r.random()
        if r < 0.22:
            per = c.r.choice(["2026-02", "2026-03", "2025-12", "2025-Q4"])
            q = ln(c, 6200, 0.35)
            lines = [(2, "INFO", "GET /v1/reports/trial-balance?period=%s entity=%s" % (per, c.r.choice(["DE01", "AT02", "CH01"])))]
            if c.r.random() < 0.3:
                pid = c.r.randint(12000, 32000)
                pglog.append((t + 0.2, pg(c, t + 0.2, "ERROR", "duplicate key value violates unique constraint \"report_cache_pkey\"", pid, host_a, "reports", "ledger")))
                pglog.append((t + 0.201, pg(c, t + 0.201, "DETAIL", "Key (cache_key)=(tb:%s:EUR) already exists." % per, pid, host_a, "reports", "ledger")))
                lines.append((210, "WARN", "report cache write raced for tb:%s:EUR, ignoring" % per))
            if t > PGLIVE and q > 5000:
                pg_cancel(t + 5.1, TB_SQL, host_a, "reports")
                return {"duration": 5150, "status": 500, "mem": c.r.randint(180, 240), "lines": lines + [
                    (5120, "ERROR", "trial balance query failed: canceling statement due to statement timeout\n"
                                    "Traceback (most recent call last):\n  File \"/var/task/reports/trial_balance.py\", "
                                    "line 54, in build\n    cur.execute(TB_SQL, (cutoff,))\n"
                                    "psycopg2.errors.QueryCanceled: canceling statement due to statement timeout"),
                    (5140, "INFO", "500 GET /v1/reports/trial-balance")]}
            return {"duration": q + 90, "mem": c.r.randint(180, 260),
                    "lines": lines + [(q + 80, "INFO", "200 GET /v1/reports/trial-balance %dms" % (q + 90))]}
        d = ln(c, 85, 0.35)
        acc = c.digits(6)
        return {"duration": d, "mem": c.r.randint(140, 170), "lines": [
            (2, "INFO", "GET /v1/reports/account/%s" % acc), (d - 1, "INFO", "200 GET /v1/reports/account/%s %dms" % (acc, d))]}

    drive(api, T, lambda t: 9 * diurnal(t, 0.25, 0.35), aspec)
    api.flush_logs()
    api.emit_metrics(T)
    apigw(sc, "finance-reports-api", T, [api])
    cpu = []
    for t in T:
        busy = min(1.0, run_cpu.get(t - (t % 600) + 0, 0) / 60.0) if t < PGLIVE else 0.0
        phase = (t % 600) / 60.0
        load = 1.0 if (t < PGLIVE and phase < 0.8) else 0.0
        cpu.append(24 + 27 * load * (0.6 + 0.4 * busy) + c.gauss(0, 2.0))
    rds_metrics(sc, "reports-db", T, {
        "CPUUtilization": cpu,
        "DatabaseConnections": [round(31 + c.gauss(0, 2.5)) for t in T],
        "FreeStorageSpace": [612e9 - (t + 21600) * 2100 + c.gauss(0, 5e7) for t in T],
        "FreeableMemory": noise(c, T, 14.8e9, 1e8),
        "ReadIOPS": [max(50, 400 + (c0 - 24) * 95 + c.gauss(0, 40)) for c0 in cpu],
        "ReadLatency": noise(c, T, 0.0014, 0.0002, 0.0004),
        "WriteLatency": noise(c, T, 0.0021, 0.0003, 0.0005)})
    sc.log("/aws/rds/instance/reports-db/postgresql", "reports-db.0", pglog)
    sc.alarm("ledger-rollup-errors", "AWS/Lambda", "Errors", {"FunctionName": "ledger-rollup"}, "Sum", 600, 1, 0,
             "GreaterThanThreshold", "Ledger rollup batch failed")
    sc.set_expect("ledger-rollup-errors", "config_change", ["reports-db", "reports-pg15-params"], [
        ("AWS/Lambda", "Errors", {"FunctionName": "ledger-rollup"}),
        ("AWS/ApiGateway", "5XXError", {"ApiName": "finance-reports-api"})])
    return sc, {
        "alarm_on": "front (batch Lambda; origin is the DB parameter group / instance)",
        "decoys": "reports-api code deploy 1h50m earlier; steady duplicate-key `report_cache_pkey` errors in the "
                  "PostgreSQL log and matching WARNs before and after",
        "story": "A DBA modified the reports-pg15-params parameter group 55 minutes ago; the PostgreSQL log shows "
                 "the SIGHUP reload and `parameter \"statement_timeout\" changed to \"5000\"`. The 10-minute "
                 "ledger-rollup batch, whose upsert normally runs ~30 s, now fails at 5 s with "
                 "`QueryCanceled: canceling statement due to statement timeout` (and its async retries too); the "
                 "heavy trial-balance reports on reports-api return 500 the same way while light endpoints are fine. "
                 "The database is not overloaded and nothing was deployed to the batch: a configuration change "
                 "(database parameter) right before onset is config_change, originating at the DB (instance or "
                 "parameter group)."}


# --------------------------------------------------------------------------------------------
def s05():
    c = Ctx(4805)
    sc = Scenario(c, "h48-05-orders-pg-storage-full", "us-east-1",
                  "Storefront order placement failing with 500s; API 5XX alarm. Order lookups still work.")
    T = grid(6)
    FULL = -1750
    GB = 1024 ** 3
    sc.res("rds", "orders-pg", engine="postgres", engine_version="16.3", instance_class="db.m6g.large",
           allocated_storage_gb=200, storage_autoscaling=False, max_connections=800, storage_type="gp3")
    sc.res("lambda", "orders-writer", runtime="nodejs20.x", memory_size=512, timeout=15)
    sc.res("lambda", "storefront-search", runtime="nodejs20.x", memory_size=1024, timeout=10)
    sc.res("apigateway", "storefront-api", stage="prod", integration="orders-writer")
    sc.change(-2100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "storefront-search", "ci-deployer")
    free, wal, lag = [], [], []
    for t in T:
        used = 38.5 * GB * ramp(t, -21600, 21600 + FULL) ** 1.15
        f = max(0.0, 38.5 * GB - used) if t < FULL else c.r.uniform(0, 6e6)
        free.append(f + (c.gauss(0, 2e7) if t < FULL - 600 else 0))
        wal.append(118 * GB + (38.5 * GB - f))
        lag.append(121 * GB + (38.5 * GB - f) + c.gauss(0, 5e6))
    pglog = pg_background(c, -21600, FULL, ["public.orders", "public.order_items", "public.inventory_holds"])
    t = -21600 + c.r.uniform(0, 400)
    while t < 0:
        pid = c.r.randint(10000, 30000)
        pglog.append((t, pg(c, t, "LOG", "could not receive data from client: Connection reset by peer", pid,
                            c.ip("10.0"), "app", "orders")))
        t += c.r.uniform(300, 900)
    relfile = "base/16401/1247891.%d" % c.r.randint(11, 19)

    fn = Fn(sc, "orders-writer", "nodejs20.x", 512, 15, log_from=-7800)
    fn.prewarm(T[0], 3)

    def spec(t, cold, rid):
        if c.r.random() < 0.58:
            oid = "o_%s" % c.hex(10)
            d = ln(c, 38, 0.35)
            return {"duration": d, "mem": c.r.randint(96, 118), "lines": [
                (1, "INFO", "GET /v1/orders/%s" % oid), (d - 1, "INFO", "200 GET /v1/orders/%s %dms" % (oid, d))]}
        cart = "c_%s" % c.hex(10)
        lines = [(1, "INFO", "POST /v1/orders cart=%s items=%d" % (cart, c.r.randint(1, 6)))]
        if t >= FULL:
            pid = c.r.randint(10000, 30000)
            rf = relfile if c.r.random() < 0.7 else "base/16401/1248003.2"
            pglog.append((t + 0.03, pg(c, t + 0.03, "ERROR", "could not extend file \"%s\": No space left on device" % rf,
                                       pid, c.ip("10.0"), "app", "orders")))
            pglog.append((t + 0.031, pg(c, t + 0.031, "HINT", "Check free disk space.", pid, c.ip("10.0"), "app", "orders")))
            pglog.append((t + 0.032, pg(c, t + 0.032, "STATEMENT", "INSERT INTO orders (id, cart_id, customer_id, "
                                        "total_cents, currency, status) VALUES ($1, $2, $3, $4, $5, 'PLACED')", pid,
                                        c.ip("10.0"), "app", "orders")))
            err = ("failed to create order for cart %s error: could not extend file \"%s\": No space left on device\n"
                   "    at /var/task/node_modules/pg-pool/index.js:45:11\n"
                   "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n"
                   "    at async OrdersRepo.insert (/var/task/src/orders-repo.js:52:5)\n"
                   "    at async createOrder (/var/task/src/handlers/create-order.js:31:19) {\n"
                   "  length: 156,\n  severity: 'ERROR',\n  code: '53100',\n  detail: undefined,\n"
                   "  hint: 'Check free disk space.',\n  file: 'md.c',\n  line: '504',\n  routine: 'mdextend'\n}"
                   % (cart, rf))
            d = ln(c, 45, 0.3)
            return {"duration": d, "status": 500, "mem": c.r.randint(96, 118),
                    "lines": lines + [(d - 3, "ERROR", err), (d - 1, "INFO", "500 POST /v1/orders %dms" % d)]}
        d = ln(c, 72, 0.3)
        oid = "o_%s" % c.hex(10)
        return {"duration": d, "status": 201, "mem": c.r.randint(96, 118),
                "lines": lines + [(d - 1, "INFO", "201 POST /v1/orders %s %dms" % (oid, d))]}

    drive(fn, T, lambda t: 26 * diurnal(t, 0.15, 0.45), spec)
    fn.flush_logs()
    fn.emit_metrics(T)
    apigw(sc, "storefront-api", T, [fn])
    sr = Fn(sc, "storefront-search", "nodejs20.x", 1024, 10, log_from=-7800)
    sr.prewarm(T[0], 2)
    sr.reconfigure(-2098)

    def sspec(t, cold, rid):
        q = c.r.choice(["running shoes", "rain jacket", "yoga mat", "trail socks", "kids helmet", "tent 2p"])
        d = ln(c, 140, 0.3)
        return {"duration": d, "mem": c.r.randint(180, 210), "lines": [
            (1, "INFO", "search q=\"%s\" page=1" % q), (d - 1, "INFO", "search returned %d hits in %dms" % (c.r.randint(0, 240), d))]}

    drive(sr, T, lambda t: 10 * diurnal(t, 0.15, 0.45), sspec)
    sr.flush_logs()
    sr.emit_metrics(T)
    writes = [fn.stats.get(t, {}).get("n", 0) for t in T]
    rds_metrics(sc, "orders-pg", T, {
        "CPUUtilization": noise(c, T, 21, 2.0, f=lambda t: diurnal(t, 0.15, 0.45)),
        "DatabaseConnections": [round(44 + c.gauss(0, 3)) for t in T],
        "FreeStorageSpace": free,
        "TransactionLogsDiskUsage": wal,
        "OldestReplicationSlotLag": lag,
        "FreeableMemory": [2.9e9 - 3.5e8 * ramp(t, -12000, 300) * (1 - ramp(t, -10800, 300)) + c.gauss(0, 3e7) for t in T],
        "WriteIOPS": [max(5, (w * 9 if t < FULL else w * 1.5) + 140 + c.gauss(0, 15)) for t, w in zip(T, writes)],
        "WriteLatency": noise(c, T, 0.0024, 0.0004, 0.0006),
        "ReadLatency": noise(c, T, 0.0009, 0.0002, 0.0002)})
    sc.log("/aws/rds/instance/orders-pg/postgresql", "orders-pg.0", pglog)
    sc.alarm("orders-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "orders-pg"}, "Average",
             300, 3, 80, "GreaterThanThreshold", expect_state="OK")
    sc.alarm("storefront-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "storefront-api"}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "Storefront API 5XX")
    sc.set_expect("storefront-api-5xx", "storage_exhaustion", ["orders-pg"], [
        ("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "orders-pg"}),
        ("AWS/ApiGateway", "5XXError", {"ApiName": "storefront-api"})])
    return sc, {
        "alarm_on": "front (API Gateway; origin is the RDS instance)",
        "decoys": "storefront-search deploy 35 min ago (healthy); a FreeableMemory dip 3 h ago; steady "
                  "`Connection reset by peer` lines in the PostgreSQL log; orders-pg CPU alarm (OK)",
        "story": "A logical replication slot left behind by a stopped CDC task keeps WAL from being recycled: "
                 "TransactionLogsDiskUsage and OldestReplicationSlotLag climb all day and FreeStorageSpace on "
                 "orders-pg (200 GB, no storage autoscaling) reaches zero 29 minutes ago. From then on every "
                 "order INSERT fails with `could not extend file ...: No space left on device` (SQLSTATE 53100); "
                 "orders-writer catches it and returns 500, so the Lambda Errors metric stays flat while API "
                 "Gateway 5XX fires. Reads keep working. Storage full on the database: storage_exhaustion on "
                 "orders-pg."}
