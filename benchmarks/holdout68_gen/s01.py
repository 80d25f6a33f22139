"""h68-01: matchmaking 5xx behind the edge ALB; the Postgres instance runs out of slots."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import alb_family, bump, ecs_deploy, ecs_family, emit, event_load, logfmt, ramp, \
    rds_family
from .runtimes import pg

EVENT, ONSET, DEPLOY = -9000, -2400, -2520


def build() -> Scenario:
    sc = Scenario(1, "arena-queue-5xx", "Ranked queue tickets failing for players; edge ALB 5xx "
                  "alarm paged the on-call during the Frostfall weekend event.",
                  "us-east-1", 6801, "2026-11-21T19:40:00")
    rng = sc.rng
    lb, db = "app/arena-edge/3f9c1e7a2b4d6e80", "arena-core-pg"
    host = f"{db}.c8x2k1pqz0ab.us-east-1.rds.amazonaws.com"
    sc.resource("alb", lb, name="arena-edge", scheme="internet-facing", targets="arena-prod/matchmaker")
    sc.resource("ecs", "arena-prod/matchmaker", launch_type="FARGATE", desired_count=6, cpu=1024,
                memory=2048, image="matchmaker:2026.11.19-2", runtime="go1.23")
    sc.resource("ecs", "arena-prod/chat-relay", launch_type="FARGATE", desired_count=4, cpu=512,
                memory=1024, runtime="nodejs20")
    sc.resource("rds", db, engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
                max_connections=400, allocated_storage_gb=500, multi_az=True)

    load = lambda t: diurnal(sc, t, 20, 0.2) * event_load(t, EVENT, 2.3, 1.45)
    bad = lambda t: ramp(t, ONSET, ONSET + 360)
    alb_family(sc, lb, lambda t: 2300 * load(t),
               lambda t: 0.045 + 0.02 * (load(t) - 1) + 0.85 * bad(t),
               t5xx=lambda t: 0.4 + 0.075 * 2300 * load(t) * bad(t),
               hosts=lambda t: 6, t4xx=lambda t: 18 * load(t))
    ecs_family(sc, "arena-prod", "matchmaker", lambda t: 31 * load(t) * (1 - 0.25 * bad(t)),
               lambda t: 47 + 2 * load(t), tasks=lambda t: 6)
    ecs_family(sc, "arena-prod", "chat-relay",
               lambda t: 24 * load(t) + bump(t, DEPLOY + 60, DEPLOY + 420, 42, 60),
               lambda t: 38 + 6 * ramp(t, DEPLOY, DEPLOY + 300), tasks=lambda t: 4 + (DEPLOY < t < DEPLOY + 420) * 4)
    conns = lambda t: 118 + 22 * load(t) + 300 * bad(t)
    rds_family(sc, db, lambda t: 19 * load(t) + 9 * bad(t), conns, lambda t: 312 - (t + 21600) / 21600 * 0.4,
               rlat=lambda t: 0.0011 + 0.0004 * bad(t), mem_gb=lambda t: 9.6 - 0.6 * bad(t),
               max_conns=397)

    # ---------------------------------------------------------------- matchmaker (Go, logfmt)
    tasks = [sc.hexid(32) for _ in range(6)]
    mm = lambda t: f"ecs/matchmaker/{rng.choice(tasks)}"
    queues = ["ranked-3v3", "ranked-5v5", "casual-royale", "frostfall-event"]
    g = "/ecs/matchmaker"
    emit(sc, g, mm, lambda t: 4.0 * load(t) * (1 - 0.7 * bad(t)), lambda t: logfmt(
        sc, t, "info", "match formed", queue=rng.choice(queues), players=rng.choice([6, 10, 60]),
        wait_ms=int(rng.lognormvariate(8.3, 0.5)), region="use1"))
    emit(sc, g, mm, lambda t: 1.3, lambda t: logfmt(
        sc, t, "warn", "ticket expired before match", queue=rng.choice(queues),
        ticket=f"tk_{sc.hexid(12)}", age_s=rng.randint(180, 300)))
    emit(sc, g, mm, lambda t: 0.25, lambda t: logfmt(
        sc, t, "error", "party leader left during search", party=f"pt_{sc.hexid(10)}",
        err="party dissolved"))
    emit(sc, g, mm, lambda t: 6.0 * bad(t), lambda t: logfmt(
        sc, t, "error", "acquire db conn",
        err=f"failed to connect to `host={host} user=mm_app database=arena`: server error "
            f"(FATAL: sorry, too many clients already (SQLSTATE 53300))"), t0=ONSET)
    emit(sc, g, mm, lambda t: 3.0 * bad(t), lambda t: logfmt(
        sc, t, "error", "request failed", method="POST", path="/v1/tickets", status=503,
        err="store: begin tx: failed to connect to `host=" + host + "`: server error (FATAL: "
            "remaining connection slots are reserved for non-replication superuser connections "
            "(SQLSTATE 53300))", dur_ms=rng.randint(30, 900)), t0=ONSET)
    emit(sc, g, mm, lambda t: 1.0 / 5, lambda t: logfmt(
        sc, t, "info", "pgxpool stats", acquired=rng.randint(8, 22), idle=rng.randint(10, 30),
        max=40, wait_count=0))

    # ---------------------------------------------------------------- chat-relay (Node, plain)
    old = [sc.hexid(32) for _ in range(4)]
    new = [sc.hexid(32) for _ in range(4)]
    cr = lambda t: f"ecs/chat-relay/{rng.choice(old if t < DEPLOY + 240 else new)}"
    emit(sc, "/ecs/chat-relay", cr, lambda t: 2.0 * load(t), lambda t: (
        f"{sc.iso(t)} info  relay: fan-out channel=guild:{rng.randint(1000, 99999)} "
        f"recipients={rng.randint(2, 48)} lag_ms={rng.randint(2, 40)}"))
    emit(sc, "/ecs/chat-relay", cr, lambda t: 1.5, lambda t: (
        f"{sc.iso(t)} error relay: ws write failed: Error: write EPIPE (client gone) "
        f"session={sc.hexid(8)}"))
    for i, tid in enumerate(new):
        sc.log("/ecs/chat-relay", f"ecs/chat-relay/{tid}", DEPLOY + 70 + 30 * i,
               f"{sc.iso(DEPLOY + 70 + 30 * i)} info  chat-relay 3.14.2 listening on :8080 (node v20.18.1)")

    # ---------------------------------------------------------------- postgres log
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    for t in range(-21540, 0, 300):
        sc.log(pgg, pgs, t + 3, pg(sc, t + 3, "LOG", f"checkpoint complete: wrote {rng.randint(900, 4200)} "
               f"buffers ({rng.uniform(0.6, 2.8):.1f}%); 0 WAL file(s) added, 0 removed, "
               f"{rng.randint(1, 4)} recycled", pid=412))
    emit(sc, pgg, pgs, lambda t: 0.4, lambda t: pg(
        sc, t, "LOG", "could not receive data from client: Connection reset by peer",
        client=f"10.40.{rng.randint(1, 12)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
        user="mm_app", db="arena"))
    emit(sc, pgg, pgs, lambda t: 45.0 * (ramp(t, ONSET, ONSET + 60) - ramp(t, ONSET + 300, ONSET + 420))
         + 0.8 * bad(t), lambda t: pg(
        sc, t, "LOG", "connection authorized: user=analytics_ro database=arena "
        "application_name=frostfall-live-board SSL enabled (protocol=TLSv1.3)",
        client=f"10.40.{rng.randint(13, 14)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
        user="analytics_ro", db="arena"), t0=ONSET)
    emit(sc, pgg, pgs, lambda t: 0.3, lambda t: pg(
        sc, t, "LOG", "connection authorized: user=analytics_ro database=arena "
        "application_name=frostfall-live-board SSL enabled (protocol=TLSv1.3)",
        client=f"10.40.13.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
        user="analytics_ro", db="arena"), t1=ONSET)
    emit(sc, pgg, pgs, lambda t: 7.0 * bad(t), lambda t: pg(
        sc, t, "FATAL", "sorry, too many clients already",
        client=f"10.40.{rng.randint(1, 12)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
        user="mm_app", db="arena"), t0=ONSET + 120)
    emit(sc, pgg, pgs, lambda t: 2.0 * bad(t), lambda t: pg(
        sc, t, "FATAL", "remaining connection slots are reserved for non-replication superuser connections",
        client=f"10.40.{rng.randint(1, 12)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
        user="mm_app", db="arena"), t0=ONSET + 120)

    # ---------------------------------------------------------------- alarms / changes
    sc.alarm("arena-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 50, "GreaterThanThreshold",
             "Edge ALB target 5xx > 50/min")
    sc.alarm("chat-relay-cpu-high", "AWS/ECS", "CPUUtilization",
             {"ClusterName": "arena-prod", "ServiceName": "chat-relay"}, "Average", 60, 3, 55,
             "GreaterThanThreshold")
    sc.alarm("arena-core-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 2, 80, "GreaterThanThreshold")
    sc.change(-19800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot",
              f"{db}-pre-frostfall", "ops-jlaine")
    ecs_deploy(sc, -15300, "arena-prod", "matchmaker", 231, "github-actions-arena")
    sc.change(-9300, "application-autoscaling.amazonaws.com", "RegisterScalableTarget",
              "AWS::ApplicationAutoScaling::ScalableTarget", "service/arena-prod/chat-relay", "ops-jlaine")
    ecs_deploy(sc, DEPLOY, "arena-prod", "chat-relay", 88, "github-actions-arena")
    sc.expect = {"alarm": "arena-edge-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = {
        "front": "front (ALB; origin is the RDS instance behind matchmaker)",
        "services": ["alb", "ecs", "rds"], "runtime": "Go (logfmt), Node (plain), Postgres log",
        "judgement": "The slots were taken by an analytics dashboard connecting straight to the database "
                     "(not a resource in the account); the exhausted resource, and the origin of the "
                     "matchmaker failures, is the RDS instance.",
        "decoys": "chat-relay deploy 2 min before onset (+ its CPU alarm flapping); event-start rush "
                  "absorbed 1h50m earlier; long-standing 'ticket expired' warnings",
        "story": (
            "The Frostfall event opened at -150 min; ALB requests rose 2.3x and settled at "
            "~1.45x without errors, and DatabaseConnections on arena-core-pg only went from ~140 to "
            "~160. At -40 min connections climbed within six minutes to 397 of "
            "max_connections 400 and stayed pinned there; the Postgres log starts printing "
            "`FATAL: sorry, too many clients already` and `remaining connection slots are reserved`, "
            "and matchmaker's logfmt errors carry the same SQLSTATE 53300 while its ticket POSTs "
            "return 503. The burst of `connection authorized: user=analytics_ro ... application_name=frostfall-live-board` lines at the onset shows who took the slots (a dashboard outside the account). DB CPU stays near 40 %, read latency barely moves and there was no change to the "
            "DB or matchmaker near the onset. The nearest change is a chat-relay deployment two "
            "minutes earlier whose only effect is a brief CPU bump (and a chat-relay CPU alarm that "
            "already returned to OK); chat-relay's EPIPE errors run at the same rate all six hours."),
    }
    return sc
