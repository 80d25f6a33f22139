"""Scenarios 05 (MySQL connection slots exhausted) and 06 (tile host CPU pinned by a local seed job)."""
import datetime as dt

from . import logs as L
from .bg import bg_ec2, bg_ecs, bg_lambda, bg_rds
from .common import Scenario, anomaly, bump, hexs, ramp, wave
from .res import alb, apigw, const, ec2, ecs, lambda_fn
from .scen_a import LAMBDA_WARNING


# ====================================================================== 05
def s05():
    sc = Scenario(5, "merchant-api-5xx-payouts-db-connections", "ap-southeast-2",
                  "Merchant dashboard balance calls failing (5xx) during the afternoon payout run.",
                  4305, dt.datetime(2026, 11, 15, 5, 30, 0))
    rng = sc.rng
    T_BATCH = -2700
    full = lambda t: ramp(t, -2080, -1990)          # connection limit reached
    worker_rate = lambda t: 90 + 1500 * bump(t, T_BATCH, 0, 420)
    bq_rate = lambda t: 120 * wave(t, 0.1, phase=0.9)
    conns = lambda t: 128 * wave(t, 0.05) + 175 * ramp(t, T_BATCH + 60, -2000)
    rds_out = bg_rds(sc, "payouts-mysql", "mysql", "8.0.36", "db.r6g.large", 300, 500,
                     cpu=lambda t: 34 + 22 * ramp(t, T_BATCH, T_BATCH + 600), conn=conns, dbname="payouts",
                     parameter_group="payouts-mysql8-params")
    api = apigw(sc, "merchant-api", count=lambda t: bq_rate(t) + 60, lat=lambda t: 85 + 40 * full(t),
                e5=lambda t: 0.2 + bq_rate(t) * 0.33 * full(t), integrations="lambda:balance-query, lambda:fee-calculator")
    lambda_fn(sc, "balance-query", "python3.12", 10, 512, bq_rate, lambda t: 60 + 25 * full(t), err=lambda t: 0.33 * full(t),
              environment_keys=["DB_HOST", "DB_NAME", "DB_SECRET_ARN", "LOG_LEVEL"])
    lambda_fn(sc, "payout-worker", "python3.12", 60, 512, worker_rate, lambda t: 650 + 200 * bump(t, T_BATCH, 0),
              err=lambda t: 0.22 * full(t), trigger="sqs:payouts-eod")

    def too_many(fn, line, call):
        return ("[ERROR] OperationalError: (1040, 'Too many connections')\nTraceback (most recent call last):\n"
                '  File "/var/task/%s/handler.py", line %d, in handler\n    %s\n'
                '  File "/var/task/%s/db.py", line 22, in get_conn\n'
                "    return pymysql.connect(host=DB_HOST, user=creds['username'], password=creds['password'], database=DB_NAME)\n"
                '  File "/var/task/pymysql/connections.py", line 361, in __init__\n    self.connect()\n'
                '  File "/var/task/pymysql/connections.py", line 669, in connect\n    self._request_authentication()\n'
                '  File "/var/task/pymysql/err.py", line 150, in raise_mysql_exception\n    raise errorclass(errno, errval)'
                % (fn, line, call, fn))
    bq = L.LambdaLog(sc, "balance-query", "python3.12", 512, 10, pools=[(-10 ** 9, "$LATEST", 6)], mem_used=(96, 8))

    def bq_h(t):
        fail = rng.random() < 0.33 * full(t)
        d = rng.gauss(85, 15) if fail else rng.gauss(58, 12)
        m = "m_%s" % hexs(rng, 8)

        def lines(t0, r):
            if fail:
                return [(0.002, L.py(sc, t0 + 0.002, r, "INFO", "GET /merchants/%s/balance" % m)),
                         (d / 1000 - 0.003, LAMBDA_WARNING),
                         (d / 1000 - 0.002, too_many("balances", 31, "conn = db.get_conn()"))]
            return [(0.002, L.py(sc, t0 + 0.002, r, "INFO", "GET /merchants/%s/balance" % m)),
                    (d / 1000 - 0.004, L.py(sc, t0 + d / 1000, r, "INFO", "Balance for %s: AUD %.2f available, %.2f pending (%d ms)"
                                             % (m, rng.uniform(100, 90000), rng.uniform(0, 5000), d)))]
        return lines, max(10, d), "ok"
    bq.run(-10800, 0, lambda t: 3.0, bq_h)
    pw = L.LambdaLog(sc, "payout-worker", "python3.12", 512, 60,
                     pools=[(-10 ** 9, "$LATEST", 4), (T_BATCH + 30, "$LATEST", 12)], mem_used=(120, 10))

    def pw_h(t):
        fail = rng.random() < 0.22 * full(t)
        d = rng.gauss(700, 120)
        po = "po_%s" % hexs(rng, 10)

        def lines(t0, r):
            if fail:
                return [(d / 1000 - 0.003, LAMBDA_WARNING), (d / 1000 - 0.002, too_many("payouts", 54, "with db.get_conn() as conn:"))]
            return [(d / 1000 - 0.01, L.py(sc, t0 + d / 1000, r, "INFO", "Paid out %s AUD %.2f via NPP (batch %s)"
                                           % (po, rng.uniform(20, 9000), "EOD-20261115" if t0 > T_BATCH else "INTRADAY")))]
        return lines, d, "ok"
    pw.run(-10800, 0, lambda t: 2.0 + 3.0 * bump(t, T_BATCH, 0, 420), pw_h)
    bg_lambda(sc, "payout-scheduler", "python3.12", lambda t: 0.2 + 2.0 * bump(t, T_BATCH, T_BATCH + 240, 30, 60), const(4200),
              ["Enqueued {big} payouts to payouts-eod"], timeout=120, log_rate=lambda t: 0.2 + 0.6 * bump(t, T_BATCH, T_BATCH + 240, 30, 60))
    bg_lambda(sc, "fee-calculator", "nodejs20.x", const(60), const(25), ["fee quote merchant=m_{hex} bps={n}"],
              pools=[(-10 ** 9, "$LATEST", 2), (-3580, "$LATEST", 2)])
    bg_lambda(sc, "kyc-checker", "python3.12", const(14), const(2100), ["KYC check ok for applicant a_{hex} (score {n})"],
              err=const(0.22), err_msgs=["Upstream KYC provider responded 429 Too Many Requests after 3 retries; applicant a_{hex} requeued"],
              memory=1024)
    pa = bg_ecs(sc, "pay-prod", "payout-api", "spring", cpu=lambda t: 30 * wave(t, 0.1), mem=const(64), tasks=const(4),
           msgs=[("INFO", "c.a.payouts.web.PayoutController", "GET /payouts/po_{hex} -> 200 ({ms} ms)"),
                 ("INFO", "c.a.payouts.web.PayoutController", "POST /payouts/po_{hex}/cancel -> 200 ({ms} ms)")],
           per_min=2.0, target_group="tg-payout-api")
    g = "/ecs/payout-api"
    s = "payout-api/payout-api/%s" % pa["tasks_ids"][0]

    def api_err(t):
        if rng.random() < 0.5:
            return L.spring(sc, t, "WARN", "payout-api", "HikariPool-1 connection adder", "com.zaxxer.hikari.pool.HikariPool",
                            "HikariPool-1 - Cannot acquire connection from data source\njava.sql.SQLNonTransientConnectionException: "
                            'Data source rejected establishment of connection,  message from server: "Too many connections"\n'
                            "\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:121)\n"
                            "\tat com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:815)")
        return L.spring(sc, t, "ERROR", "payout-api", "http-nio-8080-exec-%d" % rng.randint(1, 40), "c.a.payouts.web.ErrorHandler",
                        "GET /payouts/po_%s failed: HikariPool-1 - Connection is not available, request timed out after 30000ms "
                        "(total=12, active=12, idle=0, waiting=%d)" % (hexs(rng, 10), rng.randint(3, 14)))
    L.stream(sc, g, s, -2000, 0, lambda t: 2.0 * full(t), api_err)
    bg_ecs(sc, "pay-prod", "ledger-writer", "go", cpu=const(18), mem=const(41), tasks=const(2),
           msgs=[("INFO", "ledger/writer.go:97", "appended {n} entries to ledger shard {n}")], per_min=1.0)
    bg_rds(sc, "kyc-pg", "postgres", "16.3", "db.t4g.large", 400, 200, cpu=const(19), conn=const(42),
           tables=("applicants", "checks"), dbname="kyc")
    alb(sc, "pay-internal-alb", req=const(220), rt=const(0.04), scheme="internal", target_groups=["tg-payout-api"], healthy=const(4))
    mb = "i-0%s" % hexs(rng, 16)
    bg_ec2(sc, mb, "metabase-1", "m6i.large", cpu=lambda t: 20 + 65 * bump(t, -1300, 0, 200),
           groups={"/metabase/app": (0.6, lambda t: "%s INFO metabase.query-processor :: Query for card %d (Daily payout volume) took %d ms"
                                     % (sc.iso(t), rng.randint(100, 140), rng.randint(400, 9000)))})
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "nat-instance-1", "c6gn.medium", cpu=const(11))

    sc.change(-5000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "kyc-pg", "terraform-ci")
    sc.change(-3600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "fee-calculator", "bitbucket-pipelines")
    sc.change(-1200, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "kyc-checker", "s.patel")
    sc.change(-300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "pay-prod/ledger-writer", "AWSServiceRoleForApplicationAutoScaling_ECSService")

    sc.alarm("merchant-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "merchant-api"}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "ALARM", "Merchant API 5xx")
    sc.alarm("payouts-mysql-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "payouts-mysql"},
             "Maximum", 60, 3, 270, "GreaterThanThreshold", "ALARM")
    sc.alarm("kyc-checker-errors", "AWS/Lambda", "Errors", {"FunctionName": "kyc-checker"}, "Sum", 300, 1, 8,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("metabase-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": mb}, "Average", 300, 2, 80,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("payouts-mysql-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "payouts-mysql"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.set_expect("merchant-api-5xx", "db_connection_exhaustion", ["payouts-mysql"],
                  [anomaly("AWS/RDS", "DatabaseConnections", DBInstanceIdentifier="payouts-mysql"),
                   anomaly("AWS/ApiGateway", "5XXError", ApiName="merchant-api")])
    sc.meta = dict(alarm_on="front (API Gateway)", decoys=[
        "kyc-checker Errors alarm with steady upstream 429s (pre-existing)", "kyc-checker memory change 20 min ago",
        "fee-calculator deploy 1 h ago", "kyc-pg ModifyDBInstance", "metabase-1 CPU alarm (dashboard refresh)",
        "autoscaling UpdateService on ledger-writer"],
        story=("The end-of-day payout run starts 45 min ago (payout-scheduler enqueues, payout-worker scales to hundreds "
               "of environments, each opening its own MySQL connection). payouts-mysql's DatabaseConnections climbs from "
               "~130 to its max_connections of 300 and stays pinned there from ~33 min ago; CPU stays around 55 %. "
               "From that point balance-query (behind merchant-api), payout-worker and payout-api all fail to open "
               "connections with MySQL error 1040 'Too many connections' / 'Data source rejected establishment of "
               "connection'. The kyc-checker 429 errors are constant all window, its memory change and the other "
               "changes touch unrelated resources. Connections at the limit with too-many-connections errors: "
               "db_connection_exhaustion on payouts-mysql, alarm on a victim's front door."))
    return sc


# ====================================================================== 06
def s06():
    sc = Scenario(6, "maps-latency-tile-host-cpu", "us-east-2",
                  "Map tiles loading slowly in the apps; maps ALB latency alarm and others open.",
                  4306, dt.datetime(2026, 11, 16, 13, 20, 0))
    rng = sc.rng
    T_SEED = -2410
    hot = lambda t: ramp(t, T_SEED + 20, T_SEED + 260)
    tile_rate = lambda t: 1900 * wave(t, 0.1, phase=0.2)
    a = alb(sc, "maps-alb", req=lambda t: tile_rate(t) + 300, rt=lambda t: 0.075 + 1.15 * hot(t),
            t5=lambda t: 0.3 + 9 * hot(t), healthy=const(6), target_groups=["tg-tiles", "tg-geocode", "tg-routing"])
    t1, t2 = "i-0%s" % hexs(rng, 16), "i-0%s" % hexs(rng, 16)
    ec2(sc, t1, "tile-render-1", "c6i.2xlarge", cpu=lambda t: min(99.3, 44 * wave(t, 0.1) + 60 * hot(t)),
        net=lambda t: 2.4e7 * wave(t, 0.1) * (1 - 0.15 * hot(t)), mem=lambda t: 58 + 6 * hot(t),
        log_groups=["/tiles/server", "/var/log/cron"], target_group="tg-tiles")
    ec2(sc, t2, "tile-render-2", "c6i.2xlarge", cpu=lambda t: 45 * wave(t, 0.1), net=lambda t: 2.4e7 * wave(t, 0.1),
        mem=const(57), log_groups=["/tiles/server"], target_group="tg-tiles")
    styles = ["streets", "terrain-v3", "satellite-labels", "transit"]

    def tile_line(t, busy):
        z = rng.randint(10, 17)
        path = "/tiles/v1/%s/%d/%d/%d.pbf" % (rng.choice(styles), z, rng.randint(0, 2 ** z), rng.randint(0, 2 ** z))
        if busy and rng.random() < 0.85:
            if rng.random() < 0.12:
                return "%s WARN render pool saturated: 8/8 workers busy, queue=%d, oldest wait %d ms" % (
                    sc.iso(t), rng.randint(180, 420), rng.randint(1800, 4200))
            if rng.random() < 0.04:
                return "%s ERROR %s 503 render queue full (limit 400)" % (sc.iso(t), path)
            w = rng.randint(1500, 3600)
            return "%s INFO %s 200 %dms cache=%s queue_wait=%dms" % (sc.iso(t), path, w + rng.randint(20, 300),
                                                                     rng.choice(["hit", "hit", "miss"]), w)
        return "%s INFO %s 200 %dms cache=%s queue_wait=0ms" % (sc.iso(t), path, rng.randint(4, 90), rng.choice(["hit", "hit", "hit", "miss"]))
    L.stream(sc, "/tiles/server", t1, -10800, 0, lambda t: 4.0, lambda t: tile_line(t, hot(t) > 0.5))
    L.stream(sc, "/tiles/server", t2, -10800, 0, lambda t: 4.0, lambda t: tile_line(t, False))
    cron = lambda t, m: "%s tile-render-1 %s" % (sc.at(t).strftime("%b %d %H:%M:%S"), m)
    L.periodic(sc, "/var/log/cron", t1, -10800, 0, 3600, lambda t: cron(t, "CROND[%d]: (root) CMD (run-parts /etc/cron.hourly)" % rng.randint(1000, 9000)))
    sc.ev("/var/log/cron", t1, T_SEED, cron(T_SEED, "CROND[2211]: (tiles) CMD (/opt/tiles/bin/seed-region.sh ohio-valley 12 16 --threads 8)"))
    sc.ev("/var/log/cron", t1, T_SEED + 3, cron(T_SEED + 3, "tile-seed[2213]: seeding region=ohio-valley zooms=12..16 styles=all tiles=1840112 threads=8 nice=0"))
    done = [0]

    def seed(t):
        done[0] += rng.randint(15000, 19000)
        return cron(t, "tile-seed[2213]: progress %d/1840112 tiles (%.1f%%), %d tiles/s, load average: %.2f, %.2f, %.2f"
                    % (done[0], done[0] / 18401.12, rng.randint(26, 33), rng.uniform(15.5, 17.9), rng.uniform(14.8, 16.4), rng.uniform(10, 13)))
    L.periodic(sc, "/var/log/cron", t1, T_SEED + 300, 0, 600, seed)

    bg_ecs(sc, "maps-prod", "geocode-api", "go", cpu=lambda t: 31 * wave(t, 0.1), mem=const(44), tasks=const(3),
           msgs=[("INFO", "geocode/handler.go:77", "forward geocode q=\"{n} main st\" results={n} dur_ms={ms}"),
                 ("INFO", "geocode/handler.go:120", "reverse geocode results=1 dur_ms={ms}")], per_min=2.0, target_group="tg-geocode")
    bg_ecs(sc, "maps-prod", "routing-api", "spring", cpu=lambda t: 36 * wave(t, 0.1), mem=const(62),
           tasks=lambda t: 3 + 3 * bump(t, -1450, -1250, 60, 60), desired=const(3),
           msgs=[("INFO", "c.m.routing.RouteController", "POST /v1/route profile=driving legs={n} -> 200 ({ms} ms)")],
           per_min=2.0, target_group="tg-routing", task_definition="routing-api:92")
    bg_lambda(sc, "tile-cache-purge", "python3.12", const(0.5), const(900), ["Purged {n} CDN paths for style updates"])
    bg_lambda(sc, "osm-diff-import", "python3.12", const(1.0), const(14000), ["Applied OSM minutely diff {big} ({n} changes)"],
              memory=2048, timeout=120, pools=[(-10 ** 9, "$LATEST", 2), (-2880, "$LATEST", 2)])
    bg_lambda(sc, "usage-metering", "nodejs20.x", lambda t: 40 * wave(t, 0.1), const(30), ["metered {n} requests for key k_{hex}"])
    apigw(sc, "maps-developer-api", count=lambda t: 310 * wave(t, 0.1), lat=const(140), integration="http:maps-alb")
    bg_rds(sc, "gis-pg", "postgres", "15.7", "db.r6g.xlarge", 1000, 800, cpu=lambda t: 29 * wave(t, 0.1), conn=const(95),
           free_gb=lambda t: 71.0 - 0.00004 * (t + 21600), tables=("planet_osm_line", "planet_osm_polygon"), dbname="gis")
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "geocoder-index-1", "r6i.large", cpu=const(12))

    sc.change(-5400, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener", "maps-alb", "terraform-ci")
    sc.change(-2900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "osm-diff-import", "github-actions-deploy")
    sc.change(-1510, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "routing-api:92", "github-actions-deploy")
    sc.change(-1500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "maps-prod/routing-api", "github-actions-deploy")
    sc.change(-600, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "usage-metering", "k.brennan")

    sc.alarm("maps-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": a["id"]}, "Average", 60, 3, 0.5,
             "GreaterThanThreshold", "ALARM", "Maps ALB average target response time")
    sc.alarm("tile-render-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": t1}, "Average", 300, 2, 90,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("gis-pg-free-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "gis-pg"}, "Minimum", 300, 1,
             80 * 1024 ** 3, "LessThanThreshold", "ALARM", "gis-pg below 80 GiB free")
    sc.alarm("tile-render-2-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": t2}, "Average", 300, 2, 90,
             "GreaterThanThreshold", "OK")
    sc.alarm("routing-api-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "maps-prod", "ServiceName": "routing-api"},
             "Average", 300, 3, 80, "GreaterThanThreshold", "OK")
    sc.set_expect("maps-alb-latency", "cpu_saturation", [t1, "tile-render-1"],
                  [anomaly("AWS/EC2", "CPUUtilization", InstanceId=t1),
                   anomaly("AWS/ApplicationELB", "TargetResponseTime", LoadBalancer=a["id"])])
    sc.meta = dict(alarm_on="front (ALB)", decoys=[
        "maps-alb listener change 90 min ago (geocode rule)", "routing-api deploy 25 min ago", "osm-diff-import deploy",
        "usage-metering config change", "gis-pg low-free-storage alarm open for days"],
        story=("A local cron job on tile-render-1 (seed-region.sh, 8 threads, not a CloudTrail event) started 40 min ago. "
               "Its CPU goes from ~45 % to a flat ~99 % within four minutes and the seeder logs load averages of 15-17 on "
               "an 8-vCPU host; the tile server there reports a saturated render pool, multi-second queue waits and a "
               "few 503 'render queue full'. tile-render-2, same tier, stays at 45 % with fast responses, and request "
               "volume is unchanged, so it is neither traffic nor code. The ALB's average TargetResponseTime goes from "
               "0.08 s to ~1.2 s. The listener change (90 min earlier, geocode path), the routing deploy (after onset) and "
               "the long-standing gis-pg storage alarm are unrelated. CPU pinned with latency following: "
               "cpu_saturation on tile-render-1, alarm on the front door."))
    return sc
