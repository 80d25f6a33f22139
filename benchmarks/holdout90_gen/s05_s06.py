"""05: restaurant partner portal (PHP on EC2) on MySQL; 06: menu search (Go on EC2) behind an ALB."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import mysql, nginx, zap

from .kit import (GRID, H90, SYD, USE, alb, alb_id, describe, ec2, ecs, every, expect, ints, ramp, rds, rush,
                  stream)


def build_05() -> H90:
    sc = H90(5, "partner-portal-rush", "Restaurant partner portal target 5XX alarm; restaurants report the "
             "tablet order screen failing to load during service.", SYD, 9005, "2026-03-16T08:40:00")
    rng = sc.rng
    lb = alb_id(sc, "partner-web")
    db = "rp-mysql-01"
    maxc = 320
    ia, ib = "i-0" + sc.hexid(16), "i-0" + sc.hexid(16)
    onset = -2040
    full = lambda t: ramp(t, onset - 240, onset)  # noqa: E731

    def fail(t):
        return 0.31 * ramp(t, onset, onset + 240)

    req = ints(sc, lambda t: 640 * rush(t))
    t5 = [float(round(r * (fail(t) + 0.002))) for t, r in zip(GRID, req)]
    t4 = [float(round(r * 0.018)) for r in req]
    alb(sc, lb, req, t5, t4, [float(rng.random() < 0.02) for _ in GRID], lambda t: 0.11 + 0.05 * rush(t) + 0.5 * fail(t),
        lambda t: 2, scheme="internet-facing")
    for iid, name, spike in ((ia, "partner-web-a", None), (ib, "partner-web-b", (-6060, -5700))):
        ec2(sc, iid, name, "c6i.xlarge",
            lambda t, s=spike: 22 + 26 * rush(t) + (48 if s and s[0] <= t < s[1] else 0),
            lambda t: 9.0e6 * rush(t), mem=lambda t: 52 + 10 * rush(t),
            log_groups=["/partner-web/nginx/access", "/partner-web/php-fpm/error"], role="php-fpm 8.2 + nginx")
    rds(sc, db, lambda t: 20 + 24 * rush(t) + 40 * ((-9300 <= t < -8880)),
        lambda t: 60 + 170 * rush(t) + 200 * full(t), lambda t: 182.0, engine="mysql",
        engine_version="8.0.39", instance_class="db.r6g.large", max_connections=maxc, allocated_storage_gb=250,
        free_mem_gb=9.5)
    paths = [("GET", "/tablet/orders/pending", 60), ("POST", "/tablet/orders/{id}/accept", 12),
             ("GET", "/menu/items", 14), ("PATCH", "/menu/items/{id}/availability", 8), ("GET", "/payouts", 3),
             ("GET", "/tablet/heartbeat", 30)]
    for iid in (ia, ib):
        def acc(t):
            m, p, _ = rng.choices(paths, [w for *_, w in paths])[0]
            p = p.replace("{id}", str(rng.randint(100000, 999999)))
            st = 500 if rng.random() < fail(t) + 0.002 else (401 if rng.random() < 0.018 else 200)
            rt = rng.uniform(0.02, 0.09) if st == 500 else abs(rng.gauss(0.12, 0.05))
            return nginx(sc, t, f"10.30.{rng.randint(0, 3)}.{rng.randint(2, 250)}", m, p, st,
                         rng.randint(300, 9000) if st == 200 else 162, rt, ua="PlatewiseTablet/5.14 (Android 13)")
        stream(sc, "/partner-web/nginx/access", iid, lambda t: 6 * rush(t), acc)

        def perr(t):
            d = sc.at(t).strftime("%d-%b-%Y %H:%M:%S")
            if t >= onset and rng.random() < min(1.0, fail(t) * 3.2):
                return (f"[{d} UTC] PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [1040] Too many connections "
                        "in /var/www/partner/src/Db/Connection.php:34\nStack trace:\n#0 /var/www/partner/src/Db/"
                        "Connection.php(34): PDO->__construct('mysql:host=rp-my...', 'partner_app', Object(SensitiveParameterValue), Array)\n"
                        "#1 /var/www/partner/src/Tablet/PendingOrders.php(27): Partner\\Db\\Connection::get()\n#2 {main}\n"
                        "  thrown in /var/www/partner/src/Db/Connection.php on line 34")
            return (f"[{d} UTC] PHP Warning:  Undefined array key \"modifiers\" in "
                    "/var/www/partner/src/Menu/ItemPresenter.php on line 88")
        stream(sc, "/partner-web/php-fpm/error", iid, lambda t: 1.6 + 10 * fail(t), perr)
        every(sc, "/partner-web/php-fpm/error", iid, 60, lambda t: (
            f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool partner] server reached pm.max_children "
            "setting (160), consider raising it") if rush(t) > 0.92 else None)
    grp = f"/aws/rds/instance/{db}/error"
    stream(sc, grp, f"{db}", lambda t: 0.5 + 1.5 * full(t), lambda t: mysql(
        sc, t, rng.randint(40000, 99000), "Note", "MY-010914", f"Aborted connection {rng.randint(400000, 999999)} to db: "
        f"'partner' user: 'partner_app' host: '10.30.{rng.randint(0, 3)}.{rng.randint(2, 250)}' (Got an error reading "
        "communication packets)."))
    sc.change(-14100, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "aws-backup-partner")
    sc.change(-2110, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
              "courier-web-prod", "gha-deploy-courier-web")
    sc.alarm("partner-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 25, "GreaterThanThreshold", "Partner portal returning 5XX")
    sc.alarm("partner-web-b-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": ib}, "Average", 300, 1, 80,
             "GreaterThanThreshold")
    expect(sc, "partner-web-target-5xx", "db_connection_exhaustion", [db],
           [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}),
            ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    describe(sc, front="front (ALB → EC2 → RDS)",
             decoys="CodeDeploy deployment to another app 70 s before onset; steady PHP Warning 'Undefined array key'; "
                    "partner-web-b CPU spike + alarm (back to OK); DB CPU spike from an afternoon import; "
                    "pm.max_children warnings on the web hosts",
             services="ALB, EC2 (PHP-FPM + nginx access logs), RDS MySQL",
             story="The partner portal ALB's target 5XX alarm fires mid-service. Both web hosts log `PDOException: "
                   "SQLSTATE[HY000] [1040] Too many connections` and their access logs show 500s on the tablet "
                   "endpoints; rp-mysql-01's DatabaseConnections climbs with the dinner load and then sits flat at 320, "
                   "its max_connections, while its CPU stays near 45 %. The web hosts' CPU is moderate; the "
                   "pm.max_children warnings show php-fpm spawning its full pool of persistent connections, which is "
                   "how the database fills up. The CodeDeploy deployment belongs to a different application; the "
                   "PHP warnings about `modifiers` have run all afternoon.",
             judgement="php-fpm's persistent connections are the mechanism, but the resource at its limit is the "
                       "database's connection table; the label follows the format's rule (origin = the exhausted DB).")
    return sc


def build_06() -> H90:
    sc = H90(6, "menu-search-latency", "Menu search ALB latency alarm at 7 pm Eastern; the app's restaurant "
             "search spins for seconds.", USE, 9006, "2026-03-17T23:25:00")
    rng = sc.rng
    lb = alb_id(sc, "menu-search")
    ia, ib = "i-0" + sc.hexid(16), "i-0" + sc.hexid(16)
    onset = -2000
    hot = lambda t: ramp(t, onset - 300, onset)  # noqa: E731
    req = ints(sc, lambda t: 1500 * rush(t))
    e5 = [float(round(r * 0.012 * hot(t)) + (rng.random() < 0.05)) for t, r in zip(GRID, req)]
    t5 = [float(rng.random() < 0.1) for _ in GRID]
    alb(sc, lb, req, t5, [float(round(r * 0.004)) for r in req], e5,
        lambda t: 0.045 + 0.01 * rush(t) + 1.25 * hot(t), lambda t: 2, scheme="internal")
    ec2(sc, ia, "menusearch-1", "c7g.2xlarge", lambda t: 28 + 30 * rush(t) + 60 * hot(t), lambda t: 2.1e7 * rush(t),
        mem=lambda t: 61.0, log_groups=["/menusearch/app"])
    ec2(sc, ib, "menusearch-2", "c7g.2xlarge", lambda t: 27 + 29 * rush(t) + 50 * ((-8100 <= t < -7680)),
        lambda t: 2.0e7 * rush(t), mem=lambda t: 60.0, log_groups=["/menusearch/app"])
    ecs(sc, "growth", "deals-web", lambda t: 30 + 20 * rush(t) + 25 * ramp(t, -2060, -2000) * (1 - ramp(t, -1800, -1500)),
        lambda t: 48.0, lambda t: 4, launch_type="FARGATE")
    cuisines = ["pizza", "thai", "sushi", "burgers", "ramen", "poke", "indian", "mexican", "vegan"]
    for iid, is_hot in ((ia, True), (ib, False)):
        def line(t, h=is_hot):
            q = rng.choice(cuisines)
            lat = rng.gauss(38, 10) + (rng.gauss(2500, 600) if h else 0) * hot(t)
            out = [(0, zap(sc, t, "info", "search", "search/handler.go:112", q=q,
                geo=f"{40.70 + rng.random() * 0.1:.4f},{-74.0 + rng.random() * 0.1:.4f}", hits=rng.randint(4, 180), latency_ms=round(max(5, lat), 1)))]
            if rng.random() < 0.03:
                out.append((0.002, zap(sc, t + 0.002, "error", "thumbnail fetch failed", "media/thumbs.go:58",
                                       status=404, cdn="img.platewise-cdn.net", item=f"itm_{sc.hexid(8)}")))
            if h and hot(t) > 0.5 and rng.random() < 0.3:
                out.append((0.004, zap(sc, t + 0.004, "warn", "request queue above soft limit", "server/queue.go:77",
                                       depth=rng.randint(140, 420), soft_limit=64, gomaxprocs=8)))
            return out
        stream(sc, "/menusearch/app", iid, lambda t: 5 * rush(t), line)
        every(sc, "/menusearch/app", iid, 300, lambda t, h=is_hot: zap(
            sc, t, "info", "runtime stats", "server/stats.go:40", goroutines=rng.randint(300, 600) + int(4000 * hot(t) * h),
            heap_mb=rng.randint(2100, 2400), gc_cpu_fraction=round(0.02 + 0.05 * hot(t) * h, 3),
            load1=round((2.5 + 3 * rush(t)) * (1 + 2.4 * hot(t) * h), 2)), offset=rng.uniform(0, 300))
    sc.change(-2062, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "growth/deals-web", "gha-deploy-growth")
    sc.change(-2071, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "deals-web",
              "gha-deploy-growth")
    sc.change(-16800, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", ib, "ops-automation")
    sc.alarm("menu-search-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3,
             0.8, "GreaterThanThreshold", "Menu search p-avg latency")
    sc.alarm("menusearch-2-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": ib}, "Average", 300, 1, 85,
             "GreaterThanThreshold")
    expect(sc, "menu-search-latency", "cpu_saturation", [ia, "menusearch-1"],
           [("AWS/EC2", "CPUUtilization", {"InstanceId": ia}),
            ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
    describe(sc, front="front (ALB → EC2 target)",
             decoys="deals-web ECS deploy 60 s before onset (with its own CPU bump); menusearch-2 CPU spike + alarm "
                    "(back to OK) two hours earlier; steady zap errors 'thumbnail fetch failed'",
             services="ALB, EC2 (Go, zap JSON), ECS",
             story="The menu-search ALB's latency alarm fires. One of its two targets, menusearch-1, goes from ~55 % "
                   "to a flat 98-100 % CPU in five minutes while menusearch-2 stays at ~55 %; only menusearch-1's "
                   "search lines show multi-second latency_ms, 'request queue above soft limit' warnings and a "
                   "load average near 20 on 8 vCPUs. Request volume follows the normal dinner curve. The deals-web "
                   "deploy a minute earlier is on an unrelated ECS service behind another load balancer; "
                   "menusearch-2's CPU spike and alarm are two hours old; the thumbnail 404 errors are constant.")
    return sc


BUILDERS = [build_05, build_06]
