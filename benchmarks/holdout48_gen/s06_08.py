"""Scenarios 06-08: Aurora PostgreSQL migration lock, marketing traffic surge, third-party carrier outage."""
import json

from .common import Ctx, Scenario, grid, diurnal, ramp
from .lam import Fn, drive, apigw
from .rds import rds_metrics, pg, pg_background
from .s01_03 import ln, noise

NPG_STACK = ("   at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, "
             "Boolean readingNotifications, Boolean isReadingPrependedMessage)\n"
             "   at System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder`1.StateMachineBox`1.System."
             "Threading.Tasks.Sources.IValueTaskSource<TResult>.GetResult(Int16 token)\n"
             "   at Npgsql.NpgsqlDataReader.NextResult(Boolean async, Boolean isConsuming, CancellationToken cancellationToken)\n"
             "   at Npgsql.NpgsqlCommand.ExecuteReader(Boolean async, CommandBehavior behavior, CancellationToken cancellationToken)\n"
             "   at ShipmentApi.Data.ShipmentRepository.%s in /src/ShipmentApi/Data/ShipmentRepository.cs:line %d\n"
             "   at ShipmentApi.Function.FunctionHandler(APIGatewayProxyRequest request, ILambdaContext context) in "
             "/src/ShipmentApi/Function.cs:line 57\n"
             "  Exception data:\n    Severity: ERROR\n    SqlState: 55P03\n"
             "    MessageText: canceling statement due to lock timeout\n    File: proc.c\n    Line: 1384\n    Routine: ProcSleep")


def s06():
    c = Ctx(4806)
    sc = Scenario(c, "h48-06-shipments-migration-lock", "eu-west-2",
                  "Shipment tracking API erroring and slow; shipment-api Errors alarm.")
    T, MIG = grid(6), -2400
    sc.res("rds", "shipments-aurora-1", engine="aurora-postgresql", engine_version="15.4",
           instance_class="db.r6g.large", cluster="shipments-aurora", role="writer", max_connections=1000)
    sc.res("lambda", "shipment-api", runtime="dotnet8", memory_size=1024, timeout=15)
    sc.res("lambda", "label-printer", runtime="dotnet8", memory_size=512, timeout=30)
    sc.res("apigateway", "logistics-api", stage="prod", integration="shipment-api")
    sc.change(-2640, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "label-printer", "ci-deployer")
    host_m = "10.20.4.17"
    pglog = pg_background(c, -21600, 0, ["public.shipments", "public.tracking_events", "public.labels"])
    pglog.append((MIG, pg(c, MIG, "LOG", "statement: ALTER TABLE shipments ADD COLUMN carrier_ref text NOT NULL "
                                         "DEFAULT gen_random_uuid()::text;", 22190, host_m, "migrator", "logistics")))
    fn = Fn(sc, "shipment-api", "dotnet8", 1024, 15, log_from=-6600)
    fn.prewarm(T[0], 3)

    def spec(t, cold, rid):
        r = c.r.random()
        sid = "SHP-%s" % c.digits(9)
        if r < 0.05:
            d = ln(c, 3, 0.3)
            return {"duration": d, "mem": 96, "lines": [(1, "INFO", "GET /v1/health 200")]}
        if r < 0.10:
            d = ln(c, 22, 0.3)
            return {"duration": d, "status": 400, "mem": c.r.randint(101, 118), "lines": [
                (2, "WARN", "Rejected PATCH /v1/shipments/%s/status: transition DELIVERED->IN_TRANSIT not allowed" % sid)]}
        if r < 0.40:
            req, lock, sql, meth, line = ("PATCH /v1/shipments/%s/status" % sid, "RowExclusiveLock",
                                          "UPDATE shipments SET status = $1, updated_at = now() WHERE shipment_id = $2",
                                          "UpdateStatusAsync(String id, ShipmentStatus status)", 91)
        else:
            req, lock, sql, meth, line = ("GET /v1/shipments/%s" % sid, "AccessShareLock",
                                          "SELECT s.shipment_id, s.status, s.carrier, s.eta, s.updated_at FROM shipments s "
                                          "WHERE s.shipment_id = $1", "GetAsync(String id)", 48)
        lines = [(1, "INFO", req)]
        if t > MIG + 2:
            pid = c.r.randint(23000, 31000)
            h = c.ip("10.20")
            waiters = ", ".join(str(p) for p in sorted({pid} | {c.r.randint(23000, 31000) for _ in range(c.r.randint(1, 4))}))
            pglog.append((t + 1.0, pg(c, t + 1.0, "LOG", "process %d still waiting for %s on relation 17043 of database "
                                      "16400 after %.3f ms" % (pid, lock, 1000 + c.r.uniform(0.01, 0.4)), pid, h, "shipment_app", "logistics")))
            pglog.append((t + 1.001, pg(c, t + 1.001, "DETAIL", "Process holding the lock: 22190. Wait queue: %s." % waiters,
                                        pid, h, "shipment_app", "logistics")))
            pglog.append((t + 3.0, pg(c, t + 3.0, "ERROR", "canceling statement due to lock timeout", pid, h, "shipment_app", "logistics")))
            pglog.append((t + 3.001, pg(c, t + 3.001, "STATEMENT", sql, pid, h, "shipment_app", "logistics")))
            d = 3000 + ln(c, 35, 0.3)
            exc = "Npgsql.PostgresException (0x80004005): 55P03: canceling statement due to lock timeout"
            lines += [(d - 6, "ERROR", "%s failed\n%s\n%s" % (req, exc, NPG_STACK % (meth, line))),
                      (d - 2, None, json.dumps({"errorType": "PostgresException",
                                                "errorMessage": "55P03: canceling statement due to lock timeout",
                                                "stackTrace": (NPG_STACK % (meth, line)).split("\n")[:6]}))]
            return {"duration": d, "outcome": "error", "mem": c.r.randint(120, 140), "lines": lines}
        d = ln(c, 46, 0.35)
        lines.append((d - 1, "INFO", "%s -> 200 in %d ms" % (req, d)))
        return {"duration": d, "mem": c.r.randint(112, 136), "lines": lines}

    drive(fn, T, lambda t: 17 * diurnal(t, 0.2, 0.4), spec)
    fn.flush_logs()
    fn.emit_metrics(T)
    apigw(sc, "logistics-api", T, [fn])
    lp = Fn(sc, "label-printer", "dotnet8", 512, 30, log_from=-6600)
    lp.reconfigure(-2638)

    def lspec(t, cold, rid):
        d = ln(c, 640, 0.25)
        return {"duration": d, "mem": c.r.randint(150, 175), "lines": [
            (3, "INFO", "Rendering ZPL label for SHP-%s carrier=%s" % (c.digits(9), c.r.choice(["RoyalMail", "DPD", "Evri"]))),
            (d - 2, "INFO", "Label stored s3://acme-labels/%s/%s.zpl" % (c.day(t), c.hex(12)))]}

    drive(lp, T, lambda t: 5 * diurnal(t, 0.2, 0.4), lspec)
    lp.flush_logs()
    lp.emit_metrics(T)
    cpu = [19 + 33 * ramp(t, MIG, 90) + c.gauss(0, 2.2) for t in T]
    rds_metrics(sc, "shipments-aurora-1", T, {
        "CPUUtilization": cpu,
        "DatabaseConnections": [round(34 + 16 * ramp(t, MIG, 60) + c.gauss(0, 2.5)) for t in T],
        "FreeableMemory": noise(c, T, 5.6e9, 5e7),
        "WriteIOPS": [max(20, 260 + 3100 * ramp(t, MIG, 90) + c.gauss(0, 120)) for t in T],
        "ReadIOPS": [max(10, 180 + 1900 * ramp(t, MIG, 90) + c.gauss(0, 90)) for t in T],
        "WriteLatency": noise(c, T, 0.0011, 0.0002, 0.0003),
        "ReadLatency": noise(c, T, 0.0007, 0.0001, 0.0002)}, cluster="shipments-aurora")
    sc.log("/aws/rds/cluster/shipments-aurora/postgresql", "shipments-aurora-1.0", pglog)
    sc.alarm("shipment-api-errors", "AWS/Lambda", "Errors", {"FunctionName": "shipment-api"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "shipment-api Lambda errors")
    sc.set_expect("shipment-api-errors", "dependency_failure", ["shipments-aurora", "shipments-aurora-1"], [
        ("AWS/Lambda", "Errors", {"FunctionName": "shipment-api"}),
        ("AWS/Lambda", "Duration", {"FunctionName": "shipment-api"})])
    return sc, {
        "alarm_on": "front (Lambda; origin is the Aurora cluster)",
        "decoys": "label-printer code deploy 4 min before onset (healthy); steady 400 invalid-transition WARNs; "
                  "Aurora connections rise a little from lock waiters but stay far below max_connections",
        "story": "An engineer ran a schema migration by hand from the bastion 40 minutes ago: `ALTER TABLE "
                 "shipments ADD COLUMN ... DEFAULT gen_random_uuid()::text` forces a full table rewrite under an "
                 "ACCESS EXCLUSIVE lock. Every shipment-api query waits (log_lock_waits: `still waiting for "
                 "AccessShareLock ... Process holding the lock: 22190`) and is cancelled after the app's 3 s "
                 "lock_timeout (`55P03: canceling statement due to lock timeout`). The DB is busy (CPU/IOPS from the "
                 "rewrite) but neither CPU-pinned nor out of connections; no CloudTrail change touches it. Errors "
                 "from a downstream database that is not exhausted: dependency_failure on the Aurora cluster."}


# --------------------------------------------------------------------------------------------
def s07():
    c = Ctx(4807)
    sc = Scenario(c, "h48-07-promo-campaign-surge", "sa-east-1",
                  "Promo landing API slow since the autumn campaign e-mail went out; API latency alarm.")
    T, CAMP = grid(6), -3000
    sc.res("apigateway", "promo-api", stage="prod", integration="promo-landing")
    sc.res("lambda", "promo-landing", runtime="nodejs20.x", memory_size=1024, timeout=10,
           account_concurrency_limit=1000)
    sc.res("lambda", "image-thumbnailer", runtime="nodejs20.x", memory_size=2048, timeout=60)
    sc.res("rds", "promo-aurora-writer", engine="aurora-mysql", engine_version="8.0.mysql_aurora.3.05.2",
           instance_class="db.r6g.large", cluster="promo-aurora", max_connections=1000)
    sc.change(-12600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "promo-landing", "ci-deployer")
    sc.change(-2700, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "image-thumbnailer", "a.souza")

    def load(t):
        return 1 + 5.6 * ramp(t, CAMP, 360) - 1.2 * ramp(t, CAMP + 900, 2100)

    fn = Fn(sc, "promo-landing", "nodejs20.x", 1024, 10, log_from=-3600, idle=(300, 900))
    fn.prewarm(T[0], 2)
    pages = ["/promo/outono-2026", "/promo/outono-2026/eletronicos", "/promo/outono-2026/casa", "/promo/cupom"]

    def spec(t, cold, rid):
        f = load(t)
        path = c.r.choice(pages)
        camp = c.r.random() < (0.08 if f < 1.2 else 0.86)
        qs = {"utm_source": "email", "utm_medium": "crm", "utm_campaign": "outono_2026"} if camp else {}
        d = ln(c, 140 * (1 + 0.95 * (f - 1) / 4.6), 0.35)
        init = ln(c, 720, 0.15)
        base = {"service": "promo-landing", "cold_start": cold, "function_request_id": rid}
        mk = lambda off, lvl, msg, **kw: (off, None, json.dumps(dict({"level": lvl, "message": msg,
                                                                      "timestamp": c.iso(t + off / 1000.0)}, **base, **kw),
                                                                separators=(",", ":")))
        lines = [mk(1, "INFO", "GET %s" % path, query=qs)]
        if c.r.random() < 0.03:
            lines.append(mk(d * 0.3, "WARN", "banner config cache miss; fetched from S3", key="banners/%s.json" % path.split("/")[-1]))
        if path == "/promo/cupom" and c.r.random() < 0.15:
            lines.append(mk(d - 2, "INFO", "coupon rejected", reason=c.r.choice(["expired", "already_redeemed", "unknown_code"]), status=409))
            return {"duration": d, "status": 409, "init": init, "mem": c.r.randint(140, 170), "lines": lines}
        lines.append(mk(d - 2, "INFO", "rendered", status=200, db_ms=int(d * 0.6), items=c.r.randint(12, 48)))
        return {"duration": d, "init": init, "mem": c.r.randint(140, 175), "lines": lines}

    drive(fn, T, lambda t: 12 * diurnal(t, 0.15, 0.45) * load(t), spec)
    fn.flush_logs()
    fn.emit_metrics(T)
    apigw(sc, "promo-api", T, [fn], extra_4xx=0.5)
    th = Fn(sc, "image-thumbnailer", "nodejs20.x", 2048, 60, log_from=-3600)
    th.reconfigure(-2698)

    def tspec(t, cold, rid):
        d = ln(c, 1900, 0.3)
        return {"duration": d, "mem": c.r.randint(400, 520), "lines": [
            (3, "INFO", "thumbnailing s3://promo-assets/uploads/%s.png" % c.hex(10)),
            (d - 3, "INFO", "wrote 3 renditions (320w, 640w, 1280w) in %d ms" % d)]}

    drive(th, T, lambda t: 2.5, tspec)
    th.flush_logs()
    th.emit_metrics(T)
    cpu = [min(74, 23 * diurnal(t, 0.15, 0.45) + 9.0 * (load(t) - 1) + c.gauss(0, 2.0)) for t in T]
    rds_metrics(sc, "promo-aurora-writer", T, {
        "CPUUtilization": cpu,
        "DatabaseConnections": [round(12 + 4.2 * load(t) + c.gauss(0, 1.5)) for t in T],
        "FreeableMemory": noise(c, T, 6.1e9, 5e7),
        "SelectLatency": [0.9 + 0.55 * (load(t) - 1) + c.gauss(0, 0.08) for t in T],
        "DMLLatency": noise(c, T, 1.8, 0.2),
        "CommitLatency": noise(c, T, 2.4, 0.3)}, cluster="promo-aurora")
    sc.alarm("promo-aurora-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "promo-aurora-writer"},
             "Average", 300, 2, 80, "GreaterThanThreshold", expect_state="OK")
    sc.alarm("promo-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "promo-api"}, "Average", 60, 5, 250,
             "GreaterThanThreshold", "Promo API average latency")
    sc.set_expect("promo-api-latency", "traffic_surge", ["promo-api", "promo-landing"], [
        ("AWS/ApiGateway", "Count", {"ApiName": "promo-api"}),
        ("AWS/ApiGateway", "Latency", {"ApiName": "promo-api"}),
        ("AWS/Lambda", "Invocations", {"FunctionName": "promo-landing"})])
    return sc, {
        "alarm_on": "origin (API Gateway front door where the surge arrives)",
        "decoys": "image-thumbnailer configuration change 5 min after the campaign started (healthy, unrelated); "
                  "promo-landing deploy 3.5 h earlier with normal behaviour afterwards; steady banner cache-miss WARN; "
                  "Aurora CPU alarm stays OK",
        "story": "The autumn campaign e-mail went out 50 minutes ago. API Gateway Count and Lambda Invocations jump "
                 "about 6x within minutes and most requests carry utm_campaign=outono_2026. More concurrency means "
                 "more cold starts and a busier (not saturated, ~60-70 % CPU) Aurora writer, so average latency "
                 "climbs from ~170 ms to over 300 ms. No throttles, no new error signature, no relevant change, "
                 "nothing exhausted: a genuine traffic_surge at the promo API."}


# --------------------------------------------------------------------------------------------
TIMEOUT_EXC = ("System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured "
               "HttpClient.Timeout of 8 seconds elapsing.\n ---> System.TimeoutException: The operation was canceled.\n"
               " ---> System.Threading.Tasks.TaskCanceledException: The operation was canceled.\n"
               " ---> System.IO.IOException: Unable to read data from the transport connection: Operation canceled.\n"
               " ---> System.Net.Sockets.SocketException (125): Operation canceled\n"
               "   --- End of inner exception stack trace ---\n"
               "   at System.Net.Http.HttpClient.HandleFailure(Exception e, Boolean telemetryStarted, HttpResponseMessage "
               "response, CancellationTokenSource cts, CancellationToken cancellationToken, CancellationTokenSource "
               "pendingRequestsCts)\n   at System.Net.Http.HttpClient.<SendAsync>g__Core|83_0(HttpRequestMessage request, "
               "HttpCompletionOption completionOption, CancellationTokenSource cts, Boolean disposeCts, "
               "CancellationTokenSource pendingRequestsCts, CancellationToken originalCancellationToken)\n"
               "   at ShippingQuotes.Carriers.ParcelGridClient.GetRatesAsync(RateRequest request, CancellationToken ct) in "
               "/src/ShippingQuotes/Carriers/ParcelGridClient.cs:line 61")
HTTP503_EXC = ("System.Net.Http.HttpRequestException: Response status code does not indicate success: 503 (Service "
               "Unavailable).\n   at System.Net.Http.HttpResponseMessage.EnsureSuccessStatusCode()\n"
               "   at ShippingQuotes.Carriers.ParcelGridClient.GetRatesAsync(RateRequest request, CancellationToken ct) in "
               "/src/ShippingQuotes/Carriers/ParcelGridClient.cs:line 67")


def s08():
    c = Ctx(4808)
    sc = Scenario(c, "h48-08-carrier-api-outage", "ca-central-1",
                  "Checkout cannot show shipping options; shipping-quotes Errors alarm.")
    T, OUT = grid(6), -2280
    sc.res("lambda", "shipping-quotes", runtime="dotnet8", memory_size=512, timeout=30,
           environment_keys=["PARCELGRID_BASE_URL", "PARCELGRID_TIMEOUT_SECONDS", "RATE_CACHE_TABLE"])
    sc.res("lambda", "address-validate", runtime="python3.12", memory_size=256, timeout=10)
    sc.res("apigateway", "checkout-edge-api", stage="prod", integration="shipping-quotes,address-validate")
    sc.change(-2520, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "address-validate", "ci-deployer")
    zones = ["CA-ON", "CA-QC", "CA-BC", "CA-AB", "CA-MB", "CA-NS", "CA-NU"]

    def attempt_outcome(t):
        if t < OUT:
            return "ok" if c.r.random() > 0.004 else "503"
        x = c.r.random()
        return "timeout" if x < 0.5 else ("503" if x < 0.82 else "ok")

    fn = Fn(sc, "shipping-quotes", "dotnet8", 512, 30, log_from=-7800)
    fn.prewarm(T[0], 2)

    def spec(t, cold, rid):
        cart, zone = "c_%s" % c.hex(10), c.r.choice(zones)
        lines = [(2, "INFO", "POST /v1/shipping/quotes cart=%s dest=%s parcels=%d" % (cart, zone, c.r.randint(1, 3)))]
        off = 8.0
        if c.r.random() < 0.05:
            lines.append((5, "WARN", "Rate cache stale for zone %s, refreshing" % zone))
        last = None
        for attempt in range(3):
            o = attempt_outcome(t + off / 1000)
            if o == "ok":
                dt = ln(c, 420 if t < OUT else 2900, 0.3)
                off += dt
                n = c.r.randint(3, 7)
                lines.append((off, "INFO", "ParcelGrid returned %d rates for %s in %d ms (attempt %d)" % (n, zone, dt, attempt + 1)))
                lines.append((off + 3, "INFO", "200 POST /v1/shipping/quotes %d ms" % (off + 3)))
                return {"duration": off + 5, "mem": c.r.randint(118, 140), "lines": lines}
            dt = 8000 + c.r.uniform(1, 30) if o == "timeout" else ln(c, 180, 0.3)
            off += dt
            last = o
            res = "TaskCanceledException" if o == "timeout" else "503"
            if attempt < 1:
                lines.append((off, "WARN", "Execution attempt. Source: 'ParcelGrid/(null)/Standard-Retry', Operation Key: "
                                           "'GetRates', Result: '%s', Handled: 'True', Attempt: '%d', Execution Time: %.1fms"
                                           % (res, attempt, dt)))
                off += 500 * (attempt + 1) + c.r.uniform(0, 100)
            else:
                break
        exc = TIMEOUT_EXC if last == "timeout" else HTTP503_EXC
        lines.append((off + 2, "ERROR", "Quote failed for cart %s after 2 attempts: POST https://api.parcelgrid.com/v2/rates\n%s"
                      % (cart, exc)))
        etype = "TaskCanceledException" if last == "timeout" else "HttpRequestException"
        lines.append((off + 4, None, json.dumps({"errorType": etype, "errorMessage": exc.split(": ", 1)[1].split("\n")[0],
                                                 "stackTrace": [s.strip() for s in exc.split("\n") if s.strip().startswith("at ")][:3]})))
        return {"duration": off + 6, "outcome": "error", "mem": c.r.randint(118, 140), "lines": lines}

    drive(fn, T, lambda t: 14 * diurnal(t, 0.2, 0.5), spec)
    fn.flush_logs()
    fn.emit_metrics(T)
    av = Fn(sc, "address-validate", "python3.12", 256, 10, log_from=-7800)
    av.prewarm(T[0], 1)
    av.reconfigure(-2518)

    def aspec(t, cold, rid):
        d = ln(c, 60, 0.3)
        ok = c.r.random() > 0.06
        pc = "%s%d%s %d%s%d" % (c.r.choice("KLMNHT"), c.r.randint(1, 9), c.r.choice("ABCEGHJ"), c.r.randint(1, 9),
                                c.r.choice("ABCEGHJKLMNPRSTVXY"), c.r.randint(0, 9))
        msg = ("address ok postal=%s" % pc) if ok else ("address rejected postal=%s reason=no_match" % pc)
        return {"duration": d, "status": 200 if ok else 422, "mem": c.r.randint(70, 82), "lines": [
            (1, "INFO", "POST /v1/address/validate"), (d - 1, "INFO" if ok else "WARNING", msg)]}

    drive(av, T, lambda t: 16 * diurnal(t, 0.2, 0.5), aspec)
    av.flush_logs()
    av.emit_metrics(T)
    apigw(sc, "checkout-edge-api", T, [fn, av])
    sc.alarm("address-validate-errors", "AWS/Lambda", "Errors", {"FunctionName": "address-validate"}, "Sum", 60, 3, 2,
             "GreaterThanThreshold", expect_state="OK")
    sc.alarm("shipping-quotes-errors", "AWS/Lambda", "Errors", {"FunctionName": "shipping-quotes"}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "shipping-quotes Lambda errors")
    sc.set_expect("shipping-quotes-errors", "dependency_failure", ["shipping-quotes", "api.parcelgrid.com"], [
        ("AWS/Lambda", "Errors", {"FunctionName": "shipping-quotes"}),
        ("AWS/Lambda", "Duration", {"FunctionName": "shipping-quotes"})])
    return sc, {
        "alarm_on": "origin (the Lambda; the failing dependency is outside the account)",
        "decoys": "address-validate code deploy 4 min before onset (healthy, its Errors alarm stays OK); steady "
                  "rate-cache-stale WARNs; steady 422 address rejections",
        "story": "The third-party carrier-rate API (api.parcelgrid.com) degrades 38 minutes ago: half the calls hit "
                 "the 8 s HttpClient timeout and a third return 503. Only the shipping-quotes logs show it (Polly "
                 "retry attempts, `TaskCanceledException ... HttpClient.Timeout of 8 seconds elapsing`, "
                 "`HttpRequestException ... 503 (Service Unavailable)`); Duration rises to ~10-17 s and Errors climb. "
                 "No change to shipping-quotes; the deploy 4 minutes before onset was to a different function that "
                 "stays healthy. Errors from a downstream HTTP dependency: dependency_failure; the dependency is not "
                 "an account resource, so the origin is the calling function (the host is accepted too)."}
