"""Scenarios 04-06: RDS MySQL storage latency behind API GW + Lambda, Postgres connection exhaustion
behind ALB + ECS (.NET), CPU saturation of one Rails instance behind an ALB."""
from __future__ import annotations

import datetime as dt
import json
import math

from .core import UTC, Scenario, ramp
from .infra import (GB, Streams, alb_metrics, dotnet_json, ec2_metrics, ecs_metrics, mysql_err, pg_checkpoints,
                    pg_line, rails, rds_metrics)
from .lam import LambdaFn, apigw_front, fn_minutes

MYSQL_TIMEOUT = {"errorType": "Error", "errorMessage": "Query inactivity timeout", "code": "PROTOCOL_SEQUENCE_TIMEOUT",
                 "fatal": True, "timeout": 5000, "stack": [
                     "Error: Query inactivity timeout",
                     "    at Query.<anonymous> (/var/task/node_modules/mysql/lib/protocol/Protocol.js:160:17)",
                     "    at Query.emit (node:events:517:28)",
                     "    at Query._onTimeout (/var/task/node_modules/mysql/lib/protocol/sequences/Sequence.js:124:8)",
                     "    at Timer._onTimeout (/var/task/node_modules/mysql/lib/protocol/Timer.js:32:23)",
                     "    at listOnTimeout (node:internal/timers:569:17)",
                     "    --------------------",
                     "    at Protocol._enqueue (/var/task/node_modules/mysql/lib/protocol/Protocol.js:144:48)",
                     "    at PoolConnection.query (/var/task/node_modules/mysql/lib/Connection.js:198:25)",
                     "    at /var/task/src/db.js:41:12"]}


def s04():
    s = Scenario(4, "catalog-mysql-io", "us-east-1", dt.datetime(2026, 3, 13, 15, 35, tzinfo=UTC), 4604,
                 "Product search timing out on the storefront; catalog API 5XX alarm fired.", log_start=-6000)
    r = s.rng
    T, db, host = -1500, "prod-catalog-mysql", "prod-catalog-mysql.cx8k2pqa7l1d.us-east-1.rds.amazonaws.com"
    s.resource("apigateway", "prod-catalog-api", stage="v1", integrations=["prod-catalog-search"])
    s.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.xlarge", max_connections=2000,
               allocated_storage_gb=800, storage_type="gp3")
    fn = LambdaFn(s, "prod-catalog-search", "nodejs18.x", memory=768, timeout=15, mem_used=(140, 180),
                  environment={"DB_HOST": host, "DB_NAME": "catalog", "QUERY_TIMEOUT_MS": "5000"})
    idx = LambdaFn(s, "prod-catalog-indexer", "nodejs18.x", memory=512, timeout=120, mem_used=(150, 190),
                   generations=[(-1620, "$LATEST")], environment={"OPENSEARCH_ENDPOINT": "https://vpc-catalog-os.us-east-1.es.amazonaws.com"})
    s.change(-1620, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "prod-catalog-indexer", "gitlab-runner-deploy")
    slow = Streams(s, f"/aws/rds/instance/{db}/slowquery")
    err = Streams(s, f"/aws/rds/instance/{db}/error")
    cats = ["womens-dresses", "mens-shirts", "kids-shoes", "home-lighting", "outdoor-furniture", "kitchen", "bags"]
    for m in s.minutes():
        bad = m >= T - 30
        for t in s.spread(m, s.pois(40 * s.diurnal(m, lo=0.3, peak=14))):
            q, cat = r.choice(["linen", "sandals", "lamp", "oak table", "sale", "rain jacket", "tote"]), r.choice(cats)
            dbms = s.jit(45, 0.3) if t < T else math.exp(r.gauss(math.log(3800), 0.55))
            if bad and t >= T and dbms > 5000:
                body = dict(MYSQL_TIMEOUT)
                if r.random() < 0.08:
                    body = {"errorType": "Error", "errorMessage": "connect ETIMEDOUT", "code": "ETIMEDOUT",
                            "errorno": "ETIMEDOUT", "syscall": "connect", "fatal": True,
                            "stack": ["Error: connect ETIMEDOUT", "    at PoolConnection.Connection._handleConnectTimeout "
                                      "(/var/task/node_modules/mysql/lib/Connection.js:409:13)"]}
                fn.add(t, 5000 + s.jit(60, 0.2), "error",
                       [(5040, "ERROR", "Invoke Error \t" + json.dumps(body, separators=(",", ":")))])
                continue
            lines = [(4, "INFO", f'search q="{q}" category={cat} page=1')]
            if dbms > 1000:
                lines.append((dbms + 6, "WARN", f"slow query {dbms:.0f}ms: SELECT p.id, p.sku, p.title, p.price_cents "
                                                f"FROM products p WHERE p.category_id = ? AND p.active = 1 ORDER BY p.rank LIMIT 20"))
            lines.append((dbms + 12, "INFO", f"results={r.randint(0, 20)} db_ms={dbms:.0f}"))
            fn.add(t, dbms + s.jit(40, 0.2), lines=lines)
            if t >= s.log_start and dbms > 4000:
                slow.add(f"{db}", t + dbms / 1000, _slowq(s, t + dbms / 1000, dbms / 1000, cat))
        for t in s.spread(m, s.pois(5)):
            idx.add(t, s.jit(820, 0.15), lines=[(800, "INFO", f"indexed {r.randint(80, 250)} docs into catalog-v7")])
        if m >= s.log_start:
            for t in s.spread(m, s.pois(0.3)):
                err.add(f"{db}.err", t, mysql_err(s, t, r.randint(80000, 99000), "Note", "MY-010914", "Server",
                        f"Aborted connection {r.randint(80000, 99000)} to db: 'catalog' user: 'catalog_app' host: "
                        f"'{s.ip('10.0')}' (Got an error reading communication packets)."))
            for t in s.spread(m, s.pois(0.15)):
                slow.add(f"{db}", t, _slowq(s, t, r.uniform(2.1, 3.4), None))
            if m >= T:
                for t in s.spread(m, s.pois(1.4)):
                    ms = r.randint(4200, 11800)
                    err.add(f"{db}.err", t, mysql_err(s, t, 0, "Warning", "MY-011951", "InnoDB",
                            f"page_cleaner: 1000ms intended loop took {ms}ms. The settings might not be optimal. "
                            f"(flushed={r.randint(4, 60)}, during the time.)"))
    fn.finish()
    idx.finish()
    slow.flush()
    err.flush()
    apigw_front(s, "prod-catalog-api", fn_minutes(fn))
    hit = lambda t: t >= T  # noqa: E731
    rds_metrics(s, db, cpu=lambda t: s.jit(9 if hit(t) else 17 + 6 * s.diurnal(t), 0.08),
                conns=lambda t: r.randint(110, 140) if hit(t) else r.randint(30, 42),
                free_storage=lambda t: 412.7 * GB - (t + 21600) * 21000, freeable_mem=lambda t: s.jit(11.8 * GB, 0.01),
                read_lat=lambda t: s.jit(0.34 if hit(t) else 0.0009, 0.15), write_lat=lambda t: s.jit(0.61 if hit(t) else 0.0018, 0.15),
                read_iops=lambda t: s.jit(310 if hit(t) else 2400 * s.diurnal(t, lo=0.5), 0.1),
                write_iops=lambda t: s.jit(140 if hit(t) else 780, 0.1), queue=lambda t: s.jit(64 if hit(t) else 1.4, 0.15))
    s.resource("ec2", "i-0e3b7a1c5d9f24688", name="prod-jenkins-agent-3", instance_type="c6i.2xlarge")
    ec2_metrics(s, "i-0e3b7a1c5d9f24688", step=300, cpu=lambda t: s.jit(99, 0.01) if -1900 <= t < -1100 else s.jit(4, 0.3),
                net_in=lambda t: s.jit(900000, 0.3))
    s.alarm("prod-catalog-api-5XX", "AWS/ApiGateway", "5XXError", {"ApiName": "prod-catalog-api"}, "Sum", 60, 3, 2,
            description="Catalog API 5XX errors")
    s.readme = dict(pos="front (API Gateway, 2 hops: API -> Lambda -> RDS)",
                    decoys="prod-catalog-indexer deploy 2 min before onset (writes to OpenSearch, healthy); Jenkins agent CPU "
                    "at 99 % over the same window; steady MySQL 'Aborted connection' notes and an old slow analytic query",
                    story="From -1500 s the MySQL instance's storage stalls: ReadLatency 1 ms -> 340 ms, WriteLatency 2 ms -> 610 ms, "
                    "DiskQueueDepth 1.4 -> 64, IOPS collapse, InnoDB page_cleaner warnings, and 20-row primary-key reads show up in "
                    "the slow-query log at 4-9 s. CPU drops, connections rise to ~130 of 2000 and storage is 400 GB free, so the "
                    "database is not exhausted. prod-catalog-search waits on it and fails with mysql 'Query inactivity timeout' "
                    "(5 s query timeout, far under the 15 s function timeout), which API Gateway turns into 5XX. The indexer "
                    "deploy does not touch MySQL and the Jenkins agent is unrelated. Timeouts from a downstream database that is "
                    "not itself exhausted: dependency_failure on prod-catalog-mysql.")
    return s.build("prod-catalog-api-5XX", "dependency_failure", [db],
                   [("AWS/RDS", "ReadLatency", {"DBInstanceIdentifier": db}),
                    ("AWS/RDS", "WriteLatency", {"DBInstanceIdentifier": db}),
                    ("AWS/Lambda", "Errors", {"FunctionName": "prod-catalog-search"})])


def _slowq(s, t, secs, cat):
    user, sql = ("catalog_app", f"SELECT p.id, p.sku, p.title, p.price_cents FROM products p WHERE p.category_id = "
                                f"{s.rng.randint(100, 999)} AND p.active = 1 ORDER BY p.rank LIMIT 20;") if cat else \
        ("bi_reader", "SELECT c.slug, COUNT(*) AS n, SUM(oi.qty) FROM order_items oi JOIN products p ON p.id = oi.product_id "
                      "JOIN categories c ON c.id = p.category_id WHERE oi.created_at > NOW() - INTERVAL 30 DAY GROUP BY c.slug;")
    rows = 20 if cat else s.rng.randint(40, 70)
    return (f"# Time: {s.iso(t, digits=6)}\n# User@Host: {user}[{user}] @  [{s.ip('10.0')}]  Id: {s.rng.randint(80000, 99000)}\n"
            f"# Query_time: {secs:.6f}  Lock_time: 0.00000{s.rng.randint(1, 9)} Rows_sent: {rows}  Rows_examined: "
            f"{rows if cat else s.rng.randint(800000, 2000000)}\nSET timestamp={s.epoch_ms(t) // 1000};\n{sql}")


NPG_FULL = ("Npgsql.PostgresException (0x80004005): 53300: sorry, too many clients already\n"
            "   at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, Boolean readingNotifications, Boolean isReadingPrependedMessage)\n"
            "   at Npgsql.Internal.NpgsqlConnector.AuthenticateSASL(List`1 mechanisms, String username, Boolean async, CancellationToken cancellationToken)\n"
            "   at Npgsql.Internal.NpgsqlConnector.Open(NpgsqlTimeout timeout, Boolean async, CancellationToken cancellationToken)\n"
            "   at Npgsql.PoolingDataSource.OpenNewConnector(NpgsqlConnection conn, NpgsqlTimeout timeout, Boolean async, CancellationToken cancellationToken)\n"
            "   at Npgsql.NpgsqlConnection.<Open>g__OpenAsync|42_0(Boolean async, CancellationToken cancellationToken)\n"
            "   at BookingApi.Data.BookingRepository.GetAvailabilityAsync(Guid venueId, DateOnly day) in /src/BookingApi/Data/BookingRepository.cs:line 88\n"
            "   at BookingApi.Controllers.AvailabilityController.Get(Guid venueId, DateOnly day) in /src/BookingApi/Controllers/AvailabilityController.cs:line 34\n"
            "  Exception data:\n    Severity: FATAL\n    SqlState: 53300\n    MessageText: sorry, too many clients already\n"
            "    File: proc.c\n    Line: 359\n    Routine: InitProcess")
NPG_POOL = ("Npgsql.NpgsqlException (0x80004005): The connection pool has been exhausted, either raise 'Max Pool Size' "
            "(currently 30) or 'Timeout' (currently 15 seconds) in your connection string.\n"
            " ---> System.TimeoutException: The operation has timed out.\n   --- End of inner exception stack trace ---\n"
            "   at Npgsql.PoolingDataSource.<Get>g__RentAsync|34_0(NpgsqlConnection conn, NpgsqlTimeout timeout, Boolean async, CancellationToken cancellationToken)\n"
            "   at Npgsql.NpgsqlConnection.<Open>g__OpenAsync|42_0(Boolean async, CancellationToken cancellationToken)\n"
            "   at BookingApi.Data.BookingRepository.CreateAsync(BookingRequest request) in /src/BookingApi/Data/BookingRepository.cs:line 131\n"
            "   at BookingApi.Controllers.BookingsController.Create(BookingRequest request) in /src/BookingApi/Controllers/BookingsController.cs:line 52")


def s05():
    s = Scenario(5, "bookings-pg-connections", "ap-southeast-2", dt.datetime(2026, 3, 16, 23, 10, tzinfo=UTC), 4605,
                 "Booking pages slow and failing with 500s; bookings ALB 5XX alarm is red.", log_start=-5400)
    r = s.rng
    lb, cl, svc, db = "app/svc-bookings-public/3f9a0c1d2e4b5a67", "svc-bookings", "BookingApi", "bookings-pg-prod"
    s.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=6, load_balancer=lb,
               task_definition="BookingApi:214", log_groups=[f"/ecs/{cl}/{svc}"], connection_string_pool="Max Pool Size=30;Timeout=15")
    s.resource("ecs", f"{cl}/NotificationWorker", launch_type="FARGATE", cpu=256, memory=512, desired_count=2,
               task_definition="NotificationWorker:57", log_groups=[f"/ecs/{cl}/NotificationWorker"])
    s.resource("alb", lb, name="svc-bookings-public", scheme="internet-facing", targets=[f"{cl}/{svc}"])
    s.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.m6g.large", max_connections=200,
               allocated_storage_gb=200)
    s.change(-2130, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "NotificationWorker:57", "octopus-deploy")
    s.change(-2100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/NotificationWorker", "octopus-deploy")
    T = -1800
    conns = lambda t: min(200, int(ramp(t, -9000, T, 62, 200) + r.randint(-2, 2)))  # noqa: E731
    tasks = [s.hexs(32) for _ in range(6)]
    app, pg = Streams(s, f"/ecs/{cl}/{svc}"), Streams(s, f"/aws/rds/instance/{db}/postgresql")
    rows = {}
    paths = ["/api/availability/{v}?day=2026-03-2{d}", "/api/bookings/bk_{b}", "/api/venues/{v}", "/api/bookings"]
    for m in s.minutes():
        req = s.pois(300 * s.diurnal(m, lo=0.2, peak=11))
        bad = s.pois(req * 0.15) if m >= T else 0
        t4 = s.pois(req * 0.02)
        rows[m] = dict(req=req, t2=req - bad - t4, t4=t4, t5=bad, e5=s.pois(0.03), healthy=6, unhealthy=0,
                       rt=s.jit(0.062, 0.08) + (s.jit(2.4, 0.15) if m >= T else (0.03 if conns(m) > 185 else 0)))
        if m < s.log_start:
            continue
        for t in s.spread(m, s.pois(req / 15)):
            p = r.choice(paths).format(v=s.uid(), d=r.randint(0, 9), b=s.hexs(10))
            ms = r.uniform(12, 90) + (r.uniform(1500, 9000) if m >= T else 0)
            meth = "POST" if p == "/api/bookings" else "GET"
            app.add(f"ecs/{svc}/{r.choice(tasks)}", t, dotnet_json(s, t, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics",
                    f"Request finished HTTP/1.1 {meth} http://svc-bookings-public{p} - {201 if meth == 'POST' else 200} "
                    f"{r.randint(300, 4000)} application/json;+charset=utf-8 {ms:.4f}ms", event_id=2))
        for t in s.spread(m, bad):
            full = r.random() < 0.45
            app.add(f"ecs/{svc}/{r.choice(tasks)}", t, dotnet_json(s, t, "Error", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware",
                    "An unhandled exception has occurred while executing the request.", event_id=1, exc=NPG_FULL if full else NPG_POOL))
            if full:
                msg = r.choice(["sorry, too many clients already", "remaining connection slots are reserved for non-replication superuser connections"])
                pg.add(f"{db}.log", t - 0.01, pg_line(s, t - 0.01, "FATAL", msg, ip=s.ip("10.40"), user="booking_app", db="bookings"))
        for t in s.spread(m, s.pois(0.5)):
            app.add(f"ecs/{svc}/{r.choice(tasks)}", t, dotnet_json(s, t, "Warning", "BookingApi.Services.FxRateCache",
                    "Exchange rate for NZD is older than 24h (fetched 2026-03-15T21:00:00Z); using cached value", event_id=3107))
        for t in s.spread(m, s.pois(0.15)):
            pg.add(f"{db}.log", t, pg_line(s, t, "LOG", "could not receive data from client: Connection reset by peer",
                   ip=s.ip("10.40"), user="booking_app", db="bookings"))
    for t, line in pg_checkpoints(s, s.log_start + 17):
        pg.add(f"{db}.log", t, line)
    nw = Streams(s, f"/ecs/{cl}/NotificationWorker")
    for k, tid in enumerate([s.hexs(32) for _ in range(4)]):
        t, end = (s.log_start + 3, -2010) if k < 2 else (-2060, -1)
        while t < end:
            nw.add(f"ecs/NotificationWorker/{tid}", t, dotnet_json(s, t, "Information", "NotificationWorker.SmsReminderJob",
                   f"Sent SMS reminder for booking bk_{s.hexs(10)} (venue {s.uid()})", event_id=10))
            t += r.uniform(20, 70)
    app.flush()
    pg.flush()
    nw.flush()
    alb_metrics(s, lb, rows)
    ecs_metrics(s, cl, svc, cpu=lambda t: s.jit(14 + 20 * s.diurnal(t, lo=0.2, peak=11), 0.07),
                mem=lambda t: s.jit(47 + ramp(t, -9000, T, 0, 6), 0.01), running=lambda t: 6)
    ecs_metrics(s, cl, "NotificationWorker", cpu=lambda t: s.jit(6, 0.2) + (15 if -2080 <= t < -2000 else 0),
                mem=lambda t: s.jit(31, 0.02), running=lambda t: 4 if -2070 <= t < -2010 else 2, desired=lambda t: 2)
    rds_metrics(s, db, cpu=lambda t: s.jit(21 + 10 * s.diurnal(t, lo=0.2, peak=11), 0.07), conns=conns,
                free_storage=lambda t: 131.2 * GB - (t + 21600) * 4000,
                freeable_mem=lambda t: s.jit(3.9 * GB - conns(t) * 9.5e6, 0.005),
                read_lat=lambda t: s.jit(0.0007, 0.1), write_lat=lambda t: s.jit(0.0013, 0.1))
    s.alarm("svc-bookings-public-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 2, 20,
            description="Bookings ALB target 5XX")
    s.readme = dict(pos="front (ALB, 2 hops: ALB -> ECS -> RDS)", decoys="NotificationWorker (same cluster, no DB access) "
                    "deployed 5 min before onset; steady FX-cache warning; steady 'connection reset by peer' in the Postgres log",
                    story="DatabaseConnections on bookings-pg-prod creeps up for two hours (62 -> 200) and pins at the instance's "
                    "max_connections=200 from -1800 s. From then on BookingApi requests wait up to 15 s for a pooled connection and "
                    "fail either with Npgsql 'connection pool has been exhausted' or with 53300 'sorry, too many clients already', "
                    "which the Postgres log confirms (FATAL too many clients / remaining slots reserved). CPU, latency and storage "
                    "of the DB are normal; the NotificationWorker deploy in the same cluster never touches Postgres. Connections at "
                    "the limit with pool-exhausted errors: db_connection_exhaustion on the database, two hops behind the alarmed ALB.")
    return s.build("svc-bookings-public-5xx", "db_connection_exhaustion", [db],
                   [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}),
                    ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])


def s06():
    s = Scenario(6, "storefront-web-cpu", "us-west-2", dt.datetime(2026, 3, 17, 21, 25, tzinfo=UTC), 4606,
                 "Storefront pages intermittently very slow; ALB latency alarm fired.", hist=28800, log_start=-5400)
    r = s.rng
    lb = "app/prod-storefront-alb/9d2e6b1a0c3f4e58"
    web = [("i-0a7c2e91d4b3f5601", "storefront-web-1"), ("i-0b7d13e8f2a4c6d92", "storefront-web-2"),
           ("i-0c1e5f7a9b3d2e843", "storefront-web-3")]
    hot, T = web[1][0], -1980
    for iid, name in web:
        s.resource("ec2", iid, name=name, instance_type="c6i.xlarge", log_groups=["/storefront/production", "/storefront/cron"])
    s.resource("ec2", "i-05f8a2c4e6b1d3079", name="reporting-batch-1", instance_type="m6i.2xlarge")
    s.resource("alb", lb, name="prod-storefront-alb", scheme="internet-facing", targets=[w[0] for w in web])
    s.change(-2300, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0f1e2d3c4b5a69788",
             "k.nguyen")
    prod, cron = Streams(s, "/storefront/production"), Streams(s, "/storefront/cron")
    pids = {iid: r.randint(2000, 9000) for iid, _ in web}
    rows = {}
    urls = ["/products/{s}", "/collections/{c}", "/cart", "/", "/search?q={q}", "/products/{s}"]
    ctrl = {"/products": ("ProductsController", "show"), "/collections": ("CollectionsController", "show"),
            "/cart": ("CartsController", "show"), "/": ("HomeController", "index"), "/search": ("SearchController", "index")}
    for m in s.minutes():
        req = s.pois(600 * s.diurnal(m, lo=0.25, peak=13))
        slow = m >= T
        t5 = s.pois(req / 3 * 0.06) if slow else s.pois(0.05)
        t4 = s.pois(req * 0.01) + s.pois(0.6)
        rt = s.jit(0.18, 0.07) * (2 / 3) + (s.jit(6.8, 0.12) if slow else s.jit(0.18, 0.07)) / 3
        rows[m] = dict(req=req, rt=rt, t2=req - t4 - t5, t4=t4, t5=t5, e5=s.pois(0.02), healthy=3, unhealthy=0)
        if m < s.log_start:
            continue
        for t in s.spread(m, s.pois(req / 12)):
            iid = r.choice(web)[0]
            u = r.choice(urls).format(s=r.choice(["linen-shirt", "oak-side-table", "canvas-tote", "trail-runner-2"]),
                                      c=r.choice(["summer", "new-in", "sale"]), q=r.choice(["lamp", "shirt", "rug"]))
            c, a = ctrl.get("/" + u.split("/")[1].split("?")[0], ctrl["/"])
            view, dbt = r.uniform(20, 120), r.uniform(4, 45)
            if iid == hot and slow:
                view *= r.uniform(25, 70)
            prod.add(iid, t, rails(s, t, "INFO", pids[iid], f"method=GET path={u} format=html controller={c} action={a} "
                     f"status=200 duration={view + dbt + r.uniform(2, 9):.2f} view={view:.2f} db={dbt:.2f} "
                     f"allocations={r.randint(20000, 90000)}", req=s.uid()))
        for t in s.spread(m, t5):
            iid = hot if slow else r.choice(web)[0]
            rq = s.uid()
            prod.add(iid, t, rails(s, t, "ERROR", pids[iid], "Rack::Timeout::RequestTimeoutException (Request ran for longer "
                     "than 15000ms ):\n  app/views/products/_grid.html.erb:14:in `block in _app_views_products__grid_html_erb'\n"
                     "  app/helpers/pricing_helper.rb:31:in `localized_price'", req=rq))
            prod.add(iid, t + 0.002, rails(s, t + 0.002, "INFO", pids[iid], "method=GET path=/collections/new-in format=html "
                     "controller=CollectionsController action=show status=500 error='Rack::Timeout::RequestTimeoutException: "
                     "Request ran for longer than 15000ms ' duration=15003.11", req=rq))
        for t in s.spread(m, s.pois(0.6)):
            iid = r.choice(web)[0]
            prod.add(iid, t, rails(s, t, "FATAL", pids[iid], 'ActionController::RoutingError (No route matches [GET] "/wp-login.php"):',
                     req=s.uid()))
        if m % 3600 == 0 or m == -2040:
            task = "sitemap:refresh" if m == -2040 else "cache:warm_featured"
            cron.add(hot, m + 0.4, f"{s.stamp(m, '%b %d %H:%M:%S')} ip-10-2-3-41 CRON[{r.randint(20000, 30000)}]: (deploy) CMD "
                     f"(/bin/bash -l -c 'cd /srv/storefront/current && RAILS_ENV=production bundle exec rake {task} --silent "
                     ">> log/cron.log 2>&1')")
            if m != -2040:
                cron.add(hot, m + 41, f"{task} finished: 240 featured products warmed in 38.2s")
    cron.add(hot, -2031, "sitemap:refresh started: 1842310 urls across 37 locales, threads=4, nice=0")
    for k, t in enumerate(range(-1920, 0, 240)):
        done = 68000 * (k + 1)
        cron.add(hot, t, f"sitemap:refresh progress {done}/1842310 ({done * 100 // 1842310}%) elapsed={t + 2031}s")
    prod.flush()
    cron.flush()
    alb_metrics(s, lb, rows)
    for iid, _ in web:
        pinned = iid == hot
        ec2_metrics(s, iid, cpu=lambda t, p=pinned: s.jit(99.2, 0.004) if p and t >= T else s.jit(14 + 24 * s.diurnal(t, lo=0.25, peak=13), 0.07),
                    mem=lambda t, p=pinned: s.jit(58 + (ramp(t, T, 0, 0, 9) if p else 0), 0.01),
                    disk=lambda t: 46.0 + (t + 28800) / 28800 * 0.3, net_in=lambda t: s.jit(3.1e6 * s.diurnal(t, lo=0.25, peak=13), 0.08))
    ec2_metrics(s, "i-05f8a2c4e6b1d3079", step=300, cpu=lambda t: s.jit(99.5, 0.003) if -2700 <= t < -1500 else s.jit(3, 0.3),
                net_in=lambda t: s.jit(8e5, 0.3))
    s.alarm("prod-storefront-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 5, 1.5,
            description="Storefront ALB average target response time > 1.5 s")
    s.readme = dict(pos="front (ALB, 1 hop)", decoys="reporting-batch-1 at 100 % CPU (5-min basic monitoring) until -1500 s; "
                    "security-group ingress change by an engineer at -2300 s; steady /wp-login.php RoutingErrors (404)",
                    story="At -2040 s cron on storefront-web-2 starts `rake sitemap:refresh` (1.8 M URLs, 4 threads); from -1980 s "
                    "that instance's CPU sits at 99 % while web-1 and web-3 stay at ~38 %. Every request routed to web-2 renders "
                    "25-70x slower (view time, not DB time) and some hit Rack::Timeout, so the ALB's average response time jumps "
                    "from 0.18 s to ~2.4 s. Memory, disk and the database are fine; the batch box with a CPU spike is not a target. "
                    "CPU pinned with latency following: cpu_saturation on storefront-web-2.")
    return s.build("prod-storefront-alb-latency", "cpu_saturation", [hot, "storefront-web-2"],
                   [("AWS/EC2", "CPUUtilization", {"InstanceId": hot}),
                    ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
