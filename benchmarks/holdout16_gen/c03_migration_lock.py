"""h16-03: a manual ALTER TABLE rewrite holds an ACCESS EXCLUSIVE lock; API calls hit statement timeouts."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, clip, counts, daily, jitter, ramp, step
from .logfmt import LambdaLogs, apigw_access, event_times, pg, pg_checkpoints, poisson_times, py_traceback

META = {
    "file": "h16-03-migration-locks-order-items",
    "postmortem": "long-running schema migration locking a hot table (ALTER TABLE rewrite under ACCESS EXCLUSIVE)",
    "side": "front (API Gateway 5XX; origin is the database)",
    "decoys": "API stage access-log change 25 min before; nightly-digest deploy 13 min before; steady 4XX from "
              "validation failures; occasional slow queries before onset",
    "story": (
        "A DBA runs `ALTER TABLE order_items ALTER COLUMN quantity TYPE bigint` by hand from the bastion (the "
        "Postgres log records the DDL with log_statement=ddl). The type change rewrites the table under an ACCESS "
        "EXCLUSIVE lock; every read or write of order_items queues behind it (log_lock_waits: 'still waiting for "
        "AccessShareLock/RowExclusiveLock on relation 16422 ... Process holding the lock: 20991') and is cancelled "
        "by the 5 s statement_timeout. orders-read and orders-write log psycopg2.errors.QueryCanceled and the "
        "API's 5XX alarm fires. The database is busy rewriting (more IOPS, storage dropping by the size of the "
        "copy) but far from any limit: connections ~140/1000, CPU ~30 %. The fault originates in orders-db: "
        "dependency_failure. The API stage change only touched access-log settings, and the digest deploy "
        "belongs to a function with no errors."),
}

HOST = "orders-db.cq1lw8rz2n6e.us-east-2.rds.amazonaws.com"
API_ID = "k2x9vq7d1m"
HOLDER = 20991


def _qc_trace(fn: str, call: str) -> str:
    return py_traceback([
        ("/var/task/handler.py", 37, "handler", f"return {call}(event)"),
        (f"/var/task/orders/{fn}.py", 88, call, "cur.execute(SQL_ITEMS, (order_id,))"),
    ], "psycopg2.errors.QueryCanceled: canceling statement due to statement timeout")


def build(seed: int) -> Scenario:
    sc = Scenario("h16-03-migration-locks-order-items",
                  "Orders API returning 500s and timing out for order pages and checkout; orders-api-5xx alarm.",
                  "us-east-2", seed, dt.datetime(2026, 5, 6, 11, 25))
    O = -2700.0
    on = step(O)
    day = daily(sc, peak_hour=18, depth=0.4)
    sc.resource("apigateway", "orders-api", api_id=API_ID, stage="prod", endpoint_type="REGIONAL")
    for fn in ("orders-read", "orders-write"):
        sc.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=512,
                    environment={"DB_HOST": HOST, "DB_NAME": "orders", "DB_STATEMENT_TIMEOUT_MS": "5000"})
    sc.resource("lambda", "nightly-digest", runtime="python3.12", timeout=120, memory_size=256)
    sc.resource("rds", "orders-db", engine="postgres", engine_version="14.10", instance_class="db.m6g.xlarge",
                max_connections=1000, allocated_storage_gb=800, multi_az=True)

    rinv = counts(sc, 19 * day)
    winv = counts(sc, 6 * day)
    rfail = np.round(rinv * 0.7 * on * jitter(sc, 1, 0.08))
    wfail = np.round(winv * on * clip(jitter(sc, 0.97, 0.03), 0, 1))
    rdur = np.where(TIMES < O, jitter(sc, 62, 0.12), 0.7 * 5040 + 0.3 * 70)
    wdur = np.where(TIMES < O, jitter(sc, 140, 0.12), 5060 + sc.rng.normal(0, 20, N))
    aws.lambda_metrics(sc, "orders-read", rinv, np.zeros(N), rdur)
    aws.lambda_metrics(sc, "orders-write", winv, wfail, wdur)
    dinv = np.array([1.0 if int((t + 21600) // 60) % 10 == 3 else 0.0 for t in TIMES])
    aws.lambda_metrics(sc, "nightly-digest", dinv, np.zeros(N), jitter(sc, 3100, 0.1), conc=dinv)
    count = rinv + winv + counts(sc, 0.8 * day)
    e4 = counts(sc, 0.8 * day)
    e5 = rfail + wfail + counts(sc, 0.04)
    lat = np.where(TIMES < O, jitter(sc, 88, 0.1), (rfail * 5060 + wfail * 5080 + (count - rfail - wfail) * 90)
                   / np.maximum(count, 1))
    aws.apigw_metrics(sc, "orders-api", count, e4, e5, lat, integ=lat - 9)
    # --- database --------------------------------------------------------------------------------------------
    rw = ramp(O, O + 120)
    conns = 58 + 6 * day + sc.rng.normal(0, 2, N) + rw * 78 * jitter(sc, 1, 0.06)
    cpu = jitter(sc, 14 + 6 * day, 0.08) + rw * 14
    free = 411.0 - 0.15 * (TIMES + 21600) / 3600 - np.clip((TIMES - O) / 60, 0, None) * 1.05
    aws.rds_metrics(sc, "orders-db", cpu, conns, free, 21.2 - rw * 1.1, read_lat_ms=0.7 + rw * 1.3,
                    write_lat_ms=1.3 + rw * 2.4, read_iops=480 * day + rw * 1700, write_iops=310 * day + rw * 2300)

    # --- logs ---------------------------------------------------------------------------------------------------
    start = -3600.0
    for fn, inv, share in (("orders-read", rinv, 0.7), ("orders-write", winv, 1.0)):
        lg = LambdaLogs(sc, fn, "python3.12", 512)
        for t in event_times(sc, inv, start):
            oid = f"ord_{sc.hexid(12)}"
            if t >= O and sc.rng.random() < (0.97 if fn == "orders-write" else share):
                if fn == "orders-read":
                    body = [(0.002, "INFO", f"GET /orders/{oid}"),
                            (5.03, "ERROR", f"Failed to load order {oid}\n" + _qc_trace("read", "get_order"))]
                    lg.invoke(t, float(sc.rng.normal(5045, 8)), body, mem_used=int(sc.rng.integers(92, 99)))
                else:
                    def body(t0, rid, oid=oid):
                        return [(t0 + 0.002, f"[INFO]\t{sc.iso(t0 + 0.002)}\t{rid}\tPOST /orders (cart {sc.hexid(8)})"),
                                (t0 + 5.04, "[ERROR] QueryCanceled: canceling statement due to statement timeout\n"
                                 + _qc_trace("write", "create_order"))]
                    lg.invoke(t, float(sc.rng.normal(5062, 8)), body, mem_used=int(sc.rng.integers(95, 104)),
                              error_type="Runtime.Unhandled")
                continue
            if fn == "orders-read":
                body = [(0.002, "INFO", f"GET /orders/{oid}")]
                if sc.rng.random() < 0.02:
                    body.append((0.03, "WARNING", f"Order {oid} not found"))
            else:
                body = [(0.002, "INFO", f"POST /orders (cart {sc.hexid(8)})"),
                        (0.12, "INFO", f"Created order {oid} with {int(sc.rng.integers(1, 7))} item(s)")]
                if sc.rng.random() < 0.12:
                    body = [(0.002, "INFO", f"POST /orders (cart {sc.hexid(8)})"),
                            (0.01, "WARNING", "Rejected order: quantity must be a positive integer")]
            lg.invoke(t, float(sc.rng.gamma(6, 12 if fn == "orders-read" else 24)), body,
                      mem_used=int(sc.rng.integers(88, 99)))
        lg.flush()
    dg = LambdaLogs(sc, "nightly-digest", "python3.12", 256, idle_reclaim=700)
    for t in event_times(sc, dinv, start):
        dg.invoke(t, float(sc.rng.normal(3100, 200)),
                  [(0.01, "INFO", "Building merchant digest"), (3.0, "INFO", f"Queued {int(sc.rng.integers(30, 90))} "
                                                                             f"digest e-mails")], mem_used=121)
    dg.flush()
    _access_logs(sc, O, rinv, winv)
    _pg_logs(sc, O)
    sc.change(O - 1500, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "orders-api/prod",
              "platform-tf")
    sc.change(O - 780, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "nightly-digest", "ci-deployer")
    api = {"ApiName": "orders-api"}
    sc.alarm_on("orders-api-5xx", "AWS/ApiGateway", "5XXError", api, e5, "Sum", 60, 3, 5, "GreaterThanThreshold",
                description="Orders API server errors")
    sc.alarm("orders-db-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "orders-db"},
             "Maximum", 300, 2, 800, "GreaterThanThreshold", "OK", -600000)
    sc.set_expect("orders-api-5xx", "dependency_failure", ["orders-db"],
                  [("AWS/ApiGateway", "5XXError", api), ("AWS/ApiGateway", "Latency", api)])
    return sc


def _access_logs(sc: Scenario, O: float, rinv: np.ndarray, winv: np.ndarray) -> None:
    ev = []
    for t in event_times(sc, rinv + winv, -3600.0):
        write = sc.rng.random() < 0.24
        fail = t >= O and sc.rng.random() < (0.97 if write else 0.7)
        path = "/orders" if write else "/orders/{orderId}"
        status = 500 if fail else (201 if write else 200)
        lat = int(sc.rng.normal(5070, 10)) if fail else int(sc.rng.gamma(6, 14))
        ev.append((t + lat / 1000, apigw_access(sc, t, API_ID, "POST" if write else "GET", path, status, lat, lat - 9,
                                                length=int(sc.rng.integers(40, 3000)),
                                                ua=sc.pick(["okhttp/4.12.0", "Mozilla/5.0 (iPhone; CPU iPhone OS "
                                                            "17_4 like Mac OS X)", "storefront-web/5.21.0"]),
                                                err="Internal server error" if fail else "-")))
    for t in poisson_times(sc, 0.8, -3600.0):
        ev.append((t, apigw_access(sc, t, API_ID, "POST", "/orders", 400, int(sc.rng.integers(20, 60)),
                                   int(sc.rng.integers(10, 50)), length=74, ua="okhttp/4.12.0",
                                   err="Invalid request body")))
    sc.log(f"API-Gateway-Access-Logs_{API_ID}/prod", "access", ev)


def _pg_logs(sc: Scenario, O: float) -> None:
    ev = pg_checkpoints(sc, -21600, pid=388)
    for t in poisson_times(sc, 0.05, -21600, O):
        ms = sc.rng.uniform(1000, 2600)
        ev.append((t, pg(sc, t, "LOG", f"duration: {ms:.3f} ms  statement: SELECT o.id, o.status, sum(oi.quantity) "
                                       f"FROM orders o JOIN order_items oi ON oi.order_id = o.id WHERE o.merchant_id "
                                       f"= $1 GROUP BY o.id ORDER BY o.created_at DESC LIMIT 200",
                         "orders_app", "orders", sc.ip("10.0"))))
    ev.append((O, pg(sc, O, "LOG", "statement: ALTER TABLE order_items ALTER COLUMN quantity TYPE bigint;",
                     "dba_rkumar", "orders", "10.0.9.88", pid=HOLDER)))
    waiting: list[int] = []
    for t in poisson_times(sc, np.where(TIMES >= O, 22, 0), O + 3):
        pid = int(sc.rng.integers(22000, 31000))
        write = sc.rng.random() < 0.26
        ip = f"{sc.ip('10.0')}({int(sc.rng.integers(32768, 61000))})"
        lock = "RowExclusiveLock" if write else "AccessShareLock"
        stmt = ("INSERT INTO order_items (order_id, sku, quantity, unit_price) VALUES ($1, $2, $3, $4)" if write
                else "SELECT oi.sku, oi.quantity, oi.unit_price FROM order_items oi WHERE oi.order_id = $1")
        waiting = (waiting + [pid])[-6:]
        t1 = t + 1.0
        ev.append((t1, pg(sc, t1, "LOG", f"process {pid} still waiting for {lock} on relation 16422 of database "
                                         f"16401 after {1000 + sc.rng.uniform(0.01, 0.09):.3f} ms",
                          "orders_app", "orders", ip, pid)))
        ev.append((t1 + 0.0001, pg(sc, t1, "DETAIL", f"Process holding the lock: {HOLDER}. Wait queue: "
                                                    f"{', '.join(str(p) for p in waiting)}.",
                                   "orders_app", "orders", ip, pid)))
        ev.append((t1 + 0.0002, pg(sc, t1, "STATEMENT", stmt, "orders_app", "orders", ip, pid)))
        t5 = t + 5.0
        ev.append((t5, pg(sc, t5, "ERROR", "canceling statement due to statement timeout", "orders_app", "orders",
                          ip, pid)))
        ev.append((t5 + 0.0001, pg(sc, t5, "STATEMENT", stmt, "orders_app", "orders", ip, pid)))
    sc.log("/aws/rds/instance/orders-db/postgresql", "orders-db", ev)
