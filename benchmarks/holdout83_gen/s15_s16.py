"""h83-15 (an all-sections quiz report pins the LMS MySQL instance) and h83-16 (scanned exam scripts
exhausting the preview Lambda's memory)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, rails
from benchmarks.holdout83_gen.kit import (Sc, alb_set, apigw_set, counts_per_minute, ecs_set, emit, every, expect,
                                          lambda_set, load, meta, rds_set)


def build_15() -> Sc:
    sc = Sc(15, "canvas-web-latency", "Course pages taking 20+ seconds and some 'Page failed to load' errors during "
            "the afternoon quiz window; canvas-web latency alarm paged.", "ap-southeast-1", 8315, "2026-06-05T14:40:00")
    rng = sc.rng
    lb = "app/canvas-web/6e0a3b7c92d1f548"
    web, jobs, db = "lms/canvas-web", "lms/canvas-jobs", "lms-mysql-02"
    sc.resource("alb", lb, name="canvas-web", scheme="internet-facing", target_type="ip")
    sc.resource("ecs", web, launch_type="FARGATE", desired_count=8, cpu=2048, memory=4096, language="Ruby 3.3 / Rails 7.1 (puma)")
    sc.resource("ecs", jobs, launch_type="FARGATE", desired_count=3, cpu=1024, memory=2048)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge", max_connections=1500,
                allocated_storage_gb=1200)
    L = lambda t: load(sc, t, peak=14.0, amp=0.25, rush_amp=0.5)  # noqa: E731
    onset = -2900
    hot = lambda t: ramp(t, onset, onset + 240)  # noqa: E731
    req = lambda t: 1400 * L(t)  # noqa: E731
    alb_set(sc, lb, req, lambda t: 0.28 * L(t) ** 0.5 + 4.1 * ramp(t, onset + 60, onset + 600),
            t5=lambda t: 0.5 + 0.012 * req(t) * ramp(t, onset + 300, onset + 700), healthy=lambda t: 8.0)
    ecs_set(sc, "lms", "canvas-web", lambda t: 31 * L(t) - 8 * hot(t), lambda t: 61.0, tasks=lambda t: 8.0)
    jdep = -3100
    ecs_set(sc, "lms", "canvas-jobs", lambda t: 26.0 + 18 * ramp(t, jdep, jdep + 60) * (1 - ramp(t, jdep + 200, jdep + 400)),
            lambda t: 47.0, tasks=lambda t: 3.0)
    rds_set(sc, db, lambda t: (1 - hot(t)) * 27 * L(t) + 98.4 * hot(t), lambda t: 190 * L(t) + 230 * hot(t),
            lambda t: 508.0 - (t + 21600) * 1e-5, mem_gb=lambda t: 9.5, read_lat=lambda t: 0.0009 + 0.011 * hot(t),
            iops=lambda t: 900 * L(t) + 7400 * hot(t), cpu_cap=99.8)
    grp = "/ecs/canvas-web"
    streams = [f"web/canvas-web/{sc.hexid(32)}" for _ in range(2)]
    ctrl = [("GET", "/courses/{c}/assignments", "AssignmentsController#index", 180), ("GET", "/courses/{c}/quizzes/{q}/take",
            "Quizzes::QuizzesController#show", 240), ("POST", "/courses/{c}/quizzes/{q}/submissions", "Quizzes::QuizSubmissionsController#create", 320),
            ("GET", "/courses/{c}", "CoursesController#show", 150)]
    for s in streams:
        def hit(t, s=s):
            method, path, action, ms = rng.choice(ctrl)
            rid = sc.uuid()
            path = path.format(c=rng.randint(3000, 9000), q=rng.randint(100, 999))
            slow = ramp(t, onset + 60, onset + 600)
            dur = ms * rng.uniform(0.5, 1.5) + 9000 * slow * rng.uniform(0.3, 1.6)
            sc.log(grp, s, t, rails(sc, t, "INFO", f"Started {method} \"{path}\" for {sc.ip('10.70')}", reqid=rid))
            sc.log(grp, s, t + 0.001, rails(sc, t + 0.001, "INFO", f"Processing by {action} as HTML", reqid=rid))
            end = t + dur / 1000
            if dur > 25000:
                sc.log(grp, s, t + 25, rails(sc, t + 25, "ERROR", "Rack::Timeout::RequestTimeoutException (Request ran for "
                                                                  "longer than 25000ms):", reqid=rid))
                sc.log(grp, s, t + 25.001, rails(sc, t + 25.001, "INFO", "Completed 503 Service Unavailable in 25002ms", reqid=rid))
                return
            ar = dur * rng.uniform(0.55, 0.95) if slow > 0.1 else dur * 0.4
            sc.log(grp, s, end, rails(sc, end, "INFO", f"Completed {200 if method == 'GET' else 302} OK in {dur:.0f}ms "
                                                       f"(Views: {dur * 0.2:.1f}ms | ActiveRecord: {ar:.1f}ms | Allocations: "
                                                       f"{rng.randint(20000, 90000)})", reqid=rid))
        emit(sc, -14400, 0, lambda mm: 1.8 * L(mm), hit)
        emit(sc, -21600, 0, 0.7, lambda t, s=s: sc.log(grp, s, t, rails(
            sc, t, "WARN", "DEPRECATION WARNING: ActiveRecord::Base.connection is deprecated and will be removed in Rails 7.3; "
            "use with_connection instead (called from block in load_context at /app/lib/canvas/context_loader.rb:41)")))
    sg, ss = f"/aws/rds/instance/{db}/slowquery", db
    emit(sc, -21600, 0, 0.15, lambda t: sc.log(sg, ss, t, (
        f"# Time: {sc.iso(t, 6)}\n# User@Host: canvas_web[canvas_web] @  [{sc.ip('10.70')}]  Id: {rng.randint(800000, 899999)}\n"
        f"# Query_time: {rng.uniform(2.0, 3.4):.6f}  Lock_time: 0.000004 Rows_sent: {rng.randint(1, 50)}  Rows_examined: "
        f"{rng.randint(200000, 900000)}\nSET timestamp={int(sc.at(t).timestamp())};\nSELECT COUNT(*) FROM submissions WHERE "
        f"assignment_id IN (...) AND workflow_state = 'pending_review' /*application:Canvas,controller:gradebooks,action:speed_grader*/;")))
    emit(sc, onset + 20, 0, 2.2, lambda t: sc.log(sg, ss, t, (
        f"# Time: {sc.iso(t, 6)}\n# User@Host: canvas_web[canvas_web] @  [{sc.ip('10.70')}]  Id: {rng.randint(800000, 899999)}\n"
        f"# Query_time: {rng.uniform(24, 61):.6f}  Lock_time: 0.000011 Rows_sent: {rng.randint(20, 80)}  Rows_examined: "
        f"{rng.randint(40000000, 60000000)}\nSET timestamp={int(sc.at(t).timestamp())};\nSELECT quiz_submissions.quiz_id, "
        "quiz_question_id, answer_id, COUNT(*) FROM quiz_submissions JOIN quiz_submission_events ON "
        "quiz_submission_events.quiz_submission_id = quiz_submissions.id WHERE quiz_submissions.quiz_id IN (SELECT id FROM "
        "quizzes WHERE context_type = 'Course') GROUP BY 1, 2, 3 /*application:Canvas,controller:quiz_statistics,action:index*/;")))
    sc.log(grp, streams[0], onset + 3, rails(sc, onset + 3, "INFO", "Started GET \"/accounts/1/quiz_statistics?all_sections=1&"
                                                                   "term=2026S1\" for 10.70.4.19", reqid=sc.uuid()))
    jg = "/ecs/canvas-jobs"
    js1, js2 = f"jobs/canvas-jobs/{sc.hexid(32)}", f"jobs/canvas-jobs/{sc.hexid(32)}"
    every(sc, -21600, jdep + 60, 45, lambda t: sc.log(jg, js1, t, rails(
        sc, t, "INFO", f"[Job:{rng.randint(9000000, 9999999)}] Delayed::Job ContentMigration#queue_migration completed after "
        f"{rng.uniform(0.2, 3):.4f}", pid=7)))
    every(sc, jdep + 70, 0, 45, lambda t: sc.log(jg, js2, t, rails(
        sc, t, "INFO", f"[Job:{rng.randint(9000000, 9999999)}] Delayed::Job ContentMigration#queue_migration completed after "
        f"{rng.uniform(0.2, 3):.4f}", pid=7)))
    sc.change(jdep - 12, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "canvas-jobs:311", "jenkins-lms")
    sc.change(jdep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", jobs, "jenkins-lms")
    sc.change(-18600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", web, "jenkins-lms")
    dims = {"LoadBalancer": lb}
    sc.alarm("canvas-web-latency", "AWS/ApplicationELB", "TargetResponseTime", dims, "Average", 60, 5, 2.0,
             "GreaterThanThreshold", "LMS web response time")
    sc.alarm("canvas-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 300, 1, 100,
             "GreaterThanThreshold")
    expect(sc, "canvas-web-latency", "cpu_saturation", [db],
           [("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}), ("AWS/ApplicationELB", "TargetResponseTime", dims)])
    meta(sc, position="front (ALB); origin is the MySQL instance", services="ALB, ECS, RDS MySQL",
         runtime="Ruby 3.3 (Rails/puma) on ECS", logfmt="Rails logger, MySQL slow query log",
         decoys="canvas-jobs deployment 3 min before onset; web CPU drops rather than rises; occasional 2-3 s slow queries and deprecation warnings all day",
         story="""At -48 min an admin opens the all-sections quiz statistics report (`/accounts/1/quiz_statistics?all_sections=1`).
         From then the slow query log fills with a quiz-statistics GROUP BY examining 40-60 million rows per run
         (tagged `controller:quiz_statistics` and run as canvas_web), lms-mysql-02's CPU goes from ~30 % to 94-100 % and stays there,
         ReadIOPS and read latency jump, and every web request waits on ActiveRecord: ALB response time climbs from
         0.3 s to over 4 s and requests past 25 s end in Rack::Timeout 503s. canvas-web's own CPU falls slightly (it is
         waiting), and connections rise to ~450 of 1,500, far from the limit. The canvas-jobs deployment three minutes
         before is the nearest change, but the heavy queries come from the web user and controller, not from jobs,
         whose logs are unchanged; the 2-3 s speed-grader queries have been in the slow log all day.""",
         note="""h83-15 is cpu_saturation on the database (not dependency_failure): the dependency is itself
         exhausted. The jobs deployment is a deliberate decoy on a service that shares the database.""")
    return sc


def build_16() -> Sc:
    sc = Sc(16, "doc-preview-5xx", "Students uploading scanned exam scripts see 'Preview unavailable'; doc-preview "
            "5XX alarm fired near the take-home exam deadline.", "eu-south-1", 8316, "2026-06-08T23:20:00")
    rng = sc.rng
    api, fn, other = "doc-preview", "submission-render", "thumb-cache"
    sc.resource("apigateway", api, stage="prod", endpoint_type="REGIONAL", integration="AWS_PROXY")
    sc.resource("lambda", fn, runtime="python3.12", memory_size=1024, timeout=30, layers=["pymupdf-1.24"])
    sc.resource("lambda", other, runtime="nodejs20.x", memory_size=256, timeout=10, reserved_concurrency=20)
    L = lambda t: load(sc, t, peak=21.0, amp=0.3, rush_amp=0.9)  # noqa: E731
    onset = -2400
    scans = lambda t: 0.36 * ramp(t, onset, onset + 300)  # noqa: E731
    m = lambda_set(sc, fn, lambda t: 11 * L(t), lambda t: 2600 * (1 - scans(t)) + 9800 * scans(t), err_p=scans)
    e4 = [float(int(v * 0.015 + (rng.random() < (v * 0.015) % 1))) for v in m["inv"]]
    apigw_set(sc, api, [i + x for i, x in zip(m["inv"], e4)], lambda t: 2650 * (1 - scans(t)) + 9850 * scans(t),
              e4=e4, e5=m["err"])
    o = lambda_set(sc, other, lambda t: 6 * L(t), lambda t: 45.0)

    def body(ll, t, rid, is_err, cold):
        if is_err:
            pages, dpi, mb = rng.randint(38, 64), 300, rng.uniform(28, 60)
            key = f"stat310-final/{rng.randint(100000, 999999)}/script.pdf"
        else:
            pages, dpi, mb = rng.randint(1, 18), rng.choice([150, 150, 200]), rng.uniform(0.2, 6)
            key = f"{rng.choice(['eng102', 'bio220', 'stat310-ps', 'hist115'])}/{rng.randint(100000, 999999)}/{rng.choice(['essay', 'lab', 'ps'])}.pdf"
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"rendering s3://exam-uploads-prod/{key} ({pages} pages, {dpi} dpi, {mb:.1f} MB)"))]
        if rng.random() < 0.08:
            lines.append((0.2, ll.fmt(t + 0.2, rid, "WARNING", "PdfReadWarning: Xref table not zero-indexed. ID numbers for "
                                                             "objects will be corrected.")))
        if is_err:
            d = rng.uniform(6000, 14000)
            lines.append((d / 1000 * 0.6, ll.fmt(t + d / 1000 * 0.6, rid, "INFO", f"rasterized {int(pages * 0.6)}/{pages} pages "
                                                                               "into page cache")))
            lines.append((d / 1000 - 0.01, "Error: Runtime exited with error: signal: killed\nRuntime.ExitError"))
            return {"lines": lines, "dur": d, "status": "error", "error_type": "Runtime.OutOfMemory", "mem": 1024}
        d = rng.uniform(800, 4500)
        lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000, rid, "INFO", f"preview ready: {pages} thumbnails, "
                                                                    f"first page {rng.randint(90, 400)} KB")))
        return {"lines": lines, "dur": d, "mem": int(min(1000, 180 + pages * 18 * dpi / 150 + rng.uniform(0, 120)))}

    ll = LambdaLogs(sc, fn, "python3.12", 1024, 30, mem_used=(400, 80), prewarm=-8700)
    ll.run(counts_per_minute(m["inv"], -9000, 0), counts_per_minute(m["err"], -9000, 0), body)
    ol = LambdaLogs(sc, other, "nodejs20.x", 256, 10, mem_used=(71, 4), retire=[-2460], prewarm=-8700)
    ol.run(counts_per_minute(o["inv"], -9000, 0), {}, lambda ll, t, rid, e, c: {
        "lines": [(0.01, ll.fmt(t, rid, "INFO", f"thumbnail cache hit ratio={rng.uniform(0.7, 0.95):.2f}"))], "dur": rng.gauss(45, 8)})
    sc.change(-18900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gh-actions-preview")
    sc.change(-2460, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", other, "ops-frossi")
    sc.alarm("doc-preview-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Document preview failures")
    sc.alarm("doc-preview-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1, 25, "GreaterThanThreshold")
    expect(sc, "doc-preview-5xx", "memory_exhaustion", [fn],
           [("AWS/ApiGateway", "5XXError", {"ApiName": api}), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta(sc, position="front (API Gateway); origin is the Lambda", services="API Gateway, Lambda",
         runtime="Python 3.12 Lambda (+ Node.js decoy)", logfmt="Lambda plain text",
         decoys="reserved-concurrency change on thumb-cache 1 min before onset; PdfReadWarning lines and 4XX all evening",
         story="""doc-preview (API Gateway) calls submission-render, which rasterises uploaded PDFs. From -40 min
         students of the STAT310 take-home final upload scanned scripts (38-64 pages at 300 dpi, 28-60 MB); about a
         third of invocations now log progress part-way and end with `Runtime exited with error: signal: killed`, their
         REPORT lines showing `Max Memory Used: 1024 MB` of 1024 and `Error Type: Runtime.OutOfMemory`, while normal
         uploads still render in 1-4 s using 200-730 MB. The API returns 5xx for exactly these. Nothing changed on
         submission-render (last deploy 5 h earlier); the PutFunctionConcurrency on thumb-cache a minute before onset
         touches another function that keeps working; the PdfReadWarning lines and the 4XX rate are unchanged.""")
    return sc


BUILDERS = [build_15, build_16]
