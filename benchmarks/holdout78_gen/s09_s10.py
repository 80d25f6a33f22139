"""h78-09 ticketing function loses KMS access (us-west-2); h78-10 group itinerary PDFs hit the timeout (ap-southeast-2)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline

from .kit import H78, apigw_metrics, lambda_deploy, lambda_metrics, lambda_sample, times


def build_09() -> H78:
    sc = H78(9, "ticketing-kms-decrypt",
             "Ticket issuance failing after payment; ticketing API 5XX alarm is in ALARM.",
             "us-west-2", 7809, "2026-08-17T18:25:00+00:00")
    T0 = -2220
    fn, api, role = "ticket-issue", "ticketing-api", "ticket-issue-exec"
    sc.resource("apigateway", api, stage="prod", api_id="t0xq7ma4lk")
    sc.resource("lambda", fn, runtime="python3.12", timeout=20, memory_size=512, role=role)
    sc.resource("lambda", "eticket-render", runtime="nodejs20.x", timeout=15, memory_size=1024)
    sc.resource("lambda", "refund-calc", runtime="python3.12", timeout=10, memory_size=256)
    on = lambda t: ramp(t, T0, T0 + 45)
    inv = lambda t: 48 * diurnal(sc, t, 18, 0.3)
    L = lambda_metrics(sc, fn, inv, lambda t: inv(t) * (0.04 + 0.96 * on(t)), lambda t: 780 - 600 * on(t))
    apigw_metrics(sc, api, inv, lambda t: inv(t) * 0.04 * (1 - on(t)) + 0.3, lambda t: 0.1 + inv(t) * 0.96 * on(t),
                  lambda t: 800 - 600 * on(t))
    lambda_metrics(sc, "eticket-render", lambda t: inv(t) * (1 - on(t)) + 2, lambda t: 0.05, lambda t: 1300.0)
    lambda_metrics(sc, "refund-calc", lambda t: 12.0 + bump(t, -12000, -11000, 60), lambda t: 0.1, lambda t: 95.0)
    lambda_deploy(sc, -10200, fn)
    sc.change(T0 - 75, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", role, "platform-iam-cleanup")
    sc.change(T0 - 70, "iam.amazonaws.com", "DeletePolicyVersion", "AWS::IAM::Policy", "ticketing-kms-legacy",
              "platform-iam-cleanup")
    lambda_deploy(sc, T0 - 25, "eticket-render")
    key = f"arn:aws:kms:us-west-2:{sc.account}:key/{sc.uuid()}"
    ll = LambdaLogs(sc, fn, "python3.12", 512, 20, mem_used=(131, 9), retire=(-10200,))

    def body(ll, t, rid, is_err, cold):
        pnr = "".join(sc.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(6))
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"issuing tickets pnr={pnr} pax={sc.rng.randint(1, 4)} "
                                              f"validating_carrier={sc.rng.choice(['AS', 'UA', 'HA', 'QF'])}"))]
        if is_err and t >= T0 + 10 and sc.rng.random() > 0.04:
            msg = (f"An error occurred (AccessDeniedException) when calling the Decrypt operation: User: "
                   f"arn:aws:sts::{sc.account}:assumed-role/{role}/{fn} is not authorized to perform: kms:Decrypt "
                   f"on resource: {key} because no identity-based policy allows the kms:Decrypt action")
            lines.append((0.09, f"[ERROR] ClientError: {msg}\nTraceback (most recent call last):\n  File "
                                '"/var/task/app.py", line 57, in handler\n    card = vault.decrypt_payment_token(evt["token"])\n'
                                '  File "/var/task/vault.py", line 23, in decrypt_payment_token\n    '
                                'resp = kms.decrypt(CiphertextBlob=blob, KeyId=KEY_ARN)'))
            return {"lines": lines, "dur": sc.rng.uniform(110, 220)}
        if is_err:
            lines.append((0.3, ll.fmt(t, rid, "ERROR", f"FareRuleViolation: ticketing time limit passed for pnr={pnr}; "
                                                     "returning 422")))
            return {"lines": lines, "dur": sc.rng.uniform(250, 400)}
        d = sc.rng.gauss(780, 120)
        lines.append((d / 1000, ll.fmt(t, rid, "INFO", f"issued {sc.rng.randint(1, 4)} e-tickets pnr={pnr} "
                                                     f"first=016{sc.rng.randint(10 ** 9, 10 ** 10 - 1)}")))
        return {"lines": lines, "dur": d}

    ll.run(*lambda_sample(sc, L["inv"], L["err"], 2.5), body)
    ag, st = f"/aws/apigateway/{api}/access", "prod"
    for t in times(sc, lambda m: 2.0):
        status = "502" if sc.rng.random() < 0.96 * on(t) else ("422" if sc.rng.random() < 0.04 else "200")
        sc.log(ag, st, t, jline({"requestId": sc.uuid(), "ip": sc.ip("172.31"), "requestTime": sc.at(t).strftime(
            "%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": "POST", "resourcePath": "/tickets", "status": status,
            "protocol": "HTTP/1.1", "responseLength": {"502": "36", "422": "118"}.get(status, "642"),
            "integrationStatus": "200", "integrationLatency": str(sc.rng.randint(100, 900))}))
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "Ticketing API server errors")
    sc.alarm("eticket-render-errors", "AWS/Lambda", "Errors", {"FunctionName": "eticket-render"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold")
    sc.expect = {"alarm": f"{api}-5xx", "root_cause": {"category": "permission_denied", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        category="permission_denied", front="front (API Gateway); origin is the function whose role lost access",
        runtime="Python 3.12 Lambda; API Gateway JSON access logs", services="API Gateway, Lambda, IAM, KMS",
        decoys="eticket-render deploy 25 s before onset (closer than the IAM change); ticket-issue code deploy "
               "2.2 h earlier; FareRuleViolation ERRORs at ~4 % all along",
        story="ticketing-api returns 502 for almost every POST /tickets from 37 minutes ago. ticket-issue logs "
              "`AccessDeniedException ... assumed-role/ticket-issue-exec/ticket-issue is not authorized to perform: "
              "kms:Decrypt`, starting a minute after `platform-iam-cleanup` ran DetachRolePolicy on "
              "ticket-issue-exec and deleted a version of `ticketing-kms-legacy`. eticket-render was deployed even "
              "closer to onset, but its invocations drop only because no tickets reach it, and it logs no errors. "
              "The FareRuleViolation 422s were there at the same rate before.")
    return sc


def build_10() -> H78:
    sc = H78(10, "group-itinerary-pdf",
             "Itinerary PDFs not arriving for some bookings; itinerary-pdf Errors alarm fired.",
             "ap-southeast-2", 7810, "2026-01-20T03:35:00+00:00")
    T0 = -2520
    fn = "itinerary-pdf"
    sc.resource("lambda", fn, runtime="dotnet8", timeout=15, memory_size=2048,
                trigger="SQS itinerary-render-queue")
    sc.resource("lambda", "itinerary-email", runtime="dotnet8", timeout=30, memory_size=512)
    sc.resource("apigateway", "docs-api", stage="prod")
    grp = lambda t: 0.27 * ramp(t, T0, T0 + 90)
    inv = lambda t: 64 * diurnal(sc, t, 3, 0.2)
    L = lambda_metrics(sc, fn, inv, lambda t: 0.05 + inv(t) * grp(t),
                       lambda t: 1900 * (1 - grp(t)) + 15000 * grp(t))
    lambda_metrics(sc, "itinerary-email", lambda t: inv(t) * (1 - grp(t)), lambda t: 0.1, lambda t: 350.0)
    apigw_metrics(sc, "docs-api", lambda t: 30 + bump(t, -14000, -13200, 140), lambda t: 0.8, lambda t: 0.05,
                  lambda t: 85.0 + bump(t, -14000, -13200, 60))
    lambda_deploy(sc, -16000, fn)
    lambda_deploy(sc, T0 - 170, "itinerary-email")
    sc.change(-13900, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "docs-api",
              "github-actions-deployer")
    ll = LambdaLogs(sc, fn, "dotnet8", 2048, 15, mem_used=(610, 50), retire=(-16000,))

    def body(ll, t, rid, is_err, cold):
        bk = f"BK{sc.rng.randint(10 ** 7, 10 ** 8 - 1)}"
        if is_err:
            segs, pages = sc.rng.randint(38, 64), sc.rng.randint(120, 190)
        else:
            segs, pages = sc.rng.randint(1, 8), sc.rng.randint(2, 9)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"Itinerary.Render[0] Rendering itinerary {bk} segments={segs} "
                                             f"pages={pages} template=standard-v7 pax={segs // 2 + 1 if is_err else sc.rng.randint(1, 4)}"))]
        if sc.rng.random() < 0.08:
            lines.append((0.2, ll.fmt(t, rid, "WARN", "Itinerary.Fonts[3] Glyphs for 'th-TH' not embedded, "
                                                    "falling back to Noto Sans")))
        if is_err:
            for k in range(1, 12):
                p = int(pages * k / 12 * 1.05)
                lines.append((k * 1.31, ll.fmt(t, rid, "INFO", f"Itinerary.Render[0] {bk} rendered {p}/{pages} pages "
                                                              f"elapsedMs={int(k * 1310)}")))
            return {"lines": lines, "dur": 15000, "status": "timeout", "mem": sc.rng.randint(900, 1150)}
        d = sc.rng.gauss(1900, 300)
        lines.append((d / 1000 - 0.09, ll.fmt(t, rid, "INFO", f"Itinerary.Render[0] {bk} rendered {pages}/{pages} pages "
                                                             f"elapsedMs={int(d - 100)}")))
        lines.append((d / 1000, ll.fmt(t, rid, "INFO", f"Itinerary.Store[0] Uploaded s3://itinerary-docs-apse2/{bk}.pdf "
                                                     f"({sc.rng.randint(90, 700)} KB) in {sc.rng.randint(40, 110)} ms")))
        return {"lines": lines, "dur": d}

    ll.run(*lambda_sample(sc, L["inv"], L["err"], 2.5), body)
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "Itinerary rendering failures")
    sc.alarm(f"{fn}-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 300, 2, 5000,
             "GreaterThanThreshold")
    sc.alarm("itinerary-email-errors", "AWS/Lambda", "Errors", {"FunctionName": "itinerary-email"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold")
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        category="function_timeout", front="origin (the alarmed function)", runtime=".NET 8 Lambda",
        services="Lambda, API Gateway",
        decoys="itinerary-email deploy ~3 min before onset; docs-api deployment and traffic bump 3 h earlier; "
               "font-fallback WARNs all along",
        story="itinerary-pdf's Errors start 42 minutes ago and a second alarm on its average Duration follows. "
              "The failing invocations are group itineraries (38-64 segments, 120-190 pages) that log steady "
              "page-rendering progress and then `Task timed out after 15.00 seconds`; ordinary itineraries still "
              "render in ~2 s and upload to S3 in tens of milliseconds. No dependency error, throttle or memory "
              "pressure appears (Max Memory Used ~1 GB of 2 GB), and invocation volume is normal. The "
              "itinerary-email deploy just before onset changes nothing in that function's behaviour; its volume dips "
              "only because fewer PDFs complete.",
        judgement="The trigger is a batch of very large group itineraries, not a change; the function simply needs "
                  "longer than its configured 15 s for them, which is function_timeout (not traffic_surge: the "
                  "request count is unchanged).")
    return sc


BUILDERS = [build_09, build_10]
