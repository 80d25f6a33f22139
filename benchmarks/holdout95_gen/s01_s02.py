"""h95-01 circular coupon push floods the shopper edge (traffic surge, Go on ECS behind an ALB);
h95-02 pricebook import release breaks fr-CA decimal parsing (bad deployment, .NET Lambda)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, zap
from benchmarks.holdout57_gen.common import counts_per_minute

from .kit import (CAN, EAST, alb_metrics, bump, diurnal, ecs_metrics, lam_metrics, new, ramp,
                  times)


def build_01():
    sc = new(1, "circular-coupon-latency", "Shopper app slow to load weekly-circular coupons; "
             "edge latency alarm paged the retail-digital on-call.", EAST, "2026-11-19T16:42:00+00:00")
    T0 = -2400
    lb = "app/shopper-edge/3f9c0a1d7be24e51"
    surge = lambda t: ramp(t, T0, T0 + 180) * (1 - 0.12 * ramp(t, T0 + 900, 0))
    relief = lambda t: ramp(t, T0 + 300, T0 + 420) * 0.15 + ramp(t, T0 + 600, T0 + 720) * 0.15
    sc.resource("alb", lb, name="shopper-edge", scheme="internet-facing",
                target_groups=["tg-offers-api", "tg-list-sync"])
    sc.resource("ecs", "shopper-prod/offers-api", launch_type="FARGATE", cpu=1024, memory=2048,
                desired_count=4, autoscaling_max=6, image="offers-api:v3.18.2")
    sc.resource("ecs", "shopper-prod/list-sync", launch_type="FARGATE", cpu=512, memory=1024,
                desired_count=2)
    alb_metrics(sc, lb, lambda t: 840 * diurnal(sc, t, 17, 0.3) * (1 + 4.6 * surge(t)),
                t5_p=lambda t: 0.0007 + 0.004 * surge(t), e5_p=lambda t: 0.0003 + 0.018 * surge(t),
                trt=lambda t: 0.082 * diurnal(sc, t, 17, 0.1) + surge(t) * (1.75 - relief(t)))
    tasks = lambda t: 4 + (t >= T0 + 330) + (t >= T0 + 630)
    ecs_metrics(sc, "shopper-prod", "offers-api",
                cpu=lambda t: 27 * diurnal(sc, t, 17, 0.3) + surge(t) * (47 - 20 * relief(t)),
                mem=lambda t: 41 + 6 * surge(t), tasks=tasks)
    ecs_metrics(sc, "shopper-prod", "list-sync", cpu=lambda t: 14 + bump(t, T0 - 300, T0 - 180, 9, 60),
                mem=lambda t: 33 + bump(t, -13200, -12600, 8))
    sc.alarm("shopper-edge-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 1.0, "GreaterThanThreshold",
             "Shopper edge average target response time above 1 s")
    sc.alarm("offers-api-cpu-high", "AWS/ECS", "CPUUtilization",
             {"ClusterName": "shopper-prod", "ServiceName": "offers-api"}, "Average", 300, 2, 70.0,
             "GreaterThanThreshold", "offers-api service CPU above 70 % for 10 minutes")
    sc.alarm("shopper-edge-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 1, 400.0, "GreaterThanThreshold", "Shopper edge load balancer 5xx")
    # ---- logs: zap JSON from offers-api tasks
    g = "/ecs/offers-api"
    rng = sc.rng
    task_start = [-15060, -15040, -15010, -14990, T0 + 330, T0 + 630]
    streams = [f"offers/offers-api/{sc.hexid(32)}" for _ in task_start]
    for i, (st, ts) in enumerate(zip(streams, task_start)):
        if ts > -21600:
            sc.log(g, st, ts, zap(sc, ts, "info", "starting offers-api", "cmd/offers-api/main.go:61",
                                  version="v3.18.2", commit="9c41d7e", go="go1.22.9"))
            sc.log(g, st, ts + 1.4, zap(sc, ts + 1.4, "info", "coupon index warm", "offers/index.go:133",
                                        coupons=rng.randint(2900, 3100), took_ms=rng.randint(900, 1300)))

    old = [f"offers/offers-api/{sc.hexid(32)}" for _ in range(4)]

    def live(t):
        return [s for s, ts in zip(streams, task_start) if ts <= t] or old

    paths = ["/v2/offers/clip", "/v2/offers/circular/2026-W47", "/v2/offers/clip", "/v2/offers/mine"]
    for t in times(sc, lambda t: 9 * diurnal(sc, t, 17, 0.3) * (1 + 0.6 * surge(t))):
        s = surge(t)
        dur = rng.gauss(70, 18) * (1 + 22 * s * rng.random())
        st = 503 if s and rng.random() < 0.01 else 200
        sc.log(g, rng.choice(live(t)), t, zap(sc, t, "info", "request", "httpapi/middleware.go:88",
               method="GET", path=rng.choice(paths), status=st, dur_ms=round(max(8, dur), 1),
               store=f"{rng.randint(101, 498):04d}", inflight=int(40 + 470 * s * rng.uniform(0.7, 1.0))))
    for t in times(sc, lambda t: 1.6):
        sc.log(g, rng.choice(live(t)), t, zap(sc, t, "warn", "loyalty tier lookup fell back to default tier",
               "offers/tier.go:57", member=f"60{rng.randint(10 ** 8, 10 ** 9 - 1)}", reason="profile cache miss"))
    for t in times(sc, lambda t: 6 * surge(t) * (1 - 0.5 * relief(t)), start=T0):
        sc.log(g, rng.choice(live(t)), t, zap(sc, t, "warn", "inflight limit reached, shedding request",
               "httpapi/limit.go:42", inflight=512, limit=512, path="/v2/offers/clip"))
    g2 = "/ecs/list-sync"
    ls = [f"sync/list-sync/{sc.hexid(32)}" for _ in range(4)]
    for i, ts in enumerate([-30000, -30000, T0 - 250, T0 - 235]):
        if ts > -21600:
            sc.log(g2, ls[i], ts, zap(sc, ts, "info", "starting list-sync", "cmd/list-sync/main.go:40",
                                      version="v1.44.0"))
    for t in times(sc, lambda t: 2.5):
        pair = ls[:2] if t < T0 - 220 else ls[2:]
        sc.log(g2, rng.choice(pair), t, zap(sc, t, "info", "shopping list synced", "sync/worker.go:77",
               lists=rng.randint(1, 9), took_ms=rng.randint(12, 60)))
    # ---- changes
    sc.change(-15120, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shopper-prod/offers-api",
              "github-actions-deploy")
    sc.change(T0 - 310, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "list-sync:44", "github-actions-deploy")
    sc.change(T0 - 300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shopper-prod/list-sync",
              "github-actions-deploy")
    for dt in (300, 600):
        sc.change(T0 + dt, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
                  "shopper-prod/offers-api", "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.expect = {"alarm": "shopper-edge-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": [lb, "shopper-edge", "shopper-prod/offers-api", "offers-api"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {"front": "front (ALB) / origin service behind it", "services": ["alb", "ecs"],
               "runtime": "Go (zap JSON)",
               "decoys": "list-sync deploy 5 min before onset; steady tier-fallback WARNs; CPU alarm "
                         "(CPU ~80 %, not pinned); autoscaling UpdateService after onset",
               "story": "At 16:02 UTC the weekly-circular coupon push goes out and RequestCount on "
                        "shopper-edge jumps about 5.5x within three minutes. offers-api runs the same "
                        "v3.18.2 image it has run for four hours, autoscaling adds tasks up to its "
                        "maximum of 6, CPU rises to ~80 % but never pins, memory is flat, and the only "
                        "new log line is the in-flight limiter shedding requests. The list-sync deploy "
                        "five minutes earlier touches a different target group whose metrics stay flat; "
                        "the tier-fallback WARNs run at the same rate all six hours."}
    return sc


# =========================================================================== 02
def build_02():
    sc = new(2, "pricebook-import-errors", "Pricebook import failing for part of the overnight "
             "price files; Errors alarm in ALARM before stores open.", CAN, "2026-11-17T11:48:00+00:00")
    DEP, T0 = -2700, -2640
    fn, dec = "pricebook-import", "shelf-tag-batcher"
    sc.resource("lambda", fn, runtime="dotnet8", timeout=120, memory_size=1024, handler=
                "Pricebook.Import::Pricebook.Import.Function::HandleAsync", alias="live")
    sc.resource("lambda", dec, runtime="dotnet8", timeout=300, memory_size=512)
    bad = lambda t: 0.47 if t >= T0 else 0.0
    inv, err = lam_metrics(sc, fn, lambda t: 12 * (1 + 0.3 * ramp(t, -7200, -3600)),
                           lambda t: 0.004 + bad(t), lambda t: 950 - 420 * (bad(t) > 0) * 0.47,
                           timeout=120)
    lam_metrics(sc, dec, lambda t: 3, lambda t: 0.002,
                lambda t: 21000 + 14000 * ramp(t, -6300, -6000) * (1 - ramp(t, -5400, -5100)), timeout=300)
    sc.alarm("pricebook-import-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10.0,
             "GreaterThanThreshold", "Pricebook import function errors")
    sc.alarm("shelf-tag-batcher-duration", "AWS/Lambda", "Duration", {"FunctionName": dec}, "Average",
             300, 2, 60000.0, "GreaterThanThreshold", "Shelf tag batcher slow")
    rng = sc.rng
    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 120, epochs=((-10 ** 9, "57"), (DEP, "58")),
                    mem_used=(310, 25))
    stores = [(f"{n:04d}", "fr-CA" if n % 100 < 48 else "en-CA") for n in range(2101, 2399, 3)]

    def body(ll, t, rid, is_err, cold):
        new_v = t >= DEP
        ver = "2.15.0+7bd03f1" if new_v else "2.14.0+a41c9e2"
        init = [(0.2, ll.fmt(t, "", "INFO", f"Pricebook.Import {ver} starting (dotnet 8.0.11)"))] if cold else []
        pool = stores if t < DEP else [s for s in stores if (s[1] == "fr-CA") == (is_err and t >= T0)]
        store, cult = rng.choice(pool)
        key = f"s3://hq-pricebook-drop/2026-11-17/{store}/prices-{rng.randint(1, 40):03d}.csv"
        rows = rng.randint(400, 4200)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"Processing {key} rows={rows} culture={cult}"))]
        if rng.random() < 0.05:
            lines.append((0.3, ll.fmt(t, rid, "WARN", f"SKU {rng.randint(10 ** 6, 10 ** 7)} not in catalog; "
                                                    "row skipped")))
        if is_err and t >= T0:
            price = f"{rng.randint(0, 19)},{rng.randint(0, 99):02d}"
            lines.append((0.31, ll.fmt(t, rid, "ERROR",
                f"System.FormatException: The input string '{price}' was not in a correct format.\n"
                "   at System.Number.ThrowFormatException[TChar](ReadOnlySpan`1 value)\n"
                "   at System.Decimal.Parse(String s, NumberStyles style, IFormatProvider provider)\n"
                "   at Pricebook.Import.PriceRowParser.ParseRegular(CsvRow row) in /src/Pricebook.Import/"
                "PriceRowParser.cs:line 74\n   at Pricebook.Import.Function.HandleAsync(S3Event evnt, "
                "ILambdaContext context) in /src/Pricebook.Import/Function.cs:line 52")))
            return {"lines": lines, "dur": rng.gauss(310, 40), "init_lines": init}
        if is_err:
            lines.append((0.05, ll.fmt(t, rid, "ERROR",
                "Amazon.S3.AmazonS3Exception: The specified key does not exist.\n   at Amazon.Runtime."
                "Internal.HttpErrorResponseExceptionHandler.HandleExceptionStream(IRequestContext ctx)\n"
                "   at Pricebook.Import.Function.HandleAsync(S3Event evnt, ILambdaContext context) in "
                "/src/Pricebook.Import/Function.cs:line 41")))
            return {"lines": lines, "dur": rng.gauss(90, 15), "init_lines": init}
        lines.append((0.9, ll.fmt(t, rid, "INFO", f"Upserted {rows} prices for store {store} "
                                                  f"(effective 2026-11-19)")))
        return {"lines": lines, "dur": rng.gauss(950, 140), "init_lines": init}

    ll.run(counts_per_minute(inv, -10800, 0), counts_per_minute(err, -10800, 0), body)
    ll2 = LambdaLogs(sc, dec, "dotnet8", 512, 300, retire=(DEP + 30,), mem_used=(210, 15))
    ll2.run({m: 3 for m in range(-10800, 0, 300)}, {},
            lambda ll, t, rid, e, c: {"lines": [(0.02, ll.fmt(t, rid, "INFO", "Batching shelf tags for "
                                      f"{rng.randint(20, 60)} stores"))], "dur": rng.gauss(21000, 2500)})
    sc.change(-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              dec, "azdo-release")
    sc.change(DEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "azdo-release")
    sc.change(DEP + 4, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
              "azdo-release")
    sc.change(DEP + 6, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn,
              "azdo-release")
    sc.change(DEP + 30, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", dec, "mtremblay")
    sc.expect = {"alarm": "pricebook-import-errors",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {"front": "origin", "services": ["lambda"], "runtime": ".NET 8 Lambda (plain)",
               "decoys": "config update on shelf-tag-batcher 30 s after the deploy (closer to onset); "
                         "steady S3 NoSuchKey errors and SKU WARNs; old Duration bump on the batcher",
               "story": "azdo-release publishes version 58 (build 2.15.0) of pricebook-import and moves the "
                        "live alias at 11:03 UTC. From the next fr-CA price file on, about half of the "
                        "invocations die with System.FormatException on prices like '4,29' in "
                        "PriceRowParser.ParseRegular, a signature never seen under version 57; en-CA files "
                        "still load. A console config update to shelf-tag-batcher lands 30 s after the "
                        "deploy, closer to the onset, but that function's errors and duration are unchanged. "
                        "The S3 NoSuchKey errors have run at the same low rate all morning."}
    return sc


BUILDERS = [build_01, build_02]
