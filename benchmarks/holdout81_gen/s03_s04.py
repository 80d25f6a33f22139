"""h81-03 (campaign DB out of connection slots, alarm on the line-item API's ALB) and h81-04
(one frequency-cap host pinned on CPU, alarm on the internal ALB latency)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer, nginx, pg, spring, zap

from .base import (LOG0, Tasks, alb, diurnal, ec2, ecs, ecs_deploy, emit, every, jtrace, lam, new, per_minute,
                   ramp, rds)


def build_03():
    sc = new(3, "line-item-api-5xx", "Bidders in us-west-2 are getting 5xx from the internal line-item "
             "API; the ALB 5xx alarm is firing.", "us-west-2", "2026-04-14T20:05:00+00:00")
    lb, cl, svc, other = "app/li-api-int-usw2/3b9d0e6f1a2c4e57", "rtb-usw2", "line-item-svc", "creative-scan"
    db, fn, ui = "cmpgn-pg-usw2", "audience-refresh", "i-0d2b6f8a1c3e5a790"
    T_run = -2100                    # the half-hourly segment sync fans out much wider than usual
    full = lambda t: ramp(t, T_run, T_run + 120)
    sat = lambda t: t >= T_run + 120
    small = lambda t: t < T_run and ((t - T_run) % 1800) < 360
    sc.resource("alb", lb, name="li-api-int-usw2", scheme="internal")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=16, container_runtime="java21",
                hikari_maximum_pool_size=14)
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=4)
    sc.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge",
                max_connections=500, allocated_storage_gb=1000)
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=300, memory_size=1024)
    sc.resource("ec2", ui, name="advertiser-ui-1", instance_type="t3.large", stack="php8.2-fpm + nginx")
    d = lambda t: diurnal(sc, t, peak_hour=20, amp=0.15)
    alb(sc, lb, req=lambda t: 26000 * d(t), rt=lambda t: 0.012 + (0.85 if sat(t) else 0),
        t5=lambda t: 3 + (1150 if sat(t) else 0), e5=lambda t: 0.2, healthy=lambda t: 16)
    ecs(sc, cl, svc, cpu=lambda t: 35 * d(t) - (6 if sat(t) else 0), mem=lambda t: 61, running=lambda t: 16)
    ecs(sc, cl, other, cpu=lambda t: 20, mem=lambda t: 33, running=lambda t: 4)
    lm = lam(sc, fn, inv=lambda t: 55 if t >= T_run else (5 if small(t) else 0),
             err=lambda t: 19 if sat(t) else 0, dur=lambda t: (118000 if sat(t) else 52000) if t >= T_run
             else (44000 if small(t) else None), conc=lambda t: 160 * full(t) if t >= T_run else (8 if small(t) else 0))
    rds(sc, db, cpu=lambda t: 35 * d(t) + 22 * full(t) + (14 if -10800 < t < -10200 else 0),
         conns=lambda t: min(497, 300 + (10 if small(t) else 0) + 197 * full(t)),
         free_gb=lambda t: 612.5 - 0.0004 * (t + 21600) / 60, freeable_gb=lambda t: 11.2 - 2.0 * full(t),
         read_lat=lambda t: 0.0011 + 0.0012 * full(t))
    ec2(sc, ui, cpu=lambda t: 14, net_in=lambda t: 3.1e6, mem=lambda t: 48, disk=lambda t: 57.3)

    g = "/ecs/line-item-svc"
    app = "line-item-svc"
    tasks = Tasks(sc, "ecs", "line-item-svc", [(-40000, 6)])
    every(sc, g, tasks, 20, lambda t: spring(sc, t, "INFO", "scheduling-1", "c.a.lineitem.cache.LineItemCache",
          f"Refreshed line-item cache: {sc.rng.randint(18300, 18500)} items in {sc.rng.randint(300, 520)} ms", app))
    emit(sc, g, tasks, lambda t: 1, lambda t: spring(
        sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}", "c.a.lineitem.budget.BudgetClient",
        f"Retrying budget fetch for campaign {sc.rng.randint(70000, 79999)} (attempt 2/3): Read timed out", app))

    def pool_err(t):
        if sc.rng.random() < 0.7:
            waiting = sc.rng.randint(20, 60)
            tr = jtrace("org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection",
                        ["org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)",
                         "org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:653)",
                         "com.adstack.lineitem.repo.TargetingRepository.forCampaign(TargetingRepository.java:57)"],
                        "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request "
                        f"timed out after 3000ms (total=3, active=3, idle=0, waiting={waiting})")
            return spring(sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}",
                          "o.a.c.c.C.[.[.[/].[dispatcherServlet]", "Servlet.service() for servlet [dispatcherServlet] "
                          "threw exception [Request processing failed: org.springframework.jdbc."
                          "CannotGetJdbcConnectionException: Failed to obtain JDBC Connection] with root cause\n" + tr, app)
        return spring(sc, t, "WARN", "HikariPool-1 connection adder", "com.zaxxer.hikari.pool.HikariPool",
                      "HikariPool-1 - Cannot acquire connection from data source\norg.postgresql.util.PSQLException: "
                      "FATAL: remaining connection slots are reserved for non-replication superuser connections", app)

    emit(sc, g, tasks, lambda t: 7 if sat(t) else 0, pool_err)

    pg_g, pg_s = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, pg_g, pg_s, 300, lambda t: pg(sc, t, "LOG", "checkpoint starting: time", pid=611), start=-21600)
    every(sc, pg_g, pg_s, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 4000)} "
          f"buffers ({sc.rng.uniform(0.5, 2.5):.1f}%); 0 WAL file(s) added, 0 removed, 2 recycled", pid=611),
          start=-21570)
    emit(sc, pg_g, pg_s, lambda t: 0.5, lambda t: pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 2600):.3f} ms  statement: SELECT li.id, t.rules FROM "
        "line_item li JOIN line_item_targeting t ON t.line_item_id = li.id WHERE li.campaign_id = $1",
        client=f"10.20.{sc.rng.randint(4, 9)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
        user="lineitem_ro", db="campaigns"), start=-21600)
    sc.log(pg_g, pg_s, -10740, pg(sc, -10740, "LOG", "automatic vacuum of table \"campaigns.public.impression_"
           "goal\": index scans: 1, pages: 0 removed, 412993 remain, tuples: 1822401 removed", pid=7712))

    def pg_full(t):
        msg = ("remaining connection slots are reserved for non-replication superuser connections"
               if sc.rng.random() < 0.75 else "sorry, too many clients already")
        user = "lineitem_ro" if sc.rng.random() < 0.6 else "audience_sync"
        return pg(sc, t, "FATAL", msg, client=f"10.20.{sc.rng.randint(4, 9)}.{sc.rng.randint(2, 250)}"
                  f"({sc.rng.randint(30000, 60000)})", user=user, db="campaigns")

    emit(sc, pg_g, pg_s, lambda t: 9 if sat(t) else 0, pg_full)

    ll = LambdaLogs(sc, fn, "nodejs20.x", 1024, 300, mem_used=(240, 20))

    def body(ll_, t, rid, is_err, cold):
        seg = f"seg_{sc.rng.randint(100000, 999999)}"
        if sat(t) and sc.rng.random() < 0.35:
            return {"dur": sc.rng.uniform(10000, 30000), "lines": [(10.0, ll_.fmt(
                t + 10, rid, "ERROR", f"sync failed for {seg}: Error: timeout exceeded when trying to connect\n"
                "    at /var/task/node_modules/pg-pool/index.js:45:11\n    at async syncSegment (/var/task/sync.js:31:18)"))]}
        n = sc.rng.randint(2000, 90000)
        dur = sc.rng.gauss(118000 if sat(t) else 45000, 9000)
        total = 1912 if t >= T_run else 180 + (int((T_run - t) // 1800) * 37) % 60
        msg = f"syncing {seg} members={n} batch={sc.rng.randint(1, total)}/{total}"
        return {"dur": dur, "lines": [(0.02, ll_.fmt(t + 0.02, rid, "INFO", msg)),
                                      (dur / 1000 - 0.05, ll_.fmt(t + dur / 1000 - 0.05, rid, "INFO",
                                       f"synced {seg} upserted={n} took={int(dur)}ms"))]}

    inv = per_minute(lm["inv"], scale=1.0)
    inv = {m: (v if m < T_run else max(1, v // 5)) for m, v in inv.items()}
    ll.run(inv, {}, body)

    ui_g = "/advertiser-ui/php-fpm"
    emit(sc, ui_g, ui, lambda t: 0.4, lambda t: f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')} UTC] PHP Warning:  "
         "Undefined array key \"utm_source\" in /var/www/html/app/Http/Controllers/ReportController.php on line 88")
    emit(sc, "/advertiser-ui/nginx-access", ui, lambda t: 2, lambda t: nginx(
        sc, t, sc.ip("10.20"), "GET", sc.rng.choice(["/reports/daily", "/campaigns", "/campaigns/edit"]),
        200, sc.rng.randint(4000, 90000), sc.rng.uniform(0.08, 0.6)))

    ecs_deploy(sc, T_run + 60, cl, other, "creative-scan", "jenkins-deploy")
    sc.alarm("li-api-int-usw2-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 200, "GreaterThanThreshold", "Line-item API 5xx")
    sc.alarm("audience-refresh-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    sc.alarm("cmpgn-pg-usw2-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3,
             80, "GreaterThanThreshold")
    sc.expect = {"alarm": "li-api-int-usw2-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(
        front="front (ALB)", services="ALB, ECS (Java), RDS PostgreSQL, Lambda (Node), EC2 (PHP)",
        decoys="ECS deploy of another service 1 min before the connections hit the limit; steady slow-query "
               "and budget-retry logs; "
               "PHP warnings on a dashboard host; second alarm on the batch Lambda",
        story="At -35 min the half-hourly segment sync planner enqueued 1,912 batches instead of ~200; "
              "`audience-refresh` fanned out to 160 concurrent executions, each holding a connection, and "
              "`cmpgn-pg-usw2` DatabaseConnections rose from ~300 to 497 of max_connections 500 in two minutes "
              "and stayed there. PostgreSQL logs `remaining connection slots are reserved...` and `sorry, too many "
              "clients already`; line-item-svc's Hikari pools cannot replace connections (`Connection is not "
              "available`), and the internal ALB returns ~1,150 5xx a minute. The creative-scan deploy is the "
              "closest change but that service is unrelated to the database errors.")
    return sc


def build_04():
    sc = new(4, "fcap-latency", "Frequency-cap lookups are slow in Tokyo; the internal fcap ALB latency "
             "alarm fired and bidders report uncapped bids.", "ap-northeast-1", "2026-04-16T12:40:00+00:00")
    lb, cl, svc = "app/fcap-int-apne1/c41e9a07b25d3f18", "rtb-apne1", "bidder"
    hosts = {"i-0a3f5c7e9b1d24680": "fcap-apne1-a", "i-0b7d2e4f6a8c13579": "fcap-apne1-b",
             "i-0c9e1a3b5d7f24681": "fcap-apne1-c"}
    bad = "i-0a3f5c7e9b1d24680"
    T_s = -2160                      # the expiry sweep that never finishes starts on host a
    hot = lambda t: ramp(t, T_s, T_s + 150)
    sc.resource("alb", lb, name="fcap-int-apne1", scheme="internal", target_type="instance")
    for iid, name in hosts.items():
        sc.resource("ec2", iid, name=name, instance_type="r7g.xlarge", vcpus=4, service="fcap (Go)")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=30, container_runtime="go1.22")
    d = lambda t: diurnal(sc, t, peak_hour=12.5, amp=0.22)
    alb(sc, lb, req=lambda t: 95000 * d(t), rt=lambda t: 0.0021 + 0.031 * hot(t),
        t5=lambda t: 1 + 260 * hot(t), e5=lambda t: 0.2 + 35 * hot(t), healthy=lambda t: 3)
    for iid in hosts:
        cpu = (lambda t: min(99.4, 38 * d(t) + 70 * hot(t))) if iid == bad else (lambda t: 37 * d(t))
        ec2(sc, iid, cpu=cpu, net_in=lambda t: 2.4e8 * d(t), mem=lambda t: 58 + (4 * hot(t) if iid == bad else 0),
            disk=lambda t: 31.4)
    ecs(sc, cl, svc, cpu=lambda t: 44 * d(t), mem=lambda t: 50, running=lambda t: 30)

    lf = logfmt_writer("ts")
    g = "/fcap/service"
    for iid, name in hosts.items():
        is_bad = iid == bad

        def stats(t, is_bad=is_bad):
            h = hot(t) if is_bad else 0
            return lf(sc, t, "info", "stats", ops_per_sec=int(530 * d(t) * (1 - 0.3 * h) * sc.rng.uniform(0.95, 1.05)),
                      p99_us=int(900 * (1 + 90 * h) * sc.rng.uniform(0.9, 1.1)), conns=sc.rng.randint(480, 520),
                      queue_depth=int(2 + 3800 * h * sc.rng.uniform(0.8, 1.0)), goroutines=sc.rng.randint(600, 700))

        every(sc, g, iid, 60, stats)
        t = LOG0 + sc.rng.uniform(0, 600)
        while t < 0:
            if is_bad and t >= T_s - 600 and t < T_s:
                t = T_s
            keys = sc.rng.randint(47_000_000, 49_000_000)
            sc.log(g, iid, t, lf(sc, t, "info", "expiry sweep started", shards="0-511", keys=keys))
            if is_bad and t >= T_s:
                k = 1
                while t + 300 * k < 0:
                    sc.log(g, iid, t + 300 * k, lf(sc, t + 300 * k, "warn", "expiry sweep still running",
                           elapsed=f"{5 * k}m0s", scanned=int(keys * 0.011 * k), expired=0))
                    k += 1
                break
            took = sc.rng.uniform(18, 26)
            sc.log(g, iid, t + took, lf(sc, t + took, "info", "expiry sweep finished",
                   expired=sc.rng.randint(900_000, 1_400_000), took=f"{took:.1f}s"))
            t += 600 + sc.rng.uniform(-3, 3)
        emit(sc, g, iid, lambda t: 0.3, lambda t: lf(sc, t, "warn", "slow client, dropping connection",
             remote=f"10.40.{sc.rng.randint(8, 15)}.{sc.rng.randint(2, 250)}:{sc.rng.randint(30000, 60000)}"))
        if is_bad:
            emit(sc, g, iid, lambda t: 4 * hot(t), lambda t: lf(sc, t, "warn", "request queue depth high, shedding",
                 depth=sc.rng.randint(3000, 4096), shed=sc.rng.randint(50, 400)))
    tasks = Tasks(sc, "ecs", "bidder", [(-40000, 6), (-6300, 6)])
    bg = "/ecs/bidder"
    emit(sc, bg, tasks, lambda t: 3, lambda t: zap(sc, t, "info", "bid served", "server/handler.go:198",
         ssp=sc.rng.choice(["fluct", "geniee", "supership", "pubmatic"]), price_cpm=round(sc.rng.uniform(0.2, 3.5), 3)))
    emit(sc, bg, tasks, lambda t: 0.8 + 7 * hot(t), lambda t: zap(
        sc, t, "warn", "fcap lookup exceeded budget, bidding uncapped", "fcap/client.go:97",
        error="context deadline exceeded", budget_ms=5, target="fcap-int-apne1"))

    ecs_deploy(sc, -6300, cl, svc, "bidder", "argo-deployer")
    sc.change(-2040, "ec2.amazonaws.com", "ModifyInstanceMetadataOptions", "AWS::EC2::Instance",
              "i-0c9e1a3b5d7f24681", "ssm-automation")
    sc.alarm("fcap-int-apne1-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             60, 3, 0.01, "GreaterThanThreshold", "fcap lookups slower than the bid budget")
    sc.alarm("fcap-int-apne1-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb},
             "Maximum", 60, 2, 0, "GreaterThanThreshold")
    sc.alarm("bidder-apne1-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc}, "Average",
             300, 2, 80, "GreaterThanThreshold")
    sc.expect = {"alarm": "fcap-int-apne1-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [bad, "fcap-apne1-a"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": bad}}]}
    sc.meta = dict(
        front="front (ALB)", services="ALB, EC2 x3 (Go, logfmt), ECS (Go)",
        decoys="metadata-options change on a sibling fcap host 2 min after the onset; bidder deploy 70 min before; "
               "steady slow-client warnings on every host; bidder fcap-budget warnings that predate the incident",
        story="Of three fcap hosts behind the internal ALB, `fcap-apne1-a` (i-0a3f...) went from ~38 % to 99 % CPU at "
              "-36 min while its NetworkIn and the ALB request count stayed flat. Its log shows an expiry sweep that "
              "started then and never finished (`expiry sweep still running elapsed=30m0s`), then "
              "`request queue depth high, shedding` and p99 going from ~0.9 ms to ~80 ms; the other two hosts "
              "finish their sweeps in ~20 s as usual and stay at ~37 % CPU. The ALB average latency alarm is the "
              "front; the origin is the saturated instance. The metadata change on host c is the closest change but "
              "host c is healthy.")
    return sc


BUILDERS = [build_03, build_04]
