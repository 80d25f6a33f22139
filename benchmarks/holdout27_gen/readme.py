"""README.md for scenarios_holdout27: summary table plus one paragraph per scenario."""
from __future__ import annotations

import os

# name -> (alarm on origin or front, decoys, paragraph)
NOTES = {
    "h27-01-checkout-voucher-alias-shift": (
        "front (API Gateway)",
        "TagResource on the same function 2 h ago; UpdateFunctionConfiguration of newsletter-sender 4 h ago; "
        "UpdateStage on checkout-api 10 min ago (after onset); steady pre-existing statsd ENOTFOUND ERROR line",
        "CI updated checkout-pricing's code, published version 37 and moved alias `live` to it 42 minutes ago. From "
        "that minute the invocations served by version 37 (log streams `[37]...`) that carry a voucher (about a "
        "third) fail with `TypeError: Cannot read properties of undefined (reading 'rate')` in `applyVoucher`; "
        "version 36 never logged it. The API's 5xx follow Lambda Errors minute by minute. The tag edit two hours "
        "earlier changed nothing, the newsletter function is another resource and stays healthy, and the on-call's "
        "UpdateStage (turning on execution logging, which is why API Gateway execution logs only cover the last "
        "10 minutes) came after onset. The `metrics flush failed` ERROR is at the same rate all day. A code/version "
        "deployment followed by a new error signature only in the new version: `bad_deployment` on the function."),
    "h27-02-invoice-renderer-env-rename": (
        "origin (Lambda Errors)",
        "code deploy of the same function 5.5 h ago (clean since); AuthorizeSecurityGroupIngress 90 min ago; "
        "ModifyDBParameterGroup on crm-db 30 min ago (after onset); steady font-glyph UserWarning; async retries inflating "
        "Invocations",
        "terraform-ci ran UpdateFunctionConfiguration on invoice-renderer 48 minutes ago. From the next invocation "
        "every render completes but storing the PDF fails with `KeyError: 'INVOICE_OUTPUT_BUCKET'` from "
        "`os.environ`; the function's environment keys now show `OUTPUT_BUCKET` (the variable was renamed). "
        "Invocations roughly triple only because EventBridge async retries re-run each failed event twice. The code "
        "deploy 5.5 hours earlier was followed by five clean hours, the security-group and crm-db parameter changes "
        "touch other resources (the latter after onset, with crm-db metrics flat). A configuration change right "
        "before onset and an error naming the missing setting: `config_change`."),
    "h27-03-orders-api-rolling-deploy-npe": (
        "front (ALB)",
        "RegisterTaskDefinition reporting-worker:12 (never deployed) 70 min ago; AuthorizeSecurityGroupIngress "
        "2.5 h ago; ModifyTargetGroupAttributes by the on-call 20 min ago (after onset); steady 400s with "
        "MissingServletRequestParameterException",
        "orders-api:58 (image 2.41.0) was registered and rolled out with UpdateService 51 minutes ago. The four new "
        "tasks start (Spring Boot `Starting OrdersApplication v2.41.0`), take traffic about 50 minutes ago, and only "
        "they log `NullPointerException: Cannot invoke \"TaxQuote.amount()\" because \"quote\" is null` for "
        "reverse-charge orders; the old 2.40.3 tasks never did, and drained at -45 min. The reporting-worker task "
        "definition was registered but its service still runs :11; the target-group tweak came after the alarm. CPU, "
        "memory and the database are unremarkable. `bad_deployment` on the ECS service."),
    "h27-04-reports-sql-mode-after-reboot": (
        "front (ALB)",
        "the reboot's own 70-second connection outage (resolved); thumbnailer Lambda code deploy 3 h ago; "
        "pre-existing MySQL 'Aborted connection' notes",
        "A DBA modified parameter group reports-mysql80 95 minutes ago (pending reboot) and rebooted reports-db "
        "38 minutes ago. During the reboot the Rails app logs `Can't connect to MySQL server ... (111)` for about a "
        "minute, which clears. From then on every revenue and top-customer report fails with `Mysql2::Error: "
        "Expression #2 of SELECT list is not in GROUP BY clause ... incompatible with sql_mode=only_full_group_by`, "
        "while other pages work. The database is healthy (CPU, connections, storage normal), and the web hosts are "
        "healthy. The parameter change, which took effect at the reboot, is the trigger, and the error names the "
        "setting: `config_change`, origin the DB instance and its parameter group, not the Rails app."),
    "h27-05-ledger-export-role-policy-detached": (
        "origin (Lambda Errors)",
        "UpdateFunctionConfiguration of the same function 3.5 h ago; PutRolePolicy on fx-rates-role 100 min "
        "ago; UpdateFunctionCode of fx-rates-sync 29 min ago (7 min after onset); steady zero-amount WARN; SQS redeliveries "
        "raising Invocations",
        "A security engineer detached a policy from ledger-export-role 36 minutes ago. From the next invocation "
        "every archive upload fails: `api error AccessDenied: User: ...assumed-role/ledger-export-role/ledger-export "
        "is not authorized to perform: s3:PutObject ... because no identity-based policy allows the s3:PutObject "
        "action`. Invocations rise only because SQS redelivers failing batches. The function's own configuration "
        "change was 3.5 hours earlier with clean hours after; the other IAM and Lambda changes concern fx-rates, "
        "whose function stays healthy (and its deploy came after onset). `permission_denied` on the function "
        "(its role accepted too)."),
    "h27-06-tickets-on-sale-surge": (
        "front (ALB)",
        "tickets-api:31 deploy 3 h ago; ModifyDBInstance tickets-db 90 min ago (one-minute Npgsql blip); "
        "UpdateFunctionConfiguration of ticket-email-sender 50 min ago (25 min before onset); after onset: two autoscaling "
        "UpdateService calls and the on-call's PutScalingPolicy",
        "The general on-sale for evt_tokyo_dome_1224 opened at 12:00 JST, 25 minutes ago. ALB requests jump from "
        "about 480/min to about 6,500/min (14x), and the per-task request statistics show POST /v1/queue/join and "
        "the event's seat map dominating. Latency goes from 0.09 s to 2-3 s, the admission limiter answers 503, and "
        "Kestrel warns about thread pool starvation. Autoscaling adds tasks (6 to 10 to 12, at its max) and the "
        "on-call raises the max, all after onset. Service CPU runs at 75-80 % (not pinned), the database stays "
        "healthy, and the deploy and DB change hours before were followed by clean traffic. Request volume far "
        "above normal with no other fault: `traffic_surge` on the service/ALB."),
    "h27-07-catalog-db-rightsized-morning-peak": (
        "front (ALB)",
        "catalog-api:212 deploy 55 min ago (DB CPU already ~90 %); PutParameter for search-indexer 83 min ago; the on-call's "
        "ModifyDBInstance 8 min ago (scale back up, after onset); the DB CPU alarm also firing",
        "finops-rightsizing resized catalog-db from db.r6g.2xlarge to db.r6g.large nine hours ago at night "
        "(FreeableMemory drops from 41 to 9.6 GB then). Yesterday the same morning traffic ran the DB at about 30 % "
        "CPU; today CPU climbs with the morning ramp and has been above 90 % for the last 45 minutes and pinned at 96-99 % for the last 30, with "
        "DBLoadCPU far above the 2 vCPUs, slow-query and statement-timeout lines in the Postgres log, and ALB latency "
        "following. The catalog-api deploy 55 minutes ago came when DB CPU was already at 86-94 % and rising with traffic; its "
        "tasks' CPU is low and the only errors are DB statement timeouts, not a new code signature. The enabling "
        "change is hours old and only bites at peak load; what the evidence shows now is a saturated DB: "
        "`cpu_saturation` on catalog-db."),
    "h27-08-quote-engine-reserved-concurrency-peak": (
        "front (API Gateway)",
        "quote-engine v88 deploy (UpdateFunctionCode, PublishVersion, UpdateAlias) 55 min ago, ~30 min before "
        "throttling starts; AuthorizeSecurityGroupIngress 2.5 h ago; steady rating-table WARN",
        "The platform team set reserved concurrency 40 on quote-engine almost six hours ago. At the evening peak "
        "(from about 25 minutes ago) demand needs more than 40 concurrent 5-second executions: ConcurrentExecutions "
        "is flat at exactly 40, Throttles climb, and API Gateway returns 500s with `Lambda invocation failed with "
        "status: 429` / `Rate Exceeded` in its execution logs. Lambda Errors stay at 0 and Duration is unchanged "
        "after the v88 deploy, so the deploy introduced no new error signature. `throttling` on quote-engine."),
    "h27-09-statement-import-partner-csv": (
        "origin (Lambda Errors)",
        "TagResource on the same function 2 h ago; statement-notify code deploy 55 min ago (5 min before onset); the "
        "on-call's UpdateFunctionConfiguration (LOG_LEVEL=debug) 15 min ago; steady IBAN-checksum WARN",
        "statement-import has not been changed for nine days (only tagged by a governance bot). From 50 minutes ago "
        "every file under `partner=nordbank/` fails with `CSV::MalformedCSVError: Illegal quoting in line N` (the "
        "debug lines enabled after onset show doubled quotes inside a memo field); the other partners' files import "
        "normally, and async retries fail the same way. statement-notify was deployed five minutes before onset but "
        "it runs after a successful import, has no errors, and only sees fewer events. An unhandled exception with "
        "no preceding change to the function and no resource or dependency fault: `application_error`."),
    "h27-10-listing-sanitizer-backtracking-timeouts": (
        "origin (Lambda Errors)",
        "TagResource 3 h ago; RevokeSecurityGroupIngress 50 min ago; listing-thumbnailer deploy 46 min "
        "ago (6 min before onset); the on-call's UpdateFunctionConfiguration (timeout 15 to 30 s) 12 min ago; API latency alarm also "
        "firing",
        "Since 40 minutes ago, listings from seller s_88231 with 41-52 KB descriptions make the sanitizer run until "
        "`Task timed out after 15.0x seconds` (REPORT `Status: timeout`); its last line is always `sanitizing listing "
        "... description_len=4xxxx`, with no downstream call or error. Ordinary listings finish in about 60 ms, and "
        "the code was last deployed two weeks ago. The on-call raised the timeout to 30 s after onset and the same "
        "invocations now time out at 30 s, so the limit is not the problem. The thumbnailer deploy is another "
        "function and stays healthy. `function_timeout` on listing-sanitizer."),
    "h27-11-pos-sync-spool-volume-full": (
        "front (ALB)",
        "PutParameter /prod/pos-sync/receipt-footer-text 40 min ago (9 min before onset); "
        "ModifyTargetGroupAttributes 70 min ago; steady printer-heartbeat WARN",
        "pos-sync-2's spool volume (/var/lib/pos-sync) has been filling at about 5 %/h all day, because its spool "
        "janitor skips every hour on a stale lock, and it reached 100 % 31 minutes ago. From then every receipt "
        "routed to pos-sync-2 fails with `System.IO.IOException: No space left on device`; pos-sync-1 (spool 62 %) "
        "keeps working, and health checks still pass, so about half the receipts fail. The footer-text parameter "
        "change would affect both hosts the same way and produces no error of its own. The target-group attribute "
        "change was 70 minutes ago, well before the disk filled. `storage_exhaustion` on pos-sync-2."),
    "h27-12-search-vector-flag-parameter": (
        "front (ALB)",
        "search-api:77 deploy 4 h ago (clean since); RevokeSecurityGroupIngress 1 h ago; PutParameter "
        "/prod/notifications/digest-batch-size 21 min ago (5 min after onset)",
        "A product manager set `/prod/search-api/ranking.vector-enabled` 26 minutes ago. Within a minute each task "
        "logs `Refreshed 1 property from /prod/search-api/: [ranking.vector-enabled]` and `ranking pipeline rebuilt: "
        "stages=[bm25, vector-rerank]`, and from then every v2 search fails with `IllegalStateException: "
        "ranking.vector-enabled=true but ranking.vector.endpoint is not configured`. The service's deploy four hours "
        "earlier was followed by clean hours, and the notifications parameter belongs to another service and came "
        "after onset. A feature flag flipped right before onset, with errors naming the setting: `config_change` "
        "(service or the parameter)."),
    "h27-13-cart-session-redis-host-impaired": (
        "front (ALB)",
        "cart-service:140 deploy 2 h ago; ModifyDBInstance cart-db 40 min ago (7 min before onset); the on-call's "
        "RebootInstances of the Redis host 20 min ago (after onset, no effect); steady promotion cache-miss WARN",
        "The EC2 host session-redis-1 failed its system status check 33 minutes ago: its CPU, network and memory "
        "metrics and its Redis log stop. From that minute cart-service requests that need a session wait out the "
        "2 s dial timeout and return 503 with `dial tcp 10.0.12.44:6379: i/o timeout` (plus go-redis pool dial "
        "failures); the endpoints that need no session keep working. cart-db's change (backup settings) left its "
        "metrics flat with no DB errors, the cart-service deploy was two hours earlier, and the reboot came after "
        "onset and did not help. `dependency_failure`, origin session-redis-1."),
    "h27-14-billing-db-month-end-connections": (
        "front (ALB)",
        "billing-api deploy 90 min ago; ModifyDBInstance analytics-db 40 min ago (20 min before onset); the on-call's "
        "ModifyDBParameterGroup billing-pg16 8 min ago (pending reboot, after onset); steady Stripe-webhook WARN",
        "At 00:00 JST on the last day of the month EventBridge started the scheduled ledger-reconcile task (RunTask "
        "of task definition :9, unchanged for three weeks). It opens one connection per shard, 320 of them, and "
        "billing-db's DatabaseConnections goes from about 85 to about 397 of max_connections 400. billing-api then "
        "fails whenever its pool opens a connection: `sorry, too many clients already` (SQLSTATE 53300), with "
        "matching FATAL lines in the Postgres log. DB CPU and storage are fine. The billing-api deploy was 90 minutes "
        "earlier and clean, analytics-db is another instance, and the parameter-group change came after onset. "
        "`db_connection_exhaustion` on billing-db."),
    "h27-15-payout-calculator-timeout-lowered": (
        "origin (Lambda Errors)",
        "code deploy of the same function 5 h ago (clean since); AuthorizeSecurityGroupIngress ~2 h ago; "
        "UpdateFunctionConfiguration of payout-notifier 35 min ago (9 min after onset); steady tax-profile WARN",
        "terraform-ci ran UpdateFunctionConfiguration on payout-calculator 44 minutes ago, and the function now shows "
        "`timeout: 3` while its batches normally take 1-9 s. From the next invocation about 40 % end with `Task timed "
        "out after 3.0x seconds`, and Duration is capped at about 3,000 ms. payouts-db is healthy and there are no "
        "dependency errors. The code deploy five hours earlier was followed by hours of clean runs, and the notifier "
        "change came later and concerns another function. The symptoms are timeouts, but they were triggered by a "
        "configuration change just before onset, and the tie-break (the more specific trigger wins) gives "
        "`config_change`."),
    "h27-16-transcode-worker-oom-8k-inputs": (
        "origin (ECS MemoryUtilization)",
        "PutScalingPolicy on the same service 70 min ago; media-api deploy 45 min ago (5 min before onset); the on-call's "
        "RegisterTaskDefinition transcode-worker:23 5 min ago (not deployed)",
        "Since 40 minutes ago a studio customer's 8K ProRes 4444 uploads push the worker's RSS to 3.6-3.9 GiB of its "
        "4 GiB task limit, and the container is killed (exit code 137, `OutOfMemoryError: Container killed due to "
        "memory usage` in the ECS task state-change events). SQS redelivers the job and the next task dies the same "
        "way; MemoryUtilization peaks at 100 %, RunningTaskCount dips and queue age grows. The scaling-policy change "
        "an hour earlier only changes the task count, not per-task memory, and nothing happened until the 8K jobs "
        "arrived. media-api is another service, and the new task definition was registered but not deployed. "
        "`memory_exhaustion` on the transcode-worker service."),
}


def write_readme(docs, out):
    lines = ["# Held-out scenarios, set 27: \"the change that matters\"", "",
             "Generated by `python -m benchmarks.holdout27_gen` (seeded, deterministic). Every scenario has at least "
             "two CloudTrail changes in the hours before onset, and at most one of them is causal. Some answers are "
             "not a change category at all (saturation, surge, exhaustion, dependency, application error) even "
             "though a change sits close to onset. In the tables and notes, 'ago' means before load time.", "",
             "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
             "|---|---|---|---|---|---|---|"]
    for d in docs:
        where, decoys, _ = NOTES[d["name"]]
        rc = d["expect"]["root_cause"]
        lines.append(f"| {d['name']}.yaml | {d['region']} | {d['expect']['alarm']} | {rc['category']} | "
                     f"{', '.join('`%s`' % r for r in rc['resource'])} | {where} | {decoys} |")
    lines.append("")
    for d in docs:
        lines += [f"## {d['name']}", "", NOTES[d["name"]][2], ""]
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
