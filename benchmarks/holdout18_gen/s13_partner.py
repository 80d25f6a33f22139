"""h18-13: partner order Lambda invocations collapse; the API's Lambda authorizer was redeployed and now throws."""
from __future__ import annotations

import numpy as np

from .common import N, T, Scn
from .logfmt import LambdaLog, poisson_times
from . import svc

API_ID = "b9x3k7m1q5"


def build():
    s = Scn("h18-13-partner-orders-drop-authorizer", 1813, "us-west-2", "2026-03-25T20:05:00", -7.0)
    s.res("apigateway", "partner-api", api_id=API_ID, stage="v2", endpoint_type="REGIONAL",
          authorizer={"name": "partner-token", "type": "REQUEST", "function": "partner-authz:live",
                      "identity_source": "method.request.header.Authorization", "ttl_seconds": 300})
    s.res("lambda", "partner-authz", runtime="nodejs20.x", timeout=5, memory_size=256, alias="live",
          environment={"JWKS_URL": "https://auth.tidewater-supply.com/.well-known/jwks.json", "AUDIENCE": "partner-api"})
    s.res("lambda", "partner-orders", runtime="python3.12", timeout=15, memory_size=512, log_format="JSON",
          application_log_level="WARN", system_log_level="WARN",
          environment={"ORDERS_TABLE": "partner-orders", "MAX_LINES": "500"})
    s.res("apigateway", "backoffice-api", api_id="w6e1r5t9y3", stage="prod", endpoint_type="PRIVATE")

    upd = -1100.0
    alias = upd + 22
    shape = s.diurnal(peak=14.0, depth=0.7)
    req = s.pois(112 * shape * (1 + s.ar(0.04)))
    broken = T >= alias + 5
    lower = 0.82                                    # share of partners sending a lowercase authorization header
    fail = np.array([s.rng.binomial(int(n), lower) if b else 0 for n, b in zip(req, broken)], dtype=float)
    auth_inv = np.where(broken, s.pois(np.maximum(req - fail, 0) * 0.12) + fail, s.pois(req * 0.11))
    auth_err = fail.copy()
    auth_dur = np.where(broken, s.gauge(np.full(N, 4.0), 0.6, lo=1.5), s.gauge(np.full(N, 38.0), 4, lo=8))
    svc.lam(s, "partner-authz", auth_inv, auth_err, auth_dur)
    e4 = s.pois(req * 0.025)
    ok_req = np.maximum(req - fail - e4, 0)
    po_inv = ok_req
    po_err = s.pois(np.full(N, 0.03))                  # rare timeouts on very large orders, long-standing
    svc.lam(s, "partner-orders", po_inv, po_err, s.gauge(np.full(N, 210.0), 15, lo=60))
    svc.apigw(s, "partner-api", req, e4=e4, e5=fail + po_err,
              lat=np.where(broken, s.gauge(np.full(N, 60.0), 5, lo=20), s.gauge(np.full(N, 250.0), 15, lo=60)))
    dep_b = upd - 150
    svc.apigw(s, "backoffice-api", s.pois(40 * shape), e4=s.pois(np.full(N, 0.3)), e5=s.pois(np.full(N, 0.02)))

    # ---- partner-authz (text, full platform lines) -----------------------------------
    ll = LambdaLog(s, "partner-authz", "nodejs20.x", 256, version="18", mem_used=(78, 96))

    def ok(t, rid):
        p = s.pick(["acme-retail", "northbay-grocers", "fjord-outdoor", "plains-hardware", "kiwi-pharma"])
        return [(0.02, ll.line(t, rid, "INFO", f"token ok sub=partner:{p} scope=orders:write kid=2026-02"))]

    stack = ["    at parseBearer (/var/task/src/token.js:18:34)",
             "    at Runtime.handler (/var/task/src/index.js:27:19)",
             "    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)"]

    def bad(t, rid, k):
        return ([(0.002, ll.unhandled(t, rid, "TypeError", "Cannot read properties of undefined (reading 'split')",
                                      stack))], None, None)
    ll.minutes(-7200, auth_inv, np.zeros(N), auth_dur, ok, bad, t_to=alias)
    ll.set_version("19")
    ll.minutes(alias, auth_inv, auth_err, auth_dur, ok, bad)
    ll.flush()

    ex = []
    for i in np.nonzero(fail > 0)[0]:
        for _ in range(int(fail[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            r = s.uuid()
            ex.append((t, f"({r}) Lambda execution failed with status 200 due to customer function error: Cannot read "
                          f"properties of undefined (reading 'split'). Lambda request id: {s.uuid()}"))
            ex.append((t + 0.001, f"({r}) Execution failed due to configuration error: Authorizer error"))
            ex.append((t + 0.002, f"({r}) Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500"))
    for t in [T[i] + float(s.rng.uniform(0, 60)) for i in np.nonzero((po_err > 0) & (T >= -7200))[0]]:
        r = s.uuid()
        ex.append((t, f"({r}) Lambda execution failed with status 200 due to customer function error: Task timed "
                      f"out after 15.02 seconds. Lambda request id: {s.uuid()}"))
    s.stream(f"API-Gateway-Execution-Logs_{API_ID}/v2", s.hexs(32), ex)

    pl = LambdaLog(s, "partner-orders", "python3.12", 512, fmt="json", logger="orders")
    for t in poisson_times(s, 0.012 * po_inv, -9000):
        pl.record(t, pl.line(t, s.uuid(), "WARN", f"order PO-{int(s.rng.integers(10 ** 5, 10 ** 6))} has "
                                                  f"{int(s.rng.integers(501, 900))} lines, splitting into shipments"),
                  4)
    for t in poisson_times(s, 0.15, -9000):
        pl.record(t, pl.line(t, s.uuid(), "WARN", f"unknown SKU {s.hexs(6).upper()} in partner order, line "
                                                  "rejected"), 4)
    pl.flush()

    s.change(-6010, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "partner-orders", "j.whitfield")
    s.change(-16400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "partner-orders",
             "codebuild-partner")
    s.change(dep_b, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "backoffice-api",
             "codebuild-backoffice")
    s.change(upd, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "partner-authz",
             "codebuild-partner")
    s.change(upd + 11, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "partner-authz",
             "codebuild-partner")
    s.change(alias, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "partner-authz",
             "codebuild-partner")
    first = float(T[int(np.argmax(fail > 0))])
    s.alarm("partner-orders-invocations-low", "AWS/Lambda", "Invocations", {"FunctionName": "partner-orders"}, "Sum",
            300, 2, 150, cmp="LessThanThreshold", desc="Partner order intake dropped", after=first,
            before=first + 900)
    s.alarm("partner-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "partner-api"}, "Sum", 60, 3, 10,
            after=first)
    s.alarm("partner-authz-errors", "AWS/Lambda", "Errors", {"FunctionName": "partner-authz"}, "Sum", 60, 3, 5,
            after=first)
    s.alarm("partner-orders-errors", "AWS/Lambda", "Errors", {"FunctionName": "partner-orders"}, "Sum", 60, 3, 5,
            want="OK")
    doc = s.doc("Partner order intake dropped sharply; the low-invocations alarm on partner-orders fired.",
                "partner-orders-invocations-low", "bad_deployment", ["partner-authz"],
                [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "partner-authz"}}])
    meta = {"alarm_on": "downstream victim (partner-orders, behind the API whose authorizer fails)",
            "decoys": "partner-orders config change 1.4 h earlier and deploy 4.5 h earlier; backoffice-api "
                      "deployment 2.5 min before the authorizer deploy; constant 4xx and rare partner-orders timeouts",
            "story": (
                "codebuild-partner deploys partner-authz (UpdateFunctionCode, PublishVersion 19, UpdateAlias live). "
                "Version 19 reads `event.headers.Authorization` and throws `TypeError: Cannot read properties of "
                "undefined (reading 'split')` for the ~80 % of partners sending a lowercase header; API Gateway "
                "answers AUTHORIZER_CONFIGURATION_ERROR (500) without calling the integration, so partner-orders' "
                "invocations collapse and its low-traffic alarm fires. Deciding evidence: the new error appears only "
                "in version-19 streams right after the alias update, authorizer errors and API 5xx rise the same "
                "minute invocations fall; partner-orders itself has no errors.")}
    return doc, meta
