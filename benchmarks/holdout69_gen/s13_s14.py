"""h69-13 (quota store instance impaired behind the public API) and h69-14 (push function at its
reserved concurrency behind an orchestrator)."""
from __future__ import annotations

from .common import GRID, diurnal
from .kit import (LOG_START, LambdaLogs, Scenario, bump, emit, jline, lam_props, lambda_sampled,
                  meta, put, ramp, tenant)

QS, JR = "i-0e7d52a1c9f3b8640", "i-0a3f9b61d27c4e815"


# --------------------------------------------------------------------------- h69-13
def build13() -> Scenario:
    sc = Scenario(13, "public-api-5xx", "Public tenant API returning 503 for most calls; 5xx alarm "
                  "on the API.", "ca-central-1", 691313, "2026-05-27T19:10:00")
    T0 = -2220
    sc.resource("apigateway", "public-api", stage="v2", authorizer="quota-gate")
    sc.resource("lambda", "quota-gate", **lam_props("python3.11", 5, 256, vpc=True,
                environment_keys=["QUOTA_ENDPOINT", "FAIL_OPEN"]))
    sc.resource("ec2", QS, name="quota-store-1", instance_type="r6i.large", private_ip="10.0.12.41",
                log_groups=["/quota/service"])
    sc.resource("ec2", JR, name="jobs-runner-1", instance_type="c6i.2xlarge")
    sc.resource("lambda", "tenant-usage-export", **lam_props("python3.11", 300, 1024))
    rng = sc.rng
    down = lambda t: 1.0 if t >= T0 else 0.0  # noqa: E731
    dl = lambda t: diurnal(sc, t, 17, 0.2)  # noqa: E731
    E = {"InstanceId": QS}
    put(sc, "AWS/EC2", "CPUUtilization", E, "Percent",
        lambda t: None if t >= T0 else 17 * dl(t), noise=0.08)
    put(sc, "AWS/EC2", "NetworkIn", E, "Bytes", lambda t: None if t >= T0 else 3.1e7 * dl(t),
        noise=0.08, digits=0)
    put(sc, "AWS/EC2", "StatusCheckFailed_System", E, "Count", lambda t: down(t), noise=0.0)
    put(sc, "AWS/EC2", "StatusCheckFailed", E, "Count", lambda t: down(t), noise=0.0)
    put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": JR}, "Percent",
        lambda t: 12 + bump(t, -2460, -2100, 80, 60), noise=0.06, cap=100)
    A = {"ApiName": "public-api"}
    cnt = put(sc, "AWS/ApiGateway", "Count", A, "Count", lambda t: 265 * dl(t), integer=True)
    put(sc, "AWS/ApiGateway", "5XXError", A, "Count", lambda t: 0.2 + cnt.get(t, 0) * 0.64 * down(t),
        integer=True)
    put(sc, "AWS/ApiGateway", "4XXError", A, "Count", lambda t: 4.2 * dl(t), integer=True)
    put(sc, "AWS/ApiGateway", "Latency", A, "Milliseconds", lambda t: 62 + 1350 * down(t), noise=0.08)
    Q = {"FunctionName": "quota-gate"}
    inv = put(sc, "AWS/Lambda", "Invocations", Q, "Count", lambda t: cnt.get(t, 0), noise=0.0,
              integer=True)
    put(sc, "AWS/Lambda", "Errors", Q, "Count", lambda t: 0.05, integer=True)
    put(sc, "AWS/Lambda", "Duration", Q, "Milliseconds", lambda t: 9 + 1300 * down(t), noise=0.08)
    U = {"FunctionName": "tenant-usage-export"}
    put(sc, "AWS/Lambda", "Invocations", U, "Count", lambda t: 0.3, integer=True)
    put(sc, "AWS/Lambda", "Errors", U, "Count", lambda t: 0.0, integer=True)

    ll = LambdaLogs(sc, "quota-gate", "python3.11", 256, 5, mem_used=(64, 3))

    def body(ll, t, rid, is_err, cold):
        ten = tenant(sc)
        if down(t) and rng.random() < 0.66:
            if rng.random() < 0.8:
                why, d = "timed out connecting to 10.0.12.41:7400 after 2000ms", rng.gauss(2010, 5)
            else:
                why, d = "[Errno 113] No route to host (10.0.12.41:7400)", rng.gauss(900, 200)
            return {"lines": [(d / 1000 - 0.002, ll.fmt(t, rid, "ERROR", f"quota check failed tenant={ten}:"
                               f" {why}; FAIL_OPEN=false -> 503"))], "dur": d}
        if down(t):
            return {"lines": [(0.002, ll.fmt(t, rid, "INFO", f"quota ok tenant={ten} (cached decision, "
                               f"age {rng.randint(1, 59)}s)"))], "dur": rng.gauss(4, 1)}
        if rng.random() < 0.045:
            return {"lines": [(0.003, ll.fmt(t, rid, "WARNING", "quota exceeded tenant=t_2231 plan=starter"
                               f" used={rng.randint(301, 330)}/300 window=60s -> 429"))], "dur": rng.gauss(9, 2)}
        return {"lines": [(0.003, ll.fmt(t, rid, "INFO", f"quota ok tenant={ten} plan="
                           f"{rng.choice(['growth', 'scale', 'enterprise'])} used={rng.randint(1, 4000)}/5000 "
                           f"rtt={rng.uniform(0.6, 2.2):.1f}ms"))], "dur": rng.gauss(9, 2)}
    lambda_sampled(ll, inv, {}, body, cap=3)

    def zap(t):
        d = {"level": "info", "ts": round(sc.at(t).timestamp(), 6), "caller": "server/window.go:88",
             "msg": "window flushed", "tenants": rng.randint(380, 440), "keys": rng.randint(8000, 9800)}
        if rng.random() < 0.1:
            d.update(level="warn", caller="server/conn.go:141", msg="slow client",
                     remote=sc.ip("10.0"), ms=rng.randint(40, 160))
            d.pop("tenants"), d.pop("keys")
        return jline(d)
    emit(sc, "/quota/service", QS, lambda t: 3, zap, end=T0 - 3)
    ul = LambdaLogs(sc, "tenant-usage-export", "python3.11", 1024, 300, mem_used=(300, 20),
                    retire=(-2280,))

    def ubody(ll, t, rid, is_err, cold):
        return {"lines": [(8, ll.fmt(t, rid, "INFO", f"exported usage for {tenant(sc)} to s3 "
                                     f"({rng.randint(1, 90)} MB)"))], "dur": rng.gauss(9000, 1500)}
    lambda_sampled(ul, {t: 1 for t in range(LOG_START, 0, 600)}, {}, ubody, cap=1)
    sc.change(-2280, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "tenant-usage-export", "jenkins-platform")
    sc.change(-2460, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunShellScript",
              "jobs-scheduler")
    sc.change(-20000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "quota-gate", "jenkins-platform")
    sc.alarm("public-api-5xx", "AWS/ApiGateway", "5XXError", A, "Sum", 60, 3, 25, "GreaterThanThreshold",
             "Public API server errors")
    sc.alarm("quota-store-1-status-check", "AWS/EC2", "StatusCheckFailed_System", E, "Maximum", 60, 2, 1,
             "GreaterThanOrEqualToThreshold")
    sc.alarm("jobs-runner-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": JR}, "Average", 300, 1, 85,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "public-api-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [QS, "quota-store-1"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System",
                                "dimensions": E}]}
    meta(sc, alarm_on="front (API Gateway; origin is an EC2 instance two hops behind)",
         decoys="tenant-usage-export deploy 1 min before onset; jobs-runner-1 CPU spike (SSM "
                "command) just before; steady per-tenant 429 quota warnings (throttling bait)",
         services="API Gateway, Lambda (Python), EC2",
         story="The API's authorizer `quota-gate` asks a quota counter on `quota-store-1` "
               "(10.0.12.41:7400) before each call. 37 minutes ago that instance's system status "
               "check failed; its CPU and network metrics stop (no data) and its service log "
               "ends. From the same minute the function logs `timed out connecting to "
               "10.0.12.41:7400 after 2000ms` / `No route to host` and fails closed with 503, so "
               "5XXError and Latency on the API jump while Lambda Errors stay flat. The instance "
               "is impaired, not busy, and it is a resource in the account, so it is the origin. "
               "The 429 `quota exceeded` warnings for one starter-plan tenant are old news; the "
               "export deploy and the jobs-runner CPU spike are unrelated.")
    return sc


# --------------------------------------------------------------------------- h69-14
def build14() -> Scenario:
    sc = Scenario(14, "sync-orchestrator-errors", "CRM sync jobs failing across tenants; errors "
                  "alarm on the orchestrator.", "us-east-1", 691414, "2026-04-22T13:35:00")
    T0, RC = -3000, 20
    sc.resource("lambda", "sync-orchestrator", **lam_props("java21", 300, 1024))
    sc.resource("lambda", "partner-push", **lam_props("ruby3.3", 30, 512, reserved_concurrency=RC))
    sc.resource("lambda", "crm-field-mapper", **lam_props("nodejs20.x", 10, 256))
    rng = sc.rng
    dl = lambda t: diurnal(sc, t, 15, 0.2)  # noqa: E731
    rs = lambda t: ramp(t, T0, T0 + 240)  # noqa: E731
    demand = lambda t: 88 * dl(t) + 420 * rs(t)  # noqa: E731
    cap_ = RC * 60 / 3.3
    P = {"FunctionName": "partner-push"}
    put(sc, "AWS/Lambda", "Invocations", P, "Count", lambda t: min(demand(t), cap_ * 0.97), integer=True)
    put(sc, "AWS/Lambda", "Throttles", P, "Count", lambda t: max(0.0, demand(t) - cap_ * 0.97),
        integer=True)
    put(sc, "AWS/Lambda", "ConcurrentExecutions", P, "Count",
        lambda t: min(RC, demand(t) * 3.3 / 60), noise=0.03, digits=0, cap=RC)
    put(sc, "AWS/Lambda", "Errors", P, "Count", lambda t: 0.05, integer=True)
    put(sc, "AWS/Lambda", "Duration", P, "Milliseconds", lambda t: 3300, noise=0.06)
    O = {"FunctionName": "sync-orchestrator"}
    oinv = put(sc, "AWS/Lambda", "Invocations", O, "Count", lambda t: 9 * dl(t) + 13 * rs(t), integer=True)
    oerr = put(sc, "AWS/Lambda", "Errors", O, "Count", lambda t: 0.04 + oinv.get(t, 0) * 0.45 * ramp(t, T0 + 150, T0 + 330),
               integer=True)
    put(sc, "AWS/Lambda", "Duration", O, "Milliseconds", lambda t: 41000 + 25000 * rs(t) +
        bump(t, -9400, -9000, 60000, 60), noise=0.08)
    M = {"FunctionName": "crm-field-mapper"}
    put(sc, "AWS/Lambda", "Invocations", M, "Count", lambda t: 30 * dl(t), integer=True)
    put(sc, "AWS/Lambda", "Errors", M, "Count", lambda t: 0.02, integer=True)

    ll = LambdaLogs(sc, "sync-orchestrator", "java21", 1024, 300, mem_used=(300, 15))

    def body(ll, t, rid, is_err, cold):
        big = rs(t) > 0.5 and rng.random() < 0.6
        ten = "t_6112" if big else tenant(sc)
        n = rng.randint(18_000, 24_000) if big else rng.randint(50, 3000)
        ch = n // 100 + 1
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"Sync job job_{sc.hexid(10)} tenant={ten} mode="
                               f"{'full' if big else 'delta'} contacts={n} chunks={ch}"))]
        for k in range(1, min(ch, 4) + 1):
            lines.append((k * 3.4, ll.fmt(t, rid, "INFO", f"Invoked partner-push chunk {k}/{ch} "
                                          "(RequestResponse) status=200")))
        if rng.random() < 0.05:
            lines.append((14, ll.fmt(t, rid, "WARN", f"partner-push chunk 3/{ch} partial failure: "
                                     f"{rng.randint(1, 9)} contacts rejected by crmhub (invalid email)")))
        if is_err and rs(t) > 0.6:
            rq = sc.uuid()
            for a in (1, 2, 3):
                lines.append((15 + a, ll.fmt(t, rid, "WARN", f"Invoke partner-push throttled (429 "
                                             f"TooManyRequestsException), SDK retry {a}/3")))
            msg = f"Rate Exceeded. (Service: Lambda, Status Code: 429, Request ID: {rq})"
            e = {"errorMessage": msg,
                 "errorType": "software.amazon.awssdk.services.lambda.model.TooManyRequestsException",
                 "stackTrace": ["software.amazon.awssdk.core.internal.http.CombinedResponseHandler."
                                "handleErrorResponse(CombinedResponseHandler.java:125)",
                                "com.acme.sync.PartnerPushClient.pushChunk(PartnerPushClient.java:73)",
                                "com.acme.sync.Orchestrator.handleRequest(Orchestrator.java:58)"]}
            lines.append((19, jline(e)))
            return {"lines": lines, "dur": 19100}
        d = rng.gauss(41000 + 25000 * rs(t), 6000)
        lines.append((d / 1000 - 0.1, ll.fmt(t, rid, "INFO", f"Sync job finished tenant={ten} pushed="
                                             f"{n} rejected={rng.randint(0, 12)}")))
        return {"lines": lines, "dur": d}
    lambda_sampled(ll, oinv, oerr, body, cap=2)
    pl = LambdaLogs(sc, "partner-push", "ruby3.3", 512, 30, mem_used=(150, 6), max_envs=RC)

    def pbody(ll, t, rid, is_err, cold):
        d = rng.gauss(3300, 400)
        return {"lines": [(d / 1000 - 0.01, ll.fmt(t, rid, "INFO", f"pushed 100 contacts tenant="
                           f"{'t_6112' if rs(t) > 0.5 and rng.random() < 0.8 else tenant(sc)} crm=crmhub "
                           f"status=200 in {int(d - 30)}ms"))], "dur": d}
    lambda_sampled(pl, {t: 3 for t in GRID if t >= LOG_START}, {}, pbody, cap=3)
    sc.change(-3090, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "crm-field-mapper", "buildkite-sync")
    sc.change(-3080, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "crm-field-mapper", "buildkite-sync")
    sc.change(-14400, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function",
              "partner-push", "platform-admin")
    sc.alarm("sync-orchestrator-errors", "AWS/Lambda", "Errors", O, "Sum", 60, 3, 3, "GreaterThanThreshold",
             "CRM sync job failures")
    sc.alarm("partner-push-throttles", "AWS/Lambda", "Throttles", P, "Sum", 60, 3, 10,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "sync-orchestrator-errors",
                 "root_cause": {"category": "throttling", "resource": ["partner-push"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": P}]}
    meta(sc, alarm_on="front (the calling Lambda; origin is the throttled function it invokes)",
         decoys="crm-field-mapper deploy 90 s before onset; orchestrator Duration spike 2.6 h "
                "earlier; steady partial-failure warnings",
         services="Lambda (Java 21, Ruby, Node.js)",
         story="A tenant (`t_6112`) started a full CRM resync: the Java `sync-orchestrator` now "
               "runs jobs with ~200 chunks and invokes `partner-push` synchronously for each. "
               "`partner-push` has reserved concurrency 20; its ConcurrentExecutions sits at 20 and "
               "Throttles jumps to ~150 a minute while its own Errors and Duration are "
               "unchanged. The orchestrator logs `Invoke partner-push throttled ... SDK retry 3/3` "
               "and fails with `TooManyRequestsException: Rate Exceeded. (Service: Lambda, Status "
               "Code: 429 ...)`. The reserved-concurrency setting was made four hours ago and "
               "worked until demand rose; the `crm-field-mapper` deploy just before onset is "
               "unrelated.")
    return sc


BUILDERS = [build13, build14]
