"""h36-02 Mon 11:05 Dublin, shop team (prod- prefix): prod-shop-public target 5xx.

cart-svc v2.41.0 rolled out at -1980 and throws an NPE on carts with promotions; a listener-rule
edit on the same ALB at -1860 only routes /api/v2/wishlist to search-svc, which keeps serving.
"""
from __future__ import annotations

from . import logfmt as L
from .common import Scenario, anomaly, smooth
from .fleet import Fleet
from .infra import GB, alb, ecs, rds

CL = "prod-shop"
LB = "app/prod-shop-public/7c1e5a9b3d2f4e60"
DB = "prod-shop-aurora-pg-1"
T_REG, T_DEPLOY, T_RULE = -1990, -1980, -1860
NEW0, NEW1 = -1900, -1700        # new tasks start .. old tasks fully drained

META = {
    "region": "eu-west-1", "category": "bad_deployment", "front": "front (ALB)",
    "resources": [f"{CL}/cart-svc", "cart-svc"],
    "decoys": "ALB listener-rule edit 2 min after the deploy (routes /api/v2/wishlist to "
              "search-svc, which serves it fine); notifications-worker deploy 2 h earlier; "
              "search-svc's steady OpenSearch deprecation WARNs",
    "story": (
        "The page is the shop's public ALB: HTTPCode_Target_5XX climbs from ~1/min to ~15/min "
        "while request volume, latency and ELB-generated 5xx stay flat. CloudTrail shows two "
        "changes within two minutes: the cart-svc task definition 214 rollout (UpdateService) "
        "and a netops ModifyRule on the same ALB. Only cart-svc's new tasks, which log "
        "`Starting CartServiceApplication v2.41.0`, throw `NullPointerException ... because "
        "\"rule\" is null` in CartPricer.applyPromotions; old tasks never did and the 5xx ramp "
        "follows the task replacement. The rule change only sends /api/v2/wishlist to search-svc, "
        "whose logs show those requests served 200. Target (not ELB) 5xx plus a new signature "
        "only on the new revision: bad_deployment of prod-shop/cart-svc."),
}

NPE = ('Cannot invoke "com.acme.shop.cart.promo.PromoRule.discountFor(com.acme.shop.cart.model.'
       'CartLine)" because "rule" is null')
FRAMES = [
    "com.acme.shop.cart.pricing.CartPricer.lambda$applyPromotions$3(CartPricer.java:142)",
    "java.base/java.util.stream.ReferencePipeline$3$1.accept(ReferencePipeline.java:197)",
    "java.base/java.util.ArrayList$ArrayListSpliterator.forEachRemaining(ArrayList.java:1708)",
    "java.base/java.util.stream.AbstractPipeline.copyInto(AbstractPipeline.java:509)",
    "java.base/java.util.stream.ReduceOps$ReduceOp.evaluateSequential(ReduceOps.java:921)",
    "com.acme.shop.cart.pricing.CartPricer.applyPromotions(CartPricer.java:138)",
    "com.acme.shop.cart.service.CartService.reprice(CartService.java:211)",
    "com.acme.shop.cart.api.CartController.{op}(CartController.java:{line})",
    "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
    "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)",
    "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
    "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)",
]


def build() -> Scenario:
    s = Scenario(2, "shop-alb-5xx-cart-release", 3602, "eu-west-1",
                 "Paged 11:05 by prod-shop-public-target-5xx; customer support sees 'something went "
                 "wrong' on the basket page.", "2026-03-09T11:05:00", 0)
    r = s.rng
    s.resource("alb", LB, name="prod-shop-public", scheme="internet-facing",
               target_groups=["prod-shop-cart-tg", "prod-shop-search-tg", "prod-shop-web-tg"])
    s.resource("ecs", f"{CL}/cart-svc", launch_type="FARGATE", desired_count=6, cpu=1024,
               memory=2048, task_definition="cart-svc:214", log_group=f"/ecs/{CL}/cart-svc")
    s.resource("ecs", f"{CL}/search-svc", launch_type="FARGATE", desired_count=4, cpu=1024,
               memory=2048, task_definition="search-svc:97", log_group=f"/ecs/{CL}/search-svc")
    s.resource("ecs", f"{CL}/notifications-worker", launch_type="FARGATE", desired_count=2,
               cpu=512, memory=1024, task_definition="notifications-worker:58",
               log_group=f"/ecs/{CL}/notifications-worker")
    s.resource("rds", DB, engine="aurora-postgresql", engine_version="15.4",
               instance_class="db.r6g.xlarge", cluster="prod-shop-aurora-pg", max_connections=3000)

    fnew = lambda t: smooth(t, NEW0 + 60, NEW1)
    req = lambda t: 1900 * s.diurnal(t, floor=0.25, peak=13)
    t5 = lambda t: r.choice([0, 0, 1, 1, 2]) + 15 * fnew(t) * r.uniform(0.7, 1.3) * s.diurnal(t, 0.25, 13)
    alb_pts = alb(s, LB, {
        "RequestCount": lambda t: s.noise(req(t), 0.05),
        "TargetResponseTime": lambda t: s.noise(0.048 + 0.02 * (smooth(t, NEW0, NEW0 + 120) - smooth(t, NEW1, NEW1 + 120)), 0.08),
        "HTTPCode_Target_5XX_Count": t5,
        "HTTPCode_Target_4XX_Count": lambda t: s.noise(0.012 * req(t), 0.15),
        "HTTPCode_ELB_5XX_Count": lambda t: 1 if r.random() < 0.04 else 0,
        "HealthyHostCount": lambda t: 13 + (6 if NEW0 + 60 <= t < NEW1 else 0) + (2 if -7380 <= t < -7200 else 0),
        "UnHealthyHostCount": lambda t: (2 if NEW0 <= t < NEW0 + 60 else 0),
    })
    ecs(s, CL, "cart-svc", {
        "CPUUtilization": lambda t: s.noise(31 * s.diurnal(t, 0.4, 13) + 25 * (smooth(t, NEW0, NEW0 + 60) - smooth(t, NEW0 + 120, NEW0 + 240)), 0.08),
        "MemoryUtilization": lambda t: s.noise(58 - 14 * (smooth(t, NEW0, NEW0 + 60) - smooth(t, NEW1, NEW1 + 300)), 0.02),
        "RunningTaskCount": lambda t: 6 + (6 if NEW0 <= t < NEW1 else 0),
        "DesiredTaskCount": lambda t: 6,
    })
    ecs(s, CL, "search-svc", {
        "CPUUtilization": lambda t: s.noise(38 * s.diurnal(t, 0.4, 13), 0.08),
        "MemoryUtilization": lambda t: s.noise(64, 0.02),
        "RunningTaskCount": lambda t: 4,
    })
    ecs(s, CL, "notifications-worker", {
        "CPUUtilization": lambda t: s.noise(9, 0.2),
        "MemoryUtilization": lambda t: s.noise(41, 0.03),
        "RunningTaskCount": lambda t: 2 + (2 if -7380 <= t < -7200 else 0),
    })
    rds(s, DB, {
        "CPUUtilization": lambda t: s.noise(22 * s.diurnal(t, 0.4, 13), 0.08),
        "DatabaseConnections": lambda t: s.noise(212, 0.03) + (60 if NEW0 <= t < NEW1 else 0),
        "FreeableMemory": lambda t: s.noise(11.2 * GB, 0.01),
        "ReadLatency": lambda t: s.noise(0.0009, 0.1),
        "WriteLatency": lambda t: s.noise(0.0014, 0.1),
    })

    # ---------------------------------------------------------------- cart-svc logs
    cart = Fleet(s, f"/ecs/{CL}/cart-svc")
    old = [cart.task("cart-svc", end=NEW0 + 60 + i * 35, tag="old") for i in range(6)]
    new = [cart.task("cart-svc", start=NEW0 + i * 8, tag="new") for i in range(6)]
    spr = lambda t, lvl, th, lg, msg: L.spring(s, t, lvl, th, lg, msg, app="cart-svc")
    for m in new:
        t = m.start
        for dt, lvl, lg, msg in [
            (0.9, "INFO", "c.a.shop.cart.CartServiceApplication", "Starting CartServiceApplication v2.41.0 using Java 21.0.4 with PID 1 (/app/cart-svc.jar started by app in /app)"),
            (0.95, "INFO", "c.a.shop.cart.CartServiceApplication", 'The following 1 profile is active: "prod"'),
            (4.2, "INFO", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
            (7.8, "INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
            (8.4, "INFO", "com.zaxxer.hikari.pool.HikariPool", f"HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@{s.hexid(8)}"),
            (8.5, "INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
            (11.6, "INFO", "c.a.shop.cart.promo.PromoRuleRegistry", "Loaded 37 promo rule definitions (schema v3)"),
            (12.9, "INFO", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
            (13.0, "INFO", "c.a.shop.cart.CartServiceApplication", f"Started CartServiceApplication in {r.uniform(11, 13):.3f} seconds (process running for {r.uniform(13, 15):.3f})"),
        ]:
            cart.emit(m, t + dt, spr(t + dt, lvl, "main", lg, msg))
    for m in old:
        t = m.end - 31
        cart.emit(m, t, spr(t, "INFO", "ionShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete"))
        cart.emit(m, t + 1.4, spr(t + 1.4, "INFO", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown", "Graceful shutdown complete"))
        cart.emit(m, t + 1.9, spr(t + 1.9, "INFO", "ionShutdownHook", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Shutdown completed."))

    def cart_req(t, m):
        th = f"nio-8080-exec-{r.randint(1, 40)}"
        op, path, line = r.choice([("getCart", "GET /api/cart", 54), ("addItem", "POST /api/cart/items", 87),
                                   ("updateItem", "PATCH /api/cart/items", 103)])
        items = r.randint(1, 7)
        cart.emit(m, t, spr(t, "INFO", th, "c.a.shop.cart.api.CartController",
                            f"{path} cart=crt_{s.hexid(10)} items={items} total={r.uniform(9, 240):.2f} EUR {r.randint(9, 60)}ms"))
    cart.spread(-7200, 0, lambda t: 40 * s.diurnal(t, 0.25, 13), cart_req)
    cart.spread(-7200, 0, lambda t: 0.6, lambda t, m: cart.emit(m, t, spr(
        t, "WARN", f"nio-8080-exec-{r.randint(1, 40)}", "c.a.shop.cart.client.InventoryClient",
        f"inventory reservation retry 1/3 for sku={r.randint(100000, 999999)}: 409 CONFLICT (stale version)")))

    def cart_err(t, m):
        if m.tag != "new":
            return
        th = f"nio-8080-exec-{r.randint(1, 40)}"
        op, line = r.choice([("addItem", 87), ("getCart", 54), ("updateItem", 103)])
        trace = "\n\tat ".join([f"java.lang.NullPointerException: {NPE}"] +
                               [f.format(op=op, line=line) for f in FRAMES])
        head = spr(t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                   "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                   f"exception [Request processing failed: java.lang.NullPointerException: {NPE}] with root cause")
        cart.emit(m, t, head + "\n\n" + trace + "\n\t... 48 common frames omitted")
    pts5 = dict(map(tuple, alb_pts["HTTPCode_Target_5XX_Count"]))
    for t0 in range(NEW0 - 20, 0, 60):
        for _ in range(max(0, int(pts5.get(t0, 0)) - 1)):
            t = t0 + r.random() * 60
            live = [m for m in cart.alive(t, 45, 30) if m.tag == "new"]
            if live:
                cart_err(t, r.choice(live))

    # ---------------------------------------------------------------- search-svc logs
    search = Fleet(s, f"/ecs/{CL}/search-svc")
    for _ in range(4):
        search.task("search-svc")
    sp = lambda t, lvl, lg, msg: L.spring(s, t, lvl, f"nio-8080-exec-{r.randint(1, 60)}", lg, msg, app="search-svc")
    search.spread(-7200, 0, lambda t: 45 * s.diurnal(t, 0.25, 13), lambda t, m: search.emit(m, t, sp(
        t, "INFO", "c.a.shop.search.api.SearchController",
        f"GET /api/search q_len={r.randint(3, 28)} hits={r.randint(0, 480)} took={r.randint(18, 95)}ms")))
    search.spread(-7200, 0, lambda t: 9, lambda t, m: search.emit(m, t, sp(
        t, "WARN", "org.opensearch.client.RestClient",
        "request [POST https://vpc-prod-shop-search-4hq2x7.eu-west-1.es.amazonaws.com:443/products-v7/_search] "
        'returned 1 warnings: [299 OpenSearch-2.11.0-7e3c1a "Loading the fielddata on the _id field is '
        'deprecated and will be removed in future versions."]')))
    search.spread(T_RULE + 20, 0, lambda t: 6, lambda t, m: search.emit(m, t, sp(
        t, "INFO", "c.a.shop.search.api.WishlistController",
        f"GET /api/v2/wishlist customer=cus_{s.hexid(8)} items={r.randint(0, 25)} 200 {r.randint(8, 40)}ms")))

    # ---------------------------------------------------------------- notifications-worker
    notif = Fleet(s, f"/ecs/{CL}/notifications-worker")
    for i in range(2):
        notif.task("notifications-worker", end=-7230 + i * 20)
        m = notif.task("notifications-worker", start=-7370 + i * 15)
        notif.emit(m, m.start + 3, L.spring(s, m.start + 3, "INFO", "main", "c.a.s.n.NotificationsApplication",
                   "Started NotificationsApplication in 8.214 seconds (process running for 9.1)", app="notifications-worker"))
    notif.spread(-7200, 0, lambda t: 7 * s.diurnal(t, 0.25, 13), lambda t, m: notif.emit(m, t, L.spring(
        s, t, "INFO", "sqs-listener-1", "c.a.s.n.email.OrderMailer",
        f"sent template=order-confirmation order=ord_{r.randint(10 ** 7, 10 ** 8)} via SES in {r.randint(40, 180)}ms",
        app="notifications-worker")))

    s.change(-7420, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "notifications-worker:58", "github-actions-shop")
    s.change(-7400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/notifications-worker",
             "github-actions-shop")
    s.change(T_REG, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "cart-svc:214", "github-actions-shop")
    s.change(T_DEPLOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/cart-svc",
             "github-actions-shop")
    s.change(T_RULE, "elasticloadbalancing.amazonaws.com", "ModifyRule",
             "AWS::ElasticLoadBalancingV2::ListenerRule",
             "listener-rule/app/prod-shop-public/7c1e5a9b3d2f4e60/3e1d9b0a2c4f6e81/91c2a7d4e0b35f68",
             "netops-terraform")

    dims = {"LoadBalancer": LB}
    s.alarm("prod-shop-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims,
            alb_pts["HTTPCode_Target_5XX_Count"], "Sum", 60, 3, 10, "GreaterThanThreshold",
            "Shop public ALB: 5xx returned by targets")
    s.quiet_alarm("prod-shop-public-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims,
                  "Sum", 60, 5, 25, "GreaterThanThreshold")
    s.expect("prod-shop-public-target-5xx", "bad_deployment", META["resources"],
             [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)])
    s.meta = META
    return s
