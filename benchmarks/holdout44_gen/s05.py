"""h44-05: catalog ALB latency alarm; reservations block on row locks held by a forgotten DBA transaction."""
from __future__ import annotations

from .common import ACCOUNT, TIMES, Rng, Scenario, diurnal, iso, pg_ts, ramp, spread
from .kit import alb_metrics, ecs_util, py_info, rds_set, sim_lambda

REGION = "us-east-2"
LB = "app/catalog-alb/2e8f0c4a6b1d3957"
TG = "targetgroup/catalog-api-tg/8d4b2f6e0a1c3579"
T0 = -1680            # first reservation blocks (DBA UPDATE at T0 - 38)
HOLDER = 27102


def _sp(t, lvl, thread, logger, msg):
    return f"{iso(t)} {lvl:>5} 1 --- [catalog-api] [{thread:>15}] {logger:<42} : {msg}"


def build() -> dict:
    rng = Rng(4405)
    sc = Scenario("h44-05-catalog-alb-latency-row-locks", REGION,
                  "Add-to-cart spinning then failing; catalog ALB target latency alarm fired.")
    sc.res("alb", LB, name="catalog-alb", scheme="internet-facing",
           security_groups=["sg-0b1c2d3e4f5a69780 (catalog-alb-sg)"],
           listeners=[{"port": 443, "protocol": "HTTPS", "default_action": "forward to catalog-api-tg"}],
           target_groups=[{"name": "catalog-api-tg", "id": TG, "port": 8080, "target_type": "ip",
                           "health_check": {"path": "/actuator/health/liveness", "interval_s": 15}}],
           idle_timeout_s=60)
    sc.res("ecs", "shop/catalog-api", cluster="shop", service_name="catalog-api", launch_type="FARGATE",
           task_definition="catalog-api:147", desired_count=8, runtime="Java 21 / Spring Boot 3.2",
           load_balancers=[{"target_group": "catalog-api-tg", "container_port": 8080}],
           environment={"SPRING_DATASOURCE_URL": "jdbc:postgresql://catalog-db.cz9w1k4q7hxa.us-east-2.rds.amazonaws.com:5432/catalog",
                        "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE": "30", "APP_DB_STATEMENT_TIMEOUT": "5s",
                        "APP_RESERVATION_TTL": "15m"})
    sc.res("rds", "catalog-db", engine="postgres", engine_version="16.2", instance_class="db.r6g.2xlarge",
           max_connections=5000, allocated_storage_gb=800, multi_az=True,
           parameters={"log_lock_waits": "on", "deadlock_timeout": "1s", "log_statement": "mod",
                       "log_min_duration_statement": "1000", "idle_in_transaction_session_timeout": "0"},
           security_groups=[{"id": "sg-06e8a0c2e4b6d8f01", "name": "catalog-db-sg",
                             "inbound": ["tcp 5432 from sg-0f2e4d6c8b0a13579 (catalog-api-tasks-sg)",
                                         "tcp 5432 from 10.30.8.0/24 (bastion subnet)",
                                         "tcp 5432 from 10.30.64.0/20 (analytics subnets)"]}])
    sc.res("lambda", "sitemap-builder", runtime="python3.12", timeout=300, memory_size=1024,
           environment={"CATALOG_DB_HOST": "catalog-db-ro.shop.internal", "OUTPUT_BUCKET": "acme-shop-sitemaps"},
           triggers=["eventbridge schedule cron(0 * * * ? *)"])

    f = lambda t: ramp(t, T0, 90)
    base = lambda t: 1600 * diurnal(t, 0.15, -3000)
    blocked_rate = lambda t: 70 * f(t)
    pm = {k: {} for k in ("RequestCount", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_4XX_Count",
                          "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "TargetResponseTime",
                          "HealthyHostCount", "UnHealthyHostCount")}
    blocked = {}
    for t in TIMES:
        n = rng.poisson(base(t))
        b = min(n, rng.poisson(blocked_rate(t)))
        blocked[t] = b
        e4 = rng.poisson(n * 0.015)
        e5 = b + rng.poisson(0.5)
        pm["RequestCount"][t] = n
        pm["HTTPCode_Target_4XX_Count"][t] = e4
        pm["HTTPCode_Target_5XX_Count"][t] = e5
        pm["HTTPCode_Target_2XX_Count"][t] = max(0, n - e4 - e5)
        pm["HTTPCode_ELB_5XX_Count"][t] = rng.poisson(0.1)
        pm["TargetResponseTime"][t] = ((n - b) * rng.gauss(0.046, 0.004) + b * 5.02) / max(n, 1)
        pm["HealthyHostCount"][t] = 8
        pm["UnHealthyHostCount"][t] = 0
    alb_metrics(sc, LB, TG, pm)
    ecs_util(sc, rng, "shop", "catalog-api", cpu=lambda t: 29 * diurnal(t, 0.15, -3000),
             mem=lambda t: 63.0, running=lambda t: 8)
    rds_set(sc, rng, "catalog-db", cpu=lambda t: 33 * diurnal(t, 0.1, -3000), conns=lambda t: 151 + 19 * f(t),
            free_gb=lambda t: 512.4, freeable_gb=lambda t: 21.5, read_lat=lambda t: 0.0009,
            extra={"Deadlocks": ("Count/Second", lambda t: 0.0, {"lo": 0.0}),
                   "CommitThroughput": ("Count/Second", lambda t: 410 * diurnal(t, 0.15, -3000) - 1.2 * blocked_rate(t), {"rel": 0.05})})

    # sitemap-builder: hourly job, benign spike in duration and invocations
    def sm_body(t, rid, is_err, d):
        return [(0.02, py_info(t, rid, "building sitemap shard set from catalog-db-ro.shop.internal")),
                (d / 1000 - 0.05, py_info(t + d / 1000, rid, f"wrote {rng.randint(40, 44)} sitemap files "
                                                              f"({rng.randint(181000, 183000)} urls) to s3://acme-shop-sitemaps/"))], None
    sim_lambda(sc, rng, "sitemap-builder", rate=lambda t: 12.0 if t % 3600 == 0 else 0.0,
               dur=lambda t, e: rng.gauss(48000, 6000), body=sm_body, memory=1024, mem_used=(610, 700), streams=1)

    # postgres log
    pg = []
    pre = lambda t, ip, u, pid, lvl: f"{pg_ts(t)}:{ip}({rng.randint(30000, 65000)}):{u}@catalog:[{pid}]:{lvl}:  "
    for m in range(-10800, 0, 60):
        if m % 300 == 0:
            pg.append((m + 7, f"{pg_ts(m + 7)}::@:[512]:LOG:  checkpoint complete: wrote {rng.randint(4000, 9000)} buffers "
                              f"({rng.uniform(0.4, 1.1):.1f}%); 0 WAL file(s) added, 0 removed, {rng.randint(2, 5)} recycled"))
        if rng.random() < 0.35:
            tt = m + rng.uniform(0, 59)
            pg.append((tt, pre(tt, "10.30.21.17", "catalog_app", rng.randint(20000, 30000), "LOG") +
                       f"duration: {rng.uniform(1000, 1600):.3f} ms  execute <unnamed>: SELECT p.id, p.slug, p.title, "
                       "p.price_minor FROM products p JOIN product_search ps ON ps.product_id = p.id WHERE ps.tsv @@ "
                       "websearch_to_tsquery($1) ORDER BY ts_rank(ps.tsv, websearch_to_tsquery($1)) DESC LIMIT 48"))
    th = T0 - 38
    pg.append((th, pre(th, "10.30.8.14", "dba_mreyes", HOLDER, "LOG") +
               "statement: UPDATE inventory_levels SET warehouse_id = 7, updated_at = now() WHERE warehouse_id = 3;"))
    pg.append((th + 8.4, pre(th + 8.4, "10.30.8.14", "dba_mreyes", HOLDER, "LOG") + "duration: 8391.207 ms"))
    app_err = []
    waiters = []
    for t in TIMES:
        for ti in spread(rng, t, blocked.get(t, 0)):
            pid = rng.randint(28000, 34000)
            waiters.append(pid)
            ip = rng.choice(["10.30.21.17", "10.30.22.84", "10.30.23.40", "10.30.21.201"])
            tup = f"({rng.randint(900, 4200)},{rng.randint(1, 40)})"
            stmt = "UPDATE inventory_levels SET reserved = reserved + $1, updated_at = now() WHERE sku = $2 AND warehouse_id = $3"
            q = ", ".join(str(w) for w in waiters[-6:])
            pg.append((ti + 1.0, pre(ti + 1.0, ip, "catalog_app", pid, "LOG") +
                       f"process {pid} still waiting for ShareLock on transaction 99817263 after 1000.{rng.randint(10, 99)} ms"))
            pg.append((ti + 1.0001, pre(ti + 1.0001, ip, "catalog_app", pid, "DETAIL") +
                       f"Process holding the lock: {HOLDER}. Wait queue: {q}."))
            pg.append((ti + 5.0, pre(ti + 5.0, ip, "catalog_app", pid, "ERROR") + "canceling statement due to statement timeout"))
            pg.append((ti + 5.0001, pre(ti + 5.0001, ip, "catalog_app", pid, "CONTEXT") +
                       f'while updating tuple {tup} in relation "inventory_levels"'))
            pg.append((ti + 5.0002, pre(ti + 5.0002, ip, "catalog_app", pid, "STATEMENT") + stmt))
            app_err.append(ti + 5.01)
    sc.log("/aws/rds/instance/catalog-db/postgresql", "catalog-db.0", pg)

    # catalog-api application logs, one stream per task
    tasks = [rng.hexs(32) for _ in range(8)]
    per = {tid: [] for tid in tasks}
    for m in range(-10800, 0, 60):
        for tid in tasks:
            tt = m + rng.uniform(0, 2)
            n = int(base(m) / 8 * rng.uniform(0.92, 1.08))
            per[tid].append((tt, _sp(tt, "INFO", "metrics-1", "c.a.c.observability.RequestStats",
                                     f"60s summary requests={n} p50_ms={rng.randint(18, 26)} p99_ms="
                                     f"{rng.randint(160, 240) if m < T0 else 5010 + rng.randint(0, 40)} "
                                     f"hikari_active={rng.randint(2, 6) + (rng.randint(0, 2) if f(m) else 0)}/30")))
            if rng.random() < 0.12:
                tw = m + rng.uniform(5, 58)
                per[tid].append((tw, _sp(tw, "WARN", "task-3", "c.a.c.media.CdnPurgeClient",
                                         f"CDN purge for /img/p/{rng.randint(10000, 99999)}/* took {rng.randint(2100, 3900)} ms (>2000 ms budget)")))
    for ti in app_err:
        tid = rng.choice(tasks)
        sku = f"WH3-{rng.randint(100000, 999999)}"
        per[tid].append((ti, _sp(ti, "ERROR", f"nio-8080-exec-{rng.randint(1, 40)}", "c.a.c.web.ApiExceptionHandler",
                                 f"POST /api/cart/reservations sku={sku} failed: org.springframework.dao.QueryTimeoutException: "
                                 "PreparedStatementCallback; SQL [UPDATE inventory_levels SET reserved = reserved + ?, "
                                 "updated_at = now() WHERE sku = ? AND warehouse_id = ?]; ERROR: canceling statement due to "
                                 "statement timeout")))
    for tid in tasks:
        sc.log("/ecs/catalog-api", f"catalog-api/catalog-api/{tid}", per[tid])

    sc.change(-14400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/catalog-api", "argo-deployer")
    sc.change(-2500, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-06e8a0c2e4b6d8f01", "netops-terraform")
    sc.alarm("catalog-alb-target-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB},
             "Average", 60, 3, 0.15, "GreaterThanThreshold", "ALARM", T0 + 260,
             description="catalog ALB average target response time > 150 ms")
    sc.alarm("catalog-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "catalog-db"}, "Average", 300, 2, 80,
             "GreaterThanThreshold", "OK", -60000)
    sc.expect("catalog-alb-target-latency", "dependency_failure", ["catalog-db"],
              [{"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": LB}},
               {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": LB}}])
    return sc.done()
