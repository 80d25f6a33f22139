"""Cases whose fault originates in an RDS instance (04-06); the alarms fire on consumers/front doors."""
from __future__ import annotations

import json

import numpy as np

from .core import Case
from .families import Call, alb_metrics, arrivals, ecs_metrics, lambda_metrics, per_minute, rds_metrics, simulate
from .logfmt import LambdaLogs, TaskLogs, go_json, mysql_err, node_line, pg_line, py_line

GB = 1024 ** 3


def _ecs_deploy(c: Case, t: float, cluster: str, service: str, user: str) -> None:
    c.change(t, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", service, user)
    c.change(t + 12, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{service}", user)


def _pyjson(c: Case, t: float, level: str, name: str, msg: str, **extra) -> str:
    d = {"asctime": c.stamp(t, "%Y-%m-%d %H:%M:%S") + f",{c.at(t).microsecond // 1000:03d}", "levelname": level,
         "name": name, "message": msg}
    d.update(extra)
    return json.dumps(d, separators=(", ", ": "))


# ---------------------------------------------------------------- 04
def case04() -> Case:
    c = Case(4, "shop-cart-5xx", "eu-west-1", 1704, "2026-03-21T12:30:00",
             "shop-alb 5XX alarm; customers intermittently see an error page when opening the cart.")
    lb = "app/shop-alb/7c1e0d9b2a4f6e13"
    db = "shopfront-mysql"
    c.resource("alb", lb, name="shop-alb", scheme="internet-facing", target_groups=["cart-service-tg", "catalog-service-tg"])
    c.resource("ecs", "shop/cart-service", launch_type="FARGATE", desired_count=6, autoscaling="6-16 tasks, target CPU 60%",
               environment={"DB_HOST": f"{db}.cq1x7f2k9d3e.eu-west-1.rds.amazonaws.com", "DB_POOL_SIZE": "20",
                            "DB_MAX_OVERFLOW": "4"})
    c.resource("ecs", "shop/catalog-service", launch_type="FARGATE", desired_count=4)
    c.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
               max_connections=320, allocated_storage_gb=500)
    c.resource("lambda", "email-receipts", runtime="python3.12", timeout=30, memory_size=256)
    _lam = "email-receipts"
    c.change(-2705, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", _lam, "gha-notify")
    n = len(c.t)
    steps = [(-21600, 6), (-15000, 7), (-11000, 8), (-8200, 9), (-6000, 10), (-4300, 11), (-3100, 12), (-2350, 13)]
    tasks = np.zeros(n)
    for start, k in steps:
        tasks[c.t >= start] = k
    load = c.diurnal(1.0, 0.42, peak_hour=13.5)
    lf = (load - load.min()) / (load.max() - load.min())
    cart = load * 2300 * (1 + 0.03 * c.walk(n, 1))
    catalog = load * 4100 * (1 + 0.03 * c.walk(n, 1))
    raw = 46 + c.rng.normal(0, 2, n) + tasks * (16 + 6 * lf) + c.rng.normal(0, 3, n)
    conns = np.minimum(raw, 320.0)
    over = raw > 318
    fail = np.where(over, np.clip((raw - 318) / raw * 0.5, 0.006, 0.03), 0.0)
    cart_5xx = c.poisson(cart * fail + 0.15)
    rds_metrics(c, db, 24 + 26 * lf + c.rng.normal(0, 2.2, n) + 4 * over, conns,
                np.full(n, 318.4 * GB) - np.arange(n) * 3.1e6 + c.rng.normal(0, 5e7, n),
                np.full(n, 5.9 * GB) - tasks * 2.1e7 + c.rng.normal(0, 4e7, n),
                np.abs(c.rng.normal(0.0009, 0.00015, n)), np.abs(c.rng.normal(0.0016, 0.0003, n)),
                280 + 420 * lf + c.rng.normal(0, 25, n), 190 + 160 * lf + c.rng.normal(0, 20, n))
    ecs_metrics(c, "shop", "cart-service", 52 + 9 * lf + c.rng.normal(0, 3, n) - 4 * (tasks - tasks.mean()) / 4,
                38 + c.rng.normal(0, 1.2, n), tasks)
    ecs_metrics(c, "shop", "catalog-service", 28 + 12 * lf + c.rng.normal(0, 2.5, n), 44 + c.rng.normal(0, 1, n),
                np.full(n, 4.0))
    trt = 0.041 + 0.012 * lf + c.rng.normal(0, 0.003, n) + over * c.rng.uniform(0.03, 0.06, n)
    alb_metrics(c, lb, cart + catalog, trt, cart_5xx + c.poisson(0.2), c.poisson(0.15),
                np.full(n, 4.0) + tasks, np.zeros(n), t4xx=c.poisson((cart + catalog) * 0.004))
    mails = simulate(c, c.diurnal(3.0, 0.4, 13.5), lambda t: Call(t, float(c.rng.uniform(180, 420))))
    lambda_metrics(c, _lam, per_minute(c, mails))

    # ---- cart-service logs (gunicorn + JSON app logs), tasks start as autoscaling adds them
    tl = TaskLogs(c, "/ecs/cart-service", "cart", "cart-service")
    for start, k in steps:
        while len(tl.live(max(start, -21600) + 25)) < k:
            tid = tl.task(start - 5 if start > -21600 else -40000)
            if start > -10800:
                for j, line in enumerate([f"[{c.stamp(start, '%Y-%m-%d %H:%M:%S')} +0000] [1] [INFO] Starting gunicorn 22.0.0",
                                          f"[{c.stamp(start, '%Y-%m-%d %H:%M:%S')} +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)",
                                          f"[{c.stamp(start, '%Y-%m-%d %H:%M:%S')} +0000] [1] [INFO] Using worker: gthread"] +
                                         [f"[{c.stamp(start + 1, '%Y-%m-%d %H:%M:%S')} +0000] [{7 + w}] [INFO] Booting worker with pid: {7 + w}"
                                          for w in range(4)]):
                    tl.add(tid, start + j * 0.2, line)
    paths = [("GET", "/cart", 200), ("POST", "/cart/items", 201), ("GET", "/cart/summary", 200),
             ("DELETE", "/cart/items/{id}", 204), ("POST", "/cart/coupon", 200)]
    for t, i in arrivals(c, cart / 260):
        m, p, st = paths[int(c.rng.choice(5, p=[0.35, 0.25, 0.25, 0.08, 0.07]))]
        if p == "/cart/coupon" and c.rng.random() < 0.3:
            tl.any(t, lambda tid: _pyjson(c, t, "WARNING", "cart.coupons", "Coupon rejected: code expired",
                                          request_id=c.uuid(), code="SPRING" + str(int(c.rng.integers(10, 30)))))
            continue
        tl.any(t, lambda tid: _pyjson(c, t, "INFO", "cart.access", f"{m} {p} {st} {int(trt[i] * 1000 * c.rng.uniform(0.6, 1.5))}ms",
                                      request_id=c.uuid()))
    for t, i in arrivals(c, np.full(n, 0.12)):
        tl.any(t, lambda tid: _pyjson(
            c, t, "ERROR", "cart.app", "Exception on /cart/summary [GET]", request_id=c.uuid(),
            exc_info="Traceback (most recent call last):\n  File \"/app/cart/views.py\", line 58, in summary\n    "
            "promo = promotions.for_session(session_id)\n  File \"/app/cart/promotions.py\", line 33, in for_session\n"
            "    return cache.get(f\"promo:{session_id}\")\n  File \"/usr/local/lib/python3.12/site-packages/redis/"
            "connection.py\", line 512, in read_response\n    raise TimeoutError(f\"Timeout reading from {host_error}\")\n"
            "redis.exceptions.TimeoutError: Timeout reading from shop-sessions.x8k2pq.0001.euw1.cache.amazonaws.com:6379"))
    for t, i in arrivals(c, np.where(over, cart_5xx / 4, 0.0)):
        rid = c.uuid()
        tl.any(t, lambda tid: _pyjson(
            c, t, "ERROR", "cart.app", "Exception on /cart/summary [GET]", request_id=rid,
            exc_info="Traceback (most recent call last):\n  File \"/usr/local/lib/python3.12/site-packages/flask/app.py\", "
            "line 1473, in wsgi_app\n    response = self.full_dispatch_request()\n  File \"/app/cart/views.py\", line 64, in "
            "summary\n    cart = Cart.load(session_id)\n  File \"/app/cart/models.py\", line 118, in load\n    rows = "
            "db.session.execute(stmt).all()\n  File \"/usr/local/lib/python3.12/site-packages/pymysql/connections.py\", "
            "line 361, in __init__\n    self.connect()\npymysql.err.OperationalError: (1040, 'Too many connections')\n\n"
            "The above exception was the direct cause of the following exception:\n\nsqlalchemy.exc.OperationalError: "
            "(pymysql.err.OperationalError) (1040, 'Too many connections')\n(Background on this error at: "
            "https://sqlalche.me/e/20/e3q8)"))
    tl.flush()
    cl = TaskLogs(c, "/ecs/catalog-service", "catalog", "catalog-service")
    for _ in range(4):
        cl.task(-40000)
    for t, i in arrivals(c, catalog / 900):
        p = c.pick(["/products", "/products/{sku}", "/categories", "/search"])
        cl.any(t, lambda tid: _pyjson(c, t, "INFO", "catalog.access", f"GET {p} 200 {int(c.rng.uniform(8, 40))}ms"))
    cl.flush()
    err = []
    for t, i in arrivals(c, np.full(n, 0.22), start=-21600):
        u = c.pick(["cart", "catalog"])
        err.append((t, mysql_err(c, t, int(c.rng.integers(90000, 990000)), "Note", "MY-010914",
                    f"Aborted connection {int(c.rng.integers(90000, 990000))} to db: 'shop' user: '{u}' host: "
                    f"'10.20.{int(c.rng.integers(1, 4))}.{int(c.rng.integers(2, 250))}' (Got an error reading "
                    "communication packets).")))
    c.log(f"/aws/rds/instance/{db}/error", db, err)
    ml = LambdaLogs(c, _lam, 256)
    for k in mails:
        if k.t >= -10800 and c.rng.random() < 0.5:
            ml.invoke(k.t, lambda rid, s: [(0.1, py_line(c, s + 0.1, rid, "INFO", "Receipt email queued via SES"))],
                      k.duration_ms, int(c.rng.integers(70, 82)))
    ml.flush()
    c.alarm("shop-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
            60, 3, 20, description="Target 5xx behind shop-alb", want="ALARM")
    c.alarm("shopfront-mysql-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80,
            want="OK")
    c.alarm("cart-service-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "shop", "ServiceName": "cart-service"},
            "Average", 300, 3, 85, want="OK")
    c.set_expect("shop-alb-target-5xx", "db_connection_exhaustion", [db],
                 [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}),
                  ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    c.meta = dict(front="front door (ALB in front of cart-service)", decoys=(
        "email-receipts code deploy 6 min before onset; long-standing MySQL 'Aborted connection' notes and Redis "
        "read timeouts in cart-service; steady coupon warnings; cart-service scaling out with the lunchtime load"), story=(
        "Saturday lunchtime load scales cart-service out one task at a time; each task keeps a SQLAlchemy pool of up "
        "to 24 connections. When the 13th task starts, DatabaseConnections on shopfront-mysql flattens at its "
        "max_connections of 320 and cart-service starts logging `pymysql.err.OperationalError: (1040, 'Too many "
        "connections')`, which the ALB counts as target 5xx. DB CPU, latency and storage are normal, so this is "
        "connection exhaustion on the database, not a dependency outage. email-receipts does not talk to the database."))
    return c


# ---------------------------------------------------------------- 05
def case05() -> Case:
    c = Case(5, "telemetry-ingest-errors", "us-west-2", 1705, "2026-03-19T17:10:00",
             "telemetry-ingest Errors alarm; fleet dashboard shows stale vehicle positions.")
    db, fn = "telemetry-pg", "telemetry-ingest"
    c.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.m6g.large",
               allocated_storage_gb=200, storage_autoscaling=False, max_connections=800)
    c.resource("lambda", fn, runtime="provided.al2023", architecture="arm64", timeout=30, memory_size=256,
               event_source="kinesis:device-telemetry", batch_size=500)
    c.resource("lambda", "fleet-dashboard-api", runtime="python3.12", timeout=10, memory_size=512)
    c.resource("lambda", "geofence-alerts", runtime="nodejs20.x", timeout=15, memory_size=256)
    onset = -1790
    c.change(-7510, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-telemetry")
    c.change(-2290, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "geofence-alerts", "s.okonkwo")
    n = len(c.t)
    after = c.t >= onset
    free = np.where(after, c.rng.uniform(2.2e7, 6.1e7, n),
                    np.maximum(9.3e9 * (onset - c.t) / (onset + 21600) + c.rng.normal(0, 3e7, n), 6e7))
    rds_metrics(c, db, np.where(after, 17, 31) + c.rng.normal(0, 2, n), 38 + c.rng.normal(0, 2, n), free,
                np.full(n, 2.9 * GB) + c.rng.normal(0, 5e7, n), np.abs(c.rng.normal(0.0012, 0.0002, n)),
                np.where(after, 0.0041, 0.0023) + np.abs(c.rng.normal(0, 0.0003, n)),
                np.abs(c.rng.normal(140, 18, n)), np.where(after, 160, 710) + c.rng.normal(0, 40, n))

    def ingest(t: float) -> Call:
        if t >= onset:
            return Call(t, float(c.rng.uniform(150, 320)), True, "diskfull")
        return Call(t, float(c.rng.lognormal(np.log(330), 0.25)), data={"dups": int(c.rng.poisson(1.2))})
    calls = simulate(c, np.full(n, 42.0) * (1 + 0.02 * c.walk(n, 1)), ingest)
    age = np.where(after, (c.t - onset + 60) * 1000, 600 + c.rng.uniform(0, 900, n))
    lambda_metrics(c, fn, per_minute(c, calls), extra={"IteratorAge": ("Milliseconds", age)})
    dash = simulate(c, c.diurnal(9, 0.4, 20), lambda t: Call(t, float(c.rng.lognormal(np.log(120), 0.3))))
    lambda_metrics(c, "fleet-dashboard-api", per_minute(c, dash))
    geo = simulate(c, np.full(n, 6.0), lambda t: Call(t, float(c.rng.lognormal(np.log(60), 0.3))))
    lambda_metrics(c, "geofence-alerts", per_minute(c, geo))

    ll = LambdaLogs(c, fn, 256)
    shards = [f"shardId-00000000000{k}" for k in range(4)]
    redeployed = False
    for k in calls:
        if k.t < -10800 or c.rng.random() > 0.3:
            continue
        sh = c.pick(shards)
        if k.error:
            b = lambda rid, s, k=k, sh=sh: [(k.duration_ms / 1000 - 0.01, go_json(
                c, s + k.duration_ms / 1000 - 0.01, "ERROR", "store batch failed", shard=sh, records=500,
                error='insert readings: ERROR: could not extend file "base/16402/1259873.14": No space left on device '
                      '(SQLSTATE 53100)'))]
        else:
            b = lambda rid, s, k=k, sh=sh: [(k.duration_ms / 1000 - 0.01, go_json(
                c, s + k.duration_ms / 1000 - 0.01, "INFO", "batch stored", shard=sh, records=500,
                inserted=500 - k.data["dups"], duplicates=k.data["dups"], elapsed_ms=int(k.duration_ms - 20)))]
        if k.t >= -7490 and not redeployed:
            ll.retire("$LATEST")  # the code update replaces every execution environment
            redeployed = True
        ll.invoke(k.t, b, k.duration_ms, int(c.rng.integers(38, 47)), init_ms=(60, 110))
    ll.flush()
    gl = LambdaLogs(c, "geofence-alerts", 256)
    for k in geo:
        if k.t >= -10800 and c.rng.random() < 0.12:
            gl.invoke(k.t, lambda rid, s: [(0.02, node_line(c, s + 0.02, rid, "INFO",
                      f"evaluated {int(c.rng.integers(20, 90))} vehicles against 14 geofences, 0 alerts"))],
                      k.duration_ms, int(c.rng.integers(80, 95)))
    gl.flush()
    pg = []
    for t in np.arange(-21600 + 11.0, -1, 300):
        pg.append((float(t), pg_line(c, float(t), 402, "LOG", "checkpoint starting: time")))
        pg.append((float(t) + 58, pg_line(c, float(t) + 58, 402, "LOG",
                   f"checkpoint complete: wrote {int(c.rng.integers(4000, 9000))} buffers ({c.rng.uniform(0.4, 1.2):.1f}%); "
                   f"0 WAL file(s) added, 0 removed, {int(c.rng.integers(2, 6))} recycled")))
    for t, i in arrivals(c, np.full(n, 0.1), start=-21600):
        cl = f"10.40.{int(c.rng.integers(1, 4))}.{int(c.rng.integers(2, 250))}({int(c.rng.integers(30000, 65000))})"
        dev = f"dev-{int(c.rng.integers(10000, 99999))}"
        for j, (lvl, msg) in enumerate([("ERROR", 'duplicate key value violates unique constraint "device_alerts_pkey"'),
                                        ("DETAIL", f"Key (device_id, alert_type)=({dev}, geofence_exit) already exists."),
                                        ("STATEMENT", "INSERT INTO device_alerts (device_id, alert_type, raised_at) VALUES ($1, $2, $3)")]):
            pg.append((t + j * 0.001, pg_line(c, t, 20000 + i, lvl, msg, cl, "alerts", "telemetry")))
    for t, i in arrivals(c, np.where(after, 5.0, 0.0), start=onset):
        cl = f"10.40.{int(c.rng.integers(1, 4))}.{int(c.rng.integers(2, 250))}({int(c.rng.integers(30000, 65000))})"
        pid = int(c.rng.integers(30000, 39000))
        for j, (lvl, msg) in enumerate([("ERROR", 'could not extend file "base/16402/1259873.14": No space left on device'),
                                        ("HINT", "Check free disk space."),
                                        ("STATEMENT", "INSERT INTO readings (device_id, ts, lat, lon, speed_kmh, heading) "
                                                      "SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[], "
                                                      "$4::float8[], $5::float4[], $6::int2[]) ON CONFLICT DO NOTHING")]):
            pg.append((t + j * 0.001, pg_line(c, t, pid, lvl, msg, cl, "ingest", "telemetry")))
    pg.append((onset + 95, pg_line(c, onset + 95, 402, "LOG", 'could not write to file "pg_wal/xlogtemp.402": No space left on device')))
    c.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pg)

    c.alarm("telemetry-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
            description="telemetry-ingest failed batches", want="ALARM")
    c.alarm("telemetry-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 85, want="OK")
    c.alarm("fleet-dashboard-api-errors", "AWS/Lambda", "Errors", {"FunctionName": "fleet-dashboard-api"}, "Sum", 300, 1,
            5, want="OK")
    c.set_expect("telemetry-ingest-errors", "storage_exhaustion", [db],
                 [("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}),
                  ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    c.meta = dict(front="consumer (the ingesting Lambda)", decoys=(
        "telemetry-ingest code deploy 1 h 35 min before onset; geofence-alerts config change 8 min before; steady "
        "duplicate-key errors in the Postgres log"), story=(
        "telemetry-pg (200 GB, no storage autoscaling) has been losing ~1.6 GB/h all afternoon; FreeStorageSpace "
        "reaches ~0 at onset. From then every insert fails with `could not extend file ...: No space left on device` "
        "(SQLSTATE 53100) in both the Go consumer's logs and the Postgres log, Kinesis retries the batches and "
        "IteratorAge climbs. The consumer's deploy was 95 minutes earlier with no errors and no change in the storage "
        "slope; the geofence-alerts change and the duplicate-key errors are unrelated and steady."))
    return c


# ---------------------------------------------------------------- 06
def case06() -> Case:
    c = Case(6, "catalog-latency", "ap-northeast-1", 1706, "2026-03-24T02:15:00",
             "catalog-alb response-time alarm; product search is slow on the web shop.")
    lb, db = "app/catalog-alb/3f9a1c7e5b2d8046", "inventory-pg"
    c.resource("alb", lb, name="catalog-alb", scheme="internet-facing", target_groups=["search-api-tg"])
    c.resource("ecs", "catalog/search-api", launch_type="FARGATE", desired_count=6,
               environment={"PG_POOL_MAX_CONNS": "25", "QUERY_TIMEOUT": "3s"})
    c.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
               max_connections=1000, allocated_storage_gb=1000)
    c.resource("lambda", "price-feed-import", runtime="python3.12", timeout=300, memory_size=1024,
               schedule="rate(15 minutes)")
    onset = -2520
    _ecs_deploy(c, -15310, "catalog", "search-api", "gha-catalog")
    c.change(-2805, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "price-feed-import", "y.tanaka")
    n = len(c.t)
    hot = c.ramp(onset, 150)
    load = c.diurnal(1.0, 0.35, peak_hour=3.5)
    req = load * 4300 * (1 + 0.03 * c.walk(n, 1))
    cpu = (26 * load + c.walk(n, 1.2) + c.rng.normal(0, 1.5, n)) * (1 - hot) + hot * c.rng.uniform(96.5, 100, n)
    rds_metrics(c, db, cpu, 62 + 6 * load + hot * (70 + c.rng.normal(0, 6, n)) + c.rng.normal(0, 3, n),
                np.full(n, 611 * GB) - np.arange(n) * 1.2e6, np.full(n, 9.4 * GB) - hot * 1.1 * GB + c.rng.normal(0, 6e7, n),
                0.0008 + hot * 0.0031 + np.abs(c.rng.normal(0, 0.0002, n)), 0.0014 + np.abs(c.rng.normal(0, 0.0002, n)),
                900 * load + hot * 2100 + c.rng.normal(0, 60, n), 210 + c.rng.normal(0, 20, n))
    lat = 0.038 + 0.006 * load + c.rng.normal(0, 0.003, n) + hot * c.rng.uniform(1.9, 2.7, n)
    t5 = c.poisson(req * (0.0003 + hot * 0.028))
    alb_metrics(c, lb, req, lat, t5, c.poisson(0.1), np.full(n, 6.0), np.zeros(n), t4xx=c.poisson(req * 0.006))
    ecs_metrics(c, "catalog", "search-api", 24 * load + c.rng.normal(0, 2, n) - hot * 8, 31 + c.rng.normal(0, 1, n),
                np.full(n, 6.0))
    pf = [Call(float(t), float(c.rng.uniform(41000, 64000))) for t in np.arange(-21600 + 5.0, -1, 900)]
    lambda_metrics(c, "price-feed-import", per_minute(c, pf))

    tl = TaskLogs(c, "/ecs/search-api", "search-api", "search-api")
    for _ in range(6):
        tl.task(-15200)
    zap = lambda t, lvl, msg, **f: json.dumps({"level": lvl, "ts": round(c.at(t).timestamp(), 3),  # noqa: E731
                                               "caller": f.pop("caller", "httpx/log.go:41"), "msg": msg, **f},
                                              separators=(",", ":"))
    for t, i in arrivals(c, req / 300):
        ms = int(lat[i] * 1000 * c.rng.uniform(0.5, 1.5))
        q = c.pick(["/v2/search", "/v2/search", "/v2/search", "/v2/suggest", "/v2/items"])
        tl.any(t, lambda tid: zap(t, "info", "request", method="GET", path=q, status=200, latency_ms=ms))
        if hot[i] > 0.5 and c.rng.random() < 0.15:
            tl.any(t, lambda tid: zap(t, "warn", "slow query", caller="store/products.go:212", query="search_products",
                                      elapsed_ms=int(c.rng.uniform(1500, 2990))))
    for t, i in arrivals(c, np.where(hot > 0.5, t5 / 3, 0.0)):
        tl.any(t, lambda tid: zap(t, "error", "search failed", caller="api/search.go:88", status=504,
                                  error="query search_products: timeout: context deadline exceeded"))
    for t, i in arrivals(c, np.full(n, 0.3)):
        tl.any(t, lambda tid: zap(t, "error", "panic recovered", caller="httpx/recover.go:27", status=500,
                                  path="/v2/items", error="runtime error: index out of range [3] with length 3"))
    tl.flush()
    pg = [(float(t), pg_line(c, float(t), 388, "LOG", "checkpoint starting: time")) for t in np.arange(-21600 + 23.0, -1, 300)]
    for t, i in arrivals(c, np.where(hot > 0.5, 9.0, 0.04), start=-21600):
        cl = f"10.60.{int(c.rng.integers(1, 4))}.{int(c.rng.integers(2, 250))}({int(c.rng.integers(30000, 65000))})"
        pg.append((t, pg_line(c, t, int(c.rng.integers(20000, 60000)), "LOG",
                   f"duration: {c.rng.uniform(1000, 2990) if hot[i] < 0.5 else c.rng.uniform(1800, 5200):.3f} ms  execute "
                   "<unnamed>: SELECT id, sku, title, price_jpy, stock FROM products WHERE tsv @@ plainto_tsquery($1) "
                   "AND warehouse_id = ANY($2) ORDER BY rank DESC LIMIT 40", cl, "search_api", "inventory")))
    bi = "10.60.9.14"
    for k in range(6):
        t = onset - 40 + k * 3
        pg.append((t, pg_line(c, t, 41200 + k, "LOG", f"connection authorized: user=bi_reporting database=inventory "
                              "application_name=Metabase", f"{bi}({50110 + k})", "bi_reporting", "inventory")))
    for t in np.arange(onset + 520, -1, 95.0):
        q = c.pick(["SELECT w.code, p.category, date_trunc('week', m.moved_at) AS wk, sum(m.qty) FROM stock_movements m "
                    "JOIN products p ON p.id = m.product_id JOIN warehouses w ON w.id = m.warehouse_id GROUP BY 1, 2, 3 "
                    "ORDER BY 1, 2, 3", "SELECT p.sku, max(m.moved_at) AS last_move, sum(s.on_hand) FROM products p "
                    "LEFT JOIN stock_movements m ON m.product_id = p.id LEFT JOIN stock s ON s.product_id = p.id GROUP BY "
                    "p.sku HAVING max(m.moved_at) < now() - interval '90 days'"])
        pg.append((float(t), pg_line(c, float(t), 41200 + int(c.rng.integers(0, 6)), "LOG",
                   f"duration: {c.rng.uniform(480000, 640000):.3f} ms  statement: {q}", f"{bi}({50110 + int(c.rng.integers(0, 6))})",
                   "bi_reporting", "inventory")))
    c.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pg)
    pl = LambdaLogs(c, "price-feed-import", 1024)
    for k in pf:
        if k.t >= -10800:
            pl.invoke(k.t, lambda rid, s, k=k: [(0.1, py_line(c, s + 0.1, rid, "INFO", "Downloading supplier price feed (3 files)")),
                      (k.duration_ms / 1000 - 0.3, py_line(c, s + k.duration_ms / 1000 - 0.3, rid, "INFO",
                       f"Wrote {int(c.rng.integers(18000, 26000))} price rows to s3://catalog-prices-apne1/staging/"))],
                      k.duration_ms, int(c.rng.integers(400, 480)))
    pl.flush()
    c.alarm("catalog-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3,
            1.5, description="catalog-alb average target response time", want="ALARM")
    c.alarm("search-api-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "catalog", "ServiceName": "search-api"},
            "Average", 300, 2, 80, want="OK")
    c.set_expect("catalog-alb-latency", "cpu_saturation", [db],
                 [("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}),
                  ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
    c.meta = dict(front="front door (ALB in front of search-api)", decoys=(
        "price-feed-import config change 5 min before onset (it writes to S3); search-api deploy 3.5 h earlier; "
        "a few pre-existing slow statements and a long-standing /v2/items panic"), story=(
        "Six Metabase sessions of `bi_reporting` connect to inventory-pg at onset and run multi-minute aggregate "
        "reports over stock_movements; DB CPU goes from ~25 % to 97-100 % and stays there, ReadIOPS and ReadLatency "
        "rise, while DatabaseConnections stays far below max_connections. search-api's product queries slow to "
        "2-5 s and some hit its 3 s deadline (`context deadline exceeded`), so the ALB's response time alarm fires. "
        "search-api's own CPU is low and request volume is normal; price-feed-import only writes to S3."))
    return c


CASES = [case04, case05, case06]
