"""h56-07, h56-08: a month-end batch on ECS that runs out of heap, a MySQL instance that runs out of disk."""
import datetime as dt
import heapq

from . import logfmt as lf
from .core import Scenario
from .lambda_sim import LambdaFn

ACCOUNT = "412907655218"


def s07_statement_generator_oom():
    sc = Scenario(name="h56-07-statement-generator-oom", region="eu-west-1", seed=5607, tz_hours=0,
                  now_utc=dt.datetime(2026, 3, 1, 2, 10),
                  description="Month-end statement run: memory alarm on the statement generator service.")
    rng = sc.rng
    cluster, svc = "batch", "statement-generator"
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=3, cpu=2048, memory=4096,
                java_opts="-Xmx3g -XX:+ExitOnOutOfMemoryError", queue="statement-requests",
                visibility_timeout_s=300, log_groups=[f"/ecs/{svc}"],
                image=f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/statement-generator:3.8.2")
    sc.resource("ecs", "web/customer-portal", launch_type="FARGATE", desired_count=2, cpu=1024, memory=2048)
    sc.resource("rds", "statements-db", engine="postgres", engine_version="16.1", instance_class="db.r6g.xlarge",
                max_connections=3400, allocated_storage_gb=800)
    sc.change(-2710, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "customer-portal",
              "codepipeline-web")
    sc.change(-2702, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/customer-portal",
              "codepipeline-web")

    run = -4200
    big = {"88123410": 1912377, "88450022": 1204511, "87002319": 1488090, "88771204": 977215}
    # everything is enqueued at 01:00; a standard queue hands the backlog out in no particular
    # order, and a message whose receiver died is handed out again soon after its timeout
    queue = [(run + rng.uniform(5, 60), f"8{rng.randint(1000000, 9999999)}") for _ in range(2396)]
    big_next = dict(zip(big, (run + 1190, run + 1720, run + 2380, run + 3050)))
    order = [a for _, a in queue] + list(big)
    receives = {a: 0 for a in order}

    gens, events = [], {}
    free = []

    def new_task(k, born):
        tid = sc.hexid(32)
        g = {"k": k, "id": tid, "born": born, "crash": None, "big": None, "n": len(gens)}
        gens.append(g)
        events[tid] = [(born, lf.spring(sc, born, "INFO", svc, "main", "c.a.statements.StatementApplication",
                                       "Starting StatementApplication v3.8.2 using Java 17.0.10 with PID 1")),
                       (born + 11.4, lf.spring(sc, born + 11.4, "INFO", svc, "main",
                                               "c.a.statements.StatementApplication",
                                               "Started StatementApplication in 11.38 seconds (process running for 12.1)")),
                       (born + 11.6, lf.spring(sc, born + 11.6, "INFO", svc, "main", "c.a.s.queue.SqsPoller",
                                               "Polling statement-requests with 4 workers"))]
        for j in range(4):
            heapq.heappush(free, (born + 12 + j * 0.3, g["n"], j, g))

    for k in range(3):
        new_task(k, -sc.history - rng.uniform(3000, 9000))
    mem_marks = []                               # (start, end, task-id) of heap ramps
    processed = []
    while free:
        t, _, j, g = heapq.heappop(free)
        if t >= 0 or (g["crash"] is not None and t >= g["crash"]):
            continue
        due = [a for a, x in big_next.items() if x <= t]
        if due:
            acct = due[0]
        else:
            ready = [i for i, (x, _) in enumerate(queue) if x <= t]
            if not ready:
                heapq.heappush(free, (t + 5, g["n"], j, g))
                continue
            acct = queue.pop(rng.choice(ready))[1]
        receives[acct] += 1
        thread = f"statement-w-{j + 1}"
        ev = events[g["id"]]
        ntx = big.get(acct, rng.randint(80, 9000))
        ev.append((t, lf.spring(sc, t, "INFO", svc, thread, "c.a.statements.StatementService",
                                f"Generating statement for account {acct} period 2026-02 ({ntx:,} transactions, "
                                f"receive {receives[acct]})")))
        if acct in big:
            crash = t + rng.uniform(150, 230)
            if g["crash"] is None or crash < g["crash"]:
                g["crash"], g["big"] = crash, acct
                mem_marks.append((t, crash, g["id"]))
                hk = t + (crash - t) * 0.8
                ev.append((hk, lf.spring(sc, hk, "WARN", svc, "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                                         f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper "
                                         f"delta={rng.randint(41, 66)}s{rng.randint(100, 999)}ms).")))
                ev.append((crash, "Terminating due to java.lang.OutOfMemoryError: Java heap space"))
                if crash < 0:
                    new_task(g["k"], crash + rng.uniform(70, 105))
            big_next[acct] = t + 300 + rng.uniform(60, 220)
            if receives[acct] >= 10:
                del big_next[acct]
            continue
        dur = rng.uniform(18, 42) + ntx / 900
        end = t + dur
        if g["crash"] is not None and end > g["crash"]:
            queue.append((t + 300, acct))
            continue
        if rng.random() < 0.03:
            ev.append((t + 2.1, lf.spring(sc, t + 2.1, "WARN", svc, thread, "c.a.statements.pdf.FontRegistry",
                                          "Font 'Helvetica-Narrow' not found, substituting 'Helvetica'")))
        ev.append((end, lf.spring(sc, end, "INFO", svc, thread, "c.a.statements.StatementService",
                                  f"Statement {acct}-2026-02.pdf uploaded to s3://acme-statements/2026/02/ "
                                  f"({max(1, ntx // 45)} pages, {dur:.1f}s)")))
        processed.append(end)
        heapq.heappush(free, (end + rng.uniform(0.05, 0.4), g["n"], j, g))

    for g in gens:
        ev = events[g["id"]]
        end = g["crash"] if g["crash"] is not None else 0
        ev += [(x, lf.spring(sc, x, "INFO", svc, "scheduling-1", "c.a.statements.health.QueueLag",
                             f"{0 if x < run else 2400 - sum(1 for p in processed if p <= x)} statements waiting, heap "
                             f"{rng.uniform(0.9, 1.6):.2f}/3.00 GiB"))
               for x in range(int(g["born"]) + 60, int(min(end, -1)), 300)]
        sc.log(f"/ecs/{svc}", f"ecs/{svc}/{g['id']}", [e for e in ev if sc.log_from <= e[0] <= end + 0.01])

    def mem(m):
        vals = []
        for g in gens:
            alive_to = g["crash"] if g["crash"] is not None else 0
            if g["born"] <= m + 59 and m < alive_to:
                v = rng.uniform(44, 58) if m >= run else rng.uniform(22, 26)
                for s, c, tid in mem_marks:
                    if tid == g["id"] and s <= m + 59:
                        v = max(v, min(100.0, 58 + 42 * (min(m + 59, c) - s) / (c - s)))
                vals.append(v)
        return max(vals) if vals else None

    def running(m):
        return sum(1 for g in gens if g["born"] + 12 <= m + 30 < (g["crash"] if g["crash"] is not None else 1))

    d = {"ClusterName": cluster, "ServiceName": svc}
    sc.series("AWS/ECS", "MemoryUtilization", d, "Percent", mem)
    sc.series("AWS/ECS", "CPUUtilization", d, "Percent",
              lambda m: rng.uniform(58, 74) if m >= run else rng.uniform(1, 3))
    sc.series("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running)
    qd = {"QueueName": "statement-requests"}
    done = sorted(processed)
    sc.series("AWS/SQS", "ApproximateNumberOfMessagesVisible", qd, "Count",
              lambda m: 0 if m < run else 2400 - sum(1 for x in done if x <= m + 30) - 12)
    sc.series("AWS/SQS", "ApproximateAgeOfOldestMessage", qd, "Seconds", lambda m: 0 if m < run else m + 30 - run)
    sc.series("AWS/SQS", "NumberOfMessagesDeleted", qd, "Count",
              lambda m: sum(1 for x in done if m <= x < m + 60))
    wd = {"ClusterName": "web", "ServiceName": "customer-portal"}
    sc.series("AWS/ECS", "CPUUtilization", wd, "Percent", lambda m: rng.uniform(6, 11) + (18 if -2702 <= m < -2460 else 0))
    sc.series("AWS/ECS", "MemoryUtilization", wd, "Percent", lambda m: rng.uniform(51, 55))
    sc.series("ECS/ContainerInsights", "RunningTaskCount", wd, "Count", lambda m: 4 if -2702 <= m < -2460 else 2)
    rd = {"DBInstanceIdentifier": "statements-db"}
    sc.series("AWS/RDS", "CPUUtilization", rd, "Percent", lambda m: rng.uniform(6, 10) + (27 if m >= run else 0))
    sc.series("AWS/RDS", "DatabaseConnections", rd, "Count", lambda m: rng.randint(30, 36) + (running(m) * 10 if m >= run else 0))
    sc.series("AWS/RDS", "ReadLatency", rd, "Seconds", lambda m: rng.uniform(0.0006, 0.0011) * (1.8 if m >= run else 1))
    sc.series("AWS/RDS", "FreeableMemory", rd, "Bytes", lambda m: rng.uniform(1.71e10, 1.74e10))

    sc.alarm("statement-generator-memory-high", "AWS/ECS", "MemoryUtilization", d, "Maximum", 300, 1, 95,
             "GreaterThanThreshold", description="statement-generator task memory above 95 %")
    sc.set_expect("statement-generator-memory-high", "memory_exhaustion", [f"{cluster}/{svc}", svc],
                  [("AWS/ECS", "MemoryUtilization", d), ("ECS/ContainerInsights", "RunningTaskCount", d)])
    sc.notes = {
        "category": "memory_exhaustion", "origin": "origin (the service's memory alarm)",
        "decoys": "customer-portal deployment at 01:25 (other cluster, healthy); the scheduled month-end "
                  "run itself (queue spike, statements-db CPU/connections up - expected load); steady "
                  "'Font not found' warnings",
        "story": "The month-end EventBridge rule enqueued 2,400 statements at 01:00 UTC. Ordinary accounts "
                 "render in 20-40 s. When a worker picks one of four corporate accounts with 1-1.9 M "
                 "transactions, the task's memory climbs to 100 %, Hikari reports thread starvation (GC "
                 "pauses) and the JVM exits with 'Terminating due to java.lang.OutOfMemoryError: Java heap "
                 "space'; ECS replaces the task, the message comes back after its visibility timeout and kills "
                 "the next task. No deploy or config change on the service. OOM kills and memory at the limit: "
                 "memory_exhaustion on batch/statement-generator.",
    }
    return sc


def s08_audit_mysql_storage_full():
    sc = Scenario(name="h56-08-audit-mysql-storage-full", region="us-east-2", seed=5608, tz_hours=-4,
                  now_utc=dt.datetime(2026, 7, 19, 8, 5),
                  description="audit-sink Lambda erroring since ~03:35 EDT; Errors alarm paged the on-call.")
    rng = sc.rng
    db = "audit-mysql"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.m6g.large",
                allocated_storage_gb=200, storage_autoscaling=False, storage_type="gp3",
                binlog_retention_hours=168, max_connections=1365)
    fn = LambdaFn(sc, "audit-sink", "python3.11", 512, 60)
    sc.resource("lambda", fn.name, runtime="python3.11", timeout=60, memory_size=512,
                event_source=f"arn:aws:kinesis:us-east-2:{ACCOUNT}:stream/audit-events", batch_size=1000,
                maximum_batching_window_s=10)
    q = LambdaFn(sc, "audit-query-api", "nodejs20.x", 512, 29)
    sc.resource("lambda", q.name, runtime="nodejs20.x", timeout=29, memory_size=512)
    sc.resource("apigateway", "audit-api", stage="prod", rest_api_id="a7d1t0qq3m")
    sc.change(-2515, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", q.name,
              "github-actions-audit")
    q.resets = [-2515]

    full_at = -1710
    gb = 1024 ** 3

    def free(m):
        if m >= full_at:
            return rng.uniform(0.0, 0.02) * gb
        return (5.6 * (full_at - m) / (full_at + sc.history)) * gb + rng.uniform(-0.01, 0.01) * gb

    iterator_age, t = {}, -sc.history + 3.3
    stuck = None
    while t < -1:
        if t >= full_at + 20:
            stuck = stuck if stuck is not None else t - 11
            lines = [(0.002, "INFO", "Received 1000 records from shardId-000000000000")]
            if rng.random() < 0.85:
                msg = "(1114, \"The table 'audit_events' is full\")"
            else:
                msg = ("(3, \"Error writing file './mysql-bin-changelog.004417' (OS errno 28 - No space left "
                       "on device)\")")
            err = {"type": "pymysql.err.OperationalError", "message": msg, "trace": [
                '  File "/var/task/sink/handler.py", line 52, in handler',
                '    cur.executemany(INSERT_SQL, rows)',
                '  File "/var/task/pymysql/cursors.py", line 182, in executemany',
                '    self.rowcount = sum(self.execute(query, arg) for arg in args)',
                '  File "/var/task/pymysql/err.py", line 150, in raise_mysql_exception',
                '    raise errorclass(errno, errval)']}
            dur = rng.uniform(300, 1400)
            fn.add(t, dur, "error", lines, mem=rng.randint(150, 170), err=err)
            age = (t - stuck) * 1000
            t += dur / 1000 + rng.uniform(8, 20)
        else:
            n = rng.randint(700, 1000)
            dur = rng.uniform(900, 1600)
            lines = [(0.002, "INFO", f"Received {n} records from shardId-000000000000")]
            if rng.random() < 0.2:
                lines.append((0.01, "WARNING", f"Skipping {rng.randint(1, 3)} events with unknown schema_version=1 "
                                               f"(producer legacy-sso-bridge)"))
            lines.append((dur / 1000 - 0.005, "INFO", f"Inserted {n} rows into audit.audit_events"))
            fn.add(t, dur, "ok", lines, mem=rng.randint(150, 170))
            age = rng.uniform(9000, 12000) + dur
            t += rng.uniform(10, 12.5)
        k = int(t // 60) * 60
        iterator_age[k] = max(iterator_age.get(k, 0), age)
    fn.emit_metrics()
    fn.emit_logs()
    sc.metric("AWS/Lambda", "IteratorAge", {"FunctionName": fn.name}, "Milliseconds",
              sorted((k, v) for k, v in iterator_age.items() if k <= -60))

    ev = []
    for m in sc.minutes(start=sc.log_from):
        if rng.random() < 0.12:
            x = m + rng.uniform(0, 60)
            ev.append((x, lf.mysql(sc, x, "Warning", "MY-010055", "Server", f"IP address '10.30.{rng.randint(1, 9)}."
                                   f"{rng.randint(2, 250)}' could not be resolved: Name or service not known")))
        if m >= full_at:
            x = m + rng.uniform(0, 60)
            ev.append((x, lf.mysql(sc, x, "ERROR", "MY-013132", "Server", "The table 'audit_events' is full!",
                                   thread=rng.randint(880, 990))))
            if (m - sc.log_from) % 600 == 0:
                ev.append((x + 0.2, lf.mysql(sc, x + 0.2, "ERROR", "MY-000035", "Server", "Disk is full writing "
                           "'/rdsdbdata/log/binlog/mysql-bin-changelog.004417' (OS errno 28 - No space left on device). "
                           "Waiting for someone to free space... Retry in 60 secs. Write of 8192 bytes, this message "
                           "is printed only once every 10 minutes, please be patient", thread=rng.randint(880, 990))))
    first = full_at + 3.2
    ev.append((first, lf.mysql(sc, first, "ERROR", "MY-012639", "InnoDB", "Write to file ./audit/audit_events.ibd "
               "failed at offset 93847977984, 16384 bytes should have been written, only 0 were written. Operating "
               "system error number 28. Check that your OS and file system support files of this size. Check also "
               "that the disk is not full or a disk quota exceeded.", thread=912)))
    ev.append((first + 0.001, lf.mysql(sc, first + 0.001, "ERROR", "MY-012640", "InnoDB",
                                       "Error number 28 means 'No space left on device'", thread=912)))
    sc.log(f"/aws/rds/instance/{db}/error", "mysql-error-running.log", ev)

    rd = {"DBInstanceIdentifier": db}
    sc.series("AWS/RDS", "FreeStorageSpace", rd, "Bytes", free)
    sc.series("AWS/RDS", "BinLogDiskUsage", rd, "Bytes", lambda m: (31.2 + (m + sc.history) / 3600 * 0.38) * gb)
    sc.series("AWS/RDS", "CPUUtilization", rd, "Percent",
              lambda m: rng.uniform(11, 17) + (29 if -3900 <= m < -3300 else 0) - (6 if m >= full_at else 0))
    sc.series("AWS/RDS", "DatabaseConnections", rd, "Count", lambda m: rng.randint(14, 19))
    sc.series("AWS/RDS", "WriteIOPS", rd, "Count/Second",
              lambda m: rng.uniform(540, 700) if m < full_at else rng.uniform(3, 12))
    sc.series("AWS/RDS", "WriteLatency", rd, "Seconds", lambda m: rng.uniform(0.0009, 0.0016))
    sc.series("AWS/RDS", "ReadLatency", rd, "Seconds",
              lambda m: rng.uniform(0.0005, 0.001) * (2.5 if -3900 <= m < -3300 else 1))

    counts = {}
    for m in sc.minutes():
        n = sc.poisson(sc.diurnal(m, 30, 1.6))
        counts[m] = n
        for _ in range(n):
            x = m + rng.uniform(0, 60)
            lines = [(0.002, "INFO", f"GET /v1/audit/events?actor=usr_{sc.hexid(8)}&limit=100")]
            d = rng.uniform(45, 320)
            lines.append((d / 1000 - 0.002, "INFO", f"returned {rng.randint(0, 100)} events in {d:.0f} ms"))
            q.add(x, d, "ok", lines, mem=rng.randint(92, 101))
    q.emit_metrics()
    q.emit_logs()
    a = {"ApiName": "audit-api"}
    sc.series("AWS/ApiGateway", "Count", a, "Count", lambda m: counts[m] or None)
    sc.series("AWS/ApiGateway", "5XXError", a, "Count", lambda m: 0 if counts[m] else None)
    sc.series("AWS/ApiGateway", "Latency", a, "Milliseconds", lambda m: rng.uniform(90, 360) if counts[m] else None)

    sc.alarm("audit-sink-errors", "AWS/Lambda", "Errors", {"FunctionName": fn.name}, "Sum", 300, 2, 5,
             "GreaterThanThreshold", description="Audit events are not being persisted")
    sc.set_expect("audit-sink-errors", "storage_exhaustion", [db],
                  [("AWS/RDS", "FreeStorageSpace", rd), ("AWS/Lambda", "Errors", {"FunctionName": fn.name})])
    sc.notes = {
        "category": "storage_exhaustion", "origin": "front (the writer's Errors; the full database is the origin)",
        "decoys": "audit-query-api deployment 13 min before onset (reads keep working); nightly rollup CPU/read "
                  "latency bump on audit-mysql at 03:00 EDT; steady 'unknown schema_version' warnings and "
                  "MY-010055 DNS warnings",
        "story": "audit-mysql has 200 GB without storage autoscaling; FreeStorageSpace falls steadily all night "
                 "(inserts plus 7 days of binlogs) and reaches zero at 03:36 EDT. From then on MySQL logs "
                 "'Write to file ... Operating system error number 28', 'The table 'audit_events' is full!' and "
                 "'Disk is full writing ... binlog', WriteIOPS collapses, and every audit-sink batch fails with "
                 "pymysql 1114 'The table is full', Kinesis retries and IteratorAge grows. The audit-query-api "
                 "deploy only affects reads, which still succeed. Storage full with 'No space left on device': "
                 "storage_exhaustion on audit-mysql.",
    }
    return sc
