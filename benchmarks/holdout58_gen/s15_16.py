"""h58-15 (ELB-generated 502s with nothing to explain them) and h58-16 (blocking column-type migration)."""
from __future__ import annotations

from . import blocks as B
from .common import GRID, Scenario, diurnal, ramp
from .runtimes import LambdaLogs, jline, laravel, nginx, pg


# =========================================================================== 15
def s15() -> Scenario:
    sc = Scenario(15, "tiles-edge-502s", "Intermittent 502s on map tiles; ALB ELB 5XX alarm.", "us-west-1",
                  5815, "2026-08-30T18:45:00+00:00")
    Q = -1500            # first burst of load-balancer 502s
    N = -1600            # prewarm function moved to nodejs20.x
    lb, fn = "app/tiles-edge/4c2e8a6f0b1d3957", "tile-prewarm"
    ids = ["i-03a9d1f7c5e2b8046", "i-0b6e2f8a4d1c37590", "i-0d81c4a7e3f9b5d26"]
    sc.resource("alb", lb, name="tiles-edge", scheme="internet-facing", idle_timeout=60)
    for k, iid in enumerate(ids):
        sc.resource("ec2", iid, name=f"tiles-{k + 1}", instance_type="c7g.2xlarge", log_groups=["/tiles/access"])
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=300, memory_size=512)
    req = sc.series(lambda t: 9100 * diurnal(sc, t, 19, 0.2), integer=True)
    e502 = sc.series(lambda t: 0.05 + (t >= Q) * sc.rng.choice([8, 12, 20, 28, 40]), integer=True)
    B.alb_metrics(sc, lb, req, sc.series(lambda t: 0.0062, noise=0.1, digits=5), sc.series(lambda t: 0.02, integer=True),
                  e502, B.flat(3), B.flat(0),
                  extra=[("HTTPCode_ELB_502_Count", "Count", e502),
                         ("TargetConnectionErrorCount", "Count", B.flat(0)),
                         ("ActiveConnectionCount", "Count", sc.series(lambda t: 4100 * diurnal(sc, t, 19, 0.2), integer=True))])
    for iid in ids:
        B.ec2_metrics(sc, iid, sc.series(lambda t: 31 * diurnal(sc, t, 19, 0.2), noise=0.07),
                      sc.series(lambda t: 3.9e7 * diurnal(sc, t, 19, 0.2), noise=0.07, digits=0), B.flat(0),
                      sc.series(lambda t: 43, noise=0.02), sc.series(lambda t: 52.0, noise=0.001))
    pinv = [1.0 if (t // 60) % 10 == 0 else 0.0 for t in GRID]
    B.lambda_metrics(sc, fn, pinv, B.flat(0), [None if not v else 94000.0 + sc.rng.uniform(-9000, 9000) for v in pinv])

    for iid in ids:
        def acc(t, iid=iid):
            z = sc.rng.randint(9, 15)
            return jline({"level": "info", "ts": round(sc.at(t).timestamp(), 4), "logger": "http.log.access",
                          "msg": "handled request", "request": {"remote_ip": sc.ip("10.12"), "proto": "HTTP/1.1", "method": "GET",
                                                                "uri": f"/tiles/v3/{z}/{sc.rng.randint(0, 2 ** z)}/{sc.rng.randint(0, 2 ** z)}.pbf"},
                          "duration": round(sc.rng.uniform(0.001, 0.02), 6), "size": sc.rng.randint(900, 60000),
                          "status": sc.rng.choice([200] * 30 + [204, 304])})
        B.emit(sc, "/tiles/access", iid, lambda t: 4, acc)
        B.every(sc, "/tiles/access", iid, 1800, lambda t: jline({
            "level": "info", "ts": round(sc.at(t).timestamp(), 4), "logger": "tiles.cache", "msg": "mbtiles cache stats",
            "hit_ratio": round(sc.rng.uniform(0.93, 0.97), 3), "open_files": 14}))

    old = LambdaLogs(sc, fn, "nodejs18.x", 512, 300, mem_used=(140, 8))
    new = LambdaLogs(sc, fn, "nodejs20.x", 512, 300, mem_used=(138, 8), prewarm=N)

    def body(l, t, rid, e, c):
        bad = 0 if t < Q else sc.rng.choice([0, 0, 1, 2])
        return {"dur": 94000, "lines": [(0.01, l.fmt(t + 0.01, rid, "INFO", "prewarming z9-z12 for 6 metro areas")),
                                        (93.5, l.fmt(t + 93.5, rid, "INFO", f"warmed 2400 tiles via tiles-edge, "
                                                                            f"{bad} non-2xx (502)"))]}
    old.run(B.sample(pinv, 1, t1=N), {}, body)
    new.run(B.sample(pinv, 1, t0=N), {}, body)

    sc.change(N, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, "ci-maps")
    B.lambda_code(sc, N + 25, fn, "ci-maps")
    sc.change(-14500, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup",
              "tiles-asg", "ops-rgarcia")
    sc.alarm("tiles-edge-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "Tiles edge load balancer 5xx")
    sc.expect = {"alarm": "tiles-edge-elb-5xx",
                 "root_cause": {"category": "unknown", "resource": [lb, "tiles-edge"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    return sc


# =========================================================================== 16
def s16() -> Scenario:
    sc = Scenario(16, "listing-column-rewrite", "Marketplace listing pages failing; target 5XX alarm "
                  "on the market load balancer.", "ap-northeast-2", 5816, "2026-07-07T06:15:00+00:00")
    L = -1620            # ALTER TABLE ... TYPE rewrites the table under an exclusive lock
    W = -1700            # admin-worker PHP 8.3 image rollout
    lb, cl, db = "app/market-web/5f1b3d7a9c2e4086", "shop", "listing-pg"
    sc.resource("alb", lb, name="market-web", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/listing-php", desired_count=6, launch_type="FARGATE", image="listing-php:8.1-2026.06.30")
    sc.resource("ecs", f"{cl}/admin-worker", desired_count=2, launch_type="FARGATE", image="admin-worker:8.3-2026.07.07")
    sc.resource("rds", db, engine="postgres", engine_version="16.3", instance_class="db.r6g.xlarge",
                max_connections=1700, allocated_storage_gb=600)
    lk = lambda t: ramp(t, L + 5, L + 40)  # noqa: E731
    req = sc.series(lambda t: 1500 * diurnal(sc, t, 6, 0.3), integer=True)
    B.alb_metrics(sc, lb, req, sc.series(lambda t: 0.09 + 2.6 * lk(t), noise=0.08, digits=4),
                  sc.series(lambda t: 0.8 + 170 * lk(t), integer=True), sc.series(lambda t: 0.1, integer=True),
                  B.flat(6), B.flat(0))
    B.ecs_metrics(sc, cl, "listing-php", sc.series(lambda t: 36 * diurnal(sc, t, 6, 0.3) - 12 * lk(t), noise=0.06),
                  sc.series(lambda t: 38, noise=0.02))
    B.ecs_metrics(sc, cl, "admin-worker", sc.series(lambda t: 9 + 20 * ramp(t, W, W + 60) * (1 - ramp(t, W + 200, W + 300)), noise=0.1),
                  sc.series(lambda t: 30 + 4 * ramp(t, W, W + 120), noise=0.02))
    B.rds_metrics(sc, db, sc.series(lambda t: 17 + 29 * lk(t), noise=0.06),
                  sc.series(lambda t: 62 + 92 * lk(t), integer=True),
                  sc.series(lambda t: 418.0 - 24 * ramp(t, L, 0), noise=0.0003),
                  sc.series(lambda t: 0.0010 + 0.0006 * lk(t), noise=0.1, digits=5), sc.series(lambda t: 21.0 - 1.5 * lk(t), noise=0.01),
                  write_iops=sc.series(lambda t: 210 + 2900 * lk(t), noise=0.08))

    lg = "/ecs/listing-php"
    streams = [f"php/listing-php/{B.ecs_task_id(sc)}" for _ in range(3)]

    def line(t):
        r = sc.rng.random()
        cat = sc.rng.randint(100, 180)
        if lk(t) > 0.5 and r < 0.6:
            q = (f'select * from "listings" where "category_id" = {cat} and "status" = active order by "bumped_at" desc limit 40')
            return [(0, laravel(sc, t, "ERROR", "SQLSTATE[55P03]: Lock not available: 7 ERROR:  canceling statement due to lock "
                                f"timeout (Connection: pgsql, SQL: {q})",
                                '{"exception":"[object] (Illuminate\\\\Database\\\\QueryException(code: 55P03): SQLSTATE[55P03]: '
                                'Lock not available: 7 ERROR:  canceling statement due to lock timeout at /var/www/html/vendor/'
                                'laravel/framework/src/Illuminate/Database/Connection.php:813)"}')),
                    (0.01, nginx(sc, t + 0.01, sc.ip("10.80"), "GET", f"/c/{cat}?page=1", 500, 612, 3.02 + sc.rng.random() * 0.05,
                                 ua="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)"))]
        if r > 0.97:
            return laravel(sc, t, "ERROR", 'Attempt to read property "name" on null',
                           '{"view":{"view":"/var/www/html/resources/views/listing/card.blade.php","data":[]}}')
        return nginx(sc, t, sc.ip("10.80"), "GET", sc.rng.choice([f"/c/{cat}?page=1", f"/l/{sc.rng.randint(10 ** 6, 10 ** 7)}", "/"]),
                     200, sc.rng.randint(8000, 90000), sc.rng.uniform(0.04, 0.2), ua="Mozilla/5.0 (Linux; Android 14)")
    for st in streams:
        B.emit(sc, lg, st, lambda t: 3, line)
    for st in [f"worker/admin-worker/{B.ecs_task_id(sc)}" for _ in range(2)]:
        sc.log("/ecs/admin-worker", st, W + 70, laravel(sc, W + 70, "INFO", "Worker started (PHP 8.3.8, queue=admin,reports)"))
        B.emit(sc, "/ecs/admin-worker", st, lambda t: 0.4, lambda t: laravel(
            sc, t, "INFO", f"Processed: App\\Jobs\\{sc.rng.choice(['RebuildSellerStats', 'SendPayoutReport', 'ExpireBumps'])}"),
            t0=W + 75)

    rg, rs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    holder = 22980
    B.every(sc, rg, rs, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 5000)} buffers "
                                          f"({sc.rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) added", pid=391))
    sc.log(rg, rs, L, pg(sc, L, "LOG", "statement: ALTER TABLE listings ALTER COLUMN price TYPE numeric(14,2);",
                         "10.80.250.14(52144)", "migrator", "market", pid=holder))

    def waits(t):
        pid = sc.rng.randint(23000, 31000)
        cli = sc.ip("10.80") + f"({sc.rng.randint(30000, 60000)})"
        return [(0, pg(sc, t, "LOG", f"process {pid} still waiting for AccessShareLock on relation 16402 of database 16384 after "
                                     f"1000.{sc.rng.randint(10, 99)} ms", cli, "market_app", "market", pid=pid)),
                (0.0001, pg(sc, t, "DETAIL", f"Process holding the lock: {holder}. Wait queue: {pid}, "
                                             f"{pid + 4}, {pid + 9}.", cli, "market_app", "market", pid=pid)),
                (2.0, pg(sc, t + 2, "ERROR", "canceling statement due to lock timeout", cli, "market_app", "market", pid=pid))]
    B.emit(sc, rg, rs, lambda t: 6 * lk(t), waits, t0=L)
    B.emit(sc, rg, rs, lambda t: 0.3, lambda t: pg(sc, t, "LOG", "duration: 1204.551 ms  statement: SELECT seller_id, "
                                                   "count(*) FROM listings GROUP BY seller_id", sc.ip("10.80") + "(40012)",
                                                   "report_ro", "market"))

    B.ecs_deploy(sc, W, cl, "admin-worker", "jenkins-shop")
    sc.change(L - 60, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot", db, "dev-jhkim")
    sc.change(-17000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/listing-php", "jenkins-shop")
    sc.alarm("market-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 30,
             "GreaterThanThreshold", "Market web 5xx")
    sc.alarm("listing-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 75, "GreaterThanThreshold")
    sc.expect = {"alarm": "market-web-target-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "WriteIOPS", "dimensions": {"DBInstanceIdentifier": db}}]}
    return sc
