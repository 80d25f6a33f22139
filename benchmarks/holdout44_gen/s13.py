"""h44-13: billing API 500s; the JWT authorizer crashes on tokens whose 'aud' claim is now an array."""
from __future__ import annotations

from .common import TIMES, Rng, Scenario, diurnal, ramp, spread
from .kit import apigw_metrics, node_invoke_error, node_line, py_info, sim_lambda

REGION = "sa-east-1"
API_ID = "x8k2p1m9qd"
AUTH = "billing-jwt-authorizer"
T0 = -2400
TYPE_STACK = ["verifyAudience (/var/task/src/claims.js:27:19)", "Runtime.handler (/var/task/src/index.js:41:5)",
              "process.processTicksAndRejections (node:internal/process/task_queues:95:5)"]
UNAUTH_STACK = ["Runtime.handler (/var/task/src/index.js:36:13)",
                "process.processTicksAndRejections (node:internal/process/task_queues:95:5)"]


def build() -> dict:
    rng = Rng(4413)
    sc = Scenario("h44-13-billing-authorizer-aud-array", REGION,
                  "Customers intermittently get 'Internal server error' from the billing API; billing-api 5XX alarm.")
    sc.res("apigateway", "billing-api", api_id=API_ID, stage="prod", execution_logging="ERROR",
           authorizer={"name": "jwt", "type": "TOKEN", "lambda": AUTH, "identity_source": "method.request.header.Authorization",
                       "result_ttl_s": 0},
           routes={"GET /invoices": "lambda billing-core", "POST /payments": "lambda billing-core"})
    sc.res("apigateway", "invoices-admin-api", api_id="c3v7b1n5mk", stage="prod")
    sc.res("lambda", AUTH, runtime="nodejs20.x", handler="src/index.handler", timeout=5, memory_size=256,
           last_modified="2026-03-08T16:41:09Z",
           environment={"JWKS_URL": "https://login.acme-pay.com.br/.well-known/jwks.json", "EXPECTED_AUDIENCE": "https://billing.acme-pay.com.br",
                        "EXPECTED_ISSUER": "https://login.acme-pay.com.br/"})
    sc.res("lambda", "billing-core", runtime="python3.12", timeout=15, memory_size=1024,
           environment={"DB_SECRET_ID": "prod/billing/db", "PIX_PROVIDER_URL": "https://api.pix-gateway.com.br/v2"})
    sc.res("lambda", "billing-reconciler", runtime="python3.12", timeout=600, memory_size=2048,
           triggers=["eventbridge schedule cron(5 * * * ? *)"])

    arr = lambda t: 0.46 * ramp(t, T0, 1200)          # share of tokens with aud as an array (new mobile login flow)
    rate = lambda t: 70 * diurnal(t, 0.2, -6000)
    expired = 0.06

    n401_seen = {}

    def auth_body(t, rid, is_err, d):
        sub = f"usr_{rng.hexs(8)}"
        if is_err and rng.random() < expired / (expired + arr(t)):
            n401_seen[int(t // 60 * 60)] = n401_seen.get(int(t // 60 * 60), 0) + 1
            return [(0.002, node_line(t, rid, "INFO", f"deny sub={sub} reason=token_expired exp_age_s={rng.randint(5, 9000)}")),
                    (d / 1000 - 0.001, node_invoke_error(t + d / 1000, rid, "Error", "Unauthorized", UNAUTH_STACK))], None
        if is_err:
            return [(0.002, node_line(t, rid, "INFO", f"verifying token kid=k-2026-02 sub={sub} client=mobile-app")),
                    (d / 1000 - 0.001, node_invoke_error(t + d / 1000, rid, "TypeError", "claims.aud.startsWith is not a function",
                                                         TYPE_STACK))], None
        return [(0.002, node_line(t, rid, "INFO", f"allow sub={sub} scope=billing:read billing:write client="
                                                  f"{rng.choice(['web', 'web', 'mobile-app', 'partner-erp'])}"))], None
    am = sim_lambda(sc, rng, AUTH, rate=rate, err=lambda t: expired + arr(t), dur=lambda t, e: rng.gauss(4, 1) if e else rng.gauss(14, 3),
                    body=auth_body, memory=256, mem_used=(71, 80), runtime="node", log_from=-2700, streams=3)

    ok_share = lambda t: 1 - expired - arr(t)

    def core_body(t, rid, is_err, d):
        if rng.random() < 0.6:
            return [(0.01, py_info(t, rid, f"GET /invoices customer=c_{rng.randint(10**5, 10**6)} count={rng.randint(0, 24)}"))], None
        return [(0.01, py_info(t, rid, f"POST /payments method=pix amount={rng.randint(20, 3000)}.00 BRL status=pending"))], None
    cm = sim_lambda(sc, rng, "billing-core", rate=lambda t: rate(t) * ok_share(t), dur=lambda t, e: rng.gauss(180, 40),
                    body=core_body, memory=1024, mem_used=(170, 190), log_from=-1500, streams=2)

    cnt, e4, e5, lat, ilat = {}, {}, {}, {}, {}
    exe = []
    for t in TIMES:
        n = am["inv"][t]
        err = am["err"][t]
        n401 = n401_seen.get(t, 0) if t >= -2700 else err
        n500 = err - n401
        cnt[t], e4[t], e5[t] = n, n401, n500
        if t in cm["dur"]:
            ilat[t] = cm["dur"][t] + rng.uniform(5, 10)
            lat[t] = ilat[t] * (1 - n500 / max(n, 1)) + am["dur"].get(t, 14) + rng.uniform(6, 12)
        if t >= -2700:
            for ti in spread(rng, t, n500):
                rid = rng.uid()
                exe.append((ti + 0.02, f"({rid}) Execution failed due to configuration error: Authorizer error"))
                exe.append((ti + 0.021, f"({rid}) Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500"))
            for ti in spread(rng, t, n401):
                rid = rng.uid()
                exe.append((ti + 0.02, f"({rid}) Unauthorized request: {rid}"))
                exe.append((ti + 0.021, f"({rid}) Gateway response type: UNAUTHORIZED with status code: 401"))
    apigw_metrics(sc, "billing-api", cnt, e4, e5, lat, ilat)
    sc.log(f"API-Gateway-Execution-Logs_{API_ID}/prod", rng.hexs(32), exe)

    def rec_body(t, rid, is_err, d):
        return [(0.05, py_info(t, rid, f"reconciled {rng.randint(4000, 9000)} pix settlements window=1h mismatches={rng.randint(0, 3)}"))], None
    sim_lambda(sc, rng, "billing-reconciler", rate=lambda t: 1.0 if t % 3600 == 300 else 0.0, dur=lambda t, e: rng.gauss(210000, 20000),
               body=rec_body, memory=2048, mem_used=(900, 1200), log_from=-10800, streams=1)

    sc.change(-9000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "billing-core", "terraform-billing")
    sc.change(-2600, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "c3v7b1n5mk", "terraform-billing")
    sc.alarm("billing-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "billing-api"}, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "ALARM", T0 + 420, description="billing-api 5XX (payments on-call)")
    sc.alarm("billing-jwt-authorizer-errors", "AWS/Lambda", "Errors", {"FunctionName": AUTH}, "Sum", 300, 1, 100,
             "GreaterThanThreshold", "ALARM", T0 + 900)
    sc.expect("billing-api-5xx", "application_error", [AUTH],
              [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": "billing-api"}},
               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": AUTH}}])
    return sc.done()
