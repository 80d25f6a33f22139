"""h27-13 (session Redis host impaired; the responder's reboot comes after onset) and h27-14 (month-end
reconcile job exhausts Postgres connections)."""
from __future__ import annotations

import json
import math
import random

from .common import (Clock, alarm, alarm_on, change, daily, expect, hexid, metric, minutes, noisy, pois, rid,
                     scenario, stream)
from .lambda_sim import spread
from .svc import Acc, alb_metrics, ec2_metrics, ecs_metrics, pino, rds_metrics, task_id, zap

CART_PATHS = [("GET", "/v1/cart", True), ("POST", "/v1/cart/items", True), ("DELETE", "/v1/cart/items", True),
              ("GET", "/v1/cart/shipping-options", True), ("GET", "/v1/healthz/deep", False),
              ("GET", "/v1/promotions", False)]


# =========================================================================== 13 ===
def build_13():
    rng = random.Random(271313)
    ck = Clock("2026-11-21T16:30:00Z")
    region = "us-east-1"
    LB = "app/cart-alb/2c7e9b4d6a1f3058"
    REDIS, REDIS_IP = "i-0c5e8a2d4f6b13970", "10.0.12.44"
    T_TD, T_UPD, T_DB, T_FAIL, T_REBOOT = -7230, -7200, -2400, -1980, -1200
    tasks = [task_id(rng) for _ in range(4)]
    ev = {t: [] for t in tasks}
    acc = Acc()
    ts = list(minutes(-21600))
    for m in ts:
        n = pois(rng, 210 * daily(ck.hour(m, -5), 0.15))
        for t in spread(rng, m, n):
            meth, path, sess = CART_PATHS[min(5, int(rng.random() ** 1.4 * 6))]
            tid = rng.choice(tasks)
            if sess and t >= T_FAIL:
                status, rt = 503, 2.0 + rng.uniform(0.001, 0.02)
                if t >= -9000:
                    ev[tid].append((t + rt, zap(ck, t + rt, "error", "session/store.go:88", "session lookup failed",
                                                session=f"s_{hexid(rng, 12)}", method=meth, path=path, status=503,
                                                error=f"dial tcp {REDIS_IP}:6379: i/o timeout")))
            else:
                status, rt = 200, rng.lognormvariate(math.log(0.022), 0.4)
                if t >= -9000 and rng.random() < 0.06:
                    ev[tid].append((t + rt, zap(ck, t + rt, "info", "httpapi/middleware.go:52", "request",
                                                method=meth, path=path, status=200, duration=round(rt, 4))))
            acc.add("req", m)
            acc.add("rt_sum", m, rt)
            if status >= 500:
                acc.add("t5", m)
            elif rng.random() < 0.012:
                acc.add("t4", m)
        acc.set("healthy", m, 4)
        acc.set("unhealthy", m, 0)
        if m >= -9000:
            for tid in tasks:
                if rng.random() < 0.1:
                    t = m + rng.uniform(0, 59)
                    ev[tid].append((t, zap(ck, t, "warn", "pricing/client.go:133", "promotion cache miss, "
                                                                                   "falling back to defaults",
                                           promo=f"p_{rng.randint(100, 999)}")))
                if m >= T_FAIL and rng.random() < 0.3:
                    t = m + rng.uniform(0, 59)
                    ev[tid].append((t, f"redis: {ck.at(t).strftime('%Y/%m/%d %H:%M:%S')} pool.go:368: redis: "
                                       f"connection pool: failed to dial after 5 attempts: dial tcp {REDIS_IP}:6379: "
                                       "i/o timeout"))
    for tid in tasks:
        t = T_UPD + 50 + rng.uniform(0, 30)
        ev[tid].append((t, zap(ck, t, "info", "cmd/cart/main.go:61", "cart-service starting", version="3.18.2",
                               redis=f"{REDIS_IP}:6379", db="cart-db")))
    rlog = []
    for m in minutes(-9000, T_FAIL - 60, 300):
        t = m + 1
        rlog += [(t, f"1:M {ck.at(t).strftime('%d %b %Y %H:%M:%S')}.{rng.randint(100, 999)} * 100 changes in 300 "
                     "seconds. Saving..."),
                 (t + 0.01, f"1:M {ck.at(t).strftime('%d %b %Y %H:%M:%S')}.{rng.randint(100, 999)} * Background "
                            f"saving started by pid {rng.randint(2000, 9000)}"),
                 (t + 0.9, f"1:M {ck.at(t + 0.9).strftime('%d %b %Y %H:%M:%S')}.{rng.randint(100, 999)} * Background "
                           "saving terminated with success")]
    metrics = alb_metrics(LB, ts, acc)
    metrics += ecs_metrics("prod-shop", "cart-service", ts, lambda m: noisy(rng, 7 + 20 * daily(ck.hour(m, -5), 0.15),
                                                                            0.08),
                           lambda m: noisy(rng, 38, 0.02), lambda m: 4)
    up = lambda m: m < T_FAIL
    metrics += ec2_metrics(REDIS, [m for m in ts if up(m)], lambda m: noisy(rng, 9 + 6 * daily(ck.hour(m, -5)), 0.1),
                           mem=lambda m: noisy(rng, 61, 0.01),
                           net_in=lambda m: noisy(rng, 3.1e6 * daily(ck.hour(m, -5), 0.15), 0.1))
    sc = next(x for x in metrics if x["name"] == "StatusCheckFailed" and x["dimensions"]["InstanceId"] == REDIS)
    sc["points"] = [[m, 0.0 if up(m) else 1.0] for m in ts]
    metrics.append(metric("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": REDIS}, "Count",
                          [(m, 0 if up(m) else 1) for m in ts]))
    metrics.append(metric("AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": REDIS}, "Count",
                          [(m, 0) for m in ts]))
    metrics += rds_metrics("cart-db", ts, rng, lambda m: noisy(rng, 14 + 10 * daily(ck.hour(m, -5)), 0.1),
                           lambda m: pois(rng, 48), lambda m: 96e9 - (m + 21600) * 900.0)
    logs = [stream("/ecs/cart-service", f"ecs/cart-service/{tid}", e) for tid, e in ev.items()]
    logs.append(stream("/session-redis/redis-server", REDIS, rlog))
    resources = [
        {"type": "ecs", "id": "prod-shop/cart-service",
         "properties": {"cluster": "prod-shop", "service": "cart-service", "task_definition": "cart-service:140",
                        "desired_count": 4, "running_count": 4, "runtime": "Go 1.23", "log_groups": ["/ecs/cart-service"],
                        "dependencies": [f"redis {REDIS_IP}:6379 (session-redis-1)", "postgres cart-db"],
                        "deployments": [{"status": "PRIMARY", "task_definition": "cart-service:140",
                                         "rollout_state": "COMPLETED", "created_at": T_UPD, "updated_at": T_UPD + 330}]}},
        {"type": "ec2", "id": REDIS, "properties": {"name": "session-redis-1", "instance_type": "r6g.large",
                                                    "private_ip": REDIS_IP, "role": "Redis 7.2 session store",
                                                    "log_groups": ["/session-redis/redis-server"]}},
        {"type": "rds", "id": "cart-db", "properties": {"engine": "postgres", "instance_class": "db.m6g.large",
                                                        "max_connections": 900, "allocated_storage_gb": 100}},
        {"type": "alb", "id": LB, "properties": {"name": "cart-alb", "targets": "ECS service prod-shop/cart-service"}},
    ]
    changes = [
        change(T_TD, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "cart-service:140",
               "argo-deployer"),
        change(T_UPD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "prod-shop/cart-service",
               "argo-deployer"),
        change(T_DB, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "cart-db", "dba.hughes@sso"),
        change(T_REBOOT, "ec2.amazonaws.com", "RebootInstances", "AWS::EC2::Instance", REDIS, "oncall.baker@sso"),
    ]
    dims = {"LoadBalancer": LB}
    alarms = [alarm_on(metrics, "cart-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3,
                       10, "GreaterThanThreshold", T_FAIL - 60, "Cart API 5xx"),
              alarm_on(metrics, "session-redis-1-status-check", "AWS/EC2", "StatusCheckFailed_System",
                       {"InstanceId": REDIS}, "Maximum", 60, 2, 0, "GreaterThanThreshold", T_FAIL - 60,
                       "session-redis-1 system status check")]
    return scenario(
        "h27-13-cart-session-redis-host-impaired",
        "Shoppers cannot add items to their carts; cart ALB 5xx alarm paged the on-call.",
        region, resources, metrics, logs, alarms, changes,
        expect("cart-alb-5xx", "dependency_failure", [REDIS, "session-redis-1"],
               [("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": REDIS}),
                ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)]))


# =========================================================================== 14 ===
PG_STACK = ("error: sorry, too many clients already\n"
            "    at Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:283:98)\n"
            "    at Parser.handlePacket (/app/node_modules/pg-protocol/dist/parser.js:122:29)\n"
            "    at Parser.parse (/app/node_modules/pg-protocol/dist/parser.js:35:38)\n"
            "    at TLSSocket.<anonymous> (/app/node_modules/pg-protocol/dist/index.js:11:42)")


def build_14():
    rng = random.Random(271414)
    ck = Clock("2026-11-30T15:20:00Z")
    region = "ap-northeast-1"
    LB = "app/billing-alb/6f1a3c5e7b9d2084"
    T_UPD, T_ADB, T_RUN, T_PG = -5400, -2400, -1200, -480
    MAXC = 400
    conns = {}
    ts = list(minutes(-21600))
    tasks = [task_id(rng) for _ in range(6)]
    ev = {t: [] for t in tasks}
    rec = []
    pg = []
    acc = Acc()
    for m in ts:
        base = pois(rng, 74) + 12
        extra = 0 if m < T_RUN else min(MAXC - 3 - base, int(320 * min(1.0, (m - T_RUN + 60) / 240.0)))
        c = min(MAXC - rng.randint(0, 3), base + extra) if m >= T_RUN + 120 else base + extra
        conns[m] = c
        n = pois(rng, 260 * daily(ck.hour(m, 9), 0.1) + 40)
        full = c >= MAXC - 6
        for t in spread(rng, m, n):
            tid = rng.choice(tasks)
            host = f"ip-10-0-21-{10 + tasks.index(tid)}.ap-northeast-1.compute.internal"
            path = rng.choice(["/v1/invoices", "/v1/invoices/inv_%s" % hexid(rng, 10), "/v1/payment-methods",
                               "/v1/usage/summary"])
            if full and rng.random() < 0.45:
                status, rt = 500, rng.uniform(0.01, 0.06)
                if t >= -7200:
                    ev[tid].append((t + rt, pino(ck, t + rt, "error", f"GET {path} failed", host,
                                                 reqId=f"req-{hexid(rng, 6)}",
                                                 err={"type": "DatabaseError", "message": "sorry, too many clients already",
                                                      "code": "53300", "stack": PG_STACK})))
            else:
                status, rt = 200, rng.lognormvariate(math.log(0.045), 0.35)
                if t >= -7200 and rng.random() < 0.05:
                    ev[tid].append((t + rt, pino(ck, t + rt, "info", "request completed", host,
                                                 reqId=f"req-{hexid(rng, 6)}", res={"statusCode": 200},
                                                 responseTime=round(rt * 1000, 1), url=path)))
            acc.add("req", m)
            acc.add("rt_sum", m, rt)
            if status >= 500:
                acc.add("t5", m)
        acc.set("healthy", m, 6)
        acc.set("unhealthy", m, 0)
        if full and m >= -7200:
            for _ in range(pois(rng, 6)):
                t = m + rng.uniform(0, 59)
                pg.append((t, f"{ck.plain(t)} UTC:10.0.21.{rng.randint(10, 15)}({rng.randint(40000, 60000)}):"
                              f"billing_app@billing:[{rng.randint(30000, 39000)}]:FATAL:  sorry, too many clients already"))
        if m % 300 == 0 and m >= -7200:
            pg.append((m + 17, f"{ck.plain(m + 17)} UTC::@:[388]:LOG:  checkpoint complete: wrote {rng.randint(900, 4000)} "
                               f"buffers ({rng.uniform(0.3, 1.6):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled"))
    for i in range(320):
        t = T_RUN + 35 + i * 0.6 + rng.uniform(0, 0.4)
        if i % 4 == 0:
            pg.append((t, f"{ck.plain(t)} UTC:10.0.31.{rng.randint(20, 40)}({rng.randint(40000, 60000)}):"
                          f"reconcile@billing:[{40000 + i}]:LOG:  connection authorized: user=reconcile database=billing "
                          "application_name=ledger-reconcile SSL enabled (protocol=TLSv1.3)"))
    rt0 = T_RUN + 30
    rec.append((rt0, f"{ck.plain_ms(rt0 + 32400)} INFO reconcile.main ledger-reconcile 4.2.0 starting: "
                     "period=2026-11 mode=month-end"))
    rec.append((rt0 + 1, f"{ck.plain_ms(rt0 + 32401)} INFO reconcile.plan 320 account shards, worker_threads=320, "
                         "db_pool=per-worker (1 connection each)"))
    for i in range(0, 320, 7):
        t = T_RUN + 300 + i * 2.4 + rng.uniform(0, 2)
        rec.append((t, f"{ck.plain_ms(t + 32400)} INFO reconcile.shard shard {i:04d} reconciled "
                       f"{rng.randint(800, 4000)} accounts, {rng.randint(0, 6)} discrepancies, in {t - T_RUN:.0f}s"))
    for m in minutes(-7200, -60, 60):
        for tid in tasks:
            if rng.random() < 0.08:
                t = m + rng.uniform(0, 59)
                host = f"ip-10-0-21-{10 + tasks.index(tid)}.ap-northeast-1.compute.internal"
                ev[tid].append((t, pino(ck, t, "warn", "stripe webhook signature timestamp older than 300s, accepted "
                                                       "with tolerance", host, event=f"evt_{hexid(rng, 14)}")))
    metrics = alb_metrics(LB, ts, acc)
    metrics += ecs_metrics("prod-billing", "billing-api", ts, lambda m: noisy(rng, 9 + 18 * daily(ck.hour(m, 9), 0.1), 0.08),
                           lambda m: noisy(rng, 51, 0.02), lambda m: 6)
    metrics += ecs_metrics("prod-billing", "ledger-reconcile", [m for m in ts if m >= T_RUN + 60],
                           lambda m: noisy(rng, 71, 0.05), lambda m: noisy(rng, 63, 0.03))
    metrics += rds_metrics("billing-db", ts, rng, lambda m: noisy(rng, 16 + (24 if m >= T_RUN + 120 else 0), 0.08),
                           lambda m: conns[m], lambda m: 280e9 - (m + 21600) * 2.2e3)
    metrics += rds_metrics("analytics-db", ts, rng, lambda m: noisy(rng, 34, 0.1), lambda m: pois(rng, 21),
                           lambda m: 1.1e12 - (m + 21600) * 9e3)
    logs = [stream("/ecs/billing-api", f"ecs/billing-api/{tid}", e) for tid, e in ev.items()]
    logs.append(stream("/ecs/ledger-reconcile", f"ecs/ledger-reconcile/{hexid(rng, 32)}", rec))
    logs.append(stream("/aws/rds/instance/billing-db/postgresql", "billing-db.0", pg))
    resources = [
        {"type": "rds", "id": "billing-db",
         "properties": {"engine": "postgres", "engine_version": "16.3", "instance_class": "db.m6g.xlarge",
                        "max_connections": MAXC, "allocated_storage_gb": 300, "parameter_group": "billing-pg16",
                        "parameter_apply_status": "pending-reboot"}},
        {"type": "rds", "id": "analytics-db", "properties": {"engine": "postgres", "instance_class": "db.r6g.xlarge",
                                                             "max_connections": 1700, "allocated_storage_gb": 1200}},
        {"type": "ecs", "id": "prod-billing/billing-api",
         "properties": {"cluster": "prod-billing", "service": "billing-api", "task_definition": "billing-api:63",
                        "desired_count": 6, "running_count": 6, "runtime": "Node.js 20 (pg pool max=10)",
                        "log_groups": ["/ecs/billing-api"],
                        "deployments": [{"status": "PRIMARY", "task_definition": "billing-api:63",
                                         "rollout_state": "COMPLETED", "created_at": T_UPD, "updated_at": T_UPD + 360}]}},
        {"type": "ecs", "id": "prod-billing/ledger-reconcile",
         "properties": {"cluster": "prod-billing", "service": "ledger-reconcile", "task_definition": "ledger-reconcile:9",
                        "schedule": "cron(0 15 L * ? *) via EventBridge (00:00 JST, last day of month)",
                        "task_definition_registered": -1900000, "log_groups": ["/ecs/ledger-reconcile"]}},
        {"type": "alb", "id": LB, "properties": {"name": "billing-alb", "targets": "ECS service prod-billing/billing-api"}},
    ]
    changes = [
        change(T_UPD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "prod-billing/billing-api",
               "github-actions-deploy"),
        change(T_ADB, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "analytics-db",
               "data.platform@sso"),
        change(T_RUN, "ecs.amazonaws.com", "RunTask", "AWS::ECS::TaskDefinition", "ledger-reconcile:9",
               "events.amazonaws.com"),
        change(T_PG, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "billing-pg16",
               "oncall.nakamura@sso"),
    ]
    dims = {"LoadBalancer": LB}
    alarms = [alarm_on(metrics, "billing-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60,
                       3, 5, "GreaterThanThreshold", T_RUN - 60, "Billing API 5xx"),
              alarm("analytics-db-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "analytics-db"},
                    "Minimum", 300, 1, 50e9, "LessThanThreshold", "OK", -3000000)]
    return scenario(
        "h27-14-billing-db-month-end-connections",
        "Just after midnight JST billing pages and invoice downloads started failing; billing ALB 5xx alarm fired.",
        region, resources, metrics, logs, alarms, changes,
        expect("billing-alb-5xx", "db_connection_exhaustion", ["billing-db"],
               [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "billing-db"}),
                ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)]))
