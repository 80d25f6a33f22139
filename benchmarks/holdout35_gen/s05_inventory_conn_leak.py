"""h35-05: a Go service leaks MySQL connections on its 'insufficient stock' path (rows never closed,
no MaxOpenConns); once a partner sync starts generating conflicts the RDS connection count climbs for
8 h to max_connections. Slow burn, alarm on the origin database."""
import datetime as dt

from .lib import Scenario, alb_dims, ecs_dims, rds_dims, first_breach, clamp

FILE = "h35-05-inventory-mysql-conn-leak.yaml"
DB = "inventory-mysql"
ALB = "app/retail-api/0b7d3c9e51a2f846"
META = {
    "file": FILE, "region": "eu-central-1", "alarm": "inventory-mysql-connections-high",
    "category": "db_connection_exhaustion", "resources": [DB, "retail/inventory-api", "inventory-api"],
    "where": "origin (database)", "shape": "slow",
    "decoys": "catalog-api deploy 3 h before; a 20-minute ETL CPU spike on the database 5 h before; steady "
              "'webhook delivery failed' ERRORs and MySQL 'Aborted connection' notes all day",
    "story": (
        "inventory-api (Go, database/sql with no MaxOpenConns) returns early without closing `rows` when a "
        "reservation is rejected for insufficient stock, so every rejection keeps a MySQL connection checked "
        "out. At 08:15 local a partner bulk sync starts sending stale adjustments, the `reservation rejected` "
        "warnings appear at ~1.8/min, and from that minute the per-task `db pool stats` show open == in_use "
        "growing while idle stays flat; RDS DatabaseConnections climbs linearly for ~8 h from ~180 to the "
        "max_connections of 1000 with flat request rate and CPU. The connections alarm fires near the top; "
        "in the last ~12 minutes both inventory-api and catalog-api get `Error 1040 (08004): Too many "
        "connections`. The catalog deploy, the old ETL spike and the constant webhook/Aborted-connection "
        "noise are unrelated. Label: db_connection_exhaustion on inventory-mysql (leak in inventory-api, "
        "also accepted as the origin)."),
}


def build():
    now = dt.datetime(2026, 4, 22, 14, 10, tzinfo=dt.timezone.utc)
    s = Scenario("h35-05-inventory-mysql-conn-leak", "eu-central-1",
                 "Inventory database connections alarm; stock lookups starting to fail.",
                 seed=3505, now=now, window_h=12, tz_offset_h=2)
    s.resource("rds", DB, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
               max_connections=1000, wait_timeout=28800, allocated_storage_gb=400,
               log_groups=[f"/aws/rds/instance/{DB}/error"])
    s.resource("ecs", "retail/inventory-api", cluster="retail", service="inventory-api", launch_type="FARGATE",
               desired_count=6, language="go1.22", log_groups=["/ecs/inventory-api"])
    s.resource("ecs", "retail/catalog-api", cluster="retail", service="catalog-api", launch_type="FARGATE",
               desired_count=4, log_groups=["/ecs/catalog-api"])
    s.resource("alb", ALB, name="retail-api", scheme="internal")

    mins = list(range(s.start, 0, 60))
    sync_start = s.start + 4 * 3600 + 5 * 60  # 08:15 local
    limit_at = -12 * 60
    base = {t: 176 + 8 * s.diurnal(t, 0.3, 14) + s.rng.randint(-3, 3) for t in mins}
    leak_minutes = [t for t in mins if sync_start <= t < limit_at]
    per_min = (1000 - 184) / len(leak_minutes)
    leaked, conns, rej = {}, {}, {}
    acc = 0.0
    for t in mins:
        if sync_start <= t:
            n = s.pois(per_min) if t < limit_at else s.pois(per_min * 0.6)
            rej[t] = n
            acc += n
        else:
            rej[t] = 0
        leaked[t] = acc
        conns[t] = min(1000, base[t] + acc) if t < limit_at else 1000 - s.rng.randint(0, 1)
    exhausted = {t: t >= limit_at for t in mins}
    d = rds_dims(DB)
    etl = -5 * 3600
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count", lambda t: conns[t], nd=0)
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent",
             lambda t: 17 + 15 * s.diurnal(t, 0.3) + s.g(0, 1.5) + (48 if etl <= t < etl + 1200 else 0))
    s.metric("AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: 11.8e9 - conns[t] * 2.9e6 + s.g(0, 4e7), nd=0)
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds", lambda t: 0.0007 + abs(s.g(0, 0.0001)), nd=5)
    s.metric("AWS/RDS", "WriteLatency", d, "Seconds", lambda t: 0.0011 + abs(s.g(0, 0.0002)), nd=5)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: 268.2e9 - (t - s.start) * 3.1e3 + s.g(0, 1e7), nd=0)
    req = {t: 3900 * s.diurnal(t, 0.3, 14) * (1 + s.g(0, 0.04)) for t in mins}
    r5 = {t: s.pois(1.2) + (s.pois(req[t] * 0.31) if exhausted[t] else 0) for t in mins}
    a = alb_dims(ALB)
    s.metric("AWS/ApplicationELB", "RequestCount", a, "Count", lambda t: req[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Count", lambda t: r5[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", a, "Count",
             lambda t: s.pois(req[t] * 0.004) + rej[t], nd=0)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", a, "Seconds",
             lambda t: 0.012 + 0.004 * s.diurnal(t) + abs(s.g(0, 0.001)) + (0.2 if exhausted[t] else 0))
    s.metric("AWS/ApplicationELB", "HealthyHostCount", a, "Count", lambda t: 10, nd=0)
    cat_dep = -3 * 3600
    for svc, cpu0 in (("inventory-api", 22), ("catalog-api", 16)):
        e = ecs_dims("retail", svc)
        s.metric("AWS/ECS", "CPUUtilization", e, "Percent",
                 lambda t, c=cpu0, sv=svc: c + 12 * s.diurnal(t, 0.3) + s.g(0, 1.5)
                 + (22 if sv == "catalog-api" and cat_dep <= t < cat_dep + 180 else 0))
        s.metric("AWS/ECS", "MemoryUtilization", e, "Percent",
                 lambda t, sv=svc: (31 + leaked[t] * 0.004 if sv == "inventory-api" else 44) + s.g(0, 0.5))

    # ---- logs ---------------------------------------------------------------------------------
    def z(t, level, caller, msg, **kv):
        extra = "".join(f',"{k}":{v}' if isinstance(v, (int, float)) else f',"{k}":"{v}"' for k, v in kv.items())
        return (t, f'{{"level":"{level}","ts":{s.ms(t) / 1000:.3f},"caller":"{caller}","msg":"{msg}"{extra}}}')

    log_from = -6 * 3600
    tasks = [s.hexid(32) for _ in range(2)]
    for ti, task in enumerate(tasks):
        ev = []
        share = 1 / 6.0
        for t in range(log_from, 0, 60):
            leak_n = int(leaked[t] * share * (1 + 0.04 * (ti - 0.5)))
            busy = s.rng.randint(1, 5)
            idle = max(2, int(base[t] * 0.09) - busy)
            ev.append(z(t + 0.5 + ti, "info", "db/stats.go:29", "db pool stats", max_open=0,
                        open=leak_n + busy + idle, in_use=leak_n + busy, idle=idle, wait_count=0))
        for t in s.times(lambda t: 9 * s.diurnal(t, 0.3), start=log_from):
            path = s.pick(["/v1/stock/SKU-%d", "/v1/stock/batch", "/v1/reservations"], [0.7, 0.2, 0.1])
            path = path % s.rng.randint(10000, 99999) if "%d" in path else path
            if exhausted[t - t % 60] and s.rng.random() < 0.33:
                ev.append(z(t, "error", "httpapi/errors.go:44", "request failed", method="GET", path=path, status=500,
                            error="Error 1040 (08004): Too many connections", request_id=s.uid()))
            else:
                ev.append(z(t, "info", "httpapi/middleware.go:61", "request", method="GET" if "stock" in path else "POST",
                            path=path, status=200, duration_ms=round(2 + s.rng.random() * 9, 1), request_id=s.uid()))
        for t in s.times(lambda t: rej.get(t - t % 60, 0) * share * 1.0 + 0.0, start=log_from):
            ev.append(z(t, "warn", "reservations/service.go:118", "reservation rejected", sku=f"SKU-{s.rng.randint(10000, 99999)}",
                        requested=s.rng.randint(5, 40), available=s.rng.randint(0, 4), client="partner-feed-sync",
                        error="insufficient stock"))
        for t in s.times(lambda t: 0.5, start=log_from):
            ev.append(z(t, "error", "webhooks/dispatch.go:87", "webhook delivery failed",
                        target="https://hooks.partner-x.example/stock", attempt=s.rng.randint(1, 5),
                        error="context deadline exceeded (Client.Timeout exceeded while awaiting headers)"))
        s.log("/ecs/inventory-api", f"inventory-api/inventory-api/{task}", ev)
    ev = []
    for t in s.times(lambda t: 6 * s.diurnal(t, 0.3), start=log_from):
        if exhausted[t - t % 60] and s.rng.random() < 0.3:
            ev.append((t, f'{s.iso(t)} ERROR [catalog-api] listing query failed: Error 1040 (08004): Too many connections'))
        else:
            ev.append((t, f'{s.iso(t)} INFO  [catalog-api] GET /v2/products/{s.rng.randint(10 ** 5, 10 ** 6)} 200 '
                          f'{s.rng.randint(8, 40)}ms'))
    ev.append((cat_dep + 70, f"{s.iso(cat_dep + 70)} INFO  [catalog-api] starting catalog-api version=5.12.0 commit=9e1c04b"))
    s.log("/ecs/catalog-api", f"catalog-api/catalog-api/{s.hexid(32)}", ev)
    ev = []
    for t in s.times(lambda t: 0.7):
        ev.append((t, f"{s.iso(t, 6)} {s.rng.randint(100000, 999999)} [Note] [MY-010914] [Server] Aborted connection "
                      f"{s.rng.randint(10 ** 6, 10 ** 7)} to db: 'inventory' user: 'reporting_ro' host: "
                      f"'10.30.{s.rng.randint(1, 9)}.{s.rng.randint(2, 250)}' (Got an error reading communication packets)."))
    s.log(f"/aws/rds/instance/{DB}/error", f"{DB}", ev)

    s.change(cat_dep - 40, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "catalog-api:302",
             "gitlab-deployer")
    s.change(cat_dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "retail/catalog-api", "gitlab-deployer")
    when = first_breach(conns, 60, 5, 900, ">", stat="Maximum")
    s.alarm("inventory-mysql-connections-high", "AWS/RDS", "DatabaseConnections", d, "Maximum", 60, 5, 900,
            "GreaterThanThreshold", "ALARM", "Threshold Crossed: 5 datapoints were greater than the threshold (900.0).",
            min(when or -1500, -60), description="inventory-mysql connections above 90% of max_connections")
    s.alarm("retail-api-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Sum", 60, 3, 200,
            "GreaterThanThreshold", "ALARM", "Threshold Crossed: 3 datapoints were greater than the threshold (200.0).",
            min(first_breach(r5, 60, 3, 200, ">") or -300, -60))
    s.expect = {"alarm": "inventory-mysql-connections-high",
                "root_cause": {"category": "db_connection_exhaustion", "resource": META["resources"]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": d}]}
    return s
