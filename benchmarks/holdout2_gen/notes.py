"""Human notes for the held-out-2 README: what happened, what the decoys are, how linked the resources are."""
from __future__ import annotations

from typing import Any

NOTES: dict[str, dict[str, str]] = {
    "h2-01-ledger-wal-disk-full": {
        "story": "An abandoned logical replication slot retains WAL; FreeStorageSpace on ledger-pg falls for 6 h "
                 "and reaches ~0 at -1800. Postgres logs 'could not extend file ... No space left on device'; the "
                 "Lambda fails with psycopg2.errors.DiskFull.",
        "decoys": "UpdateFunctionConfiguration on fx-rates-sync at -2280; fx-rates-sync invocation/duration burst "
                  "-2050..-1760; UniqueViolation ERRORs (Lambda and postgres) at a steady rate all along; an old "
                  "deploy of ledger-post-entry at -9100.",
        "links": "Lambda env PGHOST names the DB endpoint.",
        "front": "yes (Lambda calling a DB)"},
    "h2-02-wave-planner-heap-oom": {
        "story": "Route cache without eviction leaks heap in pick-planner (Java/Spring, Fargate). MemoryUtilization "
                 "climbs all window, hits the limit at -1900, then saw-tooths as the JVM dies with "
                 "'OutOfMemoryError: Java heap space' and restarts; ALB returns 502/503.",
        "decoys": "label-service task-definition deploy at -2700 and IAM PutRolePolicy on its task role at -2210 "
                  "(IAM event recorded in us-east-1); label-service CPU burst -2050..-1780; SkuLookupClient ERRORs "
                  "and 'printer zebra-07 offline' WARNs at a steady rate.",
        "links": "ALB `targets` lists both ECS services.",
        "front": "yes (ALB)"},
    "h2-03-quotes-db-unplanned-restart": {
        "story": "quotes-mysql (single-AZ) goes away at -1620 (no CloudTrail event: host failure); RDS metrics have "
                 "a gap to the end; mysqld restarts at -360 and is still in InnoDB crash recovery at load time. quote-engine gets pymysql "
                 "2003 'Can't connect ... (timed out)' after its 5 s connect timeout; API Gateway returns 502.",
        "decoys": "partner-webhooks deploy at -2100 and its invocation burst -1900..-1500; steady "
                  "QuoteValidationError lines / 4XX; steady mysqld 'could not be resolved' warnings before the outage.",
        "links": "API `integration` names the Lambda; Lambda env DB_HOST names the DB.",
        "front": "yes (API Gateway)"},
    "h2-04-tile-renderer-cpu-pinned": {
        "story": "tiles-render-b pins its CPU at 100 % from -2400 rendering pathological z16 3-D building tiles "
                 "(Go renderd logs 'render exceeding budget', queue grows); its nginx rt goes to seconds; ALB p99 "
                 "TargetResponseTime alarms. Memory and disk (CWAgent) are flat.",
        "decoys": "tiles-cache-warmer CPU burst -2700..-2280 and ModifyInstanceAttribute on it at -3050; "
                  "AuthorizeSecurityGroupIngress at -2650; 'style fetch failed 404' errors on both renderers at a "
                  "steady rate; tiles-render-a healthy.",
        "links": "none (ALB has no targets property; instances only carry a name).",
        "front": "yes (ALB)"},
    "h2-05-cart-image-regression": {
        "story": "New cart-svc image (RegisterTaskDefinition + UpdateService at -2500). From -2380 POST /cart/items "
                 "for bundles throws TypeError 'reading currency' (pino JSON, version 2026.03.14-1 only).",
        "decoys": "UpdateFunctionConfiguration on promo-scheduler at -2900; catalog-svc CPU burst -2200..-1900; "
                  "redis TimeoutError errors at a steady rate in both old and new tasks.",
        "links": "ALB `targets` lists cart-svc and catalog-svc.",
        "front": "ALB alarm, origin the ECS service"},
    "h2-06-settlement-window-env-typo": {
        "story": "A console UpdateFunctionConfiguration at -2040 sets BATCH_WINDOW_SECONDS='5m'; every invocation "
                 "then fails with ValueError int('5m') in settings.py.",
        "decoys": "A code deploy of the same function at -9000 (no errors after it); refund-notifier deploy at "
                  "-2300 and its invocation burst -2250..-1950; steady 'NETS returned 409' ERROR lines.",
        "links": "Env vars visible in properties (the bad value is there).",
        "front": "no"},
    "h2-07-tax-rates-role-detached": {
        "story": "iam-janitor detaches the DynamoDB policy from tax-calc-exec at -1980 (CloudTrail IAM events are "
                 "global, recorded in us-east-1 while everything else is ca-central-1). Warm containers serve "
                 "cached rates ~10 min, then Go slog JSON shows AccessDeniedException on dynamodb:Query.",
        "decoys": "address-normalizer deploy at -2400 and its concurrency bump -2320..-2100; steady libpostal "
                  "ERROR lines and 2 Errors/min on address-normalizer.",
        "links": "none (API has no integration property; Lambda env only names the table).",
        "front": "yes (API Gateway)"},
    "h2-08-loyalty-pool-leak": {
        "story": "A voucher code path leaks JDBC connections (HikariCP ProxyLeakTask warnings from -6600). "
                 "DatabaseConnections climbs 92 -> 420 (= max_connections) by -1500; then Hikari 'Connection is not "
                 "available' caused by 'Too many connections'.",
        "decoys": "ModifyDBInstance + RebootDBInstance on loyalty-mysql-replica at -2500/-2470 (metric gap and CPU "
                  "bump on the replica); steady 'partner feed returned HTTP 503' ERRORs; steady mysqld 'Aborted "
                  "connection' notes.",
        "links": "none (Lambda env names a secret, not the DB).",
        "front": "yes (Lambda calling a DB)"},
    "h2-09-directory-stage-throttle": {
        "story": "A partner catalogue sync (+1000 req/min from one IP) from -1800 pushes the v1 stage over its "
                 "40 rps throttle; access logs show 429 THROTTLED; Lambda invocations plateau at the limit.",
        "decoys": "merchant-onboarding config change at -2150 and IAM AttachRolePolicy at -2000 (us-east-1); its "
                  "invocation burst -2600..-2300; steady 404 'merchant not found' 4XX and MerchantNotFound lines.",
        "links": "API `integration` and throttle limits in properties; metrics with ApiName and ApiName+Stage.",
        "front": "no"},
    "h2-10-nfe-render-timeouts": {
        "story": "One large customer starts sending invoices with ~4-5k items from -2100; those renders hit the "
                 "30 s timeout ('Task timed out', REPORT Status: timeout). DB reads stay ~30 ms, memory ~1.1 of "
                 "1.5 GB, no dependency errors.",
        "decoys": "nf-status-poller deploy at -2400 and invocation burst -2350..-2050; ModifyDBParameterGroup on "
                  "the fiscal-pg parameter group at -2250; PDFBox fallback-font WARN on every invocation and steady SEFAZ 'cStat=108' ERRORs (an external dependency, same rate before and after).",
        "links": "Lambda env names a secret only.",
        "front": "no"},
    "h2-11-onsale-traffic-surge": {
        "story": "Ticket on-sale at -1800: RequestCount ~8.5x. seat-api CPU rises to ~80 % (not pinned), latency "
                 "and some 503s until autoscaling adds tasks (UpdateService by the autoscaling role after onset).",
        "decoys": "ticket-email-sender deploy at -2100; reporting-runner EC2 CPU burst -2600..-2200; steady "
                  "'payment webhook signature mismatch' errors.",
        "links": "none (ALB has no targets property).",
        "front": "ALB alarm; cause is the load itself"},
    "h2-12-campaign-rule-typeerror": {
        "story": "Merchandisers add campaign HOLI26-BOGO (data, no CloudTrail) whose rule lacks minBasket; from -1720 "
                 "~11 % of evaluations throw TypeError 'reading minBasket' (Node 'Invoke Error' JSON).",
        "decoys": "receipt-ocr deploy at -2010 and IAM PutRolePolicy on its role at -2150 (us-east-1); receipt-ocr "
                  "burst -2050..-1800; steady ValidationError 'Invoke Error' lines (~2 Errors/min baseline).",
        "links": "API `integration` names the Lambda.",
        "front": "no"},
    "h2-13-portal-elb-502-burst": {
        "story": "ALB-generated 502s (~11/min from -1500, ongoing) with no target 5xx, no unhealthy hosts, no target "
                 "latency change, clean nginx logs and no relevant change. Needs the ALB's S3 access logs; the "
                 "scenario's evidence supports no category.",
        "decoys": "portal-thumbnailer config change at -1800; S3 lifecycle change at -2700; portal-web-1 backup "
                  "CPU/network burst -2420..-2180; steady SAML 'assertion expired' ERRORs on both instances.",
        "links": "none.",
        "front": "ALB alarm, origin unknown"},
    "h2-14-search-db-plan-flip-cpu": {
        "story": "After an autovacuum ANALYZE at -2170 the planner flips the product search to a scan; "
                 "catalog-search-pg CPU goes to ~100 % (DBLoadCPU 16 on 4 vCPU) with multi-second statements; "
                 "search-api (Go) hits its 8 s statement timeout; ALB p99 alarms. Connections 42 -> 137 of 1700.",
        "decoys": "image-proxy deploy at -2300 and its CPU burst -1900..-1620; steady 'synonyms reload failed' "
                  "errors; search-api CPU actually drops.",
        "links": "ALB `targets` and search-api env PG_HOST.",
        "front": "yes (ALB, origin the DB two hops down)"},
}


def readme(docs: list[tuple[str, dict[str, Any]]]) -> str:
    out = ["# Held-out RCA scenarios, set 2", "",
           "Fourteen aiops-scenario/v1 files written independently of the product's analyzers and of earlier "
           "scenario sets, for an honest measure of root-cause ranking. Regenerate (deterministic) with "
           "`.venv/bin/python -m benchmarks.holdout2_gen`. Score with `.venv/bin/python -m benchmarks.rca "
           "benchmarks/scenarios_holdout2`. Do not tune against this set.", "",
           "Times are seconds before load. Each file has six hours of one-minute metrics; logs cover the last "
           "90-120 min (Lambda invocations are sampled to keep files < 600 KB, so log counts are a fraction of "
           "the Invocations metric).", "",
           "| file | region | alarm (metric, stat, period) | intended root cause | accepted resources |",
           "|---|---|---|---|---|"]
    for slug, doc in docs:
        alarm = doc["alarms"][0]
        root = doc["expect"]["root_cause"]
        out.append(f"| {slug} | {doc['region']} | {alarm['name']} ({alarm['namespace']} {alarm['metric']}, "
                   f"{alarm['statistic']}, {alarm['period']} s) | `{root['category']}` | "
                   f"{', '.join(f'`{r}`' for r in root['resource'])} |")
    out += ["", "## Per scenario", ""]
    for slug, _ in docs:
        n = NOTES[slug]
        out += [f"### {slug}", f"- What happened: {n['story']}", f"- Decoys: {n['decoys']}",
                f"- Links in resource properties: {n['links']}", f"- Alarm on a front/downstream resource: {n['front']}",
                ""]
    return "\n".join(out)
