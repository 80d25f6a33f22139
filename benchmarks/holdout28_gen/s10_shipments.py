"""h28-10: MySQL storage I/O degradation; a query-timeout error that always existed at a low rate jumps."""
from __future__ import annotations

import json
import random

from .common import HIST, LOGS, Clock, alarm, change, diurnal, poisson, ramp, log_stream
from .logfmt import LambdaLog, Rec, mysql_err, mysql_slow, py_tb

R = "eu-west-2"
DB, FN, LBL, API, APG = "shipments-mysql", "order-status", "label-printer", "tracking-api", "analytics-pg"
ON, FULL, REC0 = -2280, -1080, -600


def g(t):
    if t < ON:
        return 0.0
    if t < REC0:
        return ramp(t, ON, FULL, 0.0, 1.0)
    return ramp(t, REC0, 0, 1.0, 0.55)


def seq_timeout(clk, ts, r):
    return ("Invoke Error \t" + json.dumps({
        "errorType": "Error", "errorMessage": "Query inactivity timeout", "code": "PROTOCOL_SEQUENCE_TIMEOUT", "fatal": True,
        "timeout": 5000, "stack": ["Error: Query inactivity timeout",
                                   "    at Query.<anonymous> (/var/task/node_modules/mysql2/lib/commands/query.js:111:17)",
                                   "    at Timeout.<anonymous> (/var/task/node_modules/mysql2/lib/commands/command.js:41:14)",
                                   "    at listOnTimeout (node:internal/timers:573:17)",
                                   "    at async getShipmentHistory (/var/task/src/repo/shipments.js:48:20)",
                                   "    at async Runtime.handler (/var/task/src/index.js:27:18)"]}, separators=(",", ":")))


def build():
    rng = random.Random(2810)
    clk = Clock("2026-03-19T20:08:00")
    top = clk.top_of_hour(0)
    minutes = range(-HIST, 0, 60)
    db = Rec("AWS/RDS", {"DBInstanceIdentifier": DB})
    apg = Rec("AWS/RDS", {"DBInstanceIdentifier": APG})
    lam = Rec("AWS/Lambda", {"FunctionName": FN})
    lbl = Rec("AWS/Lambda", {"FunctionName": LBL})
    api = Rec("AWS/ApiGateway", {"ApiName": API})
    log = LambdaLog(rng, clk, FN, "nodejs20.x", 512, streams=4)
    ll = LambdaLog(rng, clk, LBL, "python3.12", 512, streams=2)
    slow, err = [], []
    for t in minutes:
        x = g(t)
        db.put(t, CPUUtilization=35 * diurnal(t, 0.1, 20000) * (1 - 0.5 * x) + rng.gauss(0, 1.5),
               DatabaseConnections=210 + 230 * x + rng.gauss(0, 6), FreeableMemory=1.21e10 + rng.gauss(0, 5e7),
               FreeStorageSpace=6.1e11 - (t + HIST) * 2e4, ReadIOPS=3500 * (1 - 0.7 * x) + rng.gauss(0, 120),
               WriteIOPS=2100 * (1 - 0.72 * x) + rng.gauss(0, 80), ReadLatency=0.0009 + 0.14 * x * rng.uniform(0.8, 1.2),
               WriteLatency=0.0018 + 0.32 * x * rng.uniform(0.8, 1.2), DiskQueueDepth=2 + 70 * x * rng.uniform(0.8, 1.2))
        hot = top <= t < top + 540
        apg.put(t, CPUUtilization=(91 if hot else 18) + rng.gauss(0, 2), DatabaseConnections=24 + rng.gauss(0, 2),
                FreeableMemory=6.3e9 + rng.gauss(0, 4e7), FreeStorageSpace=1.9e11, ReadIOPS=(2400 if hot else 300) + rng.gauss(0, 40),
                WriteIOPS=120 + rng.gauss(0, 10), ReadLatency=0.001, WriteLatency=0.0014, DiskQueueDepth=(6 if hot else 0.5))
        inv = poisson(rng, 180 * diurnal(t, 0.15, 20000))
        pre = poisson(rng, 0.3)
        new = sum(1 for _ in range(inv) if rng.random() < 0.16 * x)
        errs = min(inv, pre + new)
        dur = 45 + 3800 * x * 0.6 + rng.gauss(0, 3)
        lam.put(t, Invocations=inv, Errors=errs, Throttles=0, Duration=dur, ConcurrentExecutions=max(1, round(inv * dur / 60000 + rng.random())))
        api.put(t, Count=inv, **{"4XXError": poisson(rng, 7), "5XXError": errs}, Latency=dur + 22, IntegrationLatency=dur + 6)
        ln = poisson(rng, 12)
        le = sum(1 for _ in range(ln) if rng.random() < 0.12 * x)
        lbl.put(t, Invocations=ln, Errors=le, Throttles=0, Duration=320 + 2500 * x + rng.gauss(0, 20), ConcurrentExecutions=1 + round(x * 2))
        if t < -LOGS:
            continue
        for _ in range(poisson(rng, 11)):
            ts = t + rng.uniform(0, 59)
            sid = f"SHP{rng.randint(10 ** 8, 10 ** 9 - 1)}"
            hist = rng.random() < 0.02
            bad = (hist and rng.random() < 0.3 * 60 / 180 / 0.02 / 11) or rng.random() < 0.16 * x
            lines = [(0.002, "INFO", f"GET /orders/{rng.randint(10 ** 7, 10 ** 8)}/{'history' if hist else 'status'} shipment={sid}")]
            if bad:
                lines.append((5.01, "ERROR", seq_timeout(clk, ts, None)))
                log.invoke(ts, 5030 + rng.uniform(0, 20), rng.randint(96, 110), lines)
                if hist:
                    slow.append((ts + 6, mysql_slow(clk, ts + 6, "order_status", f"10.2.{rng.randint(8, 11)}.{rng.randint(5, 250)}", rng.randint(10 ** 6, 2 * 10 ** 6),
                                                    rng.uniform(5.5, 7.5), 0.00002, 1840, rng.randint(1900000, 2300000),
                                                    f"SELECT e.* FROM shipment_events e JOIN shipments s ON s.id = e.shipment_id WHERE s.merchant_id = "
                                                    f"{rng.randint(100, 999)} ORDER BY e.created_at DESC LIMIT 2000;")))
                continue
            d = 38 + 3800 * x * 0.6 * rng.uniform(0.5, 1.3)
            if x > 0.2 and rng.random() < 0.25:
                slow.append((ts + d / 1000, mysql_slow(clk, ts + d / 1000, "order_status", f"10.2.{rng.randint(8, 11)}.{rng.randint(5, 250)}",
                                                       rng.randint(10 ** 6, 2 * 10 ** 6), d / 1000, 0.00002, 1, 1,
                                                       f"SELECT status, carrier, eta FROM shipments WHERE id = '{sid}';")))
            lines.append((d / 1000 - 0.002, "INFO", f"status={rng.choice(['IN_TRANSIT', 'DELIVERED', 'OUT_FOR_DELIVERY', 'LABEL_CREATED'])} "
                                                   f"carrier={rng.choice(['royalmail', 'dpd', 'evri'])} took={d:.0f}ms"))
            log.invoke(ts, d + 6, rng.randint(96, 110), lines)
        if rng.random() < 0.5:
            ts = t + rng.uniform(0, 59)
            if rng.random() < 0.12 * g(ts) * 2:
                msg = "(2013, 'Lost connection to MySQL server during query (timed out)')"
                ll.invoke(ts, 3000, 140, [(2.99, "ERROR", f"OperationalError: {msg}\n" + py_tb("pymysql.err.OperationalError", msg, [
                    ("/var/task/labels/app.py", 64, "handler", "cur.execute(INSERT_LABEL, row)"),
                    ("/var/task/pymysql/connections.py", 758, "_read_packet", "raise err.OperationalError(")]))])
            else:
                d = 320 + 2500 * g(ts) * rng.uniform(0.6, 1.3)
                ll.invoke(ts, d, 131, [(d / 1000 - 0.01, "INFO", f"Printed label for SHP{rng.randint(10 ** 8, 10 ** 9 - 1)} format=ZPL")])
        if g(t) > 0.3 and rng.random() < 0.6 * g(t):
            ts = t + rng.uniform(0, 59)
            err.append((ts, mysql_err(clk, ts, 0, "Note", "MY-011953", "InnoDB",
                                      f"Page cleaner took {int(1000 + 9000 * g(t) * rng.uniform(0.6, 1.2))}ms to flush "
                                      f"{rng.randint(60, 400)} and evict 0 pages")))
    for ts in sorted(rng.uniform(-LOGS, 0) for _ in range(9)):
        err.append((ts, mysql_err(clk, ts, rng.randint(100000, 300000), "Warning", "MY-010055", "Server",
                                  f"IP address '10.2.{rng.randint(8, 11)}.{rng.randint(2, 250)}' could not be resolved: "
                                  "Name or service not known")))
    metrics = lam.metrics() + api.metrics() + db.metrics() + lbl.metrics() + apg.metrics()
    alarms = [alarm(clk, "order-status-errors", lam.get("Errors"), "Sum", 60, 5, 10, after=ON,
                    description="order-status Lambda errors (tracking page failing)"),
              alarm(clk, "analytics-pg-cpu", apg.get("CPUUtilization"), "Average", 60, 3, 85, after=top - 60,
                    description="analytics-pg CPU high")]
    lag = round((alarms[0]["state_changed"] - (ON)) / 60)
    changes = [change(-7800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "ci-deployer"),
               change(-7785, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "ci-deployer")]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-10-shipments-mysql-io-degradation",
        "description": "Order tracking page erroring; order-status errors alarm (and an analytics DB CPU alarm at the same time).",
        "region": R,
        "resources": [
            {"type": "rds", "id": DB, "properties": {"engine": "mysql", "engine_version": "8.0.35", "instance_class": "db.m6g.xlarge",
                                                   "max_connections": 1500, "allocated_storage_gb": 1000, "storage_type": "gp3",
                                                   "provisioned_iops": 12000}},
            {"type": "lambda", "id": FN, "properties": {"runtime": "nodejs20.x", "timeout": 15, "memory_size": 512}},
            {"type": "lambda", "id": LBL, "properties": {"runtime": "python3.12", "timeout": 3, "memory_size": 512}},
            {"type": "apigateway", "id": API, "properties": {"stage": "prod"}},
            {"type": "rds", "id": APG, "properties": {"engine": "postgres", "engine_version": "15.6", "instance_class": "db.r6g.large",
                                                    "max_connections": 800, "allocated_storage_gb": 200}},
        ],
        "metrics": metrics,
        "logs": log.logs() + ll.logs() + [log_stream(f"/aws/rds/instance/{DB}/slowquery", DB, slow),
                                           log_stream(f"/aws/rds/instance/{DB}/error", DB, err)],
        "alarms": alarms, "changes": changes,
        "expect": {"alarm": "order-status-errors",
                   "root_cause": {"category": "dependency_failure", "resource": [DB]},
                   "anomalies": [{"namespace": "AWS/RDS", "name": "WriteLatency", "dimensions": {"DBInstanceIdentifier": DB}},
                                 {"namespace": "AWS/RDS", "name": "DiskQueueDepth", "dimensions": {"DBInstanceIdentifier": DB}},
                                 {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]},
    }
    meta = {"alarm_on": "front (order-status Lambda)",
            "decoys": "the same PROTOCOL_SEQUENCE_TIMEOUT error at ~0.3/min for hours (merchant history query); order-status deploy "
                      "2 h 10 min ago; analytics-pg CPU alarm from its top-of-hour batch",
            "story": (
                "order-status has always thrown an occasional 'Query inactivity timeout' (PROTOCOL_SEQUENCE_TIMEOUT) from a heavy "
                "merchant history query, visible in the slow log with ~2M rows examined. 38 minutes ago the same error starts "
                "to climb for every kind of request, including single-row status lookups, and label-printer (another client of "
                "the same database) starts losing connections during queries. On shipments-mysql, Read/WriteLatency rise by two "
                "orders of magnitude and DiskQueueDepth to ~70 while IOPS fall well below the provisioned 12000, CPU drops, "
                "connections stay far below 1500 and storage is ample, and InnoDB logs slow page-cleaner flushes: the storage "
                f"under the DB is degraded, not exhausted. The order-status alarm (5 of 5 minutes above 10) fired ~{lag} minutes "
                "after onset, and latency has been improving for 10 minutes (partial recovery). Category dependency_failure "
                "with origin shipments-mysql. The order-status deploy is two hours old and the analytics-pg CPU alarm is its "
                "routine hourly batch on an unrelated database.")}
    return scen, meta
