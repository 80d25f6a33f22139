"""h52-07: geo-lookup hits its reserved concurrency at the afternoon peak; its SQS caller alarms."""
from __future__ import annotations

import json

from .common import Scenario, apigw_pack, lambda_pack, ramp, rds_pack
from .logfmt import LambdaSim, starts_from

T_DB, T_AN, T_CRM, T_STAGE, T_CONC = -5400, -4500, -2200, -1700, -900
RESERVED = 40
DUR = 1231.0
CAP = RESERVED * 60000.0 / DUR          # ~1950 invocations per minute


def build():
    s = Scenario(7, "geo-lookup-reserved-concurrency", "ca-central-1", "2026-08-14T17:45:00",
                 "New customer addresses are not being normalised; the address-normalizer Errors alarm fired "
                 "and support sees sign-ups stuck in 'verifying address'.")
    s.resource("lambda", "address-normalizer", runtime="nodejs20.x", timeout=30, memory_size=512,
               event_source="sqs:new-customer-addresses (batch 10)", calls=["geo-lookup (RequestResponse)"])
    s.resource("lambda", "geo-lookup", runtime="java21", timeout=15, memory_size=2048,
               reserved_concurrency=RESERVED, reserved_concurrency_set="2026-03-02 by platform team")
    s.resource("lambda", "crm-sync", runtime="python3.12", timeout=120, memory_size=512)
    s.resource("lambda", "customer-api-handler", runtime="python3.12", timeout=10, memory_size=512)
    s.resource("apigateway", "customer-api", api_id="p7d2k9w4m1", stage="prod")
    s.resource("rds", "customer-db", engine="postgres", engine_version="16.1", instance_class="db.r6g.large",
               max_connections=1600, allocated_storage_gb=250)

    demand = s.series(lambda t: s.count(1450 * (1 + 0.5 * ramp(t, -21600, 0) ** 3)))
    excess = {t: max(0.0, demand[t] - CAP) for t in demand}
    g_inv = {t: min(demand[t], CAP - abs(s.noise(6))) for t in demand}
    g_thr = {t: (excess[t] * 3.1 + s.noise(8) if excess[t] > 0 else 0.0) for t in demand}
    g_conc = {t: min(RESERVED, demand[t] * DUR / 60000 + s.noise(0.6)) for t in demand}
    lambda_pack(s, "geo-lookup", g_inv, {t: (1.0 if s.rng.random() < 0.02 else 0.0) for t in demand},
                {t: DUR + s.noise(35) for t in demand}, throttles=g_thr, conc=g_conc)
    an_inv = {t: s.count(demand[t] / 10) for t in demand}
    an_err = {t: min(an_inv[t], s.count(excess[t] * 0.2)) for t in demand}
    an_dur = {t: 1350 + s.noise(80) + 900 * excess[t] / 200 for t in demand}
    lambda_pack(s, "address-normalizer", an_inv, an_err, an_dur)
    crm_inv = s.series(lambda t: s.count(4))
    lambda_pack(s, "crm-sync", crm_inv, {t: (1.0 if s.rng.random() < 0.03 else 0.0) for t in crm_inv},
                s.series(lambda t: 8200 + s.noise(900) - (1500 if t >= T_CRM else 0)))
    api_c = {t: s.count(demand[t] * 0.16) for t in demand}
    apigw_pack(s, "customer-api", api_c, {t: s.count(api_c[t] * 0.02) for t in demand},
               {t: (1.0 if s.rng.random() < 0.04 else 0.0) for t in demand},
               s.series(lambda t: 96 + s.noise(8)), s.series(lambda t: 81 + s.noise(7)))
    lambda_pack(s, "customer-api-handler", api_c, {t: 0.0 for t in demand}, s.series(lambda t: 74 + s.noise(7)))
    rds_pack(s, "customer-db", s.series(lambda t: 29 + s.noise(3) + (6 if t >= T_DB else 0)),
             s.series(lambda t: 210 + s.noise(8)), s.series(lambda t: 174.3e9 + s.noise(3e7)),
             s.series(lambda t: 7.9e9 + s.noise(8e7)), s.series(lambda t: 0.0009 + abs(s.noise(0.0002))))
    vis = {t: 40 + s.count(20) + max(0.0, sum(excess[x] for x in demand if x <= t) * 0.04) for t in demand}
    s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "new-customer-addresses"}, "Count", vis,
             integer=True)

    # ---- geo-lookup (Java, log4j2) — throttled requests never reach the function
    gsim = LambdaSim(s, "geo-lookup", "java21", 2048, 15, logger="GeoLookupHandler")
    fsa = ["M5V", "H2X", "K1P", "V6B", "T2P", "R3C", "G1R", "B3H", "S4P", "E1C"]

    def geo(t, rid):
        d = DUR + s.noise(60)
        f = s.rng.choice(fsa)
        return {"lines": [(0.001, "INFO", f"geocode request fsa={f} source=address-normalizer"),
                          (d / 1000 - 0.01, "INFO", f"geocode ok fsa={f} confidence={s.rng.uniform(0.82, 0.99):.2f} "
                                                    f"candidates={s.rng.randint(1, 4)} took={d:.0f}ms")],
                "dur": d, "mem": 1180 + s.rng.randint(0, 60)}

    gsim.run(starts_from(s, g_inv, 0.006), geo, envs=3, init_ms=(2400, 3100),
             init_lines=lambda t: [(1.8, "INFO", "loaded geocoder index canada-2026Q2 (1.71M postal entries) in 1792 ms")])

    # ---- address-normalizer (Node)
    def an_handler(version):
        def h(t, rid):
            m = int(t // 60 * 60)
            lines = []
            if s.rng.random() < 0.25:
                lines.append((0.01, "WARN", f"address missing unit number, accepted as-is customer=cus_{s.hex(10)}"))
            if version == "1.14.0" and s.rng.random() < 0.3:
                lines.append((0.02, "INFO", "postcode normaliser: QC FSA override applied"))
            p_err = an_err.get(m, 0) / max(an_inv.get(m, 1), 1)
            if s.rng.random() < p_err:
                meta = {"httpStatusCode": 429, "requestId": s.uuid(), "attempts": 3,
                        "totalRetryDelay": s.rng.randint(250, 700)}
                lines.append((2.4, "ERROR", "geo-lookup invoke failed after 3 attempts " + json.dumps({
                    "name": "TooManyRequestsException", "message": "Rate Exceeded.", "$metadata": meta,
                    "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded", "Type": "User"})))
                return {"lines": lines, "dur": 2450 + s.noise(200), "mem": 121, "error": (
                    "TooManyRequestsException", "Rate Exceeded.", [
                        "    at de_TooManyRequestsExceptionRes (/var/runtime/node_modules/@aws-sdk/client-lambda/dist-cjs/index.js:2883:21)",
                        "    at de_CommandError (/var/runtime/node_modules/@aws-sdk/client-lambda/dist-cjs/index.js:1604:19)",
                        "    at async geocode (/var/task/src/geo.js:22:18)",
                        "    at async normalizeBatch (/var/task/src/handler.js:41:7)"])}
            lines.append((1.2, "INFO", f"normalized {s.rng.randint(6, 10)} addresses "
                          f"(batch {s.hex(8)}) geo_calls={s.rng.randint(6, 10)}"))
            return {"lines": lines, "dur": 1300 + s.noise(90), "mem": 118}
        return h

    st = starts_from(s, an_inv, 0.06)
    for version, a, b in (("1.13.2", -10800, T_AN + 20), ("1.14.0", T_AN + 20, 0)):
        sim = LambdaSim(s, "address-normalizer", "nodejs20.x", 512, 30)
        sim.run([x for x in st if a <= x < b], an_handler(version), envs=2,
                init_lines=lambda t, v=version: [(0.02, "INFO", f"address-normalizer {v} init geo=geo-lookup")])

    # ---- changes
    s.change(T_DB, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "customer-db", "dba-f.roy")
    s.change(T_AN, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "address-normalizer", "gitlab-ci")
    s.change(T_CRM, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "crm-sync",
             "gitlab-ci")
    s.change(T_STAGE, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "customer-api/prod",
             "platform-j.tremblay")
    s.change(T_CONC, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", "crm-sync",
             "platform-j.tremblay")

    a = s.alarm("address-normalizer-errors", "AWS/Lambda", "Errors", {"FunctionName": "address-normalizer"}, "Sum", 60,
                3, 10, "GreaterThanThreshold", expect_state="ALARM")
    s.alarm("crm-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "crm-sync"}, "Sum", 300, 1, 3,
            "GreaterThanThreshold", expect_state="OK")
    s.alarm("customer-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "customer-api"}, "Sum", 60, 3, 5,
            "GreaterThanThreshold", expect_state="OK")
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "throttling", "resource": ["geo-lookup"]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles",
                                   "dimensions": {"FunctionName": "geo-lookup"}},
                                  {"namespace": "AWS/Lambda", "name": "Errors",
                                   "dimensions": {"FunctionName": "address-normalizer"}}]})
    meta = dict(alarm=a["name"], category="throttling", resources=["geo-lookup"],
                where="front (SQS consumer; origin is the function it invokes)",
                decoys="address-normalizer 1.14.0 deploy (new INFO line) 20 min before the first throttles; "
                       "crm-sync deploy and a PutFunctionConcurrency on crm-sync after onset; customer-api stage "
                       "update; customer-db ModifyDBInstance; steady 'missing unit number' WARNs",
                story="Address-validation demand climbs through the Canadian afternoon, about 50 % above the "
                      "morning. geo-lookup has had reserved concurrency 40 since March; at ~1.23 s per call that "
                      "caps it near 1,950 invocations a minute. From about an hour ago its ConcurrentExecutions sit "
                      "flat at 40 and its Invocations plateau; throttles appear in bursts from -53 min and "
                      "continuously from -30 min, climbing to several hundred a minute, while its duration and "
                      "error rate stay normal. address-normalizer's invokes fail with "
                      "`TooManyRequestsException: Rate Exceeded.` (Reason "
                      "ReservedFunctionConcurrentInvocationLimitExceeded) after three SDK attempts, which fires "
                      "its Errors alarm. The 1.14.0 deploy ran cleanly and fails only with geo-lookup's 429s. "
                      "The concurrency change after onset is on crm-sync, not geo-lookup. Label: throttling on "
                      "geo-lookup.")
    return doc, meta
