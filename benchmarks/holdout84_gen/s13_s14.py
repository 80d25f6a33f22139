"""h84-13 (SQL Server CPU pinned by an ad hoc report; the inquiry API's latency alarm, with a
caller deploy as decoy) and h84-14 (benefit rules engine on ECS runs out of heap on an unbounded
fact cache; the internal ALB's 5XX)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, spring

from .kit import (H84, alb_set, anomaly, apigw_exec, apigw_set, ecs_set, emit, every, expect,
                  lambda_set, meta, minutes, mssql, pick, rds_set)

SQL_TIMEOUT = ("Microsoft.Data.SqlClient.SqlException (0x80131904): Execution Timeout Expired.  The timeout period "
               "elapsed prior to completion of the operation or the server is not responding.\n"
               " ---> System.ComponentModel.Win32Exception (258): The wait operation timed out.")


def build_13() -> H84:
    sc = H84(13, "claim-inquiry-latency", "Claim inquiry API slow for call-centre agents; the API Gateway "
             "latency alarm fired.", "ap-southeast-1", 8413, "2026-03-29T03:10:00")
    db, api, fn, sub = "sg-claims-mssql", "claim-inquiry", "claim-inquiry-api", "subrogation-sync"
    t_cpu, t_dep = -3000, -2700
    sc.resource("rds", db, engine="sqlserver-se", engine_version="15.00.4365.2.v1", instance_class="db.m5.xlarge",
                allocated_storage_gb=500)
    sc.resource("apigateway", api, stage="prod", api_id="x2c8h5n1dq")
    sc.resource("lambda", fn, runtime="dotnet8", timeout=29, memory_size=1024)
    sc.resource("lambda", sub, runtime="dotnet8", timeout=120, memory_size=512, trigger="EventBridge rate(1 minute)")
    hot = lambda t: ramp(t, t_cpu, t_cpu + 240)
    slow = lambda t: ramp(t, t_cpu + 60, t_cpu + 700)
    inv = lambda t: 12 * diurnal(sc, t, 4, 0.3)
    m = lambda_set(sc, fn, inv, lambda t: inv(t) * 0.33 * slow(t) + 1.2 * (t_cpu + 160 <= t < t_dep), lambda t: 190 + 8800 * slow(t), dur_cap=29000.0)
    s = lambda_set(sc, sub, lambda t: 2, lambda t: 0.8 * slow(t), lambda t: 2400 + 12000 * slow(t))
    apigw_set(sc, api, inv, lambda t: 0.3, lambda t: inv(t) * 0.33 * slow(t), lambda t: 230 + 8800 * slow(t))
    rds_set(sc, db, lambda t: 34 * diurnal(sc, t, 4, 0.2) + 65 * hot(t), lambda t: 58 + 64 * slow(t), lambda t: 212.0,
            lambda t: 2.9 - 0.6 * hot(t), read_lat=lambda t: 0.0018 + 0.006 * hot(t))
    sc.metric("AWS/RDS", "ReadIOPS", {"DBInstanceIdentifier": db}, "Count/Second",
              sc.series(lambda t: 420 + 380 * hot(t), noise=0.12, digits=1))
    for t, ev in ((t_dep, "UpdateFunctionCode20150331v2"), (t_dep + 6, "PublishVersion20150331"), (t_dep + 9, "UpdateAlias20150331")):
        sc.change(t, "lambda.amazonaws.com", ev, "AWS::Lambda::Function", fn, "octopus-deploy")
    sc.change(-17400, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "backup-automation")
    eg, es = f"/aws/rds/instance/{db}/error", "error"
    lsn = [88512000000041600]

    def backup(t):
        lsn[0] += sc.rng.randint(200000, 900000)
        return mssql(sc, t, "Backup", f"Log was backed up. Database: ClaimsCore, creation date(time): 2023/07/02(04:11:52), "
                     f"first LSN: {lsn[0]}:{sc.rng.randint(1, 300)}:1, last LSN: {lsn[0] + 1}:{sc.rng.randint(1, 300)}:1, number "
                     "of dump devices: 1, device information: (FILE=1, TYPE=DISK: {'D:\\rdsdbdata\\BACKUP\\log_ClaimsCore.trn'}). "
                     "This is an informational message only. No user action is required.")

    every(sc, eg, es, 300, backup, phase=30)
    emit(sc, eg, es, lambda t: 0.05, lambda t: mssql(sc, t, "Logon", "Login failed for user 'svc_legacy_fax'. Reason: Password did "
                                                     "not match that for the login provided. [CLIENT: 10.60.4.19]"))
    sc.log(eg, es, t_cpu - 41, mssql(sc, t_cpu - 41, "Logon", "Login succeeded for user 'powerbi_reserving'. Connection made using "
                                                     "SQL Server authentication. [CLIENT: 10.60.9.44]"))
    every(sc, eg, es, 420, lambda t: mssql(
        sc, t, "Server", f"Process 0:0:0 (0x{sc.rng.randint(4096, 65535):x}) Worker 0x000001E9{sc.rng.randint(10 ** 7, 10 ** 8 - 1)} "
        f"appears to be non-yielding on Scheduler {sc.rng.randint(0, 3)}. Approx Thread CPU Used: kernel 0 ms, user "
        f"{sc.rng.randint(60000, 70000)} ms. Process Utilization {sc.rng.randint(96, 99)}%. System Idle 0%. Interval: "
        f"{sc.rng.randint(70000, 71000)} ms."), start=t_cpu + 400)
    eg2, es2 = "API-Gateway-Execution-Logs_x2c8h5n1dq/prod", "x2c8h5n1dq-prod"

    def body_for(name):
        def body(ll, t, rid, is_err, cold):
            rng = sc.rng
            claim = f"CLM-SG-{rng.randint(100000, 999999)}"
            if name == sub:
                op = f"Subrogation.Sync[0] Syncing recoveries batch RB-{rng.randint(10000, 99999)} (40 claims)"
            else:
                op = f"ClaimInquiry.Api[0] GET /claims/{claim}/summary caller=agent-{rng.randint(100, 480)}"
            lines = [(0.005, ll.fmt(t, rid, "INFO", op))]
            if is_err:
                dur = 15000 + rng.uniform(20, 400)
                lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "ERROR", f"ClaimInquiry.Data.ClaimRepository[0] Query "
                              f"{pick(sc, ['GetClaimSummary', 'GetReserveLines', 'GetPayments'])} failed after 15000 ms\n{SQL_TIMEOUT}")))
                if name == fn:
                    x = sc.uuid()
                    sc.log(eg2, es2, t + dur / 1000 + 0.02, apigw_exec(x, "Lambda execution failed with status 200 due to "
                                                                          f"customer function error: Execution Timeout Expired. Lambda request id: {rid}"))
                    sc.log(eg2, es2, t + dur / 1000 + 0.03, apigw_exec(x, "Method completed with status: 502"))
                return {"lines": lines, "dur": dur}
            base = 2400 if name == sub else 190
            dur = max(40.0, rng.gauss(base + (8000 if name == fn else 11000) * slow(t) * rng.random() * 1.6, base * 0.2))
            lines.append((dur / 1000 - 0.005, ll.fmt(t + dur / 1000, rid, "INFO", f"{op.split('[')[0]}[0] completed in {dur:.0f} ms")))
            return {"lines": lines, "dur": dur}
        return body

    LambdaLogs(sc, fn, "dotnet8", 1024, 29, retire=[t_dep], mem_used=(170, 12)).run(minutes(m["inv"]), minutes(m["err"]), body_for(fn))
    LambdaLogs(sc, sub, "dotnet8", 512, 120, mem_used=(150, 8)).run(minutes(s["inv"]), minutes(s["err"]), body_for(sub))
    sc.alarm("claim-inquiry-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 5, 3000, "GreaterThanThreshold",
             "Claim inquiry API average latency")
    sc.alarm("claim-inquiry-api-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10, "GreaterThanThreshold")
    expect(sc, "claim-inquiry-latency", "cpu_saturation", [db],
           [anomaly("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}), anomaly("AWS/ApiGateway", "Latency", {"ApiName": api})])
    meta(sc, alarm_on="front (API Gateway -> Lambda -> RDS)", services="API Gateway, Lambda (.NET 8), RDS SQL Server",
         decoys="deploy (code + version + alias) of the inquiry Lambda 5 min after the database CPU began to climb, before the "
                "alarm; a second alarm on that Lambda's Errors; failed-login noise in the SQL Server log",
         story="At -50 min a Power BI reserving user logs in to the SQL Server instance and its CPU goes from ~35 % to "
               "99 % within four minutes and stays there; the errorlog reports non-yielding schedulers with `Process "
               "Utilization 98%. System Idle 0%`. Both callers slow down and then fail with `SqlException: Execution "
               "Timeout Expired` after 15 s: the inquiry Lambda (whose 502s and latency the API Gateway alarm sees) and "
               "the subrogation sync, which was not deployed. The inquiry Lambda's deploy five minutes after the CPU "
               "started to climb is the obvious suspect, but its first timeouts precede it and it brings no new error signature. "
               "Connections rise only as queries queue (far from any limit), so the database's CPU is the origin.")
    return sc


def build_14() -> H84:
    sc = H84(14, "benefit-rules-502", "Health-claim benefit rules service returning 502/500 to the claims "
             "workflow; internal ALB 5XX alarm.", "ap-south-1", 8414, "2026-03-30T08:40:00")
    cl, svc, adm, db = "rules-prod", "benefit-rules", "benefit-rules-admin", "rules-facts-pg"
    lb = "app/benefit-rules-int/6f2d0b8e1a4c7953"
    t_load, t_oom = -7200, -2450
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4, task_memory_mib=2048,
                runtime="Java 17 / Spring Boot 3.1 / Drools 8", java_opts="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError")
    sc.resource("ecs", f"{cl}/{adm}", launch_type="FARGATE", desired_count=1)
    sc.resource("alb", lb, name="benefit-rules-int", scheme="internal")
    sc.resource("rds", db, engine="postgres", instance_class="db.r6g.large", max_connections=1000, allocated_storage_gb=400)
    grow = lambda t: ramp(t, t_load, t_oom)
    oom = lambda t: ramp(t, t_oom - 60, t_oom + 60)
    req = lambda t: 260 * diurnal(sc, t, 8, 0.3)
    alb_set(sc, lb, req, lambda t: 0.11 + 0.35 * grow(t) + 0.5 * oom(t), lambda t: 0.2 + req(t) * 0.012 * oom(t),
            e5xx=lambda t: 7.5 * oom(t), healthy=lambda t: 4 - 1.0 * oom(t), unhealthy=lambda t: 1.0 * oom(t))
    ecs_set(sc, cl, svc, lambda t: 31 * diurnal(sc, t, 8, 0.3) + 30 * grow(t) * (1 - 0.3 * oom(t)),
            lambda t: 56 + 41 * grow(t) - 9 * oom(t), tasks=lambda t: 4 - oom(t))
    ecs_set(sc, cl, adm, lambda t: 4 + bump(t, -2500, -2380, 7, 30), lambda t: 29 + bump(t, -2500, -2380, 4, 30),
            tasks=lambda t: 1 + bump(t, -2490, -2390, 1, 5))
    rds_set(sc, db, lambda t: 21 + 9 * grow(t), lambda t: 96, lambda t: 288.0, lambda t: 6.2)
    sc.change(-2520, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "benefit-rules-admin:31", "jenkins-rules")
    sc.change(-2500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{adm}", "jenkins-rules")
    sc.change(-19500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "jenkins-rules")
    g, app = f"/ecs/{svc}", "benefit-rules"
    thread = lambda: f"http-nio-8080-exec-{sc.rng.randint(1, 60)}"

    def task(start, end, heap0, heap_rate, dies):
        s = f"ecs/benefit-rules/{sc.hexid(32)}"
        if start > -21600:
            sc.log(g, s, start, spring(sc, start, "INFO", "main", "c.m.rules.BenefitRulesApplication",
                                       "Started BenefitRulesApplication in 21.84 seconds (process running for 23.1)", app))
        heap = lambda t: min(1530.0, heap0 + heap_rate * max(0.0, t - max(start, t_load)) / 60)
        emit(sc, g, s, lambda t: req(t) / 4 * 0.012, lambda t: spring(
            sc, t, "INFO", thread(), "c.m.rules.api.AdjudicationController",
            f"Evaluated claim HC-{sc.rng.randint(10 ** 6, 10 ** 7)} tpa={pick(sc, ['MDI', 'VIDAL', 'PARAMOUNT', 'FHPL'])} "
            f"benefit={pick(sc, ['CASHLESS-IPD', 'REIMB-OPD', 'CASHLESS-IPD', 'DAYCARE'])} rules_fired={sc.rng.randint(12, 60)} "
            f"in {sc.rng.randint(40, 160)} ms", app), start, end)
        emit(sc, g, s, lambda t: 0.12, lambda t: spring(
            sc, t, "WARN", thread(), "o.d.c.k.b.impl.KnowledgeBaseImpl",
            "Rule 'CAT-DEDUCTIBLE-2' has no matching facts for product=AUTO-LIAB; skipping", app), start, end)
        every(sc, g, s, 300, lambda t: spring(
            sc, t, "INFO", "cache-stats-1", "c.m.rules.facts.PolicyFactCache",
            f"policyFacts size={int(21000 + (heap(t) - 520) * 760)} entries, evictions=0, hitRate={max(0.11, 0.93 - 0.8 * grow(t)):.2f}, "
            f"heapUsed={heap(t):.0f}M/1536M", app), start, end)
        emit(sc, g, s, lambda t: 2.0 * (heap(t) > 1380), lambda t: spring(
            sc, t, "WARN", "GC Thread#0", "gc", f"Pause Full (G1 Compaction Pause) {heap(t) - 4:.0f}M->{heap(t) - 9:.0f}M(1536M) "
            f"{sc.rng.uniform(1400, 3100):.3f}ms", app), start, end)
        if dies:
            for k in range(sc.rng.randint(2, 5)):
                tt = end - 40 + k * 7
                sc.log(g, s, tt, spring(sc, tt, "ERROR", thread(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                        "Servlet.service() threw exception [Handler dispatch failed: java.lang.OutOfMemoryError: "
                                        "Java heap space] with root cause\njava.lang.OutOfMemoryError: Java heap space\n"
                                        "\tat java.base/java.util.HashMap.resize(HashMap.java:702)\n"
                                        "\tat c.m.rules.facts.PolicyFactCache.load(PolicyFactCache.java:97)", app))
            sc.log(g, s, end, "Terminating due to java.lang.OutOfMemoryError: Java heap space")

    for i in range(4):
        t = -21600 - 86400 * (i + 1)
        first_end = t_oom + 25 + i * 140
        task(t, first_end, 520, 970 / ((t_oom - t_load) / 60), True)
        t = first_end + 70
        while t < 0:
            end = t + sc.rng.uniform(480, 720)
            task(t, min(end, 0.0), 700, 120, end < 0)
            t = end + 70
    sc.alarm("benefit-rules-int-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1, 15,
             "GreaterThanThreshold", "Benefit rules 502/503 from the load balancer")
    sc.alarm("rules-facts-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80, "GreaterThanThreshold")
    expect(sc, "benefit-rules-int-elb-5xx", "memory_exhaustion", [f"{cl}/{svc}", svc],
           [anomaly("AWS/ECS", "MemoryUtilization", {"ClusterName": cl, "ServiceName": svc}),
            anomaly("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb})])
    meta(sc, alarm_on="front (ALB -> ECS service)", services="ALB, ECS (Java 17/Spring Boot/Drools), RDS PostgreSQL",
         decoys="benefit-rules-admin ECS deploy 1 min before the first OOM; benefit-rules itself deployed 5.4 h earlier "
                "(memory flat for 3 h after); a Drools no-matching-facts WARN all along",
         story="Two hours ago the TPAs' cashless-claim traffic starts touching many distinct policies, and the rules "
               "engine's `policyFacts` cache (`evictions=0`) grows from ~21k entries to nearly 800k; service memory "
               "climbs from 56 % to the limit, G1 logs back-to-back `Pause Full` compactions, and from -41 min tasks log "
               "`java.lang.OutOfMemoryError: Java heap space` and `Terminating due to java.lang.OutOfMemoryError`. "
               "Replacement tasks refill the cache and die again within ten minutes, so the ALB keeps returning 502s. "
               "The admin service's deploy a minute before the first OOM and this service's own deploy hours earlier "
               "(memory flat for three hours afterwards) are decoys.")
    return sc


BUILDERS = [build_13, build_14]
