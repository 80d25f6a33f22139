"""h83-11 (grade passback Lambda after an environment edit) and h83-12 (proctoring ingest panics on
a new event payload)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, zap
from benchmarks.holdout83_gen.kit import (Sc, alb_set, counts_per_minute, ecs_set, emit, expect, lambda_set,
                                          load, meta, monolog, rds_set)


def build_11() -> Sc:
    sc = Sc(11, "passback-errors", "Grades released by tutors are not showing in the partner LMS; "
            "lti-grade-passback Errors alarm fired.", "eu-west-3", 8311, "2026-06-01T15:35:00")
    rng = sc.rng
    fn, other = "lti-grade-passback", "gradebook-sync"
    sc.resource("lambda", fn, runtime="provided.al2023", memory_size=512, timeout=28,
                layers=["arn:aws:lambda:eu-west-3:534081306603:layer:php-83:41"], handler="public/passback.php")
    sc.resource("lambda", other, runtime="python3.12", memory_size=512, timeout=60)
    L = lambda t: load(sc, t, peak=15.0, amp=0.3, rush_amp=0.5)  # noqa: E731
    edit = -2280
    m = lambda_set(sc, fn, lambda t: 9 * L(t), lambda t: 640.0 if t < edit else 55.0,
                   err_p=lambda t: 1.0 if t >= edit + 20 else 0.0)
    g = lambda_set(sc, other, lambda t: 2.0 * L(t), lambda t: 2300.0)

    def body(ll, t, rid, is_err, cold):
        li = rng.randint(8000, 9999)
        lines = []
        lines.append((0.003, monolog(sc, t, "passback", "INFO", f"posting score for lineitem {li}",
                                     json.dumps({"context": f"course-{rng.randint(100, 999)}", "user": sc.hexid(12)}))))
        if is_err:
            lines.append((0.03, "Fatal error: Uncaught RuntimeException: Missing required setting LTI_PLATFORM_TOKEN_URL "
                                "(check the function environment) in /var/task/src/Lti/PlatformConfig.php:42\nStack trace:\n"
                                "#0 /var/task/src/Lti/AgsClient.php(31): App\\Lti\\PlatformConfig->require('LTI_PLATFORM_TO...')\n"
                                "#1 /var/task/public/passback.php(19): App\\Lti\\AgsClient->__construct(Object(App\\Lti\\PlatformConfig))\n"
                                "#2 {main}\n  thrown in /var/task/src/Lti/PlatformConfig.php on line 42"))
            lines.append((0.035, json.dumps({"errorType": "RuntimeException", "errorMessage":
                                             "Missing required setting LTI_PLATFORM_TOKEN_URL (check the function environment)",
                                             "stack": ["#0 /var/task/src/Lti/AgsClient.php(31)", "#1 /var/task/public/passback.php(19)"]})))
            return {"lines": lines, "dur": rng.gauss(55, 8)}
        dur = rng.gauss(640, 120)
        if rng.random() < 0.06:
            lines.append((dur / 1000 - 0.01, monolog(sc, t + dur / 1000, "passback", "WARNING",
                                                     f"AGS score rejected by platform: 422 scoreGiven ({rng.randint(101, 120)}.0) "
                                                     f"exceeds scoreMaximum (100.0) for lineitem {li}")))
        else:
            lines.append((dur / 1000 - 0.01, monolog(sc, t + dur / 1000, "passback", "INFO",
                                                     f"score accepted by platform (200) for lineitem {li}")))
        return {"lines": lines, "dur": dur}

    ll = LambdaLogs(sc, fn, "provided.al2023", 512, 28, mem_used=(92, 6), retire=[edit], prewarm=-8700)
    ll.run(counts_per_minute(m["inv"], -9000, 0), counts_per_minute(m["err"], -9000, 0), body)
    gl = LambdaLogs(sc, other, "python3.12", 512, 60, mem_used=(160, 10), retire=[-2160], prewarm=-8700)
    gl.run(counts_per_minute(g["inv"], -9000, 0), {}, lambda ll, t, rid, e, c: {
        "lines": [(0.1, ll.fmt(t, rid, "INFO", f"synced {rng.randint(20, 400)} grade rows for course-{rng.randint(100, 999)}"))],
        "dur": rng.gauss(2300, 300)})
    sc.change(-16800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gitlab-ci-lti")
    sc.change(edit, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn,
              "AWSReservedSSO_LMSAdmin_0d6e2a9c4b7f1358/a.dubois")
    sc.change(-2160, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "gitlab-ci-gradebook")
    sc.change(-2150, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", other, "gitlab-ci-gradebook")
    sc.alarm("lti-grade-passback-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "Grade passback failing")
    expect(sc, "lti-grade-passback-errors", "config_change", [fn], [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta(sc, position="origin (the Lambda)", services="Lambda", runtime="PHP 8.3 (Bref) Lambda",
         logfmt="Monolog line format, PHP fatal, JSON error",
         decoys="gradebook-sync code deploy 2 min later, nearer the alarm; 422 score rejections all day",
         story="""lti-grade-passback (PHP on Bref) posts released grades to the partner LMS. At -38 min an administrator
         updates its configuration (UpdateFunctionConfiguration); the environments restart and from then on every
         invocation dies in 55 ms with `Fatal error: Uncaught RuntimeException: Missing required setting
         LTI_PLATFORM_TOKEN_URL (check the function environment)`. There is no code change to this function in the
         window (its last deploy was 4.7 hours earlier). gradebook-sync's deploy two minutes later is nearer the
         alarm but is another function whose logs stay clean; the 422 'scoreGiven exceeds scoreMaximum' warnings are
         tutors' data and appear all day.""")
    return sc


def build_12() -> Sc:
    sc = Sc(12, "proctor-events-5xx", "Lockdown browser shows 'connection to proctoring lost' for some students "
            "in the 13:00 exam; proctor-events 5xx alarm fired.", "us-west-1", 8312, "2026-06-02T13:25:00")
    rng = sc.rng
    lb = "app/proctor-events/2e7b90c3f1a5d468"
    svc = "assess/proctor-ingest"
    sc.resource("alb", lb, name="proctor-events", scheme="internet-facing", target_type="ip")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=5, cpu=1024, memory=2048,
                image="assess/proctor-ingest:1.19.4", language="Go 1.22")
    sc.resource("rds", "proctor-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                max_connections=800, allocated_storage_gb=300)
    sc.resource("rds", "reporting-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
                max_connections=1000, allocated_storage_gb=800)
    starts = [-12300, -5100, -1500]  # exam blocks at 11:00, 12:00 (two courses) and 13:00
    ex = lambda t: sum(0.7 * ramp(t, s - 90, s + 60) * (1 - ramp(t, s + 3300, s + 3500)) for s in starts)  # noqa: E731
    L = lambda t: load(sc, t, peak=13.0, amp=0.2, rush_amp=0.2) * (1 + ex(t))  # noqa: E731
    onset = -1500
    calc = lambda t: 0.16 * ramp(t, onset, onset + 60)  # noqa: E731
    alb_set(sc, lb, lambda t: 800 * L(t), lambda t: 0.03 * L(t) ** 0.3, t5=lambda t: 800 * L(t) * calc(t) + 0.2,
            healthy=lambda t: 5.0)
    ecs_set(sc, "assess", "proctor-ingest", lambda t: 14 * L(t), lambda t: 37.0, tasks=lambda t: 5.0)
    rds_set(sc, "proctor-pg", lambda t: 12 * L(t), lambda t: 60 + 4 * L(t), lambda t: 214.0 - (t + 21600) * 2e-5,
            mem_gb=lambda t: 7.1)
    rds_set(sc, "reporting-pg", lambda t: 18.0, lambda t: 35.0, lambda t: 502.0, mem_gb=lambda t: 19.0)
    grp = "/ecs/proctor-ingest"
    for k in range(2):
        stream = f"ingest/proctor-ingest/{sc.hexid(32)}"

        def ok(t, stream=stream):
            exam = rng.choice(["MATH221-FINAL", "PHYS150-MID", "CHEM110-Q4"] if t >= onset else
                              ["PHYS150-MID", "CHEM110-Q4", "BIO101-Q3"])
            sc.log(grp, stream, t, zap(sc, t, "info", "event batch stored", "ingest/handler.go:88", exam=exam,
                                       events=rng.randint(4, 30), latency_ms=rng.randint(3, 25)))
        emit(sc, -21600, 0, lambda mm: 1.6 * L(mm) / 1.5, ok)
        emit(sc, -21600, 0, 1.0, lambda t, stream=stream: sc.log(grp, stream, t, zap(
            sc, t, "error", "websocket closed", "ingest/ws.go:141", session=sc.hexid(16),
            error="websocket: close 1006 (abnormal closure): unexpected EOF")))

        def panic(t, stream=stream):
            port = rng.randint(30000, 65000)
            sc.log(grp, stream, t, (
                f"{sc.at(t).strftime('%Y/%m/%d %H:%M:%S')} http: panic serving {sc.ip('10.31')}:{port}: runtime error: "
                "invalid memory address or nil pointer dereference\ngoroutine "
                f"{rng.randint(100000, 999999)} [running]:\nnet/http.(*conn).serve.func1()\n\t/usr/local/go/src/net/http/"
                "server.go:1898 +0xbe\npanic({0x9b5e20?, 0x10f7c90?})\n\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
                "github.com/uni-assess/proctor-ingest/ingest.frameMeta(...)\n\t/src/ingest/decode.go:57\n"
                "github.com/uni-assess/proctor-ingest/ingest.(*Handler).decodeEvent(0xc0001b2a80, {0xc00a41e000, 0x2f1, 0x2f1})\n"
                "\t/src/ingest/decode.go:112 +0x1a4"))
            sc.log(grp, stream, t + 0.001, zap(sc, t + 0.001, "warn", "event type without frame metadata",
                                               "ingest/decode.go:104", exam="MATH221-FINAL", type="calc_state"))
        emit(sc, onset, 0, lambda mm: 3.0 * calc(mm) / 0.16, panic)
        if k == 0:
            for s in starts:
                sc.log(grp, stream, s + 20, zap(sc, s + 20, "info", "exam session window opened", "ingest/sessions.go:40",
                                                exam={-12300: "PHYS150-MID", -5100: "CHEM110-Q4", -1500: "MATH221-FINAL"}[s]))
    sc.change(-19020, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "buildkite-assess")
    sc.change(-1620, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "reporting-pg16-params",
              "dba-hnguyen")
    dims = {"LoadBalancer": lb}
    sc.alarm("proctor-events-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Proctoring ingest 5xx")
    sc.alarm("proctor-ingest-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "assess", "ServiceName": "proctor-ingest"},
             "Average", 300, 2, 75, "GreaterThanThreshold")
    expect(sc, "proctor-events-target-5xx", "application_error", [svc, "proctor-ingest"],
           [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)])
    meta(sc, position="front (ALB); origin is the ECS service", services="ALB, ECS, RDS PostgreSQL",
         runtime="Go 1.22 on ECS", logfmt="zap JSON + Go panic traces",
         decoys="parameter-group change on reporting-pg 2 min before onset; exam-start traffic bumps at 11:00 and 12:00; websocket 1006 errors all day; service deploy 5 h earlier",
         story="""proctor-ingest (Go, ECS) stores lockdown-browser telemetry. When the MATH221 final opens at 13:00
         (-25 min) about one request in six starts failing with `http: panic serving ...: runtime error: invalid memory
         address or nil pointer dereference` in `ingest.frameMeta` (decode.go:57), each followed by `event type without
         frame metadata` for MATH221's `calc_state` events — a payload no earlier exam sent. Traffic rises at 13:00
         exactly as it did at the 11:00 and 12:00 exam starts without errors; CPU, memory and proctor-pg are normal.
         The last change to the service was a deploy five hours earlier; the parameter-group change two minutes
         before onset is on reporting-pg, which this service does not use; the websocket 1006 errors run all day.""",
         note="""h83-12 is application_error: the panics are new, but the only preceding change to the service is five
         hours old and nothing it depends on is faulty; the trigger is a new kind of input.""")
    return sc


BUILDERS = [build_11, build_12]
