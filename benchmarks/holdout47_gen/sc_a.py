"""h47-01 (Fargate Spring service OOM-killed) and h47-02 (Go ingest gateway, bad image on EC2 launch type)."""
from __future__ import annotations

from datetime import datetime

from . import aws, fmt
from .core import (LOG_START, Clock, Rng, Stream, alarm, arrivals, change, diurnal, every, ok_alarm, ramp,
                   scenario)
from .traces import GO_PANIC

C = aws.C


# =====================================================================================================
# h47-01: order-api (Spring Boot on Fargate) exhausts its 2 GiB task memory on unbounded CSV exports
# =====================================================================================================

def build_01():
    rng = Rng(4701)
    region, acct = "eu-west-1", "481516234201"
    clk = Clock(datetime(2026, 3, 10, 14, 20, 0))
    lb, tg = "app/orders-public/7d3e9a1c0b5f2468", "targetgroup/order-api-tg/4a1b9c2d3e4f5a6b"
    onset = -2520
    kills = [-2290, -2170, -1990, -1860, -1700, -1570, -1390, -1250, -1100, -970, -830, -700, -560, -420,
             -280, -150]

    def restarting(t):
        return sum(1 for k in kills if k <= t < k + 105)

    resources = [
        aws.ecs_resource("orders-prod", "order-api", launch_type="FARGATE", td="order-api:57",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/order-api:4.12.3", cpu=1024, memory=2048,
                         desired=6, log_group="/ecs/order-api", tg=tg, container="order-api",
                         extra={"runtime": "java17 (Spring Boot 3.2)",
                                "environment": {"JAVA_TOOL_OPTIONS": "-XX:MaxRAMPercentage=80 -XX:+UseG1GC",
                                                "SPRING_PROFILES_ACTIVE": "prod"},
                                "deployments": [{"task_definition": "order-api:57", "status": "PRIMARY",
                                                 "rollout_state": "COMPLETED", "desired": 6}],
                                "health_check_path": "/actuator/health"}),
        aws.ecs_resource("orders-prod", "notification-worker", launch_type="FARGATE", td="notification-worker:19",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/notification-worker:2.8.0", cpu=256,
                         memory=512, desired=2, log_group="/ecs/notification-worker",
                         container="notification-worker", extra={"runtime": "nodejs20"}),
        {"type": "alb", "id": lb, "properties": {"name": "orders-public", "scheme": "internet-facing",
                                                 "dns": "orders-public-1180334512.eu-west-1.elb.amazonaws.com",
                                                 "target_groups": [{"name": tg, "target_type": "ip", "health_check_path": "/actuator/health",
                                                                   "registered_by": "ecs service orders-prod/order-api"}]}},
        {"type": "rds", "id": "orders-db", "properties": {"engine": "postgres", "engine_version": "15.5",
                                                          "instance_class": "db.r6g.large", "max_connections": 800,
                                                          "allocated_storage_gb": 500}},
    ]

    base_req = lambda t: 880 * diurnal(t, 0.22, 5000)  # noqa: E731
    metrics = []
    metrics += aws.ecs_service(
        rng, "orders-prod", "order-api",
        cpu=lambda t: 27 * diurnal(t, 0.2, 5000) + ramp(t, onset, onset + 420, 0, 38),
        mem=lambda t: ramp(t, onset, onset + 300, 58.5, 96.5) + (rng.random() * 3 if t > onset + 300 else 0),
        running=lambda t: 6 - restarting(t), desired=C(6), pending=restarting, task_cpu=1024, task_mem=2048)
    metrics += aws.ecs_service(
        rng, "orders-prod", "notification-worker",
        cpu=lambda t: 11 + (9 if -2880 <= t < -2700 else 0), mem=C(41.0),
        running=lambda t: 4 if -2820 <= t < -2700 else 2, desired=C(2), pending=C(0), task_cpu=256, task_mem=512)
    t5xx = lambda t: 0.4 + ramp(t, onset + 120, onset + 360, 0, 34) + 14 * restarting(t)  # noqa: E731
    metrics += aws.alb_lb(rng, lb, req=base_req, rt=lambda t: ramp(t, onset, onset + 400, 0.085, 1.7),
                          t5xx=t5xx, elb5xx=lambda t: 0.05 + 6 * restarting(t),
                          elb502=lambda t: 0.05 + 6 * restarting(t))
    tgm = aws.alb_tg(rng, lb, tg, req=base_req, rt=lambda t: ramp(t, onset, onset + 400, 0.085, 1.7), t5xx=t5xx,
                     healthy=lambda t: 6 - restarting(t), unhealthy=lambda t: 1 if restarting(t) > 1 else 0)
    metrics += tgm
    metrics += aws.rds(rng, "orders-db", cpu=lambda t: 21 * diurnal(t, 0.2, 5000), conns=C(61),
                       free_mem=C(9.1e9), free_storage=C(3.12e11))
    lb_5xx = next(m for m in metrics if m["name"] == "HTTPCode_Target_5XX_Count" and "TargetGroup" not in m["dimensions"])
    rds_cpu = next(m for m in metrics if m["namespace"] == "AWS/RDS" and m["name"] == "CPUUtilization")

    # ---------------------------------------------------------------- logs
    ts = aws.TaskSet(rng, "/ecs/order-api", "order-api", 6, LOG_START, prefix="ecs")
    events = Stream("/aws/events/ecs-task-state-change", "ecs-events")
    td_arn = "order-api:57"
    for k in kills:
        victim = ts.pick(k - 1)
        ts.stop(victim, k)
        events.add(k + 2.4, aws.task_state_event(
            clk, rng, k + 2, region=region, account=acct, cluster="orders-prod", service="order-api", td=td_arn,
            task_id=victim["id"], container="order-api", exit_code=137,
            reason="OutOfMemoryError: Container killed due to memory usage"))
        new = ts.start(k + 95)
        events.add(k + 96.1, aws.task_state_event(
            clk, rng, k + 96, region=region, account=acct, cluster="orders-prod", service="order-api", td=td_arn,
            task_id=new["id"], container="order-api", last_status="RUNNING"))
        s = new["stream"]
        b = k + 75
        s.add(b, fmt.spring(clk, b, "INFO", "main", "com.northwind.orders.OrderApiApplication",
                            "Starting OrderApiApplication v4.12.3 using Java 17.0.10 with PID 1 (/app/app.jar started by app in /app)"))
        s.add(b + 0.2, fmt.spring(clk, b + 0.2, "INFO", "main", "com.northwind.orders.OrderApiApplication",
                                  'The following 1 profile is active: "prod"'))
        s.add(b + 9.8, fmt.spring(clk, b + 9.8, "INFO", "main", "com.zaxxer.hikari.HikariDataSource",
                                  "HikariPool-1 - Start completed."))
        s.add(b + 14.1, fmt.spring(clk, b + 14.1, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                                   "Tomcat started on port 8080 (http) with context path ''"))
        s.add(b + 14.3, fmt.spring(clk, b + 14.3, "INFO", "main", "com.northwind.orders.OrderApiApplication",
                                   "Started OrderApiApplication in 15.112 seconds (process running for 16.4)"))

    routes = [("GET", "/api/v1/orders/{id}", 200, 0.55), ("POST", "/api/v1/orders", 201, 0.2),
              ("GET", "/api/v1/orders?customerId={c}", 200, 0.2), ("PATCH", "/api/v1/orders/{id}/status", 200, 0.05)]
    gc_n = [8000]

    def thread():
        return f"http-nio-8080-exec-{rng.randint(1, 200)}"

    for t in arrivals(rng, lambda t: 30 * diurnal(t, 0.22, 5000)):
        task = ts.pick(t)
        if not task:
            continue
        s = task["stream"]
        r = rng.random()
        acc = 0
        for meth, path, code, w in routes:
            acc += w
            if r <= acc:
                break
        slow = t > onset + 200
        ms = int(rng.lognormvariate(3.2, 0.5) * (rng.uniform(6, 30) if slow else 1))
        oid = f"ord_{rng.randint(10_000_000, 99_999_999)}"
        if slow and rng.random() < 0.22:
            s.add(t, fmt.spring(clk, t, "ERROR", thread(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                                "exception [Handler dispatch failed: java.lang.OutOfMemoryError: Java heap space] "
                                "with root cause\n" + fmt.jtrace("java.lang.OutOfMemoryError: Java heap space", [
                                    "java.base/java.util.Arrays.copyOf(Arrays.java:3541)",
                                    "java.base/java.lang.AbstractStringBuilder.ensureCapacityInternal(AbstractStringBuilder.java:242)",
                                    "java.base/java.lang.StringBuilder.append(StringBuilder.java:179)",
                                    "com.fasterxml.jackson.core.util.TextBuffer.contentsAsString(TextBuffer.java:475)",
                                    "com.northwind.orders.web.OrderController.get(OrderController.java:61)",
                                    "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)"])))
            continue
        p = path.replace("{id}", oid).replace("{c}", f"cus_{rng.randint(100000, 999999)}")
        s.add(t, fmt.spring(clk, t, "INFO", thread(), "c.n.orders.web.RequestLoggingFilter",
                            f"{meth} {p} -> {code} in {ms}ms"))
        if meth == "POST" and rng.random() < 0.9:
            s.add(t + ms / 1000, fmt.spring(clk, t + ms / 1000, "INFO", thread(), "c.n.orders.service.OrderService",
                                            f"Order {oid} created total={rng.uniform(9, 480):.2f} EUR items={rng.randint(1, 7)}"))
    # a loud, old error: the loyalty service answers 404 for customers without an account (same rate all day)
    for t in arrivals(rng, lambda t: 1.6):
        task = ts.pick(t)
        if task:
            cus = f"cus_{rng.randint(100000, 999999)}"
            task["stream"].add(t, fmt.spring(
                clk, t, "ERROR", thread(), "c.n.orders.client.LoyaltyClient",
                f"Loyalty lookup failed for customer={cus}: 404 Not Found "
                f"from GET http://loyalty.internal/api/points/{cus}"))
    # the trigger: a partner's full-history CSV exports, retried by their scheduler
    for t in every(onset, -20, 48, jitter=30, rng=rng):
        task = ts.pick(t)
        if not task:
            continue
        s = task["stream"]
        s.add(t, fmt.spring(clk, t, "INFO", thread(), "c.n.orders.export.ExportController",
                            "GET /api/v1/orders/export?partner=bluefin-logistics&from=2019-01-01&to=2026-03-10&format=csv "
                            "accepted (client=bluefin-etl/1.4)"))
        s.add(t + 3.1, fmt.spring(clk, t + 3.1, "WARN", thread(), "c.n.orders.export.ExportService",
                                  f"Export for partner=bluefin-logistics materialising {rng.randint(1_850_000, 1_990_000)} rows in memory (no page size)"))
        for j in range(rng.randint(2, 4)):
            tt = t + 6 + j * rng.uniform(1.5, 3.0)
            gc_n[0] += rng.randint(1, 4)
            s.add(tt, fmt.gclog(clk, tt, f"GC({gc_n[0]}) Pause Full (G1 Compaction Pause) "
                                        f"{rng.randint(1585, 1630)}M->{rng.randint(1570, 1625)}M(1638M) {rng.uniform(900, 2600):.3f}ms"))
        if rng.random() < 0.7:
            tt = t + rng.uniform(14, 24)
            s.add(tt, fmt.spring(clk, tt, "ERROR", thread(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                 "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                                 "[Handler dispatch failed: java.lang.OutOfMemoryError: Java heap space] with root cause\n" +
                                 fmt.jtrace("java.lang.OutOfMemoryError: Java heap space", [
                                     "java.base/java.util.Arrays.copyOf(Arrays.java:3541)",
                                     "java.base/java.util.ArrayList.grow(ArrayList.java:237)",
                                     "java.base/java.util.ArrayList.add(ArrayList.java:484)",
                                     "org.hibernate.sql.results.spi.ListResultsConsumer.consume(ListResultsConsumer.java:210)",
                                     "org.hibernate.query.sqm.internal.ConcreteSqmSelectQueryPlan.listInterpreter(ConcreteSqmSelectQueryPlan.java:129)",
                                     "com.northwind.orders.export.ExportService.loadOrders(ExportService.java:88)",
                                     "com.northwind.orders.export.ExportController.export(ExportController.java:47)"])))
    for k in kills:  # the task that dies was deep in full GCs just before
        victim = next(x for x in ts.tasks if x["end"] == k)
        for j in range(3):
            tt = k - 40 + j * 11
            gc_n[0] += 1
            victim["stream"].add(tt, fmt.gclog(clk, tt, f"GC({gc_n[0]}) Pause Full (G1 Compaction Pause) "
                                                       f"1636M->1634M(1638M) {rng.uniform(2400, 4100):.3f}ms"))
    # decoy: notification-worker deploy, clean
    nw = Stream("/ecs/notification-worker", "ecs/notification-worker/" + rng.hexid(32))
    nw_new = Stream("/ecs/notification-worker", "ecs/notification-worker/" + rng.hexid(32))
    for t in arrivals(rng, lambda t: 9):
        s = nw if t < -2760 else nw_new
        s.add(t, fmt.pino(clk, t, 30, "notification sent", "ip-10-31-4-17.eu-west-1.compute.internal",
                          channel=rng.choice(["email", "email", "sms", "push"]),
                          orderId=f"ord_{rng.randint(10_000_000, 99_999_999)}", latencyMs=rng.randint(40, 400)))
    nw_new.add(-2790, fmt.pino(clk, -2790, 30, "notification-worker 2.8.0 starting", "ip-10-31-7-201.eu-west-1.compute.internal",
                               node="v20.11.1"))
    nw_new.add(-2788.5, fmt.pino(clk, -2788.5, 30, "connected to SQS queue orders-notifications", "ip-10-31-7-201.eu-west-1.compute.internal"))
    nw.add(-2762, fmt.pino(clk, -2762, 30, "SIGTERM received, draining", "ip-10-31-4-17.eu-west-1.compute.internal"))
    for tid in (rng.hexid(32), rng.hexid(32)):
        events.add(-2761, aws.task_state_event(
            clk, rng, -2761, region=region, account=acct, cluster="orders-prod", service="notification-worker",
            td="notification-worker:18", task_id=tid, container="notification-worker", exit_code=0,
            stopped_reason="Scaling activity initiated by (deployment ecs-svc/5812046712938411022)",
            stop_code="ServiceSchedulerInitiated"))
    pgs = Stream("/aws/rds/instance/orders-db/postgresql", "orders-db.0")
    for t in every(LOG_START, -30, 300, jitter=20, rng=rng):
        pgs.add(t, fmt.pg(clk, t, None, None, None, 412, "LOG", f"checkpoint complete: wrote {rng.randint(900, 2400)} buffers "
                                                              f"({rng.uniform(0.8, 1.9):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled"))

    alarms = [
        alarm("orders-public-target-5xx", lb_5xx, "Sum", 60, 3, 20, "GreaterThanThreshold",
              "orders-public: targets returning 5xx"),
        ok_alarm("orders-db-cpu-high", rds_cpu, "Average", 300, 3, 80, "GreaterThanThreshold"),
    ]
    changes = [
        change(-2880, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
               "notification-worker:19", "github-actions-deploy"),
        change(-2860, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
               "orders-prod/notification-worker", "github-actions-deploy"),
    ]
    doc = scenario("h47-01-order-api-oom", "Orders API returning 5xx through the public load balancer; "
                   "the 5xx alarm paged on-call.", region, resources, metrics,
                   ts.streams() + [events, nw, nw_new, pgs], alarms, changes,
                   {"alarm": "orders-public-target-5xx",
                    "root_cause": {"category": "memory_exhaustion", "resource": ["orders-prod/order-api", "order-api"]},
                    "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                   "dimensions": {"ClusterName": "orders-prod", "ServiceName": "order-api"}}]})
    meta = {"region": region, "alarm": "orders-public-target-5xx", "category": "memory_exhaustion",
            "resources": ["orders-prod/order-api", "order-api"], "position": "front (ALB)",
            "decoys": "notification-worker deploy 48 min before (clean); LoyaltyClient 404 ERRORs at the same rate all day; "
                      "orders-db CPU alarm in OK",
            "story": "A partner's ETL started calling `/api/v1/orders/export` for the whole order history; the export "
                     "materialises ~1.9 M rows in the heap of a 2 GiB Fargate task. From 42 min ago the service's "
                     "MemoryUtilization jumps from ~58 % to 96-100 %, G1 does back-to-back full GCs, requests fail with "
                     "`java.lang.OutOfMemoryError: Java heap space`, and ECS stops task after task with exit code 137 "
                     "`OutOfMemoryError: Container killed due to memory usage` (RunningTaskCount dips, 502s). The alarm is on "
                     "the balancer's target 5xx, but the fault is the order-api tasks running out of memory; there is no "
                     "deploy or config change on order-api (its revision is days old), request volume is normal, the "
                     "database is healthy. The notification-worker deploy 48 min ago is on another service whose logs stay "
                     "clean, and the loyalty 404s are an old, steady error. Label: memory_exhaustion on order-api."}
    return doc, meta


# =====================================================================================================
# h47-02: ingest-gateway v2.15.0 (Go, ECS on EC2) panics on batches without tags -> ALB 502s
# =====================================================================================================


def build_02():
    rng = Rng(4702)
    region, acct = "us-east-1", "730335215647"
    clk = Clock(datetime(2026, 3, 14, 14, 5, 0))
    lb, tg = "app/telemetry-ingest/2be81c0f5e9d4a37", "targetgroup/ingest-gateway-tg/91c3e5a7b2d4f608"
    deploy, done = -1980, -1650
    insts = [("i-0c3f9a12d4b7e6018", "telemetry-ecs-a"), ("i-05e7b2c4a9d1f3620", "telemetry-ecs-b"),
             ("i-0a9d4e6f1b3c57282", "telemetry-ecs-c")]
    new_frac = lambda t: ramp(t, deploy + 60, done, 0.0, 1.0)  # noqa: E731  share of traffic on v2.15.0
    compaction = lambda t: 1.0 if (t % 3600) // 60 in range(5, 13) else 0.0  # noqa: E731  hourly at :05
    image = f"{acct}.dkr.ecr.{region}.amazonaws.com/ingest-gateway"
    lc_opts = {"awslogs-multiline-pattern": r"^(\{|\d{4}/\d{2}/\d{2} )"}
    resources = [
        aws.ecs_resource("telemetry", "ingest-gateway", launch_type="EC2", td="ingest-gateway:88",
                         image=f"{image}:v2.15.0", cpu=512, memory=1024, desired=6,
                         log_group="/ecs/telemetry/ingest-gateway", tg=tg, container="ingest-gateway", port=8080,
                         extra={"runtime": "go1.22", "previous_task_definition": "ingest-gateway:87",
                                "previous_image": f"{image}:v2.14.3", "network_mode": "bridge",
                                "deployments": [{"task_definition": "ingest-gateway:88", "status": "PRIMARY",
                                                 "rollout_state": "COMPLETED", "desired": 6, "running": 6}],
                                "deployment_configuration": {"minimum_healthy_percent": 100, "maximum_percent": 200}}),
        aws.ecs_resource("telemetry", "rollup-worker", launch_type="EC2", td="rollup-worker:31",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/rollup-worker:v1.9.2", cpu=1024, memory=2048,
                         desired=2, log_group="/ecs/telemetry/rollup-worker", container="rollup-worker",
                         extra={"runtime": "go1.22"}),
        {"type": "alb", "id": lb, "properties": {"name": "telemetry-ingest", "scheme": "internet-facing",
                                                 "target_groups": [{"name": tg, "target_type": "instance",
                                                                    "registered_by": "ecs service telemetry/ingest-gateway"}]}},
    ]
    for iid, name in insts:
        resources.append({"type": "ec2", "id": iid, "properties": {"name": name, "instance_type": "m6i.xlarge",
                                                                    "ecs_cluster": "telemetry",
                                                                    "ami": "amzn2023-ami-ecs-hvm-2023.0.20260211"}})
    for ln in resources[0]["properties"], resources[1]["properties"]:
        ln["log_configuration"]["options"].update(lc_opts)

    req = lambda t: 5200 * diurnal(t, 0.12, 3000)  # noqa: E731
    bad = lambda t: req(t) * 0.0055 * new_frac(t)  # noqa: E731
    metrics = []
    metrics += aws.ecs_service(rng, "telemetry", "ingest-gateway", cpu=lambda t: 41 * diurnal(t, 0.12, 3000),
                               mem=C(34.0), running=lambda t: 6 + (6 if deploy + 20 <= t < done else 0), desired=C(6),
                               pending=lambda t: 3 if deploy + 10 <= t < deploy + 70 else 0, task_cpu=512, task_mem=1024)
    metrics += aws.ecs_service(rng, "telemetry", "rollup-worker", cpu=lambda t: 14 + 70 * compaction(t), mem=C(52.0),
                               running=C(2), desired=C(2), task_cpu=1024, task_mem=2048)
    metrics += aws.alb_lb(rng, lb, req=req, rt=lambda t: 0.012 + 0.002 * new_frac(t), t5xx=C(0.2),
                          elb5xx=lambda t: 0.3 + bad(t), elb502=lambda t: 0.2 + bad(t))
    metrics += aws.alb_tg(rng, lb, tg, req=req, rt=lambda t: 0.012 + 0.002 * new_frac(t), t5xx=C(0.2),
                          healthy=lambda t: 6 + (6 if deploy + 90 <= t < done else 0))
    for i, (iid, name) in enumerate(insts):
        metrics += aws.ec2(rng, iid, cpu=lambda t, i=i: 33 + 4 * i + (24 * compaction(t) if i == 1 else 0),
                           mem=C(48.0 + 3 * i), disk=C(76.0 if i == 2 else 41.0))
    elb5xx = next(m for m in metrics if m["name"] == "HTTPCode_ELB_5XX_Count")

    # ---------------------------------------------------------------- logs
    grp = "/ecs/telemetry/ingest-gateway"
    ts = aws.TaskSet(rng, grp, "ingest-gateway", 6, LOG_START)
    old = list(ts.tasks)
    ev = Stream("/aws/events/ecs", "aws-ecs-events")
    dep_id = f"ecs-svc/{rng.randint(10**18, 9 * 10**18)}"
    ev.add(deploy + 8, aws.service_event(clk, rng, deploy + 8, region=region, account=acct, cluster="telemetry",
                                         service="ingest-gateway", detail_type="ECS Deployment State Change",
                                         event_type="INFO", event_name="SERVICE_DEPLOYMENT_IN_PROGRESS",
                                         deployment_id=dep_id, reason="ECS deployment " + dep_id + " in progress."))
    hosts = [rng.ip("10.0") for _ in range(24)]
    for i, o in enumerate(old):
        t_new = deploy + 20 + i * 12
        n = ts.start(t_new)
        n["stream"].add(t_new + 0.4, fmt.zap(clk, t_new + 0.4, "info", "cmd/gateway/main.go:41", "starting ingest-gateway",
                                             version="v2.15.0", commit="9f1e2ab", go="go1.22.1"))
        n["stream"].add(t_new + 0.6, fmt.zap(clk, t_new + 0.6, "info", "internal/server/server.go:88", "listening",
                                             addr=":8080"))
        t_stop = deploy + 150 + i * 50
        o["stream"].add(t_stop - 0.5, fmt.zap(clk, t_stop - 0.5, "info", "cmd/gateway/main.go:77",
                                              "shutdown signal received, draining connections", signal="terminated"))
        ts.stop(o, t_stop)
        ev.add(t_stop + 1, aws.task_state_event(clk, rng, t_stop + 1, region=region, account=acct, cluster="telemetry",
                                                service="ingest-gateway", td="ingest-gateway:87", task_id=o["id"],
                                                container="ingest-gateway", exit_code=0, launch_type="EC2",
                                                stop_code="ServiceSchedulerInitiated",
                                                stopped_reason=f"Scaling activity initiated by (deployment {dep_id})"))
    ev.add(done + 10, aws.service_event(clk, rng, done + 10, region=region, account=acct, cluster="telemetry",
                                        service="ingest-gateway", detail_type="ECS Deployment State Change",
                                        event_type="INFO", event_name="SERVICE_DEPLOYMENT_COMPLETED",
                                        deployment_id=dep_id, reason="ECS deployment " + dep_id + " completed."))
    new_ids = {k["id"] for k in ts.tasks if k not in old}
    for t in arrivals(rng, lambda t: 34):
        task = ts.pick(t)
        if not task:
            continue
        st = 202 if rng.random() > 0.004 else 400
        task["stream"].add(t, fmt.zap(clk, t, "info", "internal/server/middleware.go:52", "request", method="POST",
                                      path=rng.choice(["/v1/batch", "/v1/batch", "/v1/batch", "/v1/events"]), status=st,
                                      bytes=rng.randint(400, 64000), duration_ms=round(rng.lognormvariate(1.0, 0.5), 2),
                                      remote=rng.choice(hosts)))
    for t in arrivals(rng, lambda t: 2.2):  # old, steady warning
        task = ts.pick(t)
        if task:
            task["stream"].add(t, fmt.zap(clk, t, "warn", "internal/batch/validate.go:77",
                                          "dropping metric with invalid timestamp", skew_seconds=rng.randint(400, 90000),
                                          tenant=f"t-{rng.randint(1000, 9999)}"))
    gid = [190000]
    for t in arrivals(rng, lambda t: 0 if t < deploy else bad(t)):
        task = ts.pick(t)
        if not task or task["id"] not in new_ids:
            continue
        gid[0] += rng.randint(3, 400)
        task["stream"].add(t, GO_PANIC.format(ts=clk.dt(t).strftime("%Y/%m/%d %H:%M:%S"),
                                              peer=f"{rng.choice(hosts)}:{rng.randint(30000, 60999)}", gid=gid[0]))
    rw = Stream("/ecs/telemetry/rollup-worker", "ecs/rollup-worker/" + rng.hexid(32))
    for t in every(LOG_START, -5, 3600):
        h = t - (t % 3600) + 300
        if h < -5:
            rw.add(h + 1, fmt.logfmt(clk, h + 1, "info", "compaction started", window="1h", shards=rng.randint(180, 220)))
            rw.add(h + rng.randint(430, 470), fmt.logfmt(clk, h + 450, "info", "compaction finished",
                                                         rows_in=rng.randint(80, 95) * 10**6, rows_out=rng.randint(3, 5) * 10**6,
                                                         took=f"{rng.randint(430, 470)}s"))
    for t in every(LOG_START, -5, 60, jitter=2, rng=rng):
        rw.add(t, fmt.logfmt(clk, t, "info", "flush", series=rng.randint(41000, 46000), lag_ms=rng.randint(200, 900)))

    alarms = [alarm("telemetry-ingest-elb-5xx", elb5xx, "Sum", 60, 3, 15, "GreaterThanThreshold",
                    "Ingest ALB generated 5xx (502/503/504)")]
    changes = [
        change(-13200, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
               "/telemetry/rollup-worker/retention-days", "a.nakamura"),
        change(deploy - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
               "ingest-gateway:88", "gha-deploy-telemetry"),
        change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "telemetry/ingest-gateway",
               "gha-deploy-telemetry"),
    ]
    doc = scenario("h47-02-ingest-gateway-502", "Telemetry ingest endpoint: ALB 5xx alarm; some SDK clients report "
                   "dropped batches.", region, resources, metrics, ts.streams() + [ev, rw], alarms, changes,
                   {"alarm": "telemetry-ingest-elb-5xx",
                    "root_cause": {"category": "bad_deployment",
                                   "resource": ["telemetry/ingest-gateway", "ingest-gateway"]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                                   "dimensions": {"LoadBalancer": lb}}]})
    meta = {"region": region, "alarm": "telemetry-ingest-elb-5xx", "category": "bad_deployment",
            "resources": ["telemetry/ingest-gateway", "ingest-gateway"], "position": "front (ALB)",
            "decoys": "rollup-worker hourly compaction CPU bursts (container instance b); SSM parameter change for "
                      "rollup-worker 3 h 40 min earlier; steady 'invalid timestamp' WARN; instance c disk at 76 % flat",
            "story": "CI registered ingest-gateway:88 (image v2.15.0) and rolled it out 33 min ago (EC2 launch type, "
                     "100/200 % rolling). The new build panics in `enrich.(*Tagger).Apply` with `assignment to entry in "
                     "nil map` on batches that carry no tags; Go's net/http recovers the panic and drops the connection, "
                     "so the ALB answers 502 (ELB 5xx grows with the share of v2.15.0 tasks, target 5xx stays flat). The "
                     "panic signature exists only in the new tasks' streams. Health checks pass, so the deploy "
                     "\"completed\". CPU, memory and the container instances are normal; rollup-worker's hourly "
                     "compaction bursts and its old SSM change are unrelated. Label: bad_deployment of ingest-gateway."}
    return doc, meta
