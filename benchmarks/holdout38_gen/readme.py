"""README for scenarios_holdout38: summary table plus one paragraph per scenario."""
from __future__ import annotations

# name -> (origin-or-front, decoys, paragraph)
NOTES = {
    "h38-01-storefront-5xx-checkout-release": (
        "front (ALB)",
        "catalog-svc deploy 2.5 h earlier; sitemap-builder Lambda deploy 6 min after onset; steady InventoryClient 409 WARNs",
        "checkout-svc task definition 143 was rolled out (RegisterTaskDefinition + UpdateService) about 30 min before now; "
        "the new tasks log `Starting CheckoutApplication v2.41.0` and, within three minutes, a NullPointerException in "
        "`CartPricer.applyPromotions` that never appears in the old tasks' streams. The storefront ALB's target 5XX climbs "
        "from <1/min to ~45/min with the rollout. The InventoryClient 409 warnings are at the same rate all window, the "
        "catalog deploy is hours old and healthy, and the sitemap-builder deploy comes after the 5XX began. A new error "
        "signature right after a code/image deployment: bad_deployment on the ECS service."),
    "h38-02-invoice-renderer-missing-env": (
        "origin",
        "payment-webhook code deploy 11 min earlier; long-standing font WARN; ledger-nightly-export Duration alarm (INSUFFICIENT_DATA since the nightly run)",
        "An UpdateFunctionConfiguration on invoice-renderer (by a human) is followed within seconds by every invocation "
        "failing with `Missing required environment variable: INVOICE_TEMPLATE_BUCKET` (the resource lists "
        "INVOICE_TEMPLATES_BUCKET: a renamed key). No code change on this function; the payment-webhook deploy touched a "
        "different, healthy function; the nightly-export alarm is an old, unrelated long-running job. Errors naming a "
        "missing setting right after a configuration change: config_change on invoice-renderer."),
    "h38-03-finance-api-5xx-export-kms-denied": (
        "front (API Gateway)",
        "fx-rates-sync code deploy 9 min before onset; steady 4XX from expired JWTs",
        "terraform-ci ran PutRolePolicy on ledger-export-role; 30 s later every ledger export fails on S3 PutObject with "
        "`AccessDenied ... not authorized to perform: kms:GenerateDataKey` and API Gateway returns 502 for them. Other "
        "signals are flat; the 4XX from expired tokens is steady all window and fx-rates-sync is a different, healthy "
        "function. An IAM change followed by AccessDenied: permission_denied, origin the ledger-export function (its role "
        "name also accepted)."),
    "h38-04-quote-api-errors-pricing-host-down": (
        "victim (Lambda)",
        "quote-api memory setting change 2 h before onset; batch-etl-1 CPU burst + SSM command 40 min earlier",
        "pricing-engine-1 fails its status checks and stops reporting CPU/agent metrics and application logs at the same "
        "minute quote-api starts failing with `ConnectTimeout ... pricing-engine-1.internal.acme ... (connect timeout=3)`. "
        "The Lambda itself is healthy (3 s failures, far from its 15 s timeout, no throttles); its memory change is two hours "
        "older than the onset, and the batch host's CPU burst ended before the failures. The downstream host is down, not "
        "saturated: dependency_failure on pricing-engine-1."),
    "h38-05-catalog-5xx-mysql-connections-full": (
        "front (ALB)",
        "image-proxy ECS deploy 17 min before onset; steady `Aborted connection` notes on catalog-db",
        "catalog-db's DatabaseConnections climbs steadily for 1 h and flattens at exactly max_connections=300; from then "
        "catalog-api logs Hikari `Connection is not available, request timed out after 30000ms` and MySQL `Too many "
        "connections`, and the ALB's target 5XX and response time rise. DB CPU and latency stay normal. The image-proxy "
        "deploy is a different, healthy service and the aborted-connection notes are at a constant rate. "
        "db_connection_exhaustion on catalog-db."),
    "h38-06-insights-latency-analytics-db-cpu": (
        "front (API Gateway)",
        "dashboard-query code deploy 5 h earlier; brief 4XX spike + WAF IP-set update ~1.3 h before onset",
        "analytics-db CPU jumps from ~37 % to 97-100 % and stays pinned; from the same minute the postgres log shows the "
        "dashboard aggregate query taking 6-19 s instead of 1-2 s, dashboard-query durations go to 6-19 s with a few "
        "statement-timeout cancellations, and insights-api latency goes over 10 s. Traffic is flat. The dependency is "
        "itself exhausted (CPU), so this is cpu_saturation on analytics-db rather than dependency_failure; the old deploy "
        "and the scanner 4XX blip are unrelated."),
    "h38-07-transcoder-memory-oom-kills": (
        "origin",
        "thumbnail-api deploy in the same cluster ~9 min before the alarm (the memory climb began an hour earlier); steady ffprobe codec WARNs",
        "transcoder MemoryUtilization climbs from ~50 % for 1 h (heap and SegmentCache entries growing in the health "
        "lines) until tasks hit `java.lang.OutOfMemoryError: Java heap space` and ECS stops them with `OutOfMemoryError: "
        "Container killed due to memory usage` (exit 137) every ~6 min. No change touched transcoder; the thumbnail-api "
        "deploy is a different service that settled normally. memory_exhaustion on the transcoder service."),
    "h38-08-ingest-5xx-gateway-disk-full": (
        "front (ALB)",
        "SSM patching + CPU burst on ingest-gw-2; security-group change on a bastion SG; steady clock-skew WARNs and 4XX",
        "ingest-gw-1's root volume fills steadily all window (disk_used_percent 63 % -> 100 %, 'spool volume usage high' "
        "warnings); at 100 % it logs `write /var/lib/ingest/spool/...: no space left on device` and returns 503, so about "
        "half the ALB traffic fails. ingest-gw-2 is healthy (its CPU burst was patching, 30 min before). "
        "storage_exhaustion on ingest-gw-1."),
    "h38-09-bookings-api-429-reserved-concurrency": (
        "front (API Gateway)",
        "booking-confirmation-mailer deploy during the throttling build-up, ~7 min before the alarm; mailer's long-standing SES MessageRejected errors (its alarm in ALARM for hours)",
        "The evening peak takes booking-handler's demand above what reserved_concurrency=10 can serve at its normal "
        "~12 s duration: ConcurrentExecutions pins at 10, Throttles rise to ~15/min, API Gateway logs `Lambda invocation "
        "failed with status: 429` and 4XX climbs. The function has no errors and no duration change; demand is about 2x an "
        "earlier peak, not an unprecedented surge. The mailer deploy and its chronic SES errors are unrelated. "
        "throttling on booking-handler."),
    "h38-10-statement-builder-timeouts": (
        "origin",
        "statement-notifier deploy 3 min before onset (its Errors alarm OK); healthy ledger-ro replica",
        "When the month-start corporate batch arrives, statement-builder runs for large accounts (60k-140k rows) reach "
        "the configured 30 s and end with `Task timed out after 30.0x seconds`; their logs show steady page-rendering "
        "progress and fast ledger reads (ledger-ro latency flat), with no dependency error. statement-notifier is a "
        "different function that stays healthy. function_timeout on statement-builder."),
    "h38-11-promo-alb-latency-flash-sale": (
        "origin (ALB)",
        "promo-admin deploy ~20 min before onset; steady 404s for an old black-friday URL",
        "RequestCount jumps ~6x in a few minutes with campaign URLs (`utm_source=tv`) in the access log; ECS autoscaling "
        "adds tasks but response time goes above 1 s and a few ELB 503s appear. CPU rises to ~80 % without pinning, no "
        "errors, no deploy or config change on promo-web. traffic_surge; the ALB (front door) or the promo-web service are "
        "accepted as origin."),
    "h38-12-tax-calculator-zero-quantity-lines": (
        "origin",
        "invoice-pdf code deploy + publish 4 min before onset; steady NCM-missing WARNs; invoice-pdf Duration alarm OK",
        "tax-calculator raises `decimal.InvalidOperation: DivisionUndefined` in `prorate_discount` (discount / "
        "quantity) for marketplace orders; the same exception appears sporadically earlier in the window, then becomes "
        "frequent when the mkp-magalu channel starts sending zero-quantity lines. No change to tax-calculator, no resource "
        "limit touched; the nearby deploy is on invoice-pdf, a different function that stays healthy. application_error."),
    "h38-13-ledger-api-tasks-crashloop-release": (
        "origin",
        "kyc-webhook Lambda deploy 8 min earlier; steady slow-query WARNs; ledger-pg CPU alarm OK",
        "ledger-api task definition 77 (version 3.8.0) is deployed; every new task panics at start-up with a nil pointer "
        "dereference in `limits.(*Registry).Load`, so ECS keeps replacing them and RunningTaskCount stays at 2-4 of 6 "
        "while half the old tasks were drained. Nothing else changed on the service. bad_deployment on ledger-api."),
    "h38-14-events-db-storage-full": (
        "origin",
        "event-writer deploy 4 h earlier; ModifyDBInstance + CPU blip on events-db-staging; steady 'connection reset by peer' LOGs",
        "events-db FreeStorageSpace falls linearly from 41 GiB to ~0 over six hours (storage autoscaling off); the alarm "
        "fires under 5 GiB and at zero postgres logs `could not extend file ... No space left on device` and a WAL PANIC "
        "while event-writer fails with DiskFull. The staging DB change and the old Lambda deploy are unrelated. "
        "storage_exhaustion on events-db."),
    "h38-15-partner-alb-502-node-oom-killer": (
        "front (ALB)",
        "partner-report-mailer deploy ~6 min before first kill; logrotate SSM command + CPU burst on api-node-1; steady 4XX",
        "api-node-3's mem_used_percent grows for an hour (old gen and export-cache entries growing in the heap monitor) "
        "until the kernel OOM killer kills java; systemd restarts partner-api every ~7 min and each kill shows up as a "
        "burst of ELB 502s and an unhealthy target. api-node-1/2 are normal. memory_exhaustion on api-node-3."),
    "h38-16-orders-5xx-mysql-io-stall": (
        "front (ALB)",
        "orders-export Lambda config change ~55 min before onset; steady Rails deprecation WARNs and metabase aborted-connection notes; orders-web-2 disk alarm OK",
        "orders-mysql's write latency goes from ~2 ms to ~1.7 s, read latency to ~0.9 s and DiskQueueDepth to ~60 with "
        "CPU *down*, connections at 88 of 600 and 512 GiB free; InnoDB logs page-cleaner and long semaphore waits. The "
        "Rails hosts time out waiting for MySQL and return 500. The database is degraded but not exhausted in any of the "
        "table's senses, so this is dependency_failure on orders-mysql; the Lambda config change is unrelated and earlier."),
}


def render(docs: list) -> str:
    out = ["# Holdout set 38 — an evaluator's set", "",
           "Sixteen independently written scenarios (generator: `python -m benchmarks.holdout38_gen`). Labels follow "
           "/work/shared/scenario-format.md and are what a careful SRE concludes from all the evidence.", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for d in docs:
        exp = d["expect"]
        front, decoys, _ = NOTES[d["name"]]
        res = ", ".join(f"`{r}`" for r in exp["root_cause"]["resource"])
        out.append(f"| {d['name']}.yaml | {d['region']} | `{exp['alarm']}` | {exp['root_cause']['category']} | {res} | {front} | {decoys} |")
    out += ["", "## Scenarios", ""]
    for d in docs:
        out += [f"### {d['name']}", "", NOTES[d["name"]][2], ""]
    return "\n".join(out)
