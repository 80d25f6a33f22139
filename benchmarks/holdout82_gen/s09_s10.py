"""h82-09 (PHP checkout vs. the payment provider) and h82-10 (cart totals under a stacking promo)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID
from benchmarks.holdout57_gen.runtimes import LambdaLogs

from .kit import (LOG_START, S82, apigw_exec, apigw_metrics, diurnal, lambda_metrics, monolog,
                  node_err, ramp, rds_metrics, sampled, bump)


# ============================================================================ h82-09
def build_09() -> S82:
    sc = S82(9, "checkout-authorize", "Checkout spinner then 'payment could not be processed'; the "
             "checkout API 5XX alarm fired.", "ca-central-1", "2026-11-27T20:40:00")
    fn, api, on = "checkout-submit", "checkout-edge", -2160
    sc.resource("apigateway", api, api_id="c4m8z1q6xe", stage="prod", endpoint="REGIONAL")
    sc.resource("lambda", fn, runtime="provided.al2023", layers=["bref php-83"], timeout=28, memory_size=1024,
                psp_endpoint="https://api.paylane-gw.example/v3", psp_http_timeout_s=10)
    sc.resource("lambda", "fraud-score", runtime="python3.11", timeout=5, memory_size=512)
    sc.resource("lambda", "address-verify", runtime="nodejs20.x", timeout=5, memory_size=256)

    sale = lambda t: 1.0 + 0.5 * ramp(t, -5400, -5100)
    bad = lambda t: ramp(t, on, on + 120)
    inv = sc.vals(lambda t: 210 * diurnal(sc, t, 20, 0.2) * sale(t), integer=True)
    psp_fail = sc.vals(lambda t: 210 * diurnal(sc, t, 20, 0.2) * sale(t) * 0.62 * bad(t), integer=True)
    psp_fail = [min(a, b) for a, b in zip(inv, psp_fail)]
    err = sc.vals(lambda t: 0.1, integer=True)
    dur = [round(640 + (f / n if n else 0) * 9700 + sc.rng.gauss(0, 40), 2) for n, f in zip(inv, psp_fail)]
    lambda_metrics(sc, fn, inv, err, dur)
    e5 = [float(f + e) for f, e in zip(psp_fail, err)]
    apd = apigw_metrics(sc, api, list(inv), sc.vals(lambda t: 2.5 * sale(t), integer=True), e5,
                        [round(x + 28, 2) for x in dur], [round(x + 11, 2) for x in dur])
    finv = sc.vals(lambda t: 210 * diurnal(sc, t, 20, 0.2) * sale(t), integer=True)
    lambda_metrics(sc, "fraud-score", finv, [0.0] * 360,
                   sc.vals(lambda t: 95 + 900 * bump(t, -2700, -2580, 1, 30), noise=0.1))
    ainv = sc.vals(lambda t: 240 * diurnal(sc, t, 20, 0.2) * sale(t), integer=True)
    aerr = sc.vals(lambda t: 1.2 * sale(t), integer=True)
    lambda_metrics(sc, "address-verify", ainv, aerr, sc.vals(lambda t: 160, noise=0.1))

    ll = LambdaLogs(sc, fn, "provided.al2023", 1024, 28, mem_used=(96, 6))
    pf = {m: (f / n if n else 0.0) for m, n, f in zip(GRID, inv, psp_fail)}

    def body(ll, t, rid, is_err, cold):
        oid = f"CA-{sc.rng.randint(10 ** 7, 10 ** 8)}"
        lines = [(0.01, monolog(sc, t, "info", "checkout submitted", {"order": oid, "items": sc.rng.randint(1, 6)},
                                channel="checkout"))]
        if sc.rng.random() < 0.1:
            lines.append((0.005, "PHP Deprecated:  Creation of dynamic property App\\Cart\\LineItem::$giftWrap "
                                  "is deprecated in /var/task/src/Cart/LineItem.php on line 58"))
        if sc.rng.random() < pf.get(int(t // 60 * 60), 0.0):
            d = 10000 + sc.rng.uniform(1, 60)
            lines.append((d / 1000, monolog(sc, t + d / 1000, "error", "PSP authorize failed", {
                "order": oid, "exception": "GuzzleHttp\\Exception\\ConnectException: cURL error 28: Operation "
                "timed out after 10001 milliseconds with 0 bytes received (see https://curl.haxx.se/libcurl/c/"
                "libcurl-errors.html) for https://api.paylane-gw.example/v3/authorizations"}, channel="checkout")))
            lines.append((d / 1000 + 0.002, monolog(sc, t + d / 1000, "warning", "responding 502 payment_unavailable",
                                                    {"order": oid}, channel="checkout")))
            return {"dur": d + 40, "lines": lines}
        d = max(250, sc.rng.gauss(640, 120))
        return {"dur": d, "lines": lines + [(d / 1000 - 0.01, monolog(
            sc, t + d / 1000, "info", "payment authorized", {"order": oid, "psp_ref": f"pl_{sc.hexid(16)}",
                                                             "psp_ms": int(d - 150)}, channel="checkout"))]}

    ll.run(*sampled(sc, inv, err, 4), body)
    al = LambdaLogs(sc, "address-verify", "nodejs20.x", 256, 5, retire=(-2220,))

    def abody(ll, t, rid, is_err, cold):
        if is_err:
            return {"dur": 40, "lines": [(0.03, node_err(ll, t, rid, "PostalCodeFormatError",
                    "postal code 'H2X1Y4X' does not match A1A 1A1", ["    at validate (/var/task/index.mjs:22:11)"]))]}
        return {"dur": max(50, sc.rng.gauss(160, 30)), "lines": [(0.02, ll.fmt(t, rid, "INFO", "address verified"))]}

    al.run(*sampled(sc, ainv, aerr, 2), abody)
    eg, es = "API-Gateway-Execution-Logs_c4m8z1q6xe/prod", "c4m8z1q6xe-prod"
    for t, f in zip(GRID, psp_fail):
        if t < LOG_START:
            continue
        for _ in range(int(min(f, 2))):
            s, r = t + sc.rng.uniform(0, 60), sc.uuid()
            sc.log(eg, es, s, apigw_exec(sc, r, "Endpoint response body before transformations: "
                                            '{"statusCode":502,"body":"{\\"error\\":\\"payment_unavailable\\"}"}'))
            sc.log(eg, es, s + 0.001, apigw_exec(sc, r, "Method completed with status: 502"))

    sc.change(-2220, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "address-verify", "s.tremblay")
    sc.change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "fraud-score", "ci-risk")
    sc.alarm("checkout-edge-5xx", "AWS/ApiGateway", "5XXError", apd, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "checkout API server errors")
    sc.alarm("checkout-submit-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    sc.alarm("checkout-submit-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 300, 2,
             3000, "GreaterThanThreshold")
    sc.expect_rc("checkout-edge-5xx", "dependency_failure", [fn],
                 [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}])
    sc.meta = dict(
        front="front (API Gateway); origin = external PSP, called by the Lambda",
        decoys="address-verify config change 1 min before onset; fraud-score deploy and duration blip "
               "9 min before; chronic PHP deprecations and address-verify errors; Lambda Errors alarm "
               "stays OK",
        services="API Gateway, Lambda (PHP 8.3 on Bref with Monolog lines, Python 3.11, Node 20)",
        story="From -36 min about 60 % of checkout-submit calls log `PSP authorize failed` with Guzzle "
              "`cURL error 28: Operation timed out after 10001 milliseconds` against "
              "api.paylane-gw.example; the handler catches it and answers 502 payment_unavailable, so "
              "the function's Errors metric stays flat while Duration jumps from ~0.6 s to ~6.7 s and "
              "checkout-edge 5XX climbs to ~220 a minute. Nothing in the account changed on the checkout "
              "path: the configuration edit was to address-verify (whose postal-code errors run at the "
              "same rate all evening), and fraud-score's deploy blip ended before the onset.",
        judgement="The failing dependency is an external payment provider, not a resource in the account, "
                  "so the accepted resource is the function that calls it and where the timeouts are "
                  "logged. The function stays well under its 28 s timeout (the HTTP client gives up at "
                  "10 s), so this is not function_timeout.")
    return sc


# ============================================================================ h82-10
def build_10() -> S82:
    sc = S82(10, "cart-totals-promo", "Carts not loading for big baskets ('tente novamente'); the "
             "cart-totals error alarm fired.", "sa-east-1", "2026-11-27T23:30:00")
    fn, api, on, to = "cart-totals", "carrinho-api", -2520, 6
    sc.resource("apigateway", api, api_id="b7t3n9w2ka", stage="prod", endpoint="REGIONAL")
    sc.resource("lambda", fn, runtime="nodejs22.x", timeout=to, memory_size=1536)
    sc.resource("lambda", "shipping-quote", runtime="dotnet8", timeout=10, memory_size=512)
    sc.resource("rds", "promo-catalog", engine="postgres", engine_version="16.4", instance_class="db.t4g.large",
                max_connections=400, allocated_storage_gb=100)

    promo = lambda t: ramp(t, on, on + 300)
    inv = sc.vals(lambda t: 380 * diurnal(sc, t, 23, 0.2) * (1 + 0.25 * promo(t)), integer=True)
    tout = sc.vals(lambda t: 380 * diurnal(sc, t, 23, 0.2) * 0.07 * promo(t), integer=True)
    err = [float(min(a, b)) for a, b in zip(inv, tout)]
    dur = [round(210 + 1150 * (min(e / n, 1) if n else 0) * 10 + sc.rng.gauss(0, 20), 2) for n, e in zip(inv, err)]
    fd = lambda_metrics(sc, fn, inv, err, dur)
    apd = apigw_metrics(sc, api, list(inv), sc.vals(lambda t: 3, integer=True), [float(e) for e in err],
                        [round(x + 25, 2) for x in dur], [round(x + 9, 2) for x in dur])
    sinv = sc.vals(lambda t: 140 * diurnal(sc, t, 23, 0.2), integer=True)
    lambda_metrics(sc, "shipping-quote", sinv, sc.vals(lambda t: 0.4, integer=True), sc.vals(lambda t: 330, noise=0.12))
    rds_metrics(sc, "promo-catalog", sc.vals(lambda t: 14 + 4 * promo(t), noise=0.06),
                sc.vals(lambda t: 48, integer=True), sc.vals(lambda t: 71.2, noise=0.0005),
                sc.vals(lambda t: 0.0006, noise=0.1, digits=5), sc.vals(lambda t: 0.0011, noise=0.1, digits=5),
                sc.vals(lambda t: 3900, noise=0.01))

    ll = LambdaLogs(sc, fn, "nodejs22.x", 1536, to, retire=(-12600,), mem_used=(210, 15))
    pt = {m: (e / n if n else 0.0) for m, n, e in zip(GRID, inv, err)}

    def body(ll, t, rid, is_err, cold):
        items = sc.rng.randint(1, 9)
        if sc.rng.random() < pt.get(int(t // 60 * 60), 0.0):
            items = sc.rng.randint(13, 31)
            lines = [(0.002, ll.fmt(t, rid, "INFO", f"totals cart={sc.hexid(12)} items={items} promos=[LEVE3PAGUE2,"
                                                       f"FRETEGRATIS,BF-PIX-10]")),
                     (0.09, ll.fmt(t, rid, "INFO", f"promo cache hit rules=412 age={sc.rng.randint(5, 280)}s"))]
            return {"dur": 0, "status": "timeout", "lines": lines, "mem": int(sc.rng.gauss(420, 40))}
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"totals cart={sc.hexid(12)} items={items}"))]
        if sc.rng.random() < 0.05:
            lines.append((0.05, ll.fmt(t, rid, "WARN", f"promo cache refresh took {sc.rng.randint(900, 1600)}ms "
                                                         "(rules=412)")))
        d = max(40, sc.rng.gauss(200 + 60 * items * promo(t), 40))
        return {"dur": d, "lines": lines + [(d / 1000 - 0.004, ll.fmt(
            t, rid, "INFO", f"totals done subtotal={sc.rng.uniform(40, 900):.2f} BRL evaluated_combinations="
                            f"{int(items ** (1 + 2 * promo(t)))}"))]}

    ll.run(*sampled(sc, inv, err, 4), body)
    sl = LambdaLogs(sc, "shipping-quote", "dotnet8", 512, 10, retire=(-2580,))
    sl.run(*sampled(sc, sinv, [0] * 360, 1), lambda ll, t, rid, e, c: {
        "dur": sc.rng.gauss(330, 40), "lines": [(0.02, ll.fmt(t, rid, "INFO",
                                                  f"Quote cep={sc.rng.randint(10000, 99999)}-000 carriers=3 best=SEDEX"))]})
    eg, es = "API-Gateway-Execution-Logs_b7t3n9w2ka/prod", "b7t3n9w2ka-prod"
    for t, e in zip(GRID, err):
        if t < LOG_START:
            continue
        for _ in range(int(min(e, 2))):
            s, r = t + sc.rng.uniform(0, 60), sc.uuid()
            sc.log(eg, es, s, apigw_exec(sc, r, "Lambda execution failed with status 200 due to customer function "
                                            f"error: {sc.iso(s)} {sc.uuid()} Task timed out after {to}.00 seconds. "
                                            f"Lambda request id: {sc.uuid()}"))
            sc.log(eg, es, s + 0.001, apigw_exec(sc, r, "Method completed with status: 502"))

    sc.change(-12600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "ci-checkout-br")
    sc.change(-2580, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "shipping-quote", "logistica-admin")
    sc.alarm("cart-totals-errors", "AWS/Lambda", "Errors", fd, "Sum", 60, 3, 8, "GreaterThanThreshold",
             "cart totals failing")
    sc.alarm("carrinho-api-latency", "AWS/ApiGateway", "Latency", apd, "Average", 300, 1, 1000, "GreaterThanThreshold")
    sc.expect_rc("cart-totals-errors", "function_timeout", [fn],
                 [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": fd}])
    sc.meta = dict(
        front="origin (Lambda); API latency alarm too",
        decoys="shipping-quote config change 1 min before onset; cart-totals deploy 3.5 h earlier; "
               "chronic promo-cache refresh warnings; promo-catalog CPU bump",
        services="API Gateway, Lambda (Node 22, .NET 8), RDS",
        story="The LEVE3PAGUE2 promotion goes live at -42 min (no deploy: promo rules are data). "
              "cart-totals evaluates promo combinations in memory; small carts get slower, and carts "
              "with 13+ items run into the 6 s limit: the log shows `Task timed out after 6.00 seconds` "
              "with `Status: timeout` and no error or dependency call before it (the promo rules come "
              "from a warm cache). Errors are ~7 % of invocations, all timeouts; API Gateway passes them "
              "on as 502. promo-catalog is quiet, shipping-quote's configuration change is unrelated, and "
              "cart-totals' last deploy was three hours earlier.",
        judgement="The trigger is a promotion (content, not a CloudTrail change), so no change category "
                  "applies; the function reaches its configured timeout with no dependency errors, which "
                  "is the function_timeout row exactly.")
    return sc


BUILDERS = [build_09, build_10]
