"""h95-09 inventory database runs out of storage during overnight cycle counts (storage exhaustion,
MySQL RDS behind a Java Lambda); h95-10 store-opening journal uploads hit the intake function's
reserved concurrency (throttling, .NET Lambda behind API Gateway)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import counts_per_minute
from benchmarks.holdout57_gen.runtimes import LambdaLogs, mysql

from .kit import (CAN, EAST, GRID, bump, lam_metrics, new, put, ramp, rds_metric, times, vals)


def build_09():
    sc = new(9, "stock-delta-errors", "Inventory deltas from stores not applying overnight; "
             "stock-delta-apply Errors alarm.", EAST, "2026-11-24T03:42:00+00:00")
    T0, LOAD = -1500, -5400
    fn, db, other = "stock-delta-apply", "invdb-east", "promo-db"
    sc.resource("lambda", fn, runtime="java17", timeout=60, memory_size=1536, event_source="SQS stock-deltas")
    sc.resource("rds", db, engine="mysql", engine_version="8.0.39", instance_class="db.r6g.large",
                allocated_storage_gb=200, storage_autoscaling=False, max_connections=1000)
    sc.resource("rds", other, engine="postgres", engine_version="15.8", instance_class="db.t4g.large",
                allocated_storage_gb=100, max_connections=400)

    def free(t):
        if t < LOAD:
            return 14.0e9 - 4.5e9 * (t + 21600) / 16200
        if t < T0:
            return 9.5e9 * (T0 - t) / (T0 - LOAD) + 3.0e7
        return 3.0e7

    full = lambda t: t >= T0 + 20
    inv, err = lam_metrics(sc, fn, lambda t: 9 + 4 * ramp(t, LOAD, LOAD + 300), lambda t: 0.93 if full(t)
                           else 0.002, lambda t: 2100 + 900 * ramp(t, LOAD, LOAD + 300) - 1500 * full(t), 60)
    rds_metric(sc, db, "FreeStorageSpace", "Bytes", free, noise=0.003, digits=0)
    rds_metric(sc, db, "CPUUtilization", "Percent", lambda t: 24 + 14 * ramp(t, LOAD, LOAD + 300) - 10 * full(t),
               noise=0.07, digits=2)
    rds_metric(sc, db, "DatabaseConnections", "Count", lambda t: 38 + 10 * ramp(t, LOAD, LOAD + 300), noise=0.06,
               integer=True)
    rds_metric(sc, db, "WriteIOPS", "Count/Second", lambda t: 310 + 900 * ramp(t, LOAD, LOAD + 300) * (
        1 - 0.9 * full(t)), noise=0.08, digits=1)
    rds_metric(sc, other, "CPUUtilization", "Percent", lambda t: 11 + bump(t, -1620, -1500, 9, 60), noise=0.08,
               digits=2)
    rds_metric(sc, other, "FreeStorageSpace", "Bytes", lambda t: 6.1e10, noise=0.0005, digits=0)
    sc.alarm("stock-delta-apply-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10.0,
             "GreaterThanThreshold", "Store inventory delta failures")
    sc.alarm("invdb-east-free-storage", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Minimum",
             300, 1, 5.0e9, "LessThanThreshold", "invdb-east free storage below 5 GB")
    rng = sc.rng
    ll = LambdaLogs(sc, fn, "java17", 1536, 60, mem_used=(610, 40), prewarm=-9000)

    def body(ll, t, rid, is_err, cold):
        store = f"{rng.randint(101, 498):04d}"
        kind = "CYCLE_COUNT" if t >= LOAD and rng.random() < 0.7 else "SALE_DELTA"
        n = rng.randint(200, 3000) if kind == "CYCLE_COUNT" else rng.randint(20, 400)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"c.g.inv.DeltaHandler - batch store={store} type={kind} "
                                               f"rows={n}"))]
        if rng.random() < 0.2:
            lines.append((0.3, ll.fmt(t, rid, "WARN", f"c.g.inv.OnHand - Negative on-hand for sku="
                                                      f"{rng.randint(10 ** 11, 10 ** 12)} store={store}; clamping to 0")))
        if is_err and full(t):
            msg = rng.choice(["The table 'stock_ledger' is full", "Got error 28 from storage engine"])
            code = 1114 if "full" in msg else 1030
            lines.append((0.4, ll.fmt(t, rid, "ERROR", f"c.g.inv.LedgerDao - insert failed store={store}\n"
                          f"java.sql.SQLException: {msg}\n\tat com.mysql.cj.jdbc.exceptions.SQLError."
                          "createSQLException(SQLError.java:130)\n\tat com.mysql.cj.jdbc.ClientPreparedStatement."
                          "executeBatchInternal(ClientPreparedStatement.java:409)\n\tat c.g.inv.LedgerDao."
                          f"appendBatch(LedgerDao.java:97)\n  (SQLState HY000, errorCode {code})")))
            return {"lines": lines, "dur": rng.gauss(600, 80)}
        if is_err:
            lines.append((0.2, ll.fmt(t, rid, "ERROR", "c.g.inv.DeltaHandler - malformed delta payload: "
                                                       "com.fasterxml.jackson.core.JsonParseException: Unexpected end-of-input")))
            return {"lines": lines, "dur": rng.gauss(300, 40)}
        lines.append((1.5, ll.fmt(t, rid, "INFO", f"c.g.inv.LedgerDao - applied {n} rows to stock_ledger in "
                                                  f"{rng.randint(300, 2200)} ms")))
        return {"lines": lines, "dur": rng.gauss(2100 + 900 * (t >= LOAD), 300)}

    ll.run(counts_per_minute(inv, -9000, 0), counts_per_minute(err, -9000, 0), body)
    eg, es = f"/aws/rds/instance/{db}/error", db
    for t in times(sc, lambda t: 0.4):
        sc.log(eg, es, t, mysql(sc, t, rng.randint(20000, 90000), "Note", "MY-010914", f"Aborted connection "
               f"{rng.randint(10 ** 5, 10 ** 6)} to db: 'inventory' user: 'report_ro' host: '10.20.{rng.randint(1, 9)}."
               f"{rng.randint(2, 250)}' (Got timeout reading communication packets).", "Server"))
    for t in range(T0 + 15, 0, 60):
        th = rng.randint(3000, 9000)
        sc.log(eg, es, t, mysql(sc, t, th, "ERROR", "MY-012639", f"Write to file ./inventory/stock_ledger.ibd "
               f"failed at offset {rng.randint(10 ** 9, 10 ** 10)}, 16384 bytes should have been written, only 0 "
               "were written. Operating system error number 28. Check that your OS and file system support files "
               "of this size. Check also that the disk is not full or a disk quota exceeded.", "InnoDB"))
        sc.log(eg, es, t + 0.001, mysql(sc, t + 0.001, th, "ERROR", "MY-012640", "Error number 28 means 'No "
               "space left on device'", "InnoDB"))
    for t in range(T0 + 40, 0, 600):
        sc.log(eg, es, t, mysql(sc, t, 12, "ERROR", "MY-000035", "Disk is full writing '/rdsdbdata/log/binlog/"
               "mysql-bin-changelog.004812' (OS errno 28 - No space left on device). Waiting for someone to free "
               "space... Retry in 60 secs. Message reprinted in 600 secs.", "Server"))
    sc.change(-11100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "jenkins-inventory")
    sc.change(-1620, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", other, "dba-oncall")
    sc.expect = {"alarm": "stock-delta-apply-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = {"front": "caller (Lambda) / origin database", "services": ["lambda", "rds"],
               "runtime": "Java 17 Lambda (plain); MySQL error log",
               "decoys": "ModifyDBInstance on promo-db 2 min before onset; code deploy of the function 3 h "
                         "earlier; steady negative on-hand WARNs and aborted-connection notes",
               "story": "The overnight cycle-count load starts at 02:12 UTC and invdb-east's FreeStorageSpace, "
                        "already sliding, falls from 9.5 GB to nothing in 65 minutes (storage autoscaling is "
                        "off). From 03:17 the MySQL error log reports errno 28 'No space left on device' on "
                        "stock_ledger.ibd and the binlog, and stock-delta-apply fails with 'The table "
                        "'stock_ledger' is full' (1114). The function's last deploy was three hours before "
                        "and ran cleanly; the promo-db modification is on another instance."}
    return sc


# =========================================================================== 10
def build_10():
    sc = new(10, "store-journal-upload-5xx", "Stores' opening journal uploads failing with 500s; "
             "store-sync-gw 5XX alarm.", CAN, "2026-11-23T12:22:00+00:00")
    fn, other, api = "store-journal-intake", "eod-journal-close", "store-sync-gw"
    RC, DUR = 15, 20.0
    cap = RC * 60 / DUR
    sc.resource("apigateway", api, stage="prod")
    sc.resource("lambda", fn, runtime="dotnet8", timeout=90, memory_size=1024, reserved_concurrency=RC)
    sc.resource("lambda", other, runtime="dotnet8", timeout=300, memory_size=512)
    demand = lambda t: 5 + 105 * ramp(t, -2700, -900)
    served = lambda t: min(demand(t), cap * 0.985)
    tv = [float(max(0, round(demand(t) * sc.rng.gauss(1, 0.05)))) for t in GRID]
    inv = [float(min(v, round(cap * sc.rng.uniform(0.95, 1.0)))) for v in tv]
    thr = [a - b for a, b in zip(tv, inv)]
    d = {"FunctionName": fn}
    inv, err = lam_metrics(sc, fn, None, lambda t: 0.0, lambda t: DUR * 1000, 90, inv_values=inv)
    vals(sc, "AWS/Lambda", "Throttles", d, "Count", thr)
    vals(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count",
         [float(min(RC, max(0, round(served(t) * DUR / 60 * sc.rng.gauss(1, 0.05))))) for t in GRID])
    ad = {"ApiName": api}
    vals(sc, "AWS/ApiGateway", "Count", ad, "Count", tv)
    vals(sc, "AWS/ApiGateway", "5XXError", ad, "Count", thr)
    vals(sc, "AWS/ApiGateway", "4XXError", ad, "Count", [float(sc.rng.random() < 0.05) for _ in GRID])
    put(sc, "AWS/ApiGateway", "Latency", ad, "Milliseconds", lambda t: DUR * 1000 * served(t) / demand(t) + 60,
        noise=0.05, digits=2)
    lam_metrics(sc, other, lambda t: 1.0, lambda t: 0.0, lambda t: 41000 + bump(t, -1620, -1500, 3000),
                300)
    sc.alarm("store-sync-gw-5xx", "AWS/ApiGateway", "5XXError", ad, "Sum", 60, 3, 10.0, "GreaterThanThreshold",
             "store-sync-gw server errors")
    sc.alarm("store-journal-intake-throttles", "AWS/Lambda", "Throttles", d, "Sum", 300, 1, 25.0,
             "GreaterThanThreshold", "Journal intake throttled")
    rng = sc.rng
    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 90, mem_used=(330, 25), max_envs=RC, prewarm=-7000)

    def body(ll, t, rid, is_err, cold):
        store = f"{rng.randint(2001, 2412):04d}"
        n = rng.randint(3, 40)
        lines = [(0.02, ll.fmt(t, rid, "INFO", f"Journal upload store={store} lane_files={n} "
                                               f"business_date=2026-11-22"))]
        if rng.random() < 0.08:
            lines.append((0.05, ll.fmt(t, rid, "WARN", f"Journal batch {store}-20261122-{rng.randint(1, 9):03d} "
                                                       "already ingested (idempotency key seen); skipping")))
        dur = rng.gauss(DUR * 1000, 1800)
        lines.append((dur / 1000 - 0.01, ll.fmt(t, rid, "INFO", f"Stored {n} lane journals for store {store} in "
                                                                f"{dur:.0f} ms")))
        return {"lines": lines, "dur": dur}

    ll.run(counts_per_minute(inv, -7200, 0), counts_per_minute(err, -7200, 0), body)
    eg, es = f"API-Gateway-Execution-Logs_{sc.hexid(10)}/prod", "prod-exec"
    for t, k in zip(GRID, thr):
        if t < -7200 or not k:
            continue
        for s in sorted(rng.uniform(t, t + 60) for _ in range(min(int(k), 6))):
            r = sc.uuid()
            sc.log(eg, es, s, f"({r}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}")
            sc.log(eg, es, s + 0.001, f"({r}) Execution failed due to configuration error: Rate Exceeded.")
            sc.log(eg, es, s + 0.002, f"({r}) Method completed with status: 500")
    for t in times(sc, lambda t: 0.3, start=-7200):
        sc.log(eg, es, t, f"({sc.uuid()}) Method completed with status: 403")
    ll2 = LambdaLogs(sc, other, "dotnet8", 512, 300, mem_used=(200, 12))
    ll2.run({m: 1 for m in range(-7200, 0, 60)}, {}, lambda ll, t, rid, e, c: {
        "lines": [(0.01, ll.fmt(t, rid, "INFO", f"Closing business day 2026-11-22 for {rng.randint(3, 8)} stores"))],
        "dur": rng.gauss(41000, 3000)})
    sc.change(-1620, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "azdo-release")
    sc.expect = {"alarm": "store-sync-gw-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": d}]}
    sc.meta = {"front": "front (API Gateway) / origin Lambda", "services": ["apigateway", "lambda"],
               "runtime": ".NET 8 Lambda (plain); API Gateway execution log",
               "decoys": "eod-journal-close deploy 2 min before the throttles begin; the daily opening ramp "
                         "in request volume with its second (throttles) alarm; steady idempotency WARNs and 403s",
               "story": "From 06:37 Eastern stores start uploading their lane journals and demand on "
                        "store-sync-gw rises from ~5 to ~110 uploads a minute, as every weekday morning. Each "
                        "upload takes a steady ~20 s, so store-journal-intake's reserved concurrency of 15 caps "
                        "it at ~45 invocations a minute; ConcurrentExecutions sits at 15, Throttles climb and "
                        "API Gateway logs 'Lambda invocation failed with status: 429' and returns 500. "
                        "Duration and errors of the function itself do not change. The eod-journal-close "
                        "deploy just before leaves that function's duration and errors unchanged."}
    return sc


BUILDERS = [build_09, build_10]
