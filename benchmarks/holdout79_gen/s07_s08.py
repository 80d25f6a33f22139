"""h79-07 (export API tasks killed out of heap behind the reporting ALB) and h79-08 (audit ingest
failing: an orphaned replication slot filled the shared Postgres's storage)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg, spring

from .kit import LOG_START, binom, ecs_dims, meta, new, put, run_lambda, task_id, ticks


# --------------------------------------------------------------------------- h79-07
def build07():
    sc = new(7, "reporting-502s", "Reporting exports failing with 502 Bad Gateway for several "
             "departments; ALB ELB 5XX alarm.", "us-east-2", "2026-07-01T15:12:00+00:00")
    lb, cl = "app/int-reporting/0f4a7d2c9e1b6583", "reporting"
    sc.resource("alb", lb, name="int-reporting", scheme="internal")
    sc.resource("ecs", f"{cl}/exporter-api", launch_type="FARGATE", desired_count=3, cpu=1024,
                memory=2048, task_definition="exporter-api:61", jvm="-Xmx1536m", log_group="/ecs/reporting/exporter-api")
    sc.resource("ecs", f"{cl}/scheduler", launch_type="FARGATE", desired_count=1, cpu=256, memory=512,
                task_definition="scheduler:19", log_group="/ecs/reporting/scheduler")
    grow, oom = -9000, -2600
    kills = [oom + k * 185 + sc.rng.uniform(-40, 40) for k in range(14) if oom + k * 185 < -30]
    near = lambda t: min([abs(t - k) for k in kills] + [1e9]) < 60

    def mem(t):
        if t < oom:
            return 44 + 52 * ramp(t, grow, oom)
        since = min([t - k for k in kills if k <= t] + [t - oom])
        return 70 + min(28.0, since / 185 * 30)
    d = ecs_dims(cl, "exporter-api")
    put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.01, cap=100.0)
    put(sc, "AWS/ECS", "CPUUtilization", d, "Percent",
        lambda t: 22 + 52 * ramp(t, oom - 1500, oom), noise=0.07)
    d2 = ecs_dims(cl, "scheduler")
    put(sc, "AWS/ECS", "MemoryUtilization", d2, "Percent", lambda t: 31.0, noise=0.02)
    put(sc, "AWS/ECS", "CPUUtilization", d2, "Percent", lambda t: 6 + bump(t, -2480, -2300, 30, 40), noise=0.1)
    req = put(sc, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}, "Count",
              lambda t: 58 * diurnal(sc, t, 15.0, 0.3), integer=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Count",
              binom(sc, req, lambda t: 0.001 + (0.45 if near(t) else 0.12) * (t >= oom)))
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Count",
              binom(sc, req, lambda t: 0.004 + 0.05 * (t >= oom)))
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Seconds",
        lambda t: 0.8 + 2.4 * ramp(t, oom - 1800, oom), noise=0.15, digits=4)
    put(sc, "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb}, "Count",
        lambda t: 1.0 if near(t) else 0.0, noise=0.0)
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": lb}, "Count",
        lambda t: 2.0 if near(t) else 3.0, noise=0.0)

    app = "exporter-api"
    g = "/ecs/reporting/exporter-api"
    # three task slots; each slot gets a new task id after each kill assigned to it
    slots = [[(LOG_START, task_id(sc))] for _ in range(3)]
    for i, k in enumerate(kills):
        slots[i % 3].append((k + 35, task_id(sc)))
    for slot in slots:
        for j, (t0, tid) in enumerate(slot):
            t1 = slot[j + 1][0] - 35 if j + 1 < len(slot) else 0.0
            st = f"ecs/{app}/{tid}"
            if t0 > LOG_START:
                sc.log(g, st, t0, spring(sc, t0, "INFO", "main", "c.c.r.exporter.ExporterApiApplication",
                                         "Starting ExporterApiApplication v3.14.2 using Java 17.0.10 with PID 1", app))
                sc.log(g, st, t0 + 9.8, spring(sc, t0 + 9.8, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                                               "Tomcat started on port 8080 (http) with context path ''", app))
            for t in ticks(sc, lambda m: 1.3, t0 + 10, t1):
                org = "org-merged-ops" if sc.rng.random() < 0.25 else sc.rng.choice(["org-fin", "org-eng", "org-hr"])
                n = sc.rng.randint(42000, 51000) if org == "org-merged-ops" else sc.rng.randint(300, 4000)
                sc.log(g, st, t, spring(sc, t, "INFO", f"http-nio-8080-exec-{sc.rng.randint(1, 20)}",
                                        "c.c.r.exporter.web.ExportController",
                                        f"export requested org={org} rows={n} format=xlsx", app))
            for t in ticks(sc, lambda m: 0.08, t0 + 10, t1):
                sc.log(g, st, t, spring(sc, t, "WARN", "scheduling-1", "c.c.r.exporter.tpl.TemplateRegistry",
                                        "Template 'legacy-payroll-v1' is deprecated; rendering with compatibility shim", app))
            for t in ticks(sc, lambda m: 4.0 * ramp(m, grow + 2400, oom), max(t0, grow), t1):
                before = int(1536 * (0.86 + 0.13 * ramp(t, grow, oom)))
                d_ = sc.at(t)
                sc.log(g, st, t, f"[{d_.strftime('%Y-%m-%dT%H:%M:%S')}.{d_.microsecond // 1000:03d}+0000][info][gc] "
                       f"GC({sc.rng.randint(400, 9000)}) Pause Full (G1 Compaction Pause) {before}M->"
                       f"{before - sc.rng.randint(3, 40)}M(1536M) {sc.rng.uniform(600, 2400):.3f}ms")
            if j + 1 < len(slot):
                tk = t1 - 2
                thr = f"http-nio-8080-exec-{sc.rng.randint(1, 20)}"
                sc.log(g, st, tk, f'Exception in thread "{thr}" java.lang.OutOfMemoryError: Java heap space')
                sc.log(g, st, tk + 0.4, spring(sc, tk + 0.4, "ERROR", thr, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                       "Servlet.service() for servlet [dispatcherServlet] threw exception [Handler dispatch failed: "
                       "java.lang.OutOfMemoryError: Java heap space] with root cause", app))
                sc.log(g, st, tk + 1.1, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
    stid = task_id(sc)
    for t in ticks(sc, lambda m: 0.2):
        sc.log("/ecs/reporting/scheduler", f"ecs/scheduler/{stid}", t, spring(
            sc, t, "INFO", "scheduling-1", "c.c.r.scheduler.DigestJob", "queued nightly digests: 0 due", "scheduler"))

    sc.change(-2650, "logs.amazonaws.com", "PutRetentionPolicy", "AWS::Logs::LogGroup",
              "/ecs/reporting/exporter-api", "platform-log-governance")
    sc.change(-2510, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/scheduler",
              "reporting-deployer")
    sc.change(-16800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/exporter-api",
              "reporting-deployer")
    sc.alarm("int-reporting-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 3, "GreaterThanThreshold", "Reporting ALB 502/503/504")
    sc.alarm("exporter-api-cpu-high", "AWS/ECS", "CPUUtilization", d, "Average", 300, 2, 65, "GreaterThanThreshold")
    sc.expect = {"alarm": "int-reporting-elb-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/exporter-api", "exporter-api"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": d}]}
    meta(sc, category="memory_exhaustion", resources=[f"{cl}/exporter-api", "exporter-api"], front="front (ALB)",
         services="ALB, ECS (Java/Spring Boot text + JVM GC log)",
         decoys="scheduler service deploy and log-retention change around the onset; GC-driven CPU alarm "
                "on the origin; old deprecation warnings; exporter deploy 4.6 h earlier",
         story="ELB 502s begin at -43 min and come in bursts every few minutes. The exporter's memory "
               "climbs steadily from -2.5 h (44 % -> 96 %) as the newly merged `org-merged-ops` "
               "(~45k rows) keeps requesting xlsx exports. The JVM logs Full GC compaction pauses at "
               "~1.5 GB of a 1536M heap, then `java.lang.OutOfMemoryError: Java heap space`. Tasks "
               "restart with the same v3.14.2 image and memory saws between 70 and 98 %. CPU is high "
               "from GC, and it raises an alarm of its own, but it is a symptom. The scheduler deploy "
               "and the log-retention change around the onset touch nothing in the request path. "
               "The exporter's own deploy was 4.6 h earlier.")
    return sc


# --------------------------------------------------------------------------- h79-08
def build08():
    sc = new(8, "audit-ingest-errors", "Audit event ingest Lambda failing; events piling up in the "
             "queue; Errors alarm.", "eu-north-1", "2026-09-09T11:30:00+00:00")
    fn, db, db1 = "audit-ingest", "pg-core-02", "pg-core-01"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=30, memory_size=512, trigger="SQS people-audit-events")
    sc.resource("rds", db, engine="postgres", engine_version="14.11", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=200, storage_autoscaling=False)
    sc.resource("rds", db1, engine="postgres", engine_version="14.11", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=200)
    dep, full = -2700, -1500
    free = lambda t: max(0.0, 14.2e9 * (1 - (t + 21600) / (full + 21600)))
    dd, d1 = {"DBInstanceIdentifier": db}, {"DBInstanceIdentifier": db1}
    put(sc, "AWS/RDS", "FreeStorageSpace", dd, "Bytes",
        lambda t: free(t) + (sc.rng.uniform(2e6, 9e6) if free(t) == 0 else 0), noise=0.002, digits=0)
    put(sc, "AWS/RDS", "TransactionLogsDiskUsage", dd, "Bytes", lambda t: 5.8e10 + 14.2e9 - free(t), noise=0.001, digits=0)
    put(sc, "AWS/RDS", "OldestReplicationSlotLag", dd, "Bytes", lambda t: 5.8e10 + 14.2e9 - free(t), noise=0.001, digits=0)
    put(sc, "AWS/RDS", "CPUUtilization", dd, "Percent", lambda t: 21 + bump(t, -12600, -11900, 41, 200), noise=0.08)
    put(sc, "AWS/RDS", "DatabaseConnections", dd, "Count", lambda t: 118.0, noise=0.04, digits=0)
    put(sc, "AWS/RDS", "WriteLatency", dd, "Seconds", lambda t: 0.0021, noise=0.15, digits=5)
    put(sc, "AWS/RDS", "FreeStorageSpace", d1, "Bytes", lambda t: 1.21e11, noise=0.0005, digits=0)
    put(sc, "AWS/RDS", "CPUUtilization", d1, "Percent", lambda t: 14.0, noise=0.1)
    inv = put(sc, "AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count",
              lambda t: 9 * diurnal(sc, t, 11.0, 0.3), integer=True)
    err = binom(sc, inv, lambda t: 0.006 + 0.92 * (t >= full))
    sc.metric("AWS/Lambda", "Errors", {"FunctionName": fn}, "Count", err)
    put(sc, "AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds",
        lambda t: 140 + 60 * (t >= full), noise=0.15)
    put(sc, "AWS/Lambda", "ConcurrentExecutions", {"FunctionName": fn}, "Count", lambda t: 1.0, noise=0.2, digits=0)

    def body(ll, t, r, is_err, cold):
        n = sc.rng.randint(5, 10)
        lines = [(0.002, ll.fmt(t, r, "INFO", f"received batch of {n} audit events"))]
        if is_err and t < full:
            lines.append((0.09, ll.fmt(t, r, "ERROR", "validation failed for event: actor.id missing "
                                       "(source=legacy-hr-bridge); message will be retried")))
            return {"dur": sc.rng.gauss(100, 20), "lines": lines, "status": "error", "error_type": "Error"}
        if is_err:
            rel = sc.rng.choice(["91127.3", "91127.4", "91131"])
            lines.append((0.18, ll.fmt(t, r, "ERROR", f'Invoke Error \t{{"errorType":"error","errorMessage":'
                                       f'"could not extend file \\"base/16402/{rel}\\": No space left on device",'
                                       '"code":"53100","severity":"ERROR","routine":"mdextend","stack":["error: '
                                       f'could not extend file \\"base/16402/{rel}\\": No space left on device",'
                                       '"    at /var/task/node_modules/pg/lib/client.js:535:17",'
                                       '"    at async insertEvents (/var/task/dist/store.js:41:5)"]}')))
            return {"dur": sc.rng.gauss(200, 30), "lines": lines, "status": "error", "error_type": "error"}
        lines.append((0.13, ll.fmt(t, r, "INFO", f"inserted {n} rows into audit.events")))
        return {"dur": sc.rng.gauss(140, 20), "lines": lines}

    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 30, mem_used=(118, 5),
                    epochs=((-10 ** 9, "$LATEST"),), retire=(dep,))
    run_lambda(sc, ll, inv, err, body)
    g = f"/aws/rds/instance/{db}/postgresql"
    for t in sorted(set(range(LOG_START, 0, 300))):
        if t < full:
            sc.log(g, f"{db}.0", t + 2, pg(sc, t + 2, "LOG", "checkpoint starting: time", pid=571))
            sc.log(g, f"{db}.0", t + 31, pg(sc, t + 31, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 4000)} "
                   "buffers (1.2%); 0 WAL file(s) added, 0 removed, 0 recycled; write=26.911 s, sync=0.004 s, "
                   "total=29.003 s; sync files=41, longest=0.002 s, average=0.001 s", pid=571))
    for t in ticks(sc, lambda m: 0.05, LOG_START, full):
        sc.log(g, f"{db}.0", t, pg(sc, t, "LOG", "automatic vacuum of table \"people.audit.events\": index scans: 1",
                                   pid=sc.rng.randint(20000, 30000)))
    sc.log(g, f"{db}.0", full - 20, pg(sc, full - 20, "PANIC", 'could not write to file "pg_wal/xlogtemp.22871": '
                                       "No space left on device", "10.81.4.22(51312)", "audit_writer", "people", 22871))
    sc.log(g, f"{db}.0", full - 19, pg(sc, full - 19, "LOG", "server process (PID 22871) was terminated by signal 6: "
                                       "Aborted", pid=542))
    sc.log(g, f"{db}.0", full - 18, pg(sc, full - 18, "LOG", "terminating any other active server processes", pid=542))
    sc.log(g, f"{db}.0", full - 6, pg(sc, full - 6, "LOG", "database system was not properly shut down; "
                                      "automatic recovery in progress", pid=23001))
    for t in ticks(sc, lambda m: 3.0, full):
        rel = sc.rng.choice(["91127.3", "91127.4", "91131"])
        sc.log(g, f"{db}.0", t, pg(sc, t, "ERROR", f'could not extend file "base/16402/{rel}": No space left on device',
                                   f"10.81.4.{sc.rng.randint(10, 60)}({sc.rng.randint(30000, 60000)})",
                                   "audit_writer", "people"))
        sc.log(g, f"{db}.0", t + 0.001, pg(sc, t + 0.001, "HINT", "Check free disk space.",
                                           user="audit_writer", db="people"))

    sc.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "people-platform-ci")
    sc.change(dep + 15, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "people-platform-ci")
    sc.change(-1620, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db1, "dba-automation")
    sc.alarm("audit-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 2,
             "GreaterThanThreshold", "Audit ingest failures (events retried from SQS)")
    sc.alarm("pg-core-02-cpu", "AWS/RDS", "CPUUtilization", dd, "Average", 300, 2, 50, "GreaterThanThreshold")
    sc.alarm("pg-core-01-low-storage", "AWS/RDS", "FreeStorageSpace", d1, "Minimum", 300, 1, 1e10,
             "LessThanThreshold")
    sc.expect = {"alarm": "audit-ingest-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": dd}]}
    meta(sc, category="storage_exhaustion", resources=[db], front="front (caller Lambda)",
         services="Lambda (Node), RDS Postgres (postgresql log)",
         decoys="code deploy of the alarmed function 20 min before onset; ModifyDBInstance on the sibling "
                "database 2 min before; long-standing validation errors; an older CPU bump on the origin",
         story="At -25 min nearly every `audit-ingest` invocation starts failing with `could not "
               "extend file ... No space left on device` (SQLSTATE 53100). For six hours `pg-core-02`'s "
               "FreeStorageSpace falls in a straight line from 14 GB to zero. TransactionLogsDiskUsage "
               "and OldestReplicationSlotLag grow by the same amount: an abandoned replication slot is "
               "pinning WAL. Postgres logs a PANIC writing `pg_wal`, a crash recovery, and then "
               "`could not extend file` on every insert. The function was deployed 20 min before the "
               "onset and then ran cleanly for 20 minutes. The ModifyDBInstance targets `pg-core-01`, "
               "whose storage is flat. The validation errors come at the same low rate as before.")
    return sc


BUILDERS = [build07, build08]
