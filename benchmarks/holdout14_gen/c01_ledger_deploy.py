"""h14-01: a rolling ECS deployment of ledger-api ships a NullPointerException on fee-less
transfers; the payments ALB's target-5xx alarm fires."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, between, bump, change, metric, ok_alarm, scenario, spread, stream
from .logfmt import LambdaLog, py, spring

META = {
    "file": "h14-01-ledger-rolling-deploy.yaml", "region": "eu-west-1", "alarm": "payments-alb-target-5xx",
    "category": "bad_deployment", "resources": ["payments/ledger-api", "ledger-api"],
    "position": "front (ALB in front of the ECS service)",
    "decoys": "settlement-report Lambda memory change 2.5 min before the deploy; fx-rates-sync deployed 2.1 h "
              "earlier; constant IBAN-rejection ERRORs and FX-timeout 5xx; DB connections double during the roll",
    "story": "CI registered task definition ledger-api:58 (v4.18.0) and updated the payments/ledger-api service "
             "about 31 minutes ago. As the four new tasks replaced the old ones, a new error appeared only in the "
             "new tasks' log streams: a NullPointerException in FeePolicy.resolve for transfers without a fee "
             "('Unhandled exception on POST /v1/transfers'). Target 5xx on payments-alb climb with the share of new tasks. "
             "The settlement-report memory change minutes earlier touches a batch function that is not in the "
             "request path and whose metrics do not move; the fx-rates-sync deploy is two hours older; the "
             "DatabaseConnections bump is the expected overlap of old and new Hikari pools during the roll.",
}

CLUSTER, SERVICE = "payments", "ledger-api"
ALB = "app/payments-alb/3f7c2a91d0b4e615"
DEPLOY = -1880.0
LOG_START = -9000.0
REGION = "eu-west-1"


def _task_id(ctx: Ctx) -> str:
    return ctx.hexs(32)


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 9, 11, 40, tzinfo=dt.timezone.utc), 0.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=13.0, amp=0.35)
    req = ctx.poisson(118 * shape)

    # tasks: four old (v4.17.2), four new (v4.18.0) started one minute apart after the update
    old = [{"id": _task_id(ctx), "start": -40000.0, "stop": -1580.0 + 60 * k, "ver": "4.17.2", "ev": []} for k in range(4)]
    new = [{"id": _task_id(ctx), "start": DEPLOY + 35 + 62 * k, "stop": 1e9, "ver": "4.18.0", "ev": []} for k in range(4)]
    for t in new:
        t["ready"] = t["start"] + ctx.uni(16, 21)

    def serving(rel: float) -> list[dict]:
        out = [t for t in old if t["stop"] > rel]
        out += [t for t in new if t.get("ready", 1e9) <= rel]
        return out

    def log(task, rel, level, thread, logger, msg):
        if rel >= LOG_START:
            task["ev"].append((rel, spring(ctx, rel, level, SERVICE, thread, logger, msg)))

    tgt5xx = np.zeros(N)
    tgt4xx = np.zeros(N)
    for i in range(N):
        times = spread(ctx, i, req[i])
        for rel in times:
            tasks = serving(rel)
            task = tasks[ctx.randint(0, len(tasks) - 1)]
            thread = f"nio-8080-exec-{ctx.randint(1, 10)}"
            r = rng.random()
            if r < 0.44:  # POST /v1/transfers
                fee_less = rng.random() < 0.31
                tr = f"tr_{ctx.hexs(12)}"
                if task["ver"] == "4.18.0" and fee_less:
                    tgt5xx[i] += 1
                    if rel >= LOG_START:
                        task["ev"].append((rel + 0.04, _npe(ctx, rel + 0.04, thread)))
                    continue
                if rng.random() < 0.004:  # pre-existing: invalid IBAN, answered 422
                    tgt4xx[i] += 1
                    log(task, rel + 0.01, "ERROR", thread, "c.n.ledger.web.ApiExceptionHandler",
                        f"Rejected transfer {tr}: IBAN checksum invalid for counterparty (ref=cp_{ctx.hexs(8)})")
                    continue
                if rng.random() < 0.0025:  # pre-existing: FX provider timeout, answered 502
                    tgt5xx[i] += 1
                    log(task, rel + 2.5, "ERROR", thread, "c.n.ledger.fx.FxQuoteClient",
                        "FX quote failed for GBP->PLN: java.net.SocketTimeoutException: Read timed out "
                        "(provider=fxhub, timeout=2500ms)")
                    continue
                amt = round(float(rng.lognormal(4.2, 1.0)), 2)
                fee = "0.00 (waived)" if fee_less else f"{max(0.2, amt * 0.0035):.2f}"
                cur = ctx.pick(["EUR", "EUR", "EUR", "GBP", "PLN", "SEK"])
                log(task, rel + ctx.uni(0.02, 0.09), "INFO", thread, "c.n.ledger.service.TransferService",
                    f"Transfer {tr} created debit=acc_{ctx.hexs(8)} credit=acc_{ctx.hexs(8)} amount={amt:.2f} {cur} fee={fee}")
            elif r < 0.47:
                tgt4xx[i] += 1 if rng.random() < 0.15 else 0
    # background lines per task
    for task in old + new:
        a = max(task["start"], LOG_START)
        b = min(task["stop"], 0.0)
        for rel in ctx.sparse_events(0.22, a, b):
            log(task, rel, "WARN", "scheduling-1", "c.n.ledger.fx.FxRateCache",
                f"FX rate for {ctx.pick(['TRY', 'ARS', 'EGP'])} is stale (age {ctx.randint(610, 1190)}s), serving cached value")
        for rel in ctx.sparse_events(0.5 / 60, a, b):
            log(task, rel, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m{ctx.randint(1, 9)}s{ctx.randint(100, 999)}ms).")
    for task in new:
        _startup(ctx, task, log)
    for task in old:
        s = task["stop"]
        log(task, s - 30, "INFO", "ionShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
            "Commencing graceful shutdown. Waiting for active requests to complete")
        log(task, s - 29.2, "INFO", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown", "Graceful shutdown complete")
        log(task, s - 29.0, "INFO", "ionShutdownHook", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Shutdown initiated...")
        log(task, s - 28.8, "INFO", "ionShutdownHook", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Shutdown completed.")

    logs = [stream(f"/ecs/{SERVICE}", f"ecs/{SERVICE}/{t['id']}", t["ev"]) for t in old + new]

    # fx-rates-sync: another service in the cluster, deployed two hours earlier
    fx_ev = []
    fx_deploy = -9300.0
    for k, rel in enumerate(np.arange(-10800, 0, 60.0) + 3.0):
        n = ctx.randint(158, 166)
        fx_ev.append((rel, spring(ctx, rel, "INFO", "fx-rates-sync", "scheduling-1", "c.n.fx.sync.RateSyncJob",
                                  f"Fetched {n} rates from ecb-daily feed in {ctx.randint(180, 420)} ms")))
        if ctx.chance(0.03):
            fx_ev.append((rel + 1, spring(ctx, rel + 1, "WARN", "fx-rates-sync", "scheduling-1", "c.n.fx.sync.RateSyncJob",
                                          "Provider fxhub returned 0 rates for ARS, keeping previous snapshot")))
    fx_ev.append((fx_deploy + 80, spring(ctx, fx_deploy + 80, "INFO", "fx-rates-sync", "main", "c.n.fx.sync.FxRatesSyncApplication",
                                         "Started FxRatesSyncApplication in 9.113 seconds (process running for 10.02)")))
    logs.append(stream("/ecs/fx-rates-sync", f"ecs/fx-rates-sync/{ctx.hexs(32)}", fx_ev))

    # settlement-report Lambda (every 15 min), memory raised just before the deploy
    lam = LambdaLog(ctx, "settlement-report", "python3.12", 1024, envs=1, start=-10800)
    sr_inv = np.zeros(N)
    sr_dur = np.full(N, np.nan)
    redeployed = False
    for i in range(N):
        if int(T[i]) % 900 == 0:
            rel = float(T[i]) + ctx.uni(0.2, 1.5)
            if rel > -2040 and not redeployed:
                lam.redeploy(-2040, memory_mb=2048)
                redeployed = True
            dur = ctx.uni(3800, 5200)
            sr_inv[i] = 1
            sr_dur[i] = dur
            if rel >= -10800:
                rid = ctx.uuid()
                lam.invoke(rel, [(0.05, py(ctx, rel + 0.05, "INFO", rid, f"Settlement window closed, {ctx.randint(1400, 2600)} postings")),
                                 (dur / 1000 - 0.1, py(ctx, rel + dur / 1000 - 0.1, "INFO", rid,
                                                       f"Report written to s3://nw-settlement-reports/{ctx.at(rel).strftime('%Y/%m/%d/%H%M')}.csv"))],
                           dur, ctx.randint(310, 360), rid=rid)
    logs += lam.logs()

    # ---------------- metrics
    lb = {"LoadBalancer": ALB}
    new_share = np.array([sum(1 for t in new if t.get("ready", 1e9) <= x + 30) / 4.0 for x in T])
    rt = ctx.gauge(0.082, 0.07, lo=0.03) + bump(DEPLOY + 150, 240, 0.05)
    healthy = np.array([len([t for t in old if t["stop"] > x + 30]) + len([t for t in new if t.get("ready", 1e9) <= x + 30])
                        for x in T], dtype=float)
    ecs_dims = {"ClusterName": CLUSTER, "ServiceName": SERVICE}
    cpu = ctx.gauge(21 * shape, 0.06, lo=2) + sum(bump(t["start"] + 60, 150, 9.0) for t in new)
    mem_new = np.clip((T - DEPLOY) / 1800.0, 0, 1) * 9 + 41
    mem = np.where(new_share > 0, (1 - new_share) * 58 + new_share * mem_new, 58) + ctx.ar1(0.6)
    dbc = ctx.gauge(40, 0.02, jitter=0.01) + np.where(between(DEPLOY + 30, DEPLOY + 330), 40 * np.clip((T - DEPLOY) / 240, 0, 1), 0)
    dbc = np.round(dbc)
    db = {"DBInstanceIdentifier": "ledger-db"}
    sr = {"FunctionName": "settlement-report"}
    metrics = [
        metric("AWS/ApplicationELB", "RequestCount", lb, "Count", req),
        metric("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", rt),
        metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Count", tgt5xx),
        metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", lb, "Count", tgt4xx + ctx.poisson(1.2)),
        metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Count", ctx.poisson(0.03)),
        metric("AWS/ApplicationELB", "HealthyHostCount", lb, "Count", healthy),
        metric("AWS/ApplicationELB", "UnHealthyHostCount", lb, "Count", np.zeros(N)),
        metric("AWS/ECS", "CPUUtilization", ecs_dims, "Percent", cpu),
        metric("AWS/ECS", "MemoryUtilization", ecs_dims, "Percent", mem),
        metric("AWS/ECS", "CPUUtilization", {"ClusterName": CLUSTER, "ServiceName": "fx-rates-sync"}, "Percent",
               ctx.gauge(6, 0.1, lo=1) + bump(-9300 + 60, 120, 20)),
        metric("AWS/ECS", "MemoryUtilization", {"ClusterName": CLUSTER, "ServiceName": "fx-rates-sync"}, "Percent",
               ctx.gauge(33, 0.02)),
        metric("AWS/RDS", "CPUUtilization", db, "Percent", ctx.gauge(17 * shape, 0.08, lo=3)),
        metric("AWS/RDS", "DatabaseConnections", db, "Count", dbc),
        metric("AWS/RDS", "ReadLatency", db, "Seconds", ctx.gauge(0.0011, 0.1, lo=0.0004), decimals=5),
        metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", ctx.gauge(212e9, 0.0005, jitter=0.0), decimals=0),
        metric("AWS/Lambda", "Invocations", sr, "Count", sr_inv),
        metric("AWS/Lambda", "Errors", sr, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", sr, "Milliseconds", sr_dur),
    ]
    alarms = [
        alarm(ctx, "payments-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, tgt5xx, "Sum", 60, 3, 10.0,
              description="Payments API: targets behind payments-alb returning 5xx"),
        ok_alarm("ledger-db-cpu-high", "AWS/RDS", "CPUUtilization", db, "Average", 300, 3, 80.0),
        ok_alarm("payments-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", lb, "Average", 60, 5, 1.0),
    ]
    changes = [
        change(-9360, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "fx-rates-sync:23", "github-actions-deploy"),
        change(fx_deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/fx-rates-sync", "github-actions-deploy"),
        change(-2040, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "settlement-report", "a.keane"),
        change(DEPLOY - 25, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "ledger-api:58", "github-actions-deploy"),
        change(DEPLOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/{SERVICE}", "github-actions-deploy"),
    ]
    resources = [
        {"type": "ecs", "id": f"{CLUSTER}/{SERVICE}", "properties": {
            "launch_type": "FARGATE", "desired_count": 4, "cpu": 1024, "memory": 2048, "task_definition": "ledger-api:58",
            "image": f"210987654321.dkr.ecr.{REGION}.amazonaws.com/ledger-api:4.18.0", "awslogs_groups": [f"/ecs/{SERVICE}"],
            "load_balancer": "payments-alb"}},
        {"type": "ecs", "id": f"{CLUSTER}/fx-rates-sync", "properties": {
            "launch_type": "FARGATE", "desired_count": 1, "cpu": 256, "memory": 512, "task_definition": "fx-rates-sync:23",
            "awslogs_groups": ["/ecs/fx-rates-sync"]}},
        {"type": "alb", "id": ALB, "properties": {"name": "payments-alb", "scheme": "internet-facing",
                                                   "target_groups": ["ledger-api-tg"]}},
        {"type": "rds", "id": "ledger-db", "properties": {"engine": "postgres", "engine_version": "16.2",
                                                           "instance_class": "db.r6g.large", "max_connections": 1600,
                                                           "allocated_storage_gb": 250}},
        {"type": "lambda", "id": "settlement-report", "properties": {"runtime": "python3.12", "timeout": 120,
                                                                      "memory_size": 2048}},
    ]
    return scenario("h14-01-ledger-rolling-deploy",
                    "Payments ALB paging on target 5xx; support reports some transfers failing with 'internal error'.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": lb}]})


def _npe(ctx: Ctx, rel: float, thread: str) -> str:
    msg = ('Cannot invoke "java.math.BigDecimal.signum()" because the return value of '
           '"com.northwind.ledger.api.TransferRequest.feeAmount()" is null')
    head = spring(ctx, rel, "ERROR", SERVICE, thread, "c.n.ledger.web.ApiExceptionHandler",
                  f"Unhandled exception on POST /v1/transfers (requestId={ctx.hexs(16)}), returning 500")
    frames = [
        "com.northwind.ledger.fees.FeePolicy.resolve(FeePolicy.java:88)",
        "com.northwind.ledger.service.TransferService.create(TransferService.java:141)",
        "com.northwind.ledger.web.TransferController.create(TransferController.java:57)",
        "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
        "java.base/java.lang.reflect.Method.invoke(Method.java:580)",
        "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)",
        "org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest(InvocableHandlerMethod.java:188)",
        "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
        "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod(RequestMappingHandlerAdapter.java:926)",
        "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
        "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
        "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)",
        "org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)",
        "java.base/java.lang.Thread.run(Thread.java:1583)",
    ]
    return head + "\njava.lang.NullPointerException: " + msg + "\n" + "\n".join(f"\tat {f}" for f in frames)


def _startup(ctx: Ctx, task: dict, log) -> None:
    s = task["start"]
    lines = [
        (0.0, "INFO", "main", "c.n.ledger.LedgerApiApplication",
         f"Starting LedgerApiApplication v{task['ver']} using Java 21.0.2 with PID 1 (/app/ledger-api.jar started by app in /app)"),
        (0.1, "INFO", "main", "c.n.ledger.LedgerApiApplication", 'The following 1 profile is active: "prod"'),
        (4.2, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
        (9.8, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
        (10.3, "INFO", "main", "com.zaxxer.hikari.pool.HikariPool",
         f"HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@{ctx.hexs(8)}"),
        (10.4, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
        (task["ready"] - s - 0.3, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
         "Tomcat started on port 8080 (http) with context path ''"),
        (task["ready"] - s, "INFO", "main", "c.n.ledger.LedgerApiApplication",
         f"Started LedgerApiApplication in {task['ready'] - s:.3f} seconds (process running for {task['ready'] - s + 1.2:.3f})"),
    ]
    for off, level, thread, logger, msg in lines:
        log(task, s + off, level, thread, logger, msg)
