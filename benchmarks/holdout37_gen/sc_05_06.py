"""h37-05 (Lambda DB_HOST switched to the Aurora reader endpoint) and h37-06 (Multi-AZ failover with long crash recovery)."""
from __future__ import annotations

from .common import LOG_START, Scenario, sig
from .logs import LambdaLogs, every, node_invoke_error, times

WRITER_EP = "bookings-aurora.cluster-cq1w2e3r4t5y.eu-central-1.rds.amazonaws.com"
READER_EP = "bookings-aurora.cluster-ro-cq1w2e3r4t5y.eu-central-1.rds.amazonaws.com"
INSERT_SQL = ("INSERT INTO bookings (property_id, guest_id, check_in, check_out, rate_plan, total_minor, currency, status) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, 'CONFIRMED') RETURNING id")


def build_05() -> Scenario:
    s = Scenario(5, "bookings-5xx-lambda-db-endpoint",
                 "bookings-api 5XX alarm; new bookings cannot be created, browsing still works.",
                 "eu-central-1", seed=3705, anchor=(2026, 11, 22, 8, 50, 0), tz_hours=1)
    cluster, w, r = "bookings-aurora", "bookings-aurora-1", "bookings-aurora-2"
    for iid, role in ((w, "writer"), (r, "reader")):
        s.resource("rds", iid, engine="aurora-postgresql", engine_version="15.4", instance_class="db.r6g.large",
                   cluster_identifier=cluster, role=role, max_connections=1700)
    s.resource("lambda", "booking-create", runtime="nodejs20.x", timeout=15, memory_size=512,
               env={"DB_HOST": READER_EP, "DB_NAME": "bookings", "DB_POOL_MAX": "2"}, libs="pg 8.11.3")
    s.resource("lambda", "booking-read", runtime="nodejs20.x", timeout=10, memory_size=512,
               env={"DB_HOST": READER_EP, "DB_NAME": "bookings"})
    s.resource("lambda", "invoice-mailer", runtime="python3.12", timeout=60, memory_size=256)
    s.resource("apigateway", "bookings-api", stage="prod")

    t_cfg = -1980
    on = lambda t: sig(t, t_cfg + 15, 6)
    d = lambda t: s.diurnal(t, 0.3, 11.0)
    cr = {"FunctionName": "booking-create"}
    ci = lambda t: 34 * d(t)
    s.series("AWS/Lambda", "Invocations", cr, "Count", lambda t: s.cnt(ci(t)))
    s.series("AWS/Lambda", "Errors", cr, "Count", lambda t: s.cnt(0.05 + ci(t) * 0.97 * on(t)))
    s.series("AWS/Lambda", "Duration", cr, "Milliseconds", lambda t: s.n(125 - on(t) * 78, 0.1))
    s.series("AWS/Lambda", "ConcurrentExecutions", cr, "Count", lambda t: round(s.n(1.5, 0.3)))
    s.series("AWS/Lambda", "Throttles", cr, "Count", lambda t: 0)
    rd_ = {"FunctionName": "booking-read"}
    ri = lambda t: 260 * d(t)
    s.series("AWS/Lambda", "Invocations", rd_, "Count", lambda t: s.cnt(ri(t)))
    s.series("AWS/Lambda", "Errors", rd_, "Count", lambda t: s.cnt(0.1))
    s.series("AWS/Lambda", "Duration", rd_, "Milliseconds", lambda t: s.n(36, 0.1))
    api = {"ApiName": "bookings-api"}
    s.series("AWS/ApiGateway", "Count", api, "Count", lambda t: s.cnt(ci(t) + ri(t)))
    s.series("AWS/ApiGateway", "5XXError", api, "Count", lambda t: s.cnt(0.15 + ci(t) * 0.97 * on(t)))
    s.series("AWS/ApiGateway", "4XXError", api, "Count", lambda t: s.cnt(5 * d(t)))
    s.series("AWS/ApiGateway", "Latency", api, "Milliseconds", lambda t: s.n(58, 0.08))
    wd, rdd = {"DBInstanceIdentifier": w}, {"DBInstanceIdentifier": r}
    s.series("AWS/RDS", "CPUUtilization", wd, "Percent", lambda t: s.n(30 * d(t), 0.08) - on(t) * 5)
    s.series("AWS/RDS", "DatabaseConnections", wd, "Count", lambda t: round(s.n(47, 0.04) - on(t) * 17))
    s.series("AWS/RDS", "CommitThroughput", wd, "Count/Second", lambda t: s.n(14 * d(t), 0.1) * (1 - 0.45 * on(t)))
    s.series("AWS/RDS", "WriteIOPS", wd, "Count/Second", lambda t: s.n(520 * d(t), 0.1) * (1 - 0.35 * on(t)))
    s.series("AWS/RDS", "CPUUtilization", rdd, "Percent", lambda t: s.n(17 * d(t), 0.1) + on(t) * 1.5)
    s.series("AWS/RDS", "DatabaseConnections", rdd, "Count", lambda t: round(s.n(39, 0.05) + on(t) * 19))
    s.series("AWS/RDS", "AuroraReplicaLag", rdd, "Milliseconds",
             lambda t: s.n(12, 0.25) + 330 * (sig(t, -9000, 30) - sig(t, -8700, 30)))
    im = {"FunctionName": "invoice-mailer"}
    s.series("AWS/Lambda", "Invocations", im, "Count", lambda t: s.cnt(4))
    s.series("AWS/Lambda", "Errors", im, "Count", lambda t: 0)
    s.series("AWS/Lambda", "Duration", im, "Milliseconds", lambda t: s.n(1400, 0.15))

    cl = LambdaLogs(s, "booking-create", "nodejs20.x", 512)
    reset = False
    for t in times(s, LOG_START, 0, lambda t: ci(t) * 0.35):
        if t > t_cfg + 3 and not reset:
            cl.envs.clear()
            reset = True
        host = READER_EP if t > t_cfg + 3 else WRITER_EP
        cold = not cl.envs or s.chance(0.015)
        pre = [(0.001, "INFO", f"db pool configured host={host} database=bookings max=2 ssl=require")] if cold else []
        prop, guest = f"P-{s.rng.randint(1000, 1999)}", f"G-{s.hexs(8).upper()}"
        body = [(0.005, "INFO", f"create booking property={prop} guest={guest} nights={s.rng.randint(1, 9)}")]
        if t > t_cfg + 3:
            body.append((0.04, "ERROR", node_invoke_error(
                "error", "cannot execute INSERT in a read-only transaction",
                ["/var/task/node_modules/pg/lib/client.js:526:17",
                 "process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
                 "async insertBooking (/var/task/src/bookings/repository.js:44:19)",
                 "async Runtime.handler (/var/task/src/handler.js:23:20)"],
                {"length": 118, "name": "error", "severity": "ERROR", "code": "25006", "file": "utility.c",
                 "line": "283", "routine": "PreventCommandIfReadOnly"})))
            cl.invoke(t, s.n(47, 0.15), pre + body, s.rng.randint(88, 96), cold)
        else:
            ms = s.n(125, 0.15)
            body.append((ms / 1000 - 0.003, "INFO", f"booking created id=BK-{s.hexs(6).upper()} property={prop} status=CONFIRMED"))
            cl.invoke(t, ms, pre + body, s.rng.randint(88, 96), cold)
    rl = LambdaLogs(s, "booking-read", "nodejs20.x", 512)
    for t in times(s, LOG_START, 0, lambda t: 3):
        ms = s.n(36, 0.15)
        rl.invoke(t, ms, [(ms / 1000 - 0.002, "INFO", f"GET /properties/P-{s.rng.randint(1000, 1999)}/availability 200 rows={s.rng.randint(0, 40)}")],
                  s.rng.randint(80, 90), s.chance(0.01))
    ml = LambdaLogs(s, "invoice-mailer", "python3.12", 256)
    for t in times(s, LOG_START, 0, lambda t: 1.2):
        if t > -2690 and not getattr(ml, "_dep", False):
            ml.envs.clear()
            ml._dep = True
        ms = s.n(1400, 0.15)
        ml.invoke(t, ms, [(ms / 1000 - 0.01, "INFO", f"sent invoice INV-{s.rng.randint(100000, 999999)} via ses")], 77, s.chance(0.02))

    for inst in (w, r):
        g, st = f"/aws/rds/instance/{inst}/postgresql", f"{inst}.0"
        for t in times(s, LOG_START, 0, lambda t: 0.5):
            s.log(g, st, t, f"{s.pgts(t)}:{s.ip('10.8')}({s.rng.randint(30000, 60000)}):bookings_app@bookings:[{s.rng.randint(1000, 30000)}]:"
                  "LOG:  could not receive data from client: Connection reset by peer")
    g, st = f"/aws/rds/instance/{r}/postgresql", f"{r}.0"
    for t in times(s, t_cfg + 4, 0, lambda t: ci(t) * 0.3):
        pre = f"{s.pgts(t)}:{s.ip('10.8')}({s.rng.randint(30000, 60000)}):bookings_app@bookings:[{s.rng.randint(1000, 30000)}]:"
        s.log(g, st, t, pre + "ERROR:  cannot execute INSERT in a read-only transaction")
        s.log(g, st, t + 0.001, pre + f"STATEMENT:  {INSERT_SQL}")
    g = f"/aws/rds/instance/{w}/postgresql"
    for t in times(s, LOG_START, 0, lambda t: 0.06):
        s.log(g, f"{w}.0", t, f"{s.pgts(t)}::@:[{s.rng.randint(1000, 30000)}]:LOG:  automatic vacuum of table \"bookings.public.availability_cache\": "
              f"index scans: 1\n\tpages: 0 removed, {s.rng.randint(3000, 5000)} remain")

    s.change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "invoice-mailer", "gitlab-ci")
    s.change(t_cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "booking-create", "terraform-ci")
    s.alarm("bookings-api-5xx", "AWS/ApiGateway", "5XXError", api, "Sum", 60, 3, 5, "GreaterThanThreshold",
            "bookings-api server errors", after=-7200)
    s.expect("bookings-api-5xx", "config_change", ["booking-create"],
             [("AWS/ApiGateway", "5XXError", api), ("AWS/Lambda", "Errors", cr)])
    return s


def build_06() -> Scenario:
    s = Scenario(6, "claims-portal-5xx-pg-failover",
                 "claims-portal ALB 5XX alarm; adjusters cannot open claims.",
                 "us-east-1", seed=3706, anchor=(2026, 11, 23, 15, 10, 0), tz_hours=-5)
    lb = "app/claims-portal/4b7d2e9a1c6f3e80"
    hosts = [("i-0d41c7a9e2b56f803", "claims-web-1"), ("i-07a2e91f4c3b8d615", "claims-web-2"), ("i-0b6e3f18d27ac94c0", "claims-web-3")]
    s.resource("rds", "claims-pg", engine="postgres", engine_version="15.6", instance_class="db.r6i.2xlarge",
               max_connections=2000, allocated_storage_gb=1500, storage_type="io1", iops=12000, multi_az=True)
    for iid, name in hosts:
        s.resource("ec2", iid, name=name, instance_type="m6i.large", log_groups=["/claims/web/app"],
                   runtime=".NET 8 / EF Core 8 / Npgsql 8.0.3")
    s.resource("alb", lb, name="claims-portal")
    s.resource("lambda", "claims-ocr-ingest", runtime="python3.12", timeout=120, memory_size=2048)

    t_fail, t_up = -960, -125
    down = lambda t: t_fail <= t < t_up + 60
    out = lambda t: sig(t, t_fail + 10, 5) * (1 - sig(t, t_up + 40, 15))
    d = lambda t: s.diurnal(t, 0.25, 13.0)
    db = {"DBInstanceIdentifier": "claims-pg"}
    s.series("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: None if down(t) else s.n(29 * d(t), 0.08) + (31 if t > t_up else 0))
    s.series("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: None if down(t) else round(s.n(186, 0.03) + (60 if t > t_up else 0)))
    s.series("AWS/RDS", "WriteIOPS", db, "Count/Second", lambda t: None if down(t) else s.n(2400 * d(t), 0.1))
    s.series("AWS/RDS", "ReadIOPS", db, "Count/Second", lambda t: None if down(t) else s.n(1900 * d(t), 0.1))
    s.series("AWS/RDS", "WriteLatency", db, "Seconds", lambda t: None if down(t) else s.n(0.0011, 0.1), nd=5)
    s.series("AWS/RDS", "FreeableMemory", db, "Bytes", lambda t: None if down(t) else s.n(21.5e9, 0.01), nd=0)
    s.series("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: None if down(t) else 702.3e9 - (t + 21600) * 30000, nd=0)
    alb = {"LoadBalancer": lb}
    req = lambda t: 1400 * d(t)
    s.series("AWS/ApplicationELB", "RequestCount", alb, "Count", lambda t: s.cnt(req(t) * (1 - 0.15 * out(t))))
    s.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", lambda t: s.cnt(1.5 + req(t) * 0.62 * out(t)))
    s.series("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb, "Count", lambda t: s.cnt(0.2 + 6 * out(t)))
    s.series("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds", lambda t: s.n(0.12 + out(t) * 6.5, 0.1), nd=4)
    s.series("AWS/ApplicationELB", "HealthyHostCount", alb, "Count", lambda t: 3)
    s.series("AWS/ApplicationELB", "UnHealthyHostCount", alb, "Count", lambda t: 0)
    for iid, _ in hosts:
        s.series("AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent", lambda t: s.n(34 * d(t), 0.08) * (1 - 0.6 * out(t)), step=300)
        s.series("AWS/EC2", "NetworkIn", {"InstanceId": iid}, "Bytes", lambda t: s.n(5.2e7 * d(t), 0.1) * (1 - 0.5 * out(t)), step=300, nd=0)
        s.series("AWS/EC2", "StatusCheckFailed", {"InstanceId": iid}, "Count", lambda t: 0, step=300)
    oc = {"FunctionName": "claims-ocr-ingest"}
    s.series("AWS/Lambda", "Invocations", oc, "Count", lambda t: s.cnt(6))
    s.series("AWS/Lambda", "Errors", oc, "Count", lambda t: s.cnt(0.05))
    s.series("AWS/Lambda", "Duration", oc, "Milliseconds", lambda t: s.n(8200, 0.2))

    new_ip, old_ip = "10.40.22.141", "10.40.12.87"
    ep = "claims-pg.c1d2e3f4g5h6.us-east-1.rds.amazonaws.com"
    for iid, name in hosts:
        g = "/claims/web/app"

        def L(t, lvl, cat, msg):
            s.log(g, iid, t, f"{s.iso(t)} {lvl}: {cat} {msg}")
        for t in times(s, LOG_START, 0, lambda t: 6 * d(t)):
            cid = f"CLM-2026-{s.rng.randint(100000, 999999):08d}"
            path = s.pick([f"/api/claims/{cid}", f"/api/claims/{cid}/documents", "/api/queues/adjuster/mine", f"/api/claims/{cid}/notes"])
            if out(t) > 0.5 and s.chance(0.65):
                if t < t_fail + 40:
                    exc = ("Npgsql.NpgsqlException (0x80004005): Exception while reading from stream\n ---> System.IO.EndOfStreamException: "
                           "Attempted to read past the end of the stream.\n   at Npgsql.Internal.NpgsqlReadBuffer.<Ensure>g__EnsureLong|55_0(...)")
                elif t < -560 or s.chance(0.4):
                    exc = (f"Npgsql.NpgsqlException (0x80004005): Failed to connect to {old_ip if t < -780 else new_ip}:5432\n ---> "
                           "System.TimeoutException: Timeout during connection attempt\n   at Npgsql.Internal.NpgsqlConnector.Connect(NpgsqlTimeout timeout)\n"
                           "   at Npgsql.Internal.NpgsqlConnector.RawOpen(SslMode sslMode, NpgsqlTimeout timeout, Boolean async, CancellationToken cancellationToken)")
                else:
                    exc = ("Npgsql.PostgresException (0x80004005): 57P03: the database system is in recovery mode\n   at "
                           "Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, Boolean readingNotifications, Boolean isReadingPrependedMessage)")
                L(t, "warn", "Microsoft.EntityFrameworkCore.Infrastructure[10404]", f"A transient exception occurred during execution. The operation will be retried after {s.rng.randint(900, 4000)}ms.")
                L(t + 14.2, "fail", "Microsoft.EntityFrameworkCore.Database.Connection[20004]",
                  f"An error occurred using the connection to database 'claims' on server 'tcp://{ep}:5432'.")
                L(t + 14.3, "fail", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware[1]",
                  f"An unhandled exception has occurred while executing the request.\n{exc}\n   at Northstar.Claims.Data.ClaimRepository.GetAsync(String claimId) in /src/Claims.Data/ClaimRepository.cs:line 61")
                L(t + 14.31, "info", "Microsoft.AspNetCore.Hosting.Diagnostics[2]", f"Request finished HTTP/1.1 GET https://claims.northstar-ins.com{path} - 500 - application/problem+json {14300 + s.rng.random() * 400:.4f}ms")
            else:
                ms = s.n(95, 0.4)
                L(t, "info", "Microsoft.AspNetCore.Hosting.Diagnostics[2]", f"Request finished HTTP/1.1 GET https://claims.northstar-ins.com{path} - 200 {s.rng.randint(800, 40000)} application/json;+charset=utf-8 {ms:.4f}ms")
        for t in times(s, LOG_START, 0, lambda t: 0.5):
            L(t, "warn", "Microsoft.EntityFrameworkCore.Query[20504]", "Compiling a query which loads related collections for more than one collection "
              "navigation, either via 'Include' or through projection, but no 'QuerySplittingBehavior' has been configured. By default, Entity "
              "Framework will use 'QuerySplittingBehavior.SingleQuery', which can potentially result in slow query performance.")

    pg, st = "/aws/rds/instance/claims-pg/postgresql", "claims-pg.0"
    for t in every(LOG_START, t_fail, 300, 2, s):
        s.log(pg, st, t, f"{s.pgts(t)}::@:[498]:LOG:  checkpoint starting: time")
        if t + 270 < t_fail:
            s.log(pg, st, t + 270, f"{s.pgts(t + 270)}::@:[498]:LOG:  checkpoint complete: wrote {s.rng.randint(9000, 16000)} buffers "
                  f"({s.rng.uniform(1.0, 2.0):.1f}%); 0 WAL file(s) added, 0 removed, {s.rng.randint(20, 40)} recycled; write=269.9{s.rng.randint(10, 99)} s, sync=0.011 s, total=270.0{s.rng.randint(10, 99)} s")
    t = t_fail + 61
    for line in ("LOG:  starting PostgreSQL 15.6 on x86_64-pc-linux-gnu, compiled by x86_64-pc-linux-gnu-gcc (GCC) 7.3.1 20180712 (Red Hat 7.3.1-6), 64-bit",
                 "LOG:  listening on IPv4 address \"0.0.0.0\", port 5432",
                 f"LOG:  database system was interrupted; last known up at {s.pgts(t_fail - 212)}",
                 "LOG:  database system was not properly shut down; automatic recovery in progress",
                 "LOG:  redo starts at 1C4/9A0012F8"):
        s.log(pg, st, t, f"{s.pgts(t)}::@:[412]:{line}")
        t += 0.4
    lsn = 0x1C49A0012F8
    for t in every(t_fail + 72, t_up - 5, 10):
        lsn += s.rng.randint(18, 30) * 2 ** 20
        s.log(pg, st, t, f"{s.pgts(t)}::@:[412]:LOG:  redo in progress, elapsed time: {t - t_fail - 62:.2f} s, current LSN: {lsn >> 32:X}/{lsn & 0xFFFFFFFF:08X}")
    for t in times(s, t_fail + 65, t_up, lambda t: 8):
        s.log(pg, st, t, f"{s.pgts(t)}:10.40.{s.pick(['3', '4', '5'])}.{s.rng.randint(10, 250)}({s.rng.randint(30000, 60000)}):claims_app@claims:"
              f"[{s.rng.randint(500, 3000)}]:FATAL:  the database system is in recovery mode")
    for k, line in enumerate((f"LOG:  redo done at {lsn >> 32:X}/{lsn & 0xFFFFFFFF:08X} system usage: CPU: user: 301.22 s, system: 88.10 s, elapsed: {t_up - t_fail - 62:.2f} s",
                              "LOG:  checkpoint starting: end-of-recovery immediate wait",
                              "LOG:  database system is ready to accept connections")):
        s.log(pg, st, t_up + k * 3, f"{s.pgts(t_up + k * 3)}::@:[{412 if k < 2 else 398}]:{line}")

    ol = LambdaLogs(s, "claims-ocr-ingest", "python3.12", 2048)
    for t in times(s, LOG_START, 0, lambda t: 1.5):
        if t > -3990 and not getattr(ol, "_dep", False):
            ol.envs.clear()
            ol._dep = True
        ms = s.n(8200, 0.2)
        ol.invoke(t, ms, [(0.01, "INFO", f"textract job started s3://claims-intake/{s.hexs(12)}.pdf"),
                          (ms / 1000 - 0.01, "INFO", f"ocr stored pages={s.rng.randint(1, 14)} table=claims-ocr-results")], 611, s.chance(0.02))

    s.change(-11000, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "claims-web-prod", "jenkins-release")
    s.change(-4000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "claims-ocr-ingest", "jenkins-release")
    s.alarm("claims-portal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Sum", 60, 3, 25,
            "GreaterThanThreshold", "claims-portal target 5XX", after=-7200)
    s.expect("claims-portal-5xx", "dependency_failure", ["claims-pg"],
             [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb), ("AWS/RDS", "DatabaseConnections", db)])
    return s
