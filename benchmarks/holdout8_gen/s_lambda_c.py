"""Lambda-centred incidents, part C: a partner payload breaks parsing (.NET); a latency blip with no cause."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scenario, after, counts, iso, noisy, wave
from .stacks import apigateway, dotnet, lambda_function

# =========================================================================== h8-16 application error (.NET)


def dotnet_parse_error(seed: int) -> Scenario:
    sc = Scenario("h8-16-webhook-ingest-format-exception", "ap-northeast-2",
                  "webhook-ingest Errors alarm; a partner reports their order webhooks are being rejected.", seed)
    r = sc.rng
    onset = -2040
    sc.resource("apigateway", "partner-webhooks", api_id="h2j4k6m8n0", stage="v1")
    sc.resource("lambda", "webhook-ingest", runtime="dotnet8", timeout=15, memory_size=512,
                environment={"ORDERS_QUEUE_URL": "https://sqs.ap-northeast-2.amazonaws.com/123456789012/partner-orders"})
    sc.resource("lambda", "webhook-replayer", runtime="dotnet8", timeout=300, memory_size=1024)
    partners = ["initech", "umbrella", "hooli", "globex", "soylent"]
    bad = after(onset)

    def plan(rng, i):
        p = rng.choice(partners)
        return "$LATEST", bool(bad[i] and p == "globex" and rng.u() < 0.95)

    def ok(rng, rid, t, i):
        p = rng.choice([x for x in partners if x != "globex"] if bad[i] else partners)
        lines = [(0.01, dotnet("info", rid, t, f"Received order webhook partner={p} order={p[:3].upper()}-"
                                              f"{rng.i(100000, 999999)} items={rng.i(1, 9)}")),
                 (0.09, dotnet("info", rid, t + 0.09, "Enqueued to partner-orders"))]
        if rng.u() < 0.07:  # partners redeliver; dedup has always been noisy
            lines.insert(1, (0.02, dotnet("warn", rid, t, f"Duplicate delivery {rng.uuid()} ignored (idempotency key "
                                                         "seen)")))
        return lines, rng.u(40, 140), None

    amount = ["1,299.00", "2,450.50", "1,080.00", "12,999.90", "3,100.00"]
    trace = ("   at System.Number.ThrowFormatException[TChar](ReadOnlySpan`1 value)\n"
             "   at System.Decimal.Parse(String s, IFormatProvider provider)\n"
             "   at Partnerhub.Webhooks.Mapping.OrderMapper.Map(PartnerOrderDto dto) in "
             "/src/Partnerhub.Webhooks/Mapping/OrderMapper.cs:line 57\n"
             "   at Partnerhub.Webhooks.Function.FunctionHandler(APIGatewayProxyRequest request, ILambdaContext "
             "context) in /src/Partnerhub.Webhooks/Function.cs:line 38\n"
             "   at lambda_method1(Closure, Stream, ILambdaContext, Stream)\n"
             "   at Amazon.Lambda.RuntimeSupport.HandlerWrapper.<>c__DisplayClass8_0.<GetHandlerWrapper>b__0"
             "(InvocationRequest invocation)\n"
             "   at Amazon.Lambda.RuntimeSupport.LambdaBootstrap.InvokeOnceAsync(CancellationToken cancellationToken)")

    def fail(rng, rid, t, i):
        a = rng.choice(amount)
        return [(0.01, dotnet("info", rid, t, f"Received order webhook partner=globex order=GLO-{rng.i(100000, 999999)} "
                                              f"items={rng.i(1, 9)}")),
                (0.03, dotnet("fail", rid, t + 0.03,
                              f"System.FormatException: The input string '{a}' was not in a correct format.\n" + trace))], \
            rng.u(30, 70), None

    inv = counts(r, 28 * wave(r, 8000, 0.15))
    lambda_function(sc, "webhook-ingest", inv=inv, dur_ms=90, ok=ok, fail=fail, plan=plan, memory_size=512,
                    mem_used=(88, 104), log_from=-10800, streams=3, init_ms=(280, 420))
    err = sc.get("AWS/Lambda", "Errors", {"FunctionName": "webhook-ingest"})
    apigateway(sc, "partner-webhooks", count=inv + counts(r, 0.6), e4=counts(r, 0.6), e5=err.copy(),
               latency=noisy(r, 118, 0.15))
    ri = counts(r, 0.25)

    def rep(rng, rid, t, i):
        return [(1.0, dotnet("info", rid, t + 1, f"Replayed {rng.i(0, 12)} dead-lettered webhooks"))], \
            rng.u(1500, 4000), None

    lambda_function(sc, "webhook-replayer", inv=ri, err=np.zeros(N), dur_ms=2500, ok=rep, memory_size=1024,
                    mem_used=(110, 140), log_from=-10800, streams=1)
    sc.change(-2280, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "webhook-replayer", "azure-devops")
    sc.alarm("webhook-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": "webhook-ingest"}, stat="Sum",
             period=300, evals=1, threshold=10, onset=onset)
    sc.expect = {"alarm": "webhook-ingest-errors",
                 "root_cause": {"category": "application_error", "resource": ["webhook-ingest"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "webhook-ingest"}}]}
    sc.readme = dict(
        category="application_error", accepted="webhook-ingest",
        decoys="webhook-replayer deployed 4 min before onset (different function); constant duplicate-delivery "
               "warn lines",
        story="Partner globex started sending amounts as formatted strings (\"1,299.00\"). webhook-ingest "
              "(.NET 8) parses them with decimal.Parse and throws System.FormatException for every globex order "
              "(~20 % of deliveries). Nothing changed on webhook-ingest; the deploy of webhook-replayer just "
              "before is a coincidence.")
    return sc


# =========================================================================== h8-17 unknown (latency blip)


def latency_blip(seed: int) -> Scenario:
    sc = Scenario("h8-17-partner-api-latency-blip", "us-west-1",
                  "partner-api latency alarm fired a few minutes ago.", seed)
    r = sc.rng
    blip = -300
    sc.resource("apigateway", "partner-api", api_id="z9y8x7w6v5", stage="prod")
    sc.resource("lambda", "partner-gateway", runtime="provided.al2023", timeout=29, memory_size=512)
    sc.resource("lambda", "partner-audit", runtime="provided.al2023", timeout=60, memory_size=256)
    on = ((T >= blip) & (T < 0)).astype(float)
    inv = counts(r, 42 * wave(r, 10800, 0.1))
    dur = 118 + 1880 * on * r.g.uniform(0.85, 1.15, N)

    def go(t, level, msg, **kv):
        return json.dumps({"time": iso(t).replace("Z", "+00:00"), "level": level, "msg": msg, **kv})

    def ok(rng, rid, t, i):
        lines = [(0.005, go(t, "INFO", "request", requestId=rid, route=rng.choice(["GET /v2/stock", "GET /v2/prices",
                                                                                  "POST /v2/orders"]),
                            partner=rng.choice(["p-0114", "p-0231", "p-0458", "p-0620"])))]
        if rng.u() < 0.06:  # a partner with a revoked key keeps calling, all day
            lines.append((0.01, go(t, "ERROR", "auth failed", requestId=rid, partner="p-0999",
                                   err="invalid api key (revoked 2026-11-02)", status=401)))
        d = dur[i] * rng.u(0.6, 1.4)
        return lines, d, None

    lambda_function(sc, "partner-gateway", inv=inv, err=np.zeros(N), dur_ms=dur, ok=ok, memory_size=512,
                    mem_used=(60, 78), log_from=-7200, streams=3, init_ms=(70, 130))
    d = sc.get("AWS/Lambda", "Duration", {"FunctionName": "partner-gateway"})
    integ = np.nan_to_num(d, nan=118.0) + noisy(r, 22, 0.2)
    e4 = counts(r, inv * 0.06)
    apigateway(sc, "partner-api", count=inv.copy(), e4=e4, e5=counts(r, 0.02),
               latency=integ + noisy(r, 14, 0.2), integration=integ)
    ai = counts(r, 3.0)
    lambda_function(sc, "partner-audit", inv=ai, err=np.zeros(N), dur_ms=210, memory_size=256,
                    ok=lambda rng, rid, t, i: ([(0.1, go(t + 0.1, "INFO", "audit batch written",
                                                         records=rng.i(20, 90)))], None, None),
                    mem_used=(30, 40), log_from=-10800, streams=1, init_ms=(60, 100))
    sc.change(-11500, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "partner-audit", "terraform-platform")
    sc.alarm("partner-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "partner-api"}, stat="Average",
             period=60, evals=3, threshold=1500, description="partner-api average latency", onset=blip)
    sc.expect = {"alarm": "partner-api-latency",
                 "root_cause": {"category": "unknown", "resource": ["partner-api", "partner-gateway"]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "Latency", "dimensions": {"ApiName": "partner-api"}}]}
    sc.readme = dict(
        category="unknown", accepted="partner-api / partner-gateway (category is what matters)",
        decoys="steady 'auth failed' ERROR lines (revoked partner key) all day; partner-audit config change 3 h "
               "earlier",
        story="For the last five minutes partner-gateway invocations (Go) took ~2 s instead of ~120 ms and the "
              "API's average latency crossed 1.5 s. Volume, errors, throttles, memory and the function's own logs "
              "are unchanged; no deploy or config change is near. Nothing in the available evidence explains the "
              "blip (it may be a transient platform issue) - the honest answer is unknown.")
    return sc
