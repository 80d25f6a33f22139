"""README for scenarios_holdout50: summary table and one paragraph per scenario."""

NOTES = {
    1: ("front (ALB)", "earlier routine CodeDeploy of the same app 5.5 h before with no effect; SSM AWS-RunPatchBaseline on reporting-01 (+ its CPU alarm, now OK); steady RecommendationClient timeout WARNs",
        "An in-place CodeDeploy (OneAtATime, ALB BlockTraffic/AllowTraffic) rolls orders-web 2026.11.18-1402 onto the four Tomcat/Spring Boot instances. "
        "As each instance comes back, POST /api/v1/checkout/quote and POST /api/v1/orders fail with a brand-new `java.lang.NoSuchMethodError` on "
        "`TaxTable.rateFor(String, LocalDate)` (a library version clash shipped in the build), and target 5xx grows in four steps that line up with the "
        "codedeploy-agent AllowTraffic times. CPU, memory, RDS and latency are normal; the recommendations timeouts are at the same rate all day; the previous "
        "deployment earlier in the window changed nothing. A new error signature starting exactly with a code deployment makes it bad_deployment on the orders-web fleet."),
    2: ("front (ALB)", "CodeDeploy to the same fleet 4 h earlier (all three instances, no error change); steady MySQL 'Aborted connection' notes and PHP deprecation warnings; RDS CPU alarm OK",
        "Only shop-web-1b (the Laravel scheduler leader) runs sitemap:generate every 10 minutes; its cleanup of the previous build fails, so the /data volume "
        "(where storage/ lives) grows ~1.85 % per run until it hits 100 %. From then on about a third of 1b's requests (sessions, cache, compiled views) fail with "
        "`file_put_contents(): Write of N bytes failed with errno=28 No space left on device`; the ALB health check is a static nginx location, so 1b stays in service. "
        "The other two instances' /data sits at ~22 % and they serve no errors. The deployment 4 h earlier went to all three instances with no change in errors. "
        "Storage exhaustion on one instance, shop-web-1b."),
    3: ("origin (instance memory)", "PutParameter on another app's parameter (/reporting/prod/export/max-rows) 15 min before the first OOMs, after the memory alarm had already fired; Defender full-scan CPU spike on portal-web-c (its CPU alarm fired and cleared); steady ViewState 4009 warnings",
        "On portal-web-b the ReportExportCache grows all afternoon (sticky sessions pin a heavy-export tenant to it); committed memory climbs from ~51 % to 97 %, "
        "the paging file fills, Resource-Exhaustion-Detector 2004 events name w3wp.exe, and finally exports and some pages throw "
        "`System.OutOfMemoryException` (PortalAppPool has no private-memory recycle limit). portal-web-a/c stay at ~54 %. The parameter change belongs to the "
        "reporting worker (its own log shows it reloading the value) and the leak started hours before it. The alarm is on the origin: memory_exhaustion on portal-web-b."),
    4: ("front (ALB)", "CodeDeploy to bookings-web 1 h before the connection climb; steady PHP deprecation warnings; 'Aborted connection' notes; the DB connections alarm is consistent evidence, not a decoy",
        "A partner import leaves ~39k reminders due; `app:reminders:send --workers=8` runs every minute from cron on bookings-batch-01 without a lock, and each run now "
        "takes far longer than a minute, so runs pile up (the batch log says 'N previous run(s) still active ... starting anyway'), each worker holding a MySQL connection. "
        "DatabaseConnections rises linearly from ~70 to the parameter-group limit of 450; from then on the web fleet and the batch job get "
        "`SQLSTATE[HY000] [1040] Too many connections`. RDS CPU, latency and memory stay moderate. The deployment is an hour earlier and produced no errors. "
        "db_connection_exhaustion on bookings-mysql (the batch host is the client that filled it)."),
    5: ("front (target group)", "ModifyDBInstance on catalog-pg (backup window) 30 min before the launch-template change; steady Solr slow-query WARNs on the old instances; RDS read-latency alarm OK",
        "Packer publishes launch-template catalog-web-lt v18 with a new golden AMI whose Tomcat is 10.1 (jakarta.*); an instance refresh (MinHealthy 50 %) terminates "
        "two old Tomcat 9 instances and launches v18 instances. On every new instance catalina.out shows `NoClassDefFoundError: javax/servlet/ServletContextListener` "
        "and 'Context [/catalog] startup failed', /catalog/health returns 404, the target group keeps them unhealthy and the ASG replaces them with more v18 instances "
        "that fail the same way. Only two old instances serve traffic (CPU and latency up). A new image (AMI) rollout that breaks the app is a bad_deployment; "
        "the origin is the ASG / launch template and its new instances, not the old instances that are merely busier."),
    6: ("front (ALB)", "CodeDeploy of ledger-worker (another app and instance) 9 min before; steady 'Webhook delivery ... 410 Gone' ERRORs; ledger-worker CPU alarm OK",
        "m.kowalski changes Parameter Store `/payments/prod/gateway/connect-timeout-ms` to `2500ms`; within a minute each payments-api instance's poller logs "
        "'Refresh keys changed: [payments.gateway.connect-timeout-ms]' and every request that needs the gateway client (charges, captures, refunds) fails with "
        "`BindException: Failed to bind properties under 'payments.gateway.connect-timeout-ms' to int` / `NumberFormatException: For input string: \"2500ms\"`. "
        "Reads keep working. The ledger deployment touched another instance whose logs are clean. A configuration change with errors naming the invalid setting: "
        "config_change on the payments-api fleet (the parameter name is also accepted)."),
    7: ("origin (RDS storage)", "CodeDeploy of inventory-web 25 min before the first write errors; steady serialization-failure (40001) WARN/ERRORs with retries; autovacuum CPU bump on the DB 2.5 h earlier",
        "The DMS CDC task that consumed logical slot data was stopped the day before; its replication slot keeps every WAL segment, so TransactionLogsDiskUsage and "
        "OldestReplicationSlotLag grow at the WAL generation rate while FreeStorageSpace falls from 39 GiB to ~0 (storage autoscaling off). The alarm fires below 5 GiB; "
        "once storage is gone PostgreSQL logs `could not extend file ...: No space left on device` and writes from the Tomcat fleet fail with SQLState 53100. "
        "The application deployment happened while free space was already falling and reads are unaffected. storage_exhaustion on inventory-pg."),
    8: ("front (ALB)", "SSM AWS-RunPatchBaseline Operation=Scan on all four instances 22 min before (brief CPU blip on all, no install, no reboot); steady FX-feed-stale WARNs; RDS CPU alarm OK",
        "A scheduled RateTableCache refresh on quotes-web-03 races with request threads on a non-thread-safe HashMap and corrupts it; request threads then spin in "
        "`HashMap$TreeNode.find` (StuckThreadDetectionValve warnings with that stack, stuck-thread count rising, busy threads 200/200). quotes-web-03 sits at 96-100 % CPU "
        "with normal heap and GC, its requests take 4-60 s or hit the ALB's 60 s idle timeout (ELB 5xx), and the fleet-average TargetResponseTime alarms. "
        "The other three instances are normal; the patch scan touched all four equally and ended long before. cpu_saturation on quotes-web-03."),
    9: ("origin (the ALB receiving the surge)", "CodeDeploy to tickets-web 3.5 h earlier; tickets-reports-01 CPU alarm in ALARM from a long settlement export; steady PHP warnings; ASG scale-out RunInstances are the response, not a cause",
        "At 15:00 UTC the world-tour on-sale opens after a newsletter: RequestCount jumps from ~1.7k to ~7.7k/min within three minutes, mostly to the event pages and "
        "the queue-status endpoint with newsletter/utm referers. The four instances go to ~99 % CPU, php-fpm hits max_children, nginx returns 502/504 and "
        "TargetResponseTime reaches 7 s; target tracking scales the ASG to its maximum of 8, which eases but does not clear it. No deployment, config change or "
        "dependency fault precedes it; the database is busier but far from its limits. CPU saturation here is the consequence of the surge: traffic_surge on "
        "tickets-alb (the ASG name is also accepted)."),
    10: ("front (ALB)", "CodeDeploy of news-web 24 min before the Redis failure (all four instances restart cleanly); steady RSS importer 503 WARNs; the Redis status-check alarm is the origin's own evidence",
         "news-redis-01, a self-managed Redis on a standalone r6g.large, fails its system status check (underlying host), then its instance check: CPU and network fall "
         "to nothing, the CloudWatch agent and Redis logs stop. Every signed-in request on the Spring Boot fleet needs the Redis-backed session, so ~46 % of traffic fails after "
         "a 2 s `RedisCommandTimeoutException` / `RedisConnectionFailureException`, and Lettuce's ConnectionWatchdog keeps failing to reconnect. The web fleet itself is "
         "healthy and the deployment finished cleanly 24 min before. dependency_failure on news-redis-01."),
    11: ("front (ALB)", "SSM AWS-ConfigureAWSPackage (CloudWatch agent upgrade) on the same fleet 9 min before (1-min metric gap, success); steady Imagick ICC warnings; RDS CPU alarm OK",
         "terraform-ci rewrites the inline policy on the fleet's instance role media-web-ec2-role (PutRolePolicy). Seconds later every S3 call from the media fleet "
         "(uploads = PutObject, thumbnail reads = GetObject on media-uploads-prod-apne1) fails with `403 Forbidden ... <Code>AccessDenied</Code>` wrapped in "
         "League\\Flysystem exceptions; everything not touching S3 is fine. The agent upgrade completed successfully before and did not touch the app. "
         "permission_denied on the media-web fleet (the role name is also accepted)."),
    12: ("front (ALB)", "UpdateAutoScalingGroup on forum-worker-asg by the same engineer 13 min earlier; steady PostgreSQL slow-statement logs and PHP deprecations",
         "d.okafor runs an AWS-RunShellScript Run Command on the three forum-web instances for 'OPS-2291 php-fpm pool tuning'; its stdout (in /aws/ssm/AWS-RunShellScript) "
         "shows `pm.max_children = 4` and a php-fpm reload, and the fpm-status exporter goes from max_children=40 to 4 with a full listen queue. php-fpm warns "
         "'server reached max_children setting (4)', nginx returns 502 (EAGAIN on the socket) and 504, latency climbs while CPU and memory drop. Traffic is normal and "
         "the database is unchanged. A settings change shortly before onset: config_change on the forum-web fleet."),
    13: ("front (ALB)", "PutParameter on /claims/prod/ui/support-phone 2.5 h before (no effect); Windows Update via SSM with a reboot on claims-batch-01 1.5 h before; steady 'potentially dangerous Request.Path' 3005 events",
         "From 09:32 the partner NorthStar's connector (user agent NorthStarClaimsConnector/3.1, previously 3.0) starts pushing claims whose policy holder has no address; "
         "ClaimIntakeService.NormalizeAddress throws `System.NullReferenceException` for ~2/3 of them, on all three IIS instances alike. Nothing changed in the account "
         "around the onset, no resource is saturated and no dependency errors appear. An unhandled exception with no preceding change on our side: application_error "
         "on the claims-web fleet."),
    14: ("front (ALB)", "pricing-export Lambda code update 2 min before the scale-out (its runs stay clean); steady FX fallback WARNs; Lambda errors alarm OK",
         "The weekend-promo scheduled action scales pricing-api-asg from 4 to 12. Each instance reads feature flags from Parameter Store with a 5 s per-key cache "
         "(~8 GetParameter/s per instance), so the fleet's demand jumps from ~33 to ~98 TPS, above the 40 TPS standard-throughput limit: AWS/Usage CallCount for "
         "SSM GetParameter rises, the SDK logs 'Rate exceeded (Service: Ssm, Status Code: 400)' retries, and requests whose flag is not cached get 503. Traffic is only "
         "~15 % higher. throttling on the pricing-api fleet."),
    15: ("origin (RDS CPU)", "CodeDeploy to crm-web 70 min before the export started; PutParameter of the SMTP from-address 90 min before it; steady SES suppression WARNs; the ALB latency alarm is a consequence",
         "On the 1st of the month the scheduler on crm-batch-01 starts `crm:monthly-activity-export --parallel=8`; eight full-scan joins (DATE_FORMAT on created_at, "
         "~48M rows examined each) pin crm-mysql (2 vCPU) at 99 % CPU with ReadIOPS x12. Ordinary web queries slow down to seconds and some hit "
         "max_execution_time (error 3024); connections stay far below the limit. cpu_saturation on crm-mysql."),
    16: ("front (ALB)", "SSM AWS-RunPatchBaseline on invoicing-batch-01 1 h before the reroute; steady stale-FX-feed WARNs on blue and green; blue instances going idle after reroute is expected",
         "A CodeDeploy blue/green deployment of invoicing 4.13.0 creates the green ASG CodeDeploy_invoicing-prod_d-4HX9Q2ZLA; after k.tan continues the deployment the "
         "ALB target group moves to the green instances. On green, every PDF render/send throws `System.IO.FileLoadException: Could not load file or assembly "
         "'Newtonsoft.Json, Version=13.0.0.0' ... (0x80131040)` (binding redirect mismatch in the new build); the blue fleet never logged it. bad_deployment on the "
         "green fleet / deployment group."),
}


def render(built):
    out = ["# Held-out scenario set 50: classic EC2 estates behind ALBs", "",
           "Generated by `python -m benchmarks.holdout50_gen` (seeded, deterministic). Each file follows `aiops-scenario/v1`; "
           "6 h of 1-minute metrics, 3 h of logs in the applications' real formats, CloudTrail-style changes and alarms whose "
           "state_reason is computed from the series. Labels follow the category table and tie-breaks of the scenario format.", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for s in built:
        on, decoys, _ = NOTES[s.num]
        rc = s.expect["root_cause"]
        res = ", ".join("`%s`" % r for r in rc["resource"])
        out.append("| %s.yaml | %s | %s | %s | %s | %s | %s |" % (s.slug, s.region, s.expect["alarm"], rc["category"], res, on, decoys))
    out.append("")
    for s in built:
        out += ["## %s" % s.slug, "", NOTES[s.num][2], ""]
    return "\n".join(out)
