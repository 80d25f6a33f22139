"""Hold-out cases 01-04: ECS bad image, Lambda env change, IAM on EC2 fleet, DB lock contention."""
from __future__ import annotations

import json

from .kit import Scenario, bump, epoch_ms, iso, lambda_request, lambda_stream, pg, plain, ramp, sample_times, \
    spring, wave


def hold_01() -> Scenario:
    """ECS rolling deploy of a new image breaks product pages; ALB 5XX alarm fires."""
    sc = Scenario("hold-01-storefront-rollout", "Storefront returning 5XX on product pages; ALB target 5XX alarm "
                  "paged the web on-call.", "us-west-2", seed=101)
    alb = "app/storefront-prod/7f3a9c21be04d5e6"
    tg = "targetgroup/storefront-web-tg/0c1d2e3f4a5b6c7d"
    onset, reg, upd = -1680, -1985, -1950
    sc.resource("alb", alb, name="storefront-prod", scheme="internet-facing", target_groups=[tg])
    sc.resource("ecs", "shop-prod/storefront-web", launch_type="FARGATE", desired_count=6, cpu=1024, memory=2048,
                task_definition="storefront-web:215")
    sc.resource("ecs", "shop-prod/cart-svc", launch_type="FARGATE", desired_count=3, task_definition="cart-svc:88")
    sc.resource("lambda", "img-thumbnailer", runtime="nodejs20.x", timeout=60, memory_size=1536)
    sc.resource("ec2", "i-0f4e2a9b7c1d3e580", name="ops-jumpbox", instance_type="t3.small")

    req = lambda t: 2400 * wave(t, 10800, 0.06)
    bad_share = lambda t: ramp(t, -1900, -1640, 0.0, 0.075)  # new tasks replace old ones over ~4 min
    sc.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req, count=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: 0.6 + req(t) * bad_share(t), count=True, sparse=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: req(t) * 0.012, count=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: 0.15 + (1.5 if -1960 < t < -1700 else 0), count=True, sparse=True)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds",
              lambda t: 0.084 - 0.01 * bad_share(t) / 0.075 + (0.03 if -1960 < t < -1700 else 0), rel=0.12,
              digits=4)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", {"TargetGroup": tg, "LoadBalancer": alb}, "Count",
              lambda t: 6 + (3 if -1920 < t < -1620 else 0) - (1 if -1700 < t < -1620 else 0), digits=0)
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"TargetGroup": tg, "LoadBalancer": alb}, "Count",
              lambda t: 1 if -1925 < t < -1895 else 0, digits=0)
    sc.metric("AWS/ECS", "CPUUtilization", {"ClusterName": "shop-prod", "ServiceName": "storefront-web"}, "Percent",
              lambda t: 34 * wave(t, 10800, 0.06) + (9 if -1920 < t < -1800 else 0), rel=0.08)
    sc.metric("AWS/ECS", "MemoryUtilization", {"ClusterName": "shop-prod", "ServiceName": "storefront-web"},
              "Percent", lambda t: 47 - (12 if -1900 < t < -1500 else 0) + ramp(t, -1500, -60, 0, 10), rel=0.02)
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", {"ClusterName": "shop-prod",
              "ServiceName": "storefront-web"}, "Count",
              lambda t: 6 + (3 if -1930 < t < -1640 else 0), digits=0)
    sc.metric("AWS/ECS", "CPUUtilization", {"ClusterName": "shop-prod", "ServiceName": "cart-svc"}, "Percent",
              lambda t: 21 * wave(t, 10800, 0.05), rel=0.1)
    sc.metric("AWS/ECS", "MemoryUtilization", {"ClusterName": "shop-prod", "ServiceName": "cart-svc"}, "Percent",
              lambda t: 38, rel=0.02)
    # benign: a catalog import hammers the thumbnailer right around the rollout
    thumbs = lambda t: 28 + bump(t, -2350, -1250, 410)
    sc.metric("AWS/Lambda", "Invocations", {"FunctionName": "img-thumbnailer"}, "Count", thumbs, count=True)
    sc.metric("AWS/Lambda", "Errors", {"FunctionName": "img-thumbnailer"}, "Count", lambda t: 0.05, count=True)
    sc.metric("AWS/Lambda", "Duration", {"FunctionName": "img-thumbnailer"}, "Milliseconds",
              lambda t: 780 + bump(t, -2350, -1250, 240), rel=0.1)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", {"FunctionName": "img-thumbnailer"}, "Count",
              lambda t: thumbs(t) * 0.8 / 60 * 1.1, rel=0.15, digits=0)
    sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": "i-0f4e2a9b7c1d3e580"}, "Percent", lambda t: 3, sd=1)

    sc.change(-2110, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "img-thumbnailer", "r.okafor")
    sc.change(reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "storefront-web",
              "github-actions-deploy")
    sc.change(upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/storefront-web",
              "github-actions-deploy")
    sc.change(-9400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/cart-svc",
              "github-actions-deploy")

    # ---- logs: pino JSON from old (v4.17.3) and new (v4.18.0) tasks
    paths = ["/p/sku-{n}", "/c/outdoor/{n}", "/", "/search?q=tent", "/p/sku-{n}", "/api/cart"]

    def line(t: float, host: str, level: int, msg: str, **extra: object) -> tuple[float, str]:
        rec = {"level": level, "time": epoch_ms(t), "pid": 1, "hostname": host, **extra, "msg": msg}
        return t, json.dumps(rec, separators=(",", ":"))

    def task_stream(start: float, stop: float, version: str, git: str, broken: bool) -> None:
        task = sc.hexid()
        host = f"ip-10-42-{sc.rng.randint(1, 9)}-{sc.rng.randint(10, 250)}.us-west-2.compute.internal"
        ev = [line(start, host, 30, f"storefront-web v{version} (git {git}) listening on :3000", env="production")]
        for t in sample_times(sc, start + 5, stop, 3.2):
            path = sc.rng.choice(paths).format(n=sc.rng.randint(10000, 99999))
            rid = sc.hexid(16)
            if sc.rng.random() < 0.09:  # long-standing noise, same rate in old and new tasks
                ev.append(line(t + 0.03, host, 50, "recommendations widget fetch failed", reqId=rid,
                               err={"type": "FetchError", "message": "request to http://recs.shop-prod.internal:8080/"
                                    "v2/similar failed, reason: socket hang up", "code": "ECONNRESET"}))
            if broken and path.startswith("/p/") and sc.rng.random() < 0.55:
                err = {"type": "TypeError", "message": "Cannot read properties of undefined (reading 'currency')",
                       "stack": "TypeError: Cannot read properties of undefined (reading 'currency')\n"
                                "    at formatPrice (/app/dist/lib/price.js:27:31)\n"
                                "    at ProductPage (/app/dist/pages/product.js:112:18)\n"
                                "    at renderWithHooks (/app/node_modules/react-dom/cjs/react-dom-server.node.production.min.js:68:241)\n"
                                "    at async renderPage (/app/dist/server/render.js:54:9)"}
                ev.append(line(t, host, 50, "unhandled error while rendering page", reqId=rid, route="/p/:sku", err=err))
                ev.append(line(t + 0.004, host, 30, "request completed", reqId=rid,
                               req={"method": "GET", "url": path}, res={"statusCode": 500}, responseTime=18))
                continue
            ev.append(line(t + 0.06, host, 30, "request completed", reqId=rid, req={"method": "GET", "url": path},
                           res={"statusCode": 200}, responseTime=sc.rng.randint(20, 140)))
        if stop < -70:
            ev.append(line(stop, host, 30, "received SIGTERM, draining connections"))
        sc.log("/ecs/shop-prod/storefront-web", f"storefront-web/storefront-web/{task}", ev)

    for stop in (-1880, -1760, -1700):
        task_stream(-7200, stop, "4.17.3", "1c0ad54", False)
    for start in (-1900, -1880, -1790):
        task_stream(start, -60, "4.18.0", "9b2e1f7", True)

    sc.alarm("storefront-prod-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb},
             statistic="Sum", period=60, evaluation_periods=3, threshold=50, state_changed=-1560,
             description="storefront ALB target 5XX > 50/min")
    sc.expect("storefront-prod-target-5xx", "bad_deployment", ["shop-prod/storefront-web", "storefront-web"],
              [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}])
    sc.notes = {"cause": "ECS rolling deploy storefront-web:215 (v4.18.0) -> TypeError in formatPrice on /p/ pages",
                "decoys": "img-thumbnailer config change 7 min before onset + its invocation spike (catalog import) "
                          "spanning onset; steady 'socket hang up' recs errors in both old and new tasks; cart-svc "
                          "deploy 2.6 h earlier"}
    return sc


def _powertools(t: float, level: str, msg: str, rid: str, cold: bool, **extra: object) -> str:
    rec = {"level": level, "location": extra.pop("location", "handler:58"), "message": msg,
           "timestamp": plain(t).replace(",", ",") + "+0000", "service": "quote-pricer", "cold_start": cold,
           "function_name": "quote-pricer", "function_memory_size": "512",
           "function_arn": "arn:aws:lambda:eu-central-1:550912734018:function:quote-pricer",
           "function_request_id": rid, **extra}
    return json.dumps(rec, separators=(",", ":"))


def hold_02() -> Scenario:
    """Env var changed to a value the code does not know; POST /quotes fails. API Gateway 5XX alarm."""
    sc = Scenario("hold-02-quotes-edge-5xx", "Quote requests failing for brokers; quotes-edge API 5XX alarm in "
                  "ALARM.", "eu-central-1", seed=202)
    onset, cfg = -1262, -1320
    api = "quotes-edge"
    sc.resource("apigateway", api, api_id="k2x9wq7t1b", stage="live", endpoint_type="REGIONAL")
    sc.resource("lambda", "quote-pricer", runtime="python3.12", timeout=10, memory_size=512,
                environment={"PRICING_MODE": "tiered-v2", "RATES_TABLE": "fx-rates-live", "POWERTOOLS_SERVICE_NAME":
                             "quote-pricer", "LOG_LEVEL": "INFO"})
    sc.resource("lambda", "broker-sync", runtime="python3.12", timeout=120, memory_size=1024)
    sc.resource("ecs", "quotes/ui-bff", desired_count=2, launch_type="FARGATE")

    req = lambda t: 88 * wave(t, 9000, 0.1, 1.0)
    post_share = 0.62
    fail = lambda t: post_share if t >= onset else 0.0
    for dims in ({"ApiName": api}, {"ApiName": api, "Stage": "live"}):
        sc.metric("AWS/ApiGateway", "Count", dims, "Count", req, count=True)
        sc.metric("AWS/ApiGateway", "5XXError", dims, "Count", lambda t: req(t) * fail(t) + 0.02, count=True)
        sc.metric("AWS/ApiGateway", "4XXError", dims, "Count", lambda t: req(t) * 0.035, count=True)
        sc.metric("AWS/ApiGateway", "Latency", dims, "Milliseconds",
                  lambda t: 165 - (55 if t >= onset else 0) + (420 if cfg < t < cfg + 120 else 0), rel=0.15)
        sc.metric("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds",
                  lambda t: 140 - (55 if t >= onset else 0) + (420 if cfg < t < cfg + 120 else 0), rel=0.15)
    fn = {"FunctionName": "quote-pricer"}
    sc.metric("AWS/Lambda", "Invocations", fn, "Count", req, count=True)
    sc.metric("AWS/Lambda", "Errors", fn, "Count", lambda t: req(t) * fail(t), count=True)
    sc.metric("AWS/Lambda", "Throttles", fn, "Count", lambda t: 0, count=True)
    sc.metric("AWS/Lambda", "Duration", fn, "Milliseconds",
              lambda t: 118 - (60 if t >= onset else 0) + (380 if cfg < t < cfg + 120 else 0), rel=0.18)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", fn, "Count", lambda t: 3.2, rel=0.3, digits=0)
    bs = {"FunctionName": "broker-sync"}
    sc.metric("AWS/Lambda", "Invocations", bs, "Count", lambda t: 12 + bump(t, -1790, -1500, 30), count=True)
    sc.metric("AWS/Lambda", "Errors", bs, "Count", lambda t: 0.03, count=True)
    sc.metric("AWS/Lambda", "Duration", bs, "Milliseconds", lambda t: 2300 + bump(t, -1790, -1560, 4100, 60), rel=0.1)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", bs, "Count", lambda t: 1 + bump(t, -1790, -1500, 9), digits=0,
              rel=0.2)
    sc.metric("AWS/ECS", "CPUUtilization", {"ClusterName": "quotes", "ServiceName": "ui-bff"}, "Percent",
              lambda t: 12, rel=0.15)

    sc.change(-9020, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "quote-pricer", "gitlab-runner-prod")
    sc.change(-9005, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "quote-pricer",
              "gitlab-runner-prod")
    sc.change(-1800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "broker-sync",
              "gitlab-runner-prod")
    sc.change(-1788, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "broker-sync",
              "gitlab-runner-prod")
    sc.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "quote-pricer", "svc-terraform-eu")

    tb = ("Traceback (most recent call last):\n"
          "  File \"/var/task/pricer/handler.py\", line 66, in handler\n"
          "    strategy = strategies.resolve(settings.pricing_mode)\n"
          "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
          "  File \"/var/task/pricer/strategies.py\", line 31, in resolve\n"
          "    raise ValueError(f\"unknown pricing mode {mode!r}; expected one of {sorted(_REGISTRY)}\")\n"
          "ValueError: unknown pricing mode 'tiered-v2'; expected one of ['flat', 'tiered']")
    streams: dict[str, list] = {}
    env_epoch = 0
    cur = lambda_stream("2026/11/20", sc)
    seen_cold = set()
    for t in sample_times(sc, -6600, -60, 2.2):
        # new execution environments after the config update (and periodic recycling)
        if (t > cfg and env_epoch == 0) or sc.rng.random() < 0.004:
            env_epoch += 1
            cur = lambda_stream("2026/11/20", sc)
        cold = cur not in seen_cold
        seen_cold.add(cur)
        is_post = sc.rng.random() < post_share
        r = sc.rng.random()
        miss = sc.rng.random() < 0.25
        if r < 0.035:
            body = [(0.003, "{PT}BAD")]
            dur = sc.rng.uniform(8, 20)
        elif t >= onset and is_post:
            body = [(0.004, "{PT}ERR"), (0.006, "[ERROR] ValueError: unknown pricing mode 'tiered-v2'; expected one "
                                               "of ['flat', 'tiered']\n" + tb)]
            dur = sc.rng.uniform(40, 75)
        else:
            body = [(0.08, "{PT}OK")]
            dur = sc.rng.uniform(70, 190)
        if miss:
            body.insert(0, (0.002, "{PT}MISS"))
        rid, events = lambda_request(sc, t, dur, 512, sc.rng.randint(96, 118), body,
                                     init_ms=sc.rng.uniform(780, 1100) if cold else None)
        out = []
        for et, text in events:
            if text == "{PT}ERR":
                text = _powertools(et, "ERROR", "pricing failed", rid, cold, location="handler:71",
                                   exception=tb, exception_name="ValueError")
            elif text == "{PT}BAD":
                text = _powertools(et, "WARNING", "request validation failed: field 'notional' must be > 0", rid,
                                   cold, location="validate:40", statusCode=400)
            elif text == "{PT}MISS":
                pair = sc.rng.choice(["EUR/TRY", "EUR/ZAR", "GBP/HUF"])
                text = _powertools(et, "WARNING", f"rate cache miss for {pair}, falling back to live lookup", rid,
                                   cold, location="rates:88")
            elif text == "{PT}OK":
                text = _powertools(et, "INFO", "quote priced", rid, cold, quote_id=f"Q-{sc.rng.randint(10**6, 10**7)}",
                                   legs=sc.rng.randint(1, 4))
            out.append((et, text))
        streams.setdefault(cur, []).extend(out)
    for stream, ev in streams.items():
        sc.log("/aws/lambda/quote-pricer", stream, ev)
    bev = []
    for t in sample_times(sc, -6600, -60, 0.5):
        rid, ev = lambda_request(sc, t, sc.rng.uniform(1800, 2900), 1024, sc.rng.randint(300, 340),
                                 [(0.5, "[INFO]\t" + iso(t + 0.5) + "\t{rid}\tsynced " + str(sc.rng.randint(20, 90))
                                   + " broker records")], version="$LATEST")
        bev.extend(ev)
    sc.log("/aws/lambda/broker-sync", lambda_stream("2026/11/20", sc), bev)
    gw = []
    for t in sample_times(sc, onset, -60, 1.5):
        gw.append((t, f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function error: "
                      "unknown pricing mode 'tiered-v2'; expected one of ['flat', 'tiered']. Lambda request id: "
                      f"{sc.uuid()}"))
    for t in sample_times(sc, -6600, -60, 0.3):
        gw.append((t, f"({sc.uuid()}) Method completed with status: 400"))
    sc.log(f"API-Gateway-Execution-Logs_k2x9wq7t1b/live", sc.hexid(32), gw)

    sc.alarm("quotes-edge-live-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api, "Stage": "live"},
             statistic="Sum", period=60, evaluation_periods=2, threshold=5, state_changed=onset + 130,
             description="quotes-edge live stage 5XX")
    sc.expect("quotes-edge-live-5xx", "config_change", ["quote-pricer"],
              [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api, "Stage": "live"}}])
    sc.notes = {"cause": "UpdateFunctionConfiguration on quote-pricer set PRICING_MODE=tiered-v2 -> ValueError naming "
                         "the setting on every POST /quotes",
                "decoys": "broker-sync code deploy 8 min before onset with a cold-start Duration/concurrency spike; "
                          "quote-pricer's own code deploy 2.5 h earlier (no errors after it); steady 400 validation "
                          "warnings and rate-cache-miss warnings"}
    return sc


CASES = [hold_01, hold_02]
