"""Held-out-2 scenarios 04-07."""
from __future__ import annotations

import json

from .common import Builder, arrivals, bump, daily, hexid, ramp, stamp
from .services import (alb_metrics, apigw_metrics, const, ec2_metrics, ecs_metrics, lambda_metrics, lambda_stream,
                       py_line)

GBF = 1024 ** 3


def s04_tiles_render_cpu() -> tuple[str, dict]:
    b = Builder("tiles-p99-latency", "Map tiles loading slowly in the app; p99 latency alarm on the tiles ALB.",
                "us-west-2", 204)
    r, onset = b.rng, -2400
    lb = "app/maps-tiles/2c4e6a8b0d1f3e57"
    hot, cold, warm = "i-04b7e2c91d3f5a860", "i-0c81d5f2a7e3b9104", "i-09a3f6d8b1c4e2705"
    b.resource("alb", lb, name="maps-tiles")
    b.resource("ec2", hot, name="tiles-render-b", instance_type="c7g.xlarge")
    b.resource("ec2", cold, name="tiles-render-a", instance_type="c7g.xlarge")
    b.resource("ec2", warm, name="tiles-cache-warmer", instance_type="t3.large")
    ec2_metrics(b, hot, cpu=lambda t: daily(44, 0.25, -1200)(t) + 60 * ramp(t, onset, 180),
                netin=daily(3.1e8, 0.25, -1200), mem=const(61.5), disk=const(52.3))
    ec2_metrics(b, cold, cpu=daily(46, 0.25, -1200), netin=daily(3.2e8, 0.25, -1200), mem=const(59.8),
                disk=const(51.7))
    ec2_metrics(b, warm, cpu=lambda t: 6 + 80 * bump(t, -2700, -2280, 60), netin=const(4e7), mem=const(38),
                disk=lambda t: 71 + 0.4 * ramp(t, -2700, 400))
    req = daily(5200, 0.25, -1200)
    alb_metrics(b, lb, req, trt=lambda t: 0.09 + 2.7 * ramp(t, onset + 60, 600),
                t5xx=lambda t: 1.2 + 5 * ramp(t, onset + 300, 300), e5xx=lambda t: 4 * ramp(t, onset + 300, 300),
                healthy=const(2), t4xx=const(40))
    b.change(-3050, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", warm, "ops-automation")
    b.change(-2650, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
             "sg-0a7c2e19d4b3f6081", "netops-priya")

    def access(iid, slow):
        ev = []
        for t in arrivals(r, lambda t: 3.5, -5400, 0):
            z = r.randint(3, 16)
            path = f"/tiles/v3/{z}/{r.randint(0, 2 ** z)}/{r.randint(0, 2 ** z)}.mvt"
            rt = r.uniform(0.01, 0.09)
            status = 200 if r.random() > 0.05 else 204
            if slow and t > onset:
                rt = r.uniform(1.5, 9.5)
                status = 504 if r.random() < 0.05 else status
                rt = 60.0 if status == 504 else rt
            ua = r.choice(["MapClient/5.2 (iOS 17.3)", "MapClient/5.2 (Android 14)", "Mozilla/5.0 maplibre-gl/3.6"])
            ev.append((t, f"10.8.{r.randint(0, 3)}.{r.randint(2, 250)} - - [{stamp(t, 'clf')}] \"GET {path} HTTP/1.1\""
                          f" {status} {r.randint(300, 40000)} \"-\" \"{ua}\" rt={rt:.3f} uct=\"0.000\" "
                          f"uht=\"{rt:.3f}\" urt=\"{rt:.3f}\""))
        return ev

    def renderd(slow):
        ev = []
        for t in arrivals(r, lambda t: 1.5, -21600, 0):
            ev.append((t, json.dumps({"level": "error", "ts": stamp(t), "caller": "style/fetch.go:88",
                                      "msg": "style fetch failed", "err": "GET https://glyphs.internal/fonts/"
                                      "Noto%20Sans%20Bold/0-255.pbf: 404 Not Found"})))
        for t in range(-7200, 0, 60):
            q = r.randint(0, 3)
            if slow and t > onset:
                q = int(180 + (t - onset) / 8 + r.randint(-20, 20))
            ev.append((t + 0.5, json.dumps({"level": "info", "ts": stamp(t), "caller": "render/pool.go:140",
                                            "msg": "pool stats", "workers": 8, "busy": 8 if q > 4 else r.randint(1, 5),
                                            "queue": q, "goroutines": 60 + q * 9})))
        if slow:
            for t in arrivals(r, lambda t: 2.0, onset, 0):
                ev.append((t, json.dumps({"level": "warn", "ts": stamp(t), "caller": "render/worker.go:211",
                                          "msg": "render exceeding budget", "z": 16, "x": r.randint(11000, 11100),
                                          "y": r.randint(26000, 26100), "layer": "buildings-3d",
                                          "elapsed_ms": r.randint(8000, 95000), "budget_ms": 2000})))
        return ev
    b.log("/maps/tiles/nginx-access", hot, access(hot, True))
    b.log("/maps/tiles/nginx-access", cold, access(cold, False))
    b.log("/maps/tiles/renderd", hot, renderd(True))
    b.log("/maps/tiles/renderd", cold, renderd(False))
    b.alarm("maps-tiles-p99-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "p99", 300, 2,
            1.5, -1800)
    b.expect("maps-tiles-p99-latency", "cpu_saturation", [hot, "tiles-render-b"],
             [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": hot}}])
    return "h2-04-tile-renderer-cpu-pinned", b.finish()


def s05_cart_bad_image() -> tuple[str, dict]:
    b = Builder("shop-cart-5xx", "Customers cannot add bundles to cart; shop-public ALB target 5xx alarm.",
                "us-east-1", 205)
    r, deploy, onset = b.rng, -2500, -2380
    lb = "app/shop-public/71f0b3d2c6a8e945"
    b.resource("alb", lb, name="shop-public", targets=["shop-core/cart-svc", "shop-core/catalog-svc"])
    b.resource("ecs", "shop-core/cart-svc", launch_type="FARGATE", desired_count=6, cpu=512, memory=1024,
               image="880214.dkr.ecr.us-east-1.amazonaws.com/cart-svc:2026.03.14-1")
    b.resource("ecs", "shop-core/catalog-svc", launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048)
    b.resource("lambda", "promo-scheduler", runtime="nodejs20.x", timeout=60, memory_size=256,
               environment={"PROMO_TABLE": "promos-prod", "TZ": "America/New_York"})
    ecs_metrics(b, "shop-core", "cart-svc", cpu=daily(31, 0.25, -1000), mem=lambda t: 46 - 8 * bump(t, deploy, -1200, 300),
                running=lambda t: 6 + 6 * bump(t, deploy + 20, onset + 30, 30))
    ecs_metrics(b, "shop-core", "catalog-svc", cpu=lambda t: 24 + 52 * bump(t, -2200, -1900, 60), mem=const(58),
                running=const(4))
    req = daily(2400, 0.3, -1000)
    alb_metrics(b, lb, req, trt=lambda t: 0.11 + 0.02 * ramp(t, onset, 60),
                t5xx=lambda t: 1 + 140 * ramp(t, onset, 240), e5xx=const(0.2), healthy=const(10), t4xx=const(25))
    lambda_metrics(b, "promo-scheduler", const(1), err=const(0), dur=const(1800), conc=const(1))
    b.change(-2900, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "promo-scheduler", "sre-mkhan")
    b.change(deploy - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "cart-svc",
             "github-actions-deploy")
    b.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-core/cart-svc",
             "github-actions-deploy")

    def line(t, level, msg, version, **extra):
        d = {"level": level, "time": int((t + 1.7e9) * 1000), "pid": 1, "hostname": f"ip-10-4-{r.randint(1, 60)}-"
             f"{r.randint(2, 250)}.ec2.internal", "version": version}
        d.update(extra)
        d["msg"] = msg
        return json.dumps(d)
    old, new = [], []
    for t in arrivals(r, lambda t: 9.0, -7200, 0):
        version = "2026.03.12-3" if t < onset else "2026.03.14-1"
        target = old if t < onset else new
        method, url = r.choice([("GET", "/cart"), ("POST", "/cart/items"), ("POST", "/cart/items"),
                                ("DELETE", "/cart/items/{id}"), ("GET", "/cart/summary")])
        reqd = {"id": rid_short(r), "method": method, "url": url.replace("{id}", hexid(r, 12))}
        if t > onset and url == "/cart/items" and r.random() < 0.6:
            stack = ("TypeError: Cannot read properties of undefined (reading 'currency')\n"
                     "    at priceLine (/app/dist/pricing/line.js:41:29)\n    at Array.map (<anonymous>)\n"
                     "    at bundleTotal (/app/dist/pricing/bundle.js:18:32)\n"
                     "    at CartService.addItem (/app/dist/cart/service.js:97:21)\n"
                     "    at async /app/dist/routes/items.js:23:5")
            target.append((t, line(t, 50, "request errored", version, req=reqd, res={"statusCode": 500},
                                   err={"type": "TypeError", "message": "Cannot read properties of undefined "
                                        "(reading 'currency')", "stack": stack})))
            continue
        target.append((t, line(t, 30, "request completed", version, req=reqd, res={"statusCode": 200},
                               responseTime=r.randint(8, 90))))
    for t in arrivals(r, lambda t: 1.5, -7200, 0):
        (old if t < onset else new).append((t, line(
            t, 50, "redis GET failed, serving from origin", "2026.03.12-3" if t < onset else "2026.03.14-1",
            err={"type": "TimeoutError", "message": "Command timed out after 250ms",
                 "stack": "TimeoutError: Command timed out after 250ms\n    at Timeout._onTimeout "
                          "(/app/node_modules/ioredis/built/Command.js:192:33)"}, key=f"cart:{hexid(r, 12)}")))
    b.log("/ecs/shop-core/cart-svc", "cart-svc/cart-svc/5c1e0a7d93b24f6e8d0c1b2a3f4e5d6c", old)
    b.log("/ecs/shop-core/cart-svc", "cart-svc/cart-svc/e2a94b7c61d04f85a3b2c1d0e9f8a7b6", new)
    b.alarm("shop-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
            300, 1, 250, -2100, "shop-public: targets returning 5xx")
    b.expect("shop-public-target-5xx", "bad_deployment", ["shop-core/cart-svc", "cart-svc"],
             [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}])
    return "h2-05-cart-image-regression", b.finish()


def rid_short(r) -> str:
    return f"{hexid(r, 8)}-{r.randint(1, 99999)}"


def s06_settlement_config() -> tuple[str, dict]:
    b = Builder("settlement-batches-failing", "Merchant settlement batches failing; Errors alarm on "
                "settlement-batcher.", "eu-central-1", 206)
    r, cfg = b.rng, -2040
    b.resource("lambda", "settlement-batcher", runtime="python3.12", timeout=60, memory_size=1024,
               environment={"BATCH_WINDOW_SECONDS": "5m", "ACQUIRER_ENDPOINT": "https://acq.nets.example/settle/v2",
                            "LOG_LEVEL": "INFO", "POWERTOOLS_SERVICE_NAME": "settlement"})
    b.resource("lambda", "refund-notifier", runtime="python3.12", timeout=30, memory_size=256)
    inv = daily(30, 0.2, -3600)
    lambda_metrics(b, "settlement-batcher", inv, err=lambda t: inv(t) if t > cfg + 15 else 0,
                   dur=lambda t: 9 if t > cfg else 2100, conc=lambda t: 1 if t > cfg else 2)
    rn = lambda t: 4 + 35 * bump(t, -2250, -1950, 60)  # noqa: E731
    lambda_metrics(b, "refund-notifier", rn, err=const(0.05), dur=const(420), conc=lambda t: 1 + rn(t) / 20)
    b.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "settlement-batcher", "gha-oidc-deploy")
    b.change(-8985, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "settlement-batcher",
             "gha-oidc-deploy")
    b.change(-2300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "refund-notifier", "gha-oidc-deploy")
    b.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "settlement-batcher", "AWSReservedSSO_PlatformPowerUser_4f1c/jlange")

    def body(t, req):
        lines = []
        if r.random() < 0.03:
            lines.append((0.4, py_line("ERROR", t, req, "AcquirerError: NETS returned 409 Conflict: batch already "
                                       "submitted (idempotent) -- ignoring")))
        if t > cfg + 15:
            lines.append((0.004, "[ERROR] ValueError: invalid literal for int() with base 10: '5m'\n"
                                 "Traceback (most recent call last):\n  File \"/var/task/settlement/handler.py\", "
                                 "line 34, in handler\n    window = settings.batch_window()\n  File \"/var/task/"
                                 "settlement/settings.py\", line 19, in batch_window\n    return int(os.environ["
                                 "\"BATCH_WINDOW_SECONDS\"])"))
            return lines, "error", r.uniform(4, 14), 71
        n = r.randint(20, 400)
        lines.append((0.01, py_line("INFO", t, req, f"window=300s merchants={r.randint(3, 40)} txns={n}")))
        lines.append((1.8, py_line("INFO", t, req, f"submitted batch sb_{hexid(r, 10)} to acquirer, {n} txns")))
        return lines, "ok", r.uniform(1500, 2800), r.randint(120, 160)
    times = arrivals(r, lambda t: 2.0, -7200, 0)
    b.log("/aws/lambda/settlement-batcher", f"2026/03/14/[$LATEST]{hexid(r)}",
          lambda_stream(b, 1024, times, body, "python:3.12.v38", cold_every=25))

    def rbody(t, req):
        return ([(0.01, py_line("INFO", t, req, f"refund notice sent to merchant M{r.randint(1000, 9999)}"))], "ok",
                r.uniform(300, 520), 74)
    b.log("/aws/lambda/refund-notifier", f"2026/03/14/[$LATEST]{hexid(r)}",
          lambda_stream(b, 256, arrivals(r, lambda t: 0.5 + 4 * bump(t, -2250, -1950, 60), -7200, 0), rbody,
                        "python:3.12.v38"))
    b.alarm("settlement-batcher-errors", "AWS/Lambda", "Errors", {"FunctionName": "settlement-batcher"}, "Sum", 60, 3,
            3, -1860)
    b.expect("settlement-batcher-errors", "config_change", ["settlement-batcher"],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "settlement-batcher"}}])
    return "h2-06-settlement-window-env-typo", b.finish()


def s07_tax_calc_access_denied() -> tuple[str, dict]:
    b = Builder("checkout-ca-5xx", "Canadian checkout failing at tax step; API 5xx alarm.", "ca-central-1", 207)
    r, iam, api_id = b.rng, -1980, "c4edg3q7zz"
    b.resource("apigateway", "checkout-edge-ca", api_id=api_id, stage="prod")
    b.resource("lambda", "tax-calc", runtime="provided.al2023", architecture="arm64", timeout=6, memory_size=256,
               environment={"RATES_TABLE": "tax-rates"})
    b.resource("lambda", "address-normalizer", runtime="python3.12", timeout=10, memory_size=1024)
    cache_expiry = lambda t: ramp(t, iam + 30, 600)  # noqa: E731 - warm containers keep rates for 10 min
    tinv = daily(120, 0.3, -600)
    lambda_metrics(b, "tax-calc", tinv, err=lambda t: tinv(t) * cache_expiry(t), dur=const(35),
                   conc=const(2))
    ainv = daily(180, 0.3, -600)
    lambda_metrics(b, "address-normalizer", ainv, err=const(2), dur=const(260),
                   conc=lambda t: 4 + 14 * bump(t, -2320, -2100, 40))
    apigw_metrics(b, "checkout-edge-ca", count=lambda t: tinv(t) + ainv(t), e4=const(9),
                  e5=lambda t: 2 + tinv(t) * cache_expiry(t), lat=const(210), integ=const(180))
    b.change(-2400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "address-normalizer", "codepipeline-deployer")
    b.change(iam, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", "tax-calc-exec", "iam-janitor",
             region="us-east-1")
    b.change(iam + 4, "iam.amazonaws.com", "DeletePolicy", "AWS::IAM::Policy", "tax-calc-dynamo-read-legacy",
             "iam-janitor", region="us-east-1")
    ev = []
    for n, t in enumerate(arrivals(r, lambda t: 3.0, -7200, 0)):
        req = str(__import__("uuid").UUID(int=r.getrandbits(128), version=4))
        prov = r.choice(["ON", "QC", "BC", "AB", "NS", "MB"])
        if n % 50 == 0:
            ev.append((t - 0.3, "INIT_START Runtime Version: provided:al2023.v30\tRuntime Version ARN: "
                                f"arn:aws:lambda:ca-central-1::runtime:{hexid(r, 64)}"))
        ev.append((t, f"START RequestId: {req} Version: $LATEST"))
        failing = t > iam + 30 and r.random() < cache_expiry(t)
        if failing:
            err = ("operation error DynamoDB: Query, https response error StatusCode: 400, RequestID: "
                   f"{hexid(r, 8).upper()}{hexid(r, 24).upper()}, api error AccessDeniedException: User: "
                   "arn:aws:sts::318220447901:assumed-role/tax-calc-exec/tax-calc is not authorized to perform: "
                   "dynamodb:Query on resource: arn:aws:dynamodb:ca-central-1:318220447901:table/tax-rates because "
                   "no identity-based policy allows the dynamodb:Query action")
            ev.append((t + 0.02, json.dumps({"time": stamp(t + 0.02), "level": "ERROR", "msg": "load rates",
                                             "province": prov, "requestId": req, "error": err})))
            ev.append((t + 0.03, json.dumps({"errorMessage": f"load rates for {prov}: {err}",
                                             "errorType": "wrapError"})))
            dur = r.uniform(18, 40)
        else:
            ev.append((t + 0.01, json.dumps({"time": stamp(t + 0.01), "level": "INFO", "msg": "tax computed",
                                             "province": prov, "requestId": req, "cached": r.random() < 0.8,
                                             "lines": r.randint(1, 12)})))
            dur = r.uniform(4, 60)
        ev.append((t + dur / 1000, f"END RequestId: {req}"))
        ev.append((t + dur / 1000 + 0.001, f"REPORT RequestId: {req}\tDuration: {dur:.2f} ms\tBilled Duration: "
                                           f"{int(dur) + 1} ms\tMemory Size: 256 MB\tMax Memory Used: "
                                           f"{r.randint(28, 34)} MB"))
    b.log("/aws/lambda/tax-calc", f"2026/03/14/[$LATEST]{hexid(r)}", ev)

    def abody(t, req):
        lines = [(0.2, py_line("INFO", t, req, "normalized address"))]
        if r.random() < 0.18:
            lines = [(0.2, py_line("ERROR", t, req, f"libpostal parse failed for input of length {r.randint(180, 400)}"
                                   "; returning raw address"))]
        return lines, "ok", r.uniform(180, 340), r.randint(410, 460)
    b.log("/aws/lambda/address-normalizer", f"2026/03/14/[$LATEST]{hexid(r)}",
          lambda_stream(b, 1024, arrivals(r, lambda t: 4.0, -7200, 0), abody, "python:3.12.v38"))
    b.alarm("checkout-edge-ca-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "checkout-edge-ca"}, "Sum", 60, 3, 15,
            -1700)
    b.expect("checkout-edge-ca-5xx", "permission_denied", ["tax-calc", "tax-calc-exec"],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "tax-calc"}}])
    return "h2-07-tax-rates-role-detached", b.finish()
