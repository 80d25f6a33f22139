"""h37-01 (query-plan regression shipped by a deploy) and h37-02 (ad-hoc BI report pins the Aurora writer)."""
from __future__ import annotations

import json

from .common import END, LOG_START, Scenario, ramp, sig
from .logs import LambdaLogs, every, mysql_slow, node_invoke_error, times

SEARCH_SQL = ("SELECT products.id, products.sku, products.title, products.price_minor, products.currency, "
              "products.popularity FROM products WHERE lower(products.title) LIKE lower({p1}) OR "
              "lower(products.sku) = lower({p2}) ORDER BY products.popularity DESC \n LIMIT {p3}::INTEGER")
TERMS = ["trail runn", "merino", "gore-tex jacket", "headlamp", "kids boots", "tent 2p", "down vest",
         "sk-44817", "water filter", "gaiter", "bivvy", "sk-10293", "softshell"]


def build_01() -> Scenario:
    s = Scenario(1, "catalog-db-cpu-search-release",
                 "catalog-pg CPU alarm in ALARM; storefront search pages are timing out.",
                 "eu-west-1", seed=3701, anchor=(2026, 11, 18, 10, 40, 0), tz_hours=0)
    cl, svc, lb = "shop-prod", "catalog-api", "app/shop-public/7a1c3e9b5d2f4a60"
    s.resource("rds", "catalog-pg", engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge",
               max_connections=1000, allocated_storage_gb=500, storage_type="gp3", multi_az=True,
               parameter_group="catalog-pg15", performance_insights=True)
    s.resource("ecs", f"{cl}/{svc}", cluster=cl, service=svc, desired_count=6, cpu=1024, memory=2048,
               image="412907715531.dkr.ecr.eu-west-1.amazonaws.com/catalog-api:2024.11.18-3f9c2a1",
               runtime="python3.12 gunicorn + SQLAlchemy 2.0 / psycopg 3.1", log_group="/ecs/catalog-api",
               env={"DB_HOST": "catalog-pg.cx1q7wz0abcd.eu-west-1.rds.amazonaws.com", "DB_POOL_SIZE": "10",
                    "DB_MAX_OVERFLOW": "20", "CACHE_URL": "redis://catalog-cache.x7k2qa.ng.0001.euw1.cache.amazonaws.com:6379"})
    s.resource("alb", lb, name="shop-public", scheme="internet-facing")
    s.resource("lambda", "newsletter-render", runtime="python3.12", timeout=120, memory_size=1024)

    t_reg, t_dep = -2220, -2160
    roll = lambda t: 0.5 * sig(t, -2080, 35) + 0.5 * sig(t, -1945, 35)   # new tasks replace old ones
    d = lambda t: s.diurnal(t, 0.22, 13.0)
    db = {"DBInstanceIdentifier": "catalog-pg"}
    s.series("AWS/RDS", "CPUUtilization", db, "Percent",
             lambda t: min(99.6, s.n(19 * d(t), 0.09) + roll(t) * (78 + s.g(0, 1.2))))
    s.series("AWS/RDS", "DBLoad", db, "None", lambda t: s.n(1.1 * d(t), 0.15) + roll(t) * s.n(14.5, 0.08))
    s.series("AWS/RDS", "DatabaseConnections", db, "Count",
             lambda t: round(s.n(94, 0.03) + roll(t) * s.n(92, 0.06) + 28 * (ramp(t, -2110, -2050) - ramp(t, -1930, -1880))))
    s.series("AWS/RDS", "ReadIOPS", db, "Count/Second", lambda t: s.n(820 * d(t), 0.12) + roll(t) * s.n(5100, 0.1))
    s.series("AWS/RDS", "WriteIOPS", db, "Count/Second", lambda t: s.n(410 * d(t), 0.1))
    s.series("AWS/RDS", "ReadLatency", db, "Seconds", lambda t: s.n(0.0009, 0.12) + roll(t) * s.n(0.0022, 0.15), nd=5)
    s.series("AWS/RDS", "FreeableMemory", db, "Bytes", lambda t: s.n(11.3e9, 0.005) - roll(t) * 1.1e9, nd=0)
    s.series("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: 311.8e9 - (t + 21600) * 9000 + s.g(0, 4e6), nd=0)
    ecs = {"ClusterName": cl, "ServiceName": svc}
    s.series("AWS/ECS", "CPUUtilization", ecs, "Percent", lambda t: s.n(33 * d(t), 0.08) * (1 - 0.35 * roll(t)))
    s.series("AWS/ECS", "MemoryUtilization", ecs, "Percent", lambda t: s.n(47, 0.02) + 4 * roll(t))
    alb = {"LoadBalancer": lb}
    s.series("AWS/ApplicationELB", "RequestCount", alb, "Count", lambda t: s.cnt(2300 * d(t)))
    s.series("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds",
             lambda t: s.n(0.085, 0.1) + roll(t) * s.n(2.8, 0.1), nd=4)
    s.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", lambda t: s.cnt(1.2 + roll(t) * 55))
    s.series("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb, "Count", lambda t: s.cnt(0.3 + roll(t) * 12))
    fn = {"FunctionName": "newsletter-render"}
    s.series("AWS/Lambda", "Invocations", fn, "Count", lambda t: s.cnt(2.2))
    s.series("AWS/Lambda", "Errors", fn, "Count", lambda t: s.cnt(0.02))
    s.series("AWS/Lambda", "Duration", fn, "Milliseconds", lambda t: s.n(1850, 0.12))

    # ---- application logs (JSON, one stream per task)
    old = [s.hexs(32) for _ in range(6)]
    new = [s.hexs(32) for _ in range(6)]
    stops = [-2075 + (i // 3) * 135 + s.rng.uniform(0, 20) for i in range(6)]
    grp = "/ecs/catalog-api"

    def emit(task: str, t: float, level: str, logger: str, msg: str, **kw) -> None:
        rec = {"time": s.iso(t), "level": level, "logger": logger, "message": msg}
        rec.update(kw)
        s.log(grp, f"ecs/catalog-api/{task}", t, json.dumps(rec, separators=(",", ":")))

    for i, task in enumerate(new):
        t0 = stops[i] - 25
        s.log(grp, f"ecs/catalog-api/{task}", t0, f"[{s.dt(t0).strftime('%Y-%m-%d %H:%M:%S')} +0000] [1] [INFO] Starting gunicorn 21.2.0")
        s.log(grp, f"ecs/catalog-api/{task}", t0 + 0.2, f"[{s.dt(t0).strftime('%Y-%m-%d %H:%M:%S')} +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)")
        emit(task, t0 + 2.1, "INFO", "catalog.app", "catalog-api starting", version="2024.11.18-3f9c2a1",
             git_sha="3f9c2a1", pool_size=10, max_overflow=20)
    for t in times(s, LOG_START, 0, lambda t: 9 * d(t)):
        r = roll(t)
        live_new = [new[i] for i in range(6) if t > stops[i]]
        live_old = [old[i] for i in range(6) if t <= stops[i]]
        is_new = live_new and (not live_old or s.chance(len(live_new) / 6))
        task = s.pick(live_new) if is_new else s.pick(live_old)
        ver = "2024.11.18-3f9c2a1" if is_new else "2024.11.14-9b2d7e0"
        rid = s.hexs(16)
        path = s.pick(["/v2/search", "/v2/search", f"/v2/products/{s.rng.randint(1000, 99999)}", "/v2/categories/outdoor"])
        if path != "/v2/search" or not is_new:
            dbms = int(s.n(14 if path != "/v2/search" else 22, 0.4)) + (int(r * s.n(40, 0.5)) if path != "/v2/search" else 0)
            emit(task, t, "INFO", "catalog.http", f"GET {path} 200", request_id=rid, status=200,
                 duration_ms=dbms + int(s.n(18, 0.3)), db_ms=dbms, version=ver)
            continue
        term = s.pick(TERMS)
        ms = int(s.n(5200, 0.45))
        sql = SEARCH_SQL.format(p1="%(title_1)s", p2="%(sku_1)s", p3="%(param_1)s")
        if ms > 8000 or s.chance(0.12):
            emit(task, t + 10, "ERROR", "catalog.search", "search failed", request_id=rid, status=500, version=ver,
                 exc_info=("Traceback (most recent call last):\n  File \"/app/catalog/search.py\", line 88, in run_search\n"
                           "    rows = session.execute(stmt).scalars().all()\n  File \"/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py\", line 1967, in _exec_single_context\n"
                           "    self.dialect.do_execute(\npsycopg.errors.QueryCanceled: canceling statement due to statement timeout\n\n"
                           "The above exception was the direct cause of the following exception:\n\n"
                           "sqlalchemy.exc.OperationalError: (psycopg.errors.QueryCanceled) canceling statement due to statement timeout\n"
                           f"[SQL: {sql}]\n[parameters: {{'title_1': '%{term}%', 'sku_1': '{term}', 'param_1': 24}}]\n"
                           "(Background on this error at: https://sqlalche.me/e/20/e3q8)"))
        else:
            emit(task, t + ms / 1000, "WARNING", "catalog.db", "slow query", request_id=rid, duration_ms=ms,
                 statement=sql.split(" \n")[0][:160] + " ...")
            emit(task, t + ms / 1000 + 0.01, "INFO", "catalog.http", "GET /v2/search 200", request_id=rid,
                 status=200, duration_ms=ms + 31, db_ms=ms, version=ver)
    for t in times(s, LOG_START, 0, lambda t: 0.45):        # pre-existing, same rate all along
        live = [new[i] if t > stops[i] else old[i] for i in range(6)]
        emit(s.pick(live), t, "WARNING", "catalog.cache", "redis GET timed out, serving from db",
             cache="catalog-cache.x7k2qa.ng.0001.euw1.cache.amazonaws.com:6379", timeout_ms=50)
    for t in times(s, -1990, 0, lambda t: 0.35):
        task = s.pick(new)
        s.log(grp, f"ecs/catalog-api/{task}", t, f"[{s.dt(t).strftime('%Y-%m-%d %H:%M:%S')} +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:{s.rng.randint(8, 40)})")

    # ---- PostgreSQL log
    pg, st = "/aws/rds/instance/catalog-pg/postgresql", "catalog-pg.0"
    for t in every(LOG_START, 0, 300, 3, s):
        s.log(pg, st, t, f"{s.pgts(t)}::@:[571]:LOG:  checkpoint starting: time")
        s.log(pg, st, t + 269.1, f"{s.pgts(t + 269.1)}::@:[571]:LOG:  checkpoint complete: wrote {s.rng.randint(1400, 2600)} buffers "
              f"({s.rng.uniform(1.0, 2.0):.1f}%); 0 WAL file(s) added, 0 removed, {s.rng.randint(1, 3)} recycled; write=269.0{s.rng.randint(10, 99)} s, "
              f"sync=0.00{s.rng.randint(2, 9)} s, total=269.1{s.rng.randint(10, 99)} s; sync files={s.rng.randint(40, 80)}, longest=0.002 s, average=0.001 s")
    for t in times(s, LOG_START, 0, lambda t: 0.9):
        ip = s.ip("10.12")
        s.log(pg, st, t, f"{s.pgts(t)}:{ip}({s.rng.randint(40000, 60000)}):catalog_app@catalog:[{s.rng.randint(20000, 32000)}]:WARNING:  there is no transaction in progress")
    for t in times(s, LOG_START, 0, lambda t: 0.08):
        s.log(pg, st, t, f"{s.pgts(t)}::@:[{s.rng.randint(20000, 32000)}]:LOG:  automatic vacuum of table \"catalog.public.cart_items\": "
              f"index scans: 1\n\tpages: 0 removed, {s.rng.randint(9000, 12000)} remain, 0 skipped due to pins, 0 skipped frozen")
    psql = SEARCH_SQL.format(p1="$1", p2="$2", p3="$3")
    for t in times(s, -2090, 0, lambda t: 14 * roll(t)):
        pid, ip = s.rng.randint(20000, 32000), s.ip("10.12")
        pre = f"{s.pgts(t)}:{ip}({s.rng.randint(40000, 60000)}):catalog_app@catalog:[{pid}]:"
        term = s.pick(TERMS)
        if s.chance(0.2):
            s.log(pg, st, t, pre + "ERROR:  canceling statement due to statement timeout")
            s.log(pg, st, t + 0.001, pre + f"STATEMENT:  {psql}")
        else:
            s.log(pg, st, t, pre + f"LOG:  duration: {s.n(5400, 0.4):.3f} ms  execute <unnamed>: {psql}")
            s.log(pg, st, t + 0.001, pre + f"DETAIL:  parameters: $1 = '%{term}%', $2 = '{term}', $3 = '24'")
        if s.chance(0.25):
            s.log(pg, st, t + 0.002, pre + f"LOG:  temporary file: path \"base/pgsql_tmp/pgsql_tmp{pid}.0\", size {s.rng.randint(60, 180) * 1048576}")

    nl = LambdaLogs(s, "newsletter-render", "python3.12", 1024)
    redeployed = False
    for t in times(s, LOG_START, 0, lambda t: 0.6):
        dur = s.n(1850, 0.12)
        if t > -3290 and not redeployed:
            nl.envs.clear()
            redeployed = True
        nl.invoke(t, dur, [(0.01, "INFO", f"rendering newsletter segment={s.pick(['uk', 'ie', 'de', 'fr'])} recipients={s.rng.randint(200, 900)}"),
                           (dur / 1000 - 0.02, "INFO", "uploaded render to s3://shop-newsletters/renders/")], s.rng.randint(210, 260),
                  cold=s.chance(0.04))

    s.change(-14400, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "catalog-pg", "dba-oconnor")
    s.change(-3300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "newsletter-render", "github-actions-deploy")
    s.change(t_reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "catalog-api:143", "github-actions-deploy")
    s.change(t_dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "github-actions-deploy")
    s.alarm("catalog-pg-cpu-high", "AWS/RDS", "CPUUtilization", db, "Average", 300, 2, 85, "GreaterThanThreshold",
            "catalog-pg CPU above 85% for 10 minutes", after=-7200)
    s.expect("catalog-pg-cpu-high", "bad_deployment", [f"{cl}/{svc}", svc],
             [("AWS/RDS", "CPUUtilization", db), ("AWS/ApplicationELB", "TargetResponseTime", alb)])
    return s


MB_SQL = ("-- Metabase:: userID: 14 queryType: MBQL queryHash: {h}\nSELECT `depots`.`region` AS `region`, "
          "`vehicles`.`model` AS `model`, DATE(`telemetry_points`.`recorded_at`) AS `recorded_at`, count(*) AS `count`, "
          "avg(`telemetry_points`.`speed_kph`) AS `avg`, sum(`telemetry_points`.`idle_seconds`) AS `sum` FROM `telemetry_points` "
          "LEFT JOIN `vehicles` ON `telemetry_points`.`vehicle_id` = `vehicles`.`id` LEFT JOIN `depots` ON "
          "`vehicles`.`depot_id` = `depots`.`id` WHERE `telemetry_points`.`recorded_at` >= timestamp('2026-07-01 00:00:00') "
          "GROUP BY `depots`.`region`, `vehicles`.`model`, DATE(`telemetry_points`.`recorded_at`) ORDER BY `depots`.`region` ASC, "
          "`vehicles`.`model` ASC, DATE(`telemetry_points`.`recorded_at`) ASC")


def build_02() -> Scenario:
    s = Scenario(2, "fleet-api-latency-aurora-writer-report",
                 "Fleet telemetry API latency alarm; device uploads slow and some failing.",
                 "us-east-2", seed=3702, anchor=(2026, 11, 19, 15, 20, 0), tz_hours=-6)
    cluster, w, r = "fleet-aurora", "fleet-aurora-writer-1", "fleet-aurora-reader-1"
    for iid, role in ((w, "writer"), (r, "reader")):
        s.resource("rds", iid, engine="aurora-mysql", engine_version="8.0.mysql_aurora.3.05.2",
                   instance_class="db.r6g.large", cluster_identifier=cluster, role=role, max_connections=1000)
    s.resource("lambda", "fleet-telemetry-api", runtime="nodejs20.x", timeout=10, memory_size=512,
               env={"DB_HOST": "fleet-aurora.cluster-c3v8x1lq2w9e.us-east-2.rds.amazonaws.com",
                    "REDIS_URL": "rediss://fleet-cache.q1w2e3.ng.0001.use2.cache.amazonaws.com:6379"})
    s.resource("lambda", "fleet-geofence-eval", runtime="nodejs20.x", timeout=30, memory_size=1024)
    s.resource("apigateway", "fleet-telemetry", stage="prod", integration="lambda-proxy:fleet-telemetry-api")

    t0 = -2640
    hot = lambda t: sig(t, t0 + 120, 50)
    d = lambda t: s.diurnal(t, 0.15, 13.0)
    wd, rd = {"DBInstanceIdentifier": w}, {"DBInstanceIdentifier": r}
    s.series("AWS/RDS", "CPUUtilization", wd, "Percent", lambda t: min(99.7, s.n(23 * d(t), 0.1) + hot(t) * (75 + s.g(0, 1.5))))
    s.series("AWS/RDS", "DBLoadCPU", wd, "None", lambda t: s.n(0.55 * d(t), 0.15) + hot(t) * s.n(8.6, 0.08))
    s.series("AWS/RDS", "DatabaseConnections", wd, "Count", lambda t: round(s.n(68, 0.05) + hot(t) * s.n(84, 0.1)))
    s.series("AWS/RDS", "SelectLatency", wd, "Milliseconds", lambda t: s.n(0.7, 0.1) + hot(t) * s.n(170, 0.2))
    s.series("AWS/RDS", "DMLLatency", wd, "Milliseconds", lambda t: s.n(1.1, 0.1) + hot(t) * s.n(92, 0.2))
    s.series("AWS/RDS", "CommitLatency", wd, "Milliseconds", lambda t: s.n(2.2, 0.1) + hot(t) * s.n(38, 0.2))
    s.series("AWS/RDS", "ReadIOPS", wd, "Count/Second", lambda t: s.n(310, 0.15) + hot(t) * s.n(2400, 0.12))
    s.series("AWS/RDS", "FreeableMemory", wd, "Bytes", lambda t: s.n(4.8e9, 0.01) - hot(t) * 0.45e9, nd=0)
    s.series("AWS/RDS", "CPUUtilization", rd, "Percent", lambda t: s.n(9, 0.12))
    s.series("AWS/RDS", "AuroraReplicaLag", rd, "Milliseconds", lambda t: s.n(19, 0.2) + hot(t) * s.n(9, 0.3))
    s.series("AWS/RDS", "DatabaseConnections", rd, "Count", lambda t: round(s.n(12, 0.1)))

    inv = lambda t: 900 * d(t)
    dur = lambda t: 38 + hot(t) * 3300
    errfrac = lambda t: hot(t) * 0.08
    fn = {"FunctionName": "fleet-telemetry-api"}
    s.series("AWS/Lambda", "Invocations", fn, "Count", lambda t: s.cnt(inv(t)))
    s.series("AWS/Lambda", "Errors", fn, "Count", lambda t: s.cnt(0.3 + inv(t) * errfrac(t)))
    s.series("AWS/Lambda", "Duration", fn, "Milliseconds", lambda t: s.n(dur(t), 0.08))
    s.series("AWS/Lambda", "ConcurrentExecutions", fn, "Count", lambda t: round(s.n(inv(t) / 60 * dur(t) / 1000 + 1, 0.1)))
    s.series("AWS/Lambda", "Throttles", fn, "Count", lambda t: 0)
    api = {"ApiName": "fleet-telemetry"}
    s.series("AWS/ApiGateway", "Count", api, "Count", lambda t: s.cnt(inv(t) + 3))
    s.series("AWS/ApiGateway", "Latency", api, "Milliseconds", lambda t: s.n(dur(t) + 27, 0.08))
    s.series("AWS/ApiGateway", "5XXError", api, "Count", lambda t: s.cnt(0.3 + inv(t) * errfrac(t)))
    s.series("AWS/ApiGateway", "4XXError", api, "Count", lambda t: s.cnt(3))
    gd = {"FunctionName": "fleet-geofence-eval"}
    s.series("AWS/Lambda", "Invocations", gd, "Count", lambda t: s.cnt(120 * d(t)))
    s.series("AWS/Lambda", "Errors", gd, "Count", lambda t: s.cnt(0.05))
    s.series("AWS/Lambda", "Duration", gd, "Milliseconds", lambda t: s.n(55, 0.1))
    ec = {"CacheClusterId": "fleet-cache-0001-001"}
    spike = lambda t: ramp(t, -9000, -8880) - ramp(t, -8460, -8400)
    s.series("AWS/ElastiCache", "CPUUtilization", ec, "Percent", lambda t: s.n(6 + 32 * spike(t), 0.1))
    s.series("AWS/ElastiCache", "Evictions", ec, "Count", lambda t: s.cnt(1200 * spike(t)))
    s.series("AWS/ElastiCache", "CurrConnections", ec, "Count", lambda t: round(s.n(41, 0.05)))

    lg = LambdaLogs(s, "fleet-telemetry-api", "nodejs20.x", 512)
    for t in times(s, LOG_START, 0, lambda t: 6):
        veh, depot = f"VH-{s.rng.randint(10000, 29999)}", s.pick(["DAL-03", "DAL-07", "HOU-01", "AUS-02", "OKC-01"])
        cold = s.chance(0.01)
        pre = [] if not cold else [(0.001, "INFO", "mysql2 pool created host=fleet-aurora.cluster-c3v8x1lq2w9e.us-east-2.rds.amazonaws.com connectionLimit=2"),
                                   (0.002, "INFO", "redis connected fleet-cache.q1w2e3.ng.0001.use2.cache.amazonaws.com:6379 tls=true")]
        if s.chance(0.0035):
            ms = s.n(45, 0.2)
            lg.invoke(t, ms, pre + [(0.02, "ERROR", node_invoke_error(
                "Error", f"Duplicate entry '{veh}-{int(s.dt(t).timestamp()) // 60 * 60}' for key 'telemetry_points.uq_vehicle_ts'",
                ["Packet.asError (/var/task/node_modules/mysql2/lib/packets/packet.js:728:17)",
                 "Execute.execute (/var/task/node_modules/mysql2/lib/commands/command.js:29:26)",
                 "PoolConnection.handlePacket (/var/task/node_modules/mysql2/lib/connection.js:481:34)"],
                {"code": "ER_DUP_ENTRY", "errno": 1062, "sqlState": "23000"}))], 96, cold)
            continue
        ms = s.n(dur(t), 0.35)
        if s.chance(errfrac(t)) or ms > 9900:
            lg.invoke(t, 10000.0, pre + [(0.01, "INFO", f"ingest start vehicle={veh} points={s.rng.randint(6, 18)}")],
                      s.rng.randint(101, 118), cold, timeout_s=10.0)
            continue
        db_ms = int(max(4, ms - s.n(22, 0.3)))
        lines = pre + [(ms / 1000 - 0.005, "INFO", f"ingest ok vehicle={veh} points={s.rng.randint(6, 18)} depot={depot} cache={'hit' if s.chance(0.93) else 'miss'} db_ms={db_ms}")]
        if db_ms > 1500:
            lines.insert(len(pre), (ms / 1000 - 0.01, "WARN", f"slow db write table=telemetry_points ms={db_ms}"))
        lg.invoke(t, ms, lines, s.rng.randint(96, 118), cold)
    gl = LambdaLogs(s, "fleet-geofence-eval", "nodejs20.x", 1024)
    for t in times(s, LOG_START, 0, lambda t: 2):
        if -3190 < t and not getattr(gl, "_redeployed", False):
            gl.envs.clear()
            gl._redeployed = True
        ms = s.n(55, 0.15)
        gl.invoke(t, ms, [(ms / 1000 - 0.003, "INFO", f"evaluated {s.rng.randint(8, 60)} geofences vehicle=VH-{s.rng.randint(10000, 29999)} source=redis ms={int(ms - 3)}")],
                  s.rng.randint(120, 140), s.chance(0.02))

    sl = "/aws/rds/cluster/fleet-aurora/slowquery"
    for t in every(LOG_START + 40, 0, 600, 30, s):
        q = s.n(1.3, 0.12) + hot(t) * 9
        s.log(sl, w, t, mysql_slow(s, t, "fleet_app", s.ip("10.20"), s.rng.randint(70000, 99000), q, 0.00002, 0,
                                   s.rng.randint(40000, 90000), "DELETE FROM `telemetry_staging` WHERE `ingested_at` < NOW() - INTERVAL 1 HOUR", "fleet"))
    qid = 88110
    for start in (t0, t0 + 900, t0 + 1800):
        for k in range(6):
            qid += s.rng.randint(1, 9)
            qt = s.n(780, 0.15)
            if start + qt < 0:
                s.log(sl, w, start + qt, mysql_slow(s, start + qt, "metabase_ro", "10.20.7.15", qid, qt, 0.000014,
                                                    s.rng.randint(300, 4000), s.rng.randint(150_000_000, 210_000_000), MB_SQL.format(h=s.hexs(64)), "fleet"))
    for t in times(s, t0 + 60, 0, lambda t: 7 * hot(t)):
        q = s.n(3.8, 0.4)
        s.log(sl, w, t, mysql_slow(s, t, "fleet_app", s.ip("10.20"), s.rng.randint(70000, 99000), q, 0.00003, 0, 0,
                                   "INSERT INTO `telemetry_points` (`vehicle_id`,`recorded_at`,`lat`,`lon`,`speed_kph`,`heading`,`idle_seconds`) VALUES "
                                   f"({s.rng.randint(10000, 29999)},'{s.dt(t - q).strftime('%Y-%m-%d %H:%M:%S')}',{s.rng.uniform(29.5, 33.2):.6f},"
                                   f"{-s.rng.uniform(95.1, 97.9):.6f},{s.rng.randint(0, 110)},{s.rng.randint(0, 359)},{s.rng.randint(0, 60)})", "fleet"))

    s.change(-7800, "rds.amazonaws.com", "CreateDBClusterSnapshot", "AWS::RDS::DBCluster", cluster, "jmartinez")
    s.change(-3200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "fleet-geofence-eval", "circleci-deploy")
    s.change(-3190, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "fleet-geofence-eval", "circleci-deploy")
    s.alarm("fleet-telemetry-latency-high", "AWS/ApiGateway", "Latency", api, "Average", 60, 5, 1500,
            "GreaterThanThreshold", "Telemetry ingest latency above 1.5 s", after=-7200)
    s.expect("fleet-telemetry-latency-high", "cpu_saturation", [w, cluster],
             [("AWS/RDS", "CPUUtilization", wd), ("AWS/ApiGateway", "Latency", api)])
    return s
