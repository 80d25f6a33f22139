"""h59-13 (one table blocked behind a stuck job; one route times out) and h59-14 (a parameter
group change cancels the long report queries)."""
from __future__ import annotations

from . import kit
from .common import GRID, Scenario, bump, diurnal, ramp, step
from .runtimes import LambdaLogs, pg, rails


# =========================================================================== h59-13
def s13() -> Scenario:
    sc = Scenario(13, "checkout-sg-quote-5xx", "Checkout API 5xx alarm; cross-border orders "
                  "cannot get a tax quote.", "ap-southeast-1", 5913, "2026-04-29T04:10:00")
    api, fn, db, other = "checkout-sg", "tax-quote", "mssql-tax-sg", "receipt-mailer"
    b = -2000  # the weekly rebuild job takes its table lock and never finishes
    sc.resource("apigateway", api, rest_api_id="c4d5e6f7g8", stage="prod")
    sc.resource("lambda", fn, runtime="dotnet8", timeout=15, memory_size=512,
                environment=["TAXDB_CONNECTION", "SQL_COMMAND_TIMEOUT_S"])
    sc.resource("lambda", other, runtime="dotnet8", timeout=30, memory_size=512)
    sc.resource("rds", db, engine="sqlserver-se", engine_version="15.00.4385.2.v1",
                instance_class="db.m6i.xlarge", max_connections=32767, allocated_storage_gb=400)
    load = lambda t: 500 * diurnal(sc, t, 5.0, 0.3)
    xb = lambda t: 0.09 * ramp(t, b, b + 60)
    inv = sc.series(load, integer=True, noise=0.03)
    err = sc.series(lambda t: load(t) * xb(t), integer=True, noise=0.04)
    dur = sc.series(lambda t: 120 + 7900 * xb(t), noise=0.05)
    kit.lambda_metrics(sc, fn, inv, err, dur)
    e4 = sc.series(lambda t: 0.01 * load(t), integer=True)
    kit.apigw_metrics(sc, api, [a + c for a, c in zip(inv, e4)], e4, err,
                      sc.series(lambda t: 160 + 7900 * xb(t), noise=0.05),
                      sc.series(lambda t: 140 + 7900 * xb(t), noise=0.05))
    oinv = sc.series(lambda t: 60 * diurnal(sc, t, 5.0, 0.3), integer=True)
    kit.lambda_metrics(sc, other, oinv, [0.0] * len(GRID),
                       sc.series(lambda t: step(t, -2060, 380.0, 350.0), noise=0.1))
    kit.flat_rds(sc, db, lambda t: 19 + bump(t, -7000, -6500, 48.0, 120) - 4 * ramp(t, b, b + 300),
                 lambda t: 84 + 40 * ramp(t, b, b + 600), 400, 171, 11.0,
                 extra={"WriteIOPS": ("Count/Second", sc.series(
                     lambda t: 220 + 1900 * bump(t, -7000, -6500, 1.0, 120), noise=0.1))})

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, fn, "dotnet8", 512, 15, mem_used=(142, 8))
    countries = ["MY", "ID", "TH", "AU", "JP", "US"]

    def body(ll, t, rid, is_err, cold):
        oid = f"SG{sc.rng.randint(10 ** 7, 10 ** 8)}"
        lines = []
        if sc.rng.random() < 0.03:
            lines.append((0.01, ll.fmt(t, rid, "WARN", "TaxQuote.FxCache[0] Exchange rate cache "
                                       f"stale (age {sc.rng.randint(61, 90)}s), refreshing")))
        if is_err:
            lines.append((8.02, ll.fmt(t + 8.02, rid, "ERROR", f"TaxQuote.Handlers.CrossBorder[0]"
                                       f" Quote failed for order {oid} dest="
                                       f"{sc.rng.choice(countries)}\nMicrosoft.Data.SqlClient."
                                       "SqlException (0x80131904): Execution Timeout Expired.  "
                                       "The timeout period elapsed prior to completion of the "
                                       "operation or the server is not responding.\n ---> System."
                                       "ComponentModel.Win32Exception (258): The wait operation "
                                       "timed out.\n   at TaxQuote.Data.RateOverrideRepository."
                                       "GetAsync(String origin, String dest) in /src/TaxQuote/"
                                       "Data/RateOverrideRepository.cs:line 44")))
            return {"lines": lines, "dur": sc.rng.gauss(8030, 20)}
        cross = t < b and sc.rng.random() < 0.09
        route = "crossborder" if cross else "domestic"
        d = sc.rng.gauss(160 if cross else 115, 20)
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"TaxQuote.Handlers."
                                       f"{'CrossBorder' if cross else 'Domestic'}[0] Quoted order "
                                       f"{oid} route={route} gst={sc.rng.uniform(1, 90):.2f} SGD "
                                       f"in {d:.0f} ms")))
        return {"lines": lines, "dur": d}
    li, le = kit.sample_invocations(sc, inv, err, 0.006)
    ll.run(li, le, body)
    ol = LambdaLogs(sc, other, "dotnet8", 512, 30, retire=[-2060], mem_used=(120, 6))
    oi, oe = kit.sample_invocations(sc, oinv, [0.0] * len(GRID), 0.03)
    ol.run(oi, oe, lambda ll, t, rid, e, c: {"dur": sc.rng.gauss(360, 40), "lines": [
        (0.3, ll.fmt(t + 0.3, rid, "INFO", f"ReceiptMailer[0] Receipt queued for "
                     f"SG{sc.rng.randint(10 ** 7, 10 ** 8)}"))]})
    err_log = f"/aws/rds/instance/{db}/error"
    agent = f"/aws/rds/instance/{db}/agent"
    ms = lambda t, spid, msg: f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}.{sc.rng.randint(10, 99)} " \
                              f"{spid:<11}{msg}"
    kit.periodic(sc, err_log, f"{db}.node1", 1800, lambda t: ms(
        t, "Backup", "Log was backed up. Database: taxdb, creation date(time): 2025/11/03"
        "(02:14:51), first LSN: 912:44012:1, number of dump devices: 1."), start=-21600)
    ag = lambda t, msg: f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} - ? [{sc.rng.randint(100, 499)}]" \
                        f" {msg}"
    for t, name in ((-7020, "Invoices weekly rebuild"), (b - 20, "RateOverrides weekly rebuild")):
        sc.log(agent, f"{db}.node1", t, ag(t, f"Job '{name}' started (requested by Schedule 9)"))
        sc.log(agent, f"{db}.node1", t + 2, ag(t + 2, f"Job '{name}' step 1 'ALTER INDEX ALL ON "
                                                f"dbo.{name.split()[0]} REBUILD WITH (ONLINE = "
                                                "OFF)' is running"))
    sc.log(agent, f"{db}.node1", -6520, ag(-6520, "Job 'Invoices weekly rebuild' completed "
                                                  "successfully in 00:08:20"))

    sc.alarm("checkout-sg-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 15,
             "GreaterThanThreshold", "Checkout API 5xx")
    sc.alarm("tax-quote-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 25,
             "GreaterThanThreshold")
    sc.alarm("mssql-tax-sg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 1, 60, "GreaterThanThreshold")
    sc.change(-2060, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", other, "azure-devops-sg")
    sc.change(-14400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "azure-devops-sg")
    kit.check_alarm(sc, "checkout-sg-5xx", latest=b + 400, earliest=b)
    sc.expect = {"alarm": "checkout-sg-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration",
                                "dimensions": {"FunctionName": fn}}]}
    return sc


# =========================================================================== h59-14
def s14() -> Scenario:
    sc = Scenario(14, "backoffice-fr-5xx", "Back-office 5xx alarm; the finance team says "
                  "monthly reports fail, the rest of the back-office works.", "eu-west-3", 5914,
                  "2026-06-16T14:35:00")
    lb = "app/backoffice-fr/4e5f6a7b8c9d0e1f"
    cluster, svc, other, db = "fr-prod", "backoffice", "notifier", "pg-backoffice-fr"
    params, chg = "pg-backoffice-fr-params", -3000
    sc.resource("alb", lb, name="backoffice-fr", scheme="internal")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=4, cpu=1024,
                memory=2048, image="backoffice:rails7.1-2026.06.12")
    sc.resource("ecs", f"{cluster}/{other}", launch_type="FARGATE", desired_count=2, cpu=512,
                memory=1024)
    sc.resource("rds", db, engine="postgres", engine_version="15.7",
                instance_class="db.r6g.large", max_connections=1700, allocated_storage_gb=300,
                parameter_group=params)
    load = lambda t: 700 * diurnal(sc, t, 13.0, 0.3)
    rep = lambda t: 0.025 * load(t)
    fail = lambda t: 0.7 if t >= chg + 30 else 0.0
    req = sc.series(load, integer=True, noise=0.03)
    t5 = sc.series(lambda t: 0.4 + rep(t) * fail(t), integer=True, noise=0.05)
    kit.alb_metrics(sc, lb, req, t5, sc.series(lambda t: 0.42 - 0.12 * (t >= chg), noise=0.08),
                    t4xx=sc.series(lambda t: 4.0, integer=True))
    kit.ecs_metrics(sc, cluster, svc, sc.series(lambda t: 29.0, noise=0.07),
                    sc.series(lambda t: 63.0, noise=0.02))
    kit.ecs_metrics(sc, cluster, other, sc.series(lambda t: 8 + 9 * bump(t, -2975, -2800, 1, 30),
                                                  noise=0.1), sc.series(lambda t: 31.0,
                                                                        noise=0.02))
    kit.flat_rds(sc, db, lambda t: 46 * diurnal(sc, t, 13.0, 0.2) - 13 * (t >= chg),
                 lambda t: 96, 300, 118, 7.5)

    # ---------------------------------------------------------------- logs
    grp = f"/ecs/{svc}"
    reports = ["monthly_revenue", "vat_summary", "aged_receivables", "refunds_by_channel"]
    for k in range(3):
        stream = f"backoffice/web/{sc.hexid(32)}"
        pid = sc.rng.randint(7, 40)

        def req_lines(t, k=k):
            rid = sc.uuid()
            ip = sc.ip("10.60")
            if sc.rng.random() < 0.05:
                name = sc.rng.choice(reports)
                path = f"/admin/reports/{name}?month=2026-05"
                sc.log(grp, stream, t, rails(sc, t, "INFO", f"Started GET \"{path}\" for {ip} "
                                             f"at {sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} +0000",
                                             rid, pid))
                q = sc.rng.uniform(6, 24)
                if t >= chg + 30 and sc.rng.random() < fail(t):
                    e = t + 5.01
                    sc.log(grp, stream, e, rails(sc, e, "ERROR", "ActiveRecord::QueryCanceled "
                                                 "(PG::QueryCanceled: ERROR:  canceling statement "
                                                 "due to statement timeout\n):\n\napp/queries/"
                                                 f"reports/{name}_query.rb:38:in `call'", rid, pid))
                    return rails(sc, e + 0.01, "INFO", "Completed 500 Internal Server Error in "
                                 f"{5012 + sc.rng.randint(0, 40)}ms (ActiveRecord: 5004.2ms | "
                                 "Allocations: 18211)", rid, pid)
                q = q if t < chg else min(q, 4.8)
                return rails(sc, t + q, "INFO", f"Completed 200 OK in {int(q * 1000)}ms (Views: "
                             f"{sc.rng.randint(20, 90)}.1ms | ActiveRecord: {int(q * 950)}.4ms | "
                             "Allocations: 90412)", rid, pid)
            if sc.rng.random() < 0.04:
                return rails(sc, t, "FATAL", "ActionController::RoutingError (No route matches "
                             "[GET] \"/wp-admin/setup-config.php\"):", rid, pid)
            path = sc.rng.choice(["/admin/customers", "/admin/orders/%d" % sc.rng.randint(
                10 ** 5, 10 ** 6), "/admin/refunds", "/api/internal/stock"])
            return rails(sc, t, "INFO", f"Completed 200 OK in {sc.rng.randint(18, 240)}ms "
                         f"(Views: 12.0ms | ActiveRecord: 9.8ms) GET {path}", rid, pid)
        kit.events(sc, grp, stream, lambda t: 3.0, req_lines)
    pgl = f"/aws/rds/instance/{db}/postgresql"
    st = f"{db}.0"
    kit.periodic(sc, pgl, st, 300, lambda t: pg(
        sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(800, 5000)} buffers "
        f"({sc.rng.uniform(0.3, 2):.1f}%); 0 WAL file(s) added, 0 removed, 2 recycled", pid=402),
        start=-21600)
    kit.events(sc, pgl, st, lambda t: 0.3, lambda t: pg(
        sc, t, "ERROR", "duplicate key value violates unique constraint "
        "\"index_customers_on_email\"\nDETAIL:  Key (email)=(" + f"c{sc.rng.randint(1000, 99999)}"
        "@example.fr) already exists.", client=f"{sc.ip('10.60')}(4{sc.rng.randint(1000, 9999)})",
        user="backoffice", db="backoffice"), start=-21600)
    sc.log(pgl, st, chg + 4, pg(sc, chg + 4, "LOG", "received SIGHUP, reloading configuration "
                                "files", pid=377))
    sc.log(pgl, st, chg + 4.01, pg(sc, chg + 4.01, "LOG", "parameter \"statement_timeout\" "
                                   "changed to \"5000\"", pid=377))
    kit.events(sc, pgl, st, lambda t: rep(t) * fail(t) * 0.25, lambda t: pg(
        sc, t, "ERROR", "canceling statement due to statement timeout\nSTATEMENT:  SELECT "
        "date_trunc('day', o.paid_at) AS day, o.channel, SUM(l.amount_cents) FROM orders o JOIN "
        "order_lines l ON l.order_id = o.id WHERE o.paid_at >= $1 AND o.paid_at < $2 GROUP BY 1, 2",
        client=f"{sc.ip('10.60')}(5{sc.rng.randint(1000, 9999)})", user="backoffice",
        db="backoffice"), start=chg + 30)

    sc.alarm("backoffice-fr-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 3, "GreaterThanThreshold", "Back-office 5xx")
    sc.alarm("pg-backoffice-fr-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 2, 80, "GreaterThanThreshold")
    sc.change(chg, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              params, "thomas.dubois")
    sc.change(-2990, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              other, "gitlab-ci")
    sc.change(-2975, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/{other}", "gitlab-ci")
    sc.change(-16800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/{svc}", "gitlab-ci")
    kit.check_alarm(sc, "backoffice-fr-5xx", latest=chg + 500, earliest=chg)
    sc.expect = {"alarm": "backoffice-fr-5xx",
                 "root_cause": {"category": "config_change", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB",
                                "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    return sc
