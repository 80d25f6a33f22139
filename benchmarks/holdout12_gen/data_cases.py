"""Database-side incidents: parameter-group change, degraded storage, connection leak."""
from __future__ import annotations

import numpy as np

from .common import LOG_FROM, N, TS, Scenario, alarm, change, counts, daily, gauss, idx, lognorm, ramp, step
from .services import lambda_logs, lambda_set, pg_checkpoints, pg_line, py_error, py_info, py_warn, rds_set


def _binom(rng, inv, p):
    return np.array([rng.binomial(int(n), float(min(1, max(0, q)))) for n, q in zip(inv, np.broadcast_to(p, (N,)))], float)


def s04_ledger_statement_timeout() -> Scenario:
    s = Scenario("h12-04-ledger-db-parameter-group", "ap-southeast-2",
                 "Nightly ledger reconciliation failing; ledger-reconciler Errors alarm.", 1204)
    rng = s.rng
    s.resource("rds", "ledger-db", engine="postgres", instance_class="db.r6g.large", max_connections=400, allocated_storage_gb=500)
    s.resource("lambda", "ledger-reconciler", runtime="python3.12", timeout=300, memory_size=1024)
    s.resource("lambda", "ledger-ingest", runtime="python3.12", timeout=30, memory_size=512)
    chg = -2280
    inv = counts(rng, 5.0)
    p = 0.62 * step(chg + 120)
    err = _binom(rng, inv, p)
    dur = lognorm(rng, 4200, 0.15) * (1 - 0.6 * p)
    m = lambda_set(s, "ledger-reconciler", inv, err, dur=dur)
    host = "ledger-db.cx81kq0wz3.ap-southeast-2.rds.amazonaws.com"
    pgev = pg_checkpoints(s, "ledger-db")

    def body(rng, t, r, failed, i):
        batch = f"b{rng.integers(10**5, 10**6)}"
        lines = [(0.0, py_info(r, f"Reconciling batch {batch} against {host}"))]
        if failed:
            d = float(rng.uniform(1000, 1150))
            lines.append((d / 1000, py_error(r, "psycopg2.errors.QueryCanceled: canceling statement due to statement timeout\n"
                          "Traceback (most recent call last):\n  File \"/var/task/reconcile.py\", line 77, in handler\n"
                          "    cur.execute(MATCH_SQL, (batch_id,))\npsycopg2.errors.QueryCanceled: canceling statement due to statement timeout")))
            pgev.append((t + d / 1000, pg_line(t + d / 1000, f"10.20.4.{rng.integers(10, 60)}({rng.integers(30000, 60000)})",
                         "reconciler@ledger", int(rng.integers(2000, 30000)), "ERROR", "canceling statement due to statement timeout")))
            pgev.append((t + d / 1000 + 0.001, pg_line(t + d / 1000, f"10.20.4.{rng.integers(10, 60)}({rng.integers(30000, 60000)})",
                         "reconciler@ledger", int(rng.integers(2000, 30000)), "STATEMENT",
                         "SELECT e.id, e.amount, s.amount FROM entries e JOIN settlements s ON s.ref = e.ref WHERE e.batch_id = $1")))
            return lines, d + 60, rng.integers(180, 220), None
        d = float(rng.lognormal(np.log(4200), 0.15))
        lines.append((d / 1000, py_info(r, f"Batch {batch} matched={rng.integers(800, 5000)} unmatched={rng.integers(0, 4)}")))
        return lines, d, rng.integers(200, 260), None

    lambda_logs(s, "ledger-reconciler", inv, err, 1024, body)
    # ledger-ingest: busy, a constant trickle of unique-violation errors it has always logged
    inv2 = counts(rng, daily(rng, 24))
    err2 = counts(rng, 0.4)
    lambda_set(s, "ledger-ingest", inv2, err2, dur_ms=65)

    def body2(rng, t, r, failed, i):
        if failed:
            pgev.append((t + 0.03, pg_line(t + 0.03, "10.20.5.17(41822)", "ingest@ledger", int(rng.integers(2000, 30000)), "ERROR",
                         'duplicate key value violates unique constraint "entries_ext_id_key"')))
            return [(0.03, py_error(r, 'psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "entries_ext_id_key"'))], 40.0, 110, None
        return [(0.05, py_info(r, f"Inserted {rng.integers(1, 40)} entries"))], float(rng.lognormal(np.log(65), 0.2)), rng.integers(105, 115), None

    lambda_logs(s, "ledger-ingest", inv2, err2, 512, body2)
    pgev.append((chg + 40, pg_line(chg + 40, "", "@", 412, "LOG", "received SIGHUP, reloading configuration files")))
    pgev.append((chg + 40.01, pg_line(chg + 40, "", "@", 412, "LOG", 'parameter "statement_timeout" changed to "1000"')))
    s.log("/aws/rds/instance/ledger-db/postgresql", "ledger-db.0", [e for e in pgev if e[0] >= -21600])
    cpu = gauss(rng, 24, 2.5) - 6 * step(chg + 120)
    rds_set(s, "ledger-db", cpu=cpu, conn_base=42, storage_free=310, mem_free=5.2)
    s.changes += [change(chg, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "ledger-pg15", "dba.priya"),
                  change(-4500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "ledger-ingest", "github-actions")]
    s.alarms.append(alarm("ledger-reconciler-errors", m["Errors"], "Sum", 300, 1, 5))
    s.expect = {"alarm": "ledger-reconciler-errors", "root_cause": {"category": "config_change", "resource": ["ledger-db", "ledger-pg15"]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "ledger-reconciler"}}]}
    s.meta = dict(front=True, decoys="ledger-ingest deploy 75 min earlier; ledger-ingest unique-violation errors at a constant rate; DB CPU dips as an effect",
                  story="A DBA lowered `statement_timeout` to 1000 ms in the `ledger-pg15` parameter group of ledger-db "
                        "(ModifyDBParameterGroup; postgres logs the SIGHUP reload). The reconciler's multi-second matching "
                        "queries are now cancelled (`canceling statement due to statement timeout`). ledger-ingest's constant "
                        "duplicate-key errors and its earlier deploy are unrelated; DB CPU falls because work is cancelled.")
    return s


def s05_catalog_db_degraded() -> Scenario:
    s = Scenario("h12-05-catalog-db-io-stall", "us-east-1",
                 "Catalog reads failing; catalog-api Errors alarm.", 1205)
    rng = s.rng
    s.resource("rds", "catalog-db", engine="postgres", instance_class="db.m6g.large", max_connections=600, allocated_storage_gb=200)
    s.resource("lambda", "catalog-api", runtime="python3.12", timeout=15, memory_size=512)
    s.resource("lambda", "price-sync", runtime="python3.12", timeout=120, memory_size=512)
    onset = -1560
    inv = counts(rng, daily(rng, 26, 0.1))
    p = 0.42 * ramp(onset, onset + 180)
    err = _binom(rng, inv, p)
    dur = lognorm(rng, 55, 0.15) * (1 - p) + p * 5100
    m = lambda_set(s, "catalog-api", inv, err, dur=dur)
    host = "catalog-db.c4ot9jx1pe2q.us-east-1.rds.amazonaws.com"

    def body(rng, t, r, failed, i):
        sku = f"SKU-{rng.integers(10000, 99999)}"
        if failed:
            return [(5.0, py_error(r, f'psycopg2.OperationalError: connection to server at "{host}" (10.0.12.88), port 5432 failed: timeout expired\n'
                     "Traceback (most recent call last):\n  File \"/var/task/app.py\", line 22, in handler\n    conn = get_conn()\n"
                     "  File \"/var/task/db.py\", line 14, in get_conn\n    return psycopg2.connect(DSN, connect_timeout=5)"))], float(rng.uniform(5010, 5120)), rng.integers(120, 130), None
        d = float(rng.lognormal(np.log(55 + 900 * p[i]), 0.3))
        return [(d / 1000, py_info(r, f"GET /products/{sku} 200"))], d, rng.integers(118, 128), None

    lambda_logs(s, "catalog-api", inv, err, 512, body)
    inv2 = np.zeros(N)
    inv2[::10] = 1
    lambda_set(s, "price-sync", inv2, np.zeros(N), dur=np.where(inv2 > 0, lognorm(rng, 31000, 0.1), 0), conc=inv2.copy())

    def body2(rng, t, r, failed, i):
        d = float(rng.lognormal(np.log(31000), 0.1))
        return [(0.1, py_warn(r, "supplier feed contains 12 rows with negative price; skipped")),
                (d / 1000, py_info(r, f"Upserted {rng.integers(4000, 6000)} prices"))], d, rng.integers(200, 230), None

    lambda_logs(s, "price-sync", inv2, np.zeros(N), 512, body2)
    pgev = pg_checkpoints(s, "catalog-db")
    pgev = [e for e in pgev if e[0] < onset]
    for t in np.arange(onset + 30, 0, 70):
        pgev.append((t, pg_line(t, "", "@", 412, "LOG", f"checkpoint complete: wrote {rng.integers(900, 3000)} buffers (1.9%); 0 WAL file(s) added, "
                     f"0 removed, 1 recycled; write={rng.uniform(180, 260):.3f} s, sync={rng.uniform(40, 95):.3f} s, total={rng.uniform(240, 330):.3f} s")))
        pgev.append((t + 5, pg_line(t + 5, f"10.0.14.{rng.integers(10, 90)}({rng.integers(30000, 60000)})", "catalog@catalog",
                     int(rng.integers(2000, 30000)), "LOG", f"duration: {rng.uniform(4000, 9000):.3f} ms  statement: SELECT * FROM products WHERE sku = $1")))
    s.log("/aws/rds/instance/catalog-db/postgresql", "catalog-db.0", pgev)
    rl = gauss(rng, 0.0016, 0.0003, 0.0004) + ramp(onset - 60, onset + 120) * lognorm(rng, 0.95, 0.3)
    conns = np.round(gauss(rng, 55, 3) + 60 * ramp(onset, onset + 300))
    cpu = gauss(rng, 21, 2.5) + 10 * step(onset)      # iowait shows in CPU as an effect
    rds_set(s, "catalog-db", cpu=cpu, conns=conns, read_lat=rl, storage_free=140, mem_free=3.4)
    s.changes += [change(-9000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "price-sync", "r.obi")]
    s.alarms.append(alarm("catalog-api-errors", m["Errors"], "Sum", 60, 3, 5))
    s.expect = {"alarm": "catalog-api-errors", "root_cause": {"category": "dependency_failure", "resource": ["catalog-db"]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "ReadLatency", "dimensions": {"DBInstanceIdentifier": "catalog-db"}}]}
    s.meta = dict(front=True, decoys="price-sync config change 2.5 h earlier and its constant negative-price warnings; DB connections rise as an effect (115 of 600)",
                  story="The EBS volume behind catalog-db degrades: ReadLatency jumps from ~2 ms to ~1 s, checkpoints take "
                        "minutes and simple SKU lookups take seconds. catalog-api hits its 5 s connect timeout "
                        "(`timeout expired`). Connections rise because requests pile up but stay far below max_connections.")
    return s


def s10_notify_db_leak() -> Scenario:
    s = Scenario("h12-10-notify-db-connections", "us-east-2",
                 "notify-db connection count alarm; SMS sends failing.", 1210)
    rng = s.rng
    s.resource("rds", "notify-db", engine="postgres", instance_class="db.t3.medium", max_connections=170, allocated_storage_gb=100)
    s.resource("lambda", "sms-dispatcher", runtime="python3.11", timeout=30, memory_size=256)
    s.resource("lambda", "email-bounce-handler", runtime="python3.11", timeout=30, memory_size=256)
    leak_start = -9000
    conns = np.round(np.minimum(164, gauss(rng, 34, 2) + 140 * ramp(leak_start, -1500) ** 1.3 + rng.normal(0, 2, N)))
    sat = np.clip((conns - 158) / 6, 0, 1)
    inv = counts(rng, daily(rng, 20))
    err = _binom(rng, inv, 0.55 * sat)
    m_db = rds_set(s, "notify-db", conns=conns, cpu_base=14, storage_free=62, mem_free=1.3)
    lambda_set(s, "sms-dispatcher", inv, err, dur_ms=180, conc=np.round(gauss(rng, 3, 1, 1) + 40 * ramp(leak_start, -1500)))
    host = "notify-db.cbq1w8x3ha.us-east-2.rds.amazonaws.com"
    pgev = pg_checkpoints(s, "notify-db")

    def body(rng, t, r, failed, i):
        if failed:
            pgev.append((t + 0.03, pg_line(t + 0.03, f"10.1.2.{rng.integers(10, 200)}({rng.integers(30000, 60000)})", "notify@notify",
                         int(rng.integers(2000, 30000)), "FATAL", "remaining connection slots are reserved for non-replication superuser connections")))
            return [(0.03, py_error(r, f'psycopg2.OperationalError: connection to server at "{host}" (10.1.8.21), port 5432 failed: '
                     "FATAL:  remaining connection slots are reserved for non-replication superuser connections"))], float(rng.uniform(40, 80)), 70, None
        d = float(rng.lognormal(np.log(180), 0.2))
        return [(d / 1000, py_info(r, f"Dispatched SMS to +1******{rng.integers(1000, 9999)} via carrier=twl status=queued"))], d, rng.integers(70, 76), None

    lambda_logs(s, "sms-dispatcher", inv, err, 256, body)
    inv2 = counts(rng, 2)
    err2 = counts(rng, 0.15)
    lambda_set(s, "email-bounce-handler", inv2, err2, dur_ms=90)

    def body2(rng, t, r, failed, i):
        if failed:
            return [(0.02, py_error(r, "KeyError: 'bounce'\nTraceback (most recent call last):\n  File \"/var/task/handler.py\", line 12, in handler\n    kind = msg['bounce']['bounceType']\nKeyError: 'bounce'"))], 20.0, 66, None
        return [(0.05, py_info(r, "Recorded hard bounce; suppressed address"))], float(rng.lognormal(np.log(90), 0.2)), 66, None

    lambda_logs(s, "email-bounce-handler", inv2, err2, 256, body2)
    s.log("/aws/rds/instance/notify-db/postgresql", "notify-db.0", pgev)
    s.changes += [change(-10500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "email-bounce-handler", "github-actions")]
    s.alarms.append(alarm("notify-db-connections-high", m_db["DatabaseConnections"], "Maximum", 300, 2, 150,
                          description="notify-db connections above 150"))
    s.expect = {"alarm": "notify-db-connections-high", "root_cause": {"category": "db_connection_exhaustion", "resource": ["notify-db"]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": "notify-db"}}]}
    s.meta = dict(front=False, decoys="email-bounce-handler deploy 2.9 h ago with its constant KeyError trickle",
                  story="sms-dispatcher opens a psycopg2 connection per invocation outside the handler's finally block; "
                        "idle sessions accumulate over 2 h until notify-db sits at its 170-connection limit and new "
                        "connections get `remaining connection slots are reserved`. No deploy precedes it.")
    return s


CASES = [s04_ledger_statement_timeout, s05_catalog_db_degraded, s10_notify_db_leak]
