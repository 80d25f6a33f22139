"""h59-15 (a new tenant's data trips an unhandled exception) and h59-16 (a function's reserved
concurrency caps a storefront three hops up)."""
from __future__ import annotations

from . import kit
from .common import GRID, Scenario, bump, diurnal, ramp, step
from .runtimes import LambdaLogs, jline, nginx


# =========================================================================== h59-15
def s15() -> Scenario:
    sc = Scenario(15, "loyalty-it-5xx", "Loyalty API 5xx alarm; one restaurant group says "
                  "points are not credited for some orders.", "eu-south-1", 5915,
                  "2026-10-20T11:25:00")
    lb = "app/loyalty-it/9f8e7d6c5b4a3f2e"
    cluster, svc, fn, db = "it-prod", "points-engine", "points-expiry", "pg-loyalty-it"
    t0 = -2600  # first orders from the newly onboarded tenant
    sc.resource("alb", lb, name="loyalty-it", scheme="internet-facing")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=4, cpu=1024,
                memory=2048, image="points-engine:2026.10.14")
    sc.resource("lambda", fn, runtime="python3.12", timeout=300, memory_size=1024)
    sc.resource("rds", db, engine="postgres", engine_version="16.3", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=250)
    load = lambda t: 1100 * diurnal(sc, t, 12.0, 0.3)
    new = lambda t: 0.05 * ramp(t, t0, t0 + 180)
    req = sc.series(lambda t: load(t) * (1 + new(t)), integer=True, noise=0.03)
    t5 = sc.series(lambda t: 1.0 + load(t) * new(t) * 0.6, integer=True, noise=0.05)
    kit.alb_metrics(sc, lb, req, t5, sc.series(lambda t: 0.085, noise=0.07),
                    t4xx=sc.series(lambda t: 0.01 * load(t), integer=True),
                    healthy=[4.0] * len(GRID), unhealthy=[0.0] * len(GRID))
    kit.ecs_metrics(sc, cluster, svc, sc.series(lambda t: 36 * diurnal(sc, t, 12.0, 0.3),
                                                noise=0.06), sc.series(lambda t: 52.0, noise=0.02))
    kit.flat_rds(sc, db, lambda t: 27 + bump(t, -2450, -2150, 44.0, 90),
                 lambda t: 140, 250, 96, 6.0)
    hourly = lambda t: 1.0 if (int(t) + 21600) % 3600 == 300 else 0.0
    kit.lambda_metrics(sc, fn, sc.series(hourly, noise=0.0, integer=True), [0.0] * len(GRID),
                       sc.series(lambda t: step(t, -2640, 48000.0, 44000.0), noise=0.1))

    # ---------------------------------------------------------------- logs
    grp = f"/ecs/{svc}"
    tenants = ["bar-milano", "pizzeria-napoli", "gelato-firenze", "caffe-torino", "osteria-bologna"]
    for k in range(3):
        stream = f"points-engine/app/{sc.hexid(32)}"

        def line(t):
            base = {"timestamp": sc.iso(t), "logger": "points.api", "request_id": sc.hexid(16)}
            p_new = new(t) / (1 + new(t))
            if sc.rng.random() < p_new:
                oid = f"TR-{sc.rng.randint(10 ** 5, 10 ** 6)}"
                if sc.rng.random() < 0.6:
                    q = sc.rng.choice(["0.5", "1.5", "0.25", "2.5"])
                    return jline({**base, "level": "error", "event": "unhandled exception",
                                  "tenant": "trattoria-roma", "path": "/v1/orders",
                                  "order_id": oid, "status": 500, "exception":
                                  "Traceback (most recent call last):\n  File \"/app/points/api/"
                                  "orders.py\", line 88, in accrue\n    qty = int(line["
                                  "\"quantity\"])\nValueError: invalid literal for int() with "
                                  f"base 10: '{q}'"})
                tn = "trattoria-roma"
            else:
                tn, oid = sc.rng.choice(tenants), f"ORD-{sc.rng.randint(10 ** 6, 10 ** 7)}"
            return jline({**base, "level": "info", "event": "order accrued", "tenant": tn,
                          "order_id": oid, "points": sc.rng.randint(5, 180), "status": 200})
        kit.events(sc, grp, stream, lambda t: 2.5, line)
        kit.events(sc, grp, stream, lambda t: 0.3, lambda t: jline({
            "timestamp": sc.iso(t), "logger": "points.api", "level": "error",
            "event": "unhandled exception", "path": "/v1/legacy/redeem", "status": 500,
            "tenant": sc.rng.choice(tenants), "exception": "Traceback (most recent call last):\n"
            "  File \"/app/points/api/legacy.py\", line 19, in redeem\n    raise "
            "NotImplementedError(\"legacy redeem flow removed, use /v2/redeem\")\n"
            "NotImplementedError: legacy redeem flow removed, use /v2/redeem"}))
        kit.events(sc, grp, stream, lambda t: 0.2, lambda t: jline({
            "timestamp": sc.iso(t), "logger": "points.promo", "level": "warning",
            "event": "promo_code missing, defaulting to none", "tenant": sc.rng.choice(tenants)}))
    pgl = f"/aws/rds/instance/{db}/postgresql"
    sc.log(pgl, f"{db}.0", -2440, f"{sc.at(-2440).strftime('%Y-%m-%d %H:%M:%S')} UTC::@:[9120]:"
           "LOG:  automatic analyze of table \"loyalty.public.point_ledger\" avg read rate: "
           "88.410 MB/s, avg write rate: 0.000 MB/s")

    sc.alarm("loyalty-it-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 15, "GreaterThanThreshold", "Loyalty API 5xx")
    sc.alarm("pg-loyalty-it-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 1, 60, "GreaterThanThreshold")
    sc.change(-2640, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "jenkins-loyalty")
    sc.change(-20500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/{svc}", "jenkins-loyalty")
    kit.check_alarm(sc, "loyalty-it-5xx", latest=t0 + 600, earliest=t0)
    sc.expect = {"alarm": "loyalty-it-5xx",
                 "root_cause": {"category": "application_error",
                                "resource": [f"{cluster}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB",
                                "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    return sc


# =========================================================================== h59-16
def s16() -> Scenario:
    sc = Scenario(16, "storefront-usw-cart-5xx", "Storefront 5xx alarm; add-to-cart fails "
                  "intermittently around lunchtime.", "us-west-1", 5916, "2026-07-07T20:10:00")
    lb = "app/storefront-usw/1a2b3c4d5e6f7a8b"
    cluster, svc, api, fn, sib = "usw-prod", "storefront", "stock-levels-api", "stock-read", \
        "stock-write"
    rc, dsec = 25, 0.83
    cap_min = rc / dsec * 60
    sc.resource("alb", lb, name="storefront-usw", scheme="internet-facing")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=6, cpu=1024,
                memory=2048, image="storefront:php8.2-2026.07.06")
    sc.resource("apigateway", api, rest_api_id="s1t2o3c4k5", stage="v1")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=6, memory_size=512,
                reserved_concurrency=rc)
    sc.resource("lambda", sib, runtime="nodejs20.x", timeout=10, memory_size=512)
    demand = lambda t: 950 + 1000 * ramp(t, -12000, -300)
    over = lambda t: max(0.0, demand(t) - cap_min) / demand(t)
    thr = sc.series(lambda t: demand(t) * over(t), integer=True, noise=0.04)
    inv = sc.series(lambda t: min(demand(t), cap_min * 0.985), integer=True, noise=0.015)
    kit.lambda_metrics(sc, fn, inv, [0.0] * len(GRID), sc.series(lambda t: dsec * 1000,
                                                                   noise=0.04),
                       throttles=thr, conc=sc.series(lambda t: min(rc, demand(t) * dsec / 60 +
                                                                 0.5), noise=0.0, digits=0))
    kit.apigw_metrics(sc, api, [a + b for a, b in zip(inv, thr)], thr, [0.0] * len(GRID),
                      sc.series(lambda t: 930.0 - 800 * over(t), noise=0.04))
    sinv = sc.series(lambda t: 120.0, integer=True)
    kit.lambda_metrics(sc, sib, sinv, [0.0] * len(GRID), sc.series(
        lambda t: step(t, -2460, 210.0, 190.0), noise=0.08))
    load = lambda t: 2600 + 1500 * ramp(t, -12000, -300)
    cart = 0.18
    req = sc.series(load, integer=True, noise=0.03)
    t5 = sc.series(lambda t: 0.6 + load(t) * cart * over(t) * 0.8, integer=True, noise=0.05)
    kit.alb_metrics(sc, lb, req, t5, sc.series(lambda t: 0.31 + 0.25 * over(t), noise=0.06),
                    t4xx=sc.series(lambda t: 0.015 * load(t), integer=True),
                    healthy=[6.0] * len(GRID), unhealthy=[0.0] * len(GRID))
    kit.ecs_metrics(sc, cluster, svc, sc.series(lambda t: 24 + 14 * load(t) / 4100, noise=0.06),
                    sc.series(lambda t: 47.0, noise=0.02))

    # ---------------------------------------------------------------- logs
    grp, acc = f"/ecs/{svc}/laravel", f"/ecs/{svc}/nginx"
    for k in range(2):
        task = sc.hexid(32)

        def access(t):
            r = sc.rng.random()
            if r < cart:
                fail = sc.rng.random() < over(t) * 0.8
                return nginx(sc, t, sc.ip("10.70"), "POST", "/api/cart/add", 503 if fail else 200,
                             120 if fail else 512, sc.rng.uniform(0.9, 1.6))
            if r < cart + 0.015:
                return nginx(sc, t, sc.ip("10.70"), "GET", f"/p/{sc.hexid(8)}", 404, 1800, 0.05)
            return nginx(sc, t, sc.ip("10.70"), "GET", sc.rng.choice(
                ["/", "/c/shoes", "/c/outdoor", f"/p/{sc.hexid(8)}"]), 200,
                sc.rng.randint(8000, 60000), sc.rng.uniform(0.1, 0.5))
        kit.events(sc, acc, f"nginx/{task}", lambda t: 2.4, access)
        lv = lambda t, lvl, msg: f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] production.{lvl}: {msg}"
        kit.events(sc, grp, f"laravel/{task}", lambda t: 2 * 2.4 * cart * over(t) * 0.8,
                   lambda t: lv(t, "ERROR", "Stock check failed after 1 retry: HTTP 429 "
                                f"{{\"message\":\"Too Many Requests\"}} from https://s1t2o3c4k5."
                                f"execute-api.us-west-1.amazonaws.com/v1/stock/"
                                f"{sc.rng.randint(10 ** 5, 10 ** 6)} {{\"route\":\"cart.add\"}}"))
        kit.events(sc, grp, f"laravel/{task}", lambda t: 0.15, lambda t: lv(
            t, "WARNING", f"Product {sc.hexid(8)} not found, rendering 404"))
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 6, mem_used=(101, 6), max_envs=rc)

    def body(ll, t, rid, e, cold):
        sku = sc.rng.randint(10 ** 5, 10 ** 6)
        if sc.rng.random() < 0.02:
            return {"dur": sc.rng.gauss(300, 30), "lines": [(0.25, ll.fmt(
                t + 0.25, rid, "WARN", f"sku {sku} not found in warehouse index"))]}
        return {"dur": sc.rng.gauss(dsec * 1000, 60), "lines": [(0.85, ll.fmt(
            t + 0.85, rid, "INFO", f"stock sku={sku} on_hand={sc.rng.randint(0, 400)} "
            f"warehouses={sc.rng.randint(1, 5)}"))]}
    li, le = kit.sample_invocations(sc, inv, [0.0] * len(GRID), 0.006)
    ll.run(li, le, body)
    eg = "API-Gateway-Execution-Logs_s1t2o3c4k5/v1"
    kit.events(sc, eg, "s1t2o3c4k5-v1-77e", lambda t: 0.01 * demand(t) * over(t), lambda t: (
        f"({sc.uuid()}) Lambda invocation failed with status: 429. Lambda request id: "
        f"{sc.uuid()}"))
    kit.events(sc, eg, "s1t2o3c4k5-v1-77e", lambda t: 1.0, lambda t: (
        f"({sc.uuid()}) Method completed with status: 200"))

    sc.alarm("storefront-usw-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 10, "GreaterThanThreshold", "Storefront 5xx")
    sc.alarm("stock-read-throttles", "AWS/Lambda", "Throttles", {"FunctionName": fn}, "Sum", 300,
             1, 50, "GreaterThanThreshold")
    sc.alarm("storefront-usw-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb}, "Average", 60, 5, 1.0, "GreaterThanThreshold")
    sc.change(-9000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/{svc}", "gha-storefront")
    sc.change(-2460, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", sib, "gha-inventory")
    kit.check_alarm(sc, "storefront-usw-5xx", latest=-2000, earliest=-3900)
    sc.expect = {"alarm": "storefront-usw-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles",
                                "dimensions": {"FunctionName": fn}}]}
    return sc
