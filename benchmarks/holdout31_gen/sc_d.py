"""Scenarios h31-09 .. h31-11."""
import json

from .common import Ctx, MINUTES, LOG_FROM, diurnal, ramp, events_per_minute, every
from .lam import lambda_function
from .infra import alb_metrics, ecs_metrics, rds_metrics, const_series, pg, pg_background


def minute(t):
    return int(t // 60) * 60


# ---------------------------------------------------------------------------
def s09():
    """Postgres crash-recovery loop; Rails storefront (ALB 5XX) and a Node Lambda both alarm; DB has none."""
    c = Ctx(3109, "2026-11-21T12:20:00", "ap-northeast-1")
    LB, DB, FN = "app/storefront-alb/5e7c9a1b3d2f4068", "inventory-db", "cart-sync"
    HOST = "inventory-db.cx8r2k1q9z3a.ap-northeast-1.rds.amazonaws.com"
    T0 = -1740
    c.resource("alb", LB, name="storefront-alb", scheme="internet-facing",
               target_groups={"storefront-tg": "ecs web/storefront"})
    c.resource("ecs", "web/storefront", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=6,
               image="storefront:2026.11.19-1", runtime="ruby3.3 rails7.1 puma", load_balancer="storefront-alb",
               database="inventory-db")
    c.resource("ecs", "web/admin-portal", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2,
               image="admin-portal:1.22.0")
    c.resource("lambda", FN, runtime="nodejs20.x", memory_size=512, timeout=30, database="inventory-db",
               trigger="sqs cart-events")
    c.resource("rds", DB, engine="postgres", engine_version="14.10", instance_class="db.r6g.xlarge",
               max_connections=1000, allocated_storage_gb=800, multi_az=False)
    # crash -> recovery -> ready cycles
    cycles, t = [], T0
    while t < 0:
        rec = c.uni(45, 80)
        cycles.append((t, t + rec))
        t += rec + c.uni(90, 170)

    def down_frac(m):
        return sum(max(0.0, min(m + 60, b) - max(m, a)) for a, b in cycles) / 60.0

    def is_down(x):
        return any(a <= x < b for a, b in cycles)
    dfr = {m: down_frac(m) for m in MINUTES}
    rds_metrics(c, DB, c.ser(lambda m: c.noisy(34, 0.08) * (1 - 0.6 * dfr[m])),
                c.ser(lambda m: c.noisy(148, 0.05) * (1 - dfr[m]) if m < T0 - 60 else c.noisy(148, 0.05) * (1 - dfr[m]) * c.uni(0.5, 0.9)),
                const_series(c, 5.3e11, 0.0003), const_series(c, 1.21e10, 0.02),
                c.ser(lambda m: c.noisy(0.0011, 0.1)), c.ser(lambda m: c.noisy(0.0017, 0.1)))
    fail_share = {m: min(1.0, dfr[m] * 1.3 + (0.08 if m >= T0 else 0)) for m in MINUTES}
    req = c.ser(lambda m: c.noisy(1800 * diurnal(m, 0.2, 3), 0.05))
    t5 = {m: req[m] * (0.0003 + 0.42 * fail_share[m]) * c.noisy(1, 0.1) for m in MINUTES}
    alb_metrics(c, LB, req, c.ser(lambda m: c.noisy(0.11, 0.08) + 0.3 * fail_share[m]), t5,
                c.ser(lambda m: c.poisson(0.2)), c.ser(lambda m: 6), c.ser(lambda m: 0),
                t4xx=c.ser(lambda m: c.noisy(60, 0.2)))
    ecs_metrics(c, "web", "storefront", c.ser(lambda m: c.noisy(41, 0.06)), c.ser(lambda m: c.noisy(63, 0.02)),
                c.ser(lambda m: 6))
    ecs_metrics(c, "web", "admin-portal", c.ser(lambda m: c.noisy(9, 0.2)), c.ser(lambda m: c.noisy(40, 0.03)),
                c.ser(lambda m: 2))

    def rails(t):
        rid = c.uid()
        stamp = c.iso_us(t)
        if c.chance(0.04):
            return 'F, [%s #1] FATAL -- : [%s] \nActionController::RoutingError (No route matches [GET] "/wp-login.php"):' % (
                stamp, rid)
        path = c.pick(["/products/%d" % c.rng.randint(1000, 99999), "/cart", "/categories/%d" % c.rng.randint(1, 80),
                       "/products/%d/availability" % c.rng.randint(1000, 99999)])
        if t >= T0 and (is_down(t) or c.chance(0.05)):
            err = c.pick([
                'ActiveRecord::ConnectionNotEstablished (connection to server at "10.30.4.27", port 5432 failed: '
                'Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n)',
                'ActiveRecord::ConnectionNotEstablished (connection to server at "10.30.4.27", port 5432 failed: '
                'FATAL:  the database system is in recovery mode\n)',
                'ActiveRecord::StatementInvalid (PG::ConnectionBad: PQconsumeInput() server closed the connection '
                'unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing '
                'the request.\n)'])
            return [(0, 'I, [%s #1]  INFO -- : [%s] Started GET "%s" for %s' % (stamp, rid, path, c.ip("10.30"))),
                    (0.03, 'F, [%s #1] FATAL -- : [%s]   \n%s:\n  \napp/models/inventory_level.rb:31:in `for_sku\'\n'
                           'app/controllers/products_controller.rb:18:in `show\'' % (c.iso_us(t + 0.03), rid, err))]
        ms = c.noisy(85, 0.4)
        return [(0, 'I, [%s #1]  INFO -- : [%s] Started GET "%s" for %s' % (stamp, rid, path, c.ip("10.30"))),
                (ms / 1000, 'I, [%s #1]  INFO -- : [%s] Completed 200 OK in %dms (Views: %.1fms | ActiveRecord: '
                            '%.1fms | Allocations: %d)' % (c.iso_us(t + ms / 1000), rid, ms, ms * 0.4, ms * 0.25,
                                                          c.rng.randint(9000, 40000)))]
    for _ in range(2):
        c.log("/ecs/storefront", "ecs/storefront/%s" % c.hexs(32), events_per_minute(c, LOG_FROM, 0, lambda t: 8, rails))
    c.log("/ecs/admin-portal", "ecs/admin-portal/%s" % c.hexs(32), events_per_minute(
        c, LOG_FROM, 0, lambda t: 0.5, lambda t: 'I, [%s #1]  INFO -- : Completed 200 OK in %dms (admin-portal %s)' % (
            c.iso_us(t), c.rng.randint(20, 200), "1.22.0" if t > -2500 else "1.21.3")))

    inv = c.ser(lambda m: c.poisson(9))
    errs = {m: (c.binom(inv[m], min(1.0, dfr[m] * 1.2 + 0.05)) if m >= T0 else 0) for m in MINUTES}

    def h(ctx, t, rid, err):
        cart = "cart_%s" % ctx.alnum(12)
        lines = [(0.004, "I", "syncing %s (%d items)" % (cart, ctx.rng.randint(1, 9)))]
        if ctx.chance(0.05):
            lines.append((0.02, "W", "SKU %d not found in catalog, skipping line" % ctx.rng.randint(100000, 999999)))
        if err:
            e = ctx.pick([{"errorType": "Error", "errorMessage": "connect ECONNREFUSED 10.30.4.27:5432", "code": "ECONNREFUSED",
                           "stack": ["Error: connect ECONNREFUSED 10.30.4.27:5432",
                                     "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1606:16)"]},
                          {"errorType": "error", "errorMessage": "the database system is in recovery mode", "code": "57P03",
                           "stack": ["error: the database system is in recovery mode",
                                     "    at Parser.parseErrorMessage (/var/task/node_modules/pg-protocol/dist/parser.js:283:98)"]},
                          {"errorType": "Error", "errorMessage": "Connection terminated unexpectedly",
                           "stack": ["Error: Connection terminated unexpectedly",
                                     "    at Connection.<anonymous> (/var/task/node_modules/pg/lib/client.js:132:73)"]}])
            d = ctx.noisy(60, 0.3)
            lines.append((d / 1000 - 0.002, "E", "Invoke Error \t" + json.dumps(e)))
            return {"lines": lines, "dur": d, "mem": ctx.rng.randint(88, 96)}
        d = ctx.noisy(140, 0.2)
        lines.append((d / 1000 - 0.002, "I", "reserved stock for %s on %s" % (cart, HOST.split(".")[0])))
        return {"lines": lines, "dur": d, "mem": ctx.rng.randint(88, 99)}
    lambda_function(c, FN, "nodejs20.x", 512, 30, inv, errs, h, streams=2)

    pev = pg_background(c, -21600, T0, av_db="inventory")
    for a, b in cycles:
        pid = c.rng.randint(20000, 32000)
        pev += [(a, pg(c, a, "server process (PID %d) was terminated by signal 11: Segmentation fault" % pid, pid=512)),
                (a + 0.001, pg(c, a, "Failed process was running: SELECT il.* FROM inventory_levels il WHERE il.sku_id = "
                                     "ANY($1) AND il.warehouse_id = $2", pid=512, level="DETAIL")),
                (a + 0.002, pg(c, a, "terminating any other active server processes", pid=512)),
                (a + 0.9, pg(c, a + 1, "all server processes terminated; reinitializing", pid=512)),
                (a + 1.2, pg(c, a + 1, "database system was interrupted; last known up at %s UTC" % c.stamp(a - 30),
                             pid=c.rng.randint(30000, 32000))),
                (a + 1.5, pg(c, a + 2, "database system was not properly shut down; automatic recovery in progress")),
                (a + 1.6, pg(c, a + 2, "redo starts at 3A/%08X" % c.rng.getrandbits(28))),
                (b - 1, pg(c, b - 1, "redo done at 3A/%08X system usage: CPU: user: %.2f s, system: %.2f s, elapsed: "
                                     "%.2f s" % (c.rng.getrandbits(28), c.uni(2, 9), c.uni(1, 4), b - a - 3))),
                (b, pg(c, b, "database system is ready to accept connections", pid=512))]
        for k in range(c.rng.randint(3, 7)):
            x = c.uni(a + 2, b - 2)
            pev.append((x, pg(c, x, "the database system is in recovery mode", client=c.ip("10.30"), user="app",
                              db="inventory", level="FATAL")))
    c.log("/aws/rds/instance/inventory-db/postgresql", "inventory-db.0", pev)

    c.change(-2560, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/admin-portal", "deploy-bot")
    c.change(-8800, "s3.amazonaws.com", "PutBucketLifecycleConfiguration", "AWS::S3::Bucket", "storefront-assets-apne1",
             "kato.h")
    c.alarm("storefront-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Sum", 60,
            3, 30, "ALARM", -1500)
    c.alarm("cart-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1, 4, "ALARM", -1440)
    c.alarm("inventory-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 3, 85,
            "OK", -500000)
    doc = c.doc("h31-09-postgres-crash-loop-two-clients",
                "Storefront 500s and cart-sync failures at the same time; both alarms paged.",
                {"alarm": "storefront-alb-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [DB]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": DB}},
                               {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": LB}}]})
    meta = dict(region="ap-northeast-1", alarm="storefront-alb-5xx", category="dependency_failure", resources=[DB],
                where="both alarms (storefront-alb-5xx, cart-sync-errors) are consequences; the origin inventory-db "
                      "has no alarm in ALARM",
                decoys="admin-portal deploy 14 min before onset; S3 lifecycle change; steady wp-login RoutingErrors "
                       "and 'SKU not found' WARNs",
                story="inventory-db (RDS PostgreSQL 14) has been in a crash-recovery loop for 29 minutes: a backend "
                      "is 'terminated by signal 11: Segmentation fault' on an inventory_levels query, the postmaster "
                      "kills every session, replays WAL for ~1 minute ('the database system is in recovery mode') "
                      "and accepts connections again, then crashes again. Connections drop to near zero each cycle; "
                      "they never approach max_connections and CPU falls. The Rails storefront (ECS, behind "
                      "storefront-alb) logs ConnectionNotEstablished / Connection refused / server closed the "
                      "connection unexpectedly, and the cart-sync Lambda fails with ECONNREFUSED and 57P03. Both "
                      "alarms are downstream of one dependency that is down but not exhausted: dependency_failure "
                      "on inventory-db. The admin-portal deploy does not use this database.")
    return doc, meta


# ---------------------------------------------------------------------------
def s10():
    """Ruby Lambda NoMethodError on new data; billing-db CPU alarm from its nightly refresh (coincidence)."""
    c = Ctx(3110, "2026-11-22T03:47:00", "eu-west-2")
    FN, DB = "invoice-generator", "billing-db"
    T0, T_REF = -1980, -2820
    c.resource("lambda", FN, runtime="ruby3.3", memory_size=512, timeout=60, database=DB,
               trigger="sqs billing-run-invoices")
    c.resource("lambda", "dunning-notifier", runtime="python3.12", memory_size=256, timeout=30)
    c.resource("rds", DB, engine="postgres", engine_version="15.6", instance_class="db.m6g.large",
               max_connections=600, allocated_storage_gb=300)
    ref = {m: ramp(m, T_REF, T_REF + 120) for m in MINUTES}
    rds_metrics(c, DB, c.ser(lambda m: c.noisy(18, 0.08) + 74 * ref[m] * c.noisy(1, 0.02)),
                c.ser(lambda m: c.noisy(37, 0.06) + 2 * ref[m]), const_series(c, 1.9e11, 0.0005),
                const_series(c, 3.9e9, 0.02), c.ser(lambda m: c.noisy(0.0010, 0.1) + 0.0006 * ref[m]),
                c.ser(lambda m: c.noisy(0.0014, 0.1)))
    inv = c.ser(lambda m: c.poisson(8))
    errs = {m: (c.binom(inv[m], 0.3) if m >= T0 else 0) for m in MINUTES}

    def h(ctx, t, rid, err):
        inv_id = "inv_%s" % ctx.alnum(12)
        cus = "cus_%s" % ctx.alnum(10)
        terms = "on_receipt" if err else ctx.pick(["net_30", "net_30", "net_14", "net_60"])
        q = ctx.noisy(38, 0.25) * (1.5 if ref[minute(t)] > 0.5 else 1)
        lines = [(0.005, "I", "Generating %s for %s (terms=%s, currency=GBP)" % (inv_id, cus, terms)),
                 (0.01 + q / 1000, "I", "Loaded %d line items in %d ms" % (ctx.rng.randint(1, 40), q))]
        if ctx.chance(0.06):
            lines.append((0.3, "W", "PDF font fallback used for glyph U+20B9 in template invoice-uk-v4"))
        if err:
            d = ctx.noisy(420, 0.2)
            lines.append((d / 1000 - 0.002, "E", "Error raised from handler method\n" + json.dumps({
                "errorMessage": "undefined method `strftime' for nil", "errorType": "Function<NoMethodError>",
                "stackTrace": ["/var/task/lib/invoice/renderer.rb:88:in `due_date_line'",
                               "/var/task/lib/invoice/renderer.rb:41:in `render_header'",
                               "/var/task/lib/invoice/renderer.rb:17:in `render'",
                               "/var/task/handler.rb:23:in `block in process'",
                               "/var/task/handler.rb:12:in `each'", "/var/task/handler.rb:12:in `process'"]}, indent=2)))
            return {"lines": lines, "dur": d, "mem": ctx.rng.randint(150, 170)}
        d = ctx.noisy(1650, 0.2)
        lines.append((d / 1000 - 0.01, "I", "Stored s3://acme-billing-invoices/2026/11/%s.pdf and marked issued" % inv_id))
        return {"lines": lines, "dur": d, "mem": ctx.rng.randint(150, 185),
                "init": ctx.uni(400, 700) if ctx.chance(0.02) else None}
    lambda_function(c, FN, "ruby3.3", 512, 60, inv, errs, h, streams=2)

    dinv = c.ser(lambda m: c.poisson(0.7))

    def hd(ctx, t, rid, err):
        return {"lines": [(0.01, "I", "Queued dunning email step=%d for cus_%s" % (ctx.rng.randint(1, 3), ctx.alnum(10)))],
                "dur": ctx.noisy(190, 0.2), "mem": ctx.rng.randint(70, 80)}
    lambda_function(c, "dunning-notifier", "python3.12", 256, 30, dinv, {}, hd, streams=1)

    pev = pg_background(c, -21600, 0, av_db="billing")
    pev += [(T_REF, pg(c, T_REF, "connection authorized: user=reporting database=billing application_name=pg_cron",
                       client="10.60.2.19", user="reporting", db="billing")),
            (T_REF + 1, pg(c, T_REF + 1, "statement: REFRESH MATERIALIZED VIEW CONCURRENTLY reporting.revenue_daily",
                           client="10.60.2.19", user="reporting", db="billing", pid=28811))]
    pev += every(T_REF + 300, 0, 300, lambda t: pg(
        c, t, "process 28811 still waiting for ShareLock on transaction %d after 1000.112 ms" % c.rng.randint(9 * 10**7, 10**8),
        client="10.60.2.19", user="reporting", db="billing", pid=28811) if c.chance(0.3) else None, c)
    c.log("/aws/rds/instance/billing-db/postgresql", "billing-db.0", pev)

    c.change(-4000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "dunning-notifier",
             "ci-deployer")
    c.change(-14000, "events.amazonaws.com", "PutRule", "AWS::Events::Rule", "month-end-close", "finance-ops")
    c.alarm("invoice-generator-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1, 3, "ALARM", -1680)
    c.alarm("billing-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 2, 85,
            "ALARM", -2100, description="billing-db CPU > 85%. Fires most nights during the 03:00 revenue_daily "
                                        "materialized-view refresh (pg_cron); known noisy.")
    doc = c.doc("h31-10-ruby-nomethoderror-db-cpu-noise",
                "Invoices failing to generate; invoice-generator errors alarm, billing-db CPU alarm also firing.",
                {"alarm": "invoice-generator-errors",
                 "root_cause": {"category": "application_error", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]})
    meta = dict(region="eu-west-2", alarm="invoice-generator-errors", category="application_error", resources=[FN],
                where="alarm on the origin; the other alarm (billing-db-cpu-high) is a known-noisy coincidence",
                decoys="billing-db CPU alarm from the nightly materialized-view refresh; dunning-notifier deploy 67 min "
                       "ago; EventBridge rule change; steady PDF font-fallback WARNs",
                story="The billing run started including customers on the new `on_receipt` payment terms, whose "
                      "invoices have no due date. invoice-generator (Ruby 3.3) raises `NoMethodError: undefined "
                      "method `strftime' for nil` in renderer.rb:88 `due_date_line` for exactly those invoices "
                      "(~30 %); other terms still succeed. billing-db's CPU alarm fired a few minutes earlier, but its "
                      "log shows the nightly pg_cron REFRESH MATERIALIZED VIEW (the alarm description calls it known "
                      "noisy), the function's queries still return in ~40-60 ms, and the exception is a nil "
                      "dereference, not a database error. No change to the function: application_error.")
    return doc, meta
