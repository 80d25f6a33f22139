"""h69-01 (payments partner behind a Lambda behind API Gateway) and h69-02 (tenant DB behind an ALB)."""
from __future__ import annotations

from .common import diurnal
from .kit import (LOG_START, LambdaLogs, Scenario, Tasks, bump, emit, jline, lam_props,
                  lambda_sampled, meta, put, ramp, tenant)
from .runtimes import pg, spring


# --------------------------------------------------------------------------- h69-01
def build01() -> Scenario:
    sc = Scenario(1, "billing-gw-5xx", "Tenant billing API returning 5xx; customers cannot "
                  "complete card payments in the admin console.", "ca-central-1", 690101,
                  "2026-03-10T16:20:00")
    T0 = -2700
    sc.resource("apigateway", "billing-gw", stage="prod", endpoint_type="REGIONAL")
    sc.resource("lambda", "charge-intent", **lam_props("nodejs20.x", 30, 512))
    sc.resource("lambda", "invoice-render", **lam_props("python3.12", 60, 1024))
    sc.resource("rds", "billing-ledger", engine="postgres", engine_version="15.6",
                instance_class="db.r6g.large", max_connections=800, allocated_storage_gb=200)
    L = {"FunctionName": "charge-intent"}
    dl = lambda t: diurnal(sc, t, 15, 0.2)  # noqa: E731
    fail = lambda t: 0.46 * ramp(t, T0 - 60, T0 + 240)  # noqa: E731
    inv = put(sc, "AWS/Lambda", "Invocations", L, "Count", lambda t: 38 * dl(t), integer=True)
    err = put(sc, "AWS/Lambda", "Errors", L, "Count",
              lambda t: 0.08 + inv.get(t, 0) * fail(t), integer=True)
    put(sc, "AWS/Lambda", "Duration", L, "Milliseconds",
        lambda t: 330 + 5600 * fail(t) / 0.46, noise=0.08)
    put(sc, "AWS/Lambda", "ConcurrentExecutions", L, "Count",
        lambda t: 2.2 + 9 * fail(t) / 0.46, integer=True)
    A = {"ApiName": "billing-gw"}
    put(sc, "AWS/ApiGateway", "Count", A, "Count", lambda t: inv.get(t, 0) + 14 * dl(t), integer=True)
    put(sc, "AWS/ApiGateway", "5XXError", A, "Count", lambda t: err.get(t, 0) + 0.05, integer=True)
    put(sc, "AWS/ApiGateway", "4XXError", A, "Count", lambda t: 2.4 * dl(t), integer=True)
    put(sc, "AWS/ApiGateway", "Latency", A, "Milliseconds",
        lambda t: 360 + 5000 * fail(t) / 0.46, noise=0.08)
    I = {"FunctionName": "invoice-render"}
    put(sc, "AWS/Lambda", "Invocations", I, "Count", lambda t: 6 * dl(t), integer=True)
    put(sc, "AWS/Lambda", "Errors", I, "Count", lambda t: 0.03, integer=True)
    put(sc, "AWS/Lambda", "Duration", I, "Milliseconds",
        lambda t: 2100 + (180 if t > -2820 else 0), noise=0.1)
    R = {"DBInstanceIdentifier": "billing-ledger"}
    put(sc, "AWS/RDS", "CPUUtilization", R, "Percent",
        lambda t: 21 * dl(t) + bump(t, -7900, -7200, 48, 120), noise=0.1)
    put(sc, "AWS/RDS", "DatabaseConnections", R, "Count", lambda t: 41, integer=True)
    put(sc, "AWS/RDS", "ReadLatency", R, "Seconds", lambda t: 0.0011, noise=0.15, digits=5)

    ll = LambdaLogs(sc, "charge-intent", "nodejs20.x", 512, 30, mem_used=(142, 9))
    rng = sc.rng

    def body(ll, t, rid, is_err, cold):
        ten = tenant(sc)
        amt = round(rng.uniform(40, 9000), 2)
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"POST /v1/charges tenant={ten} amount={amt} "
                                   f"currency=CAD idempotency_key=ik_{sc.hexid(12)}"))]
        if is_err and fail(t) < 0.05:
            e = {"errorType": "IdempotencyError", "errorMessage": "Keys for idempotent requests can only "
                 "be used with the same parameters they were first used with", "stack": [
                     "IdempotencyError: Keys for idempotent requests can only be used with the same "
                     "parameters", "    at assertSameParams (/var/task/src/idempotency.js:31:11)"]}
            lines.append((0.05, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + jline(e))))
            return {"lines": lines, "dur": rng.gauss(60, 10)}
        if is_err:
            if rng.random() < 0.55:
                for a in (1, 2):
                    lines.append((0.2 * a, ll.fmt(t, rid, "WARN", f"paystream attempt {a}/3 failed: "
                                  f"503 Service Unavailable (upstream api.paystream.example); "
                                  f"retrying in {200 * 2 ** a}ms")))
                msg = ("paystream POST /v1/payment_intents failed after 3 attempts: 503 Service "
                       "Unavailable body={\"error\":{\"type\":\"api_error\",\"message\":"
                       "\"The service is temporarily unavailable\"}}")
                et, dur = "PaymentProviderError", rng.uniform(1400, 2600)
            else:
                msg = ("Connect Timeout Error (attempted address: api.paystream.example:443, "
                       "timeout: 8000ms)")
                et, dur = "ConnectTimeoutError", rng.uniform(8050, 8400)
            err_obj = {"errorType": et, "errorMessage": msg, "code": "UND_ERR_CONNECT_TIMEOUT"
                       if et == "ConnectTimeoutError" else "PROVIDER_5XX",
                       "stack": [f"{et}: {msg[:60]}", "    at PaystreamClient.createIntent "
                                 "(/var/task/src/providers/paystream.js:118:15)",
                                 "    at async handler (/var/task/src/index.js:52:20)"]}
            lines.append((dur / 1000 - 0.01, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + jline(err_obj))))
            return {"lines": lines, "dur": dur}
        slow = fail(t) > 0.1
        dur = rng.uniform(900, 3200) if slow else max(120, rng.gauss(320, 80))
        if slow:
            lines.append((0.3, ll.fmt(t, rid, "WARN", "paystream attempt 1/3 failed: 503 Service "
                                      "Unavailable (upstream api.paystream.example); retrying in 400ms")))
        if rng.random() < 0.05:
            lines.append((dur / 1000 - 0.02, ll.fmt(t, rid, "WARN", f"paystream declined charge "
                          f"tenant={ten} code=card_declined decline_code=insufficient_funds -> 402")))
        else:
            lines.append((dur / 1000 - 0.02, ll.fmt(t, rid, "INFO", f"payment_intent pi_{sc.hexid(16)} "
                          f"status=requires_capture provider=paystream latency_ms={int(dur - 40)}")))
        return {"lines": lines, "dur": dur}

    lambda_sampled(ll, inv, err, body, cap=3)
    # circuit breaker transitions (logged by the same function, one environment)
    for t in range(T0 + 120, -30, 240):
        st = f"{sc.at(t).strftime('%Y/%m/%d')}/[$LATEST]{sc.hexid(32)}"
        sc.log(ll.group, st, t + 1.3, ll.fmt(t, sc.uuid(), "WARN", "circuit paystream state=OPEN "
               f"failures={rng.randint(14, 19)}/20 window=60s cooldown=30s"))
        sc.log(ll.group, st, t + 32.0, ll.fmt(t + 32, sc.uuid(), "WARN",
               "circuit paystream state=HALF_OPEN probe=POST /v1/payment_intents result=503"))
    il = LambdaLogs(sc, "invoice-render", "python3.12", 1024, 60, mem_used=(410, 30),
                    retire=(-2820,))

    def ibody(ll, t, rid, is_err, cold):
        return {"lines": [(0.01, ll.fmt(t, rid, "INFO", f"Rendered invoice INV-{rng.randint(10000, 99999)}"
                                        f" for {tenant(sc)} pages={rng.randint(1, 6)}"))],
                "dur": rng.gauss(2100, 300)}
    ii = {t: 1 for t in range(LOG_START, 0, 120)}
    lambda_sampled(il, ii, {}, ibody, cap=1)
    sc.change(-2820, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "invoice-render", "gh-actions-billing")
    sc.change(-2805, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "invoice-render", "gh-actions-billing")
    sc.change(-16800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "charge-intent", "gh-actions-billing")
    sc.alarm("billing-gw-5xx", "AWS/ApiGateway", "5XXError", A, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Billing API server errors")
    sc.alarm("charge-intent-duration", "AWS/Lambda", "Duration", L, "Average", 60, 5, 3000,
             "GreaterThanThreshold")
    sc.alarm("invoice-render-errors", "AWS/Lambda", "Errors", I, "Sum", 60, 3, 3, "GreaterThanThreshold")
    sc.expect = {"alarm": "billing-gw-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": ["charge-intent"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": L}]}
    meta(sc, alarm_on="front (API Gateway; origin is the Lambda calling the partner)",
         decoys="invoice-render deploy 2 min before onset; steady card_declined WARNs; "
                "RDS autovacuum CPU bump 1.4 h earlier; Duration second alarm",
         services="API Gateway, Lambda (Node.js), RDS",
         story="The Node.js function `charge-intent` creates payment intents at the external "
               "partner api.paystream.example. From about 45 minutes before now its calls fail "
               "with `503 Service Unavailable` after three attempts and undici `Connect Timeout "
               "Error ... timeout: 8000ms`, and its circuit breaker flips OPEN/HALF_OPEN; Lambda "
               "Errors and the API's 5XXError rise together while invocation volume is flat and "
               "Duration stays far below the 30 s timeout. The partner is not a resource of the "
               "account, so the origin is the caller `charge-intent`. The `invoice-render` deploy "
               "two minutes before onset touches a function off the payment path whose own "
               "metrics stay clean; `card_declined` warnings run at the same rate for hours.")
    return sc


# --------------------------------------------------------------------------- h69-02
ALB2 = "app/portal-edge/7f3a9c21be04d5e8"


def build02() -> Scenario:
    sc = Scenario(2, "portal-edge-5xx", "Tenant portal returns HTTP 500 on most pages; "
                  "ALB target 5xx alarm paged the platform on-call.", "us-east-1", 690202,
                  "2026-04-07T14:05:00")
    T0 = -2160
    sc.resource("alb", ALB2, name="portal-edge", scheme="internet-facing",
                target_groups=["tg-tenant-api"])
    sc.resource("ecs", "prod-core/tenant-api", launch_type="FARGATE", desired_count=6,
                cpu=1024, memory=2048, log_group="/ecs/tenant-api")
    sc.resource("ecs", "prod-core/notify-worker", launch_type="FARGATE", desired_count=2,
                cpu=512, memory=1024, log_group="/ecs/notify-worker")
    sc.resource("rds", "tenantdb-main", engine="postgres", engine_version="16.2",
                instance_class="db.r6g.xlarge", max_connections=300, allocated_storage_gb=500)
    dl = lambda t: diurnal(sc, t, 15, 0.25)  # noqa: E731
    conn_fn = lambda t: min(300, 150 * dl(t) + (310 - 150 * dl(t)) * ramp(t, T0 - 2400, T0))  # noqa: E731
    R = {"DBInstanceIdentifier": "tenantdb-main"}
    conns = put(sc, "AWS/RDS", "DatabaseConnections", R, "Count", conn_fn, noise=0.012, cap=300,
                digits=0)
    sat = lambda t: ramp(t, T0 - 300, T0 + 60)  # noqa: E731
    put(sc, "AWS/RDS", "CPUUtilization", R, "Percent", lambda t: 34 * dl(t) + 9 * sat(t), noise=0.08)
    put(sc, "AWS/RDS", "FreeableMemory", R, "Bytes", lambda t: 9.1e9 - 1.2e9 * sat(t), noise=0.01, digits=0)
    put(sc, "AWS/RDS", "FreeStorageSpace", R, "Bytes", lambda t: 3.12e11 - 2e5 * (t + 21600),
        noise=0.0005, digits=0)
    B = {"LoadBalancer": ALB2}
    req = put(sc, "AWS/ApplicationELB", "RequestCount", B, "Count", lambda t: 1650 * dl(t),
              integer=True)
    put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", B, "Count",
        lambda t: 1.5 + req.get(t, 0) * 0.38 * sat(t), integer=True)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", B, "Seconds",
        lambda t: 0.085 + 6.5 * sat(t), noise=0.1, digits=4)
    S = {"ClusterName": "prod-core", "ServiceName": "tenant-api"}
    put(sc, "AWS/ECS", "CPUUtilization", S, "Percent", lambda t: 38 * dl(t) - 12 * sat(t), noise=0.08)
    put(sc, "AWS/ECS", "MemoryUtilization", S, "Percent", lambda t: 61 + 4 * sat(t), noise=0.03)
    N = {"ClusterName": "prod-core", "ServiceName": "notify-worker"}
    put(sc, "AWS/ECS", "CPUUtilization", N, "Percent",
        lambda t: 18 + bump(t, -2290, -2050, 55, 60), noise=0.1)
    put(sc, "AWS/ECS", "MemoryUtilization", N, "Percent", lambda t: 44, noise=0.04)

    rng = sc.rng
    api = Tasks(sc, "tenant-api", "tenant-api", 6)
    app = "tenant-api"
    paths = ["/api/v2/contacts", "/api/v2/deals", "/api/v2/integrations", "/api/v2/webhooks",
             "/api/v2/tenants/settings"]

    def api_line(t):
        ep = rng.choice(paths)
        if rng.random() < 0.05:
            return spring(sc, t, "WARN", "http-nio-8080-exec-" + str(rng.randint(1, 200)),
                          "c.a.p.webhooks.SubscriptionGuard", f"Tenant {tenant(sc)} endpoint "
                          "returned 410 Gone; disabling subscription", app)
        if rng.random() < 0.04:
            return spring(sc, t, "ERROR", "http-nio-8080-exec-" + str(rng.randint(1, 200)),
                          "o.s.w.s.m.s.DefaultHandlerExceptionResolver", "Resolved [org.springframework"
                          ".http.converter.HttpMessageNotReadableException: JSON parse error: Unexpected "
                          "character ('}' (code 125))]", app)
        if rng.random() < 0.38 * sat(t):
            if rng.random() < 0.6:
                msg = ("HikariPool-1 - Connection is not available, request timed out after "
                       "30000ms (total=40, active=40, idle=0, waiting=87)")
                lg = "com.zaxxer.hikari.pool.HikariPool"
            else:
                msg = ("Exception in thread: org.postgresql.util.PSQLException: FATAL: sorry, too many "
                       "clients already")
                lg = "c.a.p.tenant.TenantRepository"
            return spring(sc, t, "ERROR", "http-nio-8080-exec-" + str(rng.randint(1, 200)), lg,
                          f"GET {ep} failed: {msg}", app)
        return spring(sc, t, "INFO", "http-nio-8080-exec-" + str(rng.randint(1, 200)),
                      "c.a.p.web.AccessLog", f"GET {ep} tenant={tenant(sc)} 200 "
                      f"{int(rng.gauss(80, 20))}ms", app)
    emit(sc, "/ecs/tenant-api", api.stream, lambda t: 5, api_line)
    pgg = "/aws/rds/instance/tenantdb-main/postgresql"
    pst = "tenantdb-main.0"

    def pg_line(t):
        c = conns.get(int(t // 60 * 60), 150)
        if c >= 296 and rng.random() < 0.8:
            if rng.random() < 0.5:
                return pg(sc, t, "FATAL", "sorry, too many clients already",
                          client=sc.ip("10.20") + f"({rng.randint(30000, 60000)})", user="app_tenant",
                          db="tenantdb")
            return pg(sc, t, "FATAL", "remaining connection slots are reserved for roles with the "
                      "SUPERUSER attribute", client=sc.ip("10.20") + f"({rng.randint(30000, 60000)})",
                      user="app_tenant", db="tenantdb")
        if rng.random() < 0.5:
            return pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(300, 4000)} buffers "
                      f"({rng.uniform(0.2, 2.5):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled")
        return pg(sc, t, "LOG", f"automatic vacuum of table \"tenantdb.public.contact_events\": "
                  f"index scans: 1 pages: 0 removed, {rng.randint(20000, 90000)} remain")
    emit(sc, pgg, pst, lambda t: 1.2 + 5 * sat(t), pg_line)
    nw = Tasks(sc, "notify-worker", "notify-worker", 2, deploys=(-2290,))
    emit(sc, "/ecs/notify-worker", nw.stream, lambda t: 2,
         lambda t: spring(sc, t, "INFO", "scheduling-1", "c.a.p.notify.DigestJob",
                          f"Sent {rng.randint(1, 40)} digest emails for {tenant(sc)}", "notify-worker"))
    sc.change(-2300, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "notify-worker:88", "codepipeline-core")
    sc.change(-2290, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "prod-core/notify-worker", "codepipeline-core")
    sc.change(-19800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "prod-core/tenant-api", "codepipeline-core")
    sc.alarm("portal-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", B, "Sum",
             60, 3, 50, "GreaterThanThreshold", "Tenant portal target errors")
    sc.alarm("tenantdb-main-connections-high", "AWS/RDS", "DatabaseConnections", R, "Maximum", 60, 3,
             270, "GreaterThanThreshold")
    sc.alarm("notify-worker-cpu", "AWS/ECS", "CPUUtilization", N, "Average", 60, 3, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "portal-edge-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": ["tenantdb-main"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": R}]}
    meta(sc, alarm_on="front (ALB; origin is the RDS instance two hops behind)",
         decoys="notify-worker deploy 2 min before onset with a CPU blip; steady 410/JSON-parse "
                "errors in tenant-api; ECS CPU of tenant-api falls (looks healthy)",
         services="ALB, ECS (Java/Spring), RDS PostgreSQL",
         story="The ALB in front of the Spring Boot service `prod-core/tenant-api` starts "
               "returning 500s. The service's logs switch from normal access lines to HikariCP "
               "`Connection is not available ... waiting=87` and `PSQLException: FATAL: sorry, too "
               "many clients already`; the PostgreSQL log of `tenantdb-main` shows the same FATAL and "
               "`remaining connection slots are reserved`, and DatabaseConnections has climbed for "
               "forty minutes to the 300-connection limit. Request volume is normal. The "
               "`notify-worker` deploy two minutes before onset is the nearest change, but that "
               "service does not serve the portal and only shows a restart CPU blip.")
    return sc


BUILDERS = [build01, build02]
