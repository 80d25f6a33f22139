"""Scenarios 07-08."""
from __future__ import annotations

import datetime as dt
import json

from . import comp
from .comp import GB
from .core import Scenario, TS, diurnal, ramp
from .fmt import LambdaLog, aspnet, bucketed, dotnet_trace, every, mysql_err, per_minute, pino, zap
from .sc01 import binom

UTC = dt.timezone.utc


# ====================================================================== 07
def s07():
    s = Scenario(7, "reports-portal-5xx-mysql-storage-full", "ca-central-1",
                 "Reports portal: 'Run report' failing with HTTP 502; paged by the portal ALB target 5XX alarm.",
                 3407, dt.datetime(2026, 3, 23, 14, 10, tzinfo=UTC))
    FULL = -1980
    pub = "app/reports-portal/0d6c8a2e4f1b3975"
    rin = "app/reports-internal/8b2e4c6a0f9d1357"
    rdns = "internal-reports-internal-402918377.ca-central-1.elb.amazonaws.com"
    s.res("alb", pub, name="reports-portal", scheme="internet-facing", target_group="tg-reports-ui -> ecs portal/reports-ui")
    s.res("ecs", "portal/reports-ui", cluster="portal", service="reports-ui", launch_type="FARGATE", desired_count=3,
          task_definition="reports-ui:52", runtime="node 20 (fastify, pino)", log_groups=["/ecs/reports-ui"], engine_url=f"http://{rdns}")
    s.res("alb", rin, name="reports-internal", scheme="internal", dns_name=rdns, target_group="tg-report-engine -> ecs reports/report-engine")
    s.res("ecs", "reports/report-engine", cluster="reports", service="report-engine", launch_type="FARGATE", desired_count=3,
          task_definition="report-engine:140", runtime="dotnet 8 (ASP.NET Core, MySqlConnector)", log_groups=["/ecs/report-engine"])
    s.res("rds", "reports-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.m6g.large", max_connections=1000,
          allocated_storage_gb=100, max_allocated_storage_gb="not set (storage autoscaling off)")

    full = lambda t: t >= FULL
    # storage: steady decline all day, faster since the 3-hourly snapshot job began writing wide rows
    def free(t):
        if t >= FULL:
            return 180e6 + s.rng.random() * 60e6
        return 16.5 * GB - 6.0 * GB * ramp(t, -21600, -9000) - 10.3 * GB * ramp(t, -9000, FULL) + s.n(0, 2e7)
    comp.rds(s, "reports-mysql", lambda t: 24 + s.n(0, 3), lambda t: 38 + s.n(0, 3), free,
             lambda t: 0.0011 + abs(s.n(0, 0.0002)), lambda t: 0.0024 + abs(s.n(0, 0.0003)) + (0.02 * s.rng.random() if full(t) else 0),
             lambda t: 2.2 * GB + s.n(0, 4e7))
    runs = s.series(lambda t: s.p(16 * diurnal(t, 0.2, -15000)), integer=True)
    views = s.series(lambda t: s.p(200 * diurnal(t, 0.2, -15000)), integer=True)
    rbad = [binom(s, r, 0.95) if t >= FULL else 0 for t, r in zip(TS, runs)]
    ireq = [a + int(b * 0.6) for a, b in zip(runs, views)]
    comp.alb(s, rin, ireq, rbad, lambda t: 0, lambda t: 0.12 + 0.04 * s.rng.random(), lambda t: 3, lambda t: 0)
    comp.ecs(s, "reports", "report-engine", lambda t: 22 + s.n(0, 2), lambda t: 48 + s.n(0, 1), lambda t: 3)
    preq = [a + b + s.p(40) for a, b in zip(runs, views)]
    pbad = [b + s.p(0.1) for b in rbad]
    comp.alb(s, pub, preq, pbad, lambda t: s.p(0.05), lambda t: 0.15 + 0.05 * s.rng.random(), lambda t: 3, lambda t: 0,
             t4=lambda t: s.p(3))
    comp.ecs(s, "portal", "reports-ui", lambda t: 14 + s.n(0, 2) + (12 if -4100 < t < -3900 else 0), lambda t: 39 + s.n(0, 1), lambda t: 3)

    # ---- reports-ui (Node/pino)
    def ui(t, b):
        host = f"ip-10-20-{s.rng.randint(1, 9)}-{s.rng.randint(2, 250)}.ca-central-1.compute.internal"
        rid = f"req-{s.hexid(6)}"
        rep = s.pick(["monthly-revenue", "ar-aging", "tax-summary", "inventory-valuation", "payroll-ytd"])
        if b:
            return [(t, pino(s, t, "ERROR", "report run failed", host, reqId=rid, report=rep,
                             err={"type": "UpstreamError", "message": f"report-engine POST http://{rdns}/api/runs -> 500",
                                  "body": "{\"title\":\"Report run could not be stored\",\"status\":500}"})),
                    (t + 0.001, pino(s, t + 0.001, "INFO", "request completed", host, reqId=rid,
                                     res={"statusCode": 502}, responseTime=round(180 + 80 * s.rng.random(), 1)))]
        return [(t, pino(s, t, "INFO", "request completed", host, reqId=rid, req={"method": "POST", "url": f"/reports/{rep}/run"},
                         res={"statusCode": 202}, responseTime=round(140 + 90 * s.rng.random(), 1)))]
    w, bk = bucketed(s, 2, ui)
    per_minute(s, runs, rbad, -6000, w, scale=0.6)
    for k, part in enumerate(bk):
        part += every(s, -6000, 90, lambda t: [(t, pino(s, t, "WARN", "session refresh: upstream IdP slow", "ip-10-20-4-77",
                                                        idp="login.acme-finance.ca", ms=s.rng.randint(900, 1400)))], jitter=40)
        part += [(-4030 + k * 20, pino(s, -4030 + k * 20, "INFO", "Server listening at http://0.0.0.0:8080", "ip-10-20-3-1" + str(k)))]
        s.log("/ecs/reports-ui", f"ecs/reports-ui/{s.hexid()}", part)

    # ---- report-engine (.NET)
    def eng(t, b):
        run = f"run_{s.hexid(10)}"
        if b:
            tr = dotnet_trace("MySqlConnector.MySqlException (0x80004005)", "The table 'report_rows' is full",
                              ["MySqlConnector.Core.ServerSession.ReceiveReplyAsyncAwaited(ValueTask`1 task) in /_/src/MySqlConnector/Core/ServerSession.cs:line 894",
                               "MySqlConnector.Core.ResultSet.ReadResultSetHeaderAsync(IOBehavior ioBehavior) in /_/src/MySqlConnector/Core/ResultSet.cs:line 37",
                               "MySqlConnector.MySqlDataReader.ActivateResultSet(CancellationToken cancellationToken) in /_/src/MySqlConnector/MySqlDataReader.cs:line 130",
                               "Acme.Reports.Engine.Storage.RunStore.SaveRowsAsync(ReportRun run, IReadOnlyList`1 rows, CancellationToken ct) in /src/Acme.Reports.Engine/Storage/RunStore.cs:line 77",
                               "Acme.Reports.Engine.Runs.RunService.ExecuteAsync(RunRequest req, CancellationToken ct) in /src/Acme.Reports.Engine/Runs/RunService.cs:line 54"])
            return [(t, aspnet("ERROR", "Acme.Reports.Engine.Runs.RunService", 0, f"Run {run} failed while persisting 18 420 rows\n" + tr)),
                    (t + 0.002, aspnet("INFO", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                       f"Request finished HTTP/1.1 POST http://{rdns}/api/runs - 500 null application/problem+json {s.rng.randint(90, 160)}.{s.rng.randint(1000, 9999)}ms"))]
        return [(t, aspnet("INFO", "Acme.Reports.Engine.Runs.RunService", 0, f"Run {run} stored {s.rng.randint(2000, 40000)} rows in {s.rng.randint(80, 240)} ms")),
                (t + 0.002, aspnet("INFO", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                   f"Request finished HTTP/1.1 POST http://{rdns}/api/runs - 201 null application/json {s.rng.randint(90, 260)}.{s.rng.randint(1000, 9999)}ms"))]
    w, bk = bucketed(s, 2, eng)
    per_minute(s, runs, rbad, -6000, w, scale=0.6)
    for part in bk:
        part += every(s, -6000, 600, lambda t: [(t, aspnet("INFO", "Acme.Reports.Engine.Jobs.SnapshotJob", 0,
                                                           f"snapshot job: materialized {s.rng.randint(1200, 1900)}k rows into report_rows (partition p2026_03)"))])
        s.log("/ecs/report-engine", f"ecs/report-engine/{s.hexid()}", part)

    # ---- MySQL error log
    def my(t, _):
        return s.pick([
            [(t, mysql_err(s, t, "ERROR", "MY-012144", "InnoDB", "posix_fallocate(): Failed to preallocate data for file ./reports/report_rows#p#p2026_03.ibd, desired size 4194304 bytes. Operating system error number 28. Check that the disk is not full or a disk quota exceeded. Make sure the file system supports this function. Refer to your operating system documentation for operating system error code information.", s.rng.randint(80, 400)))],
            [(t, mysql_err(s, t, "ERROR", "MY-013132", "Server", "The table 'report_rows' is full!", s.rng.randint(80, 400)))],
            [(t, mysql_err(s, t, "ERROR", "MY-012639", "InnoDB", f"Write to file ./reports/report_rows#p#p2026_03.ibd failed at offset {s.rng.randint(10**10, 4 * 10**10)}, 1048576 bytes should have been written, only 0 were written. Operating system error number 28. Check that your OS and file system support files of this size. Check also that the disk is not full or a disk quota exceeded.", 0))]])
    mev = per_minute(s, rbad, rbad, -10800, my, scale=0.5)
    mev += every(s, -10800, 3600, lambda t: [(t, mysql_err(s, t, "Warning", "MY-010055", "Server", f"IP address '10.20.{s.rng.randint(1, 9)}.{s.rng.randint(2, 250)}' could not be resolved: Name or service not known", 31))])
    s.log("/aws/rds/instance/reports-mysql/error", "reports-mysql", mev)

    s.change(-4100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "portal/reports-ui", "github-actions-deploy")
    s.change(-4110, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "reports-ui:52", "github-actions-deploy")
    s.alarm("reports-portal-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": pub}, "Sum", 60, 3, 5,
            "GreaterThanThreshold", "Reports portal: targets returning 5XX")
    s.expect_("reports-portal-target-5xx", "storage_exhaustion", ["reports-mysql"],
              [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": "reports-mysql"}},
               {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": pub}}])
    s.info = dict(front="front alarm (public ALB), origin 3 hops down (reports-ui -> reports-internal ALB -> report-engine -> reports-mysql)",
                  decoys="reports-ui deploy 35 min before onset (its errors only appear later and name the upstream); constant IdP-slow WARN; MySQL DNS-resolve warnings",
                  text="reports-mysql's FreeStorageSpace has been falling all day (snapshot job filling report_rows) and reaches "
                       "~200 MB at about -33 min (100 GB allocated, storage autoscaling off). From then on InnoDB logs error 28 "
                       "(No space left on device) and 'The table report_rows is full'; report-engine (.NET) fails every run "
                       "with MySqlException and returns 500; reports-ui (Node) turns that into 502 and the portal ALB alarm "
                       "fires. CPU, connections and memory on the database are normal. The reports-ui deploy 35 min before "
                       "onset is a decoy: its own logs only relay the upstream 500s. storage_exhaustion on reports-mysql.")
    return s


# ====================================================================== 08
def s08():
    s = Scenario(8, "quotes-5xx-rate-calculator-concurrency", "us-west-2",
                 "Insurance quote requests failing with 503 for some customers this morning; paged by the quotes ALB 5XX alarm.",
                 3408, dt.datetime(2026, 3, 24, 16, 30, tzinfo=UTC))
    RES = 20
    lb = "app/quotes-public/6a4e2c0b8d1f3579"
    s.res("alb", lb, name="quotes-public", scheme="internet-facing", target_group="tg-quote-api -> ecs quotes/quote-api")
    s.res("ecs", "quotes/quote-api", cluster="quotes", service="quote-api", launch_type="FARGATE", desired_count=4,
          task_definition="quote-api:233", runtime="go1.22 (aws-sdk-go-v2, lambda.Invoke RequestResponse)", log_groups=["/ecs/quote-api"],
          rating_function="rate-calculator")
    s.res("lambda", "rate-calculator", runtime="python3.12", timeout=30, memory_size=3008, reserved_concurrency=RES)
    s.res("lambda", "partner-webhook", runtime="nodejs20.x", timeout=10, memory_size=256, reserved_concurrency=50)
    s.res("lambda", "quote-pdf", runtime="nodejs20.x", timeout=30, memory_size=2048)

    demand = lambda t: 124 * diurnal(t, 0.02) + 36 * ramp(t, -7200, -1500)
    dq = s.series(lambda t: s.p(demand(t)), integer=True)
    D = 7.9
    want = [q * D / 60 for q in dq]
    excess = [max(0.0, (w - RES) / w) if w else 0 for w in want]
    conc = [min(RES, int(round(w + s.n(0, 0.6)))) if w < RES - 0.5 else RES for w in want]
    fails = [int(round(q * e * 0.85 + s.rng.random() * q * e * 0.3)) for q, e in zip(dq, excess)]
    thr = [int(round(q * e * 2.3 + s.rng.random() * 2)) if e > 0 else 0 for q, e in zip(dq, excess)]
    inv = [q - f for q, f in zip(dq, fails)]
    comp.lambda_(s, "rate-calculator", inv, lambda t: 0, thr, lambda t: D * 1000 + s.n(0, 350), conc)
    other = s.series(lambda t: s.p(60 + 15 * ramp(t, -7200, -1500)), integer=True)
    req = [a + b for a, b in zip(dq, other)]
    comp.alb(s, lb, req, [f + (1 if s.rng.random() < 0.03 else 0) for f in fails], lambda t: s.p(0.05),
             [round((q * (D + 0.2) + o * 0.03) / max(1, q + o), 4) for q, o in zip(dq, other)], lambda t: 4, lambda t: 0,
             t4=lambda t: s.p(4))
    comp.ecs(s, "quotes", "quote-api", lambda t: 17 + s.n(0, 2), lambda t: 34 + s.n(0, 1), lambda t: 4)
    wh = s.series(lambda t: s.p(9), integer=True)
    comp.lambda_(s, "partner-webhook", wh, lambda t: 0, lambda t: 0, lambda t: 210 + s.n(0, 30), lambda t: 1 + (s.rng.random() < 0.5))
    pdf = s.series(lambda t: s.p(5), integer=True)
    pdfe = s.series(lambda t: 1 if s.rng.random() < 0.25 else 0, integer=True)
    comp.lambda_(s, "quote-pdf", pdf, pdfe, lambda t: 0, lambda t: 4200 + s.n(0, 900), lambda t: 1)

    # ---- rate-calculator (3 of ~20 execution environments)
    lg = LambdaLog(s, "rate-calculator", "python", 3008)

    def rc(t, _):
        q = f"Q-{s.rng.randint(10**7, 10**8)}"
        prod = s.pick(["auto-comprehensive", "auto-liability", "home-standard", "renters"])
        return lg.invoke(t, D * 1000 + s.n(0, 350), [("INFO", f"rating {q} product={prod} factors={s.rng.randint(28, 44)} territory=OR-{s.rng.randint(1, 40):02d}"),
                                                     ("INFO", f"{q} premium={s.rng.randint(40000, 260000) / 100:.2f} USD term=6mo")], 1480)
    w, bk = bucketed(s, 3, rc)
    per_minute(s, inv, None, -5400, w, scale=0.15)
    for part in bk:
        s.log("/aws/lambda/rate-calculator", lg.stream(), part)

    # ---- quote-api (Go)
    def qa(t, b):
        q = f"Q-{s.rng.randint(10**7, 10**8)}"
        if b:
            rid = s.uid()
            return [(t, zap(s, t, "WARN", "rating/client.go:71", "rate-calculator throttled, retrying", quote=q, attempt=2,
                            error=f"https response error StatusCode: 429, RequestID: {rid}, TooManyRequestsException: Rate Exceeded.")),
                    (t + 0.9, zap(s, t + 0.9, "ERROR", "httpapi/quotes.go:96", "rating engine invoke failed",
                                  quote=q, status=503, function="rate-calculator",
                                  error=f"operation error Lambda: Invoke, exceeded maximum number of attempts, 3, https response error StatusCode: 429, "
                                        f"RequestID: {s.uid()}, TooManyRequestsException: Rate Exceeded.",
                                  reason="ReservedFunctionConcurrentInvocationLimitExceeded"))]
        return [(t, zap(s, t, "INFO", "httpapi/middleware.go:40", "request", method="POST", path="/v1/quotes", status=200,
                        duration_ms=round(D * 1000 + 150 + s.n(0, 300), 1), quote=q))]
    w, bk = bucketed(s, 2, qa)
    per_minute(s, dq, fails, -5400, w, scale=0.12)
    per_minute(s, fails, fails, -5400, w, scale=0.38)
    for part in bk:
        part += every(s, -5400, 300, lambda t: [(t, zap(s, t, "INFO", "cmd/quote-api/main.go:88", "rate table cache refreshed", entries=s.rng.randint(41000, 42000)))])
        s.log("/ecs/quote-api", f"ecs/quote-api/{s.hexid()}", part)

    lp = LambdaLog(s, "quote-pdf", "node", 2048)

    def qp(t, b):
        if b:
            return lp.invoke(t, 30000, [("INFO", "rendering quote document"),
                                        ("ERROR", 'Invoke Error \t{"errorType":"TimeoutError","errorMessage":"Navigation timeout of 20000 ms exceeded",'
                                                  '"stack":["TimeoutError: Navigation timeout of 20000 ms exceeded","    at LifecycleWatcher._LifecycleWatcher_createTimeout (/var/task/node_modules/puppeteer-core/lib/cjs/puppeteer/common/LifecycleWatcher.js:158:20)"]}')], 910)
        return lp.invoke(t, 3800 + s.rng.random() * 900, [("INFO", "rendering quote document"), ("INFO", f"stored s3://acme-quotes-docs/{s.hexid(12)}.pdf")], 880)
    s.log("/aws/lambda/quote-pdf", lp.stream(), per_minute(s, pdf, pdfe, -5400, qp))

    s.change(-10500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "quotes/quote-api", "github-actions-deploy")
    s.change(-3900, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", "partner-webhook", "d.okoye")
    s.alarm("quotes-public-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1, 15,
            "GreaterThanThreshold", "Quotes: targets returning 5XX")
    s.alarm("quote-pdf-errors", "AWS/Lambda", "Errors", {"FunctionName": "quote-pdf"}, "Sum", 300, 2, 5, "GreaterThanThreshold",
            "quote-pdf errors", expect_state="OK")
    s.expect_("quotes-public-5xx", "throttling", ["rate-calculator"],
              [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": "rate-calculator"}},
               {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}])
    s.info = dict(front="front alarm (public ALB), origin 2 hops down (quote-api -> synchronous Invoke of rate-calculator)",
                  decoys="PutFunctionConcurrency on partner-webhook 11 min before the alarm (sporadic throttles on rate-calculator already before it); quote-api deploy ~3 h earlier; quote-pdf's steady puppeteer timeouts",
                  text="Quote volume follows its normal morning ramp (about +28 %, no spike). rate-calculator takes ~7.9 s per "
                       "rating and has reserved concurrency 20, so at ~150 quotes/min its ConcurrentExecutions sits flat at 20 "
                       "and Throttles, sporadic during the ramp since about -2 h, become sustained (alarm at about -54 min). quote-api (Go) retries the synchronous Invoke, "
                       "then gives up with TooManyRequestsException (ReservedFunctionConcurrentInvocationLimitExceeded) and "
                       "returns 503, which the public ALB counts. Nothing in the chain is broken or slow; the function's "
                       "concurrency cap is the limit. The partner-webhook concurrency change concerns another function. "
                       "throttling on rate-calculator.")
    return s
