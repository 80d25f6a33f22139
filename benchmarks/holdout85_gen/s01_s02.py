"""h85-01 (sa-east-1, throttling behind API Gateway) and h85-02 (eu-west-1, Postgres connection
exhaustion behind an ALB)."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg, spring, zap

from .kit import (H85, alb_metrics, apigw_metrics, bump, ct, ecs_deploy, ecs_metrics,
                  emit, lambda_metrics, periodic, ramp, rds_metrics, sample)


def build_01() -> H85:
    sc = H85(1, "driver-pings-5xx",
             "Driver app reports location uploads failing during the evening rush in Sao Paulo; "
             "the telemetry API 5XX alarm paged on-call.",
             "sa-east-1", 8501, "2026-03-06T21:10:00+00:00", {
                 "front": "front (API Gateway -> Lambda)", "runtime": "Go (provided.al2023), zap JSON",
                 "decoys": "config change to another function 6 min before onset; pre-existing "
                           "invalid-fix errors (Lambda Errors alarm stays OK); old RDS CPU alarm",
             })
    api, fn, other, db = "drv-telemetry", "ping-normalizer", "trip-receipt-render", "fleet-pg-sa"
    rest = "k3v9q1x7ab"
    sc.resource("apigateway", api, stage="prod", rest_api_id=rest, endpoint_type="REGIONAL")
    sc.resource("lambda", fn, runtime="provided.al2023", architecture="arm64", memory_size=256,
                timeout=10, reserved_concurrency=60, handler="bootstrap")
    sc.resource("lambda", other, runtime="nodejs20.x", memory_size=512, timeout=30)
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=400)

    dur_ms = 360.0

    def demand(t):  # ping batches per minute: flat afternoon, then the evening commute
        return 8900 * (1 + 0.025 * math.sin(t / 1900.0)) + 2500 * ramp(t, -5400, -600)

    cap = 60 * 60000 / dur_ms * 0.99   # what 60 concurrent environments can serve per minute
    lm = lambda_metrics(sc, fn, inv=lambda t: min(demand(t), cap), err=3.0, dur=dur_ms,
                        thr=lambda t: max(0.0, demand(t) - cap),
                        conc=lambda t: demand(t) * dur_ms / 60000 * 1.02, conc_cap=60)
    onset = next(t for t, v in zip(range(-21600, 0, 60), lm["Throttles"]) if v > 20)
    sc.meta["onset"] = onset
    thr = dict(zip(range(-21600, 0, 60), lm["Throttles"]))
    apigw_metrics(sc, api, count=demand, e4=lambda t: demand(t) * 0.002,
                  e5=lambda t: 3.0 + max(0.0, demand(t) - cap), lat=420.0, ilat=385.0)
    lambda_metrics(sc, other, inv=lambda t: 42 * (1 + 0.4 * ramp(t, -6000, 0)), dur=880.0)
    rds_metrics(sc, db, cpu=lambda t: 31 + 6 * ramp(t, -5400, -600) + bump(t, -9300, -8400, 52),
                conns=lambda t: 240 + 30 * ramp(t, -5400, -600), free_gb=lambda t: 212 - t / -21600 * 0.4,
                mem_gb=5.1)

    # ---- ping-normalizer invocation logs (sampled), zap JSON from the Go handler
    cities = ["sao-paulo", "sao-paulo", "sao-paulo", "campinas", "santos"]
    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 10, mem_used=(61, 4), life=(3000, 9000))
    rng = sc.rng

    def body(ll, t, rid, is_err, cold):
        drv = f"drv_{rng.randint(100000, 999999)}"
        lines = []
        if rng.random() < 0.22:  # pre-existing noise: phones batch old GPS fixes
            lines.append((0.002, zap(sc, t + 0.002, "warn", "dropping stale fix",
                                     "ingest/normalize.go:141", driver_id=drv,
                                     age_s=rng.randint(31, 240), limit_s=30)))
        if is_err:
            lines.append((0.004, zap(sc, t + 0.004, "error", "invalid fix: lat/lng out of range",
                                     "ingest/handler.go:77", driver_id=drv, lat=0.0, lng=0.0,
                                     app_version=rng.choice(["5.31.0", "5.30.2"]))))
            return {"lines": lines, "dur": rng.uniform(3, 9)}
        n = rng.randint(4, 30)
        d = max(40.0, rng.gauss(dur_ms, 60))
        lines.append((d / 1000 - 0.003, zap(sc, t + d / 1000, "info", "batch normalized",
                                            "ingest/handler.go:112", driver_id=drv, fixes=n,
                                            h3_res=9, cells=max(1, n // 3), city=rng.choice(cities),
                                            elapsed_ms=round(d - 4, 1))))
        return {"lines": lines, "dur": d}

    ll.run(sample(sc, lm["Invocations"], 1 / 1300), sample(sc, lm["Errors"], 1 / 6), body)

    # ---- API Gateway execution logs: 200s and pre-existing 502s all along, 429s only after onset
    grp, st = f"API-Gateway-Execution-Logs_{rest}/prod", sc.hexid(32)

    def ok(t):
        return f"({sc.uuid()}) Method completed with status: 200"

    def bad_fix(t):
        rid = sc.uuid()
        sc.log(grp, st, t, f"({rid}) Lambda execution failed with status 200 due to customer function "
                           f"error: invalid fix: lat/lng out of range. Lambda request id: {sc.uuid()}")
        return f"({rid}) Method completed with status: 502"

    def throttled(t):
        rid = sc.uuid()
        sc.log(grp, st, t, f"({rid}) Lambda invocation failed with status: 429. Lambda request id: "
                           f"{sc.uuid()}")
        sc.log(grp, st, t + 0.001, f"({rid}) Execution failed due to configuration error: Rate Exceeded.")
        return f"({rid}) Method completed with status: 500"

    emit(sc, grp, st, lambda t: 3.0, ok)
    emit(sc, grp, st, lambda t: 0.5, bad_fix)
    emit(sc, grp, st, lambda t: thr.get(t, 0) / 250.0, throttled)

    # ---- decoy function and database
    ol = LambdaLogs(sc, other, "nodejs20.x", 512, 30, mem_used=(140, 12),
                    retire=[onset - 360])

    def receipt(ll, t, rid, is_err, cold):
        d = rng.gauss(880, 150)
        return {"lines": [(d / 1000 - 0.01, ll.fmt(t + d / 1000, rid, "info",
                                                  f"receipt rendered trip=TRP-{rng.randint(10**7, 10**8)} "
                                                  f"locale=pt-BR pages=1"))], "dur": d}

    om = [v for v in sc.value_at("AWS/Lambda", "Invocations", {"FunctionName": other}).values()]
    ol.run(sample(sc, om, 1 / 6), {}, receipt)
    pgl = f"/aws/rds/instance/{db}/postgresql"
    periodic(sc, pgl, f"{db}.0", 300, lambda t: pg(sc, t, "LOG", "checkpoint complete: wrote "
             f"{rng.randint(900, 4000)} buffers ({rng.uniform(0.4, 2.5):.1f}%); 0 WAL file(s) added, "
             f"0 removed, {rng.randint(1, 4)} recycled", pid=412))
    periodic(sc, pgl, f"{db}.0", 90, lambda t: pg(sc, t, "LOG", "automatic vacuum of table "
             "\"fleet.public.vehicle_positions\": index scans: 1", pid=rng.randint(20000, 30000)),
             start=-9300, end=-8400)

    ct(sc, onset - 360, "lambda_config", other, "camila.rocha")
    ct(sc, -16800, "lambda_code", other, "gh-actions-deployer")

    sc.alarm("drv-telemetry-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 300,
             "GreaterThanThreshold", "Driver telemetry API server errors")
    sc.alarm("ping-normalizer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 5, 25,
             "GreaterThanThreshold", "ping-normalizer function errors")
    sc.alarm("fleet-pg-sa-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 2, 75, "GreaterThanThreshold")
    sc.expect_("drv-telemetry-5xx", "throttling", [fn],
               [("AWS/Lambda", "Throttles", {"FunctionName": fn}),
                ("AWS/ApiGateway", "5XXError", {"ApiName": api})])
    sc.meta["story"] = (
        f"Pings from the driver app go through `{api}` to the Go function `{fn}`, which has "
        f"reserved concurrency 60. Its ConcurrentExecutions sat around 53 all afternoon; the evening "
        f"commute adds about 25 % more ping batches and from roughly {-onset // 60} min ago the function "
        f"is flat at 60 while Throttles climbs to well over a thousand a minute. The API's execution "
        f"log shows `Lambda invocation failed with status: 429` / `Rate Exceeded` only after that "
        f"point, and 5XXError tracks Throttles minute by minute. The `invalid fix` errors (Lambda "
        f"Errors, 502s) and `dropping stale fix` warnings run at the same rate for hours. "
        f"`{other}` had a configuration update six minutes before the throttles but its logs and "
        f"metrics are unchanged; the RDS CPU alarm is an autovacuum two hours earlier.")
    sc.meta["judgement"] = (
        "Traffic rises about 25 % over the last 80 minutes - the ordinary evening commute, not "
        "a surge - and nothing else is faulty; the function's concurrency limit turns that into "
        "throttles, so `throttling` rather than `traffic_surge`. The origin is the function whose "
        "limit is hit, not the API whose alarm fired.")
    return sc


def build_02() -> H85:
    sc = H85(2, "rider-edge-5xx",
             "Riders in Dublin see 'could not update your trip' errors; the ALB 5XX alarm on the "
             "rider edge fired.",
             "eu-west-1", 8502, "2026-01-22T19:05:00+00:00", {
                 "front": "front (ALB -> ECS -> RDS)", "runtime": "Kotlin / Spring Boot (plain), Postgres log",
                 "decoys": "ECS deploy of another service 5 min before onset; pre-existing Kafka "
                           "retry warnings and client resets",
             })
    lb = "app/rider-edge-eu/7f3a1c9e2b4d6a80"
    cl, svc, mailer, db = "trips", "lifecycle-api", "receipt-mailer", "core-pg-01"
    sc.resource("alb", lb, name="rider-edge-eu", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=6, cpu=1024, memory=2048,
                image="lifecycle-api:4.18.2", db_pool_max=25)
    sc.resource("ecs", f"{cl}/{mailer}", launch_type="FARGATE", desired_count=2, cpu=256, memory=512)
    sc.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
                max_connections=200, allocated_storage_gb=500)

    def req(t):
        return 3300 * (1 + 0.45 * ramp(t, -9000, -1200))

    def conns(t):
        return min(197.0, 128 + 76 * ramp(t, -8000, -600))

    onset = -2280
    sc.meta["onset"] = onset

    def fail(t):
        return 180 * ramp(t, onset, onset + 900)

    alb_metrics(sc, lb, req, t5=lambda t: 1.0 + fail(t), e5=lambda t: 0.3 + fail(t) * 0.05,
                rt=lambda t: 0.11 + 6.5 * ramp(t, onset, onset + 900), healthy=6, t4=lambda t: req(t) * 0.01)
    ecs_metrics(sc, cl, svc, cpu=lambda t: 34 + 14 * ramp(t, -9000, -1200), mem=61.0, running=6)
    ecs_metrics(sc, cl, mailer, cpu=lambda t: 8 + bump(t, onset - 300, onset - 120, 25, 60), mem=44.0,
                running=2)
    rds_metrics(sc, db, cpu=lambda t: 28 + 26 * ramp(t, -9000, -1200), conns=conns,
                free_gb=lambda t: 311 + t / 21600 * 0.6, mem_gb=lambda t: 6.2 - 0.9 * ramp(t, -8000, -600),
                rlat=0.0012, wlat=0.0021, max_conns=200)

    rng = sc.rng
    app = "lifecycle-api"
    tasks = [sc.hexid(32) for _ in range(2)]
    states = ["REQUESTED->ACCEPTED", "ACCEPTED->EN_ROUTE", "EN_ROUTE->ARRIVED", "ARRIVED->ON_TRIP",
              "ON_TRIP->COMPLETED"]

    def trip():
        return f"TR-{rng.randint(10 ** 8, 10 ** 9)}"

    for task in tasks:
        g, s = f"/ecs/{svc}", f"ecs/{svc}/{task}"
        emit(sc, g, s, lambda t: 4.0 * req(t) / 3300, lambda t: spring(
            sc, t, "INFO", f"http-nio-8080-exec-{rng.randint(1, 40)}", "c.r.t.lifecycle.TripStateService",
            f"Transition {rng.choice(states)} trip={trip()} took {rng.randint(12, 70)}ms", app))
        emit(sc, g, s, lambda t: 0.6, lambda t: spring(
            sc, t, "WARN", "kafka-producer-network-thread | producer-1", "c.r.t.events.TripEventPublisher",
            "Failed to send trip event to topic trip-events-v2 (attempt 1/5), retrying: "
            "org.apache.kafka.common.errors.NotLeaderOrFollowerException", app))
        emit(sc, g, s, lambda t: fail(t) / 40.0, lambda t: spring(
            sc, t, "WARN", f"http-nio-8080-exec-{rng.randint(1, 200)}", "o.h.engine.jdbc.spi.SqlExceptionHelper",
            "SQL Error: 0, SQLState: 08001", app))
        emit(sc, g, s, lambda t: fail(t) / 40.0, lambda t: spring(
            sc, t, "ERROR", f"http-nio-8080-exec-{rng.randint(1, 200)}", "o.h.engine.jdbc.spi.SqlExceptionHelper",
            "HikariPool-1 - Connection is not available, request timed out after 30000ms "
            "(total=25, active=25, idle=0, waiting=" + str(rng.randint(20, 60)) + ")", app))
        emit(sc, g, s, lambda t: fail(t) / 90.0, lambda t: spring(
            sc, t, "ERROR", f"http-nio-8080-exec-{rng.randint(1, 200)}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
            "[Request processing failed: org.springframework.transaction.CannotCreateTransactionException: "
            "Could not open JPA EntityManager for transaction] with root cause\n"
            "org.postgresql.util.PSQLException: FATAL: sorry, too many clients already", app))

    pgl = f"/aws/rds/instance/{db}/postgresql"
    periodic(sc, pgl, f"{db}.0", 300, lambda t: pg(sc, t, "LOG", "checkpoint complete: wrote "
             f"{rng.randint(2000, 9000)} buffers ({rng.uniform(1, 5):.1f}%); 0 WAL file(s) added, "
             f"0 removed, {rng.randint(2, 6)} recycled", pid=588))
    emit(sc, pgl, f"{db}.0", lambda t: 0.4, lambda t: pg(
        sc, t, "LOG", "could not receive data from client: Connection reset by peer",
        client=f"10.42.{rng.randint(1, 9)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
        user="trips_app", db="trips"))
    emit(sc, pgl, f"{db}.0", lambda t: fail(t) / 6.0, lambda t: pg(
        sc, t, "FATAL", rng.choice(["sorry, too many clients already",
                                     "remaining connection slots are reserved for non-replication "
                                     "superuser connections"]),
        client=f"10.42.{rng.randint(1, 9)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
        user="trips_app", db="trips"))
    mt = sc.hexid(32)
    emit(sc, f"/ecs/{mailer}", f"ecs/{mailer}/{mt}", lambda t: 1.5 if t < onset - 290 else 0,
         lambda t: spring(sc, t, "INFO", "scheduling-1", "c.r.t.mail.ReceiptBatchJob",
                          f"Sent {rng.randint(3, 40)} receipts (locale=en-IE)", "receipt-mailer"))
    mt2 = sc.hexid(32)
    emit(sc, f"/ecs/{mailer}", f"ecs/{mailer}/{mt2}", lambda t: 1.5 if t >= onset - 250 else 0,
         lambda t: spring(sc, t, "INFO", "scheduling-1", "c.r.t.mail.ReceiptBatchJob",
                          f"Sent {rng.randint(3, 40)} receipts (locale=en-IE)", "receipt-mailer"))

    ecs_deploy(sc, onset - 300, cl, mailer, "receipt-mailer", 63, "github-actions-release")
    ecs_deploy(sc, -19500, cl, svc, "lifecycle-api", 211, "github-actions-release")
    ct(sc, -15000, "rds_snapshot", f"{db}-manual-2026-01-22", "aoife.byrne")

    sc.alarm("rider-edge-eu-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 50, "GreaterThanThreshold", "Rider edge 5XX from targets")
    sc.alarm("core-pg-01-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average",
             300, 3, 80, "GreaterThanThreshold")
    sc.expect_("rider-edge-eu-target-5xx", "db_connection_exhaustion", [db],
               [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}),
                ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        f"`{cl}/{svc}` (6 tasks, Hikari pool 25 each) serves trip state changes behind `rider-edge-eu`. "
        f"As Dublin's evening demand builds, `{db}` DatabaseConnections climbs from ~128 to 197 - the "
        f"200 `max_connections` minus the superuser reserve - and stays flat there. From about "
        f"{-onset // 60} min ago the Postgres log gets `FATAL: sorry, too many clients already` / "
        f"`remaining connection slots are reserved`, and the service logs Hikari `Connection is not "
        f"available, request timed out after 30000ms` plus `CannotCreateTransactionException`; target "
        f"5XX and response time follow. DB CPU only reaches ~55 %. `{mailer}` was deployed five minutes "
        f"before the first error but does not touch the trip path; the Kafka retry warnings and "
        f"client connection resets are hours old.")
    sc.meta["judgement"] = (
        "The app's pool waits are a symptom; the DB is at its connection limit, so the origin is "
        f"`{db}` (as in the public rds-connection-exhaustion example), not the ECS service or the ALB.")
    return sc


BUILDERS = [build_01, build_02]
