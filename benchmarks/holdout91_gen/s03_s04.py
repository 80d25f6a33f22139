"""h91-03 message-template rendering function, new version with a segmentation bug;
h91-04 Go route-selection function, a malformed carrier-weight override in its environment."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump
from benchmarks.holdout57_gen.runtimes import zap

from .base import LambdaLogs, S91, diurnal


def build03() -> S91:
    sc = S91(3, "render-errors",
             "msg-render Errors alarm; some tenants say their Hindi/Tamil campaign messages are not sent.",
             "ap-south-1", 9103, "2026-03-11T09:14:00+00:00")
    rng = sc.rng
    T_DEP, T_DECOY = -2760, -2580
    load = lambda t: diurnal(sc, t, 8.0, 0.3)
    new = lambda t: 1.0 if t >= T_DEP + 20 else 0.0
    ucs2 = 0.13
    fn = sc.lambda_fn("msg-render", "java21", 1024, 15, lambda t: 420 * load(t),
                      lambda t: 0.9 + ucs2 * 420 * load(t) * new(t),
                      lambda t: 88 + 9 * new(t) + bump(t, -11100, -10500, 260, 120))
    sc.lambda_fn("otp-verify", "ruby3.3", 256, 10, lambda t: 260 * load(t), lambda t: 0.2, lambda t: 54.0)
    sc.lambda_fn("sms-submit", "java21", 1024, 20, lambda t: 430 * load(t),
                 lambda t: 0.6 + 0.9 * ucs2 * 430 * load(t) * new(t), lambda t: 140 + 10 * new(t))

    ll = LambdaLogs(sc, "msg-render", "java21", 1024, 15, epochs=((-10 ** 9, "41"), (T_DEP, "42")),
                    mem_used=(310, 25))
    tenants = [f"t-{rng.randint(1000, 9999)}" for _ in range(8)]
    tpl_gsm = ["otp_v3", "order_shipped", "appt_reminder", "kyc_link"]
    tpl_uc = ["promo_hi_IN_march", "otp_ta_IN", "bill_due_hi_IN"]

    def body(ll, t, reqid, is_err, cold):
        d = max(20.0, rng.gauss(90 if t >= T_DEP else 80, 25))
        ten = sc.pick(tenants)
        lines = []
        if is_err and t >= T_DEP + 20 and not sc.is_base(t):
            tpl = sc.pick(tpl_uc)
            n = rng.randint(134, 201)
            lines.append((0.01, ll.fmt(t, reqid, "ERROR",
                          f"c.c.render.RenderHandler - render failed template={tpl} tenant={ten} encoding=UCS2 chars={n}")))
            e = {"errorMessage": f"begin 0, end {n + 1}, length {n}",
                 "errorType": "java.lang.StringIndexOutOfBoundsException",
                 "stackTrace": ["java.base/java.lang.String.checkBoundsBeginEnd(String.java:4606)",
                                "java.base/java.lang.String.substring(String.java:2709)",
                                "com.cpaas.render.Segmenter.splitUcs2(Segmenter.java:112)",
                                "com.cpaas.render.Segmenter.segments(Segmenter.java:64)",
                                "com.cpaas.render.RenderHandler.handleRequest(RenderHandler.java:58)"]}
            lines.append((d / 1000, json.dumps(e, indent=2)))
            return {"dur": d, "lines": lines}
        if is_err:
            e = {"errorMessage": f"template 'promo_holi_2025' not found for tenant {ten}",
                 "errorType": "com.cpaas.render.TemplateNotFoundException",
                 "stackTrace": ["com.cpaas.render.TemplateStore.load(TemplateStore.java:77)",
                                "com.cpaas.render.RenderHandler.handleRequest(RenderHandler.java:41)"]}
            lines.append((0.008, ll.fmt(t, reqid, "WARN", f"c.c.render.TemplateStore - cache miss template=promo_holi_2025 tenant={ten}")))
            lines.append((d / 1000, json.dumps(e, indent=2)))
            return {"dur": d, "lines": lines}
        uc = rng.random() < ucs2
        tpl = sc.pick(tpl_uc if uc else tpl_gsm)
        chars = rng.randint(40, 150) if not uc else rng.randint(30, 69)
        segs = 1 if chars <= (70 if uc else 160) else 2
        lines.append((d / 1000 - 0.002, ll.fmt(t + d / 1000, reqid, "INFO",
                      f"c.c.render.RenderHandler - rendered template={tpl} tenant={ten} "
                      f"encoding={'UCS2' if uc else 'GSM7'} chars={chars} segments={segs}")))
        return {"dur": d, "lines": lines}
    sc.lambda_run(ll, fn["inv"], fn["err"], body, per_min=3.5, base_err=lambda m: 0.9)

    sc.change(-17800, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "sms-submit", "terraform-apply")
    sc.change(T_DEP - 30, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "msg-render", "gh-actions-release")
    sc.change(T_DEP - 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "msg-render", "gh-actions-release")
    sc.change(T_DEP, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "msg-render",
              "gh-actions-release")
    sc.change(T_DECOY, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "otp-verify", "asha.menon")

    sc.alarm("msg-render-errors", "AWS/Lambda", "Errors", fn["dims"], "Sum", 60, 5, 15, "GreaterThanThreshold",
             "Template rendering failures")
    sc.alarm("msg-render-duration", "AWS/Lambda", "Duration", fn["dims"], "Average", 300, 2, 1000,
             "GreaterThanThreshold")
    sc.alarm("otp-verify-errors", "AWS/Lambda", "Errors", {"FunctionName": "otp-verify"}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    sc.alarm("sms-submit-errors", "AWS/Lambda", "Errors", {"FunctionName": "sms-submit"}, "Sum", 300, 1, 150,
             "GreaterThanThreshold")
    sc.truth("msg-render-errors", "bad_deployment", ["msg-render"],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": fn["dims"]}])
    sc.card(alarm_on="origin (Lambda)", services="Lambda", runtime="Java 21 (+ Ruby decoy function)",
            log_style="Lambda plain + JSON error objects",
            decoys="otp-verify configuration change 3 min before the alarm; steady TemplateNotFound errors; "
                   "duration blip 3 h earlier; errors of the calling sms-submit rising too (second alarm)",
            story="gh-actions-release updates msg-render's code, publishes version 42 and moves the alias at "
                  "-46 min. From the first version-42 invocations a new error appears: "
                  "`java.lang.StringIndexOutOfBoundsException: begin 0, end N+1, length N` in "
                  "`Segmenter.splitUcs2`, for UCS-2 (Hindi/Tamil) templates only, about 13 % of traffic. The "
                  "TemplateNotFoundException for promo_holi_2025 is at its usual ~1/min for hours. otp-verify's "
                  "configuration change comes 3 minutes later and its errors do not move; sms-submit's errors "
                  "rise only because it calls the renderer.")
    return sc


def build04() -> S91:
    sc = S91(4, "route-select-failures",
             "route-select Errors alarm; Swedish destinations partly failing to get a route.",
             "eu-north-1", 9104, "2026-03-13T07:41:00+00:00")
    rng = sc.rng
    T_CFG, T_DECOY, T_OLD = -1980, -1905, -10860
    load = lambda t: diurnal(sc, t, 9.0, 0.35)
    bad = lambda t: 1.0 if t >= T_CFG + 5 else 0.0
    SE = 0.42
    fn = sc.lambda_fn("route-select", "provided.al2023", 256, 5, lambda t: 900 * load(t),
                      lambda t: 0.35 + SE * 900 * load(t) * bad(t), lambda t: 11.5 - 2.5 * bad(t))
    sc.lambda_fn("number-lookup-cache", "provided.al2023", 512, 10, lambda t: 300 * load(t),
                 lambda t: 0.1, lambda t: 7.0)
    sc.lambda_fn("sms-outbound-api", "nodejs20.x", 512, 15, lambda t: 900 * load(t),
                 lambda t: 0.5 + 0.9 * SE * 900 * load(t) * bad(t), lambda t: 61 - 4 * bad(t))

    ll = LambdaLogs(sc, "route-select", "provided.al2023", 256, 5, retire=(T_OLD, T_CFG), mem_used=(31, 3))
    carriers = {"SE": ["c-233", "c-417", "c-051"], "FI": ["c-102", "c-088"], "NO": ["c-311", "c-019"],
                "DK": ["c-470"]}
    prefix = {"SE": "+467", "FI": "+3584", "NO": "+479", "DK": "+452"}
    base = "github.com/cpaas/routing"

    def body(ll, t, reqid, is_err, cold):
        d = max(2.0, rng.gauss(11.0, 3.0))
        lines = []
        if cold:
            lines.append((0.0005, zap(sc, t, "info", "loaded route table", f"{base}/table/load.go:44",
                                      version="2026-03-12.3", carriers=14, overrides=3 if t >= T_CFG else 2)))
        known = is_err and (t < T_CFG + 5 or sc.is_base(t))
        cc = "SE" if (is_err and not known) else sc.wpick([("SE", SE), ("FI", 0.25), ("NO", 0.23), ("DK", 0.1)])
        dest = prefix[cc] + str(rng.randint(1000000, 9999999))
        if is_err and not known:
            lines.append((0.002, zap(sc, t, "error", "carrier weight override rejected",
                                     f"{base}/weights/override.go:57", requestId=reqid, country=cc,
                                     env="CARRIER_WEIGHTS_SE",
                                     error='invalid weight "60%" for carrier c-233: strconv.Atoi: parsing "60%": '
                                           'invalid syntax')))
            lines.append((d / 1000, json.dumps({"errorMessage": f"route selection failed for {dest}: no eligible "
                                                "carrier (weights config invalid)", "errorType": "errorString"})))
            return {"dur": d - 3, "lines": lines}
        if is_err:
            lines.append((0.002, zap(sc, t, "error", "no route", f"{base}/select/select.go:131", requestId=reqid,
                                     destination="+99" + str(rng.randint(100000, 999999)),
                                     error="destination prefix not in route table")))
            lines.append((d / 1000, json.dumps({"errorMessage": "no route for destination", "errorType":
                                                "*select.NoRouteError"})))
            return {"dur": d, "lines": lines}
        if rng.random() < 0.07:
            lines.append((0.001, zap(sc, t, "warn", "carrier disabled by circuit breaker, falling back",
                                     f"{base}/select/breaker.go:88", requestId=reqid, carrier="c-088",
                                     fallback="c-102")))
        car = sc.pick(carriers[cc])
        lines.append((d / 1000 - 0.001, zap(sc, t + d / 1000, "info", "route selected",
                                            f"{base}/select/select.go:97", requestId=reqid, country=cc,
                                            carrier=car, cost_eur=round(rng.uniform(0.011, 0.048), 4),
                                            latency_ms=round(d, 2))))
        return {"dur": d, "lines": lines}
    sc.lambda_run(ll, fn["inv"], fn["err"], body, per_min=3.0, base_err=lambda m: 0.35)

    sc.change(T_OLD - 25, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "route-select", "gha-routing-deploy")
    sc.change(T_OLD, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "route-select",
              "gha-routing-deploy")
    sc.change(T_CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "route-select", "erik.lindqvist")
    sc.change(T_DECOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "number-lookup-cache", "gha-routing-deploy")
    sc.change(T_DECOY + 14, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "number-lookup-cache", "gha-routing-deploy")

    sc.alarm("route-select-errors", "AWS/Lambda", "Errors", fn["dims"], "Sum", 60, 3, 10, "GreaterThanThreshold",
             "Route selection failures")
    sc.alarm("sms-outbound-api-errors", "AWS/Lambda", "Errors", {"FunctionName": "sms-outbound-api"}, "Sum", 300,
             1, 100, "GreaterThanThreshold")
    sc.alarm("number-lookup-cache-errors", "AWS/Lambda", "Errors", {"FunctionName": "number-lookup-cache"}, "Sum",
             300, 1, 10, "GreaterThanThreshold")
    sc.truth("route-select-errors", "config_change", ["route-select"],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": fn["dims"]}])
    sc.card(alarm_on="origin (Lambda)", services="Lambda", runtime="Go (provided.al2023) + Node caller",
            log_style="zap JSON",
            decoys="code deploy of number-lookup-cache 75 s after onset (closest to the alarm); route-select's "
                   "own code deploy 3 h earlier; steady no-route errors and circuit-breaker WARNs",
            story="erik.lindqvist updates route-select's configuration at -33 min; the new environments log "
                  "`overrides=3` at init and from then on every Swedish destination fails with `carrier weight "
                  "override rejected` env=CARRIER_WEIGHTS_SE, `invalid weight \"60%\" for carrier c-233`, returning "
                  "`no eligible carrier (weights config invalid)`. Errors jump from ~0.3/min to ~40 % of "
                  "invocations within seconds of the change. The number-lookup-cache deploy lands after the errors "
                  "began; route-select's own code deploy is three hours old and was clean since.")
    return sc


BUILDERS = [build03, build04]
