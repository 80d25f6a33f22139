"""h68-02: item grants failing after a Node Lambda deploy; a config change on a sibling is closer."""
from __future__ import annotations

import json

from .common import Scenario, diurnal
from .kit import apigw_family, emit, event_load, lam_config, lam_deploy, lambda_family, \
    lambda_logs, ramp
from .runtimes import LambdaLogs

EVENT, DEPLOY, DECOY = -7200, -2940, -2820


def build() -> Scenario:
    sc = Scenario(2, "bundle-grant-errors", "Players report purchased Winter Bundles not arriving "
                  "in their inventory; grant function Errors alarm is firing.",
                  "eu-west-1", 6802, "2026-11-22T12:30:00")
    rng = sc.rng
    fn, cat, api = "inv-grant", "store-catalog", "store-public"
    sc.resource("lambda", fn, runtime="nodejs20.x", memory_size=512, timeout=10, architecture="arm64")
    sc.resource("lambda", cat, runtime="nodejs20.x", memory_size=256, timeout=6, architecture="arm64")
    sc.resource("apigateway", api, stage="prod", endpoint_type="REGIONAL")
    live = DEPLOY + 17
    load = lambda t: diurnal(sc, t, 18, 0.2) * event_load(t, EVENT, 2.6, 1.6, 3000)
    bad = lambda t: ramp(t, live, live + 90)
    g = lambda_family(sc, fn, lambda t: 80 * load(t), lambda t: 0.0008 + 0.17 * bad(t),
                      lambda t: 150 - 40 * bad(t))
    lambda_family(sc, cat, lambda t: 420 * load(t), lambda t: 0.0004,
                  lambda t: 46 - 7 * ramp(t, DECOY, DECOY + 120))
    apigw_family(sc, api, lambda t: 560 * load(t), lambda t: 95 + 10 * load(t),
                 e4=lambda t: 31 + 6 * load(t), e5=lambda t: 0.1 + 0.17 * 80 * load(t) * bad(t))

    # ---------------------------------------------------------------- inv-grant (Node, runtime format)
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 10, epochs=[(-10 ** 9, "57"), (live, "58")],
                    retire=[live], mem_used=(118, 9))

    def grant(ll, t, rid, is_err, cold):
        ver = "2026.11.22-1 (4f2a9c1)" if t >= live else "2026.11.18-3 (b81e07d)"
        init = [(0.05, f"{sc.iso(t)}\tundefined\tINFO\tinventory-grant {ver} cold start, table=InvGrants")]
        order = f"ord_{sc.hexid(10)}"
        if is_err and t < live:
            err = {"errorType": "Error", "errorMessage": f"inventory lock held by another grant "
                   f"(player p_{sc.hexid(8)}), retry later", "stack": [
                   "Error: inventory lock held by another grant", "    at acquireLock "
                   "(file:///var/task/src/grant/lock.mjs:31:11)"]}
            return {"dur": rng.uniform(300, 900), "init_lines": init, "lines": [
                (0.3, f"{sc.iso(t + 0.3)}\t{rid}\tERROR\tInvoke Error \t" + json.dumps(err, separators=(",", ":")))]}
        if is_err:
            err = {"errorType": "TypeError",
                   "errorMessage": "Cannot read properties of undefined (reading 'bundleSku')",
                   "stack": ["TypeError: Cannot read properties of undefined (reading 'bundleSku')",
                             "    at expandBundle (file:///var/task/src/grant/bundles.mjs:88:41)",
                             "    at Array.map (<anonymous>)",
                             "    at grantItems (file:///var/task/src/grant/index.mjs:54:29)",
                             "    at async Runtime.handler (file:///var/task/index.mjs:21:18)"]}
            return {"dur": rng.uniform(25, 60), "init_lines": init, "lines": [
                (0.01, f"{sc.iso(t)}\t{rid}\tINFO\tgrant start order={order} source=bundle"),
                (0.02, f"{sc.iso(t + 0.02)}\t{rid}\tERROR\tInvoke Error \t"
                       + json.dumps(err, separators=(",", ":")))]}
        lines = [(0.01, f"{sc.iso(t)}\t{rid}\tINFO\tgrant start order={order} "
                        f"source={rng.choice(['bundle', 'single', 'single', 'battlepass'])}")]
        if rng.random() < 0.05:
            lines.append((0.06, f"{sc.iso(t + 0.06)}\t{rid}\tERROR\tgrant skipped: "
                                f"ConditionalCheckFailedException: The conditional request failed "
                                f"(order {order} already granted)"))
        else:
            lines.append((0.09, f"{sc.iso(t + 0.09)}\t{rid}\tINFO\tgranted {rng.randint(1, 6)} item(s) "
                                f"player=p_{sc.hexid(8)} order={order}"))
        return {"dur": rng.lognormvariate(4.95, 0.3), "lines": lines, "init_lines": init}

    lambda_logs(ll, g, grant, per_min=3.5, err_min=1)

    # ---------------------------------------------------------------- store-catalog (sampled)
    cl = LambdaLogs(sc, cat, "nodejs20.x", 256, 6, retire=[DECOY], mem_used=(92, 6))

    def catalog(ll, t, rid, is_err, cold):
        ttl = 300 if t >= DECOY else 120
        init = [(0.03, f"{sc.iso(t)}\tundefined\tINFO\tcatalog config CACHE_TTL_S={ttl} REGION_SET=EU")]
        return {"dur": rng.lognormvariate(3.7, 0.3), "init_lines": init, "lines": [
            (0.01, f"{sc.iso(t)}\t{rid}\tINFO\tcatalog served storefront=eu items={rng.randint(180, 240)} "
                   f"cache={'hit' if rng.random() < 0.8 else 'miss'}")]}

    cl.run({t: 1 + (rng.random() < 0.6) for t in range(-21600, 0, 60)}, {}, catalog)

    # ---------------------------------------------------------------- API Gateway access log (JSON)
    ag, ast = f"/aws/apigateway/{api}/access", "5f3c9a1e0b7d4c2a8e6f"

    def access(t, status, path, lat):
        return json.dumps({"requestId": sc.uuid(), "ip": f"{rng.randint(31, 217)}.{rng.randint(0, 255)}."
                           f"{rng.randint(0, 255)}.{rng.randint(1, 254)}", "requestTime": sc.iso(t),
                           "httpMethod": "POST" if "grant" in path or "redeem" in path else "GET",
                           "resourcePath": path, "status": str(status), "protocol": "HTTP/1.1",
                           "responseLength": str(rng.randint(60, 4000)),
                           "responseLatency": str(lat)}, separators=(",", ":"))

    emit(sc, ag, ast, lambda t: 3 * load(t), lambda t: access(
        t, 200, rng.choice(["/v1/catalog", "/v1/catalog", "/v1/offers", "/v1/grant"]), rng.randint(20, 200)))
    emit(sc, ag, ast, lambda t: 2.2, lambda t: access(
        t, rng.choice([401, 403, 429]), "/v1/redeem-code", rng.randint(3, 15)))
    emit(sc, ag, ast, lambda t: 2.5 * bad(t), lambda t: access(t, 502, "/v1/grant", rng.randint(40, 90)),
         t0=live)

    sc.alarm("inv-grant-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Inventory grant Lambda errors")
    sc.alarm("store-public-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1, 120,
             "GreaterThanThreshold", "Store API 4xx (bot redeem attempts)")
    sc.alarm("store-public-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 5, 10,
             "GreaterThanThreshold")
    sc.change(-16000, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment",
              api, "github-actions-storefront")
    lam_deploy(sc, -14100, cat, "github-actions-storefront")
    sc.change(-7500, "lambda.amazonaws.com", "PutProvisionedConcurrencyConfig", "AWS::Lambda::Function",
              cat, "liveops-mkovacs")
    lam_deploy(sc, DEPLOY, fn, "github-actions-storefront")
    lam_config(sc, DECOY, cat, "liveops-mkovacs")
    sc.expect = {"alarm": "inv-grant-errors",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "origin (alarm on the deployed function; the API's 5xx alarm is the front)",
        "services": ["lambda", "apigateway"], "runtime": "Node 20 Lambda, API Gateway JSON access log",
        "decoys": "config change on store-catalog 2 min after the deploy (closer to the alarm); "
                  "store-public 4xx alarm from bots in ALARM for hours; handled "
                  "ConditionalCheckFailed ERROR lines at a steady 5 %",
        "story": (
            "The Winter Bundle sale opened at -120 min and grant invocations rose 2.6x "
            "then settled at ~1.6x with no errors. At -49 min CI updated inv-grant's code, published "
            "version 58 and moved the `live` alias; the new environments log build 2026.11.22-1 and "
            "from then on ~17 % of invocations end in `Invoke Error` TypeError `Cannot read "
            "properties of undefined (reading 'bundleSku')` in expandBundle, a signature absent "
            "before (the rare earlier failures are `inventory lock held` errors). Two minutes later liveops changed store-catalog's configuration (cache TTL "
            "120 -> 300 s): store-catalog keeps ~0 errors and gets slightly faster. The "
            "`ConditionalCheckFailedException` ERROR lines in inv-grant are handled duplicates "
            "that appear at the same 5 % rate all six hours, and the store-public 4xx alarm is "
            "bots hammering /v1/redeem-code since before the window."),
    }
    return sc
