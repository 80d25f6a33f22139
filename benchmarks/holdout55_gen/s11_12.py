"""h55-11 (push-campaign traffic surge on an ALB + ECS Node.js service) and h55-12 (Ruby Lambda data bug, no change)."""
from __future__ import annotations

import json

from . import blocks, fmt, lam, svc
from .kit import LOG_START, T, Scenario, counts, morning, series, sig, window

GIB = 1024 ** 3


# ------------------------------------------------------------------ h55-11
def s11():
    region = "sa-east-1"
    scn = Scenario("storefront-alb-latency", region, 5511, "Storefront slow and some pages timing out; storefront ALB latency alarm.")
    rng = scn.rng
    alb_id = "app/storefront-alb/5e8a1c2f9d7b3046"
    push = -1500                          # marketing push notification "FLASH70" sent to the whole app audience
    surge = lambda t: 1 + 4.6 * sig(t, push + 60, 45) * (1 - 0.25 * sig(t, -600, 300))   # noqa: E731
    tasks = lambda t: 6 + 3 * (t >= push + 240) + 3 * (t >= push + 480)              # noqa: E731 - autoscaling at max 12
    load = lambda t: 2300 * morning(t) * surge(t) / 0.94                               # noqa: E731 - requests per minute
    scn.resource("alb", alb_id, name="storefront-alb", scheme="internet-facing", targets=["web/storefront-bff"])
    scn.resource("ecs", "web/storefront-bff", cluster="web", service_name="storefront-bff", launch_type="FARGATE",
                 task_definition="storefront-bff:208", desired_count=12, cpu=1024, memory=2048, runtime="nodejs20 (express)",
                 autoscaling={"min": 6, "max": 12, "target_cpu": 60}, log_groups=["/ecs/storefront-bff"], load_balancer=alb_id)
    scn.resource("rds", "catalog-db", engine="aurora-postgresql", engine_version="15.4", instance_class="db.r6g.xlarge", max_connections=2000)
    scn.resource("lambda", "search-indexer", runtime="nodejs20.x", timeout=60, memory_size=512, handler="index.handler")
    scn.resource("lambda", "image-proxy", runtime="nodejs20.x", timeout=10, memory_size=1024, handler="index.handler", reserved_concurrency=200)

    req = counts(rng, load)
    per_task = lambda t: load(t) / tasks(t)   # noqa: E731
    cpu_fn = lambda t: min(93.0, 6.5 + per_task(t) * 0.078)   # noqa: E731
    lag = lambda t: 1.45 * sig(t, push + 60, 45) * (surge(t) - 1) / 4.6 + 0.9 * window(t, push + 60, push + 500, 40)  # noqa: E731
    rt = series(rng, lambda t: 0.11 + lag(t), 0.07, nd=4)
    elb5 = [float(round(r * 0.012 * sig(t, push + 90, 40) * rng.uniform(0.5, 1.5))) for t, r in zip(T, req)]
    t5 = [float(round(r * 0.004 * sig(t, push + 90, 40) * rng.uniform(0.5, 1.5))) + float(rng.random() < 0.2) for t, r in zip(T, req)]
    blocks.alb(scn, alb_id, req=req, rt=rt, t5xx=t5, e5xx=elb5, healthy=[float(tasks(t - 60)) for t in T])
    blocks.ecs(scn, "web", "storefront-bff", cpu=series(rng, cpu_fn, 0.03, hi=100), mem=series(rng, lambda t: 41 + 6 * sig(t, push, 60), 0.02),
               running=[float(tasks(t - 60)) for t in T])
    blocks.rds(scn, "catalog-db", cpu=series(rng, lambda t: 22 * morning(t) * (1 + 0.45 * (surge(t) - 1) / 4.6), 0.06),
               conns=series(rng, lambda t: 6 * tasks(t) * 5 + 40, 0.04, integer=True),
               free_storage=series(rng, lambda t: 410 * GIB, 0.0003), freeable_mem=series(rng, lambda t: 11.2 * GIB, 0.01))

    paths = [("GET", "/api/home", 0.25), ("GET", "/api/products/{id}", 0.3), ("GET", "/api/cart", 0.15), ("POST", "/api/cart/items", 0.08),
             ("GET", "/api/search?q={q}", 0.17), ("POST", "/api/checkout", 0.05)]
    campaign = [("GET", "/api/deals/flash70?utm_source=push&utm_campaign=flash70", 0.6), ("GET", "/api/products/{id}?utm_campaign=flash70", 0.4)]
    tids = [svc.task_id(rng) for _ in range(12)]
    for k in range(12):
        t0 = LOG_START if k < 6 else push + (240 if k < 9 else 480) + rng.uniform(10, 40)
        host = f"ip-10-8-{rng.randint(1, 6)}-{rng.randint(2, 250)}.sa-east-1.compute.internal"
        ev = [(t0 + 2, fmt.pino(30, t0 + 2, host, "storefront-bff listening", port=8080, version="5.31.0"))] if k >= 6 else []

        def line(t):
            camp = t >= push and rng.random() < 0.7 * sig(t, push + 60, 45)
            method, path, _ = rng.choices(campaign if camp else paths, [p[2] for p in (campaign if camp else paths)])[0]
            path = path.replace("{id}", str(rng.randint(10**5, 10**6))).replace("{q}", rng.choice(["tenis", "camiseta", "fone", "mochila"]))
            ms = max(3.0, rng.gauss(1, 0.3) * 1000 * (0.09 + lag(t)))
            return fmt.pino(30, t, host, "request completed", reqId=f"req-{rng.randint(10**6, 10**7):x}",
                            req={"method": method, "url": path}, res={"statusCode": 200}, responseTime=round(ms, 1))
        ev += svc.sampled(rng, t0 + 3, -0.5, lambda t: per_task(t) * 0.004, line)
        ev += svc.sampled(rng, max(t0, push + 120), -0.5, lambda t: 1.2 * sig(t, push + 120, 60), lambda t: fmt.pino(
            40, t, host, "event loop delay high", p99Ms=rng.randint(180, 900), activeHandles=rng.randint(300, 900)))
        ev += lam.periodic(rng, t0 + 10, -1, 60, lambda t: fmt.pino(30, t, host, "cache stats", hitRatio=round(rng.uniform(0.86, 0.93), 3),
                                                                   keys=rng.randint(40000, 52000)))
        scn.log("/ecs/storefront-bff", f"ecs/storefront-bff/{tids[k]}", ev)

    def indexer(rng_, t, r):
        lines = [(10, fmt.node("INFO", t + 0.01, r, f"Indexed {rng_.randint(50, 400)} product documents into products-v7"))]
        if rng_.random() < 0.3:
            lines.append((40, fmt.node("ERROR", t + 0.04, r, f"OpenSearch bulk item failed: version_conflict_engine_exception [{rng_.randint(10**5, 10**6)}]: version conflict, current version [{rng_.randint(3, 9)}] is higher than the one provided")))
        return rng_.uniform(800, 2500), rng_.randint(150, 190), "ok", lines
    lam.simulate(scn, "search-indexer", memory=512, timeout_s=60, handler=indexer, rate=lambda t: 3, streams=1)

    def proxy(rng_, t, r):
        return rng_.uniform(30, 120), rng_.randint(160, 220), "ok", [(5, fmt.node("INFO", t + 0.005, r, f"resized {rng_.choice(['320w', '640w', '1280w'])} webp"))]
    lam.simulate(scn, "image-proxy", memory=1024, timeout_s=10, handler=proxy, rate=lambda t: 14 * morning(t) * (1 + 0.3 * (surge(t) - 1)), streams=2,
                 log_from=-5400)

    scn.change(-7200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/storefront-bff", "github-actions-deployer")
    scn.change(-7212, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "storefront-bff:208", "github-actions-deployer")
    scn.change(-3600, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", "image-proxy", "rafael.souza")
    scn.change(push + 200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/storefront-bff", "ecs-application-autoscaling")
    scn.change(push + 440, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/storefront-bff", "ecs-application-autoscaling")

    d = {"LoadBalancer": alb_id}
    scn.alarm("storefront-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", d, "Average", 60, 3, 1.0, state="ALARM",
              description="Storefront ALB average target response time above 1 s")
    scn.alarm("storefront-bff-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "web", "ServiceName": "storefront-bff"}, "Average", 300, 2, 85)
    expect = {"alarm": "storefront-alb-latency",
              "root_cause": {"category": "traffic_surge",
                             "resource": [alb_id, "storefront-alb", "web/storefront-bff", "storefront-bff"]},
              "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": d},
                            {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": d}]}
    meta = {"slug": "storefront-alb-latency", "alarm": "storefront-alb-latency", "where": "origin (the ALB taking the surge; the service behind it is also accepted)",
            "decoys": ["storefront-bff deploy two hours earlier, healthy since",
                       "image-proxy reserved-concurrency change an hour earlier",
                       "search-indexer's constant version_conflict ERROR lines; autoscaling UpdateService events are effects"],
            "story": ("At 08:45 marketing's FLASH70 push notification went to the whole app audience. Requests on storefront-alb "
                      "jumped from about 2,200 to 12,000 a minute, and most new requests carry utm_campaign=flash70. "
                      "ECS autoscaling took storefront-bff from 6 to its maximum of 12 tasks (the two UpdateService events "
                      "by ecs-application-autoscaling), CPU per task is high (about 80 %, briefly 90 % before the scale-out) but follows the request volume, "
                      "the Node event loop lags, latency rose from 0.1 s to about 2 s and the ALB returns some 502/504s. "
                      "There is no error signature, no relevant change, and the database is only moderately busier. "
                      "Judgement: traffic_surge at the storefront entry point.")}
    return scn, expect, meta


# ------------------------------------------------------------------ h55-12
def s12():
    region = "us-east-1"
    scn = Scenario("subscription-renewer-errors", region, 5512, "Some annual subscriptions failing to renew; subscription-renewer Errors alarm.")
    rng = scn.rng
    onset = -2700                 # the day's batch of annual team renewals starts (scheduled by due date)
    mailer_dep = -3000
    scn.resource("lambda", "subscription-renewer", runtime="ruby3.3", timeout=60, memory_size=512, handler="handler.Renewals.process",
                 event_source="sqs:renewals-due", environment={"DB_HOST": "subscriptions-db.cg4tq1pw8vze.us-east-1.rds.amazonaws.com"})
    scn.resource("lambda", "invoice-mailer", runtime="ruby3.3", timeout=30, memory_size=256, handler="handler.InvoiceMailer.call",
                 event_source="sqs:invoices-ready")
    scn.resource("rds", "subscriptions-db", engine="postgres", engine_version="16.2", instance_class="db.r6g.large", max_connections=800,
                 allocated_storage_gb=250)

    stack = ["/var/task/lib/renewal/pricing.rb:57:in `prorate'", "/var/task/lib/renewal/pricing.rb:23:in `amount_for'",
             "/var/task/lib/renewal/renewer.rb:41:in `renew!'", "/var/task/handler.rb:18:in `block in process'",
             "/var/task/handler.rb:12:in `each'", "/var/task/handler.rb:12:in `process'"]

    def renew(rng_, t, r):
        team = t >= onset and rng_.random() < 0.34 * sig(t, onset, 60)
        plan = "team-annual-2026" if team else rng_.choice(["pro-monthly", "pro-monthly", "starter-monthly", "team-monthly", "pro-annual"])
        sub = f"sub_{rng_.randint(10**7, 10**8)}"
        lines = [(4, fmt.ruby("INFO", t + 0.004, f"[{r}] Renewing {sub} plan={plan} seats={rng_.randint(1, 40)}"))]
        if rng_.random() < 0.07:
            lines.append((260, fmt.ruby("ERROR", t + 0.26, f"[{r}] Stripe::CardError: Your card was declined. (sub={sub}, code=card_declined) - marked past_due")))
            return rng_.uniform(300, 600), rng_.randint(95, 110), "ok", lines
        if team:
            lines.append((35, fmt.ruby_error("NoMethodError", "undefined method `*' for nil", stack)))
            return rng_.uniform(30, 60), rng_.randint(95, 110), "error", lines
        lines.append((400, fmt.ruby("INFO", t + 0.4, f"[{r}] Renewed {sub} until 2027-{rng_.randint(1, 12):02d}-{rng_.randint(1, 28):02d}, "
                                                      f"charged {rng_.randint(9, 2400)}.00 USD (pi_{rng_.randint(10**10, 10**11)})")))
        return rng_.uniform(350, 800), rng_.randint(95, 115), "ok", lines
    lam.simulate(scn, "subscription-renewer", memory=512, timeout_s=60, handler=renew, streams=2, recycle=(-20000,),
                 rate=lambda t: 24 * morning(t) * (1 + 0.25 * sig(t, onset, 60)))

    def mailer(rng_, t, r):
        return rng_.uniform(120, 300), rng_.randint(80, 95), "ok", [
            (5, fmt.ruby("INFO", t + 0.005, f"[{r}] Sent invoice in_{rng_.randint(10**7, 10**8)} to {rng_.choice(['billing', 'ap', 'finance'])}@customer.example via SES"))]
    lam.simulate(scn, "invoice-mailer", memory=256, timeout_s=30, handler=mailer, streams=1, recycle=(mailer_dep,),
                 rate=lambda t: 8 * morning(t))

    blocks.rds(scn, "subscriptions-db", cpu=series(rng, lambda t: 18 * morning(t), 0.08), conns=series(rng, lambda t: 30 + 10 * morning(t), 0.06, integer=True),
               free_storage=series(rng, lambda t: 142 * GIB, 0.0004), freeable_mem=series(rng, lambda t: 7.3 * GIB, 0.01))

    scn.change(mailer_dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "invoice-mailer", "ci-deployer")
    scn.change(mailer_dep + 11, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "invoice-mailer", "ci-deployer")
    scn.change(-20000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "subscription-renewer", "nina.patel")

    d = {"FunctionName": "subscription-renewer"}
    scn.alarm("subscription-renewer-errors", "AWS/Lambda", "Errors", d, "Sum", 60, 3, 3, state="ALARM", description="subscription-renewer errors")
    _ = (json, window, LOG_START)
    expect = {"alarm": "subscription-renewer-errors",
              "root_cause": {"category": "application_error", "resource": ["subscription-renewer"]},
              "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d}]}
    meta = {"slug": "subscription-renewer-errors", "alarm": "subscription-renewer-errors", "where": "origin",
            "decoys": ["invoice-mailer deploy 5 min before the onset (the most recent change; another function, clean)",
                       "subscription-renewer memory change 5.5 h earlier, clean for hours",
                       "constant handled 'Stripe::CardError: Your card was declined.' ERROR lines"],
            "story": ("subscription-renewer's code has not changed today. At 08:25 the day's renewals of the new "
                      "'team-annual-2026' plan (created by the product team in the admin app, i.e. data, not an AWS change) "
                      "started coming off the renewals-due queue, and every one of them fails with Ruby's NoMethodError "
                      "\"undefined method `*' for nil\" in pricing.rb:57 `prorate' (the plan has no per-seat price); other plans "
                      "renew normally. Database, memory and duration are normal. The invoice-mailer deploy just before is "
                      "another function on another queue, and the card-declined errors are at their usual rate. Judgement: "
                      "application_error in subscription-renewer.")}
    return scn, expect, meta
