"""Scenarios 01-04."""
import random

from .lib import (LOG_START, alarm, alb_metrics, apigw_metrics, change, clock, counts, diurnal,
                  ec2_metrics, ecs_metrics, hexid, iso, lambda_logs, lambda_metrics, logback_ts,
                  lookup, metric, poisson_times, rds_metrics, rid, scenario, series, smooth, stream)


def s01():
    """API Gateway 5XX; quote-service Lambda deploy introduces AttributeError."""
    r = random.Random(3301)
    reg, fn, api, dep = "us-east-1", "quote-service", "quotes-api", -2520
    onset = dep + 40
    inv = counts(r, lambda t: 24 * diurnal(t))
    err = [[t, float(sum(1 for _ in range(int(v)) if t >= onset and r.random() < 0.34))] for t, v in inv]
    dur = series(lambda t: r.gauss(180, 25))
    l_inv, l_err = lookup(inv), lookup(err)
    # pre-existing: one WARN retry line ~1/min all along (same rate before/after)
    def handler(t, q, fail, r):
        lines = [(0.004, "[INFO]\t%s\t%s\tquote request customer=cus_%06d items=%d" % (iso(t), q, r.randrange(999999), r.randint(1, 9)))]
        if r.random() < 0.05:
            lines.append((0.05, "[WARNING]\t%s\t%s\tRetrying GetItem on quotes-cache (attempt 1/3) after ProvisionedThroughputExceededException" % (iso(t + 0.05), q)))
        d = max(40, r.gauss(180, 30))
        if fail:
            lines.append((0.09, "[ERROR] AttributeError: 'NoneType' object has no attribute 'get'\nTraceback (most recent call last):\n"
                          "  File \"/var/task/app/handler.py\", line 58, in handler\n    quote = pricing.compute_quote(body, customer)\n"
                          "  File \"/var/task/app/pricing.py\", line 141, in compute_quote\n    tier = customer.loyalty.get(\"tier\", \"standard\")\n"
                          "AttributeError: 'NoneType' object has no attribute 'get'"))
            return lines, min(d, 120), r.randint(120, 140), "error"
        lines.append((d / 1000 - 0.01, "[INFO]\t%s\t%s\tquote q_%s total=%.2f USD in %d ms" % (iso(t), q, hexid(r, 8), r.uniform(20, 900), d)))
        return lines, d, r.randint(120, 140), None
    extra = [(dep + 35, "INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:9f1e2d"),
             (dep + 35.4, "[INFO]\t%s\tquote-service build 2026.11.20-3 (git 4f2c9ab) loaded; pricing rules v57" % iso(dep + 35.4))]
    logs = lambda_logs(r, fn, inv, err, handler, memory=1024, extra=extra)
    e5 = [[t, v + (1.0 if r.random() < 0.03 else 0.0)] for t, v in err]
    mets = lambda_metrics(fn, inv, err, dur)
    mets += apigw_metrics(api, inv, counts(r, lambda t: 0.6), e5, series(lambda t: r.gauss(215, 30)))
    pinv = counts(r, lambda t: 2)
    mets += lambda_metrics("pdf-export", pinv, [[t, 0.0] for t, _ in pinv], series(lambda t: r.gauss(2400, 300)))
    res = [{"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 1024}},
           {"type": "lambda", "id": "pdf-export", "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 2048}},
           {"type": "apigateway", "id": api, "properties": {"stage": "prod", "integration": "lambda:quote-service"}}]
    chg = [change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-deployer"),
           change(dep + 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "gha-deployer"),
           change(-9300, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "pdf-export", "jlee")]
    al = [alarm("quotes-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 3,
                "GreaterThanThreshold", "ALARM", onset + 240, "quotes API 5XX")]
    doc = scenario("h33-01-apigw-5xx-lambda-deploy", "quotes-api returning 5XX to the web app; API Gateway 5XX alarm paged.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "quotes-api-5xx", "root_cause": {"category": "bad_deployment", "resource": [fn]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]})
    return ("h33-01-apigw-5xx-lambda-deploy.yaml", doc,
            (reg, "quotes-api-5xx (API GW 5XXError)", "bad_deployment", fn, "front",
             "pdf-export config change 2.6 h earlier; pre-existing quotes-cache retry WARN at constant rate; new INFO build banner"),
            "quote-service got a new code package (UpdateFunctionCode + PublishVersion) 42 min before the page. About 40 s "
            "later a brand-new Python traceback (AttributeError on customer.loyalty in pricing.py) appears in roughly a third of "
            "invocations; it never occurs in the preceding hours. The API Gateway 5XX alarm is the front; the origin is the "
            "function. The `Retrying GetItem ... ProvisionedThroughputExceededException` WARN is loud but runs at the same ~5 % "
            "rate all three hours, and pdf-export's configuration change is hours old with clean metrics. New signature right "
            "after a deploy of the same function: bad_deployment.")


def _spring(t, level, thread, logger, msg):
    return "%s %5s 1 --- [%15s] %-40s : %s" % (logback_ts(t), level, thread, logger[:40], msg)


def s02():
    """ALB 5xx: SSM parameter changed to an invalid enum, Spring refresh breaks pricing-svc."""
    r = random.Random(3302)
    reg, cl, svc = "eu-west-1", "retail-prod", "pricing-svc"
    lb = "app/retail-public/7c1e2a9b3d4f5e60"
    chg_t = -1980
    onset = chg_t + 32
    req = counts(r, lambda t: 300 * diurnal(t, 0.2))
    t5 = [[t, float(r.randint(0, 2) + (int(v * 0.3 * 0.55) if t >= onset else 0))] for t, v in req]
    e5 = counts(r, lambda t: 0.2)
    rt = series(lambda t: r.gauss(0.085, 0.01) + (0.02 if t >= onset else 0))
    mets = alb_metrics(lb, req, t5, e5, rt, series(lambda t: 4, nd=0), series(lambda t: 0, nd=0))
    mets += ecs_metrics(cl, svc, series(lambda t: r.gauss(31, 4)), series(lambda t: r.gauss(58, 1.5)))
    mets += ecs_metrics(cl, "catalog-svc", series(lambda t: r.gauss(24, 4) + (6 if -3600 < t < -3300 else 0)),
                        series(lambda t: r.gauss(47, 1.5)))
    l5 = lookup(t5)
    tasks = [hexid(r), hexid(r)]
    ev = {k: [] for k in tasks}
    threads = ["nio-8080-exec-%d" % i for i in range(1, 21)]
    for m in range(LOG_START, 0, 60):
        for i in range(10):
            t = m + r.uniform(0, 59)
            ev[r.choice(tasks)].append((t, _spring(t, "INFO", r.choice(threads), "c.r.pricing.web.PriceController",
                                        "priced basket b_%s lines=%d total=%.2f EUR in %d ms" % (hexid(r, 8), r.randint(1, 12), r.uniform(5, 400), r.randint(20, 120)))))
        for i in range(2):  # loud pre-existing ERROR, same rate throughout
            t = m + r.uniform(0, 59)
            ev[r.choice(tasks)].append((t, _spring(t, "ERROR", r.choice(threads), "c.r.pricing.client.PromoClient",
                                        "promo lookup failed for sku=%d: 404 Not Found from GET http://promo-svc.retail.local/v1/promos/%d" % (r.randint(10000, 99999), r.randint(10000, 99999)))))
        if m >= onset:
            n = int(l5(m))
            for i in range(max(0, n - 1)):
                t = m + r.uniform(0, 59)
                th = r.choice(threads)
                ev[r.choice(tasks)].append((t, _spring(t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                    "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: "
                    "org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'scopedTarget.pricingProperties': "
                    "Could not bind properties to 'PricingProperties' : prefix=pricing] with root cause\n"
                    "org.springframework.boot.context.properties.bind.BindException: Failed to bind properties under 'pricing.rounding-mode' to java.math.RoundingMode\n"
                    "\tat org.springframework.boot.context.properties.bind.Binder.handleBindError(Binder.java:392)\n"
                    "\tat org.springframework.boot.context.properties.bind.Binder.bind(Binder.java:352)\n"
                    "\tat org.springframework.cloud.context.scope.GenericScope$BeanLifecycleWrapper.getBean(GenericScope.java:375)\n"
                    "\tat com.retail.pricing.service.PriceCalculator.round(PriceCalculator.java:88)\n"
                    "Caused by: org.springframework.core.convert.ConversionFailedException: Failed to convert from type [java.lang.String] to type [java.math.RoundingMode] for value [HALF_EVEN_UP]\n"
                    "\tat org.springframework.core.convert.support.ConversionUtils.invokeConverter(ConversionUtils.java:47)\n"
                    "\t... 61 common frames omitted\n"
                    "Caused by: java.lang.IllegalArgumentException: No enum constant java.math.RoundingMode.HALF_EVEN_UP\n"
                    "\tat java.base/java.lang.Enum.valueOf(Enum.java:273)\n"
                    "\tat org.springframework.core.convert.support.StringToEnumConverterFactory$StringToEnum.convert(StringToEnumConverterFactory.java:55)\n"
                    "\t... 63 common frames omitted")))
    for k in tasks:
        t = chg_t + 30 + r.uniform(0, 2)
        ev[k].append((t, _spring(t, "INFO", "pollingScheduler-1", "i.a.c.parameterstore.ParameterStorePropertySource",
                                 "Loaded 14 parameters from path /retail/prod/pricing/")))
        ev[k].append((t + 0.2, _spring(t + 0.2, "INFO", "pollingScheduler-1", "o.s.c.e.event.RefreshEventListener",
                                       "Refresh keys changed: [pricing.rounding-mode]")))
        ev[k].append((t + 0.3, _spring(t + 0.3, "WARN", "pollingScheduler-1", "o.s.c.c.s.GenericScope",
                                       "Destroying scoped bean 'scopedTarget.pricingProperties' after refresh")))
    logs = [stream("/ecs/pricing-svc", "ecs/pricing/%s" % k, ev[k]) for k in tasks]
    cat = [(t, _spring(t, "INFO", "main", "c.r.catalog.CatalogApplication", "Started CatalogApplication in 7.412 seconds (process running for 8.9)") )
           for t in [-3420, -3395]]
    cat += [(t, _spring(t, "INFO", "nio-8080-exec-3", "c.r.catalog.web.SkuController", "served sku page")) for t in poisson_times(r, 3)]
    logs.append(stream("/ecs/catalog-svc", "ecs/catalog/%s" % hexid(r), cat))
    res = [{"type": "ecs", "id": "%s/%s" % (cl, svc), "properties": {"launch_type": "FARGATE", "desired_count": 2, "image": "retail/pricing-svc:2.14.1", "log_groups": ["/ecs/pricing-svc"]}},
           {"type": "ecs", "id": "%s/catalog-svc" % cl, "properties": {"launch_type": "FARGATE", "desired_count": 2, "log_groups": ["/ecs/catalog-svc"]}},
           {"type": "alb", "id": lb, "properties": {"name": "retail-public", "targets": ["retail-prod/pricing-svc", "retail-prod/catalog-svc"]}}]
    chg = [change(-3600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "%s/catalog-svc" % cl, "codepipeline"),
           change(chg_t, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/retail/prod/pricing/rounding-mode", "mkowalski")]
    al = [alarm("retail-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 10,
                "GreaterThanThreshold", "ALARM", onset + 180, "retail public ALB target 5xx")]
    doc = scenario("h33-02-alb-5xx-ssm-param-spring", "Shoppers see errors pricing baskets; retail-public ALB 5xx alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "retail-public-target-5xx", "root_cause": {"category": "config_change", "resource": ["%s/%s" % (cl, svc), svc]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}]})
    return ("h33-02-alb-5xx-ssm-param-spring.yaml", doc,
            (reg, "retail-public-target-5xx (ALB target 5xx)", "config_change", "retail-prod/pricing-svc, pricing-svc", "front",
             "catalog-svc ECS deploy 1 h earlier; pre-existing PromoClient 404 ERRORs at constant rate; INFO/WARN refresh lines"),
            "An operator PutParameter on /retail/prod/pricing/rounding-mode 33 min before the page. pricing-svc's Spring Cloud "
            "parameter-store poller logs `Refresh keys changed: [pricing.rounding-mode]` 30 s later, and from then on requests fail "
            "with a BindException whose Caused-by chain ends in `No enum constant java.math.RoundingMode.HALF_EVEN_UP`: an invalid "
            "setting value. CPU/memory are flat; the only deploy (catalog-svc, 1 h before) is another service with clean metrics. "
            "The PromoClient 404 ERRORs are loud but identical before and after. Error names an invalid setting right after a "
            "parameter change: config_change on pricing-svc (alarm is on the ALB front).")


def s03():
    """Lambda Errors: IAM policy detached, kms:Decrypt AccessDenied naming the role."""
    r = random.Random(3303)
    reg, fn, role = "us-west-2", "invoice-renderer", "invoice-renderer-role"
    chg_t = -1560
    onset = chg_t + 20
    inv = counts(r, lambda t: 14 * diurnal(t))
    err = [[t, float(sum(1 for _ in range(int(v)) if t >= onset and r.random() < 0.72))] for t, v in inv]
    dur = series(lambda t: r.gauss(1900, 200) if t < onset else r.gauss(760, 150))
    key = "arn:aws:kms:us-west-2:418295730164:key/5b7f0c2e-91aa-4d3e-8c6b-2f0d7e1a9c44"

    def handler(t, q, fail, r):
        lines = [(0.003, "%s\t%s\tINFO\trendering invoice inv_%07d for tenant t_%03d" % (iso(t), q, r.randrange(9999999), r.randrange(400)))]
        if r.random() < 0.08:
            lines.append((0.2, "%s\t%s\tWARN\tfont 'Noto Sans JP' not found, falling back to 'DejaVu Sans'" % (iso(t + 0.2), q)))
        if fail:
            d = r.gauss(700, 120)
            lines.append((d / 1000 - 0.02, "%s\t%s\tERROR\tInvoke Error \t{\"errorType\":\"AccessDeniedException\",\"errorMessage\":\"User: "
                          "arn:aws:sts::418295730164:assumed-role/%s/%s is not authorized to perform: kms:Decrypt on resource: %s "
                          "because no identity-based policy allows the kms:Decrypt action\",\"name\":\"AccessDeniedException\",\"$fault\":\"client\","
                          "\"$metadata\":{\"httpStatusCode\":400,\"requestId\":\"%s\",\"attempts\":1,\"totalRetryDelay\":0},"
                          "\"stack\":[\"AccessDeniedException: User: arn:aws:sts::418295730164:assumed-role/%s/%s is not authorized to perform: kms:Decrypt\","
                          "\"    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:838:20)\","
                          "\"    at de_CommandError (/var/runtime/node_modules/@aws-sdk/client-kms/dist-cjs/index.js:1212:14)\","
                          "\"    at async decryptTenantKey (/var/task/src/crypto.js:31:19)\","
                          "\"    at async Runtime.handler (/var/task/src/index.js:44:22)\"]}" % (
                              iso(t + d / 1000), q, role, fn, key, rid(r), role, fn)))
            return lines, d, r.randint(150, 170), None
        d = max(600, r.gauss(1900, 220))
        lines.append((d / 1000 - 0.03, "%s\t%s\tINFO\tuploaded s3://invoices-prod/%s.pdf (%d KB)" % (iso(t + d / 1000), q, hexid(r, 12), r.randint(40, 400))))
        return lines, d, r.randint(180, 230), None
    logs = lambda_logs(r, fn, inv, err, handler, memory=1536)
    minv = counts(r, lambda t: 6)
    mets = lambda_metrics(fn, inv, err, dur) + lambda_metrics("receipt-mailer", minv, [[t, 0.0] for t, _ in minv],
                                                             series(lambda t: r.gauss(420, 60) + (40 if t > -2040 else 0)))
    res = [{"type": "lambda", "id": fn, "properties": {"runtime": "nodejs20.x", "timeout": 30, "memory_size": 1536, "role": role}},
           {"type": "lambda", "id": "receipt-mailer", "properties": {"runtime": "nodejs20.x", "timeout": 15, "memory_size": 512}}]
    chg = [change(-2040, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "receipt-mailer", "gha-deployer"),
           change(chg_t, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", role, "terraform-ci")]
    al = [alarm("invoice-renderer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3,
                "GreaterThanThreshold", "ALARM", onset + 200, "invoice renderer Lambda errors")]
    doc = scenario("h33-03-lambda-kms-accessdenied", "Invoice PDFs not being produced; invoice-renderer Errors alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "invoice-renderer-errors", "root_cause": {"category": "permission_denied", "resource": [fn, role]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]})
    return ("h33-03-lambda-kms-accessdenied.yaml", doc,
            (reg, "invoice-renderer-errors (Lambda Errors)", "permission_denied", "invoice-renderer, invoice-renderer-role", "origin",
             "receipt-mailer code deploy 8 min before the IAM change; pre-existing font-fallback WARN"),
            "terraform-ci detached a policy from invoice-renderer-role 26 min before the page; 20 s later ~70 % of invocations end "
            "in `AccessDeniedException ... assumed-role/invoice-renderer-role/invoice-renderer is not authorized to perform: "
            "kms:Decrypt`, and durations drop because the work stops at the decrypt step. The code deploy 8 min earlier is to a "
            "different function (receipt-mailer) whose errors stay at zero; the font-fallback WARN is constant. The error names "
            "the function's role and an IAM action: permission_denied, origin the function/its role.")


def _rails(t, lvl, pid, reqid, msg):
    return "%s, [%s #%d] %5s -- : [%s] %s" % (lvl[0], iso(t)[:-1].replace("Z", "") + "000", pid, lvl, reqid, msg)


def s04():
    """ALB 5xx on Rails EC2 fleet; RDS MySQL at max_connections."""
    r = random.Random(3304)
    reg, db = "ap-southeast-2", "bookings-mysql"
    lb = "app/bookings-alb/3e9d1c7a5b2f4e80"
    insts = [("i-04c2a9e1f7b3d5a86", "bookings-web-1"), ("i-0b7e3f1a9c5d2e614", "bookings-web-2")]
    onset = -1740
    conns = series(lambda t: r.gauss(64, 3) + 86 * smooth(t, -3900, onset) if t < onset else 150 - r.choice([0, 0, 0, 1, 2]))
    req = counts(r, lambda t: 420 * diurnal(t, 0.15))
    t5 = [[t, float(r.randint(0, 1) + (int(v * r.uniform(0.12, 0.2)) if t >= onset else 0))] for t, v in req]
    mets = alb_metrics(lb, req, t5, counts(r, lambda t: 0.1), series(lambda t: r.gauss(0.14, 0.02) + (0.3 * smooth(t, onset - 300, onset))),
                       series(lambda t: 2, nd=0), series(lambda t: 0, nd=0))
    mets += rds_metrics(db, conns, series(lambda t: r.gauss(28, 4)), series(lambda t: 312e9 - 2e6 * (t + 21600) / 60),
                        series(lambda t: r.gauss(5.1e9, 5e7)))
    for iid, _ in insts:
        mets += ec2_metrics(iid, series(lambda t: r.gauss(34, 5)), series(lambda t: r.gauss(61, 1)), series(lambda t: 44 + (t + 21600) / 21600.0))
    l5 = lookup(t5)
    ev = {iid: [] for iid, _ in insts}
    paths = ["/bookings/%d", "/bookings/%d/edit", "/properties/%d/availability", "/search?dest=%d"]
    for m in range(LOG_START, 0, 60):
        for i in range(8):
            t = m + r.uniform(0, 59)
            iid = r.choice(insts)[0]
            q, pid = hexid(r, 8) + "-" + hexid(r, 4), r.choice([2817, 2821, 2830])
            p = r.choice(paths) % r.randint(1000, 99999)
            ev[iid].append((t, _rails(t, "INFO", pid, q, "Started GET \"%s\" for 10.40.%d.%d" % (p, r.randint(1, 9), r.randint(2, 250)))))
            ev[iid].append((t + 0.09, _rails(t + 0.09, "INFO", pid, q, "Completed 200 OK in %dms (Views: %.1fms | ActiveRecord: %.1fms | Allocations: %d)" % (
                r.randint(40, 180), r.uniform(10, 60), r.uniform(3, 40), r.randint(8000, 40000)))))
        for i in range(2):  # loud pre-existing FATAL routing errors from scanners
            t = m + r.uniform(0, 59)
            ev[r.choice(insts)[0]].append((t, _rails(t, "FATAL", 2830, hexid(r, 8) + "-" + hexid(r, 4),
                                          "ActionController::RoutingError (No route matches [GET] \"/%s\"):" % r.choice(["wp-login.php", ".env", "phpmyadmin/index.php", "vendor/phpunit/eval-stdin.php"]))))
        if m >= onset:
            for i in range(min(10, int(l5(m)))):
                t = m + r.uniform(0, 59)
                q, pid = hexid(r, 8) + "-" + hexid(r, 4), r.choice([2817, 2821, 2830])
                ev[r.choice(insts)[0]].append((t, _rails(t, "FATAL", pid, q,
                    "ActiveRecord::ConnectionNotEstablished (Mysql2::Error::ConnectionError: Too many connections):\n"
                    "[%s]  \n[%s] mysql2 (0.5.5) lib/mysql2/client.rb:97:in `connect'\n[%s] mysql2 (0.5.5) lib/mysql2/client.rb:97:in `initialize'\n"
                    "[%s] activerecord (7.1.3) lib/active_record/connection_adapters/mysql2_adapter.rb:22:in `new'\n"
                    "[%s] app/controllers/bookings_controller.rb:23:in `show'" % (q, q, q, q, q))))
    logs = [stream("/bookings/rails/production", iid, ev[iid]) for iid, _ in insts]
    mev = [(t, "%s 0 [Note] [MY-010914] [Server] Aborted connection %d to db: 'bookings' user: 'bookings_app' host: '10.40.%d.%d' (Got an error reading communication packets)." % (
        iso(t), r.randint(100000, 999999), r.randint(1, 9), r.randint(2, 250))) for t in poisson_times(r, 0.3)]
    mev += [(t, "%s 0 [Warning] [MY-010055] [Server] IP address '10.40.%d.%d' could not be resolved: Name or service not known" % (
        iso(t), r.randint(1, 9), r.randint(2, 250))) for t in poisson_times(r, 0.05)]
    logs.append(stream("/aws/rds/instance/%s/error" % db, "%s" % db, mev))
    res = [{"type": "rds", "id": db, "properties": {"engine": "mysql", "engine_version": "8.0.39", "instance_class": "db.m6g.large", "max_connections": 150, "allocated_storage_gb": 400}}]
    res += [{"type": "ec2", "id": iid, "properties": {"name": n, "instance_type": "m6i.large", "log_groups": ["/bookings/rails/production"]}} for iid, n in insts]
    res += [{"type": "ec2", "id": "i-0e5d4c3b2a1908f7e", "properties": {"name": "bookings-reports", "instance_type": "r6i.large"}},
            {"type": "alb", "id": lb, "properties": {"name": "bookings-alb"}}]
    chg = [change(-9000, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", "i-0e5d4c3b2a1908f7e", "ops-ansible"),
           change(-6100, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes", "AWS::ElasticLoadBalancingV2::TargetGroup", "bookings-web-tg", "ops-ansible")]
    al = [alarm("bookings-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 20,
                "GreaterThanThreshold", "ALARM", onset + 180)]
    doc = scenario("h33-04-alb-5xx-mysql-too-many-connections", "Booking pages erroring; bookings-alb 5xx alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "bookings-alb-5xx", "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                    "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}]})
    return ("h33-04-alb-5xx-mysql-too-many-connections.yaml", doc,
            (reg, "bookings-alb-5xx (ALB target 5xx)", "db_connection_exhaustion", db, "front",
             "scanner RoutingError FATALs at constant rate; target-group attribute change 1.7 h before; reports instance attribute change"),
            "bookings-mysql's DatabaseConnections climbs from ~64 to its max_connections of 150 and sits there from 29 min ago; "
            "at that moment the Rails app starts logging `ActiveRecord::ConnectionNotEstablished (Mysql2::Error::ConnectionError: "
            "Too many connections)` and the ALB target 5xx climb. DB CPU and storage are normal and the web instances are "
            "healthy. The `RoutingError` FATALs from vulnerability scanners are loud but constant; the two configuration changes "
            "are hours old and on unrelated objects. Connection limit reached: db_connection_exhaustion on the database.")
