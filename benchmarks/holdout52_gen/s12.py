"""h52-12: partner-webhook (Go) cannot decode decimal quantities a partner started sending."""
from __future__ import annotations

import json

from .common import Scenario, apigw_pack, ecs_pack, lambda_pack, rds_pack
from .logfmt import LambdaSim, starts_from

T_OR, T_INV, T_PLAN, T_AUTH, T_IAM = -5400, -3600, -2500, -1500, -900
ON = -1800
ACME_SHARE, DEC_SHARE = 0.3, 0.55
PARTNERS = [("acme-retail", 0.30), ("globex", 0.25), ("initech", 0.20), ("umbrella-foods", 0.15), ("hooli-mart", 0.10)]


def build():
    s = Scenario(12, "partner-webhook-decimal-quantity", "ap-south-1", "2026-12-09T08:25:00",
                 "Partner order webhooks are being rejected with 502; the partner-gateway 5XX alarm fired. Partner "
                 "ops onboarded a new partner key this morning and several services deployed.")
    s.resource("apigateway", "partner-gateway", api_id="m3n7b1v5c9", stage="prod",
               integration="lambda-proxy:partner-webhook", authorizer="partner-auth")
    s.resource("lambda", "partner-webhook", runtime="provided.al2023", language="Go 1.22", timeout=15, memory_size=256,
               last_modified="2026-11-30T10:12:44Z", handler="bootstrap")
    s.resource("lambda", "partner-auth", runtime="nodejs20.x", timeout=5, memory_size=256)
    s.resource("lambda", "inventory-sync", runtime="python3.12", timeout=120, memory_size=1024)
    s.resource("ecs", "fulfil/order-router", launch_type="FARGATE", desired_count=3)
    s.resource("rds", "partner-db", engine="postgres", engine_version="16.2", instance_class="db.t4g.large",
               max_connections=700, allocated_storage_gb=100)

    api_c = s.series(lambda t: s.count(262 * s.diurnal(t, 9, 0.25)))
    bad = {t: (s.count(api_c[t] * ACME_SHARE * DEC_SHARE) if t >= ON else 0.0) for t in api_c}
    e5 = {t: bad[t] + (1.0 if s.rng.random() < 0.04 else 0.0) for t in api_c}
    e4 = {t: s.count(8) for t in api_c}
    inv = {t: max(0.0, api_c[t] - e4[t]) for t in api_c}
    dur = {t: 14.5 + s.noise(1.5) for t in api_c}
    apigw_pack(s, "partner-gateway", api_c, e4, e5, {t: dur[t] + 31 + s.noise(3) for t in api_c},
               {t: dur[t] + 4 + s.noise(1) for t in api_c})
    lambda_pack(s, "partner-webhook", inv, {t: bad[t] for t in api_c}, dur)
    lambda_pack(s, "partner-auth", {t: s.count(api_c[t] * 0.2) for t in api_c}, {t: 0.0 for t in api_c},
                s.series(lambda t: 9 + s.noise(1) + (2 if t >= T_AUTH else 0)))
    ivs = s.series(lambda t: 1.0 if t % 300 == 0 else None)
    lambda_pack(s, "inventory-sync", ivs, {t: 0.0 for t in ivs}, {t: 38000 + s.noise(3000) for t in ivs},
                conc={t: 1.0 for t in ivs})
    ecs_pack(s, "fulfil", "order-router", {t: 18 + 0.04 * (inv[t] - bad[t]) + s.noise(2) +
                                          (25 if T_OR <= t < T_OR + 240 else 0) for t in api_c},
             s.series(lambda t: 40 + s.noise(1)))
    rds_pack(s, "partner-db", s.series(lambda t: 22 + s.noise(2)), s.series(lambda t: 48 + s.noise(2)),
             s.series(lambda t: 61.0e9 - (t + 21600) * 800 + s.noise(2e7)), s.series(lambda t: 2.9e9 + s.noise(4e7)),
             s.series(lambda t: 0.0009 + abs(s.noise(0.0002))))

    # ---- partner-webhook logs (Go slog JSON)
    sim = LambdaSim(s, "partner-webhook", "provided.al2023", 256, 15)
    names = [p for p, _ in PARTNERS]
    weights = [w for _, w in PARTNERS]

    def hook(t, rid):
        p = s.rng.choices(names, weights)[0]
        evn = s.rng.choice(["order.created", "order.created", "order.updated", "order.cancelled"])
        oid = f"{p[:3].upper()}-{s.rng.randint(10**6, 10**7)}"
        lines = [(0.001, "INFO", {"msg": "webhook received", "partner": p, "event": evn, "order_ref": oid,
                                  "bytes": s.rng.randint(600, 9000)})]
        if s.rng.random() < 0.05:
            lines.append((0.004, "WARN", {"msg": "duplicate delivery ignored", "partner": p, "order_ref": oid,
                                          "delivery_id": s.uuid()}))
            return {"lines": lines, "dur": 6 + s.noise(0.5), "mem": 31}
        if t >= ON and p == "acme-retail" and evn != "order.cancelled" and s.rng.random() < DEC_SHARE / 0.75:
            q = s.rng.choice(["2.5", "0.75", "1.25", "3.5", "0.5"])
            lines.append((0.006, "ERROR", {"msg": "decode webhook payload", "partner": p, "event": evn,
                                           "order_ref": oid,
                                           "err": f"json: cannot unmarshal number {q} into Go struct field "
                                                  "LineItem.items.quantity of type int"}))
            lines.append((0.007, "ERROR", {"msg": "handler returned error", "status": 502,
                                           "err": f"decode webhook payload: json: cannot unmarshal number {q} into Go "
                                                  "struct field LineItem.items.quantity of type int"}))
            return {"lines": lines, "dur": 7.5 + s.noise(0.6), "mem": 31}
        lines += [(0.008, "INFO", {"msg": "order upserted", "partner": p, "order_ref": oid,
                                   "items": s.rng.randint(1, 14), "db_ms": s.rng.randint(3, 11)}),
                  (0.012, "INFO", {"msg": "published to order-router queue", "order_ref": oid})]
        return {"lines": lines, "dur": 14 + s.noise(2), "mem": 33}

    sim.run(starts_from(s, inv, 0.04), hook, envs=3, init_ms=(60, 110),
            init_lines=lambda t: [(0.02, "INFO", {"msg": "partner-webhook starting", "version": "1.9.3",
                                                  "commit": "c41e0d2", "built": "2026-11-30T10:09:51Z"})])

    # ---- API Gateway access log (JSON)
    acc = []
    for t, c in api_c.items():
        if t < -7200:
            continue
        for _ in range(int(c * 0.06)):
            tt = t + s.rng.uniform(0, 59)
            p = s.rng.choices(names, weights)[0]
            st = "200"
            if s.rng.random() < 8 / 262:
                st = "401"
            elif tt >= ON and p == "acme-retail" and s.rng.random() < DEC_SHARE:
                st = "502"
            acc.append((tt, json.dumps({"requestId": s.uuid(), "ip": f"{s.rng.randint(13, 203)}.{s.rng.randint(0, 255)}."
                                        f"{s.rng.randint(0, 255)}.{s.rng.randint(1, 254)}", "caller": p,
                                        "requestTime": s.stamp(tt, "%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": "POST",
                                        "resourcePath": "/v1/webhooks/orders", "status": st,
                                        "responseLength": "36" if st == "502" else str(s.rng.randint(20, 80)),
                                        "integrationErrorMessage": "-"}, separators=(",", ":"))))
    s.log("/aws/apigateway/partner-gateway/access", "m3n7b1v5c9-prod", acc)

    # ---- changes
    s.change(T_OR, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "fulfil/order-router", "argo-deployer")
    s.change(T_INV, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "inventory-sync",
             "argo-deployer")
    s.change(T_INV + 15, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "inventory-sync",
             "argo-deployer")
    s.change(T_PLAN, "apigateway.amazonaws.com", "CreateUsagePlanKey", "AWS::ApiGateway::UsagePlanKey",
             "partner-standard-plan", "partner-ops-r.mehta")
    s.change(T_AUTH, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "partner-auth", "dev-s.kulkarni")
    s.change(T_IAM, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "inventory-sync-role", "terraform-ci")

    a = s.alarm("partner-gateway-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "partner-gateway"}, "Sum", 60, 3, 10,
                "GreaterThanThreshold", expect_state="ALARM")
    s.alarm("partner-webhook-errors", "AWS/Lambda", "Errors", {"FunctionName": "partner-webhook"}, "Sum", 300, 1, 25,
            "GreaterThanThreshold", expect_state="ALARM")
    s.alarm("partner-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "partner-db"}, "Average", 300,
            3, 80, "GreaterThanThreshold", expect_state="OK")
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "application_error", "resource": ["partner-webhook"]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                   "dimensions": {"FunctionName": "partner-webhook"}},
                                  {"namespace": "AWS/ApiGateway", "name": "5XXError",
                                   "dimensions": {"ApiName": "partner-gateway"}}]})
    meta = dict(alarm=a["name"], category="application_error", resources=["partner-webhook"],
                where="front (API Gateway; origin is the integration function)",
                decoys="CreateUsagePlanKey on the partner-gateway usage plan (new partner key) 12 min before onset; "
                       "partner-auth env change after onset; inventory-sync deploy + version; order-router deploy; "
                       "IAM attach on inventory-sync-role; steady 401s (API 4XX) and 'duplicate delivery ignored' WARNs",
                story="partner-webhook was last deployed nine days ago (1.9.3). From -30 min roughly half of "
                      "acme-retail's order events carry decimal quantities for weight-based items, and the Go handler "
                      "fails to decode them: `json: cannot unmarshal number 2.5 into Go struct field "
                      "LineItem.items.quantity of type int`. It returns the error, so Lambda Errors rise and API "
                      "Gateway answers 502 on about 17 % of webhooks. Every other partner keeps succeeding, "
                      "partner-db is healthy and no change touches the function. The usage-plan key is for a "
                      "different partner and the authorizer's change is after onset, while 401s stay flat. Label: "
                      "application_error in partner-webhook.")
    return doc, meta
