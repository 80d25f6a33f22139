"""01: order state machine Lambda (Kotlin) behind the ordering API; 02: promo-code Lambda (Node)."""
from __future__ import annotations

from .kit import (GRID, H90, SYD, USE, LambdaLogs, apigw, apigw_access, describe, expect, jline,
                  lambda_fn, lambda_logs, ramp, rush, stream)

STATES = [("PLACED", "RESTAURANT_ACCEPTED"), ("RESTAURANT_ACCEPTED", "PREP_STARTED"),
          ("PREPARING", "COURIER_ASSIGNED"), ("READY_FOR_PICKUP", "COURIER_ARRIVED"),
          ("PICKED_UP", "DROPOFF_CONFIRMED"), ("PREPARING", "ORDER_READY")]


def build_01() -> H90:
    sc = H90(1, "ordering-edge-dinner", "Ordering API 5XX alarm during the Sydney dinner peak; the app "
             "shows 'Something went wrong' when couriers tap 'Arrived at restaurant'.", SYD, 9001,
             "2026-03-12T08:20:00")
    rng = sc.rng
    fsm, promo, warm, api = "order-fsm-advance", "promo-eligibility", "menu-cache-warm", "ordering-edge"
    onset = -2640

    def err_p(t):
        return 0.002 + 0.24 * ramp(t, onset, onset + 420)

    v = lambda_fn(sc, fsm, "java21", 1024, 20, lambda t: 150 * rush(t), err_p,
                  lambda t: 185 + 25 * ramp(t, -2700, -2650), handler="com.platewise.orders.fsm.Handler::handleRequest",
                  alias="live")
    pv = lambda_fn(sc, promo, "python3.12", 512, 10, lambda t: 70 * rush(t), lambda t: 0.001,
                   lambda t: 95.0)
    lambda_fn(sc, warm, "nodejs20.x", 256, 60, lambda t: 1 if (t // 60) % 5 == 0 else 0, lambda t: 0.0,
              lambda t: 4200 + 9000 * (-3000 <= t < -2760), exact=True)
    demand = [a + b for a, b in zip(v["inv"], pv["inv"])]
    e4 = [float(rng.randint(0, 3) + round(0.012 * d)) for d in demand]
    count = [d + x for d, x in zip(demand, e4)]
    e5 = [float(e) for e in v["err"]]
    apigw(sc, api, count, e4, e5, lambda t: 240 + 30 * rush(t), stage="prod", type="REST")

    ll = LambdaLogs(sc, fsm, "java21", 1024, 20, epochs=((-10 ** 9, "42"), (-2700, "43")),
                    mem_used=(310, 25))

    def body(ll, t, rid, is_err, cold):
        oid = f"ord_{sc.hexid(10)}"
        st, ev = STATES[3] if is_err and t >= onset else rng.choice(STATES)
        lines = [(0.006, ll.fmt(t + 0.006, rid, "INFO", f"c.p.o.fsm.EventHandler - order={oid} state={st} event={ev}"))]
        if is_err and t < onset:  # the rare failure the old version always had
            lines.append((0.03, jline({"errorMessage": f"event {ev} for {oid} is older than 300s",
                                       "errorType": "com.platewise.orders.fsm.StaleEventException",
                                       "stackTrace": ["com.platewise.orders.fsm.EventHandler.guard(EventHandler.kt:41)"]})))
            return {"lines": lines, "dur": rng.gauss(40, 8)}
        if is_err:
            msg = f"No transition from {st} on {ev} for order {oid}"
            lines.append((0.041, ll.fmt(t + 0.041, rid, "ERROR", f"c.p.o.fsm.EventHandler - transition rejected: {msg}")))
            lines.append((0.043, jline({"errorMessage": msg, "errorType": "com.platewise.orders.fsm.IllegalTransitionException",
                                        "stackTrace": ["com.platewise.orders.fsm.StateGraph.next(StateGraph.kt:88)",
                                                       "com.platewise.orders.fsm.EventHandler.apply(EventHandler.kt:57)",
                                                       "com.platewise.orders.fsm.Handler.handleRequest(Handler.kt:31)"]})))
            return {"lines": lines, "dur": rng.gauss(70, 12)}
        r = rng.random()
        if r < 0.045:
            lines.append((0.09, ll.fmt(t + 0.09, rid, "ERROR", f"c.p.o.store.OrderRepository - ConditionalCheckFailed "
                                                          f"for {oid} (expected version {rng.randint(3, 9)}), retrying")))
        elif r < 0.08:
            lines.append((0.02, ll.fmt(t + 0.02, rid, "WARN", f"c.p.o.fsm.Idempotency - duplicate event {ev} for {oid}, skipping")))
        nxt = {"RESTAURANT_ACCEPTED": "PREPARING", "PREP_STARTED": "PREPARING", "COURIER_ASSIGNED": "PREPARING",
               "COURIER_ARRIVED": "AT_RESTAURANT", "DROPOFF_CONFIRMED": "DELIVERED", "ORDER_READY": "READY_FOR_PICKUP"}[ev]
        lines.append((0.15, ll.fmt(t + 0.15, rid, "INFO", f"c.p.o.fsm.EventHandler - order={oid} {st} -> {nxt}")))
        return {"lines": lines, "dur": max(40, rng.gauss(v["dur"][GRID.index(int(t // 60 * 60))], 40))}

    lambda_logs(sc, ll, v, body, sample=0.07)
    pl = LambdaLogs(sc, promo, "python3.12", 512, 10)

    def pbody(ll, t, rid, is_err, cold):
        return {"lines": [(0.01, ll.fmt(t + 0.01, rid, "INFO", f"eligibility cart={sc.hexid(8)} promos={rng.randint(0, 3)}"))],
                "dur": rng.gauss(95, 15)}

    lambda_logs(sc, pl, pv, pbody, sample=0.04)
    grp = f"API-Gateway-Access-Logs_{api}/prod"

    def acc(t):
        bad = rng.random() < err_p(t) * 0.7
        path = "/orders/{orderId}/events" if rng.random() < 0.7 else "/promos/eligibility"
        st = 502 if bad and path.startswith("/orders") else (401 if rng.random() < 0.012 else 200)
        return apigw_access(sc, t, "POST", path, st, rng.gauss(230, 50) if st == 200 else 90, sc.ip("49.180"))

    stream(sc, grp, "prod-access", lambda t: 4 * rush(t), acc)
    user = "gha-deploy-orders"
    sc.change(-15200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", warm, "gha-deploy-catalog")
    sc.change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fsm, user)
    sc.change(-2694, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fsm, user)
    sc.change(-2690, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fsm, user)
    sc.change(-2655, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", promo,
              "AWSReservedSSO_MarketplaceEng_4b1e2c/priya.n")
    sc.alarm("ordering-edge-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Ordering API server errors")
    sc.alarm("menu-cache-warm-duration", "AWS/Lambda", "Duration", {"FunctionName": warm}, "Maximum", 300, 1, 10000,
             "GreaterThanThreshold", "Menu cache warmer slow")
    expect(sc, "ordering-edge-5xx", "bad_deployment", [fsm],
           [("AWS/Lambda", "Errors", {"FunctionName": fsm}), ("AWS/ApiGateway", "5XXError", {"ApiName": api})])
    describe(sc, front="front (API Gateway → Lambda)",
             decoys="config change to promo-eligibility 35 s after the deploy, ERROR-level ConditionalCheckFailed "
                    "retries at a steady rate for hours, menu-cache-warm duration spike + its alarm (back to OK)",
             services="API Gateway, Lambda (Java/Kotlin)",
             story="The ordering API's 5XX alarm fires at the dinner peak. Behind it, order-fsm-advance (Kotlin on "
                   "java21) got a new code version (UpdateFunctionCode, PublishVersion, UpdateAlias to version 43) "
                   "45 minutes ago. From then on START lines say `Version: 43` and a signature never seen before "
                   "appears: `IllegalTransitionException: No transition from READY_FOR_PICKUP on COURIER_ARRIVED`; "
                   "its Errors rise to ~20 % of invocations and match the API's 5XXError one for one. The ERROR-level "
                   "ConditionalCheckFailed retries are loud but run at the same rate all afternoon. "
                   "promo-eligibility's configuration update lands between the deploy and the first failures, but "
                   "that function's errors and duration never move.")
    return sc


def build_02() -> H90:
    sc = H90(2, "promo-apply-checkout", "Promo-code Lambda errors alarm at 7 pm Eastern; customers see "
             "'promo could not be applied' at checkout.", USE, 9002, "2026-03-13T23:10:00")
    rng = sc.rng
    fn, mailer, api = "promo-apply", "order-receipt-mailer", "checkout-gw"
    cut = -2058  # the configuration update; the first failing request follows in the next minute

    def err_p(t):
        return 0.52 if t >= cut + 18 else 0.0

    v = lambda_fn(sc, fn, "nodejs20.x", 512, 6, lambda t: 95 * rush(t), err_p, lambda t: 64 + 6 * rush(t),
                  environment_keys=["PROMO_TABLE", "PROMO_MAX_DISCOUNT_PCT", "PROMO_STACKING", "POWERTOOLS_SERVICE_NAME"])
    mv = lambda_fn(sc, mailer, "python3.12", 256, 30, lambda t: 60 * rush(t), lambda t: 0.002, lambda t: 410.0)
    e4 = [float(round(n * 0.03) + rng.randint(0, 2)) for n in v["inv"]]
    apigw(sc, api, [n + a + 4 for n, a in zip(v["inv"], e4)], e4, list(v["err"]),
          lambda t: 120 + 10 * rush(t), stage="live", type="HTTP")
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 6, retire=(cut,), mem_used=(96, 8))
    codes = ["DINNER20", "FREEDEL", "SPRING15", "NEWBIE10", "LATE5"]

    trace = {}

    def pt(t, level, msg, rid, **kv):
        xr = trace.setdefault(rid, f"1-{sc.hexid(8)}-{sc.hexid(24)}")
        o = {"level": level, "message": msg, "sampling_rate": 0, "service": fn, "timestamp": sc.iso(t),
             "xray_trace_id": xr, "function_request_id": rid}
        o.update(kv)
        return jline(o)

    def body(ll, t, rid, is_err, cold):
        code = rng.choice(codes)
        cart = rng.randint(1800, 9600)
        lines = [(0.003, pt(t + 0.003, "INFO", "evaluating promo", rid, code=code, cart_cents=cart))]
        if is_err:
            msg = 'PROMO_MAX_DISCOUNT_PCT must be a number between 0 and 100, got "25%"'
            lines.append((0.012, pt(t + 0.012, "ERROR", "promo evaluation failed", rid, code=code,
                                    error={"name": "ConfigError", "message": msg,
                                           "stack": f"ConfigError: {msg}\n    at parsePct (/var/task/config.js:41:11)\n"
                                                    "    at evaluate (/var/task/rules.js:118:20)"})))
            lines.append((0.013, f"{sc.iso(t + 0.013)}\t{rid}\tERROR\tInvoke Error \t" + jline(
                {"errorType": "ConfigError", "errorMessage": msg,
                 "stack": [f"ConfigError: {msg}", "    at parsePct (/var/task/config.js:41:11)",
                           "    at evaluate (/var/task/rules.js:118:20)", "    at Runtime.handler (/var/task/index.js:22:14)"]})))
            return {"lines": lines, "dur": rng.gauss(18, 4)}
        r = rng.random()
        if r < 0.06:
            lines.append((0.02, pt(t + 0.02, "WARN", "promo code not found", rid, code=code.lower() + "x")))
        elif r < 0.09:
            lines.append((0.02, pt(t + 0.02, "WARN", "usage limit reached for customer", rid, code=code, limit=1)))
        else:
            lines.append((0.05, pt(t + 0.05, "INFO", "promo applied", rid, code=code, discount_cents=int(cart * 0.15))))
        return {"lines": lines, "dur": rng.gauss(64, 12), "init_lines": [] if not cold else
                [(0.05, pt(t - 0.2, "INFO", "config loaded", "", promo_table="promo-codes-prod"))]}

    lambda_logs(sc, ll, v, body, sample=0.12)
    ml = LambdaLogs(sc, mailer, "python3.12", 256, 30)

    def mbody(ll, t, rid, is_err, cold):
        lines = [(0.02, ll.fmt(t + 0.02, rid, "INFO", f"receipt queued order=ord_{sc.hexid(10)} template=receipt_v7"))]
        if rng.random() < 0.05:
            lines.append((0.3, ll.fmt(t + 0.3, rid, "ERROR", "SES throttled (MaxSendRate), message returned to queue")))
        return {"lines": lines, "dur": rng.gauss(410, 60)}

    lambda_logs(sc, ml, mv, mbody, sample=0.05)
    sso = "AWSReservedSSO_GrowthOps_91d0a3/jordan.kim"
    sc.change(-9300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-deploy-promo")
    sc.change(-9290, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "gha-deploy-promo")
    sc.change(cut, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, sso)
    sc.change(cut + 35, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", mailer,
              "gha-deploy-notifications")
    sc.alarm("promo-apply-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "promo-apply Lambda errors")
    sc.alarm("checkout-gw-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 25,
             "GreaterThanThreshold")
    sc.alarm("order-receipt-mailer-errors", "AWS/Lambda", "Errors", {"FunctionName": mailer}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    expect(sc, "promo-apply-errors", "config_change", [fn], [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    describe(sc, front="origin (Lambda Errors)",
             decoys="code deploy to order-receipt-mailer 35 s after the cause; an earlier (2.5 h) code deploy to "
                    "promo-apply itself with no effect; steady WARN 'promo code not found'; second alarm on checkout-gw",
             services="Lambda (Node.js), API Gateway HTTP API",
             story="promo-apply's Errors alarm fires. At -34 min an SSO user ran UpdateFunctionConfiguration on the "
                   "function; every environment is recycled (burst of INIT_START cold starts) and from the next "
                   "invocation about half of the requests fail with `ConfigError: PROMO_MAX_DISCOUNT_PCT must be a number "
                   "between 0 and 100, got \"25%\"` — an error naming an invalid setting. The code deploy to the same "
                   "function 2.5 h earlier left it healthy; the mailer deploy 35 s later did not change the mailer's "
                   "metrics; checkout-gw's 5XX alarm is just the front of the same failures.",
             judgement="The earlier code deploy on promo-apply could tempt `bad_deployment`, but errors begin at the "
                       "configuration update, not the deploy, and they name the setting; config change beats deployment.")
    return sc


BUILDERS = [build_01, build_02]
