"""Scenarios 15-16."""
from __future__ import annotations

import datetime as dt

from . import comp
from .comp import GB
from .core import Scenario, TS, diurnal, ramp
from .fmt import LambdaLog, aspnet, bucketed, dotnet_trace, every, per_minute, pg, rails
from .sc01 import binom

UTC = dt.timezone.utc


# ====================================================================== 15
def s15():
    s = Scenario(15, "partner-api-5xx-authorizer-jwks-setting", "eu-west-3",
                 "Partner API returning 500 to nearly all partners; paged by the API Gateway 5XXError alarm.",
                 3415, dt.datetime(2026, 4, 10, 7, 55, tzinfo=UTC))
    CH = -1900
    TTL = 300
    lb = "app/orders-core-internal/0a2c4e6f8b1d3579"
    dns = "internal-orders-core-internal-913377204.eu-west-3.elb.amazonaws.com"
    new_jwks = "https://idp.acme-partners.fr/oauth2/default/v2/keys"
    s.res("apigateway", "partner-api", stage="prod", authorizer="TOKEN authorizer partner-authorizer (result TTL 300 s)",
          integration="AWS_PROXY lambda partner-orders")
    s.res("lambda", "partner-authorizer", runtime="nodejs20.x", timeout=5, memory_size=256,
          environment={"ISSUER": "https://idp.acme-partners.fr/oauth2/default", "JWKS_URI": new_jwks, "AUDIENCE": "api://partner"})
    s.res("lambda", "partner-orders", runtime="dotnet8", timeout=15, memory_size=1024, environment={"ORDERS_CORE_URL": f"http://{dns}"})
    s.res("alb", lb, name="orders-core-internal", scheme="internal", dns_name=dns, target_group="tg-orders-core -> ecs orders/orders-core")
    s.res("ecs", "orders/orders-core", cluster="orders", service="orders-core", launch_type="FARGATE", desired_count=4,
          task_definition="orders-core:144", runtime="dotnet 8", log_groups=["/ecs/orders-core"])

    cnt = s.series(lambda t: s.p(40 * diurnal(t, 0.15, 15000)), integer=True)
    frac = lambda t: 0.0 if t < CH + 20 else min(0.97, 0.2 + 0.77 * ramp(t, CH, CH + TTL))
    bad = [binom(s, c, frac(t)) for t, c in zip(TS, cnt)]
    comp.apigw(s, "partner-api", cnt, lambda t: s.p(1.2), bad,
               [round(((c - b) * (210 + 30 * s.rng.random()) + b * 160) / c, 2) if c else None for c, b in zip(cnt, bad)])
    # authorizer invocations: cache hits skip it; after the change nothing gets cached
    ainv = [int(c * 0.22) + s.p(1) if t < CH else b for t, c, b in zip(TS, cnt, bad)]
    comp.lambda_(s, "partner-authorizer", ainv, [b for b in bad], lambda t: 0,
                 lambda t: 35 + s.n(0, 6) if t < CH else 140 + s.n(0, 20), lambda t: 1)
    ok = [c - b for c, b in zip(cnt, bad)]
    comp.lambda_(s, "partner-orders", ok, lambda t: 0, lambda t: 0, lambda t: 190 + s.n(0, 25), lambda t: 1 + (s.rng.random() < 0.3))
    internal = s.series(lambda t: s.p(35), integer=True)
    comp.alb(s, lb, [a + b for a, b in zip(ok, internal)], lambda t: s.p(0.05), lambda t: 0, lambda t: 0.11 + 0.03 * s.rng.random(),
             lambda t: 4, lambda t: 0)
    comp.ecs(s, "orders", "orders-core", lambda t: 24 + s.n(0, 2), lambda t: 49 + s.n(0, 1), lambda t: 4)

    la = LambdaLog(s, "partner-authorizer", "node", 256)
    st = {"old": [[], []], "new": [[], []]}
    seen = set()

    def auth(t, b):
        gen = "new" if t >= CH else "old"
        b = b or gen == "new"
        k = s.rng.randrange(2)
        body, init = [], None
        if (gen, k) not in seen:
            seen.add((gen, k))
            init = 210 + s.rng.random() * 40
            jw = new_jwks if gen == "new" else "https://idp.acme-partners.fr/oauth2/default/v1/keys"
            body.append(("INFO", f"config ISSUER=https://idp.acme-partners.fr/oauth2/default JWKS_URI={jw} AUDIENCE=api://partner"))
        partner = s.pick(["carrefour-b2b", "fnac-pro", "leroy-api", "decath-sync", "boulanger-edi"])
        if b:
            body.append(("ERROR", 'Invoke Error \t{"errorType":"JwksError","errorMessage":"Failed to fetch signing keys from JWKS_URI '
                                  f'{new_jwks}: HTTP 404 Not Found","stack":["JwksError: Failed to fetch signing keys from JWKS_URI {new_jwks}: HTTP 404 Not Found",'
                                  '"    at JwksClient.getSigningKeys (/var/task/node_modules/jwks-rsa/src/JwksClient.js:71:15)",'
                                  '"    at async verifyToken (/var/task/src/verify.js:29:17)","    at async Runtime.handler (/var/task/src/index.js:14:19)"]}'))
            ev = la.invoke(t, 120 + s.rng.random() * 40, body, 88, init_ms=init)
        else:
            body.append(("INFO", f"allow principal={partner} scopes=orders:write,orders:read kid=k{s.rng.randint(1, 2)}"))
            ev = la.invoke(t, 30 + s.rng.random() * 15, body, 84, init_ms=init)
        st[gen][k].extend(ev)
        return []
    per_minute(s, ainv, bad, -5400, auth)
    for gen in ("old", "new"):
        for part in st[gen]:
            if part:
                s.log("/aws/lambda/partner-authorizer", la.stream(), part)

    def ex(t, b):
        if not b:
            return []
        rid = s.uid()
        return [(t + 0.12, f"({rid}) Execution failed due to configuration error: Authorizer error"),
                (t + 0.121, f"({rid}) Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500")]
    s.log("API-Gateway-Execution-Logs_p8w2n6r4t1/prod", "p8w2n6r4t1-prod-" + s.hexid(8), per_minute(s, cnt, bad, -5400, ex))

    lo = LambdaLog(s, "partner-orders", "dotnet", 1024)

    def po(t, _):
        body = [("INFO", f"POST /v2/orders partner={s.pick(['carrefour-b2b', 'fnac-pro', 'leroy-api'])} lines={s.rng.randint(1, 40)}")]
        if s.rng.random() < 0.04:
            body.append(("WARN", "orders-core responded in 1.2 s (slow) for GET /api/stock"))
        body.append(("INFO", f"order ORD-FR-{s.rng.randint(10**6, 10**7)} accepted"))
        return lo.invoke(t, 170 + s.rng.random() * 50, body, 140)
    w, bk = bucketed(s, 2, po)
    per_minute(s, ok, None, -3000, w)
    for part in bk:
        s.log("/aws/lambda/partner-orders", lo.stream(), part)

    def oc(t, _):
        return [(t, aspnet("INFO", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                           "Request finished HTTP/1.1 " + s.pick(["POST /api/orders - 201", "GET /api/stock - 200", "GET /api/orders - 200"]).replace(" /", f" http://{dns}/")
                           + f" null application/json {s.rng.randint(20, 140)}.{s.rng.randint(1000, 9999)}ms"))]
    w, bk = bucketed(s, 2, oc)
    per_minute(s, [a + b for a, b in zip(ok, internal)], None, -5400, w, scale=0.25)
    for k, part in enumerate(bk):
        t0 = -2620 + 15 * k
        part += [(t0, aspnet("INFO", "Microsoft.Hosting.Lifetime", 14, "Now listening on: http://[::]:8080")),
                 (t0 + 0.1, aspnet("INFO", "Microsoft.Hosting.Lifetime", 0, "Application started. Press Ctrl+C to shut down.")),
                 (t0 + 0.2, aspnet("INFO", "Acme.Orders.Core.Startup", 0, "orders-core 5.12.1 (build 20260410.3) ready"))]
        part += every(s, -5400, 420, lambda t: [(t, aspnet("WARN", "Microsoft.EntityFrameworkCore.Database.Command", 20100,
                                                           f"Slow query ({s.rng.randint(800, 1400)}ms): SELECT ... FROM stock_levels WHERE sku = ANY(@p0)"))])
        s.log("/ecs/orders-core", f"ecs/orders-core/{s.hexid()}", part)

    s.change(-2640, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "orders/orders-core", "github-actions-deploy")
    s.change(CH, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "partner-authorizer", "m.dubois")
    s.alarm("partner-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "partner-api"}, "Sum", 60, 3, 10,
            "GreaterThanThreshold", "Partner API 5XX")
    s.expect_("partner-api-5xx", "config_change", ["partner-authorizer"],
              [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "partner-authorizer"}},
               {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": "partner-api"}}])
    s.info = dict(front="front alarm, cause on the front door itself (the API's Lambda authorizer)",
                  decoys="orders-core deploy 12 min before the change (downstream, healthy); steady slow-query and slow-upstream WARNs",
                  text="m.dubois updated partner-authorizer's configuration at about -32 min; its new execution environments log "
                       "JWKS_URI=.../v2/keys (was .../v1/keys) and every token check now fails with JwksError 'HTTP 404 Not Found' "
                       "for that URI. API Gateway logs 'Execution failed due to configuration error: Authorizer error' and returns "
                       "500; errors ramp up over 5 min as cached authorizations expire. partner-orders and orders-core see less "
                       "traffic and no errors; their recent deploy is healthy. config_change on the front door's authorizer.")
    return s


# ====================================================================== 16
def s16():
    s = Scenario(16, "booking-5xx-availability-db-host-failure", "ap-northeast-2",
                 "Hotel booking pages failing for most users; paged by the booking-public ALB target 5XX alarm.",
                 3416, dt.datetime(2026, 4, 12, 5, 30, tzinfo=UTC))
    ON = -1750
    BOOT = -840
    pub = "app/booking-public/3a5c7e9b1d0f2468"
    ain = "app/availability-internal/8d0f2b4e6a1c3579"
    adns = "internal-availability-internal-127734590.ap-northeast-2.elb.amazonaws.com"
    s.res("alb", pub, name="booking-public", scheme="internet-facing", target_group="tg-booking-web -> ecs booking/booking-web")
    s.res("ecs", "booking/booking-web", cluster="booking", service="booking-web", launch_type="FARGATE", desired_count=6,
          task_definition="booking-web:230", runtime="ruby 3.3 / rails 7.1", log_groups=["/ecs/booking-web"], availability_url=f"http://{adns}")
    s.res("alb", ain, name="availability-internal", scheme="internal", dns_name=adns,
          target_group="tg-availability-svc -> ecs booking/availability-svc")
    s.res("ecs", "booking/availability-svc", cluster="booking", service="availability-svc", launch_type="FARGATE", desired_count=4,
          task_definition="availability-svc:77", runtime="dotnet 8 (Npgsql 8)", log_groups=["/ecs/availability-svc"])
    s.res("rds", "availability-pg", engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge", max_connections=3300,
          allocated_storage_gb=800, multi_az=False)
    s.res("lambda", "booking-reminders", runtime="ruby3.3", timeout=120, memory_size=512)

    down = lambda t: t >= ON
    req = s.series(lambda t: s.p(520 * diurnal(t, 0.2, -8000)), integer=True)
    dep = [int(r * 0.62) for r in req]
    bad = [binom(s, d, 0.96) if down(t) else 0 for t, d in zip(TS, dep)]
    comp.alb(s, pub, req, [b + s.p(0.3) for b in bad], lambda t: s.p(0.05),
             lambda t: (0.21 + 0.04 * s.rng.random()) if not down(t) else (3.2 + 1.0 * s.rng.random() if t < BOOT else 0.4 + 0.1 * s.rng.random()),
             lambda t: 6, lambda t: 0, t4=lambda t: s.p(12))
    comp.ecs(s, "booking", "booking-web", lambda t: 31 + s.n(0, 2) - 6 * down(t), lambda t: 55 + s.n(0, 1), lambda t: 6)
    comp.alb(s, ain, dep, bad, lambda t: 0,
             lambda t: (0.05 + 0.01 * s.rng.random()) if not down(t) else (3.0 + s.rng.random() if t < BOOT else 0.02),
             lambda t: 4, lambda t: 0)
    comp.ecs(s, "booking", "availability-svc", lambda t: 22 + s.n(0, 2) - 9 * down(t), lambda t: 46 + s.n(0, 1), lambda t: 4)
    comp.rds(s, "availability-pg", lambda t: None if down(t) else 34 + s.n(0, 3),
             lambda t: None if down(t) else 212 + s.n(0, 6),
             lambda t: None if down(t) else 511 * GB - (t + 21600) * 30000,
             lambda t: None if down(t) else 0.0011 + abs(s.n(0, 0.0002)),
             lambda t: None if down(t) else 0.0019 + abs(s.n(0, 0.0003)),
             lambda t: None if down(t) else 12.5 * GB + s.n(0, 1e8))
    br = s.series(lambda t: 1 if s.rng.random() < 0.2 else 0, integer=True)
    comp.lambda_(s, "booking-reminders", br, lambda t: 0, lambda t: 0, lambda t: 8200 + s.n(0, 900), lambda t: 1)

    def web(t, b):
        rq = s.uid()
        hotel = f"H{s.rng.randint(10000, 99999)}"
        start = (t, rails(s, t, "INFO", rq, f'Started GET "/hotels/{hotel}/rooms?checkin=2026-05-0{s.rng.randint(1, 9)}&nights={s.rng.randint(1, 5)}" for {s.ip("121.1")} at {s.wall(t).strftime("%Y-%m-%d %H:%M:%S")} +0000'))
        if b:
            d = 3.0 if t < BOOT else 0.05
            return [start, (t + d, rails(s, t + d, "ERROR", rq, "Faraday::ServerError (the server responded with status 503):\n"
                                         "app/clients/availability_client.rb:31:in `rooms'\n"
                                         "app/controllers/rooms_controller.rb:14:in `index'")),
                    (t + d + 0.01, rails(s, t + d + 0.01, "INFO", rq, f"Completed 502 Bad Gateway in {int(d * 1000) + 12}ms (ActiveRecord: 0.0ms | Allocations: 4120)"))]
        return [start, (t + 0.2, rails(s, t + 0.2, "INFO", rq, f"Completed 200 OK in {s.rng.randint(120, 260)}ms (Views: {s.rng.randint(30, 90)}.{s.rng.randint(0, 9)}ms | ActiveRecord: {s.rng.randint(2, 20)}.{s.rng.randint(0, 9)}ms | Allocations: {s.rng.randint(8000, 40000)})"))]
    w, bk = bucketed(s, 2, web)
    per_minute(s, dep, bad, -5400, w, scale=0.03)
    for part in bk:
        part += every(s, -5400, 150, lambda t: [(t, rails(s, t, "WARN", None, f"[Rack::Attack] throttled 203.0.113.{s.rng.randint(2, 250)} GET /search (limit 60/min)"))], jitter=80)
        s.log("/ecs/booking-web", f"ecs/booking-web/{s.hexid()}", part)

    def av(t, b):
        if b and t < BOOT:
            tr = dotnet_trace("Npgsql.NpgsqlException (0x80004005)", "Failed to connect to 10.0.21.44:5432",
                              ["Npgsql.Internal.NpgsqlConnector.Connect(NpgsqlTimeout timeout)",
                               "Npgsql.Internal.NpgsqlConnector.RawOpen(SslMode sslMode, NpgsqlTimeout timeout, Boolean async, CancellationToken cancellationToken)",
                               "Npgsql.PoolingDataSource.OpenNewConnector(NpgsqlConnection conn, NpgsqlTimeout timeout, Boolean async, CancellationToken cancellationToken)",
                               "Acme.Booking.Availability.Data.RoomRepository.GetAvailableAsync(String hotelId, DateOnly checkin, Int32 nights) in /src/Availability/Data/RoomRepository.cs:line 52"],
                              ("System.Net.Sockets.SocketException (110)", "Connection timed out",
                               ["System.Net.Sockets.Socket.Connect(EndPoint remoteEP)"]))
            return [(t + 2.9, aspnet("ERROR", "Acme.Booking.Availability.Api.RoomsEndpoint", 0, "Availability query failed\n" + tr))]
        if b:
            return [(t + 0.01, aspnet("ERROR", "Acme.Booking.Availability.Api.RoomsEndpoint", 0, "Availability query failed\n" + dotnet_trace(
                "Npgsql.PostgresException (0x80004005)", "57P03: the database system is not yet accepting connections\n\nDETAIL: Consistent recovery state has not been yet reached.",
                ["Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, Boolean readingNotifications, Boolean isReadingPrependedMessage)",
                 "Npgsql.Internal.NpgsqlConnector.Authenticate(String username, NpgsqlTimeout timeout, Boolean async, CancellationToken cancellationToken)",
                 "Acme.Booking.Availability.Data.RoomRepository.GetAvailableAsync(String hotelId, DateOnly checkin, Int32 nights) in /src/Availability/Data/RoomRepository.cs:line 52"])))]
        return [(t, aspnet("INFO", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                           f"Request finished HTTP/1.1 GET http://{adns}/v1/rooms - 200 null application/json {s.rng.randint(20, 70)}.{s.rng.randint(1000, 9999)}ms"))]
    w, bk = bucketed(s, 2, av)
    per_minute(s, dep, bad, -5400, w, scale=0.06)
    for part in bk:
        part += every(s, ON + 30, 60, lambda t: [(t, aspnet("WARN", "Acme.Booking.Availability.Health.DbProbe", 0,
                                                            f"db probe failed: availability-pg.c7w1n2k9x0ab.ap-northeast-2.rds.amazonaws.com:5432 "
                                                            f"{'Connection timed out' if t < BOOT else '57P03 not yet accepting connections'}"))])
        s.log("/ecs/availability-svc", f"ecs/availability-svc/{s.hexid()}", part)

    def ck(t):
        return [(t, pg(s, t, "", 397, "LOG", f"checkpoint complete: wrote {s.rng.randint(3000, 12000)} buffers ({s.rng.random() * 4:.1f}%); 0 WAL file(s) added, 0 removed, 3 recycled"))]
    pev = every(s, -10800, 300, ck, t_to=ON - 30)
    w0 = s.wall(ON - 40).strftime("%Y-%m-%d %H:%M:%S")
    pev += [(BOOT + 2, pg(s, BOOT + 2, "", 412, "LOG", "starting PostgreSQL 15.5 on aarch64-unknown-linux-gnu, compiled by gcc (GCC) 7.3.1 20180712 (Red Hat 7.3.1-6), 64-bit")),
            (BOOT + 3, pg(s, BOOT + 3, "", 418, "LOG", f"database system was interrupted; last known up at {w0} UTC")),
            (BOOT + 9, pg(s, BOOT + 9, "", 418, "LOG", "database system was not properly shut down; automatic recovery in progress")),
            (BOOT + 10, pg(s, BOOT + 10, "", 418, "LOG", "redo starts at 3A1/7C0012B8"))]
    pev += every(s, BOOT + 20, 10, lambda t: [(t, pg(s, t, f"10.0.{s.rng.randint(30, 37)}.{s.rng.randint(2, 250)}({s.rng.randint(30000, 60000)}):avail_app@availability",
                                                   s.rng.randint(500, 9000), "FATAL", "the database system is not yet accepting connections"))], jitter=9)
    pev += every(s, BOOT + 10, 300, lambda t: [(t + 290, pg(s, t + 290, "", 418, "LOG",
                                                            f"redo in progress, elapsed time: {t + 290 - BOOT - 10:.2f} s, current LSN: 3A1/{s.hexid(8).upper()}"))])
    s.log("/aws/rds/instance/availability-pg/postgresql", "availability-pg.0", pev)

    lr = LambdaLog(s, "booking-reminders", "ruby", 512)
    s.log("/aws/lambda/booking-reminders", lr.stream(), per_minute(s, br, None, -10800, lambda t, b: lr.invoke(
        t, 8000 + s.rng.random() * 900, [("INFO", f"queued {s.rng.randint(20, 300)} check-in reminders via SES")], 140)))
    s.change(-7000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "booking/booking-web", "github-actions-deploy")
    s.change(-2100, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "booking-reminders", "j.kim")
    s.alarm("booking-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": pub}, "Sum", 60, 3, 30,
            "GreaterThanThreshold", "Booking site: targets returning 5XX")
    s.expect_("booking-public-target-5xx", "dependency_failure", ["availability-pg"],
              [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": ain}},
               {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": pub}}])
    s.info = dict(front="front alarm (public ALB), origin 3 hops down (booking-web -> availability-internal ALB -> availability-svc -> availability-pg)",
                  decoys="booking-reminders config change 6 min before onset; booking-web deploy ~1.5 h earlier; constant Rack::Attack 'throttled' WARN in booking-web",
                  text="availability-pg (Single-AZ) stops answering at about -29 min: its CloudWatch metrics stop, availability-svc "
                       "(.NET/Npgsql) gets 'Failed to connect ... Connection timed out' and, once the instance comes back on a new host "
                       "(-14 min), '57P03 the database system is not yet accepting connections' while PostgreSQL runs crash recovery "
                       "('database system was interrupted ... automatic recovery in progress', redo still in progress). Before "
                       "the outage the DB was healthy (CPU ~34 %, 212 of 3300 connections, 500+ GB free). booking-web (Rails) "
                       "turns the upstream 503s into 502 and the public ALB alarm fires. The Rack::Attack throttle lines are "
                       "steady all day and the reminders config change is unrelated. dependency_failure on availability-pg.")
    return s
