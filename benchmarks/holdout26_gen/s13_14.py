"""h26-13 api-alb ELB 502s with nothing behind them (unknown) and
h26-14 partner-api stage variable typo (API Gateway config change)."""
from __future__ import annotations

import datetime as dt
import json

from .common import (MINUTES, Scenario, alarm_transition, alb_metrics, apigw_metrics, diurnal,
                     ec2_metrics, ecs_metrics, gauss, lambda_metrics, poisson, simple_lambda_model)
from .logfmt import LambdaLogs, log_minutes, py, spread


# =========================================================================== 13
def build_13():
    sc = Scenario("h26-13-api-alb-elb-502-unexplained", 2613, "ap-southeast-2",
                  "api-alb ELB 5XX alarm; a few customers report sporadic 502 Bad Gateway from the public API.",
                  dt.datetime(2026, 11, 28, 0, 55, 0))
    rng = sc.rng
    lb = "app/api-alb/4d6f8a0c2e1b3d59"
    inst = [("i-01a2b3c4d5e6f7081", "api-1"), ("i-02b3c4d5e6f708192", "api-2"), ("i-03c4d5e6f70819203", "api-3")]
    etl = ("i-04d5e6f7081920314", "etl-1")
    sc.resource("alb", lb, name="api-alb", scheme="internet-facing", idle_timeout_s=60, target_groups=["api-server-tg"])
    for iid, n in inst:
        sc.resource("ec2", iid, name=n, instance_type="c7g.large", app="api-server (Go 1.22, http.Server IdleTimeout=120s)",
                    log_groups=["/api-server/app"])
    sc.resource("ec2", etl[0], name=etl[1], instance_type="r6i.xlarge", app="daily warehouse ETL 10:00 AEDT")
    sc.resource("lambda", "audit-log-shipper", runtime="python3.12", timeout=60, memory_size=256)

    onset = -1380
    req, t5, e5, rt, hh, uh, t4 = {}, {}, {}, {}, {}, {}, {}
    for t in MINUTES:
        n = poisson(rng, 2400 * diurnal(t, 0.3, phase_h=-1))
        req[t] = n
        e5[t] = poisson(rng, 22) if t >= onset else poisson(rng, 0.15)
        t5[t] = poisson(rng, 0.4)
        t4[t] = poisson(rng, 30)
        rt[t] = gauss(rng, 0.046, 0.004, 0.03)
        hh[t], uh[t] = 3, 0
    alb_metrics(sc, lb, req, t5, e5, rt, hh, uh, t4)
    for iid, _ in inst:
        ec2_metrics(sc, iid, lambda t: gauss(rng, 31 * diurnal(t, 0.3, -1), 3, 5), lambda t: gauss(rng, 37, 0.6),
                    lambda t: gauss(rng, 29, 0.05), lambda t: gauss(rng, 5.5e7 * diurnal(t, 0.3, -1), 4e6, 1e6))
    busy = lambda t: -4200 <= t <= -2700
    ec2_metrics(sc, etl[0], lambda t: gauss(rng, 91, 3, 70, 100) if busy(t) else gauss(rng, 4, 1, 0.5),
                lambda t: gauss(rng, 78 if busy(t) else 24, 1.5), lambda t: gauss(rng, 48, 0.2),
                lambda t: gauss(rng, 3e7 if busy(t) else 2e5, 3e6 if busy(t) else 4e4, 1e4))
    al = simple_lambda_model(rng, lambda t: 6, lambda t: gauss(rng, 640, 80, 200))
    lambda_metrics(sc, "audit-log-shipper", *al)

    for iid, n in inst:
        ev = []
        for t in log_minutes():
            share = req[t] / 3.0
            tt = t + 59.5
            ev.append((tt, json.dumps({"level": "info", "ts": sc.iso(tt), "caller": "httpserver/metrics.go:88", "msg": "http summary",
                                       "window": "60s", "requests": int(share + rng.uniform(-10, 10)), "status_2xx": int(share * 0.985), "status_4xx": int(t4[t] / 3),
                                       "status_5xx": 0, "p50_ms": int(gauss(rng, 18, 2, 8)), "p99_ms": int(gauss(rng, 140, 15, 60)),
                                       "open_conns": int(gauss(rng, 64, 6, 20)), "goroutines": int(gauss(rng, 410, 30, 200))}, separators=(",", ":"))))
            for tt in spread(rng, t, poisson(rng, 1.5)):
                ev.append((tt, json.dumps({"level": "warn", "ts": sc.iso(tt), "caller": "middleware/compat.go:41", "msg": "deprecated client header",
                                           "header": "X-Client-Version", "client": rng.choice(["ios/5.2.1", "android/5.1.9", "sdk-python/2.3.0"])}, separators=(",", ":"))))
            if t % 600 == 0:
                ev.append((t + 7, json.dumps({"level": "info", "ts": sc.iso(t + 7), "caller": "cache/refresh.go:63", "msg": "plan catalogue refreshed", "plans": 14, "took_ms": rng.randint(8, 30)}, separators=(",", ":"))))
        sc.log("/api-server/app", iid, ev)
    ll = LambdaLogs(sc, "audit-log-shipper", 256)
    for t in log_minutes():
        for tt in spread(rng, t, al[0][t]):
            ll.invoke(tt, [(0.01, py("INFO", "Shipped %d audit events to s3://acme-audit-apse2/%s/" % (rng.randint(20, 400), sc.wall(tt).strftime("%Y/%m/%d/%H"))))], gauss(rng, 640, 80, 200), 92)
    ll.emit()

    sc.change(-2040, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "audit-log-shipper", "ci-deployer")
    sc.change(-2030, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "audit-log-shipper", "ci-deployer")
    ch = alarm_transition(e5, 300, 1, 50, "GreaterThanThreshold")
    sc.alarm("api-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1, 50,
             "GreaterThanThreshold", "ALARM", ch or -1000, "api-alb load balancer generated 5XX")
    sc.alarm("etl-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": etl[0]}, "Average", 300, 3, 85,
             "GreaterThanThreshold", "OK", -2640)
    sc.expect = {"alarm": "api-alb-elb-5xx",
                 "root_cause": {"category": "unknown", "resource": ["api-alb", lb]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(front="origin (ALB)", decoys="audit-log-shipper Lambda deploy ~11 min before onset (not behind the ALB); etl-1 daily ETL CPU spike on another instance, alarm cleared; pre-existing 'deprecated client header' WARN",
                   story="For the last 23 minutes api-alb has produced ~20 load-balancer-generated 5XX a minute (under 1 % of ~2,400 requests). Nothing else moves: target 5XX stays at zero, target response time is flat at ~45 ms, all three targets stay healthy, the api-1..3 instances show normal CPU, memory and status checks, and their per-minute summaries log no 5xx and the same request volume as before. Nothing changed on the ALB, the target group or the instances; the only change is a deploy of an audit-log shipping Lambda that is not behind this load balancer, and the ETL CPU spike is on an unrelated box and ended before onset. With only the ALB's own 5XX count to go on, the evidence points to no category: unknown (escalate to AWS support with ALB access logs).")
    return sc


# =========================================================================== 14
def build_14():
    sc = Scenario("h26-14-partner-api-stage-variable-typo", 2614, "us-east-1",
                  "partner-api 5XX alarm; partners' order sync calls failing with 500 Internal Server Error.",
                  dt.datetime(2026, 11, 19, 19, 30, 0))
    rng = sc.rng
    api, api_id = "partner-api", "p4r7n3r8qa"
    lb = "app/orders-public-alb/7e9a1c3b5d7f9e02"
    sc.resource("apigateway", api, api_id=api_id, stage="prod", endpoint_type="REGIONAL",
                integration="HTTP_PROXY https://${stageVariables.ordersBackend}/{proxy}",
                stage_variables={"ordersBackend": "orders-api.intrnal.acme-corp.com"})
    sc.resource("alb", lb, name="orders-public-alb", scheme="internet-facing", dns_alias="orders-api.internal.acme-corp.com",
                target_groups=["orders-api-tg"])
    sc.resource("ecs", "orders/orders-api", cluster="orders", service_name="orders-api", launch_type="FARGATE", desired_count=3,
                log_groups=["/ecs/orders-api"])
    sc.resource("lambda", "partner-webhooks", runtime="python3.12", timeout=30, memory_size=256)

    chg = -1620
    broken = lambda t: t >= chg + 20
    cnt, e4, e5, lat, ilat = {}, {}, {}, {}, {}
    bcount = {}
    for t in MINUTES:
        n = poisson(rng, 95 * diurnal(t, 0.25, phase_h=-14))
        forb = poisson(rng, 6)
        health = poisson(rng, 4)
        cnt[t] = n + forb + health
        e4[t] = forb + poisson(rng, 0.5)
        e5[t] = n if broken(t) else poisson(rng, 0.1)
        bcount[t] = 0 if broken(t) else n
        ilat[t] = gauss(rng, 4, 1, 1) if broken(t) else gauss(rng, 95, 12, 40)
        lat[t] = ilat[t] + gauss(rng, 9, 2, 3)
    apigw_metrics(sc, api, cnt, e4, e5, lat, ilat)
    req = {t: bcount[t] + poisson(rng, 5) for t in MINUTES}
    alb_metrics(sc, lb, req, {t: poisson(rng, 0.1) for t in MINUTES}, {t: 0 for t in MINUTES},
                {t: gauss(rng, 0.082, 0.01, 0.03) for t in MINUTES}, {t: 3 for t in MINUTES}, {t: 0 for t in MINUTES})
    ecs_metrics(sc, "orders", "orders-api", lambda t: gauss(rng, 6 if broken(t) else 24, 2, 2), lambda t: gauss(rng, 47, 1))
    pw = simple_lambda_model(rng, lambda t: 3, lambda t: gauss(rng, 380, 50, 100))
    lambda_metrics(sc, "partner-webhooks", *pw)

    partners = {"kp_3pl_northstar": "northstar-3pl", "kp_shipfast": "shipfast", "kp_bluecrate": "bluecrate", "kp_acme3pl_old": "acme-3pl"}
    exec_log, access = [], []
    for t in log_minutes(-2700):
        for tt in spread(rng, t, cnt[t]):
            rid = sc.uuid()
            r = rng.random()
            if r < e4[t] / max(1, cnt[t]):
                access.append((tt, json.dumps({"requestId": rid, "ip": "52.14.%d.%d" % (rng.randint(0, 255), rng.randint(1, 254)), "requestTime": sc.clf(tt),
                                               "httpMethod": "GET", "resourcePath": "/v1/orders/{proxy+}", "status": "403", "responseLength": "42",
                                               "errorMessage": "Forbidden", "apiKeyId": "kp_acme3pl_old"}, separators=(",", ":"))))
                continue
            key = rng.choice(list(partners)[:3])
            path = rng.choice(["/v1/orders/sync", "/v1/orders/{proxy+}", "/v1/shipments/{proxy+}"])
            if broken(t):
                exec_log.append((tt + 0.004, "(%s) Execution failed due to configuration error: Invalid endpoint address" % rid))
                exec_log.append((tt + 0.005, "(%s) Method completed with status: 500" % rid))
                access.append((tt, json.dumps({"requestId": rid, "ip": "34.%d.%d.%d" % (rng.randint(200, 230), rng.randint(0, 255), rng.randint(1, 254)), "requestTime": sc.clf(tt),
                                               "httpMethod": rng.choice(["GET", "POST"]), "resourcePath": path, "status": "500", "responseLength": "36",
                                               "errorMessage": "Internal server error", "apiKeyId": key, "integrationLatency": "-"}, separators=(",", ":"))))
            else:
                access.append((tt, json.dumps({"requestId": rid, "ip": "34.%d.%d.%d" % (rng.randint(200, 230), rng.randint(0, 255), rng.randint(1, 254)), "requestTime": sc.clf(tt),
                                               "httpMethod": rng.choice(["GET", "POST"]), "resourcePath": path, "status": "200", "responseLength": str(rng.randint(300, 9000)),
                                               "errorMessage": "-", "apiKeyId": key, "integrationLatency": str(rng.randint(40, 160))}, separators=(",", ":"))))
    sc.log("API-Gateway-Execution-Logs_%s/prod" % api_id, sc.hexid(32), exec_log)
    sc.log("/aws/apigateway/partner-api/prod-access", "prod", access)
    ol = []
    for t in log_minutes():
        ol.append((t + 58, json.dumps({"level": "INFO", "ts": sc.iso(t + 58), "logger": "orders.http", "msg": "request summary", "window_s": 60,
                                       "requests": req[t], "errors": 0, "p95_ms": int(gauss(rng, 120, 15, 50))}, separators=(",", ":"))))
    sc.log("/ecs/orders-api", "ecs/orders-api/" + sc.hexid(), ol)
    wl = LambdaLogs(sc, "partner-webhooks", 256)
    for t in log_minutes():
        for tt in spread(rng, t, pw[0][t]):
            wl.invoke(tt, [(0.01, py("INFO", "Delivered order.shipped webhook to %s (HTTP 200)" % rng.choice(list(partners.values())[:3])))], gauss(rng, 380, 50, 100), 84)
    wl.emit()

    sc.change(-4800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "partner-webhooks", "ci-deployer")
    sc.change(chg, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api, "terraform-ci")
    ch = alarm_transition(e5, 60, 3, 10, "GreaterThanThreshold")
    sc.alarm("partner-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "ALARM", ch or -1400, "partner-api server errors")
    sc.expect = {"alarm": "partner-api-5xx",
                 "root_cause": {"category": "config_change", "resource": [api, api_id]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}]}
    sc.meta = dict(front="origin (API Gateway)", decoys="partner-webhooks routine Lambda deploy 53 min before; pre-existing 403s from a partner's revoked API key at a constant rate in 4XXError; healthy orders backend",
                   story="terraform-ci updated the prod stage of partner-api (UpdateStage) at -27 min. Since then every proxied call fails inside API Gateway with 'Execution failed due to configuration error: Invalid endpoint address' and a 500, integration latency drops to ~4 ms, and the backend (orders-public-alb / orders-api) stops receiving partner traffic while staying healthy. The stage variable ordersBackend now reads 'orders-api.intrnal.acme-corp.com', a misspelling of the ALB's DNS name. The 403s come from one partner's revoked key and are as frequent before as after, and the partner-webhooks deploy is unrelated. Judgement: config_change on partner-api. The fault is in the API's stage settings, not in the backend.")
    return sc
