"""h21-01 (ECS Fargate deploy behind ALB) and h21-02 (REST API stage variable)."""
from __future__ import annotations

from .common import LogSink, Rng, alarm, change, diurnal, ramp, scenario, spring_ts, step, times
from .kits import alb_set, apigw_rest_set, ec2_set, ecs_set, lambda_set, rds_set


# ----------------------------------------------------------------------------- 01
def s01():
    rng = Rng(2101)
    region = "eu-west-1"
    lb, tg = "app/payments-alb/3f1e9a7c2b8d4e60", "targetgroup/payments-api-tg/8a2c4e6f1b3d5a79"
    t_deploy, t_new_up, t_old_gone = -2560, -2470, -2340
    ts = times()
    sink = LogSink()
    grp = "/ecs/payments-api"
    old = [(f"ecs/payments-api/{rng.hexid(32)}", -30000, t_old_gone + rng.randint(-40, 20)) for _ in range(4)]
    new = [(f"ecs/payments-api/{rng.hexid(32)}", t_new_up + rng.randint(-30, 30), 1) for _ in range(4)]
    log_start = -7200

    def lg(stream, t, level, thread, logger, msg):
        sink.add(grp, stream, t, f"{spring_ts(t)} {level:>5} 1 --- [payments-api] [{thread}] {logger:<40} : {msg}")

    for s, a, _b in new:  # startup of revision 57
        lg(s, a, "INFO", "           main", "c.a.payments.PaymentsApiApplication",
           "Starting PaymentsApiApplication v2.41.0 using Java 21.0.5 with PID 1 (/app/app.jar started by app in /app)")
        lg(s, a + 0.3, "INFO", "           main", "c.a.payments.PaymentsApiApplication",
           'The following 1 profile is active: "prod"')
        lg(s, a + 6.1, "INFO", "           main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed.")
        lg(s, a + 9.7, "INFO", "           main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
           "Tomcat started on port 8080 (http) with context path '/'")
        lg(s, a + 9.9, "INFO", "           main", "c.a.payments.PaymentsApiApplication",
           f"Started PaymentsApiApplication in {rng.uniform(10.5, 12.5):.3f} seconds (process running for {rng.uniform(12.6, 13.9):.3f})")
    for s, _a, b in old:
        lg(s, b - 28, "INFO", "ionShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
           "Commencing graceful shutdown. Waiting for active requests to complete")
        lg(s, b - 26.5, "INFO", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown", "Graceful shutdown complete")
        lg(s, b - 26.2, "INFO", "ionShutdownHook", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Shutdown completed.")

    npe = ('Cannot invoke "com.acme.payments.model.BillingAddress.getCountryCode()" because the return value of '
           '"com.acme.payments.model.PaymentRequest.getBillingAddress()" is null')
    stack = ("\n\tat com.acme.payments.risk.AvsRuleEvaluator.evaluate(AvsRuleEvaluator.java:58)"
             "\n\tat com.acme.payments.risk.RiskEngine.score(RiskEngine.java:114)"
             "\n\tat com.acme.payments.service.AuthorizationService.authorize(AuthorizationService.java:87)"
             "\n\tat com.acme.payments.web.PaymentController.authorize(PaymentController.java:49)"
             "\n\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)"
             "\n\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)"
             "\n\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)"
             "\n\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:140)")
    err_per_min = {}
    for m in range(log_start, 0, 60):
        auth_rate = 60 * diurnal(m, 0.12, 7)
        for _ in range(rng.poisson(auth_rate)):
            t = m + rng.uniform(0, 59.9)
            live_new = [s for s in new if s[1] <= t]
            live_old = [s for s in old if t < s[2]]
            pool = live_new + live_old
            st = rng.choice(pool)
            is_new = st in new
            th = f"nio-8080-exec-{rng.randint(1, 40)}"
            method = rng.choices(["card", "apple_pay", "google_pay", "sepa_debit"], [60, 22, 13, 5])[0]
            merchant = f"m_{rng.randint(1000, 9999)}"
            amt = f"{rng.uniform(3, 400):.2f}"
            if is_new and method in ("apple_pay", "google_pay"):
                lg(st[0], t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                   f"Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                   f"[Request processing failed: java.lang.NullPointerException: {npe}] with root cause\n\n"
                   f"java.lang.NullPointerException: {npe}{stack}")
                err_per_min[m] = err_per_min.get(m, 0) + 1
            else:
                lg(st[0], t, "INFO", th, "c.a.payments.web.PaymentController",
                   f"authorized payment pay_{rng.alnum(14)} merchant={merchant} method={method} amount={amt} EUR in {rng.randint(48, 160)} ms")
        # pre-existing loud error: one dead merchant webhook, same rate all along
        for _ in range(rng.poisson(0.9)):
            t = m + rng.uniform(0, 59.9)
            st = rng.choice([s for s in new if s[1] <= t] + [s for s in old if t < s[2]])
            lg(st[0], t, "ERROR", f"webhook-{rng.randint(1, 4)}", "c.a.payments.webhook.WebhookDispatcher",
               "Webhook delivery to https://hooks.merchant-4471.example/pay failed: 410 Gone (attempt 5/5), giving up")
        if rng.random() < 0.35:
            t = m + rng.uniform(0, 59.9)
            st = rng.choice([s for s in new if s[1] <= t] + [s for s in old if t < s[2]])
            lg(st[0], t, "WARN", f"nio-8080-exec-{rng.randint(1, 40)}", "o.s.w.s.m.s.DefaultHandlerExceptionResolver",
               "Resolved [org.springframework.web.HttpRequestMethodNotSupportedException: Request method 'GET' is not supported]")
        for s in [s for s in new if s[1] <= m] + [s for s in old if m < s[2]]:
            lg(s[0], m + rng.uniform(0, 5), "INFO", "   scheduling-1", "c.a.p.settlement.SettlementPoller",
               f"settlement batch poll: {rng.randint(0, 3)} pending, 0 failed")

    def run(t):
        if t < t_deploy + 40:
            return 4
        if t < t_old_gone:
            return 8
        return 4

    def t5xx(t):
        if t >= log_start:
            return err_per_min.get(int(t), 0) + 0.2
        return 0.2

    metrics = alb_set(rng, lb, req=lambda t: 640 * diurnal(t, 0.12, 7), rt=lambda t: 0.082 + 0.004 * diurnal(t, 0.5),
                      t5xx=t5xx, t4xx=lambda t: 9, e502=lambda t: 0.05,
                      tgs=[(tg, run, lambda t: 0)], region=None)
    metrics += ecs_set(rng, "payments", "payments-api", cpu=lambda t: 27 * diurnal(t, 0.12, 7),
                       mem=lambda t: 51 - 12 * ramp(t, t_new_up - 20, t_new_up) + 7 * ramp(t, t_new_up, 0),
                       running=run, desired=lambda t: 4)
    metrics += ecs_set(rng, "payments", "ledger-writer", cpu=lambda t: 12 + 8 * step(t, -12500) * (1 - step(t, -12300)),
                       mem=lambda t: 40, running=lambda t: 2, desired=lambda t: 2)
    metrics += rds_set(rng, "payments-pg", cpu=lambda t: 18 * diurnal(t, 0.1, 7), conns=lambda t: 46,
                       free_storage_gb=lambda t: 141 - 0.00002 * (t + 21600), freeable_mem_gb=lambda t: 5.4)
    resources = [
        {"type": "ecs", "id": "payments/payments-api",
         "properties": {"launch_type": "FARGATE", "task_definition": "payments-api:57", "cpu": 1024, "memory": 2048,
                        "desired_count": 4, "log_group": grp, "load_balancer": "payments-alb", "target_group": tg,
                        "image": "231904127733.dkr.ecr.eu-west-1.amazonaws.com/payments-api:2.41.0"}},
        {"type": "ecs", "id": "payments/ledger-writer",
         "properties": {"launch_type": "FARGATE", "task_definition": "ledger-writer:19", "cpu": 512, "memory": 1024,
                        "desired_count": 2, "log_group": "/ecs/ledger-writer"}},
        {"type": "alb", "id": lb, "properties": {"name": "payments-alb", "scheme": "internet-facing",
                                                 "target_groups": [tg], "targets": "ecs:payments/payments-api"}},
        {"type": "rds", "id": "payments-pg", "properties": {"engine": "postgres", "engine_version": "16.4",
                                                            "instance_class": "db.r6g.large", "max_connections": 1700,
                                                            "allocated_storage_gb": 200}},
    ]
    changes = [
        change(-2760, "ecr.amazonaws.com", "PutImage", "AWS::ECR::Repository", "payments-api", "github-actions-deploy"),
        change(-2580, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "payments-api:57", "github-actions-deploy"),
        change(t_deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/payments-api", "github-actions-deploy"),
        change(-12700, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "ledger-writer:19", "github-actions-deploy"),
        change(-12660, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/ledger-writer", "github-actions-deploy"),
        change(-5400, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/reporting/export-bucket", "a.kowalski"),
    ]
    alarms = [alarm("payments-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
                    "Sum", 60, 3, 5, "GreaterThanThreshold", -2220, description="Payments ALB: targets returning 5xx")]
    doc = scenario("h21-01-payments-fargate-deploy",
                   "Payments ALB 5xx alarm; a share of checkouts (wallet payments) fail with HTTP 500.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "payments-alb-target-5xx",
                    "root_cause": {"category": "bad_deployment", "resource": ["payments/payments-api", "payments-api"]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                   "dimensions": {"LoadBalancer": lb}}]})
    meta = {"placement": "front (ALB)",
            "decoys": "ledger-writer deploy 3.5 h earlier; SSM PutParameter on /reporting/export-bucket; "
                      "pre-existing webhook 410 ERROR at a constant rate; scanner 405 WARNs",
            "story": "payments-api task definition revision 57 (image 2.41.0) was rolled out on Fargate at -43 min. "
                     "As soon as the new tasks took traffic, wallet payments (Apple Pay / Google Pay, which carry no "
                     "billing address) hit a NullPointerException in the new AVS risk rule; the old tasks never logged "
                     "it, card payments still succeed. No resource metric moved (CPU, memory, DB). A new error "
                     "signature starting with a code/image deployment is bad_deployment; the ALB only reports the "
                     "targets' 500s, so the origin is the ECS service."}
    return doc, meta


# ----------------------------------------------------------------------------- 02
def s02():
    rng = Rng(2102)
    region = "ap-southeast-2"
    api, api_id = "fleet-api", "q7r2mz4k1d"
    blb = "app/fleet-backend-alb/6b0e2d4f8a1c3e57"
    btg = "targetgroup/fleet-backend-tg/2e9d7c5b3a1f0e84"
    t_chg = -1740
    good_host, bad_host = "fleet-backend.internal.acme-fleet.com.au", "fleet-backend.intenral.acme-fleet.com.au"
    ts = times()
    sink = LogSink()
    grp = f"API-Gateway-Execution-Logs_{api_id}/prod"
    streams = [rng.hexid(32) for _ in range(3)]
    log_start = -5400
    per_min = {}
    paths = [("GET", "/v1/vehicles/{id}/position", 55), ("GET", "/v1/vehicles/{id}/trips", 20),
             ("POST", "/v1/vehicles/{id}/events", 20), ("GET", "/v1/depots", 5)]
    for m in range(log_start, 0, 60):
        n = rng.poisson(30 * diurnal(m, 0.1, 3))
        e5 = e4 = 0
        for _ in range(n):
            t = m + rng.uniform(0, 59.8)
            rid = rng.uuid()
            meth, p, _w = rng.choices(paths, [x[2] for x in paths])[0]
            p = p.replace("{id}", f"VH-{rng.randint(1000, 1999)}")
            s = rng.choice(streams)
            host = bad_host if t >= t_chg else good_host
            sink.add(grp, s, t, f"({rid}) Starting execution for request: {rid}")
            sink.add(grp, s, t + 0.001, f"({rid}) HTTP Method: {meth}, Resource Path: {p}")
            sink.add(grp, s, t + 0.002, f"({rid}) Endpoint request URI: https://{host}{p}")
            if t >= t_chg:
                sink.add(grp, s, t + 0.006, f"({rid}) Execution failed due to configuration error: Invalid endpoint address")
                sink.add(grp, s, t + 0.007, f"({rid}) Method completed with status: 500")
                e5 += 1
            else:
                lat = rng.randint(22, 90)
                code = 404 if rng.random() < 0.05 else 200
                e4 += code == 404
                sink.add(grp, s, t + lat / 1000, f"({rid}) Received response. Status: {code}, Integration latency: {lat} ms")
                sink.add(grp, s, t + lat / 1000 + 0.001, f"({rid}) Method completed with status: {code}")
        per_min[m] = (n, e4, e5)

    def cnt(t):
        return per_min[t][0] if t in per_min else 30 * diurnal(t, 0.1, 3)

    def e5(t):
        return per_min[t][2] if t in per_min else 0.0

    def e4(t):
        return per_min[t][1] if t in per_min else 1.5

    metrics = apigw_rest_set(rng, api, count=cnt, e4xx=e4, e5xx=e5,
                             latency=lambda t: 71 if t < t_chg else 9,
                             integ_latency=lambda t: 58 if t < t_chg else 0.0)
    # exact per-minute values inside the logged window
    for mt in metrics:
        if mt["name"] in ("Count", "4XXError", "5XXError"):
            f = {"Count": cnt, "4XXError": e4, "5XXError": e5}[mt["name"]]
            mt["points"] = [[t, float(f(t)) if t in per_min else v] for t, v in mt["points"]]
    metrics += alb_set(rng, blb, req=lambda t: 112 * diurnal(t, 0.1, 3) - (30 if t >= t_chg else 0),
                       rt=lambda t: 0.041, t5xx=lambda t: 0.05, t4xx=lambda t: 1.6,
                       tgs=[(btg, lambda t: 3, lambda t: 0)], extra_5xx_detail=False)
    for i, iid in enumerate(["i-03a7c1e95b2d4f860", "i-0f4e2b8d6c1a39e57", "i-08b1d5f3e7a2c9640"]):
        metrics += ec2_set(rng, iid, cpu=lambda t: 22 - (4 if t >= t_chg else 0), mem=lambda t, i=i: 48 + i,
                           disk=lambda t, i=i: 37 + i)
    metrics += lambda_set(rng, "fleet-telemetry-ingest", inv=lambda t: 210 * diurnal(t, 0.1, 3), err=lambda t: 0.03,
                          dur=lambda t: 95 if t < -2400 else 88, conc=lambda t: 1 + 0.4 * diurnal(t, 0.3))
    resources = [
        {"type": "apigateway", "id": api, "properties": {"api_id": api_id, "protocol": "REST", "stage": "prod",
                                                         "integration": "HTTP_PROXY https://${stageVariables.backendHost}/{proxy}",
                                                         "execution_log_group": grp}},
        {"type": "alb", "id": blb, "properties": {"name": "fleet-backend-alb", "scheme": "internal",
                                                  "dns_alias": good_host, "target_groups": [btg]}},
        {"type": "ec2", "id": "i-03a7c1e95b2d4f860", "properties": {"name": "fleet-backend-1", "instance_type": "m6i.large"}},
        {"type": "ec2", "id": "i-0f4e2b8d6c1a39e57", "properties": {"name": "fleet-backend-2", "instance_type": "m6i.large"}},
        {"type": "ec2", "id": "i-08b1d5f3e7a2c9640", "properties": {"name": "fleet-backend-3", "instance_type": "m6i.large"}},
        {"type": "lambda", "id": "fleet-telemetry-ingest", "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 512}},
    ]
    changes = [
        change(t_chg, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/prod", "m.okafor"),
        change(-2400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "fleet-telemetry-ingest", "ci-deployer"),
        change(-2390, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "fleet-telemetry-ingest", "ci-deployer"),
    ]
    alarms = [alarm("fleet-api-prod-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 5,
                    "GreaterThanThreshold", -1560, description="Fleet public API 5xx")]
    doc = scenario("h21-02-fleet-rest-stage-variable",
                   "Fleet tracking API returns 500 for every call; the driver app shows 'service unavailable'.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "fleet-api-prod-5xx",
                    "root_cause": {"category": "config_change", "resource": [api, api_id, f"{api}/prod"]},
                    "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}]})
    meta = {"placement": "origin (API Gateway)",
            "decoys": "fleet-telemetry-ingest Lambda deploy 11 min before the stage change; steady pre-existing 404s",
            "story": "At -29 min an engineer updated the prod stage of fleet-api (UpdateStage). The HTTP_PROXY "
                     "integration builds its URI from the stage variable backendHost, and from that minute every "
                     "execution log shows the endpoint host misspelt ('intenral') and 'Execution failed due to "
                     "configuration error: Invalid endpoint address'. The backend ALB and instances are healthy and "
                     "simply stop receiving the API's share of traffic. A setting changed right before onset and errors "
                     "naming an invalid setting: config_change on the API itself."}
    return doc, meta
