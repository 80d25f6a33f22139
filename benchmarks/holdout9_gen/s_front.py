"""Scenarios alarmed on an API Gateway in front of Lambda functions."""
from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from .common import LOG_START, N, T, Ctx, apigw_metrics, lambda_metrics
from .logfmt import lambda_log, pg, plan_counts, py, times_in


def _count(plan, *kinds):
    return np.array([sum(1 for k in plan[m] if k in kinds) for m in range(N)], dtype=float)


def _access(ctx, t, rid, method, path, status, length, integ_ms, ip=None):
    return json.dumps({"requestId": rid, "ip": ip or f"{int(ctx.rng.integers(24, 199))}.{int(ctx.rng.integers(0, 255))}."
                       f"{int(ctx.rng.integers(0, 255))}.{int(ctx.rng.integers(1, 254))}",
                       "requestTime": ctx.wall(t).strftime("%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": method,
                       "resourcePath": path, "status": str(status), "protocol": "HTTP/1.1",
                       "responseLength": str(length), "integrationLatency": str(int(integ_ms))}, separators=(",", ":"))


def h04_carrier_timeouts():
    ctx = Ctx(904, "h9-04-shipping-carrier-timeouts", "ca-central-1", datetime(2026, 6, 23, 16, 10))
    onset = -2700
    ctx.resource("apigateway", "shipping-api")
    ctx.resource("lambda", "shipping-rates", runtime="python3.12")
    ctx.resource("rds", "shipping-db")
    base = ctx.drift(12, 0.15)
    r = ctx.ramp(onset, onset + 240)
    plan = plan_counts(ctx, ok=base * (1 - 0.4 * r), cache_warn=np.full(N, 0.5), bad_postal=np.full(N, 0.6),
                       c_timeout=base * 0.3 * r, c_503=base * 0.14 * r + 0.005)
    host = "api.northpost-logistics.com"
    dbhost = "shipping-db.c7rhq2kx9m1z.ca-central-1.rds.amazonaws.com"
    api_lines = []

    def render(kind, rid, t):
        o, d_ = f"M{int(ctx.rng.integers(1, 9))}V {int(ctx.rng.integers(1, 9))}T{int(ctx.rng.integers(1, 9))}", \
            f"H{int(ctx.rng.integers(1, 9))}B {int(ctx.rng.integers(1, 9))}W{int(ctx.rng.integers(1, 9))}"
        lines = [(0.005, py("INFO", ctx, t, rid, f"Quote request origin={o} dest={d_} parcels={int(ctx.rng.integers(1, 5))} service=expedited"))]
        if ctx.rng.random() < 0.3:
            lines.append((0.01, py("INFO", ctx, t, rid, f"Loaded zone table from {dbhost} in {int(ctx.rng.integers(2, 9))} ms")))
        status, dur = 200, None
        if kind == "bad_postal":
            lines.append((0.02, py("WARNING", ctx, t, rid, f"Rejecting quote: invalid postal code '{o[:3]}'")))
            status, dur = 400, ctx.rng.uniform(15, 40)
        elif kind == "c_timeout":
            dur = 8000 + ctx.rng.uniform(40, 300)
            lines.append((8.02, "[ERROR]\t" + ctx.iso(t + 8.02) + f"\t{rid}\tCarrier rate lookup failed carrier=northpost\n"
                          "Traceback (most recent call last):\n  File \"/var/task/rates/carriers.py\", line 71, in quote\n"
                          "    resp = session.post(RATES_URL, json=payload, timeout=(3.05, 8))\n"
                          "  File \"/var/task/requests/adapters.py\", line 713, in send\n    raise ReadTimeout(e, request=request)\n"
                          f"requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='{host}', port=443): Read timed out. (read timeout=8)"))
            status = 502
        elif kind == "c_503":
            dur = ctx.rng.uniform(120, 400)
            lines.append((dur / 1000 - 0.01, "[ERROR]\t" + ctx.iso(t) + f"\t{rid}\tCarrier rate lookup failed carrier=northpost\n"
                          "Traceback (most recent call last):\n  File \"/var/task/rates/carriers.py\", line 74, in quote\n"
                          "    resp.raise_for_status()\n  File \"/var/task/requests/models.py\", line 1021, in raise_for_status\n"
                          "    raise HTTPError(http_error_msg, response=self)\n"
                          f"requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: https://{host}/v2/rates"))
            status = 502
        else:
            if kind == "cache_warn":
                lines.append((0.3, py("WARNING", ctx, t, rid, "rate-cache unavailable, continuing without cache: Timeout reading from socket "
                                                             "(shipping-cache.x8k2pq.0001.cac1.cache.amazonaws.com:6379)")))
            call = ctx.rng.uniform(180, 520)
            dur = call + ctx.rng.uniform(30, 90)
            lines.append((call / 1000, py("INFO", ctx, t, rid, f"POST https://{host}/v2/rates -> 200 in {int(call)} ms")))
            lines.append((dur / 1000 - 0.005, py("INFO", ctx, t, rid, f"Returning {int(ctx.rng.integers(2, 6))} rate options")))
        if status == 502:
            lines.append((dur / 1000 - 0.002, py("INFO", ctx, t, rid, "Returning 502 to caller")))
        api_lines.append((t + dur / 1000 + 0.02, _access(ctx, t, ctx.uid(), "POST", "/v1/quotes", status,
                                                          {200: 812, 400: 58, 502: 61}[status], dur + 11)))
        return {"lines": lines, "dur": dur, "mem": int(ctx.rng.integers(118, 140))}

    inv, err, dur = lambda_log(ctx, "shipping-rates", "python3.12", 512, plan, render, 30)
    lambda_metrics(ctx, "shipping-rates", inv, err, dur)
    for t in np.arange(LOG_START, 0, 60.0) + 3.1:   # route53 health checks through the API
        api_lines.append((t, _access(ctx, t, ctx.uid(), "GET", "/v1/health", 200, 15, 4, ip="15.177.6.65")))
    ctx.log("/aws/apigateway/shipping-api/prod/access", ctx.hexid(32), api_lines)
    health = np.full(N, 1.0)
    fails = _count(plan, "c_timeout", "c_503")
    lat = (dur * inv + 14 * health) / (inv + health) + ctx.noise(12, 2)
    apigw_metrics(ctx, "shipping-api", inv + health, _count(plan, "bad_postal"), fails, lat, integ=lat - 10)

    # database: healthy, busy, with a vacuum-driven CPU bump just before onset
    cpu = ctx.noise(ctx.drift(24, 0.15), 2.5) + 38 * np.exp(-((T + 2950) / 200.0) ** 2)
    conns = ctx.noise(172, 3)
    rds_db(ctx, "shipping-db", cpu, conns)
    pglines = [(t, pg(ctx, t, f"LOG:  checkpoint complete: wrote {int(ctx.rng.integers(900, 4000))} buffers ({ctx.rng.uniform(0.5, 3):.1f}%); "
                                 f"0 WAL file(s) added, 0 removed, 1 recycled; write={ctx.rng.uniform(20, 90):.3f} s, sync=0.004 s, "
                                 f"total={ctx.rng.uniform(20, 90):.3f} s", pid=411)) for t in np.arange(-21590, 0, 300.0)]
    pglines.append((-2770, pg(ctx, -2770, 'LOG:  automatic vacuum of table "shipping.public.rate_quotes": index scans: 1\n'
                                          "\tpages: 0 removed, 412311 remain, 198233 scanned (48.08% of total)\n"
                                          "\ttuples: 2311094 removed, 9123311 remain, 0 are dead but not yet removable\n"
                                          "\tsystem usage: CPU: user: 311.21 s, system: 9.02 s, elapsed: 402.87 s", pid=28811)))
    for t in times_in(ctx, np.full(N, 0.08), START_ALL):
        pglines.append((t, pg(ctx, t, "LOG:  could not receive data from client: Connection reset by peer",
                              client=f"{ctx.ip('10.20')}({int(ctx.rng.integers(40000, 60000))})", user_db="shipping_app@shipping")))
    ctx.log("/aws/rds/instance/shipping-db/postgresql", "shipping-db.0", pglines)
    ctx.change(-5400, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "shipping-api", "sam-deployer")
    ctx.alarm("shipping-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "shipping-api"}, "Sum", 300, 1, 10,
              description="Shipping API server errors")
    accepted = ["shipping-rates", host]
    data = ctx.build("Checkout shows 'shipping options unavailable' for many carts; shipping-api 5XX alarm.",
                     {"alarm": "shipping-api-5xx", "root_cause": {"category": "dependency_failure", "resource": accepted},
                      "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": "shipping-api"}}]})
    meta = dict(alarm="shipping-api-5xx", category="dependency_failure", resources=accepted,
                decoys="autovacuum CPU bump on shipping-db 10 min before onset (DB busy but healthy, ~170 steady connections); "
                       "steady redis cache timeouts; API CreateDeployment 90 min earlier; Lambda Errors stay 0 (errors are handled)",
                story="The external carrier rating API (api.northpost-logistics.com, not in the account) started timing out "
                      "(8 s read timeout) and returning 503s. shipping-rates catches the exception, logs it and returns 502, so "
                      "Lambda Errors stay flat while API Gateway 5XXError and Duration rise. The only link from the API to the "
                      "function and the database is in log lines.")
    return data, meta


START_ALL = -21600


def rds_db(ctx, db, cpu, conns, storage_gb=200, used_gb=61.0, read=0.0012, write=0.0021, mem_gb=5.1):
    from .common import rds_metrics
    rds_metrics(ctx, db, cpu, conns, ctx.noise((storage_gb - used_gb) * 1e9, 4e7), ctx.noise(read, read * 0.18),
                ctx.noise(write, write * 0.18), ctx.noise(mem_gb * 1e9, 6e7))


def h13_report_timeouts():
    ctx = Ctx(913, "h9-13-report-builder-timeouts", "us-east-1", datetime(2026, 3, 31, 15, 25))
    onset = -2400
    ctx.resource("apigateway", "reports-api")
    ctx.resource("lambda", "report-builder", runtime="python3.12", timeout=25, memory_size=1024)
    ctx.resource("lambda", "report-scheduler", runtime="python3.12", timeout=60, memory_size=256,
                 environment={"SCHEDULE_TABLE": "report-schedules", "MAX_PARALLEL": "4"})
    a = ctx.after(onset)
    base = ctx.drift(9, 0.15)
    plan = plan_counts(ctx, small=np.where(a, base - 3.5, base), big=np.where(a, 2.2, 0.7), slow=np.where(a, 2.6, 0.004), s3warn=np.full(N, 0.8))
    api_id = "r7u2k9d4wq"
    exec_lines = []

    def render(kind, rid, t):
        rpt = f"rpt_{ctx.hexid(10)}"
        typ = "quarterly_revenue" if kind in ("big", "slow") else str(ctx.rng.choice(["daily_sales", "inventory_snapshot", "weekly_returns"]))
        lines = [(0.01, py("INFO", ctx, t, rid, f"Building report id={rpt} type={typ} tenant=t-{int(ctx.rng.integers(1000, 1400))}"))]
        if kind == "s3warn":
            lines.append((0.3, py("WARNING", ctx, t, rid, f"Slow S3 read {ctx.rng.uniform(1.5, 2.6):.1f}s for s3://acme-reports-lake/fact_orders/part-{int(ctx.rng.integers(0, 999)):05d}.parquet")))
        if kind in ("small", "s3warn"):
            d = ctx.rng.uniform(700, 3200)
        elif kind == "big":
            d = ctx.rng.uniform(9000, 21000)
        else:
            d = 25000
        rows = 0
        for s in np.arange(5.0, d / 1000 - 0.2, 5.0):
            rows += int(ctx.rng.integers(90000, 160000))
            lines.append((s, py("INFO", ctx, t + s, rid, f"report {rpt}: scanned {rows} rows")))
        if kind == "slow":
            gw = ctx.uid()
            exec_lines.append((t + 25.05, f"({gw}) Lambda execution failed with status 200 due to customer function error: "
                                          f"{ctx.iso(t + 25)} {rid} Task timed out after 25.00 seconds. Lambda request id: {rid}"))
            exec_lines.append((t + 25.06, f"({gw}) Method completed with status: 502"))
            return {"lines": lines, "end": "timeout", "dur": d, "mem": int(ctx.rng.integers(380, 520))}
        lines.append((d / 1000 - 0.01, py("INFO", ctx, t + d / 1000, rid, f"Report {rpt} written to s3://acme-reports-out/{rpt}.csv in {d / 1000:.1f} s")))
        return {"lines": lines, "dur": d, "mem": int(ctx.rng.integers(260, 460))}

    inv, err, dur = lambda_log(ctx, "report-builder", "python3.12", 1024, plan, render, 25)
    conc = np.ceil(inv * dur / 60000 + ctx.rng.normal(0, 0.3, N))
    lambda_metrics(ctx, "report-builder", inv, err, dur, conc=np.maximum(conc, (inv > 0) * 1.0))
    ctx.log(f"API-Gateway-Execution-Logs_{api_id}/prod", ctx.hexid(32), exec_lines)
    unauth = ctx.poisson(np.full(N, 0.5))
    apigw_metrics(ctx, "reports-api", inv + unauth, unauth, err, (dur * inv + 6 * unauth) / np.maximum(inv + unauth, 1) + 15)

    splan = plan_counts(ctx, ok=np.full(N, 1.0))

    def sched(kind, rid, t):
        d = ctx.rng.uniform(400, 900)
        return {"lines": [(0.02, py("INFO", ctx, t, rid, f"Scanning report-schedules: {int(ctx.rng.integers(0, 4))} due")),
                          (d / 1000 - 0.01, py("INFO", ctx, t, rid, "Enqueued due reports"))], "dur": d, "mem": 81}

    sinv, serr, sdur = lambda_log(ctx, "report-scheduler", "python3.12", 256, splan, sched, 60, new_streams=[-2870],
                                  streams_at_start=1)
    lambda_metrics(ctx, "report-scheduler", sinv, serr, sdur)
    ctx.change(-2880, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "report-scheduler", "m.okafor")
    ctx.change(-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "report-builder",
               "ci-reports")
    ctx.alarm("reports-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "reports-api"}, "Sum", 300, 2, 5)
    data = ctx.build("Finance users get 'Internal server error' when running reports; reports-api 5XX alarm.",
                     {"alarm": "reports-api-5xx",
                      "root_cause": {"category": "function_timeout", "resource": ["report-builder"]},
                      "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": "report-builder"}}]})
    meta = dict(alarm="reports-api-5xx", category="function_timeout", resources=["report-builder"],
                decoys="UpdateFunctionConfiguration on sibling report-scheduler 8 min before onset; report-builder code "
                       "deploy 4.5 h earlier; steady 'Slow S3 read' warnings; steady 401s",
                story="Quarter-end: finance users run quarterly revenue reports that scan millions of rows. report-builder "
                      "(timeout 25 s, below API Gateway's 29 s) hits its timeout on ~20% of requests ('Task timed out after "
                      "25.00 seconds'); API Gateway returns 502. No dependency errors, no relevant change.")
    return data, meta


def h18_auth_import_error():
    ctx = Ctx(918, "h9-18-user-auth-bad-package", "us-east-1", datetime(2026, 7, 14, 10, 5))
    deploy = -1500
    ctx.resource("apigateway", "auth-api")
    ctx.resource("lambda", "user-auth", runtime="python3.12")
    ctx.resource("lambda", "user-avatar", runtime="python3.12")
    live = deploy + 32
    a = ctx.after(live)
    base = ctx.drift(18, 0.2)
    plan = plan_counts(ctx, ok=np.where(a, 0, base), badcreds=np.where(a, 0, 0.9), broken=np.where(a, base + 0.9, 0))
    api_id = "p8w2n4r7ze"
    exec_lines = []

    def render(kind, rid, t):
        if t >= live:  # every environment of version 42 fails at INIT
            kind = "broken"
        if kind == "broken":
            gw = ctx.uid()
            exec_lines.append((t + 0.15, f"({gw}) Lambda execution failed with status 200 due to customer function error: "
                                         f"Unable to import module 'app': No module named 'jwt'. Lambda request id: {rid}"))
            exec_lines.append((t + 0.16, f"({gw}) Method completed with status: 502"))
            return {"init_error": "[ERROR] Runtime.ImportModuleError: Unable to import module 'app': No module named 'jwt'\n"
                                  "Traceback (most recent call last):", "init_type": "Runtime.ImportModuleError",
                    "lines": [], "dur": ctx.rng.uniform(60, 110), "mem": 41, "error": True}
        u = f"u_{ctx.hexid(8)}"
        path = str(ctx.rng.choice(["/oauth/token", "/oauth/token", "/oauth/refresh"]))
        if kind == "badcreds":
            return {"lines": [(0.02, py("INFO", ctx, t, rid, f"POST {path} client=web-spa")),
                              (0.09, py("WARNING", ctx, t, rid, f"Invalid credentials for {u}; returning 401"))],
                    "dur": ctx.rng.uniform(90, 140), "mem": 78}
        d = ctx.rng.uniform(60, 190)
        return {"lines": [(0.02, py("INFO", ctx, t, rid, f"POST {path} client={ctx.rng.choice(['web-spa', 'ios', 'android'])}")),
                          (d / 1000 - 0.01, py("INFO", ctx, t, rid, f"Issued access token for {u} exp=3600"))],
                "dur": d, "mem": int(ctx.rng.integers(74, 86))}

    inv, err, dur = lambda_log(ctx, "user-auth", "python3.12", 256, plan, render, 10, version0="41",
                               new_streams=[(live, "42")])
    lambda_metrics(ctx, "user-auth", inv, err, dur)

    aplan = plan_counts(ctx, ok=ctx.drift(7, 0.2), badimg=np.full(N, 0.5))

    def avatar(kind, rid, t):
        key = f"avatars/{ctx.hexid(12)}"
        if kind == "badimg":
            return {"lines": [(0.02, py("INFO", ctx, t, rid, f"PUT /me/avatar key={key}")),
                              (0.2, py("ERROR", ctx, t, rid, f"Rejecting upload {key}: PIL.UnidentifiedImageError: cannot identify "
                                                             f"image file <_io.BytesIO object at 0x7f{ctx.hexid(10)}>"))],
                    "dur": ctx.rng.uniform(200, 300), "mem": 120}
        d = ctx.rng.uniform(300, 700)
        return {"lines": [(0.02, py("INFO", ctx, t, rid, f"PUT /me/avatar key={key}")),
                          (d / 1000 - 0.01, py("INFO", ctx, t, rid, f"Stored {key} 3 sizes"))], "dur": d, "mem": 131}

    ainv, aerr, adur = lambda_log(ctx, "user-avatar", "python3.12", 512, aplan, avatar, 15, version0="17",
                                  new_streams=[(-2385, "18")])
    lambda_metrics(ctx, "user-avatar", ainv, aerr, adur)
    ctx.log(f"API-Gateway-Execution-Logs_{api_id}/prod", ctx.hexid(32), exec_lines)
    bad_img = _count(aplan, "badimg")
    lat = (dur * inv + adur * ainv) / np.maximum(inv + ainv, 1) + 18
    apigw_metrics(ctx, "auth-api", inv + ainv, _count(plan, "badcreds") + bad_img, err, lat)
    for t, fn, user in ((-2400, "user-avatar", "github-actions"), (deploy, "user-auth", "github-actions")):
        ctx.change(t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, user)
        ctx.change(t + 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, user)
        ctx.change(t + 15 if fn == "user-avatar" else live, "lambda.amazonaws.com", "UpdateAlias20150331",
                   "AWS::Lambda::Function", fn, user)
    ctx.change(-4200, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "auth-api", "j.alvarez")
    ctx.alarm("auth-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "auth-api"}, "Sum", 60, 3, 5)
    data = ctx.build("Users cannot log in (login spinner then error); auth-api 5XX alarm.",
                     {"alarm": "auth-api-5xx", "root_cause": {"category": "bad_deployment", "resource": ["user-auth"]},
                      "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "user-auth"}}]})
    meta = dict(alarm="auth-api-5xx", category="bad_deployment", resources=["user-auth"],
                decoys="deploy of sibling user-avatar 15 min before (healthy); UpdateStage on auth-api 70 min before; "
                       "steady handled ERROR lines (UnidentifiedImageError) in user-avatar",
                story="A release of user-auth was packaged without its PyJWT dependency. As soon as the live alias moved to "
                      "version 42, every new execution environment fails at INIT with Runtime.ImportModuleError, all token "
                      "requests fail and API Gateway returns 502.")
    return data, meta


SCENARIOS = [h04_carrier_timeouts, h13_report_timeouts, h18_auth_import_error]
