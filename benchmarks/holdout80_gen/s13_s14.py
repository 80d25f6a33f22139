"""h80-13 (prior-auth Java function ships a JAR with a clashing Jackson, seen at the API) and h80-14
(an ALB listener-rule edit sends the referral API to an empty target group)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import LambdaLogs, rails

from .kit import (GRID, LOG_START, alb_id, alb_metrics, apigw_exec, apigw_metrics, bump, derive, ecs_metrics, emit,
                  expect, lam_metrics, meta, new, pick, ramp)

PAYERS = ["UHC", "AETNA", "CIGNA", "HUMANA", "BCBSIL"]


def build_13():
    sc = new(13, "prior-auth-submit-5xx", "Prior-authorization submissions failing from the EHR; API 5XX "
             "alarm.", "eu-west-3", "2026-02-26T14:20:00+00:00")
    t0 = -2040
    api, fn, other = "prior-auth", "pa-278-submit", "pa-status-poller"
    sc.resource("apigateway", api, stage="prod", integration=f"lambda:{fn}:live")
    sc.resource("lambda", fn, runtime="java21", timeout=30, memory_size=1536, alias="live")
    sc.resource("lambda", other, runtime="java21", timeout=60, memory_size=1024)
    dep = t0 - 70
    lam = lam_metrics(sc, fn, lambda t: 7.0, err_frac=lambda t: 0.64 if t >= t0 else 0.0,
                      dur=lambda t: 1350.0 if t < t0 else 700.0)
    apigw_metrics(sc, api, lam["inv"], derive(sc, lam["inv"], lambda t: 0.03), lam["err"],
                  lambda t: 1420.0 if t < t0 else 780.0)
    lam_metrics(sc, other, lambda t: 1.0, dur=lambda t: 4200.0 + 3000 * bump(t, -9000, -8000, 1.0))
    ll = LambdaLogs(sc, fn, "java21", 1536, 30, mem_used=(402, 20), epochs=((-10**9, "41"), (dep, "42")))

    def body(ll, t, r, is_err, cold):
        payer = pick(sc, PAYERS)
        ref = f"PA{sc.rng.randint(10**7, 10**8)}"
        lines = [(0.01, ll.fmt(t, r, "INFO", f"278 request {ref} payer={payer} service=UM02 "
                               f"attachments={sc.rng.randint(0, 3)}"))]
        if is_err:
            err = {"errorMessage": "'com.fasterxml.jackson.databind.JsonNode com.fasterxml.jackson.databind.node."
                                   "ObjectNode.set(java.lang.String, com.fasterxml.jackson.databind.JsonNode)'",
                   "errorType": "java.lang.NoSuchMethodError",
                   "stackTrace": ["org.healthnet.pa.x12.Pa278Mapper.toFhirClaim(Pa278Mapper.java:118)",
                                  "org.healthnet.pa.SubmitHandler.handleRequest(SubmitHandler.java:64)",
                                  "org.healthnet.pa.SubmitHandler.handleRequest(SubmitHandler.java:29)"]}
            lines.append((0.4, json.dumps(err)))
            return {"lines": lines, "dur": sc.rng.gauss(700, 90)}
        if sc.rng.random() < 0.1:
            lines.append((1.1, ll.fmt(t, r, "ERROR", f"payer {payer} rejected {ref}: AAA*N**15*C (Required "
                                      "application data missing) -> returned 422 to caller")))
            return {"lines": lines, "dur": sc.rng.gauss(1250, 200)}
        lines.append((1.2, ll.fmt(t, r, "INFO", f"278 response {ref} HCR*A1 certified, trace "
                                  f"{sc.rng.randint(10**9, 10**10)}")))
        return {"lines": lines, "dur": sc.rng.gauss(1350, 220)}

    ll.run({m: n for m, n in zip(GRID, lam["inv"]) if m >= LOG_START},
           {m: n for m, n in zip(GRID, lam["err"]) if m >= LOG_START}, body)
    g, s = "API-Gateway-Execution-Logs_k2f9wq7e1c/prod", "k2f9wq7e1c-prod-9a"
    for m, n in zip(GRID, lam["err"]):
        for _ in range(n if m >= LOG_START else 0):
            t, rid = m + sc.rng.uniform(0, 60), sc.uuid()
            sc.log(g, s, t, apigw_exec(rid, "Lambda execution failed with status 200 due to customer function "
                                       "error: 'com.fasterxml.jackson.databind.JsonNode com.fasterxml.jackson."
                                       "databind.node.ObjectNode.set(java.lang.String, com.fasterxml.jackson."
                                       f"databind.JsonNode)'. Lambda request id: {sc.uuid()}"))
            sc.log(g, s, t + 0.001, apigw_exec(rid, "Method completed with status: 502"))
    for src, ev, tt in (("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", dep - 40),
                        ("lambda.amazonaws.com", "PublishVersion20150331", dep - 10),
                        ("lambda.amazonaws.com", "UpdateAlias20150331", dep)):
        sc.change(tt, src, ev, "AWS::Lambda::Function", fn, "jenkins-pa-pipeline")
    sc.change(t0 - 25, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              other, "jenkins-pa-pipeline")
    sc.change(-16000, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api,
              "jenkins-pa-pipeline")
    sc.alarm("prior-auth-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 8,
             "GreaterThanThreshold", "Prior auth API 5xx")
    sc.alarm("pa-status-poller-duration", "AWS/Lambda", "Duration", {"FunctionName": other}, "Average", 300, 1,
             6000, "GreaterThanThreshold")
    expect(sc, "prior-auth-5xx", "bad_deployment", [fn],
           [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    meta(sc, "front (API Gateway → Lambda)",
         "config update to the status-poller function 25 s before onset; payer AAA*15 rejection ERRORs all day; "
         "poller Duration bump + alarm 2 h earlier; API deployment 3.9 h earlier",
         "The prior-auth API's 5XX alarm fires as ~64 % of 278 submissions fail. A minute before onset the "
         "pipeline updated the submit function's code, published version 42 and moved the `live` alias to it; "
         "the new version's log streams carry a signature absent from version 41: `java.lang.NoSuchMethodError: "
         "'...JsonNode ...ObjectNode.set(java.lang.String, ...JsonNode)'` thrown from Pa278Mapper.toFhirClaim — "
         "the new JAR was built against a different Jackson than the one it ships. The status-poller "
         "configuration update 25 s before onset is a different function (its metrics are flat); the payer "
         "`AAA*N**15` rejections are handled 422s at the same ~10 % as all day.",
         judgement="13: a configuration change (on another function) is closer to onset than the deploy, but "
                   "the tie-break applies only when both fit the evidence; the errors are a linkage error in "
                   "the newly deployed version of the alarmed integration.",
         services="API Gateway (execution log), Lambda java21 (Java logger + JSON error)")
    return sc


def build_14():
    sc = new(14, "referral-api-503s", "GP e-referral API returning 503s; ALB 5XX alarm.", "eu-west-2",
             "2026-01-22T11:35:00+00:00")
    t0 = -1740
    cluster, svc = "referrals", "referral-web"
    lb = alb_id(sc, "referral-pub")
    sc.resource("alb", lb, name="referral-pub", listener="HTTPS:443",
                rules=["/api/* -> tg-referral-web", "/api/v2/triage/* -> tg-triage-v2", "default -> tg-referral-web"],
                target_groups={"tg-referral-web": "ECS referrals/referral-web (3 tasks)",
                               "tg-triage-v2": "no registered targets (service not launched yet)"})
    sc.resource("ecs", f"{cluster}/{svc}", cluster=cluster, service=svc, launch_type="FARGATE", desired_count=3,
                runtime="Ruby 3.3 / Rails 7.1 (puma)", task_definition=f"{svc}:144", log_group=f"/ecs/{svc}")
    api_share = 0.68
    req = sc.series(lambda t: 260 + 140 * ramp(t, -21600, -4000), integer=True)
    alb_metrics(sc, lb, req, t5_frac=lambda t: 0.002, elb5_frac=lambda t: api_share * (t >= t0 + 20),
                rt=lambda t: 0.12 if t < t0 else 0.09, healthy=lambda t: 3, t4_frac=lambda t: 0.02)
    dep = -3300
    ecs_metrics(sc, cluster, svc, cpu=lambda t: (31 if t < t0 else 13) + 9 * bump(t, dep, dep + 300, 1.0, 60),
                mem=lambda t: 52.0, running=lambda t: 6 if dep + 60 <= t < dep + 360 else 3)
    grp = f"/ecs/{svc}"
    tasks_old = [f"web/referral-web/{sc.hexid(32)}" for _ in range(3)]
    tasks_new = [f"web/referral-web/{sc.hexid(32)}" for _ in range(3)]

    def streams(t):
        return tasks_old if t < dep + 240 else tasks_new

    def lograge(t):
        st = pick(sc, streams(t))
        api = sc.rng.random() < api_share
        if api and t >= t0 + 20:
            return  # never reaches the tasks
        rid = sc.uuid()
        if api:
            path, ctl, act = pick(sc, [(f"/api/referrals/{sc.rng.randint(10**5, 10**6)}", "Api::ReferralsController",
                                        "show"), ("/api/referrals", "Api::ReferralsController", "create"),
                                       ("/api/v1/slots/search", "Api::SlotsController", "search")])
        else:
            path, ctl, act = pick(sc, [("/referrals/inbox", "ReferralsController", "index"),
                                       ("/session/new", "SessionsController", "new")])
        if sc.rng.random() < 0.05 and api:
            sc.log(grp, st, t, rails(sc, t, "ERROR", f"ActiveRecord::RecordNotFound (Couldn't find Referral with "
                                     f"'ubrn'={sc.rng.randint(10**11, 10**12)})", rid))
            status = 404
        else:
            status = 200
        sc.log(grp, st, t + 0.01, rails(sc, t + 0.01, "INFO", f"method={'POST' if act == 'create' else 'GET'} "
                                        f"path={path} format={'json' if api else 'html'} controller={ctl} "
                                        f"action={act} status={status} duration={sc.rng.uniform(12, 160):.2f} "
                                        f"view={sc.rng.uniform(1, 30):.2f} db={sc.rng.uniform(2, 60):.2f}", rid))

    emit(sc, lambda t: 4.0, lograge)
    emit(sc, lambda t: 0.3, lambda t: sc.log(grp, pick(sc, streams(t)), t, rails(
        sc, t, "WARN", f"Sidekiq::JobRetry: SpineNotifyJob jid={sc.hexid(24)} retry {sc.rng.randint(1, 5)} after "
        "Net::ReadTimeout")))
    for st in tasks_new:
        t = dep + 120 + sc.rng.uniform(0, 60)
        sc.log(grp, st, t, rails(sc, t, "INFO", "Puma starting in cluster mode... * Puma version: 6.4.2, Ruby "
                                 "3.3.1, Environment: production, Workers: 2, Threads: 5"))
    sc.change(dep - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{svc}:144",
              "gitlab-referrals")
    sc.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", "gitlab-referrals")
    sc.change(t0 - 70, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
              f"{lb.split('/')[1]}/https-443/rule-api", "terraform-platform")
    sc.change(t0 - 20, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/referrals/web/feature_flags",
              "dev.okonkwo")
    sc.alarm("referral-pub-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 30, "GreaterThanThreshold", "Referral public ALB 5xx generated by the load balancer")
    expect(sc, "referral-pub-elb-5xx", "config_change", [lb, "referral-pub"],
           [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": {"LoadBalancer": lb}}])
    meta(sc, "origin (ALB)",
         "SSM feature-flag PutParameter for the app 20 s before onset (closer); app deploy 26 min earlier; "
         "RecordNotFound ERRORs and Sidekiq retry WARNs steady",
         "The referral ALB's own 5XX count (HTTPCode_ELB_5XX, not target 5XX) jumps to ~68 % of requests. "
         "70 seconds before onset Terraform modified the listener rule for `/api/*` (ModifyRule); since then "
         "no /api request reaches the Rails tasks at all — their lograge lines show only HTML pages, their CPU "
         "drops, HealthyHostCount stays 3 and target 5XX stays at baseline — while the ALB answers 503 itself, "
         "which is what it does when a rule forwards to a target group with no registered targets (the new "
         "triage-v2 group). The SSM feature-flag update 20 s before onset is closer, but a flag read by the "
         "app cannot produce load-balancer-generated 503s for requests the app never receives; the app deploy "
         "26 minutes earlier was followed by 20 clean minutes.",
         judgement="14: the change is on the ALB's listener rule, not on the ALB resource as such; the ALB is "
                   "the accepted origin (rule and target groups belong to it). The SSM parameter is a "
                   "configuration change too but does not fit ELB-generated 5XX with idle targets.",
         services="ALB, ECS Fargate Ruby/Rails (lograge key=value)")
    return sc


BUILDERS = [build_13, build_14]
