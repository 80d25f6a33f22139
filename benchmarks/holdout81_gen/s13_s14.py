"""h81-13 (pacing quote Lambda release, alarm on its HTTP API) and h81-14 (a mistyped SSM runtime
parameter breaks the Singapore bidder, alarm on its ALB)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, spring, zap

from .base import (Tasks, alb, apigw, diurnal, ecs, ecs_deploy, emit, every, jtrace, lam, lambda_code,
                   lambda_config, new, per_minute, rds)


def build_13():
    sc = new(13, "pacing-api-5xx", "Bidders get 5xx from the pacing quote API in N. California; the API "
             "Gateway 5xx alarm fired.", "us-west-1", "2026-05-05T22:20:00+00:00")
    api, fn, other, cl, svc = "pacing-api-usw1", "pacing-quote", "creative-sizer", "rtb-usw1", "bidder"
    T_d = -2160
    new_v = lambda t: t >= T_d + 14
    sc.resource("apigateway", api, api_type="HTTP", stage="$default", integration="AWS_PROXY pacing-quote:live")
    sc.resource("lambda", fn, runtime="nodejs22.x", timeout=6, memory_size=512, alias="live")
    sc.resource("lambda", other, runtime="ruby3.3", timeout=30, memory_size=1024)
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=22, container_runtime="go1.22")
    d = lambda t: diurnal(sc, t, peak_hour=22, amp=0.2)
    cnt = lambda t: 30000 * d(t)
    apigw(sc, api, count=cnt, e4=lambda t: 6, e5=lambda t: 1 + (0.31 * cnt(t) if new_v(t) else 0),
          lat=lambda t: 28, integ=lambda t: 22)
    lm = lam(sc, fn, inv=cnt, err=lambda t: 0.3 + (0.31 * cnt(t) if new_v(t) else 0),
             dur=lambda t: 15.5 if new_v(t) else 18.2, conc=lambda t: 12)
    lo = lam(sc, other, inv=lambda t: 40 * d(t), err=lambda t: 0.1, dur=lambda t: 2100, conc=lambda t: 2)
    ecs(sc, cl, svc, cpu=lambda t: 51 * d(t), mem=lambda t: 47, running=lambda t: 22)

    ll = LambdaLogs(sc, fn, "nodejs22.x", 512, 6, epochs=((-10 ** 9, "41"), (T_d + 14, "42")), mem_used=(118, 8),
                    max_envs=10)

    def body(ll_, t, rid, is_err, cold):
        cid = sc.rng.randint(200000, 299999)
        if new_v(t) and sc.rng.random() < 0.31:
            err = {"errorType": "TypeError",
                   "errorMessage": "Cannot read properties of undefined (reading 'dailyBudgetMicros')",
                   "stack": ["TypeError: Cannot read properties of undefined (reading 'dailyBudgetMicros')",
                             "    at quoteFor (file:///var/task/dist/quote.mjs:88:41)",
                             "    at Runtime.handler (file:///var/task/dist/index.mjs:17:22)"]}
            return {"dur": sc.rng.gauss(9, 2), "lines": [(0.008, ll_.fmt(t + 0.008, rid, "ERROR", "Invoke Error \t"
                                                                          + json.dumps(err, separators=(",", ":"))))]}
        lines = []
        if sc.rng.random() < 0.05:
            lines.append((0.004, ll_.fmt(t + 0.004, rid, "ERROR", f"redis timeout fetching spend snapshot for campaign "
                                         f"{cid}, serving stale (age 41s)")))
        lines.append((0.012, ll_.fmt(t + 0.012, rid, "INFO", f"quote campaign={cid} multiplier="
                                     f"{sc.rng.uniform(0.2, 1.8):.3f} remaining_micros={sc.rng.randint(10 ** 6, 10 ** 9)}")))
        return {"dur": sc.rng.gauss(16 if new_v(t) else 18, 3), "lines": lines}

    ll.run(per_minute(lm["inv"], scale=0.0002), {}, body)
    lo_logs = LambdaLogs(sc, other, "ruby3.3", 1024, 30, mem_used=(210, 12), max_envs=3)
    lo_logs.run(per_minute(lo["inv"], scale=0.05), {}, lambda ll_, t, rid, e, c: {"dur": sc.rng.gauss(2100, 300), "lines": [
        (0.5, ll_.fmt(t + 0.5, rid, "INFO", f"resized creative {sc.rng.randint(10 ** 6, 10 ** 7)} to 300x250,728x90,320x50"))]})

    def access(t):
        err = new_v(t) and sc.rng.random() < 0.31
        return jline({"requestId": sc.hexid(8) + "=", "ip": f"10.90.{sc.rng.randint(1, 30)}.{sc.rng.randint(2, 250)}",
                      "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"), "routeKey": "GET /v1/quote",
                      "status": "500" if err else "200", "responseLength": "35" if err else str(sc.rng.randint(180, 240)),
                      "integrationLatency": str(sc.rng.randint(8, 30)),
                      "integrationErrorMessage": "-" if not err else "The Lambda function returned an error."})

    emit(sc, f"/aws/apigateway/{api}/access", "$default", lambda t: 3, access)
    tasks = Tasks(sc, "ecs", svc, [(-40000, 5)])
    emit(sc, "/ecs/bidder", tasks, lambda t: 2.5, lambda t: zap(sc, t, "info", "bid served", "server/handler.go:211",
         ssp=sc.rng.choice(["openx", "index", "triplelift"]), price_cpm=round(sc.rng.uniform(0.3, 5.2), 3)))
    emit(sc, "/ecs/bidder", tasks, lambda t: 2 if new_v(t) else 0, lambda t: zap(
        sc, t, "warn", "pacing quote failed, holding bid", "pacing/quote.go:61", status=500,
        campaign=sc.rng.randint(200000, 299999)))

    lambda_code(sc, T_d, fn, "codepipeline-pacing", publish=True, alias=True)
    lambda_config(sc, -2040, other, "d.wu")
    sc.alarm("pacing-api-usw1-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 50,
             "GreaterThanThreshold", "Pacing API server errors")
    sc.alarm("creative-sizer-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300, 1, 3,
             "GreaterThanThreshold")
    sc.alarm("pacing-api-usw1-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 5, 100,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "pacing-api-usw1-5xx", "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        front="front (API Gateway)", services="API Gateway (HTTP, JSON access log), Lambda (Node, Ruby), ECS (Go)",
        decoys="configuration change to a Ruby Lambda 2 min after the release (closer to the alarm); steady Redis "
               "stale-snapshot errors in the same function",
        story="`codepipeline-pacing` updated `pacing-quote`'s code, published version 42 and moved the `live` alias at "
              "-36 min. Log streams of version 42 show a new error on ~31 % of requests, `TypeError: Cannot read "
              "properties of undefined (reading 'dailyBudgetMicros')` at `quote.mjs:88`, absent from version 41's "
              "streams; Lambda Errors and the API's 5XXError jump together. The `redis timeout ... serving stale` errors "
              "run at the same rate before and after; the creative-sizer configuration change is closer to the alarm "
              "but that function is not behind this API and stays healthy.")
    return sc


def build_14():
    sc = new(14, "bidder-apse1-5xx", "Singapore bidder answering a third of bid requests with 5xx; ALB "
             "target 5xx alarm firing.", "ap-southeast-1", "2026-05-07T11:45:00+00:00")
    lb, cl, svc, other, db = ("app/bidder-apse1/8a1c3e5f7b9d0246", "rtb-apse1", "bidder", "imp-logger",
                              "campaign-apse1")
    param = "/rtb/apse1/bidder/price-floor-multiplier"
    T_c = -2400
    T_r = T_c + 37                     # the bidder's 60 s SSM poll picks the new value up
    bad = lambda t: t >= T_r
    sc.resource("alb", lb, name="bidder-apse1", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=26, container_runtime="java21",
                config_source="SSM /rtb/apse1/bidder/* polled every 60 s")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=4, container_runtime="java21")
    sc.resource("rds", db, engine="postgres", engine_version="15.7", instance_class="db.r6g.xlarge",
                max_connections=3400, allocated_storage_gb=600)
    d = lambda t: diurnal(sc, t, peak_hour=12, amp=0.2)
    req = lambda t: 121000 * d(t)
    alb(sc, lb, req=req, rt=lambda t: 0.014 - (0.002 if bad(t) else 0), t5=lambda t: 7 + (0.34 * req(t) if bad(t) else 0),
        e5=lambda t: 0.4, healthy=lambda t: 26)
    ecs(sc, cl, svc, cpu=lambda t: 50 * d(t) - (7 if bad(t) else 0), mem=lambda t: 58, running=lambda t: 26)
    ecs(sc, cl, other, cpu=lambda t: 22 + (9 if -2280 < t < -2100 else 0), mem=lambda t: 44, running=lambda t: 4)
    rds(sc, db, cpu=lambda t: 28 * d(t), conns=lambda t: 880, free_gb=lambda t: 344.0, freeable_gb=lambda t: 12.5)

    app = "bidder"
    tasks = Tasks(sc, "ecs", svc, [(-40000, 6)])
    g = "/ecs/bidder"
    thread = lambda: f"http-nio-8080-exec-{sc.rng.randint(1, 400)}"
    for k, st in enumerate(tasks.first(0)):
        t0 = T_r + sc.rng.uniform(-25, 25)
        sc.log(g, st, t0, spring(sc, t0, "INFO", "ssm-poller", "c.a.bidder.config.SsmRuntimeConfig",
               "Reloaded runtime config from SSM path /rtb/apse1/bidder (version 58, 1 changed: "
               "price-floor-multiplier)", app))
    emit(sc, g, tasks, lambda t: 0.8, lambda t: spring(sc, t, "WARN", thread(), "c.a.bidder.deals.DealBook",
         f"Deal {sc.rng.randint(4000, 4999)} expired; ignoring", app))
    emit(sc, g, tasks, lambda t: 1, lambda t: spring(sc, t, "ERROR", thread(), "c.a.bidder.fcap.FcapClient",
         "Timeout waiting for fcap response after 5 ms; bidding without cap", app))
    emit(sc, g, tasks, lambda t: 2, lambda t: spring(sc, t, "INFO", thread(), "c.a.bidder.auction.BidController",
         f"bid imp={sc.hexid(16)} ssp={sc.rng.choice(['gam', 'pubmatic', 'verve', 'inmobi'])} "
         f"cpm={sc.rng.uniform(0.1, 3.5):.4f}", app))

    def fail(t):
        tr = jtrace("java.lang.IllegalStateException: Invalid runtime config property 'price-floor-multiplier' = 'O.85'",
                    ["com.adstack.bidder.config.SsmRuntimeConfig.getDouble(SsmRuntimeConfig.java:112)",
                     "com.adstack.bidder.pricing.FloorPolicy.effectiveFloor(FloorPolicy.java:48)",
                     "com.adstack.bidder.auction.BidController.bid(BidController.java:96)"],
                    "java.lang.NumberFormatException: For input string: \"O.85\"")
        return spring(sc, t, "ERROR", thread(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]", "Servlet.service() for servlet "
                      "[dispatcherServlet] threw exception [Request processing failed: java.lang.IllegalStateException: "
                      "Invalid runtime config property 'price-floor-multiplier' = 'O.85'] with root cause\n" + tr, app)

    emit(sc, g, tasks, lambda t: 6 if bad(t) else 0, fail)
    itasks = Tasks(sc, "ecs", other, [(-40000, 2), (-2250, 2)])
    every(sc, "/ecs/imp-logger", itasks, 60, lambda t: spring(sc, t, "INFO", "flush-1", "c.a.implog.KinesisFlusher",
          f"Flushed {sc.rng.randint(80000, 120000)} impressions to stream imp-apse1", "imp-logger"))
    sc.change(-16000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "argo-deployer")
    sc.change(T_c, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", param, "jtan")
    ecs_deploy(sc, -2280, cl, other, "imp-logger", "argo-deployer")
    sc.alarm("bidder-apse1-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 500, "GreaterThanThreshold", "Bidder 5xx to exchanges")
    sc.alarm("imp-logger-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": other}, "Average", 300,
             2, 80, "GreaterThanThreshold")
    sc.expect = {"alarm": "bidder-apse1-target-5xx",
                 "root_cause": {"category": "config_change", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        front="front (ALB)", services="ALB, ECS (Java Spring) x2, RDS, SSM (CloudTrail only)",
        decoys="ECS deploy of the impression logger 2 min after the change (closer to the alarm), with a CPU bump; an "
               "old UpdateService on the bidder; steady fcap-timeout errors and expired-deal warnings",
        story="`jtan` changed the SSM parameter `/rtb/apse1/bidder/price-floor-multiplier` at -40 min (PutParameter). "
              "The bidder's poller logs `Reloaded runtime config ... (version 58, 1 changed: price-floor-multiplier)` "
              "half a minute later and from then a third of bid requests fail with `IllegalStateException: Invalid "
              "runtime config property 'price-floor-multiplier' = 'O.85'` (`NumberFormatException`: a letter O typed "
              "for a zero). The error names the setting and follows the parameter change, so `config_change` on the "
              "bidder. The imp-logger deploy is closer to the alarm but that service is healthy; the fcap timeouts are "
              "as frequent as hours before.")
    return sc


BUILDERS = [build_13, build_14]
