"""Cases alarmed on an API Gateway API (12, 13, 16)."""
from __future__ import annotations

import numpy as np

from .core import Case
from .families import Call, apigw_metrics, arrivals, lambda_metrics, per_minute, simulate
from .logfmt import LambdaLogs, apigw_access, apigw_exec, dotnet_lambda_line, node_line, py_line

ACCT = "123456789012"


def _deploy(c: Case, t: float, fn: str, user: str, alias: bool = True) -> None:
    c.change(t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, user)
    c.change(t + 13, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, user)
    if alias:
        c.change(t + 25, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, user)


def _client_ip(c: Case) -> str:
    return f"{int(c.rng.integers(3, 220))}.{int(c.rng.integers(0, 255))}.{int(c.rng.integers(0, 255))}.{int(c.rng.integers(1, 254))}"


# ---------------------------------------------------------------- 12
def case12() -> Case:
    c = Case(12, "partner-gateway-4xx", "us-east-1", 1712, "2026-03-18T18:05:00",
             "partner-gateway 4XX alarm; two partners report intermittent failures on quote requests.")
    api, api_id, fn = "partner-gateway", "p9r2t7w4zq", "partner-quotes"
    c.resource("apigateway", api, api_id=api_id, stage="v1", throttling_rate_limit=250, throttling_burst_limit=500,
               endpoint_type="REGIONAL")
    c.resource("lambda", fn, runtime="dotnet8", timeout=15, memory_size=1024, alias="live")
    c.resource("lambda", "partner-webhooks", runtime="nodejs20.x", timeout=30, memory_size=256)
    _deploy(c, -16020, fn, "octopus-deploy")
    n = len(c.t)
    limit = 250 * 60
    x = (c.t + 21600) / 21600
    demand = limit * (0.80 + 0.25 * x ** 1.6) * (1 + 0.008 * c.rng.standard_normal(n) + 0.01 * c.walk(n, 1))
    served = np.minimum(demand, limit * (0.99 + 0.004 * c.rng.standard_normal(n)))
    throttled = np.round(demand - served)
    base4 = c.poisson(demand * 0.0028)
    e5 = c.poisson(0.6, n)
    lat = 88 + c.rng.normal(0, 4, n)
    apigw_metrics(c, api, np.round(demand), throttled + base4, e5, lat * (served / demand) + 6 * (throttled / demand),
                  (lat - 9) + c.rng.normal(0, 2, n))
    inv = np.round(served - base4)
    dur = 71 + c.rng.normal(0, 3.5, n)
    lambda_metrics(c, fn, {"Invocations": inv, "Errors": c.poisson(0.15, n), "Duration": dur,
                           "ConcurrentExecutions": np.ceil(inv / 60 * dur / 1000 * 1.3 + c.rng.uniform(0, 2, n))})
    wh_rate = np.full(n, 18.0) + ((c.t >= -6030) & (c.t < -5540)) * 240
    wh = simulate(c, wh_rate, lambda t: Call(t, float(c.rng.lognormal(np.log(140), 0.3))))
    lambda_metrics(c, "partner-webhooks", per_minute(c, wh))

    acc = []
    partners = ["pk_live_7HfQ2", "pk_live_Lm93x", "pk_live_c0Rta", "pk_live_Yy41e", "pk_live_bd8Zs"]
    res = [("POST", "/quotes"), ("GET", "/quotes/{id}"), ("GET", "/rates"), ("POST", "/bookings")]
    for t, i in arrivals(c, served / 700):
        m, p = res[int(c.rng.choice(4, p=[0.55, 0.2, 0.15, 0.1]))]
        if c.rng.random() < 0.0028:
            acc.append((t, apigw_access(c, t, c.uuid(), _client_ip(c), m, p, 403, 42, "-", 3, "Forbidden")))
            continue
        ms = int(dur[i] * c.rng.uniform(0.7, 1.4))
        acc.append((t, apigw_access(c, t, c.uuid(), _client_ip(c), m, p, 201 if m == "POST" else 200,
                                    int(c.rng.integers(300, 2400)), ms, ms + int(c.rng.integers(8, 18)))))
    for t, i in arrivals(c, throttled / 100):
        m, p = res[int(c.rng.choice(4, p=[0.55, 0.2, 0.15, 0.1]))]
        acc.append((t, apigw_access(c, t, c.uuid(), _client_ip(c), m, p, 429, 41, "-", int(c.rng.integers(1, 4)),
                                    "Too Many Requests")))
    c.log(f"/aws/apigateway/{api}/access-logs", f"{api_id}-v1-{c.hex(12)}", acc)
    ll = LambdaLogs(c, fn, 1024)
    rid_rate = inv / 3200
    for t, i in arrivals(c, rid_rate):
        partner = c.pick(partners)
        lane = f"{c.pick(['USCHI', 'USLAX', 'USNYC', 'USATL', 'USDAL'])}-{c.pick(['MXMEX', 'CATOR', 'USSEA', 'USMIA'])}"
        d = float(dur[i] * c.rng.uniform(0.6, 1.5))
        body = lambda rid, s, d=d, partner=partner, lane=lane: [
            (0.002, dotnet_lambda_line(c, s + 0.002, rid, "info", f"Quote request from {partner} lane={lane} pallets={int(c.rng.integers(1, 26))}")),
            (d / 1000 - 0.003, dotnet_lambda_line(c, s + d / 1000 - 0.003, rid, "info",
             f"Quote q_{c.hex(10)} priced {c.rng.uniform(380, 5200):.2f} USD in {int(d - 5)} ms"))]
        ll.invoke(t, body, d, int(c.rng.integers(140, 170)), version="38", init_ms=(900, 1500))
    ll.flush()
    wl = LambdaLogs(c, "partner-webhooks", 256)
    for k in wh:
        if k.t >= -10800 and c.rng.random() < 0.15:
            wl.invoke(k.t, lambda rid, s: [(0.01, node_line(c, s + 0.01, rid, "INFO",
                      f"delivered webhook quote.accepted to partner endpoint (HTTP 200, {int(c.rng.integers(40, 300))} ms)"))],
                      k.duration_ms, int(c.rng.integers(70, 90)))
    wl.flush()
    c.alarm("partner-gateway-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 60, 3, 150,
            description="partner-gateway client errors", want="ALARM")
    c.alarm("partner-gateway-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10, want="OK")
    c.alarm("partner-quotes-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10, want="OK")
    c.alarm("partner-quotes-throttles", "AWS/Lambda", "Throttles", {"FunctionName": fn}, "Sum", 60, 1, 0, want="OK")
    c.set_expect("partner-gateway-4xx", "throttling", [api, api_id],
                 [("AWS/ApiGateway", "4XXError", {"ApiName": api}), ("AWS/ApiGateway", "Count", {"ApiName": api})])
    c.meta = dict(front="origin (the API's own 4XX alarm)", decoys=(
        "partner-quotes deploy 4 h earlier; partner-webhooks replay burst 1 h earlier; steady 403s"), story=(
        "The v1 stage is throttled at 250 req/s (burst 500). Afternoon partner traffic climbs smoothly (about +30 % "
        "over six hours, no spike) and in the last ~40 minutes crosses the stage limit: 4XXError rises by the excess, "
        "the access log shows 429 `Too Many Requests` with no integration latency, and the backend's invocations "
        "flatten at ~15 000/min while the Lambda itself has no throttles, errors or latency change. The old deploy "
        "and the webhook burst don't touch the throttled stage."))
    return c


# ---------------------------------------------------------------- 13
def case13() -> Case:
    region = "af-south-1"
    c = Case(13, "orders-public-5xx", region, 1713, "2026-03-19T09:45:00",
             "orders-public 5XX alarm; the mobile app can't place or view orders.")
    api, api_id, fn = "orders-public", "x3c8v1n6mb", "orders-handler"
    c.resource("apigateway", api, api_id=api_id, stage="prod", stage_variables={"lambdaAlias": "prod-blue"},
               integration=f"arn:aws:lambda:{region}:{ACCT}:function:{fn}:${{stageVariables.lambdaAlias}}")
    c.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=512, aliases=["live"])
    c.resource("lambda", "orders-notifier", runtime="python3.12", timeout=30, memory_size=256,
               event_source="sqs:order-events")
    _deploy(c, -9010, fn, "gha-orders")
    c.change(-2110, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "orders-notifier", "t.dlamini")
    flip = -1385
    c.change(flip, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
             f"arn:aws:apigateway:{region}::/restapis/{api_id}/stages/prod", "m.ferreira")
    n = len(c.t)
    broken = c.t >= flip + 60
    count = c.diurnal(900, 0.35, 10) * (1 + 0.03 * c.walk(n, 1))

    def call(t: float) -> Call:
        if t >= flip + 5:
            return Call(t, float(c.rng.uniform(9, 18)), True, "nf")
        r = c.rng.random()
        return Call(t, float(c.rng.lognormal(np.log(135), 0.3)), kind="400" if r < 0.012 else "ok",
                    data={"m": "POST" if c.rng.random() < 0.3 else "GET"})
    calls = simulate(c, count, call)
    auth = c.poisson(count * 0.008)
    agg = per_minute(c, calls)
    ok_calls = [k for k in calls if not k.error]
    lam = per_minute(c, ok_calls)
    lambda_metrics(c, fn, lam)
    e4 = auth.astype(float)
    e4 += np.bincount([int((k.t - c.t[0]) // 60) for k in calls if k.kind == "400"], minlength=n)[:n]
    e5 = agg["Errors"] + c.poisson(0.15, n)
    integ = np.nan_to_num(agg["Duration"], nan=15) + c.rng.uniform(3, 6, n)
    apigw_metrics(c, api, agg["Invocations"] + auth, e4, e5, integ + c.rng.uniform(10, 16, n), integ)
    notif = simulate(c, np.where(broken, 0.2, count * 0.02), lambda t: Call(t, float(c.rng.lognormal(np.log(210), 0.3))))
    lambda_metrics(c, "orders-notifier", per_minute(c, notif))

    ex = {c.hex(32): [] for _ in range(3)}
    streams = list(ex)
    paths = {"POST": "/orders", "GET": "/orders/{orderId}"}
    for k in calls:
        if k.t < -10800 or c.rng.random() > 1 / 330:
            continue
        rid = c.uuid()
        m = k.data.get("m", c.pick(["GET", "POST"]))
        alias = "prod-blue" if k.error else "live"
        ev = ex[c.pick(streams)]
        t = k.t
        uri = f"https://lambda.{region}.amazonaws.com/2015-03-31/functions/arn:aws:lambda:{region}:{ACCT}:function:{fn}:{alias}/invocations"
        lines = [f"Extended Request Id: {c.hex(8).upper()}{c.hex(8)}=", f"Verifying Usage Plan for request: {rid}. API Key:  API Stage: {api_id}/prod",
                 f"API Key  authorized because method '{m} {paths[m]}' does not require API Key. Request will not contribute to throttle or quota limits",
                 "Usage Plan check succeeded for API Key  and API Stage " + f"{api_id}/prod",
                 f"Starting execution for request: {rid}", f"HTTP Method: {m}, Resource Path: {paths[m].replace('{orderId}', 'ord_' + c.hex(8))}",
                 f"Endpoint request URI: {uri}"]
        if k.error:
            lines += [f"Received response. Status: 404, Integration latency: {int(k.duration_ms)} ms",
                      f"Endpoint response body before transformations: {{\"Message\":\"Function not found: arn:aws:lambda:{region}:{ACCT}:function:{fn}:prod-blue\",\"Type\":\"User\"}}",
                      f"Lambda invocation failed with status: 404. Lambda request id: {c.uuid()}",
                      "Execution failed due to configuration error: ", "Method completed with status: 500"]
        else:
            st = 400 if k.kind == "400" else (201 if m == "POST" else 200)
            lines += [f"Received response. Status: 200, Integration latency: {int(k.duration_ms)} ms",
                      f"Method completed with status: {st}"]
        for j, line in enumerate(lines):
            ev.append((t + j * 0.001 + (k.duration_ms / 1000 if j >= 7 else 0), apigw_exec(rid, line)))
    for s, evs in ex.items():
        c.log(f"API-Gateway-Execution-Logs_{api_id}/prod", s, evs)
    ll = LambdaLogs(c, fn, 512)
    for k in ok_calls:
        if k.t < -10800 or c.rng.random() > 0.025:
            continue
        ver = "64" if k.t >= -8985 else "63"
        if ver == "64":
            ll.retire("63")
        m = k.data.get("m", "GET")
        msg = ("Validation failed: items[0].sku is required" if k.kind == "400" else
               (f"Created order ord_{c.hex(8)} for customer cus_{c.hex(6)} total={c.rng.uniform(90, 2400):.2f} ZAR" if m == "POST"
                else f"Fetched order ord_{c.hex(8)}"))
        lvl = "WARNING" if k.kind == "400" else "INFO"
        ll.invoke(k.t, lambda rid, s, k=k, msg=msg, lvl=lvl: [(k.duration_ms / 1000 - 0.005, py_line(
            c, s + k.duration_ms / 1000 - 0.005, rid, lvl, msg))], k.duration_ms, int(c.rng.integers(120, 141)), version=ver)
    ll.flush()
    nl = LambdaLogs(c, "orders-notifier", 256)
    for k in notif:
        if k.t >= -10800 and c.rng.random() < 0.25:
            nl.invoke(k.t, lambda rid, s, k=k: [(0.05, py_line(c, s + 0.05, rid, "INFO", "Sent order confirmation push (1 message)"))],
                      k.duration_ms, int(c.rng.integers(70, 85)))
    nl.flush()
    c.alarm("orders-public-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 2, 20,
            description="orders-public server errors", want="ALARM")
    c.alarm("orders-handler-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5, want="OK")
    c.set_expect("orders-public-5xx", "config_change", [api, api_id],
                 [("AWS/ApiGateway", "5XXError", {"ApiName": api}), ("AWS/Lambda", "Invocations", {"FunctionName": fn})])
    c.meta = dict(front="origin (the API's own 5XX alarm)", decoys=(
        "orders-handler deploy (v64) 2.1 h earlier with no errors; orders-notifier config change 12 min before; "
        "orders-notifier's volume dropping as a consequence; steady 400s/401s"), story=(
        "m.ferreira updated the prod stage (UpdateStage) and its `lambdaAlias` stage variable now names `prod-blue`, an "
        "alias that does not exist on orders-handler (only `live`). Every request now fails in API Gateway: execution "
        "logs show the integration URI ending `:prod-blue`, `Function not found`, `Execution failed due to "
        "configuration error` and status 500. orders-handler's invocations drop to zero and it logs no errors; its own "
        "deploy was two hours earlier and served normally since."))
    return c


# ---------------------------------------------------------------- 16
def case16() -> Case:
    c = Case(16, "loyalty-latency", "me-south-1", 1716, "2026-03-28T12:30:00",
             "loyalty-api latency alarm fired a couple of minutes ago.")
    api, api_id, fn = "loyalty-api", "l2y8q5t1ve", "loyalty-points"
    c.resource("apigateway", api, api_id=api_id, stage="prod")
    c.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=512)
    c.resource("lambda", "loyalty-tier-recalc", runtime="python3.12", timeout=900, memory_size=2048,
               schedule="cron(0 * * * ? *)")
    _deploy(c, -12610, fn, "gha-loyalty", alias=False)
    n = len(c.t)
    blip = (c.t >= -240).astype(float)
    calls = simulate(c, c.diurnal(320, 0.3, 13), lambda t: Call(
        t, float(c.rng.lognormal(np.log(82), 0.3)), kind="404" if c.rng.random() < 0.012 else "ok"))
    agg = per_minute(c, calls)
    lambda_metrics(c, fn, agg)
    integ = agg["Duration"] + c.rng.uniform(4, 8, n)
    overhead = 14 + c.rng.uniform(0, 5, n) + blip * c.rng.uniform(1650, 2350, n)
    e4 = np.bincount([int((k.t - c.t[0]) // 60) for k in calls if k.kind == "404"], minlength=n)[:n] + c.poisson(1.1, n)
    apigw_metrics(c, api, agg["Invocations"] + c.poisson(1.1, n), e4, c.poisson(0.02, n), integ + overhead, integ)
    runs = [Call(float(t), float(c.rng.uniform(95000, 140000))) for t in np.arange(-21600 + 1800.0 + 3.0, -1, 3600)]
    lambda_metrics(c, "loyalty-tier-recalc", per_minute(c, runs))
    ll = LambdaLogs(c, fn, 512)
    acc = []
    for k in calls:
        if k.t < -10800:
            continue
        i = int((k.t - c.t[0]) // 60)
        if c.rng.random() < 0.03:
            msg = (f"Member mbr_{c.hex(8)} not found" if k.kind == "404" else
                   f"Balance for mbr_{c.hex(8)}: {int(c.rng.integers(0, 90000))} points (tier {c.pick(['silver', 'gold', 'platinum'])})")
            ll.invoke(k.t, lambda rid, s, k=k, msg=msg: [(k.duration_ms / 1000 - 0.004, py_line(
                c, s + k.duration_ms / 1000 - 0.004, rid, "WARNING" if k.kind == "404" else "INFO", msg))],
                k.duration_ms, int(c.rng.integers(88, 99)))
        if c.rng.random() < 0.03:
            il = int(k.duration_ms + 6)
            acc.append((k.t, apigw_access(c, k.t, c.uuid(), _client_ip(c), "GET", "/members/{id}/balance",
                                          404 if k.kind == "404" else 200, 220, il, int(il + overhead[i]))))
    ll.flush()
    c.log(f"/aws/apigateway/{api}/access", c.hex(32), acc)
    rl = LambdaLogs(c, "loyalty-tier-recalc", 2048)
    for k in runs:
        if k.t >= -10800:
            rl.invoke(k.t, lambda rid, s, k=k: [(0.1, py_line(c, s + 0.1, rid, "INFO", "Recalculating tiers for members with activity in the last hour")),
                      (k.duration_ms / 1000 - 0.5, py_line(c, s + k.duration_ms / 1000 - 0.5, rid, "INFO",
                       f"Tier recalculation done: {int(c.rng.integers(3000, 9000))} members checked, {int(c.rng.integers(5, 60))} promoted"))],
                      k.duration_ms, int(c.rng.integers(600, 800)))
    rl.flush()
    c.alarm("loyalty-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 2, 1000,
            description="loyalty-api average latency above 1 s", want="ALARM")
    c.alarm("loyalty-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 5, want="OK")
    c.alarm("loyalty-points-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 3, want="OK")
    c.set_expect("loyalty-api-latency", "unknown", [api, api_id],
                 [("AWS/ApiGateway", "Latency", {"ApiName": api})])
    c.meta = dict(front="origin (the API's latency alarm)", decoys=(
        "loyalty-points deploy 3.5 h earlier; hourly loyalty-tier-recalc runs (one 30 min before); steady member-not-found "
        "404s"), story=(
        "For the last four minutes API Gateway's average Latency has been ~2 s while IntegrationLatency, the Lambda's "
        "Duration, invocations, errors, throttles and request count are all unchanged, and there is no change, error "
        "message or resource pressure anywhere. The access log shows the extra time outside the integration. Nothing in "
        "the account's data explains the blip, so the honest answer is unknown."))
    return c


CASES = [case12, case13, case16]
