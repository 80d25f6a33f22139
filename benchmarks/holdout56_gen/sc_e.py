"""h56-09, h56-10: a nightly snapshot writer throttled by DynamoDB, a reindex worker hitting its timeout."""
import datetime as dt

from .core import Scenario
from .infra import queue_metrics, sqs_consume
from .lambda_sim import LambdaFn

ACCOUNT = "412907655218"


def s09_snapshot_writer_throttled():
    sc = Scenario(name="h56-09-snapshot-writer-throttled", region="eu-west-2", seed=5609, tz_hours=1,
                  now_utc=dt.datetime(2026, 10, 11, 1, 5),
                  description="Nightly ledger snapshot job failing; Errors alarm on the snapshot writer.")
    rng = sc.rng
    fn = LambdaFn(sc, "ledger-snapshot-writer", "python3.11", 1024, 300)
    sc.resource("lambda", fn.name, runtime="python3.11", timeout=300, memory_size=1024, reserved_concurrency=20,
                event_source=f"arn:aws:sqs:eu-west-2:{ACCOUNT}:snapshot-jobs", batch_size=1,
                dynamodb_table="ledger-snapshots", table_billing="PROVISIONED 400 WCU (autoscaling max 400)")
    disp = LambdaFn(sc, "snapshot-dispatcher", "python3.11", 256, 120)
    sc.resource("lambda", disp.name, runtime="python3.11", timeout=120, memory_size=256,
                schedule="cron(30 * * * ? *)")
    fx = LambdaFn(sc, "fx-import-nightly", "python3.11", 512, 600)
    sc.resource("lambda", fx.name, runtime="python3.11", timeout=600, memory_size=512, schedule="cron(0 0 * * ? *)")
    sc.resource("rds", "ledger-reporting-pg", engine="postgres", engine_version="15.7",
                instance_class="db.r6g.large", max_connections=1700, allocated_storage_gb=300)
    sc.change(-7420, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "ledger-reporting-pg",
              "AWSReservedSSO_DBA_1c9e44/priya.shah")

    nightly = -2100
    arrivals = []
    runs = [t for t in range(-sc.history, 0, 60) if sc.at(t).minute == 30]
    for t0 in runs:
        big = t0 == nightly
        n = 1600 if big else rng.randint(36, 44)
        lines = [(0.01, "INFO", f"Dispatching {'nightly full' if big else 'intraday VIP'} snapshot run for "
                                f"as_of={sc.at(t0).strftime('%Y-%m-%dT%H:00:00Z')}: {n} account batches")]
        disp.add(t0 + 0.4, rng.uniform(2500, 4000) if big else rng.uniform(300, 600), "ok", lines, mem=91)
        for k in range(n):
            arrivals.append((t0 + 1.5 + k * (0.0012 if big else 0.01), {"batch": k, "big": big}))
    state = {"demand": {}}

    def process(start, msg, attempt):
        m = int(start // 60) * 60
        state["demand"][m] = state["demand"].get(m, 0) + 1
        b = msg.payload["batch"]
        accounts = rng.randint(1800, 2000) if msg.payload["big"] else rng.randint(150, 250)
        lines = [(0.003, "INFO", f"Snapshotting batch {b:04d} ({accounts} accounts, receive {attempt})")]
        if rng.random() < 0.25:
            lines.append((0.4, "WARNING", f"Account acc_{sc.hexid(10)} has no postings in period; writing empty snapshot"))
        hot = start >= nightly and start < nightly + 3600
        if hot and rng.random() < 0.62:
            off = 1.0
            for k in range(rng.randint(3, 7)):
                off += rng.uniform(2, 9)
                lines.append((off, "WARNING", f"BatchWriteItem returned {rng.randint(12, 25)} UnprocessedItems; "
                                               f"backing off {0.05 * 2 ** k:.2f}s (retry {k + 1})"))
            dur = (off + rng.uniform(0.5, 2)) * 1000
            err = {"type": "botocore.errorfactory.ProvisionedThroughputExceededException",
                   "message": "An error occurred (ProvisionedThroughputExceededException) when calling the "
                              "BatchWriteItem operation (reached max retries: 2): The level of configured provisioned "
                              "throughput for the table was exceeded. Consider increasing your provisioning level "
                              "with the UpdateTable API.",
                   "trace": ['  File "/var/task/snapshots/handler.py", line 71, in handler',
                             '    writer.flush()',
                             '  File "/var/task/snapshots/writer.py", line 44, in flush',
                             '    resp = self._client.batch_write_item(RequestItems=pending)',
                             '  File "/var/lang/lib/python3.11/site-packages/botocore/client.py", line 1021, '
                             'in _make_api_call',
                             '    raise error_class(parsed_response, operation_name)']}
            fn.add(start, dur, "error", lines, mem=rng.randint(210, 260), err=err)
            return dur, False
        dur = accounts * rng.uniform(9, 13) * (rng.uniform(2.5, 5) if hot else 1)
        lines.append((dur / 1000 - 0.05, "INFO", f"Wrote {accounts} snapshots to ledger-snapshots "
                                                 f"({accounts // 25 + 1} BatchWriteItem calls)"))
        fn.add(start, dur, "ok", lines, mem=rng.randint(210, 260))
        return dur, True

    msgs = sqs_consume(sc, arrivals, process, concurrency=20, visibility=360, max_receives=4)
    fn.emit_metrics()
    fn.emit_logs()
    disp.emit_metrics()
    disp.emit_logs()
    queue_metrics(sc, "snapshot-jobs", msgs, dlq="snapshot-jobs-dlq")

    demand = {}                    # items the writers try to put per minute, before throttling
    for mm in msgs:
        per_min = 8000 if mm.payload["big"] else 3600
        for s, e, ok in mm.spans:
            for x in range(int(s // 60) * 60, int(e // 60) * 60 + 1, 60):
                share = (min(e, x + 60) - max(s, x)) / 60.0
                demand[x] = demand.get(x, 0) + per_min * share
    td = {"TableName": "ledger-snapshots"}
    sc.series("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", td, "Count", lambda m: 400)
    sc.series("AWS/DynamoDB", "ConsumedWriteCapacityUnits", td, "Count",
              lambda m: min(24000 * rng.uniform(0.985, 1.0), rng.uniform(1500, 2100) + demand.get(m, 0)))
    sc.series("AWS/DynamoDB", "WriteThrottleEvents", td, "Count",
              lambda m: max(0, int((demand.get(m, 0) - 22200) / 25 * rng.uniform(0.8, 1.2))))
    sc.series("AWS/DynamoDB", "SuccessfulRequestLatency", {"TableName": "ledger-snapshots", "Operation": "BatchWriteItem"},
              "Milliseconds", lambda m: rng.uniform(6, 11) if demand.get(m) else None)

    lines = [(0.01, "INFO", "Importing ECB reference rates for 2026-10-10"),
             (41.2, "INFO", "Upserted 31 currencies x 1 day into ledger-reporting-pg.fx_rates")]
    fx.add(-3900 + 0.7, 41900, "ok", lines, mem=188)
    fx.emit_metrics()
    fx.emit_logs()
    rd = {"DBInstanceIdentifier": "ledger-reporting-pg"}
    sc.series("AWS/RDS", "CPUUtilization", rd, "Percent",
              lambda m: rng.uniform(5, 9) + (18 if -3900 <= m < -3840 else 0) + (12 if -7420 <= m < -7000 else 0))
    sc.series("AWS/RDS", "DatabaseConnections", rd, "Count", lambda m: rng.randint(11, 15))
    sc.series("AWS/RDS", "FreeableMemory", rd, "Bytes", lambda m: rng.uniform(9.1e9, 9.3e9))

    sc.alarm("ledger-snapshot-writer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn.name}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", description="Ledger snapshot batches failing")
    sc.set_expect("ledger-snapshot-writer-errors", "throttling", [fn.name, "ledger-snapshots"],
                  [("AWS/Lambda", "Errors", {"FunctionName": fn.name}),
                   ("AWS/DynamoDB", "WriteThrottleEvents", td)])
    sc.notes = {
        "category": "throttling", "origin": "origin-side (alarm on the throttled writer; the table it writes is "
                                            "also accepted)",
        "decoys": "ModifyDBInstance on ledger-reporting-pg two hours earlier; fx-import-nightly at 01:00 BST; "
                  "the hourly intraday runs of the same job (healthy, same 'no postings' warnings); the nightly "
                  "dispatch itself is a scheduled, expected spike",
        "story": "snapshot-dispatcher enqueues ~40 batches every hour and the full 1,600-batch run at 00:30 UTC. "
                 "The writer runs at its reserved concurrency of 20 and the ledger-snapshots table is provisioned "
                 "at 400 WCU: ConsumedWriteCapacityUnits flattens at the limit, WriteThrottleEvents soar, the "
                 "function logs UnprocessedItems back-offs and then "
                 "ProvisionedThroughputExceededException (reached max retries), and the Errors alarm fires. The "
                 "intraday runs earlier in the window were fine; nothing changed on the function or table. "
                 "Throughput-exceeded errors: throttling, on the writer/its table.",
    }
    return sc


def s10_reindex_worker_timeout():
    sc = Scenario(name="h56-10-reindex-worker-timeout", region="ap-northeast-1", seed=5610, tz_hours=9,
                  now_utc=dt.datetime(2026, 8, 27, 18, 30),
                  description="Search reindex worker errors after the 03:00 JST catalog sync; Errors alarm.")
    rng = sc.rng
    fn = LambdaFn(sc, "search-reindex-worker", "java21", 512, 30)
    sc.resource("lambda", fn.name, runtime="java21", timeout=30, memory_size=512,
                event_source=f"arn:aws:sqs:ap-northeast-1:{ACCOUNT}:reindex-requests", batch_size=1,
                queue_visibility_timeout_s=180, max_receive_count=10)
    sync = LambdaFn(sc, "catalog-delta-sync", "python3.12", 512, 300)
    sc.resource("lambda", sync.name, runtime="python3.12", timeout=300, memory_size=512, schedule="cron(0 * * * ? *)")
    imp = LambdaFn(sc, "price-feed-importer", "python3.12", 1024, 300)
    sc.resource("lambda", imp.name, runtime="python3.12", timeout=300, memory_size=1024, schedule="rate(20 minutes)")
    sc.resource("rds", "catalog-mysql", engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=250, backup_window="17:00-17:30")
    sc.change(-3030, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", imp.name,
              "github-actions-pricing")
    imp.resets = [-3030]

    cats = ["mens-shoes", "kids-toys", "books-jp", "stationery", "audio", "cameras", "pet-supplies", "beauty",
            "outdoor", "sports-wear", "snacks", "tea-coffee", "bags", "watches", "phone-cases", "lighting"]
    huge = {"home-appliances": 95112, "garden-tools": 71408, "kitchen": 64390}
    arrivals = []
    for t0 in [t for t in range(-sc.history, 0, 60) if sc.at(t).minute == 0]:
        picked = rng.sample(cats, rng.randint(8, 14))
        batch = [(c, rng.randint(150, 3800)) for c in picked]
        if sc.at(t0).hour == 18:
            batch += list(huge.items())
            rng.shuffle(batch)
        lines = [(0.02, "INFO", f"Delta sync from supplier feeds: {len(batch)} categories changed "
                                f"({sum(n for _, n in batch):,} documents)")]
        sync.add(t0 + 0.6, rng.uniform(4000, 9000), "ok", lines, mem=rng.randint(120, 140))
        for k, (c, n) in enumerate(batch):
            arrivals.append((t0 + 5 + k * 0.2, {"cat": c, "docs": n}))

    def process(start, msg, attempt):
        c, n = msg.payload["cat"], msg.payload["docs"]
        lines = [(0.01, "INFO", f"c.a.search.ReindexHandler - Reindexing category={c} docs={n} receive={attempt}")]
        if rng.random() < 0.3:
            lines.append((0.05, "WARN", f"c.a.search.DocMapper - Deprecated field 'legacy_sku' ignored for "
                                        f"{rng.randint(1, 40)} docs"))
        rate = rng.uniform(1500, 1900)              # docs tokenized per second on 512 MB (~0.3 vCPU)
        need = n / rate + 0.8
        step = 10000
        for done in range(step, n, step):
            if done / rate < 29.5:
                lines.append((done / rate, "INFO", f"c.a.search.Tokenizer - tokenized {done}/{n} docs"))
        if need >= 30:
            fn.add(start, 0, "timeout", lines, mem=rng.randint(318, 352))
            return 30000, False
        chunks = max(1, n // 1000)
        lines.append((need - 0.5, "INFO", f"c.a.search.BulkWriter - bulk indexed {n} docs into catalog-v7 in {chunks} "
                                         f"requests (took={rng.randint(30, 90)}ms, errors=false)"))
        fn.add(start, need * 1000, "ok", lines, mem=rng.randint(210, 300))
        return need * 1000, True

    msgs = sqs_consume(sc, arrivals, process, concurrency=5, visibility=180, max_receives=10)
    fn.emit_metrics()
    fn.emit_logs()
    sync.emit_metrics()
    sync.emit_logs()
    queue_metrics(sc, "reindex-requests", msgs, dlq="reindex-requests-dlq")

    for t in range(-sc.history + 200, 0, 1200):
        lines = [(0.02, "INFO", f"Fetched {rng.randint(3, 9)} supplier price files"),
                 (6.1, "INFO", f"Applied {rng.randint(800, 4000)} price changes to catalog-mysql")]
        imp.add(t, rng.uniform(6200, 9000), "ok", lines, mem=rng.randint(240, 290))
    imp.emit_metrics()
    imp.emit_logs()
    rd = {"DBInstanceIdentifier": "catalog-mysql"}
    bk = (-5220, -3420)
    sc.series("AWS/RDS", "CPUUtilization", rd, "Percent", lambda m: rng.uniform(9, 15) + (8 if bk[0] <= m < bk[1] else 0))
    sc.series("AWS/RDS", "WriteLatency", rd, "Seconds",
              lambda m: rng.uniform(0.0009, 0.0015) * (2.6 if bk[0] <= m < bk[1] else 1))
    sc.series("AWS/RDS", "DatabaseConnections", rd, "Count", lambda m: rng.randint(40, 52))

    sc.alarm("search-reindex-worker-errors", "AWS/Lambda", "Errors", {"FunctionName": fn.name}, "Sum", 300, 1, 2,
             "GreaterThanThreshold", description="Reindex requests failing")
    sc.set_expect("search-reindex-worker-errors", "function_timeout", [fn.name],
                  [("AWS/Lambda", "Errors", {"FunctionName": fn.name}),
                   ("AWS/Lambda", "Duration", {"FunctionName": fn.name})])
    sc.notes = {
        "category": "function_timeout", "origin": "origin (the worker's Errors)",
        "decoys": "price-feed-importer deploy 50 min earlier (healthy, different function); hourly "
                  "catalog-delta-sync spikes; catalog-mysql backup-window bump at 02:00 JST; steady "
                  "'legacy_sku' warnings",
        "story": "Every hour catalog-delta-sync enqueues the changed categories; the worker (Java 21, 512 MB, "
                 "30 s timeout) normally reindexes each in 1-10 s. The 03:00 JST sync also carries three categories "
                 "with 64-95 k documents from a new supplier feed. Tokenizing them at ~1.7 k docs/s cannot finish "
                 "in 30 s: the logs show steady progress lines, then 'Task timed out after 30.0x seconds' and "
                 "REPORT 'Status: timeout'; SQS redelivers them every 3 minutes and they time out again. "
                 "OpenSearch bulk calls that do run report errors=false, memory use is moderate, no change to "
                 "the worker. The work hits the configured timeout with no dependency errors: function_timeout.",
    }
    return sc
