"""h37-09 (unbounded JDBC result set kills ECS tasks with heap OOM) and h37-10 (month-end reconcile Lambda hits its timeout)."""
from __future__ import annotations

import json

from .common import LOG_START, Scenario, ramp, sig
from .logs import LambdaLogs, every, times

EXPORT_SQL = ("SELECT le.employee_id, le.pay_period, le.component_code, le.amount_minor, le.currency, le.posted_at FROM "
              "ledger_entries le WHERE le.tenant_id = $1 AND le.posted_at >= $2 ORDER BY le.employee_id, le.posted_at")


def build_09() -> Scenario:
    s = Scenario(9, "payroll-reports-5xx-export-heap",
                 "payroll-internal ALB 5XX alarm; report pages intermittently return 502.",
                 "eu-west-2", seed=3709, anchor=(2026, 11, 18, 9, 15, 0), tz_hours=0)
    cl, svc, lb = "payroll-prod", "payroll-reports", "app/payroll-internal/1e5a9c3f7b2d4e68"
    s.resource("ecs", f"{cl}/{svc}", cluster=cl, service=svc, desired_count=3, cpu=1024, memory=2048,
               runtime="java17 Spring Boot 3.2.4 / HikariCP 5.0.1 / pgjdbc 42.7.2",
               env={"JAVA_TOOL_OPTIONS": "-Xmx1536m -XX:+ExitOnOutOfMemoryError", "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE": "15"},
               log_group="/ecs/payroll-reports")
    s.resource("rds", "payroll-pg", engine="postgres", engine_version="15.4", instance_class="db.r6g.large",
               max_connections=1600, allocated_storage_gb=800)
    s.resource("alb", lb, name="payroll-internal", scheme="internal")
    s.resource("lambda", "payslip-mailer", runtime="python3.12", timeout=120, memory_size=512)

    crashes = [-2040 + 270 * k for k in range(8)]
    grow = lambda t: max([ramp(t, c - 95, c) if t <= c else 0.0 for c in crashes] + [0.0])
    gone = lambda t: max([1.0 if c <= t < c + 110 else 0.0 for c in crashes] + [0.0])
    burst = lambda t: max([1.0 if c <= t < c + 60 else 0.0 for c in crashes] + [0.0])
    d = lambda t: s.diurnal(t, 0.3, 11.0)
    ecs = {"ClusterName": cl, "ServiceName": svc}
    s.series("AWS/ECS", "MemoryUtilization", ecs, "Percent", lambda t: s.n(51, 0.02) + 24 * grow(t) - 12 * gone(t))
    s.series("AWS/ECS", "CPUUtilization", ecs, "Percent", lambda t: s.n(18 * d(t), 0.1) + 27 * grow(t))
    ci = {"ClusterName": cl, "ServiceName": svc}
    s.series("ECS/ContainerInsights", "RunningTaskCount", ci, "Count", lambda t: 3 - gone(t))
    s.series("ECS/ContainerInsights", "MemoryUtilized", ci, "Megabytes", lambda t: s.n(3100, 0.03) + 1520 * grow(t) - 1000 * gone(t))
    alb = {"LoadBalancer": lb}
    req = lambda t: 600 * d(t)
    s.series("AWS/ApplicationELB", "RequestCount", alb, "Count", lambda t: s.cnt(req(t)))
    s.series("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb, "Count", lambda t: s.cnt(0.1 + 34 * burst(t) + 3 * grow(t)))
    s.series("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", alb, "Count", lambda t: s.cnt(0.05 + 31 * burst(t)))
    s.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", lambda t: s.cnt(0.6 + 2 * burst(t)))
    s.series("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds", lambda t: s.n(0.11 + 1.9 * grow(t), 0.12), nd=4)
    db = {"DBInstanceIdentifier": "payroll-pg"}
    s.series("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: s.n(21 * d(t), 0.08) + 14 * grow(t))
    s.series("AWS/RDS", "NetworkTransmitThroughput", db, "Bytes/Second", lambda t: s.n(2.1e6 * d(t), 0.1) + 8.8e7 * grow(t), nd=0)
    s.series("AWS/RDS", "ReadIOPS", db, "Count/Second", lambda t: s.n(380 * d(t), 0.1) + 2900 * grow(t))
    s.series("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: round(s.n(46, 0.03) - 15 * gone(t) + 15 * (1 if any(c + 60 <= t < c + 140 for c in crashes) else 0)))
    s.series("AWS/RDS", "FreeableMemory", db, "Bytes", lambda t: s.n(5.2e9, 0.01), nd=0)
    pm = {"FunctionName": "payslip-mailer"}
    s.series("AWS/Lambda", "Invocations", pm, "Count", lambda t: s.cnt(3))
    s.series("AWS/Lambda", "Errors", pm, "Count", lambda t: 0)
    s.series("AWS/Lambda", "Duration", pm, "Milliseconds", lambda t: s.n(2100, 0.1))

    grp = "/ecs/payroll-reports"
    tasks = [s.hexs(32) for _ in range(3)]            # current task per slot
    victims = {c: k % 3 for k, c in enumerate(crashes)}

    def jl(slot_task, t, lvl, thread, logger, msg):
        s.log(grp, f"ecs/{svc}/{slot_task}", t, f"{s.iso(t)} {lvl:>5} 1 --- [payroll-reports] [{thread[-15:]:>15}] {logger:<40} : {msg}")
    events = sorted([(c, "crash") for c in crashes])
    cur = list(tasks)
    timeline = []                                      # (t_from, slot, task)
    for slot in range(3):
        timeline.append((LOG_START, slot, cur[slot]))
    for c, _ in events:
        slot = victims[c]
        newt = s.hexs(32)
        timeline.append((c + 55, slot, newt))

    def task_at(slot, t):
        best = None
        for tf, sl, tk in timeline:
            if sl == slot and tf <= t:
                best = tk
        return best
    for c in crashes:
        slot = victims[c]
        tk, jid = task_at(slot, c - 1), f"exp-{s.hexs(6)}"
        jl(tk, c - 96, "INFO", "export-exec-1", "c.n.payroll.reports.ExportService", f"Starting export jobId={jid} tenant=4471 type=YTD_LEDGER format=CSV rows_estimate=14212877")
        jl(tk, c - 95.9, "INFO", "export-exec-1", "c.n.payroll.reports.LedgerExportRepository", "fetching ledger rows tenant=4471 from=2026-04-06")
        jl(tk, c - 30, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool", f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={s.rng.randint(41, 58)}s82ms).")
        s.log(grp, f"ecs/{svc}/{tk}", c - 0.5, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
        nt = task_at(slot, c + 56)
        for k, line in enumerate(("Starting PayrollReportsApplication v4.18.2 using Java 17.0.10 with PID 1 (/app/app.jar started by app in /app)",
                                  "HikariPool-1 - Start completed.", "Tomcat started on port 8080 (http) with context path ''",
                                  "Started PayrollReportsApplication in 21.884 seconds (process running for 23.102)")):
            jl(nt, c + 56 + k * 3, "INFO", "main", "c.n.payroll.PayrollReportsApplication" if k in (0, 3) else ("com.zaxxer.hikari.HikariDataSource" if k == 1 else "o.s.b.w.embedded.tomcat.TomcatWebServer"), line)
        s.log("/aws/events/ecs-task-state", "ecs-task-state-change", c + 8, json.dumps({
            "version": "0", "detail-type": "ECS Task State Change", "source": "aws.ecs", "region": "eu-west-2",
            "detail": {"clusterArn": f"arn:aws:ecs:eu-west-2:230977145121:cluster/{cl}", "group": f"service:{svc}",
                       "taskArn": f"arn:aws:ecs:eu-west-2:230977145121:task/{cl}/{tk}", "lastStatus": "STOPPED",
                       "stopCode": "EssentialContainerExited", "stoppedReason": "Essential container in task exited",
                       "containers": [{"name": svc, "exitCode": 3, "lastStatus": "STOPPED"}]}}, separators=(",", ":")))
    for t in times(s, LOG_START, 0, lambda t: 7 * d(t)):
        slot = s.rng.randint(0, 2)
        tk = task_at(slot, t)
        if any(c <= t < c + 80 and victims[c] == slot for c in crashes):
            continue
        path = s.pick([f"/api/v2/reports/payruns/PR-2026-11-{s.rng.randint(1, 999):04d}", "/api/v2/reports/headcount",
                       f"/api/v2/reports/employees/E{s.rng.randint(100000, 999999)}/payslips", "/api/v2/exports?status=PENDING"])
        slow = any(c - 95 <= t < c and victims[c] == slot for c in crashes)
        jl(tk, t, "INFO", f"nio-8080-exec-{s.rng.randint(1, 40)}", "c.n.payroll.web.RequestLogFilter", f"GET {path} 200 {int(s.n(2400 if slow else 84, 0.4))}ms")
    for slot in range(3):
        for t in every(LOG_START + slot * 13, 0, 60):
            tk = task_at(slot, t)
            if any(c - 1 <= t < c + 80 and victims[c] == slot for c in crashes):
                continue
            g = max([ramp(t, c - 95, c) for c in crashes if victims[c] == slot and c - 95 <= t < c] + [0.0])
            jl(tk, t, "INFO", "scheduling-1", "c.n.payroll.ops.HeapReporter", f"heap used={int(s.n(610, 0.08) + g * 910)}MB committed={1024 if g < 0.3 else 1536}MB max=1536MB")
    for t in times(s, LOG_START, 0, lambda t: 0.5):
        slot = s.rng.randint(0, 2)
        jl(task_at(slot, t), t, "WARN", f"nio-8080-exec-{s.rng.randint(1, 40)}", "com.zaxxer.hikari.pool.PoolBase",
           f"HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@{s.hexs(8)} (This connection has been closed.). "
           "Possibly consider using a shorter maxLifetime value.")

    pg, st = "/aws/rds/instance/payroll-pg/postgresql", "payroll-pg.0"
    for t in every(LOG_START, 0, 300, 2, s):
        s.log(pg, st, t + 150, f"{s.pgts(t + 150)}::@:[455]:LOG:  checkpoint complete: wrote {s.rng.randint(400, 1600)} buffers "
              f"({s.rng.uniform(0.3, 1.2):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled; write=149.8{s.rng.randint(10, 99)} s, sync=0.003 s, total=149.9{s.rng.randint(10, 99)} s")
    for c in crashes:
        pre = f"{s.pgts(c + 0.2)}:10.91.{s.rng.randint(2, 20)}.{s.rng.randint(2, 250)}({s.rng.randint(30000, 60000)}):payroll_reports@payroll:[{s.rng.randint(3000, 30000)}]:"
        s.log(pg, st, c + 0.2, pre + "LOG:  could not send data to client: Connection reset by peer")
        s.log(pg, st, c + 0.201, pre + f"STATEMENT:  {EXPORT_SQL}")
        s.log(pg, st, c + 0.202, pre + "FATAL:  connection to client lost")

    ml = LambdaLogs(s, "payslip-mailer", "python3.12", 512)
    for t in times(s, LOG_START, 0, lambda t: 1.2):
        if t > -2590 and not getattr(ml, "_dep", False):
            ml.envs.clear()
            ml._dep = True
        ms = s.n(2100, 0.1)
        ml.invoke(t, ms, [(ms / 1000 - 0.01, "INFO", f"mailed payslips batch={s.rng.randint(20, 80)} via ses")], 130, s.chance(0.02))

    s.change(-2600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "payslip-mailer", "bitbucket-pipelines")
    s.alarm("payroll-internal-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb, "Sum", 300, 2, 20,
            "GreaterThanThreshold", "payroll-internal load balancer 5XX", after=-7200)
    s.expect("payroll-internal-5xx", "memory_exhaustion", [f"{cl}/{svc}", svc],
             [("AWS/ECS", "MemoryUtilization", ecs), ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb)])
    return s


def build_10() -> Scenario:
    s = Scenario(10, "settlement-reconcile-timeouts-month-end",
                 "settlement-reconcile errors alarm during the month-end settlement run.",
                 "ca-central-1", seed=3710, anchor=(2026, 12, 1, 6, 20, 0), tz_hours=-5)
    fn_name = "settlement-reconcile"
    s.resource("lambda", fn_name, runtime="python3.12", timeout=300, memory_size=512, trigger="sqs:settlement-batches (batch size 1)",
               libs="psycopg 3.1.18", env={"DB_HOST": "settlement-pg.cq8w1e2r3t4y.ca-central-1.rds.amazonaws.com"})
    s.resource("rds", "settlement-pg", engine="postgres", engine_version="16.1", instance_class="db.r7g.large", max_connections=1600)
    s.resource("rds", "merchant-portal-pg", engine="postgres", engine_version="16.1", instance_class="db.t4g.large",
               parameter_group="merchant-portal-pg16")
    s.resource("lambda", "merchant-webhooks", runtime="nodejs20.x", timeout=15, memory_size=256)

    t_me = -2700
    me = lambda t: sig(t, t_me + 200, 90)
    tfrac = lambda t: 0.45 * me(t)
    inv = lambda t: 10 * (1 + 0.4 * me(t))
    fn = {"FunctionName": fn_name}
    s.series("AWS/Lambda", "Invocations", fn, "Count", lambda t: s.cnt(inv(t)))
    s.series("AWS/Lambda", "Errors", fn, "Count", lambda t: s.cnt(inv(t) * tfrac(t)))
    s.series("AWS/Lambda", "Duration", fn, "Milliseconds", lambda t: min(300000.0, s.n(76000 + me(t) * 180000, 0.07)))
    s.series("AWS/Lambda", "ConcurrentExecutions", fn, "Count", lambda t: round(s.n(inv(t) / 60 * (76 + me(t) * 180) + 1, 0.06)))
    s.series("AWS/Lambda", "Throttles", fn, "Count", lambda t: 0)
    q = {"QueueName": "settlement-batches"}
    s.series("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", lambda t: round(s.n(22 + me(t) * (60 + 0.2 * max(0, t - t_me)), 0.08)))
    s.series("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds", lambda t: round(s.n(95 + me(t) * 0.9 * max(0, t - t_me), 0.05)))
    db = {"DBInstanceIdentifier": "settlement-pg"}
    s.series("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: s.n(13, 0.1) + 4 * me(t))
    s.series("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: round(s.n(18 + me(t) * 33, 0.05)))
    s.series("AWS/RDS", "ReadLatency", db, "Seconds", lambda t: s.n(0.0007, 0.1), nd=5)
    s.series("AWS/RDS", "ReadIOPS", db, "Count/Second", lambda t: s.n(210, 0.12) + 120 * me(t))
    s.series("AWS/RDS", "FreeableMemory", db, "Bytes", lambda t: s.n(9.8e9, 0.01), nd=0)
    mp = {"DBInstanceIdentifier": "merchant-portal-pg"}
    s.series("AWS/RDS", "CPUUtilization", mp, "Percent", lambda t: s.n(11, 0.1))
    s.series("AWS/RDS", "DatabaseConnections", mp, "Count", lambda t: round(s.n(41, 0.05)))
    wh = {"FunctionName": "merchant-webhooks"}
    s.series("AWS/Lambda", "Invocations", wh, "Count", lambda t: s.cnt(30))
    s.series("AWS/Lambda", "Errors", wh, "Count", lambda t: s.cnt(0.4))
    s.series("AWS/Lambda", "Duration", wh, "Milliseconds", lambda t: s.n(310, 0.15))

    rl = LambdaLogs(s, fn_name, "python3.12", 512)
    for t in times(s, LOG_START, 0, lambda t: 1.8 * (1 + 0.4 * me(t))):
        m = f"MRC-{s.rng.randint(10000, 99999)}"
        big = s.chance(me(t))
        rows = s.rng.randint(150000, 260000) if big else s.rng.randint(30000, 60000)
        unmatched = int(rows * s.rng.uniform(0.07, 0.1))
        load = rows / 26000
        fuzzy_rate = s.n(24, 0.15)                          # rows per second in the pure-Python fuzzy pass
        need = load + 4 + unmatched / fuzzy_rate
        day = "2026-11-30" if big else "2026-11-29"
        lines = [(0.01, "INFO", f"reconciling merchant={m} file=s3://settlement-inbound/{day}/{m}.csv rows={rows}"),
                 (load, "INFO", f"loaded {rows} ledger rows in {load:.2f}s"),
                 (load + 3.5, "INFO", f"exact pass matched {rows - unmatched}/{rows}"),
                 (load + 3.6, "INFO", f"fuzzy pass on {unmatched} unmatched rows (window=3d, amount_tolerance=0.01)")]
        k = 1
        while load + 4 + k * 60 < min(need, 299):
            done = int(k * 60 * fuzzy_rate)
            lines.append((load + 4 + k * 60, "INFO", f"fuzzy progress {done}/{unmatched} elapsed={load + 4 + k * 60:.1f}s"))
            k += 1
        mem = s.rng.randint(300, 360) if big else s.rng.randint(190, 240)
        if need >= 300:
            rl.invoke(t, 300000.0, lines, mem, s.chance(0.1), timeout_s=300.0)
        else:
            lines.append((need, "INFO", f"reconciled merchant={m} matched={rows - s.rng.randint(5, 60)} exceptions={s.rng.randint(5, 60)} in {need:.1f}s"))
            rl.invoke(t, need * 1000 + 15, lines, mem, s.chance(0.05))

    pg, st = "/aws/rds/instance/settlement-pg/postgresql", "settlement-pg.0"
    for t in every(LOG_START, 0, 300, 2, s):
        s.log(pg, st, t + 60, f"{s.pgts(t + 60)}::@:[511]:LOG:  checkpoint complete: wrote {s.rng.randint(100, 500)} buffers "
              f"({s.rng.uniform(0.1, 0.5):.1f}%); 0 WAL file(s) added, 0 removed, 0 recycled; write=59.9{s.rng.randint(10, 99)} s, sync=0.002 s, total=60.0{s.rng.randint(10, 99)} s")
    for t in times(s, LOG_START, 0, lambda t: 0.4 + inv(t) * tfrac(t)):
        pre = f"{s.pgts(t)}:{s.ip('10.61')}({s.rng.randint(30000, 60000)}):reconcile@settlement:[{s.rng.randint(2000, 30000)}]:"
        if s.chance(me(t) * 0.9):
            s.log(pg, st, t, pre + "LOG:  unexpected EOF on client connection with an open transaction")
        else:
            s.log(pg, st, t, pre + "LOG:  could not receive data from client: Connection reset by peer")

    wl = LambdaLogs(s, "merchant-webhooks", "nodejs20.x", 256)
    for t in times(s, LOG_START, 0, lambda t: 2.5):
        if t > -2990 and not getattr(wl, "_dep", False):
            wl.envs.clear()
            wl._dep = True
        ms = s.n(310, 0.15)
        m = f"MRC-{s.rng.randint(10000, 99999)}"
        if s.chance(0.015):
            wl.invoke(t, ms, [(ms / 1000 - 0.01, "ERROR", f"webhook delivery failed merchant={m} status=410 Gone url=https://hooks.{m.lower()}.example/settlements")], 71, s.chance(0.02))
        else:
            wl.invoke(t, ms, [(ms / 1000 - 0.01, "INFO", f"webhook delivered merchant={m} event=settlement.ready status=200")], 71, s.chance(0.02))

    s.change(-5200, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "merchant-portal-pg16", "dba-mtremblay")
    s.change(-3000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "merchant-webhooks", "github-actions-deploy")
    s.alarm("settlement-reconcile-errors", "AWS/Lambda", "Errors", fn, "Sum", 60, 3, 2, "GreaterThanThreshold",
            "settlement-reconcile failed invocations", after=-7200)
    s.expect("settlement-reconcile-errors", "function_timeout", [fn_name],
             [("AWS/Lambda", "Errors", fn), ("AWS/Lambda", "Duration", fn)])
    return s
