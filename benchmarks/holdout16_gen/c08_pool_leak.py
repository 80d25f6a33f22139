"""h16-08: a release with upgraded data-access libraries leaks pooled connections until the pool is empty."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, counts, daily, jitter, ramp, step
from .logfmt import alb_line, java_trace, mysql_err, periodic, poisson_times, spring

META = {
    "file": "h16-08-pool-leak-after-library-upgrade",
    "postmortem": "connection-pool leak introduced by a dependency upgrade, exhausting the application pool "
                  "about 20 minutes after the deploy",
    "side": "front (public ALB latency; origin is the ECS service)",
    "decoys": "session-svc deploy 5 min before the errors; database backup-retention change hours earlier; "
              "MySQL 'Aborted connection' notes at a steady rate",
    "story": (
        "github-actions-deploy rolls out profile-api 3.14.0 (new task definition, startup log lists the upgraded "
        "mysql-connector-j and jdbi). From the first minutes HikariCP reports 'Connection leak detection "
        "triggered ... Apparent connection leak detected' from AvatarRepository.findAvatar, and the per-task pool "
        "line shows active connections climbing steadily to the maximum of 20. About 22 minutes after the deploy "
        "the pools are empty: requests wait the full 30 s and fail with SQLTransientConnectionException "
        "'Connection is not available, request timed out after 30000ms (total=20, active=20, idle=0, waiting=..)'; "
        "the ALB's response time and 5XX jump. accounts-db is nowhere near its limit (about 110 of 1000 "
        "connections, CPU flat): the exhausted pool is inside the new release. A deployment shortly before onset "
        "with a new error signature only after it: bad_deployment of accounts/profile-api. session-svc deployed "
        "later, shares the database and logs no errors."),
}

ALB = "app/accounts-web/2b3c4d5e6f7a8b9c"
ACCOUNT = "904412358876"
TG = f"arn:aws:elasticloadbalancing:ap-northeast-1:{ACCOUNT}:targetgroup/profile-api/1c2b3a4d5e6f7a8b"


def _leak(sc: Scenario, thread: str) -> str:
    obj = f"com.mysql.cj.jdbc.ConnectionImpl@{sc.hexid(8)}"
    return (f"Connection leak detection triggered for {obj} on thread {thread}, stack trace follows\n" +
            java_trace("java.lang.Exception: Apparent connection leak detected", [
                "com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)",
                "org.jdbi.v3.core.Jdbi.open(Jdbi.java:319)",
                "org.jdbi.v3.core.Jdbi.withHandle(Jdbi.java:346)",
                "com.northwind.profile.repo.AvatarRepository.findAvatar(AvatarRepository.java:61)",
                "com.northwind.profile.api.AvatarController.get(AvatarController.java:38)"]))


def _timeout(sc: Scenario, waiting: int) -> str:
    return java_trace(
        "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection",
        ["org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)",
         "org.jdbi.v3.core.Jdbi.open(Jdbi.java:319)",
         "com.northwind.profile.repo.ProfileRepository.findById(ProfileRepository.java:44)",
         "com.northwind.profile.api.ProfileController.get(ProfileController.java:52)"],
        [(f"java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out "
          f"after 30000ms (total=20, active=20, idle=0, waiting={waiting})",
          ["com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)",
           "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)",
           "com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:128)"], 61)])


def build(seed: int) -> Scenario:
    sc = Scenario("h16-08-pool-leak-after-library-upgrade",
                  "Account pages hanging ~30 s then failing; accounts-web latency alarm.",
                  "ap-northeast-1", seed, dt.datetime(2026, 7, 8, 13, 45))
    D = -3000.0               # deploy
    O = D + 1320              # pools exhausted
    on = step(O)
    day = daily(sc, peak_hour=12, depth=0.4)
    sc.resource("alb", ALB, name="accounts-web", scheme="internet-facing", target_groups=["profile-api",
                                                                                          "session-svc"])
    sc.resource("ecs", "accounts/profile-api", desired_count=4, launch_type="FARGATE", cpu=1024, memory=2048,
                image=f"{ACCOUNT}.dkr.ecr.ap-northeast-1.amazonaws.com/profile-api:3.14.0",
                task_definition="profile-api:88", log_groups=["/ecs/profile-api"])
    sc.resource("ecs", "accounts/session-svc", desired_count=3, launch_type="FARGATE", cpu=512, memory=1024,
                image=f"{ACCOUNT}.dkr.ecr.ap-northeast-1.amazonaws.com/session-svc:2.2.7", log_groups=["/ecs/session-svc"])
    sc.resource("rds", "accounts-db", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
                max_connections=1000, allocated_storage_gb=500)

    req = counts(sc, 1250 * day * (1 - 0.12 * on))
    prof_share = 0.7
    t5 = counts(sc, 0.4) + np.round(req * prof_share * 0.62 * on * jitter(sc, 1, 0.05))
    rt = jitter(sc, 0.071, 0.06) + ramp(O - 120, O + 60) * (jitter(sc, 17.5, 0.06) - 0.07)
    aws.alb_metrics(sc, ALB, req, t5, rt, healthy=7, t4xx=counts(sc, 18 * day))
    aws.ecs_metrics(sc, "accounts", "profile-api", np.where(TIMES < O, jitter(sc, 16 + 20 * day, 0.06),
                                                            jitter(sc, 9, 0.1)),
                    jitter(sc, 52, 0.02) + ramp(O - 60, O + 300) * 9, running=4, desired=4)
    aws.ecs_metrics(sc, "accounts", "session-svc", jitter(sc, 10 + 9 * day, 0.07), jitter(sc, 40, 0.02), 3, 3)
    leak = ramp(D + 200, O)
    conns = 72 + leak * 38 + sc.rng.normal(0, 2, N)
    aws.rds_metrics(sc, "accounts-db", jitter(sc, 14 + 11 * day, 0.07) * (1 - 0.25 * on), conns, 402.5,
                    jitter(sc, 19.3, 0.003), read_iops=820 * day * (1 - 0.45 * on), write_iops=260 * day)

    # --- profile-api logs ------------------------------------------------------------------------------------------
    old_tasks = [sc.hexid(32) for _ in range(4)]
    new_tasks = [sc.hexid(32) for _ in range(4)]
    streams: dict[str, list] = {k: [] for k in old_tasks + new_tasks}
    starts = {k: D + 70 + 45 * i for i, k in enumerate(new_tasks)}
    for k, t0 in starts.items():
        seq = [("c.n.profile.ProfileApiApplication", "Starting ProfileApiApplication v3.14.0 using Java 21.0.3 "
                                                     "with PID 1 (/app/app.jar started by app in /app)"),
               ("c.n.profile.BuildInfo", "profile-api 3.14.0 (commit 9f2e1ab) spring-boot 3.3.1, "
                                         "mysql-connector-j 9.0.0, jdbi3 3.45.1, HikariCP 5.1.0"),
               ("com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
               ("com.zaxxer.hikari.pool.HikariPool", f"HikariPool-1 - Added connection "
                                                     f"com.mysql.cj.jdbc.ConnectionImpl@{sc.hexid(8)}"),
               ("com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
               ("c.n.profile.ProfileApiApplication", "Started ProfileApiApplication in 9.874 seconds (process "
                                                     "running for 10.61)")]
        for j, (lg, msg) in enumerate(seq):
            streams[k].append((t0 + j * 1.3, spring(sc, t0 + j * 1.3, "INFO", "profile-api", "main", lg, msg)))
    for i, k in enumerate(old_tasks):
        stop = starts[new_tasks[i]] + 60
        streams[k].append((stop, spring(sc, stop, "INFO", "profile-api", "ionShutdownHook",
                                        "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. "
                                                                             "Waiting for active requests to complete")))
    for k in old_tasks + new_tasks:
        new = k in new_tasks
        lo, hi = (starts[k], 0.0) if new else (-7200.0, starts[new_tasks[old_tasks.index(k)]] + 60)
        for t in periodic(max(lo + 20, -7200), 60, hi, offset=sc.rng.uniform(0, 60)):
            if new:
                frac = min(1.0, max(0.0, (t - D - 200) / (O - D - 200)))
                active = min(20, int(3 + 17 * frac + sc.rng.integers(0, 2)))
                waiting = 0 if t < O else int(sc.rng.integers(25, 60))
            else:
                active, waiting = int(sc.rng.integers(1, 5)), 0
            idle = max(0, (20 if new and active > 10 else 10) - active)
            streams[k].append((t, spring(sc, t, "INFO", "profile-api", "pool-metrics-1", "c.n.profile.db.PoolMetrics",
                                         f"db pool HikariPool-1: total={active + idle} active={active} idle={idle} "
                                         f"waiting={waiting} max=20")))
        if new:
            for t in poisson_times(sc, np.where(TIMES < O, 0.9, 0.5), starts[k] + 60):
                thr = f"http-nio-8080-exec-{int(sc.rng.integers(1, 200))}"
                streams[k].append((t, spring(sc, t, "WARN", "profile-api", "HikariPool-1 housekeeper",
                                             "com.zaxxer.hikari.pool.ProxyLeakTask", _leak(sc, thr))))
            for t in poisson_times(sc, np.where(TIMES >= O, 5.0, 0), O):
                thr = f"http-nio-8080-exec-{int(sc.rng.integers(1, 200))}"
                streams[k].append((t, spring(sc, t, "ERROR", "profile-api", thr,
                                             "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                             "Servlet.service() for servlet [dispatcherServlet] in context with path [] "
                                             "threw exception [Request processing failed: "
                                             "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to "
                                             "obtain JDBC Connection]\n" +
                                             _timeout(sc, int(sc.rng.integers(25, 60))))))
        for t in poisson_times(sc, 0.08, lo, hi):
            streams[k].append((t, spring(sc, t, "WARN", "profile-api", f"http-nio-8080-exec-{int(sc.rng.integers(1, 200))}",
                                         "c.n.profile.api.RateLimiter", f"Rate limit exceeded for client "
                                                                        f"app_{sc.hexid(6)}, returning 429")))
    for k, ev in streams.items():
        sc.log("/ecs/profile-api", f"profile-api/profile-api/{k}", ev)
    # --- session-svc, database, ALB ----------------------------------------------------------------------------
    S = O - 300
    ev = []
    for t in periodic(-7200, 60, offset=sc.rng.uniform(0, 60)):
        ver = "2.2.7" if t > S + 90 else "2.2.6"
        ev.append((t, spring(sc, t, "INFO", "session-svc", "scheduling-1", "c.n.session.SessionReaper",
                             f"[{ver}] expired {int(sc.rng.integers(20, 300))} sessions")))
    ev.append((S + 80, spring(sc, S + 80, "INFO", "session-svc", "main", "c.n.session.SessionApplication",
                              "Started SessionApplication in 6.102 seconds (process running for 6.9)")))
    sc.log_split("/ecs/session-svc", sc.task_streams("session-svc", 3), ev)
    ev = []
    for t in poisson_times(sc, 0.25, -21600):
        th = int(sc.rng.integers(10000, 99999))
        ev.append((t, mysql_err(sc, t, th, "Note", "MY-010914", f"Aborted connection {th} to db: 'accounts' user: "
                                                                f"'reporting' host: '10.60.{int(sc.rng.integers(1, 9))}."
                                                                f"{int(sc.rng.integers(5, 250))}' (Got timeout reading "
                                                                f"communication packets).")))
    sc.log("/aws/rds/instance/accounts-db/error", "accounts-db", ev)
    alb_ev = []
    for t in poisson_times(sc, 6 * day, -5400):
        prof = sc.rng.random() < prof_share
        fail = prof and t >= O and sc.rng.random() < 0.62
        path = sc.pick(["/v1/profiles/%s" % sc.hexid(8), "/v1/profiles/%s/avatar" % sc.hexid(8)]) if prof \
            else "/v1/sessions/refresh"
        st = 500 if fail else 200
        tt = sc.rng.uniform(30.0, 30.2) if fail else sc.rng.gamma(3, 0.02)
        alb_ev.append((t + tt, alb_line(sc, t + tt, ALB, f"10.70.{int(sc.rng.integers(1, 4))}."
                                                         f"{int(sc.rng.integers(9, 250))}:8080", "GET",
                                        f"https://accounts.kumo-travel.jp:443{path}", st, st, 0.001, tt, 0.0, TG,
                                        "KumoTravel/8.12 (Android 14)", int(sc.rng.integers(300, 1500)),
                                        int(sc.rng.integers(200, 6000)))))
    sc.log("/alb/accounts-web/access", "accounts-web", alb_ev)
    sc.change(-14000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "accounts-db", "dba-mnakamura")
    sc.change(D - 25, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "profile-api:88",
              "github-actions-deploy")
    sc.change(D, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "accounts/profile-api",
              "github-actions-deploy")
    sc.change(S - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "session-svc:41",
              "github-actions-deploy")
    sc.change(S, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "accounts/session-svc",
              "github-actions-deploy")
    lb = {"LoadBalancer": ALB}
    sc.alarm_on("accounts-web-latency", "AWS/ApplicationELB", "TargetResponseTime", lb, rt, "Average", 60, 3, 2.0,
                "GreaterThanThreshold", description="accounts-web average target response time above 2 s")
    sc.set_expect("accounts-web-latency", "bad_deployment", ["accounts/profile-api", "profile-api"],
                  [("AWS/ApplicationELB", "TargetResponseTime", lb),
                   ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb)])
    return sc
