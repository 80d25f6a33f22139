"""Scenarios 01-04: one-task memory leak, MySQL disk slow burn, one-of-four EC2 disk full, night deploy."""
from __future__ import annotations

from .common import Scn, diurnal, noisy, pois, ramp


def s01() -> Scn:
    s = Scn(1, "cart-5xx-one-task-heap", "eu-west-1",
            "Retail ALB target 5XX alarm; roughly a quarter of cart requests failing.", "2026-11-20T15:20:00")
    r = s.rng
    alb, svc, other = "app/retail-alb/7f3c9a1d2e4b5c60", "retail-prod/cart-svc", "retail-prod/recs-svc"
    s.resource("alb", alb, name="retail-alb", scheme="internet-facing")
    s.resource("ecs", svc, cluster="retail-prod", service="cart-svc", launch_type="FARGATE", desired_count=4,
               cpu=1024, memory=2048, runtime="java17 (Spring Boot 3.2)", log_group="/ecs/cart-svc")
    s.resource("ecs", other, cluster="retail-prod", service="recs-svc", launch_type="FARGATE", desired_count=2,
               cpu=512, memory=1024, log_group="/ecs/recs-svc")
    tasks = [s.hexid(32) for _ in range(4)]
    leaky = tasks[2]
    onset = -3000  # heap exhausted on the leaky task

    def task_mem(tid, t):
        if tid != leaky:
            return noisy(r, 1040, 0.03)
        return min(2046, noisy(r, ramp(t, -19800, onset, 1060, 2046), 0.01))
    for tid in tasks:
        s.metric("ECS/ContainerInsights", "MemoryUtilized",
                 {"ClusterName": "retail-prod", "ServiceName": "cart-svc", "TaskId": tid}, "Megabytes",
                 lambda t, tid=tid: task_mem(tid, t))
    s.metric("AWS/ECS", "MemoryUtilization", {"ClusterName": "retail-prod", "ServiceName": "cart-svc"}, "Percent",
             lambda t: (3 * noisy(r, 50.5, 0.03) + min(99.9, ramp(t, -19800, onset, 51, 99.9))) / 4)
    s.metric("AWS/ECS", "CPUUtilization", {"ClusterName": "retail-prod", "ServiceName": "cart-svc"}, "Percent",
             lambda t: noisy(r, 31 + (14 if t >= onset else ramp(t, -7200, onset, 0, 6)), 0.08))
    s.metric("AWS/ECS", "MemoryUtilization", {"ClusterName": "retail-prod", "ServiceName": "recs-svc"}, "Percent",
             lambda t: noisy(r, 38, 0.04))
    s.metric("AWS/ECS", "CPUUtilization", {"ClusterName": "retail-prod", "ServiceName": "recs-svc"}, "Percent",
             lambda t: noisy(r, 22 if t < -7800 else 26, 0.1))
    req = s.counts(lambda t: diurnal(t, s.now_hour, 300, 950))
    err = [pois(r, n * (0.23 if t >= onset else 0.0008)) for n, t in zip(req, s.minutes)]
    s.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count", err)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb}, "Count",
             lambda t: pois(r, 3 if t >= onset else 0.02))
    s.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds",
             lambda t: noisy(r, 0.085 if t < onset else 0.94, 0.12))
    s.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": alb}, "Count", lambda t: 6)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": alb}, "Count", lambda t: 0)

    def spring(t, lvl, thread, logger, msg):
        return (t, f"{s.clock(t)}  {lvl:>5} 1 --- [cart-svc] [{thread}] {logger:<40} : {msg}")
    cache = 120000
    for tid in tasks:
        ev = []
        t = -10800.0
        while t < -1:
            t += r.uniform(4, 9)
            th = f"nio-8080-exec-{r.randint(1, 40)}"
            cart = f"c_{s.hexid(10)}"
            if tid == leaky and t >= onset and r.random() < 0.9:
                ev.append(spring(t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                 "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                                 "exception [Handler dispatch failed: java.lang.OutOfMemoryError: Java heap space] "
                                 "with root cause\njava.lang.OutOfMemoryError: Java heap space\n"
                                 "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n"
                                 "\tat java.base/java.util.HashMap.resize(HashMap.java:702)\n"
                                 "\tat com.retail.cart.session.CartSessionCache.put(CartSessionCache.java:88)\n"
                                 "\tat com.retail.cart.web.CartController.addItem(CartController.java:61)"))
                continue
            ev.append(spring(t, "INFO", th, "c.r.cart.web.CartController",
                             f"POST /cart/{cart}/items sku=SKU-{r.randint(10000, 99999)} qty={r.randint(1, 3)} "
                             f"status=200 took={r.randint(18, 95)}ms"))
            if r.random() < 0.01:
                ev.append(spring(t + 0.2, "WARN", "lettuce-eventExecutorLoop-1-3", "i.l.core.protocol.ConnectionWatchdog",
                                 "Reconnecting, last destination was cart-redis.x1b2.ng.0001.euw1.cache.amazonaws.com:6379"))
        k = -10800
        while k < 0:
            if tid == leaky:
                used = int(ramp(k, -19800, onset, 1000, 2040))
                cache += r.randint(5000, 9000)
                ev.append(spring(k + 0.5, "INFO", "scheduling-1", "c.r.cart.session.CartSessionCache",
                                 f"session cache stats entries={cache} evictions=0 hitRatio=0.{r.randint(80, 95)}"))
                if used > 1700:
                    ev.append((k + 1.0, f"[{s.iso(k + 1)}][info][gc] GC({int(9000 + k / 10)}) Pause Full (G1 Compaction "
                                        f"Pause) {used}M->{used - r.randint(2, 9)}M(2048M) {r.randint(900, 3900)}.{r.randint(100, 999)}ms"))
            else:
                ev.append(spring(k + 0.5, "INFO", "scheduling-1", "c.r.cart.session.CartSessionCache",
                                 f"session cache stats entries={r.randint(30000, 36000)} evictions={r.randint(800, 2000)} "
                                 f"hitRatio=0.{r.randint(80, 95)}"))
            k += 300
        s.log("/ecs/cart-svc", f"cart/cart-svc/{tid}", ev)
    ev = []
    t = -10800.0
    while t < -1:
        t += r.uniform(20, 40)
        ev.append((t, f'{{"ts":"{s.iso(t)}","level":"info","logger":"recs.api","msg":"served recommendations",'
                      f'"items":{r.randint(4, 12)},"ms":{r.randint(9, 40)}}}'))
    s.log("/ecs/recs-svc", f"recs/recs-svc/{s.hexid(32)}", ev)
    s.change(-7800, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "recs-svc:58", "github-actions")
    s.change(-7780, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", other, "github-actions")
    s.change(-16200, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
             "retail-alb", "netops-admin")
    s.alarm("retail-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum",
            60, 3, 50, "GreaterThanThreshold", "ALARM", "auto", "Retail ALB target 5XX")
    s.expect("retail-alb-target-5xx", "memory_exhaustion", [svc, "cart-svc"],
             [{"namespace": "ECS/ContainerInsights", "name": "MemoryUtilized",
               "dimensions": {"ClusterName": "retail-prod", "ServiceName": "cart-svc", "TaskId": leaky}}])
    return s


def s02() -> Scn:
    s = Scn(2, "ingest-errors-mysql-disk-full", "us-west-2",
            "telemetry-ingest Lambda errors alarm; device telemetry not landing.", "2026-11-20T11:05:00", hours=7)
    r = s.rng
    db, fn, dec = "telemetry-mysql", "telemetry-ingest", "telemetry-rollup"
    s.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
               allocated_storage_gb=200, max_connections=1000, multi_az=True)
    s.resource("lambda", fn, runtime="python3.11", timeout=30, memory_size=512)
    s.resource("lambda", dec, runtime="python3.11", timeout=300, memory_size=1024)
    full = -2100
    gb = 1e9
    s.metric("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Bytes",
             lambda t: max(0.21 * gb, noisy(r, ramp(t, -25200, full, 41.5 * gb, 0.21 * gb), 0.002)), nd=0)
    s.metric("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Percent",
             lambda t: noisy(r, 24 + (9 if -24000 < t < full else 0), 0.08))
    s.metric("AWS/RDS", "WriteIOPS", {"DBInstanceIdentifier": db}, "Count/Second",
             lambda t: noisy(r, 640 if -24000 < t < full else 310 if t < -24000 else 120, 0.1))
    s.metric("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Count", lambda t: pois(r, 34))
    s.metric("AWS/RDS", "FreeableMemory", {"DBInstanceIdentifier": db}, "Bytes", lambda t: noisy(r, 5.1 * gb, 0.02), nd=0)
    inv = s.counts(lambda t: 28)
    err = [pois(r, n * 0.96) if t >= full else (1 if r.random() < 0.01 else 0) for n, t in zip(inv, s.minutes)]
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count", inv)
    s.metric("AWS/Lambda", "Throttles", {"FunctionName": fn}, "Count", lambda t: 0)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds",
             lambda t: noisy(r, 180 if t < full else 95, 0.1))
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": dec}, "Count", lambda t: 1 if int(t) % 300 == 0 else 0)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": dec}, "Count", lambda t: 0)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": dec}, "Milliseconds",
             lambda t: noisy(r, 41000 if t < -3300 else 36000, 0.1) if int(t) % 300 == 0 else None)
    host = f"{db}.cq1x8zt4k2.us-west-2.rds.amazonaws.com"

    def ingest(t, rid):
        dev = f"dev-{r.randint(100000, 999999)}"
        lines = [(0.01, "INFO", f"received batch device={dev} samples={r.randint(40, 400)}")]
        if r.random() < 0.02:
            lines.append((0.02, "WARNING", f"dropping sample with future timestamp device={dev} skew={r.randint(61, 900)}s"))
        if t >= full and r.random() < 0.96:
            lines.append((0.07, "ERROR", "[ERROR] OperationalError: (1114, \"The table 'events_raw' is full\")\n"
                          "Traceback (most recent call last):\n  File \"/var/task/handler.py\", line 58, in lambda_handler\n"
                          "    writer.insert_batch(rows)\n  File \"/var/task/ingest/writer.py\", line 41, in insert_batch\n"
                          "    cur.executemany(INSERT_SQL, rows)\n  File \"/opt/python/pymysql/cursors.py\", line 182, in executemany\n"
                          "    self.rowcount = sum(self.execute(query, arg) for arg in args)\n"
                          "pymysql.err.OperationalError: (1114, \"The table 'events_raw' is full\")"))
            return lines, noisy(r, 95, 0.2), 141, False
        lines.append((0.15, "INFO", f"inserted rows={r.randint(40, 400)} into events_raw host={host}"))
        return lines, noisy(r, 180, 0.15), 146, False
    logged = s.lambda_logs(fn, 512, "python3.11", inv, ingest, log_from=-6600, epochs=(-9000,))
    s.metric("AWS/Lambda", "Errors", {"FunctionName": fn}, "Count", s.merge(logged, err))
    ev = []
    for k in range(-25200, 0, 600):
        ev.append((k + 3, f"{s.iso(k + 3)[:-1]}000Z 0 [Note] [MY-011953] [InnoDB] Page cleaner took {r.randint(4100, 6900)}ms to "
                          f"flush {r.randint(900, 2000)} and evict 0 pages"))
    for k in range(full - 300, 0, 20):
        t = k + r.uniform(0, 19)
        ev.append((t, f"{s.iso(t)[:-1]}000Z {r.randint(30, 90)} [ERROR] [MY-013132] [Server] The table 'events_raw' is full!"))
        if r.random() < 0.2:
            ev.append((t + 0.3, f"{s.iso(t)[:-1]}000Z 0 [ERROR] [MY-012639] [InnoDB] Write to file ./telemetry/#sql-ib1288-2710938826.ibd "
                                f"failed at offset {r.randint(10**10, 10**11)}, 1048576 bytes should have been written, only 0 were "
                                "written. Operating system error number 28. Check that your OS and file system support files of "
                                "this size. Check also that the disk is not full or a disk quota exceeded."))
        if r.random() < 0.05:
            ev.append((t + 0.5, f"{s.iso(t)[:-1]}000Z 12 [ERROR] [MY-000035] [Server] Disk is full writing "
                                "'/rdsdbdata/log/binlog/mysql-bin-changelog.004113' (OS errno 28 - No space left on device). "
                                "Waiting for someone to free space... Retry in 60 secs."))
    s.log(f"/aws/rds/instance/{db}/error", f"{db}", ev)
    s.change(-3300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", dec, "ci-deployer")
    s.change(-22800, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "analytics-pg15",
             "dba-oncall")
    s.alarm("telemetry-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
            "GreaterThanThreshold", "ALARM", "auto", "telemetry-ingest Lambda errors")
    s.expect("telemetry-ingest-errors", "storage_exhaustion", [db],
             [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": db}}])
    return s


def s03() -> Scn:
    s = Scn(3, "shop-5xx-one-host-disk-full", "us-east-2",
            "shop-web ALB 5XX alarm; some shoppers get error pages on upload and checkout.", "2026-11-20T19:40:00")
    r = s.rng
    alb = "app/shop-web/1b2c3d4e5f607182"
    ids = ["i-04a1c9e2d3b5f6071", "i-0b7d2e3f4a5c6d708", "i-0c3e9f1a2b4d5e6f7", "i-0e5f6a7b8c9d0e1f2"]
    names = ["web-1", "web-2", "web-3", "web-4"]
    batch = "i-09f8e7d6c5b4a3921"
    bad = ids[2]
    full = -1500
    s.resource("alb", alb, name="shop-web", scheme="internet-facing")
    for i, n in zip(ids, names):
        s.resource("ec2", i, name=n, instance_type="m6i.large", availability_zone=f"us-east-2{'abca'[ids.index(i)]}",
                   log_groups=["/shop/nginx/error", "/shop/app/production"])
    s.resource("ec2", batch, name="shop-batch-1", instance_type="c6i.xlarge")
    for i in ids:
        s.metric("CWAgent", "disk_used_percent", {"InstanceId": i, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"},
                 "Percent", lambda t, i=i: min(100.0, noisy(r, ramp(t, -21600, full, 62, 100), 0.002)) if i == bad
                 else noisy(r, 58 + ids.index(i), 0.005))
        s.metric("AWS/EC2", "CPUUtilization", {"InstanceId": i}, "Percent", lambda t: noisy(r, 34, 0.12))
        s.metric("CWAgent", "mem_used_percent", {"InstanceId": i}, "Percent", lambda t: noisy(r, 57, 0.03))
        s.metric("AWS/EC2", "StatusCheckFailed", {"InstanceId": i}, "Count", lambda t: 0)
    s.metric("AWS/EC2", "CPUUtilization", {"InstanceId": batch}, "Percent",
             lambda t: noisy(r, 94 if -5700 < t < -3900 else 12, 0.05, hi=100))
    req = s.counts(lambda t: diurnal(t, s.now_hour, 200, 1400))
    e5 = [pois(r, n * (0.21 if t >= full else 0.0005)) for n, t in zip(req, s.minutes)]
    s.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count", e5)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", {"LoadBalancer": alb}, "Count", [pois(r, n * 0.03) for n in req])
    s.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds", lambda t: noisy(r, 0.16, 0.1))
    s.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": alb}, "Count", lambda t: 4)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": alb}, "Count", lambda t: 0)
    paths = ["/products/%d", "/cart", "/checkout", "/account/avatar", "/search?q=boots", "/products/%d/reviews"]
    for i, n in zip(ids, names):
        app, ngx = [], []
        t = -10800.0
        while t < -1:
            t += r.uniform(3, 7)
            p = r.choice(paths)
            p = p % r.randint(1000, 9999) if "%d" in p else p
            pid = r.randint(10, 40)
            rq = s.rid()
            ts = s.wall(t).strftime("%Y-%m-%dT%H:%M:%S.%f")
            if i == bad and t >= full and r.random() < 0.85:
                app.append((t, f"E, [{ts} #{pid}] ERROR -- : [{rq}] Errno::ENOSPC (No space left on device @ rb_sysopen - "
                               f"/tmp/RackMultipart20261120-{pid}-{s.hexid(6)}):\n  rack (3.0.9) lib/rack/multipart/parser.rb:"
                               "223:in `initialize'\n  rack (3.0.9) lib/rack/multipart/parser.rb:223:in `open'\n  "
                               "app/middleware/request_store.rb:14:in `call'"))
                app.append((t + 0.01, f"I, [{ts} #{pid}]  INFO -- : [{rq}] Completed 500 Internal Server Error in {r.randint(2, 12)}ms"))
                if r.random() < 0.3:
                    ngx.append((t, f"{s.wall(t).strftime('%Y/%m/%d %H:%M:%S')} [crit] 2211#2211: *{r.randint(10**5, 10**6)} "
                                   f"pwrite() \"/var/lib/nginx/tmp/client_body/00000{r.randint(10000, 99999)}\" failed "
                                   f"(28: No space left on device), client: {s.ip()}, server: shop, request: \"POST {p} HTTP/1.1\""))
                continue
            app.append((t, f"I, [{ts} #{pid}]  INFO -- : [{rq}] Started GET \"{p}\" for {s.ip()}"))
            app.append((t + 0.05, f"I, [{ts} #{pid}]  INFO -- : [{rq}] Completed 200 OK in {r.randint(20, 180)}ms "
                                  f"(Views: {r.randint(5, 40)}.1ms | ActiveRecord: {r.randint(2, 30)}.4ms)"))
            if r.random() < 0.02:
                ngx.append((t, f"{s.wall(t).strftime('%Y/%m/%d %H:%M:%S')} [error] 2211#2211: *{r.randint(10**5, 10**6)} open() "
                               f"\"/srv/shop/public/favicon-32x32.png\" failed (2: No such file or directory), client: {s.ip()}"))
        if i == bad:
            for k in range(-21600, full, 1800):
                ngx.append((k + 7, f"{s.wall(k + 7).strftime('%Y/%m/%d %H:%M:%S')} [warn] 2211#2211: *{r.randint(10**5, 10**6)} a client "
                                   "request body is buffered to a temporary file /var/lib/nginx/tmp/client_body/0000001"
                                   f"{r.randint(100, 999)}"))
        s.log("/shop/app/production", i, app)
        s.log("/shop/nginx/error", i, ngx)
    s.change(-2400, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0bastion7c1d2e3f4",
             "netops-admin")
    s.change(-6000, "ec2.amazonaws.com", "StartInstances", "AWS::EC2::Instance", batch, "scheduler")
    s.alarm("shop-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 2,
            25, "GreaterThanThreshold", "ALARM", "auto", "shop-web 5XX from targets")
    s.alarm("shop-batch-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": batch}, "Average", 300, 2, 85,
            "GreaterThanThreshold", "OK", -3780, "batch host CPU")
    s.expect("shop-web-target-5xx", "storage_exhaustion", [bad, "web-3"],
             [{"namespace": "CWAgent", "name": "disk_used_percent",
               "dimensions": {"InstanceId": bad, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"}}])
    return s


def s04() -> Scn:
    s = Scn(4, "webhook-night-deploy-typeerror", "eu-central-1",
            "payments-webhook errors alarm at 03:25; night traffic only.", "2026-11-20T03:25:00", hours=7)
    r = s.rng
    fn, dec = "payments-webhook", "payments-reconcile"
    s.resource("lambda", fn, runtime="nodejs20.x", timeout=15, memory_size=256)
    s.resource("lambda", dec, runtime="nodejs20.x", timeout=120, memory_size=512)
    s.resource("apigateway", "payments-hooks", stage="live")
    dep = -2760
    inv = s.counts(lambda t: diurnal(t, s.now_hour, 2.2, 30))
    kinds = [("payment_intent.succeeded", 0.55), ("charge.refunded", 0.15), ("invoice.paid", 0.2), ("customer.updated", 0.1)]

    def pick():
        x, acc = r.random(), 0.0
        for k, w in kinds:
            acc += w
            if x < acc:
                return k
        return kinds[-1][0]

    def hook(t, rid):
        kind = pick()
        evid = f"evt_{s.hexid(24)}"
        lines = [(0.004, "INFO", f"received {kind} {evid} livemode=true")]
        if r.random() < 0.012:
            lines.append((0.01, "ERROR", "Invoke Error \t{\"errorType\":\"StripeSignatureVerificationError\",\"errorMessage\":"
                          "\"No signatures found matching the expected signature for payload. Are you passing the raw request "
                          "body you received from Stripe?\",\"stack\":[\"StripeSignatureVerificationError: No signatures found\","
                          "\"    at Object.verifyHeader (/var/task/node_modules/stripe/cjs/Webhooks.js:115:19)\"]}"))
            return lines, noisy(r, 40, 0.2), 88, False
        if t >= dep and kind == "payment_intent.succeeded":
            lines.append((0.02, "ERROR", "Invoke Error \t{\"errorType\":\"TypeError\",\"errorMessage\":\"Cannot read properties of "
                          "undefined (reading 'amount_received')\",\"stack\":[\"TypeError: Cannot read properties of undefined "
                          "(reading 'amount_received')\",\"    at toLedgerEntry (/var/task/dist/mappers/paymentIntent.js:23:41)\","
                          "\"    at handleEvent (/var/task/dist/handler.js:57:19)\",\"    at Runtime.handler "
                          "(/var/task/dist/handler.js:88:12)\"]}"))
            return lines, noisy(r, 60, 0.2), 92, False
        lines.append((0.09, "INFO", f"ledger entry written for {evid}"))
        return lines, noisy(r, 140, 0.2), 90, False
    sampled = [pois(r, n * (0.012 + (0.55 if t0 >= dep else 0))) for t0, n in zip(s.minutes, inv)]
    errs = s.merge(s.lambda_logs(fn, 256, "nodejs20.x", inv, hook, log_from=-14400, epochs=(dep + 20,)), sampled)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count", inv)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": fn}, "Count", errs)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds",
             lambda t: noisy(r, 120 if t < dep else 95, 0.25))
    s.metric("AWS/Lambda", "Throttles", {"FunctionName": fn}, "Count", lambda t: 0)
    s.metric("AWS/Lambda", "ConcurrentExecutions", {"FunctionName": fn}, "Count", lambda t: pois(r, 1.1))
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": dec}, "Count", lambda t: 1 if int(t) % 900 == 0 else 0)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": dec}, "Count", lambda t: 0)
    s.metric("AWS/ApiGateway", "Count", {"ApiName": "payments-hooks"}, "Count", inv)
    s.metric("AWS/ApiGateway", "5XXError", {"ApiName": "payments-hooks"}, "Count", errs)
    s.metric("AWS/ApiGateway", "Latency", {"ApiName": "payments-hooks"}, "Milliseconds", lambda t: noisy(r, 160, 0.2))
    s.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gitlab-ci-payments")
    s.change(dep + 15, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "gitlab-ci-payments")
    s.change(-14700, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", dec,
             "j.keller")
    s.alarm("payments-webhook-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 4,
            "GreaterThanThreshold", "ALARM", "auto", "Webhook handler errors (5 min sum)")
    s.expect("payments-webhook-errors", "bad_deployment", [fn],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    return s
