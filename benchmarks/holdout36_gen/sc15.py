"""h36-15 Sun 08:10 IST, partner integrations (CamelCase, -prod): PartnerOrdersApi-prod 5XXError.

Version 42 of PartnerOrdersCreate-prod ships a Jackson module that does not match the bundled
databind; OrderMapper's static init fails and every create errors. An API stage update two
minutes later only changes logging and metrics settings.
"""
from __future__ import annotations

import json

from .common import Scenario, anomaly
from .infra import apigw
from .lam import Lambda, Outcome

API, CREATE, GET = "PartnerOrdersApi-prod", "PartnerOrdersCreate-prod", "PartnerOrdersGet-prod"
T_CODE, T_ALIAS, T_STAGE = -2110, -2080, -1990

META = {
    "region": "ap-south-1", "category": "bad_deployment", "front": "front (REST API)",
    "resources": [CREATE],
    "decoys": "UpdateStage on the API 90 s after the alias switch (logging/metrics settings only); "
              "PartnerOrdersGet-prod's steady 'order not found' WARNs; GET traffic unaffected",
    "story": (
        "PartnerOrdersApi-prod (REST) pages on 5XXError. CloudTrail shows, within two minutes, a "
        "deploy of PartnerOrdersCreate-prod (UpdateFunctionCode, PublishVersion 42, UpdateAlias "
        "live) and an UpdateStage on the API itself. From the first invocation of version 42, "
        "every create fails: `java.lang.ExceptionInInitializerError` caused by "
        "`java.lang.NoSuchMethodError` inside JavaTimeModule, then `NoClassDefFoundError: Could "
        "not initialize class com.acme.partner.orders.OrderMapper` on each later call; version 41 "
        "never logged these. GET /orders/{id}, served by another function through the same stage, "
        "keeps succeeding, which rules out the stage update. A new error signature that starts "
        "with the new version: bad_deployment of PartnerOrdersCreate-prod."),
}

FRAMES_INIT = ["com.fasterxml.jackson.datatype.jsr310.JavaTimeModule.<init>(JavaTimeModule.java:167)",
               "com.acme.partner.orders.OrderMapper.<clinit>(OrderMapper.java:29)",
               "com.acme.partner.orders.CreateOrderHandler.handleRequest(CreateOrderHandler.java:58)",
               "com.acme.partner.orders.CreateOrderHandler.handleRequest(CreateOrderHandler.java:24)",
               "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(Unknown Source)",
               "java.base/java.lang.reflect.Method.invoke(Unknown Source)"]
NSME = ("'com.fasterxml.jackson.databind.module.SimpleModule com.fasterxml.jackson.databind.module."
        "SimpleModule.addDeserializer(java.lang.Class, com.fasterxml.jackson.databind.JsonDeserializer)'")


def build() -> Scenario:
    s = Scenario(15, "partner-orders-5xx-v42", 3615, "ap-south-1",
                 "Paged 08:10 IST by PartnerOrdersApi-prod-5XXError; two logistics partners report "
                 "order submissions rejected with 502.", "2026-03-15T02:40:00", 5.5)
    r = s.rng
    s.resource("apigateway", API, protocol="REST", stage="prod",
               routes=[f"POST /orders -> {CREATE}:live", f"GET /orders/{{id}} -> {GET}:live"])
    s.resource("lambda", CREATE, runtime="java21", timeout=20, memory_size=1536, alias="live")
    s.resource("lambda", GET, runtime="java21", timeout=10, memory_size=1024, alias="live")

    creates = lambda t: 14 * s.diurnal(t, 0.3, 12, 4.5)
    gets = lambda t: 24 * s.diurnal(t, 0.3, 12, 4.5)
    seen: list = []

    def create(t):
        po = f"PO-{r.randint(10 ** 6, 10 ** 7)}"
        partner = r.choice(["ACME-LOGI", "BLUEDART-B2B", "SHIPROCKET", "DELHIVERY-API"])
        if t >= T_ALIAS + 8:
            seen.append(t)
            if len(seen) <= 2 or r.random() < 0.03:       # first call in a fresh environment
                body = {"errorType": "java.lang.ExceptionInInitializerError", "stackTrace": FRAMES_INIT[1:],
                        "cause": {"errorMessage": NSME, "errorType": "java.lang.NoSuchMethodError",
                                  "stackTrace": FRAMES_INIT}}
            else:
                body = {"errorMessage": "Could not initialize class com.acme.partner.orders.OrderMapper",
                        "errorType": "java.lang.NoClassDefFoundError", "stackTrace": FRAMES_INIT[2:]}
            return Outcome("error", r.uniform(30, 120), r.randint(150, 170),
                           [(0.002, "INFO", f"c.a.partner.orders.CreateOrderHandler - create order {po} partner={partner} lines={r.randint(1, 40)}"),
                            (0.02, None, json.dumps(body, separators=(",", ":")))])
        dur = r.uniform(180, 420)
        return Outcome("ok", dur, r.randint(190, 230),
                       [(0.002, "INFO", f"c.a.partner.orders.CreateOrderHandler - create order {po} partner={partner} lines={r.randint(1, 40)}"),
                        (dur / 1000 * 0.9, "INFO", f"c.a.partner.orders.OrderRepository - stored {po} in partner-orders-prod ({int(dur * 0.6)} ms)")])
    cr = Lambda(s, CREATE, "java21", 1536, 20, log_start=-6000, init_ms=(2400, 3600),
                versions=[(-10 ** 9, "41"), (T_ALIAS + 5, "42")])
    cpts = cr.run(creates, create)

    def get(t):
        po = f"PO-{r.randint(10 ** 6, 10 ** 7)}"
        if r.random() < 0.12:
            return Outcome("ok", r.uniform(20, 60), r.randint(140, 160),
                           [(0.003, "WARN", f"c.a.partner.orders.GetOrderHandler - order {po} not found (partner polling stale id); returning 404")])
        return Outcome("ok", r.uniform(25, 90), r.randint(140, 160),
                       [(0.003, "INFO", f"c.a.partner.orders.GetOrderHandler - order {po} status={r.choice(['ACCEPTED', 'PICKED', 'IN_TRANSIT'])}")])
    gpts = Lambda(s, GET, "java21", 1024, 10, log_start=-6000, init_ms=(2000, 3000),
                  versions=[(-10 ** 9, "17")]).run(gets, get)

    ci, ce, cd = (dict(map(tuple, cpts[k])) for k in ("Invocations", "Errors", "Duration"))
    gi, gd = (dict(map(tuple, gpts[k])) for k in ("Invocations", "Duration"))
    dims = {"ApiName": API}
    api = apigw(s, dims, {
        "Count": lambda t: ci.get(t, 0) + gi.get(t, 0) + s.poisson(0.6),
        "5XXError": lambda t: ce.get(t, 0),
        "4XXError": lambda t: s.poisson(0.12 * gi.get(t, 0) + 0.5),
        "Latency": lambda t: s.noise((ci.get(t, 0) * cd.get(t, 300) + gi.get(t, 0) * gd.get(t, 50)) / max(1, ci.get(t, 0) + gi.get(t, 0)) + 25, 0.05),
        "IntegrationLatency": lambda t: s.noise((ci.get(t, 0) * cd.get(t, 300) + gi.get(t, 0) * gd.get(t, 50)) / max(1, ci.get(t, 0) + gi.get(t, 0)) + 8, 0.05),
    })

    s.change(T_CODE, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", CREATE, "codebuild-partner-int")
    s.change(T_CODE + 25, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", CREATE, "codebuild-partner-int")
    s.change(T_ALIAS, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", CREATE, "codebuild-partner-int")
    s.change(T_STAGE, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{API}/prod", "ops-automation")

    s.alarm(f"{API}-5XXError", "AWS/ApiGateway", "5XXError", dims, api["5XXError"], "Sum", 300, 1, 10,
            "GreaterThanThreshold", "Partner orders API 5xx")
    s.quiet_alarm(f"{CREATE}-errors", "AWS/Lambda", "Errors", {"FunctionName": f"{CREATE}:live"}, "Sum", 60, 3, 5,
                  "GreaterThanThreshold", state="INSUFFICIENT_DATA", changed=-3000000)
    s.expect(f"{API}-5XXError", "bad_deployment", META["resources"],
             [anomaly("AWS/Lambda", "Errors", {"FunctionName": CREATE}), anomaly("AWS/ApiGateway", "5XXError", dims)])
    s.meta = META
    return s
