"""h53-11: fleet-pg (2 vCPU) runs an unindexed scan on a table that grows every hour; with the afternoon ramp the
database CPU pins at 100 % and the Go API behind the ALB slows down and times out."""
from __future__ import annotations

from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import alb_set, ecs_set, minutes, rds_set

REGION, CLUSTER = "sa-east-1", "fleet"
LB = "app/fleet-alb/0a2b4c6d8e1f3a5b"
NOW_H = 14.5

META = {
    "file": "h53-11-rds-pg-cpu-saturation.yaml", "region": REGION, "alarm": "fleet-alb-latency",
    "category": "cpu_saturation", "resources": ["fleet-pg"], "alarm_on": "front (ALB)",
    "decoys": "deploy of fleet-notifier (same cluster) 13 min before CPU pinned; parameter-group change and nightly "
              "CPU spike on fleet-analytics-pg; steady `geocoder: quota exceeded` ERROR lines in the API",
    "story": (
        "The fleet ALB latency alarm fires and the Go fleet-tracker-api returns 500s with `pq: canceling statement "
        "due to statement timeout`. The API tasks themselves are idle (CPU ~25 %). fleet-pg, a 2-vCPU "
        "db.m6g.large, has had CPU rising all day as both traffic and the geofence_events table grow (its slow "
        "log shows the same `SELECT ... FROM geofence_events WHERE vehicle_id = $1 AND ts > $2` taking longer "
        "and longer); about 28 minutes ago CPU reached 100 % and stayed pinned, connections piled up as queries "
        "queued, and latency and timeouts followed. Reads come from cache (ReadIOPS and disk queue low), memory "
        "and storage are fine, so this is CPU, not I/O or connections. The fleet-notifier deploy is on another "
        "service that does not query fleet-pg; the analytics DB's changes and spike are on another instance; the "
        "geocoder errors are constant. Judgement: cpu_saturation on fleet-pg."),
}


def build() -> Scenario:
    scn = Scenario("h53-11-rds-pg-cpu-saturation", "Dispatch console slow, vehicle history pages failing; ALB "
                   "latency alarm.", REGION, 5311, datetime(2026, 12, 1, 17, 30))
    rng = scn.rng
    scn.resource("rds", "fleet-pg", engine="postgres", engine_version="14.11", instance_class="db.m6g.large", vcpu=2,
                 allocated_storage_gb=400, storage_type="gp3", max_connections=800)
    scn.resource("rds", "fleet-analytics-pg", engine="postgres", engine_version="14.11", instance_class="db.r6g.xlarge",
                 allocated_storage_gb=1000, max_connections=1600)
    scn.resource("ecs", f"{CLUSTER}/fleet-tracker-api", cluster=CLUSTER, service="fleet-tracker-api",
                 launch_type="FARGATE", desired_count=4, runtime="go1.22", db_pool_max_per_task=60,
                 statement_timeout="5s", log_group="/ecs/fleet-tracker-api")
    scn.resource("ecs", f"{CLUSTER}/fleet-notifier", cluster=CLUSTER, service="fleet-notifier", launch_type="FARGATE",
                 desired_count=2)
    scn.resource("alb", LB, name="fleet-alb", scheme="internet-facing")
    mult = lambda t: diurnal(t, NOW_H, peak_hour=16.0, amp=0.38)
    rows = lambda t: 41.0e6 + 1.15e6 * (t + 21600) / 3600
    demand = lambda t: 58.0 * mult(t) / mult(-21600) * 0.62 * rows(t) / rows(-21600) + 0.38 * 58.0 * mult(t) / mult(-21600)
    sat = lambda t: demand(t) >= 99.0
    over = lambda t: max(0.0, demand(t) - 99.0)
    rds_set(scn, "fleet-pg",
            CPUUtilization=lambda t: (rng.uniform(97.5, 100.0) if sat(t) else demand(t) + rng.gauss(0, 1.5)),
            DatabaseConnections=lambda t: (min(240, 95 + over(t) * 9) if sat(t) else 48 + 20 * mult(t)) + rng.gauss(0, 3),
            ReadIOPS=lambda t: 140 + rng.gauss(0, 12), WriteIOPS=lambda t: 380 * mult(t) + rng.gauss(0, 15),
            DiskQueueDepth=lambda t: 0.6 + abs(rng.gauss(0, 0.2)),
            ReadLatency=lambda t: 0.0006 * rng.uniform(0.8, 1.2), WriteLatency=lambda t: 0.0011 * rng.uniform(0.8, 1.2),
            FreeableMemory=lambda t: 2.2e9 + rng.uniform(-4e7, 4e7),
            FreeStorageSpace=lambda t: 212e9 - (t + 21600) * 6e4 + rng.uniform(-5e6, 5e6))
    night = lambda t: -19000 <= t < -17200
    rds_set(scn, "fleet-analytics-pg", CPUUtilization=lambda t: (88 if night(t) else 7) + rng.gauss(0, 2),
            DatabaseConnections=lambda t: (30 if night(t) else 6) + rng.gauss(0, 1),
            FreeStorageSpace=lambda t: 520e9 + rng.uniform(-1e7, 1e7))
    req = counts(lambda t: 2600 * mult(t), rng)
    lat = lambda t: (0.9 + over(t) * 0.22) if sat(t) else 0.045 + 0.2 * max(0.0, demand(t) - 80) / 20
    err = lambda t: min(0.35, 0.02 + over(t) * 0.012) if sat(t) else 0.0
    ecs_set(scn, CLUSTER, "fleet-tracker-api", cpu=lambda t: 21 * mult(t) * (0.8 if sat(t) else 1) + rng.gauss(0, 1.2),
            mem=lambda t: 38 + (4 if sat(t) else 0) + rng.gauss(0, 0.4),
            insights={"RunningTaskCount": ("Count", lambda t: 4)})
    dep = -2460
    ecs_set(scn, CLUSTER, "fleet-notifier", cpu=lambda t: 9 + (14 if dep <= t < dep + 180 else 0) + rng.gauss(0, 1),
            mem=lambda t: 27 + rng.gauss(0, 0.4), insights={"RunningTaskCount": ("Count", lambda t: 4 if dep + 30 <= t < dep + 200 else 2)})
    alb = alb_set(scn, LB, req=req, rt=lambda t: lat(t) * rng.uniform(0.9, 1.1),
                  t5xx=lambda t: value_at(req, t) * err(t) * rng.uniform(0.9, 1.1) + rng.choice([0, 0, 1]),
                  e5xx=lambda t: rng.choice([0, 0, 0, 1]), healthy=lambda t: 4, unhealthy=lambda t: 0)
    scn.alarm("fleet-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60, 3, 0.8,
              "GreaterThanThreshold", points=alb["TargetResponseTime"], description="Fleet API latency above 800 ms")
    scn.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/fleet-notifier", "ci-fleet")
    scn.change(dep - 40, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "fleet-notifier:63",
               "ci-fleet")
    scn.change(-6000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
               "fleet-analytics-pg14", "dba-souza")
    onset = next(t for t in range(-21600, 0, 60) if sat(t))
    _logs(scn, req, sat, over, demand, err, onset)
    scn.set_expect("fleet-alb-latency", META["category"], META["resources"],
                   [dims_ref("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "fleet-pg"}),
                    dims_ref("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB})])
    return scn


SQL = ("SELECT id, vehicle_id, fence_id, kind, ts FROM geofence_events WHERE vehicle_id = $1 AND ts > $2 ORDER BY ts "
       "DESC LIMIT 50")


def _logs(scn, req, sat, over, demand, err, onset):
    rng = scn.rng
    api = []
    for m0 in minutes(-9000):
        for _ in range(int(value_at(req, m0) / 90)):
            t = m0 + rng.uniform(0, 60)
            vh = f"VH-{rng.randint(10000, 19999)}"
            path = rng.choice([f"/v1/vehicles/{vh}/geofence-events", f"/v1/vehicles/{vh}/position",
                               f"/v1/vehicles/{vh}/geofence-events", "/v1/fleet/summary"])
            if rng.random() < err(m0) * 2.2 and "geofence" in path:
                api.append((t + 5.0, L.logrus(scn, t + 5.0, "error", "query failed", path=path,
                                              error="pq: canceling statement due to statement timeout")))
                api.append((t + 5.002, L.logrus(scn, t + 5.002, "info", "request completed", method="GET", path=path,
                                                status=500, duration_ms=5000 + rng.randint(1, 30))))
                continue
            base = 30 if "geofence" in path else 8
            ms = base * rng.uniform(0.6, 1.6) * (1 + (over(m0) * 3.5 if sat(m0) else max(0, demand(m0) - 80) / 4))
            api.append((t, L.logrus(scn, t, "info", "request completed", method="GET", path=path, status=200,
                                    duration_ms=int(ms))))
        if rng.random() < 0.7:
            t = m0 + rng.uniform(0, 60)
            api.append((t, L.logrus(scn, t, "error", "geocoder: quota exceeded, falling back to cached address",
                                    provider="here", vehicle=f"VH-{rng.randint(10000, 19999)}")))
    scn.log("/ecs/fleet-tracker-api", "fleet-tracker-api/api/5e1c9a7b3d2f4e6081a3c5e7b9d1f2a4", api)
    pg = []
    for m0 in minutes(-9000):
        n = int(2 + over(m0) * 2.5) if sat(m0) else (1 if rng.random() < max(0.0, demand(m0) - 75) / 40 else 0)
        for _ in range(n):
            t = m0 + rng.uniform(0, 60)
            ip = f"10.50.{rng.randint(8, 15)}.{rng.randint(2, 250)}({rng.randint(40000, 65000)})"
            pid = rng.randint(10000, 40000)
            if sat(m0) and rng.random() < 0.35:
                pg.append((t, L.pg(scn, t, ip, "fleet_api@fleet", pid, "ERROR", "canceling statement due to statement timeout")))
                pg.append((t, L.pg(scn, t, ip, "fleet_api@fleet", pid, "STATEMENT", SQL)))
                continue
            d = rng.uniform(2000, 2600) if not sat(m0) else rng.uniform(2100, 4900)
            pg.append((t, L.pg(scn, t, ip, "fleet_api@fleet", pid, "LOG", f"duration: {d:.3f} ms  execute <unnamed>: {SQL}")))
            pg.append((t, L.pg(scn, t, ip, "fleet_api@fleet", pid, "DETAIL",
                               f"parameters: $1 = 'VH-{rng.randint(10000, 19999)}', $2 = "
                               f"'{scn.at(t - 86400 * 7).strftime('%Y-%m-%d %H:00:00')}+00'")))
        if scn.at(m0).minute % 20 == 7:
            t = m0 + rng.uniform(0, 50)
            pg.append((t, L.pg(scn, t, "", "@", rng.randint(40000, 50000), "LOG",
                       'automatic analyze of table "fleet.public.geofence_events"\n\tavg read rate: 0.000 MB/s, avg '
                       f"write rate: 0.000 MB/s\n\tbuffer usage: {rng.randint(30000, 32000)} hits, 0 misses, 0 dirtied\n\t"
                       f"system usage: CPU: user: {rng.uniform(0.9, 1.4):.2f} s, system: 0.03 s, elapsed: "
                       f"{rng.uniform(1.1, 2.9):.2f} s")))
    scn.log("/aws/rds/instance/fleet-pg/postgresql", "fleet-pg.0", pg)
