"""h89-07 (risk MySQL storage stalls, margin API latency alarm, a caller deployed just before) and
h89-08 (retail order intake hits its reserved concurrency at the open, alarm on the API)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, mysql

from .kit import (apigw_exec, apigw_metrics, ecs_metrics, emit, every, lambda_metrics, log4j, new,
                  py_traceback, rds_metrics, sample_lambda)


def build_07():
    sc = new(7, "margin-api-latency",
             "Margin checks slow and failing; margin API latency alarm in ALARM.",
             "eu-west-1", "2026-03-18T15:05:00+00:00")
    db, fn, api, cl, svc = "mrg-risk-db", "margin-check", "margin-api", "risk-eu", "liq-monitor"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6i.xlarge",
                max_connections=2000, allocated_storage_gb=1200, storage_type="gp3")
    sc.resource("lambda", fn, runtime="python3.11", timeout=10, memory_size=512)
    sc.resource("apigateway", api, stage="v1", api_id="p8d2m5r1tz")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=2, runtime="java17")
    DEP, ON = -2700, -2400
    st = lambda t: ramp(t, ON, ON + 90)
    inv, err = lambda_metrics(sc, fn, inv=lambda t: 150, err=lambda t: 0.1 + 82 * st(t),
                              dur=lambda t: 46 + 4300 * st(t))
    apigw_metrics(sc, api, count=lambda t: 150, e4=lambda t: 1.5, e5=lambda t: 0.1 + 80 * st(t),
                  lat=lambda t: 61 + 4300 * st(t))
    rds_metrics(sc, db, cpu=lambda t: 31 - 12 * st(t) + bump(t, -15000, -14500, 20, 100),
                conns=lambda t: 214 + 118 * st(t), free_gb=lambda t: 807 - 0.000004 * (t + 21600),
                rlat=lambda t: 0.0014 + 0.85 * st(t), wlat=lambda t: 0.0027 + 1.3 * st(t),
                mem_gb=lambda t: 11.2, queue=lambda t: 0.8 + 62 * st(t))
    ecs_metrics(sc, cl, svc, cpu=lambda t: 24 - 9 * st(t), mem=lambda t: 52)

    def body(ll, t, reqid, is_err, cold):
        acct = sc.rng.randint(100000, 999999)
        lines = [(0.002, f"[INFO]\t{sc.iso(t)}\t{reqid}\tmargin check acct={acct} "
                         f"positions={sc.rng.randint(1, 40)}")]
        if is_err:
            lines.append((5.01, py_traceback(
                "OperationalError: (2013, 'Lost connection to MySQL server during query (timed out)')",
                [("/var/task/app.py", 77, "handler", "snap = repo.load_positions(acct)"),
                 ("/var/task/risk/repo.py", 31, "load_positions", "cur.execute(POSITIONS_SQL, (acct,))"),
                 ("/var/task/pymysql/connections.py", 732, "_read_bytes",
                  "raise err.OperationalError(CR.CR_SERVER_LOST, \"Lost connection to MySQL server during "
                  "query (timed out)\")")])))
            return {"lines": lines, "dur": sc.rng.gauss(5030, 20)}
        if sc.rng.random() < 0.15:
            lines.append((0.01, f"[WARNING]\t{sc.iso(t)}\t{reqid}\tmark price for {sc.rng.choice(['AVAX', 'ARB'])}"
                                f"-PERP older than 3s, using index"))
        d = sc.rng.gauss(45, 8) if t < ON else sc.rng.gauss(2600, 900)
        lines.append((d / 1000 - 0.002, f"[INFO]\t{sc.iso(t + d / 1000)}\t{reqid}\tmargin ok acct={acct} "
                                        f"ratio={sc.rng.uniform(1.2, 9):.2f}"))
        return {"lines": lines, "dur": d}

    ll = LambdaLogs(sc, fn, "python3.11", 512, 10, prewarm=-12480, retire=[DEP], mem_used=(96, 4))
    sample_lambda(ll, inv, err, body)
    g = f"/ecs/{svc}"
    for k in range(2):
        s = f"ecs/{svc}/{sc.hexid(32)}"
        every(sc, g, s, 20, lambda t: (log4j(sc, t, "INFO", f"liq-scan-{sc.rng.randint(1, 4)}",
                                             "c.k.risk.LiquidationScanner", f"scan cycle accounts="
                                             f"{sc.rng.randint(1800, 1900)} took={sc.rng.randint(300, 520)}ms")
                                       if t < ON else log4j(
            sc, t, "ERROR", f"liq-scan-{sc.rng.randint(1, 4)}", "c.k.risk.LiquidationScanner",
            "scan failed: com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure\n\n"
            "The last packet successfully received from the server was 10,004 milliseconds ago. The last packet "
            "sent successfully to the server was 10,005 milliseconds ago.")))
        emit(sc, g, s, lambda t: 0.6, lambda t: log4j(sc, t, "WARN", "md-consumer", "c.k.risk.MarkPriceCache",
                                                      f"mark price stale for {sc.rng.choice(['AVAX', 'ARB', 'OP'])}"
                                                      f"-PERP age={sc.rng.randint(3100, 5200)}ms"))
    g2, s2 = f"/aws/rds/instance/{db}/error", db
    emit(sc, g2, s2, lambda t: 0.3, lambda t: mysql(
        sc, t, 0, "Warning", "MY-010055", f"IP address '{sc.ip('10.21')}' could not be resolved: Name or service "
                                          f"not known"))
    emit(sc, g2, s2, lambda t: 3 * st(t), lambda t: mysql(
        sc, t, 0, "Note", "MY-011953", f"Page cleaner took {sc.rng.randint(4000, 48000)}ms to flush "
                                       f"{sc.rng.randint(90, 2000)} and evict 0 pages", subsystem="InnoDB"))
    emit(sc, g2, s2, lambda t: 4 * st(t), lambda t: mysql(
        sc, t, sc.rng.randint(8000, 9900), "Note", "MY-010914",
        f"Aborted connection {sc.rng.randint(8000, 9900)} to db: 'risk' user: 'margin_rw' host: "
        f"'{sc.ip('10.21')}' (Got timeout reading communication packets)."))
    g3, s3 = "API-Gateway-Execution-Logs_p8d2m5r1tz/v1", "p8d2m5r1tz-v1"

    def gw(t):
        r = sc.uuid()
        if sc.rng.random() < 0.55 * st(t):
            return [apigw_exec(r, "Lambda execution failed with status 200 due to customer function error: "
                                  "(2013, 'Lost connection to MySQL server during query (timed out)')"),
                    apigw_exec(r, "Method completed with status: 502")]
        return apigw_exec(r, "Method completed with status: 200")
    emit(sc, g3, s3, lambda t: 2, gw)
    sc.change(DEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "ci-deployer")
    sc.change(DEP + 7, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "ci-deployer")
    sc.change(DEP + 9, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, "ci-deployer")
    sc.alarm("margin-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 3, 2000,
             "GreaterThanThreshold", "Margin API mean latency above 2 s")
    sc.alarm("margin-check-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "margin-api-latency", "root_cause": {"category": "dependency_failure", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "ReadLatency", "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = {
        "front": "front (API Gateway)", "services": ["apigateway", "lambda", "rds", "ecs"], "origin_type": "rds",
        "decoys": "margin-check deploy 5 min before onset (in the alarm path); second alarm on margin-check "
                  "Errors; mark-price and DNS warnings all along",
        "story": "margin-api's mean latency goes from ~60 ms to ~4 s and margin-check fails about half its "
                 "calls. margin-check was deployed five minutes before, but its logs show five minutes of "
                 "normal checks on the new code and then 'Lost connection to MySQL server during query (timed "
                 "out)' after a 5 s read timeout; at the same minute the liq-monitor ECS service, which was "
                 "not deployed, starts failing every scan with 'Communications link failure'. mrg-risk-db "
                 "shows why: read/write latency from ~2 ms to ~1 s, DiskQueueDepth ~60, InnoDB page cleaner "
                 "taking up to 48 s and aborted connections, while CPU drops, connections (330 of 2000) and "
                 "free storage are fine: a degraded dependency, not an exhausted one.",
        "judgement": "A deployment of the function in the alarm path precedes onset by 5 minutes; it is rejected "
                     "because the same DB timeouts hit an undeployed caller at the same minute and the DB's own "
                     "I/O metrics and log degrade; nothing on the DB is at a limit, so dependency_failure.",
    }
    return sc


def build_08():
    sc = new(8, "retail-api-5xx-at-open",
             "Retail order API returning 5xx at the Singapore open.",
             "ap-southeast-1", "2026-03-19T01:35:00+00:00")
    fn, api = "ord-intake-retail", "retail-trade-api"
    RC = 60
    sc.resource("lambda", fn, runtime="python3.12", timeout=8, memory_size=512, reserved_concurrency=RC)
    sc.resource("lambda", "px-ticker-cache", runtime="python3.12", timeout=5, memory_size=256)
    sc.resource("apigateway", api, stage="live", api_id="w4n7c1x9sa")
    OPEN = -2100
    demand = lambda t: (620 + 880 * ramp(t, -9000, -5400) + 1250 * ramp(t, OPEN, OPEN + 240))
    dur_s = 1.55
    conc_d = lambda t: demand(t) * dur_s / 60.0
    served = lambda t: demand(t) * min(1.0, RC * 0.985 / conc_d(t))
    thr = lambda t: max(0.0, demand(t) - served(t))
    inv, err = lambda_metrics(sc, fn, inv=served, err=lambda t: 0.05 * served(t) / 100, dur=lambda t: dur_s * 1000,
                              thr=thr, conc=lambda t: min(RC, conc_d(t)), conc_cap=RC)
    lambda_metrics(sc, "px-ticker-cache", inv=lambda t: 60, err=lambda t: 0.0, dur=lambda t: 22)
    apigw_metrics(sc, api, count=lambda t: demand(t) + 40, e4=lambda t: 21, e5=lambda t: 0.2 + thr(t),
                  lat=lambda t: dur_s * 1000 + 30 - 600 * min(1.0, thr(t) / demand(t) * 3))

    def body(ll, t, reqid, is_err, cold):
        oid = f"co-{sc.hexid(10)}"
        lines = [(0.003, f"[INFO]\t{sc.iso(t)}\t{reqid}\tnew order {oid} "
                         f"{sc.rng.choice(['BUY', 'SELL'])} {sc.rng.choice(['BTC-SGD', 'ETH-SGD', 'SOL-SGD'])} "
                         f"type={sc.rng.choice(['LIMIT', 'LIMIT', 'MARKET'])}")]
        if sc.rng.random() < 0.04:
            lines.append((0.01, f"[WARNING]\t{sc.iso(t)}\t{reqid}\tduplicate client_order_id {oid}; returning "
                                f"existing order"))
        d = sc.rng.gauss(dur_s * 1000, 250)
        lines.append((d / 1000 - 0.003, f"[INFO]\t{sc.iso(t + d / 1000)}\t{reqid}\tengine ack {oid} "
                                        f"seq={sc.rng.randint(10 ** 8, 10 ** 9)}"))
        return {"lines": lines, "dur": d}

    sample_lambda(LambdaLogs(sc, fn, "python3.12", 512, 8, prewarm=-12480, mem_used=(131, 5)), inv, err, body)
    g, s = "API-Gateway-Execution-Logs_w4n7c1x9sa/live", "w4n7c1x9sa-live"

    def gw(t):
        r = sc.uuid()
        p = thr(t) / demand(t)
        if sc.rng.random() < p:
            return apigw_exec(r, sc.rng.choice([
                f"Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}",
                "Execution failed due to configuration error: Rate Exceeded."]))
        if sc.rng.random() < 0.012:
            return apigw_exec(r, "Method completed with status: 401")
        return apigw_exec(r, "Method completed with status: 200")
    emit(sc, g, s, lambda t: 3.0, gw)
    sc.change(-2160, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "px-ticker-cache", "mkt-ops")
    sc.alarm("retail-trade-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 50,
             "GreaterThanThreshold", "Retail trade API 5xx")
    sc.alarm("retail-trade-api-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 2, 400,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "retail-trade-api-5xx", "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "front (API Gateway)", "services": ["apigateway", "lambda"], "origin_type": "lambda",
        "decoys": "px-ticker-cache configuration update 1 min before the open; the open's volume step; steady "
                  "401s (4XX) and duplicate-order warnings",
        "story": "retail-trade-api's 5XXError jumps to ~400 a minute at 09:00 SGT. Demand rises from ~1,500 to "
                 "~2,750 requests a minute at the open; ord-intake-retail, with reserved concurrency 60 and "
                 "1.5 s calls, can serve at most ~2,300, so its ConcurrentExecutions flat-tops at 60 and "
                 "Throttles rise to ~400 a minute, matching the API's 5xx; the execution log shows 'Lambda "
                 "invocation failed with status: 429' and 'Rate Exceeded'. Invocations that run are normal "
                 "(same duration, no errors). The px-ticker-cache configuration update just before the open is "
                 "on a function whose metrics never move, and the 401s are steady.",
        "judgement": "Volume rises ~1.8x at the open, a daily pattern rather than a surge far above usual, "
                     "and the limiting fault is the function's reserved-concurrency ceiling with explicit "
                     "throttles: throttling, not traffic_surge.",
    }
    return sc


BUILDERS = [build_07, build_08]
