"""Scenarios 07-08: Java statement renderer running out of heap on month-end corporate statements,
Postgres audit DB filling its allocated storage (WAL retained by a stuck replication slot)."""
from __future__ import annotations

from .common import (MINUTES, Scenario, binom, counts, hexs, jit, lambda_metrics, pois, ramp, rds_metrics,
                     sqs_metrics, wave)
from .dblog import pg, pg_background
from .lambdalog import FnLog, drive, java, java_trace, node, py, py_unhandled, simple_fn


def s07() -> Scenario:
    sc = Scenario(7, "statement-pdf-heap-oom", "sa-east-1",
                  "Monthly account statements failing to generate; statement-pdf Errors alarm.", "2026-06-01T13:10:00")
    rng = sc.rng
    TB = -2400
    sc.res("lambda", "statement-pdf", runtime="java17", handler="com.banco.statements.StatementHandler::handleRequest",
           timeout=120, memory_size=1024, layers=["arn:aws:lambda:sa-east-1:580247275435:layer:LambdaInsightsExtension:38"],
           event_source="SQS statement-requests (batch 1, visibility 720 s, maxReceiveCount 3)",
           environment={"JAVA_TOOL_OPTIONS": "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"})
    sc.res("lambda", "statement-mailer", runtime="python3.12", timeout=30, memory_size=256)
    sc.res("lambda", "fx-rates-sync", runtime="nodejs20.x", timeout=30, memory_size=256)
    sc.res("lambda", "kyc-webhook", runtime="nodejs20.x", timeout=15, memory_size=512, reserved_concurrency=20)
    retail = counts(rng, lambda t: 13 + 2 * wave(t, 7200))
    corp = {t: (pois(rng, 5.2) if t >= TB else 0) for t in MINUTES}
    oom1 = {t: binom(rng, corp[t], 0.82) for t in MINUTES}
    retr = {t: oom1.get(t - 720, 0) + oom1.get(t - 1440, 0) for t in MINUTES}
    inv = {t: retail[t] + corp[t] + retr[t] for t in MINUTES}
    err = {t: oom1[t] + retr[t] + pois(rng, 0.01) for t in MINUTES}
    dur = {t: (jit(rng, 3200, 0.06) * retail[t] + 27000 * (corp[t] - oom1[t]) + 19500 * (oom1[t] + retr[t]))
           / max(1, inv[t]) for t in MINUTES}
    lambda_metrics(sc, "statement-pdf", inv, err, dur, {t: pois(rng, 1 + inv[t] * dur[t] / 60000.0) + 1 for t in MINUTES})
    d = {"function_name": "statement-pdf"}
    sc.metric("LambdaInsights", "memory_utilization", d, "Percent",
              {t: (min(100.0, jit(rng, 97, 0.03)) if oom1[t] + retr[t] else jit(rng, 47, 0.08)) for t in MINUTES})
    sc.metric("LambdaInsights", "used_memory_max", d, "Megabytes",
              {t: (1024 if oom1[t] + retr[t] else int(jit(rng, 488, 0.06))) for t in MINUTES}, nd=0)
    sent = {t: retail[t] + corp[t] for t in MINUTES}
    vis = {t: (pois(rng, 4) if t < TB else int(pois(rng, 6) + 3.5 * ramp(t, TB, TB + 1500) * 40)) for t in MINUTES}
    sqs_metrics(sc, "statement-requests", vis, {t: (jit(rng, 35, 0.3) if t < TB + 720 else
                                                    min(1500.0, t - TB + rng.uniform(-30, 30))) for t in MINUTES},
                sent, {t: sent[t] - oom1[t] for t in MINUTES})
    minv = counts(rng, lambda t: 12.0)
    lambda_metrics(sc, "statement-mailer", minv, {t: pois(rng, 0.02) for t in MINUTES},
                   {t: jit(rng, 700, 0.1) for t in MINUTES}, {t: pois(rng, 1) + 1 for t in MINUTES})
    finv = {t: 1 for t in MINUTES}
    lambda_metrics(sc, "fx-rates-sync", finv, {t: 0 for t in MINUTES}, {t: jit(rng, 820, 0.1) for t in MINUTES}, finv)
    burst = lambda t: -2640 <= t <= -2280  # noqa: E731
    kinv = counts(rng, lambda t: 60 if burst(t) else 22)
    lambda_metrics(sc, "kyc-webhook", kinv, {t: 0 for t in MINUTES}, {t: jit(rng, 540, 0.1) for t in MINUTES},
                   {t: (20 if burst(t) else pois(rng, 8) + 1) for t in MINUTES},
                   {t: (pois(rng, 35) if burst(t) else 0) for t in MINUTES})

    heap = ["java.base/java.util.Arrays.copyOf(Unknown Source)",
            "java.base/java.io.ByteArrayOutputStream.ensureCapacity(Unknown Source)",
            "java.base/java.io.ByteArrayOutputStream.write(Unknown Source)",
            "org.apache.pdfbox.cos.COSStream.createOutputStream(COSStream.java:228)",
            "org.apache.pdfbox.pdmodel.PDPageContentStream.<init>(PDPageContentStream.java:233)",
            "com.banco.statements.render.TablePager.newPage(TablePager.java:71)",
            "com.banco.statements.render.PdfRenderer.render(PdfRenderer.java:88)",
            "com.banco.statements.StatementHandler.handleRequest(StatementHandler.java:61)",
            "com.banco.statements.StatementHandler.handleRequest(StatementHandler.java:27)"]
    fl = FnLog(sc, "statement-pdf", "java17", 1024, init=(2400, 3600))

    def make(t, r, kind):
        acct = "ACC-%07d" % rng.randint(1, 9_999_999)
        big = kind == "err" and t >= TB
        lines_n = rng.randint(24000, 61000) if big else rng.randint(40, 600)
        out = [java(sc, t + 0.01, r, "INFO", "c.b.s.StatementHandler",
                    "Rendering statement account=%s period=2026-05 segment=%s lines=%d" % (
                        acct, "CORPORATE" if big else "RETAIL", lines_n))]
        if rng.random() < 0.3:
            out.append(java(sc, t + 0.2, r, "WARN", "o.a.p.pdmodel.font.PDType1Font",
                            "Using fallback font LiberationSans for Helvetica"))
        if rng.random() < 0.04:
            out.append(java(sc, t + 0.3, r, "ERROR", "c.b.s.BrandingClient",
                            "Logo fetch failed for tenant %s (HTTP 404), using default logo" % hexs(rng, 6)))
        if big:
            dd = jit(rng, 19500, 0.15)
            for k in range(3):
                out.append(java(sc, t + dd / 1000 * (k + 1) / 4, r, "WARN", "c.b.s.render.TablePager",
                                "page %d rendered, heap used %d/%d MB" % ((k + 1) * 140, 610 + k * 110, 890)))
            if rng.random() < 0.35:
                out.append((t + dd / 1000 - 0.01, "RequestId: %s Error: Runtime exited with error: signal: killed\n"
                                                  "Runtime.ExitError" % r))
                return {"dur": dd, "mem": 1024, "lines": out, "status": "error", "err_type": "Runtime.ExitError"}
            out.append(java(sc, t + dd / 1000 - 0.02, r, "ERROR", "c.b.s.StatementHandler",
                            "Rendering failed account=%s lines=%d" % (acct, lines_n)))
            out.append((t + dd / 1000 - 0.01, "Java heap space: java.lang.OutOfMemoryError\n" +
                        java_trace("java.lang.OutOfMemoryError", "Java heap space", heap)))
            return {"dur": dd, "mem": rng.randint(1012, 1024), "lines": out, "kill_env": True}
        dd = jit(rng, 3200, 0.3)
        out.append(java(sc, t + dd / 1000 - 0.01, r, "INFO", "c.b.s.render.PdfRenderer",
                        "Rendered %d pages (%d lines) in %d ms -> s3://banco-statements-prod/2026-05/%s.pdf" % (
                            max(1, lines_n // 45), lines_n, dd - 40, acct)))
        return {"dur": dd, "mem": rng.randint(440, 540), "lines": out}
    drive(sc, fl, inv, err, 0.85, -8400, make, n_envs=lambda t: 4)
    simple_fn(sc, "statement-mailer", "python3.12", 256, minv, lambda t: jit(rng, 700, 0.1),
              lambda t, r, d: [py(sc, t + d / 1000, r, "INFO", "Statement e-mail queued via SES template=%s" % (
                  "stmt-v7" if t >= -2900 else "stmt-v6"))], start=-6000, frac=0.5)
    simple_fn(sc, "fx-rates-sync", "nodejs20.x", 256, finv, lambda t: jit(rng, 820, 0.1),
              lambda t, r, d: [node(sc, t + d / 1000, r, "INFO", "synced 18 BRL pairs from %s" % (
                  "ptax-v2" if t >= -4000 else "ptax"))], start=-6000)
    simple_fn(sc, "kyc-webhook", "nodejs20.x", 512, kinv, lambda t: jit(rng, 540, 0.1),
              lambda t, r, d: [node(sc, t + d / 1000, r, "INFO", "kyc callback processed status=%s" % rng.choice(
                  ["APPROVED", "APPROVED", "PENDING", "REJECTED"]))], start=-4800, frac=0.2)
    sc.lambda_change(-4000, "fx-rates-sync", "UpdateFunctionConfiguration20150331v2", "marina.costa")
    sc.lambda_change(-2900, "statement-mailer", "UpdateFunctionCode20150331v2", "codepipeline")
    sc.alarm("statement-pdf-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-pdf"}, "Sum", 60, 3, 2,
             after=TB - 60, desc="statement generation failures")
    sc.alarm("kyc-webhook-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "kyc-webhook"}, "Sum", 60, 2, 10,
             state="OK", state_changed=-2200)
    sc.expect = {"alarm": "statement-pdf-errors",
                 "root_cause": {"category": "memory_exhaustion", "resource": ["statement-pdf"]},
                 "anomalies": [{"namespace": "LambdaInsights", "name": "memory_utilization", "dimensions": d},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "statement-pdf"}}]}
    sc.meta = {"front": "origin", "decoys": [
        "statement-mailer deploy 8 min before onset", "fx-rates-sync env change ~1 h earlier",
        "kyc-webhook throttle burst (own alarm, back to OK) just before onset",
        "pre-existing ERROR 'Logo fetch failed' and WARN font fallback at a steady rate"],
        "story": "It is the first business day of June and from -2400 s the corporate segment's May statements enter "
                 "the queue: 24k-61k transaction lines each instead of the usual few hundred. statement-pdf (1024 MB, "
                 "no code or configuration change) renders them in memory; the heap climbs (`heap used 830/890 MB`) and "
                 "the invocation dies with `java.lang.OutOfMemoryError: Java heap space` or `Runtime exited with error: "
                 "signal: killed` with `Max Memory Used: 1024 MB`; Lambda Insights memory_utilization sits at ~100% on "
                 "those minutes and SQS redelivers the same messages every 12 minutes. The mailer deploy, the FX config "
                 "change and the kyc-webhook throttle burst are unrelated. Out-of-memory errors with memory at the "
                 "limit: memory_exhaustion on statement-pdf."}
    return sc


# =====================================================================================================
def s08() -> Scenario:
    sc = Scenario(8, "audit-backlog-pg-storage-full", "eu-north-1",
                  "Audit event queue backing up; audit-events backlog alarm.", "2026-02-17T09:45:00")
    rng = sc.rng
    T = -1500
    host = "audit-pg.cm3xa9l1d2qe.eu-north-1.rds.amazonaws.com"
    sc.res("lambda", "audit-ingest", runtime="python3.12", timeout=30, memory_size=512,
           event_source="SQS audit-events (batch 10)")
    sc.res("lambda", "audit-export", runtime="python3.12", timeout=300, memory_size=1024)
    sc.res("lambda", "thumbnail-gen", runtime="nodejs20.x", timeout=30, memory_size=1536, reserved_concurrency=2)
    sc.res("rds", "audit-pg", engine="postgres", engine_version="16.2", instance_class="db.t4g.large",
           max_connections=900, allocated_storage_gb=100, max_allocated_storage_gb=None, multi_az=False)
    sc.res("rds", "reports-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
           allocated_storage_gb=400)
    free = {t: (max(0.0, 9.4e9 - (t + 21600) * 4.68e5 + rng.gauss(0, 2e7)) if t < T else rng.uniform(0.6e8, 1.4e8))
            for t in MINUTES}
    rds_metrics(sc, "audit-pg", lambda t: jit(rng, 18, 0.1), lambda t: pois(rng, 34),
                free, lambda t: 3.1e9 + rng.gauss(0, 3e7), lambda t: jit(rng, 0.0009, 0.2),
                {t: jit(rng, 0.0021 if t < T else 0.0009, 0.2) for t in MINUTES},
                extra=[("TransactionLogsDiskUsage", "Bytes", {t: 51.7e9 + (t + 21600) * 4.66e5 if t < T else 61.1e9
                                                              for t in MINUTES}),
                       ("OldestReplicationSlotLag", "Bytes", {t: 51.2e9 + (t + 21600) * 4.66e5 if t < T else 60.6e9
                                                              for t in MINUTES}),
                       ("WriteIOPS", "Count/Second", {t: jit(rng, 240 if t < T else 12, 0.1) for t in MINUTES})])
    rds_metrics(sc, "reports-pg", lambda t: jit(rng, 88, 0.05) if -4020 <= t <= -3420 else jit(rng, 14, 0.1),
                lambda t: pois(rng, 12), lambda t: 260e9 - (t + 21600) * 3e3, lambda t: 12.4e9 + rng.gauss(0, 6e7),
                lambda t: jit(rng, 0.0011, 0.15), lambda t: jit(rng, 0.0017, 0.15))
    sent = counts(rng, lambda t: 410 + 60 * wave(t, 10800, 1))
    batches = {t: (sent[t] + 9) // 10 for t in MINUTES}
    failing = {t: t + 60 > T + 10 for t in MINUTES}
    inv = {t: batches[t] + (batches.get(t - 300, 0) if failing.get(t - 300) else 0) for t in MINUTES}
    err = {t: (inv[t] if failing[t] else pois(rng, 0.02)) for t in MINUTES}
    lambda_metrics(sc, "audit-ingest", inv, err, {t: jit(rng, 160 if not failing[t] else 45, 0.08) for t in MINUTES},
                   {t: pois(rng, 2.5) + 1 for t in MINUTES})
    vis, backlog = {}, 0
    for t in MINUTES:
        backlog = backlog + sent[t] if failing[t] else 0
        vis[t] = backlog + pois(rng, 25)
    sqs_metrics(sc, "audit-events", vis, {t: (t - T + rng.uniform(20, 50) if failing[t] else jit(rng, 14, 0.3))
                                          for t in MINUTES}, sent, {t: (0 if failing[t] else sent[t]) for t in MINUTES})
    xinv = counts(rng, lambda t: 0.5)
    lambda_metrics(sc, "audit-export", xinv, {t: 0 for t in MINUTES}, {t: jit(rng, 42000, 0.2) if xinv[t] else None
                                                                         for t in MINUTES}, xinv)
    tinv = counts(rng, lambda t: 7.0)
    lambda_metrics(sc, "thumbnail-gen", tinv, {t: 0 for t in MINUTES}, {t: jit(rng, 9000, 0.2) for t in MINUTES},
                   {t: 2 for t in MINUTES}, {t: pois(rng, 1.6) for t in MINUTES})

    frames = [("/var/task/handler.py", 48, "handler", "repo.insert_events(conn, rows)"),
              ("/var/task/audit/repo.py", 71, "insert_events", "cur.executemany(INSERT_SQL, rows)"),
              ("/var/task/psycopg/cursor.py", 761, "executemany", "raise ex.with_traceback(None)")]
    fl = FnLog(sc, "audit-ingest", "python3.12", 512, init=(380, 620))

    def make(t, r, kind):
        if kind == "err" and t >= T:
            dd = jit(rng, 45, 0.2)
            rel = rng.randint(33000, 33200)
            return {"dur": dd, "mem": rng.uniform(80, 86), "lines": [
                py(sc, t + 0.003, r, "INFO", "received 10 audit events (tenants=%d)" % rng.randint(2, 8)),
                py_unhandled(t + dd / 1000 - 0.002, "DiskFull", "could not extend file \"base/16401/%d.3\": No space "
                             "left on device\nHINT:  Check free disk space." % rel, frames)]}
        dd = jit(rng, 160, 0.25)
        lines = [py(sc, t + 0.003, r, "INFO", "received 10 audit events (tenants=%d)" % rng.randint(2, 8))]
        if rng.random() < 0.06:
            lines.append(py(sc, t + 0.02, r, "WARNING", "duplicate event id %s skipped" % hexs(rng, 20)))
        lines.append(py(sc, t + dd / 1000 - 0.002, r, "INFO", "inserted %d rows into audit.events" % rng.randint(8, 10)))
        return {"dur": dd, "mem": rng.uniform(82, 95), "lines": lines}
    drive(sc, fl, inv, err, 0.12, -8400, make, n_envs=lambda t: 3)
    simple_fn(sc, "audit-export", "python3.12", 1024, xinv, lambda t: jit(rng, 42000, 0.2),
              lambda t, r, d: [py(sc, t + 0.2, r, "INFO", "export window start (%s)" % (
                  "ae-1.9.0" if t >= -2000 else "ae-1.8.4")),
                  py(sc, t + d / 1000 - 0.1, r, "INFO", "exported %d events to s3://audit-archive-eun1/" %
                     rng.randint(20000, 30000))], start=-9000)
    simple_fn(sc, "thumbnail-gen", "nodejs20.x", 1536, tinv, lambda t: jit(rng, 9000, 0.2),
              lambda t, r, d: [node(sc, t + d / 1000, r, "INFO", "thumbnails written for %s.png" % hexs(rng, 12))],
              start=-5400, frac=0.4)
    ev = pg_background(sc, end=T, wal_kb=28000, user="audit_writer", db="audit", reset_rate=0.05)
    for t in MINUTES:
        if t >= T:
            for _ in range(rng.randint(8, 14)):
                tt = t + rng.uniform(0, 60)
                pid = rng.randint(9000, 32000)
                cl = "10.70.%d.%d(%d)" % (rng.randint(1, 3), rng.randint(10, 250), rng.randint(30000, 60000))
                ev.append(pg(sc, tt, "could not extend file \"base/16401/%d.3\": No space left on device" %
                             rng.randint(33000, 33200), level="ERROR", client=cl, user="audit_writer", db="audit",
                             pid=pid))
                ev.append(pg(sc, tt + 0.0001, "Check free disk space.", level="HINT", client=cl, user="audit_writer",
                             db="audit", pid=pid))
            if rng.random() < 0.3:
                ev.append(pg(sc, t + rng.uniform(0, 60), "could not write to file \"pg_wal/xlogtemp.%d\": No space "
                             "left on device" % rng.randint(400, 600), level="LOG", pid=rng.randint(400, 600)))
    sc.log("/aws/rds/instance/audit-pg/postgresql", "audit-pg.0", ev)
    sc.lambda_change(-2000, "audit-export", "UpdateFunctionCode20150331v2", "github-actions")
    sc.alarm("audit-events-backlog", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "audit-events"},
             "Maximum", 60, 5, 5000, after=T, desc="audit events not being consumed")
    sc.alarm("reports-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "reports-pg"}, "Average", 300, 1,
             80, state="OK", state_changed=-3300)
    sc.expect = {"alarm": "audit-events-backlog",
                 "root_cause": {"category": "storage_exhaustion", "resource": ["audit-pg"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": "audit-pg"}}]}
    sc.meta = {"front": "front (SQS backlog)", "decoys": [
        "audit-export deploy 8 min before onset (reads keep working)",
        "reports-pg CPU spike (own alarm, back to OK) ~1 h earlier",
        "thumbnail-gen steady throttles at reserved concurrency 2",
        "steady WARNING 'duplicate event id skipped' in audit-ingest"],
        "story": "audit-pg (100 GB, storage autoscaling off) has been losing ~1.7 GB/h of free space all morning: "
                 "TransactionLogsDiskUsage and OldestReplicationSlotLag grow in lockstep, i.e. WAL retained for a "
                 "replication slot nobody consumes. At -1500 s FreeStorageSpace reaches ~0; from then every insert "
                 "from audit-ingest fails with `DiskFull: could not extend file ... No space left on device` (Postgres "
                 "logs the same plus `could not write to file pg_wal/xlogtemp...`), SQS deletes stop and the backlog "
                 "alarm fires. The audit-export deploy, the reports-pg CPU spike and thumbnail-gen's throttles are "
                 "unrelated. Allocated storage full with 'No space left on device': storage_exhaustion on audit-pg."}
    return sc
