"""h87-13 (e-signature ALB: a listener rule now forwards to an empty target group) and h87-14
(ID-document Lambda: a canary-then-full deploy ships a jar with a clashing SDK version)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx

from . import kit
from .kit import LAST3H, emit, every, fpm


def build_13():
    sc = kit.make(13, "esign-503",
                  "Taxpayers cannot sign their return with their PIN: 'Service Temporarily Unavailable' "
                  "(503) on the e-signature step. ALB 5xx alarm.", "us-east-2", "2027-04-15T16:10:00+00:00")
    rng = sc.rng
    alb = kit.alb_id(sc, "efile-esign-alb")
    iids = [kit.instance_id(sc) for _ in range(3)]
    chg, deploy = -2310, -2190
    share = 0.42  # /esign/* share of the ALB's requests
    sc.resource("alb", alb, name="efile-esign-alb", scheme="internet-facing",
                listener_rules=["/esign/* -> esign-php", "default -> portal-php"])
    for i, iid in enumerate(iids):
        sc.resource("ec2", iid, name=f"esign-web-{i + 1}", instance_type="c6i.large",
                    log_groups=["/efile/esign/nginx-access", "/efile/esign/php-fpm"])

    load = lambda t: 1700 * diurnal(sc, t, 16.0, 0.25)
    gone = lambda t: ramp(t, chg + 5, chg + 25)
    kit.alb_metrics(sc, alb, load, lambda t: 0.24 - 0.05 * gone(t), t5=lambda t: 0.6,
                    e5=lambda t: 0.1 + load(t) * share * gone(t), healthy=lambda t: 3.0,
                    t4=lambda t: load(t) * 0.01)
    for iid in iids:
        kit.ec2_metrics(sc, iid, lambda t: 36 * diurnal(sc, t, 16.0, 0.2) * (1 - 0.45 * gone(t)), lambda t: 54.0,
                        lambda t: 33.0, net=lambda t: load(t) / 3 * 4100 * (1 - share * gone(t)))

    sc.alarm("efile-esign-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb},
             "Sum", 60, 2, 25, "GreaterThanThreshold", "e-sign ALB: load balancer generated 5xx")
    sc.alarm("efile-esign-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb},
             "Sum", 60, 3, 25, "GreaterThanThreshold")
    sc.alarm("efile-esign-alb-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": alb},
             "Maximum", 60, 3, 1, "GreaterThanOrEqualToThreshold")

    tg = f"targetgroup/esign-php-v2/{sc.hexid(16)}"
    sc.change(-9800, "elasticloadbalancing.amazonaws.com", "CreateTargetGroup",
              "AWS::ElasticLoadBalancingV2::TargetGroup", tg, "chg-CHG0042480-vshah")
    sc.change(chg, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
              f"{alb.replace('app/', 'listener-rule/app/')}/{sc.hexid(16)}/{sc.hexid(16)}", "chg-CHG0042480-vshah")
    sc.change(deploy, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
              "esign-web-prod", "svc-esign-pipeline")

    for iid in iids:
        def acc(t):
            esign = rng.random() < share
            if esign and t >= chg + 15:
                return None  # requests for /esign/* no longer reach the targets
            if esign:
                path, meth = rng.choice([("/esign/pin", "POST"), ("/esign/prior-agi", "POST"), ("/esign/sign", "GET")])
            else:
                path, meth = rng.choice([("/portal/home", "GET"), ("/portal/return/review", "GET"),
                                         ("/portal/assets/app.js", "GET"), ("/portal/return/save", "POST")])
            st = 499 if rng.random() < 0.01 else 200
            return nginx(sc, t, kit.IP(sc), meth, path, st, rng.randint(400, 30000) if st == 200 else 0,
                         rng.lognormvariate(-2.0, 0.5), ua="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4)")

        emit(sc, "/efile/esign/nginx-access", iid, LAST3H, 0, lambda t: 7, acc)
        emit(sc, "/efile/esign/nginx-access", iid, LAST3H, 0, lambda t: 2,
             lambda t: nginx(sc, t, kit.IP(sc), "GET", "/healthz.php", 200, 2, 0.002, ua="ELB-HealthChecker/2.0"))
        emit(sc, "/efile/esign/php-fpm", iid, LAST3H, 0, lambda t: 0.3,
             lambda t: fpm(sc, t, "WARNING", f"[pool www] seems busy (you may need to increase pm.start_servers, "
                                             f"or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, "
                                             f"and {rng.randint(18, 24)} total children"))
        emit(sc, "/efile/esign/php-fpm", iid, deploy + 40, deploy + 100, lambda t: 2,
             lambda t: fpm(sc, t, "NOTICE", "Reloading in progress ..."))

    sc.expect["alarm"] = "efile-esign-alb-elb-5xx"
    kit.meta(sc, "config_change", [alb, "efile-esign-alb"], "origin (ALB)",
             "a CodeDeploy deployment to the e-sign web servers 2 min after the change (php-fpm reloads); php-fpm 'seems busy' WARNINGs and 499s for hours",
             "The e-sign ALB's load-balancer 5xx alarm. At -38.5 min chg-CHG0042480-vshah ran ModifyRule on "
             "the ALB's listener (the new target group esign-php-v2 was created that morning and has no "
             "registered targets); within seconds HTTPCode_ELB_5XX jumps to ~40 % of requests while "
             "targets' 5xx stay at zero and all three hosts remain healthy. The web servers' access logs "
             "simply stop receiving /esign/* requests (portal pages and health checks continue), and their "
             "CPU and traffic drop. The CodeDeploy deployment comes two minutes after the 503s started.",
             judgement="The origin is the load balancer whose listener rule was changed; the instances behind it "
                       "are healthy and not at fault. `listener_rules` in the resource properties shows the "
                       "pre-change routing, which is what a responder's runbook would list.",
             services="ALB, EC2 (PHP-FPM/nginx access log)")
    return sc


def build_14():
    sc = kit.make(14, "id-document-api-5xx",
                  "Photo-ID verification failing for taxpayers who cannot pass KBA; ID document API 5XX alarm.",
                  "us-west-1", "2027-04-13T13:45:00+00:00")
    rng = sc.rng
    api, fn, other = "id-document-api", "iddoc-verify", "iddoc-thumbnail"
    code, canary_end = -2900, -2275
    sc.resource("apigateway", api, stage="prod", binary_media_types=["image/jpeg", "image/png"])
    sc.resource("lambda", fn, runtime="java21", timeout=30, memory_size=2048, alias="live", snap_start=True)
    sc.resource("lambda", other, runtime="python3.12", timeout=15, memory_size=512)

    load = lambda t: 95 * diurnal(sc, t, 14.0, 0.3)
    weight = lambda t: 0.1 * (code + 15 <= t < canary_end) + 1.0 * (t >= canary_end)
    err = lambda t: 0.3 + load(t) * 0.93 * weight(t)
    lm = kit.lambda_metrics(sc, fn, load, lambda t: 2400 - 2000 * weight(t) * 0.93, err=err)
    kit.lambda_metrics(sc, other, lambda t: load(t) * 0.9, lambda t: 640.0)
    kit.apigw_metrics(sc, api, load, lambda t: 2600 - 2000 * weight(t) * 0.93, e4=lambda t: load(t) * 0.06, e5=err)

    sc.alarm("id-document-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "ID document API 5XX (prod)")
    sc.alarm("iddoc-verify-canary-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 30,
             "GreaterThanThreshold", "CodeDeploy rollback alarm (not wired: rollback disabled for deadline week)")
    sc.alarm("iddoc-thumbnail-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 60, 3, 5,
             "GreaterThanThreshold")

    sc.change(-19000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "chg-CHG0041902-hlee")
    sc.change(code, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "svc-idv-pipeline")
    sc.change(code + 40, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
              "svc-idv-pipeline")
    sc.change(code + 55, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
              "iddoc-verify-live", "svc-idv-pipeline")
    sc.change(code + 60, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn,
              "codedeploy-lambda-iddoc")
    sc.change(-2450, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              other, "chg-CHG0042216-hlee")
    sc.change(canary_end, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn,
              "codedeploy-lambda-iddoc")

    ll57 = LambdaLogs(sc, fn, "java21", 2048, 30, epochs=((-10 ** 9, "57"),), mem_used=(610, 40), init_ms=(480, 90))
    ll58 = LambdaLogs(sc, fn, "java21", 2048, 30, epochs=((-10 ** 9, "58"),), mem_used=(560, 40), init_ms=(480, 90))
    ll58.rv = ll57.rv
    nsme = ("'software.amazon.awssdk.services.textract.model.AnalyzeIdRequest$Builder "
            "software.amazon.awssdk.services.textract.model.AnalyzeIdRequest$Builder.documentPages(java.util.Collection)'")

    def body(l, t, rid, is_err, cold):
        doc = f"s3://efile-iddoc-uploads/{sc.hexid(20)}.jpg"
        if is_err and l is ll58:
            js = {"errorMessage": nsme, "errorType": "java.lang.NoSuchMethodError",
                  "stackTrace": ["gov.efile.iddoc.TextractClientWrapper.analyze(TextractClientWrapper.java:64)",
                                 "gov.efile.iddoc.VerifyHandler.handleRequest(VerifyHandler.java:51)",
                                 "gov.efile.iddoc.VerifyHandler.handleRequest(VerifyHandler.java:22)"]}
            return {"dur": rng.uniform(90, 300), "lines": [
                (0.01, l.fmt(t, rid, "INFO", f"gov.efile.iddoc.VerifyHandler - verifying {doc}")),
                (0.08, f"{json.dumps(js)}\n")]}
        if is_err:
            return {"dur": rng.uniform(900, 1500), "lines": [
                (0.01, l.fmt(t, rid, "INFO", f"gov.efile.iddoc.VerifyHandler - verifying {doc}")),
                (0.9, l.fmt(t + 0.9, rid, "ERROR", "gov.efile.iddoc.VerifyHandler - Textract rejected document: "
                                                   "UnsupportedDocumentException: Request has unsupported document format "
                                                   "(Service: Textract, Status Code: 400)"))]}
        lines = [(0.01, l.fmt(t, rid, "INFO", f"gov.efile.iddoc.VerifyHandler - verifying {doc}"))]
        if rng.random() < 0.12:
            lines.append((0.05, l.fmt(t + 0.05, rid, "WARN", f"gov.efile.iddoc.ImageCheck - image below 300 dpi "
                                                             f"({rng.randint(150, 290)} dpi), result may be unreliable")))
        d = rng.gauss(2400, 400)
        lines.append((d / 1000, l.fmt(t + d / 1000, rid, "INFO", f"gov.efile.iddoc.VerifyHandler - match score "
                                                                 f"{rng.uniform(0.6, 0.99):.2f} state={rng.choice(['CA', 'NV', 'OR', 'AZ'])}")))
        return {"dur": d + 20, "lines": lines}

    si, se = kit.thin(lm["inv"], lm["err"], LAST3H, 4)
    split = {57: ({}, {}), 58: ({}, {})}  # the alias sends weight(t) of the calls to version 58
    for m, n in si.items():
        k = sum(rng.random() < weight(m) for _ in range(n))
        e58 = min(k, se.get(m, 0)) if weight(m) else 0
        split[58][0][m], split[58][1][m] = k, e58
        split[57][0][m], split[57][1][m] = n - k, min(n - k, se.get(m, 0) - e58)
    ll57.run(*split[57], body)
    ll58.run(*split[58], body)
    every(sc, f"/aws/lambda/{other}", "2027/04/13/[$LATEST]" + sc.hexid(32), LAST3H, 0, 60,
          lambda t: f"[INFO]\t{sc.iso(t)}\t{sc.uuid()}\tthumbnails written: {rng.randint(40, 110)}")

    sc.expect["alarm"] = "id-document-api-5xx"
    kit.meta(sc, "bad_deployment", [fn], "front (API Gateway)",
             "UpdateFunctionConfiguration on iddoc-thumbnail 3 min before the canary went to 100 %; Textract UnsupportedDocumentException errors and low-dpi WARNs at a steady rate; a configuration update to iddoc-verify itself 5 h earlier",
             "The ID document API's 5XX alarm. At -48 min the pipeline updated iddoc-verify's code, "
             "published version 58 and CodeDeploy shifted 10 % of the `live` alias to it; at -38 min the "
             "alias moved to 100 %. Only version-58 streams throw `java.lang.NoSuchMethodError: "
             "...AnalyzeIdRequest$Builder.documentPages(...)` (an SDK version clash in the new jar); the "
             "error rate tracks the alias weight (a small rise during the canary, then nearly every call). "
             "The configuration change to iddoc-thumbnail is the nearest change to the alarm but that "
             "function never errs.",
             services="API Gateway, Lambda (Java 21 with alias/CodeDeploy, Python)")
    return sc


BUILDERS = [build_13, build_14]
