"""ECS incidents (part B): DynamoDB provisioned-throughput throttling, Go worker panicking on a poison message."""
from __future__ import annotations

import numpy as np

from . import logfmt as L
from . import metricsets as M
from .common import ACCOUNT, Scenario, ar1, after, between, clip, counts, daily, ramp, T


def h13(seed=1113):
    region = "ap-northeast-1"
    sc = Scenario("h11-13-session-ddb-throttle", "Login failures reported in Japan; session-svc 5xx alarm.", region, seed)
    rng, ids = sc.rng, sc.ids
    lb = "app/auth-alb/1d3f5a7c9e0b2468"
    tg_s, tg_l = "targetgroup/session-svc/6f8a0c2e4b1d3579", "targetgroup/login-web/3e5a7c9b1d0f2468"
    sc.resource("ecs", "auth/session-svc", cluster="auth", launch_type="FARGATE", task_definition="session-svc:88", desired_count=4)
    sc.resource("ecs", "auth/login-web", cluster="auth", launch_type="FARGATE", task_definition="login-web:301", desired_count=3)
    sc.resource("alb", lb, name="auth-alb", scheme="internet-facing")
    table = "user-sessions"
    t0 = -2280
    sc.change(-14040, "dynamodb.amazonaws.com", "UpdateTimeToLive", "AWS::DynamoDB::Table", table, "terraform-ci")
    sc.change(-4830, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "login-web", "ci-ecs-deploy")
    sc.change(-4800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "auth/login-web", "ci-ecs-deploy")
    campaign = ramp(t0, t0 + 300)
    demand = clip((148 + daily(18) + ar1(rng, 0, 5)) * (1 + 0.45 * campaign), 0)  # WCU per second
    burst = np.zeros(len(T))
    cap = np.where(T < t0 + 420, 300.0, 200.0)  # burst capacity absorbs the first minutes
    consumed = np.minimum(demand, cap) * 60
    throttled = clip((demand - cap) * 60 * rng.uniform(0.9, 1.1, len(T)), 0).round()
    d = {"TableName": table}
    sc.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", d, "Count", consumed, 1)
    sc.metric("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", d, "Count", np.full(len(T), 200.0), 0)
    sc.metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", d, "Count", clip(demand * 1.7 * 60 * rng.normal(1, 0.03, len(T))), 1)
    sc.metric("AWS/DynamoDB", "ProvisionedReadCapacityUnits", d, "Count", np.full(len(T), 600.0), 0)
    sc.metric("AWS/DynamoDB", "WriteThrottleEvents", d, "Count", throttled, 0)
    sc.metric("AWS/DynamoDB", "ReadThrottleEvents", d, "Count", np.zeros(len(T)), 0)
    sc.metric("AWS/DynamoDB", "ThrottledRequests", {"TableName": table, "Operation": "PutItem"}, "Count", throttled, 0)
    sc.metric("AWS/DynamoDB", "SuccessfulRequestLatency", {"TableName": table, "Operation": "PutItem"}, "Milliseconds",
              clip(ar1(rng, 4.1, 0.4), 1), 2)
    sc.metric("AWS/DynamoDB", "SuccessfulRequestLatency", {"TableName": table, "Operation": "GetItem"}, "Milliseconds",
              clip(ar1(rng, 2.3, 0.2), 0.5), 2)
    fail_frac = clip(throttled / (demand * 60 + 1), 0) ** 1.5 * 0.9  # what is left after SDK retries
    req_s = counts(rng, demand * 60 / 2.1)
    t5 = counts(rng, req_s * (0.0003 + fail_frac))
    lat = clip(ar1(rng, 0.028, 0.003) + fail_frac * 1.6, 0.005)
    M.ecs(sc, "auth", "session-svc", cpu=clip(ar1(rng, 31, 2.5) + 12 * campaign, 1, 100), mem_level=38, tasks=4)
    M.ecs(sc, "auth", "login-web", cpu=clip(ar1(rng, 22, 2) + 9 * campaign + 35 * between(-4800, -4620), 1, 100), mem_level=51, tasks=3)
    req_l = counts(rng, (1300 + daily(150)) * (1 + 0.45 * campaign))
    M.alb(sc, lb, req_s + req_l, target_5xx=t5, lat_level=0.05)
    M.target_group(sc, lb, tg_s, req_s, np.full(len(T), 4.0), target_5xx=t5, latency=lat)
    M.target_group(sc, lb, tg_l, req_l, np.full(len(T), 3.0), lat_level=0.06)

    def sline(t):
        k = max(np.searchsorted(T, t) - 1, 0)
        if rng.random() < fail_frac[k] * 2:
            return L.slog(t, "error", "put session failed", route="POST /v1/sessions", table=table,
                          err=(f"operation error DynamoDB: PutItem, exceeded maximum number of attempts, 3, https response error StatusCode: 400, "
                               f"RequestID: {ids.hexs(52).upper()}, ProvisionedThroughputExceededException: The level of configured provisioned "
                               f"throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API."))
        if rng.random() < 0.04:
            return L.slog(t, "warn", "refresh token reuse detected, revoking family", family=ids.hexs(16))
        return L.slog(t, "info", "session issued", route="POST /v1/sessions", status=201, dur_ms=int(rng.gamma(3, 6)), user=f"u{rng.integers(10**7, 10**8)}")
    for _ in range(4):
        sc.log("/ecs/session-svc", L.ecs_stream("session", "session-svc", ids.hexs(32)), L.emit(rng, -10800, 0, 8, sline))
    for _ in range(3):
        sc.log("/ecs/login-web", L.ecs_stream("login", "login-web", ids.hexs(32)), L.emit(rng, -4700, 0, 4, lambda t: L.pino(
            t, 30, "request completed", "ip-10-70-%d-%d.ap-northeast-1.compute.internal" % (rng.integers(1, 9), rng.integers(2, 250)),
            req={"method": "GET", "url": "/login"}, res={"statusCode": 200}, responseTime=int(rng.gamma(3, 8)))))

    dims = {"LoadBalancer": lb, "TargetGroup": tg_s}
    a = sc.alarm("session-svc-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 30,
                 "GreaterThanThreshold", description="session-svc returning 5xx")
    sc.set_expect(a["name"], "throttling", [table], [("AWS/DynamoDB", "WriteThrottleEvents", {"TableName": table})])
    sc.meta = dict(alarm_on="front (ALB target group); origin is a DynamoDB table known only from metrics and log lines",
                   decoys="UpdateTimeToLive on the same table 3.9 h earlier; login-web deploy 40 min before onset; login-web "
                   "CPU blip; constant refresh-token warnings; a moderate (+45 %) traffic rise",
                   story="A push campaign raised logins by ~45 %. The user-sessions table is provisioned at 200 WCU with "
                   "no auto scaling; write demand went from ~150 to ~215 WCU/s. Burst capacity hid it for a few minutes, "
                   "then PutItem calls were throttled (WriteThrottleEvents), the Go SDK exhausted its retries with "
                   "ProvisionedThroughputExceededException and session-svc returned 5xx.")
    return sc


PANIC = """panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x28 pc=0x8c2f14]

goroutine 57 [running]:
github.com/acme-pay/payout-worker/internal/payout.(*Processor).routeTransfer(0xc0001a2000, {0xc000412f00, 0x24})
\t/src/internal/payout/route.go:88 +0x54
github.com/acme-pay/payout-worker/internal/payout.(*Processor).Handle(0xc0001a2000, {0xb9e4c8, 0xc00038a0f0}, 0xc0004b6000)
\t/src/internal/payout/processor.go:142 +0x2d1
github.com/acme-pay/payout-worker/internal/consumer.(*Poller).dispatch.func1()
\t/src/internal/consumer/poller.go:117 +0x8e
created by github.com/acme-pay/payout-worker/internal/consumer.(*Poller).dispatch in goroutine 1
\t/src/internal/consumer/poller.go:109 +0x1a5"""


def h15(seed=1115):
    region = "ap-southeast-1"
    sc = Scenario("h11-15-payout-worker-panic", "payout-worker running below desired task count; payouts delayed.", region, seed)
    rng, ids = sc.rng, sc.ids
    cluster = "payments"
    sc.resource("ecs", f"{cluster}/payout-worker", cluster=cluster, launch_type="EC2", task_definition="payout-worker:64", desired_count=3, cpu=512, memory=1024)
    sc.resource("ecs", f"{cluster}/payout-api", cluster=cluster, launch_type="EC2", task_definition="payout-api:151", desired_count=2, cpu=512, memory=1024)
    sc.change(-9050, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "payout-api", "ci-ecs-deploy")
    sc.change(-9020, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/payout-api", "ci-ecs-deploy")
    sc.change(-12800, "sqs.amazonaws.com", "SetQueueAttributes", "AWS::SQS::Queue", "payout-requests-dlq", "p.tan")
    t0 = -2530
    # crash loop: each task picks a poison message, panics within seconds, ECS restarts it ~40-70 s later
    events, crashes, streams = [], [], []
    for k in range(3):
        tid, start = ids.hexs(32), -10800 - rng.uniform(600, 4000)
        t = t0 + rng.uniform(0, 90)
        lines = []
        while True:
            crashes.append(t)
            streams.append((tid, max(start, -10800), t))
            tid, start = ids.hexs(32), t + rng.uniform(40, 70)
            t = start + rng.uniform(30, 160)  # poison message becomes visible again (30 s visibility) and is picked up
            if t >= -30:
                streams.append((tid, start, 0))
                break
    crash_min = np.zeros(len(T))
    for c in crashes:
        crash_min[max(np.searchsorted(T, c) - 1, 0)] += 1
    running = np.where(T < t0, 3.0, clip(3 - ar1(rng, 1.6, 0.3), 0.4, 3)).round(2)
    sent = counts(rng, 55 + daily(12) + ar1(rng, 0, 3))
    eff = np.where(T < t0, 1.0, 0.25)
    recv = counts(rng, sent * eff + crash_min * 1)
    visible = np.cumsum(np.where(T < t0, 0, sent * 0.75)) + clip(ar1(rng, 3, 2), 0).round()
    oldest = np.where(T < t0, clip(ar1(rng, 6, 2), 1), (T - t0) + 40).round()
    M.ecs(sc, cluster, "payout-worker", cpu=clip(ar1(rng, 18, 2) + (T >= t0) * 6, 1, 100), mem_level=29, running=running,
          desired=np.full(len(T), 3.0))
    M.ecs(sc, cluster, "payout-api", cpu=clip(ar1(rng, 15, 2) + 40 * between(-6300, -6000), 1, 100), mem_level=44, tasks=2)
    M.sqs(sc, "payout-requests", sent, recv, visible, oldest)

    corridors = ["SG-TH", "SG-MY", "SG-ID", "SG-PH"]
    def wline(t):
        if rng.random() < 0.07:
            return L.go_json(t, "warn", "fx quote stale, requoting", caller="fx/quote.go:59", corridor=str(rng.choice(corridors)), age_s=int(rng.integers(61, 140)))
        return L.go_json(t, "info", "payout submitted", caller="payout/processor.go:171", payout_id=f"po_{ids.hexs(14)}",
                         partner=str(rng.choice(["kbank-th", "maybank-my", "bca-id"])), corridor=str(rng.choice(corridors)))
    for tid, s, e in streams:
        ev = L.emit(rng, s, e - 2, 2.2 if s < t0 else 1.0, wline)
        if s > -10800:
            ev.append((s + 0.5, L.go_json(s + 0.5, "info", "payout-worker starting", caller="cmd/worker/main.go:41", version="2.31.4", queue="payout-requests", concurrency=4)))
        if e < 0:
            pid = f"po_{ids.hexs(14)}"
            ev.append((e - 0.3, L.go_json(e - 0.3, "info", "processing payout", caller="payout/processor.go:128", payout_id=pid, partner="scb-th", corridor="SG-TH", receive_count=int(rng.integers(2, 40)))))
            ev.append((e, PANIC))
            events.append((e + 3, L.ecs_task_event(e + 3, region, ACCOUNT, cluster, tid, "payout-worker", 64, "payout-worker", 2, "", ids=ids)))
        sc.log("/ecs/payout-worker", L.ecs_stream("ecs", "payout-worker", tid), ev)
    sc.log("/aws/events/ecs-task-state-change", "ecs-task-state", events)
    for _ in range(2):
        sc.log("/ecs/payout-api", L.ecs_stream("ecs", "payout-api", ids.hexs(32)), L.emit(rng, -10800, 0, 3, lambda t: L.go_json(
            t, "info", "payout accepted", caller="api/payouts.go:77", status=202, partner=str(rng.choice(["kbank-th", "scb-th", "bca-id"])))))

    dims = {"ClusterName": cluster, "ServiceName": "payout-worker"}
    a = sc.alarm("payout-worker-running-tasks", "ECS/ContainerInsights", "RunningTaskCount", dims, "Average", 60, 5, 2.5,
                 "LessThanThreshold", description="payout-worker below desired count")
    sc.set_expect(a["name"], "application_error", [f"{cluster}/payout-worker", "payout-worker"],
                  [("ECS/ContainerInsights", "RunningTaskCount", dims), ("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "payout-requests"})])
    sc.meta = dict(alarm_on="origin (Container Insights task count)", decoys="payout-api deploy 1.8 h before onset; "
                   "SetQueueAttributes on the DLQ; payout-api CPU spike; constant stale-FX warnings",
                   story="A partner (scb-th) began sending payout requests without a beneficiary bank block. The Go worker "
                   "dereferences it without a nil check in routeTransfer and panics (SIGSEGV), the container exits with "
                   "code 2 and ECS starts a replacement, which picks the same messages up again once their visibility "
                   "timeout expires. No deploy or config change on the worker; the queue backs up.")
    return sc
