"""h28-07: PostgreSQL connection count creeps for hours (Go service leaking pool connections) until the limit."""
from __future__ import annotations

import random

from .common import jd, HIST, LOGS, Clock, alarm, change, diurnal, hexid, log_stream, poisson
from .logfmt import Rec, pg_line

R = "eu-west-1"
DB, CL, ETA, BFF = "routing-pg", "dispatch", "eta-service", "driver-bff"
ALB = "app/dispatch-alb/a4c90e7b31d25f68"
LIMIT, OTHERS, SAT = 397, 48, -1500
HOST = "routing-pg.cx0a1b2c3d4e.eu-west-1.rds.amazonaws.com"


def conns(t):
    if t < SAT:
        return 92 + (LIMIT - 92) * (t + HIST) / (HIST + SAT)
    return LIMIT


def build():
    rng = random.Random(2807)
    clk = Clock("2026-03-16T11:14:00")
    tops = [clk.top_of_hour(k) for k in range(7)]
    minutes = range(-HIST, 0, 60)
    db = Rec("AWS/RDS", {"DBInstanceIdentifier": DB})
    eta = Rec("AWS/ECS", {"ClusterName": CL, "ServiceName": ETA})
    bff = Rec("AWS/ECS", {"ClusterName": CL, "ServiceName": BFF})
    alb = Rec("AWS/ApplicationELB", {"LoadBalancer": ALB})
    for t in minutes:
        c = conns(t)
        cpu = 31 * diurnal(t, 0.1, 9000) + rng.gauss(0, 1.5)
        if any(top <= t < top + 60 for top in tops):
            cpu += 26
        db.put(t, CPUUtilization=cpu, DatabaseConnections=c + (rng.gauss(0, 1.2) if t < SAT else rng.choice([-1, 0, 0, 0])),
               FreeableMemory=5.9e9 - (c - 92) * 7.9e6 + rng.gauss(0, 3e7), FreeStorageSpace=2.14e11 - (t + HIST) * 3e3,
               ReadIOPS=900 + rng.gauss(0, 60), WriteIOPS=240 + rng.gauss(0, 20), ReadLatency=0.0008 + abs(rng.gauss(0, 1e-4)),
               WriteLatency=0.0012 + abs(rng.gauss(0, 1e-4)), DiskQueueDepth=0.6 + abs(rng.gauss(0, 0.2)))
        eta.put(t, CPUUtilization=22 * diurnal(t, 0.1, 9000) + rng.gauss(0, 1.2), MemoryUtilization=18 + (c - 92) * 0.012 + rng.gauss(0, 0.3))
        bcpu = 17 + rng.gauss(0, 1.2) + (9 if -1800 <= t < -1560 else 0)
        bff.put(t, CPUUtilization=bcpu, MemoryUtilization=34 + rng.gauss(0, 0.5))
        req = poisson(rng, 5200 * diurnal(t, 0.1, 9000))
        sat = t >= SAT
        alb.put(t, RequestCount=req, TargetResponseTime=(0.09 if not sat else 0.7) + abs(rng.gauss(0, 0.01)),
                HTTPCode_Target_5XX_Count=poisson(rng, req * 0.055 if sat else 0.4), HTTPCode_ELB_5XX_Count=poisson(rng, 0.1),
                HTTPCode_Target_4XX_Count=poisson(rng, 21), HealthyHostCount=12, UnHealthyHostCount=0)

    # ---- eta-service logs (Go, zap JSON), 8 tasks ----
    tasks = [hexid(rng) for _ in range(8)]
    el = {k: [] for k in tasks}
    pg = []
    wait = {k: 0 for k in tasks}
    for t in range(-LOGS, 0, 60):
        c = conns(t)
        per = (c - OTHERS) / 8
        for i, k in enumerate(tasks):
            op = int(per + rng.uniform(-1.5, 1.5))
            if t >= SAT:
                wait[k] += rng.randint(40, 90)
            ts = t + 7 + i * 0.8
            el[k].append((ts, jd({"level": "info", "ts": clk.iso(ts), "caller": "store/pool.go:44", "msg": "db pool stats",
                                          "open": op, "in_use": max(0, op - rng.randint(0, 1)), "idle": rng.randint(0, 1),
                                          "wait_count": wait[k], "max_open": 0, "max_idle": 2})))
        for _ in range(poisson(rng, 10)):
            ts = t + rng.uniform(0, 59)
            k = rng.choice(tasks)
            if t >= SAT and rng.random() < 0.22:
                el[k].append((ts, jd({"level": "error", "ts": clk.iso(ts), "caller": "api/eta.go:71", "msg": "get eta failed",
                                              "order": f"o-{rng.randint(1000000, 9999999)}",
                                              "error": f"failed to connect to `host={HOST} user=eta_svc database=routing`: server error "
                                                       "(FATAL: remaining connection slots are reserved for roles with the SUPERUSER "
                                                       "attribute (SQLSTATE 53300))"})))
                if rng.random() < 0.5:
                    pg.append((ts, pg_line(clk, ts, f"10.8.{rng.randint(4, 7)}.{rng.randint(10, 250)}", "eta_svc", "routing",
                                           rng.randint(20000, 40000), "FATAL",
                                           "remaining connection slots are reserved for roles with the SUPERUSER attribute")))
            elif rng.random() < 0.06:
                el[k].append((ts, jd({"level": "warn", "ts": clk.iso(ts), "caller": "osrm/client.go:102",
                                              "msg": "osrm upstream returned 429, falling back to haversine estimate",
                                              "zone": f"Z{rng.randint(1, 90):03d}"})))
            else:
                el[k].append((ts, jd({"level": "info", "ts": clk.iso(ts), "caller": "api/eta.go:88", "msg": "eta computed",
                                              "order": f"o-{rng.randint(1000000, 9999999)}", "stops": rng.randint(1, 12),
                                              "latency_ms": rng.randint(12, 60) + (rng.randint(200, 900) if t >= SAT else 0)})))
        if t < SAT and rng.random() < 0.9:
            ts = t + rng.uniform(0, 59)
            pg.append((ts, pg_line(clk, ts, f"10.8.{rng.randint(4, 7)}.{rng.randint(10, 250)}", "eta_svc", "routing",
                                   rng.randint(20000, 40000), "LOG",
                                   "connection authorized: user=eta_svc database=routing application_name=eta-service "
                                   "SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)")))
    for top in tops:
        if top >= -LOGS:
            pg.append((top + 48.3, pg_line(clk, top + 48.3, "10.8.9.14", "routing_jobs", "routing", rng.randint(5000, 9000), "LOG",
                                           f"duration: 4{rng.randint(6000, 9999)}.{rng.randint(100, 999)} ms  statement: "
                                           "REFRESH MATERIALIZED VIEW CONCURRENTLY eta_zone_stats")))
    # ---- driver-bff logs (Node, node-postgres) ----
    bl = []
    for t in range(-LOGS, 0, 60):
        for _ in range(poisson(rng, 5)):
            ts = t + rng.uniform(0, 59)
            if t >= SAT and rng.random() < 0.08:
                bl.append((ts, jd({"level": 50, "time": clk.epoch(ts) * 1000 + rng.randint(0, 999), "pid": 1,
                                           "hostname": f"ip-10-8-5-{rng.randint(10, 200)}", "msg": "shift summary query failed",
                                           "err": {"type": "DatabaseError", "message": "remaining connection slots are reserved for "
                                                   "roles with the SUPERUSER attribute", "code": "53300"}})))
            else:
                bl.append((ts, jd({"level": 30, "time": clk.epoch(ts) * 1000 + rng.randint(0, 999), "pid": 1,
                                           "hostname": f"ip-10-8-5-{rng.randint(10, 200)}", "msg": "request completed",
                                           "req": {"method": "GET", "url": rng.choice(["/v1/shift/current", "/v1/jobs/next", "/v1/earnings"])},
                                           "res": {"statusCode": 200}, "responseTime": rng.randint(20, 90)})))
        if t == -1740:
            bl.append((t + 3, jd({"level": 30, "time": clk.epoch(t + 3) * 1000, "pid": 1, "hostname": "ip-10-8-5-31",
                                          "msg": "driver-bff 5.12.0 listening on :3000 (pg pool max=20 per task)"})))

    metrics = db.metrics() + eta.metrics() + bff.metrics() + alb.metrics()
    alarms = [alarm(clk, "routing-pg-connections-high", db.get("DatabaseConnections"), "Maximum", 60, 5, 380,
                    description="routing-pg connections above 95 % of max_connections (400)"),
              alarm(clk, "dispatch-alb-5xx", alb.get("HTTPCode_Target_5XX_Count"), "Sum", 60, 3, 100, after=SAT,
                    description="Dispatch ALB target 5XX")]
    changes = [
        change(-1860, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "driver-bff:88", "github-actions"),
        change(-1800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{BFF}", "github-actions"),
    ]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-07-routing-pg-connection-creep",
        "description": "routing-pg connection count alarm; dispatch apps starting to return errors.",
        "region": R,
        "resources": [
            {"type": "rds", "id": DB, "properties": {"engine": "postgres", "engine_version": "16.2", "instance_class": "db.m6g.large",
                                                   "max_connections": 400, "allocated_storage_gb": 300}},
            {"type": "ecs", "id": f"{CL}/{ETA}", "properties": {"launch_type": "FARGATE", "desired_count": 8, "runtime": "go1.22 (pgx v5 stdlib)",
                                                              "log_groups": [f"/ecs/{ETA}"], "task_definition": "eta-service:61"}},
            {"type": "ecs", "id": f"{CL}/{BFF}", "properties": {"launch_type": "FARGATE", "desired_count": 2, "runtime": "nodejs20 (pg 8.11)",
                                                              "log_groups": [f"/ecs/{BFF}"], "task_definition": "driver-bff:88"}},
            {"type": "alb", "id": ALB, "properties": {"name": "dispatch-alb"}},
        ],
        "metrics": metrics,
        "logs": [log_stream(f"/ecs/{ETA}", f"ecs/{ETA}/{k}", v) for k, v in el.items()] +
                [log_stream(f"/ecs/{BFF}", f"ecs/{BFF}/{hexid(rng)}", bl), log_stream(f"/aws/rds/instance/{DB}/postgresql", DB, pg)],
        "alarms": alarms, "changes": changes,
        "expect": {"alarm": "routing-pg-connections-high",
                   "root_cause": {"category": "db_connection_exhaustion", "resource": [DB, f"{CL}/{ETA}", ETA]},
                   "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": DB}}]},
    }
    meta = {"alarm_on": "origin (routing-pg)",
            "decoys": "driver-bff deploy 30 min ago (its errors are connection-slot errors too); hourly REFRESH MATERIALIZED VIEW "
                      "CPU bumps; constant OSRM 429 fallback WARNs; a second alarm on the dispatch ALB",
            "story": (
                "DatabaseConnections on routing-pg rises almost linearly from 92 to the 397 usable slots over six hours while "
                "request volume is flat. eta-service's per-task 'db pool stats' show open == in_use growing with idle ~0 and "
                "max_open=0 (unbounded pool): connections are checked out and never returned. The connections alarm (95 %) "
                "fires when the creep crosses 380, and ~25 minutes ago the limit is reached: new connections from eta-service "
                "and driver-bff fail with SQLSTATE 53300 'remaining connection slots are reserved', and the dispatch ALB starts "
                "returning 5XX. Category db_connection_exhaustion; the exhausted resource is routing-pg and the slots are held "
                "by eta-service, so both are accepted. The driver-bff deploy happened long after the creep began and its pool is "
                "capped at 20 per task; FreeableMemory drifts down with the backend count but stays far from the limit.")}
    return scen, meta
