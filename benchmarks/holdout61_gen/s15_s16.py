"""h61-15 (double-overtime panics the game card) and h61-16 (scale-out drains MySQL connections)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import emit, every, lambda_set, part, put, sampled
from .runtimes import LambdaLogs, jline, mysql, slog


# --------------------------------------------------------------------------- 15
def s15() -> Scenario:
    sc = Scenario(15, "game7-fixture-card", "Game card in the app showing an error for the game 7 "
                  "everyone is watching; fixture-card Errors alarm.", "ca-central-1", 6115,
                  "2026-05-10T01:30:00+00:00")
    api, fn, dec = "scores-edge", "fixture-card", "standings-feed"
    sc.resource("apigateway", api, stage="prod", api_id="c9t4f1v7ns", integration="lambda-proxy")
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=6, memory_size=256,
                handler="bootstrap (Go 1.23, aws-lambda-go v1.47.0)")
    sc.resource("lambda", dec, runtime="provided.al2023", timeout=30, memory_size=256)
    GAME, OT2, AFTERNOON = -9000, -2000, -19800
    hot = "2025030417"

    def load(t):
        return diurnal(sc, t, 0.5, 0.2) * (1 + bump(t, AFTERNOON, AFTERNOON + 7200, 1.0, 300)
                                           + 2.0 * ramp(t, GAME, GAME + 600)
                                           + 0.35 * ramp(t, OT2 - 1500, OT2))

    def share(t):
        return 0.18 + 0.27 * ramp(t, GAME, GAME + 1800)

    def err(t):
        return 0.0003 + (share(t) * 0.98 if t >= OT2 else 0.0)

    out = lambda_set(sc, fn, lambda t: 1500 * load(t), err, lambda t: 16.0)
    ad = {"ApiName": api}
    cnt = put(sc, "AWS/ApiGateway", "Count", ad, "Count", lambda t: 1500 * load(t), integer=True)
    part(sc, "AWS/ApiGateway", "5XXError", ad, cnt, err)
    part(sc, "AWS/ApiGateway", "4XXError", ad, cnt, lambda t: 0.011)
    put(sc, "AWS/ApiGateway", "Latency", ad, "Milliseconds", lambda t: 31.0, noise=0.1)
    lambda_set(sc, dec, lambda t: 60.0, lambda t: 0.0, lambda t: 820.0)

    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 6, mem_used=(31, 2))
    rng = sc.rng

    def body(ll, t, rid, is_err, cold):
        g = hot if rng.random() < share(t) else rng.choice(["2025030416", "2025030322",
                                                            "2025030231", "2025030415"])
        period = (rng.choice([4, 5]) if t >= OT2 else (3 if t >= GAME + 3600 else 2)) if g == hot else 3
        lines = []
        if rng.random() < 0.035:
            lines.append((0.002, slog(sc, t, "error", "stats provider request failed; serving cached "
                                      "shot chart", game=g, err="Get \"https://stats-feed.example.net/"
                                      f"v2/games/{g}/shots\": context deadline exceeded",
                                      request_id=rid)))
        if is_err and t < OT2:
            lines.append((0.005, jline({"errorMessage": f"load game {g}: upstream returned 410 Gone",
                                        "errorType": "errorString"})))
            return {"lines": lines, "dur": rng.uniform(20, 60)}
        if is_err:
            e = {"errorMessage": "runtime error: index out of range [5] with length 5",
                 "errorType": "boundsError", "stackTrace": [
                     {"path": "github.com/aws/aws-lambda-go@v1.47.0/lambda/errors.go", "line": 39,
                      "label": "lambdaPanicResponse"},
                     {"path": "github.com/aws/aws-lambda-go@v1.47.0/lambda/invoke_loop.go", "line": 102,
                      "label": "callBytesHandlerFunc.func1"},
                     {"path": "runtime/panic.go", "line": 785, "label": "gopanic"},
                     {"path": "/src/internal/card/periods.go", "line": 88, "label": "renderPeriods"},
                     {"path": "/src/internal/card/card.go", "line": 141, "label": "Build"}]}
            lines.append((0.004, slog(sc, t, "info", "building card", game=g, period=5,
                                      request_id=rid)))
            lines.append((0.006, jline(e)))
            return {"lines": lines, "dur": rng.uniform(3, 7)}
        lines.append((0.012, slog(sc, t, "info", "card rendered", game=g, period=period,
                                  ms=rng.randint(6, 30), request_id=rid)))
        return {"lines": lines, "dur": max(3.0, rng.gauss(16, 4))}
    si, se = sampled(sc, out["inv"], out["err"], 0.002, cap=5)
    ll.run(si, se, body)
    lam = ("lambda.amazonaws.com", "AWS::Lambda::Function")
    sc.change(-2100, lam[0], "UpdateFunctionCode20150331v2", lam[1], dec, "gitlab-ci")
    sc.change(-2090, lam[0], "PublishVersion20150331", lam[1], dec, "gitlab-ci")
    sc.change(-11000, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              f"{api}/prod", "mathieu.r")
    sc.alarm("fixture-card-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "Game card render failures")
    sc.alarm("scores-edge-5xx", "AWS/ApiGateway", "5XXError", ad, "Sum", 300, 1, 150,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "fixture-card-errors",
                 "root_cause": {"category": "application_error", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="origin", services="Lambda (Go, slog JSON), API Gateway",
                   decoys="standings-feed deploy 100 s before onset; game-7 traffic (3.4x) and an "
                          "afternoon game peak; steady stats-provider timeout errors; stage change "
                          "3 h earlier")
    return sc


# --------------------------------------------------------------------------- 16
def s16() -> Scenario:
    sc = Scenario(16, "dlc-presence-scaleout", "Friend suggestions failing in the launcher after "
                  "the DLC release; friend-suggest Errors alarm.", "us-west-1", 6116,
                  "2026-09-05T03:10:00+00:00")
    cl, svc, fn, db = "social-prod", "presence-api", "friend-suggest", "social-mysql"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048,
                desired_count=10, autoscaling="10-30 tasks, target CPU 55%",
                runtime="python3.12 (FastAPI/uvicorn, SQLAlchemy pool_size=30 max_overflow=10)",
                log_group="/ecs/presence-api")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=512)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.2xlarge",
                max_connections=1000, allocated_storage_gb=300)
    LAUNCH, EVE = -2700, -14400
    steps = [(-10 ** 9, 10), (EVE + 300, 13), (EVE + 600, 16), (EVE + 2400, 13), (EVE + 3000, 10),
             (-2520, 14), (-2340, 18), (-2160, 22), (-1980, 25), (-1800, 28)]

    def tasks(t):
        return [n for s, n in steps if t >= s][-1]

    def load(t):
        return diurnal(sc, t, 3.0, 0.2) * (1 + bump(t, EVE, EVE + 2700, 0.6, 300)
                                           + 1.9 * ramp(t, LAUNCH, LAUNCH + 600))

    def want(t):
        return tasks(t) * 35.5 + 45 + 25 * load(t)

    def full(t):
        return ramp(want(t), 960, 1010)

    ed = {"ClusterName": cl, "ServiceName": svc}
    put(sc, "AWS/ECS", "CPUUtilization", ed, "Percent",
        lambda t: 40 * load(t) * 10 / tasks(t) + 8, noise=0.06, cap=100.0)
    put(sc, "AWS/ECS", "MemoryUtilization", ed, "Percent", lambda t: 44.0, noise=0.02)
    put(sc, "ECS/ContainerInsights", "RunningTaskCount", ed, "Count",
        lambda t: tasks(t) - (sc.rng.choice([1, 2, 3]) if full(t) > 0.5 else 0), noise=0.0)
    out = lambda_set(sc, fn, lambda t: 900 * load(t), lambda t: 0.002 + 0.45 * full(t),
                     lambda t: 140 + 600 * full(t))
    rd = {"DBInstanceIdentifier": db}
    put(sc, "AWS/RDS", "DatabaseConnections", rd, "Count", lambda t: min(1000.0, want(t)),
        integer=True, noise=0.003, cap=1000)
    put(sc, "AWS/RDS", "CPUUtilization", rd, "Percent", lambda t: 16 + 14 * load(t), noise=0.06)
    put(sc, "AWS/RDS", "FreeableMemory", rd, "Bytes", lambda t: 2.3e10 - 4e6 * want(t), noise=0.005,
        digits=0)

    rng, grp = sc.rng, "/ecs/presence-api"
    for k in range(5):
        stream = f"presence/api/{sc.hexid(32)}"

        def line(t):
            r = rng.random()
            if r < 0.15:
                return jline({"ts": sc.iso(t), "level": "warning", "logger": "presence.ws",
                              "msg": "websocket closed unexpectedly", "code": 1006,
                              "user": rng.randint(10 ** 7, 10 ** 8)})
            return jline({"ts": sc.iso(t), "level": "info", "logger": "uvicorn.access",
                          "msg": f"10.9.{rng.randint(1, 40)}.{rng.randint(2, 250)}:0 - \"GET "
                                 f"/v1/presence/friends HTTP/1.1\" 200", "ms": rng.randint(4, 40)})
        emit(sc, grp, stream, lambda t: 2.0, line)
        every(sc, grp, stream, 60, lambda t: jline({
            "ts": sc.iso(t), "level": "info", "logger": "presence.db", "msg": "pool status",
            "pool_size": 30, "checked_out": rng.randint(8, 30), "overflow": rng.randint(0, 10)}))
    for s, n in steps:
        if s < -2600:
            continue
        for j in range(2 if s < -1900 else 3):
            stream = f"presence/api/{sc.hexid(32)}"
            b = s + 40 + rng.uniform(0, 30)
            sc.log(grp, stream, b, jline({"ts": sc.iso(b), "level": "info", "logger": "uvicorn.error",
                                          "msg": "Started server process [1]"}))
            if full(b) > 0.5:
                for dt in (1.1, 6.3, 11.8):
                    sc.log(grp, stream, b + dt, jline({
                        "ts": sc.iso(b + dt), "level": "error", "logger": "presence.db",
                        "msg": "startup check failed: (pymysql.err.OperationalError) (1040, 'Too many "
                               "connections')", "attempt": int(dt // 5) + 1}))
                sc.log(grp, stream, b + 12, jline({"ts": sc.iso(b + 12), "level": "error",
                                                   "logger": "uvicorn.error",
                                                   "msg": "Application startup failed. Exiting."}))
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 10, mem_used=(122, 7))

    def body(ll, t, rid, is_err, cold):
        lines = []
        if rng.random() < 0.06:
            lines.append((0.01, ll.fmt(t, rid, "WARN", "graph-recs lookup failed, using mutual-friends "
                                       "fallback: Error: getaddrinfo EAI_AGAIN graph-recs.internal")))
        if is_err:
            e = {"errorType": "Error", "errorMessage": "ER_CON_COUNT_ERROR: Too many connections",
                 "code": "ER_CON_COUNT_ERROR", "errno": 1040, "sqlState": "08004", "fatal": True,
                 "stack": ["Error: ER_CON_COUNT_ERROR: Too many connections",
                           "    at Packet.asError (/var/task/node_modules/mysql2/lib/packets/packet.js:728:17)",
                           "    at ClientHandshake.execute (/var/task/node_modules/mysql2/lib/commands/command.js:29:26)"]}
            lines.append((0.4, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + jline(e))))
            return {"lines": lines, "dur": rng.uniform(380, 900)}
        lines.append((0.1, ll.fmt(t, rid, "INFO", f"suggestions user={rng.randint(10 ** 7, 10 ** 8)} "
                                  f"n={rng.randint(0, 12)}")))
        return {"lines": lines, "dur": max(40.0, rng.gauss(140, 30))}
    si, se = sampled(sc, out["inv"], out["err"], 0.004, cap=4)
    ll.run(si, se, body)
    emit(sc, f"/aws/rds/instance/{db}/error", db, lambda t: 0.1 + 3 * full(t), lambda t: mysql(
        sc, t, rng.randint(90000, 99999), "Warning" if full(t) < 0.5 else "Note",
        "MY-010055" if full(t) < 0.5 else "MY-010914",
        "IP address '10.9.3.12' could not be resolved: Name or service not known" if full(t) < 0.5
        else f"Aborted connection {rng.randint(900000, 999999)} to db: 'social' user: 'presence' "
             f"host: '10.9.{rng.randint(1, 40)}.{rng.randint(2, 250)}' (Got an error reading "
             "communication packets)."))
    for s, _ in steps[5:]:
        sc.change(s - 20, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-10800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "gha-deploy")
    sc.alarm("friend-suggest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Friend suggestions failing")
    sc.alarm("social-mysql-cpu", "AWS/RDS", "CPUUtilization", rd, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.alarm("presence-api-cpu-high", "AWS/ECS", "CPUUtilization", ed, "Average", 60, 3, 75,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "friend-suggest-errors",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": rd}]}
    sc.meta = dict(front="front (a caller Lambda)", services="ECS (Python, JSON), Lambda (Node), RDS MySQL",
                   decoys="autoscaling UpdateService events right before onset; DLC traffic (2.9x); "
                          "friend-suggest deploy 3 h earlier; evening peak; steady EAI_AGAIN "
                          "warnings and websocket 1006 warnings")
    return sc
