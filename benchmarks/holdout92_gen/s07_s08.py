"""h92-07 (MySQL connection slots used up behind the Canadian portal) and h92-08 (an upload node's
root volume fills up behind the media ALB)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import gunicorn, mysql, nginx

from .base import (ZERO, alb_id, alb_metrics, anomaly, cnt, ec2_metrics, ecs_metrics, expect,
                   instance_id, make, monolog, rds_metrics, sprinkle, task_id, val)


def pylog(sc, t, level, logger, msg):
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {level} [{logger}] {msg}"


# =========================================================================== h92-07
def build_07():
    sc = make(7, "ca-portal-5xx", "Canadian portal search returning errors; ALB target 5XX alarm.",
              "ca-central-1", "2026-05-16T20:15:00",
              category="db_connection_exhaustion", side="front",
              services="ALB, ECS (PHP/Laravel, Python worker, Node API), RDS MySQL",
              runtime="PHP, Python", fmt="Laravel/Monolog, Python logging, MySQL error log",
              decoys="photo-api deploy 40 s before the 5XX onset; search-web deploy 4 h earlier; steady walkscore DNS errors and aborted-connection notes",
              story=(
                  "The ALB alarm is on target 5XXs from `search-web` (Laravel). Its log shows "
                  "`SQLSTATE[HY000] [1040] Too many connections` from about -2300 s, and the "
                  "`feed-reconciler` worker starts failing with pymysql `(1040, 'Too many connections')` at "
                  "the same time. `DatabaseConnections` on `ca-listings-mysql` climbs from ~110 at -2900 s "
                  "(when the reconciler begins its weekly full run and its pool keeps growing: '... "
                  "connections checked out, 0 idle') to the 300 limit and stays there; RDS CPU, memory, "
                  "storage and latency are unremarkable. The `photo-api` deploy at -2340 s is nearer the "
                  "5XX onset but nothing in that service changes, and the walkscore DNS errors were "
                  "there all day."),
              judgement=("h92-07: the connections are taken by `feed-reconciler`'s growing pool, but the "
                         "exhausted resource (and the format's origin for this category) is the database."))
    alb = alb_id(sc, "ca-portal-web")
    cluster, web, rec, pho, db = "portal-ca", "search-web", "feed-reconciler", "photo-api", "ca-listings-mysql"
    sc.resource("alb", alb, name="ca-portal-web", scheme="internet-facing")
    sc.resource("ecs", f"{cluster}/{web}", launch_type="FARGATE", desired_count=4)
    sc.resource("ecs", f"{cluster}/{rec}", launch_type="FARGATE", desired_count=1,
                schedule="weekly full run Sat 19:25 UTC")
    sc.resource("ecs", f"{cluster}/{pho}", launch_type="FARGATE", desired_count=2)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
                max_connections=300, allocated_storage_gb=300, parameter_group="ca-listings-mysql80")
    t_run, full = -2900, -2300
    used = lambda t: 110 + 190 * ramp(t, t_run, full) if t < full else 300
    conns = [min(300.0, v) for v in cnt(sc, lambda t: used(t) - (3 if t >= full else 0), noise=0.01)]
    bad = lambda t: ramp(t, full - 30, full + 90)
    rds_metrics(sc, db, val(sc, lambda t: 27 * diurnal(sc, t, 0, 0.2) + 9 * ramp(t, t_run, full), noise=0.08),
                conns, val(sc, lambda t: 1.41e11 - 2e4 * (t + 21600), noise=0.0002, digits=0),
                val(sc, lambda t: 4.2e9 - 3e8 * ramp(t, t_run, full), noise=0.01, digits=0),
                val(sc, lambda t: 0.0012, noise=0.2, digits=5), val(sc, lambda t: 0.0021, noise=0.2, digits=5))
    req = cnt(sc, lambda t: 900 * diurnal(sc, t, 0, 0.3))
    alb_metrics(sc, alb, req, val(sc, lambda t: 0.21 + 0.7 * bad(t), noise=0.1),
                cnt(sc, lambda t: 0.8 + 34 * bad(t)), cnt(sc, lambda t: 0.2), [4.0] * len(GRID), ZERO,
                t4=cnt(sc, lambda t: 22))
    ecs_metrics(sc, cluster, web, val(sc, lambda t: 36 * diurnal(sc, t, 0, 0.2), noise=0.07),
                val(sc, lambda t: 47, noise=0.02), [4.0] * len(GRID))
    ecs_metrics(sc, cluster, rec, val(sc, lambda t: 3 + 40 * (t >= t_run), noise=0.1),
                val(sc, lambda t: 22 + 30 * ramp(t, t_run, full), noise=0.02),
                [1.0] * len(GRID))
    ecs_metrics(sc, cluster, pho, val(sc, lambda t: 21, noise=0.1), val(sc, lambda t: 33, noise=0.03),
                [2.0] * len(GRID))
    wst = [f"laravel/search-web/{task_id(sc)}" for _ in range(4)]
    rst = f"worker/feed-reconciler/{task_id(sc)}"
    pst = [f"api/photo-api/{task_id(sc)}" for _ in range(2)]
    wg, rg, pg_ = f"/ecs/{web}", f"/ecs/{rec}", f"/ecs/{pho}"
    sprinkle(sc, GRID[0], 0, 0.5, lambda t: sc.log(wg, sc.rng.choice(wst), t, monolog(
        sc, t, "error", "cURL error 6: Could not resolve host: api.walkscore.example (see https://curl.haxx.se/libcurl/c/libcurl-errors.html)",
        '{"listing":' + str(sc.rng.randint(27000000, 27999999)) + ',"exception":"[object] (GuzzleHttp\\\\Exception\\\\ConnectException(code: 0))"}')))
    sprinkle(sc, GRID[0], 0, 1.5, lambda t: sc.log(wg, sc.rng.choice(wst), t, monolog(
        sc, t, "info", f"search ok city={sc.rng.choice(['toronto', 'ottawa', 'mississauga', 'hamilton'])} hits={sc.rng.randint(20, 900)} ms={sc.rng.randint(40, 260)}")))
    sprinkle(sc, full - 20, 0, lambda t: 6 * bad(t), lambda t: sc.log(wg, sc.rng.choice(wst), t, monolog(
        sc, t, "error", "SQLSTATE[HY000] [1040] Too many connections (Connection: mysql, SQL: select * from `listings` "
        "where `board` = TRREB and `status` = A order by `list_date` desc limit 24 offset 0)",
        '{"exception":"[object] (Illuminate\\\\Database\\\\QueryException(code: 1040): SQLSTATE[HY000] [1040] Too many '
        'connections at /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php:813)"}')))
    sc.log(rg, rst, t_run + 1, pylog(sc, t_run + 1, "INFO", "reconciler", "starting full reconciliation board=TRREB listings=412880 batch=500"))
    for i, t in enumerate(range(t_run + 30, 0, 30)):
        out = 24 + int(260 * ramp(t, t_run, full))
        if t < full:
            sc.log(rg, rst, t, pylog(sc, t, "INFO", "reconciler", f"batch {i + 1}/826 ok upserted={sc.rng.randint(420, 500)}"))
            if i % 4 == 0:
                sc.log(rg, rst, t + 0.2, pylog(sc, t + 0.2, "WARNING", "sqlalchemy.pool.impl.QueuePool",
                                                f"pool size=20 overflow={out - 20}: {out} connections checked out, 0 idle"))
        else:
            sc.log(rg, rst, t, pylog(sc, t, "ERROR", "reconciler", f"batch {i + 1}/826 failed: (pymysql.err.OperationalError) "
                                     "(1040, 'Too many connections') (Background on this error at: https://sqlalche.me/e/20/e3q8); retrying in 30s"))
    sprinkle(sc, GRID[0], 0, 0.6, lambda t: sc.log(pg_, sc.rng.choice(pst), t, (
        f'{{"level":"info","time":"{sc.iso(t)}","msg":"GET /photos/{sc.rng.randint(27000000, 27999999)} 200","ms":{sc.rng.randint(8, 90)}}}')))
    sprinkle(sc, GRID[0], 0, 0.2, lambda t: sc.log(f"/aws/rds/instance/{db}/error", db, t, mysql(
        sc, t, sc.rng.randint(40000, 99000), "Note", "MY-010914", f"Aborted connection {sc.rng.randint(40000, 99000)} to db: "
        f"'listings' user: 'portal_ro' host: '10.60.{sc.rng.randint(1, 9)}.{sc.rng.randint(2, 250)}' (Got an error reading communication packets).")))
    sc.change(-15000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{web}", "gh-actions-deploy")
    sc.change(full - 40, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{pho}", "gh-actions-deploy")
    sc.change(full - 55, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{pho}:88", "gh-actions-deploy")
    sc.alarm("ca-portal-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb},
             "Sum", 60, 3, 10, "GreaterThanThreshold", "Canadian portal server errors")
    expect(sc, "ca-portal-target-5xx", "db_connection_exhaustion", [db],
           [anomaly("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db})])
    return sc


# =========================================================================== h92-08
def build_08():
    sc = make(8, "photo-upload-500s", "Agents cannot upload listing photos; ALB 5XX alarm on the "
              "upload endpoint.", "ca-central-1", "2026-05-17T13:50:00",
              category="storage_exhaustion", side="front",
              services="ALB, EC2 (Python/gunicorn + nginx) x2, RDS PostgreSQL", runtime="Python",
              fmt="nginx access + error log, gunicorn",
              decoys="ModifyDBInstance on the catalog DB 60 s before onset; steady 'too large body' and EXIF errors; CPU spike on the other node",
              story=(
                  "Half of the uploads behind `media-upload` fail with 500. The failing half all go to "
                  "`media-upload-2`: its root volume (`disk_used_percent`) has been climbing for six hours "
                  "(partial resumable uploads left in /var/tmp/uploads) and reaches 100 % at about "
                  "-2000 s; from then its nginx logs `open() \"/var/lib/nginx/tmp/client_body/...\" failed "
                  "(28: No space left on device)` and gunicorn logs `OSError: [Errno 28] No space left on "
                  "device`. `media-upload-1` sits at ~58 %; the ModifyDBInstance on `media-catalog-pg` a "
                  "minute before the onset and the long-standing 'client intended to send too large body' "
                  "and EXIF errors are unrelated."))
    alb = alb_id(sc, "media-upload")
    a, b = instance_id(sc), instance_id(sc)
    db = "media-catalog-pg"
    sc.resource("alb", alb, name="media-upload", scheme="internal")
    for iid, name in ((a, "media-upload-1"), (b, "media-upload-2")):
        sc.resource("ec2", iid, name=name, instance_type="m6i.large", root_volume_gb=50,
                    log_groups=["/media-upload/nginx-access", "/media-upload/nginx-error", "/media-upload/app"])
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=200)
    full = -2000
    disk_b = lambda t: min(100.0, 74 + 26 * (t + 21600) / (21600 + full))
    bad = lambda t: 1.0 if t >= full else 0.0
    req = cnt(sc, lambda t: 90 * diurnal(sc, t, 18, 0.35))
    alb_metrics(sc, alb, req, val(sc, lambda t: 0.85 - 0.35 * bad(t), noise=0.1),
                cnt(sc, lambda t: 0.4 + 44 * diurnal(sc, t, 18, 0.35) * bad(t)), ZERO,
                [2.0] * len(GRID), ZERO, t4=cnt(sc, lambda t: 0.3))
    ec2_metrics(sc, a, val(sc, lambda t: 22 + bump(t, -9000, -8500, 50, 90), noise=0.08, cap=100.0),
                val(sc, lambda t: 1.9e8 * diurnal(sc, t, 18, 0.35), noise=0.1, digits=0),
                val(sc, lambda t: 51, noise=0.02), val(sc, lambda t: 58 + ((t + 21600) % 7200) / 7200 * 2, noise=0.001))
    ec2_metrics(sc, b, val(sc, lambda t: 23, noise=0.08),
                val(sc, lambda t: 1.9e8 * diurnal(sc, t, 18, 0.35), noise=0.1, digits=0),
                val(sc, lambda t: 53, noise=0.02), [round(disk_b(t) - 0.02 * sc.rng.random(), 2) if t < full else 100.0 for t in GRID])
    rds_metrics(sc, db, val(sc, lambda t: 14, noise=0.1), cnt(sc, lambda t: 36),
                val(sc, lambda t: 1.2e11, noise=0.0003, digits=0), val(sc, lambda t: 5.4e9, noise=0.01, digits=0),
                val(sc, lambda t: 0.0009, noise=0.2, digits=5))
    host = {a: "upload-1", b: "upload-2"}
    for iid in (a, b):
        fail = iid == b

        def access(t, iid=iid, fail=fail):
            lid = sc.rng.randint(27000000, 27999999)
            if sc.rng.random() < 0.2:
                p, m, st = f"/v1/listings/{lid}/photos", "GET", 200
            else:
                p, m, st = f"/v1/photos/resumable/{sc.uuid()[:18]}", sc.rng.choice(["POST", "PUT"]), 201
            if fail and t >= full and m != "GET":
                st = 500
                sc.log("/media-upload/nginx-error", iid, t - 0.01,
                       f"{sc.at(t).strftime('%Y/%m/%d %H:%M:%S')} [crit] 1423#1423: *{sc.rng.randint(800000, 990000)} "
                       f"open() \"/var/lib/nginx/tmp/client_body/00008{sc.rng.randint(10000, 99999)}\" failed (28: No space "
                       f"left on device), client: 10.30.{sc.rng.randint(0, 3)}.{sc.rng.randint(2, 250)}, server: {host[iid]}, "
                       f"request: \"{m} {p} HTTP/1.1\", host: \"media-upload.internal\"")
                if sc.rng.random() < 0.5:
                    sc.log("/media-upload/app", iid, t - 0.03, gunicorn(
                        sc, t, sc.rng.randint(2200, 2240), "ERROR", f"Error handling request {p}\nTraceback (most recent call last):\n"
                        "  File \"/opt/media/app/uploads.py\", line 118, in append_chunk\n    fh.write(chunk)\n"
                        f"OSError: [Errno 28] No space left on device: '/var/tmp/uploads/{p.rsplit('/', 1)[1]}.part'"))
            sc.log("/media-upload/nginx-access", iid, t, nginx(
                sc, t, f"10.30.{sc.rng.randint(0, 3)}.{sc.rng.randint(2, 250)}", m, p, st,
                220 if st != 200 else sc.rng.randint(900, 4000),
                sc.rng.uniform(0.01, 0.05) if st == 500 else sc.rng.uniform(0.2, 1.8), ua="AgentApp/5.12 (iOS)"))

        sprinkle(sc, GRID[0], 0, 2.5, access)
        sprinkle(sc, GRID[0], 0, 0.25, lambda t, iid=iid: sc.log(
            "/media-upload/nginx-error", iid, t, f"{sc.at(t).strftime('%Y/%m/%d %H:%M:%S')} [error] 1423#1423: "
            f"*{sc.rng.randint(100000, 990000)} client intended to send too large body: {sc.rng.randint(31457281, 52000000)} bytes, "
            f"client: 10.30.1.{sc.rng.randint(2, 250)}, server: {host[iid]}, request: \"POST /v1/photos HTTP/1.1\""))
        sprinkle(sc, GRID[0], 0, 0.4, lambda t, iid=iid: sc.log("/media-upload/app", iid, t, gunicorn(
            sc, t, sc.rng.randint(2200, 2240), "WARNING", f"EXIF parse failed for listing {sc.rng.randint(27000000, 27999999)}: "
            "image file is truncated (3 bytes not processed)")))
    sc.change(full - 60, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "dba-oncall")
    sc.change(-19800, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunPatchBaseline", "patch-manager")
    sc.alarm("media-upload-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb},
             "Sum", 60, 3, 10, "GreaterThanThreshold", "Photo upload server errors")
    expect(sc, "media-upload-5xx", "storage_exhaustion", [b, "media-upload-2"],
           [anomaly("CWAgent", "disk_used_percent", {"InstanceId": b, "path": "/", "fstype": "xfs"})])
    return sc


BUILDERS = [build_07, build_08]
