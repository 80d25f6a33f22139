"""h73-10..12: month-end invoice rendering, a renewal campaign, gift-card carts in fulfilment."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import alb, apigw, ec2, ecs, every, lam, lam_logs, lines, load, lograge, rds, tomcat
from .runtimes import LambdaLogs, rails, spring


# --------------------------------------------------------------------------- 10
def s10() -> Scenario:
    sc = Scenario(10, "billing-public-502", "Customers cannot download invoices; billing API 5xx "
                  "alarm.", "ca-central-1", 7310, "2026-03-31T17:30:00")
    T, DECOY = -2520, -2760
    fn, api, db = "invoice-render", "billing-public", "billing-db"
    mono = "i-0" + sc.hexid(16)
    sc.resource("lambda", fn, runtime="java21", timeout=25, memory_size=2048,
                handler="ca.nb.invoice.RenderHandler::handleRequest")
    sc.resource("apigateway", api, stage="prod")
    sc.resource("rds", db, engine="postgres", instance_class="db.r6g.xlarge",
                max_connections=1600, allocated_storage_gb=900)
    sc.resource("ec2", mono, name="nb-billing-app", instance_type="m6i.2xlarge",
                platform="Tomcat 8.5 / Java 8", log_groups=["/nb/billing/catalina"])
    big = lambda t: 0.38 * ramp(t, T, T + 240)
    inv = load(sc, 27, 0.2, 17)
    err = lambda t: inv(t) * big(t)
    iv, ev = lam(sc, fn, inv, err, lambda t: 2600 * (1 - big(t)) + 25000 * big(t))
    apigw(sc, api, lambda t: inv(t) * 1.3, lambda t: 1.2, lambda t: 0.05 + err(t),
          lambda t: 2700 * (1 - big(t)) + 25100 * big(t))
    rds(sc, db, lambda t: 24 + 36 * bump(t, T - 900, T - 300, 1, 120), lambda t: 240,
        lambda t: 512.0)
    ec2(sc, mono, lambda t: 33 + 20 * bump(t, T - 900, T - 300, 1, 120), mem=lambda t: 67.0,
        disk=lambda t: 51.0)

    ll = LambdaLogs(sc, fn, "java21", 2048, 25, mem_used=(690, 40))

    def body(ll, t, rid, is_err, cold):
        inv_no = f"INV-{sc.rng.randint(10 ** 7, 10 ** 8)}"
        n = sc.rng.randint(3800, 6200) if is_err else sc.rng.randint(4, 140)
        pages = max(1, n // 12)
        ln = [(0.01, ll.fmt(t, rid, "INFO", f"c.n.invoice.RenderHandler - Rendering {inv_no} "
                            f"lines={n} pages={pages}")),
              (0.2, ll.fmt(t + 0.2, rid, "INFO", f"c.n.invoice.LineRepository - Loaded {n} "
                           f"invoice lines from {db} in {sc.rng.randint(40, 260)} ms"))]
        if sc.rng.random() < 0.5:
            ln.append((0.3, ll.fmt(t + 0.3, rid, "WARN", "o.a.pdfbox.pdmodel.font.PDType1Font - "
                                   "Using fallback font LiberationSans for Helvetica-Narrow")))
        if is_err:
            for k in range(1, 5):
                ln.append((5.0 * k, ll.fmt(t + 5 * k, rid, "INFO", "c.n.invoice.PdfComposer - "
                                           f"page {int(pages * k / 5.6)}/{pages} composed")))
            return {"dur": 0, "status": "timeout", "lines": ln}
        d = 900 + pages * 180 + sc.rng.gauss(0, 150)
        ln.append((d / 1000 - 0.02, ll.fmt(t + d / 1000, rid, "INFO", "c.n.invoice.RenderHandler - "
                                           f"{inv_no} rendered ({pages} pages) in {d:.0f} ms")))
        return {"dur": d, "lines": ln}
    lam_logs(ll, iv, ev, 3, body, start=-14400)
    cat = "/nb/billing/catalina"
    app = "nb-billing"
    lines(sc, cat, mono, lambda t: 0.7, lambda t: spring(
        sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 120)}",
        "o.h.e.j.e.i.JdbcEnvironmentInitiator", "HHH000342: Could not obtain connection to query "
        "metadata : FATAL: remaining connection slots are reserved for non-replication superuser "
        "connections (reporting replica)", app))
    lines(sc, cat, mono, lambda t: 1.2, lambda t: spring(
        sc, t, "INFO", f"http-nio-8080-exec-{sc.rng.randint(1, 120)}",
        "c.n.billing.StatementController", f"statement requested account=A{sc.rng.randint(10**6, 10**7)}",
        app))
    sc.log(cat, mono, T - 900, spring(sc, T - 900, "INFO", "month-end-1", "c.n.billing.MonthEndCloser",
                                      "month-end close started: 212,400 accounts", app))
    sc.log(cat, mono, T - 310, spring(sc, T - 310, "INFO", "month-end-1", "c.n.billing.MonthEndCloser",
                                      "month-end close finished in 590 s; consolidated invoices "
                                      "published", app))
    sc.changes.append({"time": DECOY, "event_source": "ssm.amazonaws.com",
                       "event_name": "SendCommand", "resource_type": "AWS::EC2::Instance",
                       "resource_name": mono, "username": "ansible-deploy"})
    sc.change(-15800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "github-actions-billing")
    sc.alarm("billing-public-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 2,
             "GreaterThanThreshold")
    sc.alarm("billing-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 1, 55, "GreaterThanThreshold")
    sc.expect = {"alarm": "billing-public-5xx",
                 "root_cause": {"category": "function_timeout", "resource": [fn]}}
    sc.meta = dict(
        alarm_on="front (API Gateway)", decoys="ansible SendCommand on the monolith host 4 min "
        "before onset; billing-db CPU spike and alarm from the month-end close; monolith's chronic "
        "HHH000342 replica warnings; PDFBox font warnings in every invocation",
        story="On the last day of the month the Tomcat billing monolith publishes consolidated "
        "invoices; invoice PDF rendering has moved to the Java `invoice-render` Lambda "
        "(timeout 25 s). From about -42 min over a third of calls are for 4,000-6,000-line invoices: "
        "their lines load from billing-db in under 300 ms, page composition progresses, then "
        "`Task timed out after 25.00 seconds`. No dependency error appears anywhere; the "
        "database's CPU spike ended before the onset, and the SSM command hit the monolith, "
        "not the function.")
    return sc


# --------------------------------------------------------------------------- 11
def s11() -> Scenario:
    sc = Scenario(11, "renewals-slow", "Renewal pages very slow and some errors; ALB response "
                  "time alarm.", "eu-west-1", 7311, "2026-03-13T09:10:00")
    T, DECOY = -2100, -2220
    lb = f"app/renewals-www/{sc.hexid(16)}"
    ids = ["i-0" + sc.hexid(16), "i-0" + sc.hexid(16)]
    sc.resource("alb", lb, name="renewals-www")
    for i, iid in enumerate(ids):
        sc.resource("ec2", iid, name=f"rnw-app-{i + 1}", instance_type="c5.2xlarge",
                    platform="Tomcat 9 / Java 17", log_groups=["/rnw/access", "/rnw/app"])
    sc.resource("ecs", "rnw-apps/docs-api", launch_type="FARGATE", desired_count=2)
    sc.resource("lambda", "renewal-mailer", runtime="nodejs20.x", timeout=120, memory_size=512)
    sc.resource("rds", "rnw-pg", engine="postgres", instance_class="db.r6g.xlarge",
                max_connections=1600, allocated_storage_gb=400)
    surge = lambda t: ramp(t, T, T + 420) * (1 - 0.25 * ramp(t, T + 900, -60))
    req = lambda t: 240 * diurnal(sc, t, 13) * (1 + 3.6 * surge(t))
    alb(sc, lb, req, lambda t: 0.2 + 1.3 * surge(t), lambda t: 0.8 + 9 * surge(t),
        e5xx=lambda t: 0.2 + 2 * surge(t), healthy=lambda t: 2)
    for iid in ids:
        ec2(sc, iid, lambda t: 27 * diurnal(sc, t, 13) + 46 * surge(t), mem=lambda t: 63 + 9 * surge(t),
            disk=lambda t: 46.0)
    ecs(sc, "rnw-apps", "docs-api", lambda t: 14 + 5 * surge(t), lambda t: 41.0,
        lambda t: 2 + 2 * bump(t, DECOY + 20, DECOY + 320, 1, 1))
    lam(sc, "renewal-mailer", lambda t: 1 + 60 * bump(t, T - 1500, T - 600, 1, 60), lambda t: 0.0,
        lambda t: 5200.0)
    rds(sc, "rnw-pg", lambda t: 22 + 24 * surge(t), lambda t: 120 + 60 * surge(t), lambda t: 301.0)

    camp = "utm_source=email&utm_medium=crm&utm_campaign=spring-renewal-2026"
    for iid in ids:
        def acc(t):
            s = surge(t)
            if sc.rng.random() < s * 0.78:
                p = f"/renewal/offer?ref=R{sc.rng.randint(10**6, 10**7)}&{camp}"
            else:
                p = sc.rng.choice(["/renewal/list", "/account", "/policy/view", "/login"])
            st = 503 if sc.rng.random() < 0.01 * s else 200
            return tomcat(sc, t, sc.ip("10.5"), "GET", p, st, sc.rng.randint(3000, 30000),
                          max(20, sc.rng.gauss(190 + 1300 * s, 120 + 300 * s)))
        lines(sc, "/rnw/access", iid, lambda t: 2.5 * diurnal(sc, t, 13) * (1 + 3.6 * surge(t)), acc)
        lines(sc, "/rnw/app", iid, lambda t: 0.6, lambda t: spring(
            sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}",
            "c.r.pricing.NcdLookup", "No-claims table row missing for band 9, using band 8", "rnw"))
        lines(sc, "/rnw/app", iid, lambda t: 0.2, lambda t: spring(
            sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}",
            "o.a.c.c.C.[.[.[/].[dispatcherServlet]", "Servlet.service() threw exception "
            "java.lang.IllegalStateException: Cannot call sendError() after the response has "
            "been committed", "rnw"))
        lines(sc, "/rnw/app", iid, lambda t: 0.8 * surge(t) ** 2, lambda t: spring(
            sc, t, "WARN", "http-nio-8080-Poller", "o.a.tomcat.util.net.NioEndpoint",
            "Executor queue at 160 of 200 (maxThreads busy: 200)", "rnw"), start=T)
    mg = "/aws/lambda/renewal-mailer"
    ms = "2026/03/13/[$LATEST]" + sc.hexid(32)
    for t in range(T - 1500, T - 600, 60):
        sc.log(mg, ms, t + 3, f"{sc.iso(t + 3)}\t{sc.uuid()}\tINFO\tsent batch of 2000 "
               "renewal-offer emails (campaign spring-renewal-2026)")
    sc.change(-11900, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "rnw-apps/docs-api",
              "codepipeline-rnw")
    sc.change(DECOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "rnw-apps/docs-api",
              "codepipeline-rnw")
    sc.alarm("renewals-www-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 5, 0.8, "GreaterThanThreshold")
    sc.expect = {"alarm": "renewals-www-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [lb, "renewals-www"]}}
    sc.meta = dict(
        alarm_on="origin (ALB)", decoys="docs-api rollout 2 min before the surge; monolith's chronic "
        "NCD warnings and sendError exceptions; CPU up on both hosts but not pinned",
        story="A CRM mailer sent the spring renewal campaign in batches ending 10 min before the "
        "onset. From about -35 min ALB requests rise 4.5x, dominated by "
        "`/renewal/offer?...utm_campaign=spring-renewal-2026` on both Java monolith hosts. CPU "
        "climbs to 65-80 % on both (not pinned), Tomcat's executor queue fills and response time goes from "
        "0.2 s to ~1.5 s with a trickle of 503s. Nothing in the account changed except the "
        "docs-api rollout, whose service is not on the slow path.")
    return sc


# --------------------------------------------------------------------------- 12
def s12() -> Scenario:
    sc = Scenario(12, "retail-api-500s", "Checkout shipping step failing for some orders; retail "
                  "API target 5xx alarm.", "us-east-1", 7312, "2026-03-14T18:20:00")
    T, DECOY = -1200, -1500
    lb = f"app/retail-api/{sc.hexid(16)}"
    mono = "i-0" + sc.hexid(16)
    sc.resource("alb", lb, name="retail-api")
    sc.resource("ecs", "retail-core/fulfilment", launch_type="FARGATE", desired_count=3,
                image="fulfilment:2026.03.11-1")
    sc.resource("ec2", mono, name="retail-legacy-web", instance_type="m5.2xlarge",
                platform="PHP 7.4 / Apache (Magento 1 fork)", log_groups=["/retail/legacy/php"])
    sc.resource("lambda", "order-events", runtime="ruby3.3", timeout=30, memory_size=256)
    sc.resource("rds", "retail-mysql", engine="mysql", instance_class="db.r6g.xlarge",
                max_connections=1300, allocated_storage_gb=1000)
    gc = lambda t: 0.17 * ramp(t, T, T + 300)
    req = load(sc, 410, 0.2, 19)
    alb(sc, lb, req, lambda t: 0.12, lambda t: 2 + 120 * gc(t))
    ecs(sc, "retail-core", "fulfilment", lambda t: 21 * diurnal(sc, t, 19), lambda t: 48.0,
        lambda t: 3)
    ec2(sc, mono, lambda t: 44 * diurnal(sc, t, 19), mem=lambda t: 71.0, disk=lambda t: 63.0)
    lam(sc, "order-events", load(sc, 30, 0.2, 19), lambda t: 0.0, lambda t: 160.0)
    rds(sc, "retail-mysql", lambda t: 33 * diurnal(sc, t, 19), lambda t: 380, lambda t: 702.0)

    g = "/ecs/fulfilment"
    regions = ["NY", "CA", "TX", "FL", "WA", "IL", "PA", "NJ"]
    for s in [f"ecs/fulfilment/{sc.hexid(32)}" for _ in range(3)]:
        def mk(t):
            rid = sc.uuid()
            digital = sc.rng.random() < gc(t)
            if digital:
                return [(0.001, rails(sc, t, "FATAL", "NoMethodError (undefined method `postal_code' "
                                      "for nil:NilClass):", rid)),
                        (0.002, rails(sc, t, "FATAL", "app/services/shipping/zone_resolver.rb:23:in "
                                      "`zone_for'\napp/services/shipping/quote.rb:41:in `call'\n"
                                      "app/controllers/shipping_quotes_controller.rb:12:in `create'",
                                      rid)),
                        (0.003, lograge(sc, t, method="POST", path="/fulfilment/shipping_quotes",
                                        format="json", controller="ShippingQuotesController",
                                        action="create", status=500,
                                        duration=f"{sc.rng.uniform(8, 20):.2f}", view="0.00",
                                        db=f"{sc.rng.uniform(2, 6):.2f}", cart="digital_only",
                                        request_id=rid))]
            return lograge(sc, t, method="POST", path="/fulfilment/shipping_quotes", format="json",
                           controller="ShippingQuotesController", action="create", status=200,
                           duration=f"{sc.rng.uniform(20, 90):.2f}", view="0.41",
                           db=f"{sc.rng.uniform(4, 20):.2f}", region=sc.rng.choice(regions),
                           request_id=rid)
        lines(sc, g, s, lambda t: 2.2 * diurnal(sc, t, 19), mk)
        lines(sc, g, s, lambda t: 0.2, lambda t: rails(
            sc, t, "WARN", "Legacy SKU mapping missing for " + f"SKU-{sc.rng.randint(10**5, 10**6)}"
            "; falling back to catalogue default weight", sc.uuid()))
    lp = "/retail/legacy/php"
    lines(sc, lp, mono, lambda t: 1.1, lambda t: f"[{sc.at(t).strftime('%a %b %d %H:%M:%S.%f %Y')}] "
          f"[php7:error] [pid {sc.rng.randint(1000, 30000)}] [client {sc.ip('10.70')}:"
          f"{sc.rng.randint(30000, 60000)}] PHP Fatal error:  Uncaught Mage_Core_Exception: Invalid "
          "block type: Mage_Reports_Block_Product_Viewed in /var/www/retail/app/Mage.php:595")
    lines(sc, lp, mono, lambda t: 1.6, lambda t: f"[{sc.at(t).strftime('%a %b %d %H:%M:%S.%f %Y')}] "
          f"[php7:warn] [pid {sc.rng.randint(1000, 30000)}] [client {sc.ip('10.70')}:"
          f"{sc.rng.randint(30000, 60000)}] PHP Warning:  count(): Parameter must be an array or an "
          "object that implements Countable in /var/www/retail/app/code/local/Promo/Rules.php on "
          "line 212")
    every(sc, lp, mono, 3600, lambda t: f"[{sc.at(t).strftime('%a %b %d %H:%M:%S.%f %Y')}] "
          "[php7:notice] [pid 911] cron.php: giftcard_bonus_weekend promotion window "
          + ("OPEN" if t > T - 60 else "scheduled Sat 18:00 UTC"), start=-21600 + 17)
    sc.log(lp, mono, T + 2, f"[{sc.at(T + 2).strftime('%a %b %d %H:%M:%S.%f %Y')}] [php7:notice] "
           "[pid 911] cron.php: giftcard_bonus_weekend promotion window OPEN (digital gift cards, "
           "+15% bonus value)")
    sc.change(T - 1200, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "order-events", "terraform-retail")
    sc.change(DECOY, "codedeploy.amazonaws.com", "CreateDeployment",
              "AWS::CodeDeploy::DeploymentGroup", "retail-legacy-prod", "jenkins-release")
    sc.alarm("retail-api-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 10, "GreaterThanThreshold")
    sc.expect = {"alarm": "retail-api-target-5xx",
                 "root_cause": {"category": "application_error",
                                "resource": ["retail-core/fulfilment", "fulfilment"]}}
    sc.meta = dict(
        alarm_on="front (ALB)", decoys="CodeDeploy of the legacy monolith 5 min before onset; "
        "order-events config change 20 min before; Magento fork's chronic fatals and warnings",
        story="Shipping quotes moved from the Magento-fork monolith to the Rails `fulfilment` "
        "service on ECS. At 18:00 UTC a scheduled gift-card bonus weekend opens (a promotion "
        "window in the monolith's cron, not a deploy). Digital-only carts have no shipping "
        "address, and fulfilment's zone resolver raises `NoMethodError (undefined method "
        "`postal_code' for nil:NilClass)` on each of them; ALB target 5xx go from ~2 to 20-25 a "
        "minute. fulfilment was last deployed days ago, its CPU, memory, tasks and database are "
        "normal, and the legacy CodeDeploy only touched the monolith, whose errors keep their "
        "usual rate.")
    return sc
