"""h86-11 weekend-event push notification floods the matchmaking queue API; h86-12 empty new-season ladder crashes reads."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import pino

from .kit import (GRID, LambdaLogs, alb_metrics, ecs_metrics, lambda_metrics, load, new, sample_logs, sprinkle,
                  task_id)


def s11():
    sc = new(11, "queue-join-latency-apne1", "Weekend festival launch: queue joins slow and failing in Japan; ALB latency alarm.",
             "ap-northeast-1", "2026-03-14T10:30:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=12.0, amp=0.3)
    cl, lb = "matchq", "app/mq-apne1/1c9b7e42f05a3d68"
    sc.resource("alb", lb, name="mq-apne1")
    sc.resource("ecs", f"{cl}/queue-api", launch_type="FARGATE", desired_count=6, autoscaling="min 6 / max 12, CPU target 60 %",
                language="nodejs20")
    sc.resource("ecs", f"{cl}/party-api", launch_type="FARGATE", desired_count=3, language="nodejs20")
    push = -1500
    surge = lambda t: 1.0 if t < push else 1 + 6.2 * min(1.0, (t - push) / 150) * (1 - 0.15 * max(0.0, (t - push - 600) / 900))
    tasks = lambda t: 6 if t < push + 100 else 8 if t < push + 220 else 10 if t < push + 400 else 12
    req = lambda t: 2400 * L(t) * surge(t)
    over = lambda t: max(0.0, surge(t) * 6 / tasks(t) - 1.3)
    alb_metrics(sc, lb, req, lambda t: 0.4 + 0.012 * req(t) * min(1.0, over(t)), lambda t: 0.5 + 0.02 * req(t) * min(1.0, over(t)),
                lambda t: 0.034 + 0.32 * over(t) + (0.25 if t >= push else 0), lambda t: tasks(t) + 3)
    ecs_metrics(sc, cl, "queue-api", lambda t: min(88.0, 29 * L(t) * surge(t) * 6 / tasks(t)) if t >= push else 29 * L(t),
                lambda t: 44.0 + (13 if t >= push else 0), tasks)
    ecs_metrics(sc, cl, "party-api", lambda t: 22 * L(t) + (6 if t > push else 0), lambda t: 39.0, lambda t: 3)
    sc.alarm("mq-apne1-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 0.5,
             "GreaterThanThreshold", "Matchmaking queue API latency (apne1)")
    sc.alarm("queue-api-cpu-scale-out", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": "queue-api"},
             "Average", 60, 3, 60, "GreaterThanThreshold", "Target tracking scale-out (managed by Application Auto Scaling)")
    sc.change(-1620, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "party-api:31", "circleci-matchq")
    sc.change(-1605, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/party-api", "circleci-matchq")
    for t in (push + 40, push + 160, push + 340):
        sc.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/queue-api",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    grp = f"/ecs/{cl}/queue-api"
    modes = ["ranked", "casual", "festival-brawl"]
    for k in range(3):
        st = f"ecs/queue-api/{task_id(sc)}"
        host = f"ip-10-2-{rng.randint(8, 40)}-{rng.randint(2, 250)}.ap-northeast-1.compute.internal"

        def enq(t, host=host):
            src = "push_weekend_fest" if t >= push and rng.random() < 0.8 else rng.choice(["menu", "rematch", "party"])
            return pino(sc, t, "info", "ticket enqueued", host, 1, ticket=f"tkt-{sc.hexid(12)}", mode=rng.choice(modes if t >= push else modes[:2]),
                        source=src, waitingInPool=rng.randint(2000, 5000) * (6 if t >= push else 1), ms=round(rng.uniform(3, 30) * (1 + 8 * over(t)), 1))
        sprinkle(sc, grp, st, -14400, 0, lambda t: min(16.0, 2.0 * L(t) * surge(t)), enq)
        sprinkle(sc, grp, st, -14400, 0, 0.5, lambda t, host=host: pino(sc, t, "warn", "ticket heartbeat missed", host, 1,
                                                                        ticket=f"tkt-{sc.hexid(12)}", missed=rng.randint(1, 3)))
        sprinkle(sc, grp, st, push, 0, lambda t: 3.0 * min(1.0, over(t) + 0.3), lambda t, host=host: pino(
            sc, t, "warn", "event loop lag", host, 1, lagMs=int(80 + 600 * over(t) * rng.uniform(0.5, 1.5)), activeHandles=rng.randint(4000, 9000)))
        sprinkle(sc, grp, st, push, 0, lambda t: 1.5 * min(1.0, over(t)), lambda t, host=host: pino(
            sc, t, "error", "queue admission rejected: backlog over limit, shedding", host, 1, backlog=rng.randint(20000, 26000),
            limit=20000, statusCode=503))
    for k in range(3):
        b = push + (100, 220, 400)[k]
        st = f"ecs/queue-api/{task_id(sc)}"
        host = f"ip-10-2-{rng.randint(8, 40)}-{rng.randint(2, 250)}.ap-northeast-1.compute.internal"
        sc.log(grp, st, b, pino(sc, b, "info", "queue-api listening", host, 1, port=8080, version="3.8.1"))
        sprinkle(sc, grp, st, b, 0, 10.0, lambda t, host=host: pino(sc, t, "info", "ticket enqueued", host, 1, ticket=f"tkt-{sc.hexid(12)}",
                                                                    mode=rng.choice(modes), source="push_weekend_fest", ms=round(rng.uniform(20, 200), 1)))
    sc.expect = {"alarm": "mq-apne1-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [f"{cl}/queue-api", "queue-api", lb, "mq-apne1"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        alarm_on="origin (ALB receiving the surge)", runtime="Node.js on ECS", logs="pino JSON", services=["alb", "ecs"],
        decoys="party-api deployment 2 min before the push; three auto-scaling UpdateService calls on queue-api right after onset; CPU scale-out alarm; steady heartbeat warnings",
        story="At -25 min the weekend-festival push notification lands and the queue ALB's RequestCount jumps about 7x in "
              "two minutes; the enqueue logs switch to `source=push_weekend_fest`. queue-api's CPU rises to ~85 % "
              "(not pinned) while Application Auto Scaling adds tasks 6 -> 12, the event loop lags, the service sheds "
              "with `backlog over limit` 503s, and average response time goes from 35 ms to ~1.5 s. No deploy or setting "
              "change touched queue-api; the UpdateService calls are the auto-scaler's reaction, and party-api's "
              "deploy left party-api healthy.",
        judgement="The accepted resources include both the ALB and the service: the surge arrives through both and a "
                  "reader would name either as where the excess load lands.")
    return sc


def s12():
    sc = new(12, "standings-errors-season-reset", "Season 12 rollover: ranked standings page erroring in EU; Lambda Errors alarm.",
             "eu-central-1", "2026-03-16T00:35:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=19.0, amp=0.35)
    fn = "standings-read"
    sc.resource("lambda", fn, runtime="dotnet8", timeout=10, memory_size=1024)
    sc.resource("lambda", "season-rollover", runtime="dotnet8", timeout=900, memory_size=2048, schedule="cron(0 0 ? * MON *)")
    sc.resource("lambda", "profile-card", runtime="dotnet8", timeout=10, memory_size=512)
    reset = -2100
    frac = 0.34
    inv, err = lambda_metrics(sc, fn, lambda t: 1100 * L(t), lambda t: 0.3 + (frac * 1100 * L(t) if t >= reset + 20 else 0),
                              lambda t: 58.0 - (14 if t >= reset + 20 else 0))
    lambda_metrics(sc, "season-rollover", lambda t: 1 if reset <= t < reset + 60 else None, lambda t: 0,
                   lambda t: 47000.0 if reset <= t < reset + 60 else None, conc=lambda t: 1 if reset <= t < reset + 60 else None)
    lambda_metrics(sc, "profile-card", lambda t: 800 * L(t), lambda t: 0.2, lambda t: 31.0)
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 15, "GreaterThanThreshold",
             "Standings read errors")
    sc.alarm("profile-card-errors", "AWS/Lambda", "Errors", {"FunctionName": "profile-card"}, "Sum", 60, 3, 10, "GreaterThanThreshold")
    sc.change(-2280, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "profile-card", "gitlab-ci-stats")
    sc.change(-2270, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "profile-card", "gitlab-ci-stats")
    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 10, mem_used=(160, 10))
    ioe = ("System.InvalidOperationException: Sequence contains no elements\n"
           "   at System.Linq.ThrowHelper.ThrowNoElementsException()\n"
           "   at System.Linq.Enumerable.MinMaxInteger[T,TMinMax](IEnumerable`1 source)\n"
           "   at Standings.Api.TierCutoffs.Compute(IReadOnlyList`1 ladder, SeasonRules rules) in /src/Standings.Api/TierCutoffs.cs:line 29\n"
           "   at Standings.Api.Function.FunctionHandler(APIGatewayHttpApiV2ProxyRequest request, ILambdaContext context) in /src/Standings.Api/Function.cs:line 64")

    def body(ll, t, req, is_err, cold):
        season = "S12" if t >= reset else "S11"
        p = f"p_{rng.randint(10 ** 7, 10 ** 8)}"
        lines = [(0.002, ll.fmt(t, req, "INFO", f"GET /standings/{season}/eu?player={p}"))]
        if is_err and t < reset:
            lines.append((0.02, ll.fmt(t, req, "ERROR", "System.OperationCanceledException: The operation was canceled.\n"
                                       "   at Standings.Api.Function.FunctionHandler(APIGatewayHttpApiV2ProxyRequest request, ILambdaContext context) in /src/Standings.Api/Function.cs:line 71")))
            return {"dur": rng.gauss(40, 8), "lines": lines}
        if is_err:
            lines.append((0.015, ll.fmt(t, req, "ERROR", ioe)))
            return {"dur": rng.gauss(18, 4), "lines": lines}
        if rng.random() < 0.04:
            lines.append((0.01, ll.fmt(t, req, "WARN", f"Player {p} not in rank cache, loading from store")))
        lines.append((0.04, ll.fmt(t, req, "INFO", f"Standings served season={season} tier={rng.choice(['bronze', 'silver', 'gold', 'platinum'])} "
                                                   f"rows={rng.choice([25, 50]) if t < reset else 0}")))
        return {"dur": rng.gauss(58, 12), "lines": lines}
    sample_logs(sc, ll, inv, err, -14400, 3.0, body)
    rl = LambdaLogs(sc, "season-rollover", "dotnet8", 2048, 900)
    rl.invoke(reset + 1.2, False, lambda ll, t, req, e, c: {"dur": 47120.0, "lines": [
        (0.01, ll.fmt(t, req, "INFO", "Closing season S11 (rewards snapshot 412,884 ranked players)")),
        (31.2, ll.fmt(t, req, "INFO", "Season S11 archived to ladder_history")),
        (46.9, ll.fmt(t, req, "INFO", "Season S12 opened; ladders reset (0 ranked players per region)"))]})
    pl = LambdaLogs(sc, "profile-card", "dotnet8", 512, 10, retire=(-2280,))
    pl.run({t: 2 for t in GRID if t >= -10800}, {}, lambda ll, t, req, e, c: {"dur": rng.gauss(31, 5), "lines": [
        (0.01, ll.fmt(t, req, "INFO", f"Rendered profile card p_{rng.randint(10 ** 7, 10 ** 8)} theme={rng.choice(['s11', 's11', 'default'])}"))]})
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "application_error", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        alarm_on="origin", runtime=".NET 8 Lambda", logs="Lambda plain (.NET)", services=["lambda"],
        decoys="profile-card deployment 3 min before onset; the weekly season-rollover job running at onset; rare OperationCanceledException errors and cache-miss warnings all night",
        story="At 00:00 UTC Monday the scheduled season-rollover job opens Season 12 with empty ladders. From that "
              "minute about a third of standings-read invocations (the tier-cutoff requests) fail with an unhandled "
              "`System.InvalidOperationException: Sequence contains no elements` in `TierCutoffs.Compute`; before it "
              "the only errors were a rare client cancel. standings-read was not deployed or reconfigured, its "
              "Duration drops (it fails fast), and there is no downstream error; profile-card's deploy 3 min earlier "
              "left profile-card healthy.",
        judgement="The season reset is a scheduled data event, not a change to the function: the code cannot handle "
                  "an empty ladder, so this is an application error rather than a deployment or configuration change.")
    return sc


BUILDERS = [s11, s12]
