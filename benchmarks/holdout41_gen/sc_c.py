"""Scenarios 05-06: partner bulk push exhausting Postgres connection slots (.NET AOT API behind an
ALB), BI queries pinning a MySQL instance's CPU under a Python catalog API."""
from __future__ import annotations

from .common import (MINUTES, Scenario, alb_metrics, apigw_metrics, binom, counts, hexs, jit, lambda_metrics, pois,
                     ramp, rds_metrics, sqs_metrics, wave)
from .dblog import mysql_slow, pg, pg_background
from .lambdalog import FnLog, drive, dotnet, node, py, py_unhandled, simple_fn

PG_SLOTS = "remaining connection slots are reserved for non-replication superuser and rds_superuser connections"


def s05() -> Scenario:
    sc = Scenario(5, "bookings-5xx-pg-connection-slots", "eu-west-2",
                  "Hotel bookings failing with 503s from the bookings ALB; target 5xx alarm fired.", "2026-10-03T19:30:00")
    rng = sc.rng
    TP, TC = -3300, -2880  # partner push lands / connection slots run out
    host = "bookings-pg.c8yq2x0hlm3n.eu-west-2.rds.amazonaws.com"
    lb = "app/bookings-alb/7f3e2a9c51d04b8e"
    sc.res("lambda", "booking-api", runtime="provided.al2023", handler="bootstrap", timeout=15, memory_size=1024,
           description=".NET 8 NativeAOT (Amazon.Lambda.RuntimeSupport), Npgsql, behind bookings-alb")
    sc.res("lambda", "availability-sync", runtime="python3.12", timeout=60, memory_size=512,
           event_source="SQS availability-updates (batch 10, no maximum concurrency)")
    sc.res("lambda", "booking-notifier", runtime="nodejs20.x", timeout=30, memory_size=256)
    sc.res("rds", "bookings-pg", engine="postgres", engine_version="15.5", instance_class="db.m6g.large",
           max_connections=250, allocated_storage_gb=200, rds_proxy=None)
    sc.res("alb", lb, name="bookings-alb", target_type="lambda")
    conc_sync = {t: (pois(rng, 3) + 1 if t < TP else int(4 + 205 * ramp(t, TP, TP + 480) * rng.uniform(0.93, 1.0)))
                 for t in MINUTES}
    conns = {}
    for t in MINUTES:
        want = 52 + 6 * wave(t, 7200) + rng.gauss(0, 2) + conc_sync[t]
        conns[t] = min(want, 247 - rng.choice([0, 0, 1, 2]))
    full = {t: conns[t] >= 244 for t in MINUTES}
    req = counts(rng, lambda t: 236 + 25 * wave(t, 10800, 2))
    fail_p = {t: (0.36 if full[t] else 0.0) for t in MINUTES}
    t5 = {t: binom(rng, req[t], fail_p[t]) + pois(rng, 0.05) for t in MINUTES}
    bdur = {t: jit(rng, 74, 0.06) * (1 - fail_p[t]) + 22 * fail_p[t] for t in MINUTES}
    lambda_metrics(sc, "booking-api", req, {t: pois(rng, 0.02) for t in MINUTES}, bdur,
                   {t: pois(rng, 4 + 3 * fail_p[t]) + 1 for t in MINUTES})
    alb_metrics(sc, lb, req, {t: pois(rng, 0.03) for t in MINUTES}, t5, {t: bdur[t] / 1000 + 0.004 for t in MINUTES},
                extra=[("LambdaUserError", "Count", {t: 0 for t in MINUTES})])
    sinv = {t: (pois(rng, 32) if t < TP else pois(rng, 2600 * ramp(t, TP, TP + 480) + 32)) for t in MINUTES}
    serr = {t: (binom(rng, sinv[t], 0.44) if full[t] else pois(rng, 0.02)) for t in MINUTES}
    sdur = {t: (jit(rng, 820, 0.08) if t < TP else jit(rng, 2100, 0.08)) for t in MINUTES}
    lambda_metrics(sc, "availability-sync", sinv, serr, sdur, conc_sync)
    ninv = counts(rng, lambda t: 9.0)
    lambda_metrics(sc, "booking-notifier", ninv, {t: 0 for t in MINUTES}, {t: jit(rng, 210, 0.1) for t in MINUTES},
                   {t: pois(rng, 1) + 1 for t in MINUTES})
    sent = {t: (pois(rng, 320) if not (TP <= t < TP + 480) else pois(rng, 150000)) for t in MINUTES}
    deleted = {t: (sent[t] if t < TP else (sinv[t] - serr[t]) * 10) for t in MINUTES}
    vis, backlog = {}, 0
    for t in MINUTES:
        backlog = max(0, backlog + sent[t] - deleted[t]) if t >= TP else 0
        vis[t] = backlog if t >= TP else pois(rng, 40)
    sqs_metrics(sc, "availability-updates", vis, {t: (t - TP if t >= TP else jit(rng, 9, 0.3)) for t in MINUTES},
                sent, deleted)
    rds_metrics(sc, "bookings-pg", {t: jit(rng, 21 if t < TP else 61, 0.07) for t in MINUTES}, conns,
                lambda t: 141.2e9 - (t + 21600) * 2.1e4, {t: 5.2e9 - (conns[t] - 50) * 1.15e7 + rng.gauss(0, 4e7)
                                                           for t in MINUTES},
                lambda t: jit(rng, 0.0011, 0.2), {t: jit(rng, 0.0019 if t < TP else 0.0041, 0.2) for t in MINUTES})

    # --- booking-api (.NET AOT) logs
    npg = ("Npgsql.PostgresException (0x80004005): 53300: " + PG_SLOTS + "\n"
           "   at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean, DataRowLoadingMode, Boolean, Boolean)\n"
           "   at Npgsql.Internal.NpgsqlConnector.OpenCore(NpgsqlConnector, SslMode, NpgsqlTimeout, Boolean, CancellationToken, Boolean)\n"
           "   at Npgsql.Internal.NpgsqlConnector.Open(NpgsqlTimeout, Boolean, CancellationToken)\n"
           "   at Npgsql.PoolingDataSource.OpenNewConnector(NpgsqlConnection, NpgsqlTimeout, Boolean, CancellationToken)\n"
           "   at Npgsql.PoolingDataSource.<Get>g__RentAsync|34_0(NpgsqlConnection, NpgsqlTimeout, Boolean, CancellationToken)\n"
           "   at Npgsql.NpgsqlConnection.<Open>g__OpenAsync|42_0(Boolean, CancellationToken)\n"
           "   at BookingApi.Data.BookingRepository.CreateAsync(BookingRequest, CancellationToken)\n"
           "  Exception data:\n    Severity: FATAL\n    SqlState: 53300\n    MessageText: " + PG_SLOTS +
           "\n    File: postinit.c\n    Line: 943\n    Routine: InitPostgres")
    fl = FnLog(sc, "booking-api", "provided.al2023", 1024, init=(95, 160))
    routes = [("GET", "/api/v2/hotels/%d/availability", 200), ("GET", "/api/v2/search", 200),
              ("POST", "/api/v2/bookings", 201), ("GET", "/api/v2/bookings/BK-%s", 200)]

    def make(t, r, kind):
        m, p, st = rng.choice(routes)
        path = p % (rng.randint(1000, 9999) if "%d" in p else hexs(rng, 6).upper()) if "%" in p else p
        tm = t - t % 60
        if full.get(tm) and rng.random() < 0.36:
            d = jit(rng, 22, 0.2)
            return {"dur": d, "mem": rng.uniform(58, 66), "lines": [
                dotnet(sc, t + 0.001, r, "info", "%s %s start" % (m, path)),
                dotnet(sc, t + d / 1000 - 0.002, r, "fail", "BookingApi.Middleware.ErrorMiddleware[0] Database "
                       "unavailable for %s %s, returning 503\n%s" % (m, path, npg)),
                dotnet(sc, t + d / 1000 - 0.001, r, "info", "%s %s 503 in %d ms" % (m, path, d))]}
        d = jit(rng, 74, 0.35)
        lines = [dotnet(sc, t + 0.001, r, "info", "%s %s start" % (m, path))]
        if rng.random() < 0.03:
            d = jit(rng, 930, 0.1)
            lines.append(dotnet(sc, t + d / 1000 - 0.003, r, "warn", "BookingApi.Middleware.Timing[0] Slow request: %s "
                                "%s took %d ms (threshold 800 ms)" % (m, path, d)))
        lines.append(dotnet(sc, t + d / 1000 - 0.001, r, "info", "%s %s %d in %d ms" % (m, path, st, d)))
        return {"dur": d, "mem": rng.uniform(58, 72), "lines": lines}
    drive(sc, fl, req, {}, 0.065, -8400, make, n_envs=lambda t: 5)

    sfl = FnLog(sc, "availability-sync", "python3.12", 512, init=(420, 700))
    frames = [("/var/task/handler.py", 33, "handler", "conn = get_conn()"),
              ("/var/task/db.py", 18, "get_conn", "_conn = psycopg2.connect(DSN, connect_timeout=5)"),
              ("/var/task/psycopg2/__init__.py", 122, "connect",
               "conn = _connect(dsn, connection_factory=connection_factory, **kwasync)")]

    def smake(t, r, kind):
        if kind == "err":
            d = jit(rng, 26, 0.3)
            return {"dur": d, "mem": rng.uniform(70, 80), "lines": [py_unhandled(
                t + d / 1000 - 0.002, "OperationalError", "connection to server at \"%s\" (10.60.12.44), port 5432 "
                "failed: FATAL:  %s" % (host, PG_SLOTS), frames)], "kill_env": False}
        d = jit(rng, 820 if t < TP else 2100, 0.2)
        return {"dur": d, "mem": rng.uniform(74, 90), "lines": [
            py(sc, t + d / 1000 - 0.003, r, "INFO", "Applied 10 availability updates partner=%s hotel=H-%05d rows=%d" % (
                "hotelnet" if t >= TP and rng.random() < 0.97 else rng.choice(["roomgrid", "hotelnet", "staybase"]),
                rng.randint(1, 40000), rng.randint(10, 60)))]}
    drive(sc, sfl, sinv, serr, lambda t: 0.4 if t < TP else 0.003, -8400, smake,
          n_envs=lambda t: min(12, conc_sync.get(t - t % 60, 4)))
    simple_fn(sc, "booking-notifier", "nodejs20.x", 256, ninv, lambda t: jit(rng, 210, 0.1),
              lambda t, r, d: [node(sc, t + d / 1000, r, "INFO", "Sent confirmation for BK-%s via SES (%s)" % (
                  hexs(rng, 6).upper(), "v2026.10.03" if t >= -2000 else "v2026.09.29"))], start=-6000, frac=0.6)
    ev = pg_background(sc, reset_rate=0.18, clients=("10.60.3.201", "10.60.4.17", "10.60.5.88"), user="booking_app",
                       db="bookings")
    for t in MINUTES:
        if full[t]:
            for _ in range(rng.randint(6, 12)):
                u = rng.choice(["avail_sync", "avail_sync", "avail_sync", "booking_app"])
                ev.append(pg(sc, t + rng.uniform(0, 60), PG_SLOTS, level="FATAL", user=u, db="bookings",
                             client="10.60.%d.%d(%d)" % (rng.randint(3, 5), rng.randint(10, 250),
                                                         rng.randint(30000, 60000)), pid=rng.randint(9000, 32000)))
    sc.log("/aws/rds/instance/bookings-pg/postgresql", "bookings-pg.0", ev)
    sc.lambda_change(-2000, "booking-notifier", "UpdateFunctionCode20150331v2", "github-actions")
    sc.lambda_change(-19800, "availability-sync", "UpdateFunctionConfiguration20150331v2", "terraform")
    sc.alarm("bookings-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 15, after=TC - 300, desc="bookings ALB target 5xx")
    sc.expect = {"alarm": "bookings-alb-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": ["bookings-pg"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": "bookings-pg"}}]}
    sc.meta = {"front": "front (ALB)", "decoys": [
        "booking-notifier deploy ~15 min after onset",
        "a 1.2 M-message partner push and availability-sync scaling to ~200 concurrent (a surge, but on the queue "
        "consumer, not the alarmed API)",
        "steady Postgres 'could not receive data from client: Connection reset by peer' noise"],
        "story": "At -3300 s a partner (hotelnet) pushed ~1.2 M availability updates into SQS. availability-sync has "
                 "no maximum concurrency and no RDS Proxy, so it scaled to ~200 environments, each holding its own "
                 "Postgres connection. DatabaseConnections on bookings-pg climbs from ~55 to the 247 usable slots "
                 "(max_connections 250) and sits there; from -2880 s new connections fail with `FATAL: remaining "
                 "connection slots are reserved for non-replication superuser and rds_superuser connections` both in "
                 "availability-sync and in booking-api, which catches the Npgsql 53300 error and answers 503 - hence "
                 "the ALB target 5xx alarm while booking-api's own Lambda Errors stay at zero. CPU (~60%), memory and "
                 "storage are fine. Connections metric at the limit plus 'connection slots' errors: "
                 "db_connection_exhaustion on bookings-pg."}
    return sc


# =====================================================================================================
BI_SQL = ("SELECT c.category_path, DATE(v.viewed_at) AS d, COUNT(*) AS views, COUNT(DISTINCT v.session_id) AS "
          "sessions, SUM(o.qty) AS units FROM product_views v JOIN products p ON p.id = v.product_id JOIN "
          "categories c ON c.id = p.category_id LEFT JOIN order_lines o ON o.product_id = p.id AND o.created_at >= "
          "v.viewed_at WHERE v.viewed_at >= '2025-04-01' GROUP BY c.category_path, DATE(v.viewed_at) ORDER BY views DESC;")
APP_SQL = ("SELECT p.id, p.sku, p.title, pr.amount, pr.currency, s.on_hand FROM products p JOIN product_prices pr ON "
           "pr.product_id = p.id AND pr.region = 'JP' LEFT JOIN stock s ON s.product_id = p.id WHERE p.sku = '%s';")


def s06() -> Scenario:
    sc = Scenario(6, "catalog-latency-mysql-cpu", "ap-northeast-1",
                  "Catalog API latency above 1 s; product pages slow in the JP storefront.", "2026-04-08T03:20:00")
    rng = sc.rng
    TB, TS = -2450, -2300  # BI dashboard queries start / CPU pinned
    sc.res("lambda", "catalog-read", runtime="python3.12", timeout=10, memory_size=512,
           environment={"DB_HOST": "catalog-mysql.cq1v8r2kz7xj.ap-northeast-1.rds.amazonaws.com",
                        "MAX_EXECUTION_TIME_MS": "3000"})
    sc.res("lambda", "catalog-write", runtime="python3.12", timeout=30, memory_size=512)
    sc.res("lambda", "image-proxy", runtime="nodejs20.x", timeout=10, memory_size=1024,
           layers=["arn:aws:lambda:ap-northeast-1:482910377215:layer:sharp-libvips:14"])
    sc.res("apigateway", "catalog-api", api_id="r5t1y8u3io", stage="prod")
    sc.res("rds", "catalog-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
           max_connections=1000, allocated_storage_gb=500)
    cpu = {t: (jit(rng, 27 + 5 * wave(t, 7200), 0.08) if t < TB else
               min(100.0, 27 + 73 * ramp(t, TB, TS) + rng.uniform(-2.5, 0.5))) for t in MINUTES}
    hot = {t: ramp(t, TB, TS) for t in MINUTES}
    inv = counts(rng, lambda t: 410 + 40 * wave(t, 10800, 0.3))
    err = {t: binom(rng, inv[t], 0.17 * hot[t]) if hot[t] > 0.5 else pois(rng, 0.05) for t in MINUTES}
    dur = {t: jit(rng, 46 + 2250 * hot[t], 0.07) for t in MINUTES}
    lambda_metrics(sc, "catalog-read", inv, err, dur, {t: pois(rng, 3 + 55 * hot[t]) + 1 for t in MINUTES})
    winv = counts(rng, lambda t: 24.0)
    lambda_metrics(sc, "catalog-write", winv, {t: pois(rng, 0.03 + 0.3 * hot[t]) for t in MINUTES},
                   {t: jit(rng, (130 if t < -2700 else 121) + 1900 * hot[t], 0.1) for t in MINUTES},
                   {t: pois(rng, 1 + 2 * hot[t]) + 1 for t in MINUTES})
    pinv = counts(rng, lambda t: 160.0)
    lambda_metrics(sc, "image-proxy", pinv, {t: pois(rng, 0.1) for t in MINUTES},
                   {t: jit(rng, 88 if t < -3300 else 93, 0.08) for t in MINUTES}, {t: pois(rng, 3) + 1 for t in MINUTES})
    apigw_metrics(sc, "catalog-api", {t: inv[t] + winv[t] for t in MINUTES}, {t: pois(rng, 5) for t in MINUTES},
                  {t: err[t] + pois(rng, 0.05) for t in MINUTES}, {t: dur[t] + jit(rng, 13, 0.2) for t in MINUTES},
                  dur)
    rds_metrics(sc, "catalog-mysql", cpu, {t: pois(rng, 44 + 90 * hot[t]) for t in MINUTES},
                lambda t: 318.4e9 - (t + 21600) * 1.2e4, lambda t: 3.9e9 + rng.gauss(0, 5e7),
                {t: jit(rng, 0.0008 + 0.004 * hot[t], 0.15) for t in MINUTES},
                {t: jit(rng, 0.0012 + 0.002 * hot[t], 0.15) for t in MINUTES},
                extra=[("ReadIOPS", "Count/Second", {t: jit(rng, 310 + 2900 * hot[t], 0.1) for t in MINUTES})])

    frames = [("/var/task/app.py", 61, "handler", "row = repo.get_product(sku)"),
              ("/var/task/catalog/repo.py", 88, "get_product", "cur.execute(PRODUCT_SQL, (sku,))"),
              ("/var/task/pymysql/cursors.py", 153, "execute", "result = self._query(query)"),
              ("/var/task/pymysql/connections.py", 557, "query", "self._affected_rows = self._read_query_result(unbuffered=unbuffered)"),
              ("/var/task/pymysql/err.py", 150, "raise_mysql_exception", "raise errorclass(errno, errval)")]
    fl = FnLog(sc, "catalog-read", "python3.12", 512, init=(520, 800))

    def make(t, r, kind):
        sku = "JP-%s" % hexs(rng, 8).upper()
        h = hot.get(t - t % 60, 0)
        if kind == "err" and h > 0.5:
            return {"dur": jit(rng, 3030, 0.01), "mem": rng.uniform(88, 96), "lines": [
                py(sc, t + 0.002, r, "INFO", "GET /products/%s" % sku),
                py_unhandled(t + 3.02, "OperationalError", "(3024, 'Query execution was interrupted, maximum statement "
                             "execution time exceeded')", frames)]}
        d = jit(rng, 46 + 2250 * h, 0.3)
        lines = [py(sc, t + 0.002, r, "INFO", "GET /products/%s" % sku)]
        if d > 1000:
            lines.append(py(sc, t + d / 1000 - 0.004, r, "WARNING", "slow query %d ms: %s" % (d - 8, APP_SQL % sku)))
        if rng.random() < 0.04:
            lines.append(py(sc, t + 0.003, r, "WARNING", "redis cache miss ratio 0.%d above 0.25 target (cold keys)"
                            % rng.randint(27, 34)))
        lines.append(py(sc, t + d / 1000 - 0.002, r, "INFO", "served %s from mysql in %d ms" % (sku, d - 6)))
        return {"dur": d, "mem": rng.uniform(88, 99), "lines": lines}
    drive(sc, fl, inv, err, lambda t: 0.06 if t < TB else 0.05, -8400, make, n_envs=lambda t: 4)
    simple_fn(sc, "catalog-write", "python3.12", 512, winv,
              lambda t: jit(rng, 125 + 1900 * hot.get(t - t % 60, 0), 0.15),
              lambda t, r, d: [py(sc, t + d / 1000, r, "INFO", "upserted price batch size=%d build=%s" % (
                  rng.randint(5, 40), "cw-2026.04.08" if t >= -2700 else "cw-2026.04.02"))], start=-6000, frac=0.3)
    simple_fn(sc, "image-proxy", "nodejs20.x", 1024, pinv, lambda t: jit(rng, 90, 0.2),
              lambda t, r, d: [node(sc, t + d / 1000, r, "INFO", "resized %s.webp w=%d" % (
                  hexs(rng, 10), rng.choice([320, 640, 1280])))], start=-5400, frac=0.015)
    slow = []
    for t in MINUTES:
        if t < TB:
            if rng.random() < 0.08:
                slow.append(mysql_slow(sc, t + rng.uniform(0, 60), "catalog_app", "10.30.2.%d" % rng.randint(10, 90),
                                       rng.randint(60000, 90000), rng.uniform(1.0, 1.6), 1, rng.randint(900, 4000),
                                       APP_SQL % ("JP-" + hexs(rng, 8).upper())))
            continue
        for _ in range(rng.randint(2, 4)):
            slow.append(mysql_slow(sc, t + rng.uniform(0, 60), "bi_reader", "10.30.8.14", rng.randint(88000, 89000),
                                   rng.uniform(31, 58), rng.randint(1100, 1300), rng.randint(45_000_000, 52_000_000),
                                   BI_SQL))
        if hot[t] > 0.5:
            for _ in range(rng.randint(4, 9)):
                slow.append(mysql_slow(sc, t + rng.uniform(0, 60), "catalog_app", "10.30.2.%d" % rng.randint(10, 90),
                                       rng.randint(60000, 90000), rng.uniform(1.1, 3.0), 1, rng.randint(900, 4000),
                                       APP_SQL % ("JP-" + hexs(rng, 8).upper())))
    sc.log("/aws/rds/instance/catalog-mysql/slowquery", "catalog-mysql", slow)
    sc.lambda_change(-3300, "image-proxy", "UpdateFunctionConfiguration20150331v2", "serverless-deploy")
    sc.change(-3320, "lambda.amazonaws.com", "PublishLayerVersion20181031", "AWS::Lambda::LayerVersion",
              "sharp-libvips", "serverless-deploy")
    sc.lambda_change(-2700, "catalog-write", "UpdateFunctionCode20150331v2", "serverless-deploy")
    sc.alarm("catalog-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "catalog-api"}, "Average", 60, 5, 1000,
             after=TB, desc="catalog-api average latency > 1 s")
    sc.expect = {"alarm": "catalog-api-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": ["catalog-mysql"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization",
                                "dimensions": {"DBInstanceIdentifier": "catalog-mysql"}}]}
    sc.meta = {"front": "front (API Gateway)", "decoys": [
        "catalog-write code deploy 4 min before the BI queries start (its error rate stays ~0; it only slows down "
        "like everything else on the DB)",
        "image-proxy layer update (sharp-libvips:14) ~14 min earlier",
        "steady WARNING 'redis cache miss ratio above target' in catalog-read"],
        "story": "From -2450 s a BI tool connected as `bi_reader` from 10.30.8.14 starts running a dashboard query that "
                 "examines ~48 M rows per run, several per minute (MySQL slow query log). catalog-mysql CPU goes from "
                 "~27% to a flat 97-100% by -2300 s and ReadIOPS jumps. Every statement slows: catalog-read's average "
                 "duration rises from ~46 ms to ~2.3 s, ~17% of its queries are killed by max_execution_time (MySQL "
                 "error 3024), and catalog-write slows as well. Connections rise only to ~130 of 1000; no throttles; "
                 "request volume is flat. The catalog-write deploy is a decoy: its own errors do not move and its "
                 "slowdown starts with the CPU, not with its deploy. CPU pinned on the database with latency following: "
                 "cpu_saturation on catalog-mysql."}
    return sc
