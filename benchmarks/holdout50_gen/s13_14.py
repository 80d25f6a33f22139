"""h50-13 (.NET claims API: a partner's new payload shape hits a NullReferenceException; no change on our side) and
h50-14 (Java pricing fleet scaled out 4 -> 12 and now exceeds the Parameter Store GetParameter rate: throttled)."""
import datetime as dt

from .core import GRID, Scn, bump, counts, diurnal, ramp, series
from .fleet import LOG_FROM, alb_metrics, asg_metrics, clients, ec2_metrics, every, inst, rds_default, times
from . import fmt
from .s01_02 import SPRING_FRAMES

WEBAPI = ["lambda_method(Closure , Object , Object[] )",
          "System.Web.Http.Controllers.ReflectedHttpActionDescriptor.ActionExecutor.<>c__DisplayClass6_2.<GetExecutor>b__2(Object instance, Object[] methodParameters)",
          "System.Web.Http.Controllers.ReflectedHttpActionDescriptor.ExecuteAsync(HttpControllerContext controllerContext, IDictionary`2 arguments, CancellationToken cancellationToken)",
          "System.Web.Http.Controllers.ApiControllerActionInvoker.<InvokeActionAsyncCore>d__1.MoveNext()"]


def h13():
    s = Scn(13, "h50-13-dotnet-claims-api-partner-payload-nullref", "eu-west-1",
            "Claims API returning 500s; claims-alb target 5XX alarm in ALARM.",
            dt.datetime(2026, 11, 20, 10, 5, 0), 5013)
    alb, tg = "app/claims-alb/5c1e7a3d9f2b6048", "targetgroup/claims-web-tg/3a7e1c5b9d0f2468"
    fleet = [inst(s, "claims-web-%d" % k, "10.57") for k in range(1, 4)]
    batch = inst(s, "claims-batch-01", "10.57")
    G = ["/claims/prod/iis", "/claims/prod/app", "/claims/prod/windows-application"]
    for i in fleet:
        s.res("ec2", i["id"], name=i["name"], instance_type="m5.large", autoscaling_group="claims-web-asg",
              platform="Windows Server 2022 / IIS 10 / .NET Framework 4.8 (ASP.NET Web API 2)", private_ip=i["ip"], log_groups=G)
    s.res("ec2", batch["id"], name=batch["name"], instance_type="m5.large", platform="Windows Server 2022", private_ip=batch["ip"],
          log_groups=["/claims/prod/batch-system"])
    s.res("alb", alb, name="claims-alb", target_group=tg, targets=[i["id"] for i in fleet])
    s.res("rds", "claims-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.m6g.large", max_connections=800,
          allocated_storage_gb=250)
    ON, PATCH, PARAM = -1980, -7200, -10800
    req_tot = lambda t: 620.0 * diurnal(s, t, 0.25, 10)
    partner = lambda t: 30.0 if t < ON else 145.0
    BAD = 0.68
    t5 = counts(s, lambda t: 0.4 + (partner(t) * BAD if t >= ON else 0))
    alb_metrics(s, alb, tg, counts(s, lambda t: req_tot(t) + partner(t)), t5, series(s, lambda t: 0.19, noise=0.015, lo=0.05), [3.0] * 360, [0.0] * 360)
    asg_metrics(s, "claims-web-asg", [3.0] * 360, [3.0] * 360)
    for i in fleet:
        ec2_metrics(s, i, series(s, lambda t: 9 + (req_tot(t) + partner(t)) / 3 / 14.0, noise=2, hi=100),
                    series(s, lambda t: 57.0, noise=0.5), series(s, lambda t: 46.0, noise=0.02), windows=True)
    ec2_metrics(s, batch, series(s, lambda t: 6 + bump(t, PATCH + 30, PATCH + 1500, 45) if not (PATCH + 1500 <= t < PATCH + 1740) else None, noise=2, hi=100),
                series(s, lambda t: 33.0, noise=0.5), series(s, lambda t: 58.0, noise=0.02), windows=True)
    rds_default(s, "claims-mysql", cpu=17.0, conns=75.0, free_gb=150.0, mem_gb=3.8)

    cl = clients(s, "10.57", 30)
    pip = [s.ip("10.57") for _ in range(3)]
    for i in fleet:
        st, sip = i["id"], i["ip"]
        s.log(G[0], st, LOG_FROM - 30, "#Software: Microsoft Internet Information Services 10.0")
        s.log(G[0], st, LOG_FROM - 29.9, fmt.IIS_HEADER)
        for t in times(s, LOG_FROM, -5, lambda t: 4.0 * diurnal(s, t, 0.25, 10)):
            m, stem = s.rng.choice([("GET", "/api/v2/claims/%d" % s.rng.randint(10 ** 6, 10 ** 7)), ("GET", "/api/v2/policies/%s" % s.hexid(8).upper()),
                                    ("POST", "/api/v2/claims"), ("GET", "/api/v2/claims"), ("PUT", "/api/v2/claims/%d/status" % s.rng.randint(10 ** 6, 10 ** 7))])
            s.log(G[0], st, t, fmt.iis(s, t, sip, m, stem, None if m != "GET" or stem != "/api/v2/claims" else "status=open&page=%d" % s.rng.randint(1, 9),
                                        s.rng.choice(cl), "ClaimsPortal/2026.11 (+https://portal.example.ie)", 201 if m == "POST" else 200, 0, 0, s.rng.randint(40, 400)))
        for t in times(s, LOG_FROM, -5, lambda t: partner(t) / 3 / 10.0):
            ua = "NorthStarClaimsConnector/3.0" if t < ON else "NorthStarClaimsConnector/3.1"
            corr = s.uuid()
            if t >= ON and s.rng.random() < BAD:
                s.log(G[0], st, t, fmt.iis(s, t, sip, "POST", "/api/v2/claims", None, s.rng.choice(pip), ua, 500, 0, 0, s.rng.randint(30, 90)))
                s.log(G[1], st, t - 0.01, fmt.log4net(s, t, s.rng.randint(8, 90), "ERROR", "Claims.Api.Filters.GlobalExceptionFilter",
                      "Unhandled exception POST /api/v2/claims (client=%s, partner=northstar, correlation=%s)\r\n%s" % (ua, corr, fmt.netstack(
                          "System.NullReferenceException: Object reference not set to an instance of an object.",
                          ["Claims.Api.Services.ClaimIntakeService.NormalizeAddress(PolicyHolderDto holder) in C:\\agent\\_work\\4\\s\\src\\Claims.Api\\Services\\ClaimIntakeService.cs:line 214",
                           "Claims.Api.Services.ClaimIntakeService.Submit(ClaimSubmissionDto dto) in C:\\agent\\_work\\4\\s\\src\\Claims.Api\\Services\\ClaimIntakeService.cs:line 88",
                           "Claims.Api.Controllers.ClaimsController.Post(ClaimSubmissionDto dto) in C:\\agent\\_work\\4\\s\\src\\Claims.Api\\Controllers\\ClaimsController.cs:line 61"] + WEBAPI))))
            else:
                s.log(G[0], st, t, fmt.iis(s, t, sip, "POST", "/api/v2/claims", None, s.rng.choice(pip), ua, 201, 0, 0, s.rng.randint(90, 350)))
                s.log(G[1], st, t + 0.2, fmt.log4net(s, t + 0.2, s.rng.randint(8, 90), "INFO", "Claims.Api.Services.ClaimIntakeService",
                      "claim accepted id=%d partner=northstar correlation=%s" % (s.rng.randint(10 ** 7, 10 ** 8), corr)))
        for t in every(s, LOG_FROM, -5, 15, 1):
            s.log(G[0], st, t, fmt.iis(s, t, sip, "GET", "/health", None, s.rng.choice(["10.57.0.9", "10.57.5.44"]), "ELB-HealthChecker/2.0", 200, 0, 0, 2, port=80))
        for t in times(s, LOG_FROM, -5, 0.9):
            s.log(G[2], st, t, fmt.winevent(s, t, "Warning", "Application", 1309, "ASP.NET 4.0.30319.0",
                  "Event code: 3005 Event message: An unhandled exception has occurred. Exception information: Exception type: HttpException "
                  "Exception message: A potentially dangerous Request.Path value was detected from the client (:). Request information: Request URL: https://claims.example.ie:443/%s User host address: %s"
                  % (s.rng.choice(["wp-login.php:", "cgi-bin/:.env", ".git/config:", "admin:8080"]), s.ip("45.155"))))
        for t in every(s, LOG_FROM, -5, 600, 30):
            s.log(G[1], st, t, fmt.log4net(s, t, 5, "INFO", "Claims.Api.Config.SettingsCache", "settings refreshed from /claims/prod/ (22 parameters)"))
    bst = batch["id"]
    for off, eid, src, msg in [(40, 19, "Microsoft-Windows-WindowsUpdateClient", "Installation Successful: Windows successfully installed the following update: 2026-11 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems (KB5046616)"),
                               (1480, 1074, "User32", "The process C:\\Windows\\system32\\svchost.exe has initiated the restart of computer CLAIMS-BATCH-01 on behalf of user NT AUTHORITY\\SYSTEM for the following reason: Operating System: Service pack (Planned)"),
                               (1745, 6005, "EventLog", "The Event log service was started.")]:
        s.log("/claims/prod/batch-system", bst, PATCH + off, fmt.winevent(s, PATCH + off, "Information", "System", eid, src, msg))
    s.change(PARAM, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/claims/prod/ui/support-phone", "s.byrne")
    s.change(PATCH, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", bst, "ssm-maintenance-window")
    s.alarm("claims-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 3, 25,
            "GreaterThanThreshold", t5, desc="claims API 5xx", state="ALARM")
    s.alarm("claims-batch-01-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": bst}, "Maximum", 60, 2, 0, "GreaterThanThreshold",
            s.values("StatusCheckFailed", InstanceId=bst), state="OK")
    s.expect = {"alarm": "claims-alb-target-5xx",
                "root_cause": {"category": "application_error", "resource": [i["id"] for i in fleet] + [i["name"] for i in fleet] + ["claims-web-asg"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}]}
    return s


def h14():
    s = Scn(14, "h50-14-ssm-parameter-store-throttling-after-scale-out", "us-west-1",
            "pricing API returning 503s for part of the traffic; pricing-alb target 5XX alarm fired.",
            dt.datetime(2026, 11, 21, 17, 45, 0), 5014)
    alb, tg = "app/pricing-alb/4f8a2c6e0b1d3957", "targetgroup/pricing-api-tg/7c3e9a1f5b2d0486"
    SC = -2400
    fleet = [inst(s, "pricing-api", "10.36") for _ in range(4)] + [inst(s, "pricing-api", "10.36", alive=(SC + 15 + 6 * k, 10 ** 9)) for k in range(8)]
    G = ["/pricing/prod/access", "/pricing/prod/app"]
    for i in fleet:
        s.res("ec2", i["id"], name="pricing-api", instance_type="c6i.large", autoscaling_group="pricing-api-asg",
              platform="Amazon Linux 2023 / Corretto 21 / Spring Boot 3.2 (embedded Tomcat), AWS SDK for Java 2.x",
              flags_source="SSM Parameter Store GetParameter /pricing/prod/flags/* (5 s local cache per key)", private_ip=i["ip"], log_groups=G)
    s.res("alb", alb, name="pricing-alb", target_group=tg, asg="pricing-api-asg (scheduled action weekend-promo-prescale: desired 12 at 17:05 UTC on Saturdays)")
    s.res("lambda", "pricing-export", runtime="python3.12", timeout=300, memory_size=1024)
    s.res("rds", "pricing-pg", engine="postgres", engine_version="16.1", instance_class="db.r6g.large", max_connections=1700, allocated_storage_gb=200)
    n_in = lambda t: 4 + sum(1 for i in fleet[4:] if t >= i["alive"][0] + 240)
    req_tot = lambda t: 2600.0 * diurnal(s, t, 0.2, 18) * (1.0 if t < SC else 1.15)
    LIMIT = 40 * 60.0                                         # GetParameter standard throughput, per minute
    demand = lambda t: n_in(t) * 8.2 * 60                     # about 8 GetParameter/s per instance
    thr = lambda t: max(0.0, 1 - LIMIT / demand(t))
    FAILP = lambda t: 0.0 if thr(t) < 0.05 else min(0.5, thr(t) * 0.58)
    t5 = counts(s, lambda t: 0.5 + req_tot(t) * FAILP(t))
    alb_metrics(s, alb, tg, counts(s, req_tot), t5, series(s, lambda t: 0.045 + 0.6 * FAILP(t), noise=0.005, lo=0.01), [float(n_in(t)) for t in GRID], [0.0] * 360)
    asg_metrics(s, "pricing-api-asg", [float(n_in(t)) for t in GRID], [4.0 if t < SC else 12.0 for t in GRID])
    s.metric("AWS/Usage", "CallCount", {"Service": "SSM", "Type": "API", "Resource": "GetParameter", "Class": "None"}, "None",
             counts(s, lambda t: min(demand(t) * (1 + 1.7 * thr(t)), demand(t) * 1.0 + 3 * LIMIT)), nd=0)
    for i in fleet:
        a0 = max(i["alive"][0], -21600)
        ec2_metrics(s, i, series(s, lambda t, a0=a0: 55.0 if t < a0 + 150 else 7 + req_tot(t) / n_in(t) / 30.0, noise=2, hi=100, alive=(a0, 10 ** 9)),
                    series(s, lambda t: 52.0, noise=0.6, alive=(a0 + 60, 10 ** 9)), series(s, lambda t: 29.0, noise=0.02, alive=(a0 + 60, 10 ** 9)))
    dep = -2520
    fn = {"FunctionName": "pricing-export"}
    s.metric("AWS/Lambda", "Invocations", fn, "Count", [1.0 if (t // 60) % 15 == 0 else 0.0 for t in GRID], nd=0)
    s.metric("AWS/Lambda", "Errors", fn, "Count", [0.0] * 360, nd=0)
    s.metric("AWS/Lambda", "Duration", fn, "Milliseconds", [s.rng.uniform(40000, 52000) if (t // 60) % 15 == 0 else None for t in GRID])
    s.metric("AWS/Lambda", "Throttles", fn, "Count", [0.0] * 360, nd=0)
    rds_default(s, "pricing-pg", cpu=23.0, conns=60.0 + 0, free_gb=120.0, mem_gb=9.2)

    cl = clients(s, "10.36", 25)
    for i in fleet:
        st, pid = i["id"], s.rng.randint(1000, 4000)
        a0 = max(i["alive"][0] + 150, LOG_FROM)
        if i["alive"][0] > -21600:
            s.log(G[1], st, i["alive"][0] + 140, fmt.spring(s, i["alive"][0] + 140, "INFO", pid, "main", "c.a.pricing.PricingApplication", "Started PricingApplication in 14.2 seconds (process running for 15.1)"))
        for t in times(s, a0, -5, lambda t: 3.0 * 4 / n_in(t) * (1 if t < SC else 1.15)):
            path = s.rng.choice(["/v2/price?sku=%d&region=us" % s.rng.randint(10 ** 5, 10 ** 6), "/v2/price/batch", "/v2/promotions/active"])
            m = "POST" if path.endswith("batch") else "GET"
            th = "http-nio-8080-exec-%d" % s.rng.randint(1, 200)
            if s.rng.random() < FAILP(t):
                key = s.rng.choice(["dynamic-discounts", "promo-stacking", "price-floor-v2", "loyalty-multiplier"])
                rid = s.uuid()
                s.log(G[0], st, t + 0.4, fmt.tomcat_access(s, t, s.rng.choice(cl), m, path, 503, 164, s.rng.randint(350, 900)))
                s.log(G[1], st, t + 0.39, fmt.spring(s, t + 0.39, "WARN", pid, th, "c.a.pricing.flags.FlagClient",
                      "Parameter Store lookup failed for /pricing/prod/flags/%s after 4 attempts: Rate exceeded (Service: Ssm, Status Code: 400, Request ID: %s)" % (key, rid)))
                s.log(G[1], st, t + 0.395, fmt.spring(s, t + 0.395, "ERROR", pid, th, "c.a.pricing.web.ApiExceptionHandler",
                      "503 for %s %s: flag /pricing/prod/flags/%s unavailable and no cached value\n%s" % (m, path.split("?")[0], key, fmt.jstack(
                          "software.amazon.awssdk.services.ssm.model.SsmException: Rate exceeded (Service: Ssm, Status Code: 400, Request ID: %s)" % rid,
                          ["software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)",
                           "software.amazon.awssdk.core.internal.http.pipeline.stages.RetryableStage.execute(RetryableStage.java:72)",
                           "software.amazon.awssdk.services.ssm.DefaultSsmClient.getParameter(DefaultSsmClient.java:7812)",
                           "com.acme.pricing.flags.FlagClient.fetch(FlagClient.java:66)", "com.acme.pricing.flags.FlagClient.get(FlagClient.java:41)",
                           "com.acme.pricing.engine.PriceEngine.quote(PriceEngine.java:103)"]))))
            else:
                s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(cl), m, path, 200, s.rng.randint(200, 5000), s.rng.randint(8, 70)))
        for t in every(s, a0, -5, 15, 1):
            s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(["10.36.0.7", "10.36.3.120"]), "GET", "/actuator/health", 200, 15, 2))
        for t in times(s, a0, -5, lambda t: 2.5 * thr(t)):
            s.log(G[1], st, t, fmt.spring(s, t, "WARN", pid, "flag-refresh-%d" % s.rng.randint(1, 4), "s.a.a.c.i.h.p.stages.RetryableStage",
                  "Request attempt %d failure: Rate exceeded (Service: Ssm, Status Code: 400, Request ID: %s) - retrying after %d ms" % (s.rng.randint(1, 3), s.uuid(), s.rng.choice([42, 97, 188, 410]))))
        for t in times(s, a0, -5, 0.5):
            s.log(G[1], st, t, fmt.spring(s, t, "WARN", pid, "http-nio-8080-exec-%d" % s.rng.randint(1, 200), "c.a.pricing.engine.CurrencyConverter",
                  "no FX rate for XPF, falling back to USD list price for sku %d" % s.rng.randint(10 ** 5, 10 ** 6)))
    for t in GRID:
        if t >= LOG_FROM and (t // 60) % 15 == 0:
            rid = s.uuid()
            grp, stn = "/aws/lambda/pricing-export", "2026/11/21/[$LATEST]%s" % ("a41c2e" if t < dep else "b93f07")
            d = s.rng.uniform(40000, 52000)
            s.log(grp, stn, t + 0.1, "START RequestId: %s Version: $LATEST" % rid)
            s.log(grp, stn, t + 0.2, "[INFO]\t%sZ\t%s\texporting price book snapshot to s3://pricing-exports/%s.parquet" % (fmt.iso(s, t)[:-1], rid, s.at(t).strftime("%Y%m%dT%H%M")))
            s.log(grp, stn, t + d / 1000, "END RequestId: %s" % rid)
            s.log(grp, stn, t + d / 1000 + 0.001, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 1024 MB\tMax Memory Used: %d MB" % (rid, d, int(d) + 1, s.rng.randint(380, 520)))
    s.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "pricing-export", "github-actions")
    for i in fleet[4:]:
        s.change(i["alive"][0], "ec2.amazonaws.com", "RunInstances", "AWS::EC2::Instance", i["id"], "AutoScaling")
    s.alarm("pricing-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 3, 50,
            "GreaterThanThreshold", t5, desc="pricing API 5xx", state="ALARM")
    s.alarm("pricing-export-errors", "AWS/Lambda", "Errors", fn, "Sum", 300, 1, 0, "GreaterThanThreshold", [0.0] * 360, state="OK")
    s.expect = {"alarm": "pricing-alb-target-5xx",
                "root_cause": {"category": "throttling", "resource": ["pricing-api-asg", "pricing-api"] + [i["id"] for i in fleet]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}]}
    return s
