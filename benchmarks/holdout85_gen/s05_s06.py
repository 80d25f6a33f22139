"""h85-05 (eu-west-1, env-var edit breaks iOS offer pushes) and h85-06 (ap-south-1, IAM policy
change denies the KYC function its document bucket)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import LambdaLogs

from .kit import (H85, bump, ct, ecs_metrics, lambda_deploy, lambda_metrics, ramp, rds_metrics,
                  sample, step)


def build_05() -> H85:
    sc = H85(5, "offer-push-errors",
             "Drivers on iPhones stopped receiving ride offers in Dublin and Cork; offer push errors alarm.",
             "eu-west-1", 8505, "2026-02-03T08:40:00+00:00", {
                 "front": "origin", "runtime": "Node.js 20 (Lambda plain text)",
                 "decoys": "deploy of another function 80 s before the edit; same function's code deploy "
                           "2.5 h earlier (clean); pre-existing FCM 503 errors; CPU spike on the caller",
             })
    fn, other, cl, router = "offer-push", "rating-aggregator", "dispatch", "offer-router"
    sc.resource("lambda", fn, runtime="nodejs20.x", memory_size=512, timeout=15,
                environment_keys=["PUSH_PROVIDERS", "FCM_PROJECT_ID", "APNS_KEY_ID", "APNS_TEAM_ID",
                                  "PUSH_TTL_SECONDS"])
    sc.resource("lambda", other, runtime="nodejs20.x", memory_size=256, timeout=30)
    sc.resource("ecs", f"{cl}/{router}", launch_type="FARGATE", desired_count=3, cpu=512, memory=1024)
    edit, code = -2050, -9000
    sc.meta["onset"] = edit

    def inv(t):
        return 70 * (1 + 0.8 * ramp(t, -12000, -3000))

    def ios(t):
        return 0.44 * inv(t) * step(t, edit + 5, 0, 1)

    lm = lambda_metrics(sc, fn, inv, err=lambda t: 0.35 + ios(t), dur=lambda t: 180 - 60 * step(t, edit, 0, 1) * 0.44)
    lambda_metrics(sc, other, inv=12.0, dur=640.0)
    ecs_metrics(sc, cl, router, cpu=lambda t: 24 + 14 * ramp(t, -12000, -3000) + bump(t, -6300, -5700, 45, 120),
                mem=51.0, running=3)

    rng = sc.rng
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 15, mem_used=(118, 9), retire=[code, edit])
    topic = "com.ridelane.driver"

    def body(ll, t, rid, is_err, cold):
        lines, init = [], []
        after = t >= edit
        if cold:
            init.append((0.05, ll.fmt(t, "undefined", "info",
                                      f"push config loaded: providers=fcm,apns ttl=30s "
                                      f"apnsTopic={'undefined' if after else topic} region=eu-west-1")))
        drv = f"drv_{rng.randint(10 ** 6, 10 ** 7)}"
        offer = f"OFR-{rng.randint(10 ** 7, 10 ** 8)}"
        if is_err and after:
            err = {"errorType": "ConfigError",
                   "errorMessage": "APNS_TOPIC is not set (required for platform=ios)",
                   "stack": ["ConfigError: APNS_TOPIC is not set (required for platform=ios)",
                             "    at resolveApnsTopic (/var/task/dist/providers/apns.js:41:11)",
                             "    at sendOffer (/var/task/dist/handler.js:88:23)",
                             "    at Runtime.handler (/var/task/dist/handler.js:27:12)"]}
            d = rng.uniform(6, 25)
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "error", "Invoke Error \t" + json.dumps(err))))
            return {"lines": lines, "init_lines": init, "dur": d, "status": "error",
                    "error_type": "ConfigError"}
        if is_err:
            err = {"errorType": "ProviderError", "errorMessage": "FCM responded 503 UNAVAILABLE "
                   "(retry budget exhausted after 3 attempts)",
                   "stack": ["ProviderError: FCM responded 503 UNAVAILABLE (retry budget exhausted after 3 attempts)",
                             "    at FcmClient.send (/var/task/dist/providers/fcm.js:73:15)"]}
            d = rng.uniform(2100, 3400)
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "error", "Invoke Error \t" + json.dumps(err))))
            return {"lines": lines, "init_lines": init, "dur": d, "status": "error",
                    "error_type": "ProviderError"}
        plat = "android" if (after or rng.random() < 0.56) else rng.choice(["ios", "android"])
        d = max(40.0, rng.gauss(175, 45))
        if rng.random() < 0.12:
            lines.append((0.01, ll.fmt(t + 0.01, rid, "warn", f"FCM token unregistered for {drv}; pruning")))
        lines.append((d / 1000 - 0.002, ll.fmt(t + d / 1000, rid, "info",
                                              f"offer {offer} pushed to {drv} platform={plat} "
                                              f"city={rng.choice(['dublin', 'dublin', 'cork', 'galway'])} "
                                              f"latencyMs={int(d - 8)}")))
        return {"lines": lines, "init_lines": init, "dur": d}

    ll.run(sample(sc, lm["Invocations"], 0.16), sample(sc, lm["Errors"], 0.16), body)

    ol = LambdaLogs(sc, other, "nodejs20.x", 256, 30, retire=[edit - 80])

    def rating(ll, t, rid, is_err, cold):
        d = rng.gauss(640, 90)
        return {"lines": [(d / 1000, ll.fmt(t + d / 1000, rid, "info",
                                           f"aggregated {rng.randint(20, 400)} ratings for window "
                                           f"{sc.at(t).strftime('%H:%M')}"))], "dur": d}

    ol.run(sample(sc, list(sc.value_at("AWS/Lambda", "Invocations", {"FunctionName": other}).values()), 0.5),
           {}, rating)

    lambda_deploy(sc, code, fn, "gh-actions-deployer")
    lambda_deploy(sc, edit - 80, other, "gh-actions-deployer")
    ct(sc, edit, "lambda_config", fn, "elena.kovacs")

    sc.alarm("offer-push-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Driver offer push failures")
    sc.alarm("rating-aggregator-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300, 1, 3,
             "GreaterThanThreshold")
    sc.expect_("offer-push-errors", "config_change", [fn],
               [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta["story"] = (
        f"`{fn}` (Node 20) sends ride offers to drivers through FCM and APNs. {-edit // 60} min ago "
        f"`elena.kovacs` ran UpdateFunctionConfiguration on it; every environment was recycled and the "
        f"new cold starts log `push config loaded: ... apnsTopic=undefined` where the old ones said "
        f"`apnsTopic={topic}`. From then on every iOS push fails with `ConfigError: APNS_TOPIC is not "
        f"set (required for platform=ios)` - about 44 % of invocations - while Android pushes keep "
        f"working. `{other}` was deployed 80 s earlier, and `{fn}` itself had a code deploy 2.5 h "
        f"earlier after which it ran cleanly. The `FCM responded 503` errors and unregistered-token "
        f"warnings are present at the same low rate for the whole window.")
    sc.meta["judgement"] = (
        "Errors name a missing setting right after a configuration update of the same function, "
        "so `config_change` on the function; the earlier code deploy is not shortly before onset.")
    return sc


def build_06() -> H85:
    sc = H85(6, "kyc-verify-errors",
             "New-driver document checks stuck in 'pending' in Hyderabad and Pune; the KYC verifier "
             "errors alarm fired.",
             "ap-south-1", 8506, "2026-01-15T06:10:00+00:00", {
                 "front": "origin", "runtime": ".NET 8 (Lambda plain text)",
                 "decoys": "deploy of a sibling function shortly before; pre-existing Textract throttle "
                           "warnings; same function deployed 3.3 h earlier (clean); DB spike earlier",
             })
    fn, other, db = "driver-kyc-verify", "selfie-match", "onboarding-pg"
    role = f"{fn}-exec"
    sc.resource("lambda", fn, runtime="dotnet8", memory_size=1024, timeout=30, role=role,
                event_source="sqs:kyc-documents")
    sc.resource("lambda", other, runtime="python3.12", memory_size=2048, timeout=20)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.t4g.large",
                max_connections=450, allocated_storage_gb=100)
    change, code = -2600, -12000
    sc.meta["onset"] = change
    bucket = "kyc-docs-aps1-prod"
    acct = sc.account

    def inv(t):
        return 14 * (1 + 0.3 * ramp(t, -15000, -6000))

    lm = lambda_metrics(sc, fn, inv, err=lambda t: 0.93 * inv(t) * step(t, change + 20, 0, 1),
                        dur=lambda t: 2400 - 2200 * step(t, change + 20, 0, 1))
    lambda_metrics(sc, other, inv=lambda t: 9 * (1 + 0.3 * ramp(t, -15000, -6000)), dur=1350.0)
    rds_metrics(sc, db, cpu=lambda t: 12 + bump(t, -10200, -9600, 55, 120), conns=34, free_gb=61.0,
                mem_gb=3.4)

    rng = sc.rng
    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 30, mem_used=(212, 14), retire=[code])
    docs = ["licence-front.jpg", "licence-back.jpg", "rc-book.pdf", "aadhaar-masked.pdf", "permit.pdf"]

    def body(ll, t, rid, is_err, cold):
        drv = f"DRV{rng.randint(10 ** 6, 10 ** 7)}"
        doc = rng.choice(docs)
        lines = [(0.01, ll.fmt(t + 0.01, rid, "info", f"Verifying {doc} for {drv} (city={rng.choice(['HYD', 'PNQ', 'BLR'])})"))]
        if is_err:
            d = rng.uniform(120, 260)
            key = f"drivers/{drv}/{doc}"
            msg = (f"Amazon.S3.AmazonS3Exception: User: arn:aws:sts::{acct}:assumed-role/{role}/{fn} is not "
                   f"authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::{bucket}/{key}\" because "
                   f"no identity-based policy allows the s3:GetObject action\n"
                   f" ---> Amazon.Runtime.Internal.HttpErrorResponseException: Exception of type "
                   f"'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.\n"
                   f"   at Amazon.Runtime.HttpWebRequestMessage.ProcessHttpResponseMessage(HttpResponseMessage responseMessage)\n"
                   f"   at Amazon.S3.AmazonS3Client.GetObjectAsync(GetObjectRequest request, CancellationToken cancellationToken)\n"
                   f"   at Onboarding.Kyc.DocumentStore.OpenAsync(String key) in /src/Kyc/DocumentStore.cs:line 57\n"
                   f"   at Onboarding.Kyc.Function.FunctionHandler(SQSEvent evnt, ILambdaContext context) in "
                   f"/src/Kyc/Function.cs:line 44")
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "error", msg)))
            return {"lines": lines, "dur": d}
        d = max(600.0, rng.gauss(2400, 500))
        if rng.random() < 0.18:
            lines.append((0.4, ll.fmt(t + 0.4, rid, "warn",
                                      "Textract AnalyzeDocument throttled (ProvisionedThroughputExceededException), "
                                      f"retry {rng.randint(1, 3)}/5 in {rng.choice([200, 400, 800])}ms")))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "info",
                                      f"{drv} {doc}: verdict={rng.choice(['PASS', 'PASS', 'PASS', 'MANUAL_REVIEW'])} "
                                      f"confidence={rng.uniform(0.7, 0.99):.2f} elapsedMs={int(d)}")))
        return {"lines": lines, "dur": d}

    ll.run(sample(sc, lm["Invocations"], 0.45), sample(sc, lm["Errors"], 0.45), body)

    sl = LambdaLogs(sc, other, "python3.12", 2048, 20, retire=[change - 300])

    def selfie(ll, t, rid, is_err, cold):
        d = rng.gauss(1350, 200)
        return {"lines": [(d / 1000, ll.fmt(t + d / 1000, rid, "info",
                                           f"face match score={rng.uniform(0.6, 0.99):.3f} liveness=ok"))], "dur": d}

    sl.run(sample(sc, list(sc.value_at("AWS/Lambda", "Invocations", {"FunctionName": other}).values()), 0.4),
           {}, selfie)

    lambda_deploy(sc, code, fn, "azure-devops-release")
    lambda_deploy(sc, change - 300, other, "azure-devops-release")
    ct(sc, change, "iam_put", role, "terraform-ci")

    sc.alarm("driver-kyc-verify-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "KYC verifier failures")
    sc.alarm("onboarding-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 1,
             60, "GreaterThanThreshold")
    sc.expect_("driver-kyc-verify-errors", "permission_denied", [fn],
               [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta["story"] = (
        f"`{fn}` (.NET 8, SQS-driven) pulls driver documents from S3 and runs Textract. "
        f"{-change // 60} min ago `terraform-ci` issued PutRolePolicy on its execution role `{role}`; "
        f"within seconds almost every invocation ends with `AmazonS3Exception: ... is not authorized to "
        f"perform: s3:GetObject ... because no identity-based policy allows the s3:GetObject action` "
        f"and Errors jumps from zero to the invocation rate. `{other}` was deployed five minutes before "
        f"the policy change and stays healthy; `{fn}`'s own code deploy was 3.3 h earlier and clean. "
        f"The Textract `ProvisionedThroughputExceededException` retry warnings have been there at the "
        f"same rate all day (Throttles is zero), and the DB CPU spike and its alarm are from 2.7 h ago.")
    sc.meta["judgement"] = (
        "The changed resource is the IAM role, which is not a resource of the scenario; the fault "
        "surfaces in, and is scoped to, the function, so the function is the origin.")
    return sc


BUILDERS = [build_05, build_06]
