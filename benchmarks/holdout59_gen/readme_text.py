"""Per-scenario README text for set 59: where the alarm sits, the decoys, and the story."""

# num -> (alarm on origin or front, decoys, story)
ROWS = {
    1: ("front: ALB; origin is one of four targets",
        "ALB listener change 3 min before onset; benign CPU alarm on shop-web-1; old scanner 404s "
        "and a legacy-export 500 on every host",
        "The storefront ALB counts target 5xx at roughly a tenth of requests. Every target is "
        "healthy (the health check is a static `/healthz`), so nothing in the target-group "
        "metrics points at a host. Going host by host, only shop-web-3's nginx access log has "
        "500s, and only on the routes that write a session or cart file. Its CWAgent "
        "`disk_used_percent` has climbed in a straight line from 62 % for the whole six hours and "
        "reached 100 % when the errors began. Its syslog repeats the daily `logrotate ... "
        "insecure permissions` skip (the reason the disk fills) and then `rsyslogd ... No space "
        "left on device`. PHP-FPM logs `session_start(): ... No space left on device (28)`. "
        "The ModifyListener/CreateRule on the ALB by k.brennan is the closest change, but it "
        "cannot explain errors on one host only. Label: storage_exhaustion on the instance."),
    2: ("front: API Gateway; origin is the function behind it",
        "code deploy of invoice-pdf 2 min before onset; steady 4xx from bad signatures and "
        "upstream-quota warnings; second alarm on the function's Errors",
        "partner-gw returns 5xx for the northwind tenant only. route-resolver's configuration "
        "was updated by alice.ng at -55 min. The cold starts after that update log `loaded tenant "
        "shard map source=env:TENANT_SHARD_MAP tenants=4` where the earlier ones logged "
        "`source=ssm:... tenants=5`. Northwind's earlier sync window (-2 h to -1 h 40 min) went "
        "through without errors. When its next window opened at -45 min every one of its requests "
        "failed with `ConfigError: TENANT_SHARD_MAP has no entry for tenant 'northwind'`. The "
        "onset follows the tenant's traffic, not the change, so the invoice-pdf deploy is the "
        "change nearest the onset. That function's metrics and logs are clean, and the error "
        "names the setting. Label: config_change on route-resolver."),
    3: ("front: API Gateway, two hops from the origin (API -> Lambda -> RDS)",
        "config update on member-avatar shortly after onset; an autovacuum CPU spike and its "
        "alarm (now OK) on the same DB about 45 min earlier; the morning traffic ramp; steady 400 "
        "validation warnings",
        "members-api returns 5xx for about 9 % of requests, and so does the member-profile "
        "function. Its failing invocations all open a new connection and get `FATAL: remaining "
        "connection slots are reserved for non-replication superuser connections`, and the same "
        "FATAL line appears in the Postgres log. `DatabaseConnections` on pg-members-01 has risen "
        "through the morning from about 40 to 147-150 (max_connections 150, 3 reserved). CPU, "
        "latency and storage are normal. Traffic is up, but only as the usual morning ramp, and "
        "nothing is throttled. Label: db_connection_exhaustion on the database, whose slots are "
        "the limit that was hit."),
    4: ("origin: the function's own Errors alarm",
        "configuration update on seat-map 2 min before the second traffic shift; steady DynamoDB "
        "ProvisionedThroughputExceeded retry warnings on both versions",
        "fare-calculator was deployed as version 58 and CodeDeploy moved 10 % of the `live` alias "
        "to it at -70 min, then 30 % at -40 min. The per-version metrics (ExecutedVersion) show "
        "that every error is on 58. Its log streams (`[58]`) carry "
        "`java.lang.NoSuchMethodError: ... Leg.getSurchargeAmount()`, a signature version 57 "
        "never logs. The error count steps up with each alias shift. The throughput-exceeded "
        "warnings run at the same rate on both versions for the whole window. Label: "
        "bad_deployment on fare-calculator (see Judgement notes on UpdateAlias)."),
    5: ("front: ALB, two hops from the origin (ALB -> ECS -> read replica)",
        "ModifyDBInstance on the primary 2 min before onset; benign vacuum CPU spike on the "
        "primary; steady fx-rates timeout errors and idempotency warnings; a balance-svc deploy "
        "5 h earlier",
        "Only the read routes (balances, statements) fail, and only about half of them. "
        "balance-svc's logfmt lines say `replica too stale, refusing read replica="
        "pg-ledger-replica-2 lag_s=...`. Replica-2's `ReplicaLag` grows by one second per second "
        "from -65 min, while replica-1 stays near zero. Replica-2's Postgres log shows an "
        "analyst session connecting, then `recovery still waiting ... recovery conflict on "
        "snapshot`, and its restartpoint lines stop (replay is paused: the replica runs with "
        "max_standby_streaming_delay=-1). CPU, connections and storage are unremarkable on every "
        "DB. The fx-rates timeouts are an external dependency that has been failing at the same "
        "rate since before the window. Label: dependency_failure on the replica."),
    6: ("front: ALB (ELB-generated 502s); origin is the ECS service",
        "deploy of a sibling service (quote-pdf) just before the first kill; steady postcode "
        "validation errors; latency alarm",
        "quotes-edge shows short bursts of ELB 502s, one per OOM kill. The ECS task-state events "
        "say `OutOfMemoryError: Container killed due to memory usage`, exit code 137, four times "
        "in 75 minutes, one task at a time. Service `MemoryUtilization` climbs for five hours and "
        "drops at each kill. Before each kill the task logs longer Gen2 GC pauses with the "
        "managed heap near its 1.8 GB limit and a PriceCurveCache that keeps growing. quote-api "
        "has no deploy in the window. The quote-pdf deploy touches another service. Label: "
        "memory_exhaustion on quote-api."),
    7: ("victim: the throttled function's alarm; origin is another function",
        "code deploy of thumbs (another victim) 1 min before onset; steady APNs 410 warnings; "
        "second alarm on the notify API",
        "push-notify has no reserved concurrency, and about a third of its invocations are "
        "throttled, as are some of thumbs'. Its duration, errors and code are unchanged. The "
        "account-level `ConcurrentExecutions` sits at 1000 (the account limit) from -45 min. "
        "ledger-backfill's concurrency ramped to about 985 at that moment, when "
        "ledger-backfill-q suddenly held 482k messages. Its earlier dry run at 20-way concurrency "
        "harmed nobody. Label: throttling with ledger-backfill as the origin, the function "
        "that took the shared pool (see Judgement notes)."),
    8: ("origin: the function's Errors alarm",
        "code deploy of label-printer 2 min before onset; a CPU spike (and alarm, now OK) on the "
        "orders DB; steady font-fallback warnings; an export-builder deploy 5.5 h earlier",
        "Only kobe-logistics' exports fail. Their duration has grown steadily from 38 s to the "
        "120 s timeout over six hours as their row count grew. The export-builder deploy at "
        "-5.5 h does not bend that line. Since -40 min those invocations end with `Task timed "
        "out after 120.00 seconds` (REPORT `Status: timeout`) after logging progress with fast "
        "DB queries (`query ok 40-70ms`), and SQS redeliveries add to the error count. There is "
        "no dependency error, the DB spike is short and unrelated, and other tenants' exports "
        "finish in seconds. Label: function_timeout on export-builder."),
    9: ("front: ALB, two hops from the origin (ALB -> ECS -> MySQL)",
        "autoscaling UpdateService on catalog-web and a code deploy of catalog-feed-export close "
        "to the alarm; steady PHP `Undefined array key` errors",
        "Latency on catalog-br rose for every store. catalog-web's own CPU is about 20 %. "
        "mysql-catalog-br's CPU has crept from 31 % (four hours ago) to a pinned 97-100 % over "
        "the last 40 minutes. The slow-query log shows the same store-7712 `LIKE '%...%'` scan "
        "growing in frequency and in Rows_examined (2.1M to 3.9M), and `ReadIOPS` rises with "
        "it. The app's slow-request warnings and 30-second PHP timeouts follow the CPU curve. "
        "The two changes come after the latency was already climbing. Label: cpu_saturation "
        "on the database."),
    10: ("front: ALB with a Lambda target; origin is the function (its role)",
         "code deploy of doc-thumbnail 1 min after the policy change; steady KMS "
         "ThrottlingException retry warnings; the function's Errors alarm stays OK",
         "docs-ca returns 500 for about 12 % of requests. doc-render catches the failure, so its "
         "`Errors` metric stays at zero. Its log says `AccessDeniedException ... assumed-role/"
         "doc-render-exec/doc-render is not authorized to perform: kms:Decrypt on resource: "
         "...key/...`, only for the three tenants with customer-managed keys. Those tenants were "
         "served without errors until terraform-cloud's PutRolePolicy on doc-render-exec. The "
         "KMS throttling warnings are old, low and retried. Label: permission_denied on "
         "doc-render."),
    11: ("front: ALB; origin is the ECS service",
         "ModifyDBInstance on an unrelated reporting DB between the deploy and the onset; steady "
         "`Statement not found` ERROR lines and Hikari clock-leap warnings",
         "statement-svc rolled from 4.21.3 to 4.22.0 at -48 min. Only the tasks started by that "
         "deploy log `NoClassDefFoundError: org/apache/fontbox/ttf/TrueTypeFont`, and only on "
         "`GET /api/v2/statements/{id}/pdf` (about 6 % of traffic). The 5xx count rises as the "
         "new tasks replace the old ones. The service's JDBC URL points at pg-billing, not at the "
         "reporting DB that was modified. Label: bad_deployment on statement-svc."),
    12: ("front: API Gateway; origin is the API and its function",
         "UpdateStage on a different API 3 min before onset; steady 403s from unknown keys; a "
         "tile-warm invocation spike 2.5 h earlier; a geo-resolve deploy 5.5 h earlier",
         "Requests to geo-lookup-api went from about 220 to about 1900 a minute within five "
         "minutes. The access log shows the new volume comes from one API key (swiftkart's). "
         "geo-resolve scales out with many 1.4 s cold starts (index load) and, because the new "
         "traffic asks for uncached tiles, its share of 300 ms cache-miss lookups rises. Latency "
         "goes from 60 ms to about 370 ms. There are no errors, no throttles and no "
         "configuration or code change, and the per-miss cost is the same as before. Label: "
         "traffic_surge on the API and its function."),
    13: ("front: API Gateway, two hops from the origin (API -> Lambda -> SQL Server)",
         "code deploy of receipt-mailer 1 min before onset; an earlier maintenance job and its CPU "
         "spike that completed normally; steady FX-cache warnings; a tax-quote deploy 4 h "
         "earlier",
         "Only cross-border quotes (about 9 %) fail, each after exactly the 8 s SQL command "
         "timeout, with `SqlException ... Execution Timeout Expired` from "
         "`RateOverrideRepository.GetAsync`. Domestic quotes hit the same DB and are fine. The "
         "SQL Agent log shows `RateOverrides weekly rebuild` starting an offline index rebuild "
         "20 s before the onset, with no completion line (the Invoices rebuild two hours earlier "
         "finished in 8 min). Connections climb as blocked sessions pile up, while CPU, IOPS and "
         "storage are quiet, so the DB is not exhausted. Label: dependency_failure on "
         "mssql-tax-sg."),
    14: ("front: ALB, two hops from the origin (ALB -> ECS -> Postgres)",
         "notifier (another ECS service) deploy 25 s after the change and before the first "
         "failure; steady duplicate-key ERRORs in the DB log and routing 404s",
         "Only report pages fail, each after about 5 s, with `PG::QueryCanceled: canceling "
         "statement due to statement timeout`. Before, reports took 6-24 s and succeeded. "
         "ModifyDBParameterGroup on pg-backoffice-fr-params (the instance's parameter group) by "
         "thomas.dubois is followed 4 s later by `received SIGHUP` and `parameter "
         "\"statement_timeout\" changed to \"5000\"` in the instance's log. Label: config_change "
         "on the database."),
    15: ("front: ALB; origin is the ECS service",
         "code deploy of the points-expiry Lambda 40 s before onset; an analyze CPU spike on the "
         "DB just after onset; steady NotImplementedError 500s on /v1/legacy/redeem",
         "The new 500s are all for tenant trattoria-roma, which sent its first orders at "
         "-43 min. Their point-of-sale sends fractional quantities, and points-engine raises "
         "`ValueError: invalid literal for int() with base 10: '0.5'` at orders.py line 88. "
         "There is no change to points-engine (last deploy 5.7 h ago) and no resource or "
         "dependency fault. The legacy-redeem 500s have run at the same rate all along. The "
         "Lambda deploy is to an hourly batch job outside the request path. Label: "
         "application_error on points-engine."),
    16: ("front: ALB, three hops from the origin (ALB -> ECS -> API Gateway -> Lambda)",
         "code deploy of the sibling stock-write; a storefront deploy 2.5 h earlier; steady "
         "product 404s and sku-not-found warnings",
         "Add-to-cart fails for a few percent of requests. The storefront's Laravel log says "
         "`Stock check failed after 1 retry: HTTP 429 Too Many Requests` from stock-levels-api, "
         "whose execution log says `Lambda invocation failed with status: 429`. stock-read has "
         "reserved concurrency 25, and its `ConcurrentExecutions` sits flat at 25 while "
         "`Throttles` grows. Demand rose only with the usual midday ramp (about 2x over three "
         "and a half hours, not a surge) and crossed the function's ceiling. Label: throttling "
         "on stock-read."),
}

JUDGEMENT = [
    "**h59-04 (UpdateAlias):** shifting alias weight is technically a configuration call, but it "
    "is how CodeDeploy releases a new version. The new error signature exists only in the new "
    "version's streams, and a code upload plus PublishVersion precede it. A senior SRE would "
    "roll back the release, so the label is bad_deployment, not config_change.",
    "**h59-07 (origin of account-level throttling):** the throttled function is the loud one, "
    "but the fault originates in ledger-backfill, which took about 985 of the account's 1000 "
    "concurrent executions. Only ledger-backfill is accepted. The category stays throttling "
    "(the mechanism observed, and more specific than traffic_surge), not a failure of "
    "push-notify.",
    "**h59-12 (two acceptable resources):** the surge enters through geo-lookup-api and is "
    "served by geo-resolve. Neither is faulty, so both are accepted. The tile cache misses are "
    "the new traffic's access pattern, not a dependency failure: the per-miss latency is "
    "unchanged.",
    "**h59-13 (blocked table):** the stuck job runs inside the database and is not an AWS "
    "change, so neither config_change nor bad_deployment applies. The DB times out one route's "
    "queries without being exhausted, which is the dependency_failure row.",
    "**h59-14 (resource form):** the CloudTrail event names the parameter group, but the "
    "accepted resource is the DB instance that uses it (the group is not a resource in the "
    "scenario).",
    "**h59-16 (throttling, not traffic_surge):** demand grew about 2x across the morning, "
    "which is ordinary, and the function's own reserved-concurrency ceiling is what fails. "
    "Throttles are visible, so the more specific category applies.",
    "**h59-03 (db_connection_exhaustion, not traffic_surge):** traffic rises, but as the normal "
    "morning ramp, and the failing requests die on the connection limit. The origin is the "
    "database whose slots ran out, as in the public rds-connection-exhaustion example.",
    "**h59-06 alarm timing:** the ELB 5xx alarm uses 5-minute sums, so it flips back to OK "
    "between kills. It is in ALARM now because the fourth kill happened 4 minutes ago.",
]
