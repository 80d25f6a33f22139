"""h67-13 (internal ALB -> ECS Go service bad deployment, us-east-1) and
h67-14 (API Gateway stage throttling setting changed, eu-west-1)."""
from __future__ import annotations

from . import kit
from .common import Scenario, bump, ramp, step
from .runtimes import LambdaLogs, jline


def _logfmt(sc, t, level, msg, **kw):
    parts = [f"time={sc.iso(t)}", f"level={level}", f'msg="{msg}"']
    for k, v in kw.items():
        v = str(v)
        parts.append(f'{k}="{v}"' if (" " in v or "=" in v) else f"{k}={v}")
    return " ".join(parts)


# =========================================================================== 13
def build_13() -> Scenario:
    sc = Scenario(13, "inventory-alb-5xx-use1", "internal inventory ALB 5xx alarm in "
                  "us-east-1; add-to-cart intermittently failing for bundles.", "us-east-1",
                  67013, "2026-12-08T14:45:00")
    EU = "eu-west-1"
    dep = -2600
    roll = lambda t: ramp(t, dep + 60, dep + 360)  # noqa: E731 new tasks replace old ones
    lbs = {r: kit.alb_id(sc, "inventory-int") for r in ("us-east-1", EU)}
    for reg in ("us-east-1", EU):
        sc.resource("alb", lbs[reg], region=reg, name="inventory-int", scheme="internal")
        sc.resource("ecs", "shop/inventory", region=reg, launch_type="FARGATE", desired_count=6,
                    log_group="/ecs/inventory")
        sc.resource("lambda", "restock-notifier", region=reg, runtime="provided.al2023",
                    timeout=30, memory_size=256)
    lu, le = kit.load(sc, "us-east-1", 0.25, 13), kit.load(sc, EU, 0.25, 13)
    kit.alb(sc, lbs["us-east-1"], lambda t: 2200 * lu(t), lambda t: 0.021 + 0.004 * roll(t),
            t5=lambda t: 0.5, e5=lambda t: 0.2 + 62 * roll(t) * lu(t), healthy=lambda t: 6)
    kit.alb(sc, lbs[EU], lambda t: 1700 * le(t), lambda t: 0.02, t5=lambda t: 0.4,
            e5=lambda t: 0.1, healthy=lambda t: 6, region=EU)
    kit.ecs(sc, "shop", "inventory", lambda t: 31 * lu(t) + 15 * bump(t, dep, dep + 420, 1, 60),
            lambda t: 38, tasks=lambda t: 6 + 6 * bump(t, dep + 30, dep + 400, 1, 30))
    kit.ecs(sc, "shop", "inventory", lambda t: 29 * le(t), lambda t: 37, tasks=lambda t: 6,
            region=EU)
    kit.lam(sc, "restock-notifier", lambda t: 3 + 40 * bump(t, -2580, -2200, 1, 60),
            lambda t: 420, ratio=lambda t: 0.0)
    kit.lam(sc, "restock-notifier", lambda t: 3, lambda t: 410, region=EU)

    g = "/ecs/inventory"
    old = [kit.task_id(sc) for _ in range(2)]
    new = [kit.task_id(sc) for _ in range(2)]
    paths = ["/v1/stock/{s}", "/v1/reserve", "/v1/reserve", "/v1/release"]

    def mk(end_old):
        def req(t):
            p = kit.pick(sc, paths).format(s=f"SKU-{sc.rng.randint(10 ** 5, 10 ** 6)}")
            return _logfmt(sc, t, "info", "request", method="POST" if "stock" not in p else "GET",
                           path=p, status=200, dur=f"{sc.rng.uniform(3, 30):.1f}ms",
                           trace_id=sc.hexid(16))
        return req
    for i, tid in enumerate(old + new):
        st = f"inventory/inventory/{tid}"
        is_new = i >= 2
        start, end = (dep + 70 + i * 20, 0) if is_new else (-10800, dep + 300 + i * 40)
        kit.sprinkle(sc, g, st, lambda t: 4 * lu(t), mk(end), start=start, end=end)
        kit.sprinkle(sc, g, st, lambda t: 0.4, lambda t: _logfmt(
            sc, t, "warn", "slow query", table="stock_levels",
            dur=f"{sc.rng.uniform(1.0, 2.4):.2f}s"), start=start, end=end)
        kit.sprinkle(sc, g, st, lambda t: 0.3, lambda t: _logfmt(
            sc, t, "error", "reservation conflict", err="version mismatch: expected "
            f"{sc.rng.randint(10, 99)} got {sc.rng.randint(10, 99)}",
            sku=f"SKU-{sc.rng.randint(10 ** 5, 10 ** 6)}"), start=start, end=end)
        v = "v3.41.0" if is_new else "v3.40.2"
        sc.log(g, st, start - 1, _logfmt(sc, start - 1, "info", "starting inventory service",
                                         version=v, go="go1.23.4", addr=":8080"))
        if not is_new:
            sc.log(g, st, end + 0.5, _logfmt(sc, end + 0.5, "info", "shutdown signal received, "
                                             "draining", signal="SIGTERM"))
            continue
        def panic(t):
            return (f"{sc.at(t).strftime('%Y/%m/%d %H:%M:%S')} http: panic serving "
                    f"10.12.{sc.rng.randint(1, 40)}.{sc.rng.randint(2, 250)}:"
                    f"{sc.rng.randint(30000, 60000)}: runtime error: invalid memory address or nil "
                    "pointer dereference\ngoroutine " + str(sc.rng.randint(1000, 90000)) +
                    " [running]:\nnet/http.(*conn).serve.func1()\n\t/usr/local/go/src/net/http/"
                    "server.go:1947 +0xbe\npanic({0xa1e0c0?, 0x1130f20?})\n\t/usr/local/go/src/"
                    "runtime/panic.go:785 +0x132\ngithub.com/northwind-retail/inventory/internal/"
                    "reserve.(*Service).expandBundle(0xc0001a2000, {0xc00042e1b0, 0x10})\n\t/src/"
                    "internal/reserve/bundle.go:57 +0x4a\ngithub.com/northwind-retail/inventory/"
                    "internal/reserve.(*Handler).Reserve(0xc000126480, {0xbf3a28, 0xc0003c8000}, "
                    "0xc000412a00)\n\t/src/internal/reserve/handler.go:112 +0x2d1")
        kit.sprinkle(sc, g, st, lambda t: 5 * lu(t), panic, start=start)
    sc.change(dep - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "inventory:88", "github-actions")
    sc.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/inventory",
              "github-actions")
    sc.change(-2570, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "restock-notifier", "k.osei")
    sc.change(-2480, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/inventory",
              "github-actions", region=EU)
    sc.change(-2500, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "inventory:61", "github-actions", region=EU)
    sc.alarm("inventory-int-use1-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
             {"LoadBalancer": lbs["us-east-1"]}, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "internal inventory ALB 5xx (us-east-1)")
    sc.expect = {"alarm": "inventory-int-use1-5xx",
                 "root_cause": {"category": "bad_deployment",
                                "resource": ["shop/inventory", "inventory"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB",
                                "name": "HTTPCode_ELB_5XX_Count",
                                "dimensions": {"LoadBalancer": lbs["us-east-1"]}}]}
    sc.meta = dict(front="front (internal ALB)", services="ALB, ECS (Go/logfmt), Lambda (Go)",
                   decoys="restock-notifier config change 30 s after the deploy (plus its "
                          "invocation spike); inventory deploy in eu-west-1 just after; old "
                          "slow-query warnings and reservation conflicts",
                   judgement=(
        "The eu-west-1 deploy of the same service (task definition inventory:61, a different "
        "revision) is healthy; only the us-east-1 rollout of inventory:88/v3.41.0 panics."),
                   story=(
        "`shop/inventory` in us-east-1 is rolled to task definition `inventory:88` "
        "(v3.41.0). As the new tasks replace the old ones, the internal ALB's ELB 5xx climb to "
        "~60 a minute while target response time barely moves: every bundle reservation on the "
        "new tasks hits `http: panic serving ...: runtime error: invalid memory address or nil "
        "pointer dereference` in `reserve.(*Service).expandBundle`, a signature absent from the "
        "v3.40.2 tasks' three hours of logs. Decoys: `restock-notifier` got a configuration "
        "update 30 s later and shows a burst of invocations, the eu-west-1 service was "
        "redeployed (another revision, healthy) two minutes after, and `slow query` / "
        "`reservation conflict` lines are old."))
    return sc


# =========================================================================== 14
def build_14() -> Scenario:
    sc = Scenario(14, "storefront-api-4xx-euw1", "storefront-api 4XX alarm in eu-west-1; mobile "
                  "app shows 'Too many requests' on product pages.", "eu-west-1", 67014,
                  "2026-12-09T18:30:00")
    US = "us-east-1"
    cause, decoy = -2160, -2120
    for reg in ("eu-west-1", US):
        sc.resource("apigateway", "storefront-api", region=reg, stage="prod",
                    endpoint="REGIONAL", access_log_group="/apigw/storefront-api/prod")
        sc.resource("lambda", "catalog-read", region=reg, runtime="nodejs22.x", timeout=10,
                    memory_size=512)
    le, lu = kit.load(sc, "eu-west-1", 0.3, 19), kit.load(sc, US, 0.3, 19)
    cap = 50 * 60 * 1.05  # 50 rps steady-state limit on the stage after the change
    dem = lambda t: 60 * le(t)  # noqa: E731 requests per minute / 60 sampled below
    lim = lambda t: step(t, cause + 8, 0, 1)  # noqa: E731
    total = lambda t: 4200 * le(t)  # noqa: E731
    served = lambda t: total(t) if not lim(t) else min(total(t), cap)  # noqa: E731
    kit.apigw(sc, "storefront-api", total, lambda t: 48 - 20 * lim(t),
              e4=lambda t: 9 + (total(t) - served(t)) * lim(t), e5=lambda t: 0.4,
              ilat=lambda t: 40 - 0 * lim(t))
    kit.apigw(sc, "storefront-api", lambda t: 5200 * lu(t), lambda t: 47, e4=lambda t: 11,
              e5=lambda t: 0.5, region=US)
    kit.lam(sc, "catalog-read", lambda t: served(t) * 0.985, lambda t: 36,
            ratio=lambda t: 0.0004, conc=lambda t: 4)
    kit.lam(sc, "catalog-read", lambda t: 5200 * lu(t) * 0.985, lambda t: 35,
            ratio=lambda t: 0.0004, conc=lambda t: 4, region=US)

    g, s = "/apigw/storefront-api/prod", "access"
    res = ["/products/{id}", "/products", "/categories/{slug}", "/search"]

    def acc(t):
        r = kit.pick(sc, res)
        throttled = lim(t) and sc.rng.random() < (1 - served(t) / total(t))
        bad = not throttled and sc.rng.random() < 0.002
        st = 429 if throttled else (404 if bad else 200)
        return jline({"requestId": sc.uuid(), "ip": sc.ip("81.2"), "requestTime": sc.at(t).strftime(
            "%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": "GET", "resourcePath": r, "status": str(st),
            "protocol": "HTTP/1.1", "responseLength": "35" if throttled else str(sc.rng.randint(900, 9000)),
            "integrationLatency": "-" if throttled else str(sc.rng.randint(18, 60)),
            "errorMessage": "Too Many Requests" if throttled else ("-" if not bad else "Not Found")})
    kit.sprinkle(sc, g, s, lambda t: 8 * le(t), acc)
    kit.sprinkle(sc, "/apigw/storefront-api/prod", "access", lambda t: 0.15, lambda t: jline({
        "requestId": sc.uuid(), "ip": sc.ip("81.2"), "requestTime": sc.at(t).strftime(
            "%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": "POST", "resourcePath": "/wishlist",
        "status": "403", "protocol": "HTTP/1.1", "responseLength": "61", "integrationLatency": "-",
        "errorMessage": "Missing Authentication Token"}), start=-21600)

    ll = LambdaLogs(sc, "catalog-read", "nodejs22.x", 512, 10, mem_used=(110, 8),
                    epochs=((-10 ** 9, "$LATEST"),), retire=(decoy,), prewarm=-5340)

    def body(ll_, t, rid, is_err, cold):
        d = max(8.0, sc.rng.gauss(36, 9))
        lines = [(d / 1000 - 0.002, ll_.fmt(t + d / 1000, rid, "INFO", jline(
            {"msg": "served", "route": kit.pick(sc, res), "cache": kit.pick(sc, ["hit", "miss", "hit"]),
             "ms": int(d)})))]
        if sc.rng.random() < 0.02:
            lines.insert(0, (0.003, ll_.fmt(t, rid, "WARN", jline(
                {"msg": "price missing for variant, hiding", "sku": sc.hexid(8)}))))
        return {"dur": d, "lines": lines}
    sample = {m: max(1, round(v / 450)) for m, v in kit.counts_per_minute(
        [served(t) for t in kit.GRID], -5400, 0).items()}
    ll.run(sample, {}, body)
    sc.change(-5400, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              "storefront-api/prod", "t.brennan", region=US)
    sc.change(cause, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              "storefront-api/prod", "t.brennan")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "catalog-read", "gha-catalog")
    sc.alarm("storefront-api-euw1-4xx", "AWS/ApiGateway", "4XXError",
             {"ApiName": "storefront-api"}, "Sum", 60, 3, 100, "GreaterThanThreshold",
             "storefront-api 4XX (eu-west-1)")
    sc.expect = {"alarm": "storefront-api-euw1-4xx",
                 "root_cause": {"category": "config_change", "resource": ["storefront-api"]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "4XXError",
                                "dimensions": {"ApiName": "storefront-api"}}]}
    sc.meta = dict(front="origin (API Gateway)", services="API Gateway (JSON access logs), "
                   "Lambda (Node.js 22)",
                   decoys="catalog-read code deploy 40 s after the stage update; the same "
                          "stage updated in us-east-1 earlier; steady 403/404s",
                   judgement=(
        "The symptom is throttling (429 Too Many Requests), but the trigger is the stage "
        "settings update minutes before: per the tie-break the more specific trigger wins, so "
        "config_change at storefront-api. The catalog-read deploy cannot explain 429s issued "
        "before the integration is called (integrationLatency '-', Lambda invocations fall)."),
                   story=(
        "Right after `t.brennan` runs UpdateStage on `storefront-api/prod` in eu-west-1, about "
        "40 % of requests get `429 Too Many Requests` from API Gateway itself: the access "
        "log shows status 429, responseLength 35 and no integration latency, and "
        "`catalog-read` Invocations drop to a flat ~3,150 a minute (a 50 rps stage limit) "
        "while its errors and duration stay unchanged. Traffic is ordinary evening volume. "
        "Decoys: `catalog-read` was deployed 40 s after the stage update (its logs show "
        "nothing new), the us-east-1 stage was updated earlier in the day without effect, and "
        "403 `Missing Authentication Token` / 404 responses are steady."))
    return sc
