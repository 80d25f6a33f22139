"""S13 invoice generator crashing on one tenant's contract data; S14 export worker running out of heap."""
from . import fmt, packs
from .common import TENANTS, clock, expect, meta, pick
from .core import Scenario, ramp, step, window, diurnal
from .lam import Inv, LambdaFn


# ============================================================== S13
def s13():
    S = Scenario(13, "invoice-proration-exception", "eu-west-2",
                 "Invoices piling up in the dead-letter queue; invoice-jobs DLQ alarm paged.",
                 clock(2026, 12, 1, 0, 50))
    rng = S.rng
    FN, ON = "invoice-generator", -2400
    S.res("lambda", FN, runtime="java17", timeout=60, memory_size=1536, event_source="sqs:invoice-jobs",
          batch_size=1, visibility_timeout=360, max_receive_count=3, dlq="invoice-jobs-dlq",
          last_modified="2026-11-22T10:14:03Z")
    S.res("lambda", "invoice-email-dispatcher", runtime="nodejs20.x", timeout=30, memory_size=256)
    S.res("ecs", "billing-prod/payments-gateway", cluster="billing-prod", service="payments-gateway",
          launch_type="FARGATE", desired_count=3)
    S.res("rds", "billing-pg", engine="postgres", engine_version="16.4", instance_class="db.r6g.xlarge",
          max_connections=1000)
    bad = lambda t: window(t, ON, ON + 3600)
    retry = lambda t: step(t, ON + 360) + step(t, ON + 720)
    dlq = lambda t: 0.0 if t < ON + 740 else 3.1 * (t - ON - 740) / 60.0
    packs.sqs(S, "invoice-jobs", visible=lambda t: 6 + 25 * bad(t), age=lambda t: 20 + 700 * ramp(t, ON, ON + 720),
              sent=lambda t: 12 * diurnal(t) + 3.1 * bad(t))
    S.gauge("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "invoice-jobs-dlq"}, "Count", dlq,
            noise=0.0, digits=0)
    packs.rds(S, "billing-pg", cpu=lambda t: 22 + 50 * window(t, -7500, -6900), conns=lambda t: 140.0,
              free_gb=lambda t: 410.0, freeable_gb=lambda t: 12.0)
    packs.ecs(S, "billing-prod", "payments-gateway", cpu=lambda t: 18.0, mem=lambda t: 39 + 4 * step(t, -4500))

    fn = LambdaFn(S, FN, "java17", 1536, 60, log_from=-5400, logger="c.m.billing.InvoiceHandler")
    FR = ["java.base/java.math.BigDecimal.divide(BigDecimal.java:1780)",
          "com.meridian.billing.proration.ProrationCalculator.dailyRate(ProrationCalculator.java:142)",
          "com.meridian.billing.proration.ProrationCalculator.prorate(ProrationCalculator.java:97)",
          "com.meridian.billing.InvoiceBuilder.addSeatLines(InvoiceBuilder.java:211)",
          "com.meridian.billing.InvoiceHandler.handleRequest(InvoiceHandler.java:63)"]

    def gen(t):
        acct = "acct_%05d" % rng.randint(10000, 99999)
        if bad(t) and rng.random() < 3.1 * (1 + retry(t)) / (12 * diurnal(t) + 3.1 * (1 + retry(t))):
            logs = [("INFO", "Generating invoice tenant=t_0611 account=%s period=2026-11 contract=Enterprise-Custom "
                             "(seats=3, unit_price=1000.00/period)" % acct),
                    ("ERROR", "Failed to generate invoice tenant=t_0611 account=%s: Non-terminating decimal expansion; "
                              "no exact representable decimal result." % acct)]
            return Inv("error", rng.uniform(900, 1500), rng.randint(300, 340), logs,
                       ("java.lang.ArithmeticException", "Non-terminating decimal expansion; no exact representable "
                        "decimal result.", FR))
        tenant = pick(S, [x for x in TENANTS if x != "t_0611"])
        logs = [("INFO", "Generating invoice tenant=%s account=%s period=2026-11" % (tenant, acct))]
        if tenant == "t_0219":
            logs.append(("WARN", "TaxRateResolver - No VAT id for tenant t_0219; applying default UK VAT 20%"))
        logs.append(("INFO", "Invoice INV-2026-11-%06d issued total=%.2f GBP lines=%d" % (
            rng.randint(1, 999999), rng.uniform(40, 9000), rng.randint(2, 30))))
        return Inv("ok", rng.uniform(1200, 2600), rng.randint(310, 360), logs)
    fn.run(lambda t: 12 * diurnal(t) + 3.1 * bad(t) * (1 + retry(t)), gen)

    em = LambdaFn(S, "invoice-email-dispatcher", "nodejs20.x", 256, 30, log_from=-5400)
    em.run(lambda t: 11 * diurnal(t), lambda t: Inv("ok", rng.uniform(150, 400), 80, [
        ("INFO", "invoice email sent to billing contact of %s" % pick(S, TENANTS))]))

    S.change(-4530, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "payments-gateway:63",
             "github-actions")
    S.change(-4500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "billing-prod/payments-gateway",
             "github-actions")
    S.alarm("invoice-jobs-dlq-depth", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "invoice-jobs-dlq"},
            "Maximum", 60, 1, 5, description="Invoices failing permanently")
    S.alarm("invoice-generator-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1, 10)
    expect(S, "invoice-jobs-dlq-depth", "application_error", [FN],
           [("AWS/Lambda", "Errors", {"FunctionName": FN}),
            ("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "invoice-jobs-dlq"})])
    meta(S, "application_error", "lambda %s" % FN, "front (SQS invoice-jobs-dlq)",
         "payments-gateway ECS deploy 75 min before; billing-pg CPU spike 2 h ago; steady VAT-default WARN",
         "At the start of the tenant's billing cycle, every invoice job for tenant t_0611 (an 'Enterprise-Custom' "
         "contract priced 1000.00 for 3 seats) throws java.lang.ArithmeticException 'Non-terminating decimal "
         "expansion' from BigDecimal.divide in ProrationCalculator: the code divides without a MathContext and "
         "1000/3 has no exact decimal. Each message fails three times and lands in the DLQ. All other tenants' "
         "invoices succeed, the function was last changed 9 days ago, there is no throttling, timeout, memory or "
         "database problem, and the ECS deploy is on an unrelated service. An unhandled exception with no "
         "preceding change and no resource fault: application_error in invoice-generator.")
    return S


# ============================================================== S14
def s14():
    S = Scenario(14, "export-worker-heap-oom", "us-east-1",
                 "Tenant CSV exports not completing; csv-export-worker memory alarm firing.",
                 clock(2026, 11, 16, 21, 10))
    rng = S.rng
    CL, SV = "exports-prod", "csv-export-worker"
    ON = -2700
    S.res("ecs", "%s/%s" % (CL, SV), cluster=CL, service=SV, launch_type="FARGATE", desired_count=3, cpu=1024,
          memory=2048, jvm="-XX:MaxRAMPercentage=85 -XX:+ExitOnOutOfMemoryError", image="csv-export-worker:3.4.0",
          event_source="sqs:export-jobs", log_groups=["/ecs/exports-prod/csv-export-worker", "/aws/events/ecs-task-state-change"])
    S.res("ecs", "%s/export-api" % CL, cluster=CL, service="export-api", launch_type="FARGATE", desired_count=2)
    S.res("lambda", "export-notifier", runtime="python3.12", timeout=30, memory_size=256)
    S.res("rds", "exports-replica", engine="mysql", engine_version="8.0.39", instance_class="db.r6g.xlarge",
          max_connections=1200, role="read replica of tenants primary")
    # three export jobs for t_0102; each attempt buffers until the heap is full, the task dies and a
    # replacement task picks the redelivered message up (visibility heartbeat stops when the task dies)
    JOBS = [("exp_7c1e2a90", "audit_events", 14212000), ("exp_7c1e2a91", "activity_log", 11030000),
            ("exp_7c1e2a92", "api_calls", 9618000)]
    attempts = []          # (job, attempt_no, task_start, job_start, crash_or_None)
    for j, job in enumerate(JOBS):
        t_task, t_job, n = -30000, ON + (0, 140, 290)[j], 1
        while t_job < 0:
            crash = t_job + 440 + rng.uniform(-10, 10)     # heap-bound: ~same rows buffered each time
            attempts.append((job, n, t_task, t_job, crash if crash < -8 else None))
            if crash >= -8:
                break
            t_task, t_job, n = crash + 55, crash + 55 + rng.uniform(35, 45), n + 1
    crashes = sorted(a_[4] for a_ in attempts if a_[4] is not None)

    def memmax(t):
        m = 46.0
        for _, _, _, js, cr in attempts:
            if js <= t and (cr is None or t < cr):
                m = max(m, 46 + 51 * min(1.0, (t - js) / 120.0) + 2.5 * min(1.0, max(0.0, t - js - 120) / 300.0))
        return min(100.0, m * (1 + 0.006 * rng.random()) if m > 60 else m)
    d = {"ClusterName": CL, "ServiceName": SV}
    S.gauge("AWS/ECS", "CPUUtilization", d, "Percent", lambda t: 31 + 42 * ramp(t, ON, ON + 240), noise=0.08, hi=100.0)
    S.gauge("AWS/ECS", "MemoryUtilization", d, "Percent", memmax, noise=0.0, hi=100.0)
    S.gauge("ECS/ContainerInsights", "RunningTaskCount", d, "Count",
            lambda t: 3 - sum(1 for c in crashes if c <= t < c + 55), noise=0.0, digits=0)
    packs.ecs(S, CL, "export-api", cpu=lambda t: 12.0, mem=lambda t: 36 + 5 * step(t, -14400))
    packs.sqs(S, "export-jobs", visible=lambda t: 2 + 4 * step(t, ON), age=lambda t: 30 + max(0.0, t - ON) * 0.98)
    packs.rds(S, "exports-replica", cpu=lambda t: 24 + 14 * step(t, ON), conns=lambda t: 60.0, free_gb=lambda t: 900.0,
              read_iops=lambda t: 1500 + 2500 * step(t, ON), freeable_gb=lambda t: 30.0)

    nt = LambdaFn(S, "export-notifier", "python3.12", 256, 30, log_from=-6000)
    nt.run(lambda t: 0.6 * (1 - 0.8 * step(t, ON)), lambda t: Inv("ok", rng.uniform(150, 400), 70, [
        ("INFO", "export ready email sent for %s (expires in %s)" % (pick(S, TENANTS), "72h" if t < -10800 else "7d"))]))

    # worker task streams: one stream per attempt (the first three are the long-lived tasks)
    lg = "/ecs/exports-prod/csv-export-worker"
    events_stop = []
    for (exp, dataset, rows), n, t0, js, end in attempts:
        tid = S.hexid(32)
        stop = end if end is not None else 0
        ev = []
        if t0 > -6000:
            ev.append((t0, fmt.logback_plain(S, t0, "INFO", "main", "c.o.exports.ExportWorkerApplication",
                                              "Started ExportWorkerApplication in %.3f seconds (process running for %.2f)" % (
                                                  rng.uniform(6.2, 7.9), rng.uniform(7.0, 8.6)))))
        lo = max(t0, -6000) + 5
        ev += fmt.spread(S, lo, js, lambda t: 1.2, lambda tt: fmt.logback_plain(
            S, tt, "INFO", "export-%d" % rng.randint(2, 4), "c.o.exports.CsvExportJob",
            "export exp_%s tenant=%s dataset=%s rows=%d finished in %.1fs" % (
                S.hexid(8), pick(S, TENANTS[:-1]), pick(S, ["projects", "invoices", "members"]), rng.randint(200, 90000),
                rng.uniform(2, 40))))
        ev += fmt.spread(S, lo, stop, lambda t: 0.5, lambda tt: fmt.logback_plain(
            S, tt, "WARN", "s3-transfer-%d" % rng.randint(1, 8), "c.o.exports.S3Uploader",
            "multipart upload part %d retry 1/5: SlowDown (Please reduce your request rate.)" % rng.randint(2, 40)))
        ev.append((js, fmt.logback_plain(S, js, "INFO", "export-1", "c.o.exports.CsvExportJob",
                                         "starting export %s (receive count %d) tenant=t_0102 dataset=%s since=2021-01-01 "
                                         "estimated_rows=%d" % (exp, n, dataset, rows))))
        k, gc = 1, 400 + 17 * n
        for tt in range(int(js) + 45, int(stop) - 20, 45):
            ev.append((tt, fmt.logback_plain(S, tt, "INFO", "export-1", "c.o.exports.CsvExportJob",
                                             "%s buffered %s rows (result set not streamed, fetchSize=0)" % (
                                                 exp, format(k * 1150000, ",")))))
            if k >= 3:
                gc += 1
                ev.append((tt + 3, "[%s][warning][gc] GC(%d) Pause Full (G1 Compaction Pause) %dM->%dM(1741M) %.3fms" % (
                    S.iso(tt + 3), gc, min(1740, 1690 + k * 6), min(1738, 1684 + k * 6), rng.uniform(1800, 3900))))
            k += 1
        if end is not None:
            ev.append((end - 1.5, fmt.logback_plain(S, end - 1.5, "ERROR", "export-1", "c.o.exports.CsvExportJob",
                                                    "export %s failed\njava.lang.OutOfMemoryError: Java heap space\n"
                                                    "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n"
                                                    "\tat com.mysql.cj.protocol.a.result.ResultsetRowsStatic.<init>(ResultsetRowsStatic.java:65)\n"
                                                    "\tat com.mysql.cj.jdbc.ClientPreparedStatement.executeQuery(ClientPreparedStatement.java:992)\n"
                                                    "\tat c.o.exports.CsvExportJob.run(CsvExportJob.java:118)" % exp)))
            ev.append((end - 1.0, "Terminating due to java.lang.OutOfMemoryError: Java heap space"))
            events_stop.append((end + 4, fmt.ecs_task_stopped(S, end + 4, CL, SV, SV, 57, tid,
                                                              "Essential container in task exited", 3, SV)))
        S.log(lg, "ecs/%s/%s" % (SV, tid), ev)
    S.log("/aws/events/ecs-task-state-change", "events", events_stop)

    S.change(-14430, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "export-api:22", "github-actions")
    S.change(-14400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "%s/export-api" % CL, "github-actions")
    S.change(-10800, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "export-notifier", "p.ivanova@sso")
    S.alarm("csv-export-worker-memory-high", "AWS/ECS", "MemoryUtilization", d, "Maximum", 60, 3, 90,
            description="Export worker memory above 90 %")
    S.alarm("export-jobs-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "export-jobs"}, "Maximum",
            300, 1, 1800)
    expect(S, "csv-export-worker-memory-high", "memory_exhaustion", ["%s/%s" % (CL, SV), SV],
           [("AWS/ECS", "MemoryUtilization", d)])
    meta(S, "memory_exhaustion", "ecs %s/%s" % (CL, SV), "origin (ECS MemoryUtilization)",
         "export-api deploy 4 h before; export-notifier env change 3 h before; steady S3 SlowDown retry WARN",
         "Tenant t_0102 requested a full export of ~14 M audit events. The worker buffers the whole JDBC result set "
         "(fetchSize=0) in heap, so whichever task picks the job climbs to the heap ceiling, spends seconds in full "
         "G1 compaction pauses and dies with 'java.lang.OutOfMemoryError: Java heap space' "
         "(ExitOnOutOfMemoryError, task stopped, exit code 3). The message is redelivered and the next task dies "
         "the same way, so the service's maximum memory sits at 96-100 % and tasks keep being replaced. The paging "
         "alarm is on the origin itself: memory_exhaustion on the csv-export-worker service.")
    return S
