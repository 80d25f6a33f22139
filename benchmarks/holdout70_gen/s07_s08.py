"""h70-07 (catalogue API: MySQL connection slots used up) and h70-08 (heartbeat API: hot-partition throttling)."""
from __future__ import annotations


from .common import Scenario, bump, diurnal, ramp
from .kit import (jdump, LOG_FROM, alb_metrics, apigw_metrics, at_rate, dmap, ecs_deploy, ecs_metrics, emit,
                  every, lambda_config, lambda_metrics, meta, pick, rds_metrics)
from .runtimes import LambdaLogs, mysql, spring


# =========================================================================== h70-07
def build_07() -> Scenario:
    sc = Scenario(7, "catalog-edge-5xx", "Browse rows and title pages failing in the apps; 5XX alarm on "
                  "the catalogue ALB.", "ap-south-1", 7007, "2026-03-14T14:10:00+00:00")
    lb = "app/catalog-edge/5d0e7b1a9c3f2846"
    cluster, svc = "catalog", "title-api"
    db, fn = "titles-db-aps1", "rights-window-sync"
    sc.resource("alb", lb, name="catalog-edge")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
                hikari_maximum_pool_size=10)
    sc.resource("ecs", f"{cluster}/search-indexer", launch_type="FARGATE", desired_count=2)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.39", instance_class="db.t4g.small",
                max_connections=150, allocated_storage_gb=200)
    sc.resource("lambda", fn, runtime="python3.13", timeout=300, memory_size=512, event_source="SQS rights-feed")
    feed, onset = -3060, -2700
    cdn0, cdn1 = -15600, -14700

    inv = sc.series(lambda t: 2 + 28 * ramp(t, feed, feed + 300), integer=True)
    dur = sc.series(lambda t: 4200 + 150000 * ramp(t, feed, feed + 400), noise=0.1)
    conc = sc.series(lambda t: 1 + 94 * ramp(t, feed, onset), noise=0.03, digits=0)
    conns_f = lambda t: min(150.0, 46 + 104 * ramp(t, feed, onset) + 4 * bump(t, cdn0, cdn1, 1))
    conns = sc.series(conns_f, noise=0.012, cap=150.0, digits=0)
    full = lambda t: ramp(t, onset - 60, onset)
    lerr = sc.series(lambda t: 0.02 + 9 * full(t), integer=True)
    lerr = [min(a, b) for a, b in zip(lerr, inv)]
    lambda_metrics(sc, fn, inv, lerr, dur, conc=conc)
    req = sc.series(lambda t: 1400 * diurnal(sc, t, 14.5, 0.25) * (1 + bump(t, cdn0, cdn1, 1.1, 200)), integer=True)
    t5 = sc.series(lambda t: 0.6 + at_rate(req, t) * 0.045 * full(t), integer=True)
    rt = sc.series(lambda t: 0.085 + 0.02 * bump(t, cdn0, cdn1, 1) + 0.9 * full(t), noise=0.08)
    alb_metrics(sc, lb, req, t5, rt)
    ecs_metrics(sc, cluster, svc, sc.series(lambda t: 28 * diurnal(sc, t, 14.5, 0.25) * (1 + 0.6 * bump(t, cdn0, cdn1, 1)),
                                           noise=0.05),
                sc.series(lambda t: 58, noise=0.02))
    ecs_metrics(sc, cluster, "search-indexer", sc.series(lambda t: 12 + 30 * ramp(t, -2790, -2700), noise=0.06),
                sc.series(lambda t: 40, noise=0.02))
    rds_metrics(sc, db, sc.series(lambda t: 22 * diurnal(sc, t, 14.5, 0.2) + 14 * ramp(t, feed, feed + 300), noise=0.06),
                conns, sc.series(lambda t: 121.4 - 0.02 * (t + 21600) / 3600, noise=0.0005, digits=3),
                read_lat=sc.series(lambda t: 0.0011 + 0.0006 * ramp(t, feed, feed + 300), noise=0.1, digits=5),
                write_lat=sc.series(lambda t: 0.0019, noise=0.1, digits=5),
                free_mem_gb=sc.series(lambda t: 0.52 - 0.1 * ramp(t, feed, onset), noise=0.01))

    # title-api (Spring Boot, HikariCP)
    group = f"/ecs/{svc}"
    titles = [f"T{sc.rng.randint(1000000, 9999999)}" for _ in range(80)]
    for k in range(4):
        st = f"api/{svc}/{sc.hexid(32)}"
        app = svc

        def normal(t):
            r = sc.rng.random()
            if r < 0.08:
                return spring(sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}", "c.m.c.artwork.ArtworkClient",
                              f"artwork lookup 404 for title {pick(sc, titles)} variant=16x9_hero; using fallback", app)
            if r < 0.14:
                return spring(sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}",
                              "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                              "Servlet.service() for servlet [dispatcherServlet] threw exception "
                              "org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe", app)
            return spring(sc, t, "INFO", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}", "c.m.c.title.TitleController",
                          f"GET /v2/titles/{pick(sc, titles)} 200 {sc.rng.randint(12, 140)}ms", app)

        emit(sc, group, st, LOG_FROM, 0, lambda t: 3.0, normal)

        def fail(t):
            if sc.rng.random() < 0.5:
                return spring(sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}", "com.zaxxer.hikari.pool.PoolBase",
                              "HikariPool-1 - Pool is empty, failed to create/setup connection",
                              app) + "\njava.sql.SQLNonTransientConnectionException: Data source rejected establishment of " \
                                    "connection,  message from server: \"Too many connections\""
            return spring(sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}",
                          "c.m.c.web.GlobalExceptionHandler",
                          "GET /v2/titles/" + pick(sc, titles) + " failed: org.springframework.jdbc.CannotGetJdbcConnectionException: "
                          "Failed to obtain JDBC Connection; nested exception is java.sql.SQLTransientConnectionException: "
                          "HikariPool-1 - Connection is not available, request timed out after 30000ms.", app)

        emit(sc, group, st, onset, 0, lambda t: at_rate(t5, t) / 4 * 0.2, fail)
    # rights-window-sync (Python)
    ll = LambdaLogs(sc, fn, "python3.13", 512, 300, mem_used=(141, 10))

    def body(ll_, t, rid, is_err, cold):
        n = sc.rng.randint(200, 600) if t >= feed else sc.rng.randint(0, 12)
        lines = [(0.01, ll_.fmt(t, rid, "INFO", f"received {min(n, 10)} SQS records; {n} rights windows to upsert"))]
        if is_err:
            return {"dur": sc.rng.uniform(50, 300), "lines": lines + [(0.05, (
                "[ERROR] OperationalError: (1040, 'Too many connections')\nTraceback (most recent call last):\n"
                '  File "/var/task/sync/handler.py", line 24, in handler\n    conn = pymysql.connect(**DB)\n'
                '  File "/var/task/pymysql/connections.py", line 361, in __init__\n    self.connect()'))]}
        d = sc.rng.gauss(150000, 20000) if t >= feed else sc.rng.gauss(4200, 600)
        return {"dur": d, "lines": lines + [(d / 1000 - 0.05, ll_.fmt(t + d / 1000, rid, "INFO",
                                                                   f"upserted {n} windows territory=IN,LK,BD"))]}

    ll.run({k: v for k, v in dmap(inv).items() if k >= LOG_FROM},
           {k: v for k, v in dmap(lerr).items() if k >= LOG_FROM}, body)
    # MySQL error log
    eg, es = f"/aws/rds/instance/{db}/error", db
    emit(sc, eg, es, LOG_FROM, 0, lambda t: 0.25, lambda t: mysql(
        sc, t, sc.rng.randint(9000, 99999), "Note", "MY-010914",
        f"Aborted connection {sc.rng.randint(100000, 999999)} to db: 'titles' user: 'catalog_ro' host: "
        f"'{sc.ip('10.60')}' (Got an error reading communication packets)."))
    every(sc, eg, es, LOG_FROM + 120, 0, 1800, lambda t: mysql(
        sc, t, 0, "Warning", "MY-013360", "Plugin mysql_native_password reported: ''mysql_native_password' is "
        "deprecated and will be removed in a future release. Please use caching_sha2_password instead'"))
    ecs_deploy(sc, -2790, cluster, "search-indexer", "search-indexer", "github-actions-catalog")
    sc.alarm("catalog-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 10, "GreaterThanThreshold", "Catalogue API 5XX")
    sc.alarm("rights-window-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    sc.alarm("titles-db-aps1-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "catalog-edge-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    meta(sc, "front (ALB); origin is the RDS instance two hops back",
         "search-indexer deploy 90 s before the onset; second alarm on the sync Lambda; constant Broken pipe "
         "errors and artwork 404 warnings; CDN spike 4 h ago; aborted-connection notes",
         "`catalog-edge` target 5XX and latency rise at about -2700. `title-api` logs HikariCP `Connection is not "
         "available` and `Too many connections` from that point. `titles-db-aps1` (max_connections 150) has "
         "`DatabaseConnections` climbing from about 46 to 150 after a large rights feed reached `rights-window-sync` "
         "(-3060): its concurrency grows to about 95 long-running invocations that each hold a connection. At the "
         "limit both the Lambda (`(1040, 'Too many connections')`) and the API fail. DB CPU, latency and memory stay "
         "moderate. The `search-indexer` deploy at -2790 is closer to the onset but that service does not use this "
         "database's pool and its own metrics are fine. `Broken pipe` client aborts, artwork 404 warnings and the "
         "aborted-connection notes are steady for hours. Verdict: database connection exhaustion; origin is the "
         "database.")
    return sc


# =========================================================================== h70-08
def build_08() -> Scenario:
    sc = Scenario(8, "heartbeat-api-5xx", "Premiere night: watch-progress and concurrent-stream checks "
                  "failing; 5XX alarm on the heartbeat API.", "sa-east-1", 7008, "2026-03-21T00:40:00+00:00")
    api, fn, table = "player-telemetry", "playback-heartbeat", "view-sessions"
    sc.resource("apigateway", api, stage="v1", endpoint="REGIONAL", integration=f"lambda:{fn}")
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=10, memory_size=256, reserved_concurrency=400,
                dynamodb_table=table, logging="JSON, application log level WARN, system log level WARN")
    sc.resource("lambda", "session-reaper", runtime="provided.al2023", timeout=120, memory_size=512)
    sc.resource("apigateway", "artwork-api", stage="prod")
    prem, onset = -2460, -2400
    cdn0, cdn1 = -13800, -13000

    count = sc.series(lambda t: 2300 * diurnal(sc, t, 0.5, 0.3) * (1 + 0.22 * ramp(t, prem - 300, prem + 300)),
                      integer=True)
    hot = lambda t: ramp(t, onset - 60, onset + 240)
    e5 = sc.series(lambda t: 0.3 + at_rate(count, t) * 0.028 * hot(t), integer=True)
    e4 = sc.series(lambda t: at_rate(count, t) * 0.004, integer=True)
    lat = sc.series(lambda t: 38 + 70 * hot(t), noise=0.08)
    apigw_metrics(sc, api, count, e4, e5, lat, [round(v - 6, 3) for v in lat])
    lambda_metrics(sc, fn, [float(c - a) for c, a in zip(count, e4)], e5,
                   sc.series(lambda t: 24 + 75 * hot(t), noise=0.08))
    acount = sc.series(lambda t: 500 * (1 + bump(t, cdn0, cdn1, 2.2, 120)), integer=True)
    apigw_metrics(sc, "artwork-api", acount, sc.series(lambda t: 2, integer=True),
                  sc.series(lambda t: 0.1, integer=True), sc.series(lambda t: 55, noise=0.1))
    tb = {"TableName": table}
    wcu = sc.series(lambda t: at_rate(count, t) * 15 * 1.0, noise=0.02, digits=1)  # batches of 15 beats
    sc.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", tb, "Count", wcu)
    sc.metric("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", tb, "Count",
              sc.series(lambda t: 1600.0, noise=0.0))
    sc.metric("AWS/DynamoDB", "WriteThrottleEvents", tb, "Count",
              sc.series(lambda t: at_rate(count, t) * 15 * 0.02 * hot(t), integer=True))
    sinv = sc.series(lambda t: 1, noise=0.0)
    lambda_metrics(sc, "session-reaper", sinv, sc.series(lambda t: 0.0, noise=0.0),
                   sc.series(lambda t: 21000, noise=0.1))

    # JSON application logs only (system log level WARN: no START/END/REPORT lines)
    group = f"/aws/lambda/{fn}"
    streams = [f"2026/03/20/[$LATEST]{sc.hexid(32)}" for _ in range(5)]
    titles = [f"tt{sc.rng.randint(10000, 99999)}" for _ in range(40)]
    premiere = "tt77014"

    def warn(t):
        r = sc.rng.random()
        if r < 0.6:
            return jdump({"time": sc.iso(t), "level": "WARN", "msg": "stale heartbeat dropped",
                               "session": sc.hexid(12), "age_s": sc.rng.randint(95, 400), "requestId": sc.uuid()})
        return jdump({"time": sc.iso(t), "level": "WARN", "msg": "reported bitrate above ladder max",
                           "title": pick(sc, titles), "kbps": sc.rng.choice([21000, 25000, 32000]), "ladder_max": 16000,
                           "requestId": sc.uuid()})

    def throttle(t):
        rid = sc.uuid()
        return jdump({"time": sc.iso(t), "level": "ERROR", "msg": "put heartbeat failed",
                           "title": premiere, "pk": f"TITLE#{premiere}",
                           "batch": 15, "err": ("operation error DynamoDB: BatchWriteItem, exceeded maximum number of attempts, 3, "
                                   f"https response error StatusCode: 400, RequestID: {sc.hexid(52).upper()[:52]}, "
                                   "ProvisionedThroughputExceededException: The level of configured provisioned "
                                   "throughput for the table was exceeded. Consider increasing your provisioning level "
                                   "with the UpdateTable API."), "requestId": rid})

    for i, st in enumerate(streams):
        emit(sc, group, st, LOG_FROM, 0, lambda t: 1.0, warn)
        emit(sc, group, st, onset - 60, 0, lambda t: max(0.0, at_rate(e5, t) - 0.3) / len(streams), throttle)
        emit(sc, group, st, LOG_FROM, 0, lambda t: 0.08, lambda t: jdump({
            "time": sc.iso(t), "level": "ERROR", "msg": "decode heartbeat",
            "err": "json: cannot unmarshal string into Go struct field Beat.position_ms of type int64",
            "client": pick(sc, ["tvos/5.2.0", "tizen/3.9.1"]), "requestId": sc.uuid()}))
    lambda_config(sc, -2430, "session-reaper", "ana.lima")
    sc.change(-2520, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "artwork-api",
              "terraform-edge")
    sc.alarm("player-telemetry-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "Heartbeat API server errors")
    sc.alarm("view-sessions-write-throttles", "AWS/DynamoDB", "WriteThrottleEvents", tb, "Sum", 300, 1, 100,
             "GreaterThanThreshold")
    sc.alarm("artwork-api-requests-high", "AWS/ApiGateway", "Count", {"ApiName": "artwork-api"}, "Sum", 300, 1, 5000,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "player-telemetry-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn, table]},
                 "anomalies": [{"namespace": "AWS/DynamoDB", "name": "WriteThrottleEvents", "dimensions": tb}]}
    meta(sc, "front (API Gateway); origin is the Lambda integration writing to a DynamoDB table",
         "config change on another function 30 s before the onset; deploy of another API; premiere-night traffic "
         "+22 % (within the evening range); constant decode errors and stale-heartbeat warnings; CDN spike on the "
         "artwork API",
         "`player-telemetry` returns 5XX from about -2400, when the premiere of `tt77014` starts. Every new error in "
         "`playback-heartbeat` is `ProvisionedThroughputExceededException` on `BatchWriteItem` with partition key "
         "`TITLE#tt77014`, and `view-sessions` shows `WriteThrottleEvents` although consumed write capacity (about "
         "55,000 per minute at the peak, about 920 WCU/s) stays well below the provisioned 1,600 WCU/s: the premiere concentrates writes on one partition key. "
         "Request volume rises only about 22 %, inside the normal evening range, so this is not a surge. The "
         "`session-reaper` configuration change at -2430 and the `artwork-api` deployment are unrelated; the "
         "artwork API's CDN spike (and its request alarm) happened hours earlier. The `decode heartbeat` errors and "
         "stale-heartbeat warnings are constant. Verdict: throttling at the function's DynamoDB writes (the table is "
         "also accepted).")
    return sc


BUILDERS = [build_07, build_08]
