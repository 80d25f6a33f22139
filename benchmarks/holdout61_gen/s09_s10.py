"""h61-09 (win-back push sender loses sns:Publish) and h61-10 (clip uploads fill one web node's disk)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import emit, lambda_set, part, put, sampled
from .runtimes import LambdaLogs, jline, nginx


# --------------------------------------------------------------------------- 09
def s09() -> Scenario:
    sc = Scenario(9, "winback-push-sender", "Win-back push campaign not reaching devices; sender "
                  "Errors alarm.", "us-east-2", 6109, "2026-07-11T23:10:00+00:00")
    fn, dec, role = "reengage-sender", "reengage-scheduler", "reengage-sender-exec"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=30, memory_size=256,
                role=role, trigger="SQS reengage-sends (batch 25)")
    sc.resource("lambda", dec, runtime="nodejs20.x", timeout=300, memory_size=512)
    IAM, CAMP, DAILY = -2400, -2100, -14400

    def inv(t):
        return 45 * diurnal(sc, t, 23.0, 0.2) * (1 + bump(t, DAILY, DAILY + 1800, 6.0, 120)
                                                 + bump(t, CAMP, 900, 14.0, 120))

    def err(t):
        return 0.004 + (0.99 if t >= IAM + 10 else 0.0)

    out = lambda_set(sc, fn, inv, err, lambda t: 380 - 250 * (t >= IAM + 10))
    dd = {"FunctionName": dec}
    put(sc, "AWS/Lambda", "Invocations", dd, "Count",
        lambda t: 1 + 3 * bump(t, CAMP - 120, CAMP + 60, 1, 30) + 3 * bump(t, DAILY - 120, DAILY + 60, 1, 30),
        integer=True)
    put(sc, "AWS/Lambda", "Errors", dd, "Count", lambda t: 0.0, integer=True)
    put(sc, "AWS/Lambda", "Duration", dd, "Milliseconds", lambda t: 48000.0, noise=0.2)

    ll = LambdaLogs(sc, fn, "nodejs20.x", 256, 30, mem_used=(104, 6))
    rng = sc.rng

    def body(ll, t, rid, is_err, cold):
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"batch received records=25 campaign="
                                f"{'winback_0711' if t >= CAMP else 'transactional'}"))]
        ep = f"arn:aws:sns:us-east-2:{sc.account}:endpoint/APNS/reengage-ios/{sc.uuid()}"
        if rng.random() < 0.25:
            lines.append((0.05, ll.fmt(t, rid, "WARN", f"EndpointDisabled: Endpoint is disabled "
                                       f"({ep}); dropping token")))
        if is_err and t >= IAM + 10:
            e = {"errorType": "AuthorizationErrorException", "errorMessage":
                 f"User: arn:aws:sts::{sc.account}:assumed-role/{role}/{fn} is not authorized to "
                 f"perform: SNS:Publish on resource: {ep} because no identity-based policy allows "
                 f"the SNS:Publish action", "name": "AuthorizationErrorException",
                 "$fault": "client", "$metadata": {"httpStatusCode": 403, "requestId": sc.uuid(),
                                                   "attempts": 1}}
            lines.append((0.09, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + jline(e))))
            return {"lines": lines, "dur": rng.uniform(90, 160)}
        if is_err:
            e = {"errorType": "InvalidParameterException", "errorMessage": "Invalid parameter: "
                 "TargetArn Reason: No endpoint found for the target arn specified",
                 "name": "InvalidParameterException", "$fault": "client"}
            lines.append((0.2, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + jline(e))))
            return {"lines": lines, "dur": rng.uniform(200, 300)}
        lines.append((0.35, ll.fmt(t, rid, "INFO", f"published {rng.randint(22, 25)}/25 "
                                   f"notifications in {rng.randint(250, 420)}ms")))
        return {"lines": lines, "dur": max(150.0, rng.gauss(380, 60))}
    si, se = sampled(sc, out["inv"], out["err"], 0.05, cap=5)
    ll.run(si, se, body)
    sc.change(IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "secops-automation")
    sc.change(-2370, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              dec, "gha-deploy")
    sc.change(-16000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "dana.w")
    sc.alarm("reengage-sender-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Push sender failures")
    sc.alarm("reengage-scheduler-errors", "AWS/Lambda", "Errors", dd, "Sum", 300, 1, 0,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "reengage-sender-errors",
                 "root_cause": {"category": "permission_denied", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="origin", services="Lambda (Node), IAM",
                   decoys="scheduler deploy 30 s after the IAM edit; the 15x campaign right after; "
                          "sender config change 4 h earlier; steady EndpointDisabled/InvalidParameter")
    return sc


# --------------------------------------------------------------------------- 10
def s10() -> Scenario:
    sc = Scenario(10, "final-highlight-uploads", "Clip uploads and some page loads failing after "
                  "the tournament final; ALB target 5XX alarm.", "sa-east-1", 6110,
                  "2026-12-13T22:50:00+00:00")
    lb, lbn = "app/clips-web/5e0a9c7b3d21f468", "clips-web"
    i1, i2 = "i-0e53b9a1c7d24f086", "i-0a91f2c6e0b7d3548"
    sc.resource("alb", lb, name=lbn, scheme="internet-facing", idle_timeout=60)
    for i, n, gb in ((i1, "clips-1", 100), (i2, "clips-2", 200)):
        sc.resource("ec2", i, name=n, instance_type="m6i.large", root_volume_gb=gb,
                    stack="nginx 1.24 + php-fpm 8.2 (Laravel 10)",
                    log_groups=["/clips/nginx/access", "/clips/laravel"])
    FINAL, FULL, AFTERNOON = -3000, -1500, -12000

    def load(t):
        return diurnal(sc, t, 22.0, 0.25) * (1 + bump(t, AFTERNOON, AFTERNOON + 2400, 1.0, 300))

    def up(t):
        return 1 + 3.5 * ramp(t, FINAL, FINAL + 300)

    def full(t):
        return 1.0 if t >= FULL else 0.0

    lbd = {"LoadBalancer": lb}
    rc = put(sc, "AWS/ApplicationELB", "RequestCount", lbd, "Count",
             lambda t: 3000 * load(t) + 400 * load(t) * up(t), integer=True)
    part(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lbd, rc,
         lambda t: 0.0008 + 0.21 * full(t))
    part(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lbd, rc, lambda t: 0.0001)
    part(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", lbd, rc, lambda t: 0.02)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", lbd, "Seconds",
        lambda t: 0.18 + 0.05 * up(t) - 0.06 * full(t), noise=0.08, digits=4)
    d1 = {"InstanceId": i1, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"}
    d2 = {"InstanceId": i2, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"}
    put(sc, "CWAgent", "disk_used_percent", d1, "Percent",
        lambda t: min(100.0, 71.2 + 0.00025 * (t + 21600)
                      + 24.0 * min(1.0, max(0.0, (t - FINAL - 60) / (FULL - FINAL - 60)) ** 1.1)),
        noise=0.0, abs_noise=0.03, cap=100.0)
    put(sc, "CWAgent", "disk_used_percent", d2, "Percent",
        lambda t: 40.8 + 0.0002 * (t + 21600) + 14 * ramp(t, FINAL, FULL), noise=0.0,
        abs_noise=0.03)
    for i in (i1, i2):
        put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": i}, "Percent",
            lambda t: 21 * load(t) + 6 * up(t) - 8 * full(t) * (i == i1), noise=0.07)
        put(sc, "CWAgent", "mem_used_percent", {"InstanceId": i}, "Percent", lambda t: 58.0,
            noise=0.02)

    rng = sc.rng
    for inst, host in ((i1, "10.70.1.23"), (i2, "10.70.2.57")):
        def acc(t, inst=inst):
            r = rng.random()
            ip = f"{rng.randint(177, 201)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            ua = "ClipsApp/5.8.1 (Android 14)" if r < 0.6 else "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1)"
            bad = inst == i1 and t >= FULL
            if r < upshare(t):
                if rng.random() < 0.04:
                    return nginx(sc, t, ip, "POST", "/api/clips/upload", 413, 183, 0.002, ua)
                return nginx(sc, t, ip, "POST", "/api/clips/upload",
                             500 if bad and rng.random() < 0.92 else 201,
                             rng.randint(300, 700), rng.uniform(0.8, 4.0), ua)
            path = rng.choice(["/", "/clips/trending", "/api/clips/feed?page=2", "/login",
                               f"/c/{sc.hexid(8)}"])
            st = 500 if bad and rng.random() < 0.3 else 200
            return nginx(sc, t, ip, "GET", path, st, rng.randint(900, 40000) if st == 200 else 612,
                         rng.uniform(0.02, 0.3), ua)

        def upshare(t):
            return 0.12 * up(t) / (1 + 0.12 * up(t))
        emit(sc, "/clips/nginx/access", inst, lambda t: 4.0, acc)

        def lar(t, inst=inst):
            d = sc.at(t).strftime("%Y-%m-%d %H:%M:%S")
            if inst == i1 and t >= FULL:
                f = rng.choice([f"/var/www/clips/storage/app/chunks/{sc.hexid(12)}.part",
                                f"/var/www/clips/storage/framework/sessions/{sc.hexid(40)}"])
                fn = "fwrite(): Write of 8192 bytes failed with errno=28 No space left on device" \
                    if f.endswith(".part") else f"file_put_contents({f}): Failed to open stream: " \
                    "No space left on device"
                return (f"[{d}] production.ERROR: {fn} {{\"exception\":\"[object] (ErrorException(code: "
                        f"0): {fn} at /var/www/clips/vendor/laravel/framework/src/Illuminate/"
                        f"Filesystem/Filesystem.php:204)\"}}")
            if rng.random() < 0.6:
                return (f"[{d}] production.WARNING: Creation of dynamic property App\\Models\\Clip::"
                        f"$thumb_url is deprecated in /var/www/clips/app/Models/Clip.php on line 88")
            return (f"[{d}] production.INFO: clip {sc.hexid(10)} stored "
                    f"({rng.randint(8, 140)} MB, {rng.randint(10, 60)} s)")
        emit(sc, "/clips/laravel", inst, lambda t, inst=inst: 2.0 + (6.0 if inst == i1 and t >= FULL
                                                                      else 0.0), lar)
    sc.change(-1620, "elasticloadbalancing.amazonaws.com", "ModifyLoadBalancerAttributes",
              "AWS::ElasticLoadBalancingV2::LoadBalancer", lb, "rafael.m")
    sc.change(-19800, "ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume",
              "vol-0c3e8a1f27b94d605", "dlm-policy")
    sc.alarm("clips-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lbd, "Sum",
             60, 3, 30, "GreaterThanThreshold", "Clips web target 5XX")
    sc.alarm("clips-1-root-disk", "CWAgent", "disk_used_percent", d1, "Maximum", 300, 1, 90,
             "GreaterThanThreshold")
    sc.alarm("clips-2-root-disk", "CWAgent", "disk_used_percent", d2, "Maximum", 300, 1, 90,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "clips-web-target-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [i1, "clips-1"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": d1}]}
    sc.meta = dict(front="front (ALB)", services="ALB, EC2 (PHP/Laravel, nginx access logs)",
                   decoys="ALB attribute change 2 min before onset; the post-final upload wave "
                          "(4.5x uploads); afternoon traffic peak; steady PHP deprecation warnings "
                          "and 413s")
    return sc
