"""Scenarios 14 (KMS key policy tightened by an auditor) and 15 (external clearing API down)."""
from __future__ import annotations

from .common import HISTORY, Scenario, bump, diurnal, ramp
from .kit import (GRID, alb_id, alb_metrics, apigw_metrics, const, counts, ecs_metrics, ecs_tasks,
                  gauge, logstash, rds_metrics, share, zap)


# ============================================================================ 14
def s14() -> Scenario:
    sc = Scenario(14, "card-detokenize", "Card servicing calls failing at half-year close; "
                  "internal cards ALB 5XX alarm.", "eu-west-3", 6014, "2026-06-30T13:20:00+00:00")
    TC, TD = -2010, -1985
    T0 = TC + 25
    cl, svc, lbn = "cards", "token-vault", "cards-int"
    lb, acct = alb_id(sc, lbn), sc.account
    key = f"{sc.uuid()}"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=6,
                runtime="java21 (Spring Boot 3.3, logstash JSON)", task_role="token-vault-task",
                data_key_cache_ttl_s=300)
    sc.resource("ecs", f"{cl}/statement-mailer", launch_type="FARGATE", desired_count=2)
    sc.resource("alb", lb, name=lbn, scheme="internal")
    sc.resource("rds", "cards-pg", engine="postgres", engine_version="16.4",
                instance_class="db.r6g.large", max_connections=1000, allocated_storage_gb=500)

    denied = lambda t: ramp(t, T0, TC + 320)     # data-key caches expire over five minutes
    req = counts(sc, lambda t: 1150 * diurnal(sc, t, 12, 0.25))
    t5 = share(sc, req, lambda t: 0.0006 + 0.62 * denied(t))
    alb_metrics(sc, lb, req, t5, share(sc, req, lambda t: 0.0002),
                gauge(sc, lambda t: 0.041 - 0.012 * denied(t), noise=0.1, digits=4), const(6),
                const(0), t4xx=share(sc, req, lambda t: 0.009))
    ecs_metrics(sc, cl, svc, gauge(sc, lambda t: 27 * diurnal(sc, t, 12) - 6 * denied(t), abs_noise=2),
                gauge(sc, lambda t: 49, abs_noise=1), const(6))
    ecs_metrics(sc, cl, "statement-mailer",
                gauge(sc, lambda t: 14 + bump(t, TD + 40, TD + 220, 30, 30), abs_noise=2),
                gauge(sc, lambda t: 36, abs_noise=1),
                [2.0 + (2.0 if TD + 40 <= t < TD + 200 else 0.0) for t in GRID])
    rds_metrics(sc, "cards-pg", gauge(sc, lambda t: 23 * diurnal(sc, t, 12) + bump(t, -8200, -7600, 35),
                                      abs_noise=2),
                counts(sc, lambda t: 140), gauge(sc, lambda t: 377, noise=0.0005),
                gauge(sc, lambda t: 0.0009, noise=0.15, digits=5))

    grp, app = f"/ecs/{svc}", svc

    def line(t, st):
        th = f"http-nio-8443-exec-{sc.rng.randint(1, 64)}"
        tok = f"tok_{sc.hexid(20)}"
        r = sc.rng.random()
        if r < 0.62 * denied(t):
            rid = sc.uuid()
            return logstash(sc, t, "ERROR", "c.f.cards.vault.DetokenizeService", th,
                            f"Detokenize failed for {tok}: software.amazon.awssdk.services.kms."
                            f"model.KmsException: User: arn:aws:sts::{acct}:assumed-role/"
                            f"token-vault-task/{sc.hexid(32)} is not authorized to perform: "
                            "kms:Decrypt on this resource because the resource does not exist in "
                            "this Region, no resource-based policies allow access, or a "
                            "resource-based policy explicitly denies access (Service: Kms, Status "
                            f"Code: 400, Request ID: {rid})", app, error_code="AccessDeniedException",
                            kms_key_id=f"arn:aws:kms:eu-west-3:{acct}:key/{key}", http_status=500)
        if r < 0.66:
            return logstash(sc, t, "WARN", "c.f.cards.vault.DataKeyCache", th,
                            "data key cache miss, decrypting data key via KMS", app,
                            key_version=sc.rng.randint(40, 44))
        if r < 0.70:
            return logstash(sc, t, "ERROR", "c.f.cards.vault.TokenizeController", th,
                            "Luhn check failed for tokenization request, rejecting", app,
                            http_status=400, bin=f"{sc.rng.randint(400000, 559999)}")
        return logstash(sc, t, "INFO", "c.f.cards.vault.DetokenizeService", th,
                        f"detokenized {tok} for caller card-servicing", app,
                        took_ms=sc.rng.randint(2, 30), http_status=200)
    ecs_tasks(sc, grp, "ecs", svc, [(-HISTORY - 40000, 0)] * 3, lambda t: 3.2, line)
    ecs_tasks(sc, "/ecs/statement-mailer", "ecs", "statement-mailer",
              [(-HISTORY - 100, TD + 190), (TD + 55, 0)], lambda t: 0.6,
              lambda t, st: logstash(sc, t, "INFO", "c.f.cards.mail.StatementJob", "scheduling-1",
                                     f"queued half-year statement batch size={sc.rng.randint(50, 500)}",
                                     "statement-mailer"))

    aud = "AWSReservedSSO_ExternalAuditReadOnly_8e2f4a6c1b3d5e70/k.visser"
    sc.change(-9400, "kms.amazonaws.com", "ListGrants", "AWS::KMS::Key", key, aud)
    sc.change(-12800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "codepipeline-cards")
    sc.change(TC, "kms.amazonaws.com", "PutKeyPolicy", "AWS::KMS::Key", key, aud)
    sc.change(TD - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "statement-mailer:19", "codepipeline-cards")
    sc.change(TD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cl}/statement-mailer", "codepipeline-cards")

    sc.alarm("cards-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "cards-pg"},
             "Average", 300, 1, 50, "GreaterThanThreshold")
    sc.alarm(f"{lbn}-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 25, "GreaterThanThreshold",
             "Cards internal ALB target 5XX")
    sc.expect = {"alarm": f"{lbn}-target-5xx",
                 "root_cause": {"category": "permission_denied", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        front="front (ALB → ECS)",
        services="ALB, ECS Fargate (Java, logstash JSON), KMS, RDS PostgreSQL",
        decoys="statement-mailer deploy 25 s after the key-policy change (closer to onset); "
               "token-vault deploy 3 h earlier; old Luhn-check ERRORs and cache-miss WARNs; "
               "DB CPU alarm from an earlier spike",
        story=(
            "`token-vault` (Spring Boot on Fargate behind internal ALB `cards-int`) decrypts "
            "per-key data keys with KMS on a cache miss (cache TTL 5 min). At onset an external "
            "auditors' SSO session — nominally read-only — runs `PutKeyPolicy` on the card data "
            "key. From then on, as cached data keys expire over about five minutes, detokenize "
            "calls fail with `KmsException: User: ...assumed-role/token-vault-task/... is not "
            "authorized to perform: kms:Decrypt on this resource because ... no resource-based "
            "policies allow access` (`error_code AccessDeniedException`), and target 5XX climbs "
            "to ~60 % of requests. CPU, memory, DB and traffic are normal. Decoys: "
            "`statement-mailer` is deployed 25 s after the key-policy change; token-vault itself "
            "was last deployed 3 h earlier; Luhn-check ERRORs (400s) and cache-miss WARNs are "
            "old; the same auditor ran a harmless `ListGrants` hours earlier."),
    )
    return sc


# ============================================================================ 15
def s15() -> Scenario:
    sc = Scenario(15, "instant-transfers", "Outbound instant transfers failing at July close; "
                  "transfers API 5XX alarm.", "eu-west-1", 6015, "2026-07-31T10:10:00+00:00")
    T0, TD, TOLD = -2160, -2235, -7620
    cl, svc, api = "payrails", "outbound-transfers", "transfers-api"
    host = "api.instant-clearing.example.eu"
    sc.resource("apigateway", api, stage="live", integration="VPC_LINK -> nlb-payrails -> ECS")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4,
                runtime="go1.22 (zap JSON)", upstream=f"https://{host}/v2/credit-transfers",
                client_timeout_s=10)
    sc.resource("ecs", f"{cl}/transfer-status", launch_type="FARGATE", desired_count=2)
    sc.resource("rds", "payrails-pg", engine="postgres", engine_version="16.4",
                instance_class="db.r6g.xlarge", max_connections=1200, allocated_storage_gb=1000)

    down = lambda t: ramp(t, T0 - 20, T0 + 60)
    cnt = counts(sc, lambda t: 340 * diurnal(sc, t, 10, 0.25))
    e5 = share(sc, cnt, lambda t: 0.001 + 0.58 * down(t))
    e4 = share(sc, cnt, lambda t: 0.014)
    apigw_metrics(sc, api, cnt, e4, e5, gauge(sc, lambda t: 410 + 6200 * down(t), noise=0.08),
                  gauge(sc, lambda t: 385 + 6200 * down(t), noise=0.08))
    ecs_metrics(sc, cl, svc, gauge(sc, lambda t: 21 * diurnal(sc, t, 10) - 5 * down(t), abs_noise=2),
                gauge(sc, lambda t: 31 + 6 * down(t) + bump(t, TOLD + 40, TOLD + 200, 4, 30),
                      abs_noise=1),
                [4.0 + (4.0 if TOLD + 40 <= t < TOLD + 200 else 0.0) for t in GRID])
    ecs_metrics(sc, cl, "transfer-status", gauge(sc, lambda t: 16 + bump(t, TD + 40, TD + 200, 18, 30),
                                                 abs_noise=2),
                gauge(sc, lambda t: 29, abs_noise=1),
                [2.0 + (2.0 if TD + 40 <= t < TD + 200 else 0.0) for t in GRID])
    rds_metrics(sc, "payrails-pg", gauge(sc, lambda t: 29 * diurnal(sc, t, 10) - 4 * down(t), abs_noise=2),
                counts(sc, lambda t: 230), gauge(sc, lambda t: 803, noise=0.0005),
                gauge(sc, lambda t: 0.0010, noise=0.15, digits=5),
                gauge(sc, lambda t: 0.0017, noise=0.15, digits=5))
    sc.metric("Payrails/Transfers", "RailSubmitFailures", {"Rail": "sct-inst"}, "Count",
              share(sc, cnt, lambda t: 0.002 + 0.6 * down(t)))

    grp = f"/ecs/{svc}"

    def line(t, st):
        r = sc.rng.random()
        tx = f"tx_{sc.hexid(16)}"
        if r < 0.6 * down(t):
            if sc.rng.random() < 0.75:
                return zap(sc, t, "error", "rail/client.go:142", "submit credit transfer",
                           rail="sct-inst", transfer=tx,
                           error=f"Post \"https://{host}/v2/credit-transfers\": context deadline "
                                 "exceeded (Client.Timeout exceeded while awaiting headers)",
                           elapsed_ms=10000 + sc.rng.randint(0, 9))
            return zap(sc, t, "error", "rail/client.go:151", "submit credit transfer", rail="sct-inst",
                       transfer=tx, status=503, error="upstream returned 503 Service Unavailable: "
                       "{\"code\":\"CSM_UNAVAILABLE\",\"detail\":\"clearing gateway unavailable\"}",
                       elapsed_ms=sc.rng.randint(40, 400))
        if r < 0.63:
            return zap(sc, t, "warn", "rail/client.go:160", "rail slow response", rail="sct-inst",
                       elapsed_ms=sc.rng.randint(1500, 2900))
        if r < 0.67:
            return zap(sc, t, "error", "transfer/handler.go:88", "beneficiary rejected", transfer=tx,
                       reason="AC01 IncorrectAccountNumber", status=422)
        return zap(sc, t, "info", "transfer/handler.go:120", "transfer settled", transfer=tx,
                   rail="sct-inst", amount_eur=round(sc.rng.uniform(5, 15000), 2),
                   elapsed_ms=sc.rng.randint(180, 900))

    def start(build):
        return lambda t, st: [zap(sc, t, "info", "cmd/server/main.go:61", "starting",
                                  version=build, rail_timeout="10s", breaker="off")]
    old = [(-HISTORY - 3000, TOLD + 180 + 10 * i) for i in range(2)]
    ecs_tasks(sc, grp, "ecs", svc, old, lambda t: 3.0, line, start_lines=start("v3.18.2"))
    ecs_tasks(sc, grp, "ecs", svc, [(TOLD + 50 + 5 * i, 0) for i in range(2)], lambda t: 3.0, line,
              start_lines=start("v3.18.3-hotfix1"))
    ecs_tasks(sc, "/ecs/transfer-status", "ecs", "transfer-status",
              [(-HISTORY - 100, TD + 190), (TD + 55, 0)], lambda t: 0.6,
              lambda t, st: zap(sc, t, "info", "status/poller.go:44", "status poll done",
                                updated=sc.rng.randint(0, 40)))

    sc.change(TOLD - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "outbound-transfers:211", "AWSReservedSSO_BreakGlassDeploy_1a9c7e5b3d2f4e68/n.byrne")
    sc.change(TOLD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "AWSReservedSSO_BreakGlassDeploy_1a9c7e5b3d2f4e68/n.byrne")
    sc.change(TD - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "transfer-status:58", "argo-deployer")
    sc.change(TD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/transfer-status",
              "argo-deployer")

    sc.alarm(f"{api}-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 3,
             3000, "GreaterThanThreshold")
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 15,
             "GreaterThanThreshold", "Transfers API server errors")
    sc.expect = {"alarm": f"{api}-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError",
                                "dimensions": {"ApiName": api}}]}
    sc.meta = dict(
        front="front (API Gateway → ECS → external API)",
        services="API Gateway (REST, VPC link), ECS Fargate (Go, zap JSON), RDS PostgreSQL",
        decoys="transfer-status deploy 75 s before onset; break-glass hotfix of the service itself "
               "91 min earlier; old 'rail slow response' WARNs and AC01 rejections",
        story=(
            "`transfers-api` fronts `outbound-transfers` (Go on Fargate), which submits SEPA "
            "instant credit transfers to an external clearing gateway with a 10 s client "
            "timeout. From onset about 60 % of submissions fail with `Post \"https://"
            "api.instant-clearing.example.eu/v2/credit-transfers\": context deadline exceeded "
            "(Client.Timeout exceeded while awaiting headers)` (elapsed 10000 ms) or `503 "
            "CSM_UNAVAILABLE`; API latency rises to ~6.5 s and 5XXError jumps, while the "
            "service's CPU falls, memory barely moves and the database is quiet. The gateway is "
            "outside the account, so the origin is the calling service. Decoys: "
            "`transfer-status` is deployed 75 s before onset; the service itself received a "
            "break-glass hotfix (v3.18.3-hotfix1) 91 min earlier and ran cleanly for 1.5 h; "
            "'rail slow response' WARNs and AC01 beneficiary rejections are old."),
    )
    return sc
