"""h19-02: a new cart-service image throws NPEs on promotions (bad_deployment, ECS origin, ALB front alarm)."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import LOG_START, Case, counts, diurnal, wobble
from .logfmt import ecs_stream, spring

SLUG = "h19-02-cart-service-rollout"
DEPLOY = -2580          # UpdateService
NEW_UP = -2470          # new tasks pass health checks and take traffic
OLD_DOWN = -2380        # old tasks drained

META = {
    "front": "front (ALB)",
    "decoys": "catalog-service deployed 3.6 h earlier; catalog-service 5xx at a constant low rate all day; "
              "recurring Redis timeout warnings in cart-service before and after",
    "story": (
        "GitHub Actions registered `cart-service:89` and updated the ECS service `shop-prod/cart-service` "
        "(-43 min). As soon as the new tasks (startup banner `v2.41.0`) take traffic, `POST /api/cart/items` "
        "requests carrying a promotion fail with a `java.lang.NullPointerException ... because \"rule\" is null` "
        "in `PromotionEngine`, a signature absent from the old tasks' streams. The ALB's Target 5XX alarm fires; "
        "the cart target group carries the 5xx while the catalog target group stays at its usual trickle. "
        "The catalog-service deploy is hours old and its image-manifest errors are constant. The Redis timeout "
        "warnings are handled fallbacks present all day. A deployment with a new error signature right after it."),
}

PROMOS = ["WINTER15", "FREESHIP", "BUNDLE3", "LOYAL10"]


def build() -> Case:
    c = Case(SLUG, 1902, "eu-west-1", datetime(2026, 11, 19, 11, 25),
             "shop-prod ALB returning 5xx on cart calls; Target 5XX alarm in ALARM.")
    rng, ids, t = c.rng, c.ids, c.t
    lb = "app/shop-prod-alb/7f3e2a91c4d05b18"
    tg_cart, tg_cat = "targetgroup/cart-service-tg/1b93c0de44a7f512", "targetgroup/catalog-service-tg/9e04a7b3c2d1f680"
    ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
    c.resource("ecs", "shop-prod/cart-service", launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
               task_definition="cart-service:89", image=f"{ecr}/cart-service:2.41.0", log_groups=["/ecs/cart-service"],
               environment={"SPRING_PROFILES_ACTIVE": "prod", "PROMOTIONS_CACHE_TTL": "300",
                            "REDIS_HOST": "cart-cache.q1w2e3.ng.0001.euw1.cache.amazonaws.com"},
               target_group=tg_cart)
    c.resource("ecs", "shop-prod/catalog-service", launch_type="FARGATE", desired_count=3, cpu=1024, memory=2048,
               task_definition="catalog-service:57", image=f"{ecr}/catalog-service:1.88.2",
               log_groups=["/ecs/catalog-service"], target_group=tg_cat)
    c.resource("alb", lb, name="shop-prod-alb", scheme="internet-facing", target_groups=[tg_cart, tg_cat])

    shape = diurnal(t, 7000, 0.3) * (1 + wobble(rng, len(t), 0.06))
    n_cart = counts(rng, 240 * shape)
    n_cat = counts(rng, 510 * shape)
    new_share = np.clip((t + 60 - NEW_UP) / (OLD_DOWN - NEW_UP), 0, 1) * (t + 60 > NEW_UP)
    p_err = 0.08 * new_share
    e_cart = rng.binomial(n_cart.astype(int), p_err).astype(float)
    e_cat = counts(rng, np.full(len(t), 0.45))

    # ---------------------------------------------------------------- logs
    def tasks(n):
        return [ids.hex(32) for _ in range(n)]
    old_tasks, new_tasks, cat_tasks = tasks(4), tasks(4), tasks(3)
    cs = {k: c.stream("/ecs/cart-service", ecs_stream("cart-service", k)) for k in old_tasks + new_tasks}
    ks = {k: c.stream("/ecs/catalog-service", ecs_stream("catalog-service", k)) for k in cat_tasks}

    for k in new_tasks:
        t0 = NEW_UP - 95 + rng.uniform(0, 20)
        boot = [("INFO", "main", "c.s.cart.CartServiceApplication", "Starting CartServiceApplication v2.41.0 using Java 17.0.9 with PID 1 (/app/app.jar started by app in /app)"),
                ("INFO", "main", "c.s.cart.CartServiceApplication", 'The following 1 profile is active: "prod"'),
                ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
                ("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                ("INFO", "main", "c.s.cart.promo.PromotionCatalog", "Loaded 37 promotion rules (3 scheduled, 0 disabled)"),
                ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
                ("INFO", "main", "c.s.cart.CartServiceApplication", f"Started CartServiceApplication in {rng.uniform(10, 13):.3f} seconds (process running for {rng.uniform(13, 15):.3f})")]
        for i, (lv, th, lg, msg) in enumerate(boot):
            cs[k].add(t0 + i * 1.7, spring(c, t0 + i * 1.7, lv, "cart-service", th, lg, msg))
    for k in old_tasks:
        t1 = OLD_DOWN + rng.uniform(0, 25)
        cs[k].add(t1, spring(c, t1, "INFO", "cart-service", "ionShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
                             "Commencing graceful shutdown. Waiting for active requests to complete"))
        cs[k].add(t1 + 1.2, spring(c, t1 + 1.2, "INFO", "cart-service", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown",
                                   "Graceful shutdown complete"))
        cs[k].add(t1 + 1.6, spring(c, t1 + 1.6, "INFO", "cart-service", "ionShutdownHook", "com.zaxxer.hikari.HikariDataSource",
                                   "HikariPool-1 - Shutdown completed."))

    npe = ('Cannot invoke "com.shopwell.cart.promo.PromotionRule.appliesTo(com.shopwell.cart.model.CartLine)" '
           'because "rule" is null')
    stack = ("\n\njava.lang.NullPointerException: " + npe + "\n"
             "\tat com.shopwell.cart.promo.PromotionEngine.lambda$applicable$2(PromotionEngine.java:87)\n"
             "\tat java.base/java.util.stream.ReferencePipeline$2$1.accept(ReferencePipeline.java:178)\n"
             "\tat java.base/java.util.stream.ReferencePipeline.collect(ReferencePipeline.java:682)\n"
             "\tat com.shopwell.cart.promo.PromotionEngine.applicable(PromotionEngine.java:89)\n"
             "\tat com.shopwell.cart.promo.PromotionEngine.price(PromotionEngine.java:54)\n"
             "\tat com.shopwell.cart.service.CartService.addItem(CartService.java:142)\n"
             "\tat com.shopwell.cart.web.CartController.addItem(CartController.java:61)\n"
             "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n"
             "\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)\n"
             "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)\n"
             "\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)\n"
             "\tat java.base/java.lang.Thread.run(Thread.java:1583)")

    def active(ts):
        live = []
        if ts < OLD_DOWN:
            live += old_tasks
        if ts >= NEW_UP:
            live += new_tasks
        return live

    for i, t0 in enumerate(t):
        if t0 < LOG_START:
            continue
        n_ok_logged = rng.binomial(int(n_cart[i] - e_cart[i]), 0.1)
        for ts in t0 + rng.uniform(0, 60, n_ok_logged):
            live = active(ts)
            k = live[int(rng.integers(0, len(live)))]
            cart = f"c_{ids.hex(10)}"
            lines = int(rng.integers(1, 7))
            msg = f"cart {cart} updated: {lines} lines, subtotal {rng.uniform(8, 240):.2f} EUR"
            if rng.random() < 0.3:
                msg += f", promo {ids.pick(PROMOS)} applied"
            cs[k].add(ts, spring(c, ts, "INFO", "cart-service", f"nio-8080-exec-{rng.integers(1, 11)}",
                                 "c.s.cart.service.CartService", msg))
        for ts in t0 + rng.uniform(0, 60, int(e_cart[i])):
            k = new_tasks[int(rng.integers(0, 4))]
            head = ("Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                    f"[Request processing failed: java.lang.NullPointerException: {npe}]")
            cs[k].add(ts, spring(c, ts, "ERROR", "cart-service", f"nio-8080-exec-{rng.integers(1, 11)}",
                                 "o.a.c.c.C.[.[.[/].[dispatcherServlet]", head) + stack)
        if rng.random() < 1 / 6:
            ts = t0 + rng.uniform(0, 60)
            live = active(ts)
            k = live[int(rng.integers(0, len(live)))]
            cs[k].add(ts, spring(c, ts, "WARN", "cart-service", f"nio-8080-exec-{rng.integers(1, 11)}",
                                 "c.s.cart.cache.CartCache",
                                 f"Redis read failed for cart c_{ids.hex(10)}, falling back to DynamoDB: "
                                 "io.lettuce.core.RedisCommandTimeoutException: Command timed out after 2 second(s)"))
        # catalog-service: product reads and its long-standing manifest errors
        for ts in t0 + rng.uniform(0, 60, rng.binomial(int(n_cat[i]), 0.02)):
            k = cat_tasks[int(rng.integers(0, 3))]
            ks[k].add(ts, spring(c, ts, "INFO", "catalog-service", f"nio-8080-exec-{rng.integers(1, 21)}",
                                 "c.s.catalog.web.ProductController",
                                 f"GET /api/products/{ids.digits(7)} served from cache in {rng.integers(3, 19)} ms"))
        for ts in t0 + rng.uniform(0, 60, int(e_cat[i])):
            k = cat_tasks[int(rng.integers(0, 3))]
            ks[k].add(ts, spring(c, ts, "ERROR", "catalog-service", f"nio-8080-exec-{rng.integers(1, 21)}",
                                 "c.s.catalog.media.ImageManifestResolver",
                                 f"Image manifest missing for sku {ids.digits(7)} (bucket shopwell-media-prod); "
                                 "returning 500"))

    # ---------------------------------------------------------------- metrics
    rt_cart = 0.041 * (1 + wobble(rng, len(t), 0.08)) + 0.02 * (np.abs(t - NEW_UP) < 120)
    rt_cat = 0.028 * (1 + wobble(rng, len(t), 0.08))
    req = n_cart + n_cat
    c.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}, "Count", req)
    c.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Seconds",
             (rt_cart * n_cart + rt_cat * n_cat) / np.maximum(req, 1))
    t5 = c.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Count", e_cart + e_cat)
    c.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", {"LoadBalancer": lb}, "Count", counts(rng, req * 0.012))
    c.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Count", counts(rng, np.full(len(t), 0.04)))
    healthy = 7 + 4 * ((t >= NEW_UP - 60) & (t < OLD_DOWN))
    c.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": lb}, "Count", healthy)
    c.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb}, "Count", np.zeros(len(t)))
    for tg, n, e, rt in ((tg_cart, n_cart, e_cart, rt_cart), (tg_cat, n_cat, e_cat, rt_cat)):
        d = {"LoadBalancer": lb, "TargetGroup": tg}
        c.metric("AWS/ApplicationELB", "RequestCount", d, "Count", n)
        c.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", e)
        c.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt)
    for svc, cpu0, mem0, k in (("cart-service", 31, 52, 1.0), ("catalog-service", 24, 61, 0.0)):
        d = {"ClusterName": "shop-prod", "ServiceName": svc}
        warm = k * 18 * np.exp(-np.clip(t - NEW_UP + 100, 0, None) / 240) * (t >= NEW_UP - 100)
        cpu = cpu0 * shape + warm + wobble(rng, len(t), 2.0)
        mem = mem0 + wobble(rng, len(t), 1.2) - k * 14 * np.exp(-np.clip(t - NEW_UP, 0, None) / 900) * (t >= NEW_UP)
        c.metric("AWS/ECS", "CPUUtilization", d, "Percent", np.clip(cpu, 1, 100))
        c.metric("AWS/ECS", "MemoryUtilization", d, "Percent", np.clip(mem, 1, 100))
        running = (4 + 4 * ((t >= NEW_UP - 120) & (t < OLD_DOWN))) if k else np.full(len(t), 3.0)
        c.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running)

    c.alarm("shop-prod-alb-target-5xx", t5, "Sum", 60, 3, 10, "GreaterThanThreshold", NEW_UP,
            description="shop-prod ALB target 5xx")
    c.change(DEPLOY - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "cart-service:89", "github-actions-deploy")
    c.change(DEPLOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/cart-service",
             "github-actions-deploy")
    c.change(-12930, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "catalog-service:57", "github-actions-deploy")
    c.change(-12910, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/catalog-service",
             "github-actions-deploy")
    c.expect = {"alarm": "shop-prod-alb-target-5xx",
                "root_cause": {"category": "bad_deployment", "resource": ["shop-prod/cart-service", "cart-service"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                               "dimensions": {"LoadBalancer": lb}}]}
    return c
