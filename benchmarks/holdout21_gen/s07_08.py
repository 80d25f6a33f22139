"""h21-07 (RDS MySQL out of storage) and h21-08 (ECS on EC2, external carrier API down)."""
from __future__ import annotations

import json

from .common import LogSink, Rng, alarm, change, diurnal, iso, plain_ts, ramp, scenario
from .kits import GB, alb_set, ec2_set, ecs_set, rds_set


def _mysql_ts(t):
    return iso(t)[:-1] + "456Z"


# ----------------------------------------------------------------------------- 07
def s07():
    rng = Rng(2107)
    region = "us-west-2"
    db = "shop-mysql"
    lb, tg = "app/shop-alb/2c4e6a8b0d2f4a61", "targetgroup/order-api-tg/5e7a9c1b3d5f7a90"
    t_full = -1500
    sink = LogSink()

    def free_gb(t):
        if t >= t_full:
            return 0.12 + 0.1 * rng.random()
        return 31.0 - 0.4 * (t + 21600) / 3600 - 28.5 * ramp(t, -10800, t_full) ** 1.1

    err_grp, app_grp = f"/aws/rds/instance/{db}/error", "/ecs/order-api"
    tasks = [f"ecs/order-api/{rng.hexid(32)}" for _ in range(3)]
    log_start = -7200
    errs = {}

    def myerr(t, thread, level, code, sub, msg):
        sink.add(err_grp, db, t, f"{_mysql_ts(t)} {thread} [{level}] [{code}] [{sub}] {msg}")

    def app(stream, t, level, thread, logger, msg):
        trace = rng.hexid(16)
        sink.add(app_grp, stream, t, f"{plain_ts(t)} {level:>5} [order-api,{trace}] 1 --- [{thread}] {logger:<40} : {msg}")

    offset = 21474836480
    for m in range(log_start, 0, 60):
        if rng.random() < 0.25:  # pre-existing noise on the DB
            myerr(m + rng.uniform(0, 59), 0, "Warning", "MY-010055", "Server",
                  f"IP address '10.30.{rng.randint(1, 9)}.{rng.randint(2, 250)}' could not be resolved: Name or service not known")
        for _ in range(rng.poisson(46 * diurnal(m, 0.1, 4))):
            t = m + rng.uniform(0, 59.8)
            s = rng.choice(tasks)
            th = f"nio-8080-exec-{rng.randint(1, 50)}"
            if m >= t_full and rng.random() < 0.8:
                app(s, t, "WARN", th, "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 1114, SQLState: HY000")
                app(s, t + 0.001, "ERROR", th, "o.h.engine.jdbc.spi.SqlExceptionHelper", "The table 'order_events' is full")
                app(s, t + 0.004, "ERROR", th, "c.a.shop.web.OrderController",
                    "POST /v2/orders failed: org.springframework.dao.DataAccessResourceFailureException: could not execute statement "
                    "[The table 'order_events' is full] [insert into order_events (created_at,event_type,order_id,payload) values (?,?,?,?)]; "
                    "SQL [insert into order_events (created_at,event_type,order_id,payload) values (?,?,?,?)]")
                if rng.random() < 0.15:
                    tid = rng.randint(3000, 9000)
                    myerr(t - 0.01, tid, "ERROR", "MY-012639", "InnoDB",
                          f"Write to file ./shop/order_events.ibd failed at offset {offset}, 1048576 bytes should have been written, only 0 were "
                          f"written. Operating system error number 28. Check that your OS and file system support files of this size. Check also "
                          f"that the disk is not full or there is not enough disk space.")
                    myerr(t - 0.009, tid, "ERROR", "MY-012640", "InnoDB", "Error number 28 means 'No space left on device'")
                    myerr(t - 0.008, tid, "ERROR", "MY-013132", "Server", "The table 'order_events' is full!")
                errs[m] = errs.get(m, 0) + 1
            else:
                app(s, t, "INFO", th, "c.a.shop.web.OrderController",
                    f"order ORD-{rng.randint(10000000, 99999999)} created items={rng.randint(1, 7)} total={rng.uniform(8, 640):.2f} USD in {rng.randint(18, 95)} ms")
        if rng.random() < 0.4:  # pre-existing, constant deprecation warning
            app(rng.choice(tasks), m + rng.uniform(0, 59), "WARN", f"nio-8080-exec-{rng.randint(1, 50)}", "c.a.shop.web.ApiVersionFilter",
                "deprecated API v1 called by client ios-4.2.1; sunset 2027-01-31")
        if m >= t_full and rng.random() < 0.3:
            myerr(m + rng.uniform(0, 59), rng.randint(3000, 9000), "ERROR", "MY-000035", "Server",
                  f"Disk is full writing './mysql-bin-changelog.{rng.randint(148210, 148230):06d}' (OS errno 28 - No space left on device). "
                  f"Waiting for someone to free space... Retry in 60 secs. Write of {rng.randint(4000, 60000)} bytes failed.")

    metrics = rds_set(rng, db, cpu=lambda t: 24 * diurnal(t, 0.1, 4) + 10 * ramp(t, -10800, -10500) * (1 - ramp(t, t_full, t_full + 200)),
                      conns=lambda t: 74, free_storage_gb=free_gb, freeable_mem_gb=lambda t: 11.2,
                      write_lat=lambda t: 0.0024 + 0.003 * ramp(t, -10800, -10500),
                      extra=[("WriteIOPS", "Count/Second", lambda t: 420 * diurnal(t, 0.1, 4) + 1900 * ramp(t, -10800, -10500) *
                              (1 - ramp(t, t_full, t_full + 200)) * rng.uniform(0.9, 1.1), 1),
                             ("BinLogDiskUsage", "Bytes", lambda t: (4.1 + 10.5 * ramp(t, -10800, t_full)) * GB, 0)])
    metrics += rds_set(rng, "analytics-mysql", cpu=lambda t: 18 + (62 if -9300 <= t < -8100 else 0), conns=lambda t: 12,
                       free_storage_gb=lambda t: 402, freeable_mem_gb=lambda t: 6.1)

    def t5(t):
        return errs.get(int(t), 0) + 0.1 if t >= log_start else 0.1

    metrics += alb_set(rng, lb, req=lambda t: 310 * diurnal(t, 0.1, 4), rt=lambda t: 0.061, t5xx=t5, t4xx=lambda t: 5,
                       tgs=[(tg, lambda t: 3, lambda t: 0)])
    metrics += ecs_set(rng, "shop", "order-api", cpu=lambda t: 23 * diurnal(t, 0.1, 4), mem=lambda t: 58, running=lambda t: 3,
                       desired=lambda t: 3)
    resources = [
        {"type": "rds", "id": db, "properties": {"engine": "mysql", "engine_version": "8.0.39", "instance_class": "db.r6g.xlarge",
                                                 "allocated_storage_gb": 500, "max_allocated_storage_gb": None, "storage_type": "gp3",
                                                 "max_connections": 2000, "binlog_retention_hours": 168}},
        {"type": "rds", "id": "analytics-mysql", "properties": {"engine": "mysql", "engine_version": "8.0.39",
                                                              "instance_class": "db.r6g.large", "allocated_storage_gb": 1000,
                                                              "parameter_group": "analytics-mysql-params"}},
        {"type": "ecs", "id": "shop/order-api", "properties": {"launch_type": "FARGATE", "task_definition": "order-api:88",
                                                               "desired_count": 3, "log_group": app_grp, "load_balancer": "shop-alb"}},
        {"type": "alb", "id": lb, "properties": {"name": "shop-alb", "target_groups": [tg], "targets": "ecs:shop/order-api"}},
    ]
    changes = [change(-4000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "analytics-mysql-params", "dba-chen"),
               change(-11000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", "analytics-mysql", "dba-chen")]
    alarms = [alarm("shop-mysql-free-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Minimum", 300, 1,
                    5 * GB, "LessThanThreshold", -2700, description="shop-mysql free storage below 5 GiB")]
    doc = scenario("h21-07-shop-mysql-storage-full",
                   "RDS free-storage alarm on the shop database; new orders are starting to fail.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "shop-mysql-free-storage-low",
                    "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                    "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": db}}]})
    meta = {"placement": "origin (RDS)",
            "decoys": "parameter-group change and snapshot on analytics-mysql (another DB) with its nightly CPU spike; "
                      "constant DNS-resolve warnings and API-deprecation WARNs",
            "story": "Three hours ago a heavy write load started on shop-mysql (WriteIOPS x5, binlog usage 4 -> 14.6 GiB) "
                     "and FreeStorageSpace, already only 31 GiB with storage autoscaling off, fell to ~0.2 GiB. The MySQL "
                     "error log shows OS errno 28 on order_events.ibd and on the binlog, and order-api gets error 1114 "
                     "'The table order_events is full' on every insert. The parameter-group change is on analytics-mysql, "
                     "an unrelated DB. Storage at zero with 'No space left on device' is storage_exhaustion on shop-mysql."}
    return doc, meta


# ----------------------------------------------------------------------------- 08
def s08():
    rng = Rng(2108)
    region = "ca-central-1"
    lb, tg = "app/logistics-alb/8b0d2f4a6c8e0a13", "targetgroup/label-svc-tg/3f5b7d9e1a3c5e72"
    t_on = -2150
    sink = LogSink()
    grp = "/ecs/label-svc"
    tasks = [f"label-svc/label-svc/{rng.hexid(32)}" for _ in range(3)]
    log_start = -7200
    url = "https://api.maplepost-shipping.com/v2/shipments/label"
    stats = {}

    def sl(stream, t, level, msg, **kv):
        d = {"time": iso(t), "level": level, "msg": msg}
        d.update(kv)
        sink.add(grp, stream, t, json.dumps(d))

    breaker_open_until = {}
    for m in range(log_start, 0, 60):
        n = rng.poisson(34 * diurnal(m, 0.1, 5))
        errs, lat = 0, 0.0
        for _ in range(n):
            t = m + rng.uniform(0, 59.5)
            s = rng.choice(tasks)
            shp = f"SHP-{rng.randint(1000000, 9999999)}"
            carrier = rng.choices(["maplepost", "purolink"], [72, 28])[0]
            if carrier == "maplepost" and t >= t_on:
                if breaker_open_until.get(s, -1e9) > t:
                    sl(s, t + 0.001, "ERROR", "create label failed", shipment=shp, carrier=carrier, status=503,
                       err="carrier maplepost unavailable: circuit breaker is open")
                    errs += 1
                    lat += 0.002
                    continue
                kind = rng.random()
                if kind < 0.7:
                    for a in (1, 2, 3):
                        sl(s, t + 8 * a, "WARN" if a < 3 else "ERROR", "carrier request failed", carrier=carrier, op="CreateShipmentLabel",
                           shipment=shp, attempt=a,
                           err=f"Post \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
                    took = 24.0 + rng.uniform(0.01, 0.05)
                else:
                    sl(s, t + 1.2, "ERROR", "carrier request failed", carrier=carrier, op="CreateShipmentLabel", shipment=shp, attempt=1,
                       status=503, err="unexpected status 503 Service Unavailable: upstream connect error or disconnect/reset before headers. "
                                       "reset reason: connection timeout")
                    took = 1.21
                lat += took
                sl(s, t + took, "ERROR", "create label failed", shipment=shp, carrier=carrier, status=502,
                   err="carrier maplepost: upstream error")
                errs += 1
                if rng.random() < 0.08:
                    sl(s, t + 0.02, "WARN", "circuit breaker state change", name="maplepost", **{"from": "closed", "to": "open"})
                    breaker_open_until[s] = t + 30
                    sl(s, t + 30.01, "INFO", "circuit breaker state change", name="maplepost", **{"from": "open", "to": "half-open"})
            else:
                d = rng.uniform(0.18, 0.6)
                lat += d
                sl(s, t + d, "INFO", "label created", shipment=shp, carrier=carrier, service=rng.choice(["expedited", "regular", "priority"]),
                   carrier_ms=int(d * 1000 - 12), status=200)
        if rng.random() < 0.6:  # pre-existing client error at a constant rate
            sl(rng.choice(tasks), m + rng.uniform(0, 59), "ERROR", "address validation failed", status=422,
               err=f"postal code {rng.choice(['H0H 0H0', 'K1A 0B1X', 'M5V'])!r} is not valid for country CA")
        stats[m] = (n, errs, lat / n if n else 0.25)

    def req(t):
        return stats[t][0] + 260 if t in stats else 34 * diurnal(t, 0.1, 5) + 260

    def rt(t):
        if t in stats:
            n, _e, l = stats[t]
            return (n * l + 260 * 0.05) / (n + 260)
        return (34 * 0.36 + 260 * 0.05) / 294

    metrics = alb_set(rng, lb, req=req, rt=rt, t5xx=lambda t: stats[t][1] if t in stats else 0.2, t4xx=lambda t: 0.6 + 6,
                      tgs=[(tg, lambda t: 3, lambda t: 0)])
    metrics += ecs_set(rng, "logistics", "label-svc", cpu=lambda t: 17 - 4 * ramp(t, t_on, t_on + 120), mem=lambda t: 29 + 3 * ramp(t, t_on, 0),
                       running=lambda t: 3, desired=lambda t: 3)
    metrics += ecs_set(rng, "logistics", "tracking-poller", cpu=lambda t: 11, mem=lambda t: 31 if t < -3300 else 27,
                       running=lambda t: 2, desired=lambda t: 2)
    metrics += rds_set(rng, "logistics-pg", cpu=lambda t: 19, conns=lambda t: 55, free_storage_gb=lambda t: 88, freeable_mem_gb=lambda t: 5.1)
    for iid in ("i-0a9c8e7f6d5b4a312", "i-0e1d2c3b4a5f6e789"):
        metrics += ec2_set(rng, iid, cpu=lambda t: 21 - 3 * ramp(t, t_on, t_on + 120), mem=lambda t: 49, disk=lambda t: 36)
    resources = [
        {"type": "ecs", "id": "logistics/label-svc", "properties": {"launch_type": "EC2", "task_definition": "label-svc:143", "desired_count": 3,
                                                                    "log_group": grp, "load_balancer": "logistics-alb",
                                                                    "outbound_dependencies": ["api.maplepost-shipping.com", "ws.purolink.ca", "logistics-pg"]}},
        {"type": "ecs", "id": "logistics/tracking-poller", "properties": {"launch_type": "EC2", "task_definition": "tracking-poller:57",
                                                                          "desired_count": 2, "log_group": "/ecs/tracking-poller"}},
        {"type": "alb", "id": lb, "properties": {"name": "logistics-alb", "target_groups": [tg, "targetgroup/portal-tg/6a8c0e2b4d6f8a14"]}},
        {"type": "rds", "id": "logistics-pg", "properties": {"engine": "postgres", "engine_version": "15.7", "instance_class": "db.m6g.large",
                                                             "max_connections": 800, "allocated_storage_gb": 150}},
        {"type": "ec2", "id": "i-0a9c8e7f6d5b4a312", "properties": {"name": "ecs-logistics-node-1", "instance_type": "c6i.xlarge"}},
        {"type": "ec2", "id": "i-0e1d2c3b4a5f6e789", "properties": {"name": "ecs-logistics-node-2", "instance_type": "c6i.xlarge"}},
    ]
    changes = [change(-3360, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "tracking-poller:57", "codepipeline"),
               change(-3300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "logistics/tracking-poller", "codepipeline"),
               change(-9000, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0bastion-logistics", "i.roy")]
    alarms = [alarm("logistics-alb-latency-high", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 0.3,
                    "GreaterThanThreshold", -1980, description="Logistics ALB average target response time")]
    doc = scenario("h21-08-label-svc-carrier-api-timeouts",
                   "Warehouse label printing is slow and many labels fail; logistics ALB latency alarm.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "logistics-alb-latency-high",
                    "root_cause": {"category": "dependency_failure", "resource": ["logistics/label-svc", "label-svc"]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": lb}}]})
    meta = {"placement": "front (ALB)",
            "decoys": "tracking-poller deploy 19 min before onset; an old security-group change; constant 422 address-validation ERRORs",
            "story": "From -36 min every call label-svc makes to the external MaplePost carrier API times out after 8 s "
                     "(three attempts, 24 s per label) or gets a 503 from the carrier's edge, the circuit breaker keeps opening, and "
                     "label requests for that carrier fail with 502; PuroLink labels and the database are fine, and the "
                     "service's CPU and memory are idle. Timeouts from a downstream that is not itself exhausted is "
                     "dependency_failure. The carrier is outside the account, so the origin resource in the account is the "
                     "calling ECS service."}
    return doc, meta
