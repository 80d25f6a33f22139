"""h61-13 (derby goal pushes swamp the live-score web tier) and h61-14 (banner opening, stage rate limit)."""
from __future__ import annotations

import math

from .common import Scenario, bump, diurnal, ramp
from .kit import emit, every, lambda_set, part, put, sampled
from .runtimes import LambdaLogs, jline, serilog, slog


# --------------------------------------------------------------------------- 13
def s13() -> Scenario:
    sc = Scenario(13, "derby-live-scores", "Live score pages timing out during the evening derby; "
                  "ALB latency alarm.", "eu-south-1", 6113, "2026-04-26T19:50:00+00:00")
    lb, lbn = "app/live-scores-pub/6a1f0d8c4e2b9573", "live-scores-pub"
    base_ids = ["i-0f2a6c81d3b7e4590", "i-03d9e7b2a1c6f5084", "i-0b8e4f17c2a9d6035"]
    new_ids = ["i-0d71c3a9e5b2f8146", "i-06e2b8d4f1a7c9350"]
    sc.resource("alb", lb, name=lbn, scheme="internet-facing")
    for k, i in enumerate(base_ids + new_ids):
        sc.resource("ec2", i, name=f"scores-web-{k + 1}", instance_type="c7g.large",
                    stack=".NET 8 Kestrel", autoscaling_group="scores-web-asg (min 3, max 6)",
                    log_groups=["/scores-web/app"])
    sc.resource("lambda", "sitemap-builder", runtime="dotnet8", timeout=300, memory_size=1024)
    T0, EARLY, LAUNCH, READY = -1560, -17400, -1150, -800
    goals = [-1560, -1140, -610, -260]

    def load(t):
        surge = 5.5 * ramp(t, T0, T0 + 120) + sum(bump(t, g, g + 240, 1.6, 40) for g in goals[1:])
        return diurnal(sc, t, 19.0, 0.2) * (1 + bump(t, EARLY, EARLY + 6600, 1.2, 600) + surge)

    def hosts(t):
        return 3 if t < READY else 5

    def util(t):
        return 9000 * load(t) / (hosts(t) * 8000.0)

    lbd = {"LoadBalancer": lb}
    rc = put(sc, "AWS/ApplicationELB", "RequestCount", lbd, "Count", lambda t: 9000 * load(t),
             integer=True, noise=0.02)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", lbd, "Seconds",
        lambda t: 0.07 + 0.04 * util(t) + 4.5 * max(0.0, util(t) - 0.9), noise=0.08, digits=4)
    part(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lbd, rc,
         lambda t: 0.0001 + 0.12 * max(0.0, util(t) - 1.0))
    part(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lbd, rc, lambda t: 0.0006)
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", lbd, "Count", lambda t: float(hosts(t)),
        noise=0.0)
    for i in base_ids:
        put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": i}, "Percent",
            lambda t: 12 + 58 * min(util(t), 1.25), noise=0.05, cap=100.0)
    for i in new_ids:
        put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": i}, "Percent",
            lambda t: None if t < LAUNCH + 60 else (35.0 if t < READY else 12 + 58 * min(util(t), 1.25)),
            noise=0.05)
    put(sc, "AWS/Lambda", "Invocations", {"FunctionName": "sitemap-builder"}, "Count",
        lambda t: 0.2, integer=True)

    rng, grp = sc.rng, "/scores-web/app"
    for k, i in enumerate(base_ids + new_ids):
        start = -21600 if i in base_ids else LAUNCH + 95
        if i in new_ids:
            for dt, msg in ((0, "Now listening on: http://[::]:8080"), (0.1, "Application started. "
                            "Press Ctrl+C to shut down."), (0.2, "Hosting environment: Production")):
                sc.log(grp, i, start + dt, serilog(sc, start + dt, "INF",
                                                   "Microsoft.Hosting.Lifetime", msg))

        def line(t):
            u, r = util(t), rng.random()
            match = rng.choice(["20461", "20461", "20458", "20463"])
            if r < 0.07:
                return serilog(sc, t, "ERR", "LiveScores.Media.CrestResolver",
                               f"Failed to resolve team crest for id {rng.choice([9912, 4410, 731])}: "
                               "Response status code does not indicate success: 404 (Not Found).")
            if u > 0.95 and r < 0.2:
                return serilog(sc, t, "WRN", "Microsoft.AspNetCore.Server.Kestrel",
                               f'As of "{sc.iso(t)}", the heartbeat has been running for '
                               f'"00:00:0{rng.randint(1, 4)}.{rng.randint(1000000, 9999999)}" which is '
                               'longer than "00:00:01". This could be caused by thread pool starvation.')
            ms = 8 + 30 * u * rng.random() + (2800 * (u - 0.9) * rng.uniform(0.5, 1.5) if u > 0.9 else 0)
            return serilog(sc, t, "INF", "Microsoft.AspNetCore.Hosting.Diagnostics",
                           f"Request finished HTTP/1.1 GET http://scores.example.it/api/match/{match}"
                           f"/live - 200 {rng.randint(1800, 5200)} application/json {ms:.4f}ms")
        emit(sc, grp, i, lambda t: 3.0, line, start=start)
        every(sc, grp, i, 60, lambda t: serilog(
            sc, t, "INF", "LiveScores.Metrics", f"rps={9000 * load(t) / hosts(t) / 60:.0f} "
            f"inflight={int(40 + 900 * max(0.0, util(t) - 0.85))} gc_gen2={rng.randint(0, 2)}"),
            start=start)
    sc.change(-1600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "sitemap-builder", "azure-devops-release")
    for i in new_ids:
        sc.change(LAUNCH, "ec2.amazonaws.com", "RunInstances", "AWS::EC2::Instance", i, "AutoScaling")
    sc.change(-13000, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", base_ids[0], "luca.b")
    sc.alarm("live-scores-pub-latency", "AWS/ApplicationELB", "TargetResponseTime", lbd, "Average", 60,
             5, 1.0, "GreaterThanThreshold", "Public live scores latency")
    sc.alarm("live-scores-pub-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lbd, "Sum", 60,
             3, 300, "GreaterThanThreshold")
    sc.expect = {"alarm": "live-scores-pub-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [lb, lbn]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount",
                                "dimensions": lbd}]}
    sc.meta = dict(front="origin (ALB is the entry point)",
                   services="ALB, EC2 (.NET, Serilog), Lambda",
                   decoys="sitemap-builder deploy 40 s before onset; ASG RunInstances during the "
                          "incident; afternoon match peak (2.2x); steady crest-404 errors")
    return sc


# --------------------------------------------------------------------------- 14
def s14() -> Scenario:
    sc = Scenario(14, "lunar-banner-inventory", "Players cannot open their inventory after the "
                  "new banner opened; API 4XX alarm.", "ap-northeast-2", 6114,
                  "2026-01-30T11:20:00+00:00")
    api, fn = "gacha-api", "inventory-read"
    RATE = 2000
    sc.resource("apigateway", api, stage="live", api_id="g2m7k4p9wq", integration="lambda-proxy",
                throttling_rate_limit=RATE, throttling_burst_limit=4000,
                access_log_group="/aws/apigateway/gacha-api-live-access")
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=5, memory_size=256,
                handler="bootstrap (Go 1.22)")
    OPEN, DAILY = -2100, -4800

    def legit(t):
        return 36000 * diurnal(sc, t, 11.0, 0.2) * (1 + bump(t, DAILY, DAILY + 1500, 1.0, 200)
                                                    + 1.6 * ramp(t, OPEN, OPEN + 60))

    cap = RATE * 60.0

    def attempted(t):
        over = max(0.0, legit(t) * 1.15 - cap * 0.9) if t >= OPEN else 0.0
        storm = ramp(t, OPEN, OPEN + 120)
        return legit(t) + storm * (0.55 * legit(t) + 2.2 * over)

    def accepted(t):
        return min(attempted(t), cap * (0.985 + 0.01 * math.sin(t / 97.0)))

    def thr(t):
        return max(0.0, attempted(t) - accepted(t)) / attempted(t)

    ad = {"ApiName": api}
    cnt = put(sc, "AWS/ApiGateway", "Count", ad, "Count", attempted, integer=True, noise=0.015)
    part(sc, "AWS/ApiGateway", "4XXError", ad, cnt, lambda t: 0.015 + thr(t))
    part(sc, "AWS/ApiGateway", "5XXError", ad, cnt, lambda t: 0.0002 * accepted(t) / attempted(t))
    put(sc, "AWS/ApiGateway", "Latency", ad, "Milliseconds", lambda t: 48 - 30 * thr(t), noise=0.08)
    put(sc, "AWS/ApiGateway", "IntegrationLatency", ad, "Milliseconds", lambda t: 37.0, noise=0.08)
    out = lambda_set(sc, fn, lambda t: accepted(t) * 0.985, lambda t: 0.0003, lambda t: 34.0)

    rng = sc.rng
    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 5, mem_used=(38, 3),
                    epochs=((-10 ** 9, "$LATEST"),), retire=(-2220,))

    def body(ll, t, rid, is_err, cold):
        uid = rng.randint(10 ** 8, 10 ** 9)
        if is_err:
            return {"lines": [(0.02, slog(sc, t, "error", "inventory fetch failed", request_id=rid,
                                          user=uid, err="decode inventory blob: unexpected EOF"))], "dur": 40.0}
        line = slog(sc, t, "info", "inventory served", request_id=rid, user=uid,
                    items=rng.randint(20, 900), build="3.9.1" if t >= -2220 else "3.9.0",
                    dur_ms=rng.randint(12, 60))
        return {"lines": [(0.03, line)], "dur": max(5.0, rng.gauss(34, 8))}
    si, se = sampled(sc, out["inv"], out["err"], 0.00003, cap=3, err_boost=3)
    ll.run(si, se, body)
    ag, ast = "/aws/apigateway/gacha-api-live-access", "g2m7k4p9wq_live"

    def acc(t):
        r = rng.random()
        st, msg, lat = "200", "-", str(rng.randint(20, 70))
        if r < thr(t):
            st, msg, lat = "429", "Too Many Requests", "-"
        elif r < thr(t) + 0.015:
            st, msg, lat = "401", "Unauthorized", "-"
        d = sc.at(t)
        return jline({"requestId": sc.uuid(), "ip": f"211.{rng.randint(36, 250)}.{rng.randint(0, 255)}."
                      f"{rng.randint(1, 254)}", "requestTime": d.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                      "httpMethod": "GET", "resourcePath": "/v2/inventory", "status": st,
                      "protocol": "HTTP/1.1", "responseLength": "41" if st != "200" else
                      str(rng.randint(2000, 30000)), "integrationLatency": lat,
                      "errorMessage": msg, "userAgent": "GachaClient/7.2.0 (iOS 18.2)"})
    emit(sc, ag, ast, lambda t: 5.0, acc)
    sc.change(-2220, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "argo-release")
    sc.change(-9800, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Stage",
              f"{api}/live", "argo-release")
    sc.alarm("gacha-api-4xx", "AWS/ApiGateway", "4XXError", ad, "Sum", 60, 3, 3000,
             "GreaterThanThreshold", "Gacha API client errors")
    sc.alarm("gacha-api-latency", "AWS/ApiGateway", "Latency", ad, "Average", 60, 5, 500,
             "GreaterThanThreshold")
    sc.alarm("inventory-read-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 50,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "gacha-api-4xx",
                 "root_cause": {"category": "throttling", "resource": [api]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "4XXError",
                                "dimensions": ad}]}
    sc.meta = dict(front="origin", services="API Gateway (JSON access logs), Lambda (Go, slog JSON)",
                   decoys="inventory-read deploy 2 min before onset; daily 19:00 KST peak (2x); "
                          "steady 401s inside the same 4XX metric")
    return sc
