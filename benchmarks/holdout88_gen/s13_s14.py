"""h88-13 (Go inbound-webhook router release panics on one provider's events; an API stage deployment
follows) and h88-14 (SMTP relay instance fails its system status check; the sequence sender alarms)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp, step
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, zap

from .kit import LOG_START, S88, apigw_metrics, ec2_metrics, emit, flat, lam_metrics, per_min


def build13() -> S88:
    T0 = -2400
    DEP = T0 - 200
    sc = S88(13, "bounce-category", "Inbound provider webhooks rejected with 5xx; 5XXError alarm on the inbound "
             "hooks API.", "ca-central-1", 8813, "2026-03-04T15:15:00+00:00", {
                 "front": "front (API Gateway)", "services": ["apigateway", "lambda"],
                 "decoys": "API stage deployment 90 s after the function release (closer to onset); "
                           "Calendly signature failures (401) all day",
             })
    api, fn = "inbound-hooks-api", "inbound-event-router"
    sc.resource("apigateway", api, stage="live", endpoint_type="REGIONAL", api_id="p7d2hw0c4e")
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=15, memory_size=256, alias="live")
    share = {"sendgrid": 0.34, "stripe": 0.18, "calendly": 0.12, "postmark": 0.2, "docusign": 0.16}
    bad = lambda t: step(t, DEP + 15, 0.0, 1.0)  # noqa: E731
    cnt = lambda t: 520 * diurnal(sc, t, 16, 0.2)  # noqa: E731
    lam = lam_metrics(sc, fn, lambda t: cnt(t) * 0.985, lambda t: 0.001 + 0.12 * bad(t), lambda t: 38 - 3 * bad(t))
    apigw_metrics(sc, api, cnt, lambda t: cnt(t) * 0.015, lambda t: 0.3 + cnt(t) * 0.985 * 0.12 * bad(t),
                  lambda t: 61 + 5 * bad(t), stage="live")
    dims = {"ApiName": api, "Stage": "live"}
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", dims, "Sum", 60, 3, 15, "GreaterThanThreshold",
             "Inbound provider webhooks failing")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 20,
             "GreaterThanThreshold")
    sc.change(DEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "buildkite-deployer")
    sc.change(DEP + 6, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
              "buildkite-deployer")
    sc.change(DEP + 11, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn,
              "buildkite-deployer")
    sc.change(DEP + 95, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api,
              "terraform-ci")
    sc.change(DEP + 97, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api, "terraform-ci")
    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 15, epochs=((-10 ** 9, "57"), (DEP + 15, "58")),
                    retire=(DEP + 15,), mem_used=(38, 3))
    provs = list(share)

    def body(ll, t, rid, is_err, cold):
        p = "sendgrid" if is_err else sc.rng.choices(provs, [share[x] for x in provs])[0]
        ev = {"sendgrid": ["bounce", "delivered", "open", "dropped"], "stripe": ["invoice.paid"],
              "calendly": ["invitee.created"], "postmark": ["Delivery", "Bounce"],
              "docusign": ["envelope-completed"]}[p]
        e = sc.rng.choice(ev)
        if p == "sendgrid":
            e = sc.rng.choice(["bounce", "dropped"]) if is_err else sc.rng.choice(
                ["delivered", "open", "processed"] + ([] if bad(t) else ["bounce", "dropped"]))
        caller = {"sendgrid": "router/sendgrid.go:44", "stripe": "router/stripe.go:31",
                  "calendly": "router/calendly.go:22", "postmark": "router/postmark.go:40",
                  "docusign": "router/docusign.go:37"}[p]
        lines = [(0.001, zap(sc, t + 0.001, "info", "inbound event", "router/main.go:63", provider=p, event=e,
                             requestId=rid, version="58" if bad(t) else "57"))]
        if is_err and bad(t):
            lines.append((0.003, jline({
                "errorMessage": "runtime error: invalid memory address or nil pointer dereference",
                "errorType": "runtimeError", "panic": True, "stackTrace": [
                    {"path": "github.com/aws/aws-lambda-go@v1.47.0/lambda/errors.go", "line": 39,
                     "label": "callBytesHandlerFunc.func1"},
                    {"path": "runtime/panic.go", "line": 770, "label": "panicmem"},
                    {"path": "/src/router/sendgrid.go", "line": 57, "label": "routeSendgridEvent"},
                    {"path": "/src/router/main.go", "line": 71, "label": "handle"}]})))
            return {"dur": sc.rng.uniform(2, 6), "lines": lines}
        if p == "calendly" and sc.rng.random() < 0.12:
            lines.append((0.004, zap(sc, t + 0.004, "warn", "signature verification failed", "router/calendly.go:18",
                                     provider=p, tenant="t_33f0", status=401)))
        else:
            lines.append((0.02, zap(sc, t + 0.02, "info", "enqueued", caller, provider=p, event=e,
                                    queue="crm-inbound-events", ms=sc.rng.randint(8, 40))))
        return {"dur": sc.rng.uniform(20, 60), "lines": lines}
    ll.run({m: max(1, round(v / 40)) for m, v in per_min(lam["inv"]).items()},
           {m: round(v / 40) for m, v in per_min(lam["err"]).items()}, body)
    sc.expect_(f"{api}-5xx", "bad_deployment", [fn],
               [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    sc.meta["story"] = (
        "Buildkite publishes version 58 of inbound-event-router (Go, provided.al2023) and moves the `live` "
        "alias about four minutes before the 5XXError alarm. From the first version-58 invocation, SendGrid "
        "events panic with `runtime error: invalid memory address or nil pointer dereference` in "
        "`routeSendgridEvent` (/src/router/sendgrid.go:57) for every `bounce` and `dropped` event; other "
        "events and providers route fine, so about 12 % of requests fail and API Gateway returns 502s. Terraform's CreateDeployment/UpdateStage on the API 90 s "
        "later is closer to the alarm and on the alarmed resource, but the errors begin before it and are "
        "function panics. The Calendly 401 signature failures were there all day.")
    return sc


def build14() -> S88:
    T0 = -1860
    FAIL = T0 - 150
    sc = S88(14, "sequence-relay", "Sales sequence e-mails not sending; Errors alarm on the sequence step "
             "sender.", "eu-west-2", 8814, "2026-03-05T08:50:00+00:00", {
                 "front": "front (caller Lambda)", "services": ["lambda", "ec2"],
                 "decoys": "concurrency change on sequence-scheduler 90 s before onset; 550 recipient "
                           "bounces all morning; bastion CPU spike",
             })
    fn = "sequence-step-sender"
    relay, bastion = "i-0e6b3f1a9c7d24508", "i-0f18c2d7b95e3a641"
    sc.resource("lambda", fn, runtime="nodejs18.x", timeout=30, memory_size=512,
                environment_keys=["SMTP_HOST", "SMTP_PORT", "SEQUENCE_QUEUE_URL"])
    sc.resource("lambda", "sequence-scheduler", runtime="nodejs18.x", timeout=60, memory_size=256)
    sc.resource("ec2", relay, name="smtp-out-a", instance_type="t3.medium", private_ip="10.20.4.17",
                log_groups=["/ec2/postfix/maillog"])
    sc.resource("ec2", bastion, name="ops-bastion", instance_type="t3.small")
    down = lambda t: step(t, FAIL, 0.0, 1.0)  # noqa: E731
    inv = lambda t: 30 * diurnal(sc, t, 10, 0.3)  # noqa: E731
    lam = lam_metrics(sc, fn, inv, lambda t: 0.002 + 0.95 * ramp(t, FAIL, FAIL + 40),
                      lambda t: 700 + 9400 * ramp(t, FAIL, FAIL + 40))
    lam_metrics(sc, "sequence-scheduler", lambda t: 1, lambda t: 0.0, lambda t: 2100)
    d = {"InstanceId": relay}
    times = list(range(-21600, 0, 60))
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent",
              sc.series(lambda t: None if t >= FAIL + 60 else 9 * diurnal(sc, t, 10, 0.3), noise=0.1), times)
    sc.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", [1.0 if t >= FAIL else 0.0 for t in times], times)
    sc.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", [0.0 for t in times], times)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", [1.0 if t >= FAIL else 0.0 for t in times], times)
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes",
              sc.series(lambda t: None if t >= FAIL + 60 else 2.1e6 * diurnal(sc, t, 10, 0.3), noise=0.15,
                        digits=0), times)
    ec2_metrics(sc, bastion, lambda t: 3 + bump(t, FAIL - 900, FAIL - 420, 85), status=flat(0))
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "Sequence e-mail sends failing")
    sc.alarm("smtp-out-a-system-status", "AWS/EC2", "StatusCheckFailed_System", d, "Maximum", 60, 2, 1,
             "GreaterThanOrEqualToThreshold", "Auto-recover alarm for smtp-out-a (recover action disabled)")
    sc.alarm("ops-bastion-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": bastion}, "Average", 300, 1, 80,
             "GreaterThanThreshold")
    sc.change(T0 - 90, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function",
              "sequence-scheduler", "r.hale@crmco.io")
    sc.change(-18400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "r.hale@crmco.io")
    ll = LambdaLogs(sc, fn, "nodejs18.x", 512, 30, mem_used=(110, 8))

    def body(ll, t, rid, is_err, cold):
        ten = sc.rng.choice(["t_0c4e", "t_19aa", "t_44be", "t_5d11", "t_8f21"])
        step_id = f"seqstep_{sc.hexid(10)}"
        lines = [(0.003, ll.fmt(t + 0.003, rid, "INFO", f"sending sequence step {step_id} tenant={ten} "
                                                        f"via smtp://10.20.4.17:587"))]
        if is_err and down(t):
            err = sc.rng.choice(["Error: Connection timeout\n    at SMTPConnection._formatError (/var/task/node_"
                                 "modules/nodemailer/lib/smtp-connection/index.js:798:19)\n    at SMTPConnection."
                                 "_onError (/var/task/node_modules/nodemailer/lib/smtp-connection/index.js:784:20)",
                                 "Error: connect EHOSTUNREACH 10.20.4.17:587\n    at TCPConnectWrap.afterConnect "
                                 "[as oncomplete] (node:net:1555:16)"])
            code = "ETIMEDOUT" if "timeout" in err else "ESOCKET"
            dur = 10000 + sc.rng.uniform(5, 60) if code == "ETIMEDOUT" else sc.rng.uniform(3000, 3100)
            lines.append((dur / 1000, ll.fmt(t + dur / 1000, rid, "ERROR", f"Invoke Error \t{jline({'errorType': 'Error', 'errorMessage': err.splitlines()[0][7:], 'code': code, 'command': 'CONN', 'stack': err.split(chr(10))})}")))
            return {"dur": dur + 3, "lines": lines}
        if sc.rng.random() < 0.07:
            lines.append((0.5, ll.fmt(t + 0.5, rid, "WARN", f"recipient rejected, marking contact bounced: 550 5.1.1 "
                                                            f"<{sc.hexid(6)}@{sc.rng.choice(['gmail.com', 'outlook.com', 'acme-freight.io'])}>: "
                                                            "Recipient address rejected: User unknown")))
        else:
            lines.append((0.6, ll.fmt(t + 0.6, rid, "INFO", f"250 2.0.0 Ok: queued as {sc.hexid(10).upper()}")))
        return {"dur": sc.rng.uniform(400, 1100), "lines": lines}
    ll.run({m: max(1, round(v / 4)) for m, v in per_min(lam["inv"]).items()},
           {m: round(v / 4) for m, v in per_min(lam["err"]).items()}, body)
    mg = "/ec2/postfix/maillog"

    def pf(t):
        d = sc.at(t)
        pid = sc.rng.randint(1000, 30000)
        qid = sc.hexid(10).upper()
        sc.log(mg, relay, t, f"{d.strftime('%b %d %H:%M:%S').replace(' 0', '  ', 1)} smtp-out-a postfix/smtp[{pid}]: "
                             f"{qid}: to=<{sc.hexid(6)}@{sc.rng.choice(['gmail.com', 'outlook.com', 'brightlane.co.uk'])}>, "
                             f"relay=email-smtp.eu-west-2.amazonaws.com[3.8.{sc.rng.randint(1, 250)}.{sc.rng.randint(1, 250)}]"
                             f":587, delay={sc.rng.uniform(0.3, 2):.1f}, status=sent (250 Ok {sc.hexid(24)})")
    emit(sc, LOG_START, FAIL, lambda t: 5 * diurnal(sc, t, 10, 0.3), pf)
    sc.expect_(f"{fn}-errors", "dependency_failure", [relay, "smtp-out-a"],
               [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System", "dimensions": d}])
    sc.meta["story"] = (
        "The SMTP relay instance smtp-out-a fails its EC2 system status check (host problem, no change in "
        "CloudTrail); its CPU and network datapoints stop and its postfix log goes silent. From the same "
        "minute every send from sequence-step-sender fails with nodemailer `Connection timeout` or `connect "
        "EHOSTUNREACH 10.20.4.17:587` and duration jumps to the 10 s connection timeout, far below the "
        "function's 30 s limit. The relay is not overloaded; it is unreachable. The PutFunctionConcurrency "
        "on sequence-scheduler 90 s before onset and the ops-bastion CPU spike are unrelated; the 550 "
        "recipient bounces run at the same rate all morning.")
    return sc


BUILDERS = [build13, build14]
