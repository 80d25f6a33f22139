"""h94-05 (selfie liveness vendor timing out) and h94-06 (Postgres connection slots used up)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import pg, spring
from .kit import (GRID, HISTORY, LOG_START, LambdaLogs, after, alb_set, ecs_set, emit, every, evening,
                  expect, lam_run, lambda_set, new, rds_set, task_ids)


def build_05():
    sc = new(5, "selfie-verify-errors", "Selfie verification failing for new sign-ups; "
             "verification function Errors alarm.", "ap-southeast-1", shift_min=6)
    rng = sc.rng
    fn = "selfie-verify"
    sc.resource("lambda", fn, runtime="python3.11", timeout=30, memory_size=1024,
                environment_keys=["LIVENESS_API_URL", "LIVENESS_TIMEOUT_S", "RESULTS_TABLE"])
    sc.resource("lambda", "avatar-crop", runtime="python3.11", timeout=20, memory_size=2048)
    sc.resource("rds", "trust-pg", engine="postgres", engine_version="16.2", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=200)
    onset = -2470
    ev = lambda t: evening(sc, t)  # noqa: E731
    inv = lambda t: 78 * ev(t)  # noqa: E731
    bad = lambda t: after(t, onset, 120)  # noqa: E731
    m = lambda_set(sc, fn, inv, lambda t: 0.25 + 0.68 * inv(t) * bad(t),
                   lambda t: 1380 + 12600 * bad(t))
    lambda_set(sc, "avatar-crop", lambda t: 160 * ev(t), lambda t: 0.05, lambda t: 820.0)
    rds_set(sc, "trust-pg", lambda t: 14 + 55 * (after(t, -2760, 120) - after(t, -2400, 180)),
            lambda t: 42.0, lambda t: 121.0 - 0.0002 * (t + HISTORY))
    sc.alarm("selfie-verify-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Selfie verification errors")
    sc.alarm("selfie-verify-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 300, 2,
             8000, "GreaterThanThreshold")
    sc.alarm("trust-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "trust-pg"}, "Average",
             300, 1, 60, "GreaterThanThreshold")
    ll = LambdaLogs(sc, fn, "python3.11", 1024, 30, prewarm=LOG_START, mem_used=(210, 15))
    url = "https://api.clearframe.ai/v2/liveness"
    rt = ("ReadTimeout: HTTPSConnectionPool(host='api.clearframe.ai', port=443): Read timed out. "
          "(read timeout=8)")

    def body(ll, t, rid, is_err, cold):
        def L(dt, lv, msg):
            return (dt, ll.fmt(t + dt, rid, lv, msg))
        uid = f"u_{sc.hexid(8)}"
        lines = [L(0.004, "INFO", f"verification request user={uid} attempt_id=va_{sc.hexid(10)}")]
        if rng.random() < 0.04:
            lines.append(L(0.02, "ERROR", "selfie rejected before vendor call: image 320x240 below 480x480 minimum"))
            return {"dur": rng.uniform(30, 60), "lines": lines}
        if is_err and t >= onset:
            if rng.random() < 0.8:
                lines += [L(8.05, "WARNING", f"liveness call failed (attempt 1/2): {rt}"),
                          L(16.4, "WARNING", f"liveness call failed (attempt 2/2): {rt}")]
                tail = ("[ERROR] ReadTimeout: HTTPSConnectionPool(host='api.clearframe.ai', port=443): Read "
                        "timed out. (read timeout=8)\nTraceback (most recent call last):\n  File \"/var/task/"
                        "verify/handler.py\", line 63, in handler\n    result = liveness.check(selfie, profile)\n"
                        "  File \"/var/task/verify/liveness.py\", line 41, in check\n    resp = self.session.post"
                        "(self.url, json=payload, timeout=self.timeout)")
                dur = rng.uniform(16420, 16600)
            else:
                lines += [L(1.1, "WARNING", f"liveness call failed (attempt 1/2): 503 Server Error: Service "
                            f"Unavailable for url: {url}"),
                          L(2.6, "WARNING", f"liveness call failed (attempt 2/2): 503 Server Error: Service "
                            f"Unavailable for url: {url}")]
                tail = (f"[ERROR] HTTPError: 503 Server Error: Service Unavailable for url: {url}\nTraceback "
                        "(most recent call last):\n  File \"/var/task/verify/handler.py\", line 63, in handler\n"
                        "    result = liveness.check(selfie, profile)\n  File \"/var/task/verify/liveness.py\", "
                        "line 44, in check\n    resp.raise_for_status()")
                dur = rng.uniform(2650, 2900)
            lines.append((dur / 1000, tail))
            return {"dur": dur, "lines": lines}
        if is_err:
            dur = rng.uniform(400, 600)
            lines.append((dur / 1000, "[ERROR] ClientError: An error occurred (ConditionalCheckFailedException) "
                          "when calling the PutItem operation: The conditional request failed\nTraceback (most "
                          "recent call last):\n  File \"/var/task/verify/handler.py\", line 77, in handler"))
            return {"dur": dur, "lines": lines}
        dur = max(500.0, rng.gauss(1380, 260))
        score = rng.uniform(0.2, 0.99)
        if score < 0.5:
            lines.append(L(dur / 1000 - 0.05, "WARNING", f"liveness score below threshold ({score:.2f}), "
                           "verification rejected"))
        lines.append(L(dur / 1000 - 0.01, "INFO", f"vendor={url} status=200 score={score:.2f} "
                       f"latency_ms={int(dur - 90)}"))
        return {"dur": dur, "lines": lines}

    lam_run(ll, m["inv"], m["err"], body, ok_frac=0.05, err_frac=0.1)
    rg = "/aws/rds/instance/trust-pg/postgresql"
    every(sc, rg, "trust-pg.0", LOG_START, 300, lambda t: pg(
        sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(900, 2600)} buffers ({rng.uniform(0.4, 1.6):.1f}%); "
        "0 WAL file(s) added, 0 removed, 1 recycled", pid=611))
    sc.log(rg, "trust-pg.0", -2745, pg(sc, -2745, "LOG", "automatic vacuum of table \"trust.public.reports\": "
                                       "index scans: 1 pages: 0 removed, 412230 remain", pid=20311))
    sc.change(-2530, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "avatar-crop", "wei.ong")
    sc.change(-13900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "bitbucket-pipelines")
    expect(sc, "selfie-verify-errors", "dependency_failure", [fn],
           [("AWS/Lambda", "Errors", {"FunctionName": fn}), ("AWS/Lambda", "Duration", {"FunctionName": fn})])
    sc.meta.update(decoys=[
        "avatar-crop configuration update 60 s before onset",
        "trust-pg autovacuum CPU bump just before onset (its alarm flaps)",
        "liveness rejections, undersized-image errors and conditional-check failures all afternoon"],
        judgement=("The failing dependency is a third-party HTTPS API, not a resource in the account, so "
                   "the origin is the calling function. Durations rise to ~16 s but stay well under the "
                   "30 s timeout and every failure names the vendor: dependency_failure, not function_timeout."),
        story=("From -41 min about two thirds of selfie-verify invocations fail: the liveness vendor "
               "api.clearframe.ai times out after 8 s twice (`Read timed out. (read timeout=8)`) or answers "
               "`503 Service Unavailable`, Duration jumps from 1.4 s to ~14 s and Errors alarm. Nothing in "
               "the account changed on the function; the avatar-crop configuration update a minute earlier "
               "and trust-pg's autovacuum CPU bump are unrelated, and the rejection/undersized-image lines "
               "were steady all afternoon."))
    return sc


def build_06():
    sc = new(6, "likes-latency-peak", "Likes and match screens hanging at the Sunday peak; core-edge "
             "latency alarm.", "us-west-1", shift_min=-3)
    rng = sc.rng
    cluster, svc, lb, db, job = "core-usw1", "likes-api", "app/core-edge/0d6b3e2a91c4f785", "pg-main-2", "streak-nudge"
    sid = f"{cluster}/{svc}"
    sc.resource("alb", lb, name="core-edge", scheme="internet-facing")
    sc.resource("ecs", sid, launch_type="FARGATE", desired_count=8, task_definition="likes-api:214",
                log_group="/ecs/likes-api", hikari_maximum_pool_size=30)
    sc.resource("ecs", f"{cluster}/photo-svc", launch_type="FARGATE", desired_count=4)
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=400, allocated_storage_gb=1000)
    sc.resource("lambda", job, runtime="python3.12", timeout=300, memory_size=256,
                schedule="cron(30 2 ? * MON *)")
    start, full = -2460, -2200
    ev = lambda t: evening(sc, t)  # noqa: E731
    sat = lambda t: after(t, full - 120, 120)  # noqa: E731
    nudge = lambda t: None if t < start else 240.0  # noqa: E731
    lambda_set(sc, job, nudge, lambda t: None if t < start else 170 * sat(t), lambda t: None if t < start
               else 41000 - 23000 * sat(t), conc=lambda t: None if t < start else 160 + 20 * sat(t))
    conns = lambda t: min(397.0, 150 * ev(t) + (0 if t < start else 240 * after(t, start, 260)))  # noqa: E731
    rds_set(sc, db, lambda t: 31 * ev(t) + 12 * after(t, start, 200), conns,
            lambda t: 604.0 - 0.0004 * (t + HISTORY), freemem_gb=lambda t: 7.4 - 1.1 * after(t, start, 300),
            conn_cap=400)
    req = lambda t: 2100 * ev(t)  # noqa: E731
    alb_set(sc, lb, req, lambda t: 0.085 * ev(t) + 5.8 * sat(t), lambda t: 0.6 + 0.11 * req(t) * sat(t),
            e5xx=lambda t: 0.1 + 0.02 * req(t) * sat(t), healthy=8)
    ecs_set(sc, cluster, svc, lambda t: 37 * ev(t) - 10 * sat(t), lambda t: 52 + 4 * sat(t))
    ecs_set(sc, cluster, "photo-svc", lambda t: 22 * ev(t), lambda t: 61.0)
    sc.alarm("core-edge-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 2.0, "GreaterThanThreshold", "core-edge average target response time")
    sc.alarm("pg-main-2-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db},
             "Maximum", 300, 1, 360, "GreaterThanThreshold")
    tasks = task_ids(sc, 8)
    streams = [f"likes/likes-api/{x}" for x in tasks]
    g = "/ecs/likes-api"
    app = "likes-api"
    emit(sc, g, streams, LOG_START, 0, lambda t: 3.0 * ev(t) * (1 - 0.6 * sat(t)), lambda t: spring(
        sc, t, "INFO", f"http-nio-8080-exec-{rng.randint(1, 200)}", "c.p.likes.web.LikeController",
        f"POST /v2/likes target=u_{sc.hexid(8)} status=201 took={rng.randint(9, 70)}ms", app))
    emit(sc, g, streams, LOG_START, 0, 1.5, lambda t: spring(
        sc, t, "WARN", f"http-nio-8080-exec-{rng.randint(1, 200)}", "c.p.likes.web.GlobalExceptionHandler",
        "Resolved [org.springframework.http.converter.HttpMessageNotReadableException: JSON parse error: "
        "Unrecognized field \"promptV2\" (class com.pairly.likes.api.LikeRequest)]", app))
    emit(sc, g, streams, full - 60, 0, lambda t: 3.5 * sat(t), lambda t: spring(
        sc, t, "ERROR", f"http-nio-8080-exec-{rng.randint(1, 200)}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
        "Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed: "
        "org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager "
        "for transaction] with root cause\njava.sql.SQLTransientConnectionException: HikariPool-1 - "
        f"Connection is not available, request timed out after 30000ms (total={rng.randint(6, 12)}, "
        f"active={rng.randint(6, 12)}, idle=0, waiting={rng.randint(20, 80)})", app))
    emit(sc, g, streams, full - 120, 0, lambda t: 1.2 * sat(t), lambda t: spring(
        sc, t, "WARN", "HikariPool-1 connection adder", "com.zaxxer.hikari.pool.PoolBase",
        "HikariPool-1 - Pool is empty, failed to create/setup connection (org.postgresql.util.PSQLException: "
        "FATAL: remaining connection slots are reserved for non-replication superuser connections)", app))
    rg, rs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, rg, rs, LOG_START, 300, lambda t: pg(
        sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(2000, 9000)} buffers ({rng.uniform(1, 4):.1f}%); "
        "0 WAL file(s) added, 0 removed, 3 recycled", pid=402))
    emit(sc, rg, rs, LOG_START, 0, 1.0, lambda t: pg(
        sc, t, "ERROR", "duplicate key value violates unique constraint \"likes_liker_id_likee_id_key\"",
        client=f"10.42.{rng.randint(1, 30)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
        user="likes_app", db="social"))
    emit(sc, rg, rs, full - 90, 0, lambda t: 6 * sat(t), lambda t: pg(
        sc, t, "FATAL", rng.choice(["remaining connection slots are reserved for non-replication superuser "
                                    "connections", "remaining connection slots are reserved for non-replication "
                                    "superuser connections", "sorry, too many clients already"]),
        client=f"10.42.{rng.randint(1, 30)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
        user=rng.choice(["likes_app", "likes_app", "nudge_job"]), db="social"))
    ll = LambdaLogs(sc, job, "python3.12", 256, 300, prewarm=-10 ** 6, mem_used=(88, 6))

    def body(ll, t, rid, is_err, cold):
        shard = rng.randint(0, 4095)
        lines = [(0.01, ll.fmt(t + 0.01, rid, "INFO", f"streak shard {shard}: loading users with streak >= 3"))]
        if is_err:
            lines.append((2.0, "[ERROR] OperationalError: connection to server at \"pg-main-2.cq8xk1wz3n7d.us-"
                          "west-1.rds.amazonaws.com\" (10.42.8.17), port 5432 failed: FATAL:  remaining "
                          "connection slots are reserved for non-replication superuser connections\n\nTraceback "
                          "(most recent call last):\n  File \"/var/task/nudge.py\", line 38, in handler\n    conn = "
                          "psycopg2.connect(DSN)"))
            return {"dur": rng.uniform(2000, 2300), "lines": lines}
        dur = rng.gauss(41000, 6000)
        lines.append((dur / 1000, ll.fmt(t + dur / 1000, rid, "INFO", f"shard {shard}: queued "
                                         f"{rng.randint(200, 900)} streak reminders")))
        return {"dur": dur, "lines": lines}

    inv = [0 if t < start else 6 for t in GRID]
    errs = [0 if t < start else round(0.7 * 6 * sat(t)) for t in GRID]
    lam_run(ll, inv, errs, body, ok_frac=1.0, err_frac=1.0)
    sc.change(-2290, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/photo-svc",
              "spinnaker")
    sc.change(-9600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", sid, "spinnaker")
    expect(sc, "core-edge-latency", "db_connection_exhaustion", [db],
           [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}),
            ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
    sc.meta.update(front="front (ALB → ECS → RDS)", decoys=[
        "photo-svc UpdateService 90 s before the slots ran out",
        "likes-api deploy 2.7 h earlier; duplicate-key errors and JSON-parse warnings all afternoon",
        "streak-nudge (the connection hog) has no change of its own"],
        judgement=("streak-nudge's weekly run is what filled the slots, but the category table puts "
                   "`db_connection_exhaustion` on the database whose connections sit at the limit; only "
                   "pg-main-2 is accepted."),
        story=("At -41 min the weekly streak-nudge job (≈160 concurrent Lambdas, one psycopg2 connection "
               "each) started on top of the Sunday peak; pg-main-2's DatabaseConnections climbs to 397 of "
               "400 and stays there, Postgres logs `remaining connection slots are reserved` / `sorry, too "
               "many clients already`, likes-api's Hikari pools cannot grow (`Connection is not available, "
               "request timed out after 30000ms`) and core-edge latency averages ~6 s. The photo-svc "
               "deployment just before and the long-standing duplicate-key errors are distractions."))
    return sc


BUILDERS = [build_05, build_06]
