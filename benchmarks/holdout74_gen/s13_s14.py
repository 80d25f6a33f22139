"""13: shipping-rates API 5xx after a new version of the rate-shopping function (Node, eu-west-3).
14: put-away planner errors after the WMS MySQL parameter group lowered max_connections (.NET caller, ap-northeast-2)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, mysql

from .kit import S, apigw_metrics, emit, every, lam_metrics, lambda_logs, pick, rds_metrics, shift_load


def build13() -> S:
    sc = S(13, "rates-api-5xx", "Merchants' checkouts show no delivery options for some French postcodes; the "
           "shipping-rates API 5XX alarm fired.", "eu-west-3", 7413, "2026-03-20T10:15:00+00:00",
           front="front (API Gateway)", decoys="IAM policy attach on another role between deploy and onset; stage "
           "logging change by the responder after onset; steady Colissimo quote-timeout warnings")
    api, fn = "shipping-rates", "rate-shop"
    api_id = "t4m7x1c9pa"
    deploy, onset = -2640, -2600
    sc.resource("apigateway", api, api_id=api_id, stage="live", endpoint_type="REGIONAL")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=1024, alias="live")
    load = lambda t: shift_load(sc, t, starts=(8.0,), height=0.6, width=1.3)
    calls = lambda t: 310 * load(t)
    frac = 0.16  # share of quotes to Corsica / overseas postcodes: the new code path
    bad = lambda t: 1.0 if t >= onset else 0.0
    apigw_metrics(sc, api, count=calls, e4xx=lambda t: 0.01 * calls(t), e5xx=lambda t: 0.05 + frac * calls(t) * bad(t),
                  lat=lambda t: 240.0 - 20 * bad(t))
    v = lam_metrics(sc, fn, inv=calls, err=lambda t: frac * calls(t) * bad(t), dur=lambda t: 215.0 - 20 * bad(t))
    carriers = ["colissimo", "chronopost", "dpd-fr", "gls-fr", "mondial-relay"]

    def body(ll, t, rid, is_err, cold):
        v_new = t >= deploy
        pc = pick(sc, ["20000", "20090", "97100", "97200", "97400"]) if is_err else f"{sc.rng.randint(1, 95):02d}{sc.rng.randint(0, 999):03d}"
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"rate request merchant=M{sc.rng.randint(1000, 9999)} dest={pc} "
                                                f"parcels={sc.rng.randint(1, 4)} version={'58' if v_new else '57'}"))]
        if sc.rng.random() < 0.06:
            lines.append((0.15, ll.fmt(t + 0.15, rid, "WARN", "carrier colissimo quote timed out after 1500ms, using cached tariff")))
        if is_err:
            err = jline({"errorType": "TypeError", "errorMessage": "Cannot read properties of undefined (reading 'zone')",
                         "stack": ["TypeError: Cannot read properties of undefined (reading 'zone')",
                                   "    at zoneFor (/var/task/dist/rates/zones.js:212:31)",
                                   "    at quoteCarrier (/var/task/dist/rates/quote.js:88:17)",
                                   "    at async Promise.all (index 2)",
                                   "    at async Runtime.handler (/var/task/dist/index.js:41:20)"]})
            lines.append((0.06, ll.fmt(t + 0.06, rid, "ERROR", "Invoke Error \t" + err)))
            return {"dur": sc.rng.uniform(40, 90), "lines": lines}
        lines.append((0.2, ll.fmt(t + 0.2, rid, "INFO", f"returned {sc.rng.randint(2, 5)} options cheapest="
                                                        f"{pick(sc, carriers)} {sc.rng.uniform(4.2, 14.9):.2f} EUR")))
        return {"dur": sc.rng.uniform(150, 320), "lines": lines}

    ll = LambdaLogs(sc, fn, "nodejs20.x", 1024, 10, prewarm=-17400, mem_used=(160, 12),
                    epochs=((-10 ** 9, "57"), (deploy + 20, "58")), retire=(deploy + 20,))
    lambda_logs(sc, ll, v, body, per_min=2.2)
    g, st = f"API-Gateway-Execution-Logs_{api_id}/live", sc.hexid(32)

    def exec_line(t):
        r = sc.uuid()
        if t >= onset and sc.rng.random() < frac:
            return [f"({r}) Lambda execution failed with status 200 due to customer function error: Cannot read "
                    f"properties of undefined (reading 'zone'). Lambda request id: {sc.uuid()}",
                    f"({r}) Method completed with status: 502"]
        return [f"({r}) Method completed with status: 200"]
    emit(sc, g, st, lambda t: 0.8, exec_line, start=-1500)   # execution logging switched on during the incident
    sc.change(deploy - 30, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gitlab-rates")
    sc.change(deploy - 10, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "gitlab-rates")
    sc.change(deploy + 20, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, "gitlab-rates")
    sc.change(-2615, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "invoice-export-role", "claire.dubois")
    sc.change(-1510, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api, "claire.dubois")
    sc.alarm("shipping-rates-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "Shipping rates API 5xx")
    sc.expect_rc("shipping-rates-5xx", "bad_deployment", [fn],
                 [("AWS/ApiGateway", "5XXError", {"ApiName": api}), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta["story"] = (
        "At 09:31 GitLab published rate-shop version 58 and moved the `live` alias to it. From the first "
        "version-58 invocations, quotes to Corsican and overseas postcodes fail with `TypeError: Cannot read "
        "properties of undefined (reading 'zone') at zoneFor (zones.js:212)`, never seen under version 57; "
        "Lambda Errors and the API's 5XXError rise together (~16 % of requests). The AttachRolePolicy on "
        "invoice-export-role between the deploy and the onset concerns another application; the stage update "
        "at 09:50 is the responder switching on execution logging (whose 502 lines start then); the Colissimo "
        "timeout warnings are steady.")
    return sc


def build14() -> S:
    sc = S(14, "putaway-errors", "Handheld put-away tasks at the Incheon DC fail to generate; the "
           "putaway-planner Errors alarm fired.", "ap-northeast-2", 7414, "2026-03-21T00:40:00+00:00",
           front="front (caller Lambda)", decoys="code deploy on dock-door-sync 40 s before onset; putaway-planner's own "
           "deploy 3 h earlier; steady aborted-connection notes and deadlock retries")
    fn, db, other = "putaway-planner", "wms-core-mysql", "dock-door-sync"
    change, onset = -2700, -2640
    sc.resource("lambda", fn, runtime="dotnet8", timeout=30, memory_size=1024)
    sc.resource("lambda", other, runtime="dotnet8", timeout=60, memory_size=512)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge", max_connections=150,
                parameter_group="wms-mysql80-prod", allocated_storage_gb=1000)
    load = lambda t: shift_load(sc, t, starts=(23.0,), height=0.7, width=1.0)
    after = lambda t: 1.0 if t >= onset else 0.0
    want = lambda t: 170 + 70 * load(t)
    conns = lambda t: min(150.0, want(t)) if t >= change + 30 else want(t)
    inv = lambda t: 160 * load(t)
    refused = lambda t: max(0.0, (want(t) - 150) / want(t)) * after(t)
    v = lam_metrics(sc, fn, inv=inv, err=lambda t: inv(t) * min(0.9, 1.6 * refused(t)), dur=lambda t: 380 - 150 * refused(t))
    v2 = lam_metrics(sc, other, inv=lambda t: 6.0, err=lambda t: 0.0, dur=lambda t: 900.0)
    rds_metrics(sc, db, cpu=lambda t: 24 * load(t) - 4 * after(t), conns=conns, free_gb=lambda t: 612.0,
                mem_gb=lambda t: 9.8 + 0.6 * after(t), max_conns=None)

    def body(ll, t, rid, is_err, cold):
        lpn = f"LPN{sc.rng.randint(10 ** 7, 10 ** 8)}"
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"Planning put-away for {lpn} zone={pick(sc, ['A', 'B', 'C', 'R'])}"))]
        if sc.rng.random() < 0.04:
            lines.append((0.1, ll.fmt(t + 0.1, rid, "WARN", "MySqlConnector.MySqlException (0x80004005): Deadlock found when "
                                                            "trying to get lock; try restarting transaction -- retry 1/3")))
        if is_err:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "ERROR", "Put-away planning failed\nMySqlConnector.MySqlException "
                                                               "(0x80004005): Too many connections\n   at MySqlConnector.Core."
                                                               "ServerSession.ConnectAsync(...)\n   at MySqlConnector.MySqlConnection."
                                                               "CreateSessionAsync(...)\n   at Wms.Putaway.SlotRepository."
                                                               "OpenAsync() in /src/Wms.Putaway/SlotRepository.cs:line 44")))
            return {"dur": sc.rng.uniform(15, 60), "lines": lines}
        lines.append((0.3, ll.fmt(t + 0.3, rid, "INFO", f"Assigned {lpn} to bin {pick(sc, ['A', 'B', 'C'])}-{sc.rng.randint(1, 40):02d}-"
                                                        f"{sc.rng.randint(1, 8)} ({sc.rng.randint(40, 220)} ms)")))
        return {"dur": sc.rng.uniform(250, 500), "lines": lines}

    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 30, prewarm=-17400, mem_used=(210, 15), retire=(-10800,))
    lambda_logs(sc, ll, v, body, per_min=2.0)

    def body2(ll2, t, rid, is_err, cold):
        return {"dur": sc.rng.uniform(600, 1300), "lines": [(0.01, ll2.fmt(t, rid, "INFO", f"Synced {sc.rng.randint(4, 36)} dock "
                                                                                         "door states"))]}
    ll2 = LambdaLogs(sc, other, "dotnet8", 512, 60, prewarm=-17400, retire=(-2680,))
    lambda_logs(sc, ll2, v2, body2, per_min=1.0)
    g = f"/aws/rds/instance/{db}/error"
    emit(sc, g, db, lambda t: 0.3, lambda t: mysql(sc, t, sc.rng.randint(10000, 99999), "Note", "MY-010914", f"Aborted connection "
                                                  f"{sc.rng.randint(10 ** 5, 10 ** 6)} to db: 'wms' user: 'putaway' host: "
                                                  f"'{sc.ip('10.40')}' (Got an error reading communication packets).",
                                                  subsystem="Server"), start=-21600)
    every(sc, g, db, 1800, lambda t: mysql(sc, t, 0, "Warning", "MY-010055", "IP address '10.40.7.19' could not be resolved: "
                                                                              "Name or service not known"), start=-21600)
    sc.change(-10830, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "azdo-wms-release")
    sc.change(change, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "wms-mysql80-prod",
              "dba-terraform")
    sc.change(-2680, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "azdo-wms-release")
    sc.alarm("putaway-planner-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "Put-away planner failures")
    sc.alarm("wms-core-mysql-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.expect_rc("putaway-planner-errors", "config_change", [db],
                 [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}),
                  ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta["story"] = (
        "At 23:55 dba-terraform modified the `wms-mysql80-prod` parameter group used by wms-core-mysql; the "
        "instance now reports max_connections=150. DatabaseConnections, which had run at 240-290 through the "
        "night shift, drops to and stays at ~150 from that minute, and the .NET put-away planner starts failing with "
        "`MySqlConnector.MySqlException (0x80004005): Too many connections`. The dock-door-sync deploy 40 s "
        "before the onset is the nearest change but that function keeps syncing; putaway-planner's own deploy "
        "was three hours earlier; the aborted-connection notes and deadlock retries are all-night noise.")
    sc.meta["judgement"] = ("Connections at the limit with `Too many connections` is the db_connection_exhaustion "
                            "signature, but the limit was lowered by a parameter change just before onset: by the "
                            "stated tie-break the configuration change is the more specific trigger. Origin is the "
                            "DB instance whose parameters changed.")
    return sc


BUILDERS = [build13, build14]
