"""Scenarios 15-16: Aurora MySQL out of connections from a scaled-out SQS consumer; Lambda moved into a VPC."""
import json

from .common import Ctx, Scenario, grid, diurnal, ramp, clamp
from .lam import Fn, drive, drive_workers, apigw
from .rds import rds_metrics, mysql_background
from .s01_03 import ln, noise

MYSQL_NET = ("MySqlConnector.MySqlException (0x80004005): Too many connections\n"
             "   at MySqlConnector.Core.ServerSession.ReceiveReplyAsyncAwaited(ValueTask`1 task) in /_/src/MySqlConnector/Core/ServerSession.cs:line 894\n"
             "   at MySqlConnector.Core.ServerSession.ConnectAsync(ConnectionSettings cs, MySqlConnection connection, Int32 startTickCount, "
             "ILoadBalancer loadBalancer, Activity activity, IOBehavior ioBehavior, CancellationToken cancellationToken) in "
             "/_/src/MySqlConnector/Core/ServerSession.cs:line 441\n"
             "   at MySqlConnector.MySqlConnection.CreateSessionAsync(ConnectionPool pool, Int32 startTickCount, Activity activity, "
             "Nullable`1 ioBehavior, CancellationToken cancellationToken) in /_/src/MySqlConnector/MySqlConnection.cs:line 1014\n"
             "   at MySqlConnector.MySqlConnection.OpenAsync(Nullable`1 ioBehavior, CancellationToken cancellationToken) in "
             "/_/src/MySqlConnector/MySqlConnection.cs:line 458\n"
             "   at Bookings.Api.Data.BookingRepository.OpenAsync() in /src/Bookings.Api/Data/BookingRepository.cs:line 29")


def s15():
    c = Ctx(4815)
    sc = Scenario(c, "h48-15-bookings-aurora-connections", "eu-west-1",
                  "Bookings API failing intermittently with 500s; API 5XX alarm.")
    T, PUSH = grid(6), -2400
    sc.res("rds", "bookings-aurora-1", engine="aurora-mysql", engine_version="8.0.mysql_aurora.3.05.2",
           instance_class="db.t4g.medium", cluster="bookings-aurora", role="writer", max_connections=90)
    sc.res("lambda", "bookings-api", runtime="dotnet8", memory_size=512, timeout=10)
    sc.res("lambda", "availability-sync", runtime="python3.12", memory_size=256, timeout=60,
           event_source="sqs:partner-availability-queue", batch_size=10)
    sc.res("apigateway", "bookings-http", stage="prod", integration="bookings-api")
    sc.change(-9600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "bookings-api", "ci-deployer")
    sync_conc = [3 + 72 * ramp(t, PUSH, 300) + (c.gauss(0, 2) if t >= PUSH else c.r.randint(-1, 1)) for t in T]
    api_conn = [14 * diurnal(t, 0.2, 0.4) + c.gauss(0, 1.5) for t in T]
    conns = [min(90.0, round(s + a + 4)) for s, a in zip(sync_conc, api_conn)]
    full = {t: v >= 89 for t, v in zip(T, conns)}
    fn = Fn(sc, "bookings-api", "dotnet8", 512, 10, log_from=-6600)
    fn.prewarm(T[0], 4)

    def spec(t, cold, rid):
        slot = "%s-%02d:%s" % (c.stamp(t + 86400 * c.r.randint(1, 20), "%Y-%m-%d"), c.r.randint(8, 19), c.r.choice(["00", "30"]))
        res = "RES-%s" % c.digits(7)
        lines = [(1, "INFO", "POST /v1/bookings resource=%s slot=%s" % (res, slot))]
        m = t - (t % 60)
        if full.get(m) and (cold or c.r.random() < 0.42):
            d = ln(c, 40, 0.3)
            lines.append((d - 3, "ERROR", "Failed to open database connection\n" + MYSQL_NET))
            lines.append((d - 1, None, json.dumps({"errorType": "MySqlException", "errorMessage": "Too many connections",
                                                   "stackTrace": ["at MySqlConnector.Core.ServerSession.ConnectAsync(...)",
                                                                  "at Bookings.Api.Data.BookingRepository.OpenAsync()"]})))
            return {"duration": d, "outcome": "error", "mem": c.r.randint(96, 110), "lines": lines, "init": ln(c, 380, 0.15)}
        if c.r.random() < 0.06:
            d = ln(c, 35, 0.3)
            lines.append((d - 1, "WARN", "Booking rejected: slot %s no longer available for %s (409)" % (slot, res)))
            return {"duration": d, "status": 409, "mem": c.r.randint(96, 110), "lines": lines, "init": ln(c, 380, 0.15)}
        d = ln(c, 58, 0.3)
        lines.append((d - 1, "INFO", "201 booking BKG-%s created in %d ms" % (c.hex(8).upper(), d)))
        return {"duration": d, "status": 201, "mem": c.r.randint(96, 112), "lines": lines, "init": ln(c, 380, 0.15)}

    drive(fn, T, lambda t: 17 * diurnal(t, 0.2, 0.4), spec)
    fn.flush_logs()
    fn.emit_metrics(T)
    apigw(sc, "bookings-http", T, [fn])
    d_s = {"FunctionName": "availability-sync"}
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d_s, "Count", T, [max(1, round(v)) for v in sync_conc])
    sc.metric("AWS/Lambda", "Invocations", d_s, "Count", T, [max(0, round(v * 60 / 6.2 + c.gauss(0, 4))) for v in sync_conc])
    sc.metric("AWS/Lambda", "Errors", d_s, "Count", T, [max(0, round(c.gauss(6, 2.5))) if full[t] else 0 for t in T])
    sc.metric("AWS/Lambda", "Throttles", d_s, "Count", T, [0.0] * len(T))
    sc.metric("AWS/Lambda", "Duration", d_s, "Milliseconds", T, [c.gauss(6200, 300) for t in T], nd=2)
    sy = Fn(sc, "availability-sync", "python3.12", 256, 60, log_from=-6600, idle=(3000, 6000))
    partners = ["booking-partner-ota1", "booking-partner-ota2", "hotelbeds-feed"]

    def sspec(t, cold, rid):
        d = c.gauss(6200, 600)
        p = c.r.choice(partners)
        lines = [(2, "INFO", "processing 10 availability updates from %s" % p)]
        if cold and full.get(t - (t % 60)):
            return {"duration": 180, "outcome": "error", "mem": 70, "init": ln(c, 480, 0.15), "lines": lines + [
                (170, "ERROR", "could not connect to bookings-aurora: (1040, 'Too many connections')\nTraceback (most recent call last):\n"
                               "  File \"/var/task/sync/db.py\", line 18, in get_conn\n    _conn = pymysql.connect(**settings)\n"
                               "pymysql.err.OperationalError: (1040, 'Too many connections')")]}
        lines.append((d - 3, "INFO", "upserted %d availability rows for %s" % (c.r.randint(40, 200), p)))
        return {"duration": d, "mem": c.r.randint(68, 80), "init": ln(c, 480, 0.15), "lines": lines}

    drive_workers(sy, [T[0] + c.r.uniform(0, 30) for _ in range(3)], PUSH, sspec, gap=(8, 30))
    drive_workers(sy, [PUSH + c.r.uniform(0, 300) for _ in range(4)] + [-1900.0, -1630.0, -1200.0], -2, sspec)
    sy.flush_logs()
    my = mysql_background(c, -21600, 0, ["10.12.3.%d" % i for i in range(20, 60)], "bookings", "bookings_app")
    rds_metrics(sc, "bookings-aurora-1", T, {
        "CPUUtilization": [17 + 16 * ramp(t, PUSH, 300) + c.gauss(0, 1.8) for t in T],
        "DatabaseConnections": conns,
        "ConnectionAttempts": [max(0, round(6 + 40 * ramp(t, PUSH, 300) + c.gauss(0, 4))) for t in T],
        "FreeableMemory": [1.15e9 - 3.1e8 * ramp(t, PUSH, 300) + c.gauss(0, 1.5e7) for t in T],
        "DMLLatency": noise(c, T, 2.1, 0.25),
        "SelectLatency": noise(c, T, 0.8, 0.1)}, cluster="bookings-aurora")
    sc.log("/aws/rds/cluster/bookings-aurora/error", "bookings-aurora-1", my)
    sc.alarm("bookings-aurora-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "bookings-aurora-1"},
             "Average", 300, 3, 75, "GreaterThanThreshold", expect_state="OK")
    sc.alarm("bookings-http-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "bookings-http"}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Bookings API 5XX")
    sc.set_expect("bookings-http-5xx", "db_connection_exhaustion", ["bookings-aurora-1", "bookings-aurora"], [
        ("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "bookings-aurora-1"}),
        ("AWS/ApiGateway", "5XXError", {"ApiName": "bookings-http"})])
    return sc, {
        "alarm_on": "front (API Gateway; origin is the Aurora instance)",
        "decoys": "bookings-api deploy 2 h 40 min earlier; steady 409 slot-unavailable WARNs; steady `Aborted "
                  "connection` notes in the Aurora error log; Aurora CPU alarm stays OK",
        "story": "A partner pushed a large availability update 40 minutes ago. availability-sync, an SQS consumer "
                 "without a concurrency cap that keeps one MySQL connection per execution environment, scales from "
                 "~3 to ~75 environments. The db.t4g.medium writer allows 90 connections and DatabaseConnections "
                 "flat-lines at 90. bookings-api environments that need a new connection fail with "
                 "`MySqlConnector.MySqlException: Too many connections`, as do new availability-sync environments "
                 "(`(1040, 'Too many connections')`). CPU stays moderate and nothing relevant changed. Connections at "
                 "the limit with too-many-connections errors: db_connection_exhaustion on the Aurora instance."}


# --------------------------------------------------------------------------------------------
def s16():
    c = Ctx(4816)
    sc = Scenario(c, "h48-16-geo-enricher-vpc-attach", "ap-south-1",
                  "Place enrichment failing for every request; geo-enricher Errors alarm.")
    T, CHG = grid(6), -2040
    sc.res("lambda", "geo-enricher", runtime="python3.12", memory_size=512, timeout=15,
           vpc_subnet_ids=["subnet-0c41d2e7a9b3f1a20", "subnet-0f87a1b4c2d6e9053"],
           vpc_security_group_ids=["sg-0a9e3d71c5b2f4e68"], last_modified_minutes_ago=34)
    sc.res("lambda", "places-search", runtime="python3.12", memory_size=512, timeout=10)
    sc.res("apigateway", "places-api", stage="prod", integration="geo-enricher,places-search")
    sc.change(-6000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "places-search", "ci-deployer")
    sc.change(CHG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "geo-enricher", "terraform-ci")
    fn = Fn(sc, "geo-enricher", "python3.12", 512, 15, log_from=-7200)
    fn.prewarm(T[0], 3)
    fn.reconfigure(CHG + 75, vpc=True)
    fn.vpc = False
    cities = ["Bengaluru", "Pune", "Hyderabad", "Chennai", "Mumbai", "Kochi", "Jaipur", "Indore"]

    def spec(t, cold, rid):
        place = "%d %s Road, %s" % (c.r.randint(1, 400), c.r.choice(["MG", "Station", "Temple", "Ring", "Lake"]), c.r.choice(cities))
        key = "places/%s/%s.json" % (c.day(t), c.hex(16))
        lines = [(1, "INFO", "enrich request place_id=pl_%s text=\"%s\"" % (c.hex(10), place))]
        if fn.vpc:
            s3_err = ("botocore.exceptions.ConnectTimeoutError: Connect timeout on endpoint URL: "
                      "\"https://geo-enriched-cache.s3.ap-south-1.amazonaws.com/%s\"" % key)
            lines.append((2030, "WARNING", "enrichment cache lookup failed, continuing without cache: %s" % s3_err))
            ct = ("requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='api.geoapify.com', port=443): Max retries "
                  "exceeded with url: /v1/geocode/search?text=%s&apiKey=REDACTED (Caused by ConnectTimeoutError("
                  "<urllib3.connection.HTTPSConnection object at 0x7f%s>, 'Connection to api.geoapify.com timed out. "
                  "(connect timeout=3)'))" % (place.replace(" ", "%20").replace(",", "%2C"), c.hex(10)))
            tb = ('  File "/var/task/app.py", line 41, in handler\n    geo = geocoder.lookup(text)\n'
                  '  File "/var/task/enrich/geocoder.py", line 27, in lookup\n    resp = self.session.get(url, params=params, timeout=(3, 5))\n'
                  '  File "/opt/python/requests/sessions.py", line 602, in get\n    return self.request("GET", url, **kwargs)\n'
                  '  File "/opt/python/requests/adapters.py", line 688, in send\n    raise ConnectTimeout(e, request=request)\n' + ct)
            d = 5050 + c.r.uniform(5, 60)
            lines += [(d - 5 + i, lvl, m) for i, (lvl, m) in enumerate(fn.unhandled("ConnectTimeout", ct.split(": ", 1)[1], tb))]
            return {"duration": d, "outcome": "error", "mem": c.r.randint(88, 99), "lines": lines, "init": ln(c, 610, 0.15)}
        if c.r.random() < 0.35:
            d = ln(c, 95, 0.3)
            lines.append((d - 2, "INFO", "cache hit s3://geo-enriched-cache/%s" % key))
            return {"duration": d, "mem": c.r.randint(88, 99), "lines": lines, "init": ln(c, 610, 0.15)}
        d = ln(c, 420, 0.3)
        conf = c.r.uniform(0.35, 0.99)
        if conf < 0.5:
            lines.append((d * 0.7, "WARNING", "low confidence geocode (%.2f) for '%s'" % (conf, place)))
        lines += [(d * 0.75, "INFO", "geocoded lat=%.5f lon=%.5f confidence=%.2f" % (c.r.uniform(9, 27), c.r.uniform(72, 80), conf)),
                  (d - 3, "INFO", "stored s3://geo-enriched-cache/%s" % key)]
        return {"duration": d, "mem": c.r.randint(88, 99), "lines": lines, "init": ln(c, 610, 0.15)}

    drive(fn, T, lambda t: 15 * diurnal(t, 0.2, 0.6), spec)
    fn.flush_logs()
    fn.emit_metrics(T)
    ps = Fn(sc, "places-search", "python3.12", 512, 10, log_from=-7200)
    ps.prewarm(T[0], 2)
    ps.reconfigure(-5998)

    def pspec(t, cold, rid):
        q = c.r.choice(["kora", "indira", "phoenix mall", "airport t2", "mg road metro", "cubbon"])
        d = ln(c, 230, 0.3)
        return {"duration": d, "mem": c.r.randint(80, 92), "lines": [
            (1, "INFO", "autocomplete q=\"%s\"" % q),
            (d - 2, "INFO", "api.geoapify.com /v1/geocode/autocomplete -> 200 in %d ms (%d suggestions)" % (d - 15, c.r.randint(1, 8)))]}

    drive(ps, T, lambda t: 12 * diurnal(t, 0.2, 0.6), pspec)
    ps.flush_logs()
    ps.emit_metrics(T)
    apigw(sc, "places-api", T, [fn, ps])
    sc.alarm("geo-enricher-errors", "AWS/Lambda", "Errors", {"FunctionName": "geo-enricher"}, "Sum", 60, 3, 2,
             "GreaterThanThreshold", "geo-enricher Lambda errors")
    sc.set_expect("geo-enricher-errors", "config_change", ["geo-enricher"], [
        ("AWS/Lambda", "Errors", {"FunctionName": "geo-enricher"}),
        ("AWS/Lambda", "Duration", {"FunctionName": "geo-enricher"})])
    return sc, {
        "alarm_on": "origin (the Lambda)",
        "decoys": "places-search deploy 1 h 40 min earlier; places-search keeps calling the same third-party "
                  "geocoder successfully; steady low-confidence WARNINGs",
        "story": "Terraform attached geo-enricher to private subnets 34 minutes ago (UpdateFunctionConfiguration). "
                 "Once the new VPC-attached environments take over (a burst of INIT_START / new log streams), every "
                 "outbound connection times out: the S3 cache lookup (`Connect timeout on endpoint URL: "
                 "https://geo-enriched-cache.s3...`) and the geocoder call (`ConnectTimeout ... api.geoapify.com`), "
                 "because those subnets have no NAT route or S3 endpoint. The geocoder itself is fine (places-search, "
                 "outside the VPC, reaches it), so this is not a third-party outage: a configuration change right "
                 "before onset explains it. config_change on geo-enricher."}
