"""h83-05 (gradebook PostgreSQL out of storage, seen from the grade-export Lambda) and h83-06
(final-exam start on the exam-delivery ALB)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx, pg
from benchmarks.holdout83_gen.kit import (Sc, alb_set, counts_per_minute, ecs_set, emit, every, expect,
                                          lambda_set, load, meta, monolog_json, rds_set)


def build_05() -> Sc:
    sc = Sc(5, "grade-export-errors", "Grade export to the student information system failing for most "
            "sections; grade-export Errors alarm in ALARM.", "us-west-2", 8305, "2026-05-22T19:45:00")
    rng = sc.rng
    db, fn = "gradebook-pg", "grade-export"
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.m6g.large",
                max_connections=400, allocated_storage_gb=200, storage_type="gp3", storage_autoscaling=False)
    sc.resource("rds", "lms-analytics-pg", engine="postgres", engine_version="15.6", instance_class="db.r6g.xlarge",
                max_connections=1000, allocated_storage_gb=1000)
    sc.resource("lambda", fn, runtime="java21", memory_size=1024, timeout=60)
    L = lambda t: load(sc, t, peak=18.0, amp=0.25, rush_amp=0.7)  # noqa: E731
    full = -1800
    free = lambda t: max(0.07, 24.0 * (1 - (t + 21600) / (21600 + full)))  # noqa: E731
    rds_set(sc, db, lambda t: 22 * L(t) - 6 * (t >= full), lambda t: 48 + 12 * L(t), free, mem_gb=lambda t: 2.9,
            write_lat=lambda t: 0.0024 if t < full else 0.0009)
    dims = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "TransactionLogsDiskUsage", dims, "Bytes",
              sc.series(lambda t: (9.0 + 24.0 - free(t)) * 1e9, noise=0.002, digits=0))
    sc.metric("AWS/RDS", "OldestReplicationSlotLag", dims, "Bytes",
              sc.series(lambda t: (31.0 + 24.0 - free(t)) * 1e9, noise=0.001, digits=0))
    rds_set(sc, "lms-analytics-pg", lambda t: None if -2040 <= t < -1880 else 35 + 20 * ramp(t, -1880, -1800) * (1 - ramp(t, -1600, -1400)),
            lambda t: None if -2040 <= t < -1880 else 70.0, lambda t: None if -2040 <= t < -1880 else 610.0,
            mem_gb=lambda t: None if -2040 <= t < -1880 else 11.0)
    deploy = -3300
    sis_timeouts = 0.2
    m = lambda_set(sc, fn, lambda t: 6 * L(t), lambda t: 2100.0 if t < full else 1300.0,
                   err=lambda t: sis_timeouts, err_p=lambda t: 0.97 if t >= full else 0.0)
    acct_key = rng.randint(16380, 16420)

    def body(ll, t, rid, is_err, cold):
        section = f"{rng.choice(['MATH', 'BIOL', 'HIST', 'CHEM', 'STAT'])}-{rng.randint(100, 499)}-{rng.randint(1, 12):03d}"
        n = rng.randint(12, 240)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"ExportHandler - exporting {n} final grades for section {section}"))]
        if rng.random() < 0.09:
            lines.append((0.4, ll.fmt(t + 0.4, rid, "WARN", f"SisClient - SIS rejected grade for student "
                                                         f"{rng.randint(4000000, 4999999)}: section closed (HTTP 409)")))
        if is_err and t >= full and rng.random() > 0.05:
            rel = f"base/{acct_key}/{rng.choice([24612, 24612, 24630])}"
            msg = f"ERROR: could not extend file \"{rel}\": No space left on device\n  Hint: Check free disk space."
            lines.append((0.9, ll.fmt(t + 0.9, rid, "ERROR", "ExportHandler - export batch insert failed\n"
                                      f"org.postgresql.util.PSQLException: {msg}\n"
                                      "\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)\n"
                                      "\tat org.postgresql.jdbc.PgPreparedStatement.executeBatch(PgPreparedStatement.java:1722)\n"
                                      "\tat edu.lms.export.BatchWriter.write(BatchWriter.java:64)")))
            lines.append((1.2, json.dumps({"errorMessage": msg, "errorType": "org.postgresql.util.PSQLException",
                                           "stackTrace": ["edu.lms.export.BatchWriter.write(BatchWriter.java:64)",
                                                          "edu.lms.export.ExportHandler.handleRequest(ExportHandler.java:51)"]})))
            return {"lines": lines, "dur": rng.gauss(1300, 200)}
        if is_err:
            lines.append((10.0, ll.fmt(t + 10, rid, "ERROR", "ExportHandler - SIS push failed\n"
                                       "java.net.http.HttpTimeoutException: request timed out\n"
                                       "\tat java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:572)\n"
                                       "\tat edu.lms.export.SisClient.post(SisClient.java:88)")))
            lines.append((10.1, json.dumps({"errorMessage": "request timed out",
                                            "errorType": "java.net.http.HttpTimeoutException"})))
            return {"lines": lines, "dur": rng.gauss(10150, 60)}
        dur = rng.gauss(2100, 300)
        lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "INFO", f"ExportHandler - export batch "
                                                                        f"{rng.randint(88000, 99999)} committed ({n} rows), SIS accepted")))
        return {"lines": lines, "dur": dur}

    ll = LambdaLogs(sc, fn, "java21", 1024, 60, epochs=[(-10 ** 9, "$LATEST")], retire=[deploy],
                    mem_used=(310, 25), prewarm=-8700)
    ll.run(counts_per_minute(m["inv"], -9000, 0), counts_per_minute(m["err"], -9000, 0), body)
    grp, stream = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, -21600, 0, 300, lambda t: sc.log(grp, stream, t, pg(
        sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(900, 4200)} buffers ({rng.uniform(0.5, 3):.1f}%); "
        f"0 WAL file(s) added, 0 removed, {rng.randint(8, 30)} recycled; write={rng.uniform(20, 27):.3f} s", pid=412)))
    every(sc, -21600, 0, 1800, lambda t: sc.log(grp, stream, t, pg(
        sc, t, "LOG", f"automatic vacuum of table \"gradebook.public.grade_history\": index scans: 1, pages: 0 removed, "
        f"{rng.randint(180000, 220000)} remain", pid=rng.randint(20000, 30000))))
    emit(sc, full, 0, lambda mm: 4.5 * L(mm), lambda t: sc.log(grp, stream, t, pg(
        sc, t, "ERROR", f"could not extend file \"base/{acct_key}/24612\": No space left on device", client=sc.ip("10.8"),
        user="export_svc", db="gradebook")))
    every(sc, full + 30, 0, 300, lambda t: sc.log(grp, stream, t, pg(
        sc, t, "LOG", "could not write to file \"pg_wal/xlogtemp.412\": No space left on device; checkpoint request failed",
        pid=412)))
    sc.change(deploy - 8, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "ci-gradeexport")
    sc.change(deploy, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "ci-gradeexport")
    sc.change(-2040, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "lms-analytics-pg", "dba-mfischer")
    sc.alarm("grade-export-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "Grade export failures")
    sc.alarm("gradebook-pg-free-storage-low", "AWS/RDS", "FreeStorageSpace", dims, "Minimum", 300, 1, 10e9,
             "LessThanThreshold", "Gradebook DB below 10 GB free")
    expect(sc, "grade-export-errors", "storage_exhaustion", [db],
           [("AWS/RDS", "FreeStorageSpace", dims), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta(sc, position="front (calling Lambda); origin is the PostgreSQL instance", services="Lambda, RDS PostgreSQL",
         runtime="Java 21 Lambda", logfmt="Lambda plain text + JSON error, PostgreSQL log",
         decoys="grade-export code deploy 25 min before onset; ModifyDBInstance on another DB 4 min before onset; SIS timeouts at a steady rate",
         story="""grade-export pushes final grades from gradebook-pg to the student information system. From -30 min
         almost every invocation fails with `PSQLException: ERROR: could not extend file ... No space left on device`
         and the PostgreSQL log shows the same error plus failing WAL writes. gradebook-pg's FreeStorageSpace has
         fallen in a straight line for the whole six hours (24 GB to ~0 at -30 min) while TransactionLogsDiskUsage and
         OldestReplicationSlotLag grow by the same amount: an inactive replication slot is holding WAL. The storage
         alarm has been in ALARM for hours. grade-export's own deployment at -55 min was followed by 25 clean minutes,
         the ModifyDBInstance at -34 min is on lms-analytics-pg, and the SIS `HttpTimeoutException` failures run at
         ~0.2/min all evening.""")
    return sc


def build_06() -> Sc:
    sc = Sc(6, "exam-delivery-latency", "Exam pages slow and some students see 502s at the start of the morning "
            "exam block; exam-delivery latency alarm paged.", "eu-central-1", 8306, "2026-05-25T09:24:00")
    rng = sc.rng
    lb = "app/exam-delivery/91be0c4d27fa3365"
    svc = "exams-prod/quiz-frontend"
    sc.resource("alb", lb, name="exam-delivery", scheme="internet-facing", target_type="ip")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=6, cpu=2048, memory=4096,
                image="exams/quiz-frontend:2026.05.3", autoscaling="target CPU 60%, max 16")
    sc.resource("rds", "exams-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.2xlarge",
                max_connections=2000, allocated_storage_gb=400)
    sc.resource("lambda", "proctor-webhook", runtime="python3.12", memory_size=256, timeout=20)
    L = lambda t: load(sc, t, peak=11.0, amp=0.3, rush_amp=0.4)  # noqa: E731
    start = -1500
    surge = lambda t: 5.2 * ramp(t, start - 120, start + 60) * (1 - 0.15 * ramp(t, start + 300, start + 1200))  # noqa: E731
    tasks = lambda t: 6.0 if t < -1380 else 10.0 if t < -1140 else 14.0  # noqa: E731
    cap = lambda t: tasks(t) / 6.0  # noqa: E731
    req = lambda t: 610 * L(t) * (1 + surge(t))  # noqa: E731
    press = lambda t: min(1.0, surge(t) / (2.6 * cap(t)))  # noqa: E731
    over = lambda t: max(0.0, (1 + surge(t)) / cap(t) - 1.0)  # noqa: E731
    alb_set(sc, lb, req, lambda t: 0.16 * L(t) + 0.9 * min(3.0, over(t)),
            t5=lambda t: 0.3 + 0.002 * req(t) * min(1.0, over(t)),
            e5=lambda t: 0.014 * req(t) * min(1.0, over(t) / 3.0), healthy=tasks)
    ecs_set(sc, "exams-prod", "quiz-frontend", lambda t: 20 * L(t) + 58 * press(t),
            lambda t: 44 + 9 * press(t), tasks=tasks)
    rds_set(sc, "exams-mysql", lambda t: 21 * L(t) * (1 + 0.22 * surge(t)), lambda t: 170 * L(t) + 48 * surge(t),
            lambda t: 288.0, mem_gb=lambda t: 38.0)
    p = lambda_set(sc, "proctor-webhook", lambda t: 2.5 * L(t), lambda t: 220.0)
    grp = "/ecs/quiz-frontend"
    streams = [f"web/quiz-frontend/{sc.hexid(32)}" for _ in range(2)]
    paths = [("POST", "/quiz/attempt/{n}/autosave", 204, 0), ("GET", "/quiz/attempt/{n}/page/{p}", 200, 41000),
             ("GET", "/courses/{c}/quizzes", 200, 23000), ("POST", "/quiz/attempt/{n}/answer", 200, 310)]
    for s in streams:
        def access(t, s=s):
            method, path, status, size = rng.choice(paths if t < start - 120 else paths[:2] * 3 + paths[2:])
            rt = rng.uniform(0.04, 0.3) + 0.8 * over(t) * rng.uniform(0.5, 1.6)
            if rng.random() < 0.004 * min(1.0, over(t)) * 10:
                status, size, rt = 504, 160, 30.0
            sc.log(grp, s, t, nginx(sc, t, sc.ip("10.60"), method, path.format(n=rng.randint(200000, 299999),
                   p=rng.randint(1, 12), c=rng.randint(100, 900)), status, size, rt, ua="Mozilla/5.0 (Macintosh)"))
        emit(sc, -14400, 0, lambda mm: min(9.0, 2.2 * (1 + surge(mm))), access)
        emit(sc, -21600, 0, 1.3, lambda t, s=s: sc.log(grp, s, t, monolog_json(
            sc, t, "production", "WARNING", "Optional parameter $attempt declared before required parameter $quiz "
            "is implicitly treated as a required parameter", file="/var/www/app/Services/AttemptService.php:41")))
        emit(sc, start, 0, lambda mm: 2.0 * min(1.0, over(mm)), lambda t, s=s: sc.log(grp, s, t, monolog_json(
            sc, t, "production", "WARNING", "Slow request", uri=f"/quiz/attempt/{rng.randint(200000, 299999)}/autosave",
            duration_ms=int(900 + 2500 * rng.random() * min(1.0, over(t) + 0.2)), queue_wait_ms=rng.randint(400, 2600))))
        emit(sc, start - 60, start + 600, 1.5, lambda t, s=s: sc.log(grp, s, t, monolog_json(
            sc, t, "production", "INFO", "Quiz attempt started", quiz="CHEM101-FINAL-2026", attempt=rng.randint(200000, 299999))))
    pl = LambdaLogs(sc, "proctor-webhook", "python3.12", 256, 20, retire=[-1750], mem_used=(80, 5), prewarm=-8700)
    pl.run(counts_per_minute(p["inv"], -9000, 0), {}, lambda ll, t, rid, e, c: {
        "lines": [(0.01, ll.fmt(t, rid, "INFO", f"proctoring event {rng.choice(['face_absent', 'tab_switch', 'second_voice'])} "
                                               f"attempt={rng.randint(200000, 299999)} forwarded"))], "dur": rng.gauss(220, 30)})
    sc.change(-19800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "github-actions-exams")
    sc.change(-1750, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "proctor-webhook", "AWSReservedSSO_ExamsOps_2b7c9d1e4f6a8053/l.becker")
    for t in (-1380, -1140):
        sc.change(t - 20, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc,
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    dims = {"LoadBalancer": lb}
    sc.alarm("exam-delivery-latency", "AWS/ApplicationELB", "TargetResponseTime", dims, "Average", 60, 3, 1.0,
             "GreaterThanThreshold", "Exam delivery response time")
    sc.alarm("exam-delivery-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Sum", 300, 1, 50,
             "GreaterThanThreshold")
    sc.alarm("quiz-frontend-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "exams-prod",
             "ServiceName": "quiz-frontend"}, "Average", 60, 3, 90, "GreaterThanThreshold")
    expect(sc, "exam-delivery-latency", "traffic_surge", [lb, "exam-delivery", svc, "quiz-frontend"],
           [("AWS/ApplicationELB", "RequestCount", dims), ("AWS/ApplicationELB", "TargetResponseTime", dims)])
    meta(sc, position="origin (the ALB/service receiving the surge)", services="ALB, ECS, RDS MySQL, Lambda",
         runtime="PHP 8.3 (Laravel) on ECS", logfmt="nginx access, Monolog JSON",
         decoys="proctor-webhook config change 4 min before; autoscaling UpdateService calls on the service itself; deprecation warnings all morning",
         story="""From 08:57 (-27 min) 2,900 students open the CHEM101 final exam at once. exam-delivery's RequestCount
         goes from ~600-1,000/min (the usual top-of-hour deadline bumps reach ~1.4x) to 4,000-5,700/min, autosave POSTs
         dominate the access log, and response time climbs from 0.16 s to nearly 3 s with some 502/504s. The
         quiz-frontend tasks run hot (~80 % CPU, never pinned) until target-tracking autoscaling takes the service
         from 6 to 10 and 14 tasks, after which latency eases but stays above normal; exams-mysql stays below ~65 % CPU and ~25 % of its connections. The proctor-webhook environment change four minutes before the exam touches a
         different function with clean metrics, the UpdateService calls on quiz-frontend are the autoscaler reacting
         to load, and the PHP 8 deprecation warnings are there all morning.""",
         note="""h83-06 is traffic_surge rather than cpu_saturation: the service CPU peaks around 80 % and is not pinned;
         latency follows request volume and improves as tasks are added. The ALB and the ECS service are both
         accepted.""")
    return sc


BUILDERS = [build_05, build_06]
