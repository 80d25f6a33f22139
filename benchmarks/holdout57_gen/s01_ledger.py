"""h57-01: ECS (Spring Boot) bad task-definition revision behind an ALB."""
from __future__ import annotations

from .common import GRID, Scenario, diurnal, ramp, bump
from .runtimes import LambdaLogs, spring

APP = "ledger-api"
ALB = "app/ledger-alb/7c1f0e9a2b3d4c5e"
CLUSTER = "payments-prod"
T_REG, T_UPD, T_NEW, T_DRAINED = -2580, -2570, -2440, -2140
T_DECOY = -2490

_ENUM_TRACE = (
    "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
    "[Request processing failed: java.lang.IllegalArgumentException: No enum constant "
    "com.acme.ledger.domain.EntryType.CHARGEBACK_REVERSAL] with root cause\n\n"
    "java.lang.IllegalArgumentException: No enum constant com.acme.ledger.domain.EntryType.CHARGEBACK_REVERSAL\n"
    "\tat java.base/java.lang.Enum.valueOf(Enum.java:293)\n"
    "\tat com.acme.ledger.domain.EntryType.valueOf(EntryType.java:7)\n"
    "\tat com.acme.ledger.persistence.EntryRowMapper.mapRow(EntryRowMapper.java:44)\n"
    "\tat com.acme.ledger.persistence.EntryRowMapper.mapRow(EntryRowMapper.java:19)\n"
    "\tat org.springframework.jdbc.core.RowMapperResultSetExtractor.extractData(RowMapperResultSetExtractor.java:94)\n"
    "\tat org.springframework.jdbc.core.JdbcTemplate$1.doInPreparedStatement(JdbcTemplate.java:733)\n"
    "\tat org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:658)\n"
    "\tat com.acme.ledger.persistence.JdbcEntryRepository.findByAccount(JdbcEntryRepository.java:61)\n"
    "\tat com.acme.ledger.api.AccountController.entries(AccountController.java:88)\n"
    "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n"
    "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n"
    "\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)\n"
    "\tat java.base/java.lang.Thread.run(Thread.java:1583)")


def build() -> Scenario:
    sc = Scenario(1, "ledger-api-task-revision", "Ledger API returning 5xx to the payments UI; "
                  "the ALB target 5XX alarm paged the payments on-call.",
                  "eu-west-1", 5701, "2026-04-07T14:25:00+00:00")
    rng = sc.rng
    sc.resource("ecs", f"{CLUSTER}/{APP}", cluster=CLUSTER, service=APP, launch_type="FARGATE",
                cpu=1024, memory=2048, desired_count=4, task_definition=f"{APP}:88",
                image=f"{sc.account}.dkr.ecr.eu-west-1.amazonaws.com/{APP}:2.31.0",
                load_balancer=ALB, log_groups=[f"/ecs/{APP}"])
    sc.resource("alb", ALB, name="ledger-alb", scheme="internet-facing",
                target_groups=["ledger-api-tg"])
    sc.resource("lambda", "fx-rates-refresher", runtime="python3.12", timeout=60,
                memory_size=256, schedule="rate(5 minutes)")

    share = lambda t: ramp(t, T_NEW, T_DRAINED - 60)  # traffic share on new tasks
    req = sc.series(lambda t: 420 * diurnal(sc, t, 13, 0.3), integer=True)
    err = [max(0.0, round(r * 0.045 * share(t) + rng.gauss(0, 1.2) * share(t)))
           + (1.0 if rng.random() < 0.04 else 0.0) for t, r in zip(GRID, req)]
    dims = {"LoadBalancer": ALB}
    sc.metric("AWS/ApplicationELB", "RequestCount", dims, "Count", req)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", dims, "Seconds",
              sc.series(lambda t: 0.048 + 0.007 * share(t), noise=0.12))
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Count", err)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dims, "Count",
              [float(max(0, round(r * 0.012 + rng.gauss(0, 1.5)))) for r in req])
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Count",
              [1.0 if rng.random() < 0.03 else 0.0 for _ in GRID])
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", dims, "Count",
              [6.0 if -2470 <= t < -2420 else 4.0 for t in GRID])
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", dims, "Count", [0.0 for _ in GRID])
    edims = {"ClusterName": CLUSTER, "ServiceName": APP}
    sc.metric("AWS/ECS", "CPUUtilization", edims, "Percent",
              sc.series(lambda t: 27 * diurnal(sc, t, 13, 0.3) + bump(t, -2500, -2420, 14, 60),
                        noise=0.08))
    sc.metric("AWS/ECS", "MemoryUtilization", edims, "Percent",
              sc.series(lambda t: 58 - 16 * share(t) + 5 * ramp(t, T_DRAINED, 0), noise=0.01))
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", edims, "Count",
              [8.0 if -2500 <= t < T_DRAINED else 4.0 for t in GRID])

    fdims = {"FunctionName": "fx-rates-refresher"}
    inv = [1.0 if t % 300 == 0 else 0.0 for t in GRID]
    sc.metric("AWS/Lambda", "Invocations", fdims, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", fdims, "Count", [0.0 for _ in GRID])
    sc.metric("AWS/Lambda", "Throttles", fdims, "Count", [0.0 for _ in GRID])
    sc.metric("AWS/Lambda", "Duration", fdims, "Milliseconds",
              [round(rng.gauss(860 if t < T_DECOY else 790, 60), 2) if i else None
               for t, i in zip(GRID, inv)])
    sc.metric("AWS/Lambda", "ConcurrentExecutions", fdims, "Count", inv)

    # ------------------------------------------------------------------ ECS task logs
    group = f"/ecs/{APP}"
    old = [sc.hexid(32) for _ in range(4)]
    new = [sc.hexid(32) for _ in range(4)]
    err_by_min = dict(zip(GRID, err))
    for tid in old + new:
        is_new = tid in new
        start = (T_NEW - 75 + rng.uniform(-20, 20)) if is_new else -10800
        stop = 0 if is_new else T_DRAINED + rng.uniform(-40, 0)
        stream = f"ecs/{APP}/{tid}"
        if is_new:
            _boot(sc, group, stream, start)
        t = start + 30
        while t < stop:
            _background(sc, group, stream, t)
            t += 60
        t = start + rng.uniform(5, 30)
        while t < stop:  # pre-existing loud error, same rate on old and new tasks
            sc.log(group, stream, t, spring(
                sc, t, "ERROR", "scheduling-1", "c.a.ledger.fx.FxRatesClient",
                f"FX rate ARS/EUR is stale (age {int((t + 36000) // 3600)}h"
                f"{int((t + 36000) % 3600 // 60):02d}m > max 6h); serving last known rate 0.001042",
                APP))
            t += rng.uniform(28, 36)
        if not is_new:
            for dt, msg in ((0, "Commencing graceful shutdown. Waiting for active requests to complete"),
                            (1.2, "Graceful shutdown complete")):
                sc.log(group, stream, stop + dt, spring(sc, stop + dt, "INFO", "tomcat-shutdown",
                                                        "o.s.b.w.e.tomcat.GracefulShutdown", msg, APP))
            sc.log(group, stream, stop + 1.6, spring(sc, stop + 1.6, "INFO", "ionShutdownHook",
                                                     "com.zaxxer.hikari.HikariDataSource",
                                                     "HikariPool-1 - Shutdown completed.", APP))
    for minute, n in err_by_min.items():
        if minute < -10800:
            continue
        for _ in range(int(n)):
            t = minute + rng.uniform(0, 60)
            if share(minute) <= 0:  # rare pre-existing 5xx: row-lock contention on old tasks
                sc.log(group, f"ecs/{APP}/{rng.choice(old)}", t, spring(
                    sc, t, "ERROR", f"nio-8080-exec-{rng.randint(1, 40)}",
                    "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                    "Servlet.service() for servlet [dispatcherServlet] threw exception "
                    "[Request processing failed: org.springframework.dao.CannotAcquireLockException: "
                    "PreparedStatementCallback; ERROR: could not obtain lock on row in relation "
                    "\"balances\"]", APP))
                continue
            tid = rng.choice(new)
            sc.log(group, f"ecs/{APP}/{tid}", t, spring(
                sc, t, "ERROR", f"nio-8080-exec-{rng.randint(1, 40)}",
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]", _ENUM_TRACE, APP))

    _fx_lambda(sc)
    sc.change(T_REG, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              f"{APP}:88", "ci-deployer")
    sc.change(T_UPD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{CLUSTER}/{APP}", "ci-deployer")
    sc.change(T_DECOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "fx-rates-refresher", "ci-deployer")
    sc.change(-16320, "ecs.amazonaws.com", "TagResource", "AWS::ECS::Service",
              f"{CLUSTER}/{APP}", "finops-tagger")

    sc.alarm("ledger-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims,
             "Sum", 60, 3, 10, "GreaterThanThreshold", "Ledger API 5xx behind ledger-alb")
    sc.alarm("fx-rates-refresher-errors", "AWS/Lambda", "Errors", fdims, "Sum", 300, 1, 0,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "ledger-alb-target-5xx",
                 "root_cause": {"category": "bad_deployment",
                                "resource": [f"{CLUSTER}/{APP}", APP]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": dims}]}
    sc.meta = {
        "alarm_on": "front (ALB ledger-alb); origin is the ECS service",
        "decoys": "fx-rates-refresher Lambda deploy between the cause and the onset; loud "
                  "pre-existing FxRatesClient ERROR at the same rate on old and new tasks; "
                  "tag-only change on the service hours earlier",
        "story": "ci-deployer registered task definition ledger-api:88 (image 2.31.0) and updated "
                 "the service at -2570 s. The new tasks log the 2.31.0 start-up banner and, as the "
                 "ALB shifts traffic to them (-2440 s to -2140 s), a new exception appears only on "
                 "the new tasks: `No enum constant EntryType.CHARGEBACK_REVERSAL` while mapping rows "
                 "of existing ledger entries. Target 5XX rises in step with the share of traffic on "
                 "new tasks; CPU, memory and host health stay normal. The fx-rates-refresher deploy "
                 "at -2490 s is closer to the onset but that function is on a 5-minute schedule, "
                 "stays error-free and is not on the request path; the stale FX-rate ERROR is "
                 "logged at the same rate before and after. A code/image deployment followed by a "
                 "new error signature is bad_deployment, originating in the ECS service.",
    }
    return sc


def _boot(sc: Scenario, group: str, stream: str, t: float) -> None:
    lines = [
        ("INFO", "main", "c.a.ledger.LedgerApiApplication",
         "Starting LedgerApiApplication v2.31.0 using Java 21.0.3 with PID 1 (/app/ledger-api.jar started by app in /app)"),
        ("INFO", "main", "c.a.ledger.LedgerApiApplication", 'The following 1 profile is active: "prod"'),
        ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
        ("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
        ("INFO", "main", "com.zaxxer.hikari.pool.HikariPool",
         "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@5b3f1c2a"),
        ("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
        ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
         "Tomcat started on port 8080 (http) with context path ''"),
        ("INFO", "main", "c.a.ledger.LedgerApiApplication",
         "Started LedgerApiApplication in 16.482 seconds (process running for 18.03)"),
    ]
    for i, (lvl, th, lg, msg) in enumerate(lines):
        tt = t + i * 2.1
        sc.log(group, stream, tt, spring(sc, tt, lvl, th, lg, msg, APP))


def _background(sc: Scenario, group: str, stream: str, t: float) -> None:
    rng = sc.rng
    for _ in range(rng.choice((2, 3, 3, 4))):
        tt = t + rng.uniform(0, 59)
        th = f"nio-8080-exec-{rng.randint(1, 40)}"
        r = rng.random()
        if r < 0.45:
            msg = (f"POST /v1/entries account=acc_{rng.randint(10 ** 6, 10 ** 7)} "
                   f"type={rng.choice(['DEBIT', 'CREDIT', 'FEE'])} amount={rng.uniform(1, 900):.2f} "
                   f"{rng.choice(['EUR', 'GBP', 'EUR'])} -> 201 ({rng.randint(12, 60)} ms)")
            lg = "c.a.ledger.api.EntryController"
        elif r < 0.8:
            msg = (f"GET /v1/accounts/acc_{rng.randint(10 ** 6, 10 ** 7)}/entries?from=2026-03-01 "
                   f"-> 200 ({rng.randint(3, 240)} rows, {rng.randint(8, 45)} ms)")
            lg = "c.a.ledger.api.AccountController"
        else:
            msg = f"Published {rng.randint(4, 30)} ledger events to ledger-events (lag {rng.randint(20, 140)} ms)"
            lg, th = "c.a.l.outbox.OutboxPublisher", "outbox-1"
        sc.log(group, stream, tt, spring(sc, tt, "INFO", th, lg, msg, APP))
    if int(t) % 300 < 60:
        tt = t + rng.uniform(0, 5)
        sc.log(group, stream, tt, spring(sc, tt, "INFO", "scheduling-1", "c.a.l.jobs.BalanceSnapshotJob",
                                         f"Balance snapshot written for {rng.randint(1480, 1560)} "
                                         f"accounts in {rng.randint(600, 900)} ms", APP))


def _fx_lambda(sc: Scenario) -> None:
    ll = LambdaLogs(sc, "fx-rates-refresher", "python3.12", 256, 60, mem_used=(96, 4),
                    life=(20000, 30000), retire=[T_DECOY])

    def body(ll, t, reqid, is_err, cold):
        n = sc.rng.randint(160, 170)
        dur = sc.rng.gauss(860 if t < T_DECOY else 790, 50)
        return {"dur": dur, "lines": [
            (0.01, ll.fmt(t + 0.01, reqid, "INFO", "Fetching reference rates from ECB feed")),
            (dur / 1000 - 0.05, ll.fmt(t + dur / 1000 - 0.05, reqid, "INFO",
                                        f"Stored {n} FX rates (base EUR) in fx-rates table"))]}
    for t in GRID:
        if t % 300 == 0 and t >= -10800:
            ll.invoke(t + sc.rng.uniform(0.2, 1.5), False, body)
