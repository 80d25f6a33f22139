"""Scenarios 13-14."""
from __future__ import annotations

import datetime as dt

from . import comp
from .core import Scenario, TS, diurnal, ramp
from .fmt import LambdaLog, bucketed, every, java_trace, per_minute, pylog, zap
from .sc01 import binom

UTC = dt.timezone.utc

NODE_TE = ('Invoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading \'currency\')",'
           '"stack":["TypeError: Cannot read properties of undefined (reading \'currency\')",'
           '"    at buildPaymentIntent (/var/task/dist/payment.js:88:31)","    at Array.map (<anonymous>)",'
           '"    at priceTenders (/var/task/dist/payment.js:61:24)","    at Runtime.handler (/var/task/dist/index.js:34:27)"]}')


# ====================================================================== 13
def s13():
    s = Scenario(13, "checkout-gw-5xx-edge-release", "ap-south-1",
                 "Checkout failing with 502 for a large share of carts; paged by the checkout API Gateway 5XXError alarm.",
                 3413, dt.datetime(2026, 4, 8, 12, 15, tzinfo=UTC))
    DEP, ON = -1560, -1540
    lb = "app/payments-internal/4d6f8a0c2e1b3579"
    dns = "internal-payments-internal-640019287.ap-south-1.elb.amazonaws.com"
    s.res("apigateway", "checkout-gw", stage="prod", integration="AWS_PROXY lambda checkout-edge:live")
    s.res("lambda", "checkout-edge", runtime="nodejs20.x", timeout=10, memory_size=1024, alias="live -> 57",
          environment={"PAYMENTS_URL": f"http://{dns}"})
    s.res("alb", lb, name="payments-internal", scheme="internal", dns_name=dns, target_group="tg-payments-api -> ecs payments/payments-api")
    s.res("ecs", "payments/payments-api", cluster="payments", service="payments-api", launch_type="FARGATE", desired_count=4,
          task_definition="payments-api:205", runtime="python 3.12 / fastapi / uvicorn", log_groups=["/ecs/payments-api"])

    cnt = s.series(lambda t: s.p(30 * diurnal(t, 0.2, -5000)), integer=True)
    bad = [binom(s, c, 0.46) if t >= ON else 0 for t, c in zip(TS, cnt)]
    lat = [round(((c - b) * (240 + 40 * s.rng.random()) + b * 30) / c + 12, 2) if c else None for c, b in zip(cnt, bad)]
    comp.apigw(s, "checkout-gw", cnt, lambda t: s.p(1.0), bad, lat)
    comp.lambda_(s, "checkout-edge", cnt, bad, lambda t: 0, [round(v - 12, 2) if v else None for v in lat], lambda t: 1 + (s.rng.random() < 0.4))
    other = s.series(lambda t: s.p(20), integer=True)
    preq = [c - b + o for c, b, o in zip(cnt, bad, other)]
    comp.alb(s, lb, preq, lambda t: s.p(0.08), lambda t: 0, lambda t: 0.16 + 0.04 * s.rng.random(), lambda t: 4, lambda t: 0)
    comp.ecs(s, "payments", "payments-api", lambda t: 26 + s.n(0, 2) - 5 * (t >= ON), lambda t: 47 + s.n(0, 1), lambda t: 4)

    lg = LambdaLog(s, "checkout-edge", "node", 1024)
    buckets = {"56": [[], []], "57": [[], []]}

    def edge(t, b):
        v = "57" if t >= DEP + 15 else "56"
        cart = f"cart_{s.hexid(10)}"
        gift = b
        body = [("INFO", f"POST /checkout cart={cart} items={s.rng.randint(1, 9)} tenders={'card+giftcard' if gift else 'card'}")]
        if b:
            body.append(("ERROR", NODE_TE))
            ev = lg.invoke(t, 14 + s.rng.random() * 8, body, 104, version=v)
        else:
            body.append(("INFO", f"payment intent pi_{s.hexid(14)} created amount={s.rng.randint(20000, 900000) / 100:.2f} INR"))
            ev = lg.invoke(t, 220 + s.rng.random() * 60, body, 101, version=v)
        buckets[v][s.rng.randrange(2)].extend(ev)
        return []
    per_minute(s, cnt, bad, -6000, edge)
    for v, parts in buckets.items():
        for part in parts:
            s.log("/aws/lambda/checkout-edge", lg.stream(v), part)

    def ex(t, b):
        if not b:
            return []
        rid = s.uid()
        return [(t + 0.03, f"({rid}) Lambda execution failed with status 200 due to customer function error: Cannot read properties of undefined (reading 'currency'). Lambda request id: {s.uid()}"),
                (t + 0.031, f"({rid}) Method completed with status: 502")]
    s.log("API-Gateway-Execution-Logs_k3m9x2qa71/prod", "k3m9x2qa71-prod-" + s.hexid(8), per_minute(s, cnt, bad, -6000, ex))

    def pay(t, _):
        ev = [(t, f'INFO:     10.0.{s.rng.randint(8, 15)}.{s.rng.randint(2, 250)}:{s.rng.randint(30000, 60000)} - "POST /v2/intents HTTP/1.1" 201 Created')]
        if s.rng.random() < 0.03:
            ev.append((t + 0.01, pylog(s, t + 0.01, "WARNING", "payments.idempotency", f"idempotency key {s.hexid(16)} reused; returning original intent")))
        return ev
    w, bk = bucketed(s, 2, pay)
    per_minute(s, preq, None, -6000, w, scale=0.3)
    for k, part in enumerate(bk):
        t0 = -3200 + 20 * k
        part += [(t0, "INFO:     Started server process [1]"), (t0 + 0.2, "INFO:     Waiting for application startup."),
                 (t0 + 1.4, pylog(s, t0 + 1.4, "INFO", "payments.app", "payments-api 3.9.0 starting (gateway=razorpay, region=ap-south-1)")),
                 (t0 + 1.6, "INFO:     Application startup complete."), (t0 + 1.7, "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)")]
        s.log("/ecs/payments-api", f"ecs/payments-api/{s.hexid()}", [e for e in part if e[0] >= t0])
        s.log("/ecs/payments-api", f"ecs/payments-api/{s.hexid()}", [e for e in part if e[0] < t0] +
              [(t0 + 30, "INFO:     Shutting down"), (t0 + 31, "INFO:     Finished server process [1]")])

    s.change(-3300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/payments-api", "github-actions-deploy")
    s.change(DEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "checkout-edge", "github-actions-deploy")
    s.change(DEP + 8, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "checkout-edge", "github-actions-deploy")
    s.change(DEP + 14, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "checkout-edge", "github-actions-deploy")
    s.alarm("checkout-gw-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "checkout-gw"}, "Sum", 60, 3, 3,
            "GreaterThanThreshold", "Checkout API 5XX")
    s.expect_("checkout-gw-5xx", "bad_deployment", ["checkout-edge"],
              [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "checkout-edge"}},
               {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": "checkout-gw"}}])
    s.info = dict(front="front alarm, cause on the front door itself (edge Lambda checkout-edge)",
                  decoys="payments-api (downstream) deploy 29 min before onset; constant API 4XX and idempotency WARN in payments-api",
                  text="checkout-edge (Node) was deployed as version 57 and the live alias moved 26 min ago; from that moment "
                       "about 46 % of checkouts (carts paid with card+gift card) fail with a new TypeError "
                       "'Cannot read properties of undefined (reading currency)' in buildPaymentIntent, and API Gateway logs "
                       "'Lambda execution failed ... customer function error'. The failing requests never reach payments "
                       "(payments-internal RequestCount drops, no 5XX, payments-api logs clean). The payments-api deploy 29 "
                       "min earlier is the deep-chain decoy. bad_deployment on the front door's own Lambda.")
    return s


# ====================================================================== 14
def s14():
    s = Scenario(14, "shipping-edge-errors-redis-host-down", "us-west-1",
                 "Shipping rate quotes failing at checkout; paged by the shipping-edge Lambda Errors alarm.",
                 3414, dt.datetime(2026, 4, 9, 18, 35, tzinfo=UTC))
    ON = -1900
    iid = "i-0b8e3d5f7a9c1e246"
    pub = "app/shipping-public/1f3b5d7e9a0c2468"
    cin = "app/carrier-internal/6e8a0c2b4d1f3579"
    cdns = "internal-carrier-internal-377105826.us-west-1.elb.amazonaws.com"
    s.res("alb", pub, name="shipping-public", scheme="internet-facing", target="lambda shipping-edge")
    s.res("lambda", "shipping-edge", runtime="java21", timeout=10, memory_size=1536, environment={"CARRIER_URL": f"http://{cdns}"})
    s.res("alb", cin, name="carrier-internal", scheme="internal", dns_name=cdns, target_group="tg-carrier-adapter -> ecs shipping/carrier-adapter")
    s.res("ecs", "shipping/carrier-adapter", cluster="shipping", service="carrier-adapter", launch_type="FARGATE", desired_count=4,
          task_definition="carrier-adapter:71", runtime="go1.22 (go-redis v9)", log_groups=["/ecs/carrier-adapter"],
          redis="10.0.5.21:6379 (carrier-cache-redis-1)")
    s.res("ec2", iid, name="carrier-cache-redis-1", instance_type="r6g.large", role="redis 7.2 (carrier token cache + rate-limit counters)",
          log_groups=["/ec2/carrier-cache-redis/redis"])
    s.res("lambda", "label-printer", runtime="java21", timeout=30, memory_size=1024)

    down = lambda t: t >= ON
    cnt = s.series(lambda t: s.p(26 * diurnal(t, 0.2, 25000)), integer=True)
    frac = lambda t: 0.72 + 0.08 * s.rng.random() if down(t) else 0.0
    bad = [binom(s, c, frac(t)) for t, c in zip(TS, cnt)]
    comp.lambda_(s, "shipping-edge", cnt, bad, lambda t: 0,
                 lambda t: (180 + s.n(0, 20)) if not down(t) else (1700 + s.n(0, 150)), lambda t: 1 + (s.rng.random() < 0.5))
    comp.alb(s, pub, cnt, lambda t: 0, bad, lambda t: 0.19 + 0.02 * s.rng.random() if not down(t) else 1.6 + 0.2 * s.rng.random(),
             lambda t: 0, lambda t: 0)
    other = s.series(lambda t: s.p(40 * diurnal(t, 0.2, 25000)), integer=True)
    creq = [a + b for a, b in zip(cnt, other)]
    cbad = [b + binom(s, o, frac(t)) for t, b, o in zip(TS, bad, other)]
    comp.alb(s, cin, creq, cbad, lambda t: 0, lambda t: 0.16 + 0.03 * s.rng.random() if not down(t) else 1.5 + 0.2 * s.rng.random(),
             lambda t: 4, lambda t: 0)
    comp.ecs(s, "shipping", "carrier-adapter", lambda t: 18 + s.n(0, 2) - 4 * down(t), lambda t: 33 + s.n(0, 1), lambda t: 4)
    comp.ec2(s, iid, lambda t: None if down(t) else 9 + s.n(0, 1.5) + (22 if -9060 < t < -8880 else 0),
             lambda t: None if down(t) else 5.2e6 + s.n(0, 4e5), lambda t: 1 if down(t) else 0,
             mem=lambda t: None if down(t) else 41 + s.n(0, 0.3))
    s.metric("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": iid}, "Count", s.series(lambda t: 1 if down(t) else 0, integer=True))
    lp = s.series(lambda t: s.p(6), integer=True)
    comp.lambda_(s, "label-printer", lp, lambda t: 0, lambda t: 0, lambda t: 640 + s.n(0, 60), lambda t: 1)

    lg = LambdaLog(s, "shipping-edge", "java", 1536, logger="c.a.shipping.edge.RatesHandler")

    def edge(t, b):
        body = [("INFO", f"POST /rates cart={s.hexid(8)} dest={s.pick(['CA', 'NV', 'OR', 'WA', 'AZ'])} parcels={s.rng.randint(1, 3)}")]
        if b:
            body.append(("ERROR", "Unhandled exception\n" + java_trace(
                "com.acme.shipping.edge.UpstreamUnavailableException", f"carrier-adapter returned 503 for POST http://{cdns}/v1/rates: "
                '{"error":"carrier_cache_unavailable"}',
                ["com.acme.shipping.edge.CarrierClient.rates(CarrierClient.java:74)",
                 "com.acme.shipping.edge.RatesHandler.handleRequest(RatesHandler.java:41)",
                 "com.acme.shipping.edge.RatesHandler.handleRequest(RatesHandler.java:18)"])))
            return lg.invoke(t, 1600 + s.rng.random() * 300, body, 212)
        body.append(("INFO", f"returned {s.rng.randint(3, 7)} rates cheapest={s.pick(['USPS', 'UPS', 'FEDEX'])} in {s.rng.randint(120, 230)} ms"))
        return lg.invoke(t, 170 + s.rng.random() * 50, body, 208)
    w, bk = bucketed(s, 2, edge)
    per_minute(s, cnt, bad, -4500, w)
    for part in bk:
        s.log("/aws/lambda/shipping-edge", lg.stream(), part)

    def ca(t, b):
        carrier = s.pick(["ups", "fedex", "usps"])
        if b:
            err = s.pick(["dial tcp 10.0.5.21:6379: i/o timeout", "redis: connection pool timeout",
                          "dial tcp 10.0.5.21:6379: connect: no route to host"])
            return [(t, zap(s, t, "ERROR", "cache/tokens.go:57", "carrier token lookup failed", carrier=carrier, error=err)),
                    (t + 0.001, zap(s, t + 0.001, "WARN", "httpapi/rates.go:83", "responding 503", error="carrier_cache_unavailable"))]
        return [(t, zap(s, t, "INFO", "httpapi/rates.go:61", "rates", carrier=carrier, status=200,
                        duration_ms=round(90 + 80 * s.rng.random(), 1), token_cache="hit" if not down(t) else "local"))]
    w, bk = bucketed(s, 2, ca)
    per_minute(s, creq, cbad, -6000, w, scale=0.3)
    for part in bk:
        part += every(s, -6000, 180, lambda t: [(t, zap(s, t, "WARN", "carriers/ups.go:112", "UPS sandbox returned 429, backing off",
                                                       retry_after="2s"))], jitter=60)
        part += every(s, ON + 20, 60, lambda t: [(t, zap(s, t, "ERROR", "cache/health.go:29", "redis ping failed",
                                                         addr="10.0.5.21:6379", error="dial tcp 10.0.5.21:6379: i/o timeout", consecutive=int((t - ON) / 60) + 1))])
        s.log("/ecs/carrier-adapter", f"ecs/carrier-adapter/{s.hexid()}", part)

    def rd(t):
        w = s.wall(t)
        stamp = w.strftime("%d %b %Y %H:%M:%S.") + f"{w.microsecond // 1000:03d}"
        return [(t, f"1:M {stamp} * 100 changes in 300 seconds. Saving..."),
                (t + 0.01, f"1:M {stamp} * Background saving started by pid {s.rng.randint(2000, 9000)}"),
                (t + 1.9, f"{s.rng.randint(2000, 9000)}:C {stamp} * DB saved on disk"),
                (t + 2.0, f"1:M {stamp} * Background saving terminated with success")]
    s.log("/ec2/carrier-cache-redis/redis", iid, every(s, -10800, 300, rd, t_to=ON - 10))

    ll = LambdaLog(s, "label-printer", "java", 1024, logger="c.a.labels.PrintHandler")
    lev = per_minute(s, lp, None, -6000, lambda t, b: ll.invoke(t, 600 + s.rng.random() * 90,
                                                                 [("INFO", f"label ZPL generated for shipment SHP-{s.rng.randint(10**6, 10**7)}")], 301,
                                                                 version="12" if t > -2490 else "11"))
    s.log("/aws/lambda/label-printer", ll.stream("11"), [e for e in lev if e[0] <= -2490])
    s.log("/aws/lambda/label-printer", ll.stream("12"), [e for e in lev if e[0] > -2490])
    s.change(-2500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "label-printer", "jenkins-deployer")
    s.change(-2490, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "label-printer", "jenkins-deployer")
    s.alarm("shipping-edge-errors", "AWS/Lambda", "Errors", {"FunctionName": "shipping-edge"}, "Sum", 60, 3, 5,
            "GreaterThanThreshold", "shipping-edge Lambda errors")
    s.alarm("carrier-cache-redis-1-status", "AWS/EC2", "StatusCheckFailed", {"InstanceId": iid}, "Maximum", 60, 2, 0,
            "GreaterThanThreshold", "redis host status check")
    s.expect_("shipping-edge-errors", "dependency_failure", [iid, "carrier-cache-redis-1"],
              [{"namespace": "AWS/EC2", "name": "StatusCheckFailed", "dimensions": {"InstanceId": iid}},
               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "shipping-edge"}}])
    s.info = dict(front="front alarm (edge Lambda behind the public ALB), origin 3 hops down (shipping-edge -> carrier-internal ALB -> carrier-adapter -> redis EC2)",
                  decoys="label-printer Lambda deploy 10 min before onset; redis BGSAVE CPU blip 2.5 h earlier; constant UPS-sandbox 429 WARN in carrier-adapter",
                  text="At about -32 min the EC2 host carrier-cache-redis-1 fails its system status check; its CPU/network metrics "
                       "and redis log stop. carrier-adapter (Go) can no longer reach 10.0.5.21:6379 (i/o timeout, no route "
                       "to host, pool timeouts) and answers 503 for most rate requests; shipping-edge (Java Lambda behind the "
                       "public ALB) throws UpstreamUnavailableException, its Errors alarm fires. The redis host was not busy "
                       "or full before it vanished (CPU ~9 %, memory 41 %). The label-printer deploy is unrelated. "
                       "dependency_failure on the redis instance.")
    return s
