"""h44-04: orders API returns 500 after the API Gateway invoke permission was removed from the Lambda."""
from __future__ import annotations

from .common import TIMES, Rng, Scenario, diurnal, ramp, spread
from .kit import (apigw_access, bump_metric, apigw_metrics, lambda_arn, node_invoke_error, node_line, py_info, py_unhandled,
                  sim_lambda)

REGION = "us-west-2"
API_ID = "k7d2mq9x1b"
T0 = -2100


def build() -> dict:
    rng = Rng(4404)
    sc = Scenario("h44-04-orders-api-invoke-permission-removed", REGION,
                  "B2B order submissions failing with HTTP 500; orders-api 5XX alarm paged the commerce on-call.")
    sc.res("apigateway", "orders-api", api_id=API_ID, stage="prod", endpoint_type="REGIONAL",
           execution_logging="ERROR", access_log_group="/aws/apigateway/orders-api-access",
           routes={"POST /orders": "lambda orders-handler (proxy)", "GET /orders/{id}": "lambda orders-handler (proxy)"},
           usage_plans=["orders-partner-plan (uqk3p8: rate 200 rps, burst 400)"], api_key_required=True)
    sc.res("apigateway", "catalog-api", api_id="w2r9c4t7mz", stage="prod",
           usage_plans=["catalog-partners (u7x2k9: rate 100 rps, burst 200)"])
    sc.res("lambda", "orders-handler", runtime="nodejs20.x", handler="dist/index.handler", timeout=10, memory_size=512,
           environment={"ORDERS_TABLE": "orders-prod", "EVENT_BUS": "orders-bus", "LOG_LEVEL": "info"},
           resource_policy=[{"sid": "events-orders-reconcile", "principal": "events.amazonaws.com",
                             "action": "lambda:InvokeFunction",
                             "source_arn": f"arn:aws:events:{REGION}:482913650174:rule/orders-reconcile"}],
           triggers=["eventbridge rule orders-reconcile (rate 5 minutes)"])
    sc.res("lambda", "inventory-sync", runtime="python3.11", handler="sync.handler", timeout=60, memory_size=256,
           environment={"WMS_ENDPOINT": "https://wms.partner-3pl.com/api/v2"})

    f = lambda t: ramp(t, T0 + 3, 30)
    rate = lambda t: 44 * diurnal(t, 0.25, -5000)

    # orders-handler: API traffic until T0 (then only EventBridge reconcile every 5 min)
    def oh_body(t, rid, is_err, d):
        oid = f"ord_{rng.hexs(10)}"
        return [(0.004, node_line(t, rid, "INFO", f'{{"msg":"request","method":"POST","path":"/orders","partner":"p_{rng.randint(10, 99)}"}}')),
                (d / 1000 - 0.005, node_line(t + d / 1000, rid, "INFO",
                                             f'{{"msg":"order accepted","orderId":"{oid}","lines":{rng.randint(1, 12)},"ms":{int(d)}}}'))], None
    oh = sim_lambda(sc, rng, "orders-handler", rate=lambda t: rate(t) * (1 - f(t)),
                    dur=lambda t, e: rng.gauss(86, 18), body=oh_body, runtime="node", mem_used=(121, 138),
                    log_from=-4200, streams=3)
    # reconcile runs (EventBridge) keep working after T0
    ll_ev = []
    for t in range(-4200, 0, 300):
        rid = rng.uid()
        tt = t + rng.uniform(0.1, 0.6)
        ll_ev += [(tt, f"START RequestId: {rid} Version: $LATEST"),
                  (tt + 0.01, node_line(tt, rid, "INFO", f'{{"msg":"reconcile","source":"aws.events","pending":{rng.randint(0, 6)}}}')),
                  (tt + 0.41, f"END RequestId: {rid}"),
                  (tt + 0.411, f"REPORT RequestId: {rid}\tDuration: {rng.uniform(380, 450):.2f} ms\tBilled Duration: 420 ms\t"
                               f"Memory Size: 512 MB\tMax Memory Used: 126 MB")]
    sc.log("/aws/lambda/orders-handler", f"2026/03/17/[$LATEST]{rng.hexs(32)}", ll_ev)
    bump_metric(sc, "AWS/Lambda", "Invocations", {"FunctionName": "orders-handler"}, lambda t: 1.0 if t % 300 == 0 else 0.0)

    # API Gateway metrics, access logs (JSON) and ERROR-level execution logs
    cnt, e4, e5, lat, ilat = {}, {}, {}, {}, {}
    acc, exe = [], []
    uri = (f"https://lambda.{REGION}.amazonaws.com/2015-03-31/functions/{lambda_arn(REGION, 'orders-handler')}/invocations")
    for t in TIMES:
        ok = oh["inv"][t] if t < T0 + 40 else 0
        fail = rng.poisson(rate(t) * f(t))
        four = rng.poisson(2.2)
        cnt[t], e4[t], e5[t] = ok + fail + four, four, fail + (1 if rng.random() < 0.01 else 0)
        if ok + fail:
            ilat[t] = (oh["dur"].get(t, 90) + 14) if ok > fail else rng.gauss(6, 1)
            lat[t] = ilat[t] + rng.uniform(5, 9)
        if t < -4200:
            continue
        for ti in spread(rng, t, ok):
            acc.append((ti, apigw_access(ti, rng.uid(), rng.ip("35.160"), "POST", "/orders", 200, rng.gauss(112, 20),
                                         rng.gauss(98, 18), 214, api_key_id="uqk3p8" + rng.hexs(4))))
        for ti in spread(rng, t, four):
            acc.append((ti, apigw_access(ti, rng.uid(), rng.ip("44.231"), "POST", "/orders", 403, 3, None, 42,
                                         err_msg="Forbidden", err_type="INVALID_API_KEY")))
        for ti in spread(rng, t, fail):
            rid = rng.uid()
            acc.append((ti, apigw_access(ti, rid, rng.ip("35.160"), "POST", "/orders", 500, rng.gauss(14, 3), None, 36,
                                         err_msg="Internal server error", err_type="API_CONFIGURATION_ERROR",
                                         api_key_id="uqk3p8" + rng.hexs(4))))
            exe.append((ti + 0.006, f"({rid}) Execution failed due to configuration error: Invalid permissions on Lambda function"))
            exe.append((ti + 0.007, f"({rid}) Method completed with status: 500"))
    apigw_metrics(sc, "orders-api", cnt, e4, e5, lat, ilat)
    sc.log("/aws/apigateway/orders-api-access", "prod", acc)
    sc.log(f"API-Gateway-Execution-Logs_{API_ID}/prod", f"{rng.hexs(32)}", exe)

    # inventory-sync: a pre-existing, steady error source (3PL WMS occasionally times out)
    def inv_body(t, rid, is_err, d):
        lines = [(0.01, py_info(t, rid, f"sync batch skus={rng.randint(200, 400)} warehouse=RNO-2"))]
        if is_err:
            lines.append((d / 1000 - 0.01, py_unhandled(
                "ReadTimeout", "HTTPSConnectionPool(host='wms.partner-3pl.com', port=443): Read timed out. (read timeout=20)",
                [("/var/task/sync.py", 37, "handler", "stock = wms.fetch_levels(batch)"),
                 ("/var/task/wms/client.py", 61, "fetch_levels", "resp = self.session.get(url, params=q, timeout=20)")])))
        else:
            lines.append((d / 1000 - 0.01, py_info(t, rid, f"updated {rng.randint(150, 390)} stock levels")))
        return lines, None
    sim_lambda(sc, rng, "inventory-sync", rate=lambda t: 2.0, err=lambda t: 0.09,
               dur=lambda t, e: 20050 + rng.uniform(0, 80) if e else rng.gauss(4200, 700), body=inv_body,
               memory=256, mem_used=(90, 104), log_from=-10800, streams=1)

    sc.change(-16000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "orders-handler",
              "codepipeline-orders")
    sc.change(-2700, "apigateway.amazonaws.com", "UpdateUsagePlan", "AWS::ApiGateway::UsagePlan", "u7x2k9", "m.tanaka")
    sc.change(T0, "lambda.amazonaws.com", "RemovePermission20150331v2", "AWS::Lambda::Function", "orders-handler",
              "lambda-perm-janitor")
    sc.alarm("orders-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "orders-api"}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "ALARM", T0 + 190, description="orders-api server errors (commerce on-call)")
    sc.alarm("inventory-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "inventory-sync"}, "Sum", 900, 1, 9,
             "GreaterThanThreshold", "OK", -9000)
    sc.expect("orders-api-5xx", "permission_denied", ["orders-handler", lambda_arn(REGION, "orders-handler")],
              [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": "orders-api"}},
               {"namespace": "AWS/Lambda", "name": "Invocations", "dimensions": {"FunctionName": "orders-handler"}}])
    return sc.done()
