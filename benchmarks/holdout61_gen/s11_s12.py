"""h61-11 (ticket on-sale, primary database crash-looping) and h61-12 (bracket rebuild outgrows its timeout)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import emit, every, lambda_set, part, put, sampled
from .runtimes import LambdaLogs, pg, rails


# --------------------------------------------------------------------------- 11
def s11() -> Scenario:
    sc = Scenario(11, "onsale-checkout", "Ticket checkout failing during the 10:00 on-sale; ALB "
                  "5XX alarm.", "eu-west-2", 6111, "2026-05-29T09:40:00+00:00")
    lb, lbn = "app/tix-web/0d7c5b2e9a4f1386", "tix-web"
    cl, svc, dec, db = "tix-prod", "checkout", "waiting-room", "tix-primary"
    sc.resource("alb", lb, name=lbn, scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=2048, memory=4096,
                desired_count=12, runtime="ruby 3.3 / Rails 7.1 (puma)", log_group="/ecs/tix-checkout")
    sc.resource("ecs", f"{cl}/{dec}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=6)
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.2xlarge",
                max_connections=1700, allocated_storage_gb=1000, multi_az=False)
    ONSALE, CRASH, PRESALE = -2400, -1500, -14400
    crashes = []
    t = CRASH
    while t < -30:
        crashes.append(t)
        t += sc.rng.uniform(190, 290)

    def load(t):
        return diurnal(sc, t, 12.0, 0.3) * (1 + bump(t, PRESALE, PRESALE + 2400, 2.0, 300)
                                             + 4.0 * ramp(t, ONSALE, ONSALE + 240) * (
                                                 1 - 0.3 * ramp(t, ONSALE + 600, 0)))

    def since(t):
        c = [x for x in crashes if x <= t + 30]
        return t - c[-1] if c else None

    def outage(t):
        s = since(t)
        if s is None:
            return 0.0
        return 1.0 if s < 55 else 0.12

    lbd = {"LoadBalancer": lb}
    rc = put(sc, "AWS/ApplicationELB", "RequestCount", lbd, "Count", lambda t: 6000 * load(t),
             integer=True)
    part(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lbd, rc,
         lambda t: 0.0009 + 0.55 * outage(t) * 0.6)
    part(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", lbd, rc, lambda t: 0.03)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", lbd, "Seconds",
        lambda t: 0.16 + 0.03 * load(t) + 0.5 * outage(t), noise=0.1, digits=4)
    ed = {"ClusterName": cl, "ServiceName": svc}
    put(sc, "AWS/ECS", "CPUUtilization", ed, "Percent", lambda t: 9 + 8 * load(t), noise=0.06)
    put(sc, "AWS/ECS", "MemoryUtilization", ed, "Percent", lambda t: 47.0, noise=0.02)
    wd = {"ClusterName": cl, "ServiceName": dec}
    put(sc, "AWS/ECS", "CPUUtilization", wd, "Percent", lambda t: 7 + 9 * load(t), noise=0.06)
    rd = {"DBInstanceIdentifier": db}

    def conns(t):
        s = since(t)
        base = 140 + 45 * load(t)
        if s is None:
            return base
        return 0.0 if s < 40 else base * ramp(s, 40, 150)
    put(sc, "AWS/RDS", "DatabaseConnections", rd, "Count", conns, integer=True)
    put(sc, "AWS/RDS", "CPUUtilization", rd, "Percent",
        lambda t: (9 + 7 * load(t)) * (0.4 if outage(t) == 1.0 else 1.0), noise=0.07)
    put(sc, "AWS/RDS", "FreeableMemory", rd, "Bytes", lambda t: 3.9e10, noise=0.01, digits=0)
    put(sc, "AWS/RDS", "FreeStorageSpace", rd, "Bytes", lambda t: 6.2e11, noise=0.0005, digits=0)
    put(sc, "AWS/RDS", "ReadLatency", rd, "Seconds", lambda t: 0.0007 + 0.0001 * load(t), noise=0.1,
        digits=6)

    rng, grp = sc.rng, "/ecs/tix-checkout"
    host = f"{db}.c8xk2pq0zj1m.eu-west-2.rds.amazonaws.com"
    for k in range(4):
        stream = f"checkout/web/{sc.hexid(32)}"

        def line(t):
            rid, r = sc.uuid(), rng.random()
            if r < 0.06:
                return [(0, rails(sc, t, "INFO", 'Started GET "/wp-login.php" for 185.220.101.'
                                  f'{rng.randint(2, 250)}', rid)),
                        (0.002, rails(sc, t, "FATAL", 'ActionController::RoutingError (No route '
                                      'matches [GET] "/wp-login.php")', rid))]
            path = rng.choice(["/checkout/hold", "/checkout/pay", "/events/e-2291/seats",
                               "/orders/confirm"])
            out = [(0, rails(sc, t, "INFO", f'Started POST "{path}" for 10.81.{rng.randint(1, 9)}.'
                             f'{rng.randint(2, 250)}', rid))]
            if rng.random() < outage(t) * 0.6:
                msg = rng.choice([
                    f'ActiveRecord::ConnectionNotEstablished (connection to server at "{host}" '
                    f'(10.81.40.17), port 5432 failed: FATAL:  the database system is in recovery mode)',
                    "ActiveRecord::StatementInvalid (PG::UnableToSend: server closed the connection "
                    "unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore "
                    "or while processing the request.)",
                    f'ActiveRecord::ConnectionNotEstablished (connection to server at "{host}" '
                    f'(10.81.40.17), port 5432 failed: Connection refused)'])
                out += [(0.03, rails(sc, t, "ERROR", msg, rid)),
                        (0.031, rails(sc, t, "INFO", "Completed 500 Internal Server Error in 31ms",
                                      rid))]
            else:
                out.append((0.08, rails(sc, t, "INFO", f"Completed 200 OK in {rng.randint(40, 140)}ms "
                                        f"(Views: 2.1ms | ActiveRecord: {rng.uniform(5, 40):.1f}ms | "
                                        "Allocations: 8811)", rid)))
            return out
        emit(sc, grp, stream, lambda t: 1.5 + 1.0 * load(t), line)
    lg, st = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, lg, st, 300, lambda t: pg(sc, t, "LOG", "checkpoint starting: time", pid=588))
    emit(sc, lg, st, lambda t: 0.4, lambda t: pg(
        sc, t, "LOG", f"duration: {rng.randint(1000, 2400)}.{rng.randint(100, 999)} ms  statement: "
        "SELECT count(*) FROM seat_holds WHERE expires_at < now()",
        client=f"10.81.{rng.randint(1, 9)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
        user="tix_app", db="tix"))
    for c in crashes:
        pid = rng.randint(20000, 60000)
        for dt, lvl, msg in (
                (0, "LOG", f"server process (PID {pid}) was terminated by signal 11: Segmentation fault"),
                (0.001, "DETAIL", "Failed process was running: SELECT s.* FROM seat_map_v2($1, $2) s "
                 "WHERE s.section = ANY($3)"),
                (0.002, "LOG", "terminating any other active server processes"),
                (0.9, "LOG", "all server processes terminated; reinitializing"),
                (1.4, "LOG", "database system was interrupted; last known up at "
                 f"{sc.at(c - 60).strftime('%Y-%m-%d %H:%M:%S')} UTC"),
                (1.6, "LOG", "database system was not properly shut down; automatic recovery in "
                 "progress"),
                (18.0, "FATAL", "the database system is in recovery mode"),
                (18.2, "FATAL", "the database system is in recovery mode"),
                (41.0, "LOG", "redo done at 1A3/5F2C1E08"),
                (44.0, "LOG", "database system is ready to accept connections")):
            sc.log(lg, st, c + dt, pg(sc, c + dt, lvl, msg, pid=pid if lvl == "FATAL" else 412))
    sc.change(-1620, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "tix-waiting-room:203", "circleci")
    sc.change(-1560, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{dec}",
              "circleci")
    sc.change(-2520, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "ops-scale-up")
    sc.alarm("tix-web-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lbd, "Sum", 60, 3, 100,
             "GreaterThanThreshold", "Ticketing web 5XX")
    sc.alarm("tix-primary-cpu", "AWS/RDS", "CPUUtilization", rd, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "tix-web-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": rd}]}
    sc.meta = dict(front="front (ALB)", services="ALB, ECS (Ruby/Rails), RDS Postgres",
                   decoys="waiting-room deploy 60 s before onset; the 5x on-sale surge 15 min "
                          "before; presale peak; checkout scale-up; steady RoutingError FATALs")
    return sc


# --------------------------------------------------------------------------- 12
def s12() -> Scenario:
    sc = Scenario(12, "bracket-rebuild", "Tournament standings stopped updating during the "
                  "weekend cup; standings function Errors alarm.", "ap-southeast-1", 6112,
                  "2026-08-22T13:15:00+00:00")
    fn, reg, db, api = "standings-rebuild", "registration-api", "tourney-pg", "tourney-api"
    sc.resource("lambda", fn, runtime="java21", timeout=60, memory_size=1536,
                trigger="EventBridge rate(1 minute) + match-finished events")
    sc.resource("lambda", reg, runtime="java21", timeout=10, memory_size=1024)
    sc.resource("apigateway", api, stage="prod", api_id="b5n3h8k2lc")
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=200)
    PUSH, EXPORT = -5400, -2700
    TO = -1800

    def entries(t):
        return 12000 + 39000 * ramp(t, PUSH, -1200)

    def dur(t):
        return min(60000.0, 2400 * (entries(t) / 12000) ** 2.3)

    def err(t):
        return 0.0 if dur(t) < 59000 else 0.97

    out = lambda_set(sc, fn, lambda t: 4.0, err, dur, conc=lambda t: 4 * dur(t) / 60000 + 0.5,
                     dur_noise=0.03)
    ad = {"ApiName": api}
    cnt = put(sc, "AWS/ApiGateway", "Count", ad, "Count",
              lambda t: 900 * diurnal(sc, t, 13.0, 0.3) * (1 + 3.5 * bump(t, PUSH, 3600, 1, 300)),
              integer=True)
    part(sc, "AWS/ApiGateway", "5XXError", ad, cnt, lambda t: 0.0005)
    part(sc, "AWS/ApiGateway", "4XXError", ad, cnt, lambda t: 0.04)
    lambda_set(sc, reg, lambda t: 900 * diurnal(sc, t, 13.0, 0.3) * (1 + 3.5 * bump(t, PUSH, 3600, 1, 300)),
               lambda t: 0.0005, lambda t: 85.0)
    rd = {"DBInstanceIdentifier": db}
    put(sc, "AWS/RDS", "CPUUtilization", rd, "Percent",
        lambda t: 18 + 10 * ramp(t, PUSH, -1200) + bump(t, EXPORT, EXPORT + 600, 48, 90), noise=0.06)
    put(sc, "AWS/RDS", "ReadIOPS", rd, "Count/Second",
        lambda t: 300 + 200 * ramp(t, PUSH, -1200) + bump(t, EXPORT, EXPORT + 600, 5200, 90), noise=0.08)
    put(sc, "AWS/RDS", "DatabaseConnections", rd, "Count", lambda t: 60 + 40 * ramp(t, PUSH, -1200),
        integer=True)
    put(sc, "AWS/RDS", "ReadLatency", rd, "Seconds",
        lambda t: 0.0009 + bump(t, EXPORT, EXPORT + 600, 0.006, 90), noise=0.1, digits=6)

    ll = LambdaLogs(sc, fn, "java21", 1536, 60, mem_used=(690, 40), life=(3000, 9000))
    rng = sc.rng

    def body(ll, t, rid, is_err, cold):
        n = int(entries(t) * rng.uniform(0.995, 1.0))
        load_ms = int(rng.gauss(260 + n / 200, 25))
        d = dur(t) * rng.uniform(0.97, 1.03)
        lines = [(0.01, ll.fmt(t, rid, "INFO", "c.t.s.RebuildHandler - rebuild requested "
                               f"cup=wkc-2026-34 trigger={rng.choice(['schedule', 'match-finished'])}")),
                 (load_ms / 1000, ll.fmt(t, rid, "INFO", f"c.t.s.EntryRepository - loaded {n} entries "
                                         f"from {db} in {load_ms} ms")),
                 (load_ms / 1000 + 0.01, ll.fmt(t, rid, "INFO", "c.t.s.TieBreaker - computing "
                                                f"head-to-head tiebreakers for {n} entries"))]
        if rng.random() < 0.5:
            lines.append((0.4, ll.fmt(t, rid, "WARN", "c.t.s.EntryRepository - duplicate team name "
                                      f"'{rng.choice(['Nova', 'Raptors', 'Zenith', 'Ghosts'])}' "
                                      "normalised with suffix")))
        span = min(d, 59500) / 1000
        for p in (25, 50, 75):
            if span * p / 100 < 59.5 and d > 8000:
                lines.append((span * p / 100, ll.fmt(t, rid, "INFO", f"c.t.s.TieBreaker - progress "
                                                     f"{p}% (elapsed {span * p / 100:.1f}s)")))
        if is_err:
            return {"lines": lines, "status": "timeout", "dur": 60000, "mem": rng.randint(820, 990)}
        lines.append((d / 1000 - 0.05, ll.fmt(t, rid, "INFO", f"c.t.s.RebuildHandler - standings "
                                              f"published ({n} rows) in {d / 1000:.1f}s")))
        return {"lines": lines, "dur": d}
    si, se = sampled(sc, out["inv"], out["err"], 0.5, cap=3)
    ll.run(si, se, body)
    lam = ("lambda.amazonaws.com", "AWS::Lambda::Function")
    sc.change(-1900, lam[0], "UpdateFunctionConfiguration20150331v2", lam[1], reg, "wei.l")
    sc.change(-5520, "mobiletargeting.amazonaws.com", "CreateCampaign", "AWS::Pinpoint::Campaign",
              "wkc-34-reminder", "liveops-console")
    sc.change(-18400, lam[0], "UpdateFunctionCode20150331v2", lam[1], reg, "codepipeline")
    sc.alarm("standings-rebuild-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 2,
             "GreaterThanThreshold", "Standings rebuild failing")
    sc.alarm("tourney-pg-read-latency", "AWS/RDS", "ReadLatency", rd, "Average", 300, 1, 0.004,
             "GreaterThanThreshold")
    sc.alarm("tourney-api-4xx", "AWS/ApiGateway", "4XXError", ad, "Sum", 300, 1, 1500,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "standings-rebuild-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="origin", services="Lambda (Java), API Gateway, RDS Postgres",
                   decoys="registration-api config change right at onset; registration surge "
                          "(4.5x API traffic) after a push campaign; daily export spike on the "
                          "database with a read-latency alarm; steady duplicate-name warnings")
    return sc
