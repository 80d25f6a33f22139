"""h27-07 (DB downsized overnight, CPU-saturated at the morning peak) and h27-08 (reserved concurrency
set hours earlier throttles the evening peak; a deploy in between is harmless)."""
from __future__ import annotations

import math
import random

from .common import (Clock, alarm, alarm_on, change, daily, expect, hexid, metric, minutes, noisy, pois,
                     ramp, rid, scenario, stream)
from .lambda_sim import FnSim, java_line, spread
from .svc import Acc, alb_metrics, ecs_metrics, gunicorn, rds_metrics, task_id

PRODUCT_SQL = ("SELECT p.id, p.sku, p.title, p.price_minor, s.qty FROM catalog_product p JOIN catalog_stock s ON "
               "s.product_id = p.id WHERE p.category_id = $1 AND p.is_active ORDER BY p.rank_score DESC LIMIT 48 "
               "OFFSET $2")


# =========================================================================== 07 ===
def build_07():
    rng = random.Random(270707)
    ck = Clock("2026-11-18T10:50:00Z")
    region = "eu-west-1"
    LB = "app/catalog-alb/91d4e7a2c6b85f30"
    T_RESIZE, T_PARAM, T_TD, T_UPD, T_FIX = -32400, -5000, -3330, -3300, -480
    RESIZED = T_RESIZE + 540
    acc = Acc()
    ts = list(minutes(-93600))
    tasks = [task_id(rng) for _ in range(6)]
    ev = {t: [] for t in tasks}
    pg = []
    dbs = {}
    for m in ts:
        d = daily(ck.hour(m), 0.08) * (1.0 + 0.04 * math.sin(m / 1700.0))
        req = pois(rng, 820 * d)
        small = m >= RESIZED
        demand = 31.0 * req / 820.0                 # % of an 8-vCPU db.r6g.2xlarge
        u = demand * (4.0 if small else 1.0) / 100.0
        cpu = min(99.4, noisy(rng, 3 + 100 * u, 0.03)) if u < 0.97 else rng.uniform(97.6, 99.6)
        over = max(0.0, u - 0.85)
        rt = 0.11 + min(4.2, 9.0 * over ** 1.3) + rng.uniform(0, 0.015)
        errs = pois(rng, req * min(0.05, 0.06 * max(0.0, u - 1.0)))
        acc.set("req", m, req)
        acc.set("rt_sum", m, rt * req)
        acc.set("t5", m, errs + (pois(rng, 0.3)))
        acc.set("t4", m, pois(rng, req * 0.01))
        acc.set("e5", m, pois(rng, 0.05))
        acc.set("healthy", m, 6)
        acc.set("unhealthy", m, 0)
        dbs[m] = (cpu, u, req)
        if m < -10800:
            continue
        for _ in range(errs):
            tid = rng.choice(tasks)
            t = m + rng.uniform(0, 59.9)
            pid = 7 + tasks.index(tid)
            path = f"/api/v2/categories/{rng.randint(100, 990)}/products/?page={rng.randint(1, 9)}"
            ev[tid].append((t, f"ERROR {ck.plain_ms(t)} log {pid} 1402{rng.randint(10000000, 99999999)} Internal "
                               f"Server Error: {path}\nTraceback (most recent call last):\n"
                               "  File \"/usr/local/lib/python3.11/site-packages/django/db/backends/utils.py\", line 89, "
                               "in _execute\n    return self.cursor.execute(sql, params)\n"
                               "psycopg2.errors.QueryCanceled: canceling statement due to statement timeout\n\n"
                               "The above exception was the direct cause of the following exception:\n\n"
                               "Traceback (most recent call last):\n"
                               "  File \"/app/catalog/views/products.py\", line 61, in list\n"
                               "    page = list(qs[offset:offset + 48])\n"
                               "django.db.utils.OperationalError: canceling statement due to statement timeout"))
            if rng.random() < 0.4:
                pg.append((t - 0.01, f"{ck.plain(t)} UTC:10.0.{rng.randint(10, 13)}.{rng.randint(2, 250)}("
                                     f"{rng.randint(40000, 60000)}):catalog@catalog:[{rng.randint(20000, 32000)}]:ERROR:  "
                                     "canceling statement due to statement timeout"))
                pg.append((t, f"{ck.plain(t)} UTC:10.0.{rng.randint(10, 13)}.{rng.randint(2, 250)}("
                              f"{rng.randint(40000, 60000)}):catalog@catalog:[{rng.randint(20000, 32000)}]:STATEMENT:  "
                              + PRODUCT_SQL))
        if u > 0.8 and rng.random() < min(1.0, (u - 0.8) * 3):
            t = m + rng.uniform(0, 59)
            pg.append((t, f"{ck.plain(t)} UTC:10.0.{rng.randint(10, 13)}.{rng.randint(2, 250)}({rng.randint(40000, 60000)})"
                          f":catalog@catalog:[{rng.randint(20000, 32000)}]:LOG:  duration: "
                          f"{rng.uniform(1000, 4900):.3f} ms  execute <unnamed>: {PRODUCT_SQL}"))
        for tid in tasks:
            pid = 7 + tasks.index(tid)
            if rng.random() < 0.25:
                t = m + rng.uniform(0, 59)
                ev[tid].append((t, f"INFO {ck.plain_ms(t)} cache {pid} 1402{rng.randint(10000000, 99999999)} "
                                   f"category tree cache refreshed ({rng.randint(1800, 1900)} nodes)"))
            if rt > 1.5 and rng.random() < 0.2:
                t = m + rng.uniform(0, 59)
                ev[tid].append((t, gunicorn(ck, t, "warning", f"Worker with pid {rng.randint(40, 400)} was terminated "
                                                              f"due to signal 9 after 30s timeout (WORKER TIMEOUT)", 1)))
        if m % 300 == 0:
            pg.append((m + 11, f"{ck.plain(m + 11)} UTC::@:[{rng.randint(400, 500)}]:LOG:  checkpoint complete: wrote "
                               f"{rng.randint(2000, 9000)} buffers ({rng.uniform(0.4, 2.5):.1f}%); 0 WAL file(s) added, "
                               f"0 removed, {rng.randint(1, 4)} recycled"))
    t0 = T_TD + 70
    for tid in tasks:
        t = t0 + rng.uniform(0, 40)
        ev[tid] += [(t, gunicorn(ck, t, "info", "Starting gunicorn 22.0.0", 1)),
                    (t + 0.01, gunicorn(ck, t + 0.01, "info", "Listening at: http://0.0.0.0:8000 (1)", 1)),
                    (t + 0.02, gunicorn(ck, t + 0.02, "info", "Using worker: gthread", 1)),
                    (t + 0.2, gunicorn(ck, t + 0.2, "info", "Booting worker with pid: 7", 7))]
    metrics = alb_metrics(LB, ts, acc)
    metrics += ecs_metrics("shop-prod", "catalog-api", ts,
                           lambda m: noisy(rng, 5 + 28 * dbs[m][2] / 820 * (0.6 if dbs[m][1] > 1 else 1), 0.06),
                           lambda m: noisy(rng, 44, 0.02), lambda m: 6)
    metrics += rds_metrics("catalog-db", ts, rng, lambda m: dbs[m][0],
                           lambda m: pois(rng, 46 + 150 * max(0.0, min(1.0, dbs[m][1] - 0.8))),
                           lambda m: 612e9 - (m + 93600) * 1.2e3,
                           read_lat=lambda m: noisy(rng, 0.0009 + 0.004 * max(0.0, dbs[m][1] - 0.85), 0.15),
                           free_mem=lambda m: noisy(rng, 9.6e9 if m >= RESIZED else 41.2e9, 0.01))
    metrics.append(metric("AWS/RDS", "DBLoadCPU", {"DBInstanceIdentifier": "catalog-db"}, "None",
                          [(m, noisy(rng, 8 * dbs[m][1] * (1.0 if m >= RESIZED else 0.25) * 2 *
                                     (1 + 2 * max(0.0, dbs[m][1] - 1)), 0.08)) for m in ts]))
    logs = [stream("/ecs/catalog-api", f"ecs/catalog-api/{tid}", e) for tid, e in ev.items()]
    logs.append(stream("/aws/rds/instance/catalog-db/postgresql", "catalog-db.0", pg))
    resources = [
        {"type": "rds", "id": "catalog-db",
         "properties": {"engine": "postgres", "engine_version": "15.7", "instance_class": "db.r6g.large",
                        "vcpus": 2, "max_connections": 1700, "allocated_storage_gb": 800, "multi_az": True,
                        "status": "modifying", "pending_modified_values": {"instance_class": "db.r6g.2xlarge"}}},
        {"type": "ecs", "id": "shop-prod/catalog-api",
         "properties": {"cluster": "shop-prod", "service": "catalog-api", "task_definition": "catalog-api:212",
                        "desired_count": 6, "running_count": 6, "log_groups": ["/ecs/catalog-api"],
                        "deployments": [{"status": "PRIMARY", "task_definition": "catalog-api:212",
                                         "rollout_state": "COMPLETED", "created_at": T_UPD, "updated_at": T_UPD + 380}]}},
        {"type": "alb", "id": LB, "properties": {"name": "catalog-alb", "targets": "ECS service shop-prod/catalog-api"}},
    ]
    changes = [
        change(T_RESIZE, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "catalog-db",
               "finops-rightsizing"),
        change(T_PARAM, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
               "/prod/search-indexer/batch-size", "search.team@sso"),
        change(T_TD, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "catalog-api:212",
               "gitlab-ci"),
        change(T_UPD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/catalog-api", "gitlab-ci"),
        change(T_FIX, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "catalog-db",
               "oncall.obrien@sso"),
    ]
    dims = {"LoadBalancer": LB}
    ddims = {"DBInstanceIdentifier": "catalog-db"}
    alarms = [alarm_on(metrics, "catalog-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", dims, "Average",
                       60, 5, 0.5, "GreaterThanThreshold", -7200, "Catalog API average latency"),
              alarm_on(metrics, "catalog-db-cpu", "AWS/RDS", "CPUUtilization", ddims, "Average", 300, 3, 90,
                       "GreaterThanThreshold", -7200, "catalog-db CPU")]
    return scenario(
        "h27-07-catalog-db-rightsized-morning-peak",
        "Product listing pages are very slow this morning; catalog latency alarm paged the on-call.",
        region, resources, metrics, logs, alarms, changes,
        expect("catalog-alb-latency", "cpu_saturation", ["catalog-db"],
               [("AWS/RDS", "CPUUtilization", ddims), ("AWS/ApplicationELB", "TargetResponseTime", dims)]))


# =========================================================================== 08 ===
def build_08():
    rng = random.Random(270808)
    ck = Clock("2026-11-19T02:10:00Z")
    region = "us-west-2"
    T_CONC, T_SG, T_CODE, T_PUB, T_ALIAS = -21000, -9000, -3320, -3310, -3300
    RES = 40
    api_id = "q7t2mz4k9c"
    ts = list(minutes(-25200))
    fn = FnSim("quote-engine", 2048, ck, rng, log_from=-10800, pool=2, runtime_version="java:21.v29", region=region)
    api = Acc()
    gw = []
    conc = {}
    thr = {}
    for m in ts:
        lam = 400 * daily(ck.hour(m, -8), 0.15) * (1 + 0.03 * math.sin(m / 900.0))
        if ck.hour(m, -8) > 17.25:
            lam *= 1.0 + 0.7 * min(1.0, (ck.hour(m, -8) - 17.25) / 1.0)
        n = pois(rng, lam)
        cold = T_ALIAS <= m < T_ALIAS + 120
        dur = 5.0 + (0.3 if cold else 0.0)
        need = n / 60.0 * dur
        served = n if need <= RES else int(RES * 60 / dur)
        th = n - served
        thr[m] = th
        conc[m] = RES if need > RES * 0.97 else min(RES - 1, max(1, int(round(noisy(rng, need * 1.03, 0.03)))))
        api.set("count", m, n)
        api.set("5xx", m, th + pois(rng, 0.05))
        api.set("4xx", m, pois(rng, n * 0.006))
        api.set("lat", m, dur * 1000 * 0.96 + 40 - (th / max(n, 1)) * dur * 900)
        fn.throttle(m, th)
        fn.set_conc_cap(m, conc[m])
        # Simulated environments: two environments' streams are kept; the others only count in metrics.
        for t in spread(rng, m, served):
            logged = rng.random() < 2.0 / max(conc[m], 2) and t >= -10800
            ver = "88" if t >= T_ALIAS else "87"
            d = max(900.0, rng.gauss(5000, 1100))
            req = rid(rng)
            if not logged:
                fn.inv[m] = fn.inv.get(m, 0) + 1
                fn.dur.setdefault(m, []).append(d)
                continue
            prod = rng.choice(["home-contents", "auto", "renters", "landlord"])
            body = [(0.02, java_line(ck, t + 0.02, req, "info", "QuoteHandler",
                                     f"quote request product={prod} state={rng.choice(['CA', 'OR', 'WA', 'NV', 'AZ'])} "
                                     f"drivers={rng.randint(1, 3)}")),
                    (d / 1000 - 0.02, java_line(ck, t + d / 1000 - 0.02, req, "info", "QuoteHandler",
                                                f"quote q_{hexid(rng, 10)} premium={rng.uniform(180, 2400):.2f} "
                                                f"rating_ms={d - rng.uniform(120, 300):.0f} tables=v2026.11"))]
            if rng.random() < 0.04:
                body.insert(1, (0.5, java_line(ck, t + 0.5, req, "warn", "RatingTableCache",
                                               "rating table territory_factors stale by 1 revision, using cached copy")))
            fn.invoke(m, t, req, ver, body, d, rng.randint(610, 780),
                      init_ms=rng.uniform(3400, 4600) if cold and rng.random() < 0.5 else None)
        if m >= -10800 and th:
            for _ in range(pois(rng, th / 6.0)):
                t = m + rng.uniform(0, 59.9)
                ar = rid(rng)
                gw += [(t, f"({ar}) Starting execution for request: {ar}"),
                       (t + 0.03, f"({ar}) Lambda invocation failed with status: 429. Lambda request id: {rid(rng)}"),
                       (t + 0.031, f"({ar}) Execution failed due to configuration error: Rate Exceeded."),
                       (t + 0.032, f"({ar}) Method completed with status: 500")]
    api_dims = {"ApiName": "quotes-api"}
    metrics = fn.metrics(ts) + [
        metric("AWS/ApiGateway", "Count", api_dims, "Count", api.pts("count", ts)),
        metric("AWS/ApiGateway", "5XXError", api_dims, "Count", api.pts("5xx", ts)),
        metric("AWS/ApiGateway", "4XXError", api_dims, "Count", api.pts("4xx", ts)),
        metric("AWS/ApiGateway", "Latency", api_dims, "Milliseconds", api.pts("lat", ts))]
    logs = fn.logs() + [stream(f"API-Gateway-Execution-Logs_{api_id}/prod", hexid(rng, 32), gw)]
    resources = [
        {"type": "lambda", "id": "quote-engine",
         "properties": {"runtime": "java21", "timeout": 29, "memory_size": 2048, "reserved_concurrency": RES,
                        "last_modified": T_CODE, "latest_published_version": "88", "aliases": {"live": "88"},
                        "snap_start": "None"}},
        {"type": "apigateway", "id": "quotes-api",
         "properties": {"api_id": api_id, "stage": "prod", "integration": "AWS_PROXY quote-engine:live"}},
    ]
    changes = [
        change(T_CONC, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function",
               "quote-engine", "platform.okafor@sso"),
        change(T_SG, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
               "sg-0d2e6f4a8b1c3e579", "netops.lee@sso"),
        change(T_CODE, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "quote-engine", "github-actions-deploy"),
        change(T_PUB, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "quote-engine",
               "github-actions-deploy"),
        change(T_ALIAS, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "quote-engine",
               "github-actions-deploy"),
    ]
    alarms = [alarm_on(metrics, "quotes-api-5xx", "AWS/ApiGateway", "5XXError", api_dims, "Sum", 60, 3, 10,
                       "GreaterThanThreshold", -7200, "Quotes API server errors"),
              alarm("quote-engine-errors", "AWS/Lambda", "Errors", {"FunctionName": "quote-engine"}, "Sum", 60, 3, 5,
                    "GreaterThanThreshold", "OK", -500000)]
    return scenario(
        "h27-08-quote-engine-reserved-concurrency-peak",
        "Quote requests failing with 500s during the evening peak; the quotes API 5xx alarm fired.",
        region, resources, metrics, logs, alarms, changes,
        expect("quotes-api-5xx", "throttling", ["quote-engine", "quote-engine:live"],
               [("AWS/Lambda", "Throttles", {"FunctionName": "quote-engine"}),
                ("AWS/ApiGateway", "5XXError", api_dims)]))
