"""h44-15: partner API returns 429s; one partner's client now bursts past the usage-plan rate limit."""
from __future__ import annotations

import json

from .common import TIMES, Rng, Scenario, clf_ts, diurnal, iso, ramp
from .kit import apigw_metrics, ecs_util, py_info, sim_lambda

REGION = "ap-south-1"
API_ID = "n6b3v9c2xz"
PLAN = "9kq4zd"
T0 = -1500
NORD = "q7w3e9r1t5"          # nordfreight API key id
OTHERS = ["a1s2d3f4g5", "z9x8c7v6b5", "m4n5b6v7c8", "p0o9i8u7y6", "l2k3j4h5g6"]


def build() -> dict:
    rng = Rng(4415)
    sc = Scenario("h44-15-partner-api-usage-plan-throttle", REGION,
                  "A logistics partner reports HTTP 429 on tracking updates; partner-api 4XX alarm fired.")
    sc.res("apigateway", "partner-api", api_id=API_ID, stage="v1", api_key_required=True,
           integration="HTTP_PROXY via VPC link vpclink-7hd2k1 -> NLB tracking-nlb -> ECS logistics/tracking-svc",
           stage_throttling={"rate_rps": 2000, "burst": 1000},
           usage_plans=[{"id": PLAN, "name": "partner-standard", "throttle": {"rate_rps": 5, "burst": 10}, "quota": "none",
                         "api_keys": {NORD: "nordfreight", OTHERS[0]: "blue-dart-sync", OTHERS[1]: "shiprocket",
                                      OTHERS[2]: "delhivery-edge", OTHERS[3]: "ekart-b2b", OTHERS[4]: "xpress-cargo"}}],
           access_log_group="/aws/apigateway/partner-api-access")
    sc.res("apigateway", "ops-api", api_id="e5r6t7y8u9", stage="prod",
           usage_plans=[{"id": "3hx8wq", "name": "internal-tools", "throttle": {"rate_rps": 50, "burst": 100}}])
    sc.res("ecs", "logistics/tracking-svc", cluster="logistics", service_name="tracking-svc", launch_type="FARGATE",
           task_definition="tracking-svc:73", desired_count=3, runtime="Go 1.22",
           environment={"DB_DSN_SECRET": "prod/tracking/pg", "MAX_BATCH": "200"})
    sc.res("lambda", "partner-webhooks", runtime="python3.12", timeout=30, memory_size=256,
           environment={"SIGNING_SECRET_ID": "prod/partner/webhook-hmac"})

    f = lambda t: ramp(t, T0, 60)
    cnt, e4, e5, lat, ilat = {}, {}, {}, {}, {}
    acc = []
    for t in TIMES:
        nord = rng.poisson(104 * diurnal(t, 0.1, -4000))
        reqs = []                                   # (offset_s, key, status)
        if f(t) == 0:
            reqs += [(rng.uniform(0, 60), NORD, 200) for _ in range(nord)]
        else:
            tokens, last = 10.0, 0.0
            offs = sorted(rng.uniform(0, 8) for _ in range(nord))
            retry = []
            for o in offs:
                tokens = min(10.0, tokens + (o - last) * 5)
                last = o
                if tokens >= 1:
                    tokens -= 1
                    reqs.append((o, NORD, 200))
                else:
                    reqs.append((o, NORD, 429))
                    retry.append(o + rng.uniform(25, 42))
            for o in sorted(retry):
                reqs.append((min(o, 59.9), NORD, 200))
        for _ in range(rng.poisson(28)):
            reqs.append((rng.uniform(0, 60), rng.choice(OTHERS), 200))
        for _ in range(rng.poisson(2.5)):
            reqs.append((rng.uniform(0, 60), None, 403))
        n = len(reqs)
        n429 = sum(1 for r in reqs if r[2] == 429)
        n403 = sum(1 for r in reqs if r[2] == 403)
        cnt[t], e4[t], e5[t] = n, n429 + n403, rng.poisson(0.15)
        ok = n - n429 - n403
        il = rng.gauss(38, 4)
        ilat[t] = il
        lat[t] = (ok * (il + 6) + (n429 + n403) * 2.5) / max(n, 1)
        if t >= -2100:
            for o, key, st in reqs:
                ti = t + o
                rid = rng.uid()
                if st == 200:
                    rec = {"requestId": rid, "ip": "3.108.14.77" if key == NORD else rng.ip("13.233"), "requestTime": clf_ts(ti),
                           "httpMethod": "POST", "resourcePath": "/v1/shipments/{id}/events", "status": "200",
                           "responseLatency": str(int(il + rng.uniform(2, 12))), "integrationLatency": str(int(il)),
                           "apiKeyId": key, "responseLength": "87"}
                elif st == 429:
                    rec = {"requestId": rid, "ip": "3.108.14.77", "requestTime": clf_ts(ti), "httpMethod": "POST",
                           "resourcePath": "/v1/shipments/{id}/events", "status": "429", "responseLatency": "2",
                           "integrationLatency": "-", "apiKeyId": key, "responseLength": "38",
                           "errorMessage": "Too Many Requests", "errorResponseType": "THROTTLED"}
                else:
                    rec = {"requestId": rid, "ip": "49.36.112.9", "requestTime": clf_ts(ti), "httpMethod": "POST",
                           "resourcePath": "/v1/shipments/{id}/events", "status": "403", "responseLatency": "3",
                           "integrationLatency": "-", "apiKeyId": "-", "responseLength": "42",
                           "errorMessage": "Forbidden", "errorResponseType": "INVALID_API_KEY"}
                acc.append((ti, json.dumps(rec, separators=(",", ":"))))
    apigw_metrics(sc, "partner-api", cnt, e4, e5, lat, ilat)
    sc.log("/aws/apigateway/partner-api-access", f"{API_ID}_v1", acc)

    ecs_util(sc, rng, "logistics", "tracking-svc", cpu=lambda t: 18.0, mem=lambda t: 41.0, running=lambda t: 3)
    for k in range(3):
        ev = []
        for m in range(-10800, 0, 60):
            tt = m + rng.uniform(0, 2)
            share = (cnt[m] - e4[m]) / 3
            ev.append((tt, json.dumps({"time": iso(tt), "level": "INFO", "msg": "ingest stats", "window": "60s",
                                       "events_accepted": int(share * rng.uniform(0.95, 1.05)),
                                       "db_p99_ms": rng.randint(9, 19), "queue_depth": rng.randint(0, 3)}, separators=(",", ":"))))
            if rng.random() < 0.1:
                tw = m + rng.uniform(5, 55)
                ev.append((tw, json.dumps({"time": iso(tw), "level": "WARN", "msg": "unknown carrier status code mapped to IN_TRANSIT",
                                           "carrier": "xpress-cargo", "code": rng.choice(["X17", "X22", "H09"])}, separators=(",", ":"))))
        sc.log("/ecs/tracking-svc", f"tracking-svc/tracking-svc/{rng.hexs(32)}", ev)

    def wh_body(t, rid, is_err, d):
        return [(0.01, py_info(t, rid, f"delivered {rng.randint(1, 20)} webhooks partner={rng.choice(['shiprocket', 'ekart-b2b'])} 2xx=all"))], None
    sim_lambda(sc, rng, "partner-webhooks", rate=lambda t: 3.0, dur=lambda t, e: rng.gauss(600, 120), body=wh_body,
               memory=256, mem_used=(75, 84), log_from=-7200, streams=1)

    sc.change(-2400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "partner-webhooks", "gha-logistics")
    sc.change(-1900, "apigateway.amazonaws.com", "UpdateUsagePlan", "AWS::ApiGateway::UsagePlan", "3hx8wq", "a.sharma")
    sc.alarm("partner-api-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": "partner-api"}, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "ALARM", T0 + 180, description="partner-api client errors (integration on-call)")
    sc.alarm("partner-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "partner-api"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "OK", -250000)
    sc.expect("partner-api-4xx", "throttling", ["partner-api", API_ID, PLAN, "partner-standard"],
              [{"namespace": "AWS/ApiGateway", "name": "4XXError", "dimensions": {"ApiName": "partner-api"}}])
    return sc.done()
