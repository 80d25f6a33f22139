"""h79-11 (flag edge slow under a new SDK's polling surge) and h79-12 (people directory 500s from
an org unit without a manager)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, gunicorn, logfmt_writer

from .kit import (apigw_access, binom, ecs_dims, meta, new, put, run_lambda, task_id, ticks)

logfmt = logfmt_writer("ts")


# --------------------------------------------------------------------------- h79-11
def build11():
    sc = new(11, "flags-edge-latency", "Feature-flag edge responding slowly to every app; ALB target "
             "response time alarm.", "eu-west-2", "2026-08-18T10:05:00+00:00")
    lb, fn = "app/flags-edge/9a3c5e7f1b2d4068", "flags-audit-export"
    tg = [("i-0f2a4c6e8b0d13579", "flagsvc-a"), ("i-08b1d3f5a7c9e2460", "flagsvc-b")]
    sc.resource("alb", lb, name="flags-edge", scheme="internet-facing")
    for iid, name in tg:
        sc.resource("ec2", iid, name=name, instance_type="c7g.large", runtime="go1.22",
                    log_groups=["/flagsvc/app"])
    sc.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=512)
    on = -2700
    surge = lambda t: 1 + 8.2 * ramp(t, on, on + 240)
    base = lambda t: 1150 * diurnal(sc, t, 11.0, 0.3)
    req = put(sc, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}, "Count",
              lambda t: base(t) * surge(t), integer=True)
    load = lambda t: ramp(t, on, on + 240)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Seconds",
        lambda t: 0.014 + 0.19 * load(t), noise=0.12, digits=4)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Count",
              binom(sc, req, lambda t: 0.00002 + 0.0016 * load(t)))
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Count",
              binom(sc, req, lambda t: 0.00005))
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", {"LoadBalancer": lb}, "Count",
              [float(r) for r in req])
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": lb}, "Count", lambda t: 2.0, noise=0.0)
    for iid, _ in tg:
        put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent",
            lambda t: 8.5 * diurnal(sc, t, 11.0, 0.3) * (1 + 6.2 * load(t)), noise=0.05)
        put(sc, "CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", lambda t: 31 + 6 * load(t), noise=0.02)
        put(sc, "AWS/EC2", "NetworkOut", {"InstanceId": iid}, "Bytes",
            lambda t: 2.2e6 * diurnal(sc, t, 11.0, 0.3) * surge(t), noise=0.06, digits=0)
    finv = put(sc, "AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count", lambda t: 0.4, integer=True)
    put(sc, "AWS/Lambda", "Errors", {"FunctionName": fn}, "Count", lambda t: 0.0, noise=0.0)
    put(sc, "AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds",
        lambda t: 4200 + bump(t, -8400, -7800, 52000, 120), noise=0.1)

    uas = ["flags-sdk-ios/3.9.1", "flags-sdk-web/5.0.2", "flags-go/1.7.0", "flags-sdk-android/4.1.3"]
    for iid, name in tg:
        for t in ticks(sc, lambda m: 3.0 * surge(m) ** 0.5):
            new_sdk = sc.rng.random() < (1 - 1 / surge(t))
            ua = "flags-sdk-android/4.2.0" if new_sdk else sc.rng.choice(uas)
            p = "/v1/flags/bootstrap" if new_sdk or sc.rng.random() < 0.5 else "/v1/flags/evaluate"
            ms = sc.rng.lognormvariate(2.5, 0.35) * (1 + 13 * load(t) * sc.rng.uniform(0.5, 1.5))
            sc.log("/flagsvc/app", iid, t, logfmt(sc, t, "info", "http request", method="GET", path=p,
                                                  status=200, dur_ms=round(ms, 1), ua=ua,
                                                  env=sc.rng.choice(["prod", "prod", "prod-eu"])))
        for t in ticks(sc, lambda m: 0.25):
            sc.log("/flagsvc/app", iid, t, logfmt(sc, t, "error", "unknown environment key; rejecting",
                                                  env="staging-old", sdk_key=f"sdk-{sc.hexid(8)}", status=401))
        for t in ticks(sc, lambda m: 0.05):
            sc.log("/flagsvc/app", iid, t, logfmt(sc, t, "info", "ruleset refreshed", version=f"r{sc.rng.randint(9000, 9100)}",
                                                  flags=212, took_ms=sc.rng.randint(30, 60)))
        for t in ticks(sc, lambda m: 0.5 * load(m), on):
            sc.log("/flagsvc/app", iid, t, logfmt(sc, t, "warn", "slow request", path="/v1/flags/bootstrap",
                                                  dur_ms=sc.rng.randint(400, 1900), inflight=sc.rng.randint(380, 900)))
    ll = LambdaLogs(sc, fn, "python3.12", 512, 120, mem_used=(140, 8), retire=(-2630,))
    run_lambda(sc, ll, finv, [0.0] * len(GRID), lambda l, t, r, e, c: {
        "dur": sc.rng.gauss(4200, 400), "lines": [(0.1, l.fmt(t, r, "INFO", "exported 1 ruleset audit record"))]})

    sc.change(-2630, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "flags-team-ci")
    sc.change(-16000, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "flags-edge-tg", "terraform-cloud-platform")
    sc.alarm("flags-edge-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 0.1, "GreaterThanThreshold", "Flag edge average response time")
    for iid, name in tg:
        sc.alarm(f"{name}-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Average", 300, 2, 85,
                 "GreaterThanThreshold")
    sc.expect = {"alarm": "flags-edge-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [lb, "flags-edge"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    meta(sc, category="traffic_surge", resources=[lb, "flags-edge"], front="origin (ALB takes the surge)",
         services="ALB, EC2 (Go, logfmt), Lambda (Python)",
         decoys="code deploy of an audit-export Lambda 1 min after onset; long-standing 401 "
                "unknown-environment errors; old Lambda duration spike; CPU rising but not saturated",
         story="At -45 min the flag edge's request count rises from ~1.4k to ~13.5k per minute within "
               "four minutes. The Go targets' logfmt lines show almost all of the new traffic is "
               "`/v1/flags/bootstrap` from `flags-sdk-android/4.2.0` (a client release that polls "
               "far more often). CPU on both targets goes from ~11 % to ~78 %, below saturation. "
               "Response time goes from 14 ms to ~200 ms with a trickle of 504s, and there are no new "
               "error signatures. The Lambda deploy a minute later is to an audit exporter outside "
               "the request path. The 401 `unknown environment key` errors were there all along.")
    return sc


# --------------------------------------------------------------------------- h79-12
def build12():
    sc = new(12, "people-api-5xx", "People directory API returning 500s on org-chart pages; API "
             "Gateway 5XXError alarm.", "ap-southeast-1", "2026-05-27T03:15:00+00:00")
    api, cl = "people-api", "people"
    sc.resource("apigateway", api, stage="prod", integration="VPC link -> people/directory-api")
    sc.resource("ecs", f"{cl}/directory-api", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024,
                task_definition="directory-api:203", log_group="/ecs/people/directory-api")
    sc.resource("ecs", f"{cl}/avatar-svc", launch_type="FARGATE", desired_count=2, cpu=256, memory=512,
                log_group="/ecs/people/avatar-svc")
    imp, on = -2400, -2330
    hot = lambda t: 0.32 * ramp(t, on, on + 600)  # share of org-chart requests touching the new unit
    cnt = put(sc, "AWS/ApiGateway", "Count", {"ApiName": api}, "Count",
              lambda t: 85 * diurnal(sc, t, 4.0, 0.35) * (1 + 0.25 * ramp(t, on, on + 600)), integer=True)
    e5 = binom(sc, cnt, lambda t: 0.0006 + 0.38 * hot(t))
    sc.metric("AWS/ApiGateway", "5XXError", {"ApiName": api}, "Count", e5)
    sc.metric("AWS/ApiGateway", "4XXError", {"ApiName": api}, "Count", binom(sc, cnt, lambda t: 0.05))
    put(sc, "AWS/ApiGateway", "Latency", {"ApiName": api}, "Milliseconds", lambda t: 92 + 25 * hot(t), noise=0.1)
    d = ecs_dims(cl, "directory-api")
    put(sc, "AWS/ECS", "CPUUtilization", d, "Percent",
        lambda t: 19 * diurnal(sc, t, 4.0, 0.35) + bump(t, -6300, -5800, 41, 90), noise=0.08)
    put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", lambda t: 58.0, noise=0.015)
    d2 = ecs_dims(cl, "avatar-svc")
    put(sc, "AWS/ECS", "CPUUtilization", d2, "Percent", lambda t: 9.0, noise=0.1)
    put(sc, "AWS/ECS", "MemoryUtilization", d2, "Percent", lambda t: 40.0 - 8 * (t >= -2190), noise=0.02)

    g = "/ecs/people/directory-api"
    units = [f"ou-{sc.rng.randint(1000, 4400)}" for _ in range(30)]
    for k in range(2):
        tid = task_id(sc)
        st = f"web/directory-api/{tid}"
        pid = sc.rng.randint(8, 40)
        for t in ticks(sc, lambda m: 2.4):
            d_ = sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000")
            ip = sc.ip("10.90")
            if sc.rng.random() < 0.35:
                bad = sc.rng.random() < hot(t) * 1.1
                unit = "ou-4471" if bad else sc.rng.choice(units)
                if bad:
                    sc.log(g, st, t - 0.01, gunicorn(sc, t - 0.01, pid, "ERROR", f"Internal Server Error: "
                           f"/v1/orgchart/{unit}\nTraceback (most recent call last):\n  File \"/usr/local/lib/"
                           "python3.12/site-packages/django/core/handlers/exception.py\", line 55, in inner\n"
                           "    response = get_response(request)\n  File \"/app/directory/orgchart/views.py\", "
                           "line 41, in get\n    return Response(OrgUnitSerializer(unit).data)\n  File \"/app/"
                           "directory/orgchart/serializers.py\", line 88, in get_manager_email\n    return "
                           "obj.manager.email\nAttributeError: 'NoneType' object has no attribute 'email'"))
                sc.log(g, st, t, f'{ip} - - [{d_}] "GET /v1/orgchart/{unit} HTTP/1.1" {500 if bad else 200} '
                       f'{145 if bad else sc.rng.randint(2000, 9000)} "-" "directory-web/2.8"')
            elif sc.rng.random() < 0.07:
                sc.log(g, st, t - 0.002, gunicorn(sc, t - 0.002, pid, "WARNING", "Not Found: /v1/people/legacy-id/"
                                                  f"E{sc.rng.randint(10000, 99999)}"))
                sc.log(g, st, t, f'{ip} - - [{d_}] "GET /v1/people/legacy-id/E{sc.rng.randint(10000, 99999)} '
                       'HTTP/1.1" 404 58 "-" "hr-sync-legacy/1.0"')
            else:
                sc.log(g, st, t, f'{ip} - - [{d_}] "GET /v1/people/{sc.rng.randint(1000, 9999)} HTTP/1.1" 200 '
                       f'{sc.rng.randint(800, 3000)} "-" "directory-web/2.8"')
    jt = task_id(sc)
    for t in ticks(sc, lambda m: 0.05):
        sc.log(g, f"jobs/directory-api/{jt}", t, gunicorn(sc, t, 7, "INFO", "hr_import: no changes from Workday feed"))
    sc.log(g, f"jobs/directory-api/{jt}", imp, gunicorn(sc, imp, 7, "INFO", "hr_import: 3 org units created "
           "(ou-4469 Finance Ops, ou-4470 Data Platform, ou-4471 Platform Enablement), 41 people moved"))
    sc.log(g, f"jobs/directory-api/{jt}", imp + 0.2, gunicorn(sc, imp + 0.2, 7, "WARNING", "hr_import: org unit "
           "ou-4471 has no manager in feed; saved with manager=NULL"))
    avt = task_id(sc)
    for t in ticks(sc, lambda m: 0.6):
        sc.log("/ecs/people/avatar-svc", f"web/avatar-svc/{avt}", t, gunicorn(sc, t, 11, "INFO",
               f"served avatar {sc.hexid(8)}.webp (cache hit)"))
    gid = "p5z1r8t0qa"
    for t in ticks(sc, lambda m: 1.0):
        bad = sc.rng.random() < 0.38 * hot(t)
        sc.log(f"API-Gateway-Access-Logs_{gid}/prod", f"{gid}-prod", t,
               apigw_access(sc, t, sc.ip("10.91"), "GET", "/v1/orgchart/{unit}" if bad else "/v1/people/{id}",
                            500 if bad else 200, int(sc.rng.gauss(92, 15)), int(sc.rng.gauss(80, 15))))

    sc.change(-18000, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "directory-api:203", "people-eng-deployer")
    sc.change(-17990, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/directory-api",
              "people-eng-deployer")
    sc.change(-2190, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/avatar-svc",
              "r.tan@corp-sso")
    sc.alarm("people-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 4,
             "GreaterThanThreshold", "People API 5xx")
    sc.alarm("people-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 300, 2, 500,
             "GreaterThanThreshold")
    sc.alarm("directory-api-cpu", "AWS/ECS", "CPUUtilization", d, "Average", 300, 1, 50, "GreaterThanThreshold")
    sc.expect = {"alarm": "people-api-5xx",
                 "root_cause": {"category": "application_error", "resource": [f"{cl}/directory-api", "directory-api"]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}]}
    meta(sc, category="application_error", resources=[f"{cl}/directory-api", "directory-api"],
         front="front (API Gateway)", services="API Gateway (JSON access log), ECS (Python/Django + gunicorn access log)",
         decoys="scale change on avatar-svc 2 min after onset; the origin's deploy 5 h earlier; "
                "long-standing 404 warnings; CPU bump and alarm on the origin",
         story="From -39 min the people API's 5xx rise to ~20/min, all on `/v1/orgchart/ou-4471`. "
               "Django logs `AttributeError: 'NoneType' object has no attribute 'email'` in "
               "`get_manager_email`. A minute before the first error, the HR import job created "
               "`ou-4471 Platform Enablement` and warned that it had no manager (saved as NULL). "
               "The service's last deploy (task definition 203) was five hours earlier and served "
               "the same endpoint cleanly until the new unit appeared. The avatar-svc UpdateService "
               "comes after the onset on another service. CPU, memory and latency stay normal. This "
               "is an unhandled exception on new data, with no change and no resource fault.")
    return sc


BUILDERS = [build11, build12]
