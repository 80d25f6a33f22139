"""h68-14: ladder API latency at the ALB; the Postgres instance behind the Java service is CPU-pinned."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import alb_family, ecs_deploy, ecs_family, emit, event_load, ramp, rds_family
from .runtimes import pg, spring

EVENT, ONSET, DECOY = -9000, -2400, -2460
AROUND = ("SELECT s.player_id, s.score, s.rank FROM (SELECT player_id, score, rank() OVER (ORDER BY score DESC, "
          "updated_at) AS rank FROM board_scores WHERE board_id = $1) s WHERE s.rank BETWEEN $2 AND $3")


def build() -> Scenario:
    sc = Scenario(14, "ladder-api-latency", "Leaderboards and 'around me' ranks timing out during the Season 9 "
                  "finale; ladder ALB latency alarm.", "ap-south-1", 6814, "2026-12-04T15:30:00")
    rng = sc.rng
    lb, db, arch = "app/ladder-api/e3f8a1c56d9b2047", "rank-core", "rank-archive"
    sc.resource("alb", lb, name="ladder-api", targets="ladder-prod/rank-query")
    sc.resource("ecs", "ladder-prod/rank-query", launch_type="FARGATE", desired_count=8, cpu=2048, memory=4096,
                runtime="java21 (Spring Boot 3.3, HikariCP max 30)")
    sc.resource("rds", db, engine="postgres", engine_version="16.4", instance_class="db.r6g.xlarge", vcpu=4,
                max_connections=800, allocated_storage_gb=600)
    sc.resource("rds", arch, engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
                max_connections=400, allocated_storage_gb=1500)
    load = lambda t: diurnal(sc, t, 15, 0.2) * event_load(t, EVENT, 2.1, 1.3, 2400)
    hot = lambda t: ramp(t, ONSET, ONSET + 240)
    req = lambda t: 3100 * load(t) * (1 + 0.25 * hot(t))
    alb_family(sc, lb, req, lambda t: 0.085 + 0.03 * (load(t) - 1) + 3.3 * hot(t),
               t5xx=lambda t: 0.3 + 0.045 * req(t) * hot(t), e5xx=lambda t: 0.1 + 9 * hot(t),
               t4xx=lambda t: 40 * load(t), hosts=lambda t: 8)
    ecs_family(sc, "ladder-prod", "rank-query", lambda t: 24 * load(t) - 5 * hot(t), lambda t: 52 + 4 * hot(t),
               tasks=lambda t: 8)
    rds_family(sc, db, lambda t: 31 * load(t) + (99 - 31 * load(t)) * hot(t), lambda t: 118 + 18 * load(t) + 104 * hot(t),
               lambda t: 402 - 0.3 * (t + 21600) / 3600, rlat=lambda t: 0.0009 + 0.0035 * hot(t),
               mem_gb=lambda t: 14.8 - 0.4 * hot(t), riops=lambda t: 900 * load(t) + 2600 * hot(t), max_conns=800)
    restart = lambda t: DECOY + 60 < t < DECOY + 480
    rds_family(sc, arch, lambda t: None if restart(t) else 9.0, lambda t: 0 if restart(t) else 14,
               lambda t: 845.0, mem_gb=lambda t: 7.1)

    # ---------------------------------------------------------------- rank-query (Spring Boot)
    tasks = [sc.hexid(32) for _ in range(8)]
    task = lambda t: f"ecs/rank-query/{rng.choice(tasks)}"
    g, app = "/ecs/rank-query", "rank-query"
    th = lambda: f"http-nio-8080-exec-{rng.randint(1, 200)}"
    emit(sc, g, task, lambda t: 3.0 * load(t), lambda t: spring(
        sc, t, "INFO", th(), "c.a.ladder.web.BoardController",
        f"GET /v1/boards/season9/{rng.choice(['top', 'top', 'friends', 'around-me'])} 200 {rng.randint(8, 90)}ms", app))
    emit(sc, g, task, lambda t: 1.2, lambda t: spring(
        sc, t, "WARN", th(), "c.a.ladder.auth.TokenFilter",
        f"Rejected expired token from client 1.40.{rng.randint(0, 6)} (player p_{sc.hexid(10)})", app))
    emit(sc, g, task, lambda t: 4.0 * hot(t), lambda t: [
        (0, spring(sc, t, "WARN", th(), "o.h.engine.jdbc.spi.SqlExceptionHelper",
                   "SQL Error: 0, SQLState: 57014", app)),
        (0.001, spring(sc, t + 0.001, "ERROR", th(), "o.h.engine.jdbc.spi.SqlExceptionHelper",
                       "ERROR: canceling statement due to statement timeout", app)),
        (0.003, spring(sc, t + 0.003, "ERROR", th(), "c.a.ladder.web.ApiExceptionHandler",
                       "GET /v1/boards/season9/around-me failed: org.springframework.dao.QueryTimeoutException: "
                       "JDBC exception executing SQL [select s.player_id,s.score,s.rank from (...)]; SQL [n/a]", app))],
        t0=ONSET + 60)
    emit(sc, g, task, lambda t: 0.6 * ramp(t, ONSET + 400, ONSET + 700), lambda t: spring(
        sc, t, "WARN", th(), "com.zaxxer.hikari.pool.HikariPool",
        f"HikariPool-1 - Connection is not available, request timed out after 30000ms (total=30, active=30, "
        f"idle=0, waiting={rng.randint(12, 80)})", app), t0=ONSET + 400)

    # ---------------------------------------------------------------- Postgres log
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    for t in range(-21580, 0, 300):
        sc.log(pgg, pgs, t, pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(1200, 6000)} buffers "
                                            f"({rng.uniform(0.6, 3.9):.1f}%); 0 WAL file(s) added, 0 removed, "
                                            f"{rng.randint(1, 5)} recycled", pid=301))
    cl = lambda: f"10.80.{rng.randint(1, 9)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})"
    emit(sc, pgg, pgs, lambda t: 0.15 * load(t) + 6 * hot(t), lambda t: pg(
        sc, t, "LOG", f"duration: {rng.uniform(520, 900) if t < ONSET else rng.uniform(4200, 14900):.3f} ms  "
                      f"execute S_7: {AROUND}", client=cl(), user="ladder", db="ranks"))
    emit(sc, pgg, pgs, lambda t: 3.0 * hot(t), lambda t: [
        (0, pg(sc, t, "ERROR", "canceling statement due to statement timeout", client=cl(), user="ladder", db="ranks",
               pid=(p := rng.randint(2000, 30000)))),
        (0.0005, pg(sc, t, "STATEMENT", AROUND, client=cl(), user="ladder", db="ranks", pid=p))], t0=ONSET + 60)
    emit(sc, pgg, pgs, lambda t: 0.3, lambda t: pg(
        sc, t, "LOG", "could not receive data from client: Connection reset by peer", client=cl(), user="ladder", db="ranks"))

    sc.alarm("ladder-api-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             60, 5, 2.0, "GreaterThanThreshold", "Ladder API latency > 2 s")
    sc.alarm(f"{arch}-connections-zero", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": arch},
             "Maximum", 60, 3, 4, "LessThanThreshold")
    ecs_deploy(sc, -14800, "ladder-prod", "rank-query", 77, "jenkins-ladder")
    sc.change(DECOY, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", arch, "dba-pnair")
    sc.expect = {"alarm": "ladder-api-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = {
        "front": "front (ALB -> rank-query -> CPU-bound RDS instance)",
        "services": ["alb", "ecs", "rds"], "runtime": "Java 21 Spring Boot (plain), Postgres log",
        "decoys": "ModifyDBInstance on a different DB 1 min before onset (its connection alarm); client-side "
                  "Hikari 'Connection is not available' warnings; connections up but far from max; steady "
                  "expired-token warnings",
        "story": (
            "The Season 9 finale went live at -40 min and players flooded the 'around me' view; requests rose "
            "only ~1.25x (the event rush at -150 min was 2.1x and absorbed), but rank-core's CPU goes from "
            "~50 % to 99 % within four minutes and stays pinned, ReadIOPS triples and read latency rises. "
            "The Postgres log shows the window-function rank query taking 4-15 s instead of ~0.6 s and "
            "`canceling statement due to statement timeout`; rank-query logs SQLState 57014 / "
            "QueryTimeoutException and, later, Hikari `Connection is not available` as its 30-connection pools "
            "fill with slow queries. DatabaseConnections rises to ~240 of 800, so the database is not out of "
            "connections. A DBA modified rank-archive a minute before the onset (it went through a "
            "maintenance restart and its connections alarm fired), but rank-query does not use it."),
        "judgement": "Hikari pool-timeout warnings could suggest db_connection_exhaustion, but they are the "
                     "client pools filling with slow queries; the server's connections stay at ~30 % of "
                     "max_connections while its CPU is pinned, so cpu_saturation on rank-core.",
    }
    return sc
