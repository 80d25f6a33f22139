"""Scenarios 04 (partner usage-plan rate limit) and 13 (reserved concurrency eaten by a fan-out)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import (GRID, LambdaLogs, apigw_access, apigw_metrics, const, counts, emit, gauge,
                  lambda_metrics, lambda_run, share)


# ============================================================================ 04
def s04() -> Scenario:
    sc = Scenario(4, "partner-statements-pull", "Open-banking partners report failed statement "
                  "downloads on 30 June; API 4XX alarm.", "eu-central-1", 6004,
                  "2026-06-30T08:15:00+00:00")
    T0, TD = -1860, -1960
    api, fn = "partner-data-api", "partner-statements-fn"
    keys = {"agg": "q7x2kd81mf", "b1": "z3p0vh55ta", "b2": "m8c4rr02ye", "bad": "t1w9sn66bq"}
    sc.resource("apigateway", api, stage="v1", api_key_source="HEADER",
                usage_plan="partners-standard (rate 20 req/s, burst 40, per API key)")
    sc.resource("apigateway", "mobile-bff", stage="prod")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=29, memory_size=512)

    bulk = lambda t: ramp(t, T0 - 30, T0 + 60)
    base = counts(sc, lambda t: 600 * diurnal(sc, t, 9, 0.3))
    extra = counts(sc, lambda t: 2550 * bulk(t))
    throttled = [max(0.0, e - 1200.0) for e in extra]
    bad = share(sc, base, lambda t: 0.011)
    e4 = [b + th for b, th in zip(bad, throttled)]
    cnt = [b + e for b, e in zip(base, extra)]
    ok = [c - x for c, x in zip(cnt, e4)]
    apigw_metrics(sc, api, cnt, e4, share(sc, base, lambda t: 0.0006),
                  gauge(sc, lambda t: 205 - 40 * bulk(t), noise=0.08),
                  gauge(sc, lambda t: 188, noise=0.08))
    lambda_metrics(sc, fn, ok, share(sc, ok, lambda t: 0.0), gauge(sc, lambda t: 188, noise=0.08),
                   conc=counts(sc, lambda t: 2.5 + 5 * bulk(t)))
    m_cnt = counts(sc, lambda t: 1400 * diurnal(sc, t, 9, 0.35))
    apigw_metrics(sc, "mobile-bff", m_cnt, share(sc, m_cnt, lambda t: 0.02),
                  share(sc, m_cnt, lambda t: 0.0008 + bump(t, -6100, -5600, 0.01, 60)),
                  gauge(sc, lambda t: 96 + bump(t, -6100, -5600, 1400, 60), noise=0.08))

    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 29)

    def body(ll, t, rid, is_err, cold):
        lines = []
        if sc.rng.random() < 0.06:
            lines.append((0.01, ll.fmt(t, rid, "WARN", f"consent {sc.hexid(8)} references closed "
                                       "account, returning 404 to partner")))
        part = "agg-moneylens" if sc.rng.random() < 0.8 * bulk(t) else sc.rng.choice(
            ["bank-link-nl", "fintrack-de", "agg-moneylens"])
        d = max(40.0, sc.rng.gauss(188, 40))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"statements page served "
                      f"partner={part} account=****{sc.rng.randint(1000, 9999)} period=2026-06 "
                      f"page={sc.rng.randint(1, 30)} rows=500")))
        return {"lines": lines, "dur": d}
    lambda_run(ll, ok, [0.0] * len(GRID), body, cap=3)

    acc = f"/aws/apigateway/{api}/v1-access"

    def access(t):
        rid, b = sc.uuid(), bulk(t)
        r = sc.rng.random()
        if r < 0.5 * b:
            thr = sc.rng.random() < 0.52
            return apigw_access(sc, t, rid, "52.29.114.7", "GET", "/v1/accounts/{id}/statements",
                                429 if thr else 200, 41 if thr else 48211,
                                None if thr else sc.rng.randint(120, 300),
                                {"apiKeyId": keys["agg"], "responseType": "THROTTLED" if thr else "-",
                                 "errorMessage": "Too Many Requests" if thr else "-"})
        if r < 0.5 * b + 0.02:
            return apigw_access(sc, t, rid, "185.40.4.22", "GET", "/v1/accounts", 403, 42, None,
                                {"apiKeyId": keys["bad"], "responseType": "INVALID_API_KEY",
                                 "errorMessage": "Forbidden"})
        k = sc.rng.choice(["agg", "b1", "b2"])
        return apigw_access(sc, t, rid, sc.ip("3.120"), "GET", "/v1/accounts/{id}/statements",
                            200, sc.rng.randint(9000, 60000), sc.rng.randint(110, 320),
                            {"apiKeyId": keys[k], "responseType": "-", "errorMessage": "-"})
    emit(sc, acc, "v1", lambda t: 4 + 6 * bulk(t), access)

    sc.change(-14200, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "platform-terraform")
    sc.change(T0 - 420, "iam.amazonaws.com", "UpdateRole", "AWS::IAM::Role",
              "apigw-cloudwatch-logs", "AWSReservedSSO_AuditReadOnly_93c0aa71e2d4f1b8/f.weber")
    sc.change(TD, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment",
              "mobile-bff", "gitlab-runner-deploy")
    sc.change(TD + 12, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              "mobile-bff", "gitlab-runner-deploy")

    sc.alarm("mobile-bff-latency", "AWS/ApiGateway", "Latency", {"ApiName": "mobile-bff"},
             "Average", 60, 3, 800, "GreaterThanThreshold")
    sc.alarm(f"{api}-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 60, 3, 150,
             "GreaterThanThreshold", "Partner API client errors")
    sc.expect = {"alarm": f"{api}-4xx",
                 "root_cause": {"category": "throttling", "resource": [api]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "4XXError",
                                "dimensions": {"ApiName": api}}]}
    sc.meta = dict(
        front="origin",
        services="API Gateway (REST, usage plans, JSON access log), Lambda (Node.js)",
        decoys="mobile-bff deployment 100 s before onset; auditor UpdateRole 7 min before; old "
               "INVALID_API_KEY 403s; mobile-bff latency alarm from an earlier spike",
        story=(
            "`partner-data-api` serves statements to open-banking partners through a usage plan "
            "limited to 20 req/s per API key. At onset the aggregator key `q7x2kd81mf` starts its "
            "month-end bulk pull at ~40 req/s; the access log shows `status 429`, "
            "`responseType THROTTLED`, `Too Many Requests` for roughly half of that key's "
            "requests, and 4XXError jumps from ~7 to ~1,300 a minute. The backend Lambda is "
            "healthy (no errors, flat duration, it simply serves the admitted requests), and the "
            "other partners are unaffected. Decoys: `mobile-bff` is deployed 100 s before onset "
            "(its latency alarm is an older, recovered spike); an auditor session edits the API "
            "Gateway logging role 7 min before; a misconfigured partner has been getting "
            "INVALID_API_KEY 403s all morning."),
    )
    return sc


# ============================================================================ 13
def s13() -> Scenario:
    sc = Scenario(13, "merchant-settlement-api", "Merchant portal settlement pages return errors "
                  "at April close; API 5XX alarm.", "ap-southeast-1", 6013,
                  "2026-04-30T09:30:00+00:00")
    TF, T0, TD = -1800, -1740, -1765
    api, fn, fan = "merchant-settlement-api", "settlement-query", "eom-fanout"
    sc.resource("apigateway", api, stage="prod", integration=f"AWS_PROXY -> {fn}")
    sc.resource("apigateway", "merchant-portal-api", stage="prod")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=29, memory_size=1024,
                reserved_concurrency=25)
    sc.resource("lambda", fan, runtime="python3.12", timeout=900, memory_size=512,
                trigger="Step Functions eom-settlement (EventBridge cron(0 9 L * ? *))")

    busy = lambda t: ramp(t, TF, T0 + 30)
    api_req = counts(sc, lambda t: 300 * diurnal(sc, t, 8, 0.3))
    api_thr = share(sc, api_req, lambda t: 0.55 * busy(t))
    fan_ok = counts(sc, lambda t: 1380 * busy(t))
    fan_thr = counts(sc, lambda t: 2600 * busy(t))
    ok = [a - b + c for a, b, c in zip(api_req, api_thr, fan_ok)]
    thr = [b + c for b, c in zip(api_thr, fan_thr)]
    lambda_metrics(sc, fn, ok, const(0),
                   gauge(sc, lambda t: 880 + 60 * busy(t), noise=0.06), thr=thr,
                   conc=[min(25.0, v) for v in counts(sc, lambda t: 4.5 + 40 * busy(t))])
    e5 = [a + b for a, b in zip(api_thr, share(sc, api_req, lambda t: 0.0007))]
    apigw_metrics(sc, api, api_req, share(sc, api_req, lambda t: 0.025), e5,
                  gauge(sc, lambda t: 930 - 300 * busy(t), noise=0.07),
                  gauge(sc, lambda t: 905 - 300 * busy(t), noise=0.07))
    f_inv = counts(sc, lambda t: 0 if t < TF else 9)
    f_err = share(sc, f_inv, lambda t: 0.45)
    lambda_metrics(sc, fan, f_inv, f_err, [None if v == 0 else round(58000.0 + sc.rng.uniform(-9000, 9000), 2)
                                           for v in f_inv],
                   conc=[None if v == 0 else 9.0 for v in f_inv])
    p_cnt = counts(sc, lambda t: 900 * diurnal(sc, t, 8, 0.3))
    apigw_metrics(sc, "merchant-portal-api", p_cnt, share(sc, p_cnt, lambda t: 0.01),
                  share(sc, p_cnt, lambda t: 0.0005), gauge(sc, lambda t: 120, noise=0.1))

    ll = LambdaLogs(sc, fn, "nodejs20.x", 1024, 29, max_envs=25)

    def body(ll, t, rid, is_err, cold):
        lines = []
        m = f"M-{sc.rng.randint(100000, 999999)}"
        if sc.rng.random() < 0.08:
            lines.append((0.02, ll.fmt(t, rid, "WARN", f"merchant {m} has no settlements for "
                                       "period 2026-04, returning empty summary")))
        d = max(200.0, sc.rng.gauss(900, 180))
        src = "stepfunctions:eom-settlement" if sc.rng.random() < 0.8 * busy(t) else "apigateway"
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"settlement summary "
                      f"merchant={m} period=2026-04 rows={sc.rng.randint(10, 4000)} source={src}")))
        return {"lines": lines, "dur": d}
    lambda_run(ll, ok, [0.0] * len(GRID), body, cap=4)

    fl = LambdaLogs(sc, fan, "python3.12", 512, 900, prewarm=-10 ** 9)

    def fbody(ll, t, rid, is_err, cold):
        b = sc.rng.randint(1, 80)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"batch {b}/80 merchants=50 invoke={fn} "
                               "mode=RequestResponse max_workers=200"))]
        d = sc.rng.uniform(45000, 70000)
        if is_err:
            lines.append((d / 1000 - 0.1, f"[ERROR] TooManyRequestsException: An error occurred "
                          "(TooManyRequestsException) when calling the Invoke operation (reached max "
                          "retries: 4): Rate Exceeded.\nTraceback (most recent call last):\n  File "
                          "\"/var/task/fanout.py\", line 64, in handler\n    results = list(pool.map"
                          "(invoke_one, merchants))\n  File \"/var/task/fanout.py\", line 31, in "
                          "invoke_one\n    resp = lam.invoke(FunctionName=TARGET, Payload=body)"))
        else:
            lines.append((d / 1000 - 0.1, ll.fmt(t + d / 1000, rid, "INFO", f"batch {b}/80 done "
                          f"ok=50 retried_throttles={sc.rng.randint(60, 240)}")))
        return {"lines": lines, "dur": d}
    lambda_run(fl, f_inv, f_err, fbody, cap=3)

    exe = "API-Gateway-Execution-Logs_k2h7tq9c3e/prod"
    emit(sc, exe, "k2h7tq9c3e-prod", lambda t: 0.04, lambda t: (
        f"({sc.uuid()}) Execution failed due to a timeout error"))

    def throttled(t):
        rid = sc.uuid()
        return [f"({rid}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}",
                f"({rid}) Execution failed due to configuration error: Rate Exceeded."]
    emit(sc, exe, "k2h7tq9c3e-prod", lambda t: 6.0 * busy(t), throttled, start=TF)

    sc.change(-4830, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", f"{fn}-role",
              "AWSReservedSSO_AuditReadOnly_51e8c0b7a2d9f3c4/s.lim")
    sc.change(TD, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              "merchant-portal-api", "portal-release")

    sc.alarm(f"{fn}-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 60, 3,
             5000, "GreaterThanThreshold")
    sc.alarm(f"{fan}-errors", "AWS/Lambda", "Errors", {"FunctionName": fan}, "Sum", 300, 1, 0,
             "GreaterThanThreshold")
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Merchant settlement API server errors")
    sc.expect = {"alarm": f"{api}-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        front="front (API Gateway → Lambda)",
        services="API Gateway (REST, execution log), Lambda (Node.js, Python), Step Functions",
        decoys="eom-fanout errors alarm (a victim, not the limit); merchant-portal-api stage update "
               "25 s before onset; auditor PutRolePolicy on the function's role 50 min earlier",
        story=(
            "`merchant-settlement-api` proxies to `settlement-query`, a Node.js Lambda with "
            "reserved concurrency 25. At 09:00 the month-end Step Functions run starts "
            "`eom-fanout`, whose batches call `settlement-query` synchronously with 200 workers. "
            "ConcurrentExecutions pins at 25, Throttles jump to thousands a minute, and the API's "
            "execution log shows `Lambda invocation failed with status: 429` / `Execution "
            "failed due to configuration error: Rate Exceeded` for about half of the merchants' "
            "requests, so 5XXError rises. The function's own duration and errors are normal. "
            "Decoys: `eom-fanout`'s errors alarm fires because its Invoke calls get "
            "`TooManyRequestsException` (a second victim of the same limit); "
            "`merchant-portal-api` gets a stage update 25 s before onset; an auditor session "
            "put an inline policy on the function's role 50 minutes earlier with no AccessDenied "
            "anywhere."),
    )
    return sc
