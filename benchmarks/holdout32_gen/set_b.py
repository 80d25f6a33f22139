"""Scenarios 05-08: Lambda env config change, ECS IAM denied, Lambda->RDS crash recovery, ECS Java OOM."""
from . import common as c
from .set_a import spring


def py_line(level, q, msg):
    return f"[{level}]\t{q}\t{msg}"


def s05(seed=3205):
    r = c.rng_for(seed)
    reg = "us-east-2"
    DEP, CFG = -3000, -2280
    bad = lambda t: t >= CFG + 8
    inv = lambda t, rr: 210 * c.diurnal(t, 0.1) + rr.gauss(0, 8)
    errs = lambda t, rr: (rr.gauss(11, 2)) + (inv(t, rr) * 0.93 if bad(t) else 0)
    metrics = c.lambda_metrics(r, "invoice-writer", inv, errs,
                               lambda t, rr: (95 + rr.gauss(0, 8)) if bad(t) else 640 + rr.gauss(0, 40))
    metrics += c.lambda_metrics(r, "invoice-notifier", lambda t, rr: 60 + rr.gauss(0, 4), lambda t, rr: 0,
                                lambda t, rr: 120 + rr.gauss(0, 10))

    def handler(t, rr, q):
        inv_id = f"INV-{rr.randint(200000, 299999)}"
        lines = [py_line("INFO", q, f"Rendering invoice {inv_id} for tenant t_{rr.randint(100, 999)}")]
        if rr.random() < 0.05:  # long-standing loud error, same rate all along
            lines.append(py_line("ERROR", q, "Webhook delivery failed: POST https://hooks.legacy-erp.example/invoices -> 410 Gone "
                                             "(endpoint retired; see ticket FIN-2211)"))
        if bad(t):
            lines.append(py_line("ERROR", q, "KeyError: 'INVOICE_BUCKET'\nTraceback (most recent call last):\n"
                                             "  File \"/var/task/app.py\", line 31, in handler\n    key = store_pdf(pdf, inv)\n"
                                             "  File \"/var/task/invoices/storage.py\", line 14, in store_pdf\n"
                                             "    bucket = os.environ[\"INVOICE_BUCKET\"]\n"
                                             "  File \"<frozen os>\", line 714, in __getitem__\nKeyError: 'INVOICE_BUCKET'"))
            return lines, rr.uniform(60, 130), rr.randint(150, 170), None
        lines.append(py_line("INFO", q, f"Stored s3://acme-invoices-prod/{inv_id}.pdf ({rr.randint(40, 180)} KB)"))
        return lines, rr.uniform(480, 820), rr.randint(180, 210), None
    ev = c.lambda_events(r, c.H3, 0, lambda t: 0.33, handler, 512)
    ev.append([DEP + 40.0, py_line("INFO", "-", "invoice-writer build 2025.11.20-3 (git a91e4c2) cold start; "
                                                 "renderer=weasyprint 62.3")])
    ev.append([CFG + 6.0, py_line("INFO", "-", "cold start: environment updated (LOG_LEVEL=INFO, "
                                               "INVOICES_BUCKET_NAME=acme-invoices-prod, TAX_API_URL=https://tax.internal)")])
    ev.sort(key=lambda e: e[0])

    def notifier(t, rr, q):
        return [py_line("INFO", q, f"queued {rr.randint(1, 4)} invoice e-mails")], rr.uniform(90, 160), 88, None
    n_ev = c.lambda_events(r, c.H3, 0, lambda t: 0.12, notifier, 256)
    logs = [c.log("/aws/lambda/invoice-writer", "2026/11/20/[$LATEST]" + c.hexid(r), ev),
            c.log("/aws/lambda/invoice-notifier", "2026/11/20/[$LATEST]" + c.hexid(r), n_ev)]
    res = [{"type": "lambda", "id": "invoice-writer", "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 512}},
           {"type": "lambda", "id": "invoice-notifier", "properties": {"runtime": "python3.12", "timeout": 15, "memory_size": 256}}]
    changes = [c.change(DEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                        "invoice-writer", "github-actions"),
               c.change(DEP + 15, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
                        "invoice-writer", "github-actions"),
               c.change(CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                        "invoice-writer", "terraform-cloud"),
               c.change(-2500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                        "invoice-notifier", "github-actions")]
    alarms = [c.alarm("invoice-writer-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-writer"}, "Sum", 60, 3, 40,
                      CFG + 200, description="Invoice writer errors above baseline")]
    exp = c.expect("invoice-writer-errors", "config_change", ["invoice-writer"],
                   [c.anomaly("AWS/Lambda", "Errors", {"FunctionName": "invoice-writer"})])
    return c.scenario("h32-05-lambda-python-env-config", "Invoice generation failing; Errors alarm fired.",
                      reg, res, metrics, logs, alarms, changes, exp)


def pino(t, level, msg, **kw):
    lv = {"info": 30, "warn": 40, "error": 50}[level]
    extra = "".join(f',"{k}":"{v}"' if isinstance(v, str) else f',"{k}":{v}' for k, v in kw.items())
    return f'{{"level":{lv},"time":{int((c.ANCHOR.timestamp() + t) * 1000)},"pid":1,"hostname":"ip-10-30-4-17.ec2.internal","msg":"{msg}"{extra}}}'


def s06(seed=3206):
    r = c.rng_for(seed)
    reg = "us-east-1"
    lb = "app/media-alb/91f3c0d2e4a7b586"
    T0 = -1980
    bad = lambda t: t >= T0
    metrics = c.alb_metrics(r, lb, lambda t, rr: 1300 + rr.gauss(0, 40),
                            lambda t, rr: 0.08 + rr.gauss(0, 0.008) - (0.03 if bad(t) else 0),
                            lambda t, rr: rr.choice([0, 1, 2]) + (rr.gauss(410, 30) if bad(t) else 0),
                            lambda t, rr: rr.choice([0, 0, 1]), healthy=4)
    metrics += c.ecs_metrics(r, "media", "asset-api", lambda t, rr: 27 + rr.gauss(0, 3), lambda t, rr: 48 + rr.gauss(0, 1),
                             lambda t, rr: 4)
    metrics += c.ecs_metrics(r, "media", "thumbnailer", lambda t, rr: 40 + rr.gauss(0, 4) + (35 if -2230 <= t < -2050 else 0),
                             lambda t, rr: 52 + rr.gauss(0, 1), lambda t, rr: 2 if not -2230 <= t < -2050 else 4)
    key = lambda rr: f"assets/{rr.randint(1000, 9999)}/{c.hexid(rr, 12)}.webp"

    def api(t, rr):
        q = c.hexid(rr, 12)
        out = []
        if rr.random() < 0.06:  # pre-existing noise at a steady rate
            out.append(pino(t, "warn", "client aborted request", reqId=q, err="Error: aborted", code="ECONNRESET"))
        if bad(t) and rr.random() < 0.33:
            k = key(rr)
            out.append(pino(t, "error", "failed to read asset from S3", reqId=q, statusCode=500, key=k,
                            err=("AccessDenied: User: arn:aws:sts::418275960331:assumed-role/asset-api-task-role/"
                                 "5e1b0c7d92a44f3c is not authorized to perform: s3:GetObject on resource: "
                                 f"arn:aws:s3:::media-assets-prod/{k} because no identity-based policy allows the "
                                 "s3:GetObject action")))
            return out
        out.append(pino(t, "info", "request completed", reqId=q, method="GET", url="/v2/assets/" + c.hexid(rr, 8),
                        statusCode=200, responseTime=rr.randint(20, 140)))
        return out
    a_ev = c.app_events(r, c.H3, 0, lambda t: 0.8, api)
    th = c.periodic(c.H3, 0, 90, lambda t: pino(t, "info", "thumbnail batch done", count=31, queue="thumbs-prod"))
    th += [[-2150.0, pino(-2150, "info", "thumbnailer 4.8.0 listening", port=8080, sharp="0.33.5")]]
    logs = [c.log("/ecs/asset-api", "asset-api/asset-api/7d3e1a9b0c5f42e6a8b1", a_ev),
            c.log("/ecs/thumbnailer", "thumbnailer/thumbnailer/2a4c6e8f0b1d43a5", c.merge(th))]
    res = [{"type": "alb", "id": lb, "properties": {"name": "media-alb"}},
           {"type": "ecs", "id": "media/asset-api", "properties": {"cluster": "media", "service": "asset-api",
                                                                  "task_role": "asset-api-task-role", "desired_count": 4,
                                                                  "log_group": "/ecs/asset-api", "runtime": "node20"}},
           {"type": "ecs", "id": "media/thumbnailer", "properties": {"cluster": "media", "service": "thumbnailer"}}]
    changes = [c.change(-2240, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "media/thumbnailer", "spinnaker"),
               c.change(-2010, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "asset-api-task-role", "platform-tf"),
               c.change(-2005, "iam.amazonaws.com", "DeleteRolePolicy", "AWS::IAM::Role", "asset-api-task-role", "platform-tf")]
    alarms = [c.alarm("media-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
                      60, 3, 30, T0 + 180)]
    exp = c.expect("media-alb-target-5xx", "permission_denied", ["media/asset-api", "asset-api"],
                   [c.anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    return c.scenario("h32-06-alb-ecs-node-iam-denied", "Images failing to load on the media site; ALB 5XX alarm.",
                      reg, res, metrics, logs, alarms, changes, exp)


def s07(seed=3207):
    r = c.rng_for(seed)
    reg = "ap-northeast-1"
    T0 = -1500
    down = lambda t: t >= T0
    inv = lambda t, rr: 340 + rr.gauss(0, 12)
    metrics = c.lambda_metrics(r, "order-sync", inv, lambda t, rr: (inv(t, rr) * 0.97) if down(t) else rr.choice([0, 0, 1]),
                               lambda t, rr: (5200 + rr.gauss(0, 300)) if down(t) else 180 + rr.gauss(0, 20))
    metrics += c.rds_metrics(r, "orders-pg", lambda t, rr: (18 + rr.gauss(0, 2)) if down(t) else 34 + rr.gauss(0, 3),
                             lambda t, rr: 0 if down(t) else 46 + rr.gauss(0, 3),
                             lambda t, rr: 310e9 - (t + 21600) * 9e3 + rr.gauss(0, 5e6),
                             lambda t, rr: (0.02 + rr.gauss(0, 0.004)) if down(t) else 0.0014 + rr.gauss(0, 0.0002),
                             lambda t, rr: 9.8e9 + rr.gauss(0, 5e7))
    spike = lambda t, rr: (900 + rr.gauss(0, 50)) if -1680 <= t < -1380 else 30 + rr.gauss(0, 3)
    metrics += c.lambda_metrics(r, "order-export", spike, lambda t, rr: 0, lambda t, rr: 420 + rr.gauss(0, 30))

    def java(t, level, logger, msg):
        return f"{c.stamp(t)}.{int((t % 1) * 1000):03d} [main] {level:<5} {logger} - {msg}"

    def handler(t, rr, q):
        oid = f"JP-{rr.randint(10**7, 10**8)}"
        if down(t):
            if rr.random() < 0.5:
                err = ("org.postgresql.util.PSQLException: FATAL: the database system is starting up\n"
                       "\tat org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)\n"
                       "\tat org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:203)")
            else:
                err = ("com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: Failed to initialize pool: "
                       "Connection to orders-pg.cq8x2ab1mz.ap-northeast-1.rds.amazonaws.com:5432 refused. Check that the "
                       "hostname and port are correct and that the postmaster is accepting TCP/IP connections.\n"
                       "Caused by: java.net.ConnectException: Connection refused")
            return ([java(t, "ERROR", "jp.shop.sync.OrderSyncHandler", f"sync failed for {oid}: {err}")],
                    rr.uniform(4000, 6500), rr.randint(210, 240), None)
        if rr.random() < 0.04:
            return ([java(t, "WARN", "jp.shop.sync.AddressNormalizer", f"{oid}: could not normalize prefecture '東京都 '; using raw value")],
                    rr.uniform(120, 260), rr.randint(200, 230), None)
        return ([java(t, "INFO", "jp.shop.sync.OrderSyncHandler", f"upserted {oid} lines={rr.randint(1, 7)}")],
                rr.uniform(120, 260), rr.randint(200, 230), None)
    ev = c.lambda_events(r, c.H3, 0, lambda t: 0.42, handler, 1024)
    pg = c.periodic(c.H3, T0 - 30, 300, lambda t: f"{c.stamp(t)} UTC::@:[598]:LOG:  checkpoint complete: wrote "
                                                  "2210 buffers (1.7%); 0 WAL file(s) added, 0 removed, 1 recycled")
    pg += [[T0 + 40.0, f"{c.stamp(T0 + 40)} UTC::@:[402]:LOG:  starting PostgreSQL 16.4 on aarch64-unknown-linux-gnu"],
           [T0 + 41.0, f"{c.stamp(T0 + 41)} UTC::@:[404]:LOG:  database system was interrupted; last known up at {c.stamp(T0 - 20)} UTC"],
           [T0 + 44.0, f"{c.stamp(T0 + 44)} UTC::@:[404]:LOG:  database system was not properly shut down; automatic recovery in progress"],
           [T0 + 45.0, f"{c.stamp(T0 + 45)} UTC::@:[404]:LOG:  redo starts at 3A1/7C0012F8"]]
    pg += c.periodic(T0 + 60, 0, 7, lambda t: f"{c.stamp(t)} UTC:10.10.{int(t) % 7 + 1}.{int(t) % 200 + 20}(4{int(t) % 9000 + 1000}):"
                                              "orders_app@orders:[0]:FATAL:  the database system is starting up", r)
    pg += c.periodic(T0 + 120, 0, 120, lambda t: f"{c.stamp(t)} UTC::@:[404]:LOG:  redo in progress, elapsed time: "
                                                 f"{int(t - T0 - 45)}.02 s, current LSN: 3A1/{int(t - T0) * 1234567 % 16**8:08X}")
    events = c.periodic(T0 + 2, T0 + 3, 10, lambda t: "RDS-EVENT-0004 DB instance shutdown (unplanned: host replacement)")
    events += [[T0 + 30.0, "RDS-EVENT-0006 DB instance restarted"],
               [T0 + 46.0, "RDS-EVENT-0052 Recovery of the DB instance has started. Recovery time will vary with the amount of data to be recovered."]]

    def export(t, rr, q):
        return [java(t, "INFO", "jp.shop.export.ExportHandler", f"exported {rr.randint(20, 60)} rows to s3://jp-exports/")], \
            rr.uniform(300, 500), 180, None
    ex = c.lambda_events(r, c.H3, 0, lambda t: 0.4 if -1680 <= t < -1380 else 0.02, export, 512)
    logs = [c.log("/aws/lambda/order-sync", "2026/11/20/[$LATEST]" + c.hexid(r), ev),
            c.log("/aws/rds/instance/orders-pg/postgresql", "orders-pg.0", c.merge(pg)),
            c.log("/aws/rds/events/orders-pg", "orders-pg", events),
            c.log("/aws/lambda/order-export", "2026/11/20/[$LATEST]" + c.hexid(r), ex)]
    res = [{"type": "lambda", "id": "order-sync", "properties": {"runtime": "java21", "timeout": 30, "memory_size": 1024}},
           {"type": "rds", "id": "orders-pg", "properties": {"engine": "postgres", "engine_version": "16.4",
                                                            "instance_class": "db.m6g.large", "max_connections": 400,
                                                            "allocated_storage_gb": 500, "multi_az": False}},
           {"type": "lambda", "id": "order-export", "properties": {"runtime": "java21", "timeout": 60, "memory_size": 512}}]
    changes = [c.change(-1740, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                        "order-export", "codepipeline")]
    alarms = [c.alarm("order-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "order-sync"}, "Sum", 60, 3, 10, T0 + 180)]
    exp = c.expect("order-sync-errors", "dependency_failure", ["orders-pg"],
                   [c.anomaly("AWS/Lambda", "Errors", {"FunctionName": "order-sync"}),
                    c.anomaly("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "orders-pg"})])
    return c.scenario("h32-07-lambda-java-rds-recovery", "Order sync failing in Tokyo; Errors alarm.",
                      reg, res, metrics, logs, alarms, changes, exp)


def s08(seed=3208):
    r = c.rng_for(seed)
    reg = "eu-north-1"
    lb = "app/search-alb/0d6b2f8e1a3c4975"
    T0 = -1740
    oom = lambda t: t >= T0
    mem = lambda t, rr: (97 + rr.uniform(0, 3) if oom(t) and (t // 60) % 4 else 71 + rr.gauss(0, 2)) if oom(t) \
        else c.ramp(t, -21600, T0, 54, 96) + rr.gauss(0, 0.8)
    metrics = c.ecs_metrics(r, "search", "search-api", lambda t, rr: 45 + rr.gauss(0, 4) + (25 if oom(t) else c.ramp(t, -6000, T0, 0, 15)),
                            mem, lambda t, rr: (rr.choice([4, 5, 5, 6])) if oom(t) else 6)
    metrics += c.alb_metrics(r, lb, lambda t, rr: 1800 + rr.gauss(0, 60),
                             lambda t, rr: (1.4 + rr.gauss(0, 0.3)) if oom(t) else c.ramp(t, -6000, T0, 0.09, 0.3) + rr.gauss(0, 0.01),
                             lambda t, rr: rr.choice([0, 1]) + (rr.gauss(25, 5) if oom(t) else 0),
                             lambda t, rr: (rr.gauss(95, 20)) if oom(t) else 0,
                             lambda t, rr: rr.choice([1, 1, 2]) if oom(t) else 0, healthy=6)
    metrics += c.ecs_metrics(r, "search", "indexer", lambda t, rr: 30 + rr.gauss(0, 3), lambda t, rr: 40 + rr.gauss(0, 1),
                             lambda t, rr: 1)

    def api(t, rr):
        out = []
        th = f"http-nio-8080-exec-{rr.randint(1, 40)}"
        if oom(t) and rr.random() < 0.12:
            out.append(spring(t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                              "Servlet.service() for servlet [dispatcherServlet] threw exception\njava.lang.OutOfMemoryError: Java heap space\n"
                              "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)\n"
                              "\tat se.shop.search.cache.FacetCache.put(FacetCache.java:77)\n"
                              "\tat se.shop.search.SearchService.facets(SearchService.java:142)"))
            return out
        out.append(spring(t, "INFO", th, "se.shop.search.web.SearchController",
                          f"GET /search q='{rr.choice(['jacka', 'skor', 'lampa', 'soffa', 'cykel'])}' hits={rr.randint(0, 900)} "
                          f"took={rr.randint(15, 90) if not oom(t) else rr.randint(300, 2500)}ms"))
        return out
    ev = c.app_events(r, c.H3, 0, lambda t: 0.6, api)
    ev += c.periodic(c.H3, 0, 60, lambda t: spring(t, "ERROR", "scheduling-1", "se.shop.search.SynonymLoader",
                                                   "Synonym file s3://search-config/synonyms_sv.txt not found (404); using built-in defaults"))
    ev += c.periodic(-7200, 0, 45, lambda t: f"[{c.iso(t)}][info][gc] GC({int(t + 20000)}) Pause Full (G1 Compaction Pause) "
                                             f"{int(c.ramp(t, -7200, T0, 1500, 2040))}M->{int(c.ramp(t, -7200, T0, 1380, 2030))}M(2048M) "
                                             f"{int(c.ramp(t, -7200, T0, 180, 1900))}.412ms")
    ev += c.periodic(T0, 0, 240, lambda t: "Terminating due to java.lang.OutOfMemoryError: Java heap space")
    ecs_ev = c.periodic(T0 + 20, 0, 240, lambda t: f"(service search-api) has stopped 1 running tasks: (task {c.hexid(r)}). "
                                                   "Reason: Essential container in task exited: OutOfMemoryError: Container killed "
                                                   "due to memory usage (exit code 137)")
    ecs_ev += c.periodic(T0 + 80, 0, 240, lambda t: f"(service search-api) has started 1 tasks: (task {c.hexid(r)}).")
    ecs_ev += [[-2050.0, f"(service indexer) has started 1 tasks: (task {c.hexid(r)})."],
               [-1900.0, "(service indexer) has reached a steady state."]]
    ix = c.periodic(c.H3, 0, 120, lambda t: spring(t, "INFO", "indexer-1", "se.shop.indexer.Bulk", "bulk indexed 500 docs in 812 ms"))
    logs = [c.log("/ecs/search-api", "search-api/app/5b2e7d9c1f3a40b8", c.merge(ev)),
            c.log("/aws/ecs/events/search", "search", c.merge(ecs_ev)),
            c.log("/ecs/indexer", "indexer/app/8f0e2a4c6b1d", ix)]
    res = [{"type": "alb", "id": lb, "properties": {"name": "search-alb"}},
           {"type": "ecs", "id": "search/search-api", "properties": {"cluster": "search", "service": "search-api", "cpu": 1024,
                                                                    "memory": 2048, "jvm_opts": "-Xmx1792m", "desired_count": 6,
                                                                    "log_group": "/ecs/search-api"}},
           {"type": "ecs", "id": "search/indexer", "properties": {"cluster": "search", "service": "indexer"}}]
    changes = [c.change(-2080, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "search/indexer", "github-actions")]
    alarms = [c.alarm("search-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 20,
                      T0 + 180, description="502/503 from search ALB")]
    exp = c.expect("search-alb-elb-5xx", "memory_exhaustion", ["search/search-api", "search-api"],
                   [c.anomaly("AWS/ECS", "MemoryUtilization", {"ClusterName": "search", "ServiceName": "search-api"})])
    return c.scenario("h32-08-alb-ecs-java-oom", "Search returning 502s intermittently; ALB 5XX alarm.",
                      reg, res, metrics, logs, alarms, changes, exp)
