"""Scenarios h31-15 .. h31-16."""
import json

from .common import Ctx, MINUTES, LOG_FROM, diurnal, ramp, events_per_minute, every
from .lam import lambda_function, py_trace
from .infra import alb_metrics, ecs_metrics, rds_metrics, const_series, pg, pg_background


def minute(t):
    return int(t // 60) * 60


# ---------------------------------------------------------------------------
def s15():
    """orders-db CPU pinned after a plan flip; a Lambda and an ECS service behind an ALB both alarm; DB has none."""
    c = Ctx(3115, "2026-11-23T14:35:00", "ap-northeast-2")
    LB, DB, FN = "app/picker-alb/8e0a2c4e6b1d3579", "orders-db", "order-status"
    T_AN, T0 = -2330, -2220
    c.resource("rds", DB, engine="postgres", engine_version="15.4", instance_class="db.m6g.xlarge",
               max_connections=1600, allocated_storage_gb=1000, statement_timeout="5s (role app)")
    c.resource("lambda", FN, runtime="python3.12", memory_size=512, timeout=10, database=DB)
    c.resource("lambda", "label-printer", runtime="python3.12", memory_size=512, timeout=30)
    c.resource("ecs", "fulfillment/picker-api", launch_type="FARGATE", cpu=512, memory=1024, desired_count=4,
               image="picker-api:1.18.2", runtime="go1.22", load_balancer="picker-alb", database=DB)
    c.resource("alb", LB, name="picker-alb", scheme="internal", target_groups={"picker-tg": "ecs fulfillment/picker-api"})
    hot = {m: ramp(m, T0, T0 + 240) for m in MINUTES}
    rds_metrics(c, DB, c.ser(lambda m: min(100.0, c.noisy(34 * diurnal(m, 0.1, -10), 0.07) + 66 * hot[m])),
                c.ser(lambda m: c.noisy(82, 0.05) + 170 * hot[m] * c.noisy(1, 0.08)), const_series(c, 6.1e11, 0.0003),
                const_series(c, 9.2e9, 0.02), c.ser(lambda m: c.noisy(0.0009, 0.1) + 0.006 * hot[m]),
                c.ser(lambda m: c.noisy(0.0013, 0.1) + 0.002 * hot[m]))
    inv = c.ser(lambda m: c.poisson(14 * diurnal(m, 0.2, -10)))
    errs = {m: c.binom(inv[m], 0.45 * hot[m]) for m in MINUTES}

    def h(ctx, t, rid, err):
        order = "ord_%s" % ctx.alnum(12)
        lines = [(0.004, "I", "status lookup %s" % order)]
        if ctx.chance(0.06):
            lines.append((0.01, "W", "carrier tracking fetch for %s returned 502, retrying once" % order))
        if err:
            d = ctx.noisy(5080, 0.01)
            lines.append((d / 1000 - 0.003, "E", "lookup failed for %s\n" % order + py_trace([
                ("/var/task/status/handler.py", 38, "handler", "rows = repo.open_shipments(order_id, warehouse)"),
                ("/var/task/status/repo.py", 71, "open_shipments", "cur.execute(OPEN_SHIPMENTS_SQL, (order_id, wh))"),
                ("/var/lang/lib/python3.12/site-packages/psycopg/cursor.py", 732, "execute", "raise ex.with_traceback(None)")],
                "psycopg.errors.QueryCanceled: canceling statement due to statement timeout")))
            return {"lines": lines, "dur": d + ctx.uni(5, 40), "mem": ctx.rng.randint(101, 110)}
        d = ctx.noisy(90, 0.25) + 2600 * hot[minute(t)] * ctx.uni(0.2, 1.0)
        lines.append((d / 1000 - 0.003, "I", "%s status=%s shipments=%d" % (
            order, ctx.pick(["PICKING", "PACKED", "SHIPPED", "IN_TRANSIT"]), ctx.rng.randint(1, 3))))
        return {"lines": lines, "dur": d, "mem": ctx.rng.randint(101, 112)}
    lambda_function(c, FN, "python3.12", 512, 10, inv, errs, h, streams=2)

    linv = c.ser(lambda m: c.poisson(2))

    def hl(ctx, t, rid, err):
        return {"lines": [(0.01, "I", "Rendered ZPL label for parcel %s (template %s)" % (
            ctx.alnum(10), "v9" if t > -2600 else "v8"))], "dur": ctx.noisy(310, 0.2), "mem": ctx.rng.randint(80, 90)}
    lambda_function(c, "label-printer", "python3.12", 512, 30, linv, {}, hl, streams=1)

    req = c.ser(lambda m: c.noisy(700 * diurnal(m, 0.2, -10), 0.05))
    rt = {m: c.noisy(0.045, 0.08) + 3.1 * hot[m] * c.noisy(1, 0.1) for m in MINUTES}
    alb_metrics(c, LB, req, rt, {m: req[m] * 0.22 * hot[m] * c.noisy(1, 0.1) + c.poisson(0.2) for m in MINUTES},
                c.ser(lambda m: c.poisson(0.1)), c.ser(lambda m: 4), c.ser(lambda m: 0))
    ecs_metrics(c, "fulfillment", "picker-api", c.ser(lambda m: c.noisy(18, 0.08)), c.ser(lambda m: c.noisy(39, 0.03)),
                c.ser(lambda m: 4))

    def gol(t):
        m = minute(t)
        base = {"time": c.iso(t), "request_id": c.alnum(20)}
        if hot[m] > 0.5 and c.chance(0.25):
            base.update({"level": "ERROR", "msg": "list pick tasks", "err": "ERROR: canceling statement due to "
                         "statement timeout (SQLSTATE 57014)", "path": "/v1/pick-tasks", "status": 500,
                         "duration_ms": c.rng.randint(5000, 5050)})
        else:
            base.update({"level": "INFO", "msg": "request", "path": c.pick(["/v1/pick-tasks", "/v1/bins", "/healthz"]),
                         "status": 200, "duration_ms": int(rt[m] * 1000 * c.uni(0.4, 1.4))})
        return json.dumps(base)
    for _ in range(2):
        c.log("/ecs/picker-api", "ecs/picker-api/%s" % c.hexs(32), events_per_minute(c, LOG_FROM, 0, lambda t: 8, gol))

    sql = ("SELECT s.id, s.status, s.carrier, s.updated_at FROM shipments s WHERE s.status = $1 AND "
           "s.warehouse_id = $2 ORDER BY s.created_at LIMIT 50")

    def slow(t):
        if hot[minute(t)] < 0.3 or not c.chance(0.9):
            return None
        user = c.pick(["order_status", "picker"])
        if c.chance(0.35):
            return [(0, pg(c, t, "canceling statement due to statement timeout", client=c.ip("10.90"), user=user,
                           db="orders", level="ERROR")),
                    (0.001, pg(c, t, "execute <unnamed>: " + sql, client=c.ip("10.90"), user=user, db="orders",
                               level="STATEMENT"))]
        d = c.uni(1500, 4900)
        return [(0, pg(c, t, "duration: %.3f ms  plan:\n\tQuery Text: %s\n\tLimit  (cost=1843211.40..1843211.52 "
                          "rows=50 width=44)\n\t  ->  Sort  (cost=1843211.40..1843265.91 rows=21804 width=44)\n\t        "
                          "->  Seq Scan on shipments s  (cost=0.00..1842487.07 rows=21804 width=44)\n\t              "
                          "Filter: ((status = $1) AND (warehouse_id = $2))" % (d, sql), client=c.ip("10.90"),
                       user=user, db="orders"))]
    pev = pg_background(c, -21600, 0, av_db="orders") + events_per_minute(c, -21600, 0, lambda t: 6, slow)
    pev.append((T_AN, pg(c, T_AN, "automatic analyze of table \"orders.public.shipments\"\n\tavg read rate: 41.220 MB/s, "
                                  "avg write rate: 0.410 MB/s\n\tsystem usage: CPU: user: 8.41 s, system: 1.02 s, "
                                  "elapsed: 24.87 s")))
    c.log("/aws/rds/instance/orders-db/postgresql", "orders-db.0", pev)

    c.change(-2600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "label-printer",
             "ci-deployer")
    c.change(-17000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "analytics-replica-1", "dba-park")
    c.alarm("order-status-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1, 10, "ALARM", -1800)
    c.alarm("picker-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60, 3, 1.0,
            "ALARM", -1920)
    c.alarm("orders-db-free-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": DB}, "Minimum", 300,
            1, 5e10, "OK", -900000, comparison="LessThanThreshold")
    doc = c.doc("h31-15-rds-cpu-plan-flip-two-clients",
                "Order status lookups failing and pickers' app slow; two alarms.",
                {"alarm": "order-status-errors",
                 "root_cause": {"category": "cpu_saturation", "resource": [DB]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": DB}},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]})
    meta = dict(region="ap-northeast-2", alarm="order-status-errors", category="cpu_saturation", resources=[DB],
                where="both alarms (order-status-errors, picker-alb-latency) are consequences; the origin orders-db "
                      "has no CPU alarm",
                decoys="label-printer deploy 6 min before onset; ModifyDBInstance on a different DB ~4 h before onset; "
                       "orders-db storage alarm OK; steady carrier-tracking retry WARNs",
                story="Right after an automatic ANALYZE of shipments, the planner switched the open-shipments query "
                      "to a sequential scan of the whole table (auto_explain shows `Seq Scan on shipments`). orders-db "
                      "CPU went from ~35 % to 99-100 % and stays pinned; read latency and active connections rise "
                      "(far below max_connections). The order-status Lambda gets `QueryCanceled: canceling statement "
                      "due to statement timeout` (5 s) on ~45 % of lookups and picker-api behind picker-alb is slow "
                      "and partly 500. The dependency is itself exhausted (CPU), so the label is cpu_saturation on "
                      "orders-db, which has no alarm of its own; the two alarms are its consequences.")
    return doc, meta


# ---------------------------------------------------------------------------
def s16():
    """ECS image deploy introduces a Go nil-pointer panic; an unrelated partner-export Lambda alarm was already firing."""
    c = Ctx(3116, "2026-11-24T08:20:00", "sa-east-1")
    LB, SVC = "app/orders-alb/1d3f5b7a9c2e4068", "orders/orders-api"
    T_DEP, T0 = -1950, -1860
    c.resource("alb", LB, name="orders-alb", scheme="internet-facing", target_groups={"orders-api-tg": "ecs orders/orders-api"})
    c.resource("ecs", SVC, launch_type="FARGATE", cpu=1024, memory=2048, desired_count=4, image="orders-api:v2.41.0",
               runtime="go1.22", load_balancer="orders-alb")
    c.resource("lambda", "partner-export", runtime="python3.12", memory_size=1024, timeout=900,
               destination="sftp.partner-logistics.com.br:22")
    roll = {m: ramp(m, T0 - 60, T0 + 120) for m in MINUTES}
    req = c.ser(lambda m: c.noisy(1300 * diurnal(m, 0.25, -14), 0.05))
    t5 = {m: req[m] * (0.0003 + 0.11 * roll[m]) * c.noisy(1, 0.1) for m in MINUTES}
    alb_metrics(c, LB, req, c.ser(lambda m: c.noisy(0.052, 0.08)), t5, c.ser(lambda m: c.poisson(0.2)),
                c.ser(lambda m: 4 + (4 if T_DEP + 60 <= m < T_DEP + 300 else 0)), c.ser(lambda m: 0),
                t4xx=c.ser(lambda m: c.noisy(50, 0.2)))
    ecs_metrics(c, "orders", "orders-api", c.ser(lambda m: c.noisy(24, 0.07)), c.ser(lambda m: c.noisy(36, 0.03)),
                c.ser(lambda m: 4 + (4 if T_DEP + 60 <= m < T_DEP + 300 else 0)))

    def zap(t, level, caller, msg, **kw):
        d = {"level": level, "ts": round(c.epoch(t), 3), "caller": caller, "msg": msg}
        d.update(kw)
        return json.dumps(d)

    def make(new):
        def gen(t):
            m = minute(t)
            if c.chance(0.04):
                return zap(t, "warn", "taxclient/client.go:77", "upstream tax-svc slow", latency_ms=c.rng.randint(800, 1900))
            oid = "ord_%s" % c.alnum(12)
            if new and c.chance(0.13):
                return zap(t, "error", "middleware/recover.go:31", "panic recovered",
                           error="runtime error: invalid memory address or nil pointer dereference",
                           method="GET", path="/v1/orders/%s" % oid, status=500,
                           stack="goroutine %d [running]:\ngithub.com/acme/orders-api/internal/refunds.(*Policy).Eligible("
                                 "0x0, 0xc000a1e2d0)\n\t/src/internal/refunds/eligibility.go:57 +0x2a\ngithub.com/acme/"
                                 "orders-api/internal/orders.(*Handler).Get(0xc0001b4000, {0x1a2b3c0, 0xc0004f2a80}, "
                                 "0xc000218900)\n\t/src/internal/orders/handler.go:142 +0x3d1" % c.rng.randint(10000, 99999))
            return zap(t, "info", "middleware/log.go:22", "request", method=c.pick(["GET", "GET", "POST"]),
                       path=c.pick(["/v1/orders/%s" % oid, "/v1/orders", "/v1/orders/%s/items" % oid]), status=200,
                       latency_ms=c.rng.randint(6, 90))
        return gen
    for k in range(2):
        ev = events_per_minute(c, LOG_FROM, T_DEP + 200 + 30 * k, lambda t: 7, make(False))
        ev += every(LOG_FROM + 17 * k, T_DEP + 200, 600, lambda t: zap(
            t, "info", "internal/obs/stats.go:40", "runtime stats", version="v2.40.3", commit="e1a77c0",
            goroutines=c.rng.randint(40, 90), heap_mb=c.rng.randint(90, 140)))
        ev.append((T_DEP + 201 + 30 * k, zap(T_DEP + 201 + 30 * k, "info", "cmd/server/main.go:97",
                                             "shutdown: draining connections", signal="SIGTERM")))
        c.log("/ecs/orders-api", "ecs/orders-api/%s" % c.hexs(32), [e for e in ev if e[0] >= -21600])
        st = T_DEP + 70 + 10 * k
        ev = [(st, zap(st, "info", "cmd/server/main.go:48", "starting orders-api", version="v2.41.0", commit="9f3c2ab"))]
        ev += events_per_minute(c, st + 5, 0, lambda t: 7, make(True))
        ev += every(st + 600, 0, 600, lambda t: zap(
            t, "info", "internal/obs/stats.go:40", "runtime stats", version="v2.41.0", commit="9f3c2ab",
            goroutines=c.rng.randint(40, 90), heap_mb=c.rng.randint(90, 140)))
        c.log("/ecs/orders-api", "ecs/orders-api/%s" % c.hexs(32), ev)

    T_EXP = -4320
    inv = c.ser(lambda m: 1 if m % 300 == 0 else 0)
    errs = {m: (inv[m] if m >= T_EXP else 0) for m in MINUTES}

    def he(ctx, t, rid, err):
        if err:
            d = ctx.noisy(30400, 0.01)
            return {"lines": [(0.02, "I", "Export batch %s: 18,412 shipments -> sftp.partner-logistics.com.br" % ctx.stamp(t, "%Y%m%d")),
                              (d / 1000 - 0.01, "E", "SFTP upload failed\n" + py_trace([
                                  ("/var/task/export/handler.py", 52, "handler", "client = sftp.connect(cfg)"),
                                  ("/var/task/export/sftp.py", 23, "connect", "transport.start_client(timeout=30)"),
                                  ("/var/lang/lib/python3.12/site-packages/paramiko/transport.py", 2330, "_check_banner",
                                   'raise SSHException("Error reading SSH protocol banner" + str(e))')],
                                  "paramiko.ssh_exception.SSHException: Error reading SSH protocol banner"))],
                    "dur": d, "mem": ctx.rng.randint(300, 340)}
        d = ctx.noisy(42000, 0.1)
        return {"lines": [(0.02, "I", "Export batch %s: 18,412 shipments -> sftp.partner-logistics.com.br" % ctx.stamp(t, "%Y%m%d")),
                          (d / 1000 - 0.01, "I", "Uploaded shipments_%s.csv.gz (3.1 MB)" % ctx.stamp(t, "%Y%m%d"))],
                "dur": d, "mem": ctx.rng.randint(300, 340)}
    lambda_function(c, "partner-export", "python3.12", 1024, 900, inv, errs, he, streams=1)

    c.change(T_DEP - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "orders-api:88",
             "spinnaker")
    c.change(T_DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", SVC, "spinnaker")
    c.change(-9000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "partner-export", "ops-lima")
    c.alarm("orders-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Sum", 60,
            3, 40, "ALARM", -1620)
    c.alarm("partner-export-errors", "AWS/Lambda", "Errors", {"FunctionName": "partner-export"}, "Sum", 900, 1, 1,
            "ALARM", -3600, comparison="GreaterThanOrEqualToThreshold")
    doc = c.doc("h31-16-ecs-go-panic-deploy-export-noise",
                "orders-api 500s after the morning release; orders-alb 5XX alarm, partner-export errors alarm too.",
                {"alarm": "orders-alb-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [SVC, "orders-api"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": LB}}]})
    meta = dict(region="sa-east-1", alarm="orders-alb-target-5xx", category="bad_deployment",
                resources=[SVC, "orders-api"],
                where="origin orders-api has no alarm of its own (investigated alarm is its ALB front); the other "
                      "alarm (partner-export-errors) is a coincidence",
                decoys="partner-export Lambda failing since 40 min before the deploy on partner SFTP banner "
                       "timeouts (its own alarm); config change on partner-export 2.5 h earlier; steady "
                       "'tax-svc slow' WARNs in both versions",
                story="spinnaker registered orders-api:88 and updated the service 32 minutes ago; the new tasks log "
                      "`starting orders-api version=v2.41.0` (old ones v2.40.3, drained with SIGTERM). Only the new "
                      "tasks log `panic recovered: runtime error: invalid memory address or nil pointer dereference` "
                      "in refunds.(*Policy).Eligible, for ~13 % of GET /v1/orders/{id}, and orders-alb target 5XX "
                      "rises as they take traffic. partner-export is also in ALARM, but it began failing 40 minutes "
                      "before the deploy, on SSH banner timeouts to an external partner, and shares nothing with "
                      "orders-api. New error signature right after an image deployment: bad_deployment on orders-api.")
    return doc, meta
