"""h91-01 number search behind an ALB, Postgres out of connection slots;
h91-02 carrier delivery-receipt callbacks, the ingest function at its reserved concurrency."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import pg, spring

from .base import LOG_FROM, LambdaLogs, S91, diurnal, ecs_stream, java_trace, task_ids


def build01() -> S91:
    sc = S91(1, "number-search-5xx",
             "Number search on the self-service portal is failing; the numbers-edge ALB target 5XX "
             "alarm paged the numbering on-call.", "eu-north-1", 9101, "2026-03-10T13:52:00+00:00")
    rng = sc.rng
    T_CLIMB, T_FULL, T_DECOY = -3000, -2340, -2460
    load = lambda t: diurnal(sc, t, 13.0, 0.3)
    full = lambda t: ramp(t, T_FULL - 120, T_FULL)
    alb = sc.alb("numbers-edge", lambda t: 950 * load(t),
                 lambda t: 0.8 + 0.36 * 950 * load(t) * full(t),
                 lambda t: 0.2 + 5 * full(t),
                 lambda t: 0.048 + 0.4 * ramp(t, T_CLIMB + 300, T_FULL) + 3.4 * full(t),
                 healthy=6, t4xx=lambda t: 14 * load(t))
    svc = sc.ecs("cpaas-core", "number-inventory",
                 lambda t: 34 * load(t) - 11 * full(t) + bump(t, -9900, -9300, 28),
                 lambda t: 61.0, lambda t: 6.0, desired_count=6, runtime="java17-spring-boot-3.2")
    sc.ecs("cpaas-core", "porting-reconcile", lambda t: 12 + bump(t, -18000, -17100, 40),
           lambda t: 38.0, lambda t: 2.0, desired_count=2, runtime="java17")
    db = sc.rds("numprov-pg", "postgres", "db.r6g.large", 400, 500,
                lambda t: 27 * load(t) + 12 * ramp(t, T_CLIMB, T_FULL) + bump(t, -15300, -14700, 35),
                lambda t: 128 * load(t) ** 0.3 + 272 * ramp(t, T_CLIMB, T_FULL + 60),
                freeable_mem=lambda t: (6.3 - 2.1 * ramp(t, T_CLIMB, T_FULL)) * 1024 ** 3)
    sc.lambda_fn("invoice-pdf", "ruby3.3", 1024, 60, lambda t: 18 * load(t), lambda t: 0.05,
                 lambda t: 2400.0)

    # -------------------------------------------------------------- application logs (Spring Boot)
    app = "number-inventory"
    tasks = task_ids(sc, 2)
    searches = ["/v2/numbers/search?country=SE&type=mobile", "/v2/numbers/search?country=FI&type=local",
                "/v2/numbers/search?country=NO&type=tollfree", "/v2/numbers/blocks/+4670"]

    for task in tasks:
        st = ecs_stream(app, task)
        lg = lambda t, lvl, th, lo, msg, st=st: sc.log(f"/ecs/{app}", st, t, spring(sc, t, lvl, th, lo, msg, app))

        def ok(t, lg=lg):
            path = sc.pick(searches)
            lg(t, "INFO", f"http-nio-8080-exec-{rng.randint(1, 64)}", "c.c.n.web.RequestLoggingFilter",
               f"GET {path} -> 200 in {int(rng.gauss(44, 12)) + 10}ms")
        sc.events(LOG_FROM, 0, lambda m: 2.6 * load(m) * (1 - 0.35 * full(m)), ok)
        sc.events(LOG_FROM, 0, lambda m: 0.2, lambda t, lg=lg: lg(
            t, "WARN", f"http-nio-8080-exec-{rng.randint(1, 64)}", "c.c.n.repo.NumberBlockRepository",
            f"Slow number block lookup took {rng.randint(1100, 1900)} ms prefix=+46{rng.randint(70, 79)}"))
        sc.events(LOG_FROM, 0, lambda m: 0.15, lambda t, lg=lg: lg(
            t, "ERROR", f"http-nio-8080-exec-{rng.randint(1, 64)}", "c.c.n.web.ApiExceptionHandler",
            f"NumberNotPortableException: +358{rng.randint(400000000, 499999999)} is not portable "
            f"(donor=FI-ELISA, reason=CONTRACT_LOCK) -> 409"))

        def stats(t, lg=lg):
            f = full(t)
            if f < 0.5:
                act = rng.randint(2, 6) + int(6 * ramp(t, T_CLIMB, T_FULL))
                lg(t, "INFO", "pool-stats-1", "c.c.n.metrics.PoolStatsReporter",
                   f"HikariPool-1 stats total=20 active={act} idle={20 - act} waiting=0")
            else:
                tot = rng.randint(8, 13)
                lg(t, "INFO", "pool-stats-1", "c.c.n.metrics.PoolStatsReporter",
                   f"HikariPool-1 stats total={tot} active={tot} idle=0 waiting={rng.randint(25, 60)}")
        sc.every(LOG_FROM, 0, 300, stats)

        def fail(t, lg=lg):
            th = f"http-nio-8080-exec-{rng.randint(1, 64)}"
            if rng.random() < 0.55:
                lg(t, "WARN", th, "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 0, SQLState: 08001")
                lg(t + 0.001, "ERROR", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                   "HikariPool-1 - Connection is not available, request timed out after 10000ms.")
            else:
                lg(t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                   "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                   "[Request processing failed: org.springframework.transaction.CannotCreateTransactionException: "
                   "Could not open JPA EntityManager for transaction] with root cause\n"
                   "org.postgresql.util.PSQLException: FATAL: sorry, too many clients already\n" + java_trace([
                       "org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)",
                       "org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:203)",
                       "com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:359)",
                       "com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:476)"]))
        sc.events(T_FULL - 60, 0, lambda m: 3.2 * full(m), fail)

    # -------------------------------------------------------------- Postgres log
    grp, st = "/aws/rds/instance/numprov-pg/postgresql", "numprov-pg.0"
    plog = lambda t, lvl, msg, **kw: sc.log(grp, st, t, pg(sc, t, lvl, msg, **kw))

    def ckpt(t):
        plog(t, "LOG", "checkpoint starting: time", pid=611)
        plog(t + 28.7, "LOG", f"checkpoint complete: wrote {rng.randint(900, 4200)} buffers "
             f"({rng.uniform(0.4, 2.9):.1f}%); 0 WAL file(s) added, 0 removed, {rng.randint(1, 3)} recycled; "
             f"write={rng.uniform(25, 28):.3f} s, sync=0.00{rng.randint(2, 9)} s, total={rng.uniform(28, 29):.3f} s",
             pid=611)
    sc.every(-21600, 0, 300, ckpt)
    app_ips = [sc.ip("10.20") for _ in range(6)]
    sc.events(-21600, 0, lambda m: 0.6, lambda t: plog(
        t, "LOG", "connection authorized: user=numinv_app database=numprov application_name=PostgreSQL JDBC Driver "
        "SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
        client=f"{sc.pick(app_ips)}({rng.randint(30000, 60000)})", user="numinv_app", db="numprov"))
    sc.events(-21600, 0, lambda m: 0.25, lambda t: plog(
        t, "LOG", "automatic vacuum of table \"numprov.public.number_reservation\": index scans: 1",
        pid=rng.randint(20000, 30000)))
    bi = sc.ip("10.44")
    sc.events(T_CLIMB, 0, lambda m: 4.5 * ramp(m, T_CLIMB, T_CLIMB + 120) * (1 - 0.8 * full(m)), lambda t: plog(
        t, "LOG", "connection authorized: user=bi_readonly database=numprov application_name=Metabase",
        client=f"{bi}({rng.randint(30000, 60000)})", user="bi_readonly", db="numprov"))

    def refused(t):
        who = sc.pick(app_ips)
        msg = ("sorry, too many clients already" if rng.random() < 0.7 else
               "remaining connection slots are reserved for non-replication superuser connections")
        plog(t, "FATAL", msg, client=f"{who}({rng.randint(30000, 60000)})", user="numinv_app", db="numprov")
    sc.events(T_FULL - 90, 0, lambda m: 6 * full(m), refused)

    sc.change(-19800, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "numbers-edge-tg", "terraform-apply")
    sc.change(-11200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "cpaas-core/porting-reconcile", "github-actions-deploy")
    sc.change(T_DECOY - 35, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "invoice-pdf", "github-actions-deploy")
    sc.change(T_DECOY, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "invoice-pdf", "github-actions-deploy")

    sc.alarm("numbers-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb["dims"], "Sum",
             60, 3, 25, "GreaterThanThreshold", "Number search/portal API 5xx from targets")
    sc.alarm("numprov-pg-connections-high", "AWS/RDS", "DatabaseConnections", db["dims"], "Maximum", 300, 1, 360,
             "GreaterThanThreshold")
    sc.alarm("number-inventory-cpu-high", "AWS/ECS", "CPUUtilization", svc["dims"], "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.alarm("invoice-pdf-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-pdf"}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    sc.truth("numbers-edge-target-5xx", "db_connection_exhaustion", ["numprov-pg"],
             [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": db["dims"]},
              {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": alb["dims"]}])
    sc.card(alarm_on="front (ALB)", services="ALB, ECS, RDS Postgres, Lambda", runtime="Java (Spring Boot)",
            log_style="Spring Boot plain + Postgres log",
            decoys="invoice-pdf code deploy 2 min before the 5xx; porting-reconcile deploy 3 h earlier; "
                   "steady slow-lookup WARNs and NumberNotPortable errors; DB connections alarm",
            story="Request volume through numbers-edge is flat, but from -50 min (about 13 minutes before the "
                  "alarm) the DatabaseConnections of numprov-pg climb from ~130 to its max_connections of 400; the Postgres "
                  "log shows a new client (bi_readonly, application_name=Metabase) opening sessions from the start of "
                  "the climb and then `FATAL: sorry, too many clients already` / reserved-slots refusals for the app "
                  "user. number-inventory's Hikari pool shrinks (recycled connections cannot be re-opened) to "
                  "`active=total idle=0 waiting=25-60` and requests fail with `Connection is not available, request "
                  "timed out after 10000ms` and PSQLException too-many-clients, which the ALB counts as target 5xx. "
                  "The invoice-pdf deploy lands between the climb and the first 5xx but is another function with no "
                  "errors; the WARN/409 lines are at their hours-old rate.",
            judgement="The slots are taken by a reporting client that is not a resource in the account, so the "
                      "origin is the database itself (numprov-pg), as in the public connection-exhaustion example.")
    return sc


def build02() -> S91:
    sc = S91(2, "dlr-callback-errors",
             "Carriers report 5xx on delivery-receipt callbacks; carrier-callbacks API 5XX alarm is firing.",
             "us-east-1", 9102, "2026-03-12T18:25:00+00:00")
    rng = sc.rng
    T_ON, T_DECOY, RES, DUR = -2520, -2465, 40, 2100.0
    load = lambda t: diurnal(sc, t, 17.0, 0.2)
    replay = lambda t: 640 * ramp(t, T_ON, T_ON + 540)
    demand = lambda t: 620 * load(t) + bump(t, -16500, -14700, 250, 600) + replay(t)
    cap = RES / (DUR * 1.1 / 1000) * 60
    thr = lambda t: max(0.0, demand(t) - cap)
    api = sc.apigw("carrier-callbacks", demand, lambda t: 6.5, lambda t: 0.3 + thr(t),
                   lambda t: (DUR + 45) * (1 - thr(t) / demand(t)) + 35 * thr(t) / demand(t),
                   lambda t: DUR * (1 - thr(t) / demand(t)) + 20 * thr(t) / demand(t))
    fn = sc.lambda_fn("dlr-ingest", "nodejs20.x", 512, 10, lambda t: demand(t) - thr(t), lambda t: 1.6,
                      lambda t: DUR, throttles=thr,
                      conc=lambda t: min(RES, (demand(t) - thr(t)) / 60 * DUR * 1.1 / 1000),
                      reserved_concurrency=RES)
    sc.lambda_fn("mo-webhook-relay", "nodejs20.x", 256, 15, lambda t: 140 * load(t), lambda t: 0.4,
                 lambda t: 640.0)

    # -------------------------------------------------------------- function logs
    ll = LambdaLogs(sc, "dlr-ingest", "nodejs20.x", 512, 10, mem_used=(118, 9))
    carriers = [("c-417", 3), ("c-102", 2), ("c-233", 2), ("c-088", 1)]
    hooks = ["https://hooks.t-8812.example/dlr", "https://api.t-1190.example/sms/status",
             "https://n8n.t-3307.example/webhook/dlr"]

    def body(ll, t, reqid, is_err, cold):
        d = max(300.0, rng.gauss(DUR, 500))
        rep = replay(t) > 0 and rng.random() < replay(t) / demand(t)
        car = "c-417" if rep else sc.wpick(carriers)
        mid = sc.hexid(16)
        stat = sc.wpick([("DELIVRD", 8), ("UNDELIV", 1), ("EXPIRED", 1)])
        lines = [(0.004, ll.fmt(t, reqid, "INFO",
                                f"dlr carrier={car} msg={mid} stat={stat} err=000 redelivery={'true' if rep else 'false'}"))]
        if is_err:
            h = sc.pick(hooks[:1]) if rng.random() < 0.8 else sc.pick(hooks)
            e = {"errorType": "Error", "errorMessage": f"customer webhook {h} returned 410 Gone",
                 "stack": [f"Error: customer webhook {h} returned 410 Gone",
                           "    at forward (/var/task/dist/forward.js:88:13)",
                           "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
                           "    at async Runtime.handler (/var/task/dist/index.js:41:5)"]}
            lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000, reqid, "ERROR", "Invoke Error \t" + json.dumps(e))))
            return {"dur": d, "lines": lines}
        lines.append((d / 1000 - 0.003, ll.fmt(t + d / 1000, reqid, "INFO",
                                               f"forwarded msg={mid} to tenant webhook status=200 in {int(d - 40)} ms")))
        return {"dur": d, "lines": lines}
    sc.lambda_run(ll, fn["inv"], fn["err"], body, per_min=2.5, base_err=lambda m: 1.6)

    # -------------------------------------------------------------- API Gateway logs
    acc = "/aws/apigateway/carrier-callbacks/access"
    exe = f"API-Gateway-Execution-Logs_{api['api_id']}/prod"
    ex_stream = sc.hexid(32)
    cips = [f"203.0.113.{rng.randint(2, 250)}" for _ in range(3)] + [f"198.51.100.{rng.randint(2, 250)}" for _ in range(3)]
    paths = ["/v1/dlr/{carrier}", "/v1/mo/{carrier}"]

    def ok(t):
        sc.apigw_access(acc, t, "POST", sc.pick(paths), 200, rng.gauss(DUR + 40, 400), rng.gauss(DUR, 400),
                        sc.pick(cips), 2, "200")
    sc.events(LOG_FROM, 0, lambda m: 3.0 * (1 - thr(m) / demand(m)), ok)
    sc.events(LOG_FROM, 0, lambda m: 0.5, lambda t: sc.apigw_access(
        acc, t, "POST", "/v1/dlr/{carrier}", 401, 6, None, cips[0], 26, "-", "Unauthorized"))

    def throttled(t):
        rid = sc.uuid()
        sc.apigw_access(acc, t, "POST", "/v1/dlr/{carrier}", 500, rng.uniform(18, 60), rng.uniform(8, 30),
                        sc.pick(cips[:2]), 36, "429", "Internal server error")
        sc.log(exe, ex_stream, t, f"({rid}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}")
        sc.log(exe, ex_stream, t + 0.001, f"({rid}) Execution failed due to configuration error: Rate Exceeded.")
        sc.log(exe, ex_stream, t + 0.002, f"({rid}) Method completed with status: 500")
    sc.events(LOG_FROM, 0, lambda m: min(4.0, 3.0 * thr(m) / demand(m) * 3), throttled)

    sc.change(-21000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "dlr-ingest", "codebuild-cpaas-release")
    sc.change(T_DECOY, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "mo-webhook-relay-role",
              "terraform-apply")
    sc.change(T_DECOY + 40, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "mo-webhook-relay", "terraform-apply")

    sc.alarm("carrier-callbacks-5xx", "AWS/ApiGateway", "5XXError", api["dims"], "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Carrier callback API returning 5xx")
    sc.alarm("carrier-callbacks-4xx", "AWS/ApiGateway", "4XXError", api["dims"], "Sum", 300, 1, 60,
             "GreaterThanThreshold")
    sc.alarm("dlr-ingest-errors", "AWS/Lambda", "Errors", fn["dims"], "Sum", 300, 1, 30, "GreaterThanThreshold")
    sc.alarm("mo-webhook-relay-errors", "AWS/Lambda", "Errors", {"FunctionName": "mo-webhook-relay"}, "Sum",
             300, 1, 10, "GreaterThanThreshold")
    sc.truth("carrier-callbacks-5xx", "throttling", ["dlr-ingest"],
             [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": fn["dims"]},
              {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": api["dims"]}])
    sc.card(alarm_on="front (API Gateway)", services="API Gateway, Lambda", runtime="Node.js 20",
            log_style="Lambda plain + API Gateway JSON access/execution logs",
            decoys="IAM policy + config change on mo-webhook-relay 1 min before throttles; steady 410 Gone "
                   "Invoke Errors and 401s; earlier afternoon peak near the limit",
            story="Carrier c-417 starts redelivering receipts (`redelivery=true` in the function log) and callback "
                  "volume rises ~1.8x. dlr-ingest forwards each receipt to tenant webhooks (~2.1 s) and has a reserved "
                  "concurrency of 40: ConcurrentExecutions flattens at 40 and Throttles climb to ~300/min, while "
                  "the function's own Errors stay at their usual ~1.6/min (the 410 Gone tenant webhook). API "
                  "Gateway's execution log shows `Lambda invocation failed with status: 429` / `Rate Exceeded` and "
                  "the access log 500s with integrationStatus 429. An earlier peak (~950/min, 1.25x normal) ran at "
                  "36-39 concurrent and did not throttle. The IAM/config change is on mo-webhook-relay, whose "
                  "metrics do not move.",
            judgement="Volume rose ~1.8x over normal (~1.4x the earlier peak), which some would call a surge; "
                      "but nothing fails except the invocations above the reserved-concurrency cap (Throttles, 429 "
                      "from Lambda, the function's own errors flat), so the more specific `throttling` on "
                      "dlr-ingest is the label.")
    return sc


BUILDERS = [build01, build02]
