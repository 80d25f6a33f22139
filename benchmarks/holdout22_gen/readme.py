"""README for benchmarks/scenarios_holdout22: summary table and one paragraph per scenario."""
from __future__ import annotations

STORIES = {
    "h22-01": "The ledger service's internal ALB serves an imported (non-ACM-issued, so never auto-renewed) certificate whose "
              "validity ended at 13:20 UTC. From that minute every HTTPS call from `payout-dispatcher` fails the TLS handshake "
              "(`CERTIFICATE_VERIFY_FAILED ... certificate has expired`, urllib3 retries, then SSLError); Lambda errors equal "
              "invocations, duration drops to the retry/backoff time, SQS redeliveries raise invocations, the ALB's "
              "`ClientTLSNegotiationErrorCount` jumps while its `RequestCount` disappears and ledger-api's CPU falls to idle "
              "(nothing reaches it). The ledger-api deploy ~80 min before onset served traffic normally until the certificate expired. Judgement: errors come "
              "from a downstream dependency that is not exhausted and nothing changed at onset, so `dependency_failure`, "
              "origin the ledger endpoint (its ALB, where the certificate lives; the service behind it and its hostname also accepted).",
    "h22-02": "Terraform upserted the private record `es.search.internal.example.net` to an IP of the decommissioned search cluster "
              "(a Route 53 ChangeResourceRecordSets 30 min ago). Within one TTL both search-api instances log `dial tcp "
              "10.0.40.17:9200: connect: connection refused` where they previously used 10.0.22.41; 88 % of requests return 502 fast, "
              "instance CPU drops, while the OpenSearch domain is green and its SearchRate falls to zero (queries no longer arrive). "
              "The security-group ingress rule and the batch instance change are unrelated. Judgement: a configuration change (DNS) "
              "right before onset with errors naming the new address: `config_change`; origin the hosted zone/record.",
    "h22-03": "A 2-minute storage-latency blip on `quotes-mysql` made in-flight quote-pricer invocations hit their 20 s timeout. "
              "The Node handler's connect-retry loop (5 attempts, fixed 250 ms) plus SQS redelivery multiplied invocations ~4x; "
              "connections left open by timed-out/frozen environments kept `DatabaseConnections` pinned at max_connections (250) "
              "long after latency recovered, so every new attempt gets `ER_CON_COUNT_ERROR: Too many connections` (quote-api sees "
              "the same). Judgement: the ongoing fault is connection exhaustion on the database (metric at the limit, 'too many "
              "connections'); the blip is the trigger, not a change: `db_connection_exhaustion` on quotes-mysql.",
    "h22-04": "The `catalog-cache-001` Redis node restarted (brief ECONNREFUSED in the app, CurrItems to 0). With the cache cold, "
              "every category page runs the expensive listing aggregate on `catalog-pg` at once, with no request coalescing; the DB "
              "CPU pins at ~99 %, slow-statement logs fill with the same query, and since Rack::Timeout kills requests before they "
              "can write back to the cache, the hit rate never recovers. Request volume is normal. The checkout deploy and the "
              "checkout promo-banner parameter are unrelated. Judgement: a resource pinned (DB CPU) with latency following and no "
              "configuration change or deploy on the path: `cpu_saturation` on catalog-pg.",
    "h22-05": "Release 2025.11.3 of orders-api (ECS deploy 55 min ago) added an invoice-PDF path that borrows a JDBC connection "
              "and never returns it. From the first minutes after the rollout HikariCP logs `Apparent connection leak detected` "
              "stacks pointing at `InvoicePdfService`, DB connections climb from ~85 to ~205 (minimumIdle 10 + leaked, capped at "
              "30 per task) and, as each task's pool fills, requests wait 30 s and fail with `Connection is not available ... "
              "(total=30, active=30, idle=0)`. orders-pg itself is far from max_connections (400) and otherwise healthy. "
              "Judgement: a code deployment shortly before onset and a new error signature appearing only after it, with the "
              "database not exhausted: `bad_deployment` on the orders-api service.",
    "h22-06": "An AppConfig deployment (linear, 20 % every 2 min) switched the `bundle-pricing-v2` flag on. Each cart-svc task logs "
              "the flag version change and, from that moment, requests for carts with bundles throw `InvalidOperationException: "
              "Sequence contains no elements` in `BundlePricingV2.Apply`; 5XX ramp with the rollout and plateau at ~15 %. The "
              "cart-abandon-mailer deploy 11 min earlier and the cart-svc image deploy 4 h earlier are red herrings. Judgement: "
              "feature-flag configuration change right before onset: `config_change`, origin cart-svc / its flag profile.",
    "h22-07": "secops automation rewrote the inline policy of `report-exporter-role` (PutRolePolicy); the new policy no longer "
              "allows s3:PutObject on the exports prefix. Every export job now queries successfully and then fails on upload with "
              "`AccessDenied ... no identity-based policy allows the s3:PutObject action`; messages are retried every visibility "
              "timeout and head to the DLQ, so the queue's oldest-message age climbs. report-scheduler switching to DEBUG logging "
              "15 min earlier only adds noise. Judgement: `permission_denied`, origin the exporter function / its role.",
    "h22-08": "A KMS key-policy consolidation (PutKeyPolicy) dropped the statement letting `statements-lambda-role` use "
              "`alias/statements-data`. Once the 5-minute data-key cache expires, statement renders fail with `KmsException: ... "
              "not authorized to perform: kms:Decrypt ... because no resource-based policy allows the kms:Decrypt action`; API "
              "Gateway returns 502 on ~80 % of calls (the list endpoint, which does not decrypt, still works). The archive key "
              "scheduled for deletion is a different key. Judgement: `permission_denied`; origin the key policy (key id/alias, "
              "with the function and role accepted).",
    "h22-09": "At the lunchtime peak the `by-sku` GSI of `inventory-reservations` (fixed 10 WCU, no auto scaling, unlike the base "
              "table) reaches its provisioned capacity; its consumed WCU flattens at 600/min and `WriteThrottleEvents` appear on "
              "the index. Base-table writes are rejected with `ProvisionedThroughputExceededException: ... one or more global "
              "secondary indexes`, SQS redelivers failed batches, and writer errors rise. Traffic is ~1.3x the morning (a normal "
              "daily curve, not a surge); Lambda itself is not throttled; the auto-scaling UpdateTable raised base-table capacity. "
              "Judgement: `throttling`, origin the table (its GSI).",
    "h22-10": "On media-api-2 hourly logrotate has been failing ('parent directory has insecure permissions') so the access log "
              "grows without bound; disk_used_percent climbs linearly for 12 h (5-minute metrics) and reaches 100 % 35 min ago. "
              "Upload requests on that instance then fail with `OSError: [Errno 28] No space left on device` (and Python's "
              "'--- Logging error ---'), giving ALB 5XX; media-api-1 rotates fine and stays at 44 %. Judgement: "
              "`storage_exhaustion` on media-api-2.",
    "h22-11": "ws-gateway (Node 20) leaks presence listeners per connection (`MaxListenersExceededWarning`, listener count in the "
              "5-minute runtime stats grows while connections stay flat). Task memory has risen steadily for the whole 12 h; "
              "tasks now die in turn with `FATAL ERROR: Ineffective mark-compacts near heap limit ... JavaScript heap out of "
              "memory`, causing short ELB 502 bursts and reconnect storms. No deploy of ws-gateway in the window. The "
              "MemoryUtilization series is the per-minute maximum across tasks (the alarm uses Maximum). Judgement: "
              "`memory_exhaustion` on the ws-gateway service.",
    "h22-12": "At 02:00 the hourly ledger-rollup cron on batch-cron-1 detected billing-cycle close and ran in full mode: 48 "
              "chunks of ~1 M-row aggregate inserts on the shared MySQL. shared-mysql CPU pins at ~99 % and ReadIOPS jumps; even "
              "single-row invoice lookups show up in the slow log at 2-8 s; invoice-api hits its 8 s read timeout (`Lost "
              "connection to MySQL server during query (timed out)`) or its 10 s Lambda timeout. Connections stay low. The "
              "invoice-pdf deploy and the long-standing DLQ alarm are unrelated. Judgement: `cpu_saturation` on the saturated "
              "database (the batch host itself is at ~17 % CPU).",
    "h22-13": "Terraform changed the exports ALB's `idle_timeout.timeout_seconds` from 60 to 10 (ModifyLoadBalancerAttributes). "
              "Exports that take longer than 10 s before sending the first byte (most of them) are cut by the ALB: "
              "`HTTPCode_ELB_504_Count` rises, nginx logs 499 at exactly 10.001 s, while Laravel still logs the export as "
              "completed and target 5XX stay at zero. The CodeDeploy release an hour earlier caused no errors. Judgement: "
              "`config_change` on the ALB.",
    "h22-14": "A partner SDK started sending multi-kilobyte user-agent strings; the enricher's UA regex backtracks "
              "catastrophically on them, so the batch containing such a record spins until the 60 s timeout (`Task timed out "
              "after 60.0x seconds`, memory normal, no dependency errors). With bisect off and infinite retries, each affected "
              "shard retries the same sequence number every minute and its iterator age grows; three of four shards are now "
              "stuck. Kinesis throughput is normal. The session-aggregator deploy and batch-size increase are unrelated. "
              "Judgement: `function_timeout` on ingest-enricher.",
    "h22-15": "Mobile app 7.4.0 (rolling out through the stores, outside the account) polls `/v1/inbox/poll` every 2 s instead of "
              "30 s. ALB requests climb ~7x over 45 min, the traffic-stats lines show `top_client=\"AcmeMobile/7.4.0\"` and "
              "`poll_interval_s=2`, ECS auto scaling goes from 6 to its max of 20 tasks, and latency rises with queueing (CPU "
              "~80 %, not pinned). There is no deploy, config change or dependency fault on the path; push volume is unchanged. "
              "Judgement: `traffic_surge` at the mobile-edge ALB / inbox-svc.",
    "h22-16": "At midnight UTC on 31 October the renewer computes the next period end with `d.replace(month=d.month + 1)`, "
              "which raises `ValueError: day is out of range for month` (there is no 31 November). Every subscription in every "
              "run fails, the handler raises, and async retries triple the invocations. The code has not changed for days; the "
              "database is healthy; the dunning-mailer deploy and the grace-days parameter change belong to another function. "
              "Judgement: `application_error` in subscription-renewer.",
}


def render(rows: list[dict]) -> str:
    out = ["# Holdout 22: incidents modelled on public-postmortem causes",
           "",
           "Generated by `python -m benchmarks.holdout22_gen` (deterministic, fixed seeds; standard library + PyYAML). "
           "Independent held-out set: the author did not read the bot's code. Each file is an `aiops-scenario/v1` scenario; "
           "labels follow the category table and tie-breaks in `scenario-format.md`.",
           "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        res = ", ".join(f"`{x}`" for x in r["resources"])
        out.append(f"| `{r['file']}` | {r['region']} | `{r['alarm']}` | `{r['category']}` | {res} | {r['origin']} | {'; '.join(r['decoys'])} |")
    out += ["", "## Scenarios", ""]
    for r in rows:
        out += [f"### {r['file']}", "", STORIES[r["file"][:6]], ""]
    return "\n".join(out)
