"""h63-09: renewal-deadline text messages go out at 09:05; the benefits application site gets
six times its usual traffic. Nothing is broken, it is simply overwhelmed."""
from __future__ import annotations

from .common import GRID, Scenario, diurnal, ramp
from .kit import LOG_START, alb, alb_id, ecs, emit, night_window, part, rds, scanner, task_ids
from .runtimes import access, gunicorn

CL, SVC, DB = "apply", "intake-web", "apply-pg"
PAGES = [("GET", "/renew/", 0.12), ("GET", "/renew/step/1", 0.18), ("POST", "/renew/step/2", 0.31),
         ("POST", "/renew/step/3", 0.42), ("GET", "/status/", 0.09), ("GET", "/static/app.9f3c1.js", 0.004)]


def build() -> Scenario:
    sc = Scenario(9, "benefits-renewal", "Benefits renewal site very slow this morning; ALB latency "
                  "alarm fired and the call centre reports timeouts.", "us-east-2", 6309,
                  "2026-07-01T14:10:00+00:00")
    rng = sc.rng
    lb = alb_id(sc, "benefits-apply")
    sms = -3900
    sc.resource("alb", lb, name="benefits-apply", scheme="internet-facing", waf="benefits-apply-acl")
    sc.resource("ecs", f"{CL}/{SVC}", desired_count=8, cpu=1024, memory_mb=2048,
                runtime="python3.12 django 4.2 / gunicorn 21 (4 sync workers, timeout 30)",
                autoscaling="target tracking CPU 70%, max 12")
    sc.resource("rds", DB, engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
                max_connections=800, allocated_storage_gb=500)
    sc.resource("lambda", "doc-upload-av-scan", runtime="python3.12", timeout=120, memory_size=2048)

    # ---------------------------------------------------------------- metrics
    surge = lambda t: 5.2 * ramp(t, sms, sms + 420) * (1 - 0.25 * ramp(t, sms + 1800, 0))
    base = lambda t: 520 * diurnal(sc, t, 15.5, 0.55)
    req = sc.series(lambda t: base(t) * (1 + surge(t)), integer=True)
    load = lambda t: min(1.0, surge(t) / 4.0)
    rt = sc.series(lambda t: 0.21 + 3.4 * load(t) ** 1.5, noise=0.12)
    t5 = part(sc, req, lambda t: 0.001 + 0.012 * load(t))
    e5 = part(sc, req, lambda t: 0.025 * load(t) ** 2)
    alb(sc, lb, req, t5, rt, e5xx=e5)
    ecs(sc, CL, SVC, sc.series(lambda t: 18 * diurnal(sc, t, 15.5, 0.55) + 50 * load(t), noise=0.06, cap=100.0),
        sc.series(lambda t: 51 + 9 * load(t), noise=0.03))
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", {"ClusterName": CL, "ServiceName": SVC}, "Count",
              [8.0 if t < sms + 540 else (10.0 if t < sms + 900 else 12.0) for t in GRID])
    rds(sc, DB,
        CPUUtilization=sc.series(lambda t: 17 * diurnal(sc, t, 15.5, 0.55) + 34 * load(t), noise=0.07),
        DatabaseConnections=sc.series(lambda t: 70 + 120 * load(t), noise=0.04, integer=True),
        FreeableMemory=sc.series(lambda t: 2.2e10 - 1.1e9 * load(t), noise=0.01, digits=0),
        FreeStorageSpace=sc.series(lambda t: 3.9e11, noise=0.0002, digits=0),
        ReadLatency=sc.series(lambda t: 0.0012 + 0.0009 * load(t), noise=0.15, digits=5),
        WriteLatency=sc.series(lambda t: 0.0018 + 0.0011 * load(t), noise=0.15, digits=5))
    d = {"FunctionName": "doc-upload-av-scan"}
    av = sc.series(lambda t: 9 * diurnal(sc, t, 15.5, 0.55) * (1 + 0.8 * load(t)), integer=True)
    sc.metric("AWS/Lambda", "Invocations", d, "Count", av)
    sc.metric("AWS/Lambda", "Errors", d, "Count", part(sc, av, lambda t: 0.01))
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", sc.series(lambda t: 4100, noise=0.1))

    # ---------------------------------------------------------------- logs
    grp = f"/ecs/{SVC}"
    for tid in task_ids(sc, 3):
        st = f"web/gunicorn/{tid}"

        def line(t):
            meth, path, base_rt = rng.choice(PAGES)
            from_sms = t >= sms and rng.random() < min(0.85, surge(t) / (1 + surge(t)) + 0.05)
            if from_sms and path.startswith("/renew/") and meth == "GET":
                path += "?utm_source=sms&utm_medium=text&utm_campaign=renewal-deadline-jul1"
            r = max(0.002, rng.gauss(base_rt, base_rt * 0.3)) * (1 + 14 * load(t) ** 1.5)
            status = 200 if meth == "GET" else 302
            ua = rng.choice(["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
                             "Mozilla/5.0 (Linux; Android 14; SM-A146U) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
                             "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"])
            return access(sc, t + r, f"10.50.{rng.randint(0, 7)}.{rng.randint(4, 250)}", meth, path, status,
                          rng.randint(2000, 48000), r, ua=ua)

        emit(sc, grp, st, LOG_START, 0, lambda t: 2.0 * (1 + surge(t)) / 3, line)
        emit(sc, grp, st, sms + 500, 0, lambda t: 0.35 * load(t),
             lambda t: [(0.0, gunicorn(sc, t, 1, "CRITICAL", f"WORKER TIMEOUT (pid:{rng.randint(20, 400)})")),
                        (0.3, gunicorn(sc, t + 0.3, 1, "INFO", f"Booting worker with pid: {rng.randint(400, 900)}"))])
        emit(sc, grp, st, LOG_START, 0, lambda t: 0.3,
             lambda t: gunicorn(sc, t, rng.randint(20, 400), "WARNING",
                                "Not Found: /apple-touch-icon-precomposed.png"))
        emit(sc, grp, st, LOG_START, 0, lambda t: 0.25,
             lambda t: gunicorn(sc, t, rng.randint(20, 400), "ERROR",
                                "Internal Server Error: /renew/step/2 - ValidationError: "
                                "household member SSN failed Luhn-like check (handled, 200 rendered)"))
    scanner(sc, "fisma-evidence-collector", "conmon-readonly", ["benefits-docs-use2", "benefits-audit-use2"],
            ["prod/benefits/django-secret", "prod/benefits/login-gov"], every=900)

    # ---------------------------------------------------------------- changes
    night_window(sc, -20800, -14500, [
        ("wafv2.amazonaws.com", "UpdateWebACL", "AWS::WAFv2::WebACL", "benefits-apply-acl", "svc-terraform"),
        ("rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", DB, "svc-terraform"),
        ("iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "conmon-readonly", "svc-terraform"),
        ("ecs.amazonaws.com", "TagResource", "AWS::ECS::Service", f"{CL}/{SVC}", "svc-terraform"),
    ])
    sc.change(sms - 70, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "doc-upload-av-scan", "github-actions-oidc")
    auto = "AWSServiceRoleForApplicationAutoScaling_ECSService"
    sc.change(sms + 420, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SVC}", auto)
    sc.change(sms + 780, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SVC}", auto)

    # ---------------------------------------------------------------- alarms
    sc.alarm("benefits-apply-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 2.0, "GreaterThanThreshold", "Renewal site response time")
    sc.alarm(f"{DB}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.alarm(f"{SVC}-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": CL, "ServiceName": SVC},
             "Average", 300, 3, 70, "GreaterThanThreshold", "Scale-out signal (informational)")
    sc.expect = {"alarm": "benefits-apply-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": [lb, "benefits-apply", f"{CL}/{SVC}", SVC]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount",
                                "dimensions": {"LoadBalancer": lb}}]}
    return sc
