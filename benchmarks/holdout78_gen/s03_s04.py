"""h78-03 seat-hold concurrency ceiling (ap-southeast-2); h78-04 fare-calc instance CPU (us-west-2)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, spring

from .kit import (H78, alb_metrics, apigw_metrics, ec2_metrics, lambda_deploy, lambda_metrics,
                  lambda_sample, times)

FLIGHTS = ["QF412", "VA823", "JQ507", "QF1", "NZ104", "VA1365", "QF93", "JQ38"]


def build_03() -> H78:
    sc = H78(3, "seat-hold-lunch-peak",
             "Seat selection failing for some users at lunchtime; seating API 5XX alarm is firing.",
             "ap-southeast-2", 7803, "2026-07-22T02:10:00+00:00")
    fn, api = "seat-hold", "seating-api"
    CAP = 30
    sc.resource("apigateway", api, stage="prod", api_id="w7ke03nq5c")
    sc.resource("lambda", fn, runtime="java21", timeout=10, memory_size=1536, reserved_concurrency=CAP)
    sc.resource("lambda", "hold-reaper", runtime="java21", timeout=120, memory_size=1024)
    sc.resource("lambda", "seatmap-read", runtime="nodejs20.x", timeout=5, memory_size=512)
    DUR = 2900.0
    demand = lambda t: 560 + 150 * ramp(t, -7800, -900)
    thr = lambda t: max(0.0, demand(t) - 600) * 0.95
    L = lambda_metrics(sc, fn, lambda t: demand(t) - thr(t), lambda t: (demand(t) - thr(t)) * 0.031,
                       lambda t: DUR, throttles=thr,
                       conc=lambda t: min(CAP, demand(t) * DUR / 60000 * 1.02 + 1.5), conc_cap=CAP)
    apigw_metrics(sc, api, demand, lambda t: (demand(t) - thr(t)) * 0.031 + 2, lambda t: 0.3 + thr(t),
                  lambda t: DUR + 35 - thr(t) * 5.0)
    lambda_metrics(sc, "hold-reaper", lambda t: 1.0, lambda t: 0.0, lambda t: 38000.0, conc=lambda t: 1.0)
    lambda_metrics(sc, "seatmap-read", lambda t: 900 * diurnal(sc, t, 2.5, 0.2), lambda t: 0.4,
                   lambda t: 95.0 + bump(t, -11000, -10300, 420))
    lambda_deploy(sc, -14700, fn)
    sc.change(-5760, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "hold-reaper", "liam.nguyen")
    lambda_deploy(sc, -5640, "seatmap-read", "github-actions-deployer")
    ll = LambdaLogs(sc, fn, "java21", 1536, 10, mem_used=(690, 40), retire=(-14700,))

    def body(ll, t, rid, is_err, cold):
        fl, seat = sc.rng.choice(FLIGHTS), f"{sc.rng.randint(3, 58)}{sc.rng.choice('ABCDEFHJK')}"
        ms = sc.rng.gauss(DUR, 450)
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"c.t.seat.HoldHandler - hold request flight={fl} seat={seat} "
                                              f"pax={sc.rng.randint(1, 3)}"))]
        if is_err:
            lines.append((ms / 1000, ll.fmt(t, rid, "ERROR", f"c.t.seat.HoldHandler - HoldConflictException: seat "
                                                           f"{seat} on {fl} already held by session "
                                                           f"{sc.hexid(12)} (returning 409)")))
        else:
            lines.append((ms / 1000, ll.fmt(t, rid, "INFO", f"c.t.seat.HoldService - hold created flight={fl} "
                                                          f"seat={seat} ttl=600s lockWaitMs={int(ms * 0.8)}")))
        return {"lines": lines, "dur": ms + 6}

    ll.run(*lambda_sample(sc, L["inv"], L["err"], 3.0), body)
    eg, es = "API-Gateway-Execution-Logs_w7ke03nq5c/prod", "w7ke03nq5c-prod-" + sc.hexid(8)
    for t in times(sc, lambda m: 1.2):
        sc.log(eg, es, t, f"({sc.uuid()}) Method completed with status: 200")
    for t in times(sc, lambda m: min(6.0, thr(m) / 15)):
        r = sc.uuid()
        if sc.rng.random() < 0.5:
            sc.log(eg, es, t, f"({r}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}")
        else:
            sc.log(eg, es, t, f"({r}) Execution failed due to configuration error: Rate Exceeded.")
        sc.log(eg, es, t + 0.002, f"({r}) Method completed with status: 500")
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 30,
             "GreaterThanThreshold", "Seating API server-side errors")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 150,
             "GreaterThanThreshold")
    sc.alarm("seatmap-read-errors", "AWS/Lambda", "Errors", {"FunctionName": "seatmap-read"}, "Sum", 60, 3, 10,
             "GreaterThanThreshold")
    sc.expect = {"alarm": f"{api}-5xx", "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        category="throttling", front="front (API Gateway); origin is the Lambda's reserved concurrency",
        runtime="Java 21 Lambda", services="API Gateway, Lambda",
        decoys="hold-reaper config change and seatmap-read deploy a few minutes before the first throttles; "
               "HoldConflictException ERRORs at a steady 3 % for six hours; seat-hold Errors alarm OK",
        story="seating-api's 5XX count climbs as the lunchtime peak in Sydney builds. seat-hold has "
              "reserved concurrency 30 and each hold takes about 2.9 s, so ConcurrentExecutions flattens at "
              "exactly 30 while Throttles appear and grow; API Gateway execution logs show `Lambda invocation "
              "failed with status: 429` / `Rate Exceeded`. Errors on the function stay at their usual 3 % "
              "(HoldConflictException 409s that were there all along), Duration is flat, and the two changes "
              "touch other functions that stay healthy. Demand rose by about a quarter, a normal peak, not a surge.",
        judgement="Request volume rises ~27 % over the window, which some readers could call a surge; it is "
                  "gradual and modest, and the fault is the concurrency ceiling (ConcurrentExecutions pinned at the "
                  "reserved value, Throttles > 0, 429s), so throttling is the label.")
    return sc


def build_04() -> H78:
    sc = H78(4, "fare-calc-instance-cpu",
             "Internal fare calculation slow; pricing callers timing out. ALB response-time alarm fired.",
             "us-west-2", 7804, "2026-03-03T19:45:00+00:00")
    T0 = -2640
    lb = "app/farecalc-int/3bd0e6a1c7f24e90"
    a, b, c = "i-03f1a9c2e87d4b061", "i-0b7e5d2c19a84f3e2", "i-06a2c4e8f1b3d5079"
    sc.resource("alb", lb, name="farecalc-int", scheme="internal")
    sc.resource("ec2", a, name="fare-calc-1", instance_type="c6i.2xlarge", log_groups=["/farecalc/app"])
    sc.resource("ec2", b, name="fare-calc-2", instance_type="c6i.2xlarge", log_groups=["/farecalc/app"])
    sc.resource("ec2", c, name="ndc-ingest-1", instance_type="m6i.large")
    hot = lambda t: ramp(t, T0, T0 + 180)
    req = lambda t: 980 * diurnal(sc, t, 20, 0.2)
    alb_metrics(sc, lb, req, lambda t: 0.11 + 1.45 * hot(t), lambda t: 0.4 + 18 * hot(t),
                e5=lambda t: 0.05 + 6 * hot(t))
    ec2_metrics(sc, a, lambda t: 38 * diurnal(sc, t, 20, 0.2), mem=lambda t: 61.0)
    ec2_metrics(sc, b, lambda t: 38 * diurnal(sc, t, 20, 0.2) * (1 - hot(t)) + 97.6 * hot(t), mem=lambda t: 63.0)
    ec2_metrics(sc, c, lambda t: 14 + bump(t, -9000, -8100, 70), net=lambda t: 1.1e7 + bump(t, -9000, -8100, 2e8))
    sc.change(-8980, "ec2.amazonaws.com", "StartInstances", "AWS::EC2::Instance", c, "ndc-batch-scheduler")
    sc.change(T0 - 140, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0d91e3b5a7c24f861", "priya.raman")
    sc.change(T0 - 95, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", a, "priya.raman")
    app = "farecalc"
    for iid, name in ((a, "fare-calc-1"), (b, "fare-calc-2")):
        g = "/farecalc/app"
        for t in times(sc, lambda m: 3.0):
            slow = iid == b and t > T0
            ms = int(sc.rng.gauss(1500, 400) if slow else sc.rng.gauss(95, 25))
            th = f"http-nio-8080-exec-{sc.rng.randint(1, 64)}"
            sc.log(g, iid, t, spring(sc, t, "INFO", th, "c.t.fare.api.PriceController",
                                     f"priced itinerary od={sc.rng.choice(['SFO-SEA', 'LAX-BOS', 'SEA-ANC', 'SFO-HNL'])} "
                                     f"fares={sc.rng.randint(3, 40)} took={max(12, ms)}ms", app))
        for t in times(sc, lambda m: 0.8):
            sc.log(g, iid, t, spring(sc, t, "WARN", "fare-cache-1", "c.t.fare.cache.PartnerFareCache",
                                     f"cache miss carrier={sc.rng.choice(['XJ', 'ZG', 'TZ'])} refreshing from NDC feed", app))
        for t in range(-21560, 0, 600):
            sc.log(g, iid, t, spring(sc, t, "INFO", "scheduling-1", "c.t.fare.rules.RuleIndexScheduler",
                                     f"leader={'true' if iid == b else 'false'} rule index up to date "
                                     f"(version={20260303000 + (t + 21600) // 3600})", app))
    g = "/farecalc/app"
    sc.log(g, b, T0 + 2, spring(sc, T0 + 2, "INFO", "scheduling-1", "c.t.fare.rules.RuleIndexScheduler",
                                "leader=true full rebuild requested: 1,842,117 ATPCO rules, parallelism=16", app))
    for k, t in enumerate(range(T0 + 300, 0, 300)):
        sc.log(g, b, t, spring(sc, t, "INFO", "rule-build-3", "c.t.fare.rules.RuleIndexBuilder",
                               f"rebuild progress {min(99, 7 + 5 * k)}% compiled={int((7 + 5 * k) * 18421)} "
                               "cpuTime=15.8 cores", app))
        sc.log(g, b, t + 17, spring(sc, t + 17, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                                    f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper "
                                    f"delta=1m{sc.rng.randint(8, 40)}s).", app))
    for t in times(sc, lambda m: 1.5 * hot(m)):
        sc.log(g, b, t, spring(sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 64)}",
                               "c.t.fare.api.PriceController", "request exceeded SLA 1000ms, queued "
                               f"{sc.rng.randint(300, 2400)}ms waiting for worker", app))
    sc.alarm("farecalc-int-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 0.8, "GreaterThanThreshold", "Fare calc p-avg latency above 800 ms")
    sc.alarm("fare-calc-2-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": b}, "Average", 300, 2, 90,
             "GreaterThanThreshold")
    sc.alarm("fare-calc-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": a}, "Average", 300, 2, 90,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "farecalc-int-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [b, "fare-calc-2"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": b}}]}
    sc.meta = dict(
        category="cpu_saturation", front="front (ALB); origin is one target instance",
        runtime="Java Spring Boot on EC2", services="ALB, EC2",
        decoys="security-group ingress change and CreateTags on the healthy instance 1.5-2.5 min before "
               "onset; ndc-ingest-1 CPU/network spike 1.8 h earlier; PartnerFareCache miss WARNs all along",
        story="farecalc-int's average TargetResponseTime goes from ~0.11 s to ~1.5 s 44 minutes ago. Of the two "
              "targets only fare-calc-2 changes: its CPU goes from ~40 % to 99 %, and at that moment its "
              "rule-index leader starts a full rebuild of 1.8 M rules on 16 threads. Hikari housekeeper "
              "thread-starvation warnings and queued-request SLA warnings follow. fare-calc-1 stays at ~40 %, memory "
              "is flat on both. The security-group and tag changes just before onset concern other objects and "
              "have no effect on either target.")
    return sc


BUILDERS = [build_03, build_04]
