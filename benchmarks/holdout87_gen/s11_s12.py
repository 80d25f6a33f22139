"""h87-11 (extension-request API flooded after a reminder campaign: latency alarm on the API) and
h87-12 (amended-return dashboard on ECS crashing on deadline day with no change anywhere)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, gunicorn, jline

from . import kit
from .kit import LAST3H, emit, every


def build_11():
    sc = kit.make(11, "extension-api-latency",
                  "Form 4868 extension page spinning for 5-10 s; API latency alarm on deadline afternoon.",
                  "us-east-2", "2027-04-15T20:30:00+00:00")
    rng = sc.rng
    api, fn, other = "extension-api", "ext-4868-intake", "ext-confirm-mailer"
    surge = -2340
    sc.resource("apigateway", api, stage="prod", endpoint_type="REGIONAL", throttling_rate_limit=10000)
    sc.resource("lambda", fn, runtime="python3.12", timeout=29, memory_size=1024)
    sc.resource("lambda", other, runtime="python3.12", timeout=60, memory_size=256)

    base = lambda t: 240 * diurnal(sc, t, 20.0, 0.2)
    mult = lambda t: 1 + 5.2 * ramp(t, surge, surge + 420)
    load = lambda t: base(t) * mult(t)
    cold = lambda t: 0.01 + 0.3 * ramp(t, surge, surge + 300) * (1 - 0.5 * ramp(t, surge + 600, -60))
    lm = kit.lambda_metrics(sc, fn, load, lambda t: 190 + 70 * ramp(t, surge, surge + 420), err=lambda t: 0.1,
                            conc=lambda t: 2 + load(t) * (0.19 + 1.7 * cold(t)) / 60 * 2.2)
    kit.lambda_metrics(sc, other, lambda t: load(t) * 0.8, lambda t: 420.0)
    kit.apigw_metrics(sc, api, load, lambda t: 230 + 70 * ramp(t, surge, surge + 420) + 1750 * cold(t) * 2.2,
                      e4=lambda t: load(t) * 0.025, e5=lambda t: 0.1)

    sc.alarm("extension-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 5, 600,
             "GreaterThanThreshold", "Extension API average latency > 600 ms")
    sc.alarm("extension-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
             "GreaterThanThreshold")
    sc.alarm("ext-4868-intake-concurrency", "AWS/Lambda", "ConcurrentExecutions", {"FunctionName": fn},
             "Maximum", 60, 3, 150, "GreaterThanThreshold", "account concurrency headroom watch")

    sc.change(-16000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "svc-ext-pipeline")
    sc.change(-2580, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "svc-ext-pipeline")
    sc.change(-2570, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", other,
              "svc-ext-pipeline")

    ll = LambdaLogs(sc, fn, "python3.12", 1024, 29, mem_used=(188, 10), init_ms=(1650, 250))

    def body(l, t, rid, is_err, c):
        if is_err:
            return {"dur": rng.uniform(30, 80), "lines": [
                (0.01, l.fmt(t, rid, "ERROR", "rejecting request: ValidationError(field='ssn', msg='invalid format')"))]}
        d = rng.gauss(190 + 70 * ramp(t, surge, surge + 420), 40)
        return {"dur": d, "lines": [(0.005, l.fmt(t, rid, "INFO", f"extension {rng.choice(['created', 'created', 'status'])} "
                                                                f"conf=EXT-{rng.randint(10**7, 10**8 - 1)}"))]}

    si, se = kit.thin(lm["inv"], [0] * len(lm["inv"]), LAST3H, 3)
    ll.run(si, {m: 1 for m in si if rng.random() < 0.05}, body)
    # the LambdaLogs model keeps a handful of environments at 3 sampled calls a minute; add the cold
    # starts the surge really caused as INIT lines on fresh streams
    for m in kit.grid_minutes(surge, 0):
        for _ in range(int(3 * ramp(m, surge, surge + 300) * (1 - 0.5 * ramp(m, surge + 600, -60)) * 2) + (m < surge + 600)):
            ts = m + rng.uniform(0, 60)
            stream = f"{sc.at(ts).strftime('%Y/%m/%d')}/[$LATEST]{sc.hexid(32)}"
            ll._log(stream, ts, ll.rv)
            rid = sc.uuid()
            init = rng.gauss(1650, 250)
            ll._log(stream, ts + init / 1000, f"START RequestId: {rid} Version: $LATEST")
            d = rng.gauss(250, 40)
            ll._log(stream, ts + init / 1000 + 0.01, ll.fmt(ts + init / 1000, rid, "INFO",
                                                            f"extension created conf=EXT-{rng.randint(10**7, 10**8 - 1)}"))
            ll._log(stream, ts + (init + d) / 1000, f"END RequestId: {rid}")
            ll._log(stream, ts + (init + d) / 1000 + 0.001,
                    f"REPORT RequestId: {rid}\tDuration: {d:.2f} ms\tBilled Duration: {int(d) + 1} ms\tMemory Size: 1024 MB\t"
                    f"Max Memory Used: {rng.randint(170, 200)} MB\tInit Duration: {init:.2f} ms")

    def access(t):
        path = rng.choice(["/v1/extensions", "/v1/extensions", "/v1/extensions/status"])
        src = "sms-reminder-0415" if t >= surge and rng.random() < 0.8 else rng.choice(["direct", "search", "email"])
        lat = rng.gauss(230 + 70 * ramp(t, surge, surge + 420), 50) + (rng.gauss(1700, 250) if rng.random() < cold(t) else 0)
        st = 200 if rng.random() > 0.025 else 400
        return jline({"requestId": sc.uuid(), "ip": f"{rng.randint(24, 220)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                      "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": "POST" if path == "/v1/extensions" else "GET",
                      "resourcePath": path, "status": str(st), "protocol": "HTTP/1.1", "responseLength": str(rng.randint(180, 900)),
                      "integrationLatency": str(int(lat - 12)), "responseLatency": str(int(lat)),
                      "userAgent": rng.choice(["Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
                                               "Mozilla/5.0 (Linux; Android 14)"]), "utm_source": src})

    emit(sc, f"/aws/apigateway/{api}-access", "prod", LAST3H, 0, lambda t: 4 * min(mult(t), 3.0), access)
    every(sc, f"/aws/lambda/{other}", "2027/04/15/[$LATEST]" + sc.hexid(32), LAST3H, 0, 60,
          lambda t: f"[INFO]\t{sc.iso(t)}\t{sc.uuid()}\tqueued {int(load(t) * 0.8)} confirmation emails")

    sc.expect["alarm"] = "extension-api-latency"
    kit.meta(sc, "traffic_surge", [api], "origin (API Gateway)",
             "ext-confirm-mailer deploy 4 min before onset; ValidationError rejections and 4XX at their usual share; ext-4868-intake's code deploy 4 h earlier; a concurrency alarm on the function that stays OK",
             "The extension API's latency alarm. From -39 min the API's Count rises to about six times "
             "its usual deadline-afternoon level within seven minutes; the access log shows most new "
             "requests tagged `utm_source=sms-reminder-0415` from thousands of client addresses. "
             "ext-4868-intake scales out without a single throttle or new error: the extra latency is "
             "hundreds of cold starts (`Init Duration` ~1.6 s) plus slightly longer warm calls. Nothing "
             "changed on the request path; the mailer deploy only sends the confirmations.",
             judgement="The origin is the API that received the surge; the Lambda behind it is healthy and "
                       "only scales. A reader might also name the function; it is not accepted because it has no "
                       "fault of its own.",
             services="API Gateway (JSON access log), Lambda (Python)")
    return sc


def build_12():
    sc = kit.make(12, "amend-dashboard-500",
                  "Amended-return (1040-X) dashboard returns 'Server Error (500)' for every taxpayer since "
                  "midnight Eastern; ALB 5xx alarm.", "us-west-1", "2027-04-15T04:40:00+00:00")
    rng = sc.rng
    alb = kit.alb_id(sc, "efile-amend-alb")
    cl, svc, other = "efile-web", "amended-returns", "status-page"
    midnight = -2400  # 2027-04-15 00:00 America/New_York == 04:00 UTC
    sc.resource("alb", alb, name="efile-amend-alb", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3, cpu=1024, memory=2048,
                log_group=f"/ecs/{svc}", image_tag="2027.04.09-3")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=2, cpu=256, memory=512)

    load = lambda t: 310 * diurnal(sc, t, 2.0, 0.35)
    dash = 0.34
    kit.alb_metrics(sc, alb, load, lambda t: 0.16, t5=lambda t: 0.3 + load(t) * dash * (t >= midnight),
                    healthy=lambda t: 3.0)
    kit.ecs_metrics(sc, cl, svc, lambda t: 21 * diurnal(sc, t, 2.0, 0.3), lambda t: 46.0, lambda t: 3.0)
    kit.ecs_metrics(sc, cl, other, lambda t: 9 + bump(t, -2700, -2300, 30.0, 120), lambda t: 33.0,
                    lambda t: 2.0 if t < -2640 else 4.0)

    sc.alarm("efile-amend-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb},
             "Sum", 60, 3, 25, "GreaterThanThreshold")
    sc.alarm("amended-returns-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc},
             "Average", 300, 2, 75, "GreaterThanThreshold")

    sc.change(-21000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}",
              "svc-web-pipeline")
    sc.change(-2640, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}",
              "chg-CHG0042470-ekim")
    sc.change(-2500, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "status-page-task-role",
              "chg-CHG0042470-ekim")

    group = f"/ecs/{svc}"

    def dj(t, level, logger, msg):
        return f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')},{rng.randint(0, 999):03d} {level} [{logger}] {msg}"

    for _ in range(3):
        stream = f"web/{svc}/{kit.task_id(sc)}"
        pid = rng.randint(8, 14)

        def acc(t, pid=pid):
            path = rng.choice(["/amend/dashboard", "/amend/dashboard", "/amend/form/part-ii", "/amend/form/explain",
                               "/amend/static/app.css", "/amend/health"])
            meth = "POST" if path.startswith("/amend/form") else "GET"
            boom = path == "/amend/dashboard" and t >= midnight
            st = 500 if boom else (403 if meth == "POST" and rng.random() < 0.05 else 200)
            out = [f'10.30.{rng.randint(1, 3)}.{rng.randint(10, 250)} - - [{sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000")}] '
                   f'"{meth} {path} HTTP/1.1" {st} {145 if boom else rng.randint(900, 40000)} "-" "Mozilla/5.0" {rng.randint(8000, 90000)}']
            if boom:
                tb = kit.pytrace("ZeroDivisionError: division by zero", [
                    ("/usr/local/lib/python3.11/site-packages/django/core/handlers/exception.py", 55, "inner", "response = get_response(request)"),
                    ("/app/amend/views/dashboard.py", 41, "dashboard", "ctx = build_progress(request.user, today=localdate())"),
                    ("/app/amend/progress.py", 73, "build_progress", "pace = remaining_items / (DEADLINE - today).days")])
                out.insert(0, dj(t - 0.003, "ERROR", "django.request", f"Internal Server Error: /amend/dashboard\n{tb}"))
            elif st == 403:
                out.insert(0, dj(t - 0.003, "WARNING", "django.security.csrf", f"Forbidden (CSRF token missing.): {path}"))
            return out

        emit(sc, group, stream, LAST3H, 0, lambda t: 4.5, acc)
        emit(sc, group, stream, LAST3H, 0, lambda t: 0.4,
             lambda t: dj(t, "ERROR", "amend.payments", f"Bank routing number {rng.randint(10**8, 10**9 - 1)} failed "
                                                        "ABA checksum; asked taxpayer to correct"))
        every(sc, group, stream, LAST3H, 0, 900,
              lambda t, pid=pid: [gunicorn(sc, t, pid, "INFO", "Autorestarting worker after current request."),
                                gunicorn(sc, t + 0.4, pid, "INFO", f"Worker exiting (pid: {pid})"),
                                gunicorn(sc, t + 0.9, 1, "INFO", f"Booting worker with pid: {pid + 40}")])
    every(sc, f"/ecs/{other}", f"web/{other}/{kit.task_id(sc)}", LAST3H, 0, 120,
          lambda t: jline({"level": "info", "time": sc.iso(t), "msg": "status page rendered", "components": 11}))

    sc.expect["alarm"] = "efile-amend-alb-5xx"
    kit.meta(sc, "application_error", [f"{cl}/{svc}", svc], "front (ALB)",
             "status-page UpdateService (scale-out, CPU bump) and an AttachRolePolicy on its task role shortly before onset; CSRF WARNINGs and ABA-checksum ERRORs all along",
             "The amend ALB's 5xx alarm. Starting exactly at 04:00 UTC (midnight Eastern on 15 April) "
             "every GET /amend/dashboard on all three amended-returns tasks fails with `ZeroDivisionError: "
             "division by zero` in `pace = remaining_items / (DEADLINE - today).days`: on deadline day "
             "the days-left divisor is zero. The image has not changed since 9 April, CPU and memory are "
             "flat, and the other pages keep returning 200. The status-page scale-out and its role policy "
             "are on a different service.",
             services="ALB, ECS (Python/Django + gunicorn)")
    return sc


BUILDERS = [build_11, build_12]
