"""Scenarios 03-04."""
from __future__ import annotations

import datetime as dt

from . import comp
from .comp import GB
from .core import Scenario, TS, diurnal, ramp
from .fmt import LambdaLog, aspnet, bucketed, dotnet_trace, every, per_minute, pg, rails
from .sc01 import binom

UTC = dt.timezone.utc


# ====================================================================== 03
def s03():
    s = Scenario(3, "claims-api-5xx-core-kms-policy", "ap-southeast-2",
                 "Claims API: new claim submissions failing with 502; paged by the API Gateway 5XXError alarm.",
                 3403, dt.datetime(2026, 3, 16, 2, 30, tzinfo=UTC))
    CH, ON = -2520, -2490
    lb = "app/claims-core-internal/5c0a9e3b7d41f286"
    dns = "internal-claims-core-internal-210447381.ap-southeast-2.elb.amazonaws.com"
    role = "claims-core-task-role"
    s.res("apigateway", "claims-api", stage="prod", integration="AWS_PROXY lambda claims-intake")
    s.res("lambda", "claims-intake", runtime="python3.12", timeout=15, memory_size=1024,
          environment={"CLAIMS_CORE_URL": f"http://{dns}", "LOG_LEVEL": "INFO"})
    s.res("alb", lb, name="claims-core-internal", scheme="internal", dns_name=dns,
          target_group="tg-claims-core (ip, port 8080) -> ecs claims/claims-core")
    s.res("ecs", "claims/claims-core", cluster="claims", service="claims-core", launch_type="FARGATE", desired_count=4,
          task_definition="claims-core:58", runtime="dotnet 8 (ASP.NET Core)", task_role=role,
          documents_bucket="acme-claims-documents-apse2 (SSE-KMS alias/claims-docs)", log_groups=["/ecs/claims-core"])
    s.res("lambda", "claims-notifier", runtime="python3.12", timeout=30, memory_size=256)

    get = s.series(lambda t: s.p(14 * diurnal(t, 0.25, -30000)), integer=True)
    post = s.series(lambda t: s.p(10 * diurnal(t, 0.25, -30000)), integer=True)
    cnt = [a + b for a, b in zip(get, post)]
    bad = [binom(s, p_, 0.97) if t >= ON else 0 for t, p_ in zip(TS, post)]
    e4 = s.series(lambda t: s.p(0.6), integer=True)
    lat = [round(((c - b) * (310 + 40 * s.rng.random()) + b * 420) / c + 9, 2) if c else None for c, b in zip(cnt, bad)]
    comp.apigw(s, "claims-api", cnt, e4, bad, lat)
    comp.lambda_(s, "claims-intake", cnt, bad, lambda t: 0, [round(v - 9, 2) if v else None for v in lat],
                 lambda t: 1 + (s.rng.random() < 0.3))
    portal = s.series(lambda t: s.p(30 * diurnal(t, 0.25, -30000)), integer=True)
    ppost = [binom(s, n, 0.15) for n in portal]
    pbad = [b if t >= ON else 0 for t, b in zip(TS, ppost)]
    comp.alb(s, lb, [a + b for a, b in zip(cnt, portal)], [a + b for a, b in zip(bad, pbad)], lambda t: 0,
             lambda t: 0.21 + 0.05 * s.rng.random(), lambda t: 4, lambda t: 0)
    comp.ecs(s, "claims", "claims-core", lambda t: 18 + s.n(0, 2), lambda t: 44 + s.n(0, 1), lambda t: 4)
    ninv = s.series(lambda t: s.p(6), integer=True)
    nerr = s.series(lambda t: 1 if s.rng.random() < 0.18 else 0, integer=True)
    comp.lambda_(s, "claims-notifier", ninv, nerr, lambda t: 0, lambda t: 380 + s.n(0, 40), lambda t: 1)

    # ---- claims-intake (Python) logs
    lg = LambdaLog(s, "claims-intake", "python", 1024)
    is_post = {}

    def intake(t, b):
        clm = f"CLM-{s.rng.randint(4400000, 4499999)}"
        if b:
            tid = f"00-{s.hexid(32)}-{s.hexid(16)}-01"
            err = (f"UpstreamError: claims-core POST /v1/claims failed with 500: "
                   '{"type":"https://tools.ietf.org/html/rfc9110#section-15.6.1","title":"An error occurred while processing your request.",'
                   f'"status":500,"traceId":"{tid}"}}\n'
                   "Traceback (most recent call last):\n"
                   '  File "/var/task/claims_intake/handler.py", line 58, in lambda_handler\n    result = core.create_claim(payload)\n'
                   '  File "/var/task/claims_intake/core_client.py", line 41, in create_claim\n'
                   '    raise UpstreamError(f"claims-core POST /v1/claims failed with {resp.status_code}: {resp.text}")')
            return lg.invoke(t, 380 + s.rng.random() * 80, [("INFO", f"POST /claims policy=POL-{s.rng.randint(10**6, 10**7)} attachments=2"),
                                                             ("ERROR", err)], 96)
        if s.rng.random() < (0.42 if t < ON else 0.02):
            return lg.invoke(t, 300 + s.rng.random() * 60, [("INFO", f"POST /claims policy=POL-{s.rng.randint(10**6, 10**7)} attachments={s.rng.randint(1, 4)}"),
                                                             ("INFO", f"claim {clm} created status=LODGED")], 95)
        return lg.invoke(t, 280 + s.rng.random() * 60, [("INFO", f"GET /claims/{clm}"), ("INFO", f"claim {clm} status=ASSESSING docs=3")], 94)
    w, bk = bucketed(s, 2, intake)
    per_minute(s, cnt, bad, -6000, w)
    for part in bk:
        s.log("/aws/lambda/claims-intake", lg.stream(), part)

    # ---- claims-core (.NET) logs
    arn = f"arn:aws:sts::481516234200:assumed-role/{role}/{s.hexid(32)}"
    key = "arn:aws:kms:ap-southeast-2:481516234200:key/6a1f0b2e-93c4-4d7e-8b51-2f0c7d9e4a13"

    def core(t, b):
        clm = f"CLM-{s.rng.randint(4400000, 4499999)}"
        if b:
            tr = dotnet_trace("Amazon.S3.AmazonS3Exception",
                              f"User: {arn} is not authorized to perform: kms:GenerateDataKey on resource: {key} because no identity-based policy allows the kms:GenerateDataKey action",
                              ["Amazon.Runtime.Internal.HttpErrorResponseExceptionHandler.HandleExceptionStream(IRequestContext requestContext, IWebResponseData httpErrorResponse, HttpErrorResponseException exception, Stream responseStream)",
                               "Amazon.Runtime.Internal.ErrorHandler.InvokeAsync[T](IExecutionContext executionContext)",
                               "Amazon.Runtime.Internal.CallbackHandler.InvokeAsync[T](IExecutionContext executionContext)",
                               "Acme.Claims.Core.Documents.S3DocumentStore.PutAsync(ClaimDocument doc, CancellationToken ct) in /src/Acme.Claims.Core/Documents/S3DocumentStore.cs:line 64",
                               "Acme.Claims.Core.Claims.ClaimService.LodgeAsync(NewClaim request, CancellationToken ct) in /src/Acme.Claims.Core/Claims/ClaimService.cs:line 112"],
                              ("Amazon.Runtime.Internal.HttpErrorResponseException",
                               "Exception of type 'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.",
                               ["Amazon.Runtime.HttpWebRequestMessage.ProcessHttpResponseMessage(HttpResponseMessage responseMessage)",
                                "Amazon.Runtime.HttpWebRequestMessage.GetResponseAsync(CancellationToken cancellationToken)"]))
            return [(t, aspnet("ERROR", "Acme.Claims.Core.Documents.S3DocumentStore",
                               0, f"Upload of claims/2026/03/16/{clm}/attachment-1.pdf to s3://acme-claims-documents-apse2 failed (ErrorCode: AccessDenied, StatusCode: Forbidden)\n" + tr)),
                    (t + 0.002, aspnet("ERROR", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", 1,
                                       "An unhandled exception has occurred while executing the request.")),
                    (t + 0.003, aspnet("INFO", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                       f"Request finished HTTP/1.1 POST http://{dns}/v1/claims - 500 null application/problem+json {s.rng.randint(60, 110)}.{s.rng.randint(1000, 9999)}ms"))]
        if s.rng.random() < (0.4 if t < ON else 0.02):
            return [(t, aspnet("INFO", "Acme.Claims.Core.Claims.ClaimService", 0, f"Claim {clm} lodged with 2 documents")),
                    (t + 0.002, aspnet("INFO", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                       f"Request finished HTTP/1.1 POST http://{dns}/v1/claims - 201 null application/json {s.rng.randint(150, 260)}.{s.rng.randint(1000, 9999)}ms"))]
        return [(t, aspnet("INFO", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                           f"Request finished HTTP/1.1 GET http://{dns}/v1/claims/{clm} - 200 null application/json {s.rng.randint(20, 90)}.{s.rng.randint(1000, 9999)}ms"))]
    tot = [a + b for a, b in zip(cnt, portal)]
    totbad = [a + b for a, b in zip(bad, pbad)]
    w, bk = bucketed(s, 2, core)
    per_minute(s, tot, totbad, -6000, w, scale=0.5)
    for part in bk:
        part += every(s, -6000, 300, lambda t: [(t, aspnet("INFO", "Acme.Claims.Core.Health.DependencyProbe", 0,
                                                           "Dependency probe: postgres=Healthy s3-read=Healthy sqs=Healthy"))])
        s.log("/ecs/claims-core", f"ecs/claims-core/{s.hexid()}", part)

    # ---- decoy: notifier with an old, steady SES error
    ln = LambdaLog(s, "claims-notifier", "python", 256)

    def notif(t, b):
        if b:
            return ln.invoke(t, 350, [("ERROR", "botocore.errorfactory.MessageRejected: An error occurred (MessageRejected) when calling the "
                                                "SendEmail operation: Email address is not verified. The following identities failed the check "
                                                "in region AP-SOUTHEAST-2: assessor-legacy@claims.acme.example")], 81)
        return ln.invoke(t, 340 + s.rng.random() * 60, [("INFO", f"notified adjuster for CLM-{s.rng.randint(4400000, 4499999)}")], 80)
    s.log("/aws/lambda/claims-notifier", ln.stream(), per_minute(s, ninv, nerr, -6000, notif))

    s.change(-14500, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "claims-intake", "r.nguyen")
    s.change(CH, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-platform")
    s.alarm("claims-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "claims-api"}, "Sum", 300, 1, 10,
            "GreaterThanThreshold", "Claims API 5XX")
    s.alarm("claims-notifier-errors", "AWS/Lambda", "Errors", {"FunctionName": "claims-notifier"}, "Sum", 300, 1, 3,
            "GreaterThanThreshold", "claims-notifier errors", expect_state="OK")
    s.expect_("claims-api-5xx", "permission_denied", ["claims/claims-core", "claims-core", role],
              [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": "claims-api"}},
               {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}])
    s.info = dict(front="front alarm, origin 2 hops down (API GW -> claims-intake -> claims-core-internal ALB -> claims-core)",
                  decoys="claims-intake memory change 4 h earlier; claims-notifier's steady SES MessageRejected errors (same rate all day); claims-intake's own Errors are the loudest signal at the front but only relay the 500s",
                  text="Thirty seconds after terraform-platform rewrote the inline policy of claims-core-task-role (PutRolePolicy), "
                       "every claim submission fails. claims-intake (Python) raises UpstreamError on claims-core's 500 and is the "
                       "loudest error source, but claims-core (.NET) shows the actual fault: AmazonS3Exception AccessDenied, "
                       "'not authorized to perform: kms:GenerateDataKey ... no identity-based policy allows' when uploading "
                       "documents. Reads still succeed (GETs stay 200), CPU/memory are flat. The origin is the claims-core task "
                       "role's missing KMS permission: permission_denied on claims-core (its role accepted too).")
    return s


# ====================================================================== 04
def s04():
    s = Scenario(4, "members-elb-5xx-healthcheck-path", "eu-north-1",
                 "Members portal intermittently returning 502/503 at the load balancer; paged by the ELB 5XX alarm.",
                 3404, dt.datetime(2026, 3, 18, 8, 50, tzinfo=UTC))
    CH = -1560
    UNH = CH + 25
    CHURN = CH + 120
    lb = "app/members-public/4a8c2e6f10b3d597"
    s.res("alb", lb, name="members-public", scheme="internet-facing",
          target_group="tg-members-web (ip, port 3000) -> ecs members/members-web",
          health_check={"path": "/health/ready", "interval_s": 10, "healthy_threshold": 3, "unhealthy_threshold": 2, "matcher": "200"})
    s.res("ecs", "members/members-web", cluster="members", service="members-web", launch_type="FARGATE", desired_count=6,
          task_definition="members-web:95", runtime="ruby 3.3 / rails 7.1 / puma 6", health_check_grace_period_s=60,
          log_groups=["/ecs/members-web"], health_endpoint="/healthz")
    s.res("rds", "members-db", engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
          max_connections=1600, allocated_storage_gb=300)
    s.res("lambda", "members-avatar-resize", runtime="nodejs20.x", timeout=30, memory_size=1024)

    churn = lambda t: ramp(t, CHURN - 60, CHURN + 60)
    req = s.series(lambda t: s.p(700 * diurnal(t, 0.2, 20000)), integer=True)
    e5 = [binom(s, r, (0.22 + 0.22 * s.rng.random()) * churn(t)) + s.p(0.15) for t, r in zip(TS, req)]
    healthy = lambda t: 6 if t < UNH else 0
    unh = lambda t: 0 if t < UNH else (6 if t < CHURN else s.rng.randint(3, 8))
    comp.alb(s, lb, req, lambda t: s.p(0.3), e5, lambda t: 0.085 + 0.02 * s.rng.random() + 0.03 * churn(t),
             healthy, unh, t4=lambda t: s.p(9))
    comp.ecs(s, "members", "members-web", lambda t: 34 + s.n(0, 2.5) - 7 * churn(t) + 9 * churn(t) * s.rng.random(),
             lambda t: 51 + s.n(0, 1) - 14 * churn(t), lambda t: 6 if t < CHURN else s.rng.randint(3, 8))
    comp.rds(s, "members-db", lambda t: 21 + s.n(0, 2) + (48 if -5200 < t < -4700 else 0),
             lambda t: 92 + s.n(0, 3) - 25 * churn(t) * s.rng.random(), lambda t: 211 * GB - (t + 21600) * 21000,
             lambda t: 0.0009 + abs(s.n(0, 0.0002)) + (0.004 if -5200 < t < -4700 else 0),
             lambda t: 0.0017 + abs(s.n(0, 0.0002)), lambda t: 9.4 * GB + s.n(0, 5e7))
    av = s.series(lambda t: s.p(3), integer=True)
    comp.lambda_(s, "members-avatar-resize", av, lambda t: 0, lambda t: 0, lambda t: 820 + s.n(0, 90), lambda t: 1)

    # ---- members-web (Rails) logs
    hc_ips = ["10.40.1.17", "10.40.2.201"]

    def hc(t, path_new):
        req = s.uid()
        ip = s.pick(hc_ips)
        if not path_new:
            return [(t, rails(s, t, "INFO", req, f'Started GET "/healthz" for {ip} at {s.wall(t).strftime("%Y-%m-%d %H:%M:%S")} +0000')),
                    (t + 0.002, rails(s, t + 0.002, "INFO", req, "Completed 200 OK in 1ms (Views: 0.2ms | ActiveRecord: 0.4ms | Allocations: 312)"))]
        return [(t, rails(s, t, "INFO", req, f'Started GET "/health/ready" for {ip} at {s.wall(t).strftime("%Y-%m-%d %H:%M:%S")} +0000')),
                (t + 0.001, rails(s, t + 0.001, "FATAL", req, 'ActionController::RoutingError (No route matches [GET] "/health/ready"):')),
                (t + 0.002, rails(s, t + 0.002, "INFO", req, "Completed 404 Not Found in 1ms (Views: 0.4ms | Allocations: 520)"))]

    def web(t, _):
        req = s.uid()
        path = s.pick(["/account", "/account/benefits", "/offers", "/account/points", "/login"])
        return [(t, rails(s, t, "INFO", req, f'Started GET "{path}" for {s.ip("83.25")} at {s.wall(t).strftime("%Y-%m-%d %H:%M:%S")} +0000')),
                (t + 0.09, rails(s, t + 0.09, "INFO", req, f"Completed 200 OK in {s.rng.randint(40, 160)}ms (Views: {s.rng.randint(10, 60)}.{s.rng.randint(0, 9)}ms | ActiveRecord: {s.rng.randint(2, 25)}.{s.rng.randint(0, 9)}ms | Allocations: {s.rng.randint(5000, 30000)})"))]

    def boot(t):
        return [(t, rails(s, t, "INFO", None, "Puma starting in single mode...")),
                (t + 0.1, rails(s, t + 0.1, "INFO", None, "* Puma version: 6.4.2 (ruby 3.3.0-p0) (\"The Eagle of Durango\")")),
                (t + 2.4, rails(s, t + 2.4, "INFO", None, "* Listening on http://0.0.0.0:3000"))]

    def stop(t):
        return [(t, rails(s, t, "INFO", None, "- Gracefully stopping, waiting for requests to finish")),
                (t + 1.5, rails(s, t + 1.5, "INFO", None, "=== puma shutdown: " + s.wall(t).strftime("%Y-%m-%d %H:%M:%S") + " +0000 ===")),
                (t + 1.6, rails(s, t + 1.6, "INFO", None, "- Goodbye!"))]

    def task(t0, t1, booted):
        ev = boot(t0) if booted else []
        ev += every(s, t0 + 3, 5.0, lambda t: hc(t, t > CH), jitter=0.5, t_to=t1)
        share = [max(0, (r // 6)) for r in req]
        ev += [e for e in per_minute(s, share, None, max(t0 + 3, -5400), web, scale=0.03, t_to=t1)]
        if t1 < -1:
            ev += stop(t1)
        return ev
    for k in range(2):
        t_end = CHURN + 20 + 45 * k
        s.log("/ecs/members-web", f"ecs/members-web/{s.hexid()}", [e for e in task(-5400, t_end, False) if e[0] >= -5400]
              + boot(-8100 + 7 * k))
    t = CHURN + 40
    while t < -90:
        life = 60 + 25 + s.rng.randint(0, 50)
        s.log("/ecs/members-web", f"ecs/members-web/{s.hexid()}", task(t, min(t + life, -2), True))
        t += s.rng.randint(150, 260)

    # ---- RDS + decoy lambda
    pev = every(s, -10800, 300, lambda t: [(t, pg(s, t, "", 604, "LOG", f"checkpoint complete: wrote {s.rng.randint(300, 2500)} buffers ({s.rng.random() * 2:.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled"))])
    pev += [(-5190, pg(s, -5190, "10.40.9.12(41122):maint@members", 28812, "LOG", "duration: 486213.551 ms  statement: VACUUM (ANALYZE) public.member_events;"))]
    s.log("/aws/rds/instance/members-db/postgresql", "members-db.0", pev)
    la = LambdaLog(s, "members-avatar-resize", "node", 1024)
    aev = per_minute(s, av, None, -5400, lambda t, b: la.invoke(t, 700 + s.rng.random() * 250,
                                                                  [("INFO", f"resized avatars/{s.hexid(12)}.jpg -> 64,128,256 px ({s.rng.randint(40, 900)} KB)")], 188,
                                                                  version="14" if t > -2690 else "13"))
    s.log("/aws/lambda/members-avatar-resize", la.stream("13"), [e for e in aev if e[0] < -2690])
    s.log("/aws/lambda/members-avatar-resize", la.stream("14"), [e for e in aev if e[0] >= -2690])

    s.change(-8300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "members/members-web", "github-actions-deploy")
    s.change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "members-avatar-resize", "github-actions-deploy")
    s.change(-2690, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "members-avatar-resize", "github-actions-deploy")
    s.change(CH, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup", "tg-members-web", "k.lindqvist")
    s.alarm("members-public-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 2, 20,
            "GreaterThanThreshold", "Members portal: load balancer generated 5XX")
    s.alarm("members-public-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb}, "Maximum", 60, 3, 0,
            "GreaterThanThreshold", "Members portal: unhealthy targets")
    s.expect_("members-public-elb-5xx", "config_change", ["members-public", lb, "tg-members-web"],
              [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": {"LoadBalancer": lb}},
               {"namespace": "AWS/ApplicationELB", "name": "HealthyHostCount", "dimensions": {"LoadBalancer": lb}}])
    s.info = dict(front="front alarm, cause on the front door itself (ALB target-group health check)",
                  decoys="members-avatar-resize Lambda deploy 19 min before; members-web deploy 2.3 h earlier; members-db CPU/latency spike from a VACUUM ANALYZE an hour earlier; unhealthy-host alarm as a symptom",
                  text="k.lindqvist modified target group tg-members-web (ModifyTargetGroup) 26 min ago; the ALB's health check "
                       "now probes /health/ready, which the Rails app does not route (RoutingError, 404 to the ELB-HealthChecker "
                       "source IPs), while /healthz had returned 200 all morning. Within 20 s every target is unhealthy; ECS then "
                       "keeps replacing the 'unhealthy' tasks (Puma boot/shutdown churn, RunningTaskCount oscillating), so the ALB "
                       "returns 502/503 itself. The application, its database and its code are fine. The change on the front door's "
                       "health-check setting is the cause: config_change on members-public (or its target group).")
    return s
