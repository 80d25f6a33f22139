"""h92-05 (lead capture loses SES permission) and h92-06 (open-house Saturday surge on listing
pages)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, nginx

from .base import (ZERO, alb_id, alb_metrics, anomaly, apigw_metrics, cnt, ecs_metrics,
                   expect, fpm, lambda_metrics, make, monolog, rds_metrics, sample, sprinkle,
                   task_id, val)


# =========================================================================== h92-05
def build_05():
    sc = make(5, "showing-requests-failing", "Schedule-a-showing and contact-agent forms failing; "
              "Errors alarm on the form handler.", "us-east-1", "2026-05-17T15:05:00",
              category="permission_denied", side="origin",
              services="Lambda (Node.js) x2, API Gateway, IAM (CloudTrail only)", runtime="nodejs20.x",
              fmt="Lambda Node text, JSON error objects",
              decoys="code deploy of listing-alerts 20 s after the IAM change (closer to onset); steady CRM webhook 502 errors and reCAPTCHA warnings; second 5XX alarm on the API",
              story=(
                  "`inquiry-handler` stores a lead and e-mails the listing agent through SES. At "
                  "-2330 s `terraform-ci` ran PutRolePolicy on `inquiry-handler-role`; from -2300 s "
                  "almost every submission fails with `AccessDenied: User: arn:aws:sts::...:assumed-role/"
                  "inquiry-handler-role/inquiry-handler is not authorized to perform: ses:SendEmail`. "
                  "A code deploy of `listing-alerts` at -2310 s is nearer the onset but that function's "
                  "metrics and logs are unchanged; the CRM webhook 502s and reCAPTCHA rejections in the "
                  "handler's own log have been there at the same rate all day."),
              judgement=("h92-05: the IAM role is not a resource type of the format, so the origin "
                         "is the function whose calls are denied (`inquiry-handler`)."))
    fn, other, api = "inquiry-handler", "listing-alerts", "lead-capture-api"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=256,
                role=f"arn:aws:iam::{sc.account}:role/inquiry-handler-role")
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=30, memory_size=512)
    sc.resource("apigateway", api, stage="prod")
    t_iam, t_dec, onset = -2330, -2310, -2300
    inv = cnt(sc, lambda t: 18 * diurnal(sc, t, 18, 0.3))
    spam = 0.07
    err = [float(round(n * (1 - spam))) if t >= onset else 0.0 for t, n in zip(GRID, inv)]
    dur = val(sc, lambda t: 140 if t >= onset else 420, noise=0.1)
    lambda_metrics(sc, fn, inv, err, dur)
    e4 = cnt(sc, lambda t: 1.5)
    ad = apigw_metrics(sc, api, [n + e for n, e in zip(inv, e4)], e4, err,
                       val(sc, lambda t: 170 if t >= onset else 450, noise=0.1))
    ll = LambdaLogs(sc, fn, "nodejs20.x", 256, 10, mem_used=(104, 8))
    agent_domain = "leads.harbourview-realty.com"

    def body(ll, t, rid, is_err, cold):
        lid = sc.rng.randint(3800000, 3999999)
        form = sc.rng.choice(["schedule_showing", "contact_agent", "open_house_rsvp"])
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"lead received listing={lid} form={form}"))]
        if sc.rng.random() < spam and not is_err:
            lines.append((0.08, ll.fmt(t + 0.08, rid, "WARN", f"recaptcha score {sc.rng.choice([0.1, 0.2, 0.3])} "
                                        "below 0.5, rejecting submission")))
            return {"lines": lines, "dur": sc.rng.uniform(90, 160)}
        lines.append((0.06, ll.fmt(t + 0.06, rid, "INFO", f"stored lead {sc.uuid()} in table leads-prod")))
        if is_err:
            msg = (f"User: arn:aws:sts::{sc.account}:assumed-role/inquiry-handler-role/inquiry-handler is not "
                   f"authorized to perform: ses:SendEmail on resource: arn:aws:ses:us-east-1:{sc.account}:"
                   f"identity/{agent_domain} because no identity-based policy allows the ses:SendEmail action")
            obj = {"errorType": "AccessDenied", "errorMessage": msg, "name": "AccessDenied", "$fault": "client",
                   "$metadata": {"httpStatusCode": 403, "requestId": sc.uuid(), "attempts": 1,
                                 "totalRetryDelay": 0},
                   "stack": [f"AccessDenied: {msg}",
                             "    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:838:20)",
                             "    at async sendAgentEmail (/var/task/dist/notify.js:44:5)",
                             "    at async Runtime.handler (/var/task/dist/index.js:61:9)"]}
            lines.append((0.12, ll.fmt(t + 0.12, rid, "ERROR", "Invoke Error \t" + jline(obj))))
            return {"lines": lines, "dur": sc.rng.uniform(110, 190)}
        lines.append((0.3, ll.fmt(t + 0.3, rid, "INFO", f"notified agent via SES MessageId=0100018f{sc.hexid(8)}-"
                                   f"{sc.uuid()}-000000")))
        if sc.rng.random() < 0.08:
            lines.append((0.38, ll.fmt(t + 0.38, rid, "ERROR", "CRM webhook POST https://hooks.boomtown-crm.example/v2/leads "
                                        "failed: 502 Bad Gateway (will retry via DLQ)")))
        return {"lines": lines, "dur": max(150.0, sc.rng.gauss(420, 80))}

    li, le = sample(sc, inv, err, cap=3)
    ll.run(li, le, body)
    oinv = cnt(sc, lambda t: 9)
    lambda_metrics(sc, other, oinv, cnt(sc, lambda t: 0.2), val(sc, lambda t: 2300, noise=0.12))
    ol = LambdaLogs(sc, other, "nodejs20.x", 512, 30, retire=(t_dec,), mem_used=(160, 12))

    def obody(ll, t, rid, is_err, cold):
        n = sc.rng.randint(0, 14)
        lines = [(1.9, ll.fmt(t + 1.9, rid, "INFO", f"saved-search {sc.uuid()[:8]}: {n} new matches, "
                               f"{'push sent' if n else 'nothing to send'}"))]
        if is_err:
            lines = [(0.5, ll.fmt(t + 0.5, rid, "ERROR", "FCM send failed: messaging/registration-token-not-registered"))]
        return {"lines": lines, "dur": sc.rng.uniform(1500, 3100)}

    li, le = sample(sc, oinv, [0.2] * len(GRID), cap=1)
    ol.run(li, le, obody)
    sc.change(t_iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "inquiry-handler-role",
              "terraform-ci")
    sc.change(t_dec, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              other, "gh-actions-deploy")
    sc.change(-14200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "gh-actions-deploy")
    sc.alarm("lead-capture-api-5xx", "AWS/ApiGateway", "5XXError", ad, "Sum", 60, 3, 3,
             "GreaterThanThreshold")
    sc.alarm("inquiry-handler-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 2, 3,
             "GreaterThanThreshold", "Lead form handler errors")
    expect(sc, "inquiry-handler-errors", "permission_denied", [fn],
           [anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})])
    return sc


# =========================================================================== h92-06
def build_06():
    sc = make(6, "listing-pages-latency-saturday", "Listing pages slow and intermittently failing "
              "on Saturday morning; ALB latency alarm.", "us-east-1", "2026-05-16T14:20:00",
              category="traffic_surge", side="origin",
              services="ALB, ECS Fargate (PHP-FPM + nginx) x2, RDS MySQL", runtime="PHP",
              fmt="nginx access log, php-fpm, Laravel/Monolog",
              decoys="deploy of agent-dashboard 60 s before onset; autoscaling UpdateService events after onset; steady 404s for expired listings",
              story=(
                  "From -3000 s the ALB `portal-public` receives five times its usual request rate within "
                  "five minutes; the access logs show the extra requests are one open-house listing page "
                  "(and its photos) with TikTok/Facebook referrers. Target response time rises from 0.14 s "
                  "to ~1.5 s, php-fpm reaches pm.max_children and the ALB returns 502/503/504s. ECS CPU "
                  "rises to ~75-80 % but never pins, autoscaling adds tasks (UpdateService by the "
                  "autoscaling role, after the onset), MySQL has headroom (connections ~200 of 1000), and "
                  "there are no new application errors. The deploy of `agent-dashboard` a minute before "
                  "the onset touches a different service whose metrics do not move."),
              judgement=("h92-06: for a surge the fault is the load itself; the ALB that receives it and "
                         "the ECS service that serves it are both accepted. CPU stays below ~85 %, so "
                         "this is not `cpu_saturation`."))
    alb = alb_id(sc, "portal-public")
    cluster, svc, dec, db = "portal-prod", "listing-pages", "agent-dashboard", "portal-mysql"
    sc.resource("alb", alb, name="portal-public", scheme="internet-facing")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=4, cpu=1024,
                memory=2048, autoscaling="target-tracking CPU 60%, 4-12 tasks")
    sc.resource("ecs", f"{cluster}/{dec}", launch_type="FARGATE", desired_count=2)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.2xlarge",
                max_connections=1000, allocated_storage_gb=800)
    onset = -3000
    surge = lambda t: 4.2 * ramp(t, onset, onset + 300) + 0.8 * ramp(t, -1500, -600)
    load = lambda t: 2200 * diurnal(sc, t, 16, 0.3) * (1 + surge(t))
    req = cnt(sc, load)
    hurt = lambda t: ramp(t, onset + 60, onset + 360) * (1 - 0.3 * ramp(t, -2300, -2000))
    rt = val(sc, lambda t: 0.14 + 1.6 * hurt(t), noise=0.1)
    t5 = cnt(sc, lambda t: 0.3 + 30 * hurt(t))
    e5 = cnt(sc, lambda t: 45 * hurt(t))
    tasks = lambda t: 4 + 2 * (t >= -2580) + 2 * (t >= -2280) + 2 * (t >= -1080)
    alb_metrics(sc, alb, req, rt, t5, e5, [float(tasks(t)) for t in GRID], ZERO,
                t4=cnt(sc, lambda t: 60 * diurnal(sc, t, 16, 0.3)))
    ecs_metrics(sc, cluster, svc,
                val(sc, lambda t: min(84.0, 33 * diurnal(sc, t, 16, 0.2) * (1 + surge(t)) * 4 / tasks(t)), noise=0.05),
                val(sc, lambda t: 52 + 8 * hurt(t), noise=0.02), [float(tasks(t)) for t in GRID])
    ecs_metrics(sc, cluster, dec, val(sc, lambda t: 12, noise=0.2), val(sc, lambda t: 38, noise=0.03),
                [2.0] * len(GRID))
    rds_metrics(sc, db, val(sc, lambda t: 24 + 16 * ramp(t, onset, onset + 300), noise=0.08),
                cnt(sc, lambda t: 118 + 90 * ramp(t, onset, onset + 300)),
                val(sc, lambda t: 5.1e11, noise=0.0005, digits=0), val(sc, lambda t: 3.6e10, noise=0.01, digits=0),
                val(sc, lambda t: 0.0008 + 0.0004 * ramp(t, onset, onset + 300), noise=0.15, digits=5))
    group = f"/ecs/{svc}"
    streams = {k: f"nginx/nginx/{task_id(sc)}" for k in range(4)}
    late = [(-2580, f"nginx/nginx/{task_id(sc)}"), (-2580, f"nginx/nginx/{task_id(sc)}"),
            (-2280, f"nginx/nginx/{task_id(sc)}"), (-2280, f"nginx/nginx/{task_id(sc)}"),
            (-1080, f"nginx/nginx/{task_id(sc)}"), (-1080, f"nginx/nginx/{task_id(sc)}")]
    viral = "/listing/3921455-12-ridgeview-ter-montclair-nj"

    def stream(t):
        live = list(streams.values()) + [s for st, s in late if t >= st + 90]
        return sc.rng.choice(live)

    def access(t):
        v = sc.rng.random() < surge(t) / (1 + surge(t))
        if v:
            p = viral if sc.rng.random() < 0.4 else f"/media/3921455/{sc.rng.randint(1, 42):02d}_1024w.webp"
            ref = sc.rng.choice(["https://www.tiktok.com/", "https://l.facebook.com/", "https://t.co/"])
        else:
            p = sc.rng.choice(["/search?city=montclair&open_house=sat", f"/listing/{sc.rng.randint(3800000, 3999999)}",
                               "/open-houses?date=2026-05-16", "/mortgage/calculator"])
            ref = "-"
        h = hurt(t)
        r = max(0.01, sc.rng.gauss(0.12, 0.04)) + (sc.rng.uniform(0.5, 4.0) if sc.rng.random() < h else 0)
        st = 200
        if sc.rng.random() < 0.02 * h:
            st, r = 504, 10.001
        elif sc.rng.random() < 0.02 * h:
            st = 502
        elif p.startswith("/listing/3") and sc.rng.random() < 0.04 and not v:
            st = 404
        sc.log(group, stream(t), t, nginx(sc, t, f"10.40.{sc.rng.randint(0, 7)}.{sc.rng.randint(2, 250)}", "GET",
                                          p, st, sc.rng.randint(4000, 90000) if st == 200 else 162, r, ref=ref,
                                          ua="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"))

    sprinkle(sc, GRID[0], 0, lambda t: 2.0 * (1 + surge(t)), access)
    sprinkle(sc, onset + 120, 0, lambda t: 1.5 * hurt(t), lambda t: sc.log(
        group, stream(t).replace("nginx/nginx", "php/php-fpm"), t,
        fpm(sc, t, "warning", "[pool www] server reached pm.max_children setting (24), consider raising it")))
    sprinkle(sc, GRID[0], 0, 0.3, lambda t: sc.log(
        group, stream(t).replace("nginx/nginx", "php/php-fpm"), t,
        monolog(sc, t, "warning", "CDN purge slow", f'{{"listing":{sc.rng.randint(3800000, 3999999)},"ms":{sc.rng.randint(1200, 4800)}}}')))
    sc.change(onset - 60, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{dec}",
              "gh-actions-deploy")
    sc.change(onset - 74, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              f"{dec}:212", "gh-actions-deploy")
    for t in (-2580, -2280, -1080):
        sc.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.alarm("portal-public-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb},
             "Sum", 60, 3, 20, "GreaterThanThreshold")
    sc.alarm("portal-public-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb},
             "Average", 60, 3, 0.8, "GreaterThanThreshold", "Public portal latency")
    expect(sc, "portal-public-latency", "traffic_surge", [alb, "portal-public", f"{cluster}/{svc}", svc],
           [anomaly("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb})])
    return sc


BUILDERS = [build_05, build_06]
