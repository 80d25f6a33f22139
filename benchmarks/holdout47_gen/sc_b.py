"""h47-03 (.NET policy-api loses a setting in a Terraform task-definition refactor) and
h47-04 (one instance of a gunicorn/nginx CMS fleet fills its root volume)."""
from __future__ import annotations

from datetime import datetime

from . import aws, fmt
from .core import (LOG_START, Clock, Rng, Stream, alarm, arrivals, change, diurnal, every, metric, ok_alarm, ramp,
                   scenario, series)

C = aws.C

NET_QUOTE_EXC = """System.InvalidOperationException: Configuration value 'Pricing:BaseUrl' is missing.
   at Northwind.Policy.Pricing.PricingClientFactory.Create(IServiceProvider sp) in /src/src/Policy.Api/Pricing/PricingClientFactory.cs:line 27
   at Microsoft.Extensions.DependencyInjection.ServiceLookup.CallSiteRuntimeResolver.VisitFactory(FactoryCallSite factoryCallSite, RuntimeResolverContext context)
   at Microsoft.Extensions.DependencyInjection.ServiceLookup.CallSiteRuntimeResolver.VisitConstructor(ConstructorCallSite constructorCallSite, RuntimeResolverContext context)
   at Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance(IServiceProvider provider, Type instanceType, Object[] parameters)
   at Microsoft.AspNetCore.Mvc.Controllers.ControllerFactoryProvider.<>c__DisplayClass6_0.<CreateControllerFactory>g__CreateController|0(ControllerContext controllerContext)
   at Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker.Next(State& next, Scope& scope, Object& state, Boolean& isCompleted)
   at Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker.InvokeInnerFilterAsync()
   at Microsoft.AspNetCore.Routing.EndpointMiddleware.<Invoke>g__AwaitRequestTask|7_0(Endpoint endpoint, Task requestTask, ILogger logger)
   at Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddlewareImpl.<Invoke>g__Awaited|10_0(ExceptionHandlerMiddlewareImpl middleware, HttpContext context, Task task)"""

ENV_OLD = ["ASPNETCORE_ENVIRONMENT", "ASPNETCORE_URLS", "ConnectionStrings__PolicyDb", "Pricing__BaseUrl",
           "Pricing__TimeoutSeconds", "RatingEngine__BaseUrl", "Serilog__MinimumLevel", "OTEL_EXPORTER_OTLP_ENDPOINT"]


def build_03():
    rng = Rng(4703)
    region, acct = "eu-central-1", "902184556731"
    clk = Clock(datetime(2026, 3, 12, 9, 40, 0))
    lb = "app/claims-public/5c7e1a9b3d2f4068"
    tg, tg2 = "targetgroup/policy-api-tg/b7d2e4f6a8c01359", "targetgroup/claims-intake-tg/2f9a6c4e1d8b7035"
    chg, done = -1560, -1260
    img = f"{acct}.dkr.ecr.{region}.amazonaws.com/policy-api:3.8.2"
    new_frac = lambda t: ramp(t, chg + 90, done, 0.0, 1.0)  # noqa: E731
    resources = [
        aws.ecs_resource("claims-prod", "policy-api", launch_type="FARGATE", td="policy-api:23", image=img, cpu=512,
                         memory=1024, desired=4, log_group="/ecs/claims-prod/policy-api", tg=tg,
                         container="policy-api",
                         extra={"runtime": "dotnet8 (ASP.NET Core)", "previous_task_definition": "policy-api:22",
                                "previous_image": img,
                                "environment_names": [e for e in ENV_OLD if e != "Pricing__BaseUrl"],
                                "previous_environment_names": ENV_OLD,
                                "deployments": [{"task_definition": "policy-api:23", "status": "PRIMARY",
                                                 "rollout_state": "COMPLETED", "desired": 4, "running": 4}]}),
        aws.ecs_resource("claims-prod", "claims-intake", launch_type="FARGATE", td="claims-intake:64",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/claims-intake:5.4.0", cpu=512, memory=1024,
                         desired=3, log_group="/ecs/claims-prod/claims-intake", tg=tg2, container="claims-intake",
                         extra={"runtime": "dotnet8", "previous_image":
                                f"{acct}.dkr.ecr.{region}.amazonaws.com/claims-intake:5.3.0"}),
        {"type": "alb", "id": lb, "properties": {"name": "claims-public", "scheme": "internet-facing",
                                                 "target_groups": [
                                                     {"name": tg, "registered_by": "ecs service claims-prod/policy-api"},
                                                     {"name": tg2, "registered_by": "ecs service claims-prod/claims-intake"}]}},
        {"type": "rds", "id": "policy-db", "properties": {"engine": "postgres", "engine_version": "16.2",
                                                          "instance_class": "db.m6g.large", "max_connections": 600,
                                                          "allocated_storage_gb": 200}},
    ]
    req1 = lambda t: 260 * diurnal(t, 0.3, -9000)  # noqa: E731
    req2 = lambda t: 140 * diurnal(t, 0.3, -9000)  # noqa: E731
    bad = lambda t: req1(t) * 0.18 * new_frac(t)  # noqa: E731
    metrics = []
    metrics += aws.ecs_service(rng, "claims-prod", "policy-api", cpu=lambda t: 21 * diurnal(t, 0.3, -9000), mem=C(46.0),
                               running=lambda t: 4 + (4 if chg + 40 <= t < done else 0), desired=C(4),
                               pending=lambda t: 4 if chg + 10 <= t < chg + 40 else 0, task_cpu=512, task_mem=1024)
    metrics += aws.ecs_service(rng, "claims-prod", "claims-intake", cpu=C(17.0), mem=C(39.0),
                               running=lambda t: 6 if -2360 <= t < -2150 else 3, desired=C(3), task_cpu=512,
                               task_mem=1024)
    metrics += aws.alb_lb(rng, lb, req=lambda t: req1(t) + req2(t), rt=lambda t: 0.046, t5xx=lambda t: 0.2 + bad(t),
                          elb5xx=C(0.05))
    tgm = aws.alb_tg(rng, lb, tg, req=req1, rt=lambda t: 0.041 - 0.01 * new_frac(t), t5xx=lambda t: 0.1 + bad(t),
                     healthy=lambda t: 4 + (4 if chg + 100 <= t < done else 0))
    metrics += tgm
    metrics += aws.alb_tg(rng, lb, tg2, req=req2, rt=C(0.071), t5xx=C(0.1),
                          healthy=lambda t: 6 if -2300 <= t < -2150 else 3)
    metrics += aws.rds(rng, "policy-db", cpu=lambda t: 18 * diurnal(t, 0.3, -9000), conns=C(42), free_mem=C(5.2e9),
                       free_storage=C(1.41e11))
    tg5xx = tgm[2]
    rds_cpu = next(m for m in metrics if m["namespace"] == "AWS/RDS" and m["name"] == "CPUUtilization")

    grp = "/ecs/claims-prod/policy-api"
    ts = aws.TaskSet(rng, grp, "policy-api", 4, LOG_START)
    old = list(ts.tasks)
    for i, o in enumerate(old):
        tn = chg + 45 + i * 9
        n = ts.start(tn)
        s = n["stream"]
        s.add(tn, fmt.dotnet_json(clk, tn, "Information", "Microsoft.Hosting.Lifetime", 14,
                                  "Now listening on: http://[::]:8080", {"address": "http://[::]:8080"}))
        s.add(tn + 0.01, fmt.dotnet_json(clk, tn + 0.01, "Information", "Microsoft.Hosting.Lifetime", 0,
                                         "Application started. Press Ctrl+C to shut down."))
        s.add(tn + 0.02, fmt.dotnet_json(clk, tn + 0.02, "Information", "Microsoft.Hosting.Lifetime", 0,
                                         "Hosting environment: Production", {"EnvName": "Production"}))
        ts.stop(o, done - 200 + i * 60)
        o["stream"].add(done - 201 + i * 60, fmt.dotnet_json(clk, done - 201 + i * 60, "Information",
                                                             "Microsoft.Hosting.Lifetime", 0, "Application is shutting down..."))
    new_ids = {k["id"] for k in ts.tasks if k not in old}
    host = "policy-api.claims.internal"
    for t in arrivals(rng, lambda t: 30 * diurnal(t, 0.3, -9000)):
        task = ts.pick(t)
        if not task:
            continue
        s = task["stream"]
        quote = rng.random() < 0.18
        broken = quote and task["id"] in new_ids
        if broken:
            s.add(t, fmt.dotnet_json(clk, t, "Error", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", 1,
                                     "An unhandled exception has occurred while executing the request.",
                                     exception=NET_QUOTE_EXC))
            s.add(t + 0.004, fmt.dotnet_json(clk, t + 0.004, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                             f"Request finished HTTP/1.1 POST http://{host}/api/v1/quotes - 500 null "
                                             f"application/problem+json {rng.uniform(2, 9):.4f}ms"))
            continue
        if quote:
            path, meth, ms = "/api/v1/quotes", "POST", rng.lognormvariate(4.4, 0.3)
        else:
            path = rng.choice([f"/api/v1/policies/POL-{rng.randint(1000000, 9999999)}",
                               f"/api/v1/policies?holderId={rng.randint(100000, 999999)}", "/api/v1/products"])
            meth, ms = "GET", rng.lognormvariate(2.6, 0.5)
        s.add(t, fmt.dotnet_json(clk, t, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                 f"Request finished HTTP/1.1 {meth} http://{host}{path} - 200 null "
                                 f"application/json;+charset=utf-8 {ms:.4f}ms"))
    for t in arrivals(rng, lambda t: 2.5):  # steady: rating-engine 503s retried by Polly
        task = ts.pick(t)
        if task:
            task["stream"].add(t, fmt.dotnet_json(
                clk, t, "Warning", "Polly", 3,
                f"Execution attempt. Source: 'rating-engine/Standard-Retry', Operation Key: '', Result: '503', "
                f"Handled: 'True', Attempt: '0', Execution Time: {rng.uniform(8, 40):.4f}ms"))
    intake_old = Stream("/ecs/claims-prod/claims-intake", "ecs/claims-intake/" + rng.hexid(32))
    intake_new = Stream("/ecs/claims-prod/claims-intake", "ecs/claims-intake/" + rng.hexid(32))
    for t in arrivals(rng, lambda t: 9):
        s = intake_old if t < -2160 else intake_new
        s.add(t, fmt.dotnet_json(clk, t, "Information", "Northwind.Claims.Intake.ClaimsController", 1001,
                                 f"Claim CLM-{rng.randint(100000, 999999)} received channel={rng.choice(['web', 'app', 'broker'])}"))
    intake_new.add(-2330, fmt.dotnet_json(clk, -2330, "Information", "Microsoft.Hosting.Lifetime", 0,
                                          "Application started. Press Ctrl+C to shut down."))
    alarms = [alarm("policy-api-target-5xx", tg5xx, "Sum", 60, 3, 10, "GreaterThanThreshold",
                    "policy-api 5xx behind claims-public"),
              ok_alarm("policy-db-cpu", rds_cpu, "Average", 300, 2, 85, "GreaterThanThreshold")]
    changes = [
        change(-2420, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "claims-intake:64",
               "gitlab-ci-claims"),
        change(-2400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "claims-prod/claims-intake",
               "gitlab-ci-claims"),
        change(chg - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "policy-api:23",
               "terraform-platform"),
        change(chg, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "claims-prod/policy-api",
               "terraform-platform"),
    ]
    doc = scenario("h47-03-policy-api-missing-setting", "Quote requests failing with 500 on the claims portal; "
                   "policy-api 5xx alarm.", region, resources, metrics, ts.streams() + [intake_old, intake_new], alarms,
                   changes, {"alarm": "policy-api-target-5xx",
                             "root_cause": {"category": "config_change",
                                            "resource": ["claims-prod/policy-api", "policy-api"]},
                             "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                            "dimensions": {"LoadBalancer": lb, "TargetGroup": tg}}]})
    meta = {"region": region, "alarm": "policy-api-target-5xx", "category": "config_change",
            "resources": ["claims-prod/policy-api", "policy-api"], "position": "front (target group)",
            "decoys": "claims-intake code deploy (new image) 40 min before, clean; steady Polly retry warnings for "
                      "rating-engine 503s; policy-db CPU alarm in OK",
            "story": "26 min ago the platform team's Terraform run registered policy-api:23 and updated the service. "
                     "The image is the same 3.8.2 digest as revision 22; only the container environment changed, and "
                     "`Pricing__BaseUrl` is no longer in it. The new tasks start and pass health checks, but every "
                     "POST /api/v1/quotes fails with `InvalidOperationException: Configuration value 'Pricing:BaseUrl' "
                     "is missing` (about 18 % of requests), which the target-group 5xx alarm sees. A configuration "
                     "change shipped through a task-definition revision, with the error naming the missing setting: "
                     "config_change on policy-api (the tie-break puts a config change above a deployment). The "
                     "claims-intake deploy is a real image change on another service with clean logs."}
    return doc, meta


# =====================================================================================================
# h47-04: cms-web-2's root volume fills up (rendition cache); its requests fail with ENOSPC
# =====================================================================================================

DJ_TRACE = [("/opt/cms/venv/lib/python3.11/site-packages/django/core/handlers/exception.py", 55, "inner",
             "response = get_response(request)"),
            ("/opt/cms/venv/lib/python3.11/site-packages/django/core/handlers/base.py", 197, "_get_response",
             "response = wrapped_callback(request, *callback_args, **callback_kwargs)"),
            ("/opt/cms/app/cms/pages/views.py", 88, "page_detail", "return render_cached(request, page)"),
            ("/opt/cms/app/cms/pages/cache.py", 41, "render_cached", "cache.set(key, html, timeout=900)"),
            ("/opt/cms/venv/lib/python3.11/site-packages/django/core/cache/backends/filebased.py", 57, "set",
             "fd, tmp_path = tempfile.mkstemp(dir=self._dir)"),
            ("/usr/lib64/python3.11/tempfile.py", 357, "mkstemp", "return _mkstemp_inner(dir, prefix, suffix, flags, output_type)"),
            ("/usr/lib64/python3.11/tempfile.py", 256, "_mkstemp_inner", "fd = _os.open(file, flags, 0o600)")]
RENDITION_TRACE = [("/opt/cms/app/cms/media/renditions.py", 132, "generate",
                    "img.save(out_path, format=fmt, quality=82, optimize=True)"),
                   ("/opt/cms/venv/lib/python3.11/site-packages/PIL/Image.py", 2459, "save", "save_handler(self, fp, filename)"),
                   ("/opt/cms/venv/lib/python3.11/site-packages/PIL/JpegImagePlugin.py", 824, "_save",
                    "ImageFile._save(im, fp, [(\"jpeg\", (0, 0) + im.size, 0, rawmode)], bufsize)"),
                   ("/opt/cms/venv/lib/python3.11/site-packages/PIL/ImageFile.py", 547, "_save", "fp.write(data)")]


def build_04():
    rng = Rng(4704)
    region = "us-west-2"
    clk = Clock(datetime(2026, 3, 9, 22, 10, 0))
    lb, tg = "app/cms-frontend/0e4d8b2a6c1f3957", "targetgroup/cms-web-tg/63a1f0e8c5b2d749"
    full = -1900
    web = [("i-0b41e6a2d9c3f7015", "cms-web-1", "10.42.11.27"), ("i-0e8f3c1a7b5d92460", "cms-web-2", "10.42.12.143"),
           ("i-06d2a9f4c8e1b3577", "cms-web-3", "10.42.13.88")]
    groups = ["/cms/nginx/access", "/cms/nginx/error", "/cms/app"]
    resources = [{"type": "ec2", "id": iid, "properties": {"name": nm, "instance_type": "m6i.large", "private_ip": ip,
                                                           "volumes": {"/": "gp3 30 GiB (nvme0n1p1)", "/var/log": "gp3 20 GiB (nvme1n1)"},
                                                           "log_groups": groups,
                                                           "autoscaling_group": "cms-web-asg"}}
                 for iid, nm, ip in web]
    resources += [
        {"type": "alb", "id": lb, "properties": {"name": "cms-frontend", "scheme": "internet-facing",
                                                 "target_groups": [{"name": tg, "target_type": "instance",
                                                                    "targets": [w[0] for w in web],
                                                                    "health_check_path": "/healthz"}]}},
        {"type": "rds", "id": "cms-db", "properties": {"engine": "mysql", "engine_version": "8.0.36",
                                                       "instance_class": "db.r6g.large", "max_connections": 1000,
                                                       "allocated_storage_gb": 200}},
    ]
    per = lambda t: 21 * diurnal(t, 0.25, 20000)  # noqa: E731  requests/min per instance
    fail2 = lambda t: 0.62 if t >= full else 0.0  # noqa: E731
    sitemap = lambda t: 1.0 if (t % 3600) // 60 in range(0, 6) else 0.0  # noqa: E731
    metrics = []
    for i, (iid, nm, ip) in enumerate(web):
        disk = (lambda t: min(100.0, ramp(t, -21600, full, 71.0, 100.0))) if i == 1 else C(43.0 + 2 * i)
        cpu = (lambda t: 14 * diurnal(t, 0.25, 20000) + 38 * sitemap(t)) if i == 2 else \
            (lambda t: 14 * diurnal(t, 0.25, 20000))
        metrics += aws.ec2(rng, iid, cpu=cpu, mem=C(52.0 + i), disk=disk)
        metrics.append(metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/var/log",
                                                               "device": "nvme1n1", "fstype": "xfs"}, "Percent",
                              series(rng, lambda t, i=i: 18.0 + 1.5 * i + 0.0002 * (t + 21600), noise=0.002, rel=True)))
    metrics += aws.alb_lb(rng, lb, req=lambda t: 3 * per(t), rt=lambda t: 0.21, t5xx=lambda t: 0.05 + per(t) * fail2(t),
                          elb5xx=C(0.02))
    metrics += aws.alb_tg(rng, lb, tg, req=lambda t: 3 * per(t), rt=lambda t: 0.21,
                          t5xx=lambda t: 0.05 + per(t) * fail2(t), healthy=C(3))
    metrics += aws.rds(rng, "cms-db", cpu=C(9.0), conns=C(31), free_mem=C(1.05e10), free_storage=C(1.52e11))
    lb5xx = next(m for m in metrics if m["name"] == "HTTPCode_Target_5XX_Count")
    cpu3 = next(m for m in metrics if m["name"] == "CPUUtilization" and m["dimensions"].get("InstanceId") == web[2][0])

    acc = {w[0]: Stream(groups[0], w[0]) for w in web}
    err = {w[0]: Stream(groups[1], w[0]) for w in web}
    app = {w[0]: Stream(groups[2], w[0]) for w in web}
    pages = ["/", "/news/", "/news/{slug}/", "/events/{slug}/", "/about/", "/careers/", "/search/?q={q}",
             "/media/renditions/{h}/hero-{w}.jpg"]
    slugs = ["city-council-budget-2026", "spring-festival-lineup", "harbour-bridge-works", "library-hours-update",
             "transit-night-service", "school-zone-safety"]
    cdn_ips = [f"15.158.{rng.randint(0, 60)}.{rng.randint(2, 250)}" for _ in range(12)]
    for i, (iid, nm, ip) in enumerate(web):
        pid = [1400 + 7 * i + j for j in range(9)]
        for t in arrivals(rng, per, t0=-7200):
            path = rng.choice(pages).replace("{slug}", rng.choice(slugs)).replace("{q}", rng.choice(["parking", "bins", "jobs"]))
            path = path.replace("{h}", rng.hexid(8)).replace("{w}", rng.choice(["640", "1280"]))
            broken = i == 1 and t >= full and rng.random() < 0.62
            rt = rng.lognormvariate(-1.9, 0.6)
            status = 500 if broken else 200
            acc[iid].add(t + rt, fmt.nginx_access(clk, t + rt, rng.choice(cdn_ips), "GET", path, status,
                                                  145 if broken else rng.randint(6000, 90000), rt, "Amazon CloudFront",
                                                  urt=rt - 0.001))
            if broken:
                w = rng.choice(pid)
                if "/renditions/" in path:
                    final = f"OSError: [Errno 28] No space left on device"
                    tb = fmt.pytrace(DJ_TRACE[:2] + RENDITION_TRACE, final)
                else:
                    final = f"OSError: [Errno 28] No space left on device: '/var/cache/cms/django/tmp{rng.hexid(8)}'"
                    tb = fmt.pytrace(DJ_TRACE, final)
                app[iid].add(t + rt - 0.002, fmt.pylog(clk, t + rt - 0.002, "ERROR", "django.request",
                                                       f"Internal Server Error: {path.split('?')[0]}\n{tb}"))
                if rng.random() < 0.15:
                    err[iid].add(t + 0.01, fmt.nginx_error(
                        clk, t, "crit", 1187, f"*{rng.randint(100000, 999999)} pwrite() \"/var/lib/nginx/tmp/proxy/"
                        f"{rng.randint(1, 9)}/{rng.randint(10, 99)}/00000{rng.randint(10000, 99999)}\" failed (28: No space "
                        f"left on device) while reading upstream, client: {rng.choice(cdn_ips)}, server: cms.example.gov, "
                        f"request: \"GET {path} HTTP/1.1\", upstream: \"http://unix:/run/gunicorn.sock:{path}\""))
            elif rng.random() < 0.08:
                app[iid].add(t, fmt.pylog(clk, t, "INFO", "cms.pages", f"cache miss page={path.split('?')[0]} rendered in "
                                                                     f"{int(rt * 1000)}ms"))
        for t in arrivals(rng, lambda t: 0.25, t0=-7200):
            err[iid].add(t, fmt.nginx_error(
                clk, t, "warn", 1187, f"*{rng.randint(100000, 999999)} an upstream response is buffered to a temporary "
                f"file /var/lib/nginx/tmp/proxy/{rng.randint(1, 9)}/{rng.randint(10, 99)}/00000{rng.randint(10000, 99999)} "
                f"while reading upstream, client: {rng.choice(cdn_ips)}, server: cms.example.gov, request: \"GET "
                f"/media/renditions/{rng.hexid(8)}/hero-1280.jpg HTTP/1.1\""))
        for t in arrivals(rng, lambda t: 0.4, t0=-7200):  # long-standing, identical on every node
            app[iid].add(t, fmt.pylog(clk, t, "WARNING", "django.request", f"Not Found: /wp-login.php"))
        for t in every(-7200, -5, 3600):
            h = t - (t % 3600)
            if h >= -7200 and i == 2:
                app[iid].add(h + 2, fmt.pylog(clk, h + 2, "INFO", "cms.sitemap", "regenerating sitemap.xml (4 sections)"))
                app[iid].add(h + 331, fmt.pylog(clk, h + 331, "INFO", "cms.sitemap", f"sitemap.xml written: {rng.randint(18000, 18400)} urls"))
        if i == 1:
            for t in every(full + 400, -5, 900):
                app[iid].add(t, fmt.pylog(clk, t, "ERROR", "cms.media.renditions", "rendition queue: 0 written, "
                                          f"{rng.randint(40, 90)} failed (No space left on device)"))
    alarms = [alarm("cms-frontend-5xx", lb5xx, "Sum", 60, 3, 5, "GreaterThanThreshold", "CMS origin 5xx"),
              ok_alarm("cms-web-3-cpu-high", cpu3, "Average", 300, 3, 80, "GreaterThanThreshold")]
    changes = [change(-2300, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
                      "sg-0a7c5e3d1b9f24680", "j.ortiz")]
    doc = scenario("h47-04-cms-web-disk-full", "CMS site pages intermittently erroring (500) through CloudFront; "
                   "origin 5xx alarm.", region, resources, metrics,
                   list(acc.values()) + list(err.values()) + list(app.values()), alarms, changes,
                   {"alarm": "cms-frontend-5xx",
                    "root_cause": {"category": "storage_exhaustion", "resource": [web[1][0], web[1][1]]},
                    "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                   "dimensions": {"InstanceId": web[1][0], "path": "/", "device": "nvme0n1p1",
                                                  "fstype": "xfs"}}]})
    meta = {"region": region, "alarm": "cms-frontend-5xx", "category": "storage_exhaustion",
            "resources": [web[1][0], web[1][1]], "position": "front (ALB)",
            "decoys": "security-group ingress rule added to the bastion SG 40 min before (unrelated SG); cms-web-3 "
                      "hourly sitemap CPU bursts (OK alarm); steady /wp-login.php 404 warnings on every node",
            "story": "cms-web-2's root volume has been filling all afternoon (disk_used_percent 71 % -> 100 %, reached "
                     "about 32 min ago). From then on the Django file cache and the image-rendition writer on that node "
                     "fail with `OSError: [Errno 28] No space left on device`, nginx logs `pwrite() ... failed (28: No "
                     "space left on device)`, and ~60 % of the requests it serves return 500. /healthz does not touch "
                     "disk, so the ALB keeps the node in service and the origin 5xx alarm fires. cms-web-1/3 are clean. "
                     "Label: storage_exhaustion on cms-web-2."}
    return doc, meta
