"""h86-15 a target-group health-check edit makes ECS cycle the guild tasks; h86-16 party-invite Ruby deploy."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump
from benchmarks.holdout57_gen.runtimes import logfmt_writer

from .kit import (GRID, LambdaLogs, alb_metrics, apigw_metrics, ecs_metrics, lambda_metrics, load, new,
                  sample_logs, sprinkle, task_id)

lr = logfmt_writer("time", quote_msg=True)


def s15():
    sc = new(15, "guild-pages-503", "Guild pages failing for NA players; guild ALB 5xx alarm.",
             "us-west-2", "2026-03-15T21:20:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=3.0, amp=0.3)
    lb, cl = "app/guild-edge-usw2/4a8e2d61c9b0f357", "social"
    tg = "guild-svc-tg"
    sc.resource("alb", lb, name="guild-edge-usw2", target_groups=[tg, "chat-svc-tg"],
                health_check={"target_group": tg, "interval_s": 10, "unhealthy_threshold": 2})
    sc.resource("ecs", f"{cl}/guild-svc", launch_type="FARGATE", desired_count=4, health_check_grace_period_s=60,
                language="go1.22", container_health_endpoint="/health")
    sc.resource("ecs", f"{cl}/chat-svc", launch_type="FARGATE", desired_count=3, language="go1.22")
    mod = -1680
    cyc = lambda t: t >= mod + 30
    # tasks are replaced roughly every 95 s: each new one is healthy for a moment at most
    healthy = lambda t: 3 + (4 if not cyc(t) else (1 if int(t / 60) % 3 == 0 else 0))
    unhealthy = lambda t: 0 if not cyc(t) else 7 - healthy(t)
    req = lambda t: 1900 * L(t)
    alb_metrics(sc, lb, lambda t: req(t) * (0.8 if cyc(t) else 1), lambda t: 0.4 + (3 if cyc(t) else 0),
                lambda t: 0.3 + (0.5 * req(t) if cyc(t) else 0), lambda t: 0.041 + (0.08 if cyc(t) else 0), healthy, unhealthy)
    ecs_metrics(sc, cl, "guild-svc", lambda t: 21 * L(t) * (0.7 if cyc(t) else 1), lambda t: 36.0 - (10 if cyc(t) else 0),
                lambda t: 4 if not cyc(t) else 3)
    ecs_metrics(sc, cl, "chat-svc", lambda t: 25 * L(t) + bump(t, -1640, -1400, 25, 60), lambda t: 44.0,
                lambda t: 3 + (3 if -1640 <= t < -1400 else 0))
    sc.alarm("guild-edge-usw2-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 50,
             "GreaterThanThreshold", "Guild edge ALB 5xx")
    sc.alarm("chat-svc-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": "chat-svc"}, "Average", 60, 3, 70,
             "GreaterThanThreshold")
    sc.change(mod, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup", tg, "r.okafor")
    sc.change(-1650, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "chat-svc:96", "argo-social")
    sc.change(-1640, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/chat-svc", "argo-social")
    sc.change(-16800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/guild-svc", "argo-social")
    grp = f"/ecs/{cl}/guild-svc"

    def task_logs(start, end, fresh):
        st = f"ecs/guild-svc/{task_id(sc)}"
        ip = f"10.8.{rng.randint(16, 60)}.{rng.randint(2, 250)}"
        if fresh:
            sc.log(grp, st, start, lr(sc, start, "info", "starting guild-svc", version="2.14.0", addr=":8080", health="/health"))

        def check(t):
            path = "/healthz" if t >= mod else "/health"
            code = 404 if path == "/healthz" else 200
            return lr(sc, t, "info", "request", method="GET", path=path, status=code, ua="ELB-HealthChecker/2.0",
                      remote=f"10.8.{rng.choice([3, 19, 35])}.{rng.randint(2, 250)}", dur=f"{rng.uniform(0.1, 0.6):.2f}ms")
        t = start + rng.uniform(0, 10)
        while t < end:
            for _ in range(2):  # one check per ALB node
                sc.log(grp, st, t + rng.uniform(0, 0.5), check(t))
            t += 10
        sprinkle(sc, grp, st, start, end, lambda t: 1.5 * L(t), lambda t: lr(
            sc, t, "info", "request", method=rng.choice(["GET", "GET", "POST"]), path=f"/v1/guilds/g_{sc.hexid(8)}",
            status=200, ua="ArenaClient/7.1.4", remote=ip, dur=f"{rng.uniform(3, 40):.1f}ms"))
        sprinkle(sc, grp, st, start, end, 0.3, lambda t: lr(sc, t, "warn", "guild name rejected by filter",
                                                            guild=f"g_{sc.hexid(8)}", rule="profanity.v3"))
        if end < 0:
            sc.log(grp, st, end - 0.5, lr(sc, end - 0.5, "info", "received signal, shutting down", signal="terminated"))
        return st.split("/")[-1]
    stopped = []
    for k in range(4):
        end = mod + 55 + 30 * k
        stopped.append((end, task_logs(-10800 + 17 * k, end, False)))
    t = mod + 55
    k = 0
    while t < -40:
        start = t + 20 + rng.uniform(0, 10)
        end = min(start + 70 + 20 + rng.uniform(0, 10), 0)
        tid = task_logs(start, end, True)
        if end < 0:
            stopped.append((end, tid))
        t = end - 30 * (k % 2)
        k += 1
    eg, es = "/aws/events/ecs-task-state", "ecs-task-state-usw2"
    for end, tid in sorted(stopped):
        sc.log(eg, es, end + 2, json.dumps({
            "version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs", "account": sc.account,
            "time": sc.iso(end + 2, 0), "region": "us-west-2", "detail": {
                "clusterArn": f"arn:aws:ecs:us-west-2:{sc.account}:cluster/{cl}", "group": "service:guild-svc", "lastStatus": "STOPPED",
                "stopCode": "ServiceSchedulerInitiated",
                "stoppedReason": f"Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-west-2:{sc.account}:targetgroup/{tg}/9c3e51a0d7b2f684)",
                "taskArn": f"arn:aws:ecs:us-west-2:{sc.account}:task/{cl}/{tid}"}}, separators=(",", ":")))
    cs = f"ecs/chat-svc/{task_id(sc)}"
    sprinkle(sc, f"/ecs/{cl}/chat-svc", cs, -10800, 0, 2.0, lambda t: lr(sc, t, "info", "message relayed", channel=rng.choice(["guild", "party", "whisper"]),
                                                                       bytes=rng.randint(40, 400)))
    sc.expect = {"alarm": "guild-edge-usw2-elb-5xx",
                 "root_cause": {"category": "config_change", "resource": [lb, "guild-edge-usw2", tg]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "UnHealthyHostCount", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        alarm_on="origin (ALB whose target group was edited)", runtime="Go on ECS", logs="logfmt (logrus style), EventBridge JSON",
        services=["alb", "ecs"],
        decoys="chat-svc deployment 40 s later, closer to the onset, behind the same ALB; guild-svc task churn looks like a crashing service; steady filter warnings",
        story="At -28 min an engineer edits the guild target group (ModifyTargetGroup). Within 30 s guild-svc's own logs "
              "show the ELB-HealthChecker requesting `GET /healthz` and getting 404 instead of `GET /health` 200. Targets go "
              "unhealthy, ECS stops each task with `Task failed ELB health checks in (target-group .../guild-svc-tg/...)`, "
              "and the replacements - same version 2.14.0, starting cleanly - are killed again after the grace period, so "
              "the ALB's own 5xx climb to half the requests. chat-svc's deploy right after the edit only touches chat-svc, "
              "which stays healthy.",
        judgement="The edited object is the target group, which belongs to the ALB; the ALB (or the target group name) is "
                  "accepted as the origin. guild-svc itself is healthy throughout.")
    return sc


def s16():
    sc = new(16, "party-invites-failing", "Party invites failing in Japan after the evening release; social API 5xx alarm.",
             "ap-northeast-1", "2026-03-16T11:00:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=12.0, amp=0.3)
    api, fn = "social-api", "party-invite"
    sc.resource("apigateway", api, stage="prod", api_id="z1m5q8r3tb")
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=6, memory_size=256, alias="live")
    sc.resource("lambda", "presence-sync", runtime="ruby3.3", timeout=30, memory_size=512)
    dep = -2700
    new_v = lambda t: t >= dep + 15
    inv, err = lambda_metrics(sc, fn, lambda t: 1300 * L(t), lambda t: 0.4 + (0.38 * 1300 * L(t) if new_v(t) else 0),
                              lambda t: 95.0 - (20 if new_v(t) else 0))
    lambda_metrics(sc, "presence-sync", lambda t: 300 * L(t), lambda t: 0.1, lambda t: 210.0 + (15 if t > -2640 else 0))
    apigw_metrics(sc, api, lambda t: 2600 * L(t), lambda t: 0.015 * 2600 * L(t), lambda t: 0.5 + (0.38 * 1300 * L(t) if new_v(t) else 0),
                  lambda t: 120.0, integ=lambda t: 104.0)
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 40, "GreaterThanThreshold", "Social API 5xx (apne1)")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 40, "GreaterThanThreshold")
    for dt, ev in ((0, "UpdateFunctionCode20150331v2"), (8, "PublishVersion20150331"), (15, "UpdateAlias20150331")):
        sc.change(dep + dt, "lambda.amazonaws.com", ev, "AWS::Lambda::Function", fn, "buildkite-social")
    sc.change(-2640, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "presence-sync", "h.nakamura")
    sc.change(-19000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "presence-sync", "buildkite-social")
    ll = LambdaLogs(sc, fn, "ruby3.3", 256, 6, mem_used=(71, 5), epochs=((-10 ** 9, "56"), (dep + 15, "57")))

    def body(ll, t, req, is_err, cold):
        frm, to = f"p_{rng.randint(10 ** 7, 10 ** 8)}", f"p_{rng.randint(10 ** 7, 10 ** 8)}"
        lines = [(0.003, ll.fmt(t, req, "INFO", f"invite from={frm} to={to} party=pt_{sc.hexid(8)}"))]
        if is_err and not new_v(t):
            lines.append((0.02, ll.fmt(t, req, "ERROR", "Seahorse::Client::NetworkingError: Net::ReadTimeout with #<TCPSocket:(closed)>")))
            return {"dur": rng.gauss(2100, 100), "lines": lines}
        if is_err:
            err = {"errorMessage": "undefined method `[]' for nil", "errorType": "Function<NoMethodError>",
                   "stackTrace": ["/var/task/lib/invites/payload.rb:23:in `platform_id'",
                                  "/var/task/lib/invites/payload.rb:11:in `build'",
                                  "/var/task/handler.rb:17:in `handle'"]}
            lines.append((0.04, ll.fmt(t, req, "ERROR", "Error raised from handler method")))
            lines.append((0.041, json.dumps(err)))
            return {"dur": rng.gauss(72, 10), "lines": lines}
        r = rng.random()
        if r < 0.05:
            lines.append((0.05, ll.fmt(t, req, "WARN", f"invite rate limited for {frm} (5/min)")))
        elif r < 0.08:
            lines.append((0.06, ll.fmt(t, req, "ERROR", "Aws::DynamoDB::Errors::ConditionalCheckFailedException: duplicate invite ignored")))
        else:
            lines.append((0.07, ll.fmt(t, req, "INFO", f"invite delivered to={to} via={rng.choice(['push', 'socket'])}")))
        return {"dur": rng.gauss(95, 15), "lines": lines}
    sample_logs(sc, ll, inv, err, -14400, 3.0, body)
    pl = LambdaLogs(sc, "presence-sync", "ruby3.3", 512, 30, retire=(-2640,))
    pl.run({t: 1 for t in GRID if t >= -10800}, {}, lambda ll, t, req, e, c: {"dur": rng.gauss(210, 20), "lines": [
        (0.01, ll.fmt(t, req, "INFO", f"presence batch synced players={rng.randint(800, 2400)}"))]})
    eg = "API-Gateway-Execution-Logs_z1m5q8r3tb/prod"
    sprinkle(sc, eg, sc.hexid(32), dep, 0, 3, lambda t: f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function error: "
             f"undefined method `[]' for nil. Lambda request id: {sc.uuid()}")
    sprinkle(sc, eg, sc.hexid(32), -14400, dep, 0.1, lambda t: f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function error: "
             f"Net::ReadTimeout with #<TCPSocket:(closed)>. Lambda request id: {sc.uuid()}")
    sc.expect = {"alarm": f"{api}-5xx", "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        alarm_on="front (API Gateway)", runtime="Ruby 3.3 Lambda", logs="Lambda plain (Ruby) with JSON error objects, API Gateway execution logs",
        services=["apigateway", "lambda"],
        decoys="presence-sync configuration update 1 min after the deploy (the nearest change to the alarm); the function's Errors alarm; steady duplicate-invite errors and rate-limit warnings",
        story="At -45 min buildkite publishes party-invite version 57 and moves the `live` alias to it. From the first "
              "invocations on version 57 about 38 % fail with `undefined method '[]' for nil` (Function<NoMethodError>) in "
              "`payload.rb:23 platform_id` - cross-platform invites - a signature never seen on version 56, whose only "
              "errors were a rare Net::ReadTimeout. The social API's 5xx follow. presence-sync's configuration update a "
              "minute later leaves presence-sync healthy, and the duplicate-invite errors run at the same rate throughout.")
    return sc


BUILDERS = [s15, s16]
