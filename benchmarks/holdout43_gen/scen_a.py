"""Scenarios 01 (ECS bad deployment) and 02 (Lambda environment change)."""
import datetime as dt

from . import logs as L
from .bg import app_line, bg_ec2, bg_ecs, bg_lambda, bg_rds
from .common import Scenario, anomaly, bump, fill, hexs, ramp, wave
from .res import alb, apigw, const, ecs, lambda_fn


# ====================================================================== 01
NPE = ('Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception '
       '[Request processing failed: java.lang.NullPointerException: Cannot invoke '
       '"com.acme.orders.tax.TaxBreakdown.lines()" because the return value of '
       '"com.acme.orders.model.Order.taxBreakdown()" is null] with root cause\n\n'
       'java.lang.NullPointerException: Cannot invoke "com.acme.orders.tax.TaxBreakdown.lines()" because '
       'the return value of "com.acme.orders.model.Order.taxBreakdown()" is null\n'
       '\tat com.acme.orders.api.OrderResponseMapper.toDto(OrderResponseMapper.java:87)\n'
       '\tat com.acme.orders.api.OrderController.getOrder(OrderController.java:64)\n'
       '\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n'
       '\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)\n'
       '\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)\n'
       '\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)\n'
       '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n'
       '\t... 48 common frames omitted')


def s01():
    sc = Scenario(1, "shop-alb-5xx-orders-release", "us-east-1",
                  "Public shop ALB returning 5xx; customers report order pages failing. Several alarms open.",
                  4301, dt.datetime(2026, 11, 11, 15, 40, 0))
    rng = sc.rng
    T_REG, T_UPD = -2580, -2560
    frac = lambda t: 0.12 * ramp(t, -2430, -2110)          # share of orders-api requests failing
    orders_rate = lambda t: 900 * wave(t, 0.12, phase=0.1)
    catalog_rate = lambda t: 1100 * wave(t, 0.12, phase=0.1)
    cart_rate = lambda t: 600 * wave(t, 0.12, phase=0.1)

    a = alb(sc, "shop-public-alb", req=lambda t: orders_rate(t) + catalog_rate(t) + cart_rate(t),
            rt=lambda t: 0.085 + 0.004 * ramp(t, -2430, -2110),
            t5=lambda t: 2.0 + orders_rate(t) * frac(t), healthy=const(15),
            target_groups=["tg-orders-api", "tg-catalog-api", "tg-cart-api"])
    tasks = lambda t: 6 + 3 * bump(t, -2500, -2150, rise=240, fall=180)
    o = ecs(sc, "shop-prod", "orders-api", cpu=lambda t: 34 * wave(t, 0.1) - 6 * bump(t, -2450, -2150),
            mem=lambda t: 63 if t < -2300 else 47 + (t + 2300) / 2300.0 * 2,
            tasks=tasks, desired=lambda t: 6,
            task_definition="orders-api:188", target_group="tg-orders-api", image_tag="2026.11.11-188")

    # --- orders-api logs: old tasks until the rollout, new tasks after
    group = "/ecs/orders-api"
    old, new = L.task_ids(sc, 3), L.task_ids(sc, 3)
    paths = ["GET /api/orders/ord_{id6}", "GET /api/orders?customer=cus_{hex}&page=1",
             "POST /api/orders", "GET /api/orders/ord_{id6}/tracking", "GET /actuator/health"]

    def req_line(t, status=200):
        return L.spring(sc, t, "INFO", "orders-api", "http-nio-8080-exec-%d" % rng.randint(1, 48),
                        "c.a.orders.web.RequestLoggingFilter",
                        "%s -> %d (%d ms)" % (fill(rng, rng.choice(paths)), status, rng.randint(6, 140)))

    noise = [("INFO", "com.zaxxer.hikari.pool.HikariPool", "orders-pool - Pool stats (total=12, active=%d, idle=%d, waiting=0)" % (k, 12 - k))
             for k in (2, 3, 4, 5)] + [
             ("INFO", "o.a.k.c.c.internals.ConsumerCoordinator",
              "[Consumer clientId=orders-api-1, groupId=orders-api] Committed offsets for partition payments.settled-{n}")]

    def mk(tid, t0, t1, is_new):
        s = "orders-api/orders-api/%s" % tid
        if is_new:
            ts = t0
            for lv, lg, msg in [("INFO", "c.a.orders.OrdersApiApplication", "Starting OrdersApiApplication v2026.11.11-188 using Java 21.0.5 with PID 1 (/app/orders-api.jar started by app in /app)"),
                                ("INFO", "c.a.orders.OrdersApiApplication", 'The following 1 profile is active: "prod"'),
                                ("INFO", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
                                ("INFO", "com.zaxxer.hikari.HikariDataSource", "orders-pool - Start completed."),
                                ("INFO", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path '/'"),
                                ("INFO", "c.a.orders.OrdersApiApplication", "Started OrdersApiApplication in 13.872 seconds (process running for 14.911)")]:
                ts += rng.uniform(0.3, 3.5)
                sc.ev(group, s, ts, L.spring(sc, ts, lv, "orders-api", "main", lg, msg))
            t0 = ts + 1

        def line(t):
            if rng.random() < 0.08:
                lv, lg, m = rng.choice(noise)
                return L.spring(sc, t, lv, "orders-api", "scheduling-1", lg, fill(rng, m))
            return req_line(t)
        L.stream(sc, group, s, t0, t1, lambda t: 1.6, line)
        if is_new:
            def err(t):
                tt = t + 0.001
                sc.ev(group, s, tt, L.spring(sc, tt, "ERROR", "orders-api", "http-nio-8080-exec-%d" % rng.randint(1, 48),
                                             "o.a.c.c.C.[.[.[/].[dispatcherServlet]", NPE))
                return L.spring(sc, t + 0.002, "INFO", "orders-api", "http-nio-8080-exec-%d" % rng.randint(1, 48),
                                "c.a.orders.web.RequestLoggingFilter",
                                "GET /api/orders/ord_%d -> 500 (%d ms)" % (rng.randint(100000, 999999), rng.randint(9, 60)))
            L.stream(sc, group, s, t0, t1, lambda t: 9.0 * frac(t) / 0.12 / 3, err)
        else:
            sc.ev(group, s, t1, L.spring(sc, t1, "INFO", "orders-api", "SpringApplicationShutdownHook",
                                         "o.s.b.w.embedded.tomcat.GracefulShutdown",
                                         "Commencing graceful shutdown. Waiting for active requests to complete"))
            sc.ev(group, s, t1 + 4.2, L.spring(sc, t1 + 4.2, "INFO", "orders-api", "tomcat-shutdown",
                                               "o.s.b.w.embedded.tomcat.GracefulShutdown", "Graceful shutdown complete"))
    for i, tid in enumerate(old):
        mk(tid, -10800, -2300 + i * 70, False)
    for i, tid in enumerate(new):
        mk(tid, -2470 + i * 60, 0, True)

    bg_ecs(sc, "shop-prod", "catalog-api", "go", cpu=lambda t: 41 * wave(t, 0.1), mem=const(38), tasks=const(5),
           msgs=[("INFO", "http/server.go:212", "request served path=/v2/products/{id6} status=200 dur_ms={ms}"),
                 ("INFO", "http/server.go:212", "request served path=/v2/categories/{n}/products status=200 dur_ms={ms}"),
                 ("INFO", "cache/warm.go:88", "price cache refreshed entries={big}")],
           per_min=3.0, target_group="tg-catalog-api")
    bg_ecs(sc, "shop-prod", "cart-api", "node", cpu=lambda t: 29 * wave(t, 0.1), mem=const(44),
           tasks=lambda t: 4 if t < -1100 else 5, desired=lambda t: 4 if t < -1100 else 5,
           msgs=[("INFO", "cart", "request completed"), ("INFO", "cart", "cart updated items={n}"),
                 ("INFO", "cart", "request completed")],
           err_msgs=[("WARN", "redis", "Redis connection reset by peer (ECONNRESET); reconnecting in 200ms"),
                     ("ERROR", "gift", "giftcard balance lookup failed: upstream status 503 from giftcards.partner.example")],
           err_rate=0.12, per_min=3.0, target_group="tg-cart-api")
    bg_rds(sc, "orders-pg", "postgres", "15.5", "db.r6g.xlarge", 1600, 500,
           cpu=lambda t: 24 * wave(t, 0.1), conn=lambda t: 74 + 30 * bump(t, -2480, -2150, 120, 200),
           tables=("orders", "order_lines", "payments"), dbname="orders")
    bg_rds(sc, "catalog-mysql", "mysql", "8.0.35", "db.r6g.large", 1000, 300,
           cpu=lambda t: 31 * wave(t, 0.08), conn=const(140), dbname="catalog", parameter_group="catalog-mysql8-params")
    bg_lambda(sc, "order-confirmation-mailer", "python3.12", lambda t: 38 * wave(t, 0.12), const(420),
              ["Queued confirmation email for order ord_{id6} via SES (message id 0100018c{hex})"])
    bg_lambda(sc, "inventory-sync", "python3.12", const(12), const(1800),
              ["Synced {big} stock levels from WMS (warehouse=IAD2, delta={n})"], memory=1024,
              pools=[(-10 ** 9, "$LATEST", 2), (-1780, "$LATEST", 2)])
    pf = bg_lambda(sc, "price-feed-import", "python3.12", const(1.0), lambda t: 24500 if t > -15000 else 14000,
                   ["Imported price feed part {n}/48 ({big} rows)"], memory=2048, timeout=120)
    bg_lambda(sc, "session-cleanup", "nodejs20.x", const(1.0), const(900), ["Expired {big} sessions"])
    bg_lambda(sc, "partner-webhook", "nodejs20.x", lambda t: 16 * wave(t, 0.2), const(140),
              ["Delivered webhook order.updated to partner p_{n} (HTTP 200)"])
    apigw(sc, "partner-api", count=lambda t: 16 * wave(t, 0.2), lat=const(160), integration="lambda:partner-webhook")
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "jenkins-agent-2", "c6i.2xlarge",
           cpu=lambda t: 18 + 70 * bump(t, -900, 0, 120) + 65 * bump(t, -14400, -13200, 120),
           groups={"/ci/jenkins-agent": (0.6, lambda t: "%s INFO hudson.model.Run#execute: shop-web #%d main build step running (gradle test)" % (sc.iso(t), 4411))})
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "bastion-1", "t3.small", cpu=const(2.5))
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "kafka-connect-1", "m6i.large", cpu=lambda t: 22 * wave(t, 0.1), mem=const(71))

    jid = [r["id"] for r in sc.resources if r.get("properties", {}).get("name") == "jenkins-agent-2"][0]
    sc.change(-5400, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0b7e41c2bastion", "maria.chen")
    sc.change(-3900, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "catalog-mysql8-params", "terraform-ci")
    sc.change(T_REG, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "orders-api:188", "github-actions-deploy")
    sc.change(T_UPD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/orders-api", "github-actions-deploy")
    sc.change(-1800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "inventory-sync", "github-actions-deploy")
    sc.change(-1790, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "inventory-sync", "github-actions-deploy")
    sc.change(-1100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/cart-api", "AWSServiceRoleForApplicationAutoScaling_ECSService")

    lb = {"LoadBalancer": a["id"]}
    sc.alarm("shop-public-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "ALARM", "Shop public ALB target 5xx")
    sc.alarm("jenkins-agent-2-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": jid}, "Average", 300, 2, 80,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("price-feed-import-duration", "AWS/Lambda", "Duration", {"FunctionName": "price-feed-import"}, "Average",
             300, 3, 20000, "GreaterThanThreshold", "ALARM", "Price feed import slower than 20 s")
    sc.alarm("orders-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "orders-pg"}, "Average",
             300, 3, 80, "GreaterThanThreshold", "OK")
    sc.alarm("orders-api-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "shop-prod", "ServiceName": "orders-api"},
             "Average", 300, 3, 80, "GreaterThanThreshold", "OK")
    sc.alarm("partner-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "partner-api"}, "Sum", 60, 5, 5,
             "GreaterThanThreshold", "OK")
    sc.set_expect("shop-public-alb-target-5xx", "bad_deployment", ["shop-prod/orders-api", "orders-api"],
                  [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", LoadBalancer=a["id"])])
    sc.meta = dict(alarm_on="front (ALB)", decoys=[
        "inventory-sync Lambda deploy 30 min ago (healthy after)", "catalog-mysql parameter-group change",
        "autoscaling UpdateService on cart-api", "cart-api steady Redis/giftcard errors all window",
        "jenkins-agent-2 CPU alarm (CI build)", "price-feed-import Duration alarm open for hours"],
        story=("github-actions-deploy registered orders-api:188 and updated shop-prod/orders-api 43 min ago. "
               "The rolling deployment (RunningTaskCount 6 -> 9 -> 6) replaced the tasks; from the first new task on, "
               "orders-api logs a NullPointerException in OrderResponseMapper.toDto (Order.taxBreakdown() is null) "
               "on order look-ups, which never appears in the old tasks' streams. The ALB's target 5xx rises from "
               "~2/min (cart-api's long-standing giftcard/Redis errors) to ~110/min in step with the rollout. "
               "DB, CPU and memory are normal. The inventory-sync deploy is later and healthy, the parameter "
               "group change is on catalog-mysql (catalog-api is clean), and the other open alarms are a CI build "
               "and a long-standing slow import. A new error signature right after a code/image deployment: "
               "bad_deployment on the orders-api service, alarm on the front door."))
    return sc


# ====================================================================== 02
LAMBDA_WARNING = ("LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, "
                  "in rare cases, a Lambda runtime update can cause unexpected function behavior. For functions using "
                  "managed runtimes, runtime updates can be triggered by a function change, or can be applied "
                  "automatically. To determine if the runtime has been updated, check the runtime version in the "
                  "INIT_START log entry. If this error correlates with a change in the runtime version, you may be able "
                  "to mitigate this error by temporarily rolling back to the previous runtime version. For more "
                  "information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html")
KEYERR = ("[ERROR] KeyError: 'RATING_TABLE_VERSION'\nTraceback (most recent call last):\n"
          '  File "/var/task/quotes/handler.py", line 48, in lambda_handler\n    quote = calculator.compute(payload)\n'
          '  File "/var/task/quotes/calculator.py", line 131, in compute\n'
          '    table = rating_tables.load(os.environ["RATING_TABLE_VERSION"], payload["product"])\n'
          '                               ~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^^\n'
          '  File "<frozen os>", line 679, in __getitem__')


def s02():
    sc = Scenario(2, "quotes-api-5xx-calculator-env", "eu-west-1",
                  "Brokers get 'Internal server error' when requesting motor quotes; API 5xx alarm paging.",
                  4302, dt.datetime(2026, 11, 12, 10, 25, 0))
    rng = sc.rng
    T_CFG = -2100
    bad = lambda t: 0.94 if t >= T_CFG + 12 else 0.0
    calc_rate = lambda t: 85 * wave(t, 0.15, phase=0.85)
    keys_old = ["LOG_LEVEL", "POWERTOOLS_SERVICE_NAME", "RATE_CACHE_TTL_SECONDS", "RATING_BUCKET", "RATING_TABLE_VERSION",
                "POLICY_DB_SECRET_ARN", "QUOTE_VALIDITY_DAYS"]
    keys_new = [k for k in keys_old if k != "RATING_TABLE_VERSION"] + ["FEATURE_MULTI_CAR_DISCOUNT"]
    api = apigw(sc, "quotes-public-api", count=lambda t: calc_rate(t) + 60 + 12,
                lat=lambda t: 210 - 90 * bad(t), e5=lambda t: 0.3 + calc_rate(t) * bad(t),
                integrations="lambda:quote-calculator, lambda:quote-retrieve, lambda:policy-issue")
    lambda_fn(sc, "quote-calculator", "python3.12", 15, 1024, calc_rate, lambda t: 165 - 110 * bad(t) / 0.94,
              err=bad, environment_keys=sorted(keys_new), role="quote-calculator-role")
    def init_fn(ti, s):
        keys = keys_new if ti > T_CFG else keys_old
        return ["[INFO]\t%s\t\tLoaded configuration: %d keys from environment (%s)"
                % (sc.iso(ti), len(keys), ", ".join(sorted(keys)))]
    lg = L.LambdaLog(sc, "quote-calculator", "python3.12", 1024, 15, init_fn=init_fn,
                     pools=[(-10 ** 9, "$LATEST", 4), (T_CFG + 8, "$LATEST", 4)], mem_used=(210, 18))
    products = ["motor_comprehensive", "motor_tpft", "motor_multi_car", "van_comprehensive"]

    def handler(t):
        failing = rng.random() < bad(t)
        d = rng.uniform(35, 70) if failing else rng.gauss(165, 30)

        def lines(t0, r):
            out = []
            if failing:
                out.append((0.003, L.py(sc, t0 + 0.003, r, "INFO", "Quote request q_%s product=%s channel=broker"
                                        % (hexs(rng, 10), rng.choice(products)))))
                out.append((d / 1000.0 - 0.004, LAMBDA_WARNING))
                out.append((d / 1000.0 - 0.003, KEYERR))
            else:
                out.append((0.003, L.py(sc, t0 + 0.003, r, "INFO", "Quote request q_%s product=%s channel=broker"
                                        % (hexs(rng, 10), rng.choice(products)))))
                out.append((d / 1000.0 - 0.01, L.py(sc, t0 + d / 1000.0, r, "INFO",
                                                    "Quote computed premium=EUR %.2f rating_table=2026.11-r3 in %d ms"
                                                    % (rng.uniform(240, 1900), d))))
            return out
        return lines, max(20.0, d), "ok"
    lg.run(-10800, 0, lambda t: 4.0, handler)

    g, s = "API-Gateway-Execution-Logs_%s/prod" % api["api_id"], "%s-prod" % hexs(rng, 10)

    def gw(t):
        if rng.random() < bad(t) * 0.55:
            return ("(%s) Lambda execution failed with status 200 due to customer function error: "
                    "'RATING_TABLE_VERSION'. Lambda request id: %s" % (L.rid(rng), L.rid(rng)))
        return "(%s) Method completed with status: 200" % L.rid(rng)
    L.stream(sc, g, s, -10800, 0, lambda t: 2.5, gw)

    bg_lambda(sc, "quote-retrieve", "python3.12", const(60), const(48), ["Fetched quote q_{hex}{n} (status=OPEN)"])
    bg_lambda(sc, "policy-issue", "java21", const(12), const(640),
              ["Issued policy POL-{id6} for quote q_{hex} (ledger ok)"], memory=2048, logger="c.i.policy.IssueHandler")
    bg_lambda(sc, "broker-auth", "nodejs20.x", lambda t: 30 * wave(t, 0.1), const(35), ["token issued broker=B{id6} scope=quotes"])
    bg_lambda(sc, "broker-search", "nodejs20.x", lambda t: 22 * wave(t, 0.1), const(120),
              ["search returned {n} policies for broker B{id6}"], pools=[(-10 ** 9, "$LATEST", 2), (-2380, "$LATEST", 2)])
    apigw(sc, "broker-portal-api", count=lambda t: 52 * wave(t, 0.1), lat=const(95),
          integrations="lambda:broker-auth, lambda:broker-search")
    bg_lambda(sc, "premium-rates-loader", "python3.12", const(0.2), const(8200),
              ["Rates snapshot verified: 2026.11-r3 (sha256 {hex}{hex})"], memory=1024, timeout=60,
              log_rate=lambda t: 0.2)
    bg_lambda(sc, "document-generator", "nodejs20.x", const(9), const(1300),
              ["rendered schedule PDF for POL-{id6} ({big} bytes)"], err=const(0.23),
              err_msgs=["Invoke Error \t{\"errorType\":\"NoSuchKey\",\"errorMessage\":\"The specified key does not exist.\","
                        "\"Key\":\"templates/legacy/schedule_v1.hbs\"}"])
    bg_rds(sc, "policy-pg", "postgres", "16.3", "db.r6g.large", 900, 400, cpu=lambda t: 22 * wave(t, 0.1),
           conn=const(88), tables=("quotes", "policies"), dbname="policy")
    uw = bg_ecs(sc, "ins-prod", "underwriting-engine", "spring", cpu=lambda t: 25 + 55 * bump(t, -11200, -9000, 600, 900),
                mem=const(58), tasks=lambda t: 3 + 3 * bump(t, -11400, -8800, 60, 60),
                msgs=[("INFO", "c.i.uw.rules.RuleEngine", "Evaluated referral rules for case UW-{id6}: {n} rules, outcome=ACCEPT"),
                      ("INFO", "c.i.uw.batch.RenewalJob", "Renewal batch chunk {n} processed ({big} policies)")],
                per_min=2.0, target_group="tg-underwriting")
    alb(sc, "internal-uw-alb", req=const(140), rt=const(0.21), healthy=lambda t: 3 + 3 * bump(t, -11400, -8800, 60, 60),
        scheme="internal", target_groups=["tg-underwriting"])
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "sftp-gateway-1", "t3.medium", cpu=const(6),
           groups={"/sftp/transfer": (0.4, lambda t: "%s sftp-server[%d]: close \"/inbound/bordereaux/BX-%d.csv\" bytes read 0 written %d"
                                      % (sc.at(t).strftime("%b %d %H:%M:%S"), rng.randint(2000, 9000), rng.randint(1000, 9999),
                                         rng.randint(20000, 900000)))})

    sc.change(-5200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "ins-prod/underwriting-engine",
              "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-4000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "policy-pg", "terraform-ci")
    sc.change(-2400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "broker-search", "gitlab-ci")
    sc.change(-2390, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "broker-search", "gitlab-ci")
    sc.change(T_CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "quote-calculator", "j.okafor")
    sc.change(-900, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "broker-portal-api", "gitlab-ci")

    sc.alarm("quotes-public-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "quotes-public-api"}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "ALARM", "Quotes API server errors")
    sc.alarm("quote-calculator-errors", "AWS/Lambda", "Errors", {"FunctionName": "quote-calculator"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("document-generator-errors", "AWS/Lambda", "Errors", {"FunctionName": "document-generator"}, "Sum", 900, 1, 4,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("broker-portal-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "broker-portal-api"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "OK")
    sc.alarm("policy-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "policy-pg"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.set_expect("quotes-public-api-5xx", "config_change", ["quote-calculator"],
                  [anomaly("AWS/ApiGateway", "5XXError", ApiName="quotes-public-api"),
                   anomaly("AWS/Lambda", "Errors", FunctionName="quote-calculator")])
    sc.meta = dict(alarm_on="front (API Gateway)", decoys=[
        "broker-search code deploy 5 min earlier (healthy)", "policy-pg ModifyDBInstance", "broker-portal-api stage deployment",
        "document-generator Errors alarm open all window (missing template)", "underwriting-engine batch CPU/scale-out hours ago"],
        story=("j.okafor edited quote-calculator's configuration (UpdateFunctionConfiguration) 35 min ago. New execution "
               "environments log their configuration keys at init: RATING_TABLE_VERSION is gone (a new "
               "FEATURE_MULTI_CAR_DISCOUNT key appeared), and from then on nearly every quote fails with "
               "KeyError: 'RATING_TABLE_VERSION' from os.environ in calculator.compute. API Gateway execution logs show "
               "'customer function error' and the API's 5XXError follows the function's Errors. The code was not "
               "redeployed; the broker-search deploy (5 min earlier) sits behind a different API that stays clean, and "
               "document-generator's errors are a constant missing-template problem. The error names a missing setting "
               "right after a configuration change: config_change on quote-calculator, alarm on the API front door."))
    return sc
