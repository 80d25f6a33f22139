"""Scenarios 07 (JVM heap exhausted on an ECS service) and 08 (RDS storage full)."""
import datetime as dt

from . import logs as L
from .bg import bg_ec2, bg_ecs, bg_lambda, bg_rds
from .common import Scenario, anomaly, bump, hexs, ramp, wave
from .res import GB, alb, apigw, const, ecs, lambda_fn, rds
from .scen_a import LAMBDA_WARNING

OOM = ('Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Handler dispatch '
       'failed: java.lang.OutOfMemoryError: Java heap space] with root cause\n\njava.lang.OutOfMemoryError: Java heap space\n'
       '\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n'
       '\tat java.base/java.lang.AbstractStringBuilder.ensureCapacityInternal(AbstractStringBuilder.java:228)\n'
       '\tat com.fasterxml.jackson.core.util.TextBuffer.contentsAsString(TextBuffer.java:489)\n'
       '\tat com.acme.members.profile.ProfileCache.load(ProfileCache.java:73)\n'
       '\tat com.acme.members.profile.ProfileController.get(ProfileController.java:41)')


# ====================================================================== 07
def s07():
    sc = Scenario(7, "profile-svc-memory-heap", "eu-west-2",
                  "Member profile service memory alarm; app users see intermittent errors loading their profile.",
                  4307, dt.datetime(2026, 11, 17, 21, 15, 0))
    rng = sc.rng
    memf = lambda t: min(97.6, 55 + 42 * ramp(t, -21600, -2900))   # heap filling, then fully committed
    sick = lambda t: ramp(t, -2700, -2100)                           # GC thrash / OOM in request threads
    prof_rate = lambda t: 820 * wave(t, 0.08, phase=0.7)
    a = alb(sc, "members-alb", req=lambda t: prof_rate(t) + 640, rt=lambda t: 0.06 + 0.9 * sick(t),
            t5=lambda t: 0.5 + 26 * sick(t), healthy=const(10), target_groups=["tg-profile-svc", "tg-preferences-svc", "tg-auth-svc"])
    ecs(sc, "members-prod", "profile-svc", cpu=lambda t: 31 * wave(t, 0.08) + 45 * sick(t), mem=memf, tasks=const(4),
        target_group="tg-profile-svc", task_definition="profile-svc:73", task_memory_mib=4096, java_opts="-Xms1g -Xmx3584m",
        image_tag="2026.11.14-73")
    g = "/ecs/profile-svc"
    tids = L.task_ids(sc, 3)
    gcn = [18000, 18100, 18200]
    cache = [1210000, 1190000, 1230000]

    def mk(i):
        s = "profile-svc/profile-svc/%s" % tids[i]

        def line(t):
            x = sick(t)
            heap = memf(t) / 100.0 * 4096 * 0.93
            r = rng.random()
            if r < 0.12:
                gcn[i] += rng.randint(20, 40)
                if x > 0.3 and rng.random() < 0.6:
                    return "[%s][gc] GC(%d) Pause Full (G1 Compaction Pause) %dM->%dM(3584M) %.3fms" % (
                        sc.at(t).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000", gcn[i], 3580 - rng.randint(0, 6),
                        3560 - rng.randint(0, 20), rng.uniform(1900, 3400))
                return "[%s][gc] GC(%d) Pause Young (Normal) (G1 Evacuation Pause) %dM->%dM(3584M) %.3fms" % (
                    sc.at(t).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000", gcn[i], min(3580, heap + 180), min(3560, heap),
                    rng.uniform(18, 60) * (1 + 4 * x))
            if r < 0.16:
                cache[i] += rng.randint(5000, 9000)
                return L.spring(sc, t, "INFO", "profile-svc", "cache-stats", "c.a.members.profile.ProfileCache",
                                "profile cache size=%d entries, evictions=0, est. retained=%d MB" % (cache[i], cache[i] // 620))
            if x and rng.random() < 0.35 * x:
                tt = t + 0.001
                sc.ev(g, s, tt, L.spring(sc, tt, "ERROR", "profile-svc", "http-nio-8080-exec-%d" % rng.randint(1, 60),
                                         "o.a.c.c.C.[.[.[/].[dispatcherServlet]", OOM))
                return None
            if x and rng.random() < 0.1 * x:
                return L.spring(sc, t, "WARN", "profile-svc", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=%ds%dms)."
                                % (rng.randint(3, 9), rng.randint(0, 999)))
            return L.spring(sc, t, "INFO", "profile-svc", "http-nio-8080-exec-%d" % rng.randint(1, 60),
                            "c.a.members.web.AccessLog", "GET /v1/profiles/mbr_%s -> 200 (%d ms)"
                            % (hexs(rng, 8), rng.randint(5, 60) + int(900 * x * rng.random())))
        return s, line
    for i in range(3):
        s, line = mk(i)
        L.stream(sc, g, s, -10800, 0, lambda t: 2.5, line)

    bg_ecs(sc, "members-prod", "preferences-svc", "node", cpu=const(22), mem=const(48),
           tasks=lambda t: 3 + 3 * bump(t, -1680, -1480, 60, 60), desired=const(3),
           msgs=[("INFO", "prefs", "request completed"), ("INFO", "prefs", "preferences saved")],
           per_min=2.0, target_group="tg-preferences-svc", task_definition="preferences-svc:140")
    bg_ecs(sc, "members-prod", "auth-svc", "dotnet", cpu=lambda t: 26 * wave(t, 0.08), mem=const(39), tasks=const(3),
           msgs=[("INFO", "Microsoft.AspNetCore.Hosting.Diagnostics", "Request finished HTTP/1.1 POST http://auth-svc/connect/token - 200 - application/json {ms}.{n}ms"),
                 ("INFO", "Acme.Auth.TokenService", "Issued access token for client members-app (sub=mbr_{hex})")],
           per_min=2.0, target_group="tg-auth-svc")
    bg_rds(sc, "members-pg", "postgres", "16.4", "db.r6g.xlarge", 1200, 400, cpu=lambda t: 23 * wave(t, 0.08), conn=const(110),
           tables=("members", "profiles", "preferences"), dbname="members")
    bg_lambda(sc, "email-prefs-sync", "python3.12", const(6), const(1400), ["Synced preferences for {n} members to ESP"],
              err=const(0.4), err_msgs=["ESP API rejected batch: HTTP 422 {\"error\":\"invalid_list_id\",\"list\":\"newsletter-fr\"}"],
              timeout=60)
    bg_lambda(sc, "avatar-resize", "nodejs20.x", lambda t: 12 * wave(t, 0.1), const(700), ["resized avatar {hex}.png to 3 sizes"])
    bg_lambda(sc, "gdpr-export", "python3.12", const(0.3), const(30000), ["Built data export for member mbr_{hex} ({big} records)"],
              timeout=300, memory=2048, log_rate=lambda t: 0.3)
    bg_lambda(sc, "loyalty-points-calc", "java21", lambda t: 18 * wave(t, 0.1), const(120), ["Awarded {n} points to mbr_{hex}"],
              logger="c.a.loyalty.PointsHandler")
    apigw(sc, "members-partner-api", count=lambda t: 35 * wave(t, 0.1), lat=const(90), integration="lambda:loyalty-points-calc")
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "redis-sessions-1", "r6g.large", cpu=lambda t: 14 * wave(t, 0.1), mem=const(61))
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "bastion-members", "t3.micro", cpu=const(1.5))

    sc.change(-5600, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", "redis-sessions-1", "cost-allocation-bot")
    sc.change(-3600, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "email-prefs-sync", "l.martin")
    sc.change(-1690, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "preferences-svc:140", "circleci-deploy")
    sc.change(-1680, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "members-prod/preferences-svc", "circleci-deploy")
    sc.change(-900, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "members-pg", "terraform-ci")

    dims = {"ClusterName": "members-prod", "ServiceName": "profile-svc"}
    sc.alarm("profile-svc-memory-high", "AWS/ECS", "MemoryUtilization", dims, "Average", 60, 5, 92,
             "GreaterThanThreshold", "ALARM", "profile-svc memory above 92%")
    sc.alarm("members-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": a["id"]}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("email-prefs-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "email-prefs-sync"}, "Sum", 900, 1, 5,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("members-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "members-pg"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.alarm("preferences-svc-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "members-prod", "ServiceName": "preferences-svc"},
             "Average", 300, 3, 80, "GreaterThanThreshold", "OK")
    sc.set_expect("profile-svc-memory-high", "memory_exhaustion", ["members-prod/profile-svc", "profile-svc"],
                  [anomaly("AWS/ECS", "MemoryUtilization", **dims)])
    sc.meta = dict(alarm_on="origin (ECS service)", decoys=[
        "preferences-svc deploy 28 min ago (clean, on the same ALB)", "members-pg ModifyDBInstance", "email-prefs-sync config change and its long-open Errors alarm",
        "CreateTags on redis-sessions-1"],
        story=("profile-svc has not been deployed in the window (image 2026.11.14-73). Its MemoryUtilization climbs "
               "steadily for hours while the ProfileCache reports more and more entries with zero evictions; it crosses "
               "the 92 % alarm line ~70 min ago and plateaus near 97 % ~48 min ago, when the 3.5 GB heap is full: G1 Full "
               "GCs reclaim almost nothing (3.58 GB -> 3.56 GB, 2-3 s pauses), "
               "Hikari reports thread starvation, and request threads throw java.lang.OutOfMemoryError: Java heap space. "
               "ALB 5xx and latency follow. preferences-svc's deploy comes 20 min after the memory alarm and that service "
               "stays clean; the email-prefs-sync errors are a constant 422 from its ESP. Memory at the limit with OOM "
               "errors and no change: memory_exhaustion on profile-svc, alarm on the origin."))
    return sc


# ====================================================================== 08
def s08():
    sc = Scenario(8, "orders-api-5xx-db-storage-full", "ca-central-1",
                  "Order submission failing with 5xx from the orders API; several alarms open.",
                  4308, dt.datetime(2026, 11, 18, 17, 45, 0))
    rng = sc.rng
    T_FULL = -2460
    full = lambda t: 1.0 if t >= T_FULL else 0.0
    free = lambda t: max(0.0, 21.5 * (T_FULL - t) / (T_FULL + 21600.0))   # GiB, linear drain to zero
    create_rate = lambda t: 48 * wave(t, 0.12, phase=0.75)
    out = rds(sc, "orders-pg", "postgres", "15.8", "db.m6g.xlarge", 1600, 200, cpu=lambda t: 28 * wave(t, 0.08) - 6 * full(t),
              conn=lambda t: 92 + 6 * full(t), free_gb=lambda t: free(t) + (0.08 if not full(t) else 0.0),
              wlat=lambda t: 0.0024, storage_autoscaling="disabled", parameter_group="orders-pg15")
    dims = {"DBInstanceIdentifier": "orders-pg"}
    sc.put("AWS/RDS", "TransactionLogsDiskUsage", dims, "Bytes",
           [(1.2 + (21.5 - free(t)) * 0.93) * GB for t in range(-21600, 0, 60)], nd=0)
    sc.put("AWS/RDS", "OldestReplicationSlotLag", dims, "Bytes",
           [(1.0 + (21.5 - free(t)) * 0.93) * GB for t in range(-21600, 0, 60)], nd=0)
    g, s = "/aws/rds/instance/orders-pg/postgresql", "orders-pg.0"

    def ckpt(t):
        if full(t):
            return L.pg(sc, t, None, "", 412, "LOG", "checkpoint starting: time")
        b = rng.randint(1200, 3800)
        return L.pg(sc, t, None, "", 412, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, "
                    "0 recycled; write=%.3f s, sync=0.003 s, total=%.3f s; sync files=%d, longest=0.002 s, average=0.001 s; "
                    "distance=%d kB, estimate=%d kB" % (b, b / 1310.0, rng.uniform(90, 250), rng.uniform(90, 250),
                                                       rng.randint(20, 60), b * 8, b * 8 + 400))
    L.periodic(sc, g, s, -21600, 0, 300, ckpt)

    def pgerr(t):
        pid = rng.randint(10000, 32000)
        ip = "10.60.%d.%d" % (rng.randint(1, 6), rng.randint(2, 250))
        if rng.random() < 0.5:
            return L.pg(sc, t, ip, "orders_app@orders", pid, "ERROR", 'could not extend file "base/16402/2619871": No space left on device\n'
                        "\tHINT:  Check free disk space.\n\tSTATEMENT:  INSERT INTO orders (id, customer_id, status, total_cents, currency, created_at) VALUES ($1, $2, $3, $4, $5, now())")
        return L.pg(sc, t, ip, "orders_app@orders", pid, "ERROR", 'could not extend file "base/16402/2619874": No space left on device\n'
                    "\tHINT:  Check free disk space.\n\tSTATEMENT:  UPDATE outbox_events SET published_at = now() WHERE id = ANY($1)")
    L.stream(sc, g, s, T_FULL, 0, lambda t: 6.0, pgerr)
    L.stream(sc, g, s, -21600, 0, lambda t: 0.05, lambda t: L.pg(
        sc, t, "10.60.9.14", "debezium@orders", 5120, "LOG",
        'logical decoding found consistent point at 2A1/7F3C2E08\n\tDETAIL:  There are no running transactions.') if t < -20000 else None)

    api = apigw(sc, "orders-api", count=lambda t: create_rate(t) + 140, lat=lambda t: 130 - 30 * full(t),
                e5=lambda t: 0.2 + create_rate(t) * 0.97 * full(t), integrations="lambda:order-create, lambda:order-status")
    lambda_fn(sc, "order-create", "python3.12", 15, 1024, create_rate, lambda t: 190 - 120 * full(t), err=lambda t: 0.97 * full(t))
    lg = L.LambdaLog(sc, "order-create", "python3.12", 1024, 15, pools=[(-10 ** 9, "$LATEST", 4)], mem_used=(150, 12))

    def h(t):
        fail = full(t) and rng.random() < 0.97
        d = rng.gauss(70, 12) if fail else rng.gauss(190, 35)
        oid = "ord_%s" % hexs(rng, 12)

        def lines(t0, r):
            first = (0.003, L.py(sc, t0 + 0.003, r, "INFO", "Creating order %s for customer cus_%s (%d lines)" % (oid, hexs(rng, 8), rng.randint(1, 6))))
            if fail:
                return [first, (d / 1000 - 0.003, LAMBDA_WARNING), (d / 1000 - 0.002,
                        '[ERROR] DiskFull: could not extend file "base/16402/2619871": No space left on device\nHINT:  Check free disk space.\n\n'
                        "Traceback (most recent call last):\n"
                        '  File "/var/task/orders/handler.py", line 66, in handler\n    repo.insert_order(order)\n'
                        '  File "/var/task/orders/repo.py", line 88, in insert_order\n    cur.execute(INSERT_ORDER, order.as_row())')]
            return [first, (d / 1000 - 0.005, L.py(sc, t0 + d / 1000, r, "INFO", "Order %s created (status=PENDING_PAYMENT)" % oid))]
        return lines, max(20, d), "ok"
    lg.run(-10800, 0, lambda t: 3.0, h)
    bg_lambda(sc, "order-status", "python3.12", const(140), const(35), ["Order ord_{hex} status=SHIPPED (cache miss)",
                                                                       "Order ord_{hex} status=PENDING_PAYMENT"],
              pools=[(-10 ** 9, "$LATEST", 3), (-1990, "$LATEST", 3)], log_rate=lambda t: 2.0)
    bg_lambda(sc, "order-events-publisher", "python3.12", const(2), const(900), ["Published {n} outbox events to orders-events"],
              err=lambda t: 0.95 * full(t), err_msgs=['DiskFull: could not extend file "base/16402/2619874": No space left on device'])
    bg_lambda(sc, "invoice-pdf", "nodejs20.x", const(10), const(1800), ["rendered invoice INV-{id6}.pdf"], memory=1536)
    bg_lambda(sc, "admin-users", "nodejs20.x", const(3), const(60), ["listed users page={n}"])
    apigw(sc, "admin-api", count=const(20), lat=const(80), integration="lambda:admin-users")
    bg_rds(sc, "analytics-mysql", "mysql", "8.0.36", "db.r6g.large", 1000, 1000, cpu=lambda t: 34 * wave(t, 0.1), conn=const(22),
           dbname="analytics")
    sc.res("ecs", "ops-prod/debezium-connect", cluster="ops-prod", service="debezium-connect", launch_type="FARGATE",
           desired_count=0, note="scaled to 0 on 2026-11-16 (CDC migration); connector slot debezium_orders on orders-pg")
    zero = {"ClusterName": "ops-prod", "ServiceName": "debezium-connect"}
    sc.put("ECS/ContainerInsights", "RunningTaskCount", zero, "Count", [0.0] * 360)
    sc.put("ECS/ContainerInsights", "DesiredTaskCount", zero, "Count", [0.0] * 360)
    ml = "i-0%s" % hexs(rng, 16)
    bg_ec2(sc, ml, "ml-feature-batch-1", "c6i.4xlarge", cpu=lambda t: 8 + 85 * bump(t, -4200, 0, 300))
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "grafana-1", "t3.medium", cpu=const(9))
    alb(sc, "admin-alb", req=const(25), rt=const(0.05), scheme="internal", target_groups=["tg-grafana"], healthy=const(1))

    sc.change(-3300, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "analytics-mysql", "terraform-ci")
    sc.change(-2000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "order-status", "github-actions-deploy")
    sc.change(-1995, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "order-status", "github-actions-deploy")
    sc.change(-1200, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "admin-api", "r.fortin")
    sc.change(-650, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", "analytics-mysql", "AWSBackupDefaultServiceRole")

    sc.alarm("orders-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "orders-api"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "ALARM", "Orders API server errors")
    sc.alarm("orders-pg-free-storage-low", "AWS/RDS", "FreeStorageSpace", dims, "Minimum", 300, 1, 10 * 1024 ** 3,
             "LessThanThreshold", "ALARM", "orders-pg below 10 GiB free")
    sc.alarm("ml-feature-batch-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": ml}, "Average", 300, 2, 85,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("order-events-publisher-errors", "AWS/Lambda", "Errors", {"FunctionName": "order-events-publisher"}, "Sum", 300, 1, 3,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("orders-pg-cpu-high", "AWS/RDS", "CPUUtilization", dims, "Average", 300, 3, 80, "GreaterThanThreshold", "OK")
    sc.set_expect("orders-api-5xx", "storage_exhaustion", ["orders-pg"],
                  [anomaly("AWS/RDS", "FreeStorageSpace", DBInstanceIdentifier="orders-pg"),
                   anomaly("AWS/ApiGateway", "5XXError", ApiName="orders-api")])
    sc.meta = dict(alarm_on="front (API Gateway)", decoys=[
        "order-status deploy 33 min ago (reads keep working)", "admin-api stage update", "analytics-mysql modify + snapshot",
        "ml-feature-batch-1 CPU alarm (batch job)"],
        story=("orders-pg (200 GB, storage autoscaling disabled) drains its free space all afternoon: "
               "TransactionLogsDiskUsage and OldestReplicationSlotLag grow in lock-step (WAL retained for the "
               "replication slot of the Debezium connector, whose ECS service was scaled to zero two days ago). "
               "FreeStorageSpace reaches 0 41 min ago; from then on PostgreSQL logs 'could not extend file ... No space "
               "left on device' for every INSERT/UPDATE and can no longer write WAL temp files. order-create fails with "
               "psycopg2 DiskFull on every write and orders-api returns 5xx; order-events-publisher fails the same way. "
               "Reads (order-status, deployed 33 min ago) keep working, so the deploy is not it. Storage at zero "
               "with ENOSPC errors: storage_exhaustion on orders-pg, alarm on the front door."))
    return sc
