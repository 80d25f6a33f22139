"""h93-13 (MDM query API with unexplained ALB 502s) and h93-14 (storm crew call-outs through an
external SMS/voice gateway)."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, spring, zap

from . import kit
from .kit import emit, every, lam_metrics, lambda_run


def build_13():
    sc = kit.new(13, "mdm-query-502s", "Meter-data query API returning intermittent 502s to the billing "
                 "and analytics clients; the ALB 5XX alarm fired.", "us-east-2", "2026-11-18T19:05:00+00:00")
    lb, tg = "app/mdm-query/6a1d8e3f0c2b4957", "targetgroup/mdm-api/1f5c9a7e3d2b8064"
    a1, a2, etl = "i-0c2e6a9f1b3d57804", "i-05b8d1f3a7c9e2046", "i-0e4f7b2a9c1d36585"
    onset, exp = -1900, "mdm-export"
    sc.resource("alb", lb, name="mdm-query", target_group=tg, idle_timeout_s=60)
    for iid, n in ((a1, "mdm-api-1"), (a2, "mdm-api-2")):
        sc.resource("ec2", iid, name=n, instance_type="m6i.xlarge", runtime="java21 (Spring Boot 3.2)",
                    log_groups=["/mdm/api/app"])
    sc.resource("ec2", etl, name="mdm-etl-1", instance_type="r6i.xlarge")
    sc.resource("lambda", exp, runtime="java21", memory_size=2048, timeout=600)

    def req(t):
        return 700 * diurnal(sc, t, 16.0, 0.3)

    def bad(t):
        return 0.035 * (1 + 0.3 * math.sin(t / 170.0)) if t >= onset else 0.0

    kit.alb_metrics(sc, lb, req, lambda t: 0.15, lambda t: 0.2 + req(t) * bad(t), lambda t: 0.085,
                    t4=lambda t: 0.015 * req(t))
    kit.alb_hosts(sc, lb, tg, lambda t: 2.0, lambda t: 0.0)
    for iid in (a1, a2):
        kit.ec2_metrics(sc, iid, lambda t: 31 * diurnal(sc, t, 16.0, 0.3), lambda t: 11 * diurnal(sc, t, 16.0, 0.3),
                        mem=lambda t: 63.0, disk=lambda t: 48.0)
    kit.ec2_metrics(sc, etl, lambda t: 12 + bump(t, -9600, -8400, 80, edge=200), lambda t: 3.0, mem=lambda t: 71.0)
    lam_metrics(sc, exp, lambda t: 0.2, lambda t: 0.0, lambda t: 95000)

    for iid, n in ((a1, "mdm-api-1"), (a2, "mdm-api-2")):
        def line(t):
            r = sc.rng.random()
            th = f"http-nio-8080-exec-{sc.rng.randint(1, 200)}"
            m = f"0{sc.rng.randint(10**8, 10**9 - 1)}"
            if r < 0.03:
                return spring(sc, t, "ERROR", th, "c.m.mdm.api.ReadsController", f"Meter {m} has no register "
                              "mapping for OBIS 1.8.1; returning 422", "mdm-api")
            if r < 0.05:
                return spring(sc, t, "WARN", th, "c.m.mdm.cache.ProfileCache", f"cache miss storm key=profile:{m}",
                              "mdm-api")
            return spring(sc, t, "INFO", th, "c.m.mdm.api.RequestLog", f"GET /v1/meters/{m}/reads?from=2026-10-01 "
                          f"200 {sc.rng.randint(12, 160)}ms", "mdm-api")
        emit(sc, "/mdm/api/app", iid, lambda t: 2.5 * diurnal(sc, t, 16.0, 0.3) * (1 - bad(t)), line)
        every(sc, "/mdm/api/app", iid, 600, lambda t: spring(
            sc, t, "INFO", "scheduling-1", "c.m.mdm.health.PoolStats", f"HikariPool-1 active={sc.rng.randint(2, 9)} "
            "idle=11 waiting=0 total=20", "mdm-api"))

    sc.change(-15800, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", etl, "ops-automation")
    sc.change(-2100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", exp,
              "gitlab-runner-mdm")
    sc.alarm("mdm-query-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 8, "GreaterThanThreshold", "MDM query API ELB 5XX")
    sc.alarm("mdm-etl-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": etl}, "Average", 300, 2, 85,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "mdm-query-elb-5xx", "root_cause": {"category": "unknown", "resource": [lb, "mdm-query"]}}
    sc.meta = dict(
        alarm_on="front (ALB)", services="ALB, EC2 (Java 21 / Spring Boot), Lambda",
        decoys=f"`{exp}` deploy 200 s before onset (not behind this ALB); `mdm-etl-1` CPU spike and alarm hours "
               "earlier; steady 'no register mapping' 422 errors and cache-miss warnings",
        story="From -1900 s about 3-4 % of requests to the MDM query ALB come back as ELB-generated 502s. Both "
              "targets stay healthy, their CPU, memory, disk and status checks are flat, target 5XX and response "
              "time do not move, and the application logs show no new error — the failed requests simply never "
              "appear in them. No change touched the ALB, its target group or the instances.")
    sc.meta["judgement"] = ("Labelled `unknown` with the alarmed ALB as resource: the evidence shows where the "
                            "errors are counted but nothing that decides a cause (a keep-alive race, a network "
                            "path problem and an ALB node issue are all consistent, none is shown).")
    return sc


def build_14():
    sc = kit.new(14, "storm-crew-callouts", "Night-time crew call-outs during the storm failing; the "
                 "notifier's Errors alarm fired.", "eu-south-1", "2026-11-22T03:30:00+00:00")
    fn, wo = "crew-callout-notifier", "work-order-intake"
    onset, iam_t = -2000, -2060
    host = "api.telcomsg.example"
    sc.resource("lambda", fn, runtime="provided.al2023", memory_size=256, timeout=30)
    sc.resource("lambda", wo, runtime="python3.12", memory_size=512, timeout=30)

    def inv(t):
        return 6 + 14 * ramp(t, -9000, -6000)

    def p_fail(t):
        return 0.62 * ramp(t, onset, onset + 120) if t >= onset else 0.0

    v = lam_metrics(sc, fn, inv, lambda t: inv(t) * p_fail(t) + 0.02,
                    lambda t: 650 + p_fail(t) * 9800)
    wv = lam_metrics(sc, wo, lambda t: 20 + 160 * ramp(t, -9500, -6500), lambda t: 0.1, lambda t: 310)

    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 30, mem_used=(38, 3))

    def body(ll, t, rid, is_err, cold):
        crew = f"CR-{sc.rng.randint(100, 999)}"
        order = f"WO-{sc.rng.randint(10**6, 10**7 - 1)}"
        lines = [(0.01, zap(sc, t, "info", "call-out", "callout/handler.go:44", requestId=rid, crew=crew, order=order,
                            channel=sc.rng.choice(["sms", "sms", "voice"])))]
        if sc.rng.random() < 0.05:
            lines.append((0.02, zap(sc, t + 0.02, "error", "crew member has no verified phone; skipping",
                                    "callout/roster.go:61", requestId=rid, member=f"EMP{sc.rng.randint(10000, 99999)}")))
        if is_err:
            if sc.rng.random() < 0.75:
                e = (f"Post \"https://{host}/v2/messages\": context deadline exceeded (Client.Timeout exceeded while "
                     "awaiting headers)")
                d = sc.rng.uniform(10010, 10090)
            else:
                e = "gateway returned 503 Service Unavailable: {\"error\":\"upstream_unavailable\",\"retry_after\":30}"
                d = sc.rng.uniform(400, 2500)
            lines.append((d / 1000, zap(sc, t + d / 1000, "error", "send failed", "callout/gateway.go:97",
                                        requestId=rid, crew=crew, attempt=3, error=e)))
            return {"dur": d + 5, "lines": lines}
        d = max(200, sc.rng.gauss(650, 150))
        lines.append((d / 1000, zap(sc, t + d / 1000, "info", "message accepted", "callout/gateway.go:88",
                                    requestId=rid, crew=crew, provider_id=sc.hexid(16), status=202)))
        return {"dur": d, "lines": lines}

    lambda_run(ll, v["inv"], v["err"], 0.5, body)
    lw = LambdaLogs(sc, wo, "python3.12", 512, 30, mem_used=(110, 10))
    lambda_run(lw, wv["inv"], wv["err"], 0.02, lambda ll, t, rid, e, c: {"dur": sc.rng.gauss(310, 50), "lines": [
        (0.1, ll.fmt(t, rid, "INFO", f"work order created WO-{sc.rng.randint(10**6, 10**7 - 1)} "
                     f"type={sc.rng.choice(['LINE_DOWN', 'VEG_STORM', 'NO_SUPPLY'])} feeder=F-{sc.rng.randint(100, 999)}"))]})

    sc.change(-14400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gha-fieldops")
    sc.change(iam_t, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", f"{wo}-exec", "terraform-ops")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 4,
             "GreaterThanThreshold", "Crew call-out notifier errors")
    sc.alarm(f"{fn}-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 60, 5, 4000,
             "GreaterThanThreshold")
    sc.alarm(f"{wo}-errors", "AWS/Lambda", "Errors", {"FunctionName": wo}, "Sum", 60, 3, 5, "GreaterThanThreshold")
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "dependency_failure", "resource": [fn]}}
    sc.meta = dict(
        alarm_on="origin (dependency outside the account)", services="Lambda (Go, provided.al2023), IAM",
        decoys=f"IAM policy change on `{wo}-exec` 60 s before onset; storm volume tripling for hours; a "
               "notifier deploy 4 h earlier; steady 'no verified phone' errors; a Duration alarm (a consequence)",
        story=f"Storm work orders triple the call-out volume from about 01:00 UTC without failures. At -2000 s "
              f"the external messaging gateway `{host}` starts timing out (`context deadline exceeded "
              "(Client.Timeout exceeded while awaiting headers)` after 10 s) or answering 503 "
              "`upstream_unavailable`; ~60 % of call-outs fail and average duration jumps from 0.65 s to ~7 s, "
              f"well below the 30 s timeout. The IAM change is to another function's role, and no AccessDenied appears.")
    sc.meta["judgement"] = ("The failing dependency is not an AWS resource in the account, so the labelled "
                            f"resource is the function where the fault surfaces, `{fn}`.")
    return sc


BUILDERS = [build_13, build_14]
