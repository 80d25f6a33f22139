"""S05 shared Postgres out of connection slots; S06 provisioner denied by a tightened IAM policy."""
from . import fmt, packs
from .common import TENANTS, clock, expect, meta, pick
from .core import Scenario, ramp, step, window, diurnal
from .lam import Inv, LambdaFn


# ============================================================== S05
def s05():
    S = Scenario(5, "core-pg-connection-slots", "ap-southeast-2",
                 "Billing webhooks failing; billing-webhook-handler Errors alarm paged.",
                 clock(2026, 11, 19, 2, 50))
    rng = S.rng
    DB = "saas-core-pg"
    ON = -2380
    SCALE = [(-3020, 10), (-2720, 15), (-2420, 20), (-2120, 25)]
    S.res("rds", DB, engine="postgres", engine_version="15.4", instance_class="db.r6g.2xlarge",
          max_connections=500, parameter_group="saas-core-pg15", allocated_storage_gb=2000, multi_az=True)
    S.res("ecs", "jobs-prod/tenant-sync-worker", cluster="jobs-prod", service="tenant-sync-worker",
          launch_type="FARGATE", desired_count=5, autoscaling="step scaling on tenant-sync-jobs backlog, 5-25 tasks",
          db_pool="HikariCP maximumPoolSize=20", log_groups=["/ecs/jobs-prod/tenant-sync-worker"])
    S.res("lambda", "billing-webhook-handler", runtime="ruby3.3", timeout=30, memory_size=256,
          trigger="apigateway:billing-webhooks-api")
    S.res("apigateway", "billing-webhooks-api", stage="prod", integration="lambda:billing-webhook-handler")
    S.res("lambda", "tenant-onboarding", runtime="python3.12", timeout=120, memory_size=512)
    S.res("rds", "analytics-replica", engine="postgres", engine_version="15.4", instance_class="db.r6g.large",
          max_connections=400, parameter_group="analytics-pg15")

    def ntasks(t):
        n = 5
        for st, k in SCALE:
            if t >= st + 40:
                n = k
        return n
    conns = lambda t: min(497.0, 100 + 20 * ntasks(t) * rng.uniform(0.93, 1.0) + rng.gauss(0, 3))
    packs.rds(S, DB, cpu=lambda t: 34 * diurnal(t) + 24 * ramp(t, -3300, -2400),
              conns=conns, conn_noise=0.0, free_gb=lambda t: 1210.0 - 0.02 * (t + 21600) / 3600,
              freeable_gb=lambda t: 21.0 - 3.5 * ramp(t, -3300, -2400),
              read_iops=lambda t: 1800 + 2200 * ramp(t, -3300, -2400), write_iops=lambda t: 900 + 2600 * ramp(t, -3300, -2400))
    packs.rds(S, "analytics-replica", cpu=lambda t: 18.0, conns=lambda t: 40.0, free_gb=lambda t: 402.0)
    packs.ecs(S, "jobs-prod", "tenant-sync-worker", cpu=lambda t: 25 + 30 * step(t, -3300), mem=lambda t: 52.0,
              running=lambda t: ntasks(t))
    packs.sqs(S, "tenant-sync-jobs", visible=lambda t: 15 + 52000 * ramp(t, -3300, -3100) * (1 - 0.35 * ramp(t, -2700, 0)),
              age=lambda t: 20 + max(0.0, t + 3300) * step(t, -3300) * 0.8,
              sent=lambda t: 12 + 52000 * window(t, -3300, -3180) / 2.0)
    packs.apigw(S, "billing-webhooks-api", count=lambda t: 14 * diurnal(t),
                e4=lambda t: 0.7, e5=lambda t: 0.02 + 10.6 * step(t, ON), latency=lambda t: 420 + 200 * step(t, ON))

    hook = LambdaFn(S, "billing-webhook-handler", "ruby3.3", 256, 30, log_from=-7200)
    kinds = ["invoice.paid", "invoice.payment_failed", "customer.subscription.updated", "charge.refunded"]

    def webhook(t):
        ev = "evt_%s" % S.hexid(24)
        tenant = pick(S, TENANTS)
        if rng.random() < 0.05:
            return Inv("ok", rng.uniform(30, 60), 71, [(
                "ERROR", "Stripe::SignatureVerificationError: No signatures found matching the expected signature for "
                         "payload (tenant endpoint %s) -> 400" % tenant)])
        if t >= ON and rng.random() < 0.8:
            return Inv("error", rng.uniform(60, 140), 74, [("INFO", "received %s %s tenant=%s" % (pick(S, kinds), ev, tenant))],
                       ("PG::ConnectionBad", 'connection to server at "saas-core-pg.cr8x1vq2lmtk.ap-southeast-2.rds.amazonaws.com" '
                        '(10.20.3.14), port 5432 failed: FATAL:  remaining connection slots are reserved for '
                        'non-replication superuser connections',
                        ["/var/task/vendor/bundle/ruby/3.3.0/gems/pg-1.5.6/lib/pg/connection.rb:701:in `async_connect_or_reset'",
                         "/var/task/vendor/bundle/ruby/3.3.0/gems/pg-1.5.6/lib/pg/connection.rb:825:in `new'",
                         "/var/task/lib/ledger.rb:14:in `connection'",
                         "/var/task/handler.rb:31:in `handle'"]))
        return Inv("ok", rng.uniform(280, 520), rng.randint(72, 80),
                   [("INFO", "received %s %s tenant=%s" % (pick(S, kinds), ev, tenant)),
                    ("INFO", "ledger entry written for %s" % ev)])
    hook.run(lambda t: 14 * diurnal(t), webhook)

    onb = LambdaFn(S, "tenant-onboarding", "python3.12", 512, 120, log_from=-7200,
                   versions=[(-21600, "27"), (-14380, "28")])
    onb.run(lambda t: 0.3, lambda t: Inv("ok", rng.uniform(2000, 4000), 140,
                                         [("INFO", "onboarding checklist sent to tenant %s" % pick(S, TENANTS))]))

    # tenant-sync-worker task logs (one stream per task, new streams at each scale-out)
    starts = [-30000] * 5 + [st + 35 for st, k in SCALE for _ in range(5)]
    ev_all = []
    for i, t0 in enumerate(starts):
        tid = S.hexid(32)
        ev = []
        if t0 > -7200:
            ev.append((t0, fmt.spring(S, t0, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting...", app="tenant-sync-worker")))
            if t0 < ON:
                ev.append((t0 + 0.4, fmt.spring(S, t0 + 0.4, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed.", app="tenant-sync-worker")))
        lo = max(t0 + 1, -7200)

        def work(tt):
            tenant = "t_0203" if tt >= -3300 and rng.random() < 0.95 else pick(S, TENANTS)
            return fmt.spring(S, tt, "INFO", "sqs-listener-%d" % rng.randint(1, 8), "c.n.sync.CatalogSyncJob",
                              "processed batch %d for tenant %s: %d SKUs upserted in %d ms" % (
                                  rng.randint(1000, 9999), tenant, rng.randint(200, 500), rng.randint(300, 1400)),
                              app="tenant-sync-worker")

        def fail(tt):
            th = "sqs-listener-%d" % rng.randint(1, 8)
            if rng.random() < 0.5:
                return fmt.spring(S, tt, "WARN", th, "com.zaxxer.hikari.pool.HikariPool",
                                  "HikariPool-1 - Connection is not available, request timed out after 30000ms "
                                  "(total=%d, active=%d, idle=0, waiting=%d)" % (
                                      rng.randint(2, 9), rng.randint(2, 9), rng.randint(3, 14)), app="tenant-sync-worker")
            return fmt.spring(S, tt, "ERROR", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                              "FATAL: sorry, too many clients already", app="tenant-sync-worker")
        ev += fmt.spread(S, lo, 0, lambda t: (1.0 + 3.0 * step(t, -3300)), work)
        if i >= 15:
            ev += fmt.spread(S, max(lo, ON), 0, lambda t: 2.5, fail)
        ev_all.append((tid, ev))
    for tid, ev in ev_all:
        S.log("/ecs/jobs-prod/tenant-sync-worker", "ecs/tenant-sync-worker/" + tid, ev)

    pgl = fmt.every(-21600, 0, 300, lambda tt: fmt.pg(S, tt, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%); "
                                                     "0 WAL file(s) added, 0 removed, 2 recycled" % (
                                                         rng.randint(3000, 9000), rng.uniform(1, 4)), pid=388), jitter=25, S=S)

    def slot(tt):
        ip = "10.20.%d.%d" % (rng.randint(10, 14), rng.randint(4, 250))
        who = pick(S, ["sync_worker@core", "billing@core", "billing@core"])
        u, d = who.split("@")
        msg = pick(S, ["remaining connection slots are reserved for non-replication superuser connections",
                       "sorry, too many clients already"])
        return fmt.pg(S, tt, "FATAL", msg, ip=ip, user=u, db=d)
    pgl += fmt.spread(S, ON, 0, lambda t: 9.0, slot)
    S.log("/aws/rds/instance/%s/postgresql" % DB, "%s.0" % DB, pgl)

    S.change(-14400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "tenant-onboarding", "github-actions")
    S.change(-7000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "analytics-pg15",
             "dba-oncall@sso")
    for st, k in SCALE:
        S.change(st, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "jobs-prod/tenant-sync-worker",
                 "AWSServiceRoleForApplicationAutoScaling_ECSService")
    S.alarm("billing-webhook-handler-errors", "AWS/Lambda", "Errors", {"FunctionName": "billing-webhook-handler"},
            "Sum", 60, 3, 4, description="Stripe webhook processing failing")
    S.alarm("tenant-sync-jobs-backlog", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "tenant-sync-jobs"},
            "Maximum", 300, 1, 10000)
    expect(S, "billing-webhook-handler-errors", "db_connection_exhaustion", [DB],
           [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": DB}),
            ("AWS/Lambda", "Errors", {"FunctionName": "billing-webhook-handler"})])
    meta(S, "db_connection_exhaustion", "rds %s" % DB, "front (victim Lambda billing-webhook-handler)",
         "parameter-group change on analytics-pg15 (another DB) 2 h before; tenant-onboarding deploy 4 h before; steady "
         "Stripe signature-verification ERROR (handled 400s) in the paging function",
         "Tenant t_0203 enqueued a 2-million-SKU catalogue import. The tenant-sync-worker service scaled from 5 to "
         "25 tasks on queue backlog, each task holding a HikariCP pool of up to 20 connections, which pushed "
         "saas-core-pg (max_connections 500) to its ceiling (~497 used). Postgres logs FATAL 'remaining connection "
         "slots are reserved' / 'too many clients already', the newest worker tasks wait on Hikari, and the unrelated "
         "billing webhook Lambda, which opens a fresh connection per invocation, fails for every tenant. The page is "
         "on the victim Lambda; the fault is the shared database running out of connection slots (CPU ~58 %, storage "
         "fine): db_connection_exhaustion on saas-core-pg. The autoscaling UpdateService events are the mechanism "
         "that consumed the slots, not a configuration change.")
    return S


# ============================================================== S06
def s06():
    S = Scenario(6, "provisioner-kms-denied", "ca-central-1",
                 "New tenant sign-ups stuck in 'provisioning'; DLQ alarm for tenant-provisioning fired.",
                 clock(2026, 11, 24, 15, 5))
    rng = S.rng
    FN, ROLE = "tenant-provisioner", "tenant-provisioner-exec"
    ON = -2850
    ACCT = "482193047165"
    S.res("lambda", FN, runtime="java21", timeout=300, memory_size=2048, role=ROLE,
          event_source="sqs:tenant-provisioning", visibility_timeout=360, max_receive_count=3,
          dlq="tenant-provisioning-dlq")
    S.res("lambda", "tenant-welcome-mailer", runtime="nodejs20.x", timeout=30, memory_size=256)
    S.res("apigateway", "admin-api", stage="prod")
    S.res("rds", "control-plane-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
          max_connections=800)
    dlq = lambda t: 0.0 if t < ON + 720 else 1.4 * (t - ON - 720) / 60.0
    packs.sqs(S, "tenant-provisioning", visible=lambda t: 1 + 3 * step(t, ON), age=lambda t: 8 + 700 * ramp(t, ON, ON + 720))
    S.gauge("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "tenant-provisioning-dlq"}, "Count",
            dlq, noise=0.0, digits=0)
    S.gauge("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "tenant-provisioning-dlq"}, "Seconds",
            lambda t: max(0.0, t - ON - 720), noise=0.0, digits=0)
    packs.rds(S, "control-plane-pg", cpu=lambda t: 14.0, conns=lambda t: 85.0, free_gb=lambda t: 170.0)
    packs.apigw(S, "admin-api", count=lambda t: 45 * diurnal(t), e4=lambda t: 1.2, e5=lambda t: 0.05,
                latency=lambda t: 95.0)

    fn = LambdaFn(S, FN, "java21", 2048, 300, log_from=-6000, logger="c.c.p.TenantProvisioner")
    KEY = "arn:aws:kms:ca-central-1:%s:key/6f1c2a9e-4b7d-4e08-9c3a-2d5e8f71b0c4" % ACCT

    def prov(t):
        tenant = "t_%04d" % rng.randint(800, 999)
        logs = [("INFO", "Provisioning tenant %s plan=%s region=ca-central-1" % (tenant, pick(S, ["starter", "business", "enterprise"]))),
                ("INFO", "Seeded schema tenant_%s in control-plane-pg (42 tables) in %d ms" % (tenant, rng.randint(300, 700)))]
        slow = rng.random() < 0.15
        if t >= ON:
            rid = S.uid()
            emsg = ("User: arn:aws:sts::%s:assumed-role/%s/%s is not authorized to perform: kms:CreateGrant on resource: "
                    "%s because no identity-based policy allows the kms:CreateGrant action (Service: Kms, Status Code: 400, "
                    "Request ID: %s)" % (ACCT, ROLE, FN, KEY, rid))
            logs.append(("ERROR", "Provisioning failed for tenant %s at step KMS_GRANT: AccessDeniedException: %s" % (tenant, emsg)))
            return Inv("error", rng.uniform(900, 1600), rng.randint(260, 300), logs,
                       ("software.amazon.awssdk.services.kms.model.KmsException", emsg,
                        ["software.amazon.awssdk.services.kms.model.KmsException$BuilderImpl.build(KmsException.java:113)",
                         "software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)",
                         "software.amazon.awssdk.services.kms.DefaultKmsClient.createGrant(DefaultKmsClient.java:1472)",
                         "com.cloudfold.provisioning.steps.KmsGrantStep.apply(KmsGrantStep.java:47)",
                         "com.cloudfold.provisioning.TenantProvisioner.handleRequest(TenantProvisioner.java:88)"]))
        logs += [("INFO", "Created KMS grant %s for alias/tenant/%s" % (S.hexid(64)[:40], tenant)),
                 ("INFO", "Created prefix s3://cf-tenant-data-cac1/%s/ with SSE-KMS" % tenant)]
        if slow:
            logs.append(("WARN", "Stripe customer creation slow: %d ms (threshold 2000 ms)" % rng.randint(2100, 3400)))
        logs.append(("INFO", "Tenant %s provisioned, publishing TenantReady" % tenant))
        return Inv("ok", rng.uniform(4200, 7800), rng.randint(300, 380), logs)
    # retries: each failed message is received 3 times (visibility 360 s)
    fn.run(lambda t: 1.4 * diurnal(t) * (1 + step(t, ON + 360) + step(t, ON + 720)), prov)

    mailer = LambdaFn(S, "tenant-welcome-mailer", "nodejs20.x", 256, 30, log_from=-6000)
    mailer.run(lambda t: 1.4 * diurnal(t) * (1 - step(t, ON + 10)), lambda t: Inv(
        "ok", rng.uniform(200, 500), 82, [("INFO", "welcome email queued via SES for tenant t_%04d" % rng.randint(800, 999))]))

    S.change(-10800, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "reporting-readonly-role", "terraform-ci")
    S.change(-4200, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "admin-api",
             "github-actions")
    S.change(-2880, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", ROLE, "terraform-ci",
             policy_name="tenant-provisioner-least-privilege")
    S.alarm("tenant-provisioning-dlq-visible", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
            {"QueueName": "tenant-provisioning-dlq"}, "Maximum", 300, 1, 0,
            description="Provisioning messages landing in the DLQ")
    expect(S, "tenant-provisioning-dlq-visible", "permission_denied", [FN, ROLE],
           [("AWS/Lambda", "Errors", {"FunctionName": FN}),
            ("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "tenant-provisioning-dlq"})])
    meta(S, "permission_denied", "lambda %s (execution role %s)" % (FN, ROLE), "front (SQS DLQ)",
         "AttachRolePolicy on an unrelated reporting role 3 h before; admin-api CreateDeployment 70 min before; steady "
         "'Stripe customer creation slow' WARN",
         "Terraform applied a 'least-privilege' PutRolePolicy to the provisioner's execution role. From the next "
         "invocation every provisioning run fails at the KMS grant step: 'is not authorized to perform: "
         "kms:CreateGrant ... because no identity-based policy allows the kms:CreateGrant action'. Each sign-up "
         "message is retried three times and then lands in the DLQ, whose alarm paged; the welcome mailer goes quiet "
         "because no tenant reaches TenantReady. The unrelated IAM change was on a different role and hours earlier. "
         "permission_denied on the tenant-provisioner function (its role).")
    return S
