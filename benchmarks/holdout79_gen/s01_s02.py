"""h79-01 (session service image rollout behind the shared ALB) and h79-02 (feature-flag
evaluator losing an environment variable in a hand edit)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, bump, diurnal, ramp, step
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pino

from .kit import (LOG_START, apigw_access, binom, cron_grid, ecs_dims, lambda_set, meta, new, put,
                  run_lambda, task_id, ticks)


# --------------------------------------------------------------------------- h79-01
def build01():
    sc = new(1, "edge-target-5xx", "Internal edge load balancer returning 5xx to several "
             "teams' frontends; target 5XX alarm paged platform on-call.", "eu-west-1",
             "2026-04-14T15:37:00+00:00")
    lb = "app/int-edge-a/7c1e0a9b3f2d4e65"
    cl = "plat-shared"
    sc.resource("alb", lb, name="int-edge-a", scheme="internal",
                target_groups=["tg-sessiond-8080", "tg-prefs-api-3000"])
    sc.resource("ecs", f"{cl}/sessiond", launch_type="FARGATE", desired_count=4,
                task_definition="sessiond:42", cpu=512, memory=1024, log_group="/ecs/sessiond")
    sc.resource("ecs", f"{cl}/prefs-api", launch_type="FARGATE", desired_count=2,
                task_definition="prefs-api:117", cpu=256, memory=512, log_group="/ecs/prefs-api")
    sc.resource("lambda", "flag-sync-cron", runtime="python3.12", timeout=60, memory_size=256,
                schedule="rate(5 minutes)")
    dep, up, onset = -2950, -2935, -2790
    bad = lambda t: 0.17 * ramp(t, onset, onset + 180)
    req = put(sc, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}, "Count",
              lambda t: 780 * diurnal(sc, t, 13.5, 0.3), integer=True)
    frac = lambda t: 0.0007 + bad(t) * 0.78  # sessiond is 78 % of the edge's traffic
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Count",
              binom(sc, req, frac))
    put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Count",
        lambda t: 0.05 + bump(t, up + 60, up + 240, 1.5, 60), integer=True)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Seconds",
        lambda t: 0.048 - 0.006 * ramp(t, onset, onset + 180), noise=0.08, digits=4)
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": lb}, "Count",
        lambda t: 6 + 4 * (up + 110 <= t < up + 300), noise=0.0)
    put(sc, "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb}, "Count",
        lambda t: 0.0, noise=0.0)
    d1, d2 = ecs_dims(cl, "sessiond"), ecs_dims(cl, "prefs-api")
    put(sc, "AWS/ECS", "CPUUtilization", d1, "Percent",
        lambda t: 24 * diurnal(sc, t, 13.5, 0.3) + bump(t, up + 100, up + 280, 14, 40), noise=0.08)
    put(sc, "AWS/ECS", "MemoryUtilization", d1, "Percent",
        lambda t: step(t, up + 200, 38.0, 41.5, 120), noise=0.02)
    put(sc, "AWS/ECS", "CPUUtilization", d2, "Percent",
        lambda t: 18 + bump(t, -4300, -3700, 52, 120), noise=0.08)
    put(sc, "AWS/ECS", "MemoryUtilization", d2, "Percent", lambda t: 55.0, noise=0.02)
    runs = cron_grid(5, 2)
    inv = [1.0 if t in runs else None for t in GRID]
    lambda_set(sc, "flag-sync-cron", inv, [0.0 if v else None for v in inv],
               [sc.rng.gauss(2100, 250) if v else None for v in inv])

    # ---- sessiond task logs (pino JSON); four old tasks, four new ones after the rollout
    old = [(task_id(sc), f"ip-10-40-{sc.rng.randint(8, 40)}-{sc.rng.randint(5, 250)}") for _ in range(4)]
    new_ = [(task_id(sc), f"ip-10-40-{sc.rng.randint(8, 40)}-{sc.rng.randint(5, 250)}") for _ in range(4)]
    starts = [up + 95 + 20 * i for i in range(4)]
    stops = [up + 250 + 25 * i for i in range(4)]
    paths = ["/v2/session/refresh", "/v2/session/introspect", "/v2/session", "/v2/session/refresh"]

    def slog(tid, t, text):
        sc.log("/ecs/sessiond", f"sessiond/sessiond/{tid}", t, text)

    for i, (tid, host) in enumerate(old + new_):
        is_new = i >= 4
        t0 = starts[i - 4] if is_new else LOG_START
        t1 = 0.0 if is_new else stops[i]
        ver = "2.19.0" if is_new else "2.18.3"
        if is_new:
            slog(tid, t0, pino(sc, t0, "info", f"sessiond v{ver} starting", host, node="v20.12.2",
                               rev="sessiond:42"))
            slog(tid, t0 + 1.4, pino(sc, t0 + 1.4, "info", "Server listening at http://0.0.0.0:8080", host))
        for t in ticks(sc, lambda m: 3.2, t0 + 5, t1):
            p = sc.rng.choice(paths)
            fail = is_new and p == "/v2/session/refresh" and sc.rng.random() < 0.6 * bad(t) / 0.17
            rid = f"req-{sc.rng.randint(10 ** 5, 10 ** 6 - 1):x}"
            if fail:
                slog(tid, t, pino(sc, t, "error", "request errored", host, reqId=rid,
                                  req={"method": "POST", "url": p},
                                  err={"type": "TypeError",
                                       "message": "Cannot read properties of undefined (reading 'orgUnit')",
                                       "stack": "TypeError: Cannot read properties of undefined (reading "
                                                "'orgUnit')\n    at buildClaims (/app/dist/claims/build.js:88:41)"
                                                "\n    at refreshSession (/app/dist/routes/refresh.js:52:19)"}))
                slog(tid, t + 0.002, pino(sc, t + 0.002, "info", "request completed", host, reqId=rid,
                                          res={"statusCode": 500}, responseTime=round(sc.rng.uniform(3, 9), 2)))
            else:
                slog(tid, t, pino(sc, t, "info", "request completed", host, reqId=rid,
                                  req={"method": "POST" if "refresh" in p else "GET", "url": p},
                                  res={"statusCode": 200}, responseTime=round(sc.rng.lognormvariate(3.6, 0.4), 2)))
        for t in ticks(sc, lambda m: 0.035, t0 + 5, t1):  # long-standing IdP keyset warning
            slog(tid, t, pino(sc, t, "warn", "jwks refresh failed; serving cached keyset", host,
                              err={"type": "FetchError", "message": "request to https://idp.corp.internal/"
                                   ".well-known/jwks.json failed, reason: connect ETIMEDOUT 10.40.2.17:443"}))
        if not is_new:
            slog(tid, t1, pino(sc, t1, "info", "SIGTERM received, draining connections", host))
    ptid = task_id(sc)
    for t in ticks(sc, lambda m: 1.5):
        p = sc.rng.choice(["/prefs/v1/user", "/prefs/v1/team", "/prefs/v1/user/theme"])
        st = 404 if sc.rng.random() < 0.2 else 200
        sc.log("/ecs/prefs-api", f"prefs-api/app/{ptid}", t,
               pino(sc, t, "warn" if st == 404 else "info", "request completed", "ip-10-40-9-31",
                    req={"method": "GET", "url": p}, res={"statusCode": st}))
    ll = LambdaLogs(sc, "flag-sync-cron", "python3.12", 256, 60, mem_used=(92, 4),
                    retire=(-2760,))
    run_lambda(sc, ll, inv, [0.0 if v else None for v in inv], lambda l, t, r, e, c: {
        "dur": sc.rng.gauss(2100, 250), "lines": [(0.01, l.fmt(t, r, "INFO", "syncing 212 flags from launch-control")),
                                                   (1.9, l.fmt(t + 1.9, r, "INFO", "flag sync complete: 0 changed"))]})

    sc.change(dep, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "sessiond:42", "gha-deploy-platform")
    sc.change(up, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/sessiond",
              "gha-deploy-platform")
    sc.change(-2760, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "flag-sync-cron", "a.lindqvist@corp-sso")
    sc.change(-9600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/prefs-api",
              "gha-deploy-platform")
    sc.alarm("int-edge-a-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 25, "GreaterThanThreshold",
             "Shared internal edge: target 5xx above 25/min")
    sc.alarm("prefs-api-cpu-high", "AWS/ECS", "CPUUtilization", d2, "Average", 300, 2, 60,
             "GreaterThanThreshold")
    sc.alarm("sessiond-cpu-high", "AWS/ECS", "CPUUtilization", d1, "Average", 300, 3, 75,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "int-edge-a-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cl}/sessiond", "sessiond"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    meta(sc, category="bad_deployment", resources=[f"{cl}/sessiond", "sessiond"],
         front="front (ALB)", services="ALB, ECS (Node/pino JSON), Lambda (Python)",
         decoys="Lambda config edit 3 min after the rollout, right at the visible onset; long-standing jwks ETIMEDOUT warnings; "
                "prefs-api CPU bump and its own deploy earlier",
         story="The shared edge ALB's target 5xx go from ~0.5/min to ~130/min at about -46 min. "
               "Three minutes earlier CI registered `sessiond:42` and updated the service; the new "
               "tasks log `sessiond v2.19.0 starting`, the old v2.18.3 tasks drain, and from then on "
               "only the new tasks log `TypeError: Cannot read properties of undefined (reading "
               "'orgUnit')` on `/v2/session/refresh`. A human edited `flag-sync-cron`'s configuration "
               "in the minute the errors became visible, nearer the onset than the rollout, but that function keeps running cleanly and serves no "
               "edge traffic. The jwks ETIMEDOUT warnings come at the same rate for the whole three "
               "hours. A new error signature that only the new image logs makes this a bad deployment.")
    return sc


# --------------------------------------------------------------------------- h79-02
def build02():
    sc = new(2, "flags-api-5xx", "Feature-flag API returning 500s to every team's services; "
             "API Gateway 5XXError alarm.", "us-west-2", "2026-05-06T17:48:00+00:00")
    api, fn, other = "featureflags-api", "flags-eval", "notify-digest-cron"
    sc.resource("apigateway", api, stage="prod", endpoint_type="PRIVATE")
    sc.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=512,
                environment_keys=["LOG_LEVEL", "FLAGS_CACHE_SECONDS", "POWERTOOLS_SERVICE_NAME"])
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=120, memory_size=256,
                schedule="rate(10 minutes)")
    cfg, onset = -3020, -3015
    fail = lambda t: 0.86 * (t >= onset)
    cnt = put(sc, "AWS/ApiGateway", "Count", {"ApiName": api}, "Count",
              lambda t: 17 * diurnal(sc, t, 17.0, 0.2), integer=True)
    err = binom(sc, cnt, fail)
    e4 = binom(sc, cnt, lambda t: 0.03)
    sc.metric("AWS/ApiGateway", "5XXError", {"ApiName": api}, "Count",
              [a + (1.0 if sc.rng.random() < 0.01 else 0.0) for a in err])
    sc.metric("AWS/ApiGateway", "4XXError", {"ApiName": api}, "Count", e4)
    put(sc, "AWS/ApiGateway", "Latency", {"ApiName": api}, "Milliseconds",
        lambda t: 46 - 18 * (t >= onset), noise=0.15)
    inv = [c - a for c, a in zip(cnt, e4)]
    lerr = [min(i, e) for i, e in zip(inv, err)]
    dur = sc.series(lambda t: 28 - 19 * (t >= onset), noise=0.2)
    lambda_set(sc, fn, inv, lerr, dur, conc=sc.series(lambda t: 1.2, noise=0.3, digits=0))
    runs = cron_grid(10, 4)
    oinv = [1.0 if t in runs else None for t in GRID]
    lambda_set(sc, other, oinv, [0.0 if v else None for v in oinv],
               [sc.rng.gauss(14200, 1800) if v else None for v in oinv])

    flags = ["billing.invoice-v2", "search.semantic", "onboarding.sso-jit", "notify.batch-digest",
             "people.org-chart-v3"]

    def body(ll, t, r, is_err, cold):
        lines = []
        if t >= cfg:
            lines.append((0.001, ll.fmt(t, r, "DEBUG", "event received: GET /v1/evaluate")))
        if sc.rng.random() < 0.05:
            lines.append((0.004, ll.fmt(t, r, "WARNING", "unknown flag key 'checkout.v3.enabled' "
                                        "requested by client 'web-legacy'; returning default")))
        if is_err:
            tb = ("[ERROR] KeyError: 'FLAGS_TABLE'\nTraceback (most recent call last):\n"
                  '  File "/var/task/flags/handler.py", line 57, in lambda_handler\n'
                  "    store = FlagStore(os.environ[\"FLAGS_TABLE\"], ttl=_ttl())\n"
                  '  File "<frozen os>", line 679, in __getitem__\n'
                  "KeyError: 'FLAGS_TABLE'")
            lines.append((0.006, tb))
            return {"dur": sc.rng.uniform(5, 12), "lines": lines, "status": "error",
                    "error_type": "KeyError"}
        key = sc.rng.choice(flags)
        lines.append((0.02, ll.fmt(t, r, "INFO", f"evaluated {key} for tenant t-{sc.rng.randint(100, 999)}")))
        return {"dur": sc.rng.gauss(28, 6) if t < onset else sc.rng.gauss(12, 3), "lines": lines}

    ll = LambdaLogs(sc, fn, "python3.12", 512, 10, mem_used=(88, 3),
                    epochs=((-10 ** 9, "$LATEST"),), retire=(-14400, cfg))
    run_lambda(sc, ll, inv, lerr, body)
    lo = LambdaLogs(sc, other, "nodejs20.x", 256, 120, mem_used=(141, 6), retire=(-2890,))
    run_lambda(sc, lo, oinv, [0.0 if v else None for v in oinv], lambda l, t, r, e, c: {
        "dur": sc.rng.gauss(14200, 1800),
        "lines": [(0.02, l.fmt(t, r, "INFO", f"digest window closed: {sc.rng.randint(40, 90)} teams queued")),
                  (13.0, l.fmt(t + 13, r, "INFO", "digest batch handed to notify-relay"))]})
    gid = "q7k2x9w1ce"
    for t in ticks(sc, lambda m: 1.4):
        bad_ = t >= onset and sc.rng.random() < 0.86
        sc.log(f"API-Gateway-Access-Logs_{gid}/prod", f"{gid}-prod", t,
               apigw_access(sc, t, sc.ip("10.60"), "GET", "/v1/evaluate", 500 if bad_ else 200,
                            int(sc.rng.gauss(30, 6)) if bad_ else int(sc.rng.gauss(46, 9)),
                            int(sc.rng.gauss(20, 5)) if bad_ else int(sc.rng.gauss(36, 8)),
                            err="Internal server error" if bad_ else "-"))

    sc.change(-14400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "ci-flags-pipeline")
    sc.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "m.ferreira@corp-sso")
    sc.change(-2890, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              other, "ci-notifications")
    sc.change(-2880, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              other, "ci-notifications")
    sc.alarm("featureflags-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3,
             3, "GreaterThanThreshold", "Flag API 5xx (consumers fall back to defaults)")
    sc.alarm("flags-eval-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    sc.alarm("notify-digest-cron-duration", "AWS/Lambda", "Duration", {"FunctionName": other},
             "Maximum", 600, 1, 90000, "GreaterThanThreshold")
    sc.expect = {"alarm": "featureflags-api-5xx",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    meta(sc, category="config_change", resources=[fn], front="front (API Gateway)",
         services="API Gateway (JSON access log), Lambda (Python, Node)",
         decoys="code deploy to another cron Lambda 2 min after onset; a code deploy of the origin 4 h "
                "earlier; long-standing unknown-flag warnings; a second alarm on the origin",
         story="The flag API's 5xx go from almost none to about 15/min at -50 min. One minute "
               "before, an engineer signed in through SSO edited `flags-eval`'s configuration "
               "(`UpdateFunctionConfiguration`). Its new environments log DEBUG lines (LOG_LEVEL "
               "was turned up) and fail in the handler with `KeyError: 'FLAGS_TABLE'` from "
               "`os.environ[...]`. The edit replaced the whole environment map and dropped the "
               "table name. The same function's code deploy 4 h earlier ran cleanly for hours, and "
               "the `notify-digest-cron` deploy comes two minutes after the onset on a function "
               "that is not in the request path. An error that names a missing setting, right "
               "after a configuration change, makes this config_change.")
    return sc


BUILDERS = [build01, build02]
