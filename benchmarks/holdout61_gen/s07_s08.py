"""h61-07 (push fan-out release before the evening campaign) and h61-08 (in-play setting typo)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import lambda_set, part, put, sampled
from .runtimes import LambdaLogs, jline


# --------------------------------------------------------------------------- 07
def s07() -> Scenario:
    sc = Scenario(7, "evening-campaign-fanout", "Evening push campaign partially not delivered; "
                  "fan-out function Errors alarm.", "ap-southeast-2", 6107,
                  "2026-03-05T07:35:00+00:00")
    fn, dec = "notif-fanout", "digest-builder"
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=60, memory_size=512,
                trigger="SQS notif-fanout-queue (batch 10)")
    sc.resource("lambda", dec, runtime="ruby3.3", timeout=300, memory_size=1024)
    DEPLOY, CAMP, DIGEST = -2700, -2100, -14400

    def inv(t):
        return 300 * diurnal(sc, t, 8.0, 0.2) * (1 + bump(t, DIGEST, DIGEST + 1500, 2.0, 120)
                                                 + bump(t, CAMP, 600, 9.0, 120))

    def err(t):
        return 0.003 + (0.09 if t >= DEPLOY + 15 else 0.0)

    out = lambda_set(sc, fn, inv, err, lambda t: 640 + 120 * bump(t, CAMP, 600, 1, 120))
    dd = {"FunctionName": dec}
    put(sc, "AWS/Lambda", "Invocations", dd, "Count", lambda t: 4 + 20 * bump(t, DIGEST - 300, DIGEST, 1, 60),
        integer=True)
    put(sc, "AWS/Lambda", "Errors", dd, "Count", lambda t: 0.0, integer=True)
    put(sc, "AWS/Lambda", "Duration", dd, "Milliseconds", lambda t: 21000.0, noise=0.15)

    ll = LambdaLogs(sc, fn, "ruby3.3", 512, 60, epochs=((-10 ** 9, "56"), (DEPLOY + 15, "57")),
                    retire=(DEPLOY + 15,), mem_used=(164, 10))
    rng = sc.rng

    def body(ll, t, rid, is_err, cold):
        lines, n = [], rng.randint(6, 10)
        camp = "cmp_evening_0305" if CAMP <= t else ("cmp_digest_0305" if DIGEST <= t < DIGEST + 1700
                                                      else "txn")
        lines.append((0.002, ll.fmt(t, rid, "INFO", f"processing batch size={n} campaign={camp}")))
        if rng.random() < 0.3:
            lines.append((0.2, ll.fmt(t, rid, "WARN", "Aws::SNS::Errors::EndpointDisabled: Endpoint "
                                      f"is disabled (arn:aws:sns:ap-southeast-2:{sc.account}:endpoint/"
                                      f"GCM/mobile-android/{sc.uuid()}) - marking token stale")))
        if is_err:
            if t >= DEPLOY + 15 and rng.random() < 0.96:
                e = {"errorMessage": "undefined method `locale' for nil:NilClass",
                     "errorType": "Function<NoMethodError>",
                     "stackTrace": ["/var/task/lib/fanout/render.rb:41:in `block in localized_body'",
                                    "/var/task/lib/fanout/render.rb:37:in `fetch'",
                                    "/var/task/lib/fanout/handler.rb:58:in `deliver'",
                                    "/var/task/handler.rb:12:in `handle'"]}
            else:
                e = {"errorMessage": "Invalid parameter: TargetArn Reason: No endpoint found for the "
                                     "target arn specified", "errorType": "Function<Aws::SNS::Errors::"
                                                                          "InvalidParameter>",
                     "stackTrace": ["/var/task/lib/fanout/sns.rb:22:in `publish'"]}
            lines.append((0.31, ll.fmt(t, rid, "ERROR", jline(e))))
            return {"lines": lines, "dur": rng.uniform(280, 420)}
        lines.append((0.6, ll.fmt(t, rid, "INFO", f"delivered {n} notifications "
                                  f"(apns={rng.randint(0, n)}, fcm={n}) in {rng.randint(450, 800)}ms")))
        return {"lines": lines, "dur": max(120.0, rng.gauss(640, 90))}
    si, se = sampled(sc, out["inv"], out["err"], 0.012, cap=5, err_boost=1.6)
    ll.run(si, se, body)
    lam = ("lambda.amazonaws.com", "AWS::Lambda::Function")
    sc.change(DEPLOY, lam[0], "UpdateFunctionCode20150331v2", lam[1], fn, "gh-actions-release")
    sc.change(DEPLOY + 8, lam[0], "PublishVersion20150331", lam[1], fn, "gh-actions-release")
    sc.change(DEPLOY + 15, lam[0], "UpdateAlias20150331", lam[1], fn, "gh-actions-release")
    sc.change(-2160, lam[0], "UpdateFunctionConfiguration20150331v2", lam[1], dec, "priya.s")
    sc.change(-17800, lam[0], "UpdateFunctionCode20150331v2", lam[1], dec, "gh-actions-release")
    sc.alarm("notif-fanout-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 50,
             "GreaterThanThreshold", "Push fan-out failures")
    sc.alarm("digest-builder-errors", "AWS/Lambda", "Errors", dd, "Sum", 300, 1, 0,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "notif-fanout-errors",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="origin", services="Lambda (Ruby)",
                   decoys="the 10x evening campaign lines up with the alarm; digest-builder config "
                          "change 60 s before the campaign; steady EndpointDisabled warnings and rare "
                          "InvalidParameter errors")
    return sc


# --------------------------------------------------------------------------- 08
def s08() -> Scenario:
    sc = Scenario(8, "inplay-odds-quotes", "Bet slips failing during the evening Champions League "
                  "matches; API 5XX alarm.", "eu-central-1", 6108, "2026-11-25T20:35:00+00:00")
    api, fn, dec = "bet-edge", "odds-quote", "bet-settlement"
    sc.resource("apigateway", api, stage="prod", api_id="u4c1x8m0ke", integration="lambda-proxy")
    sc.resource("lambda", fn, runtime="dotnet8", timeout=8, memory_size=1024)
    sc.resource("lambda", dec, runtime="dotnet8", timeout=120, memory_size=1024)
    CHG, KO, EARLY = -1980, -2100, -13800

    def load(t):
        return 1 + bump(t, EARLY, EARLY + 6600, 1.5, 300) + bump(t, KO - 600, 3600, 2.2, 600)

    def inplay(t):
        return 0.22 + 0.4 * (bump(t, EARLY, EARLY + 6600, 1, 300) + bump(t, KO, 3600, 1, 300))

    def err(t):
        return 0.0008 + (inplay(t) * 0.97 if t >= CHG + 5 else 0.0)

    out = lambda_set(sc, fn, lambda t: 2600 * load(t), err,
                     lambda t: 38 + 6 * load(t) + (180 * ramp(t, CHG, CHG + 60) if t >= CHG else 0) * 0.1)
    ad = {"ApiName": api}
    cnt = put(sc, "AWS/ApiGateway", "Count", ad, "Count", lambda t: 2600 * load(t), integer=True,
              noise=0.04)
    part(sc, "AWS/ApiGateway", "5XXError", ad, cnt, err)
    part(sc, "AWS/ApiGateway", "4XXError", ad, cnt, lambda t: 0.035)
    put(sc, "AWS/ApiGateway", "Latency", ad, "Milliseconds", lambda t: 70 + 8 * load(t), noise=0.1)
    sd = {"FunctionName": dec}
    put(sc, "AWS/Lambda", "Invocations", sd, "Count", lambda t: 12 + 40 * bump(t, EARLY + 6600, EARLY + 7800, 1, 120),
        integer=True)
    put(sc, "AWS/Lambda", "Errors", sd, "Count", lambda t: 0.0, integer=True)

    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 8, retire=(CHG,), mem_used=(212, 12))
    rng = sc.rng

    def body(ll, t, rid, is_err, cold):
        lines = []
        mk = f"mkt-{rng.randint(4000000, 4999999)}"
        init = []
        if cold:
            init = [(0.05, f"{sc.iso(t)}\t\tinfo\tBound OddsFeed options from environment "
                            f"(provider=betradar, region=eu)")]
        if rng.random() < 0.07:
            lines.append((0.004, ll.fmt(t, rid, "WARN", f"Odds provider delta late by "
                                        f"{rng.randint(800, 4000)}ms for {mk}; serving last price")))
        if rng.random() < 0.035:
            lines.append((0.006, ll.fmt(t, rid, "INFO", f"Market {mk} suspended; returning 409")))
        if is_err and t >= CHG:
            lines.append((0.011, ll.fmt(t, rid, "ERROR", f"Quote failed for {mk} (in-play)\n"
                                        "System.InvalidOperationException: Failed to convert "
                                        "configuration value at 'OddsFeed:InPlayMaxStaleness' to type "
                                        "'System.TimeSpan'.\n ---> System.FormatException: String "
                                        "'1500ms' was not recognized as a valid TimeSpan.\n   at "
                                        "System.Globalization.TimeSpanParse.Parse(ReadOnlySpan`1 input,"
                                        " IFormatProvider formatProvider)\n   at Microsoft.Extensions."
                                        "Configuration.ConfigurationBinder.TryConvertValue(Type type, "
                                        "String value, String path, Object& result, Exception& error)")))
            return {"lines": lines, "dur": rng.uniform(9, 25), "init_lines": init}
        if is_err:
            lines.append((0.02, ll.fmt(t, rid, "ERROR", "Unhandled exception. System.Threading.Tasks."
                                       "TaskCanceledException: A task was canceled.")))
            return {"lines": lines, "dur": rng.uniform(30, 80), "init_lines": init}
        kind = "in-play" if rng.random() < inplay(t) else "pre-match"
        lines.append((0.03, ll.fmt(t, rid, "INFO", f"Quoted {mk} ({kind}) price="
                                   f"{rng.uniform(1.1, 9):.2f} in {rng.randint(12, 60)}ms")))
        return {"lines": lines, "dur": max(8.0, rng.gauss(42, 10)), "init_lines": init}
    si, se = sampled(sc, out["inv"], out["err"], 0.0014, cap=5)
    ll.run(si, se, body)
    lam = ("lambda.amazonaws.com", "AWS::Lambda::Function")
    sc.change(CHG, lam[0], "UpdateFunctionConfiguration20150331v2", lam[1], fn, "jane.k")
    sc.change(-1950, lam[0], "UpdateFunctionCode20150331v2", lam[1], dec, "octopus-deploy")
    sc.change(-1940, lam[0], "PublishVersion20150331", lam[1], dec, "octopus-deploy")
    sc.change(-15200, lam[0], "UpdateFunctionCode20150331v2", lam[1], fn, "octopus-deploy")
    sc.alarm("bet-edge-5xx", "AWS/ApiGateway", "5XXError", ad, "Sum", 60, 3, 100,
             "GreaterThanThreshold", "Betting edge API 5XX")
    sc.alarm("odds-quote-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 250,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "bet-edge-5xx",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="front (API Gateway)", services="API Gateway, Lambda (.NET)",
                   decoys="bet-settlement deploy 30 s after the change (closest to the alarm); "
                          "pre-kick-off traffic ramp (3.2x); odds-quote deploy 4 h earlier; "
                          "steady late-delta warnings and 409s")
    return sc
