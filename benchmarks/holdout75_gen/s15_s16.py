"""h75-15 (3-D Secure challenge function release panics on one card scheme behind API Gateway)
and h75-16 (an environment-variable rename in a change window breaks the wire cut-off check)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, ramp
from .common75 import (apigw_exec, apigw_pack, biz, const, emit, lambda_logs, lambda_pack, new,
                       plus, rds_pack)


def build15():
    sc = new(15, "3ds-challenge-5xx", "3-D Secure challenge API returning 5XX; card-not-present "
             "purchases failing at checkout.", "ap-southeast-1", "2026-03-21T12:45:00")
    api, fn, otp = "card-3ds", "acs-challenge", "acs-otp-sender"
    deploy, decoy = -2280, -2160
    sc.resource("apigateway", api, stage="live", api_id="w9c3n5h0ra")
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=10, memory_size=256,
                architecture="arm64", handler="bootstrap (Go 1.22)")
    sc.resource("lambda", otp, runtime="provided.al2023", timeout=10, memory_size=256)
    rate = biz(sc, 420, peak=12.0, amp=0.3)
    mc = 0.38  # Mastercard share of challenges
    err = lambda t: 0.3 + rate(t) * mc * ramp(t, deploy, deploy + 90)
    apigw_pack(sc, api, rate, lambda t: rate(t) * 0.02, err, const(95.0))
    lam = lambda_pack(sc, fn, rate, err, lambda t: 48 - 20 * ramp(t, deploy, deploy + 90))
    lambda_pack(sc, otp, plus(biz(sc, 90), lambda t: bump(t, -5400, -4800, 160)), const(0.0),
                const(210.0))
    sc.alarm("card-3ds-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "3DS challenge API 5XX")
    sc.alarm("acs-otp-sender-invocations", "AWS/Lambda", "Invocations", {"FunctionName": otp},
             "Sum", 300, 1, 900, "GreaterThanThreshold")
    for t, src, ev, rt, name, user in [
            (-19000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
             "AWS::Lambda::Function", otp, "gha-cards"),
            (deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
             "AWS::Lambda::Function", fn, "gha-cards"),
            (decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
             "AWS::Lambda::Function", otp, "ops-wlim"),
            (decoy + 200, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api,
             "ops-wlim")]:
        sc.change(t, src, ev, rt, name, user)
    r = sc.rng

    def slog(t, level, msg, **kw):
        o = {"time": sc.iso(t, 6).replace("Z", "+00:00"), "level": level, "msg": msg}
        o.update(kw)
        return json.dumps(o, separators=(",", ":"))

    def body(ll, t, rid, is_err, cold):
        scheme = "mastercard" if is_err else r.choice(["visa", "visa", "mastercard", "jcb", "amex"])
        if t < deploy and scheme == "mastercard" and is_err:
            scheme = "visa"
        lines = [(0.002, slog(t, "INFO", "challenge request", scheme=scheme, requestId=rid,
                              threeDSServerTransID=sc.uuid(), messageVersion="2.2.0"))]
        if is_err and t < deploy:
            lines.append((0.03, slog(t, "ERROR", "PARes signature verification failed",
                                     requestId=rid, kid="visa-acs-2025")))
            return {"dur": r.gauss(45, 8), "lines": lines}
        if is_err:
            lines.append((0.012, "panic: runtime error: invalid memory address or nil pointer "
                          "dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 "
                          "pc=0x4a3c1d]\n\ngoroutine 1 [running]:\n"
                          "github.com/northbank/acs/internal/challenge.(*Builder).oobAppURL(...)\n"
                          "\t/build/internal/challenge/oob.go:61\n"
                          "github.com/northbank/acs/internal/challenge.(*Builder).Build(0x4000128000, "
                          "{0x40001a2000, 0xa})\n\t/build/internal/challenge/builder.go:133 +0x2cc\n"
                          "main.handle({0x2d5f80, 0x40000ba000}, {{0x40001b6000, 0x2e}, ...})\n"
                          "\t/build/cmd/acs-challenge/main.go:47 +0x1a4"))
            lines.append((0.02, json.dumps({"errorType": "Runtime.ExitError",
                                            "errorMessage": "RequestId: " + rid + " Error: Runtime "
                                            "exited with error: exit status 2"})))
            return {"dur": r.gauss(18, 4), "status": "error", "error_type": "Runtime.ExitError",
                    "lines": lines}
        lines.append((0.03, slog(t, "INFO", "challenge issued", requestId=rid, scheme=scheme,
                                 acsUiType=r.choice(["01", "02", "05"]), latencyMs=r.randint(20, 60))))
        return {"dur": r.gauss(48, 9), "lines": lines}
    lambda_logs(sc, fn, "provided.al2023", 256, 10, lam["inv"], lam["err"], body, per_min=3.0,
                epochs=[(-10 ** 9, "$LATEST")], retire=[deploy])
    g, s = apigw_exec(sc, "w9c3n5h0ra", "live")
    emit(sc, g, s, lambda t: 2.0 * ramp(t, deploy, deploy + 90), lambda t: (
        f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function error: "
        f"Runtime exited with error: exit status 2. Lambda request id: {sc.uuid()}"))
    emit(sc, g, s, const(0.3), lambda t: f"({sc.uuid()}) Method completed with status: 502",
         start=-10800, end=deploy)
    sc.expect = {"alarm": "card-3ds-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="front (API Gateway; origin is the function behind it)",
                   services="API Gateway, Lambda (Go on provided.al2023, slog JSON)",
                   decoys=f"configuration update of `{otp}` 2 min after the release and a stage "
                          "update on the API later; PARes signature errors all day; an OTP "
                          "invocation burst with its own alarm 1.5 h earlier",
                   story=(
        f"`{fn}` gets a code update at -38 min. From the next invocations every Mastercard "
        "challenge panics with `invalid memory address or nil pointer dereference` in "
        "`(*Builder).oobAppURL` and the runtime exits (`Runtime.ExitError`), so API Gateway "
        "5XX jumps from ~0.3 to ~200 a minute (the Mastercard share of challenges). Before the release the only errors were occasional "
        "PARes signature failures. The OTP sender's configuration update two minutes later and "
        "the stage update cannot explain a panic in the challenge builder."))
    return sc


def build16():
    sc = new(16, "wire-cutoff-errors", "Outgoing wire cut-off check failing; high-value payments "
             "queueing up in the treasury ops console.", "ap-northeast-2", "2026-03-23T06:40:00")
    fn, other, db, api = "wire-cutoff-check", "swift-gpi-tracker", "wires-pg", "wires-api"
    code, cfg, decoy = -3300, -1740, -1690
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=15, memory_size=512,
                environment_keys=["CUTOFF_TZ", "CUTOFF_TABLE", "HOLIDAY_CALENDAR"])
    sc.resource("lambda", other, runtime="ruby3.3", timeout=30, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="15.7", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=250)
    sc.resource("apigateway", api, stage="prod", api_id="e2v6u1l8kq")
    rate = biz(sc, 75, peak=3.0)
    err = lambda t: rate(t) * (t >= cfg)
    apigw_pack(sc, api, rate, lambda t: rate(t) * 0.01, lambda t: 0.05 + err(t), const(160.0))
    lam = lambda_pack(sc, fn, rate, None, lambda t: 130 - 100 * (t >= cfg),
                      err_share=lambda t: 1.0 * (t >= cfg))
    lambda_pack(sc, other, const(12.0), const(0.0), const(900.0))
    rds_pack(sc, db, lambda t: 17 + bump(t, -2100, -1500, 30), const(40.0), const(190.0),
             const(3.3))
    sc.alarm("wire-cutoff-check-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60,
             3, 5, "GreaterThanThreshold", "Wire cut-off check errors")
    sc.alarm("wires-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 25,
             "GreaterThanThreshold")
    for t, src, ev, rt, name, user in [
            (code, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             fn, "gitlab-payments"),
            (cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
             "AWS::Lambda::Function", fn, "chg-CHG0051920-jpark"),
            (decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             other, "gitlab-payments"),
            (-2200, "rds.amazonaws.com", "StartExportTask", "AWS::RDS::DBSnapshot", "wires-pg-daily",
             "analytics-export")]:
        sc.change(t, src, ev, rt, name, user)
    r = sc.rng

    def body(ll, t, rid, is_err, cold):
        ref = f"WIR{r.randint(10 ** 8, 10 ** 9)}"
        ccy = r.choice(["USD", "USD", "EUR", "JPY", "KRW"])
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"cutoff check ref={ref} ccy={ccy} "
                                f"value_date=2026-03-23"))]
        if r.random() < 0.04:
            lines.append((0.01, ll.fmt(t, rid, "WARN", "OFAC screening cache older than 15 min; "
                                       "falling back to live screening")))
        if is_err:
            lines.append((0.02, json.dumps({
                "errorMessage": 'key not found: "CUTOFF_TIMEZONE"', "errorType": "Function<KeyError>",
                "stackTrace": ["/var/task/lib/cutoff/clock.rb:12:in `fetch'",
                               "/var/task/lib/cutoff/clock.rb:12:in `zone'",
                               "/var/task/lib/cutoff/checker.rb:31:in `within_cutoff?'",
                               "/var/task/handler.rb:18:in `handler'"]})))
            return {"dur": r.gauss(28, 5), "lines": lines}
        ok = r.random() < 0.92
        lines.append((0.1, ll.fmt(t, rid, "INFO", f"ref={ref} {'within' if ok else 'after'} cut-off "
                                  f"({ccy} 15:30 KST); {'released' if ok else 'rolled to next value date'}")))
        return {"dur": r.gauss(130, 20), "lines": lines}
    lambda_logs(sc, fn, "ruby3.3", 512, 15, lam["inv"], lam["err"], body, per_min=2.5,
                retire=[code, cfg])

    def obody(ll, t, rid, is_err, cold):
        return {"dur": r.gauss(900, 100), "lines": [(0.4, ll.fmt(
            t, rid, "INFO", f"gpi status ACSC for UETR {sc.uuid()}"))]}
    lambda_logs(sc, other, "ruby3.3", 512, 30, [12.0] * 360, [0.0] * 360, obody, per_min=1.0,
                retire=[decoy])
    sc.expect = {"alarm": "wire-cutoff-check-errors",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="origin", services="Lambda (Ruby 3.3), API Gateway, RDS PostgreSQL",
                   decoys=f"`{fn}`'s own code deploy 26 min before the configuration update; a "
                          f"code deploy of `{other}` 50 s after onset; OFAC cache warnings; a DB "
                          "snapshot export and CPU bump; a second alarm on the API",
                   story=(
        f"In change CHG0051920 the operator updates `{fn}`'s configuration at -29 min (the "
        "environment now has `CUTOFF_TZ`, not `CUTOFF_TIMEZONE`). From the first invocation on the "
        "new environment every call fails with `KeyError: key not found: \"CUTOFF_TIMEZONE\"` in "
        "`cutoff/clock.rb`, so Errors equal Invocations and the wires API returns 5XX. The code "
        "deploy of the same function 26 minutes earlier ran cleanly until the configuration "
        f"update; the `{other}` release 50 s after onset is a different function. Errors name the "
        "missing setting."))
    return sc


BUILDERS = [build15, build16]
