"""h53-09: the labels table's BIGINT AUTO_INCREMENT passes 2^31-1; the .NET Lambda converts LAST_INSERT_ID() with
Convert.ToInt32 and every label creation now throws OverflowException (slow burn: data growth, no change)."""
from __future__ import annotations

import json
from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import apigw_set, lambda_set, minutes, rds_set

REGION = "ap-northeast-1"
NOW_H = 15.17
INT_MAX = 2147483647

META = {
    "file": "h53-09-lambda-dotnet-int32-overflow.yaml", "region": REGION, "alarm": "shipment-label-api-errors",
    "category": "application_error", "resources": ["shipment-label-api"], "alarm_on": "origin (Lambda)",
    "decoys": "stage update on a different API (tracking-api) 7 min before onset; deploy of "
              "shipment-tracking-poller 48 min before onset; benign CPU spike on shipping-mysql; steady `rate card stale` "
              "warnings and handled 422 `fail` lines",
    "story": (
        "shipment-label-api (.NET 8 Lambda behind API Gateway) starts failing every POST /labels with "
        "`System.OverflowException: Value was either too large or too small for an Int32.` thrown from "
        "`Convert.ToInt32(Int64)` in LabelRepository.InsertAsync. The function's own info lines show the label ids "
        "it was handing out climbing towards 2,147,483,647 all morning and the first failing insert reporting "
        "last_insert_id=2147483648: the BIGINT key crossed the Int32 range and the code narrows it. GET requests "
        "for existing labels keep working; the database is healthy (CPU, connections, latency normal); nothing "
        "was deployed or reconfigured on this function. The tracking-api stage update and the tracking-poller "
        "deploy concern other resources, and the stale-rate-card warnings and 422s are at their usual rate. "
        "Judgement: application_error in shipment-label-api (a latent bug triggered by data growth), with no "
        "preceding change and no resource or dependency fault."),
}


def build() -> Scenario:
    scn = Scenario("h53-09-lambda-dotnet-int32-overflow", "Warehouses cannot print shipping labels; label API Errors "
                   "alarm.", REGION, 5309, datetime(2026, 10, 20, 6, 10))
    scn.runtime_version = "dotnet:8.v24"
    rng = scn.rng
    scn.resource("lambda", "shipment-label-api", runtime="dotnet8", timeout=15, memory_size=512,
                 handler="Shipping.Labels::Shipping.Labels.Function::FunctionHandler")
    scn.resource("lambda", "shipment-tracking-poller", runtime="dotnet8", timeout=120, memory_size=512)
    scn.resource("apigateway", "shipping-api", api_id="q8w2e6r4t1", stage="prod")
    scn.resource("apigateway", "tracking-api", api_id="z5x7c9v3b1", stage="prod")
    scn.resource("rds", "shipping-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                 allocated_storage_gb=500, max_connections=1000)
    mult = lambda t: diurnal(t, NOW_H, peak_hour=14.5, amp=0.3)
    posts = counts(lambda t: 92 * mult(t), rng)
    gets = counts(lambda t: 70 * mult(t), rng)
    # label id reaches INT_MAX+1 at ONSET: walk back from a chosen onset minute
    onset = -2100
    ids, nid = {}, INT_MAX
    for t, v in reversed([p for p in posts if p[0] < onset]):
        nid -= int(v)
        ids[t] = nid
    after = lambda t: t >= onset
    retry = lambda t: 1.35 if after(t) else 1.0
    post_pts = [[t, float(round(v * retry(t)))] for t, v in posts]
    inv = [[t, p + g] for (t, p), (_, g) in zip(post_pts, gets)]
    errs = [[t, p if after(t) else 0.0] for t, p in post_pts]
    lambda_set(scn, "shipment-label-api", inv=inv, err=errs, thr=lambda t: 0,
               dur=lambda t: rng.uniform(95, 150), conc=lambda t: rng.choice([1, 2, 2, 3]))
    tp = counts(lambda t: 3, rng)
    lambda_set(scn, "shipment-tracking-poller", inv=tp, err=lambda t: 0, thr=lambda t: 0,
               dur=lambda t: rng.uniform(3000, 9000), conc=lambda t: 1)
    four = lambda t: value_at(inv, t) * 0.02 * rng.uniform(0.6, 1.4)
    apigw_set(scn, "shipping-api", count=inv, e4=four, e5=errs, latency=lambda t: rng.uniform(140, 200),
              integ=lambda t: rng.uniform(115, 170))
    apigw_set(scn, "tracking-api", count=counts(lambda t: 400 * mult(t), rng), e4=lambda t: rng.randint(2, 9),
              e5=lambda t: rng.choice([0, 0, 0, 1]), latency=lambda t: rng.uniform(40, 70))
    batch = lambda t: -7000 <= t < -6100
    rds_set(scn, "shipping-mysql", CPUUtilization=lambda t: (64 if batch(t) else 17 + 6 * mult(t)) + rng.gauss(0, 1.5),
            DatabaseConnections=lambda t: 38 + rng.gauss(0, 3),
            WriteIOPS=lambda t: 240 * mult(t) * retry(t) + rng.gauss(0, 10), ReadIOPS=lambda t: 310 + rng.gauss(0, 15),
            FreeStorageSpace=lambda t: 171e9 - (t + 21600) * 1.5e3 + rng.uniform(-4e6, 4e6),
            ReadLatency=lambda t: 0.0006 * rng.uniform(0.8, 1.2), WriteLatency=lambda t: 0.0011 * rng.uniform(0.8, 1.2))
    scn.alarm("shipment-label-api-errors", "AWS/Lambda", "Errors", {"FunctionName": "shipment-label-api"}, "Sum", 60, 3,
              10, "GreaterThanThreshold", points=errs, description="Label API Lambda errors")
    scn.change(-5000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "shipment-tracking-poller", "codepipeline-shipping")
    scn.change(-2500, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "tracking-api",
               "k.tanaka")
    _logs(scn, posts, gets, ids, onset)
    scn.set_expect("shipment-label-api-errors", META["category"], META["resources"],
                   [dims_ref("AWS/Lambda", "Errors", {"FunctionName": "shipment-label-api"}),
                    dims_ref("AWS/ApiGateway", "5XXError", {"ApiName": "shipping-api"})])
    return scn


STACK = ["at System.Convert.ThrowInt32OverflowException()", "at System.Convert.ToInt32(Int64 value)",
         "at Shipping.Labels.Data.LabelRepository.InsertAsync(LabelRequest request, CancellationToken ct) in "
         "/src/Shipping.Labels/Data/LabelRepository.cs:line 88",
         "at Shipping.Labels.Function.CreateLabelAsync(APIGatewayProxyRequest request, ILambdaContext context) in "
         "/src/Shipping.Labels/Function.cs:line 61",
         "at Shipping.Labels.Function.FunctionHandler(APIGatewayProxyRequest request, ILambdaContext context) in "
         "/src/Shipping.Labels/Function.cs:line 34", "at lambda_method1(Closure, Stream, ILambdaContext, Stream)"]
CARRIERS = [("YAMATO", "TA-Q-BIN"), ("SAGAWA", "HIKYAKU"), ("JPPOST", "YU-PACK")]


def _logs(scn, posts, gets, ids, onset):
    rng = scn.rng
    ev, acc = [], []
    nid = None
    for m0 in minutes(-7200):
        n_post = int(value_at(posts, m0))
        base_id = ids.get(m0)
        if base_id is not None:
            nid = base_id
        elif nid is None:
            nid = INT_MAX + 1
        for i in range(n_post):
            t = m0 + (i + rng.random()) * 60.0 / max(1, n_post)
            nid += 1
            keep = i % 10 == 0 or (onset - 120 <= m0 < onset + 60)
            if not keep:
                continue
            shp = f"SHP-{rng.randint(10000000, 99999999)}"
            car, svc = rng.choice(CARRIERS)
            d = rng.uniform(90, 150)
            body = []
            if rng.random() < 0.04:
                body.append((0.01, L.dotnet_lambda(scn, t, "warn", "Carrier SAGAWA rate card stale (age 26h); "
                                                   "using cached rates")))
            if t < onset and nid <= INT_MAX:
                body.append((d / 1000 - 0.002, L.dotnet_lambda(scn, t + d / 1000, "info",
                             f"Created label {nid} for shipment {shp} carrier={car} service={svc}")))
                code, blen = 201, rng.randint(300, 420)
            else:
                nid = max(nid, INT_MAX + 1)
                body.append((d / 1000 - 0.02, L.dotnet_lambda(scn, t + d / 1000 - 0.02, "info",
                             f"label row inserted for shipment {shp}, last_insert_id={nid}")))
                err = {"errorType": "OverflowException",
                       "errorMessage": "Value was either too large or too small for an Int32.", "stackTrace": STACK}
                body.append((d / 1000 - 0.001, L.dotnet_lambda(scn, t + d / 1000, "fail",
                             "System.OverflowException: Value was either too large or too small for an Int32.\n   "
                             + "\n   ".join(STACK))))
                body.append((d / 1000, L.dotnet_lambda(scn, t + d / 1000, "fail", json.dumps(err, separators=(",", ":")))))
                code, blen = 502, 36
            ev += L.lambda_invocation(scn, t, d, 512, rng.randint(96, 112), body)
            acc.append((t + d / 1000, L.apigw_access(scn, t, scn.uuid(), f"10.70.{rng.randint(1, 60)}.{rng.randint(2, 250)}",
                                                     "POST", "/labels", code, blen, int(d + 30), int(d + 8),
                                                     "Internal server error" if code == 502 else "-")))
        for _ in range(int(value_at(gets, m0)) // 8):
            t = m0 + rng.uniform(0, 60)
            d = rng.uniform(30, 70)
            old = rng.randint(INT_MAX - 9000000, INT_MAX - 20000)
            body = [(d / 1000 - 0.002, L.dotnet_lambda(scn, t + d / 1000, "info", f"Fetched label {old} (status=PRINTED)"))]
            if rng.random() < 0.02:
                body.append((0.005, L.dotnet_lambda(scn, t, "fail", f"Address normalization failed for postal code "
                             f"{rng.randint(100, 999)}-000X; returning 422")))
            ev += L.lambda_invocation(scn, t, d, 512, rng.randint(96, 112), body)
    scn.log("/aws/lambda/shipment-label-api", "2026/10/20/[$LATEST]6d2f9a0c4b8e4173a5c1e7b3d9f02a68", ev)
    scn.log("API-Gateway-Access-Logs_q8w2e6r4t1/prod", "q8w2e6r4t1-prod", acc)
    tp = []
    for m0 in minutes(-9000):
        t = m0 + rng.uniform(0, 10)
        d = rng.uniform(3000, 9000)
        tp += L.lambda_invocation(scn, t, d, 512, rng.randint(120, 140), [
            (d / 1000 - 0.01, L.dotnet_lambda(scn, t + d / 1000, "info", f"Polled {rng.randint(200, 900)} tracking "
                                              f"events from {rng.choice(CARRIERS)[0]}, {rng.randint(0, 40)} status changes"))],
            version="19" if t > -5000 else "18")
    scn.log("/aws/lambda/shipment-tracking-poller", "2026/10/20/[19]e4b7a1c9d3f5402680a6c2e8b1d7f394", tp)
