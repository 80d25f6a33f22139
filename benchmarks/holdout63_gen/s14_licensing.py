"""h63-14: the licensing database's storage latency degrades (no change, no exhaustion);
PHP requests pile up on slow queries and the public ALB's latency alarm fires. A worker
service deployed just before."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import LOG_START, alb, alb_id, ecs, emit, night_window, part, periodic, rds, scanner, task_ids
from .runtimes import laravel, mysql, nginx, php_fpm

CL, SVC, WORKER, DB = "licensing", "portal", "renewal-worker", "lic-mysql-a"


def build() -> Scenario:
    sc = Scenario(14, "licence-portal", "Professional licence portal timing out; ALB latency alarm "
                  "in ALARM since late morning.", "eu-west-3", 6314, "2026-03-03T09:40:00+00:00")
    rng = sc.rng
    lb = alb_id(sc, "licences-public")
    onset = -1900
    sc.resource("alb", lb, name="licences-public", scheme="internet-facing")
    sc.resource("ecs", f"{CL}/{SVC}", desired_count=6, cpu=1024, memory_mb=2048,
                runtime="php-fpm 8.3 (Laravel 11) + nginx sidecar", pm_max_children=24)
    sc.resource("ecs", f"{CL}/{WORKER}", desired_count=2, cpu=512, memory_mb=1024, runtime="php 8.3 cli (queue:work)")
    sc.resource("rds", DB, engine="mysql", engine_version="8.0.39", instance_class="db.m6g.xlarge",
                max_connections=1200, allocated_storage_gb=500, storage_type="gp3", multi_az=False)

    # ---------------------------------------------------------------- metrics
    slow = lambda t: ramp(t, onset, onset + 240)
    req = sc.series(lambda t: 380 * diurnal(sc, t, 10, 0.5), integer=True)
    rt = sc.series(lambda t: 0.19 + 6.2 * slow(t), noise=0.12)
    t5 = part(sc, req, lambda t: 0.001 + 0.09 * slow(t))
    alb(sc, lb, req, t5, rt, e5xx=part(sc, req, lambda t: 0.01 * slow(t)))
    ecs(sc, CL, SVC, sc.series(lambda t: 29 * diurnal(sc, t, 10, 0.5) - 14 * slow(t), noise=0.08),
        sc.series(lambda t: 46 + 9 * slow(t), noise=0.03))
    ecs(sc, CL, WORKER, sc.series(lambda t: 12 + bump(t, -2050, -1960, 22, 30), noise=0.1),
        sc.series(lambda t: 33, noise=0.03))
    rds(sc, DB,
        CPUUtilization=sc.series(lambda t: 24 * diurnal(sc, t, 10, 0.5) - 9 * slow(t), noise=0.07),
        DatabaseConnections=sc.series(lambda t: 48 * diurnal(sc, t, 10, 0.5) + 95 * slow(t), noise=0.05, integer=True),
        FreeableMemory=sc.series(lambda t: 5.1e9, noise=0.01, digits=0),
        FreeStorageSpace=sc.series(lambda t: 3.12e11 - 1.2e6 * (t + 21600) / 60, noise=0.0003, digits=0),
        ReadLatency=sc.series(lambda t: 0.0011 + 0.088 * slow(t), noise=0.2, digits=5),
        WriteLatency=sc.series(lambda t: 0.0019 + 0.19 * slow(t), noise=0.2, digits=5),
        DiskQueueDepth=sc.series(lambda t: 0.9 + 52 * slow(t), noise=0.15),
        WriteIOPS=sc.series(lambda t: 880 * diurnal(sc, t, 10, 0.5) * (1 - 0.62 * slow(t)), noise=0.08),
        ReadIOPS=sc.series(lambda t: 410 * diurnal(sc, t, 10, 0.5) * (1 - 0.55 * slow(t)), noise=0.08))

    # ---------------------------------------------------------------- logs
    grp = f"/ecs/{SVC}"
    for tid in task_ids(sc, 3):
        ast, pst = f"web/nginx/{tid}", f"web/php/{tid}"

        def line(t, ast=ast, pst=pst):
            path = rng.choice(["/mon-espace", "/demandes/renouvellement", "/demandes/nouvelle", "/paiement/retour",
                               "/attestations/telecharger"])
            meth = "POST" if "demandes" in path and rng.random() < 0.5 else "GET"
            ip = f"{rng.choice([81, 90, 92, 176, 78])}.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}"
            if slow(t) > 0.3 and rng.random() < 0.35 * slow(t):
                kind = rng.random()
                if kind < 0.45:
                    msg = ("SQLSTATE[HY000]: General error: 3024 Query execution was interrupted, maximum statement "
                           "execution time exceeded (Connection: mysql, SQL: select * from `licences` where "
                           f"`titulaire_id` = {rng.randint(10 ** 5, 10 ** 6)} order by `expire_le` desc)")
                elif kind < 0.8:
                    msg = ("SQLSTATE[HY000]: General error: 1205 Lock wait timeout exceeded; try restarting "
                           "transaction (Connection: mysql, SQL: update `demandes` set `statut` = 'soumise', "
                           f"`updated_at` = '{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}' where `id` = {rng.randint(10 ** 5, 10 ** 6)})")
                else:
                    return [(0, php_fpm(sc, t, "WARNING", f"[pool www] child {rng.randint(20, 300)}, script "
                                                          "'/var/www/html/public/index.php' (request: \"" + meth +
                                        " /index.php\") executing too slow (5.0" + f"{rng.randint(10, 99)} sec), logging")),
                            (30.1, php_fpm(sc, t + 30.1, "WARNING", f"[pool www] child {rng.randint(20, 300)}, script "
                                                                    "'/var/www/html/public/index.php' (request: \"" + meth +
                                           " /index.php\") execution timed out (30.1 sec), terminating")),
                            (30.2, nginx(sc, t + 30.2, ip, meth, path, 504, 167, 30.2))]
                r = rng.uniform(8, 30)
                sc.log(grp, pst, t + r, laravel(sc, t + r, "ERROR", msg))
                return [(r, nginx(sc, t + r, ip, meth, path, 500, 1210, r))]
            r = max(0.02, rng.gauss(0.19, 0.06)) * (1 + 18 * slow(t) * rng.random())
            return [(r, nginx(sc, t + r, ip, meth, path, 200 if meth == "GET" else 302, rng.randint(3000, 41000), r,
                              ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/123.0"))]

        emit(sc, grp, ast, LOG_START, 0, lambda t: 2.2, line)
        emit(sc, grp, pst, LOG_START, 0, lambda t: 0.3,
             lambda t: laravel(sc, t, "WARNING", "FranceConnect token refresh failed for session "
                               f"{sc.hexid(12)}: invalid_grant (expired refresh token)"))
    wgrp = f"/ecs/{WORKER}"
    for tid in task_ids(sc, 2):
        periodic(sc, wgrp, f"worker/php/{tid}", LOG_START, -2000, 45,
                 lambda t: laravel(sc, t, "INFO", f"Processed: App\\Jobs\\EnvoyerRappelRenouvellement "
                                                  f"({rng.randint(20, 80)}ms)"))
    for tid in task_ids(sc, 2):
        sc.log(wgrp, f"worker/php/{tid}", -1985, laravel(sc, -1985, "INFO", "Worker started (queue=rappels, v3.8.1)"))
        periodic(sc, wgrp, f"worker/php/{tid}", -1980, 0, 45,
                 lambda t: laravel(sc, t, "INFO", f"Processed: App\\Jobs\\EnvoyerRappelRenouvellement "
                                                  f"({int(rng.randint(20, 80) * (1 + 40 * slow(t)))}ms)"))
    egrp = f"/aws/rds/instance/{DB}/error"
    emit(sc, egrp, DB, LOG_START, 0, lambda t: 0.4,
         lambda t: mysql(sc, t, rng.randint(10 ** 5, 10 ** 6), "Note", "MY-010914",
                         f"Aborted connection {rng.randint(10 ** 5, 10 ** 6)} to db: 'licences' user: 'portal' host: "
                         f"'10.30.{rng.randint(1, 6)}.{rng.randint(4, 250)}' (Got timeout reading communication packets)."))
    periodic(sc, egrp, DB, onset + 60, 0, 75,
             lambda t: mysql(sc, t, 0, "Note", "MY-011953", f"InnoDB: page_cleaner: 1000ms intended loop took "
                                                            f"{rng.randint(9000, 26000)}ms. The settings might not be "
                                                            f"optimal. (flushed={rng.randint(20, 200)}, during the time.)"))
    scanner(sc, "secnumcloud-audit", "snc-audit-ro", ["licences-pieces-euw3", "licences-exports-euw3"],
            ["prod/licences/db", "prod/licences/franceconnect"], every=600)

    # ---------------------------------------------------------------- changes
    night_window(sc, -21400, -17000, [
        ("rds.amazonaws.com", "AddTagsToResource", "AWS::RDS::DBInstance", DB, "svc-terraform"),
        ("kms.amazonaws.com", "EnableKeyRotation", "AWS::KMS::Key", f"arn:aws:kms:eu-west-3:{sc.account}:key/{sc.uuid()}",
         "snc-baseline"),
        ("iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "snc-audit-ro", "snc-baseline"),
    ])
    sc.change(-2010, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{WORKER}:41",
              "gitlab-deployer")
    sc.change(-2000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{WORKER}", "gitlab-deployer")

    # ---------------------------------------------------------------- alarms
    sc.alarm("licences-public-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 2.0, "GreaterThanThreshold", "Licence portal response time")
    sc.alarm(f"{DB}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.alarm(f"{DB}-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": DB}, "Maximum", 300, 1,
             1000, "GreaterThanThreshold")
    sc.expect = {"alarm": "licences-public-latency",
                 "root_cause": {"category": "dependency_failure", "resource": [DB]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "WriteLatency", "dimensions": {"DBInstanceIdentifier": DB}}]}
    return sc
