"""h84-03 (claims orchestrator on ECS: a new image's routing bug, seen at the ALB) and h84-04
(a rules-engine Lambda reads a mistyped SSM threshold, seen as API Gateway 5XX)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline

from .kit import (H84, alb_set, anomaly, apigw_exec, apigw_set, dotnet_json, ecs_set, emit,
                  expect, lambda_set, meta, minutes, pick, rds_set)

ORCH_EXC = ("System.InvalidOperationException: Sequence contains no matching element\n"
            "   at System.Linq.ThrowHelper.ThrowNoMatchException()\n"
            "   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source, Func`2 predicate)\n"
            "   at Claims.Orchestrator.Routing.AdjusterAssignment.SelectQueue(ClaimContext ctx) in "
            "/src/Claims.Orchestrator/Routing/AdjusterAssignment.cs:line 88\n"
            "   at Claims.Orchestrator.Api.RoutingEndpoints.<>c.<<MapRouting>b__0_0>d.MoveNext() in "
            "/src/Claims.Orchestrator/Api/RoutingEndpoints.cs:line 41")


def build_03() -> H84:
    sc = H84(3, "orchestrator-route-500s", "Claims orchestrator public ALB returning 5XX on claim "
             "routing; adjusters report claims stuck in 'awaiting assignment'.",
             "eu-central-1", 8403, "2026-03-19T09:25:00")
    cl, svc, fraud = "claims-prod", "claim-orchestrator", "fraud-signal-score"
    lb = "app/claims-orch-pub/93f0a6c1b27de4a5"
    t_dep, t_up, t_old = -2280, -2200, -2050
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3, task_definition="claim-orchestrator:143",
                container="orchestrator", image_runtime=".NET 8 (ASP.NET Core)")
    sc.resource("alb", lb, name="claims-orch-pub")
    sc.resource("lambda", fraud, runtime="python3.12", timeout=10, memory_size=512)
    sc.resource("rds", "claims-core-pg", engine="postgres", instance_class="db.r6g.xlarge", max_connections=1600,
                allocated_storage_gb=800)
    share = lambda t: 0.23 * ramp(t, t_up, t_old)
    req = lambda t: 95 * diurnal(sc, t, 11, 0.3)
    alb_set(sc, lb, req, lambda t: 0.094 + 0.02 * bump(t, t_up, t_old, 1, 30),
            lambda t: 0.12 + req(t) * share(t), healthy=lambda t: 3 + 3 * bump(t, t_up, t_old, 1, 5))
    ecs_set(sc, cl, svc, lambda t: 33 * diurnal(sc, t, 11, 0.3) + bump(t, t_up, t_old, 9, 30),
            lambda t: 51 + bump(t, t_up, t_old, 4, 30), tasks=lambda t: 3 + 3 * bump(t, t_up, t_old, 1, 5))
    f = lambda_set(sc, fraud, lambda t: 9 * diurnal(sc, t, 11, 0.3), lambda t: 0.6, lambda t: 310.0)
    rds_set(sc, "claims-core-pg", lambda t: 24 * diurnal(sc, t, 11, 0.2), lambda t: 210, lambda t: 512.0,
            lambda t: 9.8)
    sc.change(-2300, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "claim-orchestrator:143", "github-actions-deployer")
    sc.change(t_dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "github-actions-deployer")
    sc.change(-2190, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fraud, "m.keller")
    sc.change(-16900, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/claim-docs-sync",
              "github-actions-deployer")
    group = f"/ecs/{svc}"
    old = [(f"ecs/orchestrator/{sc.hexid(32)}", "4.17.2+9c1e07b") for _ in range(3)]
    new = [(f"ecs/orchestrator/{sc.hexid(32)}", "4.18.0+a91f3c2") for _ in range(3)]
    cat = "Microsoft.AspNetCore.Hosting.Diagnostics"
    paths = ["/v2/claims/{}/route", "/v2/claims/{}", "/v2/claims/{}/notes", "/v2/claims/{}/route"]

    def request(t, fail=False):
        claim = f"CLM-{sc.rng.randint(4000000, 4999999)}"
        path = pick(sc, paths).format(claim) if not fail else f"/v2/claims/{claim}/route"
        method = "POST" if path.endswith(("route", "notes")) else "GET"
        ms = sc.rng.gauss(88, 22) if not fail else sc.rng.gauss(41, 8)
        code = 500 if fail else 200
        return dotnet_json(sc, t, "Information", cat, f"Request finished HTTP/1.1 {method} http://claims-orch{path} - "
                           f"{code} - application/json {ms:.4f}ms", event_id=2)

    def stream(name, version, start, end, bad):
        sc.log(group, name, start, dotnet_json(sc, start, "Information", "Claims.Orchestrator.Program",
                                               f"Claims.Orchestrator {version} starting (Production)"))
        sc.log(group, name, start + 0.8, dotnet_json(sc, start + 0.8, "Information", "Microsoft.Hosting.Lifetime",
                                                     "Now listening on: http://[::]:8080", event_id=14))
        sc.log(group, name, start + 0.9, dotnet_json(sc, start + 0.9, "Information", "Microsoft.Hosting.Lifetime",
                                                     "Application started. Press Ctrl+C to shut down."))
        per = lambda t: req(t) / 3 * 0.06 * (1 - share(t) * bad)
        emit(sc, group, name, per, request, start + 5, end)
        emit(sc, group, name, lambda t: 0.4, lambda t: dotnet_json(
            sc, t, "Warning", "Polly", "Execution attempt. Source: 'fraud-signal//Standard-Retry', Operation Key: '', "
            f"Result: '503', Handled: 'True', Attempt: '0', Execution Time: {sc.rng.uniform(150, 420):.4f}ms", event_id=3),
             start + 5, end)
        emit(sc, group, name, lambda t: 0.15, lambda t: dotnet_json(
            sc, t, "Warning", "Claims.Orchestrator.Policies.PolicyContextLoader",
            f"Claim CLM-{sc.rng.randint(4000000, 4999999)} has no policy effective date; defaulting to inception"),
             start + 5, end)
        if bad:
            def err(t):
                claim = f"CLM-{sc.rng.randint(4000000, 4999999)}"
                sc.log(group, name, t + 0.041, request(t + 0.041, True))
                return dotnet_json(sc, t, "Error", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware",
                                   "An unhandled exception has occurred while executing the request.", event_id=1,
                                   exc=ORCH_EXC, ClaimId=claim, LossType=pick(sc, ["Hail", "Flood", "Storm"]))
            emit(sc, group, name, lambda t: req(t) / 3 * 0.23 * 0.06, err, start + 20, end)
        else:
            sc.log(group, name, end, dotnet_json(sc, end, "Information", "Microsoft.Hosting.Lifetime",
                                                 "Application is shutting down..."))

    for i, (name, ver) in enumerate(old):
        stream(name, ver, -21600 - 3600 * (i + 2) * 7, -2050 + 12 * i, False)
    for i, (name, ver) in enumerate(new):
        stream(name, ver, t_up + 25 * i, 0.0, True)

    def fbody(ll, t, rid, is_err, cold):
        score = sc.rng.betavariate(2, 9)
        if is_err:
            return {"lines": [(0.3, ll.fmt(t, rid, "ERROR", "ModelError: An error occurred (ModelError) when calling the "
                                           "InvokeEndpoint operation: Received server error (503) from primary with message "
                                           "\"endpoint fraud-xgb-v12 is busy\""))], "dur": sc.rng.gauss(420, 60)}
        return {"lines": [(0.2, ll.fmt(t, rid, "INFO", f"fraud score {score:.3f} model=fraud-xgb-v12 features=47"))],
                "dur": sc.rng.gauss(300, 40)}

    LambdaLogs(sc, fraud, "python3.12", 512, 10, retire=[-2190], mem_used=(168, 10)).run(
        minutes(f["inv"]), minutes(f["err"]), fbody)
    sc.alarm("claims-orch-pub-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 10, "GreaterThanThreshold", "Orchestrator returning 5XX")
    sc.alarm("fraud-signal-score-errors", "AWS/Lambda", "Errors", {"FunctionName": fraud}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    expect(sc, "claims-orch-pub-target-5xx", "bad_deployment", [f"{cl}/{svc}", svc],
           [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    meta(sc, alarm_on="front (ALB -> ECS service)", services="ALB, ECS (.NET 8 JSON console logs), Lambda (Python), RDS",
         decoys="configuration update on the fraud-scoring Lambda 10 s before the first 500 (after the deploy); "
                "Polly retry warnings on 503s from fraud scoring at a constant rate",
         story="The orchestrator's service is updated to task definition :143 at -38 min; the three new tasks "
               "log `Claims.Orchestrator 4.18.0+a91f3c2 starting` and, from their first minute, an unhandled "
               "`InvalidOperationException: Sequence contains no matching element` in "
               "`AdjusterAssignment.SelectQueue` for Hail/Flood/Storm claims, answered with 500. The old "
               "4.17.2 tasks never log it. A configuration update on the fraud-scoring function lands between "
               "the deploy and the first error (and config changes outrank deployments), but that function's "
               "error rate and latency are unchanged and the stack trace is in the orchestrator's own routing "
               "code; the Polly 503 retries against fraud scoring run at the same rate all six hours.")
    return sc


PARAM = "/adjudication/prod/rules/fraud-refer-threshold"


def build_04() -> H84:
    sc = H84(4, "adjudication-refer-502", "Adjudication API returning 5XX to the broker portal for part "
             "of submitted claims; API Gateway 5XX alarm in ALARM.", "ap-southeast-2", 8404, "2026-03-20T01:30:00")
    api, fn, val = "adjudication-api", "adjudication-rules", "claim-intake-validate"
    t_cfg, t_first = -3300, -3215
    sc.resource("apigateway", api, stage="prod", api_id="k3v9x1q7ab", integration="Lambda proxy")
    sc.resource("lambda", fn, runtime="java21", timeout=20, memory_size=2048,
                layers=["AWS-Parameters-and-Secrets-Lambda-Extension:11"])
    sc.resource("lambda", val, runtime="nodejs20.x", timeout=6, memory_size=256)
    bad = lambda t: 0.55 * ramp(t, t_first - 10, t_cfg + 330)
    rinv = lambda t: 8 * diurnal(sc, t, 2.5, 0.35)
    vinv = lambda t: 3 * diurnal(sc, t, 2.5, 0.35)
    r = lambda_set(sc, fn, rinv, lambda t: rinv(t) * bad(t), lambda t: 760 - 420 * bad(t))
    v = lambda_set(sc, val, vinv, lambda t: 0.0, lambda t: 48.0)
    apigw_set(sc, api, lambda t: rinv(t) + vinv(t), lambda t: 0.5, lambda t: rinv(t) * bad(t),
              lambda t: 820 - 400 * bad(t))
    sc.change(t_cfg, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", PARAM, "d.nguyen")
    sc.change(-3225, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", val, "bitbucket-pipelines")
    sc.change(-3221, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", val, "bitbucket-pipelines")
    sc.change(-15400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "bitbucket-pipelines")
    exec_group, exec_stream = "API-Gateway-Execution-Logs_k3v9x1q7ab/prod", "k3v9x1q7ab-prod"

    def rbody(ll, t, rid, is_err, cold):
        rng = sc.rng
        claim = f"CLM-{rng.randint(2200000, 2899999)}"
        lines = []
        if cold or rng.random() < 0.06:
            value = "0,85" if t > t_cfg + 80 else "0.85"
            lines.append((0.01, ll.fmt(t, rid, "INFO", f"Parameters refreshed from /adjudication/prod/rules/ (14 values, "
                                       f"ttl=300s): fraud-refer-threshold={value} auto-approve-limit=5000.00")))
        prod = pick(sc, ["MOTOR-COMP", "MOTOR-TPFT", "HOME-BLD", "HOME-CNT"])
        amt = rng.uniform(900, 4900) if not is_err else rng.uniform(5200, 48000)
        lines.append((0.03, ll.fmt(t + 0.03, rid, "INFO", f"Evaluating claim {claim} product={prod} amount={amt:.2f} ruleset=2026.03-r2")))
        if rng.random() < 0.2:
            lines.append((0.09, ll.fmt(t + 0.09, rid, "WARN", "Rule SIU-REFERRAL-17 skipped: missing attribute claim.priorLossCount")))
        if is_err:
            msg = f"Parameter {PARAM} has invalid value '0,85' (expected a decimal between 0 and 1)"
            dur = rng.gauss(340, 50)
            lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "ERROR",
                          f"FraudReferralRule failed for {claim}: {msg}\n"
                          "com.meridian.adjudication.config.InvalidConfigurationException: " + msg + "\n"
                          "\tat com.meridian.adjudication.config.RuleParameters.decimal(RuleParameters.java:77)\n"
                          "\tat com.meridian.adjudication.rules.FraudReferralRule.evaluate(FraudReferralRule.java:43)\n"
                          "\tat com.meridian.adjudication.engine.RuleRunner.run(RuleRunner.java:118)\n"
                          "Caused by: java.lang.NumberFormatException: For input string: \"0,85\"")))
            lines.append((dur / 1000 - 0.005, jline({"errorMessage": msg, "errorType":
                          "com.meridian.adjudication.config.InvalidConfigurationException",
                          "stackTrace": ["com.meridian.adjudication.config.RuleParameters.decimal(RuleParameters.java:77)",
                                         "com.meridian.adjudication.rules.FraudReferralRule.evaluate(FraudReferralRule.java:43)"]})))
            lrid = sc.uuid()
            sc.log(exec_group, exec_stream, t + dur / 1000 + 0.02, apigw_exec(lrid, "Lambda execution failed with status 200 "
                   f"due to customer function error: {msg}. Lambda request id: {rid}"))
            sc.log(exec_group, exec_stream, t + dur / 1000 + 0.03, apigw_exec(lrid, "Method completed with status: 502"))
            return {"lines": lines, "dur": dur}
        dur = rng.gauss(740, 120)
        lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "INFO",
                      f"Decision {pick(sc, ['APPROVE', 'APPROVE', 'REFER', 'APPROVE_PARTIAL'])} for {claim} in {dur:.0f} ms")))
        return {"lines": lines, "dur": dur}

    LambdaLogs(sc, fn, "java21", 2048, 20, mem_used=(610, 40)).run(minutes(r["inv"]), minutes(r["err"]), rbody)

    def vbody(ll, t, rid, is_err, cold):
        if sc.rng.random() < 0.12:
            return {"lines": [(0.01, ll.fmt(t, rid, "WARN", "ValidationError: \"policyNumber\" with value \"AU-HM-0031\" "
                                            "fails to match the required pattern: /^[A-Z]{3}\\d{9}$/ (returning 400)"))],
                    "dur": sc.rng.gauss(30, 6)}
        return {"lines": [(0.01, ll.fmt(t, rid, "INFO", "claim payload valid schema=fnol-v3"))], "dur": sc.rng.gauss(48, 9)}

    LambdaLogs(sc, val, "nodejs20.x", 256, 6, retire=[-3225], mem_used=(88, 5)).run(minutes(v["inv"]), {}, vbody)
    sc.alarm("adjudication-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Adjudication API server errors")
    sc.alarm("adjudication-rules-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 15,
             "GreaterThanThreshold")
    expect(sc, "adjudication-api-5xx", "config_change", [fn],
           [anomaly("AWS/ApiGateway", "5XXError", {"ApiName": api}), anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta(sc, alarm_on="front (API Gateway -> Lambda)", services="API Gateway, Lambda (Java 21, Node.js 20)",
         decoys="code deploy of the intake-validation Lambda 10 s before the first error; handled "
                "400 validation warnings and a skipped-rule WARN present all along",
         story="An operator changes the SSM parameter `" + PARAM + "` at -55 min. The Java rules function "
               "reads its parameters through the Parameters and Secrets extension with a 300 s cache, so "
               "failures begin as environments refresh: the refresh line now shows "
               "`fraud-refer-threshold=0,85` instead of `0.85`, and every claim large enough to reach the "
               "fraud-referral rule fails with `InvalidConfigurationException ... invalid value '0,85'` "
               "(`NumberFormatException`), which API Gateway turns into 502. The intake-validation function "
               "is deployed ten seconds before the first failure, but it never errors and its route keeps "
               "answering; the failing code path names the setting.")
    return sc


BUILDERS = [build_03, build_04]
