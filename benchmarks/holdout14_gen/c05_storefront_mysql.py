"""h14-05: at the afternoon peak the hourly export pushes storefront-mysql to max_connections;
catalog-web and cart-svc get 'Too many connections' and the storefront ALB's target 5xx alarm fires."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np

from .common import N, T, Ctx, alarm, between, bump, change, idx, metric, ok_alarm, scenario, spread, stream
from .logfmt import mysql_err

META = {
    "file": "h14-05-storefront-mysql-connections.yaml", "region": "us-east-2", "alarm": "storefront-alb-target-5xx",
    "category": "db_connection_exhaustion", "resources": ["storefront-mysql"],
    "position": "front (ALB in front of the ECS services using the DB)",
    "decoys": "search-indexer ECS deploy 11 min before onset (does not use MySQL); the hourly export's regular "
              "connection bumps on earlier hours; constant ER_DUP_ENTRY warnings in cart-svc; aborted-connection notes",
    "story": "storefront-mysql has max_connections=250. Connections follow the daily curve (about 150 in the morning, "
             "over 200 now) and every hour the reporting export on reporting-cron-1 adds ~36 for a few minutes; the "
             "previous bumps peaked at ~235. At the 18:05 UTC run the sum reached the limit and DatabaseConnections has "
             "been flat at 250 since; catalog-web and cart-svc log mysql2 'Too many connections' (ER_CON_COUNT_ERROR, "
             "errno 1040) and return 503, and the export itself logs (1040, 'Too many connections'). DB CPU, memory "
             "and latency are unremarkable, so it is connection exhaustion at the database, not a database failure. "
             "The search-indexer deploy talks to OpenSearch, not MySQL.",
}

REGION = "us-east-2"
ALB = "app/storefront-alb/8c1d55e0a3b94f27"
DB = "storefront-mysql"
DB_HOST = "storefront-mysql.cx3vq8a1lz2n.us-east-2.rds.amazonaws.com"
ONSET = -1500.0
LOG_START = -7200.0
EXPORTS = [-19500.0, -15900.0, -12300.0, -8700.0, -5100.0, ONSET]


def _pino(ctx, rel, level, host, msg, **extra):
    rec = {"level": level, "time": int(ctx.at(rel).timestamp() * 1000), "pid": 1, "hostname": host}
    rec.update(extra)
    rec["msg"] = msg
    return json.dumps(rec, separators=(",", ":"))


_STACK = ("Error: Too many connections\n    at Packet.asError (/app/node_modules/mysql2/lib/packets/packet.js:740:17)\n"
          "    at ClientHandshake.execute (/app/node_modules/mysql2/lib/commands/command.js:29:26)\n"
          "    at PoolConnection.handlePacket (/app/node_modules/mysql2/lib/connection.js:481:34)\n"
          "    at PacketParser.onPacket (/app/node_modules/mysql2/lib/connection.js:97:12)\n"
          "    at PacketParser.executeStart (/app/node_modules/mysql2/lib/packet_parser.js:75:16)\n"
          "    at Socket.<anonymous> (/app/node_modules/mysql2/lib/connection.js:104:25)\n"
          "    at Socket.emit (node:events:519:28)")


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 16, 18, 30, tzinfo=dt.timezone.utc), -4.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=15.0, amp=0.3)
    req = ctx.poisson(300 * shape)
    # connections: app pools follow the day; the hourly export adds ~36 for ~8 min
    app_conn = 150 + 58 * (T + 21600) / 21600.0 + ctx.ar1(2.0)
    export = np.zeros(N)
    for e in EXPORTS[:-1]:
        export += np.where(between(e, e + 480), 36, 0) + np.where(between(e + 480, e + 540), 14, 0)
    export += np.where(T >= ONSET, 40, 0)
    conns = np.round(app_conn + export)
    conns[T >= ONSET + 120] = 250
    conns[(T >= ONSET) & (T < ONSET + 120)] = np.minimum(250, conns[(T >= ONSET) & (T < ONSET + 120)] + 8)
    for j in np.where(T >= ONSET + 120)[0]:
        if rng.random() < 0.15:
            conns[j] = 249
    saturated = T >= ONSET + 60
    fail_rate = np.where(saturated, 0.095, 0.0)

    services = {"catalog-web": {"tasks": 8, "share": 0.74, "prefix": "/api/products"},
                "cart-svc": {"tasks": 4, "share": 0.26, "prefix": "/api/cart"}}
    streams = {}
    for svc, cfg in services.items():
        cfg["hosts"] = [f"ip-10-1-{ctx.randint(1, 6)}-{ctx.randint(10, 250)}.us-east-2.compute.internal" for _ in range(cfg["tasks"])]
        cfg["ids"] = [ctx.hexs(32) for _ in range(cfg["tasks"])]
        for tid in cfg["ids"]:
            streams[(svc, tid)] = []
    t5 = np.zeros(N)
    t4 = np.zeros(N)
    rt = np.zeros(N)
    for i in range(N):
        rts = []
        for rel in spread(ctx, i, req[i]):
            svc = "catalog-web" if rng.random() < services["catalog-web"]["share"] else "cart-svc"
            cfg = services[svc]
            k = ctx.randint(0, cfg["tasks"] - 1)
            host, tid = cfg["hosts"][k], cfg["ids"][k]
            ev = streams[(svc, tid)]
            url = f"{cfg['prefix']}/{ctx.randint(1000, 99999)}" if svc == "catalog-web" else f"/api/cart/c_{ctx.hexs(8)}/items"
            method = "GET" if svc == "catalog-web" else ctx.pick(["GET", "POST", "POST", "DELETE"])
            if rng.random() < fail_rate[i]:
                t5[i] += 1
                wait = ctx.uni(0.02, 0.4)
                rts.append(wait)
                if rel >= LOG_START:
                    ev.append((rel + wait, _pino(ctx, rel + wait, 50, host, "request failed", reqId=f"req-{ctx.hexs(6)}",
                                                 req={"method": method, "url": url}, res={"statusCode": 503},
                                                 err={"type": "Error", "message": "Too many connections", "code": "ER_CON_COUNT_ERROR",
                                                      "errno": 1040, "sqlState": "08004", "fatal": True, "stack": _STACK})))
                continue
            base = 0.045 if svc == "catalog-web" else 0.03
            r = float(rng.lognormal(np.log(base * (2.6 if saturated[i] else 1.0)), 0.45))
            rts.append(r)
            if svc == "cart-svc" and method == "POST" and rng.random() < 0.02:
                t4[i] += 1
                if rel >= LOG_START:
                    ev.append((rel + r, _pino(ctx, rel + r, 40, host, "cart item already present", reqId=f"req-{ctx.hexs(6)}",
                                              err={"code": "ER_DUP_ENTRY", "errno": 1062,
                                                   "message": f"Duplicate entry 'c_{ctx.hexs(8)}-{ctx.randint(1000, 99999)}' for key 'cart_items.uniq_cart_sku'"})))
            elif r > 1.0 and rel >= LOG_START:
                ev.append((rel + r, _pino(ctx, rel + r, 40, host, "slow request", reqId=f"req-{ctx.hexs(6)}",
                                          req={"method": method, "url": url}, responseTime=int(r * 1000))))
        rt[i] = np.mean(rts) if rts else np.nan
    # per-minute pool stats per task
    for svc, cfg in services.items():
        limit = 20 if svc == "catalog-web" else 15
        for k, tid in enumerate(cfg["ids"]):
            for rel in np.arange(LOG_START, 0, 60.0) + ctx.uni(0, 59):
                j = idx(rel)
                total = min(limit, int(round(conns[j] / 12.0 * (1.05 if svc == "catalog-web" else 0.85) + rng.normal(0, 1))))
                if saturated[j]:
                    total = limit if rng.random() < 0.5 else limit - ctx.randint(1, 3)
                idle = 0 if saturated[j] else max(0, total - ctx.randint(2, 9))
                waiting = ctx.randint(5, 40) if saturated[j] else 0
                streams[(svc, tid)].append((rel, _pino(ctx, rel, 30, cfg["hosts"][k], "db pool stats", pool="storefront",
                                                       total=total, idle=idle, waiting=waiting, limit=limit)))
    logs = [stream(f"/ecs/{svc}", f"ecs/{svc}/{tid}", ev) for (svc, tid), ev in streams.items()]

    # reporting-cron-1 export log (python logging)
    ex = []
    for e in EXPORTS:
        if e < -10800:
            continue
        def line(rel, level, msg):
            ex.append((rel, f"{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')},{ctx.randint(0, 999):03d} {level} export: {msg}"))
        line(e + 1, "INFO", "starting hourly export to s3://storefront-reports/hourly/ (workers=36)")
        if e < ONSET:
            rows = ctx.randint(1_700_000, 1_950_000)
            line(e + ctx.uni(430, 500), "INFO", f"export finished rows={rows} files=36 elapsed={ctx.uni(430, 500):.0f}s")
        else:
            for rel in sorted(ctx.sparse_events(0.35, ONSET + 70, 0.0)):
                w = ctx.randint(1, 36)
                line(rel, "WARNING", f"worker {w}: OperationalError: (1040, 'Too many connections'); retrying in 30s")
            for rel in np.arange(ONSET + 600, 0, 300.0):
                line(rel, "INFO", f"export still running: {ctx.randint(300, 1100) * 1000} rows written, "
                                  f"{ctx.randint(6, 14)} workers waiting for a connection")
    logs.append(stream("/reporting/export", "i-0b7e3f9a1c5d2e864", ex))

    # RDS MySQL error log
    ml = []
    for rel in ctx.sparse_events(0.2, -10800, 0.0):
        ml.append((rel, mysql_err(ctx, rel, "Note", "MY-010914", f"Aborted connection {ctx.randint(880000, 990000)} to db: 'storefront' "
                                  f"user: 'app' host: '10.1.{ctx.randint(1, 6)}.{ctx.randint(10, 250)}' (Got an error reading communication packets).",
                                  thread=ctx.randint(880000, 990000))))
    for rel in ctx.sparse_events(0.03, -10800, 0.0):
        ml.append((rel, mysql_err(ctx, rel, "Warning", "MY-010055", f"IP address '10.1.{ctx.randint(1, 6)}.{ctx.randint(10, 250)}' could not be "
                                  "resolved: Name or service not known")))
    for rel in ctx.sparse_events(1.2, ONSET + 60, 0.0):
        ml.append((rel, mysql_err(ctx, rel, "Note", "MY-010914", f"Aborted connection {ctx.randint(990000, 999999)} to db: 'storefront' "
                                  f"user: 'app' host: '10.1.{ctx.randint(1, 6)}.{ctx.randint(10, 250)}' (Got timeout reading communication packets).",
                                  thread=ctx.randint(990000, 999999))))
    logs.append(stream(f"/aws/rds/instance/{DB}/error", DB, ml))

    lb = {"LoadBalancer": ALB}
    db = {"DBInstanceIdentifier": DB}
    ex_cpu = sum(bump(e + 240, 300, 55) for e in EXPORTS[:-1]) + np.where(T >= ONSET, 35, 0)
    db_cpu = ctx.gauge(24 * shape, 0.06, lo=5) + sum(bump(e + 240, 300, 14) for e in EXPORTS[:-1]) + np.where(saturated, 16, 0)
    idx_dims = {"ClusterName": "storefront", "ServiceName": "search-indexer"}
    metrics = [
        metric("AWS/ApplicationELB", "RequestCount", lb, "Count", req),
        metric("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", rt),
        metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Count", t5),
        metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", lb, "Count", t4 + ctx.poisson(2.5)),
        metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Count", ctx.poisson(0.02)),
        metric("AWS/ApplicationELB", "HealthyHostCount", lb, "Count", np.full(N, 12.0)),
        metric("AWS/ApplicationELB", "UnHealthyHostCount", lb, "Count", np.zeros(N)),
        metric("AWS/ECS", "CPUUtilization", {"ClusterName": "storefront", "ServiceName": "catalog-web"}, "Percent", ctx.gauge(31 * shape, 0.05, lo=3)),
        metric("AWS/ECS", "MemoryUtilization", {"ClusterName": "storefront", "ServiceName": "catalog-web"}, "Percent", ctx.gauge(46, 0.02)),
        metric("AWS/ECS", "CPUUtilization", {"ClusterName": "storefront", "ServiceName": "cart-svc"}, "Percent", ctx.gauge(22 * shape, 0.05, lo=3)),
        metric("AWS/ECS", "MemoryUtilization", {"ClusterName": "storefront", "ServiceName": "cart-svc"}, "Percent", ctx.gauge(39, 0.02)),
        metric("AWS/ECS", "CPUUtilization", idx_dims, "Percent", ctx.gauge(12, 0.1, lo=1) + bump(-2160 + 90, 180, 30)),
        metric("AWS/RDS", "DatabaseConnections", db, "Count", conns),
        metric("AWS/RDS", "CPUUtilization", db, "Percent", db_cpu),
        metric("AWS/RDS", "FreeableMemory", db, "Bytes", ctx.gauge(5.1e9, 0.01) - np.where(saturated, 0.2e9, 0), decimals=0),
        metric("AWS/RDS", "ReadLatency", db, "Seconds", ctx.gauge(0.0009, 0.1, lo=0.0003) + np.where(saturated, 0.0004, 0), decimals=5),
        metric("AWS/RDS", "WriteLatency", db, "Seconds", ctx.gauge(0.0014, 0.1, lo=0.0005), decimals=5),
        metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", ctx.gauge(318e9, 0.0004, jitter=0.0), decimals=0),
        metric("AWS/EC2", "CPUUtilization", {"InstanceId": "i-0b7e3f9a1c5d2e864"}, "Percent", ctx.gauge(4, 0.2, lo=0.5) + ex_cpu),
    ]
    alarms = [
        alarm(ctx, "storefront-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, t5, "Sum", 60, 3, 15.0,
              description="Storefront: 5xx from catalog-web / cart-svc"),
        ok_alarm("storefront-mysql-cpu", "AWS/RDS", "CPUUtilization", db, "Average", 300, 2, 85.0),
        ok_alarm("storefront-mysql-free-storage", "AWS/RDS", "FreeStorageSpace", db, "Minimum", 300, 1, 20e9, "LessThanThreshold"),
    ]
    changes = [
        change(-2190, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "search-indexer:112", "buildkite"),
        change(-2160, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "storefront/search-indexer", "buildkite"),
    ]
    resources = [
        {"type": "alb", "id": ALB, "properties": {"name": "storefront-alb", "target_groups": ["catalog-web-tg", "cart-svc-tg"]}},
        {"type": "ecs", "id": "storefront/catalog-web", "properties": {
            "desired_count": 8, "launch_type": "FARGATE", "awslogs_groups": ["/ecs/catalog-web"],
            "environment": {"DB_HOST": DB_HOST, "DB_POOL_LIMIT": "20"}}},
        {"type": "ecs", "id": "storefront/cart-svc", "properties": {
            "desired_count": 4, "launch_type": "FARGATE", "awslogs_groups": ["/ecs/cart-svc"],
            "environment": {"DB_HOST": DB_HOST, "DB_POOL_LIMIT": "15"}}},
        {"type": "ecs", "id": "storefront/search-indexer", "properties": {
            "desired_count": 2, "launch_type": "FARGATE", "environment": {"OPENSEARCH_URL": "https://search.storefront.internal"}}},
        {"type": "ec2", "id": "i-0b7e3f9a1c5d2e864", "properties": {"name": "reporting-cron-1", "instance_type": "m6i.large",
                                                                     "log_groups": ["/reporting/export"]}},
        {"type": "rds", "id": DB, "properties": {"engine": "mysql", "engine_version": "8.0.36", "instance_class": "db.r6g.large",
                                                  "max_connections": 250, "allocated_storage_gb": 400}},
    ]
    return scenario("h14-05-storefront-mysql-connections",
                    "Storefront 5xx alarm; product pages and cart intermittently failing.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": db}]})
