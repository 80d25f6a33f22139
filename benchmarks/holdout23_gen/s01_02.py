"""Scenarios 01-02: three-hop chains whose origin sits at the bottom."""
import datetime as dt

from .awsres import (alb_metrics, api_metrics, ec2_metrics, ecs_metrics, ecs_streams, emit, lambda_fn,
                     lambda_metrics, pg_checkpoint, pg_line, rds_metrics, spring)
from .lib import START, Scn, anomaly, poisson_times, ramp, spread, step, values

GB = 1e9


def s01():
    s = Scn("h23-01-orders-api-5xx-pg-storage", "Orders public API returning 502s on order creation; "
            "the API Gateway 5XX alarm paged the on-call.", "us-east-1", dt.datetime(2026, 11, 18, 15, 40), 2301)
    onset, slot_lost = -1560, -18290
    api, fn, db = "orders-public-api", "orders-edge", "orders-pg"
    s.resource("apigateway", api, stage="prod", rest_api_id="k3x9q2m7ta",
               integrations={"ANY /orders": "lambda:orders-edge", "ANY /orders/{proxy+}": "lambda:orders-edge"})
    s.resource("lambda", fn, runtime="python3.12", timeout=15, memory_size=512,
               environment={"ORDER_SERVICE_URL": "http://order-svc.core.internal:8080", "HTTP_TIMEOUT_S": "5"})
    s.resource("ecs", "core/order-svc", cluster="core", service="order-svc", launch_type="FARGATE",
               desired_count=4, cpu=1024, memory=2048,
               image="412398765012.dkr.ecr.us-east-1.amazonaws.com/order-svc:2.41.0",
               environment={"SPRING_DATASOURCE_URL": "jdbc:postgresql://orders-pg.c8ivx1kq2p3d.us-east-1.rds."
                                                     "amazonaws.com:5432/orders", "SPRING_PROFILES_ACTIVE": "prod"},
               log_groups=["/ecs/order-svc"])
    s.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
               allocated_storage_gb=200, storage_type="gp3", storage_autoscaling="disabled", max_connections=1700,
               log_groups=["/aws/rds/instance/orders-pg/postgresql"])
    s.resource("lambda", "orders-nightly-export", runtime="python3.12", timeout=900, memory_size=1024,
               trigger="EventBridge schedule cron(30 2 * * ? *)",
               environment={"ATHENA_WORKGROUP": "finance", "EXPORT_BUCKET": "acme-finance-exports"})

    # ---------------------------------------------------------------- traffic + edge lambda
    inv = s.counts(lambda t: 19 * s.diurnal(t, 0.2))
    err = [[t, float(min(n, s.poisson(n * 0.37) if t >= onset else s.poisson(0.01)))] for t, n in inv]
    trace = lambda: s.hexid(16)

    def edge_body(t, rid, kind):
        oid = "ord_%08d" % s.rng.randint(10 ** 7, 10 ** 8 - 1)
        if kind:
            ms = 70 + s.rng.random() * 90
            tid = trace()
            return {"dur": ms + 15, "mem": 118 + s.rng.randint(0, 9), "lines": [
                (0.004, "INFO", "POST /orders customer=cus_%06d items=%d" % (s.rng.randint(1, 999999),
                                                                             s.rng.randint(1, 6))),
                (ms / 1000, "ERROR", 'POST /orders -> order-svc 500 (%d ms) body={"timestamp":"%s","status":500,'
                 '"error":"Internal Server Error","message":"could not persist order","path":"/v2/orders",'
                 '"traceId":"%s"}' % (ms, s.iso(t), tid)),
                (ms / 1000 + 0.004, None, "[ERROR] UpstreamServiceError: order-svc POST /v2/orders failed with HTTP "
                 "500 (trace %s)\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 58, in "
                 "handler\n    return router.dispatch(event)\n  File \"/var/task/edge/routes.py\", line 131, in "
                 "create_order\n    resp = upstream.post(\"/v2/orders\", json=payload)\n  File \"/var/task/edge/"
                 "upstream.py\", line 77, in post\n    raise UpstreamServiceError(self.name, \"POST\", path, "
                 "r.status_code, trace_id)" % tid)]}
        if s.rng.random() < 0.37:
            ms = 55 + s.rng.random() * 70
            line = "POST /orders -> order-svc 201 (%d ms) order=%s" % (ms, oid)
        else:
            ms = 18 + s.rng.random() * 40
            line = "GET /orders/%s -> order-svc 200 (%d ms)" % (oid, ms)
        return {"dur": ms + 14, "mem": 112 + s.rng.randint(0, 12), "lines": [(ms / 1000, "INFO", line)]}

    lambda_fn(s, fn, "python3.12", 512, 15, inv, err, edge_body, lambda t: 70 + s.noise(8), log_from=-9000)
    iv, ev = values(inv), values(err)
    api_metrics(s, api, inv, s.counts(lambda t: 1.1), err,
                s.series(lambda t: 95 + s.noise(9) + 10 * step(t, onset)),
                s.series(lambda t: 82 + s.noise(8) + 10 * step(t, onset)))

    # ---------------------------------------------------------------- order-svc (ECS, Spring Boot)
    ecs_metrics(s, "core", "order-svc", s.series(lambda t: 27 * s.diurnal(t, 0.15) + s.noise(2.5)),
                s.series(lambda t: 58 + s.noise(0.8)), s.series(lambda t: 4, nd=0))
    streams = ecs_streams(s, "order-svc", 4)

    def svc_line(t, _st):
        m = t - t % 60
        r = s.rng.random()
        thr = "http-nio-8080-exec-%d" % s.rng.randint(1, 40)
        if r < 0.1:
            return spring(s, t, "WARN", thr, "c.a.orders.web.LegacyHeaderFilter",
                          "Client %s sent deprecated header X-Api-Version=2019-01; mapping to v2"
                          % s.pick(["partner-portal", "pos-sync", "legacy-ios"]))
        failing = ev.get(m, 0) / max(1.0, iv.get(m, 1))
        if t >= onset and s.rng.random() < failing:
            rel = "base/16402/%d" % s.pick([2619431, 2619431, 2619447, 2619512])
            return [(0, spring(s, t, "WARN", thr, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                               "SQL Error: 0, SQLState: 53100")),
                    (0.001, spring(s, t, "ERROR", thr, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                   'ERROR: could not extend file "%s": No space left on device\n  Hint: Check free '
                                   'disk space.' % rel)),
                    (0.004, spring(s, t, "ERROR", thr, "c.a.orders.web.GlobalExceptionHandler",
                                   "Unhandled exception on POST /v2/orders\norg.springframework.dao."
                                   "DataAccessResourceFailureException: could not execute statement; SQL [n/a]\n\tat "
                                   "org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccess"
                                   "Exception(HibernateJpaDialect.java:277)\n\tat com.acme.orders.service.Order"
                                   "Service.create(OrderService.java:88)\nCaused by: org.postgresql.util.PSQL"
                                   'Exception: ERROR: could not extend file "%s": No space left on device\n  Hint: '
                                   "Check free disk space.\n\tat org.postgresql.core.v3.QueryExecutorImpl."
                                   "receiveErrorResponse(QueryExecutorImpl.java:2725)" % rel))]
        if r < 0.45:
            return spring(s, t, "INFO", thr, "c.a.orders.web.RequestLogFilter",
                          "POST /v2/orders 201 %dms" % s.rng.randint(28, 90))
        if r < 0.97:
            return spring(s, t, "INFO", thr, "c.a.orders.web.RequestLogFilter",
                          "GET /v2/orders/ord_%08d 200 %dms" % (s.rng.randint(10 ** 7, 10 ** 8 - 1),
                                                               s.rng.randint(4, 30)))
        return spring(s, t, "INFO", "scheduling-1", "c.a.orders.jobs.OutboxRelay",
                      "Relayed %d outbox events to order-events" % s.rng.randint(5, 60))

    emit(s, "/ecs/order-svc", spread(s, poisson_times(s, lambda m: iv.get(m, 19) * 1.1, -9000), streams,
                                     svc_line))

    # ---------------------------------------------------------------- orders-pg (RDS)
    rate = 41.3 * GB / (onset - slot_lost)
    used = lambda t: max(0.0, t - slot_lost) * rate

    def free(t):
        if t >= onset:
            return 0.02 * GB + abs(s.noise(0.03 * GB))
        return 41.45 * GB - used(t) + s.noise(0.05 * GB)

    rds_metrics(s, db, s.series(lambda t: (31 if t < onset else 24) * s.diurnal(t, 0.12) + s.noise(3)),
                s.series(lambda t: 132 + s.noise(5) + 8 * step(t, onset), nd=0), s.series(free, nd=0),
                s.series(lambda t: 5.1 * GB + s.noise(0.06 * GB), nd=0),
                s.series(lambda t: 0.0012 + abs(s.noise(0.0003)), nd=5),
                s.series(lambda t: 0.0021 + abs(s.noise(0.0004)), nd=5),
                extra=[("TransactionLogsDiskUsage", "Bytes",
                        s.series(lambda t: min(1.1 * GB + used(t), 41.5 * GB) + s.noise(0.02 * GB), nd=0)),
                       ("OldestReplicationSlotLag", "Bytes",
                        s.series(lambda t: (30e6 + abs(s.noise(20e6))) if t < slot_lost else
                                 min(used(t), 41.4 * GB) + s.noise(0.01 * GB), nd=0)),
                       ("DiskQueueDepth", "Count", s.series(lambda t: 0.4 + abs(s.noise(0.15))))])
    pg = []
    for t in range(START + 180, -60, 300):
        if t < slot_lost:
            pg.append((t, pg_checkpoint(s, t, s.rng.randint(900, 2600), 0, s.rng.randint(12, 20), s.rng.randint(10, 16),
                                        s.rng.randint(240000, 330000))))
        else:
            pg.append((t, pg_checkpoint(s, t, s.rng.randint(900, 2600), s.rng.randint(14, 22), 0, 0,
                                        s.rng.randint(240000, 330000))))
        if s.rng.random() < 0.35:
            pg.append((t + 97, pg_line(s, t + 97, "@", s.rng.randint(20000, 30000), "LOG",
                                       'automatic vacuum of table "orders.public.order_events": index scans: 1\n\t'
                                       "pages: 0 removed, %d remain, %d scanned (%.2f%% of total)"
                                       % (s.rng.randint(90000, 99000), s.rng.randint(900, 4000),
                                          s.rng.random() * 4))))
    pg.append((slot_lost, pg_line(s, slot_lost, "10.0.9.77(43122):debezium@orders", 28817, "LOG",
                                  "terminating walsender process due to replication timeout")))
    pg.append((slot_lost + 0.2, pg_line(s, slot_lost + 0.2, "10.0.9.77(43122):debezium@orders", 28817, "LOG",
                                        "disconnection: session time: 41:07:12.882 user=debezium database=orders "
                                        "host=10.0.9.77 port=43122")))
    for t in poisson_times(s, lambda m: ev.get(m, 0) * 0.8, onset):
        who = "10.0.%d.%d(%d):order_app@orders" % (s.rng.randint(1, 6), s.rng.randint(10, 250),
                                                    s.rng.randint(40000, 60000))
        pid = s.rng.randint(1000, 32000)
        pg += [(t, pg_line(s, t, who, pid, "ERROR", 'could not extend file "base/16402/%d": No space left on '
                                                    "device" % s.pick([2619431, 2619447, 2619512]))),
               (t, pg_line(s, t, who, pid, "HINT", "Check free disk space.")),
               (t, pg_line(s, t, who, pid, "STATEMENT", "insert into order_lines (order_id,sku,qty,unit_price,"
                                                         "created_at) values ($1,$2,$3,$4,$5)"))]
    s.log("/aws/rds/instance/orders-pg/postgresql", "orders-pg.0", pg)

    # ---------------------------------------------------------------- decoy: deploy at onset, off path
    s.change(-1650, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "orders-nightly-export", "ci-deployer")
    s.change(-1640, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             "orders-nightly-export", "ci-deployer")
    smoke = [[t, 1.0 if t == -1560 else 0.0] for t in s.grid()]
    lambda_metrics(s, "orders-nightly-export", smoke, [[t, 0.0] for t in s.grid()],
                   [[t, 2140.0 if t == -1560 else 0.0] for t, _ in smoke])
    rid = s.uuid()
    s.log("/aws/lambda/orders-nightly-export", "2026/11/18/[$LATEST]%s" % s.hexid(), [
        (-1531, "START RequestId: %s Version: $LATEST" % rid),
        (-1530.6, "[INFO]\t%s\t%s\tDRY RUN requested by ci smoke test; resolved partition dt=2026-11-17 (0 new "
                  "files); nothing to export" % (s.iso(-1530.6), rid)),
        (-1529, "END RequestId: %s" % rid),
        (-1528.9, "REPORT RequestId: %s\tDuration: 2140.22 ms\tBilled Duration: 2141 ms\tMemory Size: 1024 MB\t"
                  "Max Memory Used: 141 MB\tInit Duration: 612.40 ms" % rid)])

    ex = []
    for t in poisson_times(s, lambda m: ev.get(m, 0) * 0.6, onset):
        r = s.uuid()
        ex += [(t, "(%s) Lambda execution failed with status 200 due to customer function error: order-svc POST "
                   "/v2/orders failed with HTTP 500. Lambda request id: %s" % (r, s.uuid())),
               (t + 0.001, "(%s) Method completed with status: 502" % r)]
    s.log("API-Gateway-Execution-Logs_k3x9q2m7ta/prod", s.hexid(32), ex)

    s.alarm("orders-public-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 5,
            "GreaterThanThreshold", "ALARM", "auto", err, "Orders public API 5XX responses", after=onset)
    s.alarm("orders-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3,
            85, "GreaterThanThreshold", "OK", -60000)
    s.set_expect("orders-public-api-5xx", "storage_exhaustion", [db],
                 [anomaly("AWS/RDS", "FreeStorageSpace", DBInstanceIdentifier=db),
                  anomaly("AWS/ApiGateway", "5XXError", ApiName=api),
                  anomaly("AWS/Lambda", "Errors", FunctionName=fn)])
    s.meta = dict(category="storage_exhaustion", resources=[db], alarm_on="front (API → Lambda → ECS → RDS, 3 hops)",
                  decoys="orders-nightly-export deployed 90 s before onset (scheduled, off path, dry-run only); "
                         "steady deprecated-header WARN in order-svc",
                  story="POST /orders started failing at about -26 min. orders-edge only relays order-svc's 500; "
                        "order-svc's JDBC errors are `could not extend file ... No space left on device` and the "
                        "same ERROR/HINT/STATEMENT lines appear in the orders-pg PostgreSQL log. FreeStorageSpace "
                        "fell linearly for ~4.6 h, in step with TransactionLogsDiskUsage and OldestReplicationSlotLag, "
                        "from the moment the Debezium walsender was terminated: an abandoned logical replication slot "
                        "retained WAL until the 200 GB volume filled. The orders-nightly-export deploy is a schedule-"
                        "driven Athena export whose only run was a CI dry-run; the deprecated-header WARN runs at the "
                        "same rate all afternoon. Label: storage_exhaustion on orders-pg (reads still succeed, "
                        "connections and CPU are normal).")
    return s


def s02():
    s = Scn("h23-02-storefront-5xx-pricing-ddb-throttle", "Storefront returning 5xx on the home and product "
            "pages; ALB target 5XX alarm.", "eu-west-1", dt.datetime(2026, 11, 21, 19, 5), 2302)
    onset = -1980
    lb = "app/storefront-alb/7c1e2a9b4d3f5e61"
    s.resource("alb", lb, name="storefront-alb", scheme="internet-facing",
               target_groups=[{"name": "storefront-tg", "target": "ecs:shop/storefront", "port": 3000}])
    s.resource("ecs", "shop/storefront", cluster="shop", service="storefront", launch_type="FARGATE",
               desired_count=6, image="538812470291.dkr.ecr.eu-west-1.amazonaws.com/storefront:8.3.1",
               environment={"PRICING_URL": "http://pricing-svc.shop.local:8080", "RECO_URL":
                            "http://reco.shop.local:8080", "CART_DB_HOST": "shop-mysql.cu1x9d0kq2.eu-west-1.rds."
                            "amazonaws.com"}, log_groups=["/ecs/storefront"])
    s.resource("ecs", "shop/pricing-svc", cluster="shop", service="pricing-svc", launch_type="FARGATE",
               desired_count=3, image="538812470291.dkr.ecr.eu-west-1.amazonaws.com/pricing-svc:1.19.4",
               environment={"PRICE_TABLE": "price-book", "CACHE_TTL": "30s"},
               dynamodb_tables=[{"name": "price-book", "billing_mode": "PROVISIONED", "read_capacity_units": 400,
                                 "write_capacity_units": 50, "partition_key": "pk"}],
               log_groups=["/ecs/pricing-svc"])
    s.resource("rds", "shop-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
               max_connections=1000, allocated_storage_gb=300)
    ci = "i-0f3c9a8e1b2d4c6a7"
    s.resource("ec2", ci, name="ci-runner-2", instance_type="c6i.2xlarge", role="GitLab CI runner (shared)")

    req = s.counts(lambda t: 640 * s.diurnal(t, 0.3, 20))
    rv = values(req)
    t5 = [[t, float(s.poisson(n * 0.105) if t >= onset else s.poisson(0.5))] for t, n in req]
    tv = values(t5)
    alb_metrics(s, lb, req, s.series(lambda t: 0.14 + abs(s.noise(0.02)) + 0.24 * step(t, onset), nd=4), t5,
                s.counts(lambda t: 0.05), s.series(lambda t: 6, nd=0))
    ecs_metrics(s, "shop", "storefront", s.series(lambda t: 37 * s.diurnal(t, 0.25, 20) + s.noise(2.5)),
                s.series(lambda t: 61 + s.noise(0.7)), s.series(lambda t: 6, nd=0))
    ecs_metrics(s, "shop", "pricing-svc", s.series(lambda t: 21 + 6 * step(t, onset) + s.noise(2)),
                s.series(lambda t: 34 + s.noise(0.6)), s.series(lambda t: 3, nd=0))
    dd = {"TableName": "price-book"}
    s.metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", dd, "Count",
             s.series(lambda t: 60 * (225 * s.diurnal(t, 0.3, 20) + 55 * step(t, onset) + s.noise(9)), nd=1))
    s.metric("AWS/DynamoDB", "ProvisionedReadCapacityUnits", dd, "Count", s.series(lambda t: 400, nd=0))
    s.metric("AWS/DynamoDB", "ReadThrottleEvents", dd, "Count",
             [[t, float(s.poisson(rv[t] * 0.62) if t >= onset else 0)] for t, _ in req])
    s.metric("AWS/DynamoDB", "SuccessfulRequestLatency", dict(dd, Operation="GetItem"), "Milliseconds",
             s.series(lambda t: 3.4 + abs(s.noise(0.5))))
    rds_metrics(s, "shop-mysql", s.series(lambda t: 18 * s.diurnal(t, 0.3, 20) + s.noise(2)),
                s.series(lambda t: 88 + s.noise(4), nd=0), s.series(lambda t: 191 * GB + s.noise(0.1 * GB), nd=0),
                s.series(lambda t: 6.2 * GB + s.noise(0.05 * GB), nd=0),
                s.series(lambda t: 0.0009 + abs(s.noise(0.0002)), nd=5))
    # decoy: CI runner pinned by a build, alarm in ALARM, basic (5-minute) monitoring
    ci_cpu = s.series(lambda t: 99 - abs(s.noise(1.5)) if -2400 <= t else 12 + s.noise(4), step_s=300)
    ec2_metrics(s, ci, ci_cpu, s.series(lambda t: 2.1e6 + abs(s.noise(8e5)), step_s=300, nd=0),
                s.series(lambda t: 0, step_s=300, nd=0))
    s.alarm("ci-runner-2-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": ci}, "Average", 300, 2, 90,
            "GreaterThanThreshold", "ALARM", "auto", ci_cpu, after=-2400)

    # ---------------------------------------------------------------- storefront logs (pino JSON)
    host = ["ip-10-1-%d-%d.eu-west-1.compute.internal" % (s.rng.randint(1, 9), s.rng.randint(2, 250))
            for _ in range(6)]
    sf = ecs_streams(s, "storefront", 6)

    def pino(t, lvl, msg, **kw):
        import json
        d = {"level": lvl, "time": s.epoch_ms(t), "pid": 1, "hostname": s.pick(host)}
        d.update(kw)
        d["msg"] = msg
        return json.dumps(d, separators=(",", ":"))

    def sf_line(t, _st):
        m = t - t % 60
        if s.rng.random() < 0.16:
            return pino(t, 50, "recommendations widget fetch failed",
                        err={"type": "HTTPError", "message": "Response code 404 (Not Found)",
                             "url": "http://reco.shop.local:8080/v1/widgets/home-hero-2"})
        path = s.pick(["/", "/", "/p/%d" % s.rng.randint(100000, 999999), "/c/shoes", "/api/cart"])
        if t >= onset and s.rng.random() < tv.get(m, 0) / max(1.0, rv.get(m, 1)) * 2.2 and path != "/api/cart":
            sku = s.pick(["BNDL-BF-2026", "BNDL-BF-2026", "SKU-%d" % s.rng.randint(10000, 99999)])
            return [(0, pino(t, 50, "pricing lookup failed", err={
                "type": "HTTPError", "message": "Response code 503 (Service Unavailable)",
                "url": "http://pricing-svc.shop.local:8080/v1/prices?skus=%s" % sku})),
                (0.002, pino(t, 40, "request completed", req={"method": "GET", "url": path},
                             res={"statusCode": 502}, responseTime=s.rng.randint(300, 900)))]
        return pino(t, 30, "request completed", req={"method": "GET", "url": path}, res={"statusCode": 200},
                    responseTime=s.rng.randint(40, 160))

    emit(s, "/ecs/storefront", spread(s, poisson_times(s, lambda m: 22 * s.diurnal(m, 0.3, 20)), sf, sf_line))
    s.log("/ecs/storefront", sf[0], [(onset - 41, pino(onset - 41, 30, "homepage layout refreshed",
                                                      layout="bf-2026-v3", hero_skus=["BNDL-BF-2026"]))])

    # ---------------------------------------------------------------- pricing-svc logs (Go slog JSON)
    ps = ecs_streams(s, "pricing-svc", 3)

    def slog(t, lvl, msg, **kw):
        import json
        d = {"time": s.iso(t), "level": lvl, "msg": msg}
        d.update(kw)
        return json.dumps(d, separators=(",", ":"))

    def ps_line(t, _st):
        m = t - t % 60
        if t >= onset and s.rng.random() < 0.75 * min(1.0, tv.get(m, 0) / 40.0):
            key = "sku#BNDL-BF-2026" if s.rng.random() < 0.8 else "sku#BNDL-BF-2026#variant-%d" % s.rng.randint(1, 4)
            return [(0, slog(t, "ERROR", "dynamodb GetItem failed", table="price-book", key=key,
                             err="operation error DynamoDB: GetItem, exceeded maximum number of attempts, 3, https "
                                 "response error StatusCode: 400, RequestID: %s, ProvisionedThroughputExceeded"
                                 "Exception: The level of configured provisioned throughput for the table was "
                                 "exceeded. Consider increasing your provisioning level with the UpdateTable API."
                                 % s.hexid(52).upper())),
                    (0.001, slog(t, "WARN", "responding 503", path="/v1/prices", status=503,
                                 duration_ms=s.rng.randint(180, 420)))]
        if s.rng.random() < 0.05:
            return slog(t, "INFO", "cache stats", entries=s.rng.randint(40000, 52000),
                        hit_ratio=round(0.9 + s.rng.random() * 0.05, 3), evictions=s.rng.randint(0, 90))
        return slog(t, "INFO", "served prices", path="/v1/prices", status=200, skus=s.rng.randint(1, 24),
                    duration_ms=s.rng.randint(2, 14))

    emit(s, "/ecs/pricing-svc", spread(s, poisson_times(s, lambda m: 14 + (18 if m >= onset else 0)), ps,
                                       ps_line))

    s.alarm("storefront-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
            "Sum", 60, 3, 25, "GreaterThanThreshold", "ALARM", "auto", t5, "Storefront target 5xx",
            after=onset)
    s.alarm("shop-mysql-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "shop-mysql"},
            "Average", 300, 3, 80, "GreaterThanThreshold", "OK", -90000)
    s.set_expect("storefront-alb-target-5xx", "throttling", ["shop/pricing-svc", "pricing-svc", "price-book"],
                 [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", LoadBalancer=lb),
                  anomaly("AWS/DynamoDB", "ReadThrottleEvents", TableName="price-book")])
    s.meta = dict(category="throttling", resources=["shop/pricing-svc", "pricing-svc", "price-book"],
                  alarm_on="front (ALB → storefront → pricing-svc → DynamoDB price-book)",
                  decoys="ci-runner-2 CPU alarm in ALARM (unrelated EC2, not a target); steady 404 ERROR from the "
                         "recommendations widget in storefront",
                  story="Target 5xx on storefront-alb begin ~33 min ago. storefront logs `pricing lookup failed ... "
                        "503` from pricing-svc; pricing-svc logs DynamoDB GetItem failures with "
                        "ProvisionedThroughputExceededException, almost all on the key sku#BNDL-BF-2026, which the "
                        "homepage started featuring 41 s before onset. ReadThrottleEvents on price-book jump from 0 "
                        "while consumed RCU stays under the 400 provisioned (a hot partition). storefront and "
                        "pricing-svc CPU/memory are normal; ci-runner-2's CPU alarm is a CI build on a machine "
                        "outside the request path; the widget 404s are at the same rate all evening. Label: "
                        "throttling, origin pricing-svc's table price-book (accepted: pricing-svc / price-book).")
    return s
