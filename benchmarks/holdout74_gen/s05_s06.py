"""05: scan fan-out Lambda errors, the downstream dimensioning function pinned at its reserved
concurrency (Go caller, Python callee, ap-southeast-2).
06: shipment tracking API 5xx after an ECS task-definition rollout (Java/Spring, ap-northeast-1)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, spring

from .kit import S, alb_metrics, ecs_metrics, emit, every, lam_metrics, lambda_logs, pick, shift_load


def build05() -> S:
    sc = S(5, "scan-fanout-errors", "Sortation lines at the Sydney depot report parcels routed to the "
           "exception chute; the scan-fanout Errors alarm paged.", "ap-southeast-2", 7405,
           "2026-03-12T22:44:00+00:00", front="front (caller Lambda)",
           decoys="configuration update on manifest-close 5 min before onset; evening wave with no throttles; "
           "steady unknown-symbology and low-confidence warnings")
    fn, dims, other = "scan-fanout", "parcel-dims", "manifest-close"
    limit = 20
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=10, memory_size=256, architecture="arm64")
    sc.resource("lambda", dims, runtime="python3.12", timeout=10, memory_size=1024, reserved_concurrency=limit)
    sc.resource("lambda", other, runtime="python3.12", timeout=120, memory_size=512)
    wave = lambda t: 1.0 + 0.42 * (shift_load(sc, t, starts=(18.0,), width=0.7) - 1) + \
        1.25 * ramp(t, -2640, -1440)  # the 22:00 wave builds and stays up
    want = lambda t: 560 * wave(t)              # parcel-dims calls the sorters want a minute
    dur_ms = 1150.0
    cap = limit * 60000 / dur_ms * 0.97          # what 20 environments can serve a minute
    served = lambda t: min(want(t), cap)
    thr = lambda t: max(0.0, want(t) - cap)
    v = lam_metrics(sc, fn, inv=want, err=lambda t: thr(t) * 0.93, dur=lambda t: 1260 + 40 * (thr(t) > 0))
    vd = lam_metrics(sc, dims, inv=served, err=lambda t: 0.0, dur=lambda t: dur_ms, thr=thr, conc_cap=float(limit))
    vo = lam_metrics(sc, other, inv=lambda t: 3.0, err=lambda t: 0.0, dur=lambda t: 8200.0)

    def slog(t, level, msg, **kw):
        return jline({"time": sc.iso(t), "level": level, "msg": msg, **kw})

    def body(ll, t, rid, is_err, cold):
        lines = [(0.002, slog(t, "INFO", "scan received", sorter=pick(sc, ["SYD-S1", "SYD-S2", "SYD-S3"]),
                                 barcode=f"AP{sc.rng.randint(10 ** 9, 10 ** 10)}", request_id=rid))]
        if sc.rng.random() < 0.06:
            lines.append((0.004, slog(t, "WARN", "unknown barcode symbology, falling back to OCR", symbology="DM-ECC140",
                                      request_id=rid)))
        if is_err:
            lines.append((0.03, slog(t + 0.03, "ERROR", "dims lookup failed, routing to exception chute", request_id=rid,
                                     err=f"operation error Lambda: Invoke, https response error StatusCode: 429, "
                                         f"RequestID: {sc.uuid()}, TooManyRequestsException: Rate Exceeded.")))
            return {"dur": sc.rng.uniform(25, 60), "lines": lines}
        lines.append((1.2, slog(t + 1.2, "INFO", "routed", chute=sc.rng.randint(1, 96), dims_ms=sc.rng.randint(900, 1400),
                                request_id=rid)))
        return {"dur": sc.rng.uniform(1100, 1450), "lines": lines}

    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 10, prewarm=-17400, mem_used=(38, 3))
    lambda_logs(sc, ll, v, body, per_min=2.5)

    def bodyd(lld, t, rid, is_err, cold):
        lines = [(0.01, lld.fmt(t, rid, "INFO", f"estimating dims from {pick(sc, ['2', '3', '4'])} camera frames"))]
        if sc.rng.random() < 0.08:
            lines.append((0.9, lld.fmt(t + 0.9, rid, "WARNING", f"low-confidence dimension estimate "
                                                                f"(score={sc.rng.uniform(0.41, 0.59):.2f}); flagging for audit")))
        lines.append((1.05, lld.fmt(t + 1.05, rid, "INFO", f"dims={sc.rng.randint(10, 80)}x{sc.rng.randint(10, 60)}x"
                                                           f"{sc.rng.randint(5, 50)}cm vol_weight={sc.rng.uniform(0.2, 14):.2f}kg")))
        return {"dur": sc.rng.uniform(1000, 1300), "lines": lines}
    lld = LambdaLogs(sc, dims, "python3.12", 1024, 10, prewarm=-17400, mem_used=(310, 25), max_envs=limit)
    lambda_logs(sc, lld, vd, bodyd, per_min=2.0)

    def bodyo(llo, t, rid, is_err, cold):
        return {"dur": sc.rng.uniform(6000, 11000),
                "lines": [(0.05, llo.fmt(t, rid, "INFO", f"closed manifest MF-{sc.rng.randint(10 ** 5, 10 ** 6)} "
                                                         f"with {sc.rng.randint(40, 400)} consignments"))]}
    llo = LambdaLogs(sc, other, "python3.12", 512, 120, prewarm=-17400, retire=(-2160,))
    lambda_logs(sc, llo, vo, bodyo, per_min=0.5)
    sc.change(-2160, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              other, "sam-deploy-manifest")
    sc.change(-19500, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", dims,
              "tom.nguyen")
    sc.alarm("scan-fanout-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Sortation fan-out failing scans")
    sc.alarm("parcel-dims-throttles", "AWS/Lambda", "Throttles", {"FunctionName": dims}, "Sum", 60, 3, 5,
             "GreaterThanThreshold")
    sc.expect_rc("scan-fanout-errors", "throttling", [dims],
                 [("AWS/Lambda", "Throttles", {"FunctionName": dims}), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta["story"] = (
        "parcel-dims has reserved concurrency 20 (set six hours ago, long before anything went wrong). The "
        "22:00 sortation wave asks for about 1,200 dimension look-ups a minute, more than 20 environments at "
        "~1.15 s each can serve: ConcurrentExecutions flattens at 20, Throttles climb, and the Go caller "
        "logs `TooManyRequestsException: Rate Exceeded.` (HTTP 429) for the scans it routes to the exception "
        "chute. The 18:00 wave peaked around 16 concurrent with no throttles. manifest-close's configuration "
        "update five minutes before the onset is unrelated; the symbology and low-confidence warnings are "
        "steady all evening.")
    sc.meta["judgement"] = ("Volume is about twice the quiet level and 40 % above the previous wave, so a reader could "
                            "say traffic_surge; but the fault that turns load into errors is the concurrency limit, "
                            "which is what the throttling category names. Origin is the throttled function, not the caller.")
    return sc


def build06() -> S:
    sc = S(6, "tracking-api-5xx", "Customers see 'tracking unavailable' for some parcels; the tracking "
           "ALB target 5xx alarm fired.", "ap-northeast-1", 7406, "2026-03-13T01:30:00+00:00",
           front="front (ALB)", decoys="SSM parameter change for eta-notifier 100 s before onset; steady "
           "carrier 404 warnings and deadlock retries")
    lb, cl, svc, other = "app/track-pub-alb/0c5e8a13f7d92b46", "logi-apac", "tracking-svc", "eta-notifier"
    deploy, onset = -2700, -2520
    sc.resource("alb", lb, name="track-pub-alb", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3, cpu=2048, memory=4096,
                task_definition="tracking-svc:112")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024)
    load = lambda t: shift_load(sc, t, starts=(0.0,), height=0.7, width=1.2)
    new = lambda t: ramp(t, deploy + 60, onset + 60)
    req = lambda t: 900 * load(t)
    alb_metrics(sc, lb, req=req, t5xx=lambda t: 0.3 + 0.085 * req(t) * new(t),
                rt=lambda t: 0.062 * load(t) ** 0.3, healthy=lambda t: 3.0,
                unhealthy=lambda t: 0.0, t4xx=lambda t: 0.02 * req(t))
    ecs_metrics(sc, cl, svc, cpu=lambda t: 31 * load(t) + (18 if deploy + 30 <= t < deploy + 240 else 0),
                mem=lambda t: 58.0 - 6 * new(t), running=lambda t: 6.0 if deploy + 30 <= t < deploy + 240 else 3.0)
    ecs_metrics(sc, cl, other, cpu=lambda t: 9 * load(t), mem=lambda t: 33.0)
    old_t, new_t = [sc.task_id() for _ in range(3)], [sc.task_id() for _ in range(3)]
    app = "tracking-svc"
    carriers = ["yamato", "sagawa", "japanpost", "seino", "fukutsu"]

    def track_line(is_new):
        def line(t):
            c = pick(sc, carriers)
            tn = f"{sc.rng.randint(10 ** 11, 10 ** 12)}"
            th = f"http-nio-8080-exec-{sc.rng.randint(1, 40)}"
            r = sc.rng.random()
            if r < 0.04:
                return spring(sc, t, "WARN", th, "c.r.t.carrier.CarrierClient", f"Upstream carrier sagawa returned 404 "
                              f"for tracking number {tn}; serving cached status", app)
            if r < 0.05:
                return spring(sc, t, "ERROR", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                              "Deadlock found when trying to get lock; try restarting transaction (retrying 1/3)", app)
            if is_new and c == "yamato" and sc.rng.random() < 0.7:
                return [spring(sc, t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                               "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                               "exception [Request processing failed: java.lang.NullPointerException: Cannot invoke "
                               "\"com.routeco.tracking.model.CarrierStatus.code()\" because \"status\" is null] with "
                               "root cause", app),
                        "java.lang.NullPointerException: Cannot invoke \"com.routeco.tracking.model.CarrierStatus.code()\" "
                        "because \"status\" is null\n\tat com.routeco.tracking.mapper.TrackingEventMapper.toView("
                        "TrackingEventMapper.java:77)\n\tat com.routeco.tracking.api.TrackingController.get("
                        "TrackingController.java:54)"]
            return spring(sc, t, "INFO", th, "c.r.t.api.TrackingController",
                          f"GET /v3/track/{tn} carrier={c} events={sc.rng.randint(2, 14)} {sc.rng.randint(18, 90)}ms", app)
        return line

    for i, tk in enumerate(old_t):
        st = f"tracking/tracking-svc/{tk}"
        emit(sc, f"/ecs/{svc}", st, lambda t: 1.6 * load(t), track_line(False), end=deploy + 180 + 20 * i)
        sc.log(f"/ecs/{svc}", st, deploy + 200 + 20 * i, spring(sc, deploy + 200 + 20 * i, "INFO", "SpringApplicationShutdownHook",
                                                             "o.s.b.w.e.tomcat.GracefulShutdown",
                                                             "Commencing graceful shutdown. Waiting for active requests to complete", app))
    for i, tk in enumerate(new_t):
        st = f"tracking/tracking-svc/{tk}"
        t0 = deploy + 60 + 25 * i
        sc.log(f"/ecs/{svc}", st, t0, spring(sc, t0, "INFO", "main", "c.r.tracking.TrackingApplication",
                                              "Starting TrackingApplication v5.8.0 using Java 21.0.2 with PID 1", app))
        sc.log(f"/ecs/{svc}", st, t0 + 14.2, spring(sc, t0 + 14.2, "INFO", "main", "c.r.tracking.TrackingApplication",
                                                     f"Started TrackingApplication in {13.4 + i * 0.6:.1f} seconds "
                                                     "(process running for 14.9)", app))
        emit(sc, f"/ecs/{svc}", st, lambda t: 1.6 * load(t), track_line(True), start=t0 + 20)
    for tk in old_t[:1]:
        every(sc, f"/ecs/{svc}", f"tracking/tracking-svc/{tk}", 600, lambda t: spring(
            sc, t, "INFO", "scheduling-1", "c.r.t.carrier.StatusCacheWarmer", f"Warmed {sc.rng.randint(3000, 9000)} "
            "status entries", app), end=deploy)
    for tk in (sc.task_id(), sc.task_id()):
        emit(sc, f"/ecs/{other}", f"eta/eta-notifier/{tk}", lambda t: 0.8 * load(t),
             lambda t: jline({"@timestamp": sc.iso(t), "level": "INFO", "logger": "EtaNotifier",
                              "message": f"sent ETA window to consignee via {pick(sc, ['sms', 'line', 'email'])}",
                              "window_min": sc.rng.choice([30, 60, 120])}))
    sc.change(deploy - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "tracking-svc:112",
              "gh-actions-tracking")
    sc.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "gh-actions-tracking")
    sc.change(-2620, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/prod/eta-notifier/sms-provider",
              "kenji.sato")
    sc.change(-13800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}", "kenji.sato")
    sc.alarm("track-pub-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 15, "GreaterThanThreshold", "Tracking API 5xx")
    sc.expect_rc("track-pub-alb-target-5xx", "bad_deployment", [f"{cl}/{svc}", svc],
                 [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        "At 00:45 the tracking service was rolled to task definition tracking-svc:112 (image 5.8.0): "
        "RunningTaskCount doubles for the rollout, new tasks log `Starting TrackingApplication v5.8.0`, the old "
        "ones shut down gracefully. Only the new tasks log `NullPointerException: Cannot invoke "
        "\"CarrierStatus.code()\" because \"status\" is null` at TrackingEventMapper.java:77, for Yamato "
        "parcels, and the ALB target 5xx rise with them. The SSM parameter change for eta-notifier 100 s "
        "before the onset is the nearest change but that service never sits behind this ALB and keeps "
        "sending ETAs; the Sagawa 404 warnings and deadlock retries are there at the same rate before the rollout.")
    return sc


BUILDERS = [build05, build06]
