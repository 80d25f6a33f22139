"""bad_deployment scenarios: a Node.js Lambda behind an alias, and a Java
Spring Boot service on ECS Fargate behind an ALB."""
from __future__ import annotations

from .common import Scn, clamp, diurnal, ramp, window
from .lambda_sim import LambdaFn
from .services import S, alb, ecs, ecs_deploy, java_stack, lambda_deploy, spring


# ----------------------------------------------------------------------------
def payment_webhook():
    s = Scn("h51-01-payment-webhook-deploy", 5101, "eu-west-1", "2026-11-03T16:42:00",
            "Payment webhook Lambda errors paging; the payment provider dashboard shows failed "
            "webhook deliveries being retried.")
    dep = -2460
    wh = LambdaFn(s, "payment-webhook", "nodejs20.x", 256, 10, mem_used=(88, 121),
                  handler="src/index.handler", architectures=["arm64"], alias="live")
    inv = S(s, lambda t: s.poisson(diurnal(t, 16, 3, -19000)))
    err = [s.poisson(0.0) if t < dep + 75 else sum(1 for _ in range(int(i)) if s.chance(0.36))
           for t, i in zip(s.times, inv)]
    dur = S(s, lambda t: s.gauss(142, 9))
    wh.metrics(inv, err, dur)

    def body(c):
        evt = f"evt_3Q{s.hex(4).upper()}{s.hex(18)}"
        kind = "payment_intent.succeeded" if c.failed else s.pick(
            ["charge.succeeded", "payment_intent.succeeded", "charge.refunded",
             "payment_intent.created", "customer.updated"])
        out = [(0.004, "INFO", f"Received event {evt} type={kind} livemode=true")]
        if s.chance(0.045):          # pre-existing, same rate all day
            out.append((0.011, "WARN", f"Duplicate delivery of {evt}: already processed, acknowledging "
                                       f"without side effects"))
            return out
        if c.failed:
            c.outcome, c.duration_ms = "error", s.gauss(61, 6)
            out.append((0.05, "RAW", wh.node_invoke_error(
                c.t + 0.05, c.rid, "TypeError",
                "Cannot read properties of undefined (reading 'amount_received')",
                ["    at toLedgerEntry (/var/task/src/ledger.js:58:41)",
                 "    at handlePaymentIntent (/var/task/src/handlers/paymentIntent.js:23:17)",
                 "    at async Runtime.handler (/var/task/src/index.js:44:18)"])))
            return out
        if kind in ("charge.succeeded", "payment_intent.succeeded", "charge.refunded"):
            amt = s.rng.randint(300, 48000)
            out.append((0.12, "INFO", f"Ledger entry le_{s.hex(14)} posted amount={amt} currency=eur"))
        out.append((0.13, "INFO", f"Acknowledged {evt} in {int(c.duration_ms)}ms"))
        return out

    wh.simulate(body, generations=((None, "42"), (dep + 21, "43")))

    # decoy A + D: refund-reconciler, deployed hours ago, slow since a bank-holiday backlog
    rr = LambdaFn(s, "refund-reconciler", "nodejs20.x", 1024, 300, mem_used=(402, 515))
    rinv = S(s, lambda t: 1 if (t // 60) % 5 == 0 else 0)
    rdur = S(s, lambda t: ramp(t, -7800, -6000, 48000, 252000) + s.gauss(0, 4000))
    rr.metrics(rinv, [0] * len(rinv), rdur)
    rr.simulate(lambda c: [(1.2, "INFO", f"Fetched bank statement batch for 2026-11-0{s.rng.randint(1, 3)} "
                                         f"(pending refunds={s.rng.randint(900, 1600)})"),
                           (c.duration_ms / 1000 - 0.2, "INFO",
                            f"Reconciled {s.rng.randint(300, 900)} refunds, {s.rng.randint(0, 4)} "
                            f"mismatches queued for review")])
    lambda_deploy(s, -15900, "refund-reconciler", "gha-payments-deploy", version=True)
    # decoy C: receipt-mailer burst for the monthly statement run
    rm = LambdaFn(s, "receipt-mailer", "python3.12", 512, 60, mem_used=(96, 131))
    minv = S(s, lambda t: s.poisson(44 if window(t, -12600, -11700) else 6))
    mdur = S(s, lambda t: s.gauss(610 if window(t, -12600, -11700) else 380, 25))
    rm.metrics(minv, [0] * len(minv), mdur)
    rm.simulate(lambda c: [(0.3, "INFO", f"Sent receipt rcpt_{s.hex(10)} to cus_{s.hex(12)} "
                                         f"(SES MessageId 0102019{s.hex(9)}-{s.uuid()}-000000)")])

    lambda_deploy(s, dep, "payment-webhook", "gha-payments-deploy", version=True, alias=True)
    s.alarm("refund-reconciler-slow", "AWS/Lambda", "Duration", {"FunctionName": "refund-reconciler"},
            "Maximum", 300, 1, 240000, description="Refund reconciliation close to its 5 min timeout")
    s.alarm("payment-webhook-errors", "AWS/Lambda", "Errors", {"FunctionName": "payment-webhook"},
            "Sum", 300, 1, 10, description="Payment webhook handler failing")
    doc = s.to_dict({
        "alarm": "payment-webhook-errors",
        "root_cause": {"category": "bad_deployment", "resource": ["payment-webhook"]},
        "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                       "dimensions": {"FunctionName": "payment-webhook"}}]})
    meta = dict(
        alarm="payment-webhook-errors", category="bad_deployment", resources=["payment-webhook"],
        on="origin",
        decoys=["refund-reconciler deployed 4.4 h earlier", "steady 'Duplicate delivery' WARN",
                "receipt-mailer invocation burst 3.5 h ago",
                "refund-reconciler-slow alarm in ALARM for ~1.5 h (bank-holiday backlog)"],
        text="payment-webhook (Node.js 20, alias live) was deployed by CI 41 minutes ago "
             "(UpdateFunctionCode, PublishVersion 43, UpdateAlias). Within a minute of the first "
             "`Version: 43` START lines, about a third of invocations fail with a brand-new "
             "`TypeError: Cannot read properties of undefined (reading 'amount_received')` in "
             "ledger.js, always on `payment_intent.succeeded` events; version 42 never logged it. "
             "Traffic, duration and throttles are flat. The only other recent activity is on other "
             "functions (a reconciler that is slow and alarming for its own backlog reason, a "
             "mail burst) and a duplicate-delivery WARN that runs at the same rate all day. "
             "New error signature right after a code deployment of the alarming function: "
             "bad_deployment of payment-webhook.")
    return doc, meta


# ----------------------------------------------------------------------------
def _task_logs(s, app, task_ids, t_from, t_to, per_min, line_fn):
    """Background INFO for ECS tasks alive in [t_from, t_to)."""
    out = {tid: [] for tid in task_ids}
    for t0 in s.times:
        if t0 < t_from or t0 >= t_to:
            continue
        for tid in task_ids:
            for _ in range(s.poisson(per_min)):
                t = t0 + s.rng.random() * 60
                if t < t_to:
                    out[tid].append((t, line_fn(t)))
    return out


def catalog_api():
    s = Scn("h51-02-catalog-api-ecs-deploy", 5102, "us-west-2", "2026-11-05T19:18:00",
            "Storefront product pages intermittently show 'price unavailable'; ALB 5XX alarm "
            "for the catalog API is firing.")
    app, dep = "catalog-api", -2700
    new_up, old_down = dep + 150, dep + 300
    req = S(s, lambda t: s.poisson(diurnal(t, 640, 130, -16000)))
    fail_p = lambda t: ramp(t, new_up, old_down, 0.0, 0.041)
    t5 = [s.poisson(0.35) + sum(1 for _ in range(int(r // 10)) if s.chance(fail_p(t) * 10))
          for t, r in zip(s.times, req)]
    rt = S(s, lambda t: s.gauss(0.087, 0.006) + (0.05 if window(t, dep + 60, old_down) else 0))
    lb = alb(s, "catalog-alb", "3f9e1c0d2b7a4e61", req, rt, t5,
             S(s, lambda t: float(s.poisson(0.04))),
             S(s, lambda t: 8.0 if window(t, new_up - 60, old_down) else 4.0),
             [0.0] * len(s.times), scheme="internet-facing", target_group="catalog-api-tg")
    ecs(s, "shop-prod", app,
        S(s, lambda t: clamp(diurnal(t, 34, 7, -16000) + s.gauss(0, 2.5) +
                             (22 if window(t, new_up - 90, new_up + 60) else 0), 0, 100)),
        S(s, lambda t: clamp(58 + s.gauss(0, 1.2) - (14 if window(t, new_up - 90, old_down) else 0), 0, 100)),
        S(s, lambda t: 8.0 if window(t, new_up - 60, old_down) else 4.0),
        launch_type="FARGATE", task_cpu=1024, task_memory=2048, desired_count=4,
        task_definition="catalog-api:88", image="381492650127.dkr.ecr.us-west-2.amazonaws.com/"
                                                 "catalog-api:2026.11.05-2", runtime="java21 / Spring Boot 3.3")
    old = [s.hex(32) for _ in range(4)]
    new = [s.hex(32) for _ in range(4)]
    skus = lambda: f"SKU-{s.rng.randint(100000, 999999)}"
    thread = lambda: f"nio-8080-exec-{s.rng.randint(1, 40)}"

    def info(t):
        r = s.rng.random()
        if r < 0.8:
            return spring(s, t, "INFO", thread(), "c.a.catalog.web.RequestLoggingFilter",
                          f"GET /v2/products/{skus()}/price 200 {s.rng.randint(18, 95)}ms", app)
        if r < 0.95:
            return spring(s, t, "INFO", thread(), "c.a.catalog.cache.PriceCache",
                          f"refreshed {s.rng.randint(40, 400)} promo rules from catalog_db", app)
        return spring(s, t, "ERROR", thread(), "c.a.catalog.client.ReviewsClient",
                      f"Review summary unavailable for sku={skus()}: 404 NOT_FOUND from reviews-svc "
                      f"(rendering product without rating)", app)
    logs = _task_logs(s, app, old, -10800, old_down, 3.2, info)
    logs.update(_task_logs(s, app, new, new_up + 20, 0, 3.2, info))
    for i, tid in enumerate(new):
        t = new_up - 25 + i * 4
        ver = "2026.11.05-2"
        logs[tid][:0] = [
            (t, spring(s, t, "INFO", "main", "c.a.catalog.CatalogApiApplication",
                       f"Starting CatalogApiApplication v{ver} using Java 21.0.5 with PID 1 "
                       f"(/app/app.jar started by spring in /app)", app)),
            (t + 0.4, spring(s, t + 0.4, "INFO", "main", "c.a.catalog.CatalogApiApplication",
                             'The following 1 profile is active: "prod"', app)),
            (t + 9.8, spring(s, t + 9.8, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                             "Tomcat started on port 8080 (http) with context path '/'", app)),
            (t + 10.1, spring(s, t + 10.1, "INFO", "main", "c.a.catalog.CatalogApiApplication",
                              f"Started CatalogApiApplication in {10.1 + s.rng.random():.3f} seconds "
                              f"(process running for 11.2)", app))]
    for tid in old:
        t = old_down - s.rng.uniform(8, 30)
        logs[tid] += [(t, spring(s, t, "INFO", "SpringApplicationShutdownHook",
                                 "o.s.b.w.e.tomcat.GracefulShutdown",
                                 "Commencing graceful shutdown. Waiting for active requests to complete", app)),
                      (t + 2.1, spring(s, t + 2.1, "INFO", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown",
                                       "Graceful shutdown complete", app))]
    npe = ('Cannot invoke "java.math.BigDecimal.multiply(java.math.BigDecimal)" because the return value '
           'of "com.acme.catalog.pricing.PromoRule.discountRate()" is null')
    for t0, n in zip(s.times, t5):
        if t0 < new_up:
            continue
        for _ in range(int(n)):
            t = t0 + s.rng.random() * 60
            tid = s.pick(new)
            stack = java_stack("java.lang.NullPointerException", npe, [
                "com.acme.catalog.pricing.PriceCalculator.applyPromo(PriceCalculator.java:74)",
                "com.acme.catalog.pricing.PriceCalculator.price(PriceCalculator.java:41)",
                "com.acme.catalog.web.PriceController.price(PriceController.java:38)",
                "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
                "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)"])
            logs[tid].append((t, spring(
                s, t, "ERROR", thread(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                f"Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                f"[Request processing failed: java.lang.NullPointerException: {npe}] with root cause\n\n{stack}", app)))
    for tid, ev in logs.items():
        s.log("/ecs/catalog-api", f"ecs/catalog-api/{tid}", ev)

    # decoys: search-indexer deployed hours ago, full reindex CPU spike, its alarm recovered
    reindex = lambda t: window(t, -9300, -8100)
    ecs(s, "shop-prod", "search-indexer",
        S(s, lambda t: clamp((93 if reindex(t) else 14) + s.gauss(0, 3), 0, 100)),
        S(s, lambda t: clamp((71 if reindex(t) else 44) + s.gauss(0, 1.5), 0, 100)),
        [1.0] * len(s.times), launch_type="FARGATE", task_cpu=2048, task_memory=4096, desired_count=1,
        task_definition="search-indexer:31")
    ecs_deploy(s, -14400, "shop-prod", "search-indexer", "github-actions-deploy")
    ecs_deploy(s, dep, "shop-prod", app, "github-actions-deploy")
    idx = []
    for t0 in s.times[::2]:
        if t0 >= -10800:
            t = t0 + s.rng.random() * 100
            idx.append((t, f"{s.iso(t)} INFO  [indexer] Indexed batch {s.rng.randint(1000, 9999)} "
                           f"({s.rng.randint(200, 500)} docs) in {s.rng.uniform(0.8, 2.4):.1f}s"))
    idx += [(-9290, f"{s.iso(-9290)} INFO  [indexer] Full reindex started: 1284112 documents, 16 shards"),
            (-8130, f"{s.iso(-8130)} INFO  [indexer] Full reindex completed in 1158s; alias products -> products_v212")]
    s.log("/ecs/search-indexer", f"ecs/search-indexer/{s.hex(32)}", idx)
    s.alarm("search-indexer-cpu-high", "AWS/ECS", "CPUUtilization",
            {"ClusterName": "shop-prod", "ServiceName": "search-indexer"}, "Average", 300, 2, 85)
    s.alarm("catalog-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
            {"LoadBalancer": lb}, "Sum", 60, 3, 10, description="Catalog API returning 5XX")
    res = ["shop-prod/catalog-api", "catalog-api"]
    doc = s.to_dict({
        "alarm": "catalog-alb-target-5xx",
        "root_cause": {"category": "bad_deployment", "resource": res},
        "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                       "dimensions": {"LoadBalancer": lb}}]})
    meta = dict(
        alarm="catalog-alb-target-5xx", category="bad_deployment", resources=res, on="front (ALB)",
        decoys=["search-indexer deployed 4 h earlier", "steady ReviewsClient ERROR (404 from reviews-svc)",
                "search-indexer full-reindex CPU spike 2.5 h ago",
                "search-indexer-cpu-high alarm (fired during reindex, back to OK)"],
        text="A new task definition (catalog-api:88, image 2026.11.05-2) was registered and rolled to "
             "shop-prod/catalog-api 45 minutes ago. The logs show the four old tasks shutting down "
             "gracefully and four new tasks starting `v2026.11.05-2`; from the moment the new tasks "
             "take traffic a NullPointerException in PriceCalculator.applyPromo (discountRate() is null) "
             "appears, only on the new tasks, at the rate the ALB counts target 5XX. CPU, memory, "
             "latency and traffic are normal once the rollout settles. The ReviewsClient ERROR is "
             "loud but identical before and after; the indexer's deploy, reindex spike and "
             "recovered alarm are hours old and on another service. The alarm is on the ALB but "
             "the fault is the deployed service: bad_deployment of catalog-api.")
    return doc, meta
