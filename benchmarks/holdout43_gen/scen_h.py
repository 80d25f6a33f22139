"""Scenarios 15 (bookings database down after a storage I/O fault) and 16 (thumbnail Lambda OOM)."""
import datetime as dt

from . import logs as L
from .bg import bg_ec2, bg_ecs, bg_lambda, bg_rds
from .common import Scenario, anomaly, bump, hexs, ramp, wave
from .res import alb, apigw, const, ecs, lambda_fn, rds
from .scen_a import LAMBDA_WARNING


# ====================================================================== 15
def s15():
    sc = Scenario(15, "travel-5xx-bookings-db-down", "ap-southeast-1",
                  "Travel site booking pages returning 5xx; reminders failing. Several alarms open.",
                  4315, dt.datetime(2026, 11, 25, 3, 30, 0))
    rng = sc.rng
    T_IO = -1500
    down = lambda t: 1.0 if t >= T_IO + 5 else 0.0
    restarts = [T_IO + 190 + 300 * i for i in range(5)]
    gap = lambda t: any(r - 60 <= t < r + 60 for r in restarts) or T_IO <= t < T_IO + 120
    db_ip = "10.40.3.18"
    host = "bookings-pg.c7rkq2x9sd1f.ap-southeast-1.rds.amazonaws.com"
    rds(sc, "bookings-pg", "postgres", "14.12", "db.r5.xlarge", 1000, 500,
        cpu=lambda t: None if (down(t) and gap(t)) else (27 * wave(t, 0.1) if not down(t) else 3.0),
        conn=lambda t: None if (down(t) and gap(t)) else (140 * wave(t, 0.05) if not down(t) else 0.0),
        free_gb=lambda t: None if (down(t) and gap(t)) else 218.0,
        rlat=lambda t: 0.0011 if not down(t) else 0.0, wlat=lambda t: 0.0019 if not down(t) else 0.0,
        queue=lambda t: 0.5 if not down(t) else 0.0, multi_az=False, storage_type="gp2")
    g, s = "/aws/rds/instance/bookings-pg/postgresql", "bookings-pg.0"
    pg = lambda t, pid, lvl, msg: L.pg(sc, t, None, "", pid, lvl, msg)

    def ckpt(t):
        if down(t):
            return None
        return pg(t, 501, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, 2 recycled; "
                  "write=%.3f s, sync=0.004 s, total=%.3f s" % (rng.randint(900, 3000), rng.uniform(0.8, 2.4), rng.uniform(80, 260), rng.uniform(80, 260)))
    L.periodic(sc, g, s, -21600, 0, 300, ckpt)
    seq = [(0, 21877, "ERROR", 'could not read block 48213 in file "base/16401/41877": Input/output error'),
           (2, 501, "PANIC", 'could not fsync file "base/16401/41877": Input/output error'),
           (3, 1, "LOG", "checkpointer process (PID 501) was terminated by signal 6: Aborted"),
           (3.1, 1, "LOG", "terminating any other active server processes"),
           (4, 1, "LOG", "all server processes terminated; reinitializing"),
           (6, 30112, "LOG", "database system was interrupted; last known up at %s" % sc.pgts(T_IO - 140)),
           (6.2, 30112, "LOG", "database system was not properly shut down; automatic recovery in progress"),
           (6.5, 30112, "LOG", "redo starts at 2F1/6A0013C8"),
           (71, 30112, "FATAL", 'could not read block 48213 in file "base/16401/41877": Input/output error'),
           (71.2, 30112, "CONTEXT", "WAL redo at 2F1/6B2209A0 for Heap/HOT_UPDATE: off 14 xmax 88123311 flags 0x10 ; new off 22"),
           (72, 1, "LOG", "startup process (PID 30112) exited with exit code 1"),
           (72.1, 1, "LOG", "aborting startup due to startup process failure"),
           (72.5, 1, "LOG", "database system is shut down")]
    for dtt, pid, lvl, msg in seq:
        sc.ev(g, s, T_IO + dtt, pg(T_IO + dtt, pid, lvl, msg))
    for r in restarts:
        pid = rng.randint(1000, 9000)
        for dtt, lvl, msg in [(0, "LOG", "starting PostgreSQL 14.12 on aarch64-unknown-linux-gnu, compiled by aarch64-unknown-linux-gnu-gcc (GCC) 7.3.1 20180712 (Red Hat 7.3.1-6), 64-bit"),
                              (0.4, "LOG", "listening on IPv4 address \"0.0.0.0\", port 5432"),
                              (0.9, "LOG", "database system was interrupted while in recovery at %s" % sc.pgts(r - 230)),
                              (1.0, "HINT", "This probably means that some data is corrupted and you will have to use the last backup for recovery."),
                              (1.3, "LOG", "redo starts at 2F1/6A0013C8"),
                              (58, "FATAL", 'could not read block 48213 in file "base/16401/41877": Input/output error'),
                              (58.5, "LOG", "startup process (PID %d) exited with exit code 1" % pid),
                              (58.6, "LOG", "aborting startup due to startup process failure"),
                              (59, "LOG", "database system is shut down")]:
            if r + dtt < -1:
                sc.ev(g, s, r + dtt, pg(r + dtt, pid, lvl, msg))
        for k in range(rng.randint(2, 4)):
            tt = r + rng.uniform(5, 50)
            if tt < -1:
                sc.ev(g, s, tt, L.pg(sc, tt, "10.40.%d.%d" % (rng.randint(8, 12), rng.randint(2, 250)), "booking@bookings",
                                     rng.randint(1000, 9000), "FATAL", "the database system is starting up"))

    book_rate = lambda t: 380 * wave(t, 0.1, phase=0.05)
    a = alb(sc, "travel-alb", req=lambda t: book_rate(t) + 520, rt=lambda t: 0.11 + 0.35 * down(t),
            t5=lambda t: 0.4 + book_rate(t) * 0.92 * down(t), healthy=const(10),
            target_groups=["tg-booking-api", "tg-search-api", "tg-content-api"])
    ecs(sc, "travel-prod", "booking-api", cpu=lambda t: 29 * wave(t, 0.1) - 12 * down(t), mem=const(44), tasks=const(4),
        target_group="tg-booking-api", database=host)
    grp = "/ecs/booking-api"
    tids = L.task_ids(sc, 3)

    def bline(t):
        if not down(t):
            return L.gojson(sc, t, "info", "api/bookings.go:118", "request served", method=rng.choice(["GET", "POST"]),
                            path=rng.choice(["/v1/bookings/BK%d" % rng.randint(100000, 999999), "/v1/bookings", "/v1/bookings/BK%d/itinerary" % rng.randint(100000, 999999)]),
                            status=200, dur_ms=rng.randint(8, 120))
        if any(r <= t < r + 58 for r in restarts) and rng.random() < 0.5:
            err = "FATAL: the database system is starting up (SQLSTATE 57P03)"
        else:
            err = "failed to connect to `host=%s user=booking database=bookings`: dial error (dial tcp %s:5432: connect: connection refused)" % (host, db_ip)
        return L.gojson(sc, t, "error", "store/pg.go:64", "db query failed", path="/v1/bookings/BK%d" % rng.randint(100000, 999999),
                        status=503, error=err)
    for tid in tids:
        L.stream(sc, grp, "booking-api/booking-api/%s" % tid, -10800, 0, lambda t: 2.5, bline)

    lambda_fn(sc, "booking-reminders", "python3.12", 30, 512, const(12), lambda t: 240 - 180 * down(t), err=lambda t: 0.97 * down(t))
    lg = L.LambdaLog(sc, "booking-reminders", "python3.12", 512, 30, pools=[(-10 ** 9, "$LATEST", 3)])

    def rh(t):
        bad = down(t) and rng.random() < 0.97
        d = rng.gauss(60, 10) if bad else rng.gauss(240, 40)
        bk = "BK%d" % rng.randint(100000, 999999)

        def lines(t0, r):
            if bad:
                return [(d / 1000 - 0.003, LAMBDA_WARNING),
                        (d / 1000 - 0.002, '[ERROR] OperationalError: connection to server at "%s" (%s), port 5432 failed: Connection refused\n'
                                           '\tIs the server running on that host and accepting TCP/IP connections?\n\nTraceback (most recent call last):\n'
                                           '  File "/var/task/reminders/handler.py", line 29, in handler\n    conn = psycopg2.connect(DSN, connect_timeout=5)' % (host, db_ip))]
            return [(d / 1000 - 0.005, L.py(sc, t0 + d / 1000, r, "INFO", "Reminder queued for booking %s (departure in 48h)" % bk))]
        return lines, max(15, d), "ok"
    lg.run(-10800, 0, lambda t: 2.5, rh)
    bg_ecs(sc, "travel-prod", "search-api", "go", cpu=lambda t: 35 * wave(t, 0.1), mem=const(52),
           tasks=lambda t: 4 + 4 * bump(t, -2150, -1950, 60, 60), desired=const(4),
           msgs=[("INFO", "search/flights.go:201", "flight search served results={n} dur_ms={ms}")], per_min=2.0,
           target_group="tg-search-api", task_definition="search-api:133")
    bg_ecs(sc, "travel-prod", "content-api", "node", cpu=const(18), mem=const(39), tasks=const(2),
           msgs=[("INFO", "content", "request completed")], per_min=1.0, target_group="tg-content-api")
    bg_rds(sc, "loyalty-mysql", "mysql", "8.0.36", "db.r6g.large", 1000, 300, cpu=lambda t: 22 * wave(t, 0.1), conn=const(60), dbname="loyalty")
    bg_lambda(sc, "hotel-content-import", "python3.12", const(0.5), const(52000), ["Imported {big} hotel descriptions from supplier feed"],
              timeout=120, memory=2048, log_rate=lambda t: 0.5)
    bg_lambda(sc, "fx-quote", "nodejs20.x", lambda t: 50 * wave(t, 0.1), const(40), ["quote SGD->{hex} cached"])
    bg_lambda(sc, "itinerary-pdf", "java21", const(6), const(1900), ["Rendered itinerary PDF for BK{id6}"], logger="c.t.itinerary.PdfHandler")
    apigw(sc, "partner-availability-api", count=lambda t: 90 * wave(t, 0.1), lat=const(160), integration="http:travel-alb")
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "gds-connector-1", "m6i.large", cpu=lambda t: 24 * wave(t, 0.1))
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "bastion-travel", "t3.micro", cpu=const(1.0))

    sc.change(-3900, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "loyalty-mysql", "terraform-ci")
    sc.change(-2210, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "search-api:133", "argo-deployer")
    sc.change(-2200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "travel-prod/search-api", "argo-deployer")
    sc.change(-900, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "fx-quote", "w.tan")

    sc.alarm("travel-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": a["id"]}, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "ALARM", "Travel ALB target 5xx")
    sc.alarm("booking-reminders-errors", "AWS/Lambda", "Errors", {"FunctionName": "booking-reminders"}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("hotel-content-import-duration", "AWS/Lambda", "Duration", {"FunctionName": "hotel-content-import"}, "Average", 300, 3, 45000,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("bookings-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "bookings-pg"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.alarm("loyalty-mysql-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "loyalty-mysql"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.set_expect("travel-alb-target-5xx", "dependency_failure", ["bookings-pg"],
                  [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", LoadBalancer=a["id"]),
                   anomaly("AWS/RDS", "DatabaseConnections", DBInstanceIdentifier="bookings-pg")])
    sc.meta = dict(alarm_on="front (ALB)", decoys=[
        "search-api deploy 12 min before onset (clean)", "loyalty-mysql ModifyDBInstance", "fx-quote config change",
        "hotel-content-import Duration alarm open for hours", "bookings-pg CPU alarm stays OK (CPU drops)"],
        story=("bookings-pg (single-AZ) hit a storage read/fsync Input/output error 25 min ago: PostgreSQL PANICs, restarts "
               "crash recovery, fails on the same unreadable block and shuts down; RDS restarts it every ~5 min and each "
               "attempt fails the same way ('database system was interrupted while in recovery'). DatabaseConnections drops "
               "to 0, metrics have gaps, and FreeStorageSpace is a healthy 218 GB (not a capacity problem). booking-api "
               "(Go/pgx) gets 'connect: connection refused' or 'the database system is starting up' and returns 503s, so "
               "the ALB's target 5xx jumps; booking-reminders fails with psycopg2 'Connection refused'. search-api "
               "(deployed 12 min before) and other targets stay healthy. Callers fine, database unavailable but not "
               "exhausted: dependency_failure on bookings-pg, alarm on the front door."))
    return sc


# ====================================================================== 16
def s16():
    sc = Scenario(16, "media-api-5xx-thumbnail-oom", "sa-east-1",
                  "Photo uploads failing in the app (5xx from media API); multiple alarms open.",
                  4316, dt.datetime(2026, 11, 26, 18, 10, 0))
    rng = sc.rng
    T0 = -2000
    big = lambda t: 0.36 * ramp(t, T0, T0 + 600)       # share of uploads that are 48 MP originals
    rate = lambda t: 110 * wave(t, 0.1, phase=0.8)
    api = apigw(sc, "media-api", count=lambda t: rate(t) + 150, lat=lambda t: 900 + 1500 * big(t),
                e5=lambda t: 0.2 + rate(t) * big(t), integrations="lambda:thumbnail-generator, lambda:upload-init, lambda:media-meta")
    lambda_fn(sc, "thumbnail-generator", "python3.12", 30, 1024, rate, lambda t: 820 + 3200 * big(t), err=big,
              insights=lambda t: 44 + 56 * min(1.0, big(t) * 8), layers="Pillow 10.4 + pillow-heif 0.18")
    lg = L.LambdaLog(sc, "thumbnail-generator", "python3.12", 1024, 30, pools=[(-10 ** 9, "$LATEST", 6)], mem_used=(430, 50))

    def h(t):
        oom = rng.random() < big(t)
        if oom:
            mp, dims_, size, cli = 48.0, "6048x8064", rng.uniform(18, 26), "ios/7.4.0"
            d = rng.gauss(4100, 600)
        else:
            mp, dims_, size, cli = 12.2, "3024x4032", rng.uniform(2.5, 5.5), rng.choice(["ios/7.3.2", "ios/7.4.0", "android/7.3.9"])
            d = rng.gauss(820, 120)
        key = "u/%s/%s.heic" % (hexs(rng, 8), hexs(rng, 12))

        def lines(t0, r):
            out = [(0.01, L.py(sc, t0 + 0.01, r, "INFO", "Processing upload s3://media-uploads-prod/%s (%.1f MP, %s, %.1f MiB) client=%s"
                               % (key, mp, dims_, size, cli)))]
            if oom:
                out.append((1.2, L.py(sc, t0 + 1.2, r, "INFO", "Decoded HEIC %s -> RGB buffer %d MiB" % (dims_, int(6048 * 8064 * 3 / 1048576)))))
            else:
                out.append((d / 1000 - 0.02, L.py(sc, t0 + d / 1000, r, "INFO", "Wrote thumbnails 160/480/1080 for %s" % key)))
            return out
        if oom:
            return lines, d, "oom", 1024
        return lines, max(100, d), "ok"
    lg.run(-10800, 0, lambda t: 4.0, h)
    ga = "API-Gateway-Execution-Logs_%s/prod" % api["api_id"]
    L.stream(sc, ga, "%s-prod" % hexs(rng, 10), -10800, 0, lambda t: 1.0 + 3.0 * big(t),
             lambda t: ("(%s) Lambda execution failed with status 200 due to customer function error: RequestId: %s Error: Runtime "
                        "exited with error: signal: killed. Lambda request id: %s" % (L.rid(rng), L.rid(rng), L.rid(rng)))
             if rng.random() < big(t) / 0.36 * 0.7 else "(%s) Method completed with status: 200" % L.rid(rng))
    bg_lambda(sc, "upload-init", "python3.12", lambda t: 110 * wave(t, 0.1, phase=0.8), const(45), ["Presigned upload URL issued for user u_{hex}"])
    bg_lambda(sc, "media-meta", "nodejs20.x", const(40), const(30), ["metadata fetched for media m_{hex}"])
    bg_lambda(sc, "video-transcode-submit", "python3.12", const(6), const(400), ["Submitted MediaConvert job {id6}-{hex}"],
              pools=[(-10 ** 9, "$LATEST", 2), (-2280, "$LATEST", 2)])
    bg_ecs(sc, "feed-prod", "feed-ranker", "spring", cpu=lambda t: 41 * wave(t, 0.1), mem=const(68),
           tasks=lambda t: 4 + 4 * bump(t, -1390, -1180, 60, 60), desired=const(4),
           msgs=[("INFO", "c.m.feed.RankController", "GET /feed/u_{hex} -> 200 ({ms} ms)")], per_min=2.0,
           target_group="tg-feed-ranker", task_definition="feed-ranker:301")
    bg_ecs(sc, "feed-prod", "media-origin", "go", cpu=const(23), mem=const(35), tasks=const(3),
           msgs=[("INFO", "origin/serve.go:40", "served thumbnail bytes={big} cache=MISS")], per_min=1.5, target_group="tg-media-origin")
    alb(sc, "media-origin-alb", req=lambda t: 700 * wave(t, 0.1), rt=const(0.03), target_groups=["tg-feed-ranker", "tg-media-origin"], healthy=const(7))
    bg_rds(sc, "media-pg", "postgres", "16.4", "db.r6g.large", 900, 400, cpu=lambda t: 24 * wave(t, 0.1), conn=const(95),
           tables=("media", "albums"), dbname="media")
    cdn = "i-0%s" % hexs(rng, 16)
    bg_ec2(sc, cdn, "cdn-log-shipper-1", "t3.large", cpu=const(14), disk=lambda t: 86.2 + (t + 21600) / 21600.0 * 1.1)
    for n in (1, 2):
        bg_ec2(sc, "i-0%s" % hexs(rng, 16), "ffmpeg-worker-%d" % n, "c6i.2xlarge", cpu=lambda t: 52 * wave(t, 0.12))

    sc.change(-4600, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "media-api", "api-platform-ci")
    sc.change(-2300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "video-transcode-submit", "github-actions-deploy")
    sc.change(-1400, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "feed-ranker:301", "github-actions-deploy")
    sc.change(-1390, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "feed-prod/feed-ranker", "github-actions-deploy")
    sc.change(-800, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "media-pg", "terraform-ci")

    sc.alarm("media-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "media-api"}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "ALARM", "Media API 5xx")
    sc.alarm("thumbnail-generator-errors", "AWS/Lambda", "Errors", {"FunctionName": "thumbnail-generator"}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("cdn-log-shipper-1-disk-high", "CWAgent", "disk_used_percent", {"InstanceId": cdn, "path": "/", "fstype": "xfs"},
             "Average", 300, 1, 85, "GreaterThanThreshold", "ALARM")
    sc.alarm("media-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "media-pg"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.alarm("video-transcode-submit-errors", "AWS/Lambda", "Errors", {"FunctionName": "video-transcode-submit"}, "Sum", 300, 1, 3,
             "GreaterThanThreshold", "OK")
    sc.set_expect("media-api-5xx", "memory_exhaustion", ["thumbnail-generator"],
                  [anomaly("AWS/ApiGateway", "5XXError", ApiName="media-api"),
                   anomaly("LambdaInsights", "memory_utilization", function_name="thumbnail-generator")])
    sc.meta = dict(alarm_on="front (API Gateway)", decoys=[
        "video-transcode-submit deploy 38 min ago (clean)", "feed-ranker ECS deploy", "media-pg ModifyDBInstance",
        "media-api stage update 77 min ago", "cdn-log-shipper-1 disk alarm open for days"],
        story=("From ~33 min ago the iOS app 7.4.0 uploads full-resolution 48 MP HEIC originals (6048x8064, ~20 MiB) "
               "instead of 12 MP ones. thumbnail-generator (1024 MB) decodes each into a ~140 MiB RGB buffer plus Pillow "
               "working copies; for those uploads REPORT shows Max Memory Used: 1024 MB, 'Status: error Error Type: "
               "Runtime.OutOfMemory' and 'Runtime exited with error: signal: killed', and Lambda Insights "
               "memory_utilization is pinned at 100 %. 12 MP uploads still succeed. API Gateway logs the killed runtime "
               "as customer function errors, hence media-api 5xx. Nothing changed on the function or its API in the "
               "window (stage update 77 min ago, other deploys elsewhere). Out-of-memory kills with memory at the limit: "
               "memory_exhaustion on thumbnail-generator, alarm on the API front door."))
    return sc
