"""h78-07 FX rate service deploy behind a quote builder (ap-southeast-2); h78-08 hold-release env change (eu-west-1)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer

from .kit import (H78, alb_metrics, ecs_deploy, ecs_metrics, lambda_deploy, lambda_metrics, lambda_sample,
                  times)

EXOTIC = ["AUD/FJD", "NZD/XPF", "AUD/PGK", "AUD/WST", "NZD/TOP"]
MAJOR = ["AUD/USD", "AUD/NZD", "AUD/SGD", "NZD/USD", "AUD/JPY", "AUD/EUR", "AUD/GBP"]


def build_07() -> H78:
    sc = H78(7, "quote-builder-fx-502",
             "Fare quotes failing for Pacific routes; quote-builder Errors alarm fired.",
             "ap-southeast-2", 7807, "2026-10-28T05:15:00+00:00")
    T0 = -2100
    fn, lb, svc = "quote-builder", "app/fxrates-int/c1e7a40b2f9d8356", "fxrates/rates-svc"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=8, memory_size=512)
    sc.resource("alb", lb, name="fxrates-int", scheme="internal")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=4, cpu=512, memory=1024, image_tag="2026.10.28-3")
    sc.resource("ecs", "fxrates/rates-poller", launch_type="FARGATE", desired_count=1)
    bad = lambda t: ramp(t, T0 + 30, T0 + 150)
    inv = lambda t: 260 * diurnal(sc, t, 4, 0.25)
    L = lambda_metrics(sc, fn, inv, lambda t: 0.4 + inv(t) * 0.33 * bad(t), lambda t: 240 + 25 * bad(t))
    req = lambda t: inv(t) * 2.1
    alb_metrics(sc, lb, req, lambda t: 0.018, lambda t: 0.1,
                e5=lambda t: 0.05 + req(t) * 0.16 * bad(t), healthy=lambda t: 4.0 + 4 * bump(t, T0, T0 + 200, 1, 30))
    ecs_metrics(sc, "fxrates", "rates-svc", lambda t: 21 + 3 * bad(t), lambda t: 33.0,
                tasks=lambda t: 4.0 + 4 * bump(t, T0, T0 + 200, 1, 30))
    ecs_metrics(sc, "fxrates", "rates-poller", lambda t: 9.0, lambda t: 26.0, tasks=lambda t: 1.0)
    ecs_deploy(sc, T0 - 20, svc, "rates-svc")
    ecs_deploy(sc, -12500, "fxrates/rates-poller", "rates-poller")
    lambda_deploy(sc, -17700, fn)
    sc.change(T0 + 160, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "oncall-ankit.sharma")
    lf = logfmt_writer("time", quote_msg=True)
    old = [sc.hexid(32) for _ in range(4)]
    new = [sc.hexid(32) for _ in range(4)]
    for t in times(sc, lambda m: 4.0):
        stream = "ecs/rates-svc/" + sc.rng.choice(new if t > T0 + 60 else old)
        g = "/ecs/fxrates/rates-svc"
        exotic = sc.rng.random() < 0.34
        pair = sc.rng.choice(EXOTIC if exotic else MAJOR)
        if exotic and bad(t) > 0.5:
            ip = f"10.40.{sc.rng.randint(1, 9)}.{sc.rng.randint(10, 240)}:{sc.rng.randint(30000, 60000)}"
            sc.log(g, stream, t, f"{sc.at(t).strftime('%Y/%m/%d %H:%M:%S')} http: panic serving {ip}: runtime error: "
                                 "invalid memory address or nil pointer dereference")
            sc.log(g, stream, t + 0.001, "goroutine 48213 [running]:\nnet/http.(*conn).serve.func1()\n\t"
                   "/usr/local/go/src/net/http/server.go:1898 +0xbe\npanic({0x8f2a40?, 0xd3c5e0?})\n\t"
                   "/usr/local/go/src/runtime/panic.go:770 +0x132\ngithub.com/skyquote/fxrates/internal/rates."
                   "(*Triangulator).Cross(0xc0001a6e00, {0xc00041c0f3, 0x3}, {0xc00041c0f7, 0x3})\n\t"
                   "/src/internal/rates/triangulate.go:64 +0x1d7")
        else:
            sc.log(g, stream, t, lf(sc, t, "info", "rate served", pair=pair, via="USD" if exotic else "direct",
                                    age_s=sc.rng.randint(2, 55), dur_ms=round(sc.rng.uniform(0.4, 3.1), 2)))
    for t in times(sc, lambda m: 0.7):
        sc.log("/ecs/fxrates/rates-svc", "ecs/rates-svc/" + sc.rng.choice(new if t > T0 + 60 else old), t,
               lf(sc, t, "warning", "stale rate", pair=sc.rng.choice(["TRY/ARS", "AUD/VES", "NZD/LBP"]),
                  age=f"{sc.rng.randint(3, 9)}h{sc.rng.randint(0, 59)}m", source="ecb-mirror"))
    for t in range(T0 + 25, T0 + 100, 18):
        sc.log("/ecs/fxrates/rates-svc", "ecs/rates-svc/" + new[(t // 18) % 4], t,
               lf(sc, t, "info", "starting rates-svc", version="2026.10.28-3", commit="9e1c4ab",
                  cross_strategy="triangulate-v2"))
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 8, mem_used=(140, 12), retire=(-17700, T0 + 160))

    def body(ll, t, rid, is_err, cold):
        pair = sc.rng.choice(EXOTIC) if is_err else sc.rng.choice(MAJOR + EXOTIC[:1] * (t < T0))
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"building quote offer={sc.hexid(10)} pair={pair}"))]
        if sc.rng.random() < 0.05:
            lines.append((0.05, ll.fmt(t, rid, "WARN", "loyalty-tier lookup skipped: member not found")))
        if is_err:
            err = {"errorType": "FxRateError", "errorMessage": f"fx-rates responded 502 Bad Gateway for {pair}",
                   "status": 502, "stack": [f"FxRateError: fx-rates responded 502 Bad Gateway for {pair}",
                                            "    at FxClient.rate (/var/task/lib/fx.js:57:13)",
                                            "    at async buildQuote (/var/task/index.js:84:18)"]}
            lines.append((0.06, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + json.dumps(err, separators=(",", ":")))))
            return {"lines": lines, "dur": sc.rng.uniform(60, 120)}
        d = sc.rng.gauss(240, 50)
        lines.append((d / 1000, ll.fmt(t, rid, "INFO", f"quote ready total={sc.rng.randint(180, 3400)}.00 "
                                                     f"currency={pair[4:]} ms={int(d)}")))
        return {"lines": lines, "dur": d}

    ll.run(*lambda_sample(sc, L["inv"], L["err"], 3.0), body)
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 15,
             "GreaterThanThreshold", "Quote builder failures")
    sc.alarm("fxrates-int-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum",
             300, 1, 25, "GreaterThanThreshold")
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "bad_deployment", "resource": [svc, "rates-svc"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        category="bad_deployment", front="front (calling Lambda); origin is the ECS service behind an internal ALB",
        runtime="Node.js 20 Lambda; Go service with logfmt and panic traces", services="Lambda, ALB, ECS",
        decoys="env-var change on quote-builder itself about 2 min after the errors began (just before the alarm); "
               "stale-rate warnings all along; rates-poller deploy 3.5 h earlier; a second alarm on the internal "
               "ALB's ELB 5XX",
        story="quote-builder fails for about a third of quotes, always Pacific exotic pairs (AUD/FJD, NZD/XPF ...), "
              "with `fx-rates responded 502 Bad Gateway`. Behind fxrates-int, rates-svc was redeployed 20 s before "
              "onset (new task definition, image 2026.10.28-3, `cross_strategy=triangulate-v2`); from then on its "
              "tasks log `http: panic serving ...: invalid memory address or nil pointer dereference` in "
              "`(*Triangulator).Cross`; the panics drop the connection, so the ALB answers 502 (ELB 5XX). Before the deploy the same pairs were "
              "served via USD. The on-call's configuration change to quote-builder comes after the errors started, "
              "so it is a reaction, not the cause.",
        judgement="Seen from quote-builder this is a dependency failure, but the dependency is in the account and "
                  "its own fault is a deployment with a new panic signature; the label is bad_deployment on "
                  "rates-svc. The config change on the alarmed function is later than the error onset, so the "
                  "config-beats-deploy tie-break does not apply.")
    return sc


def build_08() -> H78:
    sc = H78(8, "hold-release-env",
             "Expired seat holds not being released back to inventory; hold-release Errors alarm fired.",
             "eu-west-1", 7808, "2026-06-19T21:40:00+00:00")
    T0 = -1740
    fn = "hold-release"
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=30, memory_size=256,
                environment_keys=["INVENTORY_API_URL", "SEATMAP_BASE_URL", "HOLD_GRACE_SECONDS", "LOG_LEVEL"])
    sc.resource("lambda", "loyalty-sync", runtime="python3.12", timeout=60, memory_size=512)
    sc.resource("lambda", "hold-create", runtime="ruby3.3", timeout=10, memory_size=256)
    on = lambda t: 1.0 if t >= T0 else 0.0
    inv = lambda t: 70 * diurnal(sc, t, 19, 0.3)
    L = lambda_metrics(sc, fn, inv, lambda t: 1.1 + inv(t) * 0.58 * on(t), lambda t: 420 - 250 * on(t) * 0.58)
    lambda_metrics(sc, "hold-create", lambda t: inv(t) * 1.4, lambda t: 0.3, lambda t: 210.0)
    lambda_metrics(sc, "loyalty-sync", lambda t: 4.0, lambda t: 0.05 + bump(t, -9000, -8400, 2.0), lambda t: 5200.0)
    lambda_deploy(sc, -5700, fn)
    sc.change(T0 - 40, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "jonas.keller")
    sc.change(T0 - 15, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "loyalty-sync-exec-role", "jonas.keller")
    sc.change(-11200, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "hold-create", "terraform-ci")
    ll = LambdaLogs(sc, fn, "ruby3.3", 256, 30, mem_used=(88, 6), retire=(-5700, T0 - 40))

    def body(ll, t, rid, is_err, cold):
        hold = f"H-{sc.hexid(8).upper()}"
        carrier = sc.rng.choice(["EI", "LH", "KL", "AF", "SK", "TP"])
        lines = [(0.005, ll.fmt(t, rid, "INFO", f"releasing hold={hold} carrier={carrier} seats={sc.rng.randint(1, 4)} "
                                              "reason=ttl_expired"))]
        if is_err and t >= T0 and sc.rng.random() > 0.03:
            err = {"errorMessage": 'key not found: "SEATMAP_PARTNER_BASE_URL"', "errorType": "Function<KeyError>",
                   "stackTrace": ["/var/task/lib/seatmap_client.rb:12:in `fetch'",
                                  "/var/task/lib/seatmap_client.rb:12:in `base_url'",
                                  "/var/task/lib/hold_releaser.rb:37:in `release_partner_seats'",
                                  "/var/task/handler.rb:9:in `call'"]}
            lines.append((0.02, ll.fmt(t, rid, "ERROR", f'release failed hold={hold}: KeyError: key not found: '
                                                      '"SEATMAP_PARTNER_BASE_URL"')))
            lines.append((0.021, json.dumps(err, separators=(",", ":"))))
            return {"lines": lines, "dur": sc.rng.uniform(25, 60)}
        if is_err:
            lines.append((0.3, ll.fmt(t, rid, "ERROR", f"inventory returned 404 for hold={hold}: already released")))
            err = {"errorMessage": f"hold {hold} already released", "errorType": "Function<HoldRelease::NotFound>",
                   "stackTrace": ["/var/task/lib/hold_releaser.rb:58:in `confirm!'", "/var/task/handler.rb:9:in `call'"]}
            lines.append((0.301, json.dumps(err, separators=(",", ":"))))
            return {"lines": lines, "dur": sc.rng.uniform(300, 500)}
        d = sc.rng.gauss(420, 70)
        lines.append((d / 1000, ll.fmt(t, rid, "INFO", f"released hold={hold} partner_seatmap=ok ms={int(d)}")))
        return {"lines": lines, "dur": d}

    ll.run(*lambda_sample(sc, L["inv"], L["err"], 3.0), body)
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 8, "GreaterThanThreshold",
             "Seat holds not released")
    sc.alarm("loyalty-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "loyalty-sync"}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        category="config_change", front="origin (the alarmed function)", runtime="Ruby 3.3 Lambda",
        services="Lambda, IAM",
        decoys="IAM PutRolePolicy 25 s closer to onset (on loyalty-sync's role); code deploy to the same function "
               "66 min earlier; `already released` 404 errors at ~1/min all along",
        story="hold-release's Errors jump from about one a minute (holds already released, 404 from inventory, "
              "present for six hours) to over half of invocations 29 minutes ago. The new errors are all "
              "`KeyError: key not found: \"SEATMAP_PARTNER_BASE_URL\"` from `seatmap_client.rb`, starting 40 s "
              "after an UpdateFunctionConfiguration on hold-release (the function's environment now has "
              "SEATMAP_BASE_URL instead). The code deploy 66 minutes earlier produced no new errors; the IAM "
              "change is to another function's role, and no AccessDenied appears anywhere.")
    return sc


BUILDERS = [build_07, build_08]
