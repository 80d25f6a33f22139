"""Scenarios 09-12: one-of-three CPU, connection slow burn, RDS failover backlog, push-campaign surge."""
from __future__ import annotations

from .common import Scn, diurnal, noisy, pois, ramp


def s09() -> Scn:
    s = Scn(9, "quotes-latency-one-host-cpu", "ca-central-1",
            "quotes ALB latency alarm; about a third of quote requests are very slow.", "2026-11-20T14:05:00")
    r = s.rng
    alb = "app/quotes-alb/2c4e6a8b0d1f3e52"
    ids, names = ["i-0a11b22c33d44e551", "i-0b66c77d88e99fa02", "i-0c13d24e35f46a573"], ["quote-1", "quote-2", "quote-3"]
    bad, onset = ids[1], -2520
    s.resource("alb", alb, name="quotes-alb")
    for i, n in zip(ids, names):
        s.resource("ec2", i, name=n, instance_type="c6i.xlarge", log_groups=["/quotes/app"])
    for i in ids:
        def cpu(t, i=i):
            if i == bad and t >= onset:
                return noisy(r, 98.5, 0.01, hi=100)
            if i == ids[0] and -9300 < t < -8900:
                return noisy(r, 88, 0.05, hi=100)
            return noisy(r, 37, 0.1)
        s.metric("AWS/EC2", "CPUUtilization", {"InstanceId": i}, "Percent", cpu)
        s.metric("CWAgent", "mem_used_percent", {"InstanceId": i}, "Percent", lambda t: noisy(r, 61, 0.02))
        s.metric("AWS/EC2", "StatusCheckFailed", {"InstanceId": i}, "Count", lambda t: 0)
        s.metric("AWS/EC2", "NetworkIn", {"InstanceId": i}, "Bytes", lambda t: noisy(r, 3.1e6, 0.1), nd=0)
    req = s.counts(lambda t: diurnal(t, s.now_hour, 120, 420))
    s.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": alb}, "Count", req)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Seconds",
             lambda t: noisy(r, 0.21 if t < onset else ramp(t, onset, onset + 600, 0.21, 2.9), 0.08))
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Count",
             [pois(r, n * (0.015 if t >= onset + 300 else 0.0005)) for n, t in zip(req, s.minutes)])
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb}, "Count", lambda t: pois(r, 0.05))
    s.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": alb}, "Count", lambda t: 3)
    for i, n in zip(ids, names):
        ev, t = [], -10800.0
        while t < -1:
            t += r.uniform(3, 8)
            th = f"http-nio-8080-exec-{r.randint(1, 200)}"
            slow = i == bad and t >= onset
            took = r.randint(5200, 11800) if slow else r.randint(60, 340)
            lvl = "WARN " if took > 5000 else "INFO "
            ev.append((t, f"{s.clock(t)} [{th}] {lvl}c.q.pricing.web.QuoteController - POST /v2/quotes product="
                          f"{r.choice(['home', 'auto', 'travel'])} took={took}ms"))
            if slow and r.random() < 0.05:
                ev.append((t + 0.01, f"{s.clock(t)} [http-nio-8080-Acceptor] WARN  o.a.tomcat.util.threads.ThreadPoolExecutor"
                                     f" - Thread pool 'http-nio-8080' busy: active=200 max=200 queued={r.randint(40, 160)}"))
        if i == bad:
            for k in range(onset + 120, 0, 300):
                ev.append((k, f"{s.clock(k)} [metrics-1] WARN  c.q.ops.HostMonitor - process cpu {r.uniform(96, 99.9):.1f}% "
                              f"loadavg1={r.uniform(15, 22):.2f} (4 vCPU); top thread 'rules-recompile-{r.randint(1, 4)}' "
                              f"cpu={r.uniform(70, 95):.0f}%"))
        if i == ids[0]:
            ev.append((-9310, f"{s.clock(-9310)} [main] INFO  c.q.Application - Started Application in 41.8 seconds "
                              "(process running for 44.2)"))
        s.log("/quotes/app", i, ev)
    s.change(-9600, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunPatchBaseline", "patch-manager")
    s.change(-9360, "ec2.amazonaws.com", "RebootInstances", "AWS::EC2::Instance", ids[0], "patch-manager")
    s.change(-3300, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
             "AWS::ElasticLoadBalancingV2::TargetGroup", "quotes-admin-tg", "netops-admin")
    s.alarm("quotes-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb}, "Average", 60, 5, 1.0,
            "GreaterThanThreshold", "ALARM", "auto", "quotes ALB average target response time")
    s.expect("quotes-alb-latency", "cpu_saturation", [bad, "quote-2"],
             [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": bad}}])
    return s


def s10() -> Scn:
    s = Scn(10, "ledger-pg-connections-slow-creep", "us-east-1",
            "ledger-pg connections alarm; ledger-api intermittently failing.", "2026-11-20T17:45:00", hours=8)
    r = s.rng
    db, svc, dec = "ledger-pg", "fin-prod/ledger-api", "fx-rates-sync"
    s.resource("rds", db, engine="postgres", engine_version="16.3", instance_class="db.r6g.large", max_connections=400,
               allocated_storage_gb=400)
    s.resource("ecs", svc, cluster="fin-prod", service="ledger-api", launch_type="FARGATE", desired_count=4,
               runtime="go1.22 (pgx)", log_group="/ecs/ledger-api")
    s.resource("lambda", dec, runtime="python3.12", timeout=60, memory_size=256)
    full = -1620
    conns = lambda t: min(400, int(ramp(t, -26000, full, 168, 400) + r.gauss(0, 3))) if t < full else 400 - pois(r, 0.6)
    s.metric("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Count", conns)
    s.metric("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Percent", lambda t: noisy(r, 29, 0.1))
    s.metric("AWS/RDS", "FreeableMemory", {"DBInstanceIdentifier": db}, "Bytes",
             lambda t: noisy(r, ramp(t, -26000, full, 9.8e9, 7.1e9), 0.01), nd=0)
    s.metric("AWS/RDS", "ReadLatency", {"DBInstanceIdentifier": db}, "Seconds", lambda t: noisy(r, 0.0011, 0.2), nd=5)
    s.metric("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Bytes", lambda t: noisy(r, 2.6e11, 0.001), nd=0)
    s.metric("AWS/ECS", "CPUUtilization", {"ClusterName": "fin-prod", "ServiceName": "ledger-api"}, "Percent",
             lambda t: noisy(r, 18, 0.1))
    s.metric("AWS/ECS", "MemoryUtilization", {"ClusterName": "fin-prod", "ServiceName": "ledger-api"}, "Percent",
             lambda t: noisy(r, 33, 0.03))
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": dec}, "Count", lambda t: 1 if int(t) % 300 == 0 else 0)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": dec}, "Count", lambda t: 0)
    host = f"{db}.c8hx2k1v9p0q.us-east-1.rds.amazonaws.com"
    for _ in range(4):
        ev, t = [], -10800.0
        while t < -1:
            t += r.uniform(2, 6)
            if t >= full and r.random() < 0.35:
                ev.append((t, f'{{"time":"{s.iso(t)}","level":"ERROR","msg":"request failed","route":"POST /v1/postings",'
                              f'"err":"acquire conn: failed to connect to `host={host} user=ledger_app database=ledger`: '
                              'server error (FATAL: remaining connection slots are reserved for roles with the SUPERUSER '
                              'attribute (SQLSTATE 53300))","status":503}'))
                continue
            ev.append((t, f'{{"time":"{s.iso(t)}","level":"INFO","msg":"request","route":"{r.choice(["POST /v1/postings", "GET /v1/accounts/balance", "GET /v1/postings"])}",'
                          f'"status":200,"dur_ms":{r.randint(3, 40)}}}'))
        for k in range(-10800, 0, 60):
            ev.append((k + 0.2, f'{{"time":"{s.iso(k)}","level":"INFO","msg":"pgxpool stats","total":{min(100, int(ramp(k, -26000, full, 40, 100)))},'
                                f'"idle":{r.randint(0, 3)},"acquired":{r.randint(8, 15)},"max":100}}'))
        s.log("/ecs/ledger-api", f"ecs/ledger-api/{s.hexid(32)}", ev)
    ev = []
    for k in range(-28800, 0, 300):
        ev.append((k + 5, f"{s.clock(k + 5)[:19]} UTC::@:[611]:LOG:  checkpoint complete: wrote {r.randint(500, 3000)} buffers "
                          f"({r.uniform(0.3, 2):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled"))
    for k in range(-10800, full, 900):
        ev.append((k + 40, f"{s.clock(k + 40)[:19]} UTC:10.20.{r.randint(1, 9)}.{r.randint(2, 250)}({r.randint(40000, 60000)}):"
                           f"ledger_app@ledger:[{r.randint(1000, 30000)}]:LOG:  could not receive data from client: "
                           "Connection reset by peer"))
    for k in range(full, 0, 15):
        t = k + r.uniform(0, 14)
        ev.append((t, f"{s.clock(t)[:19]} UTC:10.20.{r.randint(1, 9)}.{r.randint(2, 250)}({r.randint(40000, 60000)}):"
                      f"ledger_app@ledger:[{r.randint(1000, 30000)}]:FATAL:  remaining connection slots are reserved for "
                      "roles with the SUPERUSER attribute"))
    s.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", ev)
    s.change(-2100, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", dec,
             "treasury-dev")
    s.alarm("ledger-pg-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Maximum", 60, 3,
            380, "GreaterThanThreshold", "ALARM", "auto", "ledger-pg connections near max_connections (400)")
    s.expect("ledger-pg-connections-high", "db_connection_exhaustion", [db],
             [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}])
    return s


def s11() -> Scn:
    s = Scn(11, "shipment-queue-age-db-failover", "eu-west-1",
            "shipment-events queue age alarm; backlog now draining.", "2026-11-20T08:30:00")
    r = s.rng
    fn, db, dec, q = "shipment-events-consumer", "fleet-mysql", "label-printer", "shipment-events"
    s.resource("lambda", fn, runtime="java21", timeout=60, memory_size=1536, event_source=f"sqs:{q}")
    s.resource("lambda", dec, runtime="java21", timeout=30, memory_size=1024)
    s.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge", multi_az=True,
               max_connections=2000, allocated_storage_gb=500)
    f0, f1, ok = -2160, -1860, -1500   # failover window, then stale pooled connections until ok
    inv = s.counts(lambda t: diurnal(t, s.now_hour, 15, 45) * (1.6 if ok <= t < -300 else 1.0))
    host = f"{db}.cluster-x.eu-west-1.rds.amazonaws.com".replace("cluster-x", "cz9d1ke2l3mn")

    def consume(t, rid):
        sid = f"SHP{r.randint(10**7, 10**8)}"
        lines = [(0.01, "INFO", f"c.f.shipments.EventHandler - processing {r.choice(['PICKED_UP', 'IN_TRANSIT', 'DELIVERED'])} "
                                f"shipment={sid}")]
        if f0 <= t < ok:
            if t < f1:
                lines.append((5.0, "ERROR", "c.f.shipments.EventHandler - batch failed, returning messages to queue\n"
                              "java.sql.SQLNonTransientConnectionException: Could not connect to address=(host="
                              f"{host})(port=3306)(type=master) : Connection refused\n\tat org.mariadb.jdbc.client.impl."
                              "ConnectionHelper.connectSocket(ConnectionHelper.java:137)\n\tat com.zaxxer.hikari.pool."
                              "HikariPool.createPoolEntry(HikariPool.java:476)"))
                return lines, noisy(r, 5100, 0.05), 402, False
            lines.append((30.0, "ERROR", "c.f.shipments.EventHandler - batch failed, returning messages to queue\n"
                          "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request "
                          "timed out after 30000ms.\nCaused by: java.sql.SQLNonTransientConnectionException: (conn=88412) "
                          "Communications link failure: The last packet successfully received from the server was 31,052 "
                          "milliseconds ago. Socket timeout"))
            return lines, noisy(r, 30150, 0.01), 405, False
        if r.random() < 0.03:
            lines.append((0.02, "WARN", f"c.f.shipments.Dedup - duplicate event ignored shipment={sid} seq={r.randint(2, 9)}"))
        lines.append((0.09, "INFO", f"c.f.shipments.EventHandler - shipment={sid} status updated ({r.randint(3, 25)} ms)"))
        return lines, noisy(r, 140, 0.2), 398, False
    sampled = [pois(r, n) if f0 <= t < ok else 0 for n, t in zip(inv, s.minutes)]
    errs = s.merge(s.lambda_logs(fn, 1536, "java21", inv, consume, log_from=-5400, epochs=(f1,)), sampled)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count", inv)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": fn}, "Count", errs)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds",
             lambda t: noisy(r, 5100 if f0 <= t < f1 else 30100 if f1 <= t < ok else 150, 0.08))
    s.metric("AWS/Lambda", "Throttles", {"FunctionName": fn}, "Count", lambda t: 0)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": dec}, "Count", lambda t: pois(r, 4))
    s.metric("AWS/Lambda", "Errors", {"FunctionName": dec}, "Count", lambda t: 0)
    s.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": q}, "Seconds",
             lambda t: noisy(r, 4, 0.3) if t < f0 else t - f0 + 5 if t < ok + 120 else 780 + (t - ok - 120) * 0.19 if t < -600 else ramp(t, -600, 900, 928, 6))
    s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": q}, "Count",
             lambda t: pois(r, 3) if t < f0 else int(ramp(t, f0, ok, 0, 21000)) if t < ok else int(ramp(t, ok, 500, 21000, 0)))
    s.metric("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Count",
             lambda t: None if f0 + 60 <= t < f1 else pois(r, 180 if t < f0 else 150))
    s.metric("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Percent",
             lambda t: None if f0 + 60 <= t < f1 else noisy(r, 22 if t < ok else 34 if t < 0 else 22, 0.1))
    s.metric("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Bytes", lambda t: noisy(r, 3.1e11, 0.001), nd=0)
    ev = []
    for k in range(-21600, f0, 900):
        ev.append((k, f"{s.iso(k)[:-1]}000Z 0 [Note] [MY-011953] [InnoDB] Page cleaner took {r.randint(4000, 5200)}ms to flush "
                      f"{r.randint(200, 900)} and evict 0 pages"))
    ev += [(f1 - 40, f"{s.iso(f1 - 40)[:-1]}000Z 0 [Warning] [MY-010068] [Server] CA certificate ca.pem is self signed."),
           (f1 - 30, f"{s.iso(f1 - 30)[:-1]}000Z 0 [System] [MY-013576] [InnoDB] InnoDB initialization has started."),
           (f1 - 12, f"{s.iso(f1 - 12)[:-1]}000Z 0 [Note] [MY-012551] [InnoDB] Database was not shutdown normally! Starting "
                     "crash recovery."),
           (f1 - 2, f"{s.iso(f1 - 2)[:-1]}000Z 0 [System] [MY-010931] [Server] /rdsdbbin/mysql/bin/mysqld: ready for "
                    "connections. Version: '8.0.36'  socket: '/tmp/mysql.sock'  port: 3306  Source distribution."),
           (f1 + 5, f"{s.iso(f1 + 5)[:-1]}000Z 0 [Note] [MY-000000] [Server] RDS: Multi-AZ instance failover completed; "
                    "new primary in eu-west-1b (previous primary in eu-west-1a unreachable)")]
    s.log(f"/aws/rds/instance/{db}/error", f"{db}", ev)
    s.change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", dec, "jenkins-logistics")
    s.alarm("shipment-events-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": q}, "Maximum", 300, 1, 600,
            "GreaterThanThreshold", "ALARM", "auto", "shipment events waiting too long")
    s.alarm("label-printer-errors", "AWS/Lambda", "Errors", {"FunctionName": dec}, "Sum", 300, 1, 5,
            "GreaterThanThreshold", "OK", -2400)
    s.expect("shipment-events-age", "dependency_failure", [db],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    return s


def s12() -> Scn:
    s = Scn(12, "search-api-latency-push-campaign", "us-west-1",
            "search-api latency alarm right after the evening push notification went out.", "2026-11-20T19:10:00")
    r = s.rng
    api, fn, dec = "search-api", "search-handler", "search-indexer"
    s.resource("apigateway", api, stage="v1", api_id="p3m8x1z6q2")
    s.resource("lambda", fn, runtime="nodejs20.x", timeout=29, memory_size=1024)
    s.resource("lambda", dec, runtime="nodejs20.x", timeout=900, memory_size=2048)
    surge = -1740
    mult = lambda t: 1.0 if t < surge else ramp(t, surge, surge + 240, 1.0, 6.5) if t < -600 else ramp(t, -600, 0, 6.5, 4.8)
    inv = s.counts(lambda t: diurnal(t, s.now_hour, 9, 34) * mult(t))

    def search(t, rid):
        hot = t >= surge
        q = r.choice(["running shoes", "tent", "kayak", "headlamp", "rain jacket", "trail map", "sale"])
        lines = [(0.01, "INFO", f"query q=\"{q}\" page=1 user_segment={r.choice(['push_oct', 'organic'] if hot else ['organic'])}")]
        dur = noisy(r, 520 if hot else 140, 0.25)
        lines.append((dur / 1000 - 0.01, "INFO", f"search ok hits={r.randint(0, 400)} took_ms={int(dur)}"))
        return lines, dur, r.randint(140, 190), False
    s.lambda_logs(fn, 1024, "nodejs20.x", inv, search, log_from=-3600, epochs=(surge, surge + 60, surge + 120), streams_per_epoch=3)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count", inv)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": fn}, "Count", lambda t: pois(r, 0.05))
    s.metric("AWS/Lambda", "Throttles", {"FunctionName": fn}, "Count", lambda t: 0)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds", lambda t: noisy(r, 140 if t < surge else 520, 0.1))
    s.metric("AWS/Lambda", "ConcurrentExecutions", {"FunctionName": fn}, "Count",
             lambda t: pois(r, 1.2 if t < surge else 14 * mult(t) / 6.5))
    s.metric("AWS/ApiGateway", "Count", {"ApiName": api}, "Count", inv)
    s.metric("AWS/ApiGateway", "Latency", {"ApiName": api}, "Milliseconds",
             lambda t: noisy(r, 180 if t < surge else ramp(t, surge, surge + 300, 180, 1350) if t < -600 else 1050, 0.1))
    s.metric("AWS/ApiGateway", "5XXError", {"ApiName": api}, "Count", [pois(r, n * (0.004 if t >= surge else 0.0005))
                                                                        for n, t in zip(inv, s.minutes)])
    s.metric("AWS/ApiGateway", "4XXError", {"ApiName": api}, "Count", lambda t: pois(r, 2))
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": dec}, "Count", lambda t: 1 if int(t) % 900 == 0 else 0)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": dec}, "Count", lambda t: 0)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": dec}, "Milliseconds",
             lambda t: noisy(r, 240000, 0.1) if int(t) % 900 == 0 else None)
    ev, t = [], -3600.0
    while t < -1:
        t += r.uniform(4, 12) if t < surge else r.uniform(0.8, 2.2)
        ev.append((t, f"{s.ip('172.31')} - - [{s.wall(t).strftime('%d/%b/%Y:%H:%M:%S +0000')}] \"GET /v1/search HTTP/1.1\" 200 "
                      f"{r.randint(800, 9000)} {s.rid()} {int(noisy(r, 180 if t < surge else 1100, 0.3))}ms"))
    s.log("API-Gateway-Access-Logs_p3m8x1z6q2/v1", "p3m8x1z6q2-v1", ev)
    s.change(surge - 120, "mobiletargeting.amazonaws.com", "CreateCampaign", "AWS::Pinpoint::Campaign",
             "evening-deals-push", "marketing-automation")
    s.change(-3000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", dec, "ci-search")
    s.alarm("search-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 3, 800,
            "GreaterThanThreshold", "ALARM", "auto", "search-api average latency")
    s.expect("search-api-latency", "traffic_surge", [api, fn],
             [{"namespace": "AWS/ApiGateway", "name": "Count", "dimensions": {"ApiName": api}}])
    return s
