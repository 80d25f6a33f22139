"""h66-09 (hourly FHIR bulk export, KMS denied) and h66-10 (refill notifier vs partner network)."""
from __future__ import annotations

from .common import bump
from .kit import M, jl, meta, minutes, new_scenario, sprinkle
from .runtimes import LambdaLogs


def build_09():
    sc = new_scenario(9, "fhir-export-hourly", "Hourly FHIR bulk export failing for every tenant; "
                      "Lambda Errors alarm.", "eu-central-1", 6609, "2026-03-17T04:22:00+00:00")
    T0, IAM = -420, -1800  # 04:15 run, 03:52 policy update
    fn, other, arch = "fhir-bulk-export", "consent-registry-sync", "audit-archive"
    sc.resource("lambda", fn, runtime="java21", timeout=600, memory_size=2048,
                schedule="cron(15 * * * ? *)", role="fhir-export-exec-role")
    sc.resource("lambda", other, runtime="java21", timeout=120, memory_size=1024)
    sc.resource("lambda", arch, runtime="python3.12", timeout=900, memory_size=1024,
                schedule="cron(0 4 * * ? *)")
    run = lambda t: sc.at(t).minute in (15, 16, 17, 18)
    retry = lambda t: t >= T0 and sc.at(t).minute in (16, 17, 18, 19, 20)
    dl = {"FunctionName": fn}
    inv = M(sc, "AWS/Lambda", "Invocations", dl, "Count",
            lambda t: (10 if run(t) else 0) + (8 if retry(t) else 0), integer=True)
    errs = {t: (v if t >= T0 else 0) for t, v in inv.items()}
    sc.metric("AWS/Lambda", "Errors", dl, "Count", list(errs.values()))
    M(sc, "AWS/Lambda", "Duration", dl, "Milliseconds",
      lambda t: (3100 if t >= T0 else 48000) if inv.get((int(t) // 60) * 60) else None, noise=0.15)
    M(sc, "AWS/Lambda", "ConcurrentExecutions", dl, "Count", lambda t: 9 if run(t) else 0,
      integer=True)
    M(sc, "AWS/Lambda", "Throttles", dl, "Count", lambda t: 0, integer=True)
    do = {"FunctionName": other}
    M(sc, "AWS/Lambda", "Invocations", do, "Count", lambda t: 3, integer=True)
    M(sc, "AWS/Lambda", "Errors", do, "Count", lambda t: 0.02, integer=True)
    da = {"FunctionName": arch}
    M(sc, "AWS/Lambda", "Invocations", da, "Count", lambda t: 1 if t == -1320 else None)
    M(sc, "AWS/Lambda", "Duration", da, "Milliseconds", lambda t: 702000 if t == -1320 else None)
    # ---- exporter logs (Java)
    ll = LambdaLogs(sc, fn, "java21", 2048, 600, prewarm=-21600, life=(3000, 5000))
    key = "arn:aws:kms:eu-central-1:{}:key/7e1c0b52-90d4-4f2e-a6c3-1b8e5d9f4a20".format(sc.account)

    def body(ll, s, rid, is_err, cold):
        ten = f"tenant-{sc.rng.randint(100, 140)}"
        lines = [(0.01, ll.fmt(s, rid, "info", f"Starting $export tenant={ten} since={sc.at(s - 3600).strftime('%Y-%m-%dT%H:%M:%SZ')}"))]
        if sc.rng.random() < 0.35:
            lines.append((1.2, ll.fmt(s + 1.2, rid, "warn", "Retrying S3 UploadPart after SlowDown "
                                      "(attempt 2/5)")))
        if sc.rng.random() < 0.25:
            lines.append((1.5, ll.fmt(s + 1.5, rid, "error", f"Observation/{sc.rng.randint(10 ** 6, 10 ** 7)} "
                                      "failed validation: Unknown code system 'http://loinc.org|2.73'; "
                                      "written to OperationOutcome")))
        if is_err:
            msg = (f"User: arn:aws:sts::{sc.account}:assumed-role/fhir-export-exec-role/{fn} is not "
                   f"authorized to perform: kms:GenerateDataKey on resource: {key} because no "
                   "identity-based policy allows the kms:GenerateDataKey action (Service: S3, Status "
                   f"Code: 403, Request ID: {sc.hexid(16).upper()})")
            lines.append((2.9, ll.fmt(s + 2.9, rid, "error", f"Export failed tenant={ten}: "
                                      f"software.amazon.awssdk.services.s3.model.S3Exception: {msg}")))
            lines.append((2.95, jl({"errorMessage": msg, "errorType":
                                    "software.amazon.awssdk.services.s3.model.S3Exception", "stackTrace": [
                                        "software.amazon.awssdk.services.s3.DefaultS3Client.createMultipartUpload(DefaultS3Client.java:1554)",
                                        "health.clinic.fhir.export.NdjsonSink.open(NdjsonSink.java:64)",
                                        "health.clinic.fhir.export.ExportHandler.handleRequest(ExportHandler.java:52)"]})))
            return {"lines": lines, "dur": sc.rng.uniform(2800, 3400)}
        d = sc.rng.uniform(30000, 70000)
        lines.append((d / 1000, ll.fmt(s + d / 1000, rid, "info", f"Export complete tenant={ten} "
                                       f"files={sc.rng.randint(4, 12)} resources={sc.rng.randint(2000, 90000)}")))
        return {"lines": lines, "dur": d + 40}
    ll.run(inv, errs, body)
    ol = LambdaLogs(sc, other, "java21", 1024, 120, prewarm=-21600)
    ol.run({t: v for t, v in zip(minutes(-10800), sc.series(lambda t: 2, integer=True, times=minutes(-10800)))},
           {}, lambda ll, s, r, e, c: {"lines": [(0.1, ll.fmt(s, r, "info", "consent delta applied "
                                                          f"n={sc.rng.randint(0, 30)}"))], "dur": 700})
    al = LambdaLogs(sc, arch, "python3.12", 1024, 900, prewarm=-21600)
    al.run({-1320: 1}, {}, lambda ll, s, r, e, c: {"lines": [
        (0.1, ll.fmt(s, r, "info", "Archiving PHI access audit log partition 2026-03-16 (41.2M rows)")),
        (700, ll.fmt(s + 700, r, "info", "Archive written: 36 objects, Glacier IR"))], "dur": 701900})
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", dl, "Sum", 300, 1, 5, "GreaterThanThreshold",
             "FHIR bulk export failures")
    sc.change(-12500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "gha-interop")
    sc.change(IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "fhir-export-exec-role",
              "terraform-iam-baseline")
    sc.change(-1500, "kms.amazonaws.com", "EnableKeyRotation", "AWS::KMS::Key",
              "alias/audit-archive", "terraform-iam-baseline")
    sc.change(-1140, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              other, "gha-consent")
    sc.change(-700, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", other, "gha-consent")
    sc.expect = {"alarm": f"{fn}-errors",
                 "root_cause": {"category": "permission_denied", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": dl}]}
    meta(sc, alarm_pos="origin", services=["Lambda (Java 21)", "IAM", "KMS/S3"],
         decoys=["consent-registry-sync deploy + config change 5-12 min before the run",
                 "04:00 audit archive job", "exporter deploy 3.5 h earlier (clean runs since)",
                 "SlowDown retries and FHIR validation errors every hour"],
         story=(
             "The FHIR bulk export runs hourly at :15, once per tenant. The 00:15-03:15 runs "
             "succeed, including two after the exporter's code deploy. At 03:52 the IAM baseline "
             "pipeline rewrites `fhir-export-exec-role`'s inline policy. The 04:15 run and its "
             "retries then fail every tenant: `is not authorized to perform: kms:GenerateDataKey "
             "... (Service: S3, Status Code: 403)`. The consent-sync changes are closer in time but "
             "to another function, whose metrics are flat. The FHIR validation errors and SlowDown "
             "retries show up every hour."))
    return sc


def build_10():
    sc = new_scenario(10, "refill-notifier-partner", "Prescription refill notifications failing "
                      "after lunch; Lambda Errors alarm.", "us-east-2", 6610, "2026-03-18T13:41:00+00:00")
    T0 = -1980  # 13:08
    fn, rule_fn = "refill-notifier", "refill-batch-planner"
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=30, memory_size=512,
                trigger="sqs:refill-reminders", env_keys=["ERX_HUB_URL", "SMS_FROM"])
    sc.resource("lambda", rule_fn, runtime="ruby3.3", timeout=300, memory_size=512,
                schedule="cron(0 13 * * ? *)")
    batch = lambda t: bump(t, -2400, -1500, 1.0, edge=60)
    out = lambda t: 1.0 if t >= T0 else 0.0
    dl = {"FunctionName": fn}
    inv = M(sc, "AWS/Lambda", "Invocations", dl, "Count", lambda t: 9 + 9 * batch(t), integer=True)
    errs = {t: min(v, round(v * 0.8 * out(t))) for t, v in inv.items()}
    sc.metric("AWS/Lambda", "Errors", dl, "Count", list(errs.values()))
    M(sc, "AWS/Lambda", "Duration", dl, "Milliseconds", lambda t: 640 + 9400 * out(t), noise=0.08)
    M(sc, "AWS/Lambda", "ConcurrentExecutions", dl, "Count", lambda t: 1 + 2 * batch(t) + 2 * out(t),
      integer=True)
    M(sc, "AWS/Lambda", "Throttles", dl, "Count", lambda t: 0, integer=True)
    dp = {"FunctionName": rule_fn}
    M(sc, "AWS/Lambda", "Invocations", dp, "Count", lambda t: 1 if t == -2460 else None)
    M(sc, "AWS/Lambda", "Duration", dp, "Milliseconds", lambda t: 84000 if t == -2460 else None)
    ll = LambdaLogs(sc, fn, "ruby3.3", 512, 30, prewarm=-14400, retire=[-11000])

    def body(ll, s, rid, is_err, cold):
        rx = f"RX{sc.rng.randint(10 ** 7, 10 ** 8)}"
        lines = [(0.004, ll.fmt(s, rid, "info", f"refill reminder rx={rx} store={sc.rng.randint(1000, 1999)}"))]
        if sc.rng.random() < 0.12:
            lines.append((0.3, ll.fmt(s + 0.3, rid, "error", "Twilio::REST::RestError: [HTTP 400] 21610 : "
                                      "Attempt to send to unsubscribed recipient (message dropped)")))
        if sc.rng.random() < 0.3:
            lines.append((0.05, ll.fmt(s, rid, "info", f"AUDIT phi_disclosure purpose=treatment rx={rx} "
                                       "channel=sms")))
        if is_err:
            kind = sc.rng.random()
            if kind < 0.7:
                em, et, d = "Net::ReadTimeout with #<TCPSocket:(closed)>", "Function<Net::ReadTimeout>", 10000
            else:
                em = ("Failed to open TCP connection to erx.partnerhub.net:443 (execution expired)")
                et, d = "Function<Faraday::ConnectionFailed>", 5000
            d += sc.rng.uniform(5, 60)
            lines.append((d / 1000, ll.fmt(s + d / 1000, rid, "error",
                                           f"POST https://erx.partnerhub.net/v2/refill-status failed: {em}")))
            lines.append((d / 1000 + 0.002, jl({"errorMessage": em, "errorType": et, "stackTrace": [
                "/var/lang/lib/ruby/3.3.0/net/protocol.rb:229:in `rbuf_fill'",
                "/var/task/vendor/bundle/ruby/3.3.0/gems/faraday-net_http-3.1.0/lib/faraday/adapter/net_http.rb:97:in `perform_request'",
                "/var/task/lib/erx_client.rb:41:in `refill_status'",
                "/var/task/handler.rb:18:in `block in handle'"]})))
            return {"lines": lines, "dur": d + 3}
        d = sc.rng.uniform(380, 900)
        lines.append((d / 1000, ll.fmt(s + d / 1000, rid, "info", f"erx status=READY sms queued "
                                       f"sid=SM{sc.hexid(32)}")))
        return {"lines": lines, "dur": d + 4}
    ll.run({t: v for t, v in inv.items() if t >= -14400}, errs, body)
    pl = LambdaLogs(sc, rule_fn, "ruby3.3", 512, 300, prewarm=-14400)
    pl.run({-2460: 1}, {}, lambda ll, s, r, e, c: {"lines": [
        (0.1, ll.fmt(s, r, "info", "Planning refill reminders for 2026-03-18: 5312 candidates")),
        (83, ll.fmt(s + 83, r, "info", "Enqueued 5188 reminders to refill-reminders"))], "dur": 84000})
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", dl, "Sum", 60, 3, 2, "GreaterThanThreshold",
             "Refill notifications failing")
    sc.alarm(f"{fn}-duration-p90", "AWS/Lambda", "Duration", dl, "Average", 60, 5, 5000,
             "GreaterThanThreshold")
    sc.change(-11000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "circleci-pharmacy")
    sc.change(-2470, "events.amazonaws.com", "PutRule", "AWS::Events::Rule", "refill-batch-1300",
              "terraform-events")
    sc.change(-2050, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", rule_fn, "a.ng")
    sc.expect = {"alarm": f"{fn}-errors",
                 "root_cause": {"category": "dependency_failure", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": dl}]}
    meta(sc, alarm_pos="origin (dependency is outside the account)", services=["Lambda (Ruby 3.3)"],
         decoys=["planner config change 70 s before onset", "13:00 refill batch", "deploy 3 h earlier",
                 "Twilio 21610 errors all day"],
         story=(
             "The 13:00 planner enqueues the day's refill reminders as it does every day. At 13:08 "
             "the notifier's calls to the external e-prescribing hub (`erx.partnerhub.net`) start "
             "failing with `Net::ReadTimeout` at its 10 s client timeout or "
             "`Faraday::ConnectionFailed ... execution expired`. Duration jumps to ~10 s, far below "
             "the 30 s function timeout. The function's deploy was three hours earlier with clean runs "
             "since. The planner's config change 70 s before onset only touched the planner, which "
             "finished normally. The Twilio 21610 errors are constant all day."),
         judgement=("The failing dependency is a partner API outside the account, so the accepted "
                    "resource is the function where the failure shows. This is not function_timeout, "
                    "because the errors are the dependency's timeouts and the function never reaches "
                    "its own 30 s limit."))
    return sc


BUILDERS = [build_09, build_10]
