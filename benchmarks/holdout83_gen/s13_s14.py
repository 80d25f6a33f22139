"""h83-13 (one upload instance's data volume fills with bulk-download archives) and h83-14 (rubric
service release)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import ramp
from benchmarks.holdout57_gen.runtimes import gunicorn, logfmt_writer, nginx
from benchmarks.holdout83_gen.kit import (Sc, alb_set, ecs_set, ec2_set, emit, every, expect, load, meta,
                                          near_hour, php_log, rds_set)

logfmt = logfmt_writer("ts", quote_msg=True)


def build_13() -> Sc:
    sc = Sc(13, "assign-upload-5xx", "Students uploading final assignments get 'An error occurred while uploading' "
            "about half the time; assign-upload 5xx alarm fired.", "ap-south-1", 8313, "2026-06-03T17:50:00")
    rng = sc.rng
    lb = "app/assign-upload/8a1f3e6c0b92d754"
    a, b = "i-09b4e1c7a2d3f5068", "i-0f27c8d1e6a9b3405"
    sc.resource("alb", lb, name="assign-upload", scheme="internet-facing", target_type="instance", stickiness="lb_cookie 8h")
    for iid, name in ((a, "upload-a"), (b, "upload-b")):
        sc.resource("ec2", iid, name=name, instance_type="m6i.xlarge", data_volume="/data (xfs, 500 GiB gp3)",
                    log_groups=["/moodle/nginx/access", "/moodle/nginx/error", "/moodle/php-fpm/error"])
    sc.resource("rds", "moodle-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
                max_connections=1200, allocated_storage_gb=800)
    L = lambda t: load(sc, t, peak=17.0, amp=0.25, rush_amp=0.9)  # noqa: E731
    full = -1700
    disk_a = lambda t: min(100.0, 71.0 + 29.2 * ramp(t, -6200, full) ** 0.8)  # noqa: E731
    fail = lambda t: 0.47 if t >= full else 0.0  # noqa: E731
    up = lambda t: 260 * L(t)  # noqa: E731
    alb_set(sc, lb, up, lambda t: 0.9 * L(t) ** 0.5 - 0.25 * (t >= full), t5=lambda t: 0.3 + fail(t) * 0.6 * up(t),
            healthy=lambda t: 2.0)
    ec2_set(sc, a, lambda t: 24 * L(t) + 9 * ramp(t, -6200, -6000) * (t < full), lambda t: 38 * L(t), disk=disk_a,
            path="/data", mem=lambda t: 58.0)
    ec2_set(sc, b, lambda t: 23 * L(t), lambda t: 37 * L(t), disk=lambda t: 62.0 + 0.3 * ramp(t, -21600, 0),
            path="/data", mem=lambda t: 57.0)
    rds_set(sc, "moodle-mysql", lambda t: 20 * L(t) + (22 if near_hour(sc, t, 3, 1) else 0), lambda t: 210 * L(t),
            lambda t: 390.0, mem_gb=lambda t: 21.0)
    for iid, name in ((a, "upload-a"), (b, "upload-b")):
        def access(t, iid=iid):
            r = rng.random()
            if r < 0.55:
                method, path, status, size, rt = "POST", "/repository/repository_ajax.php?action=upload", 200, 412, rng.uniform(0.6, 4.0)
                if iid == a and t >= full and rng.random() < 0.85:
                    status, size, rt = 500, 1204, rng.uniform(0.3, 2.0)
            elif r < 0.8:
                method, path, status, size, rt = "GET", f"/mod/assign/view.php?id={rng.randint(9000, 9999)}", 200, 44000, rng.uniform(0.1, 0.5)
            else:
                method, path, status, size, rt = "GET", f"/mod/assign/view.php?id={rng.randint(9000, 9999)}&action=downloadall", \
                    200, rng.randint(200, 900) * 1000000, rng.uniform(30, 160)
            sc.log("/moodle/nginx/access", iid, t, nginx(sc, t, sc.ip("10.12"), method, path, status, size, rt,
                                                         ua="Mozilla/5.0 (X11; Linux x86_64)"))
        emit(sc, -14400, 0, lambda mm: 3.0 * L(mm), access)
        emit(sc, -21600, 0, 1.0, lambda t, iid=iid: sc.log("/moodle/php-fpm/error", iid, t, php_log(
            sc, t, "Warning", "file_exists(): open_basedir restriction in effect. File(/usr/share/php/Mail.php) is not "
            "within the allowed path(s): (/var/www/moodle:/data/moodledata:/tmp) in /var/www/moodle/lib/setuplib.php on line 1189")))
    emit(sc, -6200, full, 0.25, lambda t: sc.log("/moodle/php-fpm/error", a, t, php_log(
        sc, t, "Notice", f"assign_downloadall: packed {rng.randint(300, 900)} submissions into "
        f"/data/moodledata/temp/assign/{sc.hexid(10)}.zip ({rng.randint(300, 2400)} MB)")))
    emit(sc, full, 0, lambda mm: 2.8 * L(mm), lambda t: sc.log("/moodle/php-fpm/error", a, t, php_log(
        sc, t, "Warning", "fwrite(): Write of 8192 bytes failed with errno=28 No space left on device in "
        "/var/www/moodle/lib/filestorage/file_system_filedir.php on line 431")))
    emit(sc, full, 0, lambda mm: 1.2 * L(mm), lambda t: sc.log("/moodle/nginx/error", a, t, (
        f"{sc.at(t).strftime('%Y/%m/%d %H:%M:%S')} [crit] 1834#1834: *{rng.randint(100000, 999999)} pwrite() "
        f"\"/var/lib/nginx/tmp/client_body/00000{rng.randint(10000, 99999)}\" failed (28: No space left on device), client: "
        f"{sc.ip('10.12')}, server: upload.lms.example.in, request: \"POST /repository/repository_ajax.php?action=upload HTTP/1.1\"")))
    every(sc, -21600, 0, 3600, lambda t: [sc.log("/moodle/nginx/error", iid, t, (
        f"{sc.at(t).strftime('%Y/%m/%d %H:%M:%S')} [notice] 1#1: signal 1 (SIGHUP) received from 1990, reconfiguring"))
        for iid in (a, b)], jitter=30)
    sc.change(-1900, "elasticloadbalancing.amazonaws.com", "ModifyLoadBalancerAttributes", "AWS::ElasticLoadBalancingV2::LoadBalancer",
              lb, "infra-pkumar")
    sc.change(-13400, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "moodle-mysql80-params", "infra-pkumar")
    dims = {"LoadBalancer": lb}
    sc.alarm("assign-upload-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 15,
             "GreaterThanThreshold", "Assignment upload errors")
    sc.alarm("moodle-mysql-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "moodle-mysql"}, "Average", 60, 3, 70,
             "GreaterThanThreshold")
    expect(sc, "assign-upload-target-5xx", "storage_exhaustion", [a, "upload-a"],
           [("CWAgent", "disk_used_percent", {"InstanceId": a, "path": "/data", "fstype": "xfs"}),
            ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)])
    meta(sc, position="front (ALB); origin is one target instance", services="ALB, EC2, RDS MySQL",
         runtime="PHP 8.1 (Moodle) on EC2", logfmt="nginx access/error, PHP error log",
         decoys="ALB attribute change 3 min before onset; open_basedir warnings all day; hourly DB CPU spikes",
         story="""Two EC2 instances serve assignment uploads behind the assign-upload ALB with sticky sessions. From
         -103 min graders on upload-a run 'Download all submissions', which packs hundreds of submissions into zip
         archives under /data/moodledata/temp; upload-a's /data disk_used_percent climbs from 71 % to 100 % at -28 min
         while upload-b stays at 62 %. From then on uploads routed to upload-a fail: PHP logs `fwrite(): Write of
         8192 bytes failed with errno=28 No space left on device`, nginx logs `pwrite() ... failed (28: No space left on
         device)` for request bodies, and the ALB counts roughly half of all uploads as 500s. The ALB attribute change at -32 min
         is the nearest change but touches no disk; the open_basedir warnings and the DB's top-of-hour CPU spikes are
         there all afternoon.""")
    return sc


def build_14() -> Sc:
    sc = Sc(14, "rubric-svc-5xx", "Markers get 'Something went wrong' when saving rubric scores; rubric-svc 5xx "
            "alarm fired.", "eu-north-1", 8314, "2026-06-04T10:15:00")
    rng = sc.rng
    lb = "app/rubric-svc/4c2d8e1a7f03b965"
    svc = "grading/rubric-api"
    sc.resource("alb", lb, name="rubric-svc", scheme="internal", target_type="ip")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=4, cpu=512, memory=1024, image="grading/rubric-api",
                language="Python 3.12 (Flask on gunicorn)")
    sc.resource("rds", "grading-pg", engine="postgres", engine_version="16.3", instance_class="db.m6g.large",
                max_connections=400, allocated_storage_gb=250)
    L = lambda t: load(sc, t, peak=11.0, amp=0.25, rush_amp=0.5)  # noqa: E731
    dep = -2610
    new = lambda t: ramp(t, dep + 50, dep + 200)  # noqa: E731
    score = 0.42
    bad = 0.5
    req = lambda t: 300 * L(t)  # noqa: E731
    alb_set(sc, lb, req, lambda t: 0.06 * L(t) ** 0.5, t5=lambda t: 0.2 + req(t) * score * bad * new(t),
            healthy=lambda t: 4.0 + (4.0 if dep + 60 <= t < dep + 240 else 0.0))
    ecs_set(sc, "grading", "rubric-api", lambda t: 19 * L(t) + (9 if dep + 30 <= t < dep + 240 else 0),
            lambda t: 33.0 + 2 * new(t), tasks=lambda t: 4.0 + (4.0 if dep + 30 <= t < dep + 240 else 0.0))
    rds_set(sc, "grading-pg", lambda t: 16 * L(t) + (18 if near_hour(sc, t, 2, 2) else 0) + 14 * ramp(t, -2450, -2400)
            * (1 - ramp(t, -2300, -2200)), lambda t: 52 + 10 * L(t), lambda t: 141.0, mem_gb=lambda t: 3.6)
    grp = "/ecs/rubric-api"
    for k in range(2):
        old = f"rubric-api/rubric-api/{sc.hexid(32)}"
        newer = f"rubric-api/rubric-api/{sc.hexid(32)}"
        for stream, lo, hi, version in ((old, -21600, dep + 200, "2026.06.02-3"), (newer, dep + 45, 0, "2026.06.04-1")):
            if lo > -21600:
                for dt, msg in [(0, "Starting gunicorn 22.0.0"), (0.01, "Listening at: http://0.0.0.0:8000 (1)"),
                                (0.02, "Using worker: gthread"), (0.05, "Booting worker with pid: 8"),
                                (0.06, "Booting worker with pid: 9")]:
                    sc.log(grp, stream, lo + dt, gunicorn(sc, lo + dt, 1, "INFO", msg))
                sc.log(grp, stream, lo + 1.2, logfmt(sc, lo + 1.2, "info", "rubric-api starting", version=version,
                                                     git_sha="9c1e4fa"))

            def scored(t, stream=stream, v=version):
                rub, subm = rng.randint(8000, 8999), rng.randint(1000000, 1999999)
                if v.endswith("04-1") and rng.random() < score * bad:
                    sc.log(grp, stream, t, (
                        f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} +0000] [{rng.choice([8, 9])}] [ERROR] Exception on "
                        f"/api/v1/rubrics/{rub}/score [POST]\nTraceback (most recent call last):\n  File "
                        "\"/usr/local/lib/python3.12/site-packages/flask/app.py\", line 1473, in wsgi_app\n    response = "
                        "self.full_dispatch_request()\n  File \"/app/rubric/api.py\", line 88, in score\n    total = "
                        "apply_levels(rubric, payload['levels'])\n  File \"/app/rubric/scoring.py\", line 141, in apply_levels\n"
                        "    weight = level.criterion.weight\nAttributeError: 'NoneType' object has no attribute 'weight'"))
                    return
                sc.log(grp, stream, t, logfmt(sc, t, "info", "scored submission", rubric=rub, submission=subm,
                                              points=f"{rng.randint(4, 40)}.{rng.choice([0, 5])}", duration_ms=rng.randint(15, 90)))
            emit(sc, max(lo + 2, -14400), hi - 2, lambda mm: 1.6 * L(mm), scored)
            emit(sc, lo + 2, hi - 2, 0.8, lambda t, stream=stream: sc.log(grp, stream, t, logfmt(
                sc, t, "warning", "deprecated field max_points in rubric payload; use points_possible",
                client="moodle-plugin/4.1.7", rubric=rng.randint(8000, 8999))))
            if hi < 0:
                sc.log(grp, stream, hi - 1, gunicorn(sc, hi - 1, 1, "INFO", "Handling signal: term"))
                sc.log(grp, stream, hi - 0.5, gunicorn(sc, hi - 0.5, 1, "INFO", "Shutting down: Master"))
    sc.change(dep - 10, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "rubric-api:88", "github-actions-grading")
    sc.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "github-actions-grading")
    sc.change(-2450, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "grading-pg", "dba-lindqvist")
    sc.change(-17800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "github-actions-grading")
    dims = {"LoadBalancer": lb}
    sc.alarm("rubric-svc-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Rubric scoring errors")
    sc.alarm("grading-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "grading-pg"}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    expect(sc, "rubric-svc-target-5xx", "bad_deployment", [svc, "rubric-api"],
           [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)])
    meta(sc, position="front (ALB); origin is the ECS service", services="ALB, ECS, RDS PostgreSQL",
         runtime="Python 3.12 (Flask/gunicorn) on ECS", logfmt="logfmt + gunicorn",
         decoys="ModifyDBInstance on the service's own database between the deploy and the alarm; top-of-hour DB CPU spikes; deprecated-field warnings all day",
         story="""At -44 min CI registers rubric-api:88 and updates the service; new tasks (version 2026.06.04-1) start
         at -43 min, the old ones drain, and from then on about a fifth of all requests (scoring POSTs) fail with a new
         `AttributeError: 'NoneType' object has no attribute 'weight'` in scoring.py's apply_levels, which the old
         version never logged. grading-pg's ModifyDBInstance at -41 min is closer to the alarm and is on a database the
         service uses, but the traceback is in the application's own scoring code, the DB's connections and latency
         are unchanged apart from a short CPU blip, and the errors start only in the new tasks' streams. The
         deprecated-field warnings and the top-of-hour DB CPU spikes were there all morning.""",
         note="""h83-14: the DB modification is deliberately on a dependency of the alarmed service; the error
         signature (a Python AttributeError in scoring code, only in new-version streams) decides for the deployment.""")
    return sc


BUILDERS = [build_13, build_14]
