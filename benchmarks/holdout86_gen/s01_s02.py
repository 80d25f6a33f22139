"""h86-01 lobby tasks OOM-killed behind an ALB; h86-02 ranked score Lambda at its reserved concurrency."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump
from benchmarks.holdout57_gen.runtimes import logfmt_writer

from .kit import (GRID, LambdaLogs, alb_metrics, apigw_metrics, ecs_metrics, every, lambda_metrics,
                  load, new, sample_logs, sprinkle, task_id)

lf = logfmt_writer("time")


def s01():
    sc = new(1, "lobby-join-502s", "Players in NA West cannot join lobbies; edge ALB 5xx alarm paging.",
             "us-west-2", "2026-03-14T03:35:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=4.0, amp=0.35)
    lb, cl = "app/play-edge-usw2/7f3c9a1e04b2d866", "arena-prod"
    sc.resource("alb", lb, name="play-edge-usw2", scheme="internet-facing", target_groups=["lobby-tg", "rq-tg"])
    sc.resource("ecs", f"{cl}/lobby", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=6,
                image="123456789012.dkr.ecr.us-west-2.amazonaws.com/lobby:1.42.3", language="go1.22")
    sc.resource("ecs", f"{cl}/ranked-queue", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=4)
    sc.resource("ecs", f"{cl}/ac-relay", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2)
    # six tasks leaking since their start; each is SIGKILLed by the cgroup at 100 %
    kills = [-3300, -2640, -2040, -1380, -780, -150]
    m0 = [55.0, 53.2, 52.1, 50.4, 49.0, 47.6]
    tasks = [task_id(sc) for _ in kills]
    repl = [task_id(sc) for _ in kills]

    def task_mem(i, t):
        if t < kills[i]:
            return m0[i] + (100.0 - m0[i]) * (t + 21600) / (kills[i] + 21600)
        if t < kills[i] + 45:
            return None
        return 33.0 + 0.0032 * (t - kills[i] - 45)

    def live(t):
        return [v for v in (task_mem(i, t) for i in range(6)) if v is not None]

    def thrash(t):
        return sum(1 for v in live(t) if v >= 97.0)

    def killed(t, width=150):
        return sum(1 for k in kills if k <= t < k + width)

    ecs_metrics(sc, cl, "lobby", lambda t: 31 * L(t) + 14 * thrash(t),
                lambda t: sum(live(t)) / len(live(t)), lambda t: len(live(t)))
    ecs_metrics(sc, cl, "ranked-queue", lambda t: 28 * L(t) + bump(t, -4620, -4380, 58, 60),
                lambda t: 41.0, lambda t: 4 + (1 if -4620 <= t < -4380 else 0))
    ecs_metrics(sc, cl, "ac-relay", lambda t: 47 * L(t), lambda t: 58.0, lambda t: 2)
    alb_metrics(sc, lb, lambda t: 5200 * L(t), lambda t: 0.8 + 4 * killed(t),
                lambda t: 1.0 + 42 * thrash(t) + 75 * killed(t, 120),
                lambda t: 0.048 + 0.9 * thrash(t) / 6 + 0.4 * killed(t),
                lambda t: 10 - killed(t, 90), lambda t: killed(t, 90))
    sc.alarm("play-edge-usw2-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "Edge ALB generated 5xx (NA West)")
    sc.alarm("ranked-queue-cpu-high", "AWS/ECS", "CPUUtilization",
             {"ClusterName": cl, "ServiceName": "ranked-queue"}, "Average", 60, 3, 80,
             "GreaterThanThreshold", "ranked-queue CPU")
    sc.change(-4650, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "ranked-queue:88", "gha-deploy-arena")
    sc.change(-4620, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/ranked-queue",
              "gha-deploy-arena")
    sc.change(-15120, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/ac-relay",
              "gha-deploy-arena")
    # ---- lobby logs: periodic runtime stats and join traffic, per task stream
    grp = "/ecs/lobby"
    playlists = ["ranked-5v5", "casual-5v5", "arena-2v2", "weekend-brawl"]
    for i in range(6):
        st = f"ecs/lobby/{tasks[i]}"
        every(sc, grp, st, -21590, kills[i], 60, lambda t, i=i: lf(
            sc, t, "info", "runtime stats", heap_alloc_mb=int(task_mem(i, t) * 19.5),
            goroutines=rng.randint(1800, 2600), num_gc=int((t + 30000) / 9), open_lobbies=rng.randint(300, 420)))
        sprinkle(sc, grp, st, -21600, kills[i], lambda t: 2.2 * L(t), lambda t: lf(
            sc, t, "info", "lobby joined", lobby=sc.hexid(10), playlist=rng.choice(playlists),
            party_size=rng.randint(1, 5), ms=rng.randint(8, 40)))
        sprinkle(sc, grp, st, kills[i] - 1200, kills[i], 4.0, lambda t, i=i: lf(
            sc, t, "warn", "request timeout", route="/v1/lobby/join", elapsed_ms=5000,
            heap_alloc_mb=int(task_mem(i, t) * 19.5)) if task_mem(i, t) >= 97 else None)
        rs = f"ecs/lobby/{repl[i]}"
        b = kills[i] + 50
        sc.log(grp, rs, b, lf(sc, b, "info", "starting lobby service", version="1.42.3", commit="9e1c2ab",
                              gomaxprocs=1, region="us-west-2"))
        sc.log(grp, rs, b + 0.4, lf(sc, b + 0.4, "info", "listening", addr=":8080"))
        every(sc, grp, rs, b + 60, 0, 60, lambda t, i=i: lf(
            sc, t, "info", "runtime stats", heap_alloc_mb=int(task_mem(i, t) * 19.5),
            goroutines=rng.randint(900, 1500), num_gc=int((t - kills[i]) / 9), open_lobbies=rng.randint(80, 200)))
        sprinkle(sc, grp, rs, b, 0, lambda t: 2.2 * L(t), lambda t: lf(
            sc, t, "info", "lobby joined", lobby=sc.hexid(10), playlist=rng.choice(playlists),
            party_size=rng.randint(1, 5), ms=rng.randint(8, 40)))
    # ---- ECS task state changes captured by an EventBridge rule
    eg, es = "/aws/events/ecs-task-state", "ecs-task-state-usw2"

    def ev(t, svc, tid, reason, code):
        return json.dumps({"version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change",
                           "source": "aws.ecs", "account": sc.account, "time": sc.iso(t, 0),
                           "region": "us-west-2", "detail": {
                               "clusterArn": f"arn:aws:ecs:us-west-2:{sc.account}:cluster/{cl}",
                               "group": f"service:{svc}", "lastStatus": "STOPPED",
                               "stopCode": "EssentialContainerExited", "stoppedReason": reason,
                               "containers": [{"name": svc, "exitCode": code, "lastStatus": "STOPPED"}],
                               "taskArn": f"arn:aws:ecs:us-west-2:{sc.account}:task/{cl}/{tid}"}},
                          separators=(",", ":"))
    for k, tid in zip(kills, tasks):
        sc.log(eg, es, k + 8, ev(k + 8, "lobby", tid, "OutOfMemoryError: Container killed due to memory usage", 137))
    for j in range(4):
        t = -4520 + 40 * j
        sc.log(eg, es, t, ev(t, "ranked-queue", task_id(sc),
                             "Scaling activity initiated by (deployment ecs-svc/4188235097116403311)", 0))
    # ---- anti-cheat relay: a loud, long-standing warning flood
    acs = f"ecs/ac-relay/{task_id(sc)}"
    sprinkle(sc, "/ecs/ac-relay", acs, -21600, 0, 9, lambda t: lf(
        sc, t, "warn", "input anomaly", detector=rng.choice(["speedhack", "aim-snap", "packet-replay"]),
        player=f"p_{rng.randint(10 ** 7, 10 ** 8)}", score=round(rng.uniform(0.6, 0.99), 2), action="flag"))
    rqs = f"ecs/ranked-queue/{task_id(sc)}"
    sprinkle(sc, "/ecs/ranked-queue", rqs, -21600, 0, 2, lambda t: lf(
        sc, t, "info", "queue tick", waiting=rng.randint(300, 900), matched=rng.randint(20, 60)))
    sc.expect = {"alarm": "play-edge-usw2-elb-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/lobby", "lobby"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cl, "ServiceName": "lobby"}}]}
    sc.meta = dict(
        alarm_on="front (ALB)", runtime="Go on ECS Fargate", logs="logfmt, EventBridge JSON",
        services=["alb", "ecs"],
        decoys="ranked-queue deploy 2 min before the first 5xx (and its CPU alarm); anti-cheat relay warning flood all day",
        story="The edge ALB's generated 5xx climb from about -75 min (the alarm fires at -72 min) and spike at each of six task kills from -55 min on. The lobby service's MemoryUtilization has "
              "climbed steadily for the whole window (about 52 % to 99 %), its runtime-stats lines show heap_alloc "
              "growing, and the ECS task-state events show lobby tasks stopped one after another with "
              "`OutOfMemoryError: Container killed due to memory usage` (exit 137); replacements start on the "
              "same version 1.42.3, so nothing was deployed. RunningTaskCount dips and the ALB briefly sees "
              "unhealthy targets at each kill. The ranked-queue deployment 2 min before the first 5xx only "
              "moves ranked-queue's own CPU, and the ac-relay anomaly warnings run at the same rate all day.")
    return sc


def s02():
    sc = new(2, "ranked-results-500s", "Ranked match results failing to post after the evening cup started.",
             "ap-northeast-1", "2026-03-14T11:20:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=12.0, amp=0.3)
    api, fn = "ranked-api", "score-submit"
    sc.resource("apigateway", api, stage="prod", endpoint_type="REGIONAL", api_id="k3v9qz7d1a")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=512, reserved_concurrency=60)
    sc.resource("lambda", "season-rewards", runtime="nodejs20.x", timeout=60, memory_size=1024)
    sc.resource("lambda", "match-history", runtime="nodejs20.x", timeout=10, memory_size=512)
    dur = 450.0
    cap = 60 * 60000.0 / dur

    def demand(t):
        return 4300 * L(t) * (1 + 0.6 * (1 if t >= -2700 else 0) * min(1.0, (t + 2700) / 300))

    def thr(t):
        return max(0.0, demand(t) - 0.9 * cap) * 0.85

    inv, err = lambda_metrics(sc, fn, lambda t: demand(t) - thr(t), lambda t: 0.002 * demand(t),
                              lambda t: dur, thr, conc=lambda t: min(60.0, demand(t) * dur / 60000 * 1.12),
                              conc_cap=60.0)
    apigw_metrics(sc, api, demand, lambda t: 0.012 * demand(t), lambda t: 0.002 * demand(t) + thr(t),
                  lambda t: 470 + 30 * (thr(t) > 0), integ=lambda t: 455.0)
    lambda_metrics(sc, "season-rewards", lambda t: 1, lambda t: 0, lambda t: 2600 + (400 if t > -2580 else 0))
    lambda_metrics(sc, "match-history", lambda t: 900 * L(t), lambda t: 0.3,
                   lambda t: 120 + bump(t, -15000, -14300, 900, 120))
    sc.alarm("ranked-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 50,
             "GreaterThanThreshold", "Ranked API server errors")
    sc.alarm("match-history-duration", "AWS/Lambda", "Duration", {"FunctionName": "match-history"},
             "Average", 60, 5, 800, "GreaterThanThreshold")
    sc.change(-2610, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "season-rewards", "codepipeline-liveops")
    sc.change(-2600, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "season-rewards", "codepipeline-liveops")
    sc.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "match-history", "codepipeline-liveops")
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 10, mem_used=(148, 12))

    def body(ll, t, req, is_err, cold):
        m, p = sc.hexid(12), f"p_{rng.randint(10 ** 7, 10 ** 8)}"
        d = rng.gauss(dur, 90)
        lines = [(0.004, ll.fmt(t, req, "INFO", f"submit match={m} player={p} mode=ranked"))]
        if is_err:
            lines.append((0.02, ll.fmt(t, req, "ERROR", "Invoke Error \t{\"errorType\":\"TypeError\","
                                       "\"errorMessage\":\"Cannot read properties of undefined (reading 'kills')\","
                                       "\"stack\":[\"TypeError: Cannot read properties of undefined (reading 'kills')\","
                                       "\"    at normalizeStats (/var/task/stats.js:41:28)\","
                                       "\"    at Runtime.handler (/var/task/index.js:22:17)\"]}")))
            return {"dur": rng.uniform(20, 60), "lines": lines, "status": "error", "error_type": "TypeError"}
        if rng.random() < 0.08:
            lines.append((d / 1000 - 0.01, ll.fmt(t, req, "WARN", f"score rejected match={m} reason=replay_checksum_mismatch ac_case=AC-{rng.randint(100000, 999999)}")))
        else:
            lines.append((d / 1000 - 0.01, ll.fmt(t, req, "INFO", f"score accepted match={m} mmr_delta={rng.choice(['+', '-'])}{rng.randint(3, 28)}")))
        return {"dur": d, "lines": lines}
    sample_logs(sc, ll, inv, err, -14400, 3.0, body)
    sl = LambdaLogs(sc, "season-rewards", "nodejs20.x", 1024, 60, epochs=((-10 ** 9, "41"), (-2600, "42")))

    def rbody(ll, t, req, is_err, cold):
        return {"dur": rng.gauss(2700, 200), "lines": [(0.01, ll.fmt(t, req, "INFO", f"reward sweep season=S11 granted={rng.randint(0, 40)}"))]}
    sl.run({t: 1 for t in GRID if t >= -10800}, {}, rbody)
    eg = "API-Gateway-Execution-Logs_k3v9qz7d1a/prod"
    es = sc.hexid(32)
    sprinkle(sc, eg, es, -14400, 0, lambda t: 0.6, lambda t: f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function error: Cannot read properties of undefined (reading 'kills'). Lambda request id: {sc.uuid()}")

    def thr_line(t):
        if rng.random() < 0.5:
            return f"({sc.uuid()}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}"
        return f"({sc.uuid()}) Execution failed due to configuration error: Rate Exceeded."
    sprinkle(sc, eg, es, -2700, 0, lambda t: min(6.0, thr(t) / 40), thr_line)
    sc.expect = {"alarm": "ranked-api-5xx", "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        alarm_on="front (API Gateway)", runtime="Node.js 20 Lambda", logs="Lambda plain (Node), API Gateway execution logs",
        services=["apigateway", "lambda"],
        decoys="season-rewards deployment 1.5 min before throttling starts; long-standing TypeError errors and anti-cheat 'score rejected' warnings",
        story="The evening cup starts at -45 min and the ranked API's 5XXError climbs from -42 min. score-submit has "
              "reserved concurrency 60; ConcurrentExecutions flat-tops at 60 and Throttles go from zero to "
              "hundreds a minute, while its Duration is unchanged and Errors stay at their old low rate (a "
              "TypeError from old clients seen all day). The API's execution log shows `Lambda invocation failed "
              "with status: 429` / `Rate Exceeded`. The season-rewards deployment shortly before has no effect on "
              "this path.",
        judgement="Request volume rises about 1.6x for the cup, but the errors are throttles at a configured "
                  "concurrency cap, the more specific category; traffic_surge requires no other fault.")
    return sc


BUILDERS = [s01, s02]
