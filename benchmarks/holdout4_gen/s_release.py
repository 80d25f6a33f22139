"""Releases and a non-incident: ECS image deploy (14), Java Lambda version behind API Gateway (15),
API Gateway 5XX blip with nothing behind it (10)."""
from __future__ import annotations

import json

import numpy as np

from . import lambdalogs as L
from .common import (LOG_FROM, N, T, Ctx, after, alarm, alb_metrics, apigw_metrics, change, ecs_metrics, find, log)


def s10():
    ctx = Ctx(1010, "2026-11-22T12:05:00")
    region = "eu-north-1"
    api, fn = "weather-api", L.LambdaFn("forecast-reader", "python3.12", 256, 10, region, base_mem=97)
    inv = ctx.counts(ctx.daily(24.0, 0.1))

    def ok(i, t, rid):
        d = float(ctx.rng.lognormal(np.log(48), 0.35))
        lines = []
        if ctx.rng.random() < 0.03:
            lines.append((0.002, "WARNING", "station SE-UPP-0421 missing observation for 11:00, interpolating"))
        lines.append((d / 1000 - 0.003, "INFO", f"forecast grid {ctx.rng.integers(100, 999)}/{ctx.rng.integers(100, 999)} "
                                                f"served from cache age={ctx.rng.integers(1, 900)}s"))
        return L.Outcome(d, lines)

    metrics, logs, errors = L.block(ctx, fn, inv, np.zeros(N), ok, ok, restarts=(-10500,))
    dur = np.array([p[1] for p in find(metrics, "Duration", FunctionName=fn.name)["points"]])
    e5 = ctx.counts(0.01)
    e5[T == -240], e5[T == -180] = 6, 4
    e4 = ctx.counts(0.8)
    metrics += apigw_metrics(api, inv + e4 + e5, e4, e5, dur + 19 + ctx.rng.normal(0, 2, N))
    al = alarm(ctx, "weather-api-5xx", find(metrics, "5XXError", ApiName=api), "Sum", 300, 1, 5,
               description="weather-api 5XX over 5 minutes")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-10-weather-api-5xx-blip",
        "description": "weather-api 5XX alarm fired; no customer reports so far.",
        "region": region,
        "resources": [{"type": "apigateway", "id": api, "properties": {"stage": "v1", "integration": f"lambda:{fn.name}"}},
                      {"type": "lambda", "id": fn.name, "properties": {"runtime": fn.runtime, "timeout": fn.timeout,
                                                                       "memory_size": fn.memory}}],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(-10500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                           fn.name, "ci-bot")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "unknown", "resource": [api, fn.name]},
                   "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "unknown", "resources": [api, fn.name],
            "decoys": "forecast-reader deployed ~3 h earlier (clean since); station-missing WARNING at a constant rate",
            "story": "Ten 5XX responses in two consecutive minutes tipped a sensitive 5-minute alarm. The Lambda "
                     "behind the API shows no errors, throttles or latency change, its logs are ordinary, request "
                     "volume is normal and nothing changed recently. There is no evidence for any cause; the honest "
                     "answer is 'unknown' (likely a transient on the managed side)."}
    return scenario, meta


def s14():
    ctx = Ctx(1414, "2026-11-24T20:50:00")
    region = "us-east-1"
    lb = "app/checkout-alb/1d7f3b5a9c2e4068"
    cluster, svc = "web", "cart-svc"
    mailer = L.LambdaFn("cart-abandon-mailer", "nodejs20.x", 256, 30, region, base_mem=90)
    deploy = -2280
    req = ctx.counts(ctx.daily(700, 0.15, phase=0.6))
    new = T >= deploy + 180
    t5 = np.where(new, ctx.counts(req * 0.045), ctx.counts(0.4))
    metrics = alb_metrics(lb, req, ctx.noise(0.045, 0.006) + np.where(new, 0.004, 0), t5, ctx.counts(0.03),
                          np.zeros(N), np.where((T >= deploy) & (T < deploy + 300), 6, 3).astype(float))
    rolling = (T >= deploy) & (T < deploy + 300)
    metrics += ecs_metrics(cluster, svc, ctx.noise(31, 3) + np.where(rolling, 12, 0), ctx.noise(47, 1.5),
                           np.where(rolling, 6, 3), np.full(N, 3.0))
    m2, l2, _ = L.quiet(ctx, mailer, 0.2, 800, lambda t: f"queued abandon reminder for cart c_{ctx.hex(10)}",
                        restarts=(-2640,))
    metrics += m2
    logs = list(l2)

    def pino(t, level, extra, msg, host):
        d = {"level": level, "time": int(ctx.wall(t).timestamp() * 1000), "pid": 1, "hostname": host,
             "reqId": f"req-{ctx.hex(4)}"}
        d.update(extra)
        d["msg"] = msg
        return t, json.dumps(d, separators=(",", ":"))

    for gen, (t0, t1) in enumerate(((LOG_FROM, deploy + 180), (deploy + 60, -60))):
        for k in range(3):
            host = f"ip-10-0-{ctx.rng.integers(1, 4)}-{ctx.rng.integers(10, 250)}.ec2.internal"
            ev = []
            for t in np.arange(t0, t1, 60):
                for _ in range(ctx.rng.poisson(3)):
                    s = t + ctx.rng.uniform(0, 60)
                    url = ctx.rng.choice(["/cart", "/cart/items", "/cart/apply-promo", "/cart/summary"])
                    ev.append(pino(s, 30, {"req": {"method": "GET" if url != "/cart/apply-promo" else "POST", "url": url},
                                           "res": {"statusCode": 200}, "responseTime": int(ctx.rng.integers(8, 90))},
                                   "request completed", host))
                if ctx.rng.random() < 0.12:
                    s = t + ctx.rng.uniform(0, 60)
                    ev.append(pino(s, 40, {"ms": int(ctx.rng.integers(700, 1400)), "sku": f"SKU-{ctx.hex(6)}"},
                                   "inventory check slow", host))
                if gen == 1 and t >= deploy + 180:
                    for _ in range(ctx.rng.poisson(7)):
                        s = t + ctx.rng.uniform(0, 60)
                        msg = "Cannot read properties of null (reading 'currency')"
                        ev.append(pino(s, 50, {"req": {"method": "POST", "url": "/cart/apply-promo"},
                                               "err": {"type": "TypeError", "message": msg,
                                                       "stack": f"TypeError: {msg}\n    at applyPromo (/usr/src/app/"
                                                                "dist/cart/pricing.js:88:41)\n    at async "
                                                                "CartController.applyPromo (/usr/src/app/dist/cart/"
                                                                "controller.js:52:17)"}}, "request errored", host))
            if gen == 0 and t1 > deploy:
                ev.append(pino(t1 - 30, 30, {"signal": "SIGTERM"}, "shutting down gracefully", host))
            if gen == 1:
                ev.insert(0, pino(t0 + 2, 30, {"version": "2026.11.24-3f9c1e2", "node": "v20.18.1"},
                                  "cart-svc listening on :8080", host))
            logs.append(log(f"/ecs/{svc}", f"ecs/{svc}/{ctx.hex(32)}", ev))
    al = alarm(ctx, "checkout-alb-target-5xx", find(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb), "Sum",
               60, 3, 15, description="checkout ALB target 5XX")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-14-cart-svc-release-typeerror",
        "description": "Customers report 'Something went wrong' when applying promo codes; checkout ALB 5XX alarm fired.",
        "region": region,
        "resources": [{"type": "alb", "id": lb, "properties": {"name": "checkout-alb"}},
                      {"type": "ecs", "id": f"{cluster}/{svc}", "properties": {
                          "cluster": cluster, "task_definition": f"{svc}:43", "desired_count": 3, "cpu": 512,
                          "memory": 1024}},
                      {"type": "lambda", "id": mailer.name, "properties": {"runtime": mailer.runtime,
                                                                           "timeout": mailer.timeout,
                                                                           "memory_size": mailer.memory}}],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(deploy - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
                           f"{svc}:43", "github-actions"),
                    change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}",
                           "github-actions"),
                    change(-2640, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
                           "AWS::Lambda::Function", mailer.name, "terraform")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "bad_deployment", "resource": [f"{cluster}/{svc}", svc]},
                   "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                  "dimensions": {"LoadBalancer": lb}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "bad_deployment", "resources": [f"{cluster}/{svc}", svc],
            "decoys": "config change (env vars) of cart-abandon-mailer Lambda 6 min before the deploy; 'inventory "
                      "check slow' warnings at a constant rate",
            "story": "GitHub Actions registered cart-svc:43 and rolled the service. The new build dereferences "
                     "`promo.currency` for carts whose promo has no currency, so POST /cart/apply-promo fails with "
                     "`TypeError: Cannot read properties of null (reading 'currency')` on the new tasks only (new log "
                     "streams). CPU and memory are normal; the mailer's configuration change is unrelated."}
    return scenario, meta


def s15():
    ctx = Ctx(1515, "2026-11-26T14:20:00")
    region = "ap-southeast-1"
    api, api_id = "loyalty-api", "p3x8v1m6zt"
    fn = L.LambdaFn("loyalty-points", "java17", 1024, 20, region, base_mem=212)
    job = L.LambdaFn("loyalty-expiry-job", "python3.12", 512, 600, region, base_mem=150)
    deploy = -1800
    inv = ctx.counts(ctx.daily(18.0, 0.15))
    bad = np.where(T >= deploy + 15, ctx.rng.binomial(inv.astype(int), 0.33), 0)
    npe = ('Cannot invoke "java.math.BigDecimal.multiply(java.math.BigDecimal)" because the return value of '
           '"com.acme.loyalty.model.Tier.getMultiplier()" is null')

    def ok(i, t, rid):
        d = float(ctx.rng.lognormal(np.log(140), 0.3))
        lines = []
        if ctx.rng.random() < 0.06:
            lines.append((0.004, "WARN", f"TierCache:71 - tier cache refresh took {ctx.rng.integers(1500, 2300)} ms"))
        lines.append((d / 1000 - 0.004, "INFO", f"PointsHandler:58 - accrued {ctx.rng.integers(5, 900)} points for "
                                                f"member M{ctx.rng.integers(1000000, 9999999)} tier="
                                                f"{ctx.rng.choice(['SILVER', 'GOLD', 'PLATINUM'])}"))
        return L.Outcome(d, lines)

    def fail(i, t, rid):
        d = float(ctx.rng.lognormal(np.log(60), 0.3))
        trace = (f"{npe}: java.lang.NullPointerException\njava.lang.NullPointerException: {npe}\n"
                 "\tat com.acme.loyalty.PointsCalculator.accrue(PointsCalculator.java:64)\n"
                 "\tat com.acme.loyalty.PointsHandler.handleRequest(PointsHandler.java:41)\n"
                 "\tat com.acme.loyalty.PointsHandler.handleRequest(PointsHandler.java:19)\n")
        o = L.Outcome(d, [(0.003, "INFO", f"PointsHandler:33 - accrual request member M{ctx.rng.integers(1000000, 9999999)} "
                                          "tier=BASIC")], kind="error")
        o.raw.append((d / 1000 - 0.002, trace))
        return o

    metrics, logs, errors = L.block(ctx, fn, inv, bad, ok, fail, restarts=(deploy,), versions=("13", "14"))
    dur = np.array([p[1] for p in find(metrics, "Duration", FunctionName=fn.name)["points"]])
    e4 = ctx.counts(0.4)
    metrics += apigw_metrics(api, inv + e4, e4, errors + ctx.counts(0.01), dur + 27)
    ex = []
    for i in np.nonzero(errors)[0]:
        if T[i] < LOG_FROM:
            continue
        for _ in range(int(errors[i])):
            t, r = T[i] + ctx.rng.uniform(0, 60), ctx.uuid()
            ex += [(t, f"({r}) Lambda execution failed with status 200 due to customer function error: {npe}. Lambda "
                       f"request id: {ctx.uuid()}"), (t + 0.001, f"({r}) Method completed with status: 502")]
    logs.append(log(f"API-Gateway-Execution-Logs_{api_id}/prod", ctx.hex(32), ex))
    m2, l2, _ = L.quiet(ctx, job, np.where(T % 3600 == 0, 1.0, 0.0), 95000,
                        lambda t: f"expired points for {ctx.rng.integers(100, 600)} members", restarts=(-5000,))
    metrics += m2
    logs += l2
    al = alarm(ctx, "loyalty-api-5xx", find(metrics, "5XXError", ApiName=api), "Sum", 60, 3, 3,
               description="loyalty-api prod 5XX")
    scenario = {
        "format": "aiops-scenario/v1", "name": "h4-15-loyalty-points-java-release",
        "description": "Points not credited for some purchases; loyalty-api 5XX alarm fired.",
        "region": region,
        "resources": [{"type": "apigateway", "id": api, "properties": {"api_id": api_id, "stage": "prod",
                                                                       "integration": f"lambda:{fn.name}:live"}},
                      {"type": "lambda", "id": fn.name, "properties": {"runtime": fn.runtime, "timeout": fn.timeout,
                                                                       "memory_size": fn.memory}},
                      {"type": "lambda", "id": job.name, "properties": {"runtime": job.runtime, "timeout": job.timeout,
                                                                        "memory_size": job.memory}}],
        "metrics": metrics, "logs": logs, "alarms": [al],
        "changes": [change(deploy - 40, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                           fn.name, "codepipeline"),
                    change(deploy - 25, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
                           fn.name, "codepipeline"),
                    change(deploy, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias",
                           fn.name, "codepipeline"),
                    change(-5000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
                           "AWS::Lambda::Function", job.name, "terraform")],
        "expect": {"alarm": al["name"], "root_cause": {"category": "bad_deployment", "resource": [fn.name]},
                   "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}},
                                 {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn.name}}]},
    }
    meta = {"region": region, "alarm": al["name"], "category": "bad_deployment", "resources": [fn.name],
            "decoys": "config change of loyalty-expiry-job 53 min before; tier-cache WARN at a constant rate",
            "story": "CodePipeline published loyalty-points version 14 and moved the `live` alias to it. The new "
                     "code reads a tier multiplier that is null for BASIC members, so a third of accruals throw "
                     "`java.lang.NullPointerException` (START lines switch from Version: 13 to 14, new log stream). "
                     "API Gateway turns the function errors into 502s."}
    return scenario, meta
