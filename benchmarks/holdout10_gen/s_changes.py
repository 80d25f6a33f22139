"""Scenarios 05, 09, 18: code deployments and configuration changes on Lambda functions."""
from __future__ import annotations

import math

import numpy as np

from .common import TS, Scn
from .lam import Fn, Inv, http_api, py_unhandled, rest_api


def h05_canary_alias() -> Scn:
    s = Scn(5, "cart-canary-alias", "ap-northeast-1",
            "cart-service Lambda Errors alarm; a few customers report 'something went wrong' at checkout.",
            seed=1005, anchor="2026-03-12T11:00:00")
    rng = s.rng
    T = -2370
    fn = Fn(s, "cart-service", "nodejs20.x", 512, 10, init_ms=(260, 520), max_streams=8)
    routes = ["GET /cart", "POST /cart/items", "DELETE /cart/items/{sku}", "POST /cart/checkout-preview"]

    def version(t):
        return "43" if t >= T and rng.random() < 0.10 else "42"

    def handler(c):
        route = routes[int(rng.choice(4, p=[0.5, 0.28, 0.1, 0.12]))]
        cart = f"c_{s.hexid(12)}"
        d = float(rng.lognormal(math.log(85), 0.45))
        lines = [(0.002, fn.line(c.t, c.rid, "INFO", f"{route} cart={cart} items={int(rng.integers(0, 9))}"))]
        if rng.random() < 0.02:
            lines.append((0.03, fn.line(c.t + 0.03, c.rid, "WARN", f"inventory-svc slow response ({int(rng.integers(900, 1800))} ms); "
                                                                   "using cached stock levels")))
        if c.version == "43" and route != "DELETE /cart/items/{sku}" and rng.random() < 0.75:
            emsg = "Cannot read properties of undefined (reading 'amount')"
            lines.append((d / 1000, fn.node_invoke_error(c.t + d / 1000, c.rid, "TypeError", emsg, [
                "    at applyPromotions (/var/task/dist/pricing/promotions.js:88:41)",
                "    at Array.reduce (<anonymous>)",
                "    at priceCart (/var/task/dist/pricing/index.js:31:22)",
                "    at Runtime.handler (/var/task/dist/index.js:52:23)",
                "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"])))
            return Inv("error", d, int(rng.integers(96, 118)), lines, emsg)
        code = 404 if rng.random() < 0.015 else 200
        return Inv("ok", d, int(rng.integers(92, 114)), lines, code=code)

    fn.run(40 * s.daily(0.3), handler, version=version, log_from=-5400)
    fn.emit()
    for ver in ("42", "43"):
        st = fn.stats(version=ver)
        dims = {"FunctionName": "cart-service", "Resource": "cart-service:live", "ExecutedVersion": ver}
        s.metric("AWS/Lambda", "Invocations", dims, "Count", st["inv"])
        s.metric("AWS/Lambda", "Errors", dims, "Count", st["err"])
    http_api(s, fn, "k3v9x2m1qa", routes, "/aws/vendedlogs/apigateway/shop-http-api-access", log_from=-5400)

    m = Fn(s, "cart-abandon-mailer", "nodejs20.x", 256, 30)

    def m_handler(c):
        d = float(rng.lognormal(math.log(640), 0.3))
        return Inv("ok", d, int(rng.integers(80, 95)), [(0.01, m.line(c.t, c.rid, "INFO", f"queued {int(rng.integers(0, 40))} "
                                                                                      "abandoned-cart reminders"))])

    r = np.zeros(len(TS))
    r[::10] = 1
    m.run(r, m_handler, counts=True)
    m.emit()

    s.res("lambda", "cart-service", runtime="nodejs20.x", memory_size=512, timeout=10,
          aliases={"live": {"function_version": "42", "routing_config": {"43": 0.1}}})
    s.res("apigateway", "shop-http-api", api_id="k3v9x2m1qa", protocol="HTTP", stage="$default")
    s.res("lambda", "cart-abandon-mailer", runtime="nodejs20.x", memory_size=256, timeout=30,
          event_source="events:rule/cart-abandon-10m")
    s.change(-5400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "cart-abandon-mailer", "k.tanaka")
    s.change(T - 30, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "cart-service",
             "codedeploy-cart")
    s.change(T - 18, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "cart-service",
             "codedeploy-cart")
    s.change(T - 2, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias", "cart-service:live",
             "codedeploy-cart")
    a = s.alarm("cart-service-errors", "AWS/Lambda", "Errors", {"FunctionName": "cart-service"}, "Sum", 300, 1, 6,
                description="cart-service unhandled errors")
    s.set_expect(a["name"], "bad_deployment", ["cart-service"],
                 [("AWS/Lambda", "Errors", {"FunctionName": "cart-service"})])
    s.readme = dict(decoys="UpdateFunctionConfiguration on cart-abandon-mailer 1.5 h earlier; constant inventory-svc "
                           "slow-response WARN; steady 404s",
                    story="CodeDeploy published cart-service version 43 and shifted the `live` alias to a "
                          "Canary10Percent30Minutes configuration (UpdateAlias with routing config). Version 43 reads "
                          "`promotion.discount.amount` without a null check, so most requests routed to it fail with "
                          "`TypeError: Cannot read properties of undefined (reading 'amount')`; only ~7 % of all "
                          "invocations fail and version 42 is clean (streams `[42]` vs `[43]`, ExecutedVersion metrics).")
    return s


def h09_env_var_rename() -> Scn:
    s = Scn(9, "dispatcher-env-var", "ca-central-1",
            "notification-dispatcher Errors alarm; order confirmation emails not arriving.", seed=1009,
            anchor="2026-03-09T18:00:00")
    rng = s.rng
    T = -1800
    fn = Fn(s, "notification-dispatcher", "python3.12", 256, 30, init_ms=(380, 600))

    def handler(c):
        order = f"ORD-{int(rng.integers(10**6, 10**7))}"
        channel = "email" if rng.random() < 0.72 else "sms"
        msg_id = s.rid()
        lines = [(0.002, fn.line(c.t, c.rid, "INFO", f"SNS message {msg_id} from order-events: OrderConfirmed {order} "
                                                      f"channel={channel}"))]
        d = float(rng.lognormal(math.log(180), 0.35))
        if rng.random() < 0.03:
            lines.append((0.01, fn.line(c.t + 0.01, c.rid, "WARNING", f"Recipient for {order} has opted out of {channel}; skipping")))
            return Inv("ok", d * 0.3, int(rng.integers(70, 80)), lines)
        if channel == "email" and c.t >= T:
            exc = "KeyError: 'TEMPLATE_BUCKET'"
            lines.append((0.02, py_unhandled(exc, [
                ("/var/task/dispatcher/handler.py", 27, "lambda_handler", "body = render_email(order, channel)"),
                ("/var/task/dispatcher/templates.py", 14, "render_email", "bucket = os.environ[\"TEMPLATE_BUCKET\"]"),
                ("<frozen os>", 714, "__getitem__", "")])))
            return Inv("error", 25 + d * 0.1, int(rng.integers(72, 84)), lines, exc)
        sent = "SES MessageId 0100018e" + s.hexid(8) if channel == "email" else "SNS SMS MessageId " + s.rid()
        lines.append((d / 1000 - 0.005, fn.line(c.t + d / 1000, c.rid, "INFO", f"Sent {channel} for {order} ({sent})")))
        return Inv("ok", d, int(rng.integers(72, 84)), lines)

    base = 16 * s.daily(0.2)
    retries = 0.72 * 2 * base * (TS >= T + 60)       # async invoke retries failed events twice
    fn.run(base + retries, handler, resets=[T])
    fn.emit()

    sms = Fn(s, "sms-sender", "python3.12", 256, 15)

    def s_handler(c):
        d = float(rng.lognormal(math.log(310), 0.3))
        return Inv("ok", d, int(rng.integers(66, 74)),
                   [(0.01, sms.line(c.t, c.rid, "INFO", f"Delivered SMS via Pinpoint to +1******{int(rng.integers(1000, 9999))}"))])

    sms.run(4.5 * s.daily(0.2), s_handler)
    sms.emit()

    s.res("lambda", "notification-dispatcher", runtime="python3.12", memory_size=256, timeout=30,
          event_source="sns:order-events",
          environment={"SENDER_ADDRESS": "orders@acme-shop.ca", "TEMPLATES_BUCKET": "acme-notify-templates-cac1",
                       "LOG_LEVEL": "INFO"})
    s.res("lambda", "sms-sender", runtime="python3.12", memory_size=256, timeout=15, event_source="sqs:sms-outbound")
    s.change(-2400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "sms-sender",
             "github-actions-deploy")
    s.change(T, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "notification-dispatcher", "p.lefebvre")
    a = s.alarm("notification-dispatcher-errors", "AWS/Lambda", "Errors", {"FunctionName": "notification-dispatcher"},
                "Sum", 60, 3, 5)
    s.set_expect(a["name"], "config_change", ["notification-dispatcher"],
                 [("AWS/Lambda", "Errors", {"FunctionName": "notification-dispatcher"})])
    s.readme = dict(decoys="UpdateFunctionCode on sms-sender 10 min before onset; constant opted-out WARNING",
                    story="While tidying environment variables an engineer renamed TEMPLATE_BUCKET to TEMPLATES_BUCKET "
                          "on notification-dispatcher (UpdateFunctionConfiguration); the code still reads "
                          "`os.environ[\"TEMPLATE_BUCKET\"]`, so every email notification fails with "
                          "`KeyError: 'TEMPLATE_BUCKET'` while SMS notifications keep working. Async retries inflate "
                          "Invocations.")
    return s


def h18_import_module_error() -> Scn:
    s = Scn(18, "signup-import-error", "eu-south-1",
            "accounts-api 5XX alarm; sign-ups failing on web and mobile.", seed=1018, anchor="2026-03-16T10:00:00")
    rng = s.rng
    T = -1500
    fn = Fn(s, "user-signup", "python3.12", 256, 15, init_ms=(520, 900))
    err = ("Runtime.ImportModuleError: Unable to import module 'app': No module named "
           "'pydantic_core._pydantic_core'")

    def handler(c):
        if c.t >= T:
            tb = f"[ERROR] {err}\nTraceback (most recent call last):"
            i1, i2 = rng.uniform(380, 520), rng.uniform(900, 1200)
            return Inv("error", float(i2 + rng.uniform(5, 20)), int(rng.integers(40, 48)), [], err,
                       init_lines=[tb, f"INIT_REPORT Init Duration: {i1:.2f} ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError",
                                   tb, f"INIT_REPORT Init Duration: {i2:.2f} ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ImportModuleError"]
                       if c.cold else [],
                       report_status="\tStatus: error\tError Type: Runtime.ImportModuleError", kill=True)
        email = f"{s.hexid(6)}@{rng.choice(['gmail.com', 'outlook.com', 'libero.it', 'proton.me'])}"
        d = float(rng.lognormal(math.log(210), 0.35))
        lines = [(0.003, fn.line(c.t, c.rid, "INFO", f"POST /v1/signup email={email[:2]}***"))]
        if rng.random() < 0.06:
            lines.append((0.01, fn.line(c.t + 0.01, c.rid, "WARNING", "Validation failed: password too short (min 12); responding 422")))
            return Inv("ok", d * 0.2, int(rng.integers(88, 96)), lines, code=422)
        lines.append((d / 1000 - 0.005, fn.line(c.t + d / 1000, c.rid, "INFO", f"Created user u_{s.hexid(16)} (Cognito sub "
                                                                             f"{s.rid()}), welcome email queued")))
        return Inv("ok", d, int(rng.integers(88, 100)), lines, code=201)

    fn.run(14 * s.daily(0.3), handler, resets=[T])
    fn.emit()
    rest_api(s, fn, "accounts-api", "z1x8c7v6b5", "v1", overhead=20, client_4xx=0.02)

    pr = Fn(s, "profile-reader", "python3.12", 256, 10)

    def p_handler(c):
        d = float(rng.lognormal(math.log(45), 0.3))
        return Inv("ok", d, int(rng.integers(70, 78)), [(0.002, pr.line(c.t, c.rid, "INFO", f"GET /v1/me sub={s.rid()[:8]}..."))])

    pr.run(35 * s.daily(0.3), p_handler, log_from=-5400)
    pr.emit()

    s.res("lambda", "user-signup", runtime="python3.12", architecture="arm64", memory_size=256, timeout=15,
          handler="app.handler", environment={"USER_POOL_ID": "eu-south-1_Qx7Lm2NaP", "WELCOME_QUEUE": "welcome-emails"})
    s.res("apigateway", "accounts-api", api_id="z1x8c7v6b5", stage="v1", protocol="REST")
    s.res("lambda", "profile-reader", runtime="python3.12", architecture="arm64", memory_size=256, timeout=10)
    s.change(-12600, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "accounts-api",
             "sam-cli-deployer")
    s.change(T - 25, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "user-signup",
             "m.rossi")
    a = s.alarm("accounts-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "accounts-api", "Stage": "v1"},
                "Sum", 60, 2, 3, description="accounts-api v1 5XX")
    s.set_expect(a["name"], "bad_deployment", ["user-signup"],
                 [("AWS/ApiGateway", "5XXError", {"ApiName": "accounts-api", "Stage": "v1"}),
                  ("AWS/Lambda", "Errors", {"FunctionName": "user-signup"})])
    s.readme = dict(decoys="CreateDeployment on accounts-api 3.5 h earlier; constant 422 validation WARNINGs; "
                           "healthy sibling function profile-reader",
                    story="A developer deployed user-signup by hand from a laptop (UpdateFunctionCode): the zip was "
                          "built on x86_64 but the function runs on arm64, so the compiled pydantic_core wheel cannot be "
                          "imported. Every invocation fails during init with `Runtime.ImportModuleError: Unable to "
                          "import module 'app': No module named 'pydantic_core._pydantic_core'` (INIT_REPORT "
                          "Status: error) and API Gateway returns 502.")
    return s


BUILDERS = [h05_canary_alias, h09_env_var_rename, h18_import_module_error]
