"""h37-15 (deploy-time migration queues behind a metadata lock and piles up connections) and
h37-16 (co-located cron job pins one app host's CPU; Hikari errors make the DB look guilty)."""
from __future__ import annotations

import datetime
import json

from .common import LOG_START, Scenario, ramp, sig
from .logs import LambdaLogs, every, py_unhandled, times

ROLLUP_SQL = ("/*application:Listings,job:ListingStatsRollupJob*/ SELECT listings.category_id, listings.region_code, COUNT(*) AS n, AVG(listings.price_krw) AS avg_price "
              "FROM listings JOIN listing_views ON listing_views.listing_id = listings.id WHERE listing_views.viewed_on >= '2026-10-20' "
              "GROUP BY listings.category_id, listings.region_code")


def build_15() -> Scenario:
    s = Scenario(15, "listing-indexer-errors-migration-lock",
                 "listing-indexer Lambda errors alarm; marketplace pages hanging.",
                 "ap-northeast-2", seed=3715, anchor=(2026, 11, 19, 1, 10, 0), tz_hours=9)
    cl, web, sk, lb = "market-prod", "listings-web", "listings-sidekiq", "app/market-web/5b1f7d3a9c2e4f60"
    s.resource("ecs", f"{cl}/{web}", cluster=cl, service=web, desired_count=10, cpu=1024, memory=2048,
               runtime="ruby 3.2 / Rails 7.1 / Puma 6 / mysql2 0.5.5 (pool 16)", entrypoint="bin/docker-entrypoint: bin/rails db:migrate && bin/rails server",
               log_group="/ecs/listings-web")
    s.resource("ecs", f"{cl}/{sk}", cluster=cl, service=sk, desired_count=6, runtime="sidekiq 7.2 (concurrency 25)")
    s.resource("rds", "market-mysql", engine="mysql", engine_version="8.0.35", instance_class="db.r6g.xlarge", max_connections=400,
               parameter_group="market-mysql80", lock_wait_timeout=31536000)
    s.resource("alb", lb, name="market-web")
    s.resource("lambda", "listing-indexer", runtime="python3.12", timeout=30, memory_size=512, trigger="sqs:listing-changes", libs="PyMySQL 1.1.0")
    s.resource("lambda", "db-watchdog", runtime="python3.12", timeout=60, memory_size=256, schedule="rate(1 minute)")
    s.resource("lambda", "seo-sitemap", runtime="nodejs20.x", timeout=300, memory_size=1024)

    t_dep, t_ddl = -2400, -2352
    pile = lambda t: ramp(t, t_ddl, t_ddl + 240)
    full = lambda t: sig(t, t_ddl + 260, 20)
    d = lambda t: s.diurnal(t, 0.25, 14.0)
    db = {"DBInstanceIdentifier": "market-mysql"}
    s.series("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: min(400, round(s.n(188, 0.03) + 212 * pile(t) + s.g(0, 1))))
    s.series("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: s.n(36 * d(t), 0.07) * (1 - 0.75 * pile(t)) + (6 if t > -2620 else 0))
    s.series("AWS/RDS", "WriteIOPS", db, "Count/Second", lambda t: s.n(820 * d(t), 0.1) * (1 - 0.85 * pile(t)))
    s.series("AWS/RDS", "ReadIOPS", db, "Count/Second", lambda t: s.n(700 * d(t), 0.1) * (1 - 0.6 * pile(t)) + (350 if t > -2620 else 0))
    s.series("AWS/RDS", "FreeableMemory", db, "Bytes", lambda t: s.n(9.6e9, 0.01), nd=0)
    ecs = {"ClusterName": cl, "ServiceName": web}
    s.series("AWS/ECS", "CPUUtilization", ecs, "Percent", lambda t: s.n(34 * d(t), 0.07) * (1 - 0.8 * pile(t)))
    s.series("AWS/ECS", "MemoryUtilization", ecs, "Percent", lambda t: s.n(48, 0.02))
    s.series("ECS/ContainerInsights", "RunningTaskCount", ecs, "Count", lambda t: 10 + (1 if t > t_dep + 20 else 0) + (1 if t > t_dep + 400 else 0))
    alb = {"LoadBalancer": lb}
    req = lambda t: 4000 * d(t)
    s.series("AWS/ApplicationELB", "RequestCount", alb, "Count", lambda t: s.cnt(req(t) * (1 - 0.2 * pile(t))))
    s.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", lambda t: s.cnt(2 + req(t) * 0.28 * full(t)))
    s.series("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb, "Count", lambda t: s.cnt(0.2 + 40 * full(t)))
    s.series("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds", lambda t: s.n(0.11 + 12 * pile(t), 0.08), nd=4)
    s.series("AWS/ApplicationELB", "UnHealthyHostCount", alb, "Count", lambda t: (1 if t > t_dep + 200 else 0))
    li = {"FunctionName": "listing-indexer"}
    s.series("AWS/Lambda", "Invocations", li, "Count", lambda t: s.cnt(38 * d(t)))
    s.series("AWS/Lambda", "Errors", li, "Count", lambda t: s.cnt(0.1 + 38 * d(t) * 0.92 * pile(t)))
    s.series("AWS/Lambda", "Duration", li, "Milliseconds", lambda t: s.n(260 + 24000 * pile(t), 0.06))
    s.series("AWS/Lambda", "ConcurrentExecutions", li, "Count", lambda t: round(s.n(3 + 90 * pile(t), 0.05)))
    sm = {"FunctionName": "seo-sitemap"}
    s.series("AWS/Lambda", "Invocations", sm, "Count", lambda t: s.cnt(0.2))
    s.series("AWS/Lambda", "Errors", sm, "Count", lambda t: 0)

    grp = "/ecs/listings-web"
    olds = [s.hexs(32) for _ in range(10)]
    news = [(t_dep + 20, s.hexs(32)), (t_dep + 400, s.hexs(32))]

    def rl(task, t, lvl, rid, msg):
        s.log(grp, f"ecs/web/{task}", t, f"{lvl[0]}, [{s.iso(t + 9 * 3600, 6)[:-1]} #1] {lvl:>5} -- : [{rid}] {msg}")
    for t0, tk in news:
        lines = [f"I, [{s.iso(t0 + 9 * 3600, 6)[:-1]} #1]  INFO -- : Migrating to AddFeaturedRankToListings (20261119005500)",
                 "== 20261119005500 AddFeaturedRankToListings: migrating ========================",
                 "-- add_column(:listings, :featured_rank, :integer, {:null=>true})"]
        for k, line in enumerate(lines):
            s.log(grp, f"ecs/web/{tk}", t0 + 6 + k * 0.02, line)
    for t in times(s, LOG_START, 0, lambda t: 10 * d(t)):
        tk, rid = s.pick(olds), s.uid()
        lid = s.rng.randint(1000000, 9999999)
        path = s.pick([f"/listings/{lid}", f"/listings/{lid}", "/search?category=furniture&region=seoul", f"/sellers/{s.rng.randint(1000, 99999)}"])
        rl(tk, t, "INFO", rid, f"Started GET \"{path}\" for {s.ip('10.90')} at {s.dt(t + 9 * 3600).strftime('%Y-%m-%d %H:%M:%S')} +0900")
        if t > t_ddl and s.chance(pile(t) * 0.85):
            if full(t) > 0.5 and s.chance(0.35):
                rl(tk, t + 5.0, "ERROR", rid, "ActiveRecord::ConnectionTimeoutError (could not obtain a connection from the pool within 5.000 seconds "
                   "(waited 5.001 seconds); all pooled connections were in use):")
            else:
                rl(tk, t + 15.0, "ERROR", rid, "Rack::Timeout::RequestTimeoutException (Request ran for longer than 15000ms ):")
                rl(tk, t + 15.001, "ERROR", rid, "app/models/listing.rb:88:in `find_visible!'\napp/controllers/listings_controller.rb:14:in `show'")
            rl(tk, t + 15.002, "INFO", rid, "Completed 500 Internal Server Error in 15002ms (ActiveRecord: 0.0ms | Allocations: 1893)")
        else:
            ms = s.n(95, 0.4)
            rl(tk, t + ms / 1000, "INFO", rid, f"Completed 200 OK in {int(ms)}ms (Views: {ms * 0.5:.1f}ms | ActiveRecord: {ms * 0.3:.1f}ms | Allocations: {s.rng.randint(8000, 30000)})")

    il = LambdaLogs(s, "listing-indexer", "python3.12", 512)
    for t in times(s, LOG_START, 0, lambda t: 4 * d(t)):
        lid = s.rng.randint(1000000, 9999999)
        if t > t_ddl and s.chance(pile(t) * 0.92):
            if full(t) > 0.5 and s.chance(0.4):
                il.invoke(t, s.n(40, 0.2), [(0.03, "RAW", py_unhandled("OperationalError", "(1040, 'Too many connections')", [
                    ("/var/task/indexer.py", 31, "handler", "conn = get_conn()"), ("/var/task/indexer.py", 17, "get_conn", "return pymysql.connect(**DB)"),
                    ("/var/task/pymysql/connections.py", 361, "__init__", "self.connect()")]))], 71, True)
            else:
                il.invoke(t, 30000.0, [(0.01, "INFO", f"indexing listing_id={lid}")], 74, s.chance(0.1), timeout_s=30.0)
            continue
        ms = s.n(260, 0.2)
        il.invoke(t, ms, [(ms / 1000 - 0.01, "INFO", f"indexed listing_id={lid} fields=14 opensearch=200")], 74, s.chance(0.02))
    wl = LambdaLogs(s, "db-watchdog", "python3.12", 256)
    for t in every(LOG_START + 3, 0, 60):
        p = pile(t)
        total = min(400, round(s.n(188, 0.03) + 212 * p))
        mdl = round((total - 190) * 0.97) if t > t_ddl + 30 else 0
        roll = f"longest: id=769981 user=listings_sidekiq time={int(t + 2620)}s state='executing' info='{ROLLUP_SQL[:150]}...'" if t > -2620 else \
            f"longest: id={s.rng.randint(700000, 769000)} user=listings_web time={s.rng.randint(1, 4)}s state='executing'"
        msg = f"processlist total={total} waiting_mdl={mdl} sleep={max(0, total - mdl - 30)} {roll}"
        if t > t_ddl + 30:
            msg += f"; ddl: id=771877 user=listings_migrate time={int(t - t_ddl)}s state='Waiting for table metadata lock' info='ALTER TABLE `listings` ADD `featured_rank` int'"
        wl.invoke(t, s.n(140, 0.1), [(0.1, "WARNING" if mdl else "INFO", msg)], 66, s.chance(0.02))
    s.change(-3300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "seo-sitemap", "github-actions-deploy")
    s.change(t_dep - 60, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "listings-web:301", "github-actions-deploy")
    s.change(t_dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{web}", "github-actions-deploy")
    s.alarm("listing-indexer-errors", "AWS/Lambda", "Errors", li, "Sum", 60, 3, 5, "GreaterThanThreshold",
            "listing-indexer errors", after=-7200)
    s.expect("listing-indexer-errors", "bad_deployment", [f"{cl}/{web}", web],
             [("AWS/RDS", "DatabaseConnections", db), ("AWS/Lambda", "Errors", li)])
    return s


def build_16() -> Scenario:
    s = Scenario(16, "quotes-latency-app-host-cpu-cron",
                 "quotes-web latency alarm; logs full of HikariPool connection timeouts.",
                 "eu-north-1", seed=3716, anchor=(2026, 12, 1, 9, 35, 0), tz_hours=1)
    hosts = [("i-04be1d7c39a2f8e10", "quotes-app-1", "ip-10-80-1-44"), ("i-0f3a9c2e71b84d5a6", "quotes-app-2", "ip-10-80-2-17"),
             ("i-0a5d8c3e1f7b9264d", "quotes-app-3", "ip-10-80-3-90")]
    lb = "app/quotes-web/8e2c4a6f1b3d5e79"
    for iid, name, _ in hosts:
        s.resource("ec2", iid, name=name, instance_type="c6i.large", log_groups=["/quotes/app", "/quotes/syslog"],
                   runtime="java17 Spring Boot 3.1 / HikariCP 5 (maximumPoolSize=20) / spymemcached")
    s.resource("alb", lb, name="quotes-web")
    s.resource("rds", "quotes-pg", engine="postgres", engine_version="15.5", instance_class="db.m6g.large", max_connections=800,
               allocated_storage_gb=500)
    victim = hosts[1][0]
    t_cron = -2100
    hot = lambda t: sig(t, t_cron + 40, 20)
    d = lambda t: s.diurnal(t, 0.25, 13.0)
    for iid, name, _ in hosts:
        v = iid == victim
        s.series("AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent",
                 lambda t, v=v: min(99.9, s.n(27 * d(t), 0.08) + (hot(t) * 74 if v else 0)), step=300)
        s.series("AWS/EC2", "NetworkIn", {"InstanceId": iid}, "Bytes", lambda t: s.n(3.1e7 * d(t), 0.1), step=300, nd=0)
        s.series("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", lambda t, v=v: s.n(52, 0.02) + (19 * hot(t) if v else 0))
        s.series("CWAgent", "procstat_cpu_usage", {"InstanceId": iid, "exe": "gs"}, "Percent",
                 lambda t, v=v: (s.n(188, 0.03) * hot(t) if v else 0.0))
    alb = {"LoadBalancer": lb}
    req = lambda t: 1800 * d(t)
    s.series("AWS/ApplicationELB", "RequestCount", alb, "Count", lambda t: s.cnt(req(t)))
    s.series("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds", lambda t: s.n(0.09 + 4.6 * hot(t), 0.08), nd=4)
    s.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", lambda t: s.cnt(1 + req(t) / 3 * 0.2 * hot(t)))
    s.series("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb, "Count", lambda t: s.cnt(0.1 + 14 * hot(t)))
    s.series("AWS/ApplicationELB", "HealthyHostCount", alb, "Count", lambda t: 3)
    db = {"DBInstanceIdentifier": "quotes-pg"}
    s.series("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: s.n(18 * d(t), 0.08) * (1 - 0.15 * hot(t)))
    s.series("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: round(s.n(62, 0.02)))
    s.series("AWS/RDS", "ReadLatency", db, "Seconds", lambda t: s.n(0.0007, 0.1), nd=5)
    s.series("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: 91.4e9 - (t + 21600) * 1500, nd=0)
    s.alarm("quotes-pg-free-storage-20pct", "AWS/RDS", "FreeStorageSpace", db, "Minimum", 300, 1, 107374182400,
            "LessThanThreshold", "quotes-pg free storage below 20% of 500 GiB", state_changed=-259200)

    for iid, name, host in hosts:
        v = iid == victim

        def jl(t, lvl, thread, logger, msg, iid=iid):
            s.log("/quotes/app", iid, t, f"{s.iso(t)} {lvl:>5} 2114 --- [{thread[-15:]:>15}] {logger:<40} : {msg}")
        for t in times(s, LOG_START, 0, lambda t: 4 * d(t)):
            path = s.pick([f"/api/quotes/Q-{s.rng.randint(100000, 999999)}", "/api/quotes/search?postcode=11" + str(s.rng.randint(100, 999)),
                           f"/api/customers/C{s.rng.randint(10000, 99999)}/quotes"])
            th = f"nio-8080-exec-{s.rng.randint(1, 200)}"
            if v and hot(t) > 0.5 and s.chance(0.3):
                jl(t + 30, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]", "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                   "[Request processing failed: org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection] with root cause\n"
                   f"java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after {s.rng.randint(30000, 30090)}ms "
                   f"(total=20, active=20, idle=0, waiting={s.rng.randint(20, 60)})\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)")
                continue
            ms = s.n(9000 if v and hot(t) > 0.5 else 70, 0.45)
            jl(t + ms / 1000, "INFO", th, "c.n.quotes.web.AccessLogFilter", f"GET {path} 200 {int(ms)}ms")
        if v:
            for t in times(s, t_cron + 60, 0, lambda t: 0.7):
                jl(t, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                   f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={s.rng.randint(35, 75)}s{s.rng.randint(100, 999)}ms).")
        for t in times(s, LOG_START, 0, lambda t: 0.2):
            jl(t, "WARN", "Memcached IO over {MemcachedConnection to quotes-sessions.b7x2ka.0001.eun1.cache.amazonaws.com/10.80.4.21:11211}",
               "net.spy.memcached.MemcachedConnection", "Reconnecting due to exception on {QA sa=quotes-sessions.b7x2ka.0001.eun1.cache.amazonaws.com/10.80.4.21:11211, "
               "#Rops=0, #Wops=0, #iq=0, topRop=null, topWop=null, toWrite=0, interested=1}")
        syst = lambda t: (s.dt(t) + datetime.timedelta(hours=1)).strftime("%b %e %H:%M:%S")
        for t in every(LOG_START + 1, 0, 600):
            s.log("/quotes/syslog", iid, t, f"{syst(t)} {host} CROND[{s.rng.randint(20000, 29000)}]: (root) CMD (/usr/lib64/sa/sa1 1 1)")
        if v:
            s.log("/quotes/syslog", iid, t_cron + 1, f"{syst(t_cron + 1)} {host} CROND[28113]: (quotes) CMD (/opt/quotes/bin/pdf-archive-rebuild.sh --month 2026-11 --workers 8)")
            s.log("/quotes/syslog", iid, t_cron + 2, f"{syst(t_cron + 2)} {host} pdf-archive-rebuild[28114]: rebuilding archive for 2026-11: 48211 quotes, 8 ghostscript workers")
            for k, t in enumerate(every(t_cron + 120, 0, 120)):
                s.log("/quotes/syslog", iid, t, f"{syst(t)} {host} pdf-archive-rebuild[28114]: batch {k + 1}/220 rendered (ghostscript), elapsed {int(t - t_cron)}s")

    s.change(-5000, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "quotes-batch-prod", "jenkins-release")
    s.alarm("quotes-web-latency", "AWS/ApplicationELB", "TargetResponseTime", alb, "Average", 60, 5, 1.5, "GreaterThanThreshold",
            "quotes-web average target response time above 1.5 s", after=-7200)
    s.expect("quotes-web-latency", "cpu_saturation", [victim, "quotes-app-2"],
             [("AWS/EC2", "CPUUtilization", {"InstanceId": victim}), ("AWS/ApplicationELB", "TargetResponseTime", alb)])
    return s
