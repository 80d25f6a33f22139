"""h26-01 invoice-api bad image deploy (ECS, ALB alarm) and
h26-02 notification-sender bad environment variable (Lambda, own alarm)."""
from __future__ import annotations

import datetime as dt

from .common import (MINUTES, Scenario, alb_metrics, ecs_metrics, gauss, lambda_metrics,
                     poisson, rds_metrics, simple_lambda_model, diurnal)
from .logfmt import LambdaLogs, log_minutes, pg, py, py_unhandled, spread, spring

ACCT = "491783626154"


# =========================================================================== 01
def _spring_boot(sc, t, app, ver, logger_main):
    L = []
    lines = [
        (0.0, "INFO", "main", logger_main, "Starting %s v%s using Java 17.0.9 with PID 1 (/app/app.jar started by app in /app)" % (logger_main.split(".")[-1], ver)),
        (0.3, "INFO", "main", logger_main, 'The following 1 profile is active: "prod"'),
        (6.1, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
        (9.4, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
        (9.9, "INFO", "main", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@%s" % sc.hexid(8)),
        (9.9, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
        (16.8, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
        (17.0, "INFO", "main", logger_main, "Started %s in 17.214 seconds (process running for 18.9)" % logger_main.split(".")[-1]),
    ]
    for off, lvl, th, lg, msg in lines:
        L.append((t + off, spring(sc, t + off, lvl, th, lg, msg, app)))
    return L


NPE = ('Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception '
       '[Request processing failed: java.lang.NullPointerException: Cannot invoke "java.math.BigDecimal.multiply(java.math.BigDecimal)" '
       'because the return value of "com.acme.billing.tax.TaxRule.getRate()" is null] with root cause\n\n'
       'java.lang.NullPointerException: Cannot invoke "java.math.BigDecimal.multiply(java.math.BigDecimal)" because the return value of "com.acme.billing.tax.TaxRule.getRate()" is null\n'
       '\tat com.acme.billing.tax.TaxCalculator.lineTax(TaxCalculator.java:88)\n'
       '\tat com.acme.billing.tax.TaxCalculator.lambda$totals$2(TaxCalculator.java:61)\n'
       '\tat java.base/java.util.stream.ReferencePipeline$3$1.accept(ReferencePipeline.java:197)\n'
       '\tat java.base/java.util.ArrayList$ArrayListSpliterator.forEachRemaining(ArrayList.java:1625)\n'
       '\tat com.acme.billing.tax.TaxCalculator.totals(TaxCalculator.java:63)\n'
       '\tat com.acme.billing.invoice.InvoiceService.render(InvoiceService.java:142)\n'
       '\tat com.acme.billing.invoice.InvoiceController.render(InvoiceController.java:57)\n'
       '\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n'
       '\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:254)\n'
       '\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)\n'
       '\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)\n'
       '\tat java.base/java.lang.Thread.run(Thread.java:840)')


def build_01():
    sc = Scenario("h26-01-invoice-api-5xx-after-image-deploy", 2601, "eu-west-1",
                  "Billing ALB target 5XX alarm; customers report 'something went wrong' when opening invoices.",
                  dt.datetime(2026, 11, 17, 10, 42, 0))
    rng = sc.rng
    lb = "app/billing-alb/3f9a1c2b7d4e5a60"
    sc.resource("alb", lb, name="billing-alb", scheme="internet-facing",
                target_groups=["billing-invoice-api-tg", "billing-portal-tg"])
    sc.resource("ecs", "billing/invoice-api", cluster="billing", service_name="invoice-api",
                launch_type="FARGATE", task_cpu=1024, task_memory=2048, desired_count=4,
                task_definition="invoice-api:88", log_groups=["/ecs/invoice-api"])
    sc.resource("ecs", "billing/dunning-worker", cluster="billing", service_name="dunning-worker",
                launch_type="FARGATE", task_cpu=512, task_memory=1024, desired_count=2,
                task_definition="dunning-worker:41", log_groups=["/ecs/dunning-worker"])
    sc.resource("rds", "billing-pg", engine="postgres", engine_version="15.5",
                instance_class="db.r6g.large", max_connections=1000, allocated_storage_gb=200)

    dep = -2560
    new_up = [-2510, -2450, -2390, -2330]           # new tasks healthy
    def frac_new(t):
        return sum(1 for u in new_up if t >= u) / 4.0

    req, t5, e5, rt, hh, uh, t4 = {}, {}, {}, {}, {}, {}, {}
    for t in MINUTES:
        base = 300 * diurnal(t, 0.25, phase_h=-4)
        n = poisson(rng, base)
        bad = poisson(rng, 0.12 * n * frac_new(t + 30))
        req[t] = n
        t5[t] = bad + poisson(rng, 0.3)
        e5[t] = poisson(rng, 0.05)
        t4[t] = poisson(rng, 6)
        rt[t] = gauss(rng, 0.086, 0.008, 0.05)
        hh[t] = 4 + (1 if dep + 30 <= t <= new_up[-1] + 60 else 0)
        uh[t] = 0
    alb_metrics(sc, lb, req, t5, e5, rt, hh, uh, t4)

    ecs_metrics(sc, "billing", "invoice-api",
                lambda t: gauss(rng, 27, 3) + (30 if dep <= t <= dep + 240 else 0),
                lambda t: gauss(rng, 57, 1.2) - (8 if dep <= t <= dep + 600 else 0))
    ecs_metrics(sc, "billing", "dunning-worker",
                lambda t: gauss(rng, 11, 2.5, 2) + (25 if -3300 <= t <= -3120 else 0),
                lambda t: gauss(rng, 41, 1.0))
    rds_metrics(sc, "billing-pg", lambda t: gauss(rng, 17, 3, 5), lambda t: gauss(rng, 46, 2),
                lambda t: 141.2 - (t + 21600) / 21600.0 * 0.3, lambda t: gauss(rng, 0.0011, 0.0002, 0.0004),
                lambda t: gauss(rng, 0.0016, 0.0003, 0.0005), lambda t: gauss(rng, 5.6, 0.05),
                lambda t: gauss(rng, 210, 30, 20), lambda t: gauss(rng, 95, 15, 10))

    # ---- logs: one stream per task
    app = "invoice-api"
    old = [sc.hexid() for _ in range(4)]
    new = [sc.hexid() for _ in range(4)]
    streams = {tid: [] for tid in old + new}
    stop_old = {old[i]: new_up[i] + 20 for i in range(4)}
    for i, tid in enumerate(new):
        streams[tid] += _spring_boot(sc, new_up[i] - 18, app, "2.31.0", "com.acme.billing.InvoiceApiApplication")
    for tid in old:
        s = stop_old[tid]
        streams[tid] += [
            (s, spring(sc, s, "INFO", "ionShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete", app)),
            (s + 1.2, spring(sc, s + 1.2, "INFO", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown", "Graceful shutdown complete", app)),
            (s + 1.5, spring(sc, s + 1.5, "INFO", "ionShutdownHook", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Shutdown completed.", app))]
    customers = ["cus_%05d" % rng.randint(10000, 99999) for _ in range(60)]
    for t in log_minutes():
        live = [tid for tid in old if t < stop_old[tid]] + \
               [new[i] for i in range(4) if t >= new_up[i]]
        for tt in spread(rng, t, poisson(rng, req.get(t, 300) * 0.05)):
            tid = rng.choice(live)
            inv = "INV-2026-%06d" % rng.randint(100000, 140000)
            streams[tid].append((tt, spring(sc, tt, "INFO", "nio-8080-exec-%d" % rng.randint(1, 40), "c.a.billing.invoice.InvoiceService",
                                            "Rendered invoice %s for %s (lines=%d, currency=%s) in %d ms" % (inv, rng.choice(customers), rng.randint(1, 14), rng.choice(["EUR", "EUR", "GBP", "USD"]), rng.randint(40, 180)), app)))
        for tt in spread(rng, t, poisson(rng, 3)):
            tid = rng.choice(live)
            streams[tid].append((tt, spring(sc, tt, "WARN", "nio-8080-exec-%d" % rng.randint(1, 40), "c.a.billing.web.LegacyClientFilter",
                                            "Deprecated API version header X-Api-Version=2019-10 from client %s; please migrate to 2024-05" % rng.choice(["partner-xero", "partner-sage", "zapier"]), app)))
        if t % 300 == 0:
            for tid in live:
                streams[tid].append((t + 2.0, spring(sc, t + 2.0, "INFO", "scheduling-1", "c.a.billing.fx.FxRateCache", "Refreshed FX rate cache (31 currencies) in %d ms" % rng.randint(30, 90), app)))
        errs = t5.get(t, 0)
        newlive = [new[i] for i in range(4) if t >= new_up[i]]
        for tt in spread(rng, t, errs):
            if not newlive:
                break
            tid = rng.choice(newlive)
            streams[tid].append((tt, spring(sc, tt, "ERROR", "nio-8080-exec-%d" % rng.randint(1, 40), "o.a.c.c.C.[.[.[/].[dispatcherServlet]", NPE, app)))
    for tid, ev in streams.items():
        sc.log("/ecs/invoice-api", "ecs/invoice-api/" + tid, ev)

    # dunning-worker: python worker, routine redeploy at -3300
    dw = []
    for t in log_minutes():
        if t == -3300:
            dw.append((t + 5, '{"ts":"%s","level":"INFO","logger":"dunning.main","msg":"dunning-worker 1.14.2 starting, queue=billing-dunning"}' % sc.iso(t + 5)))
        dw.append((t + 11, '{"ts":"%s","level":"INFO","logger":"dunning.batch","msg":"Processed dunning batch","sent":%d,"failed":0,"duration_ms":%d}' % (sc.iso(t + 11), rng.randint(0, 14), rng.randint(200, 900))))
    sc.log("/ecs/dunning-worker", "ecs/dunning-worker/" + sc.hexid(), dw)

    pgl = []
    for t in range(-10800, 0, 300):
        pgl.append((t + 7, pg(sc, t + 7, "", "@", 612, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, 1 recycled; write=%.3f s, sync=0.004 s, total=%.3f s" % (rng.randint(900, 2600), rng.uniform(0.5, 1.9), rng.uniform(20, 40), rng.uniform(20, 41)))))
    sc.log("/aws/rds/instance/billing-pg/postgresql", "billing-pg.0", pgl)

    sc.change(-3320, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "dunning-worker", "github-actions-deploy")
    sc.change(-3300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "billing/dunning-worker", "github-actions-deploy")
    sc.change(dep - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "invoice-api", "github-actions-deploy")
    sc.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "billing/invoice-api", "github-actions-deploy")

    sc.alarm("billing-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 1, 60, "GreaterThanThreshold", "ALARM", None, "Billing ALB: targets returning 5XX")
    sc.expect = {"alarm": "billing-alb-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": ["billing/invoice-api", "invoice-api"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(front="front (ALB)", decoys="dunning-worker routine ECS deploy 12 min earlier; pre-existing LegacyClientFilter WARN at constant rate; healthy billing-pg",
                   story="invoice-api v2.31.0 was rolled out (RegisterTaskDefinition + UpdateService) at -43 min. As each new Fargate task became healthy, a new NullPointerException in TaxCalculator.lineTax (TaxRule.getRate() null) appeared only on the new tasks' log streams, and the ALB's target 5XX count rose in steps with the share of new tasks. Latency, CPU, memory and the database are flat. The dunning-worker deploy 12 minutes earlier is a different service whose logs stay clean, and the LegacyClientFilter warning is as frequent before as after. Judgement: a code/image deployment right before onset, with a new error signature only after it: bad_deployment on billing/invoice-api, even though the page came from the ALB.")
    return sc


# =========================================================================== 02
def build_02():
    sc = Scenario("h26-02-notification-sender-invalid-env", 2602, "us-east-1",
                  "notification-sender Errors alarm; transactional emails (password resets, receipts) are not going out.",
                  dt.datetime(2026, 11, 18, 15, 20, 0))
    rng = sc.rng
    fn = "notification-sender"
    sc.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=256,
                event_source="sqs:notifications-outbound", handler="app.handler")
    sc.resource("lambda", "user-export", runtime="python3.12", timeout=300, memory_size=1024)
    sc.resource("apigateway", "accounts-api", stage="prod")

    chg = -1980
    onset = chg + 25
    def rate(t):
        return 17 * diurnal(t, 0.2, phase_h=-9)
    inv, err, thr, dur, conc = {}, {}, {}, {}, {}
    for t in MINUTES:
        bad = t >= onset - 30
        n = poisson(rng, rate(t) * (1.25 if bad else 1.0))   # SQS redrives failed messages
        inv[t] = n
        err[t] = n if bad else 0
        thr[t] = 0
        dur[t] = gauss(rng, 35, 6, 12) if bad else gauss(rng, 410, 45, 150)
        conc[t] = max(1, round(n * dur[t] / 60000 + rng.random()))
    lambda_metrics(sc, fn, inv, err, thr, dur, conc)
    ux = simple_lambda_model(rng, lambda t: 0.4, lambda t: gauss(rng, 42000, 9000, 9000))
    lambda_metrics(sc, "user-export", *ux)
    cnt = {t: poisson(rng, 95) for t in MINUTES}
    apigw_d = {"ApiName": "accounts-api"}
    sc.series("AWS/ApiGateway", "Count", apigw_d, "Count", cnt, 0)
    sc.series("AWS/ApiGateway", "5XXError", apigw_d, "Count", {t: poisson(rng, 0.1) for t in MINUTES}, 0)
    sc.series("AWS/ApiGateway", "Latency", apigw_d, "Milliseconds", {t: gauss(rng, 180, 20, 80) for t in MINUTES})

    ll = LambdaLogs(sc, fn, 256)
    kinds = [("password_reset", "auth/reset-password"), ("receipt", "billing/receipt"),
             ("invite", "team/invite"), ("weekly_summary", "digest/weekly-summary")]
    frames = [("/var/task/app.py", 44, "handler", "for record in event[\"Records\"]: send_one(json.loads(record[\"body\"]))"),
              ("/var/task/app.py", 27, "send_one", "client = provider_client()"),
              ("/var/task/notify/provider.py", 19, "provider_client", "timeout = int(os.environ[\"PROVIDER_TIMEOUT_SECONDS\"])")]
    for t in log_minutes():
        n = inv[t]
        for tt in spread(rng, t, n):
            kind, tmpl = rng.choice(kinds)
            mid = sc.hexid(12)
            lines = [(0.004, py("INFO", "Processing message %s kind=%s template=%s" % (mid, kind, tmpl)))]
            if kind == "weekly_summary":
                lines.append((0.006, py("WARNING", "Template 'weekly_summary_v1' is deprecated, falling back to 'weekly_summary_v2'")))
            if t >= onset - 30:
                lines.append((0.02, py_unhandled("ValueError", "invalid literal for int() with base 10: '10s'", frames)))
                d = gauss(rng, 35, 6, 12)
            else:
                d = gauss(rng, 410, 45, 150)
                lines.append((d / 1000 - 0.01, py("INFO", "Sent %s to provider (message_id=%s) in %d ms" % (kind, sc.hexid(16), d - 30))))
            ll.invoke(tt, lines, d, rng.randint(78, 92))
    ll.emit()
    ue = LambdaLogs(sc, "user-export", 1024)
    for t in log_minutes():
        for tt in spread(rng, t, ux[0][t]):
            d = ux[3][t] or 40000
            ue.invoke(tt, [(0.01, py("INFO", "Export job exp_%s started for org_%d" % (sc.hexid(8), rng.randint(1000, 9999)))),
                           (d / 1000 - 0.05, py("INFO", "Export written to s3://acme-user-exports/%s.csv.gz (%d rows)" % (sc.hexid(10), rng.randint(200, 90000))))],
                      d, rng.randint(300, 520))
    ue.emit()

    sc.change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "user-export", "ci-deployer")
    sc.change(-2690, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "user-export", "ci-deployer")
    sc.change(chg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn,
              "AWSReservedSSO_PlatformEngineer_5c1e2a/maria.okafor")
    sc.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "ci-deployer")

    sc.alarm("notification-sender-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "ALARM", -1860, "notification-sender failing to process messages")
    sc.expect = {"alarm": "notification-sender-errors",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="origin (Lambda)", decoys="user-export routine code deploy 12 min before; notification-sender's own deploy 2.5 h earlier with clean runs after it; pre-existing weekly_summary_v1 deprecation WARNING; accounts-api steady",
                   story="An engineer edited notification-sender's configuration in the console (UpdateFunctionConfiguration) at -33 min. From the next invocation every message fails inside provider_client() with ValueError: invalid literal for int() with base 10: '10s' on os.environ[\"PROVIDER_TIMEOUT_SECONDS\"]; Errors equals Invocations and duration collapses to ~35 ms. The code deploy of the same function 2.5 h earlier ran cleanly for two hours, the user-export deploy is another function, and the deprecation warning is unchanged. Judgement: a configuration change just before onset, with errors naming the invalid setting: config_change on notification-sender.")
    return sc
