"""h67-07 (API Gateway -> Lambda -> RDS MySQL storage full, us-west-2) and
h67-08 (Lambda reserved-concurrency throttling, ap-southeast-1)."""
from __future__ import annotations

from . import kit
from .common import GRID, Scenario, bump, ramp, step
from .runtimes import LambdaLogs, jline, mysql


# =========================================================================== 07
def build_07() -> Scenario:
    sc = Scenario(7, "orders-api-5xx-usw2", "orders-api 5XX alarm in us-west-2; order "
                  "placement failing for West Coast customers.", "us-west-2", 67007,
                  "2026-12-03T20:10:00")
    EU = "eu-west-1"
    full = -2100
    for reg in ("us-west-2", EU):
        sc.resource("apigateway", "orders-api", region=reg, stage="prod", endpoint="REGIONAL")
        sc.resource("lambda", "order-write", region=reg, runtime="provided.al2023", timeout=10,
                    memory_size=256, architecture="arm64")
        sc.resource("lambda", "returns-intake", region=reg, runtime="provided.al2023",
                    timeout=30, memory_size=256)
        sc.resource("rds", "orders-db", region=reg, engine="mysql", engine_version="8.0.39",
                    instance_class="db.r6g.xlarge", max_connections=2000,
                    allocated_storage_gb=200 if reg != EU else 400, storage_autoscaling=False)
    lw, le = kit.load(sc, "us-west-2", 0.3, 18), kit.load(sc, EU, 0.3, 18)
    down = lambda t: step(t, full, 0, 1)  # noqa: E731
    rate = lambda t: 14 * lw(t)           # noqa: E731
    fn = kit.lam(sc, "order-write", rate, lambda t: 85 + 2400 * down(t),
                 ratio=lambda t: 0.004 + 0.93 * down(t))
    kit.apigw(sc, "orders-api", lambda t: rate(t) * 1.6, lambda t: 110 + 1500 * down(t),
              e4=lambda t: 0.6, e5=lambda t: rate(t) * 0.93 * down(t) + 0.02,
              ilat=lambda t: 90 + 1500 * down(t))
    kit.lam(sc, "order-write", lambda t: 11 * le(t) * (1 + bump(t, -2190, -1500, 0.3)),
            lambda t: 80 + 30 * bump(t, -2190, -2000, 1, 60), region=EU)
    kit.apigw(sc, "orders-api", lambda t: 17 * le(t), lambda t: 105, e4=lambda t: 0.5,
              region=EU)
    kit.lam(sc, "returns-intake", lambda t: 2 * lw(t), lambda t: 140)
    free0 = 21.0

    def free(t):
        if t >= full:
            return 0.0003 + 0.0002 * ((t // 60) % 3)
        return free0 * (full - t) / (full + 21600) + 0.0006

    kit.rds(sc, "orders-db", lambda t: 24 * lw(t) - 10 * down(t), lambda t: 95 * lw(t) + 60 * down(t),
            free, wlat=lambda t: 0.0022 + 0.8 * down(t),
            extra=[("WriteIOPS", "Count/Second", lambda t: 900 * lw(t) * (1 - 0.9 * down(t)),
                    {"noise": 0.1}),
                   ("BinLogDiskUsage", "Bytes", lambda t: 9.1e10 + (t + 21600) * 1.35e6,
                    {"noise": 0.0})])
    kit.rds(sc, "orders-db", lambda t: 22 * le(t), lambda t: 88 * le(t),
            lambda t: 188 if t < -5400 else 388, region=EU)

    ll = LambdaLogs(sc, "order-write", "provided.al2023", 256, 10, mem_used=(38, 4),
                    prewarm=-9540)

    def body(ll_, t, rid, is_err, cold):
        oid = f"W{sc.rng.randint(10 ** 8, 10 ** 9 - 1)}"
        ts = lambda x: sc.iso(x)  # noqa: E731
        if is_err and t >= full:
            if sc.rng.random() < 0.55:
                dur = sc.rng.uniform(20, 45)
                err = "Error 1114 (HY000): The table 'order_events' is full"
            else:
                dur = sc.rng.uniform(5000, 5050)
                err = "context deadline exceeded"
            return {"dur": dur, "lines": [(dur / 1000 - 0.002, jline(
                {"time": ts(t + dur / 1000), "level": "ERROR", "msg": "insert order failed",
                 "order_id": oid, "request_id": rid, "err": err}))]}
        dur = max(30.0, sc.rng.gauss(85, 20))
        lines = [(dur / 1000 - 0.002, jline({"time": ts(t + dur / 1000), "level": "INFO",
                                             "msg": "order stored", "order_id": oid,
                                             "request_id": rid, "lines": sc.rng.randint(1, 7),
                                             "db_ms": int(dur * 0.6)}))]
        if is_err:
            lines = [(dur / 1000, jline({"time": ts(t + dur / 1000), "level": "ERROR",
                                         "msg": "insert order failed", "order_id": oid,
                                         "request_id": rid,
                                         "err": "Error 1213 (40001): Deadlock found when trying "
                                                "to get lock; try restarting transaction"}))]
        elif sc.rng.random() < 0.05:
            lines.insert(0, (0.01, jline({"time": ts(t), "level": "WARN", "msg": "address "
                                          "normalisation fallback", "order_id": oid,
                                          "request_id": rid, "provider": "smarty",
                                          "status": 429})))
        return {"dur": dur, "lines": lines}

    ll.run(kit.counts_per_minute(fn["inv"], -9600, 0), kit.counts_per_minute(fn["err"], -9600, 0),
           body)
    g, s = "/aws/rds/instance/orders-db/error", "orders-db"
    kit.every(sc, g, s, 1800, lambda t: mysql(sc, t, 0, "Note", "MY-010914",
              f"Aborted connection {sc.rng.randint(10 ** 5, 10 ** 6)} to db: 'orders' user: "
              "'reporting' host: '10.30.7.18' (Got timeout reading communication packets)."))
    kit.every(sc, g, s, 60, lambda t: mysql(
        sc, t, sc.rng.randint(40, 900), "ERROR", "MY-000035",
        "Disk is full writing './mysql-bin-changelog.0" + str(4512 + int((t - full) // 600)) +
        "' (OS errno 28 - No space left on device). Waiting for someone to free space... Retry "
        "in 60 secs. Message reprinted in 600 secs."), start=full + 5)
    kit.every(sc, g, s, 90, lambda t: mysql(
        sc, t, sc.rng.randint(40, 900), "ERROR", "MY-013132",
        "The table 'order_events' is full!"), start=full + 20)
    sc.change(-5400, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "orders-db",
              "dba-oncall", region=EU)
    sc.change(-2190, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "order-write", "ci-orders", region=EU)
    sc.change(-2150, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "returns-intake", "ci-orders")
    sc.alarm("orders-api-usw2-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "orders-api"},
             "Sum", 60, 3, 3, "GreaterThanThreshold", "orders-api 5XX (us-west-2)")
    sc.alarm("orders-db-usw2-free-storage", "AWS/RDS", "FreeStorageSpace",
             {"DBInstanceIdentifier": "orders-db"}, "Minimum", 300, 1, 10 * kit.GB,
             "LessThanThreshold", "orders-db free storage < 10 GiB")
    sc.alarm("orders-db-euw1-free-storage", "AWS/RDS", "FreeStorageSpace",
             {"DBInstanceIdentifier": "orders-db"}, "Minimum", 300, 1, 10 * kit.GB,
             "LessThanThreshold", region=EU)
    sc.expect = {"alarm": "orders-api-usw2-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": ["orders-db"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": "orders-db"}}]}
    sc.meta = dict(front="front (API Gateway)", services="API Gateway, Lambda (Go, "
                   "provided.al2023, JSON), RDS MySQL",
                   decoys="order-write deploy in eu-west-1 and returns-intake deploy in "
                          "us-west-2 just before onset; ModifyDBInstance on eu-west-1 orders-db; "
                          "old deadlock ERRORs",
                   story=(
        "us-west-2 `orders-api` 5XX jump when `order-write` starts failing almost every insert "
        "with `Error 1114 (HY000): The table 'order_events' is full` or `context deadline "
        "exceeded`. The us-west-2 `orders-db` FreeStorageSpace has fallen in a straight line for "
        "six hours (binlog usage rising) and reaches zero at onset; its error log then repeats "
        "`Disk is full writing './mysql-bin-changelog...' (OS errno 28 - No space left on "
        "device)`, and WriteLatency jumps while WriteIOPS collapse. Decoys: the eu-west-1 "
        "`orders-db` had its storage enlarged by a DBA 90 minutes ago (ModifyDBInstance in the "
        "other region) and its free-storage alarm cleared, `order-write` was deployed in "
        "eu-west-1 and `returns-intake` in us-west-2 a few minutes before onset, and a trickle "
        "of deadlock errors predates everything."))
    return sc


# =========================================================================== 08
def build_08() -> Scenario:
    sc = Scenario(8, "stock-sync-throttles-apse1", "stock-sync Throttles alarm in "
                  "ap-southeast-1; marketplace stock levels lagging.", "ap-southeast-1", 67008,
                  "2026-12-04T06:00:00")
    US = "us-east-1"
    onset = -2400
    for reg, rc in (("ap-southeast-1", 16), (US, 40)):
        sc.resource("lambda", "stock-sync", region=reg, runtime="dotnet8", timeout=60,
                    memory_size=1024, reserved_concurrency=rc, trigger="sqs:stock-updates")
        sc.resource("lambda", "price-index", region=reg, runtime="dotnet8", timeout=120,
                    memory_size=2048)
    la, lu = kit.load(sc, "ap-southeast-1", 0.22, 14), kit.load(sc, US, 0.22, 14)
    busy = lambda t: ramp(t, onset - 600, onset + 300)  # noqa: E731
    demand = lambda t: 70 * la(t) * (1 + 0.3 * busy(t))  # noqa: E731
    dur = lambda t: 8800 * (1 + 0.15 * busy(t))          # noqa: E731
    need = lambda t: demand(t) * dur(t) / 60000          # noqa: E731
    served = lambda t: min(demand(t), 16 * 60000 / dur(t) * 0.97)  # noqa: E731
    fn = kit.lam(sc, "stock-sync", served, dur, ratio=lambda t: 0.006,
                 thr=lambda t: max(0.0, demand(t) - served(t)) * 1.8,
                 conc=lambda t: need(t) * 1.05, cap_conc=16)
    kit.lam(sc, "stock-sync", lambda t: 55 * lu(t), lambda t: 8600, ratio=lambda t: 0.005,
            conc=lambda t: 55 * lu(t) * 8.6 / 60, region=US)
    kit.lam(sc, "price-index", lambda t: 2 + 8 * bump(t, -2300, -1900, 1, 60), lambda t: 31000)
    kit.lam(sc, "price-index", lambda t: 2, lambda t: 30000, region=US)
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "stock-updates"},
              "Seconds", sc.series(lambda t: 12 + 1500 * ramp(t, onset, 0), noise=0.1))
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "stock-updates"},
              "Seconds", sc.series(lambda t: 11, noise=0.2), region=US)

    ll = LambdaLogs(sc, "stock-sync", "dotnet8", 1024, 60, mem_used=(300, 25), prewarm=-10740,
                    life=(5000, 9000))
    mk = ["lazada-sg", "shopee-my", "zalora-sg", "tokopedia-id"]

    def body(ll_, t, rid, is_err, cold):
        n = sc.rng.randint(40, 100)
        d = max(2000.0, sc.rng.gauss(dur(t), 1500))
        src = kit.pick(sc, mk)
        lines = [(0.02, ll_.fmt(t + 0.02, rid, "INFO", f"StockSync.Handlers.FeedHandler[0] "
                                f"Processing batch of {n} updates from {src}"))]
        if sc.rng.random() < 0.3:
            lines.append((0.5, ll_.fmt(t + 0.5, rid, "WARN", f"StockSync.Handlers.FeedHandler[0]"
                                       f" SKU {sc.rng.randint(10 ** 6, 10 ** 7)} not found in "
                                       "catalog, skipping")))
        if is_err:
            lines.append((d / 1000, ll_.fmt(t + d / 1000, rid, "ERROR", "StockSync.Handlers."
                                            "FeedHandler[0] Npgsql.PostgresException (0x80004005):"
                                            " 40P01: deadlock detected")))
        else:
            lines.append((d / 1000, ll_.fmt(t + d / 1000, rid, "INFO", f"StockSync.Handlers."
                                            f"FeedHandler[0] Applied {n} stock updates in "
                                            f"{int(d)} ms")))
        return {"dur": d, "lines": lines}

    sample = {m: max(1, round(v / 14)) for m, v in kit.counts_per_minute(fn["inv"], -10800, 0).items()}
    errs = {m: min(sample[m], e) for m, e in kit.counts_per_minute(fn["err"], -10800, 0).items()}
    ll.run(sample, errs, body)
    sc.change(-2500, "lambda.amazonaws.com", "PutFunctionConcurrency20171031",
              "AWS::Lambda::Function", "stock-sync", "sre-oncall", region=US)
    sc.change(-2330, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "price-index", "azure-devops-release")
    sc.change(-15300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "stock-sync", "azure-devops-release")
    sc.alarm("stock-sync-apse1-throttles", "AWS/Lambda", "Throttles",
             {"FunctionName": "stock-sync"}, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "stock-sync throttles (ap-southeast-1)")
    sc.alarm("stock-updates-apse1-age", "AWS/SQS", "ApproximateAgeOfOldestMessage",
             {"QueueName": "stock-updates"}, "Maximum", 300, 1, 600, "GreaterThanThreshold")
    sc.expect = {"alarm": "stock-sync-apse1-throttles",
                 "root_cause": {"category": "throttling", "resource": ["stock-sync"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles",
                                "dimensions": {"FunctionName": "stock-sync"}}]}
    sc.meta = dict(front="origin", services="Lambda (.NET 8), SQS",
                   decoys="PutFunctionConcurrency on stock-sync in us-east-1 100 s before "
                          "onset; price-index deploy in ap-southeast-1; old deadlock errors and "
                          "unknown-SKU warnings",
                   judgement=(
        "Volume rises only ~30 % (a normal afternoon batch, below what a surge would mean) "
        "and Duration ~15 %, yet together they push needed concurrency over the reserved 16; "
        "the limit is what fails, so throttling, not traffic_surge. The platform log is "
        "sampled (about 1 in 14 invocations) to keep the file small."),
                   story=(
        "In ap-southeast-1 `stock-sync` (reserved concurrency 16) drains the `stock-updates` "
        "queue. A heavier afternoon feed (+30 % messages, batches ~15 % slower) pushes "
        "ConcurrentExecutions to a flat 16, Throttles climb, Invocations plateau and the "
        "queue's oldest-message age grows. Nothing changed in the region's function. Decoys: "
        "`PutFunctionConcurrency` on `stock-sync` appears in CloudTrail 100 s before onset, but "
        "in us-east-1 (raising that copy to 40); `price-index` was deployed in ap-southeast-1 "
        "just after onset; deadlock errors and `SKU not found` warnings are old."))
    return sc


_ = GRID
