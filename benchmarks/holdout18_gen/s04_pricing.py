"""h18-04: public ALB 5xx; the BFF relays 500s from pricing-svc (behind an internal ALB) after its deploy."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scn
from .logfmt import TaskLog, java_trace, poisson_times, spring
from . import svc

PUB = "app/web-public-alb/3e1f6a2b9c0d4e57"
INT = "app/internal-pricing-alb/9b2c4d6e8f1a3b5c"
INT_DNS = "internal-internal-pricing-alb-1184391734.eu-central-1.elb.amazonaws.com"


def _pino(s, t, level, msg, **kw):
    return json.dumps({"level": level, "time": int(s.at(t).timestamp() * 1000), "pid": 1,
                       "hostname": f"ip-10-50-{int(s.rng.integers(1, 40))}-{int(s.rng.integers(2, 250))}.eu-central-1"
                                   ".compute.internal", "msg": msg, **kw}, separators=(",", ":"))


def build():
    s = Scn("h18-04-bff-5xx-pricing-release", 1804, "eu-central-1", "2026-03-13T10:05:00", 1.0)
    s.res("alb", PUB, name="web-public-alb", scheme="internet-facing", target_groups=["frontend-bff-tg"])
    s.res("alb", INT, name="internal-pricing-alb", scheme="internal", target_groups=["pricing-svc-tg"],
          dns_name=INT_DNS)
    s.res("ecs", "web/frontend-bff", desired_count=5, launch_type="FARGATE", awslogs_groups=["/ecs/frontend-bff"],
          environment={"PRICING_URL": f"http://{INT_DNS}", "CART_URL": "http://cart-svc.web.local:8080"})
    s.res("ecs", "web/pricing-svc", desired_count=3, launch_type="FARGATE", awslogs_groups=["/ecs/pricing-svc"],
          image="482913.dkr.ecr.eu-central-1.amazonaws.com/pricing-svc:3.18.0")
    s.res("ecs", "web/cart-svc", desired_count=2, launch_type="FARGATE", awslogs_groups=["/ecs/cart-svc"])

    reg, upd = -1610.0, -1585.0
    shape = s.diurnal(peak=12.5, depth=0.6)
    req = s.pois(2100 * shape * (1 + s.ar(0.04)))
    preq = s.pois(req * 0.29)
    cut = s.ramp(upd + 80, upd + 230)                       # share of pricing traffic on the new tasks
    perr = s.pois(preq * 0.085 * cut)
    onset = float(T[int(np.argmax(perr > 0))])
    t5_int = perr + s.pois(np.full(N, 0.05))
    t5_pub = perr + s.pois(np.full(N, 0.9))                # cart-svc's long-standing trickle of 5xx
    dep = s.win(upd + 60, upd + 300, rise=60, fall=60)
    svc.alb(s, PUB, req, s.gauge(0.118 + 0.02 * shape, 0.008, lo=0.05) + 0.015 * cut, t5=t5_pub,
            healthy=np.full(N, 5.0) + np.where((T > -2000), 1.0, 0.0))
    svc.alb(s, INT, preq, s.gauge(np.full(N, 0.031), 0.003, lo=0.01), t5=t5_int, t4=s.pois(preq * 0.002),
            healthy=3 + np.round(3 * dep))
    svc.ecs(s, "web", "frontend-bff", s.gauge(28 * shape + 5, 2.0, lo=2), s.gauge(np.full(N, 52.0), 0.8),
            running=np.where(T > -2000, 5.0, 4.0))
    svc.ecs(s, "web", "pricing-svc", s.gauge(22 * shape + 6, 1.8, lo=2) + 35 * s.win(upd + 60, upd + 180, fall=120),
            s.gauge(np.full(N, 61.0), 0.6) - 9 * s.win(upd + 120, 0, rise=180), running=3 + np.round(3 * dep))
    svc.ecs(s, "web", "cart-svc", s.gauge(15 * shape + 4, 1.5, lo=2), s.gauge(np.full(N, 44.0), 0.5))

    # ---- pricing-svc -----------------------------------------------------------------
    pl = TaskLog(s, "/ecs/pricing-svc", "pricing-svc", "pricing-svc", 3)
    old = list(pl.tasks)
    new = [pl.start_task(upd + 55 + 25 * k) for k in range(3)]
    app = "pricing-svc"
    for task in new:
        t0 = task[1] + 3
        boot = [("main", "c.n.pricing.PricingServiceApplication",
                 "Starting PricingServiceApplication v3.18.0 using Java 21.0.2 with PID 1 (/app/pricing-svc.jar "
                 "started by app in /app)"),
                ("main", "c.n.pricing.PricingServiceApplication", 'The following 1 profile is active: "prod"'),
                ("main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
                ("main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                ("main", "c.n.pricing.promo.PromotionCache", "Loaded 214 active promotions (schema v5)"),
                ("main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                 "Tomcat started on port 8080 (http) with context path '/'"),
                ("main", "c.n.pricing.PricingServiceApplication",
                 f"Started PricingServiceApplication in {s.rng.uniform(11, 14):.3f} seconds (process running for "
                 f"{s.rng.uniform(14, 16):.3f})")]
        for j, (th, lg, msg) in enumerate(boot):
            pl.add(t0 + j * 1.7, spring(s, t0 + j * 1.7, "INFO", app, th, lg, msg), task)
    for k, task in enumerate(old):
        ts = upd + 180 + 40 * k
        pl.add(ts, spring(s, ts, "INFO", app, "ionShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
                          "Commencing graceful shutdown. Waiting for active requests to complete"), task)
        pl.add(ts + 2.1, spring(s, ts + 2.1, "INFO", app, "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown",
                                "Graceful shutdown complete"), task)
        pl.stop_task(task, ts + 2.5)
    for t in np.arange(-21600, 0, 60.0):
        i = int((t + 21600) // 60)
        for task in pl.live(t):
            if t < task[1] + 30:
                continue
            tt = t + float(s.rng.uniform(0, 10))
            pl.add(tt, spring(s, tt, "INFO", app, "scheduling-1", "c.n.pricing.metrics.QuoteMetrics",
                              f"quotes={int(preq[i] / 3)} p95={int(s.rng.integers(22, 41))}ms "
                              f"promoHits={int(preq[i] / 3 * 0.24)} cacheHitRatio={s.rng.uniform(0.91, 0.97):.2f}"),
                   task)
    for t in poisson_times(s, 0.06):
        pl.add(t, spring(s, t, "WARN", app, f"nio-8080-exec-{int(s.rng.integers(1, 20))}",
                         "c.n.pricing.fx.FxRateClient", "FX rate for HUF older than 15 min, using cached value"))
    npe = ('Cannot invoke "java.math.BigDecimal.multiply(java.math.BigDecimal)" because the return value of '
           '"com.northwind.pricing.promo.Promotion.getDiscountRate()" is null')
    trace = java_trace(f"java.lang.NullPointerException: {npe}", [
        "com.northwind.pricing.promo.PromotionApplier.apply(PromotionApplier.java:64)",
        "com.northwind.pricing.quote.QuoteService.lambda$price$2(QuoteService.java:118)",
        "java.base/java.util.stream.ReferencePipeline$3$1.accept(ReferencePipeline.java:197)",
        "java.base/java.util.ArrayList$ArrayListSpliterator.forEachRemaining(ArrayList.java:1708)",
        "com.northwind.pricing.quote.QuoteService.price(QuoteService.java:121)",
        "com.northwind.pricing.api.QuoteController.quote(QuoteController.java:47)",
        "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
        "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)"])
    for i in np.nonzero(perr > 0)[0]:
        for _ in range(int(perr[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            live_new = [k for k in new if k[1] + 30 <= t]
            if not live_new:
                continue
            task = live_new[int(s.rng.integers(0, len(live_new)))]
            pl.add(t, spring(s, t, "ERROR", app, f"nio-8080-exec-{int(s.rng.integers(1, 40))}",
                             "c.n.pricing.api.ApiExceptionHandler",
                             f"Unhandled exception on POST /v2/quotes (basket={s.hexs(8)}), returning 500\n" + trace),
                   task)
    pl.flush()

    # ---- frontend-bff ----------------------------------------------------------------
    bl = TaskLog(s, "/ecs/frontend-bff", "frontend-bff", "frontend-bff", 4)
    bl.start_task(-1990)
    for t in np.arange(-21600, 0, 60.0):
        i = int((t + 21600) // 60)
        for task in bl.live(t):
            tt = t + float(s.rng.uniform(0, 20))
            bl.add(tt, _pino(s, tt, 30, "request stats", window="60s", requests=int(req[i] / 5),
                             p95Ms=int(s.rng.integers(180, 260))), task)
    for t in poisson_times(s, 0.5):
        bl.add(t, _pino(s, t, 40, "slow upstream", upstream="cart-svc", durationMs=int(s.rng.integers(800, 1900)),
                        path="/api/cart"))
    for i in np.nonzero(perr > 0)[0]:
        for _ in range(int(perr[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            bl.add(t, _pino(s, t, 50, "pricing quote failed", reqId=f"req-{s.hexs(6)}",
                            upstream=f"http://{INT_DNS}/v2/quotes", status=500,
                            durationMs=int(s.rng.integers(25, 70)), path=s.pick(["/api/cart", "/api/product-page",
                                                                                  "/api/checkout/summary"]),
                            responseStatus=502))
    bl.flush()

    cl = TaskLog(s, "/ecs/cart-svc", "cart-svc", "cart-svc", 2)
    for t in poisson_times(s, 0.9):
        cl.add(t, f"{s.iso(t)} WARN  [cart] redis: connection reset by peer, reconnecting (attempt 1)")
    for t in poisson_times(s, 0.8):
        cl.add(t, f"{s.iso(t)} ERROR [cart] POST /carts/{s.hexs(8)}/items 500 - cart version conflict after 3 "
                  "retries")
    for t in np.arange(-21600, 0, 300.0):
        cl.add(t + 3, f"{s.iso(t + 3)} INFO  [cart] active carts={int(s.rng.integers(2000, 5000))} "
                      f"expired={int(s.rng.integers(10, 90))}")
    cl.flush()

    # ---- changes / alarms ------------------------------------------------------------
    s.change(-15810, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "frontend-bff:112",
             "github-actions-deploy")
    s.change(-15790, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/frontend-bff",
             "github-actions-deploy")
    s.change(-2000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/frontend-bff",
             "AWSServiceRoleForApplicationAutoScaling_ECSService")
    s.change(reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "pricing-svc:48",
             "github-actions-deploy")
    s.change(upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/pricing-svc",
             "github-actions-deploy")
    s.alarm("web-public-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": PUB}, "Sum",
            60, 3, 20, desc="Customer-facing 5xx from web-public-alb", after=onset, before=onset + 600)
    s.alarm("pricing-internal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": INT}, "Sum",
            60, 3, 15, after=onset)
    s.alarm("web-public-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": PUB}, "Average",
            60, 5, 1.0, want="OK")
    doc = s.doc("Shoppers see 'something went wrong' on cart and product pages; the public ALB 5xx alarm fired.",
                "web-public-alb-5xx", "bad_deployment", ["web/pricing-svc", "pricing-svc"],
                [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                  "dimensions": {"LoadBalancer": INT}}])
    meta = {"alarm_on": "front (public ALB of frontend-bff; origin behind the internal ALB)",
            "decoys": "frontend-bff deploy 4 h before onset; autoscaling UpdateService on frontend-bff 8 min before; "
                      "cart-svc's constant 5xx trickle and redis reconnect warnings",
            "story": (
                "pricing-svc 3.18.0 is rolled out (RegisterTaskDefinition + UpdateService). As soon as the new tasks "
                "take traffic, quotes with fixed-amount promotions throw `NullPointerException ... "
                "Promotion.getDiscountRate() is null`; internal-pricing-alb returns 500s, frontend-bff logs "
                "'pricing quote failed' naming the internal ALB and answers 502, and web-public-alb's 5xx alarm fires. "
                "Deciding evidence: the new error signature appears only in the 3.18.0 task streams, starting with "
                "the deploy; internal 5xx start the same minute; the BFF's own changes are old or autoscaling.")}
    return doc, meta
