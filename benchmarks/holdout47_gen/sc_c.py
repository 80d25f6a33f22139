"""h47-05 (noisy neighbour on an ECS container instance) and h47-06 (ledger-db runs out of connections)."""
from __future__ import annotations

from datetime import datetime

from . import aws, fmt
from .core import (LOG_START, Clock, Rng, Stream, alarm, arrivals, change, diurnal, every, ok_alarm, ramp,
                   scenario)

C = aws.C


# =====================================================================================================
# h47-05: report-renderer's month-end batch pins ecs-shop-2; catalog-api tasks on that host starve
# =====================================================================================================

def build_05():
    rng = Rng(4705)
    region, acct = "ap-southeast-2", "564738291045"
    clk = Clock(datetime(2026, 3, 16, 3, 30, 0))
    lb, tg = "app/shop-public/9f7e5d3c1b0a2468", "targetgroup/catalog-api-tg/8e2c4a6f0b1d3957"
    tg_cart = "targetgroup/cart-api-tg/1a3c5e7f9b2d4068"
    onset = -2100
    hosts = [("i-0d4a7c2e9f1b38560", "ecs-shop-1", "10.20.1.37"), ("i-0f2b9e4d6a8c13572", "ecs-shop-2", "10.20.2.41"),
             ("i-03c8a1f5e7d2b9464", "ecs-shop-3", "10.20.3.19")]
    busy = lambda t: 1.0 if t >= onset else 0.0  # noqa: E731
    img = f"{acct}.dkr.ecr.{region}.amazonaws.com"
    resources = [
        aws.ecs_resource("shop-apse2", "catalog-api", launch_type="EC2", td="catalog-api:142", image=f"{img}/catalog-api:3.31.0",
                         cpu=512, memory=768, desired=6, log_group="/ecs/shop-apse2/catalog-api", tg=tg,
                         container="catalog-api", port=3000,
                         extra={"runtime": "nodejs20 (express 4)", "network_mode": "bridge",
                                "placement_strategy": "spread(attribute:ecs.availability-zone), spread(instanceId)"}),
        aws.ecs_resource("shop-apse2", "report-renderer", launch_type="EC2", td="report-renderer:27",
                         image=f"{img}/report-renderer:1.14.2", cpu=256, memory=3072, desired=1,
                         log_group="/ecs/shop-apse2/report-renderer", container="report-renderer",
                         extra={"runtime": "python3.11 (weasyprint)", "network_mode": "bridge",
                                "note": "cpu is a soft reservation (no hard container cpu limit)",
                                "queue": "report-jobs (SQS)"}),
        aws.ecs_resource("shop-apse2", "cart-api", launch_type="EC2", td="cart-api:88", image=f"{img}/cart-api:2.7.1",
                         cpu=256, memory=512, desired=3, log_group="/ecs/shop-apse2/cart-api", tg=tg_cart,
                         container="cart-api", port=3000, extra={"runtime": "nodejs20"}),
        {"type": "alb", "id": lb, "properties": {"name": "shop-public", "scheme": "internet-facing",
                                                 "target_groups": [
                                                     {"name": tg, "target_type": "instance",
                                                      "registered_by": "ecs service shop-apse2/catalog-api"},
                                                     {"name": tg_cart, "target_type": "instance",
                                                      "registered_by": "ecs service shop-apse2/cart-api"}]}},
    ]
    for iid, nm, ip in hosts:
        resources.append({"type": "ec2", "id": iid, "properties": {
            "name": nm, "instance_type": "c6i.xlarge", "private_ip": ip, "ecs_cluster": "shop-apse2",
            "running_tasks": {"ecs-shop-1": "catalog-api x2, cart-api x1", "ecs-shop-2": "catalog-api x2, cart-api x1, "
                              "report-renderer x1", "ecs-shop-3": "catalog-api x2, cart-api x1"}[nm]}})
    req = lambda t: 2400 * diurnal(t, 0.18, -30000)  # noqa: E731
    rt = lambda t: 0.058 + 1.35 * busy(t) * ramp(t, onset, onset + 180, 0, 1)  # noqa: E731
    metrics = []
    metrics += aws.ecs_service(rng, "shop-apse2", "catalog-api", cpu=lambda t: 44 * diurnal(t, 0.18, -30000),
                               mem=C(58.0), running=C(6), desired=C(6), task_cpu=512, task_mem=768)
    metrics += aws.ecs_service(rng, "shop-apse2", "report-renderer",
                               cpu=lambda t: 7.5 + 1345 * busy(t) * ramp(t, onset, onset + 90, 0, 1), mem=lambda t: 21 + 38 * busy(t),
                               running=C(1), desired=C(1), task_cpu=256, task_mem=3072, cpu_noise=0.03, cpu_hi=None)
    metrics += aws.ecs_service(rng, "shop-apse2", "cart-api", cpu=C(23.0), mem=C(47.0),
                               running=lambda t: 6 if -9600 <= t < -9300 else 3, desired=C(3), task_cpu=256, task_mem=512)
    for i, (iid, nm, ip) in enumerate(hosts):
        cpu = (lambda t: 30 * diurnal(t, 0.18, -30000) + 69 * busy(t) * ramp(t, onset, onset + 90, 0, 1)) if i == 1 \
            else (lambda t, i=i: (29 + i) * diurnal(t, 0.18, -30000))
        mem = (lambda t: 56.0 + 13 * busy(t)) if i == 1 else C(71.0 if i == 2 else 55.0)
        metrics += aws.ec2(rng, iid, cpu=cpu, mem=mem, cpu_noise=0.03)
    metrics += aws.alb_lb(rng, lb, req=lambda t: req(t) * 1.3, rt=lambda t: rt(t) * 0.8, t5xx=C(0.3), elb5xx=C(0.1))
    tgm = aws.alb_tg(rng, lb, tg, req=req, rt=rt, t5xx=C(0.3), healthy=C(6))
    metrics += tgm
    metrics += aws.alb_tg(rng, lb, tg_cart, req=lambda t: req(t) * 0.3, rt=C(0.034), t5xx=C(0.05), healthy=C(3))
    lb5xx = next(m for m in metrics if m["name"] == "HTTPCode_Target_5XX_Count")

    grp = "/ecs/shop-apse2/catalog-api"
    tasks = []
    for i, (iid, nm, ip) in enumerate(hosts):
        for _ in range(2):
            tasks.append((Stream(grp, f"ecs/catalog-api/{rng.hexid(32)}"), i, f"ip-{ip.replace('.', '-')}.{region}.compute.internal"))
    cats = ["womens-dresses", "mens-shoes", "kids", "homewares", "beauty", "sale", "new-arrivals", "accessories"]
    for s, hi, node in tasks:
        starving = lambda t: hi == 1 and t >= onset + 30  # noqa: E731
        for t in every(LOG_START, -5, 60, jitter=1.5, rng=rng):
            rps = req(t) / 60 / 6 * rng.uniform(0.9, 1.1)
            if starving(t):
                p50, p99, lag = rng.randint(1900, 3400), rng.randint(5200, 8800), rng.randint(1400, 2600)
                cpu_pct = rng.uniform(18, 27)
            else:
                p50, p99, lag = rng.randint(9, 16), rng.randint(60, 140), rng.randint(2, 9)
                cpu_pct = rng.uniform(38, 52)
            s.add(t, fmt.pino(clk, t, 30, "http stats", node, rps=round(rps, 1), p50Ms=p50, p99Ms=p99,
                              eventLoopLagP99Ms=lag, cpuPct=round(cpu_pct, 1), heapUsedMb=rng.randint(140, 190)))
            if starving(t):
                for _ in range(rng.randint(3, 7)):
                    tt = t + rng.uniform(0, 58)
                    s.add(tt, fmt.pino(clk, tt, 40, "slow request", node, req={"method": "GET", "url":
                                       f"/api/catalog/items?category={rng.choice(cats)}&page={rng.randint(1, 9)}"},
                                       res={"statusCode": 200}, responseTime=rng.randint(2100, 9400)))
                if rng.random() < 0.5:
                    tt = t + rng.uniform(0, 58)
                    s.add(tt, fmt.pino(clk, tt, 40, "event loop blocked", node, lagMs=rng.randint(900, 3100),
                                       thresholdMs=500))
        for t in arrivals(rng, lambda t: 0.7):  # steady, all tasks
            s.add(t, fmt.pino(clk, t, 40, "price feed stale, serving cached prices", node,
                              feed="au-pricing", ageSec=rng.randint(310, 900)))
    rr = Stream("/ecs/shop-apse2/report-renderer", f"ecs/report-renderer/{rng.hexid(32)}")
    for t in arrivals(rng, lambda t: 0.6 if t < onset else 0.0):
        rr.add(t, fmt.pylog(clk, t, "INFO", "renderer.worker", f"rendered invoice INV-{rng.randint(4000000, 4999999)} "
                                                             f"({rng.randint(1, 4)} pages) in {rng.uniform(0.9, 2.6):.2f}s"))
    rr.add(onset - 3, fmt.pylog(clk, onset - 3, "INFO", "renderer.worker", "received job batch=monthly-statements-2026-02 "
                                                                          "documents=48112 priority=bulk"))
    rr.add(onset - 2, fmt.pylog(clk, onset - 2, "INFO", "renderer.pool", "starting render pool processes=8 "
                                                                        "(os.cpu_count()=4, oversubscribe=2)"))
    done = 0
    for t in every(onset + 30, -5, 30, jitter=2, rng=rng):
        done += rng.randint(560, 640)
        rr.add(t, fmt.pylog(clk, t, "INFO", "renderer.batch", f"monthly-statements-2026-02: rendered {done}/48112 "
                                                             f"({(done / (t - onset)):.1f} docs/s)"))
    cart = Stream("/ecs/shop-apse2/cart-api", f"ecs/cart-api/{rng.hexid(32)}")
    for t in every(LOG_START, -5, 60, jitter=1.5, rng=rng):
        cart.add(t, fmt.pino(clk, t, 30, "http stats", "ip-10-20-1-37.ap-southeast-2.compute.internal",
                             rps=round(rng.uniform(3.5, 4.6), 1), p50Ms=rng.randint(6, 11), p99Ms=rng.randint(40, 90),
                             eventLoopLagP99Ms=rng.randint(1, 6)))
    cart.add(-9560, fmt.pino(clk, -9560, 30, "cart-api 2.7.1 listening on :3000", "ip-10-20-1-37.ap-southeast-2.compute.internal"))

    alarms = [alarm("catalog-api-latency", tgm[1], "Average", 60, 3, 0.5, "GreaterThanThreshold",
                    "catalog-api average target response time"),
              ok_alarm("shop-public-5xx", lb5xx, "Sum", 60, 3, 50, "GreaterThanThreshold")]
    changes = [change(-9620, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "cart-api:88",
                      "buildkite-deploy"),
               change(-9600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-apse2/cart-api",
                      "buildkite-deploy")]
    accepted = [hosts[1][0], hosts[1][1], "shop-apse2/report-renderer", "report-renderer"]
    doc = scenario("h47-05-catalog-noisy-neighbour", "Product listing pages slow in AU; catalog-api latency alarm.",
                   region, resources, metrics, [t[0] for t in tasks] + [rr, cart], alarms, changes,
                   {"alarm": "catalog-api-latency", "root_cause": {"category": "cpu_saturation", "resource": accepted},
                    "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization",
                                   "dimensions": {"InstanceId": hosts[1][0]}}]})
    meta = {"region": region, "alarm": "catalog-api-latency", "category": "cpu_saturation", "resources": accepted,
            "position": "front (target group)",
            "decoys": "cart-api deploy 2 h 40 min earlier (clean); steady 'price feed stale' warnings on every task; "
                      "ecs-shop-3 memory at 71 % flat; shop-public 5xx alarm in OK",
            "story": "At month end report-renderer (one task, soft 256-unit CPU reservation, no hard limit) picked up "
                     "a 48k-document statement batch and started 8 render processes on a 4-vCPU host. ecs-shop-2's CPU "
                     "goes from ~30 % to 99-100 % (renderer service CPUUtilization ~1350 % of its reservation). The two "
                     "catalog-api tasks on that host report 1.5-2.5 s event-loop lag and multi-second requests while the "
                     "four on ecs-shop-1/3 stay at p99 < 150 ms, so the target group's average latency crosses 0.5 s. "
                     "Traffic is normal and catalog-api had no change. A noisy neighbour saturating one container "
                     "instance: cpu_saturation, origin ecs-shop-2 (the renderer service that consumes it is accepted too)."}
    return doc, meta


# =====================================================================================================
# h47-06: settlement-worker scales out at month end; fixed-size Hikari pools take every ledger-db slot
# =====================================================================================================

PG_SLOTS = "FATAL: remaining connection slots are reserved for non-replication superuser connections"


def build_06():
    rng = Rng(4706)
    region, acct = "us-east-1", "615243789012"
    clk = Clock(datetime(2026, 3, 31, 21, 15, 0))
    lb, tg = "app/payments-internal/3e6a9c1f5b2d8047", "targetgroup/ledger-api-tg/c4e6a8f0b2d13579"
    scale = [(-2340, 4), (-2160, 6), (-1980, 8), (-1800, 10)]   # autoscaling steps of settlement-worker
    full = -1890

    def workers(t):
        n = 2
        for ts_, v in scale:
            if t >= ts_ + 60:
                n = v
        return n

    conns = lambda t: min(397.0, 160 + 30 * workers(t) + 19)  # noqa: E731
    starve = lambda t: ramp(t, full + 240, full + 900, 0.0, 1.0)  # noqa: E731  ledger pools losing connections
    img = f"{acct}.dkr.ecr.{region}.amazonaws.com"
    resources = [
        aws.ecs_resource("payments", "ledger-api", launch_type="FARGATE", td="ledger-api:211", image=f"{img}/ledger-api:7.4.1",
                         cpu=1024, memory=2048, desired=8, log_group="/ecs/payments/ledger-api", tg=tg, container="ledger-api",
                         extra={"runtime": "java21 (Spring Boot 3.2, HikariCP 5.1)",
                                "environment": {"SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE": "20",
                                                "SPRING_DATASOURCE_HIKARI_MAX_LIFETIME": "1800000"}}),
        aws.ecs_resource("payments", "settlement-worker", launch_type="FARGATE", td="settlement-worker:58",
                         image=f"{img}/settlement-worker:3.2.0", cpu=2048, memory=4096, desired=10,
                         log_group="/ecs/payments/settlement-worker", container="settlement-worker",
                         extra={"runtime": "java21 (Spring Batch)", "autoscaling": {"min": 2, "max": 12,
                                "policy": "step scaling on SQS ApproximateNumberOfMessagesVisible (settlement-files)"},
                                "environment": {"SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE": "30"}}),
        aws.ecs_resource("payments", "fx-rates", launch_type="FARGATE", td="fx-rates:40", image=f"{img}/fx-rates:1.12.0",
                         cpu=256, memory=512, desired=2, log_group="/ecs/payments/fx-rates", container="fx-rates",
                         extra={"runtime": "go1.22"}),
        {"type": "alb", "id": lb, "properties": {"name": "payments-internal", "scheme": "internal",
                                                 "target_groups": [{"name": tg, "registered_by": "ecs service payments/ledger-api"}]}},
        {"type": "rds", "id": "ledger-db", "properties": {"engine": "postgres", "engine_version": "15.6",
                                                          "instance_class": "db.r6g.xlarge", "max_connections": 400,
                                                          "superuser_reserved_connections": 3,
                                                          "allocated_storage_gb": 1000, "parameter_group": "ledger-pg15"}},
    ]
    req = lambda t: 1300 * diurnal(t, 0.1, -4000)  # noqa: E731
    t5 = lambda t: 0.3 + 42 * starve(t)  # noqa: E731
    metrics = []
    metrics += aws.ecs_service(rng, "payments", "ledger-api", cpu=lambda t: 33 * diurnal(t, 0.1, -4000), mem=C(63.0),
                               running=C(8), desired=C(8), task_cpu=1024, task_mem=2048)
    metrics += aws.ecs_service(rng, "payments", "settlement-worker",
                               cpu=lambda t: 6 + 58 * (workers(t) > 2) * (1 - 0.5 * starve(t)), mem=C(44.0),
                               running=workers, desired=lambda t: max([2] + [v for ts_, v in scale if t >= ts_]),
                               pending=lambda t: sum(1 for ts_, v in scale if ts_ <= t < ts_ + 60) * 2,
                               task_cpu=2048, task_mem=4096)
    metrics += aws.ecs_service(rng, "payments", "fx-rates", cpu=C(4.0), mem=C(22.0),
                               running=lambda t: 4 if -3000 <= t < -2820 else 2, desired=C(2), task_cpu=256, task_mem=512)
    metrics += aws.alb_lb(rng, lb, req=req, rt=lambda t: 0.038 + 2.6 * starve(t), t5xx=t5, elb5xx=C(0.05))
    tgm = aws.alb_tg(rng, lb, tg, req=req, rt=lambda t: 0.038 + 2.6 * starve(t), t5xx=t5, healthy=C(8))
    metrics += tgm
    metrics += aws.rds(rng, "ledger-db", cpu=lambda t: 29 + 17 * (workers(t) > 2), conns=conns,
                       free_mem=lambda t: 1.86e10 - 9.5e6 * conns(t), free_storage=C(6.4e11),
                       write_iops=lambda t: 900 + 1400 * (workers(t) > 2))
    db_conns = next(m for m in metrics if m["name"] == "DatabaseConnections")
    db_conns["points"] = [type(p)([p[0], float(397 - rng.randint(0, 2)) if p[1] >= 380 else p[1]]) for p in db_conns["points"]]
    rds_cpu = next(m for m in metrics if m["namespace"] == "AWS/RDS" and m["name"] == "CPUUtilization")

    # ---------------------------------------------------------------- logs
    ledger = aws.TaskSet(rng, "/ecs/payments/ledger-api", "ledger-api", 8, LOG_START)
    th = lambda: f"http-nio-8080-exec-{rng.randint(1, 200)}"  # noqa: E731
    for t in arrivals(rng, lambda t: 36):
        k = ledger.pick(t)
        s = k["stream"]
        if rng.random() < 0.55 * starve(t):
            waiting = rng.randint(12, 48)
            total = max(0, int(20 - 14 * starve(t)) - rng.randint(0, 3))
            s.add(t, fmt.spring(clk, t, "ERROR", th(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                                "[Request processing failed: org.springframework.transaction.CannotCreateTransactionException: "
                                "Could not open JPA EntityManager for transaction] with root cause\n" + fmt.jtrace(
                                    f"java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, "
                                    f"request timed out after 30000ms (total={total}, active={total}, idle=0, waiting={waiting})",
                                    ["com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)",
                                     "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)",
                                     "com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:128)",
                                     "org.hibernate.engine.jdbc.connections.internal.DatasourceConnectionProviderImpl.getConnection(DatasourceConnectionProviderImpl.java:122)"],
                                    [(f"org.postgresql.util.PSQLException: {PG_SLOTS}",
                                      ["org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)",
                                       "org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:203)",
                                       "org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:258)",
                                       "com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:361)"], 9)])))
            continue
        ms = int(rng.lognormvariate(3.3, 0.45) * (1 + 40 * starve(t) * rng.random()))
        path = rng.choice(["POST /v1/ledger/entries", "GET /v1/accounts/{a}/balance", "GET /v1/accounts/{a}/entries",
                           "POST /v1/ledger/transfers"]).replace("{a}", f"acc_{rng.randint(100000, 999999)}")
        s.add(t, fmt.spring(clk, t, "INFO", th(), "c.p.ledger.web.AccessLogFilter", f"{path} 200 {ms}ms"))
    for t in arrivals(rng, lambda t: 1.2):  # steady: no OTel collector sidecar in this task definition
        k = ledger.pick(t)
        k["stream"].add(t, fmt.spring(clk, t, "ERROR", "OkHttp http://localhost:4318/...",
                                      "i.o.exporter.internal.http.HttpExporter",
                                      "Failed to export spans. The request could not be executed. Full error message: "
                                      "Failed to connect to localhost/127.0.0.1:4318"))
    for t in arrivals(rng, lambda t: 0.0 if t < full + 240 else 2.5 * starve(t) + 0.5):
        k = ledger.pick(t)
        k["stream"].add(t, fmt.spring(clk, t, "WARN", "HikariPool-1 connection adder", "com.zaxxer.hikari.pool.HikariPool",
                                      f"HikariPool-1 - Cannot acquire connection from data source\n"
                                      f"org.postgresql.util.PSQLException: {PG_SLOTS}"))
    work = aws.TaskSet(rng, "/ecs/payments/settlement-worker", "settlement-worker", 2, LOG_START)
    ev = Stream("/aws/events/ecs", "ecs-events")
    for ts_, v in scale:
        n_new = v - len(work.alive(ts_))
        for j in range(n_new):
            tt = ts_ + 40 + j * 4
            k = work.start(tt)
            ev.add(tt + 1, aws.task_state_event(clk, rng, tt + 1, region=region, account=acct, cluster="payments",
                                                service="settlement-worker", td="settlement-worker:58", task_id=k["id"],
                                                container="settlement-worker", last_status="RUNNING"))
            s = k["stream"]
            s.add(tt + 6, fmt.spring(clk, tt + 6, "INFO", "main", "c.p.settlement.SettlementWorkerApplication",
                                     "Started SettlementWorkerApplication in 11.84 seconds (process running for 12.6)"))
            if tt + 10 < full:
                s.add(tt + 8, fmt.spring(clk, tt + 8, "INFO", "main", "com.zaxxer.hikari.HikariDataSource",
                                         "HikariPool-1 - Start completed."))
            else:
                s.add(tt + 8, fmt.spring(clk, tt + 8, "ERROR", "main", "com.zaxxer.hikari.pool.HikariPool",
                                         "HikariPool-1 - Exception during pool initialization.\n" + fmt.jtrace(
                                             f"org.postgresql.util.PSQLException: {PG_SLOTS}",
                                             ["org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)",
                                              "com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:361)",
                                              "com.zaxxer.hikari.pool.HikariPool.checkFailFast(HikariPool.java:562)"])))
    for k in work.tasks:
        s = k["stream"]
        for t in arrivals(rng, lambda t: 0.15 if t < -2400 else 6.0, t0=max(LOG_START, k["start"] + 20)):
            if t >= -2400 and rng.random() < 0.4 * starve(t):
                s.add(t, fmt.spring(clk, t, "WARN", "HikariPool-1 connection adder", "com.zaxxer.hikari.pool.HikariPool",
                                    f"HikariPool-1 - Cannot acquire connection from data source\n"
                                    f"org.postgresql.util.PSQLException: {PG_SLOTS}"))
                continue
            f = f"s3://nw-settlement-inbound/2026-03-31/{rng.choice(['visa', 'mastercard', 'amex', 'sepa'])}-{rng.randint(1, 400):04d}.csv"
            s.add(t, fmt.spring(clk, t, "INFO", "settlementStep-1", "o.s.batch.core.step.AbstractStep",
                                f"Step: [settleStep] executed in {rng.randint(4, 40)}s{rng.randint(1, 999)}ms (file={f})"))
    pgs = Stream("/aws/rds/instance/ledger-db/postgresql", "ledger-db.0")
    for t in every(LOG_START, -20, 300, jitter=15, rng=rng):
        pgs.add(t, fmt.pg(clk, t, None, None, None, 533, "LOG", f"checkpoint complete: wrote {rng.randint(3000, 9000)} "
                                                               f"buffers ({rng.uniform(1.5, 4.5):.1f}%); 0 WAL file(s) added, 0 removed, "
                                                               f"{rng.randint(2, 6)} recycled"))
    for t in arrivals(rng, lambda t: 0.0 if t < full else 5.0 + 4 * starve(t)):
        cli = rng.choice(["10.60.1", "10.60.2", "10.60.3"]) + f".{rng.randint(10, 250)}"
        pgs.add(t, fmt.pg(clk, t, f"{cli}({rng.randint(32768, 60999)})", rng.choice(["ledger_app", "settlement_app"]),
                          "ledger", rng.randint(20000, 40000), "FATAL", "remaining connection slots are reserved for "
                                                                        "non-replication superuser connections"))
    fx = Stream("/ecs/payments/fx-rates", f"ecs/fx-rates/{rng.hexid(32)}")
    for t in every(LOG_START, -5, 60, jitter=3, rng=rng):
        fx.add(t, fmt.logfmt(clk, t, "info", "rates refreshed", source="ecb", pairs=rng.randint(160, 170),
                             version="1.12.0" if t > -2900 else "1.11.4"))

    alarms = [alarm("ledger-api-5xx", tgm[2], "Sum", 60, 3, 10, "GreaterThanThreshold", "ledger-api returning 5xx"),
              ok_alarm("ledger-db-cpu", rds_cpu, "Average", 300, 3, 80, "GreaterThanThreshold")]
    changes = [change(-3030, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "fx-rates:40",
                      "gha-payments-deploy"),
               change(-3000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/fx-rates",
                      "gha-payments-deploy")]
    changes += [change(ts_, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/settlement-worker",
                       "AWSServiceRoleForApplicationAutoScaling_ECSService") for ts_, v in scale]
    doc = scenario("h47-06-ledger-db-connections", "ledger-api 5xx alarm; card settlement and balance lookups timing "
                   "out at month end.", region, resources, metrics, ledger.streams() + work.streams() + [ev, pgs, fx],
                   alarms, changes,
                   {"alarm": "ledger-api-5xx", "root_cause": {"category": "db_connection_exhaustion", "resource": ["ledger-db"]},
                    "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                   "dimensions": {"DBInstanceIdentifier": "ledger-db"}}]})
    meta = {"region": region, "alarm": "ledger-api-5xx", "category": "db_connection_exhaustion", "resources": ["ledger-db"],
            "position": "front (ledger-api target group)",
            "decoys": "fx-rates deploy 50 min before (clean); steady OTLP span-export 'connection refused' ERRORs in "
                      "ledger-api; autoscaling UpdateService calls on settlement-worker (part of the chain, not a config "
                      "change); ledger-db CPU alarm in OK",
            "story": "Month-end settlement files arrived and Application Auto Scaling took settlement-worker from 2 to 10 "
                     "tasks. Each task opens a fixed 30-connection Hikari pool; with ledger-api's 8 x 20 the total passes "
                     "ledger-db's max_connections 400 (3 reserved), and DatabaseConnections sits at 397 from ~31 min ago. "
                     "PostgreSQL refuses new sessions (`remaining connection slots are reserved for non-replication "
                     "superuser connections`), new worker tasks fail pool init, and as ledger-api's connections reach "
                     "maxLifetime they cannot be replaced, so its pool shrinks and requests time out in Hikari (`Connection is "
                     "not available ... waiting=..`) -> 5xx. DB CPU is only ~46 %. Label: db_connection_exhaustion on ledger-db."}
    return doc, meta
