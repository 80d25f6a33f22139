"""h14-14: a listener-rule edit on booking-alb forwards /api/* to an empty canary target group;
the ALB answers those requests itself with 503 and its ELB 5xx alarm fires."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, bump, change, metric, ok_alarm, scenario, stream
from .logfmt import pg

META = {
    "file": "h14-14-booking-alb-listener-rule.yaml", "region": "eu-west-3", "alarm": "booking-alb-elb-5xx",
    "category": "config_change", "resources": ["app/booking-alb/6d2f8e0b19c47a53", "booking-alb"],
    "position": "origin (ALB)",
    "decoys": "booking-db ModifyDBInstance (Performance Insights) 3 min before the rule edit; booking-web ECS deploy "
              "2.5 h earlier; constant 404s; booking-web CPU drops (it receives less traffic, not a fault)",
    "story": "p.lefebvre ran ModifyRule on booking-alb's HTTPS listener rule for /api/* 23 minutes ago, meaning to send "
             "10 % to the new canary; the rule now forwards 100 % to booking-api-canary-tg, which has no registered "
             "targets. From the next minute the ALB itself answers every /api/* request with 503 "
             "(HTTPCode_ELB_5XX_Count = HTTPCode_ELB_503_Count, about 60 % of RequestCount), while target 5xx stay "
             "at zero, healthy hosts stay at 3, and booking-web's access log simply stops receiving /api/ requests "
             "(its CPU drops). The faulty setting is the load balancer's listener rule. The RDS change just before "
             "only enabled Performance Insights (DB metrics unchanged) and the ECS deploy is 2.5 h old.",
}

REGION = "eu-west-3"
ALB = "app/booking-alb/6d2f8e0b19c47a53"
RULE_ARN = f"arn:aws:elasticloadbalancing:{REGION}:123456789012:listener-rule/{ALB}/0f3e5a7c9b1d2e48/8a1c2e4f6b9d0a13"
RULE_AT = -1380.0
DB_CHANGE = -1560.0
WEB_DEPLOY = -9000.0
LOG_START = -5400.0


def _gunicorn(ctx, rel, ip, method, path, status, size, secs, agent):
    return (f'{ip} - - [{ctx.at(rel).strftime("%d/%b/%Y:%H:%M:%S +0000")}] "{method} {path} HTTP/1.1" {status} {size} "-" '
            f'"{agent}" {int(secs * 1e6)}')


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 30, 10, 15, tzinfo=dt.timezone.utc), 2.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=13.0, amp=0.35)
    req = ctx.poisson(95 * shape)
    broken = T >= RULE_AT + 20
    api_share = 0.6
    elb503 = np.zeros(N)
    to_targets = np.zeros(N)
    t4 = np.zeros(N)
    rt = np.zeros(N)
    tasks = [ctx.hexs(32) for _ in range(3)]
    new_tasks = [ctx.hexs(32) for _ in range(3)]
    ev = {t: [] for t in tasks + new_tasks}
    agents = ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
              "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
              "BookingApp/4.8.2 (Android 14)", "BookingApp/4.8.1 (iOS 17.4)"]
    for i in range(N):
        rts = []
        for _ in range(int(req[i])):
            rel = float(T[i]) + ctx.uni(0, 59.9)
            is_api = rng.random() < api_share
            if is_api and rel >= RULE_AT + 20:
                elb503[i] += 1
                continue
            to_targets[i] += 1
            if is_api:
                method, path = ctx.pick([("GET", f"/api/v2/availability?hotel=h{ctx.randint(100, 999)}&from=2026-04-{ctx.randint(1, 28):02d}&nights={ctx.randint(1, 7)}"),
                                         ("GET", f"/api/v2/hotels/h{ctx.randint(100, 999)}"), ("POST", "/api/v2/bookings"),
                                         ("GET", f"/api/v2/bookings/BK{ctx.digits(8)}")])
                secs = float(rng.lognormal(np.log(0.09), 0.4))
            else:
                method, path = "GET", ctx.pick(["/", "/fr/", "/hotels/paris", f"/hotel/h{ctx.randint(100, 999)}", "/static/app.9f2c1.js",
                                                 "/static/site.41be0.css", "/account/login"])
                secs = float(rng.lognormal(np.log(0.05), 0.4))
            status, size = 200, ctx.randint(900, 48000)
            if rng.random() < 0.012:
                status, size = 404, 179
                t4[i] += 1
            rts.append(secs)
            if rel >= LOG_START:
                task = (new_tasks if rel >= WEB_DEPLOY + 120 else tasks)[ctx.randint(0, 2)]
                ev[task].append((rel + secs, _gunicorn(ctx, rel, f"10.30.{ctx.randint(1, 3)}.{ctx.randint(10, 250)}", method, path, status,
                                                       size, secs, ctx.pick(agents))))
        rt[i] = np.mean(rts) if rts else np.nan
    # health checks (ELB-HealthChecker) every 30 s per task; still 200 after the rule change
    for t in tasks + new_tasks:
        a, b = (LOG_START, WEB_DEPLOY + 150) if t in tasks else (WEB_DEPLOY + 90, 0.0)
        a = max(a, LOG_START)
        for rel in np.arange(a, b, 30.0) + ctx.uni(0, 29):
            ev[t].append((rel, _gunicorn(ctx, rel, f"10.30.{ctx.randint(1, 3)}.{ctx.randint(10, 250)}", "GET", "/healthz", 200, 15, 0.002,
                                         "ELB-HealthChecker/2.0")))
    logs = [stream("/ecs/booking-web", f"ecs/booking-web/{t}", ev[t]) for t in tasks + new_tasks]
    # booking-worker (celery) and the DB log
    wk = []
    for rel in ctx.sparse_events(0.6, LOG_START, 0.0):
        wk.append((rel, f"[{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')},{ctx.randint(0, 999):03d}: INFO/ForkPoolWorker-{ctx.randint(1, 4)}] "
                        f"Task bookings.tasks.send_confirmation[{ctx.uuid()}] succeeded in {ctx.uni(0.2, 1.4):.3f}s: None"))
    logs.append(stream("/ecs/booking-worker", f"ecs/booking-worker/{ctx.hexs(32)}", wk))
    dbl = []
    for rel in np.arange(-10800, 0, 300.0) + 11:
        dbl.append((rel, pg(ctx, rel, "LOG:  checkpoint starting: time", "", "@", 377)))
        dbl.append((rel + 150, pg(ctx, rel + 150, f"LOG:  checkpoint complete: wrote {ctx.randint(300, 900)} buffers; 0 WAL file(s) added, "
                                                  f"0 removed, 1 recycled; write=149.{ctx.randint(100, 999)} s", "", "@", 377)))
    dbl.append((DB_CHANGE + 40, pg(ctx, DB_CHANGE + 40, 'LOG:  parameter "pg_stat_statements.track" changed to "all"', "", "@", 371)))
    logs.append(stream("/aws/rds/instance/booking-db/postgresql", "booking-db.0", dbl))

    lb = {"LoadBalancer": ALB}
    svc = {"ClusterName": "booking", "ServiceName": "booking-web"}
    db = {"DBInstanceIdentifier": "booking-db"}
    metrics = [
        metric("AWS/ApplicationELB", "RequestCount", lb, "Count", req),
        metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Count", elb503),
        metric("AWS/ApplicationELB", "HTTPCode_ELB_503_Count", lb, "Count", elb503),
        metric("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", lb, "Count", to_targets - t4),
        metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", lb, "Count", t4),
        metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Count", np.zeros(N)),
        metric("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", rt),
        metric("AWS/ApplicationELB", "HealthyHostCount", lb, "Count", np.full(N, 3.0)),
        metric("AWS/ApplicationELB", "UnHealthyHostCount", lb, "Count", np.zeros(N)),
        metric("AWS/ECS", "CPUUtilization", svc, "Percent", (8 + 0.28 * to_targets) * (1 + ctx.ar1(0.04)) + bump(WEB_DEPLOY + 90, 150, 15)),
        metric("AWS/ECS", "MemoryUtilization", svc, "Percent", ctx.gauge(44, 0.015)),
        metric("AWS/ECS", "CPUUtilization", {"ClusterName": "booking", "ServiceName": "booking-worker"}, "Percent", ctx.gauge(6, 0.1, lo=1)),
        metric("AWS/RDS", "CPUUtilization", db, "Percent", ctx.gauge(12 * shape, 0.08, lo=2)),
        metric("AWS/RDS", "DatabaseConnections", db, "Count", np.round(ctx.gauge(27, 0.04))),
        metric("AWS/RDS", "ReadLatency", db, "Seconds", ctx.gauge(0.0007, 0.1, lo=0.0002), decimals=5),
        metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", ctx.gauge(141e9, 0.0004, jitter=0.0), decimals=0),
    ]
    alarms = [
        alarm(ctx, "booking-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, elb503, "Sum", 60, 3, 20.0,
              description="booking-alb returning 5xx generated by the load balancer"),
        ok_alarm("booking-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Sum", 60, 3, 10.0),
        ok_alarm("booking-web-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", lb, "Maximum", 60, 2, 0.0),
        ok_alarm("booking-db-cpu", "AWS/RDS", "CPUUtilization", db, "Average", 300, 3, 80.0),
    ]
    changes = [
        change(WEB_DEPLOY - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "booking-web:87", "github-actions"),
        change(WEB_DEPLOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "booking/booking-web", "github-actions"),
        change(-4200, "elasticloadbalancing.amazonaws.com", "CreateTargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup",
               "booking-api-canary-tg", "p.lefebvre"),
        change(DB_CHANGE, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "booking-db", "dba-automation"),
        change(RULE_AT, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule", RULE_ARN, "p.lefebvre"),
    ]
    resources = [
        {"type": "alb", "id": ALB, "properties": {
            "name": "booking-alb", "scheme": "internet-facing",
            "listeners": {"HTTPS:443": {"rules": [{"priority": 10, "condition": "path-pattern /api/*",
                                                   "action": "forward booking-api-canary-tg (weight 100)"},
                                                  {"priority": "default", "action": "forward booking-web-tg"}]}},
            "target_groups": {"booking-web-tg": {"registered_targets": 3, "health_check_path": "/healthz"},
                              "booking-api-canary-tg": {"registered_targets": 0, "health_check_path": "/healthz"}}}},
        {"type": "ecs", "id": "booking/booking-web", "properties": {"launch_type": "FARGATE", "desired_count": 3,
                                                                    "task_definition": "booking-web:87", "awslogs_groups": ["/ecs/booking-web"]}},
        {"type": "ecs", "id": "booking/booking-worker", "properties": {"launch_type": "FARGATE", "desired_count": 1,
                                                                       "awslogs_groups": ["/ecs/booking-worker"]}},
        {"type": "rds", "id": "booking-db", "properties": {"engine": "postgres", "instance_class": "db.m6g.large",
                                                            "max_connections": 800, "allocated_storage_gb": 200,
                                                            "performance_insights": True}},
    ]
    return scenario("h14-14-booking-alb-listener-rule",
                    "Booking site loads but search and checkout fail with 503; ALB 5xx alarm.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": lb}]})
