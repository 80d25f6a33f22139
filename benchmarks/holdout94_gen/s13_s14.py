"""h94-13 (safety reports crash on a new client payload) and h94-14 (unexplained load-balancer 502s)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import jline
from .kit import (LOG_START, LambdaLogs, after, alb_set, apigw_set, ecs_set, emit, evening, expect, lam_run,
                  lambda_set, new, task_ids)
from .s03_s04 import _node_invoke_error


def build_13():
    sc = new(13, "safety-report-errors", "Users unable to submit safety reports; report-intake Errors alarm.",
             "ap-southeast-1", shift_min=1)
    rng = sc.rng
    fn, other, api = "report-intake", "block-user", "trust-api"
    sc.resource("apigateway", api, stage="prod", api_id="p0c8vz2r6d")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=512)
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=10, memory_size=512)
    start = -3350
    ev = lambda t: evening(sc, t)  # noqa: E731
    adopt = lambda t: 0.42 * after(t, start, 1500)  # noqa: E731  share of reports from the new iOS build
    inv = lambda t: 95 * ev(t)  # noqa: E731
    m = lambda_set(sc, fn, inv, lambda t: 0.3 + inv(t) * adopt(t), lambda t: 62.0)
    lambda_set(sc, other, lambda t: 140 * ev(t) + 90 * (after(t, -3300, 60) - after(t, -3000, 60)),
               lambda t: 0.1, lambda t: 35.0)
    apigw_set(sc, api, lambda t: 235 * ev(t), lambda t: 3 * ev(t), lambda t: 0.3 + inv(t) * adopt(t) * 0.98,
              lambda t: 80.0)
    sc.alarm("report-intake-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 8,
             "GreaterThanThreshold", "Safety report intake errors")
    sc.alarm("trust-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 40,
             "GreaterThanThreshold")
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 10, prewarm=LOG_START, mem_used=(101, 7))
    stack = ["    at normalizeReason (/var/task/src/reasons.js:27:31)",
             "    at buildReport (/var/task/src/report.js:44:19)",
             "    at Runtime.handler (/var/task/src/index.js:31:22)"]

    def body(ll, t, rid, is_err, cold):
        new_client = is_err and t >= start
        ua = ("Pairly/8.14.0 (iPhone; iOS 17.4)" if new_client else
              rng.choice(["Pairly/8.13.2 (iPhone; iOS 17.3)", "Pairly/8.13.2 (Android 14)",
                          "Pairly/8.12.0 (Android 13)"]))
        lines = [(0.003, ll.fmt(t + 0.003, rid, "INFO", jline({
            "msg": "report received", "reporter": f"u_{sc.hexid(8)}", "reported": f"u_{sc.hexid(8)}",
            "category": rng.choice(["fake_profile", "harassment", "spam", "underage"]), "ua": ua})))]
        if rng.random() < 0.06:
            lines.append((0.01, ll.fmt(t + 0.01, rid, "WARN", jline({
                "msg": "rate limit: reporter exceeded 5 reports/hour", "reporter": f"u_{sc.hexid(8)}"}))))
        if new_client:
            lines.append((0.02, ll.fmt(t + 0.02, rid, "ERROR", _node_invoke_error(
                "TypeError", "Cannot read properties of null (reading 'trim')", stack))))
            return {"dur": rng.uniform(20, 40), "lines": lines}
        if is_err:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "ERROR", _node_invoke_error(
                "ConditionalCheckFailedException", "The conditional request failed", [
                    "    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/"
                    "smithy-client/dist-cjs/index.js:840:20)"], name="ConditionalCheckFailedException"))))
            return {"dur": rng.uniform(45, 70), "lines": lines}
        d = max(20.0, rng.gauss(62, 15))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", jline({
            "msg": "report stored", "reportId": f"r_{sc.hexid(12)}", "queue": "trust-review"}))))
        return {"dur": d, "lines": lines}

    lam_run(ll, m["inv"], m["err"], body, ok_frac=0.05, err_frac=0.25)
    sc.change(-3420, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "github-actions-deployer")
    sc.change(-3405, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", other,
              "github-actions-deployer")
    sc.change(-3390, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", other,
              "github-actions-deployer")
    expect(sc, "report-intake-errors", "application_error", [fn],
           [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta.update(decoys=[
        "block-user deploy (code, version, alias) 70 s before onset behind the same API",
        "block-user invocation bump at the same time",
        "rate-limit warnings and ConditionalCheckFailed errors at a steady rate"],
        judgement=("The trigger is a mobile release (iOS 8.14.0 sends `reason: null`), which is not a change "
                   "in the account: report-intake itself was not changed, so application_error rather than "
                   "bad_deployment. block-user's deploy is another function."),
        story=("From -56 min report-intake throws `TypeError: Cannot read properties of null (reading "
               "'trim')` in normalizeReason, only for requests whose user agent is `Pairly/8.14.0 (iPhone; "
               "iOS 17.4)`; errors grow over 25 minutes as the new iOS build rolls out and trust-api's 5XX "
               "alarm follows. report-intake had no deploy or configuration change; block-user was deployed "
               "a minute before onset and got busier but is healthy; ConditionalCheckFailed errors and "
               "rate-limit warnings were there all afternoon."))
    return sc


def _slog(sc, t, level, msg, **kv) -> str:
    obj = {"time": sc.iso(t, 6), "level": level, "msg": msg}
    obj.update(kv)
    return jline(obj)


def build_14():
    sc = new(14, "recs-502s", "Intermittent 502s on the recommendations endpoint; recs-gw ELB 5XX alarm.",
             "us-west-1", shift_min=-10)
    rng = sc.rng
    cluster, svc, lb = "ml-usw1", "recs-serve", "app/recs-gw/1b7d4c9e03a5f286"
    sid = f"{cluster}/{svc}"
    sc.resource("alb", lb, name="recs-gw", scheme="internal", idle_timeout_s=60)
    sc.resource("ecs", sid, launch_type="FARGATE", desired_count=5, cpu=2048, memory=4096,
                task_definition="recs-serve:77")
    sc.resource("lambda", "receipts-verify", runtime="python3.12", timeout=15, memory_size=256)
    onset = -1750
    ev = lambda t: evening(sc, t)  # noqa: E731
    bad = lambda t: after(t, onset, 120) * (0.8 + 0.4 * ((t // 300) % 2))  # noqa: E731
    req = lambda t: 2400 * ev(t)  # noqa: E731
    alb_set(sc, lb, req, lambda t: 0.062 * ev(t), lambda t: 0.3, e5xx=lambda t: 0.2 + 0.015 * req(t) * bad(t),
            healthy=5)
    ecs_set(sc, cluster, svc, lambda t: 41 * ev(t), lambda t: 63.0 + 0.0002 * (t + 21600))
    lambda_set(sc, "receipts-verify", lambda t: 45 * ev(t), lambda t: 0.05, lambda t: 420.0)
    sc.alarm("recs-gw-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3,
             15, "GreaterThanThreshold", "recs-gw 5XX generated by the load balancer")
    sc.alarm("recs-serve-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cluster, "ServiceName": svc},
             "Average", 300, 2, 80, "GreaterThanThreshold")
    sc.alarm("receipts-verify-errors", "AWS/Lambda", "Errors", {"FunctionName": "receipts-verify"}, "Sum", 300,
             1, 5, "GreaterThanThreshold")
    g = "/ecs/recs-serve"
    streams = [f"recs/recs-serve/{x}" for x in task_ids(sc, 5)]
    emit(sc, g, streams, LOG_START, 0, lambda t: 3.5 * ev(t), lambda t: _slog(
        sc, t, "INFO", "recs served", user=f"u_{sc.hexid(8)}", n=50, model="twotower-v12",
        latency_ms=rng.randint(25, 110)))
    emit(sc, g, streams, LOG_START, 0, 1.6, lambda t: _slog(
        sc, t, "ERROR", "feature store miss", key=f"uf:{sc.hexid(8)}", fallback="popularity"))
    emit(sc, g, streams, LOG_START, 0, 0.7, lambda t: _slog(
        sc, t, "WARN", "request canceled by client", path="/v2/recs", err="context canceled"))
    for s in streams:
        emit(sc, g, s, LOG_START, 0, 1 / 5.0, lambda t: _slog(
            sc, t, "INFO", "http server stats", open_conns=rng.randint(180, 260), goroutines=rng.randint(900, 1400),
            heap_mb=rng.randint(1400, 1700)))
    sc.change(-1905, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "receipts-verify", "github-actions-deployer")
    sc.change(-12600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", sid, "argo-deployer")
    sc.change(-19800, "elasticloadbalancing.amazonaws.com", "ModifyLoadBalancerAttributes",
              "AWS::ElasticLoadBalancingV2::LoadBalancer", "recs-gw", "priya.n")
    expect(sc, "recs-gw-elb-5xx", "unknown", [lb, "recs-gw", sid, svc],
           [("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb})])
    sc.meta.update(front="front (ALB), origin undetermined", decoys=[
        "receipts-verify deploy 2.5 min before onset (not on this path)",
        "recs-serve deploy 3.5 h and ALB attribute change 5.5 h earlier",
        "feature-store misses and context-canceled warnings all afternoon"],
        judgement=("`unknown` is deliberate: the 502s are generated by the load balancer while targets "
                   "stay healthy, target 5XX, latency, CPU and memory are flat, the service logs no new "
                   "signature and nothing on this path changed near onset. The resource list names the "
                   "alarmed load balancer and its target service only so that a graded report is "
                   "well-formed; the category is what is scored."),
        story=("From -29 min recs-gw returns ~1.5 % 502s generated by the load balancer itself (HTTPCode_ELB_"
               "5XX, pulsing in five-minute waves) while HTTPCode_Target_5XX stays at zero, HealthyHostCount "
               "stays at 5, response time, CPU and memory are flat and recs-serve's logs show nothing new. "
               "The only change near onset is a deploy of receipts-verify, which is not behind recs-gw and "
               "stays healthy; recs-serve was last deployed 3.5 h ago and the ALB attribute change is from "
               "the morning. The evidence does not single out a cause (a keep-alive race, a network fault "
               "or an ALB node issue all fit), so the label is unknown."))
    return sc


BUILDERS = [build_13, build_14]
