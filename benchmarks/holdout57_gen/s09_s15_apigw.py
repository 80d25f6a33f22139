"""h57-09 (Ruby Lambda throttled at reserved concurrency) and h57-15 (Python Lambda bad release)."""
from __future__ import annotations

import json

from .common import GRID, Scenario, counts_per_minute, diurnal, ramp, bump
from .runtimes import LambdaLogs, jline
from .s02_s03_lambda import _lambda_metrics

# =========================================================================== h57-09
T_CAMPAIGN, T_EMAIL = -1500, -1560
RESERVED, DUR_S = 3, 3.2


def build_sms() -> Scenario:
    sc = Scenario(9, "sms-dispatch-throttled", "Customers not receiving order SMS; notify-api 4XX alarm "
                  "fired during the Black Friday evening.", "ca-central-1", 5709, "2026-11-27T23:40:00+00:00")
    rng = sc.rng
    sc.resource("apigateway", "notify-api", stage="v1", api_id="n0t1fy7xq2")
    sc.resource("lambda", "sms-dispatch", runtime="ruby3.3", timeout=20, memory_size=256,
                reserved_concurrency=RESERVED, note="provider account allows 3 concurrent sessions")
    sc.resource("lambda", "email-dispatch", runtime="ruby3.3", timeout=30, memory_size=512, reserved_concurrency=60)
    cap = RESERVED * 60 / DUR_S
    demand = sc.series(lambda t: 38 * diurnal(sc, t, 23, 0.15) * (1 + 0.85 * ramp(t, T_CAMPAIGN, T_CAMPAIGN + 240)),
                       integer=True)
    inv, thr = [], []
    for t, dmd in zip(GRID, demand):
        served = min(dmd, round(cap * rng.uniform(0.95, 0.99))) if dmd > cap * 0.93 else dmd
        inv.append(float(served))
        thr.append(float(dmd - served))
    conc = [float(min(RESERVED, max(1, round(i * DUR_S / 60 + rng.uniform(0, 0.9))))) for i in inv]
    d = _lambda_metrics(sc, "sms-dispatch", inv, [0.0] * len(GRID),
                        sc.series(lambda t: DUR_S * 1000, noise=0.04), thr=thr, conc=conc)
    einv = sc.series(lambda t: 10 * diurnal(sc, t, 23, 0.15) + bump(t, -9300, -8100, 240), integer=True)
    _lambda_metrics(sc, "email-dispatch", einv, [0.0] * len(GRID), sc.series(lambda t: 900, noise=0.08))
    bad_no = [float(sum(rng.random() < 0.015 for _ in range(int(x)))) for x in demand]
    ad = {"ApiName": "notify-api"}
    sc.metric("AWS/ApiGateway", "Count", ad, "Count", demand)
    sc.metric("AWS/ApiGateway", "4XXError", ad, "Count", [a + b for a, b in zip(thr, bad_no)])
    sc.metric("AWS/ApiGateway", "5XXError", ad, "Count", [float(rng.random() < 0.02) for _ in GRID])
    sc.metric("AWS/ApiGateway", "Latency", ad, "Milliseconds",
              [round((i * (DUR_S * 1000 + 40) + th * 12) / max(1, i + th) * rng.uniform(0.96, 1.04), 3)
               for i, th in zip(inv, thr)])
    apigw = "API-Gateway-Execution-Logs_n0t1fy7xq2/v1"
    for t, n in zip(GRID, thr):
        if t < -3900:
            continue
        for _ in range(int(n)):
            tt, rid = t + rng.uniform(0, 59), sc.uuid()
            sc.log(apigw, "n0t1fy7xq2-v1", tt, f"({rid}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}")
            sc.log(apigw, "n0t1fy7xq2-v1", tt + 0.002, f"({rid}) Method completed with status: 429")

    templates = ["order_shipped", "order_shipped", "out_for_delivery", "otp_login", "order_confirmed"]

    def body(ll, t, reqid, is_err, cold):
        tpl, ntf = rng.choice(templates), f"ntf_{sc.hexid(12)}"
        num = f"+1{rng.choice(['416', '647', '604', '514', '403'])}***{rng.randint(1000, 9999)}"
        lines = [(0.004, ll.fmt(t + 0.004, reqid, "INFO", f"sending SMS {ntf} template={tpl} to={num} provider=twilio"))]
        if rng.random() < 0.04:  # pre-existing: invalid numbers (handled, not a Lambda error)
            dur = rng.gauss(420, 60)
            lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "ERROR",
                          f"Twilio::REST::RestError: [HTTP 400] 21211 : Unable to create record: The 'To' number "
                          f"+1555***{rng.randint(1000, 9999)} is not a valid phone number.")))
            lines.append((dur / 1000 - 0.005, ll.fmt(t + dur / 1000 - 0.005, reqid, "INFO",
                          f"marked {ntf} undeliverable (invalid_number)")))
            return {"dur": dur, "lines": lines}
        dur = rng.gauss(DUR_S * 1000, 220)
        lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "INFO",
                      f"delivered {ntf} sid=SM{sc.hexid(32)} status=queued in {dur / 1000:.2f}s")))
        return {"dur": dur, "lines": lines}

    ll = LambdaLogs(sc, "sms-dispatch", "ruby3.3", 256, 20, mem_used=(74, 3), prewarm=-3800, max_envs=RESERVED)
    ll.run(counts_per_minute(inv, -3900, 0), {}, body)
    el = LambdaLogs(sc, "email-dispatch", "ruby3.3", 512, 30, mem_used=(130, 6), prewarm=-3800)

    def ebody(ll, t, reqid, is_err, cold):
        dur = rng.gauss(900, 80)
        return {"dur": dur, "lines": [(dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "INFO",
                f"sent email ntf_{sc.hexid(12)} via SES (MessageId 0100018c{sc.hexid(8)})"))]}
    el.run(counts_per_minute(einv, -3900, 0), {}, ebody)

    sc.change(T_EMAIL, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function",
              "email-dispatch", "ops-oncall")
    sc.alarm("notify-api-4xx", "AWS/ApiGateway", "4XXError", ad, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "notify-api client errors")
    sc.alarm("sms-dispatch-throttles", "AWS/Lambda", "Throttles", d, "Sum", 60, 3, 5, "GreaterThanThreshold")
    sc.expect = {"alarm": "notify-api-4xx",
                 "root_cause": {"category": "throttling", "resource": ["sms-dispatch"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": d}]}
    sc.meta = {
        "alarm_on": "front (API Gateway notify-api); origin is the throttled function",
        "decoys": "PutFunctionConcurrency on email-dispatch 60 s before onset (a concurrency change, but on "
                  "another function with its own reservation); email-dispatch newsletter spike 2 h "
                  "earlier with no throttles; loud pre-existing Twilio 21211 ERROR lines",
        "story": "From -1500 s notify-api's request count rises ~80 % (Black Friday order volume). "
                 "sms-dispatch has reserved concurrency 3 and each send takes ~3.2 s, so it can serve "
                 "~55 invocations a minute: ConcurrentExecutions sits at 3, Throttles climbs to ~15-20/min "
                 "and API Gateway logs `Lambda invocation failed with status: 429`, which the clients "
                 "see as 4XX. Duration and function errors are unchanged. The email-dispatch "
                 "concurrency change touches a different function's reservation and does not reduce "
                 "sms-dispatch's. Invocations rejected at the concurrency limit are throttling on "
                 "sms-dispatch (the volume rise is moderate, not a surge that breaks anything by itself).",
    }
    return sc


# =========================================================================== h57-15
T_CODE, T_PUB, T_OCR_CFG, T_ALIAS = -2760, -2748, -2718, -2700


def build_claims() -> Scenario:
    sc = Scenario(15, "claims-intake-bad-release", "Claim submissions with attachments fail with 502; "
                  "claims-api 5XX alarm fired.", "eu-south-1", 5715, "2026-10-01T10:05:00+00:00")
    rng = sc.rng
    sc.resource("apigateway", "claims-api", stage="prod", api_id="c1a1m5xk2z")
    sc.resource("lambda", "claims-intake", runtime="python3.13", timeout=29, memory_size=1024, alias="live",
                logging="aws-lambda-powertools (JSON)")
    sc.resource("lambda", "claims-ocr", runtime="python3.13", timeout=120, memory_size=2048)
    after = lambda t: t >= T_ALIAS
    inv = sc.series(lambda t: 9 * diurnal(sc, t, 10, 0.3), integer=True)
    err = [float(sum(rng.random() < 0.3 for _ in range(int(i)))) if after(t) else 0.0 for t, i in zip(GRID, inv)]
    dur = sc.series(lambda t: 320 if not after(t) else 270, noise=0.08)
    d = _lambda_metrics(sc, "claims-intake", inv, err, dur)
    oinv = sc.series(lambda t: 4 * diurnal(sc, t, 10, 0.3), integer=True)
    _lambda_metrics(sc, "claims-ocr", oinv, [0.0] * len(GRID), sc.series(lambda t: 2200, noise=0.1))
    val = [float(sum(rng.random() < 0.1 for _ in range(int(i)))) for i in inv]
    ad = {"ApiName": "claims-api"}
    sc.metric("AWS/ApiGateway", "Count", ad, "Count", inv)
    sc.metric("AWS/ApiGateway", "4XXError", ad, "Count", val)
    sc.metric("AWS/ApiGateway", "5XXError", ad, "Count", err)
    sc.metric("AWS/ApiGateway", "Latency", ad, "Milliseconds", [round(x + rng.gauss(22, 3), 3) for x in dur])
    fn_arn = f"arn:aws:lambda:eu-south-1:{sc.account}:function:claims-intake:live"

    def pt(t, reqid, level, loc, msg, cold=False, **kw):
        d0 = sc.at(t)
        return json.dumps({"level": level, "location": loc, "message": msg,
                           "timestamp": d0.strftime("%Y-%m-%d %H:%M:%S,") + f"{d0.microsecond // 1000:03d}+0000",
                           "service": "claims-intake", "cold_start": cold, "function_name": "claims-intake",
                           "function_memory_size": "1024", "function_arn": fn_arn, "function_request_id": reqid,
                           "xray_trace_id": f"1-{int(d0.timestamp()):08x}-{sc.hexid(24)}", **kw},
                          separators=(",", ":"))

    def body(ll, t, reqid, is_err, cold):
        ctype = rng.choice(["motor", "motor", "home", "travel", "health"])
        att = rng.randint(1, 4) if is_err else (0 if after(t) else rng.choice([0, 0, 1, 2]))
        if after(t) and not is_err and rng.random() < 0.05:
            att = 0
        cid = f"CLM-{rng.randint(10 ** 6, 10 ** 7)}"
        lines = [(0.003, pt(t + 0.003, reqid, "INFO", "create_claim:88", "Claim received", cold, claim_type=ctype,
                            attachments=att, claim_ref=cid))]
        res = {"lines": lines}
        if cold:
            res["init_lines"] = [(0.01, pt(t - 0.5, "", "INFO", "<module>:21", "claims-intake starting",
                                           version="2026.10.01-r3" if after(t) else "2026.09.24-r1",
                                           git_sha="9c1e4fa" if after(t) else "51b07d2"))]
        if not is_err and rng.random() < 0.1:  # pre-existing validation failures -> 400
            lines.append((0.01, pt(t + 0.01, reqid, "WARNING", "create_claim:97", "Validation failed",
                                   errors=[{"loc": ["policy_number"], "msg": "string does not match regex "
                                            "\"^[A-Z]{2}-\\d{8}$\"", "type": "string_pattern_mismatch"}])))
            res["dur"] = rng.gauss(45, 6)
            return res
        if is_err:
            tb = ("Traceback (most recent call last):\n  File \"/var/task/claims/handler.py\", line 58, in handler\n"
                  "    claim = build_claim(body)\n  File \"/var/task/claims/model.py\", line 112, in build_claim\n"
                  "    attachments = normalise_attachments(payload[\"attachments\"])\n  File \"/var/task/claims/"
                  "attachments.py\", line 34, in normalise_attachments\n    size_kb = att[\"size\"] // 1024\n"
                  "TypeError: unsupported operand type(s) for //: 'str' and 'int'")
            res["dur"] = rng.gauss(140, 20)
            lines.append((0.13, pt(t + 0.13, reqid, "ERROR", "handler:61", "Unhandled exception", exception=tb,
                                   exception_name="TypeError", claim_ref=cid)))
            lines.append((0.135, f"[ERROR] TypeError: unsupported operand type(s) for //: 'str' and 'int'\n{tb}"))
            return res
        res["dur"] = rng.gauss(320, 40)
        lines.append((res["dur"] / 1000 - 0.005, pt(t + res["dur"] / 1000 - 0.005, reqid, "INFO", "create_claim:131",
                                                   "Claim stored", claim_ref=cid, status="RECEIVED")))
        return res

    ll = LambdaLogs(sc, "claims-intake", "python3.13", 1024, 29, mem_used=(142, 8),
                    epochs=((-10 ** 9, "56"), (T_ALIAS, "57")))
    ll.run(counts_per_minute(inv, -9000, 0), counts_per_minute(err, -9000, 0), body)
    ol = LambdaLogs(sc, "claims-ocr", "python3.13", 2048, 120, mem_used=(690, 30), retire=[T_OCR_CFG])

    def obody(ll, t, reqid, is_err, cold):
        dur = rng.gauss(2200, 220)
        return {"dur": dur, "lines": [(dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "INFO",
                f"extracted {rng.randint(80, 900)} tokens from s3://claims-attachments-prod/{sc.hexid(16)}.pdf "
                f"(pages={rng.randint(1, 6)}, engine=textract)"))]}
    ol.run(counts_per_minute(oinv, -10800, 0), {}, obody)

    for tt, src, ev, name, user in ((T_CODE, "lambda", "UpdateFunctionCode20150331v2", "claims-intake", "github-actions"),
                                    (T_PUB, "lambda", "PublishVersion20150331", "claims-intake", "github-actions"),
                                    (T_OCR_CFG, "lambda", "UpdateFunctionConfiguration20150331v2", "claims-ocr", "g.rossi"),
                                    (T_ALIAS, "lambda", "UpdateAlias20150331", "claims-intake", "github-actions"),
                                    (-9800, "lambda", "UpdateFunctionCode20150331v2", "claims-ocr", "github-actions")):
        sc.change(tt, f"{src}.amazonaws.com", ev, "AWS::Lambda::Function", name, user)
    sc.alarm("claims-api-5xx", "AWS/ApiGateway", "5XXError", ad, "Sum", 300, 1, 5, "GreaterThanThreshold",
             "claims-api server errors")
    sc.expect = {"alarm": "claims-api-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": ["claims-intake"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d}]}
    sc.meta = {
        "alarm_on": "front (API Gateway claims-api); origin is the Lambda function",
        "decoys": "UpdateFunctionConfiguration on claims-ocr between the publish and the alias switch "
                  "(a config change, closer to onset, but on another function); claims-ocr code deploy 2 h "
                  "earlier; loud pre-existing 'Validation failed' WARNINGs (4XX)",
        "story": "github-actions updated claims-intake's code, published version 57 and pointed the "
                 "`live` alias at it (-2760/-2748/-2700 s). Log streams switch from [56] to [57], the "
                 "new cold starts log release 2026.10.01-r3, and from then on ~30 % of submissions, "
                 "all with attachments, fail with a new `TypeError: unsupported operand type(s) for //: "
                 "'str' and 'int'` in normalise_attachments, surfacing as 502s on claims-api. The "
                 "claims-ocr configuration update is another function with unchanged metrics; the "
                 "validation WARNINGs run at the same rate throughout. A code deployment followed by a new "
                 "error signature is bad_deployment on claims-intake.",
    }
    return sc


BUILDERS = [build_sms, build_claims]
