"""Mixed incidents: a Lambda renderer hitting its timeout, a RabbitMQ broker instance failing its status check."""
from __future__ import annotations

import numpy as np

from . import logfmt as L
from . import metricsets as M
from .common import ACCOUNT, Scenario, ar1, after, between, clip, counts, daily, ramp, T


def h14(seed=1114):
    region = "us-east-1"
    sc = Scenario("h11-14-statement-pdf-timeout", "statement-pdf-render Errors alarm; some customers missing "
                  "their statements.", region, seed)
    rng, ids = sc.rng, sc.ids
    fn = "statement-pdf-render"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=30, memory_size=1024,
                environment={"OUTPUT_BUCKET": "statements-pdf-prod", "FONT_DIR": "/opt/fonts", "LOG_LEVEL": "info"})
    sc.resource("ecs", "exports/exports-api", cluster="exports", launch_type="FARGATE", task_definition="exports-api:144", desired_count=2)
    sc.change(-6530, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "exports-api", "ci-ecs-deploy")
    sc.change(-6500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "exports/exports-api", "ci-ecs-deploy")
    sc.change(-16800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "ci-deployer")
    t0 = -2700  # scheduled month-end run for business accounts starts (EventBridge schedule, no change)
    # per-minute invocations: on-demand downloads (small) plus the batch run (large accounts)
    small = rng.poisson(np.clip(5 + daily(1.5), 0, None))
    large = np.where(T >= t0, rng.poisson(9, len(T)), 0)
    inv, err, dur, logs = [], [], [], []
    for i, t in enumerate(T):
        n_err, tot = 0, 0.0
        items = [("small", int(rng.integers(40, 900))) for _ in range(small[i])] + \
                [("large", int(rng.lognormal(9.6, 0.45))) for _ in range(large[i])]
        for kind, lines in items:
            ms = 650 + lines * 1.9 * rng.uniform(0.85, 1.15)
            rid = ids.uuid()
            ts = t + rng.uniform(0, 59)
            acct = f"acct_{ids.hexs(10)}"
            mem_used = int(min(180 + lines * 0.021, 1010))
            logs.append((ts, f"START RequestId: {rid} Version: $LATEST"))
            logs.append((ts + 0.01, f"{L.iso(ts + 0.01)}\t{rid}\tINFO\tRendering statement {acct} period=2026-10 lines={lines}"))
            if rng.random() < 0.05:
                logs.append((ts + 0.4, f"{L.iso(ts + 0.4)}\t{rid}\tWARN\tfont fallback: glyph U+20B9 missing in Inter-Regular, using DejaVuSans"))
            if ms >= 30000:
                ms, n_err = 30000.0, n_err + 1
                logs.append((ts + 30.0, f"{L.iso(ts + 30.0)} {rid} Task timed out after 30.03 seconds"))
                logs.append((ts + 30.01, f"END RequestId: {rid}"))
                logs.append((ts + 30.02, L.lambda_report(rid, 30025.31, 1024, mem_used, status="timeout")))
            else:
                te = ts + ms / 1000
                logs.append((te - 0.05, f"{L.iso(te - 0.05)}\t{rid}\tINFO\tUploaded s3://statements-pdf-prod/2026-10/{acct}.pdf pages={max(1, lines // 45)} bytes={lines * 310 + 40000}"))
                logs.append((te, f"END RequestId: {rid}"))
                logs.append((te + 0.001, L.lambda_report(rid, ms, 1024, mem_used)))
            tot += ms
        inv.append(len(items))
        err.append(n_err)
        dur.append(tot / len(items) if items else np.nan)
    inv, err, dur = np.array(inv, float), np.array(err, float), np.array(dur, float)
    dur = np.where(np.isnan(dur), np.nanmean(dur[:60]), dur)
    M.lambda_(sc, fn, inv, err, dur)
    sc.log(f"/aws/lambda/{fn}", f"2026/11/20/[$LATEST]{ids.hexs(32)}", [e for e in logs if e[0] >= -10800])
    M.ecs(sc, "exports", "exports-api", cpu=clip(ar1(rng, 14, 2) + 40 * between(-6480, -6300) + 8 * after(t0), 1, 100), mem_level=40, tasks=2)
    sc.log("/ecs/exports-api", L.ecs_stream("exports", "exports-api", ids.hexs(32)), L.emit(
        rng, -10800, 0, 2, lambda t: L.go_json(t, "info", "statement job enqueued", caller="jobs/enqueue.go:52", account=f"acct_{ids.hexs(10)}",
                                               queue="statement-render", source="scheduler" if t >= t0 else "api")))

    a = sc.alarm("statement-pdf-render-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 5,
                 "GreaterThanThreshold", description="statement renderer errors")
    sc.set_expect(a["name"], "function_timeout", [fn], [("AWS/Lambda", "Duration", {"FunctionName": fn}), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta = dict(alarm_on="origin (Lambda Errors)", decoys="exports-api deploy 1 h before onset; a code deploy of the "
                   "function 4.7 h earlier (fine since); constant font-fallback warnings; exports-api CPU blip",
                   story="The month-end statement run for business accounts started from its schedule. Render time grows "
                   "linearly with the number of ledger lines (~1.9 ms per line); accounts with more than ~15k lines need "
                   "longer than the function's 30 s timeout and end with 'Task timed out after 30.03 seconds'. There are "
                   "no errors from S3 or anything else downstream - the work simply does not fit in the timeout.")
    return sc


def h18(seed=1118):
    region = "us-west-2"
    sc = Scenario("h11-18-notify-rabbitmq-host", "Notification API returning 5xx; push/SMS sends stalled.", region, seed)
    rng, ids = sc.rng, sc.ids
    lb, tg = "app/notify-alb/6e8a0c2b4d1f3579", "targetgroup/notify-api/2b4d6f8a0c1e3579"
    mq1, mq2 = ("i-0e4a6c8b0d2f13579", "rabbitmq-1"), ("i-09b1d3f5a7c9e2468", "rabbitmq-2")
    for iid, name in (mq1, mq2):
        sc.resource("ec2", iid, name=name, instance_type="r6i.large", log_groups=["/rabbitmq/rabbit"])
    sc.resource("ecs", "notify/dispatcher", cluster="notify", launch_type="FARGATE", task_definition="dispatcher:77", desired_count=3)
    sc.resource("alb", lb, name="notify-alb", scheme="internal")
    tf = -2110
    sc.change(-9020, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/notify/prod/templates_version", "m.silva")
    sc.change(-13300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "notify/dispatcher", "ci-ecs-deploy")
    sc.change(-13320, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "dispatcher", "ci-ecs-deploy")
    dead = after(tf)
    alive = T < tf
    cpu1 = np.where(alive, clip(ar1(rng, 23, 2.5) + daily(3), 1), np.nan)
    cpu1[np.searchsorted(T, tf):np.searchsorted(T, tf) + 2] = [4.1, 0.0]
    M.ec2(sc, mq1[0], cpu=cpu1, net_in=np.where(alive, clip(rng.normal(6.1e7, 4e6, len(T))), np.where(dead > 0, 0.0, 0)),
          net_out=np.where(alive, clip(rng.normal(9.3e7, 5e6, len(T))), 0.0), status=dead.copy(), status_system=dead.copy(),
          mem_level=47, agent_mask=alive)
    M.ec2(sc, mq2[0], cpu=clip(ar1(rng, 9, 1.5) + 45 * between(-7800, -7500), 0.5, 100), mem_level=33)
    req = counts(rng, 380 + daily(60) + ar1(rng, 0, 10))
    t5 = counts(rng, req * (0.0005 + dead * 0.96))
    M.ecs(sc, "notify", "dispatcher", cpu=clip(ar1(rng, 19, 2) - dead * 6, 1, 100), mem_level=42, tasks=3)
    lat = clip(ar1(rng, 0.021, 0.003) + dead * (5.0 + ar1(rng, 0, 0.3)), 0.004)
    M.alb(sc, lb, req, target_5xx=t5, latency=lat)
    M.target_group(sc, lb, tg, req, np.full(len(T), 3.0), target_5xx=t5, latency=lat)

    amqp = "rabbitmq-1.notify.internal:5672"
    def dline(t):
        if t >= tf and rng.random() < 0.9:
            err = str(rng.choice([
                f"Bunny::TCPConnectionFailedForAllHosts: Could not establish TCP connection to any of the configured hosts",
                f"Bunny::NetworkFailure: detected a network failure: Errno::EHOSTUNREACH: No route to host - connect(2) for {amqp}",
                f"Timeout::Error: Timed out while connecting to {amqp} (5 seconds)"]))
            return L.rails(t, "ERROR", f"publish failed channel=push {err}", pid=1)
        if rng.random() < 0.05:
            return L.rails(t, "WARN", f"twilio error 21610: Attempt to send to unsubscribed recipient +1503555{rng.integers(1000, 9999)}", pid=1)
        return L.rails(t, "INFO", f"published notification id=ntf_{ids.hexs(12)} channel={rng.choice(['push', 'sms', 'email'])} queue=notify.outbound", pid=1)
    for _ in range(3):
        ev = L.emit(rng, -10800, 0, 7, dline)
        ev += L.emit(rng, -10800, 0, 5, lambda t: f'10.0.{rng.integers(20, 30)}.{rng.integers(2, 250)} - - [{L.clf(t)}] "POST /v1/notifications HTTP/1.1" '
                                                  f'{503 if t >= tf else 202} - {(5.01 if t >= tf else rng.uniform(0.005, 0.03)):.4f}')
        sc.log("/ecs/dispatcher", L.ecs_stream("notify", "dispatcher", ids.hexs(32)), ev)
    node1, node2 = "rabbit@ip-10-44-1-17", "rabbit@ip-10-44-2-58"
    r1 = L.emit(rng, -10800, tf, 1.5, lambda t: f"{L.rabbit_ts(t)} [info] <0.{rng.integers(900, 9999)}.0> accepting AMQP connection <0.{rng.integers(900, 9999)}.0> (10.0.{rng.integers(20, 30)}.{rng.integers(2, 250)}:{rng.integers(30000, 60000)} -> 10.44.1.17:5672)")
    r1 += L.emit(rng, -10800, tf, 0.3, lambda t: f"{L.rabbit_ts(t)} [warning] <0.{rng.integers(900, 9999)}.0> closing AMQP connection <0.{rng.integers(900, 9999)}.0> (10.0.{rng.integers(20, 30)}.{rng.integers(2, 250)}:{rng.integers(30000, 60000)} -> 10.44.1.17:5672, vhost: '/', user: 'notify'):\nclient unexpectedly closed TCP connection")
    sc.log("/rabbitmq/rabbit", mq1[0], r1)
    r2 = L.emit(rng, -10800, 0, 0.3, lambda t: f"{L.rabbit_ts(t)} [info] <0.{rng.integers(900, 9999)}.0> Mirrored queue 'notify.audit' in vhost '/': Synchronising: 0 messages to synchronise")
    r2 += [(tf + 61, f"{L.rabbit_ts(tf + 61)} [error] <0.241.0> ** Node '{node1}' not responding **\n** Removing (timedout) connection **"),
           (tf + 61.2, f"{L.rabbit_ts(tf + 61.2)} [info] <0.512.0> rabbit on node '{node1}' down"),
           (tf + 61.3, f"{L.rabbit_ts(tf + 61.3)} [info] <0.512.0> Keeping {node1} listeners: the node is already back"),
           (tf + 61.5, f"{L.rabbit_ts(tf + 61.5)} [info] <0.512.0> node '{node1}' down: net_tick_timeout")]
    sc.log("/rabbitmq/rabbit", mq2[0], r2)

    dims = {"LoadBalancer": lb, "TargetGroup": tg}
    a = sc.alarm("notify-api-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 10,
                 "GreaterThanThreshold", description="notification API 5xx")
    sc.set_expect(a["name"], "dependency_failure", [mq1[0], mq1[1]],
                  [("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": mq1[0]})])
    sc.meta = dict(alarm_on="front (ALB target group); the broker is linked only by host name in the client errors",
                   decoys="SSM PutParameter on templates 1.9 h earlier; dispatcher deploy 3 h earlier; rabbitmq-2 CPU spike; "
                   "constant Twilio 21610 warnings",
                   story="The EC2 host under rabbitmq-1 failed (StatusCheckFailed_System = 1, the CloudWatch agent stops "
                   "reporting, network traffic drops to zero). The dispatcher's Bunny client is configured with that single "
                   "broker host, so every publish fails with EHOSTUNREACH / TCPConnectionFailedForAllHosts after a 5 s connect "
                   "timeout and the notification API answers 503. rabbitmq-2 only logs its peer going away.")
    return sc
