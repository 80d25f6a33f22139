"""h73-01..03: quote service rollout, session config on the profile Lambda, nightly dunning run."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import (alb, apigw, clef, ec2, ecs, every, lam, lam_logs, lines, load, php_err,
                  rds, zap)
from .runtimes import LambdaLogs, spring


def _task_streams(sc, prefix, n):
    return [f"{prefix}/{sc.hexid(32)}" for _ in range(n)]


# --------------------------------------------------------------------------- 01
def s01() -> Scenario:
    sc = Scenario(1, "quote-journey-5xx", "Public site returning 5xx on the quote journey; the "
                  "ALB target 5xx alarm paged platform on-call.", "eu-west-1", 7301,
                  "2026-03-04T10:25:00")
    T, DEPLOY, DECOY = -2860, -2950, -2875
    lb = f"app/pas-public/{sc.hexid(16)}"
    mono = "i-0" + sc.hexid(16)
    sc.resource("alb", lb, name="pas-public", scheme="internet-facing")
    sc.resource("ec2", mono, name="pas-app-01", instance_type="m5.2xlarge",
                platform="Amazon Linux 2 / Tomcat 9 / Java 11",
                log_groups=["/pas/app/catalina", "/pas/app/access"])
    sc.resource("ecs", "pas-modern/quote-svc", launch_type="FARGATE", desired_count=3,
                cpu=512, memory=1024, image="quote-svc:2.14.0")
    sc.resource("ecs", "pas-modern/docs-svc", launch_type="FARGATE", desired_count=2)
    sc.resource("lambda", "broker-sync", runtime="python3.12", timeout=60, memory_size=256)
    sc.resource("rds", "pas-main", engine="postgres", engine_version="14.10",
                instance_class="db.r6g.xlarge", max_connections=1600, allocated_storage_gb=500)
    req = load(sc, 300)
    t5 = lambda t: 1.6 + 34.0 * ramp(t, T, T + 300)
    alb(sc, lb, req, lambda t: 0.21 + 0.04 * ramp(t, T, T + 300), t5,
        healthy=lambda t: 5 + 3 * bump(t, DEPLOY + 60, DEPLOY + 420, 1, 1))
    ec2(sc, mono, lambda t: 41 * diurnal(sc, t), mem=lambda t: 78.0, disk=lambda t: 61.0)
    ecs(sc, "pas-modern", "quote-svc", lambda t: 24 * diurnal(sc, t), lambda t: 38.0,
        lambda t: 3 + 3 * bump(t, DEPLOY + 30, DEPLOY + 400, 1, 1))
    ecs(sc, "pas-modern", "docs-svc", lambda t: 9.0, lambda t: 31.0, lambda t: 2)
    inv = lambda t: 6 + 40 * ((t // 60) % 15 == 0)
    lam(sc, "broker-sync", inv, lambda t: 0.0, lambda t: 2300.0)
    rds(sc, "pas-main", lambda t: 28 * diurnal(sc, t), lambda t: 210, lambda t: 288.0)

    # quote-svc: three old tasks until the rollout, three new ones after
    old = _task_streams(sc, "ecs/quote-svc", 3)
    new = _task_streams(sc, "ecs/quote-svc", 3)
    g = "/ecs/quote-svc"
    prod = ["MTR", "HOME", "HOME_CONTENTS", "LANDLORD"]

    def ok(t, st="200"):
        return zap(sc, t, "info", "httpserver/log.go:41", "request", method="POST",
                   path="/api/quotes", status=int(st), duration_ms=sc.rng.randint(40, 190),
                   product=sc.rng.choice(prod), quote_id=f"Q{sc.rng.randint(10**7, 10**8)}")

    def stale(t):
        return zap(sc, t, "warn", "rating/cache.go:112", "rating table cache stale, refreshing",
                   table="ncd_bands", age_s=sc.rng.randint(600, 900))

    for s, (a, b, ver) in zip(old + new, [(-21600, DEPLOY + 300, "2.13.4")] * 3 +
                              [(DEPLOY + 40, 0, "2.14.0")] * 3):
        if a > -21600:
            sc.log(g, s, a + 0.4, zap(sc, a + 0.4, "info", "cmd/server/main.go:58",
                                      "starting quote-svc", version=ver, commit="9c41e7a",
                                      addr=":8080"))
        every(sc, g, s, 600, stale, start=a, end=b)

        def mk(t, v=ver):
            if v == "2.14.0" and t > T and sc.rng.random() < 0.42 * ramp(t, T, T + 240):
                gid = sc.rng.randint(2000, 9000)
                return [(0, zap(sc, t, "error", "httpserver/recover.go:27", "panic recovered",
                                path="/api/quotes", error="runtime error: invalid memory address "
                                "or nil pointer dereference", stacktrace=f"goroutine {gid} [running]:"
                                "\ngithub.com/pas/quote-svc/internal/rating.(*Engine)."
                                "applyNoClaimsDiscount(0xc0004a2e10, 0xc00031c000)\n\t/src/internal/"
                                "rating/discount.go:73 +0x1c4\ngithub.com/pas/quote-svc/internal/"
                                "rating.(*Engine).Price(...)\n\t/src/internal/rating/engine.go:141"
                                " +0x3a9")),
                        (0.002, ok(t, "500"))]
            return ok(t)
        lines(sc, g, s, lambda t: 2.2 * diurnal(sc, t), mk, start=max(a, -21600), end=b)
        if b < 0:
            sc.log(g, s, b - 1, zap(sc, b - 1, "info", "cmd/server/main.go:92",
                                    "received SIGTERM, draining", inflight=sc.rng.randint(0, 4)))

    # monolith: chronic noise, same rate all along
    cat, acc = "/pas/app/catalina", "/pas/app/access"
    app = "policy-admin"
    lines(sc, cat, mono, lambda t: 1.0, lambda t: spring(
        sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}", "o.h.h.i.a.QueryTranslatorImpl",
        "HHH000104: firstResult/maxResults specified with collection fetch; applying in memory!",
        app))
    lines(sc, cat, mono, lambda t: 0.35, lambda t: spring(
        sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}",
        "o.a.c.c.C.[.[.[/].[dispatcherServlet]", "Servlet.service() for servlet "
        "[dispatcherServlet] threw exception org.springframework.web.HttpMediaTypeNotAcceptable"
        "Exception: Could not find acceptable representation", app))
    lines(sc, cat, mono, lambda t: 1.5, lambda t: spring(
        sc, t, "INFO", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}", "c.p.policy.RenewalService",
        f"Renewal invite generated policy=P{sc.rng.randint(10**6, 10**7)}", app))
    paths = ["/policy/view", "/policy/documents", "/renewals/list", "/claims/history", "/login"]
    lines(sc, acc, mono, lambda t: 4 * diurnal(sc, t), lambda t: tomcat_line(sc, t, paths))
    every(sc, "/aws/lambda/broker-sync", "2026/03/04/[$LATEST]" + sc.hexid(32), 900,
          lambda t: f"[INFO]\t{sc.iso(t)}\t{sc.uuid()}\tsynced 412 broker records from legacy "
          "table BROKER_MASTER")

    sc.change(-16480, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "docs-svc", "github-actions-deploy")
    sc.change(-16460, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "pas-modern/docs-svc", "github-actions-deploy")
    sc.change(-9120, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "pas-modern/docs-svc", "github-actions-deploy")
    sc.change(-6010, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "broker-sync", "github-actions-deploy")
    sc.change(DEPLOY - 15, "ecs.amazonaws.com", "RegisterTaskDefinition",
              "AWS::ECS::TaskDefinition", "quote-svc", "github-actions-deploy")
    sc.change(DEPLOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "pas-modern/quote-svc", "github-actions-deploy")
    sc.change(DECOY, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "broker-sync", "a.okafor")
    sc.alarm("pas-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 15, "GreaterThanThreshold",
             "Public site: targets returning 5xx")
    sc.alarm("pas-app-01-memory", "CWAgent", "mem_used_percent", {"InstanceId": mono},
             "Average", 300, 2, 75, "GreaterThanThreshold", "Monolith host memory")
    sc.expect = {"alarm": "pas-public-target-5xx",
                 "root_cause": {"category": "bad_deployment",
                                "resource": ["pas-modern/quote-svc", "quote-svc"]}}
    sc.meta = dict(
        alarm_on="front (ALB)", decoys="broker-sync config change 75 s after the rollout and "
        "15 s before the first errors; docs-svc "
        "deploy churn; monolith's chronic HHH000104/servlet errors; monolith memory alarm in ALARM "
        "for hours",
        story="The quote journey was carved out of the Java policy-admin monolith into the Go "
        "`quote-svc` on ECS. At about -49 min a GitHub Actions rollout registered a new task "
        "definition and updated the service; three 2.14.0 tasks started and, from about -48 min, "
        "roughly 40 % of their requests log `panic recovered ... nil pointer dereference` in "
        "`applyNoClaimsDiscount` followed by a 500. The 2.13.4 tasks never logged it. The ALB's "
        "target 5xx go from about 2/min (the monolith's long-standing servlet errors) to 35/min. "
        "The `broker-sync` configuration update is closer to the onset but that function's "
        "metrics and logs do not change, and the monolith's warnings run at the same rate all "
        "six hours.")
    return sc


def tomcat_line(sc, t, paths, slow=0.0, err=0.01):
    from .kit import tomcat
    st = 500 if sc.rng.random() < err else 200
    return tomcat(sc, t, sc.ip("10.20"), "GET", sc.rng.choice(paths), st,
                  sc.rng.randint(900, 24000), sc.rng.gauss(140, 40) + slow)


# --------------------------------------------------------------------------- 02
def s02() -> Scenario:
    sc = Scenario(2, "mobile-profile-5xx", "Mobile app users cannot open their account page; "
                  "the mobile API 5xx alarm fired.", "us-east-1", 7302, "2026-03-06T16:10:00")
    T, CFG, DECOY = -2150, -2200, -2170
    fn, api = "acct-profile", "storefront-mobile"
    mono = "i-0" + sc.hexid(16)
    lb = f"app/storefront-www/{sc.hexid(16)}"
    sc.resource("apigateway", api, stage="prod", api_id=sc.hexid(10))
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=512,
                handler="dist/handler.main")
    sc.resource("lambda", "cart-events", runtime="nodejs20.x", timeout=30, memory_size=256)
    sc.resource("ecs", "storefront-apps/search", launch_type="FARGATE", desired_count=4)
    sc.resource("ec2", mono, name="sf-legacy-web-1", instance_type="c5.2xlarge",
                platform="PHP 8.1 / Apache", log_groups=["/storefront/php-error"])
    sc.resource("alb", lb, name="storefront-www")
    inv = load(sc, 46, 0.25, 18)
    err = lambda t: 0.84 * inv(t) * ramp(t, T, T + 90)
    inv_v, err_v = lam(sc, fn, inv, err, lambda t: 95.0 - 60 * ramp(t, T, T + 90))
    apigw(sc, api, lambda t: inv(t) * 1.9, lambda t: 4.0, lambda t: 0.2 + err(t),
          lambda t: 120.0 - 40 * ramp(t, T, T + 90))
    ce = load(sc, 20, 0.25, 18)
    lam(sc, "cart-events", ce, lambda t: 0.0, lambda t: 180.0)
    ecs(sc, "storefront-apps", "search", lambda t: 33 * diurnal(sc, t, 18), lambda t: 52.0,
        lambda t: 4)
    ec2(sc, mono, lambda t: 46 * diurnal(sc, t, 18), mem=lambda t: 63.0, disk=lambda t: 58.0)
    alb(sc, lb, load(sc, 520, 0.25, 18), lambda t: 0.33, lambda t: 3.0, healthy=lambda t: 6)

    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 10, retire=[CFG], mem_used=(118, 9))

    def body(ll, t, rid, is_err, cold):
        cid = sc.rng.randint(10 ** 6, 10 ** 7)
        init = []
        if cold:
            init = [(0.05, ll.fmt(t - 0.3, "undefined", "INFO",
                                  "config loaded {\"sessionBridge\":\"legacy-php\",\"cookie\":"
                                  "\"SFSESSID\"}"))]
        if is_err:
            return {"dur": sc.rng.uniform(20, 45), "status": "error", "init_lines": init,
                    "error_type": "ConfigError", "lines": [(0.02, ll.fmt(
                        t, rid, "ERROR", "Invoke Error \t{\"errorType\":\"ConfigError\","
                        "\"errorMessage\":\"LEGACY_SESSION_KEY_ARN is not a valid Secrets Manager "
                        "ARN: 'storefront/prod/php-session-key'\",\"stack\":[\"ConfigError: "
                        "LEGACY_SESSION_KEY_ARN is not a valid Secrets Manager ARN\",\"    at "
                        "requireArn (/var/task/dist/config.js:41:11)\",\"    at "
                        "verifyLegacySession (/var/task/dist/session.js:88:19)\",\"    at "
                        "Runtime.main [as handler] (/var/task/dist/handler.js:23:25)\"]}"))]}
        ln = [(0.01, ll.fmt(t, rid, "INFO", f"profile fetched {{\"customerId\":{cid},"
                            "\"source\":\"legacy-session\"}"))]
        if sc.rng.random() < 0.04:
            ln.append((0.012, ll.fmt(t, rid, "WARN", "legacy session close to expiry, "
                                     f"re-issuing {{\"customerId\":{cid}}}")))
        return {"dur": sc.rng.gauss(95, 25), "lines": ln, "init_lines": init}
    lam_logs(ll, inv_v, err_v, 4, body, start=-14400)

    pe = "/storefront/php-error"
    lines(sc, pe, mono, lambda t: 1.2, lambda t: php_err(
        sc, t, "PHP Warning:  Undefined array key \"utm_source\" in /var/www/storefront/app/"
        "Tracking/Attribution.php on line 57"))
    lines(sc, pe, mono, lambda t: 0.2, lambda t: php_err(
        sc, t, "PHP Fatal error:  Uncaught RedisException: read error on connection to "
        "sessions.cache.internal:6379 in /var/www/storefront/lib/Session/RedisHandler.php:112"))
    sc.change(-15020, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "storefront-apps/search", "gitlab-runner-deploy")
    sc.change(-7810, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "storefront-apps/search", "gitlab-runner-deploy")
    sc.change(CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "terraform-cloud")
    sc.change(DECOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "cart-events", "gitlab-runner-deploy")
    sc.change(DECOY + 12, "lambda.amazonaws.com", "PublishVersion20150331",
              "AWS::Lambda::Function", "cart-events", "gitlab-runner-deploy")
    sc.alarm("storefront-mobile-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60,
             3, 10, "GreaterThanThreshold", "Mobile BFF 5xx")
    sc.alarm("storefront-mobile-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300,
             1, 30, "GreaterThanThreshold")
    sc.expect = {"alarm": "storefront-mobile-5xx",
                 "root_cause": {"category": "config_change", "resource": [fn]}}
    sc.meta = dict(
        alarm_on="front (API Gateway)", decoys="cart-events code deploy 30 s after the config "
        "update; search-svc deploy churn; chronic 401s on the API; monolith's chronic PHP "
        "warnings and Redis read errors",
        story="The account page moved from the PHP storefront to the Node `acct-profile` "
        "Lambda, which still validates the monolith's PHP session. Terraform updated the "
        "function's configuration at about -37 min; every environment created after that logs "
        "`ConfigError: LEGACY_SESSION_KEY_ARN is not a valid Secrets Manager ARN` on each "
        "authenticated call (84 % of invocations). The error names the setting, and the "
        "`cart-events` code deploy, though later, leaves that function clean. The API's 4xx "
        "(expired tokens) and the monolith's PHP warnings are the same before and after.")
    return sc


# --------------------------------------------------------------------------- 03
def s03() -> Scenario:
    sc = Scenario(3, "billing-edge-5xx", "Billing portal and payment API returning errors "
                  "overnight; edge 5xx alarm.", "ca-central-1", 7303, "2026-03-03T07:44:00")
    T = -2640
    db = "bss-mysql-01"
    web, batch = "i-0" + sc.hexid(16), "i-0" + sc.hexid(16)
    lb = f"app/bss-edge/{sc.hexid(16)}"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=420, allocated_storage_gb=800)
    sc.resource("ec2", web, name="bss-web-01", instance_type="m6i.xlarge",
                platform="Tomcat 9 / Java 11", log_groups=["/bss/web/app"])
    sc.resource("ec2", batch, name="bss-batch-01", instance_type="m6i.large",
                platform="cron + Java 11 batch", log_groups=["/bss/batch/cron", "/bss/batch/jobs"])
    sc.resource("ecs", "bss-apps/payments-api", launch_type="FARGATE", desired_count=3)
    sc.resource("alb", lb, name="bss-edge")
    conns = lambda t: 148 + 292 * ramp(t, T + 20, T + 330)
    rds(sc, db, lambda t: 31 + 22 * ramp(t, T, T + 300), conns, lambda t: 412.0,
        mem_gb=lambda t: 6.1 - 0.6 * ramp(t, T, T + 300), conn_cap=420.0)
    full = lambda t: ramp(t, T + 240, T + 400)
    req = load(sc, 140, 0.3, 14)
    alb(sc, lb, req, lambda t: 0.16 + 2.4 * full(t), lambda t: 0.8 + 0.3 * req(t) * full(t))
    ec2(sc, web, load(sc, 23, 0.3, 14), mem=lambda t: 66.0, disk=lambda t: 49.0)
    hourly = [h + 1260 for h in range(-21600, 0, 3600)]
    ec2(sc, batch, lambda t: 6 + 48 * ramp(t, T, T + 200) + 18 * any(0 <= t - x < 180
                                                                       for x in hourly),
        mem=lambda t: 41 + 28 * ramp(t, T, T + 200), disk=lambda t: 37.0)
    ecs(sc, "bss-apps", "payments-api", lambda t: 14.0, lambda t: 44.0,
        lambda t: 3 + 3 * bump(t, T - 560, T - 300, 1, 1))

    pay = "/ecs/payments-api"
    ps = _task_streams(sc, "ecs/payments-api", 3)
    for i, s in enumerate(ps):
        def mk(t):
            if full(t) > 0 and sc.rng.random() < 0.7 * full(t):
                return clef(sc, t, "Error", "Payment {PaymentId} failed",
                            "MySqlConnector.MySqlException (0x80004005): Too many connections\n"
                            "   at MySqlConnector.Core.ServerSession.ConnectAsync(...)\n   at "
                            "MySqlConnector.MySqlConnection.CreateSessionAsync(...)\n   at "
                            "Bss.Payments.Data.LedgerRepository.PostAsync(Payment p) in "
                            "/src/Bss.Payments/Data/LedgerRepository.cs:line 61",
                            PaymentId=f"pm_{sc.hexid(12)}", SourceContext="Bss.Payments.Api")
            return clef(sc, t, "Information", "HTTP {RequestMethod} {RequestPath} responded "
                        "{StatusCode} in {Elapsed:0.0000} ms", RequestMethod="POST",
                        RequestPath="/api/payments", StatusCode=201,
                        Elapsed=round(sc.rng.uniform(20, 90), 4),
                        SourceContext="Serilog.AspNetCore.RequestLoggingMiddleware")
        lines(sc, pay, s, load(sc, 1.6, 0.3, 14), mk)
        lines(sc, pay, s, lambda t: 0.15, lambda t: clef(
            sc, t, "Warning", "Legacy ledger row {Id} has no currency, defaulting to {Ccy}",
            Id=sc.rng.randint(10 ** 7, 10 ** 8), Ccy="CAD", SourceContext="Bss.Payments.Legacy"))

    app = "bss-web"
    wl = "/bss/web/app"
    lines(sc, wl, web, lambda t: 0.5, lambda t: spring(
        sc, t, "ERROR", f"http-nio-8443-exec-{sc.rng.randint(1, 150)}",
        "o.a.c.c.C.[.[localhost].[/].[jsp]", "Servlet.service() threw exception "
        "org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe", app))
    every(sc, wl, web, 1260, lambda t: spring(
        sc, t, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
        "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m2s).", app))

    def wmk(t):
        if full(t) > 0 and sc.rng.random() < 0.65 * full(t):
            return spring(sc, t, "ERROR", f"http-nio-8443-exec-{sc.rng.randint(1, 150)}",
                          "o.h.engine.jdbc.spi.SqlExceptionHelper",
                          "HikariPool-1 - Connection is not available, request timed out after "
                          "30000ms. Caused by: java.sql.SQLNonTransientConnectionException: Data "
                          "source rejected establishment of connection, message from server: "
                          "\"Too many connections\"", app)
        return spring(sc, t, "INFO", f"http-nio-8443-exec-{sc.rng.randint(1, 150)}",
                      "c.b.billing.web.InvoiceController",
                      f"Invoice list rendered account={sc.rng.randint(10**6, 10**7)}", app)
    lines(sc, wl, web, load(sc, 2.0, 0.3, 14), wmk)

    cron, jobs = "/bss/batch/cron", "/bss/batch/jobs"
    for t5 in hourly:
        sc.log(cron, batch, t5, f"{sc.at(t5).strftime('%b %d %H:%M:%S')} bss-batch-01 CROND["
               f"{sc.rng.randint(2000, 30000)}]: (bssbatch) CMD (/opt/bss/bin/run-job.sh "
               "usage-import)")
        sc.log(jobs, batch, t5 + 3, spring(sc, t5 + 3, "INFO", "main", "c.b.batch.UsageImport",
                                           "imported 1,812 usage files, 0 rejected", "bss-batch"))
    sc.log(cron, batch, T + 0.4, f"{sc.at(T).strftime('%b %d %H:%M:%S')} bss-batch-01 CROND[2231]:"
           " (bssbatch) CMD (/opt/bss/bin/run-job.sh dunning-nightly)")
    sc.log(jobs, batch, T + 4, spring(sc, T + 4, "INFO", "main", "c.b.batch.DunningRunner",
                                      "partitioning 1,284,112 accounts into 64 slices "
                                      "(threads=64, connection-per-slice)", "bss-batch"))
    lines(sc, jobs, batch, lambda t: 3.0, lambda t: spring(
        sc, t, "INFO", f"slice-{sc.rng.randint(1, 64)}", "c.b.batch.DunningRunner",
        f"slice progress {sc.rng.randint(1, 90)}%", "bss-batch"), start=T + 30)
    lines(sc, jobs, batch, lambda t: 1.5 * full(t), lambda t: spring(
        sc, t, "WARN", f"slice-{sc.rng.randint(1, 64)}", "c.b.batch.DunningRunner",
        "retrying connect (Too many connections)", "bss-batch"), start=T + 200)
    el = f"/aws/rds/instance/{db}/error"
    lines(sc, el, db, lambda t: 0.2, lambda t: mysql_line(
        sc, t, "Warning", "MY-013360", "Plugin mysql_native_password reported: "
        "''mysql_native_password' is deprecated and will be removed in a future release.'"))
    lines(sc, el, db, lambda t: 2.0 * full(t), lambda t: mysql_line(
        sc, t, "Note", "MY-010914", f"Aborted connection {sc.rng.randint(80000, 99999)} to db: "
        f"'bss' user: 'bss_app' host: '{sc.ip('10.40')}' (Got an error reading communication "
        "packets)."), start=T)
    sc.change(-12100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "bss-apps/payments-api", "azure-devops-release")
    sc.change(T - 560, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "bss-apps/payments-api", "azure-devops-release")
    sc.alarm("bss-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 20, "GreaterThanThreshold")
    sc.expect = {"alarm": "bss-edge-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]}}
    sc.meta = dict(
        alarm_on="front (ALB)", decoys="payments-api rollout 9 min before onset; monolith's chronic "
        "Broken pipe errors and Hikari housekeeper warnings; hourly usage-import cron runs; "
        "deprecation warnings in the MySQL error log",
        story="The billing monolith (Tomcat) and the new .NET `payments-api` share "
        "`bss-mysql-01` (max_connections 420). At 02:00 local the legacy `dunning-nightly` cron "
        "on bss-batch-01 starts 64 slices with a connection each and retries on failure; "
        "DatabaseConnections climb from ~150 to 420 and stay there. Both the monolith and the "
        "payments API then fail with `Too many connections`; the MySQL log shows aborted "
        "connections. The payments-api rollout 9 min earlier is a decoy: its tasks were healthy "
        "afterwards and the unchanged monolith fails the same way.")
    return sc


def mysql_line(sc, t, level, code, msg):
    from .runtimes import mysql
    return mysql(sc, t, 0, level, code, msg)
