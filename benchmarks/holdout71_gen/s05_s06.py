"""h71-05 yard portal loses its PostGIS host; h71-06 reconnect wave fills the time-series DB."""
from __future__ import annotations

from .common import Scenario, ramp
from .kit import (GRID, alb_metrics, apigw_metrics, device_id, ec2_metrics, ecs_metrics,
                  fleet_load, lam_metrics, lambda_logs, rds_metrics, sprinkle, waves, zeros)
from .runtimes import nginx, pg


def _laravel(sc, t, level, msg):
    return f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] production.{level}: {msg}"


def s05() -> Scenario:
    sc = Scenario(5, "yard-portal-route-pages",
                  "Yard planning portal throwing 5xx; ALB target 5xx alarm paged the night shift.",
                  "ap-southeast-2", 7105, "2026-03-13T16:24:00")
    lb, tg = "app/yard-portal/3f9a1c7e20b4d856", "targetgroup/yard-web/9c1d04e7b2a6f318"
    webs = [("i-0a7c31e9d4b25f801", "yard-web-1"), ("i-0e52b8f1c9a3d7046", "yard-web-2")]
    dbi, batch = "i-04d9e2a7c1b38f5e2", "i-09b3f7a2e6c4d1058"
    sc.resource("alb", lb, name="yard-portal", scheme="internal")
    for iid, name in webs:
        sc.resource("ec2", iid, name=name, instance_type="c6i.large", stack="nginx+php-fpm 8.3",
                    log_groups=["/yard/nginx/access", "/yard/laravel"])
    sc.resource("ec2", dbi, name="pgis-2", instance_type="r6i.xlarge", private_ip="10.20.3.41",
                stack="PostgreSQL 16 + PostGIS 3.4", log_groups=["/pgis/postgresql"])
    sc.resource("ec2", batch, name="routeopt-batch-1", instance_type="c6i.4xlarge",
                log_groups=["/routeopt/job"])
    sc.resource("lambda", "depot-sms-notify", runtime="python3.12", timeout=30, memory_size=256)
    down = -1860
    bad = lambda t: 1.0 if t >= down else 0.0

    req = sc.series(lambda t: 260 * (0.8 + 0.2 * (1 if sc.at(t).minute < 30 else 0.7)), noise=0.05,
                    integer=True)
    t5 = [float(round(r * 0.52 * bad(t) * sc.rng.uniform(0.85, 1.05))) for t, r in zip(GRID, req)]
    rt = sc.series(lambda t: 0.14 + 2.6 * bad(t), noise=0.06, digits=4)
    alb_metrics(sc, lb, tg, req, rt, t5, zeros(), [2.0] * len(GRID))
    for iid, _ in webs:
        ec2_metrics(sc, iid, sc.series(lambda t: 24 - 9 * bad(t), noise=0.08),
                    sc.series(lambda t: 2.1e6, noise=0.08, integer=True),
                    zeros(), sc.series(lambda t: 41, noise=0.02),
                    sc.series(lambda t: 38 + 0.0002 * (t + 21600), noise=0.002))
    ec2_metrics(sc, dbi,
                [None if t >= down else v for t, v in zip(GRID, sc.series(lambda t: 19, noise=0.12))],
                [None if t >= down else v for t, v in
                 zip(GRID, sc.series(lambda t: 9.5e6, noise=0.1, integer=True))],
                [1.0 if t >= down else 0.0 for t in GRID],
                [None if t >= down else v for t, v in zip(GRID, sc.series(lambda t: 63, noise=0.01))],
                [None if t >= down else v for t, v in zip(GRID, sc.series(lambda t: 57.2, noise=0.001))],
                sys_status=[1.0 if t >= down else 0.0 for t in GRID])
    job = lambda t: 1.0 if -5400 <= t else 0.0
    ec2_metrics(sc, batch, sc.series(lambda t: 3 + 93 * job(t), noise=0.02, cap=100),
                sc.series(lambda t: 1e5 + 4e6 * job(t) * (1 if t < -5100 else 0.05), noise=0.1,
                          integer=True),
                zeros(), sc.series(lambda t: 12 + 60 * job(t), noise=0.02),
                sc.series(lambda t: 22, noise=0.002))
    lam_metrics(sc, "depot-sms-notify", sc.series(lambda t: 1.5, noise=0.3, integer=True), zeros(),
                sc.series(lambda t: 320, noise=0.1))

    paths = [("/yard/14/routes", True), ("/yard/14/routes/4471", True), ("/yard/9/board", True),
             ("/assets/app.css", False), ("/yard/9/dock-schedule", False), ("/healthz", False)]
    for iid, name in webs:
        def acc(t, iid=iid):
            p, uses_db = sc.rng.choice(paths)
            if uses_db and t >= down:
                return nginx(sc, t, sc.ip("10.20"), "GET", p, 500, 612, sc.rng.uniform(5.0, 5.08),
                             ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/122.0")
            return nginx(sc, t, sc.ip("10.20"), "GET", p, 200, sc.rng.randint(900, 24000),
                         sc.rng.uniform(0.02, 0.25), ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/122.0")
        sprinkle(sc, "/yard/nginx/access", iid, lambda t: 3.0, acc)

        def app(t):
            r = sc.rng.random()
            if t >= down and r < 0.75:
                y = sc.rng.choice([14, 9, 22])
                return _laravel(sc, t, "ERROR", 'SQLSTATE[08006] [7] connection to server at '
                                '"10.20.3.41", port 5432 failed: Connection timed out\n\tIs the '
                                'server running on that host and accepting TCP/IP connections? '
                                f'(Connection: pgsql, SQL: select * from "depot_routes" where '
                                f'"yard_id" = {y} and "service_date" = 2026-03-14) {{"exception":"[object] '
                                '(Illuminate\\\\Database\\\\QueryException(code: 08006): SQLSTATE[08006] '
                                '[7] connection to server at \\"10.20.3.41\\", port 5432 failed: '
                                'Connection timed out at /var/www/yard/vendor/laravel/framework/src/'
                                'Illuminate/Database/Connection.php:829)"}')
            if r < 0.5:
                return _laravel(sc, t, "ERROR", f"Route {sc.rng.choice([4471, 3902])} "
                                "has no geometry; skipping render")
            return _laravel(sc, t, "WARNING", 'Undefined array key "eta" in /var/www/yard/app/'
                            'Http/Controllers/YardBoardController.php on line 212')
        sprinkle(sc, "/yard/laravel", iid, lambda t: 0.6 + (2.0 if t >= down else 0), app)

    def pgl(t):
        if t >= down:
            return None
        return pg(sc, t, "LOG", sc.rng.choice(
            ["connection authorized: user=yard database=yard application_name=php-fpm",
             "checkpoint starting: time",
             "checkpoint complete: wrote 1893 buffers (1.4%); 0 WAL file(s) added, 0 removed, 1 recycled",
             "duration: 612.442 ms  statement: SELECT ST_AsGeoJSON(geom) FROM depot_routes WHERE yard_id = 14"]),
            client="10.20.1.17(51022)", user="yard", db="yard")
    sprinkle(sc, "/pgis/postgresql", dbi, lambda t: 1.5, pgl)
    sprinkle(sc, "/routeopt/job", batch, lambda t: 0.8 if t >= -5400 else 0.0,
             lambda t: f"{sc.iso(t)} INFO solver iteration={int((t + 5400) // 9)} routes=1240 "
                       f"best_cost={812000 - (t + 5400) * 9:.0f} threads=16", t0=-5400)
    sc.change(-1895, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "depot-sms-notify", "jenkins-yard")
    sc.change(-5420, "ec2.amazonaws.com", "StartInstances", "AWS::EC2::Instance", batch,
              "routeopt-scheduler")
    sc.alarm("yard-portal-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 25, "GreaterThanThreshold",
             "Yard portal 5xx from targets")
    sc.alarm("routeopt-batch-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": batch}, "Average",
             300, 2, 90, "GreaterThanThreshold")
    sc.expect = {"alarm": "yard-portal-target-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [dbi, "pgis-2"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System",
                                "dimensions": {"InstanceId": dbi}}]}
    sc.meta = dict(where="alarm on front (ALB); origin a database host two hops behind",
                   decoys="Lambda deploy 35 s before onset; nightly route-optimisation instance "
                          "with CPU pinned and its own alarm in ALARM; Laravel 'no geometry' "
                          "errors and PHP warnings all night",
                   services="ALB, EC2 (PHP), EC2 (PostgreSQL), Lambda")
    return sc


def s06() -> Scenario:
    sc = Scenario(6, "position-writer-db",
                  "Position writer Lambda erroring after the morning reconnect; Errors alarm fired.",
                  "eu-central-1", 7106, "2026-03-14T06:52:00")
    fn, db, api = "position-write", "fleet-ts-01", "tracker-api"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=256)
    sc.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.t4g.large",
                max_connections=180, allocated_storage_gb=500, rds_proxy=False)
    sc.resource("apigateway", api, api_id="p3m8z1c6ra", stage="v1")
    sc.resource("ecs", "telemetry/ts-rollup", desired_count=3, runtime="java21", db_pool_max=20)
    blip = -2700
    routine = [-17800, -11900, -6100]

    def load(t):
        return fleet_load(sc, t, 1450, amp=0.25, peak=10, batch=0.5, batch_minute=30,
                          wave_starts=routine, wave_h=0.45) + 1450 * waves(t, [blip], 2.2, 4000)

    cnt = sc.series(load, noise=0.03, integer=True)
    envs = []
    held = 0.0
    for t, c in zip(GRID, cnt):
        want = c / 1450 * 48
        held = max(want, held * 0.997)      # idle environments keep their connection
        envs.append(held)
    conns = [min(177.0, round(60 + e + sc.rng.gauss(0, 2))) for e in envs]
    over = [max(0.0, 60 + e - 177) for e in envs]
    err = [float(round(min(c, c * min(0.4, o / (o + 150)) + sc.rng.random() * 0.6))) for c, o in zip(cnt, over)]
    err = [e if t > blip else float(sc.rng.random() < 0.01) for t, e in zip(GRID, err)]
    dur = sc.series(lambda t: 85, noise=0.08)
    dur = [round(d + 40 * min(1.0, o / 20), 2) for d, o in zip(dur, over)]
    lam_metrics(sc, fn, cnt, err, dur, conc=[float(round(e * 1.1)) for e in envs])
    apigw_metrics(sc, api, cnt, sc.series(lambda t: 6, noise=0.3, integer=True),
                  err, [round(d + 22, 1) for d in dur])
    rds_metrics(sc, db, sc.series(lambda t: 31 + 9 * (load(t) / 1450 - 1) + (30 if -11100 < t < -10500 else 0),
                                  noise=0.06, cap=100),
                conns, sc.series(lambda t: 212 - 0.00004 * (t + 21600), noise=0.0003),
                sc.series(lambda t: 2.6, noise=0.02),
                sc.series(lambda t: 0.0009, noise=0.1, digits=5),
                sc.series(lambda t: 0.0016, noise=0.1, digits=5))
    ecs_metrics(sc, "telemetry", "ts-rollup", sc.series(lambda t: 38, noise=0.06),
                sc.series(lambda t: 61, noise=0.02))
    overd = dict(zip(GRID, over))

    def body(ll, t, rid, is_err, cold):
        dev = device_id(sc)
        lines = []
        if sc.rng.random() < 0.06:
            lines.append((0.01, ll.fmt(t, rid, "WARN", f"position rejected device={dev} reason="
                                       f"\"timestamp 2036-02-07T06:28:16Z is in the future\"")))
        if sc.rng.random() < 0.05:
            lines.append((0.02, ll.fmt(t, rid, "ERROR", "duplicate key value violates unique "
                                       "constraint \"positions_device_ts_key\" (retrying as upsert)")))
        if is_err:
            err = ('{"errorType":"error","errorMessage":"sorry, too many clients already",'
                   '"code":"53300","severity":"FATAL","file":"proc.c","line":"360","routine":'
                   '"InitProcGlobal","stack":["error: sorry, too many clients already",'
                   '"    at Parser.parseErrorMessage (/var/task/node_modules/pg-protocol/dist/parser.js:283:98)",'
                   '"    at async Client.connect (/var/task/node_modules/pg/lib/client.js:132:5)",'
                   '"    at async getClient (/var/task/src/db.js:17:5)"]}')
            lines.append((0.03, ll.fmt(t + 0.03, rid, "ERROR", "Invoke Error \t" + err)))
            return {"lines": lines, "dur": sc.rng.uniform(25, 60)}
        d = sc.rng.uniform(40, 140)
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"stored {sc.rng.randint(1, 40)} "
                                       f"positions device={dev}")))
        return {"lines": lines, "dur": d}

    lambda_logs(sc, fn, "nodejs20.x", 256, 10, cnt, err, body, k=3)

    def pgl(t):
        m = (t // 60) * 60
        if overd.get(m, 0) > 0 and sc.rng.random() < 0.8:
            return pg(sc, t, "FATAL", sc.rng.choice(
                ["sorry, too many clients already",
                 "remaining connection slots are reserved for non-replication superuser connections"]),
                client=f"10.31.{sc.rng.randint(1, 40)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
                user="writer", db="fleet")
        return pg(sc, t, "LOG", sc.rng.choice(
            ["checkpoint starting: time", "automatic analyze of table \"fleet.public.positions_2026_03\"",
             "checkpoint complete: wrote 3321 buffers (4.1%)"]))
    sprinkle(sc, f"/aws/rds/instance/{db}/postgresql", f"{db}.0",
             lambda t: 0.4 + (2.5 if overd.get(t, 0) > 0 else 0), pgl)
    sc.change(-2655, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              f"{api}/v1", "ops.ahmed")
    sc.change(-9400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "github-actions")
    sc.alarm("position-write-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Position writer errors")
    sc.alarm("tracker-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 50,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "position-write-errors",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(where="alarm on the caller (Lambda); origin RDS behind it",
                   decoys="API stage update 45 s after the wave began; a reconnect wave (about 3x baseline) "
                          "that a lazy reader calls a traffic surge; routine waves earlier; "
                          "duplicate-key and future-timestamp lines all day; DB CPU bump from "
                          "autovacuum 3 h earlier",
                   services="Lambda (Node), RDS PostgreSQL, API Gateway, ECS")
    return sc
