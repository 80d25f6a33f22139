"""h83-07 (deadline auto-submit against a concurrency-capped originality indexer) and h83-08
(bulk transcript run exhausting the PDF service's heap)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, spring
from benchmarks.holdout83_gen.kit import (Sc, alb_set, apigw_set, counts_per_minute, ecs_set, emit,
                                          expect, lambda_set, load, meta)


def build_07() -> Sc:
    sc = Sc(7, "finalize-errors", "Submission receipts missing for a large share of essays after the 18:00 "
            "deadline; submission-finalize Errors alarm fired.", "sa-east-1", 8307, "2026-05-26T18:20:00")
    rng = sc.rng
    caller, idx, api = "submission-finalize", "originality-index", "submissions-api"
    sc.resource("lambda", caller, runtime="nodejs20.x", memory_size=512, timeout=30)
    sc.resource("lambda", idx, runtime="python3.12", memory_size=2048, timeout=120, reserved_concurrency=10)
    sc.resource("apigateway", api, stage="v1", endpoint_type="REGIONAL")
    L = lambda t: load(sc, t, peak=19.0, amp=0.3, rush_amp=0.8)  # noqa: E731
    close = -1260  # the 18:00 deadline closes; the LMS auto-submits every remaining draft
    auto = lambda t: 56.0 * ramp(t, close, close + 90)  # noqa: E731
    demand = lambda t: 8 * L(t) + auto(t)  # noqa: E731
    cap = 10 * 60 / 14.0
    over = lambda t: max(0.0, demand(t) - cap)  # noqa: E731
    c = lambda_set(sc, caller, demand, lambda t: 14600 * (1 - over(t) / demand(t)) + 1300 * over(t) / demand(t),
                   err_p=lambda t: 0.8 * over(t) / demand(t))
    ix = lambda_set(sc, idx, lambda t: min(demand(t), cap * 0.97), lambda t: 14000.0, thr=lambda t: 2.3 * over(t),
                    conc_cap=10, inv_cap=43.0)
    student = lambda t: 8 * L(t)  # noqa: E731
    apigw_set(sc, api, student, lambda t: 14700.0 if not over(t) else 9000.0,
              e5=lambda t: 0.8 * over(t) * student(t) / demand(t), integ=lambda t: 14650.0 if not over(t) else 8950.0)
    assign = {"LIT200-E3": "Final essay", "HIS114-P2": "Research paper", "ECO101-PS9": "Problem set 9"}

    def cbody(ll, t, rid, is_err, cold):
        src = "deadline-autosubmit" if rng.random() < auto(t) / demand(t) else "student"
        a = "LIT200-E3" if src != "student" else rng.choice(list(assign))
        sub = f"sub_{rng.randint(7000000, 7999999)}"
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"finalizing {sub} assignment={a} source={src}"))]
        if is_err:
            err = {"errorType": "TooManyRequestsException", "errorMessage": "Rate Exceeded.",
                   "name": "TooManyRequestsException", "$fault": "client",
                   "$metadata": {"httpStatusCode": 429, "requestId": sc.uuid(), "attempts": 3, "totalRetryDelay": rng.randint(900, 1400)},
                   "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded", "Type": "User"}
            lines.append((1.25, ll.fmt(t + 1.25, rid, "ERROR", "Invoke Error \t" + json.dumps(err, separators=(",", ":")))))
            return {"lines": lines, "dur": rng.gauss(1300, 150)}
        dur = rng.gauss(14600, 1800)
        lines.append((dur / 1000 - 0.02, ll.fmt(t + dur / 1000, rid, "INFO", f"{sub} finalized; originality "
                                                                      f"score={rng.uniform(0, 0.3):.2f} receipt sent")))
        return {"lines": lines, "dur": dur}

    cl = LambdaLogs(sc, caller, "nodejs20.x", 512, 30, mem_used=(104, 8), retire=[-3600], prewarm=-6900)
    cl.run(counts_per_minute(c["inv"], -7200, 0), counts_per_minute(c["err"], -7200, 0), cbody)

    def ibody(ll, t, rid, is_err, cold):
        sub = f"sub_{rng.randint(7000000, 7999999)}"
        lines = []
        if rng.random() < 0.07:
            lines.append((0.2, ll.fmt(t + 0.2, rid, "WARNING", f"langdetect failed for {sub}, defaulting to 'en'")))
        dur = rng.gauss(14000, 1500)
        lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "INFO", f"indexed {sub}: {rng.randint(800, 4200)} "
                                                                        f"tokens, {rng.randint(0, 40)} candidate matches")))
        return {"lines": lines, "dur": dur}

    il = LambdaLogs(sc, idx, "python3.12", 2048, 120, mem_used=(690, 60), max_envs=10, prewarm=-6900)
    il.run(counts_per_minute(ix["inv"], -7200, 0), {}, ibody)
    sc.change(-3610, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", caller, "gh-actions-submissions")
    sc.change(-1380, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/v1", "r.silva")
    sc.change(-1370, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "r.silva")
    sc.alarm("submission-finalize-errors", "AWS/Lambda", "Errors", {"FunctionName": caller}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Submission finalization failing")
    sc.alarm("submissions-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 25, "GreaterThanThreshold")
    expect(sc, "submission-finalize-errors", "throttling", [idx],
           [("AWS/Lambda", "Throttles", {"FunctionName": idx}), ("AWS/Lambda", "Errors", {"FunctionName": caller})])
    meta(sc, position="front (calling Lambda); origin is the throttled Lambda", services="Lambda, API Gateway",
         runtime="Node.js 20 + Python 3.12 Lambdas", logfmt="Lambda plain text with JSON error",
         decoys="API stage update + deployment 2 min before onset; caller deployed 40 min before; langdetect warnings all day",
         story="""submission-finalize (Node.js) calls originality-index (Python, reserved concurrency 10, ~14 s per
         call) synchronously for each submission. When the 18:00 deadline closes (-21 min) the LMS auto-submits every
         remaining draft of the LIT200 final essay, adding ~56 finalizations a minute to the usual 8-15.
         originality-index's ConcurrentExecutions flatten at exactly 10, its Throttles metric, zero all afternoon,
         jumps to 30-60 a minute, and submission-finalize fails with `TooManyRequestsException: Rate Exceeded`
         (`Reason: ReservedFunctionConcurrentInvocationLimitExceeded`) after its retries. The UpdateStage and
         CreateDeployment on submissions-api two minutes earlier are nearer the onset, but the API's 4XX count
         (where stage throttling would show) never moves and the failing calls are Lambda-to-Lambda; the caller's
         own deployment was 40 quiet minutes before.""",
         note="""h83-07 is throttling, not traffic_surge: the extra volume is an expected deadline auto-submit and the
         fault is the function's concurrency cap (ConcurrentExecutions flat at the reserved 10, Throttles > 0); the
         table's more specific trigger wins.""")
    return sc


def build_08() -> Sc:
    sc = Sc(8, "records-web-502", "Registrar staff get 502 Bad Gateway from the records portal; records-web ELB "
            "5XX alarm fired.", "eu-west-2", 8308, "2026-05-27T11:40:00")
    rng = sc.rng
    lb = "app/records-web/5d0e6a13c8f24b97"
    svc, other = "registry/transcript-pdf", "registry/enrolment-api"
    sc.resource("alb", lb, name="records-web", scheme="internal", target_type="ip")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
                java_opts="-Xmx1536m -XX:+ExitOnOutOfMemoryError", image="registry/transcript-pdf:2.8.1")
    sc.resource("ecs", other, launch_type="FARGATE", desired_count=2, cpu=512, memory=1024)
    L = lambda t: load(sc, t, peak=11.0, amp=0.2, rush_amp=0.2)  # noqa: E731
    batch, first = -3000, -2100
    kills = []
    t, slot = first, 0
    while t < -30:
        kills.append((t, slot))
        t += rng.uniform(200, 270)
        slot = (slot + 1) % 4
    recent = lambda t, w: sum(1 for k, _ in kills if k <= t < k + w)  # noqa: E731
    running = lambda t: 4.0 - recent(t, 60)  # noqa: E731
    alb_set(sc, lb, lambda t: 60 * L(t) + 12 * ramp(t, batch, batch + 120), lambda t: 0.7 * L(t) + 1.6 * ramp(t, batch, first),
            t5=lambda t: 0.2 + 2.5 * recent(t - 60, 120), e5=lambda t: 16.0 * recent(t, 60) + 3.0 * recent(t - 60, 60),
            healthy=lambda t: 4.0 - recent(t, 100), unhealthy=lambda t: float(recent(t, 100)))
    ecs_set(sc, "registry", "transcript-pdf", lambda t: 24 * L(t) + 30 * ramp(t, batch, first),
            lambda t: 55 + 39 * ramp(t, batch, first) - 9 * recent(t, 150), tasks=running)
    dep = -2220
    ecs_set(sc, "registry", "enrolment-api", lambda t: 18 * L(t) + 20 * ramp(t, dep, dep + 60) * (1 - ramp(t, dep + 240, dep + 420)),
            lambda t: 41.0, tasks=lambda t: 2.0 + (dep + 30 <= t < dep + 300))
    grp = "/ecs/transcript-pdf"
    lives = []
    for s in range(4):
        ends = sorted(k for k, sl in kills if sl == s)
        begin = -21600
        for e in ends + [0]:
            lives.append((s, begin, e))
            begin = e + 45
    done = [0]
    for s, b, e in lives:
        stream = f"app/transcript-pdf/{sc.hexid(32)}"
        if b > -21600:
            for dt, msg in [(0, "Starting TranscriptPdfApplication v2.8.1 using Java 17.0.11 with PID 1"),
                            (17.8, "Started TranscriptPdfApplication in 17.42 seconds (process running for 18.1)")]:
                sc.log(grp, stream, b + dt, spring(sc, b + dt, "INFO", "main", "e.l.r.TranscriptPdfApplication", msg, "transcript-pdf"))
            sc.log(grp, stream, b + 21, spring(sc, b + 21, "INFO", "batch-1", "e.l.r.batch.BatchRunner",
                                               f"batch tb-7781 resumed from checkpoint {min(3100, 300 + done[0] * 90)}/3100", "transcript-pdf"))
            done[0] += 1
        lo = max(b + 20, -21600)
        emit(sc, lo, e - 3, lambda mm: 0.6 * L(mm), lambda t, st=stream: sc.log(grp, st, t, spring(
            sc, t, "INFO", f"http-nio-8080-exec-{rng.randint(1, 20)}", "e.l.r.web.TranscriptController",
            f"rendered transcript for student {rng.randint(2100000, 2299999)} ({rng.randint(2, 6)} pages) in "
            f"{rng.randint(300, 900)} ms", "transcript-pdf")))
        emit(sc, lo, e - 3, 0.35, lambda t, st=stream: sc.log(grp, st, t, spring(
            sc, t, "WARN", f"http-nio-8080-exec-{rng.randint(1, 20)}", "o.a.pdfbox.pdmodel.font.PDType1Font",
            "No glyph for U+2010 (hyphen) in font Helvetica, using fallback", "transcript-pdf")))
        emit(sc, max(lo, batch + 60), e - 3, 1.2, lambda t, st=stream: sc.log(grp, st, t, spring(
            sc, t, "INFO", "batch-1", "e.l.r.batch.BatchRunner",
            f"batch tb-7781: rendered {rng.randint(20, 60)} transcripts into in-memory bundle (bundle size "
            f"{rng.randint(300, 1400)} MB)", "transcript-pdf")))
        if e < 0 and e > first - 1:
            sc.log(grp, stream, e - 9, spring(sc, e - 9, "WARN", "batch-1", "e.l.r.batch.BatchRunner",
                                              "heap usage 96% after full GC (old gen 1462/1536 MB)", "transcript-pdf"))
            sc.log(grp, stream, e - 2.4, spring(
                sc, e - 2.4, "ERROR", f"http-nio-8080-exec-{rng.randint(1, 20)}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                "Servlet.service() for servlet [dispatcherServlet] threw exception\njava.lang.OutOfMemoryError: Java heap space\n"
                "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)\n\tat java.base/java.io.ByteArrayOutputStream.ensureCapacity"
                "(ByteArrayOutputStream.java:100)\n\tat org.apache.pdfbox.pdmodel.PDDocument.save(PDDocument.java:1331)",
                "transcript-pdf"))
            sc.log(grp, stream, e - 0.3, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
    og = "/ecs/enrolment-api"
    o1, o2 = f"api/enrolment-api/{sc.hexid(32)}", f"api/enrolment-api/{sc.hexid(32)}"
    emit(sc, -21600, dep + 60, 0.8, lambda t: sc.log(og, o1, t, spring(
        sc, t, "INFO", f"http-nio-8080-exec-{rng.randint(1, 20)}", "e.l.e.web.EnrolmentController",
        f"GET /enrolments?student={rng.randint(2100000, 2299999)} 200 {rng.randint(12, 80)} ms", "enrolment-api")))
    sc.log(og, o2, dep + 40, spring(sc, dep + 40, "INFO", "main", "e.l.e.EnrolmentApiApplication",
                                    "Started EnrolmentApiApplication in 9.87 seconds (process running for 10.4)", "enrolment-api"))
    emit(sc, dep + 45, 0, 0.8, lambda t: sc.log(og, o2, t, spring(
        sc, t, "INFO", f"http-nio-8080-exec-{rng.randint(1, 20)}", "e.l.e.web.EnrolmentController",
        f"GET /enrolments?student={rng.randint(2100000, 2299999)} 200 {rng.randint(12, 80)} ms", "enrolment-api")))
    first_stream = next(k for k in sc.logs if k[0] == grp)
    sc.log(grp, first_stream[1], batch + 4, spring(sc, batch + 4, "INFO", "http-nio-8080-exec-3", "e.l.r.batch.BatchController",
                                                   "batch tb-7781 accepted: cohort=2026-graduates, 3100 transcripts, "
                                                   "requested by registrar.admin", "transcript-pdf"))
    sc.change(-16500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "codepipeline-registry")
    sc.change(dep - 10, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "enrolment-api:57", "codepipeline-registry")
    sc.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", other, "codepipeline-registry")
    dims = {"LoadBalancer": lb}
    sc.alarm("records-web-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Records portal 502/503/504")
    sc.alarm("records-web-latency", "AWS/ApplicationELB", "TargetResponseTime", dims, "Average", 300, 2, 4.0,
             "GreaterThanThreshold")
    expect(sc, "records-web-elb-5xx", "memory_exhaustion", [svc, "transcript-pdf"],
           [("AWS/ECS", "MemoryUtilization", {"ClusterName": "registry", "ServiceName": "transcript-pdf"}),
            ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims)])
    meta(sc, position="front (ALB); origin is the ECS service", services="ALB, ECS",
         runtime="Java 17 (Spring Boot) on ECS", logfmt="Spring Boot plain text",
         decoys="enrolment-api deployment 2 min before the first crash; PDFBox glyph warnings all day",
         story="""At -50 min the registrar starts batch tb-7781 (3,100 graduate transcripts) on transcript-pdf, which
         renders them into an in-memory bundle. The service's MemoryUtilization climbs from ~55 % to the mid-90s over
         15 minutes; from -35 min on, a task dies every four minutes or so after `heap usage 96% after full GC`,
         `java.lang.OutOfMemoryError: Java heap space` and `Terminating due to java.lang.OutOfMemoryError` (the tasks
         run with ExitOnOutOfMemoryError), a replacement starts and resumes the batch from its checkpoint, and each
         crash leaves the ALB with an unhealthy target and a burst of 502s. enrolment-api's deployment at -37 min is
         the change nearest the first crash, but that service's logs and metrics are clean and it is not behind the
         failing target group; the PDFBox glyph warnings are there all day.""")
    return sc


BUILDERS = [build_07, build_08]
