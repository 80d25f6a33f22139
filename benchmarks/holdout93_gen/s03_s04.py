"""h93-03 (billing-run invoice publisher, Go Lambda) and h93-04 (on-demand meter reads via the
head-end gateways, Java Lambda in front of EC2)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal
from benchmarks.holdout57_gen.runtimes import LambdaLogs, zap

from . import kit
from .kit import emit, java_err_json, lam_metrics, lambda_run, logback


def build_03():
    sc = kit.new(3, "billing-run-invoice-pdfs", "Invoice publishing failing during the early-morning "
                 "billing run; the publisher's Errors alarm and the render DLQ alarm are both red.",
                 "eu-south-1", "2026-11-20T05:20:00+00:00")
    fn, dun, orch = "invoice-pdf-publisher", "dunning-letter-builder", "billrun-orchestrator"
    role, iam_t, decoy = "billing-docs-exec", -2905, -2840
    acct = sc.account
    key_id = sc.uuid()
    sc.resource("lambda", fn, runtime="provided.al2023", memory_size=512, timeout=60,
                role=f"arn:aws:iam::{acct}:role/{role}")
    sc.resource("lambda", dun, runtime="provided.al2023", memory_size=256, timeout=60)
    sc.resource("lambda", orch, runtime="provided.al2023", memory_size=256, timeout=900)

    def inv(t):
        return 1.0 + bump(t, -4700, 900, 34, edge=240)

    def denied(t):
        return t >= iam_t + 25

    def old(t):
        return 0.02 + 0.012 * inv(t)

    v = lam_metrics(sc, fn, inv, lambda t: inv(t) * 0.985 if denied(t) else old(t),
                    lambda t: 380 if denied(t) else 1450 + 6 * inv(t))
    dv = lam_metrics(sc, dun, lambda t: 0.5 + bump(t, -4200, 900, 6, edge=300), lambda t: 0.01,
                     lambda t: 900)
    lam_metrics(sc, orch, lambda t: 1.0 if -4800 <= t < -4740 else None,
                lambda t: 0.0, lambda t: 2100, exact=True)
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "invoice-render-dlq"}, "Count",
              sc.series(lambda t: 3 + (max(0.0, t - iam_t) / 60 * 30 if t > iam_t else 0), noise=0.01,
                        integer=True))

    ll = LambdaLogs(sc, fn, "provided.al2023", 512, 60, mem_used=(96, 8))
    host = f"{fn}.lambda"

    def body(ll, t, rid, is_err, cold):
        acc = f"IT001E{sc.rng.randint(10**7, 10**8 - 1)}"
        inv_no = f"FT-2026-{sc.rng.randint(10**6, 10**7 - 1)}"
        k = f"invoices/2026/11/{acc}/{inv_no}.pdf"
        lines = [(0.01, zap(sc, t + 0.01, "info", "rendering invoice", "publisher/handler.go:57",
                            requestId=rid, account=acc, invoice=inv_no))]
        if sc.rng.random() < 0.04:
            lines.append((0.2, zap(sc, t + 0.2, "warn", "ses send throttled, retrying", "notify/ses.go:44",
                                   requestId=rid, attempt=sc.rng.randint(1, 3))))
        if is_err and denied(t) and sc.rng.random() > old(t) / inv(t):
            e = (f"operation error S3: PutObject, https response error StatusCode: 403, RequestID: "
                 f"{sc.hexid(16).upper()}, HostID: {sc.hexid(40)}, api error AccessDenied: User: arn:aws:sts::"
                 f"{acct}:assumed-role/{role}/{fn} is not authorized to perform: kms:GenerateDataKey on "
                 f"resource: arn:aws:kms:eu-south-1:{acct}:key/{key_id} because no identity-based policy "
                 "allows the kms:GenerateDataKey action")
            lines.append((0.33, zap(sc, t + 0.33, "error", "put invoice pdf", "publisher/store.go:112",
                                    requestId=rid, key=k, bucket="bills-archive-mxp-prod", error=e)))
            return {"dur": sc.rng.gauss(380, 60), "lines": lines}
        if is_err:
            lines.append((0.05, zap(sc, t + 0.05, "error", "invoice rejected", "publisher/handler.go:71",
                                    requestId=rid, account=acc,
                                    error="billing address missing for supply point; cannot render")))
            return {"dur": sc.rng.gauss(90, 20), "lines": lines}
        d = max(300, sc.rng.gauss(1450 + 6 * inv(t), 250))
        lines.append((d / 1000 - 0.01, zap(sc, t + d / 1000 - 0.01, "info", "invoice published",
                                          "publisher/store.go:128", requestId=rid, key=k,
                                          bytes=sc.rng.randint(60000, 190000))))
        return {"dur": d, "lines": lines}

    lambda_run(ll, v["inv"], v["err"], 0.2, body)
    _ = host

    ld = LambdaLogs(sc, dun, "provided.al2023", 256, 60, mem_used=(70, 5))
    lambda_run(ld, dv["inv"], dv["err"], 0.6, lambda ll, t, rid, e, c: {"dur": sc.rng.gauss(900, 120), "lines": [
        (0.8, zap(sc, t + 0.8, "info", "dunning letter queued", "dunning/build.go:63", requestId=rid,
                  stage=sc.rng.choice(["R1", "R1", "R2", "R3"])))]})

    sc.change(-19000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gha-billing-deploy")
    sc.change(iam_t - 6, "iam.amazonaws.com", "DeleteRolePolicy", "AWS::IAM::Role", role, "terraform-billing-ci")
    sc.change(iam_t, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-billing-ci")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", dun,
              "gha-billing-deploy")
    sc.change(decoy + 12, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", dun, "gha-billing-deploy")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Invoice PDF publisher errors")
    sc.alarm("invoice-render-dlq-depth", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
             {"QueueName": "invoice-render-dlq"}, "Maximum", 300, 1, 100, "GreaterThanThreshold")
    sc.alarm(f"{dun}-errors", "AWS/Lambda", "Errors", {"FunctionName": dun}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "permission_denied", "resource": [fn]}}
    sc.meta = dict(
        alarm_on="origin", services="Lambda (Go, provided.al2023), IAM, SQS",
        decoys=f"code+config deploy of `{dun}` 65 s later; billing-run volume ramp; steady 'billing address "
               "missing' errors and SES throttling warnings; DLQ alarm (a consequence)",
        story=f"The billing run starts at 04:00 UTC and `{fn}` publishes invoices without trouble for 30 "
              f"minutes. At -{abs(iam_t)} s Terraform replaces the inline policy of role `{role}`; within "
              "seconds every S3 PutObject of an invoice fails with `AccessDenied ... is not authorized to "
              "perform: kms:GenerateDataKey` and Errors equal invocations. The dunning builder deploy lands "
              "after the first denials and its own errors stay at zero; the rejected-address errors run at "
              "the same share all night.")
    sc.meta["judgement"] = (f"The change is to an IAM role, not a resource type of the format; the fault "
                            f"surfaces in `{fn}` (its execution role), so that is the labelled resource.")
    return sc


def build_04():
    sc = kit.new(4, "ondemand-reads-gateway", "On-demand meter reads for the call centre failing; the "
                 "read broker's Errors alarm fired.", "eu-west-3", "2026-11-18T14:25:00+00:00")
    fn, router = "ondemand-read-broker", "meter-event-router"
    gw_a, gw_b = "i-0a7d31c95be2046f1", "i-0f52e8a1c3d94b7e0"
    ip_a, ip_b = "10.20.3.41", "10.20.4.17"
    onset, decoy = -1985, -2040
    sc.resource("lambda", fn, runtime="java17", memory_size=1024, timeout=30)
    sc.resource("lambda", router, runtime="java17", memory_size=768, timeout=60)
    sc.resource("ec2", gw_a, name="hes-gw-a", instance_type="m6i.large", private_ip=ip_a,
                log_groups=["/hes/gateway/app"])
    sc.resource("ec2", gw_b, name="hes-gw-b", instance_type="m6i.large", private_ip=ip_b,
                log_groups=["/hes/gateway/app"])

    def inv(t):
        return 24 * diurnal(sc, t, 13.5, 0.3)

    def down(t):
        return t >= onset

    v = lam_metrics(sc, fn, inv, lambda t: 0.8 + (0.5 * inv(t) if t >= onset + 30 else 0),
                    lambda t: 950 + (2600 if down(t) else 0))
    lam_metrics(sc, router, lambda t: 60 + bump(t, -7300, -6700, 240, edge=180), lambda t: 0.1,
                lambda t: 140)
    for iid, dead in ((gw_a, False), (gw_b, True)):
        kit.ec2_metrics(sc, iid,
                        lambda t, d=dead: None if d and down(t) else 22 * diurnal(sc, t, 13.5, 0.3),
                        lambda t, d=dead: None if d and down(t) else 14 * diurnal(sc, t, 13.5, 0.3),
                        system=lambda t, d=dead: 1.0 if d and down(t) else 0.0,
                        mem=lambda t, d=dead: None if d and down(t) else 58.0)

    ll = LambdaLogs(sc, fn, "java17", 1024, 30, mem_used=(330, 30))
    lg = "c.m.reads.OnDemandReadHandler"

    def body(ll, t, rid, is_err, cold):
        meter = f"0{sc.rng.randint(10**8, 10**9 - 1)}"
        to_b = down(t) and is_err and sc.rng.random() < (0.5 * inv(t)) / (0.5 * inv(t) + 0.8)
        gw = ("hes-gw-b", ip_b) if (to_b or (not down(t) and sc.rng.random() < 0.5)) else ("hes-gw-a", ip_a)
        lines = [(0.02, ll.fmt(t, rid, "INFO", f"{lg} - read request meter={meter} obis=1.8.0 via {gw[0]}"))]
        if to_b:
            lines.append((5.02, ll.fmt(t + 5.02, rid, "ERROR", f"{lg} - gateway call failed "
                          f"https://{gw[0]}.hes.internal:8443/v2/reads ({gw[1]}): HTTP connect timed out")))
            lines.append((5.03, java_err_json("java.net.http.HttpConnectTimeoutException", "HTTP connect timed out", [
                "java.net.http/jdk.internal.net.http.HttpClientImpl.send(Unknown Source)",
                "com.meterops.reads.HesClient.read(HesClient.java:88)",
                "com.meterops.reads.OnDemandReadHandler.handleRequest(OnDemandReadHandler.java:51)"])))
            return {"dur": sc.rng.uniform(5040, 5200), "lines": lines}
        if is_err:
            lines.append((2.1, ll.fmt(t + 2.1, rid, "ERROR", f"{lg} - meter {meter} did not answer "
                          f"(PLC link quality {sc.rng.randint(3, 18)}%)")))
            lines.append((2.11, java_err_json("com.meterops.reads.MeterUnreachableException",
                                              f"meter {meter} unreachable via {gw[0]}", [
                "com.meterops.reads.HesClient.read(HesClient.java:97)",
                "com.meterops.reads.OnDemandReadHandler.handleRequest(OnDemandReadHandler.java:51)"])))
            return {"dur": sc.rng.uniform(2100, 2300), "lines": lines}
        d = max(300, sc.rng.gauss(950, 200))
        lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000 - 0.01, rid, "INFO",
                      f"{lg} - meter={meter} 1.8.0={sc.rng.uniform(1000, 60000):.3f} kWh status=OK")))
        return {"dur": d, "lines": lines}

    lambda_run(ll, v["inv"], v["err"], 0.25, body)

    for iid, name, dead in ((gw_a, "hes-gw-a", False), (gw_b, "hes-gw-b", True)):
        end = onset - 4 if dead else 0.0

        def gline(t, name=name):
            if sc.rng.random() < 0.1:
                return logback(sc, t, "WARN", f"dlms-worker-{sc.rng.randint(1, 32)}", "c.m.hes.DlmsSession",
                               f"association retry meter=0{sc.rng.randint(10**8, 10**9 - 1)} attempt=2")
            return logback(sc, t, "INFO", f"dlms-worker-{sc.rng.randint(1, 32)}", "c.m.hes.DlmsSession",
                           f"read ok meter=0{sc.rng.randint(10**8, 10**9 - 1)} obis=1.8.0 rtt={sc.rng.randint(400, 1900)}ms")
        emit(sc, "/hes/gateway/app", iid, lambda t: 5.0 * diurnal(sc, t, 13.5, 0.3), gline, end=end)

    sc.change(-15500, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", gw_b, "svc-asset-inventory")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", router,
              "gitlab-runner-deploy")
    sc.change(-9800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gitlab-runner-deploy")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "On-demand read broker errors")
    sc.alarm(f"{router}-errors", "AWS/Lambda", "Errors", {"FunctionName": router}, "Sum", 60, 5, 10,
             "GreaterThanThreshold")
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "dependency_failure",
                                                         "resource": [gw_b, "hes-gw-b"]}}
    sc.meta = dict(
        alarm_on="front (calling Lambda)", services="Lambda (Java 17), EC2",
        decoys=f"code deploy of `{router}` 55 s before onset; `{fn}` deploy 2.7 h earlier; steady "
               "'meter did not answer' errors; router volume spike",
        story=f"Call-centre reads go through `{fn}` to one of two head-end gateways on EC2. At -{abs(onset)} s "
              f"`hes-gw-b` ({gw_b}) fails its system status check; its CPU, network and agent logs stop. "
              f"Every read routed to it now fails after the 5 s connect timeout (`HttpConnectTimeoutException` "
              f"naming `hes-gw-b` / {ip_b}), so half the invocations error while reads via `hes-gw-a` succeed. "
              f"The `{router}` deploy is unrelated to this path and its error rate is unchanged.")
    sc.meta["judgement"] = ("The gateway is broken rather than exhausted (no CPU, memory or connection limit): "
                            "dependency_failure with the instance as origin, not the Lambda that alarmed.")
    return sc


BUILDERS = [build_03, build_04]
