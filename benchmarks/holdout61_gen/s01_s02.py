"""h61-01 (season launch surge behind an ALB) and h61-02 (derby night, Postgres out of slots)."""
from __future__ import annotations

from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import emit, every, lambda_set, part, put, sampled
from .runtimes import LambdaLogs, jline, logfmt, pg


# --------------------------------------------------------------------------- 01
def s01() -> Scenario:
    sc = Scenario(1, "season-launch-lobby", "Players report the lobby spinning and match joins "
                  "failing shortly after the new season went live; ALB latency alarm paged.",
                  "ap-northeast-1", 6101, "2026-04-17T11:05:00+00:00")
    lb, lbn = "app/ext-gw-prod/8f2a61c03b7d49e1", "ext-gw-prod"
    cl, svc, other = "arena-prod", "lobby", "profile"
    sc.resource("alb", lb, name=lbn, scheme="internet-facing", idle_timeout=60)
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048,
                desired_count=6, autoscaling="6-20 tasks, target CPU 60%", runtime="go1.22",
                log_group="/ecs/arena-lobby")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", cpu=512, memory=1024,
                desired_count=4, runtime="go1.22", log_group="/ecs/arena-profile")
    sc.resource("lambda", "patch-notes-render", runtime="nodejs20.x", timeout=30, memory_size=512)
    T0, BONUS = -1500, -11100
    steps = [(-10 ** 9, 6), (-1380, 10), (-1200, 14), (-1020, 18), (-840, 20)]

    def tasks(t):
        return [n for s, n in steps if t >= s][-1]

    def req(t):
        surge = 7.0 * ramp(t, T0, T0 + 300) + 0.4 * ramp(t, -700, -400)
        return 9000 * diurnal(sc, t, 12.0, 0.3) * (1 + bump(t, BONUS, BONUS + 660, 0.55, 90) + surge)

    def util(t):
        return req(t) / (tasks(t) * 3200.0)

    lbd = {"LoadBalancer": lb}
    rc = put(sc, "AWS/ApplicationELB", "RequestCount", lbd, "Count", req, integer=True, noise=0.02)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", lbd, "Seconds",
        lambda t: 0.06 + 0.05 * util(t) + 11.0 * max(0.0, util(t) - 0.86), noise=0.07, digits=4)
    part(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lbd, rc,
         lambda t: 0.0001 + 0.22 * max(0.0, util(t) - 0.95))
    part(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lbd, rc,
         lambda t: 0.0004 + 0.09 * max(0.0, util(t) - 0.95))
    part(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", lbd, rc, lambda t: 0.012)
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", lbd, "Count", lambda t: float(tasks(t)),
        noise=0.0)
    ed = {"ClusterName": cl, "ServiceName": svc}
    put(sc, "AWS/ECS", "CPUUtilization", ed, "Percent",
        lambda t: 14 + 52 * min(util(t), 1.22), noise=0.05)
    put(sc, "AWS/ECS", "MemoryUtilization", ed, "Percent", lambda t: 38 + 6 * min(util(t), 1.2),
        noise=0.02)
    put(sc, "ECS/ContainerInsights", "RunningTaskCount", ed, "Count", lambda t: float(tasks(t)),
        noise=0.0)
    od = {"ClusterName": cl, "ServiceName": other}
    put(sc, "AWS/ECS", "CPUUtilization", od, "Percent",
        lambda t: 28 + bump(t, BONUS, BONUS + 600, 55, 60) + 14 * ramp(t, T0, T0 + 400), noise=0.06)
    put(sc, "AWS/ECS", "MemoryUtilization", od, "Percent", lambda t: 51.0, noise=0.02)
    pd = {"FunctionName": "patch-notes-render"}
    put(sc, "AWS/Lambda", "Invocations", pd, "Count", lambda t: 3.0, integer=True)
    put(sc, "AWS/Lambda", "Errors", pd, "Count", lambda t: 0.0, integer=True)

    # lobby task logs (logfmt); stream per task, new streams appear on scale-out
    grp, rng = "/ecs/arena-lobby", sc.rng
    births = [-10 ** 9] * 6 + [-1380] * 4 + [-1200] * 4 + [-1020] * 4 + [-840] * 2
    for i, born in enumerate(births[:9] + births[14:16]):
        stream = f"lobby/lobby/{sc.hexid(32)}"
        start = max(born, -21600)
        if born > -21600:
            sc.log(grp, stream, born + 1.2, logfmt(sc, born + 1.2, "info", "starting lobby",
                                                   version="2.41.3", commit="9c1e2aa",
                                                   go="go1.22.5"))
            sc.log(grp, stream, born + 1.9, logfmt(sc, born + 1.9, "info", "listening",
                                                   addr=":8080"))

        def stats(t):
            u = util(t)
            per = req(t) / tasks(t) / 60.0
            return logfmt(sc, t, "info", "stats", rps=int(per), inflight=int(per * (0.1 + 2.5 * max(0, u - 0.8))),
                          goroutines=int(900 + per * 1.8), heap_mb=int(410 + 90 * min(u, 1.2)))
        every(sc, grp, stream, 60, stats, start=start)

        def served(t):
            u = util(t)
            r = rng.random()
            route = rng.choice(["/v1/lobby/join", "/v1/lobby/state", "/v1/matchmaking/ticket",
                                "/v1/party/invite"])
            if u > 0.95 and r < 0.5:
                dur = round(1.5 + 4.0 * rng.random() * min(2, u), 2)
                if dur > 4.9:
                    return logfmt(sc, t, "error", "handler deadline exceeded", route=route,
                                  dur="5.000s", status=503, inflight=int(600 + 500 * (u - 0.9)))
                return logfmt(sc, t, "warn", "slow request", route=route, dur=f"{dur}s",
                              status=200, queue_wait=f"{round(dur * 0.7, 2)}s")
            if r < 0.12:
                return logfmt(sc, t, "error", "platform ticket rejected", err="steam: ticket expired",
                              code=101, player=f"p_{rng.randint(10 ** 7, 10 ** 8)}")
            return logfmt(sc, t, "info", "request", route=route, status=200,
                          dur=f"{int(30 + 60 * u * rng.random())}ms")
        emit(sc, grp, stream, lambda t: 2.2 if t >= start else 0, served, start=start)
    pgrp = "/ecs/arena-profile"
    for i in range(2):
        stream = f"profile/profile/{sc.hexid(32)}"
        every(sc, pgrp, stream, 60, lambda t: logfmt(
            sc, t, "info", "stats", rps=int(40 * diurnal(sc, t, 12, 0.3)), inflight=3), end=-1560)
        stream = f"profile/profile/{sc.hexid(32)}"
        sc.log(pgrp, stream, -1490, logfmt(sc, -1490, "info", "starting profile", version="1.18.0",
                                           commit="e04b7f1"))
        every(sc, pgrp, stream, 60, lambda t: logfmt(
            sc, t, "info", "stats", rps=int(46 * diurnal(sc, t, 12, 0.3)), inflight=4), start=-1480)

    ecs = ("ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service")
    sc.change(-1620, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "patch-notes-render", "gha-deploy")
    sc.change(-1560, *ecs, f"{cl}/{other}", "gha-deploy")
    for s, _ in steps[1:]:
        sc.change(s - 25, *ecs, f"{cl}/{svc}", "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-15400, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "tg-lobby-8080", "kenji.t")

    sc.alarm("ext-gw-prod-latency-high", "AWS/ApplicationELB", "TargetResponseTime", lbd, "Average",
             60, 5, 1.0, "GreaterThanThreshold", "External gateway p-avg latency above 1 s")
    sc.alarm("ext-gw-prod-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lbd, "Sum", 60, 3,
             250, "GreaterThanThreshold")
    sc.alarm("arena-profile-cpu-high", "AWS/ECS", "CPUUtilization", od, "Average", 60, 3, 70,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "ext-gw-prod-latency-high",
                 "root_cause": {"category": "traffic_surge",
                                "resource": [f"{cl}/{svc}", svc, lb, lbn]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount",
                                "dimensions": lbd}]}
    sc.meta = dict(front="front (ALB)", services="ALB, ECS (Go, logfmt), Lambda",
                   decoys="profile deploy 60 s before onset; autoscaling UpdateService events; "
                          "daily login-bonus spike (1.55x) with profile CPU alarm; steady ticket errors")
    return sc


# --------------------------------------------------------------------------- 02
def s02() -> Scenario:
    sc = Scenario(2, "derby-night-fixtures", "Match centre in the app failing during the evening "
                  "derby; API Gateway 5XX alarm fired.", "eu-west-1", 6102,
                  "2026-11-07T20:40:00+00:00")
    api, fn, db, dec = "matchday-api", "fixture-feed", "scores-pg", "goal-alerts"
    sc.resource("apigateway", api, stage="prod", api_id="k3v9q2m1xa", integration="lambda-proxy")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=512,
                environment="PGHOST=scores-pg..., PG_POOL_MAX=2")
    sc.resource("lambda", dec, runtime="nodejs20.x", timeout=60, memory_size=1024)
    sc.resource("rds", db, engine="postgres", engine_version="16.3", instance_class="db.r6g.large",
                max_connections=410, allocated_storage_gb=200, multi_az=True)
    EARLY, KO, GOAL = -11400, -2400, -2220

    def load(t):
        early = bump(t, EARLY, EARLY + 6300, 2.0, 420)
        derby = bump(t, KO, 3600, 3.5, 300) + bump(t, GOAL, GOAL + 900, 2.5, 60)
        return 1 + early + derby

    def inv(t):
        return 6000 * load(t) * (1 + 0.5 * ramp(t, GOAL, GOAL + 240))   # client retries

    def bad(t):
        return ramp(t, GOAL, GOAL + 120)

    def dur(t):
        return 120 + 1500 * bad(t)

    def conc(t):
        return min(900.0, inv(t) * dur(t) / 60000 * 1.6)

    out = lambda_set(sc, fn, inv, lambda t: 0.0006 + 0.33 * bad(t), dur, conc=conc)
    ad = {"ApiName": api}
    cnt = put(sc, "AWS/ApiGateway", "Count", ad, "Count", inv, integer=True, noise=0.04)
    part(sc, "AWS/ApiGateway", "5XXError", ad, cnt, lambda t: 0.0006 + 0.33 * bad(t))
    part(sc, "AWS/ApiGateway", "4XXError", ad, cnt, lambda t: 0.021)
    put(sc, "AWS/ApiGateway", "Latency", ad, "Milliseconds", lambda t: dur(t) + 22, noise=0.08)
    rd = {"DBInstanceIdentifier": db}
    put(sc, "AWS/RDS", "DatabaseConnections", rd, "Count",
        lambda t: min(404.0, 38 + 2.0 * min(conc(t), inv(t) * 0.12 / 60 * 1.6 + 400 * bad(t))),
        integer=True, noise=0.01, cap=405)
    put(sc, "AWS/RDS", "CPUUtilization", rd, "Percent", lambda t: 17 + 7 * (load(t) - 1) + 6 * bad(t),
        noise=0.07)
    put(sc, "AWS/RDS", "FreeableMemory", rd, "Bytes", lambda t: 6.1e9 - 4e8 * (load(t) - 1) / 3,
        noise=0.01, digits=0)
    put(sc, "AWS/RDS", "ReadLatency", rd, "Seconds", lambda t: 0.0009 + 0.0002 * (load(t) - 1),
        noise=0.1, digits=6)
    gd = {"FunctionName": dec}
    put(sc, "AWS/Lambda", "Invocations", gd, "Count",
        lambda t: 2 + 40 * bump(t, GOAL, GOAL + 200, 1, 30) + 30 * bump(t, EARLY + 2400, EARLY + 2600, 1, 30),
        integer=True)
    put(sc, "AWS/Lambda", "Errors", gd, "Count", lambda t: 0.0, integer=True)

    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 10, mem_used=(118, 9))
    rng = sc.rng

    def body(ll, t, rid, is_err, cold):
        lines = []
        fx = f"fx_{rng.randint(410000, 419999)}"
        if is_err:
            lines.append((0.004, ll.fmt(t, rid, "WARN", f"pg connect attempt 1/3 failed: remaining "
                                        f"connection slots are reserved for non-replication "
                                        f"superuser connections")))
            lines.append((0.61, ll.fmt(t, rid, "WARN", "pg connect attempt 2/3 failed: sorry, too "
                                       "many clients already")))
            err = {"errorType": "error", "errorMessage": "sorry, too many clients already",
                   "code": "53300", "severity": "FATAL", "stack": [
                       "error: sorry, too many clients already",
                       "    at Parser.parseErrorMessage (/var/task/node_modules/pg-protocol/dist/parser.js:287:98)",
                       "    at Client._connectionCallback (/var/task/node_modules/pg/lib/client.js:134:15)"]}
            lines.append((1.83, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + jline(err))))
            return {"lines": lines, "dur": 1840 + rng.uniform(0, 300)}
        if rng.random() < 0.08:
            lines.append((0.01, ll.fmt(t, rid, "WARN", f"odds cache stale for market {fx}:1X2 "
                                       f"(age {rng.randint(31, 90)}s), serving anyway")))
        if rng.random() < 0.02:
            lines.append((0.006, ll.fmt(t, rid, "ERROR", "ValidationError: fixtureId missing or "
                                        "malformed in path /v2/fixtures//live")))
        lines.append((0.09, ll.fmt(t, rid, "INFO", f"served {fx} live state in "
                                   f"{int(dur(t) * rng.uniform(0.5, 1.1))}ms")))
        return {"lines": lines, "dur": max(15.0, rng.gauss(110, 25))}
    si, se = sampled(sc, out["inv"], out["err"], 0.0004, cap=4)
    ll.run(si, se, body)

    lg, st = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, lg, st, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote "
                                        f"{rng.randint(900, 4200)} buffers; 0 WAL file(s) added, "
                                        f"{rng.randint(0, 3)} removed", pid=611))
    emit(sc, lg, st, lambda t: 0.15, lambda t: pg(
        sc, t, "LOG", f"automatic vacuum of table \"scores.public.market_odds\": index scans: 1",
        pid=rng.randint(20000, 30000)))
    emit(sc, lg, st, lambda t: 14 * bad(t), lambda t: pg(
        sc, t, "FATAL", rng.choice(["sorry, too many clients already",
                                    "remaining connection slots are reserved for non-replication "
                                    "superuser connections"]),
        client=f"{sc.ip('10.40')}({rng.randint(30000, 60000)})", user="feed_app", db="scores"))
    sc.change(-14100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "ci-matchday")
    sc.change(-2280, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", dec, "marta.ops")
    sc.alarm("matchday-api-5xx", "AWS/ApiGateway", "5XXError", ad, "Sum", 60, 3, 100,
             "GreaterThanThreshold", "Match centre API server errors")
    sc.alarm("fixture-feed-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 100,
             "GreaterThanThreshold")
    sc.alarm("scores-pg-cpu-high", "AWS/RDS", "CPUUtilization", rd, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "matchday-api-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": rd}]}
    sc.meta = dict(front="front (API Gateway)", services="API Gateway, Lambda (Node), RDS Postgres",
                   decoys="goal-alerts config change 60 s before onset; fixture-feed deploy 4 h "
                          "earlier, before the healthy afternoon match; stale-odds warnings and 4XX "
                          "validation errors at a steady rate; match traffic peaks")
    return sc
