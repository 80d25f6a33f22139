"""Scenarios 11-12."""
from __future__ import annotations

from .blocks import lambda_metrics, rest_api_metrics
from .common import Scn, ramp
from .lambdalog import Inv, lambda_logs, py_trace

PANGO = ("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file: No such file or "
         "directory.  Additionally, ctypes.util.find_library() did not manage to locate a library called "
         "'libpango-1.0-0'")


def b11() -> Scn:
    sc = Scn(11, "quotes-5xx-layer-missing-native-lib", "us-east-2", 2911, "2026-03-19T18:50:00",
             "Quotes API 5xx rate jumped; customers cannot download quote PDFs. 5XXError alarm on the REST API.")
    lay, chg = -1920, -1800
    new = lambda t: t >= chg + 25
    sc.res("apigateway", "quotes-rest-api", stage="v1", rest_api_id="h3j5k7l9m2", integration="quote-api")
    sc.res("lambda", "quote-api", runtime="python3.12", architecture="x86_64", timeout=29, memory_size=1024,
           layers=["arn:aws:lambda:us-east-2:318274650912:layer:shared-deps:42"])
    sc.res("lambda", "quote-expiry-sweeper", runtime="python3.12", timeout=300, memory_size=256,
           trigger="EventBridge rate(15 minutes)")
    traffic = lambda t: 600 * sc.diurnal(t, 17, 0.3)
    pdf_share = 0.24
    rest_api_metrics(sc, "quotes-rest-api", traffic, lambda t: 0.0006 + pdf_share * new(t), lambda t: 0.02,
                     lambda t: 140 - 40 * new(t), stage="v1")
    lambda_metrics(sc, "quote-api", traffic, lambda t: 0.0004 + pdf_share * new(t), lambda t: 120 - 35 * new(t))
    lambda_metrics(sc, "quote-expiry-sweeper", lambda t: 1.0 if sc.wall(t).minute % 15 == 0 else None,
                   lambda t: 0.0, lambda t: 5200)

    def handler(sc, t, rid, env):
        r = sc.rng
        q = f"Q-{r.randint(2000000, 2999999)}"
        if r.random() < pdf_share:
            if new(t):
                d = r.uniform(180, 320)
                return Inv(d, r.randint(118, 131), [
                    (3, "INFO", f"POST /quotes/{q}/pdf"),
                    (d - 2, None, py_trace("OSError", PANGO, [
                        ("/var/task/app.py", 88, "handler", "return render_pdf(event)"),
                        ("/var/task/quotes/pdf.py", 7, "render_pdf", "from weasyprint import HTML"),
                        ("/opt/python/weasyprint/__init__.py", 387, "<module>",
                         "from .css import preprocess_stylesheet  # noqa: I001, E402"),
                        ("/opt/python/weasyprint/text/ffi.py", 463, "<module>", "pango = _dlopen("),
                        ("/opt/python/weasyprint/text/ffi.py", 451, "_dlopen",
                         "return ffi.dlopen(names[0], flags)  # pragma: no cover")]))], "error")
            d = r.uniform(700, 1600)
            return Inv(d, r.randint(210, 260), [(3, "INFO", f"POST /quotes/{q}/pdf"),
                                               (d - 4, "INFO", f"rendered {q}.pdf ({r.randint(2, 9)} pages) in {d:.0f} ms")])
        d = r.uniform(25, 90)
        if r.random() < 0.025:
            return Inv(d, r.randint(110, 130), [(d - 2, "WARN", f"GET /quotes/{q}: quote expired; returning 410")])
        route = r.choice(["GET /quotes/{id}", "POST /quotes", "GET /quotes/{id}"]).replace("{id}", q)
        return Inv(d, r.randint(110, 130), [(d - 2, "INFO", f"{route} 200 {d:.0f}ms")])

    lambda_logs(sc, "quote-api", "python3.12", -8400, 0, 3, lambda t: 4.0, handler, 1024, 29,
                recycle=[chg], init_ms=(700, 1100))
    ev = []
    t = float(chg + 30)
    while t < -1:
        t += sc.rng.expovariate(8 / 60)
        q = sc.uid()
        ev.append((t, f"({q}) Lambda execution failed with status 200 due to customer function error: {PANGO}. "
                      f"Lambda request id: {sc.uid()}"))
        ev.append((t + 0.002, f"({q}) Method completed with status: 502"))
    sc.log("API-Gateway-Execution-Logs_h3j5k7l9m2/v1", "45c48cce2e2d7fbdea1afc51c7c6ad26", ev)
    sc.change(-9000, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/quotes/fx-margin-bps",
              "pricing-admin")
    sc.change(-5000, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment",
              "quotes-rest-api", "terraform-ci")
    sc.change(lay, "lambda.amazonaws.com", "PublishLayerVersion20181031", "AWS::Lambda::LayerVersion",
              "shared-deps", "github-actions-deployer")
    sc.change(chg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "quote-api", "github-actions-deployer")
    api = {"ApiName": "quotes-rest-api", "Stage": "v1"}
    sc.alarm("quotes-rest-api-5xx", "AWS/ApiGateway", "5XXError", api, "Sum", 60, 3, 15,
             description="Quotes API 5xx", want="ALARM")
    sc.expect("quotes-rest-api-5xx", "bad_deployment", ["quote-api"],
              [("AWS/ApiGateway", "5XXError", api), ("AWS/Lambda", "Errors", {"FunctionName": "quote-api"})])
    sc.readme("front (REST API)", "SSM parameter change 2 h earlier; API stage redeploy ~55 min earlier; "
              "steady 410 quote-expired warnings",
              "CI publishes shared-deps layer version 42 and points quote-api at it (PublishLayerVersion, then "
              "UpdateFunctionConfiguration setting the new layer). From the next requests every quote-PDF call "
              "(about a quarter of traffic) fails with `OSError: cannot load library 'libpango-1.0-0'` raised "
              "from /opt/python/weasyprint - the rebuilt layer is missing the native Pango libraries - and API "
              "Gateway answers 502. Other routes are fine. A new artifact (layer code) shipped right before a new "
              "error signature is `bad_deployment` of quote-api: the configuration API call only carries the "
              "deployment; no setting, variable or flag changed. The SSM parameter and API redeploy are hours old.")
    return sc


SPRING = "o.s.b.StartupInfoLogger"


def b12() -> Scn:
    sc = Scn(12, "pricing-api-5xx-memory-downsized", "eu-west-1", 2912, "2026-03-20T08:40:00",
             "Pricing API slow and returning 5xx during the morning ramp-up; REST API 5XXError alarm.")
    chg = -2700
    new = lambda t: t >= chg + 20
    sc.res("apigateway", "pricing-rest-api", stage="prod", integration_timeout_ms=29000, integration="pricing-api")
    sc.res("lambda", "pricing-api", runtime="java21", timeout=30, memory_size=512, snap_start="None",
           handler="org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest")
    sc.res("lambda", "pricing-rules-sync", runtime="java21", timeout=120, memory_size=1024,
           trigger="EventBridge rate(5 minutes)")
    traffic = lambda t: 260 + 1100 * ramp(t, -5400, -300)
    rest_api_metrics(sc, "pricing-rest-api", traffic, lambda t: 0.0004 + 0.034 * new(t), lambda t: 0.012,
                     lambda t: 72 + 820 * new(t) * (0.6 + 0.4 * ramp(t, chg, chg + 600)))
    lambda_metrics(sc, "pricing-api", traffic, lambda t: 0.0002 + 0.008 * new(t),
                   lambda t: 58 + 700 * new(t), conc_extra=lambda t: (4 + 50 * new(t)) * traffic(t) / 1360)
    lambda_metrics(sc, "pricing-rules-sync", lambda t: 1.0 if sc.wall(t).minute % 5 == 0 else None,
                   lambda t: 0.0, lambda t: 2300)

    def init_ms(sc, t):
        return sc.rng.uniform(20000, 30000) if new(t) else sc.rng.uniform(5600, 7200)

    def boot_lines(sc, t0, secs):
        return [(sc_t, None, f"{sc.stamp(sc_t)}.{int((sc_t % 1) * 1000):03d}  INFO 8 --- [pricing-api] [main] {msg}")
                for sc_t, msg in [
                    (t0, f"{SPRING} : Starting PricingApplication v3.14.2 using Java 21.0.4 with PID 8"),
                    (t0 + secs * 0.35, "o.h.e.j.e.i.JdbcEnvironmentInitiator : HHH000342: PostgreSQLDialect does "
                                       "not need to be specified explicitly using 'hibernate.dialect'"),
                    (t0 + secs, f"{SPRING} : Started PricingApplication in {secs:.3f} seconds (process running for "
                                f"{secs + 0.7:.3f})")]]

    def handler(sc, t, rid, env):
        r = sc.rng
        lines = []
        base = 0.0
        if env["cold"]:
            if new(t):
                secs = r.uniform(19.5, 29.5)
                for abs_t, _, text in boot_lines(sc, t + 0.05, secs):
                    lines.append(((abs_t - t) * 1000, None, text))
                base = secs * 1000 + 300
            else:
                secs = r.uniform(5.4, 6.9)
                for abs_t, _, text in boot_lines(sc, t - secs - 0.8, secs):
                    lines.append(((abs_t - t) * 1000, None, text))
        sku = f"SKU-{r.randint(100000, 999999)}"
        d = base + (r.uniform(110, 380) if new(t) else r.uniform(25, 95))
        mem = r.randint(395, 455) if new(t) else r.randint(520, 610)
        if d > 30000:
            return Inv(30000, mem, lines, "timeout")
        lines.append((d - 3, "INFO", f"c.a.p.PriceController - quote {sku} qty={r.randint(1, 40)} "
                                     f"price={r.uniform(3, 900):.2f} EUR in {d - base:.0f} ms"))
        return Inv(d, mem, lines)

    lambda_logs(sc, "pricing-api", "java21", -7200, 0, 4, lambda t: 3.0 if t < chg else 5.0, handler,
                lambda t: 512 if new(t) else 2048, 30, recycle=[chg], init_ms=init_ms, life=(900, 2400))
    ev = []
    t = float(chg + 25)
    while t < -1:
        t += sc.rng.expovariate(6 / 60)
        q = sc.uid()
        ev.append((t, f"({q}) Execution failed due to a timeout error"))
        ev.append((t + 0.001, f"({q}) Method completed with status: 504"))
    sc.log("API-Gateway-Execution-Logs_p4r6t8v0x2/prod", "c9f0f895fb98ab9159f51fd0297e236d", ev)
    sc.change(-3400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "pricing-rules-sync", "jenkins-deployer")
    sc.change(chg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "pricing-api", "finops-rightsizing")
    api = {"ApiName": "pricing-rest-api"}
    sc.alarm("pricing-rest-api-5xx", "AWS/ApiGateway", "5XXError", api, "Sum", 60, 3, 10,
             description="Pricing API 5xx", want="ALARM")
    sc.alarm("pricing-rules-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "pricing-rules-sync"}, "Sum",
             300, 1, 1, comparison="GreaterThanOrEqualToThreshold", want="OK")
    sc.expect("pricing-rest-api-5xx", "config_change", ["pricing-api"],
              [("AWS/ApiGateway", "5XXError", api), ("AWS/ApiGateway", "Latency", api),
               ("AWS/Lambda", "Duration", {"FunctionName": "pricing-api"})])
    sc.readme("front (REST API)", "pricing-rules-sync deploy 12 min before the change; pre-existing Hibernate "
              "dialect warning at every cold start",
              "A FinOps right-sizing job calls UpdateFunctionConfiguration on pricing-api at 07:55: its REPORT lines "
              "go from `Memory Size: 2048 MB` to `512 MB`. With a quarter of the CPU, Spring Boot now needs 20-25 s "
              "to start instead of ~6 s (`Started PricingApplication in 23.1 seconds`), the init phase hits the 10 s "
              "limit (`INIT_REPORT ... Phase: init Status: timeout`) and is re-run inside the first invoke. During "
              "the morning ramp-up many new environments start, so cold requests exceed API Gateway's 29 s "
              "integration timeout (504, `Execution failed due to a timeout error`) and warm requests are 3-4x "
              "slower. Memory use is well under the new limit (no OOM). A setting changed right before onset is "
              "`config_change` of pricing-api.")
    return sc
