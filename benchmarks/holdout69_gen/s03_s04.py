"""h69-03 (CRM partner lowers its rate limit) and h69-04 (webhook signing key setting)."""
from __future__ import annotations

from .common import diurnal
from .kit import (LOG_START, LambdaLogs, Scenario, bump, jline, lam_props, lambda_sampled, meta,
                  put, ramp, tenant)


# --------------------------------------------------------------------------- h69-03
def build03() -> Scenario:
    sc = Scenario(3, "contact-mirror-errors", "Contact sync to the CRM failing for many tenants; "
                  "Lambda error alarm fired.", "ap-northeast-1", 690303, "2026-05-19T03:40:00")
    T0 = -3000
    sc.resource("lambda", "contact-mirror", **lam_props("ruby3.3", 60, 256,
                event_source="sqs:contact-changes"))
    sc.resource("lambda", "lead-score", **lam_props("python3.12", 15, 512))
    sc.resource("apigateway", "crm-connect", stage="v1")
    rng = sc.rng
    L = {"FunctionName": "contact-mirror"}
    lim = lambda t: ramp(t, T0 - 30, T0 + 120)  # noqa: E731
    inv = put(sc, "AWS/Lambda", "Invocations", L, "Count", lambda t: 52 * diurnal(sc, t, 4, 0.15),
              integer=True)
    err = put(sc, "AWS/Lambda", "Errors", L, "Count",
              lambda t: 0.06 + inv.get(t, 0) * 0.36 * lim(t), integer=True)
    put(sc, "AWS/Lambda", "Throttles", L, "Count", lambda t: 0.0, integer=True)
    put(sc, "AWS/Lambda", "Duration", L, "Milliseconds", lambda t: 880 + 14500 * lim(t), noise=0.07)
    put(sc, "AWS/Lambda", "ConcurrentExecutions", L, "Count", lambda t: 1.6 + 11 * lim(t), integer=True)
    S = {"FunctionName": "lead-score"}
    put(sc, "AWS/Lambda", "Invocations", S, "Count",
        lambda t: 20 + bump(t, -5500, -5100, 140, 90), integer=True)
    put(sc, "AWS/Lambda", "Errors", S, "Count", lambda t: 0.05, integer=True)
    put(sc, "AWS/Lambda", "Duration", S, "Milliseconds", lambda t: 240 + bump(t, -5500, -5100, 900, 90),
        noise=0.08)
    A = {"ApiName": "crm-connect"}
    put(sc, "AWS/ApiGateway", "Count", A, "Count", lambda t: 30, integer=True)
    put(sc, "AWS/ApiGateway", "5XXError", A, "Count", lambda t: 0.02, integer=True)

    ll = LambdaLogs(sc, "contact-mirror", "ruby3.3", 256, 60, mem_used=(118, 6))

    def body(ll, t, rid, is_err, cold):
        ten = tenant(sc)
        n = rng.randint(3, 25)
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"batch tenant={ten} contacts={n} crm=crmhub"))]
        if cold and lim(t) > 0.5:
            lines.append((0.004, ll.fmt(t, rid, "INFO", "crmhub client ready base=https://api.crmhub"
                                        ".example/v3 policy_header=\"120;w=60\"")))
        if lim(t) > 0.5 and (is_err or rng.random() < 0.45):
            dt = 0.2
            for a in (1, 2, 3)[: 3 if is_err else rng.randint(1, 2)]:
                ra = rng.choice([12, 20, 30])
                lines.append((dt, ll.fmt(t, rid, "WARN", f"crmhub 429 Too Many Requests on PATCH "
                              f"/v3/contacts/batch (x-ratelimit-limit=120 x-ratelimit-remaining=0 "
                              f"retry-after={ra}); sleeping {ra}s (attempt {a}/3)")))
                dt += ra * 0.5
            if is_err:
                e = {"errorMessage": "crmhub rate limit exceeded: 429 Too Many Requests after 3 "
                     "attempts (x-ratelimit-limit=120)", "errorType": "Function<Crmhub::RateLimited>",
                     "stackTrace": ["/var/task/lib/crmhub/client.rb:87:in `request'",
                                    "/var/task/lib/crmhub/contacts.rb:41:in `upsert_batch'",
                                    "/var/task/handler.rb:22:in `handle'"]}
                lines.append((dt + 0.1, ll.fmt(t, rid, "ERROR", "Error raised from handler method")))
                lines.append((dt + 0.11, jline(e)))
                return {"lines": lines, "dur": (dt + 0.2) * 1000}
            rem = rng.randint(0, 6)
            lines.append((dt + 0.3, ll.fmt(t, rid, "INFO", f"upserted {n} contacts tenant={ten} "
                          f"status=200 ratelimit_remaining={rem}/120")))
            return {"lines": lines, "dur": (dt + 0.4) * 1000}
        if rng.random() < 0.08:
            lines.append((0.3, ll.fmt(t, rid, "WARN", f"crmhub 404 for contact external_id=ext_"
                          f"{sc.hexid(8)} tenant={ten}; creating instead")))
        rem = rng.randint(120, 560) if lim(t) < 0.5 else rng.randint(0, 40)
        lines.append((0.8, ll.fmt(t, rid, "INFO", f"upserted {n} contacts tenant={ten} status=200 "
                      f"ratelimit_remaining={rem}/{600 if lim(t) < 0.5 else 120}")))
        return {"lines": lines, "dur": rng.gauss(880, 160)}
    lambda_sampled(ll, inv, err, body, cap=2.5)
    sl = LambdaLogs(sc, "lead-score", "python3.12", 512, 15, mem_used=(96, 5), retire=(-3120,))

    def sbody(ll, t, rid, is_err, cold):
        return {"lines": [(0.01, ll.fmt(t, rid, "INFO", f"scored lead for {tenant(sc)} model=v7 "
                                        f"score={rng.uniform(0, 1):.3f}"))], "dur": rng.gauss(240, 40)}
    lambda_sampled(sl, {t: 1 for t in range(LOG_START, 0, 60)}, {}, sbody, cap=1)
    sc.change(-3120, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "lead-score", "yuki.tanaka")
    sc.change(-15000, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment",
              "crm-connect", "cdk-deploy")
    sc.alarm("contact-mirror-errors", "AWS/Lambda", "Errors", L, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "CRM contact sync failures")
    sc.alarm("lead-score-errors", "AWS/Lambda", "Errors", S, "Sum", 300, 1, 5, "GreaterThanThreshold")
    sc.expect = {"alarm": "contact-mirror-errors",
                 "root_cause": {"category": "throttling", "resource": ["contact-mirror"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": L}]}
    meta(sc, alarm_on="origin (the Lambda calling the external CRM)",
         decoys="lead-score configuration update 2 min before onset; lead-score traffic spike 40 min "
                "earlier; steady CRM 404 warnings; Lambda Throttles stays 0",
         services="Lambda (Ruby), API Gateway",
         story="`contact-mirror` (Ruby) pushes contact batches to the external CRM. Fifty minutes "
               "ago its successful calls switched from `ratelimit_remaining=412/600` to `.../120` "
               "and new environments log `policy_header=\"120;w=60\"`; about a third of invocations "
               "now fail with `crmhub 429 Too Many Requests ... retry-after` three times and raise "
               "`Crmhub::RateLimited`. Invocations are flat (no surge) and the Lambda's own Throttles "
               "metric stays at 0: the rate limit is the partner's. The partner is external, so the "
               "origin is `contact-mirror`. The `lead-score` configuration update two minutes "
               "earlier belongs to an unrelated function with clean metrics.")
    return sc


# --------------------------------------------------------------------------- h69-04
def build04() -> Scenario:
    sc = Scenario(4, "partner-hooks-4xx", "Partners report webhook deliveries rejected with 401; "
                  "4xx alarm on the inbound webhook API.", "sa-east-1", 690404, "2026-06-02T18:10:00")
    TC = -2580
    sc.resource("apigateway", "partner-hooks", stage="live", endpoint_type="REGIONAL")
    sc.resource("lambda", "hook-verifier", **lam_props("provided.al2023", 10, 256,
                architecture="arm64", handler="bootstrap"))
    sc.resource("lambda", "hook-router", **lam_props("python3.12", 30, 512))
    rng = sc.rng
    bad = lambda t: 1.0 if t >= TC + 5 else 0.0  # noqa: E731
    dl = lambda t: diurnal(sc, t, 17, 0.2)  # noqa: E731
    A = {"ApiName": "partner-hooks"}
    cnt = put(sc, "AWS/ApiGateway", "Count", A, "Count", lambda t: 118 * dl(t), integer=True)
    put(sc, "AWS/ApiGateway", "4XXError", A, "Count",
        lambda t: 2.5 + cnt.get(t, 0) * 0.61 * bad(t), integer=True)
    put(sc, "AWS/ApiGateway", "5XXError", A, "Count", lambda t: 0.03, integer=True)
    put(sc, "AWS/ApiGateway", "Latency", A, "Milliseconds", lambda t: 46, noise=0.1)
    V = {"FunctionName": "hook-verifier"}
    inv = put(sc, "AWS/Lambda", "Invocations", V, "Count", lambda t: cnt.get(t, 0), noise=0.0,
              integer=True)
    put(sc, "AWS/Lambda", "Errors", V, "Count", lambda t: 0.02, integer=True)
    put(sc, "AWS/Lambda", "Duration", V, "Milliseconds", lambda t: 11 + 3 * bad(t), noise=0.1)
    H = {"FunctionName": "hook-router"}
    put(sc, "AWS/Lambda", "Invocations", H, "Count",
        lambda t: cnt.get(t, 0) * (0.96 - 0.6 * bad(t)), integer=True)
    put(sc, "AWS/Lambda", "Errors", H, "Count", lambda t: 0.04, integer=True)
    put(sc, "AWS/Lambda", "Duration", H, "Milliseconds", lambda t: 160 - 20 * bad(t), noise=0.1)

    def lf(t, level, msg, **kv):
        tail = " ".join(f"{k}={v}" for k, v in kv.items())
        return f"time={sc.iso(t)} level={level} msg=\"{msg}\" {tail}".rstrip()
    ll = LambdaLogs(sc, "hook-verifier", "provided.al2023", 256, 10, mem_used=(31, 3), retire=(TC,))
    provs = [(0.6, "paystream"), (0.25, "crmhub"), (0.15, "mailgrid")]

    def body(ll, t, rid, is_err, cold):
        lines = []
        if cold:
            key = "whsec_2026_02" if bad(t) else "whsec_2026_01"
            lines.append((-0.01, lf(t, "info", "config loaded", HOOK_SIGNING_KEY_ID=key,
                                    keyring="whsec_2025_04,whsec_2026_01", source="secretsmanager:"
                                    "hooks/signing-keys#AWSCURRENT")))
            if bad(t):
                lines.append((-0.009, lf(t, "warn", "configured signing key not in keyring",
                                         key_id=key, env="HOOK_SIGNING_KEY_ID")))
        r = rng.uniform(0, 1)
        prov = "paystream" if r < 0.6 else ("crmhub" if r < 0.85 else "mailgrid")
        did = f"whd_{sc.hexid(14)}"
        ten = tenant(sc)
        if prov == "paystream" and bad(t):
            lines.append((0.004, lf(t, "error", "signature verification failed", provider=prov,
                                    tenant=ten, delivery_id=did, status=401,
                                    err="\"signing key whsec_2026_02 not found in keyring "
                                    "(HOOK_SIGNING_KEY_ID)\"")))
            return {"lines": lines, "dur": rng.gauss(13, 2)}
        x = rng.random()
        if x < 0.02:
            lines.append((0.004, lf(t, "warn", "signature verification failed", provider="mailgrid",
                                    tenant=ten, delivery_id=did, status=401,
                                    err=f"\"timestamp outside tolerance (skew {rng.randint(310, 900)}s)\"")))
        elif x < 0.07:
            lines.append((0.004, lf(t, "warn", "replayed delivery ignored", provider=prov,
                                    delivery_id=did, age_s=rng.randint(400, 7200), status=200)))
        else:
            lines.append((0.004, lf(t, "info", "webhook accepted", provider=prov, tenant=ten,
                                    delivery_id=did, event=rng.choice(["charge.succeeded",
                                    "contact.updated", "invoice.paid", "email.bounced"]),
                                    status=202, latency_ms=rng.randint(3, 14))))
        return {"lines": lines, "dur": rng.gauss(11, 2)}
    lambda_sampled(ll, inv, {}, body, cap=4)
    hl = LambdaLogs(sc, "hook-router", "python3.12", 512, 30, mem_used=(130, 8), retire=(-2560,))

    def hbody(ll, t, rid, is_err, cold):
        ev = rng.choice(["charge.succeeded", "contact.updated", "invoice.paid", "email.bounced"])
        return {"lines": [(0.01, ll.fmt(t, rid, "INFO", f"routed {ev} for {tenant(sc)} to "
                                        f"{rng.choice(['billing', 'crm-sync', 'messaging'])} queue"))],
                "dur": rng.gauss(160, 30)}
    lambda_sampled(hl, {t: 2 if t < TC else 1 for t in range(LOG_START, 0, 60)}, {}, hbody, cap=2)
    sc.change(TC - 60, "secretsmanager.amazonaws.com", "PutSecretValue", "AWS::SecretsManager::Secret",
              "hooks/signing-keys", "secrets-rotation-pipeline")
    sc.change(TC, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "hook-verifier", "secrets-rotation-pipeline")
    sc.change(-2560, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "hook-router", "deploy-bot")
    sc.change(-2548, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "hook-router", "deploy-bot")
    sc.change(-12600, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              "partner-hooks", "marcos.silva")
    sc.alarm("partner-hooks-4xx", "AWS/ApiGateway", "4XXError", A, "Sum", 60, 3, 30,
             "GreaterThanThreshold", "Inbound partner webhooks rejected")
    sc.alarm("hook-router-throughput-low", "AWS/Lambda", "Invocations", H, "Sum", 300, 2, 300,
             "LessThanThreshold")
    sc.expect = {"alarm": "partner-hooks-4xx",
                 "root_cause": {"category": "config_change", "resource": ["hook-verifier"]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "4XXError", "dimensions": A}]}
    meta(sc, alarm_on="front (API Gateway; origin is the verifying Lambda)",
         decoys="hook-router deploy 20 s after the cause (nearest change to the alarm); second alarm "
                "on hook-router throughput; steady mailgrid clock-skew 401s and replay warnings",
         services="API Gateway, Lambda (Go on provided.al2023, Python)",
         story="A secrets-rotation pipeline wrote a new version of the `hooks/signing-keys` secret "
               "and then updated the configuration of the Go function `hook-verifier`. Every new "
               "environment logs `config loaded HOOK_SIGNING_KEY_ID=whsec_2026_02` with a keyring "
               "that only holds `whsec_2025_04,whsec_2026_01` and warns that the key is not in the "
               "keyring; from then on every paystream delivery is rejected with `signing key "
               "whsec_2026_02 not found in keyring (HOOK_SIGNING_KEY_ID)` and status 401, so the "
               "API's 4XXError jumps while Lambda Errors stay at zero. The `hook-router` deploy "
               "twenty seconds later is downstream: it only sees fewer events, which also trips "
               "its throughput alarm. The mailgrid clock-skew 401s were there all along.")
    return sc


BUILDERS = [build03, build04]
