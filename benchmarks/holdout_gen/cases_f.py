"""Hold-out cases 12-13: data-triggered unhandled exception, and a weak-evidence 5XX blip (unknown)."""
from __future__ import annotations

import json

from .kit import Scenario, bump, iso, lambda_request, lambda_stream, plain, ramp, sample_times, wave


def hold_12() -> Scenario:
    """A partner starts sending null addresses; the relay crashes on them. No change to the relay itself."""
    sc = Scenario("hold-12-webhook-relay-errors", "Carrier status updates not showing for some shipments; relay "
                  "Errors alarm.", "eu-west-1", seed=1212)
    fn, onb, api = "partner-webhook-relay", "partner-onboarding", "partner-hooks"
    onset = -1850
    sc.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=256, event_source="sqs:partner-events")
    sc.resource("lambda", onb, runtime="python3.12", timeout=120, memory_size=512)
    sc.resource("apigateway", api, api_id="h3n8b2v6c1", stage="prod")
    sc.resource("ecs", "partners/admin-console", launch_type="FARGATE", desired_count=2)

    inv = lambda t: 75 * wave(t, 10800, 0.12, 4.0)
    bad = lambda t: 0.24 if t >= onset else 0.0
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", lambda t: inv(t) * (1 + bad(t)), count=True)  # SQS retries
    sc.metric("AWS/Lambda", "Errors", d, "Count", lambda t: inv(t) * bad(t) * 1.0 + 0.05, count=True)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", lambda t: 95, rel=0.2)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", lambda t: 2, rel=0.3, digits=0)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", lambda t: 0, count=True)
    a = {"ApiName": api}
    sc.metric("AWS/ApiGateway", "Count", a, "Count", inv, count=True)
    sc.metric("AWS/ApiGateway", "4XXError", a, "Count", lambda t: inv(t) * 0.04, count=True)
    sc.metric("AWS/ApiGateway", "5XXError", a, "Count", lambda t: 0.02, count=True)
    sc.metric("AWS/ApiGateway", "Latency", a, "Milliseconds", lambda t: 38, rel=0.2)
    o = {"FunctionName": onb}
    sc.metric("AWS/Lambda", "Invocations", o, "Count", lambda t: 2 + bump(t, -2150, -1500, 55), count=True)
    sc.metric("AWS/Lambda", "Duration", o, "Milliseconds", lambda t: 900 + bump(t, -2150, -1500, 3100), rel=0.15)
    sc.metric("AWS/Lambda", "Errors", o, "Count", lambda t: 0.02, count=True)
    sc.metric("AWS/ECS", "CPUUtilization", {"ClusterName": "partners", "ServiceName": "admin-console"}, "Percent",
              lambda t: 7 + bump(t, -2700, -2600, 30, 60), rel=0.2)

    sc.change(-2220, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", onb,
              "gha-partners")
    sc.change(-2205, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", onb, "gha-partners")
    sc.change(-2700, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "admin-console",
              "n.byrne")
    sc.change(-2680, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "partners/admin-console", "n.byrne")
    sc.change(-16000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gha-partners")

    tb = ("Traceback (most recent call last):\n"
          "  File \"/var/task/relay/handler.py\", line 34, in handler\n    _relay(json.loads(record[\"body\"]))\n"
          "  File \"/var/task/relay/handler.py\", line 61, in _relay\n    dest = normalise_address(evt[\"consignee\"])\n"
          "  File \"/var/task/relay/address.py\", line 18, in normalise_address\n"
          "    country = addr.get(\"country\", \"\").upper()\n              ^^^^^^^^\n"
          "AttributeError: 'NoneType' object has no attribute 'get'")
    carriers = ["dhl-express", "postnord", "gls", "bring", "dpd"]
    streams = [lambda_stream("2026/11/20", sc) for _ in range(3)]
    out: dict[str, list] = {s: [] for s in streams}
    for t in sample_times(sc, -5400, -60, 2.6):
        s = sc.rng.choice(streams)
        carrier = sc.rng.choice(carriers)
        ship = f"SHP{sc.rng.randint(10**7, 10**8)}"
        body = []
        if sc.rng.random() < 0.2:
            body.append((0.05, f"[ERROR]\t{iso(t + 0.05)}\t{{rid}}\tack to partner failed: 401 Unauthorized from "
                               "https://hooks.acme-freight.example/ack (token rejected) - will retry via DLQ"))
        if carrier == "postnord" and t >= onset and sc.rng.random() < 0.9:
            body.append((0.01, f"[INFO]\t{iso(t + 0.01)}\t{{rid}}\trelaying status=IN_TRANSIT carrier={carrier} "
                               f"shipment={ship}"))
            body.append((0.03, f"[ERROR] AttributeError: 'NoneType' object has no attribute 'get'\n{tb}"))
            _, ev = lambda_request(sc, t, sc.rng.uniform(20, 60), 256, sc.rng.randint(70, 80), body)
        else:
            st = sc.rng.choice(["IN_TRANSIT", "DELIVERED", "OUT_FOR_DELIVERY", "EXCEPTION"])
            body.append((0.01, f"[INFO]\t{iso(t + 0.01)}\t{{rid}}\trelaying status={st} carrier={carrier} "
                               f"shipment={ship}"))
            body.append((0.08, f"[INFO]\t{iso(t + 0.08)}\t{{rid}}\tdelivered to tracking-service 202"))
            _, ev = lambda_request(sc, t, sc.rng.uniform(60, 160), 256, sc.rng.randint(70, 82), body)
        out[s].extend(ev)
    for s, ev in out.items():
        sc.log(f"/aws/lambda/{fn}", s, ev)
    oev = []
    for t in sample_times(sc, -5400, -60, 0.6):
        oev.extend(lambda_request(sc, t, sc.rng.uniform(700, 1200), 512, 140,
                                  [(0.2, f"[INFO]\t{iso(t + 0.2)}\t{{rid}}\tpartner sync ok partners=41")])[1])
    sc.log(f"/aws/lambda/{onb}", lambda_stream("2026/11/20", sc, "23"), oev)

    sc.alarm("partner-webhook-relay-errors", "AWS/Lambda", "Errors", d, statistic="Sum", period=60,
             evaluation_periods=3, threshold=8, state_changed=onset + 240)
    sc.expect("partner-webhook-relay-errors", "application_error", [fn],
              [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d}])
    sc.notes = {"cause": "postnord began sending consignee: null; relay raises AttributeError (unhandled); no change "
                         "to the relay (its last deploy was 4.4 h ago)",
                "decoys": "partner-onboarding deploy 6 min before onset with invocation/duration spike; admin-console "
                          "ECS deploy 14 min before onset; steady '401 Unauthorized' partner-ack errors in the relay"}
    return sc


def hold_13() -> Scenario:
    """A small 5XX rise with no matching log, metric or change evidence: expected 'unknown'."""
    sc = Scenario("hold-13-intranet-5xx-blip", "Some staff report occasional error pages on the intranet portal; "
                  "5XX alarm.", "us-east-1", seed=1313)
    alb = "app/intranet-portal/0d9c8b7a6f5e4d3c"
    web = {"i-0123f4e5d6c7b8a90": "portal-1", "i-0456a7b8c9d0e1f23": "portal-2"}
    dbid, onset = "intranet-pg", -900
    sc.resource("alb", alb, name="intranet-portal", scheme="internal")
    for iid, name in web.items():
        sc.resource("ec2", iid, name=name, instance_type="t3.large", log_groups=["/intranet/portal"])
    sc.resource("rds", dbid, engine="postgres", instance_class="db.t4g.medium", max_connections=410,
                allocated_storage_gb=50)
    sc.resource("lambda", "hr-directory-sync", runtime="python3.12", timeout=300, memory_size=512)

    req = lambda t: 210 * wave(t, 10800, 0.15, 5.0)
    sc.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req, count=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: 1.1 + (6.5 if t >= onset else 0), count=True, sparse=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb}, "Count", lambda t: 0.05,
              count=True, sparse=True)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds", lambda t: 0.16,
              rel=0.15, digits=4)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": alb,
              "TargetGroup": "targetgroup/intranet-portal/1a2b3c4d5e6f7a8b"}, "Count", lambda t: 2, digits=0)
    for iid in web:
        sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent", lambda t: 14 * wave(t, 10800, 0.15, 5.0),
                  rel=0.12)
        sc.metric("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", lambda t: 52, rel=0.02)
        sc.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
                  lambda t: 47 + (t + 10800) / 10800 * 0.3, rel=0.002)
    dbd = {"DBInstanceIdentifier": dbid}
    sc.metric("AWS/RDS", "CPUUtilization", dbd, "Percent", lambda t: 9 + bump(t, -1500, -1200, 45, 60), rel=0.1)
    sc.metric("AWS/RDS", "DatabaseConnections", dbd, "Count", lambda t: 22, sd=1.5, digits=0)
    sc.metric("AWS/RDS", "FreeStorageSpace", dbd, "Bytes", lambda t: 3.3e10, rel=0.0005, digits=0)
    h = {"FunctionName": "hr-directory-sync"}
    sc.metric("AWS/Lambda", "Invocations", h, "Count", lambda t: 1 if int(t) % 1800 == 0 else 0, digits=0)
    sc.metric("AWS/Lambda", "Errors", h, "Count", lambda t: 0, digits=0)

    sc.change(-1380, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "ci-artifacts-uploader", "m.tanaka")
    sc.change(-1260, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "hr-directory-sync", "m.tanaka")

    for iid in web:
        ev = []
        for t in sample_times(sc, -5400, -60, 1.4):
            stamp = plain(t)
            r = sc.rng.random()
            if r < 0.05:
                ev.append((t, f"{stamp} ERROR django.request: Internal Server Error: /wiki/attachments/"
                              f"{sc.rng.randint(1000, 9999)}/preview\nTraceback (most recent call last):\n"
                              "  File \"/srv/portal/venv/lib/python3.11/site-packages/django/core/handlers/exception.py\", "
                              "line 55, in inner\n    response = get_response(request)\n"
                              "  File \"/srv/portal/wiki/views.py\", line 212, in preview\n    return render_preview(att)\n"
                              "PIL.UnidentifiedImageError: cannot identify image file <_io.BytesIO object at 0x7f0c>"))
            elif r < 0.09:
                ev.append((t, f"{stamp} WARNING django.security.csrf: Forbidden (CSRF token missing.): /forms/expenses/"))
            else:
                ev.append((t, f"{stamp} INFO portal.access: {sc.rng.choice(['GET', 'GET', 'POST'])} "
                              f"{sc.rng.choice(['/', '/wiki/', '/people/', '/forms/leave/', '/news/'])} 200 "
                              f"{sc.rng.randint(30, 300)}ms"))
        sc.log("/intranet/portal", iid, ev)

    sc.alarm("intranet-portal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb},
             statistic="Sum", period=300, evaluation_periods=2, threshold=20, state_changed=onset + 600)
    sc.expect("intranet-portal-5xx", "unknown", [alb, "intranet-portal", *web.keys(), *web.values()],
              [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}])
    sc.notes = {"cause": "none determinable: +6 target 5XX/min with no new log signature, no resource pressure, no "
                         "change to portal/ALB/DB; app logs the same errors at the same rate",
                "decoys": "IAM AttachRolePolicy on an unrelated CI role 8 min before onset; hr-directory-sync deploy "
                          "6 min before onset; RDS CPU spike ending 5 min before onset; steady PIL preview errors and "
                          "CSRF warnings"}
    return sc


CASES = [hold_12, hold_13]
