"""h55-03 (ECS Go service loses DynamoDB access after an IAM change) and h55-04 (RDS MySQL crash loop)."""
from __future__ import annotations

from . import blocks, fmt, lam, svc
from .kit import LOG_START, T, Scenario, counts, hexid, morning, series, sig, window

GIB = 1024 ** 3


# ------------------------------------------------------------------ h55-03
def s03():
    region = "ap-southeast-2"
    scn = Scenario("ingest-alb-5xx", region, 5503, "Event ingestion returning 500s to SDK clients; ingest ALB 5xx alarm.")
    rng = scn.rng
    alb_id = "app/ingest-alb/3a9f0c2e71d84b06"
    iam_t = -2520
    onset = iam_t + 14
    denied = lambda t: t >= onset    # noqa: E731
    scale_t = -700
    scn.resource("alb", alb_id, name="ingest-alb", scheme="internet-facing", targets=["ingest/events-writer"])
    scn.resource("ecs", "ingest/events-writer", cluster="ingest", service_name="events-writer", launch_type="FARGATE",
                 task_definition="events-writer:57", desired_count=9, cpu=512, memory=1024, runtime="go1.22",
                 task_role="events-writer-task-role", log_groups=["/ecs/events-writer"], load_balancer=alb_id,
                 environment={"EVENTS_TABLE": "events-prod", "AWS_REGION": region})
    scn.resource("ecs", "ingest/schema-registry", cluster="ingest", service_name="schema-registry", launch_type="FARGATE",
                 task_definition="schema-registry:12", desired_count=2, cpu=256, memory=512, runtime="go1.22",
                 task_role="schema-registry-task-role", log_groups=["/ecs/schema-registry"])

    rate = lambda t: 88 * morning(t)   # noqa: E731 - batched POST /v1/events per minute
    req = counts(rng, rate)
    t5xx = [float(round(r * 0.955 * rng.uniform(0.97, 1.0))) if denied(t + 60) and t >= onset - 30 else float(rng.random() < 0.08)
            for t, r in zip(T, req)]
    t4xx = [float(round(r * 0.03 * rng.uniform(0.5, 1.5))) for r in req]
    tasks = lambda t: 6.0 if t < scale_t + 50 else 9.0  # noqa: E731
    blocks.alb(scn, alb_id, req=req, t5xx=t5xx, t4xx=t4xx,
               rt=series(rng, lambda t: 0.046 - 0.012 * sig(t, onset, 20), 0.08, nd=4),
               healthy=[tasks(t) for t in T])
    blocks.ecs(scn, "ingest", "events-writer", cpu=series(rng, lambda t: 14 * morning(t) * (0.8 if denied(t) else 1) * (6 / tasks(t)), 0.08),
               mem=series(rng, lambda t: 23, 0.03), running=[tasks(t) for t in T])
    blocks.ecs(scn, "ingest", "schema-registry", cpu=series(rng, lambda t: 4 + 20 * window(t, -3300, -3180, 15), 0.1),
               mem=series(rng, lambda t: 31 - 6 * window(t, -3290, -900, 300), 0.02), running=[2.0] * 360)

    acct = "418273645091"
    task_ids = [svc.task_id(rng) for _ in range(9)]
    per_task = {k: [] for k in range(9)}
    for k in range(9):
        t_start = LOG_START if k < 6 else scale_t + rng.uniform(30, 60)
        ev = per_task[k]
        if k >= 6:
            ev.append((t_start, fmt.zap("info", t_start, "cmd/events-writer/main.go:61", "starting events-writer",
                                        version="2.8.3", table="events-prod", listen=":8080")))
        n_tasks = lambda t: 6 if t < scale_t + 50 else 9  # noqa: E731
        for t in svc.sampled(rng, t_start + 1, -0.5, lambda t: rate(t) / n_tasks(t), lambda t: None):
            t = t[0]
            tenant = f"t_{rng.randint(1000, 1400)}"
            cnt = rng.randint(12, 50)
            roll = rng.random()
            if roll < 0.03:
                ev.append((t, fmt.zap("warn", t, "httpapi/validate.go:52", "payload rejected", status=400, tenant=tenant,
                                      error=f"schema validation failed: /events/{rng.randint(0, cnt - 1)}/properties/amount: expected number, got string")))
            elif denied(t):
                ev.append((t, fmt.zap("error", t + 0.03, "store/dynamo.go:88", "batch write failed", tenant=tenant, count=cnt, status=500,
                                      error=(f"operation error DynamoDB: BatchWriteItem, https response error StatusCode: 400, RequestID: "
                                             f"{hexid(rng, 32).upper()}, api error AccessDeniedException: User: arn:aws:sts::{acct}:assumed-role/"
                                             f"events-writer-task-role/{task_ids[k]} is not authorized to perform: dynamodb:BatchWriteItem on "
                                             f"resource: arn:aws:dynamodb:{region}:{acct}:table/events-prod because no identity-based policy "
                                             f"allows the dynamodb:BatchWriteItem action"))))
            elif rng.random() < 0.25:
                ev.append((t, fmt.zap("info", t + 0.04, "httpapi/handler.go:74", "events accepted", tenant=tenant, count=cnt,
                                      table="events-prod", latency_ms=rng.randint(18, 70))))
        ev += lam.periodic(rng, t_start, -1, 300, lambda t: fmt.zap("info", t, "metrics/flush.go:40", "flushed counters",
                                                                     accepted=rng.randint(900, 2000), rejected=rng.randint(20, 60)))
    for k in range(9):
        scn.log("/ecs/events-writer", f"ecs/events-writer/{task_ids[k]}", per_task[k])
    for k, (t0, t1) in enumerate([(LOG_START, -3240), (LOG_START, -3230), (-3300, 0), (-3290, 0)]):
        ev = []
        if t0 > LOG_START:
            ev.append((t0 + 2, fmt.zap("info", t0 + 2, "cmd/registry/main.go:33", "starting schema-registry", version="1.6.0")))
        ev += lam.periodic(rng, t0 + 5, t1, 120, lambda t: fmt.zap("info", t, "cache/refresh.go:29", "schema cache refreshed",
                                                                     subjects=rng.randint(140, 146), took_ms=rng.randint(8, 40)))
        scn.log("/ecs/schema-registry", f"ecs/schema-registry/{svc.task_id(rng)}", ev)

    scn.change(iam_t - 9, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "schema-registry-task-role", "terraform-ci")
    scn.change(iam_t, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", "events-writer-task-role", "terraform-ci")
    scn.change(-3312, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "schema-registry:12", "github-actions-deployer")
    scn.change(-3300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "ingest/schema-registry", "github-actions-deployer")
    scn.change(scale_t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "ingest/events-writer", "sam.tanaka")

    d = {"LoadBalancer": alb_id}
    scn.alarm("ingest-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Sum", 60, 3, 10, state="ALARM",
              description="Ingest ALB target 5xx (events-writer)")
    scn.alarm("ingest-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", d, "Average", 60, 5, 0.5, state="OK")
    expect = {"alarm": "ingest-alb-target-5xx",
              "root_cause": {"category": "permission_denied",
                             "resource": ["ingest/events-writer", "events-writer", "events-writer-task-role"]},
              "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": d}]}
    meta = {"slug": "ingest-alb-5xx", "alarm": "ingest-alb-target-5xx", "where": "front (ALB)",
            "decoys": ["on-call scale-out of events-writer 6 -> 9 tasks 12 min ago (most recent change, after onset)",
                       "schema-registry deploy 55 min ago, healthy",
                       "constant 400 'schema validation failed' warnings (same rate before and after)"],
            "cause_change_time": iam_t,
            "story": ("A terraform-ci apply 42 min ago put a policy on schema-registry-task-role and detached a policy from "
                      "events-writer-task-role. Seconds later every BatchWriteItem from the Go events-writer tasks fails with "
                      "AccessDeniedException naming assumed-role/events-writer-task-role and dynamodb:BatchWriteItem on "
                      "table/events-prod ('no identity-based policy allows'), and the handler answers 500, so the ALB "
                      "target-5xx alarm fires. The on-call's scale-out 12 min ago did nothing (new tasks fail the same way). "
                      "Judgement: permission_denied; the origin is the events-writer service (its task role).")}
    return scn, expect, meta


# ------------------------------------------------------------------ h55-04
def s04():
    region = "eu-north-1"
    scn = Scenario("inventory-api-errors", region, 5504, "Product pages show 'stock unavailable'; inventory-api Errors alarm.")
    rng = scn.rng
    host = "inventory-db.c8xk2mvq1zpl.eu-north-1.rds.amazonaws.com"
    crashes = [-1985, -1652, -1331, -1012, -697, -388, -79]
    downs = [(c, c + rng.uniform(95, 140)) for c in crashes]
    is_down = lambda t: any(a <= t < b for a, b in downs)   # noqa: E731
    just_crashed = lambda t: any(a - 1.5 <= t < a for a, _ in downs)   # noqa: E731
    mem_cfg = -6000
    scn.resource("rds", "inventory-db", engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
                 max_connections=1000, allocated_storage_gb=500, multi_az=False, endpoint=host)
    scn.resource("lambda", "inventory-api", runtime="python3.12", timeout=10, memory_size=768, handler="app.handler",
                 environment={"DB_HOST": host, "DB_NAME": "inventory", "DB_USER": "app"})
    scn.resource("lambda", "stock-reconciler", runtime="python3.12", timeout=600, memory_size=1024, handler="reconcile.handler",
                 environment={"FEED_BUCKET": "acme-wms-feeds"})

    tb = ['  File "/var/task/app.py", line 58, in handler\n    conn = db.connection()',
          '  File "/var/task/db.py", line 21, in connection\n    _conn = pymysql.connect(host=DB_HOST, user=DB_USER, password=_secret(), database=DB_NAME, connect_timeout=3)',
          '  File "/var/task/pymysql/connections.py", line 361, in __init__\n    self.connect()',
          '  File "/var/task/pymysql/connections.py", line 716, in connect\n    raise exc']

    def api(rng_, t, r):
        sku = f"sku-{rng_.randint(100000, 999999)}"
        lines = [(4, fmt.py("INFO", t + 0.004, r, f"GET /stock/{sku} warehouse={rng_.choice(['STO1', 'GOT2', 'MMX1'])}"))]
        if rng_.random() < 0.04:
            lines.append((20, fmt.py("WARNING", t + 0.02, r, f"SKU {sku} has no warehouse mapping, returning zero stock")))
        if is_down(t):
            exc = (f"pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on '{host}' ([Errno 111] Connection refused)\")")
            lines.append((16, "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. "
                              "However, in rare cases, a Lambda runtime update can cause unexpected function behavior."))
            lines.append((17, fmt.py_unhandled(t, r, exc, tb)))
            return rng_.uniform(12, 30), rng_.randint(92, 104), "error", lines
        if just_crashed(t + 0.05):
            exc = "pymysql.err.OperationalError: (2013, 'Lost connection to MySQL server during query ([Errno 104] Connection reset by peer)')"
            lines.append((40, fmt.py_unhandled(t, r, exc, tb[:1] + ['  File "/var/task/app.py", line 63, in handler\n    cur.execute(STOCK_SQL, (sku,))'])))
            return rng_.uniform(40, 60), rng_.randint(92, 104), "error", lines
        lines.append((30, fmt.py("INFO", t + 0.03, r, f"stock {sku}: available={rng_.randint(0, 400)} reserved={rng_.randint(0, 20)}")))
        return rng_.uniform(18, 55), rng_.randint(92, 110), "ok", lines
    api_rate = lambda t: 27 * morning(t)   # noqa: E731
    lam.simulate(scn, "inventory-api", memory=lambda t: 768 if t >= mem_cfg else 512, timeout_s=10, rate=api_rate,
                 handler=api, streams=3, recycle=(mem_cfg,))

    def recon(rng_, t, r):
        return rng_.uniform(30000, 80000), rng_.randint(300, 600), "ok", [
            (20, fmt.py("INFO", t + 0.02, r, f"Reconciling feed s3://acme-wms-feeds/{rng_.choice(['STO1', 'GOT2', 'MMX1'])}/2026-11-20T{rng_.randint(0, 8):02d}.csv")),
            (29000, fmt.py("INFO", t + 29, r, f"Reconciled {rng_.randint(3000, 9000)} rows, {rng_.randint(0, 12)} adjustments written to s3"))]
    lam.simulate(scn, "stock-reconciler", memory=1024, timeout_s=600, rate=lambda t: 0.2, handler=recon, streams=1, recycle=(-2700,))

    # inventory-db: metrics and error log
    def db_cpu(t):
        if is_down(t):
            return 1.0
        after = min((t - b for a, b in downs if t >= b), default=9999)
        return 17 * morning(t) / 0.9 + (30 if after < 120 else 0)
    conns = [0.0 if is_down(t + 30) else float(round(14 + 26 * morning(t) + rng.gauss(0, 2))) for t in T]
    freeable = series(rng, lambda t: (13.1 if min((t - b for a, b in downs if t >= b), default=9999) < 240 else 6.2) * GIB, 0.01)
    blocks.rds(scn, "inventory-db", cpu=series(rng, db_cpu, 0.08), conns=conns,
               free_storage=series(rng, lambda t: 212 * GIB - t * 0, 0.0005), freeable_mem=freeable,
               extra={("ReadIOPS", "Count/Second"): series(rng, lambda t: 420 * morning(t) + (2600 if any(b <= t < b + 180 for _, b in downs) else 0), 0.1)})
    log = []
    log += svc.sampled(rng, LOG_START, -1, 0.35, lambda t: fmt.mysql(t, rng.randint(2000, 90000), "Note", "MY-010914", "Server",
                       f"Aborted connection {rng.randint(10000, 99999)} to db: 'inventory' user: 'app' host: '10.0.{rng.randint(1, 9)}.{rng.randint(2, 250)}' (Got an error reading communication packets)."))
    log += svc.sampled(rng, LOG_START, -1, 0.1, lambda t: fmt.mysql(t, rng.randint(2000, 90000), "Warning", "MY-010055", "Server",
                       f"IP address '10.0.{rng.randint(1, 9)}.{rng.randint(2, 250)}' could not be resolved: Name or service not known"))
    for c, up in downs:
        th = rng.randint(40000, 99999)
        log.append((c, fmt.mysql(c, th, "ERROR", "MY-013183", "InnoDB",
                                 f"Assertion failure: btr0cur.cc:336:btr_page_get_prev(get_block->frame) == page_get_page_no(page) thread {rng.randint(10**14, 10**15)}\n"
                                 "InnoDB: We intentionally generate a memory trap.\nInnoDB: Submit a detailed bug report to http://bugs.mysql.com.\n"
                                 "InnoDB: If you get repeated assertion failures or crashes, even\nInnoDB: immediately after the mysqld startup, there may be\n"
                                 "InnoDB: corruption in the InnoDB tablespace. Please refer to\nInnoDB: http://dev.mysql.com/doc/refman/8.0/en/forcing-innodb-recovery.html")))
        log.append((c + 0.01, f"{fmt.iso(c)[:19]}Z UTC - mysqld got signal 6 ;\nMost likely, you have hit a bug, but this error can also be caused by malfunctioning hardware.\n"
                              f"Thread pointer: 0x14a3f2c00\nQuery (14a40c128): UPDATE stock_levels SET reserved = reserved + 1 WHERE sku = ... AND warehouse = ...\n"
                              f"Connection ID (thread ID): {th}\nStatus: NOT_KILLED"))
        s0 = c + rng.uniform(20, 30)
        log.append((s0, fmt.mysql(s0, 0, "System", "MY-010116", "Server", f"/rdsdbbin/mysql/bin/mysqld (mysqld 8.0.35) starting as process {rng.randint(1000, 30000)}")))
        log.append((s0 + 0.2, fmt.mysql(s0 + 0.2, 1, "System", "MY-013576", "InnoDB", "InnoDB initialization has started.")))
        log.append((s0 + 1.8, fmt.mysql(s0 + 1.8, 1, "Note", "MY-012557", "InnoDB", "Database was not shutdown normally!")))
        log.append((s0 + 1.9, fmt.mysql(s0 + 1.9, 1, "Note", "MY-012558", "InnoDB", "Starting crash recovery.")))
        for pct in (10, 30, 50, 70, 90):
            tt = s0 + 2 + (up - s0 - 8) * pct / 100
            log.append((tt, fmt.mysql(tt, 1, "Note", "MY-012536", "InnoDB", f"Apply batch completed - {pct}%")))
        log.append((up - 5, fmt.mysql(up - 5, 1, "System", "MY-013577", "InnoDB", "InnoDB initialization has ended.")))
        log.append((up - 0.5, fmt.mysql(up - 0.5, 0, "System", "MY-010931", "Server",
                                        "/rdsdbbin/mysql/bin/mysqld: ready for connections. Version: '8.0.35'  socket: '/tmp/mysql.sock'  port: 3306  Source distribution.")))
    quiet = lambda e: "[MY-010914]" in e[1] or "[MY-010055]" in e[1]   # noqa: E731 - client-side noise needs a running server
    scn.log("/aws/rds/instance/inventory-db/error", "inventory-db", [e for e in log if e[0] < -0.2 and not (quiet(e) and is_down(e[0]))])

    scn.change(mem_cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "inventory-api", "erik.lund")
    scn.change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "stock-reconciler", "ci-deployer")
    scn.change(-2688, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "stock-reconciler", "ci-deployer")

    d = {"FunctionName": "inventory-api"}
    scn.alarm("inventory-api-errors", "AWS/Lambda", "Errors", d, "Sum", 300, 1, 20, state="ALARM", description="inventory-api Lambda errors")
    expect = {"alarm": "inventory-api-errors",
              "root_cause": {"category": "dependency_failure", "resource": ["inventory-db"]},
              "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d},
                            {"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": "inventory-db"}}]}
    meta = {"slug": "inventory-api-errors", "alarm": "inventory-api-errors", "where": "front (caller Lambda)",
            "decoys": ["stock-reconciler deploy 45 min ago (the most recent change; it reads S3 only and stays healthy)",
                       "inventory-api memory 512 -> 768 MB config change 1 h 40 min ago, clean for an hour",
                       "steady 'no warehouse mapping' warnings and MySQL 'Aborted connection' notes"],
            "cause_change_time": None,
            "story": ("The single-AZ MySQL 8.0 instance inventory-db has been crash-looping for 33 min: each cycle its error "
                      "log shows an InnoDB assertion failure in btr0cur.cc (page corruption), 'mysqld got signal 6', then crash "
                      "recovery and 'ready for connections' about two minutes later, until the next UPDATE touches the corrupt "
                      "page. inventory-api fails with pymysql 2003 'Connection refused' while mysqld is down and 2013 'Lost "
                      "connection' at each crash. DatabaseConnections drop to zero in each outage (far from max_connections 1000), "
                      "CPU and memory are low, storage is ample. Neither change touches the database. Judgement: "
                      "dependency_failure at inventory-db (a dependency in the account, not exhausted).")}
    return scn, expect, meta
