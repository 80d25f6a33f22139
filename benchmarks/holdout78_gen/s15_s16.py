"""h78-15 booking-confirm release (us-west-2); h78-16 analytics queries pin the fares database (ap-southeast-2)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg, spring

from .kit import (H78, alb_metrics, apigw_metrics, ecs_deploy, ecs_metrics, lambda_deploy, lambda_metrics,
                  lambda_sample, rds_metrics, times)


def build_15() -> H78:
    sc = H78(15, "booking-confirm-release",
             "Bookings failing at the confirmation step; booking API 5XX alarm paged.",
             "us-west-2", 7815, "2026-09-30T20:05:00+00:00")
    T0 = -1860
    fn, api = "booking-confirm", "booking-api"
    sc.resource("apigateway", api, stage="prod", api_id="b3n8r2kq7w")
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=20, memory_size=512, alias="live")
    sc.resource("lambda", "seat-hold-sweeper", runtime="ruby3.3", timeout=120, memory_size=256)
    sc.resource("rds", "bookings-w2", engine="postgres", instance_class="db.r6g.large", max_connections=800)
    new = lambda t: 0.31 if t >= T0 + 8 else 0.0
    inv = lambda t: 110 * diurnal(sc, t, 20, 0.3)
    L = lambda_metrics(sc, fn, inv, lambda t: inv(t) * (0.05 + new(t)), lambda t: 640 - 200 * new(t))
    apigw_metrics(sc, api, lambda t: inv(t) * 1.02, lambda t: inv(t) * 0.05 + 1, lambda t: 0.2 + inv(t) * new(t),
                  lambda t: 660 - 200 * new(t))
    lambda_metrics(sc, "seat-hold-sweeper", lambda t: 1.0, lambda t: 0.0, lambda t: 21000.0, conc=lambda t: 1.0)
    rds_metrics(sc, "bookings-w2", lambda t: 28 + bump(t, -12600, -11700, 35), lambda t: 120.0, lambda t: 260.0)
    lambda_deploy(sc, -16400, fn)
    lambda_deploy(sc, T0 - 45, fn)
    sc.change(T0 - 20, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "seat-hold-sweeper", "terraform-ci")
    sc.change(-12650, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "bookings-pg15",
              "terraform-ci")
    ll = LambdaLogs(sc, fn, "ruby3.3", 512, 20, epochs=((-10 ** 9, "41"), (-16400, "42"), (T0 - 38, "43")),
                    mem_used=(132, 10))

    def body(ll, t, rid, is_err, cold):
        bk = f"BK{sc.hexid(6).upper()}"
        loyal = sc.rng.random() < 0.6
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"confirm booking={bk} pax={sc.rng.randint(1, 5)} "
                                              f"loyalty={'yes' if loyal else 'no'} payment=authorized"))]
        if is_err and t >= T0 + 8 and sc.rng.random() < 0.86:
            lines.append((0.09, ll.fmt(t, rid, "ERROR", f"confirm failed booking={bk}: NoMethodError: undefined method "
                                                     "`iso_code' for nil")))
            err = {"errorMessage": "undefined method `iso_code' for nil", "errorType": "Function<NoMethodError>",
                   "stackTrace": ["/var/task/lib/confirmation/payload.rb:31:in `currency_block'",
                                  "/var/task/lib/confirmation/payload.rb:12:in `to_h'",
                                  "/var/task/lib/confirmation/publisher.rb:20:in `publish'", "/var/task/handler.rb:14:in `call'"]}
            lines.append((0.091, json.dumps(err, separators=(",", ":"))))
            return {"lines": lines, "dur": sc.rng.uniform(90, 160)}
        if is_err:
            seat = f"{sc.rng.randint(5, 40)}{sc.rng.choice('ABCDEF')}"
            lines.append((0.2, ll.fmt(t, rid, "ERROR", f"Booking::HoldExpired: seat hold {seat} expired before confirmation "
                                                     "(ttl 600s) booking=" + bk)))
            err = {"errorMessage": f"seat hold {seat} expired before confirmation (ttl 600s)",
                   "errorType": "Function<Booking::HoldExpired>",
                   "stackTrace": ["/var/task/lib/booking/holds.rb:44:in `assert_live!'", "/var/task/handler.rb:11:in `call'"]}
            lines.append((0.201, json.dumps(err, separators=(",", ":"))))
            return {"lines": lines, "dur": sc.rng.uniform(180, 260)}
        d = sc.rng.gauss(640, 110)
        lines.append((d / 1000, ll.fmt(t, rid, "INFO", f"confirmed booking={bk} pnr={sc.hexid(6).upper()} ms={int(d)}")))
        return {"lines": lines, "dur": d}

    ll.run(*lambda_sample(sc, L["inv"], L["err"], 3.0), body)
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 15, "GreaterThanThreshold",
             "Booking API server errors")
    sc.alarm("seat-hold-sweeper-errors", "AWS/Lambda", "Errors", {"FunctionName": "seat-hold-sweeper"}, "Sum", 300, 1,
             0, "GreaterThanThreshold")
    sc.expect = {"alarm": f"{api}-5xx", "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        category="bad_deployment", front="front (API Gateway); origin is the deployed function",
        runtime="Ruby 3.3 Lambda", services="API Gateway, Lambda, RDS",
        decoys="seat-hold-sweeper configuration change 25 s closer to onset; Booking::HoldExpired (seat-hold "
               "timeout) errors at ~5 % for six hours; DB parameter-group change and CPU bump 3 h earlier",
        story="booking-api's 5XX count rises 31 minutes ago. booking-confirm was deployed 45 s before onset "
              "(UpdateFunctionCode, PublishVersion 43, UpdateAlias live), and from the first invocations of version 43 "
              "about a third of confirmations fail with `NoMethodError: undefined method `iso_code' for nil` in "
              "`confirmation/payload.rb:31`, a signature absent from the earlier versions. The seat-hold "
              "HoldExpired errors continue at the rate they had all along. The seat-hold-sweeper change is "
              "closer to onset but the sweeper keeps running without errors, and the config-beats-deploy tie-break "
              "needs the config change to be the trigger for the same fault, which it is not.")
    return sc


def build_16() -> H78:
    sc = H78(16, "fares-db-analytics-cpu",
             "Fare index API slow and timing out; fareindex ALB latency alarm fired.",
             "ap-southeast-2", 7816, "2026-04-02T06:50:00+00:00")
    T0 = -2160
    lb, svc, db = "app/fareindex-au/2a7f9c3e51d08b64", "search/fare-index-api", "fares-pg-au"
    sc.resource("alb", lb, name="fareindex-au", scheme="internal")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=4, cpu=2048, memory=4096)
    sc.resource("ecs", "search/suggest-api", launch_type="FARGATE", desired_count=2)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.2xlarge",
                max_connections=1600, allocated_storage_gb=1000)
    hot = lambda t: ramp(t, T0, T0 + 240)
    req = lambda t: 1300 * diurnal(sc, t, 6, 0.25)
    alb_metrics(sc, lb, req, lambda t: 0.07 + 2.6 * hot(t), lambda t: 0.2 + req(t) * 0.09 * hot(t))
    ecs_metrics(sc, "search", "fare-index-api", lambda t: 36 * diurnal(sc, t, 6, 0.25) * (1 - 0.4 * hot(t)),
                lambda t: 62.0, tasks=lambda t: 4.0)
    ecs_metrics(sc, "search", "suggest-api", lambda t: 18.0 + bump(t, T0 - 240, T0 - 120, 20, 40), lambda t: 40.0,
                tasks=lambda t: 2.0 + 2 * bump(t, T0 - 240, T0 - 120, 1, 40))
    rds_metrics(sc, db, lambda t: 29 * diurnal(sc, t, 6, 0.25) * (1 - hot(t)) + 98.4 * hot(t),
                lambda t: 180 + 60 * hot(t), lambda t: 611.0, mem_gb=lambda t: 21.0 - 3 * hot(t),
                rlat=lambda t: 0.0009 + 0.012 * hot(t), queue=lambda t: 0.6 + 4 * hot(t), max_conns=1600)
    ecs_deploy(sc, -6400, svc, "fare-index-api")
    ecs_deploy(sc, T0 - 250, "search/suggest-api", "suggest-api")
    app = "fare-index-api"
    tasks = [sc.hexid(32) for _ in range(4)]
    for t in times(sc, lambda m: 4.0):
        s = "ecs/fare-index-api/" + sc.rng.choice(tasks)
        od = sc.rng.choice(["SYD-MEL", "SYD-BNE", "MEL-PER", "SYD-AKL", "BNE-NAN", "MEL-DPS"])
        if sc.rng.random() < 0.09 * hot(t):
            sc.log("/ecs/fare-index-api", s, t, spring(sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}",
                   "c.t.fareindex.api.IndexController", f"lookup failed od={od}: org.postgresql.util.PSQLException: "
                   "ERROR: canceling statement due to statement timeout", app))
        else:
            ms = int(max(8, sc.rng.gauss(60 + 2500 * hot(t), 30 + 900 * hot(t))))
            sc.log("/ecs/fare-index-api", s, t, spring(sc, t, "INFO", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}",
                   "c.t.fareindex.api.IndexController", f"lowest fares od={od} months=12 rows={sc.rng.randint(30, 365)} "
                   f"took={ms}ms", app))
    for t in times(sc, lambda m: 0.7):
        sc.log("/ecs/fare-index-api", "ecs/fare-index-api/" + sc.rng.choice(tasks), t, spring(
            sc, t, "WARN", "cache-refresh-1", "c.t.fareindex.cache.CalendarCache",
            f"calendar cache entry evicted early od={sc.rng.choice(['SYD-HNL', 'PER-JNB', 'MEL-HKT'])} reason=size", app))
    g, s = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    for t in range(-21580, 0, 300):
        sc.log(g, s, t, pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(2000, 9000)} buffers; 0 WAL file(s) "
                                         "added, 0 removed, 2 recycled", pid=587))
    for t in times(sc, lambda m: 0.15):
        sc.log(g, s, t, pg(sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 1900):.3f} ms  statement: SELECT f.* FROM "
                                         "fare_calendar f WHERE f.od = $1 AND f.month >= $2 ORDER BY f.amount LIMIT 50",
                           "10.80.3.41(51234)", "fareindex", "fares"))
    sc.log(g, s, T0 - 5, pg(sc, T0 - 5, "LOG", "connection authorized: user=bi_reader database=fares "
                                               "application_name=Metabase SSL enabled", "10.80.12.9(40122)", "bi_reader", "fares"))
    for t in times(sc, lambda m: 0.8 * hot(m)):
        sc.log(g, s, t, pg(sc, t, "LOG", f"duration: {sc.rng.uniform(42000, 290000):.3f} ms  statement: -- Metabase:: "
                                         "userID: 41 queryType: native\nSELECT date_trunc('day', fs.captured_at), fs.od, "
                                         "percentile_cont(0.5) WITHIN GROUP (ORDER BY fs.amount) FROM fare_snapshots fs "
                                         "JOIN fare_calendar fc ON fc.od = fs.od GROUP BY 1, 2",
                           "10.80.12.9(40122)", "bi_reader", "fares"))
    for t in times(sc, lambda m: 3.0 * hot(m)):
        sc.log(g, s, t, pg(sc, t, "ERROR", "canceling statement due to statement timeout",
                           f"10.80.{sc.rng.randint(3, 4)}.{sc.rng.randint(10, 99)}({sc.rng.randint(40000, 60000)})",
                           "fareindex", "fares"))
    sc.alarm("fareindex-au-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3,
             1.0, "GreaterThanThreshold", "Fare index API latency")
    sc.alarm("fare-index-api-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": "search", "ServiceName": "fare-index-api"},
             "Average", 300, 2, 85, "GreaterThanThreshold")
    sc.alarm(f"{db}-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Maximum", 300, 2,
             1200, "GreaterThanThreshold")
    sc.expect = {"alarm": "fareindex-au-latency", "root_cause": {"category": "cpu_saturation", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(
        category="cpu_saturation", front="front (ALB on ECS); origin is the Postgres instance",
        runtime="Java Spring Boot on ECS; Postgres log", services="ALB, ECS, RDS",
        decoys="suggest-api deploy 4 min before onset (with a task-count and CPU blip); fare-index-api deploy 70 min "
               "before onset; calendar-cache eviction WARNs and 1-2 s slow-query lines all along; ECS CPU falls",
        story="fareindex-au's response time goes from 70 ms to ~2.7 s 36 minutes ago and some lookups fail with "
              "`canceling statement due to statement timeout`. fares-pg-au's CPU goes from ~30 % to ~98 % at onset, "
              "right after a `bi_reader` session from Metabase connects and starts logging native analytics queries "
              "that run 40-290 s (percentile over fare_snapshots joined to fare_calendar). Connections stay at ~240 "
              "of 1600, storage and memory are ample. fare-index-api's own queries are the same as before and its "
              "CPU falls while it waits; its deploy was 70 minutes before onset with no new error signature until "
              "the DB saturated.",
        judgement="From the API's side these are dependency timeouts, but the dependency is itself exhausted "
                  "(CPU pinned), which the table routes to cpu_saturation on the database rather than "
                  "dependency_failure.")
    return sc


BUILDERS = [build_15, build_16]
