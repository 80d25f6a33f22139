"""Scenarios 01-04: ECS bad deploy (ALB front), API GW -> Lambda throttling, MySQL connections, EC2 CPU."""
from . import common as c


def spring(t, level, thread, logger, msg):
    ms = int(round((t % 1) * 1000)) % 1000
    return f"{c.stamp(t)}.{ms:03d} {level:>5} 1 --- [{thread}] {logger:<40} : {msg}"


def s01(seed=3201):
    r = c.rng_for(seed)
    reg = "eu-west-1"
    lb = "app/shop-public-alb/7c1e2f9a4b3d5e60"
    T0, DEP = -2220, -2400
    onset = lambda t: t >= T0
    req = lambda t, rr: 900 * c.diurnal(t) + rr.gauss(0, 30)
    t5 = lambda t, rr: (rr.randint(0, 2) + (rr.gauss(130, 12) if onset(t) else 0))
    metrics = c.alb_metrics(r, lb, req, lambda t, rr: 0.11 + rr.gauss(0, 0.01) + (0.02 if onset(t) else 0), t5,
                            lambda t, rr: rr.choice([0, 0, 0, 1]), healthy=6)
    metrics += c.ecs_metrics(r, "shop-prod", "checkout-svc",
                             lambda t, rr: 34 + rr.gauss(0, 3) + (30 if DEP <= t < DEP + 180 else 0),
                             lambda t, rr: 52 + rr.gauss(0, 1.5), lambda t, rr: 4 if not DEP <= t < DEP + 180 else 8)
    metrics += c.ecs_metrics(r, "shop-prod", "catalog-svc", lambda t, rr: 22 + rr.gauss(0, 2),
                             lambda t, rr: 61 + rr.gauss(0, 1), lambda t, rr: 2)
    metrics += c.lambda_metrics(r, "promo-feed-sync", lambda t, rr: 1 if t % 300 == 0 else 0, lambda t, rr: 0,
                                lambda t, rr: (4200 + rr.gauss(0, 300)) if t % 300 == 0 else None)

    threads = [f"nio-8080-exec-{i}" for i in range(1, 21)]

    def line_fn(version, new):
        def f(t, rr):
            th = rr.choice(threads)
            cart = f"cart_{rr.randint(10**7, 10**8)}"
            out = []
            if rr.random() < 0.08:  # pre-existing loud error, same rate before and after
                out.append(spring(t, "ERROR", th, "c.s.checkout.client.LoyaltyClient",
                                  f"Loyalty lookup failed for customer cus_{rr.randint(10**5, 10**6)}: "
                                  "404 Not Found from GET http://loyalty.internal/v1/points [no body]"))
            if new and rr.random() < 0.55:
                out.append(spring(t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                    "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                    "[Request processing failed: java.lang.NullPointerException: Cannot invoke "
                    "\"com.shop.checkout.model.Address.getCountryCode()\" because the return value of "
                    "\"com.shop.checkout.model.Cart.getShippingAddress()\" is null] with root cause\n"
                    "java.lang.NullPointerException: Cannot invoke \"com.shop.checkout.model.Address.getCountryCode()\" "
                    "because the return value of \"com.shop.checkout.model.Cart.getShippingAddress()\" is null\n"
                    "\tat com.shop.checkout.tax.TaxCalculator.resolveJurisdiction(TaxCalculator.java:88)\n"
                    "\tat com.shop.checkout.tax.TaxCalculator.compute(TaxCalculator.java:41)\n"
                    "\tat com.shop.checkout.service.CheckoutService.placeOrder(CheckoutService.java:203)\n"
                    "\tat com.shop.checkout.web.CheckoutController.checkout(CheckoutController.java:57)\n"
                    "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n"
                    "\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)"))
            else:
                out.append(spring(t, "INFO", th, "c.s.checkout.web.CheckoutController",
                                  f"POST /api/checkout {cart} items={rr.randint(1, 6)} -> order ord_{rr.randint(10**7, 10**8)} "
                                  f"in {rr.randint(60, 240)} ms ({version})"))
            return out
        return f

    old = c.app_events(r, c.H3, DEP + 150, lambda t: 0.45, line_fn("v2.13.4", False))
    old += c.periodic(c.H3, DEP + 150, 300, lambda t: spring(t, "INFO", "scheduling-1", "c.s.checkout.jobs.CartReaper",
                                                              "Expired 41 abandoned carts"))
    old.append([DEP + 150.5, spring(DEP + 150.5, "INFO", "SpringApplicationShutdownHook",
                                    "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete")])
    new = [[DEP + 95.0, spring(DEP + 95, "INFO", "main", "c.s.checkout.CheckoutApplication",
                               "Starting CheckoutApplication v2.14.0 using Java 21.0.5 with PID 1")],
           [DEP + 108.2, spring(DEP + 108.2, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                                "Tomcat started on port 8080 (http) with context path '/'")],
           [DEP + 108.4, spring(DEP + 108.4, "INFO", "main", "c.s.checkout.CheckoutApplication",
                                "Started CheckoutApplication in 12.87 seconds (process running for 13.6)")]]
    new += c.app_events(r, DEP + 120, 0, lambda t: 0.45, line_fn("v2.14.0", True))
    new += c.periodic(DEP + 300, 0, 300, lambda t: spring(t, "INFO", "scheduling-1", "c.s.checkout.jobs.CartReaper",
                                                          "Expired 39 abandoned carts"))

    def promo(t, rr, q):
        return ([f"[INFO]\t{c.iso(t)}\t{q}\tSynced {rr.randint(300, 420)} promo rows from feed s3://promo-feeds/daily.csv"],
                rr.uniform(3800, 4700), rr.randint(140, 170), None)
    promo_ev = c.lambda_events(r, c.H3, 0, lambda t: 1 / 300.0, promo, 256)
    logs = [c.log("/ecs/checkout-svc", "ecs/checkout/0f6d2a5e91b84c7fa1d3c2b9e8a47d10", c.merge(old)),
            c.log("/ecs/checkout-svc", "ecs/checkout/6b1e9c4d2f7a48e0b5c3a9d1e2f80c44", c.merge(new)),
            c.log("/aws/lambda/promo-feed-sync", "2026/11/20/[$LATEST]" + c.hexid(r), promo_ev)]
    res = [{"type": "alb", "id": lb, "properties": {"name": "shop-public-alb", "scheme": "internet-facing"}},
           {"type": "ecs", "id": "shop-prod/checkout-svc",
            "properties": {"cluster": "shop-prod", "service": "checkout-svc", "launch_type": "FARGATE", "cpu": 1024,
                           "memory": 2048, "desired_count": 4, "task_definition": "checkout-svc:88",
                           "log_group": "/ecs/checkout-svc"}},
           {"type": "ecs", "id": "shop-prod/catalog-svc",
            "properties": {"cluster": "shop-prod", "service": "catalog-svc", "launch_type": "FARGATE", "desired_count": 2}},
           {"type": "lambda", "id": "promo-feed-sync", "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 256}}]
    changes = [c.change(-2640, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                        "promo-feed-sync", "gitlab-deployer"),
               c.change(DEP - 40, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
                        "checkout-svc:88", "gitlab-deployer"),
               c.change(DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/checkout-svc",
                        "gitlab-deployer"),
               c.change(-15800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/catalog-svc",
                        "gitlab-deployer")]
    alarms = [c.alarm("shop-public-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
                      {"LoadBalancer": lb}, "Sum", 60, 3, 25, T0 + 180, description="Shop public ALB: target 5XX")]
    exp = c.expect("shop-public-alb-target-5xx", "bad_deployment", ["shop-prod/checkout-svc", "checkout-svc"],
                   [c.anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    return c.scenario("h32-01-ecs-java-bad-deploy", "Shop checkout returning 500s; ALB target 5XX alarm paged on-call.",
                      reg, res, metrics, logs, alarms, changes, exp)


def s02(seed=3202):
    r = c.rng_for(seed)
    reg = "ap-southeast-2"
    T0, LIM = -1800, 40
    dur = 1650.0
    cap = LIM * 1000.0 / dur                                               # req/s the reserved concurrency can serve
    rate = lambda t: cap * (c.ramp(t, -14400, T0, 0.72, 1.0) if t < T0 else c.ramp(t, T0, T0 + 600, 1.0, 1.12))
    demand = lambda t: rate(t) * dur / 1000.0                              # concurrency wanted
    served = lambda t: min(rate(t), LIM * 1000.0 / dur)
    throttled = lambda t: max(0.0, rate(t) - served(t))
    inv = lambda t, rr: served(t) * 60 * rr.uniform(0.97, 1.03)
    thr = lambda t, rr: throttled(t) * 60 * rr.uniform(0.9, 1.1) if demand(t) > LIM - 0.3 else 0
    metrics = c.lambda_metrics(r, "quote-pricer", inv, lambda t, rr: rr.choice([0, 0, 0, 1]),
                               lambda t, rr: dur + rr.gauss(0, 60),
                               conc_fn=lambda t, rr: min(LIM, demand(t) + rr.gauss(0, 1.2)), thr_fn=thr)
    metrics += c.apigw_metrics(r, "quotes-api", lambda t, rr: rate(t) * 60 * rr.uniform(0.98, 1.02) + 35,
                               lambda t, rr: 35 + rr.gauss(0, 4), lambda t, rr: thr(t, rr) * 0.98 + rr.choice([0, 0, 1]),
                               lambda t, rr: dur + 40 + rr.gauss(0, 50))
    metrics += c.lambda_metrics(r, "quote-pdf-export", lambda t, rr: 20 + rr.gauss(0, 3), lambda t, rr: 0,
                                lambda t, rr: 2300 + rr.gauss(0, 200))
    # benign scheduled spike on another function right around onset
    fx = lambda t, rr: (600 + rr.gauss(0, 40)) if -1920 <= t < -1560 else rr.randint(0, 2)
    metrics += c.lambda_metrics(r, "fx-rates-loader", fx, lambda t, rr: 0, lambda t, rr: 180 + rr.gauss(0, 15))

    def pricer(t, rr, q):
        n = rr.randint(1, 9)
        d = rr.gauss(dur, 250)
        return ([f"{c.iso(t)}\t{q}\tINFO\t{{\"msg\":\"quote priced\",\"quoteId\":\"q_{c.hexid(rr, 10)}\",\"items\":{n},\"currency\":\"AUD\"}}"],
                max(300.0, d), rr.randint(190, 240), None)
    p_ev = c.lambda_events(r, c.H3, 0, lambda t: min(rate(t), LIM * 1000.0 / dur) / 60.0, pricer, 1024)

    def apilog(t, rr):
        q = c.rid(rr)
        if t >= T0 and rr.random() < throttled(t) / max(rate(t), 1e-6):
            return [f"({q}) Lambda invocation failed with status: 429. Lambda request id: {c.rid(rr)}",
                    f"({q}) Execution failed due to configuration error: Rate Exceeded.",
                    f"({q}) Method completed with status: 500"]
        if rr.random() < 0.04:
            return [f"({q}) Unauthorized request: missing or invalid x-api-key"]
        return [f"({q}) Method completed with status: 200"]
    a_ev = c.app_events(r, c.H3, 0, lambda t: rate(t) / 50.0, apilog)

    def pdf(t, rr, q):
        return ([f"{c.iso(t)}\t{q}\tINFO\trendered quote PDF pages={rr.randint(1, 4)}"], rr.uniform(1800, 2800),
                rr.randint(300, 380), None)
    pdf_ev = c.lambda_events(r, c.H3, 0, lambda t: 0.05, pdf, 1536)
    pdf_ev.append([-2099.0, f"{c.iso(-2099)}\tINFO\tconfig reloaded: PDF_TEMPLATE_VERSION=2025-11"])
    pdf_ev.sort(key=lambda e: e[0])
    logs = [c.log("/aws/lambda/quote-pricer", "2026/11/20/[$LATEST]" + c.hexid(r), p_ev),
            c.log("API-Gateway-Execution-Logs_k3v9x2m1qa/prod", "k3v9x2m1qa-prod", a_ev),
            c.log("/aws/lambda/quote-pdf-export", "2026/11/20/[$LATEST]" + c.hexid(r), pdf_ev)]
    res = [{"type": "apigateway", "id": "quotes-api", "properties": {"api_id": "k3v9x2m1qa", "stage": "prod"}},
           {"type": "lambda", "id": "quote-pricer", "properties": {"runtime": "nodejs20.x", "timeout": 10,
                                                                  "memory_size": 1024, "reserved_concurrency": LIM}},
           {"type": "lambda", "id": "quote-pdf-export", "properties": {"runtime": "nodejs20.x", "timeout": 30, "memory_size": 1536}},
           {"type": "lambda", "id": "fx-rates-loader", "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 256}}]
    changes = [c.change(-2100, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                        "quote-pdf-export", "jira-bot"),
               c.change(-19000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                        "quote-pricer", "bitbucket-pipelines")]
    alarms = [c.alarm("quotes-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "quotes-api"}, "Sum", 60, 3, 20,
                      T0 + 240, description="Quotes API 5XX responses")]
    exp = c.expect("quotes-api-5xx", "throttling", ["quote-pricer"],
                   [c.anomaly("AWS/Lambda", "Throttles", {"FunctionName": "quote-pricer"}),
                    c.anomaly("AWS/ApiGateway", "5XXError", {"ApiName": "quotes-api"})])
    return c.scenario("h32-02-apigw-node-lambda-throttling", "Quote requests intermittently failing with 500; API 5XX alarm.",
                      reg, res, metrics, logs, alarms, changes, exp)


def zap(t, level, caller, msg, **kw):
    extra = "".join(f',"{k}":{v!r}'.replace("'", '"') if isinstance(v, str) else f',"{k}":{v}' for k, v in kw.items())
    return f'{{"level":"{level}","ts":"{c.iso(t)}","caller":"{caller}","msg":"{msg}"{extra}}}'


def s03(seed=3203):
    r = c.rng_for(seed)
    reg = "us-west-2"
    lb = "app/payments-int-alb/2b8d4f6a1c3e5097"
    T0, MAXC = -1560, 300
    conn = lambda t: c.ramp(t, -3300, T0, 118, MAXC)
    full = lambda t: t >= T0
    metrics = c.rds_metrics(r, "ledger-mysql", lambda t, rr: 28 + rr.gauss(0, 3) + (9 if full(t) else 0),
                            lambda t, rr: min(MAXC, conn(t) + rr.gauss(0, 3 if not full(t) else 0.3)),
                            lambda t, rr: 182e9 - (t + 21600) * 1.1e4 + rr.gauss(0, 2e6),
                            lambda t, rr: 0.0011 + rr.gauss(0, 0.0001), lambda t, rr: 5.9e9 + rr.gauss(0, 4e7))
    metrics += c.alb_metrics(r, lb, lambda t, rr: 2400 + rr.gauss(0, 70),
                             lambda t, rr: 0.045 + rr.gauss(0, 0.004) + (0.4 if full(t) else 0),
                             lambda t, rr: rr.choice([0, 0, 1]) + (rr.gauss(520, 40) if full(t) else 0),
                             lambda t, rr: 0, healthy=3)
    metrics += c.ecs_metrics(r, "payments", "ledger-api", lambda t, rr: 31 + rr.gauss(0, 3), lambda t, rr: 44 + rr.gauss(0, 1),
                             lambda t, rr: 3)
    metrics += c.ecs_metrics(r, "payments", "notifications-svc", lambda t, rr: 12 + rr.gauss(0, 2) + (25 if -2010 <= t < -1830 else 0),
                             lambda t, rr: 38 + rr.gauss(0, 1), lambda t, rr: 2)
    metrics += c.ecs_metrics(r, "payments", "ledger-reconciler",
                             lambda t, rr: (78 + rr.gauss(0, 5)) if (t % 3600) > 3600 - 600 else 6 + rr.gauss(0, 1),
                             lambda t, rr: 30 + rr.gauss(0, 1), lambda t, rr: 1)

    def api(t, rr):
        q = c.hexid(rr, 16)
        acct = f"acct_{rr.randint(10**6, 10**7)}"
        if full(t) and rr.random() < 0.22:
            return [zap(t, "error", "store/ledger.go:142", "insert ledger entry failed", request_id=q, account=acct,
                        error="Error 1040: Too many connections"),
                    zap(t + 0.001, "warn", "httpapi/handler.go:88", "request failed", request_id=q, status=500,
                        path="/v1/ledger/entries", duration_ms=rr.randint(400, 900))]
        if rr.random() < 0.03:  # pre-existing noisy validation error
            return [zap(t, "error", "httpapi/validate.go:51", "rejecting entry", request_id=q,
                        error="currency XBT not supported", status=422)]
        return [zap(t, "info", "httpapi/handler.go:80", "request completed", request_id=q, status=201,
                    path="/v1/ledger/entries", duration_ms=rr.randint(12, 60))]
    api_ev = c.app_events(r, c.H3, 0, lambda t: 0.7, api)
    api_ev += c.periodic(c.H3, 0, 60, lambda t: zap(t, "info", "store/pool.go:33", "db pool stats",
                                                   open=int(min(100, conn(t) / 3)), in_use=int(min(100, conn(t) / 3) * 0.8), max_open=100))
    my = c.periodic(c.H3, 0, 900, lambda t: f"{c.iso(t)} 0 [Note] [MY-010914] [Server] Aborted connection "
                                            f"{int(t) % 9000 + 41000} to db: 'ledger' user: 'reporting' host: '10.40.6.12' "
                                            "(Got timeout reading communication packets).")
    my += c.periodic(T0 + 5, 0, 45, lambda t: f"{c.iso(t)} 0 [Warning] [MY-010055] [Server] Too many connections; "
                                              "rejected connection from 10.40.3.27 (user 'ledger_app')", r)
    notif = c.periodic(c.H3, 0, 120, lambda t: zap(t, "info", "notify/worker.go:61", "sent batch", count=14))
    notif += [[-2000.0, zap(-2000, "info", "main.go:40", "starting notifications-svc", version="1.31.0")]]
    logs = [c.log("/ecs/ledger-api", "ledger-api/app/3c9f0e1b7a2d4e58b6c1d0f9a8e7b6c5", c.merge(api_ev)),
            c.log("/aws/rds/instance/ledger-mysql/error", "ledger-mysql", c.merge(my)),
            c.log("/ecs/notifications-svc", "notifications-svc/app/91ab7c3e5d2f4a60", c.merge(notif))]
    res = [{"type": "rds", "id": "ledger-mysql", "properties": {"engine": "mysql", "engine_version": "8.0.39",
                                                               "instance_class": "db.r6g.large", "max_connections": MAXC,
                                                               "allocated_storage_gb": 200}},
           {"type": "alb", "id": lb, "properties": {"name": "payments-int-alb", "scheme": "internal"}},
           {"type": "ecs", "id": "payments/ledger-api", "properties": {"cluster": "payments", "service": "ledger-api",
                                                                      "desired_count": 3, "log_group": "/ecs/ledger-api"}},
           {"type": "ecs", "id": "payments/notifications-svc", "properties": {"cluster": "payments", "service": "notifications-svc"}},
           {"type": "ecs", "id": "payments/ledger-reconciler", "properties": {"cluster": "payments", "service": "ledger-reconciler"}}]
    changes = [c.change(-2040, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/notifications-svc",
                        "argo-deployer")]
    alarms = [c.alarm("payments-int-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
                      "Sum", 60, 3, 50, T0 + 180, description="Ledger API 5XX behind internal ALB")]
    exp = c.expect("payments-int-alb-5xx", "db_connection_exhaustion", ["ledger-mysql"],
                   [c.anomaly("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "ledger-mysql"})])
    return c.scenario("h32-03-alb-go-mysql-connections", "Ledger API 5XX spike behind the internal ALB.",
                      reg, res, metrics, logs, alarms, changes, exp)


def s04(seed=3204):
    r = c.rng_for(seed)
    reg = "eu-central-1"
    lb = "app/rails-web-alb/4e2a91c07d5b3f18"
    W2, W1, RP = "i-0c4e8a1f2b3d59671", "i-0a7d2e9c4b1f38620", "i-0e3b6f1a9c2d47085"
    T0 = -1860
    hot = lambda t: t >= T0
    metrics = c.ec2_metrics(r, W2, lambda t, rr: (98.5 + rr.uniform(0, 1.5)) if hot(t) else 38 + rr.gauss(0, 4),
                            lambda t, rr: 4.1e7 + rr.gauss(0, 2e6), lambda t, rr: 58 + rr.gauss(0, 1),
                            lambda t, rr: 41 + (t + 21600) / 21600)
    metrics += c.ec2_metrics(r, W1, lambda t, rr: 37 + rr.gauss(0, 4), lambda t, rr: 4.0e7 + rr.gauss(0, 2e6),
                             lambda t, rr: 57 + rr.gauss(0, 1), lambda t, rr: 40 + (t + 21600) / 21600)
    metrics += c.ec2_metrics(r, RP, lambda t, rr: 14 + rr.gauss(0, 2), lambda t, rr: 3e6 + rr.gauss(0, 2e5),
                             lambda t, rr: 33 + rr.gauss(0, 1), lambda t, rr: c.ramp(t, -21600, -14400, 81, 88.5) + rr.gauss(0, 0.1))
    metrics += c.alb_metrics(r, lb, lambda t, rr: 1500 + rr.gauss(0, 50),
                             lambda t, rr: (2.6 + rr.gauss(0, 0.3)) if hot(t) else 0.21 + rr.gauss(0, 0.02),
                             lambda t, rr: rr.choice([0, 1]) + (rr.gauss(40, 6) if hot(t) else 0),
                             lambda t, rr: (rr.gauss(12, 3) if hot(t) else 0), healthy=2)

    def puma(t, rr):
        path = rr.choice(["/products", "/products/4411", "/cart", "/search?q=boots", "/account/orders"])
        q = c.rid(rr)
        if hot(t):
            if rr.random() < 0.12:
                return [f"E, [{c.iso(t)[:-1]} #2931] ERROR -- : [{q}] Rack::Timeout::RequestTimeoutException "
                        f"(Request waited 2104ms, then ran for longer than 12000ms ):\n  app/controllers/products_controller.rb:23:in `index'",
                        f"I, [{c.iso(t)[:-1]} #2931]  INFO -- : [{q}] Completed 500 Internal Server Error in 12003ms"]
            return [f"I, [{c.iso(t)[:-1]} #2931]  INFO -- : [{q}] Started GET \"{path}\" for 10.20.{rr.randint(1, 9)}.{rr.randint(2, 250)}",
                    f"I, [{c.iso(t)[:-1]} #2931]  INFO -- : [{q}] Completed 200 OK in {rr.randint(1800, 7000)}ms "
                    f"(Views: {rr.randint(900, 3000)}.1ms | ActiveRecord: {rr.randint(8, 30)}.4ms)"]
        return [f"I, [{c.iso(t)[:-1]} #2931]  INFO -- : [{q}] Started GET \"{path}\" for 10.20.{rr.randint(1, 9)}.{rr.randint(2, 250)}",
                f"I, [{c.iso(t)[:-1]} #2931]  INFO -- : [{q}] Completed 200 OK in {rr.randint(40, 260)}ms "
                f"(Views: {rr.randint(20, 120)}.3ms | ActiveRecord: {rr.randint(8, 30)}.4ms)"]
    app = c.app_events(r, c.H3, 0, lambda t: 0.6, puma)
    app += [[T0 - 55.0, f"I, [{c.iso(T0 - 55)[:-1]} #3377]  INFO -- : Sidekiq CatalogFeedExportJob JID-6f1c0a9e2b4d start "
                        "(in-process, queue=exports) rows=2400000 format=xml"]]
    app += c.periodic(T0 + 60, 0, 60, lambda t: f"W, [{c.iso(t)[:-1]} #3377]  WARN -- : Sidekiq CatalogFeedExportJob "
                                                f"JID-6f1c0a9e2b4d still running {int(t - T0 + 55)}s, threads busy 5/5, "
                                                "process CPU 372%")
    app += c.periodic(T0 + 30, 0, 30, lambda t: f"W, [{c.iso(t)[:-1]} #2931]  WARN -- : Puma backlog 40+, all 5 threads busy "
                                                "on 4 workers; load average 11.8 (4 vCPU)")
    nginx = c.app_events(r, c.H3, 0, lambda t: 0.5, lambda t, rr: [
        f"10.20.{rr.randint(1, 9)}.{rr.randint(2, 250)} - - [{c.stamp(t, '%d/%b/%Y:%H:%M:%S +0000')}] \"GET "
        f"{rr.choice(['/products', '/cart', '/search?q=boots'])} HTTP/1.1\" "
        f"{502 if hot(t) and rr.random() < 0.03 else 200} {rr.randint(900, 9000)} \"-\" \"Mozilla/5.0\" "
        f"rt={(rr.uniform(1.8, 7.0) if hot(t) else rr.uniform(0.04, 0.26)):.3f}"])
    rp = c.periodic(c.H3, 0, 600, lambda t: f"{c.stamp(t)} pg_dump_rotate[811]: WARNING /var/backups usage 88% "
                                            "(threshold 85%), oldest dump kept per retention policy")
    logs = [c.log("/app/rails/production", W2, c.merge(app)), c.log("/app/nginx/access", W2, nginx),
            c.log("/app/reports/backup", RP, rp)]
    res = [{"type": "ec2", "id": W2, "properties": {"name": "rails-web-2", "instance_type": "c6i.xlarge",
                                                   "log_groups": ["/app/rails/production", "/app/nginx/access"]}},
           {"type": "ec2", "id": W1, "properties": {"name": "rails-web-1", "instance_type": "c6i.xlarge"}},
           {"type": "ec2", "id": RP, "properties": {"name": "reports-backup-1", "instance_type": "t3.large",
                                                   "log_groups": ["/app/reports/backup"]}},
           {"type": "alb", "id": lb, "properties": {"name": "rails-web-alb"}}]
    changes = [c.change(-2160, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", RP, "ops-alice"),
               c.change(-2100, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", RP, "ops-alice")]
    alarms = [c.alarm("rails-web-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
                      "Average", 60, 5, 1.5, T0 + 300, description="Storefront p-avg latency"),
              c.alarm("reports-backup-1-disk", "CWAgent", "disk_used_percent",
                      {"InstanceId": RP, "path": "/", "fstype": "xfs"}, "Average", 300, 1, 85, -14100)]
    exp = c.expect("rails-web-alb-latency", "cpu_saturation", [W2, "rails-web-2"],
                   [c.anomaly("AWS/EC2", "CPUUtilization", {"InstanceId": W2})])
    return c.scenario("h32-04-alb-ec2-ruby-cpu", "Storefront slow, some 500/502; ALB latency alarm.",
                      reg, res, metrics, logs, alarms, changes, exp)
