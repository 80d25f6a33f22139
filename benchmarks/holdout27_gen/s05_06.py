"""h27-05 (IAM policy detached from a Lambda role) and h27-06 (ticket-sale traffic surge)."""
from __future__ import annotations

import math
import random

from .common import (Clock, alarm, alarm_on, change, daily, expect, hexid, metric, minutes, noisy, pois,
                     ramp, rid, scenario, stream)
from .lambda_sim import FnSim, go_line, spread
from .svc import Acc, alb_metrics, dotnet_json, ecs_metrics, rds_metrics, task_id


# =========================================================================== 05 ===
def build_05():
    rng = random.Random(270505)
    ck = Clock("2026-11-20T21:40:00Z")
    region = "us-east-1"
    T_CFG, T_PUT, T_DETACH, T_FX = -12600, -6000, -2160, -1750
    fn = FnSim("ledger-export", 512, ck, rng, log_from=-9000, pool=3, runtime_version="provided:al2023.v63",
               region=region)
    fx = FnSim("fx-rates-sync", 256, ck, rng, log_from=-9000, pool=1, runtime_version="provided:al2023.v63",
               region=region)
    ts = list(minutes(-21600))
    redeliver = {}
    for m in ts:
        n = pois(rng, 7 + 3 * daily(ck.hour(m, -5), 0.4))
        msgs = [(t, f"b-{ck.at(t).strftime('%Y%m%d-%H%M')}-{rng.randint(1, 9999):04d}", 1) for t in spread(rng, m, n)]
        msgs += redeliver.pop(m, [])
        for t, batch, recv in sorted(msgs):
            req = rid(rng)
            rows = rng.randint(40, 2400)
            build = rng.lognormvariate(math.log(90 + rows * 0.12), 0.25)
            body = [(0.002, go_line(ck, t + 0.002, "info", "exporting batch", request_id=req, batch_id=batch,
                                    rows=rows, receive_count=recv))]
            if rng.random() < 0.06:
                body.append((0.01, go_line(ck, t + 0.01, "warn", "ledger row has zero amount, skipping",
                                           request_id=req, batch_id=batch, row_id=f"lr_{hexid(rng, 12)}")))
            key = f"acme-ledger-archive/{ck.at(t).strftime('%Y/%m/%d')}/{batch}.parquet"
            if t >= T_DETACH + 12:
                dur = build + rng.uniform(25, 60)
                s3id = hexid(rng, 16).upper()
                err = (f"operation error S3: PutObject, https response error StatusCode: 403, RequestID: {s3id}, "
                       f"HostID: {hexid(rng, 40)}=, api error AccessDenied: User: arn:aws:sts::482193305716:"
                       f"assumed-role/ledger-export-role/ledger-export is not authorized to perform: s3:PutObject "
                       f"on resource: \"arn:aws:s3:::{key}\" because no identity-based policy allows the "
                       f"s3:PutObject action")
                body.append((dur / 1000 - 0.003, go_line(ck, t + dur / 1000 - 0.003, "error", "archive upload failed",
                                                         request_id=req, batch_id=batch, err=err)))
                body.append((dur / 1000 - 0.001, go_line(ck, t + dur / 1000 - 0.001, "error", "handler failed",
                                                         request_id=req, err=f"export {batch}: {err}")))
                fn.invoke(m, t, req, "$LATEST", body, dur, rng.randint(61, 74), error=True)
                if recv < 3:
                    nt = t + 300 + rng.uniform(0, 8)
                    redeliver.setdefault(int(nt // 60 * 60), []).append((nt, batch, recv + 1))
            else:
                dur = build + rng.lognormvariate(math.log(140), 0.3)
                body.append((dur / 1000 - 0.002, go_line(ck, t + dur / 1000 - 0.002, "info", "archived batch",
                                                         request_id=req, batch_id=batch, key="s3://" + key,
                                                         bytes=rows * rng.randint(180, 260),
                                                         elapsed_ms=int(dur))))
                fn.invoke(m, t, req, "$LATEST", body, dur, rng.randint(58, 72))
        if (m // 60) % 10 == 0:
            t = m + rng.uniform(1, 3)
            req = rid(rng)
            d = rng.uniform(700, 1300)
            ver = "2.7.0" if t >= T_FX else "2.6.4"
            fx.invoke(m, t, req, "$LATEST",
                      [(d / 1000 - 0.01, go_line(ck, t + d / 1000 - 0.01, "info", "rates refreshed", request_id=req,
                                                 provider="ecb", pairs=rng.randint(160, 170), version=ver))],
                      d, rng.randint(38, 44))
    metrics = fn.metrics(ts) + fx.metrics(ts)
    metrics += [metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "ledger-export-batches"},
                       "Count", [(m, pois(rng, 2) if m < T_DETACH else pois(rng, 2) + int(ramp(m, T_DETACH, -300, 0, 9)))
                                 for m in ts])]
    logs = fn.logs() + fx.logs()
    resources = [
        {"type": "lambda", "id": "ledger-export",
         "properties": {"runtime": "provided.al2023", "architecture": "arm64", "handler": "bootstrap", "timeout": 60,
                        "memory_size": 512, "role": "arn:aws:iam::482193305716:role/ledger-export-role",
                        "trigger": "SQS ledger-export-batches (batch size 1, maxReceiveCount 3)",
                        "last_modified": T_CFG}},
        {"type": "lambda", "id": "fx-rates-sync",
         "properties": {"runtime": "provided.al2023", "timeout": 30, "memory_size": 256,
                        "role": "arn:aws:iam::482193305716:role/fx-rates-role", "last_modified": T_FX}},
    ]
    changes = [
        change(T_CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "ledger-export", "terraform-ci"),
        change(T_PUT, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "fx-rates-role", "terraform-ci"),
        change(T_DETACH, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", "ledger-export-role",
               "secops.ramirez@sso"),
        change(T_FX, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "fx-rates-sync", "github-actions-deploy"),
    ]
    fdims = {"FunctionName": "ledger-export"}
    alarms = [alarm_on(metrics, "ledger-export-errors", "AWS/Lambda", "Errors", fdims, "Sum", 60, 3, 2,
                       "GreaterThanThreshold", T_DETACH, "Ledger archive export failures"),
              alarm("fx-rates-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "fx-rates-sync"}, "Sum", 600, 1,
                    0, "GreaterThanThreshold", "OK", -600000)]
    return scenario(
        "h27-05-ledger-export-role-policy-detached",
        "Ledger batches are piling up in the export queue; the export function's Errors alarm fired tonight.",
        region, resources, metrics, logs, alarms, changes,
        expect("ledger-export-errors", "permission_denied", ["ledger-export", "ledger-export-role"],
               [("AWS/Lambda", "Errors", fdims)]))


# =========================================================================== 06 ===
ROUTES = ["POST /v1/queue/join", "GET /v1/events/evt_tokyo_dome_1224/seatmap", "GET /v1/events",
          "POST /v1/orders", "GET /v1/me/tickets"]


def build_06():
    rng = random.Random(270606)
    ck = Clock("2026-11-21T03:25:00Z")
    region = "ap-northeast-1"
    LB = "app/tickets-alb/5e2c9a17b4d03f68"
    T_RTD, T_UPD, T_DB, T_LAMBDA, T_SALE = -10830, -10800, -5400, -3000, -1500
    T_AS1, T_AS2, T_POL = -1260, -960, -420
    tasks = [task_id(rng) for _ in range(12)]
    desired = lambda t: 6 if t < T_AS1 + 90 else (10 if t < T_AS2 + 90 else 12)
    ev = {tid: [] for tid in tasks}
    for i, tid in enumerate(tasks[6:], 6):
        t0 = (T_AS1 if i < 10 else T_AS2) + rng.uniform(40, 80)
        for dt, cat, msg in [(0, "Microsoft.Hosting.Lifetime", "Now listening on: http://[::]:8080"),
                             (0.01, "Microsoft.Hosting.Lifetime", "Application started. Press Ctrl+C to shut down."),
                             (0.02, "Microsoft.Hosting.Lifetime", "Hosting environment: Production"),
                             (0.03, "Microsoft.Hosting.Lifetime", "Content root path: /app")]:
            ev[tid].append((t0 + dt, dotnet_json(ck, t0 + dt, "Information", cat, msg, 14 if dt == 0 else 0)))
    acc = Acc()
    ts = list(minutes(-21600))
    for m in ts:
        base = 520 * daily(ck.hour(m, 9), 0.12)
        surge = 0.0 if m < T_SALE else 6600 * math.exp(-(m - T_SALE) / 10800.0) * ramp(m, T_SALE, T_SALE + 120, 0.4, 1)
        req = pois(rng, base + surge)
        n_task = desired(m)
        load = req / n_task
        cpu = noisy(rng, 6 + 64 * min(load / 380.0, 1.12), 0.025)
        overload = max(0.0, (load - 380) / 380)
        rt = min(3.2, 0.085 + 1.6 * overload ** 1.2) + rng.uniform(0, 0.01)
        t5 = pois(rng, req * min(0.22, 0.15 * overload ** 1.5))
        acc.set("req", m, req)
        acc.set("rt_sum", m, rt * req)
        acc.set("t5", m, t5)
        acc.set("t4", m, pois(rng, req * 0.008))
        acc.set("e5", m, pois(rng, req * 0.002 * overload) + (3 if m == T_DB + 60 else 0))
        acc.set("healthy", m, n_task)
        acc.set("unhealthy", m, 0)
        acc.set("cpu", m, cpu)
        live = tasks[:n_task]
        if m >= -9000:
            for tid in live:
                counts = [int(load * f * noisy(rng, 1, 0.08)) for f in
                          ((0.05, 0.07, 0.55, 0.23, 0.10) if m < T_SALE else (0.58, 0.27, 0.08, 0.04, 0.03))]
                t = m + rng.uniform(50, 59)
                ev[tid].append((t, dotnet_json(
                    ck, t, "Information", "Tickets.Api.Diagnostics.RequestStats",
                    f"last 60s: {sum(counts)} requests, p95={rt * 1900:.0f}ms, rejected={t5 // n_task}; top routes: " +
                    ", ".join(f"{r}={c}" for r, c in sorted(zip(ROUTES, counts), key=lambda x: -x[1])[:3]))))
                if overload > 0.35 and rng.random() < 0.5:
                    t = m + rng.uniform(0, 50)
                    ev[tid].append((t, dotnet_json(
                        ck, t, "Warning", "Microsoft.AspNetCore.Server.Kestrel", "As of \"" +
                        ck.at(t).strftime("%m/%d/%Y %H:%M:%S") + " +00:00\", the heartbeat has been running for "
                        f"\"00:00:0{rng.randint(1, 3)}.{rng.randint(1000000, 9999999)}\" which is longer than "
                        "\"00:00:01\". This could be caused by thread pool starvation.", 22)))
                if t5 and rng.random() < 0.6:
                    t = m + rng.uniform(0, 59)
                    ev[tid].append((t, dotnet_json(
                        ck, t, "Warning", "Tickets.Api.Admission.QueueAdmissionMiddleware",
                        "admission rejected: concurrency limit 400 reached (queued=1000), returning 503 Retry-After: 5",
                        3001, route="POST /v1/queue/join")))
        if m == T_DB + 60:
            for tid in live[:3]:
                t = m + rng.uniform(5, 30)
                ev[tid].append((t, dotnet_json(
                    ck, t, "Error", "Microsoft.EntityFrameworkCore.Database.Connection",
                    "An error occurred using the connection to database 'tickets' on server "
                    "'tickets-db.c4hq1k7m2nzx.ap-northeast-1.rds.amazonaws.com'.", 20004,
                    exc="Npgsql.NpgsqlException (0x80004005): Exception while reading from stream\n ---> "
                        "System.IO.EndOfStreamException: Attempted to read past the end of the stream.")))
    t = T_SALE + 0.4
    ev[tasks[0]].append((t, dotnet_json(ck, t, "Information", "Tickets.Api.Sales.SaleWindowScheduler",
                                        "sale evt_tokyo_dome_1224 opened (general on-sale 12:00 JST), "
                                        "queue admission enabled", 4100)))
    lam = FnSim("ticket-email-sender", 512, ck, rng, log_from=-9000, pool=2, runtime_version="dotnet:8.v22",
                region=region)
    from .lambda_sim import dotnet_line
    for m in ts:
        k = pois(rng, 4 if m < T_SALE else 9)
        for t in spread(rng, m, k):
            req = rid(rng)
            d = rng.lognormvariate(math.log(240), 0.3)
            lam.invoke(m, t, req, "$LATEST",
                       [(d / 1000 - 0.01, dotnet_line(ck, t + d / 1000 - 0.01, req, "info",
                                                      f"sent order confirmation ord_{hexid(rng, 10)} via SES"))],
                       d, rng.randint(96, 120))
    metrics = alb_metrics(LB, ts, acc)
    metrics += ecs_metrics("events-prod", "tickets-api", ts, lambda m: acc.get("cpu", m),
                           lambda m: noisy(rng, 47, 0.03), lambda m: acc.get("healthy", m))
    metrics += rds_metrics("tickets-db", ts, rng,
                           lambda m: noisy(rng, 12 + acc.get("req", m) / 260.0, 0.06),
                           lambda m: 0 if m == T_DB + 60 else pois(rng, 18 * acc.get("healthy", m)),
                           lambda m: 410e9 - (m + 21600) * 2e3)
    metrics += lam.metrics(ts)
    logs = [stream("/ecs/tickets-api", f"ecs/tickets-api/{tid}", e) for tid, e in ev.items() if e]
    logs += lam.logs()
    resources = [
        {"type": "ecs", "id": "events-prod/tickets-api",
         "properties": {"cluster": "events-prod", "service": "tickets-api", "launch_type": "FARGATE",
                        "task_definition": "tickets-api:31", "desired_count": 12, "running_count": 12,
                        "cpu": 1024, "memory": 2048, "autoscaling": "target tracking CPU 60%, min 6, max 30",
                        "log_groups": ["/ecs/tickets-api"],
                        "deployments": [{"status": "PRIMARY", "task_definition": "tickets-api:31",
                                         "rollout_state": "COMPLETED", "created_at": T_UPD,
                                         "updated_at": T_UPD + 420}]}},
        {"type": "alb", "id": LB, "properties": {"name": "tickets-alb", "targets": "ECS service events-prod/tickets-api"}},
        {"type": "rds", "id": "tickets-db",
         "properties": {"engine": "postgres", "engine_version": "16.4", "instance_class": "db.r6g.2xlarge",
                        "max_connections": 2000, "allocated_storage_gb": 500, "multi_az": True}},
        {"type": "lambda", "id": "ticket-email-sender",
         "properties": {"runtime": "dotnet8", "timeout": 30, "memory_size": 512, "last_modified": T_LAMBDA}},
    ]
    svc = "events-prod/tickets-api"
    changes = [
        change(T_RTD, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "tickets-api:31",
               "github-actions-deploy"),
        change(T_UPD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "github-actions-deploy"),
        change(T_DB, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "tickets-db",
               "dba.takahashi@sso"),
        change(T_LAMBDA, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "ticket-email-sender", "terraform-ci"),
        change(T_AS1, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc,
               "AWSServiceRoleForApplicationAutoScaling_ECSService"),
        change(T_AS2, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc,
               "AWSServiceRoleForApplicationAutoScaling_ECSService"),
        change(T_POL, "application-autoscaling.amazonaws.com", "PutScalingPolicy",
               "AWS::ApplicationAutoScaling::ScalingPolicy", "service/events-prod/tickets-api", "oncall.ito@sso"),
    ]
    dims = {"LoadBalancer": LB}
    alarms = [alarm_on(metrics, "tickets-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", dims, "Average",
                       60, 3, 0.5, "GreaterThanThreshold", T_SALE - 60, "Tickets API average response time"),
              alarm_on(metrics, "tickets-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum",
                       60, 3, 50, "GreaterThanThreshold", T_SALE - 60, "Tickets API 5xx"),
              alarm("tickets-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "tickets-db"}, "Average",
                    300, 3, 80, "GreaterThanThreshold", "OK", -700000)]
    return scenario(
        "h27-06-tickets-on-sale-surge",
        "Ticket purchase flow is slow and some users get 'please retry' errors; latency alarm on the tickets ALB.",
        region, resources, metrics, logs, alarms, changes,
        expect("tickets-alb-latency", "traffic_surge", [svc, "tickets-api", "tickets-alb", LB],
               [("AWS/ApplicationELB", "RequestCount", dims), ("AWS/ApplicationELB", "TargetResponseTime", dims)]))
