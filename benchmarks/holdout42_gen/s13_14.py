"""h42-13 (ALB-generated 5xx burst with nothing behind it: unknown) and h42-14 (Go Lambda deploy, panic in an
errgroup goroutine kills the runtime)."""
from __future__ import annotations

import json

from .common import (Rng, Stream, alarm, alb_metrics, anchor_dt, apigw_metrics, arrivals, at, change, ec2_metrics,
                     expect, iso_ms, lambda_invoke, lambda_metrics, lambda_stream_name, rds_metrics, scenario_doc,
                     series, wave)

GB = 1024 ** 3


# ------------------------------------------------------------------ h42-13
def _go_http_panic(anchor, t, rng, client):
    return (f"{at(anchor, t).strftime('%Y/%m/%d %H:%M:%S')} http: panic serving {client}: runtime error: index out of range [3] with length 3\n"
            f"goroutine {rng.randint(100000, 999999)} [running]:\n"
            "net/http.(*conn).serve.func1()\n"
            "\t/usr/local/go/src/net/http/server.go:1947 +0xbe\n"
            "panic({0x8a1e40?, 0xc000a1b230?})\n"
            "\t/usr/local/go/src/runtime/panic.go:785 +0x132\n"
            "github.com/acme/accounts/internal/profile.formatPhone({0xc0004b2a80, 0xc})\n"
            "\t/src/internal/profile/phone.go:41 +0x1f4\n"
            "github.com/acme/accounts/internal/profile.(*Handler).Get(0xc000196540, {0xa9c2f8, 0xc0003c62a0}, 0xc0002b4b40)\n"
            "\t/src/internal/profile/handler.go:88 +0x3b1\n"
            "net/http.HandlerFunc.ServeHTTP(0xc0001b2a80?, {0xa9c2f8?, 0xc0003c62a0?}, 0xc000110c40?)\n"
            "\t/usr/local/go/src/net/http/server.go:2220 +0x29\n"
            "github.com/go-chi/chi/v5.(*Mux).routeHTTP(0xc0000c6360, {0xa9c2f8, 0xc0003c62a0}, 0xc0002b4b40)\n"
            "\t/go/pkg/mod/github.com/go-chi/chi/v5@v5.1.0/mux.go:459 +0x2c2\n"
            "net/http.serverHandler.ServeHTTP({0xc0001c4000?}, {0xa9c2f8?, 0xc0003c62a0?}, 0x6?)\n"
            "\t/usr/local/go/src/net/http/server.go:3210 +0x8e\n"
            "net/http.(*conn).serve(0xc0003f2000, {0xa9d0a0, 0xc0001a4f00})\n"
            "\t/usr/local/go/src/net/http/server.go:2092 +0x5d0\n"
            "created by net/http.(*Server).Serve in goroutine 1\n"
            "\t/usr/local/go/src/net/http/server.go:3360 +0x485")


def h42_13():
    rng = Rng(4213)
    anchor = anchor_dt(2026, 11, 29, 16, 40)
    region = "ca-central-1"
    lb = "app/accounts-alb/8b3d0f6a2c4e1579"
    i1, i2 = "i-0a7c2e4f6b8d01357", "i-0c9e1a3b5d7f24680"
    onset = -1510
    burst = lambda t: (rng.choice([14, 22, 31, 38, 19, 44, 27]) if t >= onset and (t // 60) % 5 != 2 else 0)  # noqa: E731
    rpm = lambda t: 2600 * wave(t, 10800, 0.1, 1.5)  # noqa: E731
    e5 = series(rng, lambda t: 0.05 + burst(t), integer=True)
    metrics = alb_metrics(lb, series(rng, rpm, integer=True), series(rng, lambda t: 0.031, noise=0.08, nd=4),
                          series(rng, lambda t: 0.35, integer=True), e5,
                          series(rng, lambda t: 17, integer=True),
                          series(rng, lambda t: 2, noise=0, nd=0), series(rng, lambda t: 0, noise=0, nd=0))
    for iid in (i1, i2):
        metrics += ec2_metrics(iid, series(rng, lambda t: 22 * wave(t, 10800, 0.1, 1.5), noise=0.07),
                               series(rng, lambda t: 2.6e7 * wave(t, 10800, 0.1, 1.5), noise=0.08, nd=0),
                               series(rng, lambda t: 0, noise=0, nd=0), series(rng, lambda t: 48, noise=0.02),
                               series(rng, lambda t: 35, noise=0.002))
    metrics += rds_metrics("accounts-db", series(rng, lambda t: 17 * wave(t, 10800, 0.1, 1.5), noise=0.08),
                           series(rng, lambda t: 64, integer=True), series(rng, lambda t: 96 * GB, noise=0.0003, nd=0),
                           series(rng, lambda t: 0.0007, noise=0.15, nd=5), series(rng, lambda t: 0.0012, noise=0.15, nd=5),
                           series(rng, lambda t: 4.1 * GB, noise=0.01, nd=0))
    metrics += lambda_metrics("accounts-audit-export", series(rng, lambda t: 1 if t % 900 == 0 else 0, noise=0, nd=0),
                              series(rng, lambda t: 0, noise=0, nd=0), series(rng, lambda t: 0, noise=0, nd=0),
                              [p for p in series(rng, lambda t: 12000, noise=0.1, nd=2) if p[0] % 900 == 0],
                              series(rng, lambda t: 1 if t % 900 == 0 else 0, noise=0, nd=0))

    logs = []
    for iid, name in ((i1, "accounts-api-1"), (i2, "accounts-api-2")):
        acc = Stream("/accounts/nginx/access", iid)
        err = Stream("/accounts/nginx/error", iid)
        app = Stream("/accounts/app", iid)
        for t in arrivals(rng, -7200, 0, lambda t: rpm(t) / 60 / 2 * 0.018):
            path = rng.choice(["/v1/accounts/{}/profile", "/v1/accounts/{}/preferences", "/v1/sessions/refresh",
                               "/v1/accounts/{}/addresses", "/healthz"]).format(rng.randint(100000, 999999))
            d = rng.lognormvariate(2.9, 0.45) / 1000
            meth = "POST" if "sessions" in path else "GET"
            acc.add(t + d, f'{rng.ip("10.40")} - - [{at(anchor, t).strftime("%d/%b/%Y:%H:%M:%S +0000")}] "{meth} {path} HTTP/1.1" 200 '
                           f'{rng.randint(200, 2400)} "-" "{rng.choice(["okhttp/4.12.0", "accounts-web/5.3", "ELB-HealthChecker/2.0"])}" '
                           f'rt={d:.3f} uct="0.000" urt="{d:.3f}"')
            if path != "/healthz":
                app.add(t + d - 0.0005, json.dumps({"level": "info", "ts": round(anchor.timestamp() + t + d, 4),
                                                    "caller": "httpx/middleware.go:61", "msg": "request", "method": meth,
                                                    "path": path, "status": 200, "latency": round(d - 0.0005, 4),
                                                    "trace_id": rng.hexs(32)}, separators=(",", ":")))
        for t in arrivals(rng, -7200, 0, lambda t: 1 / 190):
            client = f"127.0.0.1:{rng.randint(40000, 60999)}"
            app.add(t, _go_http_panic(anchor, t, rng, client))
            acct = rng.randint(100000, 999999)
            err.add(t + 0.001, f"{at(anchor, t).strftime('%Y/%m/%d %H:%M:%S')} [error] 1021#1021: *{rng.randint(100000, 999999)} upstream "
                               f"prematurely closed connection while reading response header from upstream, client: {rng.ip('10.40')}, "
                               f'server: _, request: "GET /v1/accounts/{acct}/profile HTTP/1.1", upstream: '
                               f'"http://127.0.0.1:8080/v1/accounts/{acct}/profile", host: "accounts.internal.acme.ca"')
            acc.add(t + 0.001, f'{rng.ip("10.40")} - - [{at(anchor, t).strftime("%d/%b/%Y:%H:%M:%S +0000")}] "GET /v1/accounts/{acct}/profile '
                               f'HTTP/1.1" 502 157 "-" "okhttp/4.12.0" rt=0.004 uct="0.000" urt="0.004"')
        for t in range(-7200, 0, 600):
            app.add(t + 3, json.dumps({"level": "info", "ts": round(anchor.timestamp() + t + 3, 4), "caller": "cache/warm.go:33",
                                       "msg": "session key cache refreshed", "keys": 4, "host": name}, separators=(",", ":")))
        logs += [acc, err, app]

    changes = [change(-16420, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                      "accounts-audit-export", "github-actions")]
    al = alarm("accounts-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1, 25,
               "GreaterThanThreshold", e5, anchor, "5xx generated by the accounts load balancer itself")
    resources = [
        {"type": "ec2", "id": i1, "properties": {"name": "accounts-api-1", "instance_type": "m6i.large", "role": "nginx -> go accounts-api :8080",
                                                 "log_groups": ["/accounts/nginx/access", "/accounts/nginx/error", "/accounts/app"]}},
        {"type": "ec2", "id": i2, "properties": {"name": "accounts-api-2", "instance_type": "m6i.large", "role": "nginx -> go accounts-api :8080",
                                                 "log_groups": ["/accounts/nginx/access", "/accounts/nginx/error", "/accounts/app"]}},
        {"type": "alb", "id": lb, "properties": {"name": "accounts-alb", "access_logs": "disabled"}},
        {"type": "rds", "id": "accounts-db", "properties": {"engine": "postgres", "instance_class": "db.m6g.large", "max_connections": 800}},
        {"type": "lambda", "id": "accounts-audit-export", "properties": {"runtime": "provided.al2023", "timeout": 60, "memory_size": 256}},
    ]
    acc_ids = [lb, "accounts-alb"]
    doc = scenario_doc("h42-13-accounts-elb-5xx-unexplained",
                       "Intermittent 502s reported by the mobile app; ALB-generated 5xx alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "unknown", acc_ids,
                              [("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb})]))
    meta = {"region": region, "alarm": al["name"], "category": "unknown", "resources": acc_ids,
            "where": "origin unknown (alarm on ALB)",
            "decoys": "pre-existing Go `http: panic serving` goroutine dumps + nginx 'upstream prematurely closed' 502s at the same "
                      "rate before and after (they are target 5xx, flat); Lambda deploy 4.5 h earlier",
            "story": "HTTPCode_ELB_5XX_Count jumps from ~0 to 15-45 a minute 25 minutes ago, in bursts. Everything behind the "
                     "ALB is unchanged: target 5xx, latency, request count, healthy host count (2/2), instance CPU/memory, the "
                     "database and both hosts' nginx and Go logs look exactly as before; the only recurring error (a recovered "
                     "Go panic that nginx turns into a 502) runs at the same rate all along and is counted as target 5xx, not "
                     "ELB 5xx. No change in the window; ALB access logs are disabled. Nothing in the evidence explains the "
                     "ELB-generated errors -> unknown (escalate to AWS / enable access logs), not a guess."}
    return "h42-13-accounts-elb-5xx-unexplained", doc, meta


# ------------------------------------------------------------------ h42-14
def _go_goroutine_panic():
    return ("panic: runtime error: invalid memory address or nil pointer dereference\n"
            "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6b2f14]\n\n"
            "goroutine 37 [running]:\n"
            "github.com/acme/route-quote/internal/quote.(*Builder).applySurcharge(0xc0001a2000, 0x0)\n"
            "\t/build/internal/quote/surcharge.go:58 +0x34\n"
            "github.com/acme/route-quote/internal/quote.(*Builder).priceLeg(0xc0001a2000, {0xc00012e0c0, 0x5}, 0xc000214a80)\n"
            "\t/build/internal/quote/builder.go:211 +0x1c5\n"
            "github.com/acme/route-quote/internal/quote.(*Builder).Build.func1()\n"
            "\t/build/internal/quote/builder.go:143 +0x45\n"
            "golang.org/x/sync/errgroup.(*Group).Go.func1()\n"
            "\t/go/pkg/mod/golang.org/x/sync@v0.8.0/errgroup/errgroup.go:78 +0x50\n"
            "created by golang.org/x/sync/errgroup.(*Group).Go in goroutine 12\n"
            "\t/go/pkg/mod/golang.org/x/sync@v0.8.0/errgroup/errgroup.go:75 +0x96")


def h42_14():
    rng = Rng(4214)
    anchor = anchor_dt(2026, 11, 30, 14, 20)
    region = "sa-east-1"
    fn, api = "route-quote", "logistics-api"
    t_dep = -2640
    onset = t_dep + 45
    rpm = lambda t: 180 * wave(t, 10800, 0.15, 0.9)  # noqa: E731
    remote = 0.34
    e5 = series(rng, lambda t: 0.1 + (rpm(t) * remote if t >= onset else 0), integer=True)
    metrics = apigw_metrics(api, series(rng, rpm, integer=True), series(rng, lambda t: 4, integer=True), e5,
                            series(rng, lambda t: 96 if t < onset else 140, noise=0.12, nd=1),
                            series(rng, lambda t: 78 if t < onset else 122, noise=0.12, nd=1), stage=None)
    metrics += lambda_metrics(fn, series(rng, rpm, integer=True),
                              series(rng, lambda t: 0.02 + (rpm(t) * remote if t >= onset else 0), integer=True),
                              series(rng, lambda t: 0, noise=0, nd=0),
                              series(rng, lambda t: 58 if t < onset else 49, noise=0.1, nd=2),
                              series(rng, lambda t: 2 if t < onset else 4, integer=True))
    metrics += lambda_metrics("carrier-sync", series(rng, lambda t: 1 if t % 600 == 0 else 0, noise=0, nd=0),
                              series(rng, lambda t: 0, noise=0, nd=0), series(rng, lambda t: 0, noise=0, nd=0),
                              [p for p in series(rng, lambda t: 8400, noise=0.1, nd=2) if p[0] % 600 == 0],
                              series(rng, lambda t: 1 if t % 600 == 0 else 0, noise=0, nd=0))

    g = f"/aws/lambda/{fn}"
    old = [Stream(g, lambda_stream_name(anchor, rng, "41")) for _ in range(2)]
    live = [Stream(g, lambda_stream_name(anchor, rng, "42")) for _ in range(3)]
    cur = {}
    lt = lambda x: f"time={iso_ms(anchor, x)}"  # noqa: E731

    for t in arrivals(rng, -7500, 0, lambda t: rpm(t) / 60 * 0.12):
        rid = rng.uuid()
        o = rng.choice(["BR-SP", "BR-SP", "BR-PR", "BR-MG"])
        dest = rng.choice(["BR-AM", "BR-RR", "BR-AC", "BR-AP", "BR-PA"]) if rng.random() < remote else rng.choice(["BR-RJ", "BR-SP", "BR-RS", "BR-SC", "BR-BA"])
        is_remote = dest in {"BR-AM", "BR-RR", "BR-AC", "BR-AP", "BR-PA"}
        carrier = rng.choice(["jadlog", "correios", "loggi", "total-express"])
        body = [(0.001, f'{lt(t + 0.001)} level=INFO msg="quote request" request_id={rid} origin={o} dest={dest} '
                        f'weight_g={rng.randint(200, 30000)} service={rng.choice(["standard", "express"])}')]
        if rng.random() < 0.1:
            body.append((0.002, f'{lt(t + 0.002)} level=WARN msg="carrier rate card stale" carrier=correios age_h={rng.randint(25, 30)} '
                                f'fallback=cached'))
        if t < t_dep + 20:
            st = rng.choice(old)
            d = rng.uniform(35, 80)
            body.append((d / 1000, f'{lt(t + d / 1000)} level=INFO msg="quote computed" request_id={rid} carrier={carrier} '
                                   f'price_brl={rng.randint(1500, 19000) / 100:.2f} legs={2 if is_remote else 1} dur_ms={d:.0f}'))
            lambda_invoke(st, t, rid, d + 1, 256, rng.randint(31, 38), body, version="41")
            continue
        idx = rng.randrange(3)
        st = live[idx]
        init = None
        if not cur.get(idx):
            cur[idx] = True
            st.add(t - 0.12, "INIT_START Runtime Version: provided:al2023.v62\tRuntime Version ARN: arn:aws:lambda:sa-east-1::runtime:"
                             "d2f1f7e0c6f1f5b9c3a8e4b7d9a6c2e1f0b3a5d7c9e1f3a5b7d9c1e3f5a7b9c1")
            st.add(t - 0.05, f'{lt(t - 0.05)} level=INFO msg="route-quote starting" version=v2.14.0 commit=9be1c0d '
                             f'go=go1.23.3 surcharge_rules=enabled')
            init = rng.uniform(60, 95)
        if is_remote:
            d = rng.uniform(6, 14)
            body.append((d / 1000, _go_goroutine_panic()))
            st.add(t + d / 1000 + 0.002, f"RequestId: {rid} Error: Runtime exited with error: exit status 2\nRuntime.ExitError")
            lambda_invoke(st, t, rid, d + 3, 256, rng.randint(30, 36), body, version="42", init_ms=init, status="error")
            st.events[-1] = (st.events[-1][0], st.events[-1][1] + "\tError Type: Runtime.ExitError")
            cur[idx] = False  # the runtime exited: the environment re-initialises on its next invoke
            continue
        d = rng.uniform(35, 80)
        body.append((d / 1000, f'{lt(t + d / 1000)} level=INFO msg="quote computed" request_id={rid} carrier={carrier} '
                               f'price_brl={rng.randint(1500, 19000) / 100:.2f} legs=1 dur_ms={d:.0f}'))
        lambda_invoke(st, t, rid, d + 1, 256, rng.randint(31, 38), body, version="42", init_ms=init)
    cs = Stream("/aws/lambda/carrier-sync", lambda_stream_name(anchor, rng))
    for t in range(-7800, 0, 600):
        rid = rng.uuid()
        lambda_invoke(cs, t + 0.4, rid, rng.uniform(7500, 9300), 512, rng.randint(90, 110),
                      [(2.0, f'{lt(t + 2.4)} level=INFO msg="rate cards synced" carriers=4 updated={rng.randint(0, 3)} '
                             f'skipped=correios reason="upstream 304"')])
    logs = old + live + [cs]

    changes = [change(-9800, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/prod", "ops-bruno"),
               change(-5420, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                      "carrier-sync", "terraform"),
               change(t_dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "github-actions"),
               change(t_dep + 8, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "github-actions"),
               change(t_dep + 15, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, "github-actions")]
    al = alarm("logistics-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 8, "GreaterThanThreshold",
               e5, anchor, "Logistics API 5xx")
    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "provided.al2023", "language": "go1.23", "timeout": 15, "memory_size": 256,
                                                    "alias": "live -> 42"}},
        {"type": "apigateway", "id": api, "properties": {"stage": "prod", "integration": "lambda-proxy route-quote:live"}},
        {"type": "lambda", "id": "carrier-sync", "properties": {"runtime": "provided.al2023", "timeout": 60, "memory_size": 512}},
    ]
    doc = scenario_doc("h42-14-route-quote-go-panic-deploy",
                       "Shipping quotes failing for northern Brazil destinations; logistics API 5xx alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "bad_deployment", [fn], [("AWS/ApiGateway", "5XXError", {"ApiName": api}),
                                                                  ("AWS/Lambda", "Errors", {"FunctionName": fn})]))
    meta = {"region": region, "alarm": al["name"], "category": "bad_deployment", "resources": [fn],
            "where": "front (API Gateway)",
            "decoys": "API Gateway UpdateStage 2.7 h earlier; carrier-sync config change 90 min earlier; steady 'carrier rate "
                      "card stale' WARN",
            "story": "CI publishes route-quote v2.14.0 (version 42, alias live) 44 minutes ago; its start-up line announces "
                     "`surcharge_rules=enabled`. From then on every quote to a remote northern state crashes the process: a "
                     "Go panic (nil pointer dereference in Builder.applySurcharge) raised inside an errgroup goroutine, which "
                     "aws-lambda-go cannot recover, so each one ends with `Runtime exited with error: exit status 2` / "
                     "Runtime.ExitError and a fresh INIT_START. Version 41 streams never show it. New error signature right "
                     "after a code deployment -> bad_deployment on route-quote."}
    return "h42-14-route-quote-go-panic-deploy", doc, meta
