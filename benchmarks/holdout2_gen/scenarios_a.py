"""Held-out-2 scenarios 01-07."""
from __future__ import annotations

from .common import Builder, arrivals, bump, daily, hexid, ramp, stamp
from .services import (GB, alb_metrics, apigw_metrics, const, ecs_metrics, lambda_metrics, lambda_stream,
                       py_line, rds_metrics)

MB = 1024 ** 2


def pg(t: float, who: str, pid: int, level: str, msg: str) -> str:
    return f"{stamp(t, 'pg')}:{who}:[{pid}]:{level}:  {msg}"


def s01_ledger_disk_full() -> tuple[str, dict]:
    b = Builder("ledger-journal-writes-failing", "Finance ops: journal postings not saving since ~30 min. "
                "ledger-post-entry error alarm paged.", "eu-west-1", 201)
    r, onset = b.rng, -1800
    host = "ledger-pg.c1x2y3z4w5v6.eu-west-1.rds.amazonaws.com"
    b.resource("rds", "ledger-pg", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
               max_connections=1600, allocated_storage_gb=200, storage_type="gp3")
    b.resource("lambda", "ledger-post-entry", runtime="python3.11", timeout=20, memory_size=256,
               environment={"PGHOST": host, "PGDATABASE": "ledger", "PGUSER": "ledger_app"})
    b.resource("lambda", "fx-rates-sync", runtime="python3.11", timeout=120, memory_size=512)
    full = 14.2 * GB
    rds_metrics(b, "ledger-pg", cpu=lambda t: daily(19, 0.3, -3000)(t) * (0.8 if t > onset else 1.0),
                conns=daily(46, 0.2, -3000),
                free_storage=lambda t: max(0.04 * GB, full * (onset - t) / (onset + 21600)),
                read_lat=const(0.0011), write_lat=lambda t: 0.0024 + 0.004 * ramp(t, onset - 600, 600),
                freeable_mem=const(9.6 * GB),
                extra={"TransactionLogsDiskUsage": ("Bytes", lambda t: 1.1 * GB + (full - 0.5 * GB) * ramp(
                    t, -21600, 21600 + onset) if t < onset else full + 0.4 * GB),
                       "ReplicationSlotDiskUsage": ("Bytes", lambda t: (full - 0.6 * GB) * min(
                           1.0, (t + 21600) / (21600 + onset)) + 0.3 * GB),
                       "WriteIOPS": ("Count/Second", lambda t: daily(420, 0.3, -3000)(t) * (
                           0.3 if t > onset else 1.0))})
    inv = daily(58, 0.35, -2400)
    lambda_metrics(b, "ledger-post-entry", inv, err=lambda t: 0.2 + (0.8 * inv(t) if t > onset else 0),
                   dur=lambda t: 65.0 if t > onset else 140.0, conc=const(2))
    fx_inv = lambda t: 1 + 24 * bump(t, -2050, -1760, 60)  # noqa: E731 - top-of-hour refresh burst
    lambda_metrics(b, "fx-rates-sync", fx_inv, err=const(0), dur=lambda t: 900 + 2400 * bump(t, -2050, -1760, 60),
                   conc=lambda t: 1 + 6 * bump(t, -2050, -1760, 60))
    b.change(-9100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "ledger-post-entry", "gha-deploy")
    b.change(-2280, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "fx-rates-sync", "terraform-ci")

    def body(t, req):
        lines = [(0.004, py_line("INFO", t, req, f"posting journal batch jb_{hexid(r, 10)} lines={r.randint(2, 40)}"))]
        if r.random() < 0.09:
            key = hexid(r, 16)
            lines.append((0.05, py_line("ERROR", t, req, "UniqueViolation on journal_idempotency_key_uq "
                                        f"key={key}: duplicate key value violates unique constraint "
                                        "\"journal_idempotency_key_uq\" -- treating retry as already posted")))
        if t > onset and r.random() < 0.8:
            rel = f"base/16402/88121.{r.randint(2, 4)}"
            lines.append((0.06, py_line("ERROR", t, req, f"DiskFull: could not extend file \"{rel}\": No space left "
                                        "on device\nHINT:  Check free disk space.\nTraceback (most recent call last):"
                                        "\n  File \"/var/task/ledger/handler.py\", line 58, in handler\n"
                                        "    repo.insert_lines(batch)\n  File \"/var/task/ledger/repo.py\", line 112,"
                                        " in insert_lines\n    cur.executemany(INSERT_LINE_SQL, rows)\n"
                                        f"psycopg2.errors.DiskFull: could not extend file \"{rel}\": No space left"
                                        " on device\nHINT:  Check free disk space.")))
            return lines, "error", r.uniform(40, 90), r.randint(88, 96)
        lines.append((0.12, py_line("INFO", t, req, "committed")))
        return lines, "ok", r.uniform(95, 190), r.randint(88, 96)
    b.log("/aws/lambda/ledger-post-entry", f"2026/03/14/[$LATEST]{hexid(r)}",
          lambda_stream(b, 256, arrivals(r, lambda t: 2.2, -7200, 0), body, "python:3.11.v41"))
    ev = []
    for t in range(-21540, 0, 300):
        ev.append((t + 0.2, pg(t, "@", 611, "LOG", "checkpoint starting: time")))
        ev.append((t + 31.4, pg(t + 31, "@", 611, "LOG", f"checkpoint complete: wrote {r.randint(900, 4200)} buffers "
                                f"({r.uniform(0.5, 2.5):.1f}%); 0 WAL file(s) added, 0 removed, "
                                f"{r.randint(9, 30)} recycled; write={r.uniform(26, 30):.3f} s")))
    for t in arrivals(r, lambda t: 0.3, -21600, 0):
        who = f"10.40.{r.randint(10, 13)}.{r.randint(5, 250)}({r.randint(40000, 65000)}):ledger_app@ledger"
        pid = r.randint(2000, 30000)
        ev.append((t, pg(t, who, pid, "ERROR", "duplicate key value violates unique constraint "
                         "\"journal_idempotency_key_uq\"")))
        ev.append((t + 0.001, pg(t, who, pid, "DETAIL", f"Key (idempotency_key)=({hexid(r, 16)}) already exists.")))
    for t in arrivals(r, lambda t: 1.6 if t > onset else 0, onset, 0):
        who = f"10.40.{r.randint(10, 13)}.{r.randint(5, 250)}({r.randint(40000, 65000)}):ledger_app@ledger"
        pid = r.randint(2000, 30000)
        ev.append((t, pg(t, who, pid, "ERROR", f"could not extend file \"base/16402/88121.{r.randint(2, 4)}\": "
                         "No space left on device")))
        ev.append((t + 0.001, pg(t, who, pid, "HINT", "Check free disk space.")))
    for t in range(onset + 40, 0, 180):
        ev.append((t, pg(t, "@", 598, "LOG", f"could not write to file \"pg_wal/xlogtemp.{r.randint(600, 700)}\": "
                         "No space left on device")))
    b.log("/aws/rds/instance/ledger-pg/postgresql", "ledger-pg.0", ev)
    b.alarm("ledger-post-entry-errors", "AWS/Lambda", "Errors", {"FunctionName": "ledger-post-entry"}, "Sum", 300, 1,
            10, -1500, "ledger posting failures")
    b.expect("ledger-post-entry-errors", "storage_exhaustion", ["ledger-pg"],
             [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": "ledger-pg"}}])
    return "h2-01-ledger-wal-disk-full", b.finish()


def _spring(t: float, level: str, thread: str, logger: str, msg: str) -> str:
    return f"{stamp(t, 'java')}  {level:>5} 1 --- [{thread}] {logger:<40} : {msg}"


def s02_wms_planner_oom() -> tuple[str, dict]:
    b = Builder("wms-wave-planning-5xx", "Warehouse scanners show 'planner unavailable'; internal ALB 5xx alarm.",
                "ap-southeast-2", 202)
    r, oom = b.rng, -1900
    lb = "app/wms-internal/8e1f0c3a9b2d4c71"
    b.resource("alb", lb, name="wms-internal", scheme="internal",
               targets=["wms-prod/pick-planner", "wms-prod/label-service"])
    b.resource("ecs", "wms-prod/pick-planner", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=3,
               image="4471.dkr.ecr.ap-southeast-2.amazonaws.com/pick-planner:4.12.0",
               log_groups=["/ecs/wms-prod/pick-planner"])
    b.resource("ecs", "wms-prod/label-service", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2,
               log_groups=["/ecs/wms-prod/label-service"])
    saw = lambda t: (t % 410) / 410.0  # noqa: E731 - restart cycle once the heap is full
    mem = lambda t: 50 + 47 * (t + 21600) / (21600 + oom) if t < oom else 84 + 16 * saw(t)  # noqa: E731
    ecs_metrics(b, "wms-prod", "pick-planner", cpu=lambda t: 31 + 55 * ramp(t, oom - 500, 400),
                mem=mem, running=lambda t: 3 - (1 if t > oom and saw(t) < 0.18 else 0))
    ecs_metrics(b, "wms-prod", "label-service", cpu=lambda t: 22 + 58 * bump(t, -2050, -1780, 60),
                mem=const(41), running=const(2))
    req = daily(880, 0.25, -1200)
    alb_metrics(b, lb, req, trt=lambda t: 0.085 + 1.4 * ramp(t, oom - 400, 500),
                t5xx=lambda t: 0.6 + 14 * ramp(t, oom, 60), e5xx=lambda t: 34 * ramp(t, oom, 60),
                healthy=lambda t: 5 - (1 if t > oom and saw(t) < 0.3 else 0),
                unhealthy=lambda t: 1 if t > oom and saw(t) < 0.3 else 0, t4xx=const(6))
    b.change(-2700, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "label-service",
             "bitbucket-pipelines")
    b.change(-2690, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "wms-prod/label-service",
             "bitbucket-pipelines")
    b.change(-2210, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "wms-label-task-role", "cdk-deploy",
             region="us-east-1")
    ev_old, ev_new = [], []
    for t in arrivals(r, lambda t: 4.0 if t < oom else 2.0, -7200, 0):
        ev = ev_old if t < oom else ev_new
        if t > oom and r.random() < 0.35:
            ev.append((t, _spring(t, "ERROR", f"nio-8080-exec-{r.randint(1, 40)}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                  "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                                  "exception [Handler dispatch failed; nested exception is java.lang.OutOfMemoryError:"
                                  " Java heap space] with root cause\n\njava.lang.OutOfMemoryError: Java heap space\n"
                                  "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n"
                                  "\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)\n"
                                  "\tat com.wms.planner.route.PickPathOptimizer.expand(PickPathOptimizer.java:214)\n"
                                  "\tat com.wms.planner.route.PickPathOptimizer.optimise(PickPathOptimizer.java:96)\n"
                                  "\tat com.wms.planner.api.WaveController.plan(WaveController.java:61)")))
            continue
        ev.append((t, _spring(t, "INFO", f"nio-8080-exec-{r.randint(1, 40)}", "c.w.planner.api.WaveController",
                              f"planned wave W-{r.randint(80000, 99999)} picks={r.randint(40, 600)} "
                              f"zones={r.randint(1, 9)} in {r.randint(90, 400)} ms")))
    for t in arrivals(r, lambda t: 2.5, -7200, 0):  # pre-existing, same rate throughout
        (ev_old if t < oom else ev_new).append((t, _spring(
            t, "ERROR", f"nio-8080-exec-{r.randint(1, 40)}", "c.w.planner.sku.SkuLookupClient",
            "SKU lookup failed for barcode 0000000000000 (legacy placeholder), line skipped")))
    gcn = 41000
    for t in range(-7200, 0, 45):
        gcn += 1
        heap = mem(t) / 100 * 1792
        target = ev_old if t < oom else ev_new
        if heap > 1650:
            target.append((t + 0.3, f"[{stamp(t)}][info][gc] GC({gcn}) Pause Full (G1 Compaction Pause) "
                                    f"{heap:.0f}M->{heap - r.uniform(3, 12):.0f}M(1792M) {r.uniform(1400, 2600):.3f}ms"))
        else:
            target.append((t + 0.3, f"[{stamp(t)}][info][gc] GC({gcn}) Pause Young (Normal) (G1 Evacuation Pause) "
                                    f"{heap:.0f}M->{heap * 0.82:.0f}M(1792M) {r.uniform(6, 22):.3f}ms"))
        if (t // 45) % 20 == 0:
            target.append((t + 1, _spring(t + 1, "WARN", "scheduling-1", "c.w.planner.cache.RouteCache",
                                          f"route cache size {int(400000 + (t + 7200) * 260)} entries "
                                          "(no eviction configured)")))
    for t in range(oom, 0, 410):
        ev_new.append((t - 0.5, "Terminating due to java.lang.OutOfMemoryError: Java heap space"))
        ev_new.append((t + 38, _spring(t + 38, "INFO", "main", "c.w.planner.PickPlannerApplication",
                                       "Starting PickPlannerApplication v4.12.0 using Java 17.0.10 with PID 1")))
    b.log("/ecs/wms-prod/pick-planner", "pick-planner/pick-planner/3f9a0c51e27b4d0f9e8c1a2b3c4d5e6f", ev_old)
    b.log("/ecs/wms-prod/pick-planner", "pick-planner/pick-planner/b71c2e94d05f4a38a6b1c0d9e8f7a6b5", ev_new)
    lab = []
    for t in arrivals(r, lambda t: 3 + 20 * bump(t, -2050, -1780, 60), -7200, 0):
        lab.append((t, f"{stamp(t)} INFO  label-service printed label {hexid(r, 8)} printer=zebra-{r.randint(1, 6):02d}"))
    for t in range(-7190, 0, 60):
        lab.append((t, f"{stamp(t)} WARN  label-service PrinterPool: printer zebra-07 offline (ECONNREFUSED "
                       "10.61.8.47:9100), skipping"))
    b.log("/ecs/wms-prod/label-service", "label-service/label-service/0d4e7a1b9c2f4e6a8b3d5c7e9f1a2b4c", lab)
    b.alarm("wms-internal-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60,
            3, 20, -1740)
    b.expect("wms-internal-elb-5xx", "memory_exhaustion", ["wms-prod/pick-planner", "pick-planner"],
             [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
               "dimensions": {"ClusterName": "wms-prod", "ServiceName": "pick-planner"}}])
    return "h2-02-wave-planner-heap-oom", b.finish()


def s03_quotes_db_restart() -> tuple[str, dict]:
    b = Builder("partner-quotes-502s", "Partners report 502 from the quotes API.", "us-east-1", 203)
    r, down, up = b.rng, -1620, 240  # still in crash recovery at load time
    host = "quotes-mysql.cq8mwl0xk2ab.us-east-1.rds.amazonaws.com"
    b.resource("apigateway", "partner-quotes", api_id="k7t2q9x4ab", stage="live", integration="lambda:quote-engine")
    b.resource("lambda", "quote-engine", runtime="python3.12", timeout=10, memory_size=512,
               environment={"DB_HOST": host, "DB_NAME": "quotes", "DB_CONNECT_TIMEOUT": "5"})
    b.resource("lambda", "partner-webhooks", runtime="python3.12", timeout=30, memory_size=256)
    b.resource("rds", "quotes-mysql", engine="mysql", engine_version="8.0.35", instance_class="db.m6g.large",
               max_connections=1000, allocated_storage_gb=100, multi_az=False)
    outage = lambda t: down < t < up  # noqa: E731
    rds_metrics(b, "quotes-mysql", cpu=const(14), conns=const(38),
                free_storage=const(61 * GB), read_lat=const(0.0009), write_lat=const(0.0016),
                freeable_mem=const(2.1 * GB), gaps=((down + 60, 60),))
    inv = daily(70, 0.3, -1800)
    lambda_metrics(b, "quote-engine", inv, err=lambda t: 0.96 * inv(t) if outage(t) else 0.3,
                   dur=lambda t: 5050 if outage(t) else 120, conc=lambda t: 7 if outage(t) else 1)
    wh = lambda t: 6 + 40 * bump(t, -1900, -1500, 60)  # noqa: E731
    lambda_metrics(b, "partner-webhooks", wh, err=const(0.1), dur=const(310), conc=lambda t: 1 + wh(t) / 30)
    apigw_metrics(b, "partner-quotes", count=inv, e4=const(3), e5=lambda t: 0.96 * inv(t) if outage(t) else 0.2,
                  lat=lambda t: 5120 if outage(t) else 160, integ=lambda t: 5080 if outage(t) else 130)
    b.change(-2100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "partner-webhooks", "gitlab-runner-deploy")
    b.change(-2085, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "partner-webhooks",
             "gitlab-runner-deploy")
    api_ev = []

    def body(t, req):
        gw = r.randint(10 ** 8, 10 ** 9)
        lines = [(0.003, py_line("INFO", t, req, f"quote request partner=P{r.randint(100, 999)} lanes={r.randint(1, 6)}"))]
        if r.random() < 0.04:
            lines.append((0.02, py_line("ERROR", t, req, "QuoteValidationError: postcode 'XX1 0ZZ' not serviceable")))
            api_ev.append((t + 0.05, f"({gw:x}-{req[:8]}) Method completed with status: 422"))
            return lines, "ok", r.uniform(20, 40), 92
        if outage(t) and r.random() < 0.96:
            msg = (f"OperationalError: (2003, \"Can't connect to MySQL server on '{host}' (timed out)\")\n"
                   "Traceback (most recent call last):\n  File \"/var/task/quotes/app.py\", line 41, in handler\n"
                   "    conn = db.connect()\n  File \"/var/task/quotes/db.py\", line 22, in connect\n"
                   "    return pymysql.connect(host=HOST, user=USER, password=_secret(), database=NAME,"
                   " connect_timeout=5)\n  File \"/var/task/pymysql/connections.py\", line 716, in connect\n"
                   "    raise exc\npymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on "
                   f"'{host}' (timed out)\")")
            lines.append((5.01, py_line("ERROR", t, req, msg)))
            api_ev.append((t + 5.03, f"({gw:x}-{req[:8]}) Lambda execution failed with status 200 due to customer "
                                     f"function error: (2003, \"Can't connect to MySQL server on '{host}' (timed out)\")."
                                     f" Lambda request id: {req}"))
            api_ev.append((t + 5.04, f"({gw:x}-{req[:8]}) Method completed with status: 502"))
            return lines, "error", r.uniform(5010, 5090), 97
        lines.append((0.09, py_line("INFO", t, req, f"quoted {r.randint(1, 6)} lanes in {r.randint(40, 150)} ms")))
        api_ev.append((t + 0.12, f"({gw:x}-{req[:8]}) Method completed with status: 200"))
        return lines, "ok", r.uniform(60, 190), r.randint(90, 99)
    b.log("/aws/lambda/quote-engine", f"2026/03/14/[$LATEST]{hexid(r)}",
          lambda_stream(b, 512, arrivals(r, lambda t: 2.5, -7200, 0), body, "python:3.12.v38"))
    b.log("API-Gateway-Execution-Logs_k7t2q9x4ab/live", "k7t2q9x4ab-live-" + hexid(r, 8), api_ev)
    err = []
    for t in arrivals(r, lambda t: 0.5 if not outage(t) else 0, -21600, 0):
        err.append((t, f"{stamp(t, 'mysql')} {r.randint(40, 900)} [Warning] [MY-010055] [Server] IP address "
                       f"'10.20.4.{r.randint(2, 60)}' could not be resolved: Name or service not known"))
    seq = [("[System] [MY-010116] [Server] /rdsdbbin/mysql/bin/mysqld (mysqld 8.0.35) starting as process 412", 0),
           ("[System] [MY-013576] [InnoDB] InnoDB initialization has started.", 2),
           ("[Note] [MY-012551] [InnoDB] Database was not shutdown normally!", 3),
           ("[Note] [MY-013083] [InnoDB] Starting crash recovery.", 3.1),
           ("[Note] [MY-013086] [InnoDB] Starting to parse redo log at lsn = 88412094112, whereas checkpoint_lsn = "
            "88412093440 and start_lsn = 88412093440", 4),
           ("[Note] [MY-013088] [InnoDB] Log background threads are being started...", 300),
           ("[System] [MY-013577] [InnoDB] InnoDB initialization has ended.", 560),
           ("[System] [MY-010931] [Server] /rdsdbbin/mysql/bin/mysqld: ready for connections. Version: '8.0.35'  "
            "socket: '/tmp/mysql.sock'  port: 3306  Source distribution.", 600)]
    for msg, off in seq:
        err.append((up - 600 + off, f"{stamp(up - 600 + off, 'mysql')} 0 {msg}"))
    b.log("/aws/rds/instance/quotes-mysql/error", "quotes-mysql", err)
    b.alarm("partner-quotes-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "partner-quotes"}, "Sum", 60, 5, 25,
            -1320, "Partner quotes API returning 5xx")
    b.expect("partner-quotes-5xx", "dependency_failure", ["quotes-mysql"],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "quote-engine"}}])
    return "h2-03-quotes-db-unplanned-restart", b.finish()
