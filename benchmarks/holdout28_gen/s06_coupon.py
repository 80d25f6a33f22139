"""h28-06: .NET Lambda canary deployment; the new error grows with the traffic shifted to the new version."""
from __future__ import annotations

import random

from .common import HIST, LOGS, Clock, alarm, change, diurnal, poisson
from .logfmt import LambdaLog, Rec, dotnet_stack

R = "us-east-2"
API, FN, NEWS = "promo-api", "coupon-validator", "newsletter-signup"
DEPLOY, SHIFT0, STEP = -3060, -3000, 180


def share(t):
    if t < SHIFT0:
        return 0.0
    return min(1.0, 0.1 * (1 + (t - SHIFT0) // STEP))


def build():
    rng = random.Random(2806)
    clk = Clock("2026-03-15T16:05:00")
    minutes = range(-HIST, 0, 60)
    api = Rec("AWS/ApiGateway", {"ApiName": API})
    lam = Rec("AWS/Lambda", {"FunctionName": FN})
    news = Rec("AWS/Lambda", {"FunctionName": NEWS})
    log = LambdaLog(rng, clk, FN, "dotnet8", 1024, streams=3, version="87")
    old = list(log.streams)
    new = log.add_streams("88", 3, SHIFT0)
    nlog = LambdaLog(rng, clk, NEWS, "nodejs20.x", 256, streams=1)
    ccf = dotnet_stack("Amazon.DynamoDBv2.Model.ConditionalCheckFailedException", "The conditional request failed",
                       ["Amazon.Runtime.Internal.HttpErrorResponseExceptionHandler.HandleExceptionStream(IRequestContext requestContext, IWebResponseData httpErrorResponse, HttpErrorResponseException exception, Stream responseStream)",
                        "Amazon.Runtime.Internal.ErrorHandler.InvokeAsync[T](IExecutionContext executionContext)",
                        "Coupons.Redemption.RedemptionStore.MarkRedeemedAsync(String code, String cartId) in /src/Coupons/Redemption/RedemptionStore.cs:line 57",
                        "Coupons.Function.FunctionHandler(APIGatewayProxyRequest request, ILambdaContext context) in /src/Coupons/Function.cs:line 49"])
    nre = dotnet_stack("System.NullReferenceException", "Object reference not set to an instance of an object.",
                       ["Coupons.Validation.TierRules.ApplyTierDiscount(Cart cart, Coupon coupon) in /src/Coupons/Validation/TierRules.cs:line 64",
                        "Coupons.Validation.CouponValidator.ValidateAsync(ValidateRequest request) in /src/Coupons/Validation/CouponValidator.cs:line 118",
                        "Coupons.Function.FunctionHandler(APIGatewayProxyRequest request, ILambdaContext context) in /src/Coupons/Function.cs:line 42"])
    for t in minutes:
        inv = poisson(rng, 220 * diurnal(t, 0.12, 5000))
        sh = share(t)
        pre = poisson(rng, 1.4)
        n_new = sum(1 for _ in range(inv) if rng.random() < sh)
        bad = sum(1 for _ in range(n_new) if rng.random() < 0.33)
        errs = min(inv, pre + bad)
        lam.put(t, Invocations=inv, Errors=errs, Throttles=0, Duration=rng.gauss(64, 4) - 12 * sh * 0.33,
                ConcurrentExecutions=max(1, round(inv * 0.065 / 60 * 6 + rng.random())))
        api.put(t, Count=inv, **{"4XXError": poisson(rng, 15), "5XXError": errs}, Latency=rng.gauss(92, 6),
                IntegrationLatency=rng.gauss(74, 5))
        nn = poisson(rng, 9)
        news.put(t, Invocations=nn, Errors=0, Throttles=0, Duration=rng.gauss(140, 10), ConcurrentExecutions=1)
        if t < -LOGS:
            continue
        for _ in range(poisson(rng, 14)):
            ts = t + rng.uniform(0, 59)
            use_new = rng.random() < share(ts)
            st = rng.choice(new if use_new else old)
            code = f"{rng.choice(['SPRING', 'WELCOME', 'VIP', 'FREESHIP'])}-{rng.getrandbits(20):05X}"
            cart = f"c_{rng.getrandbits(32):08x}"
            guest = rng.random() < 0.33
            lines = [(0.002, "INFO", f"Validating coupon {code} for cart {cart} customerTier={'(none)' if guest else rng.choice(['SILVER', 'GOLD', 'BASIC'])}")]
            if use_new and guest:
                lines.append((0.03, "ERROR", nre))
                d = rng.uniform(20, 40)
            elif rng.random() < 1.4 / 220:
                lines.append((0.04, "ERROR", ccf))
                d = rng.uniform(50, 70)
            else:
                d = rng.uniform(45, 90)
                lines.append((d / 1000 - 0.002, "INFO", f"Coupon {code} valid: discount={rng.choice([5, 10, 15, 20])}% cart={cart}"))
            cold = [(0.001, "INFO", "Coupons.Function v2026.3.15.2 (rules engine v2: tier discounts) initialised")] if use_new else []
            log.invoke(ts, d, rng.randint(92, 110), lines, stream=st, version="88" if use_new else "87", cold_lines=cold)
        if rng.random() < 0.3:
            ts = t + rng.uniform(0, 59)
            nlog.invoke(ts, rng.gauss(140, 10), 88, [(0.01, "INFO", f"subscribed list=weekly-deals double_opt_in="
                                                                     f"{'true' if ts > -1800 else 'false'}")])
    metrics = api.metrics() + lam.metrics() + news.metrics()
    alarms = [alarm(clk, "promo-api-5xx", api.get("5XXError"), "Sum", 60, 3, 25, after=SHIFT0,
                    description="Promo API 5XX (coupon validation failing at checkout)")]
    role = "AWSCodeDeployRoleForLambda/CodeDeploy"
    lag = round((alarms[0]["state_changed"] - (SHIFT0)) / 60)
    changes = [
        change(DEPLOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "ci-deployer"),
        change(DEPLOY + 18, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "ci-deployer"),
        change(DEPLOY + 35, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
               "coupon-validator-dg", "ci-deployer"),
    ]
    for k in range(10):
        changes.append(change(SHIFT0 + k * STEP, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", FN, role))
    changes.append(change(-1800, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                          NEWS, "m.ortiz"))
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-06-coupon-canary-deploy",
        "description": "Shoppers report 'could not apply coupon'; promo-api 5XX alarm paged the growth team.",
        "region": R,
        "resources": [
            {"type": "apigateway", "id": API, "properties": {"stage": "prod"}},
            {"type": "lambda", "id": FN, "properties": {"runtime": "dotnet8", "timeout": 10, "memory_size": 1024, "alias": "live",
                                                      "deployment": "CodeDeploy LambdaLinear10PercentEvery3Minutes"}},
            {"type": "lambda", "id": NEWS, "properties": {"runtime": "nodejs20.x", "timeout": 6, "memory_size": 256}},
        ],
        "metrics": metrics, "logs": log.logs() + nlog.logs(), "alarms": alarms, "changes": changes,
        "expect": {"alarm": "promo-api-5xx",
                   "root_cause": {"category": "bad_deployment", "resource": [FN]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}},
                                 {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": API}}]},
    }
    meta = {"alarm_on": "front (promo-api)",
            "decoys": "pre-existing ConditionalCheckFailedException errors at a constant ~1.4/min; newsletter-signup "
                      "configuration change 30 min ago",
            "story": (
                "coupon-validator always fails ~1.4 invocations a minute with a DynamoDB ConditionalCheckFailedException (a "
                "redemption race), so Errors and promo-api 5XX have a non-zero baseline. 51 minutes ago version 88 was "
                "published and CodeDeploy began shifting the live alias 10 % every 3 minutes (UpdateAlias events). From then "
                "on a new NullReferenceException in TierRules.ApplyTierDiscount appears, only in '[88]' log streams and only "
                "for guest carts (customerTier=(none)), and the error count rises in steps with the traffic share. The alarm "
                f"fired ~{lag} minutes after the first shift, when enough traffic had moved. This is a bad_deployment of "
                "coupon-validator: the old error is noise at an unchanged rate, and the newsletter-signup change is on an "
                "unrelated function with no errors.")}
    return scen, meta
