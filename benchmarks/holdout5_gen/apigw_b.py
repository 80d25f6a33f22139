"""Lambda scenarios: h5-11 (timeout behind API GW), h5-13 (SQS consumer app error), h5-15 (bad Java deploy behind API GW)."""
from __future__ import annotations

import json

import numpy as np

from .apigw_a import exec_fail
from .common import (N, T, alarm, apigw_metrics, change, expect, find, hexid, iso, lambda_logs, lambda_metrics,
                     lambda_stream, level, log, logts, node_line, pois, py_line, rds_metrics, scenario, window)

GB = 1024 ** 3


# ------------------------------------------------------------------ h5-11
def lambda_timeout(rng):
    region, api, api_id, fn = "ap-south-1", "reports-api", "m4q8z1x6tb", "report-export"
    onset = -2400
    big_frac = 0.06 + np.clip((T - onset) / 1800, 0, 1) * 0.5
    inv = pois(rng, level(rng, 10, 0.05) * (1 + 0.2 * (T >= onset)))
    # per-invocation outcome decided in the body; metrics are derived from the outcomes afterwards
    outcomes = {}

    def body(rng_, t, req, is_err, d):
        i = int((t + 21600) // 60)
        big = rng_.uniform() < big_frac[i]
        tenant = "tn_0042" if big and rng_.uniform() < 0.7 else (f"tn_{rng_.integers(100, 999):04d}" if not big
                                                                 else "tn_0117")
        rows = int(rng_.integers(140000, 260000)) if big else int(rng_.integers(800, 20000))
        lines = [(0.004, py_line("INFO", t, req, f"export requested tenant={tenant} format=csv "
                                                 f"range=2026-01-01..2026-11-19 est_rows={rows}"))]
        per_page = rng_.uniform(38, 52) / 1000 + 1000 * 0.000012
        need = 0.35 + rows / 1000 * per_page
        if need >= 10.0:
            pages = int(9.6 / per_page)
            for p in range(50, pages, 50):
                lines.append((0.3 + p * per_page, py_line("INFO", t + p * per_page, req,
                                                          f"fetched {p} pages ({p * 1000} rows) so far")))
            lines.append((10.012, f"{iso(t + 10.012)} {req} Task timed out after 10.01 seconds"))
            outcomes.setdefault(i, []).append((10010.0, True))
            return lines, 10010.0
        for p in range(50, int(rows / 1000), 50):
            lines.append((0.3 + p * per_page, py_line("INFO", t + p * per_page, req,
                                                      f"fetched {p} pages ({p * 1000} rows) so far")))
        lines.append((need - 0.05, py_line("INFO", t + need, req, f"wrote s3://acme-report-exports/{tenant}/"
                                                                  f"{hexid(rng_, 12)}.csv rows={rows}")))
        outcomes.setdefault(i, []).append((need * 1000, False))
        return lines, need * 1000

    exec_ev = []
    streams = [(lambda_stream(rng), -1e9, 1e9) for _ in range(4)]
    logs = lambda_logs(rng, fn, 1024, inv, np.zeros(N), np.full(N, 2000.0), body, streams=streams,
                       timeout_s=10, maxmem=(300, 520))
    # metrics from the logged outcomes in the last 3 h, modelled the same way before that
    err = np.zeros(N)
    dur = np.zeros(N)
    for i in range(N):
        if i in outcomes:
            err[i] = sum(1 for _, e in outcomes[i] if e)
            dur[i] = np.mean([d for d, _ in outcomes[i]])
        else:
            n = int(inv[i])
            big = rng.uniform(0, 1, n) < big_frac[i]
            ds = np.where(big, rng.uniform(6500, 12500, n), rng.uniform(400, 1400, n))
            err[i] = int((ds >= 10000).sum())
            dur[i] = float(np.minimum(ds, 10010).mean()) if n else np.nan
    # API Gateway execution logs for the timeouts
    for lg in logs:
        for t, msg in lg["events"]:
            if "Task timed out" in msg:
                req = msg.split()[1]
                exec_ev.extend(exec_fail(rng, t + 0.02, req, f"{msg}"))
    logs.append(log(f"API-Gateway-Execution-Logs_{api_id}/prod", hexid(rng, 32), exec_ev))
    metrics = lambda_metrics(fn, inv, err, np.nan_to_num(dur, nan=0.0), rng=rng)
    e4 = pois(rng, 0.3 * np.ones(N))
    metrics += apigw_metrics(api, inv + e4, e4, err, np.nan_to_num(dur) + level(rng, 22, 0.1),
                             np.nan_to_num(dur) + level(rng, 9, 0.1))
    changes = [change(-17000, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api,
                      "cdk-deploy")]
    al = alarm("report-export-errors", find(metrics, "Errors"), "Sum", 300, 2, 8,
               description="report-export Lambda errors")
    resources = [
        {"type": "apigateway", "id": api, "properties": {"api_id": api_id, "stage": "prod", "integrations": [fn]}},
        {"type": "lambda", "id": fn, "properties": {"runtime": "python3.11", "timeout": 10, "memory_size": 1024,
                                                     "environment": {"EXPORT_BUCKET": "acme-report-exports",
                                                                     "EVENTS_TABLE": "tenant-events"}}},
    ]
    scn = scenario("h5-11-lambda-export-timeout", "Customers report CSV exports failing; report-export errors alarm.", region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "function_timeout", [fn], [find(metrics, "Errors"),
                                                                 find(metrics, "Duration")]))
    return {"file": "h5-11-lambda-export-timeout.yaml", "scenario": scn,
            "decoys": "API deployment 4.7 h earlier; the largest exports already timed out occasionally before onset",
            "story": "Month-end: large tenants schedule full-year CSV exports. The synchronous export Lambda pages "
                     "through DynamoDB at a normal ~45 ms per page, but 140k-260k rows need more than its 10 s "
                     "timeout. Invocations that hit the limit log 'Task timed out after 10.01 seconds' and API "
                     "Gateway returns 502. No dependency errors and no changes; the work simply outgrew the "
                     "configured timeout."}


# ------------------------------------------------------------------ h5-13
def lambda_app_error(rng):
    region, fn, other, db = "ca-central-1", "loyalty-points-worker", "loyalty-tier-recalc", "loyalty-db"
    onset = -1900
    inv = pois(rng, level(rng, 24, 0.06, daily=0.3, phase=-30000))
    frac = window(onset, 0) * (0.28 + 0.08 * rng.uniform(0, 1, N))
    err = np.array([rng.binomial(int(n), f) for n, f in zip(inv, frac)], dtype=float)
    dur = level(rng, 64, 0.1)
    metrics = lambda_metrics(fn, inv, err, dur, rng=rng)
    o_inv = np.where((T % 1800) == 0, 1.0, 0.0)
    o_dur = np.where(o_inv > 0, level(rng, 24000, 0.1), 0.0)
    metrics += lambda_metrics(other, o_inv, np.zeros(N), o_dur, conc=o_inv.copy())
    metrics[-2]["points"] = [p for p in metrics[-2]["points"] if p[1] > 0]
    metrics += rds_metrics(db, level(rng, 14, 0.1) + np.where(o_inv > 0, 22, 0), level(rng, 22, 0.08),
                           85 * GB - T * 300 + rng.normal(0, 2e7, N), level(rng, 0.0008, 0.15),
                           level(rng, 0.0014, 0.15), level(rng, 2.9 * GB, 0.01))

    def body(rng_, t, req, is_err, d):
        order = f"ORD-{rng_.integers(10**7, 10**8)}"
        src = "partner:shopline" if is_err else ["web", "ios", "android", "pos"][rng_.integers(0, 4)]
        lines = [(0.004, node_line("INFO", t, req, f"processing order.completed {order} source={src}"))]
        if is_err:
            err_ = {"errorType": "TypeError", "errorMessage": "Cannot read properties of null (reading 'id')",
                    "stack": ["TypeError: Cannot read properties of null (reading 'id')",
                              "    at awardPoints (/var/task/src/points.js:41:38)",
                              "    at processRecord (/var/task/src/handler.js:27:11)",
                              "    at Runtime.handler (/var/task/src/handler.js:12:24)"]}
            lines.append((d / 1000 - 0.002, node_line("ERROR", t + d / 1000, req,
                                                      "Invoke Error \t" + json.dumps(err_, separators=(",", ":")))))
        else:
            pts = int(rng_.integers(5, 800))
            lines.append((d / 1000 - 0.004, node_line("INFO", t + d / 1000, req,
                                                      f"awarded {pts} points to member mbr_{hexid(rng_, 8)} "
                                                      f"(db=loyalty-db.cj8s2xq0mzka.ca-central-1.rds.amazonaws.com)")))
        if rng_.uniform() < 0.05:
            lines.append((0.01, node_line("WARN", t, req, "promo multiplier lookup missed cache; using 1.0")))
        return lines, d

    logs = lambda_logs(rng, fn, 512, inv, err, dur, body, maxmem=(96, 120),
                       streams=[(lambda_stream(rng), -1e9, 1e9) for _ in range(2)])

    def o_body(rng_, t, req, is_err, d):
        return [(0.5, node_line("INFO", t, req, "recalculating tiers for members changed in the last hour")),
                (d / 1000 - 0.1, node_line("INFO", t + d / 1000, req,
                                           f"tier changes: {rng_.integers(20, 90)} upgrades, "
                                           f"{rng_.integers(0, 15)} downgrades"))], d

    logs += lambda_logs(rng, other, 1024, o_inv, np.zeros(N), o_dur, o_body, maxmem=(300, 400))
    ev = []
    t = -21600 + 150.0
    while t < 0:
        ev.append((t, f"{logts(t)[:19]} UTC::@:[397]:LOG:  checkpoint starting: time"))
        ev.append((t + 14, f"{logts(t + 14)[:19]} UTC::@:[397]:LOG:  checkpoint complete: wrote "
                           f"{rng.integers(100, 900)} buffers (0.{rng.integers(1, 9)}%); 0 WAL file(s) added, "
                           f"0 removed, 1 recycled"))
        t += 300
    logs.append(log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", ev))
    changes = [change(-2500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
                      "gh-actions"),
               change(-2470, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", other,
                      "gh-actions")]
    al = alarm("loyalty-points-worker-errors", find(metrics, "Errors", FunctionName=fn), "Sum", 300, 1, 10,
               description="loyalty-points-worker failed invocations")
    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "nodejs20.x", "timeout": 30, "memory_size": 512,
                                                     "event_source": "sqs:order-completed-events"}},
        {"type": "lambda", "id": other, "properties": {"runtime": "nodejs20.x", "timeout": 120,
                                                        "memory_size": 1024}},
        {"type": "rds", "id": db, "properties": {"engine": "postgres", "instance_class": "db.t4g.medium",
                                                  "max_connections": 400, "allocated_storage_gb": 100}},
    ]
    scn = scenario("h5-13-lambda-null-customer", "Loyalty points not being awarded; worker Errors alarm.", region,
                   resources, metrics, logs, [al], changes,
                   expect(al["name"], "application_error", [fn], [find(metrics, "Errors", FunctionName=fn)]))
    return {"file": "h5-13-lambda-null-customer.yaml", "scenario": scn,
            "decoys": "loyalty-tier-recalc code deploy 10 min before onset (different function); its half-hourly runs "
                      "bump loyalty-db CPU; occasional promo-cache warnings",
            "story": "A newly onboarded commerce partner (Shopline) started publishing order.completed events for "
                     "guest checkouts with `customer: null`. The points worker dereferences customer.id and throws "
                     "a TypeError for each of those events (~30 % of traffic). Nothing in the account changed for "
                     "this function; the deploy minutes earlier was of a different function."}


# ------------------------------------------------------------------ h5-15
def lambda_java_deploy(rng):
    region, api, api_id, fn, other = "us-east-1", "inventory-api", "d7w2k9r5hn", "inventory-lookup", "inventory-sync"
    dep = -2300
    onset = dep + 45
    inv = pois(rng, level(rng, 30, 0.05, daily=0.25, phase=-25000))
    frac = window(onset, 0) * (0.22 + 0.06 * rng.uniform(0, 1, N))
    err = np.array([rng.binomial(int(n), f) for n, f in zip(inv, frac)], dtype=float)
    dur = level(rng, 58, 0.12)
    metrics = lambda_metrics(fn, inv, err, dur, rng=rng)
    spike = window(-9600, -9000)
    s_inv = pois(rng, 2 * np.ones(N) + spike * 40)
    metrics += lambda_metrics(other, s_inv, np.zeros(N), level(rng, 900, 0.1), rng=rng)
    e4 = pois(rng, 1.2 * np.ones(N))
    metrics += apigw_metrics(api, inv + e4, e4, err, dur + level(rng, 18, 0.1), dur + level(rng, 7, 0.1))

    npe = ('Cannot invoke "com.acme.inventory.model.Warehouse.getRegionCode()" because the return value of '
           '"com.acme.inventory.model.Sku.getPrimaryWarehouse()" is null')
    exec_ev = []

    def body(rng_, t, req, is_err, d):
        sku = f"SKU-{rng_.integers(100000, 999999)}"
        lines = [(0.002, f"{logts(t).replace(',', '.')} {req} INFO  LookupHandler - lookup sku={sku} "
                         f"channel={['web', 'store', 'marketplace'][rng_.integers(0, 3)]}")]
        if rng_.uniform() < 0.06:
            lines.append((0.003, f"{logts(t).replace(',', '.')} {req} WARN  SkuCache - cache miss for {sku}, "
                                 "loading from DynamoDB"))
        if is_err:
            e = {"errorMessage": npe, "errorType": "java.lang.NullPointerException",
                 "stackTrace": ["com.acme.inventory.LookupHandler.toResponse(LookupHandler.java:87)",
                                "com.acme.inventory.LookupHandler.handleRequest(LookupHandler.java:52)",
                                "com.acme.inventory.LookupHandler.handleRequest(LookupHandler.java:23)"]}
            lines.append((d / 1000 - 0.001, json.dumps(e, indent=2)))
            exec_ev.extend(exec_fail(rng_, t + d / 1000 + 0.01, req, npe))
        else:
            lines.append((d / 1000 - 0.002, f"{logts(t + d / 1000).replace(',', '.')} {req} INFO  LookupHandler - "
                                            f"sku={sku} available={rng_.integers(0, 500)}"))
        return lines, d

    init_old = "java:21.v19\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:" + hexid(rng, 64)
    streams = [(lambda_stream(rng, version="41"), -1e9, dep + 30, "41") for _ in range(2)]
    streams += [(lambda_stream(rng, dep, version="42"), dep + 30, 1e9, "42") for _ in range(2)]
    logs = lambda_logs(rng, fn, 1536, inv, err, dur, body, streams=streams, maxmem=(190, 240),
                       runtime_init=init_old, init_range=(2800.0, 3600.0))
    logs.append(log(f"API-Gateway-Execution-Logs_{api_id}/live", hexid(rng, 32), exec_ev))

    def s_body(rng_, t, req, is_err, d):
        return [(0.1, f"{logts(t).replace(',', '.')} {req} INFO  SyncHandler - applied "
                      f"{rng_.integers(1, 60)} stock deltas from warehouse feed")], d

    logs += lambda_logs(rng, other, 1024, s_inv, np.zeros(N), level(rng, 900, 0.1), s_body, maxmem=(200, 260))
    changes = [
        change(-14000, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api, "platform-ops"),
        change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "codepipeline"),
        change(dep + 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "codepipeline"),
        change(dep + 20, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, "codepipeline"),
    ]
    al = alarm("inventory-api-5xx", find(metrics, "5XXError"), "Sum", 300, 1, 15, description="inventory-api 5XX")
    resources = [
        {"type": "apigateway", "id": api, "properties": {"api_id": api_id, "stage": "live",
                                                          "integrations": [f"{fn}:live"]}},
        {"type": "lambda", "id": fn, "properties": {"runtime": "java21", "timeout": 15, "memory_size": 1536,
                                                     "alias": "live", "version": "42"}},
        {"type": "lambda", "id": other, "properties": {"runtime": "java21", "timeout": 60, "memory_size": 1024}},
    ]
    scn = scenario("h5-15-apigw-java-deploy-npe", "Store inventory lookups intermittently failing; inventory-api "
                   "5XX alarm.", region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "bad_deployment", [fn, f"{fn}:live", f"{fn}:42"],
                          [find(metrics, "5XXError"), find(metrics, "Errors", FunctionName=fn)]))
    return {"file": "h5-15-apigw-java-deploy-npe.yaml", "scenario": scn,
            "decoys": "UpdateStage on the API 3.2 h before onset; inventory-sync invocation burst 2.5 h earlier; "
                      "steady SKU cache-miss warnings",
            "story": "CodePipeline published inventory-lookup version 42 and moved the `live` alias to it. The new "
                     "response mapper assumes every SKU has a primary warehouse; marketplace-only SKUs do not, so "
                     "about a quarter of lookups throw a NullPointerException. Only the version-42 log streams "
                     "contain the new error; API Gateway returns 502 for those requests."}
