"""h86-13 platform ownership checks time out against the partner API; h86-14 patch client beacons hit the stage throttle."""
from __future__ import annotations

import json

from .kit import (GRID, LambdaLogs, apigw_metrics, lambda_metrics, load, new, sample_logs, sprinkle)

PARTNER = "https://partner.steam-api.com/ISteamUser/CheckAppOwnership/v4/"


def s13():
    sc = new(13, "dlc-ownership-errors", "Players cannot equip purchased DLC in NA; entitlement Lambda Errors alarm.",
             "us-west-2", "2026-03-14T22:40:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=3.0, amp=0.3)
    fn = "entitlement-check"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=15, memory_size=256, http_timeout_ms=3000, retries=1)
    sc.resource("lambda", "dlc-catalog-sync", runtime="nodejs20.x", timeout=300, memory_size=512)
    sc.resource("apigateway", "store-gw-usw2", stage="live")
    out = -1800
    bad = lambda t: t >= out
    share = 0.55
    inv, err = lambda_metrics(sc, fn, lambda t: 600 * L(t), lambda t: 0.5 + (share * 600 * L(t) if bad(t) else 0),
                              lambda t: 240 + (share * 5600 if bad(t) else 0))
    lambda_metrics(sc, "dlc-catalog-sync", lambda t: 1 if int(t) % 900 == 0 else None, lambda t: 0,
                   lambda t: 41000.0 if int(t) % 900 == 0 else None)
    apigw_metrics(sc, "store-gw-usw2", lambda t: 1400 * L(t), lambda t: 0.01 * 1400 * L(t),
                  lambda t: 0.3 + (share * 600 * L(t) if bad(t) else 0), lambda t: 180 + (share * 2400 if bad(t) else 0))
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "DLC entitlement check errors")
    sc.alarm(f"{fn}-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 60, 5, 2000, "GreaterThanThreshold")
    sc.change(-10800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-commerce")
    sc.change(-1860, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "dlc-catalog-sync", "k.ito")
    ll = LambdaLogs(sc, fn, "nodejs20.x", 256, 15, mem_used=(92, 6), retire=(-10800,))

    def body(ll, t, req, is_err, cold):
        p, app = f"7656119{rng.randint(10 ** 9, 10 ** 10)}", rng.choice([2791230, 2791231, 2791240])
        lines = [(0.003, ll.fmt(t, req, "INFO", f"ownership check steamid={p} appid={app}"))]
        if is_err and not bad(t):
            lines.append((0.01, ll.fmt(t, req, "ERROR", "Invoke Error \t" + json.dumps({
                "errorType": "ValidationError", "errorMessage": "invalid platform session ticket",
                "stack": ["ValidationError: invalid platform session ticket", "    at parseTicket (/var/task/ticket.js:19:11)"]}))))
            return {"dur": rng.gauss(30, 5), "lines": lines}
        if is_err:
            if rng.random() < 0.8:
                e = {"errorType": "AxiosError", "errorMessage": "timeout of 3000ms exceeded", "code": "ECONNABORTED",
                     "config": {"method": "get", "url": PARTNER, "timeout": 3000}}
                lines.append((3.01, ll.fmt(t, req, "WARN", f"partner call failed attempt=1 err=ECONNABORTED url={PARTNER}")))
                d = 6050 + rng.uniform(0, 80)
            else:
                e = {"errorType": "AxiosError", "errorMessage": "Request failed with status code 503", "code": "ERR_BAD_RESPONSE",
                     "status": 503, "config": {"method": "get", "url": PARTNER}}
                lines.append((1.2, ll.fmt(t, req, "WARN", f"partner call failed attempt=1 status=503 body=\"Service Unavailable\" url={PARTNER}")))
                d = 2500 + rng.uniform(0, 400)
            e["stack"] = [f"AxiosError: {e['errorMessage']}", "    at RedirectableRequest.handleRequestTimeout (/var/task/node_modules/axios/dist/node/axios.cjs:3131:16)",
                          "    at async checkOwnership (/var/task/partner.js:44:17)"]
            lines.append((d / 1000 - 0.01, ll.fmt(t, req, "ERROR", "Invoke Error \t" + json.dumps(e))))
            return {"dur": d, "lines": lines}
        d = rng.gauss(240, 40) + (rng.uniform(500, 2500) if bad(t) else 0)
        lines.append((d / 1000 - 0.01, ll.fmt(t, req, "INFO", f"owned appid={app} cached=false partner_ms={int(d - 30)}")))
        return {"dur": d, "lines": lines}
    sample_logs(sc, ll, inv, err, -14400, 3.0, body)
    sl = LambdaLogs(sc, "dlc-catalog-sync", "nodejs20.x", 512, 300, retire=(-1860,))
    sl.run({t: 1 for t in GRID if t >= -14400 and int(t) % 900 == 0}, {}, lambda ll, t, req, e, c: {"dur": rng.gauss(41000, 2000), "lines": [
        (0.01, ll.fmt(t, req, "INFO", "syncing DLC catalog from partner price feed")),
        (40.0, ll.fmt(t, req, "INFO", f"catalog synced items={rng.randint(310, 330)} changed={rng.randint(0, 3)}"))]})
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "dependency_failure", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        alarm_on="origin (caller of an external API)", runtime="Node.js 20 Lambda", logs="Lambda plain (Node), JSON error objects",
        services=["lambda", "apigateway"],
        decoys="dlc-catalog-sync configuration update 1 min before onset; the function's own deploy 3 h earlier; Duration alarm; steady ValidationError errors",
        story="From -30 min about half of entitlement-check's invocations fail with `AxiosError: timeout of 3000ms exceeded` "
              "(and some `status code 503 Service Unavailable`) calling the platform partner's CheckAppOwnership API, after "
              "a retry; Duration jumps from 0.24 s to ~3.5 s on average but never approaches the 15 s timeout, and even "
              "successful calls report slow partner_ms. The function was deployed 3 h earlier and ran clean since; the "
              "configuration change is to dlc-catalog-sync, which keeps syncing normally; the ValidationError errors were "
              "there all day.",
        judgement="The failing dependency is a third-party API, not a resource in the account, so the origin named is "
                  "the calling function.")
    return sc


def s14():
    sc = new(14, "heartbeat-429s-patch-day", "Patch 7.2 rollout in Japan: telemetry API 4xx alarm; players report desync kicks.",
             "ap-northeast-1", "2026-03-17T09:50:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=12.0, amp=0.3)
    api, fn = "telemetry-gw", "hb-ingest"
    sc.resource("apigateway", api, stage="prod", api_id="p4n7c2xk9e", throttle_rate_limit=2000, throttle_burst_limit=4000)
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=5, memory_size=256)
    limit = 2000 * 60.0
    patched = lambda t: 0.0 if t < -5400 else min(0.92, 0.92 * (t + 5400) / 4200)

    def count(t):  # 7.2 clients beacon every 10 s instead of 30 s
        return 38000 * L(t) * (1 + 2 * patched(t))

    def thr(t):
        return max(0.0, count(t) - limit * 0.97)
    apigw_metrics(sc, api, count, lambda t: 0.003 * count(t) + thr(t), lambda t: 0.4, lambda t: 31.0 + (4 if thr(t) else 0),
                  integ=lambda t: 13.0)
    inv, err = lambda_metrics(sc, fn, lambda t: count(t) - thr(t), lambda t: 0.2, lambda t: 12.5 + (0.6 if t >= -2220 else 0))
    sc.alarm(f"{api}-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 60, 3, 2000, "GreaterThanThreshold",
             "Telemetry gateway client errors")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 20, "GreaterThanThreshold")
    sc.change(-2220, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-telemetry")
    sc.change(-2210, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "gha-telemetry")
    sc.change(-2200, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, "gha-telemetry")
    ag = "/aws/apigateway/telemetry-gw/prod/access"

    def acc(t):
        v = "7.2.0" if rng.random() < patched(t) * 3 / (1 + 2 * patched(t)) else "7.1.4"
        p = thr(t) / count(t)
        st = 429 if rng.random() < p else (403 if rng.random() < 0.003 else 200)
        return json.dumps({"requestId": sc.uuid(), "ip": f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                           "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": "POST",
                           "resourcePath": "/v1/heartbeat", "status": str(st), "protocol": "HTTP/1.1",
                           "responseLength": {200: "2", 429: "41", 403: "42"}[st],
                           "integrationLatency": "-" if st != 200 else str(rng.randint(9, 20)),
                           "errorMessage": {200: "-", 429: "Too Many Requests", 403: "Forbidden"}[st],
                           "userAgent": f"ArenaClient/{v} (Windows; AC/{'5.3' if v == '7.2.0' else '5.2'})"}, separators=(",", ":"))
    sprinkle(sc, ag, "p4n7c2xk9e_prod", -14400, 0, 6.0, acc)
    ll = LambdaLogs(sc, fn, "nodejs20.x", 256, 5, mem_used=(81, 5), retire=(-2200,))
    vers = lambda t: "2026.03.17-1" if t >= -2200 else "2026.03.09-3"
    sample_logs(sc, ll, inv, err, -14400, 2.0, lambda ll, t, req, e, c: {"dur": rng.gauss(12.5, 2), "lines": [
        (0.004, ll.fmt(t, req, "INFO", f"heartbeat session=s_{sc.hexid(10)} ac_attest={rng.choice(['ok'] * 19 + ['stale'])} build={vers(t)}"))]})
    sc.expect = {"alarm": f"{api}-4xx", "root_cause": {"category": "throttling", "resource": [api]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "4XXError", "dimensions": {"ApiName": api}}]}
    sc.meta = dict(
        alarm_on="origin (API Gateway stage)", runtime="Node.js 20 Lambda behind REST API", logs="API Gateway access logs (JSON)",
        services=["apigateway", "lambda"],
        decoys="hb-ingest deploy + alias update 5 min before the first 429s; hb-ingest Errors alarm (quiet); the 7.2 client rollout looks like a surge",
        story="As Japanese players install client 7.2 (which beacons every 10 s instead of 30 s), telemetry-gw's Count "
              "climbs steadily for 90 minutes to about 2.5x. At -32 min it crosses the stage throttle (2000 rps); from "
              "then 4XXError tracks exactly the excess over the limit, and the access log shows "
              "`\"status\":\"429\",\"errorMessage\":\"Too Many Requests\"` with no integration latency. hb-ingest's "
              "invocations flatten at the limit with zero errors, so its deploy just before is not involved.",
        judgement="The volume growth is what pushed the API over its limit, but the failures are rate-limit 429s from a "
                  "configured throttle: throttling is the more specific category, and the throttling resource is the API.")
    return sc


BUILDERS = [s13, s14]
