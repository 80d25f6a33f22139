"""h30-01 (checkout image release, bad_deployment) and h30-02 (ledger env var, config_change)."""
from __future__ import annotations

from . import fleet, kit
from . import logfmt as L
from .core import GRID, Scenario, diurnal, ramp, sig

ELB = "AWS/ApplicationELB"


def s01():
    R = "us-east-1"
    sc = Scenario(1, "checkout-5xx-image-release", R,
                  "Storefront ALB target 5XX alarm; customers report 'something went wrong' at checkout.",
                  3001, kit.now(2026, 3, 12, 15, 20))
    lb = "app/storefront-alb/7f3a9c21d4e5b680"
    tgs = {"checkout": "targetgroup/checkout-api-tg/3c1d0e9f8a7b6c5d",
           "cart": "targetgroup/cart-api-tg/5a4b3c2d1e0f9a8b",
           "search": "targetgroup/search-api-tg/9e8d7c6b5a4f3e2d"}
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    sc.resource("alb", lb, name="storefront-alb", scheme="internet-facing",
                target_groups=[t.split("/")[1] for t in tgs.values()])
    sc.resource("ecs", "storefront/checkout-api", launch_type="FARGATE", task_definition="checkout-api:49",
                image=f"{img}/checkout-api:3.18.0", cpu=1024, memory=2048, desired_count=6,
                runtime="java17 (Spring Boot 3.2)", target_group="checkout-api-tg",
                log_groups=["/ecs/storefront/checkout-api"])
    sc.resource("ecs", "storefront/cart-api", launch_type="FARGATE", task_definition="cart-api:131",
                image=f"{img}/cart-api:7.4.2", cpu=512, memory=1024, desired_count=4, runtime="nodejs20",
                log_groups=["/ecs/storefront/cart-api"])
    sc.resource("ecs", "storefront/search-api", launch_type="FARGATE", task_definition="search-api:112",
                image=f"{img}/search-api:2024.3.12-1", cpu=1024, memory=2048, desired_count=8, runtime="go1.22",
                log_groups=["/ecs/storefront/search-api"])
    sc.resource("rds", "storefront-pg", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=500)

    T_DEP = -3060        # UpdateService to checkout-api:49
    T_NEW = -2900        # new tasks registered in the target group and taking traffic
    bad = lambda t: 0.085 * sig(t, T_NEW + 60, 50)
    ck_req = sc.counts(lambda t: 640 * diurnal(t, 0.1))
    ca_req = sc.counts(lambda t: 1150 * diurnal(t, 0.1))
    se_req = sc.counts(lambda t: 2100 * diurnal(t, 0.12))
    ck_5 = kit.frac(sc, ck_req, lambda t: 0.0009 + bad(t))
    ca_5 = kit.frac(sc, ca_req, lambda t: 0.0006)
    se_5 = kit.frac(sc, se_req, lambda t: 0.0004)
    ck_rt = lambda t: 0.185 + 0.04 * sig(t, T_NEW, 30) * (1 - sig(t, T_NEW + 400, 60))
    fleet.tg(sc, lb, tgs["checkout"], ck_req, ck_rt, ck_5, lambda t: 6, lambda t: 0)
    fleet.tg(sc, lb, tgs["cart"], ca_req, lambda t: 0.062, ca_5, lambda t: 4, lambda t: 0)
    fleet.tg(sc, lb, tgs["search"], se_req, lambda t: 0.094 + 0.03 * (-14400 < t < -14100), se_5,
             lambda t: 8, lambda t: 0)
    req = [a + b + c for a, b, c in zip(ck_req, ca_req, se_req)]
    t5 = [a + b + c for a, b, c in zip(ck_5, ca_5, se_5)]
    e5 = [float(sc.poisson(0.3)) for _ in GRID]
    fleet.alb(sc, lb, req, lambda t: 0.105 + 0.008 * sig(t, T_NEW, 40), t5, e5)

    fleet.ecs(sc, "storefront", "checkout-api",
              lambda t: 34 * diurnal(t, 0.1) + 30 * ((T_DEP + 60 < t < T_NEW + 240)),
              lambda t: 56 - 14 * sig(t, T_NEW, 40) + 9 * ramp(t, T_NEW, -60),
              lambda t: 6 + 6 * (T_DEP + 90 < t < T_NEW + 330), lambda t: 6, mem_reserved_mb=2048)
    fleet.ecs(sc, "storefront", "cart-api", lambda t: 28 * diurnal(t) + 52 * (-9000 < t < -7860),
              lambda t: 47, lambda t: 4, lambda t: 4, mem_reserved_mb=1024)
    fleet.ecs(sc, "storefront", "search-api", lambda t: 41 * diurnal(t, 0.12) + 25 * (-14400 < t < -14100),
              lambda t: 38 + 4 * (t > -14200), lambda t: 8 + 8 * (-14400 < t < -14160), lambda t: 8,
              mem_reserved_mb=2048)
    fleet.rds(sc, "storefront-pg", lambda t: 24 * diurnal(t), lambda t: 212, lambda t: 301.0, lambda t: 6.1,
              read_iops=lambda t: 820, write_iops=lambda t: 410)

    # ---- logs: checkout-api tasks -------------------------------------------------------------
    app = "checkout-api"
    group = "/ecs/storefront/checkout-api"
    old = [kit.task_id(sc) for _ in range(6)]
    new = [kit.task_id(sc) for _ in range(6)]
    cur = ["EUR", "USD", "GBP"]

    def order_line(t):
        n = sc.rng.randint(1, 6)
        return L.spring(sc, t, "INFO", "c.a.checkout.order.OrderService",
                        f"Order ord_{sc.rng.randint(10**7, 10**8 - 1)} placed items={n} "
                        f"total={sc.rng.uniform(9, 420):.2f} {sc.rng.choice(cur)} payment={sc.rng.choice(['card', 'card', 'paypal', 'applepay'])}",
                        thread=f"nio-8080-exec-{sc.rng.randint(1, 40)}", app=app)

    def fraud_line(t):  # pre-existing, same rate before and after the release
        return L.spring(sc, t, "ERROR", "c.a.checkout.fraud.FraudScoreClient",
                        f"fraud score unavailable for merchant {sc.rng.choice([88412, 88412, 90217, 70031])}: "
                        "upstream returned 503 Service Unavailable; using fallback score 0.35",
                        thread=f"nio-8080-exec-{sc.rng.randint(1, 40)}", app=app)

    def hikari(t):
        return L.spring(sc, t, "INFO", "com.zaxxer.hikari.pool.HikariPool",
                        f"HikariPool-1 - Pool stats (total=20, active={sc.rng.randint(2, 9)}, idle={sc.rng.randint(9, 17)}, waiting=0)",
                        thread="HikariPool-1 housekeeper", app=app)

    npe = ('Cannot invoke "java.math.BigDecimal.multiply(java.math.BigDecimal)" because the return value of '
           '"com.acme.checkout.promo.BundleRule.getDiscountRate()" is null')

    def npe_line(t):
        head = L.spring(sc, t, "ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                        f"[Request processing failed: java.lang.NullPointerException: {npe}] with root cause",
                        thread=f"nio-8080-exec-{sc.rng.randint(1, 40)}", app=app)
        return (head + f"\n\njava.lang.NullPointerException: {npe}\n"
                "\tat com.acme.checkout.promo.PromotionService.applyBundleDiscount(PromotionService.java:214)\n"
                "\tat com.acme.checkout.promo.PromotionService.price(PromotionService.java:97)\n"
                "\tat com.acme.checkout.order.OrderService.placeOrder(OrderService.java:142)\n"
                "\tat com.acme.checkout.web.OrderController.create(OrderController.java:58)\n"
                "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n"
                "\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)\n"
                "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n"
                "\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)\n"
                "\tat java.base/java.lang.Thread.run(Thread.java:1583)")

    for i, tid in enumerate(old):
        end = -2870 + sc.rng.uniform(0, 20)
        ev = kit.events(sc, L.times(sc, -10800, end, 3.2), order_line)
        ev += kit.events(sc, L.times(sc, -10800, end, 0.25), fraud_line)
        ev += kit.events(sc, L.every(sc, -10800, end, 300), hikari)
        ev += kit.events(sc, L.every(sc, -10800, end, 1800), lambda t: L.spring(
            sc, t, "INFO", "c.a.checkout.ops.BuildInfoReporter", "heartbeat build.version=3.17.2 build.commit=9d02c4e "
            "uptime=" + f"{int((t + 200000) / 3600)}h", thread="scheduling-1", app=app))
        ev.append((end, L.spring(sc, end, "INFO", "o.s.b.w.e.tomcat.GracefulShutdown",
                                 "Commencing graceful shutdown. Waiting for active requests to complete",
                                 thread="tomcat-shutdown", app=app)))
        ev.append((end + 2.4, L.spring(sc, end + 2.4, "INFO", "o.s.b.w.e.tomcat.GracefulShutdown",
                                       "Graceful shutdown complete", thread="tomcat-shutdown", app=app)))
        sc.log(group, f"checkout-api/checkout-api/{tid}", ev)
    for i, tid in enumerate(new):
        st = T_DEP + 75 + sc.rng.uniform(0, 30)
        ev = [(st, L.spring(sc, st, "INFO", "c.a.checkout.CheckoutApplication",
                            "Starting CheckoutApplication v3.18.0 using Java 17.0.10 with PID 1 (/app/app.jar started by app in /app)",
                            thread="main", app=app)),
              (st + 0.1, L.spring(sc, st + 0.1, "INFO", "c.a.checkout.CheckoutApplication",
                                  'The following 1 profile is active: "prod"', thread="main", app=app)),
              (st + 9.8, L.spring(sc, st + 9.8, "INFO", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                                  "Tomcat started on port 8080 (http) with context path ''", thread="main", app=app)),
              (st + 9.9, L.spring(sc, st + 9.9, "INFO", "c.a.checkout.CheckoutApplication",
                                  "Started CheckoutApplication in 10.41 seconds (process running for 11.3)",
                                  thread="main", app=app))]
        ev += kit.events(sc, L.times(sc, T_NEW, -1, 2.9), order_line)
        ev += kit.events(sc, L.times(sc, T_NEW, -1, 0.25), fraud_line)
        ev += kit.events(sc, L.times(sc, T_NEW + 20, -1, 2.1), npe_line)
        ev += kit.events(sc, L.every(sc, st + 30, -1, 300), hikari)
        ev += kit.events(sc, L.every(sc, st + 60, -1, 1800), lambda t: L.spring(
            sc, t, "INFO", "c.a.checkout.ops.BuildInfoReporter", "heartbeat build.version=3.18.0 build.commit=51e7ab3 "
            f"uptime={int((t - st) / 60)}m", thread="scheduling-1", app=app))
        sc.log(group, f"checkout-api/checkout-api/{tid}", ev)

    # ---- cart-api (Node, benign cache rebuild) and search-api (Go, deployed 4 h earlier) ---------
    host = "ip-10-0-21-44.ec2.internal"
    cart = kit.events(sc, L.times(sc, -10800, -1, 6), lambda t: L.pino(
        sc, t, "info", "request completed", host, reqId=f"req-{sc.rng.randint(1, 99999)}",
        res={"statusCode": 200}, responseTime=round(sc.rng.uniform(20, 110), 1), url="/cart"))
    cart += [(-9000 + 5, L.pino(sc, -8995, "info", "promo cache rebuild started", host, entries=412883)),
             (-7870, L.pino(sc, -7870, "info", "promo cache rebuild finished", host, entries=412883, tookMs=1124113))]
    sc.log("/ecs/storefront/cart-api", f"cart-api/cart-api/{kit.task_id(sc)}", cart)
    se = kit.events(sc, L.times(sc, -14300, -1, 5), lambda t: L.slog(
        sc, t, "INFO", "search served", q_len=sc.rng.randint(3, 30), hits=sc.rng.randint(0, 900),
        took_ms=sc.rng.randint(12, 140)))
    se.append((-14330, L.slog(sc, -14330, "INFO", "starting search-api", version="2024.3.12-1", commit="b71e0c9")))
    sc.log("/ecs/storefront/search-api", f"search-api/search-api/{kit.task_id(sc)}", se)

    ev = [(-14460, kit.deployment_event(sc, -14460, R, "storefront", "search-api", "SERVICE_DEPLOYMENT_IN_PROGRESS",
                                        "ecs-svc/4718223095512038191", "ECS deployment ecs-svc/4718223095512038191 in progress.")),
          (-14090, kit.deployment_event(sc, -14090, R, "storefront", "search-api", "SERVICE_DEPLOYMENT_COMPLETED",
                                        "ecs-svc/4718223095512038191", "ECS deployment ecs-svc/4718223095512038191 completed.")),
          (T_DEP + 5, kit.deployment_event(sc, T_DEP + 5, R, "storefront", "checkout-api", "SERVICE_DEPLOYMENT_IN_PROGRESS",
                                           "ecs-svc/8820417361955901123", "ECS deployment ecs-svc/8820417361955901123 in progress.")),
          (T_NEW + 420, kit.deployment_event(sc, T_NEW + 420, R, "storefront", "checkout-api", "SERVICE_DEPLOYMENT_COMPLETED",
                                             "ecs-svc/8820417361955901123", "ECS deployment ecs-svc/8820417361955901123 completed."))]
    sc.log("/aws/events/ecs/storefront", "ecs-deployments", ev)

    user = "assumed-role/github-actions-deploy/GitHubActions"
    sc.change(-14520, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "search-api:112", user)
    sc.change(-14480, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "storefront/search-api", user)
    sc.change(T_DEP - 60, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-api:49", user)
    sc.change(T_DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "storefront/checkout-api", user)

    sc.alarm("cart-api-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "storefront", "ServiceName": "cart-api"},
             "Average", 300, 2, 70, "GreaterThanThreshold", expect_state="OK")
    a = sc.alarm("storefront-alb-target-5xx", ELB, "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 25,
                 "GreaterThanThreshold", desc="Storefront ALB: targets returning 5XX", expect_state="ALARM")
    res = ["storefront/checkout-api", "checkout-api"]
    sc.expect(a["name"], "bad_deployment", res,
              [(ELB, "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}),
               (ELB, "HTTPCode_Target_5XX_Count", {"TargetGroup": tgs["checkout"], "LoadBalancer": lb})])
    kit.meta(sc, a["name"], "bad_deployment", res, "front (ALB)",
             "search-api deploy 4 h earlier; FraudScoreClient 503 fallback errors at a constant rate; cart-api CPU "
             "spike and its alarm (now OK) 2.5 h earlier",
             "checkout-api was rolled to task definition checkout-api:49 about 50 minutes ago, moving the image from 3.17.2 to "
             "3.18.0 (build heartbeats and the start-up banner). As soon "
             "as the new tasks took traffic, about 8 % of checkout requests began failing with a NullPointerException in "
             "PromotionService.applyBundleDiscount, a signature never seen on the old tasks; the checkout target group "
             "carries all the extra 5XX while cart and search are flat. The FraudScoreClient errors are loud but run at "
             "the same rate before and after, the search-api release is four hours old and clean, and the database is "
             "idle. New code, new exception, onset at the rollout: bad_deployment of checkout-api.")
    return sc


def s02():
    R = "eu-west-1"
    sc = Scenario(2, "ledger-5xx-settlement-accounts-env", R,
                  "Ledger service 5XX alarm (log metric filter); payment postings failing for some customers.",
                  3002, kit.now(2026, 3, 9, 10, 40))
    lb = "app/payments-int-alb/2b9c4d6e8f0a1c3e"
    tgid = "targetgroup/ledger-svc-tg/6d5c4b3a2f1e0d9c"
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    hosts = {"i-0d41c7a9e2b3f5068": "payments-ecs-1", "i-0f8a2b6c4d1e3a597": "payments-ecs-2"}
    sc.resource("ecs", "payments/ledger-svc", launch_type="EC2", capacity_provider="payments-ecs-asg-cp",
                task_definition="ledger-svc:87", image=f"{img}/ledger-svc:2.31.4", cpu=512, memory=1024,
                desired_count=4, runtime="go1.22", target_group="ledger-svc-tg",
                log_groups=["/ecs/payments/ledger-svc"])
    sc.resource("ecs", "payments/fx-rates", launch_type="EC2", task_definition="fx-rates:33",
                image=f"{img}/fx-rates:1.9.1", cpu=256, memory=512, desired_count=2, runtime="go1.22",
                log_groups=["/ecs/payments/fx-rates"])
    for iid, name in hosts.items():
        sc.resource("ec2", iid, name=name, instance_type="m6i.xlarge", autoscaling_group="payments-ecs-asg",
                    ami="ami-0a9d27c1e3b5f7a42 (amzn2023-ami-ecs-hvm)")
    sc.resource("alb", lb, name="payments-int-alb", scheme="internal", target_groups=["ledger-svc-tg"])
    sc.resource("rds", "ledger-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
                max_connections=1800, allocated_storage_gb=800)

    T_REG, T_UPD, T_NEW = -2940, -2900, -2790
    eur = lambda t: 0.255 * sig(t, T_NEW + 40, 45)
    req = sc.counts(lambda t: 420 * diurnal(t, 0.15, 20000))
    t5 = kit.frac(sc, req, lambda t: 0.0012 + eur(t))
    e5 = [float(sc.poisson(0.05)) for _ in GRID]
    fleet.tg(sc, lb, tgid, req, lambda t: 0.041 - 0.006 * sig(t, T_NEW, 60), t5, lambda t: 4, lambda t: 0)
    fleet.alb(sc, lb, req, lambda t: 0.041 - 0.006 * sig(t, T_NEW, 60), t5, e5)
    sc.metric("Payments/Ledger", "Http5xx", {"ClusterName": "payments", "ServiceName": "ledger-svc"}, "Count", t5)
    fleet.ecs(sc, "payments", "ledger-svc", lambda t: 22 * diurnal(t, 0.15, 20000) + 15 * (T_UPD < t < T_NEW + 200),
              lambda t: 31 - 6 * sig(t, T_NEW, 30) + 3 * ramp(t, T_NEW, -60),
              lambda t: 4 + 4 * (T_UPD + 40 < t < T_NEW + 60), lambda t: 4, mem_reserved_mb=1024)
    fleet.ecs(sc, "payments", "fx-rates", lambda t: 9 + 20 * (-5400 < t < -5200), lambda t: 22,
              lambda t: 2 + 2 * (-5380 < t < -5220), lambda t: 2, mem_reserved_mb=512)
    for k, iid in enumerate(hosts):
        fleet.ec2(sc, iid, lambda t, k=k: 27 + 3 * k + 6 * (T_UPD < t < T_NEW + 200), mem=lambda t: 44 + 2 * k,
                  disk=lambda t, k=k: 38.5 + k + 0.00002 * (t + 21600), netin=lambda t: 2.1e7)
    fleet.rds(sc, "ledger-pg", lambda t: 19 - 4 * sig(t, T_NEW, 60), lambda t: 52, lambda t: 512.0, lambda t: 14.2,
              read_iops=lambda t: 330, write_iops=lambda t: 610 - 150 * sig(t, T_NEW, 60))

    group = "/ecs/payments/ledger-svc"
    curs = ["GBP"] * 4 + ["USD"] * 3 + ["EUR"] * 4

    def posted(t, cur=None):
        cur = cur or sc.rng.choice(["GBP", "USD", "GBP", "USD", "GBP"])
        acct = {"GBP": "acct_gb_0044", "USD": "acct_us_0192", "EUR": "acct_eu_0107"}[cur]
        return L.slog(sc, t, "INFO", "entry posted", entry_id=f"ent_{sc.hexid(12)}", currency=cur,
                      amount_minor=sc.rng.randint(100, 2500000), settlement_account=acct,
                      latency_ms=sc.rng.randint(8, 60), request_id=sc.uuid())

    def webhook(t):
        return L.slog(sc, t, "ERROR", "webhook delivery failed", subscriber="sub_8812", attempt=3,
                      err='Post "https://hooks.partner-ops.example.net/ledger/v2": context deadline exceeded '
                          "(Client.Timeout exceeded while awaiting headers)")

    def stats(t):
        return L.slog(sc, t, "INFO", "runtime stats", version="2.31.4", goroutines=sc.rng.randint(120, 170),
                      heap_mb=sc.rng.randint(70, 95), db_open_conns=sc.rng.randint(9, 14))

    def failed(t):
        return L.slog(sc, t, "ERROR", "post entry failed", entry_id=f"ent_{sc.hexid(12)}", currency="EUR", status=500,
                      err='settlement: no settlement account configured for currency "EUR" (check SETTLEMENT_ACCOUNTS)',
                      request_id=sc.uuid())

    for k in range(4):
        end = T_NEW + 25 + sc.rng.uniform(0, 20)
        ev = kit.events(sc, L.times(sc, -10800, end, 7), lambda t: posted(t, sc.rng.choice(curs)))
        ev += kit.events(sc, L.times(sc, -10800, end, 0.35), webhook)
        ev += kit.events(sc, L.every(sc, -10800, end, 300), stats)
        ev.append((end, L.slog(sc, end, "INFO", "shutdown signal received, draining", signal="terminated")))
        ev.append((end + 1.2, L.slog(sc, end + 1.2, "INFO", "http server stopped")))
        sc.log(group, f"ledger/ledger-svc/{kit.task_id(sc)}", ev)
    for k in range(4):
        st = T_UPD + 50 + sc.rng.uniform(0, 25)
        ev = [(st, L.slog(sc, st, "INFO", "starting ledger-svc", version="2.31.4", commit="4be91a7", go="go1.22.1")),
              (st + 0.2, L.slog(sc, st + 0.2, "INFO", "config loaded", env="prod",
                                db_host="ledger-pg.c7xk2mf0bq1d.eu-west-1.rds.amazonaws.com",
                                settlement_accounts="USD:acct_us_0192,GBP:acct_gb_0044", idempotency_ttl="24h")),
              (st + 0.21, L.slog(sc, st + 0.21, "WARN", "currency enabled without settlement account", currency="EUR",
                                 setting="SETTLEMENT_ACCOUNTS")),
              (st + 0.6, L.slog(sc, st + 0.6, "INFO", "listening", addr=":8080"))]
        ev += kit.events(sc, L.times(sc, T_NEW, -1, 5), posted)
        ev += kit.events(sc, L.times(sc, T_NEW, -1, 0.35), webhook)
        ev += kit.events(sc, L.times(sc, T_NEW + 30, -1, 13), failed)
        ev += kit.events(sc, L.every(sc, st + 60, -1, 300), stats)
        sc.log(group, f"ledger/ledger-svc/{kit.task_id(sc)}", ev)
    fx = [(-5330, L.slog(sc, -5330, "INFO", "starting fx-rates", version="1.9.1", commit="e02d7f3", go="go1.22.1"))]
    fx += kit.events(sc, L.every(sc, -5300, -1, 60), lambda t: L.slog(
        sc, t, "INFO", "rates refreshed", source="ecb", pairs=31, age_s=sc.rng.randint(1, 4)))
    sc.log("/ecs/payments/fx-rates", f"fx/fx-rates/{kit.task_id(sc)}", fx)
    ev = [(T_UPD + 4, kit.deployment_event(sc, T_UPD + 4, R, "payments", "ledger-svc", "SERVICE_DEPLOYMENT_IN_PROGRESS",
                                           "ecs-svc/2231840957716630412", "ECS deployment ecs-svc/2231840957716630412 in progress.")),
          (T_NEW + 300, kit.deployment_event(sc, T_NEW + 300, R, "payments", "ledger-svc", "SERVICE_DEPLOYMENT_COMPLETED",
                                             "ecs-svc/2231840957716630412", "ECS deployment ecs-svc/2231840957716630412 completed."))]
    sc.log("/aws/events/ecs/payments", "ecs-deployments", ev)

    tf = "assumed-role/terraform-apply/atlantis"
    sc.change(-7200, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup",
              "payments-ecs-asg", "assumed-role/AWSReservedSSO_PlatformAdmin/jane.okafor")
    sc.change(-5420, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "fx-rates:33",
              "assumed-role/github-actions-deploy/GitHubActions")
    sc.change(-5400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/fx-rates",
              "assumed-role/github-actions-deploy/GitHubActions")
    sc.change(T_REG, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "ledger-svc:87", tf)
    sc.change(T_UPD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/ledger-svc", tf)

    dims = {"ClusterName": "payments", "ServiceName": "ledger-svc"}
    a = sc.alarm("ledger-svc-5xx", "Payments/Ledger", "Http5xx", dims, "Sum", 60, 3, 20, "GreaterThanThreshold",
                 desc="ledger-svc HTTP 5xx (metric filter on /ecs/payments/ledger-svc)", expect_state="ALARM")
    res = ["payments/ledger-svc", "ledger-svc"]
    sc.expect(a["name"], "config_change", res, [("Payments/Ledger", "Http5xx", dims)])
    kit.meta(sc, a["name"], "config_change", res, "origin (service metric)",
             "fx-rates image deploy 1.5 h earlier; capacity ASG max-size change 2 h earlier; pre-existing webhook "
             "timeout errors at a constant rate",
             "Terraform registered ledger-svc:87 and updated the service ~48 minutes ago. The image tag and the version "
             "the tasks log (2.31.4) are the same as before, but the new tasks log a SETTLEMENT_ACCOUNTS value without "
             "EUR and warn about it at startup; from then on every EUR posting fails with 'no settlement account "
             "configured for currency EUR (check SETTLEMENT_ACCOUNTS)' (about a quarter of requests). Nothing else moved: "
             "the DB is healthy, fx-rates' release is 1.5 h old and clean, the webhook timeouts predate the change at the "
             "same rate. A task-definition change that only altered an environment variable, with errors naming that "
             "setting: config_change on ledger-svc.")
    return sc
