"""README for the holdout-45 set: a summary table and one judgement paragraph per scenario."""
from __future__ import annotations

STORIES = {
    "h45-01": "A logical replication slot left behind by a DMS CDC task that was stopped the previous afternoon keeps "
              "every WAL segment on ledger-db. `TransactionLogsDiskUsage` and `OldestReplicationSlotLag` climb all night "
              "(fastest during the usual 01:00-03:30 settlement batch, which also logs 'checkpoints are occurring too "
              "frequently'), `FreeStorageSpace` falls from ~50 GiB to near zero at about -33 min, and from then on every "
              "INSERT fails with `could not extend file ... No space left on device` (SQLSTATE 53100) in both the "
              "PostgreSQL log and the Spring service. The page is the ALB target-5xx alarm; an email-only free-storage "
              "alarm had been in ALARM for hours. The manual snapshot and the rollup Lambda deploy 45 min before onset "
              "are unrelated (the rollup stays healthy and only reads). Judgement: the fault is full storage on the "
              "database, so storage_exhaustion on ledger-db; the stopped DMS task explains why, but it is 18 h old and "
              "not a configuration change of the failing resource.",
    "h45-02": "The nightly reconcile worker waits for a partner settlement file that normally lands before 01:00; "
              "today it arrived at 08:58 local, so 16 workers x 6 pooled connections opened against the Aurora writer "
              "during morning traffic. `DatabaseConnections` on orders-aurora-writer goes from ~50 to its "
              "max_connections of 135 within five minutes and stays pinned; orders-api starts failing with pymysql "
              "`(1040, 'Too many connections')`. CPU stays moderate. The reader's 02:00 BI-extract CPU peak, the "
              "overnight cluster snapshot and the analytics-feed deploy (reader-only, no errors) are decoys. "
              "Judgement: db_connection_exhaustion; the origin is the writer instance / cluster, not the victim Lambda.",
    "h45-03": "On quarter-end morning finance analysts run heavy native Metabase queries (user metabase_ro, GiB-sized "
              "temp files, multi-minute durations) against the primary catalog-pg instead of its replica. CPU goes "
              "from ~35 % to a flat 97-100 %, read IOPS and disk queue rise, and every storefront query slows "
              "(2-10 s statements in the slow log, node-postgres 'Query read timeout'); ALB response time passes "
              "1.5 s and 504s appear. Connections stay far below 800 and the replica is idle. Decoys: a shared_buffers "
              "parameter edit that is pending reboot (never applied), the ETL host's usual 03:00 export peak, an "
              "overnight replica snapshot. Judgement: the database is saturated on CPU, so cpu_saturation on "
              "catalog-pg (not dependency_failure, because the dependency itself is exhausted).",
    "h45-04": "invoice-events-sink has reserved concurrency 10. The nightly invoice replay could not start until its "
              "source export marker appeared at 09:15 local, so ~900 replayed messages/min land on top of the daytime "
              "~200/min. The sink sits at exactly 10 concurrent executions with 30-50 Throttles/min, processing is flat "
              "at 500 messages/min, the queue grows by ~600/min and the oldest-message age crosses 15 min. Errors and "
              "durations are normal. Decoys: the invoice-pdf-renderer deploy 15 min earlier, a billing-db snapshot, a "
              "steady deprecated-field WARNING. Judgement: throttling at the consumer's concurrency limit; the demand "
              "increase is only ~2x and the limiting fault is the throttle, so not traffic_surge.",
    "h45-05": "A tenant backfill produced a 48k-file / 11.7 GiB partition; event-compactor buffers a whole partition in "
              "heap (-Xmx3g). Each task that receives that message climbs to 100 % memory, logs a Full GC with 3071M->"
              "3069M, `java.lang.OutOfMemoryError: Java heap space` and exits (ExitOnOutOfMemoryError); the message "
              "returns to the queue and kills the next task (ApproximateReceiveCount climbing). MemoryUtilization "
              "saw-tooths to 100 %, running tasks dip, the queue backs up. The analytics dash-api deploy 5 min before "
              "onset is a separate service that stays healthy. Judgement: memory_exhaustion on stream/event-compactor.",
    "h45-06": "s3-partition-compactor merges each tenant's previous-hour small files; its duration scales with the "
              "object count, which follows the daily traffic curve. From ~09:00 local the two largest tenants need "
              "more than the 300 s timeout: REPORT lines show `Duration: 300000.00 ms ... Status: timeout` and 'Task "
              "timed out after 300.09 seconds', with steady progress lines right up to the cut-off and no S3 or database "
              "errors. Decoys: a pending-reboot parameter edit on lake-catalog-db, a deploy of lake-audit-export, a "
              "steady zero-byte-object WARNING. Judgement: function_timeout on the compactor.",
    "h45-07": "The nightly route optimizer waited for a carrier manifest that arrived around 08:10 instead of 02:00 and "
              "then updated 1.9 M shipments rows in one still-open REPEATABLE-READ transaction. Driver status updates "
              "(single-row UPDATEs) wait innodb_lock_wait_timeout = 20 s and fail with ER_LOCK_WAIT_TIMEOUT 1205; the "
              "slow log shows Lock_time ~20 s; reads keep working. shipping-mysql CPU ~33 %, connections ~80 of 683, "
              "storage and memory fine. Decoys: an analytics export Lambda deploy 7 min before onset, report-builder-1's "
              "usual 01:30 CPU peak, steady aborted-connection notes and reporting slow queries. Judgement: errors "
              "come from a downstream database that is not exhausted: dependency_failure on shipping-mysql (the lock "
              "holder is the late batch, named in the README, but the format's origin for this category is the "
              "dependency).",
    "h45-08": "At -44 min an engineer updated order-export-writer's configuration; from the next cold start the "
              "function logs `db target host=commerce-pg-ro-1...` (before: commerce-pg) and every batch fails with "
              "`ReadOnlySqlTransaction: cannot execute INSERT in a read-only transaction`, which the replica's log "
              "mirrors. After three receives the messages reach the DLQ, whose depth alarm pages. Decoys: a snapshot of "
              "the primary, an analytics rollup deploy 36 min earlier, the replica's lag spike during the 04:00 vacuum "
              "window. Judgement: config_change on order-export-writer (environment change immediately before onset; "
              "errors name the wrong endpoint).",
    "h45-09": "A DBA set statement_timeout = 30 s on warehouse-pg16 (dynamic, applied at once: the PostgreSQL log "
              "shows SIGHUP and `parameter \"statement_timeout\" changed to \"30000\"`). The hourly rollup loader's "
              "INSERT ... SELECT statements for the larger shards normally take 35-60 s; from then on they are "
              "cancelled at 30 s (`canceling statement due to statement timeout`) and the loader's Errors alarm fires. "
              "The Lambda's own 900 s timeout is never reached. Decoys: a pending-reboot parameter edit on another "
              "database (ops-mysql8), a BI dash-api deploy 32 min before, the warehouse's usual 04:30 load peak. "
              "Judgement: config_change whose origin is warehouse-pg (its parameter group warehouse-pg16).",
    "h45-10": "terraform-ci rewrote the inline policy of finance-export-role (PutRolePolicy) and dropped the KMS "
              "grant. From the next run every upload fails: `AccessDenied when calling the PutObject operation ... "
              "not authorized to perform: kms:GenerateDataKey ... because no identity-based policy allows`. Reading "
              "from finance-pg still works. Decoys: a finance-pg snapshot, the finance-ledger-sync deploy 14 min "
              "before, gl-batch-1's usual 08:00 close-batch CPU peak. Judgement: permission_denied on finance-export "
              "(its role is accepted as the same origin).",
    "h45-11": "github-actions registered events-consumer:143 and updated the service; the new tasks (v1.43.0) write a "
              "column `ingest_region` that the schema migration never added. Every batch fails with `pq: column "
              "\"ingest_region\" of relation \"raw_events\" does not exist` (also in the PostgreSQL log), nothing is "
              "deleted from SQS, and the oldest-message age alarm fires ~19 min after the deploy. Decoys: a "
              "pending-reboot parameter edit on events-pg, an analytics digest Lambda deploy 47 min earlier, steady "
              "short-receive WARNs. Judgement: bad_deployment on ingest/events-consumer.",
    "h45-12": "A partner gateway starts re-sending 14 days of telemetry after its own outage (user-agent "
              "`acme-gateway/2.3 (backfill; tenant=northgrid)`): RequestCount jumps from ~1.6k to ~10k per minute. The "
              "collector tasks hit their 512 in-flight limit and shed load with 503s, target response time rises to "
              "~1 s and the ALB returns 5xx. CPU rises to ~75-80 % (not pinned), memory is fine, no deploy or config "
              "change, Kinesis has no write throttling. Decoys: the telemetry-rollup deploy 13 min before, a snapshot, "
              "rollup-batch-1's usual 05:00 CPU peak. Judgement: traffic_surge at the front door (ALB or the collector "
              "service behind it).",
    "h45-13": "cdc-transformer consumes the orders CDC stream with infinite retries and no bisect. At -42 min a record "
              "whose pricing.total_amount is the string '1,299.00' arrives on shard 1; `Decimal()` raises "
              "`InvalidOperation: [<class 'decimal.ConversionSyntax'>]`, the batch is retried forever, and IteratorAge "
              "grows linearly while shard 0 keeps flowing. No change to the function. Decoys: the search indexer deploy "
              "6 min before the poison record, an orders-mysql snapshot, a steady legacy_flags WARNING. Judgement: "
              "application_error in cdc-transformer.",
    "h45-14": "reports-app-1 is both a web target and the cron leader. The monthly PDF rebuild waits for the billing "
              "close flag, which only appeared at 07:40 local on month/quarter end, so 8 rendering workers pin the "
              "host at 100 % CPU while morning traffic ramps. Gunicorn logs WORKER TIMEOUT, nginx rt on app-1 grows "
              "to several seconds while app-2 stays at ~0.2 s, and the ALB average response time passes 2 s. Decoys: "
              "dw-loader-1's usual 05:45 CPU peak, a pending-reboot parameter edit on reports-mysql, an overnight EBS "
              "snapshot. Judgement: cpu_saturation on reports-app-1.",
    "h45-15": "A partner resent a month of files over SFTP; the ETL spools decompressed parquet on /data and only "
              "clears the spool after a batch upload, so /data grows from 59 % to 100 % in ~2 h. Then conversions fail "
              "with `OSError: [Errno 28] No space left on device` and partner uploads get `process_write: write "
              "failed`; the manifest checker reports missing files. The root volume is steady at 41 %. Decoys: the "
              "DLM snapshot of the same volume, a manifest-check Lambda deploy, the usual 03:00 partner batch CPU "
              "peak. Judgement: storage_exhaustion on partner-ingest-1.",
    "h45-16": "The price recalculation waited for a supplier feed that landed at 08:33 instead of overnight and then "
              "ran 8 parallel sessions with work_mem 256 MB alongside daytime traffic. FreeableMemory on pricing-pg "
              "drops from ~6 GiB to <100 MiB, swap rises, a backend logs `out of memory ... HashBatchContext`, then the "
              "kernel OOM-kills a backend (`terminated by signal 9: Killed`), PostgreSQL restarts all sessions and runs "
              "crash recovery; this repeats three times. price-quote-api fails in bursts with 'server closed the "
              "connection unexpectedly' and 'the database system is in recovery mode'. Decoys: a shared_buffers edit "
              "pending reboot (no reboot happened, so never applied), an analytics export deploy. Judgement: the "
              "database itself ran out of memory, so memory_exhaustion on pricing-pg rather than dependency_failure.",
}


def render(built: list) -> str:
    rows = ["| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
            "|---|---|---|---|---|---|---|"]
    paras = []
    for sc in built:
        d, m = sc.d, sc.meta
        rc = d["expect"]["root_cause"]
        res = ", ".join(f"`{r}`" for r in rc["resource"])
        rows.append(f"| {d['name']}.yaml | {d['region']} | {d['expect']['alarm']} | {rc['category']} | {res} | "
                    f"{m['origin']} | {m['decoys']} |")
        key = d["name"][:6]
        paras.append(f"### {d['name']}\n\n{STORIES[key]}\n")
    head = ("# Holdout set 45: data and batch platforms\n\n"
            "Sixteen independent scenarios (aiops-scenario/v1) about ETL and batch work on ECS, EC2 and Lambda, "
            "scheduled jobs, RDS/Aurora primaries and replicas, locks, storage growth, queue consumers and nightly "
            "windows that spill into daytime traffic. Generated deterministically by "
            "`python -m benchmarks.holdout45_gen` (seeded; standard library plus PyYAML). Each file holds eight hours "
            "of one-minute metrics (basic-monitoring EC2 hosts at five minutes), two to three hours of application "
            "logs, database logs, CloudTrail-style changes and the alarms. Labels follow the category table and its "
            "tie-breaks in scenario-format.md; every scenario has at least one unrelated decoy.\n\n")
    return head + "\n".join(rows) + "\n\n## What happened and why the label\n\n" + "\n".join(paras)
