"""h47-11 (quotes-db storage stall behind a Go EC2 fleet) and h47-12 (ticket on-sale traffic surge on onsale-api)."""
from __future__ import annotations

from datetime import datetime

from . import aws, fmt
from .core import (LOG_START, Clock, Rng, Stream, alarm, arrivals, change, diurnal, every, ok_alarm, ramp,
                   scenario)

C = aws.C


# =====================================================================================================
# h47-11
# =====================================================================================================

def build_11():
    rng = Rng(4711)
    region, acct = "us-east-1", "345678901234"
    clk = Clock(datetime(2026, 3, 13, 18, 40, 0))
    lb, tg = "app/quotes-public/1f3b5d7e9a0c2468", "targetgroup/quotes-api-tg/6a8c0e2f4b1d3957"
    onset = -1800
    stall = lambda t: ramp(t, onset, onset + 120, 0.0, 1.0)  # noqa: E731
    fleet = [("i-0a1c3e5f7b9d24680", "quotes-api-1", "10.30.1.15"), ("i-0b2d4f6a8c0e13579", "quotes-api-2", "10.30.2.71"),
             ("i-0c3e5a7b9d1f24681", "quotes-api-3", "10.30.3.22"), ("i-0d4f6b8c0e2a35792", "quotes-api-4", "10.30.1.98")]
    db_ip = "10.30.8.44"
    resources = [{"type": "ec2", "id": iid, "properties": {"name": nm, "instance_type": "c6i.large", "private_ip": ip,
                                                           "autoscaling_group": "quotes-api-asg",
                                                           "log_groups": ["/quotes-api/app"]}} for iid, nm, ip in fleet]
    resources += [
        {"type": "alb", "id": lb, "properties": {"name": "quotes-public", "scheme": "internet-facing",
                                                 "target_groups": [{"name": tg, "target_type": "instance",
                                                                    "targets": [f[0] for f in fleet]}]}},
        {"type": "alb", "id": "app/admin-internal/7e9a1c3b5d0f2468", "properties": {"name": "admin-internal",
                                                                                    "scheme": "internal"}},
        {"type": "rds", "id": "quotes-db", "properties": {"engine": "mysql", "engine_version": "8.0.35",
                                                          "instance_class": "db.r6g.xlarge", "max_connections": 1000,
                                                          "allocated_storage_gb": 1500, "storage_type": "io1",
                                                          "iops": 12000, "multi_az": False,
                                                          "endpoint": f"quotes-db.cx7k2p9q1m3n.{region}.rds.amazonaws.com ({db_ip})"}},
    ]
    req = lambda t: 3600 * diurnal(t, 0.1, 2000)  # noqa: E731
    metrics = []
    for i, (iid, nm, ip) in enumerate(fleet):
        metrics += aws.ec2(rng, iid, cpu=lambda t, i=i: (27 + 2 * i) * diurnal(t, 0.1, 2000) * (1 - 0.45 * stall(t)),
                           mem=C(39.0 + i), disk=C(31.0 + i))
    metrics += aws.alb_lb(rng, lb, req=req, rt=lambda t: 0.041 + 2.05 * stall(t), t5xx=lambda t: 0.4 + 64 * stall(t),
                          elb5xx=C(0.1))
    tgm = aws.alb_tg(rng, lb, tg, req=req, rt=lambda t: 0.041 + 2.05 * stall(t), t5xx=lambda t: 0.4 + 64 * stall(t),
                     healthy=C(4))
    metrics += tgm
    metrics += aws.alb_lb(rng, "app/admin-internal/7e9a1c3b5d0f2468", req=C(14), rt=C(0.09), t5xx=C(0.02), elb5xx=C(0.01))
    metrics += aws.rds(rng, "quotes-db", cpu=lambda t: 23 - 9 * stall(t), conns=lambda t: 82 + 178 * stall(t),
                       free_mem=C(1.21e10), free_storage=C(9.8e11),
                       read_lat=lambda t: 0.0011 + 0.38 * stall(t), write_lat=lambda t: 0.0017 + 0.52 * stall(t),
                       queue=lambda t: 0.6 + 88 * stall(t), read_iops=lambda t: 1850 - 1500 * stall(t),
                       write_iops=lambda t: 640 - 430 * stall(t))
    rds_conn = next(m for m in metrics if m["name"] == "DatabaseConnections")

    app = {f[0]: Stream("/quotes-api/app", f[0]) for f in fleet}
    lanes = ["US-CA>US-TX", "US-NY>US-FL", "US-IL>US-GA", "US-WA>US-OR", "US-NJ>US-PA", "US-TX>MX-NL"]
    for iid, nm, ip in fleet:
        s = app[iid]
        for t in arrivals(rng, lambda t: 10 * diurnal(t, 0.1, 2000)):
            st = stall(t)
            if rng.random() < 0.45 * st:
                if rng.random() < 0.5:
                    s.add(t, f"[mysql] {clk.dt(t).strftime('%Y/%m/%d %H:%M:%S')} packets.go:37: read tcp "
                             f"{ip}:{rng.randint(32768, 60999)}->{db_ip}:3306: i/o timeout")
                s.add(t + 0.001, fmt.zap(clk, t + 0.001, "error", "quotes/handler.go:118", "quote lookup failed",
                                         lane=rng.choice(lanes), query="SelectRatesByLane", timeout="2s",
                                         error=rng.choice(["context deadline exceeded",
                                                           f"read tcp {ip}:{rng.randint(32768, 60999)}->{db_ip}:3306: i/o timeout",
                                                           "invalid connection"]), status=503))
                continue
            dur = rng.lognormvariate(3.3, 0.4) + st * rng.uniform(300, 1900)
            s.add(t, fmt.zap(clk, t, "info", "quotes/handler.go:96", "quote served", lane=rng.choice(lanes),
                             weight_kg=rng.randint(50, 18000), price_usd=round(rng.uniform(180, 5200), 2),
                             duration_ms=round(dur, 1)))
        for t in arrivals(rng, lambda t: 1.5):
            s.add(t, fmt.zap(clk, t, "warn", "quotes/zones.go:41", "lane not found, using default zone",
                             lane=f"US-{rng.choice(['AK', 'HI', 'PR'])}>US-{rng.choice(['TX', 'CA'])}"))
        for t in every(LOG_START, -5, 60, jitter=1, rng=rng):
            st = stall(t)
            s.add(t, fmt.zap(clk, t, "info", "internal/dbstats/log.go:22", "db pool stats",
                             open=int(14 + 46 * st + rng.randint(0, 3)), in_use=int(3 + 57 * st + rng.randint(0, 2)),
                             idle=max(0, int(11 - 11 * st + rng.randint(-1, 2))), wait_count=int(st * rng.randint(800, 2400)),
                             max_open=60))
    err = Stream("/aws/rds/instance/quotes-db/error", "quotes-db")
    for t in every(LOG_START, -10, 1800, jitter=30, rng=rng):
        err.add(t, fmt.mysql(clk, t, 0, "Note", "MY-010914", "Server", f"Aborted connection {rng.randint(100000, 999999)} "
                                                                      "to db: 'quotes' user: 'reporting' host: '10.30.9.12' (Got timeout reading communication packets)."))
    for t in arrivals(rng, lambda t: 0.0 if t < onset else 1.6):
        err.add(t, fmt.mysql(clk, t, 0, "Note", "MY-011953", "InnoDB", f"Page cleaner took {rng.randint(4100, 9800)}ms to "
                                                                     f"flush {rng.randint(90, 2000)} and evict 0 pages"))
    slow = Stream("/aws/rds/instance/quotes-db/slowquery", "quotes-db")
    for t in arrivals(rng, lambda t: 0.3 if t < onset else 14):
        qt = rng.uniform(1.05, 1.6) if t < onset else rng.uniform(1.2, 9.5)
        q = ("SELECT lane_id, zone_from, zone_to, rate_per_kg, min_charge FROM lane_rates WHERE lane_id = "
             f"{rng.randint(1000, 99999)} AND valid_to > NOW() LIMIT 1;") if t >= onset else \
            (f"SELECT customer_id, SUM(total) FROM quotes WHERE created_at >= '2026-03-{rng.randint(1, 12):02d}' GROUP BY customer_id;")
        rs, rx = (1, 1) if t >= onset else (rng.randint(3000, 9000), rng.randint(400000, 900000))
        slow.add(t, f"# Time: {clk.iso(t, 6)}\n# User@Host: {'quotes_app[quotes_app]' if t >= onset else 'reporting[reporting]'} "
                    f"@  [{rng.choice([f[2] for f in fleet]) if t >= onset else '10.30.9.12'}]  Id: {rng.randint(100000, 999999)}\n"
                    f"# Query_time: {qt:.6f}  Lock_time: 0.000002 Rows_sent: {rs}  Rows_examined: {rx}\n"
                    f"SET timestamp={int(clk.epoch(t))};\n{q}")
    alarms = [alarm("quotes-api-latency", tgm[1], "Average", 60, 3, 1.0, "GreaterThanThreshold",
                    "quotes-api average response time above 1 s"),
              ok_alarm("quotes-db-connections", rds_conn, "Maximum", 60, 3, 800, "GreaterThanThreshold")]
    changes = [change(-18500, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
                      "quotes-api/prod", "jenkins-deployer"),
               change(-2100, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
                      "app/admin-internal/7e9a1c3b5d0f2468", "d.kowalski")]
    doc = scenario("h47-11-quotes-db-storage-stall", "Freight quote API slow and returning 503s; quotes-api latency "
                   "alarm.", region, resources, metrics, list(app.values()) + [err, slow], alarms, changes,
                   {"alarm": "quotes-api-latency", "root_cause": {"category": "dependency_failure", "resource": ["quotes-db"]},
                    "anomalies": [{"namespace": "AWS/RDS", "name": "ReadLatency",
                                   "dimensions": {"DBInstanceIdentifier": "quotes-db"}}]})
    meta = {"region": region, "alarm": "quotes-api-latency", "category": "dependency_failure", "resources": ["quotes-db"],
            "position": "front (target group)",
            "decoys": "quotes-api CodeDeploy deployment 5 h earlier (clean since); listener-rule change on another ALB "
                      "(admin-internal) 5 min before onset; steady 'lane not found' warnings; slow reporting queries "
                      "in the slow log before onset; quotes-db connections alarm in OK",
            "story": "30 min ago quotes-db's storage stalled: ReadLatency 1 ms -> ~380 ms, WriteLatency 2 ms -> ~520 ms, "
                     "DiskQueueDepth 0.6 -> ~90, IOPS collapse, CPU falls. Primary-key point lookups on lane_rates "
                     "(Rows_examined: 1) now take 1-9 s in the slow log and InnoDB's page cleaner reports multi-second "
                     "flushes. The Go fleet's MySQL calls hit their 2 s deadline (`i/o timeout`, `context deadline "
                     "exceeded`) on all four instances alike, their pools fill to max_open 60 and latency/503s rise. "
                     "Connections (~260 of 1000) and CPU are far from limits: the database is failing its clients, not "
                     "exhausted. Label: dependency_failure, origin quotes-db."}
    return doc, meta


# =====================================================================================================
# h47-12
# =====================================================================================================

def build_12():
    rng = Rng(4712)
    region, acct = "eu-west-1", "556677889900"
    clk = Clock(datetime(2026, 3, 21, 9, 15, 0))
    lb, tg = "app/tickets-public/0a2c4e6f8b1d3579", "targetgroup/onsale-api-tg/4f6a8c0e2b1d3579"
    onsale = -1800
    surge = lambda t: 0.0 if t < onsale - 120 else (ramp(t, onsale - 120, onsale + 60, 0.0, 1.0) *
                                                    (1.0 - 0.12 * ramp(t, onsale + 600, -60, 0, 1)))  # noqa: E731
    req = lambda t: 1150 * diurnal(t, 0.25, -20000) + 11800 * surge(t)  # noqa: E731
    tasks = lambda t: int(min(20, 6 + 14 * ramp(t, onsale + 60, onsale + 540, 0, 1)))  # noqa: E731
    capacity = lambda t: tasks(t) * 520.0  # noqa: E731  requests/min a task can take at ~90 % CPU
    shed = lambda t: max(0.0, req(t) - capacity(t)) * 0.55  # noqa: E731
    cpu = lambda t: min(96.0, 100 * 0.88 * req(t) / capacity(t)) if surge(t) > 0 else 17.0 * diurnal(t, 0.25, -20000)  # noqa: E731
    resources = [
        aws.ecs_resource("tickets-prod", "onsale-api", launch_type="FARGATE", td="onsale-api:163",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/onsale-api:12.4.0", cpu=1024, memory=2048, desired=20,
                         log_group="/ecs/tickets-prod/onsale-api", tg=tg, container="onsale-api", port=3000,
                         extra={"runtime": "nodejs20 (express 4, toobusy-js load shedding at 70 ms lag)",
                                "autoscaling": {"min": 6, "max": 20, "policy": "target tracking ALBRequestCountPerTarget 400"}}),
        aws.ecs_resource("tickets-prod", "email-sender", launch_type="FARGATE", td="email-sender:31",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/email-sender:3.0.2", cpu=256, memory=512, desired=2,
                         log_group="/ecs/tickets-prod/email-sender", container="email-sender", extra={"runtime": "nodejs20"}),
        {"type": "alb", "id": lb, "properties": {"name": "tickets-public", "scheme": "internet-facing",
                                                 "dns": "tickets-public-922310458.eu-west-1.elb.amazonaws.com",
                                                 "target_groups": [{"name": tg, "registered_by": "ecs service tickets-prod/onsale-api"}]}},
        {"type": "rds", "id": "tickets-db", "properties": {"engine": "aurora-postgresql", "engine_version": "15.4",
                                                           "instance_class": "db.r6g.2xlarge", "max_connections": 3000,
                                                           "allocated_storage_gb": 0}},
    ]
    metrics = []
    metrics += aws.ecs_service(rng, "tickets-prod", "onsale-api", cpu=cpu, mem=lambda t: 38 + 12 * surge(t),
                               running=tasks, desired=lambda t: 20 if t >= onsale + 60 else 6,
                               pending=lambda t: max(0, (20 if t >= onsale + 60 else 6) - tasks(t)),
                               task_cpu=1024, task_mem=2048, cpu_noise=0.03)
    metrics += aws.ecs_service(rng, "tickets-prod", "email-sender", cpu=lambda t: 5 + 9 * surge(t), mem=C(33.0),
                               running=C(2), desired=C(2), task_cpu=256, task_mem=512)
    rt = lambda t: 0.072 + 1.7 * min(1.0, shed(t) / 2500)  # noqa: E731
    metrics += aws.alb_lb(rng, lb, req=req, rt=rt, t5xx=lambda t: 0.3 + shed(t), elb5xx=lambda t: 0.1 + 0.004 * shed(t))
    tgm = aws.alb_tg(rng, lb, tg, req=req, rt=rt, t5xx=lambda t: 0.3 + shed(t), healthy=tasks)
    metrics += tgm
    metrics += aws.rds(rng, "tickets-db", cpu=lambda t: 21 + 31 * surge(t), conns=lambda t: 180 + 240 * surge(t),
                       free_mem=C(3.9e10), free_storage=C(1.0e12), read_lat=C(0.0007), write_lat=C(0.0011))
    cpu_m = next(m for m in metrics if m["name"] == "CPUUtilization" and m["dimensions"].get("ServiceName") == "onsale-api")

    ts = aws.TaskSet(rng, "/ecs/tickets-prod/onsale-api", "onsale-api", 6, LOG_START)
    prev = 6
    for t in range(onsale, -60, 60):
        n = tasks(t)
        for j in range(n - prev):
            k = ts.start(t + 10 + j * 3)
            k["stream"].add(t + 12 + j * 3, fmt.pino(clk, t + 12 + j * 3, 30, "onsale-api 12.4.0 listening on :3000",
                                                      f"ip-10-12-{rng.randint(1, 3)}-{rng.randint(2, 250)}.eu-west-1.compute.internal"))
        prev = max(prev, n)
    for k in ts.tasks:
        host = f"ip-10-12-{rng.randint(1, 3)}-{rng.randint(2, 250)}.eu-west-1.compute.internal"
        for t in every(max(LOG_START, k["start"] + 20), -5, 60, jitter=1, rng=rng):
            per = req(t) / tasks(t)
            sh = shed(t) / tasks(t)
            k["stream"].add(t, fmt.pino(clk, t, 30, "http stats", host, rpm=int(per * rng.uniform(0.93, 1.07)),
                                        p50Ms=int(12 + 160 * min(1, sh / 150) * rng.uniform(0.8, 1.2)),
                                        p99Ms=int(90 + 2400 * min(1, sh / 150) * rng.uniform(0.8, 1.2)),
                                        eventLoopLagMs=int(4 + 80 * min(1, sh / 150) * rng.uniform(0.8, 1.2)),
                                        status5xx=int(sh)))
            if sh > 5:
                k["stream"].add(t + 0.2, fmt.pino(clk, t + 0.2, 40, "server too busy, shed requests with 503", host,
                                                  shedLastMinute=int(sh * rng.uniform(0.9, 1.1)), lagThresholdMs=70))
            if rng.random() < 0.9:
                tt = t + rng.uniform(1, 50)
                k["stream"].add(tt, fmt.pino(clk, tt, 40, "no route", host, req={"method": "GET",
                                             "url": rng.choice(["/favicon.ico", "/apple-touch-icon.png", "/robots.txt"])},
                                             res={"statusCode": 404}))
            if surge(t) > 0 and rng.random() < 0.8:
                tt = t + rng.uniform(1, 50)
                k["stream"].add(tt, fmt.pino(clk, tt, 30, "hold placed", host, event="EVT-2026-0412-WEMBLEY",
                                             seats=rng.randint(1, 6), holdId=f"h_{rng.hexid(16)}", ttlSec=600))
    em = Stream("/ecs/tickets-prod/email-sender", f"ecs/email-sender/{rng.hexid(32)}")
    for t in arrivals(rng, lambda t: 3 + 40 * surge(t)):
        em.add(t, fmt.pino(clk, t, 30, "email sent", "ip-10-12-2-17.eu-west-1.compute.internal",
                           template=rng.choice(["order-confirmation", "hold-reminder"]), smtpMs=rng.randint(60, 300)))
    em.add(-1880, fmt.pino(clk, -1880, 30, "config reloaded", "ip-10-12-2-17.eu-west-1.compute.internal",
                           key="/tickets/email-sender/smtp-pool-size", value=16))
    alarms = [alarm("onsale-api-cpu-high", cpu_m, "Average", 60, 3, 80, "GreaterThanThreshold",
                    "onsale-api service CPU above 80 %"),
              ok_alarm("tickets-db-cpu", next(m for m in metrics if m["namespace"] == "AWS/RDS"
                                              and m["name"] == "CPUUtilization"), "Average", 300, 3, 80, "GreaterThanThreshold")]
    changes = [change(-10200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "tickets-prod/email-sender",
                      "gha-tickets"),
               change(-1900, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
                      "/tickets/email-sender/smtp-pool-size", "l.moreau")]
    changes += [change(onsale + 60, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "tickets-prod/onsale-api",
                       "AWSServiceRoleForApplicationAutoScaling_ECSService")]
    accepted = ["tickets-prod/onsale-api", "onsale-api", lb, "tickets-public"]
    doc = scenario("h47-12-onsale-traffic-surge", "Buyers see 'busy, try again' pages on the ticket site; "
                   "onsale-api CPU alarm.", region, resources, metrics, ts.streams() + [em], alarms, changes,
                   {"alarm": "onsale-api-cpu-high", "root_cause": {"category": "traffic_surge", "resource": accepted},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount",
                                   "dimensions": {"LoadBalancer": lb}}]})
    meta = {"region": region, "alarm": "onsale-api-cpu-high", "category": "traffic_surge", "resources": accepted,
            "position": "origin (ECS service)",
            "decoys": "SSM parameter change for email-sender 100 s before the surge; email-sender deploy 2 h 50 min "
                      "earlier; steady 404 'no route' warnings; tickets-db CPU up but well below its alarm",
            "story": "A stadium on-sale opened 30 min ago: ALB requests go from ~1.1 k/min to ~9-10 k/min within two "
                     "minutes. onsale-api scales from 6 to its maximum of 20 tasks, all at 85-96 % CPU; toobusy-js "
                     "sheds what they cannot take with 503s and p99 climbs to seconds. There is no deploy or config "
                     "change on onsale-api, no dependency error (tickets-db latency flat, connections ~420 of 3000), "
                     "and per-task throughput is what it always is: the volume is simply far above normal. The "
                     "email-sender SSM change just before is unrelated (it only sends mail). Label: traffic_surge on "
                     "onsale-api (the ALB that receives the surge is accepted too)."}
    return doc, meta
