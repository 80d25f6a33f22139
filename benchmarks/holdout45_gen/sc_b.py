"""Scenarios 03-05: BI queries pin the primary; an SQS sink at its reserved concurrency; compactor OOM."""
from __future__ import annotations

import json

from .blocks import GB, alb, ecs, ec2, rds, sqs
from .core import HIST, LOGS, Scn, bump, diurnal, local_t
from .logfmt import Inv, LambdaModel, every, pg, pg_background, poisson_times, py, spring


def s03() -> Scn:
    sc = Scn("h45-03-storefront-latency-catalog-db-cpu", 4503, "us-west-2", "2026-03-31T17:20:00",
             "Storefront pages slow; ALB response-time alarm fired mid-morning on quarter-end day.", tz=-7)
    DB, REP, LB, CL, SV, ETL = ("catalog-pg", "catalog-pg-replica", "app/storefront-alb/9b1d04e6c2a7f153", "web",
                                "storefront", "i-0d7e3a91b25c4f680")
    ON = -2760
    sc.res("rds", DB, engine="postgres", engine_version="14.10", instance_class="db.m6g.2xlarge", vcpu=8,
           max_connections=800, allocated_storage_gb=800, parameter_group="catalog-pg14",
           parameter_apply_status="pending-reboot", log_min_duration_statement_ms=2000,
           log_groups=[f"/aws/rds/instance/{DB}/postgresql"])
    sc.res("rds", REP, engine="postgres", instance_class="db.m6g.2xlarge", read_replica_source=DB, max_connections=800)
    sc.res("alb", LB, name="storefront-alb", targets=f"{CL}/{SV}")
    sc.res("ecs", f"{CL}/{SV}", cluster=CL, service=SV, launch_type="FARGATE", runtime="node20", desired_count=8,
           log_groups=["/ecs/storefront"])
    sc.res("ec2", ETL, name="etl-runner-1", instance_type="c6i.2xlarge", monitoring="basic",
           cron="0 3 * * * /opt/etl/bin/nightly_catalog_export.sh")
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    bi = lambda t: min(1.0, max(0.0, (t - ON) / 360.0))  # noqa: E731
    e0, e1 = local_t(sc, 3.0), local_t(sc, 4.15)
    rds(sc, DB, cpu=lambda t: min(100.0, 21 + 22 * d(t) + 80 * bi(t) + sc.g(2.0)),
        conns=lambda t: 84 + 46 * d(t) + (14 + 38 * bi(t) if t >= ON else 0) + sc.g(3),
        free_storage=lambda t: 310 * GB - 0.004 * GB * (t - HIST) / 60 + sc.g(0.05 * GB),
        freeable=lambda t: 7.9 * GB - 1.1 * GB * bi(t) + sc.g(0.06 * GB),
        read_lat=lambda t: 0.0009 + 0.0041 * bi(t) + abs(sc.g(0.0002)),
        write_lat=lambda t: 0.0012 + 0.0009 * bi(t) + abs(sc.g(0.0002)),
        read_iops=lambda t: 600 + 500 * d(t) + 5200 * bi(t) + sc.g(60),
        write_iops=lambda t: 240 + 200 * d(t) + 900 * bi(t) + sc.g(25),
        extra=[("DiskQueueDepth", "Count", lambda t: 0.6 + 7.5 * bi(t) + abs(sc.g(0.3)))])
    rds(sc, REP, cpu=lambda t: 8 + 6 * d(t) + sc.g(1.2), conns=lambda t: 9 + sc.g(1),
        free_storage=lambda t: 312 * GB + sc.g(0.05 * GB), freeable=lambda t: 9.2 * GB + sc.g(0.05 * GB),
        read_lat=lambda t: 0.0008 + abs(sc.g(0.0001)), write_lat=lambda t: 0.0011 + abs(sc.g(0.0002)),
        read_iops=lambda t: 40 + sc.g(6), write_iops=lambda t: 260 + 200 * d(t) + 400 * bi(t) + sc.g(25),
        extra=[("ReplicaLag", "Seconds", lambda t: abs(sc.g(0.6)) + 2.5 * bi(t))])
    rmap = {t: 2600 * d(t) * (1 + sc.g(0.03)) for t in range(HIST, 0, 60)}
    alb(sc, LB, req=rmap.__getitem__, rt=lambda t: 0.13 + 0.03 * d(t) + 2.7 * bi(t) + abs(sc.g(0.01 + 0.3 * bi(t))),
        t5xx=lambda t: sc.poisson(0.5 + rmap[t] * 0.028 * bi(t)), e5xx=lambda t: sc.poisson(0.1 + 9 * bi(t)),
        healthy=lambda t: 8, t4xx=lambda t: sc.poisson(rmap[t] * 0.01))
    ecs(sc, CL, SV, cpu=lambda t: 24 + 16 * d(t) - 6 * bi(t) + sc.g(2), mem=lambda t: 55 + 4 * bi(t) + sc.g(0.7),
        running=lambda t: 8)
    ec2(sc, ETL, cpu=lambda t: 2.5 + 86 * bump(t, e0, e1, 1.0, 300) + abs(sc.g(1.5)),
        net_in=lambda t: 2e6 + 4.1e9 * bump(t, e0, e1, 1.0, 300) + abs(sc.g(3e5)),
        net_out=lambda t: 1e6 + 2.2e9 * bump(t, e0, e1, 1.0, 300) + abs(sc.g(2e5)), step=300)

    tasks = [sc.hexid() for _ in range(3)]
    logs = {k: [] for k in tasks}
    routes = ["/api/products/:id", "/api/search", "/api/categories/:slug", "/api/cart", "/api/products/:id/reviews"]
    for ts in poisson_times(sc, LOGS, 0, lambda m: 10 + 8 * d(m)):
        k = sc.rng.choice(tasks)
        host = f"ip-10-42-{tasks.index(k) + 3}-{17 + tasks.index(k) * 9}.us-west-2.compute.internal"
        route = sc.rng.choice(routes)
        rec = {"level": 30, "time": int(sc.epoch(ts) * 1000), "pid": 1, "hostname": host,
               "req": {"method": "GET", "url": route.replace(":id", str(sc.rng.randint(1000, 99999))).replace(
                   ":slug", sc.rng.choice(["garden", "kitchen", "outdoor", "lighting"]))}}
        if ts >= ON and sc.rng.random() < 0.22 * bi(ts):
            rec.update(level=50, msg=f"GET {route} failed", err={
                "type": "Error", "message": "Query read timeout",
                "stack": "Error: Query read timeout\n    at Timeout._onTimeout (/app/node_modules/pg/lib/client.js:557:21)\n"
                         "    at listOnTimeout (node:internal/timers:573:17)\n    at process.processTimers "
                         "(node:internal/timers:514:7)"}, responseTime=8003 + sc.rng.randint(0, 40))
        else:
            rt = int(abs(sc.rng.gauss(60, 25)) + (sc.rng.uniform(900, 6500) * bi(ts)))
            rec.update(res={"statusCode": 200}, responseTime=rt, msg="request completed")
            if rt > 1000:
                rec["level"] = 40
                rec["msg"] = "slow request"
        logs[k].append((ts, json.dumps(rec, separators=(",", ":"))))
    for k, ev in logs.items():
        sc.log("/ecs/storefront", f"storefront/storefront/{k}", ev)

    ev = pg_background(sc, HIST, 0, ["products", "inventory_levels", "price_rules", "order_lines"], "catalog",
                       lambda t: 1.0 + 0.6 * d(t))
    for t in poisson_times(sc, HIST, ON, lambda m: 0.05):
        ev.append((t, pg(sc, t, "LOG", f"duration: {sc.rng.uniform(2000, 3100):.3f} ms  execute <unnamed>: SELECT p.* "
                                       "FROM products p JOIN price_rules r ON r.product_id = p.id WHERE p.category_id = $1",
                         client=f"{sc.ip('10.42')}({sc.rng.randint(30000, 60000)})", user="storefront_app", db="catalog")))
    for t in poisson_times(sc, ON + 240, 0, lambda m: 14.0):
        ev.append((t, pg(sc, t, "LOG", f"duration: {sc.rng.uniform(2100, 9800):.3f} ms  execute <unnamed>: "
                                       + sc.rng.choice(["SELECT p.id, p.sku, p.title, p.price_cents FROM products p WHERE p.id = $1",
                                                        "SELECT * FROM inventory_levels WHERE sku = ANY($1)",
                                                        "SELECT id, slug, name FROM categories WHERE slug = $1"]),
                         client=f"{sc.ip('10.42')}({sc.rng.randint(30000, 60000)})", user="storefront_app", db="catalog")))
    mb_pids = [sc.rng.randint(20000, 31000) for _ in range(14)]
    for t in every(sc, ON - 60, 0, 55, 20):
        pid = sc.rng.choice(mb_pids)
        qh = sc.hexid(64)
        cli = f"10.50.7.{sc.rng.randint(20, 40)}({sc.rng.randint(30000, 60000)})"
        sql = (f"-- Metabase:: userID: {sc.rng.choice([41, 57, 63, 88])} queryType: native queryHash: {qh}\n"
               "SELECT date_trunc('day', o.created_at) AS day, p.category_id, sum(ol.quantity * ol.unit_price_cents) "
               "AS revenue_cents, count(DISTINCT o.customer_id) AS buyers FROM order_lines ol JOIN orders o ON "
               "o.id = ol.order_id JOIN products p ON p.id = ol.product_id WHERE o.created_at >= '2026-01-01' "
               "GROUP BY 1, 2 ORDER BY 1, 2")
        ev.append((t, pg(sc, t, "LOG", f'temporary file: path "base/pgsql_tmp/pgsql_tmp{pid}.{sc.rng.randint(0, 9)}", '
                                       f"size {sc.rng.choice([1073741824, 536870912, 812646400])}\nSTATEMENT:  {sql}",
                         client=cli, user="metabase_ro", db="catalog", pid=pid)))
        if t > ON + 300 and sc.rng.random() < 0.3:
            ev.append((t + 0.5, pg(sc, t + 0.5, "LOG", f"duration: {sc.rng.uniform(240000, 1500000):.3f} ms  statement: {sql}",
                                   client=cli, user="metabase_ro", db="catalog", pid=pid)))
    sc.log(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0", ev)
    ev = []
    for t in every(sc, e0 + 5, e1, 600, 30):
        ev.append((t, f"[{sc.pgts(t)}] nightly_catalog_export: exported {sc.rng.randint(40, 90)}k rows "
                      f"(chunk {int((t - e0) // 600) + 1}/7) to s3://catalog-exports-usw2/{sc.day(t)}/"))
    ev.append((e1 + 40, f"[{sc.pgts(e1 + 40)}] nightly_catalog_export: done in 68m12s"))
    sc.log("/etl/nightly_catalog_export", ETL, ev)

    sc.change(-9600, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "catalog-pg14",
              "dba-marta")
    sc.change(-20400, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", REP, "dba-marta")
    sc.alarm("storefront-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60, 5,
             1.5, "GreaterThanThreshold", -2220, "Storefront average target response time above 1.5 s")
    sc.expect("storefront-alb-latency", "cpu_saturation", [DB], [
        {"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": DB}},
        {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": LB}}])
    sc.meta = dict(origin="front (ALB)", decoys="parameter-group edit (shared_buffers, pending reboot, not applied); "
                   "etl-runner-1's usual 03:00 export CPU peak; overnight replica snapshot")
    return sc


def s04() -> Scn:
    sc = Scn("h45-04-invoice-queue-age-sink-throttled", 4504, "eu-central-1", "2026-03-10T09:15:00",
             "Invoice events piling up; queue age alarm fired. Invoices are reaching customers late.", tz=1)
    FN, Q, PDF, DB = "invoice-events-sink", "invoice-events", "invoice-pdf-renderer", "billing-db"
    ON, CAP = -3540, 10
    sc.res("lambda", FN, runtime="python3.11", timeout=60, memory_size=512, reserved_concurrency=CAP,
           event_source=f"sqs:{Q}", batch_size=10)
    sc.res("lambda", PDF, runtime="nodejs20.x", timeout=30, memory_size=1536)
    sc.res("rds", DB, engine="postgres", engine_version="16.2", instance_class="db.r6g.large", max_connections=1600)
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    sent = {t: sc.poisson(40 + 330 * (d(t) - 0.3) / 0.7 * 1.6) + (sc.poisson(880) if t >= ON else 0)
            for t in range(HIST, 0, 60)}
    per_slot = 5  # 12 s per batch of 10
    backlog, proc, fifo, vis, age, thr = 0, {}, [], {}, {}, {}
    for t in range(HIST, 0, 60):
        fifo.append([t, sent[t]])
        backlog += sent[t]
        cap = CAP * per_slot * 10
        n = min(backlog, cap if t >= ON else backlog)
        proc[t], backlog = n, backlog - n
        left = n
        while left and fifo:
            take = min(left, fifo[0][1])
            fifo[0][1] -= take
            left -= take
            if fifo[0][1] == 0:
                fifo.pop(0)
        vis[t] = backlog
        age[t] = (t - fifo[0][0] + sc.rng.uniform(30, 58)) if fifo and backlog > 40 else sc.rng.uniform(1, 25)
        thr[t] = sc.poisson(38) if backlog > cap * 0.2 else 0

    def draw(t):
        k = -(-proc[t] // 10)
        return [Inv(False, max(3000.0, 11800 + sc.g(1400)), "ok", sc.rng.randint(120, 150)) for _ in range(k)]
    fm = LambdaModel(sc, FN, 512, draw, throttles=lambda t: thr[t])
    fm.metrics(conc_cap=CAP)
    sqs(sc, Q, sent=sent.__getitem__, received=lambda t: proc[t], deleted=lambda t: proc[t], visible=vis.__getitem__,
        age=age.__getitem__)

    def body(ts, rid, inv):
        src = "nightly-replay" if ts >= ON and sc.rng.random() < 0.7 else "billing-api"
        out = [(0.01, py(sc, ts, "INFO", rid, f"received batch size=10 source={src}"))]
        if sc.rng.random() < 0.2:
            out.append((0.4, py(sc, ts, "WARNING", rid, "Deprecated field 'vat_code' present in payload; mapping to "
                                                        "tax.code")))
        out.append((inv.dur / 1000 - 0.03, py(sc, ts, "INFO", rid, f"stored 10 invoice events in billing-db "
                                                                   f"(business_date={sc.day(-86400)}) failed=0")))
        return out
    fm.logs(body, streams=3, start=-6000, cold_every=150)
    pm = LambdaModel(sc, PDF, 1536, lambda t: [Inv(False, max(400.0, 2300 + sc.g(500)), "ok", sc.rng.randint(600, 760))
                                               for _ in range(sc.poisson(3 * d(t)))])
    pm.metrics()
    rds(sc, DB, cpu=lambda t: 11 + 9 * d(t) + sc.g(1.3), conns=lambda t: 48 + 20 * d(t) + sc.g(2),
        free_storage=lambda t: 640 * GB + sc.g(0.1 * GB), freeable=lambda t: 5.1 * GB + sc.g(0.05 * GB),
        read_lat=lambda t: 0.0009 + abs(sc.g(0.0002)), write_lat=lambda t: 0.0013 + abs(sc.g(0.0002)),
        read_iops=lambda t: 300 + 200 * d(t) + sc.g(20), write_iops=lambda t: 280 + 160 * d(t) + sc.g(20))
    ev = []
    for t in [local_t(sc, h + 0.25) for h in range(2, 10)]:
        ok = t >= ON - 120
        ev.append((t, json.dumps({"ts": sc.iso(t), "level": "info" if ok else "warn", "logger": "replay",
                                  "msg": "replay started" if ok else "source export not ready; retrying next hour",
                                  "business_date": sc.day(-86400), "marker": "s3://billing-exports/daily/_SUCCESS"})))
    sc.log("/billing/nightly-replay", "replay-scheduler", ev)

    sc.change(-4200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", PDF, "ci-deployer")
    sc.change(-7800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB, "backup-automation")
    chg = next(t for t in range(ON, 0, 60) if all(age[x] > 900 for x in (t - 120, t - 60, t))) + 60
    sc.alarm("invoice-events-oldest-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": Q}, "Maximum", 60,
             3, 900, "GreaterThanThreshold", chg, "Oldest invoice event older than 15 minutes")
    sc.expect("invoice-events-oldest-age", "throttling", [FN], [
        {"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": FN}},
        {"namespace": "AWS/SQS", "name": "ApproximateAgeOfOldestMessage", "dimensions": {"QueueName": Q}}])
    sc.meta = dict(origin="front (SQS queue age)", decoys="deploy of invoice-pdf-renderer 15 min before onset; "
                   "billing-db snapshot; steady deprecated-field WARNING in the sink")
    return sc


JVM = ("\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n\tat java.base/java.io.ByteArrayOutputStream.ensureCapacity"
       "(ByteArrayOutputStream.java:100)\n\tat java.base/java.io.ByteArrayOutputStream.write(ByteArrayOutputStream.java:132)\n"
       "\tat com.acme.stream.compactor.PartitionBuffer.append(PartitionBuffer.java:77)\n\tat com.acme.stream.compactor."
       "PartitionCompactor.loadPartition(PartitionCompactor.java:141)\n\tat com.acme.stream.compactor.PartitionCompactor."
       "compact(PartitionCompactor.java:96)\n\tat com.acme.stream.compactor.CompactionWorker.run(CompactionWorker.java:58)\n"
       "\tat java.base/java.lang.Thread.run(Thread.java:840)")


def s05() -> Scn:
    sc = Scn("h45-05-event-compactor-memory", 4505, "ap-southeast-2", "2026-03-17T02:30:00",
             "event-compactor memory alarm; compaction backlog growing.", tz=11)
    CL, SV, Q, DASH, DB = "stream", "event-compactor", "compactor-input", "analytics/dash-api", "events-meta-db"
    ON = -3000
    sc.res("ecs", f"{CL}/{SV}", cluster=CL, service=SV, launch_type="FARGATE", cpu=2048, memory=4096, desired_count=4,
           java_opts="-Xmx3072m -XX:+ExitOnOutOfMemoryError", log_groups=["/ecs/event-compactor"])
    sc.res("ecs", DASH, cluster="analytics", service="dash-api", launch_type="FARGATE", desired_count=2,
           log_groups=["/ecs/dash-api"])
    sc.res("rds", DB, engine="postgres", instance_class="db.t4g.large", max_connections=800)
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    kills = [ON + 420, ON + 760, ON + 1130, ON + 1460, ON + 1790, ON + 2140, ON + 2470, ON + 2800]

    def mem(t):
        if t < ON:
            return 54 + 6 * d(t) + sc.g(1.2)
        last = max([k for k in kills if k <= t] + [ON])
        return min(100.0, 78 + 22 * (t - last) / 200 + sc.g(1.0))
    ecs(sc, CL, SV, cpu=lambda t: 38 + 12 * d(t) + (30 if t >= ON else 0) + sc.g(3), mem=mem,
        running=lambda t: 4 - (1 if any(k <= t < k + 90 for k in kills) else 0))
    ecs(sc, "analytics", "dash-api", cpu=lambda t: 12 + 6 * d(t) + sc.g(1.5), mem=lambda t: 41 + sc.g(0.8),
        running=lambda t: 2)
    rate = lambda t: 180 + 220 * d(t)  # noqa: E731
    vis, age, b = {}, {}, 0.0
    for t in range(HIST, 0, 60):
        cap = rate(t) * (0.62 if t >= ON else 1.05)
        b = max(0.0, b + rate(t) - cap)
        vis[t], age[t] = b, (t - ON + 40 if t >= ON + 60 else sc.rng.uniform(20, 70))
    sqs(sc, Q, sent=lambda t: rate(t) + sc.g(8), received=lambda t: rate(t) * (0.7 if t >= ON else 1) + sc.g(8),
        deleted=lambda t: rate(t) * (0.62 if t >= ON else 1) + sc.g(8), visible=lambda t: vis[t] + sc.g(5),
        age=age.__getitem__)
    rds(sc, DB, cpu=lambda t: 7 + 5 * d(t) + sc.g(1), conns=lambda t: 22 + sc.g(2),
        free_storage=lambda t: 82 * GB + sc.g(0.02 * GB), freeable=lambda t: 4.2 * GB + sc.g(0.03 * GB),
        read_lat=lambda t: 0.0007 + abs(sc.g(0.0001)), write_lat=lambda t: 0.001 + abs(sc.g(0.0001)),
        read_iops=lambda t: 60 + sc.g(5), write_iops=lambda t: 90 + sc.g(8))

    big = "tenant=t-88213 dt=2026-03-16 hour=23"
    # three steady tasks, plus a chain of tasks that each pick up the oversized partition and die
    spans = [(LOGS, 0)] * 3 + [(LOGS, kills[0])] + [(k + 75, nxt) for k, nxt in zip(kills, kills[1:] + [0])]
    for i, (a, b) in enumerate(spans):
        ev = []
        if i > 3:
            ev += [(a, spring(sc, a, "INFO", "main", "c.a.s.EventCompactorApplication",
                              "Starting EventCompactorApplication v3.8.2 using Java 17.0.10 with PID 1")),
                   (a + 9.8, spring(sc, a + 9.8, "INFO", "main", "c.a.s.EventCompactorApplication",
                                    "Started EventCompactorApplication in 9.84 seconds (process running for 10.61)"))]
        dies = i >= 3 and b < 0
        busy_from = (b - 150) if dies else (0 if i < 3 else b)
        for ts in poisson_times(sc, int(a) + 12, int(min(busy_from, b if b < 0 else 0)), lambda m: (7 + 4 * d(m)) / 4):
            thr = f"compactor-worker-{sc.rng.choice([1, 3, 4])}"
            files = sc.rng.randint(40, 900)
            ev.append((ts, spring(sc, ts, "INFO", thr, "c.a.s.compactor.PartitionCompactor",
                                  f"Compacted tenant=t-{sc.rng.randint(10000, 99999)} dt={sc.day(ts - 7200)} hour="
                                  f"{sc.rng.randint(0, 23):02d}: {files} files -> 1 "
                                  f"({files * sc.rng.randint(90, 400) // 1000} MiB) in {sc.rng.randint(800, 9000)} ms")))
            if sc.rng.random() < 0.15:
                ev.append((ts + 0.3, spring(sc, ts, "WARN", thr, "c.a.s.compactor.S3Lister",
                                            "listObjectsV2 returned a truncated listing; continuing with token")))
        if i == 3 or (i > 3 and dies):
            kt, n = b, i - 2
            t0 = kt - 150
            ev += [(t0 - 1, spring(sc, t0 - 1, "INFO", "compactor-worker-2", "c.a.s.compactor.PartitionCompactor",
                                   f"Received message for {big} (ApproximateReceiveCount={n})")),
                   (t0, spring(sc, t0, "INFO", "compactor-worker-2", "c.a.s.compactor.PartitionCompactor",
                               f"Loading partition {big}: 48112 files (11.7 GiB) into buffer")),
                   (kt - 40, f"[{sc.iso(kt - 40)}][warning][gc] GC({4000 + 37 * n}) To-space exhausted"),
                   (kt - 12, f"[{sc.iso(kt - 12)}][info][gc] GC({4003 + 37 * n}) Pause Full (G1 Compaction Pause) "
                             f"3071M->3069M(3072M) {sc.rng.uniform(2400, 3900):.3f}ms"),
                   (kt - 1, 'Exception in thread "compactor-worker-2" java.lang.OutOfMemoryError: Java heap space\n' + JVM),
                   (kt - 0.5, "Terminating due to java.lang.OutOfMemoryError: Java heap space")]
        elif i > 3:
            ev += [(a + 12, spring(sc, a + 12, "INFO", "compactor-worker-2", "c.a.s.compactor.PartitionCompactor",
                                   f"Received message for {big} (ApproximateReceiveCount={i - 2})")),
                   (a + 13, spring(sc, a + 13, "INFO", "compactor-worker-2", "c.a.s.compactor.PartitionCompactor",
                                   f"Loading partition {big}: 48112 files (11.7 GiB) into buffer"))]
        sc.log("/ecs/event-compactor", f"event-compactor/event-compactor/{sc.hexid()}", ev)
    dash = [(t, json.dumps({"level": "INFO", "ts": sc.iso(t), "msg": "GET /v1/dashboards/{id} 200",
                            "ms": sc.rng.randint(20, 160)})) for t in poisson_times(sc, LOGS, 0, lambda m: 3)]
    sc.log("/ecs/dash-api", f"dash-api/dash-api/{sc.hexid()}", dash)

    sc.change(-3360, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "dash-api", "analytics-ci")
    sc.change(-3300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", DASH, "analytics-ci")
    sc.change(-9000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB, "ops-sam")
    sc.alarm("event-compactor-memory-high", "AWS/ECS", "MemoryUtilization", {"ClusterName": CL, "ServiceName": SV},
             "Maximum", 300, 1, 95, "GreaterThanThreshold", ON + 600, "event-compactor memory above 95 %")
    sc.expect("event-compactor-memory-high", "memory_exhaustion", [f"{CL}/{SV}", SV], [
        {"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": {"ClusterName": CL, "ServiceName": SV}}])
    sc.meta = dict(origin="origin (ECS memory)", decoys="analytics dash-api deploy 5 min before onset; events-meta-db "
                   "snapshot; steady truncated-listing WARN")
    return sc
