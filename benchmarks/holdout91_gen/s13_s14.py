"""h91-13 inbound MO router (.NET Lambda) meets a mobile network code it has never seen;
h91-14 SIP trunk router (Go on ECS) new image panics on forwarded calls."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import zap

from .base import LOG_FROM, LambdaLogs, S91, diurnal, dotnet_trace, ecs_stream, task_ids


def build13() -> S91:
    sc = S91(13, "mo-router-errors",
             "mo-router Errors alarm; a tenant says replies from some Swedish subscribers never arrive.",
             "eu-north-1", 9113, "2026-03-21T08:35:00+00:00")
    rng = sc.rng
    T_ERR, T_DECOY, T_OLD = -2040, -2130, -16800
    load = lambda t: diurnal(sc, t, 9.0, 0.3)
    newnet = lambda t: 0.09 * ramp(t, T_ERR, T_ERR + 300)
    fn = sc.lambda_fn("mo-router", "dotnet8", 512, 30, lambda t: 260 * load(t),
                      lambda t: 0.6 + newnet(t) * 260 * load(t), lambda t: 64.0 - 10 * newnet(t))
    sc.lambda_fn("keyword-optout", "dotnet8", 256, 15, lambda t: 30 * load(t), lambda t: 0.05, lambda t: 41.0)

    ll = LambdaLogs(sc, "mo-router", "dotnet8", 512, 30, retire=(T_OLD,), mem_used=(96, 6))
    nets = [("24001", 4), ("24007", 2), ("24008", 2), ("24002", 1), ("24024", 0)]
    kw = ["STOP", "JA", "NEJ", "INFO", "HELP", "START", "1", "2"]

    def body(ll, t, reqid, is_err, cold):
        d = max(12.0, rng.gauss(62, 15))
        msisdn = f"+467{rng.randint(10000000, 99999999)}"
        if is_err and newnet(t) > 0 and not sc.is_base(t):
            ex = "System.Collections.Generic.KeyNotFoundException"
            msg = "The given key '24024' was not present in the dictionary."
            frames = ["System.Collections.Generic.Dictionary`2.get_Item(TKey key)",
                      "MoRouter.NetworkDirectory.Resolve(String mccMnc) in /src/MoRouter/NetworkDirectory.cs:line 38",
                      "MoRouter.Routing.InboundRouter.RouteAsync(MoMessage mo) in /src/MoRouter/Routing/InboundRouter.cs:line 74",
                      "MoRouter.Function.FunctionHandler(SQSEvent evnt, ILambdaContext context) in /src/MoRouter/Function.cs:line 61"]
            return {"dur": d, "lines": [
                (0.004, ll.fmt(t, reqid, "INFO", f"MO received from {msisdn[:7]}***** network=24024 smsc=SE-IC-2 len={rng.randint(2, 40)}")),
                (d / 1000, ll.fmt(t + d / 1000, reqid, "ERROR", f"{ex}: {msg}\n" + dotnet_trace(frames))),
                (d / 1000 + 0.001, json.dumps({"errorType": "KeyNotFoundException", "errorMessage": msg,
                                               "stackTrace": frames}))]}
        if is_err:
            frames = ["System.Text.Json.ThrowHelper.ReThrowWithPath(ReadStack& state, JsonReaderException ex)",
                      "MoRouter.Carriers.CarrierPayload.Parse(String body) in /src/MoRouter/Carriers/CarrierPayload.cs:line 22"]
            msg = "'0x00' is invalid after a value. Expected either ',', '}', or ']'. Path: $.text | LineNumber: 0 | BytePositionInLine: 88."
            return {"dur": d, "lines": [
                (d / 1000, ll.fmt(t + d / 1000, reqid, "ERROR", f"System.Text.Json.JsonException: {msg}\n" + dotnet_trace(frames))),
                (d / 1000 + 0.001, json.dumps({"errorType": "JsonException", "errorMessage": msg, "stackTrace": frames}))]}
        net = sc.wpick(nets[:4])
        return {"dur": d, "lines": [
            (0.004, ll.fmt(t, reqid, "INFO", f"MO received from {msisdn[:7]}***** network={net} smsc=SE-IC-{rng.randint(1, 3)} len={rng.randint(1, 60)}")),
            (d / 1000 - 0.002, ll.fmt(t + d / 1000, reqid, "INFO", f"Routed MO keyword={sc.pick(kw)} to tenant "
                                      f"t-{rng.randint(1000, 9999)} via number +4676{rng.randint(1000000, 9999999)}"))]}
    sc.lambda_run(ll, fn["inv"], fn["err"], body, per_min=3.5, base_err=lambda m: 0.6)

    sc.change(T_OLD - 20, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "mo-router",
              "azure-pipelines-msg")
    sc.change(T_OLD, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "mo-router",
              "azure-pipelines-msg")
    sc.change(T_DECOY, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "keyword-optout", "linnea.h")

    sc.alarm("mo-router-errors", "AWS/Lambda", "Errors", fn["dims"], "Sum", 60, 3, 8, "GreaterThanThreshold",
             "Inbound MO routing failures")
    sc.alarm("keyword-optout-errors", "AWS/Lambda", "Errors", {"FunctionName": "keyword-optout"}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    sc.truth("mo-router-errors", "application_error", ["mo-router"],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": fn["dims"]}])
    sc.card(alarm_on="origin (Lambda)", services="Lambda", runtime=".NET 8", log_style="Lambda plain (.NET) + JSON",
            decoys="keyword-optout configuration change 90 s before onset; mo-router's own deploy 4.7 h earlier; "
                   "steady JsonException from one carrier",
            story="From -34 min inbound messages start arriving with `network=24024`, a mobile network code never "
                  "seen in the hours before, and each one fails with an unhandled `KeyNotFoundException: The given "
                  "key '24024' was not present in the dictionary` in `NetworkDirectory.Resolve`; the share grows to "
                  "~9 % over five minutes as the new network's traffic ramps. Nothing in mo-router changed: its "
                  "last deploy is 4.7 hours old with clean hours after it, and the keyword-optout configuration "
                  "change is on a different function whose errors stay flat. The JsonException lines are at their "
                  "usual rate.",
            judgement="The trigger is new input data (a network code missing from a lookup table), not a change "
                      "in the account, so `application_error`; nobody deployed or reconfigured mo-router.")
    return sc


def build14() -> S91:
    sc = S91(14, "voice-edge-5xx",
             "Forwarded calls failing to connect; voice-edge target 5XX alarm.", "ap-south-1", 9114,
             "2026-03-22T15:20:00+00:00")
    rng = sc.rng
    T_DEP, T_DECOY = -2700, -2580
    load = lambda t: diurnal(sc, t, 15.0, 0.25)
    rolled = lambda t: ramp(t, T_DEP + 40, T_DEP + 360)
    DIV = 0.18
    alb = sc.alb("voice-edge", lambda t: 980 * load(t), lambda t: 0.7 + DIV * 980 * load(t) * rolled(t),
                 lambda t: 0.2 + 3 * (T_DEP < t < T_DEP + 400), lambda t: 0.11 - 0.01 * rolled(t), healthy=6,
                 t4xx=lambda t: 21 * load(t))
    svc = sc.ecs("voice", "sip-trunk-router", lambda t: 29 * load(t) + 9 * (T_DEP < t < T_DEP + 400)
                 + bump(t, -15000, -14400, 25), lambda t: 44.0, lambda t: 6.0 + 2 * (T_DEP + 30 < t < T_DEP + 380),
                 desired_count=6, runtime="go1.22")
    sc.lambda_fn("cdr-enricher", "nodejs20.x", 512, 30, lambda t: 120 * load(t), lambda t: 0.1, lambda t: 180.0)

    base = "github.com/cpaas/voice/sip-trunk-router"
    grp = "/ecs/sip-trunk-router"
    old_tasks, new_tasks = task_ids(sc, 2), task_ids(sc, 2)
    stops = [T_DEP + 150, T_DEP + 330]
    trunks = ["c-12", "c-31", "c-77"]
    for k in range(2):
        for task, ver, start, end in ((old_tasks[k], "v2.30.4", LOG_FROM, stops[k]),
                                      (new_tasks[k], "v2.31.0", stops[k] - 40, 0)):
            st = ecs_stream("sip-trunk-router", task)
            zl = lambda t, lvl, msg, caller, st=st, **kw: sc.log(grp, st, t, zap(sc, t, lvl, msg, caller, **kw))
            if start > LOG_FROM:
                zl(start, "info", "starting sip-trunk-router", f"{base}/cmd/main.go:41", version=ver,
                   taskDefinition="sip-trunk-router:88", sipListen="0.0.0.0:5060", http=":8080")
            else:
                zl(end - 2, "info", "received SIGTERM, draining", f"{base}/cmd/main.go:97", inflight=rng.randint(3, 11))
            new = ver == "v2.31.0"

            def call(t, zl=zl, new=new, ver=ver):
                div = rng.random() < DIV
                cid = sc.hexid(24)
                if new and div:
                    zl(t, "error", "panic recovered", f"{base}/internal/httpx/recover.go:29", callId=cid,
                       version=ver, route="/v1/calls/route", error="runtime error: invalid memory address or nil "
                       "pointer dereference", stacktrace=f"goroutine {rng.randint(1000, 99999)} [running]:\n"
                       f"{base}/internal/routing.(*Router).applyDiversion(0xc000a2e1e0, 0x0)\n"
                       f"\t/src/internal/routing/diversion.go:57 +0x3c\n{base}/internal/routing.(*Router).Route"
                       f"(0xc000a2e1e0, {{0xc0012f4000, 0x1e}})\n\t/src/internal/routing/router.go:112 +0x1a5")
                    return
                zl(t, "info", "call routed", f"{base}/internal/routing/router.go:140", callId=cid, version=ver,
                   trunk=sc.pick(trunks), diversion=div, pdd_ms=rng.randint(380, 2100))
            sc.events(max(start, LOG_FROM), min(end, 0), lambda m: 2.4 * load(m), call)
            sc.events(max(start, LOG_FROM), min(end, 0), lambda m: 0.5, lambda t, zl=zl, ver=ver: zl(
                t, "warn", "upstream 503 from carrier trunk, retrying on alternate", f"{base}/internal/trunk/client.go:203",
                trunk="c-12", alternate="c-31", version=ver))

    sc.change(-9000, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
              "voice-edge", "terraform-apply")
    sc.change(T_DEP - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "sip-trunk-router:88", "github-actions-deploy")
    sc.change(T_DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "voice/sip-trunk-router",
              "github-actions-deploy")
    sc.change(T_DECOY, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "cdr-enricher", "terraform-apply")

    sc.alarm("voice-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb["dims"], "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Voice routing API 5xx")
    sc.alarm("sip-trunk-router-cpu", "AWS/ECS", "CPUUtilization", svc["dims"], "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.alarm("cdr-enricher-errors", "AWS/Lambda", "Errors", {"FunctionName": "cdr-enricher"}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    sc.truth("voice-edge-target-5xx", "bad_deployment", ["voice/sip-trunk-router", "sip-trunk-router"],
             [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": alb["dims"]}])
    sc.card(alarm_on="front (ALB)", services="ALB, ECS, Lambda", runtime="Go", log_style="zap JSON",
            decoys="cdr-enricher configuration change 2 min after the deploy (closer to the alarm); ALB listener "
                   "change 2.5 h earlier; steady carrier-503 retry WARNs",
            story="github-actions-deploy registers sip-trunk-router:88 and updates the service at -45 min; the "
                  "rolling deployment replaces the six tasks over ~5 minutes (old tasks log SIGTERM, new ones "
                  "`starting ... version=v2.31.0`). Only v2.31.0 tasks log `panic recovered` with `invalid memory "
                  "address or nil pointer dereference` in `applyDiversion`, on calls with a Diversion header "
                  "(~18 %); v2.30.4 routed the same calls (`diversion=true`) fine for hours. Target 5xx at "
                  "voice-edge grow with the share of new tasks. The cdr-enricher configuration change is on another "
                  "resource, after the first panics.")
    return sc


BUILDERS = [build13, build14]
