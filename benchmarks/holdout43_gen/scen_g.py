"""Scenarios 13 (target-group health-check path changed) and 14 (Node Lambda release)."""
import datetime as dt
import json

from . import logs as L
from .bg import bg_ec2, bg_ecs, bg_lambda, bg_rds
from .common import Scenario, anomaly, bump, hexs, ramp, wave
from .res import alb, apigw, const, ecs, lambda_fn


# ====================================================================== 13
def s13():
    sc = Scenario(13, "partner-gw-503-healthcheck-path", "us-east-1",
                  "Partners report 502/503 from the partner gateway on order calls; several alarms firing.",
                  4313, dt.datetime(2026, 11, 23, 14, 10, 0))
    rng = sc.rng
    T_CHG = -1620
    T_BAD = T_CHG + 50                      # three failed checks at 15 s
    bad = lambda t: 1.0 if t >= T_BAD else 0.0
    orders_rate = lambda t: 300 * wave(t, 0.1, phase=0.4)

    # ECS replaces tasks that fail ELB health checks; new ones fail again after the grace period -> churn
    def running(t):
        if not bad(t):
            return 4
        return [4, 3, 2, 3, 4, 3, 2, 2, 3][int((t - T_BAD) // 120) % 9]
    unhealthy = lambda t: running(t) if bad(t) else 0
    a = alb(sc, "partner-gw-alb", req=lambda t: orders_rate(t) + 420, rt=const(0.09),
            e5=lambda t: 0.05 + orders_rate(t) * 0.34 * bad(t), healthy=lambda t: 9 - 4 * bad(t), unhealthy=unhealthy,
            target_groups=["tg-partner-orders", "tg-partner-catalog", "tg-partner-auth"], health_check_tg_partner_orders="HTTP /health (port 8080)")
    ecs(sc, "partners-prod", "partner-orders", cpu=lambda t: 26 * wave(t, 0.1), mem=const(57), tasks=running, desired=const(4),
        target_group="tg-partner-orders", task_definition="partner-orders:96", health_endpoint="/actuator/health")
    g = "/ecs/partner-orders"
    tids = L.task_ids(sc, 4)
    for i, tid in enumerate(tids):
        s = "partner-orders/partner-orders/%s" % tid
        t_end = T_BAD + 60 + i * 110 if i < 3 else 0

        def line(t):
            return L.spring(sc, t, "INFO", "partner-orders", "http-nio-8080-exec-%d" % rng.randint(1, 50), "c.p.orders.web.AccessLog",
                            "%s -> %d (%d ms) partner=P%03d" % (rng.choice(["POST /v2/orders", "GET /v2/orders/PO-%d" % rng.randint(10000, 99999),
                                                                              "GET /v2/orders?status=OPEN"]), 200, rng.randint(8, 120), rng.randint(1, 80)))
        L.stream(sc, g, s, -10800, t_end, lambda t: 1.8, line)

        def hc(t, s=s):
            path = "/health" if t >= T_CHG else "/actuator/health"
            code = 404 if t >= T_CHG else 200
            return L.spring(sc, t, "INFO", "partner-orders", "http-nio-8080-exec-%d" % rng.randint(1, 50), "c.p.orders.web.AccessLog",
                            "GET %s -> %d (1 ms) ua=ELB-HealthChecker/2.0" % (path, code))
        L.periodic(sc, g, s, max(-10800, T_CHG - 900), t_end, 15, hc, jitter=0.5)
        if i < 3:
            sc.ev(g, s, t_end + 1, L.spring(sc, t_end + 1, "INFO", "partner-orders", "SpringApplicationShutdownHook",
                                           "o.s.b.w.embedded.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete"))
    # replacement tasks: start, serve, fail health checks again
    ev_g, ev_s = "/aws/events/ecs-task-state", "ecs-task-state-%s" % hexs(rng, 8)
    tg_arn = "arn:aws:elasticloadbalancing:us-east-1:%s:targetgroup/tg-partner-orders/%s" % (sc.account, hexs(rng, 16))
    t = T_BAD + 60
    k = 0
    while t < -30:
        tid = hexs(rng, 32)
        s = "partner-orders/partner-orders/%s" % tid
        for j, msg in enumerate(["Starting PartnerOrdersApplication v3.14.2 using Java 17.0.12 with PID 1",
                                 "Tomcat started on port 8080 (http) with context path ''",
                                 "Started PartnerOrdersApplication in 11.204 seconds (process running for 12.01)"]):
            sc.ev(g, s, t + 20 + j * 4, L.spring(sc, t + 20 + j * 4, "INFO", "partner-orders", "main", "c.p.orders.PartnerOrdersApplication", msg))
        stop = t + 110 + rng.uniform(-15, 15)
        for x in range(int(t + 40), int(min(stop, -1)), 15):
            sc.ev(g, s, x + rng.uniform(0, 0.5), L.spring(sc, x, "INFO", "partner-orders", "http-nio-8080-exec-%d" % rng.randint(1, 50),
                                                          "c.p.orders.web.AccessLog", "GET /health -> 404 (1 ms) ua=ELB-HealthChecker/2.0"))
        old = tids[k] if k < 3 else hexs(rng, 32)
        detail = {"clusterArn": "arn:aws:ecs:us-east-1:%s:cluster/partners-prod" % sc.account, "group": "service:partner-orders",
                  "lastStatus": "STOPPED", "desiredStatus": "STOPPED", "stopCode": "ServiceSchedulerInitiated",
                  "stoppedReason": "Task failed ELB health checks in (target-group %s)" % tg_arn,
                  "taskArn": "arn:aws:ecs:us-east-1:%s:task/partners-prod/%s" % (sc.account, old)}
        sc.ev(ev_g, ev_s, stop, json.dumps({"version": "0", "id": L.rid(rng), "detail-type": "ECS Task State Change", "source": "aws.ecs",
                                            "account": sc.account, "time": sc.iso(stop)[:-5] + "Z", "region": "us-east-1",
                                            "detail": detail}, separators=(",", ":")))
        k += 1
        t += 120
    for x in (-2000, -1960):
        sc.ev(ev_g, ev_s, x + 40, json.dumps({"version": "0", "id": L.rid(rng), "detail-type": "ECS Task State Change", "source": "aws.ecs",
                                              "account": sc.account, "time": sc.iso(x + 40)[:-5] + "Z", "region": "us-east-1",
                                              "detail": {"group": "service:partner-catalog", "lastStatus": "STOPPED", "stopCode": "ServiceSchedulerInitiated",
                                                         "stoppedReason": "Scaling activity initiated by (deployment ecs-svc/%d)" % rng.randint(10 ** 18, 10 ** 19)}},
                                             separators=(",", ":")))
    bg_ecs(sc, "partners-prod", "partner-catalog", "node", cpu=const(21), mem=const(43), tasks=lambda t: 3 + 3 * bump(t, -1990, -1800, 60, 60),
           desired=const(3), msgs=[("INFO", "catalog", "request completed")], per_min=1.5, target_group="tg-partner-catalog",
           task_definition="partner-catalog:41")
    bg_ecs(sc, "partners-prod", "partner-auth", "go", cpu=const(12), mem=const(30), tasks=const(2),
           msgs=[("INFO", "auth/token.go:77", "issued client_credentials token client=P{n}")], per_min=1.0, target_group="tg-partner-auth")
    bg_lambda(sc, "edi-translator", "java21", const(6), const(1500), ["Translated EDI 850 PO-{id6} to JSON"], logger="c.p.edi.Translator",
              err=const(0.3), err_msgs=["Segment N1 missing qualifier in interchange {id6}; message parked"])
    bg_lambda(sc, "partner-webhooks", "nodejs20.x", lambda t: 25 * wave(t, 0.1), const(210), ["delivered order.shipped to P{n} (200)"])
    bg_lambda(sc, "sla-reporter", "python3.12", const(0.2), const(9000), ["SLA report written for {n} partners"], timeout=60,
              log_rate=lambda t: 0.2)
    apigw(sc, "partner-onboarding-api", count=const(8), lat=const(130), integration="lambda:partner-webhooks")
    bg_rds(sc, "partners-pg", "postgres", "16.4", "db.r6g.large", 900, 300, cpu=lambda t: 21 * wave(t, 0.1), conn=const(85),
           tables=("purchase_orders", "partners"), dbname="partners")
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "sftp-edi-1", "t3.medium", cpu=const(6))
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "bastion-partners", "t3.micro", cpu=const(1.1))
    bg_lambda(sc, "po-ack-sender", "python3.12", lambda t: 9 * wave(t, 0.1), const(340), ["Sent 855 acknowledgement for PO-{id6} to P{n}"])

    sc.change(-4800, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "sla-reporter-role", "terraform-ci")
    sc.change(-2600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "edi-translator", "jenkins-deploy")
    sc.change(-2010, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "partner-catalog:41", "jenkins-deploy")
    sc.change(-2000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "partners-prod/partner-catalog", "jenkins-deploy")
    sc.change(T_CHG, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup",
              "tg-partner-orders", "d.kowalski")
    sc.change(-700, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "partners-pg", "terraform-ci")

    lb = {"LoadBalancer": a["id"]}
    sc.alarm("partner-gw-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "ALARM", "Partner gateway 5xx generated by the load balancer")
    sc.alarm("partner-gw-alb-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", lb, "Maximum", 60, 2, 0,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("edi-translator-errors", "AWS/Lambda", "Errors", {"FunctionName": "edi-translator"}, "Sum", 900, 1, 5,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("partner-gw-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "OK")
    sc.alarm("partners-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "partners-pg"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.set_expect("partner-gw-alb-elb-5xx", "config_change", [a["id"], "partner-gw-alb", "tg-partner-orders"],
                  [anomaly("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", LoadBalancer=a["id"]),
                   anomaly("AWS/ApplicationELB", "UnHealthyHostCount", LoadBalancer=a["id"])])
    sc.meta = dict(alarm_on="origin (ALB / its target group)", decoys=[
        "partner-catalog ECS deploy 6 min before (its TG stays healthy)", "edi-translator deploy and its steady Errors alarm",
        "partners-pg ModifyDBInstance", "IAM policy change on sla-reporter-role"],
        story=("d.kowalski modified target group tg-partner-orders 27 min ago (ModifyTargetGroup). From that moment the "
               "ELB-HealthChecker requests in partner-orders' logs go to GET /health and get 404 instead of "
               "/actuator/health -> 200 (the service's health endpoint property). Within a minute the ALB marks all four "
               "targets unhealthy, ECS stops tasks with 'Task failed ELB health checks in (target-group "
               ".../tg-partner-orders/...)' and the replacements fail the same check, so RunningTaskCount churns and the "
               "load balancer itself returns 502/503 (HTTPCode_ELB_5XX) while target 5xx stays flat and the application "
               "serves real requests fine. The partner-catalog deploy 6 min earlier is on a different target group that "
               "stays healthy. A settings change on the load balancer's target group right before onset: config_change "
               "on partner-gw-alb (tg-partner-orders), alarm on the origin."))
    return sc


# ====================================================================== 14
NODE_TE = ('Invoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading \'map\')",'
           '"stack":["TypeError: Cannot read properties of undefined (reading \'map\')","    at formatPromotions '
           '(/var/task/dist/promotions.js:41:28)","    at buildSummary (/var/task/dist/summary.js:88:19)","    at '
           'Runtime.handler (/var/task/dist/index.js:23:22)","    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"]}')


def s14():
    sc = Scenario(14, "checkout-bff-5xx-cart-summary-release", "ap-south-1",
                  "Checkout screen failing for many users (5xx from checkout BFF API); alarms firing.",
                  4314, dt.datetime(2026, 11, 24, 11, 20, 0))
    rng = sc.rng
    T_DEP = -1860
    bad = lambda t: 0.38 if t >= T_DEP + 12 else 0.0
    cs_rate = lambda t: 260 * wave(t, 0.12, phase=0.85)
    api = apigw(sc, "checkout-bff-api", count=lambda t: cs_rate(t) + 95, lat=const(140), e5=lambda t: 0.3 + cs_rate(t) * bad(t),
                integrations="lambda:cart-summary, lambda:apply-coupon, lambda:place-order")
    lambda_fn(sc, "cart-summary", "nodejs20.x", 10, 1024, cs_rate, const(120), err=bad, alias="live -> 58")
    lg = L.LambdaLog(sc, "cart-summary", "nodejs20.x", 1024, 10, pools=[(-10 ** 9, "57", 5), (T_DEP + 10, "58", 5)], mem_used=(140, 12))

    def h(t):
        fail = rng.random() < bad(t)
        d = rng.gauss(118, 25)
        crt = "crt_%s" % hexs(rng, 10)

        def lines(t0, r):
            out = [(0.003, L.node(sc, t0 + 0.003, r, "INFO", "building summary cart=%s items=%d" % (crt, rng.randint(1, 7))))]
            if fail:
                out.append((d / 1000 - 0.003, L.node(sc, t0 + d / 1000, r, "ERROR", NODE_TE)))
            else:
                promos = 0 if (bad(t0) == 0 and rng.random() < 0.38) else rng.randint(1, 3)
                out.append((d / 1000 - 0.003, L.node(sc, t0 + d / 1000, r, "INFO", "summary ok cart=%s promos=%d total=INR %.2f"
                                                     % (crt, promos, rng.uniform(199, 24999)))))
            return out
        return lines, max(20, d), "ok"
    lg.run(-10800, 0, lambda t: 4.0, h)
    ga = "API-Gateway-Execution-Logs_%s/prod" % api["api_id"]
    L.stream(sc, ga, "%s-prod" % hexs(rng, 10), T_DEP, 0, lambda t: 3.0 * bad(t) / 0.38,
             lambda t: "(%s) Lambda execution failed with status 200 due to customer function error: Cannot read properties of undefined "
                       "(reading 'map'). Lambda request id: %s" % (L.rid(rng), L.rid(rng)))
    bg_lambda(sc, "apply-coupon", "nodejs20.x", const(40), const(60), ["coupon {hex} applied to cart crt_{hex}"])
    bg_lambda(sc, "place-order", "nodejs20.x", const(55), const(420), ["order ORD-{id6} placed (payment pending)"])
    bg_lambda(sc, "wishlist", "nodejs20.x", lambda t: 70 * wave(t, 0.1), const(45), ["wishlist updated user=u_{hex} items={n}"],
              pools=[(-10 ** 9, "31", 3), (T_DEP + 22, "32", 3)])
    apigw(sc, "wishlist-api", count=lambda t: 70 * wave(t, 0.1), lat=const(60), integration="lambda:wishlist")
    bg_lambda(sc, "tax-calculator", "python3.12", const(50), const(35), ["GST computed for cart crt_{hex}: {n} lines"],
              pools=[(-10 ** 9, "$LATEST", 2), (-2090, "$LATEST", 2)])
    bg_ecs(sc, "payments-prod", "upi-gateway", "go", cpu=lambda t: 33 * wave(t, 0.1), mem=const(40), tasks=const(4),
           msgs=[("INFO", "upi/collect.go:140", "collect request acknowledged txn=TXN{id6} psp=axis")],
           err_msgs=[("WARN", "upi/collect.go:188", "PSP callback late by {big}ms txn=TXN{id6}")], err_rate=0.15, per_min=2.0,
           target_group="tg-upi-gateway")
    bg_ecs(sc, "catalog-prod", "search", "spring", cpu=lambda t: 38 * wave(t, 0.1), mem=const(66), tasks=const(3),
           msgs=[("INFO", "c.s.search.SearchController", "GET /search?q={hex} -> 200 ({ms} ms)")], per_min=1.5, target_group="tg-search")
    alb(sc, "core-alb", req=lambda t: 600 * wave(t, 0.1), rt=const(0.05), target_groups=["tg-upi-gateway", "tg-search"], healthy=const(7))
    bg_rds(sc, "carts-pg", "postgres", "16.4", "db.r6g.xlarge", 1400, 400, cpu=lambda t: 25 * wave(t, 0.1), conn=const(150),
           tables=("carts", "cart_items", "promotions"), dbname="carts")
    rm = "i-0%s" % hexs(rng, 16)
    bg_ec2(sc, rm, "recs-model-1", "g5.xlarge", cpu=lambda t: 15 + 78 * bump(t, -1200, 0, 180),
           groups={"/recs/trainer": (0.5, lambda t: "%s INFO epoch %d/20 loss=%.4f" % (sc.iso(t), int((t + 1200) / 60) + 1, 0.41 - (t + 1200) / 9000.0)
                                     if t > -1200 else None)})

    sc.change(-3900, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "carts-pg", "terraform-ci")
    sc.change(-2100, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "tax-calculator", "a.iyer")
    sc.change(T_DEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "cart-summary", "gitlab-ci")
    sc.change(T_DEP + 5, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "cart-summary", "gitlab-ci")
    sc.change(T_DEP + 9, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "cart-summary", "gitlab-ci")
    sc.change(T_DEP + 15, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "wishlist", "gitlab-ci")
    sc.change(T_DEP + 20, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "wishlist", "gitlab-ci")
    sc.change(-500, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", "recs-model-1", "ml-platform-bot")

    sc.alarm("checkout-bff-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "checkout-bff-api"}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "ALARM", "Checkout BFF 5xx")
    sc.alarm("cart-summary-errors", "AWS/Lambda", "Errors", {"FunctionName": "cart-summary"}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("recs-model-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": rm}, "Average", 300, 2, 85,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("wishlist-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "wishlist-api"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "OK")
    sc.alarm("tax-calculator-errors", "AWS/Lambda", "Errors", {"FunctionName": "tax-calculator"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "OK")
    sc.set_expect("checkout-bff-api-5xx", "bad_deployment", ["cart-summary"],
                  [anomaly("AWS/ApiGateway", "5XXError", ApiName="checkout-bff-api"),
                   anomaly("AWS/Lambda", "Errors", FunctionName="cart-summary")])
    sc.meta = dict(alarm_on="front (API Gateway)", decoys=[
        "same pipeline deployed wishlist 15 s later (healthy)", "tax-calculator environment change 4 min before the deploy (clean)",
        "carts-pg ModifyDBInstance", "recs-model-1 CPU alarm (training) and instance attribute change", "upi-gateway steady late-callback warnings"],
        story=("gitlab-ci updated cart-summary's code, published version 58 and moved alias live to it 31 min ago. From "
               "the first v58 environment on, ~38 % of invocations (carts without promotions) die with TypeError: Cannot "
               "read properties of undefined (reading 'map') at formatPromotions (dist/promotions.js:41), a signature "
               "that never appears in v57's streams, where such carts returned promos=0. API Gateway logs 'customer "
               "function error' and checkout-bff-api's 5XXError tracks the function's Errors. The wishlist function "
               "shipped by the same pipeline and the tax-calculator configuration change are clean; nothing changed in "
               "configuration on cart-summary itself. New error signature right after a code release: bad_deployment on "
               "cart-summary, alarm on the API front door."))
    return sc
