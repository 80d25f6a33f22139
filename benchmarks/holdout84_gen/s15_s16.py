"""h84-15 (night change-window release of the Windows SOAP gateway breaks two SOAP actions; ALB
5XX) and h84-16 (a stage update drops the stage variable the partner API's integration URI uses)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, spring, zap

from .kit import (H84, alb_set, anomaly, apigw_exec, apigw_set, ec2_set, ecs_set, emit,
                  expect, iis, lambda_set, log4net, meta, minutes, pick)

NS_OLD = "http://schemas.carrier.example/claims/2019/IClaimService"


def build_15() -> H84:
    sc = H84(15, "soapgw-contract-500", "Legacy SOAP gateway ALB returning 5XX to claim intake during the "
             "night change window; the ALB 5XX alarm fired.", "us-west-1", 8415, "2026-03-31T06:05:00")
    iid, lb = "i-0e8b2f4a6c1d3579b", "app/legacy-soap-gw/8c3e5a7b9d0f2146"
    cl, svc, lam = "claims-west", "claim-intake", "rate-table-refresh"
    t_cmd, t_up = -2000, -1940
    sc.resource("ec2", iid, name="soapgw-win-02", instance_type="m5.xlarge", platform="Windows Server 2019 / IIS 10",
                log_groups=["/soapgw/iis", "/soapgw/app", "/soapgw/deploy"])
    sc.resource("alb", lb, name="legacy-soap-gw", scheme="internal", targets=[iid])
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=2, runtime="Java 17 / Spring Boot / Apache CXF")
    sc.resource("lambda", lam, runtime="python3.12", timeout=300, memory_size=512, trigger="EventBridge rate(15 minutes)")
    bad = lambda t: ramp(t, t_up, t_up + 30)
    req = lambda t: 62 * diurnal(sc, t, 18, 0.4)
    alb_set(sc, lb, req, lambda t: 0.26 - 0.06 * bad(t), lambda t: 0.1 + req(t) * 0.41 * bad(t),
            e5xx=lambda t: 0.02 + 9 * bump(t, t_cmd + 20, t_up, 1, 10), healthy=lambda t: 1 - bump(t, t_cmd + 40, t_up, 1, 5),
            unhealthy=lambda t: bump(t, t_cmd + 40, t_up, 1, 5))
    ec2_set(sc, iid, lambda t: 14 * diurnal(sc, t, 18, 0.3) + bump(t, t_cmd, t_up + 60, 38, 20),
            lambda t: 47 + bump(t, t_cmd, t_up + 60, 6, 20), lambda t: 58.3, net_mb=lambda t: 9 * diurnal(sc, t, 18, 0.4))
    ecs_set(sc, cl, svc, lambda t: 17 * diurnal(sc, t, 18, 0.3), lambda t: 49.0, tasks=lambda t: 2)
    x = lambda_set(sc, lam, lambda t: 1 if int(t) % 900 == 0 else 0, lambda t: 0.0, lambda t: 8800.0)
    sc.change(t_cmd, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", iid, "release-mgr-cab")
    sc.change(-1955, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", lam, "release-mgr-cab")
    sc.change(-9300, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", iid, "cloud-custodian")
    dg, ig, ag = "/soapgw/deploy", "/soapgw/iis", "/soapgw/app"
    steps = [(t_cmd + 3, "CHG0041877 start: ClaimsSoapBridge 3.9.4.1120 -> 3.10.0.1187 (approved window 22:00-02:00 PT)"),
             (t_cmd + 5, "Downloading s3://carrier-releases-usw1/ClaimsSoapBridge/3.10.0.1187/package.zip"),
             (t_cmd + 21, "Stop-WebAppPool -Name ClaimsSoapBridge"),
             (t_cmd + 24, "Expanding package to D:\\inetpub\\ClaimsSoapBridge (412 files)"),
             (t_cmd + 55, "Applying web.Release.config transform"),
             (t_up - 2, "Start-WebAppPool -Name ClaimsSoapBridge"),
             (t_up + 14, "Smoke test GET /ClaimsBridge/ClaimService.svc?wsdl -> 200"),
             (t_up + 16, "CHG0041877 complete: exit code 0")]
    for t, msg in steps:
        sc.log(dg, iid, t, f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} [aws:runPowerShellScript] {msg}")
    sc.log(ag, iid, t_up + 3, log4net(sc, t_up + 3, "INFO", 1, "ClaimsSoapBridge.Global",
                                      "ClaimsSoapBridge 3.10.0.1187 starting; service contract namespace "
                                      "http://schemas.carrier.example/claims/2024"))
    ops = [("GetPolicy", 0.45, False), ("SubmitFnol", 0.3, True), ("AmendClaim", 0.11, True), ("GetClaimStatus", 0.14, False)]

    def choose():
        r, acc = sc.rng.random(), 0.0
        for op, w, brk in ops:
            acc += w
            if r < acc:
                return op, brk
        return ops[-1][0], ops[-1][2]

    def request(t):
        op, brk = choose()
        fail = brk and t >= t_up and sc.rng.random() < 0.99
        ms = sc.rng.randint(8, 30) if fail else sc.rng.randint(140, 420)
        if fail:
            sc.log(ag, iid, t - ms / 1000, log4net(
                sc, t - ms / 1000, "ERROR", sc.rng.randint(5, 40), "ClaimsSoapBridge.Dispatch.FaultLogger",
                f"Unhandled fault for action '{NS_OLD}/{op}': System.ServiceModel.ActionNotSupportedException: The message "
                f"with Action '{NS_OLD}/{op}' cannot be processed at the receiver, due to a ContractFilter mismatch at the "
                "EndpointDispatcher. This may be because of either a contract mismatch (mismatched Actions between sender "
                "and receiver) or a binding/security mismatch between the sender and the receiver."))
        elif sc.rng.random() < 0.5:
            sc.log(ag, iid, t - ms / 1000, log4net(sc, t - ms / 1000, "INFO", sc.rng.randint(5, 40), "ClaimsSoapBridge.Dispatch",
                                                 f"{op} ok claim=CLM-{sc.rng.randint(3000000, 3999999)} cics_ms={ms - sc.rng.randint(20, 60)}"))
        return iis(sc, t, "10.70.2.31", "POST", "/ClaimsBridge/ClaimService.svc", f"10.70.{sc.rng.randint(8, 11)}.{sc.rng.randint(2, 250)}",
                   "Apache-CXF/3.5.7", 500 if fail else 200, 0, 0, ms)

    emit(sc, ig, iid, lambda t: 0 if t_cmd + 21 <= t < t_up else req(t) * 0.06, request)
    emit(sc, ig, iid, lambda t: 0.5, lambda t: iis(sc, t, "10.70.2.31", "GET", "/ClaimsBridge/status.aspx", "10.70.1.9",
                                                   "Zabbix", 401, 2, 5, sc.rng.randint(1, 4)))
    emit(sc, ag, iid, lambda t: 0.4, lambda t: log4net(sc, t, "WARN", sc.rng.randint(5, 40), "ClaimsSoapBridge.Cics.CicsClient",
                                                       f"Mainframe CICS response slow ({sc.rng.randint(2000, 3400)} ms) for GetPolicy"))
    cg = f"/ecs/{svc}"
    for _ in range(2):
        s = f"ecs/claim-intake/{sc.hexid(32)}"
        emit(sc, cg, s, lambda t: req(t) * 0.41 * 0.03 * bad(t), lambda t: spring(
            sc, t, "ERROR", f"intake-worker-{sc.rng.randint(1, 16)}", "c.m.intake.carrier.CarrierSoapClient",
            f"Carrier call {pick(sc, ['SubmitFnol', 'SubmitFnol', 'AmendClaim'])} failed: org.apache.cxf.binding.soap.SoapFault: The "
            "message with Action cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher.",
            "claim-intake"))
        emit(sc, cg, s, lambda t: 0.6, lambda t: spring(
            sc, t, "INFO", f"intake-worker-{sc.rng.randint(1, 16)}", "c.m.intake.IntakeService",
            f"Intake {pick(sc, ['FNOL', 'AMEND', 'STATUS'])} processed for CLM-{sc.rng.randint(3000000, 3999999)}", "claim-intake"))

    def lbody(ll, t, rid, is_err, cold):
        return {"lines": [(0.02, ll.fmt(t, rid, "INFO", "Refreshed 4 rate tables from s3://carrier-rates-usw1/current/"))],
                "dur": sc.rng.gauss(8800, 400)}

    LambdaLogs(sc, lam, "python3.12", 512, 300, retire=[-1955]).run(minutes(x["inv"]), {}, lbody)
    sc.alarm("legacy-soap-gw-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1, 20,
             "GreaterThanThreshold", "SOAP gateway 5XX")
    expect(sc, "legacy-soap-gw-target-5xx", "bad_deployment", [iid, "soapgw-win-02"],
           [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    meta(sc, alarm_on="front (ALB -> EC2 target)", services="ALB, EC2 (Windows/IIS, .NET WCF, log4net, W3C logs), ECS (Java), Lambda (Python)",
         decoys="configuration update of a rate-table Lambda by the same release manager 45 s before onset; Zabbix 401s "
                "and slow-CICS warnings all along; brief 502s while the app pool restarts",
         story="In the night change window the release manager runs an SSM command on the gateway instance (SendCommand, "
               "-33 min) that installs ClaimsSoapBridge 3.10.0.1187; the bridge restarts announcing service contract "
               "namespace `.../claims/2024`. From then every SubmitFnol and AmendClaim call, still sent with the 2019 "
               "action, fails with `ActionNotSupportedException ... ContractFilter mismatch at the EndpointDispatcher` "
               "(HTTP 500 in the IIS log) while GetPolicy and GetClaimStatus succeed. The same release manager updated "
               "a rate-table Lambda's configuration 45 s later, closer to the first 500, but nothing calls it on this "
               "path. The deployment is a code release with a new error signature, so `bad_deployment` on the instance.")
    return sc


def build_16() -> H84:
    sc = H84(16, "perizie-partner-5xx", "Partner API for loss-assessor reports returning 5XX to every "
             "assessor firm; the API Gateway 5XX alarm fired.", "eu-south-1", 8416, "2026-04-01T09:50:00")
    api, lb, cl, svc = "perizie-partner-api", "app/perizie-backend/3d7f1b9e5c2a4680", "perizie", "assessor-gw"
    t_stage, t_dep = -1900, -1840
    sc.resource("apigateway", api, stage="prod", api_id="m4t8v2k6ws",
                integration="HTTP_PROXY via VPC link to http://${stageVariables.assessorHost}/v1/{proxy}")
    sc.resource("alb", lb, name="perizie-backend", scheme="internal")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=2, runtime="Go 1.22 (zap JSON logs)")
    off = lambda t: t >= t_stage
    part = lambda t: 46 * diurnal(sc, t, 10, 0.35)
    apigw_set(sc, api, part, lambda t: 0.9, lambda t: 0.02 + part(t) * 0.9 * off(t), lambda t: 184 - 160 * off(t),
              integ=lambda t: 171 - 165 * off(t))
    back = lambda t: 8 * diurnal(sc, t, 10, 0.35)
    alb_set(sc, lb, lambda t: back(t) + part(t) * (0.1 if off(t) else 1.0), lambda t: 0.16, lambda t: 0.05,
            healthy=lambda t: 2 + 2 * bump(t, t_dep + 40, t_dep + 180, 1, 5))
    ecs_set(sc, cl, svc, lambda t: 22 * diurnal(sc, t, 10, 0.35) * (0.35 if off(t) else 1) + bump(t, t_dep, t_dep + 180, 8, 20),
            lambda t: 31 + bump(t, t_dep, t_dep + 180, 3, 20), tasks=lambda t: 2 + 2 * bump(t, t_dep + 40, t_dep + 180, 1, 5))
    sc.change(t_stage, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api, "m.ferri")
    sc.change(t_dep - 10, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "assessor-gw:64", "github-actions-perizie")
    sc.change(t_dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "github-actions-perizie")
    sc.change(-12600, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "github-actions-perizie")
    eg, es = "API-Gateway-Execution-Logs_m4t8v2k6ws/prod", "m4t8v2k6ws-prod"

    def fail(t):
        rid = sc.uuid()
        path = pick(sc, ["/v1/perizie", "/v1/perizie", f"/v1/perizie/PZ-{sc.rng.randint(100000, 999999)}", "/v1/foto"])
        sc.log(eg, es, t, apigw_exec(rid, f"Starting execution for request: {rid}"))
        sc.log(eg, es, t + 0.004, apigw_exec(rid, f"HTTP Method: {'POST' if path in ('/v1/perizie', '/v1/foto') else 'GET'}, "
                                                  f"Resource Path: {path}"))
        sc.log(eg, es, t + 0.011, apigw_exec(rid, "Execution failed due to configuration error: Invalid endpoint address"))
        return apigw_exec(rid, "Method completed with status: 500")

    emit(sc, eg, es, lambda t: part(t) * 0.9 * 0.15 * off(t), fail, start=t_stage)
    emit(sc, eg, es, lambda t: 0.6, lambda t: apigw_exec(sc.uuid(), "Method completed with status: 429"
                                                         if sc.rng.random() < 0.3 else "Method completed with status: 403"))
    g = f"/ecs/{svc}"
    tasks = [(f"ecs/assessor-gw/{sc.hexid(32)}", -400000, t_dep + 200, "v2.14.0"),
             (f"ecs/assessor-gw/{sc.hexid(32)}", -400000, t_dep + 215, "v2.14.0"),
             (f"ecs/assessor-gw/{sc.hexid(32)}", t_dep + 45, 0.0, "v2.14.1"),
             (f"ecs/assessor-gw/{sc.hexid(32)}", t_dep + 60, 0.0, "v2.14.1")]
    for s, start, end, ver in tasks:
        if start > -21600:
            sc.log(g, s, start, zap(sc, start, "info", "starting assessor-gw", "cmd/assessor-gw/main.go:48", version=ver, addr=":8080"))
        emit(sc, g, s, lambda t: (back(t) + part(t) * (0.1 if off(t) else 1.0)) / 2 * 0.05, lambda t: zap(
            sc, t, "info", "request handled", "internal/httpx/log.go:31",
            method=pick(sc, ["POST", "GET", "GET"]), path=pick(sc, ["/v1/perizie", "/v1/perizie/{id}", "/v1/foto", "/internal/backoffice/queue"]),
            status=200, latency_ms=round(sc.rng.uniform(40, 240), 1)), start, end)
        emit(sc, g, s, lambda t: 0.2 * (0.3 if off(t) else 1), lambda t: zap(
            sc, t, "warn", "photo EXIF missing GPS; geo-validation skipped", "internal/perizie/photos.go:112",
            perizia=f"PZ-{sc.rng.randint(100000, 999999)}"), start, end)
        if end < 0:
            sc.log(g, s, end, zap(sc, end, "info", "shutting down: received SIGTERM", "cmd/assessor-gw/main.go:77"))
    sc.alarm("perizie-partner-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "Partner API 5XX")
    sc.alarm("perizie-backend-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    expect(sc, "perizie-partner-api-5xx", "config_change", [api],
           [anomaly("AWS/ApiGateway", "5XXError", {"ApiName": api}), anomaly("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb})])
    meta(sc, alarm_on="origin", services="API Gateway (REST, HTTP proxy via VPC link), ALB, ECS (Go, zap JSON)",
         decoys="backend ECS deploy 60 s after the stage update (closest change to the alarm); throttled/forbidden partner "
                "calls at a constant rate",
         story="An operator updates the partner API's prod stage at -32 min (UpdateStage). The integration URI is "
               "`http://${stageVariables.assessorHost}/v1/{proxy}`, and from that minute API Gateway's execution log shows "
               "`Execution failed due to configuration error: Invalid endpoint address` with status 500 for ~90 % of calls; "
               "the backend ALB's RequestCount falls by the partner share at the same minute and its targets return no "
               "errors. The backend's Go service is deployed a minute later (v2.14.1), which a lazy reading would blame, "
               "but the traffic had already stopped reaching it.")
    return sc


BUILDERS = [build_15, build_16]
