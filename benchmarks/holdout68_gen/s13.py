"""h68-13: patch-day storefront deploy (ECS, .NET CLEF logs) breaks bundle pricing; ALB 5xx alarm."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import alb_family, clef, ecs_deploy, ecs_family, emit, event_load, lam_config, lambda_family, \
    ramp, rds_family
from .runtimes import LambdaLogs

EVENT, DEPLOY, DECOY = -7800, -2880, -2700


def build() -> Scenario:
    sc = Scenario(13, "store-checkout-5xx", "Patch 7.2 day: store purchases of bundles failing in the client; "
                  "shop ALB 5xx alarm.", "eu-west-3", 6813, "2026-12-03T19:50:00")
    rng = sc.rng
    lb, db, fn = "app/shop-web/0a6c3e9f71b2d458", "shop-orders", "price-sync"
    sc.resource("alb", lb, name="shop-web", targets="shop-prod/storefront")
    sc.resource("ecs", "shop-prod/storefront", launch_type="FARGATE", desired_count=6, cpu=1024, memory=2048,
                runtime="dotnet8 (ASP.NET Core, Serilog CLEF)", deployment="rolling, 100/200 %")
    sc.resource("lambda", fn, runtime="dotnet8", memory_size=512, timeout=60)
    sc.resource("rds", db, engine="postgres", engine_version="16.4", instance_class="db.m7g.large",
                max_connections=600, allocated_storage_gb=250)
    load = lambda t: diurnal(sc, t, 19, 0.2) * event_load(t, EVENT, 2.7, 1.6, 3000)
    newshare = lambda t: ramp(t, DEPLOY + 60, DEPLOY + 300)
    req = lambda t: 2600 * load(t)
    alb_family(sc, lb, req, lambda t: 0.07 + 0.02 * (load(t) - 1) + 0.01 * newshare(t),
               t5xx=lambda t: 0.5 + 0.085 * req(t) * newshare(t), t4xx=lambda t: 21 * load(t),
               hosts=lambda t: 6 + (DEPLOY + 60 < t < DEPLOY + 360) * 3)
    ecs_family(sc, "shop-prod", "storefront", lambda t: 28 * load(t) + 32 * ramp(t, DEPLOY + 30, DEPLOY + 90)
               * (1 - ramp(t, DEPLOY + 330, DEPLOY + 400)), lambda t: 44, tasks=lambda t: 6 + (DEPLOY + 60 < t < DEPLOY + 360) * 3)
    rds_family(sc, db, lambda t: 18 * load(t), lambda t: 90 + 20 * load(t), lambda t: 188.2, mem_gb=lambda t: 4.4)
    lambda_family(sc, fn, lambda t: 2.0, lambda t: 0.0, lambda t: 8200 - 1100 * ramp(t, DECOY, DECOY + 60))

    # ---------------------------------------------------------------- storefront (CLEF JSON)
    old = [sc.hexid(32) for _ in range(6)]
    new = [sc.hexid(32) for _ in range(6)]
    starts = [DEPLOY + 60 + 80 * (i // 2) for i in range(6)]

    def task(t, bad=False):
        live = [n for n, s in zip(new, starts) if s <= t]
        gone = sum(1 for s in starts if s + 120 <= t)
        pool = live if bad else old[gone:] + live
        return f"storefront/storefront/{rng.choice(pool or old)}"

    g = "/ecs/shop-prod/storefront"
    paths = ["/api/store/offers", "/api/store/featured", "/api/wallet/balance", "/api/store/purchase"]
    emit(sc, g, task, lambda t: 3.5 * load(t), lambda t: clef(
        sc, t, "Information", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms",
        RequestMethod="POST" if (p := rng.choice(paths)).endswith("purchase") else "GET", RequestPath=p,
        StatusCode=200, Elapsed=round(rng.lognormvariate(3.2, 0.5), 4),
        SourceContext="Serilog.AspNetCore.RequestLoggingMiddleware"))
    emit(sc, g, task, lambda t: 1.2, lambda t: clef(
        sc, t, "Warning", "Payment webhook signature invalid from {RemoteIp}; rejected",
        RemoteIp=f"{rng.randint(40, 200)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        SourceContext="Shop.Payments.WebhookController"))
    emit(sc, g, lambda t: task(t, True), lambda t: 4.0 * newshare(t), lambda t: clef(
        sc, t, "Error", "Unhandled exception while processing {RequestMethod} {RequestPath}",
        RequestMethod="POST", RequestPath="/api/store/purchase", BundleId=f"bnd_frost_{rng.randint(1, 40):03d}",
        SourceContext="Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware",
        **{"@x": "System.NullReferenceException: Object reference not set to an instance of an object.\n"
                 "   at Shop.Pricing.BundleDiscountCalculator.Apply(Bundle bundle, PlayerContext ctx) in "
                 "/src/Shop.Pricing/BundleDiscountCalculator.cs:line 74\n"
                 "   at Shop.Storefront.Purchases.PurchaseService.QuoteAsync(PurchaseRequest req) in "
                 "/src/Shop.Storefront/Purchases/PurchaseService.cs:line 112"}), t0=DEPLOY + 60)
    for tid, s in zip(old + new, [-21600] * 6 + starts):
        if s > -21600:
            sc.log(g, f"storefront/storefront/{tid}", s + 8, clef(
                sc, s + 8, "Information", "Starting {Application} {Version}", Application="Shop.Storefront",
                Version="2026.12.3+a91f03c", SourceContext="Shop.Storefront.Program"))

    pl = LambdaLogs(sc, fn, "dotnet8", 512, 60, retire=[DECOY])

    def sync(ll, t, rid, is_err, cold):
        init = [(0.2, f"{sc.iso(t)}\t{rid}\tinfo\tPriceSync.Startup: FX_SOURCE={'ecb-daily' if t < DECOY else 'ecb-hourly'}")] if cold else []
        return {"dur": rng.gauss(8200 if t < DECOY else 7100, 400), "init_lines": init, "lines": [
            (1.0, ll.fmt(t + 1, rid, "INFO", f"PriceSync.Job: synced {rng.randint(1800, 2100)} price points for 31 currencies"))]}
    pl.run({t: 1 for t in range(-21600, 0, 60) if rng.random() < 0.5}, {}, sync)

    sc.alarm("shop-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 30, "GreaterThanThreshold", "Storefront 5xx")
    sc.alarm("storefront-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": "shop-prod", "ServiceName": "storefront"},
             "Average", 60, 2, 75, "GreaterThanThreshold")
    ecs_deploy(sc, -19500, "shop-prod", "storefront", 212, "github-actions-shop")
    sc.change(-8100, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
              "shop-web/https-443", "ops-cmartin")
    ecs_deploy(sc, DEPLOY, "shop-prod", "storefront", 213, "github-actions-shop")
    lam_config(sc, DECOY, fn, "ops-cmartin")
    sc.expect = {"alarm": "shop-web-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": ["shop-prod/storefront", "storefront"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {
        "front": "front (ALB; origin is the ECS service that was deployed)",
        "services": ["alb", "ecs", "lambda", "rds"], "runtime": ".NET 8 ASP.NET Core (Serilog CLEF JSON), .NET Lambda",
        "decoys": "price-sync configuration change 3 min after the deploy (config beats deploy if misattributed); "
                  "CPU alarm flap from the rolling deploy; steady webhook-signature warnings; patch-day rush",
        "story": (
            "Patch 7.2 opened the store at -130 min (requests 2.7x, settling at 1.6x, no errors). At -48 min "
            "CI registered task definition storefront:213 and updated the service; new tasks log `Starting "
            "Shop.Storefront 2026.12.3+a91f03c` between -47 and -43 min, and only those tasks log "
            "`System.NullReferenceException ... BundleDiscountCalculator.Apply ... line 74` on POST "
            "/api/store/purchase, a signature absent from the old tasks. Target 5xx grows as the rollout "
            "replaces tasks and plateaus at ~8.5 % of requests once all six are new. price-sync's "
            "configuration change three minutes after the deploy only switched its FX source (no errors, "
            "storefront does not call it), the storefront CPU alarm flapped from the doubled task count "
            "during the rollout, the orders DB is unremarkable and the webhook-signature warnings are "
            "steady all day."),
    }
    return sc
