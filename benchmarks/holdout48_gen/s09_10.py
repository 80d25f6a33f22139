"""Scenarios 09-10: Lambda-to-Lambda bad deploy (Java caller, Python callee), Go batch reaching its timeout."""
import json

from .common import Ctx, Scenario, grid, diurnal, ramp
from .lam import Fn, drive, drive_async, apigw
from .rds import rds_metrics
from .s01_03 import ln, noise

TAX_TB = ('  File "/var/task/app.py", line 22, in handler\n    rate = rates.lookup(event["country"], event["category"])\n'
          '  File "/var/task/tax/rates.py", line 64, in lookup\n    return Decimal(row["standard_rate"].strip())')


def s09():
    c = Ctx(4809)
    sc = Scenario(c, "h48-09-tax-calculator-deploy", "eu-north-1",
                  "Checkouts failing for many customers; checkout-orchestrator Errors alarm.")
    T, DEP = grid(6), -2160
    sc.res("lambda", "checkout-orchestrator", runtime="java17", memory_size=1536, timeout=20,
           handler="com.acme.checkout.OrchestratorHandler::handleRequest", invokes=["tax-calculator:live"])
    sc.res("lambda", "tax-calculator", runtime="python3.12", memory_size=256, timeout=5, alias="live")
    sc.res("lambda", "cart-service", runtime="nodejs20.x", memory_size=512, timeout=10)
    sc.res("apigateway", "checkout-api-v2", stage="prod", integration="checkout-orchestrator")
    sc.change(-7800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "cart-service", "github-actions")
    sc.change(DEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "tax-calculator", "github-actions")
    sc.change(DEP + 9, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "tax-calculator", "github-actions")
    sc.change(DEP + 17, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias",
              "tax-calculator", "github-actions")

    tax = Fn(sc, "tax-calculator", "python3.12", 256, 5, log_from=-6300, version="57")
    tax.prewarm(T[0], 3)
    tax.reconfigure(DEP + 18, version="58")
    eu = ["SE", "DE", "FI", "DK", "FR", "NL", "ES", "IT", "PL", "AT"]
    other = ["NO", "GB", "CH", "US"]

    def tspec(t, cold, rid, country, cat):
        d = ln(c, 11, 0.35)
        lines = [(1, "INFO", "tax lookup country=%s category=%s lines=%d" % (country, cat, c.r.randint(1, 8)))]
        if tax.version == "58" and country in eu:
            emsg = "[<class 'decimal.ConversionSyntax'>]"
            lines += [(d - 1 + i, lvl, m) for i, (lvl, m) in enumerate(tax.unhandled(
                "InvalidOperation", emsg, TAX_TB + "\ndecimal.InvalidOperation: [<class 'decimal.ConversionSyntax'>]"))]
            return {"duration": d + 2, "outcome": "error", "mem": c.r.randint(58, 66), "lines": lines}
        lines.append((d - 1, "INFO", "tax computed rate=%s" % c.r.choice(["0.25", "0.19", "0.24", "0.12", "0.06", "0.0"])))
        return {"duration": d, "mem": c.r.randint(56, 64), "lines": lines, "init": ln(c, 240, 0.2)}

    orch = Fn(sc, "checkout-orchestrator", "java17", 1536, 20, log_from=-6300, logger="CheckoutHandler")
    orch.prewarm(T[0], 3)

    def ospec(t, cold, rid):
        cart = "crt_%s" % c.hex(10)
        country = c.r.choice(eu + eu + other)
        cat = c.r.choice(["standard", "standard", "reduced", "books", "food"])
        lines = [(2, "INFO", "checkout start cart=%s country=%s" % (cart, country))]
        inv = ln(c, 160, 0.35)
        if c.r.random() < 0.05:
            inv = 1000 + ln(c, 220, 0.4)
            lines.append((inv, "WARN", "Inventory reservation took %d ms (> 1000 ms SLO) cart=%s" % (inv, cart)))
        trid, tsp, tout = tax.invoke(t + inv / 1000.0, tspec, country, cat)
        off = inv + tsp["duration"] + 25
        if tout != "ok":
            payload = {"errorMessage": "[<class 'decimal.ConversionSyntax'>]", "errorType": "InvalidOperation",
                       "requestId": trid, "stackTrace": ["  File \"/var/task/app.py\", line 22, in handler\n",
                                                         "  File \"/var/task/tax/rates.py\", line 64, in lookup\n"]}
            lines.append((off, "ERROR", "tax-calculator:live returned FunctionError=Unhandled payload=%s"
                          % json.dumps(payload), "TaxClient"))
            exc = {"errorMessage": "Tax calculation failed for cart %s (country=%s)" % (cart, country),
                   "errorType": "com.acme.checkout.tax.TaxCalculationException",
                   "stackTrace": ["com.acme.checkout.tax.TaxClient.calculate(TaxClient.java:88)",
                                  "com.acme.checkout.CheckoutService.placeOrder(CheckoutService.java:141)",
                                  "com.acme.checkout.OrchestratorHandler.handleRequest(OrchestratorHandler.java:57)",
                                  "com.acme.checkout.OrchestratorHandler.handleRequest(OrchestratorHandler.java:23)"]}
            return {"duration": off + 12, "outcome": "error", "mem": c.r.randint(300, 360),
                    "lines": lines + [(off + 10, None, json.dumps(exc, indent=2))],
                    "init": ln(c, 3100, 0.12)}
        pay = ln(c, 420, 0.3)
        off += pay
        if c.r.random() < 0.03:
            lines.append((off, "WARN", "payment declined cart=%s reason=card_declined "
                                       "(com.acme.checkout.payment.PaymentDeclinedException)" % cart))
            return {"duration": off + 10, "status": 402, "mem": c.r.randint(300, 360), "init": ln(c, 3100, 0.12),
                    "lines": lines}
        lines.append((off + 30, "INFO", "order placed ord_%s cart=%s total_ms=%d" % (c.hex(10), cart, off + 30)))
        return {"duration": off + 35, "mem": c.r.randint(300, 360), "init": ln(c, 3100, 0.12),
                "lines": lines}

    drive(orch, T, lambda t: 13 * diurnal(t, 0.2, 0.4), ospec)
    for f in (orch, tax):
        f.flush_logs()
        f.emit_metrics(T)
    apigw(sc, "checkout-api-v2", T, [orch])
    cs = Fn(sc, "cart-service", "nodejs20.x", 512, 10, log_from=-6300)
    cs.prewarm(T[0], 2)
    cs.reconfigure(-7798)

    def cspec(t, cold, rid):
        d = ln(c, 35, 0.3)
        op = c.r.choice(["GET /v1/cart", "POST /v1/cart/items", "DELETE /v1/cart/items/%s" % c.hex(6)])
        return {"duration": d, "mem": c.r.randint(90, 105), "lines": [(1, "INFO", "%s -> 200 %dms" % (op, d))]}

    drive(cs, T, lambda t: 9 * diurnal(t, 0.2, 0.4), cspec)
    cs.flush_logs()
    cs.emit_metrics(T)
    sc.alarm("checkout-orchestrator-errors", "AWS/Lambda", "Errors", {"FunctionName": "checkout-orchestrator"},
             "Sum", 60, 3, 3, "GreaterThanThreshold", "Checkout orchestrator errors")
    sc.set_expect("checkout-orchestrator-errors", "bad_deployment", ["tax-calculator"], [
        ("AWS/Lambda", "Errors", {"FunctionName": "tax-calculator"}),
        ("AWS/Lambda", "Errors", {"FunctionName": "checkout-orchestrator"})])
    return sc, {
        "alarm_on": "front (calling Lambda; origin is the invoked Lambda)",
        "decoys": "cart-service deploy 2h10m earlier; steady handled PaymentDeclined and slow-inventory WARNs on the "
                  "orchestrator",
        "story": "CI published tax-calculator version 58 and moved the `live` alias to it 36 minutes ago. The new "
                 "rates loader cannot parse the EU rate table (`decimal.InvalidOperation: [<class "
                 "'decimal.ConversionSyntax'>]` in tax/rates.py) so every EU lookup fails, while non-EU lookups "
                 "still work. checkout-orchestrator (Java) invokes it synchronously, logs `tax-calculator:live "
                 "returned FunctionError=Unhandled` and fails with TaxCalculationException, which is what fired the "
                 "alarm. The orchestrator itself did not change. New error signature right after a deployment of "
                 "the downstream function: bad_deployment on tax-calculator."}


# --------------------------------------------------------------------------------------------
def s10():
    c = Ctx(4810)
    sc = Scenario(c, "h48-10-usage-aggregator-timeout", "ap-northeast-1",
                  "Usage aggregation job failing; usage-aggregator Errors alarm. Billing dashboards are stale.")
    T = grid(6)
    sc.res("lambda", "usage-aggregator", runtime="provided.al2023", memory_size=1024, timeout=300,
           schedule="rate(15 minutes)", handler="bootstrap")
    sc.res("lambda", "usage-api", runtime="provided.al2023", memory_size=256, timeout=10)
    sc.res("apigateway", "usage-http-api", stage="prod", integration="usage-api")
    sc.res("rds", "usage-db", engine="aurora-postgresql", engine_version="15.5", instance_class="db.r6g.large",
           cluster="usage-cluster", max_connections=1000)
    sc.change(-3000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "usage-api", "k.tanaka")
    fn = Fn(sc, "usage-aggregator", "provided.al2023", 1024, 300, log_from=-21600)

    def spec(t, cold, rid, attempt, ev):
        hours = (c.dt(t).hour * 3600 + c.dt(t).minute * 60) / 3600.0
        objs = int(hours * 3010 + c.gauss(0, 120))
        need = (objs / 3010.0) * 20.9 * 1000 * c.r.uniform(0.985, 1.02)
        part = "s3://acme-usage-raw/dt=%s/" % c.stamp(t, "%Y-%m-%d")
        lines = [(5, "INFO", ("scan start", {"partition": part, "attempt": attempt}))]
        rate = objs / need
        for k in range(1, int(min(need, 299000) // 60000) + 1):
            lines.append((k * 60000, "INFO", ("progress", {"objects": int(rate * k * 60000), "elapsed_s": k * 60})))
        if c.r.random() < 0.5:
            lines.append((c.r.uniform(2000, 50000), "WARN", ("skipping malformed record",
                                                           {"key": part + "part-%05d.json.gz" % c.r.randint(0, 99999),
                                                            "line": c.r.randint(1, 5000)})))
        mem = c.r.randint(600, 690)
        if need > 299000:
            return {"duration": 0, "outcome": "timeout", "mem": mem, "lines": lines, "init": ln(c, 60, 0.2)}
        lines += [(need - 900, "INFO", ("aggregated", {"objects": objs, "tenants": 1800 + c.r.randint(0, 90),
                                                      "rows": objs * 31})),
                  (need - 20, "INFO", ("upserted usage_hourly", {"rows": c.r.randint(41000, 44000),
                                                                 "db_ms": c.r.randint(700, 900)}))]
        return {"duration": need, "mem": mem, "lines": lines, "init": ln(c, 60, 0.2)}

    drive_async(fn, [t + 1 + c.r.random() for t in T if t % 900 == 0], spec)
    fn.flush_logs()
    fn.emit_metrics(T)
    api = Fn(sc, "usage-api", "provided.al2023", 256, 10, log_from=-10800)
    api.prewarm(T[0], 2)
    api.reconfigure(-2998)

    def aspec(t, cold, rid):
        d = ln(c, 28, 0.35)
        ten = "tn_%s" % c.hex(6)
        return {"duration": d, "mem": c.r.randint(30, 40), "init": ln(c, 70, 0.2), "lines": [
            (1, "INFO", ("request", {"method": "GET", "path": "/v1/usage/%s" % ten})),
            (d - 1, "INFO", ("response", {"status": 200, "duration_ms": round(d, 1)}))]}

    drive(api, T, lambda t: 10 * diurnal(t, 0.2, 0.6), aspec)
    api.flush_logs()
    api.emit_metrics(T)
    apigw(sc, "usage-http-api", T, [api])
    rds_metrics(sc, "usage-db", T, {
        "CPUUtilization": [12 + (9 if (t % 900) < 300 else 0) + 25 * ramp(t, -13200, 60) * (1 - ramp(t, -12600, 60))
                           + c.gauss(0, 1.5) for t in T],
        "DatabaseConnections": [round(18 + c.gauss(0, 1.5)) for t in T],
        "FreeableMemory": noise(c, T, 6.3e9, 4e7),
        "WriteLatency": noise(c, T, 0.0012, 0.0002, 0.0003)}, cluster="usage-cluster")
    sc.alarm("usage-aggregator-errors", "AWS/Lambda", "Errors", {"FunctionName": "usage-aggregator"}, "Sum", 900, 1,
             0, "GreaterThanThreshold", "Usage aggregation failures")
    sc.set_expect("usage-aggregator-errors", "function_timeout", ["usage-aggregator"], [
        ("AWS/Lambda", "Errors", {"FunctionName": "usage-aggregator"}),
        ("AWS/Lambda", "Duration", {"FunctionName": "usage-aggregator"})])
    return sc, {
        "alarm_on": "origin (the Lambda)",
        "decoys": "usage-api configuration change 5 min before the first failing run started (healthy, different function); usage-db CPU bump "
                  "3.5 h ago; steady malformed-record WARNs",
        "story": "The 15-minute Go aggregator rescans the whole day's S3 partition on every run, so its duration "
                 "grows through the day (about 190 s six hours ago). It crosses the 300 s timeout about 40 minutes "
                 "ago: REPORT `Status: timeout` / `Task timed out after 300.xx seconds`, with the asynchronous "
                 "retries timing out too. Progress logs show steady work, no dependency errors, memory well below "
                 "the limit, and nothing changed on the function: function_timeout on usage-aggregator."}
