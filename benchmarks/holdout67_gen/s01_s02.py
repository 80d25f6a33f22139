"""h67-01 (ALB -> ECS -> RDS connection exhaustion, us-east-1) and
h67-02 (API Gateway -> Lambda bad deployment, eu-west-1)."""
from __future__ import annotations

import json

from . import kit
from .common import Scenario, bump, ramp, step
from .runtimes import LambdaLogs, pg, spring


# =========================================================================== 01
def build_01() -> Scenario:
    sc = Scenario(1, "storefront-5xx-use1", "Storefront 5xx alarm in us-east-1 during Black "
                  "Friday; customers report cart page errors.", "us-east-1", 67001,
                  "2026-11-27T16:05:00")
    W = "us-west-2"
    onset = -2760
    lb_e, lb_w = kit.alb_id(sc, "storefront-alb"), kit.alb_id(sc, "storefront-alb")
    for reg, lb in (("us-east-1", lb_e), (W, lb_w)):
        sc.resource("alb", lb, region=reg, name="storefront-alb", scheme="internet-facing")
        sc.resource("ecs", "shop/cart", region=reg, launch_type="FARGATE", desired_count=8,
                    cpu=1024, memory=2048, log_group="/ecs/cart")
        sc.resource("rds", "cart-db", region=reg, engine="postgres", engine_version="16.4",
                    instance_class="db.r6g.xlarge", max_connections=400, allocated_storage_gb=500,
                    multi_az=True)
    sc.resource("lambda", "newsletter-sender", runtime="python3.12", timeout=300,
                memory_size=512)
    le, lw = kit.load(sc, "us-east-1", 0.25, 14), kit.load(sc, W, 0.25, 14)
    exh = lambda t: ramp(t, onset, onset + 600)          # noqa: E731 connections pinned
    fail = lambda t: ramp(t, onset + 420, onset + 720)   # noqa: E731 app starts failing

    kit.alb(sc, lb_e, lambda t: 1100 * le(t), lambda t: 0.11 + 1.9 * fail(t),
            t5=lambda t: 1.2 + 140 * fail(t) * le(t), e5=lambda t: 0.1 + 6 * fail(t),
            healthy=lambda t: 8)
    kit.alb(sc, lb_w, lambda t: 800 * lw(t), lambda t: 0.10, t5=lambda t: 1.0,
            e5=lambda t: 0.05 + 3 * bump(t, -2880, -2700, 1, 60), healthy=lambda t: 8, region=W)
    kit.ecs(sc, "shop", "cart", lambda t: 34 * le(t) - 8 * fail(t), lambda t: 58 + 4 * fail(t),
            tasks=lambda t: 8)
    kit.ecs(sc, "shop", "cart", lambda t: 29 * lw(t) + 25 * bump(t, -2820, -2580, 1, 60),
            lambda t: 57, tasks=lambda t: 8 + 8 * bump(t, -2800, -2560, 1, 30), region=W)
    conns = kit.rds(sc, "cart-db", lambda t: 31 * le(t) + 40 * bump(t, -9300, -8700, 1, 120),
                    lambda t: 160 + 236 * exh(t), lambda t: 331 - t / 86400 * 4,
                    freemem_gb=lambda t: 11.5 - 2.2 * exh(t), max_conns=400)["conns"]
    kit.rds(sc, "cart-db", lambda t: 27 * lw(t), lambda t: 150, lambda t: 336 - t / 86400 * 4,
            freemem_gb=lambda t: 11.8, region=W)
    kit.lam(sc, "newsletter-sender", lambda t: 2 + 30 * bump(t, -2700, -2100, 1, 60),
            lambda t: 2400)

    # ---- cart service logs (Spring Boot, us-east-1)
    tasks = [kit.task_id(sc) for _ in range(3)]
    threads = [f"nio-8080-exec-{i}" for i in range(1, 40)]

    def app(level, logger, msg):
        return lambda t: spring(sc, t, level, kit.pick(sc, threads), logger, msg, "cart")

    for i, tid in enumerate(tasks):
        st = f"cart/cart/{tid}"
        ok = ["GET /api/cart/{id} 200 {ms}ms", "POST /api/cart/{id}/items 201 {ms}ms",
              "DELETE /api/cart/{id}/items/{sku} 204 {ms}ms"]
        kit.sprinkle(sc, "/ecs/cart", st, lambda t: 3 * le(t) * (1 - 0.7 * fail(t)),
                     lambda t: spring(sc, t, "INFO", kit.pick(sc, threads),
                                      "c.s.cart.web.RequestLogFilter",
                                      kit.pick(sc, ok).format(id=sc.hexid(12), sku=sc.hexid(6),
                                                              ms=sc.rng.randint(8, 90)), "cart"))
        kit.sprinkle(sc, "/ecs/cart", st, lambda t: 0.6,
                     app("WARN", "o.h.engine.jdbc.spi.SqlExceptionHelper",
                         "SQL Error: 0, SQLState: 40001"))
        kit.sprinkle(sc, "/ecs/cart", st, lambda t: 0.6,
                     app("ERROR", "o.h.engine.jdbc.spi.SqlExceptionHelper",
                         "ERROR: could not serialize access due to concurrent update"))
        kit.sprinkle(sc, "/ecs/cart", st, lambda t: 5 * fail(t),
                     app("WARN", "com.zaxxer.hikari.pool.PoolBase",
                         "HikariPool-1 - Failed to validate connection "
                         "org.postgresql.jdbc.PgConnection@" + sc.hexid(8) +
                         " (This connection has been closed.). Possibly consider using a "
                         "shorter maxLifetime value."), start=onset)
        kit.sprinkle(sc, "/ecs/cart", st, lambda t: 6 * fail(t),
                     app("ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                         "Servlet.service() for servlet [dispatcherServlet] threw exception "
                         "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to "
                         "obtain JDBC Connection; nested exception is "
                         "org.postgresql.util.PSQLException: FATAL: sorry, too many clients "
                         "already"), start=onset)
        kit.sprinkle(sc, "/ecs/cart", st, lambda t: 3 * fail(t),
                     app("ERROR", "c.s.cart.web.GlobalExceptionHandler",
                         "Unhandled exception on POST /api/cart/items: "
                         "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is "
                         "not available, request timed out after 30000ms."), start=onset)
    # new tasks in us-west-2 after their deploy: healthy
    for tid in [kit.task_id(sc) for _ in range(2)]:
        st = f"cart/cart/{tid}"
        sc.log("/ecs/cart", st, -2790, spring(sc, -2790, "INFO", "main",
               "c.s.cart.CartApplication", "Starting CartApplication v4.18.2 using Java 21.0.5",
               "cart"), region=W)
        sc.log("/ecs/cart", st, -2774, spring(sc, -2774, "INFO", "main",
               "c.s.cart.CartApplication", "Started CartApplication in 15.882 seconds "
               "(process running for 17.104)", "cart"), region=W)
        kit.sprinkle(sc, "/ecs/cart", st, lambda t: 2.5,
                     lambda t: spring(sc, t, "INFO", kit.pick(sc, threads),
                                      "c.s.cart.web.RequestLogFilter",
                                      f"GET /api/cart/{sc.hexid(12)} 200 {sc.rng.randint(8, 70)}ms",
                                      "cart"), start=-2770, region=W)

    # ---- cart-db postgres log (us-east-1)
    g, s = "/aws/rds/instance/cart-db/postgresql", "cart-db.0"
    kit.every(sc, g, s, 300, lambda t: pg(sc, t, "LOG", "checkpoint complete: wrote "
              f"{sc.rng.randint(900, 4000)} buffers ({sc.rng.uniform(0.5, 3):.1f}%); 0 WAL "
              f"file(s) added, 0 removed, {sc.rng.randint(1, 3)} recycled", pid=571))
    cl = lambda: f"10.20.{sc.rng.randint(1, 40)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 65000)})"  # noqa: E731
    kit.sprinkle(sc, g, s, lambda t: 0.25 + 2.5 * bump(t, onset - 180, onset + 600, 1, 60),
                 lambda t: pg(sc, t, "LOG", "connection authorized: user=cart_sweeper "
                              "database=cart application_name=abandoned-cart-sweeper SSL enabled "
                              "(protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
                              client=cl(), user="cart_sweeper", db="cart"), start=-21600)
    kit.sprinkle(sc, g, s, lambda t: 0.3,
                 lambda t: pg(sc, t, "ERROR", "could not serialize access due to concurrent "
                              "update", client=cl(), user="cart_app", db="cart"), start=-21600)
    kit.sprinkle(sc, g, s, lambda t: 9 * exh(t) * (t > onset + 540),
                 lambda t: pg(sc, t, "FATAL", kit.pick(sc, [
                     "sorry, too many clients already",
                     "remaining connection slots are reserved for non-replication superuser "
                     "connections"]), client=cl(), user="cart_app", db="cart"), start=onset)
    kit.sprinkle(sc, g, s, lambda t: 0.1, lambda t: pg(
        sc, t, "LOG", f"automatic vacuum of table \"cart.public.cart_items\": index scans: 1",
        pid=sc.rng.randint(20000, 30000)), start=-21600)

    # ---- changes
    sc.change(-19800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/cart",
              "github-actions-deploy")
    sc.change(-2830, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "cart:214", "github-actions-deploy", region=W)
    sc.change(-2820, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/cart",
              "github-actions-deploy", region=W)
    sc.change(-2790, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "newsletter-sender", "marketing-ops")
    # ---- alarms
    sc.alarm("storefront-use1-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb_e}, "Sum", 60, 3, 25, "GreaterThanThreshold",
             "Storefront ALB target 5xx (us-east-1)")
    sc.alarm("cart-db-use1-connections-high", "AWS/RDS", "DatabaseConnections",
             {"DBInstanceIdentifier": "cart-db"}, "Maximum", 300, 1, 360,
             "GreaterThanThreshold", "cart-db connections above 90% of max_connections")
    sc.alarm("storefront-usw2-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
             {"LoadBalancer": lb_w}, "Sum", 60, 2, 10, "GreaterThanThreshold", region=W)
    sc.expect = {"alarm": "storefront-use1-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": ["cart-db"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": "cart-db"}}]}
    sc.meta = dict(front="front (ALB)", services="ALB, ECS (Java/Spring), RDS PostgreSQL",
                   decoys="shop/cart deploy in us-west-2 60 s before onset; newsletter-sender "
                          "config update in us-east-1; old 40001 serialization errors",
                   story=(
        "The us-east-1 storefront ALB starts returning target 5xx about 40 minutes ago. Behind "
        "it, the `shop/cart` Spring service logs `CannotGetJdbcConnectionException ... FATAL: "
        "sorry, too many clients already` and Hikari timeouts, and the us-east-1 `cart-db` "
        "DatabaseConnections climbs from about 160 to its max_connections of 400 while its CPU "
        "stays near 30 %. The postgres log shows a burst of `cart_sweeper` connections just "
        "before the climb and then FATAL connection-slot refusals. Decoys: the same `shop/cart` "
        "service was redeployed in us-west-2 a minute before onset (that region stays healthy), "
        "`newsletter-sender` got a configuration update in us-east-1, and the serialization "
        "failures (SQLState 40001) have been logged at the same rate for six hours."))
    return sc


# =========================================================================== 02
def build_02() -> Scenario:
    sc = Scenario(2, "checkout-api-5xx-euw1", "checkout-api 5XX alarm in eu-west-1; EU "
                  "customers see 'something went wrong' when placing orders.", "eu-west-1",
                  67002, "2026-11-28T19:40:00")
    E = "us-east-1"
    onset = -2500
    for reg in ("eu-west-1", E):
        sc.resource("apigateway", "checkout-api", region=reg, stage="prod", endpoint="REGIONAL")
        sc.resource("lambda", "checkout-submit", region=reg, runtime="nodejs20.x", timeout=15,
                    memory_size=1024)
        sc.resource("lambda", "loyalty-accrual", region=reg, runtime="nodejs20.x", timeout=30,
                    memory_size=256)
    lo, lu = kit.load(sc, "eu-west-1", 0.3, 20), kit.load(sc, E, 0.3, 20)
    bad = lambda t: step(t, onset, 0, 1)  # noqa: E731
    rate = lambda t: 15 * lo(t)           # noqa: E731
    fn = kit.lam(sc, "checkout-submit", rate, lambda t: 640 - 120 * bad(t),
                 ratio=lambda t: 0.36 * bad(t))
    kit.apigw(sc, "checkout-api", lambda t: rate(t) * 1.02, lambda t: 700 - 110 * bad(t),
              e4=lambda t: rate(t) * 0.03, e5=lambda t: rate(t) * 0.36 * bad(t),
              ilat=lambda t: 660 - 110 * bad(t))
    spike = lambda t: bump(t, -3300, -2500, 1.0, 240)  # noqa: E731 US promo e-mail
    kit.lam(sc, "checkout-submit", lambda t: 14 * lu(t) * (1 + 1.6 * spike(t)),
            lambda t: 610 + 90 * spike(t), region=E)
    kit.apigw(sc, "checkout-api", lambda t: 14.3 * lu(t) * (1 + 1.6 * spike(t)),
              lambda t: 680 + 120 * spike(t), e4=lambda t: 0.4, e5=lambda t: 0.05, region=E)
    kit.lam(sc, "loyalty-accrual", lambda t: 4 * lo(t), lambda t: 95)
    kit.lam(sc, "loyalty-accrual", lambda t: 5 * lu(t), lambda t: 92, region=E)

    ll = LambdaLogs(sc, "checkout-submit", "nodejs20.x", 1024, 15,
                    epochs=((-10 ** 9, "57"), (onset, "58")), mem_used=(182, 14),
                    retire=(onset,), prewarm=-7740)

    def body(ll_, t, rid, is_err, cold):
        lines = []
        order = f"EU-{sc.rng.randint(10 ** 7, 10 ** 8 - 1)}"
        cart = sc.rng.randint(1, 9)
        dur = max(120.0, sc.rng.gauss(600 if t < onset else 480, 140))
        if is_err:
            err = {"errorType": "TypeError",
                   "errorMessage": "Cannot read properties of undefined (reading 'amount')",
                   "stack": ["TypeError: Cannot read properties of undefined (reading 'amount')",
                             "    at buildPaymentIntent (/var/task/dist/payment/intent.js:88:41)",
                             "    at submitOrder (/var/task/dist/handlers/submit.js:142:27)",
                             "    at process.processTicksAndRejections "
                             "(node:internal/process/task_queues:95:5)",
                             "    at async Runtime.handler (/var/task/dist/index.js:31:12)"]}
            dur = max(60.0, sc.rng.gauss(210, 50))
            lines.append((dur / 1000 - 0.01, ll_.fmt(t + dur / 1000, rid, "ERROR",
                          "Invoke Error \t" + json.dumps(err, separators=(",", ":")))))
        elif sc.rng.random() < 0.035:
            lines.append((dur / 1000 - 0.02, ll_.fmt(t + dur / 1000, rid, "ERROR", json.dumps(
                {"msg": "payment.declined", "orderRef": order, "code": "card_declined",
                 "psp": "adyen", "status": 402}))))
        else:
            lines.append((dur / 1000 - 0.02, ll_.fmt(t + dur / 1000, rid, "INFO", json.dumps(
                {"msg": "checkout.completed", "orderRef": order, "items": cart, "ms": int(dur),
                 "currency": kit.pick(sc, ["EUR", "GBP", "EUR", "SEK"])}))))
        return {"dur": dur, "lines": lines}

    ll.run(kit.counts_per_minute(fn["inv"], -7800, 0), kit.counts_per_minute(fn["err"], -7800, 0),
           body)

    sc.change(-2580, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "checkout-submit", "gha-release-eu")
    sc.change(-2566, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "checkout-submit", "gha-release-eu")
    sc.change(-2530, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "loyalty-accrual", "a.kowalczyk")
    sc.change(-2503, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias",
              "checkout-submit:live", "gha-release-eu")
    sc.change(-2440, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "loyalty-accrual", "a.kowalczyk", region=E)
    sc.change(-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "checkout-submit", "gha-release-us", region=E)
    sc.alarm("checkout-api-euw1-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "checkout-api"},
             "Sum", 300, 1, 8, "GreaterThanThreshold", "checkout-api 5XX (eu-west-1)")
    sc.alarm("checkout-api-use1-latency", "AWS/ApiGateway", "Latency",
             {"ApiName": "checkout-api"}, "Average", 300, 1, 1500, "GreaterThanThreshold",
             region=E)
    sc.expect = {"alarm": "checkout-api-euw1-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": ["checkout-submit"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": "checkout-submit"}}]}
    sc.meta = dict(front="front (API Gateway)", services="API Gateway, Lambda (Node.js 20)",
                   decoys="loyalty-accrual config updates (eu-west-1 closer to onset, us-east-1); "
                          "US promo spike; long-standing card_declined ERROR lines",
                   story=(
        "The eu-west-1 `checkout-api` starts returning 5XX right after the release pipeline "
        "updated `checkout-submit` code, published version 58 and moved the `live` alias. From "
        "that minute about a third of invocations end with `Invoke Error` "
        "`TypeError: Cannot read properties of undefined (reading 'amount')` in "
        "`buildPaymentIntent`, a signature absent from the two hours of version-57 logs. The "
        "us-east-1 copy still runs the old code and is healthy apart from a harmless promo-mail "
        "traffic spike. Decoys: `loyalty-accrual` got a configuration update between the code "
        "push and the alias switch (and again in us-east-1), and `payment.declined` ERROR lines "
        "appear at a steady ~3 % all along."))
    return sc
