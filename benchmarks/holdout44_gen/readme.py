"""README for scenarios_holdout44: table + one paragraph per scenario (facts pulled from the built files)."""
from __future__ import annotations

NOTES = {
    "h44-01-storefront-sg-ingress-revoked": (
        "front (ALB)",
        "newsletter-signup Lambda deploy 6 min before; storefront-web deploy 2.5 h earlier; paired AuthorizeSecurityGroupIngress "
        "(added the 9404 scrape rule); steady FX-rate WARN; unhealthy-hosts alarm",
        "A network admin tidied the storefront task security group: the 9404 Prometheus rule was added and, ten seconds later, "
        "the rule allowing the ALB security group on 8080 was revoked. New connections from the ALB nodes are dropped (VPC flow "
        "logs flip from ACCEPT to REJECT on 8080 while 9404 stays ACCEPT), health checks fail, ECS keeps replacing tasks that boot "
        "cleanly and are then stopped for 'failed ELB health checks', and the ALB answers 504 (TargetConnectionErrorCount). The app "
        "itself is healthy (no exceptions, DB cache refresh works, requests simply stop arriving). The revoke is a configuration "
        "change shortly before onset, so config_change; the origin is the task security group (accepted as the sg id/name or "
        "the ECS service it belongs to). The ALB that fired is only the front door."),
    "h44-02-payments-dns-points-at-replica": (
        "victim (Lambda)",
        "Lambda config change on payments-reporting 21 min before; ModifyDBInstance on the replica 3.5 h before; steady card-declined "
        "WARNs; replica-lag alarm (OK)",
        "A ChangeResourceRecordSets on the private zone prod.internal repointed payments-db.prod.internal from the primary's "
        "endpoint to payments-db-replica-1's endpoint (the Route 53 Resolver query log shows the CNAME/A answer changing at that "
        "minute). As Lambda environments reconnect they land on the read replica and every write fails with ReadOnlySqlTransaction "
        "('cannot execute INSERT/UPDATE in a read-only transaction', echoed in the replica's PostgreSQL log); primary connections "
        "and write IOPS fall while replica connections rise. Nothing is wrong with either database: the DNS record change is the "
        "trigger, so config_change with the hosted zone / record as the origin."),
    "h44-03-public-api-listener-cert-swapped": (
        "origin (ALB)",
        "payments-core ECS deploy 12 min before (the ALB's own backend); Route 53 change on another zone; steady revoked-API-key "
        "WARNs; settlement-notifier errors alarm",
        "An infra pipeline ran ModifyListener on the public API ALB's HTTPS listener and attached the *.stg.koalapay.io certificate "
        "(the api.koalapay.io certificate is now 'in use by' nothing). Clients that verify hostnames fail the handshake: "
        "ClientTLSNegotiationErrorCount jumps, RequestCount collapses, the internal settlement-notifier fails with "
        "ERR_TLS_CERT_ALTNAME_INVALID. Targets are healthy and the backend's 5XX rate is unchanged, which rules out the payments-core "
        "deploy. Listener change shortly before onset -> config_change, origin the ALB (name, app/... id or listener ARN)."),
    "h44-04-orders-api-invoke-permission-removed": (
        "front (API Gateway)",
        "UpdateUsagePlan on catalog-api's plan 10 min before; orders-handler code deploy 4.4 h before; steady inventory-sync "
        "ReadTimeouts to a 3PL; steady 403 INVALID_API_KEY",
        "A permission-cleanup automation called RemovePermission on orders-handler, deleting the resource-policy statement that let "
        "API Gateway invoke it (the function's resource policy now only lists the EventBridge rule). Every POST /orders fails in "
        "API Gateway with 'Execution failed due to configuration error: Invalid permissions on Lambda function' and a 500, and "
        "orders-handler invocations drop to the 5-minute EventBridge reconcile only, which still succeeds. The message is an "
        "authorization failure following an access-policy change -> permission_denied; the policy lives on orders-handler."),
    "h44-05-catalog-alb-latency-row-locks": (
        "front (ALB)",
        "AuthorizeSecurityGroupIngress (additive rule) on the DB security group 14 min before; catalog-api deploy 4 h before; hourly "
        "sitemap-builder spike; steady CDN purge WARNs and slow search-query log lines",
        "A DBA session from the bastion ran an UPDATE over all warehouse-3 inventory rows and left the transaction open "
        "(idle_in_transaction_session_timeout=0). Reservation UPDATEs on those rows wait on the lock ('still waiting for ShareLock', "
        "'Process holding the lock: 27102') and are cancelled by the 5 s statement timeout; catalog-api returns 500s and ALB target "
        "latency jumps. The database is not exhausted (connections ~170 of 5000, CPU and I/O flat) - it is the dependency that "
        "stops answering in time, so dependency_failure on catalog-db. An added ingress rule cannot slow anything down."),
    "h44-06-quotes-web-cpu-rake-job": (
        "origin (EC2)",
        "ReplaceNetworkAclEntry on the NACL of both web subnets 1 min before onset (threat blocklist); DB parameter group change "
        "2 h before; ALB latency alarm",
        "A cron entry on quotes-web-1 started a full 'rake quotes:rebuild_rate_cache' (12 threads) on the web host. CPU goes from "
        "~28 % to ~98 %, Rails requests on that host take seconds with ActiveRecord time unchanged (~30 ms) and some hit "
        "Rack::Timeout, while quotes-web-2 in the same VPC/NACL stays at ~27 % CPU and 150 ms. The NACL edit cannot explain a "
        "single-host CPU pin. cpu_saturation on quotes-web-1."),
    "h44-07-mobile-bff-heap-oom": (
        "origin (ECS)",
        "WAF web ACL update on the same ALB during the incident; Route 53 change; push-dispatcher deploy; steady 'recommendations "
        "503, serving fallback' WARNs; ALB 502 alarm",
        "No deploy for two days; a new mobile app version sends large device contexts that mobile-bff caches per session in an "
        "unbounded in-process map. Task memory (and session_ctx_entries in the process stats) climbs until V8 aborts with "
        "'Reached heap limit Allocation failed - JavaScript heap out of memory' (exit 134); replacements climb again, giving a "
        "sawtooth and bursts of ALB 502s each time a task dies. memory_exhaustion on the mobile-bff service; WAF blocks would be "
        "403s, not 502s."),
    "h44-08-payouts-egress-proxy-disk-full": (
        "victim (Lambda)",
        "ReplaceRoute on another route table 11 min before; ledger-writer deploy during the incident; steady squid DNS-failure "
        "errors and provider 422 WARNs; NAT gateway metrics (healthy, just quieter)",
        "Outbound HTTPS from the payments Lambdas goes through a Squid proxy on egress-proxy-1 (HTTPS_PROXY). Its dedicated "
        "/var/log/squid volume has been filling for hours and reaches 100 %; Squid fails with 'No space left on device' / 'Write "
        "failure -- check your disk space', systemd gives up restarting it, and callers get ProxyError ... [Errno 111] Connection "
        "refused. It looks like a NAT/egress network failure but the NAT gateway shows no errors. storage_exhaustion on the proxy "
        "instance."),
    "h44-09-members-api-mysql-connections": (
        "front (API Gateway)",
        "ReplaceNetworkAclEntry on a NACL of another VPC 8 min before; members-search deploy 4 h before; steady MySQL "
        "'could not be resolved' warnings and 'Aborted connection' notes",
        "Every Lambda execution environment keeps its own MySQL connection and wait_timeout is 8 h, so idle connections from "
        "recycled environments pile up. DatabaseConnections climbs all afternoon to the max_connections of 300 and stays there; new "
        "environments of members-profile, members-search and points-sync fail with (1040, 'Too many connections') and the API "
        "returns 502. CPU and latency of the DB are normal and traffic is ordinary. db_connection_exhaustion on members-db."),
    "h44-10-checkout-go-panic-502": (
        "front (ALB)",
        "AuthorizeSecurityGroupIngress on the ALB security group 12 min before; Route 53 change 1 h before; cart-svc deploy; "
        "steady 'payment authorization declined' errors",
        "checkout-svc v2.31.0 (task definition :89) rolled out; as new tasks take traffic a new signature appears only on them: "
        "'http: panic serving ...: runtime error: invalid memory address or nil pointer dereference' in promo.(*Engine).Apply. "
        "net/http recovers the panic by closing the connection, which the ALB reports as ELB 502s (target 5XX stays flat). "
        "Deployment shortly before onset with a new error signature -> bad_deployment of checkout-svc."),
    "h44-11-statement-renderer-timeouts": (
        "origin (Lambda)",
        "ModifyVpcEndpoint on a DynamoDB endpoint 8 min after onset; statement-mailer deploy 5 min before; hourly "
        "card-events-consumer spike; constant font-substitution WARN",
        "The quarterly business-statement batch starts flowing in: those statements have thousands of transactions and 100-300 "
        "pages, so render time grows past the 30 s function timeout ('Task timed out after 30.0x seconds', REPORT Status: timeout). "
        "The ledger fetch and S3 upload stay fast, memory is far from the limit and there are no dependency errors. "
        "function_timeout on statement-pdf-renderer."),
    "h44-12-search-crawler-surge": (
        "front/origin (ALB, entry point of the surge)",
        "ModifyTargetGroupAttributes (deregistration delay) 7 min before; search-indexer deploy; autoscaling UpdateService "
        "events after onset; steady slow-facet WARNs",
        "An aggressive crawler (Bytespider UA from four 47.128.x.x addresses, visible in the per-task top-talkers log) raises "
        "search-alb requests from ~2 k to ~14 k per minute. Tasks queue (uvicorn limit-concurrency 503s), latency goes to seconds "
        "and autoscaling doubles the service; CPU rises but is not pinned and nothing else is broken. traffic_surge; the surge "
        "enters at search-alb and lands on search-web, both accepted."),
    "h44-13-billing-authorizer-aud-array": (
        "front (API Gateway)",
        "CreateDeployment on another API (invoices-admin-api) 3 min before; billing-core config change 2.5 h before; steady 401 "
        "'Unauthorized' (expired tokens, which also count as authorizer Errors); hourly billing-reconciler",
        "With no change in the account (authorizer last modified 9 days ago), the identity provider started issuing tokens whose "
        "'aud' claim is an array for the new mobile login flow. The TOKEN authorizer calls claims.aud.startsWith and throws "
        "TypeError: claims.aud.startsWith is not a function; API Gateway logs 'Authorizer error' / AUTHORIZER_CONFIGURATION_ERROR "
        "and returns 500 for a growing share of requests. Unhandled exception, no preceding change, no resource fault -> "
        "application_error in billing-jwt-authorizer (the 'configuration error' wording is API Gateway's generic text)."),
    "h44-14-invoice-archiver-endpoint-policy": (
        "victim (Lambda)",
        "PutRolePolicy on ledger-export-role 5 min before (that function keeps working); invoice-archiver deploy 2 h before; "
        "steady duplicate-invoice WARNs",
        "A guardrails pipeline ran ModifyVpcEndpoint on the finance VPC's S3 gateway endpoint and replaced its policy with a "
        "bucket allow-list that omits acme-fin-invoices-prod. The function has no internet path, so every PutObject goes through "
        "the endpoint and fails with AccessDenied '... because no VPC endpoint policy allows the s3:PutObject action'; the "
        "function's own role still allows it and ledger-export (allowed bucket) is fine. permission_denied, origin the VPC "
        "endpoint (id or name)."),
    "h44-15-partner-api-usage-plan-throttle": (
        "origin (API Gateway)",
        "UpdateUsagePlan on another API's plan 7 min before; partner-webhooks deploy; steady 403 INVALID_API_KEY from one "
        "misconfigured caller; backend WARNs about unknown carrier codes",
        "The nordfreight partner started sending its tracking updates in bursts at the top of each minute. The partner-standard "
        "usage plan (5 rps, burst 10 per key) rejects the excess with 429 'Too Many Requests' (errorResponseType THROTTLED, "
        "all on nordfreight's key); their retries raise Count by about half, the backend is idle and healthy. Rate limit "
        "reached without any change on our side -> throttling on partner-api (usage plan accepted too)."),
    "h44-16-quote-builder-cross-region-pricing-db": (
        "victim (Lambda in another region)",
        "AuthorizeSecurityGroupEgress on quote-builder's own security group 5 min before (additive); quote-pdf config change; "
        "steady address-verification WARNs; MySQL 'could not be resolved' warnings",
        "quote-builder in us-west-2 calls pricing-api in us-east-1 (custom domain). From onset pricing-db's io1 volume stalls: "
        "Read/WriteLatency go from ~1-2 ms to 200-400 ms, DiskQueueDepth to ~60, IOPS collapse far below the 12 000 provisioned, "
        "CPU drops; InnoDB reports 'Page cleaner took ...ms' and the slow log shows single-row primary-key reads taking seconds "
        "with Lock_time ~0. pricing-engine fails with (2013, 'Lost connection to MySQL server during query (timed out)') and "
        "quote-builder with ReadTimeout. Storage space, connections (~600/2000) and CPU are not exhausted: dependency_failure "
        "on pricing-db, seen from another region."),
}

UNCLEAR = """## Format points that were unclear (and what this set assumed)

- `changes[]` has no request parameters (CloudTrail's `requestParameters`), so *what* a security-group, listener, record or
  endpoint change did is shown through resource `properties` (current console state: rules, certificates, endpoint policy,
  resource policy) and through logs (VPC flow logs, Route 53 Resolver query logs, API Gateway execution logs).
- When the origin is a network object that is not one of the six resource types (security group, Route 53 record/hosted
  zone, VPC endpoint), `expect.root_cause.resource` lists that object's ids as they appear in `changes[].resource_name` and in
  properties, plus the owning resource only where the object belongs to a single resource (the ECS service's task SG).
- For a traffic surge the "origin" is ambiguous between the entry point and the service that absorbs it; both are accepted.
- Alarms on metrics that flap (h44-07) carry the state and `state_changed` an alarm replay would give at load time.
- ELB-generated codes (`HTTPCode_ELB_5XX/502/503/504_Count`) are published per load balancer only, target-group metrics carry
  both `TargetGroup` and `LoadBalancer` dimensions, as in CloudWatch.
"""


def write_readme(path: str, docs: list[dict]):
    lines = ["# Held-out scenario set 44 - \"the network and the edges\"", "",
             "Generated by `python -m benchmarks.holdout44_gen` (seeded, deterministic). Each scenario's labels are what a "
             "senior SRE concludes from all of its evidence, following the category table and tie-breaks of "
             "`/work/shared/scenario-format.md`.", "",
             "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
             "|---|---|---|---|---|---|---|"]
    for d in docs:
        pos, decoys, _ = NOTES[d["name"]]
        ex = d["expect"]
        res = ", ".join(f"`{r}`" for r in ex["root_cause"]["resource"])
        lines.append(f"| `{d['name']}.yaml` | {d['region']} | `{ex['alarm']}` | {ex['root_cause']['category']} | {res} | "
                     f"{pos} | {decoys} |")
    lines += ["", "## Scenarios", ""]
    for d in docs:
        lines += [f"### {d['name']}", "", NOTES[d["name"]][2], ""]
    lines += [UNCLEAR]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
