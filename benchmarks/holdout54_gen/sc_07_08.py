"""S07 bad ECS (.NET) rollout behind API Gateway; S08 env-var rename right after a code deploy."""
from . import fmt, packs
from .common import TENANTS, clock, expect, meta, pick
from .core import Scenario, ramp, step, window, diurnal
from .lam import Inv, LambdaFn


# ============================================================== S07
def s07():
    S = Scenario(7, "tenant-api-bad-rollout", "us-east-1",
                 "Public tenant API returning 500s on some endpoints; API Gateway 5XX alarm fired.",
                 clock(2026, 11, 10, 16, 20))
    rng = S.rng
    API, ALB = "tenant-public-api", "app/platform-internal-alb/3c9e5a7b1d2f4068"
    DEP, ON, DONE = -2300, -2240, -2000
    bad = lambda t: ramp(t, ON, DONE)
    S.res("apigateway", API, stage="v1", integration="VPC link -> platform-internal-alb")
    S.res("alb", ALB, name="platform-internal-alb", targets=["platform-prod/tenant-api"])
    S.res("ecs", "platform-prod/tenant-api", cluster="platform-prod", service="tenant-api", launch_type="FARGATE",
          desired_count=8, cpu=1024, memory=2048, runtime=".NET 8 / ASP.NET Core",
          image="tenant-api:2026.11.10.3", previous_image="tenant-api:2026.11.07.1",
          log_groups=["/ecs/platform-prod/tenant-api"])
    S.res("lambda", "email-sender", runtime="python3.12", timeout=30, memory_size=256)
    S.res("lambda", "tenant-metrics-rollup", runtime="dotnet8", timeout=120, memory_size=1024)
    S.res("rds", "platform-sql", engine="sqlserver-se", engine_version="16.00.4135.4.v1",
          instance_class="db.r6i.2xlarge", max_connections=32767)
    req = lambda t: 2400 * diurnal(t, 0.1, 30000)
    packs.apigw(S, API, count=req, e4=lambda t: 38.0, e5=lambda t: 0.4 + 0.088 * req(t) * bad(t),
                latency=lambda t: 112 + 6 * bad(t), integ=lambda t: 98 + 6 * bad(t))
    packs.alb(S, ALB, req=req, rt=lambda t: 0.094 + 0.005 * bad(t), t5xx=lambda t: 0.4 + 0.088 * req(t) * bad(t),
              healthy=lambda t: 8 + 8 * window(t, ON, DONE + 120), t4xx=lambda t: 38.0)
    packs.ecs(S, "platform-prod", "tenant-api", cpu=lambda t: 31 * diurnal(t, 0.1, 30000) + 8 * window(t, ON, DONE),
              mem=lambda t: 47 - 6 * window(t, ON, DONE + 600) * 0.5,
              running=lambda t: 8 + 8 * window(t, ON, DONE + 120))
    packs.rds(S, "platform-sql", cpu=lambda t: 26 * diurnal(t), conns=lambda t: 310.0, free_gb=lambda t: 640.0,
              freeable_gb=lambda t: 14.0)

    mail = LambdaFn(S, "email-sender", "python3.12", 256, 30, log_from=-6000)
    mail.run(lambda t: 3.0, lambda t: Inv("ok", rng.uniform(120, 300), 74, [
        ("INFO", "sent %s email to tenant %s via SES (MessageId %s)" % (
            pick(S, ["invoice", "password-reset", "digest"]), pick(S, TENANTS), S.hexid(16)))]))
    roll = LambdaFn(S, "tenant-metrics-rollup", "dotnet8", 1024, 120, log_from=-6000)
    roll.run(lambda t: 40.0 if (t % 3600) < 120 else 0.3, lambda t: Inv(
        "ok", rng.uniform(2500, 6000), rng.randint(210, 260),
        [("INFO", "Rolled up hourly usage for tenant %s: %d datapoints" % (pick(S, TENANTS), rng.randint(500, 9000)))]))

    CAT = "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware"
    NRE = ("System.NullReferenceException: Object reference not set to an instance of an object.\n"
           "   at Platform.TenantApi.Billing.InvoicePreviewService.BuildPreviewAsync(Tenant tenant, CancellationToken ct) "
           "in /src/TenantApi/Billing/InvoicePreviewService.cs:line 87\n"
           "   at Platform.TenantApi.Controllers.InvoicesController.GetPreview(String tenantId, CancellationToken ct) "
           "in /src/TenantApi/Controllers/InvoicesController.cs:line 54\n"
           "   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor.Execute("
           "ActionContext actionContext, IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object controller, "
           "Object[] arguments)\n   at Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddlewareImpl.<Invoke>g__Awaited|10_0("
           "ExceptionHandlerMiddlewareImpl middleware, HttpContext context, Task task)")

    def finished(tt):
        path = pick(S, ["/v1/projects", "/v1/invoices", "/v1/invoices/preview", "/v1/members", "/v1/billing/summary"])
        return fmt.dotnet_json(S, tt, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics",
                               "Request finished HTTP/1.1 GET http://tenant-api.internal%s - 200 - application/json "
                               "%.4fms" % (path, rng.uniform(15, 140)), event_id=2)

    def nre(tt):
        tenant = pick(S, TENANTS)
        return fmt.dotnet_json(S, tt, "Error", CAT, "An unhandled exception has occurred while executing the request.",
                               exc=NRE, event_id=1, TenantId=tenant, Path="/v1/invoices/preview")

    def quota(tt):
        return fmt.dotnet_json(S, tt, "Warning", "Platform.TenantApi.Quotas.QuotaMiddleware",
                               "Tenant t_0091 exceeded API quota (plan=starter), returning 429", event_id=0)

    def cancel(tt):
        return fmt.dotnet_json(S, tt, "Error", "Platform.TenantApi.Middleware.RequestLoggingMiddleware",
                               "Request aborted by client", exc="System.Threading.Tasks.TaskCanceledException: A task was "
                               "canceled.\n   at Platform.TenantApi.Data.ProjectRepository.ListAsync(String tenantId, "
                               "CancellationToken ct) in /src/TenantApi/Data/ProjectRepository.cs:line 41", event_id=0)

    def boot(t0, version):
        return [(t0, fmt.dotnet_json(S, t0, "Information", "Platform.TenantApi.Program",
                                     "TenantApi version %s starting (ASPNETCORE_ENVIRONMENT=Production)" % version)),
                (t0 + 2.1, fmt.dotnet_json(S, t0 + 2.1, "Information", "Microsoft.Hosting.Lifetime",
                                           "Now listening on: http://[::]:8080", event_id=14)),
                (t0 + 2.2, fmt.dotnet_json(S, t0 + 2.2, "Information", "Microsoft.Hosting.Lifetime",
                                           "Application started. Press Ctrl+C to shut down."))]
    L0 = -5400
    old = [(S.hexid(32), L0, ON + rng.uniform(60, 240)) for _ in range(8)]
    new = [(S.hexid(32), ON + rng.uniform(-20, 40), 0) for _ in range(8)]
    for tid, a, b in old + new:
        ev = []
        is_new = a > L0
        if is_new:
            ev += boot(a, "2026.11.10.3 (commit 8e1f2a7)")
        ev += fmt.spread(S, a + 3, b, lambda t: 4.0, finished)
        ev += fmt.spread(S, a + 3, b, lambda t: 0.6, quota)
        ev += fmt.spread(S, a + 3, b, lambda t: 0.25, cancel)
        if is_new:
            ev += fmt.spread(S, a + 3, b, lambda t: 3.0, nre)
        else:
            ev.append((b, fmt.dotnet_json(S, b, "Information", "Microsoft.Hosting.Lifetime",
                                          "Application is shutting down...")))
        S.log("/ecs/platform-prod/tenant-api", "ecs/tenant-api/" + tid, ev)

    S.change(-7300, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "email-sender", "s.okafor@sso")
    S.change(DEP - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "tenant-api:219",
             "github-actions")
    S.change(DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "platform-prod/tenant-api",
             "github-actions")
    S.alarm("tenant-public-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": API}, "Sum", 60, 3, 40,
            description="Public API 5xx")
    S.alarm("platform-internal-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
            {"LoadBalancer": ALB}, "Sum", 60, 3, 40)
    expect(S, "tenant-public-api-5xx", "bad_deployment", ["platform-prod/tenant-api", "tenant-api"],
           [("AWS/ApiGateway", "5XXError", {"ApiName": API}),
            ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": ALB})])
    meta(S, "bad_deployment", "ecs platform-prod/tenant-api", "front (API Gateway tenant-public-api)",
         "email-sender env change 2 h before; hourly tenant-metrics-rollup invocation spikes; steady quota-429 WARN and "
         "client-abort TaskCanceledException ERROR in the same service",
         "github-actions registered tenant-api:219 and rolled the ECS service 38 minutes ago. Only the new tasks (they "
         "log 'TenantApi version 2026.11.10.3') emit a brand-new signature, NullReferenceException in "
         "InvoicePreviewService.BuildPreviewAsync line 87, for tenants without a billing profile; 5xx ramps in "
         "exactly as old tasks drain. The quota and client-abort errors were there before at the same rate, the DB "
         "is flat, and the email-sender change is unrelated. The alarm is on the API Gateway in front; the origin is "
         "the deployed ECS service: bad_deployment.")
    return S


# ============================================================== S08
def s08():
    S = Scenario(8, "saml-callback-env-rename", "eu-west-1",
                 "SSO logins failing across tenants; Lambda errors alarm for sso-saml-callback is firing.",
                 clock(2026, 11, 26, 8, 55))
    rng = S.rng
    FN, EC2 = "sso-saml-callback", "i-0e1d2c3b4a5968778"
    CODE, CONF = -1980, -1860
    ON = CONF + 15
    S.res("lambda", FN, runtime="python3.12", timeout=15, memory_size=512, alias="live",
          trigger="apigateway:sso-api")
    S.res("apigateway", "sso-api", stage="prod", integration="lambda:sso-saml-callback:live")
    S.res("lambda", "tenant-directory-sync", runtime="python3.12", timeout=300, memory_size=1024)
    S.res("ec2", EC2, name="reporting-batch-1", instance_type="c6i.xlarge", log_groups=["/ec2/reporting-batch-1/cron"])
    rate = lambda t: 34 * diurnal(t, 0.35, -8000)
    packs.apigw(S, "sso-api", count=rate, e4=lambda t: 0.6, e5=lambda t: 0.05 + 0.93 * rate(t) * step(t, ON),
                latency=lambda t: 240 - 150 * step(t, ON))
    BATCH = -1260
    packs.ec2(S, EC2, cpu=lambda t: 6 + 90 * step(t, BATCH), net_in=lambda t: 1.2e6 + 3e7 * step(t, BATCH),
              mem=lambda t: 31 + 22 * step(t, BATCH), cpu_noise=0.03)

    fn = LambdaFn(S, FN, "python3.12", 512, 15, log_from=-5400,
                  versions=[(-21600, "57"), (CODE + 10, "58"), (CONF + 15, "59")])
    cfg = "IDP_METADATA_BUCKET=sso-idp-metadata-prod %s=sso-tenant-idp-prod SESSION_TTL=28800 AUDIENCE=urn:amazon:sso"
    seen = set()

    def cb(t):
        ver = fn._version_at(t)
        tenant = pick(S, TENANTS)
        logs = []
        if ver not in seen:
            seen.add(ver)
            logs.append(("INFO", "sso-saml-callback %s (python3-saml %s) config: %s" % (
                {"57": "4.8.3", "58": "4.9.0", "59": "4.9.0"}[ver], "1.15.0" if ver == "57" else "1.16.0",
                cfg % ("TENANT_IDP_TABLE_NAME" if ver == "59" else "TENANT_IDP_TABLE"))))
        logs.append(("INFO", "SAMLResponse received tenant=%s idp=%s" % (tenant, pick(S, ["okta", "azuread", "onelogin"]))))
        if tenant == "t_0151":
            logs.append(("WARNING", "SAML response for tenant t_0151 signed with rsa-sha1; accepting (deprecated)"))
        if ver == "59":
            return Inv("error", rng.uniform(8, 25), rng.randint(92, 99), logs,
                       ("KeyError", "'TENANT_IDP_TABLE'",
                        ['  File "/var/task/app.py", line 33, in lambda_handler\n    idp = tenant_idp(event["tenant"])',
                         '  File "/var/task/sso/tenants.py", line 19, in tenant_idp\n    table = _ddb.Table(settings.tenant_idp_table())',
                         '  File "/var/task/sso/config.py", line 12, in tenant_idp_table\n    return os.environ["TENANT_IDP_TABLE"]',
                         '  File "<frozen os>", line 714, in __getitem__']))
        logs.append(("INFO", "assertion valid; session issued for tenant=%s ttl=28800" % tenant))
        return Inv("ok", rng.uniform(140, 320), rng.randint(98, 112), logs)
    fn.run(rate, cb)

    sync = LambdaFn(S, "tenant-directory-sync", "python3.12", 1024, 300, log_from=-5400,
                    versions=[(-21600, "19"), (-9000, "20")])
    sync.run(lambda t: 0.5, lambda t: Inv("ok", rng.uniform(20000, 60000), rng.randint(300, 380),
                                          [("INFO", "synced %d users for tenant %s" % (rng.randint(20, 900), pick(S, TENANTS)))]))

    cron = [(BATCH, "CRON[21544]: (batch) CMD (/opt/reporting/bin/daily-usage-export --all-tenants)")]
    cron += fmt.every(BATCH + 30, 0, 120, lambda tt: "daily-usage-export[21547]: exported tenant %s (%d rows) cpu_workers=4" % (
        pick(S, TENANTS), rng.randint(40000, 900000)))
    cron += fmt.every(-21600, BATCH, 3600, lambda tt: "CRON[%d]: (root) CMD (/usr/lib64/sa/sa1 1 1)" % rng.randint(3000, 20000))
    S.log("/ec2/reporting-batch-1/cron", EC2, cron)

    S.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "tenant-directory-sync", "github-actions")
    S.change(CODE, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "github-actions")
    S.change(CODE + 5, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "github-actions")
    S.change(CODE + 10, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias", FN, "github-actions")
    S.change(CONF, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", FN,
             "r.vasquez@sso")
    S.change(CONF + 10, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "r.vasquez@sso")
    S.change(CONF + 15, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias", FN, "r.vasquez@sso")
    S.alarm("sso-saml-callback-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 5,
            description="SAML callback failing")
    S.alarm("sso-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "sso-api"}, "Sum", 60, 3, 5)
    S.alarm("reporting-batch-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": EC2}, "Average", 300, 2, 90)
    expect(S, "sso-saml-callback-errors", "config_change", [FN],
           [("AWS/Lambda", "Errors", {"FunctionName": FN}), ("AWS/ApiGateway", "5XXError", {"ApiName": "sso-api"})])
    meta(S, "config_change", "lambda %s" % FN, "origin (Lambda errors; API 5xx alarm too)",
         "code deploy of the same function 2 min before the config change (errors start only after the config "
         "change); reporting-batch-1 CPU alarm from the daily export cron; tenant-directory-sync deploy 2.5 h before; "
         "steady rsa-sha1 WARNING",
         "Two changes hit the function two minutes apart: github-actions shipped code 4.9.0 (published as version "
         "58, alias moved) and then an engineer updated its environment variables and republished (version 59). "
         "Version 58 served logins fine for two minutes. Every version-59 invocation fails with KeyError: "
         "'TENANT_IDP_TABLE' raised from os.environ in config.py, and its cold-start banner shows the variable was "
         "renamed to TENANT_IDP_TABLE_NAME. Errors name a missing setting and start at the configuration change, "
         "and the tie-break also prefers the config change over the deployment: config_change on sso-saml-callback. "
         "The reporting-batch-1 CPU alarm is a cron export and has nothing to do with SSO.")
    return S
