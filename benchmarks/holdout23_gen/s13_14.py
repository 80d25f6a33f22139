"""Scenarios 13-14: an input-driven crash next to an unrelated deploy; a pool-size typo that reads like exhaustion."""
import datetime as dt
import json

from .awsres import (alb_metrics, api_metrics, ecs_metrics, ecs_streams, emit, lambda_fn, lambda_line, pg_line,
                     rds_metrics, spring)
from .lib import Scn, anomaly, poisson_times, ramp, spread, step, values

GB = 1e9


def s13():
    s = Scn("h23-13-webhook-dispatcher-nil-consignee", "webhook-dispatcher errors alarm; customers report "
            "missing shipment webhooks.", "us-east-2", dt.datetime(2026, 11, 25, 18, 20), 2313)
    onset, dep = -1620, -1680
    fn = "webhook-dispatcher"
    s.resource("lambda", fn, runtime="ruby3.3", timeout=30, memory_size=512,
               trigger="EventBridge bus partner-events, rule shipment-events (detail-type shipment.*)",
               environment={"DELIVERY_TIMEOUT_S": "10", "SIGNING_SECRET_ARN": "arn:aws:secretsmanager:us-east-2:"
                                                                              "590213874466:secret:webhooks/signing"})
    s.resource("lambda", "webhook-admin-ui", runtime="nodejs20.x", timeout=10, memory_size=256,
               invoked_by="apigateway webhooks-admin")
    s.resource("apigateway", "webhooks-admin", stage="prod", rest_api_id="c3v8n1q6zr",
               integrations={"ANY /{proxy+}": "lambda:webhook-admin-ui"})
    s.resource("lambda", "partner-sync", runtime="nodejs20.x", timeout=120, memory_size=512,
               trigger="EventBridge schedule rate(1 minute)")

    inv = s.counts(lambda t: 34 * s.diurnal(t, 0.2, 18))
    share = lambda t: 0.22 * ramp(t, onset, onset + 300)
    err = [[t, float(min(n, s.poisson(n * share(t))))] for t, n in inv]
    custs = ["hooks.brightcart.io", "api.nordhaus-moebel.de", "erp.tallpine.co", "hooks.zestgrocer.com"]

    def body(t, rid, kind):
        ev = "evt_%s" % s.hexid(12)
        src = "acme-freight" if (kind or s.rng.random() < 0.3) else s.pick(["swiftline", "parcelgo", "acme-freight"])
        typ = s.pick(["shipment.updated", "shipment.delivered", "shipment.pickup_scheduled"])
        lines = [(0.004, "INFO", "event %s source=%s type=%s" % (ev, src, typ if not kind else
                                                                   "shipment.pickup_scheduled"))]
        if src == "acme-freight" and t >= onset:
            lines.append((0.006, "WARN", "event %s from acme-freight declares schema_version=2026-11 (expected "
                          "2025-06); processing anyway" % ev))
        if kind:
            d = 12 + s.rng.random() * 10
            lines.append((d / 1000, None, lambda_line(s, "ruby3.3", t + d / 1000, rid, "ERROR",
                                                      "Error raised from handler method") +
                          "\n" + json.dumps({"errorMessage": "undefined method `[]' for nil", "errorType":
                                             "Function<NoMethodError>", "stackTrace": [
                                                 "/var/task/lib/payload_builder.rb:57:in `consignee_block'",
                                                 "/var/task/lib/payload_builder.rb:21:in `build'",
                                                 "/var/task/handler.rb:14:in `handler'"]})))
            return {"dur": d + 3, "mem": 118, "lines": lines}
        d = 120 + s.rng.random() * 260
        lines.append((d / 1000, "INFO", "Delivered %s to https://%s/webhooks/shipments status=200 in %dms"
                      % (ev, s.pick(custs), d - 20)))
        return {"dur": d + 4, "mem": 112 + s.rng.randint(0, 9), "lines": lines}

    lambda_fn(s, fn, "ruby3.3", 512, 30, inv, err, body, lambda t: 260 + s.noise(25), log_from=-7200)

    # decoy 1: admin UI (behind its own API) deployed 60 s before onset
    ai = s.counts(lambda t: 2.2)

    def admin(t, rid, kind):
        d = 40 + s.rng.random() * 80
        return {"dur": d, "mem": 90, "lines": [(d / 1000 - 0.005, "INFO", "GET /subscriptions?page=%d 200"
                                                % s.rng.randint(1, 9))]}

    lambda_fn(s, "webhook-admin-ui", "nodejs20.x", 256, 10, ai, [[t, 0.0] for t, _ in ai], admin,
              lambda t: 80 + s.noise(10), log_from=-7200, rotate=(dep + 10,), nstreams=1)
    api_metrics(s, "webhooks-admin", ai, s.counts(lambda t: 0.1), [[t, 0.0] for t, _ in ai],
                s.series(lambda t: 96 + s.noise(12)))
    s.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "webhook-admin-ui", "ci-deployer")

    # decoy 2: partner-sync has failed twice a minute for hours (its alarm has been in ALARM since morning)
    pi = [[t, 1.0] for t in s.grid()]
    perr = s.counts(lambda t: 0.45)
    pe = values(perr)
    perr = [[t, min(1.0, pe[t])] for t, _ in pi]

    def psync(t, rid, kind):
        if kind:
            return {"dur": 3100 + s.rng.random() * 400, "mem": 140, "lines": [
                (3.0, "ERROR", "Invoke Error \t" + json.dumps({"errorType": "Error", "errorMessage": "read ECONNRESET",
                                                              "code": "ECONNRESET", "stack": [
                                                                  "Error: read ECONNRESET",
                                                                  "    at TLSWrap.onStreamRead (node:internal/stream_"
                                                                  "base_commons:217:20)"]}))]}
        return {"dur": 2200 + s.rng.random() * 500, "mem": 138, "lines": [
            (2.1, "INFO", "synced %d partner records from sftp.partners.acme-freight.com" % s.rng.randint(0, 40))]}

    lambda_fn(s, "partner-sync", "nodejs20.x", 512, 120, pi, perr, psync, lambda t: 2500 + s.noise(200),
              log_from=-7200, nstreams=1)

    s.alarm("webhook-dispatcher-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
            "GreaterThanThreshold", "ALARM", "auto", err, "webhook-dispatcher failed invocations", after=onset)
    s.alarm("partner-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "partner-sync"}, "Sum", 3600, 1, 5,
            "GreaterThanThreshold", "ALARM", "auto", perr, after=-21600)
    s.set_expect("webhook-dispatcher-errors", "application_error", [fn],
                 [anomaly("AWS/Lambda", "Errors", FunctionName=fn)])
    s.meta = dict(category="application_error", resources=[fn], alarm_on="origin (busy neighbours)",
                  decoys="webhook-admin-ui deployed 60 s before onset (separate API, off path); partner-sync "
                         "ECONNRESET errors and alarm in ALARM for hours at the same rate",
                  story="From ~27 min ago about 22 % of webhook-dispatcher invocations die with an unhandled "
                        "`NoMethodError: undefined method '[]' for nil` in payload_builder.rb:57 "
                        "(`consignee_block`). Every failing event is a shipment.pickup_scheduled from acme-freight, "
                        "and from the same moment the function warns that acme-freight now sends schema_version "
                        "2026-11, which leaves the consignee null for pickups. Nothing changed on the function. "
                        "Duration, memory and concurrency are normal and there is no dependency in the failure "
                        "path. The only change at onset is webhook-admin-ui, a separate admin API. partner-sync's "
                        "ECONNRESETs and alarm have been there since the morning at the same rate. Label: "
                        "application_error on webhook-dispatcher.")
    return s


def s14():
    s = Scn("h23-14-booking-5xx-pool-size-config", "Booking availability calls failing; ALB 5XX alarm. "
            "booking-reminders throttling alarm is also open.", "us-west-2", dt.datetime(2026, 11, 22, 13, 50), 2314)
    reg, upd, roll0, roll1 = -2280, -2270, -2220, -2060
    lb = "app/booking-alb/6d1f3b5a7c9e2048"
    s.resource("alb", lb, name="booking-alb", scheme="internet-facing",
               target_groups=[{"name": "booking-gateway-tg", "target": "ecs:booking/booking-gateway", "port": 3000}])
    s.resource("ecs", "booking/booking-gateway", cluster="booking", service="booking-gateway", desired_count=4,
               launch_type="FARGATE", environment={"AVAILABILITY_URL": "http://availability-svc.booking.local:8080"},
               log_groups=["/ecs/booking-gateway"])
    s.resource("ecs", "booking/availability-svc", cluster="booking", service="availability-svc", desired_count=6,
               launch_type="FARGATE", task_definition="availability-svc:88",
               image="905418233071.dkr.ecr.us-west-2.amazonaws.com/availability-svc:5.2.1",
               environment={"DB_URL": "jdbc:postgresql://booking-pg.cr6t1w8k2z4y.us-west-2.rds.amazonaws.com:5432/"
                                      "booking", "DB_POOL_MAX_SIZE": "2", "DB_CONNECTION_TIMEOUT_MS": "3000"},
               log_groups=["/ecs/availability-svc"])
    s.resource("rds", "booking-pg", engine="postgres", engine_version="15.6", instance_class="db.r6g.xlarge",
               max_connections=800, allocated_storage_gb=400)
    s.resource("lambda", "booking-reminders", runtime="python3.12", timeout=60, memory_size=256,
               reserved_concurrency=2, trigger="SQS booking-reminders")

    newf = lambda t: ramp(t, roll0 + 60, roll1)
    req = s.counts(lambda t: 880 * s.diurnal(t, 0.2, 13))
    rv = values(req)
    t5 = [[t, float(s.poisson(rv[t] * 0.19 * newf(t) + 0.3))] for t, _ in req]
    tv = values(t5)
    alb_metrics(s, lb, req, s.series(lambda t: 0.12 + abs(s.noise(0.015)) + 1.95 * newf(t) + s.noise(0.05), nd=4),
                t5, s.counts(lambda t: 0.05), s.series(lambda t: 4, nd=0))
    ecs_metrics(s, "booking", "booking-gateway", s.series(lambda t: 30 + s.noise(2)), s.series(lambda t: 50 + s.noise(0.5)),
                s.series(lambda t: 4, nd=0))
    ecs_metrics(s, "booking", "availability-svc", s.series(lambda t: 41 - 22 * newf(t) + s.noise(2)),
                s.series(lambda t: 60 + s.noise(0.5)), s.series(lambda t: 12 if roll0 <= t < roll1 else 6, nd=0))
    conns = s.series(lambda t: 112 + s.noise(4) - 80 * newf(t) + (40 if roll0 + 60 <= t < roll1 else 0), nd=0)
    rds_metrics(s, "booking-pg", s.series(lambda t: 35 - 14 * newf(t) + s.noise(2)), conns,
                s.series(lambda t: 280 * GB + s.noise(0.1 * GB), nd=0), s.series(lambda t: 21 * GB + s.noise(0.1 * GB),
                                                                             nd=0),
                s.series(lambda t: 0.0008 + abs(s.noise(0.0002)), nd=5),
                s.series(lambda t: 0.0013 + abs(s.noise(0.0003)), nd=5))

    # availability-svc: 6 old tasks (pool 25) replaced by 6 new tasks (pool 2), same image 5.2.1
    old, new = ecs_streams(s, "availability-svc", 6), ecs_streams(s, "availability-svc", 6)
    dsc = "c.a.booking.config.DataSourceConfig"

    def line(t, pool, ok_only=False):
        thr = "http-nio-8080-exec-%d" % s.rng.randint(1, 200)
        m = t - t % 60
        if s.rng.random() < 0.05:
            if pool == 25:
                act = s.rng.randint(3, 11)
                stats = "total=25, active=%d, idle=%d, waiting=0" % (act, 25 - act)
            else:
                stats = "total=2, active=2, idle=0, waiting=%d" % s.rng.randint(12, 48)
            return spring(s, t, "DEBUG", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                          "HikariPool-1 - Pool stats (%s)" % stats)
        if pool == 2 and not ok_only and s.rng.random() < 2.2 * tv.get(m, 0) / max(1.0, rv.get(m, 1)) / max(
                0.1, newf(t)):
            w = s.rng.randint(12, 48)
            return [(0, spring(s, t, "WARN", thr, "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 0, SQLState:"
                                                                                           " null")),
                    (0.001, spring(s, t, "ERROR", thr, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                   "HikariPool-1 - Connection is not available, request timed out after 3000ms "
                                   "(total=2, active=2, idle=0, waiting=%d)" % w)),
                    (0.003, spring(s, t, "ERROR", thr, "c.a.booking.web.ApiExceptionHandler",
                                   "GET /v1/availability failed\norg.springframework.dao.DataAccessResourceFailure"
                                   "Exception: Unable to acquire JDBC Connection [HikariPool-1 - Connection is not "
                                   "available, request timed out after 3000ms (total=2, active=2, idle=0, waiting=%d)]"
                                   "\n\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernate"
                                   "AccessException(HibernateJpaDialect.java:256)" % w))]
        return spring(s, t, "INFO", thr, "c.a.booking.web.RequestLog", "GET /v1/availability?property=p_%d&from="
                      "2026-12-%02d 200 %dms" % (s.rng.randint(1000, 9999), s.rng.randint(1, 28),
                                                  s.rng.randint(8, 40) if pool == 25 else s.rng.randint(400, 2900)))

    b = spread(s, poisson_times(s, lambda m: 30 * (1 - newf(m)), -9000, roll1), old, lambda t, st: line(t, 25))
    for i, st in enumerate(new):
        t0 = roll0 + 10 * i + s.rng.random() * 5
        b[st] = [(t0, spring(s, t0, "INFO", "main", "c.a.booking.AvailabilityServiceApplication",
                             "Starting AvailabilityServiceApplication v5.2.1 using Java 21.0.4 with PID 1")),
                 (t0 + 6.1, spring(s, t0 + 6.1, "INFO", "main", dsc, "Datasource pool configured: maximumPoolSize=2 "
                                                                      "(env DB_POOL_MAX_SIZE), minimumIdle=2, "
                                                                      "connectionTimeout=3000ms")),
                 (t0 + 6.3, spring(s, t0 + 6.3, "INFO", "main", "com.zaxxer.hikari.HikariDataSource",
                                   "HikariPool-1 - Starting...")),
                 (t0 + 6.5, spring(s, t0 + 6.5, "INFO", "main", "com.zaxxer.hikari.HikariDataSource",
                                   "HikariPool-1 - Start completed.")),
                 (t0 + 12.8, spring(s, t0 + 12.8, "INFO", "main", "c.a.booking.AvailabilityServiceApplication",
                                    "Started AvailabilityServiceApplication in 12.71 seconds (process running for "
                                    "13.4)"))]
    nb = spread(s, poisson_times(s, lambda m: 30 * max(0.1, newf(m)), roll0 + 60), new, lambda t, st: line(t, 2))
    for st in new:
        b[st] += nb[st]
    emit(s, "/ecs/availability-svc", b)

    def gw(t, _st):
        m = t - t % 60
        d = {"level": "info", "time": s.iso(t), "service": "booking-gateway"}
        if s.rng.random() < 0.07:
            d.update(level="warn", msg="deprecated query param 'pax' used by client ios-4.12; mapping to 'guests'")
        elif s.rng.random() < 2.0 * tv.get(m, 0) / max(1.0, rv.get(m, 1)):
            d.update(level="error", msg="availability-svc GET /v1/availability failed: 500 Internal Server Error",
                     upstream="availability-svc.booking.local:8080", elapsed_ms=s.rng.randint(3005, 3060))
        else:
            d.update(msg="GET /search 200", elapsed_ms=s.rng.randint(20, 90) if t < roll0 else s.rng.randint(400,
                                                                                                            3000))
        return json.dumps(d, separators=(",", ":"))

    emit(s, "/ecs/booking-gateway", spread(s, poisson_times(s, lambda m: 20, -9000), ecs_streams(s, "booking-gateway",
                                                                                                4), gw))
    s.change(reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "availability-svc:88",
             "AWSReservedSSO_PlatformOps_2c9d/a.kumar")
    s.change(upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "booking/availability-svc",
             "AWSReservedSSO_PlatformOps_2c9d/a.kumar")

    # decoy: throttled SQS reminder function (reserved concurrency 2), alarm in ALARM since before the change
    ri = s.counts(lambda t: 13 if t >= -2580 else 4)
    rthr = s.counts(lambda t: 45 * step(t, -2580))

    def rem(t, rid, kind):
        d = 8000 + s.rng.random() * 1000
        return {"dur": d, "mem": 96, "lines": [(d / 1000 - 0.01, "INFO", "sent %d reminder emails for check-ins on "
                                                                         "2026-11-23" % s.rng.randint(5, 40))]}

    lambda_fn(s, "booking-reminders", "python3.12", 256, 60, ri, [[t, 0.0] for t, _ in ri], rem,
              lambda t: 8500 + s.noise(300), log_from=-3600, nstreams=2, thr=rthr,
              conc=s.series(lambda t: 2 if t >= -2580 else 1, nd=0))

    s.alarm("booking-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3,
            40, "GreaterThanThreshold", "ALARM", "auto", t5, "booking target 5xx", after=roll0)
    s.alarm("booking-reminders-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "booking-reminders"}, "Sum",
            60, 3, 10, "GreaterThanThreshold", "ALARM", "auto", rthr, after=-2580)
    s.set_expect("booking-alb-5xx", "config_change", ["booking/availability-svc", "availability-svc"],
                 [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", LoadBalancer=lb)])
    s.meta = dict(category="config_change", resources=["booking/availability-svc", "availability-svc"],
                  alarm_on="front (ALB → booking-gateway → availability-svc)",
                  decoys="Hikari 'Connection is not available' pool-exhaustion wording while booking-pg sits far "
                         "below max_connections; booking-reminders Throttles alarm in ALARM; steady deprecated-param "
                         "WARN",
                  story="a.kumar registered availability-svc:88 and updated the service 38 min ago. The new tasks "
                        "run the same image (v5.2.1) but log `Datasource pool configured: maximumPoolSize=2 (env "
                        "DB_POOL_MAX_SIZE)`, and the service's current environment shows DB_POOL_MAX_SIZE=2. The old "
                        "tasks' Hikari stats showed total=25. As the new tasks take traffic, requests queue for a "
                        "connection (waiting=12-48) and fail after 3 s with `Connection is not available`, which "
                        "booking-gateway turns into 500s. booking-pg is not exhausted: connections fall from ~112 "
                        "to ~32 of 800. booking-reminders' throttles are a separate SQS consumer capped at reserved "
                        "concurrency 2. Label: config_change on booking/availability-svc.")
    return s
