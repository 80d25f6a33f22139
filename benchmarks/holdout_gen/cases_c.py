"""Hold-out cases 05-08: MySQL connection exhaustion, ECS CPU saturation, Lambda OOM, Postgres disk full."""
from __future__ import annotations

import json

from .kit import Scenario, bump, epoch_ms, iso, lambda_request, lambda_stream, pg, plain, ramp, sample_times, wave


def _node(t: float, rid: str, level: str, payload: object) -> str:
    body = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    return f"{iso(t)}\t{rid}\t{level}\t{body}"


def hold_05() -> Scenario:
    """Lambda fleet without a proxy grows pooled connections until MySQL refuses new ones; API 5XX alarm."""
    sc = Scenario("hold-05-claims-api-5xx", "Claims submissions failing intermittently at lunchtime peak; "
                  "ClaimsPublicApi 5XX alarm.", "us-east-1", seed=505)
    api, submit, get = "ClaimsPublicApi", "ClaimsApi-SubmitClaimFn-1R7QW2ZK0P3M", "ClaimsApi-GetClaimFn-8Z1LPQ4X2B9D"
    notify, batch, dbid = "ClaimsApi-NotifyAdjusterFn-5T0VYX6C3M1N", "i-0e21b4c7d9a3f5812", "claims-mysql-prod"
    onset = -1500
    host = "claims-mysql-prod.cxk2lq7t9abc.us-east-1.rds.amazonaws.com"
    sc.resource("apigateway", api, api_id="p4m8zq1w7e", stage="prod")
    for fn in (submit, get):
        sc.resource("lambda", fn, runtime="nodejs20.x", timeout=20, memory_size=1024,
                    environment={"DB_HOST": host, "DB_NAME": "claims", "DB_POOL_MAX": "5"})
    sc.resource("lambda", notify, runtime="nodejs20.x", timeout=30, memory_size=256)
    sc.resource("rds", dbid, engine="mysql", engine_version="8.0.35", instance_class="db.t3.medium",
                max_connections=341, allocated_storage_gb=200, endpoint=host)
    sc.resource("ec2", batch, name="claims-batch-1", instance_type="m5.large")

    lunch = lambda t: ramp(t, -4200, -1800, 1.0, 1.42)
    s_req, g_req = (lambda t: 92 * lunch(t)), (lambda t: 51 * lunch(t))
    conc = lambda t: 16 * lunch(t) ** 2.6
    conns = lambda t: min(341.0, 92 + ramp(t, -4200, onset, 0, 260))
    refused = lambda t: 0.0 if t < onset else ramp(t, onset, onset + 400, 0.12, 0.33)
    for fn, rq, share in ((submit, s_req, 1.0), (get, g_req, 0.55)):
        d = {"FunctionName": fn}
        sc.metric("AWS/Lambda", "Invocations", d, "Count", rq, count=True)
        sc.metric("AWS/Lambda", "Errors", d, "Count", lambda t, rq=rq, share=share: rq(t) * refused(t) * share,
                  count=True)
        sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", lambda t: 210 + 380 * (refused(t) > 0), rel=0.15)
        sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", lambda t: conc(t) * (1 if fn == submit else 0.5),
                  rel=0.1, digits=0)
        sc.metric("AWS/Lambda", "Throttles", d, "Count", lambda t: 0, count=True)
    tot = lambda t: s_req(t) + g_req(t)
    sc.metric("AWS/ApiGateway", "Count", {"ApiName": api}, "Count", tot, count=True)
    sc.metric("AWS/ApiGateway", "5XXError", {"ApiName": api}, "Count",
              lambda t: (s_req(t) + 0.55 * g_req(t)) * refused(t), count=True)
    sc.metric("AWS/ApiGateway", "4XXError", {"ApiName": api}, "Count", lambda t: tot(t) * 0.03, count=True)
    sc.metric("AWS/ApiGateway", "Latency", {"ApiName": api}, "Milliseconds",
              lambda t: 235 + 360 * (refused(t) > 0), rel=0.12)
    db = {"DBInstanceIdentifier": dbid}
    sc.metric("AWS/RDS", "DatabaseConnections", db, "Count", conns, sd=2, hi=341, digits=0)
    sc.metric("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: 31 + ramp(t, -4200, onset, 0, 16), rel=0.08)
    sc.metric("AWS/RDS", "FreeableMemory", db, "Bytes", lambda t: 1.62e9 - conns(t) * 1.4e6, rel=0.01, digits=0)
    sc.metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: 1.31e11, rel=0.0003, digits=0)
    sc.metric("AWS/RDS", "ReadLatency", db, "Seconds", lambda t: 0.0009, rel=0.2, digits=5)
    sc.metric("AWS/RDS", "DBLoad", db, "Count", lambda t: 1.1 + ramp(t, -4200, onset, 0, 0.9), rel=0.15)
    sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": batch}, "Percent", lambda t: 6 + bump(t, -2100, -1100, 31),
              sd=2)
    sc.metric("AWS/EC2", "NetworkOut", {"InstanceId": batch}, "Bytes", lambda t: 2e6 + bump(t, -2100, -1100, 2.4e9),
              rel=0.1, digits=0)
    nd = {"FunctionName": notify}
    sc.metric("AWS/Lambda", "Invocations", nd, "Count", lambda t: 7, count=True)
    sc.metric("AWS/Lambda", "Errors", nd, "Count", lambda t: 0.02, count=True)

    sc.change(-1810, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", notify,
              "codepipeline-claims")
    sc.change(-1795, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", notify,
              "codepipeline-claims")
    sc.change(-2160, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", batch, "claims-ops")

    err = {"errorType": "Error", "errorMessage": "Too many connections", "code": "ER_CON_COUNT_ERROR", "errno": 1040,
           "sqlState": "08004", "sqlMessage": "Too many connections",
           "stack": ["Error: Too many connections", "    at Packet.asError (/var/task/node_modules/mysql2/lib/packets/packet.js:740:17)",
                     "    at ClientHandshake.execute (/var/task/node_modules/mysql2/lib/commands/command.js:29:26)",
                     "    at PoolConnection.handlePacket (/var/task/node_modules/mysql2/lib/connection.js:481:34)",
                     "    at async getConnection (/var/task/src/db.js:22:16)",
                     "    at async Runtime.handler (/var/task/src/submit.js:41:18)"]}
    for fn, rate, ok_msg in ((submit, 2.4, "claim submitted"), (get, 1.2, "claim fetched")):
        streams = [lambda_stream("2026/11/20", sc) for _ in range(4)]
        out: dict[str, list] = {s: [] for s in streams}
        for t in sample_times(sc, -5400, -60, rate):
            s = sc.rng.choice(streams)
            r = sc.rng.random()
            if r < refused(t) * (1 if fn == submit else 0.55):
                body = [(0.35, _node(t + 0.35, "{rid}", "ERROR", "Invoke Error \t" + json.dumps(err, separators=(",", ":"))))]
                dur = sc.rng.uniform(400, 900)
            elif r > 0.92:
                body = [(0.01, _node(t + 0.01, "{rid}", "WARN", {"msg": "validation failed", "status": 400,
                                                                 "detail": '"policyNumber" is not allowed to be empty'}))]
                dur = sc.rng.uniform(5, 15)
            else:
                body = [(0.18, _node(t + 0.18, "{rid}", "INFO", {"msg": ok_msg, "claimId": f"CLM-{sc.rng.randint(10**6, 10**7)}",
                                                                 "ms": sc.rng.randint(60, 240)}))]
                dur = sc.rng.uniform(120, 320)
            _, ev = lambda_request(sc, t, dur, 1024, sc.rng.randint(140, 190), body)
            out[s].extend(ev)
        for s, ev in out.items():
            sc.log(f"/aws/lambda/{fn}", s, ev)
    mev = []
    for t in sample_times(sc, -10800, -60, 0.5):
        mev.append((t, f"{iso(t)[:-1]}000Z 0 [Warning] [MY-010055] [Server] IP address '10.31.{sc.rng.randint(1, 9)}."
                       f"{sc.rng.randint(2, 250)}' could not be resolved: Name or service not known"))
    for t in sample_times(sc, -3600, -60, 1.2):
        mev.append((t, f"{iso(t)[:-1]}000Z {sc.rng.randint(40000, 90000)} [Note] [MY-010914] [Server] Aborted "
                       f"connection {sc.rng.randint(40000, 90000)} to db: 'claims' user: 'claims_app' host: "
                       f"'10.31.{sc.rng.randint(1, 9)}.{sc.rng.randint(2, 250)}' (Got timeout reading communication packets)."))
    sc.log(f"/aws/rds/instance/{dbid}/error", f"{dbid}.0", mev)

    sc.alarm("ClaimsPublicApi-5XX-High", "AWS/ApiGateway", "5XXError", {"ApiName": api}, statistic="Sum", period=60,
             evaluation_periods=3, threshold=10, state_changed=onset + 190)
    sc.expect("ClaimsPublicApi-5XX-High", "db_connection_exhaustion", [dbid],
              [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": db}])
    sc.notes = {"cause": "per-container mysql2 pools (no RDS Proxy) grow with lunchtime concurrency until "
                         "claims-mysql-prod is pinned at max_connections=341; ER_CON_COUNT_ERROR in both functions",
                "decoys": "NotifyAdjusterFn code deploy 5 min before onset; SSM command + S3 backup CPU/network spike "
                          "on claims-batch-1 spanning onset; +42% lunchtime traffic (not a surge); steady 400 "
                          "validation warnings; steady MySQL DNS-resolve warnings"}
    return sc


def hold_06() -> Scenario:
    """Pathological wildcard queries pin the query service CPU; ALB latency alarm."""
    sc = Scenario("hold-06-findr-latency", "Search is very slow for internal apps; findr ALB latency alarm.",
                  "eu-west-1", seed=606)
    alb = "app/findr-int-alb/9a0b1c2d3e4f5a6b"
    onset = -1500
    sc.resource("alb", alb, name="findr-int-alb", scheme="internal")
    sc.resource("ecs", "findr/query-svc", launch_type="FARGATE", desired_count=8, cpu=512, memory=1024)
    sc.resource("ecs", "findr/indexer", launch_type="FARGATE", desired_count=4, cpu=2048, memory=8192)
    sc.resource("lambda", "findr-sitemap-gen", runtime="python3.11", timeout=300, memory_size=2048)

    req = lambda t: 900 * wave(t, 10800, 0.05) * (1.08 if t >= onset else 1.0)
    hot = lambda t: ramp(t, onset - 120, onset + 180, 0, 1)
    sc.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req, count=True)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds",
              lambda t: 0.12 + 3.1 * hot(t), rel=0.15, digits=4)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: 0.4 + 9 * hot(t), count=True, sparse=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb}, "Count",
              lambda t: 0.1 + 21 * hot(t), count=True, sparse=True)
    q = {"ClusterName": "findr", "ServiceName": "query-svc"}
    sc.metric("AWS/ECS", "CPUUtilization", q, "Percent", lambda t: 37 * wave(t, 10800, 0.05) + 61 * hot(t), rel=0.05,
              hi=100)
    sc.metric("AWS/ECS", "MemoryUtilization", q, "Percent", lambda t: 54 + 3 * hot(t), rel=0.02)
    ix = {"ClusterName": "findr", "ServiceName": "indexer"}
    sc.metric("AWS/ECS", "CPUUtilization", ix, "Percent", lambda t: 14 + bump(t, -1700, -700, 72), rel=0.06, hi=100)
    sc.metric("AWS/ECS", "MemoryUtilization", ix, "Percent", lambda t: 40 + bump(t, -1700, -700, 33), rel=0.02)
    sm = {"FunctionName": "findr-sitemap-gen"}
    sc.metric("AWS/Lambda", "Invocations", sm, "Count", lambda t: 1 if int(t) % 900 == 0 else 0, digits=0)
    sc.metric("AWS/Lambda", "Errors", sm, "Count", lambda t: 0, digits=0)

    sc.change(-1920, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "findr-sitemap-gen", "ci-findr")
    sc.change(-1740, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "findr/indexer", "k.lindqvist")

    for task in range(4):
        ev, pid = [], sc.rng.randint(7, 30)
        for t in sample_times(sc, -5400, -60, 2.0):
            ts = plain(t)
            r = sc.rng.random()
            n = sc.rng.random()
            if n < 0.07:
                ev.append((t + 0.01, f"{ts} ERROR app.clients.geo: geoip lookup failed: HTTPConnectionPool(host='geoip.findr."
                                     "internal', port=8090): Max retries exceeded with url: /v1/lookup (Caused by "
                                     "NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3a2c1d9e50>: "
                                     "Failed to establish a new connection: [Errno 111] Connection refused'))"))
            elif n < 0.12:
                ev.append((t + 0.01, f"{ts} WARNING app.suggest: spellcheck dictionary for locale 'ga-IE' missing; "
                                     "falling back to en-GB"))
            if hot(t) > 0.5 and r < 0.3:
                pat = sc.rng.choice(["*son*", "*an*", "*e*r*", "*ing*"])
                ev.append((t, f"{ts} WARNING app.search.engine: slow query {sc.rng.uniform(2.5, 9.5):.1f}s "
                              f"q='{pat}' tenant=hr-portal wildcard_expansions={sc.rng.randint(20000, 90000)}"))
            elif hot(t) > 0.5 and r < 0.36:
                ev.append((t, f"[{at_gunicorn(t)}] [{pid}] [CRITICAL] WORKER TIMEOUT (pid:{pid + sc.rng.randint(50, 900)})"))
                ev.append((t + 0.4, f"[{at_gunicorn(t + 0.4)}] [{pid}] [INFO] Booting worker with pid: "
                                    f"{pid + sc.rng.randint(1000, 3000)}"))
            else:
                ev.append((t, f"{ts} INFO app.access: GET /v2/search?q=<redacted> 200 {sc.rng.randint(15, 140)}ms "
                              f"tenant={sc.rng.choice(['wiki', 'crm', 'hr-portal', 'intranet'])}"))
        sc.log("/ecs/findr/query-svc", f"query-svc/query-svc/{sc.hexid()}", ev)
    sc.alarm("findr-query-latency-high", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb},
             statistic="Average", period=60, evaluation_periods=5, threshold=1.0, state_changed=onset + 300)
    sc.expect("findr-query-latency-high", "cpu_saturation", ["findr/query-svc"],
              [{"namespace": "AWS/ECS", "name": "CPUUtilization", "dimensions": q}])
    sc.notes = {"cause": "a tenant's leading-wildcard queries pin findr/query-svc CPU (~98%), gunicorn worker "
                         "timeouts -> ALB latency and 502s; request volume only +8%",
                "decoys": "indexer UpdateService (scale-out) 4 min before onset and its reindex CPU spike spanning "
                          "onset; sitemap-gen deploy 7 min before onset; steady geoip 'Connection refused' errors"}
    return sc


def at_gunicorn(t: float) -> str:
    return plain(t).split(",")[0] + " +0000"


CASES = [hold_05, hold_06]
