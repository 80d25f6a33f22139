"""h69-11 (new tenant's ERP payloads crash the mapper) and h69-12 (outbound webhook signer release)."""
from __future__ import annotations

from .common import diurnal
from .kit import (LOG_START, LambdaLogs, Scenario, jline, lam_props, lambda_sampled, meta, put,
                  tenant)


# --------------------------------------------------------------------------- h69-11
def build11() -> Scenario:
    sc = Scenario(11, "invoice-mapper-errors", "ERP invoice import failing for some tenants; Errors "
                  "alarm on the mapping function.", "ap-northeast-1", 691111, "2026-02-12T02:30:00")
    T0 = -2220
    sc.resource("apigateway", "erp-bridge", stage="prod", integration="lambda-proxy:invoice-mapper")
    sc.resource("lambda", "invoice-mapper", **lam_props("python3.13", 30, 512))
    sc.resource("lambda", "invoice-push", **lam_props("python3.13", 60, 512))
    rng = sc.rng
    new = lambda t: 1.0 if t >= T0 else 0.0  # noqa: E731
    dl = lambda t: diurnal(sc, t, 3, 0.2)  # noqa: E731
    M = {"FunctionName": "invoice-mapper"}
    base = lambda t: 44 * dl(t)  # noqa: E731
    inv = put(sc, "AWS/Lambda", "Invocations", M, "Count", lambda t: base(t) + 7 * new(t), integer=True)
    err = put(sc, "AWS/Lambda", "Errors", M, "Count", lambda t: 0.04 + 7 * new(t), integer=True)
    put(sc, "AWS/Lambda", "Duration", M, "Milliseconds", lambda t: 118, noise=0.08)
    A = {"ApiName": "erp-bridge"}
    put(sc, "AWS/ApiGateway", "Count", A, "Count", lambda t: inv.get(t, 0), noise=0.0, integer=True)
    put(sc, "AWS/ApiGateway", "5XXError", A, "Count", lambda t: err.get(t, 0), noise=0.0, integer=True)
    put(sc, "AWS/ApiGateway", "4XXError", A, "Count", lambda t: 1.6 * dl(t), integer=True)
    P = {"FunctionName": "invoice-push"}
    put(sc, "AWS/Lambda", "Invocations", P, "Count", lambda t: base(t) * 0.95, integer=True)
    put(sc, "AWS/Lambda", "Errors", P, "Count", lambda t: 0.03, integer=True)
    put(sc, "AWS/Lambda", "Duration", P, "Milliseconds", lambda t: 690 - 60 * (t > -2300), noise=0.1)

    ll = LambdaLogs(sc, "invoice-mapper", "python3.13", 512, 30, mem_used=(121, 6))
    erps = ["sap-b1", "oracle-netsuite", "freee", "money-forward", "obic7"]

    def body(ll, t, rid, is_err, cold):
        if is_err and new(t):
            n = rng.randint(3, 40)
            lines = [(0.003, ll.fmt(t, rid, "INFO", f"received invoice tenant=t_7730 erp=csv-bridge "
                                    f"schema=v1 lines={n}"))]
            if cold or rng.random() < 0.1:
                lines.append((0.004, ll.fmt(t, rid, "INFO", "tenant t_7730 has no mapping profile; "
                                            "using default profile 'generic-v1'")))
            if rng.random() < 0.65:
                tb = ("[ERROR] TypeError: unsupported operand type(s) for *: 'NoneType' and "
                      "'decimal.Decimal'\nTraceback (most recent call last):\n  File \"/var/task/mapper/"
                      "handler.py\", line 44, in handler\n    doc = map_invoice(payload, profile)\n  File "
                      "\"/var/task/mapper/rules.py\", line 128, in map_invoice\n    amount = line[\"qty\"] "
                      "* Decimal(line[\"unit_price\"])")
            else:
                tb = ("[ERROR] KeyError: 'tax_code'\nTraceback (most recent call last):\n  File \"/var/"
                      "task/mapper/handler.py\", line 44, in handler\n    doc = map_invoice(payload, "
                      "profile)\n  File \"/var/task/mapper/rules.py\", line 141, in map_invoice\n    "
                      "rate = TAX_TABLE[line[\"tax_code\"]]")
            lines.append((0.03, tb))
            return {"lines": lines, "dur": rng.gauss(40, 6)}
        ten, erp = tenant(sc), rng.choice(erps)
        n = rng.randint(1, 30)
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"received invoice tenant={ten} erp={erp} schema=v3 "
                                f"lines={n}"))]
        if rng.random() < 0.035:
            lines.append((0.05, ll.fmt(t, rid, "ERROR", f"ValidationError: invoice date is in a closed "
                                       f"accounting period for tenant {ten}; rejected with 422")))
        else:
            lines.append((0.1, ll.fmt(t, rid, "INFO", f"mapped INV-{rng.randint(100000, 999999)} "
                                      f"tenant={ten} currency=JPY total={rng.randint(3000, 4_000_000)}")))
        return {"lines": lines, "dur": rng.gauss(118, 20)}
    lambda_sampled(ll, inv, err, body, cap=4)
    pl = LambdaLogs(sc, "invoice-push", "python3.13", 512, 60, mem_used=(140, 6), retire=(-2300,))

    def pbody(ll, t, rid, is_err, cold):
        return {"lines": [(0.4, ll.fmt(t, rid, "INFO", f"pushed INV-{rng.randint(100000, 999999)} to "
                                       f"accounting ledger for {tenant(sc)}"))], "dur": rng.gauss(680, 90)}
    lambda_sampled(pl, {t: 1 for t in range(LOG_START, 0, 60)}, {}, pbody, cap=1)
    sc.change(-2300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "invoice-push", "ci-erp")
    sc.change(-2290, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "invoice-push", "ci-erp")
    sc.change(-2284, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function",
              "invoice-push", "ci-erp")
    sc.alarm("invoice-mapper-errors", "AWS/Lambda", "Errors", M, "Sum", 300, 1, 10, "GreaterThanThreshold",
             "ERP invoice mapping failures")
    sc.alarm("erp-bridge-5xx", "AWS/ApiGateway", "5XXError", A, "Sum", 300, 1, 10, "GreaterThanThreshold")
    sc.expect = {"alarm": "invoice-mapper-errors",
                 "root_cause": {"category": "application_error", "resource": ["invoice-mapper"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": M}]}
    meta(sc, alarm_on="origin (Lambda; API Gateway 5xx alarm is the echo)",
         decoys="invoice-push deploy 80 s before onset; steady closed-period ValidationError lines "
                "logged at ERROR; API 5xx second alarm",
         services="Lambda (Python 3.13), API Gateway",
         story="From 37 minutes ago the Python mapper raises unhandled `TypeError: unsupported "
               "operand type(s) for *: 'NoneType' and 'decimal.Decimal'` and `KeyError: 'tax_code'` "
               "- always for tenant `t_7730`, whose invoices arrive as `erp=csv-bridge schema=v1` and "
               "which `has no mapping profile; using default profile 'generic-v1'`. Every other "
               "tenant maps fine, Duration is flat and there is no change to `invoice-mapper` in "
               "the window. The deploy of `invoice-push` 80 s earlier is downstream of the mapper "
               "and cannot produce a parse-time exception in it; the closed-period "
               "`ValidationError` lines are handled 422s that run at the same rate all day.")
    return sc


# --------------------------------------------------------------------------- h69-12
def build12() -> Scenario:
    sc = Scenario(12, "outbound-dispatch-errors", "Tenants report missing outbound webhooks; errors "
                  "alarm on the dispatch function.", "sa-east-1", 691212, "2026-06-18T21:40:00")
    TD = -2640
    sc.resource("lambda", "outbound-dispatch", **lam_props("nodejs22.x", 30, 512, alias="live",
                event_source="sqs:outbound-events"))
    sc.resource("lambda", "tenant-settings-api", **lam_props("nodejs22.x", 10, 256))
    sc.resource("apigateway", "tenant-admin-api", stage="prod",
                integration="lambda-proxy:tenant-settings-api")
    rng = sc.rng
    bad = lambda t: 1.0 if t >= TD + 8 else 0.0  # noqa: E731
    dl = lambda t: diurnal(sc, t, 18, 0.2)  # noqa: E731
    L = {"FunctionName": "outbound-dispatch"}
    inv = put(sc, "AWS/Lambda", "Invocations", L, "Count", lambda t: 72 * dl(t), integer=True)
    err = put(sc, "AWS/Lambda", "Errors", L, "Count", lambda t: 0.1 + inv.get(t, 0) * 0.38 * bad(t),
              integer=True)
    put(sc, "AWS/Lambda", "Duration", L, "Milliseconds", lambda t: 460 - 150 * bad(t), noise=0.07)
    S = {"FunctionName": "tenant-settings-api"}
    put(sc, "AWS/Lambda", "Invocations", S, "Count", lambda t: 9 * dl(t), integer=True)
    put(sc, "AWS/Lambda", "Errors", S, "Count", lambda t: 0.02, integer=True)
    put(sc, "AWS/Lambda", "Duration", S, "Milliseconds", lambda t: 85, noise=0.1)
    A = {"ApiName": "tenant-admin-api"}
    put(sc, "AWS/ApiGateway", "Count", A, "Count", lambda t: 9 * dl(t), integer=True)
    put(sc, "AWS/ApiGateway", "5XXError", A, "Count", lambda t: 0.02, integer=True)

    ll = LambdaLogs(sc, "outbound-dispatch", "nodejs22.x", 512, 30, mem_used=(160, 8),
                    epochs=((-10 ** 9, "142"), (TD, "143")))

    def body(ll, t, rid, is_err, cold):
        ten = tenant(sc)
        sub = f"sub_{sc.hexid(10)}"
        url = f"https://hooks.{ten[2:]}.example.com/aiq"
        ev = rng.choice(["contact.created", "deal.stage_changed", "invoice.paid", "ticket.updated"])
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"delivering {ev} evt_{sc.hexid(12)} tenant={ten} "
                                f"subscription={sub} url={url}"))]
        if is_err and not bad(t):
            e = {"errorType": "SyntaxError", "errorMessage": "Unexpected token '<', \"<!DOCTYPE \"... is "
                 "not valid JSON", "stack": ["SyntaxError: Unexpected token '<'", "    at JSON.parse "
                 "(<anonymous>)", "    at parseRecord (/var/task/dist/index.js:12:21)"]}
            return {"lines": [(0.004, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + jline(e)))],
                    "dur": rng.gauss(8, 2)}
        if is_err:
            msg = "Cannot read properties of undefined (reading 'signingSecret')"
            e = {"errorType": "TypeError", "errorMessage": msg,
                 "stack": [f"TypeError: {msg}", "    at buildSignatureHeader (/var/task/dist/sign.js:41:38)",
                           "    at deliver (/var/task/dist/deliver.js:88:19)",
                           "    at async Runtime.handler (/var/task/dist/index.js:27:9)"]}
            lines.append((0.01, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + jline(e))))
            return {"lines": lines, "dur": rng.gauss(22, 5)}
        r = rng.random()
        if r < 0.03:
            lines.append((0.2, ll.fmt(t, rid, "WARN", f"delivery to {url} failed: 410 Gone; subscription "
                                      f"{sub} disabled")))
            return {"lines": lines, "dur": rng.gauss(260, 40)}
        if r < 0.05:
            lines.append((10.0, ll.fmt(t, rid, "ERROR", f"delivery timeout after 10000ms to {url}; will "
                                       f"retry (attempt {rng.randint(1, 7)}/8)")))
            return {"lines": lines, "dur": rng.gauss(10040, 20)}
        d = rng.gauss(440, 90)
        lines.append((d / 1000 - 0.01, ll.fmt(t, rid, "INFO", f"delivered {ev} to {url} status=200 "
                                              f"in {int(d - 15)}ms sig=v1")))
        return {"lines": lines, "dur": d}
    lambda_sampled(ll, inv, err, body, cap=3)
    tl = LambdaLogs(sc, "tenant-settings-api", "nodejs22.x", 256, 10, mem_used=(90, 4), retire=(-2625,))

    def tbody(ll, t, rid, is_err, cold):
        return {"lines": [(0.01, ll.fmt(t, rid, "INFO", f"{rng.choice(['GET', 'PUT'])} /settings/"
                                        f"{rng.choice(['webhooks', 'branding', 'sso'])} tenant={tenant(sc)}"
                                        " 200"))], "dur": rng.gauss(85, 15)}
    lambda_sampled(tl, {t: 1 for t in range(LOG_START, 0, 60)}, {}, tbody, cap=1)
    sc.change(TD, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "outbound-dispatch", "github-actions-hooks")
    sc.change(TD + 6, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "outbound-dispatch", "github-actions-hooks")
    sc.change(TD + 8, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function",
              "outbound-dispatch", "github-actions-hooks")
    sc.change(-2625, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "tenant-settings-api", "lucas.ferreira")
    sc.change(-9400, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              "tenant-admin-api", "lucas.ferreira")
    sc.alarm("outbound-dispatch-errors", "AWS/Lambda", "Errors", L, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "Outbound webhook dispatch errors")
    sc.alarm("tenant-settings-api-errors", "AWS/Lambda", "Errors", S, "Sum", 60, 3, 3, "GreaterThanThreshold")
    sc.expect = {"alarm": "outbound-dispatch-errors",
                 "root_cause": {"category": "bad_deployment", "resource": ["outbound-dispatch"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": L}]}
    meta(sc, alarm_on="origin (Lambda)",
         decoys="tenant-settings-api configuration update 15 s after the deploy (nearest change to "
                "the alarm); steady 410 Gone and tenant-endpoint timeout ERROR lines",
         services="Lambda (Node.js 22), API Gateway",
         story="GitHub Actions shipped version 143 of the Node.js function `outbound-dispatch` "
               "(code update, publish, alias `live`). From the first version-143 invocations about "
               "40 % of deliveries fail with `TypeError: Cannot read properties of undefined "
               "(reading 'signingSecret') at buildSignatureHeader (/var/task/dist/sign.js:41:38)`, "
               "a signature that never appears under version 142. Fifteen seconds later someone "
               "updated the configuration of `tenant-settings-api`, which is the closest change to "
               "the alarm but whose errors and latency stay flat. Tenant-endpoint timeouts and "
               "`410 Gone` lines are handled and run at the same rate for hours.")
    return sc


BUILDERS = [build11, build12]
