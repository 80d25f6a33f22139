"""h65-15 (Laravel image rolled out on ECS) and h65-16 (Spring Boot on EC2, payment provider failing)."""
from __future__ import annotations

import json

from .common import GRID, Scenario, bump, diurnal
from .kit import (EC2_GRID, alb, alb_id, apigw, binom, counts, ec2, ecs, instance_id, rds, request_times,
                  run_lambda, smooth, tg_id)
from .runtimes import LambdaLogs, spring


# --------------------------------------------------------------------------- 15
def s15() -> Scenario:
    sc = Scenario(15, "catalog-rollout", "Target 5XX alarm on the apps load balancer; product pages "
                  "fail for part of the catalogue.", "ap-northeast-2", seed=6515, now_iso="2026-10-08T06:30:00")
    lbname, cluster, svc, fn = "apps-alb", "apps", "catalog", "catalog-thumbs"
    lb, tg = alb_id(sc, lbname), tg_id(sc, "catalog")
    deploy, live, decoy = -3000, -2880, -2950
    sc.resource("alb", lb, name=lbname)
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024,
                runtime="php8.3-fpm (Laravel 11)", log_groups=[f"/ecs/{svc}"])
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=30, memory_size=1024)
    rng = sc.rng
    req = counts(sc, lambda t: 6.0 * diurnal(sc, t, 7, 0.3))
    prod = binom(sc, req, lambda t: 0.55)
    fails = binom(sc, prod, lambda t: 0.62 if t >= live else 0.0)
    t5 = {m: fails[m] + (1 if rng.random() < 0.004 else 0) for m in GRID}
    alb(sc, lb, tg, req, t5, smooth(sc, lambda t: 0.11, noise=0.2), healthy={m: (2.0 if not deploy + 60 <= m < live + 60 else 4.0) for m in GRID},
        unhealthy={m: 0.0 for m in GRID})
    ecs(sc, cluster, svc, smooth(sc, lambda t: 11 * diurnal(sc, t, 7, 0.3) + bump(t, deploy + 60, live + 30, 14, 30), noise=0.1),
        smooth(sc, lambda t: 38 + bump(t, deploy + 60, live + 30, 8, 30), noise=0.02))
    g = f"/ecs/{svc}"
    old, new = (sc.hexid(32), sc.hexid(32)), (sc.hexid(32), sc.hexid(32))
    left = dict(fails)

    def mono(t, level, lname, msg, ctx=None):
        return json.dumps({"message": msg, "context": ctx or {}, "level": level, "level_name": lname,
                           "channel": "production", "datetime": sc.at(t).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"),
                           "extra": {}}, separators=(",", ":"))

    for t in request_times(sc, req):
        m = int(t // 60 * 60)
        task = rng.choice(new if t >= live else old)
        st = f"catalog/php/{task}"
        pid = rng.randint(20, 40)
        failing = left.get(m, 0) > 0
        is_prod = failing or rng.random() < 0.3
        path = f"/api/products/{rng.randint(1000, 9999)}" if is_prod else rng.choice(["/api/categories", "/api/search?q=case", "/api/cart"])
        code = 200
        if failing:
            left[m] -= 1
            code = 500
            sc.log(g, st, t + 0.03, mono(t + 0.03, 400, "ERROR", "Call to undefined method App\\Models\\Product::priceWithTax()",
                   {"exception": {"class": "BadMethodCallException", "message": "Call to undefined method App\\Models\\Product::priceWithTax()",
                                  "code": 0, "file": "/var/www/html/app/Http/Resources/ProductResource.php:41"}}))
        elif rng.random() < 0.04:
            code = 404
            sc.log(g, st, t + 0.02, mono(t + 0.02, 200, "INFO", "No query results for model [App\\Models\\Product].",
                                         {"exception": {"class": "Illuminate\\Database\\Eloquent\\ModelNotFoundException"}}))
        sc.log(g, st, t + 0.05, f"{sc.ip()} -  {sc.at(t).strftime('%d/%b/%Y:%H:%M:%S +0000')} \"GET /index.php\" {code}")
    for t in range(-21600, 0, 420):
        tt = t + rng.uniform(0, 400)
        task = rng.choice(new if tt >= live else old)
        sc.log(g, f"catalog/php/{task}", tt, mono(tt, 300, "WARNING", "PHP Deprecated:  Creation of dynamic property "
               "App\\Support\\Cart::$coupon is deprecated in /var/www/html/app/Support/Cart.php on line 77"))
    for i, task in enumerate(new):
        tt = deploy + 95 + i * 20
        sc.log(g, f"catalog/php/{task}", tt, f"[{sc.at(tt).strftime('%d-%b-%Y %H:%M:%S')}] NOTICE: fpm is running, pid 1")
        sc.log(g, f"catalog/php/{task}", tt + 0.01, f"[{sc.at(tt).strftime('%d-%b-%Y %H:%M:%S')}] NOTICE: ready to handle connections")
    for i, task in enumerate(old):
        tt = live + 10 + i * 15
        sc.log(g, f"catalog/php/{task}", tt, f"[{sc.at(tt).strftime('%d-%b-%Y %H:%M:%S')}] NOTICE: Terminating ...")
    inv = counts(sc, lambda t: 0.2)
    ll = LambdaLogs(sc, fn, "nodejs20.x", 1024, 30, mem_used=(210, 20), retire=(decoy,))
    run_lambda(sc, ll, inv, {}, lambda l, t, rid, e, c: {"dur": rng.gauss(900, 150), "lines": [
        (0.05, l.fmt(t, rid, "INFO", f"thumbnails written for sku-{rng.randint(1000, 9999)} sizes=[160,480,960]"))]})
    sc.change(deploy - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "catalog:112", "codepipeline")
    sc.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", "codepipeline")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, "jiwoo.p")
    sc.alarm("apps-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             300, 3, 2, "GreaterThanThreshold", "Catalog 5xx, 3 of 5-minute periods")
    sc.expect = {"alarm": "apps-alb-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cluster}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        where="front (ALB) → origin ECS service", services="ALB, ECS Fargate, Lambda",
        runtime="PHP 8.3 Laravel, Monolog JSON + php-fpm access lines; Node.js 20",
        decoys="config update of the thumbnail Lambda 50 s after the deploy started, closer to onset (config beats "
               "deploy only if it fits); PHP deprecation warnings and ModelNotFound 404s all along",
        story="A PHP catalogue API runs as two Fargate tasks behind an ALB at about six requests a minute. CodePipeline "
              "registers `catalog:112` and updates the service at -50 min. The new tasks log `ready to handle "
              "connections`, the old ones terminate, and from the cut-over on about 60 % of product requests fail "
              "with `BadMethodCallException: Call to undefined method App\\Models\\Product::priceWithTax()` in "
              "`ProductResource.php`, a signature absent from the old tasks' hours of logs. A colleague's config "
              "change to the thumbnail Lambda lands between the deploy and the cut-over, so it is nearer the onset, "
              "but that function is not on the request path and its runs stay clean. The config-beats-deploy rule "
              "does not apply because it does not fit the evidence. The answer is `bad_deployment` on `apps/catalog`.")
    return sc


# --------------------------------------------------------------------------- 16
def s16() -> Scenario:
    sc = Scenario(16, "checkout-gateway-provider", "5XX alarm on the checkout API; card payments fail "
                  "for some customers.", "us-west-1", seed=6516, now_iso="2026-08-01T20:10:00")
    api, app, db = "checkout-http", instance_id(sc), "orders-mysql"
    onset, decoy = -2200, -2330
    sc.resource("apigateway", api, api_type="REST", stage="live", integration="HTTP_PROXY to pay-1:8443")
    sc.resource("ec2", app, name="pay-1", instance_type="t3.large", log_groups=["/pay/app"])
    sc.resource("rds", db, engine="mysql", engine_version="8.0.39", instance_class="db.t3.medium",
                max_connections=300, allocated_storage_gb=100)
    rng = sc.rng
    req = counts(sc, lambda t: 2.4 * diurnal(sc, t, 20, 0.3))
    charge = binom(sc, req, lambda t: 0.6)
    fail = binom(sc, charge, lambda t: 0.72 if t >= onset else 0.006)
    e4 = binom(sc, req, lambda t: 0.05)
    lat = smooth(sc, lambda t: 240 + (3200 if t >= onset else 0), noise=0.15)
    apigw(sc, api, req, e4, fail, lat, integ={m: max(1.0, v - 20) for m, v in lat.items()})
    ec2(sc, app, smooth(sc, lambda t: 9 * diurnal(sc, t, 20, 0.3), noise=0.1, times=EC2_GRID))
    rds(sc, db, smooth(sc, lambda t: 7 + bump(t, decoy + 100, decoy + 1100, 58, 120), noise=0.1),
        smooth(sc, lambda t: 16, noise=0.06, digits=0), free_gb=smooth(sc, lambda t: 71.8, noise=0.0002),
        read_lat=smooth(sc, lambda t: 0.0012, noise=0.15, digits=5))
    g, appn = "/pay/app", "checkout"
    left = dict(fail)
    for t in request_times(sc, req):
        m = int(t // 60 * 60)
        th = f"http-nio-8443-exec-{rng.randint(1, 20)}"
        oid = f"ord_{sc.hexid(10)}"
        sc.log(g, app, t + 0.004, spring(sc, t, "INFO", th, "c.s.checkout.web.CheckoutController",
                                         f"POST /v1/checkout order={oid}", appn))
        sc.log(g, app, t + 0.03, spring(sc, t + 0.03, "DEBUG", th, "org.hibernate.SQL",
                                        "select o1_0.id,o1_0.total_cents,o1_0.status from orders o1_0 where o1_0.id=?", appn))
        if left.get(m, 0) > 0:
            left[m] -= 1
            if m >= onset and rng.random() < 0.6:
                msg = ("PaymentGatewayClient charge failed: 503 Service Unavailable from POST "
                       "https://api.paygate.example/v3/charges: \"upstream connect error or disconnect/reset before headers\"")
                dt = rng.uniform(0.3, 0.9)
            else:
                msg = ("PaymentGatewayClient charge failed: I/O error on POST request for \"https://api.paygate.example/v3/charges\": "
                       "Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out")
                dt = 5.0 + rng.uniform(0, 0.1)
            sc.log(g, app, t + dt, spring(sc, t + dt, "ERROR", th, "c.s.checkout.pay.PaymentGatewayClient", msg, appn))
            sc.log(g, app, t + dt + 0.002, spring(sc, t + dt, "WARN", th, "c.s.checkout.web.ErrorAdvice",
                                                  f"order={oid} responded 502 (payment provider unavailable)", appn))
            continue
        dt = rng.uniform(0.18, 0.45)
        sc.log(g, app, t + dt, spring(sc, t + dt, "INFO", th, "c.s.checkout.pay.PaymentGatewayClient",
                                      f"charge ok order={oid} provider_ref=ch_{sc.hexid(14)} in {dt * 1000:.0f} ms", appn))
    for t in range(-21600, 0, 600):
        tt = t + rng.uniform(0, 590)
        sc.log(g, app, tt, spring(sc, tt, "WARN", "scheduling-1", "c.s.checkout.fx.RateRefresher",
                                  "ECB feed returned stale rates (age 26h); keeping previous table", appn))
        if rng.random() < 0.3:
            sc.log(g, app, tt + 2, spring(sc, tt + 2, "ERROR", "scheduling-1", "c.s.checkout.mail.ReceiptMailer",
                   "Failed messages: jakarta.mail.SendFailedException: Invalid Addresses; 550 5.1.1 user unknown", appn))
    for t, line in [(decoy + 100, "Performance Insights retention updated; rebuilding digest tables"),
                    (decoy + 1100, "digest rebuild complete")]:
        sc.log(f"/aws/rds/instance/{db}/error", db, t, f"{sc.iso(t, 6)} 0 [Note] [MY-010000] [Server] {line}")
    sc.change(-17000, "ec2.amazonaws.com", "RunInstances", "AWS::EC2::Instance", app, "ops-admin")
    sc.change(decoy, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "nina.f")
    sc.alarm("checkout-http-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 600, 1, 3,
             "GreaterThanThreshold", "Checkout API 5xx per 10 minutes")
    sc.alarm("orders-mysql-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 50,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "checkout-http-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [app, "pay-1"]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}]}
    sc.meta = dict(
        where="front (API Gateway) → origin EC2 caller of an external provider", services="API Gateway REST (HTTP proxy), EC2, RDS MySQL",
        runtime="Java 21 Spring Boot default log layout",
        decoys="ModifyDBInstance on the orders DB 2 min before onset, followed by a 65 % DB CPU bump (its alarm fired "
               "and cleared); stale-FX warnings and receipt-mail 550 errors all along",
        story="A Spring Boot checkout service on one EC2 instance sits behind an API Gateway HTTP proxy and takes "
              "about two requests a minute. From -37 min about 70 % of card charges fail inside "
              "`PaymentGatewayClient`: either `503 Service Unavailable` from `api.paygate.example` or a 5 s "
              "`SocketTimeoutException: Read timed out`. The service answers 502, and API Gateway `5XXError` "
              "and latency rise. Two minutes earlier someone modified the orders DB (Performance Insights "
              "retention), and the digest rebuild that followed drives DB CPU to about 65 %, which trips the "
              "DB CPU alarm for a while. Yet the SQL lines keep running fast and no request fails on the database. The failing "
              "dependency is outside the account, so the label is `dependency_failure` with the calling instance "
              "pay-1 as the resource in the account where the fault shows.")
    return sc
