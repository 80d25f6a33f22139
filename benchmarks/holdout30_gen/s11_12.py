"""h30-11 (marketing push floods the promo site, traffic_surge) and h30-12 (task-role policy loses s3:GetObject, permission_denied)."""
from __future__ import annotations

from . import fleet, kit
from . import logfmt as L
from .core import GRID, Scenario, diurnal, ramp, sig

ELB = "AWS/ApplicationELB"


def s11():
    R = "us-east-1"
    sc = Scenario(11, "promo-site-latency-campaign-surge", R,
                  "promo-alb latency alarm right after the spring-sale email and push went out.",
                  3011, kit.now(2026, 3, 18, 17, 5))
    lb = "app/promo-alb/2a4c6e8a0c2e4a6c"
    tgid = "targetgroup/landing-web-tg/4c6e8a0c2e4a6c8e"
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    sc.resource("alb", lb, name="promo-alb", scheme="internet-facing", target_groups=["landing-web-tg"])
    sc.resource("ecs", "marketing/landing-web", launch_type="FARGATE", task_definition="landing-web:64",
                image=f"{img}/landing-web:2026.03.11-1", cpu=1024, memory=2048, desired_count=4,
                autoscaling="target tracking CPU 60 %, min 4, max 12", runtime="nodejs20 (Next.js 14) + nginx sidecar",
                log_groups=["/ecs/marketing/landing-web"])
    sc.resource("ecs", "marketing/email-preferences", launch_type="FARGATE", task_definition="email-preferences:19",
                image=f"{img}/email-preferences:1.4.0", desired_count=2, runtime="python3.12",
                log_groups=["/ecs/marketing/email-preferences"])

    T0 = -1980
    surge = lambda t: sig(t, T0 + 60, 50) * (1 - 0.28 * ramp(t, T0 + 600, 0))
    tasks = lambda t: 4 if t < T0 + 300 else (8 if t < T0 + 620 else 12)
    req = sc.counts(lambda t: 1750 * diurnal(t, 0.08, 5000) + 13200 * surge(t))
    load = lambda t: (1750 + 13200 * surge(t)) / (tasks(t) * 1250.0)
    cpu = lambda t: min(97.0, 30 * (1750 + 13200 * surge(t)) / 1750 / (tasks(t) / 4.0))
    e5 = kit.frac(sc, req, lambda t: 0.0001 + sig(t, T0 + 60, 50) * (0.0015 + 0.012 * min(1.0, max(0.0, load(t) - 1.0))))
    t5 = kit.frac(sc, req, lambda t: 0.0003 + 0.002 * sig(t, T0 + 60, 50))
    rt = lambda t: 0.16 + 2.2 * sig(t, T0 + 60, 50) * min(1.2, max(0.45, load(t) - 0.5))
    fleet.tg(sc, lb, tgid, req, rt, t5, tasks, lambda t: 0)
    fleet.alb(sc, lb, req, rt, t5, e5, t4xx=[float(sc.poisson(r * 0.012)) for r in req])
    fleet.ecs(sc, "marketing", "landing-web", cpu, lambda t: 41 + 12 * sig(t, T0 + 60, 50), tasks,
              lambda t: 4 if t < T0 + 240 else (8 if t < T0 + 540 else 12), mem_reserved_mb=2048)
    fleet.ecs(sc, "marketing", "email-preferences", lambda t: 9 + 12 * (-7800 < t < -7600) + 6 * sig(t, T0 + 60),
              lambda t: 33, lambda t: 2 + 2 * (-7780 < t < -7620), lambda t: 2, mem_reserved_mb=512)

    pages = ["/", "/c/new-in", "/p/%d" % 0]

    def access(t, camp):
        ip = f"{sc.rng.randint(23, 220)}.{sc.rng.randint(0, 255)}.{sc.rng.randint(0, 255)}.{sc.rng.randint(1, 254)}"
        if camp:
            path = sc.rng.choice(["/spring-sale?utm_source=braze&utm_medium=email&utm_campaign=spring_sale_48h",
                                  "/spring-sale?utm_source=braze&utm_medium=push&utm_campaign=spring_sale_48h",
                                  "/spring-sale/women?utm_source=braze&utm_medium=email&utm_campaign=spring_sale_48h"])
            ref = "-" if "push" in path else "https://mail.google.com/"
        else:
            path = sc.rng.choice(["/", "/c/new-in", f"/p/{sc.rng.randint(10000, 99999)}", "/apple-touch-icon.png"])
            ref = sc.rng.choice(["-", "https://www.google.com/"])
        status = 404 if path == "/apple-touch-icon.png" else 200
        r = rt(t) * sc.rng.uniform(0.5, 1.6)
        if camp and t > T0 + 120 and sc.rng.random() < 0.01:
            return (f"{sc.dt(t).strftime('%Y/%m/%d %H:%M:%S')} [error] 31#31: *{sc.rng.randint(10**5, 10**6)} upstream "
                    "timed out (110: Connection timed out) while reading response header from upstream, client: "
                    f"{ip}, server: _, request: \"GET {path} HTTP/1.1\", upstream: \"http://127.0.0.1:3000{path}\"")
        return L.nginx(sc, t, ip, "GET", path, status, sc.rng.randint(9000, 60000) if status == 200 else 153, r, ref=ref)

    for k in range(12):
        st = -10800 if k < 4 else (T0 + 330 if k < 8 else T0 + 650)
        host = f"ip-10-80-{sc.rng.randint(1, 40)}-{sc.rng.randint(5, 250)}.ec2.internal"
        ev = kit.events(sc, L.times(sc, st, -1, lambda t: 4.0), lambda t: access(t, False))
        ev += kit.events(sc, L.times(sc, max(st, T0), -1, lambda t: 26 * sig(t, T0 + 60, 50) * 4 / tasks(t)),
                         lambda t: access(t, True))
        ev += kit.events(sc, L.every(sc, st, -1, 300), lambda t, h=host: L.pino(
            sc, t, "info", "next.js cache stats", h, isrHits=sc.rng.randint(800, 3000), isrMisses=sc.rng.randint(0, 30)))
        if k >= 4:
            ev.append((st, L.pino(sc, st, "info", "ready - started server on 0.0.0.0:3000", host)))
        sc.log("/ecs/marketing/landing-web", f"web/landing-web/{kit.task_id(sc)}", ev)
    ep = [(-7700, L.pylog(sc, -7700, "INFO", "prefs.app", "email-preferences 1.4.0 starting with UNSUBSCRIBE_LINK_TTL_DAYS=30"))]
    ep += kit.events(sc, L.times(sc, -7690, -1, lambda t: 1 + 6 * sig(t, T0 + 60)), lambda t: L.pylog(
        sc, t, "INFO", "prefs.api", f"preferences updated for subscriber {sc.rng.randint(10**6, 10**7)}"))
    sc.log("/ecs/marketing/email-preferences", f"prefs/email-preferences/{kit.task_id(sc)}", ep)

    gh = "assumed-role/github-actions-deploy/GitHubActions"
    sc.change(-7840, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "email-preferences:19", gh)
    sc.change(-7800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "marketing/email-preferences", gh)
    aas = "AWSServiceRoleForApplicationAutoScaling_ECSService"
    sc.change(T0 + 240, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "marketing/landing-web", aas)
    sc.change(T0 + 540, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "marketing/landing-web", aas)

    dims = {"LoadBalancer": lb}
    a = sc.alarm("promo-alb-target-response-time", ELB, "TargetResponseTime", dims, "Average", 60, 3, 1.0,
                 "GreaterThanThreshold", desc="promo site average response time above 1 s", expect_state="ALARM")
    res = [lb, "promo-alb", "marketing/landing-web", "landing-web"]
    sc.expect(a["name"], "traffic_surge", res, [(ELB, "RequestCount", dims), (ELB, "TargetResponseTime", dims)])
    kit.meta(sc, a["name"], "traffic_surge", res, "origin (ALB)",
             "email-preferences task-definition change 2 h earlier; the two UpdateService calls are auto scaling "
             "reacting after onset; constant apple-touch-icon 404s",
             "33 minutes ago the spring-sale campaign landed: requests on promo-alb jump from ~1.8 k to ~15 k a minute "
             "within two minutes, nearly all to /spring-sale with utm_campaign=spring_sale_48h from mail clients and the "
             "push. landing-web's four tasks are overwhelmed (CPU at the ceiling, ELB 503/504s, ~2.8 s responses) until "
             "auto scaling takes it to its maximum of 12 (the two UpdateService events come from the Application Auto "
             "Scaling role); even at 12 tasks, with CPU back around 70-85 %, responses stay above a second. No deploy or config change touched landing-web and no application error precedes the load. "
             "Request volume an order of magnitude above normal with no other fault: traffic_surge on promo-alb / "
             "landing-web.")
    return sc


def s12():
    R = "ap-southeast-2"
    sc = Scenario(12, "docs-api-5xx-s3-access-denied", R,
                  "docs ALB 5XX alarm; users cannot open or upload documents.",
                  3012, kit.now(2026, 3, 19, 23, 40))
    lb = "app/docs-alb/6c8e0a2c4e6a8c0e"
    tgid = "targetgroup/docs-api-tg/8e0a2c4e6a8c0e2a"
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    bucket = "acme-docs-prod-ap-southeast-2"
    sc.resource("ecs", "docs/docs-api", launch_type="FARGATE", task_definition="docs-api:203",
                image=f"{img}/docs-api:5.11.0", desired_count=4, runtime="dotnet8 (ASP.NET Core, AWSSDK.S3 3.7)",
                task_role="docs-api-task-role", log_groups=["/ecs/docs/docs-api"])
    sc.resource("ecs", "docs/thumbnail-worker", launch_type="FARGATE", task_definition="thumbnail-worker:45",
                image=f"{img}/thumbnail-worker:2.0.7", desired_count=2, runtime="dotnet8",
                task_role="thumbnail-worker-task-role", log_groups=["/ecs/docs/thumbnail-worker"])
    sc.resource("alb", lb, name="docs-alb", scheme="internet-facing", target_groups=["docs-api-tg"])
    sc.resource("rds", "docs-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                max_connections=1700)

    T_IAM = -1680
    den = lambda t: sig(t, T_IAM + 25, 6)
    req = sc.counts(lambda t: 1100 * diurnal(t, 0.22, -21600))
    t5 = kit.frac(sc, req, lambda t: 0.0007 + 0.63 * den(t))
    rt = lambda t: 0.19 - 0.05 * den(t)
    fleet.tg(sc, lb, tgid, req, rt, t5, lambda t: 4, lambda t: 0)
    fleet.alb(sc, lb, req, rt, t5, [float(sc.poisson(0.05)) for _ in GRID])
    fleet.ecs(sc, "docs", "docs-api", lambda t: 27 * diurnal(t, 0.22, -21600) - 6 * den(t), lambda t: 48, lambda t: 4,
              lambda t: 4, mem_reserved_mb=2048)
    fleet.ecs(sc, "docs", "thumbnail-worker", lambda t: 14 + 25 * (-4000 < t < -3750), lambda t: 36,
              lambda t: 2 + 2 * (-3980 < t < -3790), lambda t: 2, mem_reserved_mb=1024)
    fleet.rds(sc, "docs-pg", lambda t: 17, lambda t: 64, lambda t: 355.0, lambda t: 8.2)

    def fin(t):
        p = sc.rng.choice(["/api/documents/{0}/content", "/api/documents/{0}", "/api/folders/{0}/items"]).format(sc.uuid())
        return L.dotnet(sc, t, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics",
                        f"Request finished HTTP/1.1 GET http://docs-api.docs.internal{p} - 200 - application/"
                        f"{'pdf' if p.endswith('content') else 'json'} {sc.rng.uniform(20, 400):.4f}ms", event_id=2)

    def preview(t):
        return L.dotnet(sc, t, "Warning", "Docs.Api.Preview.PdfPreviewService",
                        f"Preview generation skipped for document {sc.uuid()}: PDF is password protected")

    def denied(t):
        put = sc.rng.random() < 0.2
        action = "s3:PutObject" if put else "s3:GetObject"
        tenant = f"t-{sc.rng.randint(1000, 9999)}"
        key = f"tenants/{tenant}/docs/{sc.uuid()}.pdf"
        sess = sc.hexid(32)
        return L.dotnet(sc, t, "Error", "Docs.Api.Storage.S3DocumentStore",
                        f"{'Failed to store' if put else 'Failed to read'} document {key.split('/')[-1][:-4]} for tenant {tenant}",
                        exc=(f"Amazon.S3.AmazonS3Exception: User: arn:aws:sts::{kit.ACCOUNT}:assumed-role/docs-api-task-role/{sess} "
                             f"is not authorized to perform: {action} on resource: \"arn:aws:s3:::{bucket}/{key}\" because no "
                             f"identity-based policy allows the {action} action\n ---> Amazon.Runtime.Internal.HttpErrorResponseException: "
                             "Exception of type 'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.\n   at "
                             "Amazon.Runtime.HttpWebRequestMessage.ProcessHttpResponseMessage(HttpResponseMessage responseMessage)\n"
                             "   --- End of inner exception stack trace ---\n   at "
                             "Amazon.Runtime.Internal.HttpErrorResponseExceptionHandler.HandleExceptionStream(IRequestContext "
                             "requestContext, IWebResponseData httpErrorResponse, HttpErrorResponseException exception, Stream "
                             f"responseStream)\n   at Docs.Api.Storage.S3DocumentStore.{'PutAsync' if put else 'OpenReadAsync'}"
                             "(DocumentKey key, CancellationToken ct) in /src/Docs.Api/Storage/S3DocumentStore.cs:line 77"),
                        scopes=[{"RequestPath": "/api/documents/content", "ErrorCode": "AccessDenied", "StatusCode": 403}])

    for k in range(4):
        ev = kit.events(sc, L.times(sc, -10800, -1, lambda t: 5 * (1 - 0.6 * den(t))), fin)
        ev += kit.events(sc, L.times(sc, -10800, -1, 0.3), preview)
        ev += kit.events(sc, L.times(sc, T_IAM, -1, lambda t: 6 * den(t)), denied)
        sc.log("/ecs/docs/docs-api", f"docs/docs-api/{kit.task_id(sc)}", ev)
    tw = [(-3880, L.dotnet(sc, -3880, "Information", "Microsoft.Hosting.Lifetime", "Application started. Hosting environment: Production", 0))]
    tw += kit.events(sc, L.times(sc, -3870, -1, 2), lambda t: L.dotnet(
        sc, t, "Information", "Thumbnail.Worker.Renderer", f"Rendered 3 thumbnails for {sc.uuid()}"))
    sc.log("/ecs/docs/thumbnail-worker", f"thumb/thumbnail-worker/{kit.task_id(sc)}", tw)

    gh = "assumed-role/github-actions-deploy/GitHubActions"
    tf = "assumed-role/terraform-platform/atlantis"
    sc.change(-9000, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "search-sync-task-role", tf, region="us-east-1")
    sc.change(-4040, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "thumbnail-worker:45", gh)
    sc.change(-4000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "docs/thumbnail-worker", gh)
    sc.change(T_IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "docs-api-task-role", tf, region="us-east-1")

    dims = {"LoadBalancer": lb}
    a = sc.alarm("docs-alb-target-5xx", ELB, "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 30,
                 "GreaterThanThreshold", desc="docs-api returning 5XX", expect_state="ALARM")
    res = ["docs/docs-api", "docs-api", "docs-api-task-role"]
    sc.expect(a["name"], "permission_denied", res, [(ELB, "HTTPCode_Target_5XX_Count", dims)])
    kit.meta(sc, a["name"], "permission_denied", res, "front (ALB)",
             "AttachRolePolicy on another role 2.5 h earlier; thumbnail-worker deploy 1.1 h earlier; constant "
             "password-protected-PDF warnings",
             "28 minutes ago Terraform rewrote the inline policy on docs-api-task-role (PutRolePolicy, logged in "
             "us-east-1 as IAM is global). Seconds later docs-api starts failing every document read and upload with "
             "AmazonS3Exception 'is not authorized to perform: s3:GetObject (s3:PutObject) on resource "
             "arn:aws:s3:::acme-docs-prod-ap-southeast-2/... because no identity-based policy allows' it; metadata "
             "calls served from the database keep working. The app, its image and the DB are unchanged. AccessDenied "
             "after an IAM change: permission_denied on docs-api (its task role).")
    return sc
