"""h84-07 (a leaking settlement batch fills the claims database's connection slots; the claims API
behind its ALB fails) and h84-08 (attachment upload function pinned at its reserved concurrency
during the morning ramp; API Gateway 5XX)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg, spring

from .kit import (H84, alb_set, anomaly, apigw_exec, apigw_set, ec2_set, ecs_set, emit, every,
                  expect, lambda_set, meta, minutes, pick, rds_set)

SLOTS = "remaining connection slots are reserved for non-replication superuser connections"


def build_07() -> H84:
    sc = H84(7, "claims-api-night-5xx", "Claims API behind the public ALB returning 5XX overnight; the "
             "ALB 5XX alarm paged the claims platform on-call.", "eu-west-2", 8407, "2026-03-23T02:50:00")
    db, cl, api, notify = "claims-pg-main", "claims-uk", "claims-api", "claims-notify"
    lb, iid = "app/claims-api-pub/5c7e19d0a3b84f21", "i-07f3a9c5e2d1b4860"
    t_run, t_full = -3000, -1900
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=400, allocated_storage_gb=1000)
    sc.resource("ecs", f"{cl}/{api}", launch_type="FARGATE", desired_count=6, runtime="Java 17 / Spring Boot 3.2",
                hikari_maximum_pool_size=20)
    sc.resource("ecs", f"{cl}/{notify}", launch_type="FARGATE", desired_count=2)
    sc.resource("alb", lb, name="claims-api-pub")
    sc.resource("ec2", iid, name="settle-batch-02", instance_type="c6i.xlarge", log_groups=["/settlement/batch"])
    conns = lambda t: 86 + 314 * ramp(t, t_run, t_full) ** 0.9 if t >= t_run else 86.0
    full = lambda t: ramp(t, t_full - 60, t_full + 120)
    req = lambda t: 42 * diurnal(sc, t, 14, 0.5)
    rds_set(sc, db, lambda t: 13 + 9 * (t >= t_run), lambda t: min(400.0, conns(t)), lambda t: 612.0 - 0.3 * (t + 21600) / 3600,
            lambda t: 9.4 - 3.2 * ramp(t, t_run, t_full), max_conn=400)
    alb_set(sc, lb, req, lambda t: 0.21 + 6.5 * full(t), lambda t: 0.1 + req(t) * 0.36 * full(t),
            healthy=lambda t: 6, t4xx=lambda t: 1.1)
    ecs_set(sc, cl, api, lambda t: 11 * diurnal(sc, t, 14, 0.4), lambda t: 61.0, tasks=lambda t: 6)
    ecs_set(sc, cl, notify, lambda t: 6 + bump(t, -2000, -1880, 8, 30), lambda t: 38 + bump(t, -2000, -1880, 5, 30),
            tasks=lambda t: 2 + 2 * bump(t, -1990, -1880, 1, 5))
    ec2_set(sc, iid, lambda t: 4 + 52 * (t >= t_run), lambda t: 22 + 30 * (t >= t_run), lambda t: 41.0,
            net_mb=lambda t: 3 + 60 * (t >= t_run))
    sc.change(-2010, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "claims-notify:77", "azure-devops-release")
    sc.change(-2000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{notify}", "azure-devops-release")
    sc.change(-17700, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{api}", "azure-devops-release")
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, pgg, pgs, 300, lambda t: pg(sc, t, "LOG", "checkpoint starting: time", pid=417), phase=12)
    every(sc, pgg, pgs, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 4200)} buffers "
                                          f"({sc.rng.uniform(0.6, 3.1):.1f}%); 0 WAL file(s) added, 0 removed, 2 recycled", pid=417), phase=44)
    emit(sc, pgg, pgs, lambda t: 0.25, lambda t: pg(sc, t, "LOG", "could not receive data from client: Connection reset by peer",
                                                 client=f"10.50.{sc.rng.randint(1, 6)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
                                                 user="claims_api", db="claims"))
    emit(sc, pgg, pgs, lambda t: 9 * full(t), lambda t: pg(
        sc, t, "FATAL", pick(sc, [SLOTS, SLOTS, "sorry, too many clients already"]),
        client=f"10.50.{sc.rng.randint(1, 6)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
        user=pick(sc, ["claims_api", "claims_api", "settle_batch", "notify_svc"]), db="claims"))
    bg, bs = "/settlement/batch", iid
    every(sc, bg, bs, 3600, lambda t: f"{sc.iso(t)} INFO settle.scheduler idle; next run SR-20260323 at 02:00:00Z", end=t_run, phase=1800)
    sc.log(bg, bs, t_run + 0.6, f"{sc.iso(t_run + 0.6)} INFO settle.run Starting settlement run SR-20260323 workers=8 chunk_size=500 claims=412337")
    every(sc, bg, bs, 60, lambda t: (f"{sc.iso(t)} INFO settle.pool open_connections={int(min(conns(t) - 86 + 8, 303))} "
                                     f"in_use={8 if t < t_full else sc.rng.randint(2, 6)} workers=8"), start=t_run + 30)
    emit(sc, bg, bs, lambda t: 7 if t < t_full else 2, lambda t: (
        f"{sc.iso(t)} INFO settle.worker worker-{sc.rng.randint(1, 8)} chunk {sc.rng.randint(1, 824):04d} posted 500 items "
        f"in {sc.rng.uniform(28, 61):.1f}s"), start=t_run + 40)
    emit(sc, bg, bs, lambda t: 4.5 if t < t_full else 0.5, lambda t: (
        f"{sc.iso(t)} WARNING settle.worker worker-{sc.rng.randint(1, 8)} chunk {sc.rng.randint(1, 824):04d}: "
        "psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update; retrying chunk "
        "on a new connection"), start=t_run + 60)
    emit(sc, bg, bs, lambda t: 3 * full(t), lambda t: (
        f"{sc.iso(t)} ERROR settle.worker worker-{sc.rng.randint(1, 8)} chunk {sc.rng.randint(1, 824):04d}: "
        f"psycopg2.OperationalError: connection to server at \"{db}.c9xk2h1q7w3e.eu-west-2.rds.amazonaws.com\" "
        f"(10.50.3.21), port 5432 failed: FATAL:  {SLOTS}"))
    ag, app = f"/ecs/{api}", "claims-api"
    streams = [f"ecs/claims-api/{sc.hexid(32)}" for _ in range(6)]
    for s in streams:
        emit(sc, ag, s, lambda t: req(t) / 6 * 0.05, lambda t: spring(
            sc, t, "INFO", f"http-nio-8080-exec-{sc.rng.randint(1, 40)}", "c.m.claims.api.web.RequestLog",
            f"{pick(sc, ['GET', 'GET', 'POST'])} /api/v3/claims/CLM-{sc.rng.randint(6000000, 6999999)} 200 {sc.rng.randint(40, 180)}ms", app))
        emit(sc, ag, s, lambda t: 0.18, lambda t: spring(
            sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 40)}", "c.m.claims.api.security.BrokerAuthFilter",
            f"Rejected request from broker BRK-{pick(sc, ['2281', '0412', '2281'])}: API key expired (401)", app))
        emit(sc, ag, s, lambda t: req(t) / 6 * 0.36 * 0.3 * full(t), lambda t: spring(
            sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 40)}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            "Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed: "
            "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection] with root cause\n"
            "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after "
            f"30000ms (total={sc.rng.randint(9, 14)}, active={sc.rng.randint(9, 14)}, idle=0, waiting={sc.rng.randint(3, 19)})", app))
        emit(sc, ag, s, lambda t: 0.5 * full(t), lambda t: spring(
            sc, t, "WARN", "HikariPool-1 connection adder", "com.zaxxer.hikari.pool.PoolBase",
            f"HikariPool-1 - Pool is empty, failed to create/setup connection (org.postgresql.util.PSQLException: FATAL: {SLOTS})", app))
    sc.alarm("claims-api-pub-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1, 15,
             "GreaterThanThreshold", "Claims API 5XX")
    sc.alarm("claims-pg-main-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    expect(sc, "claims-api-pub-5xx", "db_connection_exhaustion", [db],
           [anomaly("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}),
            anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    meta(sc, alarm_on="front (ALB -> ECS -> RDS)", services="ALB, ECS (Java/Spring Boot), RDS PostgreSQL, EC2 (Python batch)",
         decoys="claims-notify ECS deploy 100 s before the first connection failure; claims-api deployed 5 h earlier; "
                "broker 401 warnings and 'connection reset by peer' all along",
         story="The nightly settlement run starts on the batch instance at 02:00. Its pool log shows "
               "`open_connections` climbing by ~15 a minute while only 8 are in use: every serialization retry "
               "opens a new connection and leaks the old one. RDS DatabaseConnections climbs from 86 to the "
               "400 limit by -32 min; from then Postgres logs `FATAL: remaining connection slots are reserved...` / "
               "`sorry, too many clients already`, claims-api's Hikari pool cannot replace retired connections "
               "(`Connection is not available, request timed out after 30000ms`) and the ALB returns 5XX. "
               "The claims-notify deploy 100 s before the first failure touches a service that does not use "
               "this path; database CPU and storage are unremarkable.")
    return sc


def build_08() -> H84:
    sc = H84(8, "sinistro-upload-5xx", "Claim attachment uploads failing intermittently in the customer "
             "portal; API Gateway 5XX alarm on the portal API.", "sa-east-1", 8408, "2026-03-24T13:20:00")
    api, fn, st = "sinistro-portal-api", "sinistro-anexo-upload", "sinistro-status"
    cap = 6
    sc.resource("apigateway", api, stage="v1", api_id="p7wq2m4r9z", integration="Lambda proxy")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=29, memory_size=1024, reserved_concurrency=cap)
    sc.resource("lambda", st, runtime="nodejs20.x", timeout=5, memory_size=256)
    demand = lambda t: 6.0 + 7.0 * ramp(t, -16000, -3000) + 6.0 * ramp(t, -2400, -900)
    served = lambda t: min(demand(t), 15.0)
    thr = lambda t: max(0.0, demand(t) - 14.2) * 1.3
    m = lambda_set(sc, fn, served, lambda t: 0.05, lambda t: 21800.0, thr=thr, conc_cap=cap, inv_cap=16)
    s = lambda_set(sc, st, lambda t: 5 * diurnal(sc, t, 15, 0.5), lambda t: 0.0, lambda t: 38.0)
    apigw_set(sc, api, lambda t: demand(t) + 5 * diurnal(sc, t, 15, 0.5), lambda t: 0.8, lambda t: 0.05 + thr(t),
              lambda t: (served(t) * 21900 + 5 * 55) / (served(t) + 5 + thr(t)))
    sc.change(-1850, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", st, "github-actions-portal")
    sc.change(-1846, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", st, "github-actions-portal")
    sc.change(-19000, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "github-actions-portal")
    eg, es = "API-Gateway-Execution-Logs_p7wq2m4r9z/v1", "p7wq2m4r9z-v1"

    def throttled(t):
        rid = sc.uuid()
        sc.log(eg, es, t + 0.01, apigw_exec(rid, f"Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}"))
        sc.log(eg, es, t + 0.012, apigw_exec(rid, "Execution failed due to configuration error: Rate Exceeded."))
        return apigw_exec(rid, "Method completed with status: 500")

    emit(sc, eg, es, lambda t: thr(t), throttled, start=-10800)
    emit(sc, eg, es, lambda t: 0.8, lambda t: apigw_exec(sc.uuid(), pick(sc, [
        "Request body does not match model schema for content type application/json: [object has missing required "
        "properties ([\"numeroSinistro\"])]", "Method completed with status: 413"])), start=-10800)

    def body(ll, t, rid, is_err, cold):
        rng = sc.rng
        sid = f"SIN-2026-{rng.randint(100000, 999999)}"
        files, mb = rng.randint(2, 14), rng.uniform(4, 38)
        dur = rng.gauss(21800, 3000)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"upload received sinistro={sid} files={files} total={mb:.1f}MB channel=portal"))]
        if cold:
            lines.append((0.02, ll.fmt(t, rid, "WARN", "ClamAV signature database is older than 24h (daily.cvd version 27221); "
                                       "freshclam runs in the nightly layer build")))
        lines.append((dur / 2000, ll.fmt(t + dur / 2000, rid, "INFO", f"clamscan clean files={files} elapsed={dur / 2000 - 0.3:.1f}s")))
        lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "INFO",
                      f"normalized {files} file(s) to PDF/A pages={files * rng.randint(1, 4)}; stored s3://sinistro-anexos-gru/{sid}/")))
        return {"lines": lines, "dur": dur}

    LambdaLogs(sc, fn, "nodejs20.x", 1024, 29, mem_used=(410, 40), max_envs=cap).run(minutes(m["inv"], start=-9000), {}, body)

    def sbody(ll, t, rid, is_err, cold):
        return {"lines": [(0.01, ll.fmt(t, rid, "INFO", f"status lookup sinistro=SIN-2026-{sc.rng.randint(100000, 999999)} "
                                        f"etapa={pick(sc, ['ANALISE', 'REGULACAO', 'PAGAMENTO', 'ABERTO'])}"))],
                "dur": sc.rng.gauss(38, 8)}

    LambdaLogs(sc, st, "nodejs20.x", 256, 5, retire=[-1850], mem_used=(71, 4)).run(minutes(s["inv"]), {}, sbody)
    sc.alarm("sinistro-portal-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 2, 5,
             "GreaterThanThreshold", "Portal API server errors")
    sc.alarm("sinistro-status-errors", "AWS/Lambda", "Errors", {"FunctionName": st}, "Sum", 300, 1, 2, "GreaterThanThreshold")
    expect(sc, "sinistro-portal-api-5xx", "throttling", [fn],
           [anomaly("AWS/Lambda", "Throttles", {"FunctionName": fn}), anomaly("AWS/ApiGateway", "5XXError", {"ApiName": api})])
    meta(sc, alarm_on="front (API Gateway -> Lambda)", services="API Gateway, Lambda (Node.js 20)",
         decoys="deploy + alias update of the status function on the same API within a minute of the first throttles; "
                "schema-validation 400s/413s at a constant rate; ClamAV stale-signature warnings on every cold start",
         story="The attachment-upload function (about 22 s per upload: virus scan and PDF/A normalisation) has reserved "
               "concurrency 6. As the Brazilian business morning ramps up, uploads rise from ~6 to ~19 a minute; "
               "from about -29 min ConcurrentExecutions sits at 6, Invocations flatten at ~15 a minute, and "
               "Throttles appears. API Gateway's execution log shows `Lambda invocation failed with status: 429` / "
               "`Rate Exceeded` and 500s to the portal; the function itself logs no errors. The status function "
               "on the same API was deployed minutes before, but its metrics stay clean.")
    return sc


BUILDERS = [build_07, build_08]
