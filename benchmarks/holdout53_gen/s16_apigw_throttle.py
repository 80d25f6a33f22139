"""h53-16: partner traffic on partner-orders-api grows through the morning until it exceeds the stage throttle
(100 req/s, burst 200) set long ago; API Gateway answers 429 for the excess while the backend is healthy."""
from __future__ import annotations

from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, dims_ref, value_at
from .kits import apigw_set, lambda_set, minutes, rds_set

REGION = "eu-north-1"
API_ID = "p4o6i8u0y2"
LIMIT = 6000.0  # 100 requests per second

META = {
    "file": "h53-16-apigw-stage-throttling.yaml", "region": REGION, "alarm": "partner-orders-api-4xx",
    "category": "throttling", "resources": ["partner-orders-api"], "alarm_on": "origin (API Gateway)",
    "decoys": "deploy of partner-webhooks 27 min before onset; parameter-group change on orders-pg; steady "
              "`schema validation failed` ERROR lines and 400s in the handler; benign Duration spike on "
              "partner-webhooks",
    "story": (
        "partner-orders-api's 4XX alarm fires. The API's Count has risen gradually all morning (about +50 % over "
        "six hours, the usual weekday ramp, no step) and passed 6,000 requests a minute, which is exactly the stage "
        "throttle in the API's properties (100 req/s, burst 200). From then on the backend Lambda's Invocations "
        "are flat at ~6,000/min, it has no Throttles, no Errors and unchanged Duration, while every request "
        "above the limit is answered by API Gateway itself with 429 `Too Many Requests` (access log, "
        "integrationLatency '-'), and 4XXError equals Count minus the plateau plus the usual ~1 % of 400s. The "
        "webhooks deploy, the orders-pg parameter change and the steady schema-validation errors are unrelated. "
        "Traffic is not far above its usual level, so this is not a surge; the errors are the API's own rate "
        "limit. Judgement: throttling at partner-orders-api."),
}


def build() -> Scenario:
    scn = Scenario("h53-16-apigw-stage-throttling", "Partners report HTTP 429 when submitting orders; API 4XX alarm.",
                   REGION, 5316, datetime(2026, 9, 29, 8, 55))
    scn.runtime_version = "ruby:3.3.v12"
    rng = scn.rng
    scn.resource("apigateway", "partner-orders-api", api_id=API_ID, stage="prod", endpoint_type="REGIONAL",
                 throttling_rate_limit=100, throttling_burst_limit=200,
                 integration="lambda:partner-orders-handler")
    scn.resource("lambda", "partner-orders-handler", runtime="ruby3.3", timeout=29, memory_size=512)
    scn.resource("lambda", "partner-webhooks", runtime="ruby3.3", timeout=60, memory_size=256)
    scn.resource("rds", "orders-pg", engine="postgres", engine_version="16.3", instance_class="db.r6g.xlarge",
                 allocated_storage_gb=400, max_connections=3200)
    demand = lambda t: 4300.0 + 2300.0 * ((t + 21600) / 21600) ** 2.6
    dem = counts(lambda t: demand(t), rng)
    served = [[t, min(v, LIMIT * rng.uniform(0.985, 1.01))] for t, v in dem]
    served = [[t, float(round(v))] for t, v in served]
    thr = [[t, d - s] for (t, d), (_, s) in zip(dem, served)]
    bad = [[t, float(round(s * 0.011 * rng.uniform(0.8, 1.2)))] for t, s in served]
    e4 = [[t, a + b] for (t, a), (_, b) in zip(thr, bad)]
    api = apigw_set(scn, "partner-orders-api", count=dem, e4=e4, e5=lambda t: rng.choice([0, 0, 0, 0, 1]),
                    latency=lambda t: (92 * value_at(served, t) + 2 * value_at(thr, t)) / max(1.0, value_at(dem, t))
                    * rng.uniform(0.95, 1.05),
                    integ=lambda t: 74 * rng.uniform(0.95, 1.05))
    lambda_set(scn, "partner-orders-handler", inv=served, err=lambda t: rng.choice([0, 0, 0, 1]), thr=lambda t: 0,
               dur=lambda t: rng.uniform(66, 80), conc=lambda t: value_at(served, t) / 60 * 0.072 * rng.uniform(1.2, 1.8))
    wh_spike = lambda t: -12000 <= t < -11400
    wh = counts(lambda t: 120, rng)
    lambda_set(scn, "partner-webhooks", inv=wh, err=lambda t: rng.choice([0, 0, 0, 1]), thr=lambda t: 0,
               dur=lambda t: (2400 if wh_spike(t) else 210) * rng.uniform(0.9, 1.1), conc=lambda t: rng.choice([1, 1, 2]))
    rds_set(scn, "orders-pg", CPUUtilization=lambda t: 24 + 8 * value_at(served, t) / LIMIT + rng.gauss(0, 1.2),
            DatabaseConnections=lambda t: 96 + rng.gauss(0, 4), FreeStorageSpace=lambda t: 244e9 + rng.uniform(-5e6, 5e6),
            ReadLatency=lambda t: 0.0006 * rng.uniform(0.8, 1.2), WriteLatency=lambda t: 0.0011 * rng.uniform(0.8, 1.2))
    onset = next(t for t, v in thr if v > 60)
    scn.alarm("partner-orders-api-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": "partner-orders-api"}, "Sum", 60, 3,
              150, "GreaterThanThreshold", points=api["4XXError"], description="partner API client errors")
    scn.change(onset - 1620, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "partner-webhooks", "ci-partners")
    scn.change(-5000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "orders-pg16",
               "dba-lindqvist")
    _logs(scn, dem, served, thr)
    scn.set_expect("partner-orders-api-4xx", META["category"], META["resources"],
                   [dims_ref("AWS/ApiGateway", "4XXError", {"ApiName": "partner-orders-api"}),
                    dims_ref("AWS/ApiGateway", "Count", {"ApiName": "partner-orders-api"})])
    return scn


PARTNERS = ["acme-logistics", "nordhandel", "baltic-retail", "fjord-foods", "kiwi-parts"]


def _logs(scn, dem, served, thr):
    rng = scn.rng
    acc, ev = [], []
    for m0 in minutes(-7200):
        n_ok = int(value_at(served, m0)) // 220
        n_thr = int(value_at(thr, m0)) // 220 + (1 if rng.random() < (value_at(thr, m0) % 220) / 220 else 0)
        for _ in range(n_ok):
            t = m0 + rng.uniform(0, 60)
            d = rng.uniform(60, 85)
            p = rng.choice(PARTNERS)
            invalid = rng.random() < 0.011
            rid = scn.uuid()
            if invalid:
                body = [(0.01, L.ruby_logger(scn, t + 0.01, "ERROR", f"schema validation failed for order from "
                                             f"partner={p}: missing field 'incoterm'"))]
                code = 400
            else:
                body = [(d / 1000 - 0.002, L.ruby_logger(scn, t + d / 1000, "INFO", f"accepted order PO-{rng.randint(1000000, 9999999)}"
                                                        f" from partner={p} lines={rng.randint(1, 40)}"))]
                code = 202
            ev += L.lambda_invocation(scn, t, d, 512, rng.randint(88, 97), body)
            acc.append((t + d / 1000, L.apigw_access(scn, t, rid, f"194.{rng.randint(1, 250)}.{rng.randint(1, 250)}.{rng.randint(1, 250)}",
                                                     "POST", "/v2/orders", code, 60 if code == 202 else 118,
                                                     int(d + 18), int(d + 2), "-" if code == 202 else "Bad Request")))
        for _ in range(n_thr):
            t = m0 + rng.uniform(0, 60)
            acc.append((t, L.apigw_access(scn, t, scn.uuid(), f"194.{rng.randint(1, 250)}.{rng.randint(1, 250)}."
                                          f"{rng.randint(1, 250)}", "POST", "/v2/orders", 429, 29, 1, "-",
                                          "Too Many Requests")))
    scn.log(f"API-Gateway-Access-Logs_{API_ID}/prod", f"{API_ID}-prod", acc)
    scn.log("/aws/lambda/partner-orders-handler", "2026/09/29/[$LATEST]c2e5a8d1f4b74960a3c6e9b2d5f8a1c4", ev)
