"""Scenarios 11-12: SQS backfill eats the account's Lambda concurrency; batch queries pin an Aurora MySQL writer."""
import math

from .common import Ctx, Scenario, grid, diurnal, ramp, clamp
from .lam import Fn, drive, drive_workers, apigw
from .rds import rds_metrics, slowlog
from .s01_03 import ln, noise


def s11():
    c = Ctx(4811)
    sc = Scenario(c, "h48-11-backfill-starves-concurrency", "us-east-1",
                  "Catalog search intermittently returning 500; search-api Throttles alarm.")
    T, BF = grid(6), -2700
    sc.res("lambda", "search-api", runtime="java21", memory_size=1024, timeout=10,
           handler="com.acme.search.SearchHandler::handleRequest", account_concurrency_limit=1000)
    sc.res("lambda", "catalog-backfill", runtime="python3.12", memory_size=512, timeout=120,
           event_source="sqs:catalog-backfill-queue", batch_size=10, account_concurrency_limit=1000)
    sc.res("apigateway", "catalog-api", stage="prod", integration="search-api")
    sc.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "search-api", "ci-deployer")
    bf = [0.0 if t < BF else clamp(952 * ramp(t, BF, 240) + c.gauss(0, 9), 0, 975) for t in T]
    other = [34 * diurnal(t, 0.2, 0.4) + c.gauss(0, 3) for t in T]
    acct = [min(1000.0, round(b + o)) for b, o in zip(bf, other)]
    frac = {t: (clamp(0.62 + 0.15 * math.sin(t / 240.0) + c.gauss(0, 0.06), 0.3, 0.88) if t >= BF + 180 else 0.0)
            for t in T}
    fn = Fn(sc, "search-api", "java21", 1024, 10, log_from=-7200, logger="SearchHandler")
    fn.prewarm(T[0], 3)
    thr, gw = [], []
    terms = ["usb-c cable", "standing desk", "ergonomic chair", "monitor arm", "webcam 4k", "mechanical keyboard",
             "noise cancelling", "laptop stand", "hdmi 2.1", "desk lamp"]

    def spec(t, cold, rid):
        q = c.r.choice(terms)
        d = ln(c, 95, 0.35)
        lines = [(1, "INFO", "GET /v1/search q=\"%s\" page=%d" % (q, c.r.randint(1, 3)))]
        if c.r.random() < 0.04:
            d += 1100
            lines.append((d - 30, "WARN", "OpenSearch query took %d ms (slow) index=products-v7 q=\"%s\"" % (d - 40, q), "OpenSearchClient"))
        lines.append((d - 2, "INFO", "200 hits=%d took=%dms" % (c.r.randint(0, 400), d)))
        return {"duration": d, "mem": c.r.randint(210, 240), "init": ln(c, 2300, 0.15), "lines": lines,
                "init_lines": [(50, "INFO", "Starting SearchApplication using Java 21.0.4", "SearchApplication"),
                               (1900, "INFO", "OpenSearch client initialised endpoint=https://vpc-catalog-search-%s.us-east-1.es.amazonaws.com" % c.hex(10), "OpenSearchConfig")]}

    for t0 in T:
        n, k = c.poisson(38 * diurnal(t0, 0.2, 0.4)), 0
        for t in sorted(t0 + c.r.random() * 60 for _ in range(n)):
            if c.r.random() < frac[t0]:
                k += 1
                if t >= -7200:
                    g = c.uuid()
                    gw += [(t + 0.03, "(%s) Lambda invocation failed with status: 429. Lambda request id: %s" % (g, c.uuid())),
                           (t + 0.031, "(%s) Execution failed due to configuration error: Rate Exceeded." % g),
                           (t + 0.032, "(%s) Method completed with status: 500" % g)]
            else:
                fn.invoke(t, spec)
        thr.append(float(k))
    fn.flush_logs()
    fn.emit_metrics(T, throttles=thr)
    apigw(sc, "catalog-api", T, [fn], throttled=thr)
    sc.log("API-Gateway-Execution-Logs_q8w2e4r6t1/prod", "q8w2e4r6t1-prod-" + c.hex(8), gw)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", {}, "Count", T, acct)
    sc.metric("AWS/Lambda", "UnreservedConcurrentExecutions", {}, "Count", T, acct)
    d_bf = {"FunctionName": "catalog-backfill"}
    sc.metric("AWS/Lambda", "Invocations", d_bf, "Count", T, [round(b * 60 / 47.5 + c.gauss(0, 8)) if b else 0 for b in bf])
    sc.metric("AWS/Lambda", "Errors", d_bf, "Count", T, [0.0] * len(T))
    sc.metric("AWS/Lambda", "Throttles", d_bf, "Count", T,
              [max(0, round(c.gauss(45, 15))) if t >= BF + 180 else 0 for t in T])
    sc.metric("AWS/Lambda", "Duration", d_bf, "Milliseconds", T, [c.gauss(47500, 1500) if b else None for b in bf], nd=2)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d_bf, "Count", T, [round(b) if b else None for b in bf])
    backlog, sent, age = [], [], []
    left = 0.0
    for t, b in zip(T, bf):
        s = 920000.0 if t in (BF - 120, BF - 60) else 0.0
        left = max(0.0, left + s - b * 60 / 47.5 * 10)
        backlog.append(left)
        sent.append(s + max(0, c.gauss(3, 2)))
        age.append(t - (BF - 120) if left else 0.0)
    q = {"QueueName": "catalog-backfill-queue"}
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", T, backlog)
    sc.metric("AWS/SQS", "NumberOfMessagesSent", q, "Count", T, sent)
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds", T, age)

    wk = Fn(sc, "catalog-backfill", "python3.12", 512, 120, log_from=-7200)

    def wspec(t, cold, rid):
        d = c.gauss(47000, 1400)
        first = c.r.randint(100000, 990000)
        return {"duration": d, "mem": c.r.randint(160, 190), "init": ln(c, 620, 0.15), "lines": [
            (3, "INFO", "Received 10 messages from catalog-backfill-queue (first sku=%d)" % first),
            (d * 0.5, "INFO", "Fetched product documents for 10 SKUs from catalog-db snapshot export"),
            (d - 6, "INFO", "Reindexed 10 SKUs into products-v7 (bulk took %.1fs, errors=0)" % (d / 1000 - 2.1))]}

    drive_workers(wk, [BF + c.r.uniform(5, 200) for _ in range(8)], -2, wspec)
    wk.flush_logs()
    sc.alarm("search-api-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "search-api"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "search-api throttled invocations")
    sc.set_expect("search-api-throttles", "throttling", ["catalog-backfill"], [
        ("AWS/Lambda", "Throttles", {"FunctionName": "search-api"}),
        ("AWS/Lambda", "ConcurrentExecutions", {"FunctionName": "catalog-backfill"}),
        ("AWS/Lambda", "ConcurrentExecutions", {})])
    return sc, {
        "alarm_on": "front (throttled victim; origin is the Lambda consuming the account concurrency)",
        "decoys": "search-api code deploy 2.5 h earlier; steady slow-OpenSearch WARNs on search-api",
        "story": "Someone enqueued ~1.8 M catalog re-index messages 47 minutes ago. catalog-backfill consumes the "
                 "queue through an SQS event source mapping with no maximum concurrency and no reserved "
                 "concurrency, so it scales to ~950 concurrent executions and the account-level "
                 "ConcurrentExecutions sits at the 1,000 limit. search-api has no reserved concurrency either: "
                 "most of its synchronous invocations are throttled (Lambda 429, API Gateway `Rate Exceeded` and "
                 "500s). search-api did not change and its own duration is normal. Concurrency limit hit: "
                 "throttling, originating at catalog-backfill (the function that exhausted the shared pool)."}


# --------------------------------------------------------------------------------------------
RECON_SQL = ("SELECT s.sku, s.warehouse_id, s.on_hand, COALESCE(SUM(m.qty), 0) AS movement_total FROM stock s LEFT JOIN "
             "stock_movements m ON m.sku = s.sku AND m.warehouse_id = s.warehouse_id WHERE s.warehouse_id = '%s' AND "
             "s.sku BETWEEN %d AND %d GROUP BY s.sku, s.warehouse_id, s.on_hand HAVING s.on_hand <> COALESCE(SUM(m.qty), 0)")


def s12():
    c = Ctx(4812)
    sc = Scenario(c, "h48-12-inventory-aurora-cpu", "ap-southeast-1",
                  "Inventory API very slow, POS terminals timing out on stock checks; inventory-api Duration alarm.")
    T, BATCH = grid(6), -2100
    sc.res("rds", "inventory-aurora-writer", engine="aurora-mysql", engine_version="8.0.mysql_aurora.3.05.2",
           instance_class="db.r6g.large", vcpus=2, cluster="inventory-aurora", role="writer", max_connections=1000)
    sc.res("lambda", "inventory-api", runtime="java21", memory_size=2048, timeout=15,
           handler="com.acme.inventory.ApiHandler::handleRequest")
    sc.res("lambda", "stock-reconciler", runtime="python3.12", memory_size=1024, timeout=300,
           event_source="sqs:stock-reconcile-jobs", maximum_concurrency=12)
    sc.res("apigateway", "inventory-http-api", stage="prod", integration="inventory-api")
    sc.change(-11000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "inventory-api", "ci-deployer")
    sat = lambda t: ramp(t, BATCH, 150)
    slow = []
    rec = Fn(sc, "stock-reconciler", "python3.12", 1024, 300, log_from=-7200)
    whs = ["SIN-1", "SIN-2", "SIN-3", "KUL-1", "BKK-1", "CGK-1"]

    def rspec(t, cold, rid):
        wh, lo = c.r.choice(whs), c.r.randint(10, 190) * 5000
        q = c.gauss(33000, 5000) * (0.5 + 0.5 * sat(t))
        h = c.ip("10.30")
        slow.append((t + q / 1000, slowlog(c, t + q / 1000, "reconciler", h, q / 1000, 0.00012, c.r.randint(0, 9),
                                           c.r.randint(5800000, 6600000), RECON_SQL % (wh, lo, lo + 4999), "inventory")))
        return {"duration": q + 180, "mem": c.r.randint(130, 150), "init": ln(c, 540, 0.15), "lines": [
            (4, "INFO", "job reconcile warehouse=%s sku_range=[%d,%d)" % (wh, lo, lo + 5000)),
            (q + 150, "INFO", "reconciled warehouse=%s skus=5000 mismatches=%d query_s=%.1f" % (wh, c.r.randint(0, 9), q / 1000))]}

    drive_workers(rec, [BATCH + c.r.uniform(1, 40) for _ in range(12)], -2, rspec)
    rec.flush_logs()
    rec.emit_metrics(T)

    api = Fn(sc, "inventory-api", "java21", 2048, 15, log_from=-7200, logger="StockController")
    api.prewarm(T[0], 3)
    api.reconfigure(-10998)

    def aspec(t, cold, rid):
        sku, wh = c.r.randint(100000, 999999), c.r.choice(whs)
        d = ln(c, 38 * (1 + 40 * sat(t)), 0.45)
        lines = [(1, "INFO", "GET /v1/stock/%d?warehouse=%s" % (sku, wh))]
        if c.r.random() < 0.05:
            lines.append((2, "WARN", "Deprecated header X-Warehouse-Id used by client app=pos-legacy"))
        sql = "SELECT sku, warehouse_id, on_hand, reserved, updated_at FROM stock WHERE sku = %d AND warehouse_id = '%s'" % (sku, wh)
        if d > 2000:
            slow.append((t + min(d, 5000) / 1000, slowlog(c, t + min(d, 5000) / 1000, "inventory_app", c.ip("10.30"),
                                                            min(d, 5000) / 1000, 0.00008, 1, 1, sql, "inventory")))
        if d > 5000:
            lines.append((5012, "ERROR", "stock lookup failed sku=%d warehouse=%s\ncom.mysql.cj.jdbc.exceptions.MySQLTimeoutException: "
                                         "Statement cancelled due to timeout or client request\n"
                                         "\tat com.mysql.cj.jdbc.ClientPreparedStatement.executeInternal(ClientPreparedStatement.java:916)\n"
                                         "\tat com.mysql.cj.jdbc.ClientPreparedStatement.executeQuery(ClientPreparedStatement.java:972)\n"
                                         "\tat com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery(HikariProxyPreparedStatement.java)\n"
                                         "\tat com.acme.inventory.StockRepository.findBySku(StockRepository.java:44)" % (sku, wh),
                          "StockRepository"))
            lines.append((5020, "INFO", "503 GET /v1/stock/%d 5020ms" % sku))
            return {"duration": 5025, "status": 503, "mem": c.r.randint(330, 380), "lines": lines, "init": ln(c, 2900, 0.12)}
        lines.append((d, "INFO", "200 GET /v1/stock/%d %dms" % (sku, d)))
        return {"duration": d + 2, "mem": c.r.randint(330, 380), "lines": lines, "init": ln(c, 2900, 0.12)}

    drive(api, T, lambda t: 22 * diurnal(t, 0.2, 0.35), aspec)
    api.flush_logs()
    api.emit_metrics(T)
    apigw(sc, "inventory-http-api", T, [api])
    t = -21600 + c.r.uniform(0, 900)
    while t < 0:
        slow.append((t, slowlog(c, t, "reporting", "10.30.9.14", c.r.uniform(2.1, 4.5), 0.0001, c.r.randint(20, 300),
                                c.r.randint(300000, 900000), "SELECT warehouse_id, DATE(created_at) d, COUNT(*) FROM "
                                "stock_movements WHERE created_at >= CURDATE() - INTERVAL 7 DAY GROUP BY 1, 2", "inventory")))
        t += c.r.uniform(900, 1800)
    sc.log("/aws/rds/cluster/inventory-aurora/slowquery", "inventory-aurora-writer", slow)
    cpu = [min(99.7, 26 * diurnal(t, 0.2, 0.35) + (98.6 - 26) * sat(t) + c.gauss(0, 0.5 + 2 * (1 - sat(t)))) for t in T]
    rds_metrics(sc, "inventory-aurora-writer", T, {
        "CPUUtilization": cpu,
        "DBLoadCPU": [max(0.05, 0.45 + 13 * sat(t) + c.gauss(0, 0.4 * (0.3 + sat(t)))) for t in T],
        "DatabaseConnections": [round(41 + 22 * sat(t) + c.gauss(0, 2)) for t in T],
        "SelectLatency": [max(0.2, 0.7 + 800 * sat(t) * c.r.uniform(0.8, 1.2) + c.gauss(0, 0.1)) for t in T],
        "ReadIOPS": [max(20, 420 + 900 * sat(t) + c.gauss(0, 40)) for t in T],
        "BufferCacheHitRatio": [99.8 - 0.3 * sat(t) + c.gauss(0, 0.03) for t in T],
        "FreeableMemory": noise(c, T, 4.9e9, 4e7)}, cluster="inventory-aurora")
    sc.alarm("inventory-api-duration", "AWS/Lambda", "Duration", {"FunctionName": "inventory-api"}, "Average", 60, 3,
             1000, "GreaterThanThreshold", "inventory-api average duration")
    sc.set_expect("inventory-api-duration", "cpu_saturation", ["inventory-aurora-writer", "inventory-aurora"], [
        ("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "inventory-aurora-writer"}),
        ("AWS/Lambda", "Duration", {"FunctionName": "inventory-api"})])
    return sc, {
        "alarm_on": "front (Lambda; origin is the Aurora writer)",
        "decoys": "inventory-api deploy 3 h earlier; steady deprecated-header WARNs; steady slow `reporting` "
                  "queries in the slow-query log before onset",
        "story": "A reconciliation run started 35 minutes ago: 12 stock-reconciler workers each run an unindexed "
                 "join/aggregate over stock_movements (slow log: ~30 s, ~6 M rows examined per query). The 2-vCPU "
                 "Aurora MySQL writer goes to ~99 % CPU (DBLoadCPU ~13). inventory-api's primary-key lookups, "
                 "normally ~40 ms, now take seconds, and some are cancelled by the JDBC query timeout "
                 "(MySQLTimeoutException) and served as 503. Connections stay far from the limit and nothing changed "
                 "on the API. CPU pinned on the database with latency following: cpu_saturation on the Aurora "
                 "writer."}
