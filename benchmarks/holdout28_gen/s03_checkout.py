"""h28-03: a 5-minute PSP latency blip turned into a sustained throttling storm by retries."""
from __future__ import annotations

import json
import random

from .common import HIST, LOGS, Clock, alarm, change, diurnal, log_stream, poisson, ramp, rid
from .logfmt import LambdaLog, Rec, java_stack

R = "us-west-2"
API, ORCH, AUTH, RECS = "storefront-api", "checkout-orchestrator", "payment-authorizer", "cart-recommendations"
B0, B1 = -3300, -3000          # external PSP latency blip
CONC = 40


def amp(t):
    """Client-side retry multiplier on API requests (shoppers and the mobile app re-submitting 503s)."""
    if t < B0:
        return 1.0
    if t < B1:
        return ramp(t, B0, B1, 1.0, 1.6)
    if t < -1500:
        return 1.58 + 0.04 * ((t // 60) % 3 - 1)
    return ramp(t, -1500, 0, 1.58, 1.36)


def solve_f(count, cap):
    """Per-attempt throttle probability with 3 immediate attempts: count * (1 - f^3) == cap."""
    if count <= cap:
        return 0.0
    return (1 - cap / count) ** (1 / 3)


def build():
    rng = random.Random(2803)
    clk = Clock("2026-03-12T18:22:00")
    minutes = range(-HIST, 0, 60)
    api = Rec("AWS/ApiGateway", {"ApiName": API})
    orch = Rec("AWS/Lambda", {"FunctionName": ORCH})
    auth = Rec("AWS/Lambda", {"FunctionName": AUTH})
    recs = Rec("AWS/Lambda", {"FunctionName": RECS})
    ol = LambdaLog(rng, clk, ORCH, "nodejs20.x", 1024, streams=4)
    al = LambdaLog(rng, clk, AUTH, "java21", 2048, streams=4, logger="c.s.pay.AuthorizeHandler")
    rl = LambdaLog(rng, clk, RECS, "python3.12", 512, streams=2)
    gw = []
    for t in minutes:
        base = 1650 * diurnal(t, 0.12, 20000)
        blip = B0 <= t < B1
        if blip:
            dur = rng.uniform(6800, 8200)
        elif t < B0:
            dur = rng.gauss(1100, 35)
        else:
            dur = ramp(t, B1, 0, 1260, 1150) + rng.gauss(0, 25)
        cap = CONC * 60000.0 / dur * rng.uniform(0.97, 1.0)
        a = amp(t)
        count = poisson(rng, base * a)
        f = solve_f(count, cap)
        fail = int(round(count * f ** 3))
        ok = count - fail
        thr = int(round(count * (f + f * f + f ** 3)))
        auth_err = int(ok * 0.55) if blip else poisson(rng, 0.05)
        auth.put(t, Invocations=ok, Errors=auth_err, Throttles=thr, Duration=dur,
                 ConcurrentExecutions=min(CONC, round(ok * dur / 60000.0 + rng.uniform(-0.5, 0.5))))
        odur = 120 + (dur if not blip else dur * 0.9) + 40 * f
        orch.put(t, Invocations=count, Errors=poisson(rng, 0.1), Throttles=0, Duration=odur,
                 ConcurrentExecutions=round(count * odur / 60000.0 + rng.uniform(0, 1)))
        api.put(t, Count=count, **{"4XXError": poisson(rng, 6), "5XXError": fail + (int(ok * 0.55) if blip else 0) + poisson(rng, 0.2)},
                Latency=odur + 25, IntegrationLatency=odur + 8)
        rn = poisson(rng, 240 * diurnal(t))
        recs.put(t, Invocations=rn, Errors=0, Throttles=0, Duration=rng.gauss(85, 6) * (0.9 if t > -3420 else 1),
                 ConcurrentExecutions=round(rn * 0.085 / 60 + 1))
        if t < -LOGS:
            continue
        # ---- orchestrator + authorizer logs (sampled ~9 checkouts / min) ----
        for _ in range(poisson(rng, 9)):
            ts = t + rng.uniform(0, 58)
            order = f"ord_{rng.getrandbits(36):09x}"
            key = f"ck_{rng.getrandbits(48):012x}"
            cr = 0 if rng.random() > (1 - 1 / a) else rng.choice([1, 1, 2])
            lines = [(0.003, "INFO", f"POST /checkout cart=c_{rng.getrandbits(28):07x} items={rng.randint(1, 7)} "
                                     f"order={order} client_retry={cr}")]
            off = 0.05
            res = "ok"
            for att in (1, 2, 3):
                if rng.random() < f:
                    lines.append((off, "WARN", f"payment-authorizer invoke throttled (TooManyRequestsException: Rate Exceeded.) "
                                               f"attempt {att}/3, retrying immediately"))
                    off += 0.02
                    res = "fail"
                else:
                    res = "ok"
                    break
            if rng.random() < 0.004:
                lines.append((0.02, "WARN", "coupon SPRING25 rejected: expired 2026-03-01"))
            if res == "fail":
                lines.append((off, "ERROR", "checkout failed order=%s: TooManyRequestsException: Rate Exceeded. "
                                            "(payment-authorizer, 3 attempts) -> 503" % order))
                gw.append((ts + off + 0.01, f"({rid(rng)}) Method completed with status: 503"))
                ol.invoke(ts, off * 1000 + 60, rng.randint(140, 170), lines)
                continue
            ad = dur * rng.uniform(0.8, 1.2)
            if blip and rng.random() < 0.55:
                lines.append((off + ad / 1000, "ERROR", f"checkout failed order={order}: PaymentDeclinedRetryable psp_timeout -> 502"))
                gw.append((ts + off + ad / 1000, f"({rid(rng)}) Method completed with status: 502"))
                al.invoke(ts + off, ad, rng.randint(300, 340), [
                    (0.01, "INFO", f"Authorizing {order} key={key} amount={rng.uniform(12, 480):.2f} USD"),
                    (ad / 1000 - 0.01, "ERROR", "PSP call failed for %s\n" % order + java_stack(
                        "java.net.http.HttpTimeoutException", "request timed out",
                        ["java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:950)",
                         "java.net.http/jdk.internal.net.http.HttpClientFacade.send(HttpClientFacade.java:133)",
                         "com.shop.pay.psp.PaygateClient.authorize(PaygateClient.java:112)",
                         "com.shop.pay.AuthorizeHandler.handleRequest(AuthorizeHandler.java:74)"]))])
            else:
                dup = cr > 0 and rng.random() < 0.6
                amsg = (f"Idempotent replay for key={key}: first seen {rng.randint(3, 40)}s ago, returning cached AUTHORIZED"
                        if dup else f"Authorized {order} amount={rng.uniform(12, 480):.2f} USD in {ad:.0f} ms (psp=paygate)")
                al.invoke(ts + off, ad, rng.randint(300, 340), [
                    (0.01, "INFO", f"Authorizing {order} key={key}"), (ad / 1000 - 0.01, "INFO", amsg)])
                lines.append((off + ad / 1000 + 0.02, "INFO", f"checkout complete order={order} status=AUTHORIZED"))
            ol.invoke(ts, (off + ad / 1000) * 1000 + 80, rng.randint(140, 170), lines)
        for _ in range(poisson(rng, 0.6)):
            ts = t + rng.uniform(0, 58)
            ol.invoke(ts, rng.uniform(60, 120), 150, [(0.01, "ERROR", "AddressValidationError: postcode 'SW1A 0ZZ' not found "
                                                                      "(country=GB) -> 422")])
        if rng.random() < 0.5:
            ts = t + rng.uniform(0, 58)
            rl.invoke(ts, rng.gauss(85, 6), 118, [(0.01, "INFO", f"recommendations cart=c_{rng.getrandbits(28):07x} "
                                                                 f"model={'v14' if ts > -3420 else 'v13'} items=8")])

    metrics = api.metrics() + orch.metrics() + auth.metrics() + recs.metrics()
    alarms = [alarm(clk, "storefront-api-5xx", api.get("5XXError"), "Sum", 300, 3, 250, after=B0,
                    description="Storefront API 5XX (checkout failing)")]
    lag = round((alarms[0]["state_changed"] - (B0)) / 60)
    changes = [
        change(-3420, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", RECS, "ci-deployer"),
        change(-3405, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", RECS, "ci-deployer"),
        change(-3400, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", RECS, "ci-deployer"),
    ]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-03-checkout-retry-storm",
        "description": "Checkout returning 503s for most of the last hour; storefront API 5XX alarm.",
        "region": R,
        "resources": [
            {"type": "apigateway", "id": API, "properties": {"stage": "prod", "endpoint_type": "REGIONAL"}},
            {"type": "lambda", "id": ORCH, "properties": {"runtime": "nodejs20.x", "timeout": 29, "memory_size": 1024}},
            {"type": "lambda", "id": AUTH, "properties": {"runtime": "java21", "timeout": 10, "memory_size": 2048,
                                                        "reserved_concurrency": CONC}},
            {"type": "lambda", "id": RECS, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 512}},
        ],
        "metrics": metrics,
        "logs": ol.logs() + al.logs() + rl.logs() + [log_stream("API-Gateway-Execution-Logs_7uq3k2ma1d/prod", "7uq3k2ma1d-prod", gw)],
        "alarms": alarms, "changes": changes,
        "expect": {"alarm": "storefront-api-5xx",
                   "root_cause": {"category": "throttling", "resource": [AUTH]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": AUTH}},
                                 {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": API}}]},
    }
    meta = {"alarm_on": "front (storefront-api)",
            "decoys": "cart-recommendations deploy 2 min before the blip; the 5-minute PSP timeout blip itself (over 50 min ago); "
                      "constant AddressValidationError/coupon noise in the orchestrator",
            "story": (
                "55 minutes ago the external PSP slowed down for five minutes; payment-authorizer's duration went from ~1.1 s "
                "to ~7.5 s and it hit its reserved concurrency of 40 (normally ~30 of 40 are busy). The orchestrator retries every "
                "throttled invoke three times immediately, and the mobile app and shoppers re-submit the 503s (client_retry=1/2 "
                "in the logs, idempotent replays in the authorizer), which keeps ~1.5x the normal checkout volume arriving. "
                "Although the PSP recovered 50 minutes ago and the authorizer's duration is nearly back to normal, "
                "ConcurrentExecutions stays pinned at 40 and Throttles stay in the thousands per minute. The extra volume is "
                "made of retries of failures, so it is not a traffic surge, and the PSP blip is long over, so it is not a live "
                "dependency failure: the ongoing fault is throttling at payment-authorizer's concurrency limit, now slowly "
                "easing as client retries back off (partial recovery) but still failing about one checkout in five. The 5XX alarm uses 5-minute periods and "
                f"fired ~{lag} minutes after the blip; the cart-recommendations deploy is off the checkout path.")}
    return scen, meta
