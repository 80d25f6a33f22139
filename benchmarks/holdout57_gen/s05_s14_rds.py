"""h57-05 (MySQL connection exhaustion, Rails on ECS) and h57-14 (PostgreSQL I/O stall, Go on ECS)."""
from __future__ import annotations

from .common import GRID, Scenario, diurnal, ramp, bump
from .runtimes import LambdaLogs, jline, mysql, pg, rails

# =========================================================================== h57-05
T_RUN, T_SCALE0, T_SCALE1, T_FULL, T_RELAY = -2820, -2700, -2100, -1980, -2010
CL = "billing"


def _alb(sc, alb, req, rt, t5, e5, hosts):
    d = {"LoadBalancer": alb}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", [float(hosts)] * len(GRID))
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", [0.0] * len(GRID))
    return d


def _ecs(sc, cluster, svc, cpu, mem, tasks):
    d = {"ClusterName": cluster, "ServiceName": svc}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem)
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", tasks)
    return d


def build_billing() -> Scenario:
    sc = Scenario(5, "billing-mysql-too-many-connections", "Billing portal throwing 500s during the "
                  "month-end invoice run; ALB 5XX alarm fired.", "eu-central-1", 5705,
                  "2026-03-31T21:30:00+00:00")
    rng = sc.rng
    alb = "app/billing-web-alb/3f9a1c7e5b2d8046"
    sc.resource("rds", "billing-mysql", engine="mysql", engine_version="8.0.36",
                instance_class="db.r6g.large", max_connections=300, allocated_storage_gb=500)
    sc.resource("ecs", f"{CL}/billing-web", cluster=CL, service="billing-web", launch_type="FARGATE",
                desired_count=6, runtime="ruby 3.3 / rails 7.1 (puma)", load_balancer=alb,
                log_groups=["/ecs/billing-web"])
    sc.resource("ecs", f"{CL}/invoice-worker", cluster=CL, service="invoice-worker", launch_type="FARGATE",
                desired_count=4, autoscaling="1-10 tasks on sidekiq queue latency",
                runtime="ruby 3.3 / sidekiq 7.2", log_groups=["/ecs/invoice-worker"])
    sc.resource("alb", alb, name="billing-web-alb")
    sc.resource("lambda", "billing-webhook-relay", runtime="ruby3.3", timeout=30, memory_size=256)
    sc.resource("rds", "analytics-pg", engine="postgres", instance_class="db.r6g.xlarge",
                max_connections=3000, allocated_storage_gb=1000)
    workers = lambda t: 4 + round(6 * ramp(t, T_SCALE0, T_SCALE1))
    full = lambda t: t >= T_FULL
    conns = lambda t: min(300.0, 167 + 20.5 * (workers(t) - 4) + 8 * ramp(t, T_SCALE0, T_FULL))
    rd = {"DBInstanceIdentifier": "billing-mysql"}
    sc.metric("AWS/RDS", "DatabaseConnections", rd, "Count",
              [float(min(301, round(conns(t) + (rng.gauss(0, 3) if conns(t) < 296 else rng.choice((0, 0, 1, -1))))))
               for t in GRID])
    sc.metric("AWS/RDS", "CPUUtilization", rd, "Percent",
              sc.series(lambda t: 34 * diurnal(sc, t, 19, 0.2) + 22 * ramp(t, T_SCALE0, T_SCALE1), noise=0.07))
    sc.metric("AWS/RDS", "FreeableMemory", rd, "Bytes",
              sc.series(lambda t: 5.4e9 - 1.1e9 * ramp(t, T_SCALE0, T_FULL), noise=0.005, digits=0))
    sc.metric("AWS/RDS", "FreeStorageSpace", rd, "Bytes", sc.series(lambda t: 3.12e11, noise=0.0004, digits=0))
    sc.metric("AWS/RDS", "ReadLatency", rd, "Seconds", sc.series(lambda t: 0.0009, noise=0.2, digits=5))
    ad = {"DBInstanceIdentifier": "analytics-pg"}
    sc.metric("AWS/RDS", "CPUUtilization", ad, "Percent", sc.series(lambda t: 12 + bump(t, -12600, -11400, 80), noise=0.1))
    sc.metric("AWS/RDS", "DatabaseConnections", ad, "Count", sc.series(lambda t: 18 + bump(t, -12600, -11400, 30), integer=True))

    req = sc.series(lambda t: 650 * diurnal(sc, t, 19, 0.2), integer=True)
    t5 = [float(max(0, round(r * 0.055 + rng.gauss(0, 3)))) if full(t) else float(rng.random() < 0.05)
          for t, r in zip(GRID, req)]
    _alb(sc, alb, req, sc.series(lambda t: 0.18 + (0.55 if full(t) else 0.03 * ramp(t, T_SCALE0, T_FULL)), noise=0.1),
         t5, [float(rng.random() < 0.03) for _ in GRID], 6)
    _ecs(sc, CL, "billing-web", sc.series(lambda t: 31 * diurnal(sc, t, 19, 0.2), noise=0.08),
         sc.series(lambda t: 48, noise=0.02), [6.0] * len(GRID))
    _ecs(sc, CL, "invoice-worker", sc.series(lambda t: 22 + 40 * ramp(t, T_RUN, T_SCALE0), noise=0.08),
         sc.series(lambda t: 41, noise=0.02), [float(workers(t)) for t in GRID])
    rinv = sc.series(lambda t: 5, integer=True)
    fd = {"FunctionName": "billing-webhook-relay"}
    for name, vals in (("Invocations", rinv), ("Errors", [0.0] * len(GRID)), ("Throttles", [0.0] * len(GRID)),
                       ("Duration", sc.series(lambda t: 310 if t < T_RELAY else 290, noise=0.1))):
        sc.metric("AWS/Lambda", name, fd, "Milliseconds" if name == "Duration" else "Count", vals)

    # ---------------------------------------------------------------- billing-web (Rails)
    web = [sc.hexid(32) for _ in range(6)]
    per_min = dict(zip(GRID, t5))
    paths = [("GET", "/invoices/INV-2026-03-{n}", "InvoicesController#show"),
             ("GET", "/accounts/{n}/invoices", "Accounts::InvoicesController#index"),
             ("POST", "/payments", "PaymentsController#create"),
             ("GET", "/dashboard", "DashboardController#show")]
    for t in range(-10800, 0, 60):
        for tid in web:
            stream = f"ecs/billing-web/{tid}"
            for _ in range(2):
                tt = t + rng.uniform(0, 58)
                m, p, ctl = rng.choice(paths)
                p = p.format(n=rng.randint(10000, 99999))
                rid = sc.uuid()
                ms = rng.randint(40, 160) + (rng.randint(200, 900) if full(tt) else 0)
                sc.log("/ecs/billing-web", stream, tt, rails(sc, tt, "INFO", f'Started {m} "{p}" for {sc.ip("10.40")} at '
                                                            f'{sc.at(tt).strftime("%Y-%m-%d %H:%M:%S")} +0000', rid))
                sc.log("/ecs/billing-web", stream, tt + 0.001, rails(sc, tt + 0.001, "INFO", f"Processing by {ctl} as HTML", rid))
                sc.log("/ecs/billing-web", stream, tt + ms / 1000, rails(
                    sc, tt + ms / 1000, "INFO", f"Completed {302 if m == 'POST' else 200} "
                    f"{'Found' if m == 'POST' else 'OK'} in {ms}ms (Views: {ms * 0.3:.1f}ms | ActiveRecord: "
                    f"{ms * 0.4:.1f}ms | Allocations: {rng.randint(4000, 30000)})", rid))
            if rng.random() < 0.25:  # pre-existing scanner noise (404, not 5xx)
                tt, rid = t + rng.uniform(0, 59), sc.uuid()
                sc.log("/ecs/billing-web", stream, tt, rails(sc, tt, "FATAL", f'ActionController::RoutingError (No route '
                       f'matches [GET] "/{rng.choice(["wp-login.php", ".env", "phpmyadmin/index.php", "xmlrpc.php"])}"):', rid))
        for _ in range(int(per_min.get(t, 0))):
            tt, rid = t + rng.uniform(0, 59), sc.uuid()
            stream = f"ecs/billing-web/{rng.choice(web)}"
            if not full(tt):
                sc.log("/ecs/billing-web", stream, tt, rails(sc, tt, "FATAL", "ActionView::Template::Error (undefined method "
                       "`strftime' for nil):\n  app/views/invoices/_summary.html.erb:14", rid))
                continue
            m, p, ctl = rng.choice(paths)
            p = p.format(n=rng.randint(10000, 99999))
            sc.log("/ecs/billing-web", stream, tt, rails(sc, tt, "INFO", f'Started {m} "{p}" for {sc.ip("10.40")} at '
                                                        f'{sc.at(tt).strftime("%Y-%m-%d %H:%M:%S")} +0000', rid))
            sc.log("/ecs/billing-web", stream, tt + 0.002, rails(
                sc, tt + 0.002, "FATAL", "ActiveRecord::ConnectionNotEstablished (Too many connections):\n"
                f"[{rid}]   \n[{rid}] activerecord (7.1.3.2) lib/active_record/connection_adapters/mysql2_adapter.rb:"
                f"44:in `rescue in new_client'\n[{rid}] app/controllers/{ctl.split('#')[0].lower().replace('::', '/')}"
                f".rb:12:in `{ctl.split('#')[1]}'", rid))
            sc.log("/ecs/billing-web", stream, tt + 0.003, rails(sc, tt + 0.003, "INFO", "Completed 500 Internal Server "
                   "Error in 9ms (ActiveRecord: 0.0ms | Allocations: 1873)", rid))

    # ---------------------------------------------------------------- invoice-worker (Sidekiq)
    def sk(tt, tid, level, msg, job=None, el=None):
        kv = f"pid=1 tid={tid}" + (f" class=InvoiceRenderJob jid={job}" if job else "")
        kv += f" elapsed={el:.3f}" if el is not None else ""
        return f"{sc.iso(tt)} {kv} {level}: {msg}"
    wk = [(sc.hexid(32), -10800 if i < 4 else T_SCALE0 + (i - 4) * 100 + rng.uniform(0, 40)) for i in range(10)]
    for i, (tid, start) in enumerate(wk):
        stream = f"ecs/invoice-worker/{tid}"
        if start > -10800:
            sc.log("/ecs/invoice-worker", stream, start, sk(start, "ohx", "INFO", "Booted Rails 7.1.3.2 application in production environment"))
            sc.log("/ecs/invoice-worker", stream, start + 0.4, sk(start + 0.4, "ohx", "INFO",
                   "Sidekiq 7.2.4 connecting to Redis with options {:size=>25, :pool_name=>\"internal\", :url=>\"redis://billing-redis.internal:6379/0\"}"))
            sc.log("/ecs/invoice-worker", stream, start + 0.5, sk(start + 0.5, "ohx", "INFO", "Starting processing, hit Ctrl-C to stop"))
        t = max(start + 1, -10800)
        while t < 0:
            busy = t >= T_RUN
            for _ in range(rng.randint(2, 4) if busy else rng.randint(0, 1)):
                tt, job, th = t + rng.uniform(0, 58), sc.hexid(24), sc.hexid(4)[:4]
                sc.log("/ecs/invoice-worker", stream, tt, sk(tt, th, "INFO", "start", job))
                if full(tt) and rng.random() < 0.4:
                    sc.log("/ecs/invoice-worker", stream, tt + 0.01, sk(tt + 0.01, th, "INFO", "fail", job, 0.011))
                    sc.log("/ecs/invoice-worker", stream, tt + 0.012, sk(tt + 0.012, th, "WARN",
                           "ActiveRecord::ConnectionNotEstablished: Too many connections\n/app/app/jobs/invoice_render_job.rb:18:in `perform'"))
                else:
                    el = rng.uniform(0.8, 3.2)
                    sc.log("/ecs/invoice-worker", stream, tt + el, sk(tt + el, th, "INFO", "done", job, el))
            t += 60
    sc.log("/ecs/invoice-worker", f"ecs/invoice-worker/{wk[0][0]}", T_RUN,
           sk(T_RUN, "b3k", "INFO", "MonthEndInvoiceRun enqueued 48213 InvoiceRenderJob for period 2026-03"))

    # ---------------------------------------------------------------- MySQL error log
    for t in range(-21600, 0, 60):
        if rng.random() < 0.6:
            tt = t + rng.uniform(0, 59)
            sc.log("/aws/rds/instance/billing-mysql/error", "billing-mysql", tt, mysql(
                sc, tt, rng.randint(400000, 900000), "Note", "MY-010914",
                f"Aborted connection {rng.randint(400000, 900000)} to db: 'billing' user: 'billing_app' host: "
                f"'{sc.ip('10.40')}' (Got an error reading communication packets)."))

    rl = LambdaLogs(sc, "billing-webhook-relay", "ruby3.3", 256, 30, mem_used=(88, 4), retire=[T_RELAY])

    def relay(ll, t, reqid, is_err, cold):
        dur = rng.gauss(310 if t < T_RELAY else 290, 30)
        return {"dur": dur, "lines": [(dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "INFO",
                f"relayed stripe event evt_{sc.hexid(24)} to billing-web (204)"))]}
    rl.run({t: v for t, v in zip(GRID, rinv) if t >= -10800}, {}, relay)

    sc.change(T_RELAY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "billing-webhook-relay", "ci-deployer")
    sc.alarm("billing-web-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb},
             "Sum", 60, 3, 15, "GreaterThanThreshold", "Billing portal 5xx")
    sc.alarm("analytics-pg-cpu", "AWS/RDS", "CPUUtilization", ad, "Average", 300, 2, 85, "GreaterThanThreshold")
    sc.expect = {"alarm": "billing-web-alb-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": ["billing-mysql"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": rd}]}
    sc.meta = {
        "alarm_on": "front (ALB billing-web-alb); origin is the RDS instance",
        "decoys": "billing-webhook-relay deploy 30 s before onset; analytics-pg CPU spike with an alarm "
                  "about 3 h earlier; pre-existing FATAL RoutingError scanner noise; rare pre-existing template 500s",
        "story": "At -2820 s the month-end run enqueues 48k InvoiceRenderJobs; invoice-worker autoscales "
                 "from 4 to 10 tasks and each Sidekiq process opens its own ~20 connections. "
                 "billing-mysql's DatabaseConnections climbs from ~167 to its max_connections of 300 "
                 "at -1980 s and stays pinned; from then on billing-web requests and worker jobs fail "
                 "with `ActiveRecord::ConnectionNotEstablished (Too many connections)`. CPU (about 60 %), "
                 "memory, storage and latency of the database are fine. The relay Lambda deploy just "
                 "before onset does not touch the database path and stays clean. Connections at the "
                 "limit with 'too many connections' errors is db_connection_exhaustion on billing-mysql.",
    }
    return sc


# =========================================================================== h57-14
T_IO, T_IMPORTER = -1620, -1680
CAT = "catalog"


def build_catalog() -> Scenario:
    sc = Scenario(14, "catalog-pg-io-stall", "Product pages timing out; catalog ALB 5XX alarm in ALARM.",
                  "ap-northeast-2", 5714, "2026-08-05T05:40:00+00:00")
    rng = sc.rng
    alb = "app/catalog-alb/1a2b3c4d5e6f7081"
    host = "catalog-pg.cx8h2k1mq3.ap-northeast-2.rds.amazonaws.com"
    sc.resource("rds", "catalog-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
                max_connections=3412, allocated_storage_gb=400, storage_type="gp3", iops=12000, multi_az=False)
    sc.resource("ecs", f"{CAT}/catalog-api", cluster=CAT, service="catalog-api", launch_type="FARGATE",
                desired_count=8, runtime="go1.22", db_pool_max_conns=30, load_balancer=alb,
                log_groups=["/ecs/catalog-api"])
    sc.resource("ecs", f"{CAT}/catalog-importer", cluster=CAT, service="catalog-importer", desired_count=1,
                launch_type="FARGATE", log_groups=["/ecs/catalog-importer"])
    sc.resource("alb", alb, name="catalog-alb")
    io = lambda t: ramp(t, T_IO, T_IO + 120)
    rd = {"DBInstanceIdentifier": "catalog-pg"}
    sc.metric("AWS/RDS", "ReadLatency", rd, "Seconds", sc.series(lambda t: 0.0008 + 0.95 * io(t), noise=0.18, digits=5))
    sc.metric("AWS/RDS", "WriteLatency", rd, "Seconds", sc.series(lambda t: 0.0015 + 1.2 * io(t), noise=0.18, digits=5))
    sc.metric("AWS/RDS", "DiskQueueDepth", rd, "Count", sc.series(lambda t: 1.3 + 62 * io(t), noise=0.12))
    sc.metric("AWS/RDS", "ReadIOPS", rd, "Count/Second", sc.series(lambda t: 2800 - 2560 * io(t), noise=0.08))
    sc.metric("AWS/RDS", "WriteIOPS", rd, "Count/Second", sc.series(lambda t: 910 - 800 * io(t), noise=0.08))
    sc.metric("AWS/RDS", "CPUUtilization", rd, "Percent", sc.series(lambda t: 24 - 13 * io(t), noise=0.08))
    sc.metric("AWS/RDS", "DatabaseConnections", rd, "Count", sc.series(lambda t: 152 + 84 * io(t), integer=True))
    sc.metric("AWS/RDS", "FreeStorageSpace", rd, "Bytes", sc.series(lambda t: 2.153e11, noise=0.0003, digits=0))
    sc.metric("AWS/RDS", "FreeableMemory", rd, "Bytes", sc.series(lambda t: 9.8e9, noise=0.004, digits=0))
    req = sc.series(lambda t: 2400 * diurnal(sc, t, 5, 0.25), integer=True)
    t5 = [float(max(0, round(r * 0.35 * io(t) + rng.gauss(0, 4) * io(t)))) + float(rng.random() < 0.2)
          for t, r in zip(GRID, req)]
    _alb(sc, alb, req, sc.series(lambda t: 0.035 + 2.6 * io(t), noise=0.1), t5,
         [float(max(0, round(rng.gauss(2, 1.5) * io(t)))) for t in GRID], 8)
    _ecs(sc, CAT, "catalog-api", sc.series(lambda t: 28 - 15 * io(t), noise=0.08),
         sc.series(lambda t: 37, noise=0.02), [8.0] * len(GRID))
    _ecs(sc, CAT, "catalog-importer", sc.series(lambda t: 6 + bump(t, -10200, -9300, 88), noise=0.1),
         sc.series(lambda t: 30 + bump(t, -10200, -9300, 25), noise=0.02), [1.0] * len(GRID))

    grp, stream = "/aws/rds/instance/catalog-pg/postgresql", "catalog-pg.0"
    for t in range(-21600, 0, 300):
        tt = t + 31.0
        slow = io(tt + 270) > 0.5
        sc.log(grp, stream, tt, pg(sc, tt, "LOG", "checkpoint starting: time", pid=402))
        sync, longest = (rng.uniform(30, 55), rng.uniform(9, 21)) if slow else (rng.uniform(0.01, 0.09), 0.004)
        sc.log(grp, stream, tt + 269.8 + sync, pg(sc, tt + 269.8 + sync, "LOG",
               f"checkpoint complete: wrote {rng.randint(3000, 5200)} buffers (0.{rng.randint(5, 9)}%); 0 WAL file(s) added, "
               f"0 removed, {rng.randint(1, 3)} recycled; write=269.{rng.randint(100, 999)} s, sync={sync:.3f} s, "
               f"total={269.8 + sync:.3f} s; sync files={rng.randint(60, 110)}, longest={longest:.3f} s, "
               f"average={longest / 9:.3f} s; distance={rng.randint(30000, 36000)} kB, estimate={rng.randint(34000, 37000)} kB", pid=402))
    q = ("SELECT p.id, p.sku, p.title, p.price_minor, p.currency FROM products p WHERE p.category_id = $1 "
         "AND p.active ORDER BY p.rank LIMIT 48")
    for t in range(-21600, 0, 60):
        n = 1 if rng.random() < 0.08 else 0
        if io(t) > 0.5:
            n = rng.randint(6, 12)
        for _ in range(n):
            tt, c = t + rng.uniform(0, 59), f"{sc.ip('10.52')}({rng.randint(40000, 60000)})"
            if io(tt) > 0.5 and rng.random() < 0.55:
                pid = rng.randint(3000, 32000)
                sc.log(grp, stream, tt, pg(sc, tt, "ERROR", "canceling statement due to statement timeout",
                                           client=c, user="catalog", db="catalog", pid=pid))
                sc.log(grp, stream, tt + 0.0001, pg(sc, tt, "STATEMENT", q, client=c, user="catalog", db="catalog",
                                                    pid=pid))
            else:
                ms = rng.uniform(1100, 2900) if io(tt) > 0.5 else rng.uniform(1000, 1400)
                what = q if io(tt) > 0.5 else "SELECT count(*) FROM products p JOIN price_history h ON h.product_id = p.id WHERE h.valid_from > $1"
                sc.log(grp, stream, tt, pg(sc, tt, "LOG", f"duration: {ms:.3f} ms  execute <unnamed>: {what}",
                                           client=c, user="catalog" if io(tt) > 0.5 else "reporting", db="catalog"))

    tasks = [sc.hexid(32) for _ in range(8)]
    err_min = dict(zip(GRID, t5))
    for t in range(-10800, 0, 60):
        for tid in tasks:
            st = f"ecs/catalog-api/{tid}"
            for _ in range(2):
                tt = t + rng.uniform(0, 59)
                slow = io(tt) > 0.5
                dur = rng.randint(900, 2900) if slow else rng.randint(4, 40)
                sc.log("/ecs/catalog-api", st, tt, jline({"level": "info", "time": sc.iso(tt), "request_id": sc.hexid(20),
                       "method": "GET", "path": f"/v2/products/SKU-{rng.randint(100000, 999999)}", "status": 200,
                       "dur_ms": dur, "cache": "miss" if slow or rng.random() < 0.5 else "hit", "msg": "request"}))
            if rng.random() < 0.7:
                tt = t + rng.uniform(0, 59)
                sc.log("/ecs/catalog-api", st, tt, jline({"level": "error", "time": sc.iso(tt),
                       "error": "operation error S3: GetObject, https response error StatusCode: 404, NoSuchKey",
                       "sku": f"SKU-{rng.randint(100000, 999999)}", "variant": "w640", "msg": "image variant missing"}))
        for _ in range(min(40, int(err_min.get(t, 0)) // 20 + (1 if err_min.get(t, 0) else 0))):
            tt, st = t + rng.uniform(0, 59), f"ecs/catalog-api/{rng.choice(tasks)}"
            err = rng.choice(["ERROR: canceling statement due to statement timeout (SQLSTATE 57014)",
                              "ERROR: canceling statement due to statement timeout (SQLSTATE 57014)",
                              f"failed to connect to `host={host} user=catalog database=catalog`: "
                              "dial error (timeout: context deadline exceeded)"])
            sc.log("/ecs/catalog-api", st, tt, jline({"level": "error", "time": sc.iso(tt), "request_id": sc.hexid(20),
                   "method": "GET", "path": f"/v2/categories/{rng.randint(100, 999)}/products", "status": 504,
                   "dur_ms": rng.randint(3000, 3012), "error": err, "msg": "query failed"}))
    old_imp = f"ecs/catalog-importer/{sc.hexid(32)}"
    for t in range(-10800, T_IMPORTER, 1800):
        tt = t + rng.uniform(0, 30)
        sc.log("/ecs/catalog-importer", old_imp, tt, jline({"level": "info", "time": sc.iso(tt), "msg": "feed pull done",
               "feed": "supplier-jp", "rows": rng.randint(800, 4000), "upserted": rng.randint(10, 300)}))
    sc.log("/ecs/catalog-importer", old_imp, T_IMPORTER + 75, jline({"level": "info", "time": sc.iso(T_IMPORTER + 75),
           "msg": "received SIGTERM, shutting down"}))
    imp = f"ecs/catalog-importer/{sc.hexid(32)}"
    for k, msg in enumerate(["catalog-importer v1.19.2 starting", "connected to catalog-pg (pool max=4)",
                             "next feed pull scheduled at " + sc.at(1800).strftime("%H:%M:%S")]):
        sc.log("/ecs/catalog-importer", imp, T_IMPORTER + 70 + k, jline({"level": "info", "time": sc.iso(T_IMPORTER + 70 + k), "msg": msg}))
    sc.change(T_IMPORTER - 10, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "catalog-importer:41", "ci-deployer")
    sc.change(T_IMPORTER, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CAT}/catalog-importer", "ci-deployer")
    sc.alarm("catalog-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum",
             60, 3, 50, "GreaterThanThreshold", "Catalog API 5xx")
    sc.alarm("catalog-pg-read-latency", "AWS/RDS", "ReadLatency", rd, "Average", 60, 5, 0.05, "GreaterThanThreshold")
    sc.expect = {"alarm": "catalog-alb-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": ["catalog-pg"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "ReadLatency", "dimensions": rd}]}
    sc.meta = {
        "alarm_on": "front (ALB catalog-alb); origin is the RDS instance",
        "decoys": "catalog-importer task-definition deploy 60 s before onset; importer CPU spike 2.5 h "
                  "earlier; loud pre-existing S3 NoSuchKey error; DatabaseConnections rises (but to 7 % of "
                  "max_connections); a second alarm on the database's read latency",
        "story": "At -1620 s catalog-pg's storage stalls: Read/WriteLatency jump from ~1 ms to ~1 s, "
                 "DiskQueueDepth to ~60 while IOPS collapse, checkpoints report sync times of 30-55 s, "
                 "and queries hit the statement timeout. CPU falls, storage is 54 % free and connections "
                 "(about 236) are nowhere near max_connections (3412): the database is slow, not "
                 "exhausted. catalog-api returns 504 with `canceling statement due to statement "
                 "timeout` / connect timeouts. The catalog-importer deploy a minute before only runs a "
                 "feed puller with a 4-connection pool. Timeouts from a downstream database that is not "
                 "itself exhausted are dependency_failure, originating in catalog-pg.",
    }
    return sc


BUILDERS = [build_billing, build_catalog]
