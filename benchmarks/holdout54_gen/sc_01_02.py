"""S01 shard DB storage full behind the API; S02 report builder hitting its timeout."""
from . import fmt, packs
from .common import TENANTS, clock, expect, meta, pick
from .core import Scenario, bump, ramp, step, window, diurnal
from .lam import Inv, LambdaFn


# ============================================================== S01
def s01():
    S = Scenario(1, "shard-db-storage-full", "eu-west-1",
                 "Core API returning 5xx on writes for many tenants; the ALB target 5xx alarm paged on-call.",
                 clock(2026, 11, 17, 9, 40))
    rng = S.rng
    DB, ALB = "tenantdb-shared-03", "app/core-api-alb/5f2c81a0b4d3e917"
    ON = -2100
    S.res("rds", DB, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.xlarge",
          allocated_storage_gb=400, max_allocated_storage_gb=400, storage_type="gp3",
          max_connections=1500, multi_az=True, shard="tenant shard 3 (214 tenants)")
    S.res("ecs", "core-prod/tenant-api", cluster="core-prod", service="tenant-api", launch_type="FARGATE",
          desired_count=6, cpu=1024, memory=2048, image="tenant-api:2026.11.12-1",
          log_groups=["/ecs/core-prod/tenant-api"], load_balancer="core-api-alb")
    S.res("alb", ALB, name="core-api-alb", targets=["core-prod/tenant-api"])
    S.res("lambda", "audit-event-ingestor", runtime="python3.12", timeout=60, memory_size=512,
          event_source="sqs:audit-events", batch_size=100)
    S.res("lambda", "invoice-pdf-renderer", runtime="nodejs20.x", timeout=90, memory_size=2048)
    S.res("ecs", "core-prod/notification-svc", cluster="core-prod", service="notification-svc",
          launch_type="FARGATE", desired_count=2)
    S.res("ec2", "i-0c4e8a2f6b1d93057", name="reporting-etl-1", instance_type="m6i.2xlarge")

    def free(t):
        if t < -14400:
            return 61.0 - 0.3 * (t + 21600) / 3600.0
        if t < ON:
            return 60.4 - 60.05 * (t + 14400) / 12300.0
        return 0.3
    backfill = lambda t: window(t, -14400, ON)
    packs.rds(S, DB, cpu=lambda t: 28 + 12 * backfill(t) + 2 * step(t, ON),
              conns=lambda t: 310 + 45 * step(t, ON), free_gb=free,
              write_lat=lambda t: 0.0021 + 0.0014 * backfill(t) - 0.001 * step(t, ON),
              freeable_gb=lambda t: 9.5, read_iops=lambda t: 820 * diurnal(t),
              write_iops=lambda t: 450 + 1400 * backfill(t) - 330 * step(t, ON))
    req = lambda t: 1400 * diurnal(t, 0.1)
    packs.alb(S, ALB, req=req, rt=lambda t: 0.088 + 0.01 * step(t, ON),
              t5xx=lambda t: 0.4 + 300 * step(t, ON), healthy=6)
    packs.ecs(S, "core-prod", "tenant-api", cpu=lambda t: 34 * diurnal(t), mem=lambda t: 58.0)
    packs.ecs(S, "core-prod", "notification-svc", cpu=lambda t: 12.0, mem=lambda t: 41 + 3 * step(t, -5100))
    packs.sqs(S, "audit-events",
              visible=lambda t: 400 + 2600 * backfill(t) + 2600 * max(0.0, (t - ON) / 60.0),
              age=lambda t: 40 + 50 * backfill(t) + max(0.0, t - ON),
              sent=lambda t: 220 + 2400 * backfill(t) + 2400 * step(t, ON))
    packs.ec2(S, "i-0c4e8a2f6b1d93057", cpu=lambda t: 9 + 83 * window(t, -16200, -14400),
              net_in=lambda t: 2.0e7, step_s=300)

    # ---- audit-event-ingestor (SQS consumer writing into the same shard)
    fn = LambdaFn(S, "audit-event-ingestor", "python3.12", 512, 60, log_from=-3600)

    def pt(level, msg, exc=None, tenant=None):
        d = '{"level":"%s","location":"%s","message":"%s","timestamp":"%%TS%%","service":"audit-ingestor",' \
            '"cold_start":false,"function_name":"audit-event-ingestor","function_request_id":"%%RID%%"' % (
                level, "handler:58" if level != "ERROR" else "handler:71", msg)
        if tenant:
            d += ',"tenant_id":"%s"' % tenant
        if exc:
            d += ',"exception":"%s","exception_name":"OperationalError"' % exc
        return d + "}"

    def ingest(t):
        tenant = "t_0240" if backfill(t) and rng.random() < 0.9 else pick(S, TENANTS)
        n = rng.randint(60, 100)
        if t >= ON:
            msg = pt("ERROR", "batch insert failed, letting SQS retry",
                     exc='pymysql.err.OperationalError: (1114, \\"The table \'audit_events\' is full\\")', tenant=tenant)
            return Inv("error", rng.uniform(180, 420), rng.randint(118, 130),
                       [("RAW", msg.replace("%TS%", S.wall(t).strftime("%Y-%m-%d %H:%M:%S,%f")[:-3] + "+0000"))],
                       ("pymysql.err.OperationalError", "(1114, \"The table 'audit_events' is full\")",
                        ['  File "/var/task/aws_lambda_powertools/logging/logger.py", line 447, in decorate\n    return lambda_handler(event, context, *args, **kwargs)',
                         '  File "/var/task/app.py", line 66, in handler\n    cur.executemany(INSERT_AUDIT, rows)',
                         '  File "/var/task/pymysql/cursors.py", line 182, in executemany\n    self.rowcount = sum(self.execute(query, arg) for arg in args)',
                         '  File "/var/task/pymysql/err.py", line 150, in raise_mysql_exception\n    raise errorclass(errno, errval)']))
        ts = S.wall(t).strftime("%Y-%m-%d %H:%M:%S,%f")[:-3] + "+0000"
        return Inv("ok", rng.uniform(650, 1400) * (1.4 if backfill(t) else 1.0), rng.randint(120, 138),
                   [("RAW", pt("INFO", "inserted %d audit events" % n, tenant=tenant).replace("%TS%", ts))])
    fn.run(lambda t: 2.4 + 24 * backfill(t) + 26 * step(t, ON), ingest)

    # ---- invoice-pdf-renderer (unrelated deploy 3h ago)
    pdf = LambdaFn(S, "invoice-pdf-renderer", "nodejs20.x", 2048, 90, log_from=-4500,
                   versions=[(-21600, "37"), (-10790, "38")])

    def render(t):
        inv = "INV-%d" % rng.randint(2026110000, 2026119999)
        return Inv("ok", rng.uniform(3800, 7600), rng.randint(690, 820),
                   [("INFO", "rendering %s for tenant %s (chromium 131.0.6778.85)" % (inv, pick(S, TENANTS))),
                    ("INFO", "uploaded s3://core-invoices-eu/%s.pdf" % inv)])
    pdf.run(lambda t: 2.5 * diurnal(t), render)

    # ---- tenant-api (Spring Boot) task logs
    tasks = [S.hexid(32) for _ in range(6)]
    ev = {k: [] for k in tasks}
    L0 = -5400
    ctrl = ["c.l.core.web.InvoiceController", "c.l.core.web.ProjectController", "c.l.core.web.MemberController"]

    def info(tt):
        return fmt.spring(S, tt, "INFO", "nio-8080-exec-%d" % rng.randint(1, 40), pick(S, ctrl),
                          "%s /v2/tenants/%s/%s completed in %d ms" % (
                              pick(S, ["GET", "GET", "GET", "POST", "PUT"]), pick(S, TENANTS),
                              pick(S, ["invoices", "projects", "members", "settings"]), rng.randint(12, 160)))

    def revoked(tt):
        return fmt.spring(S, tt, "WARN", "nio-8080-exec-%d" % rng.randint(1, 40), "c.l.core.security.ApiKeyFilter",
                          "Rejected API key ak_live_%s for tenant=t_0118 reason=revoked" % S.hexid(8))

    def slack(tt):
        return fmt.spring(S, tt, "ERROR", "notify-pool-2", "c.l.core.integrations.SlackNotifier",
                          "Slack webhook returned 404 channel_not_found for tenant=t_0588; dropping notification")

    def write_fail(tt):
        th = "nio-8080-exec-%d" % rng.randint(1, 40)
        tenant = pick(S, TENANTS)
        path = "/v2/tenants/%s/%s" % (tenant, pick(S, ["invoices", "projects/%d/tasks" % rng.randint(100, 999), "members"]))
        return [(tt, fmt.spring(S, tt, "WARN", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                "SQL Error: 1114, SQLState: HY000")),
                (tt + 0.001, fmt.spring(S, tt, "ERROR", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                        "The table 'audit_events' is full")),
                (tt + 0.004, fmt.spring(S, tt, "ERROR", th, "c.l.core.web.GlobalExceptionHandler",
                                        "Unhandled exception on POST %s tenant=%s\n"
                                        "org.springframework.orm.jpa.JpaSystemException: could not execute statement "
                                        "[The table 'audit_events' is full] [insert into audit_events (actor_id,action,"
                                        "payload,tenant_id,created_at) values (?,?,?,?,?)]\n"
                                        "\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:341)\n"
                                        "\tat com.ledgerly.core.audit.AuditTrail.record(AuditTrail.java:58)\n"
                                        "\tat com.ledgerly.core.web.InvoiceController.create(InvoiceController.java:112)\n"
                                        "Caused by: java.sql.SQLException: The table 'audit_events' is full\n"
                                        "\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130)" % (path, tenant)))]

    def tmp_fail(tt):
        return fmt.spring(S, tt, "ERROR", "nio-8080-exec-%d" % rng.randint(1, 40), "c.l.core.web.ReportController",
                          "report query failed for tenant=%s: java.sql.SQLException: Error writing file "
                          "'/rdsdbdata/tmp/MYfd=%d' (OS errno 28 - No space left on device)" % (pick(S, TENANTS), rng.randint(200, 900)))
    allev = (fmt.spread(S, L0, 0, lambda t: 9 * diurnal(t), info)
             + fmt.spread(S, L0, 0, lambda t: 3.0, revoked)
             + fmt.spread(S, L0, 0, lambda t: 1.0, slack)
             + fmt.spread(S, ON, 0, lambda t: 22.0, write_fail)
             + fmt.spread(S, ON + 60, 0, lambda t: 1.5, tmp_fail))
    for tt, m in allev:
        ev[pick(S, tasks)].append((tt, m))
    for k in tasks:
        S.log("/ecs/core-prod/tenant-api", "ecs/tenant-api/" + k, ev[k])

    # ---- MySQL error log
    my = []
    my += fmt.every(-21600, 0, 1800, lambda tt: fmt.mysql(
        S, tt, rng.randint(80000, 99000), "Note", 10914, "Server",
        "Aborted connection %d to db: 'tenants' user: 'app_ro' host: '10.21.%d.%d' "
        "(Got timeout reading communication packets)." % (rng.randint(100000, 999999),
                                                           rng.randint(1, 20), rng.randint(4, 250))),
                    jitter=600, S=S)
    my += fmt.every(-14400, ON, 420, lambda tt: fmt.mysql(S, tt, 0, "Note", 11953, "InnoDB",
                                                         "Page cleaner took %d ms to flush %d and evict 0 pages" % (
                                                             rng.randint(4100, 6800), rng.randint(1600, 2400))),
                    jitter=120, S=S)
    my.append((ON - 5, fmt.mysql(S, ON - 5, 0, "ERROR", 12639, "InnoDB",
                                 "Write to file ./tenants/audit_events.ibd failed at offset 52843560960, 1048576 bytes "
                                 "should have been written, only 0 were written. Operating system error number 28. "
                                 "Check that your OS and file system support files of this size. Check also that the "
                                 "disk is not full or a disk quota exceeded.")))
    my.append((ON - 4.9, fmt.mysql(S, ON - 4.9, 0, "ERROR", 12640, "InnoDB",
                                   "Error number 28 means 'No space left on device'")))
    my.append((ON - 3, fmt.mysql(S, ON - 3, 0, "ERROR", 35, "Server",
                                 "Disk is full writing './mysql-bin-changelog.084212' (OS errno 28 - No space left on "
                                 "device). Waiting for someone to free space... Retry in 60 secs. Message reprinted in 600 secs.")))
    my += fmt.spread(S, ON, 0, lambda t: 4.0, lambda tt: fmt.mysql(
        S, tt, rng.randint(80000, 99000), "ERROR", 13132, "Server", "The table 'audit_events' is full!"))
    my += fmt.every(ON + 600, 0, 600, lambda tt: fmt.mysql(
        S, tt, 0, "ERROR", 35, "Server", "Disk is full writing './mysql-bin-changelog.084212' (OS errno 28 - No space "
        "left on device). Waiting for someone to free space... Retry in 60 secs. Message reprinted in 600 secs."))
    S.log("/aws/rds/instance/%s/error" % DB, DB, my)

    S.change(-10810, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "invoice-pdf-renderer", "github-actions")
    S.change(-10790, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             "invoice-pdf-renderer", "github-actions")
    S.change(-5130, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "notification-svc:88", "github-actions")
    S.change(-5100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
             "core-prod/notification-svc", "github-actions")

    S.alarm("core-api-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": ALB},
            "Sum", 60, 3, 50, description="core API targets returning 5xx")
    S.alarm("audit-event-ingestor-errors", "AWS/Lambda", "Errors", {"FunctionName": "audit-event-ingestor"},
            "Sum", 60, 3, 5)
    S.alarm("reporting-etl-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": "i-0c4e8a2f6b1d93057"},
            "Average", 300, 2, 85, state="OK")
    expect(S, "core-api-alb-target-5xx", "storage_exhaustion", [DB],
           [("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": DB}),
            ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": ALB}),
            ("AWS/Lambda", "Errors", {"FunctionName": "audit-event-ingestor"})])
    meta(S, "storage_exhaustion", "rds %s" % DB, "front (ALB core-api-alb)",
         "invoice-pdf-renderer deploy 3 h before; notification-svc ECS deploy 85 min before; reporting-etl-1 "
         "CPU spike 4-4.5 h ago (alarm back to OK); steady SlackNotifier ERROR and revoked-API-key WARN in tenant-api",
         "One tenant (t_0240) started a bulk audit-history backfill four hours ago through the audit-events queue. "
         "The shared MySQL shard `tenantdb-shared-03` has 400 GB allocated with storage autoscaling capped at the "
         "same size, and FreeStorageSpace fell linearly from ~60 GB to ~0.3 GB. From the moment it hit zero "
         "InnoDB logs OS error 28 / 'Disk is full writing ... binlog', every write into `audit_events` fails with "
         "MySQL 1114 'table is full', so every tenant-api write (each one records an audit row) returns 500 and the "
         "audit consumer Lambda errors. The page came from the ALB in front; the origin is the database volume: "
         "storage_exhaustion on the RDS instance, not the API, the Lambda, or the noisy tenant's traffic.")
    return S


# ============================================================== S02
def s02():
    S = Scenario(2, "report-builder-timeouts", "us-east-2",
                 "Usage reports for customers are late; the report-requests queue age alarm fired.",
                 clock(2026, 11, 2, 15, 20))
    rng = S.rng
    FN, Q = "usage-report-builder", "report-requests"
    ON = -3000
    S.res("lambda", FN, runtime="python3.11", timeout=120, memory_size=1024,
          event_source="sqs:report-requests", batch_size=1, sqs_maximum_concurrency=100,
          visibility_timeout=720, max_receive_count=5, dlq="report-requests-dlq")
    S.res("lambda", "tenant-usage-aggregator", runtime="python3.11", timeout=300, memory_size=512)
    S.res("rds", "usage-pg", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
          max_connections=800, allocated_storage_gb=1000)
    S.res("ec2", "i-0b5d1e9f3a7c24680", name="sftp-ingest-1", instance_type="t3.medium")
    big = lambda t: step(t, ON)

    packs.rds(S, "usage-pg", cpu=lambda t: 21 * diurnal(t) + 7 * big(t), conns=lambda t: 62 + 18 * big(t),
              free_gb=lambda t: 611.0 - 0.05 * (t + 21600) / 3600.0, read_iops=lambda t: 340 + 260 * big(t),
              read_lat=lambda t: 0.0011 + 0.0002 * big(t), freeable_gb=lambda t: 4.1)
    packs.sqs(S, Q, visible=lambda t: 12 + 160 * ramp(t, ON, ON + 600) + 0.06 * max(0.0, t - ON),
              age=lambda t: 45 + max(0.0, t - ON + 30) * big(t),
              sent=lambda t: 6.2 * diurnal(t) + 340 * window(t, ON, ON + 60))
    packs.sqs(S, "report-requests-dlq", visible=lambda t: 3.0, age=lambda t: 86400 * 2.2 + (t + 21600))
    packs.ec2(S, "i-0b5d1e9f3a7c24680", cpu=lambda t: 6.0, net_in=lambda t: 3.1e6, step_s=300,
              disk=lambda t: 88.2 + 0.05 * (t + 21600) / 3600.0, mem=lambda t: 37.0)

    fn = LambdaFn(S, FN, "python3.11", 1024, 120, log_from=-5400)
    months = lambda: "2026-10-01..2026-10-31"

    def behave(t):
        if t >= ON and rng.random() < 8.0 / 14.0:
            ws = "ws_%04d" % rng.randint(1000, 9999)
            logs = [("INFO", "building monthly usage report tenant=t_0731 workspace=%s period=2025-05-01..2026-10-31 "
                             "(18 months, history migrated 2026-10-27)" % ws)]
            rows = 0
            for page in range(1, 9):
                rows += 50000
                logs.append(("INFO", "fetched page %d (50000 rows) in %d ms; aggregated %s rows elapsed=%.1fs" % (
                    page * 5, rng.randint(140, 240), format(rows * 5, ","), page * 13.1 + rng.uniform(-1, 1))))
            return Inv("timeout", 120000.0 + rng.uniform(0, 40), rng.randint(590, 660), logs)
        tenant = pick(S, TENANTS[:-1])
        n = rng.randint(20000, 180000)
        pages = n // 50000 + 1
        d = rng.uniform(4500, 19000)
        logs = [("INFO", "building monthly usage report tenant=%s workspace=ws_%04d period=%s" % (
                    tenant, rng.randint(1000, 9999), months())),
                ("INFO", "fetched %d pages (%s rows) in %.1fs" % (pages, format(n, ","), pages * 0.19))]
        if tenant == "t_0102":
            logs.append(("WARNING", "tenant t_0102 has no billing timezone set; defaulting to UTC"))
        logs.append(("INFO", "report written s3://usage-reports-prod-use2/%s/2026-10/%s.csv in %.1fs" % (
            tenant, S.hexid(8), d / 1000.0)))
        return Inv("ok", d, rng.randint(240, 420), logs)
    fn.run(lambda t: 6.2 * diurnal(t) + 8.0 * big(t), behave)

    agg = LambdaFn(S, "tenant-usage-aggregator", "python3.11", 512, 300, log_from=-5400,
                   versions=[(-21600, "$LATEST")])

    def aggregate(t):
        lvl = "DEBUG" if t >= -4200 and rng.random() < 0.5 else "INFO"
        return Inv("ok", rng.uniform(9000, 16000), rng.randint(150, 190),
                   [(lvl, "rolled up %d usage events for %d tenants (window=5m)" % (rng.randint(40000, 90000), 214))])
    agg.run(lambda t: 1.0 if t % 300 == 0 else 0.0, aggregate)

    pgl = fmt.every(-21600, 0, 300, lambda tt: fmt.pg(
        S, tt, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, 1 recycled; "
        "write=269.%03d s, sync=0.004 s, total=269.9 s" % (rng.randint(900, 3100), rng.uniform(0.5, 2.2), rng.randint(0, 999)),
        pid=4127), jitter=20, S=S)
    pgl += fmt.spread(S, -21600, 0, lambda t: 0.08, lambda tt: fmt.pg(
        S, tt, "LOG", "automatic vacuum of table \"usage.public.usage_events_2026_11\": index scans: 1", pid=rng.randint(20000, 30000)))
    S.log("/aws/rds/instance/usage-pg/postgresql", "usage-pg.0", pgl)

    S.change(-4200, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "tenant-usage-aggregator", "jdoe@sso")
    S.alarm("report-requests-oldest-message-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": Q},
            "Maximum", 60, 5, 1800, description="Reports queue is not draining")
    S.alarm("usage-report-builder-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1, 10)
    S.alarm("sftp-ingest-1-disk-used", "CWAgent", "disk_used_percent",
            {"InstanceId": "i-0b5d1e9f3a7c24680", "path": "/", "fstype": "xfs"}, "Average", 300, 1, 85,
            state_changed=-190800,
            reason="Threshold Crossed: 1 datapoint [85.31 (31/10/26 10:20:00)] was greater than the threshold (85.0).")
    expect(S, "report-requests-oldest-message-age", "function_timeout", [FN],
           [("AWS/Lambda", "Duration", {"FunctionName": FN}), ("AWS/Lambda", "Errors", {"FunctionName": FN}),
            ("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": Q})])
    meta(S, "function_timeout", "lambda %s" % FN, "front (SQS report-requests age)",
         "LOG_LEVEL change on tenant-usage-aggregator 70 min before; sftp-ingest-1 disk alarm in ALARM for two days; "
         "steady 'no billing timezone' WARNING in the function itself",
         "At month start tenant t_0731, whose 18 months of history were migrated the week before, had its 340 "
         "workspace reports enqueued. Each of those invocations pages through millions of rows (every page comes back "
         "from usage-pg in under 250 ms, the DB is at ~30 % CPU) and is still aggregating when Lambda kills it at "
         "the configured 120 s: 'Task timed out after 120.00 seconds', REPORT Duration 120000 ms, memory well below "
         "the 1 GB limit, no exception, no dependency error. The messages come back after the visibility timeout, so "
         "the queue's oldest-message age climbs and that alarm pages. Other tenants' reports still finish in 5-20 s. "
         "The origin is the consumer function reaching its timeout: function_timeout on usage-report-builder.")
    return S
