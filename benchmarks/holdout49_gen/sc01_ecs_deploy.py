"""h49-01: a rolling ECS deploy of cart-svc ships an NPE on one code path; the ALB
target-5XX alarm (3 of 5 datapoints) flaps around its threshold; Container
Insights was never enabled, so the RunningTaskCount alarm sits in INSUFFICIENT_DATA."""
from __future__ import annotations

import math

from .common import (Clock, Rng, alarm, change, diurnal, expect, flips, log_stream, metric, pts,
                     ramp, scenario)

NOW = "2026-03-14T15:40:00"
REGION = "us-east-1"
ALB = "app/shop-alb/7f3a9c2e1b4d5a60"
CART = "shop/cart-svc"
DEPLOY = -1560
LOG_FROM = -7200
SHARE = 0.05


def _spring(clock, t, level, thread, logger, msg, app="cart-svc"):
    return "%s %5s 1 --- [%s] [%15s] %-40s : %s" % (clock.iso_z(t), level, app, thread[-15:],
                                                   logger[:40], msg)


NPE = ('Cannot invoke "com.acme.cart.promo.PromoCode.discountFor(java.math.BigDecimal)" '
       'because "promo" is null')
STACK = "\n".join([
    "java.lang.NullPointerException: " + NPE,
    "\tat com.acme.cart.pricing.PromoPricingService.applyPromotion(PromoPricingService.java:88)",
    "\tat com.acme.cart.pricing.CartPricer.price(CartPricer.java:41)",
    "\tat com.acme.cart.service.CartService.addItem(CartService.java:112)",
    "\tat com.acme.cart.web.CartController.addItem(CartController.java:63)",
    "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
    "\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)",
    "\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)",
    "\tat org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
    "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
    "\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
    "\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)",
    "\tat java.base/java.lang.Thread.run(Thread.java:1583)",
])


def build():
    rng = Rng(4901)
    clock = Clock(NOW)
    # rolling replacement of the 4 cart tasks: new task i healthy at start_i + 45
    new_start = [DEPLOY + 60 + 80 * i for i in range(4)]
    old_stop = [s + 75 for s in new_start]

    def new_share(t):
        return sum(1 for s in new_start if t >= s + 45) / 4.0

    def cart_rpm(t):
        return 520 * diurnal(t, 0.12, 9000) * (1 + 0.16 * math.sin(t / 410.0))

    alb_dims = {"LoadBalancer": ALB}
    req, t5xx = [], []
    for t in range(-21600, -59, 60):
        cart = rng.pois(cart_rpm(t))
        cat = rng.pois(380 * diurnal(t, 0.1, 9000))
        errs = rng.pois(0.25) + rng.pois(cart * new_share(t) * SHARE)
        req.append([t, float(cart + cat)])
        t5xx.append([t, float(errs)])
    m_req = metric("AWS/ApplicationELB", "RequestCount", alb_dims, "Count", req)
    m_5xx = metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims, "Count", t5xx)
    m_elb5 = metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims, "Count",
                    pts(lambda t: rng.pois(0.04) + (1 if t in (new_start[0] - 60, new_start[2] - 60) else 0), integer=True))
    m_4xx = metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", alb_dims, "Count",
                   pts(lambda t: rng.pois(11), integer=True))
    m_rt = metric("AWS/ApplicationELB", "TargetResponseTime", alb_dims, "Seconds",
                  pts(lambda t: rng.noise(0.084, 0.007) + (0.03 if DEPLOY < t < DEPLOY + 420 else 0), nd=4))
    m_hh = metric("AWS/ApplicationELB", "HealthyHostCount", alb_dims, "Count",
                  pts(lambda t: 7 + sum(1 for s, o in zip(new_start, old_stop) if s + 45 <= t < o), integer=True))
    m_uh = metric("AWS/ApplicationELB", "UnHealthyHostCount", alb_dims, "Count", pts(lambda t: 0.0))

    ecs = lambda svc: {"ClusterName": "shop", "ServiceName": svc}
    m_cpu = metric("AWS/ECS", "CPUUtilization", ecs("cart-svc"), "Percent",
                   pts(lambda t: rng.noise(28, 2.5) * diurnal(t, 0.1, 9000)
                       + (14 if DEPLOY + 60 <= t < DEPLOY + 480 else 0)))
    m_mem = metric("AWS/ECS", "MemoryUtilization", ecs("cart-svc"), "Percent",
                   pts(lambda t: rng.noise(61, 0.8) if t < DEPLOY + 60
                       else rng.noise(ramp(t, DEPLOY + 60, DEPLOY + 1500, 43, 54), 0.8)))
    CAT_DEPLOY = -6900
    m_ccpu = metric("AWS/ECS", "CPUUtilization", ecs("catalog-svc"), "Percent",
                    pts(lambda t: rng.noise(22, 2) + (11 if CAT_DEPLOY + 60 <= t < CAT_DEPLOY + 420 else 0)))
    m_cmem = metric("AWS/ECS", "MemoryUtilization", ecs("catalog-svc"), "Percent",
                    pts(lambda t: rng.noise(48, 0.7) if t < CAT_DEPLOY + 60
                        else rng.noise(ramp(t, CAT_DEPLOY + 60, CAT_DEPLOY + 1800, 37, 46), 0.7)))
    nl = {"FunctionName": "newsletter-sender"}
    m_nl_inv = metric("AWS/Lambda", "Invocations", nl, "Count",
                      pts(lambda t: 1.0 if t % 300 == 0 else 0.0))
    m_nl_err = metric("AWS/Lambda", "Errors", nl, "Count", pts(lambda t: 0.0))
    m_nl_dur = metric("AWS/Lambda", "Duration", nl, "Milliseconds",
                      pts(lambda t: rng.noise(4200, 500) if t % 300 == 0 else None))

    # ------------------------------------------------------------------ logs
    logs = []
    err_by_min = {t: int(v) for t, v in t5xx}
    thread = lambda: "nio-8080-exec-%d" % rng.randint(1, 40)
    old_ids = [rng.hx(32) for _ in range(4)]
    new_ids = [rng.hx(32) for _ in range(4)]
    tasks = [(old_ids[i], LOG_FROM, old_stop[i], "2.30.4") for i in range(4)] + \
            [(new_ids[i], new_start[i], 0, "2.31.0") for i in range(4)]
    streams = {tid: [] for tid, _, _, _ in tasks}
    for tid, start, stop, ver in tasks:
        ev = streams[tid]
        if start > LOG_FROM:
            boot = [
                ("main", "c.a.cart.CartServiceApplication", "Starting CartServiceApplication v%s using Java 17.0.10 with PID 1 (/app/app.jar started by app in /app)" % ver),
                ("main", "c.a.cart.CartServiceApplication", 'The following 1 profile is active: "prod"'),
                ("main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
                ("main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
                ("main", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@5b3f%s" % rng.hx(4)),
                ("main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                ("main", "o.s.b.a.e.web.EndpointLinksResolver", "Exposing 2 endpoints beneath base path '/actuator'"),
                ("main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
                ("main", "c.a.cart.CartServiceApplication", "Started CartServiceApplication in %.3f seconds (process running for %.3f)" % (rng.uniform(13, 16), rng.uniform(16, 18))),
            ]
            for k, (th, lg, msg) in enumerate(boot):
                ev.append([start + 2 + k * 1.6, _spring(clock, start + 2 + k * 1.6, "INFO", th, lg, msg)])
        end = stop if stop else 0
        t = max(start + 20, LOG_FROM)
        while t < end - 10:
            t += rng.expovariate(1 / 20.0)
            if t >= end - 10:
                break
            cart = "c_" + rng.hx(6)
            r = rng.random()
            if r < 0.45:
                msg = ("c.a.cart.web.CartController", "Added item sku=SKU-%06d qty=%d cart=%s" % (rng.randint(100000, 999999), rng.randint(1, 3), cart))
            elif r < 0.8:
                msg = ("c.a.cart.pricing.CartPricer", "Cart %s priced: %d items subtotal=%.2f USD" % (cart, rng.randint(1, 9), rng.uniform(8, 320)))
            elif r < 0.95:
                msg = ("c.a.cart.service.CartService", "Merged guest cart %s into customer cart c_%s" % (cart, rng.hx(6)))
            else:
                msg = ("c.a.cart.web.CheckoutHandoff", "Handed cart %s to checkout (session %s)" % (cart, rng.hx(12)))
            ev.append([t, _spring(clock, t, "INFO", thread(), msg[0], msg[1])])
            if rng.random() < 0.06:  # old, steady noise: recommendations time out now and then
                ev.append([t + 0.4, _spring(clock, t + 0.4, "WARN", thread(), "c.a.cart.reco.RecoClient",
                                            'Recommendations unavailable for cart %s, serving without: I/O error on GET request for "http://reco.internal:8080/v1/recs": Read timed out' % cart)])
        if stop:
            ev.append([stop - 8, _spring(clock, stop - 8, "INFO", "ionShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete")])
            ev.append([stop - 6.5, _spring(clock, stop - 6.5, "INFO", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown", "Graceful shutdown complete")])
            ev.append([stop - 6, _spring(clock, stop - 6, "INFO", "ionShutdownHook", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Shutdown completed.")])
    # the NPE: one event per failed request, on whichever new task served it
    for tmin, n in err_by_min.items():
        if tmin < DEPLOY:
            n = 0  # the pre-deploy background 5XX are client aborts with no stack trace
        live = [new_ids[i] for i, s in enumerate(new_start) if tmin + 30 >= s + 45]
        for _ in range(n if live else 0):
            t = tmin + rng.random() * 60
            tid = rng.choice(live)
            head = _spring(clock, t, "ERROR", thread(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                           "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                           "[Request processing failed: java.lang.NullPointerException: %s] with root cause" % NPE)
            streams[tid].append([t, head + "\n\n" + STACK])
    for tid, _, _, _ in tasks:
        logs.append(log_stream("/ecs/cart-svc", "ecs/cart-svc/" + tid, streams[tid]))
    # catalog-svc: a deploy two hours ago that went fine (decoy), plain INFO noise
    cat_ev = []
    cat_task = rng.hx(32)
    for k, msg in enumerate(["Starting CatalogServiceApplication v5.8.2 using Java 17.0.10 with PID 1 (/app/app.jar started by app in /app)",
                             "Tomcat started on port 8080 (http) with context path ''",
                             "Started CatalogServiceApplication in 11.204 seconds (process running for 12.877)"]):
        tt = CAT_DEPLOY + 70 + 4 * k
        cat_ev.append([tt, _spring(clock, tt, "INFO", "main", "c.a.catalog.CatalogServiceApplication", msg, "catalog-svc")])
    t = CAT_DEPLOY + 90
    while t < -5:
        t += rng.expovariate(1 / 45.0)
        cat_ev.append([t, _spring(clock, t, "INFO", thread(), "c.a.catalog.web.ProductController",
                                  "GET /products/%d served from cache (age %ds)" % (rng.randint(10000, 99999), rng.randint(1, 290)), "catalog-svc")])
    logs.append(log_stream("/ecs/catalog-svc", "ecs/catalog-svc/" + cat_task, [e for e in cat_ev if e[0] < 0]))

    metrics = [m_req, m_5xx, m_elb5, m_4xx, m_rt, m_hh, m_uh, m_cpu, m_mem, m_ccpu, m_cmem,
               m_nl_inv, m_nl_err, m_nl_dur]
    a_main = alarm("shop-alb-target-5xx", m_5xx, "Sum", 60, 5, 25.0, "GreaterThanThreshold", clock,
                   "ALARM", "shop ALB target 5XX (3 of 5 minutes)", m_of_n=3)
    n_flips = flips(m_5xx, "Sum", 60, 5, 25.0, "GreaterThanThreshold", clock, m_of_n=3)
    alarms = [
        a_main,
        alarm("cart-svc-running-tasks-low", None, "Minimum", 60, 3, 2.0, "LessThanThreshold", clock,
              "INSUFFICIENT_DATA", "cart-svc has fewer than 2 running tasks",
              namespace="ECS/ContainerInsights", metric_name="RunningTaskCount",
              dims={"ClusterName": "shop", "ServiceName": "cart-svc"}, insufficient_since=-2419200),
        alarm("shop-alb-latency", m_rt, "Average", 60, 3, 0.5, "GreaterThanThreshold", clock, "OK",
              "shop ALB average target response time"),
        alarm("cart-svc-cpu-high", m_cpu, "Average", 300, 3, 80.0, "GreaterThanThreshold", clock, "OK"),
    ]
    changes = [
        change(-10900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "newsletter-sender", "github-actions-deployer"),
        change(CAT_DEPLOY - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
               "catalog-svc:42", "github-actions-deployer"),
        change(CAT_DEPLOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/catalog-svc",
               "github-actions-deployer"),
        change(DEPLOY - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
               "cart-svc:89", "github-actions-deployer"),
        change(DEPLOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", CART,
               "github-actions-deployer"),
    ]
    resources = [
        {"type": "ecs", "id": CART, "properties": {
            "cluster": "shop", "service": "cart-svc", "launch_type": "FARGATE", "desired_count": 4,
            "task_definition": "cart-svc:89", "cpu": 1024, "memory": 2048,
            "container_insights": "disabled", "log_groups": ["/ecs/cart-svc"]}},
        {"type": "ecs", "id": "shop/catalog-svc", "properties": {
            "cluster": "shop", "service": "catalog-svc", "launch_type": "FARGATE", "desired_count": 3,
            "task_definition": "catalog-svc:42", "log_groups": ["/ecs/catalog-svc"]}},
        {"type": "alb", "id": ALB, "properties": {
            "name": "shop-alb", "scheme": "internet-facing",
            "target_groups": ["shop-cart-svc-tg", "shop-catalog-svc-tg"], "access_logs": "disabled"}},
        {"type": "lambda", "id": "newsletter-sender", "properties": {
            "runtime": "python3.12", "timeout": 300, "memory_size": 512}},
    ]
    data = scenario("h49-01-ecs-cart-rolling-deploy-npe",
                    "shop-alb target 5XX alarm went off again (it has been flapping for ~20 minutes); "
                    "some customers cannot add items to their cart.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("shop-alb-target-5xx", "bad_deployment", [CART, "cart-svc"], [m_5xx]))
    meta = {
        "flips": n_flips,
        "slug": "ecs-cart-rolling-deploy-npe", "region": REGION, "alarm": "shop-alb-target-5xx",
        "category": "bad_deployment", "resources": [CART, "cart-svc"], "alarm_on": "front (ALB)",
        "decoys": "catalog-svc deploy 2 h earlier (clean); newsletter-sender Lambda deploy 3 h earlier; "
                  "steady RecoClient 'Read timed out' WARNs before and after; ContainerInsights alarm in "
                  "INSUFFICIENT_DATA",
        "paragraph": (
            "cart-svc (Spring Boot on Fargate) was rolled from task definition 88 to 89 "
            "(RegisterTaskDefinition + UpdateService ~26 min ago). As each new task (v2.31.0 in its "
            "startup banner) becomes healthy, the ALB's target 5XX count climbs to ~30/min and every "
            "one of those requests is a new `NullPointerException ... because \"promo\" is null` in "
            "`PromoPricingService.applyPromotion`, a signature that never appears in the v2.30.4 "
            "tasks. The alarm is 3-of-5 and the error rate oscillates around its threshold, so it has "
            "flapped; its state_changed is recent but the onset is the deploy. Container Insights is "
            "off (RunningTaskCount alarm INSUFFICIENT_DATA), ECS CPU/memory only show the JVM restart. "
            "The catalog-svc deploy two hours earlier, the Lambda deploy and the recommendation "
            "time-outs (same rate before and after) are unrelated. A code deploy followed by a new "
            "error signature: bad_deployment of cart-svc; the alarm is on the ALB in front."),
    }
    return data, meta
