"""Scenarios 01-02."""
from __future__ import annotations

import datetime as dt

from . import comp
from .comp import GB
from .core import Scenario, diurnal, ramp
from .fmt import LambdaLog, bucketed, every, java_trace, per_minute, pg, rails, spring, zap, apigw_access

UTC = dt.timezone.utc


def binom(s, n, p):
    return sum(1 for _ in range(int(n)) if s.rng.random() < p)


def split_streams(s, events, n):
    out = [[] for _ in range(n)]
    for e in events:
        out[s.rng.randrange(n)].append(e)
    return out


# ====================================================================== 01
def s01():
    s = Scenario(1, "orders-api-5xx-inventory-db-slots", "us-east-1",
                 "Public orders API returning 5XX to partners; paged by the API Gateway 5XXError alarm.",
                 3401, dt.datetime(2026, 3, 10, 15, 40, tzinfo=UTC))
    ON = -2280
    alb_id = "app/inventory-internal/6f1e2d3c4b5a6978"
    alb_dns = "internal-inventory-internal-1048862313.us-east-1.elb.amazonaws.com"
    s.res("apigateway", "orders-public-api", stage="prod", endpoint_type="REGIONAL",
          integration="AWS_PROXY lambda orders-bff")
    s.res("lambda", "orders-bff", runtime="nodejs20.x", timeout=10, memory_size=512, handler="dist/handler.main",
          environment={"INVENTORY_URL": f"http://{alb_dns}", "HTTP_TIMEOUT_MS": "8000"})
    s.res("alb", alb_id, name="inventory-internal", scheme="internal", dns_name=alb_dns,
          target_group="tg-inventory-svc (ip, port 8080) -> ecs inventory/inventory-svc")
    s.res("ecs", "inventory/inventory-svc", cluster="inventory", service="inventory-svc", launch_type="FARGATE",
          desired_count=8, task_definition="inventory-svc:212", task_cpu=1024, task_memory=2048,
          image="481516234200.dkr.ecr.us-east-1.amazonaws.com/inventory-svc:4.18.2",
          log_groups=["/ecs/inventory-svc"], datasource="jdbc:postgresql://inventory-db (HikariCP maximumPoolSize=20)")
    s.res("rds", "inventory-db", engine="postgres", engine_version="15.5", instance_class="db.m6g.large",
          max_connections=200, allocated_storage_gb=200, multi_az=True)
    s.res("lambda", "orders-email-notifier", runtime="python3.12", timeout=30, memory_size=256,
          event_source="SQS orders-confirmed")

    demand = lambda t: 20 * diurnal(t, 0.18, 9000)
    cnt = s.series(lambda t: s.p(demand(t)), integer=True)
    fail = lambda t: ramp(t, ON - 60, ON + 120) * (0.62 + 0.08 * s.rng.random())
    bad = [binom(s, c, fail(t)) for t, c in zip(range(-21600, 0, 60), cnt)]
    e4 = s.series(lambda t: s.p(0.8), integer=True)
    lat = [round((190 + 15 * s.rng.random()) * (c - b) / max(c, 1) + 3060 * b / max(c, 1) + 14, 2) if c else None
           for c, b in zip(cnt, bad)]
    comp.apigw(s, "orders-public-api", cnt, e4, bad, lat, [round(v - 12, 2) if v else None for v in lat])
    comp.lambda_(s, "orders-bff", cnt, lambda t: 0, lambda t: 0, [round(v - 14, 2) if v else None for v in lat],
                 [max(1, round(c / 60 * (v or 200) / 1000 + s.rng.random())) for c, v in zip(cnt, lat)])
    other = s.series(lambda t: s.p(95 * diurnal(t, 0.18, 9000)), integer=True)
    req = [a + b for a, b in zip(cnt, other)]
    t5 = [b + binom(s, o, fail(t)) for t, b, o in zip(range(-21600, 0, 60), bad, other)]
    comp.alb(s, alb_id, req, t5, lambda t: s.p(0.05),
             lambda t: 0.045 + 0.01 * s.rng.random() + 2.6 * ramp(t, ON - 60, ON + 240) * (0.5 + 0.1 * s.rng.random()),
             lambda t: 8, lambda t: 0)
    comp.ecs(s, "inventory", "inventory-svc", lambda t: 24 + s.n(0, 2) - 6 * ramp(t, ON, ON + 300),
             lambda t: 57 + s.n(0, 1.2), lambda t: 8)
    conns = lambda t: (62 + s.n(0, 3) + 137 * ramp(t, -3600, ON) if t < ON else 200 - abs(s.n(0, 1.5)))
    comp.rds(s, "inventory-db", lambda t: 27 + s.n(0, 3) + 15 * ramp(t, -3600, ON), conns,
             lambda t: 142.6 * GB - (t + 21600) * 90000 + s.n(0, 2e7),
             lambda t: 0.0012 + abs(s.n(0, 0.0002)) + 0.0005 * ramp(t, -3600, ON),
             lambda t: 0.0021 + abs(s.n(0, 0.0003)), lambda t: 3.1 * GB - 0.45 * GB * ramp(t, -3600, ON) + s.n(0, 3e7))
    ninv = s.series(lambda t: s.p(4.5 * diurnal(t, 0.18, 9000)), integer=True)
    comp.lambda_(s, "orders-email-notifier", ninv, lambda t: 0, lambda t: 0, lambda t: 640 + s.n(0, 60),
                 lambda t: 1)

    # ---- orders-bff (Node) logs
    lg = LambdaLog(s, "orders-bff", "node", 512)

    def bff(t, is_bad):
        cust = f"cus_{s.hexid(10)}"
        sku = s.rng.randint(1, 6)
        body = [("INFO", f"POST /v1/orders customer={cust} lines={sku} channel=partner")]
        if s.rng.random() < 0.06:
            body.insert(0, ("WARN", "x-client-version header missing; assuming 1.0 (deprecated client)"))
        if is_bad:
            ms = 2950 + s.rng.random() * 120
            body.append(("ERROR", f"Upstream inventory-internal responded 503 Service Unavailable for POST "
                                  f"http://{alb_dns}/v2/reservations ({int(ms)} ms) body="
                                  '{"status":503,"error":"Service Unavailable","message":"Failed to obtain JDBC Connection","path":"/v2/reservations"}'))
            body.append(("WARN", "responding 502 code=DEPENDENCY_UNAVAILABLE dependency=inventory"))
            return lg.invoke(t, ms + 30, body, 141 + s.rng.randint(0, 8))
        ms = 150 + s.rng.random() * 90
        body.append(("INFO", f"inventory reservation rsv_{s.hexid(12)} confirmed in {int(ms - 110)} ms"))
        body.append(("INFO", f"order ord_{s.rng.randint(10**7, 10**8)} accepted total={s.rng.randint(800, 90000) / 100:.2f} USD"))
        return lg.invoke(t, ms, body, 132 + s.rng.randint(0, 8))
    w, bk = bucketed(s, 2, bff)
    per_minute(s, cnt, bad, -4800, w)
    for part in bk:
        s.log("/aws/lambda/orders-bff", lg.stream(), part)

    # ---- API Gateway access log
    def acc(t, is_bad):
        st = 502 if is_bad else 201
        return [(t + 0.01, apigw_access(s, t, s.uid(), s.ip("52.23"), "POST", "/v1/orders", st,
                                        3080 if is_bad else 210 + s.rng.random() * 60, st, "-"))]
    s.log("/aws/apigateway/orders-public-api/access", "prod", per_minute(s, cnt, bad, -3000, acc))

    # ---- inventory-svc (Spring Boot) logs
    app = "inventory-svc"

    def inv(t, is_bad):
        th = f"nio-8080-exec-{s.rng.randint(1, 60)}"
        if not is_bad:
            return [(t, spring(s, t, "INFO", th, "c.a.inventory.web.ReservationController",
                               f"reserved {s.rng.randint(1, 6)} lines sku_batch={s.hexid(6)} warehouse=IAD{s.rng.randint(1, 4)} in {s.rng.randint(18, 70)}ms", app))]
        if s.rng.random() < 0.12:
            tr = java_trace("org.springframework.jdbc.CannotGetJdbcConnectionException", "Failed to obtain JDBC Connection",
                            ["org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)",
                             "org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:653)",
                             "com.acme.inventory.repo.StockRepository.reserve(StockRepository.java:117)",
                             "com.acme.inventory.service.ReservationService.reserve(ReservationService.java:64)"],
                            [("java.sql.SQLTransientConnectionException",
                              "HikariPool-1 - Connection is not available, request timed out after 3000ms (total=20, active=20, idle=0, waiting=31)",
                              ["com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)",
                               "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)"], 58),
                             ("org.postgresql.util.PSQLException",
                              "FATAL: remaining connection slots are reserved for non-replication superuser connections",
                              ["org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)",
                               "org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:203)",
                               "org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:258)"], 17)])
            return [(t, spring(s, t, "ERROR", th, "c.a.inventory.web.ApiExceptionHandler",
                               "Request POST /v2/reservations failed, returning 503\n" + tr, app))]
        return [(t, spring(s, t, "WARN", th, ".m.m.a.ExceptionHandlerExceptionResolver",
                           "Resolved [org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection]", app))]
    ev = per_minute(s, req, t5, -5400, inv, scale=0.3)

    def pool(t):
        busy = 3 + int(17 * ramp(t, -3600, ON)) + s.rng.randint(0, 2)
        busy = min(busy, 20)
        wait = 0 if t < ON else s.rng.randint(18, 40)
        lvl = "DEBUG" if t < ON else "WARN"
        msg = (f"HikariPool-1 - Pool stats (total=20, active={busy}, idle={20 - busy}, waiting={wait})" if lvl == "DEBUG"
               else f"HikariPool-1 - Pool is empty, failed to add connection: FATAL: sorry, too many clients already (waiting={wait})")
        return [(t, spring(s, t, lvl, "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool", msg, app))]
    tasks = [s.hexid() for _ in range(2)]
    for k, part in enumerate(split_streams(s, ev, 2)):
        part += every(s, -5400, 60, pool)
        part += every(s, -5400, 300, lambda t: [(t, spring(s, t, "INFO", "scheduling-1", "c.a.inventory.sync.StockSyncJob",
                                                           f"stock sync: {s.rng.randint(40, 400)} sku deltas applied from WMS", app))])
        s.log("/ecs/inventory-svc", f"ecs/inventory-svc/{tasks[k]}", part)

    # ---- RDS postgres log
    def ckpt(t):
        return [(t, pg(s, t, "", 412, "LOG", "checkpoint starting: time")),
                (t + 28, pg(s, t + 28, "", 412, "LOG", f"checkpoint complete: wrote {s.rng.randint(900, 4000)} buffers "
                                                        f"({s.rng.random() * 3:.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled; "
                                                        f"write={s.rng.randint(20, 27)}.{s.rng.randint(100, 999)} s, sync=0.00{s.rng.randint(1, 9)} s"))]
    pev = every(s, -10800, 300, ckpt)

    def fatal(t, _):
        m = s.pick(["remaining connection slots are reserved for non-replication superuser connections",
                    "sorry, too many clients already"])
        who = f"10.0.{s.rng.randint(20, 27)}.{s.rng.randint(5, 250)}({s.rng.randint(30000, 60000)}):inventory_app@inventory"
        return [(t, pg(s, t, who, s.rng.randint(10000, 30000), "FATAL", m))]
    pev += per_minute(s, [x // 4 for x in t5], [x // 4 for x in t5], -10800, fatal)
    pev += every(s, -10800, 2400, lambda t: [(t, pg(s, t, "", s.rng.randint(9000, 30000), "LOG",
                                                  f"automatic vacuum of table \"inventory.public.stock_movements\": index scans: 1"))])
    s.log("/aws/rds/instance/inventory-db/postgresql", "inventory-db.0", pev)

    # ---- decoy: notifier deploy
    ln = LambdaLog(s, "orders-email-notifier", "python", 256)

    def notif(t, _):
        v = "20" if t > -3290 else "19"
        return ln.invoke(t, 600 + s.rng.random() * 120, [("INFO", f"sent order confirmation for ord_{s.rng.randint(10**7, 10**8)} via SES messageId=0100018e{s.hexid(24)}")],
                         88, version=v)
    ev = per_minute(s, ninv, None, -5400, notif)
    s.log("/aws/lambda/orders-email-notifier", ln.stream("19"), [e for e in ev if e[0] < -3290])
    s.log("/aws/lambda/orders-email-notifier", ln.stream("20"), [e for e in ev if e[0] >= -3290])
    for tt, n in ((-3300, "UpdateFunctionCode20150331v2"), (-3290, "PublishVersion20150331"), (-3285, "UpdateAlias20150331")):
        s.change(tt, "lambda.amazonaws.com", n, "AWS::Lambda::Function", "orders-email-notifier", "gha-orders-ci")

    s.alarm("orders-public-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "orders-public-api"}, "Sum", 60, 3, 5,
            "GreaterThanThreshold", "Partner orders API 5XX responses")
    s.alarm("inventory-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "inventory-db"}, "Average", 300, 3,
            80, "GreaterThanThreshold", "inventory-db CPU", expect_state="OK")
    s.expect_("orders-public-api-5xx", "db_connection_exhaustion", ["inventory-db"],
              [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": "inventory-db"}},
               {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": "orders-public-api"}}])
    s.info = dict(front="front alarm, origin 3 hops down (API GW -> orders-bff -> inventory-internal ALB -> inventory-svc -> inventory-db)",
                  decoys="orders-email-notifier deploy 17 min before errors; constant API 4XX and 'x-client-version' WARN in orders-bff; inventory-db CPU alarm in OK",
                  text="orders-public-api starts returning 502s at about -38 min. orders-bff (Node) does not fail itself: it logs "
                       "503s from the inventory-internal ALB and maps them to 502. inventory-svc (Spring/Hikari) logs "
                       "CannotGetJdbcConnectionException with PSQLException 'remaining connection slots are reserved'; "
                       "inventory-db DatabaseConnections climbed from ~60 to the configured max_connections of 200 over the "
                       "preceding 20 min and stays pinned, and the PostgreSQL log shows 'sorry, too many clients already'. "
                       "CPU stays below 45 %, so this is connection-slot exhaustion on the database, not a CPU or code problem. "
                       "The only deploy is on orders-email-notifier, an SQS-fed email Lambda that never touches inventory.")
    return s


# ====================================================================== 02
GO_PANIC = ("panic recovered: runtime error: invalid memory address or nil pointer dereference\n"
            "goroutine {g} [running]:\n"
            "github.com/acme-retail/pricing/internal/httpapi.Recoverer.func1.1()\n"
            "\t/src/internal/httpapi/middleware.go:41 +0x7d\n"
            "panic({{0xa1b2c0?, 0x13f8e20?}})\n\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
            "github.com/acme-retail/pricing/internal/promo.(*Engine).Apply(0xc0001a2f00, {{0xc000e1c0f0, 0x3, 0x4}}, 0x0)\n"
            "\t/src/internal/promo/engine.go:142 +0x5c\n"
            "github.com/acme-retail/pricing/internal/httpapi.(*Server).handlePrices(0xc0000f6000, {{0xcf8e40, 0xc000c2a380}}, 0xc000b4e000)\n"
            "\t/src/internal/httpapi/prices.go:77 +0x2f1")


def s02():
    s = Scenario(2, "storefront-5xx-pricing-release", "eu-west-1",
                 "Storefront pages failing (HTTP 500) for part of the shoppers; paged by the public ALB target 5XX alarm.",
                 3402, dt.datetime(2026, 3, 12, 19, 5, tzinfo=UTC))
    DEP, ON = -2000, -1900
    pub = "app/storefront-public/2b7c91d04e5f3a18"
    pin = "app/pricing-internal/9d3e5a7b1c2f4e60"
    pin_dns = "internal-pricing-internal-733190245.eu-west-1.elb.amazonaws.com"
    s.res("alb", pub, name="storefront-public", scheme="internet-facing",
          target_group="tg-storefront-web (ip, port 3000) -> ecs storefront/storefront-web")
    s.res("ecs", "storefront/storefront-web", cluster="storefront", service="storefront-web", launch_type="FARGATE",
          desired_count=10, task_definition="storefront-web:377", runtime="ruby 3.3 / rails 7.1 / puma",
          log_groups=["/ecs/storefront-web"], pricing_url=f"http://{pin_dns}")
    s.res("alb", pin, name="pricing-internal", scheme="internal", dns_name=pin_dns,
          target_group="tg-pricing-api (ip, port 8080) -> ecs pricing/pricing-api")
    s.res("ecs", "pricing/pricing-api", cluster="pricing", service="pricing-api", launch_type="FARGATE",
          desired_count=6, task_definition="pricing-api:143", runtime="go1.22",
          image="481516234200.dkr.ecr.eu-west-1.amazonaws.com/pricing-api:v2.31.0", log_groups=["/ecs/pricing-api"])
    s.res("ec2", "i-0c4f7a2e91b35d806", name="search-indexer-1", instance_type="c6i.xlarge",
          log_groups=["/ec2/search-indexer/cron"])

    roll = lambda t: ramp(t, ON, ON + 150)
    preq = s.series(lambda t: s.p(220 * diurnal(t, 0.2, -12000)), integer=True)
    pbad = [binom(s, n, 0.34 * roll(t)) + (1 if s.rng.random() < 0.05 else 0) for t, n in zip(range(-21600, 0, 60), preq)]
    running = lambda t: 6 + (6 if DEP + 60 < t < DEP + 330 else 0)
    comp.alb(s, pin, preq, pbad, lambda t: 0, lambda t: 0.011 + 0.003 * s.rng.random(),
             running, lambda t: 0)
    comp.ecs(s, "pricing", "pricing-api", lambda t: 31 + s.n(0, 2.5) + (8 if DEP + 60 < t < DEP + 330 else 0),
             lambda t: 38 + s.n(0, 1) - 9 * ramp(t, DEP + 100, DEP + 330), running)
    sreq = s.series(lambda t: s.p(900 * diurnal(t, 0.2, -12000)), integer=True)
    sbad = [min(r, int(b * 0.92) + s.p(1.2)) for r, b in zip(sreq, pbad)]
    comp.alb(s, pub, sreq, sbad, lambda t: s.p(0.1), lambda t: 0.18 + 0.03 * s.rng.random() + 0.03 * roll(t),
             lambda t: 10, lambda t: 0, t4=lambda t: s.p(14))
    comp.ecs(s, "storefront", "storefront-web", lambda t: 46 + s.n(0, 3), lambda t: 62 + s.n(0, 1), lambda t: 10)
    comp.ec2(s, "i-0c4f7a2e91b35d806", lambda t: (97 + s.n(0, 1.2)) if -7000 < t else 8 + s.n(0, 2),
             lambda t: 2.1e6 + s.n(0, 2e5) + (3.0e7 if t > -7000 else 0), lambda t: 0)

    # ---- pricing-api logs (2 of 6 tasks shown, old and new generation)
    def plog(t, bad):
        if bad and t > ON:
            return [(t, zap(s, t, "ERROR", "httpapi/middleware.go:44",
                            GO_PANIC.format(g=s.rng.randint(10000, 99999)), request_id=s.hexid(16),
                            path="/v1/prices", status=500))]
        if bad:
            return [(t, zap(s, t, "ERROR", "httpapi/prices.go:88", "price lookup failed", error="cache: context deadline exceeded",
                            path="/v1/prices", status=503))]
        return [(t, zap(s, t, "INFO", "httpapi/middleware.go:58", "request", method="GET", path="/v1/prices",
                        status=200, duration_ms=round(6 + s.rng.random() * 14, 1), skus=s.rng.randint(1, 24)))]
    old_ev = [e for e in per_minute(s, preq, pbad, -5400, plog, scale=0.06, t_to=ON + 60) if e[0] < ON + 30 and "panic" not in e[1]]
    new_ev = per_minute(s, preq, pbad, ON - 90, plog, scale=0.06)
    new_ev = [e for e in new_ev if e[0] > ON - 60]
    err_ev = [e for e in per_minute(s, preq, pbad, ON, plog, scale=0.3) if '"error"' in e[1]]
    start = lambda t, v, c: [(t, zap(s, t, "INFO", "cmd/pricing-api/main.go:52", "starting pricing-api", version=v, commit=c,
                                     go="go1.22.1", addr=":8080")),
                             (t + 1.2, zap(s, t + 1.2, "INFO", "promo/loader.go:33", "promotion rules loaded", rules=s.rng.randint(300, 340)))]
    for k in range(2):
        old_id, new_id = s.hexid(), s.hexid()
        stop = [(ON + 31 + k, zap(s, ON + 31 + k, "INFO", "cmd/pricing-api/main.go:78", "received SIGTERM, draining connections",
                                  timeout="30s")), (ON + 36 + k, zap(s, ON + 36 + k, "INFO", "cmd/pricing-api/main.go:84", "server stopped"))]
        s.log("/ecs/pricing-api", f"ecs/pricing-api/{old_id}",
              start(-5390 + 3 * k, "v2.30.4", "c41d8e0") + old_ev[k::2] + stop)
        s.log("/ecs/pricing-api", f"ecs/pricing-api/{new_id}",
              start(ON - 70 + 4 * k, "v2.31.0", "9f3ab21") + new_ev[k::2] + err_ev[k::2])

    # ---- storefront (Rails) logs
    def rlog(t, bad):
        req = s.uid()
        if bad:
            skus = ",".join(f"SKU-{s.rng.randint(10**5, 10**6)}" for _ in range(3))
            return [(t, rails(s, t, "INFO", req, f'Started GET "/cart" for {s.ip("81.2")} at {s.wall(t).strftime("%Y-%m-%d %H:%M:%S")} +0000')),
                    (t + 0.03, rails(s, t + 0.03, "ERROR", req,
                                     f"Pricing::Client::ServerError (pricing-api returned 500 for GET /v1/prices?skus={skus}&promo=1: "
                                     '{"error":"internal","message":"internal server error"}):\n'
                                     "app/services/pricing/client.rb:48:in `fetch_prices'\n"
                                     "app/services/cart_presenter.rb:19:in `line_items'\n"
                                     "app/controllers/carts_controller.rb:12:in `show'")),
                    (t + 0.04, rails(s, t + 0.04, "INFO", req, f"Completed 500 Internal Server Error in {s.rng.randint(20, 45)}ms"))]
        path = s.pick(["/", "/c/shoes", "/p/" + str(s.rng.randint(10**5, 10**6)), "/cart", "/c/outdoor"])
        return [(t, rails(s, t, "INFO", req, f'Started GET "{path}" for {s.ip("81.2")} at {s.wall(t).strftime("%Y-%m-%d %H:%M:%S")} +0000')),
                (t + 0.15, rails(s, t + 0.15, "INFO", req,
                                 f"Completed 200 OK in {s.rng.randint(60, 240)}ms (Views: {s.rng.randint(20, 90)}.{s.rng.randint(0, 9)}ms | ActiveRecord: {s.rng.randint(3, 30)}.{s.rng.randint(0, 9)}ms | Allocations: {s.rng.randint(9000, 40000)})"))]
    w, bk = bucketed(s, 2, rlog)
    per_minute(s, sreq, [0] * len(sreq), -5400, w, scale=0.012)
    per_minute(s, sbad, sbad, ON - 600, w, scale=0.08)
    for k, part in enumerate(bk):
        part += every(s, -5400, 140, lambda t: [(t, rails(s, t, "FATAL", s.uid(), 'ActionController::RoutingError (No route matches [GET] "/wp-login.php"):'))], jitter=60)
        part += [(-9050 + 9 * k, rails(s, -9050 + 9 * k, "INFO", None, "Puma starting in single mode... * Puma version: 6.4.2 (ruby 3.3.0-p0) (\"The Eagle of Durango\") * Environment: production"))]
        s.log("/ecs/storefront-web", f"ecs/storefront-web/{s.hexid()}", part)
    pct = iter(range(8, 200, 7))
    s.log("/ec2/search-indexer/cron", "i-0c4f7a2e91b35d806",
          [(-7010, "CRON[22841]: (indexer) CMD (/opt/indexer/bin/full-reindex --catalog eu --threads 8)"),
           (-7005, "full-reindex: starting full rebuild of index products_eu_v7 (2,841,223 documents)")] +
          every(s, -7000, 600, lambda t: [(t, f"full-reindex: {min(99, next(pct))}% ... {s.rng.randint(1200, 1900)} docs/s")]))

    s.change(-9200, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "storefront-web:377", "github-actions-deploy")
    s.change(-9190, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "storefront/storefront-web", "github-actions-deploy")
    s.change(DEP - 10, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "pricing-api:143", "github-actions-deploy")
    s.change(DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "pricing/pricing-api", "github-actions-deploy")

    s.alarm("storefront-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": pub}, "Sum",
            60, 3, 25, "GreaterThanThreshold", "Storefront public ALB: targets returning 5XX")
    s.alarm("search-indexer-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": "i-0c4f7a2e91b35d806"}, "Average", 300, 2, 90,
            "GreaterThanThreshold", "search indexer CPU")
    s.expect_("storefront-public-target-5xx", "bad_deployment", ["pricing/pricing-api", "pricing-api"],
              [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": pin}},
               {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": pub}}])
    s.info = dict(front="front alarm (public ALB), origin 2 hops down (storefront-web -> pricing-internal ALB -> pricing-api)",
                  decoys="storefront-web deploy 2.5 h earlier with flat errors; search-indexer-1 CPU alarm in ALARM (nightly reindex); constant RoutingError /wp-login.php and target 4XX",
                  text="pricing-api (Go) was redeployed (task definition pricing-api:143, image v2.31.0) about 33 min ago; as "
                       "the new tasks take traffic, about a third of /v1/prices calls (those with promotions) hit a recovered "
                       "nil-pointer panic in promo.(*Engine).Apply and return 500, a signature absent from the v2.30.4 tasks. "
                       "storefront-web (Rails) surfaces these as Pricing::Client::ServerError and returns 500, which is what the "
                       "public ALB alarm counts. The storefront deploy is 2.5 h old with no change in errors and the indexer CPU "
                       "alarm belongs to an unrelated batch host. New error signature right after the deploy: bad_deployment on pricing-api.")
    return s
