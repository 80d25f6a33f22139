"""Database-backed incidents where the alarm fires on the calling Lambda (front) and RDS is or is not the origin."""
from __future__ import annotations

import numpy as np

from .common import T, alarm, change, counts, find, hexid, lambda_bundle, noisy, py_error, rds_metrics, rng_for, step, timeout_body, wall
from .lambda_cases import FN, L, _doc, _res

GB = 1024 ** 3


def _pglog(db, rng, extra):
    ev = [[float(t), f"{wall(t, '%Y-%m-%d %H:%M:%S')} UTC::@:[412]:LOG:  checkpoint complete: wrote {rng.integers(300, 3000)} buffers "
           f"({rng.uniform(0.2, 2.5):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled"] for t in range(-21597, 0, 300)]
    ev += extra
    ev.sort(key=lambda e: e[0])
    return {"group": f"/aws/rds/instance/{db}/postgresql", "stream": f"{db}.0", "events": ev}


def h02(seed=1302):
    rng, reg, fn, db = rng_for(seed), "ap-southeast-2", "orders-api", "orders-pg"
    onset = -1500
    host = f"{db}.c8fjq2xk1lmn.ap-southeast-2.rds.amazonaws.com"

    def make(ts, failed, r, rng):
        if failed:
            return [(0.01, f"[INFO]\t{r}\tGET /orders/{rng.integers(10**7, 10**8)}"),
                    (5.0, py_error("psycopg2.errors.QueryCanceled", [
                        ("/var/task/app.py", 44, "lambda_handler", "return get_order(order_id)"),
                        ("/var/task/orders/repo.py", 71, "get_order", "cur.execute(SQL_ORDER, (order_id,))")],
                        "canceling statement due to statement timeout"))], rng.normal(5100, 100), rng.normal(120, 4), ""
        slow = ts >= onset
        return [(0.01, f"[INFO]\t{r}\tGET /orders/{rng.integers(10**7, 10**8)}"),
                (0.1, f"[INFO]\t{r}\torder loaded from {host}")], rng.normal(2600 if slow else 85, 700 if slow else 20), rng.normal(118, 4), ""
    inv = counts(rng, noisy(rng, 18, 0.05))
    err = np.round(inv * step(onset, 0, 0.4, 180) * rng.uniform(0.8, 1.2, len(T)))
    m1, log1, _, _ = lambda_bundle(rng, fn, 256, None, err, make, 85, inv=inv)
    rl = noisy(rng, 0.0012, 0.15) + step(onset, 0, 0.35, 120) * rng.uniform(0.7, 1.3, len(T))
    wl = noisy(rng, 0.0020, 0.15) + step(onset, 0, 0.5, 120) * rng.uniform(0.7, 1.3, len(T))
    m2 = rds_metrics(db, noisy(rng, 22, 0.1) - step(onset, 0, 8), noisy(rng, 38, 0.05) + step(onset, 0, 14, 300),
                     noisy(rng, 310 * GB, 0.0005, shape=1), rl, wl, noisy(rng, 5.1 * GB, 0.01, shape=1))
    slow = [[float(t), f"{wall(t, '%Y-%m-%d %H:%M:%S')} UTC:10.0.4.{rng.integers(10, 250)}({rng.integers(40000, 60000)}):app@orders:[{rng.integers(1000, 30000)}]:LOG:  duration: {rng.uniform(2000, 5000):.3f} ms  statement: SELECT * FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.id = $1"]
            for t in np.sort(rng.uniform(onset, -1, 160))]
    metrics = m1 + m2
    al = alarm("orders-api-errors", find(metrics, "Errors", FunctionName=fn), "Sum", 300, 2, 10)
    changes = [change(-11000, L, "UpdateFunctionCode20150331v2", FN, fn, "codepipeline"),
               change(-10990, L, "PublishVersion20150331", FN, fn, "codepipeline")]
    res = [_res(fn, "python3.12", 10, 256), {"type": "rds", "id": db, "properties": {"engine": "postgres", "instance_class": "db.m6g.large",
                                                                                     "max_connections": 800, "allocated_storage_gb": 500}}]
    return _doc("h13-02-orders-api-slow-database", "Orders API returning errors; orders-api errors alarm.",
                reg, res, metrics, [log1, _pglog(db, rng, slow)], al, changes, "dependency_failure", [db], fn,
                dict(decoys="orders-api deploy 3 h earlier, healthy since; DB CPU actually drops",
                     rule="the old deploy is not 'shortly before onset'; DB read/write latency x200 but connections far below max_connections => slow, not exhausted",
                     story="orders-pg storage latency jumped (degraded EBS volume); queries take seconds, and the Lambda's "
                           "5 s statement_timeout cancels them. The DB is reachable and has spare connections (52/800)."))


def h06(seed=1306):
    rng, reg, fn, db = rng_for(seed), "eu-west-2", "billing-sync", "billing-mysql"
    onset, maxc = -1800, 150

    def make(ts, failed, r, rng):
        if failed:
            if rng.random() < 0.6:
                line, dur = timeout_body(ts, r, 30, rng)
                return [(0.01, f"[INFO]\t{r}\tsyncing invoice batch {hexid(rng, 8)}"), (dur / 1000, line)], dur, rng.normal(140, 4), "\tStatus: timeout"
            return [(0.01, f"[INFO]\t{r}\tsyncing invoice batch {hexid(rng, 8)}"),
                    (2.0, py_error("pymysql.err.OperationalError", [
                        ("/var/task/handler.py", 27, "handler", "conn = pool.get()"),
                        ("/var/task/db.py", 40, "get", "return pymysql.connect(host=os.environ['DB_HOST'], **CFG)")],
                        "(1040, 'Too many connections')"))], rng.normal(2100, 200), rng.normal(138, 4), ""
        return [(0.01, f"[INFO]\t{r}\tsyncing invoice batch {hexid(rng, 8)}"), (0.5, f"[INFO]\t{r}\tsynced {rng.integers(5, 80)} invoices")], \
            rng.normal(620, 90), rng.normal(137, 4), ""
    inv = counts(rng, noisy(rng, 10, 0.06))
    err = np.round(inv * step(onset, 0, 0.7, 240) * rng.uniform(0.8, 1.15, len(T)))
    m1, log1, _, _ = lambda_bundle(rng, fn, 512, None, err, make, 620, inv=inv)
    conns = np.minimum(noisy(rng, 42, 0.06) + step(onset - 600, 0, 130, 900), maxc)
    m2 = rds_metrics(db, noisy(rng, 30, 0.1) + step(onset, 0, 9), conns, noisy(rng, 140 * GB, 0.0005, shape=1),
                     noisy(rng, 0.0015, 0.15), noisy(rng, 0.0025, 0.15), noisy(rng, 2.9 * GB, 0.01, shape=1) - step(onset, 0, 0.4 * GB))
    errlog = [[float(t), f"{wall(t, '%Y-%m-%dT%H:%M:%S.%f')}Z {rng.integers(10, 900)} [Warning] [MY-010055] [Server] IP address '10.0.{rng.integers(1, 9)}.{rng.integers(2, 250)}' could not be resolved: Name or service not known"]
              for t in np.sort(rng.uniform(-21600, -1, 40))]
    errlog += [[float(t), f"{wall(t, '%Y-%m-%dT%H:%M:%S.%f')}Z 0 [Warning] [MY-010908] [Server] Too many connections"] for t in np.sort(rng.uniform(onset, -1, 120))]
    errlog.sort(key=lambda e: e[0])
    metrics = m1 + m2
    al = alarm("billing-sync-errors", find(metrics, "Errors", FunctionName=fn), "Sum", 300, 2, 10)
    changes = [change(-6100, L, "UpdateFunctionCode20150331v2", FN, "invoice-pdf", "codepipeline")]
    res = [_res(fn, "python3.12", 30, 512, environment={"DB_HOST": f"{db}.cx1ab2cd3ef4.eu-west-2.rds.amazonaws.com", "DB_NAME": "billing"}),
           {"type": "rds", "id": db, "properties": {"engine": "mysql", "instance_class": "db.t4g.medium", "max_connections": maxc,
                                                     "allocated_storage_gb": 200}}]
    return _doc("h13-06-billing-sync-mysql-too-many-connections", "Billing sync timing out; billing-sync errors alarm.",
                reg, res, metrics, [log1, {"group": f"/aws/rds/instance/{db}/error", "stream": db, "events": errlog}], al, changes,
                "db_connection_exhaustion", [db], fn,
                dict(decoys="deploy of an unrelated function 1.7 h earlier; MySQL reverse-DNS warnings all day",
                     rule="most failures are 'Task timed out' but DatabaseConnections sits at max_connections and clients get 1040 Too many connections => exhaustion beats function_timeout",
                     story="A reporting tool opened long-lived connections until billing-mysql reached max_connections (150). "
                           "billing-sync waits on its pool until the 30 s timeout or gets (1040, 'Too many connections')."))


def h11(seed=1311):
    rng, reg, fn, db = rng_for(seed), "ap-south-1", "ledger-writer", "ledger-mysql"
    full = -1300
    free = np.maximum(np.linspace(38 * GB, -2 * GB, len(T)) + rng.normal(0, 0.05 * GB, len(T)), 0.0)
    free = np.where(T >= full, rng.uniform(0, 40e6, len(T)), np.maximum(free, 0.9 * GB))
    free = np.where((T < full) & (T > -4000), np.linspace(6 * GB, 0.2 * GB, len(T)), free)

    def make(ts, failed, r, rng):
        if failed:
            return [(0.01, f"[INFO]\t{r}\tposting journal je_{hexid(rng, 10)}"),
                    (0.4, py_error("pymysql.err.OperationalError", [
                        ("/var/task/handler.py", 33, "handler", "repo.insert_entries(entries)"),
                        ("/var/task/repo.py", 58, "insert_entries", "cur.executemany(INSERT_SQL, rows)")],
                        "(1114, \"The table 'journal_lines' is full\")"))], rng.normal(420, 60), rng.normal(130, 4), ""
        return [(0.01, f"[INFO]\t{r}\tposting journal je_{hexid(rng, 10)}"), (0.1, f"[INFO]\t{r}\tcommitted {rng.integers(2, 40)} lines")], \
            rng.normal(180, 30), rng.normal(129, 4), ""
    inv = counts(rng, noisy(rng, 14, 0.05))
    err = np.round(inv * step(full, 0, 0.9) * rng.uniform(0.9, 1.0, len(T)))
    m1, log1, _, _ = lambda_bundle(rng, fn, 256, None, err, make, 180, inv=inv)
    m2 = rds_metrics(db, noisy(rng, 25, 0.1), noisy(rng, 30, 0.08), free, noisy(rng, 0.0012, 0.15),
                     noisy(rng, 0.003, 0.15), noisy(rng, 3.2 * GB, 0.01, shape=1))
    errlog = [[float(t), f"{wall(t, '%Y-%m-%dT%H:%M:%S.%f')}Z 31 [ERROR] [MY-000035] [Server] Disk is full writing './binlog.004211' (OS errno 28 - No space left on device). Waiting for someone to free space... Retry in 60 secs."]
              for t in range(full, 0, 60)]
    errlog += [[float(t), f"{wall(t, '%Y-%m-%dT%H:%M:%S.%f')}Z 0 [Warning] [MY-010055] [Server] IP address '10.1.2.{rng.integers(2, 250)}' could not be resolved: Name or service not known"]
               for t in np.sort(rng.uniform(-21600, -1, 30))]
    errlog.sort(key=lambda e: e[0])
    metrics = m1 + m2
    al = alarm("ledger-mysql-free-storage-low", find(metrics, "FreeStorageSpace", DBInstanceIdentifier=db), "Minimum", 300, 1,
               2 * GB, "LessThanThreshold")
    changes = [change(-16000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "ledger-mysql-params", "dba-priya")]
    res = [_res(fn, "python3.12", 15, 256),
           {"type": "rds", "id": db, "properties": {"engine": "mysql", "instance_class": "db.r6g.large", "max_connections": 1000,
                                                     "allocated_storage_gb": 100}}]
    doc, meta = _doc("h13-11-ledger-mysql-storage-full", "ledger-mysql free storage alarm; journal postings failing.",
                     reg, res, metrics, [log1, {"group": f"/aws/rds/instance/{db}/error", "stream": db, "events": errlog}], al, changes,
                     "storage_exhaustion", [db], fn,
                     dict(decoys="ModifyDBParameterGroup 4.4 h earlier (binlog retention raised; slow-burn, not at onset); reverse-DNS warnings all day",
                          rule="FreeStorageSpace reaches ~0 and 'No space left on device'; storage beats the (old) parameter change",
                          story="Binary-log retention plus a bulk backfill steadily consumed the 100 GB volume; when it hit zero "
                                "MySQL blocked on binlog writes and inserts fail with 1114 'table is full'."))
    doc["expect"]["anomalies"] = [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": db}}]
    return doc, meta
