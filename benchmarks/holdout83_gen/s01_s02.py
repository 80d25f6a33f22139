"""h83-01 (MySQL connection ceiling behind the coursework portal) and h83-02 (similarity-check
Lambda release)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, mysql, nginx, spring
from benchmarks.holdout83_gen.kit import (Sc, alb_set, counts_per_minute, ecs_set, emit, every,
                                          expect, lambda_set, load, meta, php_log, rds_set)

MOODLE_PATHS = [("GET", "/mod/assign/view.php?id={n}", 200, 38000), ("GET", "/course/view.php?id={n}", 200, 52000),
                ("POST", "/repository/repository_ajax.php?action=upload", 200, 900),
                ("POST", "/mod/assign/view.php", 303, 0), ("GET", "/mod/quiz/attempt.php?attempt={n}&cmid=4412", 200, 61000),
                ("GET", "/my/", 200, 47000), ("GET", "/lib/ajax/service.php?sesskey=Qx81kz&info=core_fetch_notifications", 200, 700)]


def build_01() -> Sc:
    sc = Sc(1, "coursework-portal-5xx", "Students report 'Error reading from database' when opening assignment "
            "pages during the afternoon deadline block; coursework-web 5xx alarm paged the LMS on-call.",
            "eu-west-1", 8301, "2026-05-18T14:20:00")
    rng = sc.rng
    lb = "app/coursework-web/7f3a2c91d4e0b518"
    db = "lms-mysql-main"
    sc.resource("alb", lb, name="coursework-web", scheme="internet-facing", target_type="ip")
    sc.resource("ecs", "lms-prod/coursework-php", launch_type="FARGATE", desired_count=6, cpu=1024,
                memory=2048, image="lms/coursework-php:4.3.7-fpm", log_group="/ecs/coursework-php")
    sc.resource("ecs", "lms-prod/gradebook-api", launch_type="FARGATE", desired_count=3, cpu=1024, memory=2048)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=400, allocated_storage_gb=500, multi_az=True)
    sc.resource("rds", "gradebook-pg", engine="postgres", engine_version="15.6", instance_class="db.t4g.large",
                max_connections=180, allocated_storage_gb=100)
    L = lambda t: load(sc, t, peak=13.0, amp=0.2, rush_amp=0.7)  # noqa: E731
    ceiling = -1800
    fail = lambda t: 0.11 if t >= ceiling else 0.0  # noqa: E731
    alb = alb_set(sc, lb, lambda t: 820 * L(t),
                  lambda t: 0.21 * L(t) ** 0.5 + 0.85 * ramp(t, -2700, -1750),
                  t5=lambda t: 0.4 + fail(t) * 820 * L(t), healthy=lambda t: 6.0)
    ecs_set(sc, "lms-prod", "coursework-php", lambda t: 38 * L(t) - 7 * ramp(t, -1800, -1500),
            lambda t: 57.0 + 2 * ramp(t, -3000, -1500), tasks=lambda t: 6.0)
    gb_deploy = -1990
    ecs_set(sc, "lms-prod", "gradebook-api", lambda t: 21 * L(t) + 24 * ramp(t, gb_deploy, gb_deploy + 60)
            * (1 - ramp(t, gb_deploy + 180, gb_deploy + 420)), lambda t: 48.0, tasks=lambda t: 3.0)
    rds_set(sc, db, lambda t: 24 * L(t) + 9 * ramp(t, -3000, -1500),
            lambda t: 128 + 70 * (L(t) - 0.8) + 300 * ramp(t, -3000, -1400), lambda t: 212.4 - 0.0004 * (t + 21600) / 60,
            mem_gb=lambda t: 5.1, max_conns=400.0)
    rds_set(sc, "gradebook-pg", lambda t: 14 * L(t), lambda t: 34 + 8 * L(t), lambda t: 61.8, mem_gb=lambda t: 3.2)

    tasks = [sc.hexid(32) for _ in range(2)]
    req = counts_per_minute(alb["req"], -14400, 0)

    def access(task):
        def one(t):
            method, path, status, size = rng.choice(MOODLE_PATHS)
            rt = rng.uniform(0.05, 0.35) * L(t) ** 0.5 + 0.9 * ramp(t, -2700, -1750) * rng.random()
            if rng.random() < fail(t):
                status, size = 500, 1890
            sc.log("/ecs/coursework-php", f"nginx/nginx/{task}", t,
                   nginx(sc, t, sc.ip("10.40"), method, path.format(n=rng.randint(3000, 52000)), status,
                         int(size * rng.uniform(0.8, 1.2)), rt, ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64)"))
        return one

    for task in tasks:
        emit(sc, -14400, 0, lambda m: 2 * req.get(m, 800) / 820, access(task))
        php = f"php/php-fpm/{task}"
        emit(sc, -21600, 0, 1.4, lambda t, s=php: sc.log("/ecs/coursework-php", s, t, php_log(
            sc, t, "Warning", 'Undefined array key "grade" in /var/www/html/mod/assign/locallib.php on line 1812')))
        emit(sc, -21600, 0, 0.25, lambda t, s=php: sc.log("/ecs/coursework-php", s, t, php_log(
            sc, t, "Deprecated", "Creation of dynamic property assign_submission_onlinetext::$wordcount is "
            "deprecated in /var/www/html/mod/assign/submission/onlinetext/locallib.php on line 77")))
        emit(sc, ceiling, 0, lambda m: 2.2 * L(m), lambda t, s=php: sc.log("/ecs/coursework-php", s, t, (
            f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')} UTC] Default exception handler: Error reading from "
            "database Debug: Too many connections\nError code: dbconnectionfailed\n* line 1432 of /lib/setuplib.php: "
            "dml_connection_exception thrown\n* line 105 of /lib/dml/mysqli_native_moodle_database.php: call to "
            "moodle_database->connect()")))
        every(sc, -21400, 0, 3600, lambda t, s=php: sc.log("/ecs/coursework-php", s, t, (
            f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] NOTICE: [pool www] child {rng.randint(40, 900)} exited with "
            f"code 0 after 3600.{rng.randint(100, 999)} seconds from start")), jitter=40)
    grp = f"/aws/rds/instance/{db}/error"
    emit(sc, -21600, 0, lambda m: 0.12 + (1.6 if m >= ceiling else 0.0), lambda t: sc.log(
        grp, db, t, mysql(sc, t, rng.randint(400000, 520000), "Note", "MY-010914", (
            f"Aborted connection {rng.randint(400000, 520000)} to db: 'moodle' user: 'moodle_app' host: "
            f"'{sc.ip('10.40')}' (Got {'an error reading' if t >= ceiling else 'timeout reading'} communication packets)."))))
    gb = "/ecs/gradebook-api"
    old, new = f"gradebook/gradebook-api/{sc.hexid(32)}", f"gradebook/gradebook-api/{sc.hexid(32)}"
    emit(sc, -21600, gb_deploy + 90, 1.0, lambda t: sc.log(gb, old, t, spring(
        sc, t, "INFO", f"http-nio-8080-exec-{rng.randint(1, 40)}", "c.l.gradebook.web.GradeController",
        f"GET /v1/courses/{rng.randint(3000, 9000)}/grades 200 in {rng.randint(18, 90)} ms", "gradebook-api")))
    for dt, lvl, lg, msg in [(6, "INFO", "c.l.gradebook.GradebookApiApplication", "Starting GradebookApiApplication v3.14.2 using Java 21.0.3 with PID 1"),
                             (14, "INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
                             (15, "INFO", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@4f1d8a2b"),
                             (15.2, "INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
                             (19, "INFO", "c.l.gradebook.GradebookApiApplication", "Started GradebookApiApplication in 12.84 seconds (process running for 13.6)")]:
        sc.log(gb, new, gb_deploy + 60 + dt, spring(sc, gb_deploy + 60 + dt, lvl, "main", lg, msg, "gradebook-api"))
    emit(sc, gb_deploy + 80, 0, 1.0, lambda t: sc.log(gb, new, t, spring(
        sc, t, "INFO", f"http-nio-8080-exec-{rng.randint(1, 40)}", "c.l.gradebook.web.GradeController",
        f"GET /v1/courses/{rng.randint(3000, 9000)}/grades 200 in {rng.randint(18, 90)} ms", "gradebook-api")))

    sc.change(-15840, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "lms-prod/coursework-php", "github-actions-lms")
    sc.change(-9020, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot", "lms-mysql-main-pre-exam-0518", "dba-rkaur")
    sc.change(gb_deploy - 12, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "gradebook-api:212", "github-actions-gradebook")
    sc.change(gb_deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "lms-prod/gradebook-api", "github-actions-gradebook")
    dims = {"LoadBalancer": lb}
    sc.alarm("coursework-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "Coursework portal 5xx from targets")
    sc.alarm("coursework-web-latency", "AWS/ApplicationELB", "TargetResponseTime", dims, "Average", 60, 5, 0.8,
             "GreaterThanThreshold")
    sc.alarm("lms-mysql-main-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    expect(sc, "coursework-web-target-5xx", "db_connection_exhaustion", [db],
           [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}),
            ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)])
    meta(sc, position="front (ALB); origin is the MySQL instance", services="ALB, ECS, RDS MySQL",
         runtime="PHP (Moodle on php-fpm)", logfmt="nginx access, PHP error log, MySQL error log, Spring",
         decoys="gradebook-api deploy 3 min before the first 5xx; PHP warnings at a constant rate for 6 h; hourly deadline CPU bumps",
         story="""The coursework portal (Moodle on php-fpm in ECS behind the coursework-web ALB) starts returning 500s at
         -30 min. lms-mysql-main's DatabaseConnections climb from their usual ~140-210 from -50 min on, with
         request volume at its normal deadline-hour level, and flatten at the instance's max_connections of 400 at
         -30 min; from that minute the php-fpm logs carry Moodle's 'Error reading from database Debug: Too many
         connections' and the MySQL error log shows a burst of aborted connections. The gradebook-api deployment at
         -33 min is the change closest to the first 5xx, but that service talks to a separate PostgreSQL instance
         (its HikariPool start-up lines say so), its own metrics are clean, and the connection climb began seventeen
         minutes before it. The 'Undefined array key' warnings are there at the same rate for the whole six hours.""")
    return sc


def build_02() -> Sc:
    sc = Sc(2, "similarity-errors", "similarity-check Errors alarm fired during the evening essay deadline; "
            "tutors see 'originality report pending' on new submissions.", "us-east-2", 8302, "2026-05-19T21:40:00")
    rng = sc.rng
    fn, notify = "similarity-check", "submission-notify"
    sc.resource("lambda", fn, runtime="python3.12", memory_size=1536, timeout=120, handler="handler.lambda_handler",
                alias="live")
    sc.resource("lambda", notify, runtime="nodejs20.x", memory_size=256, timeout=15)
    L = lambda t: load(sc, t, peak=20.0, amp=0.3, rush_amp=0.8)  # noqa: E731
    release = -2630
    docx = 0.42
    m = lambda_set(sc, fn, lambda t: 10 * L(t), lambda t: 4300.0 if t < release else 4300 * (1 - docx) + 900 * docx,
                   err=lambda t: 0.35, err_p=lambda t: docx if t >= release else 0.0)
    n = lambda_set(sc, notify, lambda t: 3.2 * L(t), lambda t: 310.0)
    ll = LambdaLogs(sc, fn, "python3.12", 1536, 120, epochs=[(-10 ** 9, "41"), (release, "42")],
                    mem_used=(610, 70), retire=[release], prewarm=-8700)

    def body(ll, t, rid, is_err, cold):
        course, user = rng.randint(40000, 52000), rng.randint(700000, 790000)
        new = t >= release
        pdf_err = is_err and (not new or rng.random() < 0.08)
        ext = "pdf" if pdf_err else "docx" if is_err else rng.choice(
            ["pdf", "pdf", "odt", "txt"] + (["docx"] * 3 if not new else []))
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"Fetched s3://lms-submissions-prod/assign/{course}/u{user}/"
                                                f"submission.{ext} ({rng.randint(30, 2400)} KB)"))]
        if pdf_err:
            lines.append((0.6, "[ERROR] PdfReadError: EOF marker not found\nTraceback (most recent call last):\n"
                               "  File \"/var/task/handler.py\", line 44, in lambda_handler\n    doc = extract(obj)\n"
                               "  File \"/var/task/simcheck/extract.py\", line 41, in extract_pdf\n"
                               "    reader = PdfReader(stream)"))
            return {"lines": lines, "dur": rng.uniform(500, 900)}
        if is_err:
            lines.append((0.8, "[ERROR] KeyError: 'shingles'\nTraceback (most recent call last):\n"
                               "  File \"/var/task/handler.py\", line 58, in lambda_handler\n    score = compare(doc, corpus)\n"
                               "  File \"/var/task/simcheck/compare.py\", line 112, in compare\n"
                               "    a = set(doc.features['shingles'])"))
            return {"lines": lines, "dur": rng.uniform(700, 1100)}
        if rng.random() < 0.12:
            lines.append((0.3, ll.fmt(t + 0.3, rid, "WARNING", f"Submission u{user} has {rng.randint(40, 190)} words; "
                                                             "similarity score not reliable below 200")))
        dur = rng.gauss(4300, 700)
        lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "INFO", (
            f"Similarity {rng.uniform(0.01, 0.31):.2f} vs {rng.randint(3100, 3600)} corpus docs; "
            f"top match sub_{rng.randint(5000000, 5999999)}"))))
        return {"lines": lines, "dur": dur}

    ll.run(counts_per_minute(m["inv"], -9000, 0), counts_per_minute(m["err"], -9000, 0), body)
    nl = LambdaLogs(sc, notify, "nodejs20.x", 256, 15, mem_used=(88, 6), retire=[-2520], prewarm=-8700)

    def nbody(nl, t, rid, is_err, cold):
        return {"lines": [(0.2, nl.fmt(t + 0.2, rid, "INFO", f"receipt email queued for u{rng.randint(700000, 790000)} "
                                                          f"messageId=0100018f{sc.hexid(24)}"))],
                "dur": rng.gauss(310, 40)}

    nl.run(counts_per_minute(n["inv"], -9000, 0), {}, nbody)
    sc.change(-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", notify, "gha-notify-release")
    sc.change(release - 25, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-simcheck-release")
    sc.change(release - 16, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "gha-simcheck-release")
    sc.change(release - 2, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, "gha-simcheck-release")
    sc.change(-2520, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", notify,
              "AWSReservedSSO_LMSAdmin_9f2e4b1c7a3d5e60/p.okafor")
    sc.alarm("similarity-check-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Originality checks failing")
    sc.alarm("submission-notify-errors", "AWS/Lambda", "Errors", {"FunctionName": notify}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    expect(sc, "similarity-check-errors", "bad_deployment", [fn],
           [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta(sc, position="origin (the Lambda)", services="Lambda", runtime="Python 3.12 Lambda (+ Node.js decoy)",
         logfmt="Lambda plain text", decoys="submission-notify config change closer to the alarm; PdfReadError failures at a steady rate for hours",
         story="""similarity-check runs the originality check for each uploaded submission. At -44 min CI updates its code,
         publishes version 42 and moves the `live` alias to it; from the next minute START lines say `Version: 42` and
         about four in ten invocations (the .docx uploads) die with a new `KeyError: 'shingles'` in compare.py, which
         never occurs under version 41. The only change nearer the alarm is an environment update to
         submission-notify at -42 min, after the errors had already begun and on a function whose logs and errors
         stay clean. The `PdfReadError: EOF marker not found` failures (corrupt student PDFs) run at the same
         ~0.35/min before and after and explain none of the jump.""")
    return sc


BUILDERS = [build_01, build_02]
