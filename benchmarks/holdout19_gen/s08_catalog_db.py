"""h19-08: the catalog MySQL instance pins its CPU on full scans (cpu_saturation, RDS origin, ALB latency front alarm)."""
from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from .common import LOG_START, START, Case, counts, diurnal, ramp, wobble
from .logfmt import ecs_stream, mysql_err

SLUG = "h19-08-catalog-db-cpu"
ONSET = -2100

META = {
    "front": "front (ALB)",
    "decoys": "ModifyDBInstance on sessions-db 3 min before onset; catalog-api deploy 4.3 h earlier; constant "
              "reporting slow queries and 'could not be resolved' warnings in the MySQL logs",
    "story": (
        "From -35 min `catalog-db` (MySQL 8.0, db.m6g.large) runs at 95-100 % CPU. Its slow query log fills "
        "with category-listing queries by `catalog_app` examining ~2 million rows each (3-12 s), where before "
        "only the occasional reporting query appeared. `storefront/catalog-api` tasks hit their 3 s query "
        "deadline (`context deadline exceeded` on `ListCategoryProducts`), the ALB's TargetResponseTime alarm "
        "fires and some 503s follow. Request volume is normal, the API tasks' own CPU is low, and DB "
        "connections rise only moderately (well below max_connections). The database is the saturated "
        "resource (it is exhausted, so this is not a plain dependency failure). The sessions-db "
        "modification (backup window) is on a different database whose metrics are flat; the catalog-api deploy "
        "is hours old."),
}

LIST_SQL = ("SELECT p.id, p.sku, p.title, p.brand, pp.price, pp.currency, p.rating FROM products p "
            "JOIN product_prices pp ON pp.product_id = p.id AND pp.region = 'IN' "
            "WHERE p.category_path LIKE '{cat}%' AND p.status = 'active' ORDER BY p.popularity DESC LIMIT 48 OFFSET {off};")
REPORT_SQL = ("SELECT DATE(created_at) d, COUNT(*) c, SUM(amount) FROM order_lines WHERE created_at >= NOW() - "
              "INTERVAL 7 DAY GROUP BY d;")
CATS = ["home/kitchen", "electronics/mobiles", "fashion/men/shirts", "beauty/skincare", "home/decor", "toys/puzzles"]


def build() -> Case:
    c = Case(SLUG, 1908, "ap-south-1", datetime(2026, 11, 22, 9, 30),
             "Storefront pages slow; ALB latency alarm paged the web on-call.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    lb = "app/storefront-alb/2b7d9e1f4c6a8035"
    c.resource("rds", "catalog-db", engine="mysql", engine_version="8.0.35", instance_class="db.m6g.large",
               max_connections=600, allocated_storage_gb=300, multi_az=True)
    c.resource("rds", "sessions-db", engine="postgres", engine_version="16.2", instance_class="db.t4g.medium",
               max_connections=400, allocated_storage_gb=50)
    c.resource("ecs", "storefront/catalog-api", launch_type="FARGATE", desired_count=4, cpu=512, memory=1024,
               task_definition="catalog-api:214", log_groups=["/ecs/catalog-api"],
               environment={"DB_HOST": "catalog-db.c3xk1v9pl0aa.ap-south-1.rds.amazonaws.com", "DB_POOL_MAX": "100",
                            "QUERY_TIMEOUT": "3s"})
    c.resource("alb", lb, name="storefront-alb", scheme="internet-facing")

    shape = diurnal(t, 5400, 0.3) * (1 + wobble(rng, n, 0.05))
    hot = ramp(t, ONSET, 240)
    req = counts(rng, 880 * shape)
    p_to = 0.06 * hot                   # share of list requests that exceed the 3 s deadline
    lists = rng.binomial(req.astype(int), 0.32).astype(float)
    timeouts = rng.binomial(lists.astype(int), p_to).astype(float)
    t5 = timeouts + counts(rng, np.full(n, 0.2))

    # ---------------------------------------------------------------- metrics
    d = {"DBInstanceIdentifier": "catalog-db"}
    cpu = 27 * shape + wobble(rng, n, 2.2)
    cpu = (1 - hot) * cpu + hot * (97.5 + rng.uniform(-2.5, 2.5, n))
    c.metric("AWS/RDS", "CPUUtilization", d, "Percent", np.clip(cpu, 1, 100))
    c.metric("AWS/RDS", "DatabaseConnections", d, "Count", np.round(84 + wobble(rng, n, 3) + 62 * hot))
    c.metric("AWS/RDS", "FreeableMemory", d, "Bytes", 2.9e9 + wobble(rng, n, 0.05e9), nd=0)
    c.metric("AWS/RDS", "ReadIOPS", d, "Count/Second", 310 * shape * (1 + wobble(rng, n, 0.1)) + 240 * hot)
    c.metric("AWS/RDS", "WriteIOPS", d, "Count/Second", 95 * (1 + wobble(rng, n, 0.12)))
    c.metric("AWS/RDS", "ReadLatency", d, "Seconds", 0.0009 * (1 + wobble(rng, n, 0.1)) + 0.0006 * hot, nd=5)
    c.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", 171.4e9 + wobble(rng, n, 0.02e9), nd=0)
    c.metric("AWS/RDS", "DiskQueueDepth", d, "Count", np.clip(0.6 + wobble(rng, n, 0.2) + 0.8 * hot, 0, None))
    ds = {"DBInstanceIdentifier": "sessions-db"}
    c.metric("AWS/RDS", "CPUUtilization", ds, "Percent", np.clip(14 * shape + wobble(rng, n, 1.5), 1, 100))
    c.metric("AWS/RDS", "DatabaseConnections", ds, "Count", np.round(57 + wobble(rng, n, 2)))
    c.metric("AWS/RDS", "FreeStorageSpace", ds, "Bytes", 38.2e9 + wobble(rng, n, 0.01e9), nd=0)

    rt = 0.085 * (1 + wobble(rng, n, 0.07)) * (1 - hot) + hot * (1.55 + wobble(rng, n, 0.18))
    c.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}, "Count", req)
    trt = c.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Seconds", rt)
    c.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Count", t5)
    c.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Count", counts(rng, np.full(n, 0.05)))
    c.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": lb}, "Count", np.full(n, 4.0))
    c.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb}, "Count", np.zeros(n))
    de = {"ClusterName": "storefront", "ServiceName": "catalog-api"}
    c.metric("AWS/ECS", "CPUUtilization", de, "Percent", np.clip(21 * shape + wobble(rng, n, 2) - 4 * hot, 1, 100))
    c.metric("AWS/ECS", "MemoryUtilization", de, "Percent", 37 + wobble(rng, n, 1) + 3 * hot)

    # ---------------------------------------------------------------- catalog-api logs (Go, JSON)
    tasks = [ids.hex(32) for _ in range(4)]
    st = {k: c.stream("/ecs/catalog-api", ecs_stream("catalog-api", k)) for k in tasks}
    for i, t0 in enumerate(t):
        if t0 < LOG_START:
            continue
        for k in tasks:
            ts = t0 + 30 + rng.uniform(-2, 2)
            p99 = (180 + rng.uniform(-40, 60)) * (1 - hot[i]) + hot[i] * rng.uniform(2900, 3050)
            inuse = int(9 + rng.integers(0, 8) + hot[i] * rng.integers(22, 34))
            st[k].add(ts, json.dumps({"level": "info", "ts": c.iso(ts), "caller": "httpserver/stats.go:48",
                                      "msg": "http stats", "rps": round(req[i] / 60 / 4 * rng.uniform(0.9, 1.1), 1),
                                      "p50_ms": int(38 * (1 - hot[i]) + hot[i] * rng.integers(700, 1400)),
                                      "p99_ms": int(p99), "db_pool_in_use": inuse, "db_pool_max": 100}))
        for ts in t0 + rng.uniform(0, 60, int(timeouts[i])):
            k = tasks[int(rng.integers(0, 4))]
            cat = ids.pick(CATS)
            st[k].add(ts, json.dumps({"level": "error", "ts": c.iso(ts), "caller": "store/products.go:211",
                                      "msg": "query failed", "query": "ListCategoryProducts", "category": cat,
                                      "error": "context deadline exceeded", "elapsed_ms": int(rng.integers(3000, 3012))}))
            st[k].add(ts + 0.001, json.dumps({"level": "warn", "ts": c.iso(ts + 0.001), "caller": "httpserver/mw.go:77",
                                              "msg": "request failed", "method": "GET",
                                              "path": f"/v1/categories/{cat}/products", "status": 503,
                                              "dur_ms": int(rng.integers(3001, 3020))}))

    # ---------------------------------------------------------------- MySQL logs
    slow = c.stream("/aws/rds/instance/catalog-db/slowquery", "catalog-db")
    err = c.stream("/aws/rds/instance/catalog-db/error", "catalog-db")

    def slow_entry(ts, user, host, qt, sent, examined, sql):
        tid = int(rng.integers(40000, 99999))
        return (f"# Time: {c.stamp(ts, '%Y-%m-%dT%H:%M:%S.%f')}Z\n# User@Host: {user}[{user}] @  [{host}]  Id: {tid}\n"
                f"# Query_time: {qt:.6f}  Lock_time: 0.0000{int(rng.integers(4, 30)):02d} Rows_sent: {sent}  "
                f"Rows_examined: {examined}\nuse catalog;\nSET timestamp={int(c.epoch(ts - qt))};\n{sql}")

    for ts in np.sort(rng.uniform(START, 0, 26)):
        qt = rng.uniform(2.1, 4.2)
        slow.add(ts, slow_entry(ts, "reporting", "10.30.8.14", qt, 7, int(rng.integers(3100000, 3400000)), REPORT_SQL))
    for i in np.nonzero(hot > 0)[0]:
        for ts in t[i] + rng.uniform(0, 60, rng.poisson(26 * hot[i])):
            qt = float(rng.uniform(3.0, 12.5))
            sql = LIST_SQL.format(cat=ids.pick(CATS), off=48 * int(rng.integers(0, 6)))
            slow.add(ts, slow_entry(ts, "catalog_app", f"10.30.{int(rng.integers(1, 4))}.{int(rng.integers(10, 250))}",
                                    qt, 48, int(rng.integers(1900000, 2450000)), sql))
    for ts in np.sort(rng.uniform(START, 0, 40)):
        ip = f"10.30.{int(rng.integers(1, 9))}.{int(rng.integers(10, 250))}"
        if rng.random() < 0.6:
            err.add(ts, mysql_err(c, ts, int(rng.integers(40000, 99999)), "Warning", "MY-010055",
                                  f"IP address '{ip}' could not be resolved: Name or service not known"))
        else:
            err.add(ts, mysql_err(c, ts, int(rng.integers(40000, 99999)), "Note", "MY-010914",
                                  f"Aborted connection {int(rng.integers(40000, 99999))} to db: 'catalog' user: 'reporting' "
                                  f"host: '{ip}' (Got an error reading communication packets)."))

    c.alarm("storefront-alb-latency", trt, "Average", 60, 5, 1.0, "GreaterThanThreshold", ONSET,
            description="Storefront ALB target response time")
    c.change(-2280, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "sessions-db", "dba-oncall")
    c.change(-15600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "storefront/catalog-api",
             "argo-deployer")
    c.expect = {"alarm": "storefront-alb-latency",
                "root_cause": {"category": "cpu_saturation", "resource": ["catalog-db"]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": d}]}
    return c
