"""h79-15 (authorisation API slow: another team's BI dashboard pins the shared Postgres's CPU) and
h79-16 (directory sync cron killed out of memory after an acquired company's users join the feed)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import GRID, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg

from .kit import LOG_START, binom, cron_grid, lambda_set, meta, new, put, run_lambda, ticks


# --------------------------------------------------------------------------- h79-15
def build15():
    sc = new(15, "authz-api-latency", "Authorisation decisions slow and intermittently failing for "
             "internal apps; API Gateway latency alarm.", "eu-west-3", "2026-03-24T13:10:00+00:00")
    api, fn, db = "authz-api", "authz-decide", "pg-authz-shared"
    sc.resource("apigateway", api, stage="prod")
    sc.resource("lambda", fn, runtime="nodejs22.x", timeout=10, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.m6g.large",
                max_connections=500, allocated_storage_gb=300, statement_timeout_app="2s")
    on, dep = -2700, -2100
    hot = lambda t: ramp(t, on, on + 240)
    dd = {"DBInstanceIdentifier": db}
    put(sc, "AWS/RDS", "CPUUtilization", dd, "Percent",
        lambda t: min(99.5, 24 * diurnal(sc, t, 13.0, 0.3) + 76 * hot(t)), noise=0.02, cap=100.0)
    put(sc, "AWS/RDS", "DatabaseConnections", dd, "Count", lambda t: 46 + 14 * hot(t), noise=0.04, digits=0)
    put(sc, "AWS/RDS", "ReadIOPS", dd, "Count/Second", lambda t: 380 + 5200 * hot(t), noise=0.1)
    put(sc, "AWS/RDS", "ReadLatency", dd, "Seconds", lambda t: 0.0012 + 0.006 * hot(t), noise=0.15, digits=5)
    put(sc, "AWS/RDS", "FreeableMemory", dd, "Bytes", lambda t: 3.2e9 - 0.3e9 * hot(t), noise=0.01, digits=0)
    put(sc, "AWS/RDS", "FreeStorageSpace", dd, "Bytes", lambda t: 1.9e11, noise=0.0005, digits=0)
    cnt = put(sc, "AWS/ApiGateway", "Count", {"ApiName": api}, "Count",
              lambda t: 15 * diurnal(sc, t, 13.0, 0.3), integer=True)
    fail = lambda t: 0.002 + 0.3 * hot(t)
    e5 = binom(sc, cnt, fail)
    sc.metric("AWS/ApiGateway", "5XXError", {"ApiName": api}, "Count", e5)
    sc.metric("AWS/ApiGateway", "4XXError", {"ApiName": api}, "Count", binom(sc, cnt, lambda t: 0.02))
    put(sc, "AWS/ApiGateway", "Latency", {"ApiName": api}, "Milliseconds", lambda t: 58 + 1650 * hot(t), noise=0.1)
    lambda_set(sc, fn, [float(c) for c in cnt], e5, sc.series(lambda t: 45 + 1640 * hot(t), noise=0.1),
               conc=sc.series(lambda t: 1 + 1.5 * hot(t), noise=0.2, digits=0))

    def body(ll, t, r, is_err, cold):
        lines = []
        if sc.rng.random() < 0.08:
            lines.append((0.003, ll.fmt(t, r, "WARN", f"policy cache miss for tenant t-{sc.rng.randint(100, 999)}; "
                                        "loading from store")))
        if is_err and hot(t) < 0.05:
            lines.append((0.02, ll.fmt(t + 0.02, r, "ERROR", json.dumps({
                "msg": "policy document rejected", "error": "SyntaxError: Unexpected token } in JSON at position 412",
                "tenant": f"t-{sc.rng.randint(100, 999)}"}))))
            return {"dur": sc.rng.gauss(30, 5), "lines": lines, "status": "error", "error_type": "SyntaxError"}
        if is_err:
            lines.append((2.01, ll.fmt(t + 2.01, r, "ERROR", json.dumps({
                "msg": "decision query failed", "error": "canceling statement due to statement timeout",
                "code": "57014", "query": "select_effective_grants"}))))
            return {"dur": sc.rng.gauss(2030, 15), "lines": lines, "status": "error", "error_type": "Error"}
        ms = sc.rng.gauss(45, 8) if hot(t) < 0.5 else sc.rng.uniform(400, 1950)
        lines.append((ms / 1000, ll.fmt(t + ms / 1000, r, "INFO", f"decision=allow subject=u-{sc.rng.randint(1000, 9999)} "
                                        f"action={sc.rng.choice(['read', 'write', 'admin'])} took_ms={int(ms)}")))
        return {"dur": ms + 3, "lines": lines}

    ll = LambdaLogs(sc, fn, "nodejs22.x", 512, 10, mem_used=(104, 4), retire=(dep,))
    run_lambda(sc, ll, cnt, e5, body)
    g, st = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    for t in range(LOG_START, 0, 300):
        sc.log(g, st, t + 4, pg(sc, t + 4, "LOG", "checkpoint starting: time", pid=611))
    bi = ["SELECT date_trunc('day', decided_at) d, tenant_id, action, count(*) FROM authz_decision_log "
          "WHERE decided_at > now() - interval '400 days' GROUP BY 1,2,3",
          "SELECT g.role_id, count(DISTINCT d.subject_id) FROM authz_decision_log d JOIN grants g USING "
          "(subject_id) GROUP BY 1 ORDER BY 2 DESC"]
    for t in ticks(sc, lambda m: 1.6 * hot(m), on):
        sc.log(g, st, t, pg(sc, t, "LOG", f"duration: {sc.rng.uniform(18000, 95000):.3f} ms  statement: "
                            f"{sc.rng.choice(bi)}", f"10.44.9.{sc.rng.randint(20, 40)}({sc.rng.randint(40000, 60000)})",
                            "bi_readonly", "authz"))
    for t in ticks(sc, lambda m: 4.5 * hot(m), on):
        sc.log(g, st, t, pg(sc, t, "ERROR", "canceling statement due to statement timeout",
                            f"10.44.2.{sc.rng.randint(10, 90)}({sc.rng.randint(30000, 60000)})", "authz_app", "authz"))
        sc.log(g, st, t + 0.001, pg(sc, t + 0.001, "STATEMENT", "SELECT * FROM select_effective_grants($1, $2)",
                                    user="authz_app", db="authz"))
    for t in ticks(sc, lambda m: 0.04, LOG_START, on):
        sc.log(g, st, t, pg(sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 1600):.3f} ms  statement: VACUUM "
                            "(ANALYZE) authz_decision_log", user="rdsadmin", db="authz"))
    sc.log(g, st, on - 30, pg(sc, on - 30, "LOG", "connection authorized: user=bi_readonly database=authz "
                              "application_name=Metabase SSL enabled (protocol=TLSv1.3)",
                              "10.44.9.27(50122)", "bi_readonly", "authz"))

    sc.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "iam-team-ci")
    sc.change(-9000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "pg16-authz-shared", "dba-automation")
    sc.alarm("authz-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 3, 600,
             "GreaterThanThreshold", "Authorisation API average latency")
    sc.alarm("authz-decide-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    sc.alarm("pg-authz-shared-cpu", "AWS/RDS", "CPUUtilization", dd, "Average", 300, 3, 90, "GreaterThanThreshold")
    sc.expect = {"alarm": "authz-api-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": dd}]}
    meta(sc, category="cpu_saturation", resources=[db], front="front (API Gateway -> Lambda -> RDS)",
         services="API Gateway, Lambda (Node), RDS Postgres (postgresql log)",
         decoys="code deploy of the alarmed path's Lambda 10 min after onset; statement-timeout errors "
                "that read like a dependency failure; long-standing cache-miss warnings; old parameter-group change",
         story="The authorisation API's latency goes from ~60 ms to ~1.7 s at -45 min, and ~30 % of "
               "decisions fail. `authz-decide` logs `canceling statement due to statement timeout` "
               "(57014) from Postgres. `pg-authz-shared` is not a healthy dependency: from the same "
               "minute its CPU is pinned at ~99 % and ReadIOPS rise more than tenfold. Its log shows "
               "a Metabase session as `bi_readonly` connecting 30 s before the onset, then "
               "18-95 s aggregate queries over `authz_decision_log`. Another team's dashboard is "
               "pointed at the primary. The function's deploy comes ten minutes after the errors "
               "begin, so it is not the trigger.")
    return sc


# --------------------------------------------------------------------------- h79-16
def build16():
    sc = new(16, "org-sync-failing", "Directory sync cron failing; new joiners missing from internal "
             "tools; Errors alarm.", "ap-northeast-2", "2026-06-02T01:25:00+00:00")
    fn, other = "org-sync-cron", "org-chart-cache-warm"
    sc.resource("lambda", fn, runtime="ruby3.2", timeout=300, memory_size=1024, schedule="rate(10 minutes)")
    sc.resource("lambda", other, runtime="ruby3.2", timeout=120, memory_size=512, schedule="rate(15 minutes)")
    grow = -3050
    runs = cron_grid(10, 3)
    inv = [1.0 if t in runs else None for t in GRID]

    def used(t):
        return 560 + 60 * ramp(t, -21600, grow) if t < grow else 1024
    err = [(1.0 if t >= grow else 0.0) if v else None for t, v in zip(GRID, inv)]
    dur = [(sc.rng.uniform(52000, 71000) if t >= grow else sc.rng.gauss(38000, 3000)) if v else None
           for t, v in zip(GRID, inv)]
    lambda_set(sc, fn, inv, err, dur)
    fd = {"function_name": fn}
    sc.metric("LambdaInsights", "memory_utilization", fd, "Percent",
              [(100.0 if t >= grow else used(t) / 1024 * 100 * sc.rng.uniform(0.98, 1.02)) if v else None
               for t, v in zip(GRID, inv)])
    sc.metric("LambdaInsights", "used_memory_max", fd, "Megabytes",
              [(1024.0 if t >= grow else float(int(used(t) * sc.rng.uniform(0.98, 1.02)))) if v else None
               for t, v in zip(GRID, inv)])
    oruns = cron_grid(15, 6)
    oinv = [1.0 if t in oruns else None for t in GRID]
    lambda_set(sc, other, oinv, [0.0 if v else None for v in oinv],
               [(sc.rng.gauss(9000, 900) + bump(t, -9300, -8700, 61000, 60)) if v else None for t, v in zip(GRID, oinv)])

    def body(ll, t, r, is_err, cold):
        n = 33211 + sc.rng.randint(0, 40) if t < grow else 64415 + sc.rng.randint(0, 40)
        lines = [(0.1, ll.fmt(t, r, "INFO", "fetching directory export from s3://people-exports-apne2/latest.json")),
                 (4.2, ll.fmt(t + 4.2, r, "INFO", f"parsed export: {n} users, {n // 60} groups"))]
        if sc.rng.random() < 0.5:
            lines.append((6.0, ll.fmt(t + 6, r, "ERROR", f"skipped user record with invalid email 'n/a' (employee "
                                      f"{sc.rng.randint(80000, 89999)})")))
        if is_err:
            lines.append((5.0, ll.fmt(t + 5, r, "WARN", "tenant acquired-co present in export (31204 users); "
                                      "building full diff in memory")))
            lines.append((0, "Error: Runtime exited with error: signal: killed"))
            ms = sc.rng.uniform(52000, 71000)
            return {"dur": ms, "lines": [(a, b) if b != "Error: Runtime exited with error: signal: killed"
                                         else (ms / 1000 - 0.01, b) for a, b in lines],
                    "status": "error", "error_type": "Runtime.OutOfMemory", "mem": 1024}
        lines.append((36.0, ll.fmt(t + 36, r, "INFO", f"diff applied: {sc.rng.randint(3, 40)} joiners, "
                                   f"{sc.rng.randint(0, 12)} leavers, {sc.rng.randint(10, 90)} moves")))
        return {"dur": sc.rng.gauss(38000, 3000), "lines": lines, "mem": int(used(t) * sc.rng.uniform(0.98, 1.02))}

    ll = LambdaLogs(sc, fn, "ruby3.2", 1024, 300)
    run_lambda(sc, ll, inv, err, body)
    lo = LambdaLogs(sc, other, "ruby3.2", 512, 120, mem_used=(201, 9), retire=(-2990,))
    run_lambda(sc, lo, oinv, [0.0 if v else None for v in oinv], lambda l, t, r, e, c: {
        "dur": sc.rng.gauss(9000, 900), "lines": [(0.1, l.fmt(t, r, "INFO", "warmed org-chart cache for 212 units"))]})

    sc.change(-2990, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              other, "j.park@corp-sso")
    sc.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "people-platform-ci")
    sc.alarm("org-sync-cron-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 600, 2, 0,
             "GreaterThanThreshold", "Directory sync failing")
    sc.alarm("org-chart-cache-warm-duration", "AWS/Lambda", "Duration", {"FunctionName": other}, "Maximum",
             900, 1, 60000, "GreaterThanThreshold")
    sc.expect = {"alarm": "org-sync-cron-errors",
                 "root_cause": {"category": "memory_exhaustion", "resource": [fn]},
                 "anomalies": [{"namespace": "LambdaInsights", "name": "memory_utilization", "dimensions": fd}]}
    meta(sc, category="memory_exhaustion", resources=[fn], front="origin",
         services="Lambda (Ruby cron, Lambda Insights memory)",
         decoys="config edit of a sibling cron 3 min before the first failing run; long-standing invalid-email "
                "ERROR lines; duration rise well below the timeout; sibling's old duration spike",
         story="From -47 min every run of the ten-minute directory sync dies with `Runtime exited "
               "with error: signal: killed` and REPORT `Max Memory Used: 1024 MB ... Error Type: "
               "Runtime.OutOfMemory`. Lambda Insights memory goes from ~60 % to 100 %. The parsed "
               "export jumps from ~33k to ~64k users as the acquired company's tenant enters the "
               "feed. Runs last 50-70 s against a 300 s timeout, so this is not a timeout. The "
               "function's last code deploy was 5.5 h earlier. The config edit three minutes before "
               "the first failure is to "
               "`org-chart-cache-warm`, which keeps running normally. The invalid-email ERROR lines "
               "are old.")
    return sc


BUILDERS = [build15, build16]
