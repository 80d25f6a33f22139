"""Scenarios 01-03: ECS bad deployment behind an ALB, Lambda config change, Lambda IAM denial."""
from __future__ import annotations

import datetime as dt
import json

from .core import UTC, Scenario, ramp
from .infra import GB, Streams, alb_metrics, apigw_exec, ec2_metrics, ecs_metrics, rds_metrics, spring
from .lam import LambdaFn, apigw_front, fn_minutes

NPE = ('Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing '
       'failed: java.lang.NullPointerException: Cannot invoke "com.acme.payments.model.ThreeDsResult.getStatus()" '
       'because the return value of "com.acme.payments.model.Authorization.getThreeDs()" is null] with root cause\n\n'
       'java.lang.NullPointerException: Cannot invoke "com.acme.payments.model.ThreeDsResult.getStatus()" because the '
       'return value of "com.acme.payments.model.Authorization.getThreeDs()" is null\n'
       '\tat com.acme.payments.service.ConfirmationService.resolveLiabilityShift(ConfirmationService.java:214)\n'
       '\tat com.acme.payments.service.ConfirmationService.confirm(ConfirmationService.java:97)\n'
       '\tat com.acme.payments.web.PaymentController.confirm(PaymentController.java:71)\n'
       '\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n'
       '\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)\n'
       '\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)\n'
       '\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)\n'
       '\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)\n'
       '\tat org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)\n'
       '\tat java.base/java.lang.Thread.run(Thread.java:1583)')


def s01():
    s = Scenario(1, "payments-ecs-deploy", "eu-west-1", dt.datetime(2026, 3, 10, 11, 20, tzinfo=UTC), 4601,
                 "Some card payments fail at the confirm step; the payments ALB 5XX alarm paged on-call.",
                 log_start=-7200)
    r = s.rng
    lb, cl, svc = "app/prod-payments-alb/7c1e4a9b2d3f5e60", "prod-payments", "payments-api"
    group = f"/ecs/{cl}/{svc}"
    s.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=4,
               task_definition="payments-api:88", load_balancer=lb, log_groups=[group],
               image="418295730164.dkr.ecr.eu-west-1.amazonaws.com/payments-api:2.41.0")
    s.resource("alb", lb, name="prod-payments-alb", scheme="internet-facing", targets=[f"{cl}/{svc}"])
    s.resource("rds", "prod-payments-pg", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
               max_connections=1000, allocated_storage_gb=500)
    for t, td in ((-19890, "payments-api:87"), (-2530, "payments-api:88")):
        s.change(t, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", td, "github-actions-deploy")
        s.change(t + 30, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "github-actions-deploy")
    s.change(-2445, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "invoice-pdf-renderer", "github-actions-deploy")
    old = [(s.hexs(32), -19760 + 10 * i, -2330 + 10 * i) for i in range(4)]
    new = [(s.hexs(32), -2462 + 6 * i, 0) for i in range(4)]
    logs = Streams(s, group)
    for tid, st, _ in new:
        v = "2.41.0"
        for k, (lvl, lg, msg) in enumerate([
                ("INFO", "c.a.payments.PaymentsApiApplication", f"Starting PaymentsApiApplication v{v} using Java 21.0.2 with PID 1 (/app/app.jar started by app in /app)"),
                ("INFO", "c.a.payments.PaymentsApiApplication", 'The following 1 profile is active: "prod"'),
                ("INFO", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
                ("INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                ("INFO", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
                ("INFO", "c.a.payments.PaymentsApiApplication", f"Started PaymentsApiApplication in {r.uniform(15, 19):.3f} seconds (process running for {r.uniform(19, 21):.3f})")]):
            tt = st + k * 3.1
            logs.add(f"ecs/{svc}/{tid}", tt, spring(s, tt, lvl, svc, "main", lg, msg))
    for tid, _, stop in old:
        for k, (lg, msg) in enumerate([("o.s.b.w.embedded.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete"),
                                       ("o.s.b.w.embedded.tomcat.GracefulShutdown", "Graceful shutdown complete"),
                                       ("com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Shutdown completed.")]):
            logs.add(f"ecs/{svc}/{tid}", stop - 6 + k * 2.5, spring(s, stop - 6 + k * 2.5, "INFO", svc, "ionShutdownHook", lg, msg))
    rows = {}
    for m in s.minutes():
        req = s.pois(380 * s.diurnal(m, lo=0.3, peak=13))
        new_share = ramp(m, -2430, -2300, 0.0, 1.0)
        bad = s.pois(req * 0.17 * 0.58 * new_share)
        base5 = s.pois(0.1)
        t4 = s.pois(req * 0.012)
        rt = s.jit(0.094 * (0.9 + 0.2 * s.diurnal(m)), 0.06) + (0.16 if -2460 <= m < -2360 else 0)
        both = -2460 <= m < -2300
        rows[m] = dict(req=req, rt=rt * (1 - 0.05 * new_share), t2=req - bad - base5 - t4, t4=t4, t5=bad + base5,
                       e5=s.pois(0.02), healthy=8 if both else 4, unhealthy=0)
        if m < s.log_start:
            continue
        live = [x for x in old if m < x[2]] + [x for x in new if m >= x[1] + 20]
        fresh = [x for x in new if m >= x[1] + 20]
        for t in s.spread(m, s.pois(req / 22)):
            tid = s.pick(live)[0]
            pid = f"pay_{s.hexs(14)}"
            op = r.choice(["authorize", "authorize", "capture", "confirm", "refund"])
            logs.add(f"ecs/{svc}/{tid}", t, spring(s, t, "INFO", svc, f"nio-8080-exec-{r.randint(1, 40)}",
                     "c.a.payments.web.PaymentController", f"{op} {pid} -> 200 in {r.randint(38, 190)} ms"))
        for t in s.spread(m, bad):
            tid = s.pick(fresh)[0]
            logs.add(f"ecs/{svc}/{tid}", t, spring(s, t, "ERROR", svc, f"nio-8080-exec-{r.randint(1, 40)}",
                     "o.a.c.c.C.[.[.[/].[dispatcherServlet]", NPE))
        for t in s.spread(m, base5):
            logs.add(f"ecs/{svc}/{s.pick(live)[0]}", t, spring(s, t, "ERROR", svc, f"nio-8080-exec-{r.randint(1, 40)}",
                     "c.a.payments.psp.AcquirerClient", f"Acquirer timeout after 10000 ms for pay_{s.hexs(14)}; responding 504"))
        for t in s.spread(m, s.pois(0.9)):
            logs.add(f"ecs/{svc}/{s.pick(live)[0]}", t, spring(s, t, "WARN", svc, "fx-refresh-1", "c.a.payments.fx.FxRateClient",
                     "FX rate cache stale for HUF (age 26h), using fallback rate 0.002531"))
    logs.flush()
    alb_metrics(s, lb, rows)
    ecs_metrics(s, cl, svc,
                cpu=lambda t: s.jit(16 + 20 * s.diurnal(t, lo=0.3, peak=13), 0.06) + (28 if -2460 <= t < -2400 else 0),
                mem=lambda t: s.jit(44 + (t + 2440) / 3600 * 3, 0.01) if t >= -2440 else s.jit(61, 0.01),
                running=lambda t: 8 if -2460 <= t < -2300 else 4, desired=lambda t: 4)
    rds_metrics(s, "prod-payments-pg", cpu=lambda t: s.jit(11 + 9 * s.diurnal(t, lo=0.3, peak=13), 0.08),
                conns=lambda t: (166 if -2440 <= t < -2300 else 86) + r.randint(-4, 4),
                free_storage=lambda t: 318.4 * GB - (t + 21600) * 9000, freeable_mem=lambda t: s.jit(9.1 * GB, 0.01),
                read_lat=lambda t: s.jit(0.0006, 0.1), write_lat=lambda t: s.jit(0.0011, 0.1))
    fn = LambdaFn(s, "invoice-pdf-renderer", "python3.12", memory=1024, timeout=60, mem_used=(210, 260),
                  generations=[(-2445, "$LATEST")], event_source="sqs:invoice-render-prod")
    for m in s.minutes():
        for t in s.spread(m, s.pois(4 * s.diurnal(m))):
            inv = f"INV-2026-{r.randint(100000, 999999)}"
            fn.add(t, s.jit(1900, 0.15), lines=[(12, "INFO", f"Rendering {inv} for account acc_{s.hexs(8)}"),
                                               (1850, "INFO", f"Uploaded s3://acme-invoices-prod/2026/03/{inv}.pdf ({r.randint(1, 6)} pages)")])
    fn.finish()
    s.alarm("prod-payments-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
            "Sum", 60, 3, 15, description="Payments ALB: target 5XX above 15/min")
    s.readme = dict(pos="front (ALB, 1 hop)", decoys="invoice-pdf-renderer Lambda deployed 1 min after; steady FX-cache WARN; "
                    "steady acquirer-timeout 504s; previous payments-api deploy 5 h earlier was clean",
                    story="payments-api task definition 88 (v2.41.0) rolled out at -2500 s. From the moment the new tasks take "
                    "traffic, a NullPointerException in ConfirmationService.resolveLiabilityShift (3-D Secure result missing) "
                    "appears only in the new tasks' streams and the ALB target 5XX climbs to ~35/min. Nothing else moved: RDS is "
                    "idle, the acquirer timeouts and FX WARN run at their usual rate, and the Lambda deployed a minute later is not in "
                    "the request path and stays healthy. A new error signature appearing only after a code/image deployment: "
                    "bad_deployment on the ECS service (the alarm is on its ALB, one hop in front).")
    return s.build("prod-payments-alb-target-5xx", "bad_deployment", [f"{cl}/{svc}", svc],
                   [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])


SES_TB = ("Traceback (most recent call last):\n"
          '  File "/var/task/dispatcher/handler.py", line 58, in handler\n    results = [send(msg) for msg in batch]\n'
          '  File "/var/task/dispatcher/handler.py", line 58, in <listcomp>\n    results = [send(msg) for msg in batch]\n'
          '  File "/var/task/dispatcher/channels/email.py", line 41, in send\n    resp = ses.send_email(**params)\n'
          '  File "/var/lang/lib/python3.11/site-packages/botocore/client.py", line 553, in _api_call\n'
          '    return self._make_api_call(operation_name, kwargs)\n'
          '  File "/var/lang/lib/python3.11/site-packages/botocore/client.py", line 1009, in _make_api_call\n'
          '    raise error_class(parsed_response, operation_name)')


def s02():
    s = Scenario(2, "notify-config-set", "ap-southeast-2", dt.datetime(2026, 3, 11, 4, 50, tzinfo=UTC), 4602,
                 "Customers report missing booking-confirmation emails; notification dispatcher Errors alarm in ALARM.",
                 log_start=-7200)
    r = s.rng
    T = -1860
    cfg = {"old": "notify-prod", "new": "notify-prod-v2"}

    def init(t0):
        cs = cfg["new"] if t0 >= T else cfg["old"]
        return [(40, "INFO", f"settings loaded: region=ap-southeast-2 sender=no-reply@tallyhq.com.au "
                             f"ses_configuration_set={cs} push_app=tallyhq-prod sms_origination=TallyHQ")]

    fn = LambdaFn(s, "svc_notification_dispatcher", "python3.11", memory=256, timeout=60, mem_used=(88, 104),
                  init_lines=init, generations=[(T, "$LATEST")], event_source="sqs:svc-notifications-prod",
                  batch_size=10, environment={"NOTIFY_SENDER": "no-reply@tallyhq.com.au",
                                              "NOTIFY_SES_CONFIG_SET": "notify-prod-v2", "PUSH_APP": "tallyhq-prod"})
    s.change(T, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "svc_notification_dispatcher", "AWSReservedSSO_PlatformAdmin_8d2e0f/m.okafor")
    s.change(-1790, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "svc_audit_writer", "bitbucket-pipelines")
    s.change(-15300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "svc_notification_dispatcher", "bitbucket-pipelines")
    for m in s.minutes():
        for t in s.spread(m, s.pois(18 * s.diurnal(m, lo=0.25, peak=15))):
            n = r.randint(1, 6)
            kinds = [r.choice(["email", "email", "push", "push", "sms"]) for _ in range(n)]
            lines = [(6, "INFO", f"batch of {n} message(s): email={kinds.count('email')} push={kinds.count('push')} "
                                 f"sms={kinds.count('sms')}")]
            off, fail = 10, None
            for k in kinds:
                off += r.uniform(40, 140)
                if k == "email":
                    if t >= T + 5:
                        fail = off
                        break
                    lines.append((off, "INFO", f"email sent template=booking_confirmation MessageId=010e{s.hexs(12)}-{s.uid()}-000000"))
                elif k == "push":
                    if r.random() < 0.06:
                        lines.append((off, "WARNING", f"push token expired for device dev_{s.hexs(10)} (410 Unregistered); removing"))
                    else:
                        lines.append((off, "INFO", f"push delivered to dev_{s.hexs(10)} via apns"))
                else:
                    lines.append((off, "INFO", f"sms queued to +61 4** *** {r.randint(100, 999)} MessageId={s.uid()}"))
            if fail is not None:
                lines.append((fail + 35, None, "[ERROR] ConfigurationSetDoesNotExistException: An error occurred "
                              "(ConfigurationSetDoesNotExist) when calling the SendEmail operation: Configuration set "
                              f"<{cfg['new']}> does not exist.\n" + SES_TB))
                fn.add(t, fail + 40, "error", lines)
            else:
                fn.add(t, off + r.uniform(8, 30), lines=lines + [(off + 5, "INFO", "batch complete")])
    fn.finish()
    aud = LambdaFn(s, "svc_audit_writer", "python3.11", memory=256, timeout=30, mem_used=(70, 84),
                   generations=[(-1790, "$LATEST")], event_source="kinesis:audit-events-prod")
    for m in s.minutes():
        for t in s.spread(m, s.pois(9 * s.diurnal(m, lo=0.25, peak=15))):
            n = r.randint(20, 100)
            aud.add(t, s.jit(180 + n * 2.2, 0.1), lines=[(r.uniform(150, 300), "INFO", f"wrote {n} audit records to audit_log_202603")])
    aud.finish()
    s.resource("ec2", "i-0c4f8a2d6e1b3c579", name="ops-runner-01", instance_type="t3.medium")
    ec2_metrics(s, "i-0c4f8a2d6e1b3c579", cpu=lambda t: s.jit(96, 0.02) if -2040 <= t < -1140 else s.jit(7, 0.2),
                mem=lambda t: s.jit(38, 0.03), disk=lambda t: 52.0 + (t + 21600) / 21600 * 0.2,
                net_in=lambda t: s.jit(240000, 0.2))
    s.alarm("svc_notification_dispatcher-errors", "AWS/Lambda", "Errors", {"FunctionName": "svc_notification_dispatcher"},
            "Sum", 60, 3, 5, description="Notification dispatcher errors")
    s.alarm("ops-runner-01-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": "i-0c4f8a2d6e1b3c579"}, "Average", 300, 2, 90)
    s.readme = dict(pos="origin (Lambda Errors)", decoys="svc_audit_writer code deploy 70 s later; ops-runner-01 CPU at 96 % "
                    "(and its own alarm) from -2040 s to -1140 s; steady push-token-expired WARNINGs",
                    story="An engineer updated svc_notification_dispatcher's configuration (environment) at -1860 s. The new "
                    "execution environments log ses_configuration_set=notify-prod-v2 (previously notify-prod) and every batch "
                    "containing an email now dies with ConfigurationSetDoesNotExistException naming that set. No code was deployed "
                    "to this function (its last code deploy was 4 h earlier and clean). A configuration change right before onset "
                    "with errors naming the invalid setting: config_change on the function.")
    return s.build("svc_notification_dispatcher-errors", "config_change", ["svc_notification_dispatcher"],
                   [("AWS/Lambda", "Errors", {"FunctionName": "svc_notification_dispatcher"})])


def _s3_denied(s, key):
    arn = "arn:aws:sts::418295730164:assumed-role/ReportExporterRole/ReportExporter"
    msg = (f"User: {arn} is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::acme-report-exports-prod/"
           f"{key}\" because no identity-based policy allows the s3:PutObject action")
    rid = s.hexs(16).upper()
    return msg, json.dumps({
        "errorType": "AccessDenied", "errorMessage": msg, "name": "AccessDenied", "$fault": "client",
        "$metadata": {"httpStatusCode": 403, "requestId": rid, "extendedRequestId": s.hexs(40), "attempts": 1,
                      "totalRetryDelay": 0}, "Code": "AccessDenied", "RequestId": rid,
        "stack": [f"AccessDenied: {msg}",
                  "    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:838:20)",
                  "    at de_CommandError (/var/runtime/node_modules/@aws-sdk/client-s3/dist-cjs/index.js:4756:14)",
                  "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
                  "    at async /var/runtime/node_modules/@aws-sdk/node_modules/@smithy/middleware-serde/dist-cjs/index.js:35:20",
                  "    at async uploadExport (/var/task/src/exporter/upload.js:27:3)",
                  "    at async Runtime.handler (/var/task/src/index.js:61:22)"]}, separators=(",", ":"))


def s03():
    s = Scenario(3, "reports-s3-denied", "us-west-2", dt.datetime(2026, 3, 12, 18, 5, tzinfo=UTC), 4603,
                 "Report exports fail with 'Internal server error' in the web app; ReportsApi 5XX alarm fired.")
    r = s.rng
    T_IAM = -2820
    s.resource("apigateway", "ReportsApi", stage="prod", integrations=["ReportExporter", "ReportScheduler"])
    fn = LambdaFn(s, "ReportExporter", "nodejs20.x", memory=1024, timeout=29, mem_used=(180, 260),
                  role="ReportExporterRole", environment={"EXPORT_BUCKET": "acme-report-exports-prod"})
    sch = LambdaFn(s, "ReportScheduler", "nodejs20.x", memory=256, timeout=15, mem_used=(90, 110),
                   generations=[(-2700, "$LATEST")], role="ReportSchedulerRole")
    s.change(T_IAM, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", "ReportExporterRole", "terraform-ci")
    s.change(T_IAM + 12, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "ReportExporterRole", "terraform-ci")
    s.change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "ReportScheduler",
             "terraform-ci")
    exec_logs = Streams(s, "API-Gateway-Execution-Logs_k3v9x2a1bq/prod")
    gw4 = {}
    for m in s.minutes():
        gw4[m] = s.pois(1.6)
        for t in s.spread(m, s.pois(15 * s.diurnal(m, lo=0.15, peak=13))):
            tenant = f"tenant-{r.randint(1000, 9999)}"
            if r.random() < 0.3:
                fn.add(t, s.jit(140, 0.2), lines=[(30, "INFO", f"list exports {tenant}: {r.randint(0, 40)} item(s)")])
                continue
            rows, fmt = r.randint(200, 90000), r.choice(["xlsx", "csv", "pdf"])
            key = f"exports/{tenant}/2026-03-12/rep_{s.hexs(10)}.{fmt}"
            dur = s.jit(900 + rows * 0.03, 0.15)
            lines = [(8, "INFO", f"export requested {tenant} report=pipeline_summary format={fmt} rows={rows}")]
            if fmt == "pdf" and r.random() < 0.25:
                lines.append((dur * 0.5, "WARN", "PDF font fallback: glyph U+1F4C8 not found in NotoSans-Regular, using NotoEmoji"))
            if t >= T_IAM + 35:
                msg, body = _s3_denied(s, key)
                rid = s.uid()
                lines.append((dur, "ERROR", "Invoke Error \t" + body))
                fn.add(t, dur + 20, "error", lines, rid=rid)
                areq = s.uid()
                exec_logs.add("b41c7e0f5d2a9c3e81f6d0b2a7c4e9f1", t + dur / 1000 + 0.03, apigw_exec(areq,
                              f"Lambda execution failed with status 200 due to customer function error: {msg}. Lambda request id: {rid}"))
                exec_logs.add("b41c7e0f5d2a9c3e81f6d0b2a7c4e9f1", t + dur / 1000 + 0.031, apigw_exec(areq, "Method completed with status: 502"))
            else:
                lines.append((dur, "INFO", f"uploaded s3://acme-report-exports-prod/{key} ({rows} rows)"))
                fn.add(t, dur + 15, lines=lines)
        for t in s.spread(m, s.pois(2.0 * s.diurnal(m, lo=0.15, peak=13))):
            sch.add(t, s.jit(95, 0.2), lines=[(20, "INFO", f"scheduled report sched_{s.hexs(8)} next_run=2026-03-13T06:00:00Z")])
    fn.finish()
    sch.finish()
    exec_logs.flush()
    fm = fn_minutes(fn)
    for m, v in fn_minutes(sch).items():
        a = fm.get(m, (0, 0, 0, None))
        fm[m] = (a[0] + v[0], a[1], a[2], a[3] if a[3] is not None else v[3])
    apigw_front(s, "ReportsApi", fm, extra_4xx=gw4)
    s.alarm("ReportsApi-5XX", "AWS/ApiGateway", "5XXError", {"ApiName": "ReportsApi"}, "Sum", 60, 3, 2,
            description="ReportsApi prod 5XX")
    s.readme = dict(pos="front (API Gateway, 1 hop)", decoys="ReportScheduler code deploy 2 min after the IAM change; "
                    "steady 401s at the API; steady PDF font-fallback WARN",
                    story="terraform-ci detached a managed policy from ReportExporterRole and replaced it with an inline policy at "
                    "-2820 s. Thirty seconds later every export upload fails with AccessDenied: ReportExporterRole is not authorized "
                    "to perform s3:PutObject; list requests (read-only) still succeed. API Gateway answers 502 for each failed "
                    "invocation. The ReportScheduler deploy is on a different function that stays healthy. AccessDenied right after "
                    "an IAM change: permission_denied on ReportExporter (its role accepted too).")
    return s.build("ReportsApi-5XX", "permission_denied", ["ReportExporter", "ReportExporterRole"],
                   [("AWS/Lambda", "Errors", {"FunctionName": "ReportExporter"}),
                    ("AWS/ApiGateway", "5XXError", {"ApiName": "ReportsApi"})])
