"""07: ETA function errors after an environment-variable edit (Go on provided.al2023, ca-central-1).
08: order intake Lambda errors, the address-verification API behind it timing out (Python, eu-north-1)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline

from .kit import S, apigw_metrics, emit, lam_metrics, lambda_logs, pick, shift_load


def build07() -> S:
    sc = S(7, "eta-errors", "Driver app shows 'ETA unavailable' on most stops; the eta-calc Errors alarm "
           "fired.", "ca-central-1", 7407, "2026-03-14T13:10:00+00:00", front="origin",
           decoys="code deploy on driver-shift-sync 15 s after the edit (5 s before onset); eta-calc's own code "
           "deploy 3 h earlier; steady traffic-feed deadline errors and missing-geocode warnings")
    fn, other = "eta-calc", "driver-shift-sync"
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=15, memory_size=512, architecture="arm64",
                handler="bootstrap")
    sc.resource("lambda", other, runtime="provided.al2023", timeout=60, memory_size=256)
    cfg, onset = -2520, -2500
    load = lambda t: shift_load(sc, t, starts=(10.0, 14.0), height=0.7, width=0.9)
    inv = lambda t: 240 * load(t)
    miss = 0.72  # share of requests that need a fresh route from OSRM (the rest are cached legs)
    v = lam_metrics(sc, fn, inv=inv, err=lambda t: inv(t) * miss * (t >= onset),
                    dur=lambda t: 190 - 130 * miss * (t >= onset))
    v2 = lam_metrics(sc, other, inv=lambda t: 4.0, err=lambda t: 0.0, dur=lambda t: 3100.0)

    def slog(t, level, msg, **kw):
        return jline({"time": sc.iso(t), "level": level, "source": {"function": "main.handle", "file": "/src/eta/handler.go",
                      "line": {"INFO": 88, "WARN": 131, "ERROR": 64}[level]}, "msg": msg, **kw})

    def body(ll, t, rid, is_err, cold):
        stop = f"ST-{sc.rng.randint(10 ** 6, 10 ** 7)}"
        lines = []
        r = sc.rng.random()
        if r < 0.05:
            lines.append((0.002, slog(t, "WARN", "stop has no geocode; using last known position", stop=stop, request_id=rid)))
        if r > 0.97:
            lines.append((0.04, slog(t + 0.04, "ERROR", "traffic feed refresh failed, using historical speeds",
                                     err="Get \"https://traffic.feeds.logi.internal/v1/segments\": context deadline exceeded",
                                     request_id=rid)))
        if is_err:
            err = ("osrm client: parse \"osrm-truck.routing.svc:5000/route/v1/driving\": first path segment in URL "
                   "cannot contain colon (OSRM_BASE_URL=\"osrm-truck.routing.svc:5000\")")
            lines.append((0.004, slog(t + 0.004, "ERROR", "eta computation failed", stop=stop, request_id=rid, err=err)))
            lines.append((0.005, jline({"errorMessage": err, "errorType": "Error"})))
            return {"dur": sc.rng.uniform(2, 9), "lines": lines}
        cached = t >= onset or sc.rng.random() > miss
        lines.append((0.01, slog(t + 0.01, "INFO", "eta computed", stop=stop, request_id=rid, cached=cached,
                                 eta_s=sc.rng.randint(120, 5400), route_ms=0 if cached else sc.rng.randint(90, 260))))
        return {"dur": sc.rng.uniform(20, 40) if cached else sc.rng.uniform(140, 320), "lines": lines}

    ll = LambdaLogs(sc, fn, "provided.al2023", 512, 15, prewarm=-17400, mem_used=(44, 4),
                    epochs=((-10 ** 9, "$LATEST"),), retire=(-10800, cfg + 18))
    lambda_logs(sc, ll, v, body, per_min=2.2)

    def body2(ll2, t, rid, is_err, cold):
        return {"dur": sc.rng.uniform(2500, 3800), "lines": [(0.01, jline({
            "time": sc.iso(t), "level": "INFO", "msg": "shift roster synced", "depot": pick(sc, ["YUL-1", "YUL-2", "YQB-1"]),
            "drivers": sc.rng.randint(20, 90)}))]}
    ll2 = LambdaLogs(sc, other, "provided.al2023", 256, 60, prewarm=-17400, retire=(-2505,))
    lambda_logs(sc, ll2, v2, body2, per_min=1.0)
    sc.change(-10830, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gh-actions-eta")
    sc.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, "r.tremblay")
    sc.change(-2505, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "gh-actions-roster")
    sc.alarm("eta-calc-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "ETA function errors")
    sc.expect_rc("eta-calc-errors", "config_change", [fn], [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta["story"] = (
        "At 12:28 r.tremblay updated eta-calc's configuration (UpdateFunctionConfiguration). From the next "
        "invocations every request that needs a fresh route fails with `osrm client: parse "
        "\"osrm-truck.routing.svc:5000/route/v1/driving\": first path segment in URL cannot contain colon "
        "(OSRM_BASE_URL=...)` - the new value lacks its `http://` scheme - while cached legs still succeed, so "
        "Errors sit at ~70 % of invocations and Duration drops. The driver-shift-sync code deploy 15 s later "
        "is the change closest to the onset but that function keeps syncing rosters; eta-calc's own code "
        "deploy three hours earlier ran cleanly; the traffic-feed `context deadline exceeded` errors and "
        "missing-geocode warnings are at their all-day rate.")
    sc.meta["judgement"] = ("Errors name an invalid setting right after a configuration update of the same "
                            "function: config_change, not bad_deployment, even though a code deploy elsewhere is nearer.")
    return sc


def build08() -> S:
    sc = S(8, "order-intake-errors", "Shippers get 'try again later' when booking collections; the "
           "order-intake Errors alarm paged.", "eu-north-1", 7408, "2026-03-15T08:25:00+00:00",
           front="front (caller Lambda)", decoys="config update on webhook-relay 3 min before onset; order-intake "
           "deploy 5 h earlier; steady validation errors and postcode warnings")
    fn, api, other = "order-intake", "addr-verify", "webhook-relay"
    api_id = "q8w2e4r6t1"
    sc.resource("lambda", fn, runtime="python3.11", timeout=30, memory_size=512)
    sc.resource("apigateway", api, api_id=api_id, stage="v1", integration="HTTP_PROXY https://api.geoverify-partner.example")
    sc.resource("lambda", other, runtime="python3.11", timeout=30, memory_size=256)
    onset = -2280
    bad = lambda t: ramp(t, onset - 120, onset + 240)
    load = lambda t: shift_load(sc, t, starts=(6.0,), height=0.9, width=1.1)
    calls = lambda t: 85 * load(t)
    apigw_metrics(sc, api, count=calls, e4xx=lambda t: 0.6, e5xx=lambda t: 0.05 + 0.8 * calls(t) * bad(t),
                  lat=lambda t: 210 + 22000 * bad(t), integ=lambda t: 190 + 22500 * bad(t))
    v = lam_metrics(sc, fn, inv=calls, err=lambda t: 0.7 * calls(t) * bad(t), dur=lambda t: 340 + 6200 * bad(t))
    v2 = lam_metrics(sc, other, inv=lambda t: 30 * load(t), err=lambda t: 0.0, dur=lambda t: 120.0)
    host = f"{api_id}.execute-api.eu-north-1.amazonaws.com"

    def body(ll, t, rid, is_err, cold):
        ref = f"COL-{sc.rng.randint(10 ** 6, 10 ** 7)}"
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"booking request {ref} shipper=SE{sc.rng.randint(10 ** 5, 10 ** 6)} "
                                                f"parcels={sc.rng.randint(1, 30)}"))]
        r = sc.rng.random()
        if r < 0.06:
            lines.append((0.005, ll.fmt(t, rid, "ERROR", f"ValidationError: booking {ref}: missing field 'consignee.phone' "
                                                         "-> 400")))
            return {"dur": sc.rng.uniform(10, 30), "lines": lines}
        if r < 0.12:
            lines.append((0.006, ll.fmt(t, rid, "WARNING", f"postcode {sc.rng.randint(100, 999)} {sc.rng.randint(10, 99)} "
                                                           "does not match locality, trusting postcode")))
        if is_err:
            dt = 8.0 + sc.rng.uniform(0.01, 0.2)
            tb = ("[ERROR] ReadTimeout: HTTPSConnectionPool(host='" + host + "', port=443): Read timed out. "
                  "(read timeout=8)\nTraceback (most recent call last):\n  File \"/var/task/intake/handler.py\", "
                  "line 41, in lambda_handler\n    addr = verify_address(body[\"pickup\"])\n  File "
                  "\"/var/task/intake/addr.py\", line 27, in verify_address\n    r = SESSION.post(VERIFY_URL, json=payload, "
                  "timeout=(2, 8))\n  File \"/var/lang/lib/python3.11/site-packages/requests/adapters.py\", line 713, "
                  "in send\n    raise ReadTimeout(e, request=request)")
            lines.append((dt, tb))
            return {"dur": dt * 1000 + 15, "lines": lines}
        vt = sc.rng.uniform(0.12, 0.3) + (sc.rng.uniform(2, 7.5) if bad(t) > 0.3 else 0)
        lines.append((vt, ll.fmt(t + vt, rid, "INFO", f"address verified in {int(vt * 1000)} ms; booking {ref} stored")))
        return {"dur": vt * 1000 + sc.rng.uniform(30, 90), "lines": lines}

    ll = LambdaLogs(sc, fn, "python3.11", 512, 30, prewarm=-17400, mem_used=(96, 6), retire=(-18000,))
    lambda_logs(sc, ll, v, body, per_min=2.0)

    def body2(ll2, t, rid, is_err, cold):
        return {"dur": sc.rng.uniform(60, 200), "lines": [(0.01, ll2.fmt(t, rid, "INFO", f"relayed {pick(sc, ['picked_up', 'in_transit', 'delivered'])} "
                                                                                   f"event to shipper webhook (HTTP 200)"))]}
    ll2 = LambdaLogs(sc, other, "python3.11", 256, 30, prewarm=-17400, retire=(-2460,))
    lambda_logs(sc, ll2, v2, body2, per_min=1.0)
    g, st = f"API-Gateway-Execution-Logs_{api_id}/v1", sc.hexid(32)

    def exec_line(t):
        r = sc.uuid()
        if bad(t) > sc.rng.random() and sc.rng.random() < 0.85:
            return [f"({r}) Sending request to https://api.geoverify-partner.example/v2/verify",
                    f"({r}) Execution failed due to a timeout error",
                    f"({r}) Method completed with status: 504"]
        return [f"({r}) Sending request to https://api.geoverify-partner.example/v2/verify",
                f"({r}) Received response. Status: 200, Integration latency: {sc.rng.randint(120, 300)} ms",
                f"({r}) Method completed with status: 200"]
    emit(sc, g, st, lambda t: 1.0, exec_line)
    sc.change(-18030, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gh-actions-intake")
    sc.change(-2460, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", other, "lina.berg")
    sc.alarm("order-intake-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "Collection bookings failing")
    sc.alarm("addr-verify-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 5, 5000,
             "GreaterThanThreshold")
    sc.expect_rc("order-intake-errors", "dependency_failure", [api],
                 [("AWS/ApiGateway", "Latency", {"ApiName": api}), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta["story"] = (
        "order-intake verifies every pickup address through the in-account `addr-verify` API, an HTTP proxy "
        "to a geocoding partner. From 07:47 addr-verify's IntegrationLatency jumps from ~0.2 s to over 20 s "
        "and its execution log shows `Execution failed due to a timeout error` / `Method completed with status: "
        "504`; order-intake's new error is `ReadTimeout: HTTPSConnectionPool(host='q8w2e4r6t1.execute-api...'): "
        "Read timed out. (read timeout=8)`. order-intake itself is not exhausted (memory, concurrency and "
        "throttles normal). The webhook-relay configuration update three minutes before is the nearest change "
        "but unrelated; the order-intake deploy was five hours earlier; the `missing field 'consignee.phone'` "
        "validation errors are at their usual rate.")
    sc.meta["judgement"] = ("The true fault is the partner behind addr-verify, which is not in the account; "
                            "addr-verify is the in-account dependency where it surfaces, so it is the origin.")
    return sc


BUILDERS = [build07, build08]
