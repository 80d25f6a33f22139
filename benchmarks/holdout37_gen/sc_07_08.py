"""h37-07 (IAM policy detached: GetSecretValue denied before any DB connect) and h37-08 (WAL retained by a stale slot fills storage)."""
from __future__ import annotations

from .common import LOG_START, Scenario, ramp, sig
from .logs import LambdaLogs, every, py_unhandled, times

ACCOUNT = "481516234201"
SM_FRAMES = [
    ("/var/task/billing/handler.py", 38, "handler", "engine = db.get_engine()"),
    ("/var/task/billing/db.py", 27, "get_engine", "creds = _credentials()"),
    ("/var/task/billing/db.py", 19, "_credentials", "resp = _sm.get_secret_value(SecretId=SECRET_ID)"),
    ("/var/lang/lib/python3.12/site-packages/botocore/client.py", 565, "_api_call", "return self._make_api_call(operation_name, kwargs)"),
    ("/var/lang/lib/python3.12/site-packages/botocore/client.py", 1021, "_make_api_call", "raise error_class(parsed_response, operation_name)"),
]


def build_07() -> Scenario:
    s = Scenario(7, "billing-sync-errors-secret-access",
                 "billing-invoice-sync errors alarm; invoices not syncing to the billing database.",
                 "us-west-2", seed=3707, anchor=(2026, 11, 19, 18, 10, 0), tz_hours=-8)
    fn_name, role = "billing-invoice-sync", "billing-invoice-sync-role"
    s.resource("rds", "billing-pg", engine="postgres", engine_version="14.10", instance_class="db.m6g.xlarge",
               max_connections=1700, allocated_storage_gb=500, multi_az=True)
    s.resource("lambda", fn_name, runtime="python3.12", timeout=60, memory_size=512, role=role,
               env={"DB_SECRET_ID": "prod/billing/db-app", "SECRET_CACHE_TTL": "900"}, trigger="sqs:invoice-sync-queue",
               libs="SQLAlchemy 2.0.23 + psycopg2-binary 2.9.9")
    s.resource("lambda", "billing-usage-rollup", runtime="python3.12", timeout=300, memory_size=1024,
               role="billing-usage-rollup-role", env={"DB_SECRET_ID": "prod/billing/db-app"})
    s.resource("lambda", "billing-secret-rotator", runtime="python3.12", timeout=30, memory_size=128)

    t_iam = -2500
    fail = lambda t: ramp(t, t_iam + 20, t_iam + 930)        # warm environments keep a 15-minute secret cache
    d = lambda t: s.diurnal(t, 0.2, 13.0)
    inv = lambda t: 25 * d(t) * (1 + 0.4 * fail(t))
    fn = {"FunctionName": fn_name}
    s.series("AWS/Lambda", "Invocations", fn, "Count", lambda t: s.cnt(inv(t)))
    s.series("AWS/Lambda", "Errors", fn, "Count", lambda t: s.cnt(inv(t) * 0.98 * fail(t)))
    s.series("AWS/Lambda", "Duration", fn, "Milliseconds", lambda t: s.n(1400 * (1 - fail(t)) + 160 * fail(t), 0.08))
    s.series("AWS/Lambda", "ConcurrentExecutions", fn, "Count", lambda t: round(s.n(inv(t) / 60 * 1.4 + 1, 0.15)))
    s.series("AWS/Lambda", "Throttles", fn, "Count", lambda t: 0)
    ur = {"FunctionName": "billing-usage-rollup"}
    s.series("AWS/Lambda", "Invocations", ur, "Count", lambda t: s.cnt(4))
    s.series("AWS/Lambda", "Errors", ur, "Count", lambda t: 0)
    s.series("AWS/Lambda", "Duration", ur, "Milliseconds", lambda t: s.n(3100, 0.12))
    q = {"QueueName": "invoice-sync-queue"}
    s.series("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", lambda t: round(s.n(6 + fail(t) * (40 + 1.3 * max(0, t - t_iam)), 0.1)))
    db = {"DBInstanceIdentifier": "billing-pg"}
    s.series("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: s.n(24 * d(t), 0.08) - 5 * fail(t))
    s.series("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: round(s.n(62, 0.04) - 24 * fail(t)))
    s.series("AWS/RDS", "WriteIOPS", db, "Count/Second", lambda t: s.n(450 * d(t), 0.1) * (1 - 0.4 * fail(t)))
    s.series("AWS/RDS", "ReadLatency", db, "Seconds", lambda t: s.n(0.0008, 0.1), nd=5)
    s.series("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: 301.7e9 - (t + 21600) * 4000, nd=0)

    ll = LambdaLogs(s, fn_name, "python3.12", 512)
    for t in times(s, LOG_START, 0, lambda t: 6 * d(t) * (1 + 0.4 * fail(t))):
        cold = not ll.envs or s.chance(0.03)
        lines = []
        expired = s.chance(fail(t)) if t > t_iam else False
        if cold or expired:
            lines.append((0.002, "INFO", f"{'fetching' if cold else 'refreshing'} db credentials secret_id=prod/billing/db-app"
                                         f"{'' if cold else ' (cache expired)'}"))
            if t > t_iam + 10:
                lines.append((0.14, "RAW", py_unhandled("ClientError", (
                    "An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User: "
                    f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{fn_name} is not authorized to perform: "
                    "secretsmanager:GetSecretValue on resource: prod/billing/db-app because no identity-based policy allows "
                    "the secretsmanager:GetSecretValue action"), SM_FRAMES)))
                ll.invoke(t, s.n(160, 0.1), lines, s.rng.randint(92, 99), cold)
                continue
            lines.append((0.12, "INFO", "secret cached ttl=900s"))
        cus, ms = f"CUS-{s.rng.randint(10000, 99999)}", s.n(1400, 0.15)
        lines.append((ms / 1000 - 0.005, "INFO", f"synced invoice INV-2026-11-{s.rng.randint(1000, 9999):06d} customer={cus} "
                                                 f"lines={s.rng.randint(1, 30)} total={s.rng.uniform(20, 4000):.2f} USD"))
        if s.chance(0.08):
            lines.insert(-1, (0.3, "WARNING", f"customer {cus} has no tax region; defaulting to US-WA"))
        ll.invoke(t, ms, lines, s.rng.randint(120, 140), cold)
    ul = LambdaLogs(s, "billing-usage-rollup", "python3.12", 1024)
    for t in times(s, LOG_START, 0, lambda t: 1.5):
        if t > -3590 and not getattr(ul, "_dep", False):
            ul.envs.clear()
            ul._dep = True
        ms = s.n(3100, 0.12)
        ul.invoke(t, ms, [(0.01, "INFO", f"rolling up usage window=5m meters={s.rng.randint(200, 900)}"),
                          (ms / 1000 - 0.01, "INFO", "upserted usage_rollups rows ok")], s.rng.randint(180, 210), s.chance(0.02))
    rl = LambdaLogs(s, "billing-secret-rotator", "python3.12", 128)
    vid = s.uid()
    arn = f"arn:aws:secretsmanager:us-west-2:{ACCOUNT}:secret:prod/billing/db-app-Xq81Lm"
    for k, (step, msg) in enumerate((("createSecret", f"createSecret: Successfully put secret for ARN {arn} and version {vid}."),
                                     ("setSecret", f"setSecret: Successfully set password for user billing_app in PostgreSQL DB for secret arn {arn}."),
                                     ("testSecret", f"testSecret: Successfully signed into PostgreSQL DB for secret arn {arn}."),
                                     ("finishSecret", f"finishSecret: Successfully set AWSCURRENT stage to version {vid} for secret {arn}."))):
        t = -13990 + k * 4
        rl.invoke(t, s.n(900, 0.2), [(0.3, "INFO", msg)], 78, k == 0)

    pg, st = "/aws/rds/instance/billing-pg/postgresql", "billing-pg.0"
    for t in every(LOG_START, 0, 300, 2, s):
        s.log(pg, st, t, f"{s.pgts(t)}::@:[377]:LOG:  checkpoint starting: time")
        s.log(pg, st, t + 120.2, f"{s.pgts(t + 120.2)}::@:[377]:LOG:  checkpoint complete: wrote {s.rng.randint(500, 1500)} buffers "
              f"({s.rng.uniform(0.2, 0.9):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled; write=120.1{s.rng.randint(10, 99)} s, sync=0.004 s, total=120.2{s.rng.randint(10, 99)} s")
    for t in times(s, LOG_START, 0, lambda t: 0.7):
        s.log(pg, st, t, f"{s.pgts(t)}:{s.ip('10.70')}({s.rng.randint(30000, 60000)}):billing_app@billing:[{s.rng.randint(1000, 30000)}]:"
              "LOG:  could not receive data from client: Connection reset by peer")

    s.change(-13995, "secretsmanager.amazonaws.com", "RotateSecret", "AWS::SecretsManager::Secret", "prod/billing/db-app", "secretsmanager.amazonaws.com")
    s.change(-3600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "billing-usage-rollup", "github-actions-deploy")
    s.change(t_iam, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", role, "platform-iam-cleanup", region="us-east-1")
    s.alarm("billing-invoice-sync-errors", "AWS/Lambda", "Errors", fn, "Sum", 60, 3, 3, "GreaterThanThreshold",
            "billing-invoice-sync errors", after=-7200)
    s.expect("billing-invoice-sync-errors", "permission_denied", [fn_name, role],
             [("AWS/Lambda", "Errors", fn)])
    return s


def build_08() -> Scenario:
    s = Scenario(8, "inventory-5xx-pg-storage-full",
                 "inventory-web 5XX alarm; store stock lookups failing across Japan.",
                 "ap-northeast-1", seed=3708, anchor=(2026, 11, 20, 5, 40, 0), tz_hours=9)
    cl, svc, lb = "retail-prod", "inventory-web", "app/retail-inventory/9d3f1b7e2a6c4d05"
    s.resource("rds", "inventory-pg", engine="postgres", engine_version="15.5", instance_class="db.m6i.large",
               allocated_storage_gb=200, storage_type="gp3", max_allocated_storage=None, max_connections=800,
               logical_replication=True)
    s.resource("ecs", f"{cl}/{svc}", cluster=cl, service=svc, desired_count=4, cpu=1024, memory=2048,
               runtime="ruby 3.3 / Rails 7.1 / Puma 6.4 / pg 1.5.4", log_group="/ecs/inventory-web",
               env={"REDIS_CACHE_URL": "redis://inventory-cache.k2n9aq.ng.0001.apne1.cache.amazonaws.com:6379/0"})
    s.resource("alb", lb, name="retail-inventory")
    s.resource("lambda", "stock-level-notifier", runtime="python3.12", timeout=60, memory_size=256)

    t_full, t_dead = -1610, -1540
    dead = lambda t: sig(t, t_dead, 10)
    free = lambda t: max(0.0, 24.1e9 * (t_full - t) / (t_full + 21600)) if t < t_full else 0.0
    d = lambda t: s.diurnal(t, 0.25, 15.0)
    db = {"DBInstanceIdentifier": "inventory-pg"}
    s.series("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: max(3.1e7, free(t) + s.g(0, 4e7)), nd=0)
    s.series("AWS/RDS", "TransactionLogsDiskUsage", db, "Bytes", lambda t: 41.3e9 + (24.1e9 - free(t)) + s.g(0, 2e7), nd=0)
    s.series("AWS/RDS", "OldestReplicationSlotLag", db, "Bytes", lambda t: 41.2e9 + (24.1e9 - free(t)) + s.g(0, 2e7), nd=0)
    s.series("AWS/RDS", "TransactionLogsGeneration", db, "Bytes/Second", lambda t: s.n(1.2e6, 0.12) * (1 - dead(t)), nd=0)
    s.series("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: s.n(31 * d(t), 0.08) * (1 - 0.9 * dead(t)))
    s.series("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: round(s.n(138, 0.03) * (1 - dead(t))))
    s.series("AWS/RDS", "WriteIOPS", db, "Count/Second", lambda t: s.n(900 * d(t), 0.1) * (1 - 0.97 * dead(t)))
    s.series("AWS/RDS", "FreeableMemory", db, "Bytes", lambda t: s.n(2.6e9, 0.01) + dead(t) * 4.1e9, nd=0)
    ecs = {"ClusterName": cl, "ServiceName": svc}
    s.series("AWS/ECS", "CPUUtilization", ecs, "Percent", lambda t: s.n(38 * d(t), 0.08) * (1 - 0.5 * dead(t)) + 9 * (ramp(t, -4800, -4700) - ramp(t, -4600, -4500)))
    s.series("AWS/ECS", "MemoryUtilization", ecs, "Percent", lambda t: s.n(55, 0.02))
    alb = {"LoadBalancer": lb}
    req = lambda t: 2200 * d(t)
    s.series("AWS/ApplicationELB", "RequestCount", alb, "Count", lambda t: s.cnt(req(t)))
    s.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count",
             lambda t: s.cnt(0.8 + req(t) * (0.5 * sig(t, t_full + 20, 8) * (1 - dead(t)) * 0.4 + 0.55 * dead(t))))
    s.series("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds", lambda t: s.n(0.081 - 0.04 * dead(t), 0.1), nd=4)
    s.series("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb, "Count", lambda t: s.cnt(0.2))
    ec = {"CacheClusterId": "inventory-cache-0001-001"}
    s.series("AWS/ElastiCache", "CPUUtilization", ec, "Percent", lambda t: s.n(7 + 41 * (ramp(t, -7000, -6940) - ramp(t, -6560, -6500)), 0.1))
    s.series("AWS/ElastiCache", "CurrConnections", ec, "Count", lambda t: round(s.n(64, 0.04)))
    sn = {"FunctionName": "stock-level-notifier"}
    s.series("AWS/Lambda", "Invocations", sn, "Count", lambda t: s.cnt(2))
    s.series("AWS/Lambda", "Errors", sn, "Count", lambda t: s.cnt(2 * dead(t)))
    s.series("AWS/Lambda", "Duration", sn, "Milliseconds", lambda t: s.n(420, 0.1) + dead(t) * 2600)
    s.alarm("inventory-pg-free-storage-low", "AWS/RDS", "FreeStorageSpace", db, "Minimum", 300, 1, 10737418240,
            "LessThanThreshold", "inventory-pg free storage under 10 GiB", after=-21000)

    grp = "/ecs/inventory-web"
    old = [s.hexs(32) for _ in range(4)]
    new = [s.hexs(32) for _ in range(4)]
    t_dep = -4800
    for i, task in enumerate(new):
        t0 = t_dep + 60 + i * 25
        for k, line in enumerate(("=> Booting Puma", "=> Rails 7.1.3.2 application starting in production ",
                                  "Puma starting in single mode...", "* Puma version: 6.4.2 (ruby 3.3.0-p0) (\"The Eagle of Durango\")",
                                  "* Listening on http://0.0.0.0:3000", "Use Ctrl-C to stop")):
            s.log(grp, f"ecs/web/{task}", t0 + k * 0.3, line)

    def rl(t, lvl, rid, msg, task):
        s.log(grp, f"ecs/web/{task}", t, f"{lvl[0]}, [{s.iso(t + 9 * 3600, 6)[:-1]} #1] {lvl:>5} -- : [{rid}] {msg}")
    for t in times(s, LOG_START, 0, lambda t: 9 * d(t)):
        task = s.pick(new) if t > t_dep + 140 else s.pick(old)
        rid, sku, store = s.uid(), f"SKU-{s.rng.randint(100000, 999999)}", f"{s.pick(['TKY', 'OSK', 'NGY', 'FUK'])}-{s.rng.randint(1, 40):03d}"
        post = s.chance(0.25)
        path = f"/api/v1/stock_movements" if post else f"/api/v1/stock/{sku}?store={store}"
        rl(t, "INFO", rid, f"Started {'POST' if post else 'GET'} \"{path}\" for {s.ip('10.50')} at {s.dt(t + 9 * 3600).strftime('%Y-%m-%d %H:%M:%S')} +0900", task)
        if t > t_dead and s.chance(0.95):
            rl(t + 0.004, "FATAL", rid, "ActiveRecord::ConnectionNotEstablished (connection to server at \"10.50.3.21\", port 5432 failed: "
               "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n):", task)
            rl(t + 0.005, "FATAL", rid, "app/controllers/api/v1/base_controller.rb:18:in `with_store_scope'", task)
        elif t > t_full and post and s.chance(0.9):
            rl(t + 0.03, "FATAL", rid, f"ActiveRecord::StatementInvalid (PG::DiskFull: ERROR:  could not extend file \"base/16401/2857312\": "
               "No space left on device\nHINT:  Check free disk space.\n):", task)
            rl(t + 0.031, "FATAL", rid, "app/models/stock_movement.rb:41:in `record!'", task)
        else:
            ms = s.n(28 if not post else 46, 0.4)
            rl(t + ms / 1000, "INFO", rid, f"Completed {'201 Created' if post else '200 OK'} in {int(ms)}ms (Views: 0.3ms | ActiveRecord: {ms * 0.5:.1f}ms | Allocations: {s.rng.randint(1500, 6000)})", task)
    for t in times(s, LOG_START, 0, lambda t: 0.4):
        task = s.pick(new) if t > t_dep + 140 else s.pick(old)
        rl(t, "WARN", s.uid(), "Redis::TimeoutError in RedisCacheStore read: Connection timed out "
           "(redis://inventory-cache.k2n9aq.ng.0001.apne1.cache.amazonaws.com:6379/0)", task)

    pg, st = "/aws/rds/instance/inventory-pg/postgresql", "inventory-pg.0"
    for t in every(LOG_START, t_full - 60, 300, 2, s):
        s.log(pg, st, t, f"{s.pgts(t)}::@:[402]:LOG:  checkpoint starting: time")
        s.log(pg, st, t + 269.9, f"{s.pgts(t + 269.9)}::@:[402]:LOG:  checkpoint complete: wrote {s.rng.randint(2000, 5000)} buffers "
              f"({s.rng.uniform(1.0, 3.0):.1f}%); {s.rng.randint(21, 24)} WAL file(s) added, 0 removed, 0 recycled; write=269.8{s.rng.randint(10, 99)} s, "
              f"sync=0.00{s.rng.randint(2, 9)} s, total=269.9{s.rng.randint(10, 99)} s; sync files={s.rng.randint(40, 90)}, longest=0.003 s, average=0.001 s")
    for t in times(s, t_full, t_dead, lambda t: 20):
        pre = f"{s.pgts(t)}:{s.ip('10.50')}({s.rng.randint(30000, 60000)}):inventory_app@inventory:[{s.rng.randint(5000, 9000)}]:"
        s.log(pg, st, t, pre + "ERROR:  could not extend file \"base/16401/2857312\": No space left on device")
        s.log(pg, st, t + 0.001, pre + "HINT:  Check free disk space.")
        s.log(pg, st, t + 0.002, pre + "STATEMENT:  INSERT INTO \"stock_movements\" (\"sku\", \"store_code\", \"delta\", \"reason\", \"created_at\") VALUES ($1, $2, $3, $4, $5) RETURNING \"id\"")
    seq = ["PANIC:  could not write to file \"pg_wal/xlogtemp.5313\": No space left on device",
           "LOG:  WAL writer process (PID 5313) was terminated by signal 6: Aborted",
           "LOG:  terminating any other active server processes", "LOG:  all server processes terminated; reinitializing",
           f"LOG:  database system was interrupted; last known up at {s.pgts(t_full - 70)}",
           "LOG:  database system was not properly shut down; automatic recovery in progress", "LOG:  redo starts at 4E/1A2B3C40",
           "FATAL:  could not write to file \"pg_wal/xlogtemp.5398\": No space left on device",
           "LOG:  startup process (PID 5398) exited with exit code 1", "LOG:  aborting startup due to startup process failure",
           "LOG:  database system is shut down"]
    for k, line in enumerate(seq):
        t = t_dead + k * 1.7
        s.log(pg, st, t, f"{s.pgts(t)}::@:[{5313 if k == 0 else 398}]:{line}")

    nl = LambdaLogs(s, "stock-level-notifier", "python3.12", 256)
    for t in times(s, LOG_START, 0, lambda t: 1):
        if t > t_dead:
            nl.invoke(t, s.n(3000, 0.05), [(2.9, "RAW", py_unhandled("OperationalError", (
                "connection to server at \"inventory-pg.cb7z1k3mqx9p.ap-northeast-1.rds.amazonaws.com\" (10.50.3.21), port 5432 failed: "
                "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n"),
                [("/var/task/notifier.py", 22, "handler", "with psycopg2.connect(DSN, connect_timeout=3) as conn:"),
                 ("/var/lang/lib/python3.12/site-packages/psycopg2/__init__.py", 122, "connect", "conn = _connect(dsn, connection_factory=connection_factory, **kwasync)")]))],
                      70, s.chance(0.03))
        else:
            ms = s.n(420, 0.1)
            nl.invoke(t, ms, [(ms / 1000 - 0.01, "INFO", f"low-stock scan stores={s.rng.randint(150, 170)} alerts={s.rng.randint(0, 6)}")], 70, s.chance(0.03))

    s.change(t_dep - 60, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "inventory-web:212", "github-actions-deploy")
    s.change(t_dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "github-actions-deploy")
    s.alarm("inventory-web-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Sum", 60, 3, 20,
            "GreaterThanThreshold", "inventory-web 5XX from targets", after=-7200)
    s.expect("inventory-web-5xx", "storage_exhaustion", ["inventory-pg"],
             [("AWS/RDS", "FreeStorageSpace", db), ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb)])
    return s
