"""README for scenarios_holdout63 (table and coverage are computed from the built scenarios)."""
from __future__ import annotations

from collections import Counter

ALL_CATEGORIES = ["bad_deployment", "config_change", "permission_denied", "dependency_failure",
                  "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
                  "throttling", "function_timeout", "traffic_surge", "application_error", "unknown"]

# number -> (alarm on origin or front, decoys, story)
NOTES = {
    1: ("origin (Lambda Errors)",
        "compliance scanner AccessDenied all day; UpdateFunctionConfiguration on pa-status-notifier 24 s "
        "after the cause and closer to the onset; eight harmless night-window changes; queue-age second alarm",
        "A Python intake function decrypts prior-authorization attachments with a customer-managed KMS key. "
        "At -2820 `sec-baseline-pipeline` runs `PutKeyPolicy` on that key (same key ARN as in the errors). "
        "From about -2790 every invocation fails with `AccessDeniedException ... not authorized to perform: "
        "kms:Decrypt ... because no resource-based policy allows the kms:Decrypt action`, naming the function's "
        "own role. The `hipaa-config-audit` scanner logs AccessDenied/explicit-deny errors every five minutes "
        "for all six hours at the same rate, and a different function gets a configuration update 24 s later. "
        "The old `ProviderNotFound` error stays at its usual trickle."),
    2: ("front (ALB target 5XX), origin RDS",
        "Lambda deployment 15 s after the cause (closer to the onset); pre-change DB snapshot; listener/WAF/SG "
        "changes; SMTP connection-timeout errors, zgrab 404 probes and login throttling all day",
        "A PHP building-permits portal on two EC2 instances. At -3060 a DBA runs `ModifyDBParameterGroup` on "
        "`permits-mysql80-hardened`, the parameter group of `permits-db-01` (see its properties). From then on, "
        "as PHP-FPM workers recycle their persistent connections, new connections fail with `SQLSTATE[HY000] "
        "[3159] Connections using insecure transport are prohibited while --require_secure_transport=ON`; "
        "`DatabaseConnections` decays from ~26 to ~4 and ALB target 5XX climb to ~90 % of requests. The SMTP "
        "relay timeouts, scanner 404s and the rare `Undefined array key \"parcel_id\"` error were all there before."),
    3: ("front (private API Gateway 5XX), origin RDS",
        "API stage update 60 s before the first errors (closer to the onset than the BI sessions); CPU spike on the DB three hours "
        "earlier; NPI checksum warnings; scanner noise; early-morning change window",
        "Clinic systems search a provider directory through a private REST API backed by a .NET function and a "
        "PostgreSQL instance with max_connections 300. From -3300 a Power BI gateway (`bi_reader`, "
        "10.72.8.15) opens session after session (`connection authorized: user=bi_reader ... "
        "application_name=PowerBIGateway`), pushing `DatabaseConnections` to 291-297 of 300 by -2160. Then the "
        "function gets `53300: remaining connection slots are reserved for non-replication superuser "
        "connections` and Npgsql pool-exhausted timeouts; PostgreSQL logs the same FATAL. DB CPU and latency "
        "stay normal. The `UpdateStage` on the API lands between the first BI connections and the first errors."),
    4: ("front (ALB latency), origin EC2",
        "ALB ModifyListener (TLS policy) 110 s before the onset; patch-baseline SendCommand with a CPU bump on "
        "both instances; benign CPU spike on the other instance; PDS 404 errors all along",
        "Two Go instances behind an internal ALB. At -2284 `referrals-app-1` acquires the `attachment-reindex` "
        "lease and starts the job; its CPU goes from ~10 % to 93-99 % and stays there, goroutines jump from ~75 "
        "to ~1000, and its requests take 1-10 s (\"request slow\", \"scheduler lag\"). `referrals-app-2` stays "
        "at ~8 % CPU with normal latency, and request volume is flat. A listener TLS-policy change sits just "
        "before the onset but would affect both targets equally and not CPU."),
    5: ("front (ALB ELB 5XX), origin ECS service",
        "sibling case-api deployed 60 s before the memory climb; docs-render's own deployment 5.5 h earlier; "
        "case-archiver errors alarm that has been in ALARM for hours; tribunal-calendar 404s all along",
        "Tribunal case-bundle PDFs are rendered by a Node service on ECS. From -3000 an overnight batch of very "
        "large bundles (1,500-4,200 pages) arrives: `MemoryUtilization` turns into a saw-tooth up to ~100 %, "
        "tasks die every ~8 minutes, alternately with `FATAL ERROR: Reached heap limit ... JavaScript heap out "
        "of memory` (exit 134) and `OutOfMemoryError: Container killed due to memory usage` (exit 137), and the "
        "ALB returns 502s while a task restarts. The case-api deployment is a few seconds earlier than the "
        "climb, but case-api's metrics and logs are unchanged."),
    6: ("front (ALB target 5XX), origin EC2",
        "target-group attribute change 140 s before the onset; nightly EBS snapshots; scanner-role policy "
        "change; routing-error FATAL lines from vulnerability probes all along",
        "A Rails FOIA portal on two instances. At -9205 a bulk disclosure export (`ExportPackageJob`, request "
        "PRR-2026-00481) starts staging ~100-160 MB parts on `foia-web-1`'s root volume; CWAgent "
        "`disk_used_percent` climbs from 71 % to 100 % by about -2100. From then on requests routed there fail "
        "with `Errno::ENOSPC (No space left on device ...)` and the job retries with ENOSPC. `foia-web-2` is at "
        "58 %. Nobody had a disk alarm, so only the ALB 5XX alarm fired."),
    7: ("front (private API Gateway 5XX), origin Lambda",
        "UpdateFunctionConfiguration on a different function 250 s before; PutFunctionConcurrency on "
        "waitlist-notifier in the night; KMS grant after onset; SlotConflict 409s all along",
        "A Ruby booking function with `reserved_concurrency: 15` (set long ago) sits behind a private API. At "
        "-2700 a walk-in vaccine clinic opens booking and demand rises about 1.7x. With a ~3.9 s duration the "
        "function needs more than 15 concurrent executions: `ConcurrentExecutions` flattens at exactly 15, "
        "`Throttles` go from 0 to 40-70 a minute, and API Gateway logs `Lambda invocation failed with status: "
        "429` / `Rate Exceeded` and answers 500. Duration and the function's own errors are unchanged."),
    8: ("origin (Lambda Errors)",
        "router function configuration change 80 s before the onset; LOINC terminology-retry warnings on 25 % "
        "of invocations all along; queue-age second alarm; VPC endpoint/KMS/S3 policy changes in the window",
        "A .NET function normalises HL7 ORU batches from SQS with a 60 s timeout. From -2520 one sender "
        "(`LAB-KOELN-03`) delivers end-of-day batches of 900-2,400 messages (~10k-35k OBX segments) instead of "
        "20-80. At ~8.5 ms per segment these invocations log steady progress and then `Task timed out after "
        "60.00 seconds` (`Status: timeout`, memory ~600 of 1024 MB); SQS redelivers them and the queue age "
        "grows. There are no dependency errors: the terminology retries were always there and S3 writes stay fast."),
    9: ("front (ALB latency), origin ALB/ECS (traffic)",
        "AV-scan Lambda deployment 70 s before the onset; autoscaling UpdateService calls on the service after "
        "the onset; ECS CPU-high and RDS CPU rising as consequences; handled validation errors all along",
        "A Django/gunicorn benefits renewal site. At 09:05 local (-3900) deadline text messages go out and "
        "`RequestCount` jumps from ~700 to ~4,700 a minute; access logs fill with "
        "`?utm_source=sms&utm_campaign=renewal-deadline-jul1` and mobile user agents. Latency rises from 0.2 s "
        "to ~3.5 s, gunicorn logs WORKER TIMEOUT, some 502s. CPU rises to ~75-80 % (not pinned), the database "
        "stays well below its limits, autoscaling adds tasks after the fact. Nothing changed on the service before the surge."),
    10: ("front (ALB target 5XX), origin ECS service",
         "Lambda configuration change 80 s after the deployment (closer to the onset); the error is also "
         "logged by PostgreSQL; Hikari validation warnings and Healthlink 404s all along; RDS ModifyDBInstance "
         "in the window",
         "A Spring Boot referral service on ECS. At -2700/-2680 `RegisterTaskDefinition referral-svc:88` and "
         "`UpdateService` roll out v2.19.0 (new tasks log the new version). From about -2560, only in the new "
         "tasks, ~40 % of requests fail with `PSQLException: ERROR: column r1_0.triage_band does not exist`; "
         "PostgreSQL logs the same statement error. The database's CPU, connections and latency are normal: "
         "the new code expects a migration that was never applied."),
    11: ("origin (Lambda Errors)",
         "audit-writer deployment 65 s before the onset; DLQ alarm already in ALARM all day; old "
         "ValidationError thrown at a low rate all along; EventBridge/KMS changes earlier",
         "A Node consent-ledger function consumes FHIR Consent events. From -2190 a new sender "
         "(`region-vgr-hie`, `fhirVersion=5.0.0`) appears, and every one of its events throws `TypeError: "
         "Cannot read properties of undefined (reading 'coding') at normalizeScope (normalize.js:88)`, about "
         "20 % of invocations. consent-events had no deployment or configuration change; the sibling audit "
         "writer's deployment shows no errors of its own. Unhandled exception, no preceding change on the "
         "function, no resource or dependency fault."),
    12: ("front (ALB target 5XX), origin ECS service",
         "fhir-api deployment 25 s after the cause (closer to the onset); harmless PutRolePolicy on the "
         "exporter's own task role hours earlier; S3 SlowDown retry warnings all along; scanner AccessDenied noise",
         "A Go bulk exporter on ECS writes hospital export parts to S3 through a gateway VPC endpoint. At -3000 "
         "`netsec-automation` runs `ModifyVpcEndpoint` on that endpoint; from -2960 every `PutObject` fails with "
         "`AccessDenied: ... not authorized to perform: s3:PutObject ... because no VPC endpoint policy allows "
         "the s3:PutObject action` and the upload API returns 500. The S3 `SlowDown` retries were always there."),
    13: ("front (private API Gateway 5XX), origin Lambda (external dependency)",
         "API Gateway CreateDeployment 120 s before and IAM AttachRolePolicy on the function's role 50 s before "
         "the onset; function deployed 5.5 h earlier; payer-side AAA warnings all along",
         "A Java function sends X12 270 eligibility requests to an external clearinghouse. From -2040 calls "
         "to `edi.claimsbridge-hub.net` time out (`HttpTimeoutException: request timed out`, two attempts) or "
         "return `503 Service Unavailable (Retry-After: 120)`; the function returns 504 (its own Errors metric "
         "stays near zero), duration goes from ~0.9 s to ~13 s and the API's 5XX alarm fires. The card-PDF "
         "function behind the same API is unaffected. No AccessDenied anywhere, so the IAM change is irrelevant."),
    14: ("front (ALB latency), origin RDS",
         "renewal-worker deployment 100 s before the onset; lock-wait timeouts that suggest contention; "
         "FranceConnect refresh warnings and aborted-connection notes all along",
         "A PHP licence portal on ECS with a MySQL RDS instance. From -1900, with no change to the database, "
         "`WriteLatency` goes from 2 ms to ~200 ms, `ReadLatency` from 1 ms to ~90 ms, `DiskQueueDepth` from 1 "
         "to ~50 while IOPS fall and CPU drops; MySQL logs `InnoDB: page_cleaner: 1000ms intended loop took "
         "13000-26000ms`. The app sees statement timeouts, lock-wait timeouts and PHP-FPM execution timeouts "
         "(504). Connections rise only to ~170 of 1,200 and storage is plenty. The new worker's jobs slow "
         "down with everything else."),
    15: ("front (private API Gateway 5XX), origin Lambda",
         "a code deployment of the same function 20 minutes earlier (healthy afterwards); CreateVpcEndpoint and "
         "PutRolePolicy on the function's role shortly before; Lambda Errors second alarm; scanner noise",
         "A Python note indexer behind a private API. At -3500 its code is deployed and it keeps working for "
         "20 minutes. At -2300 an operator runs `UpdateFunctionConfiguration` while moving search to a new "
         "OpenSearch VPC endpoint; from the next request on, note saves and searches fail with `KeyError: "
         "'SEARCH_INDEX_ALIAS'` (Powertools: `indexing failed: missing setting SEARCH_INDEX_ALIAS`), "
         "~72 % of requests, and API Gateway returns 502. Reading a single note still works."),
    16: ("front (ALB target 5XX), origin RDS",
         "cert-issuer deployment 90 s before the onset; ModifyDBInstance and snapshot on the reporting "
         "replica; CRL fetch warnings all along; DMS StopReplicationTask 5 h earlier",
         "At -20700 the DMS CDC task is stopped; its logical replication slot keeps all WAL from then on. "
         "`OldestReplicationSlotLag` and `TransactionLogsDiskUsage` rise linearly, checkpoints stop removing WAL "
         "files, and `FreeStorageSpace` falls from 41.5 GB to ~0.35 GB at -1760. Then PostgreSQL PANICs with "
         "`could not write to file \"pg_wal/xlogtemp...\": No space left on device`, restarts into recovery every "
         "few minutes, and inserts fail with `could not extend file ... No space left on device`; the .NET "
         "registry returns 500s."),
}

JUDGEMENT = [
    "**h63-01, h63-12 (permission_denied vs config_change).** Both causes are policy edits (a KMS key policy, "
    "a VPC endpoint policy), which are changes but not the environment, parameter or feature-flag kind the "
    "config_change row describes. The errors are explicit `AccessDenied ... not authorized` with the policy "
    "named, and the table's permission_denied row says \"often after an IAM change\". The origin is the "
    "denied workload (`prior-auth-intake`, `records/bulk-exporter`): the key and the endpoint are not resource "
    "types here.",
    "**h63-02 (config_change, resource = the database).** The change is to the DB parameter group, the errors "
    "name the setting (`--require_secure_transport=ON`), and the fix is on either side (revert the parameter "
    "or enable TLS in the app). We label the database, where the changed setting lives; the EC2 instances only "
    "carry the symptom.",
    "**h63-05 (memory_exhaustion, not bad_deployment).** docs-render was deployed 5.5 h before the first "
    "symptom and ran normally for 4.5 h; the memory climb starts with the big bundles, not with a version.",
    "**h63-07 (throttling, not traffic_surge).** Demand rises only ~1.7x, within normal daytime variation "
    "for this kind of service, but the hard reserved-concurrency cap is what turns it into errors: "
    "ConcurrentExecutions sits at exactly 15 and every failure is a 429 throttle. A 6x flood with no other "
    "fault is h63-09.",
    "**h63-09 (traffic_surge, resource = ALB or ECS service).** The surge enters through the ALB and "
    "saturates the service behind it, so both ids are accepted. CPU reaches ~80 %, not pinned, and the cause "
    "is the request volume.",
    "**h63-13 (dependency_failure, resource = the function).** The failing dependency is an external "
    "clearinghouse that is not a resource in the account, so the origin is the function that calls it.",
    "**h63-14 (dependency_failure on the database).** The database is slow (storage latency) but not "
    "exhausted: connections are ~14 % of max, CPU is lower, storage is free, and there is no change. The "
    "lock-wait timeouts are a side effect of slow commits, not contention from the newly deployed worker.",
    "**h63-16 (storage_exhaustion, not config_change).** The DMS task stop 5.3 h earlier is why WAL is "
    "retained, but it is not \"shortly before onset\" and the failure is a full disk on the database.",
]


def render(built: list) -> str:
    out = ["# Holdout set 63: healthcare and public-sector incidents", "",
           "Sixteen incidents in health and government accounts: strict IAM, private APIs and VPC endpoints, KMS "
           "on everything, overnight change windows full of harmless changes, and compliance scanners "
           "(HIPAA, FedRAMP, ITSG-33, ISM/IRAP, DSPT, BSI C5, NIS2, SecNumCloud, PBMM) that log AccessDenied "
           "every few minutes all day. Some incidents are about permissions; most are not.", "",
           "Written independently of the bot. The author read only the scenario format, the four public "
           "examples and the holdout57 helper modules (copied as `common.py`/`runtimes.py`). Each incident was "
           "designed story-first, with labels applying the category table and its tie-break rules to the "
           "evidence as an SRE would. No scenario was run through the bot or `benchmarks.rca`. Generation is "
           "seeded and deterministic: `python -m benchmarks.holdout63_gen`. Metrics cover six hours at one-minute "
           "resolution, logs the last three hours (sampled to a few events a minute per stream), and alarm "
           "states and reasons are computed from the series they watch.", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in built:
        e = sc.expect
        front, decoys, _ = NOTES[sc.num]
        res = ", ".join(f"`{r}`" for r in e["root_cause"]["resource"])
        out.append(f"| {sc.name}.yaml | {sc.region} | `{e['alarm']}` | {e['root_cause']['category']} | {res} | "
                   f"{front} | {decoys} |")
    cats = Counter(sc.expect["root_cause"]["category"] for sc in built)
    types = Counter(r["type"] for sc in built for r in sc.resources)
    missing = [c for c in ALL_CATEGORIES if c not in cats]
    out += ["", "## Coverage", "",
            "Categories: " + ", ".join(f"{c} ×{cats[c]}" for c in ALL_CATEGORIES if c in cats) +
            (f". Not covered: {', '.join(missing)}." if missing else "."), "",
            "Resource types present: " + ", ".join(f"{t} ({n})" for t, n in sorted(types.items())) +
            ". Origins: " + ", ".join(sorted({_origin_type(sc) for sc in built})) + ".", "",
            "Regions: " + ", ".join(sorted({sc.region for sc in built})) + ".", "",
            "Runtimes and log styles: Python (Lambda tab format, Powertools JSON, gunicorn access/error logs), "
            "Node (Lambda, pino JSON), Java (Lambda, Spring Boot), Go (logfmt on EC2, zap JSON on ECS), .NET "
            "(Lambda, Serilog), Ruby (Lambda, Rails/Sidekiq), PHP (Laravel, php-fpm, nginx access logs); also "
            "PostgreSQL and MySQL error logs, API Gateway execution logs, ECS task-state events.", "",
            "The alarm fires on a front resource (ALB or API Gateway) in 13 of 16 scenarios; the origin is a "
            "database in 4, an instance in 2, a function in 3, an ECS service in 3, and the ALB plus its service in 1.", "",
            "## Judgement notes", ""]
    out += [f"- {j}" for j in JUDGEMENT]
    out += ["", "## Scenarios", ""]
    for sc in built:
        out += [f"**{sc.name}** ({sc.expect['root_cause']['category']}). {NOTES[sc.num][2]}", ""]
    return "\n".join(out)


def _origin_type(sc) -> str:
    first = sc.expect["root_cause"]["resource"][0]
    for r in sc.resources:
        if r["id"] == first:
            return r["type"]
    return "?"
