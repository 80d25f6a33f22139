"""h96-01 flight-status API behind an ALB (ECS, Java) and h96-02 crew roster sync (Lambda, Go)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import HISTORY, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, spring, jline

from .kit import (Scenario, alb_metrics, ecs_metrics, every, flight, gostd, lambda_metrics, pick,
                  sampled, scatter, task_id, _m)


# =========================================================================== h96-01
def build_01() -> Scenario:
    sc = Scenario(1, "flight-status-pub", "Public flight-status endpoint returning 500s; the "
                  "ALB target 5XX alarm paged the ops-core on-call.", "eu-west-1", 9601,
                  "2026-03-10T08:40:00")
    cl, svc, svc2 = "ops-core", "flight-status-api", "gate-display-feed"
    lb = "app/fltstatus-pub/7c1e9a04b2d35f68"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=4,
                task_definition=f"{svc}:57")
    sc.resource("ecs", f"{cl}/{svc2}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2,
                task_definition=f"{svc2}:23")
    sc.resource("alb", lb, name="fltstatus-pub", scheme="internet-facing",
                target_groups=["fltstatus-api-tg"])
    sc.resource("lambda", "delay-code-translator", runtime="nodejs20.x", timeout=15, memory_size=256)

    deploy, t_new = -2440, [-2400 + 45 * k for k in range(4)]
    new_frac = lambda t: sum(1 for s in t_new if t >= s + 30) / 4.0  # noqa: E731
    req = lambda t: 960 * diurnal(sc, t, 9.5, 0.22)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.082 + 0.01 * new_frac(t),
                t5=lambda t: 0.6 + 0.19 * req(t) * new_frac(t), healthy=lambda t: 4.0,
                t4=lambda t: 0.03 * req(t))
    ecs_metrics(sc, cl, svc, lambda t: 33 * diurnal(sc, t, 9.5, 0.22),
                lambda t: 58 - 12 * ramp(t, -2400, -2240) + 3 * ramp(t, -2240, 0))
    ecs_metrics(sc, cl, svc2, lambda t: 18 + bump(t, -9000, -8460, 52, 120), lambda t: 41.0)
    _m(sc, "AWS/Lambda", "Invocations", {"FunctionName": "delay-code-translator"}, "Count",
       lambda t: 22.0, integer=True)

    sc.change(-2460, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              svc, "github-actions-ops-core")
    sc.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "github-actions-ops-core")
    sc.change(-2415, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
              f"/{svc2}/poll-interval-seconds", "j.keane")
    sc.change(-15800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "delay-code-translator", "github-actions-ops-core")

    grp, app = f"/ecs/{svc}", svc
    tails = ["EI-FNH", "EI-DVM", "EI-LRA", "EI-FMV", "EI-DEO"]

    def common_lines(stream, start, end):
        def ok(t):
            f = flight(sc, ("EI", "EI", "EI", "BA", "UA"))
            return spring(sc, t, "INFO", f"nio-8080-exec-{sc.rng.randint(1, 40)}",
                          "c.f.status.web.RequestLoggingFilter",
                          f"GET /v2/flights/{f}/status?date=2026-03-10 -> 200 ({sc.rng.randint(9, 60)} ms)", app)
        scatter(sc, grp, stream, lambda m: 2.0, ok, start, end)
        scatter(sc, grp, stream, lambda m: 0.6, lambda t: spring(
            sc, t, "WARN", f"nio-8080-exec-{sc.rng.randint(1, 40)}", "c.f.status.oag.ScheduleFeedClient",
            f"OAG schedule record stale for {flight(sc)} (age {sc.rng.randint(31, 58)} min); serving cached copy",
            app), start, end)
        scatter(sc, grp, stream, lambda m: 0.25, lambda t: spring(
            sc, t, "ERROR", "position-poller-1", "c.f.status.position.AcarsPositionService",
            f"Position lookup failed for tail {pick(sc, tails)}: upstream returned 503 Service "
            "Unavailable; using last known fix", app), start, end)

    for k in range(4):  # old tasks (v2.40.3) drain as new ones become healthy
        s = f"ecs/{svc}/{task_id(sc)}"
        stop = t_new[k] + 40
        common_lines(s, -HISTORY, stop)
        sc.log(grp, s, stop - 0.5, spring(sc, stop - 0.5, "INFO", "SpringApplicationShutdownHook",
                                          "o.s.b.w.e.tomcat.GracefulShutdown",
                                          "Commencing graceful shutdown. Waiting for active requests to complete", app))
        sc.log(grp, s, stop + 1.8, spring(sc, stop + 1.8, "INFO", "tomcat-shutdown",
                                          "o.s.b.w.e.tomcat.GracefulShutdown", "Graceful shutdown complete", app))
    for k in range(4):  # new tasks (v2.41.0)
        s, st = f"ecs/{svc}/{task_id(sc)}", t_new[k]
        for dt, lvl, lg, msg in [
                (0.0, "INFO", "c.f.status.FlightStatusApplication",
                 "Starting FlightStatusApplication v2.41.0 using Java 17.0.10 with PID 1"),
                (0.4, "INFO", "c.f.status.FlightStatusApplication",
                 "The following 1 profile is active: \"prod\""),
                (6.1, "INFO", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                 "Tomcat started on port 8080 (http) with context path ''"),
                (6.3, "INFO", "c.f.status.FlightStatusApplication",
                 "Started FlightStatusApplication in 11.84 seconds (process running for 12.6)")]:
            sc.log(grp, s, st + dt, spring(sc, st + dt, lvl, "main", lg, msg, app))
        common_lines(s, st + 30, 0)

        def npe(t):
            f = flight(sc, ("EI", "EI", "EI", "BA"))
            return spring(sc, t, "ERROR", f"nio-8080-exec-{sc.rng.randint(1, 40)}",
                          "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                          "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                          f"[Request processing failed: java.lang.NullPointerException: Cannot invoke "
                          f"\"com.fltops.status.model.Codeshare.getMarketingCarrier()\" because \"leg.codeshare\" is null] "
                          f"with root cause (flight={f})\njava.lang.NullPointerException: Cannot invoke "
                          "\"com.fltops.status.model.Codeshare.getMarketingCarrier()\" because \"leg.codeshare\" is null\n"
                          "\tat com.fltops.status.assemble.FlightStatusAssembler.marketingLabel(FlightStatusAssembler.java:212)\n"
                          "\tat com.fltops.status.assemble.FlightStatusAssembler.assemble(FlightStatusAssembler.java:97)\n"
                          "\tat com.fltops.status.web.FlightStatusController.status(FlightStatusController.java:64)", app)
        scatter(sc, grp, s, lambda m: 3.5, npe, st + 30, 0)

    g2 = f"/ecs/{svc2}"
    s2 = f"ecs/{svc2}/{task_id(sc)}"
    every(sc, g2, s2, 30, lambda t: spring(sc, t, "INFO", "scheduling-1", "c.f.gates.FeedPoller",
                                           f"Published {sc.rng.randint(140, 190)} gate records to 38 displays (DUB T1/T2)",
                                           svc2), -HISTORY, -2400)
    sc.log(g2, s2, -2398.2, spring(sc, -2398.2, "INFO", "config-watch", "c.f.gates.config.ParameterWatcher",
                                   "Parameter /gate-display-feed/poll-interval-seconds changed 30 -> 20; rescheduling poller", svc2))
    every(sc, g2, s2, 20, lambda t: spring(sc, t, "INFO", "scheduling-1", "c.f.gates.FeedPoller",
                                           f"Published {sc.rng.randint(140, 190)} gate records to 38 displays (DUB T1/T2)",
                                           svc2), -2390, 0)

    sc.alarm("fltstatus-pub-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 40, "GreaterThanThreshold",
             "Flight-status public ALB: targets returning 5XX")
    sc.alarm("fltstatus-pub-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 5, 0.5, "GreaterThanThreshold")
    sc.alarm("gate-display-feed-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc2},
             "Average", 60, 3, 60, "GreaterThanThreshold")
    sc.expect = {"alarm": "fltstatus-pub-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.note(alarm_on="front (ALB) - origin is the ECS service behind it",
            decoys="SSM parameter change on gate-display-feed 25 s closer to onset; long-standing "
                   "OAG-stale WARNs and ACARS 503 ERRORs; earlier CPU spike + alarm on gate-display-feed",
            story="A rolling ECS deployment of flight-status-api (task definition 57, v2.41.0) starts at "
                  "-2440 s. Each new task logs a new NullPointerException in FlightStatusAssembler "
                  "(`leg.codeshare` is null) for flights without a codeshare, and Target 5XX on the public "
                  "ALB rises task by task as old v2.40.3 tasks drain. The gate-display-feed parameter change "
                  "lands between the deploy and the first errors and is picked up harmlessly; the stale-OAG "
                  "WARNs and ACARS 503 ERRORs run at the same rate for all six hours.")
    return sc


# =========================================================================== h96-02
def build_02() -> Scenario:
    sc = Scenario(2, "crew-roster-sync", "Crew roster changes are not reaching the crew app; "
                  "Lambda errors alarm and SQS age alarm in ALARM.", "ap-northeast-2", 9602,
                  "2026-03-12T05:20:00")
    fn, other, q = "crew-roster-sync", "crew-hotel-booker", "crew-roster-changes"
    param = "/crew/roster-sync/publish-window"
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=60, memory_size=256,
                architecture="arm64", event_source=f"sqs:{q}")
    sc.resource("lambda", other, runtime="provided.al2023", timeout=30, memory_size=256)
    cause, onset, full = -2520, -2470, -2230
    frac = lambda t: ramp(t, onset, full)  # noqa: E731 - envs pick the value up when their 5 min cache expires
    base = lambda t: 14 * diurnal(sc, t, 6.0, 0.2)  # noqa: E731
    m = lambda_metrics(sc, fn, lambda t: base(t) * (1 + 0.35 * frac(t)),
                       lambda t: base(t) * (1 + 0.35 * frac(t)) * frac(t), lambda t: 820 - 640 * frac(t))
    m2 = lambda_metrics(sc, other, lambda t: 3.0, lambda t: 0.0, lambda t: 1450.0)
    _m(sc, "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": q}, "Seconds",
       lambda t: 6 + max(0.0, t - onset) * 0.92 * frac(t), noise=0.05, digits=0)
    _m(sc, "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": q}, "Count",
       lambda t: 4 + 11 * max(0.0, t - onset) / 60 * frac(t), noise=0.05, digits=0)

    sc.change(-14200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "codebuild-crew-platform")
    sc.change(cause, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", param,
              "AWSReservedSSO_CrewPlatformDev_8e21c4d07b1a9f3e/hyejin.yoon")
    sc.change(-2490, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              other, "codebuild-crew-platform")
    sc.change(-2470, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              other, "codebuild-crew-platform")

    crews = [f"{sc.rng.randint(10000, 99999)}" for _ in range(60)]
    bases = ["ICN", "GMP", "PUS", "CJU"]

    def body(ll, t, rid, is_err, cold):
        n = sc.rng.randint(3, 10)
        lines = []
        if cold:
            lines.append((0.001, gostd(sc, t, "INFO settings: loaded 9 parameters from /crew/roster-sync/ (cache ttl 5m0s)")))
        lines.append((0.002, gostd(sc, t + 0.002, f"INFO received batch of {n} roster events")))
        if sc.rng.random() < 0.07:
            lines.append((0.05, gostd(sc, t + 0.05, f"WARN duplicate roster event dropped event_id=rev-{sc.hexid(12)}")))
        if sc.rng.random() < 0.025:
            c = pick(sc, crews)
            lines.append((0.07, gostd(sc, t + 0.07, f"ERROR crew member not found in HR master crew_id={c} "
                                                    "(skipping event, will reconcile nightly)")))
        if is_err:
            d = sc.rng.uniform(60, 240)
            lines.append((0.012, gostd(sc, t + 0.012, f"ERROR settings: {param}: strconv.Atoi: parsing \"36h\": invalid syntax")))
            lines.append((d / 1000, gostd(sc, t + d / 1000, f"ERROR batch failed, returning {n} messages to queue: "
                                                          "invalid configuration: publish-window must be a whole number of hours")))
            lines.append((d / 1000 + 0.001, jline({"errorMessage": "invalid configuration: publish-window must be a whole "
                                                                   "number of hours", "errorType": "errorString"})))
            return {"lines": lines, "dur": d}
        d = m["dur"].get(int(t // 60 * 60), 800) * sc.rng.uniform(0.7, 1.3)
        lines.append((d / 1000 - 0.01, gostd(sc, t + d / 1000 - 0.01,
                                             f"INFO published {n} roster updates to crew-app (base={pick(sc, bases)}, "
                                             f"window=36h) in {d:.0f}ms")))
        return {"lines": lines, "dur": d}

    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 60, mem_used=(58, 6))
    inv, err = sampled(m, -16200, 4)
    ll.run(inv, err, body)

    def body2(ll2, t, rid, is_err, cold):
        d = sc.rng.uniform(1100, 1800)
        return {"lines": [(0.003, gostd(sc, t, f"INFO hotel block request for {sc.rng.randint(2, 14)} crew "
                                               f"at {pick(sc, bases)} layover"))], "dur": d}
    ll2 = LambdaLogs(sc, other, "provided.al2023", 256, 30, epochs=((-10 ** 9, "$LATEST"),),
                     retire=(-2490,), mem_used=(61, 5))
    inv2, err2 = sampled(m2, -16200, 2)
    ll2.run(inv2, err2, body2)

    sc.alarm("crew-roster-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Roster sync Lambda failing")
    sc.alarm("crew-roster-changes-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": q},
             "Maximum", 60, 5, 600, "GreaterThanThreshold", "Roster change queue backing up")
    sc.expect = {"alarm": "crew-roster-sync-errors",
                 "root_cause": {"category": "config_change", "resource": [fn, param]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.note(alarm_on="origin (the Lambda); the SQS age alarm is a second, downstream alarm",
            decoys="code deploy of crew-hotel-booker 30 s after the parameter change (closer to the first "
                   "errors); an old code deploy of the function itself 4 h earlier; long-standing "
                   "'crew member not found' ERRORs and duplicate-event WARNs; SQS backlog alarm",
            story="At -2520 s an engineer sets the Parameter Store value /crew/roster-sync/publish-window to "
                  "\"36h\". The function caches its settings for five minutes, so over the next few minutes "
                  "every execution environment starts failing with `strconv.Atoi: parsing \"36h\": invalid "
                  "syntax` naming the parameter, batches go back to the queue and the queue age climbs. The "
                  "crew-hotel-booker deploy in between is a different function with clean logs; the function's "
                  "own code deploy was four hours earlier with hours of clean invocations after it.",
            judgement="The changed setting lives in Parameter Store, not on the function, so both the "
                      "function and the parameter name are accepted as the origin.")
    return sc


BUILDERS = [build_01, build_02]
