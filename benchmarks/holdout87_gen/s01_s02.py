"""h87-01 (ECS return intake: bad task-definition deploy behind the public ALB) and h87-02
(identity-proofing Lambda: a malformed environment setting, alarm on the API in front)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs

from . import kit
from .kit import LAST3H, emit, every, powertools


def build_01():
    sc = kit.make(1, "intake-5xx",
                  "Public e-file ALB returning 5xx on return submission; taxpayers see 'We could not "
                  "accept your return' two days before the deadline.", "us-east-2",
                  "2027-04-13T19:40:00+00:00")
    rng = sc.rng
    alb = kit.alb_id(sc, "efile-pub-alb")
    cl, svc, other = "filing-prod", "return-intake", "refund-tracker"
    deploy, onset = -2700, -2480
    sc.resource("alb", alb, name="efile-pub-alb", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
                log_group=f"/ecs/{svc}")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024)
    sc.resource("lambda", "idv-session-check", runtime="python3.12", timeout=10, memory_size=256)

    load = lambda t: 880 * diurnal(sc, t, 19.0, 0.3)
    bad = lambda t: ramp(t, onset, onset + 240) * 0.055
    kit.alb_metrics(sc, alb, load, lambda t: 0.21 + 0.05 * ramp(t, onset, onset + 240),
                    t5=lambda t: 0.4 + load(t) * bad(t), healthy=lambda t: 6.0)
    kit.ecs_metrics(sc, cl, svc, lambda t: 34 * diurnal(sc, t, 19.0, 0.25),
                    lambda t: 57.0 + 4 * bump(t, deploy, deploy + 360, 1.0),
                    lambda t: 4.0 + 4 * bump(t, deploy + 60, deploy + 300, 1.0, 60))
    kit.ecs_metrics(sc, cl, other, lambda t: 18.0, lambda t: 41.0, lambda t: 2.0)
    kit.lambda_metrics(sc, "idv-session-check", lambda t: 140 * diurnal(sc, t, 19.0), lambda t: 45.0)

    sc.alarm("efile-pub-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": alb}, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "Public e-file ALB: targets returning 5xx")
    sc.alarm("return-intake-cpu-high", "AWS/ECS", "CPUUtilization",
             {"ClusterName": cl, "ServiceName": svc}, "Average", 300, 2, 80, "GreaterThanThreshold")
    sc.alarm("idv-session-check-errors", "AWS/Lambda", "Errors", {"FunctionName": "idv-session-check"},
             "Sum", 60, 3, 5, "GreaterThanThreshold")

    sc.change(-19800, "monitoring.amazonaws.com", "PutMetricAlarm", "AWS::CloudWatch::Alarm",
              "efile-pub-alb-target-5xx", "platform-observability")
    sc.change(deploy - 25, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              f"{svc}:58", "svc-efile-pipeline")
    sc.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "svc-efile-pipeline")
    sc.change(-2520, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "idv-session-check", "chg-CHG0041877-rkhan")

    group = f"/ecs/{svc}"
    app = "return-intake"

    def spring(t, level, thread, logger, msg):
        return f"{sc.iso(t)} {level:>5} 1 --- [{app}] [{thread:>15}] {logger:<40} : {msg}"

    old = [kit.task_id(sc) for _ in range(4)]
    new = [kit.task_id(sc) for _ in range(4)]
    for i, tid in enumerate(old + new):
        stream = f"ecs/{svc}/{tid}"
        born = LAST3H - 40000 if i < 4 else deploy + 200 + (i - 4) * 15
        stop = deploy + 300 + (i % 4) * 40 if i < 4 else 0
        ver = "4.17.3" if i < 4 else "4.18.0"
        if born > LAST3H:
            sc.log(group, stream, born, spring(born, "INFO", "main", "g.e.intake.ReturnIntakeApplication",
                                               f"Starting ReturnIntakeApplication v{ver} using Java 17.0.10 with PID 1"))
            sc.log(group, stream, born + 14.2, spring(born + 14.2, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                                                      "Tomcat started on port 8080 (http) with context path ''"))
            sc.log(group, stream, born + 14.9, spring(born + 14.9, "INFO", "main", "g.e.intake.ReturnIntakeApplication",
                                                      "Started ReturnIntakeApplication in 15.31 seconds (process running for 16.8)"))
        start = max(born + 16, LAST3H)
        if i < 4:
            sc.log(group, stream, stop - 1, spring(stop - 1, "INFO", "SpringApplicationShutdownHook",
                                                   "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete"))
        end = stop if i < 4 else 0
        is_new = i >= 4

        def ok(t):
            th = f"http-nio-8080-exec-{rng.randint(1, 40)}"
            sid = f"SUB-{rng.randint(10**9, 10**10 - 1)}"
            forms = rng.choice(["1040", "1040", "1040-SR", "1040", "1040-X"])
            if is_new and rng.random() < 0.28:
                return spring(t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                              "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                              "[Request processing failed: org.springframework.http.converter.HttpMessageNotReadableException: "
                              "JSON parse error: Cannot deserialize value of type `java.math.BigDecimal` from Object value "
                              "(token `JsonToken.START_OBJECT`)] with root cause\n"
                              "com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value of type "
                              "`java.math.BigDecimal` from Object value (token `JsonToken.START_OBJECT`)\n"
                              " at [Source: (PushbackInputStream); line: 1, column: 2214] (through reference chain: "
                              "gov.efile.intake.model.ReturnPayload[\"credits\"]->gov.efile.intake.model.Credits[\"premiumTaxCredit\"])\n"
                              "\tat com.fasterxml.jackson.databind.exc.MismatchedInputException.from(MismatchedInputException.java:59)\n"
                              "\tat gov.efile.intake.web.SubmissionController.submit(SubmissionController.java:118)")
            return spring(t, "INFO", th, "g.e.intake.web.SubmissionController",
                          f"Accepted submission {sid} form={forms} schedules={rng.randint(0, 6)} bytes={rng.randint(9000, 240000)}")

        emit(sc, group, f"ecs/{svc}/{tid}", start, end, lambda t: 2.2, ok)
        emit(sc, group, f"ecs/{svc}/{tid}", start, end, lambda t: 0.45,
             lambda t: spring(t, "WARN", f"http-nio-8080-exec-{rng.randint(1, 40)}", "g.e.intake.address.UspsVerifier",
                              f"Address verification failed for submission SUB-{rng.randint(10**9, 10**10 - 1)}: "
                              "400 Bad Request from https://addr-verify.internal/v3/standardize; accepting as entered"))
        emit(sc, group, f"ecs/{svc}/{tid}", start, end, lambda t: 0.3,
             lambda t: spring(t, "WARN", "pdf-render-3", "o.a.pdfbox.pdmodel.font.PDType1Font",
                              "Using fallback font LiberationSans for Helvetica"))
    for fn_stream in ("2027/04/13/[$LATEST]" + sc.hexid(32),):
        every(sc, "/aws/lambda/idv-session-check", fn_stream, LAST3H, 0, 300,
              lambda t: f"[INFO]\t{sc.iso(t)}\t{sc.uuid()}\tsession sweep: expired={rng.randint(20, 90)} active={rng.randint(900, 1400)}")

    sc.expect["alarm"] = "efile-pub-alb-target-5xx"
    kit.meta(sc, "bad_deployment", [f"{cl}/{svc}", svc], "front (ALB)",
             "IAM-window config change to idv-session-check 3 min closer to onset; USPS 400 WARNs and PDFBox font WARNs at the same rate for hours",
             "The 5xx alarm is on the public ALB. CloudTrail shows svc-efile-pipeline registering "
             "return-intake:58 and updating the service at -45 min; four new tasks log "
             "`ReturnIntakeApplication v4.18.0` replacing v4.17.3, and only these tasks throw a Jackson "
             "`MismatchedInputException` on `credits.premiumTaxCredit` (about a quarter of submissions). "
             "A config change to idv-session-check lands three minutes nearer the onset, but that function's "
             "errors stay at zero; the address-verification and font warnings were there all along.",
             services="ALB, ECS (Java/Spring Boot), Lambda")
    return sc


def build_02():
    sc = kit.make(2, "kba-api-502s",
                  "Identity proofing API returning 502s; taxpayers stuck at the knowledge-based "
                  "verification step.", "us-west-1", "2027-04-14T02:15:00+00:00")
    rng = sc.rng
    fn, other, api = "idv-kba-score", "w2-prefill", "identity-proofing-api"
    cfg = -2040
    sc.resource("apigateway", api, stage="prod", endpoint_type="REGIONAL")
    sc.resource("lambda", fn, runtime="python3.12", timeout=15, memory_size=512,
                environment_keys=["KBA_VENDOR_URL", "KBA_PASS_THRESHOLD", "POWERTOOLS_SERVICE_NAME"])
    sc.resource("lambda", other, runtime="python3.12", timeout=30, memory_size=1024)

    load = lambda t: 190 * diurnal(sc, t, 1.0, 0.35)
    share = 0.62  # KBA scoring calls; the rest are session look-ups that do not read the threshold
    err = lambda t: load(t) * share * ramp(t, cfg + 20, cfg + 140)
    lm = kit.lambda_metrics(sc, fn, load, lambda t: 420 - 250 * ramp(t, cfg, cfg + 120) * share, err)
    kit.lambda_metrics(sc, other, lambda t: 55 * diurnal(sc, t, 1.0), lambda t: 1900.0)
    kit.apigw_metrics(sc, api, lambda t: load(t) * 1.04, lambda t: 470 - 180 * ramp(t, cfg, cfg + 120),
                      e4=lambda t: load(t) * 0.07, e5=lambda t: 0.2 + err(t))

    sc.alarm("identity-proofing-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3,
             10, "GreaterThanThreshold", "Identity proofing API 5xx (prod)")
    sc.alarm("idv-kba-score-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 25,
             "GreaterThanThreshold")
    sc.alarm("identity-proofing-api-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 2,
             150, "GreaterThanThreshold", "Failed KBA answers spike")
    sc.alarm("w2-prefill-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 60, 3, 3,
             "GreaterThanThreshold")

    sc.change(-15300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "svc-idv-pipeline")
    sc.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "chg-CHG0042113-tnguyen")
    sc.change(-1890, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "svc-w2-pipeline")
    sc.change(-1880, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", other,
              "svc-w2-pipeline")

    ll = LambdaLogs(sc, fn, "python3.12", 512, 15, retire=[cfg], mem_used=(118, 9))

    def body(l, t, rid, is_err, cold):
        xr = kit.trace_id(sc, t)
        if is_err:
            exc = ("ValueError: KBA_PASS_THRESHOLD='0,80' is not a valid number "
                   "(could not convert string to float: '0,80')")
            tb = kit.pytrace(exc, [("/var/task/kba/handler.py", 61, "lambda_handler", "score = score_answers(body, settings())"),
                                   ("/var/task/kba/config.py", 27, "settings", "threshold=float(os.environ['KBA_PASS_THRESHOLD']),")])
            return {"dur": rng.uniform(3, 9), "lines": [
                (0.002, powertools(sc, t, "ERROR", "lambda_handler:64", "KBA scoring failed", "idv", xr,
                                   exception=tb, exception_name="ValueError")),
                (0.004, f"[ERROR] {exc}\n{tb}")]}
        if rng.random() < 1 - share:
            return {"dur": rng.uniform(30, 90), "lines": [
                (0.003, powertools(sc, t, "INFO", "session_lookup:112", "session resumed", "idv", xr,
                                   step=rng.choice(["address", "questions", "done"])))]}
        vend = rng.lognormvariate(6.6, 0.35)
        lines = [(0.002, powertools(sc, t, "INFO", "lambda_handler:58", "scoring answers", "idv", xr,
                                    questions=4))]
        if vend > 2000:
            lines.append((vend / 1000, powertools(sc, t + vend / 1000, "WARNING", "vendor_call:40",
                                                  f"vendor round-trip {vend:.0f} ms exceeds soft budget 2000 ms", "idv", xr)))
        lines.append((vend / 1000 + 0.01, powertools(sc, t + vend / 1000, "INFO", "lambda_handler:77",
                                                     "kba result", "idv", xr, passed=rng.random() > 0.11)))
        return {"dur": vend + rng.uniform(10, 40), "lines": lines}

    si, se = kit.thin(lm["inv"], lm["err"], LAST3H, 4)
    ll.run(si, se, body)
    ll2 = LambdaLogs(sc, other, "python3.12", 1024, 30, retire=[-1890], mem_used=(310, 20))
    inv2 = {m: 1 for m in kit.grid_minutes(LAST3H)}

    def body2(l, t, rid, is_err, cold):
        return {"dur": rng.uniform(1500, 2300), "lines": [
            (0.01, f"[INFO]\t{sc.iso(t)}\t{rid}\tPrefilled W-2 for employer EIN **-***{rng.randint(1000, 9999)}: {rng.randint(1, 4)} forms")]}

    ll2.run(inv2, {}, body2)
    api_id = sc.hexid(10)
    emit(sc, f"API-Gateway-Execution-Logs_{api_id}/prod", sc.hexid(32), LAST3H, 0,
         lambda t: 1.5 + 4 * ramp(t, cfg, cfg + 120),
         lambda t: (f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function error: "
                    "KBA_PASS_THRESHOLD='0,80' is not a valid number (could not convert string to float: '0,80'). "
                    f"Lambda request id: {sc.uuid()}") if t > cfg + 20 and rng.random() < 0.8 else
         f"({sc.uuid()}) Method completed with status: {rng.choice([200, 200, 200, 403])}")

    sc.expect["alarm"] = "identity-proofing-api-5xx"
    kit.meta(sc, "config_change", [fn], "front (API Gateway)",
             "code deploy of w2-prefill 2.5 min after onset (nearest change to the alarm); vendor slow-response WARNINGs and 4XX from failed KBA answers at a steady rate",
             "The API's 5XX alarm fires but the faults come from idv-kba-score: at -34 min "
             "chg-CHG0042113-tnguyen updated its configuration, and from the next cold start every "
             "scoring call raises `ValueError: KBA_PASS_THRESHOLD='0,80' is not a valid number` (a "
             "decimal comma in an environment variable). Session look-ups, which do not read the "
             "setting, keep succeeding. The w2-prefill code deploy is the change closest to the alarm "
             "but w2-prefill's errors stay at zero.",
             services="API Gateway, Lambda (Python, Powertools JSON)")
    return sc


BUILDERS = [build_01, build_02]
