"""README for scenarios_holdout58: table built from the generated scenarios plus hand-written notes."""
from __future__ import annotations

from collections import Counter

# num -> (origin-or-front, decoys, story)
NOTES = {
    1: ("origin",
        "`quote-renderer` code deploy 100 s after the onset (before the alarm); steady DynamoDB "
        "throughput-exceeded WARN retries for hours; quote-renderer's steady TemplateNotFound ERRORs",
        "Terraform switched `invoice-webhook` from `nodejs16.x` to `nodejs20.x` "
        "(`UpdateFunctionConfiguration`, no code change; the last code deploy was 1.9 h earlier and "
        "healthy). From that minute every new environment logs `INIT_START Runtime Version: nodejs:20` "
        "followed by `Runtime.ImportModuleError: Error: Cannot find module 'aws-sdk'` (the v2 SDK is not "
        "bundled in Node 18+), and Errors equals Invocations. The `quote-renderer` deploy lands between the onset "
        "and the alarm but its function is unaffected. The DynamoDB retry WARNs ran at the same rate for hours before the "
        "change, and the template ERRORs run at the same rate before and after the quote-renderer deploy."),
    2: ("front (ALB -> ECS -> RDS)",
        "`catalog-api` Java 21 ECS rollout 55 min before; `ModifyDBInstance` on `pg-analytics` 3 min before the "
        "fan-out; steady duplicate-key errors from the feed importer; Hikari housekeeper WARNs",
        "A partner feed filled the SQS queue and `feed-importer` scaled from about 4 to 170 concurrent "
        "environments. Each opens its own connection, so `pg-main` DatabaseConnections climbs from about 90 to 297 "
        "(max_connections 300, 3 reserved). The RDS log, `catalog-api` and the importer all show `FATAL: "
        "remaining connection slots are reserved for non-replication superuser connections`, and the storefront ALB "
        "returns 5xx. The catalog-api rollout ran cleanly for almost an hour before the slots ran out; pg-analytics is "
        "another instance."),
    3: ("front (API Gateway -> Lambda)",
        "API Gateway `CreateDeployment`/`UpdateStage` between the onset and the alarm; a steady high 4XX rate "
        "(expired JWTs); avatar-thumbs' steady image errors; the profile-svc Python 3.12 upgrade 2.6 h before the onset",
        "Security rotated `prod/profile-svc/postgres` onto a new customer-managed KMS key (`CreateKey`, "
        "`UpdateSecret`, `RotateSecret`). The function's role cannot use that key for `kms:Decrypt`. As each "
        "environment's 10-minute secret cache expires, `profile-svc` raises `AccessDeniedException ... "
        "GetSecretValue operation: Access to KMS is not allowed`, and API Gateway logs `Lambda execution failed "
        "... customer function error`. The errors build up over ten minutes, which fits cache expiry and not "
        "a stage deployment. The stage deployment at -2420 s comes after the first denials."),
    4: ("front (public ALB -> ECS -> internal ALB)",
        "`checkout-web` .NET 6 -> 8 ECS rollout between the onset and the alarm; steady idempotency-conflict "
        "ERRORs and card-declined WARNs",
        "`pki-rotation-bot` imported a new certificate and swapped it onto the `ledger-internal` HTTPS listener "
        "(`ImportCertificate`, `ModifyListener`). The chain it serves is incomplete: from that minute "
        "`ClientTLSNegotiationErrorCount` on `ledger-internal` jumps to about 500/min, its RequestCount falls "
        "to a trickle (only a batch client with the intermediate pinned gets through), and `checkout-web` logs "
        "`The remote certificate is invalid because of errors in the certificate chain: PartialChain`. That "
        "error first appears on the old .NET 6 tasks, about 4 minutes before the .NET 8 tasks exist. The new tasks "
        "inherit the failure; they do not cause it."),
    5: ("front (ALB -> EC2)",
        "`web-b` Graviton move (Stop/ModifyInstanceAttribute/Start) 30 min before; `ModifyTargetGroupAttributes` "
        "2 min before; web-b's brief unhealthy blip; steady PHP deprecation notices on both hosts",
        "A `sitemap:generate --all-locales` cron run on `web-a` (x86, not migrated) pins its CPU at 99-100 %. "
        "On web-a's nginx access log, response times rise from about 0.1 s to 3-9 s, and php-fpm reports "
        "`pm.max_children` reached and slow-script warnings. `web-b`, now on c7g, serves the same paths in "
        "under 0.2 s with 27 % CPU. The ALB's average response time crosses 1.5 s because half the targets are "
        "saturated. The load is flat."),
    6: ("front (ALB -> ECS)",
        "no CloudTrail change at all; `schema-registry` (moved to Java 21 the day before) has its own memory "
        "alarm in ALARM at about 71 % and a 35-second stall 2 min before the first OOM, with schema-lookup retries "
        "in event-router; steady `unknown schema version` ERRORs",
        "`event-router` (Go) MemoryUtilization climbs steadily for six hours while `buffered_events` grows in its "
        "logs. At about -31 min the first task is killed (`OutOfMemoryError: Container killed due to memory "
        "usage`, exit 137). Replacements replay the checkpoint backlog into the same unbounded buffer and are "
        "killed every few minutes, so the ALB sees 502/503s and hosts flapping unhealthy. The schema-registry "
        "memory alarm is real but benign: a slow creep to about 71 % of a 2 GiB task, no kills, and its "
        "stall was over before the first OOM."),
    7: ("front (Lambda -> RDS)",
        "`ModifyDBInstance` (CA certificate) on the same DB 5 min before the volume fills; order-writer's Ruby 3.3 "
        "runtime upgrade 75 min before; a steady deadlock-retry WARN; steady MySQL DNS/aborted-connection notes",
        "A legacy-history backfill (`history-copier`, a Step Functions loop created 2.1 h before the volume filled) writes about "
        "14 GB/h into `orders-mysql`. FreeStorageSpace falls from 29 GB to about 0 with no storage autoscaling. "
        "From -25 min MySQL logs `Disk is full writing ... (OS errno 28 - No space left on device)` and `Error "
        "number 28`, and `order-writer` fails with `The table 'orders' is full`. The CA change is pending-reboot "
        "metadata and does not explain errno 28."),
    8: ("front (API Gateway -> Lambda)",
        "`catalog-read` arm64 migration 1 min before the first throttles; API Gateway `UpdateStage` near the onset; "
        "the new-region launch changes 5.5 h earlier; the function's own Errors alarm is OK",
        "The sa-east-1 stack went live at dawn with `cart-pricing` reserved concurrency 40 "
        "(`PutFunctionConcurrency` at launch). Morning traffic grows until ConcurrentExecutions flat-tops at 40 "
        "and Throttles climbs to several hundred per minute. API Gateway logs `Lambda invocation failed with "
        "status: 429 ... Rate Exceeded`. The function's Duration and Errors stay flat. catalog-read is a separate "
        "function and stays healthy."),
    9: ("origin",
        "`ModifyDBParameterGroup` on `core-pg16-params` (log_min_duration_statement 1000 -> 500) between the first "
        "timeouts and the alarm, which makes more slow-statement lines appear; a benign autovacuum CPU bump; "
        "the Python 3.9 -> 3.12 runtime upgrade 4 h earlier",
        "The month-end statement run works through accounts from small to large. In the logs, page counts rise "
        "and Lambda Duration climbs steadily from about 4.5 s to the 60 s limit. The largest statements end with "
        "`Task timed out after 60.00 seconds` mid-render (`rendered page 1250/1380`). Every ledger fetch still "
        "takes about 50 ms and the DB's latency and CPU are flat. The extra `duration:` lines after the parameter "
        "edit come from the lower logging threshold (they show 500-990 ms statements). The database did not get "
        "slower."),
    10: ("origin",
         "scheduled CodeDeploy blue/green cut-over (`ModifyListener` by AWSCodeDeploy) 100 s after the surge "
         "began; the ECS CPU alarm (target tracking) firing; an autoscaling `UpdateService`; steady wp-login 404 WARNs",
         "A mid-year flash-sale push notification takes `edge-web` from about 4,200 to about 19,000 requests/min "
         "in three minutes. Most of the new requests go to `/deals/1111-midyear` with `utm_source=push`. Puma "
         "queues back up (rack-timeout `state=expired`), response time rises to about 2 s and the ALB returns "
         "503/504s. The surge and the queueing start on the blue tasks before the green cut-over; the green "
         "tasks behave the same. CPU is high (about 85-90 %) but follows the request volume."),
    11: ("front (ALB -> ECS)",
         "RDS `ApplyPendingMaintenanceAction` (minor upgrade, reboot) 5 min before with a 2-minute OperationalError "
         "burst and a low-connections alarm cycling; steady DisallowedHost ERRORs and /.env 404s",
         "From -23 min about one request in ten to `POST /api/v2/invoices` fails with an unhandled `KeyError: "
         "'XCG'` in `invoices/services/fx.py` (no FX rate for the new Caribbean guilder code). The image is "
         "3.9 h old and the traceback names no dependency. The database reboot ended 2.5 minutes before the first "
         "KeyError, and its own errors (`Connection refused`) stopped when the database came back."),
    12: ("front (ALB -> ECS)",
         "autoscaling `UpdateService` on `doc-indexer` between the onset and the alarm; a claims-db CPU bump "
         "1 h before the rollout; steady `ClientAbortException: Broken pipe` ERRORs and SQL deprecation WARNs",
         "`gh-actions-deployer` registered and rolled out `adjudication-svc:4.12.0`. The new tasks log "
         "`using Java 21.0.4`. Only those tasks raise `InaccessibleObjectException: Unable to make field private "
         "final java.util.Comparator java.util.TreeMap.comparator accessible: module java.base does not \"opens "
         "java.util\"` from XStream in the rules codec. Target 5xx grow as each old task drains."),
    13: ("front (API Gateway -> Lambda -> EC2)",
          "no CloudTrail change at all; trip-quote is arm64/provided.al2023 (a migration a reader may suspect); "
         "a driver-location DynamoDB throttling burst 1.2 h earlier; a second alarm on trip-quote Duration; "
         "steady `surge multiplier stale` WARNs",
         "The self-managed Redis host `cache-01` fails its system status check (StatusCheckFailed_System = 1). "
         "Its CPU, network and agent metrics stop, and its Redis log goes silent. `trip-quote` then logs `quote "
         "cache lookup failed err=\"dial tcp 10.20.3.41:6379: i/o timeout\"` and returns errors after the 1 s dial "
         "timeout; API Gateway 5XX follows. The instance is not saturated; it is unreachable."),
    14: ("front (ALB -> ECS)",
         "secret rotation of `returns-pg/app` between the onset and the alarm, with three transient `password "
         "authentication failed` lines; steady carrier-slow and out-of-window WARNs",
         "An IAM tidy-up replaced the legacy S3 policy on `returns-api-task-role` (`PutRolePolicy`, "
         "`DetachRolePolicy`). The new policy names the wrong bucket. About 15 s later every label request logs "
         "`AccessDenied ... is not authorized to perform: s3:PutObject on resource: "
         "arn:aws:s3:::returns-labels-prd/...` and returns 500. The DB credential refresh succeeds on every task, "
         "and connections to the database are normal."),
    15: ("origin",
         "`tile-prewarm` nodejs18 -> nodejs20 runtime change plus code deploy 100 s before the first 502s; an old "
         "ASG update",
         "From -25 min `tiles-edge` returns 8-40 ELB-generated 502s a minute out of about 9,000 requests. Target "
         "5XX, TargetConnectionErrorCount and unhealthy hosts are all zero. Target CPU, memory and response time "
         "are flat, and the Caddy access logs on all three instances show only 2xx/304. Nothing changed on the "
         "ALB or the instances. The prewarm function only makes a few thousand requests every ten minutes; it "
         "receives the same 502s and does not cause them. No category's evidence is present."),
    16: ("front (ALB -> ECS -> RDS)",
         "`admin-worker` PHP 8.3 image rollout 80 s before the onset (the closest deploy); steady Blade "
         "`Attempt to read property \"name\" on null` ERRORs; the listing-php deploy 4.7 h earlier",
         "A developer took a manual snapshot (`CreateDBSnapshot` by `dev-jhkim`) and then ran `ALTER TABLE listings "
         "ALTER COLUMN price TYPE numeric(14,2)`, which rewrites the table under an ACCESS EXCLUSIVE lock. "
         "The postgres log shows the statement from `migrator`, then `still waiting for AccessShareLock ... Process "
         "holding the lock: 22980` and `canceling statement due to lock timeout`. Laravel surfaces these as "
         "`SQLSTATE[55P03]: Lock not available` on listing pages. WriteIOPS jumps and connections rise to about "
         "150 of 1,700 (not exhausted)."),
}

JUDGEMENT = [
    "**h58-01 config_change, not bad_deployment.** The runtime identifier is a function setting changed by "
    "`UpdateFunctionConfiguration`; no code or image was deployed. The table's tie-break (a config change beats a "
    "deployment) settles it even for a reader who treats a runtime bump as a kind of release.",
    "**h58-02 origin is the database.** The extra connections come from `feed-importer`'s burst, but the "
    "db_connection_exhaustion fault is on `pg-main` (the public example labels the DB the same way). "
    "`feed-importer` is not accepted.",
    "**h58-03 permission_denied, not config_change.** A change to the secret's KMS key preceded the errors, but "
    "that secret is not one of the account's resources here, and the errors are AccessDenied from KMS. That is "
    "the more specific category. The fix belongs on `profile-svc`'s role (or the key policy), so the function "
    "is the origin.",
    "**h58-04 config_change on the internal ALB.** The errors name an invalid setting (the listener's "
    "certificate chain) and follow a `ModifyListener` on `ledger-internal`. dependency_failure would describe "
    "what the callers see but would ignore the decisive change. ledger-internal's `ModifyListener` names "
    "the listener ARN, which contains the load balancer id.",
    "**h58-08 throttling, not traffic_surge.** Volume in the new region rises with the local morning, not far "
    "above what it was an hour earlier. A hard limit (reserved concurrency 40, ConcurrentExecutions flat at 40, "
    "429s) turns that demand into errors. The reserved-concurrency setting dates from the launch 5.5 h before, "
    "which is not \"shortly before\".",
    "**h58-09 function_timeout, not traffic_surge or dependency_failure.** Invocations are flat and the work per "
    "invocation grows. The dependency (core-pg) answers in about 50 ms throughout.",
    "**h58-10 traffic_surge; origin is the ALB.** The surge arrives at `edge-web` and the ALB's own 5xx alarm "
    "fired. The ECS service is where it hurts, but nothing is wrong with the service itself. Only the ALB's id "
    "and name are accepted. The blue/green cut-over came after the surge had started.",
    "**h58-11 application_error.** A preceding change exists (the RDS maintenance), but it is on another "
    "resource, produced a different and self-limiting error, and ended before the KeyError began.",
    "**h58-15 unknown.** ELB-generated 502s with healthy, idle, error-free targets and no relevant change do not "
    "support any category. The symptom resource (the ALB) is listed so that a resource-only grader has "
    "something to match.",
    "**h58-16 dependency_failure, not bad_deployment.** The schema migration was run by hand in a database "
    "session; CloudTrail shows no deployment of code, image or version. What the evidence shows is a "
    "downstream database that blocks (lock timeouts) while it is not exhausted.",
]


def render(built) -> str:
    out = ["# Holdout set 58: migrations and upgrades", "",
           "Sixteen incidents around migrations and upgrades: runtime bumps (Node 16 to 20, Python 3.9 to "
           "3.12, Ruby 3.2 to 3.3, Java 11/17 to 21, .NET 6 to 8, PHP 8.1 to 8.3), arm64/Graviton moves, "
           "RDS maintenance and parameter-group edits, certificate, secret and IAM rotations, a new-region "
           "launch, blue/green cut-overs, a data backfill and a schema migration. In some the migration is "
           "the cause. In others it is a decoy that lands near the onset while something else broke, and in two "
           "(h58-06, h58-13) CloudTrail shows no change at all. The set was written from the scenario format "
           "document and the four public examples only; labels are what an SRE reading all the evidence "
           "would conclude with the category table's tie-breaks applied. The bot's output was never consulted. "
           "Every file is generated by `python -m benchmarks.holdout58_gen` (seeded, deterministic): six "
           "hours of one-minute metrics, about three hours of sparse logs so that each pattern's baseline is "
           "visible, alarm states evaluated from the series they watch, and CloudTrail events.", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in built:
        where, decoys, _ = NOTES[sc.num]
        rc = sc.expect["root_cause"]
        res = ", ".join(f"`{r}`" for r in rc["resource"])
        out.append(f"| {sc.name}.yaml | {sc.region} | `{sc.expect['alarm']}` | {rc['category']} | {res} | {where} | {decoys} |")
    cats = Counter(sc.expect["root_cause"]["category"] for sc in built)
    types = Counter()
    for sc in built:
        for r in sc.resources:
            types[r["type"]] += 1
    out += ["", "## Coverage", "",
            f"- Categories ({len(cats)} of 13): " + ", ".join(f"{c} x{n}" for c, n in sorted(cats.items())) + ".",
            "- Resource types: " + ", ".join(f"{t} ({n} resources)" for t, n in sorted(types.items())) +
            ". Origins: lambda (01, 03, 08, 09), rds (02, 07, 16), ecs (06, 11, 12, 14), ec2 (05, 13), alb (04, 10, 15).",
            "- Alarm on a front resource while the origin is behind it: 02, 03, 04, 05, 06, 07, 08, 11, 12, 13, 14, 16.",
            "- Regions: " + ", ".join(sorted({sc.region for sc in built})) + ".",
            "- Runtimes and log styles: Node (Lambda plain, NestJS/pino JSON), Python (Lambda plain, Django + gunicorn "
            "access), Java (Spring Boot), Go (zap JSON, slog logfmt, Caddy JSON access), .NET (Lambda plain, Serilog CLEF "
            "JSON), Ruby (Lambda, Rails lograge logfmt + rack-timeout), PHP (nginx access + php-fpm, Laravel); "
            "PostgreSQL and MySQL engine logs, API Gateway execution logs, Redis and cron syslog, EventBridge ECS task-state "
            "events.", "", "## Judgement notes", ""]
    out += [f"- {j}" for j in JUDGEMENT]
    out += ["", "## Scenarios", ""]
    for sc in built:
        rc = sc.expect["root_cause"]
        out += [f"**{sc.name}** ({rc['category']}, `{rc['resource'][0]}`). {NOTES[sc.num][2]}", ""]
    return "\n".join(out)
