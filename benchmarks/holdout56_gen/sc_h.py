"""h56-15, h56-16: a weekly VACUUM FULL locking an Aurora table, a mistyped API Gateway stage variable."""
import datetime as dt

from . import logfmt as lf
from .core import Scenario
from .lambda_sim import LambdaFn

ACCOUNT = "412907655218"


def s15_orders_aurora_lock():
    sc = Scenario(name="h56-15-orders-aurora-vacuum-lock", region="eu-north-1", seed=5615, tz_hours=1,
                  now_utc=dt.datetime(2026, 2, 22, 2, 40),
                  description="orders-api 5xx and slow responses in the small hours of Sunday; 5XXError alarm.")
    rng = sc.rng
    db, cluster = "orders-aurora-writer", "orders-aurora"
    sc.resource("rds", db, engine="aurora-postgresql", engine_version="15.4", instance_class="db.r6g.xlarge",
                cluster=cluster, max_connections=2700, extensions="pg_cron")
    fn = LambdaFn(sc, "orders-api-handler", "nodejs20.x", 512, 10)
    sc.resource("lambda", fn.name, runtime="nodejs20.x", timeout=10, memory_size=512,
                db_statement_timeout_ms=8000)
    sc.resource("apigateway", "orders-api", stage="prod", rest_api_id="o3rd5x0q2k")
    exp = LambdaFn(sc, "orders-export", "nodejs20.x", 1024, 300)
    sc.resource("lambda", exp.name, runtime="nodejs20.x", timeout=300, memory_size=1024, schedule="rate(30 minutes)")
    sc.change(-5030, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              exp.name, "AWSReservedSSO_Developer_0f3c2d/nils.berg")
    exp.resets = [-5030]
    lock = -2400
    vac_pid = 31544
    pg = []

    counts, errs, lats = {}, {}, {}
    routes = [("GET", "/v1/orders/{id}", True), ("GET", "/v1/orders/{id}/items", True),
              ("GET", "/v1/customers/{id}", False), ("POST", "/v1/orders", True), ("GET", "/v1/orders?status=open", True)]
    for m in sc.minutes():
        n = sc.poisson(sc.diurnal(m, 160, 14) + (70 if -6000 <= m < -5400 else 0))
        counts[m], errs[m], lats[m] = n, 0, []
        for _ in range(n):
            t = m + rng.uniform(0, 60)
            method, route, items = rng.choices(routes, [5, 2, 2, 1, 1])[0]
            path = route.replace("{id}", str(rng.randint(10 ** 7, 10 ** 8)))
            lines = [(0.002, "INFO", f"{method} {path}")]
            if rng.random() < 0.04:
                lines.append((0.004, "ERROR", 'ValidationError: "customerId" must be a valid GUID'))
            if items and t >= lock:
                dur = 8000 + rng.uniform(5, 40)
                lines.append((8.004, "ERROR", f"query failed {method} {path}: error: canceling statement due to "
                                             f"statement timeout (code 57014)"))
                fn.add(t, dur, "ok", lines + [(dur / 1000 - 0.001, "INFO", "status=500")], mem=rng.randint(96, 110))
                errs[m] += 1
                lats[m].append(dur + 12)
                bp = rng.randint(2000, 2900)
                if t >= sc.log_from and rng.random() < 0.5:
                    st = "SELECT oi.* FROM orders.order_items oi WHERE oi.order_id = $1"
                    c = (f"10.70.{rng.randint(1, 3)}.{rng.randint(5, 250)}", rng.randint(32768, 60999))
                    pg.append((t + 1.0, lf.pg(sc, t + 1.0, "LOG", f"process {bp} still waiting for AccessShareLock on "
                                              f"relation 16587 of database 16401 after 1000.{rng.randint(10, 99)} ms",
                                              bp, c, "orders_api", "orders")))
                    pg.append((t + 1.0001, lf.pg(sc, t + 1.0001, "DETAIL", f"Process holding the lock: {vac_pid}. Wait "
                                                 f"queue: {bp}.", bp, c, "orders_api", "orders")))
                    pg.append((t + 8.0, lf.pg(sc, t + 8.0, "ERROR", "canceling statement due to statement timeout",
                                              bp, c, "orders_api", "orders")))
                    pg.append((t + 8.0001, lf.pg(sc, t + 8.0001, "STATEMENT", st, bp, c, "orders_api", "orders")))
                continue
            dur = rng.uniform(18, 95)
            lines.append((dur / 1000 - 0.001, "INFO", "status=200"))
            fn.add(t, dur, "ok", lines, mem=rng.randint(96, 110))
            lats[m].append(dur + 12)
    fn.emit_metrics()
    fn.emit_logs()
    a = {"ApiName": "orders-api"}
    sc.series("AWS/ApiGateway", "Count", a, "Count", lambda m: counts[m] or None)
    sc.series("AWS/ApiGateway", "5XXError", a, "Count", lambda m: errs[m] if counts[m] else None)
    sc.series("AWS/ApiGateway", "4XXError", a, "Count", lambda m: sc.poisson(counts[m] * .04) if counts[m] else None)
    sc.series("AWS/ApiGateway", "Latency", a, "Milliseconds", lambda m: sum(lats[m]) / len(lats[m]) if lats[m] else None)

    pg.append((lock, lf.pg(sc, lock, "LOG", "cron job 7 starting: VACUUM (FULL, VERBOSE) orders.order_items", 4107)))
    pg.append((lock + 0.2, lf.pg(sc, lock + 0.2, "INFO", "vacuuming \"orders.order_items\"", vac_pid, None,
                                 "postgres", "orders")))
    for t in range(-sc.history + 130, 0, 300):
        if t >= sc.log_from:
            w = rng.randint(3000, 9000) * (4 if t >= lock else 1)
            pg.append((t, lf.pg(sc, t, "LOG", f"checkpoint complete: wrote {w} buffers ({w / 3276.8:.1f}%); 0 WAL "
                                f"file(s) added, 0 removed, {rng.randint(2, 9)} recycled", 412)))
    sc.log(f"/aws/rds/cluster/{cluster}/postgresql", db, pg)

    rd = {"DBInstanceIdentifier": db}
    sc.series("AWS/RDS", "CPUUtilization", rd, "Percent", lambda m: rng.uniform(9, 14) + (17 if m >= lock else 0))
    sc.series("AWS/RDS", "DatabaseConnections", rd, "Count",
              lambda m: rng.randint(30, 38) + (min(70, (m - lock) // 20) if m >= lock else 0))
    sc.series("AWS/RDS", "WriteIOPS", rd, "Count/Second",
              lambda m: rng.uniform(150, 260) * (9 if m >= lock else 1))
    sc.series("AWS/RDS", "ReadIOPS", rd, "Count/Second", lambda m: rng.uniform(80, 160) * (6 if m >= lock else 1))
    sc.series("AWS/RDS", "FreeableMemory", rd, "Bytes", lambda m: rng.uniform(1.92e10, 1.96e10))
    sc.series("AWS/RDS", "CommitLatency", rd, "Milliseconds", lambda m: rng.uniform(1.1, 2.0))

    for t in range(-sc.history + 90, 0, 1800):
        lines = [(0.02, "INFO", "Exporting closed orders to s3://acme-orders-export/"),
                 (14.0, "INFO", f"Exported {rng.randint(200, 3000)} orders")]
        exp.add(t, rng.uniform(14200, 16000), "ok", lines, mem=rng.randint(240, 300))
    exp.emit_metrics()
    exp.emit_logs()

    sc.alarm("orders-api-5xx", "AWS/ApiGateway", "5XXError", a, "Sum", 300, 1, 10, "GreaterThanThreshold",
             description="orders-api server errors")
    sc.set_expect("orders-api-5xx", "dependency_failure", [db, cluster],
                  [("AWS/ApiGateway", "5XXError", a), ("AWS/Lambda", "Duration", {"FunctionName": fn.name})])
    sc.notes = {
        "category": "dependency_failure", "origin": "front (API in front of the blocked database)",
        "decoys": "orders-export configuration change 44 min before onset (healthy); the 01:00 UTC partner "
                  "sync spike on the same API earlier (no errors); steady ValidationError lines",
        "story": "At 02:00 UTC on Sunday the weekly pg_cron job 7 starts VACUUM (FULL) on orders.order_items, "
                 "which holds an AccessExclusiveLock for as long as it runs. Every API query touching that table "
                 "waits on the lock ('still waiting for AccessShareLock ... Process holding the lock: 31544') and "
                 "is cancelled by the 8 s statement_timeout, so orders-api returns 500s with ~8 s latency, while "
                 "customer routes stay fast. The database is far from its connection or CPU limits, nothing "
                 "changed on the API or function. Timeouts from a database that is not exhausted: "
                 "dependency_failure, origin the Aurora writer.",
    }
    return sc


def s16_quotes_stage_variable():
    sc = Scenario(name="h56-16-quotes-stage-variable", region="sa-east-1", seed=5616, tz_hours=-3,
                  now_utc=dt.datetime(2026, 6, 20, 6, 10), log_from=-5400,
                  description="Partner quotes API failing during the night release window; 5XXError alarm.")
    rng = sc.rng
    api, api_id = "partner-quotes-api", "q8v2m4x7tn"
    sc.resource("apigateway", api, stage="prod", rest_api_id=api_id,
                integration="arn:aws:lambda:sa-east-1:%s:function:quote-engine:${stageVariables.lambdaAlias}" % ACCOUNT)
    fn = LambdaFn(sc, "quote-engine", "python3.12", 1024, 10)
    sc.resource("lambda", fn.name, runtime="python3.12", timeout=10, memory_size=1024, aliases=["live"])
    curve = LambdaFn(sc, "fx-curve-builder", "python3.12", 2048, 300)
    sc.resource("lambda", curve.name, runtime="python3.12", timeout=300, memory_size=2048, schedule="cron(0/30 * * * ? *)")
    sc.resource("ecs", "web/broker-portal", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024)
    deploy, stage = -1640, -1500
    for dt_, ev in ((0, "UpdateFunctionCode20150331v2"), (8, "PublishVersion20150331"), (20, "UpdateAlias20150331")):
        sc.change(deploy + dt_, "lambda.amazonaws.com", ev, "AWS::Lambda::Function", fn.name, "github-actions-quotes")
    sc.change(stage, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api,
              "AWSReservedSSO_Release_9d0e77/rafael.souza")
    sc.change(-7130, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/broker-portal", "codepipeline-web")
    fn.versions = [(-99999, "41"), (deploy + 20, "42")]
    fn.resets = [deploy + 20]
    bad_arn = f"arn:aws:lambda:sa-east-1:{ACCOUNT}:function:quote-engine:live-canray"

    counts, e5, e4, lat, ilat = {}, {}, {}, {}, {}
    exec_log = []
    for m in sc.minutes():
        n = sc.poisson(sc.diurnal(m, 34, 7, peak_hour=2))       # the main partner works Asian business hours
        counts[m], e5[m], e4[m], lat[m], ilat[m] = n, 0, 0, [], []
        for _ in range(n):
            t = m + rng.uniform(0, 60)
            rid = sc.uid()
            logged = t >= sc.log_from
            if rng.random() < 0.05:
                e4[m] += 1
                if logged:
                    exec_log.append((t + 0.002, lf.apigw_exec(sc, t, rid, "Request body does not match model schema "
                                                               "for content type application/json: [object has missing "
                                                               "required properties ([\"notional\"])]")))
                    exec_log.append((t + 0.003, lf.apigw_exec(sc, t, rid, "Method completed with status: 400")))
                continue
            if t >= stage + 4:
                e5[m] += 1
                lat[m].append(rng.uniform(9, 22))
                if logged:                    # stage logging level is ERROR: only failing requests are logged
                    lrid = sc.uid()
                    exec_log.append((t + 0.011, lf.apigw_exec(sc, t, rid, f"Lambda invocation failed with status: 404. "
                                                               f"Lambda request id: {lrid}")))
                    exec_log.append((t + 0.012, lf.apigw_exec(sc, t, rid, f"Execution failed due to configuration error: "
                                                               f"Function not found: {bad_arn} (Service: Lambda, Status "
                                                               f"Code: 404, Request ID: {lrid})")))
                    exec_log.append((t + 0.013, lf.apigw_exec(sc, t, rid, "Method completed with status: 500")))
                continue
            d = rng.uniform(120, 420)
            pair = rng.choice(["USDBRL", "EURBRL", "USDCLP", "USDMXN"])
            lines = [(0.002, "INFO", f"quote request pair={pair} notional={rng.randint(1, 500) * 1000} tenor="
                                     f"{rng.choice(['SPOT', '1W', '1M', '3M'])}")]
            lines.append((d / 1000 - 0.003, "INFO", f"quoted {pair} in {d:.0f} ms (curve age {rng.randint(1, 29)} min)"))
            fn.add(t, d, "ok", lines, mem=rng.randint(180, 215))
            lat[m].append(d + 18)
            ilat[m].append(d + 6)
    fn.emit_metrics()
    fn.emit_logs()
    sc.log(f"API-Gateway-Execution-Logs_{api_id}/prod", f"{sc.hexid(32)}", exec_log)
    a = {"ApiName": api}
    sc.series("AWS/ApiGateway", "Count", a, "Count", lambda m: counts[m] or None)
    sc.series("AWS/ApiGateway", "5XXError", a, "Count", lambda m: e5[m] if counts[m] else None)
    sc.series("AWS/ApiGateway", "4XXError", a, "Count", lambda m: e4[m] if counts[m] else None)
    sc.series("AWS/ApiGateway", "Latency", a, "Milliseconds", lambda m: sum(lat[m]) / len(lat[m]) if lat[m] else None)
    sc.series("AWS/ApiGateway", "IntegrationLatency", a, "Milliseconds",
              lambda m: sum(ilat[m]) / len(ilat[m]) if ilat[m] else None)

    for t in [x for x in range(-sc.history, 0, 60) if sc.at(x).minute in (0, 30)]:
        lines = [(0.02, "INFO", "Building BRL/CLP/MXN forward curves from B3 and broker feeds"),
                 (52.0, "INFO", f"Published 3 curves ({rng.randint(180, 220)} points) to s3://acme-quotes/curves/")]
        curve.add(t + 0.5, rng.uniform(52500, 61000), "ok", lines, mem=rng.randint(900, 1100))
    curve.emit_metrics()
    curve.emit_logs()
    bd = {"ClusterName": "web", "ServiceName": "broker-portal"}
    sc.series("AWS/ECS", "CPUUtilization", bd, "Percent", lambda m: rng.uniform(2, 5) + (12 if -7130 <= m < -6900 else 0))
    sc.series("AWS/ECS", "MemoryUtilization", bd, "Percent", lambda m: rng.uniform(38, 41))

    sc.alarm("partner-quotes-api-5xx", "AWS/ApiGateway", "5XXError", a, "Sum", 60, 3, 5, "GreaterThanThreshold",
             description="Partner quotes API server errors")
    sc.set_expect("partner-quotes-api-5xx", "config_change", [api, api_id],
                  [("AWS/ApiGateway", "5XXError", a), ("AWS/Lambda", "Invocations", {"FunctionName": fn.name})])
    sc.notes = {
        "category": "config_change", "origin": "origin (the API whose stage was changed)",
        "decoys": "quote-engine version 42 deployed and aliased 2 min before the stage change (it serves requests "
                  "without errors until traffic stops reaching it); broker-portal ECS deploy 2 h earlier; "
                  "half-hourly fx-curve-builder runs; steady 400 schema-validation rejections",
        "story": "In the 03:00 BRT release window CI published quote-engine version 42 and moved the `live` alias; "
                 "invocations on version 42 succeed. Two minutes later an engineer updated the prod stage of "
                 "partner-quotes-api (UpdateStage): the lambdaAlias stage variable now reads `live-canray`, an "
                 "alias that does not exist. From then on every quote request ends with 'Execution failed due to "
                 "configuration error: Function not found: ...:quote-engine:live-canray' and a 500, and the "
                 "function receives no invocations at all. The configuration change (which beats the co-timed "
                 "deployment by the format's tie-break and by the evidence) is the cause: config_change on the API.",
    }
    return sc
