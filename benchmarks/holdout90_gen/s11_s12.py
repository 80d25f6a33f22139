"""11: promo landing pages (Node on ECS) behind an ALB; 12: menu read API (Kotlin/Spring on ECS) behind an ALB."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import pino, spring

from .kit import (GRID, H90, SYD, USE, alb, alb_id, describe, ecs, expect, ints, jline, ramp, rush, stream,
                  task_ids)


def build_11() -> H90:
    sc = H90(11, "dinner-deals-landing", "Deals landing ALB latency alarm at 7 pm Eastern; marketing reports the "
             "dinner deals page loading slowly or not at all.", USE, 9011, "2026-03-22T23:15:00")
    rng = sc.rng
    lb = alb_id(sc, "promo-landing")
    cluster, svc = "growth", "promo-landing"
    push = -2100

    def surge(t):
        return 7.0 * ramp(t, push, push + 180) * (1 - 0.25 * ramp(t, push + 600, 0))

    def tasks(t):
        return 4 if t < -1800 else (8 if t < -1500 else 10)

    def pressure(t):  # load per task relative to the afternoon
        return (1 + surge(t)) * rush(t) * 4 / tasks(t)

    def shed(t):
        return max(0.0, min(0.25, (pressure(t) - 1.6) * 0.08))

    req = ints(sc, lambda t: 1100 * rush(t) * (1 + surge(t)))
    t5 = [float(round(r * shed(t))) for t, r in zip(GRID, req)]
    e5 = [float(round(r * 0.01 * (surge(t) > 1)) + (rng.random() < 0.05)) for t, r in zip(GRID, req)]
    alb(sc, lb, req, t5, [float(round(r * 0.006)) for r in req], e5,
        lambda t: 0.07 + 0.02 * rush(t) + 0.45 * max(0.0, pressure(t) - 1.0), tasks, scheme="internet-facing")
    ecs(sc, cluster, svc, lambda t: min(78.0, 20 + 16 * pressure(t)), lambda t: 46 + 6 * min(2.0, pressure(t)), tasks,
        launch_type="FARGATE", task_cpu=1024, task_memory=2048, autoscaling="target tracking CPU 60 %, 4-16 tasks")
    ecs(sc, cluster, "referral-api", lambda t: 14 + 8 * rush(t), lambda t: 38.0, lambda t: 2, launch_type="FARGATE")
    grp = f"/ecs/{svc}"
    ids = task_ids(sc, 10)
    host = lambda i: f"ip-10-8-{i % 4 + 1}-{40 + i}.ec2.internal"  # noqa: E731
    for i, tk in enumerate(ids):
        born = -10 ** 9 if i < 4 else (-1800 if i < 8 else -1500)

        def line(t, h=host(i)):
            from_push = rng.random() < surge(t) / (1 + surge(t))
            url = ("/deals/dinner50?utm_source=push&utm_campaign=dinner50_0322" if from_push else
                   rng.choice(["/deals", "/deals/free-delivery", "/deals/dinner50", "/deals/lunch-box"]))
            if rng.random() < 0.03:
                return pino(sc, t, "warn", "geo-ip lookup failed, defaulting region", h, ip=sc.ip("73.12"))
            if rng.random() < shed(t):
                return pino(sc, t, "error", "upstream pool saturated, shedding request", h, pending=64, pool_max=64,
                            req={"method": "GET", "url": url}, res={"statusCode": 503})
            rt = abs(rng.gauss(60, 20)) + 900 * max(0.0, pressure(t) - 1.0) * rng.uniform(0.5, 1.5)
            return pino(sc, t, "info", "request completed", h, req={"method": "GET", "url": url},
                        res={"statusCode": 200}, responseTime=int(rt))
        stream(sc, grp, f"web/promo-landing/{tk}", lambda t, b=born: 2.2 * rush(t) * (1 + surge(t)) * 4 / tasks(t)
               if t >= b else 0, line, start=max(-10800, born))
    ev = "/aws/ecs/events/growth"
    sc.log(ev, "service-events", -1790, f"(service {svc}) has started 4 tasks: " + " ".join(f"(task {x})" for x in ids[4:8]) + ".")
    sc.log(ev, "service-events", -1490, f"(service {svc}) has started 2 tasks: " + " ".join(f"(task {x})" for x in ids[8:]) + ".")
    sc.log(ev, "service-events", -1320, f"(service {svc}) has reached a steady state.")
    sc.log("/growth/campaigns", "scheduler", push - 40, jline({"ts": sc.iso(push - 40), "level": "info",
           "msg": "campaign send started", "campaign": "dinner50_0322", "channel": "push", "audience": 2140000}))
    sc.log("/growth/campaigns", "scheduler", push + 95, jline({"ts": sc.iso(push + 95), "level": "info",
           "msg": "campaign send finished", "campaign": "dinner50_0322", "delivered": 1987420}))
    for t0 in (-19200, -9600):
        sc.log("/growth/campaigns", "scheduler", t0, jline({"ts": sc.iso(t0), "level": "info", "msg": "campaign send "
               "started", "campaign": "lunchbox_email", "channel": "email", "audience": 310000}))
    role = "AWSServiceRoleForApplicationAutoScaling_ECSService"
    sc.change(-1800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", role)
    sc.change(-1500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", role)
    sc.change(-2170, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "referral-api", "gha-deploy-growth")
    sc.change(-2160, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/referral-api", "gha-deploy-growth")
    sc.change(-5400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "promo-apply", "AWSReservedSSO_GrowthOps_91d0a3/jordan.kim")
    sc.alarm("promo-landing-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60,
             3, 0.5, "GreaterThanThreshold", "Deals landing latency")
    sc.alarm("promo-landing-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             300, 1, 200, "GreaterThanThreshold")
    expect(sc, "promo-landing-latency", "traffic_surge", [lb, "promo-landing", f"{cluster}/{svc}"],
           [("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb})])
    describe(sc, front="origin (the ALB that receives the surge)",
             decoys="referral-api deploy 60 s before onset; autoscaling UpdateService calls on the service itself "
                    "after onset; promo-apply configuration change 1.5 h earlier; steady geo-ip warnings",
             services="ALB, ECS Fargate (Node.js, pino JSON)",
             story="The deals landing page's latency alarm fires. RequestCount jumps from ~1,100 to ~8,000 a minute "
                   "within three minutes; the app's request lines switch to `utm_source=push&utm_campaign=dinner50_0322` "
                   "and the campaign scheduler logged a 2.1 M-recipient push 40 s before the jump. With four tasks the "
                   "service sheds requests (`upstream pool saturated`, 503) and latency rises; autoscaling adds tasks "
                   "(UpdateService by the Application Auto Scaling role at -30 and -25 min, new tasks started), and "
                   "errors ease but latency stays above the alarm threshold as the surge continues. CPU peaks at ~78 %, never pinned; no "
                   "deploy or configuration touched the service before the jump — the referral-api deploy is another "
                   "service.",
             judgement="The surge comes from the company's own push campaign, which is not a CloudTrail change; the "
                       "autoscaling UpdateService calls are reactions. The receiving ALB is the intended resource; the "
                       "ECS service behind it is accepted too.")
    return sc


def build_12() -> H90:
    sc = H90(12, "menu-read-chain", "Menu API target 5XX alarm in Sydney; some restaurant menus fail to open "
             "in the app.", SYD, 9012, "2026-03-23T08:45:00")
    rng = sc.rng
    lb = alb_id(sc, "menu-edge")
    cluster, svc = "catalog", "menu-read"
    onset = -2200
    chain = [f"r_{n}" for n in (55120, 55121, 55128, 55133, 55140, 55141, 55152, 55160, 55161, 55177)]
    bad_p = lambda t: 0.065 if t >= onset else 0.0  # noqa: E731
    req = ints(sc, lambda t: 2100 * rush(t))
    t5 = [float(round(r * (bad_p(t) + 0.0005))) for t, r in zip(GRID, req)]
    alb(sc, lb, req, t5, [float(round(r * 0.008)) for r in req], [float(rng.random() < 0.04) for _ in GRID],
        lambda t: 0.038 + 0.012 * rush(t), lambda t: 3, scheme="internet-facing")
    ecs(sc, cluster, svc, lambda t: 21 + 22 * rush(t), lambda t: 63.0, lambda t: 3, launch_type="FARGATE",
        task_cpu=1024, task_memory=2048, runtime="Kotlin 1.9 / Spring Boot 3.2 / JDK 21")
    ecs(sc, "dispatch", "courier-match", lambda t: 30 + 15 * rush(t) + 20 * ramp(t, -2270, -2230) * (1 - ramp(t, -2000, -1800)),
        lambda t: 52.0, lambda t: 4, launch_type="FARGATE")
    app, first = "menu-read", True
    for tk in task_ids(sc, 3):
        name = f"menu/menu-read/{tk}"
        thread = lambda: f"nio-8080-exec-{rng.randint(1, 60)}"  # noqa: E731

        def line(t):
            r = rng.random()
            if t >= onset and rng.random() < 0.22:
                rest = rng.choice(chain)
                return [(0, spring(sc, t, "ERROR", thread(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                   "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                                   "exception [Request processing failed: java.lang.NullPointerException: Parameter "
                                   "specified as non-null is null: method com.platewise.menu.pricing.PriceFormatter.format, "
                                   f"parameter amount] with root cause (GET /v2/restaurants/{rest}/menu)", app) +
                         "\n\njava.lang.NullPointerException: Parameter specified as non-null is null: method "
                         "com.platewise.menu.pricing.PriceFormatter.format, parameter amount\n\tat com.platewise.menu."
                         "pricing.PriceFormatter.format(PriceFormatter.kt)\n\tat com.platewise.menu.api.MenuMapper."
                         "toDto(MenuMapper.kt:64)\n\tat com.platewise.menu.api.MenuController.menu(MenuController.kt:38)")]
            if r < 0.35:
                return spring(sc, t, "WARN", thread(), "c.p.menu.media.ThumbnailClient",
                              f"thumbnail 404 for item itm_{sc.hexid(8)}, using placeholder", app)
            if r < 0.50:
                return spring(sc, t, "ERROR", thread(), "c.p.menu.reco.RecoClient",
                              "recommendations timed out after 250 ms, serving menu without 'popular' row", app)
            return spring(sc, t, "INFO", thread(), "c.p.menu.api.MenuController",
                          f"menu served restaurant=r_{rng.randint(10000, 60000)} items={rng.randint(20, 240)} "
                          f"took={rng.randint(8, 60)}ms", app)
        stream(sc, f"/ecs/{svc}", name, lambda t: 3.2 * rush(t), line)
        if first:
            first = False
            sc.log(f"/ecs/{svc}", name, onset - 25, spring(
                sc, onset - 25, "INFO", "menu-events-0", "c.p.menu.events.MenuUpdatedListener",
                f"menu.updated restaurant_group=grp_8812 restaurants={len(chain)} version=381 source=partner-portal; "
                "cache evicted", app))

        def upd(t):
            return spring(sc, t, "INFO", "menu-events-0", "c.p.menu.events.MenuUpdatedListener",
                          f"menu.updated restaurant=r_{rng.randint(10000, 60000)} version={rng.randint(20, 300)} "
                          "source=partner-portal; cache evicted", app)
        stream(sc, f"/ecs/{svc}", name, lambda t: 0.25, upd)
    sc.change(-14600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", "gha-deploy-catalog")
    sc.change(-14610, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", svc, "gha-deploy-catalog")
    sc.change(-2270, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "courier-match",
              "gha-deploy-dispatch")
    sc.change(-2262, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "dispatch/courier-match", "gha-deploy-dispatch")
    sc.alarm("menu-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60,
             3, 40, "GreaterThanThreshold", "Menu API returning 5XX")
    expect(sc, "menu-edge-target-5xx", "application_error", [f"{cluster}/{svc}", svc],
           [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    describe(sc, front="front (ALB → ECS service)",
             decoys="courier-match deploy 60 s before onset with a CPU bump; menu-read's own deploy 4 h earlier "
                    "with no errors after it; ERROR-level recommendation timeouts and thumbnail 404s at a steady rate",
             services="ALB, ECS Fargate (Kotlin / Spring Boot)",
             story="The menu API's target 5XX alarm fires. menu-read starts throwing `NullPointerException: Parameter "
                   "specified as non-null is null: method ...PriceFormatter.format, parameter amount` on GET "
                   "/v2/restaurants/{id}/menu for ten restaurants of one group, right after a `menu.updated` event "
                   "for that group (version 381 from the partner portal); every other menu is served normally, CPU "
                   "and memory are flat and no dependency is failing. The recommendation timeouts are logged at "
                   "ERROR but run at the same rate all afternoon, and the menus are served without that row. "
                   "menu-read's last deploy was four hours earlier and ran cleanly until the data arrived; the "
                   "courier-match deploy is another service.",
             judgement="The trigger is restaurant data (a menu item without a price) hitting a code path that does not "
                       "handle it; there is no deployment or configuration change shortly before onset and no "
                       "resource or dependency fault, so application_error.")
    return sc


BUILDERS = [build_11, build_12]
