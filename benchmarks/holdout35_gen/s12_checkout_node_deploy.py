"""h35-12: a Node.js checkout Lambda is deployed (alias live -> v58) and card payments with installments
start throwing TypeError. Fast, front alarm on API Gateway 5XX."""
import datetime as dt

from .lib import Scenario, LambdaLog, lambda_metrics, stream_name, first_breach, clamp

FILE = "h35-12-checkout-lambda-node-deploy.yaml"
FN = "checkout-orchestrator"
API = "checkout-api-br"
REST = "r7t2m9p4qa"
META = {
    "file": FILE, "region": "sa-east-1", "alarm": "checkout-api-br-5xx",
    "category": "bad_deployment", "resources": [FN], "where": "front (API Gateway)", "shape": "fast",
    "decoys": "freight-quote configuration change 70 min before; pix-webhook errors at a constant rate; "
              "constant 'adyen authorise latency' WARN lines in the orchestrator",
    "story": (
        "checkout-orchestrator (nodejs20.x) is deployed 26 minutes ago: UpdateFunctionCode, PublishVersion "
        "and UpdateAlias moving `live` to version 58 (START lines switch from `Version: 57` to `Version: 58`). "
        "Within a minute a new unhandled error appears only in version 58 invocations: `Invoke Error "
        "{\"errorType\":\"TypeError\",\"errorMessage\":\"Cannot read properties of undefined (reading "
        "'installments')\"...}` in buildPaymentRequest, for card payments with installments (~30 % of "
        "checkouts). Lambda Errors and API Gateway 5XX (`Lambda execution failed with status 200 due to "
        "customer function error`, `Method completed with status: 502`) jump together; duration, throttles "
        "and traffic are normal. The freight-quote config change is another function, an hour earlier, and "
        "pix-webhook's errors and the Adyen latency warnings are constant. Label: bad_deployment of "
        "checkout-orchestrator."),
}


def build():
    now = dt.datetime(2026, 10, 14, 16, 20, tzinfo=dt.timezone.utc)
    s = Scenario("h35-12-checkout-lambda-node-deploy", "sa-east-1",
                 "Checkout failing for some card payments; API Gateway 5XX alarm.",
                 seed=3512, now=now, window_h=6, tz_offset_h=-3)
    s.resource("lambda", FN, runtime="nodejs20.x", timeout=29, memory_size=1024, alias="live", handler="src/index.handler")
    s.resource("lambda", "freight-quote", runtime="nodejs20.x", timeout=10, memory_size=512)
    s.resource("lambda", "pix-webhook", runtime="nodejs20.x", timeout=10, memory_size=256)
    s.resource("apigateway", API, rest_api_id=REST, stage="prod", integration=f"AWS_PROXY -> {FN}:live")

    mins = list(range(s.start, 0, 60))
    dep = -26 * 60
    cut = dep + 40
    inv = {t: s.pois(430 * s.diurnal(t, 0.1, 15)) for t in mins}
    err = {t: (s.pois(inv[t] * 0.29) if t >= cut else 0) + s.pois(0.15) for t in mins}
    lambda_metrics(s, FN, lambda t: inv[t], lambda t: min(err[t], inv[t]), lambda t: 0,
                   lambda t: 860 + s.g(0, 40) - (90 if t >= cut else 0),
                   lambda t: max(1, round(inv[t] * 0.86 / 60 * 1.1)))
    fq_cfg = -70 * 60
    fq = {t: s.pois(inv[t] * 0.8) for t in mins}
    lambda_metrics(s, "freight-quote", lambda t: fq[t], lambda t: s.pois(0.1), lambda t: 0,
                   lambda t: 310 + s.g(0, 25) + (20 if t >= fq_cfg else 0), lambda t: max(1, round(fq[t] * 0.31 / 60 + 1)))
    px = {t: s.pois(60 * s.diurnal(t, 0.1, 15)) for t in mins}
    pe = {t: s.pois(px[t] * 0.05) for t in mins}
    lambda_metrics(s, "pix-webhook", lambda t: px[t], lambda t: pe[t], lambda t: 0, lambda t: 120 + s.g(0, 10),
                   lambda t: max(1, round(px[t] * 0.12 / 60 + 1)))
    a = {"ApiName": API}
    e5 = {t: min(err[t], inv[t]) + s.pois(0.2) for t in mins}
    s.metric("AWS/ApiGateway", "Count", a, "Count", lambda t: inv[t] + 9, nd=0)
    s.metric("AWS/ApiGateway", "5XXError", a, "Count", lambda t: e5[t], nd=0)
    s.metric("AWS/ApiGateway", "4XXError", a, "Count", lambda t: s.pois(9), nd=0)
    s.metric("AWS/ApiGateway", "Latency", a, "Milliseconds", lambda t: 905 + s.g(0, 40) - (80 if t >= cut else 0))
    s.metric("AWS/ApiGateway", "IntegrationLatency", a, "Milliseconds", lambda t: 880 + s.g(0, 40) - (80 if t >= cut else 0))

    # ---- logs ---------------------------------------------------------------------------------
    ll = LambdaLog(s, 1024, runtime="node")
    streams = {}
    for t in s.times(lambda t: 12 * s.diurnal(t, 0.1, 15), start=-3 * 3600):
        ver = "58" if t >= cut else "57"
        oid = f"BR-{s.rng.randint(10 ** 8, 10 ** 9)}"
        method = s.pick(["pix", "boleto", "card", "card_installments"], [0.38, 0.1, 0.22, 0.30])
        d = 700 + s.rng.random() * 350
        body = [(0.004, "info", f"checkout start order={oid} items={s.rng.randint(1, 6)} method={method}")]
        if s.rng.random() < 0.05:
            body.append((0.5, "warn", f"adyen authorise latency {2000 + s.rng.randint(20, 900)}ms (threshold 2000ms) "
                                      f"order={oid}"))
        if ver == "58" and method == "card_installments":
            body.append((0.09, "error", "Invoke Error \t{\"errorType\":\"TypeError\",\"errorMessage\":\"Cannot read "
                                        "properties of undefined (reading 'installments')\",\"stack\":[\"TypeError: "
                                        "Cannot read properties of undefined (reading 'installments')\",\"    at "
                                        "buildPaymentRequest (/var/task/src/payments/request.js:57:41)\",\"    at "
                                        "processCheckout (/var/task/src/checkout.js:112:23)\",\"    at async "
                                        "Runtime.handler (/var/task/src/index.js:31:18)\"]}"))
            d = 95 + s.rng.random() * 40
        else:
            body.append((d / 1000 - 0.01, "info", f"checkout complete order={oid} status=authorised "
                                                  f"psp={'adyen' if method.startswith('card') else method}"))
        _, blk = ll.invoke(t, d, 188 + s.rng.randint(-5, 9), body, version=ver)
        key = ver + str(s.rng.randint(0, 2))
        streams.setdefault(key, []).extend(blk)
    for key, ev in sorted(streams.items()):
        s.log(f"/aws/lambda/{FN}", stream_name(s, -3 * 3600 if key[:2] == "57" else cut, key[:2]), ev)
    ev = []
    for t in s.times(lambda t: 3.5 + e5.get(t - t % 60, 0) * 0.05, start=-2 * 3600):
        rid = s.uid()
        m = t - t % 60
        if m >= cut and s.rng.random() < 0.5:
            ev.append((t, f"({rid}) Lambda execution failed with status 200 due to customer function error: Cannot read "
                          f"properties of undefined (reading 'installments'). Lambda request id: {s.uid()}"))
            ev.append((t + 0.001, f"({rid}) Method completed with status: 502"))
        else:
            ev.append((t, f"({rid}) Method completed with status: 200"))
    s.log(f"API-Gateway-Execution-Logs_{REST}/prod", s.hexid(32), ev)
    pl = LambdaLog(s, 256, runtime="node")
    ev = []
    for t in s.times(lambda t: 4 * s.diurnal(t, 0.1, 15), start=-3 * 3600):
        body = [(0.003, "info", f"pix notification e2e=E{s.rng.randint(10 ** 12, 10 ** 13)}")]
        if s.rng.random() < 0.05:
            body.append((0.05, "error", "Invoke Error \t{\"errorType\":\"ValidationError\",\"errorMessage\":\"txid not "
                                        "found for e2e id\",\"stack\":[\"ValidationError: txid not found for e2e id\","
                                        "\"    at reconcilePix (/var/task/src/pix.js:88:11)\"]}"))
        _, blk = pl.invoke(t, 110 + s.rng.random() * 30, 77, body)
        ev.extend(blk)
    s.log("/aws/lambda/pix-webhook", stream_name(s, -3 * 3600), ev)

    s.change(fq_cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "freight-quote", "ana.ribeiro")
    s.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "ci-deployer")
    s.change(dep + 18, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "ci-deployer")
    s.change(dep + 25, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias", f"{FN}:live", "ci-deployer")
    when = first_breach(e5, 60, 3, 20, ">")
    s.alarm("checkout-api-br-5xx", "AWS/ApiGateway", "5XXError", a, "Sum", 60, 3, 20, "GreaterThanThreshold", "ALARM",
            "Threshold Crossed: 3 datapoints were greater than the threshold (20.0).", min(when or -1200, -60),
            description="checkout API 5xx")
    s.alarm("pix-webhook-errors", "AWS/Lambda", "Errors", {"FunctionName": "pix-webhook"}, "Sum", 300, 1, 10,
            "GreaterThanThreshold", "OK", "Threshold Crossed: 1 datapoint was not greater than the threshold (10.0).",
            -9 * 86400)
    s.expect = {"alarm": "checkout-api-br-5xx",
                "root_cause": {"category": "bad_deployment", "resource": [FN]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}},
                              {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": a}]}
    return s
