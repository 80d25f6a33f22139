"""03: carrier webhook API 5xx, the ingest function's role lost a permission (Node, us-west-2).
04: warehouse scan gateway 5xx behind an ALB, one PHP instance's root volume full (eu-central-1)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, nginx

from .kit import (S, alb_metrics, apigw_metrics, ec2_metrics, emit, every, lam_metrics, lambda_logs,
                  pick, shift_load)

CARRIERS = ["dhl-express", "ups", "fedex", "ontrac", "lasership", "gls-us", "veho"]


def build03() -> S:
    sc = S(3, "partner-webhook-5xx", "Carrier partners report 5xx responses on tracking webhooks; the "
           "partner-hooks API 5XX alarm fired.", "us-west-2", 7403, "2026-03-11T15:05:00+00:00",
           front="front (API Gateway)", decoys="code deploy on label-render 20 s before onset; steady 401 "
           "signature rejections; the ingest function's Errors metric stays at 0")
    api, fn, other = "partner-hooks", "carrier-event-ingest", "label-render"
    role = "carrier-event-ingest-role"
    sc.resource("apigateway", api, api_id="k3v9qz2w1d", stage="prod", endpoint_type="REGIONAL")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=15, memory_size=512,
                role=f"arn:aws:iam::{sc.account}:role/{role}")
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=60, memory_size=1536)
    onset = -3380
    bad = lambda t: 1.0 if t >= onset else 0.0
    load = lambda t: shift_load(sc, t, starts=(14.0,), height=0.5, width=0.9)
    rate = lambda t: 95 * load(t)
    sq = lambda t: 0.92 * bad(t)  # share of events that need the queue write (all but pings)
    apigw_metrics(sc, api, count=lambda t: rate(t), e4xx=lambda t: 3.2,
                  e5xx=lambda t: 0.1 + rate(t) * sq(t), lat=lambda t: 120 - 40 * bad(t),
                  integ=lambda t: 104 - 40 * bad(t))
    v = lam_metrics(sc, fn, inv=lambda t: rate(t) - 3.2, err=lambda t: 0.0, dur=lambda t: 96 - 40 * bad(t))
    v2 = lam_metrics(sc, other, inv=lambda t: 14 * load(t), err=lambda t: 0.0, dur=lambda t: 2300.0)
    queue = f"arn:aws:sqs:us-west-2:{sc.account}:carrier-events"

    def body(ll, t, rid, is_err, cold):
        c = pick(sc, CARRIERS)
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"webhook received carrier={c} events={sc.rng.randint(1, 12)}"))]
        if sc.rng.random() < 0.035:
            lines.append((0.006, ll.fmt(t, rid, "WARN", f"signature mismatch for carrier={c}; responding 401")))
            return {"dur": sc.rng.uniform(8, 20), "lines": lines}
        if t >= onset and sc.rng.random() < 0.93:
            err = (f"AccessDenied: User: arn:aws:sts::{sc.account}:assumed-role/{role}/{fn} is not authorized "
                   f"to perform: sqs:SendMessage on resource: {queue} because no identity-based policy "
                   "allows the sqs:SendMessage action")
            lines.append((0.04, ll.fmt(t + 0.04, rid, "ERROR", "failed to enqueue tracking events " + jline(
                {"name": "AccessDenied", "$fault": "client", "$metadata": {"httpStatusCode": 403,
                 "requestId": sc.uuid(), "attempts": 1}, "message": err}))))
            lines.append((0.045, ll.fmt(t + 0.045, rid, "INFO", "responding 503 to carrier (retryable)")))
            return {"dur": sc.rng.uniform(45, 70), "lines": lines}
        lines.append((0.07, ll.fmt(t + 0.07, rid, "INFO", f"enqueued {sc.rng.randint(1, 12)} events "
                                                          f"to carrier-events in {sc.rng.randint(18, 60)} ms")))
        return {"dur": sc.rng.uniform(70, 130), "lines": lines}

    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 15, prewarm=-17400, mem_used=(118, 9), life=(1800, 5400))
    lambda_logs(sc, ll, v, body, per_min=2.5)

    def body2(ll2, t, rid, is_err, cold):
        return {"dur": sc.rng.uniform(1700, 3100),
                "lines": [(0.02, ll2.fmt(t, rid, "INFO", f"rendered ZPL label for shipment 1Z{sc.hexid(12).upper()} "
                                                         f"({sc.rng.randint(1, 4)} pages)"))]}
    ll2 = LambdaLogs(sc, other, "nodejs20.x", 1536, 60, prewarm=-17400, retire=(-3400,),
                     epochs=((-10 ** 9, "$LATEST"),))
    lambda_logs(sc, ll2, v2, body2, per_min=0.8)
    g = "API-Gateway-Execution-Logs_k3v9qz2w1d/prod"
    st = sc.hexid(32)

    def exec_line(t):
        r = sc.uuid()
        if t >= onset and sc.rng.random() < 0.9:
            return [f"({r}) Method completed with status: 503"]
        if sc.rng.random() < 0.04:
            return [f"({r}) Method completed with status: 401"]
        return [f"({r}) Method completed with status: 202"]
    emit(sc, g, st, lambda t: 1.5, exec_line)
    sc.change(-3420, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-ci")
    sc.change(-3400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "gh-actions-labels")
    sc.change(-14200, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "terraform-ci")
    sc.alarm("partner-hooks-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Carrier webhook API returning 5xx")
    sc.alarm("carrier-event-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 1,
             "GreaterThanThreshold")
    sc.expect_rc("partner-hooks-5xx", "permission_denied", [fn],
                 [("AWS/ApiGateway", "5XXError", {"ApiName": api})])
    sc.meta["story"] = (
        "At 14:08 terraform-ci rewrote the inline policy of `carrier-event-ingest-role` (PutRolePolicy). "
        "From that minute the Node ingest function logs `AccessDenied ... is not authorized to perform: "
        "sqs:SendMessage on resource: ...:carrier-events` for almost every webhook and answers 503, which is "
        "what the partner-hooks API reports as 5XXError. The function catches the error, so its own Errors "
        "metric stays at zero and its Duration falls; the evidence is in its logs. The label-render deploy "
        "20 s later is the change nearest the onset but that function keeps working, and the 401 signature "
        "rejections are the same 3-4 a minute as all day.")
    sc.meta["judgement"] = ("The change is on an IAM role, which is not one of the resource types; the origin "
                            "is the function running under that role.")
    return sc


def build04() -> S:
    sc = S(4, "scan-gateway-5xx", "Dock scanners at the Leipzig hub intermittently show 'upload failed'; "
           "the scan gateway ALB target 5xx alarm fired.", "eu-central-1", 7404, "2026-03-12T09:20:00+00:00",
           front="front (ALB)", decoys="target-group attribute change 3 min before onset; a cron CPU spike "
           "on the other instance; steady PHP deprecation notices and legacy-firmware warnings")
    lb = "app/scanhub-alb/3be0c45d91a27f16"
    a, b = "i-04c1e97a2b35d8f60", "i-0f83a62d19c4b7e25"
    onset = -2100
    sc.resource("alb", lb, name="scanhub-alb", scheme="internal")
    sc.resource("ec2", a, name="scan-gw-a", instance_type="c6i.large", root_volume_gb=40, app="php8.2-fpm + nginx")
    sc.resource("ec2", b, name="scan-gw-b", instance_type="c6i.large", root_volume_gb=40, app="php8.2-fpm + nginx")
    load = lambda t: shift_load(sc, t, starts=(6.0, 14.0), height=0.6, width=1.0) * (0.75 if sc.hours(t) < 5.5 else 1)
    full = lambda t: 1.0 if t >= onset else 0.0
    req = lambda t: 520 * load(t)
    alb_metrics(sc, lb, req=req, t5xx=lambda t: 0.15 + 0.47 * req(t) * full(t),
                rt=lambda t: 0.045 + 0.01 * load(t) - 0.015 * full(t), healthy=lambda t: 2.0)
    ec2_metrics(sc, a, cpu=lambda t: 18 * load(t) + (62 if -2400 <= t < -2160 else 0), mem=lambda t: 41.0,
                disk=lambda t: 52.3 + (t + 21600) / 21600 * 0.4)
    ec2_metrics(sc, b, cpu=lambda t: 18 * load(t) - 7 * full(t), mem=lambda t: 43.0,
                disk=lambda t: min(100.0, 81.0 + 19.0 * (t + 21600) / (onset + 21600)))
    sscc = lambda: f"00{sc.rng.randint(10 ** 15, 10 ** 16 - 1)}"
    docks = [f"D{n:02d}" for n in range(1, 25)]

    def access(iid):
        def line(t):
            bad = iid == b and t >= onset and sc.rng.random() < 0.95
            path = wpath = pick(sc, ["/api/v2/scans", "/api/v2/scans", "/api/v2/scans/batch", "/api/v2/heartbeat"])
            st = 500 if bad and wpath != "/api/v2/heartbeat" else 200
            return nginx(sc, t, sc.ip("10.64"), "POST" if "scans" in path else "GET", path, st,
                         180 if st == 500 else sc.rng.randint(60, 240), sc.rng.uniform(0.012, 0.09),
                         ua=pick(sc, ["Zebra-TC52/11 ScanHubClient/4.3.1", "Zebra-TC52/11 ScanHubClient/4.2.0",
                                      "Honeywell-CT40/10 ScanHubClient/4.3.1"]))
        return line

    def app(iid):
        def line(t):
            d = sc.at(t).strftime("%Y-%m-%dT%H:%M:%S.%f") + "+00:00"
            r = sc.rng.random()
            if r < 0.05:
                return f"[{d}] scanhub.WARNING: legacy payload from firmware 4.2, upconverting {{\"dock\":\"{pick(sc, docks)}\"}} []"
            if iid == b and t >= onset and r < 0.9:
                return (f"[{d}] scanhub.ERROR: spool write failed {{\"sscc\":\"{sscc()}\",\"exception\":\"[object] "
                        "(RuntimeException(code: 0): file_put_contents(/var/spool/scanhub/"
                        f"{sc.hexid(12)}.json): Failed to open stream: No space left on device at "
                        "/srv/scanhub/src/Spool/FileSpool.php:48)\"}} []")
            return f"[{d}] scanhub.INFO: scan accepted {{\"sscc\":\"{sscc()}\",\"dock\":\"{pick(sc, docks)}\",\"ms\":{sc.rng.randint(6, 40)}}} []"
        return line

    def fpm(iid):
        def line(t):
            d = sc.at(t).strftime("%d-%b-%Y %H:%M:%S")
            if iid == b and t >= onset and sc.rng.random() < 0.5:
                return (f"[{d} UTC] WARNING: [pool www] child {sc.rng.randint(2000, 9000)} said into stderr: "
                        "\"PHP Warning:  session_start(): open(/var/lib/php/sessions/sess_"
                        f"{sc.hexid(26)}, O_RDWR) failed: No space left on device (28) in "
                        "/srv/scanhub/public/index.php on line 17\"")
            return (f"[{d} UTC] WARNING: [pool www] child {sc.rng.randint(2000, 9000)} said into stderr: \"PHP "
                    "Deprecated:  Creation of dynamic property ScanHub\\Dto\\Scan::$legacyDock is deprecated in "
                    "/srv/scanhub/src/Dto/Scan.php on line 31\"")
        return line

    for iid in (a, b):
        emit(sc, "/scanhub/nginx/access", iid, lambda t: 3.0 * load(t), access(iid))
        emit(sc, "/scanhub/app", iid, lambda t: 2.0 * load(t), app(iid))
        emit(sc, "/scanhub/php-fpm", iid, lambda t: 0.25 + (1.5 if iid == b and t >= onset else 0), fpm(iid))
    every(sc, "/scanhub/app", a, 3600, lambda t: (
        f"[{sc.at(t).strftime('%Y-%m-%dT%H:%M:%S.%f')}+00:00] scanhub.INFO: cron inventory-reconcile started {{}} []"
        if -2400 <= t < -2340 else None), start=-2395)
    sc.log("/scanhub/app", a, -2160, f"[{sc.at(-2160).strftime('%Y-%m-%dT%H:%M:%S.%f')}+00:00] scanhub.INFO: "
           "cron inventory-reconcile finished {\"rows\":184211,\"seconds\":239} []")
    sc.change(-2280, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "scanhub-tg", "m.keller")
    sc.change(-19800, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", b, "m.keller")
    sc.alarm("scanhub-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 20, "GreaterThanThreshold", "Scan gateway targets returning 5xx")
    sc.alarm("scan-gw-a-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": a}, "Average", 300, 1, 70,
             "GreaterThanThreshold")
    sc.expect_rc("scanhub-alb-target-5xx", "storage_exhaustion", [b, "scan-gw-b"],
                 [("CWAgent", "disk_used_percent", {"InstanceId": b, "path": "/", "fstype": "xfs"})])
    sc.meta["story"] = (
        "The root volume of scan-gw-b has been filling steadily all morning (disk_used_percent 81 % six hours "
        "ago, 100 % from 08:45) while scan-gw-a sits at 52 %. From then on about half of the ALB's requests "
        "fail: every 500 in the access logs comes from scan-gw-b, whose Monolog lines say `spool write failed "
        "... file_put_contents(...): Failed to open stream: No space left on device` and whose PHP-FPM log "
        "adds session `No space left on device (28)` warnings. The target-group attribute change three "
        "minutes before the onset and the inventory-reconcile CPU spike on scan-gw-a are nearer in time but "
        "touch nothing that fails; the PHP deprecation notices and firmware-4.2 warnings run all day on both.")
    return sc


BUILDERS = [build03, build04]
