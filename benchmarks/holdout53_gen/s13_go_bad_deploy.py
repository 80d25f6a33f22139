"""h53-13: a new version of the Go rates-quote Lambda panics on quotes without a promo code (sudden, deploy)."""
from __future__ import annotations

import json
from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import apigw_set, lambda_set, minutes

REGION = "eu-west-3"
DEP = -2100
NOW_H = 11.67
API_ID = "m2n4b6v8c0"

META = {
    "file": "h53-13-apigw-lambda-go-bad-deploy.yaml", "region": REGION, "alarm": "rates-api-5xx",
    "category": "bad_deployment", "resources": ["rates-quote"], "alarm_on": "front (API Gateway)",
    "decoys": "environment-variable change on rates-sync 8 min before the deploy; steady `fuel index fetch failed` "
              "ERROR and `surcharge table missing lane` WARN lines; steady 4XX from clients with bad API keys",
    "story": (
        "rates-api returns 502 for roughly two requests in three. Two minutes before the 5XX started, ci-rates "
        "updated rates-quote's code, published version 88 and moved the `live` alias to it. From that moment the "
        "function logs a Go panic that did not exist before: `runtime error: invalid memory address or nil pointer "
        "dereference` in (*Engine).applyPromo (promo.go:57), followed by `Runtime exited with error: exit status "
        "1 / Runtime.ExitError` and a cold start on the next request; successful quotes now report version "
        "1.43.0 and all carry a promo code. API Gateway's execution log shows `Lambda execution failed with status "
        "200 due to customer function error`. rates-sync's configuration change concerns a different function with "
        "clean logs; the fuel-index errors, surcharge warnings and 4XX are at their usual rate. A config change "
        "would win the tie-break only if it were the trigger; here it is not. Judgement: bad_deployment of "
        "rates-quote."),
}


def build() -> Scenario:
    scn = Scenario("h53-13-apigw-lambda-go-bad-deploy", "Freight quote widget failing for most customers; API 5XX "
                   "alarm.", REGION, 5313, datetime(2026, 6, 23, 9, 40))
    scn.runtime_version = "provided:al2023.v41"
    rng = scn.rng
    scn.resource("lambda", "rates-quote", runtime="provided.al2023", architecture="arm64", handler="bootstrap",
                 timeout=10, memory_size=256, alias="live")
    scn.resource("lambda", "rates-sync", runtime="provided.al2023", architecture="arm64", timeout=300, memory_size=512)
    scn.resource("apigateway", "rates-api", api_id=API_ID, stage="prod", integration="lambda:rates-quote:live")
    mult = lambda t: diurnal(t, NOW_H, peak_hour=11.0, amp=0.35)
    after = lambda t: t >= DEP
    inv = counts(lambda t: 540 * mult(t), rng)
    frac = 0.68
    errs = [[t, float(round(v * frac * rng.uniform(0.95, 1.05))) if after(t) else 0.0] for t, v in inv]
    lambda_set(scn, "rates-quote", inv=inv, err=errs, thr=lambda t: 0,
               dur=lambda t: (rng.uniform(9, 14) if after(t) else rng.uniform(16, 24)),
               conc=lambda t: (rng.uniform(22, 34) if after(t) else rng.uniform(3, 7)))
    rs = lambda t: 1 if scn.at(t).minute % 15 == 0 else None
    lambda_set(scn, "rates-sync", inv=rs, err=lambda t: 0 if rs(t) else None, thr=lambda t: 0 if rs(t) else None,
               dur=lambda t: rng.uniform(20000, 34000) if rs(t) else None, conc=lambda t: 1 if rs(t) else None)
    api = apigw_set(scn, "rates-api", count=lambda t: value_at(inv, t) * 1.03,
                    e4=lambda t: value_at(inv, t) * 0.03 * rng.uniform(0.7, 1.3), e5=errs,
                    latency=lambda t: (rng.uniform(70, 110) if after(t) else rng.uniform(38, 52)),
                    integ=lambda t: (rng.uniform(55, 95) if after(t) else rng.uniform(24, 34)))
    scn.alarm("rates-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "rates-api"}, "Sum", 60, 3, 10,
              "GreaterThanThreshold", points=api["5XXError"], description="rates-api server errors")
    scn.change(DEP - 480, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "rates-sync", "m.dubois")
    scn.change(DEP - 40, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "rates-quote", "ci-rates")
    scn.change(DEP - 25, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "rates-quote",
               "ci-rates")
    scn.change(DEP, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "rates-quote", "ci-rates")
    _logs(scn, inv, after, frac)
    scn.set_expect("rates-api-5xx", META["category"], META["resources"],
                   [dims_ref("AWS/Lambda", "Errors", {"FunctionName": "rates-quote"}),
                    dims_ref("AWS/ApiGateway", "5XXError", {"ApiName": "rates-api"})])
    return scn


PANIC = {"errorMessage": "runtime error: invalid memory address or nil pointer dereference", "errorType": "errorString",
         "stackTrace": [{"path": "github.com/aws/aws-lambda-go@v1.47.0/lambda/errors.go", "line": 39,
                         "label": "lambdaPanicResponse"},
                        {"path": "github.com/aws/aws-lambda-go@v1.47.0/lambda/invoke_loop.go", "line": 122,
                         "label": "callBytesHandlerFunc.func1"},
                        {"path": "runtime/panic.go", "line": 770, "label": "panic"},
                        {"path": "runtime/panic.go", "line": 261, "label": "panicmem"},
                        {"path": "runtime/signal_unix.go", "line": 881, "label": "sigpanic"},
                        {"path": "github.com/northfreight/rates/internal/pricing/promo.go", "line": 57,
                         "label": "(*Engine).applyPromo"},
                        {"path": "github.com/northfreight/rates/internal/pricing/engine.go", "line": 131,
                         "label": "(*Engine).Quote"},
                        {"path": "github.com/northfreight/rates/cmd/quote/main.go", "line": 44, "label": "handle"}]}
LANES = ["FR-DE", "FR-BE", "FR-ES", "FR-IT", "FR-NL", "FR-CH", "FR-PL", "FR-MC"]


def _logs(scn, inv, after, frac):
    rng = scn.rng
    ev, ex = [], []
    cold = False
    for m0 in minutes(-7200):
        for _ in range(int(value_at(inv, m0)) // 25):
            t = m0 + rng.uniform(0, 60)
            lane = rng.choice(LANES)
            new = after(t)
            ver = "88" if t >= DEP else "87"
            promo = rng.random() >= frac if new else rng.random() < 0.3
            body = []
            if rng.random() < 0.05:
                body.append((0.001, L.slog_json(scn, t, "ERROR", "fuel index fetch failed; using cached value",
                             err='Get "https://fuel.partner.example/v1/index": context deadline exceeded')))
            if lane == "FR-MC":
                body.append((0.002, L.slog_json(scn, t, "WARN", "carrier surcharge table missing lane, using default",
                                                lane=lane)))
            init = rng.uniform(38, 62) if cold else None
            cold = False
            rid = scn.uuid()
            if new and not promo:
                d = rng.uniform(2, 6)
                body.append((d / 1000, json.dumps(PANIC, separators=(",", ":"))))
                body.append((d / 1000 + 0.0005, f"{scn.at(t).strftime('%Y/%m/%d %H:%M:%S')} calling the handler "
                             "function resulted in a panic, the process should exit"))
                body.append((d / 1000 + 0.002, f"RequestId: {rid} Error: Runtime exited with error: exit status 1\n"
                             "Runtime.ExitError"))
                ev += L.lambda_invocation(scn, t, d, 256, rng.randint(18, 22), body, req=rid, init_ms=init,
                                          version=ver, status="error", error_type="Runtime.ExitError")
                cold = True
                ex.append((t + 0.01, f"({scn.uuid()}) Lambda execution failed with status 200 due to customer function "
                           f"error: runtime error: invalid memory address or nil pointer dereference. Lambda request "
                           f"id: {rid}"))
                ex.append((t + 0.011, f"({scn.uuid()}) Method completed with status: 502"))
                continue
            d = rng.uniform(9, 14) if new else rng.uniform(15, 26)
            fields = {"lane": lane, "weight_kg": round(rng.uniform(1, 900), 1),
                      "price_eur": round(rng.uniform(9, 900), 2), "version": "1.43.0" if t >= DEP else "1.42.3"}
            if promo:
                fields["promo_code"] = rng.choice(["SUMMER26", "B2B10", "LOYAL5"])
            body.append((d / 1000 - 0.0005, L.slog_json(scn, t + d / 1000, "INFO", "quote computed", **fields)))
            ev += L.lambda_invocation(scn, t, d, 256, rng.randint(18, 22), body, req=rid, init_ms=init, version=ver)
    scn.log("/aws/lambda/rates-quote", "2026/06/23/[88]f0a3c6e9b2d54817a9c2e5f8b1d4a7c0", [e for e in ev if e[0] >= DEP])
    scn.log("/aws/lambda/rates-quote", "2026/06/23/[87]4b7e0a3d6c9f42158e1b4d7a0c3f6e92", [e for e in ev if e[0] < DEP])
    scn.log(f"API-Gateway-Execution-Logs_{API_ID}/prod", f"{API_ID}-prod", ex)
    rs = []
    for m0 in minutes(-7200):
        if scn.at(m0).minute % 15:
            continue
        t = m0 + 0.3
        d = rng.uniform(20000, 34000)
        rs += L.lambda_invocation(scn, t, d, 512, rng.randint(60, 75), [
            (d / 1000 - 0.01, L.slog_json(scn, t + d / 1000, "INFO", "tariffs synced", carriers=7,
                                          lanes=rng.randint(410, 420), source="s3://nf-tariffs/current/"))])
    scn.log("/aws/lambda/rates-sync", "2026/06/23/[$LATEST]91c4e7a0d3b6428f5e8a1c4d7b0e3f62", rs)
