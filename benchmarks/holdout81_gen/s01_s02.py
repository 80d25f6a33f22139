"""h81-01 (bidder image rollout, alarm on the exchange-facing ALB) and h81-02 (pacing Lambda
environment change)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import LambdaLogs, zap

from .base import (Tasks, alb, diurnal, ecs, ecs_deploy, emit, every, go_panic, lam,
                   lambda_code, lambda_config, new, per_minute, pick, ramp, rds, ec2)


def build_01():
    sc = new(1, "exchange-edge-5xx", "Bid responses to the exchanges are failing with 5xx; the "
             "public RTB ingress 5xx alarm paged the bidding on-call.", "us-east-1",
             "2026-04-07T15:42:00+00:00")
    lb, cl, svc, other = "app/rtb-ingress-pub/7f3c1a9e2b4d6c80", "bidding-prod", "bid-eval", "deal-matcher"
    fcap, fn = "i-04e1c7b2a9d35f810", "pacing-snapshot-export"
    T_d = -2280                       # new task definition rolled out
    on = lambda t: ramp(t, T_d + 60, T_d + 300)   # share of traffic on the new tasks
    sc.resource("alb", lb, name="rtb-ingress-pub", scheme="internet-facing", target_type="ip")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=24, cpu=1024, memory=2048,
                task_definition="bid-eval:188", container_runtime="go1.22")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=6, task_definition="deal-matcher:61")
    sc.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=1024)
    sc.resource("ec2", fcap, name="fcap-use1-a", instance_type="r7g.2xlarge", role="frequency-cap store")
    d = lambda t: diurnal(sc, t, peak_hour=18, amp=0.2)
    alb(sc, lb, req=lambda t: 172000 * d(t), rt=lambda t: 0.019 + 0.003 * on(t),
        t5=lambda t: 11 + 0.029 * 172000 * d(t) * on(t), e5=lambda t: 0.6, healthy=lambda t: 24)
    ecs(sc, cl, svc, cpu=lambda t: 52 * d(t) + 4 * on(t), mem=lambda t: 38 + 3 * on(t),
        running=lambda t: 24 + (6 if T_d + 30 <= t < T_d + 330 else 0))
    ecs(sc, cl, other, cpu=lambda t: 31 * d(t), mem=lambda t: 46, running=lambda t: 6)
    lam(sc, fn, inv=lambda t: 1, err=lambda t: 0, dur=lambda t: 2300, conc=lambda t: 1)
    ec2(sc, fcap, cpu=lambda t: 34 * d(t), net_in=lambda t: 2.1e8 * d(t), mem=lambda t: 61, disk=lambda t: 40.2)

    tasks = Tasks(sc, "ecs", svc, [(-40000, 8), (T_d + 60, 8)])
    g = "/ecs/bid-eval"
    ssps = ["openx", "magnite", "index", "pubmatic", "xandr"]

    def bid(t):
        return zap(sc, t, "info", "bid served", "server/handler.go:214", auction_id=sc.hexid(20),
                   ssp=sc.rng.choice(ssps), price_cpm=round(sc.rng.uniform(0.4, 6.5), 3),
                   latency_ms=round(sc.rng.gauss(17, 3), 1))

    def nobid(t):
        return zap(sc, t, "info", "no bid", "server/handler.go:188", reason=pick(
            sc, [(5, "floor_above_max_cpm"), (3, "no_matching_line_item"), (1, "pacing_hold")]),
            ssp=sc.rng.choice(ssps))

    emit(sc, g, tasks, lambda t: 3, bid)
    emit(sc, g, tasks, lambda t: 1.5, nobid)
    emit(sc, g, tasks, lambda t: 1.2, lambda t: zap(
        sc, t, "warn", "fcap lookup exceeded budget, bidding uncapped", "fcap/client.go:97",
        error="context deadline exceeded", budget_ms=4, host="10.12.7.41:6379"))
    n = [4000]

    def panic(t):
        if sc.rng.random() > on(t):
            return None
        n[0] += 1
        st = go_panic("runtime error: index out of range [3] with length 3", [
            ("github.com/adstack/bid-eval/internal/pricing.(*Shader).Apply",
             "/src/internal/pricing/shade.go:112 +0x3c4"),
            ("github.com/adstack/bid-eval/internal/server.(*Handler).priceBid",
             "/src/internal/server/handler.go:241 +0x1a8"),
            ("net/http.HandlerFunc.ServeHTTP", "/usr/local/go/src/net/http/server.go:2166 +0x38")], n[0])
        return zap(sc, t, "error", "panic recovered in bid handler", "server/recover.go:31",
                   error="runtime error: index out of range [3] with length 3", auction_id=sc.hexid(20),
                   ssp=sc.rng.choice(ssps), stacktrace=st)

    emit(sc, g, tasks, lambda t: 5 if t >= T_d + 60 else 0, panic)
    for k, s in enumerate(tasks.first(1)):
        t0 = T_d + 60 + k * 20
        sc.log(g, s, t0, zap(sc, t0, "info", "starting bid-eval", "cmd/bid-eval/main.go:58",
                             version="v2.41.0", commit="9c1e4a7", go="go1.22.5"))
        sc.log(g, s, t0 + 2.1, zap(sc, t0 + 2.1, "info", "loaded line items", "catalog/loader.go:77",
                                   count=18422, took_ms=1640))
    for k, s in enumerate(tasks.first(0)):
        t0 = T_d + 75 + k * 20
        sc.log(g, s, t0, zap(sc, t0, "info", "SIGTERM received, draining", "cmd/bid-eval/main.go:91",
                             version="v2.40.3", inflight=sc.rng.randint(20, 80)))

    ecs_deploy(sc, T_d, cl, svc, "bid-eval", "github-actions-deploy")
    ecs_deploy(sc, -12600, cl, other, "deal-matcher", "github-actions-deploy")
    lambda_config(sc, -2130, fn, "m.okafor")
    sc.alarm("rtb-ingress-pub-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 1000, "GreaterThanThreshold",
             "5xx returned to exchanges by the bidder targets")
    sc.alarm("fcap-use1-a-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": fcap}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.alarm("bid-eval-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc},
             "Average", 300, 2, 85, "GreaterThanThreshold")
    sc.expect = {"alarm": "rtb-ingress-pub-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        front="front (ALB)", services="ALB, ECS (Go), Lambda, EC2",
        decoys="config change on an unrelated Lambda 2 min after the rollout; steady fcap deadline warnings",
        story="The bidder service `bidding-prod/bid-eval` rolled out a new task definition (RegisterTaskDefinition "
              "+ UpdateService at -38 min, tasks log `starting bid-eval version=v2.41.0`). Within a minute the "
              "new tasks log a signature never seen in the four hours before: `panic recovered in bid handler` "
              "with `index out of range` in `pricing.(*Shader).Apply`, and the ALB's target 5xx jumps to ~3 % of "
              "172k requests a minute. The `fcap lookup exceeded budget` warnings are loud but flat for hours; "
              "the configuration update to `pacing-snapshot-export` is closer to the onset but that function's "
              "metrics are unchanged and it is not in the request path.")
    return sc


def build_02():
    sc = new(2, "pacing-tick-errors", "Budget pacing ticks are failing in eu-west-1; campaigns are "
             "bidding on stale pacing multipliers.", "eu-west-1", "2026-04-09T09:18:00+00:00")
    fn, other, db, cl, svc = "pace-ctl-eu", "spend-rollup-eu", "campaign-eu", "rtb-eu", "bidder"
    T_c, T_code = -2520, -9000
    bad = lambda t: t >= T_c + 20
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=30, memory_size=1024, handler="index.handler",
                environment_keys=["PACING_SMOOTHING_ALPHA", "REDIS_URL", "PG_SECRET_ARN", "SHARDS"])
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=60, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=1700, allocated_storage_gb=400)
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=18, container_runtime="go1.22")
    d = lambda t: diurnal(sc, t, peak_hour=11, amp=0.18)
    lm = lam(sc, fn, inv=lambda t: 40, err=lambda t: 40 if bad(t) else 0.04,
             dur=lambda t: 46 if bad(t) else 860 * d(t), conc=lambda t: 1 if bad(t) else 2)
    lam(sc, other, inv=lambda t: 6, err=lambda t: 0, dur=lambda t: 4100, conc=lambda t: 1)
    rds(sc, db, cpu=lambda t: 22 * d(t) - (5 if bad(t) else 0), conns=lambda t: 310 - (12 if bad(t) else 0),
        free_gb=lambda t: 181.4 - 0.0002 * (t + 21600) / 60, freeable_gb=lambda t: 0.92)
    ecs(sc, cl, svc, cpu=lambda t: 48 * d(t), mem=lambda t: 52, running=lambda t: 18)

    ll = LambdaLogs(sc, fn, "nodejs20.x", 1024, 30, retire=(T_code, T_c), mem_used=(188, 12))
    shards = list(range(40))

    def body(ll_, t, rid, is_err, cold):
        if bad(t):
            err = {"errorType": "RangeError", "errorMessage": "PACING_SMOOTHING_ALPHA must be in (0, 1], got 15",
                   "stack": ["RangeError: PACING_SMOOTHING_ALPHA must be in (0, 1], got 15",
                             "    at loadConfig (/var/task/config.js:41:11)",
                             "    at Runtime.handler (/var/task/index.js:22:18)"]}
            return {"dur": sc.rng.gauss(46, 6), "lines": [
                (0.03, ll_.fmt(t + 0.03, rid, "ERROR", "Invoke Error \t" + json.dumps(err, separators=(",", ":"))))]}
        sh = sc.rng.choice(shards)
        lines = [(0.01, ll_.fmt(t + 0.01, rid, "INFO", f"tick start shard={sh} campaigns={sc.rng.randint(380, 460)}"))]
        if sc.rng.random() < 0.12:
            lines.append((0.2, ll_.fmt(t + 0.2, rid, "WARN", f"campaign {sc.rng.randint(80000, 99999)} has no spend "
                                       f"in last 15m, skipping")))
        if sc.rng.random() < 0.04:
            lines.append((0.3, ll_.fmt(t + 0.3, rid, "ERROR", f"redis GET pacing:mult:{sc.rng.randint(80000, 99999)} "
                                       "timed out after 50ms, using cached multiplier")))
        dur = sc.rng.gauss(860, 120)
        lines.append((dur / 1000 - 0.01, ll_.fmt(t + dur / 1000 - 0.01, rid, "INFO",
                     f"tick done shard={sh} adjusted={sc.rng.randint(300, 380)} wrote=ok")))
        return {"dur": dur, "lines": lines}

    ll.run(per_minute(lm["inv"], scale=0.1), {}, body)
    g = "/ecs/bidder"
    tasks = Tasks(sc, "ecs", "bidder", [(-40000, 6)])

    def snap(t):
        age = (t - T_c - 20) if bad(t) else sc.rng.uniform(8, 55)
        if bad(t):
            return zap(sc, t, "warn", "pacing snapshot stale, keeping previous multipliers",
                       "pacing/refresh.go:66", age_s=int(age), campaigns=412)
        return zap(sc, t, "info", "pacing snapshot refreshed", "pacing/refresh.go:58", age_s=int(age),
                   campaigns=sc.rng.randint(400, 420))

    every(sc, g, tasks, 60, snap)
    emit(sc, g, tasks, lambda t: 2, lambda t: zap(
        sc, t, "info", "bid served", "server/handler.go:203", ssp=sc.rng.choice(["adform", "smart", "equativ"]),
        price_cpm=round(sc.rng.uniform(0.3, 4.1), 3)))
    lambda_code(sc, T_code, fn, "gitlab-ci-pacing", publish=False)
    lambda_config(sc, T_c, fn, "terraform-pacing")
    lambda_code(sc, -2340, other, "gitlab-ci-reporting")
    sc.alarm("pace-ctl-eu-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Pacing controller invocation errors")
    sc.alarm("campaign-eu-freeable-memory-low", "AWS/RDS", "FreeableMemory", {"DBInstanceIdentifier": db},
             "Average", 300, 3, 1024 ** 3, "LessThanThreshold")
    sc.alarm("spend-rollup-eu-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300, 1, 2,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "pace-ctl-eu-errors", "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        front="origin", services="Lambda (Node), RDS, ECS (Go)",
        decoys="code deploy to a sibling Lambda 3 min after the change; code deploy of the same function 2.5 h "
               "earlier (healthy since); RDS freeable-memory alarm in ALARM all day; steady Redis timeout errors",
        story="`pace-ctl-eu` had its configuration updated by terraform at -42 min "
              "(UpdateFunctionConfiguration); every invocation since fails in 46 ms with `RangeError: "
              "PACING_SMOOTHING_ALPHA must be in (0, 1], got 15` from `loadConfig`, a setting named in the error. "
              "Its code deploy 2.5 h earlier ran cleanly for two hours. The `redis GET ... timed out` errors and "
              "the RDS low-memory alarm predate the incident by hours; the `spend-rollup-eu` deploy comes after "
              "the onset and that function stays healthy. The bidder only shows the effect (stale snapshot).")
    return sc


BUILDERS = [build_01, build_02]
