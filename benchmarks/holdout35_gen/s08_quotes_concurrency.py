"""h35-08: steady traffic growth (a new aggregator partner, +~33 % day over day) pushes a Lambda behind
API Gateway into its reserved concurrency of 120 late in the morning; throttles surface as API 5XX.
Slow burn (26 h of history), front alarm."""
import datetime as dt

from .lib import Scenario, LambdaLog, lambda_metrics, stream_name, first_breach, clamp

FILE = "h35-08-quotes-lambda-concurrency.yaml"
FN = "quote-engine"
API = "quotes-api"
REST = "k3v9q2x7ab"
META = {
    "file": FILE, "region": "ca-central-1", "alarm": "quotes-api-5xx",
    "category": "throttling", "resources": [FN], "where": "front (API Gateway)", "shape": "slow",
    "decoys": "quotes-api stage deployment 4 h before; constant 403 API-key 4XX on the API; constant "
              "'rating table missing rider' WARNINGs in the function",
    "story": (
        "quote-engine (python3.12, reserved concurrency 120, ~2.2 s per quote) sits behind the quotes-api "
        "REST API. The 26 h of history show yesterday's peak at ~100-108 concurrent executions with no "
        "throttles; a new aggregator partner went live in the evening and today's traffic runs ~33 % above "
        "yesterday at the same hour. Around 11:00 local ConcurrentExecutions flattens at exactly 120, "
        "Lambda Throttles rise with the demand, and API Gateway returns 500 for them (execution logs: "
        "`Lambda invocation failed with status: 429`, `Execution failed due to configuration error: Rate "
        "Exceeded`). Duration and the function's own errors are flat. The stage deployment 4 h earlier "
        "added an unrelated route and nothing degraded after it; the 403s are clients without API keys at a "
        "constant rate. Label: throttling on quote-engine (the API is only the front)."),
}


def build():
    now = dt.datetime(2026, 6, 9, 15, 40, tzinfo=dt.timezone.utc)
    s = Scenario("h35-08-quotes-lambda-concurrency", "ca-central-1",
                 "Partners report intermittent 500s from the quotes API; API 5XX alarm.",
                 seed=3508, now=now, window_h=26, tz_offset_h=-4)
    s.resource("lambda", FN, runtime="python3.12", timeout=15, memory_size=1536, reserved_concurrency=120,
               handler="quotes.handler")
    s.resource("lambda", "quote-pdf-renderer", runtime="nodejs20.x", timeout=30, memory_size=2048)
    s.resource("apigateway", API, rest_api_id=REST, stage="prod", endpoint_type="REGIONAL",
               integration=f"AWS_PROXY -> {FN}")

    mins = list(range(s.start, 0, 60))
    partner = s.start + 9 * 3600 + 30 * 60  # yesterday 19:10 local
    LIMIT, DUR = 120, 2.2
    demand, inv, thr, conc, dur = {}, {}, {}, {}, {}
    for t in mins:
        growth = 1.0 + 0.33 * clamp((t - partner) / 5400.0, 0, 1)
        dmd = 2850 * s.diurnal(t, 0.06, 14) * growth * (1 + s.g(0, 0.035)) + 15
        demand[t] = dmd
        d = DUR * (1 + s.g(0, 0.02))
        cap = LIMIT * 60 / d
        served = min(dmd, cap * (1 - abs(s.g(0, 0.004))))
        inv[t] = int(served)
        thr[t] = max(0, int(dmd - served)) if dmd > cap * 0.985 else 0
        conc[t] = LIMIT if thr[t] > 0 else min(LIMIT - 4, int(round(served * d / 60 * (1 + abs(s.g(0, 0.015))))))
        dur[t] = d * 1000
    err = {t: s.pois(inv[t] * 0.0004) for t in mins}
    lambda_metrics(s, FN, lambda t: inv[t], lambda t: err[t], lambda t: thr[t], lambda t: dur[t], lambda t: conc[t])
    pdf = {t: s.pois(inv[t] * 0.05) for t in mins}
    lambda_metrics(s, "quote-pdf-renderer", lambda t: pdf[t], lambda t: 0, lambda t: 0,
                   lambda t: 1800 + s.g(0, 150), lambda t: max(1, round(pdf[t] * 1.8 / 60 + 0.5)))
    a = {"ApiName": API}
    e4 = {t: s.pois(38) for t in mins}
    e5 = {t: thr[t] + err[t] + s.pois(0.2) for t in mins}
    s.metric("AWS/ApiGateway", "Count", a, "Count", lambda t: demand[t] + e4[t], nd=0)
    s.metric("AWS/ApiGateway", "4XXError", a, "Count", lambda t: e4[t], nd=0)
    s.metric("AWS/ApiGateway", "5XXError", a, "Count", lambda t: e5[t], nd=0)
    s.metric("AWS/ApiGateway", "Latency", a, "Milliseconds",
             lambda t: (dur[t] + 38) * (inv[t] / max(demand[t], 1)) + 25 * (thr[t] / max(demand[t], 1)))
    s.metric("AWS/ApiGateway", "IntegrationLatency", a, "Milliseconds",
             lambda t: (dur[t] + 21) * (inv[t] / max(demand[t], 1)) + 12 * (thr[t] / max(demand[t], 1)))

    # ---- logs ---------------------------------------------------------------------------------
    ll = LambdaLog(s, 1536, runtime="python")
    products = ["term-life-10", "term-life-20", "auto-basic", "auto-plus", "home-standard", "tenant"]
    for k in range(3):
        ev = []
        for t in s.times(lambda t: 4.5 * s.diurnal(t, 0.06, 14), start=-4 * 3600):
            q = f"q_{s.alnum(10, 'abcdefghijkmnpqrstuvwxyz0123456789')}"
            p = s.pick(products)
            d = DUR * 1000 * (0.7 + 0.6 * s.rng.random())
            body = [(0.01, "info", f"quote request {q} product={p} partner={s.pick(['direct', 'brokerlink', 'ratehub', 'kanetix'])}")]
            if s.rng.random() < 0.06:
                body.append((0.4, "warning", "rating table 'ON-2026Q2' missing rider 'critical-illness', falling back "
                                             "to base rates"))
            body.append((d / 1000 - 0.05, "info", f"quote {q} premium={s.rng.randint(1800, 45000) / 100:.2f} CAD "
                                                  f"computed in {int(d) - 40} ms"))
            _, blk = ll.invoke(t, d, 402 + s.rng.randint(-8, 8), body)
            ev.extend(blk)
        s.log(f"/aws/lambda/{FN}", stream_name(s, -4 * 3600), ev)
    ev = []
    for t in s.times(lambda t: 2.0 + min(thr.get(t - t % 60, 0), 2000) * 0.012, start=-3 * 3600):
        rid = s.uid()
        m = t - t % 60
        if thr.get(m, 0) > 0 and s.rng.random() < 0.5 + min(0.45, thr[m] / 800):
            ev.append((t, f"({rid}) Lambda invocation failed with status: 429. Lambda request id: {s.uid()}"))
            ev.append((t + 0.001, f"({rid}) Execution failed due to configuration error: Rate Exceeded."))
            ev.append((t + 0.002, f"({rid}) Method completed with status: 500"))
        else:
            ev.append((t, f"({rid}) API Key **********{s.alnum(4, 'abcdefghijklmnopqrstuvwxyz0123456789')} not "
                          "authorized because method 'POST /v1/quotes' requires API Key and API Key is not associated "
                          f"with a Usage Plan for API Stage {REST}/prod: API Key is not associated with a Usage Plan"))
            ev.append((t + 0.001, f"({rid}) Method completed with status: 403"))
    s.log(f"API-Gateway-Execution-Logs_{REST}/prod", f"{s.hexid(32)}", ev)

    s.change(-4 * 3600, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", API,
             "ci-deployer")
    when = first_breach(e5, 60, 3, 50, ">")
    s.alarm("quotes-api-5xx", "AWS/ApiGateway", "5XXError", a, "Sum", 60, 3, 50, "GreaterThanThreshold", "ALARM",
            "Threshold Crossed: 3 datapoints were greater than the threshold (50.0).", min(when or -1200, -60),
            description="quotes API server errors")
    s.alarm("quote-engine-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 10,
            "GreaterThanThreshold", "OK", "Threshold Crossed: 3 datapoints were not greater than the threshold (10.0).",
            -5 * 86400)
    s.expect = {"alarm": "quotes-api-5xx",
                "root_cause": {"category": "throttling", "resource": [FN]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": FN}},
                              {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": a}]}
    return s
