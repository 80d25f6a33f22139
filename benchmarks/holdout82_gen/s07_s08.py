"""h82-07 (order commit vs. the orders MySQL volume) and h82-08 (limited-drop reservation API)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID
from benchmarks.holdout57_gen.runtimes import LambdaLogs, mysql

from .kit import (LOG_START, S82, apigw_exec, apigw_metrics, diurnal, lambda_metrics, node_err,
                  py_unhandled, ramp, rds_metrics, sampled)


# ============================================================================ h82-07
def build_07() -> S82:
    sc = S82(7, "order-commit-writes", "Checkout confirms fail after payment; the order-commit "
             "function error alarm is firing.", "ap-northeast-1", "2026-11-27T13:00:00")
    fn, db, sale, full = "order-commit", "ec-orders-my", -4200, -2040
    sc.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=1024)
    sc.resource("lambda", "cart-view", runtime="nodejs22.x", timeout=6, memory_size=512)
    sc.resource("lambda", "points-accrual", runtime="ruby3.2", timeout=30, memory_size=256)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.39", instance_class="db.r6g.xlarge",
                max_connections=2000, allocated_storage_gb=200, storage_autoscaling=False,
                binlog_retention_hours=168)

    load = lambda t: 1.0 + 1.1 * ramp(t, sale, sale + 300)
    # free space: a slow slide all day, faster once the sale doubles write volume; 0 at `full`
    def free(t):
        if t >= full:
            return 0.06
        if t < sale:
            return 8.6 - 3.4 * (t + 21600) / (sale + 21600)
        return max(0.06, 5.2 * (full - t) / (full - sale))

    inv = sc.vals(lambda t: 260 * diurnal(sc, t, 12, 0.2) * load(t), integer=True)
    failing = lambda t: ramp(t, full - 30, full + 90)
    err = sc.vals(lambda t: 260 * diurnal(sc, t, 12, 0.2) * load(t) * 0.92 * failing(t), integer=True)
    err = [min(a, b) for a, b in zip(inv, err)]
    dur = sc.vals(lambda t: 180 * load(t) ** 0.3 - 60 * failing(t), noise=0.1)
    fd = lambda_metrics(sc, fn, inv, err, dur)
    cinv = sc.vals(lambda t: 1300 * diurnal(sc, t, 12, 0.2) * load(t), integer=True)
    cerr = sc.vals(lambda t: 1.5 * load(t), integer=True)
    lambda_metrics(sc, "cart-view", cinv, cerr, sc.vals(lambda t: 45, noise=0.1))
    pinv = sc.vals(lambda t: 30 * load(t) * (1 - 0.9 * failing(t)), integer=True)
    lambda_metrics(sc, "points-accrual", pinv, [0.0] * 360, sc.vals(lambda t: 300, noise=0.15))
    rds_metrics(sc, db, sc.vals(lambda t: 22 * load(t) ** 0.8 - 8 * failing(t), noise=0.05),
                sc.vals(lambda t: 180 * load(t) ** 0.5, integer=True),
                sc.vals(free, noise=0.002, digits=4),
                sc.vals(lambda t: 0.0009 * load(t) ** 0.5, noise=0.1, digits=5),
                sc.vals(lambda t: 0.0021 * load(t) ** 0.5 + 0.004 * failing(t), noise=0.1, digits=5),
                sc.vals(lambda t: 11800, noise=0.01))
    sd = {"DBInstanceIdentifier": db}

    ll = LambdaLogs(sc, fn, "python3.12", 1024, 30, retire=(-3900,), mem_used=(160, 12))

    def body(ll, t, rid, is_err, cold):
        oid = f"JP{sc.rng.randint(10 ** 9, 10 ** 10)}"
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"commit order {oid} lines={sc.rng.randint(1, 7)} "
                                 f"payment=pi_{sc.hexid(20)}"))]
        if is_err:
            msg, code = sc.rng.choice([("(1114, \"The table 'order_lines' is full\")", 1114),
                                       ("(3, \"Error writing file '/rdsdbdata/tmp/MLfd=81' (OS errno 28 - "
                                        "No space left on device)\")", 3)])
            lines.append((0.05, py_unhandled(ll, t + 0.05, rid, "OperationalError", msg, [
                ("/var/task/orders/commit.py", 88, "write_lines"),
                ("/opt/python/pymysql/cursors.py", 153, "execute"),
                ("/opt/python/pymysql/err.py", 150, "raise_mysql_exception")])))
            return {"dur": sc.rng.uniform(60, 140), "lines": lines}
        if sc.rng.random() < 0.04:
            lines.append((0.02, ll.fmt(t, rid, "WARNING", "payment webhook not yet received, order kept in "
                                       "AWAITING_CAPTURE")))
        return {"dur": max(60, sc.rng.gauss(180, 40)), "lines": lines + [
            (0.15, ll.fmt(t, rid, "INFO", f"order {oid} committed"))]}

    ll.run(*sampled(sc, inv, err, 4), body)
    cl = LambdaLogs(sc, "cart-view", "nodejs22.x", 512, 6)

    def cbody(ll, t, rid, is_err, cold):
        if is_err:
            return {"dur": 30, "lines": [(0.02, node_err(ll, t, rid, "CartNotFoundError",
                    f"cart {sc.hexid(12)} expired", ["    at loadCart (/var/task/cart.js:31:13)"]))]}
        return {"dur": max(10, sc.rng.gauss(45, 8)), "lines": [(0.01, ll.fmt(t, rid, "INFO", "cart rendered"))]}

    cl.run(*sampled(sc, cinv, cerr, 2), cbody)
    pl = LambdaLogs(sc, "points-accrual", "ruby3.2", 256, 30, retire=(-2100,))
    pl.run(*sampled(sc, pinv, [0] * 360, 1), lambda ll, t, rid, e, c: {
        "dur": sc.rng.gauss(300, 40), "lines": [(0.01, ll.fmt(t, rid, "INFO",
                                                  f"accrued {sc.rng.randint(10, 900)} points"))]})
    lg, ls = f"/aws/rds/instance/{db}/error", "ec-orders-my"
    sc.emit(lg, ls, lambda t: 0.15, lambda t: mysql(
        sc, t, 0, "Warning", "MY-010055", f"IP address '10.8.{sc.rng.randint(1, 40)}.{sc.rng.randint(2, 250)}' could "
        "not be resolved: Name or service not known"))
    sc.emit(lg, ls, lambda t: 3.0 * failing(t), lambda t: sc.rng.choice([
        mysql(sc, t, sc.rng.randint(900, 9000), "ERROR", "MY-012639", "Write to file ./ec/order_lines.ibd failed "
              f"at offset {sc.rng.randint(10 ** 9, 4 * 10 ** 9)}, 16384 bytes should have been written, only 0 were "
              "written. Operating system error number 28. Check that your OS and datadir have enough space.", "InnoDB"),
        mysql(sc, t, sc.rng.randint(900, 9000), "ERROR", "MY-012814", "The table 'order_lines' is full", "InnoDB")]))
    sc.log(lg, ls, full - 400, mysql(sc, full - 400, 0, "Warning", "MY-013101", "Disk is almost full: "
           "/rdsdbdata/db/ free space 318 MB, binlog files 41.2 GB", "Server"))

    sc.change(-3900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "codepipeline-orders")
    sc.change(-2100, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "points-accrual", "k.tanaka")
    sc.alarm("order-commit-errors", "AWS/Lambda", "Errors", fd, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "orders failing to commit")
    sc.alarm("ec-orders-my-free-storage", "AWS/RDS", "FreeStorageSpace", sd, "Minimum", 300, 1, 2 * 1024 ** 3,
             "LessThanThreshold", "less than 2 GiB free")
    sc.alarm("cart-view-errors", "AWS/Lambda", "Errors", {"FunctionName": "cart-view"}, "Sum", 300, 1, 20,
             "GreaterThanThreshold")
    sc.expect_rc("order-commit-errors", "storage_exhaustion", [db],
                 [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": sd}])
    sc.meta = dict(
        front="front (calling Lambda); origin = RDS",
        decoys="order-commit deploy 31 min before onset; points-accrual config change 1 min before; "
               "sale doubling traffic; chronic cart-view CartNotFoundError",
        services="Lambda (Python 3.12, Node 22, Ruby 3.2), RDS MySQL error log",
        story="ec-orders-my has no storage autoscaling and keeps a week of binlogs; FreeStorageSpace "
              "slides all day and, once the sale doubles write volume at -70 min, falls to ~60 MB at "
              "-34 min (the free-storage alarm fired well before; MySQL warns 'Disk is almost full'). "
              "From then InnoDB logs 'Operating system error number 28' and 'The table 'order_lines' "
              "is full', and order-commit raises pymysql OperationalError 1114 / errno 28 'No space "
              "left on device' for ~90 % of orders. order-commit's own deploy ran 30 minutes cleanly "
              "before the errors; the points-accrual configuration change a minute before onset is the "
              "closest change but that function only loses traffic.",
        judgement=None)
    return sc


# ============================================================================ h82-08
def build_08() -> S82:
    sc = S82(8, "drop-reservations", "Limited sneaker drop: shoppers get 'Internal server error' when "
             "reserving; the drops API 5XX alarm fired.", "eu-west-2", "2026-11-27T08:10:00")
    fn, api, drop, rc = "reserve-units", "drops-gateway", -2400, 60
    sc.resource("apigateway", api, api_id="p2r7xk4n1b", stage="v1", endpoint="EDGE")
    sc.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=768, reserved_concurrency=rc)
    sc.resource("lambda", "price-lookup", runtime="nodejs20.x", timeout=5, memory_size=512,
                reserved_concurrency=150)
    sc.resource("rds", "drops-pg", engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
                max_connections=800, allocated_storage_gb=200)

    d = lambda t: 1.0 + 3.3 * ramp(t, drop, drop + 120) - 0.8 * ramp(t, drop + 900, drop + 2400)
    want = sc.vals(lambda t: 820 * diurnal(sc, t, 9, 0.2) * d(t), integer=True)
    dur_s = 1.35
    cap = rc * 60 / dur_s * 0.97  # invocations a minute the reserved concurrency can carry
    inv = [min(w, round(cap * sc.rng.uniform(0.97, 1.0))) if w > cap else w for w in want]
    thr = [float(max(0, w - i)) for w, i in zip(want, inv)]
    err = sc.vals(lambda t: 0.3, integer=True)
    dur = sc.vals(lambda t: dur_s * 1000 * (1 + 0.05 * (d(t) - 1)), noise=0.06)
    conc = [float(min(rc, round(i * x / 60000 * sc.rng.uniform(1.0, 1.08)))) for i, x in zip(inv, dur)]
    fd = lambda_metrics(sc, fn, inv, err, dur, thr=thr, conc=conc)
    e5 = [float(e + t) for e, t in zip(err, thr)]
    apd = apigw_metrics(sc, api, [float(w) for w in want], sc.vals(lambda t: 4 * d(t), integer=True), e5,
                        [round(x + 30, 2) for x in dur], [round(x + 12, 2) for x in dur])
    pinv = sc.vals(lambda t: 2400 * diurnal(sc, t, 9, 0.2) * d(t), integer=True)
    lambda_metrics(sc, "price-lookup", pinv, [0.0] * 360, sc.vals(lambda t: 38, noise=0.1))
    rds_metrics(sc, "drops-pg", sc.vals(lambda t: 21 + 30 * min(1.0, (d(t) - 1) / 2), noise=0.05),
                sc.vals(lambda t: 70 + 40 * min(1.0, (d(t) - 1) / 2), integer=True),
                sc.vals(lambda t: 151.3, noise=0.0004), sc.vals(lambda t: 0.0008, noise=0.1, digits=5),
                sc.vals(lambda t: 0.0016, noise=0.1, digits=5), sc.vals(lambda t: 6100, noise=0.01))

    ll = LambdaLogs(sc, fn, "python3.12", 768, 10, mem_used=(141, 10), max_envs=rc)

    def body(ll, t, rid, is_err, cold):
        sku = f"DRP-{sc.rng.choice(['AJ1-LOW-PANDA', 'DUNK-UNC', 'YZY-350-ONYX'])}-{sc.rng.randint(36, 47)}"
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"reserve request sku={sku} qty=1"))]
        if is_err:
            lines.append((0.4, py_unhandled(ll, t + 0.4, rid, "ClientError", "An error occurred "
                          "(ConditionalCheckFailedException) when calling the PutItem operation: The conditional "
                          "request failed", [("/var/task/app/holds.py", 57, "put_hold")])))
            return {"dur": 420, "lines": lines}
        if sc.rng.random() < 0.08:
            lines.append((0.3, ll.fmt(t, rid, "WARNING", f"hold for {sku} expired before payment; released")))
        return {"dur": max(300, sc.rng.gauss(dur_s * 1000, 180)), "lines": lines + [
            (1.2, ll.fmt(t, rid, "INFO", f"hold placed sku={sku} ttl=480s"))]}

    ll.run(*sampled(sc, inv, err, 3), body)
    eg, es = "API-Gateway-Execution-Logs_p2r7xk4n1b/v1", "p2r7xk4n1b-v1"
    for t, n in zip(GRID, thr):
        if t < LOG_START:
            continue
        for _ in range(int(min(n, 4))):
            s, r = t + sc.rng.uniform(0, 60), sc.uuid()
            sc.log(eg, es, s, apigw_exec(sc, r, f"Lambda invocation failed with status: 429. Lambda request id: "
                                            f"{sc.uuid()}"))
            sc.log(eg, es, s + 0.001, apigw_exec(sc, r, "Execution failed due to configuration error: Rate Exceeded."))
            sc.log(eg, es, s + 0.002, apigw_exec(sc, r, "Method completed with status: 500"))
    sc.emit(eg, es, lambda t: 0.4, lambda t: apigw_exec(sc, sc.uuid(), "Method completed with status: 403"))

    sc.change(drop - 150, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function",
              "price-lookup", "drops-platform-admin")
    sc.change(-17000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gh-actions-drops")
    sc.alarm("drops-gateway-5xx", "AWS/ApiGateway", "5XXError", apd, "Sum", 60, 3, 50, "GreaterThanThreshold",
             "drops API server errors")
    sc.alarm("drops-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "drops-pg"}, "Average", 300, 2,
             70, "GreaterThanThreshold")
    sc.expect_rc("drops-gateway-5xx", "throttling", [fn],
                 [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": fd}])
    sc.meta = dict(
        front="front (API Gateway); origin = Lambda",
        decoys="PutFunctionConcurrency on price-lookup 2.5 min before the drop; the drop itself (4x "
               "requests); drops-pg CPU doubling; chronic ConditionalCheckFailed errors",
        services="API Gateway (execution logs), Lambda (Python 3.12, Node 20), RDS",
        story="The drop opens at -40 min and reservation requests go from ~950 to ~4,200 a minute. "
              "reserve-units has held a reserved concurrency of 60 for months; at ~1.35 s a call it can "
              "carry ~2,600 a minute, so ConcurrentExecutions flattens at 60 and Throttles runs at "
              "1,000-1,700 a minute. API Gateway logs 'Lambda invocation failed with status: 429' / 'Rate "
              "Exceeded' and returns 500s. The function's Errors and Duration do not move, drops-pg "
              "reaches 50 % CPU, and the concurrency change two minutes earlier was on price-lookup, "
              "which never throttles.",
        judgement="The drop is a genuine surge, but the failure is the function's concurrency limit "
                  "(Throttles, ConcurrentExecutions pinned at the reserved value, 429 Rate Exceeded): "
                  "the table's throttling row is the more specific fit, and traffic_surge requires "
                  "'no other fault'.")
    return sc


BUILDERS = [build_07, build_08]
