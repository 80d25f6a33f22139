"""h36-04 Tue 03:20 London, fulfilment (-prd): internal ALB latency.

The PostgreSQL instance's storage stalls (read/write latency x300, queue depth 60) with CPU,
connections and free space all healthy; shipment-api times out on it.
"""
from __future__ import annotations

from . import logfmt as L
from .common import Scenario, anomaly, smooth
from .fleet import Fleet
from .infra import GB, alb, ecs, rds

CL, DB = "fulfilment-prd", "fulfilment-pg-prd"
LB = "app/fulfilment-int-prd/2b9d0c4e6a8f1735"
T0 = -2100

META = {
    "region": "eu-west-2", "category": "dependency_failure", "front": "front (ALB)",
    "resources": [DB],
    "decoys": "label-printer-worker deploy 15 min before onset (does not use the DB, healthy); "
              "steady carrier-rate cache-miss WARNs in shipment-api; nightly report query in "
              "the slow-query log before the onset",
    "story": (
        "The internal ALB in front of shipment-api pages on latency (35 ms to 4-6 s) with target "
        "5xx. shipment-api's own resources are idle (CPU falls), and its errors are all database "
        "calls: `canceling statement due to statement timeout (SQLSTATE 57014)` and `context "
        "deadline exceeded` on UPDATE/INSERT of shipments. fulfilment-pg-prd shows why: read "
        "latency 1 ms to 0.3-0.9 s, write latency to 0.5-1.5 s, DiskQueueDepth ~60, IOPS "
        "collapsing, checkpoints taking minutes to sync and every statement in the slow log; yet "
        "CPU is low, connections 230 of 1600 and over 300 GB free. No change touches the DB or "
        "shipment-api; the only deploy (label-printer-worker) does not use this database. The "
        "database is failing without being exhausted: dependency_failure, origin fulfilment-pg-prd."),
}


def build() -> Scenario:
    s = Scenario(4, "fulfilment-latency-pg-io-stall", 3604, "eu-west-2",
                 "Paged 03:20 by fulfilment-int-prd-latency; night shift reports handheld scanners "
                 "spinning on 'confirm shipment'.", "2026-03-10T03:20:00", 0)
    r = s.rng
    s.resource("alb", LB, name="fulfilment-int-prd", scheme="internal")
    s.resource("ecs", f"{CL}/shipment-api", launch_type="FARGATE", desired_count=4, cpu=512,
               memory=1024, task_definition="shipment-api:311", log_group=f"/ecs/{CL}/shipment-api")
    s.resource("ecs", f"{CL}/label-printer-worker", launch_type="FARGATE", desired_count=2,
               cpu=256, memory=512, task_definition="label-printer-worker:44",
               log_group=f"/ecs/{CL}/label-printer-worker")
    s.resource("rds", DB, engine="postgres", engine_version="15.5", instance_class="db.m6g.xlarge",
               max_connections=1600, allocated_storage_gb=500, storage_type="gp3", multi_az=False)

    f = lambda t: smooth(t, T0, T0 + 90)
    spiky = lambda: r.uniform(0.5, 1.6)
    req = lambda t: 720 * s.diurnal(t, floor=0.6, peak=15) * (1 + 0.12 * f(t))
    alb_pts = alb(s, LB, {
        "RequestCount": lambda t: s.noise(req(t), 0.05),
        "TargetResponseTime": lambda t: s.noise(0.036, 0.1) + f(t) * r.uniform(3.2, 5.8),
        "HTTPCode_Target_5XX_Count": lambda t: (1 if r.random() < 0.1 else 0) + f(t) * r.uniform(18, 55),
        "HTTPCode_Target_4XX_Count": lambda t: s.noise(6, 0.3),
        "HTTPCode_ELB_5XX_Count": lambda t: f(t) * r.choice([0, 0, 1, 2]),
        "HealthyHostCount": lambda t: 4,
        "UnHealthyHostCount": lambda t: 0,
    })
    ecs(s, CL, "shipment-api", {
        "CPUUtilization": lambda t: s.noise(21 - 9 * f(t), 0.1),
        "MemoryUtilization": lambda t: s.noise(37 + 6 * f(t), 0.03),
        "RunningTaskCount": lambda t: 4,
    })
    ecs(s, CL, "label-printer-worker", {
        "CPUUtilization": lambda t: s.noise(7, 0.25) + (12 if -3060 <= t < -2940 else 0),
        "MemoryUtilization": lambda t: s.noise(29, 0.04),
        "RunningTaskCount": lambda t: 2 + (2 if -3000 <= t < -2820 else 0),
    })
    rds(s, DB, {
        "CPUUtilization": lambda t: s.noise(24 - 10 * f(t), 0.1) + (30 if -19800 <= t < -19200 else 0),
        "DatabaseConnections": lambda t: s.noise(88 + 140 * f(t), 0.04),
        "FreeStorageSpace": lambda t: 312 * GB - (t + 21600) * 2500 + r.uniform(-5e7, 5e7),
        "FreeableMemory": lambda t: s.noise(6.4 * GB, 0.01),
        "ReadLatency": lambda t: s.noise(0.0012, 0.12) + f(t) * 0.42 * spiky(),
        "WriteLatency": lambda t: s.noise(0.0018, 0.12) + f(t) * 0.85 * spiky(),
        "ReadIOPS": lambda t: s.noise(1400 - 1180 * f(t), 0.12),
        "WriteIOPS": lambda t: s.noise(790 - 640 * f(t), 0.12),
        "DiskQueueDepth": lambda t: s.noise(0.7 + 62 * f(t), 0.2),
    })

    # ---------------------------------------------------------------- PostgreSQL log
    g, st = f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0"
    for t in range(-10800, 0, 300):
        slow = t >= T0
        s.emit(g, st, t + r.uniform(0, 2), L.pg(s, t, "checkpoint starting: time", pid=389))
        wr = r.uniform(268, 290) if slow else r.uniform(26.5, 27.2)
        sy = r.uniform(40, 120) if slow else r.uniform(0.002, 0.03)
        tt = t + (wr + sy if slow else 27)
        if tt < 0:
            s.emit(g, st, tt, L.pg_checkpoint(s, tt, r.randint(2000, 9000), wr, sy, pid=389))
    for t in (-19790, -19500, -19260):
        s.emit(g, st, t, L.pg(s, t, f"duration: {r.uniform(1200, 4800):.3f} ms  statement: SELECT carrier, "
               "count(*) FROM shipments WHERE created_at >= now() - interval '1 day' GROUP BY carrier",
               client=f"10.40.9.21({r.randint(30000, 60000)})", user="reporting_ro", db="fulfilment"))
    stmts = ["execute <unnamed>: UPDATE shipments SET status = $1, updated_at = now() WHERE id = $2",
             "execute <unnamed>: INSERT INTO shipment_events (shipment_id, kind, payload, created_at) VALUES ($1, $2, $3, now())",
             "execute <unnamed>: SELECT id, status, carrier, label_url FROM shipments WHERE order_ref = $1",
             "execute <unnamed>: UPDATE pick_tasks SET state = $1 WHERE shipment_id = $2 AND state = 'open'"]

    def slowq(t):
        if r.random() < 0.7:
            return L.pg(s, t, f"duration: {r.uniform(1100, 9800):.3f} ms  {r.choice(stmts)}",
                        client=f"10.40.{r.randint(1, 3)}.{r.randint(10, 250)}({r.randint(30000, 60000)})",
                        user="shipment_api", db="fulfilment")
        if r.random() < 0.6:
            return L.pg(s, t, "canceling statement due to statement timeout", level="ERROR",
                        client=f"10.40.{r.randint(1, 3)}.{r.randint(10, 250)}({r.randint(30000, 60000)})",
                        user="shipment_api", db="fulfilment")
        return L.pg(s, t, "could not receive data from client: Connection reset by peer",
                    client=f"10.40.{r.randint(1, 3)}.{r.randint(10, 250)}({r.randint(30000, 60000)})",
                    user="shipment_api", db="fulfilment")
    for m0 in range(T0 + 30, 0, 60):
        for _ in range(s.poisson(26)):
            t = m0 + r.random() * 60
            s.emit(g, st, t, slowq(t))
    for i in range(3):
        t = T0 + 400 + i * 700
        s.emit(g, st, t, L.pg(s, t, "using stale statistics instead of current ones because stats "
                                    "collector is not responding", pid=r.randint(400, 900)))

    # ---------------------------------------------------------------- shipment-api logs (zap)
    api = Fleet(s, f"/ecs/{CL}/shipment-api")
    for _ in range(4):
        api.task("shipment-api")
    routes = [("POST", "/v1/shipments/{id}/events"), ("PATCH", "/v1/shipments/{id}"),
              ("GET", "/v1/shipments/by-order/{id}"), ("POST", "/v1/pick-tasks/{id}/complete")]

    def ok_req(t, m):
        meth, path = r.choice(routes)
        slow = f(t) > 0.5
        dur = r.uniform(800, 9800) if slow else r.uniform(6, 60)
        api.emit(m, t, L.zap(s, t, "info", "httpx/middleware.go:88", "request completed", method=meth,
                             path=path.replace("{id}", f"shp_{s.hexid(10)}"), status=200,
                             duration_ms=round(dur, 1), trace_id=s.hexid(32)))
    api.spread(-7200, 0, lambda t: 18 * s.diurnal(t, 0.6, 15), ok_req)
    api.spread(-7200, 0, lambda t: 3, lambda t, m: api.emit(m, t, L.zap(
        s, t, "warn", "carriers/rates.go:142", "carrier rate cache miss",
        carrier=r.choice(["DPD", "RoyalMail", "Evri", "DHL"]), postcode_area=r.choice(["LS", "M", "B", "G", "EH"]))))

    def err_req(t, m):
        meth, path = r.choice(routes[:2] + routes[3:])
        sid = f"shp_{s.hexid(10)}"
        err = r.choice(["ERROR: canceling statement due to statement timeout (SQLSTATE 57014)",
                        "timeout: context deadline exceeded"])
        caller, what = r.choice([("store/shipments.go:211", "update shipment status"),
                                 ("store/events.go:67", "insert shipment event"),
                                 ("store/picktasks.go:119", "complete pick task")])
        api.emit(m, t, L.zap(s, t, "error", caller, what, shipment_id=sid, error=err, trace_id=s.hexid(32)))
        api.emit(m, t + 0.002, L.zap(s, t, "warn", "httpx/middleware.go:88", "request completed", method=meth,
                                     path=path.replace("{id}", sid), status=504, duration_ms=round(r.uniform(10000, 10020), 1)))
    pts5 = dict(map(tuple, alb_pts["HTTPCode_Target_5XX_Count"]))
    for m0 in range(T0, 0, 60):
        for _ in range(int(pts5.get(m0 - m0 % 60, 0))):
            t = m0 + r.random() * 60
            err_req(t, r.choice(api.alive(t)))

    # ---------------------------------------------------------------- label printer (decoy deploy)
    lp = Fleet(s, f"/ecs/{CL}/label-printer-worker")
    for i in range(2):
        lp.task("label-printer-worker", end=-2860 + i * 30)
        m = lp.task("label-printer-worker", start=-2990 + i * 20)
        lp.emit(m, m.start + 1.2, L.zap(s, m.start + 1.2, "info", "cmd/worker/main.go:54", "starting label-printer-worker",
                                        version="1.19.0", queue="fulfilment-labels-prd"))
    lp.spread(-7200, 0, lambda t: 5 * s.diurnal(t, 0.6, 15), lambda t, m: lp.emit(m, t, L.zap(
        s, t, "info", "printer/zebra.go:201", "printed label batch", labels=r.randint(1, 12),
        printer=f"LHR3-ZT{r.randint(1, 24):02d}", duration_ms=r.randint(300, 1600))))

    s.change(-3020, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "label-printer-worker:44", "codepipeline-fulfilment")
    s.change(-3000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
             f"{CL}/label-printer-worker", "codepipeline-fulfilment")
    s.change(-16400, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB,
             "aws-backup-fulfilment")

    dims = {"LoadBalancer": LB}
    s.alarm("fulfilment-int-prd-latency", "AWS/ApplicationELB", "TargetResponseTime", dims,
            alb_pts["TargetResponseTime"], "Average", 60, 3, 2, "GreaterThanThreshold",
            "Fulfilment internal ALB average target response time")
    s.quiet_alarm(f"{DB}-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB},
                  "Average", 300, 3, 85, "GreaterThanThreshold")
    s.quiet_alarm(f"{DB}-free-storage-low", "AWS/RDS", "FreeStorageSpace",
                  {"DBInstanceIdentifier": DB}, "Minimum", 300, 1, 20 * GB, "LessThanThreshold")
    ddims = {"DBInstanceIdentifier": DB}
    s.expect("fulfilment-int-prd-latency", "dependency_failure", META["resources"],
             [anomaly("AWS/RDS", "WriteLatency", ddims), anomaly("AWS/RDS", "ReadLatency", ddims),
              anomaly("AWS/RDS", "DiskQueueDepth", ddims),
              anomaly("AWS/ApplicationELB", "TargetResponseTime", dims)])
    s.meta = META
    return s
