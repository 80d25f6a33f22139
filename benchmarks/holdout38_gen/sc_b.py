"""Scenarios 05-08."""
from __future__ import annotations

import json

from .common import (LOG_START, Scn, anomaly, hexid, iso, ms_stamp, poisson, py_line, ramp, rid,
                     simulate_lambda, stamp)
from .services import alb, apigw, const, ec2, ecs, rds, traffic

GB = 1024 ** 3


def _logback(t: float, level: str, thread: str, logger: str, msg: str) -> str:
    return f"{ms_stamp(t)} [{thread}] {level:<5} {logger} - {msg}"


# ------------------------------------------------------------------------------------------
def s05() -> Scn:
    s = Scn("h38-05-catalog-5xx-mysql-connections-full", "us-east-2",
            "Catalog pages failing with 500s; catalog ALB 5XX alarm in ALARM.")
    rng = s.rng
    lb, db, svc = "app/catalog-alb/0b6e4d2a9c7f1358", "catalog-db", "catalog/catalog-api"
    full = -1680
    s.resource("alb", lb, name="catalog-alb", target_groups=["catalog-api-tg"])
    s.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
               max_connections=300, allocated_storage_gb=200)
    s.resource("ecs", svc, cluster="catalog", service="catalog-api", desired_count=10,
               hikari_maximum_pool_size=30, log_groups=["/ecs/catalog/catalog-api"])
    s.resource("ecs", "catalog/image-proxy", cluster="catalog", service="image-proxy", desired_count=3)
    conns = lambda t: min(300.0, ramp(t, -5200, full, 132, 300) + rng.gauss(0, 3) if t < full else 300.0)  # noqa: E731
    rds(s, db, lambda t: 31 + ramp(t, -5200, full, 0, 9), conns, const(118 * GB),
        const(0.0011), const(5.1 * GB), write_lat=const(0.0016))
    req = traffic(1300, 0.1)
    bad = lambda t: ramp(t, full, full + 240, 0, 160) if t > full else 0   # noqa: E731
    alb(s, lb, req, lambda t: 0.09 + ramp(t, full - 600, full + 240, 0, 6.5), lambda t: 0.6 + bad(t),
        const(0.1), const(10), const(0))
    ecs(s, "catalog", "catalog-api", traffic(41, 0.1), const(61), running=const(10), desired=const(10))
    ecs(s, "catalog", "image-proxy", lambda t: 22 + (35 if -2700 < t < -2400 else 0), const(33),
        running=lambda t: 5 if -2700 < t < -2450 else 3, desired=const(3))
    tasks = [f"catalog-api/app/{hexid(rng)}" for _ in range(4)]
    streams = {k: [] for k in tasks}
    for m in range(LOG_START, 0, 60):
        for _ in range(poisson(rng, 8)):
            t = m + rng.uniform(0, 60)
            streams[rng.choice(tasks)].append((t, _logback(t, "INFO", f"http-nio-8080-exec-{rng.randint(1, 200)}",
                "c.a.catalog.api.ProductResource", f"GET /v1/products?category={rng.randint(100, 999)}&page={rng.randint(1, 9)} 200 {rng.randint(20, 90)}ms")))
        for _ in range(poisson(rng, 1)):
            t = m + rng.uniform(0, 60)
            streams[rng.choice(tasks)].append((t, _logback(t, "INFO", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                f"HikariPool-1 - Pool stats (total={rng.randint(26, 30)}, active={rng.randint(3, 12) if m < full - 900 else 30}, idle={rng.randint(10, 20) if m < full - 900 else 0}, waiting={0 if m < full - 900 else rng.randint(40, 120)})")))
        if m > full - 120:
            for _ in range(poisson(rng, ramp(m, full - 120, full + 240, 3, 30))):
                t = m + rng.uniform(0, 60)
                th = f"http-nio-8080-exec-{rng.randint(1, 200)}"
                if rng.random() < 0.5:
                    msg = ("HikariPool-1 - Connection is not available, request timed out after 30000ms.\n"
                           "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.\n"
                           "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n"
                           "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)\n"
                           "\tat com.acme.catalog.repo.ProductRepository.findByCategory(ProductRepository.java:52)")
                    lg = "c.a.catalog.api.ErrorMapper"
                else:
                    msg = ("HikariPool-1 - Exception during pool initialization / add connection\n"
                           "java.sql.SQLNonTransientConnectionException: Data source rejected establishment of connection,  message from server: \"Too many connections\"\n"
                           "\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:111)\n"
                           "\tat com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:828)\n"
                           "\tat com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:359)")
                    lg = "com.zaxxer.hikari.pool.HikariPool"
                streams[rng.choice(tasks)].append((t, _logback(t, "ERROR", th, lg, msg)))
    for k, ev in streams.items():
        s.log("/ecs/catalog/catalog-api", k, ev)
    err = []
    for m in range(-21600, 0, 60):
        if rng.random() < 0.35:   # long-standing noise, same rate all day
            t = m + rng.uniform(0, 60)
            err.append((t, f"{stamp(t, '%Y-%m-%dT%H:%M:%S')}.{rng.randint(100000, 999999)}Z {rng.randint(40000, 99999)} [Note] [MY-010914] [Server] "
                           f"Aborted connection {rng.randint(100000, 999999)} to db: 'catalog' user: 'catalog_ro' host: '10.30.7.{rng.randint(10, 90)}' (Got an error reading communication packets)."))
    s.log("/aws/rds/instance/catalog-db/error", "catalog-db", err)
    s.change(-2740, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "catalog/image-proxy", "deploy-bot")
    d = {"LoadBalancer": lb}
    s.alarm("catalog-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Sum", 60, 3, 25, "GreaterThanThreshold",
            "ALARM", full + 180, "Catalog API 5xx")
    s.alarm("catalog-db-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Maximum", 300, 1,
            280, "GreaterThanThreshold", "ALARM", full - 240)
    s.expect("catalog-alb-5xx", "db_connection_exhaustion", [db],
             [anomaly("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}), anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d)])
    return s


# ------------------------------------------------------------------------------------------
def s06() -> Scn:
    s = Scn("h38-06-insights-latency-analytics-db-cpu", "ap-northeast-1",
            "Insights dashboard very slow; API Gateway latency alarm on insights-api.")
    rng = s.rng
    db, fn, api = "analytics-db", "dashboard-query", "insights-api"
    hot = -2160
    s.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.m6g.large",
               max_connections=400, allocated_storage_gb=500, statement_timeout_ms=20000)
    s.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=512)
    s.resource("apigateway", api, stage="v1", api_id="3hv8pq0w1c")
    busy = lambda t: t > hot   # noqa: E731
    rds(s, db, lambda t: 38 + ramp(t, hot, hot + 300, 0, 61) if busy(t) else 36 * (1 + 0.08 * ((t // 600) % 2)),
        lambda t: 46 + (18 if busy(t) else 0) + rng.randint(-3, 3), const(322 * GB),
        lambda t: 0.0009 + (0.004 if busy(t) else 0), const(2.4 * GB), write_lat=const(0.0012))

    def query(r, t):
        panel = r.choice(["revenue_by_region", "cohort_retention", "funnel_daily", "top_skus", "active_users_7d"])
        tenant = f"t_{r.randint(100, 480)}"
        lines = [py_line("INFO", f"panel={panel} tenant={tenant} range=30d", 0.01)]
        if busy(t):
            q = r.uniform(6.0, 19.0)
            if r.random() < 0.06:
                lines.append(py_line("ERROR", f"panel={panel} tenant={tenant} failed: psycopg2.errors.QueryCanceled: canceling statement due to statement timeout", 20.0))
                return {"dur": 20050 + r.uniform(0, 80), "mem": r.randint(150, 180), "lines": lines, "err": True}
            lines.append(py_line("INFO", f"panel={panel} rows={r.randint(30, 900)} db_ms={int(q * 1000)}", q))
            return {"dur": q * 1000 + r.uniform(30, 90), "mem": r.randint(150, 180), "lines": lines}
        q = r.uniform(0.08, 0.45)
        lines.append(py_line("INFO", f"panel={panel} rows={r.randint(30, 900)} db_ms={int(q * 1000)}", q))
        return {"dur": q * 1000 + r.uniform(30, 90), "mem": r.randint(150, 180), "lines": lines}
    rate = traffic(16, 0.12)
    simulate_lambda(s, fn, rate, query, 512, 30)
    apigw(s, api, lambda t: rate(t), lambda t: 1.5 + (38 if -7080 < t < -6900 else 0),
          lambda t: 0.05 + (rate(t) * 0.06 if busy(t) else 0),
          lambda t: 310 + (ramp(t, hot, hot + 300, 0, 11500) if busy(t) else 0),
          lambda t: 280 + (ramp(t, hot, hot + 300, 0, 11400) if busy(t) else 0))
    pg = []
    for m in range(LOG_START, 0, 60):
        if m % 300 == 0:
            pg.append((m + 2, f"{stamp(m + 2)} UTC::@:[611]:LOG:  checkpoint starting: time"))
            pg.append((m + 31, f"{stamp(m + 31)} UTC::@:[611]:LOG:  checkpoint complete: wrote {rng.randint(900, 2600)} buffers ({rng.uniform(0.5, 2):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled; write=26.9 s, sync=0.004 s, total=27.0 s"))
        n = poisson(rng, 0.3 if m < hot else 9)
        for _ in range(n):
            t = m + rng.uniform(0, 60)
            ms = rng.uniform(1100, 2400) if m < hot else rng.uniform(6000, 19500)
            pg.append((t, f"{stamp(t)} UTC:10.40.{rng.randint(1, 9)}.{rng.randint(10, 250)}({rng.randint(30000, 65000)}):insights@analytics:[{rng.randint(2000, 30000)}]:LOG:  duration: {ms:.3f} ms  "
                          f"execute <unnamed>: SELECT d.region, date_trunc('day', o.created_at) AS day, sum(o.amount) FROM orders_fact o JOIN dim_store d ON d.id = o.store_id "
                          f"WHERE o.tenant_id = $1 AND o.created_at >= now() - interval '30 days' GROUP BY 1, 2"))
    s.log("/aws/rds/instance/analytics-db/postgresql", "analytics-db.0", pg)
    s.change(-18200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-insights")
    s.change(-7020, "wafv2.amazonaws.com", "UpdateIPSet", "AWS::WAFv2::IPSet", "insights-blocklist", "secops-automation")
    d = {"ApiName": api}
    s.alarm("insights-api-latency", "AWS/ApiGateway", "Latency", d, "Average", 60, 5, 3000, "GreaterThanThreshold", "ALARM",
            hot + 360, "Insights API p-average latency")
    s.alarm("insights-api-4xx", "AWS/ApiGateway", "4XXError", d, "Sum", 300, 1, 100, "GreaterThanThreshold", "OK", -6600)
    s.expect("insights-api-latency", "cpu_saturation", [db],
             [anomaly("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}), anomaly("AWS/ApiGateway", "Latency", d)])
    return s


# ------------------------------------------------------------------------------------------
def s07() -> Scn:
    s = Scn("h38-07-transcoder-memory-oom-kills", "eu-west-2",
            "Transcoder ECS service memory alarm; video jobs restarting.")
    rng = s.rng
    svc = "media/transcoder"
    kills = [-1500, -1130, -790, -420, -150]
    s.resource("ecs", svc, cluster="media", service="transcoder", launch_type="FARGATE", task_definition="transcoder:57",
               desired_count=4, cpu=2048, memory=4096, log_groups=["/ecs/media/transcoder"])
    s.resource("ecs", "media/thumbnail-api", cluster="media", service="thumbnail-api", task_definition="thumbnail-api:212",
               desired_count=2, cpu=512, memory=1024)

    def mem(t: float) -> float:
        if t < -5400:
            return 48 + 3 * ((t // 900) % 2)
        if t < kills[0]:
            return ramp(t, -5400, kills[0], 50, 99.5)
        return 93 + 6 * ((t - kills[0]) % 370) / 370
    ecs(s, "media", "transcoder", lambda t: 58 + (6 if t > -5400 else 0), mem,
        running=lambda t: 3 if any(k <= t < k + 90 for k in kills) else 4, desired=const(4))
    ecs(s, "media", "thumbnail-api", lambda t: 18 + (30 if -2520 < t < -2340 else 0), const(37),
        running=lambda t: 4 if -2520 < t < -2280 else 2, desired=const(2))
    tasks = [hexid(rng) for _ in range(4)]
    streams: dict = {f"transcoder/worker/{k}": [] for k in tasks}
    names = list(streams)
    for m in range(LOG_START, 0, 60):
        for _ in range(poisson(rng, 3)):
            t = m + rng.uniform(0, 60)
            job = f"job-{rng.randint(800000, 999999)}"
            streams[rng.choice(names)].append((t, _logback(t, "INFO", f"job-worker-{rng.randint(1, 6)}", "c.m.transcode.JobRunner",
                f"{job} done: {rng.choice(['1080p', '720p', '480p'])} h264 ladder, {rng.randint(40, 900)}s source in {rng.randint(30, 400)}s")))
        if rng.random() < 0.5:   # long-standing noise
            t = m + rng.uniform(0, 60)
            streams[rng.choice(names)].append((t, _logback(t, "WARN", f"job-worker-{rng.randint(1, 6)}", "c.m.transcode.Probe",
                "ffprobe: stream #0:2 unsupported codec 'bin_data', ignoring data track")))
        if m > -5400 and m % 600 == 0:
            for k in names:
                used = ramp(m, -5400, kills[0], 1500, 3350)
                streams[k].append((m + 5, _logback(m + 5, "INFO", "metrics", "c.m.transcode.Health",
                                   f"heap used={int(used)}MB committed={int(min(3400, used + 120))}MB max=3482MB gc_pause_p99={int(ramp(m, -5400, kills[0], 40, 900))}ms segment_cache_entries={int(ramp(m, -5400, kills[0], 1800, 61000))}")))
    ev_ecs = []
    for i, k in enumerate(kills):
        n = names[i % 4]
        streams[n].append((k - 40, _logback(k - 40, "ERROR", "job-worker-3", "c.m.transcode.JobRunner",
            "job-" + str(rng.randint(800000, 999999)) + " failed\njava.lang.OutOfMemoryError: Java heap space\n"
            "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n\tat java.base/java.io.ByteArrayOutputStream.ensureCapacity(ByteArrayOutputStream.java:100)\n"
            "\tat com.media.transcode.segment.SegmentCache.put(SegmentCache.java:71)\n\tat com.media.transcode.JobRunner.run(JobRunner.java:144)")))
        streams[n].append((k - 8, "Terminating due to java.lang.OutOfMemoryError: Java heap space"))
        tid = hexid(rng)
        ev_ecs.append((k, json.dumps({"detail-type": "ECS Task State Change", "source": "aws.ecs", "region": "eu-west-2",
                       "detail": {"clusterArn": "arn:aws:ecs:eu-west-2:290114563870:cluster/media", "group": "service:transcoder",
                                  "taskArn": f"arn:aws:ecs:eu-west-2:290114563870:task/media/{tid}", "lastStatus": "STOPPED",
                                  "stopCode": "EssentialContainerExited", "stoppedReason": "OutOfMemoryError: Container killed due to memory usage",
                                  "containers": [{"name": "transcoder", "exitCode": 137, "reason": "OutOfMemoryError: Container killed due to memory usage"}]}})))
    for k, ev in streams.items():
        s.log("/ecs/media/transcoder", k, ev)
    s.log("/aws/events/ecs-task-state", "media-cluster", ev_ecs)
    s.change(-2540, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "media/thumbnail-api", "deploy-bot")
    d = {"ClusterName": "media", "ServiceName": "transcoder"}
    s.alarm("transcoder-memory-high", "AWS/ECS", "MemoryUtilization", d, "Average", 60, 5, 90, "GreaterThanThreshold",
            "ALARM", -1980, "Transcoder memory utilisation")
    s.expect("transcoder-memory-high", "memory_exhaustion", [svc, "transcoder"], [anomaly("AWS/ECS", "MemoryUtilization", d)])
    return s


# ------------------------------------------------------------------------------------------
def s08() -> Scn:
    s = Scn("h38-08-ingest-5xx-gateway-disk-full", "ca-central-1",
            "Telemetry ingest endpoint returning 5xx to devices; ingest ALB 5XX alarm.")
    rng = s.rng
    lb = "app/ingest-alb/c41d8e07a2b93f66"
    g1, g2 = "i-0e7b2d94c18f3a655", "i-03f6a1c58d29e7b40"
    full = -1740
    s.resource("alb", lb, name="ingest-alb", target_groups=["ingest-gw-tg"])
    s.resource("ec2", g1, name="ingest-gw-1", instance_type="c6g.xlarge", root_volume_gb=50, log_groups=["/app/ingest-gw"])
    s.resource("ec2", g2, name="ingest-gw-2", instance_type="c6g.xlarge", root_volume_gb=50, log_groups=["/app/ingest-gw"])
    ec2(s, g1, traffic(34), const(3.1e8), const(0), const(41), lambda t: min(100.0, ramp(t, -21600, full, 63, 100)))
    ec2(s, g2, lambda t: 33 + (45 if -3900 < t < -3300 else 0), const(3.0e8), const(0), const(40), const(58.2))
    req = traffic(4200, 0.1)
    alb(s, lb, req, lambda t: 0.021, lambda t: 0.2 + (req(t) * 0.48 if t > full else 0), const(0.2),
        const(2), const(0), t4xx=lambda t: 35.0)
    ev1, ev2 = [], []
    for m in range(LOG_START, 0, 60):
        for ev, host in ((ev1, "ingest-gw-1"), (ev2, "ingest-gw-2")):
            t = m + rng.uniform(0, 10)
            ok = 2100 if (host == "ingest-gw-2" or m < full) else rng.randint(20, 60)
            ev.append((t, json.dumps({"time": stamp(t, "%Y-%m-%dT%H:%M:%SZ"), "level": "INFO", "msg": "ingest stats",
                                      "host": host, "accepted": ok + rng.randint(-150, 150), "rejected_4xx": rng.randint(10, 25), "p99_ms": rng.randint(12, 30)})))
            if rng.random() < 0.3:   # long-standing noise on both hosts
                t2 = m + rng.uniform(10, 60)
                ev.append((t2, json.dumps({"time": stamp(t2, "%Y-%m-%dT%H:%M:%SZ"), "level": "WARN", "msg": "device clock skew > 300s, timestamp rewritten",
                                           "host": host, "device": f"dev-{rng.randint(100000, 999999)}"})))
        if m > full:
            for _ in range(poisson(rng, 24)):
                t = m + rng.uniform(0, 60)
                seg = rng.randint(40000, 49999)
                ev1.append((t, json.dumps({"time": stamp(t, "%Y-%m-%dT%H:%M:%SZ"), "level": "ERROR", "msg": "spool write failed, returning 503",
                                           "host": "ingest-gw-1", "error": f"write /var/lib/ingest/spool/seg-{seg}.wal: no space left on device",
                                           "caller": "spool/writer.go:118"})))
        elif m > full - 1800 and m % 300 == 0:
            ev1.append((m + 30, json.dumps({"time": stamp(m + 30, "%Y-%m-%dT%H:%M:%SZ"), "level": "WARN", "msg": "spool volume usage high",
                                            "host": "ingest-gw-1", "path": "/var/lib/ingest/spool", "used_pct": round(ramp(m, -21600, full, 63, 100), 1)})))
    s.log("/app/ingest-gw", g1, ev1)
    s.log("/app/ingest-gw", g2, ev2)
    s.change(-3950, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", g2, "patch-manager")
    s.change(-2900, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0bastion7d1e", "netops-kai")
    d = {"LoadBalancer": lb}
    s.alarm("ingest-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Sum", 60, 3, 100, "GreaterThanThreshold",
            "ALARM", full + 150, "Ingest 5xx to devices")
    s.expect("ingest-alb-5xx", "storage_exhaustion", [g1, "ingest-gw-1"],
             [anomaly("CWAgent", "disk_used_percent", {"InstanceId": g1, "path": "/", "fstype": "xfs"}),
              anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d)])
    return s
