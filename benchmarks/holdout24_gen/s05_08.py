"""Scenarios 05-08: flapping timeout, rolled-back ECS deploy, two alarms at once, one-tenant config."""
from __future__ import annotations

from .common import Scn, diurnal, noisy, pois, ramp


def s05() -> Scn:
    s = Scn(5, "docs-api-5xx-flapping-render-timeout", "ap-northeast-1",
            "billing-docs-api 5XX alarm flapping between OK and ALARM for the last two hours.", "2026-11-20T10:15:00")
    r = s.rng
    fn, api, dec = "invoice-pdf-render", "billing-docs-api", "billing-email-sender"
    s.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=1024)
    s.resource("lambda", dec, runtime="python3.12", timeout=60, memory_size=256)
    s.resource("apigateway", api, stage="prod", api_id="k7q2w9e1r4")
    onset = -7380
    inv = s.counts(lambda t: diurnal(t, s.now_hour, 6, 26))
    big = [0] * len(s.minutes)
    for i, t in enumerate(s.minutes):
        # the tenant's batch pushes a burst of large invoices every ~15 minutes after onset
        if t >= onset and (int(t - onset) // 60) % 15 in (0, 1, 2, 3):
            big[i] = pois(r, 5)
    tot = [a + b for a, b in zip(inv, big)]
    plan = {}

    def render(t, rid):
        i = int((t - s.start) // 60)
        slot = plan.setdefault(i, [big[i]])
        tenant = "kobayashi-logistics" if slot[0] > 0 else r.choice(["aoyama-foods", "mori-retail", "sato-kogyo",
                                                                   "tanaka-trading", "hikari-dental"])
        large = slot[0] > 0
        slot[0] -= 1
        lines_n = r.randint(2900, 4800) if large else r.randint(3, 120)
        inv_id = f"INV-{r.randint(2026000, 2026999)}"
        lines = [(0.01, "INFO", f"render request invoice={inv_id} tenant={tenant} line_items={lines_n} locale=ja_JP"),
                 (0.05, "INFO", f"template invoice_v7.html loaded from /var/task/templates (cache hit)")]
        if large:
            lines.append((3.2, "INFO", f"layout pass 1/3 invoice={inv_id} pages={lines_n // 28}"))
            lines.append((7.9, "INFO", f"layout pass 2/3 invoice={inv_id} pages={lines_n // 28}"))
            return lines, 10000.0, r.randint(610, 790), True
        d = noisy(r, 900 + lines_n * 9, 0.15)
        lines.append((d / 1000 - 0.05, "INFO", f"rendered invoice={inv_id} pages={max(1, lines_n // 28)} bytes={r.randint(40000, 300000)}"))
        lines.append((d / 1000 - 0.02, "INFO", f"uploaded s3://billing-docs-prod-apne1/{tenant}/{inv_id}.pdf"))
        return lines, d, r.randint(180, 260), False
    logged = s.lambda_logs(fn, 1024, "python3.12", tot, render, log_from=-10800, epochs=(-9000, -3600))
    errs = s.merge(logged, big)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count", tot)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": fn}, "Count", errs)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds",
             [noisy(r, (1400 * n + 10000 * b) / max(1, n + b), 0.05) if n + b else None for n, b in zip(inv, big)])
    s.metric("AWS/Lambda", "Throttles", {"FunctionName": fn}, "Count", lambda t: 0)
    s.metric("AWS/Lambda", "ConcurrentExecutions", {"FunctionName": fn}, "Count", [max(1, b * 3 + pois(r, 1)) for b in big])
    s.metric("AWS/ApiGateway", "Count", {"ApiName": api}, "Count", [n + pois(r, 5) for n in tot])
    s.metric("AWS/ApiGateway", "5XXError", {"ApiName": api}, "Count", errs)
    s.metric("AWS/ApiGateway", "4XXError", {"ApiName": api}, "Count", lambda t: pois(r, 5))
    s.metric("AWS/ApiGateway", "Latency", {"ApiName": api}, "Milliseconds",
             [noisy(r, (1450 * n + 10030 * b) / max(1, n + b), 0.05) for n, b in zip(inv, big)])
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": dec}, "Count", lambda t: pois(r, 3))
    s.metric("AWS/Lambda", "Errors", {"FunctionName": dec}, "Count", lambda t: 0)
    ev = []
    t = -10800.0
    while t < -1:
        t += r.uniform(5, 20)
        rq = s.rid()
        ev.append((t, f"({rq}) Extended Request Id: {s.hexid(6).upper()}=\n({rq}) Verifying Usage Plan for request: {rq}. "
                      f"API Key:  API Stage: k7q2w9e1r4/prod"))
        if r.random() < 0.3:
            ev.append((t + 0.01, f"({rq}) Unauthorized request: JWT token expired at "
                                 f"{s.wall(t - 3600).strftime('%a %b %d %H:%M:%S UTC %Y')}"))
    for i, t0 in enumerate(s.minutes):
        for _ in range(big[i] if t0 >= -10800 else 0):
            t = t0 + r.uniform(10, 50)
            ev.append((t, f"({s.rid()}) Lambda execution failed with status 200 due to customer function error: "
                          f"{s.iso(t)} Task timed out after 10.01 seconds. Lambda request id: {s.rid()}"))
    s.log("API-Gateway-Execution-Logs_k7q2w9e1r4/prod", "k7q2w9e1r4-prod", ev)
    s.change(-3000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", dec, "ci-billing")
    s.change(-19000, "apigateway.amazonaws.com", "UpdateUsagePlan", "AWS::ApiGateway::UsagePlan", "billing-partners",
             "api-admin")
    s.alarm("billing-docs-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 2, 3,
            "GreaterThanThreshold", "ALARM", "auto", "billing docs API 5XX (flaps)")
    s.expect("billing-docs-api-5xx", "function_timeout", [fn],
             [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}])
    return s


def s06() -> Scn:
    s = Scn(6, "orders-5xx-recovering-after-rollback", "us-west-2",
            "orders ALB 5XX alarm; on-call already rolled orders-api back, errors easing.", "2026-11-20T16:50:00")
    r = s.rng
    alb, svc, other, db = "app/core-orders/4e6f8a0b2c4d6e81", "core-prod/orders-api", "core-prod/payments-api", "orders-pg"
    s.resource("alb", alb, name="core-orders")
    s.resource("ecs", svc, cluster="core-prod", service="orders-api", launch_type="FARGATE", desired_count=3,
               runtime="dotnet8 (ASP.NET Core)", log_group="/ecs/orders-api")
    s.resource("ecs", other, cluster="core-prod", service="payments-api", launch_type="FARGATE", desired_count=2)
    s.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge", max_connections=1200,
               allocated_storage_gb=500)
    dep, rb, rb_done = -3300, -1080, -660

    def bad_frac(t):
        if t < dep + 180:
            return 0.0
        if t < rb:
            return ramp(t, dep + 180, dep + 480, 0.0, 1.0)
        return ramp(t, rb + 120, rb_done, 1.0, 0.0)
    req = s.counts(lambda t: diurnal(t, s.now_hour, 250, 700))
    e5 = [pois(r, n * 0.34 * bad_frac(t) + 0.02) for n, t in zip(req, s.minutes)]
    s.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count", e5)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds", lambda t: noisy(r, 0.07, 0.12))
    s.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": alb}, "Count",
             lambda t: 6 if (dep < t < dep + 420 or rb < t < rb_done) else 3)
    for name in ("orders-api", "payments-api"):
        s.metric("AWS/ECS", "CPUUtilization", {"ClusterName": "core-prod", "ServiceName": name}, "Percent",
                 lambda t: noisy(r, 27, 0.1))
        s.metric("AWS/ECS", "MemoryUtilization", {"ClusterName": "core-prod", "ServiceName": name}, "Percent",
                 lambda t: noisy(r, 44, 0.04))
    s.metric("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Percent",
             lambda t: noisy(r, 71 if -5400 < t < -4500 else 18, 0.08))
    s.metric("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Count", lambda t: pois(r, 140))
    s.metric("AWS/RDS", "ReadLatency", {"DBInstanceIdentifier": db}, "Seconds", lambda t: noisy(r, 0.0012, 0.2), nd=5)
    epochs = [(-10800, dep + 240, "142"), (dep + 120, rb + 300, "143"), (rb + 180, 0, "142")]
    for start, stop, rev in epochs:
        for _ in range(3):
            tid, ev, t = s.hexid(32), [], float(start + r.uniform(0, 60))
            ev.append((t, f"info: Microsoft.Hosting.Lifetime[14]\n      Now listening on: http://[::]:8080"))
            ev.append((t + 0.1, f"info: Orders.Api.Startup[0]\n      orders-api starting, task definition orders-api:{rev}"))
            while t < min(stop, -1):
                t += r.uniform(2, 6)
                route = r.choice(["GET /orders/{id}", "GET /orders/{id}", "POST /checkout", "GET /orders"])
                if rev == "143" and route == "POST /checkout":
                    ev.append((t, "fail: Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware[1]\n      An unhandled "
                                  "exception has occurred while executing the request.\n      System.InvalidOperationException: "
                                  "Unable to resolve service for type 'Orders.Pricing.IPriceRuleCache' while attempting to "
                                  "activate 'Orders.Api.Controllers.CheckoutController'.\n         at Microsoft.Extensions."
                                  "DependencyInjection.ActivatorUtilities.GetService(IServiceProvider sp, Type type, Type "
                                  "requiredBy, Boolean isDefaultParameterRequired)\n         at lambda_method14(Closure, "
                                  "IServiceProvider, Object[])"))
                    continue
                path = route.split()[1].replace("{id}", str(r.randint(100000, 999999)))
                ev.append((t, f"info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 "
                              f"{route.split()[0]} http://orders-api.internal{path} - 200 - application/json;+charset=utf-8 "
                              f"{r.uniform(4, 60):.4f}ms"))
                if r.random() < 0.02:
                    ev.append((t + 0.01, "warn: Microsoft.EntityFrameworkCore.Query[20504]\n      Compiling a query which "
                                         "loads related collections for more than one collection navigation, either via "
                                         "'Include' or through projection, but no 'QuerySplittingBehavior' has been configured."))
            s.log("/ecs/orders-api", f"orders/orders-api/{tid}", ev)
    s.change(dep - 60, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "orders-api:143",
             "github-actions")
    s.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "github-actions")
    s.change(-3480, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", other, "m.alvarez")
    s.change(rb, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "oncall-d.nguyen")
    s.alarm("core-orders-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum",
            300, 3, 40, "GreaterThanThreshold", "ALARM", "auto", "orders ALB target 5XX (15 min)")
    s.alarm("orders-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80,
            "GreaterThanThreshold", "OK", -10000)
    s.expect("core-orders-target-5xx", "bad_deployment", [svc, "orders-api"],
             [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}])
    return s


def s07() -> Scn:
    s = Scn(7, "claims-errors-s3-denied-with-db-cpu-alarm", "ap-southeast-2",
            "Two alarms at 01:10: claims-intake Lambda errors and claims-pg CPU.", "2026-11-20T01:10:00")
    r = s.rng
    fn, db = "claims-intake", "claims-pg"
    s.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=512, role="claims-intake-role")
    s.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.m6g.large", max_connections=800,
               allocated_storage_gb=300)
    chg = -1560
    inv = s.counts(lambda t: diurnal(t, s.now_hour, 9, 40))

    def intake(t, rid):
        cid = f"CLM-{r.randint(10**6, 10**7)}"
        lines = [(0.01, "INFO", f"processing claim {cid} channel={r.choice(['web', 'mobile', 'broker'])}")]
        has_doc = r.random() < 0.72
        if has_doc and t >= chg + 40:
            key = f"incoming/{s.wall(t).strftime('%Y/%m/%d')}/{cid}/{r.choice(['photo_1.jpg', 'invoice.pdf', 'report.pdf'])}"
            lines.append((0.12, "ERROR", f"[ERROR] ClientError: An error occurred (AccessDenied) when calling the GetObject "
                          f"operation: User: arn:aws:sts::318274619550:assumed-role/claims-intake-role/{fn} is not authorized "
                          f"to perform: s3:GetObject on resource: \"arn:aws:s3:::claims-docs-apse2/{key}\" because no "
                          "identity-based policy allows the s3:GetObject action\nTraceback (most recent call last):\n"
                          "  File \"/var/task/app.py\", line 74, in handler\n    doc = fetch_document(bucket, key)\n"
                          "  File \"/var/task/claims/docs.py\", line 19, in fetch_document\n    obj = s3.get_object(Bucket=bucket, Key=key)\n"
                          "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation"))
            return lines, noisy(r, 160, 0.2), 121, False
        if has_doc:
            lines.append((0.3, "INFO", f"document scanned pages={r.randint(1, 6)} ocr_conf=0.9{r.randint(0, 9)}"))
        lines.append((0.45, "INFO", f"claim {cid} stored (db {r.randint(8, 40)} ms)"))
        return lines, noisy(r, 620 if has_doc else 180, 0.2), 128, False
    sampled = [pois(r, n * 0.72) if t >= chg + 40 else 0 for n, t in zip(inv, s.minutes)]
    errs = s.merge(s.lambda_logs(fn, 512, "python3.12", inv, intake, log_from=-9000, epochs=(-5000,)), sampled)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count", inv)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": fn}, "Count", errs)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds",
             lambda t: noisy(r, 480 if t < chg else 260, 0.12))
    s.metric("AWS/Lambda", "Throttles", {"FunctionName": fn}, "Count", lambda t: 0)
    refresh = -1740
    s.metric("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Percent",
             lambda t: noisy(r, 93 if t >= refresh else 21, 0.04, hi=100))
    s.metric("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Count", lambda t: pois(r, 46))
    s.metric("AWS/RDS", "ReadIOPS", {"DBInstanceIdentifier": db}, "Count/Second",
             lambda t: noisy(r, 2600 if t >= refresh else 300, 0.1))
    s.metric("AWS/RDS", "WriteLatency", {"DBInstanceIdentifier": db}, "Seconds", lambda t: noisy(r, 0.0016, 0.15), nd=5)
    s.metric("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Bytes", lambda t: noisy(r, 2.1e11, 0.001), nd=0)
    ev = []
    for k in range(-21600, 0, 300):
        ev.append((k + 11, f"{s.clock(k + 11, '%Y-%m-%d %H:%M:%S')[:19]} UTC::@:[587]:LOG:  checkpoint complete: wrote "
                           f"{r.randint(900, 4000)} buffers ({r.uniform(0.5, 3):.1f}%); 0 WAL file(s) added, 0 removed, "
                           f"{r.randint(1, 4)} recycled"))
    ev.append((refresh, f"{s.clock(refresh)[:19]} UTC:10.42.7.19(51412):analytics@claims:[30112]:LOG:  statement: REFRESH "
                        "MATERIALIZED VIEW CONCURRENTLY reporting.claims_daily_summary"))
    for k in range(refresh + 600, 0, 600):
        ev.append((k, f"{s.clock(k)[:19]} UTC::@:[30401]:LOG:  automatic vacuum of table \"claims.public.claim_events\": "
                      f"index scans: 1 pages: 0 removed, {r.randint(90000, 99000)} remain"))
    s.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", ev)
    s.change(chg, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "claims-intake-role", "terraform-ci")
    s.change(-2000, "events.amazonaws.com", "PutRule", "AWS::Events::Rule", "claims-nightly-refresh", "terraform-ci")
    s.alarm("claims-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 85,
            "GreaterThanThreshold", "ALARM", "auto", "claims-pg CPU")
    s.alarm("claims-intake-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
            "GreaterThanThreshold", "ALARM", "auto", "claims-intake Lambda errors")
    s.expect("claims-intake-errors", "permission_denied", [fn],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    return s


def s08() -> Scn:
    s = Scn(8, "invoicing-5xx-one-tenant-setting", "eu-west-2",
            "saas ALB 5XX alarm; support says one large customer cannot issue invoices.", "2026-11-20T13:35:00")
    r = s.rng
    alb, svc, other = "app/saas-public/9a8b7c6d5e4f3a21", "saas-prod/invoicing-api", "saas-prod/notifications-svc"
    s.resource("alb", alb, name="saas-public")
    s.resource("ecs", svc, cluster="saas-prod", service="invoicing-api", launch_type="FARGATE", desired_count=3,
               runtime="go1.22", log_group="/ecs/invoicing-api", config_source="ssm:/invoicing/prod/")
    s.resource("ecs", other, cluster="saas-prod", service="notifications-svc", launch_type="FARGATE", desired_count=2)
    chg = -1920
    tenants = [("northwind", 0.2), ("acme", 0.25), ("globex", 0.2), ("initech", 0.15), ("umbrella", 0.1), ("hooli", 0.1)]
    req = s.counts(lambda t: diurnal(t, s.now_hour, 150, 520))
    e5 = [pois(r, n * 0.2 * 0.8) if t >= chg + 30 else pois(r, 0.05) for n, t in zip(req, s.minutes)]
    s.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count", e5)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", {"LoadBalancer": alb}, "Count", [pois(r, n * 0.02) for n in req])
    s.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds", lambda t: noisy(r, 0.045, 0.1))
    s.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": alb}, "Count", lambda t: 5)
    for name, cpu in (("invoicing-api", 23), ("notifications-svc", 12)):
        s.metric("AWS/ECS", "CPUUtilization", {"ClusterName": "saas-prod", "ServiceName": name}, "Percent",
                 lambda t, cpu=cpu: noisy(r, cpu, 0.1))
        s.metric("AWS/ECS", "MemoryUtilization", {"ClusterName": "saas-prod", "ServiceName": name}, "Percent",
                 lambda t: noisy(r, 36, 0.04))

    def tenant():
        x, acc = r.random(), 0.0
        for n, w in tenants:
            acc += w
            if x < acc:
                return n
        return "hooli"
    for _ in range(3):
        tid, ev, t = s.hexid(32), [], -10800.0
        ev.append((chg + r.uniform(15, 25), f'{{"level":"info","ts":"{s.iso(chg + 20)}","caller":"config/watch.go:61",'
                                            '"msg":"config reloaded","path":"/invoicing/prod/tenants/","version":412,'
                                            '"changed":["northwind/tax-profile"]}'))
        while t < -1:
            t += r.uniform(1.5, 4)
            tn = tenant()
            route = r.choice(["POST /v1/invoices", "GET /v1/invoices/{id}", "GET /v1/customers/{id}", "POST /v1/invoices"])
            if tn == "northwind" and route == "POST /v1/invoices" and t >= chg + 25:
                ev.append((t, f'{{"level":"error","ts":"{s.iso(t)}","caller":"httpx/handler.go:142","msg":"request failed",'
                              f'"tenant":"northwind","route":"{route}","status":500,"request_id":"{s.hexid(16)}",'
                              '"error":"build invoice: load tax profile: invalid setting vat_scheme=\\"UK-STD \\": unknown VAT '
                              'scheme (allowed: UK-STD, UK-FRS, EU-OSS)"}'))
                continue
            if tn == "northwind" and t >= chg + 25 and r.random() < 0.5:
                ev.append((t, f'{{"level":"error","ts":"{s.iso(t)}","caller":"httpx/handler.go:142","msg":"request failed",'
                              f'"tenant":"northwind","route":"{route}","status":500,"request_id":"{s.hexid(16)}",'
                              '"error":"tenant settings: invalid setting vat_scheme=\\"UK-STD \\""}'))
                continue
            ev.append((t, f'{{"level":"info","ts":"{s.iso(t)}","caller":"httpx/log.go:33","msg":"request","tenant":"{tn}",'
                          f'"route":"{route}","status":200,"dur_ms":{r.randint(6, 70)}}}'))
            if tn == "acme" and r.random() < 0.04:
                ev.append((t + 0.001, f'{{"level":"warn","ts":"{s.iso(t)}","caller":"ratelimit/bucket.go:77","msg":"tenant '
                                      f'approaching rate limit","tenant":"acme","used":{r.randint(850, 990)},"limit":1000}}'))
        s.log("/ecs/invoicing-api", f"ecs/invoicing-api/{tid}", ev)
    ev, t = [], -10800.0
    while t < -1:
        t += r.uniform(10, 30)
        ev.append((t, f'{{"level":"info","ts":"{s.iso(t)}","msg":"email queued","template":"invoice_issued","provider":"ses"}}'))
    s.log("/ecs/notifications-svc", f"ecs/notifications-svc/{s.hexid(32)}", ev)
    s.change(chg, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/invoicing/prod/tenants/northwind/tax-profile",
             "support-admin-r.patel")
    s.change(-2580, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "notifications-svc:77",
             "github-actions")
    s.change(-2560, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", other, "github-actions")
    s.alarm("saas-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 3,
            10, "GreaterThanThreshold", "ALARM", "auto", "saas public ALB 5XX")
    s.expect("saas-public-target-5xx", "config_change", [svc, "invoicing-api"],
             [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}])
    return s
