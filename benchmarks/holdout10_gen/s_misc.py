"""Scenarios 08, 11, 12, 16: an unexplained blip, a Go panic, a traffic surge, DynamoDB throttling."""
from __future__ import annotations

import json
import math

import numpy as np

from .common import TS, Scn, ramp
from .lam import Fn, Inv, http_api, rest_api


def h08_unknown_blip() -> Scn:
    s = Scn(8, "loyalty-errors-blip", "sa-east-1",
            "loyalty-points Errors alarm fired.", seed=1008, anchor="2026-03-08T13:00:00")
    rng = s.rng
    BLIP = -120
    fn = Fn(s, "loyalty-points", "nodejs20.x", 256, 10, init_ms=(220, 400))
    left = {"n": 7}

    def handler(c):
        member = f"m_{int(rng.integers(10**6, 10**7))}"
        d = float(rng.lognormal(math.log(70), 0.4))
        lines = [(0.002, fn.line(c.t, c.rid, "INFO", f"accrual member={member} order=PED-{int(rng.integers(10**5, 10**6))} "
                                                      f"points={int(rng.integers(5, 400))}"))]
        if rng.random() < 0.05:
            lines.append((0.01, fn.line(c.t, c.rid, "WARN", f"member {member} tier cache miss; loading from table")))
        if BLIP <= c.t < BLIP + 60 and left["n"] > 0 and rng.random() < 0.35:
            left["n"] -= 1
            unk = f"RequestId: {c.rid} Error: Unknown application error occurred\nRuntime.Unknown"
            return Inv("error", d, int(rng.integers(84, 96)), lines[:1] + [(d / 1000, unk)], "Unknown application error occurred",
                       report_status="\tStatus: error\tError Type: Runtime.Unknown")
        lines.append((d / 1000, fn.line(c.t + d / 1000, c.rid, "INFO", f"balance updated for {member}")))
        return Inv("ok", d, int(rng.integers(84, 96)), lines)

    fn.run(28 * s.daily(0.3), handler, log_from=-7200)
    fn.emit()

    ex = Fn(s, "loyalty-expiry", "nodejs20.x", 512, 120)

    def e_handler(c):
        d = float(rng.lognormal(math.log(5200), 0.2))
        return Inv("ok", d, int(rng.integers(130, 150)), [(0.01, ex.line(c.t, c.rid, "INFO", f"expired points for "
                                                                                        f"{int(rng.integers(0, 90))} members"))])

    r = np.zeros(len(TS))
    r[::30] = 1
    ex.run(r, e_handler, counts=True, resets=[-7800])
    ex.emit()

    s.res("lambda", "loyalty-points", runtime="nodejs20.x", memory_size=256, timeout=10, event_source="sqs:loyalty-accruals")
    s.res("lambda", "loyalty-expiry", runtime="nodejs20.x", memory_size=512, timeout=120,
          event_source="events:rule/loyalty-expiry-30m")
    s.change(-7800, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "loyalty-expiry", "b.costa")
    a = s.alarm("loyalty-points-errors", "AWS/Lambda", "Errors", {"FunctionName": "loyalty-points"}, "Sum", 60, 1, 5)
    s.set_expect(a["name"], "unknown", ["loyalty-points"],
                 [("AWS/Lambda", "Errors", {"FunctionName": "loyalty-points"})])
    s.readme = dict(decoys="UpdateFunctionConfiguration on loyalty-expiry 2 h earlier; constant tier-cache-miss WARN",
                    story="Seven invocations in a single minute ended with `Unknown application error occurred` / "
                          "`Runtime.Unknown` and the next minute was clean again. No change, no dependency errors, no "
                          "resource pressure, no traffic change: the evidence does not support any specific cause.")
    return s


def h11_go_nil_panic() -> Scn:
    s = Scn(11, "geo-lookup-go-panic", "eu-north-1",
            "geo-lookup Errors alarm; some users see the wrong store locator region.", seed=1011,
            anchor="2026-03-17T08:00:00")
    rng = s.rng
    T = -2040
    fn = Fn(s, "geo-lookup", "provided.al2023", 128, 5, init_ms=(55, 120))

    def ip6():
        return f"2a02:{s.hexid(4)}:{s.hexid(4)}:{s.hexid(3)}::{s.hexid(2)}"

    def handler(c):
        v6 = c.t >= T and rng.random() < 0.3 * float(ramp(T, 20)[int((c.t + 21600) // 60)])
        ip = ip6() if v6 else f"{int(rng.integers(31, 213))}.{int(rng.integers(0, 255))}.{int(rng.integers(0, 255))}.{int(rng.integers(1, 254))}"
        d = float(rng.lognormal(math.log(3.2), 0.4))
        lines = []
        if rng.random() < 0.04:
            ip = f"10.{int(rng.integers(0, 255))}.{int(rng.integers(0, 255))}.{int(rng.integers(1, 254))}"
            lines.append((0.001, fn.line(c.t, c.rid, "INFO", f"WARN lookup ip={ip}: private address, no geo data")))
            return Inv("ok", d, int(rng.integers(22, 26)), lines, code=204)
        if v6:
            pc = f"0x{s.hexid(6)}"
            panic = (f"panic: runtime error: invalid memory address or nil pointer dereference\n"
                     f"[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc={pc}]\n\n"
                     "goroutine 1 [running]:\n"
                     "main.lookupCity(0xc000126000, {0xc00001c0f0, 0x1d})\n\t/build/cmd/geo-lookup/geo.go:88 +0x5c\n"
                     "main.handler({0x7a1f60, 0xc0000a8000}, {{0xc00001c0c0, 0x12}, {0xc000018180, 0x8}, ...})\n"
                     "\t/build/cmd/geo-lookup/main.go:41 +0x1d4\n"
                     "reflect.Value.call({0x6c2a80?, 0x7b6d58?, 0x13?}, {0x72c5f4, 0x4}, {0xc0000a4e40, 0x2, 0x2?})\n"
                     "\t/usr/local/go/src/reflect/value.go:596 +0xce5\n"
                     "github.com/aws/aws-lambda-go/lambda.(*handlerOptions).Invoke(...)\n"
                     "\t/go/pkg/mod/github.com/aws/aws-lambda-go@v1.47.0/lambda/handler.go:285 +0x1ad")
            return Inv("exit", d + 1.5, int(rng.integers(22, 26)), [(d / 1000, panic)], "Runtime exited with error: exit status 2")
        lines.append((d / 1000, fn.line(c.t + d / 1000, c.rid, "INFO",
                      f"lookup ip={ip} country={rng.choice(['SE', 'FI', 'NO', 'DK', 'DE'])} city_id={int(rng.integers(10**5, 10**6))} "
                      f"took={d:.1f}ms")))
        return Inv("ok", d, int(rng.integers(22, 26)), lines)

    fn.run(30 * s.daily(0.4), handler, resets=[-16200], log_from=-5400)
    fn.emit()
    http_api(s, fn, "p5o4i3u2y1", ["GET /v1/geo", "GET /v1/geo/nearest-store"], "/aws/vendedlogs/apigateway/edge-geo-http-access", log_from=-5400)

    s.res("lambda", "geo-lookup", runtime="provided.al2023", architecture="arm64", memory_size=128, timeout=5,
          handler="bootstrap", environment={"GEOIP_DB": "/opt/GeoLite2-City.mmdb"})
    s.res("apigateway", "edge-geo-http", api_id="p5o4i3u2y1", protocol="HTTP", stage="$default")
    s.change(-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "geo-lookup",
             "github-actions-deploy")
    a = s.alarm("geo-lookup-errors", "AWS/Lambda", "Errors", {"FunctionName": "geo-lookup"}, "Sum", 300, 1, 10)
    s.set_expect(a["name"], "application_error", ["geo-lookup"],
                 [("AWS/Lambda", "Errors", {"FunctionName": "geo-lookup"})])
    s.readme = dict(decoys="UpdateFunctionCode on geo-lookup itself 4.5 h earlier (clean for 4 h afterwards); steady "
                           "204s for private addresses",
                    story="The mobile team's release (outside this account) started sending clients over IPv6. For "
                          "IPv6 addresses the GeoLite record has no City, and `lookupCity` dereferences it: `panic: "
                          "runtime error: invalid memory address or nil pointer dereference`, `Runtime exited with error: "
                          "exit status 2`, a fresh INIT_START after each crash. No change in the account preceded it.")
    return s


def h12_presale_surge() -> Scn:
    s = Scn(12, "tickets-presale-surge", "ap-northeast-2",
            "tickets-api latency alarm; fans report the search page spinning.", seed=1012, anchor="2026-03-18T11:00:00")
    rng = s.rng
    T = -1800
    surge = ramp(T, 3) * (1 + 0.25 * np.exp(-(TS - T) / 600.0))
    fn = Fn(s, "ticket-search", "nodejs20.x", 512, 15, init_ms=(650, 1100), max_streams=16)

    def handler(c):
        k = float(surge[int((c.t + 21600) // 60)])
        ev = rng.choice(["EVT-SEOUL-0412", "EVT-BUSAN-0419", "EVT-SEOUL-0413", "EVT-INCHEON-0501"],
                        p=[0.25, 0.25, 0.25, 0.25] if k < 0.1 else [0.85, 0.05, 0.08, 0.02])
        hit = rng.random() < (0.9 if not c.cold else 0.0)
        d = float(rng.lognormal(math.log(60 if hit else 240), 0.35)) * (1 + 1.6 * k)
        lines = [(d / 1000, fn.line(c.t + d / 1000, c.rid, "INFO", f"search event={ev} section=all seats_available="
                                                                 f"{int(rng.integers(0, 900))} cache={'hit' if hit else 'miss'} {int(d)}ms"))]
        return Inv("ok", d, int(rng.integers(110, 160)), lines)

    fn.run(12 * s.daily(0.3) * (1 + 11 * surge), handler, log_from=-7200)
    fn.emit()
    rest_api(s, fn, "tickets-api", "t8r6e4w2q0", "prod", overhead=24, client_4xx=0.02)

    co = Fn(s, "ticket-checkout", "nodejs20.x", 1024, 30, init_ms=(700, 1000))

    def c_handler(c):
        d = float(rng.lognormal(math.log(420), 0.3))
        lines = [(d / 1000, co.line(c.t + d / 1000, c.rid, "INFO", f"hold created for {int(rng.integers(1, 5))} seats, "
                                                                   f"expires in 600s"))]
        if rng.random() < 0.03:
            lines.append((0.1, co.line(c.t + 0.1, c.rid, "WARN", "seat already held by another session; offering alternatives")))
        return Inv("ok", d, int(rng.integers(150, 190)), lines)

    co.run(3 * s.daily(0.3) * (1 + 1.5 * surge), c_handler, resets=[-7200])
    co.emit()

    s.res("apigateway", "tickets-api", api_id="t8r6e4w2q0", stage="prod", protocol="REST")
    s.res("lambda", "ticket-search", runtime="nodejs20.x", memory_size=512, timeout=15)
    s.res("lambda", "ticket-checkout", runtime="nodejs20.x", memory_size=1024, timeout=30)
    s.change(-7200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "ticket-checkout",
             "github-actions-deploy")
    a = s.alarm("tickets-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "tickets-api"}, "Average", 60, 3, 200,
                description="tickets-api average latency")
    s.set_expect(a["name"], "traffic_surge", ["tickets-api", "ticket-search"],
                 [("AWS/ApiGateway", "Count", {"ApiName": "tickets-api"}),
                  ("AWS/ApiGateway", "Latency", {"ApiName": "tickets-api"})])
    s.readme = dict(decoys="UpdateFunctionCode on ticket-checkout 2 h earlier; ticket-checkout traffic also rises a little",
                    story="A concert presale opened at the top of the hour: tickets-api requests jump ~12x within three "
                          "minutes. ticket-search scales out (many INIT_START cold starts with ~1 s init, empty per-"
                          "environment caches) and is slower per request; average API latency rises from ~130 ms to "
                          "~400 ms. No errors, throttles or changes; it is purely load.")
    return s


def h16_dynamodb_throttling() -> Scn:
    s = Scn(16, "session-store-ddb-throttle", "eu-west-3",
            "auth-http 5xx alarm; users logged out and unable to sign back in.", seed=1016, anchor="2026-03-19T07:00:00")
    rng = s.rng
    T = -1680
    fn = Fn(s, "session-store", "nodejs20.x", 256, 6, init_ms=(230, 420))
    routes = ["POST /session", "POST /session/refresh", "DELETE /session"]

    def handler(c):
        route = routes[int(rng.choice(3, p=[0.35, 0.55, 0.1]))]
        sid = s.hexid(16)
        lines = [(0.002, fn.line(c.t, c.rid, "INFO", f"{route} session={sid[:6]}…"))]
        if route == "POST /session/refresh" and rng.random() < 0.02:
            lines.append((0.03, fn.line(c.t + 0.03, c.rid, "WARN", f"ConditionalCheckFailedException on refresh session="
                                                                    f"{sid[:6]}… (concurrent refresh); returning current token")))
        if c.t >= T and route != "DELETE /session" and rng.random() < 0.45 * float(ramp(T, 4)[int((c.t + 21600) // 60)]):
            delay = int(rng.integers(180, 650))
            d = float(rng.lognormal(math.log(40), 0.3)) + delay
            meta = {"httpStatusCode": 400, "requestId": s.hexid(52).upper(), "attempts": 3, "totalRetryDelay": delay}
            emsg = ("The level of configured provisioned throughput for the table was exceeded. Consider increasing your "
                    "provisioning level with the UpdateTable API.")
            lines.append((d / 1000, fn.line(c.t + d / 1000, c.rid, "ERROR", f"PutItem user-sessions failed: "
                                                                         f"ProvisionedThroughputExceededException: {emsg} "
                                                                         f"$metadata={json.dumps(meta, separators=(',', ':'))}")))
            lines.append((d / 1000 + 0.001, fn.node_invoke_error(c.t + d / 1000, c.rid, "ProvisionedThroughputExceededException", emsg, [
                "    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:838:20)",
                "    at /var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:847:5",
                "    at de_CommandError (/var/runtime/node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js:2296:14)",
                "    at async /var/runtime/node_modules/@aws-sdk/node_modules/@smithy/middleware-retry/dist-cjs/index.js:320:38",
                "    at async putSession (/var/task/dist/store.js:44:5)",
                "    at async Runtime.handler (/var/task/dist/index.js:27:16)"])))
            return Inv("error", d, int(rng.integers(88, 98)), lines, emsg)
        d = float(rng.lognormal(math.log(28), 0.35))
        return Inv("ok", d, int(rng.integers(86, 96)), lines + [(d / 1000, fn.line(c.t + d / 1000, c.rid, "INFO", "ok 200"))])

    fn.run(30 * s.daily(0.3), handler, log_from=-5400)
    fn.emit()
    http_api(s, fn, "a9s8d7f6g5", routes, "/aws/vendedlogs/apigateway/auth-http-access", log_from=-5400)

    ti = Fn(s, "token-issuer", "nodejs20.x", 256, 6)

    def t_handler(c):
        d = float(rng.lognormal(math.log(22), 0.3))
        return Inv("ok", d, int(rng.integers(80, 90)), [(0.002, ti.line(c.t, c.rid, "INFO", "issued access token (RS256, ttl=900s)"))])

    ti.run(20 * s.daily(0.3), t_handler, resets=[-2600], log_from=-5400)
    ti.emit()

    s.res("lambda", "session-store", runtime="nodejs20.x", memory_size=256, timeout=6,
          environment={"SESSIONS_TABLE": "user-sessions", "AWS_NODEJS_CONNECTION_REUSE_ENABLED": "1"})
    s.res("apigateway", "auth-http", api_id="a9s8d7f6g5", protocol="HTTP", stage="$default")
    s.res("lambda", "token-issuer", runtime="nodejs20.x", memory_size=256, timeout=6)
    s.change(-2600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "token-issuer",
             "github-actions-deploy")
    a = s.alarm("auth-http-5xx", "AWS/ApiGateway", "5xx", {"ApiId": "a9s8d7f6g5"}, "Sum", 300, 1, 15,
                description="auth-http 5xx responses")
    s.set_expect(a["name"], "throttling", ["session-store", "user-sessions"],
                 [("AWS/ApiGateway", "5xx", {"ApiId": "a9s8d7f6g5"}),
                  ("AWS/Lambda", "Errors", {"FunctionName": "session-store"})])
    s.readme = dict(decoys="UpdateFunctionCode on token-issuer 15 min before onset; constant "
                           "ConditionalCheckFailedException WARNs from the same table",
                    story="An engineer started a backfill script from a laptop that rewrites every item of the "
                          "provisioned DynamoDB table user-sessions (adding a tenant_id attribute) as fast as it can; "
                          "data-plane writes leave no CloudTrail management event. The table's write capacity is used up "
                          "and writes from session-store are throttled "
                          "(`ProvisionedThroughputExceededException` after 3 SDK attempts) while API traffic and Lambda "
                          "concurrency stay flat; the HTTP API returns 500s.")
    return s


BUILDERS = [h08_unknown_blip, h11_go_nil_panic, h12_presale_surge, h16_dynamodb_throttling]
